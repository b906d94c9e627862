//! The HTTP client shared by every operation: configuration, sending requests, and reading
//! responses within a size limit.
// Each API uses a subset of these helpers (query parameters, form bodies, …).
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::credential::{Credential, Scheme};
use crate::encoding::{invalid, is_json, param_string, query_pairs, QueryStyle};
use crate::error::{ConfigError, Error, StatusError};

/// Responses larger than this are refused, unless the builder sets another limit.
pub const DEFAULT_MAX_BODY_SIZE: usize = 16 * 1024 * 1024;

/// How long a whole request may take, unless the builder sets another timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A client of the API. Cloning is cheap: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Headers added to every request of this handle (see [`Client::with_header`]).
    headers: HeaderMap,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// One credential per kind (custom headers: per name), in the order they were added.
    auth: Vec<Arc<dyn Credential>>,
    max_body_size: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &redact(&self.inner.base_url))
            .field("auth", &self.inner.auth)
            .field("max_body_size", &self.inner.max_body_size)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of the server at `base_url`; the crate's `Client::builder`
    /// passes the document's default server.
    pub(crate) fn builder_for(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_string(),
            auth: Vec::new(),
            http: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            headers: HeaderMap::new(),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A handle that adds `name: value` to every request it sends, sharing this client's
    /// connections: `client.with_header(name, value).list_things().await`.
    pub fn with_header(&self, name: HeaderName, value: HeaderValue) -> Self {
        let mut handle = self.clone();
        handle.headers.insert(name, value);
        handle
    }

    pub(crate) async fn send<E>(&self, request: Request) -> Result<Response, Error<E>> {
        let security = request.security;
        let url = format!("{}{}", self.inner.base_url.trim_end_matches('/'), request.path);
        let mut url = reqwest::Url::parse(&url)
            .map_err(|e| Error::InvalidRequest(format!("invalid URL {:?}: {e}", redact(&url))))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let mut builder = self.inner.http.request(request.method, url).header(ACCEPT, request.accept);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if !request.cookies.is_empty() {
            builder = builder.header(COOKIE, request.cookies.join("; "));
        }
        if let Some((content_type, bytes)) = request.body {
            builder = builder.header(CONTENT_TYPE, content_type).body(bytes);
        }
        let mut request = builder.build().map_err(|e| Error::InvalidRequest(e.without_url().to_string()))?;
        // After everything else, so that a signature covers the request as it is sent.
        for auth in crate::security::choose(&self.inner.auth, security, |c| c.scheme()) {
            auth.apply(&mut request).map_err(Error::InvalidRequest)?;
        }
        // Errors keep no URL: with query-string authentication it would hold the key.
        let mut response = self.inner.http.execute(request).await.map_err(|e| Error::Transport(e.without_url()))?;
        let status = response.status().as_u16();
        let limit = self.inner.max_body_size;
        if response.content_length().is_some_and(|len| len > limit as u64) {
            return Err(Error::BodyTooLarge { status, limit });
        }
        let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| Error::Transport(e.without_url()))? {
            if body.len() + chunk.len() > limit {
                return Err(Error::BodyTooLarge { status, limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, content_type, body })
    }
}

/// `url` with any user and password in it hidden, for messages and `Debug`.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_string() };
    let authority_end = url[scheme_end..].find(['/', '?', '#']).map_or(url.len(), |i| scheme_end + i);
    match url[scheme_end..authority_end].rfind('@') {
        Some(at) => format!("{}<redacted>{}", &url[..scheme_end], &url[scheme_end + at..]),
        None => url.to_string(),
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    auth: Vec<Arc<dyn Credential>>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    user_agent: String,
    max_body_size: usize,
    headers: HeaderMap,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact(&self.base_url))
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_body_size", &self.max_body_size)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to `url` (such as `http://127.0.0.1:8080/v2`) instead of the default.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Adds the credential `auth` (the crate's `Auth`, or any [`Credential`]). The client
    /// holds one credential of each kind (a bearer token, an API key, …; custom headers one
    /// per header name): calling this again with another kind adds it, with the same kind
    /// replaces the earlier one. Each request carries the credential its operation accepts,
    /// trying the document's alternatives in order; an operation that requires none gets
    /// none, and one whose credentials the client does not hold is sent without, for the
    /// server to answer.
    pub fn auth(mut self, auth: impl Credential) -> Self {
        let auth: Arc<dyn Credential> = Arc::new(auth);
        crate::security::add(&mut self.auth, auth, |new, held| crate::credential::replaces(&**new, &**held));
        self
    }

    /// Adds every credential of `auths`, as [`ClientBuilder::auth`] does each; with
    /// `Auth::all_from_env`, every credential set in the environment.
    pub fn auths<C: Credential>(mut self, auths: impl IntoIterator<Item = C>) -> Self {
        for auth in auths {
            self = self.auth(auth);
        }
        self
    }

    /// Sends requests through `client`. Its own settings then apply: the builder's timeout
    /// and user agent are not added to it (default headers still are), and it follows
    /// redirects if it was built to (reqwest's default), where the builder's client does not.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How long a whole request may take (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest response body accepted, in bytes (default [`DEFAULT_MAX_BODY_SIZE`]).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Builds the client; fails on an invalid base URL or user agent.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base = reqwest::Url::parse(&self.base_url)
            .map_err(|e| ConfigError(format!("invalid base URL {:?}: {e}", redact(&self.base_url))))?;
        if base.query().is_some() || base.fragment().is_some() {
            return Err(ConfigError(format!(
                "the base URL {:?} must not have a query or fragment",
                redact(&self.base_url)
            )));
        }
        let http = match self.http {
            Some(http) => http,
            // Redirects are returned, not followed: a documented 3xx is an answer the caller
            // decodes, and an undocumented one shows as such rather than as a request to a URL
            // the caller never chose.
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(self.timeout)
                .user_agent(self.user_agent)
                .build()
                .map_err(|e| ConfigError(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: self.base_url,
                auth: self.auth,
                max_body_size: self.max_body_size,
            }),
            headers: self.headers,
        })
    }
}

/// A request being put together by an operation.
pub(crate) struct Request {
    method: reqwest::Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<String>,
    body: Option<(String, Vec<u8>)>,
    accept: &'static str,
    /// The alternatives of credentials the operation accepts (see `security.rs`).
    security: &'static [&'static [Scheme]],
}

impl Request {
    pub(crate) fn new(method: reqwest::Method, path: String) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: "application/json",
            security: &[],
        }
    }

    /// The credentials the operation accepts, as alternatives in the document's order;
    /// without this call it is sent with none.
    pub(crate) fn security(mut self, alternatives: &'static [&'static [Scheme]]) -> Self {
        self.security = alternatives;
        self
    }

    /// A query parameter in the `form` style, exploded: OpenAPI's default.
    pub(crate) fn query<T: Serialize + ?Sized, E>(self, name: &'static str, value: &T) -> Result<Self, Error<E>> {
        self.query_styled(name, value, QueryStyle::Form)
    }

    pub(crate) fn query_styled<T: Serialize + ?Sized, E>(
        mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
    ) -> Result<Self, Error<E>> {
        self.query.extend(query_pairs(name, value, style).map_err(|e| invalid(name, &e))?);
        Ok(self)
    }

    pub(crate) fn header<T: Serialize + ?Sized, E>(mut self, name: &'static str, value: &T) -> Result<Self, Error<E>> {
        self.headers.push((name, param_string(value).map_err(|e| invalid(name, &e))?));
        Ok(self)
    }

    pub(crate) fn cookie<T: Serialize + ?Sized, E>(mut self, name: &'static str, value: &T) -> Result<Self, Error<E>> {
        // Percent-encoded, so a value cannot add a cookie of its own with `;`.
        let value = param_string(value).map_err(|e| invalid(name, &e))?;
        self.cookies.push(format!("{name}={}", crate::encoding::cookie_value(&value)));
        Ok(self)
    }

    /// The body is serialised here, once, so that what is signed is what is sent.
    pub(crate) fn json_body<T: Serialize + ?Sized, E>(mut self, media_type: &str, body: &T) -> Result<Self, Error<E>> {
        let bytes = serde_json::to_vec(body).map_err(|e| invalid("body", &e.to_string()))?;
        self.body = Some((media_type.to_string(), bytes));
        Ok(self)
    }

    /// The media types the operation documents, when they are not just JSON.
    pub(crate) fn accept(mut self, media_types: &'static str) -> Self {
        self.accept = media_types;
        self
    }

    pub(crate) fn form_body<T: Serialize + ?Sized, E>(mut self, body: &T) -> Result<Self, Error<E>> {
        let pairs = crate::encoding::form_pairs(body).map_err(|e| invalid("body", &e))?;
        let text = serde_urlencoded::to_string(pairs).map_err(|e| invalid("body", &e.to_string()))?;
        self.body = Some(("application/x-www-form-urlencoded".into(), text.into_bytes()));
        Ok(self)
    }

    pub(crate) fn multipart_body<T: Serialize, E>(mut self, body: &T) -> Result<Self, Error<E>> {
        let (content_type, bytes) = crate::encoding::multipart(body).map_err(|e| invalid("body", &e))?;
        self.body = Some((content_type, bytes));
        Ok(self)
    }

    pub(crate) fn raw_body(mut self, content_type: &str, bytes: Vec<u8>) -> Self {
        self.body = Some((content_type.to_string(), bytes));
        self
    }
}

/// A response read in full.
pub(crate) struct Response {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl Response {
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        if !self.content_type.as_deref().is_some_and(is_json) {
            return Err(Error::UnexpectedContentType {
                status: self.status,
                content_type: self.content_type.clone(),
                body: self.text_lossy(),
            });
        }
        serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            status: self.status,
            message: e.to_string(),
            body: self.text_lossy(),
        })
    }

    /// The operation's failure when its errors share one body type.
    pub(crate) fn status_error<B, T>(&self, body: B) -> Result<T, Error<StatusError<B>>> {
        Err(Error::Api(StatusError { status: self.status, body }))
    }

    pub(crate) fn text<E>(&self) -> Result<String, Error<E>> {
        String::from_utf8(self.body.clone()).map_err(|e| Error::Decode {
            status: self.status,
            message: e.to_string(),
            body: self.text_lossy(),
        })
    }

    pub(crate) fn bytes(&self) -> Vec<u8> {
        self.body.clone()
    }

    pub(crate) fn unexpected<E>(&self) -> Error<E> {
        Error::UnexpectedStatus { status: self.status, body: self.text_lossy() }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_in_urls_are_hidden() {
        assert_eq!(redact("https://user:pass@host/v2"), "https://<redacted>@host/v2");
        assert_eq!(redact("https://host/v2?x=a@b"), "https://host/v2?x=a@b");
        assert_eq!(redact("not a url"), "not a url");
    }
}
