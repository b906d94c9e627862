//! Schemas to types: each schema becomes a `TypeRef`, and those that need a name of their
//! own (objects, enums, unions) become a `TypeDef` named after where they appear.

mod all_of;
mod nulls;
mod objects;
mod refs;
mod scalars;
mod unions;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::Lowerer;
use crate::model::{IntType, TypeDef, TypeKind, TypeRef};
use crate::names::Ident;
use nulls::{admits_null, is_null_schema, nullable};
pub use refs::unescape;
use scalars::{int_type, string_enum, string_type};

/// How deep inline schemas may nest before lowering gives up on them.
const MAX_DEPTH: usize = 64;

/// Where a schema is, for names and messages.
#[derive(Clone)]
pub struct At<'p> {
    /// The name an inline type here would get (`ErrorResponseErrorsItem`).
    pub hint: String,
    pub pointer: &'p str,
}

impl<'a> Lowerer<'a> {
    /// The type of a schema reference or inline schema.
    pub fn type_of(&mut self, schema: &ReferenceOr<Schema>, at: At<'_>) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, at.pointer),
            ReferenceOr::Item(schema) => self.inline(schema, at),
        }
    }

    pub fn boxed_type_of(&mut self, schema: &ReferenceOr<Box<Schema>>, at: At<'_>) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, at.pointer),
            ReferenceOr::Item(schema) => self.inline(schema, at),
        }
    }

    /// A schema written in place: primitives map to Rust types, the rest gets a named type.
    fn inline(&mut self, schema: &Schema, at: At<'_>) -> TypeRef {
        if schema.schema_data.extensions.contains_key(crate::read::normalize::TUPLE) {
            return nullable(self.tuple(&at), schema.schema_data.nullable);
        }
        if let Some(why) = schema.schema_data.extensions.get(crate::read::normalize::UNTYPED).and_then(|w| w.as_str()) {
            self.warn(at.pointer, why);
            let untyped = match &schema.schema_kind {
                SchemaKind::Type(Type::Array(_)) => TypeRef::Array(Box::new(TypeRef::Json)),
                _ => TypeRef::Json,
            };
            return nullable(untyped, schema.schema_data.nullable);
        }
        if let Some(ty) = self.by_pointer.get(at.pointer) {
            return nullable(ty.clone(), schema.schema_data.nullable);
        }
        // Merging `allOf` members copies their sub-schemas here, and a member that includes
        // this schema again would do so forever; real documents never nest this deep.
        if self.depth >= MAX_DEPTH {
            self.warn(
                at.pointer,
                "schemas nest too deeply (a schema that includes itself through `allOf`?); using serde_json::Value",
            );
            return TypeRef::Json;
        }
        self.depth += 1;
        let ty = self.inline_at_depth(schema, at);
        self.depth -= 1;
        ty
    }

    fn inline_at_depth(&mut self, schema: &Schema, at: At<'_>) -> TypeRef {
        let ty = self.unnamed(schema, &at).unwrap_or_else(|| {
            let name = self.types.claim(at.hint.clone());
            let doc = doc_of(schema);
            let ty = TypeRef::Named(name.clone());
            // Recorded before defining, so a reference back to here from inside finds it.
            self.by_pointer.insert(at.pointer.to_string(), ty.clone());
            self.define(name, doc, schema, at.pointer);
            ty
        });
        nullable(ty, schema.schema_data.nullable)
    }

    /// The type of a schema that needs no definition of its own, or `None` if it does.
    fn unnamed(&mut self, schema: &Schema, at: &At<'_>) -> Option<TypeRef> {
        if let Some(external) = self.inline_replacement(schema, at.pointer) {
            return Some(TypeRef::External(external));
        }
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().flatten().next().is_some() => return None,
            SchemaKind::Type(Type::String(s)) => string_type(&s.format),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Integer(i)) => TypeRef::Int(int_type(&i.format, i.minimum, i.maximum)),
            SchemaKind::Type(Type::Number(_)) => TypeRef::Float,
            SchemaKind::Type(Type::Array(a)) => self.array(a.items.as_ref(), at),
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                self.map_of(o.additional_properties.as_ref(), at)
            }
            SchemaKind::Type(Type::Object(_)) => return None,
            SchemaKind::OneOf { one_of: variants } => return self.single_choice(variants, "oneOf", at),
            SchemaKind::AnyOf { any_of: variants } => return self.single_choice(variants, "anyOf", at),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                return Some(
                    self.type_of(&all_of[0], At { hint: at.hint.clone(), pointer: &format!("{}/allOf/0", at.pointer) }),
                );
            }
            SchemaKind::AllOf { .. } => return None,
            SchemaKind::Not { .. } => {
                self.warn(at.pointer, "`not` cannot be expressed as a Rust type; using serde_json::Value");
                TypeRef::Json
            }
            SchemaKind::Any(any) => return self.any_unnamed(any, at),
        };
        Some(ty)
    }

    /// `oneOf`/`anyOf` with one non-null member is that member, made nullable.
    /// `keyword` is the one the document uses, for the member's pointer.
    fn single_choice(&mut self, variants: &[ReferenceOr<Schema>], keyword: &str, at: &At<'_>) -> Option<TypeRef> {
        let non_null: Vec<(usize, &ReferenceOr<Schema>)> =
            variants.iter().enumerate().filter(|(_, v)| !is_null_schema(v)).collect();
        let has_null = non_null.len() < variants.len();
        match non_null.as_slice() {
            [] => Some(TypeRef::Json),
            [(i, only)] => {
                let pointer = format!("{}/{keyword}/{i}", at.pointer);
                let ty = self.type_of(only, At { hint: at.hint.clone(), pointer: &pointer });
                Some(nullable(ty, has_null))
            }
            _ => None,
        }
    }

    fn any_unnamed(&mut self, any: &openapiv3::AnySchema, at: &At<'_>) -> Option<TypeRef> {
        if any.properties.is_empty() && any.all_of.len() == 1 {
            let pointer = format!("{}/allOf/0", at.pointer);
            return Some(self.type_of(&any.all_of[0], At { hint: at.hint.clone(), pointer: &pointer }));
        }
        if !any.properties.is_empty() || !any.all_of.is_empty() {
            return None;
        }
        if !any.one_of.is_empty() {
            return self.single_choice(&any.one_of, "oneOf", at);
        }
        if !any.any_of.is_empty() {
            return self.single_choice(&any.any_of, "anyOf", at);
        }
        if any.enumeration.iter().any(Value::is_string) && any.enumeration.iter().all(|v| v.is_string() || v.is_null())
        {
            return None;
        }
        if let Some(items) = &any.items {
            return Some(self.array(Some(items), at));
        }
        if any.additional_properties.is_some() {
            return Some(self.map_of(any.additional_properties.as_ref(), at));
        }
        if let Some(typ) = any
            .typ
            .as_deref()
            .filter(|t| !["string", "boolean", "integer", "number", "object", "array", "null"].contains(t))
        {
            self.error(
                format!("{}/type", at.pointer),
                format!("unknown type {typ:?}; expected string, number, integer, boolean, array, object or null"),
            );
        }
        Some(match (any.typ.as_deref(), any.format.as_deref()) {
            (Some("string"), Some("uuid")) => TypeRef::Uuid,
            (Some("string"), Some("date-time")) => TypeRef::DateTime,
            (Some("string"), Some("date")) => TypeRef::Date,
            (Some("string"), _) => TypeRef::String,
            (Some("boolean"), _) => TypeRef::Bool,
            (Some("integer"), _) => TypeRef::Int(IntType::I64),
            (Some("number"), _) => TypeRef::Float,
            _ => TypeRef::Json,
        })
    }

    fn array(&mut self, items: Option<&ReferenceOr<Box<Schema>>>, at: &At<'_>) -> TypeRef {
        let item = match items {
            Some(items) => {
                let pointer = format!("{}/items", at.pointer);
                self.boxed_type_of(items, At { hint: format!("{}Item", at.hint), pointer: &pointer })
            }
            None => TypeRef::Json,
        };
        TypeRef::Array(Box::new(item))
    }

    fn map_of(&mut self, additional: Option<&AdditionalProperties>, at: &At<'_>) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let pointer = format!("{}/additionalProperties", at.pointer);
                let value = self.type_of(schema, At { hint: format!("{}Value", at.hint), pointer: &pointer });
                TypeRef::Map(Box::new(value))
            }
            Some(AdditionalProperties::Any(true)) => TypeRef::Map(Box::new(TypeRef::Json)),
            // An object with no properties at all is free-form, whatever the document says.
            _ => TypeRef::Json,
        }
    }

    /// Defines the named type `name` from `schema`. A schema that admits `null` as a whole
    /// defines the type without it: whoever refers to the type adds the `Option`.
    pub fn define(&mut self, name: Ident, doc: Option<String>, schema: &Schema, pointer: &str) {
        let at = At { hint: name.to_string(), pointer };
        let example = schema.schema_data.example.clone();
        let choices = match &schema.schema_kind {
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => Some(variants),
            SchemaKind::Any(any) if any.one_of.len() > 1 => Some(&any.one_of),
            SchemaKind::Any(any) if any.any_of.len() > 1 => Some(&any.any_of),
            _ => None,
        };
        let enumerated = choices.and_then(|variants| self.enum_choice(variants));
        let kind = if let Some(kind) = enumerated { kind } else { self.kind_of(name.as_str(), schema, &at, pointer) };
        let kind = match kind {
            TypeKind::Alias(TypeRef::Nullable(inner)) if admits_null(schema) => TypeKind::Alias(*inner),
            kind => kind,
        };
        if let Some(example) = example {
            let at = Some((pointer.to_string(), schema));
            self.example(name.as_str(), pointer, TypeRef::Named(name.clone()), example, at);
        }
        self.defs.push(TypeDef {
            name,
            doc,
            kind,
            pointer: pointer.to_string(),
            side: crate::model::Side::Neither,
            traits: Default::default(),
        });
    }

    /// What a named schema defines, when it is not a choice of values.
    fn kind_of(&mut self, name: &str, schema: &Schema, at: &At<'_>, pointer: &str) -> TypeKind {
        let name = name.to_string();
        let at = At { hint: at.hint.clone(), pointer: at.pointer };
        match &schema.schema_kind {
            // Free-form: a struct without fields would drop every property. (With
            // `additionalProperties` the struct keeps them in its map, and a map's values may
            // be the type itself, which an alias could not say.)
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() && o.additional_properties.is_none() => {
                TypeKind::Alias(TypeRef::Json)
            }
            SchemaKind::Type(Type::Object(o)) => TypeKind::Struct(self.structure(
                &name,
                &[(&o.properties, &o.required)],
                o.additional_properties.as_ref(),
                pointer,
            )),
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().flatten().next().is_some() => {
                TypeKind::Enum(string_enum(s.enumeration.iter().flatten().map(String::as_str)))
            }
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants }
                if self.single_choice_peek(variants) =>
            {
                let ty = self.unnamed(schema, &at).unwrap_or(TypeRef::Json);
                TypeKind::Alias(ty)
            }
            SchemaKind::OneOf { one_of: variants } => {
                TypeKind::Union(self.union(&name, variants, schema, &format!("{pointer}/oneOf")))
            }
            SchemaKind::AnyOf { any_of: variants } => {
                TypeKind::Union(self.union(&name, variants, schema, &format!("{pointer}/anyOf")))
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => self.all_of(&name, all_of, pointer),
            SchemaKind::Any(any) if !any.properties.is_empty() && any.all_of.is_empty() => {
                let mut structure = self.structure(
                    &name,
                    &[(&any.properties, &any.required)],
                    any.additional_properties.as_ref(),
                    pointer,
                );
                // Properties beside a union of objects: the union's members declare more of
                // them, read into a flattened field as an `allOf` member's would be.
                if let Some(field) = self.union_beside_properties(&name, any, pointer, &structure) {
                    let mut fields = structure.fields;
                    fields.push(field);
                    structure = crate::model::Struct::new(fields);
                }
                TypeKind::Struct(structure)
            }
            SchemaKind::Any(any) if !any.all_of.is_empty() => {
                let mut members = any.all_of.clone();
                let extra = any.additional_properties.as_ref().filter(|a| **a != AdditionalProperties::Any(false));
                if !any.properties.is_empty() || extra.is_some() {
                    // The schema's own properties, and its extra properties, are a member too.
                    members.push(ReferenceOr::Item(Schema {
                        schema_data: Default::default(),
                        schema_kind: SchemaKind::Type(Type::Object(openapiv3::ObjectType {
                            properties: any.properties.clone(),
                            required: any.required.clone(),
                            additional_properties: extra.cloned(),
                            ..Default::default()
                        })),
                    }));
                }
                self.all_of(&name, &members, pointer)
            }
            SchemaKind::Any(any) if any.enumeration.iter().any(Value::is_string) && any.one_of.is_empty() => {
                TypeKind::Enum(string_enum(any.enumeration.iter().filter_map(Value::as_str)))
            }
            SchemaKind::Any(any) if any.one_of.len() > 1 || any.any_of.len() > 1 => {
                let (variants, key) =
                    if any.one_of.len() > 1 { (&any.one_of, "oneOf") } else { (&any.any_of, "anyOf") };
                TypeKind::Union(self.union(&name, variants, schema, &format!("{pointer}/{key}")))
            }
            _ => TypeKind::Alias(self.unnamed(schema, &at).unwrap_or(TypeRef::Json)),
        }
    }

    fn single_choice_peek(&self, variants: &[ReferenceOr<Schema>]) -> bool {
        variants.iter().filter(|v| !is_null_schema(v)).count() <= 1
    }

    /// A closed `prefixItems` array: the tuple of its items' types. The typed model drops
    /// `prefixItems`, so its schemas are read from the document at the schema's pointer.
    fn tuple(&mut self, at: &At<'_>) -> TypeRef {
        let pointer = format!("{}/prefixItems", at.pointer);
        let items =
            pointer.strip_prefix('#').and_then(|p| self.fragments.pointer(p)).and_then(Value::as_array).cloned();
        let Some(items) = items else {
            // A schema copied elsewhere (an `allOf` merge) has no pointer of its own to read.
            self.warn(at.pointer, "`prefixItems` not found at this place; typed as a list of JSON values");
            return TypeRef::Array(Box::new(TypeRef::Json));
        };
        let mut types = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let item_pointer = format!("{pointer}/{i}");
            let Ok(schema) = serde_json::from_value::<ReferenceOr<Schema>>(item) else {
                self.warn(&item_pointer, "not a schema the generator can read; using serde_json::Value");
                types.push(TypeRef::Json);
                continue;
            };
            types.push(self.type_of(&schema, At { hint: format!("{}Item{i}", at.hint), pointer: &item_pointer }));
        }
        TypeRef::Tuple(types)
    }
}

/// The doc comment of a schema: its title and description.
pub fn doc_of(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    match (&data.title, &data.description) {
        (Some(t), Some(d)) if !d.starts_with(t.as_str()) => Some(format!("{t}\n\n{d}")),
        (_, Some(d)) => Some(d.clone()),
        (Some(t), None) => Some(t.clone()),
        (None, None) => None,
    }
}
