//! Structs: one field per property, then the flattened ones.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_or;
use super::typeref::{rust_type, Context};
use crate::model::{Decode, Field, FieldKind, Ident, Locals, Property, Shape, Struct, Traits, TypeRef};

/// Every struct is `#[non_exhaustive]`, so a property the API adds later is a compatible
/// change. One a request reaches (`built`) is built with `new` (its required properties) and a
/// method per optional property, never with a literal.
pub fn structure(name: &Ident, docs: TokenStream, s: &Struct, traits: &Traits, built: bool) -> TokenStream {
    let from_map = (traits.decode == Decode::FromMap).then(|| from_map(name, s)).flatten();
    let derived = from_map.is_none();
    let fields = s.fields.iter().map(|f| {
        let field_name = &f.name;
        let ty = field_type(f);
        let docs = doc_or(field_doc(f).as_deref(), &fallback_doc(f));
        let nullable = matches!(f.ty, TypeRef::Nullable(_));
        let mut serde = Vec::new();
        match &f.kind {
            FieldKind::Property(Property { wire_name, required, .. }) => {
                if f.name.unraw() != wire_name {
                    serde.push(quote!(rename = #wire_name));
                }
                if !required {
                    // serde reads a missing `Option` field as `None` by itself, but not through
                    // `deserialize_with`.
                    let with = match (derived, nullable, f.takes_null) {
                        (false, _, _) => None,
                        (true, true, _) => Some("crate::encoding::double_option"),
                        (true, false, true) => Some("crate::encoding::present"),
                        (true, false, false) => None,
                    };
                    if with.is_some() {
                        serde.push(quote!(default));
                    }
                    serde.push(quote!(skip_serializing_if = "Option::is_none"));
                    if let Some(with) = with {
                        serde.push(quote!(deserialize_with = #with));
                    }
                }
            }
            FieldKind::AdditionalProperties | FieldKind::Variant => serde.push(quote!(flatten)),
        }
        let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
        quote! { #docs #serde pub #field_name: #ty, }
    });
    let attributes = super::traits::attributes(traits);
    let builder = built.then(|| builder(name, s));
    quote! {
        #docs
        #attributes
        pub struct #name {
            #(#fields)*
        }
        #builder
        #from_map
    }
}

/// `new`, taking the required properties in the document's order, and a method per optional
/// property that sets it.
fn builder(name: &Ident, s: &Struct) -> TokenStream {
    // A string is taken as anything that becomes one; a boxed field as its value. The type a
    // method takes, and the field's value of `input` (`None` when it is `input` itself).
    let taken = |f: &Field, input: TokenStream| {
        let ty = rust_type(f.ty.non_null(), Context::Types);
        // `Option<impl Into<String>>` would make `None` need its type spelled out.
        let (ty, value) = match f.ty {
            TypeRef::String => (quote!(impl Into<String>), Some(quote!(#input.into()))),
            _ => (ty, None),
        };
        let value = match (f.boxed, value) {
            (true, Some(value)) => Some(quote!(Box::new(#value))),
            (true, None) => Some(quote!(Box::new(#input))),
            (false, value) => value,
        };
        (ty, value)
    };
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    // The arguments of `new` are named as `from_map`'s slots: the field's name, unless that is
    // only underscores and digits, which clippy refuses.
    for (f, arg) in s.fields.iter().zip(&s.locals.slots) {
        let field = &f.name;
        let nullable = matches!(f.ty, TypeRef::Nullable(_));
        match (&f.kind, f.required(), &f.setter) {
            (FieldKind::AdditionalProperties, _, _) => inits.push(quote!(#field: Default::default(),)),
            (_, true, _) => {
                let (ty, value) = if nullable { taken(f, quote!(value)) } else { taken(f, quote!(#arg)) };
                let plain = if field == arg { quote!(#field,) } else { quote!(#field: #arg,) };
                match (nullable, value) {
                    // A nullable field is never a string taken `Into` (see `taken`): only boxed.
                    (true, Some(_)) => {
                        args.push(quote!(#arg: Option<#ty>));
                        inits.push(quote!(#field: #arg.map(Box::new),));
                    }
                    (true, None) => {
                        args.push(quote!(#arg: Option<#ty>));
                        inits.push(plain);
                    }
                    (false, Some(value)) => {
                        args.push(quote!(#arg: #ty));
                        inits.push(quote!(#field: #value,));
                    }
                    (false, None) => {
                        args.push(quote!(#arg: #ty));
                        inits.push(plain);
                    }
                }
            }
            (_, false, setter) => {
                inits.push(quote!(#field: None,));
                let Some(setter) = setter else { continue };
                let (ty, value) = taken(f, quote!(value));
                let value = value.unwrap_or_else(|| quote!(value));
                let wire = f.wire_name();
                let (ty, set, note) = match (nullable, f.boxed) {
                    (true, true) => (quote!(Option<#ty>), quote!(value.map(Box::new)), " `None` sends `null`."),
                    (true, false) => (quote!(Option<#ty>), quote!(value), " `None` sends `null`."),
                    (false, _) => (ty, value, ""),
                };
                let text = match f.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                    Some(d) => format!("{d}\n\nSets `{wire}`.{note}"),
                    None => format!("Sets `{wire}`.{note}"),
                };
                let docs = doc_or(Some(&text), &text);
                setters.push(quote! {
                    #docs
                    pub fn #setter(mut self, value: #ty) -> Self {
                        self.#field = Some(#set);
                        self
                    }
                });
            }
        }
    }
    let new_doc = doc_or(
        None,
        &format!(
            "A `{}` of its required properties; the optional ones are set by the methods that follow.",
            name.unraw()
        ),
    );
    quote! {
        impl #name {
            #new_doc
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* }
            }

            #(#setters)*
        }
    }
}

/// `Deserialize` through the runtime's `FromMap`: a slot per field, one loop over the keys,
/// then the struct. `None` for a struct with a flattened union.
fn from_map(name: &Ident, s: &Struct) -> Option<TokenStream> {
    let Locals { map, key, slots: slot_names } = &s.locals;
    // The field from `value`, or from its slot as it is (`name` alone when they are named
    // the same).
    let init = |name: &Ident, slot: &Ident, value: Option<TokenStream>| match value {
        Some(value) => quote!(#name: #value,),
        None if name == slot => quote!(#name,),
        None => quote!(#name: #slot,),
    };
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut inits = Vec::new();
    // The slot of the map that keeps unknown properties, if the struct has one.
    let mut extra = None;
    for (field, slot) in s.fields.iter().zip(slot_names) {
        let name = &field.name;
        let wire_name = field.wire_name();
        match &field.kind {
            FieldKind::Property(Property { required, .. }) => {
                slots.push(quote!(let mut #slot = None;));
                arms.push(quote!(#wire_name => #slot = Some(#map.next_value()?),));
                let nullable = matches!(field.ty, TypeRef::Nullable(_));
                inits.push(match (required, nullable) {
                    (true, false) => init(name, slot, Some(quote!(crate::object::required(&#map, #slot, #wire_name)?))),
                    // Present as `null` is `Some(None)`, absent is `None`; for a type with a
                    // `null` of its own, present as `null` is `Some` of it.
                    (false, true) => init(name, slot, None),
                    (false, false) if field.takes_null => init(name, slot, None),
                    _ => init(name, slot, Some(quote!(#slot.flatten()))),
                });
            }
            FieldKind::AdditionalProperties => {
                // Not named: inside `from_map`, a type the spec calls `A` would be its parameter.
                slots.push(quote!(let mut #slot = std::collections::BTreeMap::new();));
                inits.push(init(name, slot, None));
                extra = Some(slot);
            }
            FieldKind::Variant => return None,
        }
    }
    // What an unknown key does: kept in the map of extra properties, or read past.
    let unknown = match extra {
        Some(slot) => quote!(#slot.insert(#key.to_string(), #map.next_value()?);),
        None => quote!(crate::object::skip(&mut #map)?;),
    };
    let binding = if arms.is_empty() && extra.is_none() { quote!(_) } else { quote!(#key) };
    let read = if arms.is_empty() {
        unknown
    } else {
        let unknown_arm = match extra {
            Some(_) => quote!(_ => { #unknown }),
            None => quote!(_ => crate::object::skip(&mut #map)?,),
        };
        quote! {
            match &*#key {
                #(#arms)*
                #unknown_arm
            }
        }
    };
    let name_text = name.unraw();
    Some(quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::object::deserialize(deserializer)
            }
        }

        impl crate::object::FromMap for #name {
            const NAME: &'static str = #name_text;

            fn from_map<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
                #(#slots)*
                while let Some(#binding) = #map.next_key::<crate::object::Key>()? {
                    #read
                }
                Ok(Self { #(#inits)* })
            }
        }
    })
}

/// An optional property that may be `null` is an `Option<Option<T>>`: leaving it out and
/// sending `null` are different requests.
fn field_type(field: &Field) -> TokenStream {
    let mut ty = rust_type(field.ty.non_null(), Context::Types);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    match field.shape() {
        Shape::Plain => ty,
        Shape::Optional => quote!(Option<#ty>),
        Shape::OptionalNullable => quote!(Option<Option<#ty>>),
    }
}

/// The document's description, then what the type cannot say: the server's default, and
/// whether the property only goes one way.
pub fn field_doc(field: &Field) -> Option<String> {
    let property = match &field.kind {
        FieldKind::Property(property) => property,
        FieldKind::AdditionalProperties => return Some("Properties beyond the documented ones.".into()),
        FieldKind::Variant => return Some("The properties of whichever variant this is.".into()),
    };
    let mut notes = Vec::new();
    if let Some(default) = &property.default {
        notes.push(format!("Default: `{default}`."));
    }
    if property.read_only {
        notes.push("Read-only: sent by the server, ignored in requests.".to_string());
    }
    if property.write_only {
        notes.push("Write-only: sent in requests, never returned.".to_string());
    }
    if property.deprecated {
        notes.push("Deprecated.".to_string());
    }
    if field.takes_null && !property.required {
        notes.push("`None` leaves it out; its type's `null` sends `null`.".to_string());
    }
    match (&field.doc, notes.is_empty()) {
        (doc, true) => doc.clone(),
        (Some(doc), false) => Some(format!("{doc}\n\n{}", notes.join(" "))),
        (None, false) => Some(notes.join(" ")),
    }
}

fn fallback_doc(field: &Field) -> String {
    let wire_name = field.wire_name();
    match (field.required(), &field.ty) {
        (false, TypeRef::Nullable(_)) => format!("`{wire_name}`: `None` leaves it out, `Some(None)` sends `null`."),
        _ => format!("The `{wire_name}` property."),
    }
}
