//! What the examples' round trip counts as the same JSON.

use serde_json::json;

use crate::round_trip::{check, equivalent, round_trip};

#[test]
fn numbers_compare_by_value() {
    assert!(equivalent(&json!(10.0), &json!(10)));
    assert!(equivalent(&json!([1, 2.5]), &json!([1.0, 2.5])));
    assert!(!equivalent(&json!(10.5), &json!(10)));
    assert!(!equivalent(&json!(u64::MAX), &json!(-1)));
}

#[test]
fn null_and_absent_properties_are_the_same_and_nothing_else_is() {
    assert!(equivalent(&json!({"a": 1}), &json!({"a": 1, "b": null})));
    assert!(equivalent(&json!({"a": {"b": null}}), &json!({"a": {}})));
    assert!(!equivalent(&json!({"a": 1}), &json!({"a": 1, "b": 0})));
    assert!(!equivalent(&json!({"a": 1}), &json!({"a": "1"})));
    assert!(!equivalent(&json!([null]), &json!([])));
    assert!(!equivalent(&json!(null), &json!(false)));
}

#[test]
fn a_type_that_loses_a_property_or_cannot_read_the_example_fails_the_round_trip() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Only {
        a: i64,
    }
    assert_eq!(check::<Only>(r#"{"a": 1, "b": null}"#), Ok(()));
    round_trip::<Only>(r#"{"a": 1}"#);
    let lost = check::<Only>(r#"{"a": 1, "b": 2}"#).unwrap_err();
    assert!(lost.starts_with("the example does not encode back to itself"), "{lost}");
    let unread = check::<Only>(r#"{"a": "1"}"#).unwrap_err();
    assert!(unread.starts_with("the example does not decode"), "{unread}");
}
