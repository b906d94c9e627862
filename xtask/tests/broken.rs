//! Broken specs and the exact messages they get (`tests/broken/NAME.*` → `NAME.txt`;
//! `UPDATE_EXPECT=1` rewrites the expectations).

mod support;

use xtask::codegen::{render, Job};

#[test]
fn broken_specs_get_their_expected_messages() {
    let update = support::updating();
    let specs = support::specs_in("broken");
    assert!(specs.len() >= 7);
    let mut wrong = Vec::new();
    for spec in specs {
        let name = spec.file_name().unwrap().to_string_lossy().to_string();
        let job = Job {
            spec: spec.clone(),
            spec_name: name.clone(),
            out: std::env::temp_dir(),
            crate_name: None,
            selection: Default::default(),
            features: Default::default(),
        };
        let message = match render(&job) {
            Ok(_) => panic!("{name}: generation succeeded on a broken spec"),
            Err(e) => format!("{e}\n"),
        };
        let expected_path = spec.with_extension("txt");
        if update {
            std::fs::write(&expected_path, &message).unwrap();
        } else if std::fs::read_to_string(&expected_path).unwrap_or_default() != message {
            wrong.push(format!("{name}: got\n{message}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
