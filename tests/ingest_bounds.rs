//! Ingest under stress: Ctrl-C, a pipe that never ends, many small files,
//! a record larger than the cap.

mod common;

use common::{World, numbered_events, parse_ndjson};
use serde_json::Value;
use std::io::Write;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Spaces, then a newline: a blank line the ingest skips. Written after
/// the events, it makes `write_all` return only once the child has read
/// the events out of the pipe (a pipe holds 64 KiB): no sleep, no race.
fn blank_line_longer_than_a_pipe() -> Vec<u8> {
    let mut b = vec![b' '; 512 * 1024];
    b.push(b'\n');
    b
}

/// `okhunt ingest [ARGS] -` reading a pipe the test keeps open.
fn ingest_from_pipe(w: &World, args: &[&str], envs: &[(&str, &str)]) -> (Child, ChildStdin) {
    let mut cmd = w.std_cmd(["ingest"].iter().chain(args).chain(&["-"]));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn okhunt");
    let stdin = child.stdin.take().expect("stdin");
    (child, stdin)
}

fn signal(child: &Child, sig: &str) {
    let status = std::process::Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .expect("run kill");
    assert!(status.success());
}

fn case_json(w: &World) -> Value {
    let text = std::fs::read_to_string(w.case.join("case.json")).expect("case.json");
    serde_json::from_str(&text).expect("case.json is JSON")
}

/// Stop an ingest that has read `n` events from a pipe still open, with
/// `sig`; it must keep them, exit `code` and record the batch interrupted.
fn stops_on(sig: &str, code: i32) {
    const N: usize = 300;
    let w = World::new();
    let (child, mut stdin) = ingest_from_pipe(&w, &[], &[]);
    stdin
        .write_all(numbered_events(N).as_bytes())
        .expect("write events");
    stdin
        .write_all(&blank_line_longer_than_a_pipe())
        .expect("write padding");
    stdin.flush().expect("flush");

    let asked = Instant::now();
    signal(&child, sig);
    let r = common::Run::from_output(child.wait_with_output().expect("wait"));
    // It notices within ~100 ms even though the pipe stays open (debug
    // builds and a busy machine get room).
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );
    drop(stdin);
    r.code(code).stderr_has(
        "interrupted: everything read so far is kept; run the same command again to finish (duplicates are skipped)",
    );
    assert_eq!(r.summary().added, N as u64, "{}", r.stderr);
    assert_eq!(w.all_events().len(), N);
    let meta = case_json(&w);
    let batch = &meta["ingests"][0];
    assert_eq!(batch["interrupted"], true, "{meta}");
    assert!(batch["finished"].is_string(), "{meta}");
    assert_eq!(batch["added"], N as u64, "{meta}");
    let stats = w.run(["stats"]);
    stats.code(0);
    assert!(
        stats
            .stdout
            .contains("(stopped early: run it again to add the rest)"),
        "{}",
        stats.stdout
    );

    // Running it again finishes the job: what is in is a duplicate.
    let again = w.run_stdin(["ingest", "-"], numbered_events(N + 5));
    again.code(0);
    let s = again.summary();
    assert_eq!((s.added, s.duplicates), (5, N as u64));
    assert_eq!(case_json(&w)["ingests"][1]["interrupted"], false);
}

#[test]
fn ctrl_c_keeps_what_was_read_from_an_open_pipe_and_exits_130() {
    stops_on("INT", 130);
}

#[test]
fn sigterm_stops_the_same_way_and_exits_143() {
    stops_on("TERM", 143);
}

#[test]
fn an_idle_pipe_is_committed_by_the_timer_while_the_ingest_runs() {
    const N: usize = 40;
    let w = World::new();
    let (mut child, mut stdin) = ingest_from_pipe(&w, &[], &[("OKHUNT_COMMIT_SECS", "0.5")]);
    stdin
        .write_all(numbered_events(N).as_bytes())
        .expect("write events");
    stdin.flush().expect("flush");

    // Nothing more comes, and the pipe stays open: the events must still
    // become searchable.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = w.run(["search", "--format", "ndjson"]);
        if r.code == 0 && parse_ndjson(&r.stdout).len() == N {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the events were never committed while the pipe was idle"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "the ingest should still be running"
    );

    // Closing the pipe ends the ingest normally.
    drop(stdin);
    let r = common::Run::from_output(child.wait_with_output().expect("wait"));
    r.code(0).stderr_lacks("interrupted");
    assert_eq!(r.summary().added, N as u64);
    assert_eq!(case_json(&w)["ingests"][0]["interrupted"], false);
}

/// A small Okta event (the fixture events are ~1.7 KB each, which makes
/// 30,000 of them slow in a debug build).
fn small_event(i: usize) -> String {
    format!(
        concat!(
            r#"{{"uuid":"00000000-0000-4000-8000-{:012}","published":"2024-01-01T00:{:02}:{:02}.000Z","#,
            r#""eventType":"user.session.start","actor":{{"id":"00u{}","alternateId":"u{}@acme.com"}},"#,
            r#""outcome":{{"result":"SUCCESS"}}}}"#,
            "\n"
        ),
        i,
        i / 60 % 60,
        i % 60,
        i % 50,
        i % 50
    )
}

#[test]
fn ten_thousand_small_files_all_land() {
    const FILES: usize = 10_000;
    const PER_FILE: usize = 3;
    const EVENTS: usize = FILES * PER_FILE;
    let w = World::new();
    let dir = w.path("export");
    for f in 0..FILES {
        let text: String = (f * PER_FILE..(f + 1) * PER_FILE)
            .map(small_event)
            .collect();
        // Spread over subdirectories, as an export by day would be.
        w.write(&format!("export/{:02}/part-{f:05}.json", f % 37), text);
    }
    let started = Instant::now();
    let r = w.ingest([&dir]);
    r.code(0);
    let s = r.summary();
    assert_eq!(s.files, FILES as u64);
    assert_eq!(
        (s.read, s.added, s.skipped),
        (EVENTS as u64, EVENTS as u64, 0)
    );
    eprintln!("{FILES} files ingested in {:?}", started.elapsed());
    let uuids = w.csv_uuids(Vec::<String>::new());
    let distinct: std::collections::BTreeSet<&String> = uuids.iter().collect();
    assert_eq!((uuids.len(), distinct.len()), (EVENTS, EVENTS));
}

/// The child's peak resident memory (kB), sampled from /proc until it exits.
fn sample_peak(pid: u32, done: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = 0;
        let path = format!("/proc/{pid}/status");
        while !done.load(Ordering::Relaxed) {
            if let Ok(status) = std::fs::read_to_string(&path) {
                let hwm = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
                peak = peak.max(hwm.unwrap_or(0));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        peak
    })
}

/// One valid event, a record of `big` bytes, another valid event.
fn write_with_a_huge_record(out: &mut dyn Write, big: usize) -> std::io::Result<()> {
    let events = numbered_events(2);
    let mut lines = events.lines();
    writeln!(out, "{}", lines.next().unwrap_or_default())?;
    out.write_all(b"{\"junk\":\"")?;
    let chunk = vec![b'a'; 1024 * 1024];
    for _ in 0..big / chunk.len() {
        out.write_all(&chunk)?;
    }
    out.write_all(b"\"}\n")?;
    writeln!(out, "{}", lines.next().unwrap_or_default())
}

fn assert_huge_record_skipped(r: &common::Run, source: &str) {
    r.code(0);
    let s = r.summary();
    assert_eq!((s.read, s.added, s.skipped), (2, 2, 1), "{}", r.stderr);
    r.stderr_has(&format!("{source}:2: record larger than 64 MiB, skipped"));
}

#[test]
fn a_record_over_the_cap_between_events_in_a_file_is_skipped() {
    let w = World::new();
    let path = w.path("huge.ndjson");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    write_with_a_huge_record(&mut f, 70 * 1024 * 1024).expect("write");
    f.flush().expect("flush");
    drop(f);
    let r = w.ingest([&path]);
    assert_huge_record_skipped(&r, &path.display().to_string());
    assert_eq!(w.all_events().len(), 2);
}

#[test]
fn a_200_mb_record_on_stdin_is_skipped_in_bounded_memory() {
    const BIG: usize = 200 * 1024 * 1024;
    let w = World::new();
    // A small writer heap, so what is measured is the reading.
    let small = ["--threads", "1", "--heap-mib", "16"];
    let (child, mut stdin) = ingest_from_pipe(&w, &small, &[]);
    let done = Arc::new(AtomicBool::new(false));
    let sampler = sample_peak(child.id(), Arc::clone(&done));
    let writer = std::thread::spawn(move || {
        write_with_a_huge_record(&mut stdin, BIG).expect("write to the pipe");
    });
    writer.join().expect("writer");
    let r = common::Run::from_output(child.wait_with_output().expect("wait"));
    done.store(true, Ordering::Relaxed);
    let peak_kb = sampler.join().expect("sampler");
    assert_huge_record_skipped(&r, "<stdin>");
    // About 35 MB to start and at most one 64 MiB record held: far below
    // the 200 MB the record would take if it were read whole.
    eprintln!("peak resident memory: {} MB", peak_kb / 1024);
    assert!(peak_kb > 0, "no memory sample was taken");
    assert!(peak_kb < 160 * 1024, "peak {} MB", peak_kb / 1024);
    assert_eq!(w.all_events().len(), 2);
}
