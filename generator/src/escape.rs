//! The document's text made safe for the file it lands in. Literals escape themselves
//! (`Literal::string`); comments cannot, and prettyplease prints doc attributes as `///`
//! comments, where rustc refuses a bare carriage return and denies the bidirectional controls
//! (`text_direction_codepoint_in_comment`). A header line, a TOML comment or an HTML comment
//! ends at a newline, `*/` or `-->`.

use std::borrow::Cow;

/// The bidirectional embeddings, overrides, isolates and marks: they make text display in an
/// order other than the one compilers read.
pub(crate) fn bidirectional(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Prose for doc comments: line breaks of every kind become `\n`, and the other controls (a tab
/// aside) and the bidirectional characters become visible escapes (`\u{202e}`), so that what
/// the document held can still be read.
pub fn prose(text: &str) -> Cow<'_, str> {
    let hostile = |c: char| (c.is_control() && c != '\n' && c != '\t') || bidirectional(c);
    if !text.chars().any(hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            c if hostile(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text that must stay on one line of a comment of any kind (a file's header names its
/// source with it): every control and bidirectional character as a visible escape, and the
/// ends of block and HTML comments broken.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || bidirectional(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out.replace("*/", "*\\/").replace("-->", "--\\>")
}

#[cfg(test)]
mod tests {
    use super::{one_line, prose};

    #[test]
    fn prose_keeps_lines_and_shows_the_rest() {
        assert_eq!(prose("a\r\nb\rc\nd\te"), "a\nb\nc\nd\te");
        assert_eq!(prose("x\u{202E}y\0z\u{85}"), "x\\u{202e}y\\u{0}z\\u{85}");
        assert!(matches!(prose("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn one_line_is_one_line_of_any_comment() {
        assert_eq!(one_line("dir\n\"x\" */ --> \u{2066}.yaml\t"), "dir\\u{a}\"x\" *\\/ --\\> \\u{2066}.yaml\\u{9}");
        assert_eq!(one_line("spec/openapi.yaml"), "spec/openapi.yaml");
    }
}
