//! Schemas to types: each schema becomes a `TypeRef`, and those that need a name of their
//! own (objects, enums, unions) become a `TypeDef` named after where they appear.

use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::borrow::Cow;

use serde_json::Value;

use super::Lowerer;
use crate::model::{
    EnumVariant, Field, FieldKind, IntType, Property, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union,
    UnionVariant,
};
use crate::names::{self, Ident, Scope};

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

    fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
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
            .and_then(|p| self.raw.pointer(p))
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

    /// A schema written in place: primitives map to Rust types, the rest gets a named type.
    fn inline(&mut self, schema: &Schema, at: At<'_>) -> TypeRef {
        if schema.schema_data.extensions.contains_key(crate::normalize::TUPLE) {
            return nullable(self.tuple(&at), schema.schema_data.nullable);
        }
        if let Some(why) = schema.schema_data.extensions.get(crate::normalize::UNTYPED).and_then(|w| w.as_str()) {
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
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                return self.single_choice(variants, at);
            }
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
    fn single_choice(&mut self, variants: &[ReferenceOr<Schema>], at: &At<'_>) -> Option<TypeRef> {
        let non_null: Vec<(usize, &ReferenceOr<Schema>)> =
            variants.iter().enumerate().filter(|(_, v)| !is_null_schema(v)).collect();
        let has_null = non_null.len() < variants.len();
        match non_null.as_slice() {
            [] => Some(TypeRef::Json),
            [(i, only)] => {
                let pointer = format!("{}/oneOf/{i}", at.pointer);
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
            return self.single_choice(&any.one_of, at);
        }
        if !any.any_of.is_empty() {
            return self.single_choice(&any.any_of, at);
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

    /// Whether the component schema `reference` points to admits `null` as a whole.
    fn component_admits_null(&self, reference: &str) -> bool {
        let Some(key) = reference.strip_prefix("#/components/schemas/") else { return false };
        match self.doc.components.as_ref().and_then(|c| c.schemas.get(&unescape(key))) {
            Some(ReferenceOr::Item(schema)) => admits_null(schema),
            _ => false,
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
            self.example(name.as_str(), pointer, TypeRef::Named(name.clone()), example);
        }
        self.defs.push(TypeDef { name, doc, kind });
    }

    /// A choice whose every member is a set of values (`oneOf` of `const`s, as Discord writes
    /// its integer enums): the enum of those strings, or the number type itself, rather than a
    /// union whose variants cannot tell one integer from another.
    fn enum_choice(&self, variants: &[ReferenceOr<Schema>]) -> Option<TypeKind> {
        let members: Vec<Cow<'_, Schema>> =
            variants.iter().filter(|v| !is_null_schema(v)).map(|v| self.resolve_schema(v)).collect::<Option<_>>()?;
        if members.len() < 2 {
            return None;
        }
        let mut strings = Vec::new();
        let (mut integers, mut numbers) = (0, 0);
        for member in &members {
            match &member.schema_kind {
                SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                    strings.extend(s.enumeration.iter().flatten().cloned());
                }
                SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => integers += 1,
                SchemaKind::Type(Type::Number(n)) if !n.enumeration.is_empty() => numbers += 1,
                _ => return None,
            }
        }
        let count = members.len();
        if strings.len() >= count && integers + numbers == 0 {
            return Some(TypeKind::Enum(string_enum(strings.iter().map(String::as_str))));
        }
        match (integers, numbers) {
            (i, 0) if i == count => Some(TypeKind::Alias(TypeRef::Int(IntType::I64))),
            (i, n) if i + n == count => Some(TypeKind::Alias(TypeRef::Float)),
            _ => None,
        }
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
            SchemaKind::Any(any) if !any.properties.is_empty() && any.all_of.is_empty() => TypeKind::Struct(
                self.structure(&name, &[(&any.properties, &any.required)], any.additional_properties.as_ref(), pointer),
            ),
            SchemaKind::Any(any) if !any.all_of.is_empty() => {
                let mut members = any.all_of.clone();
                if !any.properties.is_empty() {
                    members.push(ReferenceOr::Item(Schema {
                        schema_data: Default::default(),
                        schema_kind: SchemaKind::Type(Type::Object(openapiv3::ObjectType {
                            properties: any.properties.clone(),
                            required: any.required.clone(),
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

    fn structure(
        &mut self,
        owner: &str,
        parts: &[(&Properties, &Vec<String>)],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> Struct {
        let mut scope = Scope::default();
        let mut fields: Vec<Field> = Vec::new();
        for (properties, _) in parts {
            for (wire_name, property) in properties.iter() {
                // allOf members that repeat a property: the first one defines it.
                if fields.iter().any(|f| f.wire_name() == wire_name) {
                    continue;
                }
                let prop_pointer = format!("{pointer}/properties/{}", crate::diagnostic::escape(wire_name));
                let hint = format!("{owner}{}", names::type_prefix(wire_name));
                let ty = self.boxed_type_of(property, At { hint, pointer: &prop_pointer });
                // What a reference says of itself belongs to its type.
                let schema = property.as_item();
                let data = schema.map(|s| &s.schema_data);
                let property = Property {
                    wire_name: wire_name.clone(),
                    // Any part may require it, even one that only lists `required`.
                    required: parts.iter().any(|(_, required)| required.contains(wire_name)),
                    default: data.and_then(|d| d.default.as_ref()).map(Value::to_string),
                    read_only: data.is_some_and(|d| d.read_only),
                    write_only: data.is_some_and(|d| d.write_only),
                    deprecated: data.is_some_and(|d| d.deprecated),
                };
                fields.push(Field {
                    name: scope.claim(names::field(wire_name)),
                    doc: schema.and_then(|s| doc_of(s)),
                    ty,
                    boxed: false,
                    kind: FieldKind::Property(property),
                });
            }
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value_pointer = format!("{pointer}/additionalProperties");
                Some(self.type_of(schema, At { hint: format!("{owner}Value"), pointer: &value_pointer }))
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            _ => None,
        };
        if let Some(value) = additional {
            fields.push(Field {
                name: scope.claim("additional_properties"),
                doc: None,
                ty: TypeRef::Map(Box::new(value)),
                boxed: false,
                kind: FieldKind::AdditionalProperties,
            });
        }
        Struct { fields }
    }

    /// `allOf` of objects merges into one struct; a member that is a union becomes a
    /// flattened field of it; `allOf` of one non-object (a `$ref` to an enum, say, beside
    /// unconstrained members) is that type; anything else cannot be merged.
    fn all_of(&mut self, name: &str, members: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
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
                    additional = additional.or(extra);
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
        let mut merged = self.structure(name, &borrowed, additional.as_ref(), pointer);
        let mut scope = Scope::default();
        for field in &merged.fields {
            scope.reserve(field.name.as_str());
        }
        for i in unions {
            let member_pointer = format!("{pointer}/allOf/{i}");
            let ty = self.type_of(&members[i], At { hint: format!("{name}Variant"), pointer: &member_pointer });
            merged.fields.push(Field {
                name: scope.claim("variant"),
                doc: None,
                ty,
                boxed: false,
                kind: FieldKind::Variant,
            });
        }
        TypeKind::Struct(merged)
    }

    fn union(&mut self, name: &str, variants: &[ReferenceOr<Schema>], schema: &Schema, pointer: &str) -> Union {
        let discriminator = schema.schema_data.discriminator.as_ref();
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
                        values = discriminator.map(|d| self.tag_values(variant, &d.property_name)).unwrap_or_default();
                    }
                    if values.is_empty() && discriminator.is_some() {
                        values.push(short.to_string());
                    }
                    (names::variant(short), values)
                }
                ReferenceOr::Item(item) => {
                    let label = item.schema_data.title.clone().unwrap_or_else(|| format!("Variant{i}"));
                    let values = discriminator.map(|d| self.tag_values(variant, &d.property_name)).unwrap_or_default();
                    (names::variant(&label), values)
                }
            };
            let variant_name = scope.claim(variant_name);
            let ty =
                match self.type_of(variant, At { hint: format!("{name}{variant_name}"), pointer: &variant_pointer }) {
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
        if tag.is_none() {
            for v in &mut out {
                v.tag_values.clear();
            }
        }
        let null = has_null.then(|| scope.claim("Null"));
        Union { tag, variants: out, null }
    }

    /// A closed `prefixItems` array: the tuple of its items' types. The typed model drops
    /// `prefixItems`, so its schemas are read from the document at the schema's pointer.
    fn tuple(&mut self, at: &At<'_>) -> TypeRef {
        let pointer = format!("{}/prefixItems", at.pointer);
        let items = pointer.strip_prefix('#').and_then(|p| self.raw.pointer(p)).and_then(Value::as_array).cloned();
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

    /// The values a union member's tag property allows, when it declares that property as a
    /// string enum (or `const`, which the document's normalisation wrote as a one-value enum).
    fn tag_values(&self, member: &ReferenceOr<Schema>, property: &str) -> Vec<String> {
        let Some(schema) = self.property_schema(member, property, 0) else { return Vec::new() };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// The schema of `property` as `schema` declares it, itself or through `allOf`.
    fn property_schema(&self, schema: &ReferenceOr<Schema>, property: &str, depth: usize) -> Option<Schema> {
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
                        let value = self.raw.pointer(reference.strip_prefix('#')?)?;
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

type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;
type Parts = (Properties, Vec<String>, Option<AdditionalProperties>);

/// The properties of an object-like schema, following nested `allOf`s.
fn object_parts(schema: &Schema, lowerer: &Lowerer<'_>, depth: usize) -> Option<Parts> {
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
            for member in &any.all_of {
                let member = lowerer.resolve_schema(member)?;
                let (p, r, _) = object_parts(&member, lowerer, depth + 1)?;
                properties.extend(p);
                required.extend(r);
            }
            Some((properties, required, any.additional_properties.clone()))
        }
        SchemaKind::AllOf { all_of } => {
            let mut properties = indexmap::IndexMap::new();
            let mut required = Vec::new();
            for member in all_of {
                let member = lowerer.resolve_schema(member)?;
                if is_unconstrained(&member) {
                    continue;
                }
                let (p, r, _) = object_parts(&member, lowerer, depth + 1)?;
                properties.extend(p);
                required.extend(r);
            }
            Some((properties, required, None))
        }
        _ => None,
    }
}

fn is_union(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
        SchemaKind::Any(any) => any.properties.is_empty() && (!any.one_of.is_empty() || !any.any_of.is_empty()),
        _ => false,
    }
}

/// A schema that says nothing about the value's shape (only a description, say).
fn is_unconstrained(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}

/// Whether `null` is a value of the schema as a whole: `nullable`, or a choice between one
/// schema and `null`.
fn admits_null(schema: &Schema) -> bool {
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

fn is_null_schema(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Item(s) => s.schema_data.nullable && is_unconstrained(s),
        ReferenceOr::Reference { .. } => false,
    }
}

fn nullable(ty: TypeRef, nullable: bool) -> TypeRef {
    match ty {
        TypeRef::Nullable(_) | TypeRef::Json => ty,
        ty if nullable => TypeRef::Nullable(Box::new(ty)),
        ty => ty,
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

fn string_enum<'s>(values: impl Iterator<Item = &'s str>) -> StringEnum {
    let mut scope = Scope::default();
    let mut variants: Vec<EnumVariant> = Vec::new();
    for value in values {
        if variants.iter().any(|v| v.value == value) {
            continue;
        }
        variants.push(EnumVariant { name: scope.claim(names::variant(value)), value: value.to_string(), doc: None });
    }
    let other = scope.claim("Other");
    StringEnum { variants, other }
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
        _ => TypeRef::String,
    }
}

/// An explicit format wins; otherwise the smallest type that holds both bounds, or `i64`
/// when the range is open.
pub fn int_type(format: &VariantOrUnknownOrEmpty<IntegerFormat>, min: Option<i64>, max: Option<i64>) -> IntType {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => return IntType::I32,
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => return IntType::I64,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "int8" => return IntType::I8,
            "int16" => return IntType::I16,
            "uint8" => return IntType::U8,
            "uint16" => return IntType::U16,
            "uint32" => return IntType::U32,
            "uint64" | "uint" => return IntType::U64,
            _ => {}
        },
        VariantOrUnknownOrEmpty::Empty => {}
    }
    match (min, max) {
        (Some(lo), Some(hi)) if lo >= 0 => {
            if hi <= u8::MAX as i64 {
                IntType::U8
            } else if hi <= u16::MAX as i64 {
                IntType::U16
            } else if hi <= u32::MAX as i64 {
                IntType::U32
            } else {
                IntType::U64
            }
        }
        (Some(lo), Some(hi)) if lo >= i32::MIN as i64 && hi <= i32::MAX as i64 => IntType::I32,
        (Some(lo), None) if lo >= 0 => IntType::U64,
        _ => IntType::I64,
    }
}

/// A type name for the schema at `pointer`: its component and property names
/// (`#/components/schemas/Disk/properties/filesystem` → `DiskFilesystem`).
fn hint_from_pointer(pointer: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_sizes() {
        let empty = VariantOrUnknownOrEmpty::Empty;
        assert_eq!(int_type(&empty, Some(100), Some(599)), IntType::U16);
        assert_eq!(int_type(&empty, Some(0), Some(255)), IntType::U8);
        assert_eq!(int_type(&empty, Some(-5), Some(5)), IntType::I32);
        assert_eq!(int_type(&empty, Some(1), None), IntType::U64);
        assert_eq!(int_type(&empty, None, None), IntType::I64);
        assert_eq!(int_type(&VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32), Some(0), Some(9)), IntType::I32);
    }
}
