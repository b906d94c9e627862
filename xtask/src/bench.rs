//! `cargo xtask bench`: how fast the generator is, stage by stage, on the project's spec and
//! the largest specs of the corpus; how its time grows with the size of a document; how it
//! compares with progenitor; and how long the largest generated crate takes to compile.
//!
//! Run it in a release build, which is what the figures mean:
//!
//! ```sh
//! cargo run --release -p xtask -- bench [--progenitor PATH] [--compile] [--report FILE]
//! ```
//!
//! Every figure is the median (and the minimum) of repeated runs, after one discarded warm-up.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Map, Value};

use crate::codegen::{self, Job, Timings};

/// What `cargo xtask bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Per-stage times on the project's spec and the largest corpus specs.
    Stages,
    /// Whole generation time of a document repeated 1× to 16×.
    Scaling,
    /// Our generator against `cargo progenitor`, both as command-line tools.
    Progenitor,
    /// `cargo check` and `cargo build --release` of the crate generated from the largest spec.
    Compile,
}

impl Section {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "stages" => Ok(Section::Stages),
            "scaling" => Ok(Section::Scaling),
            "progenitor" => Ok(Section::Progenitor),
            "compile" => Ok(Section::Compile),
            other => Err(format!("unknown section {other:?} (stages, scaling, progenitor, compile)")),
        }
    }
}

/// `cargo xtask bench`'s arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The `cargo-progenitor` binary: when given, progenitor is timed against this generator.
    #[arg(long, value_name = "PATH")]
    pub progenitor: Option<PathBuf>,
    /// Also time `cargo check` and `cargo build --release` of the crate generated from
    /// openai.yaml (slow: builds its dependencies too).
    #[arg(long)]
    pub compile: bool,
    /// Run only this section (stages, scaling, progenitor, compile); may be repeated.
    #[arg(long, value_name = "SECTION", value_parser = Section::parse)]
    pub only: Vec<Section>,
    /// The corpus folder.
    #[arg(long, value_name = "DIR", default_value = "../shared/corpus")]
    pub corpus: PathBuf,
    /// The document the scaling benchmark repeats.
    #[arg(long, value_name = "PATH", default_value = "../shared/corpus/progenitor-nexus.json")]
    pub scaling_spec: PathBuf,
    /// Where the scaling chart is drawn.
    #[arg(long, value_name = "PATH", default_value = "benchmarks/scaling.svg")]
    pub svg: PathBuf,
    /// Where the crate of the compile-time benchmark is generated (its target folder is
    /// beside it, `<DIR>-target`).
    #[arg(long, value_name = "DIR", default_value = "/tmp/bench-openai")]
    pub compile_dir: PathBuf,
    /// Also write the report (Markdown) to this file.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
}

/// Runs `cargo xtask bench`.
pub fn main(args: Args) -> std::process::ExitCode {
    let root = crate::project_root();
    let sections = if args.only.is_empty() {
        let mut sections = vec![Section::Stages, Section::Scaling];
        if args.progenitor.is_some() {
            sections.push(Section::Progenitor);
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
        svg: root.join(args.svg),
        compile_dir: root.join(args.compile_dir),
        report: args.report.map(|r| root.join(r)),
    };
    match run(&options) {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub struct Options {
    /// The corpus folder (`../shared/corpus`).
    pub corpus: PathBuf,
    /// The sections to run.
    pub sections: Vec<Section>,
    /// The `cargo-progenitor` binary, for the comparison.
    pub progenitor: Option<PathBuf>,
    /// The document the scaling benchmark repeats.
    pub scaling_spec: PathBuf,
    /// Where the scaling chart goes.
    pub svg: PathBuf,
    /// Where the crate of the compile-time benchmark goes (its target folder is beside it).
    pub compile_dir: PathBuf,
    /// Also write the report (Markdown) here.
    pub report: Option<PathBuf>,
}

/// The corpus specs measured besides the project's own, largest first.
pub const LARGE_SPECS: &[&str] =
    &["openai.yaml", "hetzner-cloud.json", "discord.json", "linode.yaml", "progenitor-nexus.json"];

/// The factors of the scaling benchmark.
pub const FACTORS: &[usize] = &[1, 2, 4, 8, 16];

/// Runs the benchmarks, printing each table as it is done; returns the whole report.
pub fn run(options: &Options) -> Result<String, String> {
    crate::require_corpus(&options.corpus, "--corpus")?;
    let mut report = String::new();
    if cfg!(debug_assertions) {
        let warning = "warning: this xtask was built without optimisations, so these figures say little; \
                       run `cargo run --release -p xtask -- bench`";
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
            Section::Stages => stages(options, &scratch)?,
            Section::Scaling => scaling(options, &scratch)?,
            Section::Progenitor => match &options.progenitor {
                Some(binary) => progenitor(options, binary, &scratch)?,
                None => "## Progenitor\n\nSkipped: pass `--progenitor PATH` (the `cargo-progenitor` binary).\n".into(),
            },
            Section::Compile => compile(options)?,
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

// ---------------------------------------------------------------------------------------
// Statistics and formatting

/// Median and minimum of some durations.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub median: Duration,
    pub min: Duration,
}

pub fn summarize(samples: &[Duration]) -> Summary {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Summary::default();
    }
    let n = sorted.len();
    let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2 };
    Summary { median, min: sorted[0] }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Milliseconds with as many decimals as make sense for their size.
fn fmt_ms(d: Duration) -> String {
    let v = ms(d);
    if v < 10.0 {
        format!("{v:.2}")
    } else if v < 1000.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

fn cell(s: Summary) -> String {
    format!("{} ({})", fmt_ms(s.median), fmt_ms(s.min))
}

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
        "## Machine\n\n| | |\n|---|---|\n| CPUs (available parallelism) | {cpus} |\n| CPU model | {model} |\n| memory | {memory} |\n| compiler | {rustc} |\n| xtask build | {profile} |\n"
    )
}

// ---------------------------------------------------------------------------------------
// Per-stage timings

/// One timed run: the generator's stages and the whole run including writing.
#[derive(Debug, Clone, Copy)]
struct Sample {
    /// As `codegen::render` reports them: read+parse and lower are wall time; emit and
    /// format run file by file on several threads and are summed over the files (CPU time).
    stages: Timings,
    /// `codegen::render`: everything but writing, wall time.
    render: Duration,
    /// Writing the files into an empty folder, wall time.
    write: Duration,
}

impl Sample {
    /// Render and write: what `cargo xtask codegen` does.
    fn whole(&self) -> Duration {
        self.render + self.write
    }

    /// Emitting and formatting, wall time: the render less reading and lowering.
    fn emit_format(&self) -> Duration {
        self.render.saturating_sub(self.stages.parse + self.stages.lower)
    }
}

struct Measured {
    operations: usize,
    types: usize,
    samples: Vec<Sample>,
}

impl Measured {
    fn stage(&self, f: impl Fn(&Sample) -> Duration) -> Summary {
        summarize(&self.samples.iter().map(f).collect::<Vec<_>>())
    }
}

/// Runs `job` `iterations` times (after one warm-up), each into an empty folder.
fn measure(job: &Job, iterations: usize, scratch: &Scratch) -> Result<Measured, String> {
    let mut samples = Vec::new();
    let mut counts = (0, 0);
    for i in 0..=iterations {
        let out = scratch.fresh("out");
        let job = Job { out: out.clone(), ..job.clone() };
        // `codegen::run`, in its two steps.
        let start = Instant::now();
        let rendered = codegen::render(&job).map_err(|e| format!("{}: {e}", job.spec_name))?;
        let rendered_at = Instant::now();
        crate::write::sync(&job.out, &rendered.files, false)?;
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

fn stages(options: &Options, scratch: &Scratch) -> Result<String, String> {
    let root = crate::project_root();
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
        let job = Job {
            spec: spec.clone(),
            spec_name: name.clone(),
            out: PathBuf::new(),
            crate_name: Some("bench".into()),
            selection: Default::default(),
            features: Default::default(),
        };
        let m = measure(&job, iterations, scratch)?;
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

// ---------------------------------------------------------------------------------------
// Scaling

/// The component kinds that are copied (security schemes are shared by every copy).
const COPIED_COMPONENTS: &[&str] =
    &["schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks"];

/// `document` with its paths and components repeated `factor` times: copy `k` (from 2) has
/// every path under `/copy{k}`, every component key and operationId suffixed, and every
/// `#/components/...` reference rewritten to its own copy, so each copy is a realistic,
/// self-contained API of the same shape.
pub fn replicate(document: &Value, factor: usize) -> Value {
    let mut out = document.clone();
    let empty = Map::new();
    let paths = document.get("paths").and_then(Value::as_object).unwrap_or(&empty);
    let components = document.get("components").and_then(Value::as_object).unwrap_or(&empty);
    for k in 2..=factor {
        let suffix = format!("Copy{k}");
        if let Some(out_paths) = out.get_mut("paths").and_then(Value::as_object_mut) {
            for (path, item) in paths {
                out_paths.insert(format!("/copy{k}{path}"), rewrite(item, &suffix, false));
            }
        }
        if let Some(out_components) = out.get_mut("components").and_then(Value::as_object_mut) {
            for (kind, entries) in components {
                let (true, Some(entries)) = (COPIED_COMPONENTS.contains(&kind.as_str()), entries.as_object()) else {
                    continue;
                };
                let Some(target) = out_components.get_mut(kind).and_then(Value::as_object_mut) else { continue };
                for (name, value) in entries {
                    target.insert(format!("{name}{suffix}"), rewrite(value, &suffix, false));
                }
            }
        }
    }
    out
}

/// A copy of `value` whose component references, and operationIds, carry `suffix`.
/// `in_properties`: `value` is a schema's `properties` map, whose keys are property names.
fn rewrite(value: &Value, suffix: &str, in_properties: bool) -> Value {
    match value {
        Value::String(s) => Value::String(rewrite_reference(s, suffix).unwrap_or_else(|| s.clone())),
        Value::Array(items) => Value::Array(items.iter().map(|v| rewrite(v, suffix, false)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, v)| {
                    let v = match (key.as_str(), v, in_properties) {
                        ("operationId", Value::String(id), false) => {
                            Value::String(format!("{id}_{}", suffix.to_lowercase()))
                        }
                        ("properties", _, false) => rewrite(v, suffix, true),
                        // Examples are data, whatever they look like.
                        ("example", _, false) => v.clone(),
                        _ => rewrite(v, suffix, false),
                    };
                    (key.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `#/components/schemas/Pet/properties/id` → `#/components/schemas/PetCopy2/properties/id`.
fn rewrite_reference(reference: &str, suffix: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?;
    let (kind, rest) = rest.split_once('/')?;
    if !COPIED_COMPONENTS.contains(&kind) {
        return None;
    }
    let (name, tail) = match rest.split_once('/') {
        Some((name, tail)) => (name, format!("/{tail}")),
        None => (rest, String::new()),
    };
    Some(format!("#/components/{kind}/{name}{suffix}{tail}"))
}

struct ScalePoint {
    factor: usize,
    size: u64,
    measured: Measured,
}

impl ScalePoint {
    fn whole(&self) -> Summary {
        self.measured.stage(Sample::whole)
    }

    /// Median whole time per operation.
    fn per_op(&self) -> Duration {
        self.whole().median / self.measured.operations.max(1) as u32
    }
}

fn scaling(options: &Options, scratch: &Scratch) -> Result<String, String> {
    let base = generator::source::load(&options.scaling_spec).map_err(|e| e.to_string())?.raw;
    let base_name = options.scaling_spec.file_name().unwrap_or_default().to_string_lossy().to_string();
    let mut points = Vec::new();
    for &factor in FACTORS {
        let document = replicate(&base, factor);
        let spec = scratch.0.join(format!("scaled-{factor}x.json"));
        let bytes = serde_json::to_vec(&document).map_err(|e| e.to_string())?;
        fs::write(&spec, &bytes).map_err(|e| format!("{}: {e}", spec.display()))?;
        let iterations = if factor >= 8 { 3 } else { 5 };
        eprintln!("scaling: {base_name} ×{factor} ({} KB), {iterations} runs…", bytes.len() / 1024);
        let job = Job {
            spec: spec.clone(),
            spec_name: format!("{base_name} ×{factor}"),
            out: PathBuf::new(),
            crate_name: Some("scaled".into()),
            selection: Default::default(),
            features: Default::default(),
        };
        let measured = measure(&job, iterations, scratch)?;
        let _ = fs::remove_file(&spec);
        points.push(ScalePoint { factor, size: bytes.len() as u64, measured });
    }
    let mut out = format!(
        "## Scaling\n\n`{base_name}`'s paths and components repeated N times in one document (copy k under \
         `/copyk/…`, its component keys and operationIds suffixed, its `$ref`s pointing into its own \
         copy), generated into an empty folder. Whole run in milliseconds, median (min); the stage \
         columns are medians.\n\n\
         | N | KB | ops | types | runs | whole | per op (µs) | per op vs 1× | read+parse | lower | emit+format | emit CPU | format CPU | write |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    let first_per_op = points[0].per_op().as_secs_f64();
    for p in &points {
        let m = &p.measured;
        let _ = writeln!(
            out,
            "| {}× | {} | {} | {} | {} | {} | {:.0} | {:.2} | {} | {} | {} | {} | {} | {} |",
            p.factor,
            p.size / 1024,
            m.operations,
            m.types,
            m.samples.len(),
            cell(p.whole()),
            p.per_op().as_secs_f64() * 1e6,
            p.per_op().as_secs_f64() / first_per_op,
            fmt_ms(m.stage(|s| s.stages.parse).median),
            fmt_ms(m.stage(|s| s.stages.lower).median),
            fmt_ms(m.stage(Sample::emit_format).median),
            fmt_ms(m.stage(|s| s.stages.emit).median),
            fmt_ms(m.stage(|s| s.stages.format).median),
            fmt_ms(m.stage(|s| s.write).median),
        );
    }
    let (first, last) = (&points[0], &points[points.len() - 1]);
    let ratio = last.per_op().as_secs_f64() / first_per_op;
    // The exponent b of time ∝ size^b between the smallest and largest documents.
    let exponent = (ms(last.whole().median) / ms(first.whole().median)).ln()
        / (last.measured.operations as f64 / first.measured.operations as f64).ln();
    let verdict = if ratio <= 1.25 { "linear" } else { "faster than linear (superlinear)" };
    let _ = writeln!(
        out,
        "\nTime per operation at {}× is {ratio:.2}× that at 1× (time ∝ size^{exponent:.2}): growth is **{verdict}** \
         (linear means a ratio of at most 1.25).",
        last.factor
    );
    for (stage, pick) in [
        ("read+parse", (|s: &Sample| s.stages.parse) as fn(&Sample) -> Duration),
        ("lower", |s: &Sample| s.stages.lower),
        ("emit CPU", |s: &Sample| s.stages.emit),
        ("format CPU", |s: &Sample| s.stages.format),
        ("write", |s: &Sample| s.write),
    ] {
        let per_op = |p: &ScalePoint| p.measured.stage(pick).median.as_secs_f64() / p.measured.operations.max(1) as f64;
        let r = per_op(last) / per_op(first).max(f64::MIN_POSITIVE);
        let _ = write!(
            out,
            "{}{stage}: {r:.2}×",
            if stage == "read+parse" { "Per-operation ratio of each stage, largest / smallest: " } else { ", " }
        );
    }
    out.push_str(".\n");
    let svg = &options.svg;
    if let Some(parent) = svg.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    chart(svg, &base_name, &points).map_err(|e| format!("{}: cannot draw the chart: {e}", svg.display()))?;
    let _ = writeln!(out, "\nChart: `{}`.", codegen::display(svg));
    Ok(out)
}

fn chart(path: &Path, base_name: &str, points: &[ScalePoint]) -> Result<(), String> {
    use plotters::prelude::*;

    let e = |e: DrawingAreaErrorKind<_>| e.to_string();
    let total: Vec<(f64, f64)> = points.iter().map(|p| (p.measured.operations as f64, ms(p.whole().median))).collect();
    let per_op: Vec<(f64, f64)> =
        points.iter().map(|p| (p.measured.operations as f64, p.per_op().as_secs_f64() * 1e6)).collect();
    let first_per_op_ms = total[0].1 / total[0].0.max(1.0);
    let max_ops = total.iter().map(|p| p.0).fold(1.0, f64::max);
    let max_ms = total.iter().map(|p| p.1).fold(1.0, f64::max).max(max_ops * first_per_op_ms);
    let max_per_op = per_op.iter().map(|p| p.1).fold(1.0, f64::max);

    let root = SVGBackend::new(path, (1000, 440)).into_drawing_area();
    root.fill(&WHITE).map_err(e)?;
    let root = root
        .titled(&format!("Generation time of {base_name} repeated 1×–16× (median, release build)"), ("sans-serif", 18))
        .map_err(e)?;
    let (left, right) = root.split_horizontally(500);

    let mut chart = ChartBuilder::on(&left)
        .caption("whole run", ("sans-serif", 15))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..max_ops * 1.05, 0.0..max_ms * 1.1)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("operations")
        .y_desc("milliseconds")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .map_err(e)?;
    let linear = vec![(0.0, 0.0), (max_ops, max_ops * first_per_op_ms)];
    chart
        .draw_series(DashedLineSeries::new(linear, 6, 4, RED.stroke_width(1)))
        .map_err(e)?
        .label("linear from 1×")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .draw_series(LineSeries::new(total.clone(), BLUE.stroke_width(2)))
        .map_err(e)?
        .label("measured")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    chart.draw_series(total.iter().map(|&p| Circle::new(p, 4, BLUE.filled()))).map_err(e)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(e)?;

    let mut chart = ChartBuilder::on(&right)
        .caption("time per operation", ("sans-serif", 15))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..max_ops * 1.05, 0.0..max_per_op * 1.3)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc("operations")
        .y_desc("microseconds per operation")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .map_err(e)?;
    chart.draw_series(LineSeries::new(per_op.clone(), BLUE.stroke_width(2))).map_err(e)?;
    chart.draw_series(per_op.iter().map(|&p| Circle::new(p, 4, BLUE.filled()))).map_err(e)?;
    chart
        .draw_series(per_op.iter().zip(points).map(|(&(x, y), p)| {
            Text::new(
                format!("{}×", p.factor),
                (x - max_ops * 0.03, y + max_per_op * 0.08),
                ("sans-serif", 13).into_font(),
            )
        }))
        .map_err(e)?;
    root.present().map_err(e)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Progenitor

fn progenitor(options: &Options, binary: &Path, scratch: &Scratch) -> Result<String, String> {
    let spec = options.corpus.join("progenitor-nexus.json");
    let spec_text = spec.display().to_string();
    let iterations = 7;
    let ours = std::env::current_exe().map_err(|e| e.to_string())?;
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
    let verdict = if ratio >= 5.0 { "met" } else { "missed" };
    Ok(format!(
        "## Against progenitor\n\n`corpus/progenitor-nexus.json` to a formatted crate on disk, each tool run as its own \
         process ({iterations} runs of each after a warm-up, alternating, into an empty folder each time). Ours: `xtask codegen` \
         (this binary); progenitor: `{} progenitor`, which formats with `rustfmt`. *CPU* is the user+system time of the \
         process and its children (10 ms resolution).\n\n\
         | generator | wall, ms median (min) | CPU, ms median | Rust written (KB) | wall ms per KB written |\n|---|---:|---:|---:|---:|\n\
         | ours | {} | {:.0} | {} | {:.3} |\n| progenitor | {} | {:.0} | {} | {:.3} |\n\n\
         Progenitor takes **{ratio:.1}×** as long as ours, wall clock (target: at least 5× — {verdict}); {cpu_ratio:.1}× in \
         CPU time; {per_kb_ratio:.1}× per KB of Rust written.\n",
        binary.display(),
        cell(ours_time),
        ms(ours_cpu.median),
        ours_runs.bytes / 1024,
        per_kb(ours_time, ours_runs.bytes),
        cell(theirs_time),
        ms(theirs_cpu.median),
        theirs_runs.bytes / 1024,
        per_kb(theirs_time, theirs_runs.bytes),
    ))
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

/// User + system time of the children this process has waited for (Linux; zero elsewhere).
fn children_cpu() -> Duration {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name: state is field 3, cutime 16 and cstime 17.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // Linux reports these in clock ticks of 1/100 s.
    Duration::from_millis((ticks(13) + ticks(14)) * 10)
}

/// Lines and bytes of the `.rs` files under `dir`.
fn rust_size(dir: &Path) -> (usize, u64) {
    let Ok(entries) = fs::read_dir(dir) else { return (0, 0) };
    entries.flatten().fold((0, 0), |(lines, bytes), e| {
        let path = e.path();
        let (l, b) = if path.is_dir() {
            rust_size(&path)
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = fs::read_to_string(&path).unwrap_or_default();
            (text.lines().count(), text.len() as u64)
        } else {
            (0, 0)
        };
        (lines + l, bytes + b)
    })
}

// ---------------------------------------------------------------------------------------
// Compile time

fn compile(options: &Options) -> Result<String, String> {
    let spec = options.corpus.join(LARGE_SPECS[0]);
    let dir = &options.compile_dir;
    let target = dir.with_file_name(format!("{}-target", dir.file_name().unwrap_or_default().to_string_lossy()));
    let job = Job {
        spec: spec.clone(),
        spec_name: spec.display().to_string(),
        out: dir.clone(),
        crate_name: Some("corpus-openai".into()),
        selection: Default::default(),
        features: Default::default(),
    };
    eprintln!("compile: generating {}", dir.display());
    let (rendered, _) = codegen::run(&job, false).map_err(|e| e.to_string())?;
    let manifest = dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| e.to_string())?;
    }
    fs::copy(crate::project_root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let (lines, bytes) = rust_size(&dir.join("src"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Wall clock and CPU time (user + system, of cargo and the compilers it ran).
    let step = |args: &[&str]| -> Result<(Duration, Duration), String> {
        eprintln!("compile: cargo {}", args.join(" "));
        let cpu_before = children_cpu();
        let start = Instant::now();
        let status = Command::new(&cargo)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_rewritten_to_their_copy() {
        assert_eq!(
            rewrite_reference("#/components/schemas/Pet", "Copy2").as_deref(),
            Some("#/components/schemas/PetCopy2")
        );
        assert_eq!(
            rewrite_reference("#/components/schemas/a~1b/properties/id", "Copy3").as_deref(),
            Some("#/components/schemas/a~1bCopy3/properties/id")
        );
        assert_eq!(rewrite_reference("#/components/securitySchemes/key", "Copy2"), None);
        assert_eq!(rewrite_reference("#/paths/~1pets", "Copy2"), None);
    }

    #[test]
    fn a_replicated_spec_generates_n_times_the_operations() {
        let spec = crate::project_root().join("spec/openapi.yaml");
        let base = generator::source::load(&spec).unwrap().raw;
        let once =
            generator::lower::lower(&generator::source::parse(&serde_json::to_vec(&base).unwrap(), "x").unwrap())
                .unwrap();
        let tripled = replicate(&base, 3);
        let document =
            generator::source::parse(&serde_json::to_vec(&tripled).unwrap(), "x").unwrap_or_else(|e| panic!("{e}"));
        let api = generator::lower::lower(&document).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(api.operations.len(), 3 * once.operations.len());
        assert_eq!(api.types.len(), 3 * once.types.len());
        assert!(api.warnings.len() == 3 * once.warnings.len(), "{:?}", api.warnings);
    }

    #[test]
    fn summaries() {
        let d = Duration::from_millis;
        let s = summarize(&[d(5), d(1), d(3)]);
        assert_eq!((s.median, s.min), (d(3), d(1)));
        let s = summarize(&[d(4), d(1), d(2), d(3)]);
        assert_eq!((s.median, s.min), (Duration::from_micros(2500), d(1)));
    }
}
