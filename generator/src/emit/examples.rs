//! The `examples` test module: every example of the document decodes into its type and
//! encodes back to the same JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::typeref::{rust_type, Context};
use crate::model::Api;

pub fn examples(api: &Api) -> TokenStream {
    if api.examples.is_empty() {
        return quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! The document has no examples to test.
        };
    }
    let tests = api.examples.iter().map(|example| {
        let name = &example.name;
        let ty = rust_type(&example.ty, Context::Crate);
        let json = &example.json;
        let docs = doc(&format!("The example at `{}`.", example.pointer));
        quote! {
            #docs
            #[test]
            fn #name() {
                round_trip::<#ty>(#json);
            }
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! The document's examples, each decoded into its type and encoded back.
        #![allow(unused_imports)]

        use crate::types;

        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) {
            let expected: serde_json::Value = serde_json::from_str(json).expect("the example is JSON");
            let decoded: T = serde_json::from_value(expected.clone())
                .unwrap_or_else(|e| panic!("the example does not decode: {e}\n{json}"));
            let encoded = serde_json::to_value(&decoded).expect("the value encodes");
            assert_eq!(encoded, expected, "the example does not encode back to itself");
        }

        #(#tests)*
    }
}
