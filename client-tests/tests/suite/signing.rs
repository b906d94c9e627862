//! Every signature vector must give the identical `Authorization` header.
//!
//! `tests/data/vectors.json` is a copy of `../shared/signing/vectors.json` (beside the
//! repository, not part of it), whose cases were computed with Exoscale's reference
//! implementations; it is kept here so a clone tests on its own.

use exoscale_api::auth::Credentials;
use exoscale_api::reqwest::Url;
use serde_json::Value;

#[test]
fn every_reference_vector_matches() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let vectors: Vec<Value> = serde_json::from_str(&text).expect("vectors.json is JSON");
    assert!(vectors.len() >= 20, "expected the full set of vectors, found {}", vectors.len());
    let mut failures = Vec::new();
    for v in &vectors {
        let field = |name: &str| v[name].as_str().unwrap_or_else(|| panic!("{name} missing in {v}"));
        let credentials = Credentials::new(field("key"), field("secret")).unwrap();
        let url = Url::parse(field("url")).unwrap();
        let expires = v["expires"].as_u64().expect("expires");
        let got = credentials.authorization(field("method"), &url, field("body").as_bytes(), expires);
        if got != field("authorization") {
            failures.push(format!("{}\n  want {}\n  got  {got}", field("name"), field("authorization")));
        }
    }
    assert!(failures.is_empty(), "{} of {} vectors differ:\n{}", failures.len(), vectors.len(), failures.join("\n"));
}
