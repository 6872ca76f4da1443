//! Identity and admin hunts: Okta Support access and its resets, password
//! and MFA resets, admin roles, API tokens, Admin Console access, security
//! configuration, Okta's own jobs and Okta's own threat signals. One file
//! per hunt; `common` and `followup` hold what several of them share,
//! `windows` pairs Okta Support access events, `counts` counts event types
//! in a time window.

mod account_lock;
mod admin_console;
mod admin_privilege;
mod api_token;
mod common;
mod config_change;
mod counts;
mod fastpass_phishing;
mod followup;
mod mfa_reset;
mod password_reset;
mod support_access;
mod support_reset;
mod system_import;
mod threat_insight;
mod token_reuse;
mod windows;

use crate::hunt::Hunt;

/// The admin hunts, most alarming first.
pub fn registry() -> Vec<Box<dyn Hunt>> {
    vec![
        Box::new(support_access::SupportAccess),
        Box::new(support_reset::SupportReset),
        Box::new(password_reset::PasswordReset),
        Box::new(mfa_reset::MfaReset),
        Box::new(admin_privilege::AdminPrivilege),
        Box::new(api_token::ApiToken),
        Box::new(admin_console::AdminConsole),
        Box::new(token_reuse::TokenReuse),
        Box::new(fastpass_phishing::FastpassPhishing),
        Box::new(threat_insight::ThreatInsight),
        Box::new(config_change::ConfigChange),
        Box::new(account_lock::AccountLock),
        Box::new(system_import::SystemImport),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_described() {
        let hunts = super::registry();
        let mut ids: Vec<&str> = hunts.iter().map(|h| h.id()).collect();
        assert_eq!(ids.len(), 13);
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 13);
        for h in &hunts {
            assert!(
                h.description().len() > 200,
                "{} needs a real description",
                h.id()
            );
            assert!(!h.title().is_empty());
        }
    }
}
