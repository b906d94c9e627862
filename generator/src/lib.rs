//! Turns an OpenAPI 3.0/3.1 document into the source of a Rust client crate.
//!
//! [`Config`] is the way in: `Config::new(spec).crate_name(name).generate(out)` writes the
//! crate `cargo xtask codegen` writes. Behind it, the stages: [`read`] reads the document,
//! [`lower`] builds the plain [`model`] (every name decided, every reference resolved, every
//! problem reported), [`emit`] turns the model into token streams, one per file, [`render`]
//! formats them and compares the API with the crate it replaces ([`changes`]), and [`write`](mod@write)
//! brings the output folder to exactly those files. ARCHITECTURE.md is the map.

pub mod changes;
mod config;
pub mod diagnostic;
pub mod emit;
pub mod escape;
pub mod header;
pub mod json_schema;
pub mod lower;
pub mod model;
pub mod names;
pub mod read;
pub mod render;
pub mod write;

pub use config::{display, previous, Config, Error, Generated};
pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::{File, FileContents, Options};
pub use lower::features::Split;
pub use lower::select::Selection;
pub use render::Rendered;
pub use write::Outcome;
