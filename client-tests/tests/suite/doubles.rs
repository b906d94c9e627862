//! The test doubles of a generated crate (`xtask/tests/fixtures/doubles.yaml`), end to end:
//! the command-line client records a list, a get and a create against a live server with
//! `--record`, `mock --cassette` replays them, and `drift` finds what a server sends beyond the
//! document; the library records with `doubles::recorder`, replays with `doubles::Replay` and
//! reports drift as data.

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use doubles::auth::Secret;
use doubles::doubles::{self as d, DriftKind};
use doubles::types::{PetIn, Status};
use doubles::{Auth, Client};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-9f8e7d-secret";
const KEY: &str = "key-1a2b3c-secret";

fn binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| crate::cli_binary::build("doubles"))
}

/// A fresh file for a recording, in the target folder.
fn cassette(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("doubles");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    let _ = std::fs::remove_file(&file);
    file
}

/// Runs the CLI with the credentials against `endpoint` (the base URL, `/v1` included).
async fn run(endpoint: String, args: &[&str]) -> Output {
    let mut command = Command::new(binary());
    command.args(args).env("DOUBLES_API_ENDPOINT", endpoint).env("DOUBLES_TOKEN", TOKEN).env("DOUBLES_API_KEY", KEY);
    tokio::task::spawn_blocking(move || command.output().expect("the CLI runs")).await.unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn pet(id: i64, name: &str) -> Value {
    json!({"id": id, "name": name, "status": "available"})
}

/// A server that answers only requests carrying both credentials.
async fn live_server() -> MockServer {
    let server = MockServer::start().await;
    let authorized =
        || Mock::given(header("authorization", format!("Bearer {TOKEN}").as_str())).and(query_param("api_key", KEY));
    authorized()
        .and(method("GET"))
        .and(path("/v1/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([pet(1, "Rex"), pet(2, "Tom")])))
        .mount(&server)
        .await;
    authorized()
        .and(method("GET"))
        .and(path("/v1/pets/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pet(1, "Rex")))
        .mount(&server)
        .await;
    authorized()
        .and(method("POST"))
        .and(path("/v1/pets"))
        .respond_with(ResponseTemplate::new(201).set_body_json(pet(3, "Kit")))
        .mount(&server)
        .await;
    server
}

/// `mock --cassette FILE` on a free port, once it listens; killed when dropped.
struct MockProcess {
    child: std::process::Child,
    url: String,
}

impl MockProcess {
    fn start(cassette: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(binary())
            .args(["mock", "--cassette"])
            .arg(cassette)
            .args(["--port", &port.to_string()])
            .stderr(Stdio::piped())
            .spawn()
            .expect("the CLI runs");
        // It says so once it listens: no polling.
        let mut line = String::new();
        std::io::BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.starts_with("serving 3 recorded exchanges on"), "{line}");
        Self { child, url: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const CALLS: [&[&str]; 3] =
    [&["list-pets", "--limit", "2"], &["get-pet", "--id", "1"], &["create-pet", "--name", "Kit"]];

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_records_without_secrets_and_replays_the_same_answers() {
    let live = live_server().await;
    let file = cassette("recorded.jsonl");
    let file_arg = file.to_str().unwrap();
    let mut answers = Vec::new();
    for call in CALLS {
        let args: Vec<&str> = ["--record", file_arg].iter().chain(call).copied().collect();
        let out = run(format!("{}/v1", live.uri()), &args).await;
        assert!(out.status.success(), "{call:?}: {}", text(&out.stderr));
        answers.push(out);
    }
    let recording = std::fs::read_to_string(&file).unwrap();
    assert_eq!(recording.lines().count(), 3, "{recording}");
    assert!(!recording.contains(TOKEN) && !recording.contains(KEY), "a secret was recorded:\n{recording}");
    let exchanges = d::read_cassette(&recording).unwrap();
    let operations: Vec<&str> = exchanges.iter().map(|e| e.operation.as_str()).collect();
    assert_eq!(operations, ["listPets", "getPet", "createPet"]);
    let create = &exchanges[2];
    assert_eq!((create.request.method.as_str(), create.request.path.as_str()), ("POST", "/v1/pets"));
    assert_eq!(create.request.body.body.as_deref(), Some(r#"{"name":"Kit"}"#));
    assert_eq!(create.response.status, 201);
    assert!(create.request.query.contains(&("api_key".into(), d::REDACTED.into())), "{:?}", create.request.query);
    assert!(create.request.headers.contains(&("authorization".into(), d::REDACTED.into())));

    let mock = MockProcess::start(&file);
    for (call, live_answer) in CALLS.iter().zip(&answers) {
        let replayed = run(format!("{}/v1", mock.url), call).await;
        assert_eq!(replayed.status.code(), live_answer.status.code(), "{call:?}: {}", text(&replayed.stderr));
        assert_eq!(text(&replayed.stdout), text(&live_answer.stdout), "{call:?}");
    }
    let unrecorded = run(format!("{}/v1", mock.url), &["get-pet", "--id", "99"]).await;
    assert!(!unrecorded.status.success());
    let said = text(&unrecorded.stdout) + &text(&unrecorded.stderr);
    assert!(said.contains("no recorded exchange matched GET /v1/pets/99"), "{said}");
    assert!(said.contains("404"), "{said}");
    // Still serving after a request it could not answer.
    let again = run(format!("{}/v1", mock.url), CALLS[0]).await;
    assert_eq!(text(&again.stdout), text(&answers[0].stdout));

    // What the live server sent is what the document declares.
    let drift = Command::new(binary()).arg("drift").arg(&file).output().unwrap();
    assert_eq!(drift.status.code(), Some(0), "{}{}", text(&drift.stdout), text(&drift.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_names_an_undeclared_property_an_unknown_enum_value_and_an_undocumented_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/pets"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 1, "name": "Rex", "status": "adopted", "nickname": "R"}])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/pets/1"))
        .respond_with(ResponseTemplate::new(418).set_body_json(json!({"message": "a teapot"})))
        .mount(&server)
        .await;
    let file = cassette("drifted.jsonl");
    let file_arg = file.to_str().unwrap();
    run(format!("{}/v1", server.uri()), &["--record", file_arg, "list-pets"]).await;
    run(format!("{}/v1", server.uri()), &["--record", file_arg, "get-pet", "--id", "1"]).await;

    let out = Command::new(binary()).arg("drift").arg(&file).output().unwrap();
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}{}", text(&out.stderr));
    assert!(report.contains(r#"listPets: status 200: undeclared property "nickname" in the object at /0"#), "{report}");
    assert!(report.contains(r#"listPets: status 200: unknown enum value "adopted" at /0/status"#), "{report}");
    assert!(report.contains("getPet: undocumented status 418"), "{report}");
    assert_eq!(report.lines().count(), 3, "{report}");

    // The same, as data for a user's test.
    let report = d::drift_file(&file).unwrap();
    let kinds: Vec<&DriftKind> = report.drifts.iter().map(|d| &d.kind).collect();
    assert!(kinds.contains(&&DriftKind::UndocumentedStatus), "{kinds:?}");
    assert!(kinds.contains(&&DriftKind::UndeclaredProperty { place: "/0".into(), name: "nickname".into() }));
    assert!(kinds.contains(&&DriftKind::UnknownEnumValue { place: "/0/status".into(), value: "adopted".into() }));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_library_records_and_replays_typed_calls() {
    let live = live_server().await;
    let file = cassette("library.jsonl");
    let client = |base_url: String, record: bool| {
        let mut builder = Client::builder()
            .base_url(base_url)
            .auths([Auth::Bearer(Secret::new(TOKEN).unwrap()), Auth::ApiKey(Secret::new(KEY).unwrap())]);
        if record {
            builder = builder.hook(d::recorder(&file).unwrap());
        }
        builder.build().unwrap()
    };
    let recording = client(format!("{}/v1", live.uri()), true);
    let listed = recording.list_pets().limit(2).await.unwrap();
    let created = recording.create_pet(&PetIn::new("Kit")).await.unwrap();
    assert_eq!(listed.len(), 2);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(TOKEN) && !text.contains(KEY), "{text}");

    let replay = d::Replay::start(d::read_cassette(&text).unwrap()).unwrap();
    let replaying = client(format!("{}/v1", replay.url()), false);
    assert_eq!(replaying.list_pets().limit(2).await.unwrap(), listed);
    assert_eq!(replaying.create_pet(&PetIn::new("Kit")).await.unwrap(), created);
    assert_eq!((created.id, created.name.as_str(), &created.status), (3, "Kit", &Status::Available));
    // A limit nobody recorded selects nothing.
    let error = replaying.list_pets().limit(5).await.unwrap_err();
    assert_eq!(error.status(), Some(d::UNMATCHED_STATUS), "{error}");
    assert!(d::drift(&d::read_cassette(&text).unwrap()).unwrap().is_clean());
}
