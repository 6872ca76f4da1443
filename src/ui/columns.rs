//! Column widths that fill the screen: each column gets its ideal width
//! when there is room, else the widest shrinks first down to its floor.

/// A column: header, narrowest useful width, width wanted.
pub struct Col {
    pub title: &'static str,
    pub min: u16,
    pub ideal: u16,
    /// Only `min` or `ideal` make sense (a time with or without its year).
    pub snap: bool,
}

pub const fn col(title: &'static str, min: u16, ideal: u16) -> Col {
    Col {
        title,
        min,
        ideal,
        snap: false,
    }
}

/// A time column: with the year when it fits, else without.
pub const fn time_col(title: &'static str) -> Col {
    Col {
        title,
        min: 14,
        ideal: 19,
        snap: true,
    }
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
    // Snapped columns fall back to their floor; the most starved column
    // gets what that frees.
    for i in 0..w.len() {
        if cols[i].snap && w[i] < cols[i].ideal && w[i] > cols[i].min {
            let freed = w[i] - cols[i].min;
            w[i] = cols[i].min;
            if let Some(j) = (0..w.len())
                .filter(|&j| !cols[j].snap)
                .max_by_key(|&j| cols[j].ideal.saturating_sub(w[j]))
            {
                w[j] += freed;
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
    }
}
