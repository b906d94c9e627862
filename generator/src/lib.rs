//! Turns an OpenAPI 3.0/3.1 document into the source of a Rust client crate.
//!
//! The stages: [`source`] reads the document, [`lower`] builds the plain [`model`] (every
//! name decided, every reference resolved, every problem reported), and [`emit`] turns the
//! model into token streams, one per file. Formatting and writing belong to the caller.

mod bundle;
pub mod diagnostic;
pub mod emit;
pub mod lower;
pub mod model;
pub mod names;
mod normalize;
pub mod source;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::{File, FileContents, Options};

/// Reads, lowers and emits the document at `path`.
pub fn generate_file(path: &std::path::Path, options: &Options) -> Result<Generated, Diagnostics> {
    let document = source::load(path)?;
    generate(&document, options)
}

/// Lowers and emits a parsed document.
pub fn generate(document: &source::Document, options: &Options) -> Result<Generated, Diagnostics> {
    let api = lower::lower(document)?;
    let files = emit::emit(&api, options);
    Ok(Generated { files, warnings: api.warnings, operations: api.operations.len(), types: api.types.len() })
}

/// The files of a generated crate, and what the generator had to say about the document.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<File>,
    pub warnings: Vec<Diagnostic>,
    pub operations: usize,
    pub types: usize,
}
