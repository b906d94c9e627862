//! The `servers` module: the default base URL and, for the server's variables, enums with
//! their documented values.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, doc_or};
use crate::model::{Api, ServerVariable};

pub fn servers(api: &Api) -> TokenStream {
    let Some(server) = &api.server else {
        return quote! {
            #![cfg_attr(rustfmt, rustfmt::skip)]
            //! The document names no server: set one with `ClientBuilder::base_url`.

            /// Empty: the document names no server.
            pub const DEFAULT_BASE_URL: &str = "";
        };
    };
    let default_url = fill(&server.url, |v| v.default.clone(), &server.variables);
    let enums = server.variables.iter().filter(|v| !v.values.is_empty()).map(variable_enum);
    let args = server.variables.iter().map(|v| {
        let name = &v.ident;
        let ty = variable_type(v);
        quote!(#name: #ty)
    });
    let (format, format_args) = format_string(&server.url, &server.variables);
    // Without placeholders `format!` would only copy the text (clippy's `useless_format`).
    let url = if format_args.is_empty() {
        quote!(DEFAULT_BASE_URL.to_string())
    } else {
        quote!(format!(#format, #(#format_args),*))
    };
    let url_doc = if server.variables.is_empty() {
        doc(&format!("The base URL, `{}`.", server.url))
    } else {
        doc(&format!("The base URL `{}` with its variables filled in.", server.url))
    };
    let server_doc = doc_or(server.description.as_deref(), "The API's server.");
    let builder_method =
        server.variables.iter().find_map(|v| Some((v, v.builder_method.as_ref()?))).map(|(v, method)| {
            let ty = variable_type(v);
            let docs = doc(&format!("Sends requests to the server for this `{}`.", v.name));
            quote! {
                impl crate::ClientBuilder {
                    #docs
                    pub fn #method(self, #method: #ty) -> Self {
                        self.base_url(crate::servers::base_url(#method))
                    }
                }
            }
        });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! The API's server and its variables.

        #server_doc
        ///
        /// The base URL with the variables' default values.
        pub const DEFAULT_BASE_URL: &str = #default_url;

        #url_doc
        pub fn base_url(#(#args),*) -> String {
            #url
        }

        #builder_method

        #(#enums)*
    }
}

fn variable_type(v: &ServerVariable) -> TokenStream {
    if v.values.is_empty() {
        quote!(&str)
    } else {
        let ty = &v.type_name;
        quote!(&#ty)
    }
}

fn fill(url: &str, value: impl Fn(&ServerVariable) -> String, variables: &[ServerVariable]) -> String {
    let mut out = url.to_string();
    for v in variables {
        out = out.replace(&format!("{{{}}}", v.name), &value(v));
    }
    out
}

fn format_string(url: &str, variables: &[ServerVariable]) -> (String, Vec<TokenStream>) {
    let mut format = url.replace('{', "{{").replace('}', "}}");
    let mut args = Vec::new();
    // Replace in order of appearance so the arguments line up with the placeholders.
    let mut positions: Vec<(usize, &ServerVariable)> =
        variables.iter().filter_map(|v| url.find(&format!("{{{}}}", v.name)).map(|i| (i, v))).collect();
    positions.sort_by_key(|(i, _)| *i);
    for (_, v) in positions {
        format = format.replacen(&format!("{{{{{}}}}}", v.name), "{}", 1);
        let arg = &v.ident;
        args.push(quote!(#arg));
    }
    (format, args)
}

fn variable_enum(v: &ServerVariable) -> TokenStream {
    let name = &v.type_name;
    let env = &v.env_var;
    let docs = doc_or(v.description.as_deref(), &format!("Values of the server variable `{}`.", v.name));
    let variants = v.values.iter().map(|value| {
        let variant = &value.name;
        let text = doc(&format!("`{}`", value.value));
        quote! { #text #variant, }
    });
    let as_str = v.values.iter().map(|value| {
        let variant = &value.name;
        let text = &value.value;
        quote! { Self::#variant => #text, }
    });
    let parse = v.values.iter().map(|value| {
        let variant = &value.name;
        let text = &value.value;
        quote! { #text => Self::#variant, }
    });
    let all = v.values.iter().map(|value| {
        let variant = &value.name;
        quote! { Self::#variant }
    });
    let count = proc_macro2::Literal::usize_unsuffixed(v.values.len());
    let default = &v.default;
    let env_doc = doc(&format!("The value of the environment variable `{env}`, if it is set."));
    quote! {
        #docs
        ///
        /// A value the document does not list is still accepted, as `Other`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value the document does not list.
            Other(String),
        }

        impl #name {
            /// The values the document lists.
            pub const ALL: [Self; #count] = [#(#all),*];

            /// The value as it goes in the URL.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Other(value) => value,
                }
            }

            #env_doc
            pub fn from_env() -> Option<Self> {
                std::env::var(#env).ok().filter(|v| !v.is_empty()).map(|v| Self::from(v.as_str()))
            }
        }

        impl Default for #name {
            fn default() -> Self {
                Self::from(#default)
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#parse)*
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_without_variables_is_not_formatted() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.example.com/v1'}]\npaths: {}\n";
        let document = crate::read::source::parse(text.as_bytes(), "t.yaml").unwrap();
        let api = crate::lower::lower(&document).unwrap();
        let code = servers(&api).to_string();
        // `format!` with nothing to fill in is clippy's `useless_format` in the generated crate.
        assert!(!code.contains("format !"), "{code}");
        assert!(code.contains("DEFAULT_BASE_URL . to_string ()"), "{code}");
    }
}
