//! The error of every operation.

use std::fmt;

/// Characters of a response body shown in messages; the full body stays in the error.
const EXCERPT: usize = 200;

/// What can go wrong with a call. `E` is the operation's own enum of documented error
/// responses, so a caller can match on them with their typed bodies.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
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
    /// The request did not complete: connection refused or reset, TLS, timeout.
    Transport(reqwest::Error),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16>
    where
        E: ApiError,
    {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::UnexpectedStatus { status, .. }
            | Error::UnexpectedContentType { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::InvalidRequest(_) => None,
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
        }
    }

    /// The documented error, if that is what this is.
    pub fn api(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }
}

/// The documented error responses of an operation.
pub trait ApiError: std::error::Error {
    /// The HTTP status of the response.
    fn status(&self) -> u16;
}

fn excerpt(body: &str) -> String {
    let trimmed = body.trim();
    match trimmed.char_indices().nth(EXCERPT) {
        Some((end, _)) => format!("{}…", &trimmed[..end]),
        None => trimmed.to_string(),
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "{e}"),
            Error::UnexpectedStatus { status, body } => {
                write!(f, "undocumented status {status}: {}", excerpt(body))
            }
            Error::UnexpectedContentType { status, content_type, body } => write!(
                f,
                "status {status}: unexpected content type {}: {}",
                content_type.as_deref().unwrap_or("(none)"),
                excerpt(body)
            ),
            Error::Decode { status, message, body } => {
                write!(f, "status {status}: the body does not decode ({message}): {}", excerpt(body))
            }
            Error::BodyTooLarge { status, limit } => {
                write!(f, "status {status}: the body is larger than the limit of {limit} bytes")
            }
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Transport(e) => write!(f, "request failed: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(e),
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// The error type of operations that document no error response: there is no value of it,
/// so such an operation's `Error::Api` cannot occur.
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

impl<B: serde::Serialize + 'static> fmt::Display for StatusError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::encoding::fmt_status(f, self.status, Some(&crate::encoding::describe(&self.body)))
    }
}

impl<B: serde::Serialize + fmt::Debug + 'static> std::error::Error for StatusError<B> {}

impl<B: serde::Serialize + fmt::Debug + 'static> ApiError for StatusError<B> {
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
