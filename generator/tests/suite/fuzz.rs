//! Property tests standing in for a fuzzer (cargo-fuzz needs a nightly toolchain, which this
//! project's machines do not have): arbitrary bytes and arbitrary structured documents go
//! through parsing, lowering, emission and formatting, and nothing may panic. Every emitted
//! file must also be valid Rust. Inputs that once broke the generator are kept in
//! `tests/fuzz-regressions/` and replayed by `regressions_give_their_expected_outcome`, each
//! with the outcome it must have (`REGRESSIONS`).

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Runs the whole pipeline: the crate's files (path and text, Rust formatted), or the
/// problems the parser or lowering found in the document. Panics only on a generator bug.
fn pipeline(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    // A stack overflow aborts the process before proptest can report the input; with
    // FUZZ_LAST=path each input is written there first, so the last one is the culprit.
    if let Some(path) = std::env::var_os("FUZZ_LAST") {
        let _ = std::fs::write(path, bytes);
    }
    let document = generator::read::source::parse(bytes, "fuzz.yaml").map_err(|e| e.to_string())?;
    let api = generator::lower::lower(&document).map_err(|e| e.to_string())?;
    let options = generator::Options::new("fuzz-crate", "fuzz.yaml");
    let files = generator::emit::emit(&api, &options).into_iter().map(|file| match file.contents {
        generator::FileContents::Rust(pieces) => {
            let text = pieces.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
            let parsed: syn::File =
                syn::parse_str(&text).unwrap_or_else(|e| panic!("{} is not valid Rust: {e}\n{text}", file.path));
            (file.path, prettyplease::unparse(&parsed))
        }
        generator::FileContents::Text(text) => (file.path, text),
    });
    Ok(files.collect())
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9]{0,6}",
        "[A-Za-z0-9_ .$@/{}~-]{0,8}",
        Just("type".to_string()),
        Just("self".to_string()),
        Just("Option".to_string()),
        Just("2xx".to_string()),
        Just("".to_string()),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "string", "format": "uuid"})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "format": "binary"})),
        (any::<Option<i64>>(), any::<Option<i64>>())
            .prop_map(|(lo, hi)| json!({"type": "integer", "minimum": lo, "maximum": hi})),
        Just(json!({"type": "number", "format": "float"})),
        Just(json!({"type": "boolean"})),
        Just(json!({"type": ["integer", "null"]})),
        Just(json!({"type": "null"})),
        Just(json!({})),
        Just(json!({"nullable": true})),
        name().prop_map(|v| json!({"const": v})),
        prop::collection::vec(name(), 1..4).prop_map(|values| json!({"type": "string", "enum": values})),
        (0..6u8).prop_map(|n| json!({"$ref": format!("#/components/schemas/S{n}")})),
        Just(json!({"$ref": "#/components/schemas/S0/properties/a"})),
        Just(json!({"type": "object"})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            (prop::collection::vec((name(), inner.clone(), any::<bool>()), 0..4), any::<bool>()).prop_map(
                |(props, nullable)| {
                    let mut properties = Map::new();
                    let mut required = Vec::new();
                    for (k, v, req) in props {
                        if req {
                            required.push(Value::String(k.clone()));
                        }
                        properties.insert(k, v);
                    }
                    json!({"type": "object", "properties": properties, "required": required, "nullable": nullable})
                }
            ),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            inner.clone().prop_map(|v| json!({"type": "object", "additionalProperties": v})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|all| json!({"allOf": all})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|one| json!({"oneOf": one})),
            (prop::collection::vec(inner.clone(), 1..3), name()).prop_map(|(any, tag)| json!({
                "anyOf": any, "discriminator": {"propertyName": tag}
            })),
            inner.prop_map(|not| json!({"not": not})),
        ]
    })
}

fn response() -> impl Strategy<Value = Value> {
    (
        schema(),
        prop::sample::select(vec![
            "application/json",
            "text/plain",
            "application/octet-stream",
            "application/problem+json",
            "*/*",
        ]),
        any::<bool>(),
    )
        .prop_map(|(schema, media, empty)| {
            if empty {
                json!({"description": "none"})
            } else {
                json!({"description": "d", "content": {media: {"schema": schema}}})
            }
        })
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::option::of(name()),
        prop::collection::vec(
            (prop::sample::select(vec!["200", "201", "204", "2XX", "400", "404", "4XX", "default", "599"]), response()),
            0..4,
        ),
        prop::collection::vec((name(), prop::sample::select(vec!["query", "header", "path", "cookie"]), leaf()), 0..3),
        prop::option::of(schema()),
    )
        .prop_map(|(id, responses, params, body)| {
            let mut op = Map::new();
            if let Some(id) = id {
                op.insert("operationId".into(), Value::String(id));
            }
            let responses: Map<String, Value> = responses.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            op.insert("responses".into(), Value::Object(responses));
            let params: Vec<Value> = params
                .into_iter()
                .map(|(n, at, s)| json!({"name": n, "in": at, "required": at == "path", "schema": s}))
                .collect();
            op.insert("parameters".into(), Value::Array(params));
            if let Some(body) = body {
                op.insert("requestBody".into(), json!({"content": {"application/json": {"schema": body}}}));
            }
            Value::Object(op)
        })
}

fn document() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(schema(), 0..6),
        prop::collection::vec((prop::sample::select(vec!["/a", "/a/{id}", "/{x}/b", "/c/{id}/{id2}", "/"]), prop::sample::select(vec!["get", "post", "patch", "delete"]), operation()), 0..4),
        prop::sample::select(vec!["3.0.3", "3.1.0"]),
    )
        .prop_map(|(schemas, ops, version)| {
            let schemas: Map<String, Value> = schemas.into_iter().enumerate().map(|(i, s)| (format!("S{i}"), s)).collect();
            let mut paths = Map::new();
            for (path, method, op) in ops {
                let item = paths.entry(path.to_string()).or_insert_with(|| json!({}));
                item[method] = op;
            }
            json!({
                "openapi": version,
                "info": {"title": "Fuzz", "version": "1"},
                "paths": paths,
                "components": {"schemas": schemas, "securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "X-Key"}}}
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_do_not_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = pipeline(&bytes);
    }

    #[test]
    fn arbitrary_text_does_not_panic(text in "(openapi: 3\\.[01]\\.0\n)?[a-z{}\\[\\]:'\"#/ \n-]{0,200}") {
        let _ = pipeline(text.as_bytes());
    }

    #[test]
    fn arbitrary_documents_do_not_panic_and_emit_valid_rust(doc in document()) {
        let _ = pipeline(&serde_json::to_vec(&doc).unwrap());
    }
}

/// What an input kept in `tests/fuzz-regressions/` must give.
enum Expected {
    /// A crate: a manifest, a `src/lib.rs`, and every `.rs` file valid Rust.
    Crate,
    /// Exactly these problems, one a line, each naming where in the document it is.
    Errors(&'static [&'static str]),
}

/// Every input in `tests/fuzz-regressions/`, and what it must give.
const REGRESSIONS: &[(&str, Expected)] = &[
    // Found by the property test: it overflowed the stack.
    ("additional-properties-all-of-itself.json", Expected::Crate),
    (
        "alias-cycle.yaml",
        Expected::Errors(&[
            "error: fuzz.yaml: #/components/schemas: type C is defined as itself",
            "error: fuzz.yaml: #/components/schemas: types A, B refer to each other with nothing to break the cycle",
        ]),
    ),
    // Found by the property test: it overflowed the stack.
    ("all-of-itself.yaml", Expected::Crate),
    ("bundler-pointers.yaml", Expected::Crate),
    ("deep.json", Expected::Crate),
    ("names.json", Expected::Crate),
    ("pointer-ref-to-itself.yaml", Expected::Crate),
    (
        "reference-cycles.yaml",
        Expected::Errors(&[
            "error: fuzz.yaml: #/components/parameters/P/$ref: `$ref` \"#/components/parameters/P\" goes round a cycle of references: #/components/parameters/P → #/components/parameters/P",
            "error: fuzz.yaml: #/components/requestBodies/B/$ref: `$ref` \"#/components/requestBodies/B/content\" goes round a cycle of references through \"#/components/requestBodies/B/content\"",
            "error: fuzz.yaml: #/components/responses/A/$ref: `$ref` \"#/components/responses/B\" goes round a cycle of references: #/components/responses/B → #/components/responses/A → #/components/responses/B",
            "error: fuzz.yaml: #/components/responses/B/$ref: `$ref` \"#/components/responses/A\" goes round a cycle of references: #/components/responses/A → #/components/responses/B → #/components/responses/A",
            "error: fuzz.yaml: #/paths/~1a/get/parameters/0/$ref: `$ref` \"#/components/parameters/P\" goes round a cycle of references: #/components/parameters/P → #/components/parameters/P",
            "error: fuzz.yaml: #/paths/~1a/get/requestBody/$ref: `$ref` \"#/components/requestBodies/B\" goes round a cycle of references through \"#/components/requestBodies/B/content\"",
            "error: fuzz.yaml: #/paths/~1a/get/responses/200/$ref: `$ref` \"#/components/responses/A\" goes round a cycle of references: #/components/responses/A → #/components/responses/B → #/components/responses/A",
            "error: fuzz.yaml: #/paths/~1a/get/responses/201/$ref: `$ref` \"#/paths/~1a/get/responses/201\" goes round a cycle of references: #/paths/~1a/get/responses/201 → #/paths/~1a/get/responses/201",
            "error: fuzz.yaml: #/paths/~1b/$ref: `$ref` \"#/paths/~1c\" goes round a cycle of references: #/paths/~1c → #/paths/~1b → #/paths/~1c",
            "error: fuzz.yaml: #/paths/~1c/$ref: `$ref` \"#/paths/~1b\" goes round a cycle of references: #/paths/~1b → #/paths/~1c → #/paths/~1b",
        ]),
    ),
];

/// A diagnostic names a JSON pointer (`fuzz.yaml: #/...`) or a line and column (`fuzz.yaml:3:5`).
fn names_a_location(line: &str) -> bool {
    line.strip_prefix("error: fuzz.yaml:")
        .is_some_and(|rest| rest.starts_with(" #/") || rest.starts_with(|c: char| c.is_ascii_digit()))
}

#[test]
fn regressions_give_their_expected_outcome() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .map(|path| path.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    inputs.sort();
    let mut listed: Vec<&str> = REGRESSIONS.iter().map(|(name, _)| *name).collect();
    listed.sort();
    assert_eq!(inputs, listed, "every input in {} needs its expected outcome in REGRESSIONS", dir.display());
    for (name, expected) in REGRESSIONS {
        match (expected, pipeline(&std::fs::read(dir.join(name)).unwrap())) {
            (Expected::Crate, Ok(files)) => {
                for wanted in ["Cargo.toml", "src/lib.rs"] {
                    assert!(files.iter().any(|(path, _)| path == wanted), "{name}: the crate has no {wanted}");
                }
                for (path, text) in files.iter().filter(|(path, _)| path.ends_with(".rs")) {
                    syn::parse_file(text).unwrap_or_else(|e| panic!("{name}: {path} is not valid Rust: {e}"));
                }
            }
            (Expected::Errors(lines), Err(message)) => {
                assert!(lines.iter().all(|line| names_a_location(line)), "{name}: an expected error names no location");
                assert_eq!(message.lines().collect::<Vec<_>>(), *lines, "{name}");
            }
            (Expected::Crate, Err(message)) => panic!("{name}: expected a crate, got:\n{message}"),
            (Expected::Errors(_), Ok(_)) => panic!("{name}: expected errors, got a crate"),
        }
    }
}
