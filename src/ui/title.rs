//! View titles: ` what · how many · filter "x" · range 7d `, the first
//! part cut so the others (short, and what the user just set) stay.

use super::text::{cut, minute};
use crate::app::msg::Request;
use crate::app::state::{AppState, TimeRange, View};

/// ` first · part · part ` in at most `width` columns (borders left out).
pub fn compose(first: &str, parts: &[String], width: u16) -> String {
    let rest: String = parts.iter().map(|p| format!(" · {p}")).collect();
    let inner = usize::from(width.saturating_sub(4));
    let room = inner.saturating_sub(rest.chars().count());
    let all = format!("{}{rest}", cut(first, room.max(8)));
    // Parts that still do not fit are cut from the end.
    format!(" {} ", cut(&all, inner))
}

/// The parts every list view shares: its filter (and how many rows pass
/// it) and its time range.
pub fn parts(state: &AppState, view: &View) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(f) = &view.filter {
        let n = view.rows.len();
        let rows = if n == 1 { "row" } else { "rows" };
        parts.push(format!("filter \"{}\": {n} {rows}", cut(f, 24)));
    }
    if let Some(r) = range(state, view) {
        parts.push(r);
    }
    parts
}

/// `range 7d` when the view holds the range set with `T`, else the range
/// it was loaded with; nothing for an "events around" view (its title
/// says its window).
fn range(state: &AppState, view: &View) -> Option<String> {
    let Request::Events {
        range: Some((since, until)),
        ..
    } = &view.request
    else {
        return None;
    };
    if view.around.is_some() {
        return None;
    }
    match &state.range {
        Some(r) if (r.since_ms, r.until_ms) == (*since, *until) => {
            Some(format!("range {}", cut(&r.text, 24)))
        }
        _ => Some(format!("range {}", span(*since, *until, false))),
    }
}

/// `2024-03-02 17:30 → 2024-03-09 17:30`, open ends as `…`.
pub fn span(since: i64, until: i64, year: bool) -> String {
    let end = |ms: i64| {
        if ms == i64::MIN || ms == i64::MAX {
            "…".to_string()
        } else {
            minute(ms, year)
        }
    };
    format!("{} → {}", end(since), end(until))
}

/// The breadcrumb's right end: the range set with `T`, resolved when
/// there is room.
pub fn crumb_range(r: &TimeRange, room: usize) -> String {
    let short = format!("range {}", cut(&r.text, 24));
    let long = format!("{short} = {}", span(r.since_ms, r.until_ms, true));
    if long.chars().count() <= room {
        long
    } else {
        short
    }
}
