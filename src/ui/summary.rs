//! The header over an actor, session or IP view: one line per summary
//! line, `label: item · item · item`, as many whole items as fit and how
//! many more there are.

use super::text::cut;
use super::theme::Theme;
use crate::app::state::{Summary, SummaryLine};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const SEP: &str = " · ";

pub fn render(summary: &Summary, theme: &Theme, frame: &mut Frame, area: Rect) {
    let shown = &summary.lines[..summary.lines.len().min(usize::from(area.height))];
    let label_w = shown
        .iter()
        .map(|l| cut(&l.label, 14).chars().count())
        .max()
        .unwrap_or(0);
    let width = usize::from(area.width);
    let lines: Vec<Line> = shown
        .iter()
        .map(|l| line(l, label_w, width, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn line(l: &SummaryLine, label_w: usize, width: usize, theme: &Theme) -> Line<'static> {
    let label = format!(" {:>label_w$}: ", cut(&l.label, 14));
    let room = width.saturating_sub(label.chars().count());
    Line::from(vec![
        Span::styled(label, theme.label()),
        Span::raw(items(&l.items, room)),
    ])
}

/// The items that fit in `room` columns, whole, then `+N` for the rest; a
/// first item too long for the line is cut.
fn items(items: &[String], room: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for (i, item) in items.iter().enumerate() {
        let text = cut(item, room);
        let sep = if i == 0 { 0 } else { SEP.chars().count() };
        let more = items.len() - i - 1;
        // Keep room for ` +N` unless this is the last item.
        let tail = if more > 0 {
            format!(" +{more}").chars().count()
        } else {
            0
        };
        let n = text.chars().count();
        if i > 0 && used + sep + n + tail > room {
            let rest = format!(" +{}", items.len() - i);
            if used + rest.chars().count() <= room {
                out.push_str(&rest);
            }
            return out;
        }
        if i > 0 {
            out.push_str(SEP);
        }
        out.push_str(&text);
        used += sep + n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn whole_items_then_how_many_more() {
        let list = v(&["203.0.113.9 (412)", "198.51.100.7 (3)", "192.0.2.1 (1)"]);
        assert_eq!(
            items(&list, 80),
            "203.0.113.9 (412) · 198.51.100.7 (3) · 192.0.2.1 (1)"
        );
        assert_eq!(items(&list, 40), "203.0.113.9 (412) · 198.51.100.7 (3) +1");
        assert_eq!(items(&list, 20), "203.0.113.9 (412) +2");
        assert_eq!(items(&list, 10), "203.0.113…");
        assert_eq!(items(&[], 10), "");
    }

    #[test]
    fn items_are_escaped() {
        assert_eq!(items(&v(&["\u{1b}[2Jx"]), 20), "\\x1b[2Jx");
    }
}
