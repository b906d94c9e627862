//! Paginated operations as streams of their items (`Call::items`) or pages (`Call::pages`):
//! the first call is the operation's own, with every optional parameter it was given, and each
//! next page is that call again with its paging parameter moved on
//! (or sent to the URL a `Link` header names). Pages are fetched one at a time, when the
//! consumer asks for an item the pages so far do not hold.
//!
//! Where a page keeps its items and what tells of the next page are JSON pointers into the
//! page as the operation decodes it (`/data`, `/meta/next_cursor`): the generator found them
//! in the document, so each operation passes a few strings rather than code of its own.
// Each API uses some of the patterns only.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::header::LINK;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::call::Call;
use crate::error::{Error, ErrorKind};
use crate::meta::ResponseMeta;

/// What the stream of a paginated operation reads from each page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    pub(crate) pattern: Pattern,
    /// The array of items: `""` when the page is the array itself.
    pub(crate) items: &'static str,
    /// The value of the paging parameter for the next page (a cursor, or a page number).
    pub(crate) next: Option<&'static str>,
    /// A boolean that is `false` on the last page.
    pub(crate) has_more: Option<&'static str>,
    /// How many items (or pages) there are in all.
    pub(crate) total: Option<Total>,
    /// The query parameter that sets how many items a page holds: a page with fewer than the
    /// caller asked for is the last.
    pub(crate) size_param: Option<&'static str>,
    /// Whether the stream hands out whole pages rather than their items.
    pub(crate) whole: bool,
}

/// How one page leads to the next.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pattern {
    /// The query parameter `param` takes the value the page gives at `Paging::next`.
    Cursor { param: &'static str },
    /// The query parameter `param` takes the value at `id` (a pointer into an item) of the
    /// page's last item, while `Paging::has_more` is not `false` (`starting_after`).
    LastItem { param: &'static str, id: &'static str },
    /// The query parameter `param` is a page number, the first page being `first`.
    Page { param: &'static str, first: u64 },
    /// The query parameter `param` is how many items to skip.
    Offset { param: &'static str },
    /// The response's `Link` header names the next page's URL (`rel="next"`).
    Link,
}

/// A total that ends the stream once reached.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Total {
    Items(&'static str),
    Pages(&'static str),
}

/// Where the next page is.
#[derive(Debug, Clone, PartialEq)]
enum Position {
    First,
    Query(String),
    Link(String),
}

type Fetch<T, E> = Pin<Box<dyn Future<Output = Result<(T, ResponseMeta), Error<E>>> + Send>>;

/// The stream of the items of `first`'s pages.
pub(crate) fn stream<T, I, E, H, O>(first: Call<T, E, H, O>, paging: Paging) -> Pages<T, I, E, H, O>
where
    T: Serialize + Send + 'static,
    I: DeserializeOwned,
    E: Send + 'static,
    H: 'static,
    O: 'static,
{
    Pages {
        first,
        paging,
        next: Some(Position::First),
        fetching: None,
        items: VecDeque::new(),
        sent: Position::First,
        seen: 0,
        pages: 0,
    }
}

/// The stream `items()` and `pages()` of a paginated operation's [`Call`] return: its items,
/// or its whole pages, each `Ok`, fetched as they are asked for; a failed page is the last
/// item, its error. A named type, so it can be kept in a field, and `Unpin`, so
/// `StreamExt::next` needs no pinning.
#[must_use = "a stream does nothing until it is polled"]
pub struct Paginated<X, E> {
    // Boxed: the generic `paginate` proves the stream `Send` once for every operation, where
    // an `impl Stream + Send` per operation made the compiler prove it again for each (a tenth
    // of the type-checking of a crate with forty paginated operations).
    inner: Pin<Box<dyn Stream<Item = Result<X, Error<E>>> + Send>>,
}

impl<X, E> Stream for Paginated<X, E> {
    type Item = Result<X, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<X, E> std::fmt::Debug for Paginated<X, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginated").finish_non_exhaustive()
    }
}

/// The items (or, with `paging.whole`, the pages) of `first`'s pages, as a [`Paginated`].
pub(crate) fn paginate<T, I, E, H, O>(first: Call<T, E, H, O>, paging: Paging) -> Paginated<I, E>
where
    T: Serialize + Send + 'static,
    I: DeserializeOwned + Send + 'static,
    E: Send + 'static,
    H: 'static,
    O: 'static,
{
    Paginated { inner: Box::pin(stream(first, paging)) }
}

/// The items of an operation's pages, fetched as they are asked for. A failed page is the
/// stream's last item: the error.
#[must_use = "a stream does nothing until it is polled"]
pub(crate) struct Pages<T, I, E, H, O> {
    first: Call<T, E, H, O>,
    paging: Paging,
    /// `None` once the last page has been asked for.
    next: Option<Position>,
    fetching: Option<Fetch<T, E>>,
    items: VecDeque<I>,
    /// Where the page fetched last was asked for.
    sent: Position,
    /// Items received so far, for a total of items.
    seen: u64,
    /// Pages received so far, for a total of pages.
    pages: u64,
}

// Nothing in it is pinned in place: the page being fetched is boxed.
impl<T, I, E, H, O> Unpin for Pages<T, I, E, H, O> {}

impl<T, I, E, H, O> std::fmt::Debug for Pages<T, I, E, H, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("first", &self.first)
            .field("next", &self.next)
            .field("buffered", &self.items.len())
            .field("seen", &self.seen)
            .finish_non_exhaustive()
    }
}

impl<T, I, E, H, O> Stream for Pages<T, I, E, H, O>
where
    T: Serialize + Send + 'static,
    I: DeserializeOwned,
    E: Send + 'static,
    H: 'static,
    O: 'static,
{
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.fetching.is_none() {
                let Some(position) = this.next.take() else { return Poll::Ready(None) };
                let call = this.first.again(|request| match &position {
                    Position::First => {}
                    Position::Query(value) => request.set_query(this.paging.pattern.param(), value.clone()),
                    Position::Link(url) => request.set_link(url.clone()),
                });
                this.fetching = Some(Box::pin(call.send_with_meta()));
                this.sent = position;
            }
            let Some(fetching) = this.fetching.as_mut() else { continue };
            let Poll::Ready(result) = fetching.as_mut().poll(cx) else { return Poll::Pending };
            this.fetching = None;
            match result.and_then(|(page, meta)| this.read(page, &meta)) {
                Ok(next) => this.next = next,
                Err(error) => {
                    this.next = None;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

impl<T: Serialize, I: DeserializeOwned, E, H, O> Pages<T, I, E, H, O> {
    /// Takes the items of a page and says where the next one is, if there is one.
    fn read(&mut self, page: T, meta: &ResponseMeta) -> Result<Option<Position>, Error<E>> {
        let status = meta.status();
        let page = serde_json::to_value(&page).map_err(|e| decode_error(status, e.to_string()))?;
        let items = match page.pointer(self.paging.items) {
            Some(Value::Array(items)) => items.clone(),
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                return Err(decode_error(status, format!("the page's items ({}) are not a list", self.paging.items)))
            }
        };
        let count = items.len() as u64;
        let last_id = match self.paging.pattern {
            Pattern::LastItem { id, .. } => items.last().and_then(|item| scalar(item.pointer(id))),
            _ => None,
        };
        if self.paging.whole {
            // The page as the operation decoded it, read back from its JSON.
            let whole = serde_json::from_value(page.clone()).map_err(|e| decode_error(status, e.to_string()))?;
            self.items.push_back(whole);
        } else {
            for item in items {
                let item = serde_json::from_value(item).map_err(|e| decode_error(status, e.to_string()))?;
                self.items.push_back(item);
            }
        }
        self.seen += count;
        self.pages += 1;
        Ok(self.next_position(&page, meta, count, last_id))
    }

    fn next_position(
        &self,
        page: &Value,
        meta: &ResponseMeta,
        count: u64,
        last_id: Option<String>,
    ) -> Option<Position> {
        let paging = &self.paging;
        let read = |pointer: Option<&'static str>| pointer.and_then(|p| page.pointer(p)).filter(|v| !v.is_null());
        if read(paging.has_more).and_then(Value::as_bool) == Some(false) {
            return None;
        }
        let request = self.first.request();
        let current = paging.pattern.param_opt().and_then(|param| request.query_value(param));
        let size = paging.size_param.and_then(|p| request.query_value(p)).and_then(|v| v.parse::<u64>().ok());
        let short = size.is_some_and(|size| count < size);
        let current = current.and_then(|v| v.parse::<u64>().ok());
        // The number of pages read, or for page numbers, the number of the page just read
        // counted from 1.
        let pages = match paging.pattern {
            Pattern::Page { first, .. } => (current.unwrap_or(first) + self.pages).saturating_sub(first),
            _ => self.pages,
        };
        let total_reached = match paging.total {
            Some(Total::Items(p)) => read(Some(p)).and_then(Value::as_u64).is_some_and(|total| self.seen >= total),
            Some(Total::Pages(p)) => read(Some(p)).and_then(Value::as_u64).is_some_and(|total| pages >= total),
            None => false,
        };
        let next = match paging.pattern {
            Pattern::Cursor { .. } => scalar(read(paging.next)).map(Position::Query),
            Pattern::LastItem { .. } => last_id.map(Position::Query),
            Pattern::Link => next_link(meta).map(Position::Link),
            // A page number the page gives wins over counting.
            Pattern::Page { .. } if paging.next.is_some() => scalar(read(paging.next)).map(Position::Query),
            Pattern::Page { first, .. } => {
                let current = current.unwrap_or(first);
                (count > 0 && !short && !total_reached).then(|| Position::Query((current + self.pages).to_string()))
            }
            Pattern::Offset { .. } => {
                let start = current.unwrap_or(0);
                (count > 0 && !short && !total_reached).then(|| Position::Query((start + self.seen).to_string()))
            }
        }?;
        // A server that names the page just fetched again would be followed for ever.
        // An empty page with a cursor goes on, but only while the cursor moves.
        (next != self.sent).then_some(next)
    }
}

impl Pattern {
    /// The query parameter the stream sets.
    fn param(&self) -> &'static str {
        self.param_opt().unwrap_or("")
    }

    fn param_opt(&self) -> Option<&'static str> {
        match *self {
            Pattern::Cursor { param }
            | Pattern::LastItem { param, .. }
            | Pattern::Page { param, .. }
            | Pattern::Offset { param } => Some(param),
            Pattern::Link => None,
        }
    }
}

/// A string or number as the text of a query parameter; `None` for anything else or `""`.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn decode_error<E>(status: u16, message: String) -> Error<E> {
    ErrorKind::Decode { status, message, body: String::new() }.into()
}

/// The URL of the `Link` header's `rel="next"` entry (RFC 8288), from any of its `Link`
/// headers.
fn next_link(meta: &ResponseMeta) -> Option<String> {
    meta.headers().get_all(LINK).iter().filter_map(|v| v.to_str().ok()).find_map(next_in_link)
}

/// `<https://api/things?page=2>; rel="next", <…>; rel="last"` → the first URL.
pub(crate) fn next_in_link(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>')?;
        let url = &rest[start + 1..end];
        let params_end = rest[end..].find('<').map_or(rest.len(), |i| end + i);
        let params = &rest[end + 1..params_end];
        let is_next = params.split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else { return false };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim_matches(|c: char| c == '"' || c == ',' || c.is_whitespace())
                    .split_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(url.to_string());
        }
        rest = &rest[params_end..];
    }
    None
}
