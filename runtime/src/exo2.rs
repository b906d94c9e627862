//! The `EXO2-HMAC-SHA256` request signature: an HMAC-SHA256, keyed with the API secret, of
//! the method and path as sent, the body bytes as sent, the decoded values of the query
//! parameters that occur once, and an expiry.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::Mac;
use percent_encoding::percent_decode_str;

use crate::credential::{Credential, Scheme};
use crate::error::ConfigError;

/// How long a signature stays valid, as the reference client does.
pub const VALIDITY: Duration = Duration::from_secs(600);

/// An API key and its secret. The secret never appears in `Debug` output or errors.
#[derive(Clone)]
pub struct Credentials {
    key: String,
    secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("key", &self.key).field("secret", &"<redacted>").finish()
    }
}

impl Credentials {
    /// Credentials from an API key and secret; either being empty is an error.
    pub fn new(key: impl Into<String>, secret: impl Into<String>) -> Result<Self, ConfigError> {
        let (key, secret) = (key.into(), secret.into());
        if key.trim().is_empty() {
            return Err(ConfigError("the API key is empty".into()));
        }
        if secret.trim().is_empty() {
            return Err(ConfigError("the API secret is empty".into()));
        }
        Ok(Self { key, secret })
    }

    /// Credentials from the environment variables `key_var` and `secret_var`.
    pub fn from_env_vars(key_var: &str, secret_var: &str) -> Result<Self, ConfigError> {
        let read = |name: &str| {
            std::env::var(name).map_err(|_| ConfigError(format!("the environment variable {name} is not set")))
        };
        let key = read(key_var)?;
        let secret = read(secret_var)?;
        Self::new(key, secret).map_err(|e| ConfigError(format!("{e} (from {key_var} and {secret_var})")))
    }

    /// The API key (not secret).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The `Authorization` header for a request, valid until `expires` (UNIX seconds).
    /// `url` is the URL as sent: its path keeps its percent-escapes.
    pub fn authorization(&self, method: &str, url: &reqwest::Url, body: &[u8], expires: u64) -> String {
        let (names, values) = signed_query(url.query().unwrap_or(""));
        let mut message = Vec::with_capacity(body.len() + 128);
        message.extend_from_slice(method.to_ascii_uppercase().as_bytes());
        message.push(b' ');
        message.extend_from_slice(url.path().as_bytes());
        message.push(b'\n');
        message.extend_from_slice(body);
        message.push(b'\n');
        message.extend_from_slice(values.as_bytes());
        message.extend_from_slice(b"\n\n");
        message.extend_from_slice(expires.to_string().as_bytes());
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret.as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(&message);
        let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        let mut header = format!("EXO2-HMAC-SHA256 credential={}", self.key);
        if !names.is_empty() {
            header.push_str(",signed-query-args=");
            header.push_str(&names.join(";"));
        }
        header.push_str(&format!(",expires={expires},signature={signature}"));
        header
    }

    /// Signs `request` as it will be sent, valid for [`VALIDITY`] from `now`.
    pub(crate) fn sign(&self, request: &mut reqwest::Request, now: SystemTime) -> Result<(), String> {
        let body: &[u8] = match request.body() {
            None => &[],
            Some(body) => body.as_bytes().ok_or("a streamed body cannot be signed")?,
        };
        let now = now.duration_since(UNIX_EPOCH).map_err(|e| e.to_string())?;
        let expires = (now + VALIDITY).as_secs();
        let header = self.authorization(request.method().as_str(), request.url(), body, expires);
        let value =
            reqwest::header::HeaderValue::from_str(&header).map_err(|_| "the API key is not a valid header value")?;
        request.headers_mut().insert(reqwest::header::AUTHORIZATION, value);
        Ok(())
    }
}

impl Credential for Credentials {
    fn scheme(&self) -> Scheme {
        Scheme::Exo2HmacSha256
    }

    fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
        self.sign(request, SystemTime::now())
    }

    /// Signs with an expiry on the client's clock.
    fn apply_with(
        &self,
        request: &mut reqwest::Request,
        context: crate::credential::TokenContext<'_>,
    ) -> Result<(), String> {
        self.sign(request, context.clock.now())
    }
}

/// The names (sorted) and concatenated decoded values of the query parameters that occur
/// exactly once. Pairs holding a `;` are dropped, as Go's `url.ParseQuery` drops them.
fn signed_query(query: &str) -> (Vec<String>, String) {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty() && !p.contains(';')) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.push((decode(name), decode(value)));
    }
    let mut once: Vec<(String, String)> = pairs
        .iter()
        .filter(|(name, _)| pairs.iter().filter(|(other, _)| other == name).count() == 1)
        .cloned()
        .collect();
    once.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let values = once.iter().map(|(_, v)| v.as_str()).collect();
    (once.into_iter().map(|(n, _)| n).collect(), values)
}

fn decode(text: &str) -> String {
    percent_decode_str(&text.replace('+', " ")).decode_utf8_lossy().into_owned()
}
