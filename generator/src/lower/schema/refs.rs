//! References: a `$ref` to a component is its type; one into the middle of a schema is
//! lowered once, where it points, under a name made from the pointer.

use std::borrow::Cow;

use openapiv3::{ReferenceOr, Schema};

use super::nulls::{admits_null, nullable};
use super::At;
use crate::lower::Lowerer;
use crate::model::TypeRef;
use crate::names;

impl<'a> Lowerer<'a> {
    pub(super) fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        if let Some(name) = self.component_type(reference) {
            // A component's own type has no room for `null` (a struct, an enum), so every
            // reference to a nullable one carries it.
            return nullable(TypeRef::Named(name), self.component_admits_null(reference));
        }
        // A reference into the middle of a schema (`#/components/schemas/Disk/properties/fs`):
        // the same type as the schema there, lowered once under a name from its location.
        if let Some(ty) = self.by_pointer.get(reference) {
            return ty.clone();
        }
        let target = reference
            .strip_prefix('#')
            .and_then(|p| self.fragments.pointer(p))
            .and_then(|v| serde_json::from_value::<ReferenceOr<Schema>>(v.clone()).ok());
        match target {
            Some(target) if self.in_progress.insert(reference.to_string()) => {
                let ty = self.type_of(&target, At { hint: hint_from_pointer(reference), pointer: reference });
                self.in_progress.remove(reference);
                self.by_pointer.insert(reference.to_string(), ty.clone());
                ty
            }
            Some(_) => {
                self.warn(
                    format!("{pointer}/$ref"),
                    format!("`$ref` {reference:?} refers to itself through inline schemas; using serde_json::Value"),
                );
                TypeRef::Json
            }
            None => {
                self.error(
                    format!("{pointer}/$ref"),
                    format!("`$ref` {reference:?} does not resolve to a schema of this document"),
                );
                TypeRef::Json
            }
        }
    }

    /// Whether the component schema `reference` points to admits `null` as a whole.
    pub(super) fn component_admits_null(&self, reference: &str) -> bool {
        let Some(key) = reference.strip_prefix("#/components/schemas/") else { return false };
        match self.doc.components.as_ref().and_then(|c| c.schemas.get(&unescape(key))) {
            Some(ReferenceOr::Item(schema)) => admits_null(schema),
            _ => false,
        }
    }

    /// The schema a `$ref` points to, following chains of references (up to a limit, so a
    /// cycle of references ends).
    pub fn resolve_schema<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<Cow<'s, Schema>>
    where
        'a: 's,
    {
        let mut reference = match schema {
            ReferenceOr::Item(s) => return Some(Cow::Borrowed(s)),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        for _ in 0..32 {
            let next: Cow<'s, ReferenceOr<Schema>> =
                match reference.strip_prefix("#/components/schemas/").filter(|k| !k.contains('/')) {
                    Some(key) => Cow::Borrowed(self.doc.components.as_ref()?.schemas.get(&unescape(key))?),
                    None => {
                        let value = self.fragments.pointer(reference.strip_prefix('#')?)?;
                        Cow::Owned(serde_json::from_value(value.clone()).ok()?)
                    }
                };
            match next {
                Cow::Borrowed(ReferenceOr::Item(s)) => return Some(Cow::Borrowed(s)),
                Cow::Owned(ReferenceOr::Item(s)) => return Some(Cow::Owned(s)),
                Cow::Borrowed(ReferenceOr::Reference { reference: r }) => reference = r.clone(),
                Cow::Owned(ReferenceOr::Reference { reference: r }) => reference = r,
            }
        }
        None
    }
}

/// A type name for the schema at `pointer`: its component and property names
/// (`#/components/schemas/Disk/properties/filesystem` → `DiskFilesystem`).
pub(super) fn hint_from_pointer(pointer: &str) -> String {
    const STRUCTURE: &[&str] = &[
        "components",
        "schemas",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "content",
        "schema",
        "paths",
        "responses",
    ];
    let words: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .filter(|s| !s.is_empty() && !STRUCTURE.contains(s) && !s.chars().all(|c| c.is_ascii_digit()))
        .map(|s| names::type_prefix(&unescape(s)))
        .collect();
    if words.is_empty() {
        "Schema".into()
    } else {
        words.concat()
    }
}

/// Decodes one JSON pointer segment.
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
