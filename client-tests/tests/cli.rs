//! The generated command-line client (`--features cli`), run as a process against a local
//! server that checks every request's signature.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{json, Value};
use support::{SignedWith, KEY, SECRET};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "11111111-1111-1111-1111-111111111111";

/// Builds the binary once, with the same cargo that runs the tests.
fn binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let output = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "exoscale-api",
                "--features",
                "cli",
                "--bin",
                "exoscale-api",
                "--message-format=json",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo runs");
        assert!(output.status.success(), "building the CLI failed:\n{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo reports the executable")
    })
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
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"code": "forbidden_operation", "error": "no"})))
        .mount(&server)
        .await;
    let out = run(format!("{}/v2", server.uri()), SECRET, &["update-ai-api-key", "--id", ID, "--name", "x"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(text(&out.stderr).trim(), r#"error: 403 Forbidden: {"code":"forbidden_operation","error":"no"}"#);
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
    let out = run(format!("http://{addr}/v2"), SECRET, &["list-ai-api-keys"]).await;
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
