//! `okhunt stats`: what a case holds, and one user's activity.

mod common;

use common::{World, fixture, ndjson_line, originals, with_uuid};
use serde_json::{Value, json};
use std::process::Stdio;

fn case() -> World {
    let w = World::new();
    w.ingest_fixtures(&["formats/events.ndjson"]);
    w
}

fn stats_json(w: &World, args: &[&str]) -> Value {
    let r = w.run(
        ["stats", "--format", "json"]
            .into_iter()
            .chain(args.iter().copied()),
    );
    r.code(0);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", r.stdout))
}

/// (value, count) of each row of a top list.
fn counts(v: &Value) -> Vec<(String, u64)> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|row| {
            (
                row["value"].as_str().expect("value").to_string(),
                row["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

fn pairs(want: &[(&str, u64)]) -> Vec<(String, u64)> {
    want.iter().map(|(v, c)| (v.to_string(), *c)).collect()
}

#[test]
fn case_stats_as_json() {
    let w = case();
    let s = stats_json(&w, &[]);
    assert_eq!(s["events"], 6);
    assert_eq!(s["actor"], Value::Null);
    assert_eq!(s["first"], "2024-03-12T08:01:12.345Z");
    assert_eq!(s["last"], "2024-03-12T12:00:00.500Z");
    assert_eq!(
        counts(&s["event_types"]),
        pairs(&[
            ("user.session.start", 2),
            ("system.import.start", 1),
            ("system.push.send_factor_verify_push", 1),
            ("user.authentication.sso", 1),
            ("user.mfa.factor.reset_all", 1),
        ])
    );
    assert_eq!(
        counts(&s["actors"]),
        pairs(&[
            ("alice.martin@acme.com", 3),
            ("bob.ng@acme.com", 1),
            ("carol.admin@acme.com", 1),
            ("system@okta.com", 1),
        ])
    );
    assert_eq!(
        counts(&s["ips"]),
        pairs(&[
            ("198.51.100.23", 2),
            ("2001:db8:85a3::8a2e:370:7334", 1),
            ("203.0.113.77", 1),
        ])
    );
    let countries_of_ips: Vec<&Value> = s["ips"]
        .as_array()
        .expect("ips")
        .iter()
        .map(|r| &r["with"])
        .collect();
    assert_eq!(
        countries_of_ips,
        vec![&json!("France"), &json!("Ireland"), &json!("Brazil")]
    );
    assert_eq!(
        counts(&s["countries"]),
        pairs(&[("France", 2), ("Brazil", 1), ("Ireland", 1)])
    );
    let ingests = s["ingests"].as_array().expect("ingests");
    assert_eq!(ingests.len(), 1);
    assert_eq!(ingests[0]["batch"], 1);
    assert_eq!(ingests[0]["read"], 6);
    assert_eq!(ingests[0]["added"], 6);
    assert_eq!(ingests[0]["duplicates"], 0);
    assert_eq!(ingests[0]["skipped"], 0);
    assert_eq!(
        ingests[0]["sources"],
        json!([fixture("formats/events.ndjson").display().to_string()])
    );
    assert!(ingests[0]["started"].is_string());
    assert!(ingests[0]["finished"].is_string());
}

#[test]
fn ingest_history_grows_with_each_run() {
    let w = case();
    w.ingest_fixtures(&["formats/api-array.json"]);
    let r = w.ingest([fixture("malformed/bad-line.ndjson")]);
    r.code(0);
    let s = stats_json(&w, &[]);
    assert_eq!(s["events"], 6);
    let ingests = s["ingests"].as_array().expect("ingests");
    let rows: Vec<(u64, u64, u64, u64, u64)> = ingests
        .iter()
        .map(|i| {
            let n = |k: &str| i[k].as_u64().expect("number");
            (
                n("batch"),
                n("read"),
                n("added"),
                n("duplicates"),
                n("skipped"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![(1, 6, 6, 0, 0), (2, 6, 0, 6, 0), (3, 3, 0, 3, 4)]
    );
}

#[test]
fn actor_stats_as_json() {
    let w = case();
    let s = stats_json(&w, &["--actor", "alice.martin@acme.com"]);
    assert_eq!(s["actor"], "alice.martin@acme.com");
    assert_eq!(s["events"], 3);
    assert_eq!(s["first"], "2024-03-12T08:01:12.345Z");
    assert_eq!(s["last"], "2024-03-12T12:00:00.500Z");
    let mut types = counts(&s["event_types"]);
    types.sort();
    assert_eq!(
        types,
        pairs(&[
            ("system.push.send_factor_verify_push", 1),
            ("user.authentication.sso", 1),
            ("user.session.start", 1),
        ])
    );
    assert_eq!(counts(&s["ips"]), pairs(&[("198.51.100.23", 2)]));
    let ip = &s["ips"][0];
    assert_eq!(ip["with"], "France");
    assert_eq!(ip["first_seen"], "2024-03-12T08:01:12.345Z");
    assert_eq!(ip["last_seen"], "2024-03-12T08:02:40.118Z");
    assert_eq!(counts(&s["countries"]), pairs(&[("France", 2)]));
    assert_eq!(
        counts(&s["sessions"]),
        pairs(&[("102Ds8vXqWkTp6rY1nMzA0bQg", 3)])
    );
    let session = &s["sessions"][0];
    assert_eq!(session["with"], "198.51.100.23");
    assert_eq!(session["first_seen"], "2024-03-12T08:01:12.345Z");
    assert_eq!(session["last_seen"], "2024-03-12T12:00:00.500Z");
    assert_eq!(counts(&s["user_agents"]).len(), 1);
    assert_eq!(counts(&s["user_agents"])[0].1, 2);
    // A per-actor view has no ingest history.
    assert!(s.get("ingests").is_none(), "{s}");
}

#[test]
fn actor_can_be_given_by_okta_id() {
    let w = case();
    let s = stats_json(&w, &["--actor", "00u8f2k3jd9XyZ1ab4x7"]);
    assert_eq!(s["events"], 3);
}

#[test]
fn unknown_actor_has_no_events() {
    let w = case();
    let s = stats_json(&w, &["--actor", "nobody@acme.com"]);
    assert_eq!(s["events"], 0);
    assert_eq!(s["first"], Value::Null);
    assert_eq!(s["last"], Value::Null);
    assert_eq!(s["event_types"], json!([]));
    assert_eq!(s["sessions"], json!([]));
}

#[test]
fn time_bounds_narrow_the_stats() {
    let w = case();
    let s = stats_json(&w, &["--since", "2024-03-12T10:00:00Z"]);
    assert_eq!(s["events"], 3);
    assert_eq!(s["first"], "2024-03-12T10:15:03.900Z");
    assert_eq!(
        counts(&s["actors"]),
        pairs(&[
            ("alice.martin@acme.com", 1),
            ("bob.ng@acme.com", 1),
            ("carol.admin@acme.com", 1),
        ])
    );
    let s = stats_json(
        &w,
        &[
            "--actor",
            "alice.martin@acme.com",
            "--until",
            "2024-03-12T09:00:00Z",
        ],
    );
    assert_eq!(s["events"], 2);
    assert_eq!(s["last"], "2024-03-12T08:02:40.118Z");
    let s = stats_json(&w, &["--since", "2024-03-13"]);
    assert_eq!(s["events"], 0);
    w.run(["stats", "--since", "last tuesday"]).code(2);
}

#[test]
fn top_limits_each_list() {
    let w = case();
    let s = stats_json(&w, &["--top", "2"]);
    assert_eq!(
        counts(&s["actors"]),
        pairs(&[("alice.martin@acme.com", 3), ("bob.ng@acme.com", 1)])
    );
    assert_eq!(counts(&s["event_types"]).len(), 2);
    assert_eq!(counts(&s["ips"]).len(), 2);
    // Totals are not limited.
    assert_eq!(s["events"], 6);
}

#[test]
fn stats_table() {
    let w = case();
    let r = w.run(["stats"]);
    r.code(0);
    let first = r.stdout.lines().next().expect("a line");
    assert_eq!(
        first,
        "case: 6 events, 2024-03-12T08:01:12.345Z .. 2024-03-12T12:00:00.500Z"
    );
    assert!(
        r.stdout.contains("ingest #1 ")
            && r.stdout
                .contains(": 6 read, 6 added, 0 duplicates, 0 skipped"),
        "{}",
        r.stdout
    );
    for section in ["EVENT TYPES", "ACTORS", "IPS", "COUNTRIES"] {
        assert!(
            r.stdout.lines().any(|l| l == section),
            "no {section}:\n{}",
            r.stdout
        );
    }
    assert!(r.stdout.contains("alice.martin@acme.com"));
    let r = w.run(["stats", "--actor", "alice.martin@acme.com"]);
    r.code(0);
    assert_eq!(
        r.stdout.lines().next(),
        Some(
            "alice.martin@acme.com: 3 events, 2024-03-12T08:01:12.345Z .. 2024-03-12T12:00:00.500Z"
        )
    );
    for section in ["EVENT TYPES", "IPS", "COUNTRIES", "SESSIONS", "USER AGENTS"] {
        assert!(
            r.stdout.lines().any(|l| l == section),
            "no {section}:\n{}",
            r.stdout
        );
    }
}

#[test]
fn actor_names_are_shown_inert() {
    let w = World::new();
    let mut e = with_uuid(&originals()[0], "evil0000-0000-4000-8000-000000000002");
    let evil = "eve\u{1b}[2J@acme.com";
    e["actor"]["alternateId"] = Value::String(evil.into());
    let path = w.write("evil.ndjson", ndjson_line(&e));
    w.ingest([&path]).code(0);
    let r = w.run(["stats", "--actor", evil]);
    r.code(0);
    assert!(!r.stdout.contains('\u{1b}'), "raw ESC in:\n{}", r.stdout);
    assert!(
        r.stdout.starts_with("eve\\x1b[2J@acme.com: 1 events"),
        "{}",
        r.stdout
    );
    let r = w.run(["stats"]);
    r.code(0);
    assert!(!r.stdout.contains('\u{1b}'), "raw ESC in:\n{}", r.stdout);
}

#[test]
fn stats_without_a_case_says_to_ingest_first() {
    let w = World::new();
    let r = w.run(["stats"]);
    r.code(1);
    r.stderr_has("ingest events first");
    assert!(!w.case.exists());
    w.run(["stats", "--format", "csv"]).code(2);
}

/// `okhunt stats | head -3`: the reader goes away before okhunt writes.
/// That is not an error (search treats it so): exit 0, no panic.
#[test]

fn a_reader_that_stops_early_is_not_an_error() {
    let w = case();
    for args in [&["stats"][..], &["stats", "--format", "json"][..]] {
        let mut child = w
            .std_cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn okhunt");
        // Close the read end at once: every write okhunt makes fails.
        drop(child.stdout.take());
        let r = common::Run::from_output(child.wait_with_output().expect("wait"));
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{args:?}");
    }
}
