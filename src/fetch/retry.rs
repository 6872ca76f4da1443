//! Retries for what passes: 5xx, timeouts, dropped connections, pages cut
//! short. Exponential backoff with jitter, up to a bound; then the pull
//! stops with a clear message and the case keeps every page committed.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries of one URL, the first included.
    pub attempts: u32,
    /// The first backoff; each next one doubles.
    pub base: Duration,
    /// No backoff is longer than this.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    /// Six tries over about half a minute.
    fn default() -> Self {
        RetryPolicy {
            attempts: 6,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(30),
        }
    }
}

/// 429s in a row on one URL before giving up (each waits for the reset).
pub const MAX_TOO_MANY: u32 = 10;

impl RetryPolicy {
    /// The wait after the `failure`-th failure (1-based): `base * 2^(n-1)`,
    /// capped, of which the upper half is jitter (`jitter` in `[0, 1)`).
    pub fn backoff(&self, failure: u32, jitter: f64) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << failure.saturating_sub(1).min(20))
            .min(self.cap);
        exp / 2 + exp.div_f64(2.0).mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// A uniform draw in `[0, 1)` for jitter.
pub fn jitter() -> f64 {
    rand::random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_with_jitter_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(500));
        assert_eq!(p.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(p.backoff(3, 0.0), Duration::from_secs(2));
        assert_eq!(p.backoff(30, 1.0), Duration::from_secs(30));
        let tiny = RetryPolicy {
            base: Duration::from_millis(10),
            ..p
        };
        assert_eq!(tiny.backoff(2, 1.0), Duration::from_millis(20));
    }
}
