//! The generator's integration tests, as one test binary: the model lowered from small
//! documents, the files it reads, where problems are reported, selection, depth and scale, and
//! property tests standing in for a fuzzer.
//!
//! One binary rather than one per file: each linked the generator again.

mod depth;
mod files;
mod fuzz;
mod model;
mod pointers;
mod scale;
mod select;

/// Runs `f` on a thread with the 2 MiB stack a test thread gets by default, so that recursion
/// that grows with the input shows up here whatever `RUST_MIN_STACK` says.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().unwrap()
}
