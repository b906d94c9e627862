//! One run at a time per output folder: two runs interleaving their renames would leave a crate
//! that is neither's.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The lock file's name in the output folder; `write` ignores it, and it is removed when the
/// run ends.
pub const FILE: &str = ".codegen.lock";

/// Held while a run writes a folder; dropping it removes the lock file and releases it.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: File,
}

impl Lock {
    /// Locks `dir` (which must exist) for this process, or says which process holds it.
    pub fn take(dir: &Path) -> Result<Lock, String> {
        let path = dir.join(FILE);
        // A holder removes the file before it releases it: a file locked here after that is
        // no longer the folder's lock, and the next attempt creates the real one.
        for _ in 0..100 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| format!("{}: cannot create the lock file: {e}", path.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let holder = fs::read_to_string(&path).unwrap_or_default();
                    let holder = holder.trim();
                    let holder = if holder.is_empty() { "a process" } else { holder };
                    return Err(format!(
                        "{}: another run ({holder}) is writing this folder; wait for it to end",
                        dir.display()
                    ));
                }
                Err(TryLockError::Error(e)) => return Err(format!("{}: cannot lock: {e}", path.display())),
            }
            if !same_file(&file, &path) {
                continue;
            }
            file.set_len(0)
                .and_then(|()| write!(file, "process {}", std::process::id()))
                .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
            return Ok(Lock { path, file });
        }
        Err(format!("{}: cannot take the lock: it keeps being replaced", path.display()))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked, so no other run locks a file that is about to vanish.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}
