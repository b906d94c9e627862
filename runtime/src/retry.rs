//! When a failed attempt is sent again, and after how long.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How a call is retried: up to [`max_retries`](RetryPolicy::max_retries) more attempts after
/// a connection error, a timeout or a status of 408, 429, 500, 502, 503 or 504, each after an
/// exponential backoff with jitter, or after the server's `Retry-After` when it gives one.
///
/// Only calls that are safe to repeat are retried: those of idempotent methods (GET, HEAD,
/// PUT, DELETE, OPTIONS, TRACE), and a POST or PATCH whose operation declares an
/// `Idempotency-Key` header, which then carries one key, the same on every attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, from half a second up to 8 s apart; a `Retry-After` of up to a minute.
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// At most `retries` attempts after the first.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The backoff before the first retry; it doubles for each retry after it.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff, before jitter.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` the client waits for. A server asking for longer gets its
    /// answer returned at once rather than a caller kept waiting.
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// The number of retries allowed after the first attempt.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// How long to wait before retry number `retry` (1 for the first retry): the exponential
    /// backoff, capped, then scaled by a random factor between ½ and 1 so that clients
    /// failing together do not retry together.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponential = self.base_delay.saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        exponential.min(self.max_delay).mul_f64(0.5 + fastrand::f64() / 2.0)
    }

    /// How long the server asks to wait, if it says: `Some(Ok(delay))` within the cap,
    /// `Some(Err(delay))` beyond it.
    pub(crate) fn retry_after(&self, headers: &HeaderMap, now: SystemTime) -> Option<Result<Duration, Duration>> {
        let delay = retry_after(headers, now)?;
        Some(if delay <= self.max_retry_after { Ok(delay) } else { Err(delay) })
    }
}

/// Statuses that say the request may succeed if sent again.
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Methods whose requests may be repeated without a second effect.
pub(crate) fn idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}

/// `Retry-After` as a delay from `now`: whole seconds, or an HTTP date (past dates are no
/// delay).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(retry_after(&headers("3"), now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(&headers("Sun, 06 Nov 1994 08:49:47 GMT"), now), Some(Duration::from_secs(10)));
        assert_eq!(retry_after(&headers("Sun, 06 Nov 1994 08:49:00 GMT"), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_beyond_the_cap_is_refused() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        let now = SystemTime::now();
        assert_eq!(policy.retry_after(&headers("5"), now), Some(Ok(Duration::from_secs(5))));
        assert_eq!(policy.retry_after(&headers("6"), now), Some(Err(Duration::from_secs(6))));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let policy =
            RetryPolicy::default().base_delay(Duration::from_millis(100)).max_delay(Duration::from_millis(350));
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let second = policy.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200), "{second:?}");
            let capped = policy.backoff(30);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350), "{capped:?}");
        }
    }

    #[test]
    fn what_is_retried() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(retryable_status(status), "{status}");
        }
        for status in [200, 301, 400, 401, 404, 409, 501, 505] {
            assert!(!retryable_status(status), "{status}");
        }
        assert!(idempotent(&reqwest::Method::PUT));
        assert!(!idempotent(&reqwest::Method::POST));
        assert!(!idempotent(&reqwest::Method::PATCH));
    }
}
