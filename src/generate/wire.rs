//! The JSON Okta writes for a LogEvent: `Draft::emit` fills in what Okta
//! adds (uuid, request id, published, geo, ipChain, the standard debugData)
//! and serialises one compact line.
//!
//! Typed serde structs rather than `serde_json::Value`: the key order then
//! matches Okta's API output and millions of events serialise quickly.

use super::clock;
use super::event::{AuthContext, Draft, Line, Origin, Principal, StrMap};
use super::ids;
use super::tenant::{DeviceInfo, Ip};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::borrow::Cow;

impl Draft<'_> {
    /// Render with fresh uuid and request id; append `(at, line)` to `out`.
    pub fn emit(self, rng: &mut ChaCha8Rng, out: &mut Vec<Line>) -> anyhow::Result<()> {
        let uuid = ids::uuid(rng);
        let request_id = ids::request_id(rng);
        let published = clock::published(self.at);
        let (client, security, chain, tx_kind, tx_id) = match &self.origin {
            Origin::Web {
                ip,
                agent,
                zone,
                device,
            } => {
                let geo = Some(GeoOut::of(ip));
                let client = ClientOut {
                    user_agent: Some(UaOut {
                        raw_user_agent: Some(agent.raw),
                        os: Some(agent.os),
                        browser: Some(agent.browser),
                    }),
                    zone: Some(zone),
                    device: Some(device),
                    id: self.client_id,
                    ip_address: Some(&ip.addr),
                    geographical_context: geo.clone(),
                };
                let chain = vec![ChainOut {
                    ip: &ip.addr,
                    geographical_context: geo,
                    version: "V4",
                    source: None,
                }];
                (
                    client,
                    SecurityOut::of(ip),
                    chain,
                    "WEB",
                    request_id.as_str(),
                )
            }
            Origin::Job => (
                ClientOut::null(),
                SecurityOut::null(),
                Vec::new(),
                "JOB",
                request_id.as_str(),
            ),
            Origin::Support => {
                let client = ClientOut {
                    user_agent: Some(UaOut {
                        raw_user_agent: None,
                        os: Some("Unknown"),
                        browser: Some("UNKNOWN"),
                    }),
                    zone: Some("null"),
                    device: Some("Unknown"),
                    ..ClientOut::null()
                };
                (client, SecurityOut::null(), Vec::new(), "WEB", "unknown")
            }
        };
        let mut debug = StrMap(Vec::with_capacity(self.debug.0.len() + 5));
        if !matches!(self.origin, Origin::Job) {
            debug
                .0
                .push(("requestId", Cow::Borrowed(request_id.as_str())));
            debug
                .0
                .push(("requestUri", Cow::Borrowed(self.request_uri)));
            debug
                .0
                .push(("url", Cow::Owned(format!("{}?", self.request_uri))));
            if let Some(dt) = self.dt_hash {
                debug.0.push(("dtHash", Cow::Borrowed(dt)));
            }
            debug.0.push(("threatSuspected", Cow::Borrowed("false")));
        }
        debug.0.extend(
            self.debug
                .0
                .iter()
                .map(|(k, v)| (*k, Cow::Borrowed(v.as_ref()))),
        );
        let event = EventOut {
            actor: &self.actor,
            client,
            device: self.device,
            authentication_context: &self.auth,
            display_message: self.display,
            event_type: self.event_type,
            outcome: OutcomeOut {
                result: self.result,
                reason: self.reason,
            },
            published: &published,
            security_context: security,
            severity: self.severity,
            debug_context: DebugOut { debug_data: debug },
            legacy_event_type: self.legacy,
            transaction: TxOut {
                kind: tx_kind,
                id: tx_id,
                detail: &self.tx_detail,
            },
            uuid: &uuid,
            version: "0",
            request: RequestOut { ip_chain: chain },
            target: if self.targets.is_empty() {
                None
            } else {
                Some(&self.targets)
            },
        };
        let mut line = Vec::with_capacity(2304);
        serde_json::to_writer(&mut line, &event)?;
        line.push(b'\n');
        out.push((self.at, line));
        Ok(())
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventOut<'a> {
    actor: &'a Principal<'a>,
    client: ClientOut<'a>,
    device: Option<&'a DeviceInfo>,
    authentication_context: &'a AuthContext<'a>,
    display_message: &'a str,
    event_type: &'a str,
    outcome: OutcomeOut<'a>,
    published: &'a str,
    security_context: SecurityOut<'a>,
    severity: &'a str,
    debug_context: DebugOut<'a>,
    legacy_event_type: Option<&'a str>,
    transaction: TxOut<'a>,
    uuid: &'a str,
    version: &'a str,
    request: RequestOut<'a>,
    target: Option<&'a [Principal<'a>]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClientOut<'a> {
    user_agent: Option<UaOut<'a>>,
    zone: Option<&'a str>,
    device: Option<&'a str>,
    id: Option<&'a str>,
    ip_address: Option<&'a str>,
    geographical_context: Option<GeoOut<'a>>,
}

impl ClientOut<'_> {
    fn null() -> Self {
        ClientOut {
            user_agent: None,
            zone: None,
            device: None,
            id: None,
            ip_address: None,
            geographical_context: None,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UaOut<'a> {
    raw_user_agent: Option<&'a str>,
    os: Option<&'a str>,
    browser: Option<&'a str>,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct GeoOut<'a> {
    city: &'a str,
    state: &'a str,
    country: &'a str,
    postal_code: &'a str,
    geolocation: LatLon,
}

impl<'a> GeoOut<'a> {
    fn of(ip: &'a Ip) -> Self {
        let c = ip.city();
        GeoOut {
            city: c.name,
            state: c.state,
            country: c.country,
            postal_code: c.postal,
            geolocation: LatLon {
                lat: ip.lat,
                lon: ip.lon,
            },
        }
    }
}

#[derive(Serialize, Clone)]
struct LatLon {
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SecurityOut<'a> {
    as_number: Option<u32>,
    as_org: Option<&'a str>,
    isp: Option<&'a str>,
    domain: Option<&'a str>,
    is_proxy: Option<bool>,
}

impl<'a> SecurityOut<'a> {
    fn of(ip: &'a Ip) -> Self {
        let n = ip.isp();
        SecurityOut {
            as_number: Some(n.as_number),
            as_org: Some(n.as_org),
            isp: Some(n.isp),
            domain: Some(n.domain),
            is_proxy: Some(false),
        }
    }
    fn null() -> Self {
        SecurityOut {
            as_number: None,
            as_org: None,
            isp: None,
            domain: None,
            is_proxy: None,
        }
    }
}

#[derive(Serialize)]
struct OutcomeOut<'a> {
    result: &'a str,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DebugOut<'a> {
    debug_data: StrMap<'a>,
}

#[derive(Serialize)]
struct TxOut<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    id: &'a str,
    detail: &'a StrMap<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestOut<'a> {
    ip_chain: Vec<ChainOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChainOut<'a> {
    ip: &'a str,
    geographical_context: Option<GeoOut<'a>>,
    version: &'a str,
    source: Option<&'a str>,
}
