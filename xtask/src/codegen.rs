//! `cargo xtask codegen`: spec → generator → formatted files → crate folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::lower::features::Split;
use generator::lower::select::Selection;
use generator::{Diagnostics, Options};

use crate::format::{header, render_files};
use crate::write::{sync, Outcome};

/// One run of the generator.
#[derive(Debug, Clone)]
pub struct Job {
    pub spec: PathBuf,
    /// How the spec is named in file headers and messages (`spec/openapi.yaml`).
    pub spec_name: String,
    pub out: PathBuf,
    /// The package name; derived from the document's title when absent.
    pub crate_name: Option<String>,
    /// The operations to generate (with the types they reach); empty: all of them.
    pub selection: Selection,
    /// Whether operations and types are gated by cargo features per tag.
    pub features: Split,
}

impl Job {
    /// The project's own job: `spec/openapi.yaml` into `generated/`.
    pub fn project() -> Self {
        let root = crate::project_root();
        Job {
            spec: root.join("spec/openapi.yaml"),
            spec_name: "spec/openapi.yaml".into(),
            out: root.join("generated"),
            crate_name: None,
            selection: Selection::default(),
            features: Split::default(),
        }
    }
}

/// The formatted files of a crate, and what generation found along the way.
#[derive(Debug)]
pub struct Rendered {
    pub files: Vec<(String, String)>,
    pub warnings: Vec<String>,
    pub operations: usize,
    pub types: usize,
    /// The cargo features of the crate's groups of operations (none when it is not split).
    pub features: Vec<String>,
    pub timings: Timings,
}

/// Time spent in each stage. Emitting and formatting run file by file on several threads:
/// their figures are the sum over the files (CPU time), not wall time.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub parse: Duration,
    pub lower: Duration,
    pub emit: Duration,
    pub format: Duration,
}

#[derive(Debug)]
pub enum Failure {
    /// The document has problems; nothing was written.
    Spec(Diagnostics),
    /// Writing failed, or the generator has a bug.
    Other(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Spec(d) => write!(f, "{d}"),
            Failure::Other(m) => write!(f, "error: {m}"),
        }
    }
}

/// Generates and formats every file in memory.
pub fn render(job: &Job) -> Result<Rendered, Failure> {
    if let Some(name) = &job.crate_name {
        generator::names::check_crate_name(name)
            .map_err(|why| Failure::Other(format!("{name:?} cannot be the crate's name: {why}")))?;
    }
    let start = Instant::now();
    let document = generator::source::load_as(&job.spec, &job.spec_name).map_err(Failure::Spec)?;
    let parsed = Instant::now();
    let api = generator::lower::lower(&document).map_err(Failure::Spec)?;
    // The document is several times the size of its file in memory, and the model holds what
    // is needed of it: gone before the token streams, it no longer adds to the peak.
    drop(document);
    let api = generator::lower::select::select(api, &job.selection, &job.spec_name).map_err(Failure::Spec)?;
    let api = generator::lower::features::split(api, job.features);
    let lowered = Instant::now();
    let crate_name = job.crate_name.clone().unwrap_or_else(|| generator::names::crate_name(&api.title));
    let options = Options::new(&crate_name, &job.spec_name);
    let formatted = render_files(&api, &options, &header(&options.command, &job.spec_name)).map_err(Failure::Other)?;
    Ok(Rendered {
        files: formatted.files,
        warnings: api.warnings.iter().map(|w| format!("warning: {w}")).collect(),
        operations: api.operations.len(),
        types: api.types.len(),
        features: api.features.iter().map(|f| f.name.clone()).collect(),
        timings: Timings {
            parse: parsed - start,
            lower: lowered - parsed,
            emit: formatted.emit,
            format: formatted.format,
        },
    })
}

/// Renders and then writes (or, with `check`, compares) the crate.
pub fn run(job: &Job, check: bool) -> Result<(Rendered, Outcome), Failure> {
    let rendered = render(job)?;
    let outcome = sync(&job.out, &rendered.files, check).map_err(Failure::Other)?;
    Ok((rendered, outcome))
}

/// `path` relative to the current folder when it is inside it, for shorter messages.
pub fn display(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
}

/// Writes the `--check` diff to stdout. A reader that stops early (`| head`) or a full disk
/// does not change the check's answer, which is the exit status; `print!` would panic there.
pub fn print_diff(diff: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(diff.as_bytes()).and_then(|()| out.flush());
}
