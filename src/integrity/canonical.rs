//! The canonical form of an event: its JSON value written with the keys of
//! every object sorted, no whitespace. Two exports of the same event (keys
//! in another order, pretty-printed, wrapped in an envelope) hash the same.
//!
//! Keys are sorted here rather than relying on serde_json's map order, so
//! the digest stays the same even if a dependency turns on serde_json's
//! `preserve_order` feature.

use serde_json::Value;
use std::io::Write;

/// The blake3 hash of `value`'s canonical form.
pub fn hash(value: &Value) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    write(value, &mut h);
    *h.finalize().as_bytes()
}

/// The canonical form as text (for tests and for people).
pub fn text(value: &Value) -> String {
    let mut out = Vec::new();
    write(value, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// Write `value`'s canonical form to `out` (which cannot fail: a hasher
/// or a `Vec`).
fn write(value: &Value, out: &mut impl Write) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let _ = out.write_all(b"{");
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    let _ = out.write_all(b",");
                }
                let _ = serde_json::to_writer(&mut *out, k);
                let _ = out.write_all(b":");
                if let Some(child) = map.get(k) {
                    write(child, out);
                }
            }
            let _ = out.write_all(b"}");
        }
        Value::Array(items) => {
            let _ = out.write_all(b"[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    let _ = out.write_all(b",");
                }
                write(item, out);
            }
            let _ = out.write_all(b"]");
        }
        scalar => {
            let _ = serde_json::to_writer(&mut *out, scalar);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_whitespace_do_not_matter() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"y":[1,{"q":2,"p":"x"}],"x":null}}"#)
            .expect("json");
        let b: Value = serde_json::from_str(
            "{ \"a\": {\"x\": null, \"y\": [1, {\"p\": \"x\", \"q\": 2}]},\n \"b\": 1 }",
        )
        .expect("json");
        assert_eq!(
            text(&a),
            r#"{"a":{"x":null,"y":[1,{"p":"x","q":2}]},"b":1}"#
        );
        assert_eq!(hash(&a), hash(&b));
    }

    #[test]
    fn any_value_change_changes_the_hash() {
        let a = json!({"uuid": "u1", "outcome": {"result": "SUCCESS"}});
        let b = json!({"uuid": "u1", "outcome": {"result": "FAILURE"}});
        let c = json!({"uuid": "u1", "outcome": {"result": "SUCCESS"}, "x": null});
        assert_ne!(hash(&a), hash(&b));
        assert_ne!(hash(&a), hash(&c));
        // Array order is part of the event.
        assert_ne!(hash(&json!([1, 2])), hash(&json!([2, 1])));
    }
}
