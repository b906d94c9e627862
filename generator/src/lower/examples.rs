//! The document's examples that become round-trip tests: each is checked against its schema
//! as the document has it (its `$ref`s resolved within the document, in JSON Schema's
//! dialect), and only those that validate are kept. An example that contradicts its schema is
//! the document's mistake, and its test could only fail: it is left out with a warning at its
//! pointer giving the first validation error. So is one with a property its schema does not
//! declare, which the generated struct drops: valid JSON Schema, but no round trip.

use std::collections::HashSet;

use jsonschema::{Draft, Registry};
use serde_json::{Map, Value};

use super::Lowerer;
use crate::diagnostic::Diagnostic;
use crate::model::{Example, TypeRef};
use crate::names;

/// The base URI of the document's schemas in the validator's registry.
const BASE: &str = "urn:openapi-document";

/// An example found while lowering, with the schema it must match, checked at the end.
pub(super) struct Candidate {
    example: Example,
    /// The schema's JSON pointer (`#/…`) and the schema as JSON (moved into the registry when
    /// the examples are checked), or `None` when the example has no schema (a body without one
    /// is any JSON).
    schema: Option<(String, Value)>,
}

impl Lowerer<'_> {
    /// Takes the example `value` at `pointer`, to be decoded as `ty`, whose schema (at
    /// `schema_pointer`) is `schema`.
    pub(super) fn example<S: serde::Serialize>(
        &mut self,
        hint: &str,
        pointer: &str,
        ty: TypeRef,
        value: serde_json::Value,
        schema: Option<(String, &S)>,
    ) {
        if !self.example_pointers.insert(pointer.to_string()) {
            return;
        }
        // A prefix keeps keywords (`type`) and the helper's name (`round_trip`) out of the way.
        let name = self.example_names.claim(format!("example_{}", names::field(hint).trim_start_matches("r#")));
        let schema = schema.and_then(|(at, schema)| Some((at, serde_json::to_value(schema).ok()?)));
        let example = Example { name, pointer: pointer.to_string(), ty, json: value.to_string(), gates: Vec::new() };
        self.examples.push(Candidate { example, schema });
    }

    /// The examples that match their schemas, and a warning for each of the others.
    pub(super) fn checked_examples(&mut self) -> Vec<Example> {
        let mut candidates = std::mem::take(&mut self.examples);
        if candidates.iter().all(|c| c.schema.is_none()) {
            return candidates.into_iter().map(|c| c.example).collect();
        }
        let registries = self.schema_registries(&mut candidates);
        let mut kept = Vec::with_capacity(candidates.len());
        for Candidate { example, schema } in candidates {
            let verdict = match (&registries, schema) {
                (Some((registry, closed, open)), Some((at, _))) => match check(registry, &at, &example.json, false) {
                    Err(why) => {
                        Err(format!("the example does not match its schema, so it has no round-trip test: {why}"))
                    }
                    Ok(()) => check(closed, &at, &example.json, open.contains(&at)).map_err(|why| {
                        format!(
                            "the example has a property its schema does not declare, which the generated type \
                             drops, so it has no round-trip test: {why}"
                        )
                    }),
                },
                _ => Ok(()),
            };
            match verdict {
                Ok(()) => kept.push(example),
                Err(why) => self.warnings.push(Diagnostic::at(self.file, &example.pointer, why)),
            }
        }
        kept
    }

    /// The registry holding the schemas the examples need: the component schemas, the parts of
    /// the document that references reach into, and each example's own schema at its pointer,
    /// all in JSON Schema's dialect; then the same with the objects closed that the generated
    /// structs close ([`crate::json_schema::close_objects`]). `None` if they cannot be made
    /// (then every example is kept).
    fn schema_registries(&self, candidates: &mut [Candidate]) -> Option<(Registry, Registry, HashSet<String>)> {
        let mut root = Value::Object(Map::new());
        if let Some(components) = &self.doc.components {
            let schemas = serde_json::to_value(&components.schemas).ok()?;
            insert_at(&mut root, "/components/schemas", schemas);
        }
        for (pointer, value) in self.fragments.iter() {
            insert_at(&mut root, pointer, value.clone());
        }
        for (at, schema) in candidates.iter_mut().filter_map(|c| c.schema.as_mut()) {
            insert_at(&mut root, at.trim_start_matches('#'), std::mem::take(schema));
        }
        crate::json_schema::convert(&mut root);
        crate::json_schema::one_of_as_any_of(&mut root);
        let mut closed = root.clone();
        let open = crate::json_schema::close_objects(&mut closed);
        // The examples whose own type is a struct left open because an `allOf` merges it.
        let open: HashSet<String> = candidates
            .iter()
            .filter_map(|c| c.schema.as_ref().map(|(at, _)| at))
            .filter(|at| open.contains(&resolved(&closed, at.trim_start_matches('#'))))
            .cloned()
            .collect();
        let registry = Registry::try_new(BASE, Draft::Draft202012.create_resource(root)).ok()?;
        Some((registry, Registry::try_new(BASE, Draft::Draft202012.create_resource(closed)).ok()?, open))
    }
}

/// The pointer a chain of bare `$ref`s starting at `pointer` leads to in `root`.
fn resolved(root: &Value, pointer: &str) -> String {
    let mut pointer = pointer.to_string();
    for _ in 0..32 {
        let next = root.pointer(&pointer).and_then(|s| s.get("$ref")).and_then(Value::as_str);
        match next.and_then(|r| r.strip_prefix('#')) {
            Some(target) => pointer = target.to_string(),
            None => break,
        }
    }
    pointer
}

/// Whether the example `json` matches the schema at `pointer` of `registry` (with
/// `unevaluatedProperties: false` beside it when `close`), or the first error with its place
/// in the example. A schema the validator cannot compile (a pattern in a regex dialect it does
/// not read) does not judge.
fn check(registry: &Registry, pointer: &str, json: &str, close: bool) -> Result<(), String> {
    let Ok(instance) = serde_json::from_str::<Value>(json) else { return Ok(()) };
    let reference = format!("{BASE}#{}", crate::json_schema::fragment(pointer.trim_start_matches('#')));
    let mut schema = serde_json::json!({ "$ref": reference });
    if close {
        schema["unevaluatedProperties"] = Value::Bool(false);
    }
    let Ok(validator) = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .with_registry(registry.clone())
        .build(&schema)
    else {
        return Ok(());
    };
    match validator.validate(&instance) {
        Ok(()) => Ok(()),
        Err(error) => {
            let place = error.instance_path.to_string();
            let place = if place.is_empty() { "the example itself".to_string() } else { format!("`{place}`") };
            Err(format!("at {place}: {}", shortened(&error.to_string())))
        }
    }
}

/// A validation message cut to a line's length: it quotes the value, which may be the whole
/// example.
fn shortened(message: &str) -> String {
    const MAX: usize = 200;
    match message.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message.to_string(),
    }
}

/// Puts `value` at `pointer` (as [`Value::pointer`] takes it) in `root`, making the objects on
/// the way; what is there already stays.
fn insert_at(root: &mut Value, pointer: &str, value: Value) {
    let mut here = root;
    let mut tokens = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).peekable();
    while let Some(token) = tokens.next() {
        let Value::Object(map) = here else { return };
        if tokens.peek().is_none() {
            map.entry(token).or_insert(value);
            return;
        }
        here = map.entry(token).or_insert_with(|| Value::Object(Map::new()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn inserts_make_the_objects_on_the_way_and_keep_what_is_there() {
        let mut root = json!({"a": {"b": 1}});
        insert_at(&mut root, "/a/c~1d/e", json!(2));
        insert_at(&mut root, "/a/b", json!(3));
        assert_eq!(root, json!({"a": {"b": 1, "c/d": {"e": 2}}}));
    }

    #[test]
    fn long_messages_are_cut() {
        assert_eq!(shortened("short"), "short");
        assert_eq!(shortened(&"x".repeat(300)).chars().count(), 201);
    }
}
