//! The ingest line: the file being read, a bar of the bytes read (when the
//! total is known), the events so far; its result once it has ended.

use super::text::{cut, cut_left, thousands};
use super::theme::Theme;
use crate::app::msg::IngestStatus;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// The status-bar text of an ended ingest (`update` puts it there too).
pub fn done_text(status: &IngestStatus) -> Option<String> {
    match status.done.as_ref()? {
        Ok(summary) => Some(summary.clone()),
        Err(e) => Some(format!("ingest failed: {e}")),
    }
}

pub fn render(status: &IngestStatus, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let line = match &status.done {
        Some(Ok(summary)) => Line::from(vec![
            Span::styled("ingest done ", theme.header()),
            Span::raw(cut(summary, width.saturating_sub(12))),
        ]),
        Some(Err(e)) => Line::from(cut(&format!("ingest failed: {e}"), width)).style(theme.error()),
        None => running(status, theme, width),
    };
    frame.render_widget(line, area);
}

fn running(status: &IngestStatus, theme: &Theme, width: usize) -> Line<'static> {
    let events = format!(" {} events", thousands(status.events));
    let percent = (status.total > 0).then(|| {
        let p = (status.bytes.min(status.total) as f64 / status.total as f64).clamp(0.0, 1.0);
        (p, format!(" {:>3.0}%", p * 100.0))
    });
    let head = "ingest ";
    let fixed = head.len() + events.chars().count() + percent.as_ref().map_or(0, |p| p.1.len());
    // The file gets up to half the line (its name alone when the path is
    // too long), the bar the rest.
    let room = width.saturating_sub(fixed);
    let file_w = if percent.is_some() {
        (room / 2).max(12).min(room)
    } else {
        room
    };
    let name = if status.current.chars().count() > file_w {
        std::path::Path::new(&status.current)
            .file_name()
            .map_or(status.current.clone(), |n| n.to_string_lossy().into_owned())
    } else {
        status.current.clone()
    };
    let file = cut_left(&name, file_w);
    let mut spans = vec![
        Span::styled(head, theme.header()),
        Span::raw(format!("{file} ")),
    ];
    if let Some((p, text)) = percent {
        let bar_w = room.saturating_sub(file.chars().count() + 1);
        let filled = ((bar_w as f64) * p).round() as usize;
        spans.push(Span::styled("█".repeat(filled), theme.gauge()));
        spans.push(Span::styled("░".repeat(bar_w - filled), theme.dim()));
        spans.push(Span::raw(text));
    }
    spans.push(Span::raw(events));
    Line::from(spans)
}
