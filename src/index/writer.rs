//! Add events to a case: one writer at a time, dedup on uuid, periodic
//! commits so a crash loses at most the batch in flight.

use super::document;
use super::schema::Fields;
use crate::case::{Case, CaseError};
use crate::okta::event::LogEvent;
use crate::okta::identity::{derived_id, fingerprint};
use hashbrown::HashSet;
use std::time::{Duration, Instant};
use tantivy::directory::error::LockError;
use tantivy::merge_policy::LogMergePolicy;
use tantivy::{IndexWriter, TantivyError};
use thiserror::Error;

/// Commit after this many new events or this long, whichever comes first.
/// Committing every 10k costs ~20% of ingest speed; every 200k or 30 s does not.
const COMMIT_EVERY_EVENTS: u64 = 200_000;
const COMMIT_EVERY: Duration = Duration::from_secs(30);
/// Overrides `COMMIT_EVERY` (seconds, fractions allowed), so tests can see
/// timed commits without waiting 30 s.
const COMMIT_SECS_ENV: &str = "OKHUNT_COMMIT_SECS";
/// Merge once this many segments of a size have piled up (tantivy's
/// default is 8). An ingest of 1M events writes ~10 segments of 100k (one per
/// indexing thread per commit); merging 8 of them at the end cost a quarter
/// of the run (94.6 s against 69.4 s on 2 cores) for pivots that were no
/// faster. Larger cases still merge, each event about once per 16x growth.
const MERGE_AFTER_SEGMENTS: usize = 16;
/// How long a second writer waits for the first before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(3);

#[derive(Debug, Error)]
pub enum WriteError {
    #[error(
        "another okhunt process is writing to the case at {0}; wait for it to finish, then run this again"
    )]
    Busy(String),
    #[error("index error: {0}")]
    Index(#[from] TantivyError),
    #[error(transparent)]
    Case(#[from] CaseError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    Duplicate,
}

pub struct CaseWriter {
    writer: IndexWriter,
    fields: Fields,
    /// Fingerprints of every uuid in the case and in this run.
    seen: HashSet<u128>,
    batch: u64,
    uncommitted: u64,
    last_commit: Instant,
    commit_every: Duration,
}

impl CaseWriter {
    /// Take the case's writer lock (waiting up to a few seconds for another
    /// writer) and load the ids already in the case for dedup.
    pub fn open(
        case: &Case,
        batch: u64,
        threads: usize,
        heap_bytes: usize,
    ) -> Result<CaseWriter, WriteError> {
        let deadline = Instant::now() + LOCK_WAIT;
        let writer = loop {
            match case
                .index
                .writer_with_num_threads(threads.max(1), heap_bytes)
            {
                Ok(w) => break w,
                Err(TantivyError::LockFailure(LockError::LockBusy, _))
                    if Instant::now() < deadline =>
                {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                    return Err(WriteError::Busy(case.root.display().to_string()));
                }
                Err(e) => return Err(e.into()),
            }
        };
        let mut merges = LogMergePolicy::default();
        merges.set_min_num_segments(MERGE_AFTER_SEGMENTS);
        writer.set_merge_policy(Box::new(merges));
        let seen = existing_ids(case)?;
        Ok(CaseWriter {
            writer,
            fields: case.fields.clone(),
            seen,
            batch,
            uncommitted: 0,
            last_commit: Instant::now(),
            commit_every: commit_interval(),
        })
    }

    /// The batch number stamped on events added from now on.
    pub fn set_batch(&mut self, batch: u64) {
        self.batch = batch;
    }

    /// Add one event unless its id is already in the case.
    pub fn add(&mut self, source: &str, event: &LogEvent) -> Result<Added, WriteError> {
        let derived;
        let id = match event.uuid.as_deref() {
            Some(u) => u,
            None => {
                derived = derived_id(source);
                &derived
            }
        };
        if !self.seen.insert(fingerprint(id)) {
            return Ok(Added::Duplicate);
        }
        let doc = document::build(&self.fields, id, source, event, self.batch);
        self.writer.add_document(doc)?;
        self.uncommitted += 1;
        if self.uncommitted >= COMMIT_EVERY_EVENTS {
            self.commit()?;
        } else {
            self.commit_if_due()?;
        }
        Ok(Added::New)
    }

    /// Commit when events are waiting and the interval has passed. An
    /// ingest calls this while its input is idle (a pipe that has gone
    /// quiet), so what arrived before the pause becomes durable and
    /// searchable without waiting for the next event.
    pub fn commit_if_due(&mut self) -> Result<(), WriteError> {
        if self.uncommitted > 0 && self.last_commit.elapsed() >= self.commit_every {
            self.commit()?;
        }
        Ok(())
    }

    /// Make everything added so far durable and visible to new readers.
    pub fn commit(&mut self) -> Result<(), WriteError> {
        if self.uncommitted > 0 {
            self.writer.commit()?;
            self.uncommitted = 0;
        }
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Commit, then wait for background merges so the case is compact when
    /// the command returns.
    pub fn finish(mut self) -> Result<(), WriteError> {
        self.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }

    /// Commit and return without waiting for merges (the user asked to
    /// stop). A merge still running is abandoned: tantivy publishes a merge
    /// only when it completes, and the next writer removes its files.
    pub fn finish_now(mut self) -> Result<(), WriteError> {
        self.commit()
    }
}

fn commit_interval() -> Duration {
    std::env::var(COMMIT_SECS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(COMMIT_EVERY, Duration::from_secs_f64)
}

/// Every id in the case, as fingerprints, read from the uuid term
/// dictionaries (a sequential scan: ~16 bytes of memory per event).
fn existing_ids(case: &Case) -> Result<HashSet<u128>, WriteError> {
    let reader = case.reader()?;
    let searcher = reader.searcher();
    let mut seen = HashSet::with_capacity(searcher.num_docs() as usize);
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(case.fields.uuid)?;
        let mut terms = inverted.terms().stream().map_err(TantivyError::from)?;
        while terms.advance() {
            if let Ok(id) = std::str::from_utf8(terms.key()) {
                seen.insert(fingerprint(id));
            }
        }
    }
    Ok(seen)
}
