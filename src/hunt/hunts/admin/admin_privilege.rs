//! Admin roles granted to users and groups: the first thing an intruder
//! with admin access does is make a second admin it controls.

use super::common::{self, day_of, when};
use crate::hunt::{Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

pub struct AdminPrivilege;

/// Grant events with the role each granted.
type Grants<'a> = Vec<(&'a Facts, String)>;

/// Roles that control the whole org (debugData.privilegeGranted wording,
/// and the role type names the API uses).
const TOP_ROLES: &[&str] = &[
    "super admin",
    "org admin",
    "organization admin",
    "super_admin",
    "org_admin",
];

fn is_top_role(role: &str) -> bool {
    let r = role.to_lowercase().replace("administrator", "admin");
    TOP_ROLES.iter().any(|t| r.contains(t))
}

impl Hunt for AdminPrivilege {
    fn id(&self) -> &'static str {
        "admin-privilege"
    }

    fn title(&self) -> &'static str {
        "Admin privilege granted"
    }

    fn severity(&self) -> Severity {
        Severity::Medium
    }

    fn description(&self) -> &'static str {
        "Admin roles granted to a user or a group (user.account.privilege.grant, group.privilege.grant; the role is in \
         debugData.privilegeGranted), one finding per actor, grantee and day. Super or Org administrator is high, any \
         other admin role medium, a failed attempt low. Check that the grant was requested, that the granting admin's \
         session is their own (its IP, device and sign-in), and what the grantee did next. A group grant makes every \
         present and future member an admin: review the group's membership changes too. A grant made with an API \
         token is logged as the token creator's action."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let grants = ctx.facts("type:(user.account.privilege.grant OR group.privilege.grant)")?;
        let mut groups: BTreeMap<(String, String, i64), Grants> = BTreeMap::new();
        for f in &grants {
            let orig = ctx.original(f);
            let role = orig
                .as_ref()
                .and_then(|o| common::debug_value(o, "privilegeGranted"))
                .unwrap_or_else(|| "an unnamed role".to_string());
            let grantee = orig
                .as_ref()
                .and_then(|o| common::target_of(o, &["User", "UserGroup", "Group"]))
                .or_else(|| f.target_user.clone())
                .unwrap_or_else(|| "unknown".into());
            let actor = f.who().unwrap_or("unknown").to_string();
            groups
                .entry((actor, grantee, day_of(f.published_ms)))
                .or_default()
                .push((f, role));
        }
        let mut findings = Vec::new();
        for ((actor, grantee, _), grants) in groups {
            let worked: Vec<&(&Facts, String)> =
                grants.iter().filter(|(f, _)| !f.failed()).collect();
            let severity = if worked.iter().any(|(_, r)| is_top_role(r)) {
                Severity::High
            } else if !worked.is_empty() {
                Severity::Medium
            } else {
                Severity::Low
            };
            let roles = common::distinct(grants.iter().map(|(_, r)| r.clone()));
            let Some((first, _)) = grants.first() else {
                continue;
            };
            let to = if first.event_type.starts_with("group.") {
                format!("group {grantee}")
            } else {
                grantee.clone()
            };
            let verb = if worked.is_empty() {
                "tried to grant"
            } else {
                "granted"
            };
            let from = first
                .ip
                .map(|_| format!(" from {}", common::place(first)))
                .unwrap_or_default();
            let failed = grants.len() - worked.len();
            let failed = if failed > 0 && !worked.is_empty() {
                format!(" ({failed} attempt(s) failed)")
            } else {
                String::new()
            };
            let summary = format!(
                "{actor} {verb} {} to {to}{from} at {}{failed}.",
                roles.join(", "),
                when(first.published_ms)
            );
            let evidence: Vec<&Facts> = grants.iter().map(|(f, _)| *f).collect();
            findings.push(finding_from(
                self,
                severity,
                format!("{} granted to {to}", roles.join(", ")),
                summary,
                Some(actor),
                vec![grantee],
                &evidence,
            ));
        }
        Ok(findings)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn top_roles() {
        assert!(super::is_top_role("Super administrator"));
        assert!(super::is_top_role("Organization administrator"));
        assert!(super::is_top_role("ORG_ADMIN"));
        assert!(!super::is_top_role("Help Desk administrator"));
        assert!(!super::is_top_role("Read only administrator"));
    }
}
