//! The intermediate model: what the generated crate contains, already named, resolved and
//! ordered. Lowering builds it from an OpenAPI document; emission turns it into tokens.
//! It holds no `openapiv3` types and no tokens, so tests can build and compare it directly.

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The first server of the document, if it has one.
    pub server: Option<Server>,
    /// Named types in emission order (sorted by name).
    pub types: Vec<TypeDef>,
    /// Operations sorted by method name.
    pub operations: Vec<Operation>,
    /// Authentication schemes the document declares and the client supports.
    pub security: Vec<SecurityScheme>,
    /// Examples from the document, to become round-trip tests.
    pub examples: Vec<Example>,
    /// Places where the generator fell back to an untyped value, and why.
    pub warnings: Vec<crate::Diagnostic>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template, such as `https://api-{zone}.exoscale.com/v2`.
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// The name in the URL template.
    pub name: String,
    /// The command-line client's global flag for it (`zone`), when the server has this one
    /// variable.
    pub flag: Option<String>,
    /// The Rust type name of the variable's enum, when it has one (`Zone`).
    pub type_name: String,
    pub description: Option<String>,
    pub default: String,
    /// Allowed values with their variant names, in document order.
    pub values: Vec<EnumVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; unknown values are kept in an extra variant.
    Enum(StringEnum),
    /// A choice between schemas (`oneOf`/`anyOf`).
    Union(Union),
    /// A schema that is just another type (`type: string`, an array, a `$ref`).
    Alias(TypeRef),
    /// The error of one operation: one variant per documented error response.
    OperationError(ResponseEnum),
    /// The error of an operation whose documented errors all have the same body: the shared
    /// generic `StatusError` of that body, named for the operation.
    StatusError(Payload),
    /// The success of an operation with several differently typed success responses.
    OperationSuccess(ResponseEnum),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The properties, then flattened fields: a union from `allOf`, and the map of extra
    /// properties from `additionalProperties`.
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust name (`updated_at`, `r#type`).
    pub name: String,
    /// The name on the wire (`updated-at`).
    pub wire_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Boxed to break a cycle of types that contain each other by value.
    pub boxed: bool,
    /// The field's properties are the struct's own (`#[serde(flatten)]`): an `allOf` member
    /// that is a union.
    pub flatten: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that keeps values this client does not know.
    pub other: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `Some(property)` when the document gives a discriminator.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// The name of a unit variant for `null`, when one member of the union is `null`.
    pub null: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    /// The tag values that select this variant, for a discriminated union (the first is the
    /// one written when encoding).
    pub tag_values: Vec<String>,
    pub ty: TypeRef,
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseEnum {
    pub variants: Vec<ResponseVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseVariant {
    pub name: String,
    pub status: StatusMatch,
    pub doc: Option<String>,
    pub body: Option<Payload>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}

impl StatusMatch {
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(hundreds) => hundreds == 2,
            StatusMatch::Default => false,
        }
    }

    /// Whether the variant carries the status, because it covers more than one.
    pub fn is_many(self) -> bool {
        !matches!(self, StatusMatch::Code(_))
    }
}

/// A request or response body.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    pub ty: TypeRef,
    pub encoding: Encoding,
    /// The media type to send or expect (`application/json`).
    pub media_type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

/// A reference to a type, as it appears in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    Int(IntType),
    /// Every JSON number that is not an integer, `format: float` included: an `f32` would
    /// change values that a server sends with more precision than its spec declares.
    Float,
    Uuid,
    DateTime,
    Date,
    Bytes,
    /// Any JSON value: free-form objects, and what could not be typed.
    Json,
    Named(String),
    Array(Box<TypeRef>),
    /// A fixed-length array of differently typed items (`prefixItems`, closed by
    /// `items: false`).
    Tuple(Vec<TypeRef>),
    Map(Box<TypeRef>),
    Nullable(Box<TypeRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntType {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId as written (`update-ai-api-key`), or one derived from method and path.
    pub id: String,
    /// The client method's name (`update_ai_api_key`).
    pub method_name: String,
    /// Where the operation is in the document (`#/paths/~1ai~1api-key/get`).
    pub pointer: String,
    pub http_method: HttpMethod,
    pub path: PathTemplate,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    /// Success responses in status order.
    pub success: Vec<ResponseVariant>,
    /// The type returned on success: `()`, a body type, or the success enum.
    pub success_type: SuccessType,
    /// The name of this operation's error enum (`UpdateAiApiKeyError`); `None` when it
    /// documents no error response, and the shared `NoErrorResponses` stands in.
    pub error_type: Option<String>,
    /// Error responses in status order (`default` last).
    pub errors: Vec<ResponseVariant>,
    /// The credentials the operation accepts: alternatives in the document's order, each the
    /// kinds of scheme sent together (an `AND` of several schemes), none empty. The client
    /// applies the first alternative it holds every credential of; an empty list means the
    /// operation is sent without credentials.
    pub security: Vec<Vec<SchemeKind>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SuccessType {
    Unit,
    Body(Payload),
    Enum(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// A path such as `/ai/ai-api-key/{id}`, split into literal text and parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    pub segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// A parameter, by its Rust name.
    Param(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    /// The command-line client's flag for it (`--sort-by` is `sort-by`), unique within the
    /// operation and apart from the global flags.
    pub flag: String,
    /// Where the parameter is defined (the component's pointer, for a reference).
    pub pointer: String,
    pub location: ParamLocation,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    /// How a query parameter is written (`Form` for the other locations).
    pub style: QueryStyle,
}

/// How a query parameter is written: the runtime's definition, which the client encodes by.
pub use client_runtime::QueryStyle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub payload: Payload,
    pub required: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecurityScheme {
    /// Exoscale's request signature: `http` scheme `EXO2-HMAC-SHA256`.
    Exo2HmacSha256 {
        doc: Option<String>,
    },
    Bearer {
        doc: Option<String>,
    },
    Basic {
        doc: Option<String>,
    },
    ApiKey {
        doc: Option<String>,
        name: String,
        location: ApiKeyLocation,
    },
}

impl SecurityScheme {
    /// The kind of credential that satisfies this scheme.
    pub fn kind(&self) -> SchemeKind {
        match self {
            SecurityScheme::Exo2HmacSha256 { .. } => SchemeKind::Exo2HmacSha256,
            SecurityScheme::Bearer { .. } => SchemeKind::Bearer,
            SecurityScheme::Basic { .. } => SchemeKind::Basic,
            SecurityScheme::ApiKey { .. } => SchemeKind::ApiKey,
        }
    }
}

/// A kind of credential the generated client holds: one `Auth` variant each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SchemeKind {
    Exo2HmacSha256,
    Bearer,
    Basic,
    ApiKey,
    /// A scheme the client cannot apply itself (an unsupported HTTP scheme, a second API key
    /// sent elsewhere than the one `Auth::ApiKey` stands for), and the document saying
    /// nothing: satisfied by the caller's own `Auth::Header`.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

/// One `example` of the document, with the type it must decode into.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// A snake-case name for the test (`update_ai_api_key_response_400`).
    pub name: String,
    /// Where the example is in the document, as a JSON pointer.
    pub pointer: String,
    pub ty: TypeRef,
    /// The example as compact JSON.
    pub json: String,
}

/// The body every documented error response has, when they all have the same one and each
/// stands for many statuses (`4XX`, `default`): such an operation's error is
/// `StatusError<body>` rather than an enum of its own, as each variant would be a status and
/// that body anyway. Responses for one status keep their named variants (`Forbidden(body)`).
pub fn shared_error_body(errors: &[ResponseVariant]) -> Option<&Payload> {
    let first = errors.first()?.body.as_ref()?;
    errors.iter().all(|v| v.status.is_many() && v.body.as_ref() == Some(first)).then_some(first)
}
