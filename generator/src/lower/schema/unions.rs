//! `oneOf` and `anyOf`: a union of the member types, tagged when a discriminator can tell
//! them apart, or, without one, a property every member requires and allows one string in
//! (as typify reads such unions).

use std::borrow::Cow;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::nulls::is_null_schema;
use super::At;
use crate::lower::Lowerer;
use crate::model::{TypeRef, Union, UnionVariant};
use crate::names::{self, Scope};

impl Lowerer<'_> {
    pub(super) fn union(
        &mut self,
        name: &str,
        variants: &[ReferenceOr<Schema>],
        schema: &Schema,
        pointer: &str,
    ) -> Union {
        let discriminator = schema.schema_data.discriminator.as_ref();
        // Without a discriminator, a property every member requires and allows one string in,
        // a different one in each (`type: {enum: [range_to]}`), tells them apart as well.
        let implicit = if discriminator.is_none() { self.implicit_tag(variants) } else { None };
        let mut scope = Scope::default();
        let mut out = Vec::new();
        // A nullable union schema gets its `Option` where it is used, like any nullable schema.
        let mut has_null = variants.iter().any(is_null_schema);
        for (i, variant) in variants.iter().enumerate().filter(|(_, v)| !is_null_schema(v)) {
            let variant_pointer = format!("{pointer}/{i}");
            let (variant_name, tag_values) = match variant {
                ReferenceOr::Reference { reference } => {
                    let short = reference.rsplit('/').next().unwrap_or(reference);
                    // Every mapping entry that names this schema selects it; without one, its name does.
                    let mut values: Vec<String> = discriminator
                        .map(|d| {
                            d.mapping
                                .iter()
                                .filter(|(_, target)| *target == reference || target.as_str() == short)
                                .map(|(value, _)| value.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    // Real APIs name a variant by the one value its own tag property allows
                    // (`type: {enum: [function]}`), rarely by the schema's name.
                    if values.is_empty() {
                        let property = discriminator.map(|d| d.property_name.as_str()).or(implicit.as_deref());
                        values = property.map(|p| self.tag_values(variant, p)).unwrap_or_default();
                    }
                    if values.is_empty() && discriminator.is_some() {
                        values.push(short.to_string());
                    }
                    (names::variant(short), values)
                }
                ReferenceOr::Item(item) => {
                    let property = discriminator.map(|d| d.property_name.as_str()).or(implicit.as_deref());
                    let values = property.map(|p| self.tag_values(variant, p)).unwrap_or_default();
                    // Named by its title, else by the value that selects it, else by its place.
                    let label = match (&item.schema_data.title, &implicit, values.first()) {
                        (Some(title), _, _) => title.clone(),
                        (None, Some(_), Some(value)) => value.clone(),
                        _ => format!("Variant{i}"),
                    };
                    (names::variant(&label), values)
                }
            };
            let variant_name = scope.claim(variant_name);
            // An inline member leaves the implicit tag to the union, which reads and writes it:
            // its struct would otherwise hold a one-value enum only to repeat it. A member with
            // nothing but the tag keeps it, to stay a struct rather than become any object.
            let stripped = match (variant, &implicit) {
                (ReferenceOr::Item(item), Some(property)) => without_property(item, property).map(ReferenceOr::Item),
                _ => None,
            };
            let member = stripped.as_ref().unwrap_or(variant);
            let ty = match self.type_of(member, At { hint: format!("{name}{variant_name}"), pointer: &variant_pointer })
            {
                // A nullable member's `null` is the union's.
                TypeRef::Nullable(inner) => {
                    has_null = true;
                    *inner
                }
                ty => ty,
            };
            out.push(UnionVariant { name: variant_name, tag_values, ty, boxed: false });
        }
        // A tag is only usable when every variant is a struct that can carry it, and when a
        // mapping or some variant declares it: without either, a discriminator naming a
        // property of the parent (linode's `PaymentMethod.data`) would tag variants with
        // schema names no server sends, and only the variants' shapes can decide.
        let declared = discriminator.is_some_and(|d| {
            !d.mapping.is_empty() || variants.iter().any(|v| self.property_schema(v, &d.property_name, 0).is_some())
        });
        // A value that selects several variants (OpenAI's items of `type: message` for each
        // role) cannot decide alone either.
        let mut seen = std::collections::HashSet::new();
        let distinct = out
            .iter()
            .flat_map(|v| v.tag_values.iter().collect::<std::collections::HashSet<_>>())
            .all(|t| seen.insert(t));
        let tag = discriminator
            .map(|d| d.property_name.clone())
            .filter(|_| declared && distinct && out.iter().all(|v| !v.tag_values.is_empty()));
        let implicit_tagged = tag.is_none() && implicit.is_some();
        let tag = tag.or(implicit);
        if tag.is_none() {
            for v in &mut out {
                v.tag_values.clear();
            }
        }
        let null = has_null.then(|| scope.claim("Null"));
        // An implicit tag is a one-value enum in each member, which kept unknown values in
        // `Other` before it was read as a tag: the union keeps them instead.
        let other = implicit_tagged.then(|| scope.claim("Other"));
        Union { tag, variants: out, null, other }
    }

    /// The property that tells the members of a union without a discriminator apart: one
    /// every member requires and declares as a string enum of one value, each a different
    /// value. The first such property of the first member, if any.
    fn implicit_tag(&self, variants: &[ReferenceOr<Schema>]) -> Option<String> {
        let members: Vec<&ReferenceOr<Schema>> = variants.iter().filter(|v| !is_null_schema(v)).collect();
        if members.len() < 2 {
            return None;
        }
        let first = self.resolve_schema(members[0])?;
        let candidates: Vec<String> = match &first.schema_kind {
            SchemaKind::Type(Type::Object(openapiv3::ObjectType { properties, .. }))
            | SchemaKind::Any(openapiv3::AnySchema { properties, .. }) => properties.keys().cloned().collect(),
            _ => return None,
        };
        candidates.into_iter().find(|property| {
            let mut seen = std::collections::HashSet::new();
            members.iter().all(|member| {
                let values = self.tag_values(member, property);
                self.requires(member, property) && values.len() == 1 && seen.insert(values[0].clone())
            })
        })
    }

    /// Whether `schema` (itself, not through `allOf`) is an object that requires `property`.
    fn requires(&self, schema: &ReferenceOr<Schema>, property: &str) -> bool {
        let Some(schema) = self.resolve_schema(schema) else { return false };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(openapiv3::ObjectType { properties, required, .. }))
            | SchemaKind::Any(openapiv3::AnySchema { properties, required, .. }) => {
                properties.contains_key(property) && required.iter().any(|r| r == property)
            }
            _ => false,
        }
    }

    /// The values a union member's tag property allows, when it declares that property as a
    /// string enum (or `const`, which the document's normalisation wrote as a one-value enum).
    pub(super) fn tag_values(&self, member: &ReferenceOr<Schema>, property: &str) -> Vec<String> {
        let Some(schema) = self.property_schema(member, property, 0) else { return Vec::new() };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// The schema of `property` as `schema` declares it, itself or through `allOf`.
    pub(super) fn property_schema(&self, schema: &ReferenceOr<Schema>, property: &str, depth: usize) -> Option<Schema> {
        let schema = self.resolve_schema(schema)?;
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(openapiv3::ObjectType { properties, .. }))
            | SchemaKind::Any(openapiv3::AnySchema { properties, .. })
                if properties.contains_key(property) =>
            {
                let found = properties.get(property)?;
                let found: ReferenceOr<Schema> = match found {
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
                    ReferenceOr::Item(item) => ReferenceOr::Item((**item).clone()),
                };
                self.resolve_schema(&found).map(Cow::into_owned)
            }
            SchemaKind::AllOf { all_of } | SchemaKind::Any(openapiv3::AnySchema { all_of, .. }) if depth < 8 => {
                all_of.iter().find_map(|member| self.property_schema(member, property, depth + 1))
            }
            _ => None,
        }
    }
}

/// `schema` without `property`, for an inline member whose union holds its tag; `None` when
/// that would leave it no property.
fn without_property(schema: &Schema, property: &str) -> Option<Schema> {
    let mut schema = schema.clone();
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(openapiv3::ObjectType { properties, required, .. }))
        | SchemaKind::Any(openapiv3::AnySchema { properties, required, .. })
            if properties.len() > 1 =>
        {
            properties.shift_remove(property);
            required.retain(|r| r != property);
            Some(schema)
        }
        _ => None,
    }
}
