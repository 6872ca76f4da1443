//! An events view: a timeline for any query (a finding's evidence, a
//! pivot, a search). In a session view a `Δ` column says what changed
//! since the session's previous event, and the changed cells stand out.
//! In an actor, session or IP view, an actor or IP column that holds one
//! value on every row is left out (the summary header names it), so the
//! others have room.

use super::columns::{Col, col, time_col, widest};
use super::table::{self, Built};
use super::text::{cell, cell_tail, time};
use super::theme::Theme;
use super::title;
use crate::app::msg::Focus;
use crate::app::state::{AppState, EventItem, Rows, View};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Time,
    Changed,
    Type,
    Actor,
    Target,
    Ip,
    Country,
    Outcome,
}

impl Field {
    const fn col(self) -> Col {
        match self {
            Field::Time => time_col("TIME"),
            Field::Changed => col("Δ", 12, 12),
            Field::Type => col("EVENT TYPE", 13, 40),
            Field::Actor => col("ACTOR", 10, 26).drop_rank(1),
            Field::Target => col("TARGET", 6, 24).drop_rank(3),
            Field::Ip => col("IP", 15, 15),
            Field::Country => col("COUNTRY", 7, 14).drop_rank(2),
            Field::Outcome => col("OUTCOME", 5, 8),
        }
    }
}

pub fn render(state: &AppState, rows: &[EventItem], theme: &Theme, frame: &mut Frame, area: Rect) {
    let view = state.top();
    // What was loaded: the filter's part says how many of those pass it.
    let loaded = match &view.unfiltered {
        Some(all) => all.len(),
        None => rows.len(),
    };
    let shown = match view.total {
        Some(t) if t > loaded => format!("{loaded} of {t} shown"),
        _ => format!("{loaded} events"),
    };
    let mut parts = vec![shown];
    parts.extend(title::parts(state, view));
    let title = title::compose(&view.title, &parts, area.width);
    let fields = fields(view);
    let all = loaded_rows(view);
    let cols: Vec<Col> = fields
        .iter()
        .map(|&f| {
            let c = f.col();
            match text_of(f) {
                Some(get) => c.fit_content(widest(all.iter().map(get))),
                None => c,
            }
        })
        .collect();
    table::draw(frame, area, theme, state, title, &cols, |i, w| {
        let e = &rows[i];
        let cells: Vec<Cell<'static>> = fields
            .iter()
            .zip(w)
            .map(|(&f, &w)| event_cell(e, f, w, theme))
            .collect();
        Built::from(cells)
    });
}

fn event_cell(e: &EventItem, field: Field, w: u16, theme: &Theme) -> Cell<'static> {
    let r = &e.row;
    let changed = |what: &str, c: Cell<'static>| {
        if e.changed.contains(&what) {
            c.style(theme.changed())
        } else {
            c
        }
    };
    match field {
        Field::Time => Cell::from(time(e.published_ms, w)),
        Field::Changed => {
            let mark: Vec<&str> = e.changed.iter().map(|c| short(c)).collect();
            Cell::from(cell(&mark.join(" "), w)).style(theme.changed())
        }
        Field::Type => Cell::from(cell_tail(&r.event_type, w)),
        Field::Actor => Cell::from(cell(&r.actor, w)),
        Field::Target => Cell::from(cell(&r.target, w)),
        Field::Ip => changed("ip", Cell::from(cell(&r.ip, w))),
        Field::Country => changed("country", Cell::from(cell(&r.country, w))),
        Field::Outcome => Cell::from(cell(&r.outcome, w)),
    }
}

/// The text a field shows, for fitting its column to its values.
fn text_of(field: Field) -> Option<fn(&EventItem) -> &str> {
    Some(match field {
        Field::Time | Field::Changed => return None,
        Field::Type => |e| &e.row.event_type,
        Field::Actor => |e| &e.row.actor,
        Field::Target => |e| &e.row.target,
        Field::Ip => |e| &e.row.ip,
        Field::Country => |e| &e.row.country,
        Field::Outcome => |e| &e.row.outcome,
    })
}

/// Every loaded row, filtered or not: columns judged on these do not
/// come, go or change width as a filter is typed.
fn loaded_rows(view: &View) -> &[EventItem] {
    match view.unfiltered.as_ref().unwrap_or(&view.rows) {
        Rows::Events(all) => all,
        _ => &[],
    }
}

/// The columns of `view`.
fn fields(view: &View) -> Vec<Field> {
    let focus = view.focus();
    let session = matches!(focus, Some(Focus::Session { .. }));
    let all = loaded_rows(view);
    let one_value = |get: fn(&EventItem) -> &str| {
        focus.is_some()
            && all
                .first()
                .is_some_and(|first| all.iter().all(|e| get(e) == get(first)))
    };
    let mut fields = vec![Field::Time];
    if session {
        fields.push(Field::Changed);
    }
    fields.push(Field::Type);
    if !one_value(|e| &e.row.actor) {
        fields.push(Field::Actor);
    }
    fields.push(Field::Target);
    if !one_value(|e| &e.row.ip) {
        fields.push(Field::Ip);
    }
    fields.extend([Field::Country, Field::Outcome]);
    fields
}

/// How the `Δ` column names a change.
fn short(what: &str) -> &str {
    match what {
        "country" => "geo",
        "dthash" => "dt",
        other => other,
    }
}
