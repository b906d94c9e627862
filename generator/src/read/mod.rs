//! Reading: a document's bytes (and the files its `$ref`s reach) to the typed `openapiv3`
//! model, with the places that model cannot hold kept aside as JSON.
//!
//! Invariants on leaving this stage: every reference points inside the one document
//! (other files are bundled in, references in odd places hoisted into components); 3.1
//! constructs are rewritten as 3.0 ones (`normalize`); every problem found carries its file
//! and line or JSON pointer. Nothing here names a Rust item.

pub(crate) mod bundle;
pub(crate) mod files;
pub mod fragments;
pub(crate) mod hoist;
pub(crate) mod normalize;
pub(crate) mod refs;
pub mod source;
pub(crate) mod syntax;
pub(crate) mod yaml_tags;

pub use source::Document;
