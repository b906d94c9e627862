//! A server that answers with a cassette's recorded responses (behind the `mock` feature):
//! method, path and query select the exchange; what nothing recorded matches gets a 404 whose
//! body says so, and the server goes on serving.
// The command-line client serves on a port of its choosing; tests use `Replay::start`.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::record::{RecordedExchange, REDACTED};

/// The status of an answer to a request nothing recorded matches.
pub const UNMATCHED_STATUS: u16 = 404;

/// Headers that describe the recorded transfer rather than the answer: the server writes its
/// own.
const TRANSFER_HEADERS: &[&str] = &["content-length", "transfer-encoding", "connection", "keep-alive"];

/// A cassette being served on a loopback port, until dropped.
pub struct Replay {
    server: Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
    port: u16,
}

impl Replay {
    /// Serves `exchanges` on a free loopback port, on a thread of its own.
    pub fn start(exchanges: Vec<RecordedExchange>) -> Result<Self, String> {
        Self::start_on(exchanges, 0)
    }

    /// Serves `exchanges` on `port` of the loopback address (0: any free one).
    pub fn start_on(exchanges: Vec<RecordedExchange>, port: u16) -> Result<Self, String> {
        let server = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let port = server.server_addr().to_ip().map_or(port, |a| a.port());
        let server = Arc::new(server);
        let serving = Arc::clone(&server);
        let cassette = Cassette::new(exchanges);
        let thread = std::thread::spawn(move || {
            for request in serving.incoming_requests() {
                cassette.answer(request);
            }
        });
        Ok(Self { server, thread: Some(thread), port })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port it serves on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay").field("port", &self.port).finish_non_exhaustive()
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The recorded exchanges, each with how many times it has answered.
struct Cassette {
    exchanges: Vec<(RecordedExchange, AtomicUsize)>,
}

impl Cassette {
    fn new(exchanges: Vec<RecordedExchange>) -> Self {
        Self { exchanges: exchanges.into_iter().map(|e| (e, AtomicUsize::new(0))).collect() }
    }

    fn answer(&self, mut request: tiny_http::Request) {
        let method = request.method().as_str().to_string();
        let url = request.url().to_string();
        let (path, query) = split_url(&url);
        // The request's body is read so that the connection can serve the next one.
        let _ = std::io::copy(request.as_reader(), &mut std::io::sink());
        let response = match self.find(&method, &path, &query) {
            Some(exchange) => recorded_response(exchange),
            None => {
                let closest = self.closest(&method, &path).map_or(String::new(), |e| {
                    format!(
                        " (closest recorded: {} {}{})",
                        e.request.method,
                        e.request.path,
                        query_text(&e.request.query)
                    )
                });
                let message = format!("no recorded exchange matched {method} {url}{closest}\n");
                let mut response =
                    tiny_http::Response::from_data(message.into_bytes()).with_status_code(UNMATCHED_STATUS);
                if let Some(content_type) = header("content-type", "text/plain; charset=utf-8") {
                    response.add_header(content_type);
                }
                response
            }
        };
        let _ = request.respond(response);
    }

    /// The recorded exchanges that match, answered in the order they were recorded; the last
    /// one again once each has answered.
    fn find(&self, method: &str, path: &str, query: &[(String, String)]) -> Option<&RecordedExchange> {
        let matching: Vec<_> = self.exchanges.iter().filter(|(e, _)| matches(e, method, path, query)).collect();
        let (exchange, count) =
            matching.iter().find(|(_, count)| count.load(Ordering::SeqCst) == 0).or(matching.last())?;
        count.fetch_add(1, Ordering::SeqCst);
        Some(exchange)
    }

    /// The recorded exchange of the same path, else of the same method, for the message.
    fn closest(&self, method: &str, path: &str) -> Option<&RecordedExchange> {
        let exchanges = || self.exchanges.iter().map(|(e, _)| e);
        exchanges()
            .find(|e| e.request.path == path)
            .or_else(|| exchanges().find(|e| e.request.method.eq_ignore_ascii_case(method)))
    }
}

/// Same method and path, and the same query but for the credentials the recording hid.
fn matches(exchange: &RecordedExchange, method: &str, path: &str, query: &[(String, String)]) -> bool {
    let recorded = &exchange.request;
    let hidden: Vec<&str> = recorded.query.iter().filter(|(_, v)| v == REDACTED).map(|(n, _)| n.as_str()).collect();
    let mut want: Vec<_> = recorded.query.iter().filter(|(n, _)| !hidden.contains(&n.as_str())).collect();
    let mut got: Vec<_> = query.iter().filter(|(n, _)| !hidden.contains(&n.as_str())).collect();
    want.sort();
    got.sort();
    recorded.method.eq_ignore_ascii_case(method) && recorded.path == path && want == got
}

fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
    (path, serde_urlencoded::from_str(query).unwrap_or_default())
}

fn query_text(query: &[(String, String)]) -> String {
    if query.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = query.iter().map(|(n, v)| format!("{n}={v}")).collect();
    format!("?{}", pairs.join("&"))
}

fn recorded_response(exchange: &RecordedExchange) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut response =
        tiny_http::Response::from_data(exchange.response.body.bytes()).with_status_code(exchange.response.status);
    for (name, value) in &exchange.response.headers {
        if let Some(header) =
            header(name, value).filter(|_| !TRANSFER_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
        {
            response.add_header(header);
        }
    }
    response
}

/// A header of the recording; `None` for one tiny_http cannot write (a hand-edited file's).
fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}
