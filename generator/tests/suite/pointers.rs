//! References as bundlers write them, and the places problems are reported at: every warning's
//! pointer must lead somewhere in the document as its author wrote it.

use std::path::Path;

use generator::model::{Api, TypeKind, TypeRef};
use serde_json::Value;

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: Test, version: '1'}\n";

fn lower(text: &str) -> Api {
    let document = generator::read::source::parse(text.as_bytes(), "test.yaml").unwrap_or_else(|e| panic!("{e}"));
    generator::lower::lower(&document).unwrap_or_else(|e| panic!("{e}"))
}

/// The document as written: YAML or JSON as plain JSON, nothing normalised.
fn original(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}"))
}

/// Pointers of `api`'s warnings that lead nowhere in `text`.
fn dangling(text: &str, api: &Api) -> Vec<String> {
    let root = original(text);
    api.warnings
        .iter()
        .filter_map(|w| match &w.location {
            generator::diagnostic::Location::Pointer(p) => Some(p.clone()),
            _ => None,
        })
        .filter(|p| root.pointer(p.trim_start_matches('#')).is_none())
        .collect()
}

/// The type of the first success body of `op`, which must be at `path` unless that is empty.
fn body<'a>(op: &'a generator::model::Operation, path: &str) -> Option<&'a TypeRef> {
    assert!(path.is_empty() || op.path.text == path, "{}", op.path.text);
    op.success.first()?.body.as_ref().map(|b| &b.ty)
}

#[test]
fn percent_encoded_pointers_are_decoded_before_tildes() {
    let text = format!(
        "{HEAD}paths:
  /keys/{{id}}:
    get:
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{n: {{type: integer}}}}}}}}}}}}
  /other:
    get:
      responses:
        '200': {{$ref: '#/paths/~1keys~1%7Bid%7D/get/responses/200'}}
"
    );
    let api = lower(&text);
    let types: Vec<Option<&TypeRef>> = api.operations.iter().map(|op| body(op, "")).collect();
    assert_eq!(types.len(), 2, "{types:?}");
    assert!(matches!(types[0], Some(TypeRef::Named(_))), "{types:?}");
    assert_eq!(types[0], types[1]);
}

#[test]
fn a_pointer_through_another_reference_follows_it() {
    let text = format!(
        "{HEAD}paths:
  /a:
    get:
      responses:
        '401': {{$ref: '#/components/responses/Unauthorized'}}
  /b:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/paths/~1a/get/responses/401/content/application~1json/schema'}}
components:
  responses:
    Unauthorized:
      description: no
      content: {{application/json: {{schema: {{type: object, properties: {{reason: {{type: string}}}}}}}}}}
"
    );
    let api = lower(&text);
    assert!(matches!(body(&api.operations[1], "/b"), Some(TypeRef::Named(_))), "{:?}", api.operations[1]);
}

#[test]
fn a_tuple_in_a_nullable_any_of_is_a_tuple_and_warnings_point_at_any_of() {
    let text = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Pair:
      type: object
      properties:
        pair:
          anyOf:
            - {{type: array, prefixItems: [{{type: string}}, {{type: integer}}], items: false}}
            - {{type: 'null'}}
        loose:
          anyOf:
            - {{not: {{type: string}}}}
            - {{type: 'null'}}
"
    );
    let api = lower(&text);
    let pair = api.types.iter().find(|t| t.name == "Pair").unwrap();
    let TypeKind::Struct(s) = &pair.kind else { panic!("{pair:?}") };
    assert_eq!(
        s.fields[0].ty,
        TypeRef::Nullable(Box::new(TypeRef::Tuple(vec![
            TypeRef::String,
            TypeRef::Int(generator::model::IntType::I64)
        ])))
    );
    assert!(!api.warnings.is_empty());
    assert_eq!(dangling(&text, &api), Vec::<String>::new());
}

#[test]
fn every_warning_of_the_fixture_specs_points_into_the_document() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "json")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let api = lower(&text);
        checked += api.warnings.len();
        assert_eq!(dangling(&text, &api), Vec::<String>::new(), "{}", path.display());
    }
    assert!(checked > 0);
}

#[test]
fn warnings_in_places_moved_by_reading_point_where_they_were_written() {
    let text = format!(
        "{HEAD}paths:
  /a:
    get:
      responses:
        '401': {{description: no, content: {{application/json: {{schema: {{type: object, properties: {{why: {{not: {{type: string}}}}}}}}}}}}}}
  /c:
    get:
      responses:
        '401': {{$ref: '#/paths/~1a/get/responses/401'}}
webhooks:
  ping:
    post:
      requestBody: {{content: {{application/json: {{schema: {{type: object, properties: {{odd: {{not: {{type: string}}}}}}}}}}}}}}
      responses: {{'200': {{description: ok}}}}
"
    );
    let api = lower(&text);
    assert!(api.warnings.len() >= 2, "{:?}", api.warnings);
    assert_eq!(dangling(&text, &api), Vec::<String>::new());
}
