//! A generated crate depends only on what its document uses: no `chrono` without a
//! `date-time` or `date` string, no `eventsource-stream` without a `text/event-stream`
//! response, and the runtime's event-stream files only with them. Checked on every fixture
//! spec and the project's spec, against what a walk of each document finds in its JSON.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The files of the crate generated from `spec`, and the document as JSON: the one place
/// this test calls the generator.
fn generate(spec: &Path) -> (Vec<(String, String)>, Value) {
    let files = generator::Config::new(spec)
        .spec_name(spec.display().to_string())
        .render()
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
        .files;
    let document = generator::read::source::load_json(spec).unwrap_or_else(|e| panic!("{}: {e:?}", spec.display()));
    (files, document)
}

/// What the document asks for, found without the generator's model.
#[derive(Debug, Default, PartialEq)]
struct Found {
    date_time: bool,
    event_streams: bool,
}

fn walk(value: &Value, found: &mut Found) {
    match value {
        Value::Object(map) => {
            let is_string = match map.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
                _ => false,
            };
            if is_string && matches!(map.get("format").and_then(Value::as_str), Some("date-time" | "date")) {
                found.date_time = true;
            }
            if let Some(Value::Object(responses)) = map.get("responses") {
                for (status, response) in responses {
                    let success = status.starts_with('2');
                    let media = response.get("content").and_then(Value::as_object).into_iter().flat_map(|c| c.keys());
                    if success && media.into_iter().any(|m| m.starts_with("text/event-stream")) {
                        found.event_streams = true;
                    }
                }
            }
            map.values().for_each(|v| walk(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
        _ => {}
    }
}

fn specs() -> Vec<PathBuf> {
    let root = xtask::project_root();
    let fixtures = root.join("xtask/tests/fixtures");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    out.sort();
    out.push(root.join("spec/openapi.yaml"));
    out
}

#[test]
fn crates_depend_only_on_what_their_documents_use() {
    let mut seen = Found::default();
    let mut without = Found::default();
    for spec in specs() {
        let (files, document) = generate(&spec);
        let mut found = Found::default();
        walk(&document, &mut found);
        let file = |name: &str| files.iter().find(|(path, _)| path == name).map(|(_, text)| text.as_str());
        let manifest: toml::Table = file("Cargo.toml").unwrap().parse().unwrap();
        let deps = manifest["dependencies"].as_table().unwrap();
        let at = spec.display();
        assert_eq!(deps.contains_key("chrono"), found.date_time, "{at}: chrono, dependencies {deps:?}");
        assert_eq!(deps.contains_key("eventsource-stream"), found.event_streams, "{at}: eventsource-stream");
        assert_eq!(file("src/stream.rs").is_some(), found.event_streams, "{at}: src/stream.rs");
        if !found.event_streams {
            assert!(file("src/cli_events.rs").is_none(), "{at}: src/cli_events.rs");
            assert!(!file("src/lib.rs").unwrap().contains("EventStream"), "{at}: lib.rs names EventStream");
        }
        seen.date_time |= found.date_time;
        seen.event_streams |= found.event_streams;
        without.date_time |= !found.date_time;
        without.event_streams |= !found.event_streams;
    }
    // Both sides of each rule were checked on some document.
    assert_eq!(seen, Found { date_time: true, event_streams: true });
    assert_eq!(without, Found { date_time: true, event_streams: true });
}
