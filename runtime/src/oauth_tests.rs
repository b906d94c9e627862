//! OAuth2 client credentials against a local token endpoint and API, on a [`ManualClock`].

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request as Received, Respond, ResponseTemplate};

use crate::client::{RawResponse, Request};
use crate::error::{Error, ErrorKind, NoErrorResponses};
use crate::{Client, ClientCredentials, ManualClock, OAuth2, Scheme, Secret};

fn ok_only(response: &RawResponse) -> Result<(), Error<NoErrorResponses>> {
    if response.status() == 200 {
        Ok(())
    } else {
        Err(response.unexpected())
    }
}

/// An operation's requirement: alternatives of schemes, each with the scopes it requires.
type Security = &'static [&'static [(Scheme, &'static [&'static str])]];
/// A bearer token, for no scope in particular.
const ANY: Security = &[&[(Scheme::Bearer, &[])]];
const READ: Security = &[&[(Scheme::Bearer, &["things:read"])]];
const WRITE: Security = &[&[(Scheme::Bearer, &["things:read", "things:write"])]];

async fn call(client: &Client) -> Result<(), Error<NoErrorResponses>> {
    call_needing(client, ANY).await
}

/// A call of an operation whose requirement is `security`.
async fn call_needing(client: &Client, security: Security) -> Result<(), Error<NoErrorResponses>> {
    let request = Request::new(Method::GET, "list-things", "/things").security(security);
    client.call::<(), NoErrorResponses, (), ()>(request, ok_only).send().await
}

/// A token endpoint that gives `t1`, `t2`, … living `lifetime` seconds, and counts them.
struct Tokens {
    issued: Arc<AtomicUsize>,
    lifetime: u64,
}

impl Respond for Tokens {
    fn respond(&self, _: &Received) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": format!("t{n}"), "token_type": "Bearer", "expires_in": self.lifetime}),
        )
    }
}

/// `Basic base64("my client:s3cret")`, the id form-encoded first.
const BASIC: &str = "Basic bXkrY2xpZW50OnMzY3JldA==";

async fn token_endpoint(server: &MockServer, lifetime: u64) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("scope=things%3Aread+things%3Awrite"))
        .respond_with(Tokens { issued: issued.clone(), lifetime })
        .mount(server)
        .await;
    issued
}

/// The API accepts `token` only.
async fn accepts(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(1)
        .mount(server)
        .await;
}

async fn refuses_others(server: &MockServer) {
    Mock::given(method("GET")).and(path("/v1/things")).respond_with(ResponseTemplate::new(401)).mount(server).await;
}

fn credentials() -> OAuth2 {
    let secret = Secret::new("s3cret").unwrap();
    // Relative: resolved against the server's URL.
    OAuth2::client_credentials("/oauth/token", "my client", secret, ["things:read", "things:write"])
}

fn client(server: &MockServer, clock: &ManualClock) -> Client {
    Client::builder_for(&format!("{}/v1", server.uri())).auth(credentials()).clock(clock.clone()).build().unwrap()
}

async fn api_requests(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.unwrap_or_default();
    received
        .iter()
        .filter(|r| r.url.path() == "/v1/things")
        .map(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn a_token_is_fetched_reused_and_renewed_a_little_before_it_expires() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 100).await;
    accepts(&server, "t1").await;
    accepts(&server, "t2").await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let client = client(&server, &clock);
    call(&client).await.unwrap();
    call(&client).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1, "the token is reused while valid");
    // Renewed 10 s early (a tenth of its 100 s): at 89 s still the same, at 91 s a new one.
    clock.advance(Duration::from_secs(89));
    call(&client).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    clock.advance(Duration::from_secs(2));
    call(&client).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(api_requests(&server).await, ["Bearer t1", "Bearer t1", "Bearer t1", "Bearer t2"]);
}

#[tokio::test]
async fn a_401_renews_the_token_and_repeats_the_request_once() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600).await;
    accepts(&server, "t2").await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let client = client(&server, &clock);
    call(&client).await.expect("t1 is refused, t2 accepted");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(api_requests(&server).await, ["Bearer t1", "Bearer t2"]);
    assert!(clock.slept().is_empty(), "the repeat does not wait");
}

#[tokio::test]
async fn a_second_401_is_the_answer_not_a_loop() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600).await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let client = client(&server, &clock);
    let error = call(&client).await.expect_err("every token is refused");
    assert_eq!((error.status(), error.attempts()), (Some(401), 2));
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(api_requests(&server).await, ["Bearer t1", "Bearer t2"]);
}

#[tokio::test]
async fn a_failed_renewal_gives_up() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "t1"})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .mount(&server)
        .await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let client = client(&server, &clock);
    let error = call(&client).await.expect_err("the renewal fails");
    assert!(matches!(error.kind(), ErrorKind::Auth(m) if m.contains("503") && m.contains("down")), "{error}");
    assert_eq!(api_requests(&server).await, ["Bearer t1"], "nothing is sent without a token");
    let token_requests =
        server.received_requests().await.unwrap().iter().filter(|r| r.url.path() == "/oauth/token").count();
    assert_eq!(token_requests, 2, "one fetch, one failed renewal");
}

#[tokio::test]
async fn concurrent_calls_share_one_fetch() {
    let server = MockServer::start().await;
    let issued = slow_token_endpoint(&server).await;
    accepts(&server, "t1").await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let client = client(&server, &clock);
    let calls: Vec<_> = (0..8).map(|_| call(&client)).collect();
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
}

/// A token endpoint that gives `t1`, `t2`, … whatever is asked, slowly, so that every call
/// made at once is waiting for it.
async fn slow_token_endpoint(server: &MockServer) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(DelayedTokens(Tokens { issued: issued.clone(), lifetime: 3600 }))
        .mount(server)
        .await;
    issued
}

struct DelayedTokens(Tokens);

impl Respond for DelayedTokens {
    fn respond(&self, request: &Received) -> ResponseTemplate {
        self.0.respond(request).set_delay(Duration::from_millis(200))
    }
}

#[tokio::test]
async fn credentials_go_in_the_form_when_basic_is_refused() {
    let server = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("client_id=my+client"))
        .and(body_string_contains("client_secret=s3cret"))
        .respond_with(Tokens { issued: issued.clone(), lifetime: 3600 })
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "invalid_client"})))
        .mount(&server)
        .await;
    accepts(&server, "t1").await;
    accepts(&server, "t2").await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let source = ClientCredentials::new("/oauth/token", "my client", Secret::new("s3cret").unwrap(), ["x"]);
    let client = Client::builder_for(&format!("{}/v1", server.uri()))
        .auth(OAuth2::new(source))
        .clock(clock.clone())
        .build()
        .unwrap();
    call(&client).await.unwrap();
    clock.advance(Duration::from_secs(7200));
    call(&client).await.unwrap();
    let token_requests: Vec<bool> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .map(|r| r.headers.contains_key("authorization"))
        .collect();
    assert_eq!(token_requests, [true, false, false], "Basic once, then the form only");
}

/// The `scope` of each token request the server received, in order (`-` for none).
async fn scopes_asked(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.unwrap_or_default();
    received
        .iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .map(|r| {
            let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&r.body).expect("a form");
            form.into_iter().find(|(name, _)| name == "scope").map_or_else(|| "-".into(), |(_, scope)| scope)
        })
        .collect()
}

/// A token endpoint that gives `t1`, `t2`, … whatever the scopes asked for.
async fn any_scope_token_endpoint(server: &MockServer, lifetime: u64) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", BASIC))
        .respond_with(Tokens { issued: issued.clone(), lifetime })
        .mount(server)
        .await;
    issued
}

/// The flow with no scopes of its own: each operation's are asked for.
fn per_operation_client(server: &MockServer, clock: &ManualClock) -> Client {
    let secret = Secret::new("s3cret").unwrap();
    let credentials = OAuth2::client_credentials("/oauth/token", "my client", secret, [] as [&str; 0]);
    Client::builder_for(&format!("{}/v1", server.uri())).auth(credentials).clock(clock.clone()).build().unwrap()
}

#[tokio::test]
async fn each_set_of_scopes_gets_a_token_of_its_own() {
    let server = MockServer::start().await;
    let issued = any_scope_token_endpoint(&server, 3600).await;
    for token in ["t1", "t2", "t3"] {
        accepts(&server, token).await;
    }
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let client = per_operation_client(&server, &clock);
    for security in [READ, WRITE, READ, WRITE, ANY, READ] {
        call_needing(&client, security).await.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 3);
    // Space-separated and sorted, as lowering gives them; no `scope` for an operation naming none.
    assert_eq!(scopes_asked(&server).await, ["things:read", "things:read things:write", "-"]);
    assert_eq!(
        api_requests(&server).await,
        ["Bearer t1", "Bearer t2", "Bearer t1", "Bearer t2", "Bearer t3", "Bearer t1"]
    );
}

#[tokio::test]
async fn a_401_renews_the_token_of_its_scopes_only() {
    let server = MockServer::start().await;
    let issued = any_scope_token_endpoint(&server, 3600).await;
    accepts(&server, "t2").await;
    accepts(&server, "t3").await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let client = per_operation_client(&server, &clock);
    call_needing(&client, WRITE).await.expect("t1 is refused, t2 accepted");
    call_needing(&client, READ).await.expect("t3");
    call_needing(&client, WRITE).await.expect("t2 again");
    assert_eq!(issued.load(Ordering::SeqCst), 3);
    assert_eq!(
        scopes_asked(&server).await,
        ["things:read things:write"; 2].into_iter().chain(["things:read"]).collect::<Vec<_>>()
    );
    // A second 401 for the read scope renews once, then is the answer.
    server.reset().await;
    any_scope_token_endpoint(&server, 3600).await;
    refuses_others(&server).await;
    let error = call_needing(&client, READ).await.expect_err("every token is refused");
    assert_eq!((error.status(), error.attempts()), (Some(401), 2));
    assert_eq!(scopes_asked(&server).await, ["things:read"], "one renewal, of the read token only");
}

#[tokio::test]
async fn scopes_of_the_callers_own_replace_the_operations() {
    let server = MockServer::start().await;
    let issued = any_scope_token_endpoint(&server, 3600).await;
    accepts(&server, "t1").await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let source = ClientCredentials::new("/oauth/token", "my client", Secret::new("s3cret").unwrap(), ["b", "b a"]);
    let client = Client::builder_for(&format!("{}/v1", server.uri()))
        .auth(OAuth2::new(source))
        .clock(clock.clone())
        .build()
        .unwrap();
    for security in [READ, WRITE, ANY] {
        call_needing(&client, security).await.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1, "one token serves every operation");
    assert_eq!(scopes_asked(&server).await, ["a b"]);
}

#[tokio::test]
async fn concurrent_calls_share_one_fetch_per_set_of_scopes() {
    let server = MockServer::start().await;
    let issued = slow_token_endpoint(&server).await;
    accepts(&server, "t1").await;
    accepts(&server, "t2").await;
    refuses_others(&server).await;
    let clock = ManualClock::default();
    let client = per_operation_client(&server, &clock);
    let calls: Vec<_> = (0..8).map(|i| call_needing(&client, if i % 2 == 0 { READ } else { WRITE })).collect();
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let mut asked = scopes_asked(&server).await;
    asked.sort();
    assert_eq!(asked, ["things:read", "things:read things:write"]);
}
