//! Where `null` is allowed: a nullable schema, or a choice between one schema and `null`.

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use crate::model::TypeRef;

/// Whether `null` is a value of the schema as a whole: `nullable`, or a choice between one
/// schema and `null`.
pub(super) fn admits_null(schema: &Schema) -> bool {
    let choice = match &schema.schema_kind {
        SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => variants,
        SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
            if any.one_of.is_empty() {
                &any.any_of
            } else {
                &any.one_of
            }
        }
        _ => return schema.schema_data.nullable,
    };
    schema.schema_data.nullable
        || (choice.iter().any(is_null_schema) && choice.iter().filter(|v| !is_null_schema(v)).count() == 1)
}

/// A member of a choice that stands for `null` alone (`{nullable: true}`).
pub(super) fn is_null_schema(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(s) => s.schema_data.nullable && is_unconstrained(s),
        ReferenceOr::Reference { .. } => false,
    }
}

/// `ty`, admitting `null` if `nullable`; JSON values admit it already.
pub(super) fn nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    match ty {
        TypeRef::Nullable(_) | TypeRef::Json => ty,
        ty if nullable => TypeRef::Nullable(Box::new(ty)),
        ty => ty,
    }
}

/// A schema that says nothing about the value's shape (only a description, say).
pub(super) fn is_unconstrained(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}
