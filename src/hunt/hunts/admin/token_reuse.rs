//! Refresh token reuse: Okta rotates refresh tokens, so an old one coming
//! back means two parties hold the same token.

use super::common::{self, date, day_of};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct TokenReuse;

impl Hunt for TokenReuse {
    fn id(&self) -> &'static str {
        "token-reuse"
    }

    fn title(&self) -> &'static str {
        "OAuth token reuse detected"
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn description(&self) -> &'static str {
        "Okta detected an OAuth refresh token used again after it was rotated (app.oauth2.token.detect_reuse, \
         app.oauth2.as.token.detect_reuse and other *.token.detect_reuse), one finding per user and day. With \
         rotation, a reused token means someone else holds a copy: malware on the device, a leaked backup, or a proxy. \
         Okta revokes the token family; check the IPs and clients on these events against the user's own, and the \
         user's other tokens and sessions. Okta does not log which of the two holders was the legitimate one."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let all = ctx.facts("type:*.token.detect_reuse")?;
        let mut groups: BTreeMap<(String, i64), Vec<&Facts>> = BTreeMap::new();
        for f in &all {
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
            let apps = common::distinct(events.iter().filter_map(|f| f.target_app.clone()));
            let for_apps = if apps.is_empty() {
                String::new()
            } else {
                format!(" for {}", common::list(&apps, 3))
            };
            let summary = format!(
                "Okta saw a rotated OAuth token of {user}{for_apps} used again {} time(s) on {} from {}: someone else \
                 holds a copy of it.",
                events.len(),
                date(first.published_ms),
                common::list(&common::ips_of(events.iter().copied()), 3)
            );
            findings.push(finding_from(
                self,
                Severity::High,
                format!("OAuth token reuse: {user}"),
                summary,
                first.who().map(str::to_string),
                vec![user],
                &events,
            ));
        }
        Ok(findings)
    }
}
