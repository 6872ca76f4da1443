//! The findings view: one row per finding, in the order the hunts give.

use super::columns::{Col, col, time_col};
use super::table;
use super::text::{cell, time};
use super::theme::Theme;
use crate::app::state::{FindingItem, View};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Cell;

const COLS: &[Col] = &[
    col("SEVERITY", 4, 8),
    col("HUNT", 8, 22),
    col("ACTOR", 8, 26),
    col("TARGETS", 6, 24),
    col("IPS", 7, 16),
    time_col("FIRST SEEN"),
    col("COUNT", 5, 6),
];

pub fn render(view: &View, rows: &[FindingItem], theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = format!(" Findings ({}) ", rows.len());
    table::draw(frame, area, theme, view, title, COLS, rows.len(), |i, w| {
        let f = &rows[i];
        let list = |v: &[String]| match v.len() {
            0 => String::new(),
            1 => v[0].clone(),
            n => format!("{} +{}", v[0], n - 1),
        };
        vec![
            Cell::from(cell(&f.severity, w[0])).style(theme.severity(&f.severity)),
            Cell::from(cell(&f.hunt, w[1])),
            Cell::from(cell(f.actor.as_deref().unwrap_or("-"), w[2])),
            Cell::from(cell(&list(&f.targets), w[3])),
            Cell::from(cell(&list(&f.ips), w[4])),
            Cell::from(time(f.first_ms, w[5])),
            Cell::from(format!("{:>width$}", f.count, width = usize::from(w[6]))),
        ]
    });
}
