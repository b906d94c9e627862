//! Local `$ref`s rewritten into the one spelling the later stages look up: the pointer of
//! the place itself. Bundlers write pointers percent-encoded (`#/paths/~1keys~1%7Bid%7D`,
//! RFC 6901 §6) and through other references (`#/paths/~1a/get/responses/401/content/…`
//! where `responses/401` is a `$ref`), which swagger-parser and Redocly follow; chains of
//! references to parameters, responses and the like end where the object is, since lowering
//! and hoisting look one step only. Schema components are where a chain of schemas stops, so
//! that an alias keeps its name. A chain that comes back to where it started is an error at
//! the reference; one that leads nowhere is left for lowering to report with its kind.
//!
//! A `$ref` is only read where OpenAPI allows one: inside example values, defaults, enums,
//! constants, descriptions and extensions it is data.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::diagnostic::{escape, Diagnostic};

/// Keys whose value is data, never document structure.
const DATA: &[&str] = &["example", "default", "enum", "const", "description", "mapping", "security"];

/// Whether the value under `key` of an object is data, not structure. `named` says whether
/// the object's keys are names (`properties`, `paths`, …) rather than keywords.
pub(crate) fn is_data(key: &str, named: bool) -> bool {
    !named && (DATA.contains(&key) || key.starts_with("x-"))
}

/// Rewrites every local reference of `doc` to the pointer of the place it means; the cycles
/// found are errors at the reference.
pub fn canonicalize(doc: &mut Value, file: &str) -> Vec<Diagnostic> {
    let sites = sites(doc);
    if sites.is_empty() {
        return Vec::new();
    }
    let mut resolver = Resolver { root: doc, ends: HashMap::new() };
    let mut errors = Vec::new();
    let mut rewrites = Vec::new();
    for (site, reference) in sites {
        match resolver.resolve(&reference) {
            Ok(Some(target)) if target != reference => rewrites.push((site, target)),
            Ok(_) => {}
            Err(message) => {
                errors.push(Diagnostic::at(file, format!("{site}/$ref"), format!("`$ref` {reference:?} {message}")))
            }
        }
    }
    errors.sort();
    for (site, target) in rewrites {
        if let Some(Value::Object(map)) = doc.pointer_mut(&site[1..]) {
            map.insert("$ref".into(), Value::String(target));
        }
    }
    errors
}

/// The value `fragment` (the part of a reference after `#`) points to in `root`, decoding it
/// and following the references on its way as [`canonicalize`] does; for other files' parts.
pub fn lookup<'v>(root: &'v Value, fragment: &str) -> Option<&'v Value> {
    let segments = parse(fragment).ok()?;
    let resolver = Resolver { root, ends: HashMap::new() };
    let place = resolver.locate(segments).ok()?;
    at(root, &place)
}

/// Every local `$ref` where a reference may stand, by the pointer of the object holding it.
fn sites(doc: &Value) -> Vec<(String, String)> {
    /// A step from a value to its child.
    #[derive(Clone, Copy)]
    enum Step<'v> {
        Key(&'v str),
        Index(usize),
    }
    fn pointer(path: &[Step<'_>]) -> String {
        let mut out = String::from("#");
        for step in path {
            out.push('/');
            match step {
                Step::Key(key) => out.push_str(&escape(key)),
                Step::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
    let local =
        |value: &Value| value.get("$ref").and_then(Value::as_str).filter(|r| r.starts_with('#')).map(str::to_string);
    let mut sites = Vec::new();
    // Depth-first by hand, each place's pointer made only where a reference is: bundled
    // documents nest other files' values inside each other, and most places have none.
    let mut path: Vec<Step<'_>> = Vec::new();
    let mut stack: Vec<(usize, Option<Step<'_>>, &Value, bool)> = vec![(0, None, doc, false)];
    while let Some((depth, step, value, named)) = stack.pop() {
        path.truncate(depth);
        path.extend(step);
        let depth = path.len();
        let is_container = |v: &Value| v.is_object() || v.is_array();
        match value {
            Value::Object(map) => {
                if let Some(reference) = local(value) {
                    sites.push((pointer(&path), reference));
                }
                for (key, child) in map {
                    if is_data(key, named) || (!named && key == "$ref") || !is_container(child) {
                        continue;
                    }
                    if !named && key == "examples" {
                        // Example objects (or references to them), whose values are data; a
                        // schema's list of examples is data throughout.
                        for (name, example) in child.as_object().into_iter().flatten() {
                            if let Some(reference) = local(example) {
                                path.extend([Step::Key(key), Step::Key(name)]);
                                sites.push((pointer(&path), reference));
                                path.truncate(depth);
                            }
                        }
                        continue;
                    }
                    let names = !named && crate::read::normalize::NAME_MAPS.contains(&key.as_str());
                    stack.push((depth, Some(Step::Key(key)), child, names));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().filter(|(_, child)| is_container(child)) {
                    stack.push((depth, Some(Step::Index(i)), child, false));
                }
            }
            _ => {}
        }
    }
    sites
}

/// Why a pointer leads to no place.
enum Stop {
    Nowhere,
    /// Following the references on the way met this one twice.
    Round(String),
}

struct Resolver<'v> {
    root: &'v Value,
    /// Where the chain of references starting at a place ends, by the place's pointer.
    ends: HashMap<String, String>,
}

impl Resolver<'_> {
    /// The pointer `reference` means, `None` when it leads nowhere.
    fn resolve(&mut self, reference: &str) -> Result<Option<String>, String> {
        let segments = parse(&reference[1..])?;
        let place = match self.locate(segments) {
            Ok(place) => place,
            Err(Stop::Nowhere) => return Ok(None),
            Err(Stop::Round(through)) => return Err(format!("goes round a cycle of references through {through:?}")),
        };
        let place = to_pointer(&place);
        if is_schema_component(&place) {
            // Checked for a cycle all the same.
            self.end(&place)?;
            return Ok(Some(place));
        }
        self.end(&place).map(Some)
    }

    /// The place `segments` lead to, following the references met on the way there (not the
    /// one that may be at the place itself).
    fn locate(&self, segments: Vec<String>) -> Result<Vec<String>, Stop> {
        let mut done: Vec<String> = Vec::new();
        let mut node = self.root;
        let mut rest: std::collections::VecDeque<String> = segments.into();
        let mut followed = HashSet::new();
        while let Some(segment) = rest.pop_front() {
            if let Some(target) = local_ref(node) {
                // Each reference once: going through one again is a cycle.
                if !followed.insert(target.to_string()) {
                    return Err(Stop::Round(target.to_string()));
                }
                let target = parse(&target[1..]).map_err(|_| Stop::Nowhere)?;
                rest.push_front(segment);
                for s in target.into_iter().rev() {
                    rest.push_front(s);
                }
                done.clear();
                node = self.root;
                continue;
            }
            node = child(node, &segment).ok_or(Stop::Nowhere)?;
            done.push(segment);
        }
        Ok(done)
    }

    /// Where the chain of references starting at `place` ends: the first schema component
    /// after `place`, or the first place that is not a reference. Every place of the chain
    /// learns its end, so that a long chain is walked once.
    fn end(&mut self, place: &str) -> Result<String, String> {
        let mut chain: Vec<String> = vec![place.to_string()];
        let mut seen: HashSet<String> = HashSet::from([place.to_string()]);
        let end = loop {
            let Some(last) = chain.last() else { return Ok(place.to_string()) };
            if let Some(end) = self.ends.get(last) {
                break end.clone();
            }
            let next = at_pointer(self.root, last).and_then(local_ref).map(str::to_string);
            let Some(next) = next else { break last.clone() };
            let Ok(segments) = parse(&next[1..]) else { break last.clone() };
            let next = match self.locate(segments) {
                Ok(next) => next,
                Err(Stop::Nowhere) => break last.clone(),
                Err(Stop::Round(through)) => {
                    return Err(format!("goes round a cycle of references through {through:?}"))
                }
            };
            let next = to_pointer(&next);
            if !seen.insert(next.clone()) {
                let start = chain.iter().position(|p| *p == next).unwrap_or(0);
                // Among schemas, lowering's to judge: it types what it can and names the
                // aliases that define nothing.
                if chain[start..].iter().all(|p| p.starts_with("#/components/schemas/")) {
                    return Ok(place.to_string());
                }
                let start = chain.iter().position(|p| *p == next).unwrap_or(0);
                let mut round: Vec<&str> = chain[start..].iter().map(String::as_str).collect();
                round.push(&next);
                return Err(format!("goes round a cycle of references: {}", round.join(" → ")));
            }
            chain.push(next);
        };
        // Schema components stop the chain for the places before them.
        let mut end = end;
        for place in chain.iter().rev() {
            self.ends.insert(place.clone(), end.clone());
            if is_schema_component(place) {
                end = place.clone();
            }
        }
        Ok(self.ends.get(place).cloned().unwrap_or(end))
    }
}

fn local_ref(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str().filter(|r| r.starts_with('#'))
}

fn is_schema_component(pointer: &str) -> bool {
    pointer.strip_prefix("#/components/schemas/").is_some_and(|key| !key.contains('/'))
}

fn child<'v>(value: &'v Value, segment: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => {
            // RFC 6901: an index is `0` or has no leading zero.
            let valid = segment == "0" || (!segment.starts_with('0') && segment.bytes().all(|b| b.is_ascii_digit()));
            items.get(segment.parse::<usize>().ok().filter(|_| valid)?)
        }
        _ => None,
    }
}

fn at<'v>(root: &'v Value, segments: &[String]) -> Option<&'v Value> {
    segments.iter().try_fold(root, |node, segment| child(node, segment))
}

fn at_pointer<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    root.pointer(pointer.strip_prefix('#')?)
}

fn to_pointer(segments: &[String]) -> String {
    crate::diagnostic::pointer(segments.iter().map(String::as_str))
}

/// A fragment's segments: percent-decoded (RFC 3986), then split, then `~1` and `~0`
/// unescaped (RFC 6901).
fn parse(fragment: &str) -> Result<Vec<String>, String> {
    let decoded = percent_decode(fragment)?;
    if decoded.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = decoded.strip_prefix('/') else {
        return Err("is not a JSON pointer (`#/…`): anchors are not supported".into());
    };
    Ok(rest.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect())
}

fn percent_decode(text: &str) -> Result<String, String> {
    if !text.contains('%') {
        return Ok(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                return Err("has a `%` that is not followed by two hexadecimal digits".into());
            };
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "is not UTF-8 once percent-decoded".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_percent_then_tildes() {
        assert_eq!(parse("/paths/~1keys~1%7Bid%7D/get").unwrap(), ["paths", "/keys/{id}", "get"]);
        // `%7E1` is a literal `~1` once decoded, hence a slash.
        assert_eq!(parse("/a%7E1b").unwrap(), ["a/b"]);
        assert!(parse("/a%zz").is_err());
        assert!(parse("anchor").is_err());
    }

    #[test]
    fn chains_end_at_the_object_or_the_schema_component() {
        let mut doc = json!({
            "components": {
                "parameters": {"P0": {"$ref": "#/components/parameters/P1"}, "P1": {"$ref": "#/components/parameters/P2"}, "P2": {"name": "x"}},
                "schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}},
            },
            "paths": {"/a": {"parameters": [{"$ref": "#/components/parameters/P0"}], "x-data": {"$ref": "#/nowhere"}}},
            "s": {"$ref": "#/components/schemas/A"},
        });
        assert!(canonicalize(&mut doc, "f").is_empty());
        assert_eq!(doc.pointer("/paths/~1a/parameters/0/$ref"), Some(&json!("#/components/parameters/P2")));
        assert_eq!(doc.pointer("/components/parameters/P0/$ref"), Some(&json!("#/components/parameters/P2")));
        assert_eq!(doc.pointer("/s/$ref"), Some(&json!("#/components/schemas/A")));
        assert_eq!(doc.pointer("/paths/~1a/x-data/$ref"), Some(&json!("#/nowhere")));
    }

    #[test]
    fn cycles_are_errors_at_the_reference() {
        let mut doc = json!({"components": {"responses": {
            "A": {"$ref": "#/components/responses/B"},
            "B": {"$ref": "#/components/responses/A"},
            "C": {"$ref": "#/components/responses/C"},
        }}});
        let errors: Vec<String> = canonicalize(&mut doc, "f").iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.contains(&"f: #/components/responses/C/$ref: `$ref` \"#/components/responses/C\" goes round a cycle of references: #/components/responses/C → #/components/responses/C".to_string()), "{errors:?}");
    }
}
