//! What the client needs of a credential, and the ways of applying one that security schemes
//! share. The crate's `Auth` (one variant per scheme of the document) implements
//! [`Credential`] with these helpers; so may a caller's own type.
// Each API uses the helpers of its own schemes only.
#![allow(dead_code)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use crate::clock::Clock;
use crate::error::ConfigError;

/// A boxed future, as trait methods return them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a `TokenSource` may use to get a token, and what a [`Credential`] is told of an
/// attempt: the client's HTTP client, its base URL (a relative token URL is resolved against
/// it), its clock, and the OAuth2 scopes wanted.
#[derive(Clone, Copy)]
pub struct TokenContext<'a> {
    /// The client's HTTP client, with its timeout and TLS settings.
    pub http: &'a reqwest::Client,
    /// The URL of the API's server.
    pub base_url: &'a reqwest::Url,
    /// The client's clock.
    pub clock: &'a dyn Clock,
    /// Given to a [`Credential`]: the OAuth2 scopes the operation requires of it, sorted, each
    /// once (empty when it names none). Given to `TokenSource::fetch`: the scopes to ask
    /// the token for, which `TokenSource::scopes` chose.
    pub scopes: &'a [&'a str],
}

impl fmt::Debug for TokenContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenContext")
            .field("base_url", &self.base_url.as_str())
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// A kind of credential, as operations name those they accept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Scheme {
    /// A request signature with Exoscale's `EXO2-HMAC-SHA256`.
    Exo2HmacSha256,
    /// A bearer token (HTTP `bearer`, OAuth2, OpenID Connect).
    Bearer,
    /// HTTP basic authentication.
    Basic,
    /// An API key in a header, the query or a cookie.
    ApiKey,
    /// A header of the caller's own, for schemes the client cannot apply itself.
    Header,
}

/// A credential a client can hold and apply to requests.
pub trait Credential: fmt::Debug + Send + Sync + 'static {
    /// Which kind of credential this is: a request carries it when its operation accepts
    /// that kind.
    fn scheme(&self) -> Scheme;

    /// The header a [`Scheme::Header`] credential sets: a client holds one such credential
    /// per header name, and one of every other kind.
    fn header_name(&self) -> Option<&HeaderName> {
        None
    }

    /// Adds the credential to `request`, which is complete: a signature covers it as sent.
    fn apply(&self, request: &mut reqwest::Request) -> Result<(), String>;

    /// Adds the credential to an attempt's `request`, as the client does: `context` holds
    /// the OAuth2 scopes the operation requires of it and the client's clock (a signature's
    /// expiry is read on it). The default ignores them and calls [`Credential::apply`].
    fn apply_with(&self, request: &mut reqwest::Request, context: TokenContext<'_>) -> Result<(), String> {
        let _ = context;
        self.apply(request)
    }

    /// Gets what the credential needs before it can be applied, when it does not hold it
    /// (an OAuth2 access token for `context.scopes`): run before each attempt that carries
    /// the credential. `None`, the default, for a credential that holds all it needs.
    fn prepare<'a>(&'a self, context: TokenContext<'a>) -> Option<BoxFuture<'a, Result<(), String>>> {
        let _ = context;
        None
    }

    /// The server answered 401 to a request carrying the credential: it forgets what
    /// [`Credential::prepare`] got, and says whether it did (the request is then sent once
    /// more, with a new one). The default: nothing to renew.
    fn rejected(&self) -> bool {
        false
    }

    /// [`Credential::rejected`] for a request of an operation requiring `context.scopes`, as
    /// the client calls it: a credential holding a token per set of scopes forgets that one
    /// only. The default calls [`Credential::rejected`].
    fn rejected_with(&self, context: TokenContext<'_>) -> bool {
        let _ = context;
        self.rejected()
    }
}

/// Whether a client keeps `new` in the place of `held`.
pub(crate) fn replaces(new: &dyn Credential, held: &dyn Credential) -> bool {
    new.scheme() == held.scheme() && new.header_name() == held.header_name()
}

/// A secret value (token, password, key) that `Debug` never shows.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`; an empty one is refused.
    pub fn new(value: impl Into<String>) -> Result<Self, ConfigError> {
        let value = value.into();
        if value.trim().is_empty() {
            return Err(ConfigError("the secret is empty".into()));
        }
        Ok(Self(value))
    }

    /// The secret itself, for a [`Credential`] to apply.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Sets `name: value`, marked sensitive so that reqwest's own `Debug` hides it.
pub(crate) fn set_header(request: &mut reqwest::Request, name: HeaderName, value: &str) -> Result<(), String> {
    let mut value =
        HeaderValue::from_str(value).map_err(|_| format!("the credentials are not a valid `{name}` header value"))?;
    value.set_sensitive(true);
    request.headers_mut().insert(name, value);
    Ok(())
}

/// `Authorization: Bearer <token>`.
pub(crate) fn bearer(request: &mut reqwest::Request, token: &Secret) -> Result<(), String> {
    set_header(request, AUTHORIZATION, &format!("Bearer {}", token.0))
}

/// `Authorization: Basic <base64 of user:password>`.
pub(crate) fn basic(request: &mut reqwest::Request, username: &str, password: &Secret) -> Result<(), String> {
    use base64::Engine as _;
    let pair = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{}", password.0));
    set_header(request, AUTHORIZATION, &format!("Basic {pair}"))
}

/// An API key in the header `name`.
pub(crate) fn api_key_header(request: &mut reqwest::Request, name: &str, key: &Secret) -> Result<(), String> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("{name:?} is not a valid header name"))?;
    set_header(request, name, &key.0)
}

/// An API key as the query parameter `name`.
pub(crate) fn api_key_query(request: &mut reqwest::Request, name: &str, key: &Secret) -> Result<(), String> {
    request.url_mut().query_pairs_mut().append_pair(name, &key.0);
    Ok(())
}

/// An API key as the cookie `name`, added to those the operation's parameters set.
pub(crate) fn api_key_cookie(request: &mut reqwest::Request, name: &str, key: &Secret) -> Result<(), String> {
    let cookie = format!("{name}={}", key.0);
    let cookies = match request.headers().get(COOKIE).and_then(|v| v.to_str().ok()) {
        Some(existing) => format!("{existing}; {cookie}"),
        None => cookie,
    };
    set_header(request, COOKIE, &cookies)
}

/// Reads `<var>` when it is set: `None` when it is not, an error when it is empty.
pub(crate) fn env_secret(var: &str) -> Option<Result<Secret, ConfigError>> {
    let value = std::env::var(var).ok()?;
    Some(Secret::new(value))
}
