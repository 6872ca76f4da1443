//! Event identity: Okta's `uuid`, or a stable id derived from the content
//! for the events that lack one (test data, hand-edited exports).

use serde_json::Value;

/// Prefix of derived ids, so an analyst can tell them from Okta's.
pub const DERIVED_PREFIX: &str = "okhunt-";

/// A stable id for an event without `uuid`: a hash of its canonical JSON
/// (keys sorted at every level, no whitespace), so the same event always gets
/// the same id whatever its key order or formatting in the export.
pub fn derived_id(event_json: &str) -> String {
    let canonical = match serde_json::from_str::<Value>(event_json) {
        Ok(v) => {
            let mut out = String::with_capacity(event_json.len());
            write_canonical(&v, &mut out);
            out
        }
        Err(_) => event_json.to_string(),
    };
    let hash = blake3::hash(canonical.as_bytes());
    format!("{DERIVED_PREFIX}{}", &hash.to_hex()[..32])
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(child) = map.get(k) {
                    write_canonical(child, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A 128-bit fingerprint of an id, for dedup sets that must stay small.
pub fn fingerprint(id: &str) -> u128 {
    let h = blake3::hash(id.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h.as_bytes()[..16]);
    u128::from_le_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_event_same_id_whatever_the_layout() {
        let a = derived_id(
            r#"{"eventType":"x","published":"2024-01-01T00:00:00Z","actor":{"id":"1","type":"User"}}"#,
        );
        let b = derived_id(
            "{ \"published\": \"2024-01-01T00:00:00Z\",\n \"actor\": {\"type\":\"User\",\"id\":\"1\"}, \"eventType\": \"x\" }",
        );
        assert_eq!(a, b);
        assert!(a.starts_with(DERIVED_PREFIX));
        assert_ne!(
            a,
            derived_id(r#"{"eventType":"y","published":"2024-01-01T00:00:00Z"}"#)
        );
    }
}
