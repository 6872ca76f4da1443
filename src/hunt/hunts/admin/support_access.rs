//! Okta Support access windows: a super admin grants support access
//! (`impersonation.grant`, 8 hours unless extended), support uses it
//! (`initiate`) and it ends (`end`, `revoke`). Use without a grant is how
//! the 2022 LAPSUS$ intrusion would look from the tenant.

use super::common::{self, HOUR_MS, describe_counts, is_support_signature, when};
use super::counts::type_counts_between;
use super::windows::Window;
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};

pub struct SupportAccess;

const QUERY: &str = "type:user.session.impersonation.*";

/// Every Okta Support window in the hunt's range, oldest first.
pub fn support_windows(ctx: &HuntContext) -> tantivy::Result<Vec<Window>> {
    Ok(super::windows::pair(
        ctx.facts(QUERY)?,
        ctx.config.support_grant_hours * HOUR_MS,
    ))
}

impl Hunt for SupportAccess {
    fn id(&self) -> &'static str {
        "support-access"
    }

    fn title(&self) -> &'static str {
        "Okta Support access"
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn description(&self) -> &'static str {
        "Okta Support can act inside the tenant once a super admin grants access (user.session.impersonation.grant, \
         8 hours by default, extendable); support then starts impersonation (initiate) and the access ends (end or \
         revoke). The 2022 LAPSUS$ breach came through a support engineer's machine, so every window deserves a look: \
         support used without a grant in these logs is critical (or the grant predates the logs: widen the time range), \
         a window longer than support_window_max_hours is high, a used window is medium, a grant never used is low. \
         Check that someone at the company asked for support at that time, and review what happened during the window: \
         resets made by support are logged as system@okta.com with transaction id \"unknown\", no user agent and no \
         country (see support-reset). What support looked at is not logged: Okta logs admin console writes, not reads."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let windows = support_windows(ctx)?;
        if windows.is_empty() {
            return Ok(Vec::new());
        }
        // What support did as system@okta.com, to put under its window.
        let acts = ctx.facts("actor:system@okta.com AND txn:unknown")?;
        let acts: Vec<&Facts> = acts.iter().filter(|f| is_support_signature(f)).collect();
        let max_ms = ctx.config.support_window_max_hours.saturating_mul(HOUR_MS);
        let mut findings = Vec::new();
        for w in &windows {
            let during: Vec<&Facts> = acts
                .iter()
                .copied()
                .filter(|f| w.covers(f.published_ms))
                .collect();
            let counts = type_counts_between(ctx, w.start_ms(), w.close_ms())?;
            let total: u64 = counts.iter().map(|(_, n)| n).sum();
            let severity = if w.used() && !w.granted() {
                Severity::Critical
            } else if w.duration_ms() > max_ms {
                Severity::High
            } else if w.used() {
                Severity::Medium
            } else {
                Severity::Low
            };
            let mut evidence: Vec<&Facts> = w.events.iter().chain(during.iter().copied()).collect();
            evidence.sort_by_key(|f| f.published_ms);
            let actor = w.granter().or_else(|| w.support_staff().first().cloned());
            let mut targets = w.support_staff();
            targets.extend(w.impersonated());
            targets.extend(during.iter().map(|f| common::subject(f)));
            let targets = common::distinct(targets);
            let by_support = if during.is_empty() {
                String::new()
            } else {
                let types = common::type_counts(during.iter().copied(), 4);
                let n = during.len();
                format!(
                    "{n} action(s) logged as system@okta.com with transaction \"unknown\" ({types}) and "
                )
            };
            let mostly = if counts.is_empty() {
                String::new()
            } else {
                format!(", mostly {}", describe_counts(counts, 4))
            };
            let summary = format!(
                "{}; during it: {by_support}{total} event(s) tenant-wide{mostly}.",
                w.story()
            );
            let title = match (w.granted(), w.used()) {
                (false, true) => "Okta Support used access with no grant".to_string(),
                (true, true) => format!("Okta Support access window ({})", when(w.start_ms())),
                (true, false) => "Okta Support access granted, not used".to_string(),
                (false, false) => "Okta Support access event with no grant or use".to_string(),
            };
            findings.push(finding_from(
                self, severity, title, summary, actor, targets, &evidence,
            ));
        }
        Ok(findings)
    }
}
