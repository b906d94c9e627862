//! The generated command-line client (`--features cli`), run as a process against a local
//! server that checks every request's signature.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::support::{SignedWith, KEY, SECRET};
use serde_json::{json, Value};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "11111111-1111-1111-1111-111111111111";

/// Builds the binary once, with the same cargo that runs the tests.
fn binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| crate::cli_binary::build("exoscale-api"))
}

/// Runs the CLI with `args`, the test credentials and `endpoint`, off the async runtime.
async fn run(endpoint: String, secret: &'static str, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(binary())
            .args(&args)
            .env("EXOSCALE_API_KEY", KEY)
            .env("EXOSCALE_API_SECRET", secret)
            .env("EXOSCALE_API_ENDPOINT", endpoint)
            .env_remove("EXOSCALE_ZONE")
            .output()
            .expect("the CLI runs")
    })
    .await
    .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_the_body_as_json() {
    let server = MockServer::start().await;
    let body = json!({"ai-api-keys": [{
        "updated-at": "2026-03-25T10:00:00Z", "name": "k", "scope": "public",
        "id": ID, "org-uuid": "22222222-2222-2222-2222-222222222222", "created-at": "2026-03-25T10:00:00Z"
    }]});
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .and(SignedWith(SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(format!("{}/v2", server.uri()), SECRET, &["list-ai-api-keys"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(printed, body);
}

#[tokio::test(flavor = "multi_thread")]
async fn update_sends_flags_as_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/v2/ai/ai-api-key/{ID}")))
        .and(body_string(r#"{"name":"renamed","scope":"public"}"#))
        .and(SignedWith(SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "renamed"})))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        format!("{}/v2", server.uri()),
        SECRET,
        &["update-ai-api-key", "--id", ID, "--name", "renamed", "--scope", "public"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), json!({"name": "renamed"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn update_takes_the_whole_body_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/v2/ai/ai-api-key/{ID}")))
        .and(body_string(r#"{"scope":"public"}"#))
        .and(SignedWith(SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        format!("{}/v2", server.uri()),
        SECRET,
        &["update-ai-api-key", "--id", ID, "--body", r#"{"scope": "public"}"#],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn documented_errors_go_to_stderr_with_exit_1() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"code": "forbidden_operation", "error": "no", "detail": "the key lacks the iam scope"}),
        ))
        .mount(&server)
        .await;
    let out = run(format!("{}/v2", server.uri()), SECRET, &["update-ai-api-key", "--id", ID, "--name", "x"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // The body as it came, pretty-printed: `detail`, which the schema does not declare, too.
    assert_eq!(
        text(&out.stderr).trim(),
        "error: 403 Forbidden\n{\n  \"code\": \"forbidden_operation\",\n  \"error\": \"no\",\n  \"detail\": \"the key lacks the iam scope\"\n}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_secret_is_rejected() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(SignedWith(SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ai-api-keys": []})))
        .mount(&server)
        .await;
    let out = run(format!("{}/v2", server.uri()), "wrong-secret", &["list-ai-api-keys"]).await;
    assert_eq!(out.status.code(), Some(2), "an unsigned request gets wiremock's undocumented 404");
    assert!(text(&out.stderr).contains("undocumented status 404"), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("wrong-secret"));
}

#[tokio::test(flavor = "multi_thread")]
async fn transport_and_argument_errors_exit_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    // Without retries: their backoff would be waited for on the wall clock.
    let out = run(format!("http://{addr}/v2"), SECRET, &["list-ai-api-keys", "--max-retries", "0"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: request failed"), "{}", text(&out.stderr));

    let out = run(format!("http://{addr}/v2"), SECRET, &["update-ai-api-key", "--id", "not-a-uuid"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("invalid value 'not-a-uuid' for '--id <ID>'"), "{}", text(&out.stderr));

    let out = run(format!("http://{addr}/v2"), SECRET, &["update-ai-api-key", "--name", "x"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Usage: exoscale-api update-ai-api-key"), "{}", text(&out.stderr));

    let out = run(format!("http://{addr}/v2"), SECRET, &["update-ai-api-key", "--id", ID, "--body", "{not json"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--body is not valid JSON"), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_credentials_are_explained() {
    let out = tokio::task::spawn_blocking(|| {
        Command::new(binary())
            .arg("list-ai-api-keys")
            .env_remove("EXOSCALE_API_KEY")
            .env_remove("EXOSCALE_API_SECRET")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("EXOSCALE_API_KEY, EXOSCALE_API_SECRET"), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_is_retried_after_its_retry_after_with_two_signed_attempts() {
    // How long the client waits is the library's tests' (`retries.rs`, on a `ManualClock`);
    // here a wait of none, which no backoff (a quarter second at least) would give.
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("retry-after", "0").insert_header("x-request-id", "r-1");
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .and(SignedWith(SECRET))
        .respond_with(throttled)
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .and(SignedWith(SECRET))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ai-api-keys": []})))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(format!("{}/v2", server.uri()), SECRET, &["--verbose", "list-ai-api-keys"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), json!({"ai-api-keys": []}));
    // Both attempts, each on a line of its own, with where it went and how it ended, and the
    // wait between them.
    let url = format!("{}/v2/ai/api-key", server.uri());
    let stderr = text(&out.stderr);
    let mut lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(lines.remove(1), "* waiting 0 ms to retry before attempt 2", "{stderr}");
    assert!(
        lines[0].starts_with(&format!("* attempt 1: GET {url}: 429 Too Many Requests in "))
            && lines[0].ends_with(" ms (request id r-1)"),
        "{stderr}"
    );
    assert!(lines[1].starts_with(&format!("* attempt 2: GET {url}: 200 OK in ")), "{stderr}");
    assert!(!stderr.contains(SECRET) && !stderr.contains("EXO2"), "{stderr}");
    // Both attempts were signed: an unsigned one matches no mock, and each expects one.
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_patch_answered_503_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(SignedWith(SECRET))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(
        format!("{}/v2", server.uri()),
        SECRET,
        &["update-ai-api-key", "--id", ID, "--name", "x", "--verbose", "--max-retries", "5"],
    )
    .await;
    // 503 is not documented for this operation: exit 2, as any undocumented answer.
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.matches("* attempt").count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("* attempt 1: PATCH {}/v2/ai/ai-api-key/{ID}: 503", server.uri())), "{stderr}");
    assert!(stderr.ends_with("error: undocumented status 503\nbusy\n"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn max_retries_bounds_the_attempts() {
    let server = MockServer::start().await;
    // `Retry-After: 0` in place of the backoff, which would be waited for on the wall clock.
    let busy = ResponseTemplate::new(503).insert_header("retry-after", "0");
    Mock::given(method("GET")).respond_with(busy).expect(2).mount(&server).await;
    // Given before the subcommand or after it, the flag is the same.
    let out = run(format!("{}/v2", server.uri()), SECRET, &["--max-retries", "1", "list-ai-api-keys"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("(after 2 attempts)"), "{}", text(&out.stderr));
    server.verify().await;
    server.reset().await;

    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&server).await;
    let out = run(format!("{}/v2", server.uri()), SECRET, &["list-ai-api-keys", "--max-retries", "0"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).trim(), "error: undocumented status 503:");
}

#[tokio::test(flavor = "multi_thread")]
async fn include_prints_the_status_line_and_headers_before_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("x-request-id", "r-9").set_body_json(json!({"ai-api-keys": []})),
        )
        .mount(&server)
        .await;
    let out = run(format!("{}/v2", server.uri()), SECRET, &["list-ai-api-keys", "--include"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let (head, body) = stdout.split_once("\n\n").expect("a blank line ends the head");
    let mut lines = head.lines();
    assert_eq!(lines.next(), Some("HTTP/1.1 200 OK"));
    let headers: Vec<&str> = lines.collect();
    assert!(headers.contains(&"x-request-id: r-9"), "{headers:?}");
    assert!(headers.contains(&"content-type: application/json"), "{headers:?}");
    assert_eq!(serde_json::from_str::<Value>(body).unwrap(), json!({"ai-api-keys": []}));

    // A documented error: the head on stdout still, the error on stderr, exit 1.
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"code": "forbidden_operation", "error": "no"})))
        .mount(&server)
        .await;
    let out =
        run(format!("{}/v2", server.uri()), SECRET, &["--include", "update-ai-api-key", "--id", ID, "--name", "x"])
            .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with("HTTP/1.1 403 Forbidden\n"), "{}", text(&out.stdout));
    assert!(text(&out.stdout).ends_with("\n\n"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).starts_with("error: 403 Forbidden"), "{}", text(&out.stderr));
}
