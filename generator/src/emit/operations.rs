//! The client's methods, one per operation, each a thin layer over the shared helpers of
//! the runtime (`client.rs`): build the request, send it, match the status.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::docs::doc;
use super::typeref::{is_copy, mentions, param_type, rust_type, Context};
use crate::model::{
    shared_error_body, Api, Encoding, Ident, Operation, PagePattern, PageTotal, Param, ParamLocation, PathSegment,
    Payload, QueryStyle, ResponseVariant, StatusMatch, SuccessType, TypeRef,
};

pub fn operations(api: &Api) -> Vec<TokenStream> {
    if api.operations.is_empty() {
        return vec![quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! The document has no operations.
        }];
    }
    let doc = quote!(#![doc = " One method per operation of the API."]);
    methods_file(doc, api.operations.iter())
}

/// The root of an `operations` module split by feature: one file per feature, compiled with
/// it.
pub fn operations_root(api: &Api) -> TokenStream {
    let modules = api.features.iter().map(|feature| {
        let module = &feature.module;
        let name = &feature.name;
        let docs = doc(&format!("The operations of `{}`.", feature.group));
        quote! {
            #docs
            #[cfg(feature = #name)]
            mod #module;
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! One method per operation of the API, in a file per cargo feature.
        #(#modules)*
    }
}

/// The file of the operations of `api.features[index]`.
pub fn operations_group(api: &Api, index: usize) -> Vec<TokenStream> {
    let feature = &api.features[index];
    let text = format!(" The operations of `{}`, compiled with the feature `{}`.", feature.group, feature.name);
    let doc = quote!(#![doc = #text]);
    methods_file(doc, api.operations.iter().filter(|op| op.feature.as_deref() == Some(feature.name.as_str())))
}

/// Methods per `impl Client` block.
const METHODS_PER_IMPL: usize = 100;

/// A file of `impl Client` methods, importing what they use: its head, then its blocks of
/// methods.
fn methods_file<'a>(doc: TokenStream, operations: impl Iterator<Item = &'a Operation>) -> Vec<TokenStream> {
    let methods: Vec<TokenStream> = operations
        .map(|op| {
            let stream = stream_method(op);
            let method = method(op);
            quote! { #method #stream }
        })
        .collect();
    let import = |name: &str, path: TokenStream| methods.iter().any(|m| mentions(m, name)).then_some(path);
    let types = import(
        "types",
        quote!(
            use crate::types;
        ),
    );
    let error = import(
        "Error",
        quote!(
            use crate::error::Error;
        ),
    );
    let scheme = import(
        "Scheme",
        quote!(
            use crate::credential::Scheme;
        ),
    );
    let head = quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #doc
        #scheme
        use crate::call::Call;
        use crate::client::{Client, Request};
        #error
        #types
    };
    // A huge API's group holds thousands of methods: in blocks, each its own piece of the file.
    let mut file = vec![head];
    let mut methods = methods.into_iter().peekable();
    while methods.peek().is_some() {
        let block: TokenStream = methods.by_ref().take(METHODS_PER_IMPL).collect();
        let mut item = quote!(impl Client);
        item.extend([proc_macro2::TokenTree::Group(proc_macro2::Group::new(proc_macro2::Delimiter::Brace, block))]);
        file.push(item);
    }
    file
}

fn method_doc(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim());
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim().trim_end_matches('.')) {
            text.push_str(description.trim());
            text.push_str("\n\n");
        }
    }
    text.push_str(&format!("`{} {}` (`{}`)", op.http_method.as_str(), op.path.text, op.id));
    let params: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.doc.is_some())
        .map(|p| format!("- `{}`: {}", p.name.unraw(), p.doc.as_deref().unwrap_or("").trim().replace('\n', " ")))
        .collect();
    if !params.is_empty() {
        text.push_str("\n\n# Parameters\n\n");
        text.push_str(&params.join("\n"));
    }
    if let Some(headers) = &op.response_headers {
        text.push_str(&format!(
            "\n\nThe headers its success responses declare: [`{headers}`](crate::types::{headers}), from \
             [`Call::send_with_headers`]."
        ));
    }
    if op.params.iter().any(|p| p.is_idempotency_key()) {
        text.push_str(
            "\n\nRetried like an idempotent request, since it declares an `Idempotency-Key`: every \
             attempt of a call carries the same key, the one given or one made for the call.",
        );
    }
    doc(&text)
}

fn method(op: &Operation) -> TokenStream {
    let name = &op.method_name;
    let docs = method_doc(op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let args = args(op, None);
    let success = success_type(&op.success_type);
    let error = error_type(op);
    let path = &op.path.text;
    let headers = op.response_headers.as_ref().map(|name| quote!(, types::#name));
    let request_id = op.request_id_header.as_ref().map(|name| quote!(.request_id_header(#name)));
    let streams = matches!(&op.success_type, SuccessType::Body(p) if matches!(p.encoding, Encoding::Bytes | Encoding::EventStream))
        .then(|| quote!(.stream_success()));
    let operation_id = &op.id;
    let path_params = op.path.segments.iter().filter_map(|segment| match segment {
        PathSegment::Param { name, .. } => {
            let wire = op.params.iter().find(|p| &p.name == name).map(|p| p.wire_name.clone()).unwrap_or_default();
            Some(quote!(.path_param(#wire, &#name)))
        }
        PathSegment::Literal(_) => None,
    });
    let security = (!op.security.is_empty()).then(|| {
        let alternatives = op.security.iter().map(|kinds| {
            let kinds = kinds.iter().map(|kind| kind.variant());
            quote!(&[#(Scheme::#kinds),*])
        });
        quote!(.security(&[#(#alternatives),*]))
    });
    let accept = op.accept.as_ref().map(|accept| quote! { let request = request.accept(#accept); });
    let method = proc_macro2::Ident::new(op.http_method.as_str(), proc_macro2::Span::call_site());
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(param_stmt);
    let body = op.body.as_ref().map(|b| {
        let with_body = with_body(&b.payload);
        if b.required {
            quote! { let request = #with_body; }
        } else {
            quote! {
                let request = match body {
                    Some(body) => #with_body,
                    None => request,
                };
            }
        }
    });
    let arms = op.success.iter().map(|v| success_arm(op, v));
    let shared_error = shared_error_body(&op.errors).is_some();
    let error_arms = op.errors.iter().map(|v| error_arm(&error, v, shared_error));
    let fallback = if op.errors.iter().any(|v| v.status == StatusMatch::Default) {
        None
    } else if op.success.is_empty() {
        Some(quote! {
            s if (200..300).contains(&s) => Ok(()),
            _ => Err(response.unexpected()),
        })
    } else {
        Some(quote! { _ => Err(response.unexpected()), })
    };
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> Call<#success, #error #headers> {
            let request = Request::new(reqwest::Method::#method, #operation_id, #path)#security #request_id #streams #(#path_params)*;
            #accept
            #(#params)*
            #body
            self.call(request, |response| match response.status() {
                #(#arms)*
                #(#error_arms)*
                #fallback
            })
        }
    }
}

/// The arguments of an operation's method, with their types.
fn args(op: &Operation, skip: Option<&Ident>) -> Vec<TokenStream> {
    let params = op.params.iter().filter(|p| Some(&p.name) != skip).map(|p| {
        let arg = &p.name;
        let ty = param_type(&p.ty, Context::Crate);
        if p.required {
            quote!(#arg: #ty)
        } else {
            quote!(#arg: Option<#ty>)
        }
    });
    let body = op.body.as_ref().map(|b| {
        let ty = body_param_type(&b.payload, b.required);
        if b.required {
            quote!(body: #ty)
        } else {
            quote!(body: Option<#ty>)
        }
    });
    params.chain(body).collect()
}

fn error_type(op: &Operation) -> TokenStream {
    match &op.error_type {
        Some(name) => quote!(types::#name),
        None => quote!(crate::NoErrorResponses),
    }
}

/// `<method>_stream`: the items of every page, the operation's method called with the paging
/// parameter left out, then moved on by the runtime's paginator.
fn stream_method(op: &Operation) -> Option<TokenStream> {
    let paging = op.pagination.as_ref()?;
    let name = &paging.stream_method;
    let method = &op.method_name;
    let skip = paging.param.as_ref().map(|(name, _)| name);
    let args = args(op, skip);
    let call_args = op
        .params
        .iter()
        .map(|p| if Some(&p.name) == skip { quote!(None) } else { p.name.to_token_stream() })
        .chain(op.body.as_ref().map(|_| quote!(body)));
    let item = rust_type(&paging.item_type, Context::Crate);
    let error = error_type(op);
    let wire = paging.param.as_ref().map_or("", |(_, wire)| wire.as_str());
    let pattern = match &paging.pattern {
        PagePattern::Cursor => quote!(Cursor { param: #wire }),
        PagePattern::LastItem { id } => quote!(LastItem { param: #wire, id: #id }),
        PagePattern::Page { first } => {
            let first = Literal::u64_unsuffixed(*first);
            quote!(Page { param: #wire, first: #first })
        }
        PagePattern::Offset => quote!(Offset { param: #wire }),
        PagePattern::Link => quote!(Link),
    };
    let some = |value: &Option<String>| match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let items = &paging.items;
    let next = some(&paging.next);
    let has_more = some(&paging.has_more);
    let size = some(&paging.size_param);
    let total = match &paging.total {
        Some(PageTotal::Items(p)) => quote!(Some(crate::pages::Total::Items(#p))),
        Some(PageTotal::Pages(p)) => quote!(Some(crate::pages::Total::Pages(#p))),
        None => quote!(None),
    };
    let how = match (&paging.pattern, &paging.param) {
        (PagePattern::Link, _) => "the URL of each response's `Link: <…>; rel=\"next\"`".to_string(),
        (PagePattern::Cursor, Some((_, wire))) => format!("`{wire}` set to the cursor each page gives"),
        (PagePattern::LastItem { .. }, Some((_, wire))) => format!("`{wire}` set to the id of each page's last item"),
        (PagePattern::Page { .. }, Some((_, wire))) => format!("`{wire}` counting the pages"),
        (PagePattern::Offset, Some((_, wire))) => format!("`{wire}` moved on by the items received"),
        (_, None) => String::new(),
    };
    let docs = doc(&format!(
        "Every item of [`Client::{}`], page after page: {how} ({} pattern). A page is fetched when \
         the items before it have been taken; a failed page ends the stream with its error.",
        method.unraw(),
        paging.pattern.label(),
    ));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    // `crate::Error` in full: the file imports `Error` only for the `Error::` paths of the
    // methods, which an operation without documented errors does not have.
    Some(quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> impl futures_core::Stream<Item = Result<#item, crate::Error<#error>>> + Send + 'static {
            #allow
            let first = self.#method(#(#call_args),*);
            crate::pages::stream(first, crate::pages::Paging {
                pattern: crate::pages::Pattern::#pattern,
                items: #items,
                next: #next,
                has_more: #has_more,
                total: #total,
                size_param: #size,
            })
        }
    })
}

fn body_param_type(payload: &Payload, required: bool) -> TokenStream {
    match (&payload.ty, payload.encoding) {
        // Bytes in memory, a file or a stream; an absent one needs no type named.
        (_, Encoding::Bytes) if required => quote!(impl Into<crate::Body>),
        (_, Encoding::Bytes) => quote!(crate::Body),
        (_, Encoding::Text) => quote!(String),
        (ty, _) => {
            let ty = rust_type(ty, Context::Crate);
            quote!(&#ty)
        }
    }
}

/// The request with its body attached.
fn with_body(payload: &Payload) -> TokenStream {
    let media = &payload.media_type;
    match payload.encoding {
        Encoding::Json => quote!(request.json_body(#media, body)),
        Encoding::Form => quote!(request.form_body(body)),
        Encoding::Multipart => quote!(request.multipart_body(body)),
        Encoding::Text => quote!(request.raw_body(#media, body.into_bytes())),
        Encoding::Bytes => quote!(request.raw_body(#media, body)),
        // Not a request body a client sends; as text, should a document say so.
        Encoding::EventStream => quote!(request.raw_body(#media, body.into_bytes())),
    }
}

fn param_stmt(p: &Param) -> TokenStream {
    let arg = &p.name;
    let wire = &p.wire_name;
    let value = if is_copy(&p.ty) { quote!(&#arg) } else { quote!(#arg) };
    let call = match p.location {
        ParamLocation::Query if p.style == QueryStyle::Form => quote!(request.query(#wire, #value)),
        ParamLocation::Query => {
            let style = match p.style {
                QueryStyle::Form => quote!(Form),
                QueryStyle::FormJoined => quote!(FormJoined),
                QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                QueryStyle::PipeDelimited => quote!(PipeDelimited),
                QueryStyle::DeepObject => quote!(DeepObject),
                QueryStyle::Json => quote!(Json),
            };
            quote!(request.query_styled(#wire, #value, crate::query_style::QueryStyle::#style))
        }
        ParamLocation::Header => quote!(request.header(#wire, #value)),
        ParamLocation::Cookie => quote!(request.cookie(#wire, #value)),
        ParamLocation::Path => unreachable!("path parameters are part of the path"),
    };
    if p.is_idempotency_key() {
        // Every attempt of a call carries the same key; one is made when none is given.
        let given = if p.required { quote!(Some(&#arg)) } else { quote!(#arg.as_ref()) };
        return quote! { let request = request.idempotency_key(#wire, #given); };
    }
    if p.required {
        quote! { let request = #call; }
    } else {
        quote! {
            let request = match #arg {
                Some(#arg) => #call,
                None => request,
            };
        }
    }
}

fn success_type(success: &SuccessType) -> TokenStream {
    match success {
        SuccessType::Unit => quote!(()),
        SuccessType::Body(payload) if payload.encoding == Encoding::Bytes => quote!(crate::ByteStream),
        SuccessType::Body(payload) if payload.encoding == Encoding::EventStream => {
            let ty = rust_type(&payload.ty, Context::Crate);
            quote!(crate::EventStream<#ty>)
        }
        SuccessType::Body(payload) => rust_type(&payload.ty, Context::Crate),
        SuccessType::Enum(name) => {
            quote!(types::#name)
        }
    }
}

fn pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(hundreds) => {
            let lo = Literal::u16_unsuffixed(hundreds * 100);
            let hi = Literal::u16_unsuffixed(hundreds * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

fn decode(payload: &Payload) -> TokenStream {
    match payload.encoding {
        Encoding::Bytes => quote!(response.bytes()),
        Encoding::Text => quote!(response.text()?),
        _ => quote!(response.json()?),
    }
}

fn success_arm(op: &Operation, v: &ResponseVariant) -> TokenStream {
    let pattern = pattern(v.status);
    match &op.success_type {
        SuccessType::Unit => quote! { #pattern => Ok(()), },
        SuccessType::Body(payload) => {
            // The decoding's own result, without `Ok(…?)`, which the compiler would check again
            // in every method.
            let result = match payload.encoding {
                Encoding::Bytes => quote!(response.byte_stream()),
                Encoding::EventStream if payload.ty == TypeRef::String => {
                    quote!(response.events(crate::stream::text, false))
                }
                Encoding::EventStream => quote!(response.events(crate::stream::json, true)),
                Encoding::Text => quote!(response.text()),
                _ => quote!(response.json()),
            };
            quote! { #pattern => #result, }
        }
        SuccessType::Enum(name) => {
            let value = variant_value(&quote!(types::#name), v);
            quote! { #pattern => Ok(#value), }
        }
    }
}

fn error_arm(error: &TokenStream, v: &ResponseVariant, shared: bool) -> TokenStream {
    let pattern = pattern(v.status);
    if let (Some(p), true) = (&v.body, shared) {
        // `StatusError<Body>`, under the operation's name in its signature.
        let decode = decode(p);
        return quote! { #pattern => response.status_error(#decode), };
    }
    let value = variant_value(error, v);
    quote! { #pattern => Err(Error::documented(#value)), }
}

/// `Enum::Variant(body)`, `Enum::Variant`, or `Enum::Variant { status, body }`.
fn variant_value(enum_path: &TokenStream, v: &ResponseVariant) -> TokenStream {
    let variant = &v.name;
    match (v.status.is_many(), &v.body) {
        (false, None) => quote!(#enum_path::#variant),
        (false, Some(p)) => {
            let decode = decode(p);
            quote!(#enum_path::#variant(#decode))
        }
        (true, None) => quote!(#enum_path::#variant { status: response.status() }),
        (true, Some(p)) => {
            let decode = decode(p);
            quote!(#enum_path::#variant { status: response.status(), body: #decode })
        }
    }
}
