//! `cargo xtask codegen` as users run it: the drift check, all-or-nothing writes, and a
//! spec change flowing through to a crate that compiles.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::Config;

/// The project's run, as `cargo xtask codegen` does it with no options.
fn project() -> Config {
    let mut config = Config::new(xtask::project_root().join("spec/openapi.yaml"));
    config.spec_name("spec/openapi.yaml");
    config
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("xtask runs")
}

fn mtimes(dir: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        out.push((entry.clone(), fs::metadata(&entry).unwrap().modified().unwrap()));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn generated_crate_is_up_to_date_with_the_spec() {
    let outcome = project().check(xtask::project_root().join("generated")).unwrap_or_else(|e| panic!("{e}")).outcome;
    assert!(
        outcome.is_clean(),
        "generated/ has drifted from spec/openapi.yaml; run `cargo xtask codegen`:\n{}",
        outcome.diff
    );
}

#[test]
fn a_second_run_rewrites_nothing() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("crate");
    let first = project().generate(&out).unwrap().outcome;
    assert!(!first.changed.is_empty());
    let before = mtimes(&out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = project().generate(&out).unwrap().outcome;
    assert!(second.is_clean(), "{second:?}");
    assert_eq!(mtimes(&out), before, "files were rewritten");
}

#[test]
fn check_mode_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("crate");
    let outcome = project().check(&out).unwrap().outcome;
    assert!(!outcome.is_clean());
    assert!(outcome.diff.contains("+pub struct ListAiApiKeysEntry"), "{}", outcome.diff);
    assert!(!out.exists());
}

#[test]
fn a_broken_spec_leaves_the_previous_crate_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    let spec = xtask::project_root().join("spec/openapi.yaml");
    let ok = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let before: Vec<(PathBuf, Vec<u8>)> = walk(&out).into_iter().map(|p| (p.clone(), fs::read(&p).unwrap())).collect();

    let broken = dir.path().join("broken.yaml");
    fs::write(
        &broken,
        fs::read_to_string(&spec).unwrap().replace("#/components/schemas/ai-api-key'", "#/components/schemas/nope'"),
    )
    .unwrap();
    let failed = xtask(&["codegen", "--spec", broken.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("broken.yaml: #/paths/~1ai~1ai-api-key~1{id}/patch/responses/200/content/application~1json/schema/$ref: `$ref` \"#/components/schemas/nope\" does not resolve"), "{stderr}");
    let after: Vec<(PathBuf, Vec<u8>)> = walk(&out).into_iter().map(|p| (p.clone(), fs::read(&p).unwrap())).collect();
    assert_eq!(before, after);
}

/// The README's promise: a spec change makes `--check` fail with a diff naming it, and the
/// regenerated crate has the new field and compiles.
#[test]
fn a_spec_change_shows_in_check_and_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("openapi.yaml");
    let original = fs::read_to_string(xtask::project_root().join("spec/openapi.yaml")).unwrap();
    let anchor =
        "    list-ai-api-keys-entry:\n      type: object\n      description: AI API key list entry\n      required:\n";
    assert!(original.contains(anchor));
    let changed = original.replacen(
        "        created-at:\n          type: string\n          format: date-time\n          description: Creation timestamp\n    list-ai-api-keys-response:",
        "        created-at:\n          type: string\n          format: date-time\n          description: Creation timestamp\n        last-used-at:\n          type: string\n          format: date-time\n          description: When the key was last used\n    list-ai-api-keys-response:",
        1,
    );
    assert_ne!(changed, original, "the spec's layout changed; update this test");
    fs::write(&spec, changed).unwrap();
    let generated = xtask::project_root().join("generated");
    let check = xtask(&[
        "codegen",
        "--check",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        generated.to_str().unwrap(),
        "--crate-name",
        "exoscale-api",
    ]);
    assert_eq!(check.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&check.stdout);
    assert!(diff.contains("+    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,"), "{diff}");

    let out = dir.path().join("crate");
    let write = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "exoscale-api",
    ]);
    assert!(write.status.success(), "{}", String::from_utf8_lossy(&write.stderr));
    // Same dependency versions as the workspace, and its target folder, so this is quick.
    fs::copy(xtask::project_root().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    fs::write(out.join("Cargo.toml"), fs::read_to_string(out.join("Cargo.toml")).unwrap() + "\n[workspace]\n").unwrap();
    let build = crate::support::check(&out.join("Cargo.toml"), None);
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
}

#[test]
fn files_it_did_not_write_are_neither_overwritten_nor_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    let spec = xtask::project_root().join("spec/openapi.yaml");
    let codegen = |out: &Path| xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);

    // A generated crate nested in the output folder, and a hand-written file under src/.
    assert!(codegen(&out).status.success());
    assert!(codegen(&out.join("nested")).status.success());
    fs::write(out.join("src/notes.rs"), "// mine\n").unwrap();
    fs::remove_file(out.join("src/auth.rs")).unwrap();
    assert!(codegen(&out).status.success());
    assert!(out.join("src/auth.rs").exists());
    assert!(out.join("nested/src/lib.rs").exists(), "a nested crate was removed");
    assert_eq!(fs::read_to_string(out.join("src/notes.rs")).unwrap(), "// mine\n");

    // A hand-written manifest where the crate's would go.
    let other = dir.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    let refused = codegen(&other);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not empty (Cargo.toml is there)"));
    assert_eq!(fs::read_to_string(other.join("Cargo.toml")).unwrap(), "[package]\nname = \"mine\"\n");
    assert!(!other.join("src").exists());
}

/// A name Cargo would refuse, or that the generated code could not use, is refused before the
/// spec is read: a clear message, exit status 1, nothing written.
#[test]
fn an_invalid_crate_name_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    let spec = xtask::project_root().join("spec/openapi.yaml");
    for (name, why) in [
        ("a.v1.0", "not '.'"),
        ("", "cannot be empty"),
        ("9lives", "not '9'"),
        ("fn", "keyword"),
        ("serde", "crate the generated code uses"),
    ] {
        let run =
            xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--crate-name", name]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{name:?}: {stderr}");
        assert!(stderr.contains(&format!("{name:?} cannot be the crate's name")) && stderr.contains(why), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "{name:?}: something was written");
    }
    // Even with a spec that does not exist: the name is checked first.
    let run = xtask(&["codegen", "--spec", "/nonexistent.yaml", "--out", out.to_str().unwrap(), "--crate-name", "a b"]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot be the crate's name"));
}

/// `--check | head` closes the pipe early; that must not turn a stale crate into a panic.
#[test]
fn a_closed_stdout_does_not_panic_the_check() {
    use std::io::Read as _;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let spec = xtask::project_root().join("spec/openapi.yaml");
    let out = dir.path().join("crate");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing and close the pipe, as `head -0` would.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is stale") && !stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_output_that_is_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    fs::write(&file, "mine").unwrap();
    let spec = xtask::project_root().join("spec/openapi.yaml");
    let run = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", file.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("the output must be a folder"));
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

/// The corpus is beside the repository, not in it: without it the command says where it
/// looked and fails.
#[test]
fn a_missing_corpus_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-corpus");
    let run = xtask(&["corpus", "--dir", missing.to_str().unwrap(), "--out", dir.path().join("out").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("the corpus folder {} does not exist", missing.display())), "{stderr}");
    assert!(stderr.contains("--dir"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}
