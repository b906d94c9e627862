//! Security schemes the generated client can apply.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme as Scheme};

use super::Lowerer;
use crate::diagnostic::escape;
use crate::model::{ApiKeyLocation, SecurityScheme};

impl<'a> Lowerer<'a> {
    /// The supported schemes, in the order of their keys; each kind appears once.
    pub(super) fn security(&mut self) -> Vec<SecurityScheme> {
        let Some(components) = &self.doc.components else { return Vec::new() };
        let mut keys: Vec<&String> = components.security_schemes.keys().collect();
        keys.sort();
        let mut out: Vec<SecurityScheme> = Vec::new();
        for key in keys {
            let pointer = format!("#/components/securitySchemes/{}", escape(key));
            let ReferenceOr::Item(scheme) = &components.security_schemes[key] else {
                self.warn(pointer, "`$ref` security schemes are not supported; the client will not apply it");
                continue;
            };
            let lowered = match scheme {
                Scheme::HTTP { scheme, description, .. } => {
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => Some(SecurityScheme::Bearer { doc: description.clone() }),
                        "basic" => Some(SecurityScheme::Basic { doc: description.clone() }),
                        "exo2-hmac-sha256" => Some(SecurityScheme::Exo2HmacSha256 { doc: description.clone() }),
                        other => {
                            self.warn(pointer, format!("HTTP authentication scheme {other:?} is not supported; the client will not apply it"));
                            None
                        }
                    }
                }
                Scheme::APIKey { location, name, description, .. } => Some(SecurityScheme::ApiKey {
                    doc: description.clone(),
                    name: name.clone(),
                    location: match location {
                        APIKeyLocation::Header => ApiKeyLocation::Header,
                        APIKeyLocation::Query => ApiKeyLocation::Query,
                        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    },
                }),
                // Both end in an access token sent as a bearer token.
                Scheme::OAuth2 { description, .. } | Scheme::OpenIDConnect { description, .. } => {
                    Some(SecurityScheme::Bearer { doc: description.clone() })
                }
            };
            if let Some(lowered) = lowered {
                let same_kind = out.iter().any(|s| std::mem::discriminant(s) == std::mem::discriminant(&lowered));
                if !same_kind {
                    out.push(lowered);
                }
            }
        }
        out
    }
}
