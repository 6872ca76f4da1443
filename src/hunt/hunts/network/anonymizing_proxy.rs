//! Sign-in attempts through anonymizing proxies (Tor, open proxies, VPN
//! services as Okta's securityContext.isProxy flags them).

use super::common;
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;
use std::net::Ipv6Addr;

const ATTEMPTS: &str = "(type:user.session.start OR type:user.authentication.*) AND proxy:true";

pub struct AnonymizingProxy;

impl Hunt for AnonymizingProxy {
    fn id(&self) -> &'static str {
        "anonymizing-proxy"
    }

    fn title(&self) -> &'static str {
        "Sign-in through an anonymizing proxy"
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn description(&self) -> &'static str {
        "Sign-in attempts (user.session.start, user.authentication.*) came from an address Okta flags \
         as an anonymizing proxy (securityContext.isProxy: Tor, open proxies, commercial VPN \
         services). Employees rarely sign in through these; attackers using stolen credentials \
         often do. Medium when an attempt succeeded, low when all failed. One finding per user and \
         proxy IP. Check whether the user knows the address, what the session did next, and whether \
         the same proxy tried other users. Okta's proxy flag comes from its own IP reputation data \
         and misses private or residential proxies; its absence proves nothing."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let events = common::facts(ctx, ATTEMPTS)?;
        let mut groups: BTreeMap<(&str, Ipv6Addr), Vec<&Facts>> = BTreeMap::new();
        for f in &events {
            if let (Some(who), Some(ip)) = (f.who(), f.ip) {
                if !common::noise(ctx, f) {
                    groups.entry((who, ip)).or_default().push(f);
                }
            }
        }
        let mut out = Vec::new();
        for ((user, _), attempts) in groups {
            let succeeded = attempts.iter().filter(|f| f.succeeded()).count();
            let (severity, how) = if succeeded > 0 {
                (
                    Severity::Medium,
                    format!("{succeeded} of {} succeeded", attempts.len()),
                )
            } else {
                (Severity::Low, format!("all {} failed", attempts.len()))
            };
            let first = attempts.first().map_or(0, |f| f.published_ms);
            let last = attempts.last().map_or(0, |f| f.published_ms);
            let from = attempts
                .first()
                .map(|f| common::place(f))
                .unwrap_or_default();
            let org = attempts
                .iter()
                .find_map(|f| f.as_org.as_deref())
                .map(|o| format!(", {o}"))
                .unwrap_or_default();
            let summary = format!(
                "{user} signed in through anonymizing proxy {from}{org} between {} and {}: {how}",
                common::clock(first),
                common::clock(last)
            );
            let title = format!("{user} through an anonymizing proxy");
            out.push(finding_from(
                self,
                severity,
                title,
                summary,
                Some(user.to_string()),
                Vec::new(),
                &attempts,
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

    #[test]
    fn grouped_per_user_and_ip_with_failures_only_low() {
        let idx = TestIndex::from_events(&[
            Ev::new("p1", at(4, 0, 0), "user.authentication.verify")
                .user("a@acme.com", "A")
                .origin(&BUCHAREST)
                .proxy(),
            Ev::new("p2", at(4, 0, 5), "user.session.start")
                .user("a@acme.com", "A")
                .origin(&BUCHAREST)
                .proxy(),
            Ev::new("p3", at(5, 0, 0), "user.session.start")
                .user("b@acme.com", "B")
                .origin(&BUCHAREST)
                .proxy()
                .failed(),
            Ev::new("n1", at(5, 0, 0), "user.session.start")
                .user("c@acme.com", "C")
                .origin(&BUCHAREST),
        ]);
        let found = idx.run(&AnonymizingProxy, &HuntConfig::default());
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.actor.as_deref(), f.severity, uuids(f)))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("a@acme.com"), Severity::Medium, vec!["p1", "p2"]),
                (Some("b@acme.com"), Severity::Low, vec!["p3"])
            ]
        );
    }
}
