//! Cargo features per group of operations, so that users of a huge API compile only what they
//! use. A group is an operation's first tag or, without tags, the first segment of its path
//! after the prefix every path shares (`/v1`). A type is compiled when any feature whose
//! operations use it is on; a type every feature uses is always compiled, and one no operation
//! uses comes with `full`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToKebabCase;

use super::TYPES_PER_FILE;
use crate::model::{Api, Feature, Gate, Ident, Operation, TypeDef, TypeFile, TypeIndex};
use crate::names;

/// Operations above which a crate is split into features unless told otherwise.
pub const AUTO_THRESHOLD: usize = 100;

/// The feature of every group, which the default feature turns on.
pub const FULL: &str = "full";

/// Features the manifest defines besides the groups', and names a group's module cannot have:
/// a group takes `tag-` before its name rather than one of these (compared with `-` as `_`).
/// Cargo refuses a feature named as a dependency ([`names::CRATES_IN_USE`] holds them all, and
/// the crates the code names by path, which a module of that name would make ambiguous). The
/// command-line client declares each group's module beside its imports of the library's
/// `types` and `cli_support`; a group `mod` would be the file `operations/mod.rs`, and a group
/// `operations` the module `operations::operations` (clippy's `module_inception`). The other
/// modules of the crate live at its root, apart from the groups' (`operations::servers` is not
/// `crate::servers`), so tags such as `servers` or `security` keep their names.
const RESERVED: &[&str] =
    &["cli", "default", FULL, "mod", "types", "cli_support", "cli_events", "blocking", "operations"];

/// Whether a group's feature (and module) cannot be called `name`.
fn reserved(name: &str) -> bool {
    let snake = name.replace('-', "_");
    RESERVED.contains(&snake.as_str()) || names::CRATES_IN_USE.contains(&snake.as_str())
}

/// Whether to split the crate into features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// When it has more than [`AUTO_THRESHOLD`] operations.
    #[default]
    Auto,
    Always,
    Never,
}

/// `api` with its operations and types gated by features, when `split` says so. `crate_name`
/// is the package's: the command-line client names the library by it, so no group's module
/// can.
pub fn split(mut api: Api, split: Split, crate_name: &str) -> Api {
    let on = match split {
        Split::Auto => api.operations.len() > AUTO_THRESHOLD,
        Split::Always => !api.operations.is_empty(),
        Split::Never => false,
    };
    if !on {
        return api;
    }
    let prefix = common_prefix(&api.operations);
    // By name: the module, the group and the number of operations.
    let mut groups: BTreeMap<String, (Ident, String, usize)> = BTreeMap::new();
    let mut modules = names::Scope::default();
    for op in &mut api.operations {
        let group = group(op, prefix);
        let mut name = feature_name(&group);
        if name.replace('-', "_") == crate_name.replace('-', "_") {
            name = format!("tag-{name}");
        }
        let entry = groups.entry(name.clone()).or_insert_with(|| (modules.claim(names::field(&name)), group, 0));
        entry.2 += 1;
        op.feature = Some(name);
    }
    // The command-line client's variants, claimed in the features' order (by name).
    let mut variants = names::Scope::default();
    api.features = groups
        .into_iter()
        .map(|(name, (module, group, operations))| Feature {
            cli_variant: variants.claim(names::type_name(&name)),
            module,
            name,
            group,
            operations,
        })
        .collect();

    let index = TypeIndex::new(&api.types);
    // By type, the features (their places in `api.features`, which is sorted by name) whose
    // operations reach it.
    let position: HashMap<&str, usize> = api.features.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).collect();
    let mut gates: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for op in &api.operations {
        let Some(&feature) = op.feature.as_deref().and_then(|f| position.get(f)) else { continue };
        for name in index.reach(op.named_types()) {
            gates.entry(name).or_default().insert(feature);
        }
    }
    let all = api.features.len();
    // A type every feature uses is as good as ungated, and cheaper to say. What such a type
    // refers to, every feature reaches too.
    let always = index.reach(
        api.types
            .iter()
            .filter(|def| gates.get(def.name.as_str()).is_some_and(|g| g.len() == all))
            .map(|def| &def.name),
    );
    // A type no operation uses (a webhook's payload, a schema kept for reference) comes with
    // `full`, the whole API: a huge API has thousands, which one feature alone does not need.
    // Nothing an operation reaches names one.
    let unused: Gate = vec![FULL.to_string()];
    let gate_of = |def: &TypeDef| -> Gate {
        if always.contains(def.name.as_str()) {
            return Gate::new();
        }
        match gates.get(def.name.as_str()) {
            Some(features) => features.iter().map(|&i| api.features[i].name.clone()).collect(),
            None => unused.clone(),
        }
    };
    api.type_files = files(&api.types, &gate_of);
    for example in &mut api.examples {
        let mut named = Vec::new();
        example.ty.names(&mut named);
        let mut example_gates: Vec<Gate> = named
            .into_iter()
            .filter_map(|name| index.get(name.as_str()))
            .map(&gate_of)
            .filter(|gate| !gate.is_empty())
            .collect();
        example_gates.sort();
        example_gates.dedup();
        example.gates = example_gates;
    }
    // The operation shown keeps its feature.
    api.front_page = super::front_page::choose(&api.operations, &api.types);
    api
}

/// The files of the `types` module: the types of one gate, in files of at most
/// [`TYPES_PER_FILE`], ungated ones first. `types` stays sorted by name; a file lists its own.
fn files(types: &[TypeDef], gate_of: &impl Fn(&TypeDef) -> Gate) -> Vec<TypeFile> {
    let mut by_gate: BTreeMap<Gate, Vec<usize>> = BTreeMap::new();
    for (i, def) in types.iter().enumerate() {
        by_gate.entry(gate_of(def)).or_default().push(i);
    }
    let mut files = Vec::new();
    for (gate, members) in by_gate {
        for chunk in members.chunks(TYPES_PER_FILE) {
            files.push(TypeFile { module: names::type_file(files.len()), members: chunk.to_vec(), gate: gate.clone() });
        }
    }
    files
}

/// The path segments every operation's path starts with (`["v1"]`), so that they do not make
/// one group of everything.
fn common_prefix(operations: &[Operation]) -> usize {
    let paths: Vec<Vec<&str>> = operations.iter().map(|op| segments(&op.path.text)).collect();
    let Some(first) = paths.first() else { return 0 };
    let mut shared = 0;
    // A segment is shared only if some path goes on after it: `/v1` alone groups as `v1`.
    while shared < first.len()
        && paths.iter().all(|p| p.get(shared) == first.get(shared) && p.len() > shared + 1)
        && !first[shared].starts_with('{')
    {
        shared += 1;
    }
    shared
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The operation's group: its first tag, else its first path segment after the shared prefix.
fn group(op: &Operation, prefix: usize) -> String {
    if let Some(tag) = op.tags.iter().find(|t| !t.trim().is_empty()) {
        return tag.clone();
    }
    segments(&op.path.text)
        .get(prefix)
        .filter(|s| !s.starts_with('{'))
        .map(|s| s.to_string())
        .unwrap_or_else(|| "root".to_string())
}

/// A cargo feature name for a group: kebab-case ASCII, `tag-` before one the manifest uses.
fn feature_name(group: &str) -> String {
    let ascii: String = group.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let kebab = ascii.to_kebab_case();
    let name = if kebab.is_empty() { "other".to_string() } else { kebab };
    // Cargo wants a feature to start with a letter, a digit or `_`; kebab-case gives that.
    if reserved(&name) {
        format!("tag-{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn feature_names_are_kebab_case_apart_from_the_manifests_own() {
        assert_eq!(feature_name("Load Balancers"), "load-balancers");
        assert_eq!(feature_name("floating_ips"), "floating-ips");
        assert_eq!(feature_name("Default"), "tag-default");
        assert_eq!(feature_name("cli"), "tag-cli");
        assert_eq!(feature_name("Über/ß"), "ber");
        assert_eq!(feature_name("!!"), "other");
    }

    /// A feature named as a dependency is refused by cargo; a module named as a crate, or as
    /// a module the crate's own code names, would make paths ambiguous or clash.
    #[test]
    fn names_the_crate_uses_are_not_taken() {
        for (tag, want) in [
            ("tokio", "tag-tokio"),
            ("serde_json", "tag-serde-json"),
            ("Serde JSON", "tag-serde-json"),
            ("reqwest", "tag-reqwest"),
            ("std", "tag-std"),
            ("clap", "tag-clap"),
            ("types", "tag-types"),
            ("cli_support", "tag-cli-support"),
            ("client", "client"),
            ("security", "security"),
            ("operations", "tag-operations"),
            ("mod", "tag-mod"),
            ("full", "tag-full"),
            ("blocking", "tag-blocking"),
            ("cli_events", "tag-cli-events"),
            ("servers and zones", "servers-and-zones"),
        ] {
            assert_eq!(feature_name(tag), want, "{tag}");
        }
    }
}
