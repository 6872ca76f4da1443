//! `okhunt ingest` on bad input: every problem reported as FILE:LINE: reason,
//! good neighbours kept, exit codes that scripts can trust.

mod common;

use common::{
    Run, Summary, World, fixture, fixture_bytes, gzip, ndjson_line, numbered_events, originals,
    with_uuid,
};
use serde_json::Value;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn name(rel: &str) -> String {
    fixture(rel).display().to_string()
}

/// Exactly these problem lines (after `okhunt: `) for `file`, in order:
/// (line, start of the reason).
fn assert_problems(r: &Run, file: &str, want: &[(u64, &str)]) {
    let got = r.problem_lines(&format!("{file}:"));
    assert_eq!(
        got.len(),
        want.len(),
        "problems for {file}: {got:#?}\n--- stderr\n{}",
        r.stderr
    );
    for (g, (line, reason)) in got.iter().zip(want) {
        let prefix = format!("{file}:{line}: {reason}");
        assert!(g.starts_with(&prefix), "wanted {prefix:?}, got {g:?}");
    }
}

fn bad_line_problems() -> Vec<(u64, &'static str)> {
    vec![
        (2, "invalid JSON: EOF while parsing a string"),
        (4, "not an Okta event: no eventType"),
        (7, "invalid JSON: "),
        (
            8,
            "unusable Okta event: published time 'not a time' is not a timestamp",
        ),
    ]
}

#[test]
fn bad_lines_are_reported_and_their_neighbours_land() {
    let w = World::new();
    let r = w.ingest([fixture("malformed/bad-line.ndjson")]);
    r.code(0);
    assert_problems(&r, &name("malformed/bad-line.ndjson"), &bad_line_problems());
    assert_eq!(r.summary(), Summary::new(1, 3, 3, 0, 4));
    let ev = originals();
    assert_eq!(
        w.all_events(),
        vec![ev[0].clone(), ev[2].clone(), ev[3].clone()]
    );
}

#[test]
fn strict_fails_on_skipped_lines_but_keeps_the_good_ones() {
    let w = World::new();
    let r = w.run([
        "ingest".as_ref(),
        "--strict".as_ref(),
        fixture("malformed/bad-line.ndjson").as_os_str(),
    ]);
    r.code(1);
    assert_problems(&r, &name("malformed/bad-line.ndjson"), &bad_line_problems());
    assert_eq!(r.summary(), Summary::new(1, 3, 3, 0, 4));
    assert_eq!(w.all_events().len(), 3);
    // A clean file under --strict is a success.
    let r = w.run([
        "ingest".as_ref(),
        "--strict".as_ref(),
        fixture("formats/events.ndjson").as_os_str(),
    ]);
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 3, 3, 0));
}

#[test]
fn errors_file_lists_every_problem_line() {
    let w = World::new();
    let errors = w.path("errors.txt");
    let r = w.run([
        "ingest".as_ref(),
        "--errors".as_ref(),
        errors.as_os_str(),
        fixture("malformed/bad-line.ndjson").as_os_str(),
        fixture("malformed/users.csv").as_os_str(),
    ]);
    r.code(1);
    let text = std::fs::read_to_string(&errors).expect("errors file");
    let lines: Vec<&str> = text.lines().collect();
    let bad = name("malformed/bad-line.ndjson");
    assert_eq!(lines.len(), 5, "{text}");
    for (l, (n, reason)) in lines.iter().zip(bad_line_problems()) {
        assert!(l.starts_with(&format!("{bad}:{n}: {reason}")), "{l}");
    }
    assert_eq!(
        lines[4],
        format!(
            "{}: not Okta data: starts with 'u', not JSON; skipped",
            name("malformed/users.csv")
        )
    );
    // The file says exactly what stderr said.
    let shown: Vec<&str> = r
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("okhunt: "))
        .filter(|l| l.starts_with(env!("CARGO_MANIFEST_DIR")))
        .collect();
    assert_eq!(shown, lines);
}

#[test]
fn truncated_array_keeps_the_complete_elements() {
    let w = World::new();
    let r = w.ingest([fixture("malformed/truncated.json")]);
    r.code(0);
    assert_problems(
        &r,
        &name("malformed/truncated.json"),
        &[(197, "truncated: the input ends inside this JSON value")],
    );
    assert_eq!(r.summary(), Summary::new(1, 2, 2, 0, 1));
    let ev = originals();
    assert_eq!(w.all_events(), vec![ev[0].clone(), ev[1].clone()]);
}

#[test]
fn invalid_utf8_costs_only_its_line() {
    let w = World::new();
    let r = w.ingest([fixture("malformed/invalid-utf8.ndjson")]);
    r.code(0);
    assert_problems(
        &r,
        &name("malformed/invalid-utf8.ndjson"),
        &[(2, "invalid JSON: invalid UTF-8")],
    );
    assert_eq!(r.summary(), Summary::new(1, 2, 2, 0, 1));
    let ev = originals();
    assert_eq!(w.all_events(), vec![ev[0].clone(), ev[3].clone()]);
}

#[test]
fn files_without_okta_events_fail_the_run_and_add_nothing() {
    let cases: &[(&str, &str)] = &[
        ("malformed/empty.json", "empty file, no Okta events"),
        (
            "malformed/users.csv",
            "not Okta data: starts with 'u', not JSON; skipped",
        ),
        (
            "malformed/image.png",
            "not Okta data: starts with byte 0x89, not JSON; skipped",
        ),
        (
            "malformed/not-okta.json",
            "not Okta data: none of its 1 JSON values is an Okta event; skipped",
        ),
        (
            "malformed/not-okta-array.json",
            "not Okta data: none of its 2 JSON values is an Okta event; skipped",
        ),
    ];
    for (rel, reason) in cases {
        let w = World::new();
        let r = w.ingest([fixture(rel)]);
        r.code(1);
        r.stderr_has(&format!("okhunt: {}: {reason}", name(rel)));
        r.stderr_has("1 of the paths given could not be read or held no Okta events");
        let s = r.summary();
        assert_eq!((s.read, s.added), (0, 0), "{rel}");
        assert_eq!(w.all_events().len(), 0, "{rel}");
    }
}

#[test]
fn a_valid_file_beside_bad_ones_still_lands() {
    let w = World::new();
    let r = w.ingest([
        fixture("malformed/empty.json"),
        fixture("malformed/users.csv"),
        fixture("formats/events.ndjson"),
        fixture("malformed/image.png"),
        fixture("malformed/not-okta.json"),
    ]);
    r.code(1);
    for rel in [
        "malformed/empty.json",
        "malformed/users.csv",
        "malformed/image.png",
        "malformed/not-okta.json",
    ] {
        r.stderr_has(&format!("okhunt: {}: ", name(rel)));
    }
    r.stderr_lacks(&format!("okhunt: {}", name("formats/events.ndjson")));
    r.stderr_has("4 of the paths given could not be read or held no Okta events");
    let s = r.summary();
    assert_eq!((s.files, s.read, s.added, s.duplicates), (5, 6, 6, 0));
    assert_eq!(w.all_events(), originals());
}

#[test]
fn a_missing_path_is_named_and_the_others_still_land() {
    let w = World::new();
    let missing = w.path("no/such/export.json");
    let r = w.ingest([
        fixture("formats/events.ndjson"),
        missing.clone(),
        fixture("formats/api-array.json"),
    ]);
    r.code(1);
    r.stderr_has(&format!(
        "okhunt: {}: no such file or directory",
        missing.display()
    ));
    r.stderr_has("1 of the paths given could not be read or held no Okta events");
    assert_eq!(r.summary(), Summary::new(2, 12, 6, 6, 0));
    assert_eq!(w.all_events(), originals());
}

#[test]
fn an_empty_directory_fails_the_run() {
    let w = World::new();
    let dir = w.path("empty-dir");
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir");
    let r = w.ingest([dir.clone()]);
    r.code(1);
    r.stderr_has(&format!(
        "okhunt: {}: directory holds no files",
        dir.display()
    ));
}

#[test]
fn a_ten_megabyte_event_lands_whole() {
    let w = World::new();
    let mut big = with_uuid(&originals()[0], "big00000-0000-4000-8000-000000000001");
    let message = "x".repeat(10 * 1024 * 1024);
    big["displayMessage"] = Value::String(message.clone());
    let path = w.write("big.ndjson", ndjson_line(&big));
    let r = w.ingest([&path]);
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 1, 1, 0, 0), "{}", r.stderr);
    let got = w.all_events();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["displayMessage"].as_str().map(str::len),
        Some(message.len())
    );
    assert_eq!(got[0], big);
}

#[test]
fn a_ten_megabyte_garbage_line_costs_only_itself() {
    let w = World::new();
    let ev = originals();
    let mut text: String = ev[..3].iter().map(ndjson_line).collect();
    text.push_str(&"garbage ".repeat(10 * 1024 * 1024 / 8));
    text.push('\n');
    text.extend(ev[3..].iter().map(ndjson_line));
    let path = w.write("garbage.ndjson", text);
    let r = w.ingest([&path]);
    r.code(0);
    assert_problems(
        &r,
        &path.display().to_string(),
        &[(4, "invalid JSON: expected value at line 1 column 1")],
    );
    assert!(
        r.stderr.len() < 4096,
        "the garbage is not echoed: {} bytes",
        r.stderr.len()
    );
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 1));
    assert_eq!(w.all_events(), ev);
}

/// An NDJSON file whose first line is long (a large event) must still be
/// read line by line: a bad line further down costs only itself.
#[test]

fn a_long_first_line_does_not_change_how_bad_lines_are_handled() {
    let w = World::new();
    let mut big = with_uuid(&originals()[0], "big00000-0000-4000-8000-000000000002");
    big["displayMessage"] = Value::String("y".repeat(300_000));
    let mut text = ndjson_line(&big);
    text.push_str(&String::from_utf8(fixture_bytes("malformed/bad-line.ndjson")).expect("utf-8"));
    let path = w.write("long-first.ndjson", text);
    let r = w.ingest([&path]);
    r.code(0);
    // bad-line.ndjson's problems, one line further down.
    let shifted: Vec<(u64, &str)> = bad_line_problems()
        .into_iter()
        .map(|(l, m)| (l + 1, m))
        .collect();
    assert_problems(&r, &path.display().to_string(), &shifted);
    assert_eq!(r.summary(), Summary::new(1, 4, 4, 0, 4));
}

/// A blank first line must not change how the rest of an NDJSON file is read.
#[test]

fn a_blank_first_line_does_not_change_how_bad_lines_are_handled() {
    let w = World::new();
    let mut text = String::from("\n");
    text.push_str(&String::from_utf8(fixture_bytes("malformed/bad-line.ndjson")).expect("utf-8"));
    let path = w.write("blank-first.ndjson", text);
    let r = w.ingest([&path]);
    r.code(0);
    let shifted: Vec<(u64, &str)> = bad_line_problems()
        .into_iter()
        .map(|(l, m)| (l + 1, m))
        .collect();
    assert_problems(&r, &path.display().to_string(), &shifted);
    assert_eq!(r.summary(), Summary::new(1, 3, 3, 0, 4));
}

#[test]
fn crlf_line_endings_are_read_like_lf() {
    let w = World::new();
    let text = String::from_utf8(fixture_bytes("malformed/bad-line.ndjson"))
        .expect("utf-8")
        .replace('\n', "\r\n");
    let path = w.write("crlf.ndjson", text);
    let r = w.ingest([&path]);
    r.code(0);
    assert_problems(&r, &path.display().to_string(), &bad_line_problems());
    assert_eq!(r.summary(), Summary::new(1, 3, 3, 0, 4));
    let ev = originals();
    assert_eq!(
        w.all_events(),
        vec![ev[0].clone(), ev[2].clone(), ev[3].clone()]
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let w = World::new();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(fixture_bytes("formats/events.ndjson"));
    let path = w.write("bom.ndjson", bytes);
    let r = w.ingest([&path]);
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0));
    assert_eq!(w.all_events(), originals());
}

#[test]
fn a_truncated_gzip_keeps_what_was_read() {
    let w = World::new();
    let gz = gzip(numbered_events(200).as_bytes());
    let path = w.write("cut.ndjson.gz", &gz[..gz.len() / 2]);
    let r = w.ingest([&path]);
    r.code(0);
    r.stderr_has(&format!("okhunt: {}: stopped reading: ", path.display()));
    let s = r.summary();
    assert!(s.added > 0 && s.added < 200, "{s:?}");
    assert_eq!(s.read, s.added);
    assert_eq!(s.skipped, 1);
    assert_eq!(w.all_events().len() as u64, s.added);
    // --strict turns the cut into a failure.
    let w = World::new();
    let r = w.run(["ingest".as_ref(), "--strict".as_ref(), path.as_os_str()]);
    r.code(1);
}

#[test]
fn concatenated_gzip_members_are_all_read() {
    let w = World::new();
    let ev = originals();
    let mut bytes = gzip(
        ev[..2]
            .iter()
            .map(ndjson_line)
            .collect::<String>()
            .as_bytes(),
    );
    bytes.extend(gzip(
        ev[2..]
            .iter()
            .map(ndjson_line)
            .collect::<String>()
            .as_bytes(),
    ));
    let path = w.write("multi.gz", bytes);
    let r = w.ingest([&path]);
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0));
    assert_eq!(w.all_events(), ev);
}

#[test]
fn an_empty_array_holds_no_okta_events() {
    let w = World::new();
    let path = w.write("empty-array.json", "[]\n");
    let r = w.ingest([&path]);
    r.code(1);
    r.stderr_has(&format!("okhunt: {}: holds no Okta events", path.display()));
    r.stderr_has("1 of the paths given could not be read or held no Okta events");
}

#[test]
fn a_directory_of_non_okta_files_is_named() {
    let w = World::new();
    let dir = w.path("exports");
    w.write("exports/users.csv", fixture_bytes("malformed/users.csv"));
    w.write(
        "exports/img/image.png",
        fixture_bytes("malformed/image.png"),
    );
    let r = w.ingest([&dir]);
    r.code(1);
    r.stderr_has(&format!(
        "okhunt: {}: not Okta data: starts with byte 0x89",
        dir.join("img/image.png").display()
    ));
    r.stderr_has(&format!(
        "okhunt: {}: not Okta data: starts with 'u'",
        dir.join("users.csv").display()
    ));
    r.stderr_has(&format!("okhunt: {}: holds no Okta events", dir.display()));
    r.stderr_has("1 of the paths given could not be read or held no Okta events");
    assert_eq!(r.summary().files, 2);
}

#[test]
fn the_same_file_twice_on_one_command_line_adds_once() {
    let w = World::new();
    let r = w.ingest_fixtures(&["formats/events.ndjson", "formats/events.ndjson"]);
    assert_eq!(r.summary(), Summary::new(2, 12, 6, 6, 0));
    assert_eq!(w.all_events(), originals());
}

/// NDJSON arriving slowly on a pipe (`zcat x.gz | okhunt ingest -`, a
/// network stream) must be read exactly like the same bytes in a file.
#[test]

fn a_slow_pipe_is_read_like_a_file() {
    let w = World::new();
    let bytes = fixture_bytes("malformed/bad-line.ndjson");
    let mut child = w
        .std_cmd(["ingest", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn okhunt");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&bytes[..100]).expect("write");
        stdin.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(500));
        stdin.write_all(&bytes[100..]).expect("write");
    }
    let r = Run::from_output(child.wait_with_output().expect("wait"));
    r.code(0);
    assert_problems(&r, "<stdin>", &bad_line_problems());
    assert_eq!(r.summary(), Summary::new(1, 3, 3, 0, 4));
}

fn bad_lines_file(w: &World) -> std::path::PathBuf {
    let ev = originals();
    let mut text = ndjson_line(&ev[0]);
    for i in 0..30 {
        text.push_str(&format!("not json {i}\n"));
    }
    text.push_str(&ndjson_line(&ev[1]));
    w.write("thirty-bad.ndjson", text)
}

#[test]
fn only_twenty_problems_are_shown() {
    let w = World::new();
    let path = bad_lines_file(&w);
    let r = w.ingest([&path]);
    r.code(0);
    let shown = r.problem_lines(&format!("{}:", path.display()));
    assert_eq!(shown.len(), 20, "{}", r.stderr);
    for (i, l) in shown.iter().enumerate() {
        assert!(
            l.starts_with(&format!("{}:{}: invalid JSON", path.display(), i + 2)),
            "{l}"
        );
    }
    r.stderr_has("okhunt: 10 more problems not shown; use --errors FILE to list them all");
    assert_eq!(r.summary(), Summary::new(1, 2, 2, 0, 30));
}

#[test]
fn errors_file_holds_all_problems_when_stderr_shows_twenty() {
    let w = World::new();
    let path = bad_lines_file(&w);
    let errors = w.path("errors.txt");
    let r = w.run([
        "ingest".as_ref(),
        "--errors".as_ref(),
        errors.as_os_str(),
        path.as_os_str(),
    ]);
    r.code(0);
    assert_eq!(r.problem_lines(&format!("{}:", path.display())).len(), 20);
    r.stderr_has(&format!(
        "okhunt: 10 more problems written to {}",
        errors.display()
    ));
    let text = std::fs::read_to_string(&errors).expect("errors file");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 30);
    for (i, l) in lines.iter().enumerate() {
        assert!(
            l.starts_with(&format!("{}:{}: invalid JSON", path.display(), i + 2)),
            "{l}"
        );
    }
}

#[test]
fn usage_errors_exit_2_and_create_nothing() {
    let w = World::new();
    let r = w.run(["ingest", "--no-such-flag", "x.json"]);
    r.code(2);
    r.stderr_has("--no-such-flag");
    let r = w.run(["ingest"]);
    r.code(2);
    r.stderr_has("<PATH>");
    let r = w.run(["no-such-command"]);
    r.code(2);
    let r = w.run(["ingest", "--threads", "many", "x.json"]);
    r.code(2);
    assert!(!w.case.exists(), "a usage error must not create the case");
}

#[test]
fn a_foreign_directory_is_not_used_as_a_case() {
    let w = World::new();
    let dir = w.path("my-documents");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("notes.txt"), "mine").expect("write");
    let r = w
        .bare()
        .arg("--case")
        .arg(&dir)
        .arg("ingest")
        .arg(fixture("formats/events.ndjson"))
        .output()
        .expect("run");
    assert_eq!(r.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(
        stderr.contains(&format!("{} is not an okhunt case", dir.display())),
        "{stderr}"
    );
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(entries, vec![std::ffi::OsString::from("notes.txt")]);
}

#[test]
fn an_empty_existing_directory_becomes_a_case() {
    let w = World::new();
    std::fs::create_dir_all(&w.case).expect("mkdir");
    w.ingest_fixtures(&["formats/events.ndjson"]);
    assert_eq!(w.all_events(), originals());
}

/// Wait until the case records an ingest that has not finished: the writer
/// lock is then held.
fn wait_for_running_ingest(w: &World, deadline: Duration) {
    let start = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(w.case.join("case.json")) {
            if let Ok(meta) = serde_json::from_str::<Value>(&text) {
                let running = meta["ingests"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|i| i["finished"].is_null()));
                if running {
                    return;
                }
            }
        }
        assert!(
            start.elapsed() < deadline,
            "the first ingest never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn assert_second_writer_refused(w: &World) {
    let started = Instant::now();
    let r = w.ingest([fixture("formats/events.ndjson")]);
    let took = started.elapsed();
    r.code(1);
    r.stderr_has(&format!(
        "another okhunt process is writing to the case at {}",
        w.case.display()
    ));
    assert!(
        took < Duration::from_secs(10),
        "second writer took {took:?}"
    );
}

#[test]
fn a_second_writer_is_refused_while_the_first_reads_stdin() {
    let w = World::new();
    let ev = originals();
    let mut first = w
        .std_cmd(["ingest", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn okhunt");
    let mut stdin = first.stdin.take().expect("stdin");
    stdin
        .write_all(ndjson_line(&ev[0]).as_bytes())
        .expect("write");
    stdin.flush().expect("flush");
    wait_for_running_ingest(&w, Duration::from_secs(20));

    assert_second_writer_refused(&w);

    // The first goes on undisturbed.
    let rest: String = ev[1..].iter().map(ndjson_line).collect();
    stdin.write_all(rest.as_bytes()).expect("write");
    drop(stdin);
    let r = Run::from_output(first.wait_with_output().expect("wait"));
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0));
    assert_eq!(w.all_events(), ev);
    // The refused run left no trace in the history.
    let meta: Value =
        serde_json::from_slice(&std::fs::read(w.case.join("case.json")).expect("case.json"))
            .expect("json");
    assert_eq!(meta["ingests"].as_array().map(Vec::len), Some(1), "{meta}");
}

#[test]
fn a_killed_ingest_is_marked_interrupted_and_frees_the_case() {
    let w = World::new();
    w.ingest_fixtures(&["formats/api-array.json"]);
    let mut first = w
        .std_cmd(["ingest", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn okhunt");
    let mut stdin = first.stdin.take().expect("stdin");
    stdin
        .write_all(numbered_events(10).as_bytes())
        .expect("write");
    stdin.flush().expect("flush");
    wait_for_running_ingest(&w, Duration::from_secs(20));
    first.kill().expect("kill");
    first.wait().expect("wait");
    drop(stdin);

    let s = w.run(["stats"]);
    s.code(0);
    let interrupted: Vec<&str> = s
        .stdout
        .lines()
        .filter(|l| l.contains("(interrupted)"))
        .collect();
    assert_eq!(interrupted.len(), 1, "{}", s.stdout);
    assert!(
        interrupted[0].trim_start().starts_with("ingest #2 "),
        "{}",
        s.stdout
    );
    // The lock died with the process: the next ingest runs, as batch 3.
    let r = w.ingest([w.write("ten.ndjson", numbered_events(10))]);
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 10, 10, 0, 0));
    assert_eq!(w.all_events().len(), 16);
    let meta: Value =
        serde_json::from_slice(&std::fs::read(w.case.join("case.json")).expect("case.json"))
            .expect("json");
    let batches: Vec<(u64, bool)> = meta["ingests"]
        .as_array()
        .expect("ingests")
        .iter()
        .map(|i| {
            (
                i["batch"].as_u64().expect("batch"),
                i["finished"].is_string(),
            )
        })
        .collect();
    assert_eq!(batches, vec![(1, true), (2, false), (3, true)]);
}

#[test]
fn a_second_writer_is_refused_during_a_large_ingest() {
    // A few seconds of work; the second writer gives up after waiting 3 s.
    // On a fast machine the first may finish inside that wait: then the
    // second must have waited for it and added its own events, never both
    // writing at once. Either way nothing is lost. (The deterministic
    // refusal is the stdin test above.)
    const EVENTS: usize = 30_000;
    let w = World::new();
    let big = w.write("large.ndjson", numbered_events(EVENTS));
    let first = w
        .std_cmd(["ingest".as_ref(), big.as_os_str()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn okhunt");
    wait_for_running_ingest(&w, Duration::from_secs(20));

    let started = Instant::now();
    let second = w.ingest([fixture("formats/events.ndjson")]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "second writer took {:?}",
        started.elapsed()
    );
    let second_added = if second.code == 0 {
        6
    } else {
        second.code(1);
        second.stderr_has(&format!(
            "another okhunt process is writing to the case at {}",
            w.case.display()
        ));
        0
    };

    let r = Run::from_output(first.wait_with_output().expect("wait"));
    r.code(0);
    let n = EVENTS as u64;
    assert_eq!(r.summary(), Summary::new(1, n, n, 0, 0));
    let stats = w.run(["stats", "--format", "json"]);
    stats.code(0);
    let v: Value = serde_json::from_str(&stats.stdout).expect("stats json");
    assert_eq!(v["events"], n + second_added);
}
