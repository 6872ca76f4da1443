//! Data-driven tests of the admin hunts. For each hunt id,
//! `fixtures/hunts/admin/<id>.ndjson` is ingested into a fresh case through
//! the library and that hunt alone is run; `<id>.expected.json` lists every
//! finding it must give (evidence uuids in order, severity, actor, targets,
//! phrases of the summary). Both files come from make.py in that directory,
//! where each scenario's expectations sit next to its events.
//!
//! Uuids also name their role: `-crit-`, `-high-`, `-med-`, `-low-`,
//! `-info-` events must be evidence of exactly one finding of that
//! severity; `-miss-` (near-misses) and `-hist-` (history) events must not
//! be evidence at all.

use okhunt::hunt::{Finding, HuntConfig, Severity};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
struct Expected {
    uuids: Vec<String>,
    severity: String,
    actor: Option<String>,
    targets: Vec<String>,
    says: Vec<String>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hunts/admin")
}

/// The severity a uuid's name promises (`sa-crit-1` → critical), if any.
fn promised(uuid: &str) -> Option<Severity> {
    match uuid.split('-').nth(1)? {
        "crit" => Some(Severity::Critical),
        "med" => Some(Severity::Medium),
        tag @ ("high" | "low" | "info") => Severity::parse(tag),
        _ => None,
    }
}

/// Ingest the hunt's fixture into a new case and run that hunt alone.
fn run(id: &str) -> (Vec<Finding>, Vec<String>) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut case = okhunt::case::Case::open_or_create(&tmp.path().join("case")).expect("case");
    let path = dir().join(format!("{id}.ndjson"));
    let opts = okhunt::ingest::Options {
        threads: 1,
        heap_bytes: 50_000_000,
    };
    let progress = okhunt::ingest::new_progress();
    let mut report = |p: &okhunt::ingest::Problem| panic!("{id}: fixture problem: {p:?}");
    let paths = std::slice::from_ref(&path);
    let ingested =
        okhunt::ingest::run(&mut case, paths, &opts, &progress, &mut report).expect("ingest");
    let reader = case.reader().expect("reader");
    let searcher = reader.searcher();
    let config = HuntConfig::default();
    let findings = okhunt::hunt::run(&searcher, &case.fields, &config, &[id.into()], None, None)
        .expect("hunt");

    let text = std::fs::read_to_string(&path).expect("fixture");
    let uuids: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .map(|v| v["uuid"].as_str().expect("uuid").to_string())
        .collect();
    assert_eq!(
        ingested.added,
        uuids.len() as u64,
        "{id}: every event ingested"
    );
    (findings, uuids)
}

/// Run the hunt over its fixture and hold it to its expectations.
fn verify(id: &str) {
    let (findings, uuids) = run(id);
    let text =
        std::fs::read_to_string(dir().join(format!("{id}.expected.json"))).expect("expectations");
    let expected: Vec<Expected> = serde_json::from_str(&text).expect("expectations are JSON");

    for f in &findings {
        assert_eq!(f.hunt, id);
        assert!(!f.title.is_empty() && f.summary.ends_with('.'), "{f:#?}");
        assert_eq!(f.count as usize, f.event_uuids.len(), "{f:#?}");
    }
    for uuid in &uuids {
        let holders: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.event_uuids.contains(uuid))
            .collect();
        match promised(uuid) {
            Some(s) => {
                assert_eq!(
                    holders.len(),
                    1,
                    "{id}: {uuid} must be evidence of one finding: {findings:#?}"
                );
                assert_eq!(holders[0].severity, s, "{id}: {uuid}: {:#?}", holders[0]);
            }
            None => assert!(
                holders.is_empty(),
                "{id}: {uuid} must not be evidence: {holders:#?}"
            ),
        }
    }
    assert_eq!(findings.len(), expected.len(), "{id}: {findings:#?}");
    for want in &expected {
        let f = findings
            .iter()
            .find(|f| f.event_uuids.first() == want.uuids.first())
            .unwrap_or_else(|| {
                panic!(
                    "{id}: no finding starts with {:?}: {findings:#?}",
                    want.uuids
                )
            });
        assert_eq!(f.event_uuids, want.uuids, "{f:#?}");
        assert_eq!(f.severity.as_str(), want.severity, "{f:#?}");
        assert_eq!(f.actor, want.actor, "{f:#?}");
        assert_eq!(f.targets, want.targets, "{f:#?}");
        for phrase in &want.says {
            assert!(
                f.summary.contains(phrase.as_str()),
                "{id}: summary lacks {phrase:?}: {}",
                f.summary
            );
        }
    }
}

#[test]
fn support_access() {
    verify("support-access");
}

#[test]
fn support_reset() {
    verify("support-reset");
}

#[test]
fn password_reset() {
    verify("password-reset");
}

#[test]
fn mfa_reset() {
    verify("mfa-reset");
}

#[test]
fn admin_privilege() {
    verify("admin-privilege");
}

#[test]
fn api_token() {
    verify("api-token");
}

#[test]
fn admin_console() {
    verify("admin-console");
}

#[test]
fn system_import() {
    verify("system-import");
}

#[test]
fn threat_insight() {
    verify("threat-insight");
}

#[test]
fn token_reuse() {
    verify("token-reuse");
}

#[test]
fn config_change() {
    verify("config-change");
}

#[test]
fn account_lock() {
    verify("account-lock");
}

#[test]
fn fastpass_phishing() {
    verify("fastpass-phishing");
}

/// Every admin hunt has a fixture, and every fixture a hunt.
#[test]
fn every_hunt_has_a_fixture() {
    let ids: Vec<&str> = okhunt::hunt::all().iter().map(|h| h.id()).collect();
    let mut fixtures: Vec<String> = std::fs::read_dir(dir())
        .expect("fixtures dir")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".expected.json")
                .map(str::to_string)
        })
        .collect();
    fixtures.sort();
    assert_eq!(fixtures.len(), 13);
    for f in &fixtures {
        assert!(ids.contains(&f.as_str()), "no hunt {f}");
        assert!(dir().join(format!("{f}.ndjson")).exists());
    }
}
