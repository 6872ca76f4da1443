//! The detail of one event: its original JSON, pretty-printed, escaped,
//! scrollable; nothing hidden. Lines containing the find text stand out.

use super::text::cut;
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Draw `lines` from `offset`, those containing `find` (any case)
/// highlighted.
pub fn render_lines(
    title: &str,
    lines: &[String],
    offset: usize,
    find: Option<&str>,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let width = usize::from(area.width.saturating_sub(2));
    let height = usize::from(area.height.saturating_sub(2));
    let room = width.saturating_sub(16);
    let block = Block::new().borders(Borders::ALL).title(
        Line::from(format!(
            " {} · line {}/{} ",
            cut(title, room),
            (offset + 1).min(lines.len()),
            lines.len()
        ))
        .style(theme.header()),
    );
    let needle = find.map(str::to_lowercase);
    let shown: Vec<Line> = lines
        .iter()
        .skip(offset)
        .take(height)
        .map(|l| {
            let line = json_line(&cut(l, width), theme);
            match &needle {
                Some(n) if l.to_lowercase().contains(n.as_str()) => line.style(theme.found()),
                _ => line,
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
}

/// Colour the key of a `"key": value` line.
fn json_line(line: &str, theme: &Theme) -> Line<'static> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    if let (true, Some(end)) = (rest.starts_with('"'), rest.find("\": ")) {
        let (key, value) = rest.split_at(end + 1);
        return Line::from(vec![
            Span::raw(line[..indent].to_string()),
            Span::styled(key.to_string(), theme.key()),
            Span::raw(value.to_string()),
        ]);
    }
    Line::from(line.to_string())
}
