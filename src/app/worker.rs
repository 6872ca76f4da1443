//! The worker: one thread that owns the case and answers requests, each
//! answer tagged with its ticket so the UI can drop stale ones. The UI
//! thread never touches the index.

use super::msg::{Loaded, Msg, Request};
use super::state::{EVENT_LIMIT, EventItem, FindingItem, IpItem};
use crate::case::Case;
use crate::hunt::correlate::IpRole;
use crate::hunt::{self, Correlation, config::HuntConfig};
use crate::index::stats::{self, TopRequest};
use crate::index::{query, search};
use crate::output::EventRow;
use std::net::IpAddr;
use std::sync::mpsc::{Receiver, Sender};
use tantivy::query::{Query, TermSetQuery};
use tantivy::{IndexReader, Term};

/// A request with its ticket.
pub struct Job {
    pub ticket: u64,
    pub request: Request,
}

struct Worker {
    case: Case,
    reader: IndexReader,
    config: HuntConfig,
    /// Built on the first correlated-IPs request, then kept.
    correlation: Option<Correlation>,
}

/// Start the worker on `case`; answers arrive on `answers` as `Msg::Loaded`.
/// The thread ends when the job sender is dropped.
pub fn spawn(case: Case, answers: Sender<Msg>) -> anyhow::Result<Sender<Job>> {
    let reader = case.reader()?;
    let config = hunt::config::load(&case.root).map_err(anyhow::Error::msg)?;
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let mut worker = Worker {
        case,
        reader,
        config,
        correlation: None,
    };
    std::thread::Builder::new()
        .name("okhunt-worker".into())
        .spawn(move || serve(&mut worker, &rx, &answers))?;
    Ok(tx)
}

fn serve(worker: &mut Worker, jobs: &Receiver<Job>, answers: &Sender<Msg>) {
    while let Ok(job) = jobs.recv() {
        let started = std::time::Instant::now();
        let result = worker.run(&job.request);
        tracing::debug!(ticket = job.ticket, ms = started.elapsed().as_millis() as u64, request = ?job.request, "job done");
        if let Err(e) = &result {
            tracing::info!(ticket = job.ticket, "job failed: {e}");
        }
        let msg = Msg::Loaded {
            ticket: job.ticket,
            result,
        };
        if answers.send(msg).is_err() {
            return; // the UI is gone
        }
    }
}

impl Worker {
    fn run(&mut self, request: &Request) -> Result<Loaded, String> {
        match request {
            Request::Findings => self.findings(),
            Request::Events { query, range, .. } => {
                let schema = self.case.index.schema();
                let parsed =
                    query::parse(&self.case.fields, &schema, query).map_err(|e| e.to_string())?;
                let bounds = range.map(|(a, b)| {
                    (
                        chrono::DateTime::from_timestamp_millis(a),
                        chrono::DateTime::from_timestamp_millis(b),
                    )
                });
                let (since, until) = bounds.unwrap_or((None, None));
                let q = query::and(parsed, query::time_range(&self.case.fields, since, until));
                self.events(q.as_ref())
            }
            Request::Uuids(uuids) => {
                let terms = uuids
                    .iter()
                    .map(|u| Term::from_field_text(self.case.fields.uuid, u));
                let q = TermSetQuery::new(terms);
                self.events(&q)
            }
            Request::Correlated { actor } => self.correlated(actor),
        }
    }

    fn findings(&self) -> Result<Loaded, String> {
        let searcher = self.reader.searcher();
        let (findings, _) = hunt::cache::findings(&self.case, &searcher, &self.config)
            .map_err(|e| e.to_string())?;
        let items = findings
            .into_iter()
            .map(|f| FindingItem {
                hunt: f.hunt.to_string(),
                severity: f.severity.as_str().to_string(),
                title: f.title,
                actor: f.actor,
                targets: f.targets,
                ips: f.ips,
                sessions: f.sessions,
                first_ms: f.first_seen.timestamp_millis(),
                last_ms: f.last_seen.timestamp_millis(),
                count: f.count,
                event_uuids: f.event_uuids,
            })
            .collect();
        Ok(Loaded::Findings(items))
    }

    fn events(&self, q: &dyn Query) -> Result<Loaded, String> {
        let searcher = self.reader.searcher();
        let err = |e: tantivy::TantivyError| e.to_string();
        let total = search::count(&searcher, q).map_err(err)?;
        let hits = search::ordered(&searcher, q, false, Some(EVENT_LIMIT)).map_err(err)?;
        let mut rows = Vec::with_capacity(hits.len());
        for h in hits {
            let json = search::source(&searcher, &self.case.fields, h.address).map_err(err)?;
            let uuid = serde_json::from_str::<UuidOnly>(&json)
                .ok()
                .and_then(|u| u.uuid)
                .unwrap_or_default();
            rows.push(EventItem {
                row: EventRow::from_source(&uuid, &json),
                published_ms: h.published_ms,
                json,
                changed: Vec::new(),
            });
        }
        Ok(Loaded::Events {
            rows,
            total,
            histogram: None,
            summary: None,
        })
    }

    fn correlated(&mut self, actor: &str) -> Result<Loaded, String> {
        let searcher = self.reader.searcher();
        let err = |e: tantivy::TantivyError| e.to_string();
        if self.correlation.is_none() {
            let c = Correlation::build(&searcher, &self.case.fields, &self.config, None, None)
                .map_err(err)?;
            self.correlation = Some(c);
        }
        let text = format!("actor:{}", super::nav::quote(actor));
        let schema = self.case.index.schema();
        let q = query::parse(&self.case.fields, &schema, &text).map_err(|e| e.to_string())?;
        let request = [TopRequest::new("ip", 200).timed().with("country")];
        let counted = stats::top(&searcher, q.as_ref(), &request).map_err(err)?;
        let correlation = self.correlation.as_ref();
        let rows = counted
            .into_iter()
            .next()
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                let role = c
                    .value
                    .parse::<IpAddr>()
                    .ok()
                    .map(|ip| match ip {
                        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
                        IpAddr::V6(v6) => v6,
                    })
                    .zip(correlation)
                    .map_or(IpRole::Other, |(ip, c)| c.role_of(Some(actor), ip));
                IpItem {
                    ip: c.value,
                    country: c.with.unwrap_or_default(),
                    count: c.count,
                    first_ms: c.first_seen_ms,
                    last_ms: c.last_seen_ms,
                    role: role_name(role).to_string(),
                    overlaps_dominant: None,
                }
            })
            .collect();
        Ok(Loaded::Ips(rows))
    }
}

#[derive(serde::Deserialize)]
struct UuidOnly {
    uuid: Option<String>,
}

fn role_name(role: IpRole) -> &'static str {
    match role {
        IpRole::KeepAlive => "keep-alive",
        IpRole::SsoService => "SSO service",
        IpRole::TokenGranter => "token granter",
        IpRole::Proxy => "proxy",
        IpRole::Other => "other",
    }
}
