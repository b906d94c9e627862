//! Property tests standing in for a fuzzer (cargo-fuzz needs a nightly toolchain, which this
//! project's machines do not have): arbitrary bytes and arbitrary structured documents go
//! through parsing, lowering, emission and formatting, and nothing may panic. Every emitted
//! file must also be valid Rust. Inputs that once broke the generator are kept in
//! `tests/fuzz-regressions/` and replayed by `regressions_do_not_panic`.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Runs the whole pipeline; returns how far it got. Panics only on a generator bug.
fn pipeline(bytes: &[u8]) -> String {
    // A stack overflow aborts the process before proptest can report the input; with
    // FUZZ_LAST=path each input is written there first, so the last one is the culprit.
    if let Some(path) = std::env::var_os("FUZZ_LAST") {
        let _ = std::fs::write(path, bytes);
    }
    let document = match generator::source::parse(bytes, "fuzz.yaml") {
        Ok(document) => document,
        Err(e) => return format!("rejected by the parser: {e}"),
    };
    let api = match generator::lower::lower(&document) {
        Ok(api) => api,
        Err(e) => return format!("rejected by lowering: {e}"),
    };
    let options = generator::Options::new("fuzz-crate", "fuzz.yaml");
    for file in generator::emit::emit(&api, &options) {
        if let generator::FileContents::Rust(tokens) = file.contents {
            let text = tokens.to_string();
            let parsed: syn::File =
                syn::parse_str(&text).unwrap_or_else(|e| panic!("{} is not valid Rust: {e}\n{text}", file.path));
            let _ = prettyplease::unparse(&parsed);
        }
    }
    "generated".into()
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
        pipeline(&bytes);
    }

    #[test]
    fn arbitrary_text_does_not_panic(text in "(openapi: 3\\.[01]\\.0\n)?[a-z{}\\[\\]:'\"#/ \n-]{0,200}") {
        pipeline(text.as_bytes());
    }

    #[test]
    fn arbitrary_documents_do_not_panic_and_emit_valid_rust(doc in document()) {
        pipeline(&serde_json::to_vec(&doc).unwrap());
    }
}

#[test]
fn regressions_do_not_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
            let outcome = pipeline(&std::fs::read(&path).unwrap());
            eprintln!("{}: {outcome}", path.display());
            count += 1;
        }
    }
    assert!(count > 0, "no regression inputs in {}", dir.display());
}
