//! Decoding of unions without a discriminator (`oneOf`/`anyOf`).
//!
//! serde's `#[serde(untagged)]` takes the first variant that decodes, and a variant that
//! accepts anything (a string enum keeping unknown values, a struct with no required
//! property) then swallows values meant for a later one and drops what it has no field for.
//! Here every variant is tried on the buffered value: the first that decodes without putting
//! a string in an enum's `Other` variant and encodes back with every property of the input
//! wins; otherwise the one that keeps the most properties, preferring variants that needed no
//! `Other`, the earlier on a tie. The generator lists the variants most specific first.
// An API without string enums or untagged unions uses only part of this.
#![allow(dead_code)]

use std::cell::Cell;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

thread_local! {
    /// Whether an unknown string must fail to decode rather than go to an `Other` variant:
    /// true while a union tries its variants strictly. Decoding never leaves the thread.
    static STRICT: Cell<bool> = const { Cell::new(false) };
}

/// Sets the strict flag for as long as it lives, and restores the previous one after (also
/// when decoding unwinds).
struct Strict(bool);

impl Strict {
    fn set(strict: bool) -> Self {
        Strict(STRICT.with(|s| s.replace(strict)))
    }
}

impl Drop for Strict {
    fn drop(&mut self) {
        STRICT.with(|s| s.set(self.0));
    }
}

fn is_strict() -> bool {
    STRICT.with(Cell::get)
}

/// Whether a value this client does not know may be kept as it came (a tagged union's
/// `Other`): not while an enclosing union tries its variants strictly.
pub(crate) fn lenient() -> bool {
    !is_strict()
}

/// A string enum: `known` gives the variant of a value it knows, `other` keeps one it does
/// not, unless a union is trying its variants strictly and this one would only fit by not
/// knowing the value.
pub(crate) fn string_enum<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    known: fn(&str) -> Option<T>,
    other: fn(String) -> T,
) -> Result<T, D::Error> {
    let value = String::deserialize(deserializer)?;
    if let Some(variant) = known(&value) {
        return Ok(variant);
    }
    if is_strict() {
        return Err(D::Error::custom(format!("unknown value {value:?}")));
    }
    Ok(other(value))
}

/// One variant of a union tried on a value: the decoded union and what it encodes back to,
/// or `None` if the value is not that variant.
pub(crate) type Attempt<T> = Option<(T, Value)>;

/// Tries `value` as the variant type `V`, which `wrap` turns into the union.
pub(crate) fn variant<V, T>(value: &Value, wrap: fn(V) -> T) -> Attempt<T>
where
    V: DeserializeOwned + Serialize,
{
    let decoded = V::deserialize(value).ok()?;
    let encoded = serde_json::to_value(&decoded).ok()?;
    Some((wrap(decoded), encoded))
}

/// Decodes the union `name` from its variants, most specific first; `null` is `null_variant`
/// when the union has one.
pub(crate) fn decode<'de, D, T>(
    deserializer: D,
    name: &str,
    null_variant: Option<T>,
    variants: &[fn(&Value) -> Attempt<T>],
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        if let Some(null) = null_variant {
            return Ok(null);
        }
    }
    choose(&value, variants)
        .ok_or_else(|| D::Error::custom(format!("data did not match any variant of untagged enum {name}")))
}

/// The variant that keeps the whole value, else the one that keeps the most of it.
fn choose<T>(value: &Value, variants: &[fn(&Value) -> Attempt<T>]) -> Option<T> {
    // Inside a strict attempt of an enclosing union, a lenient one here would let the
    // enclosing union take a value it only fits through `Other`.
    let lenient_allowed = !is_strict();
    // (properties dropped, needed `Other`), lowest wins; the earliest on a tie.
    let mut best: Option<((usize, bool), T)> = None;
    for try_variant in variants {
        let strict = {
            let _strict = Strict::set(true);
            try_variant(value)
        };
        let mut attempt = strict.map(|(decoded, encoded)| ((dropped(value, &encoded), false), decoded));
        if let Some(((0, false), decoded)) = attempt {
            return Some(decoded);
        }
        if lenient_allowed && attempt.as_ref().is_none_or(|(score, _)| score.0 > 0) {
            let lenient = {
                let _lenient = Strict::set(false);
                try_variant(value)
            };
            if let Some((decoded, encoded)) = lenient {
                let score = (dropped(value, &encoded), true);
                if attempt.as_ref().is_none_or(|(current, _)| score < *current) {
                    attempt = Some((score, decoded));
                }
            }
        }
        if let Some((score, decoded)) = attempt {
            if best.as_ref().is_none_or(|(current, _)| score < *current) {
                best = Some((score, decoded));
            }
        }
    }
    best.map(|(_, decoded)| decoded)
}

/// How many properties of `input` (at any depth, `null`s aside) are missing from `output`,
/// the value a variant encodes back to. Scalars count as kept whatever their spelling
/// (`1.0` for `1`, another offset for a date-time): only properties can be lost.
fn dropped(input: &Value, output: &Value) -> usize {
    match (input, output) {
        (Value::Object(input), Value::Object(output)) => input
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(key, value)| match output.get(key) {
                Some(kept) if !kept.is_null() => dropped(value, kept),
                _ => 1 + properties(value),
            })
            .sum(),
        (Value::Object(_), _) => properties(input),
        (Value::Array(input), Value::Array(output)) => {
            let missing: usize = input.iter().skip(output.len()).map(|v| 1 + properties(v)).sum();
            input.iter().zip(output).map(|(i, o)| dropped(i, o)).sum::<usize>() + missing
        }
        (Value::Array(items), _) => items.iter().map(|v| 1 + properties(v)).sum(),
        _ => 0,
    }
}

/// The properties of a value, at any depth, `null`s aside.
fn properties(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.values().filter(|v| !v.is_null()).map(|v| 1 + properties(v)).sum(),
        Value::Array(items) => items.iter().map(properties).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A string enum as the generator writes one.
    #[derive(Debug, PartialEq)]
    enum Kind {
        A,
        Other(String),
    }

    impl Kind {
        fn known(value: &str) -> Option<Self> {
            (value == "a").then_some(Kind::A)
        }
    }

    impl Serialize for Kind {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(match self {
                Kind::A => "a",
                Kind::Other(value) => value,
            })
        }
    }

    impl<'de> Deserialize<'de> for Kind {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            string_enum(deserializer, Kind::known, Kind::Other)
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Loose {
        kind: Kind,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Full {
        kind: String,
        extra: i64,
    }

    #[derive(Debug, PartialEq)]
    enum Union {
        Loose(Loose),
        Full(Full),
        Null,
    }

    fn decode_union(value: Value) -> Result<Union, serde_json::Error> {
        decode(value, "Union", Some(Union::Null), &[|v| variant(v, Union::Loose), |v| variant(v, Union::Full)])
    }

    #[test]
    fn a_variant_that_drops_properties_loses_to_one_that_keeps_them() {
        let full = decode_union(json!({"kind": "b", "extra": 1})).unwrap();
        assert_eq!(full, Union::Full(Full { kind: "b".into(), extra: 1 }));
    }

    #[test]
    fn a_known_enum_value_beats_other() {
        let loose = decode_union(json!({"kind": "a"})).unwrap();
        assert_eq!(loose, Union::Loose(Loose { kind: Kind::A }));
        // Only `Loose` decodes; it keeps the value through `Other`.
        let other = decode_union(json!({"kind": "z"})).unwrap();
        assert_eq!(other, Union::Loose(Loose { kind: Kind::Other("z".into()) }));
    }

    #[test]
    fn the_variant_keeping_most_wins_when_none_keeps_all() {
        let value = json!({"kind": "a", "extra": 1, "more": {"x": 1}});
        assert_eq!(decode_union(value).unwrap(), Union::Full(Full { kind: "a".into(), extra: 1 }));
    }

    #[test]
    fn null_and_mismatches() {
        assert_eq!(decode_union(Value::Null).unwrap(), Union::Null);
        let error = decode_union(json!([1])).unwrap_err().to_string();
        assert!(error.contains("untagged enum Union"), "{error}");
        // Strictness does not outlive the union.
        assert_eq!(serde_json::from_value::<Kind>(json!("q")).unwrap(), Kind::Other("q".into()));
    }

    #[test]
    fn string_enums_keep_unknown_values_and_encode_as_they_came() {
        assert_eq!(serde_json::from_value::<Kind>(json!("a")).unwrap(), Kind::A);
        let unknown: Kind = serde_json::from_value(json!("new")).unwrap();
        assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("new"));
        // Inside other values.
        let map: std::collections::BTreeMap<String, Kind> = serde_json::from_value(json!({"k": "a"})).unwrap();
        assert_eq!(map["k"], Kind::A);
        assert!(serde_json::from_value::<Kind>(json!(1)).is_err());
        let strict = {
            let _strict = Strict::set(true);
            serde_json::from_value::<Kind>(json!("new"))
        };
        assert!(strict.is_err());
    }

    /// A value read and written back must be the one the server sent (the crate's manifest
    /// turns on serde_json's `float_roundtrip`; without it this comes back `…997`).
    #[test]
    fn floats_read_back_exactly() {
        let text = "-9636924.180668995";
        let read: f64 = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), text);
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(value.to_string(), text);
    }

    #[test]
    fn counting_dropped_properties() {
        assert_eq!(dropped(&json!({"a": 1, "b": null}), &json!({"a": 2.0})), 0);
        assert_eq!(dropped(&json!({"a": {"b": 1, "c": [{"d": 1}]}}), &json!({})), 4);
        assert_eq!(dropped(&json!([{"a": 1}, {"b": 1}]), &json!([{"a": 1}])), 2);
        assert_eq!(dropped(&json!("x"), &json!("y")), 0);
    }
}
