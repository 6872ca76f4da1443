//! How every hunt names places and lists in its summary sentences.

use crate::hunt::Facts;

/// `73.92.144.203 (San Francisco, United States)`, or the bare IP.
pub fn place(f: &Facts) -> String {
    let ip = f.ip_text().unwrap_or_else(|| "no IP".into());
    match location(f) {
        Some(w) => format!("{ip} ({w})"),
        None => ip,
    }
}

/// `San Francisco, United States`, `Romania`, or nothing.
pub fn location(f: &Facts) -> Option<String> {
    match (f.city.as_deref(), f.country.as_deref()) {
        (Some(c), Some(k)) => Some(format!("{c}, {k}")),
        (None, Some(k)) => Some(k.to_string()),
        (Some(c), None) => Some(c.to_string()),
        (None, None) => None,
    }
}

/// The first `n` items of a list, then how many more: `a, b and 4 more`.
pub fn list(items: &[String], n: usize) -> String {
    let shown = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    match items.len().saturating_sub(n) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}
