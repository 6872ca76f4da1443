//! API tokens: created, changed, revoked, and what each did. Actions made
//! with a token are logged as its creator's; only
//! transaction.detail.requestApiTokenId tells them apart.

use super::common::{self, when};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct ApiToken;

/// Actions that change who can get in or what they may do: a token just
/// created that does these is how an intruder keeps access.
const SENSITIVE: &[&str] = &[
    "user.lifecycle.create",
    "user.lifecycle.activate",
    "user.account.privilege.grant",
    "group.privilege.grant",
    "group.user_membership.add",
    "system.api_token.",
    "user.account.reset_password",
    "user.mfa.factor.",
    "policy.",
    "zone.",
    "system.idp.",
    "system.log_stream.",
];

/// Evidence kept per token: a busy integration token can log millions of
/// events; the count stays exact.
const MAX_EVIDENCE: usize = 1000;

#[derive(Default)]
struct Token<'e> {
    name: Option<String>,
    lifecycle: Vec<&'e Facts>,
    usage: Vec<&'e Facts>,
}

impl Hunt for ApiToken {
    fn id(&self) -> &'static str {
        "api-token"
    }

    fn title(&self) -> &'static str {
        "API token created or used"
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    /// One finding per token over everything it did.
    fn whole_history(&self) -> bool {
        true
    }

    fn description(&self) -> &'static str {
        "API tokens (system.api_token.create/update/enable/revoke) and the events made with them \
         (transaction.detail.requestApiTokenId), one finding per token: who created it and what it did, counted by \
         event type. A token acts with its creator's admin rights and its actions are logged as the creator's own, so \
         an event that looks like an admin's may be a script's. A token created in these logs and then used for \
         identity or privilege changes (users created, group memberships, roles, factors, policies) is high; other \
         token activity medium; a revoke alone low. Check the creator's session when the token was made, the IPs and \
         user agents that used it, and revoke tokens nobody owns. Reads made with a token are not logged."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let lifecycle = ctx.facts("type:system.api_token.*")?;
        let usage = ctx.facts("api_token:*")?;
        let mut tokens: BTreeMap<String, Token> = BTreeMap::new();
        for f in &lifecycle {
            let orig = ctx.original(f);
            let id = orig
                .as_ref()
                .and_then(|o| common::target_id_of(o, &["Token"]))
                .or_else(|| f.target_ids.first().cloned())
                .unwrap_or_else(|| "unknown".into());
            let t = tokens.entry(id).or_default();
            t.name = t
                .name
                .take()
                .or_else(|| orig.as_ref().and_then(|o| common::target_of(o, &["Token"])));
            t.lifecycle.push(f);
        }
        for f in &usage {
            let Some(id) = &f.api_token else { continue };
            let t = tokens.entry(id.clone()).or_default();
            if !t.lifecycle.iter().any(|l| l.uuid == f.uuid) {
                t.usage.push(f);
            }
        }
        let mut findings = Vec::new();
        for (id, t) in tokens {
            findings.push(self.token_finding(&id, &t));
        }
        Ok(findings)
    }
}

impl ApiToken {
    fn token_finding(&self, id: &str, t: &Token) -> Finding {
        let created = t
            .lifecycle
            .iter()
            .find(|f| f.event_type == "system.api_token.create");
        let creator = created.and_then(|f| f.who().map(str::to_string));
        // Without its create event, the token shows as whoever it acts as.
        let acts_as = common::distinct(t.usage.iter().filter_map(|f| f.who().map(str::to_string)));
        let managers = common::distinct(
            t.lifecycle
                .iter()
                .filter_map(|f| f.who().map(str::to_string)),
        );
        let actor = creator
            .clone()
            .or_else(|| acts_as.first().cloned())
            .or_else(|| managers.first().cloned());
        let label = match &t.name {
            Some(n) if n != id => format!("{n} ({id})"),
            _ => id.to_string(),
        };
        let sensitive = t
            .usage
            .iter()
            .any(|f| SENSITIVE.iter().any(|s| f.event_type.starts_with(s)));
        let revoke_only = t.usage.is_empty()
            && t.lifecycle
                .iter()
                .all(|f| f.event_type == "system.api_token.revoke");
        let severity = if created.is_some() && sensitive {
            Severity::High
        } else if revoke_only {
            Severity::Low
        } else {
            Severity::Medium
        };
        let mut parts = Vec::new();
        if let Some(c) = created {
            let from =
                c.ip.map(|_| format!(" from {}", common::place(c)))
                    .unwrap_or_default();
            parts.push(format!(
                "created by {}{from} at {}",
                c.who().unwrap_or("unknown"),
                when(c.published_ms)
            ));
        }
        let others: Vec<&Facts> = t
            .lifecycle
            .iter()
            .copied()
            .filter(|f| f.event_type != "system.api_token.create")
            .collect();
        if !others.is_empty() {
            parts.push(format!(
                "{} by {}",
                common::type_counts(others.iter().copied(), 3),
                common::list(
                    &common::distinct(others.iter().filter_map(|f| f.who().map(str::to_string))),
                    2
                )
            ));
        }
        if !t.usage.is_empty() {
            parts.push(format!(
                "used for {} event(s) from {} ({}), logged as {}'s own actions",
                t.usage.len(),
                common::list(&common::ips_of(t.usage.iter().copied()), 3),
                common::type_counts(t.usage.iter().copied(), 4),
                common::list(&acts_as, 2)
            ));
        }
        let summary = format!("API token {label} {}.", parts.join("; "));
        let mut evidence: Vec<&Facts> = t.lifecycle.iter().chain(t.usage.iter()).copied().collect();
        evidence.sort_by_key(|f| f.published_ms);
        let mut finding = finding_from(
            self,
            severity,
            format!("API token {label}"),
            summary,
            actor,
            vec![label.clone()],
            &evidence,
        );
        finding.event_uuids.truncate(MAX_EVIDENCE);
        finding
    }
}
