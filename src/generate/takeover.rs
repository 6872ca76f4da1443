//! The takeover and the push bombing: the attacker's side of the story
//! (constants in story.rs).

use super::access;
use super::catalog::{self, Agent};
use super::clock::MINUTE;
use super::event::{Draft, Line, Origin, Principal};
use super::geo;
use super::human::{self, Novelty, Seat, SignInOpts};
use super::intrusion::story_ip;
use super::ops;
use super::story::*;
use super::tenant::Tenant;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Not the victim's Mac: a Windows box with a slightly older Chrome.
static ATTACKER_AGENT: Agent = Agent {
    raw: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    os: "Windows 10",
    browser: "CHROME",
};
static FATIGUE_AGENT: Agent = Agent {
    raw: "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0",
    os: "Linux",
    browser: "FIREFOX",
};

/// With the new password the attacker signs in as the victim from a VPS,
/// enrolls a factor, opens the Admin Console, makes a dormant account super
/// admin, creates an API token and uses it; the victim's stolen session
/// cookie is replayed from the same address.
pub fn takeover(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    t: &Tenant,
    day: i64,
) -> anyhow::Result<()> {
    let victim = &t.users[VICTIM];
    let vps = story_ip(ATTACKER_IP, geo::BUCHAREST, geo::M247);
    let attacker = Seat {
        user: victim,
        ip: &vps,
        agent: &ATTACKER_AGENT,
        session: Some(ATTACKER_SESSION),
        dt_hash: ATTACKER_DT_HASH,
        device: None,
    };
    let opts = SignInOpts {
        fail_first: false,
        enroll: Some("GOOGLE_OTP"),
    };
    human::sign_in(
        rng,
        out,
        &attacker,
        day + ATTACKER_SIGN_IN_AT,
        Novelty::EVERYTHING,
        opts,
    )?;
    ops::admin_console(
        rng,
        out,
        &attacker,
        day + ATTACKER_CONSOLE_AT,
        Novelty::EVERYTHING,
    )?;
    let roles_uri = format!("/api/v1/users/{FOOTHOLD_ID}/roles");
    let foothold = || Principal::new(FOOTHOLD_ID, "User", FOOTHOLD_LOGIN, FOOTHOLD_NAME);
    attacker
        .draft(
            day + PRIVILEGE_GRANT_AT,
            "user.account.privilege.grant",
            "Grant user privilege",
        )
        .legacy("core.user.admin_privilege.granted")
        .target(foothold())
        .uri(&roles_uri)
        .debug("privilegeGranted", "Super administrator")
        .emit(rng, out)?;
    attacker
        .draft(
            day + API_TOKEN_CREATE_AT,
            "system.api_token.create",
            "Create API token",
        )
        .legacy("api.token.create")
        .target(Principal::new(
            API_TOKEN_ID,
            "Token",
            API_TOKEN_NAME,
            API_TOKEN_NAME,
        ))
        .uri("/api/internal/tokens")
        .emit(rng, out)?;

    let replay = Seat {
        session: Some(VICTIM_SESSION),
        ..attacker
    };
    access::sso(
        rng,
        out,
        &replay,
        day + STOLEN_SESSION_AT[0],
        catalog::SALESFORCE,
        None,
    )?;
    access::sso(
        rng,
        out,
        &replay,
        day + STOLEN_SESSION_AT[1],
        catalog::GITHUB,
        None,
    )?;

    // API calls made with the token look like the victim's own actions; only
    // transaction.detail.requestApiTokenId tells them apart.
    let script = Origin::Web {
        ip: &vps,
        agent: &catalog::AUTOMATION_AGENTS[2],
        zone: "null",
        device: "Unknown",
    };
    let by_token = |at, origin| {
        Draft::new(at, "", "", ops::user_target(victim), origin)
            .detail("requestApiTokenId", API_TOKEN_ID)
    };
    let created = || Principal::new(CREATED_ID, "User", CREATED_LOGIN, CREATED_NAME);
    let at = day + TOKEN_USE_AT;
    let mut d = by_token(at, script).target(created()).uri("/api/v1/users");
    (d.event_type, d.display) = ("user.lifecycle.create", "Create okta user");
    d.legacy("core.user.config.user_creation.success")
        .emit(rng, out)?;
    let again = || Origin::Web {
        ip: &vps,
        agent: &catalog::AUTOMATION_AGENTS[2],
        zone: "null",
        device: "Unknown",
    };
    let mut d = by_token(at + 1_900, again())
        .target(created())
        .uri("/api/v1/users/lifecycle/activate");
    (d.event_type, d.display) = ("user.lifecycle.activate", "Activate Okta user");
    d.legacy("core.user.config.user_activated").emit(rng, out)?;
    let admins = &catalog::GROUPS[catalog::ADMINS_GROUP];
    ops::add_to_group(rng, out, by_token(at + 45_000, again()), created(), admins)?;
    ops::add_to_group(rng, out, by_token(at + 77_000, again()), foothold(), admins)
}

/// Night-time push bombing: the attacker has the password, sends push after
/// push, the user denies them, then approves one.
pub fn mfa_fatigue(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    t: &Tenant,
    day: i64,
) -> anyhow::Result<()> {
    let target = &t.users[FATIGUE_TARGET];
    let vps = story_ip(FATIGUE_IP, geo::FRANKFURT, geo::DIGITALOCEAN);
    let bomber = Seat {
        user: target,
        ip: &vps,
        agent: &FATIGUE_AGENT,
        session: None,
        dt_hash: FATIGUE_DT_HASH,
        device: None,
    };
    let mut at = day + FATIGUE_START_AT;
    let mut verify = bomber
        .draft(at, "user.authentication.verify", "Verify user identity")
        .uri("/idp/idx/challenge/answer");
    verify.auth.credential_type = Some("PASSWORD");
    verify.emit(rng, out)?;
    for i in 0..=FATIGUE_DENIALS {
        at += 17_000 + rng.random_range(0..30_000);
        bomber
            .draft(
                at,
                "system.push.send_factor_verify_push",
                "Push sent to user for verification",
            )
            .debug("factor", "OKTA_VERIFY_PUSH")
            .uri("/idp/idx/authenticators/poll")
            .emit(rng, out)?;
        at += 8_000 + rng.random_range(0..20_000);
        if i == FATIGUE_DENIALS {
            break;
        }
        bomber
            .draft(
                at,
                "user.mfa.okta_verify.deny_push",
                "User rejected Okta push verify",
            )
            .legacy("core.user.factor.push_deny")
            .outcome("FAILURE", Some("User rejected Okta push verify"))
            .severity("WARN")
            .debug("factor", "OKTA_VERIFY_PUSH")
            .uri("/idp/idx/authenticators/poll")
            .emit(rng, out)?;
    }
    let mut mfa = bomber
        .draft(
            at,
            "user.authentication.auth_via_mfa",
            "Authentication of user via MFA",
        )
        .legacy("core.user.factor.attempt_success");
    mfa.auth.credential_type = Some("OKTA_VERIFY_PUSH");
    mfa.debug("factor", "OKTA_VERIFY_PUSH")
        .uri("/idp/idx/authenticators/poll")
        .emit(rng, out)?;
    let inside = Seat {
        session: Some(FATIGUE_SESSION),
        ..bomber
    };
    inside
        .draft(at + 700, "user.session.start", "User login to Okta")
        .legacy("core.user_auth.login_success")
        .debug("behaviors", Novelty::EVERYTHING.behaviors())
        .debug("risk", Novelty::EVERYTHING.risk())
        .debug("logOnlySecurityData", Novelty::EVERYTHING.log_only())
        .uri("/idp/idx/identify")
        .emit(rng, out)?;
    access::sso(
        rng,
        out,
        &inside,
        at + 3 * MINUTE + 12_000,
        catalog::SLACK,
        None,
    )?;
    access::sso(
        rng,
        out,
        &inside,
        at + 5 * MINUTE + 40_000,
        catalog::SALESFORCE,
        None,
    )?;
    Ok(())
}
