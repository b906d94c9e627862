//! How a query parameter is written. The generator decides it per parameter from the same
//! definition (it depends on this crate without its HTTP client) that the client encodes by.
// Each API uses a subset of the styles.
#![allow(dead_code)]

/// How a query parameter is written: OpenAPI's `style`, with `explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryStyle {
    /// `id=1&id=2`, an object's properties as parameters of their own (`form`, exploded: the
    /// default).
    Form,
    /// `id=1,2`, `point=x,1,y,2` (`form`, `explode: false`).
    FormJoined,
    /// `id=1%202` (`spaceDelimited`).
    SpaceDelimited,
    /// `id=1|2` (`pipeDelimited`).
    PipeDelimited,
    /// `point[x]=1&point[y]=2` (`deepObject`).
    DeepObject,
    /// `point={"x":1,"y":2}`: the value as JSON text (a parameter with `content:
    /// application/json`).
    Json,
}
