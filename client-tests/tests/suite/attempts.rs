//! What a call keeps of its attempts: the last response's status, headers and request id,
//! the number of attempts, and what hooks see of each.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{client, SignedWith, SECRET};
use exoscale_api::{Attempt, Client, Hook, Outcome, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Retries without the default half-second wait.
fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

/// Records, per attempt, its number, the status and the `x-request-id` the hook was shown.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(u32, u16, String)>>>);

impl Hook for Recorder {
    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        if let Outcome::Response { status, headers, .. } = outcome {
            let id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
            self.0.lock().unwrap().push((attempt.number, *status, id.to_string()));
        }
    }
}

async fn serve(server: &MockServer, response: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .and(SignedWith(SECRET))
        .respond_with(response)
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_retried_call_keeps_the_last_response_and_counts_its_attempts() {
    let server = MockServer::start().await;
    serve(&server, ResponseTemplate::new(503).insert_header("x-request-id", "first"), 1).await;
    let keys = json!({"ai-api-keys": []});
    serve(&server, ResponseTemplate::new(200).set_body_json(keys).insert_header("x-request-id", "second"), 1).await;
    let recorder = Recorder::default();
    let client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .auth(crate::support::credentials())
        .hook(recorder.clone())
        .build()
        .unwrap();

    let (list, meta) = client.list_ai_api_keys().retry(quick()).send_with_meta().await.unwrap();
    assert!(list.ai_api_keys.is_empty());
    assert_eq!((meta.status(), meta.request_id(), meta.attempts()), (200, Some("second"), 2));
    assert_eq!(meta.headers()["content-type"], "application/json");
    assert_eq!(*recorder.0.lock().unwrap(), [(1, 503, "first".to_string()), (2, 200, "second".to_string())]);
}

#[tokio::test]
async fn a_failed_call_keeps_the_request_id_of_its_last_attempt() {
    let server = MockServer::start().await;
    serve(&server, ResponseTemplate::new(503).insert_header("request-id", "abc").set_body_string("busy"), 3).await;

    let error = client(&server).list_ai_api_keys().retry(quick()).await.unwrap_err();
    assert_eq!((error.request_id(), error.attempts()), (Some("abc"), 3));
    assert_eq!(error.response().map(|meta| meta.status()), Some(503));
    let message = error.to_string();
    assert!(message.contains("request id abc") && message.ends_with("after 3 attempts)"), "{message}");
}
