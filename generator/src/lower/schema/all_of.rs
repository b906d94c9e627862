//! `allOf`: objects merge into one struct, a union among them becomes a flattened field.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::nulls::is_unconstrained;
use super::objects::Properties;
use super::At;
use crate::lower::Lowerer;
use crate::model::{Field, FieldKind, Struct, TypeKind, TypeRef};
use crate::names::Scope;

/// An object's properties, the names it requires, and its `additionalProperties`.
pub(super) type Parts = (Properties, Vec<String>, Option<AdditionalProperties>);

impl Lowerer<'_> {
    /// `allOf` of objects merges into one struct; a member that is a union becomes a
    /// flattened field of it; `allOf` of one non-object (a `$ref` to an enum, say, beside
    /// unconstrained members) is that type; anything else cannot be merged.
    pub(super) fn all_of(&mut self, name: &str, members: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
        let mut parts = Vec::new();
        let mut additional = None;
        let mut scalar = None;
        let mut unions = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let Some(schema) = self.resolve_schema(member) else {
                self.error(format!("{pointer}/allOf/{i}/$ref"), "`$ref` does not resolve to a schema of this document");
                continue;
            };
            match object_parts(&schema, self, 0) {
                Some((properties, required, extra)) => {
                    parts.push((properties, required));
                    additional = merge_extra(additional, extra);
                }
                None if is_unconstrained(&schema) => {}
                None if is_union(&schema) => unions.push(i),
                None => scalar = scalar.or(Some(i)),
            }
        }
        match scalar {
            Some(i) if parts.is_empty() && unions.is_empty() => {
                let at = At { hint: name.to_string(), pointer: &format!("{pointer}/allOf/{i}") };
                return TypeKind::Alias(self.type_of(&members[i], at));
            }
            Some(i) => {
                self.warn(
                    format!("{pointer}/allOf/{i}"),
                    "`allOf` mixes objects with a non-object; using serde_json::Value for the whole type",
                );
                return TypeKind::Alias(TypeRef::Json);
            }
            None => {}
        }
        if parts.is_empty() && unions.len() == 1 {
            let at = At { hint: name.to_string(), pointer: &format!("{pointer}/allOf/{}", unions[0]) };
            return TypeKind::Alias(self.type_of(&members[unions[0]], at));
        }
        // A flattened discriminated union reads and writes its tag itself; the parent must not
        // take it first.
        let tags: Vec<String> = unions
            .iter()
            .filter_map(|&i| self.resolve_schema(&members[i]))
            .filter_map(|s| s.schema_data.discriminator.as_ref().map(|d| d.property_name.clone()))
            .collect();
        for (properties, _) in &mut parts {
            properties.retain(|key, _| !tags.contains(key));
        }
        let borrowed: Vec<_> = parts.iter().map(|(p, r)| (p, r)).collect();
        let mut fields = self.structure(name, &borrowed, additional.as_ref(), pointer).fields;
        let mut scope = Scope::default();
        for field in &fields {
            scope.reserve(field.name.as_str());
        }
        for i in unions {
            let member_pointer = format!("{pointer}/allOf/{i}");
            let ty = self.type_of(&members[i], At { hint: format!("{name}Variant"), pointer: &member_pointer });
            fields.push(Field {
                name: scope.claim("variant"),
                doc: None,
                ty,
                boxed: false,
                takes_null: false,
                setter: None,
                kind: FieldKind::Variant,
            });
        }
        TypeKind::Struct(Struct::new(fields))
    }

    /// The flattened field of the union that stands beside an object's own properties
    /// (`properties` with `anyOf` or `oneOf`), when each of its members declares properties
    /// or extra properties; `None` when they only constrain (`anyOf: [{required: [a]}, …]`).
    pub(super) fn union_beside_properties(
        &mut self,
        name: &str,
        any: &openapiv3::AnySchema,
        pointer: &str,
        structure: &Struct,
    ) -> Option<Field> {
        let (variants, key) = if any.one_of.len() > 1 { (&any.one_of, "oneOf") } else { (&any.any_of, "anyOf") };
        let members: Vec<&ReferenceOr<Schema>> = variants.iter().filter(|v| !super::nulls::is_null_schema(v)).collect();
        if members.len() < 2 || !members.iter().all(|m| self.resolve_schema(m).is_some_and(|s| declares(&s, self))) {
            return None;
        }
        let union_schema = Schema {
            schema_data: Default::default(),
            schema_kind: match key {
                "oneOf" => SchemaKind::OneOf { one_of: variants.clone() },
                _ => SchemaKind::AnyOf { any_of: variants.clone() },
            },
        };
        let union_pointer = format!("{pointer}/{key}");
        let union_name = self.types.claim(format!("{name}Variant"));
        let union = self.union(union_name.as_str(), variants, &union_schema, &union_pointer);
        self.defs.push(crate::model::TypeDef {
            name: union_name.clone(),
            doc: None,
            kind: TypeKind::Union(union),
            pointer: union_pointer,
            side: crate::model::Side::Neither,
            traits: Default::default(),
        });
        let mut scope = Scope::default();
        for field in &structure.fields {
            scope.reserve(field.name.as_str());
        }
        let ty = TypeRef::Named(union_name);
        Some(Field {
            name: scope.claim("variant"),
            doc: None,
            ty,
            boxed: false,
            takes_null: false,
            setter: None,
            kind: FieldKind::Variant,
        })
    }
}

/// Whether a union member declares properties or extra properties, itself or through `allOf`.
fn declares(schema: &Schema, lowerer: &Lowerer<'_>) -> bool {
    object_parts(schema, lowerer, 0).is_some_and(|(properties, _, extra)| !properties.is_empty() || extra.is_some())
}

/// The properties of an object-like schema, following nested `allOf`s.
pub(super) fn object_parts(schema: &Schema, lowerer: &Lowerer<'_>, depth: usize) -> Option<Parts> {
    // `allOf` can include itself through references; such a schema is not an object we can merge.
    if depth > 32 {
        return None;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            Some((o.properties.clone(), o.required.clone(), o.additional_properties.clone()))
        }
        SchemaKind::Any(any)
            if any.properties.is_empty()
                && any.all_of.is_empty()
                && !any.required.is_empty()
                && *any == openapiv3::AnySchema { required: any.required.clone(), ..Default::default() } =>
        {
            // `{required: [a]}` in an `allOf`: it only makes properties of the others required.
            Some((Properties::new(), any.required.clone(), None))
        }
        SchemaKind::Any(any) if !any.properties.is_empty() || !any.all_of.is_empty() => {
            let mut properties = any.properties.clone();
            let mut required = any.required.clone();
            let mut additional = merge_extra(None, any.additional_properties.clone());
            for member in &any.all_of {
                let member = lowerer.resolve_schema(member)?;
                let (p, r, extra) = object_parts(&member, lowerer, depth + 1)?;
                properties.extend(p);
                required.extend(r);
                additional = merge_extra(additional, extra);
            }
            Some((properties, required, additional))
        }
        SchemaKind::AllOf { all_of } => {
            let mut properties = indexmap::IndexMap::new();
            let mut required = Vec::new();
            let mut additional = None;
            for member in all_of {
                let member = lowerer.resolve_schema(member)?;
                if is_unconstrained(&member) {
                    continue;
                }
                let (p, r, extra) = object_parts(&member, lowerer, depth + 1)?;
                properties.extend(p);
                required.extend(r);
                additional = merge_extra(additional, extra);
            }
            Some((properties, required, additional))
        }
        _ => None,
    }
}

/// The extra properties of merged members: the first member's that allows some. A member
/// closed with `additionalProperties: false` does not close the others: their properties are
/// all the merged struct's.
fn merge_extra(
    merged: Option<AdditionalProperties>,
    member: Option<AdditionalProperties>,
) -> Option<AdditionalProperties> {
    merged.or(member.filter(|extra| *extra != AdditionalProperties::Any(false)))
}

pub(super) fn is_union(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::Any(any) => any.properties.is_empty() && (!any.one_of.is_empty() || !any.any_of.is_empty()),
        _ => false,
    }
}
