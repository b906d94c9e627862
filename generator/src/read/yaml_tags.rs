//! YAML tags from the `!!` (core schema) handle, or written in full, reach serde as plain
//! strings: `!!binary aGk=` would be read as the text `aGk=` without a word. libyaml's own
//! events still carry the tag, so the few documents that could have one are scanned for it.

/// The core tags serde_yaml reads as what they say.
const HONOURED: &[&str] = &["str", "int", "float", "bool", "null", "map", "seq"];

/// The line, column (from 1) and spelling of the first tag in `text` that the reader would
/// ignore, if any.
pub fn first_unsupported(text: &str) -> Option<(usize, usize, String)> {
    // Local tags (`!custom`) are refused by serde itself; only these spellings slip past it.
    if !(text.contains("!!") || text.contains("!<") || text.contains("%TAG")) {
        return None;
    }
    let mut parser = std::mem::MaybeUninit::<unsafe_libyaml::yaml_parser_t>::uninit();
    // SAFETY: the parser is initialised before use and deleted once; `text` outlives it; each
    // event is deleted after it is read, and its tag pointer is read only for the event kinds
    // whose union member holds one.
    unsafe {
        let parser = parser.as_mut_ptr();
        if unsafe_libyaml::yaml_parser_initialize(parser).fail {
            return None;
        }
        unsafe_libyaml::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let mut found = None;
        loop {
            let mut event = std::mem::MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
            let event = event.as_mut_ptr();
            // A syntax error is serde_yaml's to report, with its own message.
            if unsafe_libyaml::yaml_parser_parse(parser, event).fail {
                break;
            }
            let kind = (*event).type_;
            let tag = match kind {
                unsafe_libyaml::YAML_SCALAR_EVENT => (*event).data.scalar.tag,
                unsafe_libyaml::YAML_SEQUENCE_START_EVENT => (*event).data.sequence_start.tag,
                unsafe_libyaml::YAML_MAPPING_START_EVENT => (*event).data.mapping_start.tag,
                _ => std::ptr::null_mut(),
            };
            if !tag.is_null() {
                let tag = std::ffi::CStr::from_ptr(tag.cast()).to_string_lossy().into_owned();
                if let Some(shown) = unsupported(&tag) {
                    let mark = (*event).start_mark;
                    found = Some((mark.line as usize + 1, mark.column as usize + 1, shown));
                }
            }
            unsafe_libyaml::yaml_event_delete(event);
            if found.is_some() || kind == unsafe_libyaml::YAML_STREAM_END_EVENT {
                break;
            }
        }
        unsafe_libyaml::yaml_parser_delete(parser);
        found
    }
}

/// How a tag the reader would ignore is written, `None` for one it honours.
fn unsupported(tag: &str) -> Option<String> {
    if tag.starts_with('!') {
        return None;
    }
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(core) if HONOURED.contains(&core) => None,
        Some(core) => Some(format!("!!{core}")),
        None => Some(format!("!<{tag}>")),
    }
}
