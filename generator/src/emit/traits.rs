//! A type's derives and `#[non_exhaustive]`, printed as lowering decided them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Traits;

/// `#[derive(..)]` (when there is any) and `#[non_exhaustive]` (when the type is).
pub fn attributes(traits: &Traits) -> TokenStream {
    let derive = derive(traits);
    let non_exhaustive = non_exhaustive(traits);
    quote!(#derive #non_exhaustive)
}

/// `#[derive(..)]`, when the type derives anything.
pub fn derive(traits: &Traits) -> Option<TokenStream> {
    let derives = traits.derives.iter().map(|path| super::typeref::path_tokens(path));
    (!traits.derives.is_empty()).then(|| quote!(#[derive(#(#derives),*)]))
}

/// `#[non_exhaustive]`, when the type is.
pub fn non_exhaustive(traits: &Traits) -> Option<TokenStream> {
    traits.non_exhaustive.then(|| quote!(#[non_exhaustive]))
}
