//! The report of a regeneration, in words: a headline (`breaking`, `compatible` or
//! `no API change`), then one line per change, most serious first.

use super::classify::{classify, Level};
use super::diff::{Change, What};

/// A change with its classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub change: Change,
    pub level: Level,
    pub why: String,
}

/// Classifies `changes`, most serious first, otherwise in the order given.
pub fn classified(changes: Vec<Change>) -> Vec<Classified> {
    let mut out: Vec<Classified> = changes
        .into_iter()
        .map(|change| {
            let (level, why) = classify(&change.what);
            Classified { change, level, why }
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.level));
    out
}

/// The most serious level among `changes`.
pub fn level(changes: &[Classified]) -> Option<Level> {
    changes.iter().map(|c| c.level).max()
}

/// `breaking`, `compatible`, or `no API change` (documentation changes only, or none).
pub fn headline(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Major) => "breaking",
        Some(Level::Minor) => "compatible",
        Some(Level::Patch) | None => "no API change",
    }
}

/// `2 breaking, 1 compatible, 1 documentation`.
pub fn counts(changes: &[Classified]) -> String {
    let count = |level| changes.iter().filter(|c| c.level == level).count();
    let parts: Vec<String> =
        [(Level::Major, "breaking"), (Level::Minor, "compatible"), (Level::Patch, "documentation")]
            .into_iter()
            .filter(|(level, _)| count(*level) > 0)
            .map(|(level, word)| format!("{} {word}", count(level)))
            .collect();
    if parts.is_empty() {
        "no changes".into()
    } else {
        format!("{} change{}", parts.join(", "), if changes.len() == 1 { "" } else { "s" })
    }
}

/// One line: `- breaking: response field `Pet.name` removed (was `String`): why [pointer]`.
pub fn line(c: &Classified) -> String {
    format!("- {}: {}: {} [{}]", c.level.as_str(), describe(&c.change), c.why, c.change.pointer)
}

fn side(side: &str) -> &str {
    match side {
        "both" => "request and response",
        "neither" => "unused",
        side => side,
    }
}

/// What happened to the item, in words.
pub fn describe(change: &Change) -> String {
    let item = &change.item;
    match &change.what {
        What::SpecVersion { from, to } => format!("info.version `{from}` → `{to}`"),
        What::OperationAdded { http } => format!("method `{item}` added (`{http}`)"),
        What::OperationRemoved { http } => format!("method `{item}` removed (`{http}`)"),
        What::OperationRenamed { from, from_id, to_id, http } => {
            format!("method `{from}` renamed to `{item}` (`{http}`, operationId `{from_id}` → `{to_id}`)")
        }
        What::OperationIdChanged { from, to } => format!("`{item}`: operationId `{from}` → `{to}`"),
        What::HttpChanged { from, to } => format!("`{item}`: `{from}` → `{to}`"),
        What::Deprecated => format!("method `{item}` deprecated"),
        What::ArgAdded { ty, required: true } => format!("`{item}`: argument added, `{ty}`"),
        What::ArgAdded { ty, required: false } => format!("`{item}`: optional parameter added, `{ty}`"),
        What::ArgRemoved { ty } => format!("`{item}`: argument removed (was `{ty}`)"),
        What::ArgRequired { from, to } => format!("`{item}`: argument turned required, `{from}` → `{to}`"),
        What::ArgOptional { from, to } => format!("`{item}`: argument turned optional, `{from}` → `{to}`"),
        What::ArgRetyped { from, to } => format!("`{item}`: argument retyped, `{from}` → `{to}`"),
        What::ArgsReordered { from, to } => format!("`{item}`: arguments reordered, ({from}) → ({to})"),
        What::ReturnsChanged { from, to } => format!("`{item}`: returns `{to}` instead of `{from}`"),
        What::ErrorChanged { from, to } => format!("`{item}`: error type `{from}` → `{to}`"),
        What::SecurityChanged { from, to } => format!("`{item}`: credentials {from} → {to}"),
        What::TypeAdded { kind } => format!("type `{item}` added ({kind})"),
        What::TypeRemoved { kind } => format!("type `{item}` removed ({kind})"),
        What::KindChanged { from, to } => format!("type `{item}`: {from} → {to}"),
        What::FieldAdded { ty, required, side: s, .. } => {
            let how = if *required { "required" } else { "optional" };
            format!("{} field `{item}` added, {how}: `{ty}`", side(s))
        }
        What::FieldRemoved { ty, side: s } => format!("{} field `{item}` removed (was `{ty}`)", side(s)),
        What::FieldRequired { from, to, side: s } => {
            format!("{} field `{item}` turned required, `{from}` → `{to}`", side(s))
        }
        What::FieldOptional { from, to, side: s } => {
            format!("{} field `{item}` turned optional, `{from}` → `{to}`", side(s))
        }
        What::FieldRetyped { from, to, side: s } => format!("{} field `{item}` retyped, `{from}` → `{to}`", side(s)),
        What::WireNameChanged { from, to } => format!("field `{item}`: property `{from}` → `{to}`"),
        What::DefaultLost => format!("`{item}` no longer implements `Default`"),
        What::DefaultGained => format!("`{item}` implements `Default`"),
        What::Opened => format!("`{item}` is now `#[non_exhaustive]`"),
        What::Closed => format!("`{item}` is no longer `#[non_exhaustive]`"),
        What::VariantAdded { kind, payload, .. } => {
            let payload = match kind.as_str() {
                "enum" => format!(" (`\"{payload}\"`)"),
                _ if payload.is_empty() => String::new(),
                _ => format!(" (`{payload}`)"),
            };
            format!("{kind} variant `{item}` added{payload}")
        }
        What::VariantRemoved { kind } => format!("{kind} variant `{item}` removed"),
        What::VariantRetyped { from, to, .. } => format!("variant `{item}`: `{from}` → `{to}`"),
        What::TargetChanged { from, to } => format!("`{item}` stands for `{to}` instead of `{from}`"),
        What::StatusesChanged { from, to } => format!("`{item}`: documented statuses {from} → {to}"),
        What::AuthAdded { scheme } => format!("`{item}` added ({scheme})"),
        What::AuthRemoved { scheme } => format!("`{item}` removed ({scheme})"),
        What::AuthChanged { from, to } => format!("`{item}`: {from} → {to}"),
        What::ServerUrlChanged { from, to } => format!("default server `{from}` → `{to}`"),
        What::ServerValueAdded => format!("server value `{item}` added"),
        What::ServerValueRemoved => format!("server value `{item}` removed"),
        What::DocChanged => format!("doc of `{item}` changed"),
    }
}
