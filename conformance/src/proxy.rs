//! A recording proxy between the generated CLI and Prism: it sees every exchange as it was on
//! the wire, and adds Prism's `Prefer: code=NNN` when the judge asks for an error status.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// One request and the answer to it, as they crossed the wire.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Vec<u8>,
    pub status: u16,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Vec<u8>,
}

impl Exchange {
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    exchanges: Vec<Exchange>,
    prefer: Option<String>,
}

pub struct Proxy {
    pub url: String,
    server: Arc<tiny_http::Server>,
    state: Arc<Mutex<State>>,
    worker: Option<JoinHandle<()>>,
}

/// Headers that belong to one connection, not to the message.
const HOP_BY_HOP: &[&str] = &["connection", "transfer-encoding", "content-length", "keep-alive", "host"];

impl Proxy {
    /// Listens on a loopback port and forwards everything to `upstream`.
    pub fn start(upstream: &str) -> Result<Proxy, String> {
        let server = tiny_http::Server::http("127.0.0.1:0").map_err(|e| format!("cannot start the proxy: {e}"))?;
        let port = server.server_addr().to_ip().map(|a| a.port()).ok_or("the proxy has no port")?;
        let server = Arc::new(server);
        let state = Arc::new(Mutex::new(State::default()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(std::time::Duration::from_secs(120)))
            .build()
            .into();
        let upstream = upstream.trim_end_matches('/').to_string();
        let worker = {
            let (server, state) = (server.clone(), state.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    forward(request, &agent, &upstream, &state);
                }
            })
        };
        Ok(Proxy { url: format!("http://127.0.0.1:{port}"), server, state, worker: Some(worker) })
    }

    /// Sets the `Prefer` header to add to the next requests (`None`: none).
    pub fn prefer(&self, value: Option<String>) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).prefer = value;
    }

    /// The exchanges recorded since the last call.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut self.state.lock().unwrap_or_else(|e| e.into_inner()).exchanges)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn forward(mut request: tiny_http::Request, agent: &ureq::Agent, upstream: &str, state: &Mutex<State>) {
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let mut request_headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| (h.field.as_str().as_str().to_string(), h.value.as_str().to_string()))
        .collect();
    let prefer = state.lock().unwrap_or_else(|e| e.into_inner()).prefer.clone();
    if let Some(prefer) = prefer {
        request_headers.push(("Prefer".into(), prefer));
    }
    let mut request_body = Vec::new();
    let read = request.as_reader().read_to_end(&mut request_body);
    let answer = read
        .map_err(|e| e.to_string())
        .and_then(|_| send(agent, upstream, &method, &url, &request_headers, &request_body));
    let (status, response_headers, response_body) = match answer {
        Ok(answer) => answer,
        Err(e) => (502, vec![("content-type".into(), "text/plain".into())], format!("proxy: {e}").into_bytes()),
    };
    let mut response = tiny_http::Response::from_data(response_body.clone()).with_status_code(status);
    for (name, value) in &response_headers {
        if HOP_BY_HOP.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    state.lock().unwrap_or_else(|e| e.into_inner()).exchanges.push(Exchange {
        method,
        url,
        request_headers,
        request_body,
        status,
        response_headers,
        response_body,
    });
    let _ = request.respond(response);
}

type Answer = (u16, Vec<(String, String)>, Vec<u8>);

fn send(
    agent: &ureq::Agent,
    upstream: &str,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Answer, String> {
    let mut builder = ureq::http::Request::builder().method(method).uri(format!("{upstream}{url}"));
    for (name, value) in headers {
        if !HOP_BY_HOP.contains(&name.to_ascii_lowercase().as_str()) {
            builder = builder.header(name, value);
        }
    }
    let request = builder.body(body.to_vec()).map_err(|e| e.to_string())?;
    let mut response = agent.run(request).map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).to_string()))
        .collect();
    let body = response.body_mut().with_config().limit(256 << 20).read_to_vec().map_err(|e| e.to_string())?;
    Ok((status, headers, body))
}
