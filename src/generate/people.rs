//! The people of Acme: the story's cast from fixed values, everyone else
//! drawn from the seed, with their machines and habits.

use super::catalog;
use super::clock::{self, Period};
use super::geo;
use super::ids::{self, pick};
use super::names;
use super::story::CAST;
use super::tenant::{DeviceInfo, Role, Tenant, Travel, User, VPN_ZONE};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

/// Someone outside the cast: a unique login, a home city weighted like
/// Acme's offices, a Mac (mostly with Jamf) or a PC, and maybe a trip.
pub fn crowd_member(
    rng: &mut ChaCha8Rng,
    t: &mut Tenant,
    taken: &mut BTreeSet<String>,
    office_of: &dyn Fn(usize) -> Option<usize>,
    days: u32,
) -> User {
    let first = *pick(rng, names::FIRST);
    let last = *pick(rng, names::LAST);
    let mut login = format!("{first}.{last}@acme.com");
    let mut n = 2;
    while taken.contains(&login) {
        login = format!("{first}.{last}{n}@acme.com");
        n += 1;
    }
    taken.insert(login.clone());
    let weights: u32 = geo::HOME_CITIES.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..weights);
    let mut city = geo::SAN_FRANCISCO;
    for (c, w) in geo::HOME_CITIES {
        if roll < *w {
            city = *c;
            break;
        }
        roll -= w;
    }
    let home = t.home_ip(rng, city);
    let os_roll = rng.random_range(0..100);
    let mac = os_roll < 65;
    let jamf = mac && rng.random_range(0..100) < 90;
    let id = ids::okta_id(rng, "00u");
    let mut user = new_user(rng, first, last, login, id, home, mac, jamf);
    if os_roll >= 95 {
        user.agent = &catalog::LINUX_BROWSERS[0];
        user.device.os_platform = "LINUX";
        user.device.os_version = "22.04";
    }
    user.office = office_of(city)
        .filter(|_| rng.random_bool(0.5))
        .map(|ip| (ip, rng.random_range(30..80)));
    user.engineer = rng.random_bool(0.4);
    if days >= 6 && rng.random_range(0..100) < 3 {
        let leave_day = rng.random_range(1..days - 4);
        let destinations = [
            geo::LONDON,
            geo::NEW_YORK,
            geo::BERLIN,
            geo::SAN_FRANCISCO,
            geo::TORONTO,
        ];
        let dest = *pick(rng, &destinations);
        let dest = if dest == city { geo::DUBLIN } else { dest };
        let hotel_ip = t.home_ip(rng, dest);
        user.travel = Some(Travel {
            leave_day,
            return_day: leave_day + rng.random_range(3..5),
            hotel_ip,
        });
    }
    user
}

/// A couple of Mac users (and a few more at random) connect to the
/// corporate VPN mid-day once, on a working day: their keep-alives move to
/// the VPN's egress in their own city.
pub fn assign_vpn(rng: &mut ChaCha8Rng, t: &mut Tenant, period: &Period) {
    let mut assigned = 0;
    for u in CAST.len()..t.users.len() {
        let user = &t.users[u];
        if !user.jamf || user.travel.is_some() {
            continue;
        }
        if assigned >= 2 && rng.random_range(0..100) >= 3 {
            continue;
        }
        let mut day = rng.random_range(0..period.days);
        // Move off a weekend to the nearest working day inside the period.
        while day > 0 && clock::is_weekend(period.day_ms(day)) {
            day -= 1;
        }
        let city = t.ips[user.home_ip].city;
        let egress = t.random_ip(rng, city, geo::ZAYO, VPN_ZONE);
        t.users[u].vpn = Some((day, egress));
        assigned += 1;
    }
}

// One constructor for cast and crowd alike; the argument list mirrors the fields.
#[allow(clippy::too_many_arguments)]
pub fn new_user(
    rng: &mut ChaCha8Rng,
    first: &str,
    last: &str,
    login: String,
    id: String,
    home_ip: usize,
    mac: bool,
    jamf: bool,
) -> User {
    let first_cap = names::capitalize(first);
    let (agent, device) = if mac {
        let name = format!("{first_cap}'s MacBook Pro");
        (
            pick(rng, catalog::MAC_BROWSERS),
            device(rng, name, "OSX", "14.3.1", jamf),
        )
    } else {
        let name = format!(
            "DESKTOP-{}",
            ids::okta_id(rng, "")
                .get(..7)
                .unwrap_or("ACME")
                .to_uppercase()
        );
        (
            pick(rng, catalog::WINDOWS_BROWSERS),
            device(rng, name, "WINDOWS", "10.0.22631", false),
        )
    };
    User {
        display: format!("{first_cap} {}", names::capitalize(last)),
        first: first_cap,
        id,
        login,
        home_ip,
        office: None,
        agent,
        jamf,
        device,
        dt_hash: ids::hex(rng, 64),
        role: Role::User,
        engineer: false,
        travel: None,
        vpn: None,
        factor_id: ids::okta_id(rng, "opf"),
    }
}

fn device(
    rng: &mut ChaCha8Rng,
    name: String,
    os_platform: &'static str,
    os_version: &'static str,
    managed: bool,
) -> DeviceInfo {
    DeviceInfo {
        id: ids::okta_id(rng, "guo"),
        name,
        os_platform,
        os_version,
        managed,
        registered: true,
        device_integrator: None,
        disk_encryption_type: "ALL_INTERNAL_VOLUMES",
        screen_lock_type: if os_platform == "OSX" {
            "BIOMETRIC"
        } else {
            "PASSCODE"
        },
        jailbreak: None,
        secure_hardware_present: true,
    }
}
