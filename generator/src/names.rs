//! Every Rust name the generator emits is decided here, so that case conversion, keyword
//! escaping and collision handling have one set of rules and one set of table tests.

use std::collections::{HashMap, HashSet};
use std::fmt;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// A Rust identifier as it is written in the generated code: valid, unique where it has to
/// be, keywords already raw (`r#type`). Only this module makes them, so every name comes from
/// the rules below; emission writes them as they are.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

impl Ident {
    fn new(text: String) -> Self {
        debug_assert!(is_identifier(&text), "not an identifier: {text:?}");
        Self(text)
    }

    /// As written in code (`r#type`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Without the `r#` of a keyword (`type`): for prose, wire names and derived names.
    pub fn unraw(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }

    pub fn is_raw(&self) -> bool {
        self.0.starts_with("r#")
    }
}

/// For models built by hand (tests); lowering makes its names through this module's rules.
impl From<&str> for Ident {
    fn from(text: &str) -> Self {
        Self::new(text.to_string())
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq<str> for Ident {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Ident {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

fn is_identifier(text: &str) -> bool {
    let bare = text.strip_prefix("r#").unwrap_or(text);
    bare.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && bare != "_"
}

/// Words that cannot be plain identifiers; `r#` fixes most, but not these.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

pub(crate) const KEYWORDS: &[&str] = &[
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

/// The `index`th file of a split `types` module: `part01`, `part02`, …
pub fn type_file(index: usize) -> Ident {
    Ident::new(format!("part{:02}", index + 1))
}

/// The variant of the generated `Scheme` enum (and of `Auth`) for a kind of credential:
/// names the runtime's templates fix.
pub fn scheme_variant(kind: crate::model::SchemeKind) -> Ident {
    use crate::model::SchemeKind;
    let name = match kind {
        SchemeKind::Exo2HmacSha256 => "Exo2HmacSha256",
        SchemeKind::Bearer => "Bearer",
        SchemeKind::Basic => "Basic",
        SchemeKind::ApiKey => "ApiKey",
        SchemeKind::Other => "Header",
    };
    Ident::new(name.to_string())
}

/// The library's name in paths: `exoscale-api` → `exoscale_api`.
pub fn lib_name(package: &str) -> Ident {
    Ident::new(package.replace('-', "_"))
}

/// The prefix of the environment variables a crate reads: its name without a trailing
/// `-api`, `-client` or `-sdk` (`exoscale-api` → `EXOSCALE`).
pub fn env_prefix(package: &str) -> String {
    let stem = ["-api", "-client", "-sdk"]
        .iter()
        .find_map(|suffix| package.strip_suffix(suffix))
        .filter(|s| !s.is_empty())
        .unwrap_or(package);
    shouty(stem)
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
pub(crate) const CRATES_IN_USE: &[&str] = &[
    "alloc",
    "base64",
    "bytes",
    "chrono",
    "clap",
    "core",
    "eventsource_stream",
    "fastrand",
    "futures_core",
    "futures_util",
    "hmac",
    "httpdate",
    "percent_encoding",
    "proc_macro",
    "reqwest",
    "serde",
    "serde_json",
    "serde_transcode",
    "serde_urlencoded",
    "sha2",
    "std",
    "test",
    "tiny_http",
    "tokio",
    "tokio_util",
    "tracing",
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
    // The command-line binary has the package's name, and cargo refuses binaries named as its
    // own folders of the target directory; the others are folders of a package's own layout.
    if ["build", "deps", "examples", "incremental", "benches", "src", "target", "tests"].contains(&lib.as_str()) {
        return Err(format!("`{name}` is the name of a folder cargo uses, which it refuses for a binary"));
    }
    let windows = ["con", "prn", "aux", "nul"].contains(&lib.to_ascii_lowercase().as_str())
        || ["com", "lpt"].iter().any(|device| {
            lib.to_ascii_lowercase()
                .strip_prefix(device)
                .is_some_and(|n| n.len() == 1 && n.bytes().all(|b| matches!(b, b'1'..=b'9')))
        });
    if windows {
        return Err(format!("`{name}` is a device name on Windows, where no file can have it"));
    }
    Ok(())
}

/// The crate's version for the document's `info.version`, when cargo's `MAJOR.MINOR.PATCH`
/// can say it: `2.0` is `2.0.0` and `v1` is `1.0.0`; a date, a word or a pre-release is not.
pub fn crate_version(version: &str) -> Option<String> {
    let parts: Vec<&str> = version.strip_prefix('v').unwrap_or(version).split('.').collect();
    // Leading zeros are not semver; a number must fit cargo's u64.
    let numeric = |s: &str| {
        (s == "0" || !s.starts_with('0')) && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u64>().is_ok()
    };
    if parts.len() > 3 || !parts.iter().all(|p| numeric(p)) {
        return None;
    }
    let mut numbers = parts;
    numbers.resize(3, "0");
    Some(numbers.join("."))
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
    taken: HashSet<String>,
    /// The next number to try after each base name, so that many collisions on one name
    /// cost one probe each rather than a walk over every number already used.
    next: HashMap<String, usize>,
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
    pub fn claim(&mut self, name: impl Into<String>) -> Ident {
        Ident::new(self.claim_text(name))
    }

    /// [`Scope::claim`] for names that are not identifiers (`sort-by`, a flag).
    pub fn claim_text(&mut self, name: impl Into<String>) -> String {
        let name = name.into();
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

/// Whether `word` is a Rust keyword (strict or reserved), which a path segment cannot be.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
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
        assert_eq!(crate_name("Build"), "build-api");
        assert_eq!(crate_name("Examples"), "examples-api");
    }

    /// Every dependency a generated crate can have is a name `check_crate_name` refuses.
    #[test]
    fn crates_in_use_cover_every_dependency() {
        let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n\
                    paths: {/x: {get: {operationId: x, responses: {'204': {description: ok}}}}}\n\
                    components:\n  securitySchemes:\n    exo: {type: http, scheme: EXO2-HMAC-SHA256}\n    \
                    basic: {type: http, scheme: basic}\n";
        let document = crate::read::source::parse(spec.as_bytes(), "t.yaml").unwrap();
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
            ("build", "cargo"),
            ("deps", "cargo"),
            ("examples", "cargo"),
            ("incremental", "cargo"),
            ("benches", "cargo"),
            ("src", "cargo"),
            ("target", "cargo"),
            ("nul", "Windows"),
            ("com1", "Windows"),
        ];
        for (bad, reason) in table {
            let error = check_crate_name(bad).unwrap_err();
            assert!(error.contains(reason), "{bad:?}: {error}");
        }
    }

    #[test]
    fn scope_suffixes_collisions() {
        let mut scope = Scope::for_types();
        assert_eq!(scope.claim("Pet"), "Pet");
        assert_eq!(scope.claim("Pet"), "Pet2");
        assert_eq!(scope.claim("Pet"), "Pet3");
        assert_eq!(scope.claim("String"), "String2");
        assert_eq!(scope.claim("V1"), "V1");
        assert_eq!(scope.claim("V1"), "V1_2");
        let mut fields = Scope::default();
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("r#type"), "type2");
        // A suffixed name taken directly is skipped, however the claims interleave.
        assert_eq!(scope.claim("Pet5"), "Pet5");
        assert_eq!(scope.claim("Pet"), "Pet4");
        assert_eq!(scope.claim("Pet"), "Pet6");
        assert_eq!(scope.claim("Pet4"), "Pet4_2");
        let mut many = Scope::default();
        let names: Vec<Ident> = (0..5000).map(|_| many.claim("Item")).collect();
        assert_eq!(names[0], "Item");
        assert_eq!(names[4999], "Item5000");
        assert_eq!(names.iter().collect::<std::collections::BTreeSet<_>>().len(), 5000);
    }
}
