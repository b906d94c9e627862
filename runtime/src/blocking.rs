//! A client for programs that do not run async code, behind the crate's `blocking` feature.
//!
//! As `reqwest::blocking` does, it owns one tokio runtime (current-thread: the caller's thread
//! drives each request) and blocks on it. It is not a second copy of the operations: it
//! dereferences to the async [`crate::Client`], whose methods build each call with the same
//! names, arguments and setters; [`Client::send`] sends a call and waits for its answer, and
//! [`Client::iter`] turns a stream (pages, items, events, a binary body) into an iterator.
//!
//! ```text
//! let client = blocking::Client::new(Client::builder().build()?)?;
//! let pet = client.send(client.get_pet(1).timeout(Duration::from_secs(5)))?;
//! for item in client.iter(client.list_pets().items()) { let pet = item?; }
//! ```
//!
//! Like `reqwest::blocking`, it must not be used from inside an async runtime: blocking there
//! would stall the runtime's thread, and tokio refuses it with a panic.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;
use futures_util::StreamExt as _;

use crate::call::Call;
use crate::error::{ConfigError, Error};
use crate::meta::{FromHeaders, ResponseMeta};

/// A client that blocks: the async [`crate::Client`] (dereferenced to, for its operations)
/// and the runtime that runs its calls. Cloning is cheap: clones share the runtime and the
/// connections.
#[derive(Debug, Clone)]
pub struct Client {
    client: crate::Client,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl Client {
    /// A blocking client that sends the calls of `client`, which keeps its server,
    /// credentials, timeouts, retries and hooks.
    pub fn new(client: crate::Client) -> Result<Self, ConfigError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ConfigError(format!("cannot start the blocking client's runtime: {e}")))?;
        Ok(Self { client, runtime: Arc::new(runtime) })
    }

    /// The async client, to build calls with (also reached by dereferencing).
    pub fn client(&self) -> &crate::Client {
        &self.client
    }

    /// Sends `call` and waits for its answer: what `call.await` gives.
    pub fn send<T, E, H, O>(&self, call: Call<T, E, H, O>) -> Result<T, Error<E>> {
        self.wait(call.send())
    }

    /// Sends `call` and waits for its answer and the response's metadata.
    pub fn send_with_meta<T, E, H, O>(&self, call: Call<T, E, H, O>) -> Result<(T, ResponseMeta), Error<E>> {
        self.wait(call.send_with_meta())
    }

    /// Sends `call` and waits for its answer, its documented headers and metadata.
    pub fn send_with_headers<T, E, H: FromHeaders, O>(
        &self,
        call: Call<T, E, H, O>,
    ) -> Result<(T, H, ResponseMeta), Error<E>> {
        self.wait(call.send_with_headers())
    }

    /// `stream`'s items, each waited for as the iterator is advanced: the items or pages of
    /// a paginated operation, the events of an `EventStream`, the chunks of a `ByteStream`.
    pub fn iter<S: Stream + Send + 'static>(&self, stream: S) -> Iter<S::Item> {
        Iter { stream: Box::pin(stream), runtime: self.runtime.clone() }
    }

    /// Runs `future` to its end on the client's runtime.
    pub fn wait<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

impl std::ops::Deref for Client {
    type Target = crate::Client;

    fn deref(&self) -> &crate::Client {
        &self.client
    }
}

/// The items of a stream, each waited for on the blocking client's runtime.
#[must_use = "an iterator does nothing unless advanced"]
pub struct Iter<T> {
    stream: Pin<Box<dyn Stream<Item = T> + Send>>,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl<T> std::fmt::Debug for Iter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Iter").finish_non_exhaustive()
    }
}

impl<T> Iterator for Iter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.runtime.block_on(self.stream.next())
    }
}
