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

use crate::client::RawResponse;
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
    /// The connection failed while the events arrived; the stream ends.
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

/// The events of a `text/event-stream` response, each decoded as it arrives. A `data` that
/// does not decode is an [`EventError::Decode`] item and the stream goes on; a `data` of
/// `[DONE]` in a stream of JSON events ends it.
#[must_use = "a stream does nothing unless polled"]
pub struct EventStream<T> {
    events: RawEvents,
    decode: fn(&str) -> Result<T, String>,
    json: bool,
    done: bool,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("json", &self.json).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T> EventStream<T> {
    pub(crate) fn new<S>(bytes: S, decode: fn(&str) -> Result<T, String>, json: bool) -> Self
    where
        S: Stream<Item = Result<Bytes, reqwest::Error>> + Send + 'static,
    {
        // A blank line after the last chunk dispatches a final event the server did not end
        // with one; after a complete stream it dispatches nothing.
        let bytes = bytes.chain(futures_util::stream::once(async { Ok(Bytes::from_static(b"\n\n")) }));
        Self { events: Box::pin(bytes.eventsource()), decode, json, done: false }
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, EventError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let event = match self.events.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => {
                self.done = true;
                return Poll::Ready(None);
            }
            Poll::Ready(Some(Err(EventStreamError::Transport(e)))) => {
                self.done = true;
                return Poll::Ready(Some(Err(EventError::Transport(e))));
            }
            Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(EventError::Parse(e.to_string())))),
            Poll::Ready(Some(Ok(event))) => event,
        };
        if self.json && event.data.trim() == DONE {
            self.done = true;
            return Poll::Ready(None);
        }
        let item = match (self.decode)(&event.data) {
            Ok(data) => Ok(Event { event: event.event, id: event.id, retry: event.retry, data }),
            Err(message) => Err(EventError::Decode { event: event.event, data: event.data, message }),
        };
        Poll::Ready(Some(item))
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
    #[allow(dead_code)] // Called by the generated operations, not by the runtime itself.
    pub(crate) fn events<T, E>(
        &self,
        decode: fn(&str) -> Result<T, String>,
        json: bool,
    ) -> Result<EventStream<T>, Error<E>> {
        Ok(EventStream::new(self.chunks(), decode, json))
    }
}
