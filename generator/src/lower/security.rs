//! Security schemes the generated client can apply, and the ones each operation accepts.

use std::collections::BTreeMap;

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement, SecurityScheme as Scheme};

use super::Lowerer;
use crate::diagnostic::escape;
use crate::model::{ApiKeyLocation, ClientCredentialsFlow, Required, SchemeKind, SecurityScheme};

impl<'a> Lowerer<'a> {
    /// The supported schemes, in the order of their keys, each kind once; and the kind of
    /// credential every defined scheme's key stands for, for the operations' requirements.
    pub(super) fn security(&mut self) -> (Vec<SecurityScheme>, BTreeMap<String, SchemeKind>) {
        let mut kinds = BTreeMap::new();
        let Some(components) = &self.doc.components else { return (Vec::new(), kinds) };
        let mut keys: Vec<&String> = components.security_schemes.keys().collect();
        keys.sort();
        let mut out: Vec<SecurityScheme> = Vec::new();
        for key in keys {
            let pointer = format!("#/components/securitySchemes/{}", escape(key));
            let ReferenceOr::Item(scheme) = &components.security_schemes[key] else {
                self.warn(pointer, "`$ref` security schemes are not supported; the client will not apply it");
                kinds.insert(key.clone(), SchemeKind::Other);
                continue;
            };
            let lowered = match scheme {
                Scheme::HTTP { scheme, description, .. } => {
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => Some(SecurityScheme::Bearer { doc: description.clone(), client_credentials: None }),
                        "basic" => Some(SecurityScheme::Basic { doc: description.clone() }),
                        "exo2-hmac-sha256" => Some(SecurityScheme::Exo2HmacSha256 { doc: description.clone() }),
                        other => {
                            self.warn(pointer.clone(), format!("HTTP authentication scheme {other:?} is not supported; the client will not apply it"));
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
                // Both end in an access token sent as a bearer token; the client gets it itself
                // by the client-credentials flow.
                Scheme::OAuth2 { description, flows, .. } => Some(SecurityScheme::Bearer {
                    doc: description.clone(),
                    client_credentials: flows
                        .client_credentials
                        .as_ref()
                        .map(|flow| ClientCredentialsFlow { scheme: key.clone(), token_url: flow.token_url.clone() }),
                }),
                Scheme::OpenIDConnect { description, .. } => {
                    Some(SecurityScheme::Bearer { doc: description.clone(), client_credentials: None })
                }
            };
            let Some(lowered) = lowered else {
                kinds.insert(key.clone(), SchemeKind::Other);
                continue;
            };
            let kind = lowered.kind();
            match (out.iter().find(|s| s.kind() == kind), &lowered) {
                (None, _) => out.push(lowered),
                // A second scheme of a kind the client holds one credential of is that
                // credential when it is sent the same way (two OAuth2 flows, two bearer
                // tokens); an API key with another name or place is not.
                (
                    Some(SecurityScheme::ApiKey { name, location, .. }),
                    SecurityScheme::ApiKey { name: other_name, location: other_location, .. },
                ) if (name, location) != (other_name, other_location) => {
                    let message = format!(
                        "a second API key scheme: the client sends only `{name}` as `Auth::ApiKey`, so an operation requiring this one is sent with an `Auth::Header` if the client holds one"
                    );
                    self.warn(pointer, message);
                    kinds.insert(key.clone(), SchemeKind::Other);
                    continue;
                }
                // A bearer token and an OAuth2 flow are one credential: the flow gets the token.
                (
                    Some(SecurityScheme::Bearer { client_credentials: None, .. }),
                    SecurityScheme::Bearer { client_credentials: Some(flow), .. },
                ) => {
                    if let Some(SecurityScheme::Bearer { client_credentials, .. }) =
                        out.iter_mut().find(|s| s.kind() == kind)
                    {
                        *client_credentials = Some(flow.clone());
                    }
                }
                (Some(_), _) => {}
            }
            kinds.insert(key.clone(), kind);
        }
        (out, kinds)
    }

    /// Whether the scheme `key` has scopes: OAuth2 and OpenID Connect. Other schemes' lists
    /// (OpenAPI 3.1's roles) mean nothing to the credentials the client holds for them.
    fn has_scopes(&self, key: &str) -> bool {
        let scheme = self.doc.components.as_ref().and_then(|components| components.security_schemes.get(key));
        matches!(scheme, Some(ReferenceOr::Item(Scheme::OAuth2 { .. } | Scheme::OpenIDConnect { .. })))
    }

    /// The alternatives of credentials `security` (an operation's, else the document's)
    /// accepts, in the document's order, each kind with the scopes the alternative requires
    /// of it, and whether the operation may go without any. `at` is where the operation is.
    pub(super) fn requirement(
        &mut self,
        security: Option<&Vec<SecurityRequirement>>,
        at: &str,
    ) -> (Vec<Vec<Required>>, bool) {
        let (requirements, pointer) = match (security, &self.doc.security) {
            (Some(own), _) => (own, format!("{at}/security")),
            (None, Some(global)) => (global, "#/security".to_string()),
            // Documents often leave security out while their API needs it: any credential
            // the client holds is sent, as when the client applied one to every request. None
            // is required (OpenAPI requires nothing here), so without one it is sent bare.
            (None, None) => {
                let mut any: Vec<Vec<Required>> =
                    self.schemes.iter().map(|s| vec![Required::unscoped(s.kind())]).collect();
                any.push(vec![Required::unscoped(SchemeKind::Other)]);
                return (any, true);
            }
        };
        let optional = requirements.is_empty() || requirements.iter().any(|alternative| alternative.is_empty());
        let mut out: Vec<Vec<Required>> = Vec::new();
        for (i, alternative) in requirements.iter().enumerate() {
            // `{}` makes authentication optional: the other alternatives are still sent
            // when the client holds them, and nothing when it does not, as for any operation.
            let mut required: Vec<Required> = Vec::new();
            let mut satisfiable = true;
            for (name, scopes) in alternative {
                let Some(kind) = self.scheme_kinds.get(name).copied() else {
                    self.warn(
                        format!("{pointer}/{i}"),
                        format!("security scheme {name:?} is not defined in `components/securitySchemes`; the client cannot satisfy this alternative and skips it"),
                    );
                    satisfiable = false;
                    continue;
                };
                let index = match required.iter().position(|r| r.kind == kind) {
                    Some(index) => index,
                    None => {
                        required.push(Required::unscoped(kind));
                        required.len() - 1
                    }
                };
                // Schemes of one kind are one credential: it is asked for all their scopes.
                if self.has_scopes(name) {
                    required[index].scopes.extend(scopes.iter().cloned());
                }
            }
            for one in &mut required {
                one.scopes.sort();
                one.scopes.dedup();
            }
            // The EXO2 signature covers the request as finally sent, query-string keys and
            // all, so it is applied after the credentials it is combined with.
            required.sort_by_key(|r| r.kind == SchemeKind::Exo2HmacSha256);
            // An alternative of the kinds of an earlier one is never chosen, whatever its scopes.
            let kinds = |alternative: &[Required]| alternative.iter().map(|r| r.kind).collect::<Vec<_>>();
            if satisfiable && !required.is_empty() && !out.iter().any(|earlier| kinds(earlier) == kinds(&required)) {
                out.push(required);
            }
        }
        (out, optional)
    }
}
