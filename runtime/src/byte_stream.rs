//! A response body read as its chunks arrive, never held whole, so the client's size limit
//! does not apply to it.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt as _;

/// The body of a response as its chunks arrive, never held whole: `.next().await` each
/// chunk (it is a [`Stream`]), or [`ByteStream::collect`] it when it is small.
#[must_use = "a stream does nothing unless polled"]
pub struct ByteStream {
    bytes: Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl ByteStream {
    pub(crate) fn new<S>(bytes: S) -> Self
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        Self { bytes: Box::pin(bytes) }
    }

    /// The whole body in memory.
    pub async fn collect(mut self) -> Result<Vec<u8>, reqwest::Error> {
        let mut out = Vec::new();
        while let Some(chunk) = self.bytes.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.bytes.as_mut().poll_next(cx)
    }
}
