//! SSO service IPs: some apps (Google Workspace is the known case) make
//! Okta log an SSO event from the app's own servers rather than from the
//! user. Such an IP shows up on SSO events only, for many users, and says
//! nothing about where any of them is.

use super::scan::scan;
use crate::hunt::HuntConfig;
use crate::hunt::facts::Facts;
use crate::index::query;
use crate::index::schema::Fields;
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::Ipv6Addr;
use tantivy::Searcher;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};

/// The event types of a sign-on into an app (`app.auth.sso` is the legacy
/// name of `user.authentication.sso`).
pub const SSO_TYPES: &[&str] = &[
    "user.authentication.sso",
    "app.auth.sso",
    "app.oauth2.signon",
];

/// Whether an event is an SSO into an app.
pub fn is_sso(f: &Facts) -> bool {
    SSO_TYPES.contains(&f.event_type.as_str())
}

/// IPs seen on SSO events for at least `sso_service_min_users` distinct
/// users and on no other kind of event in the time range.
///
/// Not checked: that the IP is far from those users' own addresses. An
/// app's server in the users' own country is as much noise as one abroad,
/// and requiring distance would let it through to the location hunts.
pub fn service_ips(
    searcher: &Searcher,
    fields: &Fields,
    config: &HuntConfig,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> tantivy::Result<BTreeSet<Ipv6Addr>> {
    let sso_events = and_time(fields, types_query(fields), since, until);
    let sso = scan(searcher, sso_events.as_ref(), ["actor", "actor_id"])?;
    let mut users: HashMap<Ipv6Addr, HashSet<u32>> = HashMap::new();
    for r in &sso.rows {
        if let (Some(ip), Some(who)) = (r.ip, r.values[0].or(r.values[1])) {
            users.entry(ip).or_default().insert(who);
        }
    }
    let mut out = BTreeSet::new();
    for (ip, who) in users {
        if who.len() < config.sso_service_min_users.max(1) {
            continue;
        }
        // The IP on anything but an SSO event is somebody's own address.
        let other = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_ip_addr(fields.ip, ip),
                    IndexRecordOption::Basic,
                )),
            ),
            (Occur::MustNot, types_query(fields)),
        ]);
        if searcher.search(
            and_time(fields, Box::new(other), since, until).as_ref(),
            &Count,
        )? == 0
        {
            out.insert(ip);
        }
    }
    Ok(out)
}

fn types_query(fields: &Fields) -> Box<dyn Query> {
    let any = SSO_TYPES
        .iter()
        .map(|t| {
            let term = TermQuery::new(
                Term::from_field_text(fields.event_type, t),
                IndexRecordOption::Basic,
            );
            (Occur::Should, Box::new(term) as Box<dyn Query>)
        })
        .collect();
    Box::new(BooleanQuery::new(any))
}

fn and_time(
    fields: &Fields,
    q: Box<dyn Query>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Box<dyn Query> {
    query::and(q, query::time_range(fields, since, until))
}

#[cfg(test)]
mod tests {
    use crate::hunt::HuntConfig;
    use crate::hunt::correlate::testkit::*;

    fn sso(uuid: &str, user: &str, p: &Place) -> Ev {
        Ev::new(uuid, at(10, 0, 0), "user.authentication.sso")
            .user(user, "Someone")
            .origin(p)
            .app("Google Workspace")
    }

    #[test]
    fn an_ip_only_on_sso_events_for_enough_users_is_a_service_ip() {
        let idx = TestIndex::from_events(&[
            // Google's server, three users, SSO only: a service IP.
            sso("g1", "a@acme.com", &GOOGLE_DALLES),
            sso("g2", "b@acme.com", &GOOGLE_DALLES),
            Ev::new("g3", at(10, 1, 0), "app.auth.sso")
                .user("c@acme.com", "C")
                .origin(&GOOGLE_DALLES),
            // Three users' SSO from a shared office IP that also signs in: not one.
            sso("o1", "a@acme.com", &SAN_FRANCISCO),
            sso("o2", "b@acme.com", &SAN_FRANCISCO),
            sso("o3", "c@acme.com", &SAN_FRANCISCO),
            Ev::new("o4", at(9, 0, 0), "user.session.start")
                .user("a@acme.com", "A")
                .origin(&SAN_FRANCISCO),
            // SSO only, but two users: below the threshold.
            sso("b1", "a@acme.com", &BUCHAREST),
            sso("b2", "b@acme.com", &BUCHAREST),
        ]);
        let c = idx.correlation(&HuntConfig::default());
        let ip = |p: &Place| crate::index::document::parse_ip(p.ip).expect("ip");
        assert_eq!(
            c.sso_service_ips.iter().copied().collect::<Vec<_>>(),
            vec![ip(&GOOGLE_DALLES)]
        );
        assert!(c.is_noise_ip(ip(&GOOGLE_DALLES)));
        assert!(!c.is_noise_ip(ip(&BUCHAREST)));
        let strict = HuntConfig {
            sso_service_min_users: 4,
            ..HuntConfig::default()
        };
        assert!(idx.correlation(&strict).sso_service_ips.is_empty());
    }
}
