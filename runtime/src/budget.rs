//! The retries a client may still make, shared by all its calls: smithy-rs's retry token
//! bucket. When a server keeps failing, the callers of one client together make a bounded
//! number of retries, rather than each caller its own, and retries come back as calls
//! succeed.

use std::sync::atomic::{AtomicU32, Ordering};

/// How many retries the calls of one client may make together ([`ClientBuilder::retry_budget`]).
/// A retry takes [`retry_cost`](RetryBudget::retry_cost) tokens (a retry after a timeout
/// [`timeout_cost`](RetryBudget::timeout_cost)); when too few are left, a failed call is
/// not retried. A call that succeeds gives back what its last retry took, or one token when
/// it needed no retry, up to the capacity.
///
/// The default holds 500 tokens, a retry costs 5 and one after a timeout 10, as in smithy-rs:
/// 100 retries in a row, 50 after timeouts, before the client stops retrying.
///
/// [`ClientBuilder::retry_budget`]: crate::ClientBuilder::retry_budget
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    tokens: AtomicU32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self::new(500)
    }
}

impl Clone for RetryBudget {
    /// A budget of the same settings and as many tokens left, not shared with this one.
    fn clone(&self) -> Self {
        Self { tokens: AtomicU32::new(self.tokens()), ..*self }
    }
}

impl RetryBudget {
    /// A full budget of `capacity` tokens, at the default costs.
    pub fn new(capacity: u32) -> Self {
        Self { capacity, retry_cost: 5, timeout_cost: 10, tokens: AtomicU32::new(capacity) }
    }

    /// No limit: every retry the policy allows is made.
    pub fn unlimited() -> Self {
        Self { retry_cost: 0, timeout_cost: 0, ..Self::new(0) }
    }

    /// The tokens a retry takes.
    pub fn retry_cost(mut self, tokens: u32) -> Self {
        self.retry_cost = tokens;
        self
    }

    /// The tokens a retry after a timeout takes: more, since a server that does not answer
    /// costs every caller its whole timeout.
    pub fn timeout_cost(mut self, tokens: u32) -> Self {
        self.timeout_cost = tokens;
        self
    }

    /// The tokens left.
    pub fn tokens(&self) -> u32 {
        self.tokens.load(Ordering::Relaxed)
    }

    /// Takes the cost of a retry, if enough is left: `Some(cost)`, to give back on success.
    pub(crate) fn take(&self, after_timeout: bool) -> Option<u32> {
        let cost = if after_timeout { self.timeout_cost } else { self.retry_cost };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| tokens.checked_sub(cost))
            .ok()
            .map(|_| cost)
    }

    /// A call succeeded: what its last retry took comes back, or one token for a success
    /// at the first attempt.
    pub(crate) fn succeeded(&self, last_retry_cost: Option<u32>) {
        let refund = last_retry_cost.unwrap_or(1);
        let capacity = self.capacity;
        let _ = self.tokens.fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
            Some(tokens.saturating_add(refund).min(capacity))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::RetryBudget;

    #[test]
    fn retries_run_out_and_come_back_with_successes() {
        let budget = RetryBudget::new(12).retry_cost(5).timeout_cost(10);
        assert_eq!(budget.take(false), Some(5));
        assert_eq!(budget.take(true), None, "7 left, a timeout's retry costs 10");
        assert_eq!(budget.take(false), Some(5));
        assert_eq!(budget.take(false), None);
        assert_eq!(budget.tokens(), 2);
        budget.succeeded(Some(5));
        assert_eq!(budget.tokens(), 7);
        budget.succeeded(None);
        assert_eq!(budget.tokens(), 8);
        budget.succeeded(Some(10));
        assert_eq!(budget.tokens(), 12, "never above the capacity");
    }

    #[test]
    fn an_unlimited_budget_never_refuses() {
        let budget = RetryBudget::unlimited();
        for _ in 0..1000 {
            assert_eq!(budget.take(true), Some(0));
        }
    }
}
