//! OpenAPI 3.1 (and 3.0 documents that borrow its forms) rewritten into the 3.0 shapes the
//! `openapiv3` model reads: `type: [T, "null"]` → `type: T` + `nullable`, `const` → a
//! one-value `enum`, numeric `exclusiveMinimum`/`exclusiveMaximum` → bound + flag, schema
//! `examples` → `example`. Only schema positions are rewritten: example data and the maps
//! whose keys are names (`properties`, `paths`, …) are left as they are.

use serde_json::{Map, Value};

/// Keys whose value is a map from names to objects, never a schema itself.
const NAME_MAPS: &[&str] = &[
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
            for child in map.values_mut() {
                walk("", child);
            }
        }
        Value::Object(map) => {
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
    // 3.0 reads `items` as one schema; 3.1's tuple form (`prefixItems`) has no equivalent.
    if map.get("type").is_some_and(|t| t == "array") && !map.contains_key("items") {
        map.insert("items".into(), Value::Object(Map::new()));
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
    fn leaves_example_data_alone() {
        let doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"example": {"type": ["a", "null"], "const": 1}}
        }}}}}}});
        assert_eq!(norm(doc.clone()), doc);
    }
}
