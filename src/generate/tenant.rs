//! The people and networks of the synthetic org "Acme": who works where,
//! from which addresses, on which machine. Built once from the seed.

use super::catalog::{self, Agent};
use super::clock::Period;
use super::geo::{self, CITIES, City, ISPS, Isp};
use super::ids::{self, pick};
use super::people;
use super::story::{self, CAST};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::BTreeSet;

pub struct Ip {
    pub addr: String,
    pub city: usize,
    pub isp: usize,
    pub lat: f64,
    pub lon: f64,
    /// The Okta network zone the address falls in ("null" when none).
    pub zone: &'static str,
}

impl Ip {
    pub fn city(&self) -> &'static City {
        &CITIES[self.city]
    }
    pub fn isp(&self) -> &'static Isp {
        &ISPS[self.isp]
    }
}

/// The top-level `device` object Okta adds when Okta Verify vouches for the machine.
#[derive(Serialize)]
pub struct DeviceInfo {
    pub id: String,
    pub name: String,
    pub os_platform: &'static str,
    pub os_version: &'static str,
    pub managed: bool,
    pub registered: bool,
    pub device_integrator: Option<&'static str>,
    pub disk_encryption_type: &'static str,
    pub screen_lock_type: &'static str,
    pub jailbreak: Option<bool>,
    pub secure_hardware_present: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    User,
    HelpDesk,
    SuperAdmin,
}

/// Away from home: no activity on the travel days themselves (they are on a
/// plane), so consecutive sign-ins never imply impossible speed.
pub struct Travel {
    pub leave_day: u32,
    pub return_day: u32,
    pub hotel_ip: usize,
}

pub struct User {
    pub id: String,
    pub login: String,
    pub display: String,
    pub first: String,
    pub home_ip: usize,
    /// The office address and the share of working days spent there (percent).
    pub office: Option<(usize, u32)>,
    pub agent: &'static Agent,
    pub jamf: bool,
    pub device: DeviceInfo,
    pub dt_hash: String,
    pub role: Role,
    pub engineer: bool,
    pub travel: Option<Travel>,
    /// The day this user connects to the corporate VPN mid-day, and its egress.
    pub vpn: Option<(u32, usize)>,
    pub factor_id: String,
}

pub struct ServiceAccount {
    pub id: String,
    pub login: &'static str,
    pub agent: &'static Agent,
    pub pool: Vec<usize>,
    /// Minutes between token cycles (low, high).
    pub every_min: (i64, i64),
}

pub struct Tenant {
    pub users: Vec<User>,
    pub ips: Vec<Ip>,
    pub services: Vec<ServiceAccount>,
    pub google_ips: Vec<usize>,
}

impl Tenant {
    pub fn ip(&self, index: usize) -> &Ip {
        &self.ips[index]
    }

    /// Add an address; `jitter` spreads geolocations the way IP geo does.
    pub fn add_ip(
        &mut self,
        rng: &mut ChaCha8Rng,
        addr: String,
        city: usize,
        isp: usize,
        zone: &'static str,
        jitter: bool,
    ) -> usize {
        let c = &CITIES[city];
        let (dlat, dlon) = if jitter {
            (rng.random_range(-300..=300), rng.random_range(-300..=300))
        } else {
            (0, 0)
        };
        let round = |v: f64| (v * 10_000.0).round() / 10_000.0;
        let ip = Ip {
            addr,
            city,
            isp,
            lat: round(c.lat + f64::from(dlat) / 10_000.0),
            lon: round(c.lon + f64::from(dlon) / 10_000.0),
            zone,
        };
        self.ips.push(ip);
        self.ips.len() - 1
    }

    pub fn random_ip(
        &mut self,
        rng: &mut ChaCha8Rng,
        city: usize,
        isp: usize,
        zone: &'static str,
    ) -> usize {
        let (a, b) = *pick(rng, ISPS[isp].prefixes);
        let addr = format!(
            "{a}.{b}.{}.{}",
            rng.random_range(1..=254u8),
            rng.random_range(2..=254u8)
        );
        self.add_ip(rng, addr, city, isp, zone, true)
    }

    pub fn home_ip(&mut self, rng: &mut ChaCha8Rng, city: usize) -> usize {
        let isp = *pick(rng, CITIES[city].isps);
        self.random_ip(rng, city, isp, "null")
    }
}

pub const OFFICE_ZONE: &str = "Acme Offices";
pub const VPN_ZONE: &str = "Acme VPN";

/// The smallest tenant: the story's cast.
pub fn min_users() -> u32 {
    u32::try_from(CAST.len()).unwrap_or(u32::MAX)
}

pub fn build(rng: &mut ChaCha8Rng, users: u32, period: &Period) -> Tenant {
    let days = period.days;
    let mut t = Tenant {
        users: Vec::new(),
        ips: Vec::new(),
        services: Vec::new(),
        google_ips: Vec::new(),
    };
    let sf_office = t.add_ip(
        rng,
        story::SF_OFFICE_IP.into(),
        geo::SAN_FRANCISCO,
        geo::ZAYO,
        OFFICE_ZONE,
        false,
    );
    let austin_office = t.add_ip(
        rng,
        story::AUSTIN_OFFICE_IP.into(),
        geo::AUSTIN,
        geo::ZAYO,
        OFFICE_ZONE,
        false,
    );
    let ny_office = t.random_ip(rng, geo::NEW_YORK, geo::ZAYO, OFFICE_ZONE);
    let london_office = t.random_ip(rng, geo::LONDON, geo::ZAYO, OFFICE_ZONE);
    let office_of = |city: usize| match city {
        geo::SAN_FRANCISCO => Some(sf_office),
        geo::AUSTIN => Some(austin_office),
        geo::NEW_YORK => Some(ny_office),
        geo::LONDON => Some(london_office),
        _ => None,
    };
    for city in [
        geo::MOUNTAIN_VIEW,
        geo::MOUNTAIN_VIEW,
        geo::THE_DALLES,
        geo::THE_DALLES,
    ] {
        let ip = t.random_ip(rng, city, geo::GOOGLE, "null");
        t.google_ips.push(ip);
    }

    let mut taken = BTreeSet::new();
    for c in CAST {
        let home = match c.home_ip {
            ip if ip == story::SF_OFFICE_IP => sf_office,
            ip if ip == story::AUSTIN_OFFICE_IP => austin_office,
            ip => t.add_ip(rng, ip.into(), c.city, c.isp, "null", false),
        };
        taken.insert(c.login.to_string());
        let mut user = people::new_user(
            rng,
            c.first,
            c.last,
            c.login.into(),
            c.id.into(),
            home,
            c.mac,
            c.jamf,
        );
        user.role = c.role;
        user.engineer = true;
        t.users.push(user);
    }

    let wanted = users.max(min_users());
    while t.users.len() < wanted as usize {
        let user = people::crowd_member(rng, &mut t, &mut taken, &office_of, days);
        t.users.push(user);
    }
    people::assign_vpn(rng, &mut t, period);

    for (login, agent, every_min, regions) in [
        (
            "svc-ci-runner",
            0,
            (3, 9),
            &[geo::ASHBURN, geo::BOARDMAN, geo::DUBLIN][..],
        ),
        (
            "svc-terraform",
            1,
            (25, 70),
            &[geo::ASHBURN, geo::COUNCIL_BLUFFS][..],
        ),
        (
            "svc-data-sync",
            2,
            (10, 20),
            &[geo::BOYDTON, geo::ASHBURN][..],
        ),
    ] {
        let mut pool = Vec::new();
        for _ in 0..rng.random_range(12..40) {
            let city = *pick(rng, regions);
            let isp = match city {
                geo::COUNCIL_BLUFFS => geo::GCP,
                geo::BOYDTON => geo::AZURE,
                _ => geo::AWS,
            };
            pool.push(t.random_ip(rng, city, isp, "null"));
        }
        let id = ids::okta_id(rng, "00u");
        t.services.push(ServiceAccount {
            id,
            login,
            agent: &catalog::AUTOMATION_AGENTS[agent],
            pool,
            every_min,
        });
    }
    t
}
