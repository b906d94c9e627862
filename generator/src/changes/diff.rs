//! What changed between two manifests, in Rust terms: each change names the item, what
//! happened to it, and the place in the document it comes from. Classifying is `classify`'s job.

use std::collections::BTreeMap;

use super::manifest::{Manifest, OperationEntry, TypeEntry};

/// One change of the generated crate's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The Rust item (`list_ai_api_keys`, `AiApiKey.name`, `Zone::DeFra1`).
    pub item: String,
    pub what: What,
    /// Where the change comes from in the document (the new one's, or the old one's for
    /// something removed).
    pub pointer: String,
}

/// What happened. Types are written as the generated code writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    SpecVersion {
        from: String,
        to: String,
    },
    OperationAdded {
        http: String,
    },
    OperationRemoved {
        http: String,
    },
    /// The same `METHOD /path` under another operationId, so another method name.
    OperationRenamed {
        from: String,
        from_id: String,
        to_id: String,
        http: String,
    },
    OperationIdChanged {
        from: String,
        to: String,
    },
    HttpChanged {
        from: String,
        to: String,
    },
    Deprecated,
    ArgAdded {
        ty: String,
        required: bool,
    },
    ArgRemoved {
        ty: String,
    },
    ArgRequired {
        from: String,
        to: String,
    },
    ArgOptional {
        from: String,
        to: String,
    },
    ArgRetyped {
        from: String,
        to: String,
    },
    ArgsReordered {
        from: String,
        to: String,
    },
    ReturnsChanged {
        from: String,
        to: String,
    },
    ErrorChanged {
        from: String,
        to: String,
    },
    SecurityChanged {
        from: String,
        to: String,
    },
    TypeAdded {
        kind: String,
    },
    TypeRemoved {
        kind: String,
    },
    KindChanged {
        from: String,
        to: String,
    },
    /// `open`: the struct is `#[non_exhaustive]`; `default`: it implements `Default` (after).
    FieldAdded {
        ty: String,
        required: bool,
        side: String,
        open: bool,
        default: bool,
    },
    FieldRemoved {
        ty: String,
        side: String,
    },
    FieldRequired {
        from: String,
        to: String,
        side: String,
    },
    FieldOptional {
        from: String,
        to: String,
        side: String,
    },
    FieldRetyped {
        from: String,
        to: String,
        side: String,
    },
    WireNameChanged {
        from: String,
        to: String,
    },
    DefaultLost,
    DefaultGained,
    /// Now `#[non_exhaustive]` (its values only come from responses now).
    Opened,
    /// No longer `#[non_exhaustive]` (a request reaches it now).
    Closed,
    /// `kind` is the enum's: `enum`, `union`, `error` or `success`.
    VariantAdded {
        kind: String,
        payload: String,
        open: bool,
    },
    VariantRemoved {
        kind: String,
    },
    VariantRetyped {
        kind: String,
        from: String,
        to: String,
    },
    TargetChanged {
        from: String,
        to: String,
    },
    StatusesChanged {
        from: String,
        to: String,
    },
    AuthAdded {
        scheme: String,
    },
    AuthRemoved {
        scheme: String,
    },
    AuthChanged {
        from: String,
        to: String,
    },
    ServerUrlChanged {
        from: String,
        to: String,
    },
    ServerValueAdded,
    ServerValueRemoved,
    DocChanged,
}

/// Every change from `old` to `new`, items in name order.
pub fn diff(old: &Manifest, new: &Manifest) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |item: String, what: What, pointer: &str| out.push(Change { item, what, pointer: pointer.into() });
    if old.spec_version != new.spec_version {
        let what = What::SpecVersion { from: old.spec_version.clone(), to: new.spec_version.clone() };
        push("info.version".into(), what, "#/info/version");
    }
    servers(old, new, &mut push);
    auth(old, new, &mut push);
    operations(&old.operations, &new.operations, &mut push);
    types(&old.types, &new.types, &mut push);
    out
}

type Push<'a> = dyn FnMut(String, What, &str) + 'a;

fn servers(old: &Manifest, new: &Manifest, push: &mut Push<'_>) {
    let (Some(old), Some(new)) = (&old.server, &new.server) else {
        if old.server != new.server {
            let url = |m: &Manifest| m.server.as_ref().map_or_else(|| "none".to_string(), |s| s.url.clone());
            push("servers".into(), What::ServerUrlChanged { from: url(old), to: url(new) }, "#/servers");
        }
        return;
    };
    if old.url != new.url {
        push("servers".into(), What::ServerUrlChanged { from: old.url.clone(), to: new.url.clone() }, "#/servers/0");
    }
    for (ty, values) in &new.variables {
        let before = old.variables.get(ty).cloned().unwrap_or_default();
        for value in values.iter().filter(|v| !before.contains(v)) {
            push(format!("{ty}::{value}"), What::ServerValueAdded, "#/servers/0/variables");
        }
    }
    for (ty, values) in &old.variables {
        let after = new.variables.get(ty).cloned().unwrap_or_default();
        for value in values.iter().filter(|v| !after.contains(v)) {
            push(format!("{ty}::{value}"), What::ServerValueRemoved, "#/servers/0/variables");
        }
    }
}

fn auth(old: &Manifest, new: &Manifest, push: &mut Push<'_>) {
    for (variant, scheme) in &new.auth {
        match old.auth.get(variant) {
            None => push(
                format!("Auth::{variant}"),
                What::AuthAdded { scheme: scheme.clone() },
                "#/components/securitySchemes",
            ),
            Some(before) if before != scheme => push(
                format!("Auth::{variant}"),
                What::AuthChanged { from: before.clone(), to: scheme.clone() },
                "#/components/securitySchemes",
            ),
            Some(_) => {}
        }
    }
    for (variant, scheme) in old.auth.iter().filter(|(v, _)| !new.auth.contains_key(*v)) {
        push(format!("Auth::{variant}"), What::AuthRemoved { scheme: scheme.clone() }, "#/components/securitySchemes");
    }
}

fn operations(old: &BTreeMap<String, OperationEntry>, new: &BTreeMap<String, OperationEntry>, push: &mut Push<'_>) {
    // A method gone and one come for the same `METHOD /path` is the operation renamed.
    let gone: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    let mut renamed: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, op) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
        if let Some(before) = gone.iter().find(|g| old[g.as_str()].http == op.http) {
            renamed.insert(before.as_str(), name.as_str());
        }
    }
    for (name, op) in new {
        let before = match old.get(name) {
            Some(before) => before,
            None => match renamed.iter().find(|(_, to)| **to == name.as_str()) {
                Some((from, _)) => {
                    let before = &old[*from];
                    let what = What::OperationRenamed {
                        from: from.to_string(),
                        from_id: before.id.clone(),
                        to_id: op.id.clone(),
                        http: op.http.clone(),
                    };
                    push(name.clone(), what, &op.pointer);
                    // The new operationId is part of the rename.
                    let before = OperationEntry { id: op.id.clone(), ..before.clone() };
                    operation(name, &before, op, push);
                    continue;
                }
                None => {
                    push(name.clone(), What::OperationAdded { http: op.http.clone() }, &op.pointer);
                    continue;
                }
            },
        };
        operation(name, before, op, push);
    }
    for name in gone.into_iter().filter(|g| !renamed.contains_key(g.as_str())) {
        let op = &old[name];
        push(name.clone(), What::OperationRemoved { http: op.http.clone() }, &op.pointer);
    }
}

fn operation(name: &str, old: &OperationEntry, new: &OperationEntry, push: &mut Push<'_>) {
    let at = new.pointer.as_str();
    if old.id != new.id {
        push(name.into(), What::OperationIdChanged { from: old.id.clone(), to: new.id.clone() }, at);
    }
    if old.http != new.http {
        push(name.into(), What::HttpChanged { from: old.http.clone(), to: new.http.clone() }, at);
    }
    if new.deprecated && !old.deprecated {
        push(name.into(), What::Deprecated, at);
    }
    for arg in &new.args {
        let item = format!("{name}({})", arg.name);
        match old.args.iter().find(|a| a.name == arg.name) {
            None => push(item, What::ArgAdded { ty: arg.ty.clone(), required: arg.required }, &arg.pointer),
            Some(before) => {
                let (from, to) = (before.ty.clone(), arg.ty.clone());
                if before.required != arg.required {
                    let what =
                        if arg.required { What::ArgRequired { from, to } } else { What::ArgOptional { from, to } };
                    push(item, what, &arg.pointer);
                } else if before.ty != arg.ty {
                    push(item, What::ArgRetyped { from, to }, &arg.pointer);
                } else if before.doc != arg.doc {
                    push(item, What::DocChanged, &arg.pointer);
                }
            }
        }
    }
    for arg in old.args.iter().filter(|a| !new.args.iter().any(|n| n.name == a.name)) {
        push(format!("{name}({})", arg.name), What::ArgRemoved { ty: arg.ty.clone() }, &arg.pointer);
    }
    // Only required parameters are positional; the others are methods of the call.
    let positional = |args: &[super::manifest::Arg]| args.iter().filter(|a| a.required).cloned().collect::<Vec<_>>();
    let (old_positional, new_positional) = (positional(&old.args), positional(&new.args));
    let (before, after) = (kept_order(&old_positional, &new_positional), kept_order(&new_positional, &old_positional));
    if before != after {
        push(name.into(), What::ArgsReordered { from: before.join(", "), to: after.join(", ") }, at);
    }
    if old.returns != new.returns {
        push(name.into(), What::ReturnsChanged { from: old.returns.clone(), to: new.returns.clone() }, at);
    }
    if old.error != new.error {
        push(name.into(), What::ErrorChanged { from: old.error.clone(), to: new.error.clone() }, at);
    }
    if old.security != new.security {
        let show = |s: &[String]| if s.is_empty() { "none".to_string() } else { s.join(" or ") };
        push(name.into(), What::SecurityChanged { from: show(&old.security), to: show(&new.security) }, at);
    }
    if old.doc != new.doc {
        push(name.into(), What::DocChanged, at);
    }
}

fn types(old: &BTreeMap<String, TypeEntry>, new: &BTreeMap<String, TypeEntry>, push: &mut Push<'_>) {
    for (name, ty) in new {
        match old.get(name) {
            None => push(name.clone(), What::TypeAdded { kind: ty.kind.clone() }, &ty.pointer),
            Some(before) if before.kind != ty.kind => {
                push(name.clone(), What::KindChanged { from: before.kind.clone(), to: ty.kind.clone() }, &ty.pointer)
            }
            Some(before) => type_def(name, before, ty, push),
        }
    }
    for (name, ty) in old.iter().filter(|(k, _)| !new.contains_key(*k)) {
        push(name.clone(), What::TypeRemoved { kind: ty.kind.clone() }, &ty.pointer);
    }
}

fn type_def(name: &str, old: &TypeEntry, new: &TypeEntry, push: &mut Push<'_>) {
    let at = new.pointer.as_str();
    if new.non_exhaustive && !old.non_exhaustive {
        push(name.into(), What::Opened, at);
    } else if old.non_exhaustive && !new.non_exhaustive {
        push(name.into(), What::Closed, at);
    }
    if old.default && !new.default {
        push(name.into(), What::DefaultLost, at);
    } else if new.default && !old.default {
        push(name.into(), What::DefaultGained, at);
    }
    let side = new.side.clone();
    for (field, f) in &new.fields {
        let item = format!("{name}.{field}");
        let Some(before) = old.fields.get(field) else {
            let what = What::FieldAdded {
                ty: f.ty.clone(),
                required: f.required,
                side: side.clone(),
                open: new.non_exhaustive,
                default: new.default,
            };
            push(item, what, &f.pointer);
            continue;
        };
        let (from, to, side) = (before.ty.clone(), f.ty.clone(), side.clone());
        if before.required != f.required {
            let what = if f.required {
                What::FieldRequired { from, to, side }
            } else {
                What::FieldOptional { from, to, side }
            };
            push(item.clone(), what, &f.pointer);
        } else if before.ty != f.ty {
            push(item.clone(), What::FieldRetyped { from, to, side }, &f.pointer);
        }
        if before.wire != f.wire {
            push(item.clone(), What::WireNameChanged { from: before.wire.clone(), to: f.wire.clone() }, &f.pointer);
        }
        if before.doc != f.doc {
            push(item, What::DocChanged, &f.pointer);
        }
    }
    for (field, f) in old.fields.iter().filter(|(k, _)| !new.fields.contains_key(*k)) {
        push(format!("{name}.{field}"), What::FieldRemoved { ty: f.ty.clone(), side: old.side.clone() }, &f.pointer);
    }
    if new.kind == "status-error" {
        if old.variants != new.variants {
            let show = |v: &BTreeMap<String, String>| v.keys().cloned().collect::<Vec<_>>().join(", ");
            push(name.into(), What::StatusesChanged { from: show(&old.variants), to: show(&new.variants) }, at);
        }
    } else {
        for (variant, payload) in &new.variants {
            let item = format!("{name}::{variant}");
            match old.variants.get(variant) {
                None => {
                    let what = What::VariantAdded {
                        kind: new.kind.clone(),
                        payload: payload.clone(),
                        open: new.non_exhaustive,
                    };
                    push(item, what, at);
                }
                Some(before) if before != payload => push(
                    item,
                    What::VariantRetyped { kind: new.kind.clone(), from: before.clone(), to: payload.clone() },
                    at,
                ),
                Some(_) => {}
            }
        }
        for variant in old.variants.keys().filter(|k| !new.variants.contains_key(*k)) {
            push(format!("{name}::{variant}"), What::VariantRemoved { kind: old.kind.clone() }, at);
        }
    }
    if old.target != new.target {
        push(name.into(), What::TargetChanged { from: old.target.clone(), to: new.target.clone() }, at);
    }
    if old.doc != new.doc {
        push(name.into(), What::DocChanged, at);
    }
}

/// The names of `args` that `other` has too, in `args`' order.
fn kept_order(args: &[super::manifest::Arg], other: &[super::manifest::Arg]) -> Vec<String> {
    args.iter().filter(|a| other.iter().any(|o| o.name == a.name)).map(|a| a.name.clone()).collect()
}
