//! The worker: one thread that owns the case and answers requests, each
//! answer tagged with its ticket so the UI can drop stale ones. The UI
//! thread never touches the index.

use super::msg::{Focus, Loaded, Msg, Request};
use super::profile::{self, Family};
use super::state::{CaseInfo, EVENT_LIMIT, EventItem, FindingItem, Histogram, IpItem};
use crate::case::Case;
use crate::hunt::correlate::IpRole;
use crate::hunt::{self, Correlation, config::HuntConfig};
use crate::index::document::parse_ip;
use crate::index::stats::{self, TopRequest};
use crate::index::{query, search};
use crate::output::EventRow;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use tantivy::query::{AllQuery, Query, TermSetQuery};
use tantivy::{IndexReader, Searcher, Term};

/// A request with its ticket.
pub struct Job {
    pub ticket: u64,
    pub request: Request,
}

struct Worker {
    case: Case,
    reader: IndexReader,
    config: HuntConfig,
    /// Built on the first request that needs it, then kept until the
    /// index changes.
    correlation: Option<Correlation>,
    warming: Option<Warming>,
    /// Events in the index when last looked (`None` before the first look).
    docs: Option<u64>,
    /// Where the warm-up says the correlation is ready.
    answers: Sender<Msg>,
}

/// Start the worker on `case`; answers arrive on `answers` as `Msg::Loaded`,
/// preceded by a `Msg::Case` when it starts and whenever the case changed
/// (an ingest committed) before a job. The thread ends when the job sender
/// is dropped.
pub fn spawn(case: Case, answers: Sender<Msg>) -> anyhow::Result<Sender<Job>> {
    let reader = case.reader()?;
    let config = hunt::config::load(&case.root).map_err(anyhow::Error::msg)?;
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let mut worker = Worker {
        case,
        reader,
        config,
        correlation: None,
        warming: None,
        docs: None,
        answers: answers.clone(),
    };
    std::thread::Builder::new()
        .name("okhunt-worker".into())
        .spawn(move || serve(&mut worker, &rx, &answers))?;
    Ok(tx)
}

fn serve(worker: &mut Worker, jobs: &Receiver<Job>, answers: &Sender<Msg>) {
    // What the case holds, before any answer.
    if let Some(info) = worker.refresh() {
        if answers.send(Msg::Case(info)).is_err() {
            return;
        }
    }
    let mut served = false;
    loop {
        let job = match jobs.try_recv() {
            Ok(job) => job,
            Err(TryRecvError::Disconnected) => return,
            Err(TryRecvError::Empty) => {
                // Idle after the first answer (the findings are on screen):
                // build what the IP pivots need now, not on the first `i` or
                // `c` (a second on a million events).
                if served {
                    worker.warm_up();
                }
                match jobs.recv() {
                    Ok(job) => job,
                    Err(_) => return,
                }
            }
        };
        // An ingest beside the UI may have committed since the last job.
        if let Some(info) = worker.refresh() {
            if answers.send(Msg::Case(info)).is_err() {
                return;
            }
        }
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
        served = true;
    }
}

fn err(e: tantivy::TantivyError) -> String {
    e.to_string()
}

/// A correlation being built on a thread of its own.
type Warming = std::thread::JoinHandle<Result<Correlation, String>>;

/// The hunts' correlation layer over the whole case: kept in `slot` until
/// the index changes, taken from the warm-up thread when one runs (waiting
/// only for what is left of it), else built here.
fn correlation<'c>(
    slot: &'c mut Option<Correlation>,
    warming: &mut Option<Warming>,
    searcher: &Searcher,
    fields: &crate::index::schema::Fields,
    config: &HuntConfig,
) -> Result<&'c Correlation, String> {
    let c = match (slot.take(), warming.take()) {
        (Some(c), _) => c,
        (None, Some(handle)) => handle
            .join()
            .map_err(|_| "the correlation thread panicked".to_string())??,
        (None, None) => Correlation::build(searcher, fields, config, None, None).map_err(err)?,
    };
    Ok(slot.insert(c))
}

impl Worker {
    /// Start building the correlation on a thread of its own while nothing
    /// is asked (after the findings are shown, or after an ingest changed
    /// the case), so the first `i` or `c` finds it ready and the worker
    /// keeps answering meanwhile.
    fn warm_up(&mut self) {
        if self.correlation.is_some() || self.warming.is_some() || self.docs.is_none_or(|d| d == 0)
        {
            return;
        }
        let searcher = self.reader.searcher();
        let fields = self.case.fields.clone();
        let config = self.config.clone();
        let answers = self.answers.clone();
        let spawned = std::thread::Builder::new()
            .name("okhunt-correlate".into())
            .spawn(move || {
                let started = std::time::Instant::now();
                let c = Correlation::build(&searcher, &fields, &config, None, None).map_err(err);
                let ms = started.elapsed().as_millis() as u64;
                tracing::debug!(ms, "correlation built");
                // The UI is told even when no view waits: it may be asking.
                let _ = answers.send(Msg::Correlated);
                c
            });
        match spawned {
            Ok(handle) => self.warming = Some(handle),
            Err(e) => tracing::info!("cannot start the correlation thread: {e}"),
        }
    }

    /// The correlation if it is built, without waiting for it; starts the
    /// warm-up when none runs.
    fn ready_correlation(&mut self) -> Result<bool, String> {
        if self.correlation.is_none() {
            if self.warming.is_none() {
                self.warm_up();
            }
            match self.warming.take() {
                Some(handle) if handle.is_finished() => {
                    let built = handle
                        .join()
                        .map_err(|_| "the correlation thread panicked".to_string())??;
                    self.correlation = Some(built);
                }
                Some(handle) => {
                    self.warming = Some(handle);
                    return Ok(false);
                }
                // The thread could not start: build it here.
                None => {
                    let searcher = self.reader.searcher();
                    let built =
                        Correlation::build(&searcher, &self.case.fields, &self.config, None, None)
                            .map_err(err)?;
                    self.correlation = Some(built);
                }
            }
        }
        Ok(self.correlation.is_some())
    }

    /// See what was committed since the last look (cheap when nothing
    /// was). When the number of events changed, what was derived from the
    /// old index is dropped and the new case info returned.
    fn refresh(&mut self) -> Option<CaseInfo> {
        if let Err(e) = self.reader.reload() {
            tracing::warn!("cannot reload the case's index: {e}");
        }
        let searcher = self.reader.searcher();
        let events = searcher.num_docs();
        if self.docs == Some(events) {
            return None;
        }
        self.docs = Some(events);
        // Built over the old index: let a warm-up finish on its own, unused.
        self.correlation = None;
        self.warming = None;
        let span = profile::overview(&searcher, &AllQuery, &[])
            .map_err(|e| tracing::warn!("cannot read the case's time span: {e}"))
            .ok()
            .and_then(|o| o.span);
        Some(CaseInfo {
            events,
            first_ms: span.map(|s| s.0),
            last_ms: span.map(|s| s.1),
        })
    }

    fn run(&mut self, request: &Request) -> Result<Loaded, String> {
        match request {
            Request::Findings => self.findings(),
            Request::Events {
                query,
                range,
                focus,
            } => self.events_for(query, *range, focus.as_ref()),
            Request::Uuids(uuids) => {
                let terms = uuids
                    .iter()
                    .map(|u| Term::from_field_text(self.case.fields.uuid, u));
                let q = TermSetQuery::new(terms);
                let searcher = self.reader.searcher();
                let (rows, total, histogram) = self.events(&searcher, &q)?;
                Ok(Loaded::Events {
                    rows,
                    total,
                    histogram,
                    summary: None,
                })
            }
            Request::Correlated { actor } => self.correlated(actor),
        }
    }

    /// An events view: its rows, and with a focus, its summary. A session
    /// family (`root`) is answered for the session's rootSessionId(s).
    fn events_for(
        &mut self,
        text: &str,
        range: Option<(i64, i64)>,
        focus: Option<&Focus>,
    ) -> Result<Loaded, String> {
        let searcher = self.reader.searcher();
        let fields = &self.case.fields;
        let bounds = range.map(|(a, b)| {
            (
                chrono::DateTime::from_timestamp_millis(a),
                chrono::DateTime::from_timestamp_millis(b),
            )
        });
        let (since, until) = bounds.unwrap_or((None, None));
        let time = || query::time_range(fields, since, until);
        let parsed = || -> Result<Box<dyn Query>, String> {
            let schema = self.case.index.schema();
            let q = query::parse(fields, &schema, text).map_err(|e| e.to_string())?;
            Ok(query::and(q, time()))
        };
        let (q, family) = match focus {
            Some(Focus::Session { id, root: true }) => {
                let roots = profile::roots_of(&searcher, fields, id).map_err(err)?;
                if roots.is_empty() {
                    (parsed()?, Family::NoRoot)
                } else {
                    let terms = roots
                        .iter()
                        .map(|r| Term::from_field_text(fields.root_session, r));
                    let family: Box<dyn Query> = Box::new(TermSetQuery::new(terms));
                    (query::and(family, time()), Family::Root(roots))
                }
            }
            _ => (parsed()?, Family::Single),
        };
        let (mut rows, total, histogram) = self.events(&searcher, q.as_ref())?;
        let summary = match focus {
            None => None,
            Some(Focus::Actor(_)) => {
                Some(profile::actor(&searcher, q.as_ref(), total).map_err(err)?)
            }
            Some(Focus::Session { id, .. }) => {
                profile::mark_changes(&mut rows);
                Some(profile::session(&searcher, q.as_ref(), total, id, &family).map_err(err)?)
            }
            Some(Focus::Ip(ip)) => {
                // Never wait for the correlation here (a second per million
                // events): the view says it is being worked out, and is
                // loaded again when the warm-up reports it built.
                let ready = self.ready_correlation()?;
                let correlation = self.correlation.as_ref().filter(|_| ready);
                let fields = &self.case.fields;
                let addr = parse_ip(ip);
                Some(
                    profile::ip(&searcher, fields, q.as_ref(), total, addr, correlation)
                        .map_err(err)?,
                )
            }
        };
        Ok(Loaded::Events {
            rows,
            total,
            histogram,
            summary,
        })
    }

    fn findings(&mut self) -> Result<Loaded, String> {
        // Only the findings read the meta (which batches are finished). Read
        // it before reloading the reader: what it says is finished is then
        // surely visible.
        if let Err(e) = self.case.reload_meta() {
            tracing::warn!("cannot read the case's meta: {e}");
        }
        if let Err(e) = self.reader.reload() {
            tracing::warn!("cannot reload the case's index: {e}");
        }
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

    /// The oldest rows, how many matched, and all of them over time.
    fn events(
        &self,
        searcher: &Searcher,
        q: &dyn Query,
    ) -> Result<(Vec<EventItem>, usize, Option<Histogram>), String> {
        let total = search::count(searcher, q).map_err(err)?;
        let hits = search::ordered(searcher, q, false, Some(EVENT_LIMIT)).map_err(err)?;
        let mut rows = Vec::with_capacity(hits.len());
        for h in hits {
            let json = search::source(searcher, &self.case.fields, h.address).map_err(err)?;
            rows.push(EventItem {
                // One parse: the row reads the uuid (or derives it) itself.
                row: EventRow::from_source("", &json),
                published_ms: h.published_ms,
                json,
                changed: Vec::new(),
            });
        }
        let histogram = match profile::overview(searcher, q, &[]).map_err(err)?.span {
            Some(span) => Some(profile::histogram(searcher, q, span).map_err(err)?),
            None => None,
        };
        Ok((rows, total, histogram))
    }

    fn correlated(&mut self, actor: &str) -> Result<Loaded, String> {
        let searcher = self.reader.searcher();
        let fields = &self.case.fields;
        let correlation = correlation(
            &mut self.correlation,
            &mut self.warming,
            &searcher,
            fields,
            &self.config,
        )?;
        let q = profile::term(fields.actor, actor);
        let request = [TopRequest::new("ip", 200).timed().with("country")];
        let counted = stats::top(&searcher, &q, &request).map_err(err)?;
        let overlaps =
            profile::overlaps_dominant(&searcher, fields, actor, correlation).map_err(err)?;
        let rows = counted
            .into_iter()
            .next()
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                let ip = parse_ip(&c.value);
                let role = ip.map_or(IpRole::Other, |ip| correlation.role_of(Some(actor), ip));
                IpItem {
                    ip: c.value,
                    country: c.with.unwrap_or_default(),
                    count: c.count,
                    first_ms: c.first_seen_ms,
                    last_ms: c.last_seen_ms,
                    role: role_name(role).to_string(),
                    overlaps_dominant: overlaps.get(ip),
                }
            })
            .collect();
        Ok(Loaded::Ips(rows))
    }
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
