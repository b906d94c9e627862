//! The crate's test, `tests/examples/`: the front page's example compiles, and every example of
//! the document decodes into its type and encodes back to the same JSON. It uses the crate as a
//! dependent does, so `cargo test` compiles the library once rather than again as a harness.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc;
use super::typeref::{mentions, rust_type, Context};
use super::Options;
use crate::model::Api;

pub fn examples(api: &Api, options: &Options) -> TokenStream {
    // The crate by its absolute path: a crate named `round_trip` or `types` must not be taken
    // for this test's own module or import of that name.
    let krate = format_ident!("{}", options.lib_name().as_str());
    let front_page = api.front_page.as_ref().map(|page| {
        let path = format!("::{}", options.lib_name().as_str());
        let body: TokenStream = super::root::front_page(page, &path).parse().unwrap_or_default();
        let cfg = page.feature.as_ref().map(|feature| quote!(#[cfg(feature = #feature)]));
        quote! {
            /// The example of the crate's front page, compiled.
            #cfg
            #[allow(dead_code)]
            async fn front_page() -> Result<(), Box<dyn std::error::Error>> {
                #body
                Ok(())
            }
        }
    });
    if api.examples.is_empty() {
        let what = if front_page.is_some() {
            " The example of the crate's front page, compiled; the document has no examples to test."
        } else {
            " The document has no examples to test."
        };
        return quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            #![doc = #what]

            #front_page
        };
    }
    let tests: Vec<TokenStream> = api
        .examples
        .iter()
        .map(|example| {
            let name = &example.name;
            let ty = rust_type(&example.ty, Context::Crate);
            let json = raw_string(&example.json);
            let docs = doc(&format!("The example at `{}`.", example.pointer));
            let cfg = super::gate::cfg_all(&example.gates);
            quote! {
                #docs
                #cfg
                #[test]
                fn #name() {
                    let json = #json;
                    round_trip::<#ty>(json);
                }
            }
        })
        .collect();
    // With features, each part is compiled only when some test that uses it is.
    let using_types: Vec<&[Vec<String>]> = api
        .examples
        .iter()
        .zip(&tests)
        .filter(|(_, test)| mentions(test, "types"))
        .map(|(example, _)| example.gates.as_slice())
        .collect();
    let types = (!using_types.is_empty()).then(|| {
        let cfg = super::gate::cfg_any_of(&using_types);
        quote! {
            #cfg
            use ::#krate::types;
        }
    });
    let all: Vec<&[Vec<String>]> = api.examples.iter().map(|example| example.gates.as_slice()).collect();
    let helper_cfg = super::gate::cfg_any_of(&all);
    let what: &[&str] = if front_page.is_some() {
        &[
            " The example of the crate's front page, compiled, and the document's examples, each decoded",
            " into its type and encoded back.",
        ]
    } else {
        &[" The document's examples, each decoded into its type and encoded back."]
    };
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #(#![doc = #what])*

        mod round_trip;

        #types

        #helper_cfg
        use self::round_trip::round_trip;

        #front_page

        #(#tests)*
    }
}

/// `text` as a raw string literal, so JSON reads as itself rather than escaped.
pub(super) fn raw_string(json: &str) -> proc_macro2::Literal {
    let text = safe_json(json);
    let hashes = (1..).map(|n| "#".repeat(n)).find(|h| !text.contains(&format!("\"{h}"))).unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}").parse().unwrap_or_else(|_| proc_macro2::Literal::string(&text))
}

/// JSON text with its controls and bidirectional characters written as `\u` escapes, the
/// same JSON: a document's strings may hold them, and rustc refuses the bidirectional ones in
/// a literal (and a reader would be misled by them).
fn safe_json(json: &str) -> std::borrow::Cow<'_, str> {
    let hostile = |c: char| c.is_control() || crate::escape::bidirectional(c);
    if !json.contains(hostile) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if !hostile(c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn controls_and_bidirectional_characters_are_escaped_and_the_json_is_the_same() {
        let json = "{\"a\":\"\u{202e}é\u{85}😀\"}";
        let text = super::safe_json(json);
        assert_eq!(text, r#"{"a":"\u202eé\u0085😀"}"#);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(json).unwrap());
    }

    #[test]
    fn raw_strings_outlast_their_text() {
        assert_eq!(super::raw_string(r#"{"a":1}"#).to_string(), r##"r#"{"a":1}"#"##);
        assert_eq!(super::raw_string(r##"{"a":"#"}"##).to_string(), r###"r##"{"a":"#"}"##"###);
    }
}
