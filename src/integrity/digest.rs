//! The digest of a case's event set: blake3 over the events sorted by id,
//! each contributing its id and the blake3 of its canonical JSON. It does
//! not depend on ingest order, file order, batches or segment layout, so
//! two copies of a case hold the same evidence exactly when their digests
//! are equal.
//!
//! Memory is about 40 bytes per event plus its id's bytes (about 76 MB at
//! 1M events); the events' JSON is never held.

use std::cmp::Ordering;
use std::fmt::Write as _;

/// Versioned, so a change of the definition can never pass for the old one.
const DOMAIN: &[u8] = b"okhunt event-set digest v1\n";

/// Every (id, event hash) seen, ids packed in one buffer.
#[derive(Default)]
pub struct EventSet {
    ids: Vec<u8>,
    entries: Vec<Entry>,
}

struct Entry {
    offset: u32,
    len: u32,
    hash: [u8; 32],
}

/// What [`EventSet::finish`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub events: u64,
    pub distinct: u64,
    /// Events beyond the first with the same id.
    pub duplicates: u64,
    /// `blake3:` and 64 hex digits.
    pub digest: String,
}

#[derive(Debug, thiserror::Error)]
#[error("the case holds more event ids than one verify can hold in memory (4 GiB of ids)")]
pub struct TooLarge;

impl EventSet {
    pub fn new() -> EventSet {
        EventSet::default()
    }

    /// Add one event: its id and the hash of its canonical JSON.
    pub fn add(&mut self, id: &str, hash: [u8; 32]) -> Result<(), TooLarge> {
        let offset = u32::try_from(self.ids.len()).map_err(|_| TooLarge)?;
        let len = u32::try_from(id.len()).map_err(|_| TooLarge)?;
        if u64::from(offset) + u64::from(len) > u64::from(u32::MAX) {
            return Err(TooLarge);
        }
        self.ids.extend_from_slice(id.as_bytes());
        self.entries.push(Entry { offset, len, hash });
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sort by (id, hash), count duplicates and compute the digest.
    pub fn finish(mut self) -> Tally {
        let ids = std::mem::take(&mut self.ids);
        let id = |e: &Entry| &ids[e.offset as usize..(e.offset + e.len) as usize];
        self.entries
            .sort_unstable_by(|a, b| match id(a).cmp(id(b)) {
                Ordering::Equal => a.hash.cmp(&b.hash),
                o => o,
            });
        let mut h = blake3::Hasher::new();
        h.update(DOMAIN);
        let mut distinct = 0u64;
        let mut prev: Option<&[u8]> = None;
        for e in &self.entries {
            let this = id(e);
            if prev != Some(this) {
                distinct += 1;
            }
            prev = Some(this);
            h.update(&u64::from(e.len).to_le_bytes());
            h.update(this);
            h.update(&e.hash);
        }
        let events = self.entries.len() as u64;
        let mut digest = String::with_capacity(71);
        digest.push_str("blake3:");
        for b in h.finalize().as_bytes() {
            let _ = write!(digest, "{b:02x}");
        }
        Tally {
            events,
            distinct,
            duplicates: events - distinct,
            digest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::canonical;
    use serde_json::{Value, json};

    fn events() -> Vec<Value> {
        (0..50)
            .map(|i| {
                json!({"uuid": format!("u-{i:03}"), "eventType": "user.session.start",
                       "actor": {"alternateId": format!("user{}@acme.com", i % 7)}, "n": i})
            })
            .collect()
    }

    fn digest_of(evs: &[Value]) -> Tally {
        let mut set = EventSet::new();
        for e in evs {
            let id = e["uuid"].as_str().expect("uuid");
            set.add(id, canonical::hash(e)).expect("fits");
        }
        set.finish()
    }

    #[test]
    fn order_does_not_matter() {
        let evs = events();
        let mut rev = evs.clone();
        rev.reverse();
        let mut shuffled = evs.clone();
        shuffled.rotate_left(17);
        let a = digest_of(&evs);
        assert_eq!(a, digest_of(&rev));
        assert_eq!(a, digest_of(&shuffled));
        assert_eq!(a.events, 50);
        assert_eq!(a.distinct, 50);
        assert_eq!(a.duplicates, 0);
        assert!(a.digest.starts_with("blake3:") && a.digest.len() == 71);
    }

    #[test]
    fn one_changed_missing_or_extra_event_changes_it() {
        let evs = events();
        let base = digest_of(&evs).digest;
        let mut changed = evs.clone();
        changed[10]["n"] = json!(1000);
        assert_ne!(base, digest_of(&changed).digest);
        let missing = &evs[1..];
        assert_ne!(base, digest_of(missing).digest);
        let mut extra = evs.clone();
        extra.push(evs[3].clone());
        let t = digest_of(&extra);
        assert_ne!(base, t.digest);
        assert_eq!((t.events, t.distinct, t.duplicates), (51, 50, 1));
    }

    #[test]
    fn ids_are_length_delimited() {
        let h = [7u8; 32];
        let mut a = EventSet::new();
        a.add("ab", h).expect("fits");
        a.add("c", h).expect("fits");
        let mut b = EventSet::new();
        b.add("a", h).expect("fits");
        b.add("bc", h).expect("fits");
        assert_ne!(a.finish().digest, b.finish().digest);
    }

    #[test]
    fn empty_set_has_a_digest() {
        let t = EventSet::new().finish();
        assert_eq!(t.events, 0);
        assert!(t.digest.starts_with("blake3:"));
    }
}
