//! What the command-line client (`src/cli.rs`, behind the `cli` feature) shares between its
//! subcommands: the global flags, reading bodies and flags, running on a large stack, sending
//! calls and printing their outcomes.
//! Public for that binary only.
// Each API's commands use a subset (property flags, raw bodies, …).
#![allow(dead_code)]

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use crate::body::Body;
use crate::byte_stream::ByteStream;
use crate::call::Call;
use crate::client::ClientBuilder;
use crate::error::Error;
use crate::hook::{Attempt, Hook, Outcome, Wait};
use crate::meta::ResponseMeta;
use crate::record::{Recorder, Redaction};
use crate::retry::RetryPolicy;

/// The stack a command runs on (see [`run_on_large_stack`]); only what is used is ever mapped.
const STACK_SIZE: usize = 256 << 20;

/// Runs `command` on a thread with a large stack and returns its exit code. clap's derive
/// builds every subcommand in one function, and the dispatch matches them all: with hundreds
/// of operations, their frames in a debug build outgrow the main thread's stack.
pub fn run_on_large_stack(command: impl FnOnce() -> ExitCode + Send + 'static) -> ExitCode {
    let worker = std::thread::Builder::new().stack_size(STACK_SIZE).spawn(command);
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            ExitCode::from(2)
        }
    }
}

/// A body from `--body`, or from the property flags that were given.
pub fn parse_body<T: serde::de::DeserializeOwned, const N: usize>(
    json: Option<String>,
    fields: [(&str, Option<serde_json::Value>); N],
) -> Result<T, String> {
    // Decoded from text, so that an error names the property it is about (`items[2].size`).
    let (text, what) = match json {
        Some(json) => (json, "--body"),
        None => {
            let fields = fields.into_iter().filter_map(|(name, value)| Some((name.to_string(), value?)));
            (serde_json::Value::Object(fields.collect()).to_string(), "invalid body")
        }
    };
    serde_json::from_str(&text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => format!("{what}: {}", crate::json_path::describe(&e, text.as_bytes())),
        _ => format!("{what} is not valid JSON: {e}"),
    })
}

/// A flag that takes JSON; text that is not JSON is taken as a JSON string.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_value(serde_json::Value::String(text.to_string())))
        .map_err(|e| e.to_string())
}

/// A flag's value as JSON: strings stay strings; other types are parsed as JSON.
pub fn flag_value(text: String, is_string: bool) -> serde_json::Value {
    if is_string {
        serde_json::Value::String(text)
    } else {
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
    }
}

/// The flags every subcommand takes, about how calls are sent and what is shown of them. The
/// generator keeps operations' flags off these names (`GLOBAL_FLAGS` in its `lower::cli`).
#[derive(clap::Args, Debug, Clone)]
#[group(skip)]
pub struct GlobalOptions {
    /// How many times a failed call is sent again, when it is safe to repeat: after a
    /// connection error, a timeout, or a 408, 429, 500, 502, 503 or 504.
    #[arg(long, value_name = "N", global = true, default_value_t = RetryPolicy::default().retries())]
    pub max_retries: u32,
    /// Prints each attempt on stderr: method, URL, status or failure, duration, request id.
    #[arg(long, global = true)]
    pub verbose: bool,
    /// Prints the response's status line and headers on stdout before the body, as curl does.
    #[arg(long, global = true)]
    pub include: bool,
    /// Writes a binary response to this file rather than to stdout, as it arrives.
    #[arg(long, value_name = "FILE", global = true)]
    pub output: Option<std::path::PathBuf>,
    /// Sends this file (`-`: standard input) as the binary request body, as it is read.
    #[arg(long, value_name = "PATH", global = true)]
    pub body_file: Option<std::path::PathBuf>,
    /// Appends the call's exchanges to this file, one JSON line each, credentials redacted: a
    /// cassette for `mock --cassette` and `drift`.
    #[arg(long, value_name = "FILE", global = true)]
    pub record: Option<std::path::PathBuf>,
}

impl GlobalOptions {
    /// The client these options ask for: its retry policy, and `--verbose`'s hook.
    pub fn configure(&self, builder: ClientBuilder) -> ClientBuilder {
        let builder = builder.retry(RetryPolicy::default().max_retries(self.max_retries));
        if self.verbose {
            builder.hook(Verbose)
        } else {
            builder
        }
    }

    /// `builder` with `--record`'s hook, which redacts what `redaction` names.
    pub fn record(&self, builder: ClientBuilder, redaction: Redaction) -> Result<ClientBuilder, String> {
        let Some(path) = &self.record else { return Ok(builder) };
        let recorder = Recorder::append_to(path, redaction)
            .map_err(|e| format!("--record: cannot open {}: {e}", path.display()))?;
        Ok(builder.hook(recorder))
    }

    /// With `--include`, the status line and headers of the response, when there was one;
    /// with `--verbose`, what the client accepted that the document does not say.
    pub(crate) fn print_head<T, E>(&self, result: &Result<(T, ResponseMeta), Error<E>>) {
        let meta = match result {
            Ok((_, meta)) => Some(meta),
            Err(e) => e.response(),
        };
        if let Some(meta) = meta.filter(|_| self.verbose) {
            for note in meta.notes() {
                eprintln!("* note: {note}");
            }
        }
        if let Some(meta) = meta.filter(|_| self.include) {
            let _ = write!(std::io::stdout(), "{}", head(meta));
        }
    }
}

/// `mock --cassette FILE --port PORT`: serves the recording until the process is stopped.
pub fn serve_cassette(cassette: &std::path::Path, port: u16) -> ExitCode {
    let exchanges = match crate::record::read_cassette_file(cassette) {
        Ok(exchanges) => exchanges,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let count = exchanges.len();
    match crate::replay::Replay::start_on(exchanges, port) {
        Ok(replay) => {
            eprintln!("serving {count} recorded exchanges on {}", replay.url());
            replay.wait();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `drift FILE`: prints what the recording holds that the document (`shape`) does not
/// declare; exits 1 when there is some, 0 when there is none.
pub fn print_drift(cassette: &std::path::Path, shape: &str) -> ExitCode {
    let report =
        crate::record::read_cassette_file(cassette).and_then(|exchanges| crate::drift::check(shape, &exchanges));
    match report {
        Ok(report) if report.is_clean() => {
            eprintln!("no drift: every recorded response is as the document declares");
            ExitCode::SUCCESS
        }
        Ok(report) => {
            print!("{report}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The `--verbose` hook: one line on stderr per attempt, once it has ended.
#[derive(Debug, Clone, Copy, Default)]
pub struct Verbose;

impl Hook for Verbose {
    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        eprintln!("{}", describe(attempt, outcome));
    }

    fn before_wait(&self, attempt: &Attempt<'_>, wait: Wait, delay: Duration) {
        eprintln!("{}", describe_wait(attempt, wait, delay));
    }
}

/// `* waiting 1000 ms for the rate limit to reset before attempt 1`.
fn describe_wait(attempt: &Attempt<'_>, wait: Wait, delay: Duration) -> String {
    let reason = match wait {
        Wait::RateLimit => "for the rate limit to reset",
        _ => "to retry",
    };
    format!("* waiting {} ms {reason} before attempt {}", delay.as_millis(), attempt.number)
}

/// `* attempt 2: GET https://host/v2/things: 503 Service Unavailable in 12 ms (request id 4f2a)`.
/// The URL is the one hooks get, free of credentials.
fn describe(attempt: &Attempt<'_>, outcome: &Outcome<'_>) -> String {
    let start = format!("* attempt {}: {} {}", attempt.number, attempt.method, attempt.url);
    match outcome {
        Outcome::Response { status, request_id, duration, .. } => {
            let id = request_id.map(|id| format!(" (request id {id})")).unwrap_or_default();
            format!("{start}: {} in {} ms{id}", status_line(*status), duration.as_millis())
        }
        Outcome::Failed { error, duration } => {
            // reqwest's message alone says little ("error sending request"): its causes say why.
            let mut reason = error.to_string();
            let mut source = std::error::Error::source(*error);
            while let Some(cause) = source {
                reason = format!("{reason}: {cause}");
                source = cause.source();
            }
            format!("{start}: failed after {} ms: {reason}", duration.as_millis())
        }
    }
}

/// `503 Service Unavailable`, or the bare number for a status without a standard reason.
fn status_line(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// The status line, the headers and a blank line, as `curl --include` shows them.
fn head(meta: &ResponseMeta) -> String {
    let mut text = format!("{:?} {}\n", meta.version(), status_line(meta.status()));
    for (name, value) in meta.headers() {
        text.push_str(&format!("{name}: {}\n", String::from_utf8_lossy(value.as_bytes())));
    }
    text.push('\n');
    text
}

/// Sends `call` and prints the outcome: with `--include` the status line and headers first,
/// then the body as JSON on stdout (exit 0), a documented error on stderr (exit 1), anything
/// else on stderr (exit 2).
pub async fn report<T: serde::Serialize, E: std::fmt::Display, H, O>(
    options: &GlobalOptions,
    call: Call<T, E, H, O>,
) -> ExitCode {
    let result = call.send_with_meta().await;
    options.print_head(&result);
    match result {
        Ok((value, _)) => match serde_json::to_string_pretty(&value) {
            // Written, not `println!`ed: a reader that stops early (`| head`) is no panic.
            Ok(json) if json != "null" => match writeln!(std::io::stdout(), "{json}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the response: {e}");
                    ExitCode::from(2)
                }
            },
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot print the response: {e}");
                ExitCode::from(2)
            }
        },
        Err(e) => failed(e),
    }
}

/// Sends `call` and writes its text or binary body to stdout as it came (exit 0); the rest as
/// [`report`].
pub async fn report_raw<T: AsRef<[u8]>, E: std::fmt::Display, H, O>(
    options: &GlobalOptions,
    call: Call<T, E, H, O>,
) -> ExitCode {
    use std::io::Write as _;
    let result = call.send_with_meta().await;
    options.print_head(&result);
    match result {
        Ok((body, _)) => match std::io::stdout().write_all(body.as_ref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write the response: {e}");
                ExitCode::from(2)
            }
        },
        Err(e) => failed(e),
    }
}

/// Sends `call`, whose body may come as JSON or in another media type, and prints it: JSON
/// pretty-printed, anything else as it came (exit 0); the rest as [`report`].
pub async fn report_content<T: serde::Serialize, E: std::fmt::Display, H, O>(
    options: &GlobalOptions,
    call: Call<crate::content::Content<T>, E, H, O>,
) -> ExitCode {
    use crate::content::Content;
    let result = call.send_with_meta().await;
    options.print_head(&result);
    let written = match result {
        Ok((Content::Json(value), _)) => match serde_json::to_string_pretty(&value) {
            Ok(json) => writeln!(std::io::stdout(), "{json}"),
            Err(e) => {
                eprintln!("error: cannot print the response: {e}");
                return ExitCode::from(2);
            }
        },
        Ok((Content::Text { text, .. }, _)) => std::io::stdout().write_all(text.as_bytes()),
        Ok((Content::Bytes { bytes, .. }, _)) => std::io::stdout().write_all(&bytes),
        Err(e) => return failed(e),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the response: {e}");
            ExitCode::from(2)
        }
    }
}

/// Sends `call` and writes its binary body, as it arrives, to `--output` or stdout.
pub async fn report_stream<E: std::fmt::Display, H, O>(
    options: &GlobalOptions,
    call: Call<ByteStream, E, H, O>,
) -> ExitCode {
    use futures_util::StreamExt as _;
    use std::io::Write as _;
    let result = call.send_with_meta().await;
    options.print_head(&result);
    let mut chunks = match result {
        Ok((chunks, _)) => chunks,
        Err(e) => return failed(e),
    };
    let mut out: Box<dyn std::io::Write> = match &options.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => Box::new(std::io::BufWriter::new(file)),
            Err(e) => {
                eprintln!("error: cannot create {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => Box::new(std::io::stdout()),
    };
    while let Some(chunk) = chunks.next().await {
        let written = match chunk {
            Ok(chunk) => out.write_all(&chunk),
            Err(e) => {
                eprintln!("error: the response stopped: {e}");
                return ExitCode::from(2);
            }
        };
        if let Err(e) = written {
            eprintln!("error: cannot write the response: {e}");
            return ExitCode::from(2);
        }
    }
    match out.flush() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write the response: {e}");
            ExitCode::from(2)
        }
    }
}

/// The binary request body: `--body-file` (a file, or `-` for standard input, read as it is
/// sent), else `--body`'s text.
pub fn binary_body(options: &GlobalOptions, text: Option<String>) -> Option<Body> {
    match &options.body_file {
        Some(path) if path.as_os_str() == "-" => {
            Some(Body::stream(tokio_util::io::ReaderStream::with_capacity(tokio::io::stdin(), crate::body::CHUNK)))
        }
        Some(path) => Some(Body::file(path.clone())),
        None => text.map(|text| Body::from(text.into_bytes())),
    }
}

/// `--all-pages`: prints every item of `pages` as one line of JSON on stdout as its page
/// arrives (exit 0); a failed page ends it as [`report`] does a failed call, after the items
/// before it. `Err` is a flag that does not go with it (exit 2).
pub async fn report_pages<I: serde::Serialize, E: std::fmt::Display>(
    options: &GlobalOptions,
    pages: impl futures_core::Stream<Item = Result<I, Error<E>>>,
) -> Result<ExitCode, String> {
    pages_allowed(options)?;
    Ok(write_pages(&mut std::io::stdout(), pages).await)
}

/// `--all-pages` prints the items of many responses, which `--include` (one response's status
/// and headers) does not fit; said before anything is sent.
fn pages_allowed(options: &GlobalOptions) -> Result<(), String> {
    if options.include {
        return Err("--include shows one response's status and headers; with --all-pages there are many: \
                    use one or the other"
            .into());
    }
    Ok(())
}

pub(crate) async fn write_pages<I: serde::Serialize, E: std::fmt::Display>(
    out: &mut impl std::io::Write,
    pages: impl futures_core::Stream<Item = Result<I, Error<E>>>,
) -> ExitCode {
    let mut pages = std::pin::pin!(pages);
    while let Some(item) = std::future::poll_fn(|cx| pages.as_mut().poll_next(cx)).await {
        let line = match item.map(|item| serde_json::to_string(&item)) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => {
                eprintln!("error: cannot print an item: {e}");
                return ExitCode::from(2);
            }
            Err(e) => return failed(e),
        };
        // Written as it comes, so that a reader sees each page's items before the next is asked.
        if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
            eprintln!("error: cannot write the items: {e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// A documented error exits 1, anything else 2.
/// The error on stderr: what went wrong, then the body the server sent, whole and as it came
/// (pretty-printed when it is JSON), whatever the document declares of it.
pub(crate) fn failed<E: std::fmt::Display>(error: Error<E>) -> ExitCode {
    match error.body().filter(|body| !body.iter().all(u8::is_ascii_whitespace)) {
        Some(body) => eprintln!("error: {}\n{}", error.headline(), shown(body)),
        None => eprintln!("error: {error}"),
    }
    ExitCode::from(if error.api().is_some() { 1 } else { 2 })
}

/// A body for the terminal: JSON pretty-printed (transcoded, so its properties stay in the
/// order they came), text as it is, anything else by its size.
fn shown(body: &[u8]) -> String {
    let mut pretty = Vec::new();
    let mut reader = serde_json::Deserializer::from_slice(body);
    let mut writer = serde_json::Serializer::pretty(&mut pretty);
    if serde_transcode::transcode(&mut reader, &mut writer).is_ok() && reader.end().is_ok() {
        if let Ok(text) = String::from_utf8(pretty) {
            return text;
        }
    }
    match std::str::from_utf8(body) {
        Ok(text) => text.trim_end().to_string(),
        Err(_) => format!("({} bytes, not text)", body.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::{
        describe, describe_wait, flag_value, head, parse_body, parse_json, shown, Attempt, Outcome, ResponseMeta, Wait,
    };
    use reqwest::header::{HeaderMap, HeaderValue};
    use serde_json::{json, Value};
    use std::time::Duration;

    #[test]
    fn verbose_says_why_the_client_waits() {
        let url = reqwest::Url::parse("https://api.example.com/v2/things").unwrap();
        let attempt =
            Attempt { operation: "list-things", method: &reqwest::Method::GET, path: "/things", url: &url, number: 1 };
        assert_eq!(
            describe_wait(&attempt, Wait::RateLimit, Duration::from_secs(1)),
            "* waiting 1000 ms for the rate limit to reset before attempt 1"
        );
        assert_eq!(
            describe_wait(&Attempt { number: 3, ..attempt }, Wait::Retry, Duration::from_millis(250)),
            "* waiting 250 ms to retry before attempt 3"
        );
    }

    #[test]
    fn verbose_says_what_each_attempt_was_and_how_it_ended() {
        let url = reqwest::Url::parse("https://api.example.com/v2/things/1").unwrap();
        let attempt = Attempt {
            operation: "get-thing",
            method: &reqwest::Method::GET,
            path: "/things/{id}",
            url: &url,
            number: 2,
        };
        let headers = HeaderMap::new();
        let answered = Outcome::Response {
            status: 503,
            headers: &headers,
            request_id: Some("4f2a"),
            duration: Duration::from_millis(12),
        };
        assert_eq!(
            describe(&attempt, &answered),
            "* attempt 2: GET https://api.example.com/v2/things/1: 503 Service Unavailable in 12 ms (request id 4f2a)"
        );
        let odd = Outcome::Response { status: 599, headers: &headers, request_id: None, duration: Duration::ZERO };
        assert_eq!(describe(&attempt, &odd), "* attempt 2: GET https://api.example.com/v2/things/1: 599 in 0 ms");
    }

    #[test]
    fn all_pages_refuses_include() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            options: super::GlobalOptions,
        }
        let plain = Cli::parse_from(["cli"]).options;
        assert!(super::pages_allowed(&plain).is_ok());
        let include = Cli::parse_from(["cli", "--include"]).options;
        let error = super::pages_allowed(&include).unwrap_err();
        assert!(error.contains("--include") && error.contains("--all-pages"), "{error}");
    }

    #[test]
    fn include_shows_the_status_line_and_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("x-request-id", HeaderValue::from_static("4f2a"));
        let meta = ResponseMeta::new(404, reqwest::Version::HTTP_11, headers, None, 1);
        assert_eq!(head(&meta), "HTTP/1.1 404 Not Found\ncontent-type: application/json\nx-request-id: 4f2a\n\n");
    }

    #[test]
    fn error_bodies_are_shown_as_they_came() {
        // Pretty, with the properties in the order the server sent them.
        assert_eq!(shown(br#"{"z":1,"a":[true]}"#), "{\n  \"z\": 1,\n  \"a\": [\n    true\n  ]\n}");
        assert_eq!(shown(b"busy\n"), "busy");
        assert_eq!(shown(br#"{"a":1} trailing"#), r#"{"a":1} trailing"#);
        assert_eq!(shown(&[0xff, 0xfe]), "(2 bytes, not text)");
    }

    #[test]
    fn a_body_comes_from_json_or_from_the_flags_given() {
        let from_json: Value = parse_body(Some(r#"{"a":1}"#.into()), [("b", Some(json!(2)))]).unwrap();
        assert_eq!(from_json, json!({"a": 1}));
        let from_flags: Value = parse_body(None, [("a", Some(json!("x"))), ("b", None)]).unwrap();
        assert_eq!(from_flags, json!({"a": "x"}));
        let bad = parse_body::<Value, 0>(Some("{".into()), []).unwrap_err();
        assert!(bad.starts_with("--body is not valid JSON"), "{bad}");
        // A value of the wrong type is named by its place in the body.
        let wrong = parse_body::<std::collections::BTreeMap<String, Vec<u8>>, 0>(Some(r#"{"a": [1, "x"]}"#.into()), [])
            .unwrap_err();
        assert!(wrong.starts_with(r#"--body: a[1]: invalid type: string "x", expected u8"#), "{wrong}");
    }

    #[test]
    fn flag_values_are_json_unless_they_are_strings() {
        assert_eq!(flag_value("12".into(), true), json!("12"));
        assert_eq!(flag_value("12".into(), false), json!(12));
        assert_eq!(flag_value("not json".into(), false), json!("not json"));
        assert_eq!(parse_json::<Vec<u8>>("[1,2]").unwrap(), [1, 2]);
        assert_eq!(parse_json::<String>("plain").unwrap(), "plain");
    }
}
