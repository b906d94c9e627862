//! Text to a JSON value, YAML or JSON, as strictly as a document's author would expect: a
//! byte-order mark is skipped, YAML merge keys (`<<: *base`) are applied, a key written twice
//! in one mapping is an error (serde would keep one of them silently), and a YAML tag the
//! generator cannot honour (`!custom`, `!!binary`) is named where it is. Nesting is bounded by
//! the parsers' own recursion limits (128), which later stages rely on.

use serde::de::{DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Location};

/// The value of `text`, YAML or JSON (a JSON document is valid YAML, but JSON's own parser is
/// faster and its messages fit JSON better).
pub fn parse(text: &str, file: &str) -> Result<Value, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let at = |line: usize, column: usize, message: String| Diagnostic {
        file: file.into(),
        location: Location::LineColumn { line, column },
        message,
    };
    if text.trim_start().starts_with('{') {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = Loose { yaml: false }
            .deserialize(&mut deserializer)
            .and_then(|value| deserializer.end().map(|()| value))
            .map_err(|e| at(e.line(), e.column(), format!("invalid JSON: {}", strip_position(&e.to_string()))))?;
        return Ok(value);
    }
    if let Some((line, column, tag)) = crate::read::yaml_tags::first_unsupported(text) {
        return Err(at(line, column, format!("invalid YAML: the tag `{tag}` is not supported")));
    }
    Loose { yaml: true }.deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        at(line, column, format!("invalid YAML: {}", strip_position(&e.to_string())))
    })
}

/// serde's messages end with "at line L column C", which the diagnostic already shows.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A JSON value read leniently: mapping keys such as `200:` or `true:` become the strings
/// OpenAPI means, and integers beyond 64 bits (real specs use `-9223372036854776000` as a
/// bound) become floats instead of failing the whole document.
#[derive(Clone, Copy)]
struct Loose {
    /// Whether `<<` is YAML's merge key rather than a name.
    yaml: bool,
}

impl<'de> DeserializeSeed<'de> for Loose {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(Value::Null)
}

impl<'de> Visitor<'de> for Loose {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    /// serde_yaml hands a node with a local tag (`!custom`) to an enum visitor.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, _) = data.variant::<String>()?;
        Err(serde::de::Error::custom(format!("the tag `!{tag}` is not supported")))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        // Merged mappings, each after the keys written before it; the mapping's own keys win
        // wherever they are written, so they are applied once all are known.
        let mut merges: Vec<(usize, Map<String, Value>)> = Vec::new();
        while let Some(key) = map.next_key_seed(Key { seen: &out, yaml: self.yaml })? {
            match key {
                Some(key) => {
                    let value = map.next_value_seed(self)?;
                    out.insert(key, value);
                }
                None => {
                    let merged = match map.next_value_seed(self)? {
                        Value::Object(one) => vec![one],
                        Value::Array(many) if many.iter().all(Value::is_object) => {
                            many.into_iter().filter_map(|v| v.as_object().cloned()).collect()
                        }
                        _ => {
                            return Err(serde::de::Error::custom(
                                "the merge key `<<` takes a mapping or a list of mappings",
                            ))
                        }
                    };
                    merges.extend(merged.into_iter().map(|one| (out.len(), one)));
                }
            }
        }
        if merges.is_empty() {
            return Ok(Value::Object(out));
        }
        Ok(Value::Object(merge(out, merges)))
    }
}

/// The mapping `own` with `merges` applied, each where its `<<` was among `own`'s keys. A key
/// comes from the mapping itself if written there, else from the first merged mapping that has
/// it.
fn merge(own: Map<String, Value>, merges: Vec<(usize, Map<String, Value>)>) -> Map<String, Value> {
    let mut taken: std::collections::HashSet<String> = own.keys().cloned().collect();
    let contributions: Vec<(usize, Vec<(String, Value)>)> = merges
        .into_iter()
        .map(|(position, one)| (position, one.into_iter().filter(|(k, _)| taken.insert(k.clone())).collect()))
        .collect();
    let mut out = Map::new();
    let mut pending = contributions.into_iter().peekable();
    for (i, (key, value)) in own.into_iter().enumerate() {
        while let Some((_, entries)) = pending.next_if(|(position, _)| *position <= i) {
            out.extend(entries);
        }
        out.insert(key, value);
    }
    for (_, entries) in pending {
        out.extend(entries);
    }
    out
}

/// A mapping's key as a string (`None` for YAML's merge key), refused when the mapping has it
/// already: raised while the key is read, so that the error has the key's own position.
struct Key<'m> {
    seen: &'m Map<String, Value>,
    yaml: bool,
}

impl Key<'_> {
    fn check<E: serde::de::Error>(self, key: String) -> Result<Option<String>, E> {
        if self.yaml && key == "<<" {
            return Ok(None);
        }
        if self.seen.contains_key(&key) {
            return Err(E::custom(format!("duplicate key `{key}`")));
        }
        Ok(Some(key))
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string, number, boolean or null as a mapping key")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.check(v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.check(v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.check(v.to_string())
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Self::Value, E> {
        self.check(float(v as f64).to_string())
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Self::Value, E> {
        self.check(float(v as f64).to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.check(float(v).to_string())
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.check(v.to_string())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.check(v)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.check("null".into())
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.check("null".into())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        Loose { yaml: self.yaml }.visit_enum(data).map(|_| None)
    }
}
