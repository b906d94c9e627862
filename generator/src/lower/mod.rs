//! Lowering: the only stage that reads the OpenAPI document. It resolves references, makes
//! every naming decision, reports problems with their JSON pointers, and returns a sorted,
//! self-contained `model::Api`.

mod cli;
pub mod custom;
pub mod environment;
mod examples;
pub mod features;
mod front_page;
mod null_fields;
mod operation;
mod pagination;
mod recursion;
pub(crate) mod schema;
mod security;
pub mod select;
mod server;
pub mod uses;

pub use cli::GLOBAL_FLAGS;
pub(crate) mod template;
mod traits;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostic::{escape, Diagnostic, Diagnostics};
use crate::model::{Api, GlobalFlag, TypeDef, TypeFile, TypeRef};
use crate::names::{self, Ident, Scope};
use crate::read::source::Document;

/// Types per file when the `types` module is split: big APIs have thousands, and files
/// of this size format in parallel while staying readable. A constant, so the split (and
/// the output) does not depend on the machine.
pub const TYPES_PER_FILE: usize = 300;

pub struct Lowerer<'a> {
    doc: &'a OpenAPI,
    /// Where the document's places were written, for messages.
    document: &'a Document,
    /// The places of the document the typed model has no path to, as JSON.
    fragments: &'a crate::read::fragments::Fragments,
    /// Types of schemas already lowered, by JSON pointer.
    by_pointer: HashMap<String, TypeRef>,
    /// References being lowered, to stop a reference that leads back to itself.
    in_progress: HashSet<String>,
    /// How many inline schemas are being lowered inside each other.
    depth: usize,
    file: &'a str,
    /// Names of every type in the `types` module.
    types: Scope,
    /// Component schema key → type name.
    components: BTreeMap<String, Ident>,
    defs: Vec<TypeDef>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    examples: Vec<examples::Candidate>,
    example_names: Scope,
    /// Pointers of the examples already taken: a shared component is reached once per user.
    example_pointers: HashSet<String>,
    /// The security schemes the client applies, one per kind.
    schemes: Vec<crate::model::SecurityScheme>,
    /// The kind of credential each defined security scheme's key stands for.
    scheme_kinds: BTreeMap<String, crate::model::SchemeKind>,
    /// `defs` by name, kept up with it by [`Lowerer::index_defs`].
    def_index: HashMap<String, usize>,
    /// Pointers of the query parameters whose schema starts at 0 (its minimum or default), for
    /// a page number's first page.
    zero_pages: HashSet<String>,
    /// The command-line client's flag for the server's variable, which operations' flags and
    /// fields must leave free.
    global_flag: Option<GlobalFlag>,
    /// What the run's configuration asks beyond the document.
    custom: &'a custom::Customization,
    /// The crates of the external types used so far.
    dependencies: BTreeSet<crate::model::Dependency>,
}

/// Builds the model of `document`, or every problem that prevents it.
pub fn lower(document: &Document) -> Result<Api, Diagnostics> {
    lower_with(document, &custom::Customization::default())
}

/// [`lower`], with what the configuration asks beyond the document: replaced types, added
/// derives, renamed operations and types.
pub fn lower_with(document: &Document, custom: &custom::Customization) -> Result<Api, Diagnostics> {
    let doc = &document.openapi;
    let mut lowerer = Lowerer {
        doc,
        document,
        fragments: &document.fragments,
        by_pointer: HashMap::new(),
        in_progress: HashSet::new(),
        depth: 0,
        file: &document.file,
        types: Scope::for_types(),
        components: BTreeMap::new(),
        defs: Vec::new(),
        errors: document.problems.clone(),
        warnings: Vec::new(),
        examples: Vec::new(),
        example_names: Scope::default(),
        example_pointers: HashSet::new(),
        schemes: Vec::new(),
        scheme_kinds: BTreeMap::new(),
        def_index: HashMap::new(),
        zero_pages: HashSet::new(),
        global_flag: None,
        custom,
        dependencies: BTreeSet::new(),
    };
    lowerer
        .check_customization(&doc.components.as_ref().map(|c| c.schemas.keys().cloned().collect()).unwrap_or_default());
    let schemas: Vec<(&String, &ReferenceOr<openapiv3::Schema>)> =
        doc.components.iter().flat_map(|c| c.schemas.iter()).collect();
    // Components claim their names first, so inline types never take a component's name.
    let mut keys: Vec<&String> = schemas.iter().map(|(k, _)| *k).collect();
    keys.sort();
    for key in keys {
        let wanted = custom.type_names.get(key).map_or(key.as_str(), String::as_str);
        let name = lowerer.types.claim(names::type_name(wanted));
        lowerer.components.insert(key.clone(), name);
    }
    for (key, schema) in &schemas {
        let name = lowerer.components[*key].clone();
        let pointer = format!("#/components/schemas/{}", escape(key));
        if let Some(external) = lowerer.replacement(key, schema, &pointer) {
            let doc = match schema {
                ReferenceOr::Item(schema) => schema::doc_of(schema),
                ReferenceOr::Reference { .. } => None,
            };
            let kind = crate::model::TypeKind::Alias(TypeRef::External(external));
            lowerer.defs.push(TypeDef {
                name,
                doc,
                kind,
                pointer,
                side: crate::model::Side::Neither,
                traits: Default::default(),
            });
            continue;
        }
        match schema {
            ReferenceOr::Item(schema) => {
                let doc = schema::doc_of(schema);
                lowerer.define(name, doc, schema, &pointer);
            }
            ReferenceOr::Reference { .. } => {
                let ty = lowerer.type_of(schema, schema::At { hint: name.to_string(), pointer: &pointer });
                lowerer.defs.push(TypeDef {
                    name,
                    doc: None,
                    kind: crate::model::TypeKind::Alias(ty),
                    pointer,
                    side: crate::model::Side::Neither,
                    traits: Default::default(),
                });
            }
        }
    }
    // Before the operations, whose requirements name these schemes.
    let (security, scheme_kinds) = lowerer.security();
    lowerer.schemes = security.clone();
    lowerer.scheme_kinds = scheme_kinds;
    lowerer.global_flag = lowerer.global_flag();
    let mut operations = lowerer.operations();
    let server = lowerer.server();
    let mut defs = std::mem::take(&mut lowerer.defs);
    // Names are unique, so an unstable sort gives the one order.
    defs.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    cli::name_body_flags(&mut operations, &defs, lowerer.global_flag.as_ref());
    let type_files = type_files(defs.len());
    if let Err(cycles) = recursion::box_cycles(&mut defs) {
        for cycle in cycles {
            let message = match cycle.as_slice() {
                [one] => format!("type {one} is defined as itself"),
                many => format!("types {} refer to each other with nothing to break the cycle", many.join(", ")),
            };
            lowerer.error("#/components/schemas", message);
        }
    }
    null_fields::mark(&mut defs);
    traits::decide(&mut defs, &custom.derives);
    if !lowerer.errors.is_empty() {
        // A reference that reading found broken also leads lowering nowhere: said once.
        // (Reading reports at the `$ref`, lowering at it or at the object holding it.)
        let read: HashSet<String> = document.problems.iter().map(|p| p.location_text()).collect();
        let reading = document.problems.len();
        let mut at = 0;
        lowerer.errors.retain(|e| {
            at += 1;
            let place = e.location_text();
            at <= reading || !(read.contains(&place) || read.contains(&format!("{place}/$ref")))
        });
        lowerer.errors.sort();
        lowerer.errors.dedup();
        return Err(Diagnostics(lowerer.errors));
    }
    let mut examples = lowerer.checked_examples();
    examples.sort_by(|a, b| a.name.cmp(&b.name));
    if crate::names::crate_version(&doc.info.version).is_none() {
        // Real documents say `latest` or a date; that is no reason to refuse them.
        let shown: String = doc.info.version.chars().take(40).collect();
        let more = if shown.len() < doc.info.version.len() { "…" } else { "" };
        lowerer.warn(
            "/info/version",
            format!(
                "{shown:?}{more} is not a version cargo accepts (MAJOR.MINOR.PATCH, optionally after `v`); the crate \
                 starts at {}",
                crate::emit::FALLBACK_VERSION
            ),
        );
    }
    // A shared component warns once, however many operations use it.
    lowerer.warnings.sort();
    lowerer.warnings.dedup();
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        server,
        types: defs,
        type_files,
        operations,
        security,
        examples,
        warnings: lowerer.warnings,
        features: Vec::new(),
        front_page: None,
        dependencies: std::mem::take(&mut lowerer.dependencies).into_iter().collect(),
        environment: Default::default(),
        uses: Default::default(),
    };
    api.uses = uses::of(&api);
    crate::model::assign_sides(&mut api);
    api.front_page = front_page::choose(&api.operations, &api.types);
    Ok(api)
}

impl<'a> Lowerer<'a> {
    /// Adds the types lowered since the last call to `def_index` (`defs` only grows while
    /// lowering, and each name is claimed once).
    fn index_defs(&mut self) {
        for (i, def) in self.defs.iter().enumerate().skip(self.def_index.len()) {
            self.def_index.insert(def.name.to_string(), i);
        }
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        let pointer = self.document.written_at(&pointer.into());
        self.errors.push(Diagnostic::at(self.file, pointer, message));
    }

    fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        let pointer = self.document.written_at(&pointer.into());
        self.warnings.push(Diagnostic::at(self.file, pointer, message));
    }

    /// The type name of the component schema `reference` points to.
    fn component_type(&self, reference: &str) -> Option<Ident> {
        let key = reference.strip_prefix("#/components/schemas/")?;
        self.components.get(&schema::unescape(key)).cloned()
    }
}

/// The files of the `types` module, when it needs more than one.
fn type_files(count: usize) -> Vec<TypeFile> {
    if count <= TYPES_PER_FILE {
        return Vec::new();
    }
    (0..count)
        .step_by(TYPES_PER_FILE)
        .enumerate()
        .map(|(index, start)| TypeFile {
            module: names::type_file(index),
            members: (start..(start + TYPES_PER_FILE).min(count)).collect(),
            gate: Vec::new(),
        })
        .collect()
}
