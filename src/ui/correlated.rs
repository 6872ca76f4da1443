//! The correlated-IPs view: one row per IP an actor used, with its role.

use super::columns::{Col, col, time_col};
use super::table;
use super::text::{cell, cut, time};
use super::theme::Theme;
use crate::app::state::{IpItem, View};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Cell;

const COLS: &[Col] = &[
    col("IP", 7, 16),
    col("COUNTRY", 4, 14),
    col("ROLE", 5, 13),
    col("EVENTS", 6, 7),
    time_col("FIRST SEEN"),
    time_col("LAST SEEN"),
];

pub fn render(view: &View, rows: &[IpItem], theme: &Theme, frame: &mut Frame, area: Rect) {
    let room = usize::from(area.width.saturating_sub(12));
    let title = format!(" {} ({}) ", cut(&view.title, room), rows.len());
    table::draw(frame, area, theme, view, title, COLS, rows.len(), |i, w| {
        let r = &rows[i];
        let t = |ms: Option<i64>, w: u16| ms.map_or_else(|| cell("", w), |ms| time(ms, w));
        vec![
            Cell::from(cell(&r.ip, w[0])),
            Cell::from(cell(&r.country, w[1])),
            Cell::from(cell(&r.role, w[2])),
            Cell::from(format!("{:>width$}", r.count, width = usize::from(w[3]))),
            Cell::from(t(r.first_ms, w[4])),
            Cell::from(t(r.last_ms, w[5])),
        ]
    });
}
