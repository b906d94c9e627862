//! A response body the document offers as JSON and in other media types.

/// A body the document offers as JSON and in other media types for one response (JSON or
/// `text/csv`, say): the one the server sent, chosen by its `Content-Type`. The request's
/// `Accept` lists them all, JSON first.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Content<T> {
    /// A JSON body, decoded.
    Json(T),
    /// A text body (`text/*`), as it came.
    Text {
        /// The `Content-Type` it came with.
        content_type: String,
        /// The body.
        text: String,
    },
    /// Any other body, as it came.
    Bytes {
        /// The `Content-Type` it came with.
        content_type: String,
        /// The body.
        bytes: Vec<u8>,
    },
}

impl<T> Content<T> {
    /// The decoded JSON body, if that is what came.
    pub fn json(&self) -> Option<&T> {
        match self {
            Content::Json(value) => Some(value),
            _ => None,
        }
    }

    /// The decoded JSON body, if that is what came.
    pub fn into_json(self) -> Option<T> {
        match self {
            Content::Json(value) => Some(value),
            _ => None,
        }
    }

    /// The body's media type, when it is not JSON.
    pub fn content_type(&self) -> Option<&str> {
        match self {
            Content::Json(_) => None,
            Content::Text { content_type, .. } | Content::Bytes { content_type, .. } => Some(content_type),
        }
    }
}

/// JSON as the value, text as a string, bytes as an array of numbers: for a body that is one
/// of several an operation's success enum holds, printed by the command-line client.
impl<T: serde::Serialize> serde::Serialize for Content<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Content::Json(value) => value.serialize(serializer),
            Content::Text { text, .. } => serializer.serialize_str(text),
            Content::Bytes { bytes, .. } => serializer.serialize_bytes(bytes),
        }
    }
}
