//! `cargo check` and `cargo build --release` of the crate generated from the largest spec.

use std::fs;
use std::time::{Duration, Instant, SystemTime};

use generator::Config;

use crate::process::{children_cpu, rust_size};
use crate::stages::LARGE_SPECS;
use crate::Options;

pub fn compile(options: &Options) -> Result<String, String> {
    let spec = options.corpus.join(LARGE_SPECS[0]);
    let dir = &options.compile_dir;
    let target = dir.with_file_name(format!("{}-target", dir.file_name().unwrap_or_default().to_string_lossy()));
    eprintln!("compile: generating {}", dir.display());
    let rendered = Config::new(&spec)
        .spec_name(spec.display().to_string())
        .crate_name("corpus-openai")
        .generate(dir)
        .map_err(|e| e.to_string())?
        .rendered;
    let manifest = dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    fs::copy(project::root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let (lines, bytes) = rust_size(&dir.join("src"));
    // Wall clock and CPU time (user + system, of cargo and the compilers it ran).
    let step = |args: &[&str]| -> Result<(Duration, Duration), String> {
        eprintln!("compile: cargo {}", args.join(" "));
        let cpu_before = children_cpu();
        let start = Instant::now();
        let status = project::cargo()
            .args(args)
            .arg("--quiet")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let elapsed = start.elapsed();
        if !status.success() {
            return Err(format!("cargo {} failed in {}", args.join(" "), dir.display()));
        }
        Ok((elapsed, children_cpu().saturating_sub(cpu_before)))
    };
    let touch = || -> Result<(), String> {
        let lib = dir.join("src/lib.rs");
        fs::File::options()
            .append(true)
            .open(&lib)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .map_err(|e| format!("{}: {e}", lib.display()))
    };
    let check_cold = step(&["check"])?;
    touch()?;
    let check = step(&["check"])?;
    let build_cold = step(&["build", "--release"])?;
    touch()?;
    let build = step(&["build", "--release"])?;
    let secs = |(wall, cpu): (Duration, Duration)| format!("{:.1} | {:.1}", wall.as_secs_f64(), cpu.as_secs_f64());
    Ok(format!(
        "## Compile time of the largest generated crate\n\n`corpus/openai.yaml` ({} operations, {} types) generated into `{}` \
         ({lines} lines, {} KB of Rust in `src/`), built on its own with the project's \
         `Cargo.lock` and target folder `{}`. *Crate only*: after its dependencies are built, `src/lib.rs` touched and \
         the command run again; *with dependencies*: the first run on an empty target folder (or whatever it already \
         held).\n\n\
         Seconds, wall clock and CPU (user + system of cargo and the compilers it ran).\n\n\
         | command | crate only, wall | crate only, CPU | with dependencies, wall | with dependencies, CPU |\n|---|---:|---:|---:|---:|\n\
         | `cargo check` | {} | {} |\n| `cargo build --release` | {} | {} |\n",
        rendered.operations,
        rendered.types,
        dir.display(),
        bytes / 1024,
        target.display(),
        secs(check),
        secs(check_cold),
        secs(build),
        secs(build_cold),
    ))
}
