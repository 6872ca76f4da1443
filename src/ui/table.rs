//! The one table every list view draws: a titled border, a header, and
//! only the rows on screen (built on demand), the cursor row reversed.

use super::columns::{Col, widths};
use super::theme::Theme;
use crate::app::state::View;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

#[allow(clippy::too_many_arguments)] // one call shape for every list view
/// Draw `len` rows of `view`; `row(i, widths)` builds row `i`'s cells.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    view: &View,
    title: String,
    cols: &[Col],
    len: usize,
    row: impl Fn(usize, &[u16]) -> Vec<Cell<'static>>,
) {
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Line::from(title).style(theme.header()));
    let inner = block.inner(area);
    let w = widths(cols, inner.width);
    let visible = usize::from(inner.height.saturating_sub(1));
    if len == 0 {
        let text = if view.loading {
            "loading…"
        } else {
            "nothing here"
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    // Keep the cursor on screen even if the state's offset is stale for
    // this area (e.g. just resized).
    let mut offset = view.offset.min(len.saturating_sub(1));
    if view.cursor >= offset + visible.max(1) {
        offset = view.cursor + 1 - visible.max(1);
    }
    let rows: Vec<Row> = (offset..len.min(offset + visible))
        .map(|i| {
            let r = Row::new(row(i, &w));
            if i == view.cursor {
                r.style(theme.selected())
            } else {
                r
            }
        })
        .collect();
    let header = Row::new(
        cols.iter()
            .zip(&w)
            .map(|(c, &cw)| Cell::from(super::text::cell(c.title, cw))),
    )
    .style(theme.header());
    let table = Table::new(rows, w.iter().map(|&x| Constraint::Length(x)))
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}
