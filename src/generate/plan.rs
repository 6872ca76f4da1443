//! A day of background activity, planned up front as small `Activity`
//! records (when, who, what) so a day for thousands of users costs little
//! memory; `engine` renders each one when its time comes.

use super::activity::{Act, Activity, SessionPlan, UserDay};
use super::catalog::{self, APPS, EVERYDAY_APPS};
use super::clock::{self, HOUR, MINUTE, Period};
use super::human::Novelty;
use super::ids;
use super::story;
use super::tenant::{Role, Tenant, User};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Plan day `d`: every user's day, the admins' tasks, Okta's jobs and the
/// service accounts. Activities all start at or after `d`'s midnight minus
/// 12 hours (the widest UTC offset), which `engine` relies on.
pub fn plan_day(
    rng: &mut ChaCha8Rng,
    t: &Tenant,
    period: &Period,
    d: u32,
    acts: &mut Vec<Activity>,
) -> Vec<Option<UserDay>> {
    let mut days = Vec::with_capacity(t.users.len());
    for (u, user) in t.users.iter().enumerate() {
        let index = u32::try_from(u).unwrap_or(u32::MAX);
        let day = if story::owns_day(u, d, period) {
            None
        } else {
            plan_user(rng, t, user, index, period, d, acts)
        };
        days.push(day);
    }
    let midnight = period.day_ms(d);
    // A small org runs fewer pipelines: stretch the service accounts' cadence.
    let slower = i64::try_from(200 / t.users.len().max(1))
        .unwrap_or(1)
        .clamp(1, 10);
    for (s, svc) in t.services.iter().enumerate() {
        let svc_index = u8::try_from(s).unwrap_or(u8::MAX);
        let (lo, hi) = (svc.every_min.0 * slower, svc.every_min.1 * slower);
        let mut at = midnight + rng.random_range(0..hi * MINUTE);
        while at < midnight + clock::DAY {
            acts.push(Activity {
                at,
                day: d,
                act: Act::Service { svc: svc_index },
            });
            at += rng.random_range(lo * MINUTE..hi * MINUTE);
        }
    }
    for hour in [1, 7, 13, 19] {
        let at = midnight + hour * HOUR + 15 * MINUTE + rng.random_range(0..120_000);
        acts.push(Activity {
            at,
            day: d,
            act: Act::Import,
        });
    }
    if d % 7 == 3 {
        acts.push(Activity {
            at: midnight + 14 * HOUR + rng.random_range(0..HOUR),
            day: d,
            act: Act::NewHire { n: d / 7 + 1 },
        });
    }
    days
}

fn plan_user(
    rng: &mut ChaCha8Rng,
    t: &Tenant,
    user: &User,
    u: u32,
    period: &Period,
    d: u32,
    acts: &mut Vec<Activity>,
) -> Option<UserDay> {
    let mut novelty = Novelty::NONE;
    let mut ip = user.home_ip;
    if let Some(trip) = &user.travel {
        if d == trip.leave_day || d == trip.return_day {
            return None; // in the air
        }
        if trip.leave_day < d && d < trip.return_day {
            ip = trip.hotel_ip;
            if d == trip.leave_day + 1 {
                novelty = Novelty::ABROAD;
            }
        }
    }
    if let (true, Some((office, share))) = (ip == user.home_ip, user.office) {
        if rng.random_range(0..100) < share {
            ip = office;
        }
    }
    let offset = t.ip(ip).city().utc_offset_min;
    let local = |minutes: i64| period.day_ms(d) + (minutes - offset) * MINUTE;
    let weekend = clock::is_weekend(period.day_ms(d));
    let (start, end, sso_count) = if weekend {
        if !rng.random_bool(0.12) {
            return None;
        }
        let start = local(rng.random_range(600..1140));
        (
            start,
            start + rng.random_range(30..150) * MINUTE,
            rng.random_range(1..6),
        )
    } else {
        if rng.random_bool(0.04) {
            return None; // a day off
        }
        (
            local(rng.random_range(450..585)),
            local(rng.random_range(990..1125)),
            rng.random_range(24..56),
        )
    };

    let mut sessions = vec![SessionPlan {
        start,
        id: ids::session_id(rng),
        jamf_id: ids::session_id(rng),
        ip,
        novelty,
    }];
    let vpn_switch = user.vpn.filter(|(day, _)| *day == d && !weekend);
    if let Some((_, egress)) = vpn_switch {
        let at = start + rng.random_range(2 * HOUR..4 * HOUR);
        acts.push(Activity {
            at,
            day: d,
            act: Act::Vpn { user: u },
        });
        let s = at + rng.random_range(60_000..180_000);
        sessions.push(SessionPlan {
            start: s,
            id: ids::session_id(rng),
            jamf_id: ids::session_id(rng),
            ip: egress,
            novelty: Novelty::NEW_IP,
        });
    } else if !weekend && rng.random_bool(0.35) {
        // The morning session idled out over lunch.
        let s = local(rng.random_range(750..870));
        sessions.push(SessionPlan {
            start: s,
            id: ids::session_id(rng),
            jamf_id: ids::session_id(rng),
            ip,
            novelty: Novelty::NONE,
        });
    }
    for (i, s) in sessions.iter().enumerate() {
        let fail_first = rng.random_bool(0.03);
        acts.push(Activity {
            at: s.start,
            day: d,
            act: Act::SignIn {
                user: u,
                session: u8::try_from(i).unwrap_or(0),
                fail_first,
            },
        });
    }
    // SSO and refreshes start once the first sign-in has settled.
    let busy_from = start + 3 * MINUTE;
    let busy_to = end.max(busy_from + MINUTE);
    for _ in 0..sso_count {
        let at = rng.random_range(busy_from..busy_to);
        if sessions
            .iter()
            .any(|s| s.start <= at && at < s.start + 3 * MINUTE)
        {
            continue; // mid sign-in
        }
        let app = everyday_app(rng, user);
        acts.push(Activity {
            at,
            day: d,
            act: Act::Sso { user: u, app },
        });
    }
    let mut at = busy_from + rng.random_range(20 * MINUTE..60 * MINUTE);
    while at < end {
        acts.push(Activity {
            at,
            day: d,
            act: Act::Refresh { user: u },
        });
        at += rng.random_range(25 * MINUTE..45 * MINUTE);
    }
    if user.jamf {
        let mut at = start + rng.random_range(60_000..240_000);
        while at < end {
            acts.push(Activity {
                at,
                day: d,
                act: Act::KeepAlive { user: u },
            });
            at += 15 * MINUTE + rng.random_range(-90_000..90_000);
        }
    }
    if rng.random_bool(0.45) {
        acts.push(Activity {
            at: end,
            day: d,
            act: Act::SignOut { user: u },
        });
    }
    if !weekend {
        plan_admin(rng, user, u, d, (start, end), t.users.len(), acts);
    }
    Some(UserDay {
        start,
        end,
        sessions,
    })
}

fn plan_admin(
    rng: &mut ChaCha8Rng,
    user: &User,
    u: u32,
    d: u32,
    (start, end): (i64, i64),
    crowd: usize,
    acts: &mut Vec<Activity>,
) {
    let console = start + rng.random_range(10 * MINUTE..40 * MINUTE);
    match user.role {
        Role::HelpDesk => {
            acts.push(Activity {
                at: console,
                day: d,
                act: Act::Console { user: u },
            });
            let from = console + 5 * MINUTE;
            let to = (end - 30 * MINUTE).max(from + MINUTE);
            // About one request per hundred people a day, at least now and then.
            let most = u32::try_from(crowd / 60).unwrap_or(8).clamp(1, 8);
            for _ in 0..rng.random_range(0..=most) {
                let roll = rng.random_range(0..100);
                acts.push(Activity {
                    at: rng.random_range(from..to),
                    day: d,
                    act: Act::Helpdesk { user: u, roll },
                });
            }
        }
        Role::SuperAdmin if rng.random_bool(0.3) => acts.push(Activity {
            at: console,
            day: d,
            act: Act::Console { user: u },
        }),
        _ => {}
    }
}

/// An app by popularity; only engineers open GitHub.
fn everyday_app(rng: &mut ChaCha8Rng, user: &User) -> u8 {
    let total: u32 = APPS[..EVERYDAY_APPS].iter().map(|a| a.weight).sum();
    let mut roll = rng.random_range(0..total);
    let mut chosen = catalog::SLACK;
    for (i, app) in APPS[..EVERYDAY_APPS].iter().enumerate() {
        if roll < app.weight {
            chosen = i;
            break;
        }
        roll -= app.weight;
    }
    if chosen == catalog::GITHUB && !user.engineer {
        chosen = catalog::SLACK;
    }
    u8::try_from(chosen).unwrap_or(0)
}
