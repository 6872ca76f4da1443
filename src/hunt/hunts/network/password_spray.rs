//! One IP failing sign-ins for many different users in a short time.

use super::common::{self, MINUTE_MS, SIGN_INS};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv6Addr;

pub struct PasswordSpray;

impl Hunt for PasswordSpray {
    fn id(&self) -> &'static str {
        "password-spray"
    }

    fn title(&self) -> &'static str {
        "Password spray from one IP"
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn description(&self) -> &'static str {
        "One IP address failed sign-ins (user.session.start or user.authentication.* with outcome \
         FAILURE) for many different users within a short window: someone is trying a few common \
         passwords against many accounts. The finding is critical when one of those users then signs \
         in successfully from the same IP, which means a password was guessed. Check who owns the IP \
         (ASN, proxy flag, ThreatInsight's security.threat.detected events), whether any targeted user \
         has a session from it, and reset the passwords of users it got into. Addresses of app SSO \
         servers and token-granting service users are ignored. Okta logs only attempts that reach it: \
         a spray blocked earlier by ThreatInsight or a network zone may appear only as \
         security.threat.detected, and failures against usernames that do not exist carry the typed \
         name as the actor."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let window = ctx.config.spray_window_minutes.max(1) * MINUTE_MS;
        let failures = common::facts(ctx, &format!("({SIGN_INS}) AND outcome:FAILURE"))?;
        let mut by_ip: BTreeMap<Ipv6Addr, Vec<&Facts>> = BTreeMap::new();
        for f in &failures {
            if let (Some(ip), Some(_)) = (f.ip, f.who()) {
                if !common::noise(ctx, f) {
                    by_ip.entry(ip).or_default().push(f);
                }
            }
        }
        let mut out = Vec::new();
        for (ip, events) in by_ip {
            for burst in common::bursts(events, |f| f.published_ms, window) {
                let users =
                    common::max_distinct_in_window(&burst, |f| f.published_ms, |f| f.who(), window);
                if users >= ctx.config.spray_min_users.max(1) {
                    out.push(self.finding(ctx, ip, burst, window)?);
                }
            }
        }
        Ok(out)
    }
}

impl PasswordSpray {
    fn finding(
        &self,
        ctx: &HuntContext,
        ip: Ipv6Addr,
        burst: Vec<&Facts>,
        window: i64,
    ) -> tantivy::Result<Finding> {
        let first = burst.first().map_or(0, |f| f.published_ms);
        let last = burst.last().map_or(0, |f| f.published_ms);
        let users: BTreeSet<String> = burst
            .iter()
            .filter_map(|f| f.who())
            .map(str::to_string)
            .collect();
        // A targeted user signing in from the spraying IP afterwards: a guess hit.
        let successes =
            common::facts_from_ip(ctx, ip, "type:user.session.start AND outcome:SUCCESS")?;
        let hits: Vec<&Facts> = successes
            .iter()
            .filter(|s| s.published_ms > first && s.published_ms <= last + window)
            .filter(|s| s.who().is_some_and(|w| users.contains(w)))
            .collect();
        let from = burst.first().map(|f| common::place(f)).unwrap_or_default();
        let names: Vec<String> = users.iter().cloned().collect();
        let mut summary = format!(
            "{from} failed sign-ins for {} users within {} ({}): {}",
            users.len(),
            common::duration(last - first),
            common::clock(first),
            common::list(&names, 5)
        );
        let severity = if hits.is_empty() {
            Severity::High
        } else {
            let won: BTreeSet<&str> = hits.iter().filter_map(|h| h.who()).collect();
            summary.push_str(&format!(
                "; then signed in as {}",
                won.into_iter().collect::<Vec<_>>().join(", ")
            ));
            Severity::Critical
        };
        let mut evidence = burst;
        evidence.extend(hits);
        evidence.sort_by_key(|f| f.published_ms);
        let ip_text = crate::index::document::display_ip(ip);
        Ok(finding_from(
            self,
            severity,
            format!("Password spray from {ip_text}"),
            summary,
            None,
            names,
            &evidence,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::HuntConfig;
    use crate::hunt::correlate::testkit::*;

    fn fail(uuid: &str, user: &str, m: u32, p: &Place) -> Ev {
        Ev::new(uuid, at(3, m, 0), "user.session.start")
            .user(user, "")
            .origin(p)
            .failed()
    }

    #[test]
    fn many_users_from_one_ip_then_a_hit_is_critical() {
        let config = HuntConfig {
            spray_min_users: 3,
            ..HuntConfig::default()
        };
        let idx = TestIndex::from_events(&[
            fail("s1", "a@acme.com", 0, &BUCHAREST),
            fail("s2", "b@acme.com", 1, &BUCHAREST),
            fail("s3", "c@acme.com", 2, &BUCHAREST),
            Ev::new("s4", at(3, 5, 0), "user.session.start")
                .user("b@acme.com", "B")
                .origin(&BUCHAREST),
            // Two users from another IP: below the threshold.
            fail("m1", "a@acme.com", 0, &SAN_FRANCISCO),
            fail("m2", "b@acme.com", 1, &SAN_FRANCISCO),
        ]);
        let found = idx.run(&PasswordSpray, &config);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, Severity::Critical);
        assert_eq!(uuids(&found[0]), ["s1", "s2", "s3", "s4"]);
        assert_eq!(found[0].targets, ["a@acme.com", "b@acme.com", "c@acme.com"]);
    }
}
