//! The live tail in the TUI (`okhunt --org URL --follow`) against the
//! System Log simulator on loopback: the open timeline grows as the org
//! logs new events, the indicator shows the last poll, and a refused token
//! stops the tail with its reason on screen, the UI still usable.

mod common;
mod fetch_sim;
mod pty;

use common::World;
use fetch_sim::{Sim, TOKEN, events, fetch};
use pty::Tui;

fn env() -> Vec<(&'static str, &'static str)> {
    vec![
        ("OKTA_API_TOKEN", TOKEN),
        ("OKHUNT_FETCH_BACKOFF_MS", "10"),
        ("NO_PROXY", "*"),
    ]
}

/// A case that pulled `n` events from a simulated org (a first pull sets
/// where the tail continues); keep the server while the test runs.
async fn pulled(n: usize) -> (Sim, wiremock::MockServer, String, World) {
    let sim = Sim::new(3);
    sim.add(events("a", "2024-03-01T10:00:00Z", n));
    let (server, base) = sim.serve().await;
    let w = World::new();
    let r = fetch(&w, &["--org", &base, "--since", "2024-03-01"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (sim, server, base, w)
}

#[tokio::test]
async fn the_open_timeline_grows_as_the_org_logs() {
    let (sim, _server, base, w) = pulled(4).await;
    let case = w.case.to_str().expect("utf-8").to_string();
    let args = [
        "--case",
        &case,
        "--org",
        &base,
        "--follow",
        "--interval",
        "1",
    ];
    let mut tui = Tui::spawn_env(&args, w.tmp.path(), &env());
    tui.wait_for("the live indicator", |s| s.contains("● live"));
    tui.send("/*\r");
    tui.wait_for("the four events", |s| s.contains("* · 4 events"));

    sim.add(events("b", "2024-03-01T11:00:00Z", 2));
    tui.wait_for("the new events in the open view", |s| {
        s.contains("* · 6 events") && s.contains("● live")
    });
    tui.send("q");
    assert!(tui.wait_exit().success());
    tui.wait_restored();
}

#[tokio::test]
async fn a_refused_token_stops_the_tail_not_the_ui() {
    let (_sim, _server, base, w) = pulled(2).await;
    let case = w.case.to_str().expect("utf-8").to_string();

    let mut env = env();
    env[0] = ("OKTA_API_TOKEN", "00wrong-token");
    let args = [
        "--case",
        &case,
        "--org",
        &base,
        "--follow",
        "--interval",
        "1",
    ];
    let mut tui = Tui::spawn_env(&args, w.tmp.path(), &env);
    let s = tui.wait_for("the tail stopped", |s| s.contains("tail stopped"));
    assert!(s.contains("Okta rejected the API token"), "{s}");
    assert!(
        !s.contains("00wrong-token"),
        "the token is never shown: {s}"
    );
    // The UI still answers.
    tui.send("/*\r");
    tui.wait_for("the events", |s| {
        pty::top(s).starts_with("Findings > / *") && s.contains("* · 2 events")
    });
    tui.send("q");
    assert!(tui.wait_exit().success());
}
