//! The runtime's files (the `client-runtime` crate, `runtime/src/`), copied into every crate
//! as they are written there.

use crate::model::Api;

/// A file of the runtime: its path in the generated crate, its name in `runtime/src/`, and its
/// text.
pub struct RuntimeFile {
    pub path: &'static str,
    pub source: &'static str,
    text: &'static str,
}

macro_rules! runtime_files {
    ($($name:literal $(=> $path:literal)?),* $(,)?) => {
        &[$(RuntimeFile {
            path: runtime_files!(@path $name $(, $path)?),
            source: $name,
            text: include_str!(concat!("../../../runtime/src/", $name)),
        }),*]
    };
    (@path $name:literal) => { concat!("src/", $name) };
    (@path $name:literal, $path:literal) => { $path };
}

/// Every file of the runtime that generated crates hold: all but its `lib.rs` (the generated
/// crate has its own root) and `reserved.rs` (for the generator). Each is a module of the
/// library, in `src/`, but for the examples' round trip, a module of the crate's test
/// (`tests/examples/`).
pub const FILES: &[RuntimeFile] = runtime_files![
    "blocking.rs",
    "body.rs",
    "budget.rs",
    "byte_stream.rs",
    "call.rs",
    "cli_events.rs",
    "cli_support.rs",
    "client.rs",
    "clock.rs",
    "content.rs",
    "credential.rs",
    "drift.rs",
    "encoding.rs",
    "error.rs",
    "exo2.rs",
    "hook.rs",
    "json_path.rs",
    "meta.rs",
    "mock.rs",
    "oauth.rs",
    "object.rs",
    "pace.rs",
    "pages.rs",
    "query_style.rs",
    "record.rs",
    "replay.rs",
    "retry.rs",
    "round_trip.rs" => "tests/examples/round_trip.rs",
    "security.rs",
    "stream.rs",
    "untagged.rs",
];

/// Whether the crate for `api` holds `file`: the EXO2 signature and OAuth2's tokens only where
/// a scheme uses them, server-sent events only where a response is an event stream, the
/// command-line helpers only where there is a command-line client, the paginator only where an
/// operation has pages, the examples' round trip only where there are examples.
pub fn included(file: &RuntimeFile, api: &Api) -> bool {
    match file.path {
        "src/exo2.rs" => api.uses.exo2,
        "src/oauth.rs" => api.uses.oauth2,
        "src/stream.rs" => api.uses.event_streams,
        "src/cli_events.rs" => api.uses.event_streams && has_cli(api),
        "src/cli_support.rs" | "src/mock.rs" | "src/replay.rs" => has_cli(api),
        "src/pages.rs" => is_paginated(api),
        "tests/examples/round_trip.rs" => !api.examples.is_empty(),
        _ => true,
    }
}

/// The private modules of the runtime that the crate for `api` holds (`cli_support` and
/// `cli_events` are public, for the command-line client, `blocking` public behind its feature,
/// `drift` and `record` behind the `doubles` feature, and `mock` and `replay` behind `mock`:
/// all declared apart).
pub fn private_modules(api: &Api) -> impl Iterator<Item = &'static str> + '_ {
    FILES
        .iter()
        .filter(|file| {
            included(file, api)
                && file.path.starts_with("src/")
                && !file.path.starts_with("src/cli_")
                && !["src/blocking.rs", "src/drift.rs", "src/mock.rs", "src/record.rs", "src/replay.rs"]
                    .contains(&file.path)
        })
        .map(|file| file.path.trim_start_matches("src/").trim_end_matches(".rs"))
}

/// Whether some operation has a stream of its pages (and the crate needs `futures-core`).
pub fn is_paginated(api: &Api) -> bool {
    api.operations.iter().any(|op| op.pagination.is_some())
}

/// A command-line client with no commands would be an empty shell (and unused helpers).
pub fn has_cli(api: &Api) -> bool {
    !api.operations.is_empty()
}

/// The file's text as the crate holds it: formatted as the runtime's workspace formats it,
/// and left alone by `cargo fmt` in the generated crate, as every generated file is.
pub fn text(file: &RuntimeFile) -> String {
    format!("#![cfg_attr(rustfmt, rustfmt::skip)]\n{}", file.text)
}
