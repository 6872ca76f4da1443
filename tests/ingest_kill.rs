//! Crash safety: an ingest SIGKILLed at any point leaves a case that opens,
//! holds no duplicate, and is completed by running the same command again.
//! (`scripts/kill-test` is the long version: 1M events, 20 random kills.)

mod common;

use common::{Run, World, csv_column};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Enough for several commits per run at the interval set below; a debug
/// build ingests it in about 3 s on 2 cores, so every kill lands mid-run.
const EVENTS: usize = 30_000;
/// Kills land while opening the case, while reading, and while committing
/// (a commit every 250 ms, so some land inside one).
const KILL_AFTER_MS: [u64; 3] = [200, 1_000, 2_200];

/// The uuid of every line of an NDJSON file from `okhunt generate`.
fn source_uuids(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read the generated source");
    text.lines()
        .map(|l| {
            let start = l
                .find("\"uuid\":\"")
                .expect("a generated event without uuid")
                + 8;
            let len = l[start..].find('"').expect("unterminated uuid");
            l[start..start + len].to_string()
        })
        .collect()
}

/// Every uuid in the case, from `okhunt search --format csv` (which must
/// work: the case opens).
fn case_uuids(w: &World) -> Vec<String> {
    let r = w.run(["search", "--format", "csv"]);
    r.code(0);
    csv_column(&r.stdout, "uuid")
}

fn ingest_cmd(w: &World, src: &Path) -> std::process::Command {
    let mut c = w.std_cmd(["ingest".as_ref(), src.as_os_str()]);
    c.env("OKHUNT_COMMIT_SECS", "0.25")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

#[test]
fn sigkilled_ingests_then_one_more_run_hold_exactly_the_source() {
    let w = World::new();
    let src = w.path("tenant.ndjson");
    let users = (EVENTS / 500).max(50).to_string();
    let events = EVENTS.to_string();
    w.bare()
        .args(["generate", "--users", &users, "--days", "7", "--seed", "7"])
        .args(["--events", &events, "--out"])
        .arg(&src)
        .assert()
        .success();
    let want = source_uuids(&src);
    assert_eq!(want.len(), EVENTS);
    let want: BTreeSet<String> = want.into_iter().collect();
    assert_eq!(want.len(), EVENTS, "the generator repeated a uuid");

    let mut held = 0;
    for (i, ms) in KILL_AFTER_MS.iter().enumerate() {
        let started = Instant::now();
        let mut child = ingest_cmd(&w, &src).spawn().expect("spawn okhunt");
        std::thread::sleep(Duration::from_millis(*ms));
        let finished_early = child.try_wait().expect("try_wait").is_some();
        child.kill().expect("SIGKILL");
        let killed_at = started.elapsed();
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("another okhunt process"),
            "run {i}: the lock of the killed run before it was not released:\n{stderr}"
        );
        assert!(
            !finished_early,
            "run {i} finished before the kill at {ms} ms: raise EVENTS"
        );
        let got = case_uuids(&w);
        let distinct: BTreeSet<&String> = got.iter().collect();
        assert_eq!(distinct.len(), got.len(), "kill {i}: duplicate uuids");
        assert!(got.len() <= EVENTS, "kill {i}: {} events", got.len());
        assert!(
            distinct.iter().all(|u| want.contains(*u)),
            "kill {i}: an event that is not in the source"
        );
        assert!(got.len() >= held, "kill {i}: the case lost events");
        held = got.len();
        eprintln!(
            "kill {} after {killed_at:?}: the case holds {held} of {EVENTS} events",
            i + 1
        );
    }

    // The run after the last kill must not wait for the dead writer's lock.
    let started = Instant::now();
    let r = Run::from_output(
        ingest_cmd(&w, &src)
            .output()
            .expect("run okhunt to completion"),
    );
    r.code(0).stderr_lacks("another okhunt process");
    let s = r.summary();
    assert_eq!(s.read, EVENTS as u64);
    assert_eq!(s.added + s.duplicates, EVENTS as u64);
    assert_eq!(s.duplicates, held as u64, "{}", r.stderr);
    eprintln!("final run: {} added in {:?}", s.added, started.elapsed());

    let got = case_uuids(&w);
    assert_eq!(got.len(), EVENTS, "no duplicates, none missing");
    let got: BTreeSet<String> = got.into_iter().collect();
    assert_eq!(got, want);
}

#[test]
fn a_writer_lock_left_by_a_sigkilled_ingest_is_free_at_once() {
    let w = World::new();
    let src = w.write("many.ndjson", common::numbered_events(20_000));
    let mut child = ingest_cmd(&w, &src).spawn().expect("spawn okhunt");
    // Wait until it holds the lock (its batch is in case.json), then kill.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(w.case.join("case.json")).is_ok_and(|t| t.contains("\"batch\""))
    {
        assert!(Instant::now() < deadline, "the ingest never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");

    // tantivy's lock is an OS file lock, released when its holder dies; a
    // stale one would make this run wait 3 s and fail as "busy".
    let r = w.ingest([common::fixture("formats/events.ndjson")]);
    r.code(0).stderr_lacks("another okhunt process");
    assert_eq!(r.summary().added, 6);
}
