//! One Okta session (externalSessionId) used from two places at once: a
//! stolen session cookie replayed by someone else.

use super::common::{self, MINUTE_MS};
use crate::hunt::correlate::scan::{Row, load};
use crate::hunt::{Correlation, Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::{BTreeMap, HashMap};
use std::net::Ipv6Addr;
use tantivy::DocAddress;

pub struct SessionHijack;

impl Hunt for SessionHijack {
    fn id(&self) -> &'static str {
        "session-hijack"
    }

    fn title(&self) -> &'static str {
        "Session used from two places"
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn description(&self) -> &'static str {
        "One Okta session (authenticationContext.externalSessionId) was used from different IP \
         addresses, countries, devices (debugData.dtHash) or user agents within a short window. A \
         session cookie moves with the browser, so a second place in the same session suggests a \
         stolen cookie replayed elsewhere (infostealer malware, adversary-in-the-middle phishing). \
         High when the country or the device changes, or when the user's own Mac (Jamf keep-alives) \
         was elsewhere at that moment; medium for an IP change within one country; low for a user \
         agent change alone (a browser update). Ignored: addresses of app SSO servers (Okta logs \
         some SSO from the app's server) and of token-granting service users, and an IP change that \
         follows the user's Mac from one network to the next (a VPN switch). Next: revoke the \
         user's sessions, list what the foreign address did in the session, and look for the \
         device that leaked the cookie. Okta logs no cookie theft itself, only its use."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let window = ctx.config.session_hijack_window_minutes.max(1) * MINUTE_MS;
        let events = candidates(ctx)?;
        let mut sessions: BTreeMap<&str, Vec<&Facts>> = BTreeMap::new();
        for f in &events {
            if let Some(s) = f.session.as_deref() {
                sessions.entry(s).or_default().push(f);
            }
        }
        let mut out = Vec::new();
        for (session, evs) in sessions {
            let pairs = changes(ctx, &evs, window);
            for burst in common::bursts(pairs, |p| evs[p.later].published_ms, window) {
                out.push(self.finding(session, &evs, &burst));
            }
        }
        Ok(out)
    }
}

/// The events (IP known, not a noise IP) of every session seen from more
/// than one client (IP, device, agent), oldest first. Nearly every event
/// has a session and most sessions keep one client: the scan decides with
/// three columns, and only the few other sessions are read in full.
fn candidates(ctx: &HuntContext) -> tantivy::Result<Vec<Facts>> {
    let all = common::scan(ctx, "session:*", ["session", "dthash", "ua"])?;
    let useful = |r: &&Row<3>| {
        r.values[0].is_some() && r.ip.is_some_and(|ip| !ctx.correlation.is_noise_ip(ip))
    };
    // Per session id (ids are dense), its first client (IP, dtHash id, agent
    // id) and whether another one showed up: arrays, not hash maps, as this
    // runs once per event.
    type Client = (Option<Ipv6Addr>, Option<u32>, Option<u32>);
    let mut first: Vec<Option<Client>> = vec![None; all.distinct()];
    let mut several = vec![false; all.distinct()];
    for r in all.rows.iter().filter(useful) {
        let Some(session) = r.values[0].map(|s| s as usize) else {
            continue;
        };
        let client = (r.ip, r.values[1], r.values[2]);
        match (first.get_mut(session), several.get_mut(session)) {
            (Some(slot @ None), _) => *slot = Some(client),
            (Some(Some(seen)), Some(flag)) if *seen != client => *flag = true,
            _ => {}
        }
    }
    let picked: Vec<DocAddress> = all
        .rows
        .iter()
        .filter(useful)
        .filter(|r| r.values[0].is_some_and(|s| several.get(s as usize) == Some(&true)))
        .map(|r| r.address)
        .collect();
    load(ctx.searcher, &picked, common::COLUMNS)
}

/// Two events of a session, within the window, that disagree.
struct Change {
    earlier: usize,
    later: usize,
    severity: Severity,
    why: &'static str,
}

/// Every disagreeing pair: each event against the latest event of every
/// other client (IP, device, agent) seen within the window before it.
fn changes(ctx: &HuntContext, evs: &[&Facts], window: i64) -> Vec<Change> {
    type Client<'a> = (Option<Ipv6Addr>, Option<&'a str>, Option<&'a str>);
    let mut latest: HashMap<Client, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, e) in evs.iter().enumerate() {
        let client: Client = (e.ip, device(ctx, e), agent(ctx, e));
        let mut best: Option<Change> = None;
        for (&other, &j) in &latest {
            if other == client || e.published_ms - evs[j].published_ms > window {
                continue;
            }
            if let Some((severity, why)) = compare(ctx, evs[j], e) {
                // The worst disagreement, then the latest event: a stable
                // choice whatever order the map iterates in.
                if best
                    .as_ref()
                    .is_none_or(|b| (severity, j) > (b.severity, b.earlier))
                {
                    best = Some(Change {
                        earlier: j,
                        later: i,
                        severity,
                        why,
                    });
                }
            }
        }
        out.extend(best);
        latest.insert(client, i);
    }
    out
}

/// How two events of one session disagree, and how much that matters.
fn compare(ctx: &HuntContext, a: &Facts, b: &Facts) -> Option<(Severity, &'static str)> {
    let differ = |x: Option<&str>, y: Option<&str>| matches!((x, y), (Some(x), Some(y)) if x != y);
    if differ(device(ctx, a), device(ctx, b)) {
        return Some((Severity::High, "device (dtHash) changed"));
    }
    if a.ip != b.ip {
        let slack = ctx.config.keepalive_overlap_minutes.max(0) * MINUTE_MS;
        let own = |f: &Facts| {
            let (user, ip) = (f.actor.as_deref()?, f.ip?);
            ctx.correlation
                .keepalive_ip_near(user, ip, f.published_ms, slack)
        };
        return match (own(a), own(b)) {
            // Both were the user's Mac's address at the time: a VPN switch.
            (Some(true), Some(true)) => None,
            (Some(true), Some(false)) | (Some(false), Some(true)) => {
                Some((Severity::High, "the user's Mac was at the other address"))
            }
            _ if differ(a.country.as_deref(), b.country.as_deref()) => {
                Some((Severity::High, "country changed"))
            }
            _ => Some((Severity::Medium, "IP changed")),
        };
    }
    differ(agent(ctx, a), agent(ctx, b)).then_some((Severity::Low, "user agent changed"))
}

/// The browser's user agent; none for keep-alives, whose agent is Jamf's
/// own and says nothing about a change of browser.
fn agent<'a>(ctx: &HuntContext, f: &'a Facts) -> Option<&'a str> {
    (!Correlation::is_keepalive(f, ctx.config))
        .then_some(f.ua.as_deref())
        .flatten()
}

/// The browser's device token hash; none for keep-alives (Jamf is not the
/// browser, so its dtHash may differ without meaning anything).
fn device<'a>(ctx: &HuntContext, f: &'a Facts) -> Option<&'a str> {
    (!Correlation::is_keepalive(f, ctx.config))
        .then_some(f.dthash.as_deref())
        .flatten()
}

impl SessionHijack {
    fn finding(&self, session: &str, evs: &[&Facts], burst: &[Change]) -> Finding {
        let mut idx: Vec<usize> = burst.iter().flat_map(|c| [c.earlier, c.later]).collect();
        idx.sort_unstable();
        idx.dedup();
        let evidence: Vec<&Facts> = idx.iter().map(|&i| evs[i]).collect();
        let worst = burst.iter().max_by_key(|c| c.severity);
        let severity = worst.map_or(Severity::Medium, |c| c.severity);
        let why = worst.map_or("", |c| c.why);
        let user = evidence
            .iter()
            .find_map(|f| f.who())
            .unwrap_or("unknown user")
            .to_string();
        let mut places: Vec<String> = Vec::new();
        for f in &evidence {
            let p = common::place(f);
            if !places.contains(&p) {
                places.push(p);
            }
        }
        let first = evidence.first().map_or(0, |f| f.published_ms);
        let last = evidence.last().map_or(0, |f| f.published_ms);
        let summary = format!(
            "Session {} of {user} used from {} within {} ({}; {why})",
            common::short(session),
            join_and(&places),
            common::duration(last - first),
            common::clock(first)
        );
        let title = format!("Session of {user} used from two places");
        finding_from(
            self,
            severity,
            title,
            summary,
            Some(user),
            Vec::new(),
            &evidence,
        )
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::HuntConfig;
    use crate::hunt::correlate::testkit::*;

    const CHROME: &str =
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/122.0.0.0 Safari/537.36";
    const JAMF: &str = "JamfConnect/2.32.0 CFNetwork/1494.0.7 Darwin/23.4.0";

    fn ev(uuid: &str, m: u32, p: &Place, ua: &str) -> Ev {
        Ev::new(uuid, at(9, m, 0), "user.authentication.sso")
            .user("jane@acme.com", "Jane")
            .origin(p)
            .ua(ua)
            .session("102sess")
            .dthash("aa11")
    }

    #[test]
    fn a_browser_update_alone_is_low() {
        let idx = TestIndex::from_events(&[
            ev("a", 0, &SAN_FRANCISCO, CHROME),
            ev("b", 5, &SAN_FRANCISCO, &CHROME.replace("122", "123")),
        ]);
        let found = idx.run(&SessionHijack, &HuntConfig::default());
        assert_eq!(
            found
                .iter()
                .map(|f| (f.severity, uuids(f)))
                .collect::<Vec<_>>(),
            vec![(Severity::Low, vec!["a", "b"])]
        );
    }

    #[test]
    fn the_macs_keepalive_in_the_session_makes_a_same_country_change_high() {
        let idx = TestIndex::from_events(&[
            ev("k1", 0, &SAN_FRANCISCO, JAMF),
            ev("x", 5, &VPN_SEATTLE, CHROME),
            ev("k2", 15, &SAN_FRANCISCO, JAMF),
        ]);
        let found = idx.run(&SessionHijack, &HuntConfig::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, Severity::High);
        assert_eq!(uuids(&found[0]), ["k1", "x", "k2"]);
        assert!(
            found[0].summary.contains("Mac was at the other address"),
            "{}",
            found[0].summary
        );
        assert_eq!(idx.facts("session:102sess AND ua:*Jamf*").len(), 2);
    }
}
