//! Test helpers for hunts and correlations (compiled only for tests):
//! realistic Okta events built in a few calls ([`Ev`]), ingested into an
//! in-RAM index exactly as `okhunt ingest` would ([`TestIndex`]), and hunts
//! run over it with the real correlation layer.
//!
//! ```ignore
//! let idx = TestIndex::from_events(&[
//!     Ev::new("e1", at(9, 0, 0), "user.session.start").user("jane.doe@acme.com", "Jane Doe")
//!         .origin(&PARIS).session("102abc"),
//! ]);
//! let findings = idx.run(&MyHunt, &HuntConfig::default());
//! ```

use crate::hunt::{Correlation, Facts, Finding, Hunt, HuntConfig, HuntContext};
use crate::index::document;
use crate::index::schema::{self, Fields};
use crate::okta::formats::for_each_event;
use serde_json::{Value, json};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher};

/// Where an event comes from: an IP and its geo-IP facts.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub ip: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub as_org: &'static str,
}

pub const SAN_FRANCISCO: Place = Place {
    ip: "73.92.144.203",
    city: "San Francisco",
    country: "United States",
    lat: 37.7749,
    lon: -122.4194,
    as_org: "comcast cable communications, llc",
};
pub const OAKLAND: Place = Place {
    ip: "73.92.10.44",
    city: "Oakland",
    country: "United States",
    lat: 37.8044,
    lon: -122.2712,
    as_org: "comcast cable communications, llc",
};
pub const VPN_SEATTLE: Place = Place {
    ip: "198.51.100.40",
    city: "Seattle",
    country: "United States",
    lat: 47.6062,
    lon: -122.3321,
    as_org: "acme vpn",
};
pub const BUCHAREST: Place = Place {
    ip: "185.247.71.106",
    city: "Bucharest",
    country: "Romania",
    lat: 44.4268,
    lon: 26.1025,
    as_org: "m247 europe srl",
};
pub const GOOGLE_DALLES: Place = Place {
    ip: "74.125.212.9",
    city: "The Dalles",
    country: "United States",
    lat: 45.5946,
    lon: -121.1787,
    as_org: "google llc",
};
pub const ASHBURN_CLOUD: Place = Place {
    ip: "3.214.10.1",
    city: "Ashburn",
    country: "United States",
    lat: 39.0438,
    lon: -77.4874,
    as_org: "amazon.com, inc.",
};

/// The test day's time `h:m:s` UTC, as Okta writes `published`.
pub fn at(h: u32, m: u32, s: u32) -> String {
    format!("2024-03-12T{h:02}:{m:02}:{s:02}.000Z")
}

/// One Okta event in the API's shape (camelCase, full objects, nulls where
/// Okta sends them), built step by step.
#[derive(Debug, Clone)]
pub struct Ev(Value);

impl Ev {
    /// A successful event with no actor, client, session or target yet.
    pub fn new(uuid: &str, published: impl Into<String>, event_type: &str) -> Ev {
        Ev(json!({
            "uuid": uuid,
            "published": published.into(),
            "eventType": event_type,
            "version": "0",
            "severity": "INFO",
            "legacyEventType": null,
            "displayMessage": event_type,
            "actor": null,
            "client": {"userAgent": null, "zone": "null", "device": "Computer", "id": null,
                       "ipAddress": null, "geographicalContext": null},
            "device": null,
            "authenticationContext": {"authenticationProvider": null, "credentialProvider": null,
                "credentialType": null, "issuer": null, "interface": null, "authenticationStep": 0,
                "rootSessionId": null, "externalSessionId": null},
            "outcome": {"result": "SUCCESS", "reason": null},
            "securityContext": {"asNumber": null, "asOrg": null, "isp": null, "domain": null, "isProxy": null},
            "debugContext": {"debugData": {"requestId": format!("req-{uuid}")}},
            "transaction": {"type": "WEB", "id": format!("txn-{uuid}"), "detail": {}},
            "request": {"ipChain": []},
            "target": null
        }))
    }

    /// A person as the actor.
    pub fn user(self, login: &str, name: &str) -> Ev {
        self.actor("User", login, name)
    }

    pub fn actor(mut self, kind: &str, login: &str, name: &str) -> Ev {
        let id = format!("00u{}", login.len());
        self.0["actor"] = json!({"id": id, "type": kind, "alternateId": login, "displayName": name, "detailEntry": null});
        self
    }

    /// The client's IP, geo-IP and network owner.
    pub fn origin(mut self, p: &Place) -> Ev {
        let geo = json!({"city": p.city, "state": null, "country": p.country, "postalCode": null,
                          "geolocation": {"lat": p.lat, "lon": p.lon}});
        self.0["client"]["ipAddress"] = json!(p.ip);
        self.0["client"]["geographicalContext"] = geo.clone();
        self.0["securityContext"]["asOrg"] = json!(p.as_org);
        self.0["securityContext"]["isp"] = json!(p.as_org);
        self.0["securityContext"]["isProxy"] = json!(false);
        self.0["request"]["ipChain"] =
            json!([{"ip": p.ip, "geographicalContext": geo, "version": "V4", "source": null}]);
        self
    }

    pub fn proxy(mut self) -> Ev {
        self.0["securityContext"]["isProxy"] = json!(true);
        self
    }

    pub fn ua(mut self, raw: &str) -> Ev {
        self.0["client"]["userAgent"] = json!({"rawUserAgent": raw, "os": null, "browser": null});
        self
    }

    pub fn session(mut self, id: &str) -> Ev {
        self.0["authenticationContext"]["externalSessionId"] = json!(id);
        self.0["authenticationContext"]["rootSessionId"] = json!(id);
        self
    }

    pub fn outcome(mut self, result: &str, reason: Option<&str>) -> Ev {
        self.0["outcome"] = json!({"result": result, "reason": reason});
        self
    }

    pub fn failed(self) -> Ev {
        self.outcome("FAILURE", Some("INVALID_CREDENTIALS"))
    }

    pub fn credential(mut self, kind: &str) -> Ev {
        self.0["authenticationContext"]["credentialType"] = json!(kind);
        self
    }

    pub fn debug(mut self, key: &str, value: &str) -> Ev {
        self.0["debugContext"]["debugData"][key] = json!(value);
        self
    }

    pub fn dthash(self, hash: &str) -> Ev {
        self.debug("dtHash", hash)
    }

    /// Add a target of `kind` (User, AppInstance, access_token ...).
    pub fn target(mut self, kind: &str, alternate_id: Option<&str>, name: &str) -> Ev {
        let t = json!({"id": format!("t-{name}"), "type": kind, "alternateId": alternate_id,
                       "displayName": name, "detailEntry": null});
        match self.0["target"].as_array_mut() {
            Some(list) => list.push(t),
            None => self.0["target"] = json!([t]),
        }
        self
    }

    pub fn app(self, name: &str) -> Ev {
        self.target("AppInstance", Some(name), name)
    }

    pub fn json(&self) -> String {
        self.0.to_string()
    }
}

/// An in-RAM case holding some events.
pub struct TestIndex {
    pub fields: Fields,
    reader: IndexReader,
}

impl TestIndex {
    pub fn from_events(events: &[Ev]) -> TestIndex {
        let lines: Vec<String> = events.iter().map(Ev::json).collect();
        TestIndex::from_lines(&lines)
    }

    /// Ingest NDJSON lines (any shape `okhunt ingest` takes) as batch 1.
    pub fn from_lines(lines: &[String]) -> TestIndex {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        let mut writer = index
            .writer::<tantivy::TantivyDocument>(15_000_000)
            .expect("writer");
        for line in lines {
            for_each_event(line.as_bytes(), &mut |found| {
                let (source, event) =
                    found.unwrap_or_else(|r| panic!("test event rejected: {r}: {line}"));
                let id = event.uuid.as_deref().unwrap_or("no-uuid").to_string();
                writer
                    .add_document(document::build(&fields, &id, source, &event, 1))
                    .expect("add");
            });
        }
        writer.commit().expect("commit");
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .expect("reader");
        TestIndex { fields, reader }
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub fn correlation(&self, config: &HuntConfig) -> Correlation {
        Correlation::build(&self.searcher(), &self.fields, config, None, None).expect("correlation")
    }

    /// Facts of the events matching `q` (search syntax), oldest first.
    pub fn facts(&self, q: &str) -> Vec<Facts> {
        crate::hunt::facts::collect_query(&self.searcher(), &self.fields, q).expect("query")
    }

    /// Run one hunt over the whole case with the real correlation layer.
    pub fn run(&self, hunt: &dyn Hunt, config: &HuntConfig) -> Vec<Finding> {
        let searcher = self.searcher();
        let correlation = self.correlation(config);
        let ctx = HuntContext {
            searcher: &searcher,
            fields: &self.fields,
            config,
            correlation: &correlation,
            since: None,
            until: None,
        };
        let mut found = hunt.run(&ctx).expect("hunt runs");
        Finding::sort(&mut found);
        found
    }
}

/// The evidence uuids of a finding, for exact assertions.
pub fn uuids(f: &Finding) -> Vec<&str> {
    f.event_uuids.iter().map(String::as_str).collect()
}
