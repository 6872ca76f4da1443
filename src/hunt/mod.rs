//! Hunts: turn raw events into findings. Each hunt is one file; all of them
//! read the index through [`facts`] (fast fields) and share the
//! [`correlate`] layer that tells noise from intrusion.

pub mod cache;
pub mod config;
pub mod correlate;
pub mod facts;
pub mod finding;
pub mod hunts;

pub use config::HuntConfig;
pub use correlate::Correlation;
pub use facts::Facts;
pub use finding::{Finding, Severity};

use crate::index::query;
use crate::index::schema::Fields;
use chrono::{DateTime, Utc};
use tantivy::Searcher;

/// What every hunt gets to work with.
pub struct HuntContext<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub config: &'a HuntConfig,
    pub correlation: &'a Correlation,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl HuntContext<'_> {
    /// Facts of the events matching `q` (search syntax) inside the hunt's
    /// time range, oldest first.
    pub fn facts(&self, q: &str) -> tantivy::Result<Vec<Facts>> {
        let parsed = query::parse(self.fields, self.searcher.schema(), q).map_err(|e| {
            tantivy::TantivyError::InvalidArgument(format!("hunt query '{q}': {e}"))
        })?;
        let full = query::and(
            parsed,
            query::time_range(self.fields, self.since, self.until),
        );
        facts::collect(self.searcher, full.as_ref())
    }

    /// The original JSON of an event, for details not indexed (debugData).
    pub fn original(&self, f: &Facts) -> Option<serde_json::Value> {
        facts::original(self.searcher, self.fields, f).and_then(|s| serde_json::from_str(&s).ok())
    }
}

/// A hunt: a stable id (used by scripts and the JSON output), a title, its
/// usual severity, what it means and what to check next, and its logic.
pub trait Hunt: Send + Sync {
    fn id(&self) -> &'static str;
    fn title(&self) -> &'static str;
    /// The severity of a typical finding (individual findings may differ).
    fn severity(&self) -> Severity;
    /// Why this matters and what to check next, in one paragraph; says
    /// plainly what Okta does not log.
    fn description(&self) -> &'static str;
    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>>;
    /// True for a hunt whose findings each cover an entity's whole history
    /// (one per API token): an incremental re-run must run it over the
    /// whole case, or a token used before and after the re-run's start
    /// would be split into two findings.
    fn whole_history(&self) -> bool {
        false
    }
}

/// Every hunt, in a stable order.
pub fn all() -> Vec<Box<dyn Hunt>> {
    hunts::registry()
}

/// Run the hunts whose ids are in `only` (all when empty), most severe
/// finding first.
pub fn run(
    searcher: &Searcher,
    fields: &Fields,
    config: &HuntConfig,
    only: &[String],
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> tantivy::Result<Vec<Finding>> {
    let correlation = Correlation::build(searcher, fields, config, since, until)?;
    run_with(searcher, fields, config, &correlation, only, since, until)
}

/// What an incremental re-run found.
pub struct RangeRun {
    /// Findings of the windowed hunts over `[since, until]`.
    pub windowed: Vec<Finding>,
    /// Findings of the [`Hunt::whole_history`] hunts over the whole case:
    /// they replace every cached finding of those hunts.
    pub whole: Vec<Finding>,
}

/// Run every hunt over `[since, until]`, but the whole-history ones over
/// the whole case, with the correlation layer built over the whole case
/// (used for incremental re-runs).
pub fn run_range(
    searcher: &Searcher,
    fields: &Fields,
    config: &HuntConfig,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> tantivy::Result<RangeRun> {
    let correlation = Correlation::build(searcher, fields, config, None, None)?;
    let hunts = all();
    let ids = |whole: bool| -> Vec<String> {
        hunts
            .iter()
            .filter(|h| h.whole_history() == whole)
            .map(|h| h.id().to_string())
            .collect()
    };
    let (whole_ids, windowed_ids) = (ids(true), ids(false));
    let run = |only: &[String], since, until| {
        if only.is_empty() {
            return Ok(Vec::new());
        }
        run_with(searcher, fields, config, &correlation, only, since, until)
    };
    Ok(RangeRun {
        windowed: run(&windowed_ids, Some(since), Some(until))?,
        whole: run(&whole_ids, None, None)?,
    })
}

fn run_with(
    searcher: &Searcher,
    fields: &Fields,
    config: &HuntConfig,
    correlation: &Correlation,
    only: &[String],
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> tantivy::Result<Vec<Finding>> {
    let ctx = HuntContext {
        searcher,
        fields,
        config,
        correlation,
        since,
        until,
    };
    let mut findings = Vec::new();
    for hunt in all() {
        if only.is_empty() || only.iter().any(|id| id == hunt.id()) {
            let started = std::time::Instant::now();
            let found = hunt.run(&ctx)?;
            tracing::debug!(
                hunt = hunt.id(),
                findings = found.len(),
                ms = started.elapsed().as_millis() as u64,
                "hunt ran"
            );
            findings.extend(found);
        }
    }
    Finding::sort(&mut findings);
    Ok(findings)
}

/// Build a finding from its evidence (`events` oldest first): times, count,
/// uuids, IPs and sessions come from the events.
pub fn finding_from(
    hunt: &dyn Hunt,
    severity: Severity,
    title: impl Into<String>,
    summary: impl Into<String>,
    actor: Option<String>,
    targets: Vec<String>,
    events: &[&Facts],
) -> Finding {
    let mut ips: Vec<String> = Vec::new();
    let mut sessions: Vec<String> = Vec::new();
    for e in events {
        if let Some(ip) = e.ip_text() {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
        if let Some(s) = &e.session {
            if !sessions.contains(s) {
                sessions.push(s.clone());
            }
        }
    }
    let first = events.iter().map(|e| e.published_ms).min().unwrap_or(0);
    let last = events.iter().map(|e| e.published_ms).max().unwrap_or(0);
    let mut targets = targets;
    targets.dedup();
    Finding {
        hunt: hunt.id(),
        severity,
        title: title.into(),
        summary: summary.into(),
        actor,
        targets,
        ips,
        sessions,
        first_seen: DateTime::from_timestamp_millis(first).unwrap_or_default(),
        last_seen: DateTime::from_timestamp_millis(last).unwrap_or_default(),
        count: events.len() as u64,
        event_uuids: events.iter().map(|e| e.uuid.clone()).collect(),
    }
}
