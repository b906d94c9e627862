//! Code of the caller's that runs around every attempt: to add headers, count, log, or time.

use std::time::Duration;

use reqwest::header::HeaderMap;

/// One attempt of a call, as hooks see it.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The operation's `operationId` (or the name the generator gave it).
    pub operation: &'a str,
    /// The HTTP method.
    pub method: &'a reqwest::Method,
    /// The path template of the operation (`/pets/{id}`), free of parameter values.
    pub path: &'a str,
    /// The URL the request goes to, as built before credentials are applied (so without an
    /// API key sent in the query) and without a user or password: safe to log.
    pub url: &'a reqwest::Url,
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// The server answered (the body is read after the hooks have run).
    Response {
        /// The HTTP status.
        status: u16,
        /// The response headers.
        headers: &'a HeaderMap,
        /// The id the server gave the request, from the header the document declares or
        /// the usual ones (see `ResponseMeta::request_id`).
        request_id: Option<&'a str>,
        /// From sending the request to receiving the headers.
        duration: Duration,
    },
    /// No answer: the connection failed, was reset, or timed out.
    Failed {
        /// Why.
        error: &'a reqwest::Error,
        /// From sending the request to the failure.
        duration: Duration,
    },
}

/// Why the client waits before an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Wait {
    /// Before a retry: the backoff, or the server's `Retry-After`.
    Retry,
    /// For a rate limit to reset: a server said no request remains until then.
    RateLimit,
}

/// Code that runs before each attempt is sent and after each ends, for every call of a client
/// (`ClientBuilder::hook`). Its methods do nothing unless overridden. Hooks run in the order
/// they were added, on the task of the call, so they should not block.
pub trait Hook: Send + Sync + 'static {
    /// Runs when the request of an attempt is complete, credentials and signature included,
    /// just before it is sent: it may add headers (a signature does not cover them).
    fn before_attempt(&self, attempt: &Attempt<'_>, request: &mut reqwest::Request) {
        let _ = (attempt, request);
    }

    /// Runs when an attempt has ended, whether it will be retried or not.
    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        let _ = (attempt, outcome);
    }

    /// Runs when the client is about to wait `delay` before the attempt `attempt` (a retry,
    /// or any attempt held back by a rate limit).
    fn before_wait(&self, attempt: &Attempt<'_>, wait: Wait, delay: Duration) {
        let _ = (attempt, wait, delay);
    }

    /// Whether the hook wants [`Hook::after_exchange`]: the client then keeps a copy of each
    /// request, which it does not otherwise.
    fn wants_exchanges(&self) -> bool {
        false
    }

    /// Runs when a call's answer has been read whole (a streamed success is not), once per
    /// call, with the last attempt's request; only if [`Hook::wants_exchanges`].
    fn after_exchange(&self, exchange: &Exchange<'_>) {
        let _ = exchange;
    }
}

/// A whole exchange of a call, as [`Hook::after_exchange`] sees it: the request of the last
/// attempt as it was sent (credentials included: a hook that writes it must redact them, as
/// `Recorder` does) and the response with its body read.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    /// The operation's `operationId` (or the name the generator gave it).
    pub operation: &'a str,
    /// The request as sent; its body is there when it was in memory (not a stream).
    pub request: &'a reqwest::Request,
    /// The HTTP status of the response.
    pub status: u16,
    /// The response headers.
    pub headers: &'a HeaderMap,
    /// The response body as it came.
    pub body: &'a [u8],
}
