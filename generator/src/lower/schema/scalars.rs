//! Strings, numbers and enums of values.

use std::borrow::Cow;

use openapiv3::{IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::nulls::is_null_schema;
use crate::lower::Lowerer;
use crate::model::{EnumVariant, IntType, StringEnum, TypeKind, TypeRef};
use crate::names::{self, Scope};

impl Lowerer<'_> {
    /// A choice whose every member is a set of values (`oneOf` of `const`s, as Discord writes
    /// its integer enums): the enum of those strings, or the number type itself, rather than a
    /// union whose variants cannot tell one integer from another.
    pub(super) fn enum_choice(&self, variants: &[ReferenceOr<Schema>]) -> Option<TypeKind> {
        let members: Vec<Cow<'_, Schema>> =
            variants.iter().filter(|v| !is_null_schema(v)).map(|v| self.resolve_schema(v)).collect::<Option<_>>()?;
        if members.len() < 2 {
            return None;
        }
        let mut strings = Vec::new();
        let (mut integers, mut numbers) = (0, 0);
        for member in &members {
            match &member.schema_kind {
                SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                    strings.extend(s.enumeration.iter().flatten().cloned());
                }
                SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => integers += 1,
                SchemaKind::Type(Type::Number(n)) if !n.enumeration.is_empty() => numbers += 1,
                _ => return None,
            }
        }
        let count = members.len();
        if strings.len() >= count && integers + numbers == 0 {
            return Some(TypeKind::Enum(string_enum(strings.iter().map(String::as_str))));
        }
        match (integers, numbers) {
            (i, 0) if i == count => Some(TypeKind::Alias(TypeRef::Int(IntType::I64))),
            (i, n) if i + n == count => Some(TypeKind::Alias(TypeRef::Float)),
            _ => None,
        }
    }
}

pub(super) fn string_enum<'s>(values: impl Iterator<Item = &'s str>) -> StringEnum {
    let mut scope = Scope::default();
    let mut variants: Vec<EnumVariant> = Vec::new();
    // A set, as an enum may have a hundred thousand values.
    let mut seen = std::collections::HashSet::new();
    for value in values {
        if !seen.insert(value) {
            continue;
        }
        variants.push(EnumVariant { name: scope.claim(names::variant(value)), value: value.to_string(), doc: None });
    }
    let other = scope.claim("Other");
    StringEnum { variants, other }
}

pub(super) fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
        _ => TypeRef::String,
    }
}

/// An explicit format wins; otherwise the smallest type that holds both bounds, or `i64`
/// when the range is open.
pub fn int_type(format: &VariantOrUnknownOrEmpty<IntegerFormat>, min: Option<i64>, max: Option<i64>) -> IntType {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => return IntType::I32,
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => return IntType::I64,
        VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
            "int8" => return IntType::I8,
            "int16" => return IntType::I16,
            "uint8" => return IntType::U8,
            "uint16" => return IntType::U16,
            "uint32" => return IntType::U32,
            "uint64" | "uint" => return IntType::U64,
            _ => {}
        },
        VariantOrUnknownOrEmpty::Empty => {}
    }
    match (min, max) {
        (Some(lo), Some(hi)) if lo >= 0 => {
            if hi <= u8::MAX as i64 {
                IntType::U8
            } else if hi <= u16::MAX as i64 {
                IntType::U16
            } else if hi <= u32::MAX as i64 {
                IntType::U32
            } else {
                IntType::U64
            }
        }
        (Some(lo), Some(hi)) if lo >= i32::MIN as i64 && hi <= i32::MAX as i64 => IntType::I32,
        (Some(lo), None) if lo >= 0 => IntType::U64,
        _ => IntType::I64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_sizes() {
        let empty = VariantOrUnknownOrEmpty::Empty;
        assert_eq!(int_type(&empty, Some(100), Some(599)), IntType::U16);
        assert_eq!(int_type(&empty, Some(0), Some(255)), IntType::U8);
        assert_eq!(int_type(&empty, Some(-5), Some(5)), IntType::I32);
        assert_eq!(int_type(&empty, Some(1), None), IntType::U64);
        assert_eq!(int_type(&empty, None, None), IntType::I64);
        assert_eq!(int_type(&VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32), Some(0), Some(9)), IntType::I32);
    }
}
