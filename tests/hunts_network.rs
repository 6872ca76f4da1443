//! The network hunts over their fixtures (fixtures/hunts/network, made by
//! make.py there): each file is ingested into a fresh case through the
//! library, as `okhunt ingest` does, then its hunt runs. Events named
//! `*-fire-*` / `*-med-*` must be evidence exactly as asserted; events named
//! `*-miss-*` are near-misses that must never be evidence.

use okhunt::case::Case;
use okhunt::hunt::{self, Correlation, Finding, HuntConfig, Severity};
use std::collections::BTreeSet;
use std::net::Ipv6Addr;
use std::path::Path;
use tempfile::TempDir;

/// A case holding one fixture file.
struct Loaded {
    _dir: TempDir,
    case: Case,
}

fn load(fixture: &str) -> Loaded {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut case = Case::open_or_create(&dir.path().join("case")).expect("case");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/hunts/network")
        .join(fixture);
    let opts = okhunt::ingest::Options {
        threads: 1,
        heap_bytes: 32 * 1024 * 1024,
    };
    let progress = okhunt::ingest::new_progress();
    let summary = okhunt::ingest::run(&mut case, &[path], &opts, &progress, &mut |p| {
        panic!("{fixture}: {p}")
    })
    .expect("ingest");
    assert!(
        summary.added > 0 && summary.skipped == 0,
        "{fixture}: {summary:?}"
    );
    Loaded { _dir: dir, case }
}

impl Loaded {
    fn run(&self, hunt_id: &str) -> Vec<Finding> {
        self.run_with(hunt_id, &HuntConfig::default())
    }

    fn run_with(&self, hunt_id: &str, config: &HuntConfig) -> Vec<Finding> {
        let searcher = self.case.reader().expect("reader").searcher();
        let only = [hunt_id.to_string()];
        let found =
            hunt::run(&searcher, &self.case.fields, config, &only, None, None).expect("hunts run");
        assert!(found.iter().all(|f| f.hunt == hunt_id));
        found
    }

    fn correlation(&self) -> Correlation {
        let searcher = self.case.reader().expect("reader").searcher();
        Correlation::build(
            &searcher,
            &self.case.fields,
            &HuntConfig::default(),
            None,
            None,
        )
        .expect("correlation")
    }
}

/// A finding as the assertions compare it: severity, actor, evidence.
fn brief(f: &Finding) -> (Severity, Option<&str>, Vec<&str>) {
    (
        f.severity,
        f.actor.as_deref(),
        f.event_uuids.iter().map(String::as_str).collect(),
    )
}

/// Run `hunt_id` over its fixture; check no near-miss is evidence.
fn hunt(hunt_id: &str) -> Vec<Finding> {
    let found = load(&format!("{hunt_id}.ndjson")).run(hunt_id);
    for f in &found {
        let misses: Vec<_> = f
            .event_uuids
            .iter()
            .filter(|u| u.contains("-miss-"))
            .collect();
        assert!(
            misses.is_empty(),
            "{hunt_id}: near-misses are evidence: {misses:?}\n{f:#?}"
        );
        assert!(!f.summary.is_empty() && !f.title.is_empty());
    }
    found
}

fn ip(s: &str) -> Ipv6Addr {
    okhunt::index::document::parse_ip(s).expect("ip")
}

#[test]
fn session_hijack_fires_on_a_replayed_session_not_on_sso_servers_tokens_or_vpn() {
    let found = hunt("session-hijack");
    let got: Vec<_> = found.iter().map(brief).collect();
    assert_eq!(
        got,
        vec![
            (
                Severity::High,
                Some("jane.doe@acme.com"),
                vec!["sh-fire-1", "sh-fire-2", "sh-fire-3", "sh-fire-4"]
            ),
            (
                Severity::Medium,
                Some("kevin.brooks@acme.com"),
                vec!["sh-med-1", "sh-med-2"]
            ),
        ]
    );
    let jane = &found[0];
    assert_eq!(jane.sessions, ["102ORS_6ilI8ihN5KXSc7Tvo_"]);
    assert!(
        jane.summary
            .contains("Session 102ORS_6il… of jane.doe@acme.com used from 73.92.144.203"),
        "{}",
        jane.summary
    );
    assert!(
        jane.summary.contains("185.247.71.106 (Bucharest, Romania)"),
        "{}",
        jane.summary
    );
}

#[test]
fn keepalive_divergence_is_high_for_two_computers_and_info_for_a_vpn_switch() {
    let found = hunt("keepalive-divergence");
    let got: Vec<_> = found.iter().map(brief).collect();
    assert_eq!(
        got,
        vec![
            (
                Severity::High,
                Some("jane.doe@acme.com"),
                vec![
                    "kd-ka-1651-t",
                    "kd-fire-1",
                    "kd-fire-2",
                    "kd-fire-3",
                    "kd-fire-4",
                    "kd-fire-5",
                    "kd-ka-1706-v",
                    "kd-ka-1721-t",
                    "kd-fire-6",
                    "kd-ka-1736-v",
                ]
            ),
            (
                Severity::Info,
                Some("alex.morgan@acme.com"),
                vec!["kd-alex-ka-1015-t", "kd-alex-ka-1030-v"]
            ),
        ]
    );
    assert!(
        found[0]
            .summary
            .contains("185.247.71.106 (Bucharest, Romania)"),
        "{}",
        found[0].summary
    );
    assert!(
        found[0]
            .summary
            .contains("keep-alives continued from 73.92.144.203"),
        "{}",
        found[0].summary
    );
}

#[test]
fn impossible_travel_skips_proxies_service_ips_token_granters_and_vpn_switches() {
    let found = hunt("impossible-travel");
    let got: Vec<_> = found.iter().map(brief).collect();
    assert_eq!(
        got,
        vec![(
            Severity::High,
            Some("jane.doe@acme.com"),
            vec!["it-fire-1", "it-fire-2"]
        )]
    );
    assert!(
        found[0].summary.contains("San Francisco, United States"),
        "{}",
        found[0].summary
    );
    assert!(
        found[0].summary.contains("Bucharest, Romania"),
        "{}",
        found[0].summary
    );
}

#[test]
fn password_spray_needs_many_users_in_the_window_and_is_critical_after_a_hit() {
    let found = hunt("password-spray");
    let got: Vec<_> = found
        .iter()
        .map(|f| {
            (
                f.severity,
                f.ips.clone(),
                f.event_uuids.len(),
                f.targets.len(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Severity::Critical, vec!["191.96.12.77".to_string()], 11, 10),
            (Severity::High, vec!["45.155.205.10".to_string()], 24, 12),
        ]
    );
    assert!(
        found[0]
            .event_uuids
            .iter()
            .all(|u| u.starts_with("ps-fire-b-"))
    );
    assert_eq!(
        found[0].event_uuids.last().map(String::as_str),
        Some("ps-fire-b-hit")
    );
    assert!(
        found[1]
            .event_uuids
            .iter()
            .all(|u| u.starts_with("ps-fire-a-"))
    );
}

#[test]
fn brute_force_counts_attempts_not_events_and_ignores_token_granters() {
    let found = hunt("brute-force");
    let got: Vec<_> = found
        .iter()
        .map(|f| (f.severity, f.actor.as_deref(), f.event_uuids.len()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Severity::High, Some("marcus.reid@acme.com"), 7),
            (Severity::Medium, Some("kevin.brooks@acme.com"), 24)
        ]
    );
    let marcus: Vec<_> = found[0].event_uuids.iter().map(String::as_str).collect();
    assert_eq!(
        marcus,
        [
            "bf-fire-b-1",
            "bf-fire-b-2",
            "bf-fire-b-3",
            "bf-fire-b-4",
            "bf-fire-b-5",
            "bf-fire-b-6",
            "bf-fire-b-hit"
        ]
    );
    assert!(
        found[1]
            .event_uuids
            .iter()
            .all(|u| u.starts_with("bf-fire-a-"))
    );
}

#[test]
fn mfa_fatigue_counts_pushes_and_is_critical_when_the_user_gives_in() {
    let found = hunt("mfa-fatigue");
    let got: Vec<_> = found
        .iter()
        .map(|f| (f.severity, f.actor.as_deref(), f.event_uuids.len()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Severity::Critical, Some("kevin.brooks@acme.com"), 9),
            (Severity::High, Some("marcus.reid@acme.com"), 10)
        ]
    );
    let kevin: BTreeSet<&str> = found[0].event_uuids.iter().map(String::as_str).collect();
    let mut want: BTreeSet<String> = (0..7).map(|i| format!("mf-fire-a-deny-{i}")).collect();
    want.extend([
        "mf-fire-a-ok-mfa".to_string(),
        "mf-fire-a-ok-session".to_string(),
    ]);
    assert_eq!(kevin, want.iter().map(String::as_str).collect());
    assert!(
        found[1]
            .event_uuids
            .iter()
            .all(|u| u.starts_with("mf-fire-b-"))
    );
    assert!(
        found[0]
            .summary
            .starts_with("7 Okta Verify pushes for kevin.brooks@acme.com"),
        "{}",
        found[0].summary
    );
}

#[test]
fn anonymizing_proxy_groups_per_user_and_ip() {
    let found = hunt("anonymizing-proxy");
    let got: Vec<_> = found.iter().map(brief).collect();
    assert_eq!(
        got,
        vec![
            (
                Severity::Medium,
                Some("jane.doe@acme.com"),
                vec!["ap-fire-a-v", "ap-fire-a-mfa", "ap-fire-a-s"]
            ),
            (
                Severity::Low,
                Some("kevin.brooks@acme.com"),
                vec![
                    "ap-fire-b-1-v",
                    "ap-fire-b-1-s",
                    "ap-fire-b-2-v",
                    "ap-fire-b-2-s"
                ]
            ),
        ]
    );
}

#[test]
fn correlation_follows_the_mac_through_a_vpn_switch_and_finds_service_ips() {
    let c = load("keepalive-divergence.ndjson").correlation();
    let alex = &c.keepalive["alex.morgan@acme.com"];
    let spans: Vec<_> = alex.iter().map(|s| (s.ip, s.count)).collect();
    assert_eq!(
        spans,
        vec![(ip("64.125.38.71"), 12), (ip("198.51.100.40"), 14)]
    );
    let at = |h: i64, m: i64| 1_710_201_600_000 + (h * 60 + m) * 60_000;
    assert_eq!(
        c.dominant_ip_at("alex.morgan@acme.com", at(10, 0)),
        Some(ip("64.125.38.71"))
    );
    assert_eq!(
        c.dominant_ip_at("alex.morgan@acme.com", at(11, 0)),
        Some(ip("198.51.100.40"))
    );
    // After the Mac went quiet, the last known address still holds.
    assert_eq!(
        c.dominant_ip_at("alex.morgan@acme.com", at(14, 0)),
        Some(ip("198.51.100.40"))
    );
    assert_eq!(c.keepalive["jane.doe@acme.com"].len(), 1);
    assert_eq!(
        c.sso_service_ips.iter().copied().collect::<Vec<_>>(),
        vec![ip("74.125.212.9")]
    );
    assert!(c.token_granters.is_empty());
}

#[test]
fn correlation_finds_the_token_granting_service_user_and_its_ips() {
    let c = load("impossible-travel.ndjson").correlation();
    assert_eq!(
        c.token_granters
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["svc-ci-runner"]
    );
    let want: BTreeSet<Ipv6Addr> = [
        "3.214.10.11",
        "3.214.10.12",
        "3.214.10.13",
        "54.76.2.21",
        "54.76.2.22",
        "54.76.2.23",
    ]
    .map(ip)
    .into();
    assert_eq!(c.token_granter_ips, want);
    assert_eq!(
        c.proxy_ips.iter().copied().collect::<Vec<_>>(),
        vec![ip("185.220.101.4")]
    );
}

/// The near-misses are real: with the correlation layer blinded (no SSO
/// service IPs, no token granters, no keep-alives), they do fire.
#[test]
fn near_misses_fire_without_the_correlation_layer() {
    let blind = HuntConfig {
        sso_service_min_users: usize::MAX,
        token_granter_min_ips: usize::MAX,
        keepalive_user_agents: Vec::new(),
        keepalive_apps: Vec::new(),
        ..HuntConfig::default()
    };
    let evidence = |fixture: &str, hunt_id: &str| -> BTreeSet<String> {
        let found = load(fixture).run_with(hunt_id, &blind);
        found.into_iter().flat_map(|f| f.event_uuids).collect()
    };
    let sh = evidence("session-hijack.ndjson", "session-hijack");
    for u in [
        "sh-miss-google-jane",
        "sh-miss-google-kevin",
        "sh-miss-svc-3-auth",
        "sh-miss-vpn-3",
    ] {
        assert!(sh.contains(u), "{u} not in {sh:?}");
    }
    let it = evidence("impossible-travel.ndjson", "impossible-travel");
    for u in [
        "it-miss-svc-0-auth",
        "it-miss-svc-1-auth",
        "it-miss-alex-office",
        "it-miss-alex-vpn",
    ] {
        assert!(it.contains(u), "{u} not in {it:?}");
    }
    let bf = evidence("brute-force.ndjson", "brute-force");
    assert!(bf.contains("bf-miss-svc-0"), "{bf:?}");
}

/// Timing and correlation probe over a real case (e.g. one made from
/// `okhunt generate`): OKHUNT_PERF_CASE=DIR cargo test --test hunts_network
/// probe -- --ignored --nocapture
#[test]
#[ignore]
fn probe() {
    let Some(dir) = std::env::var_os("OKHUNT_PERF_CASE") else {
        return;
    };
    let case = Case::open(Path::new(&dir)).expect("case");
    let searcher = case.reader().expect("reader").searcher();
    let t = std::time::Instant::now();
    let c = Correlation::build(&searcher, &case.fields, &HuntConfig::default(), None, None)
        .expect("correlation");
    println!("correlation in {:?}", t.elapsed());
    let show = |ips: &BTreeSet<Ipv6Addr>| {
        ips.iter()
            .map(|ip| okhunt::index::document::display_ip(*ip))
            .collect::<Vec<_>>()
    };
    println!(
        "keep-alive users {}, spans {}",
        c.keepalive.len(),
        c.keepalive.values().map(Vec::len).sum::<usize>()
    );
    println!("sso service ips {:?}", show(&c.sso_service_ips));
    println!(
        "token granters {:?} ({} ips)",
        c.token_granters,
        c.token_granter_ips.len()
    );
    println!("proxy ips {:?}", show(&c.proxy_ips));
    for id in [
        "session-hijack",
        "keepalive-divergence",
        "impossible-travel",
        "password-spray",
        "brute-force",
        "mfa-fatigue",
        "anonymizing-proxy",
    ] {
        let t = std::time::Instant::now();
        let found = hunt::run(
            &searcher,
            &case.fields,
            &HuntConfig::default(),
            &[id.to_string()],
            None,
            None,
        )
        .expect("run");
        println!(
            "{id}: {} findings in {:?} (with correlation)",
            found.len(),
            t.elapsed()
        );
    }
}
