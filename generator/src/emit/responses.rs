//! The types of an operation's responses: its error enum, or the shared `StatusError` it
//! stands for, the enum of its success responses, and the headers they declare.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc;
use super::typeref::{payload_type as body_type, rust_type, Context};
use crate::model::{Ident, Payload, ResponseEnum, ResponseHeaders, StatusMatch, Traits};

/// The doc of the type of an operation's responses (`OperationError`, `StatusError` or
/// `OperationSuccess`).
pub fn responses_doc(responses: &ResponseEnum, kind: Responses) -> TokenStream {
    let text = match kind {
        Responses::Errors => format!("The documented error responses of `{}`.", responses.method_name),
        Responses::StatusError => status_error_doc(responses),
        Responses::Successes => format!("The documented success responses of `{}`.", responses.operation_id),
    };
    doc(&text)
}

/// The struct of the headers an operation's success responses declare, read from a response
/// by `Call::send_with_headers`.
pub fn response_headers(name: &Ident, h: &ResponseHeaders, traits: &Traits) -> TokenStream {
    let attributes = super::traits::attributes(traits);
    let docs = doc(&format!(
        "The headers the success responses of `{}` declare: each `None` when the response lacks \
         it or its value does not parse (the text stays in `ResponseMeta::headers`).",
        h.method_name
    ));
    let fields = h.headers.iter().map(|header| {
        let field = &header.name;
        let ty = rust_type(&header.ty, Context::Types);
        let text = match header.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => format!("{d}\n\n`{}`", header.wire_name),
            None => format!("`{}`", header.wire_name),
        };
        let docs = doc(&text);
        quote! { #docs pub #field: Option<#ty>, }
    });
    let reads = h.headers.iter().map(|header| {
        let field = &header.name;
        let wire = &header.wire_name;
        quote! { #field: crate::encoding::header_value(headers, #wire), }
    });
    quote! {
        #docs
        #attributes
        pub struct #name {
            #(#fields)*
        }

        impl crate::FromHeaders for #name {
            fn from_headers(headers: &reqwest::header::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}

#[derive(Clone, Copy)]
pub enum Responses {
    Errors,
    StatusError,
    Successes,
}

/// `StatusError<T>` under the operation's name.
pub fn status_error(name: &Ident, docs: TokenStream, body: &Payload) -> TokenStream {
    let ty = body_type(body, Context::Types);
    quote! { #docs pub type #name = crate::StatusError<#ty>; }
}

/// What the statuses of a `StatusError` mean: `The error of `f`: 4XX (Bad input) or 5XX.`
fn status_error_doc(errors: &ResponseEnum) -> String {
    let statuses: Vec<String> = errors
        .variants
        .iter()
        .map(|v| {
            let status = match v.status {
                StatusMatch::Code(code) => code.to_string(),
                StatusMatch::Range(n) => format!("{n}XX"),
                StatusMatch::Default => "any other status".into(),
            };
            match v.doc.as_deref().map(str::trim).filter(|d| !d.is_empty() && !d.contains('\n')) {
                Some(doc) => format!("{status} ({})", doc.trim_end_matches('.')),
                None => status,
            }
        })
        .collect();
    let list = match statuses.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("The error of `{}`: {list}.", errors.method_name)
}

fn payload_type(payload: &Option<Payload>) -> Option<TokenStream> {
    payload.as_ref().map(|p| body_type(p, Context::Types))
}

fn status_doc(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(n) => format!("{n}XX"),
        StatusMatch::Default => "Any other status".into(),
    }
}

/// An operation's error enum (with `status()`, `Display` and `Error`) or its success enum.
pub fn response_enum(
    name: &Ident,
    docs: TokenStream,
    e: &ResponseEnum,
    traits: &Traits,
    is_error: bool,
) -> TokenStream {
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
    // The status alone: `Error`'s `Display` adds the body as it came, which re-encoding the
    // typed body would not give back (properties its schema does not declare).
    let extra = is_error.then(|| {
        quote! {
            impl crate::ApiError for #name {
                fn status(&self) -> u16 {
                    #status_fn
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    crate::encoding::fmt_status(f, crate::ApiError::status(self), None)
                }
            }

            impl std::error::Error for #name {}
        }
    });
    // An error's status comes from `ApiError`, which `Error::status` also uses.
    let status = (!is_error).then(|| {
        quote! {
            impl #name {
                /// The HTTP status of the response.
                pub fn status(&self) -> u16 {
                    #status_fn
                }
            }
        }
    });
    // Success values are printed by the command-line client (as their body alone); errors
    // have `Display`.
    let derive = super::traits::derive(traits);
    let untagged = (!is_error).then(|| quote!(#[serde(untagged)]));
    let non_exhaustive = super::traits::non_exhaustive(traits);
    quote! {
        #docs
        #derive
        #untagged
        #non_exhaustive
        pub enum #name {
            #(#variants)*
        }

        #status
        #extra
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResponseVariant;

    #[test]
    fn a_status_error_lists_what_its_statuses_mean() {
        let variant = |status, doc: Option<&str>| ResponseVariant {
            name: "Other".into(),
            status,
            doc: doc.map(str::to_string),
            body: None,
        };
        let errors = |variants| ResponseEnum { method_name: "put_c".into(), operation_id: "put-c".into(), variants };
        let one = errors(vec![variant(StatusMatch::Default, Some("Something went wrong."))]);
        assert_eq!(status_error_doc(&one), "The error of `put_c`: any other status (Something went wrong).");
        let several = errors(vec![
            variant(StatusMatch::Code(409), Some("Two\nlines")),
            variant(StatusMatch::Range(4), Some("Something went wrong")),
            variant(StatusMatch::Range(5), None),
        ]);
        assert_eq!(status_error_doc(&several), "The error of `put_c`: 409, 4XX (Something went wrong) or 5XX.");
    }
}
