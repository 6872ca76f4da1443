//! What a signed-in person's browser and Mac make Okta log: SSO into apps,
//! OAuth token grants, and Jamf Connect's keep-alives.

use super::catalog::{self, APPS, App, JAMF_AGENT};
use super::clock::HOUR;
use super::event::{Draft, Issuer, Line, Principal, StrMap};
use super::human::{Seat, password_auth};
use super::ids;
use super::tenant::{Ip, User};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::borrow::Cow;

fn app_target<'a>(app: &'a App) -> Principal<'a> {
    Principal::new(app.id, "AppInstance", app.label, app.label)
        .with_detail(StrMap(vec![("signOnModeType", Cow::Borrowed(app.sign_on))]))
}

fn app_user_target<'a>(user: &'a User, app: &App) -> Principal<'a> {
    let mut p = Principal::new("", "AppUser", &user.login, &user.display);
    p.id = Cow::Owned(ids::derived_id("0ua", &[&user.id, app.id]));
    p
}

/// SSO into an app. `server_ip` set: Okta logs it from the app's server
/// (Google does this), not from the user. OIDC apps then get their tokens.
pub fn sso(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    seat: &Seat,
    at: i64,
    app_index: usize,
    server_ip: Option<&Ip>,
) -> anyhow::Result<i64> {
    let app = &APPS[app_index];
    let from = Seat {
        ip: server_ip.unwrap_or(seat.ip),
        ..*seat
    };
    let sso_uri = if app.sign_on == catalog::OIDC {
        "/oauth2/v1/authorize".to_string()
    } else {
        format!(
            "/app/{}/{}/sso/saml",
            app.slug,
            ids::derived_id("exk", &[app.id])
        )
    };
    from.draft(at, "user.authentication.sso", "User single sign on to app")
        .legacy("app.auth.sso")
        .target(app_target(app))
        .target(app_user_target(seat.user, app))
        .uri(&sso_uri)
        .debug(
            "initiationType",
            if rng.random_bool(0.7) {
                "IDP_INITIATED"
            } else {
                "SP_INITIATED"
            },
        )
        .debug(
            "signOnMode",
            if app.sign_on == catalog::SAML {
                "SAML 2.0"
            } else {
                "OpenID Connect"
            },
        )
        .emit(rng, out)?;
    let mut t = at;
    if app.sign_on == catalog::OIDC {
        t += rng.random_range(150..900);
        token(rng, out, seat, t, app, "id_token", "authorization_code")?;
        t += rng.random_range(5..60);
        token(rng, out, seat, t, app, "access_token", "authorization_code")?;
    }
    Ok(t)
}

/// `app.oauth2.token.grant.<kind>` for a person's client. Token targets
/// carry no alternateId, as Okta's do.
pub fn token(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    seat: &Seat,
    at: i64,
    app: &App,
    kind: &str,
    grant: &str,
) -> anyhow::Result<()> {
    let draft = seat.draft(at, "", "");
    token_event(rng, out, draft, &seat.user.id, app.id, kind, grant)
}

/// The token-grant event shape shared by people, Jamf and service accounts.
pub fn token_event<'a>(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    mut d: Draft<'a>,
    subject: &str,
    client_id: &'a str,
    kind: &str,
    grant: &'a str,
) -> anyhow::Result<()> {
    let (event_type, display, kind, prefix, name) = match kind {
        "id_token" => (
            "app.oauth2.token.grant.id_token",
            "OIDC id token is granted",
            "id_token",
            "ID.",
            "ID Token",
        ),
        "refresh_token" => (
            "app.oauth2.token.grant.refresh_token",
            "OAuth2 refresh token is granted",
            "refresh_token",
            "RT.",
            "Refresh Token",
        ),
        _ => (
            "app.oauth2.token.grant.access_token",
            "OAuth2 access token is granted",
            "access_token",
            "AT.",
            "Access Token",
        ),
    };
    let token_id = format!("{prefix}{}", ids::request_id(rng));
    let expires = super::clock::published(d.at + HOUR);
    let hash = ids::hex(rng, 22);
    let mut target = Principal::new("", kind, "", name).with_detail(StrMap(vec![
        ("expires", Cow::Owned(expires)),
        ("subject", Cow::Owned(subject.to_string())),
        ("hash", Cow::Owned(hash)),
    ]));
    target.id = Cow::Owned(token_id);
    target.alternate_id = None;
    d.event_type = event_type;
    d.display = display;
    d.client_id = Some(client_id);
    d.auth.issuer = Some(Issuer {
        id: catalog::ORG_AUTH_SERVER,
        kind: "AuthorizationServer",
    });
    d.targets.push(target);
    d.uri("/oauth2/v1/token")
        .debug("grantType", grant)
        .debug("grantedScopes", "openid, profile, email, offline_access")
        .emit(rng, out)
}

/// Jamf Connect checking the user's Okta password and refreshing its token:
/// the keep-alive that marks the Mac's current (dominant) address.
pub fn keepalive(
    rng: &mut ChaCha8Rng,
    out: &mut Vec<Line>,
    user: &User,
    ip: &Ip,
    at: i64,
    session: &str,
) -> anyhow::Result<()> {
    let jamf = &APPS[catalog::JAMF_CONNECT];
    let seat = Seat {
        user,
        ip,
        agent: &JAMF_AGENT,
        session: Some(session),
        dt_hash: &user.dt_hash,
        device: None,
    };
    let mut verify =
        password_auth(seat.draft(at, "user.authentication.verify", "Verify user identity"))
            .target(app_target(jamf));
    verify.client_id = Some(jamf.id);
    verify.auth.interface = Some("Jamf Connect");
    verify.uri("/oauth2/v1/token").emit(rng, out)?;
    let t = at + rng.random_range(120..700);
    token(rng, out, &seat, t, jamf, "access_token", "password")?;
    if rng.random_bool(0.25) {
        let later = t + rng.random_range(2..40);
        token(rng, out, &seat, later, jamf, "id_token", "password")?;
    }
    Ok(())
}
