//! The blocking client (the crate's `blocking` feature) of the paging fixture's crate, from
//! plain `#[test]`s: no async in the test, the server runs on a runtime of its own.

use paging::{blocking, Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server on its own runtime (kept alive with it), as a program would call a remote one.
fn server(mocks: Vec<Mock>) -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        for mock in mocks {
            mock.mount(&server).await;
        }
        server
    });
    (runtime, server)
}

fn client(server: &MockServer) -> blocking::Client {
    let client = Client::builder().base_url(format!("{}/v1", server.uri())).retry(RetryPolicy::none()).build();
    blocking::Client::new(client.unwrap()).unwrap()
}

#[test]
fn a_call_is_sent_and_answered_without_async() {
    let (_runtime, server) = server(vec![
        Mock::given(method("GET"))
            .and(path("/v1/widgets/w1"))
            .and(query_param("page", "3"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "w1"}))),
        Mock::given(method("GET"))
            .and(path("/v1/widgets/w2"))
            .respond_with(ResponseTemplate::new(500).set_body_json(json!({"message": "down"}))),
    ]);
    let client = client(&server);
    // The async client's method and setter, the blocking client's `send`.
    let widget = client.send(client.get_widget("w1").page(3)).unwrap();
    assert_eq!(widget.id, "w1");
    let (widget, meta) = client.send_with_meta(client.get_widget("w1").page(3)).unwrap();
    assert_eq!((widget.id.as_str(), meta.status()), ("w1", 200));
    let error = client.send(client.get_widget("w2")).unwrap_err();
    let failure = error.api().expect("a documented error");
    assert_eq!((failure.status, failure.body.message.as_deref()), (500, Some("down")), "{error:?}");
}

#[test]
fn the_items_of_every_page_come_from_an_iterator() {
    let page = |cursor: Option<&str>, ids: &[&str], next: Option<&str>| {
        let mock = Mock::given(method("GET")).and(path("/v1/widgets"));
        let mock = match cursor {
            Some(cursor) => mock.and(query_param("cursor", cursor)),
            None => mock.and(wiremock::matchers::query_param_is_missing("cursor")),
        };
        let data: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        mock.respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": data, "meta": {"next_cursor": next}})),
        )
    };
    let (_runtime, server) = server(vec![
        page(None, &["a", "b"], Some("2")),
        page(Some("2"), &["c", "d"], Some("3")),
        page(Some("3"), &["e"], None),
    ]);
    let client = client(&server);
    let ids: Vec<String> = client.iter(client.list_widgets().limit(2).items()).map(|item| item.unwrap().id).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let sizes: Vec<usize> = client.iter(client.list_widgets().pages()).map(|page| page.unwrap().data.len()).collect();
    assert_eq!(sizes, [2, 2, 1]);
}
