//! The `T` prompt's time range: `7d` (the case's last seven days),
//! `2024-03-01..2024-03-08` (both days included), `2024-03-01..` or
//! `..2024-03-08`, or one date (that day). Relative forms count back from
//! the case's newest event, not from the clock, so they mean the same on
//! an exported case months later.

use super::state::TimeRange;
use crate::timespec::parse_time_spec;
use chrono::{DateTime, NaiveDate, Utc};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Parse what the user typed; `anchor_ms` is the case's newest event.
pub fn parse(text: &str, anchor_ms: i64) -> Result<TimeRange, String> {
    let t = text.trim();
    let anchor = DateTime::from_timestamp_millis(anchor_ms).unwrap_or_default();
    // The end is exclusive: one ms past the anchor keeps the newest event.
    let end = anchor_ms.saturating_add(1);
    let (since_ms, until_ms) = match t.split_once("..") {
        Some((a, b)) => {
            let since = if a.trim().is_empty() {
                i64::MIN
            } else {
                bound(a, anchor, false)?
            };
            let until = if b.trim().is_empty() {
                i64::MAX
            } else {
                bound(b, anchor, true)?
            };
            (since, until)
        }
        None if is_date(t) => {
            let day = bound(t, anchor, false)?;
            (day, day.saturating_add(DAY_MS))
        }
        None => (bound(t, anchor, false)?, end),
    };
    if since_ms >= until_ms {
        return Err(format!(
            "'{t}' is an empty range: the start must come before the end"
        ));
    }
    Ok(TimeRange {
        text: t.to_string(),
        since_ms,
        until_ms,
    })
}

fn is_date(s: &str) -> bool {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").is_ok()
}

/// One side of a range in ms; a date as the end means the end of that day.
fn bound(s: &str, anchor: DateTime<Utc>, end: bool) -> Result<i64, String> {
    let t = parse_time_spec(s, anchor)?.timestamp_millis();
    Ok(if end && is_date(s) {
        t.saturating_add(DAY_MS)
    } else {
        t
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s)
            .expect("rfc3339")
            .timestamp_millis()
    }

    #[test]
    fn relative_counts_back_from_the_newest_event() {
        let anchor = ms("2024-03-14T12:00:00Z");
        let r = parse("7d", anchor).expect("7d");
        assert_eq!(r.since_ms, ms("2024-03-07T12:00:00Z"));
        assert_eq!(r.until_ms, anchor + 1, "the newest event is kept");
        assert_eq!(r.text, "7d");
    }

    #[test]
    fn date_ranges_include_both_days() {
        let anchor = ms("2024-03-14T12:00:00Z");
        let r = parse("2024-03-01..2024-03-08", anchor).expect("range");
        assert_eq!(r.since_ms, ms("2024-03-01T00:00:00Z"));
        assert_eq!(r.until_ms, ms("2024-03-09T00:00:00Z"));
        let r = parse("2024-03-02", anchor).expect("one day");
        assert_eq!(
            (r.since_ms, r.until_ms),
            (ms("2024-03-02T00:00:00Z"), ms("2024-03-03T00:00:00Z"))
        );
        let r = parse("..2024-03-08T10:00:00Z", anchor).expect("open start");
        assert_eq!(
            (r.since_ms, r.until_ms),
            (i64::MIN, ms("2024-03-08T10:00:00Z"))
        );
        let r = parse("2024-03-08T10:00:00Z..", anchor).expect("open end");
        assert_eq!(r.until_ms, i64::MAX);
    }

    #[test]
    fn bad_ranges_say_why() {
        let anchor = ms("2024-03-14T12:00:00Z");
        assert!(
            parse("last week", anchor)
                .expect_err("words")
                .contains("7d")
        );
        assert!(
            parse("2024-03-08..2024-03-01", anchor)
                .expect_err("reversed")
                .contains("before")
        );
    }
}
