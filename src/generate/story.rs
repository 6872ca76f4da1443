//! The injected intrusion, in the spirit of the 2022 Okta Support breach.
//! Every name, id, address and session here is a constant (the same for
//! every seed) so docs and tests can name them; fixtures/demo/STORY.md tells
//! the story and which hunt each element is for. The events themselves are
//! in `intrusion.rs` (victim, support) and `takeover.rs` (attackers).
//!
//! Times are offsets from midnight UTC of the story day (`Period::story_day`,
//! two days before `--end`), except where noted.

use super::clock::{HOUR, MINUTE, Period};
use super::event::Line;
use super::geo;
use super::intrusion;
use super::takeover;
use super::tenant::{Role, Tenant};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A fixed member of the tenant, always users 0..CAST.len().
pub struct Cast {
    pub login: &'static str,
    pub first: &'static str,
    pub last: &'static str,
    pub id: &'static str,
    pub city: usize,
    pub isp: usize,
    pub home_ip: &'static str,
    pub mac: bool,
    pub jamf: bool,
    pub role: Role,
}

pub const GRANTING_ADMIN: usize = 0;
pub const VICTIM: usize = 2;
pub const FATIGUE_TARGET: usize = 4;

/// Acme's San Francisco office egress (zone "Acme Offices"); the super admin works here.
pub const SF_OFFICE_IP: &str = "64.125.38.71";
/// Acme's Austin office egress, where the helpdesk sits.
pub const AUSTIN_OFFICE_IP: &str = "208.185.23.140";
/// The victim's home (Comcast, San Francisco): her sessions and Jamf keep-alives.
pub const VICTIM_HOME_IP: &str = "73.92.144.203";

#[rustfmt::skip]
pub static CAST: &[Cast] = &[
    Cast { login: "alex.morgan@acme.com", first: "alex", last: "morgan", id: "00ufaqvudTpV3ao0ogXO", city: geo::SAN_FRANCISCO, isp: geo::ZAYO, home_ip: SF_OFFICE_IP, mac: true, jamf: true, role: Role::SuperAdmin },
    Cast { login: "priya.shah@acme.com", first: "priya", last: "shah", id: "00uOtirIZKOzGJv9cidZ", city: geo::AUSTIN, isp: geo::ZAYO, home_ip: AUSTIN_OFFICE_IP, mac: false, jamf: false, role: Role::HelpDesk },
    Cast { login: "jane.doe@acme.com", first: "jane", last: "doe", id: "00u3BLy3Lk33BuwWSxa3", city: geo::SAN_FRANCISCO, isp: geo::COMCAST, home_ip: VICTIM_HOME_IP, mac: true, jamf: true, role: Role::SuperAdmin },
    Cast { login: "marcus.reid@acme.com", first: "marcus", last: "reid", id: "00uZw5Sb4C4HTfp7YUAf", city: geo::AUSTIN, isp: geo::ZAYO, home_ip: AUSTIN_OFFICE_IP, mac: false, jamf: false, role: Role::HelpDesk },
    Cast { login: "kevin.brooks@acme.com", first: "kevin", last: "brooks", id: "00uBC2D5qGBAxkXgdGJk", city: geo::NEW_YORK, isp: geo::VERIZON, home_ip: "71.105.48.12", mac: false, jamf: false, role: Role::User },
];

// --- Okta Support ---------------------------------------------------------
/// The support engineer's account, as Okta logs support staff.
pub const SUPPORT_ID: &str = "00ukY9pF34Qy6nB3Wwd2";
pub const SUPPORT_LOGIN: &str = "support-jsmith@okta.com";
pub const SUPPORT_NAME: &str = "Okta Support";
/// The support engineer's workstation (San Jose, Costa Rica).
pub const SUPPORT_IP: &str = "201.194.77.42";
pub const SUPPORT_SESSION: &str = "102DVWqyfkrFAZd6-6X_yZl-D";
/// The super admin's session in which support access is granted.
pub const ADMIN_SESSION: &str = "102hBKqFYY_kv5ZJr3J1TWDtk";

pub const GRANT_AT: i64 = 16 * HOUR + 2 * MINUTE + 31_482;
pub const INITIATE_AT: i64 = 16 * HOUR + 38 * MINUTE + 5_117;
pub const SUPPORT_RESET_PASSWORD_AT: i64 = 16 * HOUR + 51 * MINUTE + 40_306;
pub const SUPPORT_RESET_FACTORS_AT: i64 = 16 * HOUR + 52 * MINUTE + 14_951;
pub const IMPERSONATION_END_AT: i64 = 22 * HOUR + 41 * MINUTE + 17_640;
/// Support access used without any grant: two days before the story day
/// (or early on the story day itself in a short period).
pub const ORPHAN_INITIATE_AT: i64 = 9 * HOUR + 17 * MINUTE + 44_209;
pub const ORPHAN_DAYS_BEFORE: u32 = 2;

// --- The takeover ----------------------------------------------------------
/// The victim's real browser session of the story day; later replayed.
pub const VICTIM_SESSION: &str = "102ORS_6ilI8ihN5KXSc7Tvo_";
/// The victim's Jamf Connect session, whose keep-alives continue from home.
pub const VICTIM_JAMF_SESSION: &str = "102cI08WoHmiXWnhREl_Asie-";
pub const VICTIM_SIGN_IN_AT: i64 = 15 * HOUR + 4 * MINUTE + 12_733;
/// A VPS (M247, Bucharest, Romania) the attacker signs in from.
pub const ATTACKER_IP: &str = "185.247.71.106";
pub const ATTACKER_SESSION: &str = "102wtDDb-xHKas1VOqg6YYZYn";
pub const ATTACKER_DT_HASH: &str =
    "bbf33feff9243a8f506b40928b5b7a767c76fb008f86bebb2737f6a6f0fb23c6";
pub const ATTACKER_SIGN_IN_AT: i64 = 16 * HOUR + 57 * MINUTE + 33_274;
pub const ATTACKER_CONSOLE_AT: i64 = 17 * HOUR + 3 * MINUTE + 10_588;
pub const PRIVILEGE_GRANT_AT: i64 = 17 * HOUR + 9 * MINUTE + 48_025;
pub const API_TOKEN_CREATE_AT: i64 = 17 * HOUR + 14 * MINUTE + 2_871;
/// Two SSOs in the victim's own session, from the attacker's address.
pub const STOLEN_SESSION_AT: [i64; 2] = [
    17 * HOUR + 21 * MINUTE + 37_419,
    17 * HOUR + 23 * MINUTE + 5_062,
];
pub const TOKEN_USE_AT: i64 = 17 * HOUR + 31 * MINUTE + 55_193;
/// A dormant account the attacker makes a super administrator.
pub const FOOTHOLD_ID: &str = "00u5rq4f5zr3QA7YeEEB";
pub const FOOTHOLD_LOGIN: &str = "helpdesk.temp@acme.com";
pub const FOOTHOLD_NAME: &str = "Helpdesk Temp";
/// The API token the attacker creates, and the user it then creates.
pub const API_TOKEN_ID: &str = "00TqaMl9Xvq2ZG4MzAOU";
pub const API_TOKEN_NAME: &str = "okta-sync";
pub const CREATED_ID: &str = "00uY3ABp3e2zS8iq9y7A";
pub const CREATED_LOGIN: &str = "ext.audit@acme.com";
pub const CREATED_NAME: &str = "External Audit";

// --- MFA fatigue (the day before the story day) ----------------------------
/// A VPS (DigitalOcean, Frankfurt) pushing Okta Verify prompts at night.
pub const FATIGUE_IP: &str = "164.92.143.18";
pub const FATIGUE_SESSION: &str = "1029ZhyiA4uoRgnatmUdjAWtG";
pub const FATIGUE_DT_HASH: &str =
    "7c1e0a9d53f2b8e4a6d09f13c5b7e2a48f6d1c3b9a0e5f7d2c4b6a8e0f1d3c5b";
pub const FATIGUE_START_AT: i64 = 7 * HOUR + 12 * MINUTE + 3_556;
pub const FATIGUE_DENIALS: u32 = 7;

/// Background planning leaves this user-day to the story (the victim's
/// story day is written here so it survives any --events cap).
pub fn owns_day(user: usize, day: u32, period: &Period) -> bool {
    user == VICTIM && day == period.story_day()
}

/// Salt so the story's uuids differ from the background's stream.
const STORY_SALT: u64 = 0x5eed_0f57_0e7a_11c0;

/// Every story event, sorted by time.
pub fn render(t: &Tenant, period: &Period, seed: u64) -> anyhow::Result<Vec<Line>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ STORY_SALT);
    let mut out = Vec::new();
    let story_day = period.story_day();
    let day_ms = period.day_ms(story_day);
    intrusion::victim_day(&mut rng, &mut out, t, day_ms)?;
    intrusion::support_access(&mut rng, &mut out, t, day_ms)?;
    let orphan_day = period.day_ms(story_day.saturating_sub(ORPHAN_DAYS_BEFORE));
    // In a short period the orphan shares the story day, still before the grant.
    intrusion::orphan_initiate(&mut rng, &mut out, t, orphan_day + ORPHAN_INITIATE_AT)?;
    takeover::takeover(&mut rng, &mut out, t, day_ms)?;
    takeover::mfa_fatigue(
        &mut rng,
        &mut out,
        t,
        period.day_ms(story_day.saturating_sub(1)),
    )?;
    // Stable: equal timestamps keep the order they were written in.
    out.sort_by_key(|(at, _)| *at);
    Ok(out)
}
