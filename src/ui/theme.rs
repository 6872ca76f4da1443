//! Styles, with and without colour (NO_COLOR): without colour only bold,
//! underline and reverse are used, which every terminal shows, and every
//! mark that matters also has a glyph or a word.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme { color }
    }

    fn paint(&self, s: Style, fg: Color) -> Style {
        if self.color { s.fg(fg) } else { s }
    }

    pub fn header(&self) -> Style {
        self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Yellow)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn crumb(&self) -> Style {
        self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    pub fn error(&self) -> Style {
        self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Red)
    }

    pub fn dim(&self) -> Style {
        self.paint(Style::new(), Color::DarkGray)
    }

    pub fn key(&self) -> Style {
        self.paint(Style::new(), Color::Cyan)
    }

    /// The label of a summary line (`IPs:`).
    pub fn label(&self) -> Style {
        self.paint(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    /// A row or line containing the find text (`n`/`N`).
    pub fn found(&self) -> Style {
        self.paint(
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Color::LightGreen,
        )
    }

    /// A cell of a session event whose value changed since the previous
    /// event (the `Δ` column says which, for readers without colour).
    pub fn changed(&self) -> Style {
        self.paint(
            Style::new().add_modifier(Modifier::BOLD),
            Color::LightMagenta,
        )
    }

    /// A correlated IP active while the dominant (keep-alive) IP was.
    pub fn overlap(&self) -> Style {
        self.paint(Style::new().add_modifier(Modifier::BOLD), Color::LightRed)
    }

    /// The histogram bars.
    pub fn chart(&self) -> Style {
        self.paint(Style::new(), Color::Cyan)
    }

    /// The done part of the ingest gauge.
    pub fn gauge(&self) -> Style {
        self.paint(Style::new(), Color::Green)
    }

    pub fn severity(&self, severity: &str) -> Style {
        if !self.color {
            return Style::new();
        }
        match severity {
            "critical" => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            "high" => Style::new().fg(Color::Red),
            "medium" => Style::new().fg(Color::Yellow),
            _ => Style::new(),
        }
    }
}
