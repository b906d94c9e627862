//! Shared by the expectation tests: the specs of a test folder.

use std::path::{Path, PathBuf};

/// The `.yaml` and `.json` files directly in `tests/<folder>`, sorted.
pub fn specs_in(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(folder);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    specs
}

/// `cargo check` of the package at `manifest` (a generated crate, or a dependent of the
/// generated crate `dependency`) in the target folder the generated crates share, with all its
/// targets and every feature of the generated crate on. Every check of the suite asks for the
/// same features of tokio, hyper, reqwest and the rest, which are then checked once rather than
/// once per set of features (a crate's default features and all of them differ in tokio's).
pub fn check(manifest: &Path, dependency: Option<&str>) -> std::process::Output {
    let mut command = project::cargo();
    command.args(["check", "--quiet", "--offline", "--all-targets", "--all-features", "--manifest-path"]).arg(manifest);
    if let Some(name) = dependency {
        command.arg("--features").arg(format!("{name}/blocking,{name}/cli,{name}/mock"));
    }
    command.env("CARGO_TARGET_DIR", project::generated_target()).output().expect("cargo runs")
}

/// Writes a crate `dependent` beside the generated crate `pets` in `dir`, with `lib` as its
/// library and the project's lock file (so nothing is fetched), and returns its manifest.
pub fn dependent(dir: &Path, lib: &str) -> std::path::PathBuf {
    let dependent = dir.join("dependent");
    std::fs::create_dir_all(dependent.join("src")).unwrap();
    std::fs::write(
        dependent.join("Cargo.toml"),
        "[package]\nname = \"dependent\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\npets = { path = \"../pets\" }\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(dependent.join("src/lib.rs"), lib).unwrap();
    std::fs::copy(xtask::project_root().join("Cargo.lock"), dependent.join("Cargo.lock")).unwrap();
    dependent.join("Cargo.toml")
}
