//! Summaries the worker computes for actor, session and IP views, the
//! histogram of any result, what changed along a session, and whether an
//! actor's other IPs overlap its keep-alive (dominant) IP.
//!
//! Everything over all the matches of a query comes from tantivy
//! aggregations or fast-field scans; only the rows already loaded for the
//! table are read as JSON (for the session change marks).

use super::state::{EventItem, Histogram, Summary, SummaryLine};
use crate::hunt::correlate::scan;
use crate::hunt::correlate::{Correlation, KeepAliveSpan};
use crate::index::schema::Fields;
use crate::index::stats::{self, Counted, TopRequest};
use crate::index::timeline;
use crate::okta::event::LogEvent;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::Ipv6Addr;
use tantivy::Searcher;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{TantivyError, Term};

/// Items a summary line holds at most.
pub const MAX_ITEMS: usize = 8;

/// Buckets a histogram has at most.
pub const MAX_BUCKETS: i64 = 120;

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Round bucket sizes, smallest first.
const BUCKETS: &[i64] = &[
    SECOND,
    5 * SECOND,
    10 * SECOND,
    30 * SECOND,
    MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    30 * MINUTE,
    HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
    30 * DAY,
    90 * DAY,
    365 * DAY,
];

/// The matches of a query at a glance: when they start and end, and how
/// many distinct values some fields hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overview {
    /// First and last `published` (ms); `None` when nothing matches.
    pub span: Option<(i64, i64)>,
    /// Distinct values of each field asked for, in order (estimated by
    /// HyperLogLog: exact for small numbers).
    pub distinct: Vec<u64>,
}

/// First/last `published` and distinct counts of `fields`, in one pass.
pub fn overview(
    searcher: &Searcher,
    query: &dyn Query,
    fields: &[&str],
) -> tantivy::Result<Overview> {
    if fields.is_empty() {
        return Ok(Overview {
            span: timeline::span(searcher, query)?,
            distinct: Vec::new(),
        });
    }
    let mut req = serde_json::Map::new();
    req.insert("first".into(), json!({"min": {"field": "published"}}));
    req.insert("last".into(), json!({"max": {"field": "published"}}));
    for (i, f) in fields.iter().enumerate() {
        req.insert(format!("d{i}"), json!({"cardinality": {"field": f}}));
    }
    let result = aggregate(searcher, query, Value::Object(req))?;
    let span = metric_ms(&result["first"]).zip(metric_ms(&result["last"]));
    let distinct = (0..fields.len())
        .map(|i| {
            result[format!("d{i}")]["value"]
                .as_f64()
                .map_or(0, |v| v.round() as u64)
        })
        .collect();
    Ok(Overview { span, distinct })
}

/// A round bucket size giving at most [`MAX_BUCKETS`] buckets (aligned on
/// multiples of the size since the epoch) from `first` to `last`.
pub fn bucket_ms(first: i64, last: i64) -> i64 {
    let fits = |b: i64| last.div_euclid(b) - first.div_euclid(b) < MAX_BUCKETS;
    if let Some(&b) = BUCKETS.iter().find(|&&b| fits(b)) {
        return b;
    }
    // Centuries of data: whole years.
    let mut b = 365 * DAY;
    while !fits(b) {
        b = b.saturating_mul(2);
    }
    b
}

/// The matches over time, in round buckets between `span`'s ends (the
/// first bucket holds the first match, the last the last).
pub fn histogram(
    searcher: &Searcher,
    query: &dyn Query,
    span: (i64, i64),
) -> tantivy::Result<Histogram> {
    let (first, last) = span;
    let bucket = bucket_ms(first, last);
    let start = first.div_euclid(bucket) * bucket;
    let n = (last.div_euclid(bucket) - first.div_euclid(bucket) + 1).max(1);
    let counts = timeline::counts(
        searcher,
        query,
        start,
        bucket,
        usize::try_from(n).unwrap_or(0),
    )?;
    Ok(Histogram {
        start_ms: start,
        bucket_ms: bucket,
        counts,
    })
}

/// The rootSessionId(s) of the events of one externalSessionId, most
/// frequent first.
pub fn roots_of(
    searcher: &Searcher,
    fields: &Fields,
    session: &str,
) -> tantivy::Result<Vec<String>> {
    let q = term(fields.session, session);
    let found = stats::top(searcher, &q, &[TopRequest::new("root_session", 10)])?;
    Ok(found
        .into_iter()
        .flatten()
        .map(|c| c.value)
        .filter(|v| !v.is_empty())
        .collect())
}

/// An exact match on a keyword field.
pub fn term(field: tantivy::schema::Field, value: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    )
}

/// What an actor did: how much and when, which event types, from which
/// IPs and agents, and to whom.
pub fn actor(searcher: &Searcher, query: &dyn Query, total: usize) -> tantivy::Result<Summary> {
    let ov = overview(searcher, query, &["session", "ip"])?;
    let [types, ips, agents, targets] = tops(
        searcher,
        query,
        [
            TopRequest::new("type", MAX_ITEMS),
            TopRequest::new("ip", MAX_ITEMS).timed().with("country"),
            TopRequest::new("ua", 50),
            TopRequest::new("target", MAX_ITEMS),
        ],
    )?;
    let mut events = vec![count(total as u64, "event", "events")];
    events.extend(ov.span.map(|(a, b)| full_span(a, b)));
    events.push(count(ov.distinct[0], "session", "sessions"));
    events.push(count(ov.distinct[1], "IP", "IPs"));
    let mut lines = vec![
        line("events", events),
        line("types", types.iter().map(plain).collect()),
        line("IPs", ips.iter().map(ip_item).collect()),
        line("agents", short_agents(&agents)),
    ];
    if !targets.is_empty() {
        lines.push(line("targets", targets.iter().map(plain).collect()));
    }
    Ok(Summary {
        lines,
        awaits_correlation: false,
    })
}

/// How a session view was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Family {
    /// The session alone.
    Single,
    /// Every session sharing these rootSessionIds.
    Root(Vec<String>),
    /// Asked for the family, but the session has no rootSessionId: the
    /// session alone.
    NoRoot,
}

/// One session (or its root family): who, when, from where, with what.
pub fn session(
    searcher: &Searcher,
    query: &dyn Query,
    total: usize,
    id: &str,
    family: &Family,
) -> tantivy::Result<Summary> {
    let ov = overview(searcher, query, &["session", "dthash"])?;
    let [actors, roots, sessions, ips, countries, agents, hashes] = tops(
        searcher,
        query,
        [
            TopRequest::new("actor", 3),
            TopRequest::new("root_session", 3),
            TopRequest::new("session", MAX_ITEMS),
            TopRequest::new("ip", MAX_ITEMS).timed().with("country"),
            TopRequest::new("country", MAX_ITEMS),
            TopRequest::new("ua", 50),
            TopRequest::new("dthash", MAX_ITEMS),
        ],
    )?;
    let mut head = vec![id.to_string()];
    match family {
        Family::NoRoot => head.push("no root session id: this session alone".into()),
        _ if roots.is_empty() => head.push("no root session id".into()),
        _ => head.extend(roots.iter().map(|r| format!("root {}", r.value))),
    }
    head.push(count(total as u64, "event", "events"));
    head.extend(ov.span.map(|(a, b)| full_span(a, b)));
    head.extend(actors.iter().map(|a| a.value.clone()));
    let mut lines = vec![line("session", head)];
    if let Family::Root(_) = family {
        let mut items = vec![count(ov.distinct[0], "session", "sessions")];
        items.extend(sessions.iter().map(plain));
        lines.push(line("sessions", items));
    }
    lines.push(line("IPs", ips.iter().map(ip_item).collect()));
    lines.push(line("countries", countries.iter().map(plain).collect()));
    lines.push(line("agents", short_agents(&agents)));
    let mut dt = vec![count(ov.distinct[1], "dtHash", "dtHashes")];
    dt.extend(
        hashes
            .iter()
            .map(|h| format!("{} {}", abbrev(&h.value, 8), h.count)),
    );
    lines.push(line("dtHash", dt));
    Ok(Summary {
        lines,
        awaits_correlation: false,
    })
}

/// One IP: where it is, who used it for what, and what the hunts'
/// correlation layer knows of it.
pub fn ip(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    total: usize,
    ip: Option<Ipv6Addr>,
    correlation: Option<&Correlation>,
) -> tantivy::Result<Summary> {
    let ov = overview(searcher, query, &["actor"])?;
    let [cities, states, countries, orgs, isps, zones, actors, types] = tops(
        searcher,
        query,
        [
            TopRequest::new("city", 3),
            TopRequest::new("state", 3),
            TopRequest::new("country", 3),
            TopRequest::new("as_org", 2),
            TopRequest::new("isp", 2),
            TopRequest::new("zone", 2),
            TopRequest::new("actor", MAX_ITEMS),
            TopRequest::new("type", MAX_ITEMS),
        ],
    )?;
    let proxied = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_bool(fields.proxy, true),
                IndexRecordOption::Basic,
            )),
        ),
    ]);
    let proxied = crate::index::search::count(searcher, &proxied)?;
    let mut place: Vec<&str> = [&cities, &states, &countries]
        .iter()
        .filter_map(|c| c.first().map(|c| c.value.as_str()))
        .collect();
    place.dedup();
    let mut here = Vec::new();
    if !place.is_empty() {
        here.push(place.join(", "));
    }
    // A second country (geo-IP databases disagree, or the IP moved).
    here.extend(
        countries
            .iter()
            .skip(1)
            .map(|c| format!("also {}", plain(c))),
    );
    here.extend(orgs.iter().map(|o| format!("AS {}", o.value)));
    here.extend(
        isps.iter()
            .filter(|i| !orgs.iter().any(|o| o.value.eq_ignore_ascii_case(&i.value)))
            .map(|i| format!("ISP {}", i.value)),
    );
    here.extend(zones.iter().map(|z| format!("zone {}", z.value)));
    here.push(if proxied == 0 {
        "proxy no".to_string()
    } else {
        format!("proxy yes ({proxied})")
    });
    let mut events = vec![count(total as u64, "event", "events")];
    events.extend(ov.span.map(|(a, b)| full_span(a, b)));
    events.push(count(ov.distinct[0], "actor", "actors"));
    let names: Vec<String> = actors.iter().map(|a| a.value.clone()).collect();
    let known = match (correlation, ip) {
        (None, _) => vec!["being worked out (correlating the case)…".to_string()],
        (Some(c), Some(ip)) => known_as(c, ip, &names),
        (Some(_), None) => Vec::new(),
    };
    Ok(Summary {
        awaits_correlation: correlation.is_none(),
        lines: vec![
            line("where", here),
            line(
                "known as",
                if known.is_empty() {
                    vec!["nothing".to_string()]
                } else {
                    known
                },
            ),
            line("actors", actors.iter().map(plain).collect()),
            line("types", types.iter().map(plain).collect()),
            line("events", events),
        ],
    })
}

/// What the correlation layer knows `ip` to be: whose keep-alive
/// (dominant) IP and when, an SSO service's, a token-granting service
/// user's, an anonymizing proxy. `actors` are the IP's users (to name the
/// token granters among them). Empty when nothing is known.
pub fn known_as(correlation: &Correlation, ip: Ipv6Addr, actors: &[String]) -> Vec<String> {
    let mut keepalive: Vec<(u64, String)> = correlation
        .keepalive
        .iter()
        .filter_map(|(user, spans)| {
            let mine: Vec<&KeepAliveSpan> = spans.iter().filter(|s| s.ip == ip).collect();
            let first = mine.iter().map(|s| s.first_ms).min()?;
            let last = mine.iter().map(|s| s.last_ms).max()?;
            let n: u64 = mine.iter().map(|s| s.count).sum();
            Some((
                n,
                format!("keep-alive IP of {user} {} ({n})", short_span(first, last)),
            ))
        })
        .collect();
    keepalive.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut out: Vec<String> = keepalive.into_iter().map(|(_, s)| s).collect();
    if correlation.is_sso_service_ip(ip) {
        out.push("SSO service IP (an app's server, many users)".into());
    }
    if correlation.token_granter_ips.contains(&ip) {
        let granters: Vec<&String> = actors
            .iter()
            .filter(|a| correlation.is_token_granter(a))
            .collect();
        if granters.is_empty() {
            out.push("a token-granting service user's IP".into());
        } else {
            out.extend(
                granters
                    .into_iter()
                    .map(|g| format!("IP of token-granting service user {g}")),
            );
        }
    }
    if correlation.proxy_ips.contains(&ip) {
        out.push("anonymizing proxy".into());
    }
    out.truncate(MAX_ITEMS);
    out
}

/// Whether an actor's IPs were used while its own Mac checked in from
/// another IP (see [`overlaps_dominant`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlaps {
    /// IPs that say nothing here: the actor's keep-alive IPs, app
    /// servers' and token-granting service users' IPs.
    skip: HashSet<Ipv6Addr>,
    /// Per other IP: whether one of its events fell inside a keep-alive
    /// span of another IP.
    inside: HashMap<Ipv6Addr, bool>,
    /// The actor has keep-alives at all.
    any: bool,
}

impl Overlaps {
    /// `None` when the actor has no keep-alives, or `ip` is one of its
    /// keep-alive IPs (or an app server's or a token granter's, which say
    /// nothing about where the user is); else whether the actor was active
    /// from `ip` while its Mac checked in from elsewhere.
    pub fn get(&self, ip: Option<Ipv6Addr>) -> Option<bool> {
        let ip = ip?;
        if !self.any || self.skip.contains(&ip) {
            return None;
        }
        Some(self.inside.get(&ip).copied().unwrap_or(false))
    }
}

/// For each IP the actor used: whether one of its events from that IP
/// (failed attempts aside) falls inside a keep-alive span of another IP of
/// the actor, i.e. the actor was active from there while its own Mac
/// checked in from elsewhere: the classic sign of a stolen session.
/// A fast-field scan of the actor's events; never stored JSON.
pub fn overlaps_dominant(
    searcher: &Searcher,
    fields: &Fields,
    actor: &str,
    correlation: &Correlation,
) -> tantivy::Result<Overlaps> {
    let spans = correlation
        .keepalive
        .get(actor)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out = Overlaps {
        any: !spans.is_empty(),
        ..Overlaps::default()
    };
    if spans.is_empty() {
        return Ok(out);
    }
    out.skip = spans.iter().map(|s| s.ip).collect();
    out.skip.extend(&correlation.sso_service_ips);
    out.skip.extend(&correlation.token_granter_ips);
    let mut spans: Vec<&KeepAliveSpan> = spans.iter().collect();
    spans.sort_by_key(|s| (s.first_ms, s.last_ms));
    let found = scan::scan(searcher, &term(fields.actor, actor), ["outcome"])?;
    for r in &found.rows {
        let Some(ip) = r.ip.filter(|ip| !out.skip.contains(ip)) else {
            continue;
        };
        let failed = matches!(found.get(r, 0), Some("FAILURE" | "DENY"));
        let t = r.published_ms;
        // Spans that started by `t`; one of them may still be running.
        let started = spans.partition_point(|s| s.first_ms <= t);
        let inside = !failed
            && spans[..started]
                .iter()
                .any(|s| s.last_ms >= t && s.ip != ip);
        *out.inside.entry(ip).or_insert(false) |= inside;
    }
    Ok(out)
}

/// Mark on each row what changed since the previous row of the same
/// externalSessionId (`ip`, `country`, `ua`, `dthash`). `rows` are oldest
/// first; rows without a session, and each session's first row, get none.
/// A value an event lacks is not a change: the next event is compared with
/// the last value seen.
pub fn mark_changes(rows: &mut [EventItem]) {
    const WHAT: [&str; 4] = ["ip", "country", "ua", "dthash"];
    let mut last: HashMap<String, [Option<String>; 4]> = HashMap::new();
    for row in rows.iter_mut() {
        row.changed.clear();
        let Ok(e) = serde_json::from_str::<LogEvent>(&row.json) else {
            continue;
        };
        let Some(session) = e.session_id() else {
            continue;
        };
        let now = [
            e.client_ip(),
            e.geo().and_then(|g| g.country.as_deref()),
            e.raw_user_agent(),
            e.debug("dtHash"),
        ];
        match last.get_mut(session) {
            None => {
                last.insert(session.to_string(), now.map(|v| v.map(str::to_string)));
            }
            Some(seen) => {
                for (i, v) in now.into_iter().enumerate() {
                    let Some(v) = v else { continue };
                    if seen[i].as_deref().is_some_and(|s| s != v) {
                        row.changed.push(WHAT[i]);
                    }
                    seen[i] = Some(v.to_string());
                }
            }
        }
    }
}

/// A user agent in a few words: browser and major version on an OS for a
/// browser (`Chrome 122 on Windows`), the product and version otherwise
/// (`JamfConnect 2.32.0`).
pub fn short_agent(raw: &str) -> String {
    let raw = raw.trim();
    if !raw.starts_with("Mozilla/") {
        let first = raw.split_whitespace().next().unwrap_or(raw);
        return match first.split_once('/') {
            Some((p, v)) if !p.is_empty() && !v.is_empty() => format!("{p} {v}"),
            _ => abbrev(raw, 40),
        };
    }
    let version = |key: &str| -> Option<String> {
        let rest = &raw[raw.find(key)? + key.len()..];
        let v: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let major = v.split('.').next().unwrap_or_default().to_string();
        (!major.is_empty()).then_some(major)
    };
    let browser = [
        ("Edg/", "Edge"),
        ("EdgA/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ]
    .iter()
    .find_map(|(key, name)| {
        let v = version(key)?;
        (*key != "Version/" || raw.contains("Safari/")).then(|| format!("{name} {v}"))
    });
    let os = [
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(key, _)| raw.contains(key))
    .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b,
        (None, Some(o)) => format!("a browser on {o}"),
        (None, None) => abbrev(raw, 40),
    }
}

/// Agents counted by their short form, most frequent first.
fn short_agents(agents: &[Counted]) -> Vec<String> {
    let mut by: BTreeMap<String, u64> = BTreeMap::new();
    for a in agents {
        *by.entry(short_agent(&a.value)).or_default() += a.count;
    }
    let mut v: Vec<(String, u64)> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter()
        .take(MAX_ITEMS)
        .map(|(a, n)| format!("{a} {n}"))
        .collect()
}

/// `N` requests in one pass, as an array.
fn tops<const N: usize>(
    searcher: &Searcher,
    query: &dyn Query,
    requests: [TopRequest; N],
) -> tantivy::Result<[Vec<Counted>; N]> {
    let found = stats::top(searcher, query, &requests)?;
    let mut it = found.into_iter();
    Ok(std::array::from_fn(|_| it.next().unwrap_or_default()))
}

fn aggregate(searcher: &Searcher, query: &dyn Query, req: Value) -> tantivy::Result<Value> {
    let aggs: Aggregations =
        serde_json::from_value(req).map_err(|e| TantivyError::InvalidArgument(e.to_string()))?;
    let ctx = AggContextParams::new(
        AggregationLimitsGuard::default(),
        TokenizerManager::default(),
    );
    let result = searcher.search(query, &AggregationCollector::from_aggs(aggs, ctx))?;
    serde_json::to_value(result).map_err(|e| TantivyError::InternalError(e.to_string()))
}

/// A min/max over `published` in ms: tantivy reports dates as nanoseconds
/// in `value` (and RFC 3339 in `value_as_string` in some versions).
fn metric_ms(v: &Value) -> Option<i64> {
    if let Some(t) = v["value_as_string"]
        .as_str()
        .and_then(crate::okta::time::parse_published)
    {
        return Some(t.timestamp_millis());
    }
    v["value"]
        .as_f64()
        .map(|ns| (ns / 1_000_000.0).round() as i64)
}

fn line(label: &str, items: Vec<String>) -> SummaryLine {
    SummaryLine {
        label: label.to_string(),
        items,
    }
}

fn plain(c: &Counted) -> String {
    format!("{} {}", c.value, c.count)
}

/// `203.0.113.9 United States 03-12 07:12→03-14 18:00 (41)`.
fn ip_item(c: &Counted) -> String {
    let mut s = c.value.clone();
    if let Some(country) = c.with.as_deref().filter(|w| !w.is_empty()) {
        s.push(' ');
        s.push_str(country);
    }
    if let (Some(a), Some(b)) = (c.first_seen_ms, c.last_seen_ms) {
        s.push(' ');
        s.push_str(&short_span(a, b));
    }
    s.push_str(&format!(" ({})", c.count));
    s
}

fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2024-03-13 15:04 → 2024-03-14 00:41` (UTC).
fn full_span(first: i64, last: i64) -> String {
    let f = fmt(first, "%Y-%m-%d %H:%M");
    let l = fmt(last, "%Y-%m-%d %H:%M");
    if f == l { f } else { format!("{f} → {l}") }
}

/// `03-13 15:04→17:23` within a day, `03-13 15:04→03-14 00:41` across
/// days (UTC).
fn short_span(first: i64, last: i64) -> String {
    let f = fmt(first, "%m-%d %H:%M");
    let l = fmt(last, "%m-%d %H:%M");
    if f == l {
        f
    } else if f.get(..5) == l.get(..5) {
        format!("{f}→{}", l.get(6..).unwrap_or_default())
    } else {
        format!("{f}→{l}")
    }
}

fn fmt(ms: i64, pattern: &str) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format(pattern).to_string())
        .unwrap_or_default()
}

/// The first `n` characters and `…` when longer.
fn abbrev(s: &str, n: usize) -> String {
    super::nav::short(s, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::HuntConfig;
    use crate::hunt::correlate::testkit::*;
    use crate::index::document::parse_ip;
    use crate::output::EventRow;
    use tantivy::query::AllQuery;

    const JAMF: &str = "JamfConnect/2.32.0 CFNetwork/1494.0.7 Darwin/23.4.0";
    const MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36";
    const WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    fn ms(h: i64, m: i64) -> i64 {
        1_710_201_600_000 + (h * 60 + m) * MINUTE
    }

    fn keepalive(uuid: &str, h: u32, m: u32, p: &Place) -> Ev {
        Ev::new(uuid, at(h, m, 0), "user.authentication.verify")
            .user("jane.doe@acme.com", "Jane Doe")
            .origin(p)
            .ua(JAMF)
    }

    #[test]
    fn bucket_sizes_are_round_and_few() {
        assert_eq!(bucket_ms(0, 0), SECOND);
        assert_eq!(bucket_ms(0, 119 * SECOND), SECOND);
        assert_eq!(bucket_ms(0, 120 * SECOND), 5 * SECOND);
        assert_eq!(bucket_ms(ms(9, 0), ms(17, 0)), 5 * MINUTE);
        assert_eq!(bucket_ms(ms(0, 0), ms(0, 0) + 4 * DAY), HOUR);
        assert_eq!(bucket_ms(0, 40 * 365 * DAY), 365 * DAY);
        assert!(bucket_ms(0, i64::MAX / 2) > 365 * DAY);
        for (a, b) in [(0, 7_777), (ms(3, 3), ms(20, 59)), (-5 * DAY, 3 * DAY)] {
            let size = bucket_ms(a, b);
            assert!(b.div_euclid(size) - a.div_euclid(size) < MAX_BUCKETS);
        }
    }

    #[test]
    fn histogram_counts_every_match_in_aligned_buckets() {
        let idx = TestIndex::from_events(&[
            Ev::new("a", at(9, 0, 1), "user.session.start"),
            Ev::new("b", at(9, 0, 59), "user.session.start"),
            Ev::new("c", at(9, 30, 0), "user.session.start"),
            Ev::new("d", at(11, 59, 0), "user.session.start"),
        ]);
        let s = idx.searcher();
        let ov = overview(&s, &AllQuery, &[]).expect("overview");
        assert_eq!(ov.span, Some((ms(9, 0) + SECOND, ms(11, 59))));
        let h = histogram(&s, &AllQuery, ov.span.expect("span")).expect("histogram");
        assert_eq!(h.bucket_ms, 5 * MINUTE);
        assert_eq!(h.start_ms, ms(9, 0));
        assert_eq!(h.counts.len(), 36);
        assert_eq!(h.counts[0], 2);
        assert_eq!(h.counts[6], 1);
        assert_eq!(h.counts[35], 1);
        assert_eq!(h.counts.iter().sum::<u64>(), 4);
        let none = overview(&s, &term(idx.fields.actor, "nobody"), &["ip"]).expect("empty");
        assert_eq!(none.span, None);
        assert_eq!(none.distinct, vec![0]);
    }

    fn item(json: String) -> EventItem {
        EventItem {
            row: EventRow::default(),
            published_ms: 0,
            json,
            changed: Vec::new(),
        }
    }

    #[test]
    fn changes_are_marked_per_session_against_the_last_value_seen() {
        let s1 = |uuid: &str, p: &Place, ua: &str, dt: &str| {
            Ev::new(uuid, at(9, 0, 0), "user.authentication.sso")
                .user("jane.doe@acme.com", "Jane Doe")
                .session("102one")
                .origin(p)
                .ua(ua)
                .dthash(dt)
                .json()
        };
        let mut rows: Vec<EventItem> = vec![
            item(s1("1", &SAN_FRANCISCO, MAC, "aaa")),
            item(s1("2", &OAKLAND, MAC, "aaa")),
            // Another session in between changes nothing for the first.
            item(
                Ev::new("x", at(9, 1, 0), "user.session.start")
                    .session("102two")
                    .origin(&BUCHAREST)
                    .json(),
            ),
            item(s1("3", &BUCHAREST, WIN, "bbb")),
            // No client at all: nothing to compare, and no mark.
            item(
                Ev::new("4", at(9, 2, 0), "user.account.lock")
                    .session("102one")
                    .json(),
            ),
            item(s1("5", &BUCHAREST, WIN, "bbb")),
            item(Ev::new("6", at(9, 3, 0), "system.import.start").json()),
        ];
        mark_changes(&mut rows);
        let marks: Vec<Vec<&str>> = rows.iter().map(|r| r.changed.clone()).collect();
        assert_eq!(
            marks,
            vec![
                vec![],
                vec!["ip"],
                vec![],
                vec!["ip", "country", "ua", "dthash"],
                vec![],
                vec![],
                vec![],
            ]
        );
    }

    #[test]
    fn agents_shorten_to_browser_and_os() {
        assert_eq!(short_agent(MAC), "Chrome 122 on macOS");
        assert_eq!(short_agent(WIN), "Chrome 120 on Windows");
        assert_eq!(short_agent(JAMF), "JamfConnect 2.32.0");
        assert_eq!(
            short_agent(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.80"
            ),
            "Edge 122 on Windows"
        );
        assert_eq!(
            short_agent(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15"
            ),
            "Safari 17 on macOS"
        );
        assert_eq!(
            short_agent("Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"),
            "Firefox 115 on Linux"
        );
        assert_eq!(
            short_agent("python-requests/2.31.0"),
            "python-requests 2.31.0"
        );
        assert_eq!(short_agent("curl"), "curl");
    }

    #[test]
    fn overlap_needs_an_event_inside_a_span_of_another_ip() {
        let idx = TestIndex::from_events(&[
            keepalive("k1", 9, 0, &SAN_FRANCISCO),
            keepalive("k2", 9, 15, &SAN_FRANCISCO),
            keepalive("k3", 9, 30, &SAN_FRANCISCO),
            // Inside the span: the attacker.
            Ev::new("b", at(9, 20, 0), "user.session.start")
                .user("jane.doe@acme.com", "Jane Doe")
                .origin(&BUCHAREST),
            // After the Mac went quiet: a near miss.
            Ev::new("o", at(11, 0, 0), "user.session.start")
                .user("jane.doe@acme.com", "Jane Doe")
                .origin(&OAKLAND),
            // A failed guess inside the span: not activity.
            Ev::new("f", at(9, 25, 0), "user.session.start")
                .user("jane.doe@acme.com", "Jane Doe")
                .origin(&ASHBURN_CLOUD)
                .failed(),
            // Someone else inside the span: not jane's.
            Ev::new("v", at(9, 20, 0), "user.session.start")
                .user("alex@acme.com", "Alex")
                .origin(&VPN_SEATTLE),
        ]);
        let c = idx.correlation(&HuntConfig::default());
        let s = idx.searcher();
        let got = overlaps_dominant(&s, &idx.fields, "jane.doe@acme.com", &c).expect("overlaps");
        let ip = |p: &Place| parse_ip(p.ip);
        assert_eq!(got.get(ip(&BUCHAREST)), Some(true));
        assert_eq!(got.get(ip(&OAKLAND)), Some(false));
        assert_eq!(got.get(ip(&ASHBURN_CLOUD)), Some(false), "failed only");
        assert_eq!(got.get(ip(&SAN_FRANCISCO)), None, "its own keep-alive IP");
        assert_eq!(got.get(None), None);
        let alex = overlaps_dominant(&s, &idx.fields, "alex@acme.com", &c).expect("none");
        assert_eq!(alex.get(ip(&VPN_SEATTLE)), None, "alex has no keep-alives");
        let ip = |p: &Place| parse_ip(p.ip).expect("ip");
        let known = known_as(&c, ip(&SAN_FRANCISCO), &[]);
        assert_eq!(
            known,
            ["keep-alive IP of jane.doe@acme.com 03-12 09:00→09:30 (3)"]
        );
        assert!(known_as(&c, ip(&BUCHAREST), &[]).is_empty());
    }

    #[test]
    fn ip_summary_says_where_and_who() {
        let idx = TestIndex::from_events(&[
            keepalive("k1", 9, 0, &SAN_FRANCISCO),
            keepalive("k2", 9, 15, &SAN_FRANCISCO),
            Ev::new("p", at(9, 20, 0), "user.session.start")
                .user("kevin@acme.com", "Kevin")
                .origin(&SAN_FRANCISCO)
                .proxy(),
        ]);
        let c = idx.correlation(&HuntConfig::default());
        let s = idx.searcher();
        let addr = parse_ip(SAN_FRANCISCO.ip);
        let q =
            crate::index::query::parse(&idx.fields, s.schema(), "ip:73.92.144.203").expect("query");
        let sum = ip(&s, &idx.fields, q.as_ref(), 3, addr, Some(&c)).expect("summary");
        let get = |label: &str| {
            sum.lines
                .iter()
                .find(|l| l.label == label)
                .map(|l| l.items.clone())
                .unwrap_or_else(|| panic!("no {label} line in {sum:?}"))
        };
        assert_eq!(
            get("where"),
            [
                "San Francisco, United States",
                "AS comcast cable communications, llc",
                "proxy yes (1)"
            ]
        );
        assert_eq!(
            get("known as"),
            [
                "keep-alive IP of jane.doe@acme.com 03-12 09:00→09:15 (2)",
                "anonymizing proxy"
            ]
        );
        assert_eq!(get("actors"), ["jane.doe@acme.com 2", "kevin@acme.com 1"]);
        assert_eq!(
            get("events"),
            [
                "3 events",
                "2024-03-12 09:00 → 2024-03-12 09:20",
                "2 actors"
            ]
        );
    }
}
