//! The base URL and its variables, from the first server of the document.

use super::Lowerer;
use crate::model::{Server, ServerVariable};
use crate::names::{self, Scope};

use client_runtime::reserved::{BUILDER_METHODS, ROOT_TYPES};

impl<'a> Lowerer<'a> {
    pub(super) fn server(&mut self) -> Option<Server> {
        let server = self.doc.servers.first()?;
        let mut scope = Scope::for_types();
        // The crate root's types: a server variable's enum must not take them.
        for name in ROOT_TYPES {
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
                    env_var: String::new(),
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
