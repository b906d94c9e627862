//! Broken specs and the exact messages they get (`tests/broken/NAME.*` → `NAME.txt`;
//! `UPDATE_EXPECT=1` rewrites the expectations).

use std::path::Path;

use xtask::codegen::{render, Job};

#[test]
fn broken_specs_get_their_expected_messages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 7);
    let mut wrong = Vec::new();
    for spec in specs {
        let name = spec.file_name().unwrap().to_string_lossy().to_string();
        let job = Job { spec: spec.clone(), spec_name: name.clone(), out: std::env::temp_dir(), crate_name: None };
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
