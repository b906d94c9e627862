//! `cargo xtask bench`: how fast the generator is, stage by stage, on the project's spec and
//! the largest specs of the corpus; how its time grows with the size of a document; how it
//! compares with progenitor; and how long the largest generated crate takes to compile.
//!
//! A crate of its own, so that `cargo xtask codegen` does not build the chart library. Run it
//! in a release build, which is what the figures mean (`cargo xtask bench` does):
//!
//! ```sh
//! cargo run --release -p bench -- [--progenitor PATH] [--compile] [--report FILE]
//! ```
//!
//! Every figure is the median (and the minimum) of repeated runs, after one discarded warm-up.

mod chart;
mod compile;
mod compile_progenitor;
mod process;
mod progenitor;
mod scaling;
mod stages;
mod stats;

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use clap::Parser;

// The generator is timed in this process: with the allocator of `cargo xtask codegen`, which
// changes its time by half.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What `cargo xtask bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    /// Per-stage times on the project's spec and the largest corpus specs.
    Stages,
    /// Whole generation time of a document repeated 1× to 16×.
    Scaling,
    /// Our generator against `cargo progenitor`, both as command-line tools.
    Progenitor,
    /// `cargo check` and `cargo build --release` of the crate generated from the largest spec.
    Compile,
    /// `cargo check` and `cargo build` of the nexus crate from each generator, side by side.
    CompileProgenitor,
}

impl Section {
    fn parse(text: &str) -> Result<Self, String> {
        match text {
            "stages" => Ok(Section::Stages),
            "scaling" => Ok(Section::Scaling),
            "progenitor" => Ok(Section::Progenitor),
            "compile" => Ok(Section::Compile),
            "compile-progenitor" => Ok(Section::CompileProgenitor),
            other => {
                Err(format!("unknown section {other:?} (stages, scaling, progenitor, compile, compile-progenitor)"))
            }
        }
    }
}

/// `cargo xtask bench`'s arguments.
#[derive(Parser, Debug)]
#[command(name = "cargo xtask bench", bin_name = "cargo xtask bench", about = "Benchmarks of the generator")]
struct Args {
    /// The `cargo-progenitor` binary: when given, progenitor is timed against this generator.
    #[arg(long, value_name = "PATH")]
    progenitor: Option<PathBuf>,
    /// Also time `cargo check` and `cargo build --release` of the crate generated from
    /// openai.yaml (slow: builds its dependencies too).
    #[arg(long)]
    compile: bool,
    /// Run only this section (stages, scaling, progenitor, compile, compile-progenitor); may be
    /// repeated.
    #[arg(long, value_name = "SECTION", value_parser = Section::parse)]
    only: Vec<Section>,
    /// The corpus folder.
    #[arg(long, value_name = "DIR", default_value = "../shared/corpus")]
    corpus: PathBuf,
    /// The document the scaling benchmark repeats.
    #[arg(long, value_name = "PATH", default_value = "../shared/corpus/progenitor-nexus.json")]
    scaling_spec: PathBuf,
    /// Repeat the scaling document only this many times (may be repeated; default 1, 2, 4, …,
    /// 128).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    factor: Vec<u16>,
    /// Where the scaling chart is drawn.
    #[arg(long, value_name = "PATH", default_value = "benchmarks/scaling.svg")]
    svg: PathBuf,
    /// Where the crate of the compile-time benchmark is generated (its target folder is
    /// beside it, `<DIR>-target`).
    #[arg(long, value_name = "DIR", default_value = "/tmp/bench-openai")]
    compile_dir: PathBuf,
    /// Also write the report (Markdown) to this file.
    #[arg(long, value_name = "PATH")]
    report: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = project::root();
    let sections = if args.only.is_empty() {
        let mut sections = vec![Section::Stages, Section::Scaling];
        if args.progenitor.is_some() {
            sections.push(Section::Progenitor);
            sections.push(Section::CompileProgenitor);
        }
        if args.compile {
            sections.push(Section::Compile);
        }
        sections
    } else {
        args.only
    };
    let options = Options {
        corpus: root.join(args.corpus),
        sections,
        progenitor: args.progenitor,
        scaling_spec: root.join(args.scaling_spec),
        factors: if args.factor.is_empty() {
            scaling::FACTORS.to_vec()
        } else {
            let mut factors: Vec<usize> = args.factor.iter().map(|&f| usize::from(f)).collect();
            factors.sort_unstable();
            factors.dedup();
            factors
        },
        svg: root.join(args.svg),
        compile_dir: root.join(args.compile_dir),
        report: args.report.map(|r| root.join(r)),
    };
    match run(&options) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    /// The corpus folder (`../shared/corpus`).
    corpus: PathBuf,
    /// The sections to run.
    sections: Vec<Section>,
    /// The `cargo-progenitor` binary, for the comparison.
    progenitor: Option<PathBuf>,
    /// The document the scaling benchmark repeats.
    scaling_spec: PathBuf,
    /// How many times the scaling benchmark repeats it, in increasing order.
    factors: Vec<usize>,
    /// Where the scaling chart goes.
    svg: PathBuf,
    /// Where the crate of the compile-time benchmark goes (its target folder is beside it).
    compile_dir: PathBuf,
    /// Also write the report (Markdown) here.
    report: Option<PathBuf>,
}

/// Runs the benchmarks, printing each table as it is done; returns the whole report.
fn run(options: &Options) -> Result<String, String> {
    project::require_corpus(&options.corpus, "--corpus")?;
    let mut report = String::new();
    if cfg!(debug_assertions) {
        let warning = "warning: this benchmark was built without optimisations, so these figures say little; \
                       run `cargo xtask bench`";
        eprintln!("{warning}");
        let _ = writeln!(report, "> {warning}\n");
    }
    let scratch = Scratch::new()?;
    let mut emit = |text: String| {
        println!("{text}");
        report.push_str(&text);
        report.push('\n');
    };
    emit(machine());
    for section in &options.sections {
        let text = match section {
            Section::Stages => stages::stages(options, &scratch)?,
            Section::Scaling => scaling::scaling(options, &scratch)?,
            Section::Progenitor => match &options.progenitor {
                Some(binary) => progenitor::progenitor(options, binary, &scratch)?,
                None => "## Progenitor\n\nSkipped: pass `--progenitor PATH` (the `cargo-progenitor` binary).\n".into(),
            },
            Section::Compile => compile::compile(options)?,
            Section::CompileProgenitor => match &options.progenitor {
                Some(binary) => compile_progenitor::compile_progenitor(options, binary, &scratch)?,
                None => "## Compile time against progenitor\n\nSkipped: pass `--progenitor PATH`.\n".into(),
            },
        };
        emit(text);
    }
    if let Some(path) = &options.report {
        fs::write(path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(report)
}

/// A temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Scratch(dir))
    }

    /// A path in the folder that does not exist yet.
    fn fresh(&self, name: &str) -> PathBuf {
        let path = self.0.join(name);
        let _ = fs::remove_dir_all(&path);
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The machine and build the figures were taken on, as a Markdown table.
fn machine() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, m)| m.trim().to_string()))
        .unwrap_or_else(|| "unknown".into());
    let memory = fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:").map(|r| r.trim().to_string()))
        .and_then(|kb| kb.trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map(|kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0))
        .unwrap_or_else(|| "unknown".into());
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let profile = if cfg!(debug_assertions) { "debug (unoptimised!)" } else { "release" };
    format!(
        "## Machine\n\n| | |\n|---|---|\n| CPUs (available parallelism) | {cpus} |\n| CPU model | {model} |\n| memory | {memory} |\n| compiler | {rustc} |\n| bench build | {profile} |\n"
    )
}
