//! The crate of a document as web frameworks write them (`xtask/tests/fixtures/framework.yaml`)
//! and its command-line client, against local servers that answer as those frameworks' servers
//! do: no credentials required, error bodies richer than their schemas or without any schema,
//! `null` to clear a value, JSON or CSV by the server's choice, a 201 where 200 is documented,
//! JSON labelled as text.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use framework::auth::Secret;
use framework::types::{NoteIn, NotePatch, NotePatchDue};
use framework::{Auth, Client, Content, ErrorKind};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

fn note(id: i64) -> Value {
    json!({"id": id, "title": "buy milk", "due": null})
}

/// What a FastAPI server answers to a body it refuses: more than `HTTPValidationError` says
/// (`input`, `ctx`, `url` are not in the document).
fn validation_error() -> Value {
    json!({"detail": [{
        "type": "string_too_short",
        "loc": ["body", "title"],
        "msg": "String should have at least 1 character",
        "input": "",
        "ctx": {"min_length": 1},
        "url": "https://errors.pydantic.dev/2.9/v/string_too_short"
    }]})
}

async fn received_bodies(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests.iter().map(|r| String::from_utf8_lossy(&r.body).into_owned()).collect()
}

#[tokio::test]
async fn without_declared_security_a_call_goes_without_credentials_or_with_those_held() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    client(&server).list_notes().await.unwrap();
    let with_token =
        Client::builder().base_url(server.uri()).auth(Auth::Bearer(Secret::new("token-1").unwrap())).build().unwrap();
    with_token.list_notes().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let authorization: Vec<Option<&str>> =
        requests.iter().map(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok())).collect();
    assert_eq!(authorization, [None, Some("Bearer token-1")]);
}

#[tokio::test]
async fn a_validation_error_keeps_what_its_schema_does_not_declare() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(validation_error()))
        .mount(&server)
        .await;
    let error = client(&server).create_note(&NoteIn::new("")).await.unwrap_err();
    // Typed as documented…
    let Some(framework::types::CreateNoteError::UnprocessableEntity(typed)) = error.api() else {
        panic!("not the documented 422: {error:?}")
    };
    assert_eq!(typed.detail.as_ref().map(Vec::len), Some(1));
    // …and the body as it came, byte for byte, in the error and in its message.
    let sent: Value = serde_json::from_slice(error.body().unwrap()).unwrap();
    assert_eq!(sent, validation_error());
    let message = error.to_string();
    assert!(message.starts_with("422 Unprocessable Entity: {"), "{message}");
    assert!(message.contains(r#""ctx":{"min_length":1}"#), "{message}");
    assert!(message.contains("errors.pydantic.dev"), "{message}");
}

#[tokio::test]
async fn an_error_status_documented_without_content_shows_the_body_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Note 7 not found"})))
        .mount(&server)
        .await;
    let error = client(&server).get_note(7).await.unwrap_err();
    assert!(matches!(error.api(), Some(framework::types::GetNoteError::NotFound)));
    assert_eq!(error.to_string(), r#"404 Not Found: {"detail":"Note 7 not found"}"#);
    assert_eq!(error.body(), Some(br#"{"detail":"Note 7 not found"}"#.as_slice()));
}

#[tokio::test]
async fn a_long_body_is_shortened_in_messages_only_and_says_by_how_much() {
    let server = MockServer::start().await;
    let long = format!("Internal Server Error: {}", "x".repeat(977));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string(long.clone()))
        .mount(&server)
        .await;
    let error = client(&server).get_note(7).retry(framework::RetryPolicy::none()).await.unwrap_err();
    let message = error.to_string();
    assert!(message.ends_with("… (800 more bytes)"), "{message}");
    assert_eq!(error.body(), Some(long.as_bytes()));
}

#[tokio::test]
async fn absent_null_and_a_value_each_go_out_as_given() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200).set_body_json(note(7))).mount(&server).await;
    let client = client(&server);
    let patches = [
        NotePatch::new(),
        NotePatch::new().due(NotePatchDue::Null),
        NotePatch::new().due(NotePatchDue::Variant1(3)),
        NotePatch::new().title(None).extra(Value::Null),
        NotePatch::new().title(Some("x".into())).extra(json!({"a": null})),
    ];
    for patch in &patches {
        client.update_note(7, patch).await.unwrap();
    }
    assert_eq!(
        received_bodies(&server).await,
        [
            "{}",
            r#"{"due":null}"#,
            r#"{"due":3}"#,
            r#"{"title":null,"extra":null}"#,
            r#"{"title":"x","extra":{"a":null}}"#
        ]
    );
    // And a decoded body keeps them apart too: `null` is not absent.
    for text in [r#"{"due":null,"extra":null,"title":null}"#, "{}"] {
        let patch: NotePatch = serde_json::from_str(text).unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(&serde_json::to_string(&patch).unwrap()).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }
}

#[tokio::test]
async fn a_response_offered_as_json_or_csv_is_taken_as_the_server_sends_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("tag", "csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("id,title\n7,buy milk\n", "text/csv; charset=utf-8"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([note(7)])))
        .mount(&server)
        .await;
    let client = client(&server);
    let Content::Json(notes) = client.list_notes().await.unwrap() else { panic!("not JSON") };
    assert_eq!(notes[0].id, 7);
    match client.list_notes().tag("csv").await.unwrap() {
        Content::Text { content_type, text } => {
            assert_eq!(content_type, "text/csv; charset=utf-8");
            assert_eq!(text, "id,title\n7,buy milk\n");
        }
        other => panic!("not text: {other:?}"),
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("accept").unwrap(), "application/json, text/csv");
}

#[tokio::test]
async fn an_undocumented_201_that_decodes_as_the_success_is_the_success_with_a_note() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_json(json!({"title": "buy milk"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(note(8)))
        .mount(&server)
        .await;
    let (created, meta) = client(&server).create_note(&NoteIn::new("buy milk")).send_with_meta().await.unwrap();
    assert_eq!(created.id, 8);
    assert_eq!(meta.status(), 201);
    assert_eq!(meta.notes().len(), 1, "{:?}", meta.notes());
    assert!(meta.notes()[0].contains("status 201 is not documented"), "{:?}", meta.notes());
}

#[tokio::test]
async fn an_undocumented_2xx_that_does_not_decode_stays_an_undocumented_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"queued": true})))
        .mount(&server)
        .await;
    let error = client(&server).create_note(&NoteIn::new("x")).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::UnexpectedStatus { status: 202, .. }), "{error:?}");
    assert_eq!(error.to_string(), r#"undocumented status 202: {"queued":true}"#);
}

#[tokio::test]
async fn json_labelled_as_text_is_decoded_as_the_json_documented() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(note(7).to_string(), "text/plain; charset=utf-8"))
        .mount(&server)
        .await;
    let (found, meta) = client(&server).get_note(7).send_with_meta().await.unwrap();
    assert_eq!(found.id, 7);
    assert!(meta.notes()[0].contains("labelled text/plain"), "{:?}", meta.notes());
    // Text that is not the documented JSON is still refused, with the body kept.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"))
        .mount(&server)
        .await;
    let error = client(&server).get_note(7).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::UnexpectedContentType { .. }), "{error:?}");
    assert_eq!(error.body(), Some(b"<html>maintenance</html>".as_slice()));
}

#[tokio::test]
async fn a_response_that_does_not_decode_names_the_property() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([note(1), {"id": 2, "title": "b", "due": "tomorrow"}])),
        )
        .mount(&server)
        .await;
    let error = client(&server).list_notes().await.unwrap_err();
    let ErrorKind::Decode { message, .. } = error.kind() else { panic!("{error:?}") };
    assert!(message.starts_with("[1].due: "), "{message}");
}

// The command-line client.

fn binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| crate::cli_binary::build("framework"))
}

/// Runs the CLI against `server` with no credential in its environment.
async fn run(server: &MockServer, args: &[&str]) -> Output {
    let mut command = Command::new(binary());
    command.args(args).env("FRAMEWORK_API_ENDPOINT", server.uri()).env_remove("FRAMEWORK_TOKEN");
    tokio::task::spawn_blocking(move || command.output().expect("the CLI runs")).await.unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_sends_without_credentials_when_none_are_required_and_none_are_set() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([note(7)])))
        .mount(&server)
        .await;
    let out = run(&server, &["list-notes"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), json!([note(7)]));
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_prints_a_401_from_the_server_as_it_came() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"detail": "Not authenticated"})))
        .mount(&server)
        .await;
    let out = run(&server, &["get-note", "--note-id", "7"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "error: undocumented status 401\n{\n  \"detail\": \"Not authenticated\"\n}\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_prints_a_422_whole_with_its_undeclared_properties() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(validation_error()))
        .mount(&server)
        .await;
    let out = run(&server, &["create-note", "--title", ""]).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let (head, body) = stderr.split_once('\n').unwrap();
    assert_eq!(head, "error: 422 Unprocessable Entity");
    assert_eq!(serde_json::from_str::<Value>(body).unwrap(), validation_error());
    assert!(body.contains("\n  \"detail\": [\n"), "pretty-printed: {body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_sends_null_as_given_in_body() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(200).set_body_json(note(7))).mount(&server).await;
    let out =
        run(&server, &["update-note", "--note-id", "7", "--body", r#"{"due": null, "title": null, "extra": null}"#])
            .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(received_bodies(&server).await, [r#"{"title":null,"due":null,"extra":null}"#]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_names_the_property_of_a_body_that_does_not_fit() {
    let server = MockServer::start().await;
    let out = run(&server, &["update-note", "--note-id", "7", "--body", r#"{"due": 1, "title": 5}"#]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--body: title: invalid type: integer `5`, expected a string"),
        "{}",
        text(&out.stderr)
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_prints_csv_as_it_came_and_notes_an_undocumented_success_with_verbose() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("id,title\n7,buy milk\n", "text/csv"))
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(note(8))).mount(&server).await;
    let out = run(&server, &["list-notes"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "id,title\n7,buy milk\n");
    let out = run(&server, &["create-note", "--title", "buy milk", "--verbose"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("* note: status 201 is not documented"), "{}", text(&out.stderr));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), note(8));
}
