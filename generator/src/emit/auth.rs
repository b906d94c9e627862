//! The `auth` module: one `Auth` variant per security scheme of the document, each applied
//! to a request just before it is sent.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_or;
use crate::model::{Api, ApiKeyLocation, ClientCredentialsFlow, SecurityScheme};

/// The client-credentials flow the client gets its bearer tokens by, if the document has one
/// (whether it has one is `api.uses.oauth2`, decided in lowering).
fn client_credentials(api: &Api) -> Option<&ClientCredentialsFlow> {
    api.security.iter().find_map(|s| match s {
        SecurityScheme::Bearer { client_credentials, .. } => client_credentials.as_ref(),
        _ => None,
    })
}

pub fn auth(api: &Api) -> TokenStream {
    let variants = api.security.iter().map(|scheme| match scheme {
        SecurityScheme::Exo2HmacSha256 { doc } => {
            let docs = doc_or(doc.as_deref(), "Requests signed with `EXO2-HMAC-SHA256`.");
            quote! { #docs Exo2HmacSha256(crate::exo2::Credentials), }
        }
        SecurityScheme::Bearer { doc, client_credentials } => {
            let docs = doc_or(doc.as_deref(), "A bearer token in the `Authorization` header.");
            let oauth = client_credentials.as_ref().map(|flow| {
                let docs = super::docs::doc(&format!(
                    "Bearer tokens the client gets and renews itself, by OAuth2 (`{}`): see [`Auth::client_credentials`].",
                    flow.scheme
                ));
                quote! { #docs OAuth2(crate::oauth::OAuth2), }
            });
            quote! { #docs Bearer(Secret), #oauth }
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
            quote! { Auth::Exo2HmacSha256(credentials) => credentials.apply(request), }
        }
        SecurityScheme::Bearer { client_credentials, .. } => {
            let oauth = client_credentials.is_some().then(|| quote!(Auth::OAuth2(oauth) => oauth.apply(request),));
            quote! {
                Auth::Bearer(token) => credential::bearer(request, token),
                #oauth
            }
        }
        SecurityScheme::Basic { .. } => quote! {
            Auth::Basic { username, password } => credential::basic(request, username, password),
        },
        SecurityScheme::ApiKey { name, location, .. } => {
            let helper = match location {
                ApiKeyLocation::Header => quote!(api_key_header),
                ApiKeyLocation::Query => quote!(api_key_query),
                ApiKeyLocation::Cookie => quote!(api_key_cookie),
            };
            quote! { Auth::ApiKey(key) => credential::#helper(request, #name, key), }
        }
    });
    // Each scheme's credential from the environment: `None` when its variables are not set.
    let loads: Vec<TokenStream> = api.security.iter().zip(&api.environment.schemes).flat_map(|(scheme, vars)| {
        let load = match scheme {
            SecurityScheme::Exo2HmacSha256 { .. } => {
                let (key, secret) = (&vars[0], &vars[1]);
                quote! {
                    (std::env::var_os(#key).is_some() || std::env::var_os(#secret).is_some())
                        .then(|| crate::exo2::Credentials::from_env_vars(#key, #secret).map(Auth::Exo2HmacSha256))
                }
            }
            // The client id and secret first: with them set, the token is not read.
            SecurityScheme::Bearer { client_credentials: Some(_), .. } => {
                let (id, secret, token) = (&vars[0], &vars[1], &vars[2]);
                return vec![
                    quote! {
                        match (std::env::var(#id), std::env::var(#secret)) {
                            (Ok(id), Ok(secret)) => Some(Secret::new(secret).map(|secret| Auth::client_credentials(id, secret))),
                            _ => None,
                        }
                    },
                    quote! {
                        std::env::var_os(#id).is_none().then(|| credential::env_secret(#token).map(|secret| secret.map(Auth::Bearer))).flatten()
                    },
                ];
            }
            SecurityScheme::Bearer { .. } | SecurityScheme::ApiKey { .. } => {
                let var = &vars[0];
                let variant =
                    if matches!(scheme, SecurityScheme::Bearer { .. }) { quote!(Bearer) } else { quote!(ApiKey) };
                quote! { credential::env_secret(#var).map(|secret| secret.map(Auth::#variant)) }
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
        };
        vec![load]
    }).collect();
    let load_count = proc_macro2::Literal::usize_unsuffixed(loads.len());
    let scheme_arms = api.security.iter().map(|scheme| {
        let name = scheme.kind().variant();
        let pattern = match scheme {
            SecurityScheme::Basic { .. } => quote!(Auth::Basic { .. }),
            _ => quote!(Auth::#name(_)),
        };
        let oauth = matches!(scheme, SecurityScheme::Bearer { client_credentials: Some(_), .. })
            .then(|| quote!(Auth::OAuth2(_) => Scheme::Bearer,));
        quote!(#pattern => Scheme::#name, #oauth)
    });
    let all_vars: Vec<String> = api.environment.schemes.concat();
    let missing = if all_vars.is_empty() {
        "this API declares no authentication".to_string()
    } else {
        format!("no credentials in the environment: set {}", all_vars.join(", "))
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
    let oauth = client_credentials(api).map(oauth_items);
    let oauth_delegation = api.uses.oauth2.then(|| {
        quote! {
            fn prepare<'a>(
                &'a self,
                context: crate::credential::TokenContext<'a>,
            ) -> Option<crate::credential::BoxFuture<'a, Result<(), String>>> {
                match self {
                    Auth::OAuth2(oauth) => oauth.prepare(context),
                    _ => None,
                }
            }

            fn rejected(&self) -> bool {
                match self {
                    Auth::OAuth2(oauth) => oauth.rejected(),
                    _ => false,
                }
            }

            fn rejected_with(&self, context: crate::credential::TokenContext<'_>) -> bool {
                match self {
                    Auth::OAuth2(oauth) => oauth.rejected_with(context),
                    _ => false,
                }
            }
        }
    });
    // The credentials that read what an attempt is told: an OAuth2 token per scope set, an
    // EXO2 signature expiring on the client's clock.
    let exo2_with =
        api.uses.exo2.then(|| quote!(Auth::Exo2HmacSha256(credentials) => credentials.apply_with(request, context),));
    let oauth_with = api.uses.oauth2.then(|| quote!(Auth::OAuth2(oauth) => oauth.apply_with(request, context),));
    let apply_with = (exo2_with.is_some() || oauth_with.is_some()).then(|| {
        quote! {
            fn apply_with(
                &self,
                request: &mut reqwest::Request,
                context: crate::credential::TokenContext<'_>,
            ) -> Result<(), String> {
                match self {
                    #exo2_with
                    #oauth_with
                    _ => self.apply(request),
                }
            }
        }
    });
    let exo2_reexport = api.uses.exo2.then(|| quote! { pub use crate::exo2::Credentials; });
    // Without typed variants, a catch-all arm would be unreachable.
    let no_header = (!api.security.is_empty()).then(|| quote!(_ => None,));
    let exo2_vars = api
        .security
        .iter()
        .zip(&api.environment.schemes)
        .find_map(|(scheme, vars)| matches!(scheme, SecurityScheme::Exo2HmacSha256 { .. }).then_some(vars));
    let exo2_env = exo2_vars.map(|vars| {
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

        use crate::credential;
        use crate::error::ConfigError;
        pub use crate::credential::{Credential, Scheme, Secret};
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
        }

        impl Credential for Auth {
            fn scheme(&self) -> Scheme {
                match self {
                    #(#scheme_arms)*
                    Auth::Header { .. } => Scheme::Header,
                }
            }

            fn header_name(&self) -> Option<&reqwest::header::HeaderName> {
                match self {
                    Auth::Header { name, .. } => Some(name),
                    #no_header
                }
            }

            fn apply(&self, request: &mut reqwest::Request) -> Result<(), String> {
                match self {
                    #(#apply)*
                    Auth::Header { name, value } => credential::set_header(request, name.clone(), value.expose()),
                }
            }

            #apply_with
            #oauth_delegation
        }

        /// Each scheme's credential from the environment, where its variables are set.
        fn env_credentials() -> Vec<Result<Auth, ConfigError>> {
            let loads: [Option<Result<Auth, ConfigError>>; #load_count] = [#(#loads),*];
            loads.into_iter().flatten().collect()
        }

        #(#conversions)*
        #exo2_env
        #oauth
    }
}

/// `Auth::client_credentials`, for the document's flow, and the conversion from any
/// `OAuth2` credential.
fn oauth_items(flow: &ClientCredentialsFlow) -> TokenStream {
    let ClientCredentialsFlow { scheme, token_url } = flow;
    let docs = super::docs::doc(&format!(
        "OAuth2 client credentials (the scheme `{scheme}`): the client gets its tokens from `{token_url}` (relative to the server URL), a token for each set of scopes the operations require (none: the server's default), and renews them as they expire. For scopes of your own, the same for every operation: `Auth::OAuth2(OAuth2::client_credentials(token_url, id, secret, scopes))`; for any other flow, `Auth::OAuth2(OAuth2::new(your_token_source))`."
    ));
    quote! {
        impl Auth {
            #docs
            pub fn client_credentials(client_id: impl Into<String>, client_secret: Secret) -> Self {
                Auth::OAuth2(crate::oauth::OAuth2::client_credentials(#token_url, client_id, client_secret, [] as [&str; 0]))
            }
        }

        impl From<crate::oauth::OAuth2> for Auth {
            fn from(oauth: crate::oauth::OAuth2) -> Self {
                Auth::OAuth2(oauth)
            }
        }
    }
}
