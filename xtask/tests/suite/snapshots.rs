//! The generator on small fixture specs: `tests/fixtures/NAME.yaml` (or `.json`) gives the crate
//! checked in as `tests/fixtures/NAME/`, file for file, and those crates compile.
//! `UPDATE_EXPECT=1 cargo test -p xtask --test suite snapshots` rewrites them.
//!
//! The runtime's files, which every crate holds a copy of, are not stored again: in a
//! fixture folder each is a symbolic link to the runtime's own file (`runtime/src/`), so the
//! fixture crates still compile where they are (`client-tests` depends on some), and the
//! generated copy is checked against the runtime's text.

use std::path::{Path, PathBuf};

use expect_test::expect_file;
use generator::Config;

/// Every file of the crate generated from `spec`, paths relative to the crate.
fn generated(spec: &Path) -> Vec<(String, String)> {
    Config::new(spec)
        .spec_name(format!("tests/fixtures/{}", spec.file_name().unwrap().to_string_lossy()))
        .render()
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
        .files
}

/// The runtime's own file that the generated file at `path` copies, if it is one.
fn runtime_source(path: &str) -> Option<PathBuf> {
    generator::emit::runtime_source(path).map(|name| xtask::project_root().join("runtime/src").join(name))
}

/// Checks the generated copy of a runtime file against the runtime's text, and that the
/// fixture's file is a link to it (or, updating, makes it one).
fn check_runtime_file(dir: &Path, path: &str, text: &str, source: &Path, updating: bool) {
    let original = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let body = text.split_once('\n').map(|(_, rest)| rest).unwrap_or_default();
    assert_eq!(
        body.strip_prefix("#![cfg_attr(rustfmt, rustfmt::skip)]\n"),
        Some(original.as_str()),
        "{path}: the generated copy is not the runtime's text"
    );
    let link = dir.join(path);
    // From the fixture's file to the runtime's, for a link that works in any clone.
    let depth = link.strip_prefix(xtask::project_root()).unwrap().components().count() - 1;
    let target = PathBuf::from("../".repeat(depth)).join(source.strip_prefix(xtask::project_root()).unwrap());
    let current = std::fs::read_link(&link).ok();
    if current.as_deref() == Some(target.as_path()) {
        return;
    }
    assert!(updating, "{}: should be a link to {} (UPDATE_EXPECT=1 makes it)", link.display(), target.display());
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&target, &link).unwrap();
}

/// The files under `dir`, relative to it, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for path in entries.map(|e| e.unwrap().path()) {
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_generate_the_expected_crates() {
    let specs = crate::support::specs_in("fixtures");
    assert!(specs.len() >= 2, "fixtures are missing");
    let updating = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut crates = Vec::new();
    for spec in specs {
        let files = generated(&spec);
        assert_eq!(files, generated(&spec), "{}: output is not deterministic", spec.display());
        let dir = spec.with_extension("");
        for (path, text) in &files {
            if let Some(source) = runtime_source(path) {
                check_runtime_file(&dir, path, text, &source, updating);
                continue;
            }
            let expected = dir.join(path);
            if updating {
                // expect-test writes the file but not the folders above it.
                std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
            }
            expect_file![expected].assert_eq(text);
        }
        // A file the generator no longer writes would otherwise stay in the expectation.
        let stale: Vec<String> = files_in(&dir).into_iter().filter(|f| !files.iter().any(|(p, _)| p == f)).collect();
        if updating {
            stale.iter().for_each(|f| std::fs::remove_file(dir.join(f)).unwrap());
        } else {
            assert!(
                stale.is_empty(),
                "{}: not generated any more: {stale:?} (UPDATE_EXPECT=1 to remove)",
                dir.display()
            );
        }
        crates.push((dir, files));
    }
    check_compiles(&crates);
}

/// Copies the checked-in crates into one workspace and checks them together, as typify
/// compiles its snapshots: an expected crate that does not compile is a failing test. The
/// workspace stays in the target folder and only changed files are copied, so the
/// dependencies are built once and later runs take seconds.
fn check_compiles(crates: &[(PathBuf, Vec<(String, String)>)]) {
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let mut members = Vec::new();
    for (dir, files) in crates {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        generator::write::sync(&workspace.join(&name), files, false).unwrap_or_else(|e| panic!("{name}: {e}"));
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(workspace.join("Cargo.toml"), manifest).unwrap();
    // The project's lock file pins the versions the generated crates are tested with.
    std::fs::copy(xtask::project_root().join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    let output = project::cargo()
        .args(["check", "--quiet", "--workspace", "--all-targets", "--all-features"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", project::generated_target())
        .output()
        .expect("cannot run cargo");
    // Generated code must not warn (the dependencies' lints are capped by cargo, so every
    // warning is the fixtures'). Not `RUSTFLAGS=-D warnings`: that would rebuild every
    // dependency in the target folder the other generated crates share.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("warning"),
        "the expected crates do not compile (in {}):\n{}",
        workspace.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
