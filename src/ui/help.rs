//! The help overlay, generated from the loaded keymap so it cannot drift.

use super::text::cut;
use super::theme::Theme;
use crate::app::state::AppState;
use crate::keymap::Keymap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn render(state: &AppState, keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    let context = state.top().context();
    let lines = keymap.help_lines(context);
    let keys_w = lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    // Centred on a wide screen; the whole width on a narrow one, so the
    // view behind does not show at its edges.
    let width = if area.width >= 90 { 76 } else { area.width };
    let height = area.height;
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y,
        width,
        height,
    };
    let inner_h = usize::from(height.saturating_sub(2));
    let scroll = state
        .help
        .unwrap_or(0)
        .min(lines.len().saturating_sub(inner_h));
    let room = usize::from(width.saturating_sub(2));
    let text: Vec<Line> = lines
        .iter()
        .skip(scroll)
        .take(inner_h)
        .map(|(keys, what)| {
            let k = format!("{keys:<keys_w$}  ");
            let d = cut(what, room.saturating_sub(keys_w + 2));
            Line::from(vec![Span::styled(k, theme.key()), Span::raw(d)])
        })
        .collect();
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Line::from(format!(" Keys: {context} (esc closes) ")).style(theme.header()));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(text).block(block), popup);
}
