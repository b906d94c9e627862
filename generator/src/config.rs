//! The one driver: what a run is asked to do, and the run. Configured as prost-build is, by
//! methods that each set one thing, then [`Config::generate`] (or [`Config::check`]):
//!
//! ```no_run
//! let generated = generator::Config::new("spec/openapi.yaml")
//!     .crate_name("exoscale-api")
//!     .generate("generated")?;
//! eprintln!("{}", generated.rendered.report);
//! # Ok::<(), generator::Error>(())
//! ```
//!
//! `cargo xtask codegen` is this driver behind a command line; a build script or an xtask of
//! another workspace calls it the same way and writes the same bytes.

use std::path::{Path, PathBuf};

use crate::changes::{self, Previous};
use crate::lower::custom::Customization;
use crate::lower::features::Split;
use crate::lower::select::Selection;
use crate::render::Rendered;
use crate::write::Outcome;
use crate::Diagnostics;

/// A run of the generator: the document, and what to make of it.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) spec: PathBuf,
    pub(crate) spec_name: String,
    pub(crate) crate_name: Option<String>,
    pub(crate) selection: Selection,
    pub(crate) features: Split,
    pub(crate) pagination: bool,
    pub(crate) allow_ref_dirs: Vec<PathBuf>,
    pub(crate) bump: bool,
    pub(crate) custom: Customization,
}

impl Config {
    /// A run over the document at `spec` (YAML or JSON) with the defaults of
    /// `cargo xtask codegen`: every operation, features per tag above 100 operations,
    /// pagination detected, the crate named after the document's title. Headers name the
    /// document by its path relative to the current folder when it is inside it, as the
    /// command line does.
    pub fn new(spec: impl AsRef<Path>) -> Self {
        let spec = spec.as_ref().to_path_buf();
        Config {
            spec_name: display(&spec),
            spec,
            crate_name: None,
            selection: Selection::default(),
            features: Split::default(),
            pagination: true,
            allow_ref_dirs: Vec::new(),
            bump: false,
            custom: Customization::default(),
        }
    }

    /// How file headers and messages name the document (default: its path as [`Config::new`]
    /// says).
    pub fn spec_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.spec_name = name.into();
        self
    }

    /// The package name (default: derived from the document's title).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = Some(name.into());
        self
    }

    /// Generate the operations with this tag (and the types they use); with no selection at
    /// all, every operation is generated.
    pub fn tag(&mut self, tag: impl Into<String>) -> &mut Self {
        self.selection.tags.push(tag.into());
        self
    }

    /// Generate this operation, by operationId or method name.
    pub fn operation(&mut self, id: impl Into<String>) -> &mut Self {
        self.selection.operations.push(id.into());
        self
    }

    /// Generate the operations whose path starts with `prefix`.
    pub fn path_prefix(&mut self, prefix: impl Into<String>) -> &mut Self {
        self.selection.path_prefixes.push(prefix.into());
        self
    }

    /// The whole selection at once (replacing what [`tag`](Config::tag) and the others set).
    pub fn selection(&mut self, selection: Selection) -> &mut Self {
        self.selection = selection;
        self
    }

    /// Whether operations and the types only they use are gated by a cargo feature per tag.
    pub fn features(&mut self, split: Split) -> &mut Self {
        self.features = split;
        self
    }

    /// Whether paginated operations get `items()` and `pages()` (default: yes).
    pub fn pagination(&mut self, on: bool) -> &mut Self {
        self.pagination = on;
        self
    }

    /// A folder whose files the document's `$ref`s may read, besides the document's own
    /// folder (or git repository).
    pub fn allow_ref_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.allow_ref_dirs.push(dir.into());
        self
    }

    /// Whether [`generate`](Config::generate) moves the crate's version by the most serious
    /// change of its API since the version was last set.
    pub fn bump(&mut self, on: bool) -> &mut Self {
        self.bump = on;
        self
    }

    /// The schema `#/components/schemas/{schema}` becomes the existing Rust type `path`
    /// (`chrono::NaiveDate`, `my_crate::Money`), as typify's `x-rust-type` says in a document;
    /// `dependency`, when given, is added to the crate's manifest (`name = "version"`).
    pub fn replace_type(
        &mut self,
        schema: impl Into<String>,
        path: impl Into<String>,
        dependency: Option<(&str, &str)>,
    ) -> &mut Self {
        self.custom.replace(schema.into(), path.into(), dependency.map(|(c, v)| (c.to_owned(), v.to_owned())));
        self
    }

    /// Every generated type also derives `derive` (a path: `Hash`, `schemars::JsonSchema`)
    /// where its fields allow it.
    pub fn derive(&mut self, derive: impl Into<String>) -> &mut Self {
        self.custom.derives.push(derive.into());
        self
    }

    /// The operation `operation_id` gets the method name `method` (snake case).
    pub fn rename_operation(&mut self, operation_id: impl Into<String>, method: impl Into<String>) -> &mut Self {
        self.custom.operation_names.insert(operation_id.into(), method.into());
        self
    }

    /// The schema `#/components/schemas/{schema}` gets the type name `name` (upper camel case).
    pub fn rename_type(&mut self, schema: impl Into<String>, name: impl Into<String>) -> &mut Self {
        self.custom.type_names.insert(schema.into(), name.into());
        self
    }

    /// The crate's files in memory, as a first generation: nothing is read from or written to
    /// an output folder.
    pub fn render(&self) -> Result<Rendered, Error> {
        crate::render::render(self, &Previous::none("no previous crate was given"))
    }

    /// The crate's files in memory, its API compared with the crate `previous` describes (as
    /// [`previous`] reads one from a folder).
    pub fn render_against(&self, previous: &Previous) -> Result<Rendered, Error> {
        crate::render::render(self, previous)
    }

    /// Writes the crate into `out`: every file prepared before any is replaced, unchanged
    /// files left alone, generated files no longer produced removed. The API is compared with
    /// the crate already there, for the report and the changelog.
    pub fn generate(&self, out: impl AsRef<Path>) -> Result<Generated, Error> {
        self.run(out.as_ref(), false)
    }

    /// Writes nothing, and says how `out` differs from what [`generate`](Config::generate)
    /// would write ([`Outcome::diff`]).
    pub fn check(&self, out: impl AsRef<Path>) -> Result<Generated, Error> {
        self.run(out.as_ref(), true)
    }

    fn run(&self, out: &Path, check: bool) -> Result<Generated, Error> {
        // A folder that cannot be written is refused before any work. One that has a crate is
        // locked before that crate is read, since the new `api.json` and changelog are made from
        // it: a run reading it while another writes would undo the other's changelog section.
        crate::write::guard::output_folder(out).map_err(Error::Other)?;
        let lock = if !check && out.is_dir() { Some(crate::write::lock(out).map_err(Error::Other)?) } else { None };
        let rendered = crate::render::render(self, &previous(out))?;
        let outcome = match lock {
            Some(_) => crate::write::sync_held(out, &rendered.files, check),
            None => crate::write::sync(out, &rendered.files, check),
        }
        .map_err(Error::Other)?;
        Ok(Generated { rendered, outcome })
    }

    /// The document's path.
    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// How headers and messages name the document.
    pub fn spec_label(&self) -> &str {
        &self.spec_name
    }
}

/// What a run made, and what it changed in the output folder.
#[derive(Debug)]
pub struct Generated {
    pub rendered: Rendered,
    pub outcome: Outcome,
}

/// Why a run wrote nothing.
#[derive(Debug)]
pub enum Error {
    /// The document has problems, each with its file and line or JSON pointer.
    Spec(Diagnostics),
    /// The configuration or the output folder cannot be used, writing failed, or the
    /// generator has a bug (the message says which).
    Other(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(d) => write!(f, "{d}"),
            Error::Other(m) => write!(f, "error: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// `path` relative to the current folder when it is inside it, for shorter messages and for
/// headers that do not depend on the machine's folders.
pub fn display(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
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
