//! Objects: one field per property, and a map of the properties beyond them.

use std::collections::HashSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::{doc_of, At};
use crate::lower::Lowerer;
use crate::model::{Field, FieldKind, Locals, Property, Struct, TypeRef};
use crate::names::{self, Scope};

/// An object's properties by their names on the wire, in the document's order.
pub(super) type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

impl Lowerer<'_> {
    pub(super) fn structure(
        &mut self,
        owner: &str,
        parts: &[(&Properties, &Vec<String>)],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> Struct {
        let mut scope = Scope::default();
        let mut fields: Vec<Field> = Vec::new();
        // Sets, as an object may have a hundred thousand properties.
        let required: HashSet<&str> =
            parts.iter().flat_map(|(_, required)| required.iter().map(String::as_str)).collect();
        let mut seen: HashSet<&str> = HashSet::new();
        for (properties, _) in parts {
            for (wire_name, property) in properties.iter() {
                // allOf members that repeat a property: the first one defines it.
                if !seen.insert(wire_name.as_str()) {
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
                    pointer: prop_pointer.clone(),
                    // Any part may require it, even one that only lists `required`.
                    required: required.contains(wire_name.as_str()),
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
                    takes_null: false,
                    setter: None,
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
                takes_null: false,
                setter: None,
                kind: FieldKind::AdditionalProperties,
            });
        }
        Struct::new(fields)
    }
}

/// Names a struct's setter cannot take: its constructor's, and those of the methods clippy
/// expects to implement a standard trait (`should_implement_trait`).
const SETTERS_TAKEN: &[&str] = &[
    "new",
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

impl Struct {
    /// A struct of `fields` (named already, each name unique), with the locals of its
    /// `Deserialize` named.
    pub fn new(fields: Vec<Field>) -> Self {
        let mut scope = Scope::default();
        for field in &fields {
            scope.reserve(field.name.as_str());
        }
        let slots = fields
            .iter()
            .map(|field| {
                let name = field.name.unraw();
                if name.chars().all(|c| c == '_' || c.is_ascii_digit()) {
                    scope.claim(format!("value{name}"))
                } else {
                    field.name.clone()
                }
            })
            .collect();
        let locals = Locals { map: scope.claim("map"), key: scope.claim("key"), slots };
        let mut fields = fields;
        let mut setters = Scope::default();
        for taken in SETTERS_TAKEN {
            setters.reserve(taken);
        }
        for field in fields.iter_mut().filter(|f| !f.required()) {
            let name = field.name.unraw();
            // A field `with_not` beside `not` gets `with_with_not`: every name once.
            let wanted = if setters.is_taken(name) { format!("with_{name}") } else { field.name.to_string() };
            field.setter = Some(setters.claim(wanted));
        }
        Struct { fields, locals }
    }
}
