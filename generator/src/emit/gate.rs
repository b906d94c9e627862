//! `#[cfg]` attributes for items that cargo features gate.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`: nothing for an
/// empty gate, whose item is always compiled.
pub fn cfg(gate: &[String]) -> Option<TokenStream> {
    predicate(gate).map(|p| quote!(#[cfg(#p)]))
}

/// `#[cfg(all(…))]` of several gates, each of which must be open.
pub fn cfg_all(gates: &[Vec<String>]) -> Option<TokenStream> {
    let predicates: Vec<TokenStream> = gates.iter().filter_map(|g| predicate(g)).collect();
    match predicates.as_slice() {
        [] => None,
        [one] => Some(quote!(#[cfg(#one)])),
        many => Some(quote!(#[cfg(all(#(#many),*))])),
    }
}

/// `#[cfg(any(…))]` of several conjunctions of gates (each as [`cfg_all`] takes them), for
/// what any of several gated items needs: nothing when one of them is always compiled.
pub fn cfg_any_of(conjunctions: &[&[Vec<String>]]) -> Option<TokenStream> {
    let mut alternatives = Vec::new();
    for gates in conjunctions {
        let predicates: Vec<TokenStream> = gates.iter().filter_map(|g| predicate(g)).collect();
        match predicates.as_slice() {
            [] => return None,
            [one] => alternatives.push(one.clone()),
            many => alternatives.push(quote!(all(#(#many),*))),
        }
    }
    match alternatives.as_slice() {
        [] => None,
        [one] => Some(quote!(#[cfg(#one)])),
        many => Some(quote!(#[cfg(any(#(#many),*))])),
    }
}

/// The gate of an operation: its feature.
pub fn cfg_feature(feature: Option<&String>) -> Option<TokenStream> {
    feature.map(|f| quote!(#[cfg(feature = #f)]))
}

fn predicate(gate: &[String]) -> Option<TokenStream> {
    match gate {
        [] => None,
        [one] => Some(quote!(feature = #one)),
        many => Some(quote!(any(#(feature = #many),*))),
    }
}
