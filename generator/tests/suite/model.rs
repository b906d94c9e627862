//! The intermediate model built from tiny inline specs, checked with plain asserts.

use generator::model::*;

/// Lowers a YAML document whose `paths` and `components` are given.
fn lower(body: &str) -> Api {
    let text = format!("openapi: 3.0.3\ninfo: {{title: Test, version: '1'}}\n{body}");
    let document = generator::read::source::parse(text.as_bytes(), "test.yaml").unwrap_or_else(|e| panic!("{e}"));
    generator::lower::lower(&document).unwrap_or_else(|e| panic!("{e}"))
}

fn lower_err(body: &str) -> String {
    let text = format!("openapi: 3.0.3\ninfo: {{title: Test, version: '1'}}\n{body}");
    let document = generator::read::source::parse(text.as_bytes(), "test.yaml").unwrap();
    generator::lower::lower(&document).unwrap_err().to_string()
}

fn def<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}: {:?}", api.types.iter().map(|t| &t.name).collect::<Vec<_>>()))
}

type FieldView<'a> = (&'a str, &'a str, &'a TypeRef, bool, bool);

fn fields(def: &TypeDef) -> Vec<FieldView<'_>> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.wire_name(), f.ty.non_null(), f.required(), is_nullable(f)))
            .collect(),
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

fn is_nullable(field: &Field) -> bool {
    matches!(field.ty, TypeRef::Nullable(_))
}

const EXOSCALE_LIKE: &str = r#"
paths:
  /ai/ai-api-key/{id}:
    patch:
      operationId: update-ai-api-key
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/update-request'}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/key'}}}}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/problem'}}}}
        '403': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/forbidden'}}}}
        '404': {description: gone, content: {application/json: {schema: {$ref: '#/components/schemas/problem'}}}}
components:
  schemas:
    update-request:
      type: object
      properties:
        name: {type: string}
    key:
      type: object
      required: [id]
      properties:
        id: {type: string, format: uuid}
        updated-at: {type: string, format: date-time}
    problem:
      type: object
      required: [status]
      properties:
        status: {type: integer, minimum: 100, maximum: 599}
    forbidden:
      type: object
      properties:
        code: {type: string, enum: [forbidden_operation]}
"#;

#[test]
fn an_operation_with_two_error_body_types() {
    let api = lower(EXOSCALE_LIKE);
    let [op] = api.operations.as_slice() else { panic!("one operation expected") };
    assert_eq!(op.method_name, "update_ai_api_key");
    assert_eq!(op.http_method, HttpMethod::Patch);
    assert_eq!(
        op.path.segments,
        [PathSegment::Literal("/ai/ai-api-key/".into()), PathSegment::Param { name: "id".into() }]
    );
    assert_eq!(op.params[0].ty, TypeRef::Uuid);
    assert_eq!(op.body.as_ref().unwrap().payload.ty, TypeRef::Named("UpdateRequest".into()));
    assert!(matches!(&op.success_type, SuccessType::Body(p) if p.ty == TypeRef::Named("Key".into())));
    let errors: Vec<(&str, StatusMatch, TypeRef)> =
        op.errors.iter().map(|v| (v.name.as_str(), v.status, v.body.as_ref().unwrap().ty.clone())).collect();
    assert_eq!(
        errors,
        [
            ("BadRequest", StatusMatch::Code(400), TypeRef::Named("Problem".into())),
            ("Forbidden", StatusMatch::Code(403), TypeRef::Named("Forbidden".into())),
            ("NotFound", StatusMatch::Code(404), TypeRef::Named("Problem".into())),
        ]
    );
    assert_eq!(op.error_type.as_ref().map(Ident::as_str), Some("UpdateAiApiKeyError"));
    assert!(matches!(&def(&api, "UpdateAiApiKeyError").kind, TypeKind::OperationError(e) if e.variants.len() == 3));
}

#[test]
fn schemas_become_typed_fields() {
    let api = lower(EXOSCALE_LIKE);
    assert_eq!(
        fields(def(&api, "Key")),
        [("id", "id", &TypeRef::Uuid, true, false), ("updated_at", "updated-at", &TypeRef::DateTime, false, false)]
    );
    assert_eq!(fields(def(&api, "Problem")), [("status", "status", &TypeRef::Int(IntType::U16), true, false)]);
    let code = &fields(def(&api, "Forbidden"))[0];
    assert_eq!(code.2, &TypeRef::Named("ForbiddenCode".into()));
    let TypeKind::Enum(e) = &def(&api, "ForbiddenCode").kind else { panic!() };
    assert_eq!(e.variants[0].name, "ForbiddenOperation");
    assert_eq!(e.variants[0].value, "forbidden_operation");
    assert_eq!(e.other, "Other");
}

#[test]
fn inline_schemas_are_named_after_where_they_are() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Shape:
      type: object
      properties:
        style:
          type: object
          properties:
            fill: {type: object, properties: {color: {type: string}}}
        points:
          type: array
          items: {type: array, items: {type: object, properties: {x: {type: number}}}}
"#,
    );
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Shape", "ShapePointsItemItem", "ShapeStyle", "ShapeStyleFill"]);
    assert_eq!(
        fields(def(&api, "Shape"))[1].2,
        &TypeRef::Array(Box::new(TypeRef::Array(Box::new(TypeRef::Named("ShapePointsItemItem".into())))))
    );
}

#[test]
fn names_that_collide_or_are_keywords() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    thing:
      type: object
      properties:
        type: {type: string}
        foo-bar: {type: string}
        foo_bar: {type: string}
        self: {type: string}
    Thing: {type: string}
    Option: {type: integer}
"#,
    );
    let names: Vec<&str> = fields(def(&api, "Thing2")).iter().map(|f| f.0).collect();
    assert_eq!(names, ["r#type", "foo_bar", "foo_bar2", "self_"]);
    assert!(matches!(def(&api, "Thing").kind, TypeKind::Alias(TypeRef::String)));
    assert!(matches!(def(&api, "Option2").kind, TypeKind::Alias(TypeRef::Int(IntType::I64))));
}

#[test]
fn nullable_and_optional_are_separate() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Patch:
      type: object
      required: [a]
      properties:
        a: {type: string, nullable: true}
        b: {type: string, nullable: true}
        c: {type: [string, "null"]}
"#,
    );
    let f = fields(def(&api, "Patch"));
    assert_eq!((f[0].3, f[0].4), (true, true));
    assert_eq!((f[1].3, f[1].4), (false, true));
    assert_eq!((f[2].3, f[2].4, f[2].2), (false, true, &TypeRef::String));
}

#[test]
fn recursive_fields_are_boxed_and_lists_are_not() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"#,
    );
    let TypeKind::Struct(s) = &def(&api, "Node").kind else { panic!() };
    assert_eq!(s.fields.iter().map(|f| f.boxed).collect::<Vec<_>>(), [true, false]);
}

#[test]
fn lowering_is_deterministic() {
    assert_eq!(lower(EXOSCALE_LIKE), lower(EXOSCALE_LIKE));
}

#[test]
fn several_problems_are_all_reported() {
    let message = lower_err(
        r#"
paths:
  /a/{id}:
    get:
      operationId: x
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}}
  /b:
    get:
      operationId: x
      responses: {'204': {description: ok}}
"#,
    );
    assert_eq!(message.lines().count(), 3, "{message}");
    assert!(
        message.contains("test.yaml: #/paths/~1a~1{id}/get: path parameter {id} in the path is not declared"),
        "{message}"
    );
    assert!(
        message.contains("#/paths/~1b/get/operationId: operationId \"x\" is already used by #/paths/~1a~1{id}/get"),
        "{message}"
    );
}

#[test]
fn references_to_other_files_are_brought_in_once() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/multifile/openapi.yaml");
    let document = generator::read::source::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let api = generator::lower::lower(&document).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Owner", "Pet", "Since"]);
    let pet = fields(def(&api, "Pet"));
    assert_eq!(pet[1].2, &TypeRef::Named("Owner".into()));
    assert_eq!(pet[2].2, &TypeRef::Array(Box::new(TypeRef::Named("Pet".into()))));
    let owner = fields(def(&api, "Owner"));
    assert_eq!(owner[0].2, &TypeRef::Named("Pet".into()));
    assert_eq!(owner[1].2, &TypeRef::Named("Since".into()));
    let [op] = api.operations.as_slice() else { panic!() };
    assert!(matches!(&op.success_type, SuccessType::Body(p) if p.ty == TypeRef::Named("Pet".into())));
    assert_eq!(op.params[0].wire_name, "id");
}

#[test]
fn shared_components_with_inline_schemas_give_one_type() {
    let api = lower(
        r#"
paths:
  /a:
    get:
      operationId: get-a
      parameters: [{$ref: '#/components/parameters/order'}]
      responses:
        '200': {description: ok}
        default: {$ref: '#/components/responses/Problem'}
  /b:
    post:
      operationId: post-b
      parameters: [{$ref: '#/components/parameters/order'}]
      requestBody: {$ref: '#/components/requestBodies/Thing'}
      responses:
        '200': {description: ok}
        default: {$ref: '#/components/responses/Problem'}
  /c:
    put:
      operationId: put-c
      requestBody: {$ref: '#/components/requestBodies/Thing'}
      responses:
        '204': {description: done}
        '4XX': {$ref: '#/components/responses/Problem'}
        '5XX': {description: '', content: {application/json: {schema: {$ref: '#/components/responses/Problem/content/application~1json/schema'}}}}
    delete:
      operationId: delete-c
      responses:
        '204': {description: done}
        '404': {$ref: '#/components/responses/Problem'}
        default: {$ref: '#/components/responses/Problem'}
components:
  parameters:
    order: {name: order, in: query, schema: {type: string, enum: [asc, desc]}}
  requestBodies:
    Thing:
      content:
        application/json:
          schema: {type: object, properties: {name: {type: string}}}
          example: {name: x}
  responses:
    Problem:
      description: Something went wrong.
      content:
        application/json:
          schema: {type: object, properties: {message: {type: string}}}
          example: {message: no}
"#,
    );
    let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.iter().filter(|n| n.contains("Problem")).collect::<Vec<_>>(), [&"ProblemResponse"]);
    assert_eq!(names.iter().filter(|n| n.contains("Thing")).collect::<Vec<_>>(), [&"ThingBody"]);
    assert_eq!(names.iter().filter(|n| n.contains("Order")).collect::<Vec<_>>(), [&"Order"]);
    assert_eq!(fields(def(&api, "ProblemResponse"))[0].0, "message");
    // Its schema has no description, so the response's documents it.
    assert_eq!(def(&api, "ProblemResponse").doc.as_deref(), Some("Something went wrong."));
    // Each shared example is checked once, at the component.
    let pointers: Vec<&str> = api.examples.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "#/components/responses/Problem/content/application~1json/example",
            "#/components/requestBodies/Thing/content/application~1json/example"
        ]
    );
    // Operations whose errors all have the same body share the generic error under their own
    // name; the status tells the responses apart.
    let statuses = |def: &TypeDef| match &def.kind {
        TypeKind::StatusError { body, errors } => {
            assert_eq!(body.ty, TypeRef::Named("ProblemResponse".into()));
            (errors.method_name.to_string(), errors.variants.iter().map(|v| v.status).collect::<Vec<_>>())
        }
        other => panic!("{} is not a StatusError: {other:?}", def.name),
    };
    assert_eq!(statuses(def(&api, "GetAError")), ("get_a".to_string(), vec![StatusMatch::Default]));
    assert_eq!(
        statuses(def(&api, "PutCError")),
        ("put_c".to_string(), vec![StatusMatch::Range(4), StatusMatch::Range(5)])
    );
    // A response for one status keeps its named variant.
    assert!(matches!(&def(&api, "DeleteCError").kind, TypeKind::OperationError(e) if e.variants.len() == 2));
}

#[test]
fn free_form_components_keep_their_content() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Raw: {type: object, description: anything}
    Loose: {type: object, additionalProperties: true}
    Closed: {type: object, additionalProperties: false}
"#,
    );
    assert_eq!(def(&api, "Raw").kind, TypeKind::Alias(TypeRef::Json));
    assert_eq!(fields(def(&api, "Loose"))[0].2, &TypeRef::Map(Box::new(TypeRef::Json)));
    // Nothing may be in it, so nothing is lost.
    assert!(fields(def(&api, "Closed")).is_empty());
}

#[test]
fn references_to_nullable_components_accept_null() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Owner: {type: object, nullable: true, properties: {name: {type: string}}}
    Size: {type: string, enum: [s, m], nullable: true}
    Label: {type: string, nullable: true}
    OwnerOrNull:
      oneOf: [{$ref: '#/components/schemas/Owner'}, {nullable: true}]
    Either:
      anyOf: [{$ref: '#/components/schemas/Owner'}, {type: integer}]
    Pet:
      type: object
      required: [owner, size, label, either, maybe]
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
        size: {$ref: '#/components/schemas/Size'}
        label: {$ref: '#/components/schemas/Label'}
        either: {$ref: '#/components/schemas/Either'}
        maybe: {$ref: '#/components/schemas/OwnerOrNull'}
        owners: {type: array, items: {$ref: '#/components/schemas/Owner'}}
"#,
    );
    let named = |n: &str| TypeRef::Named(n.into());
    let pet = fields(def(&api, "Pet"));
    for (name, ty) in [("owner", "Owner"), ("size", "Size"), ("label", "Label"), ("maybe", "OwnerOrNull")] {
        let field = pet.iter().find(|f| f.0 == name).unwrap();
        assert_eq!((field.2, field.3, field.4), (&named(ty), true, true), "{name}");
    }
    // The union has its own `Null` variant, so the reference needs no `Option`.
    let either = pet.iter().find(|f| f.0 == "either").unwrap();
    assert_eq!((either.2, either.4), (&named("Either"), false));
    let TypeKind::Union(union) = &def(&api, "Either").kind else { panic!() };
    assert_eq!((union.variants[0].ty.clone(), union.null.as_ref().map(Ident::as_str)), (named("Owner"), Some("Null")));
    let owners = pet.iter().find(|f| f.0 == "owners").unwrap();
    assert_eq!(owners.2, &TypeRef::Array(Box::new(TypeRef::Nullable(Box::new(named("Owner"))))));
    // The types themselves leave `null` to their references.
    assert_eq!(def(&api, "Label").kind, TypeKind::Alias(TypeRef::String));
    assert_eq!(def(&api, "OwnerOrNull").kind, TypeKind::Alias(named("Owner")));
}

/// The kinds of each alternative of a requirement, without their scopes.
fn kinds(security: &[Vec<Required>]) -> Vec<Vec<SchemeKind>> {
    security.iter().map(|alternative| alternative.iter().map(|r| r.kind).collect()).collect()
}

#[test]
fn each_operation_records_the_credentials_it_accepts() {
    use SchemeKind::{ApiKey, Bearer, Other};
    let api = lower(
        r#"
security: [{BotToken: []}]
paths:
  /bot: {get: {operationId: bot, responses: {"204": {description: ok}}}}
  /me: {get: {operationId: me, security: [{OAuth2: [identify]}], responses: {"204": {description: ok}}}}
  /either: {get: {operationId: either, security: [{OAuth2: []}, {BotToken: []}], responses: {"204": {description: ok}}}}
  /public: {get: {operationId: public, security: [], responses: {"204": {description: ok}}}}
  /optional: {get: {operationId: optional, security: [{}, {BotToken: []}], responses: {"204": {description: ok}}}}
  /both: {get: {operationId: both, security: [{BotToken: [], TeamKey: []}, {Digest: []}], responses: {"204": {description: ok}}}}
  /undefined: {get: {operationId: undefined, security: [{Session: []}, {OAuth2: []}], responses: {"204": {description: ok}}}}
components:
  securitySchemes:
    BotToken: {type: apiKey, in: header, name: Authorization}
    OAuth2: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://x/a', scopes: {identify: x}}}}
    Token: {type: http, scheme: bearer}
    TeamKey: {type: apiKey, in: query, name: team_key}
    Digest: {type: http, scheme: digest}
"#,
    );
    let security = |id: &str| kinds(&api.operations.iter().find(|op| op.id == id).unwrap().security);
    assert_eq!(security("bot"), [vec![ApiKey]], "the document's security");
    assert_eq!(security("me"), [vec![Bearer]]);
    assert_eq!(security("either"), [vec![Bearer], vec![ApiKey]], "the document's order");
    assert!(security("public").is_empty());
    assert_eq!(security("optional"), [vec![ApiKey]], "`{{}}` leaves the others");
    // A second API key sent elsewhere, and an unsupported scheme, need the caller's header.
    assert_eq!(security("both"), [vec![ApiKey, Other], vec![Other]]);
    assert_eq!(security("undefined"), [vec![Bearer]], "an undefined scheme cannot be satisfied");
    assert!(api.warnings.iter().any(|w| w.to_string().contains("\"Session\" is not defined")), "{:?}", api.warnings);
    // Two bearer schemes (OAuth2, Token) are one kind of credential.
    let kinds: Vec<SchemeKind> = api.security.iter().map(SecurityScheme::kind).collect();
    assert_eq!(kinds, [ApiKey, Bearer]);
}

#[test]
fn a_document_silent_on_security_accepts_any_credential() {
    let api = lower(
        r#"
paths:
  /x: {get: {operationId: x, responses: {"204": {description: ok}}}}
components:
  securitySchemes:
    Token: {type: http, scheme: bearer}
    Key: {type: apiKey, in: header, name: X-Key}
"#,
    );
    assert_eq!(
        kinds(&api.operations[0].security),
        [vec![SchemeKind::ApiKey], vec![SchemeKind::Bearer], vec![SchemeKind::Other]]
    );
}

#[test]
fn exo2_signs_after_the_credentials_it_is_combined_with() {
    let api = lower(
        r#"
paths:
  /x: {get: {operationId: x, security: [{Exo: [], Key: []}], responses: {"204": {description: ok}}}}
components:
  securitySchemes:
    Exo: {type: http, scheme: EXO2-HMAC-SHA256}
    Key: {type: apiKey, in: query, name: key}
"#,
    );
    assert_eq!(kinds(&api.operations[0].security), [vec![SchemeKind::ApiKey, SchemeKind::Exo2HmacSha256]]);
}

/// clap finds a global argument in every subcommand by its field's name: a parameter or body
/// property named like the server's variable gets a flag and a field of its own.
#[test]
fn command_line_names_stay_apart_from_the_global_ones() {
    let api = lower(
        r#"
servers:
  - url: 'https://{region}.example.com'
    variables: {region: {default: eu}}
paths:
  /items/{id}:
    put:
      operationId: put-item
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: region, in: query, schema: {type: string}}
        - {name: endpoint, in: query, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                region: {type: string}
                type: {type: string}
      responses:
        '204': {description: ok}
"#,
    );
    let global = api.server.as_ref().unwrap().variables[0].cli.clone().unwrap();
    assert_eq!((global.flag.as_str(), global.field.as_str()), ("region", "region"));
    let [op] = api.operations.as_slice() else { panic!("one operation expected") };
    assert_eq!(op.command.variant, "PutItem");
    let params: Vec<(&str, &str, &str)> =
        op.params.iter().map(|p| (p.flag.as_str(), p.cli_field.as_str(), p.cli_local.as_str())).collect();
    assert_eq!(
        params,
        [("id", "id", "arg_id"), ("region2", "region2", "arg_region"), ("endpoint2", "endpoint2", "arg_endpoint")]
    );
    let body: Vec<(&str, &str, &str)> =
        op.command.body_flags.iter().map(|b| (b.flag.as_str(), b.value_name.as_str(), b.field.as_str())).collect();
    assert_eq!(body, [("region3", "REGION3", "body_region"), ("type", "TYPE", "body_type")]);
}

/// A server variable cannot take a flag the command-line client has for itself.
#[test]
fn a_server_variable_named_like_a_global_flag_is_renamed() {
    let api = lower(
        r#"
servers:
  - url: 'https://{endpoint}.example.com'
    variables: {endpoint: {default: eu}}
paths: {}
"#,
    );
    let global = api.server.as_ref().unwrap().variables[0].cli.clone().unwrap();
    assert_eq!((global.flag.as_str(), global.field.as_str()), ("endpoint2", "endpoint2"));
}

/// The runtime's global flags (`cli_support::GlobalOptions`: `--max-retries`, `--verbose`,
/// `--include`) and the root's flattened `options` field are kept from parameters, body
/// properties and the server variable.
#[test]
fn the_runtime_global_flags_are_reserved() {
    let api = lower(
        r#"
servers:
  - url: 'https://{options}.example.com'
    variables: {options: {default: eu}}
paths:
  /items:
    post:
      operationId: post-item
      parameters:
        - {name: max_retries, in: query, schema: {type: integer}}
        - {name: verbose, in: header, schema: {type: boolean}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                include: {type: string}
      responses:
        '204': {description: ok}
"#,
    );
    let global = api.server.as_ref().unwrap().variables[0].cli.clone().unwrap();
    assert_eq!((global.flag.as_str(), global.field.as_str()), ("options", "options2"));
    let [op] = api.operations.as_slice() else { panic!("one operation expected") };
    let params: Vec<(&str, &str)> = op.params.iter().map(|p| (p.flag.as_str(), p.cli_field.as_str())).collect();
    assert_eq!(params, [("max-retries2", "max_retries2"), ("verbose2", "verbose2")]);
    let body: Vec<(&str, &str)> = op.command.body_flags.iter().map(|b| (b.flag.as_str(), b.field.as_str())).collect();
    assert_eq!(body, [("include2", "body_include")]);
}

/// operationId, pattern, parameter, items, next value.
type PagingView = (String, String, Option<String>, String, Option<String>);

/// The pattern, parameter and places of each operation found paginated, by operationId.
fn paging(api: &Api) -> Vec<PagingView> {
    api.operations
        .iter()
        .filter_map(|op| {
            let p = op.pagination.as_ref()?;
            Some((
                op.id.clone(),
                p.pattern.label().to_string(),
                p.param.as_ref().map(|(_, wire)| wire.clone()),
                p.items.clone(),
                p.next.clone(),
            ))
        })
        .collect()
}

fn list_op(id: &str, params: &str, page: &str) -> String {
    format!(
        "  /{id}:\n    get:\n      operationId: {id}\n      parameters: [{params}]\n      responses:\n        \
         '200': {{description: ok, content: {{application/json: {{schema: {page}}}}}}}\n"
    )
}

#[test]
fn pagination_is_found_from_names() {
    let item = "{type: object, properties: {id: {type: string}}}";
    let spec = [
        list_op(
            "cursor",
            "{name: cursor, in: query, schema: {type: string}}, {name: limit, in: query, schema: {type: integer}}",
            &format!("{{type: object, properties: {{data: {{type: array, items: {item}}}, meta: {{type: object, properties: {{nextCursor: {{type: string}}}}}}}}}}"),
        ),
        list_op(
            "stripe",
            "{name: starting_after, in: query, schema: {type: string}}",
            &format!("{{type: object, properties: {{data: {{type: array, items: {item}}}, has_more: {{type: boolean}}}}}}"),
        ),
        list_op(
            "pages",
            "{name: page, in: query, schema: {type: integer, minimum: 0}}, {name: per_page, in: query, schema: {type: integer}}",
            &format!("{{type: array, items: {item}}}"),
        ),
        list_op(
            "offsets",
            "{name: offset, in: query, schema: {type: integer}}, {name: limit, in: query, schema: {type: integer}}",
            &format!("{{type: object, properties: {{results: {{type: array, items: {item}}}, total: {{type: integer}}}}}}"),
        ),
        // Not lists: a required cursor, a single object with one array, no way to end.
        list_op(
            "required",
            "{name: cursor, in: query, required: true, schema: {type: string}}",
            &format!("{{type: object, properties: {{data: {{type: array, items: {item}}}, next: {{type: string}}}}}}"),
        ),
        list_op(
            "event",
            "{name: page, in: query, schema: {type: integer}}, {name: per_page, in: query, schema: {type: integer}}",
            &format!("{{type: object, properties: {{id: {{type: string}}, relationships: {{type: array, items: {item}}}}}}}"),
        ),
        list_op("endless", "{name: page, in: query, schema: {type: integer}}", &format!("{{type: array, items: {item}}}")),
    ]
    .concat();
    let api = lower(&format!("paths:\n{spec}"));
    let s = |t: &str| t.to_string();
    assert_eq!(
        paging(&api),
        [
            (s("cursor"), s("cursor"), Some(s("cursor")), s("/data"), Some(s("/meta/nextCursor"))),
            (s("offsets"), s("offset"), Some(s("offset")), s("/results"), None),
            (s("pages"), s("page"), Some(s("page")), s(""), None),
            (s("stripe"), s("last-item"), Some(s("starting_after")), s("/data"), None),
        ]
    );
    let pages = api.operations.iter().find(|op| op.id == "pages").unwrap().pagination.as_ref().unwrap();
    assert_eq!(pages.pattern, PagePattern::Page { first: 0 });
    assert_eq!(pages.size_param.as_deref(), Some("per_page"));
    assert_eq!(pages.param.as_ref().map(|(name, _)| name.as_str()), Some("page"));
    let offsets = api.operations.iter().find(|op| op.id == "offsets").unwrap().pagination.as_ref().unwrap();
    assert_eq!(offsets.total, Some(PageTotal::Items("/total".into())));
}

#[test]
fn x_pagination_states_a_pattern_or_turns_it_off() {
    let page = "{type: object, properties: {things: {type: array, items: {type: string}}, tags: {type: array, items: {type: string}}, more: {type: string}}}";
    let stated = "  /stated:\n    get:\n      operationId: stated\n      x-pagination: {pattern: cursor, param: from, items: /things, next: /more}\n      parameters: [{name: from, in: query, schema: {type: string}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: ".to_string() + page + "}}}\n";
    let off = "  /off:\n    get:\n      operationId: off\n      x-pagination: false\n      parameters: [{name: cursor, in: query, schema: {type: string}}]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {data: {type: array, items: {type: string}}, next_cursor: {type: string}}}}}}\n";
    let wrong = "  /wrong:\n    get:\n      operationId: wrong\n      x-pagination: {pattern: cursor, param: nope, items: /things, next: /more}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: ".to_string() + page + "}}}\n";
    let api = lower(&format!("paths:\n{stated}{off}{wrong}"));
    let s = |t: &str| t.to_string();
    assert_eq!(paging(&api), [(s("stated"), s("cursor"), Some(s("from")), s("/things"), Some(s("/more")))]);
    assert!(api.operations[0].pagination.as_ref().is_none_or(|p| p.stated));
    let warnings: Vec<String> = api.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("~1wrong/get/x-pagination") && w.contains("not an optional query parameter")),
        "{warnings:?}"
    );
}

#[test]
fn a_declared_link_header_is_followed() {
    let spec = "paths:\n  /things:\n    get:\n      operationId: list_things\n      responses:\n        '200':\n          description: ok\n          headers: {Link: {schema: {type: string}}}\n          content: {application/json: {schema: {type: array, items: {type: integer}}}}\n  /other:\n    get:\n      operationId: list_things_stream\n      responses: {'204': {description: ok}}\n";
    let api = lower(spec);
    let op = api.operations.iter().find(|op| op.id == "list_things").unwrap();
    let p = op.pagination.as_ref().unwrap();
    assert_eq!(p.pattern, PagePattern::Link);
    assert_eq!(p.param, None);
    assert_eq!(p.item_type, TypeRef::Int(IntType::I64));
    assert!(api.operations.iter().any(|op| op.method_name == "list_things_stream"));
}

#[test]
fn optional_parameters_are_methods_of_the_call_named_apart_from_its_own() {
    let api = lower(
        r#"
paths:
  /things/{id}:
    post:
      operationId: updateThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: timeout, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: body, in: header, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {'204': {description: ok}}
  /error:
    get:
      operationId: error
      responses: {'204': {description: ok}}
"#,
    );
    let op = operation(&api, "updateThing");
    let setters: Vec<(&str, Option<&str>)> =
        op.params.iter().map(|p| (p.name.as_str(), p.setter.as_ref().map(|s| s.as_str()))).collect();
    assert_eq!(
        setters,
        [("id", None), ("timeout", Some("timeout_param")), ("limit", Some("limit")), ("body2", Some("body2"))]
    );
    assert_eq!(op.body_setter.as_ref().map(|s| s.as_str()), Some("body"));
    assert_eq!(op.call_type, "UpdateThing");
    // Subcommands in kebab-case, the operationId accepted too.
    assert_eq!((op.command.name.as_str(), op.command.alias.as_deref()), ("update-thing", Some("updateThing")));
    // An operation's type is not named like what the operations' files import.
    let error = operation(&api, "error");
    assert_eq!(error.call_type, "Error2");
    assert_eq!((error.command.name.as_str(), error.command.alias.as_deref()), ("error", None));
}

#[test]
fn typed_mocks_match_optional_parameters_by_the_setters_names_apart_from_their_own() {
    let api = lower(
        r#"
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: times, in: query, schema: {type: integer}}
        - {name: query, in: query, schema: {type: string}}
        - {name: timeout, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: fails, in: query, schema: {type: integer}}
        - {name: fails_param, in: query, schema: {type: integer}}
      responses: {'204': {description: ok}}
"#,
    );
    let op = operation(&api, "listThings");
    assert_eq!(op.mock_method, "expect_list_things");
    let setters: Vec<(Option<&str>, Option<&str>)> = op
        .params
        .iter()
        .map(|p| (p.setter.as_ref().map(|s| s.as_str()), p.mock_setter.as_ref().map(|s| s.as_str())))
        .collect();
    assert_eq!(
        setters,
        [
            // `times` and `query` are methods of the expectation, not of the `Call`.
            (Some("times"), Some("times_param")),
            (Some("query"), Some("query_param")),
            (Some("timeout_param"), Some("timeout_param")),
            (Some("limit"), Some("limit")),
            // Apart from another parameter's name too.
            (Some("fails"), Some("fails_param2")),
            (Some("fails_param"), Some("fails_param")),
        ]
    );
}

#[test]
fn a_union_without_a_discriminator_is_tagged_by_a_one_value_property_every_member_requires() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Range:
      oneOf:
        - {type: object, required: [type, end], properties: {type: {type: string, enum: [range_to]}, end: {type: number}}}
        - {type: object, required: [type, start], properties: {type: {type: string, enum: [range_from]}, start: {type: number}}}
        - {type: object, required: [type], properties: {type: {type: string, enum: [all]}}}
    Loose:
      oneOf:
        - {type: object, required: [kind], properties: {kind: {type: string, enum: [a]}, x: {type: number}}}
        - {type: object, properties: {kind: {type: string, enum: [b]}, y: {type: number}}}
"#,
    );
    let TypeKind::Union(range) = &def(&api, "Range").kind else { panic!() };
    assert_eq!(range.tag.as_deref(), Some("type"));
    // A value a newer server sends, with a tag no member allows, is kept as it came.
    assert_eq!(range.other.as_ref().map(Ident::as_str), Some("Other"));
    let variants: Vec<(&str, &[String])> =
        range.variants.iter().map(|v| (v.name.as_str(), &v.tag_values[..])).collect();
    assert_eq!(
        variants,
        [
            ("RangeTo", &["range_to".to_string()][..]),
            ("RangeFrom", &["range_from".to_string()][..]),
            ("All", &["all".to_string()][..])
        ]
    );
    // Inline members leave the tag to the union, unless it is all they have.
    let names = |n: &str| fields(def(&api, n)).iter().map(|f| f.0.to_string()).collect::<Vec<_>>();
    assert_eq!(names("RangeRangeTo"), ["end"]);
    assert_eq!(names("RangeAll"), ["r#type"]);
    // A member that does not require the property cannot be told apart by it.
    let TypeKind::Union(loose) = &def(&api, "Loose").kind else { panic!() };
    assert_eq!((loose.tag.as_deref(), loose.other.as_ref()), (None, None));
    assert!(loose.variants.iter().all(|v| v.tag_values.is_empty()));
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations.iter().find(|op| op.id == id).unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn credentials_are_optional_where_no_security_is_declared_or_an_alternative_is_empty() {
    let ok = "responses: {'204': {description: ok}}";
    let api = lower(&format!(
        r#"
paths:
  /a: {{get: {{operationId: undeclared, {ok}}}}}
  /b: {{get: {{operationId: required, security: [{{bearer: []}}], {ok}}}}}
  /c: {{get: {{operationId: optional, security: [{{bearer: []}}, {{}}], {ok}}}}}
  /d: {{get: {{operationId: none, security: [], {ok}}}}}
components:
  securitySchemes:
    bearer: {{type: http, scheme: bearer}}
"#
    ));
    let optional = |id| operation(&api, id).auth_optional;
    assert!(optional("undeclared"));
    assert!(!optional("required"));
    assert!(optional("optional"));
    assert!(optional("none"));
    // What is sent when held is unchanged: any credential for an undeclared requirement.
    assert!(!operation(&api, "undeclared").security.is_empty());
    assert_eq!(kinds(&operation(&api, "required").security), [vec![SchemeKind::Bearer]]);
}

#[test]
fn a_response_offered_as_json_and_text_takes_either_and_accepts_both() {
    let api = lower(
        r#"
paths:
  /report:
    get:
      operationId: report
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: object, properties: {n: {type: integer}}}}
            text/csv: {schema: {type: string}}
            text/event-stream: {schema: {type: string}}
  /any:
    get:
      operationId: any
      responses:
        '200': {description: ok, content: {'*': {schema: {type: string, format: binary}}}}
  /json:
    get:
      operationId: json
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
"#,
    );
    let report = operation(&api, "report");
    let SuccessType::Body(payload) = &report.success_type else { panic!("{:?}", report.success_type) };
    assert_eq!(payload.encoding, Encoding::Json);
    assert_eq!(payload.alternatives, ["text/csv"]);
    assert_eq!(report.accept.as_deref(), Some("application/json, text/csv"));
    // `*` is not a media range; `*/*` is.
    assert_eq!(operation(&api, "any").accept.as_deref(), Some("*/*"));
    assert_eq!(operation(&api, "json").accept, None);
}

#[test]
fn optional_fields_whose_type_has_its_own_null_keep_it_apart_from_absent() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Due:
      oneOf: [{type: string}, {type: integer}, {nullable: true}]
    DueAlias: {$ref: '#/components/schemas/Due'}
    Patch:
      type: object
      required: [kept]
      properties:
        due: {$ref: '#/components/schemas/Due'}
        alias: {$ref: '#/components/schemas/DueAlias'}
        extra: {}
        kept: {$ref: '#/components/schemas/Due'}
        title: {type: string, nullable: true}
        name: {type: string}
"#,
    );
    let TypeKind::Struct(patch) = &def(&api, "Patch").kind else { panic!() };
    let takes: Vec<(&str, bool)> = patch.fields.iter().map(|f| (f.name.as_str(), f.takes_null)).collect();
    assert_eq!(
        takes,
        [("due", true), ("alias", true), ("extra", true), ("kept", false), ("title", false), ("name", false)]
    );
}

#[test]
fn examples_that_contradict_their_schemas_get_no_test_and_a_warning() {
    let api = lower(
        r#"
paths:
  /pets/{id}:
    get:
      operationId: get-pet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              examples:
                good: {value: {name: Rex, age: 3, tag: null, born: '2020-01-02T03:04:05Z'}}
                missing: {value: {age: 3}}
                wrong_type: {value: {name: Rex, age: three}}
                not_nullable: {value: {name: Rex, age: null}}
                bad_date: {value: {name: Rex, born: yesterday}}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, format: int32, minimum: 0}
        tag: {type: string, nullable: true}
        born: {type: string, format: date-time}
        email: {type: string, format: email}
      additionalProperties: false
    Counted:
      type: integer
      format: uint8
      example: 300
    Toy:
      description: Valid JSON Schema, but the struct would drop `colour`.
      type: object
      properties:
        name: {type: string}
      example: {name: ball, colour: red}
    Ball:
      description: Its members' properties are its own.
      allOf:
        - $ref: '#/components/schemas/Toy'
        - {type: object, properties: {size: {type: integer}}}
      example: {name: ball, size: 2}
"#,
    );
    let kept: Vec<&str> = api.examples.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(
        kept,
        [
            "#/components/schemas/Ball",
            "#/paths/~1pets~1{id}/get/responses/200/content/application~1json/examples/good/value"
        ]
    );
    let warnings: Vec<String> = api.warnings.iter().map(|w| w.to_string()).collect();
    let at = "test.yaml: #/paths/~1pets~1{id}/get/responses/200/content/application~1json/examples";
    let why = "the example does not match its schema, so it has no round-trip test";
    assert_eq!(
        warnings,
        [
            format!("test.yaml: #/components/schemas/Counted: {why}: at the example itself: 300 is greater than the maximum of 255"),
            "test.yaml: #/components/schemas/Toy: the example has a property its schema does not declare, which the \
             generated type drops, so it has no round-trip test: at the example itself: Unevaluated properties are not \
             allowed ('colour' was unexpected)"
                .to_string(),
            format!(r#"{at}/bad_date/value: {why}: at `/born`: "yesterday" is not a "date-time""#),
            format!(r#"{at}/missing/value: {why}: at the example itself: "name" is a required property"#),
            format!(r#"{at}/not_nullable/value: {why}: at `/age`: null is not of type "integer""#),
            format!(r#"{at}/wrong_type/value: {why}: at `/age`: "three" is not of type "integer""#),
        ]
    );
}

#[test]
fn a_response_media_type_written_star_is_asked_for_as_any() {
    let api = lower(
        r#"
paths:
  /files/{id}:
    get:
      operationId: get-file
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {'*': {schema: {type: string, format: binary}}}}
        '404': {description: no, content: {application/json: {schema: {type: object, properties: {m: {type: string}}}}}}
"#,
    );
    let warnings: Vec<String> = api.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        ["test.yaml: #/paths/~1files~1{id}/get/responses/200/content/*: `*` is not a media type or range; the client sends `Accept: */*`"]
    );
    let options = generator::Options::new("test-crate", "test.yaml");
    let emitted: String = generator::emit::emit(&api, &options)
        .into_iter()
        .filter_map(|file| match file.contents {
            generator::FileContents::Rust(pieces) => Some(pieces.iter().map(ToString::to_string).collect::<String>()),
            generator::FileContents::Text(_) => None,
        })
        .collect();
    assert!(emitted.contains(r#"request . accept ("*/*, application/json")"#), "{emitted}");
    assert!(!emitted.contains(r#"accept ("*,"#));
}

#[test]
fn a_request_struct_is_built_with_new_and_a_method_per_optional_property() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Filter:
      type: object
      required: [field]
      properties:
        field: {type: string}
        not: {type: boolean}
        with_not: {type: boolean}
        new: {type: string}
        color: {type: string}
"#,
    );
    let TypeKind::Struct(filter) = &def(&api, "Filter").kind else { panic!() };
    let setters: Vec<(&str, Option<&str>)> =
        filter.fields.iter().map(|f| (f.name.as_str(), f.setter.as_ref().map(|s| s.as_str()))).collect();
    assert_eq!(
        setters,
        [
            ("field", None),
            ("not", Some("with_not")),
            ("with_not", Some("with_with_not")),
            ("new", Some("with_new")),
            ("color", Some("color"))
        ]
    );
}

#[test]
fn a_client_credentials_flow_gets_the_bearer_token_with_the_scopes_operations_require() {
    let api = lower(
        r#"
security: [{OAuth: [read]}]
paths:
  /x: {get: {operationId: x, security: [{OAuth: [write, read, write]}], responses: {"204": {description: ok}}}}
  /y: {get: {operationId: y, responses: {"204": {description: ok}}}}
  /z: {get: {operationId: z, security: [{Token: [read]}, {Key: [admin], OAuth: [admin]}], responses: {"204": {description: ok}}}}
  /w: {get: {operationId: w, security: [{OAuth: [b], Ident: [a]}, {OAuth: [c]}], responses: {"204": {description: ok}}}}
components:
  securitySchemes:
    Token: {type: http, scheme: bearer}
    Key: {type: apiKey, in: header, name: X-Key}
    Ident: {type: openIdConnect, openIdConnectUrl: https://example.com/.well-known/openid-configuration}
    OAuth:
      type: oauth2
      flows:
        authorizationCode: {authorizationUrl: /authorize, tokenUrl: /code-token, scopes: {}}
        clientCredentials: {tokenUrl: /oauth/token, scopes: {read: r, write: w, admin: a}}
"#,
    );
    // One bearer credential: the document's token, or the one the flow gets.
    let flow = ClientCredentialsFlow { scheme: "OAuth".into(), token_url: "/oauth/token".into() };
    let kinds: Vec<SchemeKind> = api.security.iter().map(SecurityScheme::kind).collect();
    assert_eq!(kinds, [SchemeKind::Bearer, SchemeKind::ApiKey], "in the order of their keys");
    assert_eq!(api.security[0], SecurityScheme::Bearer { doc: None, client_credentials: Some(flow) });
    let required = |kind, scopes: &[&str]| Required { kind, scopes: scopes.iter().map(|s| s.to_string()).collect() };
    let bearer = |scopes: &[&str]| vec![required(SchemeKind::Bearer, scopes)];
    // Each operation's own scopes, sorted, each once; else the document's.
    assert_eq!(operation(&api, "x").security, [bearer(&["read", "write"])]);
    assert_eq!(operation(&api, "y").security, [bearer(&["read"])]);
    // A plain bearer scheme has no scopes; an API key's list (3.1's roles) is not scopes.
    assert_eq!(
        operation(&api, "z").security,
        [bearer(&[]), vec![required(SchemeKind::ApiKey, &[]), required(SchemeKind::Bearer, &["admin"])]]
    );
    // OAuth2 and OpenID Connect together are one bearer token, asked for both's scopes; a
    // later alternative of the same kinds is never chosen, whatever its scopes.
    assert_eq!(operation(&api, "w").security, [bearer(&["a", "b"])]);
}

/// Consecutive status ranges of a shared error body are one arm; a gap, a status of its own or
/// bodies that differ keep their arms apart.
#[test]
fn consecutive_error_ranges_of_a_shared_body_are_one_arm() {
    let responses = |statuses: &[&str], body: &str| {
        statuses
            .iter()
            .map(|s| {
                let schema = if *s == "5XX" { body } else { "{type: string}" };
                format!("'{s}': {{description: e, content: {{application/json: {{schema: {schema}}}}}}}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let op = |statuses: &[&str], body: &str| {
        let text = format!(
            "paths:\n  /a:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}, {}}}\n",
            responses(statuses, body)
        );
        lower(&text).operations[0].error_arms.clone()
    };
    let same = "{type: string}";
    assert_eq!(op(&["4XX", "5XX"], same), [ErrorArm::Ranges { first: 4, last: 5 }]);
    assert_eq!(
        op(&["3XX", "4XX", "5XX", "default"], same),
        [ErrorArm::Ranges { first: 3, last: 5 }, ErrorArm::Response(3)]
    );
    assert_eq!(op(&["3XX", "5XX"], same), [ErrorArm::Response(0), ErrorArm::Response(1)]);
    // A status of its own makes an enum of the errors, whose variants stay apart.
    assert_eq!(op(&["404", "4XX", "5XX"], same), [0, 1, 2].map(ErrorArm::Response));
    assert_eq!(op(&["4XX", "5XX"], "{type: integer}"), [ErrorArm::Response(0), ErrorArm::Response(1)]);
}
