//! The base URL and its variables, from the first server of the document.

use super::Lowerer;
use crate::model::{Server, ServerVariable};
use crate::names::{self, Scope};

/// The command-line client's own flags, which operation parameters must not take.
pub const GLOBAL_FLAGS: &[&str] = &["endpoint", "help", "version", "body"];

impl<'a> Lowerer<'a> {
    pub(super) fn server(&mut self) -> Option<Server> {
        let server = self.doc.servers.first()?;
        let mut scope = Scope::for_types();
        // The crate root's types: a server variable's enum must not take them.
        for name in client_runtime::reserved::ROOT_TYPES {
            scope.reserve(name);
        }
        let count = server.variables.as_ref().map_or(0, |v| v.len());
        let variables = server
            .variables
            .iter()
            .flat_map(|vars| vars.iter())
            .map(|(name, var)| {
                let mut variants = Scope::default();
                variants.reserve("Other");
                ServerVariable {
                    name: name.clone(),
                    // One variable gets a global flag (`--zone`); several would need a
                    // combined syntax the CLI does not offer.
                    flag: (count == 1).then(|| names::flag(name)),
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

    /// The flags every subcommand of the command-line client already has.
    pub(super) fn global_flags(&self) -> Vec<String> {
        let variable = self.doc.servers.first().and_then(|s| s.variables.as_ref()).filter(|v| v.len() == 1);
        let variable = variable.and_then(|v| v.keys().next()).map(|name| names::flag(name));
        GLOBAL_FLAGS.iter().map(|f| f.to_string()).chain(variable).collect()
    }
}
