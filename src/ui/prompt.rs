//! The input line: `/` and a query, `time range: ` with a hint of what it
//! takes, or `filter: ` with how many rows still match; the last error
//! under it.

use super::text::{cut, cut_left};
use super::theme::Theme;
use crate::app::state::{AppState, Prompt, PromptKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

const RANGE_HINT: &str = "7d · 2024-03-01..2024-03-08 · empty clears";

pub fn render(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(prompt) = &state.prompt else {
        return;
    };
    if area.is_empty() {
        return;
    }
    let width = usize::from(area.width);
    let prefix = match prompt.kind {
        PromptKind::Query => "/",
        PromptKind::TimeRange => "time range: ",
        PromptKind::Filter => "filter: ",
    };
    let text = cut_left(&prompt.text, width.saturating_sub(prefix.len() + 1));
    let used = prefix.len() + text.chars().count() + 1;
    let hint = format!("  {}", hint(state, prompt));
    let mut spans = vec![
        Span::styled(prefix, theme.header()),
        Span::raw(text),
        Span::raw("█"),
    ];
    // The hint goes on the line when it fits, else under it (when the
    // layout gave a second line and there is no error to show there).
    let hint_below = used + hint.chars().count() > width;
    if !hint_below {
        spans.push(Span::styled(hint.clone(), theme.dim()));
    }
    frame.render_widget(Line::from(spans), Rect { height: 1, ..area });
    if area.height < 2 {
        return;
    }
    let below = Rect {
        y: area.y + 1,
        height: 1,
        ..area
    };
    if let Some(err) = &prompt.error {
        frame.render_widget(Line::from(cut(err, width)).style(theme.error()), below);
    } else if hint_below {
        frame.render_widget(
            Line::from(cut(hint.trim(), width)).style(theme.dim()),
            below,
        );
    }
}

fn hint(state: &AppState, prompt: &Prompt) -> String {
    match prompt.kind {
        PromptKind::Query if prompt.ticket.is_some() => "(searching…)".into(),
        PromptKind::Query => String::new(),
        PromptKind::TimeRange => RANGE_HINT.into(),
        PromptKind::Filter => {
            let view = state.top();
            let all = view.unfiltered.as_ref().unwrap_or(&view.rows).len();
            format!("{} of {all} rows", view.rows.len())
        }
    }
}
