//! Time: the generated period, millisecond timestamps, and Okta's
//! `published` format.

use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Weekday};
use std::fmt::Write as _;

pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// The days covered, as UTC midnights in milliseconds since the epoch.
#[derive(Clone, Debug)]
pub struct Period {
    /// Midnight UTC of the first day.
    pub start_ms: i64,
    pub days: u32,
}

impl Period {
    pub fn new(end: &str, days: u32) -> anyhow::Result<Period> {
        if days == 0 {
            bail!("--days must be at least 1");
        }
        let end = NaiveDate::parse_from_str(end, "%Y-%m-%d")
            .with_context(|| format!("--end {end:?} is not a date like 2024-03-15"))?;
        let end_ms = end
            .and_hms_opt(0, 0, 0)
            .context("midnight exists")?
            .and_utc()
            .timestamp_millis();
        Ok(Period {
            start_ms: end_ms - i64::from(days - 1) * DAY,
            days,
        })
    }

    /// Midnight UTC of day `d` (0 = first day).
    pub fn day_ms(&self, d: u32) -> i64 {
        self.start_ms + i64::from(d) * DAY
    }

    /// The day the intrusion happens: two days before the last (or the first
    /// day of a short period), so the period ends with some quiet aftermath.
    pub fn story_day(&self) -> u32 {
        self.days.saturating_sub(3)
    }

    pub fn end_ms(&self) -> i64 {
        self.day_ms(self.days)
    }
}

/// Whether the UTC date containing `day_ms` is a Saturday or Sunday.
pub fn is_weekend(day_ms: i64) -> bool {
    match DateTime::from_timestamp_millis(day_ms) {
        Some(t) => matches!(t.weekday(), Weekday::Sat | Weekday::Sun),
        None => false,
    }
}

/// `2024-03-13T16:52:03.123Z`, appended to `out`.
pub fn write_published(out: &mut String, ms: i64) {
    // Out-of-range timestamps cannot come from a parsed --end; fall back to
    // the epoch rather than fail mid-stream.
    let t = DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.timestamp_subsec_millis()
    );
}

pub fn published(ms: i64) -> String {
    let mut s = String::with_capacity(24);
    write_published(&mut s, ms);
    s
}
