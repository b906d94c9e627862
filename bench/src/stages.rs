//! Per-stage timings of the generator, as `cargo xtask codegen` runs it.

use std::fmt::Write as _;
use std::fs;
use std::time::{Duration, Instant};

use generator::render::Timings;
use generator::Config;

use crate::stats::{cell, summarize, Summary};
use crate::{Options, Scratch};

/// The corpus specs measured besides the project's own, largest first.
pub const LARGE_SPECS: &[&str] =
    &["openai.yaml", "hetzner-cloud.json", "discord.json", "linode.yaml", "progenitor-nexus.json"];

/// One timed run: the generator's stages and the whole run including writing.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// As `Config::render` reports them: read+parse and lower are wall time; emit and
    /// format run file by file on several threads and are summed over the files (CPU time).
    pub stages: Timings,
    /// `Config::render`: everything but writing, wall time.
    pub render: Duration,
    /// Writing the files into an empty folder, wall time.
    pub write: Duration,
}

impl Sample {
    /// Render and write: what `cargo xtask codegen` does.
    pub fn whole(&self) -> Duration {
        self.render + self.write
    }

    /// Emitting and formatting, wall time: the render less reading and lowering.
    pub fn emit_format(&self) -> Duration {
        self.render.saturating_sub(self.stages.parse + self.stages.lower)
    }
}

pub struct Measured {
    pub operations: usize,
    pub types: usize,
    pub samples: Vec<Sample>,
}

impl Measured {
    pub fn stage(&self, f: impl Fn(&Sample) -> Duration) -> Summary {
        summarize(&self.samples.iter().map(f).collect::<Vec<_>>())
    }
}

/// Runs `config` `iterations` times (after one warm-up), each into an empty folder.
pub fn measure(config: &Config, iterations: usize, scratch: &Scratch) -> Result<Measured, String> {
    let mut samples = Vec::new();
    let mut counts = (0, 0);
    for i in 0..=iterations {
        let out = scratch.fresh("out");
        // `Config::generate`, in its two steps.
        let start = Instant::now();
        let rendered = config.render().map_err(|e| format!("{}: {e}", config.spec_label()))?;
        let rendered_at = Instant::now();
        generator::write::sync(&out, &rendered.files, false)?;
        let write = rendered_at.elapsed();
        let render = rendered_at - start;
        let _ = fs::remove_dir_all(&out);
        counts = (rendered.operations, rendered.types);
        if i > 0 {
            samples.push(Sample { stages: rendered.timings, render, write });
        }
    }
    Ok(Measured { operations: counts.0, types: counts.1, samples })
}

fn iterations_for(size: u64) -> usize {
    if size < 100 * 1024 {
        10
    } else {
        5
    }
}

pub fn stages(options: &Options, scratch: &Scratch) -> Result<String, String> {
    let root = project::root();
    let mut specs = vec![(root.join("spec/openapi.yaml"), "spec/openapi.yaml".to_string())];
    specs.extend(LARGE_SPECS.iter().map(|name| (options.corpus.join(name), format!("corpus/{name}"))));
    let mut out = String::from(
        "## Generation, stage by stage\n\n\
         Milliseconds, median (min) of the runs after one warm-up. *read+parse*: read the file, \
         YAML/JSON to value, normalise, typed OpenAPI model; *lower*: build the model; \
         *emit+format*: token streams and `prettyplease`, file by file on every core, wall time; \
         *emit CPU* and *format CPU*: the same two steps summed over the files (CPU time, so with \
         several cores their sum exceeds the wall time); *write*: files to an empty folder; \
         *whole*: all of it, as `cargo xtask codegen` does it.\n\n\
         | spec | KB | ops | types | runs | read+parse | lower | emit+format | emit CPU | format CPU | write | whole |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (spec, name) in specs {
        let size = fs::metadata(&spec).map_err(|e| format!("{}: {e}", spec.display()))?.len();
        let iterations = iterations_for(size);
        eprintln!("stages: {name} ({} KB), {iterations} runs…", size / 1024);
        let mut config = Config::new(&spec);
        config.spec_name(name.clone()).crate_name("bench");
        let m = measure(&config, iterations, scratch)?;
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {iterations} | {} | {} | {} | {} | {} | {} | {} |",
            size / 1024,
            m.operations,
            m.types,
            cell(m.stage(|s| s.stages.parse)),
            cell(m.stage(|s| s.stages.lower)),
            cell(m.stage(Sample::emit_format)),
            cell(m.stage(|s| s.stages.emit)),
            cell(m.stage(|s| s.stages.format)),
            cell(m.stage(|s| s.write)),
            cell(m.stage(Sample::whole)),
        );
    }
    Ok(out)
}
