//! The project's automation, as a library so tests can drive it. Generation itself is the
//! `generator` crate's [`Config`](generator::Config); this is the corpus runner and the
//! project's places.

pub mod corpus;

pub use project::{peak_memory_kb, require_corpus, root as project_root};
