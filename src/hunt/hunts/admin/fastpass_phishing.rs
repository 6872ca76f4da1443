//! Okta FastPass refusing to sign a user in to a phishing page: the user
//! was lured to a relay (adversary-in-the-middle) site that proxied Okta.

use super::common::{self, date, day_of};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct FastpassPhishing;

/// outcome.reason Okta writes when FastPass sees the sign-in page is not Okta's.
const REASON: &str = "fastpass declined phishing attempt";

impl Hunt for FastpassPhishing {
    fn id(&self) -> &'static str {
        "fastpass-phishing"
    }

    fn title(&self) -> &'static str {
        "FastPass blocked a phishing attempt"
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn description(&self) -> &'static str {
        "Okta FastPass refused to authenticate because the sign-in page was not Okta's \
         (user.authentication.auth_via_mfa failed with reason \"FastPass declined phishing attempt\"), one finding per \
         user and day. FastPass held, but the user reached a phishing relay: find the lure (email, chat, ad) and who \
         else received it, and check whether the user's password or other factors were entered there (a later \
         sign-in from the relay's IP, or factor changes). Okta does not log the phishing site's address here."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let all = ctx.facts("type:user.authentication.auth_via_mfa AND outcome:FAILURE")?;
        let mut groups: BTreeMap<(String, i64), Vec<&Facts>> = BTreeMap::new();
        for f in all.iter().filter(|f| {
            f.reason
                .as_deref()
                .is_some_and(|r| r.to_lowercase().contains(REASON))
        }) {
            groups
                .entry((common::subject(f), day_of(f.published_ms)))
                .or_default()
                .push(f);
        }
        let mut findings = Vec::new();
        for ((user, _), events) in groups {
            let Some(first) = events.first() else {
                continue;
            };
            let summary = format!(
                "Okta FastPass declined {} sign-in(s) of {user} through a phishing page on {}, first at {} from {}.",
                events.len(),
                date(first.published_ms),
                common::hhmm(first.published_ms),
                common::list(&common::ips_of(events.iter().copied()), 3)
            );
            findings.push(finding_from(
                self,
                Severity::High,
                format!("FastPass blocked phishing of {user}"),
                summary,
                Some(user.clone()),
                vec![user],
                &events,
            ));
        }
        Ok(findings)
    }
}
