//! The generator on small fixture specs, compared with the checked-in expected code
//! (`UPDATE_EXPECT=1 cargo test -p xtask --test snapshots` rewrites it).

mod support;

use std::path::Path;

use xtask::codegen::{render, Job};

fn generated(spec: &Path) -> String {
    let job = Job {
        spec: spec.to_path_buf(),
        spec_name: format!("tests/fixtures/{}", spec.file_name().unwrap().to_string_lossy()),
        out: std::env::temp_dir(),
        crate_name: None,
        selection: Default::default(),
        features: Default::default(),
    };
    let rendered = render(&job).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    ["src/types.rs", "src/operations.rs"]
        .iter()
        .map(|wanted| rendered.files.iter().find(|(p, _)| p == wanted).map(|(_, text)| text.as_str()).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn fixtures_generate_the_expected_code() {
    let update = support::updating();
    let specs = support::specs_in("fixtures");
    assert!(specs.len() >= 2, "fixtures are missing");
    let mut stale = Vec::new();
    for spec in specs {
        let actual = generated(&spec);
        assert_eq!(actual, generated(&spec), "{}: output is not deterministic", spec.display());
        let expected_path = spec.with_extension("rs");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            let diff = similar::TextDiff::from_lines(&expected, &actual)
                .unified_diff()
                .header("expected", "actual")
                .to_string();
            stale.push(format!("{}:\n{diff}", expected_path.display()));
        }
    }
    assert!(stale.is_empty(), "generated code differs (UPDATE_EXPECT=1 to accept):\n{}", stale.join("\n"));
}
