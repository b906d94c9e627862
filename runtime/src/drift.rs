//! Drift: what recorded responses hold that the document does not declare. The generator
//! writes what each operation declares (statuses, media types, and the shapes of JSON bodies
//! as JSON) into the crate's `doubles` module; this walks recorded bodies against it.
// A crate whose document declares no JSON body uses part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::record::RecordedExchange;

/// How deep the walk follows references without entering the value: a guard against a
/// document whose aliases name each other.
const MAX_DEPTH: usize = 256;

/// One thing a recorded response holds that the document does not declare.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Drift {
    /// The operation's `operationId`, as recorded.
    pub operation: String,
    /// The response's status.
    pub status: u16,
    /// What differs.
    pub kind: DriftKind,
}

/// What a [`Drift`] is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DriftKind {
    /// The operation declares no response for the status.
    UndocumentedStatus,
    /// The response for the status declares no such media type.
    UndocumentedContentType {
        /// The `Content-Type` recorded (`-` when there was none).
        content_type: String,
    },
    /// An object has a property its schema does not declare (nor allows as additional).
    UndeclaredProperty {
        /// The object's place in the body, as a JSON pointer (`/items/0`).
        place: String,
        /// The property's name.
        name: String,
    },
    /// A string enum has a value its schema does not list.
    UnknownEnumValue {
        /// The value's place in the body, as a JSON pointer.
        place: String,
        /// The value.
        value: String,
    },
    /// A body documented as JSON that does not parse.
    InvalidJson {
        /// Why.
        message: String,
    },
    /// The document has no operation of the recorded name.
    UnknownOperation,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (operation, status) = (&self.operation, self.status);
        match &self.kind {
            DriftKind::UndocumentedStatus => write!(f, "{operation}: undocumented status {status}"),
            DriftKind::UndocumentedContentType { content_type } => {
                write!(f, "{operation}: status {status}: undocumented content type {content_type:?}")
            }
            DriftKind::UndeclaredProperty { place, name } => {
                write!(f, "{operation}: status {status}: undeclared property {name:?} in the object at {}", at(place))
            }
            DriftKind::UnknownEnumValue { place, value } => {
                write!(f, "{operation}: status {status}: unknown enum value {value:?} at {}", at(place))
            }
            DriftKind::InvalidJson { message } => {
                write!(f, "{operation}: status {status}: body is not JSON: {message}")
            }
            DriftKind::UnknownOperation => write!(f, "{operation}: no operation of this id in the document"),
        }
    }
}

fn at(place: &str) -> &str {
    if place.is_empty() {
        "the body's root"
    } else {
        place
    }
}

/// Every drift of a recording, each once, sorted by operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DriftReport {
    /// The drifts found.
    pub drifts: Vec<Drift>,
}

impl DriftReport {
    /// Whether the recording holds nothing the document does not declare.
    pub fn is_clean(&self) -> bool {
        self.drifts.is_empty()
    }
}

impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for drift in &self.drifts {
            writeln!(f, "{drift}")?;
        }
        Ok(())
    }
}

/// What the document declares, as the generator writes it.
#[derive(Debug, Deserialize)]
struct Shape {
    operations: BTreeMap<String, Vec<DeclaredResponse>>,
    types: BTreeMap<String, TypeShape>,
}

#[derive(Debug, Deserialize)]
struct DeclaredResponse {
    /// `200`, `4XX` or `default`.
    status: String,
    #[serde(default)]
    media: Vec<String>,
    #[serde(default)]
    body: Option<Ty>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum TypeShape {
    Object {
        #[serde(default)]
        properties: BTreeMap<String, Ty>,
        /// Whether properties beyond those are allowed (`additionalProperties`).
        #[serde(default)]
        extra: bool,
        /// Types whose properties are flattened into the object (an `allOf` union).
        #[serde(default)]
        flatten: Vec<Ty>,
    },
    Enum(Vec<String>),
    Union(Vec<Ty>),
    Alias(Ty),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Ty {
    /// `string`, `integer`, `any`, …: nothing in them can drift but an enum's value.
    Scalar(String),
    Compound(Compound),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Compound {
    Ref(String),
    Array(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    Nullable(Box<Ty>),
}

/// The drifts of `exchanges` from the document `shape` describes (the text the crate's
/// `doubles` module holds). `Err` when `shape` is not such a description.
pub fn check(shape: &str, exchanges: &[RecordedExchange]) -> Result<DriftReport, String> {
    let shape: Shape = serde_json::from_str(shape).map_err(|e| format!("not a description of a document: {e}"))?;
    let mut drifts = Vec::new();
    for exchange in exchanges {
        shape.exchange(exchange, &mut drifts);
    }
    drifts.sort();
    drifts.dedup();
    Ok(DriftReport { drifts })
}

impl Shape {
    fn exchange(&self, exchange: &RecordedExchange, out: &mut Vec<Drift>) {
        let status = exchange.response.status;
        let drift = |kind| Drift { operation: exchange.operation.clone(), status, kind };
        let Some(responses) = self.operations.get(&exchange.operation) else {
            out.push(drift(DriftKind::UnknownOperation));
            return;
        };
        let code = status.to_string();
        let range = format!("{}XX", status / 100);
        let declared = responses
            .iter()
            .find(|r| r.status == code)
            .or_else(|| responses.iter().find(|r| r.status.eq_ignore_ascii_case(&range)))
            .or_else(|| responses.iter().find(|r| r.status == "default"));
        let Some(declared) = declared else {
            out.push(drift(DriftKind::UndocumentedStatus));
            return;
        };
        let body = exchange.response.body.bytes();
        if body.is_empty() {
            return;
        }
        let content_type = exchange.response.header("content-type").unwrap_or("-");
        let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if !declared.media.iter().any(|m| media_matches(m, &essence)) {
            out.push(drift(DriftKind::UndocumentedContentType { content_type: content_type.to_string() }));
            return;
        }
        let (Some(ty), true) = (&declared.body, essence.ends_with("json")) else { return };
        match serde_json::from_slice::<Value>(&body) {
            Ok(value) => {
                let mut found = Vec::new();
                self.walk(&value, ty, &mut String::new(), 0, &mut found);
                out.extend(found.into_iter().map(drift));
            }
            Err(e) => out.push(drift(DriftKind::InvalidJson { message: e.to_string() })),
        }
    }

    /// Adds to `out` what `value`, at `place`, holds that `ty` does not declare.
    fn walk(&self, value: &Value, ty: &Ty, place: &mut String, depth: usize, out: &mut Vec<DriftKind>) {
        if depth > MAX_DEPTH {
            return;
        }
        let Ty::Compound(compound) = ty else { return };
        let depth = depth + 1;
        match (compound, value) {
            (Compound::Nullable(_), Value::Null) => {}
            (Compound::Nullable(inner), _) => self.walk(value, inner, place, depth, out),
            (Compound::Array(item), Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    within(place, &i.to_string(), |place| self.walk(v, item, place, depth, out));
                }
            }
            (Compound::Tuple(types), Value::Array(items)) => {
                for (i, (v, item)) in items.iter().zip(types).enumerate() {
                    within(place, &i.to_string(), |place| self.walk(v, item, place, depth, out));
                }
            }
            (Compound::Map(item), Value::Object(map)) => {
                for (k, v) in map {
                    within(place, k, |place| self.walk(v, item, place, depth, out));
                }
            }
            (Compound::Ref(name), _) => self.named(value, name, place, depth, out),
            // A value of another type than declared: decoding says so; drift is about what
            // the document does not list.
            _ => {}
        }
    }

    fn named(&self, value: &Value, name: &str, place: &mut String, depth: usize, out: &mut Vec<DriftKind>) {
        let Some(shape) = self.types.get(name) else { return };
        match (shape, value) {
            (TypeShape::Alias(ty), _) => self.walk(value, ty, place, depth, out),
            (TypeShape::Enum(values), Value::String(s)) if !values.contains(s) => {
                out.push(DriftKind::UnknownEnumValue { place: place.clone(), value: s.clone() });
            }
            (TypeShape::Enum(_), _) => {}
            (TypeShape::Union(variants), _) => {
                // The member that fits best: the fewest drifts.
                let best = variants
                    .iter()
                    .map(|ty| {
                        let mut found = Vec::new();
                        self.walk(value, ty, place, depth, &mut found);
                        found
                    })
                    .min_by_key(Vec::len);
                out.extend(best.unwrap_or_default());
            }
            (TypeShape::Object { properties, extra, flatten }, Value::Object(map)) => {
                for (key, v) in map {
                    let declared =
                        properties.get(key).or_else(|| flatten.iter().find_map(|ty| self.declares(ty, key, depth)));
                    match declared {
                        Some(ty) => within(place, key, |place| self.walk(v, ty, place, depth, out)),
                        None if *extra => {}
                        None => out.push(DriftKind::UndeclaredProperty { place: place.clone(), name: key.clone() }),
                    }
                }
            }
            (TypeShape::Object { .. }, _) => {}
        }
    }

    /// The type of the property `key` when `ty` (flattened into an object) declares it.
    fn declares(&self, ty: &Ty, key: &str, depth: usize) -> Option<&Ty> {
        let Ty::Compound(Compound::Ref(name)) = ty else { return None };
        if depth > MAX_DEPTH {
            return None;
        }
        match self.types.get(name)? {
            TypeShape::Object { properties, flatten, .. } => {
                properties.get(key).or_else(|| flatten.iter().find_map(|ty| self.declares(ty, key, depth + 1)))
            }
            TypeShape::Union(variants) => variants.iter().find_map(|ty| self.declares(ty, key, depth + 1)),
            TypeShape::Alias(ty) => self.declares(ty, key, depth + 1),
            TypeShape::Enum(_) => None,
        }
    }
}

/// Runs `f` with `place` extended by the JSON pointer token `token`, then restores it.
fn within(place: &mut String, token: &str, f: impl FnOnce(&mut String)) {
    let len = place.len();
    place.push('/');
    place.push_str(&token.replace('~', "~0").replace('/', "~1"));
    f(place);
    place.truncate(len);
}

/// Whether the declared media type `declared` (`application/json`, `text/*`, `*/*`) covers
/// `essence`, a type without its parameters, in lower case.
fn media_matches(declared: &str, essence: &str) -> bool {
    let declared = declared.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    declared == essence
        || declared == "*/*"
        || declared.strip_suffix("/*").is_some_and(|kind| essence.split('/').next() == Some(kind))
}
