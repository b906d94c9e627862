//! Cycles and depth: a cycle of references through any kind of object is an error at a
//! reference, never a stack overflow, and long chains of references work. Each runs on a
//! thread with the 2 MiB stack tests get by default, so that recursion that grows with the
//! input shows up here.

use std::fmt::Write;

use crate::small_stack;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Test, version: '1'}\n";

fn generate(text: String) -> Result<generator::model::Api, String> {
    small_stack(move || {
        let document = generator::read::source::parse(text.as_bytes(), "test.yaml").map_err(|e| e.to_string())?;
        generator::lower::lower(&document).map_err(|e| e.to_string())
    })
}

fn error(text: String) -> String {
    match generate(text) {
        Ok(_) => panic!("generation succeeded"),
        Err(e) => e,
    }
}

#[test]
fn cycles_of_references_are_errors_at_a_reference() {
    let cases = [
        (
            "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/P'}]\n      responses: {'204': {description: ok}}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/P'}\n",
            "#/components/parameters/P/$ref: `$ref` \"#/components/parameters/P\" goes round a cycle",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/components/responses/A'}}\ncomponents:\n  responses:\n    A: {$ref: '#/components/responses/B'}\n    B: {$ref: '#/components/responses/A'}\n",
            "#/components/responses/A/$ref: `$ref` \"#/components/responses/B\" goes round a cycle",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok, headers: {X: {$ref: '#/components/headers/X'}}}}\ncomponents:\n  headers:\n    X: {$ref: '#/components/headers/Y'}\n    Y: {$ref: '#/components/headers/X'}\n",
            "#/components/headers/X/$ref",
        ),
        (
            "paths:\n  /a:\n    post:\n      requestBody: {$ref: '#/components/requestBodies/B'}\n      responses: {'204': {description: ok}}\ncomponents:\n  requestBodies:\n    B: {$ref: '#/components/requestBodies/B'}\n",
            "#/components/requestBodies/B/$ref",
        ),
        ("paths:\n  /a: {$ref: '#/paths/~1b'}\n  /b: {$ref: '#/paths/~1a'}\n", "#/paths/~1a/$ref"),
        // Through the middle of another reference's target.
        (
            "paths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/paths/~1a/get/responses/200'}}\n",
            "#/paths/~1a/get/responses/200/$ref",
        ),
    ];
    for (body, expected) in cases {
        let e = error(format!("{HEAD}{body}"));
        assert!(e.contains(expected), "{body}\n{e}");
    }
}

#[test]
fn a_cycle_of_references_across_files_is_an_error() {
    let dir = std::env::temp_dir().join(format!("generator-depth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.yaml"), "P: {$ref: 'b.yaml#/P'}\n").unwrap();
    std::fs::write(dir.join("b.yaml"), "P: {$ref: 'a.yaml#/P'}\n").unwrap();
    std::fs::write(dir.join("self.yaml"), "R: {$ref: '#/R'}\n").unwrap();
    let spec = dir.join("openapi.yaml");
    std::fs::write(
        &spec,
        format!("{HEAD}paths:\n  /a:\n    get:\n      parameters: [{{$ref: 'a.yaml#/P'}}]\n      responses: {{'200': {{$ref: 'self.yaml#/R'}}}}\n"),
    )
    .unwrap();
    let result = small_stack(move || {
        let document = generator::read::source::load_as(&spec, "openapi.yaml").map_err(|e| e.to_string())?;
        generator::lower::lower(&document).map(|_| ()).map_err(|e| e.to_string())
    });
    let _ = std::fs::remove_dir_all(&dir);
    let e = result.unwrap_err();
    assert!(e.contains("#/paths/~1a/get/parameters/0/$ref"), "{e}");
    assert!(e.contains("cycle"), "{e}");
    assert!(e.contains("#/paths/~1a/get/responses/200/$ref"), "{e}");
}

/// Components `{prefix}0` … `{prefix}{n-1}` of `section`, each a reference to the next, the
/// last being `last`.
fn chain(section: &str, prefix: &str, n: usize, last: &str) -> String {
    let mut out = format!("  {section}:\n");
    for i in 0..n - 1 {
        writeln!(out, "    {prefix}{i}: {{$ref: '#/components/{section}/{prefix}{}'}}", i + 1).unwrap();
    }
    writeln!(out, "    {prefix}{}: {last}", n - 1).unwrap();
    out
}

#[test]
fn four_thousand_chained_references_work() {
    const N: usize = 4000;
    let text = format!(
        "{HEAD}paths:\n  /a:\n    post:\n      parameters: [{{$ref: '#/components/parameters/P0'}}]\n      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/A0'}}}}}}}}\n      responses: {{'200': {{$ref: '#/components/responses/R0'}}}}\ncomponents:\n{}{}{}",
        chain("schemas", "A", N, "{type: string}"),
        chain("parameters", "P", N, "{name: q, in: query, schema: {type: string}}"),
        chain("responses", "R", N, "{description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A0'}}}}"),
    );
    let api = generate(text).unwrap_or_else(|e| panic!("{e}"));
    let op = &api.operations[0];
    assert_eq!(op.params.len(), 1);
    assert!(op.success[0].body.is_some());
    let files = small_stack(move || generator::emit::emit(&api, &generator::Options::new("chains", "test.yaml")).len());
    assert!(files > 0);
}

#[test]
fn a_schema_that_is_a_list_of_itself_is_a_type() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Tree: {{type: array, items: {{$ref: '#/components/schemas/Tree'}}}}\n    Forest: {{type: object, additionalProperties: {{$ref: '#/components/schemas/Forest'}}}}\n"
    );
    let api = generate(text).unwrap_or_else(|e| panic!("{e}"));
    for def in &api.types {
        // `type Tree = Vec<Tree>;` is a cycle Rust rejects (E0391).
        assert!(!matches!(def.kind, generator::model::TypeKind::Alias(_)), "{def:?}");
    }
}
