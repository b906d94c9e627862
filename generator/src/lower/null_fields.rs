//! Optional fields whose type has a `null` of its own: once every type is known, since a
//! field may name a union lowered after it.

use std::collections::HashMap;

use crate::model::{TypeDef, TypeKind, TypeRef};

/// Marks the optional fields that read a present `null` as a value of their type rather than
/// as an absent field (`Field::takes_null`).
pub(super) fn mark(defs: &mut [TypeDef]) {
    let index: HashMap<&str, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.as_str(), i)).collect();
    let mut marks = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        for (j, field) in s.fields.iter().enumerate() {
            let optional = field.property().is_some_and(|p| !p.required);
            if optional && has_null(defs, &index, &field.ty) {
                marks.push((i, j));
            }
        }
    }
    for (i, j) in marks {
        if let TypeKind::Struct(s) = &mut defs[i].kind {
            s.fields[j].takes_null = true;
        }
    }
}

/// Whether `null` decodes into a value of `ty` itself: any JSON value, a union with a `null`
/// member, or an alias of one. A `Nullable` is not: its `null` is the `None` it adds.
fn has_null(defs: &[TypeDef], index: &HashMap<&str, usize>, ty: &TypeRef) -> bool {
    let mut ty = ty;
    // Aliases chain without cycles (lowering refuses a type defined as itself), but a bound
    // keeps a mistake from looping.
    for _ in 0..=defs.len() {
        match ty {
            TypeRef::Json => return true,
            TypeRef::Named(name) => match index.get(name.as_str()).map(|&i| &defs[i].kind) {
                Some(TypeKind::Union(union)) => return union.null.is_some(),
                Some(TypeKind::Alias(target)) => ty = target,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}
