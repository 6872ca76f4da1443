//! Push bombing: many denied or failed Okta Verify pushes for one user in a
//! few minutes, hoping the user taps "approve" to make it stop.

use super::common::{self, MINUTE_MS};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv6Addr;

/// A denied push can log both user.mfa.okta_verify.deny_push and a failed
/// user.authentication.auth_via_mfa: within this many ms they are one push.
const SAME_PUSH_MS: i64 = 5_000;
const DENIED: &str = "type:user.mfa.okta_verify.deny_push OR \
     (type:user.authentication.auth_via_mfa AND outcome:FAILURE)";
const SUCCESS: &str =
    "(type:user.authentication.auth_via_mfa OR type:user.session.start) AND outcome:SUCCESS";

pub struct MfaFatigue;

impl Hunt for MfaFatigue {
    fn id(&self) -> &'static str {
        "mfa-fatigue"
    }

    fn title(&self) -> &'static str {
        "MFA fatigue (push bombing)"
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn description(&self) -> &'static str {
        "Many Okta Verify pushes for one user were denied or failed within a few minutes \
         (user.mfa.okta_verify.deny_push, or user.authentication.auth_via_mfa failing with a push \
         factor): someone who knows the password keeps sending pushes hoping the user approves one. \
         Critical when a successful MFA or sign-in for that user follows from the same address: the \
         user gave in. Ask the user, end their sessions, reset the password (it is known), and look \
         at what the new session did. Okta logs the push sent (system.push.send_factor_verify_push) \
         and the denial, but a push the user simply ignored leaves no denial, so a patient attacker \
         may show fewer denials than pushes."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let window = ctx.config.mfa_fatigue_window_minutes.max(1) * MINUTE_MS;
        let events = common::facts(ctx, DENIED)?;
        let mut by_user: BTreeMap<&str, Vec<&Facts>> = BTreeMap::new();
        for f in &events {
            if let Some(who) = f.who() {
                if is_push(ctx, f) {
                    by_user.entry(who).or_default().push(f);
                }
            }
        }
        let mut out = Vec::new();
        for (user, denials) in by_user {
            let pushes = pushes(denials);
            for burst in common::bursts(pushes, |p| p[0].published_ms, window) {
                let most = most_in_window(&burst, window);
                if most >= ctx.config.mfa_fatigue_pushes.max(1) {
                    out.push(self.finding(ctx, user, &burst, window)?);
                }
            }
        }
        Ok(out)
    }
}

/// Whether a denial was for a push: a deny_push always is; a failed MFA
/// says so in its credential type or reason, else in debugData.factor
/// (read from the stored event, only for these few candidates).
fn is_push(ctx: &HuntContext, f: &Facts) -> bool {
    if f.event_type == "user.mfa.okta_verify.deny_push" {
        return true;
    }
    let says_push = |s: &str| s.to_ascii_lowercase().contains("push");
    if f.credential.as_deref().is_some_and(says_push) || f.reason.as_deref().is_some_and(says_push)
    {
        return true;
    }
    ctx.original(f)
        .and_then(|o| {
            o.pointer("/debugContext/debugData/factor")
                .and_then(|v| v.as_str().map(says_push))
        })
        .unwrap_or(false)
}

/// Group a user's denial events into pushes (one or two events each).
fn pushes(denials: Vec<&Facts>) -> Vec<Vec<&Facts>> {
    let mut out: Vec<Vec<&Facts>> = Vec::new();
    for f in denials {
        match out.last_mut() {
            Some(p)
                if p.len() == 1
                    && p[0].event_type != f.event_type
                    && f.published_ms - p[0].published_ms <= SAME_PUSH_MS =>
            {
                p.push(f)
            }
            _ => out.push(vec![f]),
        }
    }
    out
}

fn most_in_window(pushes: &[Vec<&Facts>], window: i64) -> usize {
    let mut best = 0;
    let mut start = 0;
    for (i, p) in pushes.iter().enumerate() {
        while p[0].published_ms - pushes[start][0].published_ms > window {
            start += 1;
        }
        best = best.max(i + 1 - start);
    }
    best
}

impl MfaFatigue {
    fn finding(
        &self,
        ctx: &HuntContext,
        user: &str,
        burst: &[Vec<&Facts>],
        window: i64,
    ) -> tantivy::Result<Finding> {
        let mut evidence: Vec<&Facts> = burst.iter().flatten().copied().collect();
        let first = evidence.first().map_or(0, |f| f.published_ms);
        let last = evidence.last().map_or(0, |f| f.published_ms);
        let ips: BTreeSet<Ipv6Addr> = evidence.iter().filter_map(|f| f.ip).collect();
        let successes = common::facts_where(ctx, ctx.fields.actor, user, SUCCESS)?;
        let gave_in: Vec<&Facts> = successes
            .iter()
            .filter(|s| s.published_ms >= last && s.published_ms <= last + window)
            .filter(|s| ips.is_empty() || s.ip.is_some_and(|ip| ips.contains(&ip)))
            .collect();
        let from = evidence
            .first()
            .map(|f| common::place(f))
            .unwrap_or_default();
        let mut summary = format!(
            "{} Okta Verify pushes for {user} denied or failed within {} ({}), requested from {from}",
            burst.len(),
            common::duration(last - first),
            common::clock(first)
        );
        let severity = if gave_in.is_empty() {
            Severity::High
        } else {
            summary.push_str("; then a push was approved and a session started");
            Severity::Critical
        };
        evidence.extend(gave_in);
        evidence.sort_by_key(|f| f.published_ms);
        let title = format!("MFA fatigue against {user}");
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

    fn deny(uuid: &str, m: u32, s: u32) -> Ev {
        Ev::new(uuid, at(7, m, s), "user.mfa.okta_verify.deny_push")
            .user("kevin@acme.com", "Kevin")
            .origin(&BUCHAREST)
            .failed()
    }

    #[test]
    fn paired_events_are_one_push_and_a_factor_in_debug_data_counts() {
        let config = HuntConfig {
            mfa_fatigue_pushes: 3,
            ..HuntConfig::default()
        };
        let mfa_fail = |uuid: &str, m: u32, s: u32| {
            Ev::new(uuid, at(7, m, s), "user.authentication.auth_via_mfa")
                .user("kevin@acme.com", "Kevin")
                .origin(&BUCHAREST)
                .outcome("FAILURE", Some("INVALID_CREDENTIALS"))
        };
        let push = |e: Ev| e.credential("OKTA_VERIFY_PUSH");
        let two = [
            deny("d1", 0, 0),
            push(mfa_fail("f1", 0, 2)),
            deny("d2", 1, 0),
            push(mfa_fail("f2", 1, 1)),
        ];
        assert!(
            TestIndex::from_events(&two)
                .run(&MfaFatigue, &config)
                .is_empty(),
            "two pushes, four events"
        );
        let mut three = two.to_vec();
        three.push(mfa_fail("f3", 2, 0).debug("factor", "OKTA_VERIFY_PUSH"));
        // A failed TOTP is not a push.
        three.push(mfa_fail("totp", 2, 30).debug("factor", "OKTA_VERIFY_TOTP"));
        let found = TestIndex::from_events(&three).run(&MfaFatigue, &config);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert_eq!(uuids(&found[0]), ["d1", "f1", "d2", "f2", "f3"]);
    }
}
