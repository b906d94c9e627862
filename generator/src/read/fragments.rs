//! The places of a document that lowering reads as JSON: the targets of `$ref`s into the
//! middle of a schema or an operation, which the typed model has no key for, and `prefixItems`,
//! which it drops. Kept by pointer, so that the whole document as JSON does not stay in memory
//! beside the typed model while lowering: on a 30 MB document the two together were the peak.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::diagnostic::escape;

/// Copies of the parts of a document lowering may ask for, by JSON pointer (without `#`).
#[derive(Debug, Clone, Default)]
pub struct Fragments {
    by_pointer: HashMap<String, Value>,
}

impl Fragments {
    /// The fragments of `root` (normalised, bundled, and with its references hoisted, as the
    /// typed model is made from it).
    pub fn collect(root: &Value) -> Self {
        let mut wanted = BTreeSet::new();
        scan(root, &mut String::new(), &mut wanted);
        let by_pointer = wanted
            .into_iter()
            .filter_map(|pointer| {
                let value = root.pointer(&pointer)?.clone();
                Some((pointer, value))
            })
            .collect();
        Fragments { by_pointer }
    }

    /// The value at `pointer` (as [`Value::pointer`] takes it), if it is one of the fragments
    /// or inside one.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if let Some(value) = self.by_pointer.get(pointer) {
            return Some(value);
        }
        let mut end = pointer.len();
        while let Some(slash) = pointer[..end].rfind('/') {
            if let Some(value) = self.by_pointer.get(&pointer[..slash]) {
                return value.pointer(&pointer[slash..]);
            }
            end = slash;
        }
        None
    }

    /// Every fragment with its pointer.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.by_pointer.iter().map(|(pointer, value)| (pointer.as_str(), value))
    }

    /// How many fragments are kept.
    pub fn len(&self) -> usize {
        self.by_pointer.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.by_pointer.is_empty()
    }
}

fn scan(value: &Value, at: &mut String, wanted: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
                // A component schema is reached through the typed model by its key.
                let component = target.strip_prefix("/components/schemas/").is_some_and(|key| !key.contains('/'));
                if !component {
                    wanted.insert(target.to_string());
                }
            }
            if map.contains_key("prefixItems") {
                wanted.insert(format!("{at}/prefixItems"));
            }
            for (key, child) in map {
                let len = at.len();
                at.push('/');
                at.push_str(&escape(key));
                scan(child, at, wanted);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                scan(child, at, wanted);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "components": {"schemas": {
                "Disk": {"properties": {"fs": {"type": "string"}, "size": {"type": "integer"}}},
                "Pair": {"prefixItems": [{"type": "string"}, {"type": "integer"}]},
                "Uses": {"properties": {
                    "fs": {"$ref": "#/components/schemas/Disk/properties/fs"},
                    "disk": {"$ref": "#/components/schemas/Disk"},
                    "a~b": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"},
                }},
            }},
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"x": {"type": "boolean"}}
            }}}}}}}},
        })
    }

    #[test]
    fn keeps_the_targets_of_references_into_the_middle_of_things_and_prefix_items() {
        let fragments = Fragments::collect(&document());
        assert_eq!(fragments.len(), 3, "{fragments:?}");
        assert_eq!(fragments.pointer("/components/schemas/Disk/properties/fs"), Some(&json!({"type": "string"})));
        assert_eq!(
            fragments.pointer("/components/schemas/Pair/prefixItems"),
            Some(&json!([{"type": "string"}, {"type": "integer"}]))
        );
        // Inside a kept fragment.
        assert_eq!(
            fragments.pointer("/paths/~1a/get/responses/200/content/application~1json/schema/properties/x"),
            Some(&json!({"type": "boolean"}))
        );
        assert_eq!(fragments.pointer("/components/schemas/Pair/prefixItems/1"), Some(&json!({"type": "integer"})));
    }

    #[test]
    fn leaves_out_what_the_typed_model_reaches_by_key() {
        let fragments = Fragments::collect(&document());
        assert_eq!(fragments.pointer("/components/schemas/Disk"), None);
        assert_eq!(fragments.pointer("/components/schemas/Disk/properties/size"), None);
        assert_eq!(fragments.pointer("/paths/~1a/get"), None);
    }

    #[test]
    fn a_reference_to_nowhere_keeps_nothing() {
        let fragments = Fragments::collect(&json!({"a": {"$ref": "#/nowhere/at/all"}}));
        assert!(fragments.is_empty());
        assert_eq!(fragments.pointer("/nowhere/at/all"), None);
    }
}
