//! The org's routine machinery: helpdesk admin work, Okta's own jobs, and
//! the service accounts that fetch tokens all day.

use super::access;
use super::catalog::{self, APPS, GROUPS, Group};
use super::event::{Draft, Line, Origin, Principal, StrMap};
use super::human::{Novelty, Seat};
use super::ids::{self, pick};
use super::tenant::{ServiceAccount, Tenant, User};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;

pub fn user_target(user: &User) -> Principal<'_> {
    Principal::new(&user.id, "User", &user.login, &user.display)
}

pub fn group_target(group: &Group) -> Principal<'_> {
    Principal::new(group.id, "UserGroup", "unknown", group.name)
}

pub fn system_actor() -> Principal<'static> {
    Principal::new(
        catalog::SYSTEM_ID,
        "SystemPrincipal",
        catalog::SYSTEM_LOGIN,
        catalog::SYSTEM_NAME,
    )
}

/// An admin opens the Admin Console (reads there are not logged; this is).
pub fn admin_console(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    seat: &Seat,
    at: i64,
    novelty: Novelty,
) -> anyhow::Result<()> {
    let console = &APPS[catalog::ADMIN_CONSOLE];
    seat.draft(
        at,
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
    .debug("behaviors", novelty.behaviors())
    .debug("risk", novelty.risk())
    .debug("logOnlySecurityData", novelty.log_only())
    .emit(rng, out)
}

pub fn reset_password(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    d: Draft<'_>,
    target: &User,
) -> anyhow::Result<()> {
    let uri = format!("/api/v1/users/{}/lifecycle/reset_password", target.id);
    let mut d = d.target(user_target(target)).uri(&uri);
    d.event_type = "user.account.reset_password";
    d.display = "Reset password";
    d.legacy("core.user.config.user_status.password_reset")
        .emit(rng, out)
}

pub fn reset_factors(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    d: Draft<'_>,
    target: &User,
) -> anyhow::Result<()> {
    let uri = format!("/api/v1/users/{}/lifecycle/reset_factors", target.id);
    let mut d = d.target(user_target(target)).uri(&uri);
    d.event_type = "user.mfa.factor.reset_all";
    d.display = "Reset all factors for user";
    d.legacy("core.user.factor.reset_all").emit(rng, out)
}

pub fn add_to_group<'a>(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    d: Draft<'a>,
    target: Principal<'a>,
    group: &'a Group,
) -> anyhow::Result<()> {
    let uri = format!("/api/v1/groups/{}/users/{}", group.id, target.id);
    let mut d = d.target(target).target(group_target(group)).uri(&uri);
    d.event_type = "group.user_membership.add";
    d.display = "Add user to group membership";
    d.legacy("core.user_group_member.user_add").emit(rng, out)
}

/// An event by Okta's background jobs: SystemPrincipal, JOB, client all null.
pub fn job<'a>(at: i64, event_type: &'a str, display: &'a str) -> Draft<'a> {
    Draft::new(at, event_type, display, system_actor(), Origin::Job)
}

/// One helpdesk task chosen by `roll` (0-99); `target` is who asked for help.
/// Returns whether the user will have to act afterwards (new password or
/// factor), which the caller schedules.
pub fn helpdesk_task(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    seat: &Seat,
    at: i64,
    target: &User,
    roll: u32,
) -> anyhow::Result<Followup> {
    if roll < 30 {
        reset_password(rng, out, seat.draft(at, "", ""), target)?;
        Ok(Followup::NewPassword)
    } else if roll < 90 {
        let group = &GROUPS[rng.random_range(1..GROUPS.len())];
        if group.id == GROUPS[catalog::ADMINS_GROUP].id {
            // Helpdesk cannot grant admin; they add people to ordinary groups.
            add_to_group(
                rng,
                out,
                seat.draft(at, "", ""),
                user_target(target),
                &GROUPS[catalog::VPN_USERS],
            )?;
        } else {
            add_to_group(rng, out, seat.draft(at, "", ""), user_target(target), group)?;
        }
        Ok(Followup::None)
    } else {
        reset_factors(rng, out, seat.draft(at, "", ""), target)?;
        Ok(Followup::NewFactor)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Followup {
    None,
    NewPassword,
    NewFactor,
}

/// A service account's cycle: authenticate, then take an ID token and an
/// access token, from whichever cloud address the job ran on.
pub fn service_cycle(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    t: &Tenant,
    svc: &ServiceAccount,
    at: i64,
) -> anyhow::Result<()> {
    let ip = t.ip(*pick(rng, &svc.pool));
    let actor = || Principal::new(&svc.id, "User", svc.login, "");
    let origin = || Origin::Web {
        ip,
        agent: svc.agent,
        zone: "null",
        device: "Unknown",
    };
    let mut verify = Draft::new(
        at,
        "user.authentication.verify",
        "Verify user identity",
        actor(),
        origin(),
    )
    .uri("/oauth2/v1/token");
    verify.auth.authentication_provider = Some("OKTA_AUTHENTICATION_PROVIDER");
    verify.auth.credential_type = Some("PASSWORD");
    verify.client_id = Some(catalog::AUTOMATION_CLIENT_ID);
    verify.emit(rng, out)?;
    let mut t2 = at + rng.random_range(40..400);
    for kind in ["id_token", "access_token"] {
        let d = Draft::new(t2, "", "", actor(), origin());
        access::token_event(
            rng,
            out,
            d,
            &svc.id,
            catalog::AUTOMATION_CLIENT_ID,
            kind,
            "password",
        )?;
        t2 += rng.random_range(1..30);
    }
    Ok(())
}

/// The Active Directory import: start, profile pushes to apps, complete.
pub fn import_run(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    t: &Tenant,
    at: i64,
) -> anyhow::Result<()> {
    let directory = || {
        Principal::new(
            catalog::AD_DIRECTORY_ID,
            "AppInstance",
            "acme.local",
            "Active Directory",
        )
    };
    job(at, "system.import.start", "Import started")
        .legacy("core.user_import.start")
        .target(directory())
        .emit(rng, out)?;
    let mut at = at + rng.random_range(20_000..90_000);
    for _ in 0..rng.random_range(0..4) {
        let user = pick(rng, &t.users);
        let app = &APPS[rng.random_range(0..3)];
        job(at, "app.user_management", "Push user profile update to app")
            .legacy("app.user_management.push_profile_success")
            .target(user_target(user))
            .target(Principal::new(app.id, "AppInstance", app.label, app.label))
            .emit(rng, out)?;
        at += rng.random_range(500..8_000);
    }
    let summary = format!(
        "{} users scanned, 0 created, {} updated",
        t.users.len(),
        rng.random_range(0..3)
    );
    job(
        at + rng.random_range(5_000..40_000),
        "system.import.complete",
        "Import completed",
    )
    .legacy("core.user_import.complete")
    .target(directory())
    .debug("importSummary", summary)
    .emit(rng, out)
}

/// A new hire arrives from Active Directory and lands in groups by rule.
pub fn new_hire(rng: &mut ChaCha8Rng, out: &mut Vec<Line>, at: i64, n: u32) -> anyhow::Result<()> {
    let id = ids::okta_id(rng, "00u");
    let login = format!("new.hire{n}@acme.com");
    let display = format!("New Hire{n}");
    let who = || {
        let mut p = Principal::new("", "User", "", "");
        p.id = Cow::Borrowed(id.as_str());
        p.alternate_id = Some(Cow::Borrowed(login.as_str()));
        p.display_name = Cow::Borrowed(display.as_str());
        p
    };
    job(at, "user.lifecycle.create", "Create okta user")
        .legacy("core.user.config.user_creation.success")
        .target(who())
        .emit(rng, out)?;
    job(at + 1_200, "user.lifecycle.activate", "Activate Okta user")
        .legacy("core.user.config.user_activated")
        .target(who())
        .emit(rng, out)?;
    let d = job(at + 2_500, "", "");
    let mut d = d
        .target(who())
        .target(group_target(&GROUPS[catalog::ENGINEERING]));
    d.event_type = "group.user_membership.add";
    d.display = "Add user to group membership";
    d.tx_detail = StrMap(vec![(
        "groupRuleId",
        Cow::Borrowed(catalog::ENGINEERING_RULE_ID),
    )]);
    d.legacy("core.user_group_member.user_add").emit(rng, out)
}
