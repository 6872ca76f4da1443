//! Findings kept in the case (`CASE/findings.json`), so opening a case shows
//! its findings at once, and an ingest re-runs the hunts only over the time
//! the new events touch.
//!
//! After an ingest, the new events (batches above the watermark) span
//! `[a, b]`. The hunts re-run over `[a - L, b + L]`, `L` being the longest
//! look-back any hunt uses; cached findings that overlap that range are
//! replaced, the others kept. Hunts whose findings span an entity's whole
//! history (one per API token) re-run over the whole case. The correlation layer (dominant IPs, service
//! IPs) is always built over the whole case so narrowing the hunts never
//! changes what an IP means.

use super::{Finding, HuntConfig, Severity};
use crate::case::{Case, private_file};
use crate::index::schema::Fields;
use crate::index::search;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::ops::Bound;
use tantivy::Searcher;
use tantivy::query::RangeQuery;
use tantivy::schema::Term;

const FILE: &str = "findings.json";
/// Bump when hunt logic changes, so old caches are recomputed.
pub const HUNTS_VERSION: u32 = 1;

/// How the findings were obtained, for the user and the benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Nothing new since the last run: read from the case.
    Cached,
    /// Re-ran over the time the new events touch.
    Incremental,
    /// Ran over the whole case.
    Full,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    watermark: u64,
    config: HuntConfig,
    findings: Vec<StoredFinding>,
}

#[derive(Serialize, Deserialize)]
struct StoredFinding {
    hunt: String,
    severity: String,
    title: String,
    summary: String,
    actor: Option<String>,
    targets: Vec<String>,
    ips: Vec<String>,
    sessions: Vec<String>,
    first_seen: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    count: u64,
    event_uuids: Vec<String>,
}

impl From<&Finding> for StoredFinding {
    fn from(f: &Finding) -> Self {
        StoredFinding {
            hunt: f.hunt.to_string(),
            severity: f.severity.as_str().to_string(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            actor: f.actor.clone(),
            targets: f.targets.clone(),
            ips: f.ips.clone(),
            sessions: f.sessions.clone(),
            first_seen: f.first_seen,
            last_seen: f.last_seen,
            count: f.count,
            event_uuids: f.event_uuids.clone(),
        }
    }
}

impl StoredFinding {
    fn into_finding(self) -> Option<Finding> {
        let hunt = super::all()
            .into_iter()
            .map(|h| h.id())
            .find(|id| *id == self.hunt)?;
        Some(Finding {
            hunt,
            severity: Severity::parse(&self.severity)?,
            title: self.title,
            summary: self.summary,
            actor: self.actor,
            targets: self.targets,
            ips: self.ips,
            sessions: self.sessions,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            count: self.count,
            event_uuids: self.event_uuids,
        })
    }
}

/// The longest stretch of time any hunt looks back (or ahead) from an event.
fn lookback(config: &HuntConfig) -> Duration {
    let hours = config
        .support_window_max_hours
        .max(config.reset_followup_hours)
        .max(24);
    Duration::hours(hours)
}

/// The case's findings for every hunt over the whole case: from the cache
/// when nothing changed, incrementally after an ingest, else a full run.
pub fn findings(
    case: &Case,
    searcher: &Searcher,
    config: &HuntConfig,
) -> tantivy::Result<(Vec<Finding>, Freshness)> {
    // Only batches fully written count as seen: findings over a batch still
    // being written are found again when it is done.
    let latest = case.meta.settled_batch();
    let stored = load(case).filter(|s| s.version == HUNTS_VERSION && s.config == *config);
    let Some(stored) = stored else {
        let all = super::run(searcher, &case.fields, config, &[], None, None)?;
        save(case, latest, config, &all);
        return Ok((all, Freshness::Full));
    };
    let cached: Vec<Finding> = stored
        .findings
        .into_iter()
        .filter_map(StoredFinding::into_finding)
        .collect();
    if stored.watermark >= latest {
        return Ok((cached, Freshness::Cached));
    }
    let Some((a, b)) = new_span(searcher, &case.fields, stored.watermark)? else {
        save(case, latest, config, &cached);
        return Ok((cached, Freshness::Cached));
    };
    let l = lookback(config);
    let (mut since, until) = (a - l, b + l);
    // A cached finding reaching into the range is re-found whole: start
    // the re-run where the earliest such finding starts.
    for f in &cached {
        if f.last_seen >= since && f.first_seen <= until && f.first_seen < since {
            since = f.first_seen;
        }
    }
    let fresh = super::run_range(searcher, &case.fields, config, since, until)?;
    let whole: Vec<&str> = super::all()
        .iter()
        .filter(|h| h.whole_history())
        .map(|h| h.id())
        .collect();
    let mut merged: Vec<Finding> = cached
        .into_iter()
        .filter(|f| !whole.contains(&f.hunt) && (f.last_seen < since || f.first_seen > until))
        .collect();
    merged.extend(fresh.windowed);
    merged.extend(fresh.whole);
    Finding::sort(&mut merged);
    save(case, latest, config, &merged);
    Ok((merged, Freshness::Incremental))
}

/// Time span of the events ingested after batch `watermark`.
fn new_span(
    searcher: &Searcher,
    fields: &Fields,
    watermark: u64,
) -> tantivy::Result<Option<(DateTime<Utc>, DateTime<Utc>)>> {
    let q = RangeQuery::new(
        Bound::Excluded(Term::from_field_u64(fields.batch, watermark)),
        Bound::Unbounded,
    );
    let first = search::ordered(searcher, &q, false, Some(1))?;
    let last = search::ordered(searcher, &q, true, Some(1))?;
    let to_time =
        |h: Option<&search::Hit>| h.and_then(|h| DateTime::from_timestamp_millis(h.published_ms));
    Ok(to_time(first.first()).zip(to_time(last.first())))
}

fn load(case: &Case) -> Option<Stored> {
    let text = std::fs::read_to_string(case.root.join(FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Best effort: a cache that cannot be written only costs a re-run later.
fn save(case: &Case, watermark: u64, config: &HuntConfig, findings: &[Finding]) {
    let stored = Stored {
        version: HUNTS_VERSION,
        watermark,
        config: config.clone(),
        findings: findings.iter().map(StoredFinding::from).collect(),
    };
    let tmp = case.root.join(format!("{FILE}.tmp"));
    let written = serde_json::to_vec(&stored)
        .map_err(std::io::Error::other)
        .and_then(|bytes| private_file(&tmp)?.write_all(&bytes))
        .and_then(|()| std::fs::rename(&tmp, case.root.join(FILE)));
    if let Err(e) = written {
        tracing::warn!("cannot save findings in the case: {e}");
    }
}
