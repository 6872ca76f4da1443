//! Token-granting service users: accounts that authenticate and then take an
//! ID token and an access token, all day, from whichever cloud address the
//! job runs on. Their many IPs are noise for every IP-based hunt (and the
//! accounts deserve a list of their own: they hold standing credentials).

use super::scan::scan;
use crate::hunt::HuntConfig;
use crate::index::query;
use crate::index::schema::Fields;
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::net::Ipv6Addr;
use tantivy::Searcher;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};

/// Token grants, from Okta's org authorization server and custom ones.
pub const GRANT_QUERY: &str = "type:app.oauth2.token.grant.* OR type:app.oauth2.as.token.grant.*";
/// A successful authentication, which a service user does before its grants.
const AUTH_QUERY: &str =
    "(type:user.authentication.* OR type:user.session.start) AND outcome:SUCCESS";

/// What the grant tally reads.
const GRANT_COLUMNS: [&str; 6] = [
    "actor",
    "actor_id",
    "actor_name",
    "target",
    "target_user",
    "outcome",
];

#[derive(Default)]
struct Tally {
    grants: usize,
    ips: HashSet<Ipv6Addr>,
    /// A grant named a user or a target alternateId: a person's token.
    targeted: bool,
    /// The actor looks like a person (email login and a display name).
    person: bool,
    id_field: bool,
}

/// The token-granting actors and every IP they used in the time range.
pub fn granters(
    searcher: &Searcher,
    fields: &Fields,
    config: &HuntConfig,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> tantivy::Result<(BTreeSet<String>, BTreeSet<Ipv6Addr>)> {
    let in_range = |q: Box<dyn Query>| query::and(q, query::time_range(fields, since, until));
    let grant_events = in_range(parse(fields, searcher, GRANT_QUERY)?);
    let grants = scan(searcher, grant_events.as_ref(), GRANT_COLUMNS)?;
    let mut tallies: HashMap<u32, Tally> = HashMap::new();
    for g in &grants.rows {
        let [actor, actor_id, name, target, target_user, outcome] = g.values;
        let Some(who) = actor.or(actor_id) else {
            continue;
        };
        if matches!(grants.text(outcome), Some("FAILURE" | "DENY")) {
            continue;
        }
        let t = tallies.entry(who).or_default();
        t.grants += 1;
        t.ips.extend(g.ip);
        // The first target's alternateId stands for all: a grant has one
        // target, the token.
        t.targeted |= target_user.is_some() || grants.text(target).is_some_and(|a| !a.is_empty());
        t.person |= looks_like_person(grants.text(actor), grants.text(name));
        t.id_field |= actor.is_none();
    }
    let mut names = BTreeSet::new();
    let mut ips = BTreeSet::new();
    for (who, t) in tallies {
        let Some(who) = grants.text(Some(who)) else {
            continue;
        };
        if t.grants < config.token_granter_min_grants
            || t.ips.len() < config.token_granter_min_ips
            || t.targeted
            || t.person
        {
            continue;
        }
        let actor = actor_query(fields, who, t.id_field);
        // Grants without a sign-in first are an app's client credentials,
        // not the service-user pattern this list is about.
        let auth = BooleanQuery::new(vec![
            (Occur::Must, actor),
            (Occur::Must, parse(fields, searcher, AUTH_QUERY)?),
        ]);
        if searcher.search(in_range(Box::new(auth)).as_ref(), &Count)? == 0 {
            continue;
        }
        let used = scan(
            searcher,
            in_range(actor_query(fields, who, t.id_field)).as_ref(),
            [],
        )?;
        ips.extend(used.rows.iter().filter_map(|r| r.ip));
        names.insert(who.to_string());
    }
    Ok((names, ips))
}

/// A person: an email-like login and a display name. Service users lack
/// one or the other (`svc-ci-runner`, or an empty name).
fn looks_like_person(login: Option<&str>, name: Option<&str>) -> bool {
    let email = login.is_some_and(|a| {
        a.split_once('@')
            .is_some_and(|(u, d)| !u.is_empty() && d.contains('.'))
    });
    let named = name.is_some_and(|n| !n.trim().is_empty());
    email && named
}

fn actor_query(fields: &Fields, who: &str, by_id: bool) -> Box<dyn Query> {
    let field = if by_id { fields.actor_id } else { fields.actor };
    Box::new(TermQuery::new(
        Term::from_field_text(field, who),
        IndexRecordOption::Basic,
    ))
}

fn parse(fields: &Fields, searcher: &Searcher, q: &str) -> tantivy::Result<Box<dyn Query>> {
    query::parse(fields, searcher.schema(), q).map_err(|e| {
        tantivy::TantivyError::InvalidArgument(format!("correlation query '{q}': {e}"))
    })
}

#[cfg(test)]
mod tests {
    use crate::hunt::HuntConfig;
    use crate::hunt::correlate::testkit::*;

    /// `n` auth + id + access cycles from `n` different cloud addresses.
    fn cycles(prefix: &str, login: &str, name: &str, n: u8, targeted: bool) -> Vec<Ev> {
        let mut out = Vec::new();
        for i in 0..n {
            let ip: &'static str = Box::leak(format!("3.214.10.{}", i + 1).into_boxed_str());
            let p = Place {
                ip,
                ..ASHBURN_CLOUD
            };
            let t = at(10, u32::from(i), 0);
            out.push(
                Ev::new(
                    &format!("{prefix}-auth-{i}"),
                    t.clone(),
                    "user.authentication.verify",
                )
                .user(login, name)
                .origin(&p),
            );
            for kind in ["id_token", "access_token"] {
                let alt = targeted.then_some(login);
                out.push(
                    Ev::new(
                        &format!("{prefix}-{kind}-{i}"),
                        t.clone(),
                        &format!("app.oauth2.token.grant.{kind}"),
                    )
                    .user(login, name)
                    .origin(&p)
                    .target(kind, alt, kind),
                );
            }
        }
        out
    }

    #[test]
    fn service_users_granting_tokens_from_many_ips_are_token_granters() {
        let mut events = cycles("svc", "svc-ci-runner", "", 6, false);
        // A person with a VPN and many grants: email login and a name.
        events.extend(cycles("person", "kim@acme.com", "Kim Lee", 6, false));
        // Service-like, but its grants name a user: not the pattern.
        events.extend(cycles("named", "svc-sync", "", 6, true));
        // Service-like, too few IPs.
        events.extend(cycles("few", "svc-terraform", "", 4, false));
        let idx = TestIndex::from_events(&events);
        let c = idx.correlation(&HuntConfig::default());
        assert_eq!(
            c.token_granters
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["svc-ci-runner"]
        );
        assert!(c.is_token_granter("svc-ci-runner"));
        assert_eq!(c.token_granter_ips.len(), 6);
        let ip = crate::index::document::parse_ip("3.214.10.6").expect("ip");
        assert!(c.is_noise_ip(ip));
        let lenient = HuntConfig {
            token_granter_min_ips: 4,
            token_granter_min_grants: 8,
            ..HuntConfig::default()
        };
        assert!(idx.correlation(&lenient).is_token_granter("svc-terraform"));
    }

    #[test]
    fn grants_without_a_sign_in_do_not_make_a_token_granter() {
        let events: Vec<Ev> = cycles("svc", "svc-ci-runner", "", 6, false)
            .into_iter()
            .filter(|e| !e.json().contains("user.authentication.verify"))
            .collect();
        let idx = TestIndex::from_events(&events);
        assert!(
            idx.correlation(&HuntConfig::default())
                .token_granters
                .is_empty()
        );
    }
}
