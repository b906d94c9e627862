//! The `doubles` module: what the document declares of each operation's responses, written
//! as JSON for the runtime's drift check (`drift.rs`), and the credentials a recording hides.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Map, Value};

use crate::model::{Api, ApiKeyLocation, Encoding, FieldKind, SecurityScheme, StatusMatch, TypeKind, TypeRef};

pub fn doubles(api: &Api) -> TokenStream {
    let shape = super::examples::raw_string(&shape(api).to_string());
    let redaction = api.security.iter().filter_map(|scheme| match scheme {
        SecurityScheme::ApiKey { name, location: ApiKeyLocation::Header, .. } => Some(quote!(.header(#name))),
        SecurityScheme::ApiKey { name, location: ApiKeyLocation::Query, .. } => Some(quote!(.query(#name))),
        // Cookies and `Authorization` are always hidden.
        _ => None,
    });
    let replay = super::runtime::has_cli(api).then(|| {
        quote! {
            #[cfg(feature = "mock")]
            pub use crate::replay::{Replay, UNMATCHED_STATUS};
        }
    });
    let mocks = super::mocks::mocks(api);
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! Test doubles for code that uses this crate: typed mocks (`MockServer`, with the
        //! `mock` feature: one `expect_<operation>` method per operation), record a client's
        //! exchanges with the real API ([`recorder`]), replay them as a server (`Replay`, with
        //! the `mock` feature), and list what recorded responses hold that the document does
        //! not declare ([`drift`]).

        use std::path::Path;

        pub use crate::drift::{Drift, DriftKind, DriftReport};
        pub use crate::record::{
            read_cassette, read_cassette_file, RecordedBody, RecordedExchange, RecordedRequest, RecordedResponse,
            Recorder, Redaction, REDACTED,
        };
        #replay
        #mocks

        /// What the document declares of each operation's responses (statuses, media types and
        /// JSON bodies' shapes), as [`drift`] reads it.
        pub const DOCUMENT: &str = #shape;

        /// What a recording hides: the document's API keys, besides `Authorization`, cookies and
        /// headers named as credentials are.
        pub fn redaction() -> Redaction {
            Redaction::default() #(#redaction)*
        }

        /// A hook that appends each exchange of a client's calls to the file at `path`, one JSON
        /// line each, credentials redacted: `Client::builder().hook(recorder(path)?)`.
        pub fn recorder(path: impl AsRef<Path>) -> std::io::Result<Recorder> {
            Recorder::append_to(path, redaction())
        }

        /// What `exchanges` hold that the document does not declare: properties, enum values,
        /// statuses and content types.
        pub fn drift(exchanges: &[RecordedExchange]) -> Result<DriftReport, String> {
            crate::drift::check(DOCUMENT, exchanges)
        }

        /// The drift of the recording in the file at `path` (see [`drift`]).
        pub fn drift_file(path: impl AsRef<Path>) -> Result<DriftReport, String> {
            drift(&read_cassette_file(path.as_ref())?)
        }
    }
}

/// The description `drift.rs` reads: `{"operations": {id: [response]}, "types": {name: shape}}`.
pub fn shape(api: &Api) -> Value {
    let operations: Map<String, Value> = api
        .operations
        .iter()
        .map(|op| {
            let responses = op
                .success
                .iter()
                .chain(&op.errors)
                .map(|variant| {
                    let status = match variant.status {
                        StatusMatch::Code(code) => code.to_string(),
                        StatusMatch::Range(hundreds) => format!("{hundreds}XX"),
                        StatusMatch::Default => "default".to_string(),
                    };
                    let mut response = json!({ "status": status });
                    if let Some(payload) = &variant.body {
                        let media: Vec<&str> = std::iter::once(payload.media_type.as_str())
                            .chain(payload.alternatives.iter().map(String::as_str))
                            .collect();
                        response["media"] = json!(media);
                        if payload.encoding == Encoding::Json {
                            response["body"] = ty(&payload.ty);
                        }
                    }
                    response
                })
                .collect();
            (op.id.clone(), Value::Array(responses))
        })
        .collect();
    let types: Map<String, Value> = api
        .types
        .iter()
        .filter_map(|def| {
            let shape = match &def.kind {
                TypeKind::Struct(s) => {
                    let mut properties = Map::new();
                    let mut flatten = Vec::new();
                    let mut extra = false;
                    for field in &s.fields {
                        match &field.kind {
                            FieldKind::Property(p) => {
                                properties.insert(p.wire_name.clone(), ty(&field.ty));
                            }
                            FieldKind::AdditionalProperties => extra = true,
                            FieldKind::Variant => flatten.push(ty(&field.ty)),
                        }
                    }
                    json!({ "object": { "properties": properties, "extra": extra, "flatten": flatten } })
                }
                TypeKind::Enum(e) => json!({ "enum": e.variants.iter().map(|v| &v.value).collect::<Vec<_>>() }),
                TypeKind::Union(u) => json!({ "union": u.variants.iter().map(|v| ty(&v.ty)).collect::<Vec<_>>() }),
                TypeKind::Alias(t) | TypeKind::Newtype(t) => json!({ "alias": ty(t) }),
                // Operations' own types: their bodies are described by the operations.
                TypeKind::OperationError(_)
                | TypeKind::OperationSuccess(_)
                | TypeKind::StatusError { .. }
                | TypeKind::ResponseHeaders(_) => return None,
            };
            Some((def.name.as_str().to_string(), shape))
        })
        .collect();
    json!({ "operations": operations, "types": types })
}

fn ty(ty: &TypeRef) -> Value {
    match ty {
        TypeRef::String | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date | TypeRef::Bytes => json!("string"),
        TypeRef::Bool => json!("boolean"),
        TypeRef::Int(_) => json!("integer"),
        TypeRef::Float => json!("number"),
        // An existing Rust type says nothing of its JSON: whatever comes is not drift.
        TypeRef::Json | TypeRef::External(_) => json!("any"),
        TypeRef::Named(name) => json!({ "ref": name.as_str() }),
        TypeRef::Array(item) => json!({ "array": self::ty(item) }),
        TypeRef::Map(item) => json!({ "map": self::ty(item) }),
        TypeRef::Tuple(items) => json!({ "tuple": items.iter().map(self::ty).collect::<Vec<_>>() }),
        TypeRef::Nullable(inner) => json!({ "nullable": self::ty(inner) }),
    }
}
