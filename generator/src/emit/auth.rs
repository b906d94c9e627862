//! The `auth` module: one `Auth` variant per security scheme of the document, each applied
//! to a request just before it is sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_or;
use super::Options;
use crate::model::{Api, ApiKeyLocation, SecurityScheme};

pub fn uses_exo2(api: &Api) -> bool {
    api.security.iter().any(|s| matches!(s, SecurityScheme::Exo2HmacSha256 { .. }))
}

/// The environment variables each scheme reads its secrets from.
pub fn env_vars(scheme: &SecurityScheme, prefix: &str) -> Vec<String> {
    match scheme {
        SecurityScheme::Exo2HmacSha256 { .. } => vec![format!("{prefix}_API_KEY"), format!("{prefix}_API_SECRET")],
        SecurityScheme::Bearer { .. } => vec![format!("{prefix}_TOKEN")],
        SecurityScheme::Basic { .. } => vec![format!("{prefix}_USERNAME"), format!("{prefix}_PASSWORD")],
        SecurityScheme::ApiKey { .. } => vec![format!("{prefix}_API_KEY")],
    }
}

pub fn auth(api: &Api, options: &Options) -> TokenStream {
    let variants = api.security.iter().map(|scheme| match scheme {
        SecurityScheme::Exo2HmacSha256 { doc } => {
            let docs = doc_or(doc.as_deref(), "Requests signed with `EXO2-HMAC-SHA256`.");
            quote! { #docs Exo2HmacSha256(crate::exo2::Credentials), }
        }
        SecurityScheme::Bearer { doc } => {
            let docs = doc_or(doc.as_deref(), "A bearer token in the `Authorization` header.");
            quote! { #docs Bearer(Secret), }
        }
        SecurityScheme::Basic { doc } => {
            let docs = doc_or(doc.as_deref(), "HTTP basic authentication.");
            quote! {
                #docs
                Basic {
                    /// The user name.
                    username: String,
                    /// The password.
                    password: Secret,
                },
            }
        }
        SecurityScheme::ApiKey { doc, name, .. } => {
            let docs = doc_or(doc.as_deref(), &format!("An API key sent as `{name}`."));
            quote! { #docs ApiKey(Secret), }
        }
    });
    let apply = api.security.iter().map(|scheme| match scheme {
        SecurityScheme::Exo2HmacSha256 { .. } => {
            quote! { Auth::Exo2HmacSha256(credentials) => credentials.sign(request), }
        }
        SecurityScheme::Bearer { .. } => quote! {
            Auth::Bearer(token) => set_header(request, reqwest::header::AUTHORIZATION, &format!("Bearer {}", token.0)),
        },
        SecurityScheme::Basic { .. } => quote! {
            Auth::Basic { username, password } => {
                use base64::Engine as _;
                let pair = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{}", password.0));
                set_header(request, reqwest::header::AUTHORIZATION, &format!("Basic {pair}"))
            }
        },
        SecurityScheme::ApiKey { name, location, .. } => match location {
            ApiKeyLocation::Header => quote! {
                Auth::ApiKey(key) => {
                    let name = reqwest::header::HeaderName::from_bytes(#name.as_bytes())
                        .map_err(|_| format!("{:?} is not a valid header name", #name))?;
                    set_header(request, name, &key.0)
                }
            },
            ApiKeyLocation::Query => quote! {
                Auth::ApiKey(key) => {
                    request.url_mut().query_pairs_mut().append_pair(#name, &key.0);
                    Ok(())
                }
            },
            ApiKeyLocation::Cookie => quote! {
                Auth::ApiKey(key) => {
                    // Added to the cookies the operation's parameters already set.
                    let cookie = format!("{}={}", #name, key.0);
                    let cookies = match request.headers().get(reqwest::header::COOKIE).and_then(|v| v.to_str().ok()) {
                        Some(existing) => format!("{existing}; {cookie}"),
                        None => cookie,
                    };
                    set_header(request, reqwest::header::COOKIE, &cookies)
                }
            },
        },
    });
    // Each scheme's credential from the environment: `None` when its variables are not set.
    let loads = api.security.iter().map(|scheme| {
        let vars = env_vars(scheme, &options.env_prefix);
        match scheme {
            SecurityScheme::Exo2HmacSha256 { .. } => {
                let (key, secret) = (&vars[0], &vars[1]);
                quote! {
                    (std::env::var_os(#key).is_some() || std::env::var_os(#secret).is_some())
                        .then(|| crate::exo2::Credentials::from_env_vars(#key, #secret).map(Auth::Exo2HmacSha256))
                }
            }
            SecurityScheme::Bearer { .. } | SecurityScheme::ApiKey { .. } => {
                let var = &vars[0];
                let variant =
                    if matches!(scheme, SecurityScheme::Bearer { .. }) { quote!(Bearer) } else { quote!(ApiKey) };
                quote! { std::env::var(#var).ok().map(|value| Secret::new(value).map(Auth::#variant)) }
            }
            SecurityScheme::Basic { .. } => {
                let (user, pass) = (&vars[0], &vars[1]);
                quote! {
                    match (std::env::var(#user), std::env::var(#pass)) {
                        (Ok(username), Ok(password)) => Some(Secret::new(password).map(|password| Auth::Basic { username, password })),
                        _ => None,
                    }
                }
            }
        }
    });
    // Without typed variants, a catch-all arm would be unreachable.
    let other_kinds = (!api.security.is_empty()).then(|| quote!(_ => self.scheme() == other.scheme(),));
    let load_count = proc_macro2::Literal::usize_unsuffixed(api.security.len());
    let scheme_variants = api.security.iter().map(|scheme| {
        let name = scheme.kind().variant();
        let docs = super::docs::doc(&format!("[`Auth::{name}`]."));
        quote!(#docs #name,)
    });
    let scheme_arms = api.security.iter().map(|scheme| {
        let name = scheme.kind().variant();
        let pattern = match scheme {
            SecurityScheme::Basic { .. } => quote!(Auth::Basic { .. }),
            _ => quote!(Auth::#name(_)),
        };
        quote!(#pattern => Scheme::#name,)
    });
    let all_vars: Vec<String> = api.security.iter().flat_map(|s| env_vars(s, &options.env_prefix)).collect();
    let missing = if all_vars.is_empty() {
        "this API declares no authentication".to_string()
    } else {
        format!("no credentials in the environment: set {}", all_vars.join(", "))
    };
    let apply_body = quote! {
        match self {
            #(#apply)*
            Auth::Header { name, value } => set_header(request, name.clone(), &value.0),
        }
    };
    let conversions = api.security.iter().filter_map(|scheme| match scheme {
        SecurityScheme::Exo2HmacSha256 { .. } => Some(quote! {
            impl From<crate::exo2::Credentials> for Auth {
                fn from(credentials: crate::exo2::Credentials) -> Self {
                    Auth::Exo2HmacSha256(credentials)
                }
            }
        }),
        _ => None,
    });
    let exo2_reexport = uses_exo2(api).then(|| quote! { pub use crate::exo2::Credentials; });
    let exo2_env = uses_exo2(api).then(|| {
        let vars = env_vars(&SecurityScheme::Exo2HmacSha256 { doc: None }, &options.env_prefix);
        let (key, secret) = (&vars[0], &vars[1]);
        let docs = super::docs::doc(&format!("Credentials from the environment variables `{key}` and `{secret}`."));
        quote! {
            impl crate::exo2::Credentials {
                #docs
                pub fn from_env() -> Result<Self, ConfigError> {
                    Self::from_env_vars(#key, #secret)
                }
            }
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! Authentication, from the security schemes of the API.
        #![allow(unused_imports, dead_code)]

        use crate::error::ConfigError;
        #exo2_reexport

        /// A credential of the client. A client may hold one of each kind (see
        /// [`ClientBuilder::auth`](crate::ClientBuilder::auth)); each request carries the one
        /// its operation accepts.
        #[derive(Clone)]
        #[non_exhaustive]
        pub enum Auth {
            #(#variants)*
            /// Any other credential, sent as the header `name: value` with the operations
            /// that require a scheme the client cannot apply itself, and with those for which
            /// the document names no security at all.
            Header {
                /// The header's name.
                name: reqwest::header::HeaderName,
                /// The header's value.
                value: Secret,
            },
        }

        impl std::fmt::Debug for Auth {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("Auth(<redacted>)")
            }
        }

        /// A kind of credential, as operations name those they accept: one per variant of
        /// [`Auth`].
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub(crate) enum Scheme {
            #(#scheme_variants)*
            /// [`Auth::Header`]: schemes the client cannot apply itself.
            Header,
        }

        impl Auth {
            /// The credential of the first scheme whose environment variables are set (in
            /// the order of [`Auth`]'s variants); an error when none is. A client that may
            /// need several: [`Auth::all_from_env`].
            pub fn from_env() -> Result<Self, ConfigError> {
                env_credentials().into_iter().next().unwrap_or_else(|| Err(ConfigError(#missing.into())))
            }

            /// Every credential whose environment variables are set, for
            /// [`ClientBuilder::auths`](crate::ClientBuilder::auths); an error when none is,
            /// or when one is set but invalid (empty, or an API key without its secret).
            pub fn all_from_env() -> Result<Vec<Self>, ConfigError> {
                let all = env_credentials().into_iter().collect::<Result<Vec<_>, _>>()?;
                if all.is_empty() {
                    return Err(ConfigError(#missing.into()));
                }
                Ok(all)
            }

            /// Which kind of credential this is.
            pub(crate) fn scheme(&self) -> Scheme {
                match self {
                    #(#scheme_arms)*
                    Auth::Header { .. } => Scheme::Header,
                }
            }

            /// Whether a client keeps `self` in the place of `other`: one credential per kind,
            /// and custom headers one per name.
            pub(crate) fn replaces(&self, other: &Auth) -> bool {
                match (self, other) {
                    (Auth::Header { name, .. }, Auth::Header { name: other, .. }) => name == other,
                    #other_kinds
                }
            }

            pub(crate) fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
                #apply_body
            }
        }

        /// Each scheme's credential from the environment, where its variables are set.
        fn env_credentials() -> Vec<Result<Auth, ConfigError>> {
            let loads: [Option<Result<Auth, ConfigError>>; #load_count] = [#(#loads),*];
            loads.into_iter().flatten().collect()
        }

        #(#conversions)*
        #exo2_env

        /// A secret value (token, password, key) that `Debug` never shows.
        #[derive(Clone)]
        pub struct Secret(String);

        impl Secret {
            /// Wraps `value`; an empty one is refused.
            pub fn new(value: impl Into<String>) -> Result<Self, ConfigError> {
                let value = value.into();
                if value.trim().is_empty() {
                    return Err(ConfigError("the secret is empty".into()));
                }
                Ok(Self(value))
            }
        }

        impl std::fmt::Debug for Secret {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("<redacted>")
            }
        }

        fn set_header(request: &mut reqwest::Request, name: reqwest::header::HeaderName, value: &str) -> Result<(), String> {
            let mut value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|_| format!("the credentials are not a valid `{name}` header value"))?;
            value.set_sensitive(true);
            request.headers_mut().insert(name, value);
            Ok(())
        }
    }
}
