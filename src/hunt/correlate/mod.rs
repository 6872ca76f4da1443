//! The correlation layer shared by hunts and the TUI: what an IP means for
//! a user (keep-alive/dominant, SSO service, token granter, proxy).
//!
//! Built once per hunt run from narrow queries over fast fields (never the
//! stored JSON): [`keepalive`], [`sso`], [`tokens`], and `proxy:true`.

pub mod fast;
pub mod keepalive;
pub mod scan;
pub mod sso;
#[cfg(test)]
pub(crate) mod testkit;
pub mod tokens;

use super::HuntConfig;
use super::facts::Facts;
use crate::index::query;
use crate::index::schema::Fields;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv6Addr;
use tantivy::Searcher;

/// A run of keep-alives from one IP for one user.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepAliveSpan {
    pub ip: Ipv6Addr,
    pub first_ms: i64,
    pub last_ms: i64,
    pub count: u64,
}

/// What okhunt knows an IP to be, for one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpRole {
    /// The user's keep-alive (dominant) IP at some point.
    KeepAlive,
    /// An app's server, seen on SSO events for many users.
    SsoService,
    /// An IP used by a token-granting service user.
    TokenGranter,
    /// An anonymizing proxy (securityContext.isProxy).
    Proxy,
    Other,
}

#[derive(Debug, Clone, Default)]
pub struct Correlation {
    /// Per user (actor alternateId): keep-alive spans, oldest first.
    pub keepalive: BTreeMap<String, Vec<KeepAliveSpan>>,
    pub sso_service_ips: BTreeSet<Ipv6Addr>,
    pub token_granters: BTreeSet<String>,
    pub token_granter_ips: BTreeSet<Ipv6Addr>,
    pub proxy_ips: BTreeSet<Ipv6Addr>,
}

impl Correlation {
    /// What the events between `since` and `until` say about IPs.
    pub fn build(
        searcher: &Searcher,
        fields: &Fields,
        config: &HuntConfig,
        since: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> tantivy::Result<Correlation> {
        let keepalives = keepalive::by_user(searcher, fields, config, since, until)?;
        let keepalive = keepalive::spans(&keepalives, keepalive::span_gap_ms(config));
        let sso_service_ips = sso::service_ips(searcher, fields, config, since, until)?;
        let (token_granters, token_granter_ips) =
            tokens::granters(searcher, fields, config, since, until)?;
        let proxied = query::parse(fields, searcher.schema(), "proxy:true")
            .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
        let proxied = query::and(proxied, query::time_range(fields, since, until));
        let proxy_ips = scan::scan(searcher, proxied.as_ref(), [])?
            .rows
            .iter()
            .filter_map(|r| r.ip)
            .collect();
        Ok(Correlation {
            keepalive,
            sso_service_ips,
            token_granters,
            token_granter_ips,
            proxy_ips,
        })
    }

    pub fn is_sso_service_ip(&self, ip: Ipv6Addr) -> bool {
        self.sso_service_ips.contains(&ip)
    }

    pub fn is_token_granter(&self, actor: &str) -> bool {
        self.token_granters.contains(actor)
    }

    /// IPs that say nothing about where a user is: app servers and
    /// token-granting service users' IPs.
    pub fn is_noise_ip(&self, ip: Ipv6Addr) -> bool {
        self.sso_service_ips.contains(&ip) || self.token_granter_ips.contains(&ip)
    }

    /// Whether an event is a keep-alive under the configured signature
    /// (an empty configured string matches nothing).
    pub fn is_keepalive(f: &Facts, config: &HuntConfig) -> bool {
        keepalive::signature(f.ua.as_deref(), f.target_app.as_deref(), config)
    }

    /// The user's keep-alive IP in force at `ms`: the span covering it, else
    /// the latest span that started before it.
    pub fn dominant_ip_at(&self, user: &str, ms: i64) -> Option<Ipv6Addr> {
        let spans = self.keepalive.get(user)?;
        spans
            .iter()
            .rev()
            .find(|s| s.first_ms <= ms && ms <= s.last_ms)
            .or_else(|| spans.iter().rev().find(|s| s.first_ms <= ms))
            .map(|s| s.ip)
    }

    /// Whether the user's own Mac (its keep-alives) was at `ip` around `ms`:
    /// `Some(true)` when a keep-alive span from `ip` reaches within
    /// `slack_ms` of `ms`, `Some(false)` when spans from other IPs do but none
    /// from `ip`, `None` when no keep-alive is that close (the Mac was off,
    /// or the user has none). The slack covers the minutes between a network
    /// change and the next keep-alive.
    pub fn keepalive_ip_near(
        &self,
        user: &str,
        ip: Ipv6Addr,
        ms: i64,
        slack_ms: i64,
    ) -> Option<bool> {
        let spans = self.keepalive.get(user)?;
        let mut near = spans
            .iter()
            .filter(|s| s.first_ms - slack_ms <= ms && ms <= s.last_ms + slack_ms)
            .peekable();
        near.peek()?;
        Some(near.any(|s| s.ip == ip))
    }

    /// The role of `ip` for `user`.
    pub fn role_of(&self, user: Option<&str>, ip: Ipv6Addr) -> IpRole {
        if user
            .and_then(|u| self.keepalive.get(u))
            .is_some_and(|spans| spans.iter().any(|s| s.ip == ip))
        {
            IpRole::KeepAlive
        } else if self.sso_service_ips.contains(&ip) {
            IpRole::SsoService
        } else if self.token_granter_ips.contains(&ip) {
            IpRole::TokenGranter
        } else if self.proxy_ips.contains(&ip) {
            IpRole::Proxy
        } else {
            IpRole::Other
        }
    }
}
