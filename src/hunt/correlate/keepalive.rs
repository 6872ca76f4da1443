//! Jamf keep-alives: a Mac running Jamf Connect with an Okta session checks
//! in about every 15 minutes from its current address, so these events mark
//! where the user's own machine is (the dominant IP) and when it moved.

use super::KeepAliveSpan;
use super::scan::{Row, scan};
use crate::hunt::HuntConfig;
use crate::index::query;
use crate::index::schema::Fields;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use tantivy::Searcher;
use tantivy::query::{BooleanQuery, Occur, Query, RegexQuery};

/// One keep-alive: where to load it from, when, and from which IP.
pub type KeepAlive = Row<0>;

/// A silence longer than this ends a span even on the same IP: the Mac
/// slept or was off, so the span no longer says where it is.
pub fn span_gap_ms(config: &HuntConfig) -> i64 {
    2 * config.keepalive_overlap_minutes.max(1) * 60_000
}

/// Events that may be keep-alives under the configured signature: a user
/// agent containing one of the strings, or one of the apps as target
/// (matched ignoring ASCII case, as [`signature`] does).
/// Built as tantivy queries, not query text, so no configured value needs
/// escaping for the query grammar. `None` when nothing is configured.
pub fn candidate_query(fields: &Fields, config: &HuntConfig) -> Option<Box<dyn Query>> {
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for ua in config
        .keepalive_user_agents
        .iter()
        .filter(|s| !s.is_empty())
    {
        let pattern = format!(".*{}.*", regex_escape(ua));
        if let Ok(q) = RegexQuery::from_pattern(&pattern, fields.ua) {
            any.push((Occur::Should, Box::new(q)));
        }
    }
    for app in config.keepalive_apps.iter().filter(|s| !s.is_empty()) {
        let pattern = format!("(?i){}", regex_escape(app));
        if let Ok(q) = RegexQuery::from_pattern(&pattern, fields.target_app) {
            any.push((Occur::Should, Box::new(q)));
        }
    }
    (!any.is_empty()).then(|| Box::new(BooleanQuery::new(any)) as Box<dyn Query>)
}

/// Whether a user agent or target app matches the configured keep-alive
/// signature: the agent contains a configured string (an empty one matches
/// nothing), or the app is a configured one, ignoring ASCII case.
pub fn signature(ua: Option<&str>, app: Option<&str>, config: &HuntConfig) -> bool {
    ua.is_some_and(|ua| {
        config
            .keepalive_user_agents
            .iter()
            .any(|k| !k.is_empty() && ua.contains(k.as_str()))
    }) || app.is_some_and(|app| {
        config
            .keepalive_apps
            .iter()
            .any(|a| a.eq_ignore_ascii_case(app))
    })
}

/// Every keep-alive with an IP in the time range, per user (actor
/// alternateId), oldest first.
pub fn by_user(
    searcher: &Searcher,
    fields: &Fields,
    config: &HuntConfig,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> tantivy::Result<BTreeMap<String, Vec<KeepAlive>>> {
    let Some(candidates) = candidate_query(fields, config) else {
        return Ok(BTreeMap::new());
    };
    let q = query::and(candidates, query::time_range(fields, since, until));
    let found = scan(searcher, q.as_ref(), ["actor", "ua", "target_app"])?;
    // The signature is checked once per distinct agent and app.
    let mut matches: HashMap<(Option<u32>, Option<u32>), bool> = HashMap::new();
    let mut users: HashMap<u32, Vec<KeepAlive>> = HashMap::new();
    for r in &found.rows {
        let (Some(user), Some(_)) = (r.values[0], r.ip) else {
            continue;
        };
        let key = (r.values[1], r.values[2]);
        if *matches
            .entry(key)
            .or_insert_with(|| signature(found.text(key.0), found.text(key.1), config))
        {
            users.entry(user).or_default().push(Row {
                address: r.address,
                published_ms: r.published_ms,
                ip: r.ip,
                values: [],
            });
        }
    }
    Ok(users
        .into_iter()
        .filter_map(|(u, rows)| Some((found.text(Some(u))?.to_string(), rows)))
        .collect())
}

/// Per user, the keep-alives cut into spans: a new span starts when the IP
/// changes or after a silence longer than `gap_ms`.
pub fn spans(
    by_user: &BTreeMap<String, Vec<KeepAlive>>,
    gap_ms: i64,
) -> BTreeMap<String, Vec<KeepAliveSpan>> {
    let mut out = BTreeMap::new();
    for (user, rows) in by_user {
        let mut spans: Vec<KeepAliveSpan> = Vec::new();
        for r in rows {
            let Some(ip) = r.ip else { continue };
            match spans.last_mut() {
                Some(s) if s.ip == ip && r.published_ms - s.last_ms <= gap_ms => {
                    s.last_ms = r.published_ms;
                    s.count += 1;
                }
                _ => spans.push(KeepAliveSpan {
                    ip,
                    first_ms: r.published_ms,
                    last_ms: r.published_ms,
                    count: 1,
                }),
            }
        }
        out.insert(user.clone(), spans);
    }
    out
}

/// `s` with every regex metacharacter escaped (tantivy's regex syntax).
pub fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::correlate::testkit::*;
    use std::net::Ipv6Addr;

    const JAMF: &str = "JamfConnect/2.32.0 CFNetwork/1494.0.7 Darwin/23.4.0";

    fn ip(p: &Place) -> Ipv6Addr {
        crate::index::document::parse_ip(p.ip).expect("ip")
    }

    fn keepalive(uuid: &str, t: String, p: &Place) -> Ev {
        Ev::new(uuid, t, "user.authentication.verify")
            .user("jane.doe@acme.com", "Jane Doe")
            .origin(p)
            .ua(JAMF)
    }

    #[test]
    fn spans_follow_the_macs_address_through_a_vpn_switch_and_a_night() {
        let idx = TestIndex::from_events(&[
            keepalive("k1", at(9, 0, 0), &SAN_FRANCISCO),
            keepalive("k2", at(9, 15, 0), &SAN_FRANCISCO),
            keepalive("k3", at(9, 30, 0), &VPN_SEATTLE),
            keepalive("k4", at(9, 45, 0), &VPN_SEATTLE),
            // Lid closed until the evening, same network.
            keepalive("k5", at(19, 0, 0), &VPN_SEATTLE),
            // Matched by app, not agent, with the app name in another case.
            Ev::new("k6", at(19, 15, 0), "app.oauth2.token.grant.access_token")
                .user("jane.doe@acme.com", "Jane Doe")
                .origin(&VPN_SEATTLE)
                .app("jamf connect"),
            // Not keep-alives: a browser sign-in, and a look-alike agent.
            Ev::new("n1", at(9, 20, 0), "user.session.start")
                .user("jane.doe@acme.com", "Jane Doe")
                .origin(&BUCHAREST),
            Ev::new("n2", at(9, 21, 0), "user.session.start")
                .user("jane.doe@acme.com", "Jane Doe")
                .origin(&BUCHAREST)
                .ua("jamfconnect-lowercase"),
        ]);
        let c = idx.correlation(&HuntConfig::default());
        let spans = &c.keepalive["jane.doe@acme.com"];
        let h = |h: i64, m: i64| 1_710_201_600_000 + (h * 60 + m) * 60_000;
        assert_eq!(
            spans,
            &vec![
                KeepAliveSpan {
                    ip: ip(&SAN_FRANCISCO),
                    first_ms: h(9, 0),
                    last_ms: h(9, 15),
                    count: 2
                },
                KeepAliveSpan {
                    ip: ip(&VPN_SEATTLE),
                    first_ms: h(9, 30),
                    last_ms: h(9, 45),
                    count: 2
                },
                KeepAliveSpan {
                    ip: ip(&VPN_SEATTLE),
                    first_ms: h(19, 0),
                    last_ms: h(19, 15),
                    count: 2
                },
            ]
        );
        assert_eq!(
            c.dominant_ip_at("jane.doe@acme.com", h(9, 20)),
            Some(ip(&SAN_FRANCISCO))
        );
        assert_eq!(
            c.dominant_ip_at("jane.doe@acme.com", h(9, 50)),
            Some(ip(&VPN_SEATTLE))
        );
        assert_eq!(c.dominant_ip_at("jane.doe@acme.com", h(8, 0)), None);
        assert_eq!(
            c.role_of(Some("jane.doe@acme.com"), ip(&BUCHAREST)),
            crate::hunt::correlate::IpRole::Other
        );
    }

    #[test]
    fn configured_values_are_literal_not_patterns() {
        let config = HuntConfig {
            keepalive_user_agents: vec!["Agent (v1.0)+".into(), String::new()],
            keepalive_apps: Vec::new(),
            ..HuntConfig::default()
        };
        let idx = TestIndex::from_events(&[
            keepalive("k1", at(9, 0, 0), &SAN_FRANCISCO).ua("Corp Agent (v1.0)+ macOS"),
            keepalive("n1", at(9, 1, 0), &SAN_FRANCISCO).ua("Corp Agent (v1x0) macOS"),
        ]);
        let found =
            by_user(&idx.searcher(), &idx.fields, &config, None, None).expect("keep-alives");
        let rows = &found["jane.doe@acme.com"];
        let addresses: Vec<_> = rows.iter().map(|r| r.address).collect();
        let facts = crate::hunt::correlate::scan::load(&idx.searcher(), &addresses, &["uuid"])
            .expect("load");
        assert_eq!(
            facts.iter().map(|f| f.uuid.as_str()).collect::<Vec<_>>(),
            ["k1"]
        );
        let none = HuntConfig {
            keepalive_user_agents: Vec::new(),
            keepalive_apps: Vec::new(),
            ..config
        };
        assert!(
            by_user(&idx.searcher(), &idx.fields, &none, None, None)
                .expect("none")
                .is_empty()
        );
    }
}
