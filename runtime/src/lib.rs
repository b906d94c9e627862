//! The runtime of every generated client: the HTTP client, errors, encodings, credentials and
//! the command-line helpers. The generator copies these files, as they are, into each crate
//! it writes (`generator/src/emit/runtime.rs` lists them), beside the modules it generates:
//! `auth` (an `Auth` enum implementing [`Credential`]), `servers`, `operations` and `types`.
//! Compiled here on their own, they are linted and tested where they live.
//!
//! They depend on nothing generated: the generated crate passes what is its own, the default
//! base URL to [`Client`] and its credentials through [`Credential`]. Without the default
//! `client` feature this crate is only what the generator itself uses: [`QueryStyle`] and
//! the names it must not shadow ([`reserved`]); the default `cli` feature adds the
//! command-line helpers, with clap, as the generated crate's `cli` feature does.
#![warn(missing_docs)]

pub mod query_style;
pub mod reserved;

pub use query_style::QueryStyle;

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "client")]
mod body;
#[cfg(feature = "client")]
mod budget;
#[cfg(feature = "client")]
mod byte_stream;
#[cfg(feature = "client")]
mod call;
#[cfg(all(feature = "cli", feature = "event-streams"))]
pub mod cli_events;
#[cfg(feature = "cli")]
pub mod cli_support;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod clock;
#[cfg(feature = "client")]
mod content;
#[cfg(feature = "client")]
mod credential;
#[cfg(feature = "client")]
mod drift;
#[cfg(feature = "client")]
mod encoding;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
mod exo2;
#[cfg(feature = "client")]
mod hook;
#[cfg(feature = "client")]
mod json_path;
#[cfg(feature = "client")]
mod meta;
#[cfg(feature = "mock")]
mod mock;
#[cfg(feature = "client")]
mod oauth;
#[cfg(feature = "client")]
mod object;
#[cfg(feature = "client")]
mod pace;
#[cfg(feature = "client")]
mod pages;
#[cfg(feature = "client")]
mod record;
#[cfg(feature = "mock")]
mod replay;
#[cfg(feature = "client")]
mod retry;
#[cfg(all(test, feature = "client"))]
mod round_trip;
#[cfg(feature = "client")]
mod security;
#[cfg(feature = "event-streams")]
mod stream;
#[cfg(feature = "client")]
mod untagged;

#[cfg(all(test, feature = "mock"))]
mod doubles_tests;
#[cfg(all(test, feature = "client"))]
mod oauth_tests;
#[cfg(all(test, feature = "client"))]
mod object_tests;
#[cfg(all(test, feature = "client"))]
mod pacing_tests;
#[cfg(all(test, feature = "client"))]
mod pages_tests;
#[cfg(all(test, feature = "client"))]
mod resume_tests;
#[cfg(all(test, feature = "client"))]
mod round_trip_tests;
#[cfg(all(test, feature = "event-streams"))]
mod stream_tests;
#[cfg(all(test, feature = "client"))]
mod tests;

#[cfg(feature = "client")]
pub use body::Body;
#[cfg(feature = "client")]
pub use budget::RetryBudget;
#[cfg(feature = "client")]
pub use byte_stream::ByteStream;
#[cfg(feature = "client")]
pub use call::Call;
#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, DEFAULT_DEADLINE, DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT};
#[cfg(feature = "client")]
pub use clock::{Clock, ManualClock, Sleep, SystemClock};
#[cfg(feature = "client")]
pub use content::Content;
#[cfg(feature = "client")]
pub use credential::{BoxFuture, Credential, Scheme, Secret, TokenContext};
#[cfg(feature = "client")]
pub use error::{ApiError, ConfigError, Error, ErrorKind, NoErrorResponses, StatusError};
#[cfg(feature = "client")]
pub use exo2::Credentials;
#[cfg(feature = "client")]
pub use hook::{Attempt, Exchange, Hook, Outcome, Wait};
#[cfg(feature = "client")]
pub use meta::{FromHeaders, ResponseMeta};
#[cfg(feature = "client")]
pub use oauth::{ClientCredentials, OAuth2, Token, TokenSource};
#[cfg(feature = "client")]
pub use pace::RateLimits;
#[cfg(feature = "client")]
pub use pages::Paginated;
#[cfg(feature = "client")]
pub use reqwest;
#[cfg(feature = "client")]
pub use retry::RetryPolicy;
#[cfg(feature = "event-streams")]
pub use stream::{Event, EventError, EventStream, DEFAULT_RECONNECT_DELAY, MAX_RECONNECTS};

/// Test doubles: exchanges recorded with their credentials redacted, replayed on a loopback
/// server, and checked for drift from the document. A module, as generated crates have it
/// (`doubles`), so that none of its names is taken at the crate's root.
#[cfg(feature = "client")]
pub mod doubles {
    pub use crate::drift::{check as check_drift, Drift, DriftKind, DriftReport};
    #[cfg(feature = "mock")]
    pub use crate::mock::{Expect, MockServer, NO_EXPECTATION_STATUS};
    pub use crate::record::{
        read_cassette, read_cassette_file, RecordedBody, RecordedExchange, RecordedRequest, RecordedResponse, Recorder,
        Redaction, REDACTED,
    };
    #[cfg(feature = "mock")]
    pub use crate::replay::{Replay, UNMATCHED_STATUS};
}
