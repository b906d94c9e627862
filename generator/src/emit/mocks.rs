//! The typed mocks of the `doubles` module (behind the `mock` feature): per operation, the
//! `MockServer` method that expects a call of it and the matchers and answers of its `Expect`.
//! The matching and serving are the runtime's (`mock.rs`): each operation adds thin methods.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::gate;
use super::typeref::{param_type, rust_type, Context};
use crate::model::{
    shared_error_body, Api, Encoding, Operation, Param, ParamLocation, Payload, QueryStyle, ResponseVariant,
    StatusMatch, SuccessType, TypeRef,
};

/// What `doubles` says of the typed mocks: the runtime's types, and the module of the
/// operations' expectations, empty for an API without operations.
pub fn mocks(api: &Api) -> TokenStream {
    if !super::runtime::has_cli(api) {
        return TokenStream::new();
    }
    quote! {
        #[cfg(feature = "mock")]
        pub use crate::mock::{Expect, MockServer, NO_EXPECTATION_STATUS};

        // A file of its own: rustc reads a module's file only when its `cfg` holds, so a
        // build without `mock` does not parse the expectations (most of the doubles' text).
        #[cfg(feature = "mock")]
        mod expectations;
    }
}

/// The file of the operations' typed expectations (`doubles/expectations.rs`): its head, then
/// one piece per operation.
pub fn expectations(api: &Api) -> Vec<TokenStream> {
    let head = quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! The operations' typed expectations: per operation, the `MockServer` method that
        //! expects a call of it, and the matchers and answers of its `Expect`.
        #![allow(unused_imports)]

        use crate::mock::{Expect, MockServer};
        use crate::query_style::QueryStyle;
        use crate::{operations, types};
    };
    std::iter::once(head).chain(api.operations.iter().map(|op| operation(api, op))).collect()
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let gate = gate::cfg(&op.feature.iter().cloned().collect::<Vec<_>>());
    let name = &op.mock_method;
    // In a crate split by feature, the operation's type is in its group's module.
    let group = op.feature.as_deref().and_then(|f| api.features.iter().find(|g| g.name == f)).map(|g| &g.module);
    let own = &op.call_type;
    let call_type = match group {
        Some(module) => quote!(#module::#own),
        None => quote!(#own),
    };
    let id = &op.id;
    let method = op.http_method.as_str().to_ascii_uppercase();
    let path = &op.path.text;
    let status = success_status(op);
    let docs = doc(&format!(
        "Expects a call of `{}` (`{method} {path}`) with these arguments, and answers it: the status {status} \
         with no body until `returns`, `fails` or `respond` says otherwise.",
        op.method_name.unraw()
    ));
    let mut args = Vec::new();
    let mut matchers = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let arg = &p.name;
        let ty = param_type(&p.ty, Context::Crate);
        args.push(quote!(#arg: #ty));
        matchers.push(matcher(p, quote!(&#arg)));
    }
    if let Some(body) = op.body.as_ref().filter(|b| is_json(&b.payload)) {
        let ty = rust_type(&body.payload.ty, Context::Crate);
        let required = body.required;
        matchers.push(quote!(.body_decodes::<#ty>(#required)));
        if body.required {
            args.push(quote!(body: &#ty));
            matchers.push(quote!(.body_equals(body)));
        }
    }
    let setters = op.params.iter().filter_map(setter);
    let body_setter =
        op.body_setter.as_ref().zip(op.body.as_ref().filter(|b| is_json(&b.payload))).map(|(setter, body)| {
            let ty = rust_type(&body.payload.ty, Context::Crate);
            quote! {
                /// The request body must be `body`.
                pub fn #setter(self, body: &#ty) -> Self {
                    self.body_equals(body)
                }
            }
        });
    let returns = returns(op, status);
    let fails = fails(op);
    let methods: Vec<TokenStream> = setters.chain(body_setter).chain(returns).chain(fails).collect();
    let methods = (!methods.is_empty()).then(|| {
        quote! {
            #gate
            impl Expect<'_, operations::#call_type> {
                #(#methods)*
            }
        }
    });
    quote! {
        #gate
        impl MockServer {
            #docs
            pub fn #name(&self, #(#args),*) -> Expect<'_, operations::#call_type> {
                Expect::new(self, #id, #method, #path, #status) #(#matchers)*
            }
        }

        #methods
    }
}

/// `.query(…)`, `.header(…)` or `.path_param(…)` with `value` (a reference).
fn matcher(p: &Param, value: TokenStream) -> TokenStream {
    let wire = &p.wire_name;
    match p.location {
        ParamLocation::Path => quote!(.path_param(#wire, #value)),
        ParamLocation::Query => {
            let style = match p.style {
                QueryStyle::Form => quote!(Form),
                QueryStyle::FormJoined => quote!(FormJoined),
                QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                QueryStyle::PipeDelimited => quote!(PipeDelimited),
                QueryStyle::DeepObject => quote!(DeepObject),
                QueryStyle::Json => quote!(Json),
            };
            quote!(.query(#wire, #value, QueryStyle::#style))
        }
        ParamLocation::Header => quote!(.header(#wire, #value)),
        // The server does not read cookies: a cookie's value matches whatever comes.
        ParamLocation::Cookie => TokenStream::new(),
    }
}

/// The matcher of an optional parameter, named as its `Call` setter is.
fn setter(p: &Param) -> Option<TokenStream> {
    let setter = p.mock_setter.as_ref()?;
    if p.location == ParamLocation::Cookie {
        return None;
    }
    let arg = &p.name;
    let docs = doc(&format!("The request's `{}` must be this value.", p.wire_name));
    let (ty, convert) = match &p.ty {
        TypeRef::String => (quote!(impl Into<String>), Some(quote! { let #arg: String = #arg.into(); })),
        ty => (rust_type(ty, Context::Crate), None),
    };
    let matcher = matcher(p, quote!(&#arg));
    Some(quote! {
        #docs
        pub fn #setter(self, #arg: #ty) -> Self {
            #convert
            self #matcher
        }
    })
}

/// The status a success answers: the first documented one, else 200.
fn success_status(op: &Operation) -> u16 {
    match op.success.first().map(|v| v.status) {
        Some(StatusMatch::Code(code)) => code,
        _ => 200,
    }
}

fn is_json(payload: &Payload) -> bool {
    payload.encoding == Encoding::Json && !payload.negotiated()
}

/// `returns`, for a success without a body or with one JSON body.
fn returns(op: &Operation, status: u16) -> Option<TokenStream> {
    match &op.success_type {
        SuccessType::Unit => Some(quote! {
            /// Answers the documented success, without a body.
            pub fn returns(self) -> Self {
                self.respond(#status, Vec::new())
            }
        }),
        SuccessType::Body(payload) if is_json(payload) => {
            let ty = rust_type(&payload.ty, Context::Crate);
            let media = &payload.media_type;
            let docs = doc(&format!("Answers the documented success: {status}, `value` as `{media}`."));
            let json_docs = doc(&format!(
                "Answers the documented success: {status}, `value` as `{media}`, once it has decoded as the \
                 success type (whose fields a test may not be able to set): a value that does not is a \
                 problem that `MockServer::verify` reports."
            ));
            Some(quote! {
                #docs
                pub fn returns(self, value: #ty) -> Self {
                    self.answer_json(#status, #media, &value)
                }
                #json_docs
                pub fn returns_json(self, value: serde_json::Value) -> Self {
                    self.answer_checked::<#ty>(#status, #media, value)
                }
            })
        }
        // Several successes, or bodies that are not JSON: `respond` says what comes.
        _ => None,
    }
}

/// `fails`, for an operation whose error enum holds JSON bodies, or none.
fn fails(op: &Operation) -> Option<TokenStream> {
    let error = op.error_type.as_ref()?;
    if shared_error_body(&op.errors).is_some() || op.errors.iter().any(|v| v.body.as_ref().is_some_and(|p| !is_json(p)))
    {
        return None;
    }
    let arms = op.errors.iter().map(|v| arm(error, v));
    Some(quote! {
        /// Answers the documented error `error`: its status, and its body as JSON.
        pub fn fails(self, error: types::#error) -> Self {
            match error {
                #(#arms)*
            }
        }
    })
}

fn arm(error: &crate::names::Ident, v: &ResponseVariant) -> TokenStream {
    let variant = &v.name;
    let code = match v.status {
        StatusMatch::Code(code) => code,
        _ => 0,
    };
    let media = v.body.as_ref().map(|p| p.media_type.as_str()).unwrap_or_default();
    match (v.status.is_many(), v.body.is_some()) {
        (false, false) => quote!(types::#error::#variant => self.respond(#code, Vec::new()),),
        (false, true) => quote!(types::#error::#variant(body) => self.answer_json(#code, #media, &body),),
        (true, false) => quote!(types::#error::#variant { status } => self.respond(status, Vec::new()),),
        (true, true) => quote!(types::#error::#variant { status, body } => self.answer_json(status, #media, &body),),
    }
}
