//! The command-line client's printing of server-sent events, apart from `cli_support` so
//! that crates without event streams ship neither it nor `eventsource-stream`.
//! Public for that binary only.

use std::io::Write as _;
use std::process::ExitCode;

use crate::call::Call;
use crate::cli_support::{failed, GlobalOptions};
use crate::stream::EventStream;

/// Sends `call` and prints each event as one JSON line (`event`, `id`, `retry` in
/// milliseconds, `data`) as it arrives; an event that does not decode goes to stderr and the
/// stream goes on.
pub async fn report_events<T: serde::Serialize, E: std::fmt::Display, H, O>(
    options: &GlobalOptions,
    call: Call<EventStream<T>, E, H, O>,
) -> ExitCode {
    use futures_util::StreamExt as _;
    let result = call.send_with_meta().await;
    options.print_head(&result);
    let mut events = match result {
        Ok((events, _)) => events,
        Err(e) => return failed(e),
    };
    let mut stdout = std::io::stdout();
    while let Some(item) = events.next().await {
        match item {
            Ok(event) => {
                let line = serde_json::json!({
                    "event": event.event,
                    "id": event.id,
                    "retry": event.retry.map(|r| r.as_millis() as u64),
                    "data": event.data,
                });
                // Flushed per event: a reader of the pipe sees each as it arrives.
                if writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_err() {
                    return ExitCode::from(2);
                }
            }
            Err(crate::stream::EventError::Transport(e)) => {
                eprintln!("error: the events stopped: {e}");
                return ExitCode::from(2);
            }
            Err(e) => eprintln!("error: {e}"),
        }
    }
    ExitCode::SUCCESS
}
