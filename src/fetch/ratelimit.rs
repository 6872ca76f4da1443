//! Pace requests so a pull never floods the tenant's rate limit.
//!
//! Okta answers every request with `X-Rate-Limit-Limit` (requests per
//! window), `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (epoch
//! seconds when the window resets). The pacer keeps a reserve of the limit
//! for the tenant's other integrations: once fewer than half the requests
//! remain it spreads the rest evenly over the window, and at the reserve it
//! waits for the reset. `--max-rate N` adds a floor of 60/N seconds between
//! requests. Every decision is a pure function of the state and `now`.

use chrono::DateTime;
use reqwest::header::{DATE, HeaderMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A reset further away than this is not believed (windows are a minute).
pub const MAX_RESET_WAIT: Duration = Duration::from_secs(65);

/// What the last response said about the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: Option<u32>,
    pub remaining: u32,
    /// When the window resets, on the local monotonic clock.
    pub reset_at: Instant,
}

/// Why a request waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// Few requests left in the window (`remaining` of `limit`).
    Remaining { remaining: u32, limit: Option<u32> },
    /// `--max-rate` per minute.
    MaxRate(u32),
    /// The server answered 429.
    TooManyRequests,
}

impl std::fmt::Display for WaitReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitReason::Remaining {
                remaining,
                limit: Some(l),
            } => write!(f, "rate limit: {remaining} of {l} requests left"),
            WaitReason::Remaining { remaining, .. } => {
                write!(f, "rate limit: {remaining} requests left")
            }
            WaitReason::MaxRate(n) => write!(f, "--max-rate {n} per minute"),
            WaitReason::TooManyRequests => write!(f, "rate limit exceeded (429)"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Pacer {
    pub window: Option<Window>,
    pub max_rate: Option<u32>,
    last_start: Option<Instant>,
}

impl Pacer {
    pub fn new(max_rate: Option<u32>) -> Pacer {
        Pacer {
            window: None,
            max_rate: max_rate.filter(|n| *n > 0),
            last_start: None,
        }
    }

    /// Note that a request starts now.
    pub fn started(&mut self, now: Instant) {
        self.last_start = Some(now);
    }

    /// Read the rate-limit headers of a response received at `now`.
    pub fn observe(&mut self, headers: &HeaderMap, now: Instant) {
        if let Some(w) = window_from(headers, now, epoch_now()) {
            self.window = Some(w);
        }
    }

    /// How long to wait before the next request, and why; `None` to go now.
    pub fn delay(&self, now: Instant) -> Option<(Duration, WaitReason)> {
        let mut best: Option<(Duration, WaitReason)> = None;
        let mut consider = |d: Duration, why: WaitReason| {
            if !d.is_zero() && best.is_none_or(|(b, _)| d > b) {
                best = Some((d, why));
            }
        };
        if let (Some(n), Some(last)) = (self.max_rate, self.last_start) {
            let spacing = Duration::from_secs(60) / n;
            consider(
                (last + spacing).saturating_duration_since(now),
                WaitReason::MaxRate(n),
            );
        }
        if let Some(w) = self.window.filter(|w| now < w.reset_at) {
            let why = WaitReason::Remaining {
                remaining: w.remaining,
                limit: w.limit,
            };
            let to_reset = w.reset_at - now;
            let reserve = reserve(w.limit);
            if w.remaining <= reserve {
                consider(to_reset, why);
            } else if let (Some(limit), Some(last)) = (w.limit, self.last_start) {
                if w.remaining < limit / 2 {
                    let spacing = to_reset / (w.remaining - reserve);
                    consider((last + spacing).saturating_duration_since(now), why);
                }
            }
        }
        best
    }

    /// After a 429: how long until the window resets, if the server said.
    pub fn reset_wait(&self, now: Instant) -> Option<Duration> {
        self.window
            .map(|w| w.reset_at.saturating_duration_since(now))
    }
}

/// Requests left untouched for the tenant's other integrations: a tenth of
/// the limit, at least one.
pub fn reserve(limit: Option<u32>) -> u32 {
    limit.map_or(1, |l| (l / 10).max(1))
}

/// The window the headers describe. The reset is measured against the
/// server's own `Date` when it sends one (so a skewed local clock does not
/// matter), else against the local clock (`local_epoch_ms`).
pub fn window_from(headers: &HeaderMap, now: Instant, local_epoch_ms: i64) -> Option<Window> {
    let num = |name: &str| -> Option<i64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
    let remaining = num("x-rate-limit-remaining")?;
    let reset_epoch = num("x-rate-limit-reset")?;
    let limit = num("x-rate-limit-limit").and_then(|l| u32::try_from(l).ok());
    let server_ms = headers
        .get(DATE)
        .and_then(|d| d.to_str().ok())
        .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
        .map(|d| d.timestamp_millis())
        .unwrap_or(local_epoch_ms);
    let ahead_ms = (reset_epoch.saturating_mul(1000) - server_ms).max(0);
    let ahead = Duration::from_millis(ahead_ms as u64).min(MAX_RESET_WAIT);
    Some(Window {
        limit,
        remaining: u32::try_from(remaining.max(0)).unwrap_or(u32::MAX),
        reset_at: now + ahead,
    })
}

/// Milliseconds since the epoch on the local clock.
pub fn epoch_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(limit: u32, remaining: u32, reset: i64, date: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        let v = |n: i64| HeaderValue::from_str(&n.to_string()).expect("value");
        h.insert("x-rate-limit-limit", v(limit.into()));
        h.insert("x-rate-limit-remaining", v(remaining.into()));
        h.insert("x-rate-limit-reset", v(reset));
        if let Some(d) = date {
            h.insert(DATE, HeaderValue::from_static(d));
        }
        h
    }

    // 2024-03-01T10:00:00Z
    const T0: i64 = 1_709_287_200;
    const DATE_T0: &str = "Fri, 01 Mar 2024 10:00:00 GMT";

    #[test]
    fn reset_is_read_against_the_server_date() {
        let now = Instant::now();
        // The local clock is an hour off; the server's Date rules.
        let w = window_from(
            &headers(120, 5, T0 + 30, Some(DATE_T0)),
            now,
            (T0 - 3600) * 1000,
        )
        .expect("window");
        assert_eq!(w.reset_at - now, Duration::from_secs(30));
        // No Date: the local clock.
        let w = window_from(&headers(120, 5, T0 + 2, None), now, T0 * 1000 + 500).expect("w");
        assert_eq!(w.reset_at - now, Duration::from_millis(1500));
        // A reset in the past means now; one far ahead is capped.
        let w = window_from(&headers(120, 5, T0 - 10, Some(DATE_T0)), now, 0).expect("w");
        assert_eq!(w.reset_at, now);
        let w = window_from(&headers(120, 5, T0 + 9999, Some(DATE_T0)), now, 0).expect("w");
        assert_eq!(w.reset_at - now, MAX_RESET_WAIT);
        assert!(window_from(&HeaderMap::new(), now, 0).is_none());
    }

    #[test]
    fn plenty_left_means_no_wait() {
        let now = Instant::now();
        let mut p = Pacer::new(None);
        assert_eq!(p.delay(now), None);
        p.started(now);
        p.observe(&headers(120, 100, T0 + 60, Some(DATE_T0)), now);
        assert_eq!(p.delay(now), None);
    }

    #[test]
    fn at_the_reserve_wait_for_the_reset() {
        let now = Instant::now();
        let mut p = Pacer::new(None);
        p.started(now);
        p.observe(&headers(120, 12, T0 + 40, Some(DATE_T0)), now);
        let (d, why) = p.delay(now).expect("waits");
        assert_eq!(d, Duration::from_secs(40));
        assert_eq!(
            why,
            WaitReason::Remaining {
                remaining: 12,
                limit: Some(120)
            }
        );
        // After the reset the old window no longer counts.
        assert_eq!(p.delay(now + Duration::from_secs(41)), None);
    }

    #[test]
    fn below_half_spreads_the_rest() {
        let now = Instant::now();
        let mut p = Pacer::new(None);
        p.started(now);
        // 20 per minute (developer org): reserve 2, 6 left, 40 s to go:
        // one request every 10 s.
        p.observe(&headers(20, 6, T0 + 40, Some(DATE_T0)), now);
        let (d, _) = p.delay(now).expect("paced");
        assert_eq!(d, Duration::from_secs(10));
        assert_eq!(p.delay(now + Duration::from_secs(10)), None);
    }

    #[test]
    fn max_rate_spaces_requests() {
        let now = Instant::now();
        let mut p = Pacer::new(Some(30));
        assert_eq!(p.delay(now), None);
        p.started(now);
        assert_eq!(
            p.delay(now + Duration::from_millis(500)),
            Some((Duration::from_millis(1500), WaitReason::MaxRate(30)))
        );
        assert_eq!(p.delay(now + Duration::from_secs(2)), None);
    }
}
