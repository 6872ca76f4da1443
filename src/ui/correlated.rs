//! The correlated-IPs view: one row per IP an actor used, with its role
//! and, when the actor has a keep-alive IP, whether this one was active at
//! the same time (`OVERLAP yes` rows stand out).

use super::columns::{Col, col, time_col, widest};
use super::table::{self, Built};
use super::text::{cell, cut, time};
use super::theme::Theme;
use super::title;
use crate::app::state::{AppState, IpItem, Rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Cell;

const COLS: [Col; 6] = [
    col("IP", 15, 16),
    col("COUNTRY", 7, 14).drop_rank(1),
    col("ROLE", 10, 13),
    col("EVENTS", 6, 7),
    time_col("FIRST SEEN"),
    time_col("LAST SEEN"),
];
const OVERLAP: Col = col("OVERLAP", 7, 7);

pub fn render(state: &AppState, rows: &[IpItem], theme: &Theme, frame: &mut Frame, area: Rect) {
    let view = state.top();
    let loaded = view.unfiltered.as_ref().map_or(rows.len(), |all| all.len());
    let mut parts = vec![format!("{loaded} IPs")];
    parts.extend(title::parts(state, view));
    let title = title::compose(&view.title, &parts, area.width);
    // The column only when the actor has a keep-alive IP to overlap with.
    let overlap = rows.iter().any(|r| r.overlaps_dominant.is_some());
    let all = match &view.unfiltered {
        Some(Rows::Ips(all)) => all.as_slice(),
        _ => rows,
    };
    let mut cols = COLS.to_vec();
    cols[0] = cols[0].fit_content(widest(all.iter().map(|r| r.ip.as_str())));
    cols[1] = cols[1].fit_content(widest(all.iter().map(|r| r.country.as_str())));
    cols[2] = cols[2].fit_content(widest(all.iter().map(|r| r.role.as_str())));
    if overlap {
        cols.push(OVERLAP);
    }
    table::draw(frame, area, theme, state, title, &cols, |i, w| {
        let r = &rows[i];
        let t = |ms: Option<i64>, w: u16| ms.map_or_else(|| cell("", w), |ms| time(ms, w));
        let mut cells = vec![
            Cell::from(cell(&r.ip, w[0])),
            Cell::from(cell(&r.country, w[1])),
            Cell::from(cell(&r.role, w[2])),
            Cell::from(format!("{:>width$}", r.count, width = usize::from(w[3]))),
            Cell::from(t(r.first_ms, w[4])),
            Cell::from(t(r.last_ms, w[5])),
        ];
        let mut style = Style::new();
        if overlap {
            let text = match r.overlaps_dominant {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            };
            cells.push(Cell::from(cut(text, usize::from(w[6]))));
            if r.overlaps_dominant == Some(true) {
                style = theme.overlap();
            }
        }
        Built { cells, style }
    });
}
