//! Writing a generated crate: all files are prepared before any is replaced, files whose
//! contents did not change are left alone (so nothing downstream rebuilds), and `--check`
//! compares instead of writing. Where a run may write is `guard`'s to say; one run at a time
//! holds the folder's `lock`. A file is this tool's when its first line is the
//! [`header`](crate::header) a run writes: only those are replaced or removed.

pub mod guard;
pub mod lock;

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::header::is_generated;

/// What writing (or checking) found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files that were (or would be) created or changed.
    pub changed: Vec<PathBuf>,
    /// Generated files no longer produced, that were (or would be) removed.
    pub removed: Vec<PathBuf>,
    /// In check mode: a unified diff of every difference.
    pub diff: String,
}

impl Outcome {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Brings `dir` to exactly `files` (paths relative to `dir`), or in `check` mode only
/// reports how it differs.
pub fn sync(dir: &Path, files: &[(String, String)], check: bool) -> Result<Outcome, String> {
    let _lock = if check { None } else { Some(lock(dir)?) };
    sync_held(dir, files, check)
}

/// Creates `dir` if need be and locks it for this run, once [`guard`] allows it.
pub fn lock(dir: &Path) -> Result<lock::Lock, String> {
    guard::output_folder(dir)?;
    fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    lock::Lock::take(dir)
}

/// [`sync`] for a caller that holds the folder's [`lock()`] (or only checks).
pub fn sync_held(dir: &Path, files: &[(String, String)], check: bool) -> Result<Outcome, String> {
    guard::output_folder(dir)?;
    let mut seen = std::collections::HashSet::new();
    for (relative, _) in files {
        if !seen.insert(relative) {
            return Err(format!("{relative}: generated twice; this is a bug"));
        }
        guard::no_links(dir, relative)?;
    }
    if !check {
        remove_leftovers(dir)?;
    }
    let mut outcome = Outcome::default();
    let mut pending: Vec<(PathBuf, &str)> = Vec::new();
    let mut foreign = Vec::new();
    for (relative, contents) in files {
        let path = dir.join(relative);
        let current = fs::read_to_string(&path).ok().map(|s| s.replace("\r\n", "\n"));
        if current.as_deref() == Some(contents.as_str()) {
            continue;
        }
        if current.as_deref().is_some_and(|text| !is_generated(&path, text)) {
            foreign.push(path.display().to_string());
        }
        if check {
            let old = current.unwrap_or_default();
            let diff = TextDiff::from_lines(&old, contents);
            let name = path.display().to_string();
            outcome.diff.push_str(&diff.unified_diff().context_radius(3).header(&name, &name).to_string());
        }
        outcome.changed.push(path.clone());
        pending.push((path, contents));
    }
    let wanted: Vec<PathBuf> = files.iter().map(|(p, _)| dir.join(p)).collect();
    for stale in generated_files(dir).into_iter().filter(|p| !wanted.contains(p)) {
        if check {
            outcome.diff.push_str(&format!("--- {0}\n+++ /dev/null\n(would be removed)\n", stale.display()));
        }
        outcome.removed.push(stale);
    }
    if check || outcome.is_clean() {
        return Ok(outcome);
    }
    if !foreign.is_empty() {
        return Err(format!(
            "refusing to overwrite files this tool did not write (no `@generated` first line): {}",
            foreign.join(", ")
        ));
    }
    // Stage every new file beside its destination first; only when all are written are they
    // renamed into place, so a failure leaves the previous crate as it was.
    let mut staged = Vec::new();
    for (path, contents) in &pending {
        match stage(path, contents) {
            Ok(temp) => staged.push((temp, path)),
            Err(e) => {
                for (temp, _) in staged {
                    let _ = fs::remove_file(temp);
                }
                return Err(e);
            }
        }
    }
    let mut staged = staged.into_iter();
    while let Some((temp, path)) = staged.next() {
        if let Err(e) = fs::rename(&temp, path) {
            for (rest, _) in staged.by_ref().chain(std::iter::once((temp, path))) {
                let _ = fs::remove_file(rest);
            }
            return Err(format!("{}: cannot replace: {e}", path.display()));
        }
    }
    for stale in &outcome.removed {
        fs::remove_file(stale).map_err(|e| format!("{}: cannot remove: {e}", stale.display()))?;
    }
    Ok(outcome)
}

fn stage(path: &Path, contents: &str) -> Result<PathBuf, String> {
    let parent = path.parent().ok_or_else(|| format!("{}: no parent folder", path.display()))?;
    fs::create_dir_all(parent).map_err(|e| format!("{}: cannot create: {e}", parent.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = parent.join(temp_name(name, std::process::id()));
    let mut file = fs::File::create(&temp).map_err(|e| format!("{}: cannot write: {e}", temp.display()))?;
    // No fsync: the rename makes each file whole for readers and on interruption; surviving
    // a power cut is the file system's business, and fsync per file tripled the write time.
    file.write_all(contents.as_bytes()).map_err(|e| format!("{}: cannot write: {e}", temp.display()))?;
    Ok(temp)
}

/// Where a file is staged before it is renamed into place: hidden, and named so that the next
/// run recognises it as its own leftover (an interrupted run's) and removes it.
pub fn temp_name(name: &str, pid: u32) -> String {
    format!(".{name}.codegen-{pid}.tmp")
}

/// Whether `name` is a file name [`temp_name`] gives.
pub fn is_leftover(name: &str) -> bool {
    name.strip_suffix(".tmp").and_then(|rest| rest.rsplit_once(".codegen-")).is_some_and(|(stem, pid)| {
        stem.len() > 1 && stem.starts_with('.') && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The folders below the crate's root that the generator writes into: the library's, and its
/// test's (`tests/examples/`; the rest of `tests/` is the user's).
const FOLDERS: &[&str] = &["src", "tests/examples"];

/// The regular files of the crate's own folders (its root, and [`FOLDERS`] and below) that may
/// be this tool's: links are not followed, so nothing outside the output folder is looked at.
fn own_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    // A folder reached through a link (`tests` linked elsewhere) is not the crate's.
    let mut stack: Vec<PathBuf> =
        FOLDERS.iter().filter(|folder| guard::no_links(dir, folder).is_ok()).map(|folder| dir.join(folder)).collect();
    if let Ok(entries) = fs::read_dir(dir) {
        out.extend(entries.flatten().filter(|e| e.file_type().is_ok_and(|k| k.is_file())).map(|e| e.path()));
    }
    while let Some(current) = stack.pop() {
        if !fs::symlink_metadata(&current).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let Ok(entries) = fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
    out
}

/// Removes the staged files an interrupted run left. Only runs holding the lock stage files,
/// so any found now is a leftover.
fn remove_leftovers(dir: &Path) -> Result<(), String> {
    for path in own_files(dir) {
        if path.file_name().and_then(|n| n.to_str()).is_some_and(is_leftover) {
            fs::remove_file(&path).map_err(|e| format!("{}: cannot remove a leftover: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The files of a previous run that may be stale: `Cargo.toml` and those under [`FOLDERS`]
/// that carry this tool's header. A crate or file beside or inside the output folder is never
/// touched.
fn generated_files(dir: &Path) -> Vec<PathBuf> {
    let manifest = dir.join("Cargo.toml");
    let mut out: Vec<PathBuf> =
        own_files(dir).into_iter().filter(|p| p.parent() != Some(dir) || *p == manifest).collect();
    out.retain(|path| fs::read_to_string(path).is_ok_and(|text| is_generated(path, &text)));
    out.sort();
    out
}
