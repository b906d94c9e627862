//! What a crate's code needs ([`Uses`]), read off the lowered model: its types and
//! operations after any selection, so that a crate of some operations depends only on what
//! they use.

use crate::model::{Api, Encoding, SecurityScheme, TypeRef, Uses};

/// What the types, operations and schemes of `api` need.
pub fn of(api: &Api) -> Uses {
    let mut refs: Vec<&TypeRef> = api.types.iter().flat_map(|def| def.kind.refs()).collect();
    for op in &api.operations {
        refs.extend(op.params.iter().map(|p| &p.ty));
        refs.extend(op.body.iter().map(|b| &b.payload.ty));
        refs.extend(op.success.iter().chain(&op.errors).filter_map(|v| v.body.as_ref()).map(|b| &b.ty));
    }
    Uses {
        date_time: refs.iter().any(|ty| contains(ty, &|t| matches!(t, TypeRef::DateTime | TypeRef::Date))),
        uuid: refs.iter().any(|ty| contains(ty, &|t| matches!(t, TypeRef::Uuid))),
        event_streams: api
            .operations
            .iter()
            .any(|op| op.success.iter().filter_map(|v| v.body.as_ref()).any(|b| b.encoding == Encoding::EventStream)),
        exo2: api.security.iter().any(|s| matches!(s, SecurityScheme::Exo2HmacSha256 { .. })),
        oauth2: api.security.iter().any(|s| matches!(s, SecurityScheme::Bearer { client_credentials: Some(_), .. })),
    }
}

/// Whether `ty`, or a type inside it (not behind a name: named types are checked on their
/// own), is one `is` accepts.
fn contains(ty: &TypeRef, is: &dyn Fn(&TypeRef) -> bool) -> bool {
    is(ty)
        || match ty {
            TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => contains(item, is),
            TypeRef::Tuple(items) => items.iter().any(|item| contains(item, is)),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use crate::model::Uses;

    fn uses(spec: serde_json::Value) -> Uses {
        let document = crate::read::source::parse(spec.to_string().as_bytes(), "t.json").unwrap();
        crate::lower::lower(&document).unwrap().uses
    }

    fn get(response: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "x", "responses": {"200": response}}}}
        })
    }

    #[test]
    fn a_plain_document_uses_nothing_optional() {
        let json =
            serde_json::json!({"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}});
        assert_eq!(uses(get(json)), Uses::default());
    }

    #[test]
    fn a_date_inside_an_array_in_a_component_is_found() {
        let mut spec = get(
            serde_json::json!({"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}),
        );
        spec["components"] = serde_json::json!({"schemas": {"A": {"type": "object", "properties": {
            "at": {"type": "array", "items": {"type": "string", "format": "date"}}
        }}}});
        let found = uses(spec);
        assert!(found.date_time && !found.uuid && !found.event_streams, "{found:?}");
    }

    #[test]
    fn an_event_stream_response_is_found() {
        let found = uses(get(
            serde_json::json!({"description": "ok", "content": {"text/event-stream": {"schema": {"type": "string", "format": "uuid"}}}}),
        ));
        assert!(found.event_streams && !found.date_time, "{found:?}");
    }

    #[test]
    fn only_a_client_credentials_flow_needs_oauth2_tokens() {
        let ok = serde_json::json!({"description": "ok"});
        let with = |scheme: serde_json::Value| {
            let mut spec = get(ok.clone());
            spec["components"] = serde_json::json!({"securitySchemes": {"s": scheme}});
            spec["security"] = serde_json::json!([{"s": []}]);
            uses(spec)
        };
        let flow =
            serde_json::json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {}}}});
        assert!(with(flow).oauth2);
        let code = serde_json::json!({"type": "oauth2", "flows": {"authorizationCode": {
            "authorizationUrl": "/authorize", "tokenUrl": "/token", "scopes": {}
        }}});
        assert!(!with(code).oauth2);
        assert!(!with(serde_json::json!({"type": "http", "scheme": "bearer"})).oauth2);
    }
}
