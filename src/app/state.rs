//! The app state: plain data, no widgets, no handles. `ui` draws it,
//! `update` changes it.

use super::msg::{Focus, IngestStatus, Request, TailStatus};
use crate::keymap::{Context, Key};
use crate::output::EventRow;

/// A finding as the findings table shows it (times as ms since the epoch).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindingItem {
    pub hunt: String,
    pub severity: String,
    pub title: String,
    pub actor: Option<String>,
    pub targets: Vec<String>,
    pub ips: Vec<String>,
    pub sessions: Vec<String>,
    pub first_ms: i64,
    pub last_ms: i64,
    pub count: u64,
    pub event_uuids: Vec<String>,
}

/// An event row plus what the detail and pivots need.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventItem {
    pub row: EventRow,
    pub published_ms: i64,
    /// The original event JSON.
    pub json: String,
    /// In a session view: what changed since the session's previous event
    /// (`ip`, `country`, `ua`, `dthash`), empty otherwise.
    pub changed: Vec<&'static str>,
}

/// A result's events over time, in equal buckets (the worker picks the
/// bucket size; the UI resamples to its width).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Histogram {
    pub start_ms: i64,
    pub bucket_ms: i64,
    pub counts: Vec<u64>,
}

/// The header over an actor, session or IP view: labelled lines of items
/// (raw text, escaped when drawn), most important first; the UI shows as
/// many lines and items as fit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub lines: Vec<SummaryLine>,
    /// Drawn before the case's correlation was ready (an IP's `known as`
    /// says it is being worked out): loaded again once it is.
    pub awaits_correlation: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SummaryLine {
    /// `events`, `types`, `IPs`, `agents`, `known as` ...
    pub label: String,
    pub items: Vec<String>,
}

/// One IP of an actor (the correlated-IPs view).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IpItem {
    pub ip: String,
    pub country: String,
    pub count: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub role: String,
    /// Whether this IP was active while the actor's keep-alive (dominant)
    /// IP was: `None` when the actor has no keep-alives or this is one.
    pub overlaps_dominant: Option<bool>,
}

/// The rows of a view.
#[derive(Debug, Clone, PartialEq)]
pub enum Rows {
    Findings(Vec<FindingItem>),
    Events(Vec<EventItem>),
    Ips(Vec<IpItem>),
    /// Pretty JSON lines of one event (the detail view).
    Lines(Vec<String>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Findings(v) => v.len(),
            Rows::Events(v) => v.len(),
            Rows::Ips(v) => v.len(),
            Rows::Lines(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The window of an "events around" view, so `+`/`-` can change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Around {
    pub center_ms: i64,
    pub minutes: i64,
}

/// One entry of the navigation stack.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The breadcrumb segment (raw: escaped when drawn).
    pub label: String,
    /// What the view shows, for its title (raw: escaped when drawn).
    pub title: String,
    /// How to load (or reload) the rows.
    pub request: Request,
    pub rows: Rows,
    /// How many matched in all (events views cap the rows they load).
    pub total: Option<usize>,
    pub cursor: usize,
    /// First row on screen.
    pub offset: usize,
    /// The actor whose IPs a correlated view lists.
    pub subject: Option<String>,
    pub around: Option<Around>,
    /// Still waiting for its first answer.
    pub loading: bool,
    /// The summary header of an actor, session or IP view.
    pub summary: Option<Summary>,
    pub histogram: Option<Histogram>,
    /// The rows as loaded, while `filter` hides some of them from `rows`.
    pub unfiltered: Option<Rows>,
    /// The text rows must contain to be shown (the `f` filter).
    pub filter: Option<String>,
    /// Loaded before something changed (an ingest, the time range): it is
    /// loaded again when it is next shown.
    pub stale: bool,
}

impl View {
    pub fn new(label: impl Into<String>, title: impl Into<String>, request: Request) -> View {
        let rows = match request {
            Request::Findings => Rows::Findings(Vec::new()),
            Request::Correlated { .. } => Rows::Ips(Vec::new()),
            Request::Events { .. } | Request::Uuids(_) => Rows::Events(Vec::new()),
        };
        View {
            label: label.into(),
            title: title.into(),
            request,
            rows,
            total: None,
            cursor: 0,
            offset: 0,
            subject: None,
            around: None,
            loading: true,
            summary: None,
            histogram: None,
            unfiltered: None,
            filter: None,
            stale: false,
        }
    }

    /// The actor, session or IP this view is about.
    pub fn focus(&self) -> Option<&Focus> {
        match &self.request {
            Request::Events { focus, .. } => focus.as_ref(),
            _ => None,
        }
    }

    /// The keymap table this view reads.
    pub fn context(&self) -> Context {
        match self.rows {
            Rows::Findings(_) => Context::Findings,
            Rows::Events(_) => match self.focus() {
                Some(Focus::Actor(_)) => Context::Actor,
                Some(Focus::Session { .. }) => Context::Session,
                Some(Focus::Ip(_)) => Context::Ip,
                None => Context::Events,
            },
            Rows::Ips(_) => Context::Correlated,
            Rows::Lines(_) => Context::Detail,
        }
    }
}

/// A view on its way: shown once its rows arrive (so a failed query leaves
/// the screen as it was). `replace` swaps it for the top view instead of
/// pushing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub ticket: u64,
    pub view: View,
    pub replace: bool,
}

/// What the input line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PromptKind {
    /// `/`: a query in `okhunt search` syntax, run as a new view.
    #[default]
    Query,
    /// `T`: the time range every events view is limited to.
    TimeRange,
    /// `f`: text the rows of this view must contain, applied as typed.
    Filter,
}

/// A time range set with `T`, as typed and as resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    /// What the user typed (`7d`, `2024-03-01..2024-03-08`).
    pub text: String,
    pub since_ms: i64,
    pub until_ms: i64,
}

/// The case as the worker last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseInfo {
    pub events: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
}

/// The input line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    /// The filter the view had when `f` opened the prompt (put back on
    /// cancel).
    pub before: Option<String>,
    /// The last error for this text, shown under it.
    pub error: Option<String>,
    /// The submitted query being checked and run.
    pub ticket: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The navigation stack; never empty.
    pub views: Vec<View>,
    pub incoming: Option<Incoming>,
    pub next_ticket: u64,
    /// Keys of a half-typed sequence (`g g`).
    pub pending: Vec<Key>,
    pub prompt: Option<Prompt>,
    /// The help overlay, with its scroll position.
    pub help: Option<usize>,
    /// The detail pane under an events table.
    pub detail_pane: bool,
    /// One line for the status bar (what was copied, what failed).
    pub status: Option<String>,
    pub spinner: usize,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Table rows the last frame drew (headers and histograms take some),
    /// set by the loop after drawing; paging moves by this much.
    pub drawn_rows: Option<usize>,
    /// The time range events views are limited to (`T`).
    pub range: Option<TimeRange>,
    /// The last filter text: `n`/`N` jump to rows containing it in any
    /// view, and those rows are highlighted.
    pub find: Option<String>,
    /// An ingest started with the TUI (`okhunt PATH...`).
    pub ingest: Option<IngestStatus>,
    /// A live tail of the org (`okhunt --org URL --follow`).
    pub tail: Option<TailStatus>,
    /// What the case holds: events, and the first and last `published`
    /// (ms). Relative time ranges (`7d`) count back from the last event,
    /// so they mean the same on an exported case months later.
    pub case: CaseInfo,
    /// The worker has built the case's correlation since the case last
    /// changed (an answer that went without it is stale once this is set).
    pub correlated: bool,
    /// Draw with colours (false under NO_COLOR).
    pub color: bool,
    pub quit: bool,
}

/// Rows an events view loads at most.
pub const EVENT_LIMIT: usize = 1000;

impl AppState {
    /// A fresh app on the findings view, and the effect that loads it.
    pub fn new(size: (u16, u16), color: bool) -> (AppState, Vec<super::msg::Effect>) {
        let root = View::new("Findings", "Findings", Request::Findings);
        let mut state = AppState {
            views: vec![root.clone()],
            incoming: None,
            next_ticket: 1,
            pending: Vec::new(),
            prompt: None,
            help: None,
            detail_pane: false,
            status: None,
            spinner: 0,
            size,
            drawn_rows: None,
            range: None,
            find: None,
            ingest: None,
            tail: None,
            case: CaseInfo::default(),
            correlated: false,
            color,
            quit: false,
        };
        let effect = state.start(root, true);
        (state, vec![effect])
    }

    /// Ask for `view`'s rows; it is shown when they arrive.
    pub fn start(&mut self, view: View, replace: bool) -> super::msg::Effect {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        let request = view.request.clone();
        self.incoming = Some(Incoming {
            ticket,
            view,
            replace,
        });
        super::msg::Effect::Load { ticket, request }
    }

    pub fn top(&self) -> &View {
        // The stack is never empty: the root is never popped.
        &self.views[self.views.len() - 1]
    }

    pub fn top_mut(&mut self) -> &mut View {
        let n = self.views.len() - 1;
        &mut self.views[n]
    }

    /// Where keys are read: a modal first, else the top view.
    pub fn context(&self) -> Context {
        if self.prompt.is_some() {
            Context::Prompt
        } else if self.help.is_some() {
            Context::Help
        } else {
            self.top().context()
        }
    }

    pub fn busy(&self) -> bool {
        self.incoming.is_some()
    }

    /// Table rows that fit on screen: the size minus breadcrumb, status,
    /// borders and header (and half when the detail pane is open).
    pub fn page(&self) -> usize {
        if let Some(rows) = self.drawn_rows {
            return rows.max(1);
        }
        let body = usize::from(self.size.1).saturating_sub(5).max(1);
        if self.detail_pane && matches!(self.top().rows, Rows::Events(_)) {
            (body / 2).max(1)
        } else {
            body
        }
    }
}
