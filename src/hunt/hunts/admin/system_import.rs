//! Okta's own jobs that change who exists and who belongs where: directory
//! imports, app provisioning, lifecycle and group changes made by
//! SystemPrincipal. Mostly maintenance; imports from outside sources bring
//! users and groups in, so each day's work is summarised once.

use super::common::{self, date, day_of};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct SystemImport;

const QUERY: &str = "type:system.import.* OR (actor_type:SystemPrincipal AND \
     type:(user.lifecycle.* OR app.user_management OR group.user_membership.*))";

impl Hunt for SystemImport {
    fn id(&self) -> &'static str {
        "system-import"
    }

    fn title(&self) -> &'static str {
        "Okta imports and system changes"
    }

    fn severity(&self) -> Severity {
        Severity::Info
    }

    fn description(&self) -> &'static str {
        "What Okta itself (SystemPrincipal, system@okta.com) changed each day: directory and app imports \
         (system.import.*), app provisioning (app.user_management; the detail is in legacyEventType), user lifecycle \
         changes and group memberships made by rules or imports. One info finding per day, with the import sources, \
         their summaries and the users created or changed. Check that new users and group memberships trace back to \
         the source directory (HR, Active Directory): an intruder who controls a source or an import connector gets \
         users created here. Okta does not log which source attribute triggered a change."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let all = ctx.facts(QUERY)?;
        let mut days: BTreeMap<i64, Vec<&Facts>> = BTreeMap::new();
        for f in &all {
            days.entry(day_of(f.published_ms)).or_default().push(f);
        }
        let mut findings = Vec::new();
        for events in days.values() {
            let Some(first) = events.first() else {
                continue;
            };
            let mut parts = Vec::new();
            let imports: Vec<&Facts> = events
                .iter()
                .copied()
                .filter(|f| f.event_type.starts_with("system.import."))
                .collect();
            if !imports.is_empty() {
                let runs = imports
                    .iter()
                    .filter(|f| f.event_type == "system.import.start")
                    .count()
                    .max(1);
                let sources = common::distinct(imports.iter().filter_map(|f| f.target_app.clone()));
                let from = if sources.is_empty() {
                    String::new()
                } else {
                    format!(" from {}", common::list(&sources, 3))
                };
                // The import's own report, on its completion events (few).
                let reports = common::distinct(
                    imports
                        .iter()
                        .filter(|f| f.event_type == "system.import.complete")
                        .filter_map(|f| ctx.original(f))
                        .filter_map(|o| common::debug_value(&o, "importSummary")),
                );
                let report = match reports.last() {
                    Some(r) => format!(" (last: {r})"),
                    None => String::new(),
                };
                parts.push(format!("{runs} import run(s){from}{report}"));
            }
            let changes: Vec<&Facts> = events
                .iter()
                .copied()
                .filter(|f| !f.event_type.starts_with("system.import."))
                .collect();
            let mut changed_users = Vec::new();
            for (kind, label) in [
                ("user.lifecycle.", "users"),
                ("group.user_membership.", "memberships of"),
                ("app.user_management", "app profiles of"),
            ] {
                let of_kind: Vec<&Facts> = changes
                    .iter()
                    .copied()
                    .filter(|f| f.event_type.starts_with(kind))
                    .collect();
                if of_kind.is_empty() {
                    continue;
                }
                let users = common::distinct(of_kind.iter().filter_map(|f| f.target_user.clone()));
                changed_users.extend(users.iter().cloned());
                parts.push(format!(
                    "{} changing {label} {}",
                    common::type_counts(of_kind.iter().copied(), 3),
                    common::list(&users, 4)
                ));
            }
            let summary = format!(
                "Okta's own jobs on {}: {}.",
                date(first.published_ms),
                parts.join("; ")
            );
            let targets = common::distinct(
                imports
                    .iter()
                    .filter_map(|f| f.target_app.clone())
                    .chain(common::distinct(changed_users)),
            );
            findings.push(finding_from(
                self,
                Severity::Info,
                format!(
                    "Okta imports and system changes on {}",
                    date(first.published_ms)
                ),
                summary,
                Some(common::OKTA_SYSTEM.to_string()),
                targets,
                events,
            ));
        }
        Ok(findings)
    }
}
