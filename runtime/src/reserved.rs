//! Names the runtime defines, which the generator keeps the names it makes away from. Not
//! copied into generated crates; a test (`tests/reserved.rs`) checks these lists against the
//! runtime's sources, so that a method added here cannot be shadowed silently.

/// Methods of `Client`, which an operation's method must not take: the runtime's, those the
/// generated crate adds (`new`, `builder`), and those of its traits (`clone`, `fmt`).
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "builder_for",
    "base_url",
    "with_header",
    "call",
    "execute",
    "attempts",
    "after",
    "build",
    "read",
    "clone",
    "fmt",
];

/// Methods of `ClientBuilder`, which the method named after a server variable must not take.
pub const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "auth",
    "auths",
    "http_client",
    "timeout",
    "user_agent",
    "max_body_size",
    "default_header",
    "retry",
    "deadline",
    "retry_budget",
    "rate_limits",
    "clock",
    "hook",
    "build",
];

/// Methods of `Call`, which the method of an operation's optional parameter must not take:
/// the runtime's, the generated `items` and `pages` of a paginated operation, and those of
/// its traits (`into_future`, `fmt`).
pub const CALL_METHODS: &[&str] = &[
    "new",
    "timeout",
    "deadline",
    "header",
    "again",
    "request",
    "retry",
    "send",
    "send_with_meta",
    "decoded",
    "send_with_headers",
    "items",
    "pages",
    "into_future",
    "fmt",
];

/// Methods of a typed mock's `Expect` (`mock.rs`), which the matcher of an operation's
/// optional parameter must not take: the runtime's and the generated ones.
pub const EXPECT_METHODS: &[&str] = &[
    "new",
    "change",
    "times",
    "respond",
    "answer_json",
    "answer_checked",
    "answer_empty",
    "path_param",
    "query",
    "header",
    "param",
    "body_decodes",
    "body_equals",
    "returns",
    "returns_json",
    "fails",
];

/// Methods of `Expect` the generated crate defines for each operation.
pub const GENERATED_EXPECT_METHODS: &[&str] = &["returns", "returns_json", "fails"];

/// Methods of `Call` the generated crate defines for paginated operations.
pub const GENERATED_CALL_METHODS: &[&str] = &["items", "pages"];

/// Trait methods every `Call` has.
pub const CALL_TRAIT_METHODS: &[&str] = &["into_future", "fmt"];

/// Methods of `Client` the generated crate defines rather than the runtime.
pub const GENERATED_CLIENT_METHODS: &[&str] = &["new", "builder"];

/// Trait methods every `Client` has.
pub const TRAIT_METHODS: &[&str] = &["clone", "fmt"];

/// Types at the crate root (the runtime's re-exports and the generated `Auth`), which a
/// server variable's enum must not take.
pub const ROOT_TYPES: &[&str] = &[
    "Client",
    "Paginated",
    "ClientBuilder",
    "Call",
    "Error",
    "ErrorKind",
    "ApiError",
    "QueryStyle",
    "ConfigError",
    "NoErrorResponses",
    "StatusError",
    "ResponseMeta",
    "Body",
    "Content",
    "ByteStream",
    "Event",
    "EventError",
    "EventStream",
    "FromHeaders",
    "RetryPolicy",
    "Hook",
    "Attempt",
    "Outcome",
    "Exchange",
    "Wait",
    "RetryBudget",
    "RateLimits",
    "Clock",
    "ManualClock",
    "SystemClock",
    "Sleep",
    "OAuth2",
    "ClientCredentials",
    "Token",
    "TokenContext",
    "TokenSource",
    "BoxFuture",
    "Auth",
    "Credentials",
    "Credential",
    "Scheme",
    "Secret",
    "Server",
];
