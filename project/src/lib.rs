//! Where the project's files are, for its tools (`xtask`, `bench`, `conformance`): the
//! workspace root and the corpus of real-world specs beside it. A crate of its own so that
//! the tools share it without depending on each other.

use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root (the folder holding `spec/`, `generated/`, …).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("project/ lives one level below the root").to_path_buf()
}

/// Fails with a message naming `path` (and the option `flag` that sets it) when it is not a
/// folder. The corpus lives beside the repository (`../shared/corpus`), so a fresh clone does
/// not have it: say so up front instead of failing later on a file inside it.
pub fn require_corpus(path: &Path, flag: &str) -> Result<(), String> {
    if path.is_dir() {
        return Ok(());
    }
    Err(format!(
        "the corpus folder {} does not exist: it is `../shared/corpus` beside the repository by default, \
         which a fresh clone does not have; pass {flag} DIR to name one",
        path.display()
    ))
}

/// The peak resident memory of this process so far (`VmHWM`), in kB; Linux only.
pub fn peak_memory_kb() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A spec of the corpus: a file, or a folder holding a multi-file spec's root.
pub fn specs(dir: &Path, max_size: Option<u64>) -> Result<Vec<(String, PathBuf, u64)>, String> {
    let mut out = Vec::new();
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let root = if path.is_dir() {
            ["openapi3.yaml", "openapi.yaml", "openapi.json"].iter().map(|n| path.join(n)).find(|p| p.exists())
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
            Some(path.clone())
        } else {
            None
        };
        let Some(root) = root else { continue };
        let size = if path.is_dir() { dir_size(&path) } else { fs::metadata(&root).map(|m| m.len()).unwrap_or(0) };
        if max_size.is_some_and(|max| size > max) {
            continue;
        }
        let name = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        out.push((name, root, size));
    }
    out.sort();
    Ok(out)
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(
                    |e| {
                        if e.path().is_dir() {
                            dir_size(&e.path())
                        } else {
                            e.metadata().map(|m| m.len()).unwrap_or(0)
                        }
                    },
                )
                .sum()
        })
        .unwrap_or(0)
}

/// The one target folder of every crate the tools and tests generate and build (fixtures,
/// dependents, the corpus, the conformance clients): `generated/` inside the workspace's target
/// folder (`CARGO_TARGET_DIR`, else `target/`). Their dependencies (reqwest, tokio, clap, …) are
/// the same, so one folder builds them once.
pub fn generated_target() -> PathBuf {
    target().join("generated")
}

/// The workspace's target folder: `CARGO_TARGET_DIR`, else `target/`.
pub fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

/// A `cargo` command for a build inside a tool or a test: the cargo that runs this process
/// (`CARGO`), else the one on the `PATH`, without the variables cargo sets for the package it
/// runs (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, `OUT_DIR`, …).
///
/// Those variables are the running package's, not the build's, and build scripts may watch
/// them: ring's reruns when `CARGO_MANIFEST_DIR` or `CARGO_PKG_NAME` changes, and with it
/// rustls, reqwest and every generated crate are compiled again. A build started from a test
/// of `client-tests` and then one from `cargo xtask corpus` saw different values, and each
/// rebuilt the HTTP stack of the target folder they share.
pub fn cargo() -> std::process::Command {
    let mut command = std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let the_package_s = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_EXE_"].iter().any(|p| name.starts_with(p))
            || ["CARGO_CRATE_NAME", "CARGO_BIN_NAME", "CARGO_PRIMARY_PACKAGE", "CARGO_TARGET_TMPDIR", "OUT_DIR"]
                .contains(&name);
        if the_package_s {
            command.env_remove(name);
        }
    }
    command
}
