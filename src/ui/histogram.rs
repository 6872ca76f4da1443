//! The result over time above an events table: a sparkline resampled to
//! the width, between its start and end time.

use super::text::minute;
use super::theme::Theme;
use crate::app::state::Histogram;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Sparkline;

pub fn render(h: &Histogram, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.is_empty() || h.counts.is_empty() {
        return;
    }
    let n = i64::try_from(h.counts.len()).unwrap_or(i64::MAX);
    let end_ms = h
        .start_ms
        .saturating_add(h.bucket_ms.max(0).saturating_mul(n));
    let width = usize::from(area.width);
    // With the year when the chart keeps 40 columns.
    let year = width >= 2 * 17 + 40;
    let (left, right) = (minute(h.start_ms, year), minute(end_ms, year));
    let labels = left.chars().count() + right.chars().count() + 2;
    let (spark_x, spark_w) = if width >= labels + 10 {
        (area.x + (left.chars().count() + 1) as u16, width - labels)
    } else {
        (area.x, width)
    };
    let rows = area.height;
    let data = scaled(&resample(&h.counts, spark_w), rows);
    let spark = Sparkline::default()
        .data(&data)
        .max(u64::from(rows) * 8)
        .style(theme.chart());
    frame.render_widget(
        spark,
        Rect::new(spark_x, area.y, spark_w as u16, area.height),
    );
    if spark_x > area.x {
        let bottom = Rect::new(area.x, area.y + rows - 1, area.width, 1);
        frame.render_widget(Line::from(left).style(theme.dim()), bottom);
        frame.render_widget(Line::from(right).style(theme.dim()).right_aligned(), bottom);
    }
}

/// `counts` in `width` columns: summed when there are more buckets than
/// columns, each bucket spread over several columns when there are fewer.
pub fn resample(counts: &[u64], width: usize) -> Vec<u64> {
    let n = counts.len();
    if n == 0 || width == 0 {
        return Vec::new();
    }
    (0..width)
        .map(|c| {
            let (a, b) = (c * n / width, (c + 1) * n / width);
            if b > a {
                counts[a..b].iter().sum()
            } else {
                counts[a.min(n - 1)]
            }
        })
        .collect()
}

/// Bar heights in eighths of a row for a chart `rows` high, so that any
/// bucket with events shows at least the lowest bar.
fn scaled(values: &[u64], rows: u16) -> Vec<u64> {
    let top = u64::from(rows) * 8;
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values
        .iter()
        .map(|&v| {
            if v == 0 {
                0
            } else {
                (v.saturating_mul(top) / max).max(1)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resample_sums_or_spreads() {
        assert_eq!(resample(&[1, 2, 3, 4], 2), vec![3, 7]);
        assert_eq!(resample(&[1, 2], 4), vec![1, 1, 2, 2]);
        assert_eq!(resample(&[5], 3), vec![5, 5, 5]);
        assert_eq!(resample(&[1, 1, 1], 2), vec![1, 2]);
        assert_eq!(resample(&[], 3), Vec::<u64>::new());
        let many: Vec<u64> = (0..1000).map(|_| 1).collect();
        assert_eq!(resample(&many, 7).iter().sum::<u64>(), 1000);
    }

    #[test]
    fn small_buckets_still_show() {
        assert_eq!(scaled(&[0, 1, 1000], 1), vec![0, 1, 8]);
        assert_eq!(scaled(&[0, 0], 2), vec![0, 0]);
    }
}
