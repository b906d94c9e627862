//! What each type derives and implements, decided once for emit and the change report.

use crate::model::{Decode, FieldKind, Traits, TypeDef, TypeKind, TypeRef};

/// Sets the traits of every type; `extra` (the configuration's derives) goes on every type a
/// schema defines.
pub fn decide(defs: &mut [TypeDef], extra: &[String]) {
    for def in defs {
        def.traits = traits(&def.kind, extra);
    }
}

fn traits(kind: &TypeKind, extra: &[String]) -> Traits {
    let list = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let mut from_schema = true;
    let mut traits = match kind {
        TypeKind::Struct(s) => {
            // Every optional property absent, the map of extra properties empty.
            let default =
                s.fields.iter().all(|f| !f.required() || (f.is_flattened() && matches!(f.ty, TypeRef::Map(_))));
            // serde's derive is kept only where a union's properties are flattened in: it
            // buffers the object and hands the union what the struct's own properties leave.
            let flattens_union = s.fields.iter().any(|f| matches!(f.kind, FieldKind::Variant));
            let mut derives = list(&["Debug", "Clone", "PartialEq"]);
            if default {
                derives.push("Default".into());
            }
            derives.push("serde::Serialize".into());
            if flattens_union {
                derives.push("serde::Deserialize".into());
            }
            let decode = if flattens_union { Decode::Other } else { Decode::FromMap };
            Traits { derives, non_exhaustive: true, default, from_str: false, decode }
        }
        // Its wire form is its `as_str`, so its serde impls are written out.
        TypeKind::Enum(_) => Traits {
            derives: list(&["Debug", "Clone", "PartialEq", "Eq", "Hash"]),
            non_exhaustive: true,
            from_str: true,
            ..Traits::default()
        },
        // An untagged union serializes as its variant; a tagged one writes its tag itself.
        TypeKind::Union(u) if u.tag.is_none() => Traits {
            derives: list(&["Debug", "Clone", "PartialEq", "serde::Serialize"]),
            non_exhaustive: true,
            ..Traits::default()
        },
        TypeKind::Union(_) => {
            Traits { derives: list(&["Debug", "Clone", "PartialEq"]), non_exhaustive: true, ..Traits::default() }
        }
        TypeKind::Newtype(_) => Traits {
            derives: list(&["Debug", "Clone", "PartialEq", "serde::Serialize", "serde::Deserialize"]),
            ..Traits::default()
        },
        TypeKind::Alias(_) => {
            from_schema = false;
            Traits::default()
        }
        // Errors have `Display`; successes are printed by the command-line client.
        // The shared generic `StatusError` of the runtime, named for the operation.
        TypeKind::StatusError { .. } => {
            from_schema = false;
            Traits::default()
        }
        TypeKind::OperationError(_) => {
            from_schema = false;
            Traits { derives: list(&["Debug", "Clone", "PartialEq"]), non_exhaustive: true, ..Traits::default() }
        }
        TypeKind::OperationSuccess(_) => {
            from_schema = false;
            Traits {
                derives: list(&["Debug", "Clone", "PartialEq", "serde::Serialize"]),
                non_exhaustive: true,
                ..Traits::default()
            }
        }
        TypeKind::ResponseHeaders(_) => {
            from_schema = false;
            Traits {
                derives: list(&["Debug", "Clone", "PartialEq", "Default"]),
                non_exhaustive: true,
                default: true,
                ..Traits::default()
            }
        }
    };
    if from_schema {
        for derive in extra {
            if !traits.derives.contains(derive) {
                traits.derives.push(derive.clone());
            }
        }
    }
    traits
}
