//! Identifiers in the shapes Okta uses, drawn from the generator's RNG so the
//! same seed always yields the same ids.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

const ALNUM: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &[u8] = b"0123456789abcdef";

fn push_chars(rng: &mut ChaCha8Rng, out: &mut String, alphabet: &[u8], n: usize) {
    for _ in 0..n {
        out.push(char::from(alphabet[rng.random_range(0..alphabet.len())]));
    }
}

/// A UUID that looks like version 4 (what the lead asked for; real Okta uuids
/// are version 1, which parsers must not rely on either way).
pub fn uuid(rng: &mut ChaCha8Rng) -> String {
    let v: u128 = rng.random();
    let v = (v & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let h = format!("{v:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// An Okta object id: a three-character type prefix (`00u` user, `0oa` app,
/// `00g` group, `00T` token ...) and 17 alphanumerics.
pub fn okta_id(rng: &mut ChaCha8Rng, prefix: &str) -> String {
    let mut s = String::with_capacity(20);
    s.push_str(prefix);
    push_chars(rng, &mut s, ALNUM, 17);
    s
}

/// A request id as Okta writes them (27 characters, `AAA` near the end); the
/// same value serves as the WEB transaction id.
pub fn request_id(rng: &mut ChaCha8Rng) -> String {
    let mut s = String::with_capacity(27);
    push_chars(rng, &mut s, B64URL, 22);
    s.push_str("AAA");
    push_chars(rng, &mut s, ALNUM, 2);
    s
}

/// A classic-engine session id (`102` and 22 characters).
pub fn session_id(rng: &mut ChaCha8Rng) -> String {
    let mut s = String::with_capacity(25);
    s.push_str("102");
    push_chars(rng, &mut s, B64URL, 22);
    s
}

/// `digits` random lowercase hex digits (a dtHash is 64 of them).
pub fn hex(rng: &mut ChaCha8Rng, digits: usize) -> String {
    let mut s = String::with_capacity(digits);
    push_chars(rng, &mut s, HEX, digits);
    s
}

/// An id derived from other ids rather than drawn, for objects that must be
/// the same every time they appear (a user's AppUser record in one app) but
/// that are not worth storing.
pub fn derived_id(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    let digest = hasher.finalize();
    let mut s = String::with_capacity(20);
    s.push_str(prefix);
    for b in digest.as_bytes().iter().take(17) {
        s.push(char::from(ALNUM[usize::from(*b) % ALNUM.len()]));
    }
    s
}

/// Pick one element of a non-empty slice.
pub fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}
