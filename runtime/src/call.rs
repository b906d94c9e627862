//! One call of an operation: what every operation's method returns. Awaiting it sends the
//! request; its methods first adjust this call alone (timeout, headers, retries) or ask for
//! what came back besides the body.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::client::{Client, RawResponse, Request};
use crate::error::Error;
use crate::meta::{FromHeaders, ResponseMeta};
use crate::retry::RetryPolicy;

/// A call of an operation, sent when awaited: `client.list_things().await` gives the typed
/// body. Before awaiting, a call takes the operation's optional parameters, each by a method
/// of its own (`.limit(10)`), may set its own timeout, headers and retry policy, and
/// [`Call::send_with_meta`] gives the status, headers and request id with the body. `H` is
/// the type of the headers the operation's responses declare ([`Call::send_with_headers`]),
/// `()` when they declare none; `O` is the operation's own type, whose `impl` holds the
/// methods of its optional parameters.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T, E, H = (), O = ()> {
    client: Client,
    /// Set by the generated setters of optional parameters, in place.
    pub(crate) request: Request,
    decode: fn(&RawResponse) -> Result<T, Error<E>>,
    options: CallOptions,
    marker: PhantomData<fn() -> (H, O)>,
}

/// What one call sets for itself, over the client's settings.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: HeaderMap,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) deadline: Option<Duration>,
}

impl<T, E, H, O> std::fmt::Debug for Call<T, E, H, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call").field("request", &self.request).field("options", &self.options).finish_non_exhaustive()
    }
}

impl<T, E, H, O> Call<T, E, H, O> {
    pub(crate) fn new(client: Client, request: Request, decode: fn(&RawResponse) -> Result<T, Error<E>>) -> Self {
        Self { client, request, decode, options: CallOptions::default(), marker: PhantomData }
    }

    /// How long each attempt of this call may take, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// How long this call may take, all its attempts and waits included, instead of the
    /// client's deadline.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Adds the header `name: value` to this call's request, after the client's own headers
    /// and the operation's parameters.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.options.headers.append(name, value);
        self
    }

    /// The same call again, its request changed by `change`: the next page of a paginated
    /// operation is its first call with the paging parameter moved on.
    // For `pages.rs`, which only crates with a paginated operation hold.
    #[allow(dead_code)]
    pub(crate) fn again(&self, change: impl FnOnce(&mut Request)) -> Self {
        let mut request = self.request.clone();
        change(&mut request);
        Self {
            client: self.client.clone(),
            request,
            decode: self.decode,
            options: self.options.clone(),
            marker: PhantomData,
        }
    }

    /// The request this call sends.
    #[allow(dead_code)]
    pub(crate) fn request(&self) -> &Request {
        &self.request
    }

    /// Retries this call as `policy` says, instead of as the client does.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Sends the request and decodes the answer: what awaiting the call does.
    pub async fn send(self) -> Result<T, Error<E>> {
        // Not through `send_with_meta`: a second async layer would hold a second copy of
        // the call in a future that every call allocates.
        let response = self.client.execute(&self.request, &self.options).await?;
        self.decoded(response).map(|(value, _)| value)
    }

    /// Sends the request and decodes the answer, keeping its status, headers and request id.
    /// A failure keeps them too ([`Error::response`]).
    pub async fn send_with_meta(self) -> Result<(T, ResponseMeta), Error<E>> {
        let response = self.client.execute(&self.request, &self.options).await?;
        self.decoded(response)
    }

    fn decoded(&self, response: RawResponse) -> Result<(T, ResponseMeta), Error<E>> {
        let decoded = (self.decode)(&response);
        let (meta, body) = response.into_parts();
        match decoded {
            Ok(value) => Ok((value, meta)),
            Err(error) => {
                let attempts = meta.attempts();
                Err(error.with_response(Some(meta), attempts).with_body(body))
            }
        }
    }
}

impl<T, E, H: FromHeaders, O> Call<T, E, H, O> {
    /// Sends the request and decodes the answer, with the headers the operation declares read
    /// into `H`, and the rest of what came back.
    pub async fn send_with_headers(self) -> Result<(T, H, ResponseMeta), Error<E>> {
        let (value, meta) = self.send_with_meta().await?;
        Ok((value, H::from_headers(meta.headers()), meta))
    }
}

impl<T: Send + 'static, E: Send + 'static, H: 'static, O: 'static> IntoFuture for Call<T, E, H, O> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
