//! Helpers shared by the admin hunts: time buckets and wording, the Okta
//! Support signature, and reading debugData out of stored originals (whose
//! keys may be lowercased by a SIEM export).

use crate::hunt::Facts;
pub use crate::hunt::hunts::wording::{list, place};
use chrono::DateTime;
use serde_json::Value;
use std::collections::BTreeMap;

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// Okta's own principal: maintenance jobs, and Okta Support's resets.
pub const OKTA_SYSTEM: &str = "system@okta.com";

/// The UTC day of a timestamp (days since the epoch), to group per day.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// `2024-03-12`
pub fn date(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
}

/// `2024-03-12 16:51 UTC`
pub fn when(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// `16:51`, for a second time on the same day as one already written out.
pub fn hhmm(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).map_or_else(String::new, |t| t.format("%H:%M").to_string())
}

/// A value quoted for the search syntax (an exact keyword match).
pub fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Events by Okta itself (SystemPrincipal), not by a person or a client.
pub fn is_okta_system(f: &Facts) -> bool {
    f.actor.as_deref() == Some(OKTA_SYSTEM) || f.actor_type.as_deref() == Some("SystemPrincipal")
}

/// How the reset hunts say an action carries Okta Support's signature.
pub const SUPPORT_NOTE: &str = "Okta Support's signature: transaction \"unknown\", no user agent or country; see support-reset";

/// How Okta logs an action taken by Okta Support inside the tenant: actor
/// system@okta.com, transaction id "unknown", no user agent, no country.
/// Okta's scheduled jobs share the actor but carry a real transaction id.
pub fn is_support_signature(f: &Facts) -> bool {
    f.actor.as_deref() == Some(OKTA_SYSTEM)
        && f.txn.as_deref() == Some("unknown")
        && f.ua.is_none()
        && f.country.is_none()
}

/// The user an event is about: its User target, else its actor (a
/// self-service action often has no target).
pub fn subject(f: &Facts) -> String {
    f.target_user
        .clone()
        .or_else(|| f.who().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

/// "user.session.start (12), user.authentication.sso (7)", most frequent
/// first, at most `max` types.
pub fn type_counts<'a>(events: impl IntoIterator<Item = &'a Facts>, max: usize) -> String {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for e in events {
        *counts.entry(e.event_type.as_str()).or_default() += 1;
    }
    describe_counts(
        counts
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect(),
        max,
    )
}

/// Counts as "name (n), ...", most frequent first, then by name.
pub fn describe_counts(mut counts: Vec<(String, u64)>, max: usize) -> String {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<String> = counts
        .iter()
        .take(max)
        .map(|(t, n)| format!("{t} ({n})"))
        .collect();
    let rest = counts.len().saturating_sub(max);
    if rest > 0 {
        format!("{} and {rest} more types", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Distinct values, in first-seen order.
pub fn distinct(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// The IPs of events, as text, distinct.
pub fn ips_of<'a>(events: impl IntoIterator<Item = &'a Facts>) -> Vec<String> {
    distinct(events.into_iter().filter_map(Facts::ip_text))
}

/// A key of a JSON object, matched case-insensitively (SIEM exports
/// lowercase every key).
pub fn key<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    let obj = v.as_object()?;
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// `debugContext.debugData[name]` of an original, as text.
pub fn debug_value(orig: &Value, name: &str) -> Option<String> {
    let data = key(orig, "debugContext").and_then(|d| key(d, "debugData"))?;
    match key(data, name)? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// displayMessage, outcome.reason and every debugData value, lowercased:
/// the free text where Okta says what an event did.
pub fn wording(orig: &Value) -> String {
    let mut text = String::new();
    let mut push = |v: Option<&Value>| {
        if let Some(s) = v.and_then(Value::as_str) {
            text.push_str(&s.to_lowercase());
            text.push(' ');
        }
    };
    push(key(orig, "displayMessage"));
    push(key(orig, "outcome").and_then(|o| key(o, "reason")));
    if let Some(Value::Object(data)) = key(orig, "debugContext").and_then(|d| key(d, "debugData")) {
        for v in data.values() {
            push(Some(v));
        }
    }
    text
}

/// The alternateId (or displayName) of the first target of one of `kinds`.
pub fn target_of(orig: &Value, kinds: &[&str]) -> Option<String> {
    let targets = key(orig, "target")?.as_array()?;
    targets.iter().find_map(|t| {
        let kind = key(t, "type")?.as_str()?;
        if !kinds.iter().any(|k| k.eq_ignore_ascii_case(kind)) {
            return None;
        }
        let name = |k| {
            key(t, k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty() && *s != "unknown")
        };
        name("alternateId")
            .or_else(|| name("displayName"))
            .or_else(|| name("id"))
            .map(str::to_string)
    })
}

/// The id of the first target of one of `kinds`.
pub fn target_id_of(orig: &Value, kinds: &[&str]) -> Option<String> {
    let targets = key(orig, "target")?.as_array()?;
    targets.iter().find_map(|t| {
        let kind = key(t, "type")?.as_str()?;
        kinds
            .iter()
            .any(|k| k.eq_ignore_ascii_case(kind))
            .then(|| key(t, "id").and_then(Value::as_str).map(str::to_string))
            .flatten()
    })
}

/// What Okta's risk engine said about a sign-in: the `behaviors` map
/// (`{New IP=POSITIVE, ...}`) or, on newer tenants, the same verdicts in
/// the JSON string `logOnlySecurityData`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Novelty {
    pub new_device: bool,
    pub new_ip: bool,
    pub new_country: bool,
    pub high_risk: bool,
}

impl Novelty {
    pub fn of(orig: &Value) -> Novelty {
        let mut n = Novelty::default();
        let mut mark = |name: &str, verdict: &str| {
            let positive = verdict.trim().eq_ignore_ascii_case("POSITIVE");
            match name.trim().to_ascii_lowercase().as_str() {
                "new device" => n.new_device |= positive,
                "new ip" => n.new_ip |= positive,
                "new country" => n.new_country |= positive,
                _ => {}
            }
        };
        if let Some(map) = debug_value(orig, "behaviors") {
            for pair in map.trim_matches(['{', '}']).split(',') {
                if let Some((k, v)) = pair.split_once('=') {
                    mark(k, v);
                }
            }
        }
        let security = debug_value(orig, "logOnlySecurityData")
            .and_then(|s| serde_json::from_str::<Value>(&s).ok());
        if let Some(Value::Object(b)) = security.as_ref().and_then(|s| key(s, "behaviors")) {
            for (k, v) in b {
                mark(k, v.as_str().unwrap_or_default());
            }
        }
        let level = security
            .as_ref()
            .and_then(|s| key(s, "risk"))
            .and_then(|r| key(r, "level"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| debug_value(orig, "risk"));
        n.high_risk = level.is_some_and(|l| l.to_ascii_uppercase().contains("HIGH"));
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn novelty_from_behaviors_and_log_only_data() {
        let java = serde_json::json!({"debugContext": {"debugData": {
            "behaviors": "{New Geo-Location=NEGATIVE, New Device=POSITIVE, New IP=POSITIVE, New Country=NEGATIVE}",
            "risk": "{level=LOW}"}}});
        let n = Novelty::of(&java);
        assert!(n.new_device && n.new_ip && !n.new_country && !n.high_risk);
        let lowered = serde_json::json!({"debugcontext": {"debugdata": {
            "logonlysecuritydata": "{\"risk\":{\"level\":\"HIGH\"},\"behaviors\":{\"New Device\":\"POSITIVE\",\"New Country\":\"POSITIVE\"}}"}}});
        let n = Novelty::of(&lowered);
        assert!(n.new_device && !n.new_ip && n.new_country && n.high_risk);
        assert_eq!(
            Novelty::of(&serde_json::json!({"debugContext": {}})),
            Novelty::default()
        );
    }

    #[test]
    fn wording_lists_and_targets() {
        let v = serde_json::json!({"displayMessage": "Deactivate factor", "outcome": {"reason": null},
            "target": [{"type": "UserGroup", "alternateId": "unknown", "displayName": "Admins", "id": "00g1"},
                       {"type": "User", "alternateId": "a@x.com", "id": "00u1"}]});
        assert_eq!(wording(&v), "deactivate factor ");
        assert_eq!(target_of(&v, &["UserGroup"]).as_deref(), Some("Admins"));
        assert_eq!(target_of(&v, &["User"]).as_deref(), Some("a@x.com"));
        assert_eq!(target_id_of(&v, &["User"]).as_deref(), Some("00u1"));
        let items: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(list(&items, 2), "a, b and 1 more");
        assert_eq!(
            describe_counts(vec![("x".into(), 1), ("y".into(), 3)], 5),
            "y (3), x (1)"
        );
        assert_eq!(quoted(r#"a"b"#), r#""a\"b""#);
        assert_eq!(when(0), "1970-01-01 00:00 UTC");
    }
}
