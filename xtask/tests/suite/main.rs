//! The tests of `cargo xtask` and the generator as users drive it, as one test binary:
//! expected crates and messages, the change report, the command's writes, and the crates it
//! makes compiled. `UPDATE_EXPECT=1 cargo test -p xtask --test suite` rewrites the expectations.
//!
//! One binary rather than one per file: each linked the generator again, and the tests that
//! build crates in a nested cargo run side by side here instead of one after another.

mod support;

mod broken;
mod changes;
mod codegen;
mod dependents;
mod hostile;
mod lean;
mod library;
mod snapshots;
mod writing;
