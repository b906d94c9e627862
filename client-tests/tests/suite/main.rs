//! The client tests, as one test binary: the generated clients (the project's crate and the
//! fixture crates client-tests depends on) against local HTTP servers, their command-line
//! clients run as processes, and the contract tests against Prism.
//!
//! One binary rather than one per file: each would link the HTTP stack, wiremock and the
//! fixture crates again, which was most of the suite's build.

mod cli_binary;
#[allow(dead_code)]
mod support;

mod attempts;
mod blocking;
mod cli;
mod client;
mod contract;
mod doubles;
mod framework;
mod mocks;
mod paging;
mod retries;
mod signing;
mod streams;
mod tracing;
