//! Problems found in a document, each tied to where it is.

use std::fmt;

/// One problem (or warning), with its location: a JSON pointer into the document, or a
/// line and column for syntax errors.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file the problem is in, as the user named it.
    pub file: String,
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A JSON pointer such as `#/paths/~1ai~1api-key/get`.
    Pointer(String),
    LineColumn {
        line: usize,
        column: usize,
    },
    /// The whole file (it could not be read, or is empty).
    File,
}

impl Diagnostic {
    /// The location as written in messages (`#/a/b`, `3:5`, or empty for the whole file).
    pub fn location_text(&self) -> String {
        match &self.location {
            Location::Pointer(pointer) => pointer.clone(),
            Location::LineColumn { line, column } => format!("{line}:{column}"),
            Location::File => String::new(),
        }
    }

    pub fn at(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: file.to_string(), location: Location::Pointer(pointer.into()), message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Pointer(pointer) => write!(f, "{}: {}: {}", self.file, pointer, self.message),
            Location::LineColumn { line, column } => {
                write!(f, "{}:{}:{}: {}", self.file, line, column, self.message)
            }
            Location::File => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem that stopped generation; there is at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins segments into a pointer: `["paths", "/a", "get"]` → `#/paths/~1a/get`.
pub fn pointer<'a>(segments: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("#");
    for s in segments {
        out.push('/');
        out.push_str(&escape(s));
    }
    out
}
