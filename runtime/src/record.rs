//! Recording of exchanges to a file of JSON lines (a cassette), with credentials redacted, and
//! reading such a file back: what replay (`replay.rs`) serves and drift (`drift.rs`) checks.
// A crate without the command-line client or the `mock` feature reads no cassette.
#![allow(dead_code)]

use std::io::Write as _;
use std::path::Path;
use std::sync::Mutex;

use base64::Engine as _;
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};

use crate::hook::{Exchange, Hook};

/// What a cassette holds in place of a credential.
pub const REDACTED: &str = "[REDACTED]";

/// Headers that carry credentials whatever the document says.
const ALWAYS_SECRET: &[&str] = &["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// Words that make a header name look like a credential's, for the caller's own headers,
/// which the document does not name.
const SECRET_WORDS: &[&str] = &["auth", "token", "secret", "key", "password", "signature", "session"];

/// One exchange of a cassette: one line of its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedExchange {
    /// The operation's `operationId`.
    pub operation: String,
    /// The request as sent, credentials redacted.
    pub request: RecordedRequest,
    /// The response as it came, cookies redacted.
    pub response: RecordedResponse,
}

/// The request of a [`RecordedExchange`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The URL's path as sent (`/v2/pets/7`), base URL's path included.
    pub path: String,
    /// The query's pairs, in order, decoded.
    #[serde(default)]
    pub query: Vec<(String, String)>,
    /// The headers, in order; a name may repeat.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body, when there was one.
    #[serde(default, flatten)]
    pub body: RecordedBody,
}

/// The response of a [`RecordedExchange`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers, in order.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body.
    #[serde(default, flatten)]
    pub body: RecordedBody,
}

/// A body: as text when it is UTF-8 (so that the file reads as it came), else in base64.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordedBody {
    /// The body as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A body that is not UTF-8, in standard base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
}

impl RecordedBody {
    fn new(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            _ if bytes.is_empty() => Self::default(),
            Ok(text) => Self { body: Some(text.to_string()), body_base64: None },
            Err(_) => Self { body: None, body_base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)) },
        }
    }

    /// The bytes of the body (none when it has none or its base64 does not decode).
    pub fn bytes(&self) -> Vec<u8> {
        match (&self.body, &self.body_base64) {
            (Some(text), _) => text.as_bytes().to_vec(),
            (None, Some(encoded)) => base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default(),
            (None, None) => Vec::new(),
        }
    }
}

impl RecordedResponse {
    /// The value of the header `name` (any case), the first if it repeats.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The exchanges of a cassette's text, one JSON line each (blank lines skipped). A line that
/// is not an exchange is an error naming its number.
pub fn read_cassette(text: &str) -> Result<Vec<RecordedExchange>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| format!("line {}: not a recorded exchange: {e}", i + 1))
        })
        .collect()
}

/// The exchanges of the cassette at `path`.
pub fn read_cassette_file(path: &Path) -> Result<Vec<RecordedExchange>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    read_cassette(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Which parts of a request carry credentials: the names of the document's security schemes,
/// besides the headers that always do.
#[derive(Debug, Clone, Default)]
pub struct Redaction {
    headers: Vec<String>,
    query: Vec<String>,
}

impl Redaction {
    /// A header that carries a credential (an API key's).
    pub fn header(mut self, name: &str) -> Self {
        self.headers.push(name.to_ascii_lowercase());
        self
    }

    /// A query parameter that carries a credential.
    pub fn query(mut self, name: &str) -> Self {
        self.query.push(name.to_string());
        self
    }

    /// Whether the header `name` is redacted.
    pub fn hides_header(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        ALWAYS_SECRET.contains(&name.as_str())
            || self.headers.contains(&name)
            || SECRET_WORDS.iter().any(|word| name.contains(word))
    }

    /// Whether the query parameter `name` is redacted.
    pub fn hides_query(&self, name: &str) -> bool {
        self.query.iter().any(|q| q == name)
    }

    fn headers(&self, headers: &HeaderMap) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(name, value)| {
                let value = if self.hides_header(name.as_str()) {
                    REDACTED.to_string()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_string(), value)
            })
            .collect()
    }

    /// The exchange as a cassette holds it.
    pub fn record(&self, exchange: &Exchange<'_>) -> RecordedExchange {
        let url = exchange.request.url();
        let query = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if self.hides_query(&name) { REDACTED.to_string() } else { value.into_owned() };
                (name.into_owned(), value)
            })
            .collect();
        let body = exchange.request.body().and_then(|b| b.as_bytes()).unwrap_or_default();
        RecordedExchange {
            operation: exchange.operation.to_string(),
            request: RecordedRequest {
                method: exchange.request.method().to_string(),
                path: url.path().to_string(),
                query,
                headers: self.headers(exchange.request.headers()),
                body: RecordedBody::new(body),
            },
            response: RecordedResponse {
                status: exchange.status,
                headers: self.headers(exchange.headers),
                body: RecordedBody::new(exchange.body),
            },
        }
    }
}

/// A hook that appends each exchange of a client's calls to a file, one JSON line each,
/// credentials redacted (`ClientBuilder::hook`). The crate's `doubles::recorder` makes one
/// that knows the document's credentials.
#[derive(Debug)]
pub struct Recorder {
    file: Mutex<std::fs::File>,
    redaction: Redaction,
}

impl Recorder {
    /// Appends to the file at `path`, created if absent.
    pub fn append_to(path: impl AsRef<Path>, redaction: Redaction) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self { file: Mutex::new(file), redaction })
    }
}

impl Hook for Recorder {
    fn wants_exchanges(&self) -> bool {
        true
    }

    fn after_exchange(&self, exchange: &Exchange<'_>) {
        let recorded = self.redaction.record(exchange);
        // A line is written whole under the lock, so that concurrent calls do not mix lines.
        let Ok(mut line) = serde_json::to_vec(&recorded) else { return };
        line.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(e) = file.write_all(&line) {
            tracing::warn!(error = %e, "cannot record an exchange");
        }
    }
}
