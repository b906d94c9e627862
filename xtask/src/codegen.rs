//! `cargo xtask codegen`: spec → generator → formatted files → crate folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::changes::{self, Level, Previous};
use generator::lower::features::Split;
use generator::lower::select::Selection;
use generator::{Diagnostics, Options};

use crate::format::{header, render_files};
use crate::write::{sync, sync_held, Outcome};

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
    /// Whether paginated operations get `items()` and `pages()` (`--no-pagination` turns it off).
    pub pagination: bool,
    /// Folders whose files the document's `$ref`s may read, besides the document's own
    /// folder or git repository (`--allow-ref-dir`).
    pub allow_ref_dirs: Vec<PathBuf>,
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
            pagination: true,
            allow_ref_dirs: Vec::new(),
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
    /// The operations found paginated, each as `method (pattern)`, in the crate's order.
    pub paginated: Vec<Paginated>,
    pub timings: Timings,
    /// What changed in the crate's API since the crate it replaces, starting with `breaking`,
    /// `compatible` or `no API change` (or `first generation` when there is nothing to compare).
    pub report: String,
    /// The most serious change, if any.
    pub level: Option<Level>,
    /// The crate's version as written.
    pub version: String,
}

/// A paginated operation, as the info line and the corpus report show it.
#[derive(Debug, Clone)]
pub struct Paginated {
    pub operation: String,
    /// `cursor`, `last-item`, `page`, `offset` or `link`.
    pub pattern: &'static str,
    /// The parameter the stream sets, the items' and the next value's places in the page.
    pub detail: String,
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

/// Generates and formats every file in memory, as a first generation (nothing to compare with).
pub fn render(job: &Job) -> Result<Rendered, Failure> {
    render_with(job, &Previous::none("no previous crate was given"), false)
}

/// Generates and formats every file in memory, comparing the API with the crate `previous`
/// describes; `bump` moves the version by the most serious change.
pub fn render_with(job: &Job, previous: &Previous, bump: bool) -> Result<Rendered, Failure> {
    if let Some(name) = &job.crate_name {
        generator::names::check_crate_name(name)
            .map_err(|why| Failure::Other(format!("{name:?} cannot be the crate's name: {why}")))?;
    }
    // The path names the source in every file's header and in messages: a path may hold line
    // breaks, `*/` or `-->`, which would end the comment that holds it.
    let spec_name = generator::escape::one_line(&job.spec_name);
    let start = Instant::now();
    crate::memory_mark("start");
    let document = generator::source::load_with(&job.spec, &spec_name, &job.allow_ref_dirs).map_err(Failure::Spec)?;
    let parsed = Instant::now();
    crate::memory_mark("reading");
    let api = generator::lower::lower(&document).map_err(Failure::Spec)?;
    crate::memory_mark("lowering");
    // The document is several times the size of its file in memory, and the model holds what
    // is needed of it: gone before the token streams, it no longer adds to the peak.
    drop(document);
    let api = generator::lower::select::select(api, &job.selection, &spec_name).map_err(Failure::Spec)?;
    let crate_name = job.crate_name.clone().unwrap_or_else(|| generator::names::crate_name(&api.title));
    let mut api = generator::lower::features::split(api, job.features, &crate_name);
    if !job.pagination {
        for op in &mut api.operations {
            op.pagination = None;
        }
    }
    let lowered = Instant::now();
    crate::memory_mark("selection and features");
    let mut options = Options::new(&crate_name, &spec_name);
    let mark = format!("@generated by `{}` from {}. Do not edit.", options.command, spec_name);
    let regeneration =
        changes::regenerate(&api, &crate_name, previous, bump, &spec_name, &mark).map_err(Failure::Other)?;
    let level = regeneration.level();
    let version = regeneration.manifest.version.clone();
    options.version = Some(version.clone());
    // The manifest of a huge API is large: as text, and gone, before the files are emitted.
    let manifest = regeneration.manifest.to_text(&options.command, &spec_name);
    let changes::Regeneration { report, changelog, .. } = regeneration;
    let formatted = render_files(&api, &options, &header(&options.command, &spec_name)).map_err(Failure::Other)?;
    crate::memory_mark("emitting and formatting");
    let mut files = formatted.files;
    files.push((changes::manifest::FILE.into(), manifest));
    files.push((changes::changelog::FILE.into(), changelog));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Rendered {
        level,
        version,
        report,
        files,
        warnings: api.warnings.iter().map(|w| format!("warning: {w}")).collect(),
        operations: api.operations.len(),
        types: api.types.len(),
        features: api.features.iter().map(|f| f.name.clone()).collect(),
        paginated: api
            .operations
            .iter()
            .filter_map(|op| {
                let p = op.pagination.as_ref()?;
                let mut detail = match &p.param {
                    Some((_, wire)) => format!("param {wire}"),
                    None => "Link header".to_string(),
                };
                detail.push_str(&format!(", items {:?}", p.items));
                for (label, value) in [("next", &p.next), ("has_more", &p.has_more), ("size", &p.size_param)] {
                    if let Some(value) = value {
                        detail.push_str(&format!(", {label} {value:?}"));
                    }
                }
                match &p.total {
                    Some(generator::model::PageTotal::Items(t)) => detail.push_str(&format!(", total {t:?}")),
                    Some(generator::model::PageTotal::Pages(t)) => detail.push_str(&format!(", pages {t:?}")),
                    None => {}
                }
                if let generator::model::PagePattern::Page { first } = &p.pattern {
                    detail.push_str(&format!(", first page {first}"));
                }
                if p.stated {
                    detail.push_str(", stated by x-pagination");
                }
                Some(Paginated { operation: op.id.clone(), pattern: p.pattern.label(), detail })
            })
            .collect(),
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
    run_with(job, check, false)
}

/// [`run`], comparing the API with the crate in the output folder, and with `bump` moving the
/// crate's version by the most serious change.
pub fn run_with(job: &Job, check: bool, bump: bool) -> Result<(Rendered, Outcome), Failure> {
    // A folder that cannot be written is refused before any work. One that has a crate is
    // locked before that crate is read, since the new `api.json` and changelog are made from
    // it: a run reading it while another writes would undo the other's changelog section.
    crate::guard::output_folder(&job.out).map_err(Failure::Other)?;
    let lock =
        if !check && job.out.is_dir() { Some(crate::write::lock(&job.out).map_err(Failure::Other)?) } else { None };
    let rendered = render_with(job, &previous(&job.out), bump)?;
    let outcome = match lock {
        Some(_) => sync_held(&job.out, &rendered.files, check),
        None => sync(&job.out, &rendered.files, check),
    }
    .map_err(Failure::Other)?;
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

/// What the crate in `out` says of itself: its manifest, or why it cannot be compared with (a
/// first generation, then), and its changelog.
pub fn previous(out: &Path) -> Previous {
    let path = out.join(changes::manifest::FILE);
    let manifest = match std::fs::read_to_string(&path) {
        Ok(text) => changes::Manifest::parse(&text).map_err(|e| format!("{} cannot be read: {e}", display(&path))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!("{} does not exist", display(&path))),
        Err(e) => Err(format!("{} cannot be read: {e}", display(&path))),
    };
    let changelog = std::fs::read_to_string(out.join(changes::changelog::FILE)).ok();
    Previous { manifest, changelog }
}
