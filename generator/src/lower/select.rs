//! Part of an API: the operations a selection names, and exactly the types they reach.
//! Names are decided before selecting, so a method or type is called the same whatever else
//! is generated with it.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::model::{Api, Ident, Operation, TypeDef};

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
    Ok(api)
}

/// Every type `roots` reach, by name.
pub fn reachable<'a>(types: &[TypeDef], roots: impl IntoIterator<Item = &'a Ident>) -> BTreeSet<String> {
    TypeIndex::new(types).reachable(roots)
}

/// The types by name. Built once and asked per operation: building it per question made
/// splitting a crate into features quadratic in its size.
pub struct TypeIndex<'a>(HashMap<&'a str, &'a TypeDef>);

impl<'a> TypeIndex<'a> {
    pub fn new(types: &'a [TypeDef]) -> Self {
        TypeIndex(types.iter().map(|def| (def.name.as_str(), def)).collect())
    }

    pub fn get(&self, name: &str) -> Option<&'a TypeDef> {
        self.0.get(name).copied()
    }

    /// Every type `roots` reach, by name.
    pub fn reachable<'r>(&self, roots: impl IntoIterator<Item = &'r Ident>) -> BTreeSet<String> {
        self.reach(roots).into_iter().map(str::to_owned).collect()
    }

    /// The names of the types `roots` reach (those that exist), as the index holds them: a
    /// huge API asks this once per operation, so nothing is copied.
    pub fn reach<'r>(&self, roots: impl IntoIterator<Item = &'r Ident>) -> HashSet<&'a str> {
        let mut seen: HashSet<&'a str> = HashSet::new();
        let mut stack: Vec<&'a TypeDef> = roots.into_iter().filter_map(|name| self.get(name.as_str())).collect();
        let mut names = Vec::new();
        while let Some(def) = stack.pop() {
            if !seen.insert(def.name.as_str()) {
                continue;
            }
            names.clear();
            for ty in def.kind.refs() {
                ty.names(&mut names);
            }
            stack.extend(
                names.iter().filter_map(|name| self.get(name.as_str())).filter(|d| !seen.contains(d.name.as_str())),
            );
        }
        seen
    }
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
