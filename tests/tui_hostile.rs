//! Log content is hostile: an event whose fields carry terminal escape
//! sequences (clear screen, retitle the window, write the clipboard), C1
//! controls, bidi overrides and a 1 MB string is shown escaped and cut in
//! the real TUI, and none of those bytes ever reaches the terminal.

mod pty;

use pty::{BIN, Tui};
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

const CLEAR: &str = "\u{1b}[2J";
const TITLE: &str = "\u{1b}]0;pwned\u{7}";
const CLIPBOARD: &str = "\u{1b}]52;c;ZXZpbA==\u{7}";
const C1_CSI: &str = "\u{9b}31m";
const BIDI: &str = "\u{202e}moc.evil";

fn event(uuid: &str, minute: u32, actor: &str, message: &str, agent: &str) -> Value {
    json!({
        "uuid": uuid,
        "published": format!("2024-03-12T10:{minute:02}:00.000Z"),
        "eventType": "user.session.start",
        "version": "0",
        "severity": "INFO",
        "legacyEventType": "core.user_auth.login_success",
        "displayMessage": message,
        "actor": {"id": "00u1hostile", "type": "User", "alternateId": actor,
                  "displayName": format!("{TITLE}Mallory"), "detailEntry": null},
        "client": {"userAgent": {"rawUserAgent": agent, "os": "Linux", "browser": "CHROME"},
                   "zone": "null", "device": "Computer", "id": null,
                   "ipAddress": "198.51.100.66",
                   "geographicalContext": {"city": BIDI, "state": null,
                       "country": "Nowhere", "postalCode": null, "geolocation": null}},
        "outcome": {"result": "SUCCESS", "reason": null},
        "target": null,
        "transaction": {"type": "WEB", "id": "Wz1hostile", "detail": {}},
        "debugContext": {"debugData": {"requestUri": format!("/login{CLEAR}")}},
        "authenticationContext": {"authenticationStep": 0, "externalSessionId": "102hostile"},
        "securityContext": {"asNumber": null, "asOrg": null, "isp": null, "domain": null, "isProxy": null},
        "request": {"ipChain": []}
    })
}

fn hostile_case(tmp: &Path) -> String {
    let huge = format!("{CLIPBOARD}{}", "A".repeat(1 << 20));
    let lines = [
        event(
            "ev-1",
            1,
            "mallory@evil.test",
            &format!("{TITLE}{CLEAR}Signed in {BIDI}"),
            &format!("curl{C1_CSI}"),
        ),
        event("ev-2", 2, "mallory@evil.test", &huge, "Mozilla/5.0"),
        event(
            "ev-3",
            3,
            "mallory@evil.test",
            "zero\u{200b}width\u{0}nul",
            CLIPBOARD,
        ),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let file = tmp.join("hostile.ndjson");
    std::fs::write(&file, text).expect("write");
    let case = tmp.join("case");
    let out = std::process::Command::new(BIN)
        .args(["ingest", "--case"])
        .arg(&case)
        .arg(&file)
        .env("XDG_STATE_HOME", tmp.join("state"))
        .output()
        .expect("ingest");
    assert!(out.status.success(), "{out:?}");
    case.to_str().expect("utf-8 path").to_string()
}

/// None of the hostile sequences reached the terminal.
fn inert(tui: &Tui) {
    for bad in [TITLE, CLEAR, CLIPBOARD, C1_CSI, BIDI, "\u{200b}"] {
        assert!(!tui.wrote(bad.as_bytes()), "{bad:?} reached the terminal");
    }
    assert!(!tui.wrote(b"pwned\x07"));
}

/// The detail pane's line holding `key` (the JSON of the open event).
fn detail_line<'a>(screen: &'a str, key: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(&format!("\"{key}\"")))
        .unwrap_or_else(|| panic!("no {key:?} line on screen:\n{screen}"))
}

#[test]
fn escape_sequences_in_events_are_shown_escaped_never_sent() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let case = hostile_case(tmp.path());
    let mut tui = Tui::spawn(&["--case", &case], tmp.path());
    tui.wait_for("the findings", |s| s.contains("Findings"));
    tui.send("/actor:mallory@evil.test\r");
    tui.wait_for("mallory's events", |s| {
        s.contains("actor:mallory@evil.test · 3 events")
    });
    inert(&tui);

    // The first event's detail: every control shown as its escape, the
    // bidi override as its code point, none obeyed.
    tui.send("\r");
    let s = tui.wait_for("the detail of the first event", |s| {
        s.contains("event ev-1") && s.contains("\"displayName\"")
    });
    assert!(
        detail_line(&s, "displayName").contains(r#""\u001b]0;pwned\u0007Mallory""#),
        "{s}"
    );
    assert!(
        detail_line(&s, "city").contains(r#""\u{202e}moc.evil""#),
        "{s}"
    );
    inert(&tui);

    // The 1 MB message: drawn as fast as any other event, cut to the
    // screen, its clipboard-writing sequence escaped.
    tui.send("\x1b");
    tui.wait_for("back to the events", |s| s.contains("3 events"));
    tui.send("j");
    let started = Instant::now();
    tui.send("\r");
    tui.wait_for("the 1 MB event's detail", |s| s.contains("event ev-2"));
    tui.send("G");
    tui.wait_for("its last line", |s| s.contains(r#""uuid": "ev-2""#));
    tui.send(&"k".repeat(15));
    let s = tui.wait_for("its message line", |s| s.contains("\"displayMessage\""));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a 1 MB field took {:?} to show",
        started.elapsed()
    );
    let line = detail_line(&s, "displayMessage");
    assert!(line.contains(r#""\u001b]52;c;ZXZpbA==\u0007AAAA"#), "{s}");
    assert!(line.contains('…'), "the 1 MB line is cut: {line}");
    assert!(s.lines().all(|l| l.chars().count() <= 80), "{s}");
    inert(&tui);

    // Zero-width and NUL characters are shown too, not swallowed.
    tui.send("\x1b");
    tui.wait_for("back to the events", |s| s.contains("3 events"));
    tui.send("j");
    tui.send("\r");
    tui.wait_for("the third event's detail", |s| s.contains("event ev-3"));
    tui.send(&"j".repeat(30));
    let s = tui.wait_for("its message line", |s| s.contains("\"displayMessage\""));
    let line = detail_line(&s, "displayMessage");
    assert!(
        line.contains(r#""zero\u{200b}width\u0000nul""#),
        "zero-width and NUL characters are shown: {line}"
    );
    inert(&tui);

    tui.send("q");
    let status = tui.wait_exit();
    assert!(status.success(), "{status:?}");
    tui.wait_restored();
    inert(&tui);
}
