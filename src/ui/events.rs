//! An events view: a timeline for any query (a finding's evidence, a
//! pivot, a search).

use super::columns::{Col, col, time_col};
use super::table;
use super::text::{cell, cut, time};
use super::theme::Theme;
use crate::app::state::{EventItem, View};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Cell;

const COLS: &[Col] = &[
    time_col("TIME"),
    col("EVENT TYPE", 10, 32),
    col("ACTOR", 8, 26),
    col("TARGET", 6, 24),
    col("IP", 7, 15),
    col("COUNTRY", 4, 14),
    col("OUTCOME", 4, 8),
];

pub fn render(view: &View, rows: &[EventItem], theme: &Theme, frame: &mut Frame, area: Rect) {
    let shown = match view.total {
        Some(t) if t > rows.len() => format!("{} of {t} shown", rows.len()),
        _ => format!("{} events", rows.len()),
    };
    let room = usize::from(area.width.saturating_sub(8)).saturating_sub(shown.len() + 3);
    let title = format!(" {} · {shown} ", cut(&view.title, room));
    table::draw(frame, area, theme, view, title, COLS, rows.len(), |i, w| {
        let e = &rows[i];
        let r = &e.row;
        vec![
            Cell::from(time(e.published_ms, w[0])),
            Cell::from(cell(&r.event_type, w[1])),
            Cell::from(cell(&r.actor, w[2])),
            Cell::from(cell(&r.target, w[3])),
            Cell::from(cell(&r.ip, w[4])),
            Cell::from(cell(&r.country, w[5])),
            Cell::from(cell(&r.outcome, w[6])),
        ]
    });
}
