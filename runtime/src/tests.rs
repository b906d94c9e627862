//! The retry loop and hooks against a local server, at the level of the runtime: for what the
//! Exoscale crate cannot show, such as an operation that declares an `Idempotency-Key` or
//! sends its API key in the query.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::client::{RawResponse, Request};
use crate::credential::{api_key_query, Credential, Scheme, Secret};
use crate::error::{Error, NoErrorResponses};
use crate::hook::{Attempt, Hook, Outcome};
use crate::{Client, RetryPolicy};

const API_KEY: &str = "query-key-do-not-log";

/// Retries a few milliseconds apart, so that the tests do not wait on backoff.
fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(5)).max_delay(Duration::from_millis(20))
}

fn ok_only(response: &RawResponse) -> Result<(), Error<NoErrorResponses>> {
    if response.status() == 200 {
        Ok(())
    } else {
        Err(response.unexpected())
    }
}

/// 503 `failures` times, then 200.
async fn flaky(failures: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

fn patch() -> Request {
    Request::new(Method::PATCH, "update-thing", "/things/{id}")
        .path_param("id", "7")
        .json_body("application/json", &serde_json::json!({"name": "x"}))
}

async fn keys_received(server: &MockServer) -> Vec<Option<String>> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().map(|r| r.headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned)).collect()
}

#[tokio::test]
async fn a_patch_without_an_idempotency_key_is_sent_once() {
    let server = flaky(1).await;
    let client = Client::builder_for(&server.uri()).retry(quick()).build().unwrap();
    let error = client.call::<_, _, (), ()>(patch(), ok_only).await.unwrap_err();
    assert_eq!(error.response().map(|r| r.status()), Some(503));
    assert_eq!(error.attempts(), 1);
    assert_eq!(keys_received(&server).await, [None]);
}

#[tokio::test]
async fn a_declared_idempotency_key_is_sent_again_and_again() {
    let server = flaky(2).await;
    let client = Client::builder_for(&server.uri()).retry(quick()).build().unwrap();
    let request = patch().idempotency_key("Idempotency-Key", Some("key-1"));
    let ((), meta) = client.call::<_, _, (), ()>(request, ok_only).send_with_meta().await.unwrap();
    assert_eq!(meta.attempts(), 3);
    let key = Some("key-1".to_string());
    assert_eq!(keys_received(&server).await, [key.clone(), key.clone(), key]);
}

#[tokio::test]
async fn a_key_made_for_the_call_is_the_same_on_every_attempt() {
    let server = flaky(2).await;
    let client = Client::builder_for(&server.uri()).retry(quick()).build().unwrap();
    let request = patch().idempotency_key::<str>("Idempotency-Key", None);
    client.call::<_, _, (), ()>(request, ok_only).await.unwrap();
    let keys = keys_received(&server).await;
    assert_eq!(keys.len(), 3);
    let first = keys[0].clone().expect("a key is made");
    assert_eq!(first.len(), 36, "a UUID: {first}");
    assert!(keys.iter().all(|k| k.as_deref() == Some(&first)), "{keys:?}");

    // Another call is another operation for the server: it gets a key of its own.
    let request = patch().idempotency_key::<str>("Idempotency-Key", None);
    client.call::<_, _, (), ()>(request, ok_only).await.unwrap();
    let keys = keys_received(&server).await;
    assert_ne!(keys[3].as_deref(), Some(first.as_str()));
}

/// An API key sent in the query.
#[derive(Debug)]
struct QueryKey(Secret);

impl Credential for QueryKey {
    fn scheme(&self) -> Scheme {
        Scheme::ApiKey
    }

    fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
        api_key_query(request, "api_key", &self.0)
    }
}

/// Records what it sees, as text, in the order it sees it.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Hook for Recorder {
    fn before_attempt(&self, attempt: &Attempt<'_>, _: &mut reqwest::Request) {
        self.0.lock().unwrap().push(format!("before {} {} {}", attempt.number, attempt.method, attempt.url));
    }

    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        let ended = match outcome {
            Outcome::Response { status, .. } => status.to_string(),
            Outcome::Failed { .. } => "failed".into(),
        };
        self.0.lock().unwrap().push(format!("after {} {ended}", attempt.number));
    }
}

#[tokio::test]
async fn hooks_see_each_attempt_with_a_url_free_of_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let address = server.address();
    let recorder = Recorder::default();
    let client = Client::builder_for(&format!("http://user:pass-do-not-log@{address}/v2"))
        .auth(QueryKey(Secret::new(API_KEY).unwrap()))
        .retry(quick())
        .hook(recorder.clone())
        .build()
        .unwrap();
    let request =
        Request::new(Method::GET, "list-things", "/things").query("page", &2).security(&[&[(Scheme::ApiKey, &[])]]);
    client.call::<_, _, (), ()>(request, ok_only).await.unwrap();

    let url = format!("http://{address}/v2/things?page=2");
    assert_eq!(
        *recorder.0.lock().unwrap(),
        [format!("before 1 GET {url}"), "after 1 503".into(), format!("before 2 GET {url}"), "after 2 200".into()]
    );
    // The server did get the key, on each attempt.
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.url.query() == Some(&format!("page=2&api_key={API_KEY}")[..])));
}
