//! The round trip of the document's examples, which the generated `examples` tests run: each
//! decodes into its type and encodes back to the same JSON.
//!
//! "The same" is what JSON itself distinguishes and the types keep. A number is compared by
//! its value (`10` read into an `f64` is written `10.0`), and a property that is `null` on one
//! side and absent on the other is the same: an optional property that may not be `null` reads
//! a `null` as `None`, which is not written, and a required one that may be `null` reads an
//! absent value as `None`, which is written as `null`. Anything else that differs fails.
#![cfg(test)]
// A crate split into features compiles tests for the examples of the features that are on, and
// may have none.
#![allow(dead_code)]

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Panics, saying why, unless the example `json` decodes as `T` and encodes back to the same.
pub(crate) fn round_trip<T: DeserializeOwned + Serialize>(json: &str) {
    if let Err(why) = check::<T>(json) {
        panic!("{why}");
    }
}

/// Why the example `json` does not decode as `T` and encode back to the same, if it does not.
pub(crate) fn check<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let expected: Value = serde_json::from_str(json).map_err(|e| format!("the example is not JSON: {e}\n{json}"))?;
    let decoded: T =
        serde_json::from_value(expected.clone()).map_err(|e| format!("the example does not decode: {e}\n{json}"))?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| format!("the value does not encode: {e}"))?;
    if !equivalent(&encoded, &expected) {
        return Err(format!("the example does not encode back to itself\n encoded: {encoded}\n example: {expected}"));
    }
    Ok(())
}

/// Whether `a` and `b` are the same JSON, numbers by value and `null` as good as absent.
pub(crate) fn equivalent(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(x), Some(y), _, _) => x == y,
            (_, _, Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| equivalent(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            let member =
                |object: &serde_json::Map<String, Value>, key: &str| object.get(key).unwrap_or(&Value::Null).clone();
            x.keys().chain(y.keys()).all(|key| equivalent(&member(x, key), &member(y, key)))
        }
        _ => a == b,
    }
}
