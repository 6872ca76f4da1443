//! `okhunt ingest` over every export shape in fixtures/formats: what lands,
//! how it is deduplicated, and that search gives the original events back.

mod common;

use common::{
    Summary, World, fixture, fixture_bytes, gzip, ndjson_line, originals, parse_ndjson,
    sorted_json, uuids, with_uuid,
};
use serde_json::Value;
use std::collections::BTreeSet;

/// The uuids of the five fixture events that have one.
fn original_uuids() -> BTreeSet<String> {
    uuids(&originals())
}

/// Ingest one fixture into a fresh case and check the six events came back
/// exactly as they are in events.json, oldest first.
fn ingests_six_originals(rel: &str) {
    let w = World::new();
    let r = w.ingest_fixtures(&[rel]);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0), "{}", r.stderr);
    r.stderr_has("1 files, 6 events read, 6 added, 0 duplicates, 0 skipped");
    assert_eq!(w.all_events(), originals(), "events from {rel}");
}

macro_rules! shape_tests {
    ($($name:ident => $file:literal,)*) => {$(
        #[test]
        fn $name() {
            ingests_six_originals($file);
        }
    )*};
}

shape_tests! {
    api_array => "formats/api-array.json",
    api_pages => "formats/api-pages.json",
    events_json => "formats/events.json",
    events_ndjson => "formats/events.ndjson",
    events_ndjson_gz => "formats/events.ndjson.gz",
    api_array_gz => "formats/api-array.json.gz",
    eventbridge_ndjson => "formats/eventbridge.ndjson",
    eventbridge_array => "formats/eventbridge-array.json",
    eventhook => "formats/eventhook.json",
    ecs_ndjson => "formats/ecs.ndjson",
    splunk_ndjson => "formats/splunk.ndjson",
    splunk_raw => "formats/splunk-raw.json",
}

#[test]
fn siem_lowercase_keeps_its_own_lowercased_events() {
    let w = World::new();
    let r = w.ingest_fixtures(&["formats/siem-lowercase.ndjson"]);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0), "{}", r.stderr);
    let want = parse_ndjson(
        &String::from_utf8(fixture_bytes("formats/siem-lowercase.ndjson")).expect("utf-8"),
    );
    assert_eq!(w.all_events(), want);
    // The lowercased keys are still understood: fields are indexed.
    assert_eq!(w.search(["type:user.session.start"]).len(), 2);
    assert_eq!(w.search(["actor:alice.martin@acme.com"]).len(), 3);
    assert_eq!(w.search(["country:Brazil"]).len(), 1);
}

#[test]
fn shape_is_read_from_content_not_the_file_name() {
    let cases: &[(&str, &str)] = &[
        ("formats/eventbridge.ndjson", "x.csv"),
        ("formats/events.ndjson.gz", "x.txt"),
        ("formats/api-array.json.gz", "x.ndjson"),
        ("formats/eventhook.json", "x.log"),
        ("formats/splunk-raw.json", "noextension"),
    ];
    for (src, name) in cases {
        let w = World::new();
        let copy = w.write(name, fixture_bytes(src));
        let r = w.ingest([&copy]);
        r.code(0);
        assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0), "{src} as {name}");
        assert_eq!(w.all_events(), originals(), "{src} as {name}");
    }
}

#[test]
fn a_directory_is_read_recursively_skipping_hidden_entries() {
    let w = World::new();
    let ev = originals();
    let first: String = ev[..3].iter().map(ndjson_line).collect();
    let rest = serde_json::to_string_pretty(&ev[3..]).expect("json");
    let extra = with_uuid(&ev[0], "hidden-0000-0000-0000-000000000001");
    let extra2 = with_uuid(&ev[0], "hidden-0000-0000-0000-000000000002");
    w.write("in/a/b/first.ndjson", &first);
    w.write("in/c/rest.json.gz", gzip(rest.as_bytes()));
    w.write("in/a/.x.json", ndjson_line(&extra));
    w.write("in/.hidden/more.ndjson", ndjson_line(&extra2));
    let r = w.ingest([w.path("in")]);
    r.code(0);
    assert_eq!(r.summary(), Summary::new(2, 6, 6, 0, 0), "{}", r.stderr);
    assert_eq!(w.all_events(), ev);
}

#[test]
fn stdin_plain_and_gzip() {
    let w = World::new();
    let r = w.run_stdin(["ingest", "-"], fixture_bytes("formats/events.ndjson"));
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0), "{}", r.stderr);
    assert_eq!(w.all_events(), originals());

    let w = World::new();
    let r = w.run_stdin(["ingest", "-"], fixture_bytes("formats/events.ndjson.gz"));
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0), "{}", r.stderr);
    assert_eq!(w.all_events(), originals());

    // A pretty-printed array, gzipped on the fly.
    let w = World::new();
    let r = w.run_stdin(
        ["ingest", "-"],
        gzip(&fixture_bytes("formats/api-pages.json")),
    );
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0), "{}", r.stderr);
    assert_eq!(w.all_events(), originals());
}

#[test]
fn the_same_file_twice_adds_nothing_the_second_time() {
    let w = World::new();
    let first = w.ingest_fixtures(&["formats/events.ndjson"]);
    first.stderr_lacks("already in the case");
    let second = w.ingest_fixtures(&["formats/events.ndjson"]);
    assert_eq!(second.summary(), Summary::new(1, 6, 0, 6, 0));
    second.stderr_has("6 events read, 0 added, 6 duplicates, 0 skipped");
    second.stderr_has("already in the case");
    assert_eq!(w.all_events(), originals());
}

#[test]
fn the_same_events_in_another_shape_are_duplicates() {
    let w = World::new();
    w.ingest_fixtures(&["formats/api-array.json"]);
    let r = w.ingest_fixtures(&["formats/events.ndjson"]);
    assert_eq!(r.summary(), Summary::new(1, 6, 0, 6, 0));
    assert_eq!(w.all_events().len(), 6);
    // Reverse order too: the event without uuid gets the same derived id.
    let w = World::new();
    w.ingest_fixtures(&["formats/events.ndjson"]);
    let r = w.ingest_fixtures(&["formats/api-array.json"]);
    assert_eq!(r.summary(), Summary::new(1, 6, 0, 6, 0));
    assert_eq!(w.all_events(), originals());
}

#[test]
fn every_shape_gives_the_uuidless_event_the_same_derived_id() {
    let shapes = [
        "formats/api-array.json",
        "formats/api-pages.json",
        "formats/events.json",
        "formats/events.ndjson",
        "formats/events.ndjson.gz",
        "formats/api-array.json.gz",
        "formats/eventbridge.ndjson",
        "formats/eventbridge-array.json",
        "formats/eventhook.json",
        "formats/ecs.ndjson",
        "formats/splunk.ndjson",
        "formats/splunk-raw.json",
    ];
    let w = World::new();
    let r = w.ingest_fixtures(&shapes);
    assert_eq!(r.summary(), Summary::new(12, 72, 6, 66, 0), "{}", r.stderr);
    assert_eq!(w.all_events(), originals());
    let ids = w.csv_uuids(Vec::<String>::new());
    assert_eq!(ids.len(), 6);
    let derived: Vec<&String> = ids.iter().filter(|i| i.starts_with("okhunt-")).collect();
    assert_eq!(derived.len(), 1, "{ids:?}");
    assert_eq!(derived[0].len(), "okhunt-".len() + 32, "{ids:?}");
    let okta: BTreeSet<String> = ids
        .iter()
        .filter(|i| !i.starts_with("okhunt-"))
        .cloned()
        .collect();
    assert_eq!(okta, original_uuids());
    // The derived id is searchable.
    let hit = w.search([format!("uuid:{}", derived[0])]);
    assert_eq!(hit, vec![originals()[5].clone()]);
}

#[test]
fn derived_id_is_the_same_in_separate_cases() {
    let a = World::new();
    a.ingest_fixtures(&["formats/events.ndjson"]);
    let b = World::new();
    b.ingest_fixtures(&["formats/splunk-raw.json"]);
    assert_eq!(
        a.csv_uuids(Vec::<String>::new()),
        b.csv_uuids(Vec::<String>::new())
    );
}

#[test]
fn search_output_ingests_back_into_a_new_case_unchanged() {
    let a = World::new();
    a.ingest_fixtures(&["formats/events.ndjson"]);
    let out = a.run(["search", "--format", "ndjson"]);
    out.code(0);
    assert_eq!(out.stdout.lines().count(), 6);

    let b = World::new();
    let r = b.run_stdin(["ingest", "-"], out.stdout.clone());
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0), "{}", r.stderr);
    let ids_a = a.csv_uuids(Vec::<String>::new());
    let ids_b = b.csv_uuids(Vec::<String>::new());
    assert_eq!(ids_a.len(), 6);
    assert_eq!(
        ids_a.iter().collect::<BTreeSet<_>>(),
        ids_b.iter().collect::<BTreeSet<_>>()
    );
    assert_eq!(b.all_events(), a.all_events());
    assert_eq!(b.all_events(), originals());
    // And the JSON array output reads back too.
    let json = a.run(["search", "--format", "json"]);
    json.code(0);
    let c = World::new();
    let r = c.run_stdin(["ingest", "-"], json.stdout);
    r.code(0);
    assert_eq!(r.summary(), Summary::new(1, 6, 6, 0, 0), "{}", r.stderr);
    assert_eq!(sorted_json(&c.all_events()), sorted_json(&originals()));
}

#[test]
fn ingest_history_is_recorded_per_run() {
    let w = World::new();
    w.ingest_fixtures(&["formats/events.ndjson"]);
    w.ingest_fixtures(&["formats/api-array.json"]);
    let meta: Value =
        serde_json::from_slice(&std::fs::read(w.case.join("case.json")).expect("case.json"))
            .expect("case.json is JSON");
    let ingests = meta["ingests"].as_array().expect("ingests array");
    assert_eq!(ingests.len(), 2);
    assert_eq!(ingests[0]["batch"], 1);
    assert_eq!(ingests[0]["added"], 6);
    assert_eq!(ingests[1]["batch"], 2);
    assert_eq!(ingests[1]["added"], 0);
    assert_eq!(ingests[1]["duplicates"], 6);
    assert!(ingests.iter().all(|i| i["finished"].is_string()), "{meta}");
    assert_eq!(
        ingests[0]["sources"],
        serde_json::json!([fixture("formats/events.ndjson").display().to_string()])
    );
}

#[cfg(unix)]
#[test]
fn case_directory_and_metadata_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::new();
    w.ingest_fixtures(&["formats/events.ndjson"]);
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&w.case), 0o700);
    assert_eq!(mode(&w.case.join("case.json")), 0o600);
}

#[test]
fn okhunt_case_env_chooses_the_case() {
    let w = World::new();
    let r = w
        .bare()
        .env("OKHUNT_CASE", &w.case)
        .arg("ingest")
        .arg(fixture("formats/events.ndjson"))
        .output()
        .expect("run");
    assert_eq!(r.status.code(), Some(0));
    assert!(w.case.join("case.json").exists());
    let out = w
        .bare()
        .env("OKHUNT_CASE", &w.case)
        .args(["search", "--format", "ndjson"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        parse_ndjson(&String::from_utf8_lossy(&out.stdout)),
        originals()
    );
    // --case wins over the environment.
    let other = w.path("other");
    let out = w
        .bare()
        .env("OKHUNT_CASE", &w.case)
        .arg("--case")
        .arg(&other)
        .args(["search", "--format", "ndjson"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn default_case_lives_under_xdg_data_home() {
    let w = World::new();
    let r = w
        .bare()
        .arg("ingest")
        .arg(fixture("formats/events.ndjson"))
        .output()
        .expect("run");
    assert_eq!(r.status.code(), Some(0));
    assert!(w.path("data/okhunt/cases/default/case.json").exists());
}

#[test]
fn ingest_log_goes_to_xdg_state_home() {
    let w = World::new();
    w.ingest_fixtures(&["formats/events.ndjson"]);
    assert!(w.path("state/okhunt").is_dir());
    assert!(!w.path("home/.local/state").exists());
}

#[test]
fn uuidless_event_keeps_its_value_through_every_shape() {
    // The sixth event is the one without uuid; it must come back whole.
    let w = World::new();
    w.ingest_fixtures(&["formats/ecs.ndjson"]);
    let got = w.search(["type:system.push.send_factor_verify_push"]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0], originals()[5]);
    assert!(got[0].get("uuid").is_none());
}
