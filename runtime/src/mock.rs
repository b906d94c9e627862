//! Typed mocks (behind the `mock` feature): a server on a loopback port that answers what it
//! is told to expect, per operation. The generated crate adds one `expect_<operation>` method
//! per operation to [`MockServer`] and the operation's matchers and answers to [`Expect`]; this
//! file holds everything they share, so that each operation adds little code.
//!
//! A request that matches no expectation is answered [`NO_EXPECTATION_STATUS`], with a body that
//! names the closest expectation and what differed; the server goes on serving, and
//! [`MockServer::verify`] lists it with the expectations not met.
// Items used only by the generated crate's `expect_*` methods.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::{Client, ClientBuilder};
use crate::error::ConfigError;
use crate::query_style::QueryStyle;

/// The status of the answer to a request that matches no expectation.
pub const NO_EXPECTATION_STATUS: u16 = 599;

/// A server on a loopback port answering the expectations it is given, until dropped.
pub struct MockServer {
    server: Arc<tiny_http::Server>,
    state: Arc<Mutex<State>>,
    thread: Option<std::thread::JoinHandle<()>>,
    port: u16,
}

/// The expectations, and what came that none matched.
#[derive(Default)]
struct State {
    expectations: Vec<Expectation>,
    unmatched: Vec<String>,
}

/// Checks a request's body: `Err` says what is wrong with it.
type BodyCheck = Box<dyn Fn(&[u8]) -> Result<(), String> + Send>;

/// What one request must be, and the answer it gets.
struct Expectation {
    operation: &'static str,
    method: &'static str,
    template: &'static str,
    /// `(location, name, value)`, the value as the client writes it.
    params: Vec<(&'static str, String, String)>,
    body: Vec<BodyCheck>,
    status: u16,
    content_type: Option<&'static str>,
    answer: Vec<u8>,
    times: Option<usize>,
    hits: usize,
    /// Why the expectation cannot answer (an answer of the wrong type).
    problem: Option<String>,
}

/// A request as the server read it.
struct Received {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl MockServer {
    /// Starts a server on a free loopback port, serving on a thread of its own.
    pub fn start() -> Result<Self, String> {
        let server =
            tiny_http::Server::http(("127.0.0.1", 0)).map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        let port = server.server_addr().to_ip().map_or(0, |a| a.port());
        let server = Arc::new(server);
        let state = Arc::new(Mutex::new(State::default()));
        let (serving, answering) = (Arc::clone(&server), Arc::clone(&state));
        let thread = std::thread::spawn(move || {
            for request in serving.incoming_requests() {
                answer(&answering, request);
            }
        });
        Ok(Self { server, state, thread: Some(thread), port })
    }

    /// `http://127.0.0.1:<port>`, the base URL of the API it stands for.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A builder of a client whose base URL is this server, for credentials or a hook.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder_for(&self.url())
    }

    /// A client, without credentials, whose base URL is this server.
    pub fn client(&self) -> Result<Client, ConfigError> {
        self.client_builder().build()
    }

    /// `Ok` when every expectation was met as many times as it said (at least once, for those
    /// without `times`) and every request matched one; else what was not, one line each.
    pub fn verify(&self) -> Result<(), String> {
        let state = self.lock();
        let mut problems = Vec::new();
        for e in &state.expectations {
            if let Some(problem) = &e.problem {
                problems.push(format!("{} ({}): {problem}", e.operation, e.describe()));
            }
            match e.times {
                Some(n) if e.hits != n => problems.push(format!(
                    "{} expected {n} time(s), met {} time(s): {}",
                    e.operation,
                    e.hits,
                    e.describe()
                )),
                None if e.hits == 0 => problems.push(format!("{} never met: {}", e.operation, e.describe())),
                _ => {}
            }
        }
        problems.extend(state.unmatched.iter().map(|m| format!("unmatched request: {m}")));
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the lists half changed: each change is one push.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("port", &self.port).finish_non_exhaustive()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An expectation of the operation `O` (its type in `operations`), being built: the
/// generated crate adds the operation's matchers (the setters of its `Call`) and `returns`,
/// and `fails` where it documents errors. It answers the operation's first documented success
/// status, with no body, until told otherwise.
pub struct Expect<'a, O> {
    pub(crate) server: &'a MockServer,
    pub(crate) index: usize,
    operation: PhantomData<O>,
}

impl<O> std::fmt::Debug for Expect<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.server.lock();
        f.debug_tuple("Expect").field(&state.expectations[self.index].describe()).finish()
    }
}

impl<'a, O> Expect<'a, O> {
    /// Adds an expectation of `method` on `template` (`/pets/{id}`), for `operation`'s id.
    pub(crate) fn new(
        server: &'a MockServer,
        operation: &'static str,
        method: &'static str,
        template: &'static str,
        status: u16,
    ) -> Self {
        let mut state = server.lock();
        state.expectations.push(Expectation {
            operation,
            method,
            template,
            params: Vec::new(),
            body: Vec::new(),
            status,
            content_type: None,
            answer: Vec::new(),
            times: None,
            hits: 0,
            problem: None,
        });
        Self { server, index: state.expectations.len() - 1, operation: PhantomData }
    }

    fn change(self, change: impl FnOnce(&mut Expectation)) -> Self {
        change(&mut self.server.lock().expectations[self.index]);
        self
    }

    /// The request must have been sent exactly `n` times ([`MockServer::verify`] says when
    /// not); once it has, it matches no more.
    pub fn times(self, n: usize) -> Self {
        self.change(|e| e.times = Some(n))
    }

    /// Answers `status` with `body` as it is, without a `Content-Type`.
    pub fn respond(self, status: u16, body: impl Into<Vec<u8>>) -> Self {
        let body = body.into();
        self.change(|e| {
            e.status = status;
            e.content_type = None;
            e.answer = body;
        })
    }

    /// Answers `status` with `value` as JSON of the media type `media`.
    pub(crate) fn answer_json<T: Serialize + ?Sized>(self, status: u16, media: &'static str, value: &T) -> Self {
        // The crate's types are written as JSON by their derived `Serialize`, which does not fail.
        let body = serde_json::to_vec(value).unwrap_or_default();
        self.change(|e| {
            e.status = status;
            e.content_type = Some(media);
            e.answer = body;
        })
    }

    /// Answers `status` with `value` as JSON of the media type `media`, once it has decoded
    /// as a `T` (the operation's type of that answer, whose fields a test outside the crate
    /// may not be able to set). A value that does not decode is a problem `verify` reports,
    /// and the requests it would answer get [`NO_EXPECTATION_STATUS`] saying so.
    pub(crate) fn answer_checked<T: DeserializeOwned>(
        self,
        status: u16,
        media: &'static str,
        value: serde_json::Value,
    ) -> Self {
        let problem = serde_json::from_value::<T>(value.clone())
            .err()
            .map(|e| format!("the answer {value} does not decode as `{}`: {e}", std::any::type_name::<T>()));
        let body = value.to_string().into_bytes();
        self.change(|e| {
            e.status = status;
            e.content_type = Some(media);
            e.answer = body;
            e.problem = problem;
        })
    }

    /// Answers `status` with no body.
    pub(crate) fn answer_empty(self, status: u16) -> Self {
        self.respond(status, Vec::new())
    }

    /// The path parameter `{name}` must be `value`.
    pub(crate) fn path_param<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.param("path", name, crate::encoding::param_string(value))
    }

    /// The query parameter `name` must be `value`, as the client writes it in `style`.
    pub(crate) fn query<T: Serialize + ?Sized>(self, name: &str, value: &T, style: QueryStyle) -> Self {
        match crate::encoding::query_pairs(name, value, style) {
            Ok(pairs) => self.change(|e| e.params.extend(pairs.into_iter().map(|(n, v)| ("query", n, v)))),
            Err(problem) => self.param("query", name, Err(problem)),
        }
    }

    /// The header `name` must be `value`.
    pub(crate) fn header<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.param("header", name, crate::encoding::param_string(value))
    }

    fn param(self, location: &'static str, name: &str, value: Result<String, String>) -> Self {
        // A value the client could not send either is kept as its error: nothing matches it.
        let value = value.unwrap_or_else(|problem| format!("<cannot be sent: {problem}>"));
        let name = if location == "header" { name.to_ascii_lowercase() } else { name.to_string() };
        self.change(|e| e.params.push((location, name, value)))
    }

    /// The body must decode as a JSON `B` (the operation's request type); it may be absent
    /// unless `required`.
    pub(crate) fn body_decodes<B: DeserializeOwned>(self, required: bool) -> Self {
        let check: BodyCheck = Box::new(move |body| match body.is_empty() {
            true if required => Err("body expected, got none".to_string()),
            true => Ok(()),
            false => serde_json::from_slice::<B>(body).map(drop).map_err(|e| format!("body did not decode: {e}")),
        });
        self.change(|e| e.body.push(check))
    }

    /// The body must be `value`, as JSON (key order aside).
    pub(crate) fn body_equals<B: Serialize + ?Sized>(self, value: &B) -> Self {
        let expected = serde_json::to_value(value).unwrap_or_default();
        let check: BodyCheck = Box::new(move |body| match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(got) if got == expected => Ok(()),
            Ok(got) => Err(format!("body expected {expected} got {got}")),
            Err(e) => Err(format!("body is not JSON: {e}")),
        });
        self.change(|e| e.body.push(check))
    }
}

impl Expectation {
    /// `GET /pets/{id} [path id=7, query limit=3]`.
    fn describe(&self) -> String {
        let mut text = format!("{} {}", self.method, self.template);
        if !self.params.is_empty() {
            let params: Vec<String> = self.params.iter().map(|(l, n, v)| format!("{l} {n}={v}")).collect();
            let _ = write!(text, " [{}]", params.join(", "));
        }
        text
    }

    /// The path parameters of `path` if it fits the template, `None` if not.
    fn path_params(&self, path: &str) -> Option<Vec<(String, String)>> {
        let want: Vec<&str> = self.template.trim_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_matches('/').split('/').collect();
        if want.len() != got.len() {
            return None;
        }
        let mut params = Vec::new();
        for (w, g) in want.iter().zip(&got) {
            let decoded = percent_encoding::percent_decode_str(g).decode_utf8_lossy().into_owned();
            match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(name) => params.push((name.to_string(), decoded)),
                None if *w == decoded => {}
                None => return None,
            }
        }
        Some(params)
    }

    /// `None` when the request is not of this expectation's operation (method and path);
    /// else what differs, empty when it matches.
    fn differences(&self, request: &Received) -> Option<Vec<String>> {
        if !self.method.eq_ignore_ascii_case(&request.method) {
            return None;
        }
        let path = self.path_params(&request.path)?;
        let mut differences = Vec::new();
        for (location, name, want) in &self.params {
            let got: Vec<&String> = match *location {
                "path" => path.iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect(),
                "query" => request.query.iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect(),
                _ => request.headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect(),
            };
            if !got.contains(&want) {
                let got = if got.is_empty() {
                    "nothing".to_string()
                } else {
                    got.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", ")
                };
                differences.push(format!("{location} parameter `{name}` expected {want:?} got {got}"));
            }
        }
        differences.extend(self.body.iter().filter_map(|check| check(&request.body).err()));
        if self.times.is_some_and(|n| self.hits >= n) {
            differences.push(format!("already met the {} time(s) expected", self.hits));
        }
        Some(differences)
    }
}

fn answer(state: &Mutex<State>, mut request: tiny_http::Request) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let mut body = Vec::new();
    let _ = std::io::Read::read_to_end(request.as_reader(), &mut body);
    let received = Received {
        method: request.method().as_str().to_string(),
        path: path.to_string(),
        query: serde_urlencoded::from_str(query).unwrap_or_default(),
        headers: request
            .headers()
            .iter()
            .map(|h| (h.field.as_str().as_str().to_ascii_lowercase(), h.value.as_str().to_string()))
            .collect(),
        body,
    };
    let mut state = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut closest: Option<(usize, Vec<String>)> = None;
    let mut matched = None;
    for (index, expectation) in state.expectations.iter().enumerate() {
        let Some(differences) = expectation.differences(&received) else { continue };
        if differences.is_empty() {
            matched = Some(index);
            break;
        }
        if closest.as_ref().is_none_or(|(_, fewest)| differences.len() < fewest.len()) {
            closest = Some((index, differences));
        }
    }
    let response = match matched {
        Some(index) if state.expectations[index].problem.is_some() => {
            let e = &mut state.expectations[index];
            e.hits += 1;
            let message = format!("{} ({}): {}", e.operation, e.describe(), e.problem.as_deref().unwrap_or_default());
            tiny_http::Response::from_data(message.into_bytes()).with_status_code(NO_EXPECTATION_STATUS)
        }
        Some(index) => {
            let e = &mut state.expectations[index];
            e.hits += 1;
            let mut response = tiny_http::Response::from_data(e.answer.clone()).with_status_code(e.status);
            if let Some(header) = e.content_type.and_then(|c| tiny_http::Header::from_bytes("content-type", c).ok()) {
                response.add_header(header);
            }
            response
        }
        None => {
            let mut message = format!("no expectation matched {} {url}", received.method);
            match closest {
                Some((index, differences)) => {
                    let e = &state.expectations[index];
                    let _ = write!(message, "; closest: {} ({})", e.operation, e.describe());
                    for difference in differences {
                        let _ = write!(message, "\n  {difference}");
                    }
                }
                None => {
                    if let Some(e) = state.expectations.iter().find(|e| e.path_params(&received.path).is_some()) {
                        let _ = write!(message, "; closest: {} ({}): method differs", e.operation, e.describe());
                    }
                }
            }
            state.unmatched.push(message.clone());
            let mut response =
                tiny_http::Response::from_data(message.into_bytes()).with_status_code(NO_EXPECTATION_STATUS);
            if let Ok(header) = tiny_http::Header::from_bytes("content-type", "text/plain; charset=utf-8") {
                response.add_header(header);
            }
            response
        }
    };
    drop(state);
    let _ = request.respond(response);
}
