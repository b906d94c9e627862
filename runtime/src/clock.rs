//! Time as the client reads it and waits on it. It is replaceable ([`ClientBuilder::clock`])
//! so that tests of retries, deadlines and pacing assert what the client waited for without
//! waiting, as smithy-rs's `TimeSource` and `AsyncSleep` allow.
//!
//! [`ClientBuilder::clock`]: crate::ClientBuilder::clock

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// A future that completes once a wait is over.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Where the client gets the time, and how it waits: between retries, for a rate limit to
/// reset, before reconnecting an event stream. The time is the wall clock's, since servers
/// give resets as dates and epoch seconds.
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    /// The time now.
    fn now(&self) -> SystemTime;

    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The system's clock, and tokio's timer: the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock for tests: its time stands still but for waits, which end at once and move it on
/// by their length, and for [`ManualClock::advance`]. It keeps every wait, in order, for the
/// test to assert. Clones share one time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    state: Arc<Mutex<ManualState>>,
}

#[derive(Debug)]
struct ManualState {
    now: SystemTime,
    slept: Vec<Duration>,
}

impl ManualClock {
    /// A clock that reads `start` until something waits.
    pub fn new(start: SystemTime) -> Self {
        Self { state: Arc::new(Mutex::new(ManualState { now: start, slept: Vec::new() })) }
    }

    /// Moves the time on by `duration`, as if that much had passed outside any wait.
    pub fn advance(&self, duration: Duration) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.now += duration;
    }

    /// Every wait so far, in the order they began.
    pub fn slept(&self) -> Vec<Duration> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).slept.clone()
    }
}

impl Default for ManualClock {
    /// A clock that starts at the Unix epoch plus a billion seconds (2001).
    fn default() -> Self {
        Self::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000))
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).now
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.now += duration;
        state.slept.push(duration);
        Box::pin(std::future::ready(()))
    }
}
