//! One Okta LogEvent as the generator describes it: a `Draft` says what
//! happened; `wire.rs` adds what Okta adds and writes the JSON line.

use super::catalog::Agent;
use super::tenant::{DeviceInfo, Ip};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::borrow::Cow;

/// A string map (debugData, transaction.detail, detailEntry) in insertion order.
#[derive(Default)]
pub struct StrMap<'a>(pub Vec<(&'static str, Cow<'a, str>)>);

impl Serialize for StrMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Who did it (`actor`) or what it was done to (an element of `target`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Principal<'a> {
    pub id: Cow<'a, str>,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub alternate_id: Option<Cow<'a, str>>,
    pub display_name: Cow<'a, str>,
    pub detail_entry: Option<StrMap<'a>>,
}

impl<'a> Principal<'a> {
    pub fn new(id: &'a str, kind: &'a str, alternate_id: &'a str, display_name: &'a str) -> Self {
        Principal {
            id: Cow::Borrowed(id),
            kind,
            alternate_id: Some(Cow::Borrowed(alternate_id)),
            display_name: Cow::Borrowed(display_name),
            detail_entry: None,
        }
    }

    pub fn with_detail(mut self, detail: StrMap<'a>) -> Self {
        self.detail_entry = Some(detail);
        self
    }
}

/// Where the request came from.
pub enum Origin<'a> {
    /// A browser or client at an address Okta could place.
    Web {
        ip: &'a Ip,
        agent: &'a Agent,
        zone: &'a str,
        device: &'a str,
    },
    /// An Okta background job: every client field null, no geo, no ipChain.
    Job,
    /// Okta Support acting inside the org: no user agent, no address, no
    /// country, transaction id "unknown".
    Support,
}

/// `authenticationContext`.
#[derive(Serialize, Default, Clone)]
#[serde(rename_all = "camelCase")]
pub struct AuthContext<'a> {
    pub authentication_provider: Option<&'a str>,
    pub credential_provider: Option<&'a str>,
    pub credential_type: Option<&'a str>,
    pub issuer: Option<Issuer<'a>>,
    pub interface: Option<&'a str>,
    pub authentication_step: u8,
    pub external_session_id: Option<&'a str>,
    pub root_session_id: Option<&'a str>,
}

#[derive(Serialize, Clone)]
pub struct Issuer<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
}

pub struct Draft<'a> {
    pub at: i64,
    pub event_type: &'a str,
    pub display: &'a str,
    pub legacy: Option<&'a str>,
    pub severity: &'a str,
    pub result: &'a str,
    pub reason: Option<&'a str>,
    pub actor: Principal<'a>,
    pub origin: Origin<'a>,
    pub client_id: Option<&'a str>,
    pub auth: AuthContext<'a>,
    pub device: Option<&'a DeviceInfo>,
    pub targets: Vec<Principal<'a>>,
    pub request_uri: &'a str,
    pub dt_hash: Option<&'a str>,
    /// debugData beyond the keys every WEB event carries.
    pub debug: StrMap<'a>,
    pub tx_detail: StrMap<'a>,
}

/// Rendered events waiting to be ordered: (published ms, JSON line with newline).
pub type Line = (i64, Vec<u8>);

impl<'a> Draft<'a> {
    pub fn new(
        at: i64,
        event_type: &'a str,
        display: &'a str,
        actor: Principal<'a>,
        origin: Origin<'a>,
    ) -> Self {
        Draft {
            at,
            event_type,
            display,
            legacy: None,
            severity: "INFO",
            result: "SUCCESS",
            reason: None,
            actor,
            origin,
            client_id: None,
            auth: AuthContext::default(),
            device: None,
            targets: Vec::new(),
            request_uri: "/api/v1/authn",
            dt_hash: None,
            debug: StrMap::default(),
            tx_detail: StrMap::default(),
        }
    }

    pub fn legacy(mut self, legacy: &'a str) -> Self {
        self.legacy = Some(legacy);
        self
    }

    pub fn outcome(mut self, result: &'a str, reason: Option<&'a str>) -> Self {
        self.result = result;
        self.reason = reason;
        self
    }

    pub fn severity(mut self, severity: &'a str) -> Self {
        self.severity = severity;
        self
    }

    pub fn session(mut self, session: Option<&'a str>) -> Self {
        self.auth.external_session_id = session;
        self.auth.root_session_id = session;
        self
    }

    pub fn target(mut self, target: Principal<'a>) -> Self {
        self.targets.push(target);
        self
    }

    pub fn uri(mut self, uri: &'a str) -> Self {
        self.request_uri = uri;
        self
    }

    pub fn debug(mut self, key: &'static str, value: impl Into<Cow<'a, str>>) -> Self {
        self.debug.0.push((key, value.into()));
        self
    }

    pub fn detail(mut self, key: &'static str, value: impl Into<Cow<'a, str>>) -> Self {
        self.tx_detail.0.push((key, value.into()));
        self
    }
}
