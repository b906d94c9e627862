//! OAuth2 access tokens the client gets and renews itself: the client-credentials flow, and
//! any other through [`TokenSource`]. A token is held for each set of scopes operations
//! require: fetched once for all concurrent calls needing that set, reused while valid,
//! renewed a little before it expires, and renewed once more when the server answers 401 to it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, CONTENT_TYPE};

use crate::credential::{bearer, BoxFuture, Credential, Scheme, Secret, TokenContext};

/// An access token, and how long it lives.
#[derive(Debug, Clone)]
pub struct Token {
    /// The token, sent as `Authorization: Bearer <token>`.
    pub access_token: Secret,
    /// Its lifetime from now (`expires_in`); `None` when the server did not say, and the
    /// token is used until a 401.
    pub expires_in: Option<Duration>,
}

/// A way of getting an access token: [`ClientCredentials`], or a flow of the caller's own
/// (a token exchange, a token read from a file a sidecar renews), given to
/// [`OAuth2::new`].
pub trait TokenSource: fmt::Debug + Send + Sync + 'static {
    /// Gets a new token for the scopes `context.scopes` (none: the server's default); the
    /// error says why not.
    fn fetch<'a>(&'a self, context: TokenContext<'a>) -> BoxFuture<'a, Result<Token, String>>;

    /// The scopes to get a token for when an operation requires `required` (sorted, each
    /// once): [`OAuth2`] holds a token per such set, and passes it to
    /// [`TokenSource::fetch`]. The default asks for what the operation requires; a source
    /// with scopes of its own returns those whatever the operation requires, and one token
    /// then serves every operation.
    fn scopes(&self, required: &[&str]) -> Vec<String> {
        required.iter().map(|scope| scope.to_string()).collect()
    }
}

/// The longest margin by which a token is renewed before it expires; shorter for a token
/// that lives less than ten times as long (a tenth of its lifetime).
const MAX_RENEWAL_MARGIN: Duration = Duration::from_secs(60);

/// A credential that sends an access token as a bearer token, getting it from its
/// [`TokenSource`] when it has none valid for the scopes the operation requires (as
/// [`TokenSource::scopes`] maps them): before the first request needing them, once the token
/// is within a tenth of its lifetime (at most a minute) of expiring, and after a 401 to it
/// (the request is then sent once more with the new token, never more). A token for some
/// scopes is never sent for others; calls made at once for the same scopes share one fetch;
/// clones share the tokens.
#[derive(Clone)]
pub struct OAuth2 {
    source: Arc<dyn TokenSource>,
    /// A token per set of scopes, keyed by the `scope` value asked for (the scopes sorted,
    /// each once, space-separated).
    held: Arc<Mutex<BTreeMap<String, Arc<Held>>>>,
}

/// The token for one set of scopes.
#[derive(Default)]
struct Held {
    token: Mutex<Option<Current>>,
    /// Held while a token is fetched, so that concurrent calls wait for that fetch.
    fetching: futures_util::lock::Mutex<()>,
}

#[derive(Clone)]
struct Current {
    token: Secret,
    renew_at: Option<SystemTime>,
}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2").field("source", &self.source).finish_non_exhaustive()
    }
}

impl OAuth2 {
    /// A credential whose tokens `source` gets.
    pub fn new(source: impl TokenSource) -> Self {
        Self { source: Arc::new(source), held: Arc::default() }
    }

    /// The client-credentials flow ([`ClientCredentials::new`]).
    pub fn client_credentials(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Secret,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self::new(ClientCredentials::new(token_url, client_id, client_secret, scopes))
    }

    /// The scopes a token is got for when the operation requires `required`, sorted, each
    /// once, as the `scope` value asked for: the key its token is held by.
    fn scope_key(&self, required: &[&str]) -> String {
        let scopes = self.source.scopes(required);
        // A scope token holds no space (RFC 6749, section 3.3): one given with spaces is several.
        let scopes: BTreeSet<&str> = scopes.iter().flat_map(|scope| scope.split_whitespace()).collect();
        scopes.into_iter().collect::<Vec<_>>().join(" ")
    }

    fn apply_scoped(&self, request: &mut reqwest::Request, required: &[&str]) -> Result<(), String> {
        let key = self.scope_key(required);
        match self.held(&key).current() {
            Some(current) => bearer(request, &current.token),
            None if key.is_empty() => Err("no OAuth2 access token was got for the request".into()),
            None => Err(format!("no OAuth2 access token was got for the scopes `{key}`")),
        }
    }

    fn held(&self, key: &str) -> Arc<Held> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.entry(key.to_string()).or_default().clone()
    }

    async fn ensure(&self, context: TokenContext<'_>) -> Result<(), String> {
        let key = self.scope_key(context.scopes);
        let held = self.held(&key);
        if held.valid_at(context.clock.now()) {
            return Ok(());
        }
        let _fetching = held.fetching.lock().await;
        // Another call may have fetched one while this one waited.
        if held.valid_at(context.clock.now()) {
            return Ok(());
        }
        let scopes: Vec<&str> = key.split_whitespace().collect();
        let token = self.source.fetch(TokenContext { scopes: &scopes, ..context }).await?;
        let now = context.clock.now();
        let renew_at = token.expires_in.map(|lifetime| now + lifetime - (lifetime / 10).min(MAX_RENEWAL_MARGIN));
        tracing::info!(
            expires_in_s = token.expires_in.map(|d| d.as_secs()),
            scope = key.as_str(),
            "got an OAuth2 access token"
        );
        *held.token.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(Current { token: token.access_token, renew_at });
        Ok(())
    }
}

impl Held {
    fn current(&self) -> Option<Current> {
        self.token.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn valid_at(&self, now: SystemTime) -> bool {
        self.current().is_some_and(|current| current.renew_at.is_none_or(|at| now < at))
    }

    /// Forgets the token; whether there was one.
    fn forget(&self) -> bool {
        self.token.lock().unwrap_or_else(PoisonError::into_inner).take().is_some()
    }
}

impl Credential for OAuth2 {
    fn scheme(&self) -> Scheme {
        Scheme::Bearer
    }

    /// Sends the token for no scope in particular (or the source's own): what
    /// [`Credential::apply_with`] sends for an operation that names none.
    fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
        self.apply_scoped(request, &[])
    }

    fn prepare<'a>(&'a self, context: TokenContext<'a>) -> Option<BoxFuture<'a, Result<(), String>>> {
        Some(Box::pin(self.ensure(context)))
    }

    fn apply_with(&self, request: &mut reqwest::Request, context: TokenContext<'_>) -> Result<(), String> {
        self.apply_scoped(request, context.scopes)
    }

    /// Forgets every token held.
    fn rejected(&self) -> bool {
        let held: Vec<Arc<Held>> = self.held.lock().unwrap_or_else(PoisonError::into_inner).values().cloned().collect();
        held.iter().filter(|held| held.forget()).count() > 0
    }

    /// Forgets the token for the operation's scopes only: the others were not refused.
    fn rejected_with(&self, context: TokenContext<'_>) -> bool {
        self.held(&self.scope_key(context.scopes)).forget()
    }
}

/// OAuth2's client-credentials flow (RFC 6749, section 4.4): a form POST of
/// `grant_type=client_credentials` and the scopes to the token URL, the client id and secret
/// sent by HTTP Basic authentication, or in the form when the server refuses them so (it is
/// then sent so from the start). The scopes are those each operation requires, unless the
/// flow is given its own: these then replace them for every operation.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    /// The scopes of the caller's own, as given; empty: the operations'.
    scopes: Vec<String>,
    in_form: AtomicBool,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// The answer of a token endpoint (RFC 6749, section 5.1).
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
}

/// Characters `application/x-www-form-urlencoded` leaves as they are, besides letters and
/// digits: the client id and secret are so encoded before Basic authentication (RFC 6749,
/// section 2.3.1), as the `oauth2` crate does.
const FORM: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

impl ClientCredentials {
    /// The flow against `token_url` (absolute, or relative to the API's server URL), asking
    /// for `scopes` whatever the operation (none: for the scopes each operation requires,
    /// a token per set, and no `scope` at all for an operation naming none, so the server's
    /// default).
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Secret,
        scopes: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret,
            scopes: scopes.into_iter().map(Into::into).collect(),
            in_form: AtomicBool::new(false),
        }
    }

    /// Sends the client id and secret in the form from the start, for servers that refuse
    /// them in a Basic `Authorization` header.
    pub fn credentials_in_form(self) -> Self {
        self.in_form.store(true, Ordering::Relaxed);
        self
    }

    async fn request(&self, context: TokenContext<'_>, url: &reqwest::Url, in_form: bool) -> Result<Token, Refused> {
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        // The scopes `scopes` chose, as `OAuth2` keys its tokens: sorted, each once.
        if !context.scopes.is_empty() {
            form.push(("scope", context.scopes.join(" ")));
        }
        if in_form {
            form.push(("client_id", self.client_id.clone()));
            form.push(("client_secret", self.client_secret.expose().to_string()));
        }
        let body = serde_urlencoded::to_string(&form).map_err(|e| Refused::Other(e.to_string()))?;
        let mut request = context
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body);
        if !in_form {
            // The form encoding writes a space as `+`.
            let encode = |text: &str| percent_encoding::utf8_percent_encode(text, FORM).to_string().replace("%20", "+");
            request = request.basic_auth(encode(&self.client_id), Some(encode(self.client_secret.expose())));
        }
        let response = request.send().await.map_err(|e| Refused::Other(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|e| Refused::Other(e.without_url().to_string()))?;
        if !(200..300).contains(&status) {
            let shown: String = text.chars().take(200).collect();
            let message = format!("the token endpoint answered {status}: {shown}");
            // RFC 6749, section 5.2: a client authentication the server does not accept.
            let client_refused = status == 401 || (status == 400 && text.contains("invalid_client"));
            return Err(if client_refused { Refused::Client(message) } else { Refused::Other(message) });
        }
        let answer: TokenResponse = serde_json::from_str(&text)
            .map_err(|e| Refused::Other(format!("the token endpoint's answer is not a token ({e})")))?;
        let access_token = Secret::new(answer.access_token)
            .map_err(|_| Refused::Other("the token endpoint gave an empty token".into()))?;
        Ok(Token { access_token, expires_in: answer.expires_in.map(Duration::from_secs) })
    }
}

/// Why a token request failed: the client's authentication refused, or anything else.
enum Refused {
    Client(String),
    Other(String),
}

impl TokenSource for ClientCredentials {
    fn scopes(&self, required: &[&str]) -> Vec<String> {
        if self.scopes.is_empty() {
            required.iter().map(|scope| scope.to_string()).collect()
        } else {
            self.scopes.clone()
        }
    }

    fn fetch<'a>(&'a self, context: TokenContext<'a>) -> BoxFuture<'a, Result<Token, String>> {
        Box::pin(async move {
            let url = context
                .base_url
                .join(&self.token_url)
                .map_err(|e| format!("invalid token URL {:?}: {e}", self.token_url))?;
            let in_form = self.in_form.load(Ordering::Relaxed);
            let refused = match self.request(context, &url, in_form).await {
                Ok(token) => return Ok(token),
                Err(Refused::Client(message)) if !in_form => message,
                Err(Refused::Client(message) | Refused::Other(message)) => {
                    return Err(format!("no OAuth2 token from {url}: {message}"))
                }
            };
            tracing::info!(reason = %refused, "the token endpoint refused Basic authentication; the credentials go in the form");
            match self.request(context, &url, true).await {
                Ok(token) => {
                    self.in_form.store(true, Ordering::Relaxed);
                    Ok(token)
                }
                Err(Refused::Client(message) | Refused::Other(message)) => {
                    Err(format!("no OAuth2 token from {url}: {message}"))
                }
            }
        })
    }
}
