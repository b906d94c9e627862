//! The command-line client of the `streams` fixture prints server-sent events as they arrive:
//! the first event is on its stdout while the server still holds back the second.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

/// The streams fixture's command-line client, built once.
fn binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| crate::cli_binary::build("streams"))
}

#[test]
fn the_cli_prints_each_event_as_it_arrives() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (first_seen, go_on) = mpsc::channel::<()>();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request = String::new();
        reader.read_line(&mut request).unwrap();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 2 {
            line.clear();
        }
        let mut stream = stream;
        stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n").unwrap();
        stream.write_all(b"event: tick\nid: 1\ndata: {\"n\": 1}\n\n").unwrap();
        stream.flush().unwrap();
        // The rest only once the client has printed the first event.
        go_on.recv_timeout(Duration::from_secs(30)).expect("the first event was not printed while the stream was open");
        stream.write_all(b": keep-alive\n\ndata: {\"n\": 2}\n\ndata: [DONE]\n\n").unwrap();
        request
    });
    let mut child = Command::new(binary())
        .args(["subscribe-events", "--endpoint", &format!("http://{address}/v1")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let first: serde_json::Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first:?}"));
    assert_eq!(first, serde_json::json!({"event": "tick", "id": "1", "retry": null, "data": {"n": 1}}));
    first_seen.send(()).unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "exit {status:?}");
    let lines: Vec<serde_json::Value> = rest.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // The id stays the last one given; `[DONE]` ends the stream and is not printed.
    assert_eq!(lines, [serde_json::json!({"event": "message", "id": "1", "retry": null, "data": {"n": 2}})]);
    let request = server.join().unwrap();
    assert!(request.starts_with("GET /v1/events "), "{request}");
}
