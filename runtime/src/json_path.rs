//! Where in a JSON text a decoding error happened, as a property path (`data[0].start_time`).
//!
//! serde_json reports a line and column; the path is found by scanning the text up to there,
//! only once decoding has failed. `serde_path_to_error` would track it while decoding, but it
//! wraps the deserializer: every type's `Deserialize` would be compiled a second time for the
//! wrapper (decoding is most of a generated crate's compile time), and every successful decode
//! would pay for the tracking (a `String` per key).

/// A step of a path: a property of an object or an item of an array.
enum Step {
    /// The key of the property being read, once it has been read.
    Object(Option<String>),
    Array(usize),
}

/// The path to the value at `line` and `column` (1-based, as serde_json counts) of `text`:
/// `data[0].start_time`, `["odd key"]`, or `` (empty) for the whole body.
pub(crate) fn path_at(text: &[u8], line: usize, column: usize) -> String {
    let end = offset(text, line, column).min(text.len());
    let mut steps: Vec<Step> = Vec::new();
    let mut i = 0;
    while i < end {
        match text[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
                // A key is a string read where a key is expected: after `{` or a `,` in an object.
                if let Some(Step::Object(key @ None)) = steps.last_mut() {
                    let raw = text.get(start..=i).unwrap_or(&text[start..]);
                    *key = Some(
                        serde_json::from_slice::<String>(raw)
                            .unwrap_or_else(|_| String::from_utf8_lossy(raw).trim_matches('"').to_string()),
                    );
                }
            }
            b'{' => steps.push(Step::Object(None)),
            b'[' => steps.push(Step::Array(0)),
            // An error reported at a closing bracket is about that object or array itself (a
            // property it lacks, a length): its own place, not its last member's.
            b'}' if i + 1 == end => {
                if let Some(Step::Object(key)) = steps.last_mut() {
                    *key = None;
                }
            }
            b'}' | b']' => {
                steps.pop();
            }
            b',' => match steps.last_mut() {
                Some(Step::Object(key)) => *key = None,
                Some(Step::Array(index)) => *index += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for step in &steps {
        match step {
            Step::Object(Some(key)) if is_plain(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Step::Object(Some(key)) => {
                path.push('[');
                path.push_str(&serde_json::to_string(key).unwrap_or_default());
                path.push(']');
            }
            Step::Object(None) => {}
            Step::Array(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// The byte offset of a 1-based line and column.
fn offset(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(newline) => start += newline + 1,
            None => return text.len(),
        }
    }
    start + column
}

fn is_plain(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '$' || c == '@')
}

/// A serde_json error, with the path to where it happened when it is about the data:
/// `data[0].start_time: premature end of input at line 1 column 40`.
pub(crate) fn describe(error: &serde_json::Error, text: &[u8]) -> String {
    use serde_json::error::Category;
    match error.classify() {
        Category::Data => match path_at(text, error.line(), error.column()) {
            path if path.is_empty() => error.to_string(),
            path => format!("{path}: {error}"),
        },
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        name: String,
        size: u32,
    }

    fn error(text: &str) -> String {
        let e = serde_json::from_str::<Page>(text).unwrap_err();
        describe(&e, text.as_bytes())
    }

    #[test]
    fn decode_errors_name_the_property() {
        assert!(
            error(r#"{"data": [{"name": "a", "size": 1}, {"name": "b", "size": "big"}]}"#)
                .starts_with("data[1].size: invalid type: string \"big\", expected u32"),
            "{}",
            error(r#"{"data": [{"name": "a", "size": 1}, {"name": "b", "size": "big"}]}"#)
        );
        // A missing property is reported at the end of its object: the object is the place.
        assert!(error(r#"{"data": [{"name": "a"}]}"#).starts_with("data[0]: missing field `size`"));
        assert!(
            error("{\n  \"data\": [\n    {\"name\": 7, \"size\": 1}\n  ]\n}").starts_with("data[0].name: invalid type")
        );
        // Strings with brackets, escapes and commas do not confuse the scan.
        assert!(error(r#"{"data": [{"name": "a,[{\"", "size": -1}]}"#).starts_with("data[0].size: invalid value"));
    }

    #[test]
    fn odd_keys_are_quoted_and_syntax_errors_have_no_path() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Odd {
            #[serde(rename = "a b")]
            a_b: u8,
        }
        let text = r#"{"a b": "x"}"#;
        let e = serde_json::from_str::<Odd>(text).unwrap_err();
        assert!(describe(&e, text.as_bytes()).starts_with(r#"["a b"]: invalid type"#));
        let text = r#"{"data": [}"#;
        let e = serde_json::from_str::<Page>(text).unwrap_err();
        assert!(describe(&e, text.as_bytes()).starts_with("expected value at line 1"));
        let e = serde_json::from_str::<Page>("[]").unwrap_err();
        assert!(describe(&e, b"[]").starts_with("invalid length 0"));
    }
}
