//! MFA resets and removals: a factor reset lets whoever holds the password
//! enroll their own factor, so the sign-ins after it matter most.

use super::common::{self, day_of, is_okta_system, is_support_signature, when};
use super::followup::{self, Histories};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::{BTreeMap, BTreeSet};

pub struct MfaReset;

const QUERY: &str = "type:(user.mfa.factor.deactivate OR user.mfa.factor.reset_all OR user.mfa.factor.suspend OR \
     user.mfa.attempt_bypass OR system.mfa.factor.deactivate OR user.mfa.factor.update)";

/// Whether a `user.mfa.factor.update` removed or reset a factor (updates
/// also log ordinary changes such as a new phone number).
fn update_removes(ctx: &HuntContext, f: &Facts) -> bool {
    ctx.original(f).is_some_and(|o| {
        let text = common::wording(&o);
        ["deactivat", "reset", "remov", "delet", "suspend"]
            .iter()
            .any(|w| text.contains(w))
    })
}

impl Hunt for MfaReset {
    fn id(&self) -> &'static str {
        "mfa-reset"
    }

    fn title(&self) -> &'static str {
        "MFA factor reset or removed"
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn description(&self) -> &'static str {
        "MFA factors deactivated, reset, suspended or bypassed (user.mfa.factor.deactivate/reset_all/suspend, \
         user.mfa.attempt_bypass, system.mfa.factor.deactivate, and factor updates that remove one), one finding per \
         actor, user and day. A helpdesk reset of one user's factors is routine (low; info when an Okta job did it); \
         a bypass attempt, or one actor resetting the factors of three or more users in a day, is medium; a reset made \
         by Okta Support (system@okta.com, transaction \"unknown\"; see support-reset) or followed within \
         reset_followup_hours by a successful sign-in of the user from an IP new for them is high: the new factor may \
         be the attacker's, so check which factor was enrolled next (user.mfa.factor.activate) and from where. Okta \
         does not log the reason for a reset; a reset made with an API token is logged as the token creator's action."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let all = ctx.facts(QUERY)?;
        let events: Vec<&Facts> = all
            .iter()
            .filter(|f| f.event_type == "user.mfa.attempt_bypass" || !f.failed())
            .filter(|f| f.event_type != "user.mfa.factor.update" || update_removes(ctx, f))
            .collect();
        let mut groups: BTreeMap<(String, String, i64), Vec<&Facts>> = BTreeMap::new();
        let mut per_actor_day: BTreeMap<(String, i64), BTreeSet<String>> = BTreeMap::new();
        for f in events {
            let actor = f.who().unwrap_or("unknown").to_string();
            let (user, day) = (common::subject(f), day_of(f.published_ms));
            if !is_okta_system(f) {
                per_actor_day
                    .entry((actor.clone(), day))
                    .or_default()
                    .insert(user.clone());
            }
            groups.entry((actor, user, day)).or_default().push(f);
        }
        let mut histories = Histories::new(ctx);
        let mut findings = Vec::new();
        for ((actor, user, day), events) in groups {
            let mut severity = Severity::Info;
            let mut notes: Vec<String> = Vec::new();
            for f in &events {
                let level = if is_support_signature(f) {
                    notes.push(common::SUPPORT_NOTE.into());
                    Severity::High
                } else if f.event_type == "user.mfa.attempt_bypass" {
                    Severity::Medium
                } else if is_okta_system(f) {
                    Severity::Info
                } else {
                    Severity::Low
                };
                severity = severity.max(level);
            }
            let users_that_day = per_actor_day
                .get(&(actor.clone(), day))
                .map_or(0, BTreeSet::len);
            if users_that_day >= ctx.config.mass_reset_users {
                severity = severity.max(Severity::Medium);
                notes.push(format!(
                    "one of {users_that_day} users whose factors {actor} reset that day"
                ));
            }
            let sign_ins = histories.after_resets(&user, &events)?;
            if !sign_ins.is_empty() {
                severity = Severity::High;
            }
            let first = events.first().copied();
            let from = first
                .filter(|f| f.ip.is_some())
                .map(|f| format!(" from {}", common::place(f)))
                .unwrap_or_default();
            let at = first.map(|f| when(f.published_ms)).unwrap_or_default();
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", common::distinct(notes).join("; "))
            };
            let whose = if actor == user {
                "their own".to_string()
            } else {
                format!("{user}'s")
            };
            let verb = if events
                .iter()
                .all(|f| f.event_type == "user.mfa.attempt_bypass")
            {
                format!("tried to bypass {whose} MFA")
            } else {
                format!("reset or removed {whose} MFA factors")
            };
            let summary = format!(
                "{actor} {verb} [{}]{from} at {at}{notes}{}.",
                common::type_counts(events.iter().copied(), 4),
                followup::describe(&user, &sign_ins)
            );
            let evidence = followup::evidence(&events, &sign_ins);
            findings.push(finding_from(
                self,
                severity,
                format!("MFA of {user} reset by {actor}"),
                summary,
                Some(actor),
                vec![user],
                &evidence,
            ));
        }
        Ok(findings)
    }
}
