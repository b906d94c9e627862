//! How generation time and memory grow with the size of a document: one document repeated
//! 1× to 128× (about 30 MB for the nexus sample).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use generator::Config;
use serde_json::{Map, Value};

use crate::stages::{measure, Measured, Sample};
use crate::stats::{cell, fmt_ms, ms, Summary};
use crate::{Options, Scratch};

/// The factors of the scaling benchmark.
pub const FACTORS: &[usize] = &[1, 2, 4, 8, 16, 32, 64, 128];

/// The peak memory allowed, as a multiple of the document's size.
const MEMORY_LIMIT: f64 = 30.0;

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

pub struct ScalePoint {
    pub factor: usize,
    pub size: u64,
    pub measured: Measured,
    /// Peak resident memory of one `xtask codegen` process on the document, in bytes.
    pub peak: u64,
}

impl ScalePoint {
    pub fn whole(&self) -> Summary {
        self.measured.stage(Sample::whole)
    }

    /// Median whole time per operation.
    pub fn per_op(&self) -> Duration {
        self.whole().median / self.measured.operations.max(1) as u32
    }
}

pub fn scaling(options: &Options, scratch: &Scratch) -> Result<String, String> {
    let base = generator::read::source::load_json(&options.scaling_spec).map_err(|e| e.to_string())?;
    let base_name = options.scaling_spec.file_name().unwrap_or_default().to_string_lossy().to_string();
    let xtask = crate::progenitor::xtask_binary()?;
    let mut points = Vec::new();
    for &factor in &options.factors {
        let document = replicate(&base, factor);
        let spec = scratch.0.join(format!("scaled-{factor}x.json"));
        let bytes = serde_json::to_vec(&document).map_err(|e| e.to_string())?;
        fs::write(&spec, &bytes).map_err(|e| format!("{}: {e}", spec.display()))?;
        let iterations = if factor <= 4 {
            5
        } else if factor <= 32 {
            3
        } else {
            2
        };
        eprintln!("scaling: {base_name} ×{factor} ({} KB), {iterations} runs…", bytes.len() / 1024);
        let mut config = Config::new(&spec);
        config.spec_name(format!("{base_name} ×{factor}")).crate_name("scaled");
        let measured = measure(&config, iterations, scratch)?;
        let peak = peak_memory(&xtask, &spec, scratch)?;
        let _ = fs::remove_file(&spec);
        points.push(ScalePoint { factor, size: bytes.len() as u64, measured, peak });
    }
    let first = points.first().map_or(1, |p| p.factor);
    let mut out = format!(
        "## Scaling\n\n`{base_name}`'s paths and components repeated N times in one document (copy k under \
         `/copyk/…`, its component keys and operationIds suffixed, its `$ref`s pointing into its own \
         copy), generated into an empty folder. Whole run in milliseconds, median (min); the stage \
         columns are medians. *peak MB*: the largest resident memory of one `xtask codegen` process \
         on the document, as the process itself reads it (`VmHWM`), and that over the document's size.\n\n\
         | N | KB | ops | types | runs | whole | per op (µs) | per op vs {first}× | read+parse | lower | emit+format | emit CPU | format CPU | write | peak MB | peak / size |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    let first_per_op = points[0].per_op().as_secs_f64();
    for p in &points {
        let m = &p.measured;
        let _ = writeln!(
            out,
            "| {}× | {} | {} | {} | {} | {} | {:.0} | {:.2} | {} | {} | {} | {} | {} | {} | {} | {:.1}× |",
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
            p.peak / (1024 * 1024),
            p.peak as f64 / p.size as f64,
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
        "\nTime per operation at {}× is {ratio:.2}× that at {}× (time ∝ size^{exponent:.2}): growth is **{verdict}** \
         (linear means a ratio of at most 1.25).",
        last.factor, first.factor
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
    // A process has a floor of some 60 MB whatever the document (the binary, the runtime's
    // sources, a heap per thread), so the ratio is judged on the largest document.
    let largest = last.peak as f64 / last.size as f64;
    let _ = writeln!(
        out,
        "\nPeak memory at {}× ({} MB) is {largest:.1}× the document's size (target: under {MEMORY_LIMIT}× — {}).",
        last.factor,
        last.size / (1024 * 1024),
        if largest < MEMORY_LIMIT { "met" } else { "missed" }
    );
    let svg = &options.svg;
    if let Some(parent) = svg.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    crate::chart::chart(svg, &base_name, &points)
        .map_err(|e| format!("{}: cannot draw the chart: {e}", svg.display()))?;
    let _ = writeln!(out, "\nChart: `{}`.", generator::display(svg));
    Ok(out)
}

/// Peak resident memory of `xtask codegen` on `spec`, as the process reports it.
fn peak_memory(xtask: &Path, spec: &Path, scratch: &Scratch) -> Result<u64, String> {
    let out = scratch.fresh("peak");
    let output = Command::new(xtask)
        .args(["codegen", "--crate-name", "scaled", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(&out)
        .env("XTASK_PEAK_MEMORY", "1")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", xtask.display()))?;
    let _ = fs::remove_dir_all(&out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("xtask codegen failed on {}:\n{stderr}", spec.display()));
    }
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak memory: ")?.strip_suffix(" kB")?.parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .ok_or_else(|| format!("xtask codegen did not report its peak memory:\n{stderr}"))
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
        let spec = project::root().join("spec/openapi.yaml");
        let base = generator::read::source::load_json(&spec).unwrap();
        let once =
            generator::lower::lower(&generator::read::source::parse(&serde_json::to_vec(&base).unwrap(), "x").unwrap())
                .unwrap();
        let tripled = replicate(&base, 3);
        let document = generator::read::source::parse(&serde_json::to_vec(&tripled).unwrap(), "x")
            .unwrap_or_else(|e| panic!("{e}"));
        let api = generator::lower::lower(&document).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(api.operations.len(), 3 * once.operations.len());
        assert_eq!(api.types.len(), 3 * once.types.len());
        assert!(api.warnings.len() == 3 * once.warnings.len(), "{:?}", api.warnings);
    }
}
