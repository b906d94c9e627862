//! The command-line client of a generated crate the tests depend on, built once.

use std::path::PathBuf;

/// Builds the bin `name` (of a crate this package depends on with its `cli` feature) and
/// returns its path.
///
/// The build asks for the workspace's tests beside the bin, as `cargo test --workspace` (the
/// README's test command) does: cargo then resolves every dependency's features as that run
/// did, so it finds them all built and compiles only the bin. A build of the one package
/// (`-p NAME --features cli`) resolves fewer features (tokio's, reqwest's, …) and compiled the
/// HTTP stack a second time, in every cold run of the suite. The price is paid by a run of
/// client-tests alone (`cargo test -p client-tests`): its first CLI build also builds the other
/// packages' tests, once.
pub fn build(name: &str) -> PathBuf {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let output = project::cargo()
        .args(["build", "--quiet", "--workspace", "--tests", "--bin", name, "--message-format=json"])
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "building the {name} CLI failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        // The bin itself, not a test harness of it (generated manifests have none, but a
        // `--tests` build would list one beside it).
        .filter(|m| m["target"]["name"] == name && m["target"]["kind"][0] == "bin" && m["profile"]["test"] == false)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo reports the executable")
}
