//! The top line: where you are, `Findings > hunt > actor > session …`,
//! keeping the end when it does not fit.

use super::text::cut_left;
use super::theme::Theme;
use crate::app::state::AppState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn text(state: &AppState) -> String {
    let labels: Vec<&str> = state.views.iter().map(|v| v.label.as_str()).collect();
    labels.join(" > ")
}

pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let line = cut_left(&text(state), usize::from(area.width));
    frame.render_widget(Line::from(line).style(theme.crumb()), area);
}
