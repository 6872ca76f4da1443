//! What `okhunt fetch` shows while it runs: a spinner with pages, events,
//! events/s, the `published` position and any rate-limit wait on a
//! terminal; otherwise a plain line every few seconds, and one line per
//! wait, retry and skipped event as they happen.

use crate::fetch::progress::{FetchProgress, Notice, Notify};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Skipped events listed on stderr; the rest are only counted.
const SHOWN_SKIPS: u64 = 20;
/// Waits shorter than this are paced requests, not worth a line.
const SHOWN_WAIT: Duration = Duration::from_secs(1);

pub struct Reporter {
    bar: Option<ProgressBar>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Where lines go: above the bar, or straight to stderr.
#[derive(Clone)]
struct Lines(Option<ProgressBar>);

impl Lines {
    fn println(&self, msg: &str) {
        match &self.0 {
            Some(b) => b.println(msg),
            None => eprintln!("{msg}"),
        }
    }
}

impl Reporter {
    /// A bar (on a terminal) and the progress it watches.
    pub fn new() -> (Reporter, Arc<FetchProgress>) {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}") {
                b.set_style(style);
            }
            b
        });
        let lines = Lines(bar.clone());
        let skips = AtomicU64::new(0);
        let tty = bar.is_some();
        let notify: Notify = Box::new(move |n: &Notice| match n {
            Notice::Wait { delay, why } if !tty && *delay >= SHOWN_WAIT => {
                lines.println(&format!(
                    "okhunt: waiting {:.1}s ({why})",
                    delay.as_secs_f64()
                ));
            }
            Notice::Wait { .. } => {}
            Notice::Retry {
                failure,
                attempts,
                reason,
                delay,
            } => lines.println(&format!(
                "okhunt: {reason}; try {} of {attempts} in {:.1}s",
                failure + 1,
                delay.as_secs_f64()
            )),
            Notice::Skipped { reason } => {
                if skips.fetch_add(1, Ordering::Relaxed) < SHOWN_SKIPS {
                    lines.println(&format!("okhunt: skipped an element: {reason}"));
                }
            }
        });
        let progress = Arc::new(FetchProgress::new(Some(notify)));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            let bar = bar.clone();
            let progress = Arc::clone(&progress);
            std::thread::spawn(move || watch(&progress, bar.as_ref(), &stop))
        };
        (
            Reporter {
                bar,
                stop,
                thread: Some(thread),
            },
            progress,
        )
    }

    pub fn println(&self, msg: &str) {
        Lines(self.bar.clone()).println(msg);
    }

    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

fn watch(progress: &FetchProgress, bar: Option<&ProgressBar>, stop: &AtomicBool) {
    let started = Instant::now();
    let mut last_line = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        match bar {
            Some(b) => {
                b.set_message(status(progress, started.elapsed()));
                b.tick();
            }
            None if last_line.elapsed() >= Duration::from_secs(5) => {
                last_line = Instant::now();
                eprintln!("okhunt: {}", status(progress, started.elapsed()));
            }
            None => {}
        }
    }
}

/// `12 pages, 12000 events (800/s), at 2024-03-01T10:00:00.000Z, waiting 3s: ...`
fn status(p: &FetchProgress, elapsed: Duration) -> String {
    let events = FetchProgress::get(&p.events);
    let mut s = format!(
        "{} pages, {} events ({:.0}/s)",
        FetchProgress::get(&p.pages),
        events,
        events as f64 / elapsed.as_secs_f64().max(0.001)
    );
    if let Some(pos) = p.position() {
        s.push_str(&format!(", at {pos}"));
    }
    let waits = FetchProgress::get(&p.waits);
    if waits > 0 {
        s.push_str(&format!(
            ", {waits} rate-limit waits ({:.0}s)",
            FetchProgress::get(&p.waited_ms) as f64 / 1000.0
        ));
    }
    if let Some(w) = p.waiting() {
        s.push_str(&format!(", {w}"));
    }
    s
}
