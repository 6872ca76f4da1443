//! Time bounds typed by users: `7d`, `36h`, `90m`, `2022-01-16`, RFC 3339.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Parse a time bound relative to `now`. A relative form (`7d`) means that
/// long before now; a date means its midnight UTC.
pub fn parse_time_spec(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let t = s.trim();
    if let Some(d) = relative(t) {
        return Ok(now - d);
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        if let Some(dt) = d.and_hms_opt(0, 0, 0) {
            return Ok(dt.and_utc());
        }
    }
    crate::okta::time::parse_published(t).ok_or_else(|| {
        format!("cannot read time '{s}': use a duration like 7d, 36h or 90m, a date like 2022-01-16, or RFC 3339 like 2022-01-16T08:00:00Z")
    })
}

fn relative(t: &str) -> Option<Duration> {
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = num.parse().ok()?;
    match unit {
        "s" => Some(Duration::seconds(n)),
        "m" | "min" => Some(Duration::minutes(n)),
        "h" => Some(Duration::hours(n)),
        "d" => Some(Duration::days(n)),
        "w" => Some(Duration::weeks(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let now = parse_time_spec("2024-03-10T00:00:00Z", Utc::now()).expect("rfc3339");
        assert_eq!(parse_time_spec("7d", now), Ok(now - Duration::days(7)));
        assert_eq!(parse_time_spec("36h", now), Ok(now - Duration::hours(36)));
        assert_eq!(
            parse_time_spec("2024-03-01", now).map(|t| t.to_rfc3339()),
            Ok("2024-03-01T00:00:00+00:00".to_string())
        );
        assert!(parse_time_spec("7 days", now).is_err());
        assert!(parse_time_spec("", now).is_err());
    }
}
