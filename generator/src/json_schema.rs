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
    walk("", value, null_members);
    walk("", value, convert_schema);
}

/// Whether a schema is a bare `nullable: true` (with a description or title at most).
fn bare_nullable(map: &Map<String, Value>) -> bool {
    map.get("nullable") == Some(&Value::Bool(true))
        && map.keys().all(|k| matches!(k.as_str(), "nullable" | "description" | "title"))
}

/// A bare `nullable: true` member of a union is its `null`, as lowering reads it (and as the
/// document's normalisation writes 3.1's `type: "null"`); anywhere else it admits anything.
fn null_members(map: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        for member in map.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(member) = member.as_object_mut().filter(|m| bare_nullable(m)) {
                member.remove("nullable");
                member.insert("type".into(), Value::String("null".into()));
            }
        }
    }
}

/// Keys whose value maps names to schemas: its keys are names, not keywords.
const NAME_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"];

/// Calls `rewrite` on every schema object of `value` (the value of `key`), innermost first,
/// leaving data and extensions alone and reading the keys of name maps as names.
fn walk(key: &str, value: &mut Value, rewrite: fn(&mut Map<String, Value>)) {
    if DATA.contains(&key) || key.starts_with("x-") {
        return;
    }
    match value {
        Value::Object(map) if NAME_MAPS.contains(&key) => map.values_mut().for_each(|child| walk("", child, rewrite)),
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                walk(key, child, rewrite);
            }
            rewrite(map);
        }
        Value::Array(items) => items.iter_mut().for_each(|child| walk("", child, rewrite)),
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
    // Outside a union (see `null_members`), a bare `nullable: true` constrains nothing: the
    // generated type is any JSON value.
    if bare_nullable(map) {
        map.remove("nullable");
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

/// Reads every `oneOf` of `root` as an `anyOf`, as the generated client does: a union takes the
/// member that keeps the whole value, and documents write `oneOf` for members that overlap (a
/// number or an integer, a version 1 or 2 of a body, members told apart by a discriminator).
pub fn one_of_as_any_of(value: &mut Value) {
    walk("", value, |map| {
        let Some(members) = map.remove("oneOf") else { return };
        match map.remove("anyOf") {
            // Beside an `anyOf` of its own, both must hold.
            Some(other) => {
                let both = [serde_json::json!({"anyOf": members}), serde_json::json!({"anyOf": other})];
                match map.get_mut("allOf").and_then(Value::as_array_mut) {
                    Some(all) => all.extend(both),
                    None => {
                        map.insert("allOf".into(), Value::Array(both.into()));
                    }
                }
            }
            None => {
                map.insert("anyOf".into(), members);
            }
        }
    });
}

/// Closes the objects of `root` (converted already) that the generated types close: an object
/// with `properties` and no `additionalProperties` is a struct, which drops any other property,
/// so such a schema gets `unevaluatedProperties: false` (properties its `allOf`, `anyOf` or
/// `oneOf` declare count as evaluated). The members of an `allOf`, inline or by `$ref`, are
/// left open: they merge into their parent's struct, which is closed instead. Returns the
/// pointers of those left open that are closed when they stand alone (a component that is
/// also an example's own type), for the caller to close at the top.
pub fn close_objects(root: &mut Value) -> std::collections::HashSet<String> {
    let mut merged = std::collections::HashSet::new();
    merged_targets(root, root, &mut merged);
    close(root, "", &mut String::new(), false, &merged);
    merged.retain(|pointer| root.pointer(pointer).and_then(Value::as_object).is_some_and(closable));
    merged
}

/// The pointers (`/components/schemas/A`) that merge into a parent's struct: `allOf` members,
/// and the members of a union that is itself an `allOf` member or stands beside properties
/// (a flattened field of the parent).
fn merged_targets(value: &Value, root: &Value, out: &mut std::collections::HashSet<String>) {
    fn target(member: &Value) -> Option<&str> {
        member.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'))
    }
    fn union_members(schema: &Value) -> impl Iterator<Item = &Value> {
        ["anyOf", "oneOf"].into_iter().filter_map(|k| schema.get(k).and_then(Value::as_array)).flatten()
    }
    match value {
        Value::Object(map) => {
            for member in map.get("allOf").and_then(Value::as_array).into_iter().flatten() {
                let resolved = match target(member) {
                    Some(pointer) => {
                        out.insert(pointer.to_string());
                        root.pointer(pointer).unwrap_or(member)
                    }
                    None => member,
                };
                out.extend(union_members(resolved).filter_map(target).map(str::to_string));
            }
            if map.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty()) {
                out.extend(union_members(value).filter_map(target).map(str::to_string));
            }
            map.values().for_each(|child| merged_targets(child, root, out));
        }
        Value::Array(items) => items.iter().for_each(|child| merged_targets(child, root, out)),
        _ => {}
    }
}

/// Whether a schema is one the generated types close: a struct of its properties (and its
/// `allOf` members') with no extra-properties map.
fn closable(map: &Map<String, Value>) -> bool {
    (map.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty()) || map.contains_key("allOf"))
        && !map.contains_key("additionalProperties")
        && !map.contains_key("unevaluatedProperties")
}

fn close(value: &mut Value, key: &str, at: &mut String, member: bool, merged: &std::collections::HashSet<String>) {
    if DATA.contains(&key) || key.starts_with("x-") {
        return;
    }
    let names = NAME_MAPS.contains(&key);
    match value {
        Value::Object(map) => {
            let merges = member || merged.contains(at.as_str());
            // A union's members flatten into the struct of the object they stand in.
            let flattens = merges || map.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
            if !names && !merges && closable(map) {
                map.insert("unevaluatedProperties".into(), Value::Bool(false));
            }
            for (child_key, child) in map.iter_mut() {
                let len = at.len();
                at.push('/');
                at.push_str(&crate::diagnostic::escape(child_key));
                let child_key = if names { "" } else { child_key.as_str() };
                match child {
                    Value::Array(items)
                        if child_key == "allOf" || (flattens && matches!(child_key, "anyOf" | "oneOf")) =>
                    {
                        for (i, item) in items.iter_mut().enumerate() {
                            let len = at.len();
                            at.push_str(&format!("/{i}"));
                            close(item, "", at, true, merged);
                            at.truncate(len);
                        }
                    }
                    _ => close(child, child_key, at, false, merged),
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                close(item, "", at, false, merged);
                at.truncate(len);
            }
        }
        _ => {}
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
        assert_eq!(converted(json!({"nullable": true, "description": "any"})), json!({"description": "any"}));
        assert_eq!(
            converted(json!({"oneOf": [{"type": "string"}, {"nullable": true}]})),
            json!({"oneOf": [{"type": "string"}, {"type": "null"}]})
        );
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
    fn objects_that_become_structs_are_closed_but_not_the_members_they_merge() {
        let mut root = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"a": {"type": "string"}}},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"b": {"type": "object", "properties": {"c": {}}}}}]},
            "Open": {"type": "object", "properties": {"a": {}}, "additionalProperties": true},
            "Union": {"anyOf": [{"properties": {"a": {}}}, {"type": "string"}]},
            "Any": {"type": "object"},
            "Cat": {"properties": {"meow": {}}},
            "Animal": {"allOf": [{"$ref": "#/components/schemas/A"}, {"oneOf": [{"$ref": "#/components/schemas/Cat"}]}]},
            "Beside": {"properties": {"id": {}}, "anyOf": [{"properties": {"x": {}}}]}
        }}});
        let open = close_objects(&mut root);
        let mut open: Vec<String> = open.into_iter().collect();
        open.sort();
        assert_eq!(open, ["/components/schemas/A", "/components/schemas/Cat"]);
        let schemas = &root["components"]["schemas"];
        let closed = |schema: &Value| schema.get("unevaluatedProperties") == Some(&json!(false));
        // `A` is an `allOf` member: `B`, the struct it merges into, is closed instead.
        assert!(!closed(&schemas["A"]));
        assert!(closed(&schemas["B"]));
        assert!(!closed(&schemas["B"]["allOf"][1]));
        assert!(closed(&schemas["B"]["allOf"][1]["properties"]["b"]));
        assert!(!closed(&schemas["Open"]));
        assert!(closed(&schemas["Union"]["anyOf"][0]));
        assert!(!closed(&schemas["Any"]));
        // A union's members flatten into the struct beside them, which is closed instead.
        assert!(!closed(&schemas["Cat"]));
        assert!(closed(&schemas["Animal"]));
        assert!(closed(&schemas["Beside"]));
        assert!(!closed(&schemas["Beside"]["anyOf"][0]));
    }

    #[test]
    fn one_of_is_read_as_any_of() {
        let mut schema = json!({
            "oneOf": [{"type": "number"}, {"type": "integer"}],
            "properties": {"p": {"oneOf": [{}], "anyOf": [{}]}, "oneOf": {"type": "string"}}
        });
        one_of_as_any_of(&mut schema);
        assert_eq!(
            schema,
            json!({
                "anyOf": [{"type": "number"}, {"type": "integer"}],
                "properties": {"p": {"allOf": [{"anyOf": [{}]}, {"anyOf": [{}]}]}, "oneOf": {"type": "string"}}
            })
        );
    }

    #[test]
    fn pointers_become_uri_fragments() {
        assert_eq!(fragment("/paths/~1a~1{id}/get"), "/paths/~1a~1%7Bid%7D/get");
    }
}
