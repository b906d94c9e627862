//! References to places other than components: `#/paths/~1a/get/responses/401`, a parameter
//! of another path item, a request body of another operation. Each such target becomes a
//! component of its kind, named from where it stands, and the target's own place refers to it
//! too, so that it is lowered once however many references reach it. (Schemas need none of
//! this: lowering types a reference into the middle of a schema once, by its pointer.) Path items
//! given by `$ref` (3.1's `components/pathItems`) are copied where they are used, as the
//! typed model has no references for them.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use crate::diagnostic::escape;
use crate::read::bundle::ref_to;

/// What the object at a place of the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Other,
}

impl Kind {
    /// The `components` section that holds objects of this kind.
    fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Header => "headers",
            Kind::PathItem => "pathItems",
            _ => return None,
        })
    }

    /// The kind of the values under `key` of an object of this kind, and whether `key` holds a
    /// map or list of them rather than one.
    fn child(self, key: &str) -> (Kind, bool) {
        use Kind::*;
        match (self, key) {
            (PathItem, "parameters") | (Operation, "parameters") => (Parameter, true),
            (PathItem, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace") => {
                (Operation, false)
            }
            (Operation, "requestBody") => (RequestBody, false),
            (Operation, "responses") => (Response, true),
            (Parameter | Header | RequestBody | Response, "content") => (MediaType, true),
            (Response, "headers") => (Header, true),
            _ => (Other, false),
        }
    }
}

/// A reference found in the document: where it is, what it must name, and its target.
struct Site {
    pointer: String,
    kind: Kind,
    target: String,
}

/// Hoists the document's references; returns what moved where, each as the pointer of the
/// new place and of the place it was written at.
pub fn hoist(doc: &mut Value) -> Vec<(String, String)> {
    let mut moves = webhook_schemas(doc);
    let mut sites = Vec::new();
    if let Some(root) = doc.as_object() {
        for (key, value) in root {
            let top = format!("#/{}", escape(key));
            match key.as_str() {
                "paths" | "webhooks" => each(value, &top, Kind::PathItem, &mut sites),
                "components" => {
                    for (section, entries) in value.as_object().into_iter().flatten() {
                        let kind = match section.as_str() {
                            "responses" => Kind::Response,
                            "parameters" => Kind::Parameter,
                            "requestBodies" => Kind::RequestBody,
                            "headers" => Kind::Header,
                            "pathItems" => Kind::PathItem,
                            _ => continue,
                        };
                        each(entries, &format!("{top}/{}", escape(section)), kind, &mut sites);
                    }
                }
                _ => {}
            }
        }
    }
    if sites.is_empty() {
        return moves;
    }
    let mut moved: BTreeMap<String, String> = BTreeMap::new();
    // Deeper targets first, so that a target inside another is a reference by the time the
    // outer one is copied.
    let mut targets: Vec<(Kind, String)> = sites
        .iter()
        .filter(|s| s.kind != Kind::PathItem && !is_component(&s.target, s.kind))
        .map(|s| (s.kind, s.target.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    targets.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.cmp(b)));
    for (kind, target) in targets {
        if moved.contains_key(&target) {
            continue;
        }
        let Some(section) = kind.section() else { continue };
        let Some(content) = doc.pointer(&target[1..]).cloned() else { continue };
        // A component that is just a reference to the place lends it its name.
        let lender = sites.iter().find(|s| s.target == target && is_component(&s.pointer, kind));
        let local = match lender {
            Some(site) => {
                if let Some(component) = doc.pointer_mut(&site.pointer[1..]) {
                    *component = content;
                }
                site.pointer.clone()
            }
            None => {
                let name = free_name(doc, section, &name_from(&target));
                add_component(doc, section, name.clone(), content);
                format!("#/components/{section}/{}", escape(&name))
            }
        };
        if let Some(place) = doc.pointer_mut(&target[1..]) {
            *place = ref_to(&local);
        }
        moves.push((local.clone(), target.clone()));
        moved.insert(target, local);
    }
    for site in &sites {
        if let Some(local) = moved.get(&site.target).filter(|local| **local != site.pointer) {
            if let Some(place) = doc.pointer_mut(&site.pointer[1..]) {
                *place = ref_to(local);
            }
        }
    }
    // Path items: the content itself, following a chain of references.
    for site in sites.iter().filter(|s| s.kind == Kind::PathItem) {
        let mut target = site.target.clone();
        let mut content = None;
        for _ in 0..16 {
            let Some(found) = doc.pointer(&target[1..]) else { break };
            match found.get("$ref").and_then(Value::as_str).filter(|r| r.starts_with('#')) {
                Some(next) => target = next.to_string(),
                None => {
                    content = Some(found.clone());
                    break;
                }
            }
        }
        if let (Some(content), Some(place)) = (content, doc.pointer_mut(&site.pointer[1..])) {
            *place = content;
            moves.push((site.pointer.clone(), target));
        }
    }
    moves
}

/// Webhooks have no methods, but their bodies' types are the API's too: inline schemas of
/// their requests and responses become components, which every crate gets a type for.
fn webhook_schemas(doc: &mut Value) -> Vec<(String, String)> {
    let mut moves = Vec::new();
    let Some(webhooks) = doc.get("webhooks").and_then(Value::as_object) else { return moves };
    let mut places = Vec::new();
    for (name, item) in webhooks {
        for (method, op) in item.as_object().into_iter().flatten() {
            let op_pointer = format!("#/webhooks/{}/{}", escape(name), escape(method));
            let bodies = op.get("requestBody").map(|b| (format!("{op_pointer}/requestBody"), b));
            let responses = op.get("responses").and_then(Value::as_object).into_iter().flatten();
            let responses = responses.map(|(code, r)| (format!("{op_pointer}/responses/{}", escape(code)), r));
            for (at, holder) in bodies.into_iter().chain(responses) {
                for (media, content) in holder.get("content").and_then(Value::as_object).into_iter().flatten() {
                    let schema = content.get("schema");
                    if schema.is_some_and(|s| s.is_object() && s.get("$ref").is_none()) {
                        places.push(format!("{at}/content/{}/schema", escape(media)));
                    }
                }
            }
        }
    }
    for place in places {
        let Some(schema) = doc.pointer(&place[1..]).cloned() else { continue };
        let name = free_name(doc, "schemas", &name_from(&place));
        let local = format!("#/components/schemas/{}", escape(&name));
        if let Some(target) = doc.pointer_mut(&place[1..]) {
            *target = ref_to(&local);
        }
        add_component(doc, "schemas", name, schema);
        moves.push((local, place));
    }
    moves
}

fn add_component(doc: &mut Value, section: &str, name: String, content: Value) {
    let entries = doc
        .as_object_mut()
        .and_then(|root| root.entry("components").or_insert_with(|| Value::Object(Map::new())).as_object_mut())
        .and_then(|c| c.entry(section).or_insert_with(|| Value::Object(Map::new())).as_object_mut());
    if let Some(entries) = entries {
        entries.insert(name, content);
    }
}

/// Walks the entries of a map or list whose values are of `kind`.
fn each(value: &Value, pointer: &str, kind: Kind, sites: &mut Vec<Site>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                walk(child, &format!("{pointer}/{}", escape(key)), kind, sites);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, &format!("{pointer}/{i}"), kind, sites);
            }
        }
        _ => {}
    }
}

fn walk(value: &Value, pointer: &str, kind: Kind, sites: &mut Vec<Site>) {
    let Some(map) = value.as_object() else { return };
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        if target.starts_with("#/") && kind != Kind::Other {
            sites.push(Site { pointer: pointer.to_string(), kind, target: target.to_string() });
        }
        return;
    }
    for (key, child) in map {
        if key.starts_with("x-") {
            continue;
        }
        let (child_kind, many) = kind.child(key);
        if child_kind == Kind::Other {
            continue;
        }
        let at = format!("{pointer}/{}", escape(key));
        if many {
            each(child, &at, child_kind, sites);
        } else {
            walk(child, &at, child_kind, sites);
        }
    }
}

/// Whether `target` is a component of the section that holds `kind`: what lowering follows.
fn is_component(target: &str, kind: Kind) -> bool {
    let Some(section) = kind.section() else { return false };
    target
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(section))
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.contains('/'))
}

/// `#/paths/~1pets~1{id}/get/responses/401` → `PetsIdGet401`; the words that only say
/// what kind of place it is (`paths`, `properties`, a media type) are left out.
fn name_from(target: &str) -> String {
    let segments: Vec<String> =
        target.trim_start_matches("#/").split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    let mut words = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let after_content = i > 0 && segments[i - 1] == "content";
        let structural = matches!(
            segment.as_str(),
            "paths"
                | "webhooks"
                | "components"
                | "schemas"
                | "properties"
                | "content"
                | "schema"
                | "responses"
                | "parameters"
        );
        if !after_content && !structural {
            words.push(segment.as_str());
        }
    }
    let name = words.join(" ").to_upper_camel_case();
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if name.is_empty() {
        "Shared".into()
    } else {
        name
    }
}

/// `stem`, or `stem2`, `stem3`… when the section already has it.
fn free_name(doc: &Value, section: &str, stem: &str) -> String {
    let taken = |name: &str| doc.pointer(&format!("/components/{section}/{}", escape(name))).is_some();
    let mut name = stem.to_string();
    let mut n = 2;
    while taken(&name) {
        name = format!("{stem}{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn targets_outside_components_become_components_named_from_their_place() {
        let mut doc = json!({
            "paths": {
                "/a": {"get": {
                    "parameters": [{"name": "id", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"401": {"description": "no"}},
                }},
                "/b": {
                    "$ref": "#/components/pathItems/B",
                },
                "/c": {"get": {"responses": {"401": {"$ref": "#/paths/~1a/get/responses/401"}}}},
            },
            "components": {
                "parameters": {"id": {"$ref": "#/paths/~1a/get/parameters/0"}},
                "pathItems": {"B": {"get": {"responses": {"204": {"description": "ok"}}}}},
            }
        });
        hoist(&mut doc);
        assert_eq!(doc.pointer("/components/responses/AGet401"), Some(&json!({"description": "no"})));
        let response = json!({"$ref": "#/components/responses/AGet401"});
        assert_eq!(doc.pointer("/paths/~1a/get/responses/401"), Some(&response));
        assert_eq!(doc.pointer("/paths/~1c/get/responses/401"), Some(&response));
        // A component that is a reference to another place takes that place's content.
        assert_eq!(doc.pointer("/components/parameters/id/name"), Some(&json!("id")));
        assert_eq!(doc.pointer("/paths/~1a/get/parameters/0"), Some(&json!({"$ref": "#/components/parameters/id"})));
        assert_eq!(doc.pointer("/paths/~1b/get/responses/204/description"), Some(&json!("ok")));
    }
}
