//! The Okta LogEvent, read tolerantly and without copying.
//!
//! `LogEvent` borrows from the event's JSON text. Only the fields okhunt
//! indexes are modelled; the original text is kept whole beside it, so a field
//! not named here is never lost. Every field has a lowercase alias because
//! SIEM exports lowercase the keys (`eventtype`, `authenticationcontext`).

use super::lenient;
use serde::Deserialize;
use std::borrow::Cow;

type Text<'a> = Option<Cow<'a, str>>;

#[derive(Debug, Default, Deserialize)]
pub struct LogEvent<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub uuid: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub published: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "eventType",
        alias = "eventtype",
        deserialize_with = "lenient::string"
    )]
    pub event_type: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "legacyEventType",
        alias = "legacyeventtype",
        deserialize_with = "lenient::string"
    )]
    pub legacy_event_type: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub severity: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "displayMessage",
        alias = "displaymessage",
        deserialize_with = "lenient::string"
    )]
    pub display_message: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub actor: Option<Actor<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::objects")]
    pub target: Vec<Target<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub client: Option<Client<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub outcome: Option<Outcome<'a>>,
    #[serde(
        borrow,
        default,
        rename = "authenticationContext",
        alias = "authenticationcontext",
        deserialize_with = "lenient::object"
    )]
    pub authentication_context: Option<AuthenticationContext<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub transaction: Option<Transaction<'a>>,
    #[serde(
        borrow,
        default,
        rename = "debugContext",
        alias = "debugcontext",
        deserialize_with = "lenient::object"
    )]
    pub debug_context: Option<DebugContext<'a>>,
    #[serde(
        borrow,
        default,
        rename = "securityContext",
        alias = "securitycontext",
        deserialize_with = "lenient::object"
    )]
    pub security_context: Option<SecurityContext<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub request: Option<Request<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Actor<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Text<'a>,
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "alternateId",
        alias = "alternateid",
        deserialize_with = "lenient::string"
    )]
    pub alternate_id: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "displayName",
        alias = "displayname",
        deserialize_with = "lenient::string"
    )]
    pub display_name: Text<'a>,
}

/// Targets share the actor's shape; find one by `kind`, never by position.
pub type Target<'a> = Actor<'a>;

#[derive(Debug, Default, Deserialize)]
pub struct Client<'a> {
    #[serde(
        borrow,
        default,
        rename = "ipAddress",
        alias = "ipaddress",
        deserialize_with = "lenient::string"
    )]
    pub ip_address: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "userAgent",
        alias = "useragent",
        deserialize_with = "lenient::object"
    )]
    pub user_agent: Option<UserAgent<'a>>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub zone: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub device: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "geographicalContext",
        alias = "geographicalcontext",
        deserialize_with = "lenient::object"
    )]
    pub geo: Option<Geo<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UserAgent<'a> {
    #[serde(
        borrow,
        default,
        rename = "rawUserAgent",
        alias = "rawuseragent",
        deserialize_with = "lenient::string"
    )]
    pub raw: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub os: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub browser: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Geo<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub city: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub state: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub country: Text<'a>,
    #[serde(default, deserialize_with = "lenient::object")]
    pub geolocation: Option<GeoPoint>,
}

#[derive(Debug, Default, Deserialize, Clone, Copy)]
pub struct GeoPoint {
    #[serde(default, deserialize_with = "lenient::number")]
    pub lat: Option<f64>,
    #[serde(default, deserialize_with = "lenient::number")]
    pub lon: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Outcome<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub result: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub reason: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuthenticationContext<'a> {
    #[serde(
        borrow,
        default,
        rename = "externalSessionId",
        alias = "externalsessionid",
        deserialize_with = "lenient::string"
    )]
    pub external_session_id: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "rootSessionId",
        alias = "rootsessionid",
        deserialize_with = "lenient::string"
    )]
    pub root_session_id: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "credentialType",
        alias = "credentialtype",
        deserialize_with = "lenient::string"
    )]
    pub credential_type: Text<'a>,
    #[serde(
        borrow,
        default,
        rename = "authenticationProvider",
        alias = "authenticationprovider",
        deserialize_with = "lenient::string"
    )]
    pub authentication_provider: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Transaction<'a> {
    #[serde(borrow, default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub id: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::object")]
    pub detail: Option<TransactionDetail<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TransactionDetail<'a> {
    #[serde(
        borrow,
        default,
        rename = "requestApiTokenId",
        alias = "requestapitokenid",
        deserialize_with = "lenient::string"
    )]
    pub request_api_token_id: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DebugContext<'a> {
    #[serde(
        borrow,
        default,
        rename = "debugData",
        alias = "debugdata",
        deserialize_with = "lenient::string_map"
    )]
    pub debug_data: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SecurityContext<'a> {
    #[serde(
        borrow,
        default,
        rename = "asOrg",
        alias = "asorg",
        deserialize_with = "lenient::string"
    )]
    pub as_org: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub isp: Text<'a>,
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub domain: Text<'a>,
    #[serde(
        default,
        rename = "isProxy",
        alias = "isproxy",
        deserialize_with = "lenient::boolean"
    )]
    pub is_proxy: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Request<'a> {
    #[serde(
        borrow,
        default,
        rename = "ipChain",
        alias = "ipchain",
        deserialize_with = "lenient::objects"
    )]
    pub ip_chain: Vec<IpChainEntry<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct IpChainEntry<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::string")]
    pub ip: Text<'a>,
}

impl<'a> LogEvent<'a> {
    /// A debugData value by key (`dtHash`, `behaviors`, ...); keys compared
    /// without case because SIEM exports lowercase them.
    pub fn debug(&self, key: &str) -> Option<&str> {
        self.debug_context.as_ref().and_then(|d| {
            d.debug_data
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.as_ref())
        })
    }

    pub fn actor_alternate_id(&self) -> Option<&str> {
        self.actor.as_ref().and_then(|a| a.alternate_id.as_deref())
    }

    pub fn client_ip(&self) -> Option<&str> {
        self.client.as_ref().and_then(|c| c.ip_address.as_deref())
    }

    pub fn geo(&self) -> Option<&Geo<'a>> {
        self.client.as_ref().and_then(|c| c.geo.as_ref())
    }

    pub fn session_id(&self) -> Option<&str> {
        self.authentication_context
            .as_ref()
            .and_then(|a| a.external_session_id.as_deref())
    }

    pub fn raw_user_agent(&self) -> Option<&str> {
        self.client
            .as_ref()
            .and_then(|c| c.user_agent.as_ref())
            .and_then(|u| u.raw.as_deref())
    }

    pub fn outcome_result(&self) -> Option<&str> {
        self.outcome.as_ref().and_then(|o| o.result.as_deref())
    }

    pub fn transaction_id(&self) -> Option<&str> {
        self.transaction.as_ref().and_then(|t| t.id.as_deref())
    }

    pub fn api_token_id(&self) -> Option<&str> {
        self.transaction
            .as_ref()
            .and_then(|t| t.detail.as_ref())
            .and_then(|d| d.request_api_token_id.as_deref())
    }

    /// The first target of a given type (`User`, `AppInstance` ...).
    pub fn target_of_type(&self, kind: &str) -> Option<&Target<'a>> {
        self.target.iter().find(|t| {
            t.kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case(kind))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_event() {
        let json = r#"{"uuid":"u1","published":"2024-03-01T10:00:00.123Z","eventType":"user.session.start",
            "version":"0","severity":"INFO","displayMessage":"User login to Okta",
            "actor":{"id":"00u1","type":"User","alternateId":"alice@acme.com","displayName":"Alice"},
            "client":{"ipAddress":"203.0.113.9","userAgent":{"rawUserAgent":"Mozilla/5.0","os":"Mac OS X","browser":"CHROME"},
              "zone":"null","device":"Computer","geographicalContext":{"city":"Paris","country":"France","postalCode":75001,
              "geolocation":{"lat":48.85,"lon":2.35}}},
            "outcome":{"result":"SUCCESS","reason":null},
            "authenticationContext":{"externalSessionId":"102abc","rootSessionId":null},
            "transaction":{"type":"WEB","id":"tx1","detail":{"requestApiTokenId":"00T1"}},
            "debugContext":{"debugData":{"dtHash":"h1","threatSuspected":"false","nested":{"x":1}}},
            "securityContext":{"asOrg":"Acme ISP","isProxy":false},
            "target":[{"id":"0oa1","type":"AppInstance","alternateId":"Slack"},{"id":"00u2","type":"User","alternateId":"bob@acme.com"}],
            "unknownNewField":{"deep":[1,2,3]}}"#;
        let e: LogEvent = serde_json::from_str(json).expect("parses");
        assert_eq!(e.uuid.as_deref(), Some("u1"));
        assert_eq!(e.event_type.as_deref(), Some("user.session.start"));
        assert_eq!(e.actor_alternate_id(), Some("alice@acme.com"));
        assert_eq!(e.client_ip(), Some("203.0.113.9"));
        assert!(e.client.as_ref().and_then(|c| c.zone.as_ref()).is_none());
        assert_eq!(
            e.geo().and_then(|g| g.geolocation).and_then(|p| p.lat),
            Some(48.85)
        );
        assert_eq!(e.session_id(), Some("102abc"));
        assert_eq!(e.debug("dthash"), Some("h1"));
        assert_eq!(e.debug("nested"), None);
        assert_eq!(e.api_token_id(), Some("00T1"));
        assert_eq!(
            e.target_of_type("user")
                .and_then(|t| t.alternate_id.as_deref()),
            Some("bob@acme.com")
        );
        assert_eq!(
            e.security_context.as_ref().and_then(|s| s.is_proxy),
            Some(false)
        );
    }

    #[test]
    fn tolerates_nulls_empties_and_wrong_types() {
        let json = r#"{"uuid":"u2","published":"2024-03-01T10:00:00Z","eventType":"system.import.start",
            "actor":{"id":"0oa","type":"SystemPrincipal","alternateId":"system@okta.com"},
            "client":{"ipAddress":"null","userAgent":null,"zone":null,"geographicalContext":null},
            "target":null,"outcome":null,"debugContext":{},"authenticationContext":"weird",
            "securityContext":{"isProxy":"true"},"request":{"ipChain":[]},"version":0}"#;
        let e: LogEvent = serde_json::from_str(json).expect("parses");
        assert_eq!(e.client_ip(), None);
        assert!(e.target.is_empty());
        assert!(e.outcome.is_none());
        assert!(e.authentication_context.is_none());
        assert_eq!(
            e.security_context.as_ref().and_then(|s| s.is_proxy),
            Some(true)
        );
    }

    #[test]
    fn reads_lowercased_siem_keys() {
        let json = r#"{"uuid":"u3","published":"2022-06-22 18:18:29.015","eventtype":"user.session.start",
            "displaymessage":"User login","actor":{"alternateid":"carol@acme.com","displayname":"Carol"},
            "client":{"ipaddress":"198.51.100.7","useragent":{"rawuseragent":"curl"},"geographicalcontext":{"country":"Brazil"}},
            "authenticationcontext":{"externalsessionid":"idx1"},"debugcontext":{"debugdata":{"dthash":"x"}},"p_log_type":"Okta.SystemLog"}"#;
        let e: LogEvent = serde_json::from_str(json).expect("parses");
        assert_eq!(e.event_type.as_deref(), Some("user.session.start"));
        assert_eq!(e.actor_alternate_id(), Some("carol@acme.com"));
        assert_eq!(e.client_ip(), Some("198.51.100.7"));
        assert_eq!(e.raw_user_agent(), Some("curl"));
        assert_eq!(e.session_id(), Some("idx1"));
        assert_eq!(e.debug("dtHash"), Some("x"));
        assert_eq!(e.geo().and_then(|g| g.country.as_deref()), Some("Brazil"));
    }

    #[test]
    fn strings_with_escapes_are_owned_and_correct() {
        let e: LogEvent =
            serde_json::from_str(r#"{"displayMessage":"a \"quoted\" \u00e9"}"#).expect("parses");
        assert_eq!(e.display_message.as_deref(), Some("a \"quoted\" é"));
    }
}
