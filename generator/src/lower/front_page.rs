//! The call the crate's front page shows: an operation every user of the crate could make,
//! with values made up for its arguments.

use crate::model::{FrontPage, Operation, Sample, SuccessType, TypeDef, TypeKind, TypeRef, VariantShape};

/// The operation that shows the most (an optional parameter, a typed error), among those whose
/// arguments take made-up values: GET first, then in method order.
pub(super) fn choose(operations: &[Operation], types: &[TypeDef]) -> Option<FrontPage> {
    let mut best: Option<(u8, FrontPage)> = None;
    for op in operations {
        let Some(page) = page(op, types) else { continue };
        let score = u8::from(page.setter.is_some()) * 4
            + u8::from(page.error.is_some()) * 2
            + u8::from(op.http_method == crate::model::HttpMethod::Get);
        if best.as_ref().is_none_or(|(top, _)| score > *top) {
            best = Some((score, page));
        }
    }
    best.map(|(_, page)| page)
}

fn page(op: &Operation, types: &[TypeDef]) -> Option<FrontPage> {
    if op.body.as_ref().is_some_and(|b| b.required) || op.deprecated {
        return None;
    }
    // Streams print nothing useful with `{:?}`.
    if let SuccessType::Body(p) = &op.success_type {
        if matches!(p.encoding, crate::model::Encoding::Bytes | crate::model::Encoding::EventStream) {
            return None;
        }
    }
    let args = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| sample(&p.ty, p.wire_name.as_str()))
        .collect::<Option<Vec<_>>>()?;
    let setter = op
        .params
        .iter()
        .filter(|p| !p.required && !p.is_idempotency_key())
        .find_map(|p| Some((p.setter.clone()?, sample(&p.ty, p.wire_name.as_str())?)));
    let error = op.error_type.as_ref().and_then(|name| {
        let def = types.iter().find(|t| &t.name == name)?;
        let TypeKind::OperationError(errors) = &def.kind else { return None };
        let variant = errors.variants.first()?;
        let shape = match (variant.status.is_many(), variant.body.is_some()) {
            (false, false) => VariantShape::Unit,
            (false, true) => VariantShape::Body,
            (true, true) => VariantShape::StatusAndBody,
            (true, false) => VariantShape::Status,
        };
        Some((name.clone(), variant.name.clone(), shape))
    });
    let unit = op.success_type == SuccessType::Unit;
    Some(FrontPage { method: op.method_name.clone(), feature: op.feature.clone(), args, setter, error, unit })
}

/// A value of `ty`, for a parameter named `name`, when it is a plain one.
fn sample(ty: &TypeRef, name: &str) -> Option<Sample> {
    match ty {
        TypeRef::String => Some(Sample::Text(format!(
            "my-{}",
            name.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        ))),
        TypeRef::Int(_) => Some(Sample::Int),
        TypeRef::Bool => Some(Sample::Bool),
        _ => None,
    }
}
