//! Drawing: from the app state to a frame, every frame, keeping nothing.
//! Every string that came from an event goes through `output::escape`
//! (see [`text::cell`]) before it reaches a widget.

mod breadcrumb;
mod columns;
mod correlated;
mod detail;
mod events;
mod findings;
mod gauge;
mod help;
mod histogram;
pub mod layout;
mod live;
mod prompt;
mod statusbar;
mod summary;
mod table;
pub mod text;
mod theme;
mod title;

use crate::app::state::{AppState, Rows};
use crate::keymap::Keymap;
pub use layout::table_rows;
use ratatui::Frame;
use ratatui::layout::Rect;
pub use theme::Theme;

/// Draw the whole screen.
pub fn render(state: &AppState, keymap: &Keymap, frame: &mut Frame) {
    let theme = Theme::new(state.color);
    let area = frame.area();
    let screen = layout::screen(state, area);
    breadcrumb::render(state, &theme, frame, screen.crumb);
    if let Some(ingest) = &state.ingest {
        gauge::render(ingest, &theme, frame, screen.gauge);
    }
    render_view(state, &theme, frame, screen.body, area.height);
    prompt::render(state, &theme, frame, screen.prompt);
    statusbar::render(state, keymap, &theme, frame, screen.status);
    if state.help.is_some() {
        help::render(state, keymap, &theme, frame, screen.body);
    }
}

fn render_view(state: &AppState, theme: &Theme, frame: &mut Frame, body: Rect, rows: u16) {
    let view = state.top();
    let areas = layout::view_areas(state, view, body, rows);
    if let Some(s) = &view.summary {
        summary::render(s, theme, frame, areas.summary);
    }
    if let Some(h) = &view.histogram {
        histogram::render(h, theme, frame, areas.histogram);
    }
    let find = state.find.as_deref();
    match &view.rows {
        Rows::Findings(rows) => findings::render(state, rows, theme, frame, areas.table),
        Rows::Events(rows) => {
            events::render(state, rows, theme, frame, areas.table);
            if let (Some(pane), Some(e)) = (areas.pane, rows.get(view.cursor)) {
                let lines = crate::app::nav::pretty_lines(&e.json);
                detail::render_lines("detail", &lines, 0, find, theme, frame, pane);
            }
        }
        Rows::Ips(rows) => correlated::render(state, rows, theme, frame, areas.table),
        Rows::Lines(lines) => {
            let mut title = view.title.clone();
            if let Some(f) = &view.filter {
                title = format!("{title} · filter \"{f}\"");
            }
            detail::render_lines(&title, lines, view.offset, find, theme, frame, areas.table)
        }
    }
}
