//! The `examples` test module: every example of the document decodes into its type and
//! encodes back to the same JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::typeref::{mentions, rust_type, Context};
use crate::model::Api;

pub fn examples(api: &Api) -> TokenStream {
    if api.examples.is_empty() {
        return quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! The document has no examples to test.
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
            use crate::types;
        }
    });
    let all: Vec<&[Vec<String>]> = api.examples.iter().map(|example| example.gates.as_slice()).collect();
    let helper_cfg = super::gate::cfg_any_of(&all);
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! The document's examples, each decoded into its type and encoded back.

        #types

        #helper_cfg
        use crate::round_trip::round_trip;

        #(#tests)*
    }
}

/// `text` as a raw string literal, so JSON reads as itself rather than escaped.
pub(super) fn raw_string(text: &str) -> proc_macro2::Literal {
    let hashes = (1..).map(|n| "#".repeat(n)).find(|h| !text.contains(&format!("\"{h}"))).unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}").parse().unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn raw_strings_outlast_their_text() {
        assert_eq!(super::raw_string(r#"{"a":1}"#).to_string(), r##"r#"{"a":1}"#"##);
        assert_eq!(super::raw_string(r##"{"a":"#"}"##).to_string(), r###"r##"{"a":"#"}"##"###);
    }
}
