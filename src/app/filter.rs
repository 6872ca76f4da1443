//! The `f` filter and `n`/`N` matches: which rows contain a text, looking
//! at what the row shows (case-insensitive).

use super::nav::time;
use super::state::Rows;

/// The text row `i` shows, lowercased, for matching.
pub fn row_text(rows: &Rows, i: usize) -> Option<String> {
    let parts: Vec<String> = match rows {
        Rows::Findings(f) => {
            let f = f.get(i)?;
            let mut v = vec![f.severity.clone(), f.hunt.clone(), f.title.clone()];
            v.extend(f.actor.clone());
            v.extend(f.targets.iter().cloned());
            v.extend(f.ips.iter().cloned());
            v
        }
        Rows::Events(e) => {
            let e = e.get(i)?;
            let r = &e.row;
            vec![
                time(e.published_ms),
                r.event_type.clone(),
                r.actor.clone(),
                r.target.clone(),
                r.ip.clone(),
                r.country.clone(),
                r.city.clone(),
                r.outcome.clone(),
                r.session.clone(),
                r.uuid.clone(),
            ]
        }
        Rows::Ips(ips) => {
            let r = ips.get(i)?;
            vec![r.ip.clone(), r.country.clone(), r.role.clone()]
        }
        Rows::Lines(l) => vec![l.get(i)?.clone()],
    };
    Some(parts.join("\u{1f}").to_lowercase())
}

/// Whether row `i` contains `needle` (already lowercased).
pub fn matches(rows: &Rows, i: usize, needle: &str) -> bool {
    row_text(rows, i).is_some_and(|t| t.contains(needle))
}

/// The rows of `all` that contain `text`.
pub fn filtered(all: &Rows, text: &str) -> Rows {
    let needle = text.to_lowercase();
    let keep = |i: usize| matches(all, i, &needle);
    fn pick<T: Clone>(v: &[T], keep: impl Fn(usize) -> bool) -> Vec<T> {
        v.iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, x)| x.clone())
            .collect()
    }
    match all {
        Rows::Findings(v) => Rows::Findings(pick(v, keep)),
        Rows::Events(v) => Rows::Events(pick(v, keep)),
        Rows::Ips(v) => Rows::Ips(pick(v, keep)),
        Rows::Lines(v) => Rows::Lines(pick(v, keep)),
    }
}

/// The next row after `from` (before it with `back`) containing `text`,
/// wrapping around; `None` when no row does.
pub fn next_match(rows: &Rows, from: usize, text: &str, back: bool) -> Option<usize> {
    let n = rows.len();
    if n == 0 {
        return None;
    }
    let needle = text.to_lowercase();
    (1..=n)
        .map(|step| {
            if back {
                (from + n * 2 - step % n) % n
            } else {
                (from + step) % n
            }
        })
        .find(|&i| matches(rows, i, &needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Rows {
        Rows::Lines(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn filter_is_case_insensitive() {
        let rows = lines(&["Alice", "bob", "ALICE again"]);
        assert_eq!(filtered(&rows, "alice"), lines(&["Alice", "ALICE again"]));
        assert_eq!(filtered(&rows, "zed"), lines(&[]));
    }

    #[test]
    fn next_and_previous_wrap() {
        let rows = lines(&["a", "x", "a", "x"]);
        assert_eq!(next_match(&rows, 0, "a", false), Some(2));
        assert_eq!(next_match(&rows, 2, "a", false), Some(0), "wraps");
        assert_eq!(next_match(&rows, 0, "a", true), Some(2), "wraps back");
        assert_eq!(next_match(&rows, 3, "a", true), Some(2));
        assert_eq!(next_match(&rows, 0, "zz", false), None);
        assert_eq!(next_match(&lines(&[]), 0, "a", false), None);
    }
}
