//! A user active from one IP while their own Mac keeps checking in (Jamf
//! keep-alives) from another: two computers at once.

use super::common::{self, MINUTE_MS};
use crate::hunt::correlate::keepalive::{self, KeepAlive};
use crate::hunt::correlate::scan::load;
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::{BTreeMap, HashMap};
use std::net::Ipv6Addr;
use tantivy::DocAddress;

/// What a person does: sign in, authenticate, reach the admin console,
/// change users, groups, factors, policies, tokens.
const ACTIVITY: &str = "type:user.session.start OR type:user.authentication.* OR \
     type:policy.evaluate_sign_on OR type:user.session.access_admin_app OR type:user.account.* OR \
     type:user.lifecycle.* OR type:user.mfa.factor.* OR type:group.user_membership.* OR \
     type:group.privilege.* OR type:system.api_token.* OR type:policy.lifecycle.* OR \
     type:policy.rule.* OR type:zone.* OR type:application.* OR type:user.session.impersonation.* \
     OR type:system.idp.lifecycle.* OR type:system.log_stream.lifecycle.*";

pub struct KeepaliveDivergence;

impl Hunt for KeepaliveDivergence {
    fn id(&self) -> &'static str {
        "keepalive-divergence"
    }

    fn title(&self) -> &'static str {
        "Active elsewhere while the user's Mac checks in"
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn description(&self) -> &'static str {
        "A Mac running Jamf Connect with an Okta session sends keep-alives about every 15 minutes \
         from its current address: they mark where the user's own computer is. This hunt flags the \
         user signing in, authenticating, reaching the admin console or changing settings from \
         another IP while keep-alives from the usual IP continue on both sides of it (within the \
         keep-alive overlap window): two computers at once, the second likely an attacker with the \
         user's credentials or session (high; medium when every such event comes from a phone's user \
         agent in the Mac's own country, likely the user's own phone on a cellular network). Keep-alives that simply move to a new IP (a VPN \
         switch, a new network) are reported once as info. Ignored: app SSO servers' and \
         token-granting service users' addresses, and failed attempts (see brute-force). Check the \
         other address (ASN, country, what it did), and ask the user whether a phone or second \
         computer was in use. The keep-alive signature (user agent or app) is configurable and \
         unverified against Okta's documentation; a Mac asleep sends none, so silence proves nothing."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let kas = keepalive::by_user(ctx.searcher, ctx.fields, ctx.config, ctx.since, ctx.until)?;
        if kas.is_empty() {
            return Ok(Vec::new());
        }
        let overlap = ctx.config.keepalive_overlap_minutes.max(1) * MINUTE_MS;
        let activity = common::scan(ctx, ACTIVITY, ["actor", "outcome", "ua", "target_app"])?;
        // Each divergent event, then the keep-alives before and after it.
        let mut hits: Vec<[DocAddress; 3]> = Vec::new();
        for r in &activity.rows {
            let (Some(user), Some(ip)) = (activity.get(r, 0), r.ip) else {
                continue;
            };
            let failed = matches!(activity.get(r, 1), Some("FAILURE" | "DENY"));
            let own_mac = keepalive::signature(activity.get(r, 2), activity.get(r, 3), ctx.config);
            if failed || own_mac || ctx.correlation.is_noise_ip(ip) {
                continue;
            }
            if let Some([before, after]) = kas
                .get(user)
                .and_then(|k| bracket(k, r.published_ms, ip, overlap))
            {
                hits.push([r.address, before.address, after.address]);
            }
        }
        let mut addresses: Vec<DocAddress> = hits.iter().flatten().copied().collect();
        addresses.sort_unstable();
        addresses.dedup();
        let facts: HashMap<DocAddress, Facts> = load(ctx.searcher, &addresses, common::COLUMNS)?
            .into_iter()
            .filter_map(|f| Some((f.address?, f)))
            .collect();
        let mut divergent: BTreeMap<(&str, Ipv6Addr), Vec<[&Facts; 3]>> = BTreeMap::new();
        for hit in &hits {
            let [Some(e), Some(b), Some(a)] = hit.map(|addr| facts.get(&addr)) else {
                continue;
            };
            if let (Some(user), Some(ip)) = (e.actor.as_deref(), e.ip) {
                divergent.entry((user, ip)).or_default().push([e, b, a]);
            }
        }
        let mut out = Vec::new();
        let gap = keepalive::span_gap_ms(ctx.config);
        for ((user, _), hits) in divergent {
            for burst in common::bursts(hits, |g| g[0].published_ms, gap) {
                out.push(self.divergence(user, &burst));
            }
        }
        for (user, rows) in &kas {
            out.extend(self.switches(ctx, user, rows)?);
        }
        Ok(out)
    }
}

/// The keep-alives from one other IP just before and just after an event
/// at `t` from `ip`, when the Mac kept reporting that other IP across it
/// and never `ip`.
fn bracket(kas: &[KeepAlive], t: i64, ip: Ipv6Addr, overlap: i64) -> Option<[&KeepAlive; 2]> {
    let lo = kas.partition_point(|k| k.published_ms < t - overlap);
    let hi = kas.partition_point(|k| k.published_ms <= t + overlap);
    let near = &kas[lo..hi];
    if near.iter().any(|k| k.ip == Some(ip)) {
        return None;
    }
    let before = near.iter().rev().find(|k| k.published_ms <= t)?;
    let after = near
        .iter()
        .find(|k| k.published_ms >= t && k.ip == before.ip)?;
    Some([before, after])
}

/// A mobile user agent (a phone on a cellular network has its own IP).
fn is_phone(f: &Facts) -> bool {
    f.ua.as_deref().is_some_and(|ua| {
        ["iPhone", "iPad", "Android", "Mobile"]
            .iter()
            .any(|m| ua.contains(m))
    })
}

impl KeepaliveDivergence {
    fn divergence(&self, user: &str, burst: &[[&Facts; 3]]) -> Finding {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for g in burst {
            *kinds.entry(g[0].event_type.as_str()).or_default() += 1;
        }
        let kinds: Vec<String> = kinds
            .into_iter()
            .map(|(k, n)| {
                if n > 1 {
                    format!("{k} ×{n}")
                } else {
                    k.to_string()
                }
            })
            .collect();
        let mut evidence: Vec<&Facts> = burst.iter().flatten().copied().collect();
        evidence.sort_by(|a, b| {
            a.published_ms
                .cmp(&b.published_ms)
                .then(a.uuid.cmp(&b.uuid))
        });
        evidence.dedup_by(|a, b| a.uuid == b.uuid);
        let other = burst
            .first()
            .map(|g| common::place(g[0]))
            .unwrap_or_default();
        let mac = burst
            .first()
            .map(|g| common::place(g[1]))
            .unwrap_or_default();
        let first = burst.first().map_or(0, |g| g[0].published_ms);
        let last = burst.last().map_or(0, |g| g[0].published_ms);
        let summary = format!(
            "{user} was active from {other} ({}) between {} and {} while their Mac's keep-alives \
             continued from {mac}",
            common::list(&kinds, 6),
            common::clock(first),
            common::clock(last)
        );
        // A phone in the Mac's own country is likely the user's: medium.
        let phone = burst
            .iter()
            .all(|g| is_phone(g[0]) && g[0].country.is_some() && g[0].country == g[1].country);
        let (severity, title) = if phone {
            (
                Severity::Medium,
                format!("{user} active from a phone while their Mac checks in elsewhere"),
            )
        } else {
            (
                Severity::High,
                format!("{user} active from two computers at once"),
            )
        };
        finding_from(
            self,
            severity,
            title,
            summary,
            Some(user.to_string()),
            Vec::new(),
            &evidence,
        )
    }

    /// One info finding per network change of the Mac: keep-alives moving
    /// to a new IP without a long silence between (a VPN switch).
    fn switches(
        &self,
        ctx: &HuntContext,
        user: &str,
        kas: &[KeepAlive],
    ) -> tantivy::Result<Vec<Finding>> {
        let gap = keepalive::span_gap_ms(ctx.config);
        let mut out = Vec::new();
        for pair in kas.windows(2) {
            if pair[0].ip == pair[1].ip || pair[1].published_ms - pair[0].published_ms > gap {
                continue;
            }
            let moved = load(
                ctx.searcher,
                &[pair[0].address, pair[1].address],
                common::COLUMNS,
            )?;
            let [from, to] = moved.as_slice() else {
                continue;
            };
            let summary = format!(
                "Keep-alives of {user}'s Mac moved from {} to {} at {} (a network change such as a \
                 VPN switch, not by itself suspicious)",
                common::place(from),
                common::place(to),
                common::clock(to.published_ms)
            );
            let title = format!("{user}'s Mac changed networks");
            let user = Some(user.to_string());
            out.push(finding_from(
                self,
                Severity::Info,
                title,
                summary,
                user,
                Vec::new(),
                &[from, to],
            ));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::HuntConfig;
    use crate::hunt::correlate::testkit::*;

    const JAMF: &str = "JamfConnect/2.32.0 CFNetwork/1494.0.7 Darwin/23.4.0";
    const IPHONE: &str =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1";

    fn keepalive(uuid: &str, m: u32) -> Ev {
        Ev::new(uuid, at(9, m, 0), "user.authentication.verify")
            .user("jane@acme.com", "Jane")
            .origin(&SAN_FRANCISCO)
            .ua(JAMF)
    }

    #[test]
    fn a_phone_in_the_macs_country_is_medium_elsewhere_high() {
        let signin = |uuid: &str, m: u32, p: &Place, ua: &str| {
            Ev::new(uuid, at(9, m, 0), "user.session.start")
                .user("jane@acme.com", "Jane")
                .origin(p)
                .ua(ua)
        };
        let idx = TestIndex::from_events(&[
            keepalive("k1", 0),
            signin("phone", 5, &VPN_SEATTLE, IPHONE),
            keepalive("k2", 15),
            signin(
                "pc",
                20,
                &BUCHAREST,
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0",
            ),
            keepalive("k3", 30),
        ]);
        let found = idx.run(&KeepaliveDivergence, &HuntConfig::default());
        let got: Vec<_> = found.iter().map(|f| (f.severity, uuids(f))).collect();
        assert_eq!(
            got,
            vec![
                (Severity::High, vec!["k2", "pc", "k3"]),
                (Severity::Medium, vec!["k1", "phone", "k2"])
            ]
        );
    }
}
