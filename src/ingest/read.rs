//! Read one source into the case, record by record.
//!
//! Regular files are read on the ingest thread (the hot path: nothing
//! between the reader and the parser). Sources that may pause (stdin,
//! pipes, FIFOs) are read on their own thread ([`super::stream`]), so the
//! ingest thread keeps committing on the timer and notices Ctrl-C while the
//! producer is quiet.

use super::stream::{Fed, Feed, Polled};
use super::{Problem, Progress, Summary};
use crate::index::writer::{Added, CaseWriter, WriteError};
use crate::okta::formats::for_each_event;
use crate::okta::records::{Item, Records, Replayed, Start};
use crate::okta::source::Source;
use std::io::{self, BufRead};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// How long the ingest thread waits for a pausing source before it looks
/// at the commit timer and the stop flag again.
const POLL: Duration = Duration::from_millis(100);

/// A source opened and recognised as JSON, or why it cannot be used.
pub enum Opened {
    Records(Records<Replayed<Box<dyn BufRead + Send>>>),
    Unusable(String),
}

/// Open `src` and look at how it starts.
pub fn open(src: &Source, read_bytes: Arc<AtomicU64>) -> Opened {
    let input = match src.open(read_bytes) {
        Ok(i) => i,
        Err(e) => return Opened::Unusable(io_reason(&e)),
    };
    let (start, records) = match Records::open(input) {
        Ok(r) => r,
        Err(e) => return Opened::Unusable(io_reason(&e)),
    };
    match start {
        Start::Empty => Opened::Unusable("empty file, no Okta events".into()),
        Start::NotJson(b) => {
            let what = if b.is_ascii_graphic() {
                format!("'{}'", b as char)
            } else {
                format!("byte 0x{b:02x}")
            };
            Opened::Unusable(format!(
                "not Okta data: starts with {what}, not JSON; skipped"
            ))
        }
        Start::Json(_) => Opened::Records(records),
    }
}

/// Stdin and anything that is not a regular file (a FIFO, `/dev/stdin`, a
/// character device) can go quiet for as long as its producer likes.
fn may_pause(src: &Source) -> bool {
    match src {
        Source::Stdin => true,
        Source::File(p) => !std::fs::metadata(p).is_ok_and(|m| m.is_file()),
    }
}

/// One ingest run's state while it reads its sources.
pub struct Reading<'a> {
    pub writer: CaseWriter,
    pub progress: &'a Progress,
    pub summary: Summary,
    pub report: &'a mut dyn FnMut(&Problem),
    /// Set (by a signal handler) to stop after the record in hand.
    pub stop: &'a AtomicBool,
}

/// Counters for the source being read.
struct Current {
    name: String,
    events: u64,
    rejected: u64,
}

impl Current {
    fn problem(&self, reason: String) -> Problem {
        Problem {
            source: self.name.clone(),
            line: None,
            reason,
        }
    }
}

impl Reading<'_> {
    pub fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Read one source; returns how many Okta events it held (new or not),
    /// or a problem with the whole source. Returns early, keeping what was
    /// read, once a stop is requested.
    pub fn source(&mut self, src: &Source) -> Result<u64, Problem> {
        let mut cur = Current {
            name: src.name(),
            events: 0,
            rejected: 0,
        };
        if may_pause(src) {
            self.streamed(src, &mut cur)?;
        } else {
            self.direct(src, &mut cur)?;
        }
        if cur.events == 0 && cur.rejected > 0 && !self.stop_requested() {
            return Err(cur.problem(format!(
                "not Okta data: none of its {} JSON values is an Okta event; skipped",
                cur.rejected
            )));
        }
        Ok(cur.events)
    }

    fn direct(&mut self, src: &Source, cur: &mut Current) -> Result<(), Problem> {
        let records = match open(src, self.progress.bytes_counter()) {
            Opened::Records(r) => r,
            Opened::Unusable(reason) => return Err(cur.problem(reason)),
        };
        for item in records {
            // One relaxed load per record: nothing beside parsing it. Checked
            // after the record so what was read is kept.
            if !self.item(cur, item)? || self.stop_requested() {
                break;
            }
        }
        Ok(())
    }

    fn streamed(&mut self, src: &Source, cur: &mut Current) -> Result<(), Problem> {
        let feed = Feed::start(src.clone(), self.progress.bytes_counter())
            .map_err(|e| cur.problem(format!("cannot start reading: {e}")))?;
        loop {
            // Once stopped, take what the reader already has (it was read
            // from the pipe, so it is kept), then leave.
            let stopping = self.stop_requested();
            match feed.poll(if stopping { Duration::ZERO } else { POLL }) {
                Polled::Batch(batch) => {
                    for fed in batch {
                        match fed {
                            Fed::Unusable(reason) => return Err(cur.problem(reason)),
                            Fed::Item(item) => {
                                if !self.item(cur, item)? {
                                    return Ok(());
                                }
                            }
                        }
                    }
                }
                Polled::Idle if !stopping => self
                    .writer
                    .commit_if_due()
                    .map_err(|e| cur.problem(write_reason(&e)))?,
                Polled::Idle => {}
                Polled::Ended => return Ok(()),
            }
            if stopping {
                return Ok(());
            }
        }
    }

    /// Take one item; false when the source cannot be read further.
    fn item(&mut self, cur: &mut Current, item: io::Result<Item>) -> Result<bool, Problem> {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                // A read error mid-file (truncated gzip, I/O): keep what was read.
                self.summary.skipped += 1;
                (self.report)(&cur.problem(format!("stopped reading: {}", io_reason(&e))));
                return Ok(false);
            }
        };
        match item {
            Item::Skip { line, reason } => {
                self.summary.skipped += 1;
                cur.rejected += 1;
                (self.report)(&Problem {
                    source: cur.name.clone(),
                    line: Some(line),
                    reason,
                });
            }
            Item::Record { line, bytes } => {
                let mut write_error = None;
                let (summary, writer, report) =
                    (&mut self.summary, &mut self.writer, &mut self.report);
                for_each_event(&bytes, &mut |r| match r {
                    Ok((text, event)) => {
                        cur.events += 1;
                        summary.read += 1;
                        match writer.add(text, &event) {
                            Ok(Added::New) => summary.added += 1,
                            Ok(Added::Duplicate) => summary.duplicates += 1,
                            Err(e) => write_error = Some(e),
                        }
                    }
                    Err(reject) => {
                        summary.skipped += 1;
                        cur.rejected += 1;
                        report(&Problem {
                            source: cur.name.clone(),
                            line: Some(line),
                            reason: reject.to_string(),
                        });
                    }
                });
                if let Some(e) = write_error {
                    return Err(cur.problem(write_reason(&e)));
                }
                self.progress
                    .events
                    .store(self.summary.read, Ordering::Relaxed);
                self.progress
                    .added
                    .store(self.summary.added, Ordering::Relaxed);
            }
        }
        Ok(true)
    }
}

fn write_reason(e: &WriteError) -> String {
    format!("cannot write to the case: {e}")
}

pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
