//! The base URL and its variables, from the first server of the document.

use super::Lowerer;
use crate::model::{Server, ServerVariable};
use crate::names::{self, Scope};

/// Names the crate root defines; a server variable's enum must not take them.
pub const ROOT_NAMES: &[&str] = &["Client", "ClientBuilder", "Error", "Credentials", "Auth", "Server"];

/// Methods `ClientBuilder` has; a server variable's method must not take them.
const BUILDER_METHODS: &[&str] =
    &["base_url", "auth", "http_client", "timeout", "user_agent", "max_body_size", "default_header", "build"];

impl<'a> Lowerer<'a> {
    pub(super) fn server(&mut self) -> Option<Server> {
        let server = self.doc.servers.first()?;
        let mut scope = Scope::for_types();
        for name in ROOT_NAMES {
            scope.reserve(name);
        }
        let mut idents = Scope::default();
        let count = server.variables.as_ref().map_or(0, |v| v.len());
        let variables = server
            .variables
            .iter()
            .flat_map(|vars| vars.iter())
            .map(|(name, var)| {
                let mut variants = Scope::default();
                variants.reserve("Other");
                let ident = idents.claim(names::field(name));
                // With a single variable, the builder gets a method named after it
                // (`.zone(Zone::DeFra1)`).
                let builder_method = (count == 1 && !BUILDER_METHODS.contains(&ident.as_str())).then(|| ident.clone());
                ServerVariable {
                    name: name.clone(),
                    ident,
                    builder_method,
                    env: names::shouty(name),
                    cli: self.global_flag.clone(),
                    type_name: scope.claim(names::type_name(name)),
                    description: var.description.clone(),
                    default: var.default.clone(),
                    values: var
                        .enumeration
                        .iter()
                        .map(|v| crate::model::EnumVariant {
                            name: variants.claim(names::variant(v)),
                            value: v.clone(),
                            doc: None,
                        })
                        .collect(),
                }
            })
            .collect();
        Some(Server { url: server.url.clone(), description: server.description.clone(), variables })
    }
}
