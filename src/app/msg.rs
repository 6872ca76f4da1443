//! What flows into `update` (messages) and out of it (effects, as data).

use super::state::{CaseInfo, EventItem, FindingItem, Histogram, IpItem, Summary};
use crate::keymap::Key;

/// A request for the worker: what to load for a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// The case's findings (from the hunt cache when fresh).
    Findings,
    /// Events matching a query in `okhunt search` syntax, optionally within
    /// `[since_ms, until_ms)`. With a focus, the answer also carries a
    /// summary of that actor, session or IP.
    Events {
        query: String,
        range: Option<(i64, i64)>,
        focus: Option<Focus>,
    },
    /// The events with these uuids (a finding's evidence).
    Uuids(Vec<String>),
    /// One row per IP the actor used, with its role.
    Correlated { actor: String },
}

/// What an events view is about, beyond its query: the worker summarises
/// it in a header and the keymap reads that view's own table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Focus {
    Actor(String),
    /// One externalSessionId, or with `root` every session sharing that
    /// rootSessionId.
    Session {
        id: String,
        root: bool,
    },
    Ip(String),
}

/// What the worker found for a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    Findings(Vec<FindingItem>),
    /// Rows shown and how many matched in all, the whole result over time,
    /// and the focus's summary (when the request had a focus).
    Events {
        rows: Vec<EventItem>,
        total: usize,
        histogram: Option<Histogram>,
        summary: Option<Summary>,
    },
    Ips(Vec<IpItem>),
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key press (releases are already dropped by `Key::from_event`).
    Key(Key),
    /// The worker's answer to the request with this ticket.
    Loaded {
        ticket: u64,
        result: Result<Loaded, String>,
    },
    /// The terminal's new size (columns, rows).
    Resize(u16, u16),
    /// What the case holds (sent by the worker when it starts and after
    /// the index changed).
    Case(CaseInfo),
    /// The terminal cannot be read any more: quit (the reason is logged).
    TerminalLost(String),
    /// Time passes (drives the spinner while busy).
    Tick,
    /// How an ingest started with the TUI is going (sent on every tick
    /// while it runs, and once when it ends).
    Ingest(IngestStatus),
    /// A live tail of the org polled (or stopped).
    Tail(TailStatus),
    /// The case's correlation (keep-alive, SSO and token-granter IPs) is
    /// built: views drawn without it can be loaded again.
    Correlated,
}

/// An ingest running beside the UI, as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IngestStatus {
    /// The file being read.
    pub current: String,
    pub bytes: u64,
    /// Bytes in all (0 when unknown, e.g. stdin).
    pub total: u64,
    pub events: u64,
    /// Set once it has ended: its summary line, or why it failed.
    pub done: Option<Result<String, String>>,
}

/// A live tail of the org's System Log beside the UI.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TailStatus {
    /// The org's host name.
    pub org: String,
    pub every_secs: u64,
    /// When the last poll ended (ms since the epoch); `None` while the
    /// first catch-up runs.
    pub last_poll_ms: Option<i64>,
    /// Events the last poll added.
    pub new: u64,
    /// Events added since the tail started.
    pub added: u64,
    /// False once it stopped (with `error` saying why).
    pub running: bool,
    pub error: Option<String>,
}

/// What `update` asks the outside world to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Run `request` off the UI thread and answer with `Msg::Loaded{ticket}`.
    Load {
        ticket: u64,
        request: Request,
    },
    /// Copy text to the clipboard (OSC 52).
    Copy(String),
    Quit,
}
