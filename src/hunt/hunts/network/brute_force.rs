//! One user failing sign-ins from many IPs, or many times, in a short time.

use super::common::{self, MINUTE_MS, SIGN_INS};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::Ipv6Addr;

/// One failed attempt often logs two events (user.authentication.verify and
/// user.session.start) a moment apart: same user and IP within this many
/// milliseconds count once.
const SAME_ATTEMPT_MS: i64 = 3_000;

pub struct BruteForce;

impl Hunt for BruteForce {
    fn id(&self) -> &'static str {
        "brute-force"
    }

    fn title(&self) -> &'static str {
        "Brute force against one user"
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn description(&self) -> &'static str {
        "One user's sign-ins failed from many IP addresses, or many times, within a short window: \
         someone is guessing that user's password (or replaying a leaked one from a botnet). It is \
         high severity when a successful sign-in for the same user follows from one of those IPs: the \
         guess worked. Check the user's sessions and MFA events after the success, whether the \
         account was locked (user.account.lock), and reset the password. A user mistyping a few times \
         from home stays below the thresholds; addresses of app SSO servers and token-granting \
         service users are ignored. Okta logs the username as typed for unknown users, and does not \
         log attempts stopped by ThreatInsight or a blocklist zone before authentication."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let window = ctx.config.brute_force_window_minutes.max(1) * MINUTE_MS;
        let failures = common::facts(ctx, &format!("({SIGN_INS}) AND outcome:FAILURE"))?;
        let mut by_user: BTreeMap<&str, Vec<&Facts>> = BTreeMap::new();
        for f in &failures {
            if let (Some(who), Some(_)) = (f.who(), f.ip) {
                if !common::noise(ctx, f) {
                    by_user.entry(who).or_default().push(f);
                }
            }
        }
        let mut out = Vec::new();
        for (user, events) in by_user {
            for burst in common::bursts(events, |f| f.published_ms, window) {
                let attempts = attempts(&burst);
                let ips =
                    common::max_distinct_in_window(&burst, |f| f.published_ms, |f| f.ip, window);
                let tries = common::max_distinct_in_window(
                    &burst,
                    |f| f.published_ms,
                    |f| attempts.get(&f.uuid).copied(),
                    window,
                );
                if ips >= ctx.config.brute_force_min_ips.max(1)
                    || tries >= ctx.config.brute_force_min_failures.max(1)
                {
                    out.push(self.finding(ctx, user, burst, window)?);
                }
            }
        }
        Ok(out)
    }
}

/// Each event's attempt number (events of one attempt share it).
fn attempts(burst: &[&Facts]) -> HashMap<String, usize> {
    let mut last: HashMap<Option<Ipv6Addr>, (i64, usize)> = HashMap::new();
    let mut out = HashMap::new();
    let mut next = 0;
    for f in burst {
        let n = match last.get(&f.ip) {
            Some((t, n)) if f.published_ms - t <= SAME_ATTEMPT_MS => *n,
            _ => {
                next += 1;
                next
            }
        };
        last.insert(f.ip, (f.published_ms, n));
        out.insert(f.uuid.clone(), n);
    }
    out
}

impl BruteForce {
    fn finding(
        &self,
        ctx: &HuntContext,
        user: &str,
        burst: Vec<&Facts>,
        window: i64,
    ) -> tantivy::Result<Finding> {
        let first = burst.first().map_or(0, |f| f.published_ms);
        let last = burst.last().map_or(0, |f| f.published_ms);
        let ips: BTreeSet<Ipv6Addr> = burst.iter().filter_map(|f| f.ip).collect();
        let successes = common::facts_where(
            ctx,
            ctx.fields.actor,
            user,
            "type:user.session.start AND outcome:SUCCESS",
        )?;
        let hit = successes.iter().find(|s| {
            s.published_ms > first
                && s.published_ms <= last + window
                && s.ip.is_some_and(|ip| ips.contains(&ip))
        });
        let mut places: Vec<String> = Vec::new();
        for f in &burst {
            let p = common::place(f);
            if !places.contains(&p) {
                places.push(p);
            }
        }
        let mut summary = format!(
            "{} failed sign-ins for {user} from {} IP(s) within {} ({}): {}",
            attempts(&burst).values().collect::<BTreeSet<_>>().len(),
            ips.len(),
            common::duration(last - first),
            common::clock(first),
            common::list(&places, 3)
        );
        let mut evidence = burst;
        let severity = match hit {
            Some(h) => {
                summary.push_str(&format!(
                    "; then a successful sign-in from {}",
                    common::place(h)
                ));
                evidence.push(h);
                Severity::High
            }
            None => Severity::Medium,
        };
        let title = format!("Brute force against {user}");
        Ok(finding_from(
            self,
            severity,
            title,
            summary,
            Some(user.to_string()),
            Vec::new(),
            &evidence,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::HuntConfig;
    use crate::hunt::correlate::testkit::*;

    #[test]
    fn double_logged_attempts_count_once() {
        let config = HuntConfig {
            brute_force_min_failures: 3,
            ..HuntConfig::default()
        };
        let mut events = Vec::new();
        for (i, m) in [0u32, 1].into_iter().enumerate() {
            for (kind, s) in [("user.authentication.verify", 0), ("user.session.start", 1)] {
                events.push(
                    Ev::new(&format!("m{i}{s}"), at(3, m, s), kind)
                        .user("a@acme.com", "A")
                        .origin(&BUCHAREST)
                        .failed(),
                );
            }
        }
        let idx = TestIndex::from_events(&events);
        assert!(
            idx.run(&BruteForce, &config).is_empty(),
            "two attempts, four events"
        );
        events.push(
            Ev::new("f3", at(3, 2, 0), "user.session.start")
                .user("a@acme.com", "A")
                .origin(&BUCHAREST)
                .failed(),
        );
        events.push(
            Ev::new("ok", at(3, 4, 0), "user.session.start")
                .user("a@acme.com", "A")
                .origin(&BUCHAREST),
        );
        let found = TestIndex::from_events(&events).run(&BruteForce, &config);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert_eq!(uuids(&found[0]), ["m00", "m01", "m10", "m11", "f3", "ok"]);
    }
}
