//! Doc comments from the document's text.

use proc_macro2::TokenStream;
use quote::quote;

pub use crate::escape::prose;

/// `#[doc]` attributes for `text`, one per line so it reads as `///` comments. Blank lines
/// in a row are one: a paragraph break says no more.
pub fn doc(text: &str) -> TokenStream {
    let mut previous_blank = false;
    let text = prose(text);
    let lines = text.trim().lines().filter_map(|line| {
        let line = expand_tabs(line.trim_end());
        let blank = line.is_empty();
        if blank && std::mem::replace(&mut previous_blank, true) {
            return None;
        }
        previous_blank = blank;
        let line = if blank { String::new() } else { format!(" {line}") };
        Some(quote! { #[doc = #line] })
    });
    quote! { #(#lines)* }
}

/// `line` with each tab replaced by the spaces up to the next multiple of four columns, so
/// columns still line up: tabs in doc comments are clippy's `tabs_in_doc_comments`, and
/// documents have them (a DNS zone file in a description).
pub fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 4 - column % 4;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

/// The doc of an item: the document's text, or `fallback` so no public item is undocumented.
pub fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => doc(text),
        None => doc(fallback),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_become_spaces_to_the_next_stop() {
        assert_eq!(expand_tabs("@\tIN\tSOA"), "@   IN  SOA");
        assert_eq!(expand_tabs("\tx"), "    x");
        assert_eq!(expand_tabs("no tabs"), "no tabs");
        assert!(!doc("$TTL\t3600").to_string().contains('\t'));
    }

    /// rustc refuses a bare carriage return in a doc comment and denies bidirectional controls
    /// in comments; other controls have no business in prose either. Printed as comments, the
    /// doc attributes of hostile text hold none of them, and what they were stays visible.
    #[test]
    fn hostile_characters_become_visible_escapes() {
        let text = "one\r\ntwo\rthree \u{202E}rev\u{202C} \u{2066}iso\u{2069} nul\0 bell\u{7} del\u{7f} c1\u{85}";
        let docs = doc(text);
        let item: syn::Item = syn::parse2(quote! { #docs struct X; }).unwrap();
        let file = syn::File { shebang: None, attrs: Vec::new(), items: vec![item] };
        let printed = prettyplease::unparse(&file);
        assert!(
            !printed.chars().any(
                |c| (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            ),
            "{printed:?}"
        );
        for line in [
            "/// one",
            "/// two",
            "/// three \\u{202e}rev\\u{202c} \\u{2066}iso\\u{2069} nul\\u{0} bell\\u{7} del\\u{7f} c1\\u{85}",
        ] {
            assert!(printed.lines().any(|l| l == line), "{line:?} in {printed}");
        }
    }

    #[test]
    fn blank_lines_in_a_row_are_one() {
        let lines = |text: &str| doc(text).to_string().matches("doc =").count();
        assert_eq!(lines("a\n\n\n\nb"), 3);
        assert_eq!(lines("a\n\nb\n\nc"), 5);
        assert_eq!(lines("\n\na\n\n"), 1);
    }
}
