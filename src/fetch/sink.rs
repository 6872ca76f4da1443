//! Pages into the case, one commit per page: the events (parsed leniently,
//! dedup by uuid), then the cursor. A crash loses at most the page in
//! flight, and a page committed twice adds nothing the second time.
//!
//! The case is opened (or created) on the first page, so a pull refused at
//! its first request (bad token, bad filter) leaves the case as it was.

use super::errors::FetchError;
use super::page::Page;
use super::progress::{FetchProgress, Notice};
use super::resume::{CursorKey, FetchState};
use crate::case::{Case, IngestRecord};
use crate::index::writer::{Added, CaseWriter};
use crate::okta::formats::for_each_event;
use crate::okta::time::parse_published;
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Arc;

/// Where pages go. The CLI and a TUI tail use [`CaseSink`]; tests may
/// use anything.
pub trait PageSink {
    fn write_page(&mut self, page: &Page) -> Result<PageCounts, FetchError>;
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PageCounts {
    pub read: u64,
    pub added: u64,
    pub duplicates: u64,
    pub skipped: u64,
}

/// What the pull is, for the cursor it keeps.
#[derive(Debug, Clone)]
pub struct SinkPlan {
    pub key: CursorKey,
    /// Where the pull starts (the cursor's position when it has none).
    pub since: DateTime<Utc>,
    /// A bounded pull's end; `None` for a polling pull.
    pub until: Option<DateTime<Utc>>,
    /// How the ingest history names this pull (never holds the token).
    pub label: String,
}

struct Open {
    case: Case,
    writer: CaseWriter,
    state: FetchState,
    batch: u64,
}

pub struct CaseSink {
    root: PathBuf,
    plan: SinkPlan,
    progress: Arc<FetchProgress>,
    open: Option<Open>,
    totals: PageCounts,
}

impl CaseSink {
    /// A sink for the case at `root`; nothing is touched until a page comes.
    pub fn new(root: PathBuf, plan: SinkPlan, progress: Arc<FetchProgress>) -> CaseSink {
        CaseSink {
            root,
            plan,
            progress,
            open: None,
            totals: PageCounts::default(),
        }
    }

    /// Whether any page reached the case.
    pub fn touched(&self) -> bool {
        self.open.is_some()
    }

    fn open(&mut self) -> Result<&mut Open, FetchError> {
        if self.open.is_none() {
            let case = Case::open_or_create(&self.root)?;
            let writer = CaseWriter::open(&case, case.meta.next_batch(), 1, 64 * 1024 * 1024)?;
            // Another writer may have finished while we waited for the lock.
            let mut case = Case::open(&self.root)?;
            let mut writer = writer;
            let batch = case.meta.next_batch();
            writer.set_batch(batch);
            case.meta.ingests.push(IngestRecord {
                batch,
                started: Utc::now(),
                finished: None,
                sources: vec![self.plan.label.clone()],
                read: 0,
                added: 0,
                duplicates: 0,
                skipped: 0,
                interrupted: false,
            });
            case.save_meta()?;
            let state = FetchState::load(&self.root)?;
            self.open = Some(Open {
                case,
                writer,
                state,
                batch,
            });
        }
        self.open
            .as_mut()
            .ok_or_else(|| FetchError::Config("the case is not open".into()))
    }

    /// Record the run in the case's ingest history and let the index settle.
    pub fn finish(mut self) -> Result<PageCounts, FetchError> {
        let totals = self.totals;
        if let Some(mut o) = self.open.take() {
            o.writer.finish()?;
            if let Some(rec) = o.case.meta.ingests.iter_mut().find(|r| r.batch == o.batch) {
                rec.finished = Some(Utc::now());
                rec.read = totals.read;
                rec.added = totals.added;
                rec.duplicates = totals.duplicates;
                rec.skipped = totals.skipped;
            }
            o.case.save_meta()?;
        }
        Ok(totals)
    }
}

impl PageSink for CaseSink {
    fn write_page(&mut self, page: &Page) -> Result<PageCounts, FetchError> {
        let progress = Arc::clone(&self.progress);
        let plan = self.plan.clone();
        let root = self.root.clone();
        let o = self.open()?;
        let mut counts = PageCounts::default();
        let mut newest: Option<(DateTime<Utc>, String)> = None;
        let mut write_error = None;
        for raw in &page.events {
            counts.read += 1;
            for_each_event(raw.get().as_bytes(), &mut |r| match r {
                Ok((text, event)) => {
                    if let Some(p) = event.published.as_deref() {
                        if let Some(t) = parse_published(p) {
                            if newest.as_ref().is_none_or(|(n, _)| t > *n) {
                                newest = Some((t, p.to_string()));
                            }
                        }
                    }
                    match o.writer.add(text, &event) {
                        Ok(Added::New) => counts.added += 1,
                        Ok(Added::Duplicate) => counts.duplicates += 1,
                        Err(e) => write_error = Some(e),
                    }
                }
                Err(reject) => {
                    counts.skipped += 1;
                    progress.notice(Notice::Skipped {
                        reason: format!("{} (page {})", reject, page.url.path()),
                    });
                }
            });
            if let Some(e) = write_error.take() {
                return Err(e.into());
            }
        }
        // Events first, cursor second: a crash in between re-reads a page
        // whose events dedup away.
        o.writer.commit()?;
        let cursor = o.state.entry(&plan.key, plan.since);
        if let Some((t, _)) = &newest {
            cursor.position = cursor.position.max(*t);
            cursor.last_published = Some(cursor.last_published.map_or(*t, |l| l.max(*t)));
        }
        if let (Some(until), None) = (plan.until, &page.next) {
            // A bounded pull that completed holds everything before until.
            cursor.position = cursor.position.max(until.min(Utc::now()));
        }
        cursor.next = page.next.as_ref().map(|u| u.to_string());
        cursor.polling = plan.until.is_none();
        cursor.updated = Utc::now();
        o.state.save(&root)?;

        if let Some((_, p)) = newest {
            progress.set_position(&p);
        }
        FetchProgress::bump(&progress.added, counts.added);
        FetchProgress::bump(&progress.duplicates, counts.duplicates);
        FetchProgress::bump(&progress.skipped, counts.skipped);
        self.totals.read += counts.read;
        self.totals.added += counts.added;
        self.totals.duplicates += counts.duplicates;
        self.totals.skipped += counts.skipped;
        Ok(counts)
    }
}
