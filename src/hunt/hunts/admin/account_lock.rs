//! Account lockouts: one is a forgotten password; many users at once is a
//! spray or brute force tripping the lockout policy.

use super::common::{self, MINUTE_MS, date, day_of, when};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::{BTreeMap, BTreeSet};

pub struct AccountLock;

/// Which locks belong to a burst: some window of `window_ms` starting at
/// them or before holds at least `burst_users` distinct users.
fn in_burst(locks: &[&Facts], window_ms: i64, burst_users: usize) -> Vec<bool> {
    let mut marked = vec![false; locks.len()];
    let mut end = 0;
    for start in 0..locks.len() {
        end = end.max(start);
        while end + 1 < locks.len()
            && locks[end + 1].published_ms - locks[start].published_ms <= window_ms
        {
            end += 1;
        }
        let users: BTreeSet<String> = locks[start..=end]
            .iter()
            .map(|f| common::subject(f))
            .collect();
        if users.len() >= burst_users {
            marked[start..=end].iter_mut().for_each(|m| *m = true);
        }
    }
    marked
}

impl Hunt for AccountLock {
    fn id(&self) -> &'static str {
        "account-lock"
    }

    fn title(&self) -> &'static str {
        "Account locked out"
    }

    fn severity(&self) -> Severity {
        Severity::Low
    }

    fn description(&self) -> &'static str {
        "Accounts locked after too many failed sign-ins (user.account.lock). One lockout is usually a forgotten \
         password (low, one finding per user and day); five or more users locked within spray_window_minutes is \
         medium: a password spray or brute force is hitting the lockout policy, so look at the failed sign-ins just \
         before (their IPs, user agents) and at any success from the same IPs. Okta logs the lock, not the password \
         tried; a lockout that spares an account does not mean its password held."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let all = ctx.facts("type:user.account.lock")?;
        let locks: Vec<&Facts> = all.iter().collect();
        let window_ms = ctx.config.spray_window_minutes.saturating_mul(MINUTE_MS);
        let marked = in_burst(&locks, window_ms, ctx.config.lock_burst_users);
        let mut findings = Vec::new();
        // Bursts: consecutive marked locks, split where the gap exceeds the window.
        let mut burst: Vec<&Facts> = Vec::new();
        let mut single: BTreeMap<(String, i64), Vec<&Facts>> = BTreeMap::new();
        for (f, m) in locks.iter().zip(&marked) {
            if *m {
                if burst
                    .last()
                    .is_some_and(|l| f.published_ms - l.published_ms > window_ms)
                {
                    findings.push(self.burst_finding(&std::mem::take(&mut burst)));
                }
                burst.push(f);
            } else {
                single
                    .entry((common::subject(f), day_of(f.published_ms)))
                    .or_default()
                    .push(f);
            }
        }
        if !burst.is_empty() {
            findings.push(self.burst_finding(&burst));
        }
        for ((user, _), events) in single {
            let Some(first) = events.first() else {
                continue;
            };
            let summary = format!(
                "{user} was locked out {} time(s) on {}, first at {} after failed sign-ins from {}.",
                events.len(),
                date(first.published_ms),
                when(first.published_ms),
                common::list(&common::ips_of(events.iter().copied()), 3)
            );
            let title = format!("Account locked: {user}");
            findings.push(finding_from(
                self,
                Severity::Low,
                title,
                summary,
                Some(user.clone()),
                vec![user],
                &events,
            ));
        }
        Ok(findings)
    }
}

impl AccountLock {
    fn burst_finding(&self, locks: &[&Facts]) -> Finding {
        let users = common::distinct(locks.iter().map(|f| common::subject(f)));
        let first = locks.first().map_or(0, |f| f.published_ms);
        let last = locks.last().map_or(0, |f| f.published_ms);
        let summary = format!(
            "{} users were locked out within {} minutes from {} ({}), from {}: a password spray or brute force is \
             tripping the lockout policy.",
            users.len(),
            ((last - first + MINUTE_MS - 1) / MINUTE_MS).max(1),
            when(first),
            common::list(&users, 5),
            common::list(&common::ips_of(locks.iter().copied()), 3)
        );
        let title = format!("{} accounts locked out at once", users.len());
        finding_from(self, Severity::Medium, title, summary, None, users, locks)
    }
}
