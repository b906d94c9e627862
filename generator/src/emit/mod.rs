//! Emission: the model to token streams, one per file. Nothing here reads the document or
//! can fail; every decision was made by lowering.

mod auth;
mod cli;
mod docs;
mod doubles;
mod examples;
mod gate;
mod manifest;
mod mocks;
pub use manifest::{semver_or_default, FALLBACK_VERSION};
mod operations;
mod responses;
mod root;
mod runtime;
mod server;
mod structs;
mod traits;
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
    /// The crate's version; by default the document's `info.version` as cargo needs it.
    pub version: Option<String>,
}

impl Options {
    /// Options for a crate named `crate_name`.
    pub fn new(crate_name: &str, source_name: &str) -> Self {
        Self { crate_name: crate_name.into(), source_name: crate::escape::one_line(source_name), version: None }
    }

    /// The crate's name in paths (`exoscale_api`).
    pub fn lib_name(&self) -> crate::names::Ident {
        crate::names::lib_name(&self.crate_name)
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
    /// Rust to be formatted, in pieces: the first holds the file's inner attributes, and each
    /// is a run of whole items. A huge API's file is made of many pieces, so that it is parsed
    /// and printed a piece at a time instead of as one syntax tree several times its size.
    Rust(Vec<TokenStream>),
    /// Text written as it is (the manifest, hand-written runtime modules).
    Text(String),
}

pub use crate::lower::TYPES_PER_FILE;

/// One file of the crate, before it is emitted. Plain data, so callers can emit the parts on
/// several threads (token streams cannot cross threads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Manifest,
    Lib,
    /// The whole `types` module, or its root when it is split.
    Types,
    /// One file of a split `types` module: `Api::type_files[index]`, which holds `types` types.
    TypesChunk {
        index: usize,
        types: usize,
    },
    /// The whole `operations` module, or its root when it is split by feature.
    Operations,
    /// The operations of `Api::features[index]`.
    OperationsGroup(usize),
    Servers,
    Auth,
    Examples,
    /// The `doubles` module: recording, replay and drift.
    Doubles,
    /// The typed mocks' expectations, a submodule of `doubles` compiled with `mock`.
    Expectations,
    Cli,
    /// The subcommands of `Api::features[index]`.
    CliGroup(usize),
    Runtime(usize),
}

/// The files of the crate for `api`, sorted by path.
pub fn parts(api: &Api) -> Vec<(String, Part)> {
    let mut parts = vec![
        ("Cargo.toml".to_string(), Part::Manifest),
        ("src/lib.rs".to_string(), Part::Lib),
        ("src/servers.rs".to_string(), Part::Servers),
        ("src/auth.rs".to_string(), Part::Auth),
        ("tests/examples/main.rs".to_string(), Part::Examples),
        ("src/doubles.rs".to_string(), Part::Doubles),
    ];
    if runtime::has_cli(api) {
        parts.push(("src/doubles/expectations.rs".to_string(), Part::Expectations));
        parts.push(("src/cli.rs".to_string(), Part::Cli));
        for (index, feature) in api.features.iter().enumerate() {
            parts.push((format!("src/cli/{}.rs", feature.module.unraw()), Part::CliGroup(index)));
        }
    }
    if api.features.is_empty() {
        parts.push(("src/operations.rs".to_string(), Part::Operations));
    } else {
        parts.push(("src/operations/mod.rs".to_string(), Part::Operations));
        for (index, feature) in api.features.iter().enumerate() {
            parts.push((format!("src/operations/{}.rs", feature.module.unraw()), Part::OperationsGroup(index)));
        }
    }
    if api.type_files.is_empty() {
        parts.push(("src/types.rs".into(), Part::Types));
    } else {
        parts.push(("src/types/mod.rs".into(), Part::Types));
        for (index, file) in api.type_files.iter().enumerate() {
            let part = Part::TypesChunk { index, types: file.members.len() };
            parts.push((format!("src/types/{}.rs", file.module), part));
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
        Part::Lib => FileContents::Rust(vec![root::lib_rs(api, options)]),
        Part::Types if api.type_files.is_empty() => FileContents::Rust(vec![types::types(api)]),
        Part::Types => FileContents::Rust(vec![types::types_root(api)]),
        Part::TypesChunk { index, .. } => FileContents::Rust(vec![types::chunk(api, index)]),
        Part::Operations if api.features.is_empty() => FileContents::Rust(operations::operations(api)),
        Part::Operations => FileContents::Rust(vec![operations::operations_root(api)]),
        Part::OperationsGroup(index) => FileContents::Rust(operations::operations_group(api, index)),
        Part::Servers => FileContents::Rust(vec![server::servers(api)]),
        Part::Auth => FileContents::Rust(vec![auth::auth(api)]),
        Part::Examples => FileContents::Rust(vec![examples::examples(api, options)]),
        Part::Doubles => FileContents::Rust(vec![doubles::doubles(api)]),
        Part::Expectations => FileContents::Rust(mocks::expectations(api)),
        Part::Cli => FileContents::Rust(vec![cli::cli(api, options)]),
        Part::CliGroup(index) => FileContents::Rust(cli::cli_group(api, options, index)),
        Part::Runtime(i) => FileContents::Text(runtime::text(&runtime::FILES[i])),
    }
}

/// The runtime file (its name in `runtime/src/`) that the file at `path` (relative to a
/// generated crate) copies, if it is one: written with the generated header and
/// `#![cfg_attr(rustfmt, rustfmt::skip)]` above the runtime's text.
pub fn runtime_source(path: &str) -> Option<&'static str> {
    runtime::FILES.iter().find(|file| file.path == path).map(|file| file.source)
}

/// Every file of the crate, emitted on this thread.
pub fn emit(api: &Api, options: &Options) -> Vec<File> {
    parts(api).into_iter().map(|(path, part)| File { path, contents: emit_part(api, options, part) }).collect()
}
