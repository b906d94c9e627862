//! The spec's schemas as the judge reads them: references followed, OpenAPI 3.0's dialect
//! turned into JSON Schema for validation, and the schemas that apply at a place of a value.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// The bundled document (every reference local), as JSON.
pub struct Doc {
    pub raw: Value,
    /// The document with every schema in JSON Schema's dialect, for the validator.
    converted: Value,
    validators: HashMap<String, Option<jsonschema::Validator>>,
}

impl Doc {
    pub fn new(raw: Value) -> Self {
        let mut converted = raw.clone();
        convert(&mut converted);
        Doc { raw, converted, validators: HashMap::new() }
    }

    /// The value at a `#/…` reference or pointer.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
        self.raw.pointer(pointer)
    }

    /// Follows `$ref`s (a chain of them) to the value they name.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match value.get("$ref").and_then(Value::as_str).and_then(|r| self.at(r)) {
                Some(target) => value = target,
                None => break,
            }
        }
        value
    }

    /// Whether `value` is valid against the schema at `pointer`; `None` when the schema
    /// cannot be compiled (then the judge does not take sides).
    pub fn validate(&mut self, pointer: &str, value: &Value) -> Option<Result<(), String>> {
        let converted = &self.converted;
        let validator = self.validators.entry(pointer.to_string()).or_insert_with(|| {
            let mut root = converted.clone();
            root.as_object_mut()?.insert("$ref".into(), Value::String(pointer.to_string()));
            jsonschema::options().with_draft(jsonschema::Draft::Draft202012).build(&root).ok()
        });
        let validator = validator.as_ref()?;
        Some(match validator.iter_errors(value).next() {
            None => Ok(()),
            Some(error) => Err(format!("{} at {}", error, error.instance_path)),
        })
    }

    /// The schemas a value at `schemas` may be made of: references followed, `allOf`, `oneOf`
    /// and `anyOf` members included.
    pub fn expand<'a>(&'a self, schemas: &[&'a Value]) -> Vec<&'a Value> {
        let mut out = Vec::new();
        let mut todo: Vec<&Value> = schemas.to_vec();
        while let Some(schema) = todo.pop() {
            let schema = self.resolve(schema);
            if out.iter().any(|s: &&Value| std::ptr::eq(*s, schema)) || out.len() > 256 {
                continue;
            }
            out.push(schema);
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(members) = schema.get(key).and_then(Value::as_array) {
                    todo.extend(members.iter());
                }
            }
        }
        out
    }

    /// The schemas of property `key` of an object at `schemas`, and whether any declares it
    /// (by name, or by an explicit `additionalProperties` schema).
    pub fn property<'a>(&'a self, schemas: &[&'a Value], key: &str) -> (Vec<&'a Value>, bool) {
        let mut out = Vec::new();
        let mut declared = false;
        for schema in self.expand(schemas) {
            if let Some(property) = schema.get("properties").and_then(|p| p.get(key)) {
                out.push(property);
                declared = true;
            } else if let Some(extra) = schema.get("additionalProperties") {
                if extra.is_object() || extra == &Value::Bool(true) {
                    declared = true;
                }
                if extra.is_object() {
                    out.push(extra);
                }
            }
        }
        (out, declared)
    }

    /// The schemas of an array's items at `schemas`.
    pub fn items<'a>(&'a self, schemas: &[&'a Value]) -> Vec<&'a Value> {
        self.expand(schemas).into_iter().filter_map(|s| s.get("items")).collect()
    }

    /// Whether a string at `schemas` is a date-time, so that it is compared as an instant.
    pub fn is_date_time(&self, schemas: &[&Value]) -> bool {
        self.expand(schemas).iter().any(|s| s.get("format").and_then(Value::as_str) == Some("date-time"))
    }
}

/// OpenAPI 3.0's schema dialect to JSON Schema 2020-12, in place, over the whole document:
/// `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, and keywords that only annotate.
fn convert(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                convert(child);
            }
            convert_schema(map);
        }
        Value::Array(items) => items.iter_mut().for_each(convert),
        _ => {}
    }
}

fn convert_schema(map: &mut Map<String, Value>) {
    for (flag, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Bool(exclusive)) = map.get(flag).cloned() {
            map.remove(flag);
            if exclusive {
                if let Some(limit) = map.remove(bound) {
                    map.insert(flag.into(), limit);
                }
            }
        }
    }
    // OpenAPI's `example`, `discriminator` and `xml` are unknown keywords to JSON Schema,
    // which ignores them; only `nullable` changes what is valid.
    if map.get("nullable") == Some(&Value::Bool(true)) {
        map.remove("nullable");
        match map.get_mut("type") {
            Some(Value::String(t)) => {
                let t = t.clone();
                map.insert("type".into(), Value::Array(vec![Value::String(t), Value::String("null".into())]));
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            _ => {
                let inner = Value::Object(std::mem::take(map));
                map.insert("anyOf".into(), Value::Array(vec![inner, serde_json::json!({"type": "null"})]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nullable_and_exclusive_bounds_become_json_schema() {
        let mut doc = Doc::new(json!({
            "components": {"schemas": {
                "N": {"type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true},
                "R": {"$ref": "#/components/schemas/N"},
            }}
        }));
        assert_eq!(doc.validate("#/components/schemas/R", &json!(null)), Some(Ok(())));
        assert_eq!(doc.validate("#/components/schemas/R", &json!(2)), Some(Ok(())));
        assert!(matches!(doc.validate("#/components/schemas/R", &json!(1)), Some(Err(_))));
        assert!(matches!(doc.validate("#/components/schemas/R", &json!("x")), Some(Err(_))));
    }

    #[test]
    fn properties_are_found_through_references_and_compositions() {
        let doc = Doc::new(json!({
            "components": {"schemas": {
                "A": {"properties": {"a": {"type": "string"}}},
                "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "properties": {"b": {"type": "string", "format": "date-time"}}},
            }}
        }));
        let b = doc.at("#/components/schemas/B").unwrap();
        assert!(doc.property(&[b], "a").1);
        assert!(!doc.property(&[b], "c").1);
        let (schemas, _) = doc.property(&[b], "b");
        assert!(doc.is_date_time(&schemas));
    }
}
