//! Multi-file documents: every `$ref` to another file is brought into the root document, so
//! lowering only ever sees local references. Schemas become components (named after the
//! component that already points at them, or after their file), so a schema shared by many
//! files is one type; anything else (path items, parameters, …) is inlined where it is used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostic::{escape, Diagnostic};

/// Reads one file of the document as JSON (YAML or JSON, already normalised).
pub type Reader<'r> = dyn FnMut(&Path) -> Result<Value, Diagnostic> + 'r;

struct Bundler<'a, 'r> {
    root_file: String,
    /// The root document's folder: files are named relative to it in messages.
    base: PathBuf,
    read: &'a mut Reader<'r>,
    files: HashMap<PathBuf, Value>,
    /// `file#fragment` → local pointer, for targets already brought in.
    targets: HashMap<String, String>,
    new_schemas: Map<String, Value>,
    /// Schema names the root document already uses.
    taken: std::collections::HashSet<String>,
    errors: Vec<Diagnostic>,
    /// The targets being brought in, outermost first: one met again is a cycle.
    inlining: Vec<String>,
    /// How deep the walk is in the document being built.
    depth: usize,
    /// Whether going beyond [`MAX_DEPTH`] was reported (once is enough).
    too_deep: bool,
}

/// How deep the document may nest once other files are brought into it: twice what the
/// parsers allow one file, so that the later stages' recursion stays bounded.
const MAX_DEPTH: usize = 256;

/// Brings external references into `root` (read from `root_path`); returns every problem.
pub fn bundle(root: &mut Value, root_path: &Path, root_file: &str, read: &mut Reader<'_>) -> Vec<Diagnostic> {
    if !contains_external_ref(root) {
        return Vec::new();
    }
    let base = root_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let taken = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let mut bundler = Bundler {
        root_file: root_file.into(),
        base: base.clone(),
        read,
        files: HashMap::new(),
        targets: HashMap::new(),
        new_schemas: Map::new(),
        taken,
        errors: Vec::new(),
        inlining: Vec::new(),
        depth: 0,
        too_deep: false,
    };
    // Components that are just a reference to a file lend it their name.
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        for (section, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else { continue };
            for (name, entry) in entries.iter_mut() {
                if let Some(reference) = external_ref(entry) {
                    let key = target_key(&base, &reference);
                    bundler.targets.insert(key, format!("#/components/{}/{}", escape(section), escape(name)));
                }
            }
        }
    }
    bundler.walk(root, root_path, "#", false, true);
    if !bundler.new_schemas.is_empty() {
        let schemas = root
            .as_object_mut()
            .and_then(|r| r.entry("components").or_insert_with(|| Value::Object(Map::new())).as_object_mut())
            .and_then(|c| c.entry("schemas").or_insert_with(|| Value::Object(Map::new())).as_object_mut());
        if let Some(schemas) = schemas {
            for (name, schema) in std::mem::take(&mut bundler.new_schemas) {
                schemas.entry(name).or_insert(schema);
            }
        }
    }
    bundler.errors
}

fn contains_external_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.get("$ref").and_then(Value::as_str).is_some_and(|r| !r.starts_with('#'))
                || map.values().any(contains_external_ref)
        }
        Value::Array(items) => items.iter().any(contains_external_ref),
        _ => false,
    }
}

fn external_ref(value: &Value) -> Option<String> {
    let reference = value.as_object()?.get("$ref")?.as_str()?;
    (!reference.starts_with('#')).then(|| reference.to_string())
}

/// `dir` + `other.yaml#/a/b` → an absolute, normalised `path#/a/b`.
fn target_key(dir: &Path, reference: &str) -> String {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    format!("{}#{fragment}", normalise(&dir.join(file)).display())
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Keys whose value (or whose values, for maps and lists) are schemas.
fn child_is_schema(key: &str, parent_is_schema_map: bool) -> (bool, bool) {
    match key {
        "schema" | "items" | "additionalProperties" | "not" => (true, false),
        "properties" | "allOf" | "oneOf" | "anyOf" | "patternProperties" => (false, true),
        _ => (parent_is_schema_map, false),
    }
}

impl Bundler<'_, '_> {
    /// Rewrites the references in `value`, which lives in `file`.
    fn walk(&mut self, value: &mut Value, file: &Path, pointer: &str, is_schema: bool, is_root: bool) {
        if self.depth >= MAX_DEPTH {
            if !std::mem::replace(&mut self.too_deep, true) {
                self.errors.push(Diagnostic::at(
                    &self.root_file,
                    pointer,
                    format!("nests more than {MAX_DEPTH} levels deep once other files are brought in"),
                ));
            }
            *value = Value::Object(Map::new());
            return;
        }
        self.depth += 1;
        self.walk_at_depth(value, file, pointer, is_schema, is_root);
        self.depth -= 1;
    }

    fn walk_at_depth(&mut self, value: &mut Value, file: &Path, pointer: &str, is_schema: bool, is_root: bool) {
        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        if let Some(reference) = external_ref(value).or_else(|| (!is_root).then(|| local_ref_in_file(value)).flatten())
        {
            // Inside another file, `#/x` means that file's `/x`.
            let reference = match reference.strip_prefix('#') {
                Some(fragment) => format!("{}#{fragment}", file.display()),
                None => reference,
            };
            self.replace(value, &dir, &reference, pointer, is_schema);
            return;
        }
        match value {
            Value::Object(map) => {
                let named = keys_are_names(pointer);
                for (key, child) in map.iter_mut() {
                    if key == "examples" || crate::read::refs::is_data(key, named) {
                        continue;
                    }
                    let (child_schema, grandchildren_schema) = child_is_schema(key, false);
                    let child_pointer = format!("{pointer}/{}", escape(key));
                    match child {
                        Value::Object(entries) if grandchildren_schema => {
                            for (name, entry) in entries.iter_mut() {
                                self.walk(entry, file, &format!("{child_pointer}/{}", escape(name)), true, is_root);
                            }
                        }
                        Value::Array(entries) if grandchildren_schema => {
                            for (i, entry) in entries.iter_mut().enumerate() {
                                self.walk(entry, file, &format!("{child_pointer}/{i}"), true, is_root);
                            }
                        }
                        _ => {
                            let schema = child_schema || (is_schema_section(pointer) && key != "$ref");
                            self.walk(child, file, &child_pointer, schema, is_root);
                        }
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.walk(item, file, &format!("{pointer}/{i}"), is_schema, is_root);
                }
            }
            _ => {}
        }
    }

    /// Replaces a `$ref` to another file by a local reference (schemas) or the content.
    fn replace(&mut self, value: &mut Value, dir: &Path, reference: &str, pointer: &str, is_schema: bool) {
        if crate::read::files::is_url(reference) {
            self.errors.push(Diagnostic::at(
                &self.root_file,
                format!("{pointer}/$ref"),
                format!(
                    "`$ref` {reference:?}: references by URL are not supported; \
                     save the file beside the document and refer to it by a relative path"
                ),
            ));
            // Left as written: lowering finds it unresolved, at the place reported here.
            return;
        }
        let key = target_key(dir, reference);
        // A schema being brought in is a component already, which a reference may name.
        let inlining = self.inlining.iter().position(|k| *k == key).filter(|_| !self.targets.contains_key(&key));
        if let Some(start) = inlining {
            let round: Vec<String> =
                self.inlining[start..].iter().chain([&key]).map(|k| self.shown(Path::new(k))).collect();
            self.errors.push(Diagnostic::at(
                &self.root_file,
                format!("{pointer}/$ref"),
                format!("`$ref` {reference:?} goes round a cycle of references: {}", round.join(" → ")),
            ));
            // Left as written: lowering finds it unresolved, at the place reported here.
            return;
        }
        self.inlining.push(key.clone());
        self.replace_new(value, key, reference, pointer, is_schema);
        self.inlining.pop();
    }

    fn replace_new(&mut self, value: &mut Value, key: String, reference: &str, pointer: &str, is_schema: bool) {
        if let Some(local) = self.targets.get(&key) {
            // Already brought in; a component pointing at it gets the content itself.
            if pointer != local {
                *value = ref_to(local);
                return;
            }
        }
        let (file, fragment) = key.split_once('#').unwrap_or((&key, ""));
        let file = PathBuf::from(file);
        let Some(target) = self.load(&file, pointer).and_then(|doc| {
            let found = crate::read::refs::lookup(&doc, fragment);
            if found.is_none() {
                self.errors.push(Diagnostic::at(
                    &self.root_file,
                    format!("{pointer}/$ref"),
                    format!("`$ref` {reference:?}: {fragment:?} is not in {}", self.shown(&file)),
                ));
            } else if !found.is_some_and(|v| v.is_object() || v.is_boolean()) {
                // Said without the value: the file may be anything, and a secret.
                self.errors.push(Diagnostic::at(
                    &self.root_file,
                    format!("{pointer}/$ref"),
                    format!("`$ref` {reference:?}: what {} holds there is not an object", self.shown(&file)),
                ));
                return None;
            }
            found.cloned()
        }) else {
            // Left as written: lowering finds it unresolved, at the place reported here.
            return;
        };
        let local = self.targets.get(&key).cloned();
        match local {
            Some(local) if local == pointer => {
                *value = target;
                self.walk(value, &file, pointer, is_schema, false);
            }
            _ if is_schema => {
                let stem = fragment.rsplit('/').find(|s| !s.is_empty()).map(str::to_string).unwrap_or_else(|| {
                    file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "Schema".into())
                });
                let mut name = stem.clone();
                let mut n = 2;
                while self.taken.contains(&name) || self.new_schemas.contains_key(&name) {
                    name = format!("{stem}{n}");
                    n += 1;
                }
                let local = format!("#/components/schemas/{}", escape(&name));
                self.targets.insert(key, local.clone());
                let mut content = target;
                self.walk(&mut content, &file, &local, true, false);
                self.new_schemas.insert(name, content);
                *value = ref_to(&local);
            }
            _ => {
                *value = target;
                self.walk(value, &file, pointer, is_schema, false);
            }
        }
    }

    fn shown(&self, file: &Path) -> String {
        file.strip_prefix(&self.base).unwrap_or(file).display().to_string()
    }

    fn load(&mut self, file: &Path, pointer: &str) -> Option<Value> {
        if let Some(doc) = self.files.get(file) {
            return Some(doc.clone());
        }
        match (self.read)(file) {
            Ok(doc) => {
                self.files.insert(file.to_path_buf(), doc.clone());
                Some(doc)
            }
            Err(e) => {
                let at = match e.location {
                    crate::diagnostic::Location::LineColumn { line, column } => format!("{line}:{column}: "),
                    _ => String::new(),
                };
                self.errors.push(Diagnostic::at(
                    &self.root_file,
                    format!("{pointer}/$ref"),
                    format!("cannot load {}: {at}{}", self.shown(file), e.message),
                ));
                None
            }
        }
    }
}

fn local_ref_in_file(value: &Value) -> Option<String> {
    let reference = value.as_object()?.get("$ref")?.as_str()?;
    reference.starts_with('#').then(|| reference.to_string())
}

/// Whether the keys of the object at `pointer` are names (of responses, schemas, …) rather
/// than keywords, so that a response named `default` is no default value: it sits under a
/// key of [`crate::read::normalize::NAME_MAPS`] that is not itself a name in such a map.
fn keys_are_names(pointer: &str) -> bool {
    let mut segments = pointer.rsplit('/');
    let is_map = |s: Option<&str>| s.is_some_and(|s| crate::read::normalize::NAME_MAPS.contains(&s));
    let (last, before) = (segments.next(), segments.next());
    is_map(last) && !is_map(before)
}

fn is_schema_section(pointer: &str) -> bool {
    pointer == "#/components/schemas"
}

/// `{"$ref": pointer}`.
pub(crate) fn ref_to(pointer: &str) -> Value {
    let mut map = Map::new();
    map.insert("$ref".into(), Value::String(pointer.into()));
    Value::Object(map)
}
