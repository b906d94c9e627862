//! Recording (redaction), replay (matching, the unmatched answer) and drift (each kind, and
//! what is not drift) on hand-made exchanges and descriptions.

use reqwest::Method;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::client::Request;
use crate::drift::{check, DriftKind};
use crate::error::NoErrorResponses;
use crate::record::{read_cassette, RecordedBody, RecordedExchange, RecordedRequest, RecordedResponse, Recorder};
use crate::record::{Redaction, REDACTED};
use crate::replay::{Replay, UNMATCHED_STATUS};
use crate::Client;

/// Pets, with a status enum, an open map, a union of two objects and a 4XX range.
const SHAPE: &str = r#"{
  "operations": {
    "listPets": [
      {"status": "200", "media": ["application/json"], "body": {"array": {"ref": "Pet"}}},
      {"status": "4XX", "media": ["application/problem+json"], "body": {"ref": "Problem"}}
    ],
    "getThing": [{"status": "200", "media": ["application/json", "text/*"], "body": {"ref": "Thing"}}],
    "deletePet": [{"status": "204"}]
  },
  "types": {
    "Pet": {"object": {"properties": {"id": "integer", "status": {"ref": "Status"},
      "tags": {"nullable": {"map": "string"}}}, "extra": false, "flatten": []}},
    "Status": {"enum": ["available", "sold"]},
    "Problem": {"object": {"properties": {"title": "string"}, "extra": true}},
    "Thing": {"union": [{"ref": "Cat"}, {"ref": "Dog"}]},
    "Cat": {"object": {"properties": {"meow": "boolean"}}},
    "Dog": {"object": {"properties": {"bark": "boolean", "kind": {"ref": "Status"}}}}
  }
}"#;

fn exchange(operation: &str, status: u16, content_type: &str, body: &str) -> RecordedExchange {
    RecordedExchange {
        operation: operation.into(),
        request: RecordedRequest {
            method: "GET".into(),
            path: "/pets".into(),
            query: vec![],
            headers: vec![],
            body: RecordedBody::default(),
        },
        response: RecordedResponse {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: RecordedBody { body: Some(body.into()), body_base64: None },
        },
    }
}

fn drifts(exchanges: &[RecordedExchange]) -> Vec<String> {
    check(SHAPE, exchanges).unwrap().drifts.iter().map(ToString::to_string).collect()
}

#[test]
fn what_the_document_declares_is_no_drift() {
    let clean = [
        exchange("listPets", 200, "application/json; charset=utf-8", r#"[{"id":1,"status":"sold","tags":null}]"#),
        exchange("listPets", 404, "application/problem+json", r#"{"title":"no","anything":{"else":1}}"#),
        exchange("getThing", 200, "text/plain", "a cat"),
        exchange("getThing", 200, "application/json", r#"{"bark":true,"kind":"available"}"#),
        exchange("deletePet", 204, "", ""),
        // A value of another type is decoding's concern, not the document's omission.
        exchange("listPets", 200, "application/json", r#"[{"id":"one"}]"#),
    ];
    assert_eq!(drifts(&clean), Vec::<String>::new());
}

#[test]
fn each_kind_of_drift_is_named_with_its_place() {
    let drifted = [
        exchange("listPets", 200, "application/json", r#"[{"id":1},{"id":2,"status":"lost","tags":{"a":"b"},"x":1}]"#),
        exchange("listPets", 500, "application/json", "{}"),
        exchange("listPets", 200, "text/html", "<p>"),
        exchange("getThing", 200, "application/json", r#"{"meow":true,"purr":1}"#),
        exchange("getThing", 200, "application/json", "{"),
        exchange("adoptPet", 200, "application/json", "{}"),
        // The same drift twice is listed once.
        exchange("listPets", 500, "application/json", "{}"),
    ];
    let report = check(SHAPE, &drifted).unwrap();
    assert!(!report.is_clean());
    assert_eq!(
        report.to_string().lines().collect::<Vec<_>>(),
        [
            "adoptPet: no operation of this id in the document",
            "getThing: status 200: undeclared property \"purr\" in the object at the body's root",
            "getThing: status 200: body is not JSON: EOF while parsing an object at line 1 column 1",
            "listPets: status 200: undocumented content type \"text/html\"",
            "listPets: status 200: undeclared property \"x\" in the object at /1",
            "listPets: status 200: unknown enum value \"lost\" at /1/status",
            "listPets: undocumented status 500",
        ]
    );
    assert!(report.drifts.iter().any(|d| d.kind == DriftKind::UndocumentedStatus && d.status == 500));
}

#[test]
fn a_description_that_is_not_one_is_an_error() {
    let error = check("{\"operations\": 1}", &[]).unwrap_err();
    assert!(error.starts_with("not a description of a document"), "{error}");
}

#[test]
fn a_cassette_line_that_is_not_an_exchange_is_named() {
    let line = serde_json::to_string(&exchange("listPets", 200, "application/json", "[]")).unwrap();
    let error = read_cassette(&format!("{line}\n\n{{\"operation\": 1}}\n")).unwrap_err();
    assert!(error.starts_with("line 3: not a recorded exchange"), "{error}");
}

#[tokio::test]
async fn recordings_hide_credentials_and_replay_answers_as_recorded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("set-cookie", "session=s3cr3t")
                .set_body_raw(r#"[{"id":1}]"#, "application/json"),
        )
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("runtime-doubles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cassette.jsonl");
    let _ = std::fs::remove_file(&file);
    let recorder = Recorder::append_to(&file, Redaction::default().header("X-Key").query("key")).unwrap();
    let client = Client::builder_for(&server.uri())
        .default_header("x-key".parse().unwrap(), "hdr-secret".parse().unwrap())
        .default_header("x-api-token".parse().unwrap(), "guessed-secret".parse().unwrap())
        .default_header("authorization".parse().unwrap(), "Bearer bearer-secret".parse().unwrap())
        .hook(recorder)
        .build()
        .unwrap();
    let call = |limit: &str| {
        let request = Request::new(Method::GET, "listPets", "/pets").query("key", "query-secret").query("limit", limit);
        client.call::<serde_json::Value, NoErrorResponses, (), ()>(request, |r| r.json())
    };
    let body = call("2").send().await.unwrap();
    assert_eq!(body, json!([{"id": 1}]));
    let text = std::fs::read_to_string(&file).unwrap();
    for secret in ["hdr-secret", "guessed-secret", "bearer-secret", "query-secret", "s3cr3t"] {
        assert!(!text.contains(secret), "{secret} recorded: {text}");
    }
    let exchanges = read_cassette(&text).unwrap();
    assert_eq!(exchanges.len(), 1);
    assert_eq!(exchanges[0].request.query, [("key".to_string(), REDACTED.to_string()), ("limit".into(), "2".into())]);

    // Served back: the same answer whatever the hidden key, and a 404 that says why for a
    // query nobody recorded.
    let replay = Replay::start(exchanges).unwrap();
    let replayed = reqwest::get(format!("{}/pets?limit=2&key=other", replay.url())).await.unwrap();
    assert_eq!(replayed.status(), 200);
    assert_eq!(replayed.headers()["content-type"], "application/json");
    assert_eq!(replayed.text().await.unwrap(), r#"[{"id":1}]"#);
    let unmatched = reqwest::get(format!("{}/pets?limit=3", replay.url())).await.unwrap();
    assert_eq!(unmatched.status().as_u16(), UNMATCHED_STATUS);
    assert_eq!(
        unmatched.text().await.unwrap(),
        "no recorded exchange matched GET /pets?limit=3 (closest recorded: GET /pets?key=[REDACTED]&limit=2)\n"
    );
}
