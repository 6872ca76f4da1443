//! Okta's `published` timestamp in every form exports write it.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// Parse `published`: RFC 3339 (`2024-03-01T10:00:00.123Z`), the SIEM form
/// without `T` or zone (`2022-06-22 18:18:29.015`, taken as UTC), any number
/// of fractional digits, or epoch seconds/milliseconds as digits. Only
/// times the index can hold (see [`representable`]) are returned.
pub fn parse_published(s: &str) -> Option<DateTime<Utc>> {
    parse_any(s).filter(representable)
}

/// Why `s` is not a usable `published` time, said for the analyst.
pub fn published_error(s: &str) -> &'static str {
    match parse_any(s) {
        Some(_) => "is outside the years 1678 to 2261",
        None => "is not a timestamp",
    }
}

/// The index keeps times as i64 nanoseconds (tantivy's `DateTime`), which
/// span 1677-09-21 to 2262-04-11; a later time (`9999-12-31`, 14-digit
/// epoch millis) would overflow there and land at a wrong date.
fn representable(t: &DateTime<Utc>) -> bool {
    t.timestamp_nanos_opt().is_some()
}

fn parse_any(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let bare = s
        .strip_suffix(" UTC")
        .or_else(|| s.strip_suffix('Z'))
        .unwrap_or(s);
    for fmt in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(bare, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Some(t.with_timezone(&Utc));
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        // 13 digits and more are milliseconds (anything after 2001-09-09).
        return if n >= 1_000_000_000_000 {
            Utc.timestamp_millis_opt(n).single()
        } else {
            Utc.timestamp_opt(n, 0).single()
        };
    }
    None
}

/// RFC 3339 in UTC with milliseconds, as Okta writes it.
pub fn format_utc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        parse_published(s)
            .map(|t| t.timestamp_millis())
            .unwrap_or(-1)
    }

    #[test]
    fn all_forms_agree() {
        let want = ms("2022-06-22T18:18:29.015Z");
        assert!(want > 0);
        assert_eq!(ms("2022-06-22 18:18:29.015"), want);
        assert_eq!(ms("2022-06-22 18:18:29.015123456"), want);
        assert_eq!(ms("2022-06-22T18:18:29.015000Z"), want);
        assert_eq!(ms("2022-06-22T20:18:29.015+02:00"), want);
        assert_eq!(ms("2022-06-22T18:18:29.015"), want);
        assert_eq!(ms("1655921909015"), want);
        assert_eq!(ms("2022-06-22 18:18:29.015 UTC"), want);
    }

    #[test]
    fn times_the_index_cannot_hold_are_none() {
        for s in [
            "9999-12-31T23:59:59Z",
            "2262-04-12T00:00:00Z",
            "1677-09-20T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "99999999999999",
            "9223372036854775807",
            "+262142-01-01 00:00:00",
        ] {
            assert!(parse_published(s).is_none(), "{s}");
        }
        assert_eq!(
            published_error("9999-12-31T23:59:59Z"),
            "is outside the years 1678 to 2261"
        );
        assert_eq!(published_error("soon"), "is not a timestamp");
        assert!(parse_published("2262-04-11T00:00:00Z").is_some());
        assert!(parse_published("1677-09-22T00:00:00Z").is_some());
        assert!(parse_published("0").is_some());
    }

    #[test]
    fn garbage_is_none() {
        assert!(parse_published("yesterday").is_none());
        assert!(parse_published("").is_none());
        assert!(parse_published("2022-13-45T00:00:00Z").is_none());
    }
}
