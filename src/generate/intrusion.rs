//! The story's events (see story.rs for the constants and STORY.md for the
//! plot). Each function writes one thread of the story; `day` is midnight
//! UTC of the day it happens on.

use super::access;
use super::catalog::{self, APPS, Agent};
use super::clock::{HOUR, MINUTE};
use super::event::{Draft, Line, Origin, Principal};
use super::geo::{self, CITIES};
use super::human::{self, Novelty, Seat, SignInOpts};
use super::ops;
use super::story::*;
use super::tenant::{Ip, Tenant, User};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

static SUPPORT_AGENT: Agent = Agent {
    raw: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    os: "Windows 10",
    browser: "CHROME",
};

pub fn story_ip(addr: &str, city: usize, isp: usize) -> Ip {
    let c = &CITIES[city];
    Ip {
        addr: addr.to_string(),
        city,
        isp,
        lat: c.lat,
        lon: c.lon,
        zone: "null",
    }
}

fn seat<'a>(user: &'a User, ip: &'a Ip, session: &'a str) -> Seat<'a> {
    Seat {
        user,
        ip,
        agent: user.agent,
        session: Some(session),
        dt_hash: &user.dt_hash,
        device: Some(&user.device),
    }
}

/// The victim's ordinary working day at home: a sign-in, SSO through the
/// afternoon, and Jamf keep-alives every ~15 minutes from her home address,
/// which carry on while the attacker works from Bucharest.
pub fn victim_day(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    t: &Tenant,
    day: i64,
) -> anyhow::Result<()> {
    let victim = &t.users[VICTIM];
    let home = t.ip(victim.home_ip);
    let jane = seat(victim, home, VICTIM_SESSION);
    human::sign_in(
        rng,
        out,
        &jane,
        day + VICTIM_SIGN_IN_AT,
        Novelty::NONE,
        SignInOpts::default(),
    )?;
    let apps = [
        catalog::SLACK,
        catalog::GOOGLE_WORKSPACE,
        catalog::ATLASSIAN,
        catalog::ZOOM,
        catalog::SLACK,
        catalog::GOOGLE_WORKSPACE,
        catalog::SALESFORCE,
        catalog::ATLASSIAN,
        catalog::INTRANET,
        catalog::SLACK,
    ];
    for (i, app) in apps.into_iter().enumerate() {
        let at = day
            + 15 * HOUR
            + 12 * MINUTE
            + i64::try_from(i)? * 52 * MINUTE
            + rng.random_range(0..120_000);
        let server =
            (app == catalog::GOOGLE_WORKSPACE).then(|| t.ip(t.google_ips[i % t.google_ips.len()]));
        access::sso(rng, out, &jane, at, app, server)?;
    }
    let mut at = day + 15 * HOUR + 6 * MINUTE;
    while at < day + 24 * HOUR + 36 * MINUTE {
        let jittered = at + rng.random_range(-60_000..60_000);
        access::keepalive(rng, out, victim, home, jittered, VICTIM_JAMF_SESSION)?;
        at += 15 * MINUTE;
    }
    human::sign_out(rng, out, &jane, day + 24 * HOUR + 41 * MINUTE)
}

fn support_actor() -> Principal<'static> {
    Principal::new(SUPPORT_ID, "User", SUPPORT_LOGIN, SUPPORT_NAME)
}

fn support_draft<'a>(ip: &'a Ip, at: i64, event_type: &'a str, display: &'a str) -> Draft<'a> {
    let origin = Origin::Web {
        ip,
        agent: &SUPPORT_AGENT,
        zone: "null",
        device: "Computer",
    };
    Draft::new(at, event_type, display, support_actor(), origin).session(Some(SUPPORT_SESSION))
}

/// The super admin grants Okta Support access; support initiates
/// impersonation, resets the victim's password and factors (logged as
/// system@okta.com with no user agent, no country, transaction "unknown"),
/// and ends the session hours later.
pub fn support_access(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    t: &Tenant,
    day: i64,
) -> anyhow::Result<()> {
    let admin = &t.users[GRANTING_ADMIN];
    let office = t.ip(admin.home_ip);
    let alex = seat(admin, office, ADMIN_SESSION);
    human::sign_in(
        rng,
        out,
        &alex,
        day + GRANT_AT - 230_000,
        Novelty::NONE,
        SignInOpts::default(),
    )?;
    ops::admin_console(rng, out, &alex, day + GRANT_AT - 85_000, Novelty::NONE)?;
    alex.draft(
        day + GRANT_AT,
        "user.session.impersonation.grant",
        "Enable impersonation grant",
    )
    .legacy("core.user.impersonation.grant.enabled")
    .target(support_actor())
    .uri("/api/internal/org/settings/impersonation")
    .emit(rng, out)?;

    let support_ip = story_ip(SUPPORT_IP, geo::SAN_JOSE_CR, geo::ICE);
    initiate(rng, out, &support_ip, admin, day + INITIATE_AT)?;
    let console = &APPS[catalog::ADMIN_CONSOLE];
    support_draft(
        &support_ip,
        day + INITIATE_AT + 65_000,
        "user.session.access_admin_app",
        "User accessing Okta admin app",
    )
    .legacy("app.admin.sso.login.success")
    .target(Principal::new(
        console.id,
        "AppInstance",
        console.label,
        console.label,
    ))
    .uri("/admin/sso/callback")
    .emit(rng, out)?;
    let victim = &t.users[VICTIM];
    let by_support = |at| Draft::new(at, "", "", ops::system_actor(), Origin::Support);
    ops::reset_password(
        rng,
        out,
        by_support(day + SUPPORT_RESET_PASSWORD_AT),
        victim,
    )?;
    ops::reset_factors(rng, out, by_support(day + SUPPORT_RESET_FACTORS_AT), victim)?;
    support_draft(
        &support_ip,
        day + IMPERSONATION_END_AT,
        "user.session.impersonation.end",
        "User session impersonation ended",
    )
    .legacy("core.user.impersonation.session.ended")
    .target(ops::user_target(admin))
    .uri("/api/internal/impersonation/end")
    .emit(rng, out)
}

fn initiate(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    ip: &Ip,
    admin: &User,
    at: i64,
) -> anyhow::Result<()> {
    support_draft(
        ip,
        at,
        "user.session.impersonation.initiate",
        "User session impersonation initiated",
    )
    .legacy("core.user.impersonation.session.initiated")
    .severity("WARN")
    .target(ops::user_target(admin))
    .uri("/api/internal/impersonation/initiate")
    .emit(rng, out)
}

/// Support impersonation started with no grant before it.
pub fn orphan_initiate(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    t: &Tenant,
    at: i64,
) -> anyhow::Result<()> {
    let support_ip = story_ip(SUPPORT_IP, geo::SAN_JOSE_CR, geo::ICE);
    initiate(rng, out, &support_ip, &t.users[GRANTING_ADMIN], at)
}
