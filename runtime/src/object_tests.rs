//! The decoding of objects, through a struct written as the generator writes one.

use std::collections::BTreeMap;

use serde::de::MapAccess;
use serde_json::json;

use crate::object::{self, FromMap};

#[derive(Debug, PartialEq)]
struct Pet {
    name: String,
    tag: Option<String>,
    owner: Option<Option<String>>,
    age: Option<i64>,
}

impl<'de> serde::Deserialize<'de> for Pet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object::deserialize(deserializer)
    }
}

impl FromMap for Pet {
    const NAME: &'static str = "Pet";

    // `name` required; `tag` optional; `owner` optional and nullable; `age` required and nullable.
    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut name = None;
        let mut tag = None;
        let mut owner = None;
        let mut age = None;
        while let Some(key) = map.next_key::<object::Key>()? {
            match &*key {
                "name" => name = Some(map.next_value()?),
                "tag" => tag = Some(map.next_value()?),
                "owner" => owner = Some(map.next_value()?),
                "age" => age = Some(map.next_value()?),
                _ => object::skip(&mut map)?,
            }
        }
        Ok(Self { name: object::required(&map, name, "name")?, tag: tag.flatten(), owner, age: age.flatten() })
    }
}

#[derive(Debug, PartialEq)]
struct Labels {
    kind: Option<String>,
    additional_properties: BTreeMap<String, serde_json::Value>,
}

impl<'de> serde::Deserialize<'de> for Labels {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        object::deserialize(deserializer)
    }
}

impl FromMap for Labels {
    const NAME: &'static str = "Labels";

    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut kind = None;
        let mut additional_properties = BTreeMap::new();
        while let Some(key) = map.next_key::<object::Key>()? {
            match &*key {
                "kind" => kind = Some(map.next_value()?),
                _ => {
                    additional_properties.insert(key.to_string(), map.next_value()?);
                }
            }
        }
        Ok(Self { kind: kind.flatten(), additional_properties })
    }
}

#[test]
fn properties_in_any_order_and_unknown_ones_skipped() {
    let text = r#"{"extra": {"deep": [1, 2, {"x": null}]}, "age": 3, "name": "Rex", "tag": "dog"}"#;
    let pet: Pet = serde_json::from_str(text).unwrap();
    assert_eq!(pet, Pet { name: "Rex".into(), tag: Some("dog".into()), owner: None, age: Some(3) });
}

#[test]
fn null_and_absent_stay_apart_where_the_field_can_say_so() {
    let absent: Pet = serde_json::from_str(r#"{"name": "Rex"}"#).unwrap();
    let null: Pet = serde_json::from_str(r#"{"name": "Rex", "owner": null, "tag": null, "age": null}"#).unwrap();
    assert_eq!((absent.owner, absent.tag, absent.age), (None, None, None));
    assert_eq!((null.owner, null.tag, null.age), (Some(None), None, None));
    let owned: Pet = serde_json::from_str(r#"{"name": "Rex", "owner": "Ann"}"#).unwrap();
    assert_eq!(owned.owner, Some(Some("Ann".into())));
}

#[test]
fn a_missing_required_property_is_named() {
    let error = serde_json::from_str::<Pet>(r#"{"tag": "dog"}"#).unwrap_err();
    assert_eq!(error.to_string(), "missing field `name` at line 1 column 14");
}

#[test]
fn a_value_that_is_not_an_object_says_what_was_expected() {
    let error = serde_json::from_str::<Pet>(r#"["Rex"]"#).unwrap_err();
    assert!(error.to_string().contains("expected a Pet object"), "{error}");
    let error = serde_json::from_str::<Pet>(r#"{"name": 5}"#).unwrap_err();
    assert!(error.to_string().contains("invalid type: integer `5`, expected a string"), "{error}");
}

#[test]
fn escaped_keys_are_matched_by_their_text() {
    // `\u006e` is `n`: the key cannot be borrowed from the input, and still matches.
    let pet: Pet = serde_json::from_str(r#"{"\u006eame": "Rex", "t\u0061g": "dog"}"#).unwrap();
    assert_eq!((pet.name.as_str(), pet.tag.as_deref()), ("Rex", Some("dog")));
}

#[test]
fn a_repeated_key_keeps_the_last_value() {
    let pet: Pet = serde_json::from_str(r#"{"name": "Rex", "name": "Max"}"#).unwrap();
    assert_eq!(pet.name, "Max");
}

#[test]
fn decoding_from_a_value_and_from_a_reader_agree_with_text() {
    let value = json!({"name": "Rex", "owner": null, "zzz": 1});
    let from_value: Pet = serde_json::from_value(value.clone()).unwrap();
    let from_ref = <Pet as serde::Deserialize>::deserialize(&value).unwrap();
    let from_reader: Pet = serde_json::from_reader(value.to_string().as_bytes()).unwrap();
    assert_eq!(from_value, from_ref);
    assert_eq!(from_value, from_reader);
    assert_eq!(from_value.owner, Some(None));
}

#[test]
fn unknown_properties_go_to_the_additional_map_when_there_is_one() {
    let labels: Labels = serde_json::from_str(r#"{"b": 1.5, "kind": "x", "a": {"n": null}}"#).unwrap();
    assert_eq!(labels.kind.as_deref(), Some("x"));
    assert_eq!(
        labels.additional_properties,
        BTreeMap::from([("a".into(), json!({"n": null})), ("b".into(), json!(1.5))])
    );
}
