//! Counters for whoever shows a pull's progress (a bar, plain lines, the
//! TUI), shared across threads, and notices of waits and retries as they
//! happen.

use super::ratelimit::WaitReason;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Something worth telling as it happens.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The next request waits this long.
    Wait { delay: Duration, why: WaitReason },
    /// A request failed and is tried again after `delay`.
    Retry {
        failure: u32,
        attempts: u32,
        reason: String,
        delay: Duration,
    },
    /// An element of a page was not a usable event (counted, skipped).
    Skipped { reason: String },
}

pub type Notify = Box<dyn Fn(&Notice) + Send + Sync>;

#[derive(Default)]
pub struct FetchProgress {
    pub requests: AtomicU64,
    pub pages: AtomicU64,
    /// Elements of the pages received (events read).
    pub events: AtomicU64,
    pub added: AtomicU64,
    pub duplicates: AtomicU64,
    pub skipped: AtomicU64,
    pub retries: AtomicU64,
    /// Waits for the rate limit (remaining, 429, --max-rate) and their total.
    pub waits: AtomicU64,
    pub waited_ms: AtomicU64,
    /// The newest `published` committed, as Okta wrote it.
    position: Mutex<Option<String>>,
    /// What the pull is waiting for right now, if anything.
    waiting: Mutex<Option<String>>,
    notify: Option<Notify>,
}

impl FetchProgress {
    pub fn new(notify: Option<Notify>) -> FetchProgress {
        FetchProgress {
            notify,
            ..FetchProgress::default()
        }
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    pub fn bump(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn notice(&self, n: Notice) {
        if let Notice::Wait { delay, .. } = &n {
            Self::bump(&self.waits, 1);
            Self::bump(&self.waited_ms, delay.as_millis() as u64);
        }
        if let Notice::Retry { .. } = &n {
            Self::bump(&self.retries, 1);
        }
        tracing::info!(?n, "fetch");
        if let Some(f) = &self.notify {
            f(&n);
        }
    }

    pub fn set_position(&self, published: &str) {
        if let Ok(mut p) = self.position.lock() {
            *p = Some(published.to_string());
        }
    }

    pub fn position(&self) -> Option<String> {
        self.position.lock().ok().and_then(|p| p.clone())
    }

    pub fn set_waiting(&self, what: Option<String>) {
        if let Ok(mut w) = self.waiting.lock() {
            *w = what;
        }
    }

    pub fn waiting(&self) -> Option<String> {
        self.waiting.lock().ok().and_then(|w| w.clone())
    }
}
