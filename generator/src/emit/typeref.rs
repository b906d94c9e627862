//! Type references as Rust types.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};

use crate::model::{Ident, IntType, Payload, TypeRef};

/// The model's identifiers are final: written as they are, a keyword as a raw identifier.
impl ToTokens for Ident {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let ident = if self.is_raw() {
            proc_macro2::Ident::new_raw(self.unraw(), Span::call_site())
        } else {
            proc_macro2::Ident::new(self.as_str(), Span::call_site())
        };
        ident.to_tokens(tokens);
    }
}

/// The type of a response body: its schema's, or `Content` of it when the response offers
/// other media types beside JSON.
pub fn payload_type(payload: &Payload, cx: Context) -> TokenStream {
    let ty = rust_type(&payload.ty, cx);
    if payload.negotiated() {
        quote!(crate::Content<#ty>)
    } else {
        ty
    }
}

/// Where the type is written: inside the `types` module, or beside it.
#[derive(Clone, Copy)]
pub enum Context {
    Types,
    Crate,
}

pub fn rust_type(ty: &TypeRef, cx: Context) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::Int(i) => int(*i),
        TypeRef::Float => quote!(f64),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::External(external) => external_path(&external.path),
        TypeRef::Named(name) => match cx {
            Context::Types => quote!(#name),
            Context::Crate => quote!(types::#name),
        },
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| rust_type(item, cx));
            quote!((#(#items,)*))
        }
        TypeRef::Array(item) => {
            let item = rust_type(item, cx);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, cx);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, cx);
            quote!(Option<#inner>)
        }
    }
}

fn int(i: IntType) -> TokenStream {
    match i {
        IntType::I8 => quote!(i8),
        IntType::I16 => quote!(i16),
        IntType::I32 => quote!(i32),
        IntType::I64 => quote!(i64),
        IntType::U8 => quote!(u8),
        IntType::U16 => quote!(u16),
        IntType::U32 => quote!(u32),
        IntType::U64 => quote!(u64),
    }
}

/// Whether values of the type are cheap to copy, so parameters take them by value.
pub fn is_copy(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Bool | TypeRef::Int(_) | TypeRef::Float | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date)
}

/// The type of a borrowed parameter: `&str` for strings, `&[T]` for arrays, `T` for copies.
pub fn param_type(ty: &TypeRef, cx: Context) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|item| rust_type(item, cx));
            quote!((#(#items,)*))
        }
        TypeRef::Array(item) => {
            let item = rust_type(item, cx);
            quote!(&[#item])
        }
        ty if is_copy(ty) => rust_type(ty, cx),
        ty => {
            let ty = rust_type(ty, cx);
            quote!(&#ty)
        }
    }
}

/// Whether `tokens` name an item of the module or type `name` (`types::Pet`,
/// `Error::documented`): a file imports `name` only then, since an unused import is a warning.
pub fn mentions(tokens: &TokenStream, name: &str) -> bool {
    let mut after_name = false;
    for token in tokens.clone() {
        match token {
            proc_macro2::TokenTree::Group(group) if mentions(&group.stream(), name) => return true,
            proc_macro2::TokenTree::Punct(p)
                if after_name && p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Joint =>
            {
                return true
            }
            proc_macro2::TokenTree::Ident(ident) => {
                after_name = ident == name;
                continue;
            }
            _ => {}
        }
        after_name = false;
    }
    false
}

/// The path of an external type, absolute (`::rust_decimal::Decimal`), so a generated item of
/// the same name cannot shadow its crate.
fn external_path(path: &str) -> TokenStream {
    let path = path_tokens(path);
    quote!(::#path)
}

/// A path lowering checked to be identifiers joined by `::` (`serde::Serialize`), as tokens.
pub(super) fn path_tokens(path: &str) -> TokenStream {
    let segments = path.split("::").map(|s| proc_macro2::Ident::new(s, proc_macro2::Span::call_site()));
    quote!(#(#segments)::*)
}

#[cfg(test)]
mod tests {
    use super::mentions;
    use quote::quote;

    #[test]
    fn only_paths_into_types_count() {
        let types = |tokens| mentions(&tokens, "types");
        assert!(types(quote!(
            fn f(x: &types::Pet) {}
        )));
        assert!(types(quote!(Result<Vec<types::Pet>, E>)));
        assert!(!types(quote!(
            fn f(types: &[String]) {}
        )));
        assert!(!types(quote!(crate::client::Request)));
        assert!(mentions(&quote!(Err(Error::documented(e))), "Error"));
    }
}
