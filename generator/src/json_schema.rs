//! The document's schemas as JSON Schema 2020-12, for a validator. The typed model holds them in
//! OpenAPI 3.0's dialect (3.1 documents are normalised into it when read): `nullable`, boolean
//! `exclusiveMinimum`/`exclusiveMaximum`. This turns them back, and states what the generated
//! Rust types check on top of the schema: an integer format's range (`int32` is an `i32`), and
//! the string formats that have a Rust type (`date-time`, `date`, `uuid`), the only formats
//! kept, to be asserted by the validator; any other format has no type and only annotates.

use serde_json::{Map, Value};

/// Keys whose value is data, never a schema.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const", "discriminator", "xml", "externalDocs"];

/// String formats that decode into a Rust type of their own, so a value that is not one fails.
pub const TYPED_FORMATS: &[&str] = &["date-time", "date", "uuid"];

/// Rewrites every schema in `value` (a schema, or any part of a document holding schemas) from
/// OpenAPI 3.0's dialect to JSON Schema 2020-12, in place.
pub fn convert(value: &mut Value) {
    walk("", value);
}

/// Keys whose value maps names to schemas: its keys are names, not keywords.
const NAME_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"];

fn walk(key: &str, value: &mut Value) {
    if DATA.contains(&key) || key.starts_with("x-") {
        return;
    }
    match value {
        Value::Object(map) if NAME_MAPS.contains(&key) => map.values_mut().for_each(|child| walk("", child)),
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                walk(key, child);
            }
            convert_schema(map);
        }
        Value::Array(items) => items.iter_mut().for_each(|child| walk("", child)),
        _ => {}
    }
}

fn convert_schema(map: &mut Map<String, Value>) {
    if let Some(format) = map.get("format").and_then(Value::as_str).map(str::to_string) {
        if let Some((min, max)) = integer_bounds(&format) {
            map.entry("minimum").or_insert(min);
            map.entry("maximum").or_insert(max);
        }
        if !TYPED_FORMATS.contains(&format.as_str()) {
            map.remove("format");
        }
    }
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
    // Normalisation writes 3.1's `type: "null"` as a bare `nullable: true`.
    let bare = map.keys().all(|k| matches!(k.as_str(), "nullable" | "description" | "title"));
    if bare && map.get("nullable") == Some(&Value::Bool(true)) {
        map.remove("nullable");
        map.insert("type".into(), Value::String("null".into()));
        return;
    }
    if map.remove("nullable") == Some(Value::Bool(true)) {
        match map.get("type").and_then(Value::as_str).map(str::to_string) {
            Some(ty) => {
                map.insert("type".into(), Value::Array(vec![Value::String(ty), Value::String("null".into())]));
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            None => {
                let inner = Value::Object(std::mem::take(map));
                map.insert("anyOf".into(), Value::Array(vec![inner, serde_json::json!({"type": "null"})]));
            }
        }
    }
}

/// The range of an integer format: OpenAPI's `int32`/`int64` and the sized ones the generator
/// types (`uint16` is a `u16`).
fn integer_bounds(format: &str) -> Option<(Value, Value)> {
    let signed = |min: i64, max: i64| (Value::from(min), Value::from(max));
    let unsigned = |max: u64| (Value::from(0), Value::from(max));
    Some(match format {
        "int8" => signed(i8::MIN.into(), i8::MAX.into()),
        "int16" => signed(i16::MIN.into(), i16::MAX.into()),
        "int32" => signed(i32::MIN.into(), i32::MAX.into()),
        "int64" => signed(i64::MIN, i64::MAX),
        "uint8" => unsigned(u8::MAX.into()),
        "uint16" => unsigned(u16::MAX.into()),
        "uint32" => unsigned(u32::MAX.into()),
        "uint64" | "uint" => unsigned(u64::MAX),
        _ => return None,
    })
}

/// Characters a JSON pointer may hold (from path templates, media types) that a URI fragment
/// may not.
const NOT_IN_FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'%');

/// A JSON pointer (`/paths/~1a~1{id}/…`) as the fragment of a URI, percent-encoded.
pub fn fragment(pointer: &str) -> String {
    percent_encoding::utf8_percent_encode(pointer, NOT_IN_FRAGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn converted(mut schema: Value) -> Value {
        convert(&mut schema);
        schema
    }

    #[test]
    fn openapi_30_forms_become_json_schema() {
        assert_eq!(
            converted(json!({"type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true})),
            json!({"type": ["integer", "null"], "exclusiveMinimum": 1})
        );
        assert_eq!(
            converted(json!({"type": "string", "enum": ["a"], "nullable": true})),
            json!({"type": ["string", "null"], "enum": ["a", null]})
        );
        assert_eq!(
            converted(json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})),
            json!({"anyOf": [{"allOf": [{"$ref": "#/components/schemas/A"}]}, {"type": "null"}]})
        );
        assert_eq!(converted(json!({"nullable": true, "description": "none"})), json!({"type": "null", "description": "none"}));
        assert_eq!(
            converted(json!({"type": "integer", "format": "uint8", "maximum": 9})),
            json!({"type": "integer", "minimum": 0, "maximum": 9})
        );
        // Formats without a Rust type are dropped; typed ones stay, to be asserted.
        assert_eq!(converted(json!({"type": "string", "format": "email"})), json!({"type": "string"}));
        assert_eq!(converted(json!({"type": "string", "format": "uuid"})), json!({"type": "string", "format": "uuid"}));
        // Example data is left as it is.
        let data = json!({"example": {"nullable": true, "format": "email"}, "default": {"nullable": true}});
        assert_eq!(converted(data.clone()), data);
        // Properties named like data keywords are schemas all the same.
        assert_eq!(
            converted(json!({"properties": {"default": {"type": "string", "nullable": true}}})),
            json!({"properties": {"default": {"type": ["string", "null"]}}})
        );
    }

    #[test]
    fn pointers_become_uri_fragments() {
        assert_eq!(fragment("/paths/~1a~1{id}/get"), "/paths/~1a~1%7Bid%7D/get");
    }
}
