//! Which files a document may have read, and reading them: a document is input from anyone,
//! and its `$ref`s name files. Only regular files (a FIFO or a device would block or never
//! end) of at most [`MAX_SIZE`], inside the document's own folder (its git repository's, if
//! it is in one) or folders the user allows.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest file read: the largest real documents are a few tens of MB.
pub const MAX_SIZE: u64 = 64 << 20;

/// The folders whose files a document's references may read.
#[derive(Debug, Clone)]
pub struct Access {
    roots: Vec<PathBuf>,
}

impl Access {
    /// For the document at `spec`: its git repository (the nearest folder above it with a
    /// `.git`), or else its folder; and `allowed`.
    pub fn for_document(spec: &Path, allowed: &[PathBuf]) -> Self {
        let folder = spec.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let folder = folder.canonicalize().unwrap_or_else(|_| folder.to_path_buf());
        let repository = folder.ancestors().find(|dir| dir.join(".git").exists()).map(Path::to_path_buf);
        let mut roots = vec![repository.unwrap_or(folder)];
        roots.extend(allowed.iter().map(|dir| dir.canonicalize().unwrap_or_else(|_| dir.clone())));
        Access { roots }
    }

    /// The bytes of `path`, if the document may read it.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        // Where it really is, links followed, so that no link leads out.
        let real = path.canonicalize().map_err(|e| e.to_string())?;
        if !self.roots.iter().any(|root| real.starts_with(root)) {
            return Err("the file is outside the document's folder (or its git repository); \
                        `cargo xtask codegen --allow-ref-dir DIR` allows another folder"
                .into());
        }
        read_regular(&real)
    }
}

/// The bytes of the regular file `path`, up to [`MAX_SIZE`].
pub fn read_regular(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !metadata.is_file() {
        return Err("not a regular file".into());
    }
    let too_big = || format!("the file is larger than {} MiB", MAX_SIZE >> 20);
    if metadata.len() > MAX_SIZE {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // The size can change between the look and the read.
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_SIZE + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_SIZE {
        return Err(too_big());
    }
    Ok(bytes)
}

/// Whether a reference names a URL (`https://…`, `file:…`) rather than a path: a scheme is
/// letters, digits, `+`, `-` and `.` before a colon, and a relative path's first segment
/// has no colon (RFC 3986 §4.2).
pub fn is_url(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else { return false };
    // `C:` is a drive, not a scheme.
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        for url in ["https://a/b.yaml", "http://a", "file:///etc/passwd", "urn:x:y"] {
            assert!(is_url(url), "{url}");
        }
        for path in ["a.yaml", "./a.yaml#/b", "../x/y.json", "C:/x.yaml", "dir/a:b.yaml", "#/a:b"] {
            assert!(!is_url(path), "{path}");
        }
    }
}
