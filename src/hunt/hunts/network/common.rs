//! What the network hunts share: narrow lookups, time windows, and the
//! words their summaries use for places, sessions and durations.

use crate::hunt::correlate::fast;
use crate::hunt::correlate::scan::Scan;
pub use crate::hunt::hunts::wording::{list, place};
use crate::hunt::{Facts, HuntContext};
use crate::index::query;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::Ipv6Addr;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term};

pub const MINUTE_MS: i64 = 60_000;

/// Sign-in attempts: session starts and authentications, but not SSO into
/// apps (an app refusing an unassigned user is not a credential failure).
pub const SIGN_INS: &str = "(type:user.session.start OR type:user.authentication.*) \
     AND NOT type:user.authentication.sso";

/// The string columns the network hunts read: who, where, which session,
/// agent and device, outcome. The costly per-event ones they never need
/// (transaction id, target lists) are left out.
pub const COLUMNS: &[&str] = &[
    "uuid",
    "type",
    "actor",
    "actor_id",
    "session",
    "country",
    "city",
    "outcome",
    "reason",
    "credential",
    "ua",
    "dthash",
    "as_org",
    "target_app",
];

/// Facts of the events matching `q` (search syntax) in the hunt's time
/// range, oldest first: `ctx.facts(q)` through the faster collector.
pub fn facts(ctx: &HuntContext, q: &str) -> tantivy::Result<Vec<Facts>> {
    fast::hunt_facts(ctx, q, COLUMNS)
}

/// Scan the events matching `q` (search syntax) in the hunt's time range
/// for a few string `columns`: for questions asked of whole populations.
pub fn scan<const N: usize>(
    ctx: &HuntContext,
    q: &str,
    columns: [&str; N],
) -> tantivy::Result<Scan<N>> {
    let parsed = query::parse(ctx.fields, ctx.searcher.schema(), q)
        .map_err(|e| tantivy::TantivyError::InvalidArgument(format!("hunt query '{q}': {e}")))?;
    let full = query::and(parsed, query::time_range(ctx.fields, ctx.since, ctx.until));
    crate::hunt::correlate::scan::scan(ctx.searcher, full.as_ref(), columns)
}

/// Events of `q` (search syntax) whose `field` is exactly `value`, in the
/// hunt's time range. Values go into a term, never into query text, so no
/// login or IP needs escaping.
pub fn facts_where(
    ctx: &HuntContext,
    field: Field,
    value: &str,
    q: &str,
) -> tantivy::Result<Vec<Facts>> {
    let term = Term::from_field_text(field, value);
    with_term(
        ctx,
        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        q,
    )
}

/// Events of `q` from `ip`, in the hunt's time range.
pub fn facts_from_ip(ctx: &HuntContext, ip: Ipv6Addr, q: &str) -> tantivy::Result<Vec<Facts>> {
    let term = Term::from_field_ip_addr(ctx.fields.ip, ip);
    with_term(
        ctx,
        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        q,
    )
}

fn with_term(ctx: &HuntContext, term: Box<dyn Query>, q: &str) -> tantivy::Result<Vec<Facts>> {
    let parsed = query::parse(ctx.fields, ctx.searcher.schema(), q)
        .map_err(|e| tantivy::TantivyError::InvalidArgument(format!("hunt query '{q}': {e}")))?;
    let both = BooleanQuery::new(vec![(Occur::Must, term), (Occur::Must, parsed)]);
    let full = query::and(
        Box::new(both),
        query::time_range(ctx.fields, ctx.since, ctx.until),
    );
    fast::collect_columns(ctx.searcher, full.as_ref(), COLUMNS)
}

/// Whether the event's IP says nothing about its user: an app's SSO server
/// or a token-granting service user's address.
pub fn noise(ctx: &HuntContext, f: &Facts) -> bool {
    f.ip.is_some_and(|ip| ctx.correlation.is_noise_ip(ip))
}

/// Cut time-ordered items into bursts: a silence longer than `gap_ms`
/// starts a new one.
pub fn bursts<T>(items: Vec<T>, time: impl Fn(&T) -> i64, gap_ms: i64) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = Vec::new();
    let mut last = i64::MIN;
    for item in items {
        let t = time(&item);
        match out.last_mut() {
            Some(b) if t.saturating_sub(last) <= gap_ms => b.push(item),
            _ => out.push(vec![item]),
        }
        last = t;
    }
    out
}

/// The most distinct keys any `window_ms` of time-ordered items holds
/// (a sliding window: linear in the number of items).
pub fn max_distinct_in_window<T, K: Hash + Eq + Clone>(
    items: &[T],
    time: impl Fn(&T) -> i64,
    key: impl Fn(&T) -> Option<K>,
    window_ms: i64,
) -> usize {
    let mut counts: HashMap<K, usize> = HashMap::new();
    let mut best = 0;
    let mut start = 0;
    for (i, item) in items.iter().enumerate() {
        while time(item) - time(&items[start]) > window_ms {
            if let Some(k) = key(&items[start]) {
                if let Some(c) = counts.get_mut(&k) {
                    *c -= 1;
                    if *c == 0 {
                        counts.remove(&k);
                    }
                }
            }
            start += 1;
        }
        if let Some(k) = key(item) {
            *counts.entry(k).or_default() += 1;
        }
        best = best.max(counts.len());
        debug_assert!(start <= i);
    }
    best
}

/// A session id as summaries show it: `102ORS_6il…`.
pub fn short(id: &str) -> String {
    let head: String = id.chars().take(10).collect();
    if head.len() < id.len() {
        format!("{head}…")
    } else {
        head
    }
}

/// A duration as people say it: `40 seconds`, `12 minutes`, `3 h 5 min`.
pub fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..=119 => format!("{s} seconds"),
        120..=5999 => format!("{} minutes", s / 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// `2024-03-12 17:21 UTC`.
pub fn clock(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%d %H:%M UTC")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_bursts() {
        let t = [0, 10, 20, 100, 105, 300];
        assert_eq!(max_distinct_in_window(&t, |x| *x, |x| Some(*x), 20), 3);
        assert_eq!(max_distinct_in_window(&t, |x| *x, |x| Some(x / 100), 20), 1);
        let b = bursts(t.to_vec(), |x| *x, 50);
        assert_eq!(b, vec![vec![0, 10, 20], vec![100, 105], vec![300]]);
        assert_eq!(duration(40_000), "40 seconds");
        assert_eq!(duration(12 * MINUTE_MS), "12 minutes");
        assert_eq!(duration(113 * MINUTE_MS), "1 h 53 min");
        assert_eq!(short("102ORS_6ilI8ihN5KXSc7Tvo_"), "102ORS_6il…");
        assert_eq!(
            list(&["a".into(), "b".into(), "c".into()], 2),
            "a, b and 1 more"
        );
    }
}
