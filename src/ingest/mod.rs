//! Read sources into a case: detect each file's shape, unwrap envelopes,
//! skip and report what is not an event, dedup, commit as it goes.
//!
//! Used by `okhunt ingest` and by the TUI (which polls [`Progress`]).

use crate::case::{Case, CaseError, IngestRecord};
use crate::index::writer::{Added, CaseWriter, WriteError};
use crate::okta::formats::{Reject, for_each_event};
use crate::okta::records::{Item, Records, Start};
use crate::okta::source::{self, Source};
use chrono::Utc;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub mod progress;
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
        sources: paths.iter().map(|p| p.display().to_string()).collect(),
        read: 0,
        added: 0,
        duplicates: 0,
        skipped: 0,
    });
    case.save_meta()?;

    for (given, sources) in &expanded {
        let mut found_in_path = 0;
        let mut last_reason = None;
        for src in sources {
            summary.files += 1;
            progress.set_current(&src.name());
            match read_source(src, &mut writer, progress, &mut summary, report) {
                Ok(n) => found_in_path += n,
                Err(p) => {
                    report(&p);
                    last_reason = Some(p.reason.clone());
                }
            }
        }
        if found_in_path == 0 && !sources.is_empty() {
            let problem = Problem {
                source: given.display().to_string(),
                line: None,
                reason: "holds no Okta events".to_string(),
            };
            match (sources.len(), last_reason) {
                // A single file's problem was reported as it was found.
                (1, Some(reason)) => summary.failed_paths.push(Problem { reason, ..problem }),
                _ => {
                    report(&problem);
                    summary.failed_paths.push(problem);
                }
            }
        }
    }
    writer.finish()?;

    if let Some(rec) = case.meta.ingests.iter_mut().find(|r| r.batch == batch) {
        rec.finished = Some(Utc::now());
        rec.read = summary.read;
        rec.added = summary.added;
        rec.duplicates = summary.duplicates;
        rec.skipped = summary.skipped;
    }
    case.save_meta()?;
    Ok(summary)
}

/// Read one source; returns how many Okta events it held (new or not), or a
/// problem with the whole file.
fn read_source(
    src: &Source,
    writer: &mut CaseWriter,
    progress: &Progress,
    summary: &mut Summary,
    report: &mut dyn FnMut(&Problem),
) -> Result<u64, Problem> {
    let name = src.name();
    let file_problem = |reason: String| Problem {
        source: name.clone(),
        line: None,
        reason,
    };
    let input = src
        .open(progress.bytes_counter())
        .map_err(|e| file_problem(io_reason(&e)))?;
    let (start, records) = Records::open(input).map_err(|e| file_problem(io_reason(&e)))?;
    match start {
        Start::Empty => return Err(file_problem("empty file, no Okta events".into())),
        Start::NotJson(b) => {
            let what = if b.is_ascii_graphic() {
                format!("'{}'", b as char)
            } else {
                format!("byte 0x{b:02x}")
            };
            return Err(file_problem(format!(
                "not Okta data: starts with {what}, not JSON; skipped"
            )));
        }
        Start::Json(_) => {}
    }
    let mut events = 0u64;
    let mut rejected = 0u64;
    let mut write_error = None;
    for item in records {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                // A read error mid-file (truncated gzip, I/O): keep what was read.
                summary.skipped += 1;
                report(&Problem {
                    source: name.clone(),
                    line: None,
                    reason: format!("stopped reading: {}", io_reason(&e)),
                });
                break;
            }
        };
        match item {
            Item::Skip { line, reason } => {
                summary.skipped += 1;
                rejected += 1;
                report(&Problem {
                    source: name.clone(),
                    line: Some(line),
                    reason,
                });
            }
            Item::Record { line, bytes } => {
                for_each_event(&bytes, &mut |r| match r {
                    Ok((text, event)) => {
                        events += 1;
                        summary.read += 1;
                        match writer.add(text, &event) {
                            Ok(Added::New) => summary.added += 1,
                            Ok(Added::Duplicate) => summary.duplicates += 1,
                            Err(e) => write_error = Some(e),
                        }
                    }
                    Err(reject) => {
                        summary.skipped += 1;
                        rejected += 1;
                        report(&Problem {
                            source: name.clone(),
                            line: Some(line),
                            reason: reject_reason(&reject),
                        });
                    }
                });
                if let Some(e) = write_error.take() {
                    return Err(file_problem(format!("cannot write to the case: {e}")));
                }
                progress.events.store(summary.read, Ordering::Relaxed);
                progress.added.store(summary.added, Ordering::Relaxed);
            }
        }
    }
    if events == 0 && rejected > 0 {
        return Err(file_problem(format!(
            "not Okta data: none of its {rejected} JSON values is an Okta event; skipped"
        )));
    }
    Ok(events)
}

fn reject_reason(r: &Reject) -> String {
    r.to_string()
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
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
