//! The `types` module: one item per named type of the model.

use proc_macro2::TokenStream;
use quote::quote;
use std::cmp::Reverse;

use super::docs::{doc, doc_or};
use super::responses::{response_enum, response_headers, responses_doc, status_error, Responses};
use super::structs::structure;
use super::typeref::{rust_type, Context};
use crate::model::{Api, Ident, StringEnum, Traits, TypeDef, TypeKind, TypeRef, Union, UnionVariant};

pub fn types(api: &Api) -> TokenStream {
    let items = api.types.iter().map(|def| type_def(def, &api.types));
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! The schemas of the API and the responses of its operations.
        #(#items)*
    }
}

/// The root of a split `types` module: every type is re-exported from its file.
pub fn types_root(api: &Api) -> TokenStream {
    let chunks = api.type_files.iter().map(|file| {
        let module = &file.module;
        let (first, last) = bounds(api, file);
        let mut text = format!("`{first}` to `{last}`.");
        if !file.gate.is_empty() {
            let features = file.gate.join("`, `");
            let which = if file.gate.len() == 1 { "the feature" } else { "any of the features" };
            text.push_str(&format!(" Compiled with {which} `{features}`."));
        }
        let text = doc(&text);
        let cfg = super::gate::cfg(&file.gate);
        quote! {
            #text
            #cfg
            mod #module;
            #cfg
            pub use #module::*;
        }
    });
    let order = if api.features.is_empty() {
        "in alphabetical order"
    } else {
        "each holding the types of the same features, in alphabetical order"
    };
    let module_doc = format!(
        " The schemas of the API and the responses of its operations, in files of a few hundred \
         types {order}."
    );
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![doc = #module_doc]
        #(#chunks)*
    }
}

/// One file of a split `types` module: `api.type_files[index]`.
pub fn chunk(api: &Api, index: usize) -> TokenStream {
    let file = &api.type_files[index];
    let (first, last) = bounds(api, file);
    let module_doc = format!(" Types `{first}` to `{last}` (part {} of the `types` module).", index + 1);
    let import = refers_outside(api, &file.members).then(|| {
        quote!(
            use super::*;
        )
    });
    let items = file.members.iter().map(|&i| type_def(&api.types[i], &api.types));
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![doc = #module_doc]
        #import
        #(#items)*
    }
}

/// The names of the first and last types of a file.
fn bounds<'a>(api: &'a Api, file: &crate::model::TypeFile) -> (&'a Ident, &'a Ident) {
    let name = |i: Option<&usize>| &api.types[*i.expect("a type file holds types")].name;
    (name(file.members.first()), name(file.members.last()))
}

/// Whether the types of a file name one outside it, which the file then imports from the
/// module's root (an unused import would be a warning).
fn refers_outside(api: &Api, members: &[usize]) -> bool {
    let inside: std::collections::HashSet<&str> = members.iter().map(|&i| api.types[i].name.as_str()).collect();
    let mut named = Vec::new();
    for &i in members {
        for ty in api.types[i].kind.refs() {
            ty.names(&mut named);
        }
    }
    named.iter().any(|name| !inside.contains(name.as_str()))
}

/// `types` is every type of the API, sorted by name.
fn type_def(def: &TypeDef, types: &[TypeDef]) -> TokenStream {
    let name = &def.name;
    let side = def.side;
    let docs = || doc_or(def.doc.as_deref(), &format!("The `{}` schema.", def.name));
    match &def.kind {
        TypeKind::Struct(s) => structure(name, docs(), s, &def.traits, side.built_by_caller()),
        TypeKind::Enum(e) => string_enum(name, docs(), e, &def.traits),
        TypeKind::Union(u) => union(name, docs(), u, &def.traits, types),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, Context::Types);
            let docs = docs();
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = rust_type(ty, Context::Types);
            let docs = docs();
            let attributes = super::traits::attributes(&def.traits);
            quote! {
                #docs
                #attributes
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
        TypeKind::OperationError(e) => response_enum(name, responses_doc(e, Responses::Errors), e, &def.traits, true),
        TypeKind::StatusError { body, errors } => {
            status_error(name, responses_doc(errors, Responses::StatusError), body)
        }
        TypeKind::OperationSuccess(e) => {
            response_enum(name, responses_doc(e, Responses::Successes), e, &def.traits, false)
        }
        TypeKind::ResponseHeaders(h) => response_headers(name, h, &def.traits),
    }
}

/// A string enum. Its wire form is its `as_str`, so its serde impls are written out: derived,
/// an enum with an untagged `Other` variant costs the compiler several times as much.
fn string_enum(name: &Ident, docs: TokenStream, e: &StringEnum, traits: &Traits) -> TokenStream {
    let attributes = super::traits::attributes(traits);
    let other = &e.other;
    let variants = e.variants.iter().map(|v| {
        let variant = &v.name;
        let value = &v.value;
        let docs = doc_or(v.doc.as_deref(), &format!("`{value}`"));
        quote! { #docs #variant, }
    });
    let arms = e.variants.iter().map(|v| {
        let variant = &v.name;
        let value = &v.value;
        quote! { Self::#variant => #value, }
    });
    let parse_arms = e.variants.iter().map(|v| {
        let variant = &v.name;
        let value = &v.value;
        quote! { #value => Some(Self::#variant), }
    });
    quote! {
        #docs
        #attributes
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know.
            #other(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::#other(value) => value,
                }
            }

            fn known(value: &str) -> Option<Self> {
                match value {
                    #(#parse_arms)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::known(value).unwrap_or_else(|| Self::#other(value.to_string())))
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::untagged::string_enum(deserializer, Self::known, Self::#other)
            }
        }
    }
}

fn union(name: &Ident, docs: TokenStream, u: &Union, traits: &Traits, types: &[TypeDef]) -> TokenStream {
    let attributes = super::traits::attributes(traits);
    let derive = super::traits::derive(traits);
    let non_exhaustive = super::traits::non_exhaustive(traits);
    let variants = u.variants.iter().map(|v| {
        let variant = &v.name;
        let mut ty = rust_type(&v.ty, Context::Types);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let docs = doc(&format!("The `{}` variant.", v.name));
        quote! { #docs #variant(#ty), }
    });
    let null = u.null.as_ref().map(|name| {
        let variant = name;
        quote! {
            /// `null`.
            #variant,
        }
    });
    let Some(tag) = &u.tag else {
        let mut order: Vec<&UnionVariant> = u.variants.iter().collect();
        order.sort_by_key(|v| try_rank(&v.ty, types, 0));
        let attempts = order.iter().map(|v| {
            let variant = &v.name;
            quote! { |v| crate::untagged::variant(v, Self::#variant), }
        });
        let null_variant = match &u.null {
            Some(n) => {
                let variant = n;
                quote!(Some(Self::#variant))
            }
            None => quote!(None),
        };
        let label = name.to_string();
        return quote! {
            #docs
            #derive
            #[serde(untagged)]
            #non_exhaustive
            pub enum #name {
                #(#variants)*
                #null
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::untagged::decode(deserializer, #label, #null_variant, &[#(#attempts)*])
                }
            }
        };
    };
    // The tag is read to choose the variant and left in place for a variant that declares it;
    // encoding writes it when the variant does not.
    let tag_doc = doc(&format!("\nThe `{tag}` property tells the variants apart."));
    let arms = u.variants.iter().map(|v| {
        let values = &v.tag_values;
        let variant = &v.name;
        let wrap = if v.boxed { quote!(|v| Self::#variant(Box::new(v))) } else { quote!(Self::#variant) };
        quote! { Some(#(#values)|*) => serde_json::from_value(value).map(#wrap), }
    });
    let encode_arms = u.variants.iter().map(|v| {
        let value = v.tag_values.first().map(String::as_str).unwrap_or_default();
        let variant = &v.name;
        quote! { Self::#variant(v) => (#value, serde_json::to_value(v)), }
    });
    let encode_null = u.null.as_ref().map(|n| {
        let variant = n;
        quote! { Self::#variant => return serializer.serialize_none(), }
    });
    let null_arm = u.null.as_ref().map(|n| {
        let variant = n;
        quote! { _ if value.is_null() => Ok(Self::#variant), }
    });
    let other_variant = u.other.as_ref().map(|other| {
        let docs = doc(&format!("A value whose `{tag}` this version of the client does not know, kept as it came."));
        quote! { #docs #other(serde_json::Value), }
    });
    let other_arm = u.other.as_ref().map(|other| {
        quote! { Some(_) if crate::untagged::lenient() => Ok(Self::#other(value)), }
    });
    let encode_other = u.other.as_ref().map(|other| {
        quote! { Self::#other(value) => return value.serialize(serializer), }
    });
    let unknown = format!("unknown `{tag}`: {{other:?}}");
    let missing = format!("missing `{tag}`");
    quote! {
        #docs
        #tag_doc
        #attributes
        pub enum #name {
            #(#variants)*
            #null
            #other_variant
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    #(#encode_arms)*
                    #encode_null
                    #encode_other
                };
                let mut value = value.map_err(serde::ser::Error::custom)?;
                if let Some(object) = value.as_object_mut() {
                    object.entry(#tag).or_insert_with(|| serde_json::Value::from(tag));
                }
                value.serialize(serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(serde_json::Value::as_str).map(str::to_owned);
                let decoded = match tag.as_deref() {
                    #null_arm
                    #(#arms)*
                    #other_arm
                    Some(other) => return Err(serde::de::Error::custom(format!(#unknown))),
                    None => return Err(serde::de::Error::custom(#missing)),
                };
                decoded.map_err(serde::de::Error::custom)
            }
        }
    }
}

/// Where an untagged union tries a variant, lowest first: types that accept few values before
/// those that accept many, so a catch-all (a string, a map, any JSON, a struct with nothing
/// required) is tried after the variants it would otherwise swallow. Among structs, more
/// required properties, then more properties, come first. Ties keep the document's order.
fn try_rank(ty: &TypeRef, types: &[TypeDef], depth: usize) -> (u8, Reverse<usize>, Reverse<usize>) {
    let plain = |rank| (rank, Reverse(0), Reverse(0));
    match ty {
        TypeRef::Bool | TypeRef::Int(_) | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => plain(0),
        TypeRef::Float => plain(1),
        TypeRef::String | TypeRef::Bytes => plain(3),
        TypeRef::Map(_) => plain(4),
        TypeRef::Json => plain(5),
        // Nothing is known of what it accepts: tried last, as any JSON is.
        TypeRef::External(_) => plain(5),
        TypeRef::Tuple(_) => plain(0),
        // A cycle of aliases is refused by lowering; the depth bound only keeps this total.
        _ if depth > 32 => plain(2),
        TypeRef::Array(item) | TypeRef::Nullable(item) => try_rank(item, types, depth + 1),
        TypeRef::Named(name) => match types.binary_search_by(|def| def.name.cmp(name)).map(|i| &types[i].kind) {
            Ok(TypeKind::Struct(s)) => {
                let declared = s.fields.iter().filter(|f| !f.is_flattened());
                let required = declared.clone().filter(|f| f.required()).count();
                let rank = if required > 0 { 0 } else { 2 };
                (rank, Reverse(required), Reverse(declared.count()))
            }
            Ok(TypeKind::Enum(_)) => plain(0),
            Ok(TypeKind::Alias(ty)) => try_rank(ty, types, depth + 1),
            _ => plain(2),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, FieldKind, IntType, Property, Struct};

    fn field(name: &str, required: bool) -> Field {
        let property = Property {
            wire_name: name.into(),
            pointer: String::new(),
            required,
            default: None,
            read_only: false,
            write_only: false,
            deprecated: false,
        };
        Field {
            name: name.into(),
            doc: None,
            ty: TypeRef::String,
            boxed: false,
            takes_null: false,
            setter: None,
            kind: FieldKind::Property(property),
        }
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    #[test]
    fn untagged_variants_are_tried_most_specific_first() {
        let def = |name: &str, kind| TypeDef {
            name: name.into(),
            doc: None,
            kind,
            pointer: String::new(),
            side: crate::model::Side::Neither,
            traits: Default::default(),
        };
        let structure = |fields| TypeKind::Struct(Struct::new(fields));
        // Sorted by name, as the model keeps them.
        let types = vec![
            def("Alias", TypeKind::Alias(named("Two"))),
            def("Colour", TypeKind::Enum(StringEnum { variants: Vec::new(), other: "Other".into() })),
            def("Loose", structure(vec![field("a", false), field("b", false)])),
            def("One", structure(vec![field("a", true), field("b", false), field("c", false)])),
            def("Two", structure(vec![field("a", true), field("b", true)])),
        ];
        let mut order = vec![
            TypeRef::Json,
            TypeRef::Map(Box::new(TypeRef::Json)),
            named("Loose"),
            TypeRef::String,
            named("One"),
            TypeRef::Float,
            named("Alias"),
            named("Colour"),
            TypeRef::Int(IntType::I64),
        ];
        order.sort_by_key(|ty| try_rank(ty, &types, 0));
        assert_eq!(
            order,
            [
                named("Alias"),
                named("One"),
                named("Colour"),
                TypeRef::Int(IntType::I64),
                TypeRef::Float,
                named("Loose"),
                TypeRef::String,
                TypeRef::Map(Box::new(TypeRef::Json)),
                TypeRef::Json,
            ]
        );
    }
}
