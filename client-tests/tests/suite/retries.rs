//! Retries through the generated client, against servers that fail on purpose: throttling
//! with `Retry-After`, 503s, a connection reset. The clients wait on a `ManualClock`: the
//! tests assert what they waited for without waiting.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{credentials, SignedWith, SECRET};
use exoscale_api::types::UpdateAiApiKeyRequest;
use exoscale_api::{Attempt, Client, Clock as _, ErrorKind, Hook, ManualClock, Outcome, RetryPolicy};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use wiremock::matchers::{method, path};
use wiremock::{Match as _, Mock, MockServer, ResponseTemplate};

const ID: &str = "11111111-1111-1111-1111-111111111111";

fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(5)).max_delay(Duration::from_millis(20))
}

/// A client for `server` on `clock`, signing with the test credentials.
fn client_on(server: &MockServer, clock: &ManualClock) -> Client {
    Client::builder().base_url(format!("{}/v2", server.uri())).auth(credentials()).clock(clock.clone()).build().unwrap()
}

/// A client of the API at `base_url` on `clock`, signing with the test credentials and
/// retrying quickly.
fn quick_client_on(base_url: String, clock: &ManualClock) -> Client {
    Client::builder().base_url(base_url).auth(credentials()).retry(quick()).clock(clock.clone()).build().unwrap()
}

fn quick_client(server: &MockServer) -> Client {
    quick_client_on(format!("{}/v2", server.uri()), &ManualClock::default())
}

fn empty_list() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ai-api-keys": []}))
}

/// The listing answers `failure` for the first `times` requests, then an empty list; only
/// requests signed with the test secret get either.
async fn failing_then_ok(server: &MockServer, failure: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .and(SignedWith(SECRET))
        .respond_with(failure)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .and(SignedWith(SECRET))
        .respond_with(empty_list())
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_429_is_sent_again_after_its_retry_after_and_signed_again() {
    let server = MockServer::start().await;
    failing_then_ok(&server, ResponseTemplate::new(429).insert_header("retry-after", "3"), 1).await;
    let clock = ManualClock::default();
    let (keys, meta) =
        client_on(&server, &clock).list_ai_api_keys().send_with_meta().await.expect("the retry succeeds");
    assert!(keys.ai_api_keys.is_empty());
    assert_eq!((meta.status(), meta.attempts()), (200, 2));
    assert_eq!(clock.slept(), [Duration::from_secs(3)], "the server's wait, not the backoff");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| SignedWith(SECRET).matches(r)), "every attempt is signed");
    // Each attempt is signed when it is sent, on the client's clock: the second expires as
    // much later as the client waited.
    let expiry = |r: &wiremock::Request| -> u64 {
        let header = r.headers["authorization"].to_str().unwrap();
        header.split(",expires=").nth(1).and_then(|rest| rest.split(',').next()).unwrap().parse().unwrap()
    };
    // Within the hour after the clock's start (2001), not the system's time.
    let start = ManualClock::default().now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!((start + 1..=start + 3600).contains(&expiry(&requests[0])), "{}", expiry(&requests[0]));
    assert_eq!(expiry(&requests[1]), expiry(&requests[0]) + 3);
}

#[tokio::test]
async fn two_503s_then_a_200() {
    let server = MockServer::start().await;
    failing_then_ok(&server, ResponseTemplate::new(503).set_body_string("<html>busy</html>"), 2).await;
    let clock = ManualClock::default();
    let client = quick_client_on(format!("{}/v2", server.uri()), &clock);
    let (_, meta) = client.list_ai_api_keys().send_with_meta().await.expect("the third attempt succeeds");
    assert_eq!(meta.attempts(), 3);
    // The backoff doubles (5 ms, then 10 ms), scaled by a jitter of ½ to 1.
    let slept = clock.slept();
    assert_eq!(slept.len(), 2, "{slept:?}");
    assert!(slept[0] >= Duration::from_micros(2500) && slept[0] <= Duration::from_millis(5), "{slept:?}");
    assert!(slept[1] >= Duration::from_millis(5) && slept[1] <= Duration::from_millis(10), "{slept:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// A server that resets the first connection once it has read the request, and answers the
/// next one with an empty list. Returns its base URL and the number of connections taken.
async fn resetting_once() -> (String, Arc<Mutex<u32>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(Mutex::new(0));
    let count = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let first = {
                let mut count = count.lock().unwrap();
                *count += 1;
                *count == 1
            };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            if first {
                // SO_LINGER 0: closing sends a RST instead of a FIN.
                socket.set_zero_linger().unwrap();
                drop(socket);
                continue;
            }
            let body = r#"{"ai-api-keys":[]}"#;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (format!("http://{addr}/v2"), connections)
}

#[tokio::test]
async fn a_connection_reset_then_a_200() {
    let (url, connections) = resetting_once().await;
    let clock = ManualClock::default();
    let client = quick_client_on(url, &clock);
    let (keys, meta) = client.list_ai_api_keys().send_with_meta().await.expect("the retry succeeds");
    assert_eq!(clock.slept().len(), 1, "one backoff");
    assert!(keys.ai_api_keys.is_empty());
    assert_eq!(meta.attempts(), 2);
    assert_eq!(*connections.lock().unwrap(), 2);
}

#[tokio::test]
async fn a_connection_reset_without_retries_is_a_transport_error() {
    let (url, connections) = resetting_once().await;
    let client = Client::builder().base_url(url).auth(credentials()).retry(quick()).build().unwrap();
    let error = client.list_ai_api_keys().retry(RetryPolicy::none()).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert_eq!(*connections.lock().unwrap(), 1);
}

#[tokio::test]
async fn a_patch_answered_503_is_sent_once() {
    // The Exoscale PATCH declares no Idempotency-Key: sending it again could apply it twice.
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(SignedWith(SECRET))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let rename = UpdateAiApiKeyRequest::new().name("x");
    let error = quick_client(&server).update_ai_api_key(ID.parse().unwrap(), &rename).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::UnexpectedStatus { status: 503, .. }), "{error:?}");
    assert_eq!(error.attempts(), 1);
    assert!(!error.to_string().contains("attempts"), "{error}");
}

#[tokio::test]
async fn retries_stop_at_the_maximum_and_the_error_counts_the_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(SignedWith(SECRET))
        .respond_with(ResponseTemplate::new(503).insert_header("x-request-id", "r-42").set_body_string("busy"))
        .expect(4)
        .mount(&server)
        .await;
    let error = quick_client(&server).list_ai_api_keys().retry(quick().max_retries(3)).await.unwrap_err();
    assert_eq!(error.attempts(), 4);
    assert_eq!(error.response().map(|r| (r.status(), r.attempts())), Some((503, 4)));
    assert_eq!(error.to_string(), "undocumented status 503: busy (request id r-42, after 4 attempts)");

    // The client's own policy applies when the call sets none.
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).expect(3).mount(&server).await;
    let error = quick_client(&server).list_ai_api_keys().await.unwrap_err();
    assert_eq!(error.attempts(), 3, "two retries by default");
    assert!(error.to_string().ends_with("(after 3 attempts)"), "{error}");
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_returned_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .expect(1)
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let error = client_on(&server, &clock).list_ai_api_keys().await.unwrap_err();
    assert!(clock.slept().is_empty(), "{:?}", clock.slept());
    assert_eq!(error.response().map(|r| r.status()), Some(429));
    assert_eq!(error.attempts(), 1);

    // A lower cap of the caller's own.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "2"))
        .expect(1)
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(1));
    let error = client_on(&server, &clock).list_ai_api_keys().retry(policy).await.unwrap_err();
    assert!(clock.slept().is_empty(), "{:?}", clock.slept());
    assert_eq!(error.attempts(), 1);
}

/// Writes down what a hook sees, in a log it may share with others.
#[derive(Clone)]
struct Recorder(&'static str, Arc<Mutex<Vec<String>>>);

impl Hook for Recorder {
    fn before_attempt(&self, attempt: &Attempt<'_>, request: &mut exoscale_api::reqwest::Request) {
        let signed = request.headers().contains_key("authorization");
        self.1.lock().unwrap().push(format!(
            "{} before {} {} {} {} {} signed={signed}",
            self.0, attempt.number, attempt.operation, attempt.method, attempt.path, attempt.url
        ));
    }

    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        let ended = match outcome {
            Outcome::Response { status, request_id, .. } => format!("{status} {}", request_id.unwrap_or("-")),
            Outcome::Failed { .. } => "failed".into(),
        };
        self.1.lock().unwrap().push(format!("{} after {} {ended}", self.0, attempt.number));
    }
}

#[tokio::test]
async fn hooks_see_every_attempt_before_and_after_in_order() {
    let server = MockServer::start().await;
    failing_then_ok(&server, ResponseTemplate::new(503).insert_header("x-request-id", "r-1"), 2).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .auth(credentials())
        .retry(quick())
        .clock(ManualClock::default())
        .hook(Recorder("a", log.clone()))
        .hook(Recorder("b", log.clone()))
        .build()
        .unwrap();
    client.list_ai_api_keys().await.unwrap();
    let url = format!("{}/v2/ai/api-key", server.uri());
    let mut expected = Vec::new();
    for (n, ended) in [(1, "503 r-1"), (2, "503 r-1"), (3, "200 -")] {
        for hook in ["a", "b"] {
            expected.push(format!("{hook} before {n} list-ai-api-keys GET /ai/api-key {url} signed=true"));
        }
        for hook in ["a", "b"] {
            expected.push(format!("{hook} after {n} {ended}"));
        }
    }
    assert_eq!(*log.lock().unwrap(), expected);
}
