//! Contract tests: the generated client against the Prism mock server
//! (`@stoplight/prism-cli`, pinned in the repository's `package.json`), which answers from the
//! examples of `spec/openapi.yaml` and validates every request against the spec.
//!
//! Prism is the one given by `PRISM_URL`, or else one this test starts from `node_modules`
//! (running `npm ci` first when `node_modules` is missing) and stops at the end. Built with
//! `PRISM=absent`, the test is ignored (`build.rs` sets the `prism_absent` cfg), and the test
//! harness reports it so.
//!
//! For every documented status of every operation (error statuses chosen with Prism's
//! `Prefer: code=NNN` header) the test checks:
//! - that the typed client decodes Prism's answer into the spec's example for that status,
//!   read from `spec/openapi.yaml` at run time;
//! - that Prism finds no violation of severity `Error` in the request the client sends. The
//!   client does not expose response headers, so the request is captured by a local recorder
//!   (wiremock) and replayed byte for byte to Prism, whose `sl-violations` response header is
//!   read. Warnings are allowed: Prism does not know the `EXO2-HMAC-SHA256` scheme and warns
//!   about it on every request.
//!
//! Prism runs with `--errors`, so a response that does not match the spec (an example that
//! violates its schema) becomes a 500 instead of being served. Request violations are not
//! affected by that flag (in Prism 5.14.2 it only acts on response violations): Prism answers
//! an invalid request with the spec's 422 or 400 response (a 422 of its own when the operation
//! documents neither) whatever `Prefer` asks, which is why the `sl-violations` header is checked
//! too: for the update's 400 case the status alone could not tell. The recorded request's
//! `Authorization` header is also checked to be its real `EXO2-HMAC-SHA256` signature with the
//! test credentials, which Prism cannot check. Negative cases send invalid, correctly signed
//! requests with plain reqwest to prove that Prism really validates.

use std::future::Future;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use exoscale_api::auth::Credentials;
use exoscale_api::reqwest::header::{HeaderName, HeaderValue};
use exoscale_api::reqwest::{self, Url};
use exoscale_api::types::{
    AiApiKey, ErrorResponse, ForbiddenOperationResponse, ListAiApiKeysError, ListAiApiKeysResponse,
    UpdateAiApiKeyError, UpdateAiApiKeyRequest,
};
use exoscale_api::{Client, Error, ErrorKind};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "EXOtest";
const SECRET: &str = "secret";
/// The id of the spec's examples.
const ID: &str = "11111111-1111-1111-1111-111111111111";
/// How long Prism may take to start answering.
const STARTUP_DEADLINE: Duration = Duration::from_secs(60);
/// The warning Prism gives for every request, as it cannot check the EXO2 scheme.
const UNSUPPORTED_SCHEME: &str = "We currently do not support this type of security scheme";

#[test]
#[cfg_attr(prism_absent, ignore = "PRISM=absent: Prism (Node) is not available; unset PRISM to run it")]
fn contract_tests_against_prism() {
    let spec = Spec::load();
    // Kept alive until the end of this function, so Prism is stopped even when a case panics.
    let (prism_url, process) = match std::env::var("PRISM_URL") {
        Ok(url) if !url.trim().is_empty() => {
            let url = url.trim().trim_end_matches('/').to_string();
            println!("contract tests: using the Prism at PRISM_URL={url}");
            wait_until_answering(&url, None);
            (url, None)
        }
        _ => {
            let process = PrismProcess::start();
            (process.url.clone(), Some(process))
        }
    };

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let context = Arc::new(Context { prism_url, spec });
    let failed = runtime.block_on(run_cases(context));
    drop(runtime);
    if !failed.is_empty() {
        if let Some(process) = &process {
            eprintln!("--- Prism's output ---\n{}", process.output());
        }
        panic!("{} contract case(s) failed: {}", failed.len(), failed.join(", "));
    }
    drop(process);
}

type CaseFuture = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
type Case = fn(Arc<Context>) -> CaseFuture;

/// Runs every case, each in its own task so that one failing case does not hide the others.
async fn run_cases(context: Arc<Context>) -> Vec<&'static str> {
    let cases: Vec<(&'static str, Case)> = vec![
        ("list-ai-api-keys 200", |c| Box::pin(list_200(c))),
        ("list-ai-api-keys 403", |c| Box::pin(list_403(c))),
        ("update-ai-api-key 200", |c| Box::pin(update_200(c))),
        ("update-ai-api-key 400", |c| Box::pin(update_400(c))),
        ("update-ai-api-key 403", |c| Box::pin(update_403(c))),
        ("update-ai-api-key 404", |c| Box::pin(update_404(c))),
        ("every documented operation and status is covered", |c| Box::pin(coverage(c))),
        ("negative: a non-uuid id is rejected", |c| Box::pin(negative_non_uuid_id(c))),
        ("negative: a body field of the wrong type is rejected", |c| Box::pin(negative_wrong_body_type(c))),
    ];
    let mut failed = Vec::new();
    for (name, case) in cases {
        match tokio::spawn(case(context.clone())).await {
            Ok(()) => println!("contract case {name} ... ok"),
            Err(_) => {
                println!("contract case {name} ... FAILED (see its panic above)");
                failed.push(name);
            }
        }
    }
    failed
}

// ---------------------------------------------------------------------------------------------
// The cases.

async fn list_200(cx: Arc<Context>) {
    let expected: ListAiApiKeysResponse =
        serde_json::from_value(cx.spec.example("/ai/api-key", "get", "200")).expect("the example decodes");
    let result = cx.exchange(None, |client| async move { client.list_ai_api_keys().await }).await;
    assert_eq!(result.expect("list-ai-api-keys 200"), expected);
}

async fn list_403(cx: Arc<Context>) {
    let expected: ErrorResponse =
        serde_json::from_value(cx.spec.example("/ai/api-key", "get", "403")).expect("the example decodes");
    let result = cx.exchange(Some("code=403"), |client| async move { client.list_ai_api_keys().await }).await;
    match result.map_err(Error::into_kind) {
        Err(ErrorKind::Api(ListAiApiKeysError::Forbidden(problem))) => assert_eq!(problem, expected),
        other => panic!("expected the documented 403, got {other:?}"),
    }
}

async fn update_200(cx: Arc<Context>) {
    let expected: AiApiKey =
        serde_json::from_value(cx.spec.example(UPDATE_PATH, "patch", "200")).expect("the example decodes");
    let result = cx.update(None).await;
    assert_eq!(result.expect("update-ai-api-key 200"), expected);
}

async fn update_400(cx: Arc<Context>) {
    let expected: ErrorResponse =
        serde_json::from_value(cx.spec.example(UPDATE_PATH, "patch", "400")).expect("the example decodes");
    match cx.update(Some("code=400")).await.map_err(Error::into_kind) {
        Err(ErrorKind::Api(UpdateAiApiKeyError::BadRequest(problem))) => assert_eq!(problem, expected),
        other => panic!("expected the documented 400, got {other:?}"),
    }
}

async fn update_403(cx: Arc<Context>) {
    let expected: ForbiddenOperationResponse =
        serde_json::from_value(cx.spec.example(UPDATE_PATH, "patch", "403")).expect("the example decodes");
    match cx.update(Some("code=403")).await.map_err(Error::into_kind) {
        Err(ErrorKind::Api(UpdateAiApiKeyError::Forbidden(body))) => assert_eq!(body, expected),
        other => panic!("expected the documented 403, got {other:?}"),
    }
}

async fn update_404(cx: Arc<Context>) {
    let expected: ErrorResponse =
        serde_json::from_value(cx.spec.example(UPDATE_PATH, "patch", "404")).expect("the example decodes");
    match cx.update(Some("code=404")).await.map_err(Error::into_kind) {
        Err(ErrorKind::Api(UpdateAiApiKeyError::NotFound(problem))) => assert_eq!(problem, expected),
        other => panic!("expected the documented 404, got {other:?}"),
    }
}

/// The operations and statuses the cases above exercise.
const COVERED: &[(&str, &str)] = &[
    ("list-ai-api-keys", "200"),
    ("list-ai-api-keys", "403"),
    ("update-ai-api-key", "200"),
    ("update-ai-api-key", "400"),
    ("update-ai-api-key", "403"),
    ("update-ai-api-key", "404"),
];

/// Fails when the spec documents an operation or a status that no case exercises.
async fn coverage(cx: Arc<Context>) {
    let mut documented = Vec::new();
    for (_, item) in cx.spec.0["paths"].as_object().expect("the spec has paths") {
        for (_, operation) in item.as_object().into_iter().flatten() {
            let (Some(id), Some(responses)) = (operation["operationId"].as_str(), operation["responses"].as_object())
            else {
                continue;
            };
            documented.extend(responses.keys().map(|status| (id.to_string(), status.clone())));
        }
    }
    documented.sort();
    let covered: Vec<_> = COVERED.iter().map(|(id, status)| (id.to_string(), status.to_string())).collect();
    assert_eq!(documented, covered, "the contract cases do not match the spec's operations and statuses");
}

/// A correctly signed PATCH whose id is not a uuid: Prism must report it as an error.
async fn negative_non_uuid_id(cx: Arc<Context>) {
    let body = serde_json::to_vec(&cx.spec.request_example()).unwrap();
    // Control: the same request with a valid id passes, so only the id makes the difference.
    let (status, violations) = cx.send_signed(&format!("/ai/ai-api-key/{ID}"), &body).await;
    assert_eq!((status, errors(&violations)), (200, vec![]), "{violations:?}");

    let (status, violations) = cx.send_signed("/ai/ai-api-key/not-a-uuid", &body).await;
    assert_eq!(status, 400, "Prism answers an invalid request with the spec's 400; {violations:?}");
    let errors = errors(&violations);
    assert!(
        errors.iter().any(|v| v["location"] == serde_json::json!(["request", "path", "id"])),
        "expected an error about the path parameter id, got {violations:?}"
    );
}

/// A correctly signed PATCH whose body has a number where the spec wants a string.
async fn negative_wrong_body_type(cx: Arc<Context>) {
    let (status, violations) = cx.send_signed(&format!("/ai/ai-api-key/{ID}"), br#"{"name":5}"#).await;
    assert_eq!(status, 400, "Prism answers an invalid request with the spec's 400; {violations:?}");
    let errors = errors(&violations);
    assert!(
        errors.iter().any(|v| v["location"] == serde_json::json!(["request", "body", "name"])),
        "expected an error about body.name, got {violations:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Talking to Prism.

const UPDATE_PATH: &str = "/ai/ai-api-key/{id}";

struct Context {
    /// Prism's root URL; Prism serves the spec's paths there, without the servers' `/v2`.
    prism_url: String,
    spec: Spec,
}

impl Context {
    fn client(base_url: &str, prefer: Option<&'static str>) -> Client {
        let credentials = Credentials::new(KEY, SECRET).expect("valid credentials");
        let client = Client::builder().base_url(base_url).auth(credentials).build().expect("client builds");
        match prefer {
            Some(value) => client.with_header(HeaderName::from_static("prefer"), HeaderValue::from_static(value)),
            None => client,
        }
    }

    /// The update of the spec's example id with the spec's example request body.
    async fn update(&self, prefer: Option<&'static str>) -> Result<AiApiKey, Error<UpdateAiApiKeyError>> {
        let body: UpdateAiApiKeyRequest =
            serde_json::from_value(self.spec.request_example()).expect("request example decodes");
        let id = ID.parse().expect("a uuid");
        self.exchange(prefer, move |client| {
            let body = body.clone();
            async move { client.update_ai_api_key(id, &body).await }
        })
        .await
    }

    /// Makes the call `call` with a client for Prism and returns its result, after checking
    /// that Prism finds no error in the request the generated client sends for it.
    async fn exchange<T, F, Fut>(&self, prefer: Option<&'static str>, call: F) -> T
    where
        F: Fn(Client) -> Fut,
        Fut: Future<Output = T>,
    {
        // The same call against a recorder gives the exact request the client sends.
        let recorder = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&recorder).await;
        let _ = call(Self::client(&recorder.uri(), prefer)).await;
        let mut requests = recorder.received_requests().await.expect("the recorder records requests");
        assert_eq!(requests.len(), 1, "the client sends one request per call");
        let request = requests.remove(0);
        assert_signed(&request);

        let (status, violations) = self.replay(&request).await;
        let errors = errors(&violations);
        assert!(
            errors.is_empty(),
            "Prism finds that the request the client sends violates the spec (status {status}): {errors:#?}\nrequest: {} {}\n{}",
            request.method,
            request.url.path(),
            String::from_utf8_lossy(&request.body)
        );
        for warning in violations.iter().filter(|v| v["severity"] != "Error") {
            if !warning["message"].as_str().unwrap_or("").starts_with(UNSUPPORTED_SCHEME) {
                println!("contract: Prism warns (not a failure): {warning}");
            }
        }

        call(Self::client(&self.prism_url, prefer)).await
    }

    /// Sends `request` to Prism as it was recorded and returns the status and the violations.
    async fn replay(&self, request: &wiremock::Request) -> (u16, Vec<Value>) {
        let query = request.url.query().map(|q| format!("?{q}")).unwrap_or_default();
        let url = format!("{}{}{query}", self.prism_url, request.url.path());
        let mut headers = request.headers.clone();
        for name in ["host", "content-length", "connection"] {
            headers.remove(name);
        }
        let response = reqwest::Client::new()
            .request(request.method.clone(), url)
            .headers(headers)
            .body(request.body.clone())
            .send()
            .await
            .expect("Prism answers the replayed request");
        (response.status().as_u16(), violations(response.headers()))
    }

    /// A PATCH of `path` with `body`, signed as the generated client signs, sent with plain
    /// reqwest.
    async fn send_signed(&self, path: &str, body: &[u8]) -> (u16, Vec<Value>) {
        let url = Url::parse(&format!("{}{path}", self.prism_url)).expect("a valid URL");
        let expires = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 600;
        let authorization = Credentials::new(KEY, SECRET).unwrap().authorization("PATCH", &url, body, expires);
        let response = reqwest::Client::new()
            .patch(url)
            .header("authorization", authorization)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .expect("Prism answers");
        (response.status().as_u16(), violations(response.headers()))
    }
}

/// The `sl-violations` header: a JSON array of `{location, severity, code, message}`.
fn violations(headers: &reqwest::header::HeaderMap) -> Vec<Value> {
    let Some(header) = headers.get("sl-violations") else { return Vec::new() };
    let text = header.to_str().expect("sl-violations is text");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("sl-violations is not a JSON array ({e}): {text}"))
}

fn errors(violations: &[Value]) -> Vec<Value> {
    violations.iter().filter(|v| v["severity"] == "Error").cloned().collect()
}

/// The request carries the real `EXO2-HMAC-SHA256` signature of itself with the test secret.
fn assert_signed(request: &wiremock::Request) {
    let header = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("the request is not signed: {:?}", request.headers));
    let expires = header
        .split(",expires=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|e| e.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no expiry in {header}"));
    let url = Url::parse(request.url.as_str()).expect("a valid URL");
    let expected =
        Credentials::new(KEY, SECRET).unwrap().authorization(request.method.as_str(), &url, &request.body, expires);
    assert_eq!(header, expected, "the Authorization header is not the request's EXO2-HMAC-SHA256 signature");
    assert!(header.starts_with(&format!("EXO2-HMAC-SHA256 credential={KEY},")), "{header}");
}

// ---------------------------------------------------------------------------------------------
// The spec's examples.

struct Spec(Value);

impl Spec {
    fn load() -> Spec {
        let path = repo_root().join("spec/openapi.yaml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Spec(serde_json::to_value(yaml).expect("the spec converts to JSON"))
    }

    fn operation(&self, path: &str, method: &str) -> &Value {
        let operation = &self.0["paths"][path][method];
        assert!(operation.is_object(), "no {method} {path} in the spec");
        operation
    }

    /// The example of the `application/json` response `status` of `method path`.
    fn example(&self, path: &str, method: &str, status: &str) -> Value {
        let example = &self.operation(path, method)["responses"][status]["content"]["application/json"]["example"];
        assert!(!example.is_null(), "no example for {method} {path} {status} in the spec");
        example.clone()
    }

    /// The example of the update's request body.
    fn request_example(&self) -> Value {
        let example = &self.operation(UPDATE_PATH, "patch")["requestBody"]["content"]["application/json"]["example"];
        assert!(example.is_object(), "no request body example for the update in the spec");
        example.clone()
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("client-tests is in the repository").to_path_buf()
}

// ---------------------------------------------------------------------------------------------
// A Prism started by the test.

/// A running `prism mock`, killed when dropped (also when a case panics).
struct PrismProcess {
    child: Child,
    url: String,
    output: Arc<Mutex<String>>,
}

impl PrismProcess {
    fn start() -> PrismProcess {
        let root = repo_root();
        let prism = root.join("node_modules/.bin/prism");
        require("node");
        if !prism.exists() {
            npm_ci(&root);
        }
        let port = free_port();
        let url = format!("http://127.0.0.1:{port}");
        println!("contract tests: starting {} mock -p {port} -h 127.0.0.1 --errors spec/openapi.yaml", prism.display());
        let mut child = Command::new(&prism)
            .args(["mock", "-p", &port.to_string(), "-h", "127.0.0.1", "--errors", "spec/openapi.yaml"])
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}\n{}", prism.display(), HOW_TO));
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
            child.stderr.take().map(|s| Box::new(s) as _),
        ] {
            let (mut stream, output) = (stream.expect("piped"), output.clone());
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                while let Ok(n @ 1..) = stream.read(&mut buffer) {
                    output.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..n]));
                }
            });
        }
        let mut process = PrismProcess { child, url, output };
        wait_until_answering(&process.url.clone(), Some(&mut process));
        process
    }

    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for PrismProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const HOW_TO: &str =
    "The contract tests need Node.js (20 or later) with npm: install them (e.g. `apt-get install nodejs npm`) \
     and run `npm ci` at the repository root, or point PRISM_URL at a running Prism, \
     or set PRISM=absent to skip the contract tests.";

/// Installs the pinned Prism with `npm ci` at the repository root.
fn npm_ci(root: &Path) {
    println!("contract tests: node_modules/.bin/prism is missing, running `npm ci` in {}", root.display());
    require("npm");
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("`npm ci` cannot be run ({e}). {HOW_TO}"));
    if !output.status.success() {
        panic!(
            "`npm ci` failed ({}):\n{}{}\n{HOW_TO}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Fails with instructions when `tool --version` does not run.
fn require(tool: &str) {
    match Command::new(tool).arg("--version").output() {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!("`{tool} --version` failed ({}). {HOW_TO}", output.status),
        Err(e) => panic!("`{tool}` cannot be run ({e}). {HOW_TO}"),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port on 127.0.0.1").port()
}

/// Polls `url` until it answers HTTP, failing with Prism's output (when the test started it)
/// if it does not within the deadline or if the process exits.
fn wait_until_answering(url: &str, mut process: Option<&mut PrismProcess>) {
    let address = url.trim_start_matches("http://").split('/').next().unwrap_or_default().to_string();
    let deadline = Instant::now() + STARTUP_DEADLINE;
    loop {
        if answers_http(&address) {
            return;
        }
        if let Some(process) = process.as_mut() {
            if let Ok(Some(status)) = process.child.try_wait() {
                // Let the reader threads take the last of the output.
                std::thread::sleep(Duration::from_millis(200));
                panic!("Prism exited ({status}) before answering on {url}. Its output:\n{}", process.output());
            }
        }
        if Instant::now() > deadline {
            let output = match &process {
                Some(process) => format!("Its output:\n{}", process.output()),
                None => "(it was started outside this test: see its own output)".to_string(),
            };
            panic!("Prism did not answer on {url} within {STARTUP_DEADLINE:?}. {output}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Whether an HTTP server answers a request on `address` (`host:port`).
fn answers_http(address: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}
