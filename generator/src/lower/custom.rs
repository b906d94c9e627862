//! What a user asks of lowering beyond the document: schemas mapped to existing Rust types
//! (by configuration, or by typify's `x-rust-type` extension in the document), derives added
//! to every type, and operations and types renamed. Checked here, so that emit only prints.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::{Dependency, ExternalType};

/// The extension typify reads: `x-rust-type: {crate: chrono, version: "0.4", path:
/// chrono::NaiveDate}` on a schema makes it that type.
pub const RUST_TYPE: &str = "x-rust-type";

/// The customisations of one run, as [`Config`](crate::Config) collects them.
#[derive(Debug, Clone, Default)]
pub struct Customization {
    /// Component schema key → the Rust type it becomes, and the crate that type needs.
    pub replacements: BTreeMap<String, (String, Option<(String, String)>)>,
    /// Derives added to every type made from a schema, as paths.
    pub derives: Vec<String>,
    /// operationId → method name.
    pub operation_names: BTreeMap<String, String>,
    /// Component schema key → type name.
    pub type_names: BTreeMap<String, String>,
}

impl Customization {
    pub(crate) fn replace(&mut self, schema: String, path: String, dependency: Option<(String, String)>) {
        self.replacements.insert(schema, (path, dependency));
    }
}

/// The external type `value` (an `x-rust-type` extension) names, or why it cannot be used.
pub fn rust_type_extension(value: &Value) -> Result<ExternalType, String> {
    let object = value.as_object().ok_or("must be an object with `crate`, `version` and `path`")?;
    let text = |key: &str| -> Result<&str, String> {
        object.get(key).and_then(Value::as_str).ok_or_else(|| format!("needs `{key}` as a string"))
    };
    let path = text("path")?;
    let krate = text("crate")?;
    let version = text("version")?;
    if object.get("parameters").and_then(Value::as_array).is_some_and(|p| !p.is_empty()) {
        return Err("`parameters` (generic types) are not supported; name a concrete type".into());
    }
    external(path, Some((krate, version)))
}

/// The external type at `path`, with the crate it comes from, checked.
pub fn external(path: &str, dependency: Option<(&str, &str)>) -> Result<ExternalType, String> {
    let segments =
        rust_path(path).ok_or_else(|| format!("{path:?} is not a Rust path (identifiers joined by `::`)"))?;
    let dependency = match dependency {
        None => None,
        // A type of the standard library, or of a crate the generated crate has anyway.
        Some((krate, _)) if ["std", "core", "alloc"].contains(&krate) => None,
        Some((krate, version)) => {
            if !krate.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') || krate.is_empty() {
                return Err(format!("crate {krate:?} is not a crate name"));
            }
            if version.trim().is_empty() || version.contains(['"', '\n', '\\']) {
                return Err(format!("version {version:?} of crate {krate} is not a version requirement"));
            }
            let lib = krate.replace('-', "_");
            if segments.first() != Some(&lib.as_str()) {
                return Err(format!("{path:?} does not start with the crate's name `{lib}`"));
            }
            Some(Dependency { name: krate.to_string(), version: version.to_string() })
        }
    };
    Ok(ExternalType { path: segments.join("::"), dependency })
}

/// A derive's path (`Hash`, `schemars::JsonSchema`), checked.
pub fn derive(path: &str) -> Result<String, String> {
    let segments = rust_path(path).ok_or_else(|| format!("derive {path:?} is not a Rust path"))?;
    Ok(segments.join("::"))
}

/// The segments of a Rust path (`::a::b` or `a::b`), if each is an identifier.
fn rust_path(path: &str) -> Option<Vec<&str>> {
    let segments: Vec<&str> = path.trim_start_matches("::").split("::").collect();
    segments.iter().all(|s| is_identifier(s)).then_some(segments)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s != "_"
        && !crate::names::is_keyword(s)
}

impl super::Lowerer<'_> {
    /// Reports what the configuration names that the document does not have: a rename or
    /// replacement that silently did nothing would be worse than an error.
    pub(super) fn check_customization(&mut self, schemas: &std::collections::BTreeSet<String>) {
        let custom = self.custom;
        for key in custom.type_names.keys().chain(custom.replacements.keys()) {
            if !schemas.contains(key) {
                self.error(
                    "#/components/schemas",
                    format!("the configuration names schema {key:?}, which the document does not define"),
                );
            }
        }
        let ids: std::collections::BTreeSet<String> = self
            .doc
            .paths
            .paths
            .iter()
            .filter_map(|(_, item)| item.as_item())
            .flat_map(|item| item.iter().filter_map(|(_, op)| op.operation_id.clone()))
            .collect();
        for id in custom.operation_names.keys() {
            if !ids.contains(id) {
                self.error(
                    "#/paths",
                    format!("the configuration renames operation {id:?}, which the document does not have"),
                );
            }
        }
        for (schema, name) in &custom.type_names {
            if crate::names::type_name(name) != *name {
                self.error(
                    format!("#/components/schemas/{}", crate::diagnostic::escape(schema)),
                    format!("the configuration's name {name:?} for schema {schema:?} is not a Rust type name (UpperCamelCase)"),
                );
            }
        }
        for (id, method) in &custom.operation_names {
            if crate::names::method(method).as_str() != method {
                self.error("#/paths", format!("the configuration's name {method:?} for operation {id:?} is not a Rust method name (snake_case)"));
            }
        }
        for derive_path in &custom.derives {
            if let Err(why) = derive(derive_path) {
                self.error("#", format!("the configuration's {why}"));
            }
        }
    }

    /// The external type the component schema `key` is replaced by, by the configuration or
    /// by its `x-rust-type` extension.
    pub(super) fn replacement(
        &mut self,
        key: &str,
        schema: &openapiv3::ReferenceOr<openapiv3::Schema>,
        pointer: &str,
    ) -> Option<ExternalType> {
        let custom = self.custom;
        let found = match custom.replacements.get(key) {
            Some((path, dependency)) => external(path, dependency.as_ref().map(|(c, v)| (c.as_str(), v.as_str())))
                .map_err(|why| (pointer.to_string(), format!("the configuration's replacement: {why}"))),
            None => {
                let openapiv3::ReferenceOr::Item(schema) = schema else { return None };
                let value = schema.schema_data.extensions.get(RUST_TYPE)?;
                rust_type_extension(value)
                    .map_err(|why| (format!("{pointer}/{RUST_TYPE}"), format!("`{RUST_TYPE}` {why}")))
            }
        };
        self.external_type(found)
    }

    /// The external type an inline schema's `x-rust-type` names.
    pub(super) fn inline_replacement(&mut self, schema: &openapiv3::Schema, pointer: &str) -> Option<ExternalType> {
        let value = schema.schema_data.extensions.get(RUST_TYPE)?;
        let found = rust_type_extension(value)
            .map_err(|why| (format!("{pointer}/{RUST_TYPE}"), format!("`{RUST_TYPE}` {why}")));
        self.external_type(found)
    }

    fn external_type(&mut self, found: Result<ExternalType, (String, String)>) -> Option<ExternalType> {
        match found {
            Ok(ty) => {
                if let Some(dependency) = &ty.dependency {
                    let other =
                        self.dependencies.iter().find(|d| d.name == dependency.name && d.version != dependency.version);
                    if let Some(other) = other {
                        let message = format!(
                            "crate {} is asked for at version {} and at version {}; a crate has one version",
                            dependency.name, other.version, dependency.version
                        );
                        self.error("#/components/schemas", message);
                    }
                    self.dependencies.insert(dependency.clone());
                }
                Some(ty)
            }
            Err((pointer, message)) => {
                self.error(pointer, message);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_extension_names_a_type_and_its_crate() {
        let ty =
            rust_type_extension(&json!({"crate": "rust-decimal", "version": "1.30", "path": "rust_decimal::Decimal"}))
                .unwrap();
        assert_eq!(ty.path, "rust_decimal::Decimal");
        assert_eq!(ty.dependency, Some(Dependency { name: "rust-decimal".into(), version: "1.30".into() }));
        let std = rust_type_extension(&json!({"crate": "std", "version": "1", "path": "std::net::IpAddr"})).unwrap();
        assert_eq!(std.dependency, None);
    }

    #[test]
    fn what_cannot_be_a_type_is_refused() {
        for (value, why) in [
            (json!("chrono::NaiveDate"), "must be an object"),
            (json!({"crate": "chrono", "version": "0.4"}), "needs `path`"),
            (json!({"crate": "chrono", "version": "0.4", "path": "chrono::Naive Date"}), "not a Rust path"),
            (json!({"crate": "chrono", "version": "0.4", "path": "time::Date"}), "does not start with"),
            (json!({"crate": "a\"b", "version": "1", "path": "a::B"}), "not a crate name"),
            (json!({"crate": "x", "version": "1", "path": "x::Y", "parameters": [{}]}), "not supported"),
        ] {
            let error = rust_type_extension(&value).unwrap_err();
            assert!(error.contains(why), "{value}: {error}");
        }
    }
}
