//! What flows into `update` (messages) and out of it (effects, as data).

use super::state::{EventItem, FindingItem, IpItem};
use crate::keymap::Key;

/// A request for the worker: what to load for a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// The case's findings (from the hunt cache when fresh).
    Findings,
    /// Events matching a query in `okhunt search` syntax, optionally within
    /// `[since_ms, until_ms)`.
    Events {
        query: String,
        range: Option<(i64, i64)>,
    },
    /// The events with these uuids (a finding's evidence).
    Uuids(Vec<String>),
    /// One row per IP the actor used, with its role.
    Correlated { actor: String },
}

/// What the worker found for a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    Findings(Vec<FindingItem>),
    /// Rows shown and how many matched in all.
    Events {
        rows: Vec<EventItem>,
        total: usize,
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
    /// Time passes (drives the spinner while busy).
    Tick,
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
