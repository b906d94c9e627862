//! The client's methods, one per operation, each a thin layer over the shared helpers of
//! the runtime (`client.rs`): build the request, send it, match the status.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc;
use super::typeref::{is_copy, mentions, param_type, payload_type, rust_type, Context};
use crate::model::{
    shared_error_body, Api, Encoding, ErrorArm, Operation, PagePattern, PageTotal, Param, ParamLocation, PathSegment,
    Payload, QueryStyle, ResponseVariant, StatusMatch, SuccessType, TypeRef,
};

pub fn operations(api: &Api) -> Vec<TokenStream> {
    if api.operations.is_empty() {
        return vec![quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! The document has no operations.
        }];
    }
    let doc = quote!(#![doc = " One method of `Client` per operation of the API, and each operation's own type: the last type parameter of its `Call`, with the methods of its optional parameters."]);
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
            pub mod #module;
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
    let group = crate::escape::one_line(&feature.group);
    let text = format!(" The operations of `{group}`, compiled with the feature `{}`.", feature.name);
    let doc = quote!(#![doc = #text]);
    methods_file(doc, api.operations.iter().filter(|op| op.feature.as_deref() == Some(feature.name.as_str())))
}

/// Methods per `impl Client` block.
const METHODS_PER_IMPL: usize = 100;

/// A file of `impl Client` methods, importing what they use: its head, its blocks of
/// methods, then each operation's type with the methods of its `Call`.
fn methods_file<'a>(doc: TokenStream, operations: impl Iterator<Item = &'a Operation>) -> Vec<TokenStream> {
    let (methods, calls): (Vec<TokenStream>, Vec<TokenStream>) =
        operations.map(|op| (method(op), call_impl(op))).unzip();
    let import =
        |name: &str, path: TokenStream| methods.iter().chain(&calls).any(|m| mentions(m, name)).then_some(path);
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
    let raw_response = import("RawResponse", quote!(RawResponse,));
    let head = quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #doc
        #scheme
        use crate::call::Call;
        use crate::client::{Client, #raw_response Request};
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
    // Each operation's own type and the methods of its `Call`, after the client's methods.
    file.extend(calls);
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
        .filter(|p| p.required && (p.doc.is_some() || p.constraints.is_some()))
        .map(|p| {
            let doc = p.doc.as_deref().unwrap_or("").trim().replace('\n', " ");
            match &p.constraints {
                Some(c) if doc.is_empty() => format!("- `{}`: the document allows {c}.", p.name.unraw()),
                Some(c) => format!("- `{}`: {doc} (the document allows {c})", p.name.unraw()),
                None => format!("- `{}`: {doc}", p.name.unraw()),
            }
        })
        .collect();
    let optional: Vec<String> =
        op.params.iter().filter_map(|p| p.setter.as_ref()).map(|setter| format!("`{}`", setter.unraw())).collect();
    if !params.is_empty() {
        text.push_str("\n\n# Parameters\n\n");
        text.push_str(&params.join("\n"));
    }
    if !optional.is_empty() {
        text.push_str(&format!("\n\nOptional parameters are set on the call it returns: {}.", optional.join(", ")));
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
    let args = args(op);
    let success = success_type(&op.success_type);
    let error = error_type(op);
    let path = &op.path.text;
    let headers = headers_type(op);
    let call_type = &op.call_type;
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
        let alternatives = op.security.iter().map(|alternative| {
            let required = alternative.iter().map(|required| {
                let (kind, scopes) = (required.kind.variant(), &required.scopes);
                quote!((Scheme::#kind, &[#(#scopes),*]))
            });
            quote!(&[#(#required),*])
        });
        quote!(.security(&[#(#alternatives),*]))
    });
    let accept = op.accept.as_ref().map(|accept| quote! { let request = request.accept(#accept); });
    let method = proc_macro2::Ident::new(op.http_method.as_str(), proc_macro2::Span::call_site());
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).filter_map(param_stmt);
    let body = op.body.as_ref().filter(|b| b.required).map(|b| {
        let with_body = with_body(&b.payload, quote!(request));
        quote! { let request = #with_body; }
    });
    let arms = op.success.iter().map(|v| success_arm(op, v));
    let shared_error = shared_error_body(&op.errors).is_some();
    let error_arms = error_arms(&error, op, shared_error);
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
    // Before the error arms: a `default` error would otherwise take a success status.
    let undocumented = undocumented_success(op).map(|decode| {
        quote! { s if (200..300).contains(&s) => response.undocumented_success(#decode), }
    });
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> Call<#success, #error, #headers, #call_type> {
            let request = Request::new(reqwest::Method::#method, #operation_id, #path)#security #request_id #streams #(#path_params)*;
            #accept
            #(#params)*
            #body
            self.call(request, |response| match response.status() {
                #(#arms)*
                #undocumented
                #(#error_arms)*
                #fallback
            })
        }
    }
}

/// The arguments of an operation's method, with their types: what it requires. The rest are
/// methods of its `Call`.
fn args(op: &Operation) -> Vec<TokenStream> {
    let params = op.params.iter().filter(|p| p.required).map(|p| {
        let arg = &p.name;
        let ty = param_type(&p.ty, Context::Crate);
        quote!(#arg: #ty)
    });
    let body = op.body.as_ref().filter(|b| b.required).map(|b| {
        let ty = body_param_type(&b.payload, true);
        quote!(body: #ty)
    });
    params.chain(body).collect()
}

/// The `H` of the operation's `Call`: the headers its successes declare, or `()`.
fn headers_type(op: &Operation) -> TokenStream {
    match &op.response_headers {
        Some(name) => quote!(types::#name),
        None => quote!(()),
    }
}

fn error_type(op: &Operation) -> TokenStream {
    match &op.error_type {
        Some(name) => quote!(types::#name),
        None => quote!(crate::NoErrorResponses),
    }
}

/// The operation's own type, and its `Call`'s methods: one per optional parameter (and an
/// optional body), and `items` and `pages` for a paginated operation.
fn call_impl(op: &Operation) -> TokenStream {
    let call_type = &op.call_type;
    let type_doc = doc(&format!(
        "The operation [`Client::{}`]: the last type parameter of its [`Call`], whose methods \
         set its optional parameters{}.",
        op.method_name.unraw(),
        if op.pagination.is_some() { " and give its results page after page" } else { "" },
    ));
    let setters: Vec<TokenStream> = op.params.iter().filter_map(setter).chain(body_setter(op)).collect();
    let paging = paging_methods(op);
    let methods = (!setters.is_empty() || paging.is_some()).then(|| {
        quote! {
            impl<T, E, H> Call<T, E, H, #call_type> {
                #(#setters)*
            }
            #paging
        }
    });
    quote! {
        #type_doc
        #[derive(Debug)]
        pub struct #call_type(());

        #methods
    }
}

/// The method of the `Call` that sets an optional parameter, in place of any value given
/// before.
fn setter(p: &Param) -> Option<TokenStream> {
    let setter = p.setter.as_ref()?;
    let arg = &p.name;
    let mut text = match p.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("{d}\n\n"),
        None => String::new(),
    };
    let location = match p.location {
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Path => "path parameter",
    };
    text.push_str(&format!("Sets the {location} `{}`.", p.wire_name));
    if let Some(constraints) = &p.constraints {
        text.push_str(&format!(" The document allows: {constraints}."));
    }
    if p.is_idempotency_key() {
        text.push_str(" Without it, the call makes a key of its own, the same on every attempt.");
    }
    let docs = doc(&text);
    let (ty, convert) = match &p.ty {
        TypeRef::String => (quote!(impl Into<String>), Some(quote! { let #arg: String = #arg.into(); })),
        ty => (rust_type(ty, Context::Crate), None),
    };
    let value = quote!(&#arg);
    // The request changed in place rather than through a closure: one body fewer to check
    // per setter, hundreds in a large API.
    let call = if p.is_idempotency_key() {
        let wire = &p.wire_name;
        quote!(self.request.idempotency_key(#wire, Some(#value)))
    } else {
        param_call(p, quote!(self.request), value)
    };
    Some(quote! {
        #docs
        pub fn #setter(mut self, #arg: #ty) -> Self {
            #convert
            self.request = #call;
            self
        }
    })
}

/// The method of the `Call` that sets an optional body.
fn body_setter(op: &Operation) -> Option<TokenStream> {
    let setter = op.body_setter.as_ref()?;
    let body = op.body.as_ref()?;
    let docs = doc(&match body.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("{d}\n\nSets the request body (`{}`).", body.payload.media_type),
        None => format!("Sets the request body (`{}`).", body.payload.media_type),
    });
    let ty = body_param_type(&body.payload, true);
    let with_body = with_body(&body.payload, quote!(self.request));
    Some(quote! {
        #docs
        pub fn #setter(mut self, body: #ty) -> Self {
            self.request = #with_body;
            self
        }
    })
}

/// `items` and `pages` of a paginated operation's `Call`: the call itself, then the same call
/// with the paging parameter moved on, by the runtime's paginator.
fn paging_methods(op: &Operation) -> Option<TokenStream> {
    let paging = op.pagination.as_ref()?;
    let call_type = &op.call_type;
    let page = success_type(&op.success_type);
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
    let items_doc = doc(&format!(
        "Every item of every page: this call, then the same call with {how} ({} pattern). A page \
         is fetched when the items before it have been taken; a failed page ends the stream with \
         its error.",
        paging.pattern.label(),
    ));
    let pages_doc = doc("Every page, fetched as `items` fetches them: this call, then the next page's.");
    // `crate::Error` in full: the file imports `Error` only for the `Error::` paths of the
    // methods, which an operation without documented errors does not have. Generic over the
    // headers type, though each operation has one: a generic method is compiled where it is
    // used, so a crate's own build does not compile the paginator for every operation (a
    // quarter of nexus's `cargo build`).
    Some(quote! {
        impl<H: 'static> Call<#page, #error, H, #call_type> {
            const PAGING: crate::pages::Paging = crate::pages::Paging {
                pattern: crate::pages::Pattern::#pattern,
                items: #items,
                next: #next,
                has_more: #has_more,
                total: #total,
                size_param: #size,
                whole: false,
            };

            #items_doc
            pub fn items(self) -> crate::Paginated<#item, #error> {
                crate::pages::paginate(self, Self::PAGING)
            }

            #pages_doc
            pub fn pages(self) -> crate::Paginated<#page, #error> {
                crate::pages::paginate(self, crate::pages::Paging { whole: true, ..Self::PAGING })
            }
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

/// `request` (an expression) with its body attached.
fn with_body(payload: &Payload, request: TokenStream) -> TokenStream {
    let media = &payload.media_type;
    match payload.encoding {
        Encoding::Json => quote!(#request.json_body(#media, body)),
        Encoding::Form => quote!(#request.form_body(body)),
        Encoding::Multipart => quote!(#request.multipart_body(body)),
        Encoding::Text => quote!(#request.raw_body(#media, body.into_bytes())),
        Encoding::Bytes => quote!(#request.raw_body(#media, body)),
        // Not a request body a client sends; as text, should a document say so.
        Encoding::EventStream => quote!(#request.raw_body(#media, body.into_bytes())),
    }
}

/// `request` (an expression) with a parameter given `value` (a reference).
fn param_call(p: &Param, request: TokenStream, value: TokenStream) -> TokenStream {
    let wire = &p.wire_name;
    match p.location {
        ParamLocation::Query if p.style == QueryStyle::Form => quote!(#request.query(#wire, #value)),
        ParamLocation::Query => {
            let style = match p.style {
                QueryStyle::Form => quote!(Form),
                QueryStyle::FormJoined => quote!(FormJoined),
                QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                QueryStyle::PipeDelimited => quote!(PipeDelimited),
                QueryStyle::DeepObject => quote!(DeepObject),
                QueryStyle::Json => quote!(Json),
            };
            quote!(#request.query_styled(#wire, #value, crate::query_style::QueryStyle::#style))
        }
        ParamLocation::Header => quote!(#request.header(#wire, #value)),
        ParamLocation::Cookie => quote!(#request.cookie(#wire, #value)),
        ParamLocation::Path => unreachable!("path parameters are part of the path"),
    }
}

/// A required parameter given to the method; an optional `Idempotency-Key` gets a key made
/// for the call, which its setter replaces. Other optional parameters have their setters.
fn param_stmt(p: &Param) -> Option<TokenStream> {
    let arg = &p.name;
    let wire = &p.wire_name;
    if p.is_idempotency_key() {
        // Every attempt of a call carries the same key; one is made when none is given.
        let given = if p.required { quote!(Some(&#arg)) } else { quote!(None::<&str>) };
        return Some(quote! { let request = request.idempotency_key(#wire, #given); });
    }
    if !p.required {
        return None;
    }
    let value = if is_copy(&p.ty) { quote!(&#arg) } else { quote!(#arg) };
    let call = param_call(p, quote!(request), value);
    Some(quote! { let request = #call; })
}

/// How a success status the document does not list is read, when the operation has one
/// success type: as that type (`RawResponse::undocumented_success` checks that it decodes).
/// Every success covered already (a `2XX`), or several types to choose from: `None`.
fn undocumented_success(op: &Operation) -> Option<TokenStream> {
    if op.success.is_empty() || op.success.iter().any(|v| v.status == StatusMatch::Range(2)) {
        return None;
    }
    // Paths to the decoding methods where no argument is needed: a closure would be one more
    // body to check per operation.
    match &op.success_type {
        SuccessType::Unit => Some(quote!(RawResponse::empty)),
        SuccessType::Body(payload) => Some(match payload.encoding {
            Encoding::Bytes => quote!(RawResponse::byte_stream),
            Encoding::EventStream if payload.ty == TypeRef::String => {
                quote!(|response| response.events(crate::stream::text, false))
            }
            Encoding::EventStream => quote!(|response| response.events(crate::stream::json, true)),
            Encoding::Text => quote!(RawResponse::text),
            _ if payload.negotiated() => quote!(RawResponse::content),
            _ => quote!(RawResponse::json),
        }),
        SuccessType::Enum(_) => None,
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
        SuccessType::Body(payload) => payload_type(payload, Context::Crate),
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
        _ if payload.negotiated() => quote!(response.content()?),
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
                _ if payload.negotiated() => quote!(response.content()),
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

/// The arms of the documented errors, as lowering grouped them.
fn error_arms(error: &TokenStream, op: &Operation, shared: bool) -> Vec<TokenStream> {
    op.error_arms
        .iter()
        .map(|arm| match *arm {
            ErrorArm::Response(index) => error_arm(error, &op.errors[index], shared),
            ErrorArm::Ranges { first, last } => {
                let lo = Literal::u16_unsuffixed(first * 100);
                let hi = Literal::u16_unsuffixed(last * 100 + 99);
                // Joined only where the body is shared.
                let decode = shared_error_body(&op.errors).map(decode);
                quote! { #lo..=#hi => response.status_error(#decode), }
            }
        })
        .collect()
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
