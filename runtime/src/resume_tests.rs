//! Event streams that break off and resume, against a server of raw HTTP that cuts its bodies
//! short on purpose; waits are on a [`ManualClock`].

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt as _;
use reqwest::Method;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::client::{RawResponse, Request};
use crate::error::{Error, NoErrorResponses};
use crate::stream::{text, EventError, EventStream, DEFAULT_RECONNECT_DELAY, MAX_RECONNECTS};
use crate::{Client, ManualClock};

/// How the server answers one connection.
#[derive(Clone, Copy)]
enum Answer {
    /// 200 with these chunks of events, then the body cut short (`false`) or ended (`true`).
    Events(&'static [&'static str], bool),
    Status(u16),
}

/// A server that answers its connections in the order of `answers` (the last one again
/// after them), and keeps the `Last-Event-ID` of each request.
async fn server(answers: Vec<Answer>) -> (String, Arc<Mutex<Vec<Option<String>>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    tokio::spawn(async move {
        let mut number = 0;
        while let Ok((mut socket, _)) = listener.accept().await {
            let answer = answers[number.min(answers.len() - 1)];
            number += 1;
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).await.unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
            let last_id = head.lines().find_map(|l| l.strip_prefix("last-event-id: ").map(str::to_owned));
            kept.lock().unwrap().push(last_id);
            match answer {
                Answer::Status(status) => {
                    let reply = format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
                    let _ = socket.write_all(reply.as_bytes()).await;
                }
                Answer::Events(chunks, ends) => {
                    let mut reply = String::from(
                        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
                    );
                    for chunk in chunks {
                        reply.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
                    }
                    if ends {
                        reply.push_str("0\r\n\r\n");
                    }
                    let _ = socket.write_all(reply.as_bytes()).await;
                }
            }
            // Dropping the socket without the last chunk breaks the body off.
        }
    });
    (url, seen)
}

fn events(response: &RawResponse) -> Result<EventStream<String>, Error<NoErrorResponses>> {
    if response.status() == 200 {
        response.events(text, false)
    } else {
        Err(response.unexpected())
    }
}

/// Every item of the stream: event ids and data, or the error.
async fn read_all(url: &str, clock: &ManualClock) -> Vec<Result<(String, String), String>> {
    let client = Client::builder_for(url).clock(clock.clone()).build().unwrap();
    let request = Request::new(Method::GET, "watch", "/events").accept("text/event-stream").stream_success();
    let stream = client.call::<_, NoErrorResponses, (), ()>(request, events).send().await.expect("the stream opens");
    stream.map(|item| item.map(|event| (event.id, event.data)).map_err(|e: EventError| e.to_string())).collect().await
}

fn event(id: &str, data: &str) -> Result<(String, String), String> {
    Ok((id.to_string(), data.to_string()))
}

#[tokio::test]
async fn a_stream_cut_after_its_second_event_resumes_from_it_and_repeats_nothing() {
    let first =
        Answer::Events(&["id: 1\ndata: one\n\n", "id: 2\nretry: 1500\ndata: two\n\n", "id: 3\ndata: thr"], false);
    // The server sends its last event again, then the rest, and ends cleanly.
    let second = Answer::Events(&["id: 2\ndata: two\n\n", "id: 3\ndata: three\n\n", "data: no id\n\n"], true);
    let (url, seen) = server(vec![first, second]).await;
    let clock = ManualClock::default();
    let items = read_all(&url, &clock).await;
    assert_eq!(items, [event("1", "one"), event("2", "two"), event("3", "three"), event("3", "no id")]);
    assert_eq!(*seen.lock().unwrap(), [None, Some("2".to_string())]);
    assert_eq!(clock.slept(), [Duration::from_millis(1500)], "the server's retry: is waited");
}

#[tokio::test]
async fn a_204_on_reconnection_ends_the_stream() {
    let (url, seen) = server(vec![Answer::Events(&["id: 7\ndata: only\n\n"], false), Answer::Status(204)]).await;
    let clock = ManualClock::default();
    assert_eq!(read_all(&url, &clock).await, [event("7", "only")]);
    assert_eq!(*seen.lock().unwrap(), [None, Some("7".to_string())]);
    assert_eq!(clock.slept(), [DEFAULT_RECONNECT_DELAY]);
}

#[tokio::test]
async fn a_clean_end_is_not_resumed() {
    let (url, seen) = server(vec![Answer::Events(&["id: 1\ndata: one\n\n"], true)]).await;
    let clock = ManualClock::default();
    assert_eq!(read_all(&url, &clock).await, [event("1", "one")]);
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert!(clock.slept().is_empty());
}

#[tokio::test]
async fn reconnecting_gives_up_after_a_bounded_number_of_tries_with_backoff() {
    let (url, seen) = server(vec![Answer::Events(&["id: 1\ndata: one\n\n"], false), Answer::Status(503)]).await;
    let clock = ManualClock::default();
    let items = read_all(&url, &clock).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0], event("1", "one"));
    assert!(items[1].as_ref().is_err_and(|e| e.starts_with("the events stopped")), "{items:?}");
    assert_eq!(seen.lock().unwrap().len(), 1 + MAX_RECONNECTS as usize);
    let expected: Vec<Duration> = (0..MAX_RECONNECTS).map(|n| DEFAULT_RECONNECT_DELAY * (1 << n)).collect();
    assert_eq!(clock.slept(), expected);
}
