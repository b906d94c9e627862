//! Typed mocks of a generated crate (`xtask/tests/fixtures/doubles.yaml`, feature `mock`): a
//! user's function tested with expectations per operation, the answer to a request that
//! matches none (the closest expectation and what differed), counts that `verify` checks,
//! required parameters and bodies checked as the document describes them.

use doubles::doubles::{MockServer, NO_EXPECTATION_STATUS};
use doubles::types::{GetPetError, Pet, PetIn, Problem, Status};
use doubles::Client;
use serde_json::json;

/// The user's function under test: the id of the pet called `name`, adopted (created) when
/// there is none yet. Two operations: `list_pets`, then maybe `create_pet`.
async fn adopt(client: &Client, name: &str) -> Result<i64, String> {
    let pets = client.list_pets().limit(100).await.map_err(|e| e.to_string())?;
    if let Some(pet) = pets.iter().find(|pet| pet.name == name) {
        return Ok(pet.id);
    }
    let pet = client.create_pet(&PetIn::new(name).status(Status::Available)).await.map_err(|e| e.to_string())?;
    Ok(pet.id)
}

fn pet(id: i64, name: &str) -> Pet {
    serde_json::from_value(json!({"id": id, "name": name, "status": "available"})).unwrap()
}

/// A request sent as the client would not send it, for what the server says of it.
async fn raw(method: &str, url: String, body: Option<&str>) -> (u16, String) {
    let client = doubles::reqwest::Client::new();
    let mut request = client.request(method.parse().unwrap(), url);
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_users_function_is_tested_with_typed_expectations() {
    let server = MockServer::start().unwrap();
    server.expect_list_pets().limit(100).returns(vec![pet(1, "Rex")]).times(2);
    server
        .expect_create_pet(&PetIn::new("Tom").status(Status::Available))
        .returns_json(json!({"id": 2, "name": "Tom", "status": "available"}))
        .times(1);
    let client = server.client().unwrap();

    assert_eq!(adopt(&client, "Rex").await, Ok(1));
    assert_eq!(adopt(&client, "Tom").await, Ok(2));
    server.verify().unwrap();
}

#[tokio::test]
async fn documented_errors_answer_with_their_status_and_body() {
    let server = MockServer::start().unwrap();
    let problem: Problem = serde_json::from_value(json!({"message": "no pet 9"})).unwrap();
    server.expect_get_pet(9).fails(GetPetError::NotFound(problem.clone()));
    server.expect_get_pet(7).returns(pet(7, "Rex"));
    let client = server.client().unwrap();

    assert_eq!(client.get_pet(7).await.unwrap(), pet(7, "Rex"));
    let error = client.get_pet(9).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.api(), Some(&GetPetError::NotFound(problem)));
    server.verify().unwrap();
}

#[tokio::test]
async fn a_request_matching_nothing_names_the_closest_expectation_and_the_server_goes_on() {
    let server = MockServer::start().unwrap();
    server.expect_get_pet(7).returns(pet(7, "Rex"));
    server.expect_list_pets().limit(10).returns(Vec::new());

    let (status, body) = raw("GET", format!("{}/pets/8", server.url()), None).await;
    assert_eq!(status, NO_EXPECTATION_STATUS);
    assert!(body.contains("no expectation matched GET /pets/8"), "{body}");
    assert!(body.contains("closest: getPet (GET /pets/{id} [path id=7])"), "{body}");
    assert!(body.contains("path parameter `id` expected \"7\" got \"8\""), "{body}");

    // Through the client: the same operation with another value of an optional parameter.
    let client = server.client().unwrap();
    let error = client.list_pets().limit(20).await.unwrap_err();
    assert_eq!(error.status(), Some(NO_EXPECTATION_STATUS));
    let body = String::from_utf8_lossy(error.body().unwrap()).into_owned();
    assert!(body.contains("closest: listPets"), "{body}");
    assert!(body.contains("query parameter `limit` expected \"10\" got \"20\""), "{body}");

    // Still serving.
    assert_eq!(client.get_pet(7).await.unwrap(), pet(7, "Rex"));
    let unmet = server.verify().unwrap_err();
    assert!(unmet.contains("listPets never met: GET /pets [query limit=10]"), "{unmet}");
    assert!(unmet.contains("unmatched request: no expectation matched GET /pets/8"), "{unmet}");
    assert!(unmet.contains("unmatched request: no expectation matched GET /pets?limit=20"), "{unmet}");
}

#[tokio::test]
async fn bodies_are_checked_against_the_request_type_and_the_expected_value() {
    let server = MockServer::start().unwrap();
    server.expect_create_pet(&PetIn::new("Tom")).returns(pet(2, "Tom"));
    let url = format!("{}/pets", server.url());

    let (status, body) = raw("POST", url.clone(), Some(r#"{"name": 3}"#)).await;
    assert_eq!(status, NO_EXPECTATION_STATUS);
    assert!(body.contains("closest: createPet"), "{body}");
    assert!(body.contains("body did not decode: invalid type: integer `3`, expected a string"), "{body}");

    let (_, body) = raw("POST", url.clone(), None).await;
    assert!(body.contains("body expected, got none"), "{body}");

    let (_, body) = raw("POST", url.clone(), Some(r#"{"name": "Max"}"#)).await;
    assert!(body.contains(r#"body expected {"name":"Tom"} got {"name":"Max"}"#), "{body}");

    let (status, body) = raw("POST", url, Some(r#"{"name": "Tom"}"#)).await;
    assert_eq!((status, body), (201, r#"{"id":2,"name":"Tom","status":"available"}"#.to_string()));
}

#[tokio::test]
async fn times_unmet_is_an_error_of_verify_that_names_the_expectation() {
    let server = MockServer::start().unwrap();
    server.expect_list_pets().returns(vec![pet(1, "Rex")]).times(2);
    server.expect_get_pet(1).returns(pet(1, "Rex")).times(1);
    let client = server.client().unwrap();
    client.list_pets().await.unwrap();
    client.get_pet(1).await.unwrap();
    // Met once: a second call matches no more.
    let error = client.get_pet(1).await.unwrap_err();
    let body = String::from_utf8_lossy(error.body().unwrap()).into_owned();
    assert!(body.contains("already met the 1 time(s) expected"), "{body}");

    let unmet = server.verify().unwrap_err();
    assert!(unmet.contains("listPets expected 2 time(s), met 1 time(s): GET /pets"), "{unmet}");
    assert!(!unmet.contains("getPet expected"), "{unmet}");
}

#[tokio::test]
async fn required_parameters_are_matched_and_a_missing_one_is_named() {
    let server = MockServer::start().unwrap();
    let since = "2026-01-02".parse().unwrap();
    server.expect_list_visits(3, since).x_clinic("north").returns(vec!["2026-01-05".to_string()]);

    let (status, body) = raw("GET", format!("{}/pets/3/visits", server.url()), None).await;
    assert_eq!(status, NO_EXPECTATION_STATUS);
    assert!(body.contains("query parameter `since` expected \"2026-01-02\" got nothing"), "{body}");
    assert!(body.contains("header parameter `x-clinic` expected \"north\" got nothing"), "{body}");

    let client = server.client().unwrap();
    let error = client.list_visits(3, since).await.unwrap_err();
    let body = String::from_utf8_lossy(error.body().unwrap()).into_owned();
    assert!(!body.contains("`since`"), "{body}");
    assert!(body.contains("header parameter `x-clinic` expected \"north\" got nothing"), "{body}");
    assert_eq!(client.list_visits(3, since).x_clinic("north").await.unwrap(), ["2026-01-05"]);
}

#[tokio::test]
async fn an_answer_that_is_not_of_the_success_type_is_reported() {
    let server = MockServer::start().unwrap();
    server.expect_get_pet(1).returns_json(json!({"id": 1, "name": "Rex"}));
    let error = server.client().unwrap().get_pet(1).await.unwrap_err();
    assert_eq!(error.status(), Some(NO_EXPECTATION_STATUS));
    let problems = server.verify().unwrap_err();
    assert!(problems.contains("getPet (GET /pets/{id} [path id=1])"), "{problems}");
    assert!(problems.contains("does not decode as `doubles::types::Pet`: missing field `status`"), "{problems}");
}
