//! Reading a document: bytes to JSON value (YAML or JSON), version check, the 3.1 → 3.0
//! normalisation, then the typed `openapiv3` model. Errors carry line and column for syntax
//! problems and a JSON pointer for structural ones.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::read::files::Access;
use crate::read::fragments::Fragments;
use crate::read::normalize;

/// A parsed document and the name it is reported under.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: String,
    pub openapi: openapiv3::OpenAPI,
    /// The places of the normalised document that the typed model cannot reach by key or
    /// drops, as JSON.
    pub fragments: Fragments,
    /// Problems found while reading that do not stop lowering (references to other files
    /// that cannot be loaded), so they are reported together with lowering's own.
    pub problems: Vec<Diagnostic>,
    /// Places reading moved (references hoisted into components), each as the pointer of
    /// the new place and of the place the document wrote it at, so that messages point there.
    pub moved: Vec<(String, String)>,
}

impl Document {
    /// `pointer` (into the document as read) as a pointer into the document as written.
    pub fn written_at(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_string();
        // A moved place may hold another (a webhook's schema in a hoisted response).
        for _ in 0..self.moved.len() {
            let Some((to, from)) = self.moved.iter().find(|(to, _)| {
                pointer.strip_prefix(to.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            }) else {
                break;
            };
            pointer = format!("{from}{}", &pointer[to.len()..]);
        }
        pointer
    }
}

/// Reads and parses the document at `path`.
pub fn load(path: &Path) -> Result<Document, Diagnostics> {
    load_as(path, &path.display().to_string())
}

/// Reads and parses the document at `path`, naming it `file` in messages.
pub fn load_as(path: &Path, file: &str) -> Result<Document, Diagnostics> {
    load_with(path, file, &[])
}

/// [`load_as`], its references also reading files under the folders `allowed` (besides its
/// own folder, or git repository).
pub fn load_with(path: &Path, file: &str, allowed: &[PathBuf]) -> Result<Document, Diagnostics> {
    let access = Access::for_document(path, allowed);
    let (value, problems) = load_value(path, file, &access)?;
    // The typed model is made from the value by moving its strings, and the value is then
    // gone; only a broken document needs it again, to say where it is broken.
    let again = || load_value(path, file, &access).map(|(value, _)| value);
    with_problems(typed(value, file, again), problems)
}

/// The document at `path` as JSON, as the typed model is made from it (normalised, other files'
/// references bundled, references hoisted), for tools that read what the model leaves out.
pub fn load_json(path: &Path) -> Result<Value, Diagnostics> {
    let file = path.display().to_string();
    let (mut value, problems) = load_value(path, &file, &Access::for_document(path, &[]))?;
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    prepare_alone(&mut value, &file)?;
    Ok(value)
}

/// Parses a document from memory; `file` names it in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Document, Diagnostics> {
    typed(parse_root(bytes, file)?, file, || parse_root(bytes, file))
}

/// [`load_json`] of a document in memory.
pub fn parse_json(bytes: &[u8], file: &str) -> Result<Value, Diagnostics> {
    let mut value = parse_root(bytes, file)?;
    prepare_alone(&mut value, file)?;
    Ok(value)
}

/// Bytes to the normalised JSON value of a root document.
fn parse_root(bytes: &[u8], file: &str) -> Result<Value, Diagnostics> {
    let whole = |message: String| Diagnostic { file: file.into(), location: Location::File, message };
    let text = std::str::from_utf8(bytes).map_err(|e| whole(format!("not UTF-8 text: {e}")))?;
    if text.trim().is_empty() {
        return Err(whole("the document is empty".into()).into());
    }
    let mut value = parse_value(text, file)?;
    check_version(&value, file)?;
    normalize::normalize(&mut value);
    Ok(value)
}

/// The normalised value of the document at `path`, with the references to other files
/// (relative to `path`) bundled in, and the problems of those that cannot be.
fn load_value(path: &Path, file: &str, access: &Access) -> Result<(Value, Vec<Diagnostic>), Diagnostics> {
    let bytes = crate::read::files::read_regular(path).map_err(|e| Diagnostic {
        file: file.to_string(),
        location: Location::File,
        message: format!("cannot read the file: {e}"),
    })?;
    let mut value = parse_root(&bytes, file)?;
    // Freed before the typed model is built beside the value, where memory peaks.
    drop(bytes);
    let mut read = |other: &Path| -> Result<Value, Diagnostic> {
        let name = other.display().to_string();
        let bytes = access.read(other).map_err(|message| Diagnostic {
            file: name.clone(),
            location: Location::File,
            message,
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| Diagnostic {
            file: name.clone(),
            location: Location::File,
            message: format!("not UTF-8 text: {e}"),
        })?;
        let mut value = parse_value(text, &name)?;
        normalize::normalize_fragment(&mut value);
        Ok(value)
    };
    // Absolute, so that `..` in references is resolved against real folders.
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let problems = crate::read::bundle::bundle(&mut value, &path, file, &mut read);
    Ok((value, problems))
}

/// A whole document (bundled) made ready for the typed model: references canonical, then
/// hoisted. Returns the problems found, which lowering reports with its own.
fn prepare(value: &mut Value, file: &str) -> (Vec<Diagnostic>, Vec<(String, String)>) {
    let problems = crate::read::refs::canonicalize(value, file);
    let moved = crate::read::hoist::hoist(value);
    (problems, moved)
}

/// [`prepare`] for tools that have no lowering to report with.
fn prepare_alone(value: &mut Value, file: &str) -> Result<(), Diagnostics> {
    let (problems, _) = prepare(value, file);
    match problems.is_empty() {
        true => Ok(()),
        false => Err(Diagnostics(problems)),
    }
}

fn with_problems(result: Result<Document, Diagnostics>, problems: Vec<Diagnostic>) -> Result<Document, Diagnostics> {
    match result {
        Ok(document) => Ok(Document { problems: problems.into_iter().chain(document.problems).collect(), ..document }),
        Err(Diagnostics(more)) => Err(Diagnostics(problems.into_iter().chain(more).collect())),
    }
}

/// The typed model of `value`; `again` makes the same value anew, for the rare broken
/// document, as the first is consumed.
fn typed(
    mut value: Value,
    file: &str,
    again: impl FnOnce() -> Result<Value, Diagnostics>,
) -> Result<Document, Diagnostics> {
    let (problems, moved) = prepare(&mut value, file);
    let fragments = Fragments::collect(&value);
    // Tracking the path costs a third more on every document; only a broken one needs it, so
    // the path is found by deserializing a second time.
    if let Some(openapi) = deserialize_presized(value) {
        return Ok(Document { file: file.into(), openapi, fragments, problems, moved });
    }
    let mut value = again()?;
    prepare(&mut value, file);
    let openapi = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value).map_err(|e| {
        let segments: Vec<String> = e.path().iter().map(segment).collect();
        let (segments, message) = refine(&value, segments, e.inner().to_string());
        let pointer = crate::diagnostic::pointer(segments.iter().map(String::as_str));
        let mut all = problems.clone();
        all.push(Diagnostic::at(file, pointer, format!("not a valid OpenAPI document: {message}")));
        Diagnostics(all)
    })?;
    Ok(Document { file: file.into(), openapi, fragments, problems, moved })
}

/// The typed model of a valid document, `None` for any problem (the caller then finds it with
/// its place). The two maps that grow with the API, `paths` and `components/schemas`, are
/// filled apart into maps made at their final size: deserialized as part of the document,
/// each would grow by doubling, and a path item is 8.7 KB in the typed model, so a document of
/// 17,000 paths copied and freshly paged in twice its 150 MB while being read.
fn deserialize_presized(mut value: Value) -> Option<openapiv3::OpenAPI> {
    use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
    // The map at `key`, left empty in its place: what the typed model reads it as.
    fn take(parent: Option<&mut Value>, key: &str) -> Option<serde_json::Map<String, Value>> {
        parent?.as_object_mut()?.get_mut(key)?.as_object_mut().map(std::mem::take)
    }
    let paths = take(Some(&mut value), "paths");
    let schemas = take(value.get_mut("components"), "schemas");
    let mut openapi = <OpenAPI as serde::Deserialize>::deserialize(value).ok()?;
    if let Some(paths) = paths {
        // As the typed model reads `paths`: `/…` keys are paths, `x-…` extensions, the rest
        // ignored.
        openapi.paths.paths.reserve(paths.len());
        for (key, item) in paths {
            if key.starts_with('/') {
                let item = <ReferenceOr<PathItem> as serde::Deserialize>::deserialize(item).ok()?;
                openapi.paths.paths.insert(key, item);
            } else if key.starts_with("x-") {
                openapi.paths.extensions.insert(key, item);
            }
        }
    }
    if let (Some(schemas), Some(components)) = (schemas, openapi.components.as_mut()) {
        components.schemas.reserve(schemas.len());
        for (name, schema) in schemas {
            let schema = <ReferenceOr<Schema> as serde::Deserialize>::deserialize(schema).ok()?;
            components.schemas.insert(name, schema);
        }
    }
    Some(openapi)
}

/// A step of serde's path as a JSON pointer's segment: an index is `0`, where serde writes
/// `[0]`.
fn segment(step: &serde_path_to_error::Segment) -> String {
    match step {
        serde_path_to_error::Segment::Seq { index } => index.to_string(),
        other => other.to_string(),
    }
}

/// serde stops at an untagged enum (`$ref` or the object itself) and says only that nothing
/// matched. Deserializing the value there as the object its location calls for finds the
/// real problem and its place; repeated until the place stops getting deeper.
fn refine(root: &Value, mut segments: Vec<String>, mut message: String) -> (Vec<String>, String) {
    fn at<T: serde::de::DeserializeOwned>(value: &Value) -> Option<(Vec<String>, String)> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        Some((error.path().iter().map(segment).collect(), error.inner().to_string()))
    }
    /// The first child of a map or list that is not a valid `T`.
    fn child<T: serde::de::DeserializeOwned>(value: &Value) -> Option<(Vec<String>, String)> {
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => {
                map.iter().filter(|(k, _)| !k.starts_with("x-")).map(|(k, v)| (k.clone(), v)).collect()
            }
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            _ => return None,
        };
        children.into_iter().find_map(|(key, v)| {
            let (mut path, message) = at::<T>(v)?;
            path.insert(0, key);
            Some((path, message))
        })
    }
    fn sub_schema(value: &Value) -> Option<(Vec<String>, String)> {
        for key in ["properties", "allOf", "oneOf", "anyOf"] {
            if let Some((mut path, message)) =
                value.get(key).and_then(child::<openapiv3::ReferenceOr<openapiv3::Schema>>)
            {
                path.insert(0, key.to_string());
                return Some((path, message));
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            let Some(sub) = value.get(key).filter(|v| v.is_object()) else { continue };
            if let Some((mut path, message)) = at::<openapiv3::ReferenceOr<openapiv3::Schema>>(sub) {
                path.insert(0, key.to_string());
                return Some((path, message));
            }
        }
        None
    }
    for _ in 0..16 {
        let pointer: String = segments.iter().map(|s| format!("/{}", crate::diagnostic::escape(s))).collect();
        let Some(value) = root.pointer(&pointer) else { break };
        if value.get("$ref").is_some() {
            break;
        }
        let names: Vec<&str> = segments.iter().map(String::as_str).collect();
        let deeper = match names.as_slice() {
            ["paths"] => child::<openapiv3::PathItem>(value),
            [.., "responses"] => child::<openapiv3::Response>(value),
            [.., "parameters"] => child::<openapiv3::Parameter>(value),
            ["components", "schemas"] | [.., "properties"] | [.., "allOf" | "oneOf" | "anyOf"] => {
                child::<openapiv3::Schema>(value)
            }
            ["paths", _] => at::<openapiv3::PathItem>(value),
            [.., "responses", _] => at::<openapiv3::Response>(value),
            [.., "parameters", _] => at::<openapiv3::Parameter>(value),
            [.., "requestBody"] | [.., "requestBodies", _] => at::<openapiv3::RequestBody>(value),
            [.., "headers", _] => at::<openapiv3::Header>(value),
            [.., "examples", _] => at::<openapiv3::Example>(value),
            [.., "securitySchemes", _] => at::<openapiv3::SecurityScheme>(value),
            [.., "schemas", _]
            | [.., "schema"]
            | [.., "properties", _]
            | [.., "items"]
            | [.., "additionalProperties"]
            | [.., "allOf" | "oneOf" | "anyOf", _]
            | [.., "not"] => {
                // A schema's own fields are flattened, which hides paths: look in its
                // sub-schemas first.
                sub_schema(value).or_else(|| at::<openapiv3::Schema>(value))
            }
            _ => None,
        };
        match deeper {
            Some((more, inner)) if !more.is_empty() => {
                segments.extend(more);
                message = inner;
            }
            Some((_, inner)) => {
                message = inner;
                break;
            }
            None => break,
        }
    }
    (segments, message)
}

fn parse_value(text: &str, file: &str) -> Result<Value, Diagnostic> {
    crate::read::syntax::parse(text, file)
}

fn check_version(value: &Value, file: &str) -> Result<(), Diagnostic> {
    let root = |message: &str| Diagnostic::at(file, "#", message);
    let Some(object) = value.as_object() else {
        return Err(root("not an OpenAPI document: the top level is not an object"));
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(Diagnostic::at(
            file,
            "#/swagger",
            format!(
                "Swagger {} documents are not supported; convert it to OpenAPI 3 first \
                 (for example with swagger2openapi or editor.swagger.io)",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    match object.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") || v == "3.0" || v == "3.1" => Ok(()),
        Some(v) => Err(Diagnostic::at(
            file,
            "#/openapi",
            format!("unsupported OpenAPI version {v:?}; expected 3.0.x or 3.1.x"),
        )),
        None => Err(root("not an OpenAPI document: no `openapi` version field")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text.as_bytes(), "spec.yaml").unwrap_err().to_string()
    }

    #[test]
    fn reports_syntax_errors_with_line_and_column() {
        assert_eq!(
            err("openapi: 3.0.3\ninfo: [\n"),
            "error: spec.yaml:3:1: invalid YAML: did not find expected node content"
        );
        assert!(err("{\"openapi\": }").starts_with("error: spec.yaml:1:13: invalid JSON"));
    }

    #[test]
    fn rejects_what_is_not_openapi_3() {
        assert_eq!(err(""), "error: spec.yaml: the document is empty");
        assert!(err("swagger: '2.0'").contains("#/swagger: Swagger 2.0 documents are not supported; convert"));
        assert!(err("openapi: 4.0.0").contains("#/openapi: unsupported OpenAPI version \"4.0.0\""));
        assert!(err("- a\n- b").contains("spec.yaml: #: not an OpenAPI document"));
        assert!(err("just text").contains("not an OpenAPI document"));
    }

    #[test]
    fn structural_errors_name_the_pointer() {
        let e = err("openapi: 3.0.3\ninfo: {title: t, version: [1]}\npaths: {}\n");
        assert_eq!(
            e,
            "error: spec.yaml: #/info/version: not a valid OpenAPI document: invalid type: sequence, expected a string"
        );
        // A list's index is a pointer segment of its own, not serde's `[0]`.
        let e = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: x, in: query, schema: {type: integer, minimum: zero}}\n      responses: {'200': {description: ok}}\n");
        assert_eq!(
            e,
            "error: spec.yaml: #/paths/~1a/get/parameters/0: not a valid OpenAPI document: invalid type: string \"zero\", expected a JSON number"
        );
    }

    #[test]
    fn errors_inside_references_or_objects_name_the_deepest_place() {
        let e = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: 5}\n");
        assert_eq!(e, "error: spec.yaml: #/paths/~1a/get/responses/200/description: not a valid OpenAPI document: invalid type: integer `5`, expected a string");
        let e = err("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {type: string, maxLength: many}}}\n");
        assert_eq!(e, "error: spec.yaml: #/components/schemas/A/properties/b: not a valid OpenAPI document: invalid type: string \"many\", expected usize");
    }

    #[test]
    fn numeric_yaml_keys_become_strings() {
        let doc = parse(b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n", "x").unwrap();
        let op = doc.openapi.paths.paths["/a"].as_item().unwrap().get.as_ref().unwrap();
        assert!(op.responses.responses.contains_key(&openapiv3::StatusCode::Code(200)));
    }
}

#[cfg(test)]
mod yaml_json_tests {
    use super::*;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    fn err(text: &str) -> String {
        parse(text.as_bytes(), "spec.yaml").unwrap_err().to_string()
    }

    #[test]
    fn yaml_merge_keys_are_applied() {
        let text = format!(
            "{HEAD}x-shared: &ok {{description: ok, headers: {{X-A: {{schema: {{type: string}}}}}}}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          <<: *ok\n          description: mine\n        '201': {{<<: [*ok]}}\n"
        );
        let doc = parse(text.as_bytes(), "spec.yaml").unwrap();
        let op = doc.openapi.paths.paths["/a"].as_item().unwrap().get.as_ref().unwrap();
        let response = |code| op.responses.responses[&openapiv3::StatusCode::Code(code)].as_item().unwrap();
        // The mapping's own keys win over merged ones.
        assert_eq!(response(200).description, "mine");
        assert!(response(200).headers.contains_key("X-A"));
        assert_eq!(response(201).description, "ok");
    }

    #[test]
    fn duplicate_keys_are_errors_naming_the_key_and_line() {
        assert_eq!(
            err(&format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: string}}\n    A: {{type: integer}}\n"
            )),
            "error: spec.yaml:7:5: invalid YAML: components.schemas: duplicate key `A`"
        );
        let json = "{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": {},\n \"paths\": {}}";
        assert!(err(json).starts_with("error: spec.yaml:4:"), "{}", err(json));
        assert!(err(json).contains("invalid JSON: duplicate key `paths`"), "{}", err(json));
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let yaml = format!("\u{feff}{HEAD}paths: {{}}\n");
        assert!(parse(yaml.as_bytes(), "spec.yaml").is_ok());
        let json = "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
        assert!(parse(json.as_bytes(), "spec.json").is_ok());
    }

    #[test]
    fn yaml_tags_are_named_with_their_place() {
        assert_eq!(
            err(&format!("{HEAD}paths: {{}}\nx-data: !!binary aGVsbG8=\n")),
            "error: spec.yaml:4:9: invalid YAML: the tag `!!binary` is not supported"
        );
        assert_eq!(
            err(&format!("{HEAD}paths:\n  /a: !custom {{get: {{}}}}\n")),
            "error: spec.yaml:4:7: invalid YAML: paths./a: the tag `!custom` is not supported"
        );
    }
}
