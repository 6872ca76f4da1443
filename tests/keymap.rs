//! The keymap as the app and the user see it: the shipped files load, a user
//! file overlays the default key by key, every mistake is refused with one
//! line naming the file, table and key, and help/hints follow the bindings.

use okhunt::keymap::{Action, Context, Key, Keymap, Resolution};
use ratatui::crossterm::event::{KeyCode as CtCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;

const VIM_TOML: &str = include_str!("../keymaps/vim.toml");

fn key(s: &str) -> Key {
    s.parse().expect("valid key")
}

fn overlay(text: &str) -> Keymap {
    Keymap::with_overlay("k.toml", text).expect("valid overlay")
}

/// The single error line produced by an overlay that must be refused.
fn refused(text: &str) -> String {
    let errors = Keymap::with_overlay("k.toml", text).expect_err("must be refused");
    assert_eq!(
        errors.errors().len(),
        1,
        "expected one error, got:\n{errors}"
    );
    errors.to_string()
}

fn action(map: &Keymap, context: Context, k: &str) -> Resolution {
    map.resolve(context, &[], key(k))
}

const KNOWN_ACTIONS: &str = "quit, help, back, open, pivot_actor, pivot_target, pivot_session, pivot_ip, pivot_correlated, events_around, widen_window, narrow_window, query, time_range, filter, next_match, prev_match, yank, yank_json, toggle_detail, toggle_root_session, move_down, move_up, page_down, page_up, top, bottom, scroll_left, scroll_right, refresh, submit, cancel, unbind";

// ---- the shipped files ----

#[test]
fn default_keymap_loads_and_binds_the_issue_keys() {
    let map = Keymap::builtin().expect("default.toml is valid");
    let f = Context::Findings;
    for (k, want) in [
        ("enter", Action::Open),
        ("esc", Action::Back),
        ("a", Action::PivotActor),
        ("u", Action::PivotTarget),
        ("s", Action::PivotSession),
        ("i", Action::PivotIp),
        ("c", Action::PivotCorrelated),
        ("w", Action::EventsAround),
        ("/", Action::Query),
        ("T", Action::TimeRange),
        ("f", Action::Filter),
        ("n", Action::NextMatch),
        ("N", Action::PrevMatch),
        ("y", Action::Yank),
        ("tab", Action::ToggleDetail),
        ("j", Action::MoveDown),
        ("down", Action::MoveDown),
        ("k", Action::MoveUp),
        ("up", Action::MoveUp),
        ("g", Action::Top),
        ("G", Action::Bottom),
        ("?", Action::Help),
        ("q", Action::Quit),
        ("ctrl-c", Action::Quit),
        ("ctrl-d", Action::PageDown),
        ("ctrl-u", Action::PageUp),
        ("pgdown", Action::PageDown),
        ("pgup", Action::PageUp),
    ] {
        assert_eq!(action(&map, f, k), Resolution::Action(want), "{k}");
    }
    assert_eq!(
        action(&map, Context::Session, "r"),
        Resolution::Action(Action::ToggleRootSession)
    );
}

#[test]
fn every_action_is_bound_by_default() {
    // An action nobody can reach is a feature the docs would promise in vain.
    let map = Keymap::builtin().expect("default");
    for &a in Action::ALL {
        let bound = Context::ALL.iter().any(|&c| !map.keys_for(c, a).is_empty());
        assert!(bound, "{} has no key in default.toml", a.name());
    }
}

#[test]
fn vim_overlay_loads() {
    let map = Keymap::with_overlay("vim.toml", VIM_TOML).expect("vim.toml is valid");
    let e = Context::Events;
    assert_eq!(action(&map, e, "g"), Resolution::Pending);
    assert_eq!(
        map.resolve(e, &[key("g")], key("g")),
        Resolution::Action(Action::Top)
    );
    assert_eq!(
        map.resolve(e, &[key("Z")], key("Z")),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(
        action(&map, e, "ctrl-f"),
        Resolution::Action(Action::PageDown)
    );
    assert_eq!(action(&map, e, "h"), Resolution::Action(Action::ScrollLeft));
    // Untouched defaults remain.
    assert_eq!(action(&map, e, "G"), Resolution::Action(Action::Bottom));
    assert_eq!(action(&map, e, "a"), Resolution::Action(Action::PivotActor));
    // The help overlay gets the same `g g`.
    assert_eq!(action(&map, Context::Help, "g"), Resolution::Pending);
    assert_eq!(
        map.status_hints(Context::Help),
        "j down  k up  q back  ctrl-c quit"
    );
}

// ---- overlay semantics ----

#[test]
fn overlay_overrides_one_key_and_keeps_the_rest() {
    let map = overlay("[findings]\n\"a\" = \"pivot_session\"\n");
    assert_eq!(
        action(&map, Context::Findings, "a"),
        Resolution::Action(Action::PivotSession)
    );
    // Other panes still see the global `a`.
    assert_eq!(
        action(&map, Context::Events, "a"),
        Resolution::Action(Action::PivotActor)
    );
    // Keys the file does not mention keep their defaults.
    assert_eq!(
        action(&map, Context::Findings, "q"),
        Resolution::Action(Action::Quit)
    );
    assert_eq!(
        action(&map, Context::Findings, "enter"),
        Resolution::Action(Action::Open)
    );
}

#[test]
fn unbind_in_global_removes_the_key_everywhere() {
    let map = overlay("[global]\n\"y\" = \"unbind\"\n");
    for &c in Context::ALL {
        assert_eq!(action(&map, c, "y"), Resolution::Unbound, "{c}");
    }
    assert_eq!(
        action(&map, Context::Events, "Y"),
        Resolution::Action(Action::YankJson)
    );
}

#[test]
fn unbind_in_a_pane_hides_the_global_key_there_only() {
    let map = overlay("[events]\n\"a\" = \"unbind\"\n");
    assert_eq!(action(&map, Context::Events, "a"), Resolution::Unbound);
    assert_eq!(
        action(&map, Context::Findings, "a"),
        Resolution::Action(Action::PivotActor)
    );
    assert!(map.keys_for(Context::Events, Action::PivotActor).is_empty());
}

#[test]
fn user_can_add_a_sequence_after_unbinding_its_prefix() {
    let map = overlay("[global]\n\"g\" = \"unbind\"\n\"g g\" = \"top\"\n\"g e\" = \"bottom\"\n");
    assert_eq!(
        map.resolve(Context::Ip, &[key("g")], key("e")),
        Resolution::Action(Action::Bottom)
    );
}

#[test]
fn a_pane_binding_may_shadow_a_global_one() {
    let map = overlay("[detail]\n\"q\" = \"back\"\n\"g\" = \"refresh\"\n");
    assert_eq!(
        action(&map, Context::Detail, "q"),
        Resolution::Action(Action::Back)
    );
    assert_eq!(
        action(&map, Context::Detail, "g"),
        Resolution::Action(Action::Refresh)
    );
}

#[test]
fn prompt_keys_are_text_unless_bound() {
    let map = Keymap::builtin().expect("default");
    let p = Context::Prompt;
    assert_eq!(action(&map, p, "q"), Resolution::Unbound);
    assert!(key("q").is_plain_char());
    assert_eq!(
        action(&map, p, "ctrl-c"),
        Resolution::Action(Action::Cancel)
    );
    assert_eq!(action(&map, p, "enter"), Resolution::Action(Action::Submit));
}

#[test]
fn terminal_events_resolve_through_the_keymap() {
    let map = Keymap::builtin().expect("default");
    let shifted_g = KeyEvent::new(CtCode::Char('G'), KeyModifiers::SHIFT);
    let k = Key::from_event(&shifted_g).expect("a press");
    assert_eq!(
        map.resolve(Context::Events, &[], k),
        Resolution::Action(Action::Bottom)
    );
}

// ---- errors: one line naming file, table and key ----

#[test]
fn unknown_action_is_refused() {
    assert_eq!(
        refused("[findings]\n\"ctrl-q\" = \"quitt\"\n"),
        format!(r#"k.toml: [findings] "ctrl-q": unknown action 'quitt' (known: {KNOWN_ACTIONS})"#)
    );
}

#[test]
fn unknown_key_is_refused() {
    let line = refused("[global]\n\"ctrl-qq\" = \"quit\"\n");
    assert_eq!(
        line,
        "k.toml: [global] \"ctrl-qq\": unknown key name 'qq' (expected one character, a modifier like ctrl-/alt-/shift-, or one of: enter, esc, tab, backtab, backspace, delete, insert, space, up, down, left, right, pgup, pgdown, home, end, f1..f12)"
    );
    assert_eq!(
        refused("[global]\n\"f13\" = \"quit\"\n"),
        "k.toml: [global] \"f13\": unknown key name 'f13' (function keys are f1 to f12)"
    );
    assert_eq!(
        refused("[global]\n\"shift-g\" = \"bottom\"\n"),
        "k.toml: [global] \"shift-g\": write the character itself ('G') instead of shift-"
    );
}

#[test]
fn unknown_table_is_refused() {
    assert_eq!(
        refused("[findngs]\n\"a\" = \"pivot_actor\"\n"),
        "k.toml: [findngs]: unknown table (known: global, findings, events, actor, session, ip, correlated, detail, prompt, help)"
    );
}

#[test]
fn malformed_values_and_places_are_refused() {
    assert_eq!(
        refused("[global]\n\"q\" = 1\n"),
        format!(
            r#"k.toml: [global] "q": expected an action name in quotes (known: {KNOWN_ACTIONS})"#
        )
    );
    assert_eq!(
        refused("\"q\" = \"quit\"\n"),
        r#"k.toml: "q": bindings belong in a table such as [global]"#
    );
    assert_eq!(
        refused("[global]\n\"esc\" = \"quit\"\n\"escape\" = \"back\"\n"),
        r#"k.toml: [global] "escape": same key as "esc" in this table"#
    );
}

#[test]
fn invalid_toml_is_refused_with_its_line() {
    let line = refused("[global]\n\"q\" = \"quit\"\n\"x\" = \n");
    assert!(
        line.starts_with("k.toml: invalid TOML at line 3: "),
        "{line}"
    );
}

#[test]
fn prefix_conflict_in_global_is_refused_once() {
    // `g` (default) and `g g` (user) in the same table: `g g` is the
    // user's addition, so it is the one named.
    assert_eq!(
        refused("[global]\n\"g g\" = \"top\"\n"),
        r#"k.toml: [global] "g g": prefix conflict with "g" (top) in [global] of default.toml: a key cannot both act and start a sequence; unbind one"#
    );
}

#[test]
fn prefix_conflict_between_pane_and_global_is_refused() {
    assert_eq!(
        refused("[findings]\n\"g g\" = \"bottom\"\n"),
        r#"k.toml: [findings] "g g": prefix conflict with "g" (top) in [global] of default.toml: a key cannot both act and start a sequence; unbind one"#
    );
    // The pane's short key against the user's global sequence: the pane
    // binding is the more specific one, so it is named.
    assert_eq!(
        refused("[global]\n\"g\" = \"unbind\"\n\"g g\" = \"top\"\n[events]\n\"g\" = \"refresh\"\n"),
        r#"k.toml: [events] "g": prefix conflict with "g g" (top) in [global] of k.toml: a key cannot both act and start a sequence; unbind one"#
    );
}

#[test]
fn modal_tables_do_not_conflict_with_global() {
    // [prompt] does not read [global], so `g` there cannot clash with a
    // global `g g`.
    overlay("[global]\n\"g\" = \"unbind\"\n\"g g\" = \"top\"\n[prompt]\n\"g\" = \"submit\"\n");
}

#[test]
fn all_errors_are_reported_together() {
    let errors = Keymap::with_overlay(
        "k.toml",
        "[global]\n\"q\" = \"quitt\"\n[nope]\n[events]\n\"foo\" = \"open\"\n",
    )
    .expect_err("three mistakes");
    let text = errors.to_string();
    assert_eq!(errors.errors().len(), 3, "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
    // In table order; each names its file, table and key.
    let places: Vec<_> = errors
        .errors()
        .iter()
        .map(|e| (e.file.as_str(), e.table.as_deref(), e.key.as_deref()))
        .collect();
    assert_eq!(
        places,
        [
            ("k.toml", Some("events"), Some("foo")),
            ("k.toml", Some("global"), Some("q")),
            ("k.toml", Some("nope"), None),
        ]
    );
}

// ---- files on disk ----

#[test]
fn load_reads_the_flag_file_and_names_it_in_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[findings]\n\"x\" = \"pivot_ip\"\n").expect("write");
    let map = Keymap::load(Some(&good)).expect("loads");
    assert_eq!(
        action(&map, Context::Findings, "x"),
        Resolution::Action(Action::PivotIp)
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[findings]\n\"x\" = \"pivot_ipp\"\n").expect("write");
    let err = Keymap::load(Some(&bad)).expect_err("refused").to_string();
    assert!(
        err.starts_with(&format!(
            "{}: [findings] \"x\": unknown action 'pivot_ipp'",
            bad.display()
        )),
        "{err}"
    );

    let missing: PathBuf = dir.path().join("missing.toml");
    let err = Keymap::load(Some(&missing))
        .expect_err("missing")
        .to_string();
    assert_eq!(
        err,
        format!("{}: no such file (given with --keymap)", missing.display())
    );
}

// ---- help and hints follow the loaded bindings ----

#[test]
fn hints_follow_rebinding() {
    let default = Keymap::builtin().expect("default");
    assert_eq!(
        default.status_hints(Context::Findings),
        "enter open  a actor  s session  i ip  / query  ? help  q quit"
    );
    let map = overlay("[global]\n\"a\" = \"unbind\"\n\"A\" = \"pivot_actor\"\n");
    assert_eq!(
        map.status_hints(Context::Findings),
        "enter open  A actor  s session  i ip  / query  ? help  q quit"
    );
    let help = map.help_lines(Context::Findings);
    assert!(
        help.contains(&("A".to_string(), Action::PivotActor.describe())),
        "{help:?}"
    );
    // Unbinding an action drops it from the hints rather than showing a
    // key that does nothing.
    let map = overlay("[global]\n\"i\" = \"unbind\"\n");
    assert_eq!(
        map.status_hints(Context::Findings),
        "enter open  a actor  s session  / query  ? help  q quit"
    );
}

#[test]
fn help_lists_keys_of_the_view_and_global() {
    let map = Keymap::builtin().expect("default");
    let help = map.help_lines(Context::Session);
    for want in [
        ("enter", Action::Open),
        ("r", Action::ToggleRootSession),
        ("j/down", Action::MoveDown),
        ("g/home", Action::Top),
        ("pgdown/space/ctrl-d", Action::PageDown),
    ] {
        assert!(
            help.contains(&(want.0.to_string(), want.1.describe())),
            "{want:?} missing from {help:?}"
        );
    }
    // Session-only keys stay out of other views.
    let events = map.help_lines(Context::Events);
    assert!(
        !events
            .iter()
            .any(|(_, d)| *d == Action::ToggleRootSession.describe())
    );
}

/// The full default binding list, pinned so a change to default.toml is a
/// visible diff in review (and the README's key table can be updated with
/// it). To accept a change: `UPDATE_SNAPSHOTS=1 cargo test --test keymap`.
#[test]
fn default_bindings_snapshot() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/keymap/default_bindings.txt");
    let actual = Keymap::builtin().expect("default").listing();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "the default key bindings changed.\n\
         If this is intended, run `UPDATE_SNAPSHOTS=1 cargo test --test keymap`, review the diff \
         of src/keymap/default_bindings.txt and update the README's Keys table.\n\
         --- expected ({})\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}
