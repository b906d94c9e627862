//! Retries, deadlines, the retry budget and rate limits against a local server, on a
//! [`ManualClock`]: every wait is asserted, none is waited.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use reqwest::Method;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::client::{RawResponse, Request};
use crate::error::{Error, NoErrorResponses};
use crate::hook::{Attempt, Hook, Wait};
use crate::{Client, ClientBuilder, ManualClock, RateLimits, RetryBudget, RetryPolicy};

fn ok_only(response: &RawResponse) -> Result<(), Error<NoErrorResponses>> {
    if response.status() == 200 {
        Ok(())
    } else {
        Err(response.unexpected())
    }
}

fn get() -> Request {
    Request::new(Method::GET, "list-things", "/things")
}

async fn call(client: &Client) -> Result<(), Error<NoErrorResponses>> {
    client.call::<(), NoErrorResponses, (), ()>(get(), ok_only).send().await
}

fn builder(server: &MockServer, clock: &ManualClock) -> ClientBuilder {
    Client::builder_for(&server.uri()).clock(clock.clone())
}

/// `failure` for the first `times` requests, then 200.
async fn failing_then_ok(failure: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(failure).up_to_n_times(times).with_priority(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

/// The waits hooks were told of.
#[derive(Default, Clone)]
struct Waits(Arc<Mutex<Vec<(u32, Wait, Duration)>>>);

impl Hook for Waits {
    fn before_wait(&self, attempt: &Attempt<'_>, wait: Wait, delay: Duration) {
        self.0.lock().unwrap().push((attempt.number, wait, delay));
    }
}

#[tokio::test]
async fn retries_wait_on_the_clock_given() {
    let server = failing_then_ok(ResponseTemplate::new(503).insert_header("retry-after", "3"), 2).await;
    let clock = ManualClock::default();
    let waits = Waits::default();
    let client = builder(&server, &clock).hook(waits.clone()).build().unwrap();
    let started = Instant::now();
    call(&client).await.expect("the third attempt succeeds");
    assert_eq!(clock.slept(), [Duration::from_secs(3); 2]);
    let told = waits.0.lock().unwrap().clone();
    assert_eq!(told, [(2, Wait::Retry, Duration::from_secs(3)), (3, Wait::Retry, Duration::from_secs(3))]);
    assert!(started.elapsed() < Duration::from_secs(2), "no real wait: {:?}", started.elapsed());
}

#[tokio::test]
async fn no_retry_waits_past_the_deadline() {
    let server = failing_then_ok(ResponseTemplate::new(503).insert_header("retry-after", "20"), 10).await;
    let clock = ManualClock::default();
    let policy = RetryPolicy::default().max_retries(5);
    let client = builder(&server, &clock).retry(policy.clone()).deadline(Duration::from_secs(30)).build().unwrap();
    let error = call(&client).await.expect_err("the deadline ends the call on a 503");
    assert_eq!((error.status(), error.attempts()), (Some(503), 2));
    assert_eq!(clock.slept(), [Duration::from_secs(20)], "a second wait would end at 40 s, past 30 s");
    // A call's own deadline replaces the client's.
    let clock = ManualClock::default();
    let client = builder(&server, &clock).retry(policy).build().unwrap();
    let error = client
        .call::<(), NoErrorResponses, (), ()>(get(), ok_only)
        .deadline(Duration::from_secs(50))
        .send()
        .await
        .expect_err("still failing");
    assert_eq!(error.attempts(), 3);
}

/// A server that accepts connections and never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn the_deadline_shortens_the_attempt_and_ends_the_call() {
    let url = silent_server().await;
    // The backoff (at least half a second) would end past the deadline: one attempt only.
    let policy = RetryPolicy::default().base_delay(Duration::from_secs(2));
    let client = Client::builder_for(&url)
        .timeout(Duration::from_secs(30))
        .deadline(Duration::from_millis(300))
        .retry(policy)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = call(&client).await.expect_err("nobody answers");
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(error.attempts(), 1);
    assert!(elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn by_default_a_silent_server_costs_one_deadline_not_a_timeout_per_attempt() {
    let attempts_that_fit = crate::DEFAULT_DEADLINE.as_secs_f64() / crate::DEFAULT_TIMEOUT.as_secs_f64();
    assert!(attempts_that_fit <= 2.0, "{attempts_that_fit}");
    assert!(crate::DEFAULT_DEADLINE <= Duration::from_secs(60));
}

#[tokio::test]
async fn the_retry_budget_is_shared_by_the_clients_calls() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let clock = ManualClock::default();
    let budget = Arc::new(RetryBudget::new(10).retry_cost(5));
    let client = builder(&server, &clock)
        .retry(RetryPolicy::default().max_retries(5))
        .retry_budget(budget.clone())
        .deadline(None)
        .build()
        .unwrap();
    let first = call(&client).await.expect_err("always 503");
    let second = call(&client).await.expect_err("always 503");
    assert_eq!((first.attempts(), second.attempts()), (3, 1), "two retries in the budget, for both calls");
    assert_eq!(budget.tokens(), 0);
    assert_eq!(requests(&server).await, 4);
}

#[tokio::test]
async fn successes_refill_the_budget() {
    let server = failing_then_ok(ResponseTemplate::new(503), 1).await;
    let clock = ManualClock::default();
    let budget = Arc::new(RetryBudget::new(10).retry_cost(5));
    let client = builder(&server, &clock).retry_budget(budget.clone()).build().unwrap();
    call(&client).await.expect("the retry succeeds");
    assert_eq!(budget.tokens(), 10, "the retry's cost comes back");
}

/// 200 with `headers` for the first request, then plain 200s.
async fn limited(headers: &[(&str, String)]) -> MockServer {
    let server = MockServer::start().await;
    let mut first = ResponseTemplate::new(200);
    for (name, value) in headers {
        first = first.insert_header(*name, value.as_str());
    }
    Mock::given(method("GET")).respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

#[tokio::test]
async fn the_next_request_waits_for_the_rate_limit_to_reset() {
    let server = limited(&[("ratelimit-remaining", "0".into()), ("ratelimit-reset", "1".into())]).await;
    let clock = ManualClock::default();
    let waits = Waits::default();
    let client = builder(&server, &clock).hook(waits.clone()).build().unwrap();
    call(&client).await.unwrap();
    assert!(clock.slept().is_empty());
    call(&client).await.unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(1)]);
    assert_eq!(*waits.0.lock().unwrap(), [(1, Wait::RateLimit, Duration::from_secs(1))]);
    call(&client).await.unwrap();
    assert_eq!(clock.slept().len(), 1, "the reset has passed");
}

#[tokio::test]
async fn an_epoch_reset_is_waited_for_and_a_far_one_is_not() {
    let clock = ManualClock::default();
    let now = crate::Clock::now(&clock).duration_since(UNIX_EPOCH).unwrap().as_secs();
    let reset = (now + 42).to_string();
    let server = limited(&[("x-ratelimit-remaining", "0".into()), ("x-ratelimit-reset", reset.clone())]).await;
    let client = builder(&server, &clock).build().unwrap();
    call(&client).await.unwrap();
    call(&client).await.unwrap();
    assert_eq!(clock.slept(), [Duration::from_secs(42)]);

    let clock = ManualClock::default();
    let server = limited(&[("x-ratelimit-remaining", "0".into()), ("x-ratelimit-reset", reset)]).await;
    let limits = RateLimits::default().max_wait(Duration::from_secs(10));
    let client = builder(&server, &clock).rate_limits(limits).build().unwrap();
    call(&client).await.unwrap();
    call(&client).await.unwrap();
    assert!(clock.slept().is_empty(), "42 s is beyond the 10 s allowed: sent at once");

    let clock = ManualClock::default();
    let server = limited(&[("ratelimit", "limit=10, remaining=0, reset=5".into())]).await;
    let client = builder(&server, &clock).rate_limits(RateLimits::off()).build().unwrap();
    call(&client).await.unwrap();
    call(&client).await.unwrap();
    assert!(clock.slept().is_empty(), "pacing is off");
}
