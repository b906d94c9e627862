//! Decoding of JSON objects into the generated structs.
//!
//! serde's derived `Deserialize` gives every struct a field enum with its own visitor, a
//! sequence visitor and a map visitor; that code is most of what rustc spends on a generated
//! crate. A generated struct instead implements [`FromMap`]: one loop matching each key
//! against the property names, with the visitor written once here. What it accepts is what the
//! derive accepted from JSON: properties in any order, unknown ones skipped (or kept, for a
//! struct with `additionalProperties`), a missing `Option` field as `None`, the last of a
//! repeated key. It accepts only objects (the derive also took arrays of the fields in
//! order, which no JSON API sends).
// An API without objects uses none of this.
#![allow(dead_code)]

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// A struct decoded from the properties of an object.
pub(crate) trait FromMap: Sized {
    /// The struct's name, for the error when the value is not an object.
    const NAME: &'static str;

    /// Reads every property of `map` and builds the struct.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// What a generated struct's `Deserialize::deserialize` does.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: FromMap>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromMap> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// The name of a property: borrowed from the input when it holds the name unescaped.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Deref for Key<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(key))
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key.to_owned()))
    }

    fn visit_string<E: Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(key))
    }
}

/// The value of a required property, or the error naming it when the object lacked it. `map`
/// is the object being read, there for its error type.
pub(crate) fn required<'de, A: MapAccess<'de>, T>(
    _map: &A,
    slot: Option<T>,
    name: &'static str,
) -> Result<T, A::Error> {
    slot.ok_or_else(|| A::Error::missing_field(name))
}

/// Reads past the value of a property the struct does not know.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}
