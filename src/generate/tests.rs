//! Output properties: determinism, shape, order, the story, the cap.

use super::*;
use crate::cli::GenerateArgs;
use serde_json::Value;

pub(super) fn args(users: u32, days: u32, seed: u64, events: Option<u64>) -> GenerateArgs {
    GenerateArgs {
        users,
        days,
        seed,
        events,
        end: "2024-03-15".into(),
        out: None,
    }
}

pub(super) fn generate(a: &GenerateArgs) -> (Summary, Vec<u8>) {
    let mut buf = Vec::new();
    let summary = write_tenant(a, &mut buf).expect("generate");
    (summary, buf)
}

pub(super) fn parse(buf: &[u8]) -> Vec<Value> {
    buf.split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("valid JSON line"))
        .collect()
}

pub(super) fn s<'a>(e: &'a Value, pointer: &str) -> &'a str {
    e.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

pub(super) fn of_type<'a>(
    events: &'a [Value],
    event_type: &'a str,
) -> impl Iterator<Item = &'a Value> + 'a {
    events
        .iter()
        .filter(move |e| s(e, "/eventType") == event_type)
}

/// Small enough for debug builds, long enough for history before the story.
pub(super) fn small() -> GenerateArgs {
    args(8, 5, 3, None)
}

/// `small()` generated and parsed once for all the tests that only read it
/// (serialising is slow in debug builds).
pub(super) fn sample() -> &'static (Summary, Vec<u8>, Vec<Value>) {
    static SAMPLE: std::sync::OnceLock<(Summary, Vec<u8>, Vec<Value>)> = std::sync::OnceLock::new();
    SAMPLE.get_or_init(|| {
        let (summary, buf) = generate(&small());
        let events = parse(&buf);
        (summary, buf, events)
    })
}

#[test]
fn same_args_same_bytes_other_seed_other_bytes() {
    let (a, bytes_a) = generate(&args(8, 3, 3, None));
    let (b, bytes_b) = generate(&args(8, 3, 3, None));
    assert_eq!(a, b);
    assert!(bytes_a == bytes_b, "output differs between identical runs");
    let (_, bytes_c) = generate(&args(8, 3, 4, None));
    assert!(bytes_a != bytes_c, "seed has no effect");
}

#[test]
fn lines_are_events_in_published_order() {
    let (summary, buf, events) = sample();
    assert_eq!(summary.events, events.len() as u64);
    assert_eq!(summary.bytes, buf.len() as u64);
    let mut uuids = std::collections::BTreeSet::new();
    let mut last = String::new();
    for e in events {
        let published = s(e, "/published");
        assert_eq!(published.len(), 24, "{published}");
        assert!(
            published.ends_with('Z') && &published[10..11] == "T",
            "{published}"
        );
        assert!(published >= last.as_str(), "{published} before {last}");
        last = published.to_string();
        assert!(!s(e, "/eventType").is_empty());
        assert_eq!(s(e, "/version"), "0");
        assert!(uuids.insert(s(e, "/uuid").to_string()), "duplicate uuid");
        for key in [
            "actor",
            "client",
            "authenticationContext",
            "outcome",
            "securityContext",
            "debugContext",
            "transaction",
            "request",
        ] {
            assert!(e.get(key).is_some(), "{key} missing");
        }
    }
    let avg = summary.bytes / summary.events;
    assert!((1500..=2500).contains(&avg), "average event size {avg}");
    // Roughly 100-200 events per person per working day.
    let human = events
        .iter()
        .filter(|e| s(e, "/actor/alternateId").ends_with("@acme.com"))
        .count();
    let per_user_day = human / (8 * 4);
    assert!(
        (70..=220).contains(&per_user_day),
        "{per_user_day} events per user-day"
    );
}

#[test]
fn okta_jobs_have_null_clients() {
    let (_, _, events) = sample();
    let jobs: Vec<_> = events
        .iter()
        .filter(|e| s(e, "/transaction/type") == "JOB")
        .collect();
    assert!(jobs.len() > 10);
    for e in jobs {
        assert_eq!(s(e, "/actor/type"), "SystemPrincipal");
        assert!(e["client"]["ipAddress"].is_null() && e["client"]["userAgent"].is_null());
        assert!(e["client"]["geographicalContext"].is_null());
        assert_eq!(e["request"]["ipChain"].as_array().map(Vec::len), Some(0));
    }
}

#[test]
fn background_has_the_known_noise() {
    let (_, _, events) = sample();
    // Google SSO logged from a shared Google address.
    let google: Vec<_> = of_type(events, "user.authentication.sso")
        .filter(|e| s(e, "/securityContext/domain") == "google.com")
        .collect();
    let users: std::collections::BTreeSet<_> =
        google.iter().map(|e| s(e, "/actor/alternateId")).collect();
    assert!(
        users.len() >= 3,
        "Google SSO from service IPs for {} users",
        users.len()
    );
    // Jamf keep-alives.
    let jamf = events
        .iter()
        .filter(|e| s(e, "/client/userAgent/rawUserAgent").contains("Jamf"))
        .count();
    assert!(jamf > 100, "{jamf} Jamf events");
    // Token-granting service accounts: no display name, many addresses.
    let svc: Vec<_> = events
        .iter()
        .filter(|e| s(e, "/actor/alternateId") == "svc-ci-runner")
        .collect();
    let ips: std::collections::BTreeSet<_> =
        svc.iter().map(|e| s(e, "/client/ipAddress")).collect();
    assert!(ips.len() >= 5 && svc.iter().all(|e| s(e, "/actor/displayName").is_empty()));
    // Failed sign-ins carry no session.
    for e in of_type(events, "user.session.start").filter(|e| s(e, "/outcome/result") == "FAILURE")
    {
        assert!(e["authenticationContext"]["externalSessionId"].is_null());
    }
}

#[test]
fn bad_arguments_are_errors() {
    let mut a = small();
    a.end = "15/03/2024".into();
    assert!(write_tenant(&a, &mut Vec::new()).is_err());
    assert!(write_tenant(&args(10, 0, 1, None), &mut Vec::new()).is_err());
}

/// The demo case shipped in fixtures/demo (see STORY.md there).
pub const DEMO: (u32, u32, u64) = (8, 4, 7);

#[test]
#[ignore = "regenerates fixtures/demo/demo.ndjson.gz"]
fn write_demo_fixture() {
    use std::io::Write as _;
    let (users, days, seed) = DEMO;
    let (summary, buf) = generate(&args(users, days, seed, None));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo/demo.ndjson.gz");
    let file = std::fs::File::create(path).expect("create fixture");
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    gz.write_all(&buf).expect("write fixture");
    gz.finish().expect("finish gzip");
    eprintln!("{summary:?} -> {path}");
}

/// `OKHUNT_GEN_DUMP=users,days,seed cargo test --lib dump_sample -- --ignored`
/// writes /tmp/okhunt-gen-sample.ndjson for a look by hand.
#[test]
#[ignore = "writes /tmp/okhunt-gen-sample.ndjson"]
fn dump_sample() {
    let spec = std::env::var("OKHUNT_GEN_DUMP").unwrap_or_else(|_| "25,7,7".into());
    let n: Vec<u64> = spec
        .split(',')
        .map(|x| x.trim().parse().expect("number"))
        .collect();
    let a = args(n[0] as u32, n[1] as u32, n[2], None);
    let (summary, buf) = generate(&a);
    std::fs::write("/tmp/okhunt-gen-sample.ndjson", &buf).expect("write");
    eprintln!("{summary:?}");
}

/// `OKHUNT_GEN_TIME=users,days cargo test --release --lib time_big -- --ignored --nocapture`
#[test]
#[ignore = "timing by hand; run with --release"]
fn time_big() {
    let spec = std::env::var("OKHUNT_GEN_TIME").unwrap_or_else(|_| "1000,7".into());
    let n: Vec<u32> = spec
        .split(',')
        .map(|x| x.trim().parse().expect("number"))
        .collect();
    let t = std::time::Instant::now();
    let summary = write_tenant(&args(n[0], n[1], 1, None), &mut std::io::sink()).expect("generate");
    eprintln!("{summary:?} in {:?}", t.elapsed());
}
