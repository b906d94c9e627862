//! How each change affects the crates that depend on the generated one, by Rust's semver
//! rules as cargo-semver-checks applies them, given what the generated code allows: response-only
//! structs and every generated enum are `#[non_exhaustive]`; structs a request reaches are plain
//! (built with literals, `..Default::default()` when every field is optional); parameters are
//! positional arguments of the method.

use super::diff::What;

/// How much a change asks of dependents, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Documentation only: nothing a dependent can observe from Rust.
    Patch,
    /// Compatible: code that compiled still compiles (perhaps with new behaviour).
    Minor,
    /// Breaking: some code that compiled no longer does.
    Major,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "compatible",
            Level::Major => "breaking",
        }
    }
}

/// The level of a change, and why, in a few words about Rust code.
pub fn classify(what: &What) -> (Level, String) {
    use Level::*;
    let (level, why): (Level, &str) = match what {
        What::SpecVersion { .. } => (Patch, "the document's version; the crate keeps its own"),
        What::OperationAdded { .. } => (Minor, "a new method"),
        What::OperationRemoved { .. } => (Major, "calls to the method no longer compile"),
        What::OperationRenamed { .. } => (Major, "calls by the old name no longer compile"),
        What::OperationIdChanged { .. } => {
            (Patch, "the method keeps its name; only the operationId in docs, errors and tracing changes")
        }
        What::HttpChanged { .. } => (Minor, "same method, sent elsewhere"),
        What::Deprecated => (Minor, "callers get a deprecation warning"),
        What::ArgAdded { required: true, .. } => (Major, "the method takes one more argument: every call must pass it"),
        What::ArgAdded { required: false, .. } => {
            (Minor, "an optional parameter is a method of the call: calls that do not set it still compile")
        }
        What::ArgRemoved { .. } => (Major, "the method takes one argument fewer, or its call one method fewer"),
        What::ArgRequired { .. } => (Major, "the parameter becomes an argument of the method: every call must pass it"),
        What::ArgOptional { .. } => {
            (Major, "the argument becomes a method of the call: calls passing it positionally stop compiling")
        }
        What::ArgRetyped { .. } => (Major, "the argument's type changes"),
        What::ArgsReordered { .. } => (Major, "positional arguments change places"),
        What::ReturnsChanged { .. } => (Major, "the method returns another type"),
        What::ErrorChanged { .. } => (Major, "the method's error type changes"),
        What::SecurityChanged { .. } => (Minor, "which credential is sent changes; no Rust signature does"),
        What::TypeAdded { .. } => (Minor, "a new type"),
        What::TypeRemoved { .. } => (Major, "code naming the type no longer compiles"),
        What::KindChanged { .. } => (Major, "the type is another kind of item"),
        What::FieldAdded { open: true, required: true, side, .. } if side != "response" => {
            (Major, "`new` takes one more argument: every call of it must pass the new field")
        }
        What::FieldAdded { open: true, .. } => {
            (Minor, "the struct is `#[non_exhaustive]`: no dependent builds it with a literal")
        }
        What::FieldAdded { required: true, .. } => (Major, "every struct literal must set the new field"),
        What::FieldAdded { default: true, .. } => (
            Major,
            "a struct literal without `..` no longer compiles (cargo-semver-checks: \
             constructible_struct_adds_field); literals ending in `..Default::default()` still do",
        ),
        What::FieldAdded { .. } => (Major, "every struct literal must set the new field"),
        What::FieldRemoved { .. } => (Major, "code reading or setting the field no longer compiles"),
        What::FieldRequired { side, .. } if side == "response" => {
            (Major, "the field's type loses its `Option`: code matching `Some(..)` no longer compiles")
        }
        What::FieldRequired { .. } => {
            (Major, "the field loses its `Option` and becomes an argument of `new`: every call of it must pass it")
        }
        What::FieldOptional { .. } => (Major, "the field becomes an `Option`"),
        What::FieldRetyped { .. } => (Major, "the field's type changes"),
        What::WireNameChanged { .. } => (Minor, "same field, another property name on the wire"),
        What::DefaultLost => (Major, "`..Default::default()` and `::default()` no longer compile"),
        What::DefaultGained => (Minor, "now implements `Default`"),
        What::Opened => (
            Major,
            "struct literals outside the crate no longer compile (one a request reaches is built with `new` and \
             its methods)",
        ),
        What::Closed => (Minor, "no longer `#[non_exhaustive]` (a request reaches it): it can be built with a literal"),
        What::VariantAdded { kind, open: true, .. } if kind == "enum" => (
            Minor,
            "the enum is `#[non_exhaustive]`, so matches already have a wildcard arm; a value that \
             decoded as `Other(..)` now decodes as this variant",
        ),
        What::VariantAdded { open: true, .. } => {
            (Minor, "the enum is `#[non_exhaustive]`, so matches already have a wildcard arm")
        }
        What::VariantAdded { .. } => (Major, "exhaustive matches miss the new variant"),
        What::VariantRemoved { .. } => (Major, "code naming the variant no longer compiles"),
        What::VariantRetyped { kind, .. } if kind == "enum" => (Minor, "same variant, another value on the wire"),
        What::VariantRetyped { .. } => (Major, "the variant's payload type changes"),
        What::TargetChanged { .. } => (Major, "the type stands for another type"),
        What::StatusesChanged { .. } => (Minor, "other statuses decode as the documented error; same type"),
        What::AuthAdded { .. } => (Minor, "`Auth` is `#[non_exhaustive]`: a new variant is compatible"),
        What::AuthRemoved { .. } => (Major, "code naming the `Auth` variant no longer compiles"),
        What::AuthChanged { .. } => (Minor, "the credential is sent differently; same Rust item"),
        What::ServerUrlChanged { .. } => (Minor, "the default endpoint changes; no Rust item does"),
        What::ServerValueAdded => (Minor, "the enum is `#[non_exhaustive]`: a new variant is compatible"),
        What::ServerValueRemoved => (Major, "code naming the variant no longer compiles"),
        What::DocChanged => (Patch, "documentation only"),
    };
    (level, why.to_string())
}
