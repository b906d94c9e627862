//! Broken specs and the exact messages they get (`tests/broken/NAME.*` → `NAME.txt`;
//! `UPDATE_EXPECT=1` rewrites the expectations).

use expect_test::expect_file;
use generator::Config;

#[test]
fn broken_specs_get_their_expected_messages() {
    let specs = crate::support::specs_in("broken");
    assert!(specs.len() >= 7);
    for spec in specs {
        let name = spec.file_name().unwrap().to_string_lossy().to_string();
        let message = match Config::new(&spec).spec_name(name.clone()).render() {
            Ok(_) => panic!("{name}: generation succeeded on a broken spec"),
            Err(e) => format!("{e}\n"),
        };
        expect_file![spec.with_extension("txt")].assert_eq(&message);
    }
}
