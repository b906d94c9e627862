//! `cargo xtask conformance` runs this: see the library's documentation.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Judge generated clients against Prism in dynamic mode, every operation of every spec.
#[derive(Parser)]
#[command(name = "cargo xtask conformance", bin_name = "cargo xtask conformance")]
struct Cli {
    /// A folder of specs, as `cargo xtask corpus` reads it (repeatable; default:
    /// ../shared/corpus, unless --spec is given).
    #[arg(long, value_name = "DIR")]
    dir: Vec<PathBuf>,
    /// A spec to judge (repeatable); with --dir, in addition to the folder's.
    #[arg(long, value_name = "PATH")]
    spec: Vec<PathBuf>,
    /// Only the folder's specs of at most this many bytes.
    #[arg(long, value_name = "BYTES")]
    max_size: Option<u64>,
    /// Where the crates, their builds and the logs go.
    #[arg(long, value_name = "DIR", default_value = "target/conformance")]
    out: PathBuf,
    /// Also write the tables, with how they were made, to this file (CONFORMANCE.md).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("error: the client failed some calls (see the table)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<bool, String> {
    let root = project::root();
    let mut specs = Vec::new();
    let mut dirs: Vec<PathBuf> = cli.dir.iter().map(|d| root.join(d)).collect();
    if dirs.is_empty() && cli.spec.is_empty() {
        dirs.push(root.join("../shared/corpus"));
    }
    for dir in &dirs {
        project::require_corpus(dir, "--dir")?;
        for (name, path, _) in project::specs(dir, cli.max_size)? {
            if specs.iter().any(|(n, _)| *n == name) {
                return Err(format!("{}: a spec named {name} is already judged", path.display()));
            }
            specs.push((name, path));
        }
    }
    for spec in &cli.spec {
        let path = std::env::current_dir().map_err(|e| e.to_string())?.join(spec);
        if !path.is_file() {
            return Err(format!("--spec {}: no such file", spec.display()));
        }
        let name = path.file_stem().unwrap_or_default().to_string_lossy().replace('.', "-");
        if specs.iter().any(|(n, _)| *n == name) {
            return Err(format!("--spec {}: a spec named {name} is already judged", spec.display()));
        }
        specs.push((name, path));
    }
    let options = conformance::Options { specs, out: root.join(cli.out), report: cli.report.map(|r| root.join(r)) };
    conformance::run(&options)
}
