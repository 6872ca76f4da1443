//! Network hunts: what IP addresses, places, sessions and sign-in attempts
//! say. Each one ignores addresses that say nothing about a user (app SSO
//! servers, token-granting service users) through the correlation layer.

mod anonymizing_proxy;
mod brute_force;
mod common;
mod impossible_travel;
mod keepalive_divergence;
mod mfa_fatigue;
mod password_spray;
mod session_hijack;

use crate::hunt::Hunt;

/// The network hunts, most telling first.
pub fn registry() -> Vec<Box<dyn Hunt>> {
    vec![
        Box::new(session_hijack::SessionHijack),
        Box::new(keepalive_divergence::KeepaliveDivergence),
        Box::new(impossible_travel::ImpossibleTravel),
        Box::new(password_spray::PasswordSpray),
        Box::new(brute_force::BruteForce),
        Box::new(mfa_fatigue::MfaFatigue),
        Box::new(anonymizing_proxy::AnonymizingProxy),
    ]
}
