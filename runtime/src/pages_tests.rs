//! The paginator against a local server that pages as real APIs do: three pages for each
//! pattern, a failing second page, an empty list, and servers that would loop for ever.

use std::pin::Pin;

use futures_core::Stream;
use reqwest::Method;
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

use crate::client::{RawResponse, Request};
use crate::error::{Error, ErrorKind, NoErrorResponses};
use crate::pages::{stream, Paging, Pattern, Total};
use crate::{Client, RetryPolicy};

fn page(response: &RawResponse) -> Result<Value, Error<NoErrorResponses>> {
    if response.status() == 200 {
        response.json()
    } else {
        Err(response.unexpected())
    }
}

const PLAIN: Paging = Paging {
    pattern: Pattern::Link,
    items: "/data",
    next: None,
    has_more: None,
    total: None,
    size_param: None,
    whole: false,
};

async fn serve(answer: impl Fn(&Received) -> ResponseTemplate + Send + Sync + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(answer).mount(&server).await;
    server
}

fn query(request: &Received, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(n, _)| n == name).map(|(_, v)| v.into_owned())
}

fn client(server: &MockServer) -> Client {
    Client::builder_for(&server.uri()).retry(RetryPolicy::none()).build().unwrap()
}

/// Polls the stream to its end: each item, or the error that ended it.
async fn collect<S: Stream + Unpin>(mut pages: S) -> Vec<S::Item> {
    let mut out = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await {
        out.push(item);
    }
    out
}

fn ok(items: Vec<Result<Value, Error<NoErrorResponses>>>) -> Vec<Value> {
    items.into_iter().map(|item| item.unwrap()).collect()
}

async fn requests(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.unwrap_or_default();
    received.iter().map(|r| r.url.query().unwrap_or("").to_string()).collect()
}

fn list(client: &Client, query: &[(&'static str, &str)]) -> crate::call::Call<Value, NoErrorResponses> {
    let mut request = Request::new(Method::GET, "list-things", "/things");
    for (name, value) in query {
        request = request.query(name, value);
    }
    client.call(request, page)
}

#[tokio::test]
async fn a_cursor_is_followed_page_after_page_as_items_are_asked_for() {
    let server = serve(|r| {
        let body = match query(r, "cursor").as_deref() {
            None => json!({"data": [1, 2], "next_cursor": "b"}),
            Some("b") => json!({"data": [3, 4], "next_cursor": "c"}),
            _ => json!({"data": [5], "next_cursor": null}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let paging = Paging { pattern: Pattern::Cursor { param: "cursor" }, next: Some("/next_cursor"), ..PLAIN };
    let mut pages = stream::<_, Value, _, _, _>(list(&client(&server), &[("limit", "2")]), paging);
    let first = std::future::poll_fn(|cx| Pin::new(&mut pages).poll_next(cx)).await;
    assert_eq!(first.unwrap().unwrap(), json!(1));
    // Lazily: one page fetched for the first item.
    assert_eq!(requests(&server).await, ["limit=2"]);
    assert_eq!(ok(collect(pages).await), [json!(2), json!(3), json!(4), json!(5)]);
    // The caller's other parameters are kept on every page.
    assert_eq!(requests(&server).await, ["limit=2", "limit=2&cursor=b", "limit=2&cursor=c"]);
}

#[tokio::test]
async fn a_nested_cursor_stops_when_it_does_not_move() {
    let server = serve(|r| {
        let body = match query(r, "page_token").as_deref() {
            None => json!({"items": [1], "meta": {"next_cursor": "b"}}),
            Some("b") => json!({"items": [], "meta": {"next_cursor": "c"}}),
            // A server that keeps naming the same page.
            _ => json!({"items": [3], "meta": {"next_cursor": "c"}}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let paging = Paging {
        pattern: Pattern::Cursor { param: "page_token" },
        items: "/items",
        next: Some("/meta/next_cursor"),
        ..PLAIN
    };
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging)).await;
    // An empty page in the middle does not end the stream: its cursor moved on.
    assert_eq!(ok(items), [json!(1), json!(3)]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn starting_after_takes_the_last_items_id_while_there_is_more() {
    let server = serve(|r| {
        let body = match query(r, "starting_after").as_deref() {
            None => json!({"data": [{"id": "a"}, {"id": "b"}], "has_more": true}),
            Some("b") => json!({"data": [{"id": "c"}, {"id": "d"}], "has_more": true}),
            _ => json!({"data": [{"id": "e"}], "has_more": false}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let paging = Paging {
        pattern: Pattern::LastItem { param: "starting_after", id: "/id" },
        has_more: Some("/has_more"),
        ..PLAIN
    };
    let items = ok(collect(stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging)).await);
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(requests(&server).await, ["", "starting_after=b", "starting_after=d"]);
}

#[tokio::test]
async fn page_numbers_stop_at_a_short_page() {
    let server = serve(|r| {
        let body = match query(r, "page").as_deref() {
            None | Some("1") => json!({"data": [1, 2]}),
            Some("2") => json!({"data": [3, 4]}),
            _ => json!({"data": [5]}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let paging = Paging { pattern: Pattern::Page { param: "page", first: 1 }, size_param: Some("per_page"), ..PLAIN };
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[("per_page", "2")]), paging)).await;
    assert_eq!(ok(items), [json!(1), json!(2), json!(3), json!(4), json!(5)]);
    assert_eq!(requests(&server).await, ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]);
}

#[tokio::test]
async fn page_numbers_stop_at_the_total_of_pages_from_the_page_the_caller_chose() {
    let server = serve(|r| {
        let page: u64 = query(r, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
        ResponseTemplate::new(200).set_body_json(json!({"data": [page], "page": page, "pages": 4}))
    })
    .await;
    let paging =
        Paging { pattern: Pattern::Page { param: "page", first: 1 }, total: Some(Total::Pages("/pages")), ..PLAIN };
    // From page 2: pages 2, 3 and 4, however many pages the stream has read.
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[("page", "2")]), paging)).await;
    assert_eq!(ok(items), [json!(2), json!(3), json!(4)]);
}

#[tokio::test]
async fn a_next_page_number_from_the_page_wins_over_counting() {
    let server = serve(|r| {
        let body = match query(r, "page").as_deref() {
            None => json!({"data": [1], "meta": {"pagination": {"next_page": 2}}}),
            Some("2") => json!({"data": [2], "meta": {"pagination": {"next_page": 3}}}),
            _ => json!({"data": [3], "meta": {"pagination": {"next_page": null}}}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let paging = Paging {
        pattern: Pattern::Page { param: "page", first: 1 },
        next: Some("/meta/pagination/next_page"),
        ..PLAIN
    };
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging)).await;
    assert_eq!(ok(items), [json!(1), json!(2), json!(3)]);
}

#[tokio::test]
async fn an_offset_moves_by_the_items_received_up_to_the_total() {
    let server = serve(|r| {
        let offset: usize = query(r, "offset").and_then(|p| p.parse().ok()).unwrap_or(0);
        let all = [1, 2, 3, 4, 5, 6];
        let data: Vec<i32> = all.iter().skip(offset).take(2).copied().collect();
        ResponseTemplate::new(200).set_body_json(json!({"results": data, "total": all.len()}))
    })
    .await;
    let paging = Paging {
        pattern: Pattern::Offset { param: "offset" },
        items: "/results",
        total: Some(Total::Items("/total")),
        size_param: Some("limit"),
        ..PLAIN
    };
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[("limit", "2")]), paging)).await;
    assert_eq!(ok(items), [1, 2, 3, 4, 5, 6].map(|n| json!(n)));
    assert_eq!(requests(&server).await, ["limit=2", "limit=2&offset=2", "limit=2&offset=4"]);
}

#[tokio::test]
async fn a_link_header_is_followed_to_the_url_it_names() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let answer = move |r: &Received| {
        let (data, link) = match r.url.path() {
            "/things" => (
                json!([1, 2]),
                Some(format!("<{uri}/things/page/2?x=1>; rel=\"next\", <{uri}/things/page/3>; rel=\"last\"")),
            ),
            // A relative URL, and `rel` among others.
            "/things/page/2" => (json!([3, 4]), Some("</things/page/3>; rel=\"prefetch next\"".to_string())),
            _ => (json!([5]), Some(format!("<{uri}/things>; rel=\"first\""))),
        };
        let response = ResponseTemplate::new(200).set_body_json(data);
        match link {
            Some(link) => response.insert_header("link", link.as_str()),
            None => response,
        }
    };
    Mock::given(method("GET")).respond_with(answer).mount(&server).await;
    let paging = Paging { items: "", ..PLAIN };
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging)).await;
    assert_eq!(ok(items), [1, 2, 3, 4, 5].map(|n| json!(n)));
    let received = server.received_requests().await.unwrap_or_default();
    let urls: Vec<String> = received
        .iter()
        .map(|r| format!("{}{}", r.url.path(), r.url.query().map(|q| format!("?{q}")).unwrap_or_default()))
        .collect();
    assert_eq!(urls, ["/things", "/things/page/2?x=1", "/things/page/3"]);
}

#[tokio::test]
async fn a_link_to_another_server_is_refused() {
    let server = serve(|_| {
        ResponseTemplate::new(200)
            .set_body_json(json!([1]))
            .insert_header("link", "<https://elsewhere.example/things?page=2>; rel=\"next\"")
    })
    .await;
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[]), Paging { items: "", ..PLAIN })).await;
    assert_eq!(items.len(), 2);
    let error = items.into_iter().nth(1).unwrap().unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::InvalidRequest(m) if m.contains("not on the API's server")), "{error}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_failed_second_page_is_the_last_item() {
    let server = serve(|r| match query(r, "cursor").as_deref() {
        None => ResponseTemplate::new(200).set_body_json(json!({"data": [1, 2], "next": "b"})),
        Some("b") => ResponseTemplate::new(500).set_body_string("down"),
        _ => ResponseTemplate::new(200).set_body_json(json!({"data": [5], "next": null})),
    })
    .await;
    let paging = Paging { pattern: Pattern::Cursor { param: "cursor" }, next: Some("/next"), ..PLAIN };
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging)).await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap(), &json!(1));
    assert_eq!(items[1].as_ref().unwrap(), &json!(2));
    let error = items[2].as_ref().unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(matches!(error.kind(), ErrorKind::UnexpectedStatus { body, .. } if body == "down"));
    // Nothing is asked after the failure.
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_list_is_an_empty_stream() {
    for paging in [
        Paging { pattern: Pattern::Cursor { param: "cursor" }, next: Some("/next"), ..PLAIN },
        Paging { pattern: Pattern::Page { param: "page", first: 1 }, ..PLAIN },
        Paging { pattern: Pattern::Offset { param: "offset" }, ..PLAIN },
        Paging { pattern: Pattern::LastItem { param: "after", id: "/id" }, ..PLAIN },
        PLAIN,
    ] {
        let server = serve(|_| ResponseTemplate::new(200).set_body_json(json!({"data": [], "next": null}))).await;
        let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging)).await;
        assert!(items.is_empty(), "{paging:?}");
        assert_eq!(requests(&server).await.len(), 1, "{paging:?}");
    }
}

#[tokio::test]
async fn has_more_false_ends_the_stream_whatever_the_cursor() {
    let server = serve(|_| {
        ResponseTemplate::new(200).set_body_json(json!({"data": [1], "next_cursor": "z", "has_more": false}))
    })
    .await;
    let paging = Paging {
        pattern: Pattern::Cursor { param: "cursor" },
        next: Some("/next_cursor"),
        has_more: Some("/has_more"),
        ..PLAIN
    };
    let items = collect(stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging)).await;
    assert_eq!(ok(items), [json!(1)]);
}

#[test]
fn link_headers_name_the_next_page() {
    use crate::pages::next_in_link;
    assert_eq!(next_in_link("<https://a/x?page=2>; rel=\"next\"").as_deref(), Some("https://a/x?page=2"));
    assert_eq!(next_in_link("<https://a/1>; rel=prev, <https://a/3>; rel=next").as_deref(), Some("https://a/3"));
    assert_eq!(next_in_link("<https://a/3>; title=\"a, b\"; REL=\"Next\"").as_deref(), Some("https://a/3"));
    assert_eq!(
        next_in_link("<https://a/2>; rel=\"next\", <https://a/9>; rel=\"last\"").as_deref(),
        Some("https://a/2")
    );
    assert_eq!(next_in_link("<https://a/1>; rel=\"last\""), None);
    assert_eq!(next_in_link("garbage"), None);
}

/// `--all-pages`: a line of JSON per item, as pages arrive; a failed page exits as a failed
/// call does, after the items before it.
#[cfg(feature = "cli")]
#[tokio::test]
async fn all_pages_prints_a_line_per_item_then_the_error() {
    use crate::cli_support::write_pages;
    use std::process::ExitCode;

    let server = serve(|r| match query(r, "page").as_deref() {
        None => ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": 1}, {"id": 2}]})),
        Some("2") => ResponseTemplate::new(200).set_body_json(json!({"data": [{"id": 3}]})),
        _ => ResponseTemplate::new(200).set_body_json(json!({"data": []})),
    })
    .await;
    let paging = Paging { pattern: Pattern::Page { param: "page", first: 1 }, ..PLAIN };
    let mut out = Vec::new();
    let pages = stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging);
    assert_eq!(write_pages(&mut out, pages).await, ExitCode::SUCCESS);
    assert_eq!(String::from_utf8(out).unwrap(), "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");

    let failing = serve(|r| match query(r, "page").as_deref() {
        None => ResponseTemplate::new(200).set_body_json(json!({"data": [1]})),
        _ => ResponseTemplate::new(503).set_body_string("busy"),
    })
    .await;
    let mut out = Vec::new();
    let pages = stream::<_, Value, _, _, _>(list(&client(&failing), &[]), paging);
    assert_eq!(write_pages(&mut out, pages).await, ExitCode::from(2));
    assert_eq!(String::from_utf8(out).unwrap(), "1\n");
}

#[tokio::test]
async fn whole_pages_come_one_by_one_as_the_operation_decodes_them() {
    let server = serve(|r| {
        let body = match query(r, "cursor").as_deref() {
            None => json!({"data": [1, 2], "next_cursor": "b"}),
            _ => json!({"data": [3], "next_cursor": null}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let paging =
        Paging { pattern: Pattern::Cursor { param: "cursor" }, next: Some("/next_cursor"), whole: true, ..PLAIN };
    let pages = stream::<_, Value, _, _, _>(list(&client(&server), &[]), paging);
    assert_eq!(
        ok(collect(pages).await),
        [json!({"data": [1, 2], "next_cursor": "b"}), json!({"data": [3], "next_cursor": null})]
    );
}

#[test]
fn a_parameter_set_again_replaces_its_earlier_value() {
    let request = Request::new(Method::GET, "list-things", "/things")
        .query("limit", &1)
        .query_styled("filter", &json!({"a": 1}), crate::QueryStyle::DeepObject)
        .query("limit", &2)
        .query_styled("filter", &json!({"b": 2}), crate::QueryStyle::DeepObject)
        .header("x-trace", "a")
        .header("x-trace", "b");
    assert_eq!(request.query_value("limit"), Some("2"));
    assert_eq!(request.query_value("filter[a]"), None);
    assert_eq!(request.query_value("filter[b]"), Some("2"));
}
