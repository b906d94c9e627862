//! Tests of the generated client; see `tests/`. The README's examples compile here too.
#![doc = include_str!("../../README.md")]
