//! What the command-line client (`src/cli.rs`, behind the `cli` feature) shares between its
//! subcommands: reading bodies and flags, running on a large stack, printing outcomes.
//! Public for that binary only.
// Each API's commands use a subset (property flags, raw bodies, …).
#![allow(dead_code)]

use std::process::ExitCode;

use crate::error::Error;

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
    let value = match json {
        Some(json) => serde_json::from_str(&json).map_err(|e| format!("--body is not valid JSON: {e}"))?,
        None => serde_json::Value::Object(
            fields.into_iter().filter_map(|(name, value)| Some((name.to_string(), value?))).collect(),
        ),
    };
    serde_json::from_value(value).map_err(|e| format!("invalid body: {e}"))
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

/// Prints the outcome: the body on stdout (exit 0), a documented error on stderr (exit 1),
/// anything else on stderr (exit 2).
pub fn report<T: serde::Serialize, E: std::fmt::Display>(result: Result<T, Error<E>>) -> ExitCode {
    match result {
        Ok(value) => match serde_json::to_string_pretty(&value) {
            Ok(json) if json != "null" => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot print the response: {e}");
                ExitCode::from(2)
            }
        },
        Err(e) if e.api().is_some() => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes a text or binary body to stdout as it came (exit 0); errors as [`report`].
pub fn report_raw<T: AsRef<[u8]>, E: std::fmt::Display>(result: Result<T, Error<E>>) -> ExitCode {
    use std::io::Write as _;
    match result {
        Ok(body) => match std::io::stdout().write_all(body.as_ref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write the response: {e}");
                ExitCode::from(2)
            }
        },
        Err(e) => report::<(), E>(Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::{flag_value, parse_body, parse_json};
    use serde_json::{json, Value};

    #[test]
    fn a_body_comes_from_json_or_from_the_flags_given() {
        let from_json: Value = parse_body(Some(r#"{"a":1}"#.into()), [("b", Some(json!(2)))]).unwrap();
        assert_eq!(from_json, json!({"a": 1}));
        let from_flags: Value = parse_body(None, [("a", Some(json!("x"))), ("b", None)]).unwrap();
        assert_eq!(from_flags, json!({"a": "x"}));
        let bad = parse_body::<Value, 0>(Some("{".into()), []).unwrap_err();
        assert!(bad.starts_with("--body is not valid JSON"), "{bad}");
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
