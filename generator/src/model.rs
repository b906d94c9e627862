//! The intermediate model: what the generated crate contains, already named, resolved and
//! ordered. Lowering builds it from an OpenAPI document; emission turns it into tokens.
//! It holds no `openapiv3` types and no tokens, so tests can build and compare it directly.
//! Every identifier is final ([`Ident`]): emission decides no names.

pub use crate::names::Ident;

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
    /// The files of the `types` module, when it has too many types for one: empty otherwise.
    pub type_files: Vec<TypeFile>,
    /// Operations sorted by method name.
    pub operations: Vec<Operation>,
    /// Authentication schemes the document declares and the client supports.
    pub security: Vec<SecurityScheme>,
    /// Examples from the document, to become round-trip tests.
    pub examples: Vec<Example>,
    /// Places where the generator fell back to an untyped value, and why.
    pub warnings: Vec<crate::Diagnostic>,
    /// The cargo features that gate groups of operations (and the types only they use):
    /// empty when the crate is not split.
    pub features: Vec<Feature>,
    /// The call the crate's front page shows, when an operation can be called with values
    /// made up for it.
    pub front_page: Option<FrontPage>,
    /// The environment variables the client reads, named for the crate
    /// (`lower::environment`): empty until the crate's name is known.
    pub environment: Environment,
    /// Crates the document's replaced types come from (`x-rust-type`, or the configuration),
    /// sorted by name: the crate's manifest depends on each.
    pub dependencies: Vec<Dependency>,
    /// What the crate's code needs, and so which dependencies and runtime files it gets.
    pub uses: Uses,
}

/// The environment variables a generated client reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Environment {
    /// The prefix of every variable (`EXOSCALE`).
    pub prefix: String,
    /// The base URL that replaces the document's (`EXOSCALE_API_ENDPOINT`).
    pub endpoint: String,
    /// For each of [`Api::security`], in order, the variables its credentials come from.
    pub schemes: Vec<Vec<String>>,
}

/// A crate the generated crate depends on because a schema is one of its types.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    /// The package name, as in a manifest (`rust-decimal`).
    pub name: String,
    /// The version requirement (`1.30`).
    pub version: String,
}

/// A Rust type that exists outside the generated crate, which a schema stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExternalType {
    /// The type's path, checked to be identifiers joined by `::` (`rust_decimal::Decimal`).
    pub path: String,
    /// The crate it needs, unless it is the standard library's.
    pub dependency: Option<Dependency>,
}

/// What a crate's code needs of its dependencies and the runtime: decided from the document,
/// so that a crate depends only on what its document uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uses {
    /// A `date-time` or `date` string somewhere: `chrono`.
    pub date_time: bool,
    /// A `uuid` string somewhere: `uuid`'s serde support (the runtime makes idempotency keys
    /// with `uuid` in any case).
    pub uuid: bool,
    /// A `text/event-stream` response: the runtime's `stream.rs` and `eventsource-stream`.
    pub event_streams: bool,
    /// A scheme signed with EXO2-HMAC-SHA256: the runtime's `exo2.rs`, `hmac` and `sha2`.
    pub exo2: bool,
    /// A scheme with OAuth2's client-credentials flow: the runtime's `oauth.rs` (`OAuth2`,
    /// `TokenSource`).
    pub oauth2: bool,
}

/// The example of the crate's front page: a client from the environment, one operation called
/// with an optional parameter set, its typed error matched.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontPage {
    pub method: Ident,
    /// The feature that compiles the operation, in a split crate.
    pub feature: Option<String>,
    /// A value per argument of the method.
    pub args: Vec<Sample>,
    /// An optional parameter's method, and a value for it.
    pub setter: Option<(Ident, Sample)>,
    /// A documented error to match: the operation's error enum, its variant, and how the
    /// variant holds its body.
    pub error: Option<(Ident, Ident, VariantShape)>,
    /// Whether the operation's success has no body (`()`), which is not printed.
    pub unit: bool,
}

/// A value made up for an argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    Text(String),
    Int,
    Bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VariantShape {
    Unit,
    Body,
    StatusAndBody,
    Status,
}

/// A cargo feature that compiles one group of operations: those of a tag, or, in a document
/// without tags, those under one path segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// `load-balancers`.
    pub name: String,
    /// The module of its operations (`load_balancers`).
    pub module: Ident,
    /// What the group is, as the document names it (the tag, or the path segment).
    pub group: String,
    pub operations: usize,
    /// The command-line client's variant of `Command` that holds the group's subcommands
    /// (`LoadBalancers`).
    pub cli_variant: Ident,
}

/// Which features compile an item: any one of them. Empty: the item is always compiled.
pub type Gate = Vec<String>;

/// One file of a split `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeFile {
    pub module: Ident,
    /// The indices in `Api::types` of the types it holds, ascending.
    pub members: Vec<usize>,
    /// The features that compile the file: those of every operation that uses its types.
    pub gate: Gate,
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
    /// The argument of `servers::base_url` that fills it in (`zone`).
    pub ident: Ident,
    /// The method of `ClientBuilder` that picks it (`.zone(…)`), when the server has this one
    /// variable and the name is free.
    pub builder_method: Option<Ident>,
    /// The environment variable's name after the crate's prefix (`ZONE`).
    pub env: String,
    /// The whole environment variable's name (`EXOSCALE_ZONE`), once the crate is named
    /// ([`Api::environment`]).
    pub env_var: String,
    /// The command-line client's global flag for it, when the server has this one variable.
    pub cli: Option<GlobalFlag>,
    /// The Rust type name of the variable's enum, when it has one (`Zone`).
    pub type_name: Ident,
    pub description: Option<String>,
    pub default: String,
    /// Allowed values with their variant names, in document order.
    pub values: Vec<EnumVariant>,
}

/// A flag every subcommand of the command-line client takes.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalFlag {
    /// `zone` for `--zone`; apart from the client's own global flags.
    pub flag: String,
    /// The field of the `Cli` struct that holds it, which is also clap's id for the argument:
    /// no subcommand's field may have it, or clap would take one argument for the other.
    pub field: Ident,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: Ident,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// Where the type comes from in the document: its schema, or for an operation's error,
    /// success and headers types the operation's `responses`.
    pub pointer: String,
    /// Which way its values travel, as the API's operations reach it ([`assign_sides`]).
    pub side: Side,
    /// What the type derives and implements, decided once (`lower::traits`) for emit and the
    /// change report alike.
    pub traits: Traits,
}

/// What a generated type derives and implements, as typify's `TypeEntry` records it: emit
/// prints it, the change report compares it, neither works it out again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Traits {
    /// The paths in its `#[derive(..)]`, in order (`Debug`, `serde::Serialize`, then what the
    /// configuration adds).
    pub derives: Vec<String>,
    /// `#[non_exhaustive]`: no literal outside the crate, no exhaustive match.
    pub non_exhaustive: bool,
    /// It has `Default` (derived).
    pub default: bool,
    /// It parses from text with `FromStr` (a string enum), so a command-line flag or a header
    /// takes it as it is rather than as JSON.
    pub from_str: bool,
    /// How it is decoded, when serde's derive is not in [`derives`](Traits::derives).
    pub decode: Decode,
}

/// How a type gets its `Deserialize`, when it is not derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decode {
    /// Derived, written by hand for its kind, or none (the type is never decoded).
    #[default]
    Other,
    /// Through `crate::object::FromMap`: a struct's properties read one by one, so that an
    /// error names the property and unknown ones are skipped without buffering.
    FromMap,
}

/// How a field holds its value: optional fields are `Option`s, and an optional field that may
/// be `null` is an `Option<Option<T>>`, so that leaving it out and sending `null` differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Plain,
    Optional,
    /// Optional, and `null` is a value of its own (`Some(None)`).
    OptionalNullable,
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
    /// A schema that is a list or map of itself (`Tree: {items: {$ref: Tree}}`): a struct
    /// around the type, encoded as the type itself, since an alias cannot name itself.
    Newtype(TypeRef),
    /// The error of one operation: one variant per documented error response.
    OperationError(ResponseEnum),
    /// The error of an operation whose documented errors all have the same body: the shared
    /// generic `StatusError` of that body, named for the operation.
    StatusError {
        body: Payload,
        errors: ResponseEnum,
    },
    /// The success of an operation with several differently typed success responses.
    OperationSuccess(ResponseEnum),
    /// The headers an operation's success responses declare, read from a response.
    ResponseHeaders(ResponseHeaders),
}

/// The headers an operation's success responses declare.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeaders {
    /// The operation's method (`list_pets`).
    pub method_name: Ident,
    pub headers: Vec<ResponseHeader>,
}

/// One declared response header: a field of the operation's headers struct, `None` when the
/// response lacks it or its value does not parse as the type.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The field (`x_rate_limit`).
    pub name: Ident,
    /// The header as the document writes it (`X-Rate-Limit`).
    pub wire_name: String,
    pub doc: Option<String>,
    /// A type that parses from the header's text (`FromStr`): a scalar, or a string enum.
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The properties, then flattened fields: a union from `allOf`, and the map of extra
    /// properties from `additionalProperties`.
    pub fields: Vec<Field>,
    /// The names its `Deserialize` (the `FromMap` impl) gives its locals.
    pub locals: Locals,
}

/// The locals of a struct's `FromMap` impl, none shadowing another.
#[derive(Debug, Clone, PartialEq)]
pub struct Locals {
    /// The object being read, and a key of it: `map` and `key`, unless a field has the name.
    pub map: Ident,
    pub key: Ident,
    /// A slot per field, in order: the field's name, unless that is only underscores and
    /// digits (`_2020_10_10`), which clippy refuses as a local's name.
    pub slots: Vec<Ident>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust name (`updated_at`, `r#type`).
    pub name: Ident,
    pub doc: Option<String>,
    /// `Nullable` when the property may be `null`.
    pub ty: TypeRef,
    /// Boxed to break a cycle of types that contain each other by value.
    pub boxed: bool,
    /// Whether the type has a value for `null` of its own (a union with a `null` member, any
    /// JSON value), so that an optional field reads a present `null` as `Some` of it: absent
    /// and `null` stay apart, as the `Option<Option<T>>` of a nullable field keeps them.
    pub takes_null: bool,
    /// For an optional property, the method that sets it on a struct a request reaches
    /// (`Type::new(..).color("black")`): its name, or `with_<name>` where that is `new` or a
    /// method of a standard trait (clippy would take `not` for `Not::not`).
    pub setter: Option<Ident>,
    pub kind: FieldKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Property(Property),
    /// Properties beyond the documented ones (`additionalProperties`), flattened into the
    /// struct as a map.
    AdditionalProperties,
    /// The properties of an `allOf` member that is a union, flattened into the struct.
    Variant,
}

/// A documented property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The name on the wire (`updated-at`).
    pub wire_name: String,
    /// Where the property is in the document.
    pub pointer: String,
    pub required: bool,
    /// The server's default, as JSON.
    pub default: Option<String>,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
}

impl Field {
    pub fn property(&self) -> Option<&Property> {
        match &self.kind {
            FieldKind::Property(property) => Some(property),
            _ => None,
        }
    }

    /// The name on the wire; empty for a flattened field, which has none.
    pub fn wire_name(&self) -> &str {
        self.property().map_or("", |p| p.wire_name.as_str())
    }

    /// How the field holds its value (around [`ty`](Field::ty)'s inner type, boxed or not).
    pub fn shape(&self) -> Shape {
        match (self.required(), matches!(self.ty, TypeRef::Nullable(_))) {
            (true, false) => Shape::Plain,
            (true, true) | (false, false) => Shape::Optional,
            (false, true) => Shape::OptionalNullable,
        }
    }

    /// Whether a value must be present: a flattened field always is, perhaps empty.
    pub fn required(&self) -> bool {
        self.property().is_none_or(|p| p.required)
    }

    pub fn is_flattened(&self) -> bool {
        self.property().is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that keeps values this client does not know.
    pub other: Ident,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub name: Ident,
    pub value: String,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// `Some(property)` when the document gives a discriminator.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// The name of a unit variant for `null`, when one member of the union is `null`.
    pub null: Option<Ident>,
    /// The name of the variant that keeps, as it came, a value whose tag no member allows,
    /// when the tag is implicit (a value a newer server may send).
    pub other: Option<Ident>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: Ident,
    /// The tag values that select this variant, for a discriminated union (the first is the
    /// one written when encoding).
    pub tag_values: Vec<String>,
    pub ty: TypeRef,
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseEnum {
    /// The operation whose responses these are, by its method's name.
    pub method_name: Ident,
    /// That operation's id (`update-ai-api-key`).
    pub operation_id: String,
    pub variants: Vec<ResponseVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseVariant {
    pub name: Ident,
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
    /// For a JSON response, the other media types the same response offers (`text/csv`):
    /// the client then takes what the server sends, a `Content<T>`. Empty for requests.
    pub alternatives: Vec<String>,
}

impl Payload {
    /// Whether the body may come as JSON or as one of the `alternatives`.
    pub fn negotiated(&self) -> bool {
        !self.alternatives.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    Form,
    Multipart,
    /// `text/event-stream`: server-sent events, each `data` of the payload's type (a
    /// `String` when the document gives no schema).
    EventStream,
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
    Named(Ident),
    Array(Box<TypeRef>),
    /// A fixed-length array of differently typed items (`prefixItems`, closed by
    /// `items: false`).
    Tuple(Vec<TypeRef>),
    Map(Box<TypeRef>),
    Nullable(Box<TypeRef>),
    /// A type that is not generated: a schema mapped to an existing Rust type.
    External(ExternalType),
}

impl TypeRef {
    /// The type without the `null` a `Nullable` adds.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            ty => ty,
        }
    }

    /// Adds the named types this reference names, at any depth, to `out`.
    pub fn names<'a>(&'a self, out: &mut Vec<&'a Ident>) {
        match self {
            TypeRef::Named(name) => out.push(name),
            TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => item.names(out),
            TypeRef::Tuple(items) => items.iter().for_each(|item| item.names(out)),
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Int(_)
            | TypeRef::Float
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Bytes
            | TypeRef::Json
            | TypeRef::External(_) => {}
        }
    }
}

impl TypeKind {
    /// The type references of a definition of this kind.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Enum(_) => Vec::new(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::OperationError(e) | TypeKind::OperationSuccess(e) => {
                e.variants.iter().filter_map(|v| v.body.as_ref()).map(|b| &b.ty).collect()
            }
            TypeKind::StatusError { body, .. } => vec![&body.ty],
            TypeKind::ResponseHeaders(h) => h.headers.iter().map(|h| &h.ty).collect(),
        }
    }
}

impl Operation {
    /// The named types the operation's method and command name: its parameters', body's and
    /// responses' types, and its own error, success and headers types.
    pub fn named_types(&self) -> Vec<&Ident> {
        let mut out = Vec::new();
        for p in &self.params {
            p.ty.names(&mut out);
        }
        if let Some(body) = &self.body {
            body.payload.ty.names(&mut out);
        }
        for v in self.success.iter().chain(&self.errors) {
            if let Some(body) = &v.body {
                body.ty.names(&mut out);
            }
        }
        if let SuccessType::Enum(name) = &self.success_type {
            out.push(name);
        }
        out.extend(&self.error_type);
        out.extend(&self.response_headers);
        out
    }
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
    pub method_name: Ident,
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
    pub error_type: Option<Ident>,
    /// Error responses in status order (`default` last).
    pub errors: Vec<ResponseVariant>,
    /// How the client matches an error status to `errors`, arm by arm in order.
    pub error_arms: Vec<ErrorArm>,
    /// The credentials the operation accepts: alternatives in the document's order, each the
    /// kinds of scheme sent together (an `AND` of several schemes) with the scopes required
    /// of each, none empty. The client applies the first alternative it holds every
    /// credential of; an empty list means the operation is sent without credentials.
    pub security: Vec<Vec<Required>>,
    /// Whether the operation may be sent without credentials: the document declares no
    /// `security` for it (nor for the whole API), or one of its alternatives is `{}`. The
    /// command-line client then sends it when no credential is set, rather than refusing.
    pub auth_optional: bool,
    /// The `Accept` header, when the responses are not all `application/json`: every media
    /// type they document, in order, JSON first and `*` written `*/*`.
    pub accept: Option<String>,
    /// The operation's own type (`ListThings`, in the `operations` module), the `O` of the
    /// `Call` its method returns: its `impl` holds the methods of the optional parameters and
    /// body, and a paginated operation's `items` and `pages`.
    pub call_type: Ident,
    /// The method of the crate's `MockServer` that expects a call of it
    /// (`expect_update_ai_api_key`), behind the `mock` feature.
    pub mock_method: Ident,
    /// The method of its `Call` that sets an optional body (`body`, unless a parameter has
    /// the name).
    pub body_setter: Option<Ident>,
    /// The type of the headers its success responses declare (`ListPetsResponseHeaders`).
    pub response_headers: Option<Ident>,
    /// The response header the document declares for the request id (`X-Request-Id`).
    pub request_id_header: Option<String>,
    /// The operation's tags, as the document lists them.
    pub tags: Vec<String>,
    /// The feature that compiles the operation, when the crate is split into features.
    pub feature: Option<String>,
    /// The operation's subcommand in the command-line client.
    pub command: Command,
    /// How its results come in pages, when the document shows a pattern the client follows:
    /// then its `Call` also has `items` and `pages`.
    pub pagination: Option<Pagination>,
}

/// How a paginated operation's pages lead from one to the next. Places in a page are JSON
/// pointers into it (`/meta/next_cursor`), as the runtime's paginator reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub pattern: PagePattern,
    /// The query parameter the stream sets, by its Rust name (absent from the stream
    /// method's arguments) and its name on the wire; `None` for a `Link` header.
    pub param: Option<(Ident, String)>,
    /// The array of items: `""` when the page is the array.
    pub items: String,
    pub item_type: TypeRef,
    /// The next value of the parameter, when the page gives it.
    pub next: Option<String>,
    /// A boolean that is `false` on the last page.
    pub has_more: Option<String>,
    pub total: Option<PageTotal>,
    /// The query parameter for the number of items per page, by its name on the wire.
    pub size_param: Option<String>,
    /// Whether the pattern was stated (`x-pagination`) rather than found from names.
    pub stated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PagePattern {
    /// A cursor the page gives for the next one.
    Cursor,
    /// The id (a pointer into an item) of the page's last item (`starting_after`).
    LastItem {
        id: String,
    },
    /// A page number, the first page being `first`.
    Page {
        first: u64,
    },
    Offset,
    /// The `Link` header's `rel="next"` URL.
    Link,
}

impl PagePattern {
    /// Its name in messages and in `x-pagination`.
    pub fn label(&self) -> &'static str {
        match self {
            PagePattern::Cursor => "cursor",
            PagePattern::LastItem { .. } => "last-item",
            PagePattern::Page { .. } => "page",
            PagePattern::Offset => "offset",
            PagePattern::Link => "link",
        }
    }
}

/// A count that ends the stream once reached.
#[derive(Debug, Clone, PartialEq)]
pub enum PageTotal {
    Items(String),
    Pages(String),
}

/// A subcommand of the command-line client: its parameters' flags are on each `Param`.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// Its variant of the client's `Command` enum (`UpdateAiApiKey`).
    pub variant: Ident,
    /// The subcommand, in kebab-case as command-line tools name them (`update-ai-api-key`).
    pub name: String,
    /// The operationId, also accepted, when it is not the name and no other subcommand has it.
    pub alias: Option<String>,
    /// A flag for each field of the request body, when the body is a struct: in the order of
    /// its fields.
    pub body_flags: Vec<BodyFlag>,
}

/// A flag that sets one property of the request body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyFlag {
    /// `name` for `--name`: apart from the global flags and the parameters'.
    pub flag: String,
    /// What the help shows for its value (`NAME`).
    pub value_name: String,
    /// The subcommand variant's field that holds it, and the local it is bound to.
    pub field: Ident,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SuccessType {
    Unit,
    Body(Payload),
    Enum(Ident),
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
    /// The path as the document writes it (`/ai/ai-api-key/{id}`): the client fills in its
    /// parameters by their names on the wire.
    pub text: String,
    pub segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// A parameter, by its Rust name.
    Param {
        name: Ident,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub wire_name: String,
    /// The command-line client's flag for it (`--sort-by` is `sort-by`), unique within the
    /// operation and apart from the global flags.
    pub flag: String,
    /// The subcommand variant's field that holds it: apart from the global arguments' fields,
    /// since clap tells arguments apart by field name.
    pub cli_field: Ident,
    /// The local the command-line client binds it to (`arg_id`), so that a parameter named
    /// `client` cannot hide the client.
    pub cli_local: Ident,
    /// Where the parameter is defined (the component's pointer, for a reference).
    pub pointer: String,
    pub location: ParamLocation,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    /// How a query parameter is written (`Form` for the other locations).
    pub style: QueryStyle,
    /// For an optional parameter, the method of the operation's `Call` that sets it: its name,
    /// unless one of `Call`'s own methods has it (`timeout` is then `timeout_param`).
    pub setter: Option<Ident>,
    /// For an optional parameter, the method of the operation's typed mock expectation
    /// (`doubles::Expect`) that matches it: its `setter`, unless the expectation has a method
    /// of that name (`times` is then `times_param`).
    pub mock_setter: Option<Ident>,
    /// What its schema allows beyond the type, for the docs (`1 ≤ value ≤ 100; default 20`).
    pub constraints: Option<String>,
}

/// How a query parameter is written: the runtime's definition, which the client encodes by.
pub use client_runtime::QueryStyle;

impl Param {
    /// Whether this is the operation's `Idempotency-Key` header, whose key makes a POST or
    /// PATCH safe to retry.
    pub fn is_idempotency_key(&self) -> bool {
        self.location == ParamLocation::Header && self.wire_name.eq_ignore_ascii_case("idempotency-key")
    }
}

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
    /// A bearer token; OAuth2's client-credentials flow, when the document gives one, gets it.
    Bearer {
        doc: Option<String>,
        client_credentials: Option<ClientCredentialsFlow>,
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

/// OAuth2's client-credentials flow: where the client gets its tokens. The scopes it asks
/// for are each operation's ([`Required::scopes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientCredentialsFlow {
    /// The scheme's key in `components/securitySchemes`.
    pub scheme: String,
    /// `tokenUrl`, absolute or relative to the server URL.
    pub token_url: String,
}

/// A kind of credential an alternative of an operation's requirement names, and the OAuth2
/// scopes it requires of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    pub kind: SchemeKind,
    /// The scopes the alternative names for its OAuth2 and OpenID Connect schemes of this
    /// kind, sorted, each once: what a client-credentials token for the operation is asked
    /// for. Empty for the other kinds, whose credentials have no scopes.
    pub scopes: Vec<String>,
}

impl Required {
    /// A kind of credential, for no scope.
    pub fn unscoped(kind: SchemeKind) -> Self {
        Self { kind, scopes: Vec::new() }
    }
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

impl SchemeKind {
    /// Its variant of the generated `Scheme` enum, named as `Auth`'s variant for it.
    pub fn variant(self) -> Ident {
        crate::names::scheme_variant(self)
    }
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
    pub name: Ident,
    /// Where the example is in the document, as a JSON pointer.
    pub pointer: String,
    pub ty: TypeRef,
    /// The example as compact JSON.
    pub json: String,
    /// The gates of the types it names, all of which must be compiled for the test.
    pub gates: Vec<Gate>,
}

/// One arm of the match that decodes an operation's error responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorArm {
    /// The response `Operation::errors[index]`, on its own status.
    Response(usize),
    /// Consecutive status ranges of a shared error body (`4XX` and `5XX` most often), one arm
    /// over the joined range, `first * 100 ..= last * 100 + 99`: one body fewer to type-check
    /// per operation. They are the same `StatusError<body>` either way.
    Ranges { first: u16, last: u16 },
}

/// The arms that decode `errors`: consecutive ranges joined where the error body is shared
/// (every response then has the same body), each response on its own otherwise.
pub fn error_arms(errors: &[ResponseVariant]) -> Vec<ErrorArm> {
    let shared = shared_error_body(errors).is_some();
    let mut arms = Vec::new();
    let mut index = 0;
    while index < errors.len() {
        if let (true, StatusMatch::Range(first)) = (shared, errors[index].status) {
            let mut last = first;
            while errors
                .get(index + usize::from(last - first) + 1)
                .is_some_and(|v| v.status == StatusMatch::Range(last + 1))
            {
                last += 1;
            }
            if last > first {
                arms.push(ErrorArm::Ranges { first, last });
                index += usize::from(last - first) + 1;
                continue;
            }
        }
        arms.push(ErrorArm::Response(index));
        index += 1;
    }
    arms
}

/// The body every documented error response has, when they all have the same one and each
/// stands for many statuses (`4XX`, `default`): such an operation's error is
/// `StatusError<body>` rather than an enum of its own, as each variant would be a status and
/// that body anyway. Responses for one status keep their named variants (`Forbidden(body)`).
pub fn shared_error_body(errors: &[ResponseVariant]) -> Option<&Payload> {
    let first = errors.first()?.body.as_ref()?;
    errors.iter().all(|v| v.status.is_many() && v.body.as_ref() == Some(first)).then_some(first)
}

/// The type named `name` among `types`, which are sorted by name.
pub fn find_type<'a>(types: &'a [TypeDef], name: &Ident) -> Option<&'a TypeDef> {
    types.binary_search_by(|d| d.name.cmp(name)).ok().map(|i| &types[i])
}

/// The properties of the request body that the command-line client takes as flags: every
/// field of the body, when it is a struct sent as JSON, a form or multipart.
pub fn body_fields<'a>(op: &Operation, types: &'a [TypeDef]) -> &'a [Field] {
    match op.body.as_ref().map(|b| (&b.payload.ty, b.payload.encoding)) {
        Some((TypeRef::Named(name), Encoding::Json | Encoding::Form | Encoding::Multipart)) => {
            match find_type(types, name).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => &s.fields,
                _ => &[],
            }
        }
        _ => &[],
    }
}

/// Which way a type's values travel: whether the caller builds them (a request's body or
/// parameter reaches the type) or only reads them (a response reaches it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// Reached by no operation (a webhook's body, a component nothing uses).
    Neither,
    Request,
    Response,
    Both,
}

impl Side {
    fn with(self, other: Side) -> Side {
        match (self, other) {
            (a, Side::Neither) => a,
            (Side::Neither, b) => b,
            (a, b) if a == b => a,
            _ => Side::Both,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Neither => "neither",
            Side::Request => "request",
            Side::Response => "response",
            Side::Both => "both",
        }
    }

    /// Whether the caller may have to build values of the type.
    pub fn built_by_caller(self) -> bool {
        !matches!(self, Side::Response)
    }
}

/// Sets the side of every named type: request-side if a request's parameter or body reaches
/// it, response-side if a response (its body, the operation's error, success or headers type)
/// does, through fields, variants and aliases at any depth. Lowering calls it, and selection
/// again once it has dropped operations.
pub fn assign_sides(api: &mut Api) {
    let sides = sides(api);
    for (def, side) in api.types.iter_mut().zip(sides) {
        def.side = side;
    }
}

/// The side of each of `api.types`, in its order.
fn sides(api: &Api) -> Vec<Side> {
    let mut request = Vec::new();
    let mut response = Vec::new();
    for op in &api.operations {
        for p in &op.params {
            p.ty.names(&mut request);
        }
        if let Some(body) = &op.body {
            body.payload.ty.names(&mut request);
        }
        for v in op.success.iter().chain(&op.errors) {
            if let Some(body) = &v.body {
                body.ty.names(&mut response);
            }
        }
        if let SuccessType::Enum(name) = &op.success_type {
            response.push(name);
        }
        response.extend(&op.error_type);
        response.extend(&op.response_headers);
    }
    let index = TypeIndex::new(&api.types);
    let (request, response) = (index.reach(request), index.reach(response));
    api.types
        .iter()
        .map(|def| {
            let name = def.name.as_str();
            let side = if request.contains(name) { Side::Request } else { Side::Neither };
            if response.contains(name) {
                side.with(Side::Response)
            } else {
                side
            }
        })
        .collect()
}

/// The types by name. Built once and asked per operation: building it per question made
/// splitting a crate into features quadratic in its size.
pub struct TypeIndex<'a>(std::collections::HashMap<&'a str, &'a TypeDef>);

impl<'a> TypeIndex<'a> {
    pub fn new(types: &'a [TypeDef]) -> Self {
        TypeIndex(types.iter().map(|def| (def.name.as_str(), def)).collect())
    }

    pub fn get(&self, name: &str) -> Option<&'a TypeDef> {
        self.0.get(name).copied()
    }

    /// Every type `roots` reach, by name.
    pub fn reachable<'r>(&self, roots: impl IntoIterator<Item = &'r Ident>) -> std::collections::BTreeSet<String> {
        self.reach(roots).into_iter().map(str::to_owned).collect()
    }

    /// The names of the types `roots` reach (those that exist), as the index holds them: a
    /// huge API asks this once per operation, so nothing is copied.
    pub fn reach<'r>(&self, roots: impl IntoIterator<Item = &'r Ident>) -> std::collections::HashSet<&'a str> {
        let mut seen: std::collections::HashSet<&'a str> = std::collections::HashSet::new();
        let mut stack: Vec<&'a TypeDef> = roots.into_iter().filter_map(|name| self.get(name.as_str())).collect();
        let mut names = Vec::new();
        while let Some(def) = stack.pop() {
            if !seen.insert(def.name.as_str()) {
                continue;
            }
            names.clear();
            for ty in def.kind.refs() {
                ty.names(&mut names);
            }
            stack.extend(
                names.iter().filter_map(|name| self.get(name.as_str())).filter(|d| !seen.contains(d.name.as_str())),
            );
        }
        seen
    }
}
