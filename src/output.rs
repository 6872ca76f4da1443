//! Presenting events to people: the one escaping function every string
//! from an event passes through before it reaches a terminal, the summary
//! row of an event, and tables that fit the terminal width.

use crate::okta::event::LogEvent;
use std::borrow::Cow;
use std::fmt::Write as _;

/// Make text from an event inert: control characters (C0, DEL, C1) and
/// bidi/invisible format characters are shown as visible escapes (`\x1b`,
/// `\u{202e}`) instead of reaching the terminal, where they could move the
/// cursor, retitle the window or reorder what the analyst reads.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            let n = c as u32;
            if n < 0x100 {
                let _ = write!(out, "\\x{n:02x}");
            } else {
                let _ = write!(out, "\\u{{{n:04x}}}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{061c}' | '\u{feff}')
}

/// The fields a one-line view of an event shows.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EventRow {
    pub uuid: String,
    pub published: String,
    pub event_type: String,
    pub actor: String,
    pub target: String,
    pub ip: String,
    pub country: String,
    pub city: String,
    pub outcome: String,
    pub session: String,
    pub message: String,
}

impl EventRow {
    /// Read the row from an event's original JSON (unescaped: escape at the
    /// point of display). An empty `id` means the event's own uuid, or the
    /// id okhunt derived for an event without one.
    pub fn from_source(id: &str, source: &str) -> EventRow {
        let Ok(e) = serde_json::from_str::<LogEvent>(source) else {
            return EventRow {
                uuid: id.to_string(),
                ..EventRow::default()
            };
        };
        let s = |v: Option<&str>| v.unwrap_or("").to_string();
        let actor = e
            .actor
            .as_ref()
            .and_then(|a| a.alternate_id.as_deref().or(a.display_name.as_deref()));
        let target = e
            .target_of_type("User")
            .or_else(|| e.target.first())
            .and_then(|t| t.alternate_id.as_deref().or(t.display_name.as_deref()));
        let uuid = match (id, e.uuid.as_deref()) {
            ("", Some(u)) => u.to_string(),
            ("", None) => crate::okta::identity::derived_id(source),
            (id, _) => id.to_string(),
        };
        EventRow {
            uuid,
            published: s(e.published.as_deref()),
            event_type: s(e.event_type.as_deref()),
            actor: s(actor),
            target: s(target),
            ip: s(e.client_ip()),
            country: s(e.geo().and_then(|g| g.country.as_deref())),
            city: s(e.geo().and_then(|g| g.city.as_deref())),
            outcome: s(e.outcome_result()),
            session: s(e.session_id()),
            message: s(e.display_message.as_deref()),
        }
    }
}

/// A plain-text table: a header, then rows, columns cut to fit `width`.
/// `flex` lists the columns that may shrink (with `…`) and how narrow each
/// may get before the others give more: the widest shrinks first.
pub fn table(
    headers: &[&str],
    rows: &[Vec<String>],
    width: usize,
    flex: &[(usize, usize)],
) -> String {
    let n = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, cell) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(escape(cell).chars().count());
        }
    }
    let gaps = 2 * n.saturating_sub(1);
    let mut total: usize = widths.iter().sum::<usize>() + gaps;
    // First down to each column's floor; then every flexible column in
    // proportion to its floor, down to 8 characters.
    for pass in [false, true] {
        while total > width {
            let pick = flex
                .iter()
                .filter(|&&(i, f)| widths[i] > if pass { 8 } else { f.max(8) })
                .max_by_key(|&&(i, f)| {
                    if pass {
                        widths[i] * 1000 / f.max(1)
                    } else {
                        widths[i]
                    }
                });
            let Some(&(i, _)) = pick else {
                break;
            };
            widths[i] -= 1;
            total -= 1;
        }
    }
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = Cow<'_, str>>, out: &mut String| {
        let mut parts = Vec::with_capacity(n);
        for (i, c) in cells.enumerate().take(n) {
            parts.push(fit(&c, widths[i]));
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(&mut headers.iter().map(|h| Cow::Borrowed(*h)), &mut out);
    for r in rows {
        line(&mut r.iter().map(|c| escape(c)), &mut out);
    }
    out
}

/// Pad or cut `s` to exactly `w` characters.
pub fn fit(s: &str, w: usize) -> String {
    let len = s.chars().count();
    if len <= w {
        let mut o = s.to_string();
        o.extend(std::iter::repeat_n(' ', w - len));
        o
    } else if w == 0 {
        String::new()
    } else {
        let mut o: String = s.chars().take(w - 1).collect();
        o.push('…');
        o
    }
}

/// Terminal width for tables: the terminal's, else `COLUMNS`, else 120.
pub fn terminal_width() -> usize {
    if let Ok((w, _)) = ratatui::crossterm::terminal::size() {
        if w > 20 {
            return w as usize;
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w > 20)
        .unwrap_or(120)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_reads_its_uuid_or_derives_it() {
        let with = r#"{"uuid":"u-1","eventType":"user.session.start"}"#;
        assert_eq!(EventRow::from_source("", with).uuid, "u-1");
        assert_eq!(EventRow::from_source("given", with).uuid, "given");
        let without = r#"{"eventType":"user.session.start","published":"2024-03-01T00:00:00Z"}"#;
        let row = EventRow::from_source("", without);
        assert_eq!(row.uuid, crate::okta::identity::derived_id(without));
        assert!(row.uuid.starts_with("okhunt-"), "{}", row.uuid);
    }

    #[test]
    fn escapes_terminal_attacks() {
        assert_eq!(escape("plain é"), "plain é");
        assert_eq!(escape("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
        assert_eq!(escape("a\u{202e}b\nc"), "a\\u{202e}b\\x0ac");
        assert_eq!(escape("\u{9b}31m"), "\\x9b31m");
    }

    #[test]
    fn table_fits_width() {
        let rows = vec![vec![
            "2024-03-01T10:00:00.000Z".to_string(),
            "a".repeat(80),
            "x".to_string(),
        ]];
        let t = table(&["time", "long", "c"], &rows, 60, &[(1, 8)]);
        for l in t.lines() {
            assert!(l.chars().count() <= 60, "{l}");
        }
        assert!(t.contains('…'));
    }
}
