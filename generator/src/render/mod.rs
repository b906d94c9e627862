//! A run's crate in memory: the document read, lowered, selected and split, compared with
//! the crate it replaces, then every file emitted and formatted.

mod format;

use std::time::{Duration, Instant};

use crate::changes::{self, Level, Previous};
use crate::config::{Config, Error};
use crate::Options;

use format::render_files;

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

/// Generates and formats every file in memory, comparing the API with the crate `previous`
/// describes.
pub(crate) fn render(job: &Config, previous: &Previous) -> Result<Rendered, Error> {
    if let Some(name) = &job.crate_name {
        crate::names::check_crate_name(name)
            .map_err(|why| Error::Other(format!("{name:?} cannot be the crate's name: {why}")))?;
    }
    // The path names the source in every file's header and in messages: a path may hold line
    // breaks, `*/` or `-->`, which would end the comment that holds it.
    let spec_name = crate::escape::one_line(&job.spec_name);
    let start = Instant::now();
    memory_mark("start");
    let document = crate::read::source::load_with(&job.spec, &spec_name, &job.allow_ref_dirs).map_err(Error::Spec)?;
    let parsed = Instant::now();
    memory_mark("reading");
    let api = crate::lower::lower_with(&document, &job.custom).map_err(Error::Spec)?;
    memory_mark("lowering");
    // The document is several times the size of its file in memory, and the model holds what
    // is needed of it: gone before the token streams, it no longer adds to the peak.
    drop(document);
    let api = crate::lower::select::select(api, &job.selection, &spec_name).map_err(Error::Spec)?;
    let crate_name = job.crate_name.clone().unwrap_or_else(|| crate::names::crate_name(&api.title));
    let mut api = crate::lower::features::split(api, job.features, &crate_name);
    crate::lower::environment::name(&mut api, &crate_name);
    if !job.pagination {
        for op in &mut api.operations {
            op.pagination = None;
        }
    }
    let lowered = Instant::now();
    memory_mark("selection and features");
    let mut options = Options::new(&crate_name, &spec_name);
    let regeneration = changes::regenerate(&api, &crate_name, previous, job.bump, &spec_name).map_err(Error::Other)?;
    let level = regeneration.level();
    let version = regeneration.manifest.version.clone();
    options.version = Some(version.clone());
    // The manifest of a huge API is large: as text, and gone, before the files are emitted.
    let manifest = regeneration.manifest.to_text(&spec_name);
    let changes::Regeneration { report, changelog, .. } = regeneration;
    let formatted = render_files(&api, &options, &crate::header::rust(&spec_name)).map_err(Error::Other)?;
    memory_mark("emitting and formatting");
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
                    Some(crate::model::PageTotal::Items(t)) => detail.push_str(&format!(", total {t:?}")),
                    Some(crate::model::PageTotal::Pages(t)) => detail.push_str(&format!(", pages {t:?}")),
                    None => {}
                }
                if let crate::model::PagePattern::Page { first } = &p.pattern {
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

/// With `XTASK_PEAK_MEMORY` set, prints the resident memory now and the peak so far, after
/// `stage`, and the time the stage took (since the previous mark): where the peak falls is
/// what to shrink, and a stage whose time grows faster than the document is what to fix.
fn memory_mark(stage: &str) {
    static PREVIOUS: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
    if std::env::var_os("XTASK_PEAK_MEMORY").is_none() {
        return;
    }
    let now = Instant::now();
    let previous = PREVIOUS.lock().map(|mut p| p.replace(now)).unwrap_or(None);
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return };
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).unwrap_or("?").to_owned()
    };
    let took = previous.map(|p| format!(" ({:.1} ms)", (now - p).as_secs_f64() * 1e3)).unwrap_or_default();
    eprintln!("memory after {stage}{took}: {} kB resident, {} kB peak", field("VmRSS:"), field("VmHWM:"));
}
