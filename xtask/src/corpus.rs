//! `cargo xtask corpus`: generate a crate from every spec of a folder, check them all in one
//! Cargo workspace (so dependencies build once), and report a table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use project::specs;

pub struct Options {
    /// The folder of specs (default `../shared/corpus`).
    pub dir: PathBuf,
    /// Where the crates and their workspace go (default `target/corpus`).
    pub out: PathBuf,
    /// Only specs of at most this many bytes.
    pub max_size: Option<u64>,
    /// Write the table here as well as printing it.
    pub report: Option<PathBuf>,
    /// Whether crates are split into cargo features per tag.
    pub features: generator::Split,
    /// Whether to run each crate's tests (the round trips of its document's examples).
    pub tests: bool,
}

#[derive(Debug, Default)]
struct Row {
    spec: String,
    size: u64,
    operations: usize,
    /// The patterns of the paginated operations, one per operation.
    paginated: Vec<&'static str>,
    types: usize,
    millis: f64,
    generator_warnings: usize,
    /// `Some(error)` when generation failed.
    generation_error: Option<String>,
    compile_errors: usize,
    compile_warnings: usize,
    first_problem: Option<String>,
    /// The crate's features, each checked on its own.
    features: Vec<String>,
    /// Those that do not compile on their own.
    features_failing: Vec<String>,
    /// What the crate's tests gave, when run.
    tests: Option<Tests>,
}

/// What a crate's tests gave.
#[derive(Debug, Default, PartialEq)]
struct Tests {
    passed: usize,
    failed: usize,
    /// Whether cargo itself failed beyond failing tests (the tests did not build).
    broken: bool,
}

/// Runs the corpus; returns whether every spec generated and compiled without errors or
/// compiler or clippy warnings, and its tests passed. (Generator warnings, places typed as
/// `serde_json::Value` and examples that contradict their schemas, are reported
/// but allowed: the document asked for something Rust cannot type, or is wrong.)
pub fn run(options: &Options) -> Result<bool, String> {
    project::require_corpus(&options.dir, "--dir")?;
    let specs = specs(&options.dir, options.max_size)?;
    if specs.is_empty() {
        return Err(format!("no specs in {}", options.dir.display()));
    }
    fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let mut rows: Vec<Row> = Vec::new();
    for (name, root, size) in &specs {
        let mut config = generator::Config::new(root);
        config
            .spec_name(root.strip_prefix(&options.dir).unwrap_or(root).display().to_string())
            .crate_name(format!("corpus-{name}"))
            .features(options.features);
        let start = Instant::now();
        let result = config.generate(options.out.join(name));
        let millis = start.elapsed().as_secs_f64() * 1000.0;
        let mut row = Row { spec: name.clone(), size: *size, millis, ..Default::default() };
        match result {
            Ok(generator::Generated { rendered, .. }) => {
                row.operations = rendered.operations;
                row.paginated = rendered.paginated.iter().map(|p| p.pattern).collect();
                row.features = rendered.features;
                row.types = rendered.types;
                row.generator_warnings = rendered.warnings.len();
                row.first_problem = rendered.warnings.first().cloned();
            }
            Err(e) => {
                let text = e.to_string();
                row.first_problem = text.lines().next().map(str::to_string);
                row.generation_error = Some(text);
            }
        }
        eprintln!("generated {name} in {millis:.0} ms");
        rows.push(row);
    }
    let members: Vec<&str> = rows.iter().filter(|r| r.generation_error.is_none()).map(|r| r.spec.as_str()).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
    );
    fs::write(options.out.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The project's lock file pins the same dependency versions the generated crate uses.
    let _ = fs::copy(project::root().join("Cargo.lock"), options.out.join("Cargo.lock"));
    eprintln!("checking {} crates…", members.len());
    let output = project::cargo()
        // clippy checks as `cargo check` does, and its lints count as warnings too: generated
        // code must be clippy-clean, not only warning-free.
        .args(["clippy", "--workspace", "--all-targets", "--all-features", "--message-format=json"])
        .current_dir(&options.out)
        .env("CARGO_TARGET_DIR", project::generated_target())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut by_dir: BTreeMap<String, (usize, usize, Option<String>)> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let manifest = message["manifest_path"].as_str().unwrap_or("");
        let Some(dir) =
            Path::new(manifest).parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().to_string())
        else {
            continue;
        };
        let level = message["message"]["level"].as_str().unwrap_or("");
        let rendered =
            message["message"]["rendered"].as_str().unwrap_or("").lines().take(3).collect::<Vec<_>>().join(" ");
        let entry = by_dir.entry(dir).or_default();
        match level {
            "error" => entry.0 += 1,
            "warning" => entry.1 += 1,
            _ => continue,
        }
        entry.2.get_or_insert(rendered);
    }
    let cargo_failed_alone = !output.status.success() && by_dir.values().all(|(errors, _, _)| *errors == 0);
    for row in &mut rows {
        if let Some((errors, warnings, first)) = by_dir.remove(&row.spec) {
            row.compile_errors = errors;
            row.compile_warnings = warnings;
            if row.first_problem.is_none() {
                row.first_problem = first;
            }
        }
    }
    for row in rows.iter_mut().filter(|r| r.generation_error.is_none() && r.compile_errors == 0) {
        row.features_failing = features_failing(options, row)?;
    }
    if options.tests {
        run_tests(options, &mut rows)?;
    }
    let table = table(&rows);
    println!("{table}");
    if cargo_failed_alone {
        eprintln!("cargo clippy failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    if let Some(report) = &options.report {
        let text = format!(
            "# Corpus results\n\nEvery spec of `../shared/corpus/`, generated with `cargo xtask codegen` and checked with \
             `cargo clippy --all-targets --all-features` (the command-line client included; clippy's lints count as warnings) in one workspace, \
             then tested (`tests/examples/`: the front page's example compiled, the round trip of each of the document's examples that match their schemas). \
             Reproduce with `cargo xtask corpus --report CORPUS.md` (release build: `cargo run --release -p xtask -- corpus`).\n\n{table}\n"
        );
        fs::write(report, text).map_err(|e| format!("{}: {e}", report.display()))?;
    }
    let ok = !cargo_failed_alone
        && rows.iter().all(|r| {
            r.generation_error.is_none()
                && r.compile_errors == 0
                && r.compile_warnings == 0
                && r.features_failing.is_empty()
                && r.tests.as_ref().is_none_or(|t| t.failed == 0 && !t.broken)
        });
    Ok(ok)
}

/// The features of `row`'s crate that do not compile warning-free on their own (all of them
/// together is the workspace check's `--all-features`).
fn features_failing(options: &Options, row: &Row) -> Result<Vec<String>, String> {
    let mut failing = Vec::new();
    for feature in &row.features {
        eprintln!("checking {} with only the feature {feature}…", row.spec);
        let status = project::cargo()
            .args(["clippy", "--quiet", "--all-targets", "--no-default-features", "--features", feature, "--package"])
            .arg(format!("corpus-{}", row.spec))
            .args(["--", "-D", "warnings"])
            .current_dir(&options.out)
            .env("CARGO_TARGET_DIR", project::generated_target())
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            failing.push(feature.clone());
        }
    }
    Ok(failing)
}

/// Runs the tests of every crate that compiled: built in one cargo run, so that the crates
/// compile side by side rather than one `cargo test` after another, then each crate's test
/// binaries run in its folder, as `cargo test` runs them. Should that build fail, each crate is
/// tested on its own, so that the failure is the failing crate's.
fn run_tests(options: &Options, rows: &mut [Row]) -> Result<(), String> {
    let testable = |r: &Row| r.generation_error.is_none() && r.compile_errors == 0;
    let packages: Vec<String> = rows.iter().filter(|r| testable(r)).map(|r| format!("corpus-{}", r.spec)).collect();
    if packages.is_empty() {
        return Ok(());
    }
    eprintln!("building the tests of {} crates…", packages.len());
    let mut command = project::cargo();
    command.args(["test", "--quiet", "--no-run", "--message-format=json"]);
    for package in &packages {
        command.args(["--package", package]);
    }
    let output = command
        .current_dir(&options.out)
        .env("CARGO_TARGET_DIR", project::generated_target())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        eprintln!("the tests did not build together; testing each crate on its own");
        for row in rows.iter_mut().filter(|r| testable(r)) {
            row.tests = Some(test(options, row)?);
        }
        return Ok(());
    }
    // The crate folder of each test binary cargo built.
    let mut binaries: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let (Some(executable), Some(manifest)) = (message["executable"].as_str(), message["manifest_path"].as_str())
        else {
            continue;
        };
        if message["reason"] != "compiler-artifact" || message["profile"]["test"] != true {
            continue;
        }
        let Some(dir) = Path::new(manifest).parent().and_then(|p| p.file_name()) else { continue };
        binaries.entry(dir.to_string_lossy().into_owned()).or_default().push(PathBuf::from(executable));
    }
    for row in rows.iter_mut().filter(|r| testable(r)) {
        eprintln!("testing {}…", row.spec);
        // Every generated crate has a test target (`tests/examples/`): none reported is a
        // crate whose tests did not run, not one that passed.
        let mut tests = Tests { broken: !binaries.contains_key(&row.spec), ..Tests::default() };
        if tests.broken {
            eprintln!("cargo reported no test binary of {}", row.spec);
        }
        for binary in binaries.get(&row.spec).map(Vec::as_slice).unwrap_or_default() {
            let run = std::process::Command::new(binary)
                .current_dir(options.out.join(&row.spec))
                .output()
                .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
            let counts = test_counts(&String::from_utf8_lossy(&run.stdout));
            tests.passed += counts.passed;
            tests.failed += counts.failed;
            tests.broken |= !run.status.success() && counts.failed == 0;
            if !run.status.success() {
                eprintln!("{}", String::from_utf8_lossy(&run.stdout));
                eprintln!("{}", String::from_utf8_lossy(&run.stderr));
            }
        }
        row.tests = Some(tests);
    }
    Ok(())
}

/// Runs `cargo test` in `row`'s crate (its default features: the whole client without the CLI).
fn test(options: &Options, row: &Row) -> Result<Tests, String> {
    eprintln!("testing {}…", row.spec);
    let output = project::cargo()
        .args(["test", "--quiet", "--no-fail-fast", "--package"])
        .arg(format!("corpus-{}", row.spec))
        .current_dir(&options.out)
        .env("CARGO_TARGET_DIR", project::generated_target())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut tests = test_counts(&String::from_utf8_lossy(&output.stdout));
    tests.broken = !output.status.success() && tests.failed == 0;
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stdout));
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(tests)
}

/// The tests passed and failed in the output of `cargo test`, summed over its test binaries.
fn test_counts(stdout: &str) -> Tests {
    let mut tests = Tests::default();
    for line in stdout.lines().filter_map(|l| l.strip_prefix("test result: ")) {
        for part in line.split(['.', ';']) {
            let mut words = part.split_whitespace();
            let (Some(Ok(n)), Some(what)) = (words.next().map(str::parse::<usize>), words.next()) else { continue };
            match what {
                "passed" => tests.passed += n,
                "failed" => tests.failed += n,
                _ => {}
            }
        }
    }
    tests
}

/// `12 (cursor 10, link 2)`, or `0`.
fn paginated(patterns: &[&str]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for pattern in patterns {
        *counts.entry(pattern).or_default() += 1;
    }
    if counts.is_empty() {
        return "0".into();
    }
    let by: Vec<String> = counts.iter().map(|(p, n)| format!("{p} {n}")).collect();
    format!("{} ({})", patterns.len(), by.join(", "))
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | size (KB) | operations | paginated (by pattern) | types | generation (ms) | compiled | compiler and clippy warnings | features compiling alone | tests passed/failed | untyped places and examples left out (generator warnings) | first note |\n|---|---:|---:|---|---:|---:|---|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        let compiled = match (&r.generation_error, r.compile_errors) {
            (Some(_), _) => "not generated".to_string(),
            (None, 0) => "yes".to_string(),
            (None, n) => format!("no ({n} errors)"),
        };
        let problem = r.first_problem.as_deref().unwrap_or("").replace('|', "\\|");
        let problem: String = problem.chars().take(160).collect();
        let features = if r.features.is_empty() {
            "(not split)".to_string()
        } else {
            format!("{}/{}", r.features.len() - r.features_failing.len(), r.features.len())
        };
        let tests = match &r.tests {
            None => "not run".to_string(),
            Some(Tests { broken: true, .. }) => "did not build".to_string(),
            Some(t) => format!("{}/{}", t.passed, t.failed),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {} |",
            r.spec,
            r.size / 1024,
            r.operations,
            paginated(&r.paginated),
            r.types,
            r.millis,
            compiled,
            r.compile_warnings,
            features,
            tests,
            r.generator_warnings,
            problem
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counts_are_summed_over_test_binaries() {
        let stdout = "\nrunning 3 tests\n...\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\n\
                      running 2 tests\n.F\ntest result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
        assert_eq!(test_counts(stdout), Tests { passed: 4, failed: 1, broken: false });
        assert_eq!(test_counts(""), Tests::default());
    }
}
