//! The server-sent-events parser, in the runtime's own tests: the generated crates that hold
//! `stream.rs` have no async test runtime unless their command-line client is built.
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt as _;

use crate::stream::{json, text, Event, EventError, EventStream};

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Chunk {
    n: u32,
}

fn chunks(parts: &[&'static str]) -> impl Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static {
    futures_util::stream::iter(parts.iter().map(|p| Ok(Bytes::from_static(p.as_bytes()))).collect::<Vec<_>>())
}

async fn all<T>(stream: EventStream<T>) -> Vec<Result<Event<T>, EventError>> {
    stream.collect().await
}

#[tokio::test]
async fn lines_split_across_chunks_comments_crlf_and_multi_line_data() {
    let parts = [
        ": a comment\r\n",
        "event: tick\r\nid: 7\r\nretry: 1500\r\nda",
        "ta: {\"n\":\r\ndata: 1}\r\n\r\n",
        "data: {\"n\": 2}\n\n",
    ];
    let events: Vec<_> = all(EventStream::new(chunks(&parts), json::<Chunk>, true)).await;
    let events: Vec<Event<Chunk>> = events.into_iter().map(Result::unwrap).collect();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].event, "tick");
    assert_eq!(events[0].id, "7");
    assert_eq!(events[0].retry, Some(Duration::from_millis(1500)));
    assert_eq!(events[0].data, Chunk { n: 1 });
    assert_eq!(events[1].data, Chunk { n: 2 });
}

#[tokio::test]
async fn a_malformed_event_is_an_error_item_and_the_stream_goes_on_to_the_sentinel() {
    let parts = [
        "data: {\"n\": 1}\n\n",
        "data: not json\n\n",
        "data: {\"n\": 3}\n\n",
        "data: [DONE]\n\n",
        "data: {\"n\": 4}\n\n",
    ];
    let items = all(EventStream::new(chunks(&parts), json::<Chunk>, true)).await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, Chunk { n: 1 });
    assert!(matches!(&items[1], Err(EventError::Decode { data, .. }) if data == "not json"), "{:?}", items[1]);
    assert_eq!(items[2].as_ref().unwrap().data, Chunk { n: 3 });
}

#[tokio::test]
async fn a_final_event_without_a_blank_line_still_arrives() {
    let items = all(EventStream::new(chunks(&["data: one\n\n", "data: last"]), text, false)).await;
    let data: Vec<String> = items.into_iter().map(|i| i.unwrap().data).collect();
    assert_eq!(data, ["one", "last"]);
}

#[tokio::test]
async fn text_events_keep_a_done_sentinel_as_data() {
    let items = all(EventStream::new(chunks(&["data: [DONE]\n\n"]), text, false)).await;
    assert_eq!(items.into_iter().map(|i| i.unwrap().data).collect::<Vec<_>>(), ["[DONE]"]);
}

mod transfers {
    use std::io::{BufRead as _, BufReader, Write as _};
    use std::time::Duration;

    use futures_util::StreamExt as _;
    use reqwest::Method;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use crate::body::Body;
    use crate::byte_stream::ByteStream;
    use crate::client::{RawResponse, Request};
    use crate::error::{Error, NoErrorResponses};
    use crate::{Client, RetryPolicy};

    const MB: usize = 1024 * 1024;

    fn bytes(response: &RawResponse) -> Result<ByteStream, Error<NoErrorResponses>> {
        response.byte_stream()
    }

    fn stored(response: &RawResponse) -> Result<(), Error<NoErrorResponses>> {
        match response.status() {
            204 => Ok(()),
            _ => Err(response.unexpected()),
        }
    }

    /// The process's peak resident memory (`VmHWM`), in bytes.
    fn peak_memory() -> usize {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<usize>().ok())
            .map_or(0, |kb| kb * 1024)
    }

    /// A server that answers one request with `size` bytes made as they are written.
    fn serve_bytes(size: usize) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                line.clear();
            }
            let mut stream = stream;
            let head =
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {size}\r\n\r\n");
            stream.write_all(head.as_bytes()).unwrap();
            let chunk = vec![7u8; 64 * 1024];
            let mut left = size;
            while left > 0 {
                let n = left.min(chunk.len());
                if stream.write_all(&chunk[..n]).is_err() {
                    return;
                }
                left -= n;
            }
        });
        format!("http://{address}")
    }

    #[tokio::test]
    async fn a_100_mb_download_streams_past_the_size_limit_with_flat_memory() {
        let url = serve_bytes(100 * MB);
        // The limit is for bodies read whole; a stream is not held.
        let client = Client::builder_for(&url).max_body_size(MB).build().unwrap();
        let request = Request::new(Method::GET, "download", "/file").stream_success();
        let before = peak_memory();
        let mut chunks = client.call::<_, _, (), ()>(request, bytes).await.unwrap();
        let mut total = 0;
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.unwrap();
            assert!(chunk.iter().all(|b| *b == 7));
            total += chunk.len();
        }
        let grown = peak_memory().saturating_sub(before);
        assert_eq!(total, 100 * MB);
        assert!(grown < 32 * MB, "peak memory grew by {} MB while 100 MB went through", grown / MB);
    }

    #[tokio::test]
    async fn an_upload_from_a_file_is_read_again_for_each_attempt() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("PUT")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let file = tempfile_path("upload");
        let contents: Vec<u8> = (0..MB).map(|i| (i % 251) as u8).collect();
        std::fs::File::create(&file).unwrap().write_all(&contents).unwrap();
        let retry = RetryPolicy::default().base_delay(Duration::from_millis(5));
        let client = Client::builder_for(&server.uri()).retry(retry).build().unwrap();
        let request =
            Request::new(Method::PUT, "upload", "/files/a").raw_body("application/octet-stream", Body::file(&file));
        let ((), meta) = client.call::<_, _, (), ()>(request, stored).send_with_meta().await.unwrap();
        assert_eq!(meta.attempts(), 2);
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 2);
        assert!(received.iter().all(|r| r.body == contents));
        std::fs::remove_file(&file).unwrap();
    }

    #[tokio::test]
    async fn a_streamed_upload_is_sent_once() {
        let server = MockServer::start().await;
        Mock::given(method("PUT")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
        let client = Client::builder_for(&server.uri()).build().unwrap();
        let chunks =
            futures_util::stream::iter([Ok(bytes::Bytes::from_static(b"abc")), Ok(bytes::Bytes::from_static(b"def"))]);
        let request =
            Request::new(Method::PUT, "upload", "/files/a").raw_body("application/octet-stream", Body::stream(chunks));
        let error = client.call::<_, _, (), ()>(request, stored).await.unwrap_err();
        assert_eq!(error.attempts(), 1);
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].body, b"abcdef");
    }

    fn tempfile_path(stem: &str) -> String {
        std::env::temp_dir().join(format!("client-runtime-{stem}-{}", std::process::id())).display().to_string()
    }
}
