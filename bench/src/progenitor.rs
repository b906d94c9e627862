//! Our generator against `cargo progenitor`, both as command-line tools.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::process::{children_cpu, rust_size};
use crate::stats::{cell, ms, summarize, Summary};
use crate::{Options, Scratch};

pub fn progenitor(options: &Options, binary: &Path, scratch: &Scratch) -> Result<String, String> {
    let spec = options.corpus.join("progenitor-nexus.json");
    let spec_text = spec.display().to_string();
    let iterations = 7;
    let ours = xtask_binary()?;
    let ours_command = |out: &Path| {
        let mut c = Command::new(&ours);
        c.args(["codegen", "--spec", &spec_text, "--out"]).arg(out).args(["--crate-name", "nexus-client"]);
        c
    };
    let theirs_command = |out: &Path| {
        let mut c = Command::new(binary);
        c.args(["progenitor", "-i", &spec_text, "-o"]).arg(out).args(["-n", "nexus-client", "-v", "0.1.0"]);
        c
    };
    let mut ours_runs = Runs::default();
    let mut theirs_runs = Runs::default();
    // Alternate the two tools, so that a change in the machine's load hits both alike.
    for i in 0..=iterations {
        eprintln!("progenitor: run {i} of {iterations} (0 is the warm-up)…");
        ours_runs.run("ours", &ours_command, scratch, i > 0)?;
        theirs_runs.run("progenitor", &theirs_command, scratch, i > 0)?;
    }
    let (ours_time, theirs_time) = (summarize(&ours_runs.wall), summarize(&theirs_runs.wall));
    let (ours_cpu, theirs_cpu) = (summarize(&ours_runs.cpu), summarize(&theirs_runs.cpu));
    let ratio = ms(theirs_time.median) / ms(ours_time.median);
    let cpu_ratio = ms(theirs_cpu.median) / ms(ours_cpu.median).max(f64::MIN_POSITIVE);
    let per_kb = |t: Summary, bytes: u64| ms(t.median) / (bytes as f64 / 1024.0).max(1.0);
    let per_kb_ratio = per_kb(theirs_time, theirs_runs.bytes) / per_kb(ours_time, ours_runs.bytes);
    let verdict = |target: f64| if ratio >= target { "met" } else { "missed" };
    Ok(format!(
        "## Against progenitor\n\n`corpus/progenitor-nexus.json` to a formatted crate on disk, each tool run as its own \
         process ({iterations} runs of each after a warm-up, alternating, into an empty folder each time). Ours: `xtask codegen` \
         (the release binary `{}`); progenitor: `{} progenitor`, which formats with `rustfmt`. *CPU* is the user+system time of the \
         process and its children (10 ms resolution).\n\n\
         | generator | wall, ms median (min) | CPU, ms median | Rust written (KB) | wall ms per KB written |\n|---|---:|---:|---:|---:|\n\
         | ours | {} | {:.0} | {} | {:.3} |\n| progenitor | {} | {:.0} | {} | {:.3} |\n\n\
         Progenitor takes **{ratio:.1}×** as long as ours, wall clock (targets: at least 5×, {}; at least 20×, {}); {cpu_ratio:.1}× in \
         CPU time; {per_kb_ratio:.1}× per KB of Rust written.\n",
        ours.display(),
        binary.display(),
        cell(ours_time),
        ms(ours_cpu.median),
        ours_runs.bytes / 1024,
        per_kb(ours_time, ours_runs.bytes),
        cell(theirs_time),
        ms(theirs_cpu.median),
        theirs_runs.bytes / 1024,
        per_kb(theirs_time, theirs_runs.bytes),
        verdict(5.0),
        verdict(20.0),
    ))
}

/// The xtask binary, built now if needed. It is what users run, so it is what is timed, not a
/// copy of its code in this binary. Built with this binary's profile, it lands beside it.
pub fn xtask_binary() -> Result<PathBuf, String> {
    let profile: &[&str] = if cfg!(debug_assertions) { &[] } else { &["--release"] };
    let status = project::cargo()
        .args(["build", "--quiet", "--package", "xtask"])
        .args(profile)
        .arg("--manifest-path")
        .arg(project::root().join("Cargo.toml"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build -p xtask failed".into());
    }
    let this = std::env::current_exe().map_err(|e| e.to_string())?;
    Ok(this.with_file_name(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}

/// Timed runs of one command-line tool.
#[derive(Default)]
struct Runs {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
    /// Bytes of Rust the last run wrote.
    bytes: u64,
}

impl Runs {
    fn run(
        &mut self,
        label: &str,
        make: &dyn Fn(&Path) -> Command,
        scratch: &Scratch,
        keep: bool,
    ) -> Result<(), String> {
        let out = scratch.fresh(label);
        let mut command = make(&out);
        let cpu_before = children_cpu();
        let start = Instant::now();
        let output = command.output().map_err(|e| format!("{label}: cannot run: {e}"))?;
        let wall = start.elapsed();
        let cpu = children_cpu().saturating_sub(cpu_before);
        if !output.status.success() {
            return Err(format!("{label} failed ({}):\n{}", output.status, String::from_utf8_lossy(&output.stderr)));
        }
        self.bytes = rust_size(&out).1;
        let _ = fs::remove_dir_all(&out);
        if keep {
            self.wall.push(wall);
            self.cpu.push(cpu);
        }
        Ok(())
    }
}
