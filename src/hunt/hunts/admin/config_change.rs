//! Security configuration changes: sign-on and password policies, network
//! zones, identity providers and log streams. Turning one off is how an
//! intruder opens a door or blinds the SOC.

use super::common::{self, date, day_of};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct ConfigChange;

const QUERY: &str = "type:(policy.lifecycle.* OR policy.rule.* OR zone.* OR system.idp.lifecycle.* OR \
     system.log_stream.lifecycle.*)";

/// Changes that remove a control rather than add or tune one.
fn weakens(f: &Facts) -> bool {
    let t = f.event_type.as_str();
    t.ends_with(".deactivate") || t.ends_with(".delete") || t.ends_with(".remove_blacklist")
}

/// What was changed: the display names of the event's targets.
fn objects(events: &[&Facts]) -> Vec<String> {
    common::distinct(
        events
            .iter()
            .flat_map(|f| f.target_names.iter().cloned())
            .filter(|n| !n.is_empty()),
    )
}

impl Hunt for ConfigChange {
    fn id(&self) -> &'static str {
        "config-change"
    }

    fn title(&self) -> &'static str {
        "Security configuration changed"
    }

    fn severity(&self) -> Severity {
        Severity::Low
    }

    fn description(&self) -> &'static str {
        "Changes to sign-on and other policies and their rules (policy.lifecycle.*, policy.rule.*), network zones \
         (zone.*), identity providers (system.idp.lifecycle.*) and log streams (system.log_stream.lifecycle.*), one \
         finding per actor and day. Creates and updates are low; deactivating or deleting a policy, rule, zone, \
         identity provider or log stream, or removing an IP blocklist, is medium: it can open a way in (a rule \
         without MFA, a trusted zone, a rogue IdP) or stop logs reaching the SIEM. Check the change was planned and \
         look at the rule or zone content in the Admin Console: Okta logs that it changed, not always what changed. \
         Changes made with an API token are logged as the token creator's."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let all = ctx.facts(QUERY)?;
        let mut groups: BTreeMap<(String, i64), Vec<&Facts>> = BTreeMap::new();
        for f in &all {
            groups
                .entry((
                    f.who().unwrap_or("unknown").to_string(),
                    day_of(f.published_ms),
                ))
                .or_default()
                .push(f);
        }
        let mut findings = Vec::new();
        for ((actor, _), events) in groups {
            let Some(first) = events.first() else {
                continue;
            };
            let weakening: Vec<&Facts> = events
                .iter()
                .copied()
                .filter(|f| weakens(f) && !f.failed())
                .collect();
            let severity = if weakening.is_empty() {
                Severity::Low
            } else {
                Severity::Medium
            };
            let removed = if weakening.is_empty() {
                String::new()
            } else {
                format!(
                    "; turned off or deleted: {}",
                    common::list(&objects(&weakening), 4)
                )
            };
            let failed = events.iter().filter(|f| f.failed()).count();
            let failed = if failed > 0 {
                format!(" ({failed} failed)")
            } else {
                String::new()
            };
            let from = first
                .ip
                .map(|_| format!(" from {}", common::place(first)))
                .unwrap_or_default();
            let summary = format!(
                "{actor} changed security configuration on {}{from}: {}{failed}{removed}.",
                date(first.published_ms),
                common::type_counts(events.iter().copied(), 4)
            );
            let title = if weakening.is_empty() {
                format!("Configuration changed by {actor}")
            } else {
                format!("Security control turned off by {actor}")
            };
            findings.push(finding_from(
                self,
                severity,
                title,
                summary,
                Some(actor),
                objects(&events),
                &events,
            ));
        }
        Ok(findings)
    }
}
