//! Turns an OpenAPI 3.0/3.1 document into the source of a Rust client crate.
//!
//! The stages: [`source`] reads the document, [`lower`] builds the plain [`model`] (every
//! name decided, every reference resolved, every problem reported), and [`emit`] turns the
//! model into token streams, one per file. Formatting and writing belong to the caller.

mod bundle;
pub mod changes;
pub mod diagnostic;
pub mod emit;
pub mod escape;
mod files;
pub mod fragments;
mod hoist;
pub mod json_schema;
pub mod lower;
pub mod model;
pub mod names;
mod normalize;
mod refs;
pub mod source;
mod syntax;
mod yaml_tags;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use emit::{File, FileContents, Options};
