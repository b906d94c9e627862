//! `api.json`: the Rust API a generated crate exposes, in the few facts a later regeneration
//! needs to say what changed (names, Rust types, required-ness, sides, spec locations, a digest
//! of each doc comment) and the crate's version. Deterministic: every map is sorted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{
    Api, ApiKeyLocation, FieldKind, IntType, Operation, SecurityScheme, Shape, Side, StatusMatch, SuccessType, TypeDef,
    TypeKind, TypeRef,
};

/// Bumped when the layout changes incompatibly; an older manifest is then read as absent.
pub const FORMAT: u32 = 1;

/// The file's name at the crate's root.
pub const FILE: &str = "api.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The package name.
    pub name: String,
    /// The crate's version: where the next `--bump` starts from.
    pub version: String,
    /// The most serious change since `version` was last set, when regenerations without
    /// `--bump` left changes unreleased (`breaking`, `compatible` or `patch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreleased: Option<String>,
    /// The document's `info.version`.
    pub spec_version: String,
    /// The default server's URL template and the values of its variables, by variable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerEntry>,
    /// The `Auth` variants, by the scheme each stands for (`api-key header X-Api-Key`).
    pub auth: BTreeMap<String, String>,
    /// By method name.
    pub operations: BTreeMap<String, OperationEntry>,
    /// By type name.
    pub types: BTreeMap<String, TypeEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerEntry {
    pub url: String,
    /// By variable's type (`Zone`): its values as variant names, document order.
    pub variables: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationEntry {
    pub id: String,
    /// `GET /ai/api-key`.
    pub http: String,
    pub pointer: String,
    /// The method's arguments, in order: `name: Type`.
    pub args: Vec<Arg>,
    /// The success type.
    pub returns: String,
    /// The error type (`NoErrorResponses` when there is none).
    pub error: String,
    /// The alternatives of credentials, each a `+`-joined list of `Scheme` variants.
    pub security: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// A digest of the method's doc comment.
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arg {
    pub name: String,
    /// The argument's Rust type (`Option<&str>`).
    pub ty: String,
    pub required: bool,
    pub pointer: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeEntry {
    /// `struct`, `enum`, `union`, `alias`, `error`, `status-error`, `success` or `headers`.
    pub kind: String,
    pub pointer: String,
    /// `request`, `response`, `both` or `neither`.
    pub side: String,
    /// `#[non_exhaustive]`: no literal outside the crate, no match without a wildcard.
    #[serde(default, skip_serializing_if = "is_false")]
    pub non_exhaustive: bool,
    /// Implements `Default`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    /// Struct fields by Rust name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldEntry>,
    /// Enum variants by name: a string enum's wire value, a union's or response enum's
    /// payload type (empty for a unit variant).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, String>,
    /// What an alias or status error stands for.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldEntry {
    /// The field's Rust type (`Option<String>`).
    pub ty: String,
    pub required: bool,
    /// The property's name on the wire; empty for a flattened field.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub wire: String,
    pub pointer: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
}

/// JSON with one line per manifest entry: objects are spread over lines down to a field or an
/// argument, which is written on one line, as are arrays of plain values.
fn layout(value: &serde_json::Value, depth: usize, out: &mut String) {
    use serde_json::Value;
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Object(map) if depth < 4 && !map.is_empty() => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                layout(item, depth + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
        Value::Array(items) if depth < 4 && items.iter().any(Value::is_object) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                out.push_str(&item.to_string());
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        value => out.push_str(&value.to_string()),
    }
}

/// `"key": ` on a line of its own at `depth`.
fn member(out: &mut String, depth: usize, key: &str) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(&serde_json::Value::String(key.to_string()).to_string());
    out.push_str(": ");
}

/// A map of the manifest's entries at depth 1, as [`layout`] writes it, one entry at a time.
fn entries<T: Serialize>(out: &mut String, map: &BTreeMap<String, T>) {
    if map.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    for (i, (key, entry)) in map.iter().enumerate() {
        member(out, 2, key);
        layout(&serde_json::to_value(entry).expect("a manifest entry always serializes"), 2, out);
        out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
    }
    out.push_str("  }");
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Manifest {
    /// The manifest of `api`, generated as crate `name` at `version`.
    pub fn of(api: &Api, name: &str, version: &str) -> Self {
        Manifest {
            format: FORMAT,
            name: name.into(),
            version: version.into(),
            unreleased: None,
            spec_version: api.version.clone(),
            server: api.server.as_ref().map(|s| ServerEntry {
                url: s.url.clone(),
                variables: s
                    .variables
                    .iter()
                    .filter(|v| !v.values.is_empty())
                    .map(|v| (v.type_name.to_string(), v.values.iter().map(|e| e.name.to_string()).collect()))
                    .collect(),
            }),
            auth: api.security.iter().map(|s| (s.kind().variant().to_string(), scheme(s))).collect(),
            operations: api.operations.iter().map(|op| (op.method_name.to_string(), operation(op))).collect(),
            types: api.types.iter().map(|def| (def.name.to_string(), type_entry(def, def.side))).collect(),
        }
    }

    /// The file's text: its first line marks it as generated (as `write` requires of files it
    /// replaces), then the manifest as indented JSON, one fact per line so that diffs read well.
    pub fn to_text(&self, source: &str) -> String {
        // Laid out an entry at a time: the whole manifest of a huge API as one JSON value was
        // several times the size of its text, and the peak of the whole generation.
        let note = crate::header::note(source);
        let mut out = format!("{{\"generated\": {}", serde_json::Value::String(note));
        let head = self.clone_head();
        let serde_json::Value::Object(head) = serde_json::to_value(&head).expect("a manifest always serializes") else {
            unreachable!("a manifest serializes as an object")
        };
        for (key, value) in &head {
            out.push_str(",\n");
            member(&mut out, 1, key);
            match key.as_str() {
                "operations" => entries(&mut out, &self.operations),
                "types" => entries(&mut out, &self.types),
                _ => layout(value, 1, &mut out),
            }
        }
        out.push_str("\n}\n");
        out
    }

    /// The manifest without its operations and types, which are what is large.
    fn clone_head(&self) -> Self {
        Manifest {
            format: self.format,
            name: self.name.clone(),
            version: self.version.clone(),
            unreleased: self.unreleased.clone(),
            spec_version: self.spec_version.clone(),
            server: self.server.clone(),
            auth: self.auth.clone(),
            operations: BTreeMap::new(),
            types: BTreeMap::new(),
        }
    }

    /// Reads a manifest written by [`Manifest::to_text`].
    pub fn parse(text: &str) -> Result<Self, String> {
        let manifest: Manifest = serde_json::from_str(text).map_err(|e| format!("not a manifest: {e}"))?;
        if manifest.format != FORMAT {
            return Err(format!("format {} where this generator writes {FORMAT}", manifest.format));
        }
        Ok(manifest)
    }
}

fn scheme(s: &SecurityScheme) -> String {
    match s {
        SecurityScheme::Exo2HmacSha256 { .. } => "EXO2-HMAC-SHA256 signature".into(),
        SecurityScheme::Bearer { .. } => "bearer token".into(),
        SecurityScheme::Basic { .. } => "basic".into(),
        SecurityScheme::ApiKey { name, location, .. } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("API key in {place} {name}")
        }
    }
}

fn operation(op: &Operation) -> OperationEntry {
    let mut args: Vec<Arg> = op
        .params
        .iter()
        .map(|p| Arg {
            name: p.name.to_string(),
            // An optional parameter is a method of the call, which takes the value.
            ty: if p.required { param_type(&p.ty) } else { setter_type(&p.ty) },
            required: p.required,
            pointer: p.pointer.clone(),
            doc: digest(p.doc.as_deref()),
        })
        .collect();
    if let Some(body) = &op.body {
        let ty = match body.payload.encoding {
            crate::model::Encoding::Bytes => "Vec<u8>".to_string(),
            crate::model::Encoding::Text => "String".to_string(),
            _ => format!("&{}", rust_type(&body.payload.ty)),
        };
        args.push(Arg {
            name: "body".into(),
            ty: optional(ty, body.required),
            required: body.required,
            pointer: format!("{}/requestBody", op.pointer),
            doc: digest(body.doc.as_deref()),
        });
    }
    let returns = match &op.success_type {
        SuccessType::Unit => "()".to_string(),
        SuccessType::Body(payload) => payload_type(payload),
        SuccessType::Enum(name) => name.to_string(),
    };
    let mut doc = String::new();
    for part in [&op.summary, &op.description].into_iter().flatten() {
        doc.push_str(part);
        doc.push('\n');
    }
    OperationEntry {
        id: op.id.clone(),
        http: format!("{} {}", op.http_method.as_str(), op.path.text),
        pointer: op.pointer.clone(),
        args,
        returns,
        error: op.error_type.as_ref().map_or_else(|| "NoErrorResponses".into(), |n| n.to_string()),
        security: op
            .security
            .iter()
            .map(|alternative| alternative.iter().map(|r| r.kind.variant().to_string()).collect::<Vec<_>>().join("+"))
            .collect(),
        deprecated: op.deprecated,
        doc: digest(Some(&doc)),
    }
}

fn type_entry(def: &TypeDef, side: Side) -> TypeEntry {
    let mut entry = TypeEntry {
        kind: String::new(),
        pointer: def.pointer.clone(),
        side: side.as_str().into(),
        non_exhaustive: def.traits.non_exhaustive,
        default: def.traits.default,
        fields: BTreeMap::new(),
        variants: BTreeMap::new(),
        target: String::new(),
        doc: digest(def.doc.as_deref()),
    };
    let status = |s: StatusMatch| match s {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(n) => format!("{n}XX"),
        StatusMatch::Default => "default".into(),
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            entry.kind = "struct".into();
            for f in &s.fields {
                let mut ty = rust_type(f.ty.non_null());
                if f.boxed {
                    ty = format!("Box<{ty}>");
                }
                let ty = match f.shape() {
                    Shape::Plain => ty,
                    Shape::Optional => format!("Option<{ty}>"),
                    Shape::OptionalNullable => format!("Option<Option<{ty}>>"),
                };
                let pointer = match &f.kind {
                    FieldKind::Property(p) => p.pointer.clone(),
                    FieldKind::AdditionalProperties => format!("{}/additionalProperties", def.pointer),
                    FieldKind::Variant => format!("{}/allOf", def.pointer),
                };
                let field = FieldEntry {
                    ty,
                    required: f.required(),
                    wire: f.wire_name().into(),
                    pointer,
                    doc: digest(f.doc.as_deref()),
                };
                entry.fields.insert(f.name.to_string(), field);
            }
        }
        TypeKind::Enum(e) => {
            entry.kind = "enum".into();
            entry.variants = e.variants.iter().map(|v| (v.name.to_string(), v.value.clone())).collect();
            entry.variants.insert(e.other.to_string(), "(String)".into());
        }
        TypeKind::Union(u) => {
            entry.kind = "union".into();
            entry.variants = u
                .variants
                .iter()
                .map(|v| {
                    let ty = rust_type(&v.ty);
                    (v.name.to_string(), if v.boxed { format!("Box<{ty}>") } else { ty })
                })
                .collect();
            if let Some(null) = &u.null {
                entry.variants.insert(null.to_string(), String::new());
            }
        }
        TypeKind::Alias(ty) => {
            entry.kind = "alias".into();
            entry.target = rust_type(ty);
        }
        TypeKind::Newtype(ty) => {
            entry.kind = "newtype".into();
            entry.target = rust_type(ty);
        }
        TypeKind::OperationError(e) | TypeKind::OperationSuccess(e) => {
            entry.kind = if matches!(def.kind, TypeKind::OperationError(_)) { "error" } else { "success" }.into();
            entry.variants = e
                .variants
                .iter()
                .map(|v| {
                    let body = v.body.as_ref().map(payload_type).unwrap_or_default();
                    (v.name.to_string(), format!("{} {body}", status(v.status)).trim_end().to_string())
                })
                .collect();
        }
        TypeKind::StatusError { body, errors } => {
            entry.kind = "status-error".into();
            entry.target = format!("StatusError<{}>", rust_type(&body.ty));
            entry.variants = errors.variants.iter().map(|v| (status(v.status), String::new())).collect();
        }
        TypeKind::ResponseHeaders(h) => {
            entry.kind = "headers".into();
            for header in &h.headers {
                let field = FieldEntry {
                    ty: format!("Option<{}>", rust_type(&header.ty)),
                    required: false,
                    wire: header.wire_name.clone(),
                    pointer: def.pointer.clone(),
                    doc: digest(header.doc.as_deref()),
                };
                entry.fields.insert(header.name.to_string(), field);
            }
        }
    }
    entry
}

fn optional(ty: String, required: bool) -> String {
    if required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// A type as the generated code writes it, with short paths.
/// A response body's type: its schema's, or `Content` of it when other media types are offered.
fn payload_type(payload: &crate::model::Payload) -> String {
    if payload.negotiated() {
        format!("Content<{}>", rust_type(&payload.ty))
    } else {
        rust_type(&payload.ty)
    }
}

/// The type the method of an optional parameter takes (`impl Into<String>`, `i64`).
fn setter_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "impl Into<String>".into(),
        ty => rust_type(ty),
    }
}

pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Int(i) => int(*i).into(),
        TypeRef::Float => "f64".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::DateTime => "DateTime<Utc>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::External(external) => external.path.clone(),
        TypeRef::Named(name) => name.to_string(),
        TypeRef::Array(item) => format!("Vec<{}>", rust_type(item)),
        TypeRef::Tuple(items) => format!("({})", items.iter().map(rust_type).collect::<Vec<_>>().join(", ")),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", rust_type(value)),
        TypeRef::Nullable(inner) => format!("Option<{}>", rust_type(inner)),
    }
}

/// A parameter's type, borrowed as the method takes it.
fn param_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "&str".into(),
        TypeRef::Tuple(_) => rust_type(ty),
        TypeRef::Array(item) => format!("&[{}]", rust_type(item)),
        TypeRef::Bool | TypeRef::Int(_) | TypeRef::Float | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => {
            rust_type(ty)
        }
        ty => format!("&{}", rust_type(ty)),
    }
}

fn int(i: IntType) -> &'static str {
    match i {
        IntType::I8 => "i8",
        IntType::I16 => "i16",
        IntType::I32 => "i32",
        IntType::I64 => "i64",
        IntType::U8 => "u8",
        IntType::U16 => "u16",
        IntType::U32 => "u32",
        IntType::U64 => "u64",
    }
}

/// A short digest of a doc text (64-bit FNV-1a), so the manifest notices a changed description
/// without holding it; empty for no text.
fn digest(text: Option<&str>) -> String {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return String::new() };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}
