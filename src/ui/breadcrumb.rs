//! The top line: where you are, `Findings > hunt > actor > session …`,
//! keeping the end when it does not fit; the live-tail indicator and the
//! time range set with `T` at its right end.

use super::text::cut_left;
use super::theme::Theme;
use super::title::crumb_range;
use crate::app::state::AppState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn text(state: &AppState) -> String {
    let labels: Vec<&str> = state.views.iter().map(|v| v.label.as_str()).collect();
    labels.join(" > ")
}

pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let path = text(state);
    // The path keeps at least half the line.
    let room = width.saturating_sub(path.chars().count().min(width / 2) + 2);
    let range = state.range.as_ref().map(|r| crumb_range(r, room));
    let live = super::live::text(state.tail.as_ref());
    let right = match (range, live) {
        (Some(r), Some(l)) => Some(format!("{l}  {r}")),
        (r, l) => r.or(l),
    };
    let right_w = right.as_ref().map_or(0, |r| r.chars().count() + 2);
    let line = cut_left(&path, width.saturating_sub(right_w));
    frame.render_widget(Line::from(line).style(theme.crumb()), area);
    if let Some(r) = right {
        frame.render_widget(Line::from(r).style(theme.header()).right_aligned(), area);
    }
}
