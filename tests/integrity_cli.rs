//! Case integrity: `okhunt verify` recounts a case and prints a digest of
//! its event set; a damaged index is found when the case is opened (never
//! a panic) and `okhunt repair` rebuilds it from the stored originals and
//! the recorded sources, keeping the damaged index aside.

mod common;

use common::{Run, World, fixture};
use std::path::{Path, PathBuf};

/// The `digest` line of `okhunt verify`.
fn digest(w: &World) -> String {
    let r = w.run(["verify"]);
    r.code(0);
    r.stdout
        .lines()
        .find_map(|l| l.strip_prefix("digest"))
        .unwrap_or_else(|| panic!("verify printed no digest: {r:?}"))
        .trim()
        .to_string()
}

/// A case of 3,500 generated events ingested from two files in two
/// batches (so the index has several segments); returns the source paths.
fn two_batch_case(w: &World) -> (PathBuf, PathBuf) {
    let a = w.path("src/a.ndjson");
    let b = w.path("src/b.ndjson");
    std::fs::create_dir_all(w.path("src")).expect("mkdir");
    for (out, seed, n) in [(&a, "1", "2000"), (&b, "2", "1500")] {
        w.bare()
            .args(["generate", "--users", "40", "--days", "2", "--seed", seed])
            .args(["--events", n, "--out"])
            .arg(out)
            .assert()
            .success();
    }
    // Relative paths, as a person types them: repair must still find them.
    w.ingest(["src/a.ndjson"]).code(0);
    w.ingest(["src/b.ndjson"]).code(0);
    (a, b)
}

fn index_files(w: &World, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(w.case.join("index"))
        .expect("index dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

fn no_panic(r: &Run) {
    assert!(
        !r.stderr.contains("panicked") && r.code != 101,
        "okhunt panicked: {r:?}"
    );
}

/// Every damaged-index message names the case and says how to repair it.
fn says_damaged(r: &Run, w: &World, what: &str) {
    no_panic(r);
    r.code(1);
    let case = w.case.display().to_string();
    assert!(
        r.stderr.contains("is damaged")
            && r.stderr.contains(what)
            && r.stderr.contains(&format!("okhunt repair --case {case}")),
        "expected a damage message naming {what:?}: {r:?}"
    );
}

/// `okhunt repair` run from another directory than the ingests were.
fn repair(w: &World, extra: &[&str]) -> Run {
    let elsewhere = w.path("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    let mut c = w.std_cmd(["repair"]);
    c.args(extra).current_dir(&elsewhere);
    Run::from_output(c.output().expect("run okhunt repair"))
}

fn damaged_dirs(case: &Path) -> Vec<String> {
    std::fs::read_dir(case)
        .expect("case dir")
        .filter_map(|e| {
            let n = e.ok()?.file_name().to_string_lossy().into_owned();
            n.starts_with("index.damaged-").then_some(n)
        })
        .collect()
}

#[test]
fn the_digest_is_the_same_for_the_same_evidence_in_any_shape_and_order() {
    let shapes = [
        "formats/events.ndjson",
        "formats/api-pages.json",
        "formats/splunk.ndjson",
        "formats/eventbridge-array.json",
        "formats/events.ndjson.gz",
    ];
    let mut digests = Vec::new();
    for shape in shapes {
        let w = World::new();
        w.ingest_fixtures(&[shape]);
        digests.push(digest(&w));
    }
    assert!(
        digests.iter().all(|d| d == &digests[0]),
        "one evidence set, several digests: {digests:?}"
    );
    assert!(digests[0].starts_with("blake3:") && digests[0].len() == 71);

    // Two batches in the other order, and a re-run adding only duplicates.
    let w = World::new();
    w.ingest_fixtures(&["formats/splunk.ndjson"]);
    w.ingest_fixtures(&["formats/events.ndjson"]);
    assert_eq!(digest(&w), digests[0]);

    // One more event is other evidence.
    let one = w.write("one.ndjson", common::numbered_events(1));
    w.ingest([one]).code(0);
    assert_ne!(digest(&w), digests[0]);
}

#[test]
fn verify_reports_counts_as_json_and_needs_no_writer_lock() {
    let w = World::new();
    w.ingest_fixtures(&["formats/events.ndjson"]);
    let r = w.run(["verify", "--format", "json"]);
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("verify --format json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["events"], 6);
    assert_eq!(v["documents"], 6);
    assert_eq!(v["distinct"], 6);
    assert_eq!(v["duplicates"], 0);
    assert_eq!(v["unreadable"], 0);
    assert_eq!(v["mismatched"], 0);
    assert_eq!(v["recorded_added"], 6);
    assert!(
        v["digest"]
            .as_str()
            .is_some_and(|d| d.starts_with("blake3:"))
    );

    // An ingest waiting on stdin holds the writer lock; verify still runs.
    let mut ingest = w
        .std_cmd(["ingest", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn ingest");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let r = w.run(["verify"]);
    r.code(0);
    // ... but repair, a writer, is refused with a plain sentence.
    let r = repair(&w, &[]);
    r.code(1);
    assert!(
        r.stderr
            .contains("another okhunt process is writing to the case"),
        "{r:?}"
    );
    // Closing stdin ends the ingest (an empty stdin is its own error).
    drop(ingest.stdin.take());
    assert!(ingest.wait().expect("ingest exits").code().is_some());
}

#[test]
fn verify_on_a_missing_case_says_how_to_make_one() {
    let w = World::new();
    let r = w.run(["verify"]);
    r.code(1);
    no_panic(&r);
    assert!(r.stderr.contains("okhunt ingest"), "{r:?}");
}

#[test]
fn a_deleted_meta_file_is_found_on_open_and_repaired_from_the_stored_originals() {
    let w = World::new();
    two_batch_case(&w);
    let before = digest(&w);
    std::fs::remove_file(w.case.join("index/meta.json")).expect("rm meta.json");

    for args in [vec!["search"], vec!["stats"], vec!["hunt"], vec!["verify"]] {
        says_damaged(&w.run(&args), &w, "meta.json is missing");
    }
    // The sources are gone too: everything must come from the index.
    std::fs::remove_dir_all(w.path("src")).expect("rm sources");
    let r = repair(&w, &[]);
    r.code(0);
    assert!(
        r.stdout
            .contains("3500 events recovered from 3500 stored originals"),
        "{r:?}"
    );
    assert!(r.stdout.contains("found on disk"), "{r:?}");
    assert_eq!(digest(&w), before);
    assert_eq!(damaged_dirs(&w.case).len(), 1, "the damaged index is kept");
    let s = w.run(["stats", "--format", "json"]);
    s.code(0);
    let v: serde_json::Value = serde_json::from_str(&s.stdout).expect("stats json");
    assert_eq!(v["events"], 3500);
}

#[test]
fn a_truncated_store_is_found_on_open_and_repaired_from_the_recorded_sources() {
    let w = World::new();
    two_batch_case(&w);
    let before = digest(&w);
    let store = index_files(&w, "store").remove(0);
    let len = std::fs::metadata(&store).expect("store").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&store)
        .expect("open store")
        .set_len(len / 3)
        .expect("truncate");
    let name = store
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    says_damaged(&w.run(["search"]), &w, &name);

    let r = repair(&w, &[]);
    r.code(0);
    assert!(r.stdout.contains("could not be read"), "{r:?}");
    assert!(r.stdout.contains("sources read again"), "{r:?}");
    assert_eq!(digest(&w), before, "repair restored exactly the evidence");
}

#[test]
fn a_lost_segment_whose_source_is_gone_is_reported_as_possible_loss() {
    let w = World::new();
    let (a, _) = two_batch_case(&w);
    let store = index_files(&w, "store").remove(0);
    let segment = store
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    for f in std::fs::read_dir(w.case.join("index")).expect("index") {
        let p = f.expect("entry").path();
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&segment))
        {
            std::fs::remove_file(p).expect("rm segment file");
        }
    }
    says_damaged(&w.run(["search"]), &w, "is missing");
    std::fs::remove_file(&a).expect("rm source a");

    let r = repair(&w, &[]);
    no_panic(&r);
    r.code(1);
    assert!(
        r.stdout
            .contains(&format!("segment {segment} could not be read")),
        "{r:?}"
    );
    assert!(r.stdout.contains("source no longer there"), "{r:?}");
    assert!(
        r.stderr.contains("some events may not have been recovered"),
        "{r:?}"
    );
    // The case opens again and holds what could be recovered.
    let v = w.run(["verify"]);
    v.code(0);
}

#[test]
fn garbage_in_an_index_file_fails_verify_and_repair_restores_the_case() {
    let w = World::new();
    two_batch_case(&w);
    let before = digest(&w);
    let idx = index_files(&w, "idx").remove(0);
    let mut bytes = std::fs::read(&idx).expect("read idx");
    let mid = bytes.len() / 2;
    let end = (mid + 4096).min(bytes.len().saturating_sub(32));
    for (i, b) in bytes[mid..end].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(151).wrapping_add(7);
    }
    std::fs::write(&idx, bytes).expect("write idx");

    let r = w.run(["verify"]);
    no_panic(&r);
    r.code(1);
    assert!(r.stderr.contains("checksum"), "{r:?}");
    assert!(r.stderr.contains("okhunt repair --case"), "{r:?}");

    let r = repair(&w, &[]);
    r.code(0);
    assert!(r.stdout.contains("3500 events recovered"), "{r:?}");
    assert_eq!(digest(&w), before);
}

#[test]
fn repair_from_sources_on_a_healthy_case_changes_nothing() {
    let w = World::new();
    two_batch_case(&w);
    let before = digest(&w);
    let r = repair(&w, &["--from-sources"]);
    r.code(0);
    assert!(
        r.stdout.contains("0 added back, 3500 already present"),
        "{r:?}"
    );
    assert_eq!(digest(&w), before);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(w.case.join("case.json")).expect("case.json"))
            .expect("json");
    assert_eq!(meta["repairs"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_case_directory_left_half_made_by_a_crash_is_taken_over() {
    let w = World::new();
    // What a creation killed before its rename could leave at worst.
    std::fs::create_dir_all(w.case.join("index")).expect("mkdir");
    std::fs::write(w.case.join("case.json.tmp"), b"{\"schema_ver").expect("tmp");
    w.ingest([fixture("formats/events.ndjson")]).code(0);
    assert_eq!(w.all_events().len(), 6);

    // Anything else in the directory is not ours to take.
    let other = World::new();
    std::fs::create_dir_all(&other.case).expect("mkdir");
    std::fs::write(other.case.join("notes.txt"), b"mine").expect("write");
    let r = other.ingest([fixture("formats/events.ndjson")]);
    no_panic(&r);
    r.code(1);
    assert!(other.case.join("notes.txt").exists());
}
