//! Part of an API: the operations a selection names, and exactly the types they reach.
//! Names are decided before selecting, so a method or type is called the same whatever else
//! is generated with it.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::model::{Api, Ident, Operation, TypeDef, TypeIndex};

/// Which operations to generate: those with any of `tags`, any of the `operations` (by
/// operationId, or by method name), or a path under any of `path_prefixes`. Empty: all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub tags: Vec<String>,
    pub operations: Vec<String>,
    pub path_prefixes: Vec<String>,
}

impl Selection {
    /// Whether this selects everything.
    pub fn is_all(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty() && self.path_prefixes.is_empty()
    }

    fn selects(&self, op: &Operation) -> bool {
        op.tags.iter().any(|t| self.tags.contains(t))
            || self.operations.iter().any(|id| *id == op.id || op.method_name == id.as_str())
            || self.path_prefixes.iter().any(|prefix| op.path.text.starts_with(prefix.as_str()))
    }
}

/// `api` cut down to what `selection` names. A tag, operation or prefix that names nothing is
/// an error listing those that exist.
pub fn select(mut api: Api, selection: &Selection, file: &str) -> Result<Api, Diagnostics> {
    if selection.is_all() {
        return Ok(api);
    }
    let problems = unknown(&api, selection, file);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    api.operations.retain(|op| selection.selects(op));
    let kept = reachable(&api.types, api.operations.iter().flat_map(Operation::named_types));
    api.types.retain(|def| kept.contains(def.name.as_str()));
    api.examples.retain(|example| {
        let mut names = Vec::new();
        example.ty.names(&mut names);
        names.iter().all(|name| kept.contains(name.as_str()))
    });
    api.type_files = super::type_files(api.types.len());
    crate::model::assign_sides(&mut api);
    api.front_page = super::front_page::choose(&api.operations, &api.types);
    api.uses = super::uses::of(&api);
    Ok(api)
}

/// Every type `roots` reach, by name.
pub fn reachable<'a>(types: &[TypeDef], roots: impl IntoIterator<Item = &'a Ident>) -> BTreeSet<String> {
    TypeIndex::new(types).reachable(roots)
}

fn unknown(api: &Api, selection: &Selection, file: &str) -> Vec<Diagnostic> {
    let problem = |message: String| Diagnostic { file: file.to_string(), location: Location::File, message };
    let mut problems = Vec::new();
    let tags: BTreeSet<&str> = api.operations.iter().flat_map(|op| op.tags.iter().map(String::as_str)).collect();
    for tag in selection.tags.iter().filter(|t| !tags.contains(t.as_str())) {
        problems.push(problem(format!("--tag {tag:?} is no operation's tag; the tags are: {}", list(tags.iter()))));
    }
    let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    for id in &selection.operations {
        if !api.operations.iter().any(|op| op.id == *id || op.method_name == id.as_str()) {
            problems.push(problem(format!(
                "--operation {id:?} is no operationId; the operations are: {}",
                list(ids.iter())
            )));
        }
    }
    for prefix in &selection.path_prefixes {
        if !api.operations.iter().any(|op| op.path.text.starts_with(prefix.as_str())) {
            problems.push(problem(format!("--path-prefix {prefix:?} starts no operation's path")));
        }
    }
    problems
}

fn list<'a>(items: impl Iterator<Item = &'a &'a str>) -> String {
    let items: Vec<&str> = items.copied().collect();
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(", ")
    }
}
