//! The spec's schemas as the judge reads them: references followed, OpenAPI 3.0's dialect
//! turned into JSON Schema for validation, and the schemas that apply at a place of a value.

use std::collections::HashMap;

use serde_json::Value;

/// The bundled document (every reference local), as JSON.
pub struct Doc {
    pub raw: Value,
    /// The document with every schema in JSON Schema's dialect, for the validator.
    converted: Value,
    /// Validators by schema pointer, or why the schema did not compile.
    validators: HashMap<String, Result<jsonschema::Validator, String>>,
}

impl Doc {
    pub fn new(raw: Value) -> Self {
        let mut converted = raw.clone();
        generator::json_schema::convert(&mut converted);
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

    /// Whether `value` is valid against the schema at `pointer`; `Err` says why the schema
    /// could not be compiled (then the judge does not take sides).
    pub fn validate(&mut self, pointer: &str, value: &Value) -> Result<Result<(), String>, String> {
        let converted = &self.converted;
        let validator = self.validators.entry(pointer.to_string()).or_insert_with(|| {
            let mut root = converted.clone();
            let object = root.as_object_mut().ok_or("the document is not an object")?;
            let fragment = generator::json_schema::fragment(pointer.strip_prefix('#').unwrap_or(pointer));
            object.insert("$ref".into(), Value::String(format!("#{fragment}")));
            jsonschema::options().with_draft(jsonschema::Draft::Draft202012).build(&root).map_err(|e| e.to_string())
        });
        let validator = validator.as_ref().map_err(|e| e.clone())?;
        Ok(match validator.iter_errors(value).next() {
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

    /// The schemas of property `key` of an object at `schemas`: its declarations, and an
    /// explicit `additionalProperties` schema where it is not declared.
    pub fn property<'a>(&'a self, schemas: &[&'a Value], key: &str) -> Vec<&'a Value> {
        self.expand(schemas)
            .into_iter()
            .filter_map(|schema| match schema.get("properties").and_then(|p| p.get(key)) {
                Some(property) => Some(property),
                None => schema.get("additionalProperties").filter(|e| e.is_object()),
            })
            .collect()
    }

    /// Whether some schema at `schemas` declares property `key` with a type that `value` has:
    /// a union member declaring `call_id` as a string does not declare the number a sibling
    /// member leaves undeclared.
    pub fn declares(&self, schemas: &[&Value], key: &str, value: &Value) -> bool {
        self.expand(schemas).into_iter().any(|schema| {
            let declared = match schema.get("properties").and_then(|p| p.get(key)) {
                Some(property) => Some(property),
                None => schema.get("additionalProperties").filter(|e| e.is_object() || **e == Value::Bool(true)),
            };
            declared.is_some_and(|property| self.admits_type(property, value))
        })
    }

    /// Whether `value`'s JSON type is one `schema` (or any schema it is made of) allows.
    fn admits_type(&self, schema: &Value, value: &Value) -> bool {
        let kind = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let parts = self.expand(&[schema]);
        let types: Vec<&str> = parts.iter().filter_map(|s| s.get("type").and_then(Value::as_str)).collect();
        types.is_empty() || types.iter().any(|t| *t == kind || (*t == "number" && kind == "integer"))
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
        assert_eq!(doc.validate("#/components/schemas/R", &json!(null)), Ok(Ok(())));
        assert_eq!(doc.validate("#/components/schemas/R", &json!(2)), Ok(Ok(())));
        assert!(matches!(doc.validate("#/components/schemas/R", &json!(1)), Ok(Err(_))));
        assert!(matches!(doc.validate("#/components/schemas/R", &json!("x")), Ok(Err(_))));
        let mut doc = Doc::new(json!({"s": {"type": "integer", "format": "uint16"}}));
        assert!(matches!(doc.validate("#/s", &json!(936712)), Ok(Err(_))));
        assert_eq!(doc.validate("#/s", &json!(65535)), Ok(Ok(())));
        // A pointer through a path template is percent-encoded as a URI fragment.
        let mut doc = Doc::new(json!({"paths": {"/a/{id}": {"get": {"x": {"type": "integer"}}}}}));
        assert_eq!(doc.validate("#/paths/~1a~1{id}/get/x", &json!(1)), Ok(Ok(())));
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
        assert!(doc.declares(&[b], "a", &json!("x")));
        assert!(!doc.declares(&[b], "c", &json!("x")));
        let schemas = doc.property(&[b], "b");
        assert!(doc.is_date_time(&schemas));
    }
}
