//! The bottom line: spinner, message, the main keys of this view from the
//! keymap.

use super::gauge;
use super::text::cut;
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
    // An ended ingest's result is already on the ingest line.
    let shown_above = state.ingest.as_ref().and_then(gauge::done_text);
    if let Some(msg) = state
        .status
        .as_ref()
        .filter(|m| Some(*m) != shown_above.as_ref())
    {
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
