//! The base URL and its variables, from the first server of the document.

use super::Lowerer;
use crate::model::{Server, ServerVariable};
use crate::names::{self, Scope};

/// Names the crate root defines; a server variable's enum must not take them.
pub const ROOT_NAMES: &[&str] = &["Client", "ClientBuilder", "Error", "Credentials", "Auth", "Server"];

impl<'a> Lowerer<'a> {
    pub(super) fn server(&mut self) -> Option<Server> {
        let server = self.doc.servers.first()?;
        let mut scope = Scope::for_types();
        for name in ROOT_NAMES {
            scope.reserve(name);
        }
        let variables = server
            .variables
            .iter()
            .flat_map(|vars| vars.iter())
            .map(|(name, var)| {
                let mut variants = Scope::default();
                variants.reserve("Other");
                ServerVariable {
                    name: name.clone(),
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
