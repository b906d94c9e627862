//! Operations to client methods: parameters, request body, and responses split into the
//! success type and the operation's error enum.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};

use super::cli::CommandScope;
use super::schema::{unescape, At};
use super::template::{self, RawSegment};
use super::Lowerer;
use crate::diagnostic::escape;
use crate::model::{
    shared_error_body, Command, Encoding, HttpMethod, Operation, Param, ParamLocation, PathSegment, PathTemplate,
    Payload, QueryStyle, RequestBody, ResponseEnum, ResponseHeader, ResponseHeaders, ResponseVariant, StatusMatch,
    SuccessType, TypeDef, TypeKind, TypeRef,
};
use crate::names::{self, Ident, Scope};

impl<'a> Lowerer<'a> {
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let mut methods = Scope::default();
        // Methods of `Client` that operations must not shadow.
        for reserved in client_runtime::reserved::CLIENT_METHODS {
            methods.reserve(reserved);
        }
        let mut commands = Scope::default();
        // The operations' own types live in `operations`, beside what its files import.
        let mut call_types = Scope::for_types();
        for imported in ["Call", "Client", "Request", "Error", "Scheme", "types"] {
            call_types.reserve(imported);
        }
        let mut ids: HashMap<String, String> = HashMap::new();
        let mut out = Vec::new();
        let doc = self.doc;
        for (path, item) in doc.paths.paths.iter() {
            let item_pointer = format!("#/paths/{}", escape(path));
            let ReferenceOr::Item(item) = item else {
                self.error(&item_pointer, "`$ref` path items are not supported");
                continue;
            };
            for (method, op) in item.iter() {
                let pointer = format!("{item_pointer}/{method}");
                let http_method = match method {
                    "get" => HttpMethod::Get,
                    "put" => HttpMethod::Put,
                    "post" => HttpMethod::Post,
                    "delete" => HttpMethod::Delete,
                    "options" => HttpMethod::Options,
                    "head" => HttpMethod::Head,
                    "patch" => HttpMethod::Patch,
                    _ => HttpMethod::Trace,
                };
                let id = op.operation_id.clone().unwrap_or_else(|| format!("{method}{path}"));
                if let Some(first) = ids.insert(id.clone(), pointer.clone()) {
                    self.error(
                        format!("{pointer}/operationId"),
                        format!("operationId {id:?} is already used by {first}"),
                    );
                    continue;
                }
                let candidate = names::method(self.custom.operation_names.get(&id).unwrap_or(&id));
                if methods.is_taken(&candidate) && op.operation_id.is_some() {
                    let other =
                        out.iter().find(|o: &&Operation| o.method_name.as_str() == candidate).map(|o| o.id.clone());
                    if let Some(other) = other {
                        self.error(
                            format!("{pointer}/operationId"),
                            format!("operationId {id:?} and {other:?} both become the method `{candidate}`"),
                        );
                        continue;
                    }
                }
                let method_name = methods.claim(candidate);
                // Method names are unique, and so are their kebab-case forms.
                let name = method_name.unraw().replace('_', "-");
                let command = Command {
                    variant: commands.claim(names::type_name(method_name.as_str())),
                    alias: (id != name).then(|| id.clone()),
                    name,
                    // Named once the body's type is final.
                    body_flags: Vec::new(),
                };
                let type_base = names::type_prefix(&id);
                let mut cli = CommandScope::new(self.global_flag.as_ref());
                let mut params = self.params(&item.parameters, &op.parameters, &type_base, &pointer, &mut cli);
                let path = self.path_template(path, &params, &pointer);
                let body = op
                    .request_body
                    .as_ref()
                    .and_then(|b| self.request_body(b, &type_base, method_name.as_str(), &pointer));
                let body_setter = setters(&mut params, body.as_ref().filter(|b| !b.required).is_some());
                let call_type = call_types.claim(names::type_name(method_name.as_str()));
                // Operations' method names are unique, so are these, and no method of the
                // runtime's `MockServer` starts with `expect_`.
                let mock_method = Ident::from(format!("expect_{}", method_name.unraw()).as_str());
                let (success, errors) = self.responses(&op.responses, &type_base, method_name.as_str(), &pointer);
                let declared = self.response_headers(&op.responses, &type_base, &pointer);
                let request_id_header = declared.request_id.clone();
                let link_header = declared.success.iter().any(|h| h.wire_name.eq_ignore_ascii_case("link"));
                let response_headers = (!declared.success.is_empty()).then(|| {
                    let name = self.types.claim(format!("{type_base}ResponseHeaders"));
                    let kind = TypeKind::ResponseHeaders(ResponseHeaders {
                        method_name: method_name.clone(),
                        headers: declared.success,
                    });
                    self.defs.push(TypeDef {
                        name: name.clone(),
                        doc: None,
                        kind,
                        pointer: format!("{pointer}/responses"),
                        side: crate::model::Side::Neither,
                        traits: Default::default(),
                    });
                    name
                });
                let success_type = self.success_type(&type_base, &method_name, &id, &success, &pointer);
                let (security, auth_optional) = self.requirement(op.security.as_ref(), &pointer);
                let accept = accept(&success, &errors);
                let pagination = self.pagination(&super::pagination::Candidate {
                    pointer: &pointer,
                    params: &params,
                    success: &success_type,
                    link_header,
                    extension: op.extensions.get("x-pagination"),
                    is_get: http_method == HttpMethod::Get,
                });
                let error_type = (!errors.is_empty()).then(|| {
                    let name = self.types.claim(format!("{type_base}Error"));
                    let responses = ResponseEnum {
                        method_name: method_name.clone(),
                        operation_id: id.clone(),
                        variants: errors.clone(),
                    };
                    let kind = match shared_error_body(&errors) {
                        Some(body) => TypeKind::StatusError { body: body.clone(), errors: responses },
                        None => TypeKind::OperationError(responses),
                    };
                    self.defs.push(TypeDef {
                        name: name.clone(),
                        doc: None,
                        kind,
                        pointer: format!("{pointer}/responses"),
                        side: crate::model::Side::Neither,
                        traits: Default::default(),
                    });
                    name
                });
                out.push(Operation {
                    id,
                    method_name,
                    pointer,
                    http_method,
                    path,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    params,
                    body,
                    success,
                    success_type,
                    error_type,
                    error_arms: crate::model::error_arms(&errors),
                    errors,
                    security,
                    auth_optional,
                    accept,
                    response_headers,
                    request_id_header,
                    tags: op.tags.clone(),
                    feature: None,
                    command,
                    pagination,
                    call_type,
                    mock_method,
                    body_setter,
                });
            }
        }
        out.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        // An alias that is another subcommand's name, or another's alias too, would make
        // clap refuse the command line: only the name is kept then.
        let names: HashSet<String> = out.iter().map(|op| op.command.name.clone()).collect();
        let mut aliases: HashMap<String, usize> = HashMap::new();
        for op in &out {
            if let Some(alias) = &op.command.alias {
                *aliases.entry(alias.clone()).or_default() += 1;
            }
        }
        for op in &mut out {
            if op.command.alias.as_ref().is_some_and(|a| names.contains(a) || aliases[a] > 1) {
                op.command.alias = None;
            }
        }
        out
    }

    fn path_template(&mut self, path: &str, params: &[Param], pointer: &str) -> PathTemplate {
        let raw = match template::parse(path) {
            Ok(raw) => raw,
            Err(message) => {
                self.error(pointer, message);
                return PathTemplate { text: path.into(), segments: vec![PathSegment::Literal(path.into())] };
            }
        };
        let mut segments = Vec::new();
        for segment in raw {
            match segment {
                RawSegment::Literal(text) => segments.push(PathSegment::Literal(text)),
                RawSegment::Param(name) => {
                    match params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == name) {
                        Some(p) => segments.push(PathSegment::Param { name: p.name.clone() }),
                        None => {
                            self.error(
                                pointer,
                                format!("path parameter {{{name}}} in the path is not declared in `parameters`"),
                            );
                        }
                    }
                }
            }
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !segments.iter().any(|s| matches!(s, PathSegment::Param { name, .. } if *name == p.name)) {
                self.error(
                    format!("{pointer}/parameters"),
                    format!("path parameter {:?} is declared but not used in the path {path:?}", p.wire_name),
                );
            }
        }
        PathTemplate { text: path.to_string(), segments }
    }

    fn params(
        &mut self,
        shared: &[ReferenceOr<Parameter>],
        own: &[ReferenceOr<Parameter>],
        type_base: &str,
        pointer: &str,
        cli: &mut CommandScope,
    ) -> Vec<Param> {
        // Operation parameters override path-item ones with the same name and location.
        let mut merged: IndexMap<(String, &'static str), (&Parameter, String)> = IndexMap::new();
        for (list, base) in [(shared, pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or(pointer)), (own, pointer)] {
            for (i, p) in list.iter().enumerate() {
                let Some((p, at)) = self.resolve_parameter(p, &format!("{base}/parameters/{i}")) else { continue };
                let location = match p {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                merged.insert((p.parameter_data_ref().name.clone(), location), (p, at));
            }
        }
        let mut scope = Scope::default();
        // Names the generated method body uses for itself.
        for reserved in ["body", "request", "response", "self_"] {
            scope.reserve(reserved);
        }
        let mut out = Vec::new();
        for ((wire_name, _), (p, at)) in merged {
            let data = p.parameter_data_ref();
            let (location, style) = match p {
                Parameter::Path { .. } => (ParamLocation::Path, QueryStyle::Form),
                Parameter::Query { .. } if is_json_content(&data.format) => (ParamLocation::Query, QueryStyle::Json),
                Parameter::Query { style, .. } => (ParamLocation::Query, query_style(style, data.explode)),
                Parameter::Header { .. } => (ParamLocation::Header, QueryStyle::Form),
                Parameter::Cookie { .. } => (ParamLocation::Cookie, QueryStyle::Form),
            };
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"].contains(&wire_name.to_ascii_lowercase().as_str())
            {
                // The client sets these itself; OpenAPI says to ignore them as parameters.
                continue;
            }
            // A shared component parameter gets one type for every operation that uses it.
            let hint = if at.starts_with("#/components/") {
                names::type_prefix(&wire_name)
            } else {
                format!("{type_base}{}", names::type_prefix(&wire_name))
            };
            if let (ParamLocation::Query, ParameterSchemaOrContent::Schema(schema)) = (location, &data.format) {
                if self.resolve_schema(schema).is_some_and(|s| starts_at_zero(&s)) {
                    self.zero_pages.insert(at.clone());
                }
            }
            let constraints = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => self.resolve_schema(schema).and_then(|s| constraints(&s)),
                ParameterSchemaOrContent::Content(_) => None,
            };
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.type_of(schema, At { hint, pointer: &format!("{at}/schema") })
                }
                ParameterSchemaOrContent::Content(content) => {
                    match content.values().next().and_then(|m| m.schema.as_ref()) {
                        Some(schema) => self.type_of(schema, At { hint, pointer: &format!("{at}/content") }),
                        None => TypeRef::String,
                    }
                }
            };
            let ty = match ty {
                TypeRef::Nullable(inner) => *inner,
                ty => ty,
            };
            let name = scope.claim(names::field(&wire_name));
            let (flag, cli_field, cli_local) = cli.param(&name, &wire_name);
            out.push(Param {
                name,
                wire_name,
                flag,
                cli_field,
                cli_local,
                pointer: at,
                location,
                doc: data.description.clone(),
                ty,
                required: data.required || location == ParamLocation::Path,
                style,
                setter: None,
                mock_setter: None,
                constraints,
            });
        }
        out
    }

    /// The parameter and the pointer of its definition (the component's, for a reference).
    fn resolve_parameter<'d>(&mut self, p: &'d ReferenceOr<Parameter>, at: &str) -> Option<(&'d Parameter, String)>
    where
        'a: 'd,
    {
        match p {
            ReferenceOr::Item(p) => Some((p, at.to_string())),
            ReferenceOr::Reference { reference } => {
                let found = self.component(reference, "parameters", |c| &c.parameters);
                if found.is_none() {
                    self.error(
                        format!("{at}/$ref"),
                        format!("`$ref` {reference:?} does not resolve to a parameter of this document"),
                    );
                }
                found
            }
        }
    }

    /// The item a `#/components/<section>/<key>` reference names, with its pointer.
    fn component<'d, T>(
        &self,
        reference: &str,
        section: &str,
        map: impl Fn(&'d openapiv3::Components) -> &'d IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'d T, String)>
    where
        'a: 'd,
    {
        let key = reference.strip_prefix("#/components/")?.strip_prefix(section)?.strip_prefix('/')?;
        let doc: &'d openapiv3::OpenAPI = self.doc;
        let item = map(doc.components.as_ref()?).get(&unescape(key))?.as_item()?;
        Some((item, format!("#/components/{section}/{key}")))
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        type_base: &str,
        method_name: &str,
        pointer: &str,
    ) -> Option<RequestBody> {
        let at = format!("{pointer}/requestBody");
        let (body, at, hint, example_name) = match body {
            ReferenceOr::Item(b) => (b, at, format!("{type_base}Body"), format!("{method_name}_request")),
            ReferenceOr::Reference { reference } => {
                match self.component(reference, "requestBodies", |c| &c.request_bodies) {
                    // Lowered at the component, so every operation that uses it shares its type.
                    Some((b, at)) => {
                        let key = component_key(&at);
                        (b, at, suffixed(&key, "Body"), format!("{key}_request"))
                    }
                    None => {
                        self.error(
                            format!("{at}/$ref"),
                            format!("`$ref` {reference:?} does not resolve to a request body of this document"),
                        );
                        return None;
                    }
                }
            }
        };
        let mut payload = self.payload(&body.content, &hint, &example_name, &at)?;
        // A request is sent in the one media type chosen.
        payload.alternatives.clear();
        Some(RequestBody { payload, required: body.required, doc: body.description.clone() })
    }

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        type_base: &str,
        method_name: &str,
        pointer: &str,
    ) -> (Vec<ResponseVariant>, Vec<ResponseVariant>) {
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut variant_names = Scope::default();
        for (status, response, key) in statuses(responses) {
            let at = format!("{pointer}/responses/{key}");
            let label = status_label(status);
            let (response, at, hint, example_name) = match response {
                ReferenceOr::Item(r) => {
                    let hint = if status.is_success() && success.is_empty() {
                        format!("{type_base}Response")
                    } else {
                        format!("{type_base}{label}Response")
                    };
                    (r, at, hint, format!("{method_name}_response_{}", key.to_lowercase()))
                }
                ReferenceOr::Reference { reference } => {
                    match self.component(reference, "responses", |c| &c.responses) {
                        // Lowered at the component, so every operation that uses it shares its type.
                        Some((r, at)) => {
                            let key = component_key(&at);
                            (r, at, suffixed(&key, "Response"), format!("{key}_response"))
                        }
                        None => {
                            self.error(
                                format!("{at}/$ref"),
                                format!("`$ref` {reference:?} does not resolve to a response of this document"),
                            );
                            continue;
                        }
                    }
                }
            };
            let mut body = self.payload(&response.content, &hint, &example_name, &at);
            if let Some(payload) = body.as_mut().filter(|p| p.media_type.trim() == "*") {
                // Not a media range: the client asks for what it means.
                self.warn(
                    format!("{at}/content/{}", escape(&payload.media_type)),
                    "`*` is not a media type or range; the client sends `Accept: */*`",
                );
                payload.media_type = "*/*".into();
            }
            if let Some(Payload { ty: TypeRef::Named(name), .. }) = &body {
                self.describe_if_undocumented(name, &hint, &response.description);
            }
            let variant = ResponseVariant {
                name: variant_names.claim(label),
                status,
                doc: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
                body,
            };
            if status.is_success() {
                success.push(variant);
            } else {
                errors.push(variant);
            }
        }
        // Only `default` documented: it describes the successes too.
        if success.is_empty() {
            if let Some(default) = errors.iter().find(|v| v.status == StatusMatch::Default) {
                success.push(ResponseVariant {
                    name: variant_names.claim("Success"),
                    status: StatusMatch::Range(2),
                    doc: default.doc.clone(),
                    body: default.body.clone(),
                });
            }
        }
        (success, errors)
    }

    /// The headers the success responses declare, as fields, and the request-id header any
    /// response declares.
    fn response_headers(
        &mut self,
        responses: &openapiv3::Responses,
        type_base: &str,
        pointer: &str,
    ) -> DeclaredHeaders {
        let mut declared = DeclaredHeaders::default();
        let mut fields = Scope::default();
        for (status, response, key) in statuses(responses) {
            // Only the success statuses' headers are typed; any response's may name the request id.
            let success = status.is_success();
            let at = format!("{pointer}/responses/{key}");
            let Some((response, at)) = (match response {
                ReferenceOr::Item(r) => Some((r, at)),
                // A reference that does not resolve was reported with the response's body.
                ReferenceOr::Reference { reference } => self.component(reference, "responses", |c| &c.responses),
            }) else {
                continue;
            };
            for (wire_name, header) in &response.headers {
                let header_at = format!("{at}/headers/{}", escape(wire_name));
                let Some((header, header_at)) = (match header {
                    ReferenceOr::Item(h) => Some((h, header_at)),
                    ReferenceOr::Reference { reference } => self.component(reference, "headers", |c| &c.headers),
                }) else {
                    continue;
                };
                let lower = wire_name.to_ascii_lowercase();
                if declared.request_id.is_none() && is_request_id(&lower) {
                    declared.request_id = Some(wire_name.clone());
                }
                // OpenAPI: a response's `Content-Type` header is ignored; the body's media type says it.
                if !success
                    || lower == "content-type"
                    || declared.success.iter().any(|h| h.wire_name.eq_ignore_ascii_case(wire_name))
                {
                    continue;
                }
                let hint = format!("{type_base}{}", names::type_prefix(wire_name));
                let ty = match &header.format {
                    ParameterSchemaOrContent::Schema(schema) => {
                        self.type_of(schema, At { hint, pointer: &format!("{header_at}/schema") })
                    }
                    ParameterSchemaOrContent::Content(_) => TypeRef::String,
                };
                declared.success.push(ResponseHeader {
                    name: fields.claim(names::field(wire_name)),
                    wire_name: wire_name.clone(),
                    doc: header.description.clone(),
                    ty: self.parses_from_header(ty),
                });
            }
        }
        declared
    }

    /// `ty` when a header's text parses as it, else `String`: a header is one line of text.
    fn parses_from_header(&self, ty: TypeRef) -> TypeRef {
        match ty {
            TypeRef::Nullable(inner) => self.parses_from_header(*inner),
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Int(_)
            | TypeRef::Float
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date => ty,
            TypeRef::Named(name) if self.defs.iter().any(|d| d.name == name && matches!(d.kind, TypeKind::Enum(_))) => {
                TypeRef::Named(name)
            }
            _ => TypeRef::String,
        }
    }

    fn success_type(
        &mut self,
        type_base: &str,
        method_name: &Ident,
        id: &str,
        success: &[ResponseVariant],
        pointer: &str,
    ) -> SuccessType {
        let Some(first) = success.first() else { return SuccessType::Unit };
        if success.iter().all(|v| v.body == first.body) {
            return match &first.body {
                Some(payload) => SuccessType::Body(payload.clone()),
                None => SuccessType::Unit,
            };
        }
        let name = self.types.claim(format!("{type_base}Success"));
        let responses =
            ResponseEnum { method_name: method_name.clone(), operation_id: id.to_string(), variants: success.to_vec() };
        self.defs.push(TypeDef {
            name: name.clone(),
            doc: None,
            kind: TypeKind::OperationSuccess(responses),
            pointer: format!("{pointer}/responses"),
            side: crate::model::Side::Neither,
            traits: Default::default(),
        });
        SuccessType::Enum(name)
    }

    /// A type made for a response (named from `hint`) whose schema has no description of
    /// its own is documented by the response's.
    fn describe_if_undocumented(&mut self, name: &Ident, hint: &str, description: &str) {
        let description = description.trim();
        if name.as_str() != hint || description.is_empty() {
            return;
        }
        if let Some(def) = self.defs.iter_mut().rev().find(|d| d.name == *name) {
            if def.doc.is_none() {
                def.doc = Some(description.to_string());
            }
        }
    }

    /// The body of one media-type map: the JSON one if there is one, else the first.
    fn payload(
        &mut self,
        content: &IndexMap<String, MediaType>,
        hint: &str,
        example_name: &str,
        at: &str,
    ) -> Option<Payload> {
        let (media_type, media, encoding) =
            content.iter().map(|(k, m)| (k, m, encoding_of(k))).min_by_key(|(_, _, e)| match e {
                Encoding::Json => 0,
                Encoding::Form => 1,
                Encoding::Multipart => 2,
                Encoding::EventStream => 3,
                Encoding::Text => 4,
                Encoding::Bytes => 5,
            })?;
        let media_pointer = format!("{at}/content/{}", escape(media_type));
        let ty = match (encoding, &media.schema) {
            (Encoding::Bytes, _) => TypeRef::Bytes,
            (Encoding::Text | Encoding::EventStream, None) | (Encoding::Text, _) => TypeRef::String,
            (_, Some(schema)) => {
                self.type_of(schema, At { hint: hint.to_string(), pointer: &format!("{media_pointer}/schema") })
            }
            (_, None) => TypeRef::Json,
        };
        if encoding == Encoding::Json {
            if let Some(example) = &media.example {
                let schema = media.schema.as_ref().map(|s| (format!("{media_pointer}/schema"), s));
                self.example(example_name, &format!("{media_pointer}/example"), ty.clone(), example.clone(), schema);
            }
            for (key, example) in &media.examples {
                if let ReferenceOr::Item(openapiv3::Example { value: Some(value), .. }) = example {
                    let pointer = format!("{media_pointer}/examples/{}/value", escape(key));
                    let schema = media.schema.as_ref().map(|s| (format!("{media_pointer}/schema"), s));
                    self.example(&format!("{example_name}_{key}"), &pointer, ty.clone(), value.clone(), schema);
                }
            }
        }
        // Other types the server may answer in instead of JSON; an event stream beside JSON
        // is another way of calling, not another body of the same answer.
        let alternatives = match encoding {
            Encoding::Json => content
                .keys()
                .filter(|m| matches!(encoding_of(m), Encoding::Text | Encoding::Bytes))
                .map(|m| media_range(m))
                .collect(),
            _ => Vec::new(),
        };
        Some(Payload { ty, encoding, media_type: media_type.clone(), alternatives })
    }
}

/// Names the methods of the optional parameters, and of the body when `optional_body`, on the
/// operation's `Call`: a parameter's own name, or `<name>_param` where `Call` has a method of
/// that name (`timeout`, `retry`, `header`, `send`); the body's `body`.
fn setters(params: &mut [Param], optional_body: bool) -> Option<Ident> {
    let mut scope = Scope::default();
    for method in client_runtime::reserved::CALL_METHODS {
        scope.reserve(method);
    }
    for param in params.iter().filter(|p| p.required) {
        scope.reserve(param.name.unraw());
    }
    for param in params.iter_mut().filter(|p| !p.required) {
        let name = param.name.unraw();
        let wanted = if scope.is_taken(name) { format!("{name}_param") } else { param.name.to_string() };
        param.setter = Some(scope.claim(wanted));
    }
    // The expectation's matchers take the setters' names, but for its own methods.
    let mut mock_scope = Scope::default();
    for method in client_runtime::reserved::EXPECT_METHODS {
        mock_scope.reserve(method);
    }
    for param in params.iter().filter_map(|p| p.setter.as_ref()) {
        if !client_runtime::reserved::EXPECT_METHODS.contains(&param.unraw()) {
            mock_scope.reserve(param.unraw());
        }
    }
    for param in params.iter_mut() {
        if let Some(setter) = &param.setter {
            let name = setter.unraw();
            param.mock_setter = Some(if client_runtime::reserved::EXPECT_METHODS.contains(&name) {
                mock_scope.claim(format!("{name}_param"))
            } else {
                setter.clone()
            });
        }
    }
    optional_body.then(|| scope.claim(if scope.is_taken("body") { "request_body" } else { "body" }))
}

/// A media type as a media range for `Accept`: `*` is not one, `*/*` is.
fn media_range(media_type: &str) -> String {
    match media_type.trim() {
        "*" => "*/*".to_string(),
        other => other.to_string(),
    }
}

/// The `Accept` header of an operation, when its responses are not all `application/json`:
/// every media type they document, in order, each once.
fn accept(success: &[ResponseVariant], errors: &[ResponseVariant]) -> Option<String> {
    let mut types: Vec<String> = Vec::new();
    for payload in success.iter().chain(errors).filter_map(|v| v.body.as_ref()) {
        for media in std::iter::once(&payload.media_type).chain(&payload.alternatives) {
            let range = media_range(media);
            if !types.contains(&range) {
                types.push(range);
            }
        }
    }
    (!types.iter().all(|t| t == "application/json")).then(|| types.join(", "))
}

/// `explode` defaults to true for `form` only; the delimited styles exploded are written as
/// `form` is (one parameter per item).
fn query_style(style: &openapiv3::QueryStyle, explode: Option<bool>) -> QueryStyle {
    use openapiv3::QueryStyle as S;
    match (style, explode.unwrap_or(matches!(style, S::Form))) {
        (S::Form | S::SpaceDelimited | S::PipeDelimited, true) => QueryStyle::Form,
        (S::Form, false) => QueryStyle::FormJoined,
        (S::SpaceDelimited, false) => QueryStyle::SpaceDelimited,
        (S::PipeDelimited, false) => QueryStyle::PipeDelimited,
        (S::DeepObject, _) => QueryStyle::DeepObject,
    }
}

/// Whether a parameter is described by `content` with a JSON media type, which OpenAPI sends
/// as that media type's text rather than in a `style`.
fn is_json_content(format: &ParameterSchemaOrContent) -> bool {
    match format {
        ParameterSchemaOrContent::Content(content) => {
            content.keys().next().is_some_and(|m| encoding_of(m) == Encoding::Json)
        }
        ParameterSchemaOrContent::Schema(_) => false,
    }
}

/// The unescaped last segment of a component's pointer.
fn component_key(pointer: &str) -> String {
    unescape(pointer.rsplit('/').next().unwrap_or(pointer))
}

/// The type name for a component, ending in `suffix` once.
fn suffixed(key: &str, suffix: &str) -> String {
    let name = names::type_name(key);
    if name.ends_with(suffix) {
        name
    } else {
        format!("{name}{suffix}")
    }
}

fn encoding_of(media_type: &str) -> Encoding {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "text/json" {
        Encoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Encoding::Form
    } else if essence == "multipart/form-data" {
        Encoding::Multipart
    } else if essence == "text/event-stream" {
        Encoding::EventStream
    } else if essence.starts_with("text/") {
        Encoding::Text
    } else {
        Encoding::Bytes
    }
}

/// A variant name for a status: its reason phrase (`BadRequest`), or a class for ranges.
fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(names::variant)
            .unwrap_or_else(|| format!("Status{code}")),
        StatusMatch::Range(1) => "Informational".into(),
        StatusMatch::Range(2) => "Success".into(),
        StatusMatch::Range(3) => "Redirection".into(),
        StatusMatch::Range(4) => "ClientError".into(),
        StatusMatch::Range(5) => "ServerError".into(),
        StatusMatch::Range(n) => format!("Status{n}xx"),
        StatusMatch::Default => "Other".into(),
    }
}

/// Whether a number's schema has 0 as its minimum or its default.
/// What a parameter's schema allows beyond its type, for its documentation: bounds, lengths,
/// a pattern, and the server's default (`1 ≤ value ≤ 100; default 20`).
fn constraints(schema: &openapiv3::Schema) -> Option<String> {
    use openapiv3::{SchemaKind, Type};
    let bounds = |min: Option<String>, max: Option<String>, what: &str| match (min, max) {
        (Some(min), Some(max)) => Some(format!("{min} ≤ {what} ≤ {max}")),
        (Some(min), None) => Some(format!("{what} ≥ {min}")),
        (None, Some(max)) => Some(format!("{what} ≤ {max}")),
        (None, None) => None,
    };
    let mut parts: Vec<String> = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => {
            parts.extend(bounds(i.minimum.map(|m| m.to_string()), i.maximum.map(|m| m.to_string()), "value"));
        }
        SchemaKind::Type(Type::Number(n)) => {
            parts.extend(bounds(n.minimum.map(|m| m.to_string()), n.maximum.map(|m| m.to_string()), "value"));
        }
        SchemaKind::Type(Type::String(t)) => {
            parts.extend(bounds(t.min_length.map(|m| m.to_string()), t.max_length.map(|m| m.to_string()), "length"));
            if let Some(pattern) = &t.pattern {
                parts.push(format!("matches `{pattern}`"));
            }
        }
        SchemaKind::Type(Type::Array(a)) => {
            parts.extend(bounds(a.min_items.map(|m| m.to_string()), a.max_items.map(|m| m.to_string()), "items"));
        }
        _ => {}
    }
    if let Some(default) = &schema.schema_data.default {
        parts.push(format!("default `{default}`"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn starts_at_zero(schema: &openapiv3::Schema) -> bool {
    use openapiv3::{SchemaKind, Type};
    let minimum = match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => i.minimum == Some(0),
        SchemaKind::Type(Type::Number(n)) => n.minimum == Some(0.0),
        _ => false,
    };
    minimum || schema.schema_data.default.as_ref().and_then(serde_json::Value::as_u64) == Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(status_label(StatusMatch::Code(400)), "BadRequest");
        assert_eq!(status_label(StatusMatch::Code(403)), "Forbidden");
        assert_eq!(status_label(StatusMatch::Code(599)), "Status599");
        assert_eq!(status_label(StatusMatch::Range(4)), "ClientError");
        assert_eq!(status_label(StatusMatch::Default), "Other");
    }

    #[test]
    fn encodings() {
        assert_eq!(encoding_of("application/json; charset=utf-8"), Encoding::Json);
        assert_eq!(encoding_of("application/problem+json"), Encoding::Json);
        assert_eq!(encoding_of("text/plain"), Encoding::Text);
        assert_eq!(encoding_of("text/event-stream; charset=utf-8"), Encoding::EventStream);
        assert_eq!(encoding_of("application/octet-stream"), Encoding::Bytes);
    }
}

/// The headers an operation's responses declare.
#[derive(Default)]
struct DeclaredHeaders {
    /// Those of its success responses.
    success: Vec<ResponseHeader>,
    /// The first header of any response that carries a request id.
    request_id: Option<String>,
}

/// Whether a header (lowercase) names a request id: `x-request-id`, `request-id`,
/// `x-amzn-requestid`, `x-exoscale-request-id`.
fn is_request_id(lower: &str) -> bool {
    let compact: String = lower.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    compact.ends_with("requestid")
}

/// An operation's responses with their status and the key they have in `responses`
/// (`200`, `4XX`, `default`), in status order, `default` last.
fn statuses(responses: &openapiv3::Responses) -> Vec<(StatusMatch, &ReferenceOr<openapiv3::Response>, String)> {
    let mut all: Vec<_> = responses
        .responses
        .iter()
        .map(|(status, response)| match status {
            StatusCode::Code(code) => (StatusMatch::Code(*code), response, code.to_string()),
            StatusCode::Range(r) => (StatusMatch::Range(*r), response, format!("{r}XX")),
        })
        .collect();
    all.extend(responses.default.as_ref().map(|d| (StatusMatch::Default, d, "default".to_string())));
    all.sort_by_key(|(status, _, _)| *status);
    all
}
