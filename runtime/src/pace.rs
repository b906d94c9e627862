//! Pacing by the rate limits servers announce: after an answer saying no requests are left
//! until a reset, the client's next request waits for the reset rather than meeting a 429.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// Whether and how long requests wait for a rate limit to reset ([`ClientBuilder::rate_limits`]).
///
/// The client reads, on every answer, the headers of the IETF draft (`RateLimit-Remaining`
/// with `RateLimit-Reset` in seconds, or one structured `RateLimit` header: `remaining=0,
/// reset=5` or `r=0;t=5`) and GitHub's (`X-RateLimit-Remaining` with `X-RateLimit-Reset` in
/// epoch seconds). When they say none remain, every request of the client waits for the
/// reset, if it comes within [`max_wait`](RateLimits::max_wait); a later reset is not waited
/// for and the server answers as it will. On by default, with a `max_wait` of a minute.
///
/// [`ClientBuilder::rate_limits`]: crate::ClientBuilder::rate_limits
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    enabled: bool,
    max_wait: Duration,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self { enabled: true, max_wait: Duration::from_secs(60) }
    }
}

impl RateLimits {
    /// Requests are sent without regard to announced limits.
    pub fn off() -> Self {
        Self { enabled: false, ..Self::default() }
    }

    /// The longest wait for a reset.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }
}

/// The reset a client's requests wait for, shared by its calls.
#[derive(Debug)]
pub(crate) struct Pacer {
    limits: RateLimits,
    /// When requests may go again, once a server said none remain.
    paused_until: Mutex<Option<SystemTime>>,
}

/// A wait the client skips: the reset is further off than allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pause {
    Wait(Duration),
    TooLong(Duration),
}

impl Pacer {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self { limits, paused_until: Mutex::new(None) }
    }

    /// Reads the limits an answer announces, at `now`.
    pub(crate) fn observe(&self, headers: &HeaderMap, now: SystemTime) {
        if !self.limits.enabled {
            return;
        }
        if let Some(reset) = exhausted_until(headers, now) {
            let mut paused = self.paused_until.lock().unwrap_or_else(PoisonError::into_inner);
            *paused = Some(paused.map_or(reset, |until| until.max(reset)));
        }
    }

    /// How long the next request waits, at `now`.
    pub(crate) fn pause(&self, now: SystemTime) -> Option<Pause> {
        let mut paused = self.paused_until.lock().unwrap_or_else(PoisonError::into_inner);
        let wait = paused.and_then(|until| until.duration_since(now).ok()).filter(|wait| !wait.is_zero());
        let Some(wait) = wait else {
            *paused = None;
            return None;
        };
        Some(if wait <= self.limits.max_wait { Pause::Wait(wait) } else { Pause::TooLong(wait) })
    }
}

/// When the limit resets, if the answer says no request remains before then.
pub(crate) fn exhausted_until(headers: &HeaderMap, now: SystemTime) -> Option<SystemTime> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(structured) = text("ratelimit") {
        let (remaining, reset) = structured_fields(structured);
        if remaining == Some(0) {
            return reset.map(|seconds| now + Duration::from_secs(seconds));
        }
    }
    if text("ratelimit-remaining").and_then(|v| v.parse::<u64>().ok()) == Some(0) {
        let seconds = text("ratelimit-reset")?.parse::<u64>().ok()?;
        return Some(now + Duration::from_secs(seconds));
    }
    if text("x-ratelimit-remaining").and_then(|v| v.parse::<u64>().ok()) == Some(0) {
        let reset = text("x-ratelimit-reset")?.parse::<u64>().ok()?;
        // GitHub gives an epoch time; some servers copy the header with a delay in seconds.
        return Some(if reset >= EPOCH_SECONDS_FLOOR {
            UNIX_EPOCH + Duration::from_secs(reset)
        } else {
            now + Duration::from_secs(reset)
        });
    }
    None
}

/// Values this large are times since the epoch (2001 onwards), not delays: a delay of 31 years
/// is not a rate limit's.
const EPOCH_SECONDS_FLOOR: u64 = 1_000_000_000;

/// The remaining count and reset delay of a structured `RateLimit` header, in the draft's
/// older form (`limit=100, remaining=0, reset=5`) or its newer one (`"default";r=0;t=5`).
fn structured_fields(value: &str) -> (Option<u64>, Option<u64>) {
    let (mut remaining, mut reset) = (None, None);
    for parameter in value.split([',', ';']) {
        let Some((key, number)) = parameter.split_once('=') else { continue };
        let number = number.trim().parse::<u64>().ok();
        match key.trim().to_ascii_lowercase().as_str() {
            "remaining" | "r" => remaining = remaining.or(number),
            "reset" | "t" => reset = reset.or(number),
            _ => {}
        }
    }
    (remaining, reset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs.iter().map(|(n, v)| (HeaderName::from_static(n), HeaderValue::from_str(v).unwrap())).collect()
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn each_form_of_the_headers_is_read() {
        let now = at(1_700_000_000);
        let after = |seconds| Some(now + Duration::from_secs(seconds));
        let read = |pairs: &[(&'static str, &str)]| exhausted_until(&headers(pairs), now);
        assert_eq!(read(&[("ratelimit-remaining", "0"), ("ratelimit-reset", "1")]), after(1));
        assert_eq!(read(&[("ratelimit-remaining", "3"), ("ratelimit-reset", "1")]), None);
        assert_eq!(read(&[("ratelimit", "limit=100, remaining=0, reset=7")]), after(7));
        assert_eq!(read(&[("ratelimit", "\"default\";r=0;t=9")]), after(9));
        assert_eq!(read(&[("ratelimit", "\"default\";r=4;t=9")]), None);
        assert_eq!(read(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1700000030")]), after(30));
        assert_eq!(read(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "12")]), after(12));
        assert_eq!(read(&[("x-ratelimit-remaining", "0")]), None, "no reset: nothing to wait for");
        assert_eq!(read(&[("ratelimit-remaining", "0"), ("ratelimit-reset", "soon")]), None);
        assert_eq!(read(&[]), None);
    }

    #[test]
    fn the_pause_lasts_until_the_reset_within_the_cap() {
        let pacer = Pacer::new(RateLimits::default().max_wait(Duration::from_secs(10)));
        pacer.observe(&headers(&[("ratelimit-remaining", "0"), ("ratelimit-reset", "4")]), at(100));
        assert_eq!(pacer.pause(at(101)), Some(Pause::Wait(Duration::from_secs(3))));
        assert_eq!(pacer.pause(at(104)), None);
        pacer.observe(&headers(&[("ratelimit-remaining", "0"), ("ratelimit-reset", "60")]), at(104));
        assert_eq!(pacer.pause(at(104)), Some(Pause::TooLong(Duration::from_secs(60))));
        let off = Pacer::new(RateLimits::off());
        off.observe(&headers(&[("ratelimit-remaining", "0"), ("ratelimit-reset", "4")]), at(100));
        assert_eq!(off.pause(at(100)), None);
    }
}
