//! The real binary in a pseudo-terminal (portable-pty + vt100) on the demo
//! case: open a finding, pivot to the actor, the session, an IP and the
//! correlated IPs, go back, search with a bad query then a good one, filter,
//! set a time range, ingest paths given on the command line; quit, and the
//! terminal is restored.

mod pty;

use pty::{BIN, Tui, crumbs, top};
use std::path::Path;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo/demo.ndjson.gz");
const MALFORMED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/malformed");

/// A case holding the demo tenant, ingested with the CLI.
fn demo_case(tmp: &Path) -> String {
    let case = tmp.join("case");
    let out = std::process::Command::new(BIN)
        .args(["ingest", "--case"])
        .arg(&case)
        .arg(DEMO)
        .env("XDG_STATE_HOME", tmp.join("state"))
        .output()
        .expect("ingest");
    assert!(out.status.success(), "{out:?}");
    case.to_str().expect("utf-8 path").to_string()
}

/// No spinner: whatever was asked for has arrived.
fn idle(s: &str) -> bool {
    !s.contains("loading")
}

/// Quit with `q`: exit 0 and the terminal restored.
fn quit(tui: &mut Tui) {
    tui.send("q");
    let status = tui.wait_exit();
    assert!(status.success(), "{status:?}");
    tui.wait_restored();
}

#[test]
fn investigate_the_demo_case() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let case = demo_case(tmp.path());
    let mut tui = Tui::spawn(&["--case", &case], tmp.path());
    tui.wait_for("the findings", |s| {
        s.contains("Findings (") && s.contains("SEVERITY") && s.contains("4,741 events")
    });

    // enter: the first finding's evidence.
    tui.send("\r");
    tui.wait_for("the evidence events", |s| {
        s.starts_with("Findings > ") && s.contains("EVENT TYPE") && idle(s)
    });
    let evidence = tui.top_line();

    // a: the selected event's actor, with a summary over the timeline.
    tui.send("a");
    let s = tui.wait_for("the actor view", |s| {
        crumbs(top(s)) == 2 && s.contains("actor:\"") && s.contains("types:") && idle(s)
    });
    let actor = s
        .split("actor:\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("actor in the title")
        .to_string();
    assert!(tui.top_line().ends_with(&actor), "{s}");
    assert!(s.contains("events:") && s.contains("IPs:"), "{s}");

    let at_actor = tui.top_line();
    // s: the session of a sign-in (filtered to by its type: not every
    // event has a session).
    tui.send("fuser.session.start\r");
    tui.wait_for("the sign-ins", |s| s.contains("filter"));
    tui.send("s");
    tui.wait_for("the session view", |s| {
        crumbs(top(s)) == 3 && top(s).contains("> session ") && s.contains("session:") && idle(s)
    });

    let at_session = tui.top_line();
    // i: the selected event's IP, with what okhunt knows of it.
    tui.send("i");
    let s = tui.wait_for("the IP view", |s| {
        crumbs(top(s)) == 4 && s.contains("known as:") && idle(s)
    });
    assert!(s.contains("where:") && s.contains("actors:"), "{s}");

    let at_ip = tui.top_line();
    // c: the correlated IPs of the selected event's actor.
    tui.send("c");
    tui.wait_for("the correlated IPs", |s| {
        top(s).ends_with("correlated IPs") && s.contains("ROLE") && idle(s)
    });

    // esc three times: back to the actor's timeline, as it was (one at a
    // time: escape bytes sent together read as one alt-escape sequence).
    for back_to in [&at_ip, &at_session, &at_actor] {
        tui.send("\x1b");
        tui.wait_for("one view back", |s| top(s) == back_to.as_str());
    }
    let s = tui.wait_for("back to the actor", |s| top(s).ends_with(&actor));
    assert!(s.contains("filter"), "the actor view keeps its filter: {s}");
    // esc clears the filter, then goes back.
    tui.send("\x1b");
    tui.wait_for("the filter cleared", |s| {
        !s.contains("filter") && top(s).ends_with(&actor)
    });
    tui.send("\x1b");
    tui.wait_for("back to the evidence", |s| top(s) == evidence);

    // A bad query: the error inline, the view unchanged.
    tui.send("/actor:(\r");
    let s = tui.wait_for("the query error", |s| s.contains("query error"));
    assert_eq!(top(&s), evidence, "{s}");
    tui.send("\x1b");
    tui.wait_for("the prompt closed", |s| !s.contains("query error"));

    // A good one: a new view.
    tui.send("/type:user.session.start\r");
    tui.wait_for("the search results", |s| {
        top(s).ends_with("/ type:user.session.start") && s.contains("user.session.start")
    });
    quit(&mut tui);
}

#[test]
fn filter_match_and_time_range() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let case = demo_case(tmp.path());
    let mut tui = Tui::spawn(&["--case", &case], tmp.path());
    tui.wait_for("the findings", |s| s.contains("SEVERITY") && idle(s));

    // f: only the rows containing the text, as it is typed.
    tui.send("fsupport-");
    let s = tui.wait_for("the filtered findings", |s| {
        s.contains("filter") && s.contains("support-access")
    });
    assert!(!s.contains("mfa-fatigue"), "{s}");
    tui.send("\r");
    // esc clears the filter, the rows come back.
    tui.send("\x1b");
    tui.wait_for("all findings again", |s| s.contains("mfa-fatigue"));

    // A search, then T: the last day of the case only.
    tui.send("/type:user.session.start\r");
    let before = tui.wait_for("the search", |s| {
        top(s).ends_with("/ type:user.session.start") && idle(s)
    });
    tui.send("Tnonsense\r");
    tui.wait_for("the range error", |s| s.contains("7d"));
    for _ in 0.."nonsense".len() {
        tui.send("\x7f");
    }
    tui.send("1d\r");
    let after = tui.wait_for("the range applied", |s| {
        s.contains("1d") && idle(s) && *s != before
    });
    assert!(after.contains("user.session.start"), "{after}");
    quit(&mut tui);
}

#[test]
fn paths_given_are_ingested_beside_the_open_tui() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let case = tmp.path().join("new-case");
    let case = case.to_str().expect("utf-8");
    let mut tui = Tui::spawn(&["--case", case, DEMO, MALFORMED], tmp.path());
    let s = tui.wait_for("the ingest summary and the findings", |s| {
        s.contains("events added") && s.contains("critical")
    });
    assert!(
        s.contains("skipped"),
        "the malformed lines are counted: {s}"
    );
    let problems = std::fs::read_to_string(Path::new(case).join("ingest-problems.txt"))
        .expect("problems listed in the case");
    assert!(problems.contains("bad-line.ndjson:2: "), "{problems}");
    quit(&mut tui);
}

#[test]
fn missing_case_fails_before_touching_the_terminal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(BIN)
        .arg("--case")
        .arg(tmp.path().join("nope"))
        .env("XDG_STATE_HOME", tmp.path().join("state"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no case at"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn");
}

#[test]
fn bad_keymap_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keymap = tmp.path().join("keys.toml");
    std::fs::write(&keymap, "[findings]\n\"x\" = \"quitt\"\n").expect("write");
    let out = std::process::Command::new(BIN)
        .arg("--keymap")
        .arg(&keymap)
        .arg("--case")
        .arg(tmp.path().join("nope"))
        .env("XDG_STATE_HOME", tmp.path().join("state"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("[findings] \"x\": unknown action 'quitt'"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}
