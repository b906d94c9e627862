//! What came back besides the body: status, headers, request id, attempts.

use reqwest::header::HeaderMap;

/// The headers that carry a request id when the document declares none for the operation.
const REQUEST_ID_HEADERS: &[&str] = &["x-request-id", "request-id"];

/// What a response carried besides its body, and how many attempts the call took.
#[derive(Clone)]
pub struct ResponseMeta {
    status: u16,
    version: reqwest::Version,
    headers: HeaderMap,
    /// The request-id header the document declares for the operation. The id is looked up
    /// when asked for: most successful calls never ask, and every attempt makes a meta.
    declared_request_id: Option<&'static str>,
    attempts: u32,
    notes: Vec<String>,
}

impl std::fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("version", &self.version)
            .field("headers", &self.headers)
            .field("request_id", &self.request_id())
            .field("attempts", &self.attempts)
            .field("notes", &self.notes)
            .finish()
    }
}

impl ResponseMeta {
    /// The metadata of a response to the `attempts`th attempt. `declared` is the request-id
    /// header the document declares for the operation, tried before the usual ones.
    pub(crate) fn new(
        status: u16,
        version: reqwest::Version,
        headers: HeaderMap,
        declared: Option<&'static str>,
        attempts: u32,
    ) -> Self {
        Self { status, version, headers, declared_request_id: declared, attempts, notes: Vec::new() }
    }

    pub(crate) fn set_notes(&mut self, notes: Vec<String>) {
        self.notes = notes;
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The HTTP version the server answered with.
    pub fn version(&self) -> reqwest::Version {
        self.version
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The id the server gave the request (`x-request-id`, `request-id`, or the header the
    /// document declares), to quote when reporting a problem.
    pub fn request_id(&self) -> Option<&str> {
        self.declared_request_id
            .into_iter()
            .chain(REQUEST_ID_HEADERS.iter().copied())
            .find_map(|name| self.headers.get(name))
            .and_then(|value| value.to_str().ok())
    }

    /// How many times the request was sent (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// What the client accepted that the document does not say, one sentence each: a success
    /// status it does not list whose body decoded as the documented success, JSON labelled
    /// as text. Each is also a `tracing` event at INFO.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

/// A type that reads the headers an operation's responses declare: generated per operation
/// that declares some, and `()` for the others.
pub trait FromHeaders: Sized {
    /// Reads the declared headers; one that is missing or does not parse is `None`.
    fn from_headers(headers: &HeaderMap) -> Self;
}

impl FromHeaders for () {
    fn from_headers(_: &HeaderMap) -> Self {}
}
