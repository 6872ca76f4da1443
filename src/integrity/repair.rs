//! `okhunt repair`: rebuild a damaged index from the stored originals it
//! still holds, then (when segments were lost, or when asked) from the
//! source files recorded in the case's history.
//!
//! Nothing is deleted: the damaged index is moved aside to
//! `index.damaged-<UTC time>`. The new index is built in a scratch
//! directory and renamed into place only when complete, so a repair that
//! is killed leaves the case as it found it. The case's writer lock is
//! held throughout, as an ingest holds it.

use super::lock::writer_lock;
use super::stores::{self, Listing, StoreRead};
use crate::case::{self, Case, CaseError, CaseMeta, RepairRecord};
use crate::index::schema::{self, SCHEMA_VERSION};
use crate::index::writer::{Added, CaseWriter, WriteError};
use crate::ingest::{self, IngestError, Problem, Summary};
use crate::okta::event::LogEvent;
use chrono::Utc;
use std::fs;
use std::path::{Path, PathBuf};
use tantivy::Index;
use tantivy::directory::MmapDirectory;

/// The hunts' findings cache: derived from the old index, recomputed.
const FINDINGS_FILE: &str = "findings.json";
const SCRATCH_KIND: &str = "okhunt-repair-";

pub struct Options {
    /// Ingest the recorded sources again even if every segment was read.
    pub from_sources: bool,
    pub threads: usize,
    pub heap_bytes: usize,
}

/// What a repair did.
#[derive(Debug, Default)]
pub struct Report {
    /// The directory (inside the case) the damaged index was moved to.
    pub moved_to: Option<String>,
    /// Where the segment list came from (`None`: there was no index dir).
    pub listing: Option<Listing>,
    pub segments: u64,
    /// Segments whose store could not be read: (segment id, reason).
    pub segments_unreadable: Vec<(String, String)>,
    /// Stored originals read back.
    pub originals: u64,
    /// Distinct events written to the new index from them.
    pub recovered: u64,
    /// Originals that could not be decoded (skipped).
    pub undecodable: u64,
    /// Whether the recorded sources were ingested again, and how it went.
    pub reingest: Option<Summary>,
    /// Recorded source paths that were ingested again.
    pub sources_read: Vec<String>,
    /// Recorded source paths that no longer exist.
    pub sources_missing: Vec<String>,
    /// Batches that were read from stdin: they cannot be read again.
    pub stdin_batches: Vec<u64>,
    /// Pulls from the Okta API recorded in the case (`okhunt fetch`):
    /// repair does not fetch again.
    pub fetched: Vec<String>,
}

impl Report {
    /// Sources the case was built from that repair could not read again.
    pub fn unread_sources(&self) -> bool {
        !self.sources_missing.is_empty()
            || !self.stdin_batches.is_empty()
            || !self.fetched.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RepairError {
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("cannot build the new index of the case at {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Repair the case at `root`. Problems met re-reading sources are passed
/// to `report_problem` as ingest reports them.
pub fn repair(
    root: &Path,
    opts: &Options,
    report_problem: &mut dyn FnMut(&Problem),
) -> Result<Report, RepairError> {
    let path = root.display().to_string();
    let io = |source| RepairError::Io {
        path: path.clone(),
        source,
    };
    if !root.join("case.json").exists() {
        return Err(CaseError::Missing(path.clone()).into());
    }
    let meta = case::load_meta(root)?;
    if meta.schema_version != SCHEMA_VERSION {
        return Err(CaseError::SchemaVersion {
            path: path.clone(),
            found: meta.schema_version,
            want: SCHEMA_VERSION,
        }
        .into());
    }
    let index_dir = Case::index_dir(root);
    let had_index = index_dir.is_dir();
    let lock = if had_index {
        Some(writer_lock(root, &index_dir)?)
    } else {
        None
    };
    remove_stale_scratch(root);
    let scratch = case::scratch_sibling(&index_dir, SCRATCH_KIND.trim_end_matches('-'));
    let mut report = Report::default();
    if let Err(e) = rebuild(root, &index_dir, &scratch, &meta, opts, &mut report) {
        let _ = fs::remove_dir_all(&scratch);
        return Err(e);
    }
    if had_index {
        let moved = damaged_name(root);
        fs::rename(&index_dir, &moved).map_err(io)?;
        report.moved_to = moved.file_name().map(|n| n.to_string_lossy().into_owned());
    }
    if let Err(e) = fs::rename(&scratch, &index_dir) {
        // Put the damaged index back rather than leave the case without one.
        if let Some(name) = &report.moved_to {
            let _ = fs::rename(root.join(name), &index_dir);
        }
        return Err(io(e));
    }
    case::sync_dir(root);
    drop(lock);
    let _ = fs::remove_file(root.join(FINDINGS_FILE));

    let mut case = Case::open(root)?;
    let lost = !report.segments_unreadable.is_empty() || !had_index;
    if lost || opts.from_sources {
        reingest(&mut case, opts, &mut report, report_problem)?;
    }
    let mut meta = case::load_meta(root)?;
    meta.repairs.push(RepairRecord {
        at: Utc::now(),
        moved_to: report.moved_to.clone().unwrap_or_default(),
        recovered: report.recovered,
        segments_unreadable: report.segments_unreadable.len() as u64,
        reingested: report.sources_read.clone(),
        not_reingested: report
            .sources_missing
            .iter()
            .cloned()
            .chain(
                report
                    .stdin_batches
                    .iter()
                    .map(|b| format!("- (stdin, batch {b})")),
            )
            .chain(report.fetched.iter().cloned())
            .collect(),
    });
    case::write_meta(root, &meta)?;
    Ok(report)
}

/// Build the new index in `scratch` from the stored originals of the old
/// one, segment by segment.
fn rebuild(
    root: &Path,
    index_dir: &Path,
    scratch: &Path,
    meta: &CaseMeta,
    opts: &Options,
    report: &mut Report,
) -> Result<(), RepairError> {
    let io = |source| RepairError::Io {
        path: root.display().to_string(),
        source,
    };
    case::create_private_dir(scratch).map_err(io)?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(scratch, schema).map_err(WriteError::from)?;
    let new_case = Case {
        root: root.to_path_buf(),
        index,
        fields: fields.clone(),
        meta: meta.clone(),
    };
    // Recovered events keep to the batches the case already has.
    let batch = meta.ingests.iter().map(|i| i.batch).max().unwrap_or(0);
    let mut writer = CaseWriter::open(&new_case, batch, opts.threads, opts.heap_bytes)?;
    if index_dir.is_dir() {
        let (ids, listing) = stores::segments(index_dir);
        report.listing = Some(listing);
        report.segments = ids.len() as u64;
        let dir = MmapDirectory::open(index_dir).map_err(|e| io(std::io::Error::other(e)))?;
        let mut write_error = None;
        for id in ids {
            let mut add = |source: &str| {
                if write_error.is_some() {
                    return;
                }
                let Ok(event) = serde_json::from_str::<LogEvent>(source) else {
                    report.undecodable += 1;
                    return;
                };
                match writer.add(source, &event) {
                    Ok(Added::New) => report.recovered += 1,
                    Ok(Added::Duplicate) => {}
                    Err(e) => write_error = Some(e),
                }
            };
            match stores::read_store(&dir, &id, fields.source, &mut add) {
                Ok(StoreRead {
                    originals,
                    unreadable,
                }) => {
                    report.originals += originals;
                    report.undecodable += unreadable;
                }
                Err(reason) => report.segments_unreadable.push((id, reason)),
            }
            if let Some(e) = write_error.take() {
                return Err(e.into());
            }
        }
    }
    writer.finish()?;
    Ok(())
}

/// Ingest the case's recorded sources again through the normal ingest
/// path (dedup makes it exact): the paths that still exist.
fn reingest(
    case: &mut Case,
    opts: &Options,
    report: &mut Report,
    report_problem: &mut dyn FnMut(&Problem),
) -> Result<(), RepairError> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for rec in &case.meta.ingests {
        for s in &rec.sources {
            if s.contains("/api/v1/logs") {
                if !report.fetched.contains(s) {
                    report.fetched.push(s.clone());
                }
            } else if s == "-" {
                if !report.stdin_batches.contains(&rec.batch) {
                    report.stdin_batches.push(rec.batch);
                }
            } else if !Path::new(s).exists() {
                if !report.sources_missing.contains(s) {
                    report.sources_missing.push(s.clone());
                }
            } else if !report.sources_read.contains(s) {
                report.sources_read.push(s.clone());
                paths.push(PathBuf::from(s));
            }
        }
    }
    if paths.is_empty() {
        return Ok(());
    }
    let progress = ingest::new_progress();
    let ingest_opts = ingest::Options {
        threads: opts.threads,
        heap_bytes: opts.heap_bytes,
    };
    let summary = ingest::run(case, &paths, &ingest_opts, &progress, report_problem)?;
    report.reingest = Some(summary);
    Ok(())
}

/// `CASE/index.damaged-<UTC time>`, not yet taken.
fn damaged_name(root: &Path) -> PathBuf {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let first = root.join(format!("index.damaged-{stamp}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| root.join(format!("index.damaged-{stamp}-{n}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Scratch indexes of repairs that were killed (ours to remove: the
/// damaged index they were built from is still in place).
fn remove_stale_scratch(root: &Path) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        if e.file_name()
            .to_string_lossy()
            .starts_with(&format!(".index.{SCRATCH_KIND}"))
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}
