//! Password and MFA resets done by Okta Support: logged as system@okta.com
//! with transaction id "unknown", no user agent and no country. Okta's
//! scheduled jobs share the actor but carry a real transaction id.

use super::common::{self, DAY_MS, day_of, is_support_signature, when};
use super::followup::{self, Histories};
use super::support_access::support_windows;
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct SupportReset;

/// Credential resets Okta Support can make.
pub const RESET_TYPES: &str = "(user.account.reset_password OR user.account.update_password OR \
     user.mfa.factor.deactivate OR user.mfa.factor.reset_all OR user.mfa.factor.suspend OR \
     user.mfa.factor.update OR system.mfa.factor.deactivate)";

impl Hunt for SupportReset {
    fn id(&self) -> &'static str {
        "support-reset"
    }

    fn title(&self) -> &'static str {
        "Credential reset by Okta Support"
    }

    fn severity(&self) -> Severity {
        Severity::Critical
    }

    fn description(&self) -> &'static str {
        "A password or MFA reset logged with actor system@okta.com, transaction id \"unknown\", no user agent and no \
         country is how Okta logs a reset made by Okta Support staff (the LAPSUS$ path: a reset lets whoever holds the \
         support session sign in as the user). Inside a support window granted in these logs it is high; with no \
         covering window, or when the user then signs in from an IP never seen for them within reset_followup_hours, it \
         is critical. Ask who opened the support case and whether the user asked for the reset; review the user's \
         sessions after the reset. Okta does not log which support engineer acted, nor what they viewed."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let resets = ctx.facts(&format!(
            "actor:system@okta.com AND txn:unknown AND type:{RESET_TYPES}"
        ))?;
        let resets: Vec<&Facts> = resets.iter().filter(|f| is_support_signature(f)).collect();
        if resets.is_empty() {
            return Ok(Vec::new());
        }
        let windows = support_windows(ctx)?;
        let mut histories = Histories::new(ctx);
        // One finding per user and day.
        let mut groups: BTreeMap<(String, i64), Vec<&Facts>> = BTreeMap::new();
        for f in resets {
            groups
                .entry((common::subject(f), day_of(f.published_ms)))
                .or_default()
                .push(f);
        }
        let mut findings = Vec::new();
        for ((user, _), events) in groups {
            let first = events.first().map_or(0, |f| f.published_ms);
            let last = events.last().map_or(0, |f| f.published_ms);
            let uncovered = events
                .iter()
                .filter(|f| !windows.iter().any(|w| w.covers(f.published_ms)))
                .count();
            let sign_ins = histories.new_ip_sign_ins(&user, first)?;
            let severity = if uncovered > 0 || !sign_ins.is_empty() {
                Severity::Critical
            } else {
                Severity::High
            };
            let window = match windows.iter().find(|w| w.covers(first)) {
                Some(w) if uncovered == 0 => match w.granter() {
                    Some(g) => format!("inside the support window granted by {g}"),
                    None => "inside a support window with no grant in these logs".to_string(),
                },
                _ => "with no Okta Support window covering it".to_string(),
            };
            let span = if last - first < DAY_MS && last != first {
                format!("between {} and {}", when(first), common::hhmm(last))
            } else {
                format!("at {}", when(first))
            };
            let summary = format!(
                "Okta Support (system@okta.com, transaction \"unknown\", no user agent or country) made {} for {user} {span}, \
                 {window}{}.",
                common::type_counts(events.iter().copied(), 4),
                followup::describe(&user, &sign_ins)
            );
            let evidence = followup::evidence(&events, &sign_ins);
            findings.push(finding_from(
                self,
                severity,
                format!("Okta Support reset credentials of {user}"),
                summary,
                Some(common::OKTA_SYSTEM.to_string()),
                vec![user],
                &evidence,
            ));
        }
        Ok(findings)
    }
}
