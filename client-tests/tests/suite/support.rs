//! Shared by the client tests: a local server that checks every request's signature.

use exoscale_api::auth::Credentials;
use exoscale_api::reqwest::Url;
use exoscale_api::Client;
use wiremock::{Match, MockServer, Request};

pub const KEY: &str = "EXOtestkey0123456789";
pub const SECRET: &str = "test-secret-do-not-leak";

pub fn credentials() -> Credentials {
    Credentials::new(KEY, SECRET).expect("valid credentials")
}

/// A client for `server`, signing with the test credentials.
pub fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/v2", server.uri())).auth(credentials()).build().expect("client builds")
}

/// Matches only requests whose `Authorization` header is the one `secret` gives for the
/// request as received: method, path, query, body and the header's own expiry.
pub struct SignedWith(pub &'static str);

impl Match for SignedWith {
    fn matches(&self, request: &Request) -> bool {
        let Some(header) = request.headers.get("authorization").and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let Some(expires) = header.split(",expires=").nth(1).and_then(|rest| rest.split(',').next()) else {
            return false;
        };
        let Ok(expires) = expires.parse::<u64>() else { return false };
        let url = Url::parse(request.url.as_str()).expect("wiremock gives valid URLs");
        let expected = Credentials::new(KEY, self.0).expect("valid credentials").authorization(
            request.method.as_str(),
            &url,
            &request.body,
            expires,
        );
        expected == header
    }
}
