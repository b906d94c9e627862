//! Path templates: `/ai/ai-api-key/{id}` split into literal text and parameter names.

/// A segment of a template before parameter names are mapped to Rust names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawSegment {
    Literal(String),
    Param(String),
}

/// Splits a path template; the error says what is wrong with it.
pub fn parse(path: &str) -> Result<Vec<RawSegment>, String> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("unmatched `}}` in path template {path:?}"));
        }
        if open > 0 {
            segments.push(RawSegment::Literal(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("unclosed `{{` in path template {path:?}"))?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("invalid parameter name {name:?} in path template {path:?}"));
        }
        segments.push(RawSegment::Param(name.to_string()));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(RawSegment::Literal(rest.to_string()));
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RawSegment::*;

    #[test]
    fn splits_templates() {
        let lit = |s: &str| Literal(s.into());
        let par = |s: &str| Param(s.into());
        let table: &[(&str, Vec<RawSegment>)] = &[
            ("/ai/api-key", vec![lit("/ai/api-key")]),
            ("/ai/ai-api-key/{id}", vec![lit("/ai/ai-api-key/"), par("id")]),
            ("/a/{x}.{y}/b", vec![lit("/a/"), par("x"), lit("."), par("y"), lit("/b")]),
            ("{x}", vec![par("x")]),
        ];
        for (path, want) in table {
            assert_eq!(&parse(path).unwrap(), want, "{path}");
        }
    }

    #[test]
    fn rejects_broken_templates() {
        assert_eq!(parse("/a/{id").unwrap_err(), "unclosed `{` in path template \"/a/{id\"");
        assert_eq!(parse("/a/id}").unwrap_err(), "unmatched `}` in path template \"/a/id}\"");
        assert_eq!(parse("/a/{}").unwrap_err(), "invalid parameter name \"\" in path template \"/a/{}\"");
    }
}
