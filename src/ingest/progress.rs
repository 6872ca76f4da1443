//! Ingest counters, updated by the ingest loop and read by a progress bar
//! or the TUI's gauge from another thread.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub struct Progress {
    /// Bytes taken from the input files (compressed bytes for gzip).
    pub bytes: Arc<AtomicU64>,
    /// Total size of the input files, when known (0 for stdin).
    pub total: AtomicU64,
    pub events: AtomicU64,
    pub added: AtomicU64,
    pub current: Mutex<String>,
}

impl Progress {
    pub fn bytes_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }

    pub fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    pub fn set_current(&self, name: &str) {
        if let Ok(mut c) = self.current.lock() {
            name.clone_into(&mut c);
        }
    }

    pub fn current(&self) -> String {
        self.current.lock().map(|c| c.clone()).unwrap_or_default()
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    pub fn events(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }
}
