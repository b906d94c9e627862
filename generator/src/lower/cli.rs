//! The command-line client's names: the global flag of the server's variable, and for each
//! operation its subcommand, flags, the fields that hold them and the locals they are bound
//! to. clap tells arguments apart by field name and adds the global ones to every
//! subcommand, so a subcommand's field must not have a global argument's name even when the
//! flags differ: clap would skip the global flag there and copy the other's value into it.

use super::Lowerer;
use crate::model::{body_fields, BodyFlag, GlobalFlag, Operation, TypeDef};
use crate::names::{self, Ident, Scope};

/// The command-line client's own flags, which no other flag may take: `--endpoint`, clap's,
/// `--body`, `--all-pages` (on paginated operations; kept free on all, so that a flag's name
/// does not depend on whether pagination was found), and those of the runtime's
/// `cli_support::GlobalOptions`.
pub const GLOBAL_FLAGS: &[&str] = &[
    "endpoint",
    "help",
    "version",
    "body",
    "all-pages",
    "max-retries",
    "verbose",
    "include",
    "output",
    "body-file",
    "record",
];

/// Fields every subcommand has or sees: the global `endpoint` and `GlobalOptions`' fields,
/// clap's own `help`, and `body` for `--body`. (`version` is the root command's alone: clap
/// does not propagate it.)
const COMMAND_FIELDS: &[&str] =
    &["endpoint", "help", "body", "all_pages", "max_retries", "verbose", "include", "output", "body_file", "record"];

fn reserved(names: &[&str]) -> Scope {
    let mut scope = Scope::default();
    for name in names {
        scope.reserve(name);
    }
    scope
}

impl Lowerer<'_> {
    /// The global flag of the server's variable, when it has exactly one: several would need
    /// a combined syntax the client does not offer.
    pub(super) fn global_flag(&self) -> Option<GlobalFlag> {
        let variables = self.doc.servers.first()?.variables.as_ref().filter(|v| v.len() == 1)?;
        let name = variables.keys().next()?;
        // Beside those, the root command has the subcommand's field, the flattened
        // `GlobalOptions` and clap's `version`.
        let mut fields = reserved(COMMAND_FIELDS);
        fields.reserve("command");
        fields.reserve("options");
        fields.reserve("version");
        Some(GlobalFlag {
            flag: reserved(GLOBAL_FLAGS).claim_text(names::flag(name)),
            field: fields.claim(names::field(name)),
        })
    }
}

/// Hands out one subcommand's flags, fields and locals, apart from the global ones and from
/// each other.
pub(super) struct CommandScope {
    flags: Scope,
    fields: Scope,
    locals: Scope,
}

impl CommandScope {
    pub fn new(global: Option<&GlobalFlag>) -> Self {
        let mut flags = reserved(GLOBAL_FLAGS);
        let mut fields = reserved(COMMAND_FIELDS);
        if let Some(global) = global {
            flags.reserve(&global.flag);
            fields.reserve(global.field.as_str());
        }
        Self { flags, fields, locals: Scope::default() }
    }

    /// A parameter's flag, the field that holds it and the local it is bound to (`arg_id`).
    pub fn param(&mut self, name: &Ident, wire_name: &str) -> (String, Ident, Ident) {
        let flag = self.flags.claim_text(names::flag(wire_name));
        let field = self.fields.claim(name.as_str());
        let local = self.locals.claim(format!("arg_{}", name.unraw()));
        (flag, field, local)
    }

    /// The flags of the body's properties, after the parameters have theirs.
    fn body_flags(mut self, op: &Operation, types: &[TypeDef]) -> Vec<BodyFlag> {
        body_fields(op, types)
            .iter()
            .map(|f| {
                let flag = self.flags.claim_text(names::flag(f.wire_name()));
                let value_name = names::shouty(&flag);
                let field = self.fields.claim(format!("body_{}", f.name.unraw()));
                BodyFlag { flag, value_name, field }
            })
            .collect()
    }
}

/// Gives each operation's body its flags, once the types they come from are final and sorted.
pub(super) fn name_body_flags(operations: &mut [Operation], types: &[TypeDef], global: Option<&GlobalFlag>) {
    for op in operations {
        let mut scope = CommandScope::new(global);
        for p in &op.params {
            scope.flags.reserve(&p.flag);
            scope.fields.reserve(p.cli_field.as_str());
        }
        op.command.body_flags = scope.body_flags(op, types);
    }
}
