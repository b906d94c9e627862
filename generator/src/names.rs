//! Every Rust name the generator emits is decided here, so that case conversion, keyword
//! escaping and collision handling have one set of rules and one set of table tests.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers; `r#` fixes most, but not these.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified; a schema must not shadow them.
const PRELUDE_TYPES: &[&str] =
    &["Box", "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Self", "Default"];

/// Replaces everything that cannot appear in an identifier by a word break, so that heck
/// sees `a.b/c` as three words rather than one.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    // Symbols carry meaning in enum values such as "+1" or "-1"; keep them apart as words.
    if raw.starts_with('+') && out.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return format!("plus {out}");
    }
    if raw.starts_with('-') && out.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return format!("minus {out}");
    }
    out
}

fn ascii_only(s: String) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// `updated-at` → `updated_at`; keywords become raw identifiers (`type` → `r#type`).
pub fn field(raw: &str) -> String {
    let mut name = ascii_only(words(raw).to_snake_case());
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("_{name}");
    }
    escape_keyword(name)
}

/// A command-line flag: `sort_by` and `sortBy` → `sort-by` (written `--sort-by`).
pub fn flag(raw: &str) -> String {
    field(raw).trim_start_matches("r#").trim_end_matches('_').replace('_', "-")
}

/// `list-ai-api-keys` → `list_ai_api_keys`.
pub fn method(raw: &str) -> String {
    field(raw)
}

/// `list-ai-api-keys-response` → `ListAiApiKeysResponse`.
pub fn type_name(raw: &str) -> String {
    let mut name = ascii_only(words(raw).to_upper_camel_case());
    if name.is_empty() {
        name = "Value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("T{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// The start of longer type names (`{prefix}Error`, `{prefix}Body`): like [`type_name`], but a
/// keyword needs no escape since something always follows it (`self` → `SelfError`).
pub fn type_prefix(raw: &str) -> String {
    let name = type_name(raw);
    match name.strip_suffix('_') {
        Some(stem) if KEYWORDS.contains(&stem) => stem.to_string(),
        _ => name,
    }
}

/// Enum variants: `forbidden_operation` → `ForbiddenOperation`, `2xx` → `V2xx`.
pub fn variant(raw: &str) -> String {
    let mut name = ascii_only(words(raw).to_upper_camel_case());
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("V{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `zone` → `ZONE`, for environment variables and constants.
pub fn shouty(raw: &str) -> String {
    ascii_only(words(raw).to_shouty_snake_case())
}

/// `Exoscale API` → `exoscale-api`.
pub fn crate_name(raw: &str) -> String {
    let name = ascii_only(words(raw).to_snake_case()).trim_matches('_').replace('_', "-");
    if name.is_empty() {
        "api".into()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else if check_crate_name(&name).is_err() {
        // A keyword or a crate the generated code names (`Type`, `Serde`): `type-api`.
        format!("{name}-api")
    } else {
        name
    }
}

/// Crates the generated code names by path (its dependencies, and Rust's own): a package of
/// the same name would make `serde::…` or `std::…` ambiguous in its command-line client.
const CRATES_IN_USE: &[&str] = &[
    "alloc",
    "base64",
    "chrono",
    "clap",
    "core",
    "hmac",
    "percent_encoding",
    "proc_macro",
    "reqwest",
    "serde",
    "serde_json",
    "serde_urlencoded",
    "sha2",
    "std",
    "test",
    "tokio",
    "uuid",
];

/// Why `name` cannot be a generated crate's package name, if it cannot: Cargo's rules for
/// package names, kept to ASCII as crates.io does, and a library name (`-` as `_`) that is a
/// usable identifier.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return Err("a package name cannot be empty".into()) };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Err(format!("a package name starts with an ASCII letter or `_`, not {first:?}"));
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!("a package name holds only ASCII letters, digits, `-` and `_`, not {bad:?}"));
    }
    let lib = name.replace('-', "_");
    if lib == "_" || KEYWORDS.contains(&lib.as_str()) {
        return Err(format!("`{lib}` is a Rust keyword"));
    }
    if CRATES_IN_USE.contains(&lib.as_str()) {
        return Err(format!("`{lib}` is a crate the generated code uses"));
    }
    Ok(())
}

fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Hands out names that are unique within one scope (the fields of a struct, the types of
/// a module). The first claimant of a name keeps it; later ones get a numeric suffix, so the
/// result depends only on the order of claims, which the caller keeps deterministic.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// The next number to try after each base name, so that many collisions on one name
    /// cost one probe each rather than a walk over every number already used.
    next: std::collections::HashMap<String, usize>,
}

impl Scope {
    /// A scope for type names, with the prelude's names already taken.
    pub fn for_types() -> Self {
        let mut scope = Self::default();
        scope.taken.extend(PRELUDE_TYPES.iter().map(|s| s.to_string()));
        scope
    }

    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Returns `name` if it is free, otherwise `name2`, `name3`, … (`r#type` → `type2`).
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.trim_start_matches("r#").trim_end_matches('_');
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let next = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{base}{sep}{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let table = [
            ("updated-at", "updated_at"),
            ("org-uuid", "org_uuid"),
            ("type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("crate", "crate_"),
            ("createdAt", "created_at"),
            ("HTTPStatus", "http_status"),
            ("2fa", "_2fa"),
            ("a.b/c", "a_b_c"),
            ("$ref", "r#ref"),
            ("", "value"),
            ("név", "nv"),
            ("@type", "r#type"),
        ];
        for (raw, want) in table {
            assert_eq!(field(raw), want, "field({raw:?})");
        }
    }

    #[test]
    fn types() {
        let table = [
            ("list-ai-api-keys-response", "ListAiApiKeysResponse"),
            ("error-response", "ErrorResponse"),
            ("ai-api-key", "AiApiKey"),
            ("Self", "Self_"),
            ("2fa-config", "T2faConfig"),
            ("v1.Pet", "V1Pet"),
            ("", "Value"),
        ];
        for (raw, want) in table {
            assert_eq!(type_name(raw), want, "type_name({raw:?})");
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(type_prefix("self"), "Self");
        assert_eq!(type_prefix("list-ai-api-keys"), "ListAiApiKeys");
        assert_eq!(type_prefix("2fa"), "T2fa");
    }

    #[test]
    fn variants() {
        let table = [
            ("forbidden_operation", "ForbiddenOperation"),
            ("2xx", "V2xx"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("", "Empty"),
            ("in-progress", "InProgress"),
        ];
        for (raw, want) in table {
            assert_eq!(variant(raw), want, "variant({raw:?})");
        }
    }

    #[test]
    fn crate_names() {
        assert_eq!(crate_name("Exoscale API"), "exoscale-api");
        assert_eq!(crate_name("Swagger Petstore"), "swagger-petstore");
        assert_eq!(crate_name("3D API"), "api-3d-api");
        assert_eq!(crate_name("!!!"), "api");
        assert_eq!(crate_name("Type"), "type-api");
        assert_eq!(crate_name("Serde JSON"), "serde-json-api");
    }

    /// Every dependency a generated crate can have is a name `check_crate_name` refuses.
    #[test]
    fn crates_in_use_cover_every_dependency() {
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n\
                    paths: {/x: {get: {operationId: x, responses: {'204': {description: ok}}}}}\n\
                    components:\n  securitySchemes:\n    exo: {type: http, scheme: EXO2-HMAC-SHA256}\n    \
                    basic: {type: http, scheme: basic}\n";
        let document = crate::source::parse(spec.as_bytes(), "t.yaml").unwrap();
        let api = crate::lower::lower(&document).unwrap();
        let options = crate::emit::Options::new("t", "t.yaml");
        let crate::FileContents::Text(manifest) = crate::emit::emit_part(&api, &options, crate::emit::Part::Manifest)
        else {
            panic!("the manifest is text")
        };
        let dependencies = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
        let names: Vec<String> = dependencies
            .lines()
            .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim().replace('-', "_")))
            .collect();
        assert!(names.len() >= 10, "{manifest}");
        for name in names {
            assert!(CRATES_IN_USE.contains(&name.as_str()), "{name} is missing from CRATES_IN_USE");
        }
    }

    #[test]
    fn package_names() {
        for good in ["exoscale-api", "a", "_private", "v1_0", "Api2"] {
            assert_eq!(check_crate_name(good), Ok(()), "{good}");
        }
        let table = [
            ("a.v1.0", "not '.'"),
            ("", "cannot be empty"),
            ("9abc", "not '9'"),
            ("-x", "not '-'"),
            ("a b", "not ' '"),
            ("été", "not 'é'"),
            ("_", "keyword"),
            ("fn", "keyword"),
            ("self", "keyword"),
            ("std", "uses"),
            ("serde-json", "uses"),
        ];
        for (bad, reason) in table {
            let error = check_crate_name(bad).unwrap_err();
            assert!(error.contains(reason), "{bad:?}: {error}");
        }
    }

    #[test]
    fn scope_suffixes_collisions() {
        let mut scope = Scope::for_types();
        assert_eq!(scope.claim("Pet".into()), "Pet");
        assert_eq!(scope.claim("Pet".into()), "Pet2");
        assert_eq!(scope.claim("Pet".into()), "Pet3");
        assert_eq!(scope.claim("String".into()), "String2");
        assert_eq!(scope.claim("V1".into()), "V1");
        assert_eq!(scope.claim("V1".into()), "V1_2");
        let mut fields = Scope::default();
        assert_eq!(fields.claim("r#type".into()), "r#type");
        assert_eq!(fields.claim("r#type".into()), "type2");
        // A suffixed name taken directly is skipped, however the claims interleave.
        assert_eq!(scope.claim("Pet5".into()), "Pet5");
        assert_eq!(scope.claim("Pet".into()), "Pet4");
        assert_eq!(scope.claim("Pet".into()), "Pet6");
        assert_eq!(scope.claim("Pet4".into()), "Pet4_2");
        let mut many = Scope::default();
        let names: Vec<String> = (0..5000).map(|_| many.claim("Item".into())).collect();
        assert_eq!(names[0], "Item");
        assert_eq!(names[4999], "Item5000");
        assert_eq!(names.iter().collect::<std::collections::BTreeSet<_>>().len(), 5000);
    }
}
