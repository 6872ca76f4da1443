//! Column widths that fill the screen: each column gets its ideal width
//! when there is room, else the widest shrinks first down to its floor.

/// A column: header, narrowest useful width, width wanted.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub title: &'static str,
    pub min: u16,
    pub ideal: u16,
    /// Only `min` or `ideal` make sense (a time with or without its year).
    pub snap: bool,
    /// When the floors do not fit, columns with the highest rank are left
    /// out first; 0 is never left out.
    pub drop: u8,
    /// Left out: no row has a value for it.
    pub empty: bool,
}

impl Col {
    /// This column, left out before lower ranks when space is short.
    pub const fn drop_rank(self, drop: u8) -> Col {
        Col { drop, ..self }
    }

    /// This column for values at most `widest` characters wide: it wants
    /// no more than they (or its title) need, so the room goes to columns
    /// that can use it; with no values at all it is left out. A time
    /// column keeps its widths.
    pub fn fit_content(self, widest: usize) -> Col {
        if self.snap {
            return self;
        }
        let title = self.title.chars().count();
        let need = u16::try_from(widest.max(title)).unwrap_or(u16::MAX);
        Col {
            min: self.min.min(need),
            ideal: self.ideal.min(need),
            empty: widest == 0,
            ..self
        }
    }
}

/// The widest of `values` as shown (escaped), in characters.
pub fn widest<'a>(values: impl Iterator<Item = &'a str>) -> usize {
    values.map(shown_width).max().unwrap_or(0)
}

fn shown_width(v: &str) -> usize {
    // Printable ASCII, by far the most common, is shown as it is.
    if v.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        v.len()
    } else {
        crate::output::escape(v).chars().count()
    }
}

pub const fn col(title: &'static str, min: u16, ideal: u16) -> Col {
    Col {
        title,
        min,
        ideal,
        snap: false,
        drop: 0,
        empty: false,
    }
}

/// A time column: with the year when it fits, else without.
pub const fn time_col(title: &'static str) -> Col {
    Col {
        title,
        min: 14,
        ideal: 19,
        snap: true,
        drop: 0,
        empty: false,
    }
}

/// Which of `cols` to show in `total` columns: all but the empty ones
/// when their floors fit, else the highest drop ranks left out first (the
/// rightmost of equal rank first).
pub fn keep(cols: &[Col], total: u16) -> Vec<bool> {
    let mut keep: Vec<bool> = cols.iter().map(|c| !c.empty).collect();
    let need = |keep: &[bool]| {
        let n = keep.iter().filter(|&&k| k).count() as u16;
        let floors: u16 = cols
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| c.min)
            .sum();
        floors + n.saturating_sub(1)
    };
    while need(&keep) > total {
        let Some(i) = (0..cols.len())
            .filter(|&i| keep[i] && cols[i].drop > 0)
            .max_by_key(|&i| (cols[i].drop, i))
        else {
            break;
        };
        keep[i] = false;
    }
    keep
}

/// Widths for `cols` in `total` columns, one space between columns. Any
/// room left goes to the last column.
pub fn widths(cols: &[Col], total: u16) -> Vec<u16> {
    let gaps = cols.len().saturating_sub(1) as u16;
    let room = total.saturating_sub(gaps);
    let mut w: Vec<u16> = cols.iter().map(|c| c.ideal).collect();
    let mut sum: u16 = w.iter().sum();
    while sum > room {
        let Some(i) = (0..w.len())
            .filter(|&i| w[i] > cols[i].min)
            .max_by_key(|&i| w[i] - cols[i].min)
        else {
            break;
        };
        w[i] -= 1;
        sum -= 1;
    }
    // Snapped columns fall back to their floor; what that frees goes one
    // column at a time to the most starved columns.
    for i in 0..w.len() {
        if cols[i].snap && w[i] < cols[i].ideal && w[i] > cols[i].min {
            let mut freed = w[i] - cols[i].min;
            w[i] = cols[i].min;
            while freed > 0 {
                let Some(j) = (0..w.len())
                    .filter(|&j| !cols[j].snap && w[j] < cols[j].ideal)
                    .max_by_key(|&j| (cols[j].ideal - w[j], std::cmp::Reverse(j)))
                else {
                    // Nobody wants more: the last column takes it below.
                    sum -= freed;
                    break;
                };
                w[j] += 1;
                freed -= 1;
            }
        }
    }
    if sum < room {
        if let Some(last) = w.last_mut() {
            *last += room - sum;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrink_widest_first_and_fill() {
        let cols = [col("a", 4, 10), col("b", 4, 20)];
        assert_eq!(widths(&cols, 31), vec![10, 20]);
        assert_eq!(widths(&cols, 21), vec![10, 10]);
        assert_eq!(widths(&cols, 41), vec![10, 30]);
        assert_eq!(widths(&cols, 5), vec![4, 4]);
        let cols = [time_col("t"), col("b", 4, 20)];
        assert_eq!(widths(&cols, 31), vec![19, 11], "room for the full time");
        assert_eq!(
            widths(&cols, 27),
            vec![14, 12],
            "a partial time snaps to its floor"
        );
        let cols = [time_col("t"), col("a", 13, 18), col("b", 10, 15)];
        assert_eq!(
            widths(&cols, 49),
            vec![14, 18, 15],
            "what the time frees is shared"
        );
    }

    #[test]
    fn content_narrows_a_column() {
        let c = col("TARGET", 6, 24).fit_content(0);
        assert!(c.empty, "no values: left out");
        assert_eq!(keep(&[col("A", 3, 3), c], 80), vec![true, false]);
        let c = col("IP", 15, 15).fit_content(12);
        assert_eq!((c.min, c.ideal), (12, 12));
        let c = col("ACTOR", 10, 26).fit_content(40);
        assert_eq!((c.min, c.ideal), (10, 26));
        let t = time_col("TIME").fit_content(3);
        assert_eq!((t.min, t.ideal), (14, 19));
    }

    #[test]
    fn keep_drops_highest_rank_first() {
        let cols = [
            col("a", 10, 10),
            col("b", 10, 10).drop_rank(1),
            col("c", 10, 10).drop_rank(2),
        ];
        assert_eq!(keep(&cols, 32), vec![true, true, true]);
        assert_eq!(keep(&cols, 31), vec![true, true, false]);
        assert_eq!(keep(&cols, 20), vec![true, false, false]);
        assert_eq!(keep(&cols, 5), vec![true, false, false], "rank 0 stays");
    }
}
