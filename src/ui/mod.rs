//! Drawing: from the app state to a frame, every frame, keeping nothing.
//! Every string that came from an event goes through `output::escape`
//! (see [`text::cell`]) before it reaches a widget.

mod breadcrumb;
mod columns;
mod correlated;
mod detail;
mod events;
mod findings;
mod help;
mod statusbar;
mod table;
pub mod text;
mod theme;

use crate::app::state::{AppState, Rows};
use crate::keymap::Keymap;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
pub use theme::Theme;

/// Draw the whole screen.
pub fn render(state: &AppState, keymap: &Keymap, frame: &mut Frame) {
    let theme = Theme::new(state.color);
    let prompt_lines = match &state.prompt {
        Some(p) if p.error.is_some() => 2,
        Some(_) => 1,
        None => 0,
    };
    let [crumb, body, prompt, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(prompt_lines),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    breadcrumb::render(state, &theme, frame, crumb);
    render_view(state, &theme, frame, body);
    if state.prompt.is_some() {
        statusbar::render_prompt(state, &theme, frame, prompt);
    }
    statusbar::render(state, keymap, &theme, frame, status);
    if state.help.is_some() {
        help::render(state, keymap, &theme, frame, body);
    }
}

fn render_view(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let view = state.top();
    match &view.rows {
        Rows::Findings(rows) => findings::render(view, rows, theme, frame, area),
        Rows::Events(rows) if state.detail_pane => {
            let [top, bottom] =
                Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(area);
            events::render(view, rows, theme, frame, top);
            if let Some(e) = rows.get(view.cursor) {
                let lines = crate::app::nav::pretty_lines(&e.json);
                detail::render_lines("detail", &lines, 0, theme, frame, bottom);
            }
        }
        Rows::Events(rows) => events::render(view, rows, theme, frame, area),
        Rows::Ips(rows) => correlated::render(view, rows, theme, frame, area),
        Rows::Lines(lines) => {
            detail::render_lines(&view.title, lines, view.offset, theme, frame, area)
        }
    }
}
