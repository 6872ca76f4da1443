//! Turn one parsed event into a tantivy document.

use super::schema::Fields;
use crate::okta::event::LogEvent;
use crate::okta::time::parse_published;
use std::net::{IpAddr, Ipv6Addr};
use tantivy::{DateTime, TantivyDocument};

/// Keyword values longer than this are cut (at a character boundary): a
/// hostile 1 MB user agent must not become a 1 MB term.
const MAX_KEYWORD_BYTES: usize = 2048;

/// debugData keys left out of the `debug` words (still in the original).
const UNIQUE_DEBUG_KEYS: &[&str] = &[
    "requestId",
    "requestUri",
    "url",
    "dtHash",
    "deviceFingerprint",
    "authnRequestId",
];

/// Build the document for `event`, whose compact JSON text is `source` and
/// whose id (uuid or derived) is `id`.
pub fn build(
    fields: &Fields,
    id: &str,
    source: &str,
    event: &LogEvent,
    batch: u64,
) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    let mut kw = |f, v: Option<&str>| {
        if let Some(v) = v {
            d.add_text(f, clip(v));
        }
    };
    kw(fields.uuid, Some(id));
    kw(fields.event_type, event.event_type.as_deref());
    kw(fields.legacy_type, event.legacy_event_type.as_deref());
    kw(fields.severity, event.severity.as_deref());
    if let Some(a) = &event.actor {
        kw(fields.actor, a.alternate_id.as_deref());
        kw(fields.actor_id, a.id.as_deref());
        kw(fields.actor_name, a.display_name.as_deref());
        kw(fields.actor_type, a.kind.as_deref());
    }
    for t in &event.target {
        kw(fields.target, t.alternate_id.as_deref());
        kw(fields.target_id, t.id.as_deref());
        kw(fields.target_name, t.display_name.as_deref());
        kw(fields.target_type, t.kind.as_deref());
    }
    kw(
        fields.target_user,
        event
            .target_of_type("User")
            .and_then(|t| t.alternate_id.as_deref()),
    );
    kw(
        fields.target_app,
        event
            .target_of_type("AppInstance")
            .and_then(|t| t.display_name.as_deref().or(t.alternate_id.as_deref())),
    );
    if let Some(a) = &event.authentication_context {
        kw(
            fields.session,
            a.external_session_id.as_deref().filter(|s| *s != "unknown"),
        );
        kw(
            fields.root_session,
            a.root_session_id.as_deref().filter(|s| *s != "unknown"),
        );
        kw(fields.credential, a.credential_type.as_deref());
    }
    if let Some(c) = &event.client {
        if let Some(g) = &c.geo {
            kw(fields.country, g.country.as_deref());
            kw(fields.state, g.state.as_deref());
            kw(fields.city, g.city.as_deref());
        }
        kw(fields.zone, c.zone.as_deref());
        if let Some(u) = &c.user_agent {
            kw(fields.ua, u.raw.as_deref());
            kw(fields.os, u.os.as_deref());
            kw(fields.browser, u.browser.as_deref());
        }
        kw(fields.device, c.device.as_deref());
        kw(fields.client_id, c.id.as_deref());
    }
    if let Some(o) = &event.outcome {
        kw(fields.outcome, o.result.as_deref());
        kw(fields.reason, o.reason.as_deref());
    }
    if let Some(t) = &event.transaction {
        kw(fields.txn, t.id.as_deref());
        kw(fields.txn_type, t.kind.as_deref());
    }
    kw(fields.api_token, event.api_token_id());
    kw(fields.dthash, event.debug("dtHash"));
    if let Some(s) = &event.security_context {
        kw(fields.as_org, s.as_org.as_deref());
        kw(fields.isp, s.isp.as_deref());
        if let Some(p) = s.is_proxy {
            d.add_bool(fields.proxy, p);
        }
    }
    if let Some(ip) = event.client_ip().and_then(parse_ip) {
        d.add_ip_addr(fields.ip, ip);
    }
    if let Some(r) = &event.request {
        for hop in &r.ip_chain {
            if let Some(ip) = hop.ip.as_deref().and_then(parse_ip) {
                d.add_ip_addr(fields.ip_chain, ip);
            }
        }
    }
    if let Some(p) = event.geo().and_then(|g| g.geolocation) {
        if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
            d.add_f64(fields.lat, lat);
            d.add_f64(fields.lon, lon);
        }
    }
    if let Some(t) = event.published.as_deref().and_then(parse_published) {
        d.add_date(
            fields.published,
            DateTime::from_timestamp_millis(t.timestamp_millis()),
        );
    }
    d.add_u64(fields.batch, batch);
    if let Some(m) = event.display_message.as_deref() {
        d.add_text(fields.message, m);
    }
    let mut debug = String::new();
    if let Some(dc) = &event.debug_context {
        for (k, v) in &dc.debug_data {
            // Per-request identifiers (request ids, URLs, device hashes) make
            // a unique term per event: they would double the cost of indexing
            // and no one searches them by word. dtHash has its own field.
            if UNIQUE_DEBUG_KEYS.iter().any(|u| u.eq_ignore_ascii_case(k)) {
                continue;
            }
            debug.push_str(k);
            debug.push('=');
            debug.push_str(clip(v));
            debug.push(' ');
        }
    }
    if let Some(r) = event.outcome.as_ref().and_then(|o| o.reason.as_deref()) {
        debug.push_str(r);
    }
    if !debug.is_empty() {
        d.add_text(fields.debug, debug);
    }
    d.add_text(fields.source, source);
    d
}

/// An IP as Okta writes it, v4 mapped into v6 as tantivy stores IPs.
pub fn parse_ip(s: &str) -> Option<Ipv6Addr> {
    match s.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => Some(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => Some(v6),
    }
}

/// The IP back in its usual form (v4 when it is a mapped v4).
pub fn display_ip(ip: Ipv6Addr) -> String {
    match ip.to_ipv4_mapped() {
        Some(v4) => v4.to_string(),
        None => ip.to_string(),
    }
}

fn clip(s: &str) -> &str {
    if s.len() <= MAX_KEYWORD_BYTES {
        return s;
    }
    let mut end = MAX_KEYWORD_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
