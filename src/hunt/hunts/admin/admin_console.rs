//! Admin Console access: routine for admins, worth a look when Okta says
//! the device and the IP are both new.

use super::common::{self, Novelty, date, day_of, when};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::{BTreeMap, HashSet};

pub struct AdminConsole;

/// Console events of one user, day and kind, with Okta's risk verdicts.
type Visits<'a> = Vec<(&'a Facts, Novelty)>;

const QUERY: &str = "type:user.session.access_admin_app OR (type:policy.evaluate_sign_on AND target_app:*Admin?Console*)";

fn is_console(f: &Facts) -> bool {
    f.event_type == "user.session.access_admin_app"
        || f.target_app
            .as_deref()
            .is_some_and(|a| a.to_lowercase().contains("admin console"))
}

impl Hunt for AdminConsole {
    fn id(&self) -> &'static str {
        "admin-console"
    }

    fn title(&self) -> &'static str {
        "Okta Admin Console access"
    }

    fn severity(&self) -> Severity {
        Severity::Info
    }

    fn description(&self) -> &'static str {
        "Who opened the Okta Admin Console (user.session.access_admin_app, and sign-on policy evaluations for it), \
         one finding per user and day. Routine access is info (low when a policy denied it). When Okta's risk engine \
         marks the access as from a new device and a new IP (debugData behaviors or logOnlySecurityData) it is medium, \
         high when the country is also new or the risk is high: check the session's sign-in, MFA and factor \
         enrollments. Reads in the Admin Console are not logged: an intruder browsing users, settings and API tokens \
         leaves no trace beyond this access, so judge the session by its changes and its origin."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let all = ctx.facts(QUERY)?;
        // Only events whose debugData says POSITIVE somewhere can be novel:
        // read the stored originals of those alone.
        let flagged: HashSet<String> = ctx
            .facts(&format!("({QUERY}) AND debug:positive"))?
            .into_iter()
            .map(|f| f.uuid)
            .collect();
        // (user, day, novel) → events with their risk verdicts.
        let mut groups: BTreeMap<(String, i64, bool), Visits> = BTreeMap::new();
        for f in all.iter().filter(|f| is_console(f)) {
            let n = match flagged.contains(&f.uuid) {
                true => ctx.original(f).map(|o| Novelty::of(&o)).unwrap_or_default(),
                false => Novelty::default(),
            };
            let user = f.who().unwrap_or("unknown").to_string();
            let novel = n.new_device && n.new_ip;
            groups
                .entry((user, day_of(f.published_ms), novel))
                .or_default()
                .push((f, n));
        }
        let mut findings = Vec::new();
        for ((user, _, novel), events) in groups {
            let facts: Vec<&Facts> = events.iter().map(|(f, _)| *f).collect();
            let Some(first) = facts.first() else { continue };
            let app = vec![
                first
                    .target_app
                    .clone()
                    .unwrap_or_else(|| "Okta Admin Console".into()),
            ];
            let ips = common::list(&common::ips_of(facts.iter().copied()), 3);
            let finding = if novel {
                let worse = events.iter().any(|(_, n)| n.high_risk || n.new_country);
                let severity = if worse {
                    Severity::High
                } else {
                    Severity::Medium
                };
                let risk = match (
                    events.iter().any(|(_, n)| n.new_country),
                    events.iter().any(|(_, n)| n.high_risk),
                ) {
                    (true, true) => ", new country, Okta risk high",
                    (true, false) => ", new country",
                    (false, true) => ", Okta risk high",
                    (false, false) => "",
                };
                let summary = format!(
                    "{user} reached the Okta Admin Console from a new device and new IP{risk} ({}) at {}; what they \
                     viewed there is not logged, only changes.",
                    common::place(first),
                    when(first.published_ms)
                );
                finding_from(
                    self,
                    severity,
                    format!("Admin Console from a new device and IP: {user}"),
                    summary,
                    Some(user),
                    app,
                    &facts,
                )
            } else {
                let denied = facts.iter().filter(|f| f.failed()).count();
                let severity = if denied > 0 {
                    Severity::Low
                } else {
                    Severity::Info
                };
                let denied = if denied > 0 {
                    format!(", {denied} denied by policy")
                } else {
                    String::new()
                };
                let summary = format!(
                    "{user} opened the Okta Admin Console on {} ({} event(s) from {ips}{denied}).",
                    date(first.published_ms),
                    facts.len()
                );
                finding_from(
                    self,
                    severity,
                    format!("Admin Console access: {user}"),
                    summary,
                    Some(user),
                    app,
                    &facts,
                )
            };
            findings.push(finding);
        }
        Ok(findings)
    }
}
