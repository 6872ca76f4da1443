//! The findings view: one row per finding, in the order the hunts give;
//! the title says what the case holds.

use super::columns::{Col, col, time_col, widest};
use super::table;
use super::text::{cell, thousands, time};
use super::theme::Theme;
use super::title;
use crate::app::state::{AppState, CaseInfo, FindingItem, Rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Cell;

const COLS: &[Col] = &[
    col("SEVERITY", 8, 8),
    col("HUNT", 14, 20),
    col("ACTOR", 10, 26),
    col("TARGETS", 6, 24).drop_rank(1),
    col("IPS", 15, 16),
    time_col("FIRST SEEN"),
    col("COUNT", 5, 6),
    // What the hunt says, when there is room: it takes what is left.
    col("FINDING", 24, 24).drop_rank(2),
];

pub fn render(
    state: &AppState,
    rows: &[FindingItem],
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let view = state.top();
    let mut parts = title::parts(state, view);
    parts.extend(case(&state.case, area.width >= 90));
    let loaded = view.unfiltered.as_ref().map_or(rows.len(), |all| all.len());
    let head = format!("Findings ({loaded})");
    let title = title::compose(&head, &parts, area.width);
    let all = match &view.unfiltered {
        Some(Rows::Findings(all)) => all.as_slice(),
        _ => rows,
    };
    let fit = |i: usize, get: fn(&FindingItem) -> String| {
        let values: Vec<String> = all.iter().map(get).collect();
        COLS[i].fit_content(widest(values.iter().map(String::as_str)))
    };
    let mut cols = [
        COLS[0],
        fit(1, |f| f.hunt.clone()),
        fit(2, |f| actor(f).to_string()),
        fit(3, |f| list(&f.targets)),
        fit(4, |f| list(&f.ips)),
        COLS[5],
        COLS[6],
        COLS[7],
    ];
    // The finding's title only where the other columns have all they want.
    let others: u16 = cols[..7]
        .iter()
        .filter(|c| !c.empty)
        .map(|c| c.ideal + 1)
        .sum();
    if area.width.saturating_sub(2) < others + COLS[7].min {
        cols[7].empty = true;
    }
    table::draw(frame, area, theme, state, title, &cols, |i, w| {
        let f = &rows[i];
        vec![
            Cell::from(cell(&f.severity, w[0])).style(theme.severity(&f.severity)),
            Cell::from(cell(&f.hunt, w[1])),
            Cell::from(cell(actor(f), w[2])),
            Cell::from(cell(&list(&f.targets), w[3])),
            Cell::from(cell(&list(&f.ips), w[4])),
            Cell::from(time(f.first_ms, w[5])),
            Cell::from(format!("{:>width$}", f.count, width = usize::from(w[6]))),
            Cell::from(cell(&f.title, w[7])),
        ]
        .into()
    });
}

fn actor(f: &FindingItem) -> &str {
    f.actor.as_deref().unwrap_or("-")
}

/// The first of `v` and how many more.
fn list(v: &[String]) -> String {
    match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        n => format!("{} +{}", v[0], n - 1),
    }
}

/// `case 15,321 events · 2024-03-01 08:00 → 2024-03-09 17:30` (the year
/// only when `wide`); nothing before the worker has said.
fn case(case: &CaseInfo, wide: bool) -> Option<String> {
    if *case == CaseInfo::default() {
        return None;
    }
    let events = format!("case {} events", thousands(case.events));
    Some(match (case.first_ms, case.last_ms) {
        (Some(a), Some(b)) => format!("{events}, {}", title::span(a, b, wide)),
        _ => events,
    })
}
