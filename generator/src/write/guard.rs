//! Which folders a run may write into. A crate is written where there is nothing, or where this
//! tool wrote one before: never into the file system's root or the user's home folder, and
//! never among someone else's files, since stale generated files are removed there.

use std::fs;
use std::path::{Component, Path};

use super::is_leftover;
use crate::header::is_generated;

/// Why `dir` cannot be the output folder, if it cannot.
pub fn output_folder(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    let metadata = match fs::metadata(dir) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{shown}: cannot read: {e}")),
    };
    if !metadata.is_dir() {
        return Err(format!("{shown}: the output must be a folder, and this is a file"));
    }
    let canonical = dir.canonicalize().map_err(|e| format!("{shown}: cannot read: {e}"))?;
    if canonical.parent().is_none() {
        return Err(format!("{shown}: refusing to write a crate into the root folder; choose a new or empty folder"));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).and_then(|h| Path::new(&h).canonicalize().ok());
    if home.as_deref() == Some(canonical.as_path()) {
        return Err(format!("{shown}: refusing to write a crate into the home folder; choose a new or empty folder"));
    }
    if holds_generated_crate(dir) {
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let mut others = entries.flatten().map(|entry| entry.file_name()).filter(|name| {
        let name = name.to_string_lossy();
        name != super::lock::FILE && !is_leftover(&name)
    });
    match others.next() {
        None => Ok(()),
        Some(name) => Err(format!(
            "{shown}: refusing to write a crate into a folder that is not empty ({} is there) and holds no crate this \
             tool wrote (neither Cargo.toml nor api.json starts with its `@generated` line); choose a new or empty folder",
            name.to_string_lossy()
        )),
    }
}

/// Whether `dir` has a manifest or an `api.json` whose first line is this tool's header.
fn holds_generated_crate(dir: &Path) -> bool {
    ["Cargo.toml", crate::changes::manifest::FILE].iter().any(|name| {
        let path = dir.join(name);
        fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            && fs::read_to_string(&path).is_ok_and(|text| is_generated(&path, &text))
    })
}

/// Fails when a folder or file on the way from `dir` to `relative` (the output folder itself
/// aside) is a symbolic link: writing or removing through it would touch files elsewhere.
pub fn no_links(dir: &Path, relative: &str) -> Result<(), String> {
    let mut path = dir.to_path_buf();
    for component in Path::new(relative).components() {
        let Component::Normal(part) = component else {
            return Err(format!("{relative}: not a plain path inside the output folder; this is a bug"));
        };
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "{}: is a symbolic link; refusing to write through it (remove it, and the crate's own file or \
                     folder is written in its place)",
                    path.display()
                ))
            }
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}
