//! Emission: the model to token streams, one per file. Nothing here reads the document or
//! can fail; every decision was made by lowering.

mod auth;
mod cli;
mod docs;
mod examples;
mod manifest;
mod operations;
mod root;
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

/// The runtime modules that do not depend on the document, shipped as written.
const RUNTIME: &[(&str, &str)] = &[
    ("src/client.rs", include_str!("../runtime/client.rs")),
    ("src/error.rs", include_str!("../runtime/error.rs")),
    ("src/encoding.rs", include_str!("../runtime/encoding.rs")),
];

const EXO2: (&str, &str) = ("src/exo2.rs", include_str!("../runtime/exo2.rs"));

pub fn emit(api: &Api, options: &Options) -> Vec<File> {
    let rust = |path: &str, tokens: TokenStream| File { path: path.into(), contents: FileContents::Rust(tokens) };
    let text = |path: &str, text: &str| File { path: path.into(), contents: FileContents::Text(text.into()) };
    let mut files = vec![
        text("Cargo.toml", &manifest::manifest(api, options)),
        rust("src/lib.rs", root::lib_rs(api, options)),
        rust("src/types.rs", types::types(api)),
        rust("src/operations.rs", operations::operations(api)),
        rust("src/servers.rs", server::servers(api, options)),
        rust("src/auth.rs", auth::auth(api, options)),
        rust("src/examples.rs", examples::examples(api)),
        rust("src/cli.rs", cli::cli(api, options)),
    ];
    files.extend(RUNTIME.iter().map(|(path, source)| text(path, source)));
    if auth::uses_exo2(api) {
        files.push(text(EXO2.0, EXO2.1));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}
