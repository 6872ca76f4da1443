//! Pivots: from the selected row (a finding, an event, an IP) to the view
//! that follows one of its values. Pure: builds the next view, loads nothing.

use super::msg::{Focus, Request};
use super::state::{AppState, Around, Rows, View};
use crate::keymap::Action;

/// Minutes on each side of an "events around" view to start with.
pub const AROUND_MINUTES: i64 = 5;

/// What the selected row offers to pivot on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selected {
    pub actor: Option<String>,
    pub target: Option<String>,
    pub session: Option<String>,
    pub ip: Option<String>,
    pub time_ms: Option<i64>,
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// The selected row of the top view; the detail view offers what the event
/// it shows offers (the selected row of the view under it).
pub fn selected(state: &AppState) -> Option<Selected> {
    let view = state
        .views
        .iter()
        .rev()
        .find(|v| !matches!(v.rows, Rows::Lines(_)))?;
    let i = view.cursor;
    match &view.rows {
        Rows::Findings(f) => f.get(i).map(|f| Selected {
            actor: f.actor.clone(),
            target: f.targets.first().cloned(),
            session: f.sessions.first().cloned(),
            ip: f.ips.first().cloned(),
            time_ms: Some(f.first_ms),
        }),
        Rows::Events(e) => e.get(i).map(|e| Selected {
            actor: some(&e.row.actor),
            target: some(&e.row.target),
            session: some(&e.row.session),
            ip: some(&e.row.ip),
            time_ms: Some(e.published_ms),
        }),
        Rows::Ips(ips) => ips.get(i).map(|r| Selected {
            actor: view.subject.clone(),
            target: None,
            session: None,
            ip: some(&r.ip),
            time_ms: r.first_ms,
        }),
        Rows::Lines(_) => None,
    }
}

/// A value quoted for the query syntax.
pub fn quote(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The first `n` characters and `…` when longer.
pub fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut o: String = s.chars().take(n).collect();
        o.push('…');
        o
    }
}

/// `2024-03-14 09:12:33` (UTC) from ms since the epoch.
pub fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// An events view for `query`, limited to the time range set with `T`.
fn events(state: &AppState, label: String, query: String, focus: Option<Focus>) -> View {
    let range = state.range.as_ref().map(|r| (r.since_ms, r.until_ms));
    View::new(
        label,
        query.clone(),
        Request::Events {
            query,
            range,
            focus,
        },
    )
}

/// The same events view with the current time range (after `T`).
pub fn with_range(state: &AppState, view: &View) -> Option<View> {
    let Request::Events {
        query,
        range,
        focus,
    } = &view.request
    else {
        return None;
    };
    let wanted = state.range.as_ref().map(|r| (r.since_ms, r.until_ms));
    if view.around.is_some() || *range == wanted {
        return None;
    }
    let mut v = view.clone();
    v.request = Request::Events {
        query: query.clone(),
        range: wanted,
        focus: focus.clone(),
    };
    Some(v)
}

/// A session view, of the session alone or of its root-session family
/// (the worker swaps the query for the root session's when `root`).
pub fn session(state: &AppState, id: &str, root: bool) -> View {
    let label = if root {
        format!("root of {}", short(id, 8))
    } else {
        format!("session {}", short(id, 8))
    };
    let query = format!("session:{}", quote(id));
    let mut v = events(
        state,
        label,
        query,
        Some(Focus::Session {
            id: id.to_string(),
            root,
        }),
    );
    if root {
        v.title = format!("sessions sharing the root session of {id}");
    }
    v
}

/// The "events around" view for a window.
pub fn around(around: Around) -> View {
    let span = around.minutes.saturating_mul(60_000);
    // Whole seconds, widened outward: the index answers a narrow window of
    // whole seconds from its term dictionary instead of scanning every event.
    let range = (
        around.center_ms.saturating_sub(span).div_euclid(1000) * 1000,
        (around.center_ms.saturating_add(span) + 999).div_euclid(1000) * 1000,
    );
    let mut v = View::new(
        format!("±{}m {}", around.minutes, time(around.center_ms)),
        format!(
            "events within {} minutes of {}",
            around.minutes,
            time(around.center_ms)
        ),
        Request::Events {
            query: "*".into(),
            range: Some(range),
            focus: None,
        },
    );
    v.around = Some(around);
    v
}

/// The view a pivot action leads to, or what is missing to make it.
pub fn pivot(state: &AppState, action: Action) -> Result<View, String> {
    let sel = selected(state).ok_or("nothing selected")?;
    let need = |v: Option<String>, what: &str| v.ok_or(format!("the selected row has no {what}"));
    Ok(match action {
        Action::PivotActor => {
            let a = need(sel.actor, "actor")?;
            let q = format!("actor:{}", quote(&a));
            events(state, a.clone(), q, Some(Focus::Actor(a)))
        }
        // The target user as a subject: what they did and what was done to
        // them, in one timeline.
        Action::PivotTarget => {
            let t = need(sel.target, "target")?;
            let q = format!("actor:{0} OR target:{0}", quote(&t));
            events(state, format!("→ {t}"), q, Some(Focus::Actor(t)))
        }
        Action::PivotSession => session(state, &need(sel.session, "session")?, false),
        Action::PivotIp => {
            let ip = need(sel.ip, "IP")?;
            events(state, ip.clone(), format!("ip:{ip}"), Some(Focus::Ip(ip)))
        }
        Action::EventsAround => around(Around {
            center_ms: sel.time_ms.ok_or("the selected row has no time")?,
            minutes: AROUND_MINUTES,
        }),
        Action::PivotCorrelated => {
            let a = need(sel.actor, "actor")?;
            let mut v = View::new(
                "correlated IPs",
                format!("IPs used by {a}"),
                Request::Correlated { actor: a.clone() },
            );
            v.subject = Some(a);
            v
        }
        other => return Err(format!("{} is not a pivot", other.name())),
    })
}

/// What `enter` opens from the top view, as a view to load or one that is
/// ready (the detail of an event needs no loading).
pub enum Opened {
    Load(View),
    Ready(View),
}

pub fn open(state: &AppState) -> Result<Opened, String> {
    let view = state.top();
    let i = view.cursor;
    match &view.rows {
        Rows::Findings(f) => {
            let f = f.get(i).ok_or("no finding selected")?;
            Ok(Opened::Load(View::new(
                f.hunt.clone(),
                format!("{}: {} evidence events", f.title, f.event_uuids.len()),
                Request::Uuids(f.event_uuids.clone()),
            )))
        }
        Rows::Events(e) => {
            let e = e.get(i).ok_or("no event selected")?;
            let mut v = View::new(
                format!("event {}", short(&e.row.uuid, 8)),
                format!("{} {}", e.row.published, e.row.event_type),
                view.request.clone(),
            );
            v.rows = Rows::Lines(pretty_lines(&e.json));
            v.loading = false;
            Ok(Opened::Ready(v))
        }
        Rows::Ips(ips) => {
            let r = ips.get(i).ok_or("no IP selected")?;
            let actor = view.subject.clone().unwrap_or_default();
            Ok(Opened::Load(events(
                state,
                r.ip.clone(),
                format!("actor:{} AND ip:{}", quote(&actor), r.ip),
                None,
            )))
        }
        Rows::Lines(_) => Err("already showing the event".into()),
    }
}

/// An event's JSON, pretty-printed, one entry per line.
pub fn pretty_lines(json: &str) -> Vec<String> {
    let text = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| json.to_string());
    text.lines().map(str::to_string).collect()
}
