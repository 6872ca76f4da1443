//! Every hunt threshold and window, in one place. Defaults suit a typical
//! workforce tenant; a case overrides any of them in `CASE/okhunt.toml`:
//!
//! ```toml
//! [hunts]
//! mfa_fatigue_pushes = 8
//! keepalive_user_agents = ["Jamf", "JamfConnect"]
//! ```

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct HuntConfig {
    /// A keep-alive event has a raw user agent containing one of these...
    pub keepalive_user_agents: Vec<String>,
    /// ...or targets an app with one of these display names.
    pub keepalive_apps: Vec<String>,
    /// Activity from another IP within this many minutes of a keep-alive
    /// from the dominant IP counts as simultaneous.
    pub keepalive_overlap_minutes: i64,
    /// An IP seen only on SSO events, for at least this many users, is an
    /// app's server (SSO service IP), not a user's.
    pub sso_service_min_users: usize,
    /// An actor granting tokens from at least this many IPs, with at least
    /// this many grants, and no target alternateId, is a token-granting
    /// service user.
    pub token_granter_min_ips: usize,
    pub token_granter_min_grants: usize,
    /// One session seen from several IPs/countries/agents/devices within
    /// this many minutes is suspect.
    pub session_hijack_window_minutes: i64,
    /// Speed above which two consecutive sign-ins are impossible travel.
    pub impossible_travel_kmh: f64,
    /// Below this distance, travel is never flagged (geo-IP noise).
    pub impossible_travel_min_km: f64,
    /// MFA fatigue: at least this many denied/failed pushes in the window.
    pub mfa_fatigue_pushes: usize,
    pub mfa_fatigue_window_minutes: i64,
    /// Password spray: one IP failing for at least this many users in the window.
    pub spray_min_users: usize,
    pub spray_window_minutes: i64,
    /// Brute force: one user failing from at least this many IPs, or at
    /// least this many failures, in the window.
    pub brute_force_min_ips: usize,
    pub brute_force_min_failures: usize,
    pub brute_force_window_minutes: i64,
    /// Okta Support access windows longer than this are flagged.
    pub support_window_max_hours: i64,
    /// How long a support grant lasts when nothing extends or revokes it.
    pub support_grant_hours: i64,
    /// This many distinct users locked within `spray_window_minutes` is a
    /// lockout burst (medium) rather than routine lockouts (low).
    pub lock_burst_users: usize,
    /// One actor resetting the MFA of this many users in a day is medium.
    pub mass_reset_users: usize,
    /// A session for a reset user from a new IP within this many hours of
    /// the reset makes the reset high severity.
    pub reset_followup_hours: i64,
}

impl Default for HuntConfig {
    fn default() -> Self {
        HuntConfig {
            keepalive_user_agents: vec!["Jamf".into()],
            keepalive_apps: vec!["Jamf Connect".into()],
            keepalive_overlap_minutes: 30,
            sso_service_min_users: 3,
            token_granter_min_ips: 5,
            token_granter_min_grants: 10,
            session_hijack_window_minutes: 60,
            impossible_travel_kmh: 900.0,
            impossible_travel_min_km: 300.0,
            mfa_fatigue_pushes: 5,
            mfa_fatigue_window_minutes: 10,
            spray_min_users: 10,
            spray_window_minutes: 60,
            brute_force_min_ips: 5,
            brute_force_min_failures: 10,
            brute_force_window_minutes: 60,
            support_window_max_hours: 24,
            support_grant_hours: 8,
            lock_burst_users: 5,
            mass_reset_users: 3,
            reset_followup_hours: 24,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    hunts: HuntConfig,
}

/// The case's hunt settings: defaults overlaid by `CASE/okhunt.toml` when
/// it exists. A bad file is an error naming the file and the problem.
pub fn load(case_dir: &Path) -> Result<HuntConfig, String> {
    let path = case_dir.join("okhunt.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str::<File>(&text)
            .map(|f| f.hunts)
            .map_err(|e| format!("{}: {}", path.display(), e.message())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HuntConfig::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().expect("tmp");
        assert_eq!(load(dir.path()), Ok(HuntConfig::default()));
        std::fs::write(
            dir.path().join("okhunt.toml"),
            "[hunts]\nmfa_fatigue_pushes = 8\n",
        )
        .expect("write");
        let c = load(dir.path()).expect("loads");
        assert_eq!(c.mfa_fatigue_pushes, 8);
        assert_eq!(c.spray_min_users, HuntConfig::default().spray_min_users);
        std::fs::write(dir.path().join("okhunt.toml"), "[hunts]\nmfa_fatigue = 8\n")
            .expect("write");
        assert!(
            load(dir.path()).is_err_and(|e| e.contains("okhunt.toml") && e.contains("mfa_fatigue"))
        );
    }
}
