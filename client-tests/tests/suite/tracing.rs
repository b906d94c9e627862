//! What the client's spans and events carry: enough to follow a call, nothing secret. A
//! subscriber of the test's own records every field of every span and event, at every level.
//! The subscriber is this test's thread's default, on a runtime of one thread: the other tests
//! of the binary, on threads of their own, do not report to it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{credentials, KEY, SECRET};
use exoscale_api::types::UpdateAiApiKeyRequest;
use exoscale_api::{Client, RetryPolicy};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use tracing_core::span::Current;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "11111111-1111-1111-1111-111111111111";
const BODY_MARKER: &str = "body-marker-do-not-log";

/// Every span and event as text: its name, then `field=value` for each field. It keeps the
/// stack of entered spans, so that `Span::current().record(..)` reaches it.
#[derive(Clone, Default)]
struct Capture {
    text: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
    spans: Arc<Mutex<HashMap<u64, &'static Metadata<'static>>>>,
    entered: Arc<Mutex<Vec<Id>>>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "span {}:", span.metadata().name());
        span.record(&mut Fields(&mut text));
        text.push('\n');
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        self.spans.lock().unwrap().insert(id, span.metadata());
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut text = self.text.lock().unwrap();
        text.push_str("record:");
        values.record(&mut Fields(&mut text));
        text.push('\n');
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut text = self.text.lock().unwrap();
        let _ = write!(text, "event {}:", event.metadata().target());
        event.record(&mut Fields(&mut text));
        text.push('\n');
    }

    fn enter(&self, span: &Id) {
        self.entered.lock().unwrap().push(span.clone());
    }

    fn exit(&self, span: &Id) {
        let mut entered = self.entered.lock().unwrap();
        if let Some(at) = entered.iter().rposition(|s| s == span) {
            entered.remove(at);
        }
    }

    fn current_span(&self) -> Current {
        let entered = self.entered.lock().unwrap();
        let spans = self.spans.lock().unwrap();
        match entered.last().and_then(|id| Some((id.clone(), *spans.get(&id.into_u64())?))) {
            Some((id, metadata)) => Current::new(id, metadata),
            None => Current::none(),
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn spans_and_events_carry_no_secret_header_or_body() {
    let capture = Capture::default();
    // The test's runtime has one thread: every poll of the calls below happens under it.
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-request-id", "r-7"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ai-api-keys": []})))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(500).set_body_string(format!("echo {BODY_MARKER}")))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default().base_delay(Duration::from_millis(5));
    let client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .auth(credentials())
        .retry(policy.clone())
        .build()
        .unwrap();
    client.list_ai_api_keys().await.unwrap();
    let rename = UpdateAiApiKeyRequest::new().name(BODY_MARKER);
    client.update_ai_api_key(ID.parse().unwrap(), &rename).await.unwrap_err();

    // And a failure without an answer, whose error is an event field too.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let unreachable =
        Client::builder().base_url(format!("http://{addr}/v2")).auth(credentials()).retry(policy).build().unwrap();
    unreachable.list_ai_api_keys().await.unwrap_err();

    let text = capture.text.lock().unwrap().clone();
    // The subscriber saw the calls: each call's span, each attempt's event.
    assert!(text.contains("span call: operation=list-ai-api-keys method=GET path=/ai/api-key"), "{text}");
    assert!(text.contains("attempts=2"), "{text}");
    assert!(text.contains("status=503") && text.contains("request_id=r-7"), "{text}");
    assert!(text.contains("operation=update-ai-api-key"), "{text}");
    assert!(text.contains("attempt failed"), "{text}");

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        let authorization = request.headers["authorization"].to_str().unwrap();
        assert!(authorization.contains(KEY), "the requests were signed: {authorization}");
        let signature = authorization.rsplit("signature=").next().unwrap();
        assert!(!text.contains(authorization) && !text.contains(signature), "{text}");
    }
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.to_lowercase().contains("authorization"), "{text}");
    assert!(!text.contains(BODY_MARKER), "neither the request body nor the response body: {text}");
}
