//! The generated crate's `Cargo.toml`.

use toml_writer::ToTomlValue as _;

use super::Options;
use crate::model::Api;

pub fn manifest(api: &Api, options: &Options) -> String {
    // The version may come from the previous crate's `api.json`, which is text anyone can edit.
    let version = options.version.clone().unwrap_or_else(|| semver_or_default(&api.version)).to_toml_value();
    // A TOML string as the toml crate writes one: the title may hold quotes, backslashes and
    // line breaks, which must not end the string and start a table of their own. A summary
    // is one line: breaks as spaces, other controls as visible escapes.
    let description = format!(
        "Rust client for {} (generated from its OpenAPI document).",
        crate::escape::one_line(&api.title.trim().replace(['\n', '\r', '\t'], " "))
    )
    .to_toml_value();
    let with_cli = super::runtime::has_cli(api);
    let mut deps = vec![
        r#"base64 = "0.22""#,
        // Request bodies shared between attempts rather than copied (reqwest's own `Bytes`).
        r#"bytes = "1""#,
        r#"fastrand = "2""#,
        r#"futures-core = "0.3""#,
        r#"futures-util = { version = "0.3", default-features = false, features = ["std"] }"#,
        r#"httpdate = "1""#,
        // Retries wait with tokio's timer: reqwest runs on tokio already.
        r#"tokio = { version = "1", features = ["time", "fs", "io-std"] }"#,
        r#"tokio-util = { version = "0.7", features = ["io"] }"#,
        r#"tracing = { version = "0.1", default-features = false, features = ["std"] }"#,
        r#"percent-encoding = "2""#,
        r#"reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "stream"] }"#,
        r#"serde = { version = "1", features = ["derive"] }"#,
        // Without it, serde_json may read a float one bit off, and a value read and written
        // back would change in its last digit.
        r#"serde_json = { version = "1", features = ["float_roundtrip"] }"#,
        r#"serde_urlencoded = "0.7""#,
        // Idempotency keys are made with it; the types read and write it only where the
        // document has a `uuid` string.
        if api.uses.uuid { r#"uuid = { version = "1", features = ["serde"] }"# } else { r#"uuid = "1""# },
    ];
    if api.uses.date_time {
        deps.push(r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std", "clock"] }"#);
    }
    if api.uses.event_streams {
        deps.push(r#"eventsource-stream = "0.2""#);
    }
    if api.uses.exo2 {
        deps.push(r#"hmac = "0.12""#);
        deps.push(r#"sha2 = "0.10""#);
    }
    if with_cli {
        deps.push(r#"clap = { version = "4", features = ["derive", "env"], optional = true }"#);
        // Error bodies are pretty-printed with their properties in the order they came.
        deps.push(r#"serde-transcode = { version = "1", optional = true }"#);
        // The server that replays recorded exchanges (`mock --cassette`).
        deps.push(r#"tiny_http = { version = "0.12", optional = true }"#);
    }
    let mut deps: Vec<String> = deps.into_iter().map(String::from).collect();
    for dependency in &api.dependencies {
        // A crate the client needs anyway (`chrono`, `uuid`) is already there, with the
        // features the client needs of it.
        let taken = deps.iter().any(|line| line.split_once(" = ").is_some_and(|(name, _)| name == dependency.name));
        if !taken {
            deps.push(format!("{} = {}", dependency.name, dependency.version.as_str().to_toml_value()));
        }
    }
    deps.sort();
    // The blocking client needs tokio's runtime, which the async client leaves to its caller.
    let blocking = "# `blocking::Client`: a client that owns a runtime and blocks, for programs without async.\n\
                    blocking = [\"tokio/rt\"]\n";
    // Test doubles cost every build that compiles them, and only tests use them.
    let doubles = "# The `doubles` module: recording exchanges, and the drift of recordings from the document.\n\
                   doubles = []\n";
    let cli = if with_cli {
        format!(
            "\n\
             [features]\n\
             {blocking}\
             {groups}\
             # The command-line client, binary `{name}`{with_all}.\n\
             cli = [\"dep:clap\", \"dep:serde-transcode\", \"mock\", \"tokio/macros\", \"tokio/rt\"{full}]\n\
             {doubles}\
             # Typed mocks and the replay of recorded exchanges, on a loopback server\n\
             # (`doubles::MockServer`, `doubles::Replay`).\n\
             mock = [\"doubles\", \"dep:tiny_http\"]\n\
             \n\
             [[bin]]\n\
             name = \"{name}\"\n\
             path = \"src/cli.rs\"\n\
             required-features = [\"cli\"]\n\
             # It has no unit tests or benchmarks: a harness would compile it a second time.\n\
             test = false\n\
             bench = false\n",
            name = options.crate_name,
            groups = features(api),
            doubles = doubles,
            // A command-line client is a tool for the whole API, not a dependency to trim.
            with_all = if api.features.is_empty() { "" } else { ", with every group of operations" },
            full = if api.features.is_empty() { "" } else { ", \"full\"" },
        )
    } else {
        format!("\n[features]\n{blocking}{doubles}{}", features(api))
    };
    format!(
        "{header}\
         [package]\n\
         name = \"{name}\"\n\
         version = {version}\n\
         edition = \"2021\"\n\
         description = {description}\n\
         publish = false\n\
         \n\
         # The documentation comes from the document's prose, whose code blocks (JSON, HTTP, shell)\n\
         # rustdoc would otherwise compile as Rust tests. The crate's tests are `tests/examples/`,\n\
         # which use it as a dependent does: without a harness of its own (nor a benchmark one,\n\
         # which `--all-targets` checks), `cargo test` and `cargo clippy --all-targets` compile\n\
         # the library once.\n\
         [lib]\n\
         doctest = false\n\
         test = false\n\
         bench = false\n\
         {cli}\
         \n\
         [dependencies]\n\
         {deps}\n",
        header = crate::header::toml(&crate::escape::one_line(&options.source_name)),
        name = options.crate_name,
        deps = deps.join("\n"),
    )
}

/// The features of the groups of operations, and `full`, which a plain dependency gets.
fn features(api: &Api) -> String {
    if api.features.is_empty() {
        return String::new();
    }
    let names: Vec<String> = api.features.iter().map(|f| format!("\"{}\"", f.name)).collect();
    let mut out = String::from(
        "# Every group of operations, which a plain dependency gets. To compile only some, depend\n\
         # with `default-features = false, features = [\"<group>\", …]`.\n\
         default = [\"full\"]\n",
    );
    out.push_str(&format!("full = [{}]\n", names.join(", ")));
    for feature in &api.features {
        let plural = if feature.operations == 1 { "" } else { "s" };
        let group = crate::escape::one_line(&feature.group);
        out.push_str(&format!("# `{group}`: {} operation{plural}.\n{} = []\n", feature.operations, feature.name));
    }
    out
}

/// Cargo needs `MAJOR.MINOR.PATCH`; documents say `2.0`, `v1` or `2024-01-01`: the first two
/// are read as `2.0.0` and `1.0.0`, anything else is `0.1.0` (lowering warns of it).
pub fn semver_or_default(version: &str) -> String {
    crate::names::crate_version(version).unwrap_or_else(|| FALLBACK_VERSION.into())
}

/// The crate's version when the document's cannot be read as one.
pub const FALLBACK_VERSION: &str = "0.1.0";

#[cfg(test)]
mod tests {
    #[test]
    fn versions() {
        for (raw, want) in [
            ("2.0.0", "2.0.0"),
            ("2.0", "2.0.0"),
            ("v1", "1.0.0"),
            ("2024-01-01", "0.1.0"),
            ("1.0.0-beta", "0.1.0"),
            ("01.2.3", "0.1.0"),
            ("latest", "0.1.0"),
            ("2021-01-01", "0.1.0"),
            ("1.0", "1.0.0"),
            ("99999999999999999999.0.0", "0.1.0"),
            ("18446744073709551615.0.0", "18446744073709551615.0.0"),
        ] {
            assert_eq!(super::semver_or_default(raw), want, "{raw}");
        }
        assert_eq!(super::semver_or_default(&"1".repeat(500)), "0.1.0");
    }

    /// Whatever the document says, the manifest is TOML that says it back.
    #[test]
    fn the_documents_text_is_escaped_for_toml() {
        let title = "A \"quoted\" ]\n[dependencies]\nx = 1 \\ \u{202E} \0 \r";
        let spec = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": title, "version": "1"},
            "paths": {"/x": {"get": {"operationId": "x", "tags": ["a\nb\0 \u{7f}"], "responses": {"204": {"description": "ok"}}}}}
        });
        let document = crate::read::source::parse(spec.to_string().as_bytes(), "t.json").unwrap();
        let api = crate::lower::features::split(
            crate::lower::lower(&document).unwrap(),
            crate::lower::features::Split::Always,
            "t",
        );
        let options = crate::emit::Options::new("t", "dir\n\"x\" */ \u{202E}.json");
        let text = super::manifest(&api, &options);
        let parsed: toml::Table = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
        let description = parsed["package"]["description"].as_str().unwrap();
        assert!(description.contains("A \"quoted\" ]"), "{description}");
        assert!(!parsed["dependencies"].as_table().unwrap().contains_key("x"), "{text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
        assert!(text.lines().filter(|l| l.starts_with("[dependencies]")).count() == 1, "{text}");
    }
}
