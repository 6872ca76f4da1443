//! Text for cells: escaped (log content is hostile), then cut to a width.

use crate::output::{escape, fit};

/// `s` made inert and padded or cut (with `…`) to `width` characters.
pub fn cell(s: &str, width: u16) -> String {
    fit(&escape(s), usize::from(width))
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
