//! The bottom lines: the query prompt (with its error) and the status bar
//! (spinner, message, the main keys of this view from the keymap).

use super::text::{cut, cut_left};
use super::theme::Theme;
use crate::app::state::AppState;
use crate::keymap::Keymap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

const SPINNER: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn render(state: &AppState, keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some(incoming) = &state.incoming {
        let s = format!(
            "{} loading {}  ",
            SPINNER[state.spinner % SPINNER.len()],
            cut(&incoming.view.label, 30)
        );
        used += s.chars().count();
        spans.push(Span::styled(s, theme.header()));
    }
    if let Some(msg) = &state.status {
        let s = format!("{}  ", cut(msg, width.saturating_sub(used)));
        used += s.chars().count();
        spans.push(Span::styled(s, theme.error()));
    }
    let hints = keymap.status_hints(state.context());
    spans.push(Span::styled(
        cut(&hints, width.saturating_sub(used)),
        theme.dim(),
    ));
    frame.render_widget(Line::from(spans), area);
}

pub fn render_prompt(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(prompt) = &state.prompt else {
        return;
    };
    let width = usize::from(area.width);
    let checking = if prompt.ticket.is_some() {
        "  (searching…)"
    } else {
        ""
    };
    let line = format!(
        "/{}█{checking}",
        cut_left(&prompt.text, width.saturating_sub(3))
    );
    let mut top = area;
    top.height = 1;
    frame.render_widget(Line::from(line), top);
    if let Some(err) = &prompt.error {
        let mut below = area;
        below.y += 1;
        below.height = 1;
        frame.render_widget(Line::from(cut(err, width)).style(theme.error()), below);
    }
}
