//! The error of every operation.

use std::fmt;

use bytes::Bytes;

use crate::meta::ResponseMeta;

/// Characters of a response body shown in messages; the full body stays in the error
/// ([`Error::body`]).
const EXCERPT: usize = 200;

/// What went wrong with a call: what happened ([`Error::kind`]), and, when the server
/// answered, what came back besides the body ([`Error::response`]): its status, headers and
/// request id. `E` is the operation's own enum of documented error responses, so a caller can
/// match on them with their typed bodies ([`Error::api`]).
pub struct Error<E>(Box<Inner<E>>);

/// Boxed, so that a `Result` of any operation stays small however large its error bodies are.
struct Inner<E> {
    kind: ErrorKind<E>,
    response: Option<ResponseMeta>,
    attempts: u32,
    /// The body as it came: a typed error body re-encoded would lose what its schema does not
    /// declare (validation messages, `detail`), and a status documented without content has
    /// no typed body at all.
    body: Option<Bytes>,
}

/// What went wrong with a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind<E> {
    /// The server answered with a status the API documents as an error.
    Api(E),
    /// The server answered with a status the API does not document for this operation.
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The body, as text (invalid UTF-8 replaced).
        body: String,
    },
    /// The response's content type is not the documented one (or is missing).
    UnexpectedContentType {
        /// The HTTP status.
        status: u16,
        /// The `Content-Type` header, if there was one.
        content_type: Option<String>,
        /// The body, as text (invalid UTF-8 replaced).
        body: String,
    },
    /// The body does not decode into the documented type.
    Decode {
        /// The HTTP status.
        status: u16,
        /// Why decoding failed.
        message: String,
        /// The body, as text (invalid UTF-8 replaced).
        body: String,
    },
    /// The body is larger than the client's limit (`ClientBuilder::max_body_size`).
    BodyTooLarge {
        /// The HTTP status.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The request could not be built from the arguments (a path parameter that would change
    /// the path, a value that cannot be encoded, an invalid base URL).
    InvalidRequest(String),
    /// The credentials could not be got: an OAuth2 token endpoint refused, or could not be
    /// reached.
    Auth(String),
    /// The request did not complete: connection refused or reset, TLS, timeout.
    Transport(reqwest::Error),
}

impl<E> From<ErrorKind<E>> for Error<E> {
    fn from(kind: ErrorKind<E>) -> Self {
        Self(Box::new(Inner { kind, response: None, attempts: 1, body: None }))
    }
}

impl<E> Error<E> {
    /// A documented error response.
    pub(crate) fn documented(error: E) -> Self {
        ErrorKind::Api(error).into()
    }

    /// The same failure with what the response carried and how many attempts it took.
    pub(crate) fn with_response(mut self, response: Option<ResponseMeta>, attempts: u32) -> Self {
        self.0.response = response;
        self.0.attempts = attempts;
        self
    }

    /// The same failure with the body of the response it came from, as it came.
    pub(crate) fn with_body(mut self, body: Bytes) -> Self {
        self.0.body = Some(body);
        self
    }

    /// The body of the response, byte for byte as the server sent it, when the server answered
    /// and the body was read: for a documented error as for any other. `None` when no answer
    /// came, or the body was larger than the client's limit.
    pub fn body(&self) -> Option<&[u8]> {
        self.0.body.as_deref()
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind<E> {
        &self.0.kind
    }

    /// What went wrong, owned.
    pub fn into_kind(self) -> ErrorKind<E> {
        self.0.kind
    }

    /// The documented error, if that is what this is.
    pub fn api(&self) -> Option<&E> {
        match &self.0.kind {
            ErrorKind::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The documented error, or this error when it is something else.
    pub fn into_api(self) -> Result<E, Self> {
        let Inner { kind, response, attempts, body } = *self.0;
        match kind {
            ErrorKind::Api(e) => Ok(e),
            kind => Err(Self(Box::new(Inner { kind, response, attempts, body }))),
        }
    }

    /// The status, headers and request id of the response, when the server answered.
    pub fn response(&self) -> Option<&ResponseMeta> {
        self.0.response.as_ref()
    }

    /// The request id the server gave the response, when it gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.response().and_then(ResponseMeta::request_id)
    }

    /// How many times the request was sent (1 when it was not retried; 0 when it could not
    /// be built).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16>
    where
        E: ApiError,
    {
        match &self.0.kind {
            ErrorKind::Api(e) => Some(e.status()),
            ErrorKind::UnexpectedStatus { status, .. }
            | ErrorKind::UnexpectedContentType { status, .. }
            | ErrorKind::Decode { status, .. }
            | ErrorKind::BodyTooLarge { status, .. } => Some(*status),
            ErrorKind::InvalidRequest(_) | ErrorKind::Auth(_) => None,
            ErrorKind::Transport(e) => e.status().map(|s| s.as_u16()),
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(&self.0.kind, ErrorKind::Transport(e) if e.is_timeout())
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("response", &self.0.response)
            .field("attempts", &self.0.attempts)
            .field("body", &self.0.body.as_deref().map(String::from_utf8_lossy))
            .finish()
    }
}

/// The documented error responses of an operation.
pub trait ApiError: std::error::Error {
    /// The HTTP status of the response.
    fn status(&self) -> u16;
}

/// The start of a body for a message, saying how much is left out: the whole is in the error.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(body) else { return format!("({} bytes, not text)", body.len()) };
    let trimmed = text.trim();
    match trimmed.char_indices().nth(EXCERPT) {
        Some((end, _)) => format!("{}… ({} more bytes)", &trimmed[..end], trimmed.len() - end),
        None => trimmed.to_string(),
    }
}

impl<E: fmt::Display> ErrorKind<E> {
    /// The failure, with an excerpt of the body when `body` and the kind carries one.
    fn fmt_with(&self, f: &mut fmt::Formatter<'_>, body: bool) -> fmt::Result {
        let excerpt = |text: &str| if body { format!(": {}", excerpt(text.as_bytes())) } else { String::new() };
        match self {
            ErrorKind::Api(e) => write!(f, "{e}"),
            ErrorKind::UnexpectedStatus { status, body } => {
                write!(f, "undocumented status {status}{}", excerpt(body))
            }
            ErrorKind::UnexpectedContentType { status, content_type, body } => write!(
                f,
                "status {status}: unexpected content type {}{}",
                content_type.as_deref().unwrap_or("(none)"),
                excerpt(body)
            ),
            ErrorKind::Decode { status, message, body } => {
                write!(f, "status {status}: the body does not decode ({message}){}", excerpt(body))
            }
            ErrorKind::BodyTooLarge { status, limit } => {
                write!(f, "status {status}: the body is larger than the limit of {limit} bytes")
            }
            ErrorKind::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            ErrorKind::Auth(message) => write!(f, "no credentials: {message}"),
            ErrorKind::Transport(e) => write!(f, "request failed: {e}"),
        }
    }
}

impl<E: fmt::Display> fmt::Display for ErrorKind<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_with(f, true)
    }
}

impl<E: fmt::Display> Error<E> {
    /// The message without any of the body, for a caller that shows the body whole after it
    /// (the command-line client).
    // Only the command-line helpers use it, which a crate without operations does not have.
    #[allow(dead_code)]
    pub(crate) fn headline(&self) -> impl fmt::Display + '_ {
        Shown { error: self, body: false }
    }
}

/// An error as a message, with or without an excerpt of its body.
struct Shown<'a, E> {
    error: &'a Error<E>,
    body: bool,
}

impl<E: fmt::Display> fmt::Display for Shown<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.error.0;
        inner.kind.fmt_with(f, self.body)?;
        // A documented error shows the body as it came, never its typed value re-encoded.
        if let (ErrorKind::Api(_), Some(body), true) = (&inner.kind, &inner.body, self.body) {
            if !body.iter().all(u8::is_ascii_whitespace) {
                write!(f, ": {}", excerpt(body))?;
            }
        }
        match (self.error.request_id(), inner.attempts) {
            (Some(id), 0 | 1) => write!(f, " (request id {id})"),
            (Some(id), n) => write!(f, " (request id {id}, after {n} attempts)"),
            (None, 0 | 1) => Ok(()),
            (None, n) => write!(f, " (after {n} attempts)"),
        }
    }
}

/// The failure (with the start of the body the server sent, and how much of it is left out),
/// then the request id and the number of attempts when there is one to say:
/// `503 Service Unavailable: … (request id 4f2a…, after 3 attempts)`.
impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Shown { error: self, body: true }.fmt(f)
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            ErrorKind::Api(e) => Some(e),
            ErrorKind::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// The error type of operations that document no error response: there is no value of it,
/// so such an operation's `ErrorKind::Api` cannot occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoErrorResponses {}

impl fmt::Display for NoErrorResponses {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl std::error::Error for NoErrorResponses {}

impl ApiError for NoErrorResponses {
    fn status(&self) -> u16 {
        match *self {}
    }
}

/// The error of an operation whose documented error responses all have the same body: the
/// status received (which tells them apart) and the body, decoded as documented. One generic
/// type serves every such operation; each has an alias of it named for the operation.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusError<B> {
    /// The HTTP status received.
    pub status: u16,
    /// The body received.
    pub body: B,
}

/// The status alone: [`Error`]'s `Display` adds the body as it came, which re-encoding the
/// typed body would not give (properties its schema does not declare would be lost).
impl<B> fmt::Display for StatusError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::encoding::fmt_status(f, self.status, None)
    }
}

impl<B: fmt::Debug> std::error::Error for StatusError<B> {}

impl<B: fmt::Debug> ApiError for StatusError<B> {
    fn status(&self) -> u16 {
        self.status
    }
}

/// A client that could not be configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub(crate) String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}
