//! The project's automation, as a library so tests can drive it.

pub mod codegen;
pub mod corpus;
pub mod format;
pub mod guard;
pub mod lock;
pub mod write;

use std::path::PathBuf;

/// The workspace root (the folder holding `spec/`, `generated/`, …).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives one level below the root").to_path_buf()
}

/// The peak resident memory of this process so far (`VmHWM`), in kB; Linux only.
pub fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// With `XTASK_PEAK_MEMORY` set, prints the resident memory now and the peak so far, after
/// `stage`, and the time the stage took (since the previous mark): where the peak falls is
/// what to shrink, and a stage whose time grows faster than the document is what to fix.
pub fn memory_mark(stage: &str) {
    static PREVIOUS: std::sync::Mutex<Option<std::time::Instant>> = std::sync::Mutex::new(None);
    if std::env::var_os("XTASK_PEAK_MEMORY").is_none() {
        return;
    }
    let now = std::time::Instant::now();
    let previous = PREVIOUS.lock().map(|mut p| p.replace(now)).unwrap_or(None);
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return };
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).unwrap_or("?").to_owned()
    };
    let took = previous.map(|p| format!(" ({:.1} ms)", (now - p).as_secs_f64() * 1e3)).unwrap_or_default();
    eprintln!("memory after {stage}{took}: {} kB resident, {} kB peak", field("VmRSS:"), field("VmHWM:"));
}

/// Fails with a message naming `path` (and the option `flag` that sets it) when it is not a
/// folder. The corpus lives beside the repository (`../shared/corpus`), so a fresh clone does
/// not have it: say so up front instead of failing later on a file inside it.
pub fn require_corpus(path: &std::path::Path, flag: &str) -> Result<(), String> {
    if path.is_dir() {
        return Ok(());
    }
    Err(format!(
        "the corpus folder {} does not exist: it is `../shared/corpus` beside the repository by default, \
         which a fresh clone does not have; pass {flag} DIR to name one",
        path.display()
    ))
}
