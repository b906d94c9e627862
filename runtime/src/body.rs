//! A request body given whole, as a file, or as a stream: binary uploads need not be held in
//! memory.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

/// The body of a binary upload: bytes in memory, a file read as it is sent, or any stream of
/// chunks. Bytes and files can be sent again when a call is retried; a stream is sent once,
/// so a call with one is not retried, and it cannot be signed by a scheme that signs the body
/// (`EXO2-HMAC-SHA256`).
#[derive(Clone)]
pub struct Body(pub(crate) Source);

#[derive(Clone)]
pub(crate) enum Source {
    Bytes(Bytes),
    File(PathBuf),
    /// Taken by the first attempt of any request sharing it.
    Stream(Arc<Mutex<Option<reqwest::Body>>>),
}

/// Bytes read at a time from a file or standard input: each read of a tokio file is a trip to
/// a blocking thread, and `ReaderStream`'s default of 4 KiB made a gigabyte 262,144 of them.
pub(crate) const CHUNK: usize = 64 * 1024;

impl Body {
    /// The file at `path`, opened and read for each attempt as it is sent.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Body(Source::File(path.into()))
    }

    /// Chunks from `stream`, sent as they come (for example a file's, or standard input's,
    /// through `tokio_util::io::ReaderStream`).
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    {
        Body(Source::Stream(Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(stream))))))
    }

    /// Whether every attempt can send it again.
    pub(crate) fn replayable(&self) -> bool {
        !matches!(self.0, Source::Stream(_))
    }

    /// The body for one attempt.
    pub(crate) fn for_attempt(&self) -> Result<reqwest::Body, String> {
        match &self.0 {
            Source::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Source::File(path) => {
                let file = std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
                let file = tokio::fs::File::from_std(file);
                Ok(reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(file, CHUNK)))
            }
            Source::Stream(stream) => stream
                .lock()
                .map_err(|_| "the body stream was poisoned".to_string())?
                .take()
                .ok_or_else(|| "a body stream can be sent only once".to_string()),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Bytes(bytes) => write!(f, "Body({} bytes)", bytes.len()),
            Source::File(path) => write!(f, "Body(file {})", path.display()),
            Source::Stream(_) => f.write_str("Body(stream)"),
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body(Source::Bytes(bytes.into()))
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body(Source::Bytes(bytes))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Body(Source::Bytes(Bytes::from_static(bytes)))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body(Source::Bytes(text.into()))
    }
}
