//! Values for requests: the spec's examples where they are valid, otherwise values made from
//! the schemas (formats, enums, bounds, lengths, patterns, required properties, compositions).
//! Seeded, so that a run is repeatable.

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde_json::{json, Map, Value};

use crate::schema::Doc;

/// How deep nested objects are filled before the synthesiser stops (recursive schemas).
const MAX_DEPTH: usize = 8;

pub struct Synth {
    rng: StdRng,
}

impl Default for Synth {
    fn default() -> Self {
        Synth { rng: StdRng::seed_from_u64(11) }
    }
}

impl Synth {
    /// A value valid against the schema at `pointer`: an example of `holder` (a parameter or
    /// media type object) when the document has a valid one, else one made from the schema.
    pub fn value_for(&mut self, doc: &mut Doc, holder: &str, schema_pointer: &str) -> Value {
        let holder = doc.at(holder).cloned().unwrap_or_default();
        let named = holder.get("examples").and_then(Value::as_object).into_iter().flatten();
        let named: Vec<Value> = named.filter_map(|(_, e)| doc.resolve(e).get("value").cloned()).collect();
        for example in holder.get("example").cloned().into_iter().chain(named) {
            if doc.validate(schema_pointer, &example) == Ok(Ok(())) {
                return example;
            }
        }
        match doc.at(schema_pointer).cloned() {
            Some(schema) => self.value(doc, &schema, 0),
            None => Value::String("value".into()),
        }
    }

    /// A value made from `schema`. Properties are those required, and at the top level also
    /// the optional ones that are not read-only, so that more of the encoding is exercised.
    pub fn value(&mut self, doc: &Doc, schema: &Value, depth: usize) -> Value {
        let schema = doc.resolve(schema);
        if let Some(value) = schema.get("const") {
            return value.clone();
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            if let Some(value) = values.iter().find(|v| !v.is_null()) {
                return value.clone();
            }
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut other = None;
            for member in members {
                match self.value(doc, member, depth) {
                    Value::Object(map) => merged.extend(map),
                    value => other = Some(value),
                }
            }
            // The schema's own properties only add to the members' (Linode repeats a member's
            // properties there with nothing but `required`).
            if let Some(Value::Object(own)) = self.object(doc, schema, depth) {
                for (key, value) in own {
                    merged.entry(key).or_insert(value);
                }
            }
            return match other {
                Some(value) if merged.is_empty() => value,
                _ => Value::Object(merged),
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = schema.get(key).and_then(Value::as_array) {
                if members.iter().all(|m| shapeless(doc.resolve(m))) {
                    // Members that only constrain (`anyOf: [{required: [a]}, {required: [b]}]`):
                    // the schema itself, with the first member's requirements.
                    let mut constrained = schema.clone();
                    if let Some(map) = constrained.as_object_mut() {
                        map.remove(key);
                        let extra = members.first().map(|m| doc.resolve(m)).and_then(|m| m.get("required")).cloned();
                        if let Some(Value::Array(extra)) = extra {
                            let required = map.entry("required").or_insert_with(|| json!([]));
                            if let Some(required) = required.as_array_mut() {
                                required.extend(extra);
                            }
                        }
                    }
                    return self.value(doc, &constrained, depth);
                }
                let chosen = members.iter().find(|m| !only_null(doc.resolve(m)));
                if let Some(member) = chosen {
                    let mut value = self.value(doc, member, depth);
                    self.tag(doc, schema, member, &mut value);
                    if let (Value::Object(map), Some(Value::Object(own))) =
                        (&mut value, self.object(doc, schema, depth))
                    {
                        for (k, v) in own {
                            map.entry(k).or_insert(v);
                        }
                    }
                    return value;
                }
            }
        }
        let ty = schema.get("type").and_then(Value::as_str).or_else(|| {
            if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
                Some("object")
            } else if schema.get("items").is_some() || schema.get("prefixItems").is_some() {
                Some("array")
            } else {
                None
            }
        });
        match ty {
            Some("object") => self.object(doc, schema, depth).unwrap_or_else(|| json!({})),
            Some("array") if schema.get("prefixItems").is_some_and(Value::is_array) => {
                let prefix = schema.get("prefixItems").and_then(Value::as_array).cloned().unwrap_or_default();
                Value::Array(prefix.iter().map(|item| self.value(doc, item, depth + 1)).collect())
            }
            Some("array") => {
                // Deeper down, arrays are left empty where they may be, so that recursive
                // schemas (a volume of sub-volumes) end.
                // Two items near the top: one item of a form array is one `key=value`,
                // which a server cannot tell from a plain string.
                let least = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let most = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
                // Items made from one schema are alike: `uniqueItems` gets as few as allowed.
                let unique = schema.get("uniqueItems") == Some(&Value::Bool(true));
                let count = match (depth >= 3, unique) {
                    (true, _) => least,
                    (false, true) => least.max(1),
                    (false, false) => least.max(2).min(most).min(least.max(4)),
                };
                let items = schema.get("items").cloned().unwrap_or(json!({"type": "string"}));
                Value::Array((0..count).map(|_| self.value(doc, &items, depth + 1)).collect())
            }
            Some("integer") => json!(integer(schema)),
            Some("number") => number(schema),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ => Value::String(self.string(schema)),
        }
    }

    /// An object's properties, or `None` when the schema declares none.
    fn object(&mut self, doc: &Doc, schema: &Value, depth: usize) -> Option<Value> {
        let properties = schema.get("properties").and_then(Value::as_object);
        let required: Vec<&str> =
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let mut out = Map::new();
        for (name, property) in properties.into_iter().flatten() {
            let resolved = doc.resolve(property);
            let read_only = resolved.get("readOnly") == Some(&Value::Bool(true));
            let wanted = required.contains(&name.as_str()) || (depth == 0 && !read_only);
            if wanted && depth < MAX_DEPTH {
                out.insert(name.clone(), self.value(doc, property, depth + 1));
            }
        }
        if properties.is_none() && out.is_empty() {
            let min = schema.get("minProperties").and_then(Value::as_u64).unwrap_or(0);
            let extra = schema.get("additionalProperties").filter(|e| e.is_object());
            if let (true, Some(extra)) = (min > 0, extra) {
                out.insert("key".into(), self.value(doc, extra, depth + 1));
            }
            return (!out.is_empty() || schema.get("type") == Some(&json!("object"))).then_some(Value::Object(out));
        }
        Some(Value::Object(out))
    }

    /// Sets a discriminated union's tag to the value that selects `member`.
    fn tag(&self, doc: &Doc, union: &Value, member: &Value, value: &mut Value) {
        let Some(discriminator) = union.get("discriminator") else { return };
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else { return };
        let Some(map) = value.as_object_mut() else { return };
        let reference = member.get("$ref").and_then(Value::as_str);
        let mapped = discriminator.get("mapping").and_then(Value::as_object).and_then(|mapping| {
            mapping.iter().find(|(_, target)| target.as_str() == reference).map(|(tag, _)| tag.clone())
        });
        // The mapping, else the one value the member's own tag property allows (what real
        // APIs send), else the schema's name.
        let declared = doc.property(&[member], property).iter().find_map(|s| {
            doc.resolve(s)
                .get("enum")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let named = || reference.and_then(|r| r.rsplit('/').next()).map(str::to_string);
        if let Some(tag) = mapped.or(declared).or_else(named) {
            map.insert(property.to_string(), Value::String(tag));
        }
    }

    fn string(&mut self, schema: &Value) -> String {
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema.get("maxLength").and_then(Value::as_u64).map(|m| m as usize);
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            if let Some(text) = self.matching(pattern, min, max) {
                return text;
            }
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        let text = match format {
            "date-time" => "2024-01-02T03:04:05Z",
            "date" => "2024-01-02",
            "time" => "03:04:05",
            "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "email" | "idn-email" => "user@example.com",
            "uri" | "url" | "uri-reference" | "iri" => "https://example.com/item",
            "hostname" | "idn-hostname" => "example.com",
            "ipv4" => "192.0.2.1",
            "ipv6" => "2001:db8::1",
            "byte" => "aGVsbG8=",
            "duration" => "P1D",
            "int32" | "int64" => "1",
            _ => "text",
        };
        let mut text = text.to_string();
        while text.chars().count() < min {
            text.push('a');
        }
        if let Some(max) = max {
            text = text.chars().take(max).collect();
        }
        text
    }

    /// A string matching a regular expression, within the length bounds, if one is found.
    fn matching(&mut self, pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
        let hir = regex_syntax_hir(pattern)?;
        let generator = rand_regex::Regex::with_hir(hir, 8).ok()?;
        for _ in 0..64 {
            // What the generator makes matches the whole pattern; JSON Schema's patterns are
            // unanchored, so a match of the whole is also a match.
            let text: String = rand::Rng::sample(&mut self.rng, &generator);
            let length = text.chars().count();
            if length >= min && max.is_none_or(|m| length <= m) {
                return Some(text);
            }
        }
        None
    }
}

/// Whether a schema only constrains and says nothing of the value's shape.
fn shapeless(schema: &Value) -> bool {
    let shaping =
        ["type", "properties", "items", "$ref", "enum", "const", "allOf", "oneOf", "anyOf", "additionalProperties"];
    !shaping.iter().any(|k| schema.get(*k).is_some())
}

/// Whether a schema admits nothing but `null`: 3.1's `type: "null"`, which the document's
/// normalisation writes as a bare `nullable: true`.
fn only_null(schema: &Value) -> bool {
    if schema.get("type") == Some(&json!("null")) {
        return true;
    }
    let shaped = ["type", "properties", "items", "allOf", "oneOf", "anyOf", "enum", "$ref", "additionalProperties"];
    schema.get("nullable") == Some(&Value::Bool(true)) && !shaped.iter().any(|k| schema.get(*k).is_some())
}

/// The pattern without its anchors (the generator makes whole strings anyway).
fn regex_syntax_hir(pattern: &str) -> Option<regex_syntax::hir::Hir> {
    let pattern = pattern.trim_start_matches('^').trim_end_matches('$');
    regex_syntax::ParserBuilder::new().unicode(false).build().parse(pattern).ok()
}

fn integer(schema: &Value) -> i64 {
    let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut low =
        bound("minimum").map(|m| if exclusive("exclusiveMinimum") { m.floor() as i64 + 1 } else { m.ceil() as i64 });
    if let Some(m) = bound("exclusiveMinimum") {
        low = Some(m.floor() as i64 + 1);
    }
    let mut high =
        bound("maximum").map(|m| if exclusive("exclusiveMaximum") { m.ceil() as i64 - 1 } else { m.floor() as i64 });
    if let Some(m) = bound("exclusiveMaximum") {
        high = Some(m.ceil() as i64 - 1);
    }
    let mut value = match (low, high) {
        (Some(low), _) => low.max(1).min(high.unwrap_or(i64::MAX)),
        (None, Some(high)) => high.min(1),
        (None, None) => 1,
    };
    if let Some(step) = schema.get("multipleOf").and_then(Value::as_i64).filter(|s| *s > 0) {
        value = (value + step - 1).div_euclid(step) * step;
    }
    value
}

fn number(schema: &Value) -> Value {
    let has_bounds = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
        .iter()
        .any(|k| schema.get(k).is_some_and(|v| v.is_number()));
    if !has_bounds && schema.get("exclusiveMinimum").is_none() {
        // A fraction, so that the client's handling of floats is exercised.
        return json!(1.5);
    }
    json!(integer(schema))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made(schema: Value) -> Value {
        let doc = Doc::new(json!({}));
        Synth::default().value(&doc, &schema, 0)
    }

    #[test]
    fn bounds_formats_and_lengths_are_kept() {
        assert_eq!(made(json!({"type": "integer", "minimum": 10, "maximum": 20})), json!(10));
        assert_eq!(made(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})), json!(1));
        assert_eq!(made(json!({"type": "integer", "maximum": -3})), json!(-3));
        assert_eq!(made(json!({"type": "integer", "minimum": 5, "multipleOf": 4})), json!(8));
        assert_eq!(made(json!({"type": "string", "format": "uuid"})), json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert_eq!(made(json!({"type": "string", "minLength": 6})), json!("textaa"));
        assert_eq!(made(json!({"type": "string", "maxLength": 2})), json!("te"));
        assert_eq!(made(json!({"type": "string", "enum": ["a", "b"]})), json!("a"));
    }

    #[test]
    fn patterns_are_matched() {
        let value = made(json!({"type": "string", "pattern": "^[A-Z]{2}[0-9]{3}$"}));
        let text = value.as_str().unwrap();
        assert_eq!(text.len(), 5, "{text}");
        assert!(text[..2].chars().all(|c| c.is_ascii_uppercase()) && text[2..].chars().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn members_that_only_constrain_add_their_requirements() {
        let value = made(json!({
            "type": "object",
            "properties": {"a": {"type": "array", "items": {"type": "string"}}, "b": {"type": "integer"}},
            "anyOf": [{"required": ["a"]}, {"required": ["b"]}]
        }));
        assert_eq!(value, json!({"a": ["text", "text"], "b": 1}));
    }

    #[test]
    fn a_discriminated_member_gets_the_tag_its_enum_allows() {
        let doc = Doc::new(json!({"components": {"schemas": {
            "Message": {"type": "object", "required": ["role"], "properties": {
                "role": {"type": "string"}, "type": {"type": "string", "enum": ["message"]}}},
            "Other": {"type": "object", "properties": {"x": {"type": "string"}}},
        }}}));
        let union = json!({"oneOf": [{"$ref": "#/components/schemas/Message"}, {"$ref": "#/components/schemas/Other"}],
            "discriminator": {"propertyName": "type"}});
        assert_eq!(Synth::default().value(&doc, &union, 1), json!({"role": "text", "type": "message"}));
    }

    #[test]
    fn a_union_with_null_gets_its_other_member() {
        assert_eq!(made(json!({"oneOf": [{"nullable": true}, {"type": "integer", "minimum": 3}]})), json!(3));
        assert_eq!(made(json!({"anyOf": [{"type": "null"}, {"type": "boolean"}]})), json!(true));
    }

    #[test]
    fn objects_get_their_required_properties_and_compositions_merge() {
        let value = made(json!({
            "allOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "boolean"}}},
                {"type": "object", "properties": {"b": {"type": "string", "readOnly": true}}}
            ]
        }));
        assert_eq!(value, json!({"a": true}));
    }
}
