//! Read sources into a case: detect each file's shape, unwrap envelopes,
//! skip and report what is not an event, dedup, commit as it goes.
//!
//! Used by `okhunt ingest` and by the TUI (which polls [`Progress`]).

use crate::case::{Case, CaseError, IngestRecord};
use crate::index::writer::{CaseWriter, WriteError};
use crate::okta::source::{self, Source};
use chrono::Utc;
use read::{Reading, io_reason};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub mod progress;
mod read;
mod stream;
pub use progress::Progress;

/// A line or element that was skipped, or a whole file that was.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub source: String,
    /// 1-based line; `None` for problems with the whole file.
    pub line: Option<u64>,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.source, l, self.reason),
            None => write!(f, "{}: {}", self.source, self.reason),
        }
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    pub files: u64,
    pub read: u64,
    pub added: u64,
    pub duplicates: u64,
    pub skipped: u64,
    /// Paths the user gave that could not be read or held no Okta event,
    /// with the reason (these make the command exit 1).
    pub failed_paths: Vec<Problem>,
    pub batch: u64,
    /// Stopped by Ctrl-C before the end; what was read is committed.
    pub interrupted: bool,
}

pub struct Options {
    pub threads: usize,
    pub heap_bytes: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// Ingest `paths` into `case`. Every skipped line or file is passed to
/// `report` as it is found; counters are kept current in `progress`.
pub fn run(
    case: &mut Case,
    paths: &[PathBuf],
    opts: &Options,
    progress: &Progress,
    report: &mut dyn FnMut(&Problem),
) -> Result<Summary, IngestError> {
    run_until(case, paths, opts, progress, &AtomicBool::new(false), report)
}

/// [`run`], stopping early once `stop` is set (Ctrl-C): everything read so
/// far is committed and the batch is recorded as interrupted, so the same
/// command run again adds the rest (what is already in is a duplicate).
pub fn run_until(
    case: &mut Case,
    paths: &[PathBuf],
    opts: &Options,
    progress: &Progress,
    stop: &AtomicBool,
    report: &mut dyn FnMut(&Problem),
) -> Result<Summary, IngestError> {
    let batch_guess = case.meta.next_batch();
    let mut writer = CaseWriter::open(case, batch_guess, opts.threads, opts.heap_bytes)?;
    // Another writer may have finished while we waited for the lock.
    *case = Case::open(&case.root)?;
    let batch = case.meta.next_batch();
    writer.set_batch(batch);

    let mut expanded = Vec::new();
    let mut summary = Summary {
        batch,
        ..Summary::default()
    };
    for p in paths {
        let (sources, errors) = source::expand(std::slice::from_ref(p));
        for (path, e) in errors {
            let problem = Problem {
                source: path.display().to_string(),
                line: None,
                reason: io_reason(&e),
            };
            report(&problem);
            summary.failed_paths.push(problem);
        }
        if sources.is_empty()
            && summary
                .failed_paths
                .iter()
                .all(|f| f.source != p.display().to_string())
        {
            let problem = Problem {
                source: p.display().to_string(),
                line: None,
                reason: "directory holds no files".into(),
            };
            report(&problem);
            summary.failed_paths.push(problem);
        }
        expanded.push((p.clone(), sources));
    }
    progress.set_total(
        expanded
            .iter()
            .flat_map(|(_, s)| s)
            .filter_map(Source::size)
            .sum(),
    );

    case.meta.ingests.push(IngestRecord {
        batch,
        started: Utc::now(),
        finished: None,
        // Absolute, so `okhunt repair` can read them again from anywhere.
        sources: paths
            .iter()
            .map(|p| match p.as_os_str() {
                s if s == "-" => "-".to_string(),
                _ => std::path::absolute(p)
                    .unwrap_or_else(|_| p.clone())
                    .display()
                    .to_string(),
            })
            .collect(),
        read: 0,
        added: 0,
        duplicates: 0,
        skipped: 0,
        interrupted: false,
    });
    case.save_meta()?;

    let mut reading = Reading {
        writer,
        progress,
        summary,
        report,
        stop,
    };
    'paths: for (given, sources) in &expanded {
        let mut found_in_path = 0;
        let mut last_reason = None;
        for src in sources {
            if reading.stop_requested() {
                break 'paths;
            }
            reading.summary.files += 1;
            progress.set_current(&src.name());
            match reading.source(src) {
                Ok(n) => found_in_path += n,
                Err(p) => {
                    (reading.report)(&p);
                    last_reason = Some(p.reason.clone());
                }
            }
        }
        // A path cut short by a stop may simply not have been reached.
        if found_in_path == 0 && !sources.is_empty() && !reading.stop_requested() {
            let problem = Problem {
                source: given.display().to_string(),
                line: None,
                reason: "holds no Okta events".to_string(),
            };
            match (sources.len(), last_reason) {
                // A single file's problem was reported as it was found.
                (1, Some(reason)) => reading
                    .summary
                    .failed_paths
                    .push(Problem { reason, ..problem }),
                _ => {
                    (reading.report)(&problem);
                    reading.summary.failed_paths.push(problem);
                }
            }
        }
    }
    let Reading {
        writer,
        mut summary,
        ..
    } = reading;
    // Read once, here: a stop that came after the last record still means
    // the user asked to stop, and stdin may have ended only because Ctrl-C
    // killed its producer.
    summary.interrupted = stop.load(Ordering::Relaxed);
    if summary.interrupted {
        // The user is waiting: commit, and leave merging for next time.
        writer.finish_now()?;
    } else {
        writer.finish()?;
    }

    if let Some(rec) = case.meta.ingests.iter_mut().find(|r| r.batch == batch) {
        rec.finished = Some(Utc::now());
        rec.interrupted = summary.interrupted;
        rec.read = summary.read;
        rec.added = summary.added;
        rec.duplicates = summary.duplicates;
        rec.skipped = summary.skipped;
    }
    case.save_meta()?;
    Ok(summary)
}

/// Shared, thread-safe counters for whoever shows progress.
pub fn new_progress() -> Arc<Progress> {
    Arc::new(Progress {
        bytes: Arc::new(AtomicU64::new(0)),
        total: AtomicU64::new(0),
        events: AtomicU64::new(0),
        added: AtomicU64::new(0),
        current: Mutex::new(String::new()),
    })
}
