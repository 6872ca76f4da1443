//! The TUI without a terminal: pure `update` tests (navigation, pivots,
//! the back stack, stale answers, the query prompt) and render tests on
//! ratatui's TestBackend at 80x24.

use okhunt::app::state::{EventItem, FindingItem, Rows};
use okhunt::app::{AppState, Effect, Loaded, Msg, Request, update};
use okhunt::keymap::{Key, Keymap};
use okhunt::output::EventRow;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn keymap() -> Keymap {
    Keymap::builtin().expect("default keymap")
}

fn key(s: &str) -> Msg {
    Msg::Key(s.parse::<Key>().expect("key"))
}

fn finding(i: usize) -> FindingItem {
    FindingItem {
        hunt: format!("hunt-{i}"),
        severity: "high".into(),
        title: format!("Finding {i}"),
        actor: Some(format!("user{i}@acme.com")),
        targets: vec![format!("target{i}@acme.com")],
        ips: vec!["203.0.113.9".into()],
        sessions: vec!["102abcdefghijkl".into()],
        first_ms: 1_710_000_000_000,
        last_ms: 1_710_000_100_000,
        count: 3,
        event_uuids: vec![format!("uuid-{i}")],
    }
}

fn event(i: usize) -> EventItem {
    EventItem {
        row: EventRow {
            uuid: format!("uuid-{i}"),
            published: "2024-03-09T16:00:00Z".into(),
            event_type: "user.session.start".into(),
            actor: format!("actor{i}@acme.com"),
            target: String::new(),
            ip: "198.51.100.7".into(),
            country: "Brazil".into(),
            outcome: "SUCCESS".into(),
            session: format!("session-{i}"),
            ..EventRow::default()
        },
        published_ms: 1_710_000_000_000 + i as i64 * 1000,
        changed: Vec::new(),
        json: format!(r#"{{"uuid":"uuid-{i}","displayMessage":"evil \u001b]0;pwned\u0007"}}"#),
    }
}

/// Send `msg`, returning the effects.
fn send(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    update(state, msg, &keymap())
}

/// The ticket of the single Load effect.
fn ticket(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::Load { ticket, .. }] => *ticket,
        other => panic!("expected one load, got {other:?}"),
    }
}

/// An app showing `n` findings.
fn with_findings(n: usize) -> AppState {
    let (mut state, effects) = AppState::new((80, 24), true);
    let t = ticket(&effects);
    let rows = (0..n).map(finding).collect();
    send(
        &mut state,
        Msg::Loaded {
            ticket: t,
            result: Ok(Loaded::Findings(rows)),
        },
    );
    state
}

fn events_loaded(t: u64, n: usize) -> Msg {
    Msg::Loaded {
        ticket: t,
        result: Ok(Loaded::Events {
            rows: (0..n).map(event).collect(),
            total: n * 2,
            histogram: None,
            summary: None,
        }),
    }
}

#[test]
fn starts_loading_findings_then_shows_them() {
    let (state, effects) = AppState::new((80, 24), true);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Load {
            request: Request::Findings,
            ..
        }]
    ));
    assert!(state.busy());
    let state = with_findings(3);
    assert!(!state.busy());
    assert_eq!(state.views.len(), 1);
    assert_eq!(state.top().rows.len(), 3);
}

#[test]
fn moves_and_clamps() {
    let mut s = with_findings(50);
    send(&mut s, key("j"));
    send(&mut s, key("down"));
    assert_eq!(s.top().cursor, 2);
    send(&mut s, key("k"));
    assert_eq!(s.top().cursor, 1);
    send(&mut s, key("G"));
    assert_eq!(s.top().cursor, 49);
    assert!(s.top().offset > 0, "scrolled to keep the cursor visible");
    send(&mut s, key("j"));
    assert_eq!(s.top().cursor, 49, "clamped at the bottom");
    send(&mut s, key("g"));
    assert_eq!((s.top().cursor, s.top().offset), (0, 0));
    send(&mut s, key("pgdown"));
    assert_eq!(s.top().cursor, s.page());
    send(&mut s, key("k"));
    send(&mut s, key("pgup"));
    assert_eq!(s.top().cursor, 0);
}

#[test]
fn open_finding_loads_evidence_then_pushes() {
    let mut s = with_findings(3);
    send(&mut s, key("j"));
    let effects = send(&mut s, key("enter"));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Load { request: Request::Uuids(u), .. }] if u == &vec!["uuid-1".to_string()]
    ));
    assert_eq!(s.views.len(), 1, "shown only once loaded");
    send(&mut s, events_loaded(ticket(&effects), 5));
    assert_eq!(s.views.len(), 2);
    assert_eq!(s.top().label, "hunt-1");
    assert_eq!(s.top().total, Some(10));
}

#[test]
fn pivots_push_and_back_restores_cursor() {
    let mut s = with_findings(3);
    send(&mut s, key("j"));
    send(&mut s, key("j"));
    let effects = send(&mut s, key("a"));
    match effects.as_slice() {
        [
            Effect::Load {
                request:
                    Request::Events {
                        query, range: None, ..
                    },
                ..
            },
        ] => assert_eq!(query, "actor:\"user2@acme.com\""),
        other => panic!("{other:?}"),
    }
    send(&mut s, events_loaded(ticket(&effects), 4));
    assert_eq!(s.top().label, "user2@acme.com");
    send(&mut s, key("j"));
    let effects = send(&mut s, key("s"));
    match effects.as_slice() {
        [
            Effect::Load {
                request: Request::Events { query, .. },
                ..
            },
        ] => assert_eq!(query, "session:\"session-1\""),
        other => panic!("{other:?}"),
    }
    send(&mut s, events_loaded(ticket(&effects), 2));
    let effects = send(&mut s, key("i"));
    send(&mut s, events_loaded(ticket(&effects), 2));
    let effects = send(&mut s, key("w"));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Load { request: Request::Events { range: Some((a, b)), .. }, .. }]
            if b - a == 10 * 60_000
    ));
    send(&mut s, events_loaded(ticket(&effects), 2));
    let effects = send(&mut s, key("c"));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Load { request: Request::Correlated { actor }, .. }] if actor == "actor0@acme.com"
    ));
    send(
        &mut s,
        Msg::Loaded {
            ticket: ticket(&effects),
            result: Ok(Loaded::Ips(vec![])),
        },
    );
    let labels: Vec<&str> = s.views.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(
        labels[0..3],
        ["Findings", "user2@acme.com", "session session-…"]
    );
    assert_eq!(labels.len(), 6);
    for _ in 0..4 {
        send(&mut s, key("esc"));
    }
    assert_eq!(s.views.len(), 2);
    assert_eq!(s.top().cursor, 1, "cursor where it was");
    send(&mut s, key("esc"));
    assert_eq!(s.top().cursor, 2);
    send(&mut s, key("esc"));
    assert_eq!(s.views.len(), 1, "the root stays");
}

#[test]
fn stale_answers_are_dropped() {
    let mut s = with_findings(3);
    let first = ticket(&send(&mut s, key("a")));
    let second = ticket(&send(&mut s, key("i")));
    assert_ne!(first, second);
    send(&mut s, events_loaded(first, 1));
    assert_eq!(s.views.len(), 1, "the first answer is stale");
    send(&mut s, events_loaded(second, 1));
    assert_eq!(s.views.len(), 2);
    assert_eq!(s.top().label, "203.0.113.9");
    // Esc while loading cancels the load: its answer is dropped too.
    let t = ticket(&send(&mut s, key("a")));
    send(&mut s, key("esc"));
    send(&mut s, events_loaded(t, 1));
    assert_eq!(s.views.len(), 2);
}

#[test]
fn query_prompt_shows_errors_inline_and_keeps_the_view() {
    let mut s = with_findings(3);
    send(&mut s, key("/"));
    assert!(s.prompt.is_some());
    for c in "q:(".chars() {
        send(&mut s, Msg::Key(Key::char(c)));
    }
    assert_eq!(s.prompt.as_ref().map(|p| p.text.as_str()), Some("q:("));
    assert!(!s.quit, "q is text in the prompt");
    send(&mut s, key("backspace"));
    let t = ticket(&send(&mut s, key("enter")));
    send(
        &mut s,
        Msg::Loaded {
            ticket: t,
            result: Err("query error at column 1: unknown field".into()),
        },
    );
    let p = s.prompt.as_ref().expect("prompt stays open");
    assert_eq!(
        p.error.as_deref(),
        Some("query error at column 1: unknown field")
    );
    assert_eq!(s.views.len(), 1, "view unchanged");
    // Fix it and submit again: the prompt closes and the result is pushed.
    send(&mut s, key("backspace"));
    let effects = send(&mut s, key("enter"));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Load { request: Request::Events { query, .. }, .. }] if query == "q"
    ));
    send(&mut s, events_loaded(ticket(&effects), 1));
    assert!(s.prompt.is_none());
    assert_eq!(s.top().label, "/ q");
    // Esc in the prompt cancels it without going back.
    send(&mut s, key("/"));
    send(&mut s, key("esc"));
    assert!(s.prompt.is_none());
    assert_eq!(s.views.len(), 2);
}

#[test]
fn quit_help_detail_and_resize() {
    let mut s = with_findings(3);
    send(&mut s, key("?"));
    assert!(s.help.is_some());
    assert!(send(&mut s, key("a")).is_empty(), "help does not pivot");
    send(&mut s, key("esc"));
    assert!(s.help.is_none());
    let t = ticket(&send(&mut s, key("enter")));
    send(&mut s, events_loaded(t, 3));
    send(&mut s, key("tab"));
    assert!(s.detail_pane);
    send(&mut s, key("tab"));
    send(&mut s, key("enter"));
    assert!(
        matches!(s.top().rows, Rows::Lines(_)),
        "enter opens the detail"
    );
    send(&mut s, key("esc"));
    send(&mut s, Msg::Resize(120, 40));
    assert_eq!(s.size, (120, 40));
    assert_eq!(send(&mut s, key("q")), vec![Effect::Quit]);
    assert_eq!(send(&mut s, key("ctrl-c")), vec![Effect::Quit]);
}

fn screen(state: &AppState, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let km = keymap();
    terminal
        .draw(|f| okhunt::ui::render(state, &km, f))
        .expect("draw");
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn renders_findings_events_and_detail_at_80x24() {
    let mut s = with_findings(30);
    let text = screen(&s, 80, 24);
    assert!(text.starts_with("Findings"), "{text}");
    assert!(text.contains("Findings (30)"), "{text}");
    assert!(text.contains("SEVERITY"), "{text}");
    assert!(text.contains("hunt-0"), "{text}");
    assert!(text.contains("enter open"), "status hints: {text}");
    let t = ticket(&send(&mut s, key("enter")));
    send(&mut s, events_loaded(t, 3));
    let text = screen(&s, 80, 24);
    assert!(text.contains("Findings > hunt-0"), "{text}");
    assert!(text.contains("3 of 6 shown"), "{text}");
    assert!(text.contains("user.session"), "{text}");
    send(&mut s, key("enter"));
    let text = screen(&s, 80, 24);
    assert!(text.contains("\"uuid\": \"uuid-0\""), "{text}");
    // The ESC inside the event is shown, not sent to the terminal.
    assert!(text.contains("\\u001b]0;pwned\\u0007"), "{text}");
    assert!(!text.contains('\u{1b}'));
    send(&mut s, key("esc"));
    send(&mut s, key("?"));
    let text = screen(&s, 80, 24);
    assert!(
        text.contains("Pivot to all events of the selected actor"),
        "{text}"
    );
    send(&mut s, key("esc"));
    send(&mut s, key("/"));
    for c in "bad:(".chars() {
        send(&mut s, Msg::Key(Key::char(c)));
    }
    let t = ticket(&send(&mut s, key("enter")));
    send(
        &mut s,
        Msg::Loaded {
            ticket: t,
            result: Err("query error at column 5: oops".into()),
        },
    );
    let text = screen(&s, 80, 24);
    assert!(text.contains("/bad:("), "{text}");
    assert!(text.contains("query error at column 5: oops"), "{text}");
}

#[test]
fn hostile_event_values_are_escaped_in_tables() {
    let mut s = with_findings(1);
    let t = ticket(&send(&mut s, key("enter")));
    let mut e = event(0);
    e.row.actor = "\u{1b}[2J\u{202e}evil".into();
    send(
        &mut s,
        Msg::Loaded {
            ticket: t,
            result: Ok(Loaded::Events {
                rows: vec![e],
                total: 1,
                histogram: None,
                summary: None,
            }),
        },
    );
    let text = screen(&s, 120, 30);
    assert!(text.contains("\\x1b[2J\\u{202e}evil"), "{text}");
}

/// An app with `n` events open from the first finding.
fn with_events(n: usize) -> AppState {
    let mut s = with_findings(2);
    let t = ticket(&send(&mut s, key("enter")));
    send(&mut s, events_loaded(t, n));
    s
}

fn load_request(effects: &[Effect]) -> &Request {
    match effects {
        [Effect::Load { request, .. }] => request,
        other => panic!("expected one load, got {other:?}"),
    }
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        let k = if c == ' ' {
            "space".to_string()
        } else {
            c.to_string()
        };
        send(s, key(&k));
    }
}

#[test]
fn pivots_carry_their_focus_so_the_view_gets_a_summary() {
    use okhunt::app::msg::Focus;
    use okhunt::keymap::Context;
    let mut s = with_events(3);
    send(&mut s, key("j"));
    let e = send(&mut s, key("a"));
    assert!(matches!(
        load_request(&e),
        Request::Events { focus: Some(Focus::Actor(a)), .. } if a == "actor1@acme.com"
    ));
    send(&mut s, events_loaded(ticket(&e), 2));
    assert_eq!(s.context(), Context::Actor);
    let e = send(&mut s, key("s"));
    assert!(matches!(
        load_request(&e),
        Request::Events { focus: Some(Focus::Session { id, root: false }), query, .. }
            if id == "session-0" && query == "session:\"session-0\""
    ));
    send(&mut s, events_loaded(ticket(&e), 2));
    assert_eq!(s.context(), Context::Session);
    let e = send(&mut s, key("i"));
    assert!(matches!(
        load_request(&e),
        Request::Events { focus: Some(Focus::Ip(ip)), .. } if ip == "198.51.100.7"
    ));
    send(&mut s, events_loaded(ticket(&e), 2));
    assert_eq!(s.context(), Context::Ip);
    assert!(send(&mut s, key("u")).is_empty());
    assert_eq!(s.status.as_deref(), Some("the selected row has no target"));
    // From a finding, the target user is a subject of their own.
    let mut s = with_findings(2);
    let e = send(&mut s, key("u"));
    assert!(matches!(
        load_request(&e),
        Request::Events { focus: Some(Focus::Actor(t)), query, .. }
            if t == "target0@acme.com"
                && query == "actor:\"target0@acme.com\" OR target:\"target0@acme.com\""
    ));
}

#[test]
fn root_session_toggles_in_place() {
    use okhunt::app::msg::Focus;
    let mut s = with_events(3);
    let t = ticket(&send(&mut s, key("s")));
    send(&mut s, events_loaded(t, 3));
    let depth = s.views.len();
    let e = send(&mut s, key("r"));
    assert!(matches!(
        load_request(&e),
        Request::Events {
            focus: Some(Focus::Session { root: true, .. }),
            ..
        }
    ));
    send(&mut s, events_loaded(ticket(&e), 5));
    assert_eq!(s.views.len(), depth, "replaced, not pushed");
    assert!(s.top().label.starts_with("root of"));
    let e = send(&mut s, key("r"));
    assert!(matches!(
        load_request(&e),
        Request::Events {
            focus: Some(Focus::Session { root: false, .. }),
            ..
        }
    ));
    // `r` means nothing outside a session view.
    send(&mut s, key("esc"));
    assert!(send(&mut s, key("r")).is_empty());
}

#[test]
fn filter_applies_as_typed_and_esc_clears_it() {
    let mut s = with_events(12);
    send(&mut s, key("G"));
    let selected = s.top().cursor;
    send(&mut s, key("f"));
    typed(&mut s, "ACTOR1");
    // actor1 and actor10, actor11 contain "actor1"
    assert_eq!(s.top().rows.len(), 3, "filtered while typing");
    assert_eq!(s.top().filter.as_deref(), Some("ACTOR1"));
    send(&mut s, key("enter"));
    assert!(s.prompt.is_none());
    assert_eq!(s.find.as_deref(), Some("ACTOR1"));
    assert_eq!(
        s.top().cursor,
        2,
        "actor11 stays selected: it still matches"
    );
    let depth = s.views.len();
    send(&mut s, key("esc"));
    assert_eq!(s.views.len(), depth, "esc clears the filter first");
    assert_eq!(s.top().rows.len(), 12);
    assert_eq!(s.top().cursor, selected, "the selected row is kept");
    // Cancelling the prompt puts back what was there.
    send(&mut s, key("f"));
    typed(&mut s, "zzz");
    assert_eq!(s.top().rows.len(), 0);
    send(&mut s, key("esc"));
    assert_eq!(s.top().rows.len(), 12);
    assert!(s.top().filter.is_none());
}

#[test]
fn next_and_previous_match_wrap_and_say_so() {
    let mut s = with_events(12);
    send(&mut s, key("n"));
    assert!(s.status.as_deref().unwrap_or("").contains("f sets"));
    s.find = Some("actor1".into());
    send(&mut s, key("n"));
    assert_eq!(s.top().cursor, 1);
    send(&mut s, key("n"));
    assert_eq!(s.top().cursor, 10);
    send(&mut s, key("n"));
    assert_eq!(s.top().cursor, 11);
    send(&mut s, key("n"));
    assert_eq!(s.top().cursor, 1);
    assert!(s.status.as_deref().unwrap_or("").contains("wrapped"));
    send(&mut s, key("N"));
    assert_eq!(s.top().cursor, 11);
    s.find = Some("nowhere".into());
    send(&mut s, key("n"));
    assert!(
        s.status
            .as_deref()
            .unwrap_or("")
            .contains("no row contains")
    );
}

#[test]
fn time_range_reloads_the_view_and_later_pivots_use_it() {
    use okhunt::app::state::CaseInfo;
    let mut s = with_events(3);
    let last = 1_710_000_000_000 + 86_400_000;
    send(
        &mut s,
        Msg::Case(CaseInfo {
            events: 100,
            first_ms: Some(1_709_000_000_000),
            last_ms: Some(last),
        }),
    );
    // A search view (a finding's evidence has no range: it is a fixed set).
    send(&mut s, key("/"));
    typed(&mut s, "type:user.session.start");
    let t = ticket(&send(&mut s, key("enter")));
    send(&mut s, events_loaded(t, 3));
    send(&mut s, key("T"));
    typed(&mut s, "soon");
    let e = send(&mut s, key("enter"));
    assert!(e.is_empty());
    let err = s.prompt.as_ref().and_then(|p| p.error.clone());
    assert!(
        err.unwrap_or_default().contains("7d"),
        "bad range: error inline"
    );
    for _ in 0..4 {
        send(&mut s, key("backspace"));
    }
    typed(&mut s, "1d");
    let e = send(&mut s, key("enter"));
    let want = Some((last - 86_400_000, last + 1));
    assert!(matches!(
        load_request(&e),
        Request::Events { range, query, .. } if *range == want && query == "type:user.session.start"
    ));
    assert!(s.prompt.is_none());
    assert_eq!(s.range.as_ref().map(|r| r.text.as_str()), Some("1d"));
    send(&mut s, events_loaded(ticket(&e), 1));
    let e = send(&mut s, key("a"));
    assert!(matches!(load_request(&e), Request::Events { range, .. } if *range == want));
    // Clearing it: empty text.
    s.incoming = None;
    send(&mut s, key("T"));
    for _ in 0..2 {
        send(&mut s, key("backspace"));
    }
    let e = send(&mut s, key("enter"));
    assert!(matches!(
        load_request(&e),
        Request::Events { range: None, .. }
    ));
    assert!(s.range.is_none());
}

#[test]
fn an_ingest_ending_reloads_the_view_on_screen_and_later_the_others() {
    use okhunt::app::msg::IngestStatus;
    let mut s = with_events(3);
    let progress = IngestStatus {
        current: "logs.json".into(),
        bytes: 10,
        total: 100,
        events: 5,
        done: None,
    };
    assert!(send(&mut s, Msg::Ingest(progress.clone())).is_empty());
    assert_eq!(s.ingest.as_ref().map(|i| i.bytes), Some(10));
    let done = IngestStatus {
        done: Some(Ok("added 5 events".into())),
        ..progress
    };
    let e = send(&mut s, Msg::Ingest(done));
    assert!(
        matches!(load_request(&e), Request::Uuids(_)),
        "the evidence view reloads"
    );
    assert_eq!(s.status.as_deref(), Some("added 5 events"));
    send(&mut s, events_loaded(ticket(&e), 4));
    assert_eq!(s.top().rows.len(), 4);
    let e = send(&mut s, key("esc"));
    assert!(
        matches!(load_request(&e), Request::Findings),
        "findings reload when shown again"
    );
    assert!(
        s.ingest.is_none(),
        "the finished gauge goes at the next key"
    );
}

fn ip_loaded(t: u64, awaits_correlation: bool) -> Msg {
    use okhunt::app::state::Summary;
    Msg::Loaded {
        ticket: t,
        result: Ok(Loaded::Events {
            rows: (0..2).map(event).collect(),
            total: 2,
            histogram: None,
            summary: Some(Summary {
                lines: Vec::new(),
                awaits_correlation,
            }),
        }),
    }
}

#[test]
fn an_ip_view_drawn_before_the_correlation_is_loaded_again_once_it_is() {
    let mut s = with_events(3);
    let e = send(&mut s, key("i"));
    let asked = load_request(&e).clone();
    send(&mut s, ip_loaded(ticket(&e), true));
    // The view is on screen at once, and asked for again when ready.
    assert_eq!(s.views.len(), 3);
    let again = send(&mut s, Msg::Correlated);
    assert_eq!(load_request(&again), &asked);
    send(&mut s, ip_loaded(ticket(&again), false));
    assert_eq!(s.views.len(), 3, "replaced in place, not pushed");
    // A view deeper in the stack that went without it reloads when shown.
    let mut s = with_events(3);
    let e = send(&mut s, key("i"));
    let asked = load_request(&e).clone();
    send(&mut s, ip_loaded(ticket(&e), true));
    let e = send(&mut s, key("a"));
    send(&mut s, events_loaded(ticket(&e), 2));
    assert_eq!(s.views.len(), 4);
    assert!(
        send(&mut s, Msg::Correlated).is_empty(),
        "the actor view is fine"
    );
    let back = send(&mut s, key("esc"));
    assert_eq!(s.views.len(), 3);
    assert_eq!(load_request(&back), &asked);
}

#[test]
fn a_correlation_ready_before_the_answer_arrives_asks_again() {
    let mut s = with_events(3);
    let e = send(&mut s, key("i"));
    let asked = load_request(&e).clone();
    assert!(
        send(&mut s, Msg::Correlated).is_empty(),
        "nothing to reload yet"
    );
    let again = send(&mut s, ip_loaded(ticket(&e), true));
    assert_eq!(load_request(&again), &asked);
    // A view built with it stays as it is.
    assert!(send(&mut s, ip_loaded(ticket(&again), false)).is_empty());
    // After the case changed, an answer without it waits for the next build.
    send(&mut s, Msg::Case(Default::default()));
    let e = send(&mut s, key("i"));
    assert!(send(&mut s, ip_loaded(ticket(&e), true)).is_empty());
    assert!(!send(&mut s, Msg::Correlated).is_empty());
}
