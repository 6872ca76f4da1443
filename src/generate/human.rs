//! A person signing in and out, and looking after their credentials; what
//! they then open is in `access.rs`.

use super::access;
use super::catalog::{self, Agent};
use super::event::{Draft, Line, Origin, Principal};
use super::tenant::{DeviceInfo, Ip, User};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;

/// A person at a machine: who, from where, with which browser and session.
pub struct Seat<'a> {
    pub user: &'a User,
    pub ip: &'a Ip,
    pub agent: &'a Agent,
    pub session: Option<&'a str>,
    pub dt_hash: &'a str,
    /// The machine Okta Verify vouches for (None: an unknown machine).
    pub device: Option<&'a DeviceInfo>,
}

impl<'a> Seat<'a> {
    pub fn actor(&self) -> Principal<'a> {
        Principal::new(&self.user.id, "User", &self.user.login, &self.user.display)
    }

    pub fn origin(&self) -> Origin<'a> {
        Origin::Web {
            ip: self.ip,
            agent: self.agent,
            zone: self.ip.zone,
            device: "Computer",
        }
    }

    /// A draft from this seat, inside its session, with its device token.
    pub fn draft(&self, at: i64, event_type: &'a str, display: &'a str) -> Draft<'a> {
        let mut d =
            Draft::new(at, event_type, display, self.actor(), self.origin()).session(self.session);
        d.dt_hash = Some(self.dt_hash);
        d
    }
}

/// Okta's risk engine verdicts on a sign-in, as `behaviors` and `risk`.
#[derive(Clone, Copy, Default)]
pub struct Novelty {
    pub geo: bool,
    pub device: bool,
    pub ip: bool,
    pub country: bool,
}

impl Novelty {
    pub const NONE: Novelty = Novelty {
        geo: false,
        device: false,
        ip: false,
        country: false,
    };
    pub const NEW_IP: Novelty = Novelty {
        geo: false,
        device: false,
        ip: true,
        country: false,
    };
    pub const ABROAD: Novelty = Novelty {
        geo: true,
        device: false,
        ip: true,
        country: true,
    };
    pub const EVERYTHING: Novelty = Novelty {
        geo: true,
        device: true,
        ip: true,
        country: true,
    };

    fn pairs(self) -> [(&'static str, bool); 7] {
        [
            ("New Geo-Location", self.geo),
            ("New Device", self.device),
            ("New IP", self.ip),
            ("New State", self.geo),
            ("New Country", self.country),
            ("Velocity", self.country && self.device),
            ("New City", self.geo),
        ]
    }

    fn level(self) -> &'static str {
        // A known device somewhere new is how travel looks, and Okta rates
        // it low; an unknown device from a new country is not.
        match (self.country, self.device) {
            (true, true) => "HIGH",
            (false, true) => "MEDIUM",
            _ => "LOW",
        }
    }

    fn word(positive: bool) -> &'static str {
        if positive { "POSITIVE" } else { "NEGATIVE" }
    }

    /// `{New Geo-Location=NEGATIVE, New Device=NEGATIVE, ...}` (a Java map string).
    pub fn behaviors(self) -> String {
        let parts: Vec<String> = self
            .pairs()
            .iter()
            .map(|(k, v)| format!("{k}={}", Self::word(*v)))
            .collect();
        format!("{{{}}}", parts.join(", "))
    }

    pub fn risk(self) -> String {
        match self.level() {
            "HIGH" => "{reasons=Anomalous Geo-Distance, New Device, New ASN, level=HIGH}".into(),
            "MEDIUM" => "{reasons=Anomalous Location, level=MEDIUM}".into(),
            _ => "{level=LOW}".into(),
        }
    }

    /// `logOnlySecurityData`: the same verdicts as a JSON document in a string.
    pub fn log_only(self) -> String {
        let parts: Vec<String> = self
            .pairs()
            .iter()
            .map(|(k, v)| format!("\"{k}\":\"{}\"", Self::word(*v)))
            .collect();
        format!(
            "{{\"risk\":{{\"level\":\"{}\"}},\"behaviors\":{{{}}}}}",
            self.level(),
            parts.join(",")
        )
    }
}

fn with_risk(d: Draft<'_>, novelty: Novelty) -> Draft<'_> {
    d.debug("behaviors", novelty.behaviors())
        .debug("risk", novelty.risk())
        .debug("logOnlySecurityData", novelty.log_only())
}

pub fn password_auth(mut d: Draft<'_>) -> Draft<'_> {
    d.auth.authentication_provider = Some("OKTA_AUTHENTICATION_PROVIDER");
    d.auth.credential_provider = Some("OKTA_CREDENTIAL_PROVIDER");
    d.auth.credential_type = Some("PASSWORD");
    d
}

/// How a sign-in goes beyond the usual password and Okta Verify.
#[derive(Clone, Copy, Default)]
pub struct SignInOpts<'a> {
    /// A mistyped password first (those events carry no session).
    pub fail_first: bool,
    /// A factor enrolled between password and MFA (after a factor reset).
    pub enroll: Option<&'a str>,
}

/// The usual interactive sign-in: password, Okta Verify, session, policy,
/// dashboard. Returns when the dashboard is up.
pub fn sign_in(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    seat: &Seat,
    at: i64,
    novelty: Novelty,
    opts: SignInOpts,
) -> anyhow::Result<i64> {
    let fail_first = opts.fail_first;
    let mut t = at;
    if fail_first {
        let failed = Seat {
            session: None,
            ..*seat
        };
        password_auth(failed.draft(t, "user.authentication.verify", "Verify user identity"))
            .outcome("FAILURE", Some("INVALID_CREDENTIALS"))
            .severity("WARN")
            .uri("/idp/idx/challenge/answer")
            .emit(rng, out)?;
        t += rng.random_range(300..1500);
        failed
            .draft(t, "user.session.start", "User login to Okta")
            .legacy("core.user_auth.login_failed")
            .outcome("FAILURE", Some("INVALID_CREDENTIALS"))
            .severity("WARN")
            .uri("/idp/idx/challenge/answer")
            .emit(rng, out)?;
        t += rng.random_range(15_000..90_000);
    }
    password_auth(seat.draft(t, "user.authentication.verify", "Verify user identity"))
        .uri("/idp/idx/challenge/answer")
        .emit(rng, out)?;
    t += rng.random_range(4_000..25_000);
    if let Some(factor) = opts.enroll {
        activate_factor(rng, out, seat, t, factor)?;
        t += rng.random_range(20_000..60_000);
    }
    let push = opts.enroll.is_none() && rng.random_bool(0.8);
    let mut mfa = seat
        .draft(
            t,
            "user.authentication.auth_via_mfa",
            "Authentication of user via MFA",
        )
        .legacy("core.user.factor.attempt_success");
    mfa.auth.authentication_provider = Some("FACTOR_PROVIDER");
    mfa.auth.credential_provider = Some("OKTA_CREDENTIAL_PROVIDER");
    mfa.auth.credential_type = Some(if push { "OKTA_VERIFY_PUSH" } else { "OTP" });
    mfa.device = seat.device;
    let factor = match (opts.enroll, push) {
        (Some(enrolled), _) => enrolled,
        (None, true) => "OKTA_VERIFY_PUSH",
        (None, false) => "OKTA_VERIFY_TOTP",
    };
    mfa.debug("factor", factor)
        .debug("factorIntent", "AUTHENTICATION")
        .uri("/idp/idx/challenge/answer")
        .emit(rng, out)?;
    t += rng.random_range(200..900);
    let mut start = seat
        .draft(t, "user.session.start", "User login to Okta")
        .legacy("core.user_auth.login_success");
    start.auth.authentication_provider = Some("OKTA_AUTHENTICATION_PROVIDER");
    start.device = seat.device;
    with_risk(start, novelty)
        .uri("/idp/idx/identify")
        .emit(rng, out)?;
    t += rng.random_range(50..400);
    let mut policy = seat
        .draft(t, "policy.evaluate_sign_on", "Evaluation of sign-on policy")
        .outcome("ALLOW", Some("Sign-on policy evaluation resulted in ALLOW"))
        .target(Principal::new(
            "00p1c9pre9Uy0dGzx5d7",
            "PolicyEntity",
            "unknown",
            "Default Policy",
        ))
        .target(Principal::new(
            "0pr1c9prfKcLDgT2D5d7",
            "PolicyRule",
            "unknown",
            "Require MFA off-network",
        ));
    policy.device = seat.device;
    with_risk(policy, novelty)
        .uri("/idp/idx/identify")
        .emit(rng, out)?;
    t += rng.random_range(800..3_000);
    access::sso(rng, out, seat, t, catalog::DASHBOARD, None)
}

pub fn sign_out(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    seat: &Seat,
    at: i64,
) -> anyhow::Result<()> {
    seat.draft(at, "user.session.end", "User logout from Okta")
        .legacy("core.user_auth.logout_success")
        .uri("/login/signout")
        .emit(rng, out)
}

/// The user sets a new password after a helpdesk reset.
pub fn update_password(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    seat: &Seat,
    at: i64,
) -> anyhow::Result<()> {
    seat.draft(
        at,
        "user.account.update_password",
        "User update password for Okta",
    )
    .legacy("core.user.config.password_update.success")
    .target(seat.actor())
    .uri("/idp/idx/challenge/answer")
    .emit(rng, out)
}

/// The user enrolls a factor (after a factor reset, or an attacker after a takeover).
pub fn activate_factor(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    seat: &Seat,
    at: i64,
    factor: &str,
) -> anyhow::Result<()> {
    seat.draft(at, "user.mfa.factor.activate", "User set up factor")
        .legacy("core.user.factor.activate")
        .target(seat.actor())
        .debug("factor", Cow::Owned(factor.to_string()))
        .uri("/idp/idx/credential/enroll")
        .emit(rng, out)
}
