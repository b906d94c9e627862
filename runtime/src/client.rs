//! The HTTP client shared by every operation: configuration, sending requests, and reading
//! responses within a size limit.
// Each API uses a subset of these helpers (query parameters, form bodies, …).
#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument as _;

use bytes::Bytes;

use crate::body::Body;
use crate::budget::RetryBudget;
use crate::byte_stream::ByteStream;
use crate::call::{Call, CallOptions};
use crate::clock::{Clock, SystemClock};
use crate::content::Content;
use crate::credential::TokenContext;
use crate::credential::{Credential, Scheme};
use crate::encoding::{invalid, is_json, param_string, query_pairs, QueryStyle};
use crate::error::{ConfigError, Error, ErrorKind, StatusError};
use crate::hook::{Attempt, Hook, Outcome, Wait};
use crate::meta::ResponseMeta;
use crate::pace::{Pacer, Pause, RateLimits};
use crate::retry::{idempotent, retryable_status, RetryPolicy};
use crate::security::Required;

/// A credential chosen for a request, and the OAuth2 scopes the operation requires of it.
type Chosen<'a> = (&'a Arc<dyn Credential>, &'static [&'static str]);

/// Responses larger than this are refused, unless the builder sets another limit.
pub const DEFAULT_MAX_BODY_SIZE: usize = 16 * 1024 * 1024;

/// How long one attempt may take, from sending to the end of the body, unless the builder
/// sets another timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a whole call may take, its attempts and the waits between them, unless the
/// builder sets another deadline: a server that accepts and never answers costs a call this
/// long, not a timeout per attempt.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

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
    /// `base_url` parsed (by the builder, which refuses an invalid one): what credentials are
    /// told, a relative token URL being resolved against it.
    base: reqwest::Url,
    /// One credential per kind (custom headers: per name), in the order they were added.
    auth: Vec<Arc<dyn Credential>>,
    max_body_size: usize,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    clock: Arc<dyn Clock>,
    /// The call's deadline, unless a call sets its own.
    deadline: Option<Duration>,
    /// The builder's timeout, when the client is the builder's own (a client given by the
    /// caller has its own timeout).
    timeout: Option<Duration>,
    budget: Arc<RetryBudget>,
    pacer: Pacer,
}

// The helpers of the retry loop are `Inner`'s, not `Client`'s: an operation's method may
// take any name but `Client`'s own (`reserved.rs`).
impl Inner {
    /// What a credential is told of an attempt for which the operation requires `scopes`.
    fn token_context<'a>(&'a self, scopes: &'a [&'a str]) -> TokenContext<'a> {
        TokenContext { http: &self.http, base_url: &self.base, clock: &*self.clock, scopes }
    }

    /// Gets what `credentials` need before they are applied (OAuth2 tokens for the scopes
    /// the operation requires of each).
    async fn prepare(&self, credentials: &[Chosen<'_>]) -> Result<(), String> {
        for (credential, scopes) in credentials {
            if let Some(preparing) = credential.prepare(self.token_context(scopes)) {
                preparing.await?;
            }
        }
        Ok(())
    }

    /// Tells `credentials` the server answered 401 to them: whether any forgot what it held
    /// (so that a new one may be got).
    fn rejected(&self, credentials: &[Chosen<'_>]) -> bool {
        // Every one is told, not only the first.
        credentials.iter().filter(|(credential, scopes)| credential.rejected_with(self.token_context(scopes))).count()
            > 0
    }

    /// Whether a retry may follow attempt `number` after `delay`: only within the deadline,
    /// and while the client's retry budget lasts. `Some` with the tokens the retry took.
    fn retry_allowed(
        &self,
        number: u32,
        delay: Duration,
        after_timeout: bool,
        within_deadline: impl Fn(Duration) -> bool,
    ) -> Option<u32> {
        if !within_deadline(delay) {
            tracing::debug!(attempt = number, "no retry: the call's deadline comes first");
            return None;
        }
        let cost = self.budget.take(after_timeout);
        if cost.is_none() {
            tracing::info!(attempt = number, "no retry: the client's retry budget is spent");
        }
        cost
    }

    /// Waits `delay` before `attempt`, having told the hooks and tracing.
    async fn wait(&self, attempt: &Attempt<'_>, wait: Wait, delay: Duration) {
        for hook in &self.hooks {
            hook.before_wait(attempt, wait, delay);
        }
        let reason = match wait {
            Wait::RateLimit => "the rate limit to reset",
            _ => "a retry",
        };
        tracing::info!(attempt = attempt.number, delay_ms = delay.as_millis() as u64, "waiting for {reason}");
        self.clock.sleep(delay).await;
    }

    /// How long an attempt may take: its own timeout, shortened to what is left before the
    /// call's deadline. A streamed success is not cut at the deadline: its events or bytes
    /// may rightly take longer than any call.
    fn attempt_timeout(
        &self,
        request: &Request,
        options: &CallOptions,
        deadline: Option<SystemTime>,
    ) -> Option<Duration> {
        let own = options.timeout.or(self.timeout);
        let Some(deadline) = deadline.filter(|_| !request.stream_success) else { return own };
        // Never zero: reqwest would fail the request before sending it, with a less clear
        // error than the timeout it is.
        let left = deadline.duration_since(self.clock.now()).unwrap_or_default().max(Duration::from_millis(1));
        Some(own.map_or(left, |own| own.min(left)))
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &redact(&self.inner.base_url))
            .field("auth", &self.inner.auth)
            .field("max_body_size", &self.inner.max_body_size)
            .field("retry", &self.inner.retry)
            .field("hooks", &self.inner.hooks.len())
            .field("deadline", &self.inner.deadline)
            .field("budget", &self.inner.budget)
            .field("pacer", &self.inner.pacer)
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
            retry: RetryPolicy::default(),
            hooks: Vec::new(),
            clock: Arc::new(SystemClock),
            deadline: Some(DEFAULT_DEADLINE),
            budget: Arc::new(RetryBudget::default()),
            rate_limits: RateLimits::default(),
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

    /// A call of an operation: `request`, whose answer `decode` reads.
    pub(crate) fn call<T, E, H, O>(
        &self,
        request: Request,
        decode: fn(&RawResponse) -> Result<T, Error<E>>,
    ) -> Call<T, E, H, O> {
        Call::new(self.clone(), request, decode)
    }

    /// Sends `request` until an attempt succeeds, fails for good, or the retries allowed run
    /// out, and reads the last answer's body. One span per call; an event per attempt.
    pub(crate) async fn execute(&self, request: &Request, options: &CallOptions) -> Result<RawResponse, Failure> {
        if let Some(problem) = &request.problem {
            return Err(Failure { kind: FailureKind::InvalidRequest(problem.clone()), response: None, attempts: 0 });
        }
        let span = tracing::info_span!(
            "call",
            operation = request.operation,
            method = %request.method,
            path = request.template,
            attempts = tracing::field::Empty,
        );
        self.attempts(request, options, span.clone()).instrument(span).await
    }

    /// `span` is the call's: recorded through the handle rather than `Span::current()`,
    /// which asks the dispatcher for it each time.
    async fn attempts(
        &self,
        request: &Request,
        options: &CallOptions,
        span: tracing::Span,
    ) -> Result<RawResponse, Failure> {
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        // Only what may be repeated without a second effect is sent again.
        let repeatable = (idempotent(&request.method) || request.idempotency_key.is_some())
            && request.body.as_ref().is_none_or(|(_, body)| body.replayable());
        let mut allowed = if repeatable { 1 + policy.retries() } else { 1 };
        // A 401 to a renewable credential (an OAuth2 token) is answered by one more attempt
        // with a new one: a request the server refused before acting on it.
        let resendable = request.body.as_ref().is_none_or(|(_, body)| body.replayable());
        let mut renewed = false;
        let credentials = crate::security::choose(&self.inner.auth, request.security, |c| c.scheme());
        let url = request.url(&self.inner.base_url).map_err(|e| Failure {
            kind: FailureKind::InvalidRequest(e),
            response: None,
            attempts: 0,
        })?;
        // What hooks see: credentials are applied to each attempt's request, not to this URL.
        let shown = without_userinfo(&url);
        let clock = &*self.inner.clock;
        let deadline = options.deadline.or(self.inner.deadline).and_then(|limit| clock.now().checked_add(limit));
        // A wait that would end at or past the deadline is not begun.
        let within_deadline = |delay: Duration| deadline.is_none_or(|deadline| clock.now() + delay < deadline);
        let mut number = 0;
        let mut retry_wait = None;
        let mut last_retry_cost = None;
        loop {
            number += 1;
            let failure = |kind, response| Failure { kind, response, attempts: number };
            let attempt = Attempt {
                operation: request.operation,
                method: &request.method,
                path: request.template,
                url: &shown,
                number,
            };
            if let Some(delay) = retry_wait.take() {
                self.inner.wait(&attempt, Wait::Retry, delay).await;
            }
            match self.inner.pacer.pause(clock.now()) {
                Some(Pause::Wait(delay)) if within_deadline(delay) => {
                    self.inner.wait(&attempt, Wait::RateLimit, delay).await;
                }
                Some(Pause::Wait(delay) | Pause::TooLong(delay)) => tracing::info!(
                    attempt = number,
                    reset_in_ms = delay.as_millis() as u64,
                    "the rate limit resets later than the client waits for; sent now"
                ),
                None => {}
            }
            self.inner.prepare(&credentials).await.map_err(|e| failure(FailureKind::Auth(e), None))?;
            // Built afresh each time, so each attempt carries a fresh signature.
            let timeout = self.inner.attempt_timeout(request, options, deadline);
            let mut http_request = self
                .build(request, &url, options, timeout)
                .map_err(|e| failure(FailureKind::InvalidRequest(e), None))?;
            for hook in &self.inner.hooks {
                hook.before_attempt(&attempt, &mut http_request);
            }
            // Only for hooks that record exchanges: a copy of what is sent.
            let sent_copy =
                self.inner.hooks.iter().any(|h| h.wants_exchanges()).then(|| http_request.try_clone()).flatten();
            let started = Instant::now();
            let sent = self.inner.http.execute(http_request).await;
            let duration = started.elapsed();
            let retries_left = number < allowed;
            let mut response = match sent {
                Err(error) => {
                    let error = error.without_url();
                    let outcome = Outcome::Failed { error: &error, duration };
                    self.after(&attempt, &outcome);
                    tracing::debug!(attempt = number, duration_ms = duration.as_millis() as u64, error = %error, "attempt failed");
                    if retries_left && !error.is_builder() {
                        let delay = policy.backoff(number);
                        if let Some(cost) = self.inner.retry_allowed(number, delay, error.is_timeout(), within_deadline)
                        {
                            last_retry_cost = Some(cost);
                            retry_wait = Some(delay);
                            continue;
                        }
                    }
                    span.record("attempts", number);
                    return Err(failure(FailureKind::Transport(error), None));
                }
                Ok(response) => response,
            };
            let status = response.status().as_u16();
            let version = response.version();
            // Moved, not copied: reading the body needs no headers (its length is the body's
            // own size hint).
            let headers = std::mem::take(response.headers_mut());
            let meta = ResponseMeta::new(status, version, headers, request.request_id_header, number);
            self.inner.pacer.observe(meta.headers(), clock.now());
            let outcome =
                Outcome::Response { status, headers: meta.headers(), request_id: meta.request_id(), duration };
            self.after(&attempt, &outcome);
            tracing::debug!(
                attempt = number,
                status,
                duration_ms = duration.as_millis() as u64,
                request_id = meta.request_id(),
                "attempt answered"
            );
            if status == 401 && resendable && !renewed && self.inner.rejected(&credentials) {
                tracing::info!(attempt = number, "401: the credential is renewed and the request sent once more");
                renewed = true;
                allowed += 1;
                continue;
            }
            if retryable_status(status) {
                // A server asking for longer than the caller allows gets its answer returned.
                let delay = match policy.retry_after(meta.headers(), clock.now()) {
                    Some(Ok(delay)) => Some(delay),
                    Some(Err(_)) => None,
                    None => Some(policy.backoff(number)),
                };
                let allowed = delay
                    .filter(|_| retries_left)
                    .and_then(|delay| Some((delay, self.inner.retry_allowed(number, delay, false, within_deadline)?)));
                if let Some((delay, cost)) = allowed {
                    last_retry_cost = Some(cost);
                    retry_wait = Some(delay);
                    continue;
                }
            } else {
                self.inner.budget.succeeded(last_retry_cost);
            }
            span.record("attempts", number);
            if request.stream_success && (200..300).contains(&status) {
                let content_type = meta.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let stream = std::cell::Cell::new(Some(response));
                let resume = Resume { client: self.clone(), request: request.clone(), options: options.clone() };
                return Ok(RawResponse {
                    status,
                    content_type,
                    body: Bytes::new(),
                    stream,
                    resume: std::cell::Cell::new(Some(resume)),
                    meta,
                    notes: Default::default(),
                });
            }
            let raw = self.read(response, meta).await.map_err(|(kind, meta)| failure(kind, Some(meta)))?;
            if let Some(sent) = &sent_copy {
                let exchange = crate::hook::Exchange {
                    operation: request.operation,
                    request: sent,
                    status,
                    headers: raw.meta.headers(),
                    body: &raw.body,
                };
                for hook in &self.inner.hooks {
                    hook.after_exchange(&exchange);
                }
            }
            return Ok(raw);
        }
    }

    fn after(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        for hook in &self.inner.hooks {
            hook.after_attempt(attempt, outcome);
        }
    }

    /// The request of one attempt, credentials applied last so that a signature covers it.
    fn build(
        &self,
        request: &Request,
        url: &reqwest::Url,
        options: &CallOptions,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Request, String> {
        let mut builder = self.inner.http.request(request.method.clone(), url.clone()).header(ACCEPT, request.accept);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some((name, key)) = &request.idempotency_key {
            builder = builder.header(*name, key);
        }
        if !request.cookies.is_empty() {
            builder = builder.header(COOKIE, request.cookies.join("; "));
        }
        for (name, value) in &options.headers {
            builder = builder.header(name, value);
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        if let Some((content_type, body)) = &request.body {
            // Shared, not moved: an attempt may be retried with the same body.
            builder = builder.header(CONTENT_TYPE, content_type).body(body.for_attempt()?);
        }
        let mut built = builder.build().map_err(|e| e.without_url().to_string())?;
        for (auth, scopes) in crate::security::choose(&self.inner.auth, request.security, |c| c.scheme()) {
            auth.apply_with(&mut built, self.inner.token_context(scopes))?;
        }
        Ok(built)
    }

    /// Reads the body within the size limit.
    async fn read(
        &self,
        mut response: reqwest::Response,
        meta: ResponseMeta,
    ) -> Result<RawResponse, (FailureKind, ResponseMeta)> {
        let status = meta.status();
        let limit = self.inner.max_body_size;
        if response.content_length().is_some_and(|len| len > limit as u64) {
            return Err((FailureKind::BodyTooLarge { status, limit }, meta));
        }
        let content_type = meta.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() > limit => {
                    return Err((FailureKind::BodyTooLarge { status, limit }, meta));
                }
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return Err((FailureKind::Transport(e.without_url()), meta)),
            }
        }
        Ok(RawResponse {
            status,
            content_type,
            body: body.into(),
            stream: std::cell::Cell::new(None),
            resume: std::cell::Cell::new(None),
            meta,
            notes: Default::default(),
        })
    }
}

/// What a broken stream needs to reconnect: the call to send again, and the clock to wait on.
// Only crates with event streams reconnect (`stream.rs`).
#[allow(dead_code)]
pub(crate) trait Reconnect: Send + Sync + 'static {
    /// The call sent again with `Last-Event-ID: last_id` (none when empty): the new body, or
    /// `None` when the server says there is nothing more (`204`).
    fn connect(&self, last_id: &str) -> BoxFuture<Result<Option<RawBytes>, String>>;

    /// A wait of `delay`.
    fn sleep(&self, delay: Duration) -> crate::clock::Sleep;
}

pub(crate) type BoxFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>>;

/// A body as it arrives.
pub(crate) type RawBytes = std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// A streamed call, to send again when its body breaks off.
struct Resume {
    client: Client,
    request: Request,
    options: CallOptions,
}

impl Reconnect for Resume {
    fn connect(&self, last_id: &str) -> BoxFuture<Result<Option<RawBytes>, String>> {
        let client = self.client.clone();
        let mut request = self.request.clone();
        if !last_id.is_empty() {
            request = request.header("Last-Event-ID", last_id);
        }
        // The stream counts its own tries, each after the server's `retry:`.
        let options = CallOptions { retry: Some(RetryPolicy::none()), ..self.options.clone() };
        Box::pin(async move {
            let response = client
                .execute(&request, &options)
                .await
                .map_err(|failure| Error::<crate::error::NoErrorResponses>::from(failure).to_string())?;
            match response.status {
                204 => Ok(None),
                200..=299 => match response.stream.take() {
                    Some(body) => Ok(Some(Box::pin(body.bytes_stream()) as RawBytes)),
                    None => Ok(Some(Box::pin(futures_util::stream::iter([Ok(response.body)])) as RawBytes)),
                },
                status => Err(format!("the server answered the reconnection with status {status}")),
            }
        })
    }

    fn sleep(&self, delay: Duration) -> crate::clock::Sleep {
        self.client.inner.clock.sleep(delay)
    }
}

/// A call that failed before an operation could read an answer.
#[derive(Debug)]
pub(crate) struct Failure {
    kind: FailureKind,
    response: Option<ResponseMeta>,
    attempts: u32,
}

#[derive(Debug)]
enum FailureKind {
    InvalidRequest(String),
    Auth(String),
    Transport(reqwest::Error),
    BodyTooLarge { status: u16, limit: usize },
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        let kind = match failure.kind {
            FailureKind::InvalidRequest(message) => ErrorKind::InvalidRequest(message),
            FailureKind::Auth(message) => ErrorKind::Auth(message),
            FailureKind::Transport(error) => ErrorKind::Transport(error),
            FailureKind::BodyTooLarge { status, limit } => ErrorKind::BodyTooLarge { status, limit },
        };
        Error::from(kind).with_response(failure.response, failure.attempts)
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

/// The URL a `Link` header gives, resolved against the API's base URL. One on another server
/// is refused: following it would send the client's credentials to a host the caller never
/// chose.
fn linked_url(base_url: &str, link: &str) -> Result<reqwest::Url, String> {
    let base = reqwest::Url::parse(base_url).map_err(|e| format!("invalid URL {:?}: {e}", redact(base_url)))?;
    let url = base.join(link).map_err(|e| format!("invalid next-page URL {:?}: {e}", redact(link)))?;
    if url.origin() != base.origin() {
        return Err(format!("the next page's URL {:?} is not on the API's server", redact(url.as_str())));
    }
    Ok(url)
}

/// `url` without its user and password, if it has any.
fn without_userinfo(url: &reqwest::Url) -> std::borrow::Cow<'_, reqwest::Url> {
    if url.username().is_empty() && url.password().is_none() {
        return std::borrow::Cow::Borrowed(url);
    }
    let mut url = url.clone();
    // Only URLs that cannot be a base refuse these, and an HTTP URL always can.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    std::borrow::Cow::Owned(url)
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
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    clock: Arc<dyn Clock>,
    deadline: Option<Duration>,
    budget: Arc<RetryBudget>,
    rate_limits: RateLimits,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact(&self.base_url))
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_body_size", &self.max_body_size)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
            .field("clock", &self.clock)
            .field("deadline", &self.deadline)
            .field("budget", &self.budget)
            .field("rate_limits", &self.rate_limits)
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

    /// How long one attempt may take, from sending to the end of the body (default
    /// [`DEFAULT_TIMEOUT`]); the call's [deadline](ClientBuilder::deadline) bounds them all.
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

    /// How calls are retried (default [`RetryPolicy::default`]: two retries, of what is safe
    /// to repeat); [`RetryPolicy::none`] turns retries off. A call may set its own
    /// ([`Call::retry`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How long a whole call may take, all its attempts and the waits between them included
    /// (default [`DEFAULT_DEADLINE`]); `None` for no limit. A retry is not begun if its wait
    /// would end past the deadline, and an attempt's timeout is shortened to what is left
    /// (a streamed success, once it has begun, is not cut). A call may set its own
    /// ([`Call::deadline`]). Beside it, [`ClientBuilder::timeout`] bounds each attempt, as
    /// smithy-rs's operation and attempt timeouts do.
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = deadline.into();
        self
    }

    /// The retries this client's calls may make together (default [`RetryBudget::default`]);
    /// the same budget given to several clients is shared by all of them.
    pub fn retry_budget(mut self, budget: impl Into<Arc<RetryBudget>>) -> Self {
        self.budget = budget.into();
        self
    }

    /// Whether requests wait for an announced rate limit to reset, and for how long at most
    /// (default [`RateLimits::default`]: on, up to a minute).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// The clock the client reads and waits on (default [`SystemClock`]); a
    /// [`ManualClock`](crate::ManualClock) lets tests of retries and pacing run without waiting.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Adds a hook that runs before each attempt is sent and after each ends; hooks run in
    /// the order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
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
        let timeout = self.http.is_none().then_some(self.timeout);
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
                base,
                auth: self.auth,
                max_body_size: self.max_body_size,
                retry: self.retry,
                hooks: self.hooks,
                clock: self.clock,
                deadline: self.deadline,
                timeout,
                budget: self.budget,
                pacer: Pacer::new(self.rate_limits),
            }),
            headers: self.headers,
        })
    }
}

/// A request being put together by an operation. A parameter that cannot be encoded is kept
/// as the request's problem, which the call reports instead of sending anything.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    method: reqwest::Method,
    /// The operation's id, for tracing and hooks.
    operation: &'static str,
    /// The path as the document writes it (`/pets/{id}`).
    template: &'static str,
    /// The path with its parameters filled in.
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<String>,
    /// Cheap to clone, so that each attempt sends the same bytes without copying them.
    body: Option<(String, Body)>,
    accept: &'static str,
    /// The alternatives of credentials the operation accepts, with the scopes it requires
    /// of each (see `security.rs`).
    security: &'static [&'static [Required<Scheme>]],
    /// The `Idempotency-Key` header and the key of this call: it makes a POST or PATCH safe
    /// to retry.
    idempotency_key: Option<(&'static str, String)>,
    /// The header the document declares for the request id, if it does.
    request_id_header: Option<&'static str>,
    /// Whether a success is streamed rather than read whole.
    stream_success: bool,
    /// A whole URL to send to instead of the path and query: the next page a `Link` header
    /// names.
    link: Option<String>,
    problem: Option<String>,
}

impl Request {
    /// A request of the operation `operation` to `template`, whose parameters
    /// [`Request::path_param`] fills in.
    pub(crate) fn new(method: reqwest::Method, operation: &'static str, template: &'static str) -> Self {
        Self {
            method,
            operation,
            template,
            path: template.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: "application/json",
            security: &[],
            idempotency_key: None,
            request_id_header: None,
            stream_success: false,
            link: None,
            problem: None,
        }
    }

    /// The URL under `base_url`, before any credential is applied.
    fn url(&self, base_url: &str) -> Result<reqwest::Url, String> {
        if let Some(link) = &self.link {
            return linked_url(base_url, link);
        }
        let url = format!("{}{}", base_url.trim_end_matches('/'), self.path);
        let mut url = reqwest::Url::parse(&url).map_err(|e| format!("invalid URL {:?}: {e}", redact(&url)))?;
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        Ok(url)
    }

    /// The value of the query parameter `name`, when it has one value.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        let mut values = self.query.iter().filter(|(n, _)| n == name);
        match (values.next(), values.next()) {
            (Some((_, value)), None) => Some(value),
            _ => None,
        }
    }

    /// Sets the query parameter `name` to `value`, in place of any value it had.
    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(n, _)| n != name);
        self.query.push((name.to_string(), value));
    }

    /// Sends the request to `url` (absolute, or relative to the API's base URL) instead.
    pub(crate) fn set_link(&mut self, url: String) {
        self.link = Some(url);
    }

    fn fail(mut self, problem: String) -> Self {
        self.problem.get_or_insert(problem);
        self
    }

    /// The credentials the operation accepts, as alternatives in the document's order, each
    /// scheme with the OAuth2 scopes the alternative requires of it; without this call it is
    /// sent with none.
    pub(crate) fn security(mut self, alternatives: &'static [&'static [Required<Scheme>]]) -> Self {
        self.security = alternatives;
        self
    }

    /// The success is read as it arrives (events, bytes), not whole: the size limit does not
    /// apply to it.
    pub(crate) fn stream_success(mut self) -> Self {
        self.stream_success = true;
        self
    }

    /// The header in which the server gives the request id, as the document declares it.
    pub(crate) fn request_id_header(mut self, name: &'static str) -> Self {
        self.request_id_header = Some(name);
        self
    }

    /// Fills in the path parameter `{name}`, escaped as one segment.
    pub(crate) fn path_param<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match crate::encoding::path_segment(name, value) {
            // An escaped segment holds no braces, so it cannot be taken for another parameter.
            Ok(segment) => {
                self.path = self.path.replace(&format!("{{{name}}}"), &segment);
                self
            }
            Err(problem) => self.fail(problem),
        }
    }

    /// A query parameter in the `form` style, exploded: OpenAPI's default.
    pub(crate) fn query<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Self {
        self.query_styled(name, value, QueryStyle::Form)
    }

    /// A query parameter, in place of any value it was given before (a `deepObject`'s
    /// `name[key]` pairs included).
    pub(crate) fn query_styled<T: Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &T,
        style: QueryStyle,
    ) -> Self {
        match query_pairs(name, value, style) {
            Ok(pairs) => {
                self.query
                    .retain(|(n, _)| n != name && !n.strip_prefix(name).is_some_and(|rest| rest.starts_with('[')));
                self.query.extend(pairs);
                self
            }
            Err(e) => self.fail(invalid(name, &e)),
        }
    }

    /// A header parameter, in place of any value it was given before.
    pub(crate) fn header<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match param_string(value) {
            Ok(text) => {
                self.headers.retain(|(n, _)| *n != name);
                self.headers.push((name, text));
                self
            }
            Err(e) => self.fail(invalid(name, &e)),
        }
    }

    /// The operation's `Idempotency-Key` header: the caller's key, or one made for this call.
    /// Every attempt of the call carries the same key.
    pub(crate) fn idempotency_key<T: Serialize + ?Sized>(mut self, name: &'static str, given: Option<&T>) -> Self {
        let key = match given.map(param_string) {
            Some(Ok(key)) => key,
            Some(Err(e)) => return self.fail(invalid(name, &e)),
            None => uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid().to_string(),
        };
        self.idempotency_key = Some((name, key));
        self
    }

    pub(crate) fn cookie<T: Serialize + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        match param_string(value) {
            // Percent-encoded, so a value cannot add a cookie of its own with `;`.
            Ok(text) => {
                let prefix = format!("{name}=");
                self.cookies.retain(|cookie| !cookie.starts_with(&prefix));
                self.cookies.push(format!("{prefix}{}", crate::encoding::cookie_value(&text)));
                self
            }
            Err(e) => self.fail(invalid(name, &e)),
        }
    }

    /// The body is serialised here, once, so that what is signed is what is sent.
    pub(crate) fn json_body<T: Serialize + ?Sized>(mut self, media_type: &str, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some((media_type.to_string(), Body::from(bytes)));
                self
            }
            Err(e) => self.fail(invalid("body", &e.to_string())),
        }
    }

    /// The media types the operation documents, when they are not just JSON.
    pub(crate) fn accept(mut self, media_types: &'static str) -> Self {
        self.accept = media_types;
        self
    }

    pub(crate) fn form_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        let text = crate::encoding::form_pairs(body)
            .and_then(|pairs| serde_urlencoded::to_string(pairs).map_err(|e| e.to_string()));
        match text {
            Ok(text) => {
                self.body = Some(("application/x-www-form-urlencoded".into(), Body::from(text.into_bytes())));
                self
            }
            Err(e) => self.fail(invalid("body", &e)),
        }
    }

    pub(crate) fn multipart_body<T: Serialize>(mut self, body: &T) -> Self {
        match crate::encoding::multipart(body) {
            Ok((content_type, bytes)) => {
                self.body = Some((content_type, Body::from(bytes)));
                self
            }
            Err(e) => self.fail(invalid("body", &e)),
        }
    }

    pub(crate) fn raw_body(mut self, content_type: &str, body: impl Into<Body>) -> Self {
        self.body = Some((content_type.to_string(), body.into()));
        self
    }
}

/// A response read in full, which an operation decodes.
pub(crate) struct RawResponse {
    status: u16,
    content_type: Option<String>,
    body: Bytes,
    /// A success of an operation that streams it, not read: taken by `events` or
    /// `byte_stream`.
    stream: std::cell::Cell<Option<reqwest::Response>>,
    /// How the streamed success is sent again when it breaks off: the call.
    resume: std::cell::Cell<Option<Resume>>,
    meta: ResponseMeta,
    /// What decoding accepted that the document does not say, for `ResponseMeta::notes`.
    notes: std::cell::RefCell<Vec<String>>,
}

impl RawResponse {
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// The metadata, with the notes decoding took, and the body as it came.
    pub(crate) fn into_parts(self) -> (ResponseMeta, Bytes) {
        let mut meta = self.meta;
        meta.set_notes(self.notes.into_inner());
        (meta, self.body)
    }

    fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Records something the client accepted that the document does not say.
    fn note(&self, note: String) {
        tracing::info!(status = self.status, note = %note, "accepted beyond the document");
        self.notes.borrow_mut().push(note);
    }

    pub(crate) fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        match self.content_type.as_deref() {
            Some(content_type) if is_json(content_type) => self.decode_json(),
            // Servers label JSON as text, or not at all: what is documented as JSON and reads
            // as JSON is taken, with a note.
            labelled if labelled.is_none_or(|t| t.trim_start().to_ascii_lowercase().starts_with("text/")) => {
                match serde_json::from_slice::<T>(&self.body) {
                    Ok(value) => {
                        self.note(format!(
                            "the body is labelled {}, and decoded as the JSON the document gives",
                            labelled.unwrap_or("with no content type")
                        ));
                        Ok(value)
                    }
                    Err(_) => Err(self.unexpected_content_type()),
                }
            }
            _ => Err(self.unexpected_content_type()),
        }
    }

    fn decode_json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let message = crate::json_path::describe(&e, &self.body);
            ErrorKind::Decode { status: self.status, message, body: self.text_lossy() }.into()
        })
    }

    fn unexpected_content_type<E>(&self) -> Error<E> {
        ErrorKind::UnexpectedContentType {
            status: self.status,
            content_type: self.content_type.clone(),
            body: self.text_lossy(),
        }
        .into()
    }

    /// A body the document offers as JSON and in other media types: the one the server sent.
    pub(crate) fn content<T: DeserializeOwned, E>(&self) -> Result<Content<T>, Error<E>> {
        let Some(content_type) = self.content_type.clone() else { return self.json().map(Content::Json) };
        if is_json(&content_type) {
            return self.decode_json().map(Content::Json);
        }
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) if essence.starts_with("text/") => Ok(Content::Text { content_type, text }),
            _ => Ok(Content::Bytes { content_type, bytes: self.body.to_vec() }),
        }
    }

    /// The operation's failure when its errors share one body type.
    pub(crate) fn status_error<B, T>(&self, body: B) -> Result<T, Error<StatusError<B>>> {
        Err(Error::documented(StatusError { status: self.status, body }))
    }

    pub(crate) fn text<E>(&self) -> Result<String, Error<E>> {
        String::from_utf8(self.body.to_vec()).map_err(|e| {
            ErrorKind::Decode { status: self.status, message: e.to_string(), body: self.text_lossy() }.into()
        })
    }

    pub(crate) fn bytes(&self) -> Vec<u8> {
        self.body.to_vec()
    }

    /// A success status the document does not list for the operation (a 201 where it gives
    /// 200, as documents made by web frameworks often say): the documented success when its
    /// body decodes as that (`decode`), with a note; else an undocumented status.
    pub(crate) fn undocumented_success<T, E>(&self, decode: fn(&Self) -> Result<T, Error<E>>) -> Result<T, Error<E>> {
        match decode(self) {
            Ok(value) => {
                self.note(format!(
                    "status {} is not documented for this operation; its body decoded as the documented success",
                    self.status
                ));
                Ok(value)
            }
            Err(_) => Err(self.unexpected()),
        }
    }

    /// The success of an operation documented without a body: none may come.
    pub(crate) fn empty<E>(&self) -> Result<(), Error<E>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// The success's body as it arrives: from the connection while it is open, else the body
    /// read whole.
    pub(crate) fn chunks(&self) -> futures_util::stream::BoxStream<'static, Result<Bytes, reqwest::Error>> {
        match self.stream.take() {
            Some(response) => Box::pin(response.bytes_stream()),
            None => Box::pin(futures_util::stream::iter([Ok(self.body.clone())])),
        }
    }

    /// How to reconnect a streamed success that breaks off, taken once (by its events).
    #[allow(dead_code)] // Only crates with event streams resume (`stream.rs`).
    pub(crate) fn take_resume(&self) -> Option<Box<dyn Reconnect>> {
        self.resume.take().map(|resume| Box::new(resume) as Box<dyn Reconnect>)
    }

    /// The success's body as it arrives.
    pub(crate) fn byte_stream<E>(&self) -> Result<ByteStream, Error<E>> {
        Ok(ByteStream::new(self.chunks()))
    }

    pub(crate) fn unexpected<E>(&self) -> Error<E> {
        ErrorKind::UnexpectedStatus { status: self.status, body: self.text_lossy() }.into()
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
