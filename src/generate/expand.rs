//! Rendering one planned activity into events, with read-only access to
//! the tenant and the planned days.

use super::access;
use super::activity::{Act, Activity, UserDay};
use super::catalog::{self, APPS};
use super::clock::MINUTE;
use super::event::Line;
use super::human::{self, Novelty, Seat, SignInOpts};
use super::ids::pick;
use super::ops::{self, Followup};
use super::story;
use super::tenant::Tenant;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Read-only access to the tenant and the planned days.
#[derive(Clone, Copy)]
pub struct View<'e> {
    pub t: &'e Tenant,
    pub days: &'e BTreeMap<u32, Vec<Option<UserDay>>>,
}

impl<'e> View<'e> {
    fn user_day(self, day: u32, user: u32) -> Option<&'e UserDay> {
        self.days.get(&day)?.get(user as usize)?.as_ref()
    }

    /// The user at their machine at `at`, in the session then current.
    fn seat(self, day: u32, user: u32, at: i64) -> Option<Seat<'e>> {
        let ud = self.user_day(day, user)?;
        let user = self.t.users.get(user as usize)?;
        let s = ud.session_at(at);
        Some(Seat {
            user,
            ip: self.t.ip(s.ip),
            agent: user.agent,
            session: Some(&s.id),
            dt_hash: &user.dt_hash,
            device: Some(&user.device),
        })
    }

    /// Someone who asked the helpdesk for something: a working user outside
    /// the story's cast (so background resets never blur the story) who
    /// always works from one address. Anyone else could sign in from a
    /// second address (office, VPN, hotel) right after a reset, which is
    /// exactly what takeover hunts look for.
    fn pick_requester(self, rng: &mut ChaCha8Rng, day: u32, at: i64) -> Option<u32> {
        let crowd = story::CAST.len()..self.t.users.len();
        if crowd.is_empty() {
            return None;
        }
        for _ in 0..8 {
            let u = u32::try_from(rng.random_range(crowd.clone())).ok()?;
            let user = &self.t.users[u as usize];
            let one_address = user.office.is_none() && user.vpn.is_none() && user.travel.is_none();
            if one_address
                && self
                    .user_day(day, u)
                    .is_some_and(|ud| ud.covers(at + 30 * MINUTE))
            {
                return Some(u);
            }
        }
        None
    }
}

/// Render one activity into `out`; activities it causes go to `later`.
pub fn expand(
    v: View,
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    later: &mut Vec<Activity>,
    a: Activity,
) -> anyhow::Result<()> {
    let t = v.t;
    match a.act {
        Act::SignIn {
            user,
            session,
            fail_first,
        } => {
            let (Some(ud), Some(u)) = (v.user_day(a.day, user), t.users.get(user as usize)) else {
                return Ok(());
            };
            let Some(s) = ud.sessions.get(usize::from(session)) else {
                return Ok(());
            };
            let seat = Seat {
                user: u,
                ip: t.ip(s.ip),
                agent: u.agent,
                session: Some(&s.id),
                dt_hash: &u.dt_hash,
                device: Some(&u.device),
            };
            human::sign_in(
                rng,
                out,
                &seat,
                a.at,
                s.novelty,
                SignInOpts {
                    fail_first,
                    enroll: None,
                },
            )?;
        }
        Act::Sso { user, app } => {
            let Some(seat) = v.seat(a.day, user, a.at) else {
                return Ok(());
            };
            let app = usize::from(app);
            let via_server = rng.random_range(0..1000) < APPS[app].service_ip_permille;
            let server = if via_server {
                Some(t.ip(*pick(rng, &t.google_ips)))
            } else {
                None
            };
            access::sso(rng, out, &seat, a.at, app, server)?;
        }
        Act::Refresh { user } => {
            let Some(seat) = v.seat(a.day, user, a.at) else {
                return Ok(());
            };
            let app = &APPS[*pick(rng, &[catalog::ZOOM, catalog::INTRANET])];
            access::token(rng, out, &seat, a.at, app, "access_token", "refresh_token")?;
        }
        Act::KeepAlive { user } => {
            let (Some(ud), Some(u)) = (v.user_day(a.day, user), t.users.get(user as usize)) else {
                return Ok(());
            };
            let s = ud.session_at(a.at);
            access::keepalive(rng, out, u, t.ip(s.ip), a.at, &s.jamf_id)?;
        }
        Act::SignOut { user } => {
            let Some(seat) = v.seat(a.day, user, a.at) else {
                return Ok(());
            };
            human::sign_out(rng, out, &seat, a.at)?;
        }
        Act::Vpn { user } => {
            let Some(seat) = v.seat(a.day, user, a.at) else {
                return Ok(());
            };
            access::sso(rng, out, &seat, a.at, catalog::GLOBALPROTECT, None)?;
        }
        Act::Console { user } => {
            let Some(seat) = v.seat(a.day, user, a.at) else {
                return Ok(());
            };
            ops::admin_console(rng, out, &seat, a.at, Novelty::NONE)?;
        }
        Act::Helpdesk { user, roll } => {
            let Some(seat) = v.seat(a.day, user, a.at) else {
                return Ok(());
            };
            let Some(target) = v.pick_requester(rng, a.day, a.at) else {
                return Ok(());
            };
            let Some(target_user) = t.users.get(target as usize) else {
                return Ok(());
            };
            let followup = ops::helpdesk_task(rng, out, &seat, a.at, target_user, u32::from(roll))?;
            let at = a.at + rng.random_range(4 * MINUTE..30 * MINUTE);
            let still_working = v.user_day(a.day, target).is_some_and(|ud| ud.covers(at));
            if followup != Followup::None && still_working {
                later.push(Activity {
                    at,
                    day: a.day,
                    act: Act::Followup {
                        user: target,
                        kind: followup,
                    },
                });
            }
        }
        Act::Followup { user, kind } => {
            let Some(seat) = v.seat(a.day, user, a.at) else {
                return Ok(());
            };
            match kind {
                Followup::NewPassword => human::update_password(rng, out, &seat, a.at)?,
                Followup::NewFactor => {
                    human::activate_factor(rng, out, &seat, a.at, "OKTA_VERIFY_PUSH")?
                }
                Followup::None => {}
            }
        }
        Act::Service { svc } => {
            if let Some(svc) = t.services.get(usize::from(svc)) {
                ops::service_cycle(rng, out, t, svc, a.at)?;
            }
        }
        Act::Import => ops::import_run(rng, out, t, a.at)?,
        Act::NewHire { n } => ops::new_hire(rng, out, a.at, n)?,
    }
    Ok(())
}
