//! After a credential reset: did the user then sign in from somewhere new?
//! A reset followed by a session from an IP the user had never used is the
//! classic account takeover (the attacker set the password or factor).

use super::common::HOUR_MS;
use crate::hunt::facts;
use crate::hunt::{Facts, HuntContext};
use std::collections::HashMap;
use std::net::Ipv6Addr;

/// Users' own activity (events they are the actor of), loaded once per user
/// and hunt run. Read over the whole case, not only the hunt's time range:
/// what a user did before the range is what makes an IP familiar.
pub struct Histories<'c, 'a> {
    ctx: &'c HuntContext<'a>,
    cache: HashMap<String, Vec<Facts>>,
}

impl<'c, 'a> Histories<'c, 'a> {
    pub fn new(ctx: &'c HuntContext<'a>) -> Self {
        Histories {
            ctx,
            cache: HashMap::new(),
        }
    }

    fn of(&mut self, user: &str) -> tantivy::Result<&[Facts]> {
        if !self.cache.contains_key(user) {
            let q = format!("actor:{}", super::common::quoted(user));
            let events = facts::collect_query(self.ctx.searcher, self.ctx.fields, &q)?;
            self.cache.insert(user.to_string(), events);
        }
        Ok(self.cache.get(user).map_or(&[], Vec::as_slice))
    }

    /// The IPs `user` acted from before `ms` (app servers' and token
    /// granters' IPs aside: they say nothing about the user).
    pub fn known_ips(&mut self, user: &str, ms: i64) -> tantivy::Result<Vec<Ipv6Addr>> {
        let correlation = self.ctx.correlation;
        let mut ips: Vec<Ipv6Addr> = Vec::new();
        for ip in self
            .of(user)?
            .iter()
            .filter(|e| e.published_ms < ms)
            .filter_map(|e| e.ip)
        {
            if !correlation.is_noise_ip(ip) && !ips.contains(&ip) {
                ips.push(ip);
            }
        }
        Ok(ips)
    }

    /// Successful sign-ins (`user.session.start`) of `user` within
    /// `reset_followup_hours` after `reset_ms` from an IP the user had not
    /// used before the reset. Empty when the case holds no earlier activity
    /// of the user: with no baseline, no IP can be called new.
    pub fn new_ip_sign_ins(&mut self, user: &str, reset_ms: i64) -> tantivy::Result<Vec<Facts>> {
        let known = self.known_ips(user, reset_ms)?;
        if known.is_empty() {
            return Ok(Vec::new());
        }
        let until =
            reset_ms.saturating_add(self.ctx.config.reset_followup_hours.saturating_mul(HOUR_MS));
        let correlation = self.ctx.correlation;
        Ok(self
            .of(user)?
            .iter()
            .filter(|e| e.event_type == "user.session.start" && e.succeeded())
            .filter(|e| e.published_ms > reset_ms && e.published_ms <= until)
            .filter(|e| {
                e.ip.is_some_and(|ip| !known.contains(&ip) && !correlation.is_noise_ip(ip))
            })
            .cloned()
            .collect())
    }

    /// The new-IP sign-ins after any of `resets` (see `new_ip_sign_ins`),
    /// each once, oldest first.
    pub fn after_resets(&mut self, user: &str, resets: &[&Facts]) -> tantivy::Result<Vec<Facts>> {
        let mut found: Vec<Facts> = Vec::new();
        for r in resets {
            for s in self.new_ip_sign_ins(user, r.published_ms)? {
                if !found.iter().any(|k| k.uuid == s.uuid) {
                    found.push(s);
                }
            }
        }
        found.sort_by_key(|f| f.published_ms);
        Ok(found)
    }

    /// Whether `ip` is new for `user` at `ms` (false when there is no
    /// baseline to compare with).
    pub fn is_new_ip(&mut self, user: &str, ip: Ipv6Addr, ms: i64) -> tantivy::Result<bool> {
        let known = self.known_ips(user, ms)?;
        Ok(!known.is_empty() && !known.contains(&ip) && !self.ctx.correlation.is_noise_ip(ip))
    }
}

/// ", then signed in from new IP 185.247.71.106 (Bucharest, Romania) at
/// 16:57 UTC" for the first of `sign_ins`, or "" when there is none.
pub fn describe(user: &str, sign_ins: &[Facts]) -> String {
    let Some(first) = sign_ins.first() else {
        return String::new();
    };
    let others = super::common::ips_of(sign_ins.iter())
        .len()
        .saturating_sub(1);
    let more = if others > 0 {
        format!(" (and {others} other new IPs)")
    } else {
        String::new()
    };
    format!(
        "; {user} then signed in from new IP {}{more} at {}",
        super::common::place(first),
        super::common::when(first.published_ms)
    )
}

/// The evidence of a reset finding: the resets and the sign-ins that
/// followed them, oldest first.
pub fn evidence<'a>(resets: &[&'a Facts], sign_ins: &'a [Facts]) -> Vec<&'a Facts> {
    let mut all: Vec<&Facts> = resets.to_vec();
    all.extend(sign_ins.iter());
    all.sort_by_key(|f| f.published_ms);
    all
}
