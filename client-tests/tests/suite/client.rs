//! The generated client against a local server, for every documented status of both
//! operations and for the ways a server or network can fail.

use std::time::Duration;

use crate::support::{client, SignedWith, SECRET};
use exoscale_api::auth::Credentials;
use exoscale_api::reqwest::header::{HeaderName, HeaderValue};
use exoscale_api::types::{
    AiApiKey, ErrorResponse, ForbiddenOperationResponse, ForbiddenOperationResponseCode, ListAiApiKeysError,
    UpdateAiApiKeyError, UpdateAiApiKeyRequest,
};
use exoscale_api::{Client, Error, ErrorKind};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::Match as _;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "11111111-1111-1111-1111-111111111111";

fn problem(status: u16, title: &str) -> serde_json::Value {
    json!({
        "type": "https://docs.exoscale.com/problems/x",
        "title": title,
        "status": status,
        "detail": format!("{title} detail"),
        "instance": format!("/v2/ai/ai-api-key/{ID}"),
        "errors": [{"path": "scope", "detail": "bad", "pointer": "/scope", "location": "body"}]
    })
}

fn expected_problem(status: u16, title: &str) -> ErrorResponse {
    serde_json::from_value(problem(status, title)).unwrap()
}

async fn serve_list(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .and(header("accept", "application/json"))
        .and(SignedWith(SECRET))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

async fn serve_update(server: &MockServer, body: &'static str, response: ResponseTemplate) {
    Mock::given(method("PATCH"))
        .and(path(format!("/v2/ai/ai-api-key/{ID}")))
        .and(header("content-type", "application/json"))
        .and(body_string(body))
        .and(SignedWith(SECRET))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

fn rename(name: &str) -> UpdateAiApiKeyRequest {
    UpdateAiApiKeyRequest::new().name(name)
}

#[tokio::test]
async fn list_200_decodes_the_keys() {
    let server = MockServer::start().await;
    let body = json!({"ai-api-keys": [{
        "updated-at": "2026-03-25T10:00:00Z", "name": "default-public-key", "scope": "public",
        "id": ID, "org-uuid": "22222222-2222-2222-2222-222222222222", "created-at": "2026-03-25T10:00:00Z"
    }]});
    serve_list(&server, ResponseTemplate::new(200).set_body_json(&body)).await;
    let keys = client(&server).list_ai_api_keys().await.expect("200 decodes");
    assert_eq!(keys.ai_api_keys.len(), 1);
    let key = &keys.ai_api_keys[0];
    assert_eq!(key.name, "default-public-key");
    assert_eq!(key.id.to_string(), ID);
    assert_eq!(key.created_at.to_rfc3339(), "2026-03-25T10:00:00+00:00");
}

#[tokio::test]
async fn list_403_is_a_typed_problem() {
    let server = MockServer::start().await;
    serve_list(&server, ResponseTemplate::new(403).set_body_json(problem(403, "Forbidden"))).await;
    let error = client(&server).list_ai_api_keys().await.unwrap_err();
    match error.into_kind() {
        ErrorKind::Api(ListAiApiKeysError::Forbidden(body)) => assert_eq!(body, expected_problem(403, "Forbidden")),
        other => panic!("expected the documented 403, got {other:?}"),
    }
}

#[tokio::test]
async fn update_sends_only_the_fields_set_and_decodes_200() {
    let server = MockServer::start().await;
    let body = json!({"name": "renamed", "id": ID, "updated-at": "2026-05-04T09:42:00Z"});
    serve_update(&server, r#"{"name":"renamed"}"#, ResponseTemplate::new(200).set_body_json(&body)).await;
    let id = ID.parse().unwrap();
    let key = client(&server).update_ai_api_key(id, &rename("renamed")).await.expect("200 decodes");
    // Response structs are `#[non_exhaustive]`: built from `Default` (or decoded), not literals.
    let mut expected = AiApiKey::default();
    expected.name = Some("renamed".into());
    expected.id = Some(id);
    expected.updated_at = Some("2026-05-04T09:42:00Z".parse().unwrap());
    assert_eq!(key, expected);
}

#[tokio::test]
async fn update_sends_name_and_scope() {
    let server = MockServer::start().await;
    serve_update(&server, r#"{"name":"n","scope":"public"}"#, ResponseTemplate::new(200).set_body_json(json!({})))
        .await;
    let body = UpdateAiApiKeyRequest::new().name("n").scope("public");
    let key = client(&server).update_ai_api_key(ID.parse().unwrap(), &body).await.unwrap();
    assert_eq!(key, AiApiKey::default());
}

#[tokio::test]
async fn update_400_and_404_are_typed_problems() {
    for (status, title) in [(400, "Bad Request"), (404, "Not Found")] {
        let server = MockServer::start().await;
        serve_update(&server, r#"{"name":"x"}"#, ResponseTemplate::new(status).set_body_json(problem(status, title)))
            .await;
        let error = client(&server).update_ai_api_key(ID.parse().unwrap(), &rename("x")).await.unwrap_err();
        let expected = expected_problem(status, title);
        match (status, error.kind()) {
            (400, ErrorKind::Api(UpdateAiApiKeyError::BadRequest(body)))
            | (404, ErrorKind::Api(UpdateAiApiKeyError::NotFound(body))) => {
                assert_eq!(body, &expected)
            }
            _ => panic!("expected the documented {status}, got {error:?}"),
        }
        assert_eq!(error.status(), Some(status));
    }
}

#[tokio::test]
async fn update_403_has_its_own_body_type() {
    let server = MockServer::start().await;
    let body = json!({"code": "forbidden_operation", "error": "not allowed"});
    serve_update(&server, r#"{"name":"x"}"#, ResponseTemplate::new(403).set_body_json(body)).await;
    let error = client(&server).update_ai_api_key(ID.parse().unwrap(), &rename("x")).await.unwrap_err();
    let ErrorKind::Api(UpdateAiApiKeyError::Forbidden(body)) = error.kind() else {
        panic!("expected the documented 403, got {error:?}")
    };
    assert_eq!(body.code, ForbiddenOperationResponseCode::ForbiddenOperation);
    assert_eq!(body.error, "not allowed");
    assert_eq!(error.to_string(), r#"403 Forbidden: {"code":"forbidden_operation","error":"not allowed"}"#);
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let server = MockServer::start().await;
    serve_update(
        &server,
        r#"{"name":"x"}"#,
        ResponseTemplate::new(403).set_body_json(json!({"code": "quota_exceeded", "error": "e"})),
    )
    .await;
    let error = client(&server).update_ai_api_key(ID.parse().unwrap(), &rename("x")).await.unwrap_err();
    let ErrorKind::Api(UpdateAiApiKeyError::Forbidden(body)) = error.into_kind() else { panic!("expected 403") };
    assert_eq!(body.code, ForbiddenOperationResponseCode::Other("quota_exceeded".into()));
    assert_eq!(body.code.as_str(), "quota_exceeded");
}

#[tokio::test]
async fn undocumented_status_keeps_status_and_body() {
    let server = MockServer::start().await;
    // 501: not one of the statuses that are retried.
    serve_list(&server, ResponseTemplate::new(501).set_body_raw("<html>Not Implemented</html>", "text/html")).await;
    match client(&server).list_ai_api_keys().await.unwrap_err().into_kind() {
        ErrorKind::UnexpectedStatus { status, body } => {
            assert_eq!(status, 501);
            assert_eq!(body, "<html>Not Implemented</html>");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

/// A redirect is the server's answer, returned as it came: following it would send the request
/// somewhere the caller did not choose and hide the status the API gave.
#[tokio::test]
async fn redirects_are_returned_not_followed() {
    let server = MockServer::start().await;
    let elsewhere = format!("{}/v2/elsewhere", server.uri());
    serve_list(&server, ResponseTemplate::new(302).insert_header("location", elsewhere.as_str())).await;
    Mock::given(path("/v2/elsewhere"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ai-api-keys": []})))
        .expect(0)
        .mount(&server)
        .await;
    match client(&server).list_ai_api_keys().await.unwrap_err().into_kind() {
        ErrorKind::UnexpectedStatus { status, .. } => assert_eq!(status, 302),
        other => panic!("expected UnexpectedStatus 302, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_does_not_decode_keeps_the_error_and_the_text() {
    let server = MockServer::start().await;
    serve_list(&server, ResponseTemplate::new(200).set_body_raw(r#"{"ai-api-keys": [{"name": 5}"#, "application/json"))
        .await;
    match client(&server).list_ai_api_keys().await.unwrap_err().into_kind() {
        ErrorKind::Decode { status, message, body } => {
            assert_eq!(status, 200);
            assert!(message.contains("invalid type"), "{message}");
            assert_eq!(body, r#"{"ai-api-keys": [{"name": 5}"#);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_status_with_the_wrong_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    serve_update(&server, r#"{"name":"x"}"#, ResponseTemplate::new(404).set_body_json(json!({"message": "nope"})))
        .await;
    let error = client(&server).update_ai_api_key(ID.parse().unwrap(), &rename("x")).await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Decode { status: 404, body, .. } if body == r#"{"message":"nope"}"#),
        "{error:?}"
    );
}

#[tokio::test]
async fn empty_bodies_and_wrong_content_types_are_errors() {
    let server = MockServer::start().await;
    serve_list(&server, ResponseTemplate::new(200).set_body_raw("", "application/json")).await;
    let error = client(&server).list_ai_api_keys().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Decode { status: 200, body, .. } if body.is_empty()), "{error:?}");

    let server = MockServer::start().await;
    serve_list(&server, ResponseTemplate::new(200).set_body_raw("{}", "text/plain")).await;
    let error = client(&server).list_ai_api_keys().await.unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::UnexpectedContentType { status: 200, content_type: Some(ct), .. } if ct == "text/plain"),
        "{error:?}"
    );

    let server = MockServer::start().await;
    serve_list(&server, ResponseTemplate::new(200).set_body_bytes("{}")).await;
    let error = client(&server).list_ai_api_keys().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::UnexpectedContentType { content_type: None, .. }), "{error:?}");
}

#[tokio::test]
async fn a_wrong_secret_is_rejected_by_the_server() {
    let server = MockServer::start().await;
    serve_list(&server, ResponseTemplate::new(200).set_body_json(json!({"ai-api-keys": []}))).await;
    let wrong = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .auth(exoscale_api::auth::Credentials::new(crate::support::KEY, "not-the-secret").unwrap())
        .build()
        .unwrap();
    // The mock only answers correctly signed requests; wiremock answers others with 404.
    let error = wrong.list_ai_api_keys().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::UnexpectedStatus { status: 404, .. }), "{error:?}");
    let shown = format!("{error} {error:?} {wrong:?}");
    assert!(!shown.contains("not-the-secret") && !shown.contains(SECRET), "{shown}");
    client(&server).list_ai_api_keys().await.expect("the right secret is accepted");
}

#[tokio::test]
async fn extra_headers_are_sent_per_handle() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .and(header("prefer", "code=403"))
        .and(header("user-agent", concat!("exoscale-api/", "2.0.0")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ai-api-keys": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let handle = client.with_header(HeaderName::from_static("prefer"), HeaderValue::from_static("code=403"));
    assert!(handle.list_ai_api_keys().await.unwrap().ai_api_keys.is_empty());
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client =
        Client::builder().base_url(format!("http://{addr}/v2")).auth(crate::support::credentials()).build().unwrap();
    let error = client.list_ai_api_keys().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn a_connection_reset_is_a_transport_error() {
    // A server that accepts, reads a little and hangs up without answering.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 64];
            let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut buf).await;
            drop(socket);
        }
    });
    let client =
        Client::builder().base_url(format!("http://{addr}/v2")).auth(crate::support::credentials()).build().unwrap();
    let error = client.list_ai_api_keys().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Transport(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(SECRET));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .auth(crate::support::credentials())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client.list_ai_api_keys().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let server = MockServer::start().await;
    let big = format!(r#"{{"ai-api-keys": [], "padding": "{}"}}"#, "x".repeat(10_000));
    serve_list(&server, ResponseTemplate::new(200).set_body_raw(big, "application/json")).await;
    let client = Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .auth(crate::support::credentials())
        .max_body_size(1024)
        .build()
        .unwrap();
    let error = client.list_ai_api_keys().await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::BodyTooLarge { status: 200, limit: 1024 }), "{error:?}");
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let credentials = crate::support::credentials();
    let client = Client::builder().auth(credentials.clone()).build().unwrap();
    for text in
        [format!("{credentials:?}"), format!("{client:?}"), format!("{:?}", exoscale_api::Auth::from(credentials))]
    {
        assert!(!text.contains(SECRET), "{text}");
    }
    assert!(format!("{client:?}").contains("https://api-ch-gva-2.exoscale.com/v2"));
}

#[test]
fn empty_credentials_are_refused() {
    use exoscale_api::auth::Credentials;
    assert_eq!(Credentials::new("", "s").unwrap_err().to_string(), "the API key is empty");
    assert_eq!(Credentials::new("k", " ").unwrap_err().to_string(), "the API secret is empty");
}

#[test]
fn zones_choose_the_base_url() {
    use exoscale_api::servers::{base_url, Zone, DEFAULT_BASE_URL};
    assert_eq!(DEFAULT_BASE_URL, "https://api-ch-gva-2.exoscale.com/v2");
    assert_eq!(Zone::default(), Zone::ChGva2);
    assert_eq!(base_url(&Zone::DeFra1), "https://api-de-fra-1.exoscale.com/v2");
    assert_eq!(Zone::from("xx-new-1"), Zone::Other("xx-new-1".into()));
    assert_eq!(base_url(&"xx-new-1".parse().unwrap()), "https://api-xx-new-1.exoscale.com/v2");
    let client = Client::builder().zone(&Zone::AtVie1).build().unwrap();
    assert_eq!(client.base_url(), "https://api-at-vie-1.exoscale.com/v2");
    assert_eq!(Zone::ALL.len(), 8);
}

#[test]
fn the_shared_status_error_shows_its_status_and_the_error_the_body_as_it_came() {
    use exoscale_api::{ApiError, StatusError};
    let error = StatusError {
        status: 502,
        body: serde_json::from_value::<ForbiddenOperationResponse>(json!({
            "code": "forbidden_operation",
            "error": "upstream",
        }))
        .unwrap(),
    };
    assert_eq!(ApiError::status(&error), 502);
    // The typed body is not re-encoded for display: what its schema leaves out would be lost.
    assert_eq!(error.to_string(), "502 Bad Gateway");
    let wrapped: Error<StatusError<String>> = ErrorKind::Api(StatusError { status: 599, body: "odd".into() }).into();
    assert_eq!(wrapped.status(), Some(599));
    assert_eq!(wrapped.to_string(), "599");
}

/// What a request carried, as the server saw it.
async fn received_headers(server: &MockServer) -> Vec<wiremock::http::HeaderMap> {
    server.received_requests().await.unwrap_or_default().into_iter().map(|r| r.headers).collect()
}

#[tokio::test]
async fn a_request_carries_only_the_credential_its_operation_accepts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/ai/api-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ai-api-keys": []})))
        .mount(&server)
        .await;
    let custom = exoscale_api::Auth::Header {
        name: HeaderName::from_static("x-custom-token"),
        value: exoscale_api::auth::Secret::new("custom").unwrap(),
    };
    let base = format!("{}/v2", server.uri());
    // The spec's operations accept EXO2 only: the custom credential stays home, and a second
    // EXO2 credential replaces the first.
    let both = Client::builder()
        .base_url(&base)
        .auth(custom.clone())
        .auth(Credentials::new(crate::support::KEY, "an-earlier-secret").unwrap())
        .auth(crate::support::credentials())
        .build()
        .unwrap();
    both.list_ai_api_keys().await.unwrap();
    // Without an EXO2 credential the request goes unsigned, for the server to refuse.
    let custom_only = Client::builder().base_url(&base).auth(custom).build().unwrap();
    custom_only.list_ai_api_keys().await.unwrap();
    let headers = received_headers(&server).await;
    assert_eq!(headers.len(), 2);
    assert!(headers.iter().all(|h| h.get("x-custom-token").is_none()), "{headers:?}");
    let requests = server.received_requests().await.unwrap();
    assert!(SignedWith(SECRET).matches(&requests[0]), "signed with the last EXO2 credential given");
    assert!(headers[1].get("authorization").is_none(), "{headers:?}");
}
