//! Selective generation: the operations a selection names, and exactly the types they reach.

use generator::lower::select::{select, Selection};
use generator::model::Api;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200':
          description: Pets.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
              example: [{name: Rex, owner: {name: Ann}}]
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: A pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        '404':
          description: None.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
  /orders:
    post:
      operationId: createOrder
      tags: [store]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
            example: {item: x}
      responses:
        '201': {description: Created.}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties: {name: {type: string}}
    Order:
      type: object
      properties: {item: {type: string}}
    Problem:
      type: object
      properties: {detail: {type: string}}
    Unused:
      type: object
      properties: {x: {type: string}}
"#;

fn api() -> Api {
    let document = generator::read::source::parse(SPEC.as_bytes(), "shop.yaml").unwrap();
    generator::lower::lower(&document).unwrap()
}

fn names(api: &Api) -> (Vec<&str>, Vec<&str>) {
    (
        api.operations.iter().map(|op| op.method_name.as_str()).collect(),
        api.types.iter().map(|t| t.name.as_str()).collect(),
    )
}

#[test]
fn everything_is_kept_without_a_selection() {
    let all = api();
    assert_eq!(select(all.clone(), &Selection::default(), "shop.yaml").unwrap(), all);
}

#[test]
fn a_tag_keeps_its_operations_and_the_types_they_reach() {
    let selection = Selection { tags: vec!["pets".into()], ..Selection::default() };
    let api = select(api(), &selection, "shop.yaml").unwrap();
    let (operations, types) = names(&api);
    assert_eq!(operations, ["get_pet", "list_pets"]);
    // Owner only through Pet; Order and Unused are not reached.
    assert_eq!(types, ["GetPetError", "Owner", "Pet", "Problem"]);
    assert_eq!(api.examples.len(), 1, "{:?}", api.examples);
}

#[test]
fn selectors_add_up_and_keep_their_names() {
    let selection = Selection {
        operations: vec!["createOrder".into()],
        path_prefixes: vec!["/pets/".into()],
        ..Selection::default()
    };
    let api = select(api(), &selection, "shop.yaml").unwrap();
    let (operations, types) = names(&api);
    assert_eq!(operations, ["create_order", "get_pet"]);
    assert_eq!(types, ["GetPetError", "Order", "Owner", "Pet", "Problem"]);
    // A method selected by its Rust name is the same operation.
    let by_method = Selection { operations: vec!["create_order".into()], ..Selection::default() };
    assert_eq!(names(&select(self::api(), &by_method, "shop.yaml").unwrap()).0, ["create_order"]);
}

#[test]
fn unknown_selectors_are_errors_that_list_what_exists() {
    let selection = Selection {
        tags: vec!["toys".into()],
        operations: vec!["deletePet".into()],
        path_prefixes: vec!["/users".into()],
    };
    let message = select(api(), &selection, "shop.yaml").unwrap_err().to_string();
    assert!(message.contains(r#"--tag "toys" is no operation's tag; the tags are: pets, store"#), "{message}");
    assert!(message.contains(r#"--operation "deletePet" is no operationId"#), "{message}");
    assert!(message.contains("listPets"), "{message}");
    assert!(message.contains(r#"--path-prefix "/users" starts no operation's path"#), "{message}");
    assert!(message.starts_with("error: shop.yaml: "), "{message}");
}

#[test]
fn features_gate_each_tag_and_the_types_only_it_uses() {
    use generator::lower::features::{split, Split};
    let api = split(api(), Split::Always, "t");
    let features: Vec<(&str, usize)> = api.features.iter().map(|f| (f.name.as_str(), f.operations)).collect();
    assert_eq!(features, [("pets", 2), ("store", 1)]);
    let feature_of = |method: &str| api.operations.iter().find(|op| op.method_name == method).unwrap().feature.clone();
    assert_eq!(feature_of("list_pets").as_deref(), Some("pets"));
    assert_eq!(feature_of("create_order").as_deref(), Some("store"));
    let gate_of = |name: &str| {
        let index = api.types.iter().position(|t| t.name == name).unwrap();
        api.type_files.iter().find(|f| f.members.contains(&index)).unwrap().gate.clone()
    };
    assert_eq!(gate_of("Owner"), ["pets"]);
    assert_eq!(gate_of("Order"), ["store"]);
    // No operation uses it: compiled with the whole API.
    assert_eq!(gate_of("Unused"), ["full"]);
    // Still sorted by name, whatever file each type is in.
    assert!(api.types.windows(2).all(|w| w[0].name < w[1].name));
    let example = api.examples.iter().find(|e| e.pointer.contains("~1pets/get")).unwrap();
    assert_eq!(example.gates, [vec!["pets".to_string()]]);
}

#[test]
fn untagged_operations_group_by_their_first_path_segment_after_a_shared_prefix() {
    use generator::lower::features::{split, Split};
    let spec = r#"
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /v1/servers: {get: {operationId: listServers, responses: {'200': {description: ok}}}}
  /v1/servers/{id}:
    get:
      operationId: getServer
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /v1/load_balancers: {get: {operationId: listLoadBalancers, responses: {'200': {description: ok}}}}
  /v1/default: {get: {operationId: getDefault, responses: {'200': {description: ok}}}}
"#;
    let document = generator::read::source::parse(spec.as_bytes(), "t.yaml").unwrap();
    let api = split(generator::lower::lower(&document).unwrap(), Split::Always, "t");
    let features: Vec<&str> = api.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(features, ["load-balancers", "servers", "tag-default"]);
}
