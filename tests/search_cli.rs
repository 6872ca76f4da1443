//! `okhunt search`: queries, time bounds, order, limits and every output
//! format, over the six fixture events.

mod common;

use common::{
    Run, World, csv_column, ndjson_line, numbered_events, originals, parse_ndjson, with_uuid,
};
use serde_json::Value;
use std::io::Read;
use std::process::Stdio;

/// A case holding the six fixture events.
fn case() -> World {
    let w = World::new();
    w.ingest_fixtures(&["formats/events.ndjson"]);
    w
}

/// Where each result sits in events.json (0..6), in output order.
fn positions(results: &[Value]) -> Vec<usize> {
    let ev = originals();
    results
        .iter()
        .map(|r| {
            ev.iter()
                .position(|e| e == r)
                .unwrap_or_else(|| panic!("not an original event: {r}"))
        })
        .collect()
}

/// The positions of the events `search --format ndjson ARGS` returns.
fn found(w: &World, args: &[&str]) -> Vec<usize> {
    positions(&w.search(args))
}

#[test]
fn no_query_returns_everything_oldest_first() {
    let w = case();
    assert_eq!(w.all_events(), originals());
    let published: Vec<String> = w
        .all_events()
        .iter()
        .map(|e| e["published"].as_str().expect("published").to_string())
        .collect();
    let mut sorted = published.clone();
    sorted.sort();
    assert_eq!(published, sorted);
}

#[test]
fn order_does_not_depend_on_ingest_order() {
    let w = World::new();
    let ev = originals();
    let shuffled: String = [4, 1, 5, 0, 3, 2]
        .iter()
        .map(|&i| ndjson_line(&ev[i]))
        .collect();
    let path = w.write("shuffled.ndjson", shuffled);
    w.ingest([&path]).code(0);
    assert_eq!(found(&w, &[]), vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(found(&w, &["--reverse"]), vec![5, 4, 3, 2, 1, 0]);
}

#[test]
fn reverse_and_limit() {
    let w = case();
    assert_eq!(found(&w, &["--reverse"]), vec![5, 4, 3, 2, 1, 0]);
    assert_eq!(found(&w, &["--limit", "2"]), vec![0, 1]);
    assert_eq!(found(&w, &["--reverse", "--limit", "2"]), vec![5, 4]);
    assert_eq!(found(&w, &["--limit", "0"]), Vec::<usize>::new());
    assert_eq!(found(&w, &["--limit", "100"]), vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(
        found(
            &w,
            &["type:user.session.start", "--reverse", "--limit", "1"]
        ),
        vec![3]
    );
}

#[test]
fn since_and_until_in_rfc3339_and_date_forms() {
    let w = case();
    // since is inclusive, until exclusive, both at millisecond precision.
    assert_eq!(
        found(&w, &["--since", "2024-03-12T10:00:00Z"]),
        vec![3, 4, 5]
    );
    assert_eq!(
        found(&w, &["--until", "2024-03-12T10:00:00Z"]),
        vec![0, 1, 2]
    );
    assert_eq!(
        found(&w, &["--since", "2024-03-12T09:00:00.002Z"]),
        vec![2, 3, 4, 5]
    );
    assert_eq!(
        found(&w, &["--until", "2024-03-12T09:00:00.002Z"]),
        vec![0, 1]
    );
    assert_eq!(
        found(
            &w,
            &[
                "--since",
                "2024-03-12T08:02:00Z",
                "--until",
                "2024-03-12T11:30:45Z"
            ]
        ),
        vec![1, 2, 3]
    );
    // Offsets are honoured: 11:00+01:00 is 10:00Z.
    assert_eq!(
        found(&w, &["--since", "2024-03-12T11:00:00+01:00"]),
        vec![3, 4, 5]
    );
    // Dates mean midnight UTC.
    assert_eq!(
        found(&w, &["--since", "2024-03-12"]),
        vec![0, 1, 2, 3, 4, 5]
    );
    assert_eq!(
        found(&w, &["--since", "2024-03-12", "--until", "2024-03-13"]),
        vec![0, 1, 2, 3, 4, 5]
    );
    assert_eq!(found(&w, &["--since", "2024-03-13"]), Vec::<usize>::new());
    assert_eq!(found(&w, &["--until", "2024-03-12"]), Vec::<usize>::new());
    // Combined with a query.
    assert_eq!(
        found(
            &w,
            &[
                "actor:alice.martin@acme.com",
                "--since",
                "2024-03-12T08:02:00Z"
            ]
        ),
        vec![1, 5]
    );
}

#[test]
fn field_queries() {
    let w = case();
    let cases: &[(&str, &[usize])] = &[
        ("type:user.session.start", &[0, 3]),
        ("type:user.session.*", &[0, 3]),
        ("type:user.*", &[0, 1, 3, 4]),
        ("eventType:user.session.start", &[0, 3]),
        ("actor:alice.martin@acme.com", &[0, 1, 5]),
        ("ip:203.0.113.77", &[3]),
        ("ip:\"2001:db8:85a3::8a2e:370:7334\"", &[4]),
        ("ip:198.51.100.0/24", &[0, 1]),
        ("country:Brazil", &[3]),
        ("country:France", &[0, 1]),
        ("outcome:FAILURE", &[3]),
        ("outcome:SUCCESS", &[0, 1, 2, 4]),
        ("target:bob.ng@acme.com", &[4]),
        ("target:Slack", &[1]),
        ("session:102Ds8vXqWkTp6rY1nMzA0bQg", &[0, 1, 5]),
        ("user:bob.ng@acme.com", &[3, 4]),
        ("uuid:8c1d2e42-4a5b-11ee-9c7d-0242ac120002", &[3]),
        ("actor:nobody@acme.com", &[]),
        ("actor:alice*", &[0, 1, 5]),
        ("ACTOR:alice.martin@acme.com", &[0, 1, 5]),
        ("ipAddress:198.51.100.23", &[0, 1]),
        ("ip:203.0.113.*", &[3]),
        ("ip:2001:db8::/32", &[4]),
        ("reason:INVALID_CREDENTIALS", &[3]),
        ("published:[2024-03-12T10:00:00Z TO *]", &[3, 4, 5]),
        ("batch:1", &[0, 1, 2, 3, 4, 5]),
        ("type:\"user.session.start\"", &[0, 3]),
    ];
    for (q, want) in cases {
        assert_eq!(found(&w, &[q]), want.to_vec(), "query {q}");
    }
}

#[test]
fn free_words_match_the_display_message() {
    let w = case();
    assert_eq!(found(&w, &["login"]), vec![0, 3]);
    assert_eq!(found(&w, &["Login"]), vec![0, 3]);
    // Several words must all match, whether given as one argument or many.
    assert_eq!(found(&w, &["reset factors"]), vec![4]);
    assert_eq!(found(&w, &["reset", "factors"]), vec![4]);
    assert_eq!(found(&w, &["login", "factors"]), Vec::<usize>::new());
    assert_eq!(found(&w, &["\"single sign on\""]), vec![1]);
}

#[test]
fn boolean_queries() {
    let w = case();
    assert_eq!(
        found(
            &w,
            &["actor:alice.martin@acme.com AND type:user.session.start"]
        ),
        vec![0]
    );
    assert_eq!(
        found(&w, &["country:Brazil OR country:Ireland"]),
        vec![3, 4]
    );
    assert_eq!(
        found(&w, &["NOT type:user.session.start"]),
        vec![1, 2, 4, 5]
    );
    assert_eq!(found(&w, &["login -outcome:FAILURE"]), vec![0]);
    // A query word starting with '-' needs `--` to get past the flag parser.
    assert_eq!(found(&w, &["--", "login", "-outcome:FAILURE"]), vec![0]);
    assert_eq!(found(&w, &["*"]), vec![0, 1, 2, 3, 4, 5]);
}

#[test]
fn json_format_is_an_array_of_the_originals() {
    let w = case();
    let r = w.run(["search", "--format", "json"]);
    r.code(0);
    let v: Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(v, Value::Array(originals()));
    let r = w.run(["search", "--format", "json", "type:nothing.at.all"]);
    r.code(0);
    let v: Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(v, Value::Array(vec![]));
}

#[test]
fn ndjson_format_is_one_compact_event_per_line() {
    let w = case();
    let r = w.run(["search", "--format", "ndjson"]);
    r.code(0);
    assert_eq!(r.stdout.lines().count(), 6);
    assert!(r.stdout.ends_with('\n'));
    assert_eq!(parse_ndjson(&r.stdout), originals());
    let r = w.run(["search", "--format", "ndjson", "type:nothing.at.all"]);
    r.code(0);
    assert_eq!(r.stdout, "");
}

#[test]
fn csv_format_has_a_header_and_a_row_per_event() {
    let w = case();
    let r = w.run(["search", "--format", "csv"]);
    r.code(0);
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "published,eventType,actor,target,ipAddress,country,city,outcome,sessionId,displayMessage,uuid"
        )
    );
    assert_eq!(lines.count(), 6);
    let ev = originals();
    let col = |name: &str| csv_column(&r.stdout, name);
    assert_eq!(
        col("published"),
        ev.iter()
            .map(|e| e["published"].as_str().expect("published").to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        col("eventType"),
        ev.iter()
            .map(|e| e["eventType"].as_str().expect("eventType").to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        col("ipAddress"),
        vec![
            "198.51.100.23",
            "198.51.100.23",
            "",
            "203.0.113.77",
            "2001:db8:85a3::8a2e:370:7334",
            ""
        ]
    );
    assert_eq!(
        col("country"),
        vec!["France", "France", "", "Brazil", "Ireland", ""]
    );
    assert_eq!(
        col("outcome"),
        vec!["SUCCESS", "SUCCESS", "SUCCESS", "FAILURE", "SUCCESS", ""]
    );
    assert_eq!(col("target")[4], "bob.ng@acme.com");
    assert_eq!(
        col("displayMessage")[5],
        "Push notification sent to user's device"
    );
    let uuids = col("uuid");
    for (u, e) in uuids.iter().zip(&ev).take(5) {
        assert_eq!(Some(u.as_str()), e["uuid"].as_str());
    }
    assert!(uuids[5].starts_with("okhunt-"), "{}", uuids[5]);
    // Only the header when nothing matches.
    let r = w.run(["search", "--format", "csv", "type:nothing.at.all"]);
    r.code(0);
    assert_eq!(r.stdout.lines().count(), 1);
}

/// `okhunt search` in table form, as wide as the environment allows.
fn table(w: &World, args: &[&str]) -> Run {
    let r = Run::from_output(
        w.cmd(std::iter::once("search").chain(args.iter().copied()))
            .env_remove("TERM")
            .env("COLUMNS", "300")
            .output()
            .expect("run"),
    );
    r.code(0);
    r
}

/// True when okhunt cannot see a terminal, so COLUMNS decides the width.
fn no_terminal() -> bool {
    std::fs::File::open("/dev/tty").is_err()
}

#[test]
fn table_has_headers_and_a_row_per_event() {
    let w = case();
    let r = table(&w, &[]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", r.stdout);
    assert!(lines[0].starts_with("TIME"), "{}", lines[0]);
    let ev = originals();
    for (line, e) in lines[1..].iter().zip(&ev) {
        // The table shows times to the second.
        let full = e["published"].as_str().expect("published");
        let published = &format!("{}Z", &full[..19]);
        assert!(line.starts_with(published.as_str()), "{line}");
        let ty = e["eventType"].as_str().expect("eventType");
        let cell = line[published.len()..]
            .split_whitespace()
            .next()
            .expect("type cell");
        assert!(
            cell == ty || (cell.ends_with('…') && ty.starts_with(cell.trim_end_matches('…'))),
            "{cell} is not {ty}"
        );
    }
    if no_terminal() {
        for h in [
            "TIME",
            "EVENT TYPE",
            "ACTOR",
            "TARGET",
            "IP",
            "COUNTRY",
            "OUTCOME",
        ] {
            assert!(lines[0].contains(h), "{}", lines[0]);
        }
        for e in &ev {
            let ty = e["eventType"].as_str().expect("eventType");
            assert!(r.stdout.contains(ty), "{ty} missing:\n{}", r.stdout);
        }
        assert!(r.stdout.contains("carol.admin@acme.com"));
        assert!(r.stdout.contains("2001:db8:85a3::8a2e:370:7334"));
        assert!(!r.stdout.contains('…'), "{}", r.stdout);
    }
}

#[test]
fn table_says_when_rows_are_cut_or_nothing_matches() {
    let w = case();
    let r = table(&w, &["--limit", "2"]);
    assert_eq!(r.stdout.lines().count(), 4, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("(2 of 6 events shown; --limit N or --format ndjson for more)"),
        "{}",
        r.stdout
    );
    let r = table(&w, &["type:nothing.at.all"]);
    assert!(r.stdout.contains("(no events match)"), "{}", r.stdout);
}

#[test]
fn table_shows_hostile_text_inert() {
    let w = World::new();
    let mut e = with_uuid(&originals()[0], "evil0000-0000-4000-8000-000000000001");
    e["actor"]["alternateId"] = Value::String("mallory\u{1b}]0;pwned\u{7}@acme.com".into());
    e["eventType"] = Value::String("user.session.start\u{202e}txt".into());
    let path = w.write("evil.ndjson", ndjson_line(&e));
    w.ingest([&path]).code(0);
    let r = table(&w, &[]);
    assert!(!r.stdout.contains('\u{1b}'), "raw ESC reached the terminal");
    assert!(!r.stdout.contains('\u{7}'), "raw BEL reached the terminal");
    assert!(
        !r.stdout.contains('\u{202e}'),
        "raw bidi override reached the terminal"
    );
    if no_terminal() {
        assert!(
            r.stdout.contains("mallory\\x1b]0;pwned\\x07@acme.com"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("user.session.start\\u{202e}txt"),
            "{}",
            r.stdout
        );
    }
    // Machine formats keep the original bytes.
    assert_eq!(w.all_events(), vec![e]);
}

#[test]
fn bad_time_bound_is_a_usage_error() {
    let w = case();
    let r = w.run(["search", "--since", "yesterday"]);
    r.code(2);
    r.stderr_has("--since: cannot read time 'yesterday'");
    assert_eq!(r.stdout, "");
    let r = w.run(["search", "--until", "2024-13-45"]);
    r.code(2);
    r.stderr_has("--until: cannot read time '2024-13-45'");
}

#[test]
fn query_syntax_error_is_a_usage_error_with_a_column() {
    let w = case();
    let r = w.run(["search", "actor:("]);
    r.code(2);
    assert_eq!(r.stdout, "");
    let first = r.stderr.lines().next().expect("a message");
    assert_eq!(
        first,
        "okhunt: query error at column 8: unbalanced parenthesis: missing ')'"
    );
    let r = w.run(["search", "type:user.session.start AND"]);
    r.code(2);
    r.stderr_has("query error at column 25: AND needs a term on its right");
    let r = w.run(["search", "nosuchfield:x"]);
    r.code(2);
    r.stderr_has("query error at column 1: unknown field 'nosuchfield'");
    let r = w.run(["search", "ip:not-an-ip"]);
    r.code(2);
    r.stderr_has("query error at column ");
}

#[test]
fn other_usage_errors_exit_2() {
    let w = case();
    w.run(["search", "--no-such-flag"]).code(2);
    w.run(["search", "--format", "xml"]).code(2);
    w.run(["search", "--limit", "-1"]).code(2);
    w.run(["search", "--limit", "many"]).code(2);
}

#[test]
fn search_without_a_case_says_to_ingest_first() {
    let w = World::new();
    let r = w.run(["search", "login"]);
    r.code(1);
    r.stderr_has(&format!(
        "no case at {}: ingest events first (okhunt ingest --case {} FILE)",
        w.case.display(),
        w.case.display()
    ));
    assert!(!w.case.exists(), "search must not create a case");
}

#[test]
fn search_in_a_foreign_directory_is_refused() {
    let w = World::new();
    std::fs::create_dir_all(&w.case).expect("mkdir");
    std::fs::write(w.case.join("notes.txt"), "mine").expect("write");
    let r = w.run(["search"]);
    r.code(1);
    r.stderr_has("is not an okhunt case");
}

#[test]
fn search_sees_events_ingested_later() {
    let w = case();
    let extra = with_uuid(&originals()[3], "later000-0000-4000-8000-000000000001");
    let path = w.write("later.ndjson", ndjson_line(&extra));
    w.ingest([&path]).code(0);
    assert_eq!(w.search(["country:Brazil"]).len(), 2);
}

/// `okhunt search | head -1`: the reader goes away early. That is not an
/// error: exit 0, nothing on stderr.
#[test]

fn a_reader_that_stops_early_is_not_an_error() {
    let w = World::new();
    // Well over the 1 MiB output buffer plus a pipe's worth, in every format.
    let path = w.write("many.ndjson", numbered_events(8_000));
    w.ingest([&path]).code(0);
    for format in ["ndjson", "json", "csv", "table"] {
        let mut child = w
            .std_cmd(["search", "--format", format, "--limit", "8000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn okhunt");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 64];
        stdout.read_exact(&mut first).expect("some output");
        drop(stdout);
        let r = Run::from_output(child.wait_with_output().expect("wait"));
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (0, ""),
            "--format {format} after the reader left"
        );
    }
}
