//! Consecutive successful sign-ins of one user too far apart for the time
//! between them.

use super::common;
use crate::hunt::{Correlation, Facts, Finding, Hunt, HuntContext, Severity, finding_from};
use std::collections::BTreeMap;

const SIGN_INS: &str = "type:user.session.start AND outcome:SUCCESS";
const EARTH_RADIUS_KM: f64 = 6371.0088;

pub struct ImpossibleTravel;

impl Hunt for ImpossibleTravel {
    fn id(&self) -> &'static str {
        "impossible-travel"
    }

    fn title(&self) -> &'static str {
        "Impossible travel between sign-ins"
    }

    fn severity(&self) -> Severity {
        Severity::High
    }

    fn description(&self) -> &'static str {
        "Two consecutive successful sign-ins (user.session.start) of one user came from places \
         farther apart than anyone could travel in the time between them, judged from each \
         event's own geolocation: a second person likely holds the user's credentials or MFA. \
         Check both sessions (IP, user agent, dtHash, what each did), whether the far one followed \
         a password or MFA reset, and ask the user. Not evidence of travel, hence skipped: \
         anonymizing proxies, addresses of app SSO servers and token-granting service users, \
         Jamf keep-alives, and a move between two addresses the user's own Mac reported in turn \
         (a VPN switch). Geolocation is Okta's geo-IP guess: corporate VPN egresses and mobile \
         carriers can place a user far from where they are, and Okta does not log the VPN."
    }

    fn run(&self, ctx: &HuntContext) -> tantivy::Result<Vec<Finding>> {
        let events = common::facts(ctx, SIGN_INS)?;
        let mut by_user: BTreeMap<&str, Vec<&Facts>> = BTreeMap::new();
        for f in &events {
            if let Some(user) = f.who() {
                if located(ctx, f) {
                    by_user.entry(user).or_default().push(f);
                }
            }
        }
        let mut out = Vec::new();
        for (user, signins) in by_user {
            // Hops too fast to travel; consecutive hops sharing a sign-in
            // (there and back) make one finding.
            let mut trip: Vec<&Facts> = Vec::new();
            for pair in signins.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if !impossible(ctx, user, a, b) {
                    continue;
                }
                if trip.last().is_some_and(|l| l.uuid != a.uuid) {
                    out.push(self.finding(user, &trip));
                    trip.clear();
                }
                if trip.is_empty() {
                    trip.push(a);
                }
                trip.push(b);
            }
            if !trip.is_empty() {
                out.push(self.finding(user, &trip));
            }
        }
        Ok(out)
    }
}

/// A sign-in that says where its user is: geolocated, not a proxy, not a
/// service's address, not a keep-alive.
fn located(ctx: &HuntContext, f: &Facts) -> bool {
    let Some(ip) = f.ip else { return false };
    f.lat.is_some()
        && f.lon.is_some()
        && f.proxy != Some(true)
        && !ctx.correlation.proxy_ips.contains(&ip)
        && !ctx.correlation.is_noise_ip(ip)
        && !Correlation::is_keepalive(f, ctx.config)
}

fn impossible(ctx: &HuntContext, user: &str, a: &Facts, b: &Facts) -> bool {
    if a.ip == b.ip {
        return false;
    }
    let km = distance_km(a, b);
    if km < ctx.config.impossible_travel_min_km {
        return false;
    }
    // Both addresses were the user's Mac's own, each at its time: the Mac
    // moved networks (VPN), the user did not travel.
    let slack = ctx.config.keepalive_overlap_minutes.max(0) * common::MINUTE_MS;
    let own = |f: &Facts| {
        f.ip.and_then(|ip| {
            ctx.correlation
                .keepalive_ip_near(user, ip, f.published_ms, slack)
        }) == Some(true)
    };
    if own(a) && own(b) {
        return false;
    }
    speed_kmh(km, b.published_ms - a.published_ms) > ctx.config.impossible_travel_kmh
}

/// Great-circle distance between two events' geolocations (haversine).
pub fn distance_km(a: &Facts, b: &Facts) -> f64 {
    let (Some(lat1), Some(lon1), Some(lat2), Some(lon2)) = (a.lat, a.lon, b.lat, b.lon) else {
        return 0.0;
    };
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

fn speed_kmh(km: f64, ms: i64) -> f64 {
    if ms <= 0 {
        f64::INFINITY
    } else {
        km / (ms as f64 / 3_600_000.0)
    }
}

impl ImpossibleTravel {
    fn finding(&self, user: &str, trip: &[&Facts]) -> Finding {
        let hops: Vec<String> = trip
            .windows(2)
            .map(|p| {
                let km = distance_km(p[0], p[1]);
                let ms = p[1].published_ms - p[0].published_ms;
                format!(
                    "{} later {} ({:.0} km, {:.0} km/h)",
                    common::duration(ms),
                    common::place(p[1]),
                    km,
                    speed_kmh(km, ms).min(99_999.0)
                )
            })
            .collect();
        let start = trip.first().map(|f| common::place(f)).unwrap_or_default();
        let when = trip.first().map_or(0, |f| f.published_ms);
        let summary = format!(
            "{user} signed in from {start} at {}, then {}",
            common::clock(when),
            hops.join(", then ")
        );
        let title = format!("Impossible travel for {user}");
        finding_from(
            self,
            Severity::High,
            title,
            summary,
            Some(user.to_string()),
            Vec::new(),
            trip,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hunt::HuntConfig;
    use crate::hunt::correlate::testkit::*;

    fn start(uuid: &str, h: u32, p: &Place) -> Ev {
        Ev::new(uuid, at(h, 0, 0), "user.session.start")
            .user("jane@acme.com", "Jane")
            .origin(p)
    }

    #[test]
    fn there_and_back_is_one_finding_and_proxies_are_skipped() {
        let idx = TestIndex::from_events(&[
            start("t1", 9, &SAN_FRANCISCO),
            start("t2", 10, &BUCHAREST),
            start("t3", 11, &SAN_FRANCISCO),
            // Oakland is too close to matter; a proxy says nothing.
            start("n1", 12, &OAKLAND),
            start(
                "n2",
                13,
                &Place {
                    ip: "185.220.101.4",
                    ..BUCHAREST
                },
            )
            .proxy(),
        ]);
        let found = idx.run(&ImpossibleTravel, &HuntConfig::default());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(uuids(&found[0]), ["t1", "t2", "t3"]);
        assert!(
            found[0].summary.contains("Bucharest, Romania"),
            "{}",
            found[0].summary
        );
    }

    #[test]
    fn haversine_matches_a_known_distance() {
        let f = |lat, lon| Facts {
            lat: Some(lat),
            lon: Some(lon),
            ..Facts::default()
        };
        // San Francisco to Bucharest: about 10,400 km.
        let km = distance_km(&f(37.7749, -122.4194), &f(44.4268, 26.1025));
        assert!((10_300.0..10_500.0).contains(&km), "{km}");
    }
}
