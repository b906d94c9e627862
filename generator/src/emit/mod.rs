//! Emission: the model to token streams, one per file. Nothing here reads the document or
//! can fail; every decision was made by lowering.

mod auth;
pub use auth::env_vars;
mod cli;
mod docs;
mod examples;
mod manifest;
mod operations;
mod root;
mod runtime;
mod server;
mod typeref;
mod types;

use proc_macro2::TokenStream;

use crate::model::Api;

/// What the caller decides about the crate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name (`exoscale-api`).
    pub crate_name: String,
    /// How the header of every file names the source (`spec/openapi.yaml`).
    pub source_name: String,
    /// The command the header names (`cargo xtask codegen`).
    pub command: String,
    /// The prefix of the environment variables the client reads (`EXOSCALE`, for
    /// `EXOSCALE_API_KEY`).
    pub env_prefix: String,
}

impl Options {
    /// Options for a crate named `crate_name`: the environment prefix is the name without a
    /// trailing `-api`, `-client` or `-sdk` (`exoscale-api` → `EXOSCALE`).
    pub fn new(crate_name: &str, source_name: &str) -> Self {
        let stem = ["-api", "-client", "-sdk"]
            .iter()
            .find_map(|suffix| crate_name.strip_suffix(suffix))
            .filter(|s| !s.is_empty())
            .unwrap_or(crate_name);
        Self {
            crate_name: crate_name.into(),
            source_name: source_name.into(),
            command: "cargo xtask codegen".into(),
            env_prefix: crate::names::shouty(stem),
        }
    }
}

/// One file of the generated crate, by its path relative to the crate's root.
#[derive(Debug, Clone)]
pub struct File {
    pub path: String,
    pub contents: FileContents,
}

#[derive(Debug, Clone)]
pub enum FileContents {
    /// Rust to be formatted.
    Rust(TokenStream),
    /// Text written as it is (the manifest, hand-written runtime modules).
    Text(String),
}

/// Types per file when the `types` module is split: big APIs have thousands, and files
/// of this size format in parallel while staying readable. A constant, so the split (and
/// the output) does not depend on the machine.
pub const TYPES_PER_FILE: usize = 300;

/// One file of the crate, before it is emitted. Plain data, so callers can emit the parts on
/// several threads (token streams cannot cross threads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Manifest,
    Lib,
    /// The whole `types` module, or its root when it is split.
    Types,
    /// One file of a split `types` module: the types in this index range.
    TypesChunk {
        index: usize,
        start: usize,
        end: usize,
    },
    Operations,
    Servers,
    Auth,
    Examples,
    Cli,
    Runtime(usize),
}

/// The files of the crate for `api`, sorted by path.
pub fn parts(api: &Api) -> Vec<(String, Part)> {
    let mut parts = vec![
        ("Cargo.toml".to_string(), Part::Manifest),
        ("src/lib.rs".to_string(), Part::Lib),
        ("src/operations.rs".to_string(), Part::Operations),
        ("src/servers.rs".to_string(), Part::Servers),
        ("src/auth.rs".to_string(), Part::Auth),
        ("src/examples.rs".to_string(), Part::Examples),
    ];
    if runtime::has_cli(api) {
        parts.push(("src/cli.rs".to_string(), Part::Cli));
    }
    if api.types.len() <= TYPES_PER_FILE {
        parts.push(("src/types.rs".into(), Part::Types));
    } else {
        parts.push(("src/types/mod.rs".into(), Part::Types));
        for (index, start) in (0..api.types.len()).step_by(TYPES_PER_FILE).enumerate() {
            let end = (start + TYPES_PER_FILE).min(api.types.len());
            parts
                .push((format!("src/types/{}.rs", types::chunk_module(index)), Part::TypesChunk { index, start, end }));
        }
    }
    for (i, file) in runtime::FILES.iter().enumerate() {
        if runtime::included(file, api) {
            parts.push((file.path.to_string(), Part::Runtime(i)));
        }
    }
    parts.sort_by(|a, b| a.0.cmp(&b.0));
    parts
}

/// Emits one part.
pub fn emit_part(api: &Api, options: &Options, part: Part) -> FileContents {
    match part {
        Part::Manifest => FileContents::Text(manifest::manifest(api, options)),
        Part::Lib => FileContents::Rust(root::lib_rs(api, options)),
        Part::Types if api.types.len() <= TYPES_PER_FILE => FileContents::Rust(types::types(api)),
        Part::Types => FileContents::Rust(types::types_root(api)),
        Part::TypesChunk { index, start, end } => FileContents::Rust(types::chunk(api, index, start..end)),
        Part::Operations => FileContents::Rust(operations::operations(api)),
        Part::Servers => FileContents::Rust(server::servers(api, options)),
        Part::Auth => FileContents::Rust(auth::auth(api, options)),
        Part::Examples => FileContents::Rust(examples::examples(api)),
        Part::Cli => FileContents::Rust(cli::cli(api, options)),
        Part::Runtime(i) => FileContents::Text(runtime::text(&runtime::FILES[i])),
    }
}

/// Every file of the crate, emitted on this thread.
pub fn emit(api: &Api, options: &Options) -> Vec<File> {
    parts(api).into_iter().map(|(path, part)| File { path, contents: emit_part(api, options, part) }).collect()
}
