//! `cargo xtask conformance`: every operation of a spec called through its generated CLI
//! against Prism in dynamic mode, behind a recording proxy, and judged:
//! - `ok`: a 2xx decoded, and printed as it came over the wire (else it is `lossy`);
//! - `decode-failure`: a 2xx the client could not decode, the client's fault unless Prism's
//!   body is invalid against the schema;
//! - `request-rejected`: Prism found an error in the request, the client's fault unless the
//!   value meant for that place was itself invalid;
//! - `not-sent`: the client gave up before sending;
//! - `server`: Prism answered something else (it could not make a response);
//! - `skipped`, `crash`, `timeout`.
//!
//! Then every documented error status, asked of Prism with `Prefer: code=NNN`, must decode
//! into its typed error.

pub mod call;
pub mod fidelity;
pub mod judge;
pub mod prism;
pub mod proxy;
pub mod report;
pub mod schema;
pub mod synth;

use std::fs;
use std::path::{Path, PathBuf};

pub use report::{Row, SpecReport};

pub struct Options {
    /// The specs, by the name of their crate and their root file.
    pub specs: Vec<(String, PathBuf)>,
    /// Where the crates, their workspace and the logs go.
    pub out: PathBuf,
    /// Write the tables here as well as printing them.
    pub report: Option<PathBuf>,
}

/// Runs the suite; returns whether no spec showed a failure of the client's.
pub fn run(options: &Options) -> Result<bool, String> {
    let root = project::root();
    fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let mut generated = Vec::new();
    let mut reports = Vec::new();
    for (name, spec) in &options.specs {
        let crate_name = format!("conformance-{name}");
        let generated_crate = generator::Config::new(spec)
            .spec_name(spec.display().to_string())
            .crate_name(crate_name.clone())
            .generate(options.out.join(name));
        match generated_crate {
            Ok(_) => generated.push((name.clone(), spec.clone(), crate_name)),
            Err(e) => reports.push(SpecReport::failed(name, format!("not generated: {}", first_line(&e.to_string())))),
        }
    }
    build(&options.out, &generated)?;
    for (name, spec, crate_name) in &generated {
        eprintln!("conformance: {name}");
        let report = match judge::spec(&root, &options.out, name, spec, crate_name) {
            Ok(report) => report,
            Err(e) => SpecReport::failed(name, e),
        };
        eprintln!("{}", report.summary());
        reports.push(report);
    }
    reports.sort_by(|a, b| a.spec.cmp(&b.spec));
    let text = report::markdown(&reports);
    println!("{text}");
    if let Some(path) = &options.report {
        fs::write(path, report::document(&text)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(reports.iter().all(SpecReport::is_clean))
}

/// Builds every crate's CLI, in one workspace so that dependencies build once. A debug build,
/// as a user's `cargo run` would be.
fn build(out: &Path, crates: &[(String, PathBuf, String)]) -> Result<(), String> {
    let members = crates.iter().map(|(name, _, _)| format!("\"{name}\"")).collect::<Vec<_>>().join(", ");
    let manifest =
        format!("# Written by `cargo xtask conformance`.\n[workspace]\nresolver = \"2\"\nmembers = [{members}]\n");
    fs::write(out.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The project's lock file pins the versions the generated crates use.
    let _ = fs::copy(project::root().join("Cargo.lock"), out.join("Cargo.lock"));
    eprintln!("conformance: building {} command-line clients…", crates.len());
    let status = project::cargo()
        .args(["build", "--workspace", "--bins", "--all-features", "--keep-going", "--quiet"])
        .current_dir(out)
        .env("CARGO_TARGET_DIR", project::generated_target())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        // The crates that built are still judged; the others are reported as not built.
        eprintln!("conformance: some crates did not build (cargo's messages are above)");
    }
    Ok(())
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}
