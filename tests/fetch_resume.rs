//! Interrupted pulls: a connection cut mid-body, a pull that gives up, a
//! kill -9, a Ctrl-C. Whatever happens, the next run ends with every
//! event in the case exactly once. Also `--follow` and a live tail driven
//! from a plain thread, as the TUI will.

mod common;
mod fetch_sim;

use common::{Run, World};
use fetch_sim::{Fault, Sim, TOKEN, case_ids, events, fetch, fetch_cmd, ids, state, summary};
use okhunt::fetch::{
    BlockingFetcher, CaseSink, ClientOptions, FetchConfig, FetchProgress, Fetcher, Org, PageSink,
    Token,
};
use serde_json::json;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_retried() {
    let sim = Sim::new(3);
    let evs = events("d", "2024-03-01T10:00:00Z", 7);
    sim.add(evs.clone());
    sim.fault(1, Fault::DropMidBody);
    let base = sim.serve_raw();
    let w = World::new();

    let r = fetch(
        &w,
        &[
            "--org",
            &base,
            "--since",
            "2024-03-01",
            "--until",
            "2024-03-02",
        ],
        &[],
    );
    r.code(0)
        .stderr_has("the connection dropped while the page was read");
    assert_eq!(case_ids(&w), ids(&evs));
    let log = sim.log();
    assert_eq!(log.len(), 4, "{log:#?}");
    assert_eq!(log[2].url, log[1].url, "the cut page is asked again");
    assert_eq!(summary(&r), (3, 7, 7, 0, 0));
}

#[tokio::test]
async fn giving_up_midway_keeps_a_resumable_case() {
    let sim = Sim::new(3);
    let evs = events("g", "2024-03-01T10:00:00Z", 10);
    sim.add(evs.clone());
    for n in 2..5 {
        sim.fault(
            n,
            Fault::Status(
                503,
                json!({"errorCode": "E0000009", "errorSummary": "Service Unavailable"}),
            ),
        );
    }
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let r = fetch(
        &w,
        &["--org", &base, "--since", "2024-03-01"],
        &[("OKHUNT_FETCH_ATTEMPTS", "3")],
    );
    r.code(1)
        .stderr_has("okhunt: gave up after 3 attempts: HTTP 503: Okta says \"Service Unavailable: E0000009\"")
        .stderr_has(&format!("run okhunt fetch --org {base} again (without --since) to continue"));
    assert_eq!(case_ids(&w), ids(&evs[..6]));
    assert_eq!(
        state(&w)["cursors"][0]["position"],
        json!("2024-03-01T10:05:00Z")
    );
    assert_eq!(sim.requests(), 5);

    let r = fetch(&w, &["--org", &base], &[]);
    r.code(0);
    assert_eq!(
        sim.log()[5].param("since").as_deref(),
        Some("2024-03-01T10:03:00.000Z")
    );
    assert_eq!(case_ids(&w), ids(&evs));
    let (_, _, added, dups, _) = summary(&r);
    assert_eq!((added, dups), (4, 3));
}

/// Start a pull whose third request hangs; return once the first two
/// pages are in (the third request is only sent after they are committed).
fn start_hanging_pull(sim: &Sim, w: &World, base: &str) -> std::process::Child {
    sim.fault(2, Fault::Delay(Duration::from_secs(60)));
    let child = fetch_cmd(w, &["--org", base, "--since", "2024-03-01"], &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn okhunt fetch");
    wait_until("the third request", || sim.requests() >= 3);
    child
}

#[tokio::test]
async fn kill_9_midway_then_the_next_run_has_every_event_once() {
    let sim = Sim::new(3);
    let evs = events("k", "2024-03-01T10:00:00Z", 10);
    sim.add(evs.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let mut child = start_hanging_pull(&sim, &w, &base);
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert_eq!(
        case_ids(&w),
        ids(&evs[..6]),
        "the committed pages survive kill -9"
    );

    fetch(&w, &["--org", &base], &[]).code(0);
    assert_eq!(case_ids(&w), ids(&evs));
    // And once more: nothing new.
    let r = fetch(&w, &["--org", &base], &[]);
    r.code(0);
    assert_eq!(summary(&r).2, 0);
    assert_eq!(case_ids(&w), ids(&evs));
}

#[cfg(unix)]
fn interrupt(child: &std::process::Child) {
    let ok = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(ok.success());
}

#[cfg(unix)]
#[tokio::test]
async fn ctrl_c_stops_cleanly_and_the_next_run_continues() {
    let sim = Sim::new(3);
    let evs = events("c", "2024-03-01T10:00:00Z", 10);
    sim.add(evs.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let child = start_hanging_pull(&sim, &w, &base);
    interrupt(&child);
    let r = Run::from_output(child.wait_with_output().expect("wait"));
    r.code(130).stderr_has("okhunt: interrupted");
    assert_eq!(summary(&r), (2, 6, 6, 0, 0));
    assert_eq!(case_ids(&w), ids(&evs[..6]));
    // The interrupted run is in the history, finished.
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.case.join("case.json")).expect("meta"))
            .expect("json");
    assert_eq!(meta["ingests"][0]["added"], json!(6));
    assert!(meta["ingests"][0]["finished"].is_string());

    fetch(&w, &["--org", &base], &[]).code(0);
    assert_eq!(case_ids(&w), ids(&evs));
}

#[cfg(unix)]
#[tokio::test]
async fn follow_polls_the_saved_next_link_until_ctrl_c() {
    let sim = Sim::new(3);
    let first = events("f", "2024-03-01T10:00:00Z", 4);
    sim.add(first.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let args = [
        "--org",
        base.as_str(),
        "--since",
        "2024-03-01",
        "--follow",
        "--interval",
        "1",
    ];
    let child = fetch_cmd(&w, &args, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // 3 + 1 events, the empty page, then at least one poll a second later.
    wait_until("a poll after catching up", || sim.requests() >= 4);
    let later = events("g", "2024-03-01T11:00:00Z", 2);
    sim.add(later.clone());
    wait_until("the new events in the case", || {
        fetch_sim::case_events(&w).len() == 6
    });
    interrupt(&child);
    let r = Run::from_output(child.wait_with_output().expect("wait"));
    r.code(0).stderr_has("caught up; polling every 1s");
    let all: std::collections::BTreeSet<String> =
        ids(&first).union(&ids(&later)).cloned().collect();
    assert_eq!(case_ids(&w), all);
    let log = sim.log();
    // The poll asks the link the empty page gave, a second later.
    assert_eq!(log[3].url, log[2].url);
    assert!(log[3].at.duration_since(log[2].at).expect("ordered") >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_plain_thread_can_tail_the_saved_link() {
    let sim = Sim::new(2);
    let first = events("t", "2024-03-01T10:00:00Z", 3);
    sim.add(first.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();
    fetch(&w, &["--org", &base, "--since", "2024-03-01"], &[]).code(0);
    let next = state(&w)["cursors"][0]["next"]
        .as_str()
        .expect("saved next link")
        .to_string();
    let later = events("u", "2024-03-01T12:00:00Z", 3);
    sim.add(later.clone());
    let seen_before = sim.requests();

    // What the TUI's tail thread does: poll the saved link, then read on
    // until an empty page, writing each page into the case.
    let root = w.case.clone();
    let sizes = std::thread::spawn(move || {
        let token = Token::resolve_with(None, &|v: &str| {
            (v == "OKTA_API_TOKEN").then(|| TOKEN.to_string())
        })
        .expect("token");
        let cfg = FetchConfig {
            org: Org::parse(&base).expect("org"),
            token,
            filter: None,
            query: None,
            since: "2024-03-01T00:00:00Z".parse().expect("time"),
            until: None,
            client: ClientOptions::default(),
        };
        let progress = Arc::new(FetchProgress::new(None));
        let fetcher = Fetcher::tail(&cfg, &next, Arc::clone(&progress)).expect("tail");
        let mut f = BlockingFetcher::new(fetcher).expect("runtime");
        let mut sink = CaseSink::new(root, cfg.sink_plan(), progress);
        let mut sizes = Vec::new();
        let page = f.poll_once().expect("poll");
        sink.write_page(&page).expect("write");
        sizes.push(page.events.len());
        while let Some(page) = f.next_page().expect("page") {
            sink.write_page(&page).expect("write");
            sizes.push(page.events.len());
        }
        assert!(f.fetcher().is_caught_up());
        sink.finish().expect("finish");
        sizes
    })
    .join()
    .expect("tail thread");
    assert_eq!(sizes, vec![2, 1, 0]);
    assert_eq!(sim.requests() - seen_before, 3);
    assert_eq!(
        case_ids(&w),
        ids(&first).union(&ids(&later)).cloned().collect()
    );
    assert_eq!(
        state(&w)["cursors"][0]["position"],
        json!("2024-03-01T12:02:00Z")
    );
}
