//! Server-sent events, decoded one by one as they arrive: never held whole, so the client's
//! size limit does not apply to them. Shipped only in crates whose document has a
//! `text/event-stream` response, the only users of `eventsource-stream`.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource as _};
use futures_core::Stream;
use futures_util::StreamExt as _;

use crate::client::{RawBytes, RawResponse, Reconnect};
use crate::error::Error;

/// The `data` of an event that ends a stream of JSON events, as OpenAI and others send it.
const DONE: &str = "[DONE]";

/// One server-sent event, its `data` decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `event:` field: the event's type, `message` when the server gave none.
    pub event: String,
    /// The `id:` field, the last one the server gave.
    pub id: String,
    /// The `retry:` field: how long the server asks a client to wait before reconnecting.
    pub retry: Option<Duration>,
    /// The `data:` lines, joined with newlines and decoded.
    pub data: T,
}

/// An item of an [`EventStream`] that is not an event.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventError {
    /// The event's `data` does not decode into the documented type; the stream goes on.
    Decode {
        /// The event's type.
        event: String,
        /// The `data` as it came.
        data: String,
        /// Why it does not decode.
        message: String,
    },
    /// The stream is not valid server-sent events (text that is not UTF-8).
    Parse(String),
    /// The connection failed while the events arrived, and reconnecting failed too (or
    /// cannot be done); the stream ends.
    Transport(reqwest::Error),
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::Decode { event, data, message } => {
                write!(f, "an event{} does not decode ({message}): {data}", if event.is_empty() { "" } else { " " })?;
                if !event.is_empty() {
                    write!(f, " (event {event})")?;
                }
                Ok(())
            }
            EventError::Parse(message) => write!(f, "the events cannot be read: {message}"),
            EventError::Transport(e) => write!(f, "the events stopped: {e}"),
        }
    }
}

impl std::error::Error for EventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventError::Transport(e) => Some(e),
            _ => None,
        }
    }
}

type RawEvents =
    Pin<Box<dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<reqwest::Error>>> + Send>>;

type Items<T> = Pin<Box<dyn Stream<Item = Result<Event<T>, EventError>> + Send>>;

/// How long a broken stream waits before reconnecting when the server gave no `retry:`, as
/// browsers' `EventSource` does.
pub const DEFAULT_RECONNECT_DELAY: Duration = Duration::from_secs(3);

/// How many times in a row a broken stream tries to reconnect before it ends with the
/// error that broke it.
pub const MAX_RECONNECTS: u32 = 5;

/// The longest wait before a reconnection, however many have failed.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(60);

/// The events of a `text/event-stream` response, each decoded as it arrives. A `data` that
/// does not decode is an [`EventError::Decode`] item and the stream goes on; a `data` of
/// `[DONE]` in a stream of JSON events ends it.
///
/// When the connection breaks before the body's clean end, the stream reconnects as a
/// browser's `EventSource` does: it sends the call again with `Last-Event-ID` set to the last
/// id received, after the server's last `retry:` (else [`DEFAULT_RECONNECT_DELAY`]), doubled
/// for each failed try, up to [`MAX_RECONNECTS`] tries in a row. An event whose id came on an
/// earlier connection is not delivered again. A clean end, or a reconnection answered with
/// `204 No Content`, ends the stream.
#[must_use = "a stream does nothing unless polled"]
pub struct EventStream<T> {
    items: Items<T>,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

/// The state between two events.
struct Connection<T> {
    events: RawEvents,
    decode: fn(&str) -> Result<T, String>,
    json: bool,
    reconnect: Option<Box<dyn Reconnect>>,
    /// The last id received, on this connection or before.
    last_id: String,
    /// The server's last `retry:`.
    retry: Option<Duration>,
    /// Ids delivered on earlier connections, which a server replaying its events sends again.
    earlier_ids: std::collections::HashSet<String>,
    /// Ids delivered on this connection.
    ids: Vec<String>,
}

impl<T: Send + 'static> EventStream<T> {
    /// The events of `bytes`, which end with it.
    // The runtime's own tests use it; generated crates make their streams resumable.
    #[allow(dead_code)]
    pub(crate) fn new<S>(bytes: S, decode: fn(&str) -> Result<T, String>, json: bool) -> Self
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        Self::resumable(Box::pin(bytes), decode, json, None)
    }

    /// The events of `bytes`, and of the connections `reconnect` makes when it breaks.
    pub(crate) fn resumable(
        bytes: RawBytes,
        decode: fn(&str) -> Result<T, String>,
        json: bool,
        reconnect: Option<Box<dyn Reconnect>>,
    ) -> Self {
        let connection = Connection {
            events: parse(bytes),
            decode,
            json,
            reconnect,
            last_id: String::new(),
            retry: None,
            earlier_ids: Default::default(),
            ids: Vec::new(),
        };
        let items = futures_util::stream::unfold(Some(connection), |connection| async move {
            let mut connection = connection?;
            let item = connection.next().await?;
            // A transport error is the last item: reconnecting has failed by then.
            let last = matches!(item, Err(EventError::Transport(_)));
            Some((item, (!last).then_some(connection)))
        });
        Self { items: Box::pin(items) }
    }
}

/// The events of one connection's body.
fn parse(bytes: RawBytes) -> RawEvents {
    // A blank line after the last chunk dispatches a final event the server did not end
    // with one; after a complete stream it dispatches nothing.
    let bytes = bytes.chain(futures_util::stream::once(async { Ok(Bytes::from_static(b"\n\n")) }));
    Box::pin(bytes.eventsource())
}

impl<T> Connection<T> {
    /// The next item, reconnecting as often as allowed when the body breaks; `None` at the end.
    async fn next(&mut self) -> Option<Result<Event<T>, EventError>> {
        loop {
            let event = match self.events.next().await? {
                Ok(event) => event,
                Err(EventStreamError::Transport(error)) => match self.resume().await {
                    Ok(true) => continue,
                    Ok(false) => return None,
                    Err(()) => return Some(Err(EventError::Transport(error))),
                },
                Err(e) => return Some(Err(EventError::Parse(e.to_string()))),
            };
            if event.retry.is_some() {
                self.retry = event.retry;
            }
            if !event.id.is_empty() && self.earlier_ids.contains(&event.id) {
                tracing::debug!(id = %event.id, "an event received before the reconnection, skipped");
                continue;
            }
            if self.json && event.data.trim() == DONE {
                return None;
            }
            // A new connection's parser starts without an id: the stream's last one holds.
            let id = if event.id.is_empty() { self.last_id.clone() } else { event.id };
            if !id.is_empty() && self.ids.last() != Some(&id) {
                self.ids.push(id.clone());
            }
            self.last_id.clone_from(&id);
            return Some(match (self.decode)(&event.data) {
                Ok(data) => Ok(Event { event: event.event, id, retry: event.retry, data }),
                Err(message) => Err(EventError::Decode { event: event.event, data: event.data, message }),
            });
        }
    }

    /// Reconnects after a break: `Ok(true)` with a new body, `Ok(false)` when the server has
    /// nothing more, `Err` when the tries run out or the stream cannot reconnect.
    async fn resume(&mut self) -> Result<bool, ()> {
        let reconnect = self.reconnect.as_ref().ok_or(())?;
        self.earlier_ids.extend(self.ids.drain(..));
        for attempt in 1..=MAX_RECONNECTS {
            let delay = self
                .retry
                .unwrap_or(DEFAULT_RECONNECT_DELAY)
                .saturating_mul(1 << (attempt - 1))
                .min(MAX_RECONNECT_DELAY.max(self.retry.unwrap_or_default()));
            tracing::info!(
                attempt,
                last_event_id = %self.last_id,
                delay_ms = delay.as_millis() as u64,
                "the event stream broke off; reconnecting"
            );
            reconnect.sleep(delay).await;
            match reconnect.connect(&self.last_id).await {
                Ok(Some(bytes)) => {
                    self.events = parse(bytes);
                    return Ok(true);
                }
                Ok(None) => return Ok(false),
                Err(message) => tracing::info!(attempt, error = %message, "reconnecting the event stream failed"),
            }
        }
        Err(())
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, EventError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.as_mut().poll_next(cx)
    }
}

/// `data` as JSON of `T`.
#[allow(dead_code)] // Used by the operations of APIs with event streams only.
pub(crate) fn json<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, String> {
    serde_json::from_str(data).map_err(|e| e.to_string())
}

/// `data` as the text it is.
#[allow(dead_code)] // Used by the operations of APIs with event streams only.
pub(crate) fn text(data: &str) -> Result<String, String> {
    Ok(data.to_string())
}

impl RawResponse {
    /// The success's server-sent events, each decoded by `decode` (`json` for the stream of a
    /// JSON type, where a `[DONE]` ends it).
    /// A streamed success resumes when it breaks off; one read whole has nothing to resume.
    #[allow(dead_code)] // Called by the generated operations, not by the runtime itself.
    pub(crate) fn events<T: Send + 'static, E>(
        &self,
        decode: fn(&str) -> Result<T, String>,
        json: bool,
    ) -> Result<EventStream<T>, Error<E>> {
        Ok(EventStream::resumable(self.chunks(), decode, json, self.take_resume()))
    }
}
