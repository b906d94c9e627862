//! The `items` and `pages` of a generated crate's paginated calls (the paging fixture,
//! `xtask/tests/fixtures/paging.yaml`) and its CLI's `--all-pages`, against local servers:
//! three pages for each pattern, a failing second page, an empty list.

use std::path::PathBuf;
use std::pin::Pin;
use std::process::Command;
use std::sync::OnceLock;

use futures_core::Stream;
use paging::{Client, Error, ErrorKind, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/v1", server.uri())).retry(RetryPolicy::none()).build().unwrap()
}

fn query(request: &Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(n, _)| n == name).map(|(_, v)| v.into_owned())
}

/// A server answering `GET /v1{route}` with `answer`.
async fn serve(route: &str, answer: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(format!("/v1{route}"))).respond_with(answer).mount(&server).await;
    server
}

fn widgets(ids: &[&str]) -> Vec<Value> {
    ids.iter().map(|id| json!({"id": id})).collect()
}

async fn ids<E: std::fmt::Debug>(stream: impl Stream<Item = Result<paging::types::Widget, Error<E>>>) -> Vec<String> {
    let mut stream = std::pin::pin!(stream);
    let mut out = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| Pin::as_mut(&mut stream).poll_next(cx)).await {
        out.push(item.unwrap().id);
    }
    out
}

async fn queries(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.unwrap_or_default();
    received.iter().map(|r| r.url.query().unwrap_or("").to_string()).collect()
}

#[tokio::test]
async fn pages_come_whole_from_the_same_call() {
    let server = serve("/widgets", |r| {
        let body = match query(r, "cursor").as_deref() {
            Some("5") => json!({"data": widgets(&["f", "g"]), "meta": {"next_cursor": "6"}}),
            _ => json!({"data": widgets(&["h"]), "meta": {"next_cursor": null}}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    // The call's own cursor is where the pages start.
    // A named type, which a struct can hold, and `Unpin`: polled where it is, without pinning.
    struct Held {
        pages: paging::Paginated<paging::types::ListWidgetsResponse, paging::types::ListWidgetsError>,
    }
    let mut held = Held { pages: client(&server).list_widgets().cursor("5").limit(2).pages() };
    let mut sizes = Vec::new();
    while let Some(page) = std::future::poll_fn(|cx| Pin::new(&mut held.pages).poll_next(cx)).await {
        sizes.push(page.unwrap().data.len());
    }
    assert_eq!(sizes, [2, 1]);
    assert_eq!(queries(&server).await, ["cursor=5&limit=2", "limit=2&cursor=6"]);
}

#[tokio::test]
async fn a_cursor_in_the_page_moves_the_stream_on() {
    let server = serve("/widgets", |r| {
        let body = match query(r, "cursor").as_deref() {
            None => json!({"data": widgets(&["a", "b"]), "meta": {"next_cursor": "2"}}),
            Some("2") => json!({"data": widgets(&["c", "d"]), "meta": {"next_cursor": "3"}}),
            _ => json!({"data": widgets(&["e"]), "meta": {"next_cursor": null}}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let found = ids(client(&server).list_widgets().limit(2).color("red").items()).await;
    assert_eq!(found, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        queries(&server).await,
        ["limit=2&color=red", "limit=2&color=red&cursor=2", "limit=2&color=red&cursor=3"]
    );
}

#[tokio::test]
async fn starting_after_the_last_item_while_there_is_more() {
    let server = serve("/charges", |r| {
        let body = match query(r, "starting_after").as_deref() {
            None => json!({"data": widgets(&["a", "b"]), "has_more": true}),
            Some("b") => json!({"data": widgets(&["c", "d"]), "has_more": true}),
            _ => json!({"data": widgets(&["e"]), "has_more": false}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    assert_eq!(ids(client(&server).list_charges().items()).await, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await, ["", "starting_after=b", "starting_after=d"]);
}

#[tokio::test]
async fn page_numbers_up_to_the_total_of_pages() {
    let server = serve("/gadgets", |r| {
        let page = query(r, "page").unwrap_or_else(|| "1".into());
        let body = json!({"results": widgets(&[&format!("{page}a"), &format!("{page}b")]), "total_pages": 3});
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let found = ids(client(&server).list_gadgets().per_page(2).items()).await;
    assert_eq!(found, ["1a", "1b", "2a", "2b", "3a", "3b"]);
    assert_eq!(queries(&server).await, ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]);
}

#[tokio::test]
async fn an_offset_up_to_the_total_of_items() {
    let server = serve("/gizmos", |r| {
        let offset: usize = query(r, "offset").and_then(|o| o.parse().ok()).unwrap_or(0);
        let all = ["a", "b", "c", "d", "e"];
        let page: Vec<&str> = all.iter().skip(offset).take(2).copied().collect();
        ResponseTemplate::new(200).set_body_json(json!({"items": widgets(&page), "total": all.len()}))
    })
    .await;
    assert_eq!(ids(client(&server).list_gizmos().limit(2).items()).await, ["a", "b", "c", "d", "e"]);
    assert_eq!(queries(&server).await, ["limit=2", "limit=2&offset=2", "limit=2&offset=4"]);
}

#[tokio::test]
async fn the_link_header_names_the_next_page() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .respond_with(move |r: &Request| {
            let (items, next) = match query(r, "page").as_deref() {
                None => (widgets(&["a", "b"]), Some(format!("<{base}/v1/sprockets?page=2>; rel=\"next\""))),
                Some("2") => (widgets(&["c"]), Some("</v1/sprockets?page=3>; rel=\"next\"".to_string())),
                _ => (widgets(&["d"]), None),
            };
            let response = ResponseTemplate::new(200).set_body_json(items);
            match next {
                Some(link) => response.insert_header("link", link.as_str()),
                None => response,
            }
        })
        .mount(&server)
        .await;
    assert_eq!(ids(client(&server).list_sprockets().items()).await, ["a", "b", "c", "d"]);
    assert_eq!(queries(&server).await, ["", "page=2", "page=3"]);
}

#[tokio::test]
async fn a_stated_pattern_is_followed() {
    let server = serve("/bolts", |r| {
        let body = match query(r, "from").as_deref() {
            None => json!({"bolts": widgets(&["a"]), "tags": ["x"], "continue_from": "k2"}),
            Some("k2") => json!({"bolts": widgets(&["b"]), "tags": [], "continue_from": "k3"}),
            _ => json!({"bolts": widgets(&["c"]), "tags": []}),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    assert_eq!(ids(client(&server).list_bolts().items()).await, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_documented_error_on_page_two_is_the_last_item() {
    let server = serve("/widgets", |r| match query(r, "cursor").as_deref() {
        None => ResponseTemplate::new(200)
            .set_body_json(json!({"data": widgets(&["a", "b"]), "meta": {"next_cursor": "2"}})),
        _ => ResponseTemplate::new(500).set_body_json(json!({"message": "down"})),
    })
    .await;
    let stream = client(&server).list_widgets().items();
    let mut stream = std::pin::pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| Pin::as_mut(&mut stream).poll_next(cx)).await {
        items.push(item);
    }
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].as_ref().unwrap().id, "b");
    let error = items.pop().unwrap().unwrap_err();
    match error.kind() {
        ErrorKind::Api(paging::types::ListWidgetsError::InternalServerError(problem)) => {
            assert_eq!(problem.message.as_deref(), Some("down"))
        }
        other => panic!("not the documented error: {other:?}"),
    }
    assert_eq!(queries(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_list_is_an_empty_stream() {
    let server = serve("/widgets", |_| ResponseTemplate::new(200).set_body_json(json!({"data": [], "meta": {}}))).await;
    assert!(ids(client(&server).list_widgets().items()).await.is_empty());
    assert_eq!(queries(&server).await.len(), 1);
}

/// The fixture's command-line client, built once.
fn binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| crate::cli_binary::build("paging"))
}

async fn run(server: &MockServer, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(binary());
    command.args(["--endpoint", &format!("{}/v1", server.uri()), "--max-retries", "0"]).args(args);
    tokio::task::spawn_blocking(move || command.output().expect("the CLI runs")).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn all_pages_prints_a_json_line_per_item_then_a_failed_page() {
    let server = serve("/widgets", |r| {
        let body = match query(r, "cursor").as_deref() {
            None => json!({"data": widgets(&["a", "b"]), "meta": {"next_cursor": "2"}}),
            Some("2") => json!({"data": widgets(&["c"]), "meta": {"next_cursor": "3"}}),
            _ => return ResponseTemplate::new(500).set_body_json(json!({"message": "down"})),
        };
        ResponseTemplate::new(200).set_body_json(body)
    })
    .await;
    let output = run(&server, &["listWidgets", "--all-pages", "--limit", "2"]).await;
    assert_eq!(String::from_utf8_lossy(&output.stdout), "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n");
    // The documented 500 on the third page: exit 1, as a failed call.
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("500"));

    // Without it, the one page as the body.
    let output = run(&server, &["listWidgets"]).await;
    assert_eq!(output.status.code(), Some(0));
    let page: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(page["meta"]["next_cursor"], "2");

    // The stream sets the cursor: giving one too is refused.
    let output = run(&server, &["listWidgets", "--all-pages", "--cursor", "2"]).await;
    assert_eq!(output.status.code(), Some(2));

    // One response's headers do not go with many pages: refused before anything is sent.
    let output = run(&server, &["listWidgets", "--all-pages", "--include"]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--include"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The CLI run with only a client id and secret in its environment.
async fn run_with_client_credentials(server: &MockServer, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(binary());
    command
        .args(["--endpoint", &format!("{}/v1", server.uri()), "--max-retries", "0"])
        .args(args)
        .env_remove("PAGING_TOKEN")
        .env("PAGING_CLIENT_ID", "cli-client")
        .env("PAGING_CLIENT_SECRET", "cli-secret");
    tokio::task::spawn_blocking(move || command.output().expect("the CLI runs")).await.unwrap()
}

/// A token endpoint at `/oauth/token` (the document's relative `tokenUrl`, resolved against
/// the server URL) that answers each request in turn: a token `tN`, or a failure.
async fn token_endpoint(server: &MockServer, answers: &'static [Option<&'static str>]) {
    let count = std::sync::atomic::AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(wiremock::matchers::header("authorization", "Basic Y2xpLWNsaWVudDpjbGktc2VjcmV0"))
        .and(wiremock::matchers::body_string_contains("grant_type=client_credentials&scope=secrets%3Aread"))
        .respond_with(move |_: &Request| {
            let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            match answers.get(n).copied().flatten() {
                Some(token) => ResponseTemplate::new(200)
                    .set_body_json(json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600})),
                None => ResponseTemplate::new(500).set_body_string("token service down"),
            }
        })
        .mount(server)
        .await;
}

/// `/v1/secrets` in three pages; the third refuses the token `t1` with a 401.
async fn secrets(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v1/secrets"))
        .respond_with(|r: &Request| {
            let token = r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
            let body = match (query(r, "cursor").as_deref(), token) {
                (None, "Bearer t1") => json!({"data": widgets(&["a", "b"]), "meta": {"next_cursor": "2"}}),
                (Some("2"), "Bearer t1") => json!({"data": widgets(&["c"]), "meta": {"next_cursor": "3"}}),
                (Some("3"), "Bearer t2") => json!({"data": widgets(&["d"]), "meta": {"next_cursor": null}}),
                _ => return ResponseTemplate::new(401),
            };
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(server)
        .await;
}

/// What the server received, in order: `POST /oauth/token`, or `GET <query> <token>`.
async fn received(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .map(|r| match r.url.path() {
            "/oauth/token" => "token".to_string(),
            _ => {
                let token = r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("none");
                format!("{} {}", r.url.query().unwrap_or("-"), token.trim_start_matches("Bearer "))
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_gets_a_token_uses_it_across_pages_and_renews_it_once_after_a_401() {
    let server = MockServer::start().await;
    token_endpoint(&server, &[Some("t1"), Some("t2")]).await;
    secrets(&server).await;
    let output = run_with_client_credentials(&server, &["listSecrets", "--all-pages"]).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n{\"id\":\"d\"}\n",
        "each item once"
    );
    assert_eq!(received(&server).await, ["token", "- t1", "cursor=2 t1", "cursor=3 t1", "token", "cursor=3 t2"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_gives_up_after_one_failed_renewal() {
    let server = MockServer::start().await;
    token_endpoint(&server, &[Some("t1"), None]).await;
    secrets(&server).await;
    let output = run_with_client_credentials(&server, &["listSecrets", "--all-pages"]).await;
    // Not an answer of the API's: exit 2, as for a connection failure.
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("500") && stderr.contains("token service down"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n");
    assert_eq!(received(&server).await, ["token", "- t1", "cursor=2 t1", "cursor=3 t1", "token"]);
}

/// The `scope` a token request asked for (`-` for none).
fn scope_asked(request: &Request) -> String {
    // The form, read as a query string.
    let mut form = request.url.clone();
    form.set_query(Some(&String::from_utf8_lossy(&request.body)));
    form.query_pairs().find(|(name, _)| name == "scope").map_or_else(|| "-".into(), |(_, scope)| scope.into_owned())
}

#[tokio::test]
async fn each_operation_gets_a_token_for_the_scopes_it_requires_once() {
    let server = MockServer::start().await;
    let count = std::sync::atomic::AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &Request| {
            let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(json!({"access_token": format!("t{n}"), "expires_in": 3600}))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/secrets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": widgets(&["a"])})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/secrets/s1/rotate"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let secret = paging::auth::Secret::new("my-secret").unwrap();
    let client = Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .auth(paging::auth::Auth::client_credentials("my-client", secret))
        .build()
        .unwrap();
    client.list_secrets().await.unwrap();
    client.list_secrets().await.unwrap();
    client.rotate_secret("s1").await.unwrap();
    client.list_secrets().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let seen: Vec<String> = requests
        .iter()
        .map(|r| match r.url.path() {
            "/oauth/token" => format!("token {}", scope_asked(r)),
            route => {
                let token = r.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("none");
                format!("{} {route} {token}", r.method)
            }
        })
        .collect();
    // `listSecrets` requires `secrets:read`; `rotateSecret` `secrets:write` and `secrets:read`,
    // asked for sorted, space-separated. The read token is not sent where more is required.
    assert_eq!(
        seen,
        [
            "token secrets:read",
            "GET /v1/secrets Bearer t1",
            "GET /v1/secrets Bearer t1",
            "token secrets:read secrets:write",
            "POST /v1/secrets/s1/rotate Bearer t2",
            "GET /v1/secrets Bearer t1",
        ]
    );
}

#[tokio::test]
async fn a_page_saying_no_request_remains_delays_the_next_until_the_reset() {
    // A second page asked for before the reset would be a 429; the client waits instead.
    let server = serve("/widgets", |r| match query(r, "cursor").as_deref() {
        None => ResponseTemplate::new(200)
            .insert_header("RateLimit-Remaining", "0")
            .insert_header("RateLimit-Reset", "1")
            .set_body_json(json!({"data": widgets(&["a"]), "meta": {"next_cursor": "2"}})),
        _ => ResponseTemplate::new(200).set_body_json(json!({"data": widgets(&["b"]), "meta": {"next_cursor": null}})),
    })
    .await;
    let clock = paging::ManualClock::default();
    let client = Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .retry(RetryPolicy::none())
        .clock(clock.clone())
        .build()
        .unwrap();
    assert_eq!(ids(client.list_widgets().items()).await, ["a", "b"]);
    assert_eq!(clock.slept(), [std::time::Duration::from_secs(1)]);
    assert_eq!(queries(&server).await.len(), 2, "no request was refused and repeated");
}

#[tokio::test]
async fn client_and_server_errors_documented_alike_decode_alike() {
    // `4XX` and `5XX` with one body: the operation's error is the shared `StatusError`, and one
    // arm of its response match decodes both ranges.
    let server = MockServer::start().await;
    for (id, status) in [("gone", 404), ("broken", 501)] {
        Mock::given(method("GET"))
            .and(path(format!("/v1/widgets/{id}")))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"message": id})))
            .mount(&server)
            .await;
    }
    for (id, status) in [("gone", 404), ("broken", 501)] {
        let error = client(&server).get_widget(id).await.unwrap_err();
        let failure: &paging::StatusError<paging::types::Problem> = error.api().expect("a documented error");
        assert_eq!((failure.status, failure.body.message.as_deref()), (status, Some(id)), "{error:?}");
    }
}
