//! `update`: the one place state changes. Pure: no I/O, no clock; what
//! must happen outside comes back as [`Effect`]s.

use super::filter;
use super::msg::{Effect, Loaded, Msg};
use super::msg::{Focus, IngestStatus, Request, TailStatus};
use super::nav::{self, Opened};
use super::range;
use super::state::{AppState, Prompt, PromptKind, Rows, View};
use crate::keymap::{Action, Context, Key, KeyCode, Keymap, Resolution};

pub fn update(state: &mut AppState, msg: Msg, keymap: &Keymap) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key, keymap),
        Msg::Loaded { ticket, result } => on_loaded(state, ticket, result),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            keep_in_view(state);
            Vec::new()
        }
        Msg::Case(info) => {
            // The worker drops its correlation when the case changes.
            state.case = info;
            state.correlated = false;
            Vec::new()
        }
        Msg::Correlated => on_correlated(state),
        Msg::Ingest(status) => on_ingest(state, status),
        Msg::Tail(status) => on_tail(state, status),
        Msg::TerminalLost(_) => vec![Effect::Quit],
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
    if state.ingest.as_ref().is_some_and(|i| i.done.is_some()) {
        state.ingest = None;
    }
    on_action(state, action)
}

fn on_prompt_key(state: &mut AppState, key: Key, resolution: Resolution) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_mut() else {
        return Vec::new();
    };
    match resolution {
        Resolution::Action(Action::Submit) => match prompt.kind {
            PromptKind::Query => submit_query(state),
            PromptKind::TimeRange => submit_range(state),
            PromptKind::Filter => {
                let text = prompt.text.trim().to_string();
                state.prompt = None;
                state.find = (!text.is_empty()).then_some(text);
                Vec::new()
            }
        },
        Resolution::Action(Action::Cancel) => {
            if prompt.ticket.is_some() {
                state.incoming = None;
            }
            if prompt.kind == PromptKind::Filter {
                // Cancelling puts back the filter the view had before.
                let before = prompt.before.clone();
                apply_filter(state.top_mut(), before.as_deref());
                keep_in_view(state);
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
            if prompt.kind == PromptKind::Filter {
                // The filter applies as it is typed.
                let text = prompt.text.clone();
                let text = text.trim();
                apply_filter(state.top_mut(), (!text.is_empty()).then_some(text));
                keep_in_view(state);
            }
            Vec::new()
        }
    }
}

fn submit_query(state: &mut AppState) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_mut() else {
        return Vec::new();
    };
    let text = prompt.text.trim().to_string();
    if text.is_empty() {
        state.prompt = None;
        return Vec::new();
    }
    let range = state.range.as_ref().map(|r| (r.since_ms, r.until_ms));
    let view = View::new(
        format!("/ {}", nav::short(&text, 24)),
        text.clone(),
        Request::Events {
            query: text,
            range,
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

/// `T`: set (or with empty text, clear) the time range; the view on
/// screen is loaded again with it, the others when they are next shown.
fn submit_range(state: &mut AppState) -> Vec<Effect> {
    let Some(prompt) = state.prompt.as_mut() else {
        return Vec::new();
    };
    let text = prompt.text.trim().to_string();
    if text.is_empty() {
        state.range = None;
    } else {
        let anchor = state.case.last_ms.unwrap_or(0);
        match range::parse(&text, anchor) {
            Ok(r) => state.range = Some(r),
            Err(e) => {
                prompt.error = Some(e);
                return Vec::new();
            }
        }
    }
    state.prompt = None;
    let changed: Vec<bool> = state
        .views
        .iter()
        .map(|v| nav::with_range(state, v).is_some())
        .collect();
    for (v, c) in state.views.iter_mut().zip(changed) {
        v.stale |= c;
    }
    reload_if_stale(state)
}

/// Load the top view again if it is stale, with the current time range.
fn reload_if_stale(state: &mut AppState) -> Vec<Effect> {
    let top = state.top();
    if !top.stale || matches!(top.rows, Rows::Lines(_)) {
        return Vec::new();
    }
    let mut v = nav::with_range(state, top).unwrap_or_else(|| top.clone());
    v.stale = false;
    v.loading = true;
    state.top_mut().stale = false;
    vec![state.start(v, true)]
}

/// Show only the rows containing `text` (all rows with `None`), keeping
/// the selected row selected when it is still shown.
fn apply_filter(view: &mut View, text: Option<&str>) {
    let selected = filter::row_text(&view.rows, view.cursor);
    let all = match view.unfiltered.take() {
        Some(all) => all,
        None => std::mem::replace(&mut view.rows, Rows::Lines(Vec::new())),
    };
    match text {
        None => {
            view.rows = all;
            view.filter = None;
        }
        Some(t) => {
            view.rows = filter::filtered(&all, t);
            view.unfiltered = Some(all);
            view.filter = Some(t.to_string());
        }
    }
    let len = view.rows.len();
    view.cursor = selected
        .and_then(|s| (0..len).find(|&i| filter::row_text(&view.rows, i).as_ref() == Some(&s)))
        .unwrap_or(0);
    view.offset = view.offset.min(view.cursor);
}

/// The live tail polled: new events make every view stale, and the one on
/// screen is loaded again at once (a timeline grows at its end, the
/// findings re-run over what is new).
fn on_tail(state: &mut AppState, status: TailStatus) -> Vec<Effect> {
    let new = status.new;
    if let Some(e) = &status.error {
        state.status = Some(format!("live tail stopped: {e}"));
    }
    state.tail = Some(status);
    if new == 0 {
        return Vec::new();
    }
    case_changed(state)
}

/// New events are in the case: every view is loaded again when next shown,
/// the one on screen at once (or, if an answer is in flight, that answer
/// predates the change and is asked for again when it arrives).
fn case_changed(state: &mut AppState) -> Vec<Effect> {
    for v in &mut state.views {
        v.stale = true;
    }
    if let Some(i) = &mut state.incoming {
        i.view.stale = true;
        return Vec::new();
    }
    reload_if_stale(state)
}

/// The correlation is ready: views drawn without it (an IP's `known as`)
/// are loaded again when next shown, the one on screen at once.
fn on_correlated(state: &mut AppState) -> Vec<Effect> {
    state.correlated = true;
    for v in &mut state.views {
        if v.summary.as_ref().is_some_and(|s| s.awaits_correlation) {
            v.stale = true;
        }
    }
    reload_if_stale(state)
}

/// An ingest started with the TUI moved on; when it ends, every view is
/// loaded again when next shown, the one on screen at once.
fn on_ingest(state: &mut AppState, status: IngestStatus) -> Vec<Effect> {
    let done = status.done.clone();
    state.ingest = Some(status);
    let Some(done) = done else {
        return Vec::new();
    };
    state.status = Some(match done {
        Ok(summary) => summary,
        Err(e) => format!("ingest failed: {e}"),
    });
    case_changed(state)
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
        Action::Back => {
            back(state);
            return reload_if_stale(state);
        }
        Action::MoveDown => move_by(state, 1),
        Action::MoveUp => move_by(state, -1),
        Action::PageDown => move_by(state, page as isize),
        Action::PageUp => move_by(state, -(page as isize)),
        Action::Top => move_to(state, 0),
        Action::Bottom => move_to(state, usize::MAX),
        Action::Query => state.prompt = Some(Prompt::default()),
        Action::TimeRange => {
            state.prompt = Some(Prompt {
                kind: PromptKind::TimeRange,
                text: state
                    .range
                    .as_ref()
                    .map(|r| r.text.clone())
                    .unwrap_or_default(),
                ..Prompt::default()
            })
        }
        Action::Filter => {
            let current = state.top().filter.clone();
            state.prompt = Some(Prompt {
                kind: PromptKind::Filter,
                text: current.clone().unwrap_or_default(),
                before: current,
                ..Prompt::default()
            })
        }
        Action::NextMatch | Action::PrevMatch => find(state, action == Action::PrevMatch),
        Action::ToggleRootSession => {
            let Some(Focus::Session { id, root }) = state.top().focus().cloned() else {
                state.status = Some("not a session view (s opens one)".into());
                return Vec::new();
            };
            let v = nav::session(state, &id, !root);
            return vec![state.start(v, true)];
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
            if matches!(state.top().rows, Rows::Lines(_)) {
                return Vec::new();
            }
            state.top_mut().stale = true;
            return reload_if_stale(state);
        }
        Action::Yank | Action::YankJson => return yank(state, action),
        other => {
            state.status = Some(format!("{} is not available yet", other.name()));
        }
    }
    Vec::new()
}

/// Esc: cancel a load in flight, else close the detail pane, else clear
/// the filter, else pop.
fn back(state: &mut AppState) {
    if state.incoming.as_ref().is_some_and(|i| !i.replace) {
        state.incoming = None;
    } else if state.detail_pane {
        state.detail_pane = false;
        keep_in_view(state);
    } else if state.top().filter.is_some() {
        apply_filter(state.top_mut(), None);
        keep_in_view(state);
    } else if state.views.len() > 1 {
        state.views.pop();
        keep_in_view(state);
    }
}

/// `n`/`N`: the next (previous) row containing the filter text.
fn find(state: &mut AppState, back: bool) {
    let Some(text) = state.find.clone().or_else(|| state.top().filter.clone()) else {
        state.status = Some("nothing to find yet: f sets the text".into());
        return;
    };
    let view = state.top();
    match filter::next_match(&view.rows, view.cursor, &text, back) {
        Some(i) => {
            let wrapped = if back {
                i > view.cursor
            } else {
                i < view.cursor
            };
            if wrapped {
                state.status = Some(format!("search wrapped: \"{text}\""));
            }
            move_to(state, i);
        }
        None => state.status = Some(format!("no row contains \"{text}\"")),
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

fn on_loaded(state: &mut AppState, ticket: u64, result: Result<Loaded, String>) -> Vec<Effect> {
    let Some(incoming) = state.incoming.take_if(|i| i.ticket == ticket) else {
        return Vec::new(); // stale: the user moved on
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
            return Vec::new();
        }
    };
    if from_prompt {
        state.prompt = None;
    }
    let mut view = incoming.view;
    view.loading = false;
    match loaded {
        Loaded::Findings(f) => view.rows = Rows::Findings(f),
        Loaded::Events {
            rows,
            total,
            histogram,
            summary,
        } => {
            view.rows = Rows::Events(rows);
            view.total = Some(total);
            view.histogram = histogram;
            view.summary = summary;
        }
        Loaded::Ips(ips) => view.rows = Rows::Ips(ips),
    }
    view.unfiltered = None;
    if let Some(text) = view.filter.take() {
        apply_filter(&mut view, Some(&text));
    }
    view.cursor = view.cursor.min(view.rows.len().saturating_sub(1));
    // Answered without the correlation, which was ready before the answer
    // arrived: ask again.
    let late = state.correlated && view.summary.as_ref().is_some_and(|s| s.awaits_correlation);
    let reload = view.stale || late;
    view.stale = false;
    if incoming.replace {
        *state.top_mut() = view;
    } else {
        state.views.push(view);
    }
    keep_in_view(state);
    if reload {
        // An ingest ended (or the correlation was built) while this was
        // loading: ask again.
        state.top_mut().stale = true;
        return reload_if_stale(state);
    }
    Vec::new()
}
