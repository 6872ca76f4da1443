//! `update`: the one place state changes. Pure: no I/O, no clock; what
//! must happen outside comes back as [`Effect`]s.

use super::msg::{Effect, Loaded, Msg};
use super::nav::{self, Opened};
use super::state::{AppState, Prompt, Rows, View};
use crate::keymap::{Action, Context, Key, KeyCode, Keymap, Resolution};

pub fn update(state: &mut AppState, msg: Msg, keymap: &Keymap) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key, keymap),
        Msg::Loaded { ticket, result } => {
            on_loaded(state, ticket, result);
            Vec::new()
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            keep_in_view(state);
            Vec::new()
        }
        Msg::Case(_) | Msg::Ingest(_) => Vec::new(),
        Msg::Tick => {
            if state.busy() {
                state.spinner = state.spinner.wrapping_add(1);
            }
            Vec::new()
        }
    }
}

fn on_key(state: &mut AppState, key: Key, keymap: &Keymap) -> Vec<Effect> {
    let context = state.context();
    let resolution = keymap.feed(context, &mut state.pending, key);
    if context == Context::Prompt {
        return on_prompt_key(state, key, resolution);
    }
    let Resolution::Action(action) = resolution else {
        return Vec::new();
    };
    if context == Context::Help {
        return on_help(state, action, keymap);
    }
    state.status = None;
    on_action(state, action)
}

fn on_prompt_key(state: &mut AppState, key: Key, resolution: Resolution) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_mut() else {
        return Vec::new();
    };
    match resolution {
        Resolution::Action(Action::Submit) => {
            let text = prompt.text.trim().to_string();
            if text.is_empty() {
                state.prompt = None;
                return Vec::new();
            }
            let view = View::new(
                format!("/ {}", nav::short(&text, 24)),
                text.clone(),
                super::msg::Request::Events {
                    query: text,
                    range: None,
                    focus: None,
                },
            );
            let effect = state.start(view, false);
            if let (Some(p), Effect::Load { ticket, .. }) = (state.prompt.as_mut(), &effect) {
                p.ticket = Some(*ticket);
                p.error = None;
            }
            vec![effect]
        }
        Resolution::Action(Action::Cancel) => {
            if prompt.ticket.is_some() {
                state.incoming = None;
            }
            state.prompt = None;
            Vec::new()
        }
        Resolution::Action(Action::Quit) => vec![Effect::Quit],
        Resolution::Action(_) | Resolution::Pending => Vec::new(),
        Resolution::Unbound => {
            match key.code {
                KeyCode::Char(c) if key.is_plain_char() => prompt.text.push(c),
                KeyCode::Backspace => {
                    prompt.text.pop();
                }
                _ => return Vec::new(),
            }
            prompt.error = None;
            Vec::new()
        }
    }
}

fn on_help(state: &mut AppState, action: Action, keymap: &Keymap) -> Vec<Effect> {
    let scroll = state.help.unwrap_or(0);
    let page = state.page();
    let last = keymap
        .help_lines(state.top().context())
        .len()
        .saturating_sub(page);
    state.help = match action {
        Action::Back | Action::Help => None,
        Action::Quit => return vec![Effect::Quit],
        Action::MoveDown => Some(scroll + 1),
        Action::MoveUp => Some(scroll.saturating_sub(1)),
        Action::PageDown => Some(scroll + page),
        Action::PageUp => Some(scroll.saturating_sub(page)),
        Action::Top => Some(0),
        Action::Bottom => Some(last),
        _ => Some(scroll),
    }
    .map(|s| s.min(last));
    Vec::new()
}

fn on_action(state: &mut AppState, action: Action) -> Vec<Effect> {
    let page = state.page();
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Help => state.help = Some(0),
        Action::Back => back(state),
        Action::MoveDown => move_by(state, 1),
        Action::MoveUp => move_by(state, -1),
        Action::PageDown => move_by(state, page as isize),
        Action::PageUp => move_by(state, -(page as isize)),
        Action::Top => move_to(state, 0),
        Action::Bottom => move_to(state, usize::MAX),
        Action::Query => {
            state.prompt = Some(Prompt::default());
        }
        Action::ToggleDetail => toggle_detail(state),
        Action::Open => match nav::open(state) {
            Ok(Opened::Load(v)) => return vec![state.start(v, false)],
            Ok(Opened::Ready(v)) => state.views.push(v),
            Err(e) => state.status = Some(e),
        },
        Action::PivotActor
        | Action::PivotTarget
        | Action::PivotSession
        | Action::PivotIp
        | Action::PivotCorrelated
        | Action::EventsAround => match nav::pivot(state, action) {
            Ok(v) => return vec![state.start(v, false)],
            Err(e) => state.status = Some(e),
        },
        Action::WidenWindow | Action::NarrowWindow => return zoom(state, action),
        Action::Refresh => {
            let mut v = state.top().clone();
            if matches!(v.rows, Rows::Lines(_)) {
                return Vec::new();
            }
            v.loading = true;
            return vec![state.start(v, true)];
        }
        Action::Yank | Action::YankJson => return yank(state, action),
        other => {
            state.status = Some(format!("{} is not available yet", other.name()));
        }
    }
    Vec::new()
}

/// Esc: cancel a load in flight, else close the detail pane, else pop.
fn back(state: &mut AppState) {
    if state.incoming.as_ref().is_some_and(|i| !i.replace) {
        state.incoming = None;
    } else if state.detail_pane {
        state.detail_pane = false;
        keep_in_view(state);
    } else if state.views.len() > 1 {
        state.views.pop();
        keep_in_view(state);
    }
}

fn toggle_detail(state: &mut AppState) {
    match state.top().rows {
        Rows::Events(_) => {
            state.detail_pane = !state.detail_pane;
            keep_in_view(state);
        }
        Rows::Lines(_) => {
            state.views.pop();
        }
        _ => state.status = Some("no detail for this view".into()),
    }
}

fn zoom(state: &mut AppState, action: Action) -> Vec<Effect> {
    let Some(mut around) = state.top().around else {
        state.status = Some("not an events-around view (w opens one)".into());
        return Vec::new();
    };
    around.minutes = if action == Action::WidenWindow {
        (around.minutes * 2).min(7 * 24 * 60)
    } else {
        (around.minutes / 2).max(1)
    };
    vec![state.start(nav::around(around), true)]
}

fn yank(state: &mut AppState, action: Action) -> Vec<Effect> {
    let view = state.top();
    let i = view.cursor;
    let text = match (&view.rows, action) {
        (Rows::Events(e), Action::YankJson) => e.get(i).map(|e| e.json.clone()),
        (Rows::Events(e), _) => e.get(i).map(|e| e.row.uuid.clone()),
        (Rows::Findings(f), _) => f.get(i).map(|f| f.event_uuids.join("\n")),
        (Rows::Ips(r), _) => r.get(i).map(|r| r.ip.clone()),
        (Rows::Lines(l), _) => Some(l.join("\n")),
    };
    match text {
        Some(t) => {
            state.status = Some(format!("copied {} characters", t.chars().count()));
            vec![Effect::Copy(t)]
        }
        None => Vec::new(),
    }
}

fn move_by(state: &mut AppState, delta: isize) {
    let cur = state.top().cursor as isize;
    move_to(state, cur.saturating_add(delta).max(0) as usize);
}

fn move_to(state: &mut AppState, row: usize) {
    let view = state.top_mut();
    let len = view.rows.len();
    view.cursor = row.min(len.saturating_sub(1));
    keep_in_view(state);
}

/// Scroll so the cursor is on screen. The detail view scrolls by its top
/// line, so its cursor is the offset.
pub fn keep_in_view(state: &mut AppState) {
    let page = state.page();
    let view = state.top_mut();
    if let Rows::Lines(lines) = &view.rows {
        view.cursor = view.cursor.min(lines.len().saturating_sub(page));
        view.offset = view.cursor;
        return;
    }
    if view.cursor < view.offset {
        view.offset = view.cursor;
    } else if view.cursor >= view.offset + page {
        view.offset = view.cursor + 1 - page;
    }
}

fn on_loaded(state: &mut AppState, ticket: u64, result: Result<Loaded, String>) {
    let Some(incoming) = state.incoming.take_if(|i| i.ticket == ticket) else {
        return; // stale: the user moved on
    };
    let from_prompt = state
        .prompt
        .as_ref()
        .is_some_and(|p| p.ticket == Some(ticket));
    let loaded = match result {
        Ok(l) => l,
        Err(e) => {
            match state.prompt.as_mut().filter(|_| from_prompt) {
                Some(p) => {
                    p.error = Some(e);
                    p.ticket = None;
                }
                None => state.status = Some(e),
            }
            return;
        }
    };
    if from_prompt {
        state.prompt = None;
    }
    let mut view = incoming.view;
    view.loading = false;
    match loaded {
        Loaded::Findings(f) => view.rows = Rows::Findings(f),
        Loaded::Events { rows, total, .. } => {
            view.rows = Rows::Events(rows);
            view.total = Some(total);
        }
        Loaded::Ips(ips) => view.rows = Rows::Ips(ips),
    }
    view.cursor = view.cursor.min(view.rows.len().saturating_sub(1));
    if incoming.replace {
        *state.top_mut() = view;
    } else {
        state.views.push(view);
    }
    keep_in_view(state);
}
