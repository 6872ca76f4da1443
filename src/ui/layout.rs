//! Where everything goes: the screen's lines (breadcrumb, ingest gauge,
//! body, prompt, status bar) and, inside the body, a view's summary
//! header, histogram, table and detail pane. One place, so what a page is
//! ([`table_rows`]) agrees with what is drawn.

use crate::app::state::{AppState, PromptKind, Rows, View};
use ratatui::layout::{Constraint, Layout, Rect};

/// Below this many terminal rows the histogram is dropped.
const HISTOGRAM_MIN_ROWS: u16 = 18;
/// From this many terminal rows the histogram is two rows high.
const HISTOGRAM_TALL_ROWS: u16 = 32;
/// A table: borders, header and six rows.
const TABLE_MIN: u16 = 9;
/// The detail pane: borders and four lines.
const PANE_MIN: u16 = 6;

/// The screen's lines.
pub struct Screen {
    pub crumb: Rect,
    pub gauge: Rect,
    pub body: Rect,
    pub prompt: Rect,
    pub status: Rect,
}

pub fn screen(state: &AppState, area: Rect) -> Screen {
    let gauge = u16::from(state.ingest.is_some());
    let [crumb, gauge, body, prompt, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(gauge),
        Constraint::Min(1),
        Constraint::Length(prompt_lines(state, area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
    Screen {
        crumb,
        gauge,
        body,
        prompt,
        status,
    }
}

/// The input line, and its error under it.
fn prompt_lines(state: &AppState, width: u16) -> u16 {
    match &state.prompt {
        Some(p) if p.error.is_some() => 2,
        // The time-range hint goes under an empty line that is too narrow.
        Some(p) if p.kind == PromptKind::TimeRange && width < 60 => 2,
        Some(_) => 1,
        None => 0,
    }
}

/// A view's parts inside the body (zero-height when absent).
pub struct ViewAreas {
    pub summary: Rect,
    pub histogram: Rect,
    pub table: Rect,
    pub pane: Option<Rect>,
}

/// Split `body` for `view` on a terminal `term_rows` high: the summary
/// gets as many lines as fit while the table keeps six rows (fewer lines
/// on a short terminal), the histogram one or two rows when there is room.
pub fn view_areas(state: &AppState, view: &View, body: Rect, term_rows: u16) -> ViewAreas {
    let events = matches!(view.rows, Rows::Events(_));
    let pane = events && state.detail_pane;
    let b = body.height;
    let reserve = if pane {
        TABLE_MIN + PANE_MIN
    } else {
        TABLE_MIN
    };
    let mut hist = match (&view.histogram, events) {
        (Some(h), true) if !h.counts.is_empty() && term_rows >= HISTOGRAM_MIN_ROWS => {
            if term_rows >= HISTOGRAM_TALL_ROWS {
                2
            } else {
                1
            }
        }
        _ => 0,
    };
    if b < hist + reserve {
        hist = 0;
    }
    let lines = match (&view.summary, &view.rows) {
        (_, Rows::Lines(_)) | (None, _) => 0,
        (Some(s), _) => u16::try_from(s.lines.len()).unwrap_or(u16::MAX),
    };
    let cap = if pane {
        b / 10
    } else if b >= 30 {
        b / 3
    } else {
        b / 5
    };
    let summary = lines.min(cap.max(1)).min(b.saturating_sub(hist + reserve));
    let [summary, histogram, rest] = Layout::vertical([
        Constraint::Length(summary),
        Constraint::Length(hist),
        Constraint::Min(1),
    ])
    .areas(body);
    if !pane {
        return ViewAreas {
            summary,
            histogram,
            table: rest,
            pane: None,
        };
    }
    let [table, pane] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(rest);
    ViewAreas {
        summary,
        histogram,
        table,
        pane: Some(pane),
    }
}

/// Rows of the top view's table on screen now (what a page is): the same
/// layout as drawn, from the state's terminal size.
pub fn table_rows(state: &AppState) -> usize {
    let (w, h) = state.size;
    let area = Rect::new(0, 0, w, h);
    let body = screen(state, area).body;
    let table = view_areas(state, state.top(), body, h).table;
    // Borders and the header (the detail view has no header, one line more).
    let chrome = if matches!(state.top().rows, Rows::Lines(_)) {
        2
    } else {
        3
    };
    usize::from(table.height.saturating_sub(chrome)).max(1)
}
