//! Password resets: who reset whose password, from where, and whether the
//! user then signed in from somewhere new (the classic takeover).

use super::common::{self, day_of, is_okta_system, is_support_signature, when};
use super::followup::{self, Histories};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct PasswordReset;

impl Hunt for PasswordReset {
    fn id(&self) -> &'static str {
        "password-reset"
    }

    fn title(&self) -> &'static str {
        "Password reset"
    }

    fn severity(&self) -> Severity {
        Severity::Low
    }

    fn description(&self) -> &'static str {
        "Password resets (user.account.reset_password), one finding per actor, user and day. A helpdesk or admin reset \
         and a user's own reset are routine (low); a reset by an Okta job is info; a self-service reset from an IP the \
         user never used before is medium (someone else may hold the recovery email or phone); a reset made by Okta \
         Support (system@okta.com, transaction \"unknown\") or followed within reset_followup_hours by a successful \
         sign-in of the user from an IP new for them is high: check that sign-in's session, device and what it did \
         next. Okta logs that an admin reset the password, not why: confirm with the helpdesk ticket. A reset made \
         with an API token is logged as the token creator's action (look for transaction.detail.requestApiTokenId)."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let resets = ctx.facts("type:user.account.reset_password")?;
        let mut groups: BTreeMap<(String, String, i64), Vec<&Facts>> = BTreeMap::new();
        for f in resets.iter().filter(|f| !f.failed()) {
            let actor = f.who().unwrap_or("unknown").to_string();
            groups
                .entry((actor, common::subject(f), day_of(f.published_ms)))
                .or_default()
                .push(f);
        }
        let mut histories = Histories::new(ctx);
        let mut findings = Vec::new();
        for ((actor, user, _), events) in groups {
            let mut severity = Severity::Info;
            let mut notes: Vec<String> = Vec::new();
            for f in &events {
                let (level, note) = if is_support_signature(f) {
                    (Severity::High, Some(common::SUPPORT_NOTE.to_string()))
                } else if is_okta_system(f) {
                    (Severity::Info, Some("by an Okta job".to_string()))
                } else if actor == user {
                    match f.ip {
                        Some(ip) if histories.is_new_ip(&user, ip, f.published_ms)? => (
                            Severity::Medium,
                            Some(format!("self-service from new IP {}", common::place(f))),
                        ),
                        _ => (Severity::Low, None),
                    }
                } else {
                    (Severity::Low, None)
                };
                severity = severity.max(level);
                notes.extend(note);
            }
            let sign_ins = histories.after_resets(&user, &events)?;
            if !sign_ins.is_empty() {
                severity = Severity::High;
            }
            let first = events.first().copied();
            let from = first
                .filter(|f| f.ip.is_some())
                .map(|f| format!("from {} ", common::place(f)))
                .unwrap_or_default();
            let at = first.map(|f| when(f.published_ms)).unwrap_or_default();
            let times = if events.len() > 1 {
                format!("{} times, first ", events.len())
            } else {
                String::new()
            };
            let who_did = if actor == user {
                format!("{user} reset their own password")
            } else {
                format!("{actor} reset the password of {user}")
            };
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", common::distinct(notes).join("; "))
            };
            let summary = format!(
                "{who_did} {times}{from}at {at}{notes}{}.",
                followup::describe(&user, &sign_ins)
            );
            let evidence = followup::evidence(&events, &sign_ins);
            findings.push(finding_from(
                self,
                severity,
                format!("Password of {user} reset by {actor}"),
                summary,
                Some(actor),
                vec![user],
                &evidence,
            ));
        }
        Ok(findings)
    }
}
