//! The `types` module: one item per named type of the model.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::cmp::Reverse;

use super::docs::{doc, doc_or};
use super::typeref::{rust_type, Context};
use crate::model::{
    Api, Field, Ident, Payload, ResponseEnum, StatusMatch, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union,
    UnionVariant,
};

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
        let text = doc(&format!("`{}` to `{}`.", api.types[file.start].name, api.types[file.end - 1].name));
        quote! {
            #text
            mod #module;
            pub use #module::*;
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! The schemas of the API and the responses of its operations, in files of a few
        //! hundred types in alphabetical order.
        #(#chunks)*
    }
}

/// One file of a split `types` module: `api.type_files[index]`.
pub fn chunk(api: &Api, index: usize) -> TokenStream {
    let file = &api.type_files[index];
    let first = &api.types[file.start].name;
    let last = &api.types[file.end - 1].name;
    let module_doc = format!(" Types `{first}` to `{last}` (part {} of the `types` module).", index + 1);
    let items = api.types[file.start..file.end].iter().map(|def| type_def(def, &api.types));
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![doc = #module_doc]
        #[allow(unused_imports)]
        use super::*;
        #(#items)*
    }
}

/// `types` is every type of the API, sorted by name.
fn type_def(def: &TypeDef, types: &[TypeDef]) -> TokenStream {
    let name = &def.name;
    let docs = doc_or(def.doc.as_deref(), &format!("The `{}` schema.", def.name));
    match &def.kind {
        TypeKind::Struct(s) => structure(name, docs, s),
        TypeKind::Enum(e) => string_enum(name, docs, e),
        TypeKind::Union(u) => union(name, docs, u, types),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty, Context::Types);
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::OperationError(e) => response_enum(name, docs, e, true),
        TypeKind::StatusError(body) => {
            let ty = rust_type(&body.ty, Context::Types);
            quote! { #docs pub type #name = crate::StatusError<#ty>; }
        }
        TypeKind::OperationSuccess(e) => response_enum(name, docs, e, false),
    }
}

fn field_type(field: &Field) -> TokenStream {
    let mut ty = rust_type(&field.ty, Context::Types);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    match (field.required, field.nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => quote!(Option<#ty>),
        (false, true) => quote!(Option<Option<#ty>>),
    }
}

fn structure(name: &Ident, docs: TokenStream, s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let field_name = &f.name;
        let ty = field_type(f);
        let fallback = match (f.required, f.nullable) {
            (false, true) => format!("`{}`: `None` leaves it out, `Some(None)` sends `null`.", f.wire_name),
            _ => format!("The `{}` property.", f.wire_name),
        };
        let docs = doc_or(f.doc.as_deref(), &fallback);
        let mut serde = Vec::new();
        if f.flatten {
            serde.push(quote!(flatten));
        } else if f.name.unraw() != f.wire_name {
            let wire = &f.wire_name;
            serde.push(quote!(rename = #wire));
        }
        if !f.required {
            // serde reads a missing `Option` field as `None` by itself, but not through
            // `deserialize_with` or `flatten`.
            if f.nullable || f.flatten {
                serde.push(quote!(default));
            }
            serde.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        if !f.required && f.nullable {
            serde.push(quote!(deserialize_with = "crate::encoding::double_option"));
        }
        let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        quote! { #docs #serde pub #field_name: #ty, }
    });
    let default = s
        .fields
        .iter()
        .all(|f| !f.required || (f.flatten && matches!(f.ty, TypeRef::Map(_))))
        .then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

fn string_enum(name: &Ident, docs: TokenStream, e: &StringEnum) -> TokenStream {
    let other = &e.other;
    let variants = e.variants.iter().map(|v| {
        let variant = &v.name;
        let value = &v.value;
        let docs = doc_or(v.doc.as_deref(), &format!("`{value}`"));
        quote! { #docs #[serde(rename = #value)] #variant, }
    });
    let arms = e.variants.iter().map(|v| {
        let variant = &v.name;
        let value = &v.value;
        quote! { Self::#variant => #value, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know.
            #[serde(untagged, deserialize_with = "crate::untagged::other")]
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
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(serde_json::from_value(serde_json::Value::String(value.to_string()))
                    .unwrap_or_else(|_| Self::#other(value.to_string())))
            }
        }
    }
}

fn union(name: &Ident, docs: TokenStream, u: &Union, types: &[TypeDef]) -> TokenStream {
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
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
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
    let unknown = format!("unknown `{tag}`: {{other:?}}");
    let missing = format!("missing `{tag}`");
    quote! {
        #docs
        #tag_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
            #null
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    #(#encode_arms)*
                    #encode_null
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
        TypeRef::Tuple(_) => plain(0),
        // A cycle of aliases is refused by lowering; the depth bound only keeps this total.
        _ if depth > 32 => plain(2),
        TypeRef::Array(item) | TypeRef::Nullable(item) => try_rank(item, types, depth + 1),
        TypeRef::Named(name) => match types.binary_search_by(|def| def.name.cmp(name)).map(|i| &types[i].kind) {
            Ok(TypeKind::Struct(s)) => {
                let declared = s.fields.iter().filter(|f| !f.flatten);
                let required = declared.clone().filter(|f| f.required).count();
                let rank = if required > 0 { 0 } else { 2 };
                (rank, Reverse(required), Reverse(declared.count()))
            }
            Ok(TypeKind::Enum(_)) => plain(0),
            Ok(TypeKind::Alias(ty)) => try_rank(ty, types, depth + 1),
            _ => plain(2),
        },
    }
}

fn payload_type(payload: &Option<Payload>) -> Option<TokenStream> {
    payload.as_ref().map(|p| rust_type(&p.ty, Context::Types))
}

fn status_doc(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(n) => format!("{n}XX"),
        StatusMatch::Default => "Any other status".into(),
    }
}

/// An operation's error enum (with `status()`, `Display` and `Error`) or its success enum.
fn response_enum(name: &Ident, docs: TokenStream, e: &ResponseEnum, is_error: bool) -> TokenStream {
    let variants = e.variants.iter().map(|v| {
        let variant = &v.name;
        let text = match &v.doc {
            Some(d) => format!("{}: {d}", status_doc(v.status)),
            None => status_doc(v.status),
        };
        let docs = doc(&text);
        match (v.status.is_many(), payload_type(&v.body)) {
            (false, None) => quote! { #docs #variant, },
            (false, Some(ty)) => quote! { #docs #variant(#ty), },
            (true, None) => quote! { #docs #variant {
                /// The status received.
                status: u16,
            }, },
            (true, Some(ty)) => quote! {
                #docs
                #variant {
                    /// The status received.
                    status: u16,
                    /// The body received.
                    body: #ty,
                },
            },
        }
    });
    let status_arms = e.variants.iter().map(|v| {
        let variant = &v.name;
        match (v.status, v.body.is_some()) {
            (StatusMatch::Code(code), false) => {
                let code = Literal::u16_unsuffixed(code);
                quote! { Self::#variant => #code, }
            }
            (StatusMatch::Code(code), true) => {
                let code = Literal::u16_unsuffixed(code);
                quote! { Self::#variant(_) => #code, }
            }
            (_, _) => quote! { Self::#variant { status, .. } => *status, },
        }
    });
    let status_fn = quote! { match self { #(#status_arms)* } };
    let extra = is_error.then(|| {
        let body_arms = e.variants.iter().map(|v| {
            let variant = &v.name;
            match (v.status.is_many(), &v.body) {
                (false, None) => quote! { Self::#variant => None, },
                (false, Some(_)) => quote! { Self::#variant(body) => Some(crate::encoding::describe(body)), },
                (true, None) => quote! { Self::#variant { .. } => None, },
                (true, Some(_)) => quote! { Self::#variant { body, .. } => Some(crate::encoding::describe(body)), },
            }
        });
        let display = quote! {
            let status = self.status();
            let body: Option<String> = match self { #(#body_arms)* };
            crate::encoding::fmt_status(f, status, body.as_deref())
        };
        quote! {
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    #display
                }
            }

            impl std::error::Error for #name {}

            impl crate::ApiError for #name {
                fn status(&self) -> u16 {
                    #name::status(self)
                }
            }
        }
    });
    // Success values are printed by the command-line client; errors have `Display`.
    let derive = if is_error {
        quote!(#[derive(Debug, Clone, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize)] #[serde(untagged)])
    };
    quote! {
        #docs
        #derive
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The HTTP status of the response.
            pub fn status(&self) -> u16 {
                #status_fn
            }
        }

        #extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IntType;

    fn field(name: &str, required: bool) -> Field {
        Field {
            name: name.into(),
            wire_name: name.into(),
            doc: None,
            ty: TypeRef::String,
            required,
            nullable: false,
            boxed: false,
            flatten: false,
        }
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    #[test]
    fn untagged_variants_are_tried_most_specific_first() {
        let def = |name: &str, kind| TypeDef { name: name.into(), doc: None, kind };
        let structure = |fields| TypeKind::Struct(Struct { fields });
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
