//! Text for cells: escaped (log content is hostile), then cut to a width.

use crate::output::{escape, fit};

/// `s` made inert and padded or cut (with `…`) to `width` characters.
pub fn cell(s: &str, width: u16) -> String {
    fit(&escape(s), usize::from(width))
}

/// `s` made inert and padded or cut to `width` characters, keeping its
/// end, where dotted names say the most (event types): whole leading
/// segments go when that loses little (`…session.start`), else
/// characters (`…ntication.sso`).
pub fn cell_tail(s: &str, width: u16) -> String {
    let w = usize::from(width);
    let e = escape(s);
    let n = e.chars().count();
    if n <= w {
        return fit(&e, w);
    }
    let whole = e
        .char_indices()
        .filter(|&(_, c)| c == '.')
        .map(|(i, _)| &e[i + 1..])
        .find(|rest| (w.saturating_sub(4)..w).contains(&rest.chars().count()));
    match whole {
        Some(rest) => fit(&format!("…{rest}"), w),
        None => cut_left(&e, w),
    }
}

/// `s` made inert and cut to at most `width` characters.
pub fn cut(s: &str, width: usize) -> String {
    let e = escape(s);
    if e.chars().count() <= width {
        e.into_owned()
    } else {
        fit(&e, width)
    }
}

/// `s` made inert, keeping its end when it is too long (`…c > d`).
pub fn cut_left(s: &str, width: usize) -> String {
    let e = escape(s);
    let n = e.chars().count();
    if n <= width || width == 0 {
        return e.into_owned();
    }
    let mut o = String::from("…");
    o.extend(e.chars().skip(n - width + 1));
    o
}

/// A time column: full when there is room, else without the year.
pub fn time(ms: i64, width: u16) -> String {
    let t = crate::app::nav::time(ms);
    if width >= 19 {
        fit(&t, usize::from(width))
    } else {
        fit(t.get(5..).unwrap_or(&t), usize::from(width))
    }
}

/// `15,321`: a count people can read at a glance.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A time to the minute (UTC), for labels: `2024-03-09 16:00`, or
/// `03-09 16:00` without the year.
pub fn minute(ms: i64, year: bool) -> String {
    let t = crate::app::nav::time(ms);
    let t = t.get(..16).unwrap_or(&t);
    if year {
        t.to_string()
    } else {
        t.get(5..).unwrap_or(t).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(15_321), "15,321");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn tail_cells_keep_the_end() {
        assert_eq!(cell_tail("user.authentication.sso", 14), "…ntication.sso");
        assert_eq!(cell_tail("user.session.start", 14), "…session.start");
        assert_eq!(cell_tail("user.session.start", 13), "…ession.start");
        assert_eq!(cell_tail("user.authentication.sso", 13), "…tication.sso");
        assert_eq!(cell_tail("user.session.start", 16), "…session.start  ");
        assert_eq!(
            cell_tail("user.account.reset_password", 15),
            "…reset_password"
        );
        assert_eq!(cell_tail("user.session.end", 18), "user.session.end  ");
        assert_eq!(cell_tail("a\u{1b}b", 4), "…1bb");
    }

    #[test]
    fn minute_labels() {
        let ms = 1_710_000_000_000; // 2024-03-09 16:00:00 UTC
        assert_eq!(minute(ms, true), "2024-03-09 16:00");
        assert_eq!(minute(ms, false), "03-09 16:00");
    }
}
