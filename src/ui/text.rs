//! Text for cells: escaped (log content is hostile), then cut to a width.

use crate::output::{escape, fit};

/// `s` made inert and padded or cut (with `…`) to `width` characters.
pub fn cell(s: &str, width: u16) -> String {
    fit(&escape(head(s, usize::from(width))), usize::from(width))
}

/// The first `width + 1` characters of `s`: all a cell of `width` can show
/// (escaping only lengthens), so a 1 MB field costs what a short one does
/// on every frame. The extra character keeps the cut mark (`…`).
fn head(s: &str, width: usize) -> &str {
    match s.char_indices().nth(width + 1) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

/// The last `n` characters of `s`.
fn last(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((start, _)) if n > 0 => &s[start..],
        _ if n == 0 => "",
        _ => s,
    }
}

/// `s` made inert and padded or cut to `width` characters, keeping its
/// end, where dotted names say the most (event types): whole leading
/// segments go when that loses little (`…session.start`), else
/// characters (`…ntication.sso`).
pub fn cell_tail(s: &str, width: u16) -> String {
    let w = usize::from(width);
    // The end is what is kept; a little more than fits decides the cut.
    let e = escape(if s.len() > 4 * w + 8 {
        last(s, 4 * w + 8)
    } else {
        s
    });
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
    let e = escape(head(s, width));
    if e.chars().count() <= width {
        e.into_owned()
    } else {
        fit(&e, width)
    }
}

/// `s` made inert, keeping its end when it is too long (`…c > d`).
pub fn cut_left(s: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let e = escape(last(s, width + 1));
    let n = e.chars().count();
    if n <= width {
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
    fn long_values_are_cut_before_escaping_with_the_same_result() {
        let long = format!("{}\u{1b}]0;x\u{7}{}", "a".repeat(30), "b".repeat(1 << 20));
        for w in [0u16, 1, 5, 29, 30, 31, 40] {
            let whole = fit(&escape(&long), usize::from(w));
            assert_eq!(cell(&long, w), whole, "width {w}");
            assert_eq!(cut(&long, usize::from(w)), whole, "width {w}");
        }
        assert_eq!(cell("short", 8), "short   ");
        assert_eq!(cut("\u{1b}", 10), "\\x1b");
        let tail = format!("{}.session.start", "x".repeat(1 << 20));
        assert_eq!(cell_tail(&tail, 14), "…session.start");
        assert_eq!(cut_left(&tail, 6), "…start");
        assert_eq!(cut_left("a\u{1b}", 10), "a\\x1b");
        assert_eq!(last("héllo", 3), "llo");
        assert_eq!(last("hé", 5), "hé");
        assert_eq!(last("hé", 0), "");
    }

    #[test]
    fn minute_labels() {
        let ms = 1_710_000_000_000; // 2024-03-09 16:00:00 UTC
        assert_eq!(minute(ms, true), "2024-03-09 16:00");
        assert_eq!(minute(ms, false), "03-09 16:00");
    }
}
