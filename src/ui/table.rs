//! The one table every list view draws: a titled border, a header, and
//! only the rows on screen (built on demand); rows containing the find
//! text (`n`/`N`) bold and underlined, the cursor row reversed.

use super::columns::{Col, keep, widths};
use super::text::cut;
use super::theme::Theme;
use crate::app::filter;
use crate::app::state::{AppState, View};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

/// One row as a view builds it: its cells and its own style.
pub struct Built {
    pub cells: Vec<Cell<'static>>,
    pub style: Style,
}

impl From<Vec<Cell<'static>>> for Built {
    fn from(cells: Vec<Cell<'static>>) -> Built {
        Built {
            cells,
            style: Style::new(),
        }
    }
}

/// Draw the top view's rows; `row(i, widths)` builds row `i`, one cell
/// per column of `cols` (a column left out for room has width 0, and its
/// cell is dropped).
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    state: &AppState,
    title: String,
    cols: &[Col],
    row: impl Fn(usize, &[u16]) -> Built,
) {
    let view = state.top();
    let len = view.rows.len();
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Line::from(title).style(theme.header()));
    let inner = block.inner(area);
    let kept = keep(cols, inner.width);
    let shown: Vec<Col> = cols
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(c, _)| *c)
        .collect();
    let mut shown_w = widths(&shown, inner.width).into_iter();
    let w: Vec<u16> = kept
        .iter()
        .map(|&k| if k { shown_w.next().unwrap_or(0) } else { 0 })
        .collect();
    let visible = usize::from(inner.height.saturating_sub(1));
    if len == 0 {
        let text = empty_text(view, usize::from(inner.width));
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    // Keep the cursor on screen even if the state's offset is stale for
    // this area (e.g. just resized).
    let mut offset = view.offset.min(len.saturating_sub(1));
    if view.cursor >= offset + visible.max(1) {
        offset = view.cursor + 1 - visible.max(1);
    }
    let needle = state.find.as_ref().map(|f| f.to_lowercase());
    let rows: Vec<Row> = (offset..len.min(offset + visible))
        .map(|i| {
            let built = row(i, &w);
            let mut style = built.style;
            if needle
                .as_deref()
                .is_some_and(|n| filter::matches(&view.rows, i, n))
            {
                style = style.patch(theme.found());
            }
            if i == view.cursor {
                style = style.patch(theme.selected());
            }
            let cells = built.cells.into_iter().zip(&kept).filter(|(_, k)| **k);
            Row::new(cells.map(|(c, _)| c)).style(style)
        })
        .collect();
    let header = Row::new(
        cols.iter()
            .zip(&w)
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|((c, &cw), _)| Cell::from(super::text::cell(c.title, cw))),
    )
    .style(theme.header());
    let lengths = w
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|(&x, _)| Constraint::Length(x));
    let table = Table::new(rows, lengths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

fn empty_text(view: &View, width: usize) -> String {
    if view.loading {
        "loading…".into()
    } else if let Some(f) = &view.filter {
        format!("no row contains \"{}\"", cut(f, width.saturating_sub(20)))
    } else {
        "nothing here".into()
    }
}
