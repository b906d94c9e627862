//! The project's automation, as a library so tests can drive it.

pub mod bench;
pub mod codegen;
pub mod corpus;
pub mod format;
pub mod write;

use std::path::PathBuf;

/// The workspace root (the folder holding `spec/`, `generated/`, …).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives one level below the root").to_path_buf()
}
