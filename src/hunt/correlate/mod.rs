//! The correlation layer shared by hunts and the TUI: what an IP means for
//! a user (keep-alive/dominant, SSO service, token granter, proxy).
//! (Being implemented: the API below is stable.)

use super::HuntConfig;
use super::facts::Facts;
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
    pub fn build(
        _searcher: &Searcher,
        _fields: &Fields,
        _config: &HuntConfig,
        _since: Option<DateTime<Utc>>,
        _until: Option<DateTime<Utc>>,
    ) -> tantivy::Result<Correlation> {
        Ok(Correlation::default())
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

    /// Whether an event is a keep-alive under the configured signature.
    pub fn is_keepalive(f: &Facts, config: &HuntConfig) -> bool {
        f.ua.as_deref().is_some_and(|ua| {
            config
                .keepalive_user_agents
                .iter()
                .any(|k| ua.contains(k.as_str()))
        }) || f.target_app.as_deref().is_some_and(|app| {
            config
                .keepalive_apps
                .iter()
                .any(|a| a.eq_ignore_ascii_case(app))
        })
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
