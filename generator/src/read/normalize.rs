//! OpenAPI 3.1 (and 3.0 documents that borrow its forms) rewritten into the 3.0 shapes the
//! `openapiv3` model reads: `type: [T, "null"]` → `type: T` + `nullable`, `const` → a
//! one-value `enum`, numeric `exclusiveMinimum`/`exclusiveMaximum` → bound + flag, schema
//! `examples` → `example`. Only schema positions are rewritten: example data and the maps
//! whose keys are names (`properties`, `paths`, …) are left as they are.

use serde_json::{Map, Value};

/// Keys whose value is a map from names to objects, never a schema itself.
pub(crate) const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "paths",
    "webhooks",
    "content",
    "encoding",
    "variables",
    "pathItems",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// The extension that marks a schema using a keyword with no Rust type: lowering types it as
/// `serde_json::Value` and warns with this message, at the schema's own pointer.
pub const UNTYPED: &str = "x-generator-untyped";

/// The extension that marks a closed `prefixItems` array (no items beyond the prefix), which
/// lowering types as a tuple of the prefix's schemas, read from the document at its pointer.
pub const TUPLE: &str = "x-generator-tuple";

/// Keys whose value is one schema, which JSON Schema 2020-12 lets be `true` or `false`.
const SCHEMA_VALUED: &[&str] = &["items", "not", "contains", "propertyNames", "unevaluatedItems", "schema"];

/// Keys whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];

/// Keys whose value is data, not document structure.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const", "mapping", "security"];

pub fn normalize(doc: &mut Value) {
    if let Some(root) = doc.as_object_mut() {
        root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
        for (key, child) in root.iter_mut() {
            walk(key, child);
        }
    }
}

/// Normalises a part of a document read from another file (a schema, a path item, …).
pub fn normalize_fragment(value: &mut Value) {
    walk("", value);
}

fn walk(key: &str, value: &mut Value) {
    if DATA.contains(&key) || key.starts_with("x-") {
        return;
    }
    match value {
        Value::Object(map) if NAME_MAPS.contains(&key) => {
            if key == "content" {
                // OpenAPI 3.2's schema of each item of a stream (`text/event-stream` events),
                // where 3.0 and 3.1 documents put it in `schema`.
                for media in map.values_mut().filter_map(Value::as_object_mut) {
                    if !media.contains_key("schema") {
                        if let Some(item) = media.remove("itemSchema") {
                            media.insert("schema".into(), item);
                        }
                    }
                }
            }
            if matches!(key, "properties" | "patternProperties" | "$defs" | "dependentSchemas") {
                // A property whose schema is `false` can never be present: it is no field.
                map.retain(|_, schema| *schema != Value::Bool(false));
                map.values_mut().for_each(boolean_schema);
            }
            for child in map.values_mut() {
                walk("", child);
            }
        }
        Value::Object(map) => {
            for key in SCHEMA_VALUED {
                if let Some(child) = map.get_mut(*key) {
                    boolean_schema(child);
                }
            }
            for key in SCHEMA_LISTS {
                if let Some(Value::Array(children)) = map.get_mut(*key) {
                    children.iter_mut().for_each(boolean_schema);
                }
            }
            rewrite_schema(map);
            for (k, child) in map.iter_mut() {
                walk(k, child);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk("", item);
            }
        }
        _ => {}
    }
}

/// JSON Schema's boolean schemas as objects: `true` accepts anything, `false` nothing.
fn boolean_schema(value: &mut Value) {
    match value {
        Value::Bool(true) => *value = Value::Object(Map::new()),
        Value::Bool(false) => *value = serde_json::json!({"not": {}}),
        _ => {}
    }
}

fn rewrite_schema(map: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = map.get("type") {
        let null = types.iter().any(|t| t == "null");
        let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        match others.as_slice() {
            [one] => {
                map.insert("type".into(), one.clone());
            }
            // Several non-null types have no 3.0 form: leave the schema untyped.
            _ => {
                map.remove("type");
            }
        }
        if null {
            map.insert("nullable".into(), Value::Bool(true));
        }
    } else if map.get("type").is_some_and(|t| t == "null") {
        map.remove("type");
        map.insert("nullable".into(), Value::Bool(true));
    }
    if let Some(value) = map.remove("const") {
        if value.is_null() {
            map.insert("nullable".into(), Value::Bool(true));
        } else {
            if !map.contains_key("type") {
                let ty = match &value {
                    Value::String(_) => Some("string"),
                    Value::Bool(_) => Some("boolean"),
                    Value::Number(n) if n.is_f64() => Some("number"),
                    Value::Number(_) => Some("integer"),
                    _ => None,
                };
                if let Some(ty) = ty {
                    map.insert("type".into(), Value::String(ty.into()));
                }
            }
            map.insert("enum".into(), Value::Array(vec![value]));
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(bound.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        let first = examples.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
    }
    rewrite_2020_keywords(map);
    // 3.0 reads `items` as one schema.
    if map.get("type").is_some_and(|t| t == "array") && !map.contains_key("items") {
        map.insert("items".into(), Value::Object(Map::new()));
    }
}

/// JSON Schema 2020-12 keywords that 3.0 lacks, typed as far as is sound: what they only
/// constrain is dropped, what they declare is kept, and what has no Rust type is marked
/// [`UNTYPED`] for lowering to warn about.
fn rewrite_2020_keywords(map: &mut Map<String, Value>) {
    // `$ref` with siblings (3.1): the reference as the one member of an `allOf`, which
    // lowering reads as the referenced type, so that `nullable` and `description` apply.
    if map.contains_key("$ref") && map.keys().any(|k| matches!(k.as_str(), "nullable" | "description" | "title")) {
        let reference = map.remove("$ref").unwrap_or_default();
        let mut member = Map::new();
        member.insert("$ref".into(), reference);
        map.insert("allOf".into(), Value::Array(vec![Value::Object(member)]));
    }
    // Keys matching a pattern are the object's extra properties: a map of the pattern's
    // schema (of any value when there are several patterns).
    if let Some(Value::Object(patterns)) = map.remove("patternProperties") {
        if !map.contains_key("additionalProperties") {
            let extra = match patterns.len() {
                1 => patterns.into_iter().next().map(|(_, schema)| schema).unwrap_or_default(),
                _ => Value::Object(Map::new()),
            };
            map.insert("additionalProperties".into(), extra);
            map.entry("type").or_insert_with(|| Value::String("object".into()));
        }
    }
    if map.get("contentEncoding").is_some_and(|e| e == "base64") && !map.contains_key("format") {
        map.insert("format".into(), Value::String("byte".into()));
    }
    // `if`/`then`/`else` only constrain; the properties they declare are optional ones.
    let branches: Vec<Value> = ["if", "then", "else"].iter().filter_map(|k| map.remove(*k)).collect();
    for branch in branches.iter().skip(1) {
        let Some(Value::Object(properties)) = branch.get("properties") else { continue };
        let own = map.entry("properties").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(own) = own {
            for (name, schema) in properties {
                own.entry(name.clone()).or_insert_with(|| schema.clone());
            }
        }
    }
    if map.contains_key("$dynamicRef") {
        map.remove("$dynamicRef");
        map.insert(UNTYPED.into(), Value::String("`$dynamicRef` is not followed; using serde_json::Value".into()));
    }
    if let Some(Value::Array(prefix)) = map.get("prefixItems") {
        // `items: false` was rewritten to `{not: {}}` above.
        let closed = map.get("items") == Some(&serde_json::json!({"not": {}}))
            || map.get("maxItems").and_then(Value::as_u64) == Some(prefix.len() as u64);
        let marker = match closed && !prefix.is_empty() {
            true => (TUPLE, Value::Bool(true)),
            false => (
                UNTYPED,
                Value::String("`prefixItems` with more items allowed is typed as a list of JSON values".into()),
            ),
        };
        map.insert(marker.0.into(), marker.1);
        map.insert("items".into(), Value::Object(Map::new()));
        map.entry("type").or_insert_with(|| Value::String("array".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(mut v: Value) -> Value {
        normalize(&mut v);
        v
    }

    #[test]
    fn rewrites_31_schema_forms() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": ["integer", "null"], "exclusiveMinimum": 0},
            "B": {"const": "x"},
            "C": {"type": "object", "properties": {"const": {"type": "string"}, "type": {"type": ["string", "number"]}}},
            "D": {"type": "string", "examples": ["a", "b"], "example": "keep"},
            "E": {"type": "null"}
        }}});
        assert_eq!(
            norm(doc)["components"]["schemas"],
            json!({
                "A": {"type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true},
                "B": {"type": "string", "enum": ["x"]},
                "C": {"type": "object", "properties": {"const": {"type": "string"}, "type": {}}},
                "D": {"type": "string", "example": "keep"},
                "E": {"nullable": true}
            })
        );
    }

    #[test]
    fn rewrites_2020_keywords() {
        let doc = json!({"components": {"schemas": {"A": {
            "additionalProperties": false,
            "properties": {
                "any": true,
                "never": false,
                "owner": {"$ref": "#/components/schemas/B", "description": "At the reference."},
                "labels": {"patternProperties": {"^x-": {"type": "string"}}},
                "picture": {"type": "string", "contentEncoding": "base64"},
                "c": {"if": {"properties": {"k": {"const": "a"}}}, "then": {"properties": {"a": {"type": "string"}}}},
                "d": {"$dynamicRef": "#meta"},
                "t": {"type": "array", "prefixItems": [{"type": "number"}], "items": false}
            }
        }}}});
        let properties = &norm(doc)["components"]["schemas"]["A"]["properties"];
        assert_eq!(properties["any"], json!({}));
        assert!(properties.get("never").is_none());
        assert_eq!(
            properties["owner"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "description": "At the reference."})
        );
        assert_eq!(properties["labels"], json!({"type": "object", "additionalProperties": {"type": "string"}}));
        assert_eq!(properties["picture"]["format"], json!("byte"));
        assert_eq!(properties["c"], json!({"properties": {"a": {"type": "string"}}}));
        assert!(properties["d"][UNTYPED].is_string());
        assert_eq!(properties["t"][TUPLE], json!(true));
        assert_eq!(properties["t"]["items"], json!({}));
        assert_eq!(properties["t"]["prefixItems"], json!([{"type": "number"}]));
    }

    #[test]
    fn leaves_example_data_alone() {
        let doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"example": {"type": ["a", "null"], "const": 1}}
        }}}}}}});
        assert_eq!(norm(doc.clone()), doc);
    }
}
