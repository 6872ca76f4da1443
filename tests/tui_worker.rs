//! The TUI's query worker driven as the UI drives it: jobs in, `Msg`s out,
//! over cases built from the demo tenant and the hunt fixtures. Counts are
//! checked against what `okhunt search` prints and against the story in
//! `fixtures/demo/STORY.md`.

mod common;

use common::{World, fixture, parse_ndjson};
use okhunt::app::msg::{Focus, Loaded, Msg, Request};
use okhunt::app::state::{CaseInfo, EventItem, Histogram, IpItem, Summary};
use okhunt::app::worker::{Job, spawn};
use okhunt::case::Case;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

const JANE: &str = "jane.doe@acme.com";
const JANE_SESSION: &str = "102ORS_6ilI8ihN5KXSc7Tvo_";
const JANE_HOME: &str = "73.92.144.203";
const ATTACKER: &str = "185.247.71.106";

/// Add files to the case at `dir` (created when missing), as `okhunt
/// ingest` does.
fn ingest(dir: &Path, files: &[PathBuf]) -> u64 {
    let mut case = Case::open_or_create(dir).expect("case");
    let opts = okhunt::ingest::Options {
        threads: 1,
        heap_bytes: 64 * 1024 * 1024,
    };
    let progress = okhunt::ingest::new_progress();
    let summary = okhunt::ingest::run(&mut case, files, &opts, &progress, &mut |p| {
        panic!("ingest problem: {p:?}")
    })
    .expect("ingest");
    summary.added
}

/// A case holding the demo tenant.
fn demo() -> World {
    let w = World::new();
    assert_eq!(ingest(&w.case, &[fixture("demo/demo.ndjson.gz")]), 4741);
    w
}

/// `okhunt search --format ndjson QUERY` over the world's case.
fn search(w: &World, query: &str) -> Vec<Value> {
    let mut cmd = w.bare();
    cmd.arg("search")
        .arg("--case")
        .arg(&w.case)
        .args(["--format", "ndjson", query]);
    let out = cmd.output().expect("run okhunt search");
    assert!(
        out.status.success(),
        "okhunt search {query:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_ndjson(&String::from_utf8_lossy(&out.stdout))
}

/// The worker on a case, driven as the UI drives it.
struct Driver {
    jobs: Sender<Job>,
    answers: Receiver<Msg>,
    ticket: u64,
    /// Every `Msg::Case` received, in order.
    cases: Vec<CaseInfo>,
    /// The worker said its correlation is built.
    correlated: bool,
}

impl Driver {
    fn start(dir: &Path) -> Driver {
        let case = Case::open(dir).expect("open case");
        let (tx, answers) = std::sync::mpsc::channel();
        let jobs = spawn(case, tx).expect("spawn worker");
        Driver {
            jobs,
            answers,
            ticket: 0,
            cases: Vec::new(),
            correlated: false,
        }
    }

    fn next(&self) -> Msg {
        self.answers
            .recv_timeout(Duration::from_secs(120))
            .expect("the worker answers")
    }

    /// Send a request and wait for its answer (the `Msg::Case`s before it
    /// are kept in `cases`).
    fn ask(&mut self, request: Request) -> Loaded {
        self.ticket += 1;
        let ticket = self.ticket;
        self.jobs.send(Job { ticket, request }).expect("send job");
        loop {
            match self.next() {
                Msg::Case(info) => {
                    self.cases.push(info);
                    self.correlated = false;
                }
                Msg::Correlated => self.correlated = true,
                Msg::Loaded { ticket: t, result } => {
                    assert_eq!(t, ticket, "answers come in order");
                    return result.unwrap_or_else(|e| panic!("job failed: {e}"));
                }
                other => panic!("unexpected message {other:?}"),
            }
        }
    }

    fn events(&mut self, query: &str, focus: Option<Focus>) -> Events {
        self.events_in(query, None, focus)
    }

    /// An events view as the UI ends up showing it: a summary drawn
    /// before the correlation was built is asked for again once it is.
    fn events_in(
        &mut self,
        query: &str,
        range: Option<(i64, i64)>,
        focus: Option<Focus>,
    ) -> Events {
        let first = self.events_once(query, range, focus.clone());
        if !first.summary.as_ref().is_some_and(|s| s.awaits_correlation) {
            return first;
        }
        let known = first.line("known as");
        assert_eq!(known, ["being worked out (correlating the case)…"]);
        while !self.correlated {
            match self.next() {
                Msg::Correlated => self.correlated = true,
                Msg::Case(info) => self.cases.push(info),
                other => panic!("unexpected message {other:?}"),
            }
        }
        let again = self.events_once(query, range, focus);
        assert!(!again.summary.as_ref().is_some_and(|s| s.awaits_correlation));
        again
    }

    fn events_once(
        &mut self,
        query: &str,
        range: Option<(i64, i64)>,
        focus: Option<Focus>,
    ) -> Events {
        match self.ask(Request::Events {
            query: query.to_string(),
            range,
            focus,
        }) {
            Loaded::Events {
                rows,
                total,
                histogram,
                summary,
            } => Events {
                rows,
                total,
                histogram,
                summary,
            },
            other => panic!("not events: {other:?}"),
        }
    }

    fn ips(&mut self, actor: &str) -> BTreeMap<String, IpItem> {
        match self.ask(Request::Correlated {
            actor: actor.to_string(),
        }) {
            Loaded::Ips(rows) => rows.into_iter().map(|r| (r.ip.clone(), r)).collect(),
            other => panic!("not IPs: {other:?}"),
        }
    }
}

struct Events {
    rows: Vec<EventItem>,
    total: usize,
    histogram: Option<Histogram>,
    summary: Option<Summary>,
}

impl Events {
    fn line(&self, label: &str) -> Vec<String> {
        let s = self.summary.as_ref().expect("a summary");
        s.lines
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.items.clone())
            .unwrap_or_else(|| panic!("no {label:?} line in {s:#?}"))
    }

    fn has_line(&self, label: &str) -> bool {
        self.summary
            .as_ref()
            .is_some_and(|s| s.lines.iter().any(|l| l.label == label))
    }

    /// The histogram holds every match, in round buckets, at most ~120.
    fn check_histogram(&self) -> &Histogram {
        let h = self.histogram.as_ref().expect("a histogram");
        assert_eq!(
            h.counts.iter().sum::<u64>(),
            self.total as u64,
            "the histogram counts every match"
        );
        assert!(h.counts.len() <= 120, "{} buckets", h.counts.len());
        assert!(h.bucket_ms >= 1000 && h.start_ms % h.bucket_ms == 0);
        let first = self.rows.first().expect("rows").published_ms;
        assert!(h.start_ms <= first && first < h.start_ms + h.bucket_ms);
        assert!(h.counts[0] > 0 && h.counts[h.counts.len() - 1] > 0);
        h
    }
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// Values of a JSON path counted, most frequent first.
fn tally(events: &[Value], path: &[&str]) -> Vec<(String, u64)> {
    let mut m: BTreeMap<String, u64> = BTreeMap::new();
    for e in events {
        if let Some(v) = str_at(e, path) {
            *m.entry(v.to_string()).or_default() += 1;
        }
    }
    let mut v: Vec<(String, u64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

fn ms(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .expect("time")
        .timestamp_millis()
}

#[test]
fn case_info_comes_first_and_again_when_the_case_grew() {
    let w = World::new();
    let kd = fixture("hunts/network/keepalive-divergence.ndjson");
    let text = std::fs::read_to_string(&kd).expect("fixture");
    let times: Vec<i64> = parse_ndjson(&text)
        .iter()
        .map(|e| ms(str_at(e, &["published"]).expect("published")))
        .collect();
    let first_added = ingest(&w.case, std::slice::from_ref(&kd));
    assert_eq!(first_added, 84);
    let mut d = Driver::start(&w.case);
    // Before any job, the worker says what the case holds.
    let Msg::Case(info) = d.next() else {
        panic!("the first message is the case info")
    };
    assert_eq!(
        info,
        CaseInfo {
            events: 84,
            first_ms: times.iter().min().copied(),
            last_ms: times.iter().max().copied(),
        }
    );
    let all = d.events("*", None);
    assert_eq!(all.total, 84);
    assert!(d.cases.is_empty(), "nothing changed: no new case info");
    all.check_histogram();

    // An ingest beside the UI: the next job sees it, after a new case info.
    let added = ingest(&w.case, &[fixture("hunts/network/session-hijack.ndjson")]);
    assert!(added > 0);
    let all = d.events("*", None);
    assert_eq!(all.total as u64, 84 + added);
    assert_eq!(d.cases.len(), 1, "{:?}", d.cases);
    assert_eq!(d.cases[0].events, 84 + added);
    all.check_histogram();
    // The correlation is rebuilt over the new data too.
    let ips = d.ips(JANE);
    assert_eq!(ips[ATTACKER].overlaps_dominant, Some(true));
    let _ = d.events("*", None);
    assert_eq!(d.cases.len(), 1, "no change, no case info");
}

#[test]
fn actor_summary_counts_what_search_finds() {
    let w = demo();
    let mut d = Driver::start(&w.case);
    let query = format!("actor:\"{JANE}\"");
    let found = search(&w, &query);
    assert_eq!(found.len(), 624);
    let v = d.events(&query, Some(Focus::Actor(JANE.into())));
    assert_eq!(v.total, found.len());
    assert_eq!(v.rows.len(), found.len());
    assert!(
        v.rows
            .windows(2)
            .all(|p| p[0].published_ms <= p[1].published_ms)
    );
    v.check_histogram();

    let sessions = tally(&found, &["authenticationContext", "externalSessionId"]).len();
    let ips = tally(&found, &["client", "ipAddress"]).len();
    assert_eq!(
        v.line("events"),
        [
            "624 events".to_string(),
            "2024-03-12 15:18 → 2024-03-16 00:03".to_string(),
            format!("{sessions} sessions"),
            format!("{ips} IPs"),
        ]
    );
    // Every type, with the count search finds (ties in any order).
    let mut types = v.line("types");
    types.sort();
    let mut want: Vec<String> = tally(&found, &["eventType"])
        .into_iter()
        .take(8)
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    want.sort();
    assert_eq!(types, want);

    let ip_lines = v.line("IPs");
    let home = tally(&found, &["client", "ipAddress"])
        .into_iter()
        .find(|(ip, _)| ip == JANE_HOME)
        .expect("home IP")
        .1;
    assert!(
        ip_lines[0].starts_with("73.92.144.203 United States 03-12 15:18→03-16 00:03")
            && ip_lines[0].ends_with(&format!("({home})")),
        "{ip_lines:?}"
    );
    let attacker_events = found
        .iter()
        .filter(|e| str_at(e, &["client", "ipAddress"]) == Some(ATTACKER))
        .count();
    assert_eq!(attacker_events, 17);
    assert!(
        ip_lines.contains(&"185.247.71.106 Romania 03-13 16:57→17:33 (17)".to_string()),
        "{ip_lines:?}"
    );
    // The attacker's browser stands out from jane's Mac.
    let agents = v.line("agents");
    let win = found
        .iter()
        .filter(|e| {
            str_at(e, &["client", "userAgent", "rawUserAgent"])
                .is_some_and(|ua| ua.contains("Windows") && ua.contains("Chrome/120"))
        })
        .count();
    assert!(
        agents.contains(&format!("Chrome 120 on Windows {win}")),
        "{agents:?}"
    );
    assert!(agents.iter().any(|a| a.starts_with("JamfConnect 2.32.0 ")));
    // Targets: each event counted once per target alternateId.
    let mut by_target: BTreeMap<String, u64> = BTreeMap::new();
    for e in &found {
        let mut ids: Vec<&str> = e["target"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["alternateId"].as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            *by_target.entry(id.to_string()).or_default() += 1;
        }
    }
    let targets = v.line("targets");
    assert_eq!(targets.len(), 8.min(by_target.len()));
    for t in &targets {
        let (name, n) = t.rsplit_once(' ').expect("name count");
        assert_eq!(
            by_target.get(name).map(u64::to_string).as_deref(),
            Some(n),
            "{t}"
        );
    }
    let top = by_target.values().max().expect("targets");
    assert!(targets[0].ends_with(&format!(" {top}")), "{targets:?}");

    // The summary honours the range, as the rows do.
    let (a, b) = (ms("2024-03-13T16:00:00Z"), ms("2024-03-13T18:00:00Z"));
    let day = d.events_in(&query, Some((a, b)), Some(Focus::Actor(JANE.into())));
    let inside = found
        .iter()
        .filter(|e| {
            let t = ms(str_at(e, &["published"]).expect("published"));
            a <= t && t < b
        })
        .count();
    assert_eq!(day.total, inside);
    assert_eq!(day.line("events")[0], format!("{inside} events"));
    day.check_histogram();
}

#[test]
fn histograms_for_queries_ranges_and_evidence() {
    let w = demo();
    let mut d = Driver::start(&w.case);
    let all = d.events("*", None);
    assert_eq!(all.total, 4741);
    assert_eq!(all.rows.len(), okhunt::app::state::EVENT_LIMIT);
    assert!(all.summary.is_none());
    let h = all.check_histogram();
    // Four days in hourly buckets.
    assert_eq!(h.bucket_ms, 3_600_000);
    assert_eq!(h.start_ms, ms("2024-03-12T00:00:00Z"));

    // An empty result has none.
    let none = d.events("actor:nobody@acme.com", None);
    assert_eq!((none.total, none.histogram), (0, None));

    // A finding's evidence.
    let uuids: Vec<String> = search(&w, "type:user.session.impersonation.*")
        .iter()
        .filter_map(|e| str_at(e, &["uuid"]).map(str::to_string))
        .collect();
    assert_eq!(uuids.len(), 4);
    let Loaded::Events {
        rows,
        total,
        histogram,
        summary,
    } = d.ask(Request::Uuids(uuids))
    else {
        panic!("events")
    };
    assert_eq!((rows.len(), total, summary), (4, 4, None));
    let h = histogram.expect("a histogram");
    assert_eq!(h.counts.iter().sum::<u64>(), 4);
    assert!(h.counts.len() <= 120);
}

#[test]
fn session_view_marks_what_changed_mid_session() {
    let w = demo();
    let mut d = Driver::start(&w.case);
    let query = format!("session:\"{JANE_SESSION}\"");
    let found = search(&w, &query);
    let v = d.events(
        &query,
        Some(Focus::Session {
            id: JANE_SESSION.into(),
            root: false,
        }),
    );
    assert_eq!(v.total, found.len());
    v.check_histogram();
    let marked: Vec<(String, Vec<&str>)> = v
        .rows
        .iter()
        .filter(|r| !r.changed.is_empty())
        .map(|r| (r.row.published.clone(), r.changed.clone()))
        .collect();
    let all = vec!["ip", "country", "ua", "dthash"];
    let at = |t: &str| {
        v.rows
            .iter()
            .find(|r| r.row.published.contains(t))
            .unwrap_or_else(|| panic!("no row at {t}"))
    };
    // Google's SSO servers, then back home, then the stolen cookie
    // replayed from Bucharest on a Windows PC, then jane again.
    assert_eq!(at("16:05:02").changed, ["ip"]);
    assert_eq!(at("16:57:24").changed, ["ip"]);
    assert_eq!(at("17:21:37").changed, all);
    assert!(at("17:23:05").changed.is_empty(), "the same client again");
    assert_eq!(at("17:48:53").changed, all);
    assert_eq!(marked.len(), 6, "{marked:#?}");
    assert!(v.rows[0].changed.is_empty());

    let head = v.line("session");
    assert_eq!(head[0], JANE_SESSION);
    assert!(head.contains(&format!("root {JANE_SESSION}")), "{head:?}");
    assert!(head.contains(&format!("{} events", found.len())));
    assert!(head.contains(&JANE.to_string()));
    assert!(!v.has_line("sessions"), "one session, no family line");
    let ips = v.line("IPs");
    assert!(
        ips.iter()
            .any(|i| i.starts_with("185.247.71.106 Romania ") && i.ends_with("(2)"))
    );
    assert!(v.line("countries").contains(&"Romania 2".to_string()));
    assert_eq!(v.line("dtHash")[0], "2 dtHashes");
    // The actor view marks nothing.
    let actor = d.events(
        &format!("actor:\"{JANE}\""),
        Some(Focus::Actor(JANE.into())),
    );
    assert!(actor.rows.iter().all(|r| r.changed.is_empty()));
}

/// Demo events turned into a second session under jane's root session, and
/// a session without any root session id.
fn family_events(w: &World) -> PathBuf {
    let template = search(w, &format!("session:\"{JANE_SESSION}\""))
        .into_iter()
        .find(|e| str_at(e, &["eventType"]) == Some("user.authentication.sso"))
        .expect("an SSO event of jane's session");
    let make = |uuid: &str, t: &str, session: &str, root: Option<&str>, ip: &str| {
        let mut e = template.clone();
        e["uuid"] = uuid.into();
        e["published"] = t.into();
        e["authenticationContext"]["externalSessionId"] = session.into();
        e["authenticationContext"]["rootSessionId"] = root.map_or(Value::Null, Value::from);
        e["client"]["ipAddress"] = ip.into();
        e.to_string()
    };
    let lines = [
        make(
            "tui-worker-child-1",
            "2024-03-13T18:00:00.000Z",
            "102chi1dF4m1lyS3ss10nAbC",
            Some(JANE_SESSION),
            "198.51.100.77",
        ),
        make(
            "tui-worker-child-2",
            "2024-03-13T18:05:00.000Z",
            "102chi1dF4m1lyS3ss10nAbC",
            Some(JANE_SESSION),
            "198.51.100.78",
        ),
        make(
            "tui-worker-orphan",
            "2024-03-13T18:10:00.000Z",
            "102n0R00tS3ss10nXyZabcde",
            None,
            JANE_HOME,
        ),
    ];
    w.write("family.ndjson", lines.join("\n"))
}

#[test]
fn root_session_toggle_answers_for_the_family() {
    let w = demo();
    let extra = family_events(&w);
    assert_eq!(ingest(&w.case, &[extra]), 3);
    let mut d = Driver::start(&w.case);
    let jane_session = search(&w, &format!("session:\"{JANE_SESSION}\"")).len();
    let child = "102chi1dF4m1lyS3ss10nAbC";
    let query = format!("session:\"{child}\"");

    let alone = d.events(
        &query,
        Some(Focus::Session {
            id: child.into(),
            root: false,
        }),
    );
    assert_eq!(alone.total, 2);
    assert_eq!(alone.rows[1].changed, ["ip"]);
    assert!(
        alone
            .line("session")
            .contains(&format!("root {JANE_SESSION}"))
    );

    let family = d.events(
        &query,
        Some(Focus::Session {
            id: child.into(),
            root: true,
        }),
    );
    assert_eq!(family.total, jane_session + 2);
    assert_eq!(family.rows.len(), family.total);
    let sessions: std::collections::BTreeSet<&str> =
        family.rows.iter().map(|r| r.row.session.as_str()).collect();
    assert_eq!(sessions, [child, JANE_SESSION].into_iter().collect());
    family.check_histogram();
    // Marks are per session: the child's first event follows jane's last
    // (from another IP) but starts its own session.
    let first_child = family
        .rows
        .iter()
        .find(|r| r.row.session == child)
        .expect("child row");
    assert!(first_child.changed.is_empty());
    let line = family.line("sessions");
    assert_eq!(line[0], "2 sessions");
    assert!(line.contains(&format!("{JANE_SESSION} {jane_session}")));
    assert!(line.contains(&format!("{child} 2")));

    // No root session id: said so, and the session alone.
    let orphan = "102n0R00tS3ss10nXyZabcde";
    let v = d.events(
        &format!("session:\"{orphan}\""),
        Some(Focus::Session {
            id: orphan.into(),
            root: true,
        }),
    );
    assert_eq!(v.total, 1);
    assert!(
        v.line("session")
            .iter()
            .any(|i| i.starts_with("no root session id")),
        "{:?}",
        v.summary
    );
}

#[test]
fn ip_view_says_where_who_and_what_the_hunts_know() {
    let w = demo();
    let mut d = Driver::start(&w.case);
    let home = d.events(
        &format!("ip:{JANE_HOME}"),
        Some(Focus::Ip(JANE_HOME.into())),
    );
    let found = search(&w, &format!("ip:{JANE_HOME}"));
    assert_eq!(home.total, found.len());
    home.check_histogram();
    let place = home.line("where");
    assert_eq!(place[0], "San Francisco, California, United States");
    assert!(place.contains(&"proxy no".to_string()), "{place:?}");
    assert!(place.iter().any(|p| p.starts_with("AS ")), "{place:?}");
    let known = home.line("known as");
    assert!(
        known
            .iter()
            .any(|k| k.starts_with("keep-alive IP of jane.doe@acme.com 03-12 ")),
        "{known:?}"
    );
    let actors = home.line("actors");
    let by_actor = tally(&found, &["actor", "alternateId"]);
    assert_eq!(actors[0], format!("{} {}", by_actor[0].0, by_actor[0].1));
    assert!(home.line("types").len() > 3);

    let attacker = d.events(&format!("ip:{ATTACKER}"), Some(Focus::Ip(ATTACKER.into())));
    assert_eq!(attacker.line("known as"), ["nothing"]);
    assert_eq!(attacker.line("where")[0], "Bucharest, Bucuresti, Romania");
    assert_eq!(attacker.line("actors"), [format!("{JANE} 17")]);

    // Google's servers: SSO for everyone.
    let google = search(&w, "type:user.authentication.sso AND ip:209.85.92.94");
    assert!(!google.is_empty());
    let v = d.events("ip:209.85.92.94", Some(Focus::Ip("209.85.92.94".into())));
    assert!(
        v.line("known as")
            .iter()
            .any(|k| k.starts_with("SSO service IP")),
        "{:?}",
        v.line("known as")
    );
    assert!(v.line("actors").len() > 3);

    // A cloud address of a token-granting service user.
    let grants = search(&w, "actor:svc-ci-runner");
    let (cloud, n) = tally(&grants, &["client", "ipAddress"])
        .into_iter()
        .next()
        .expect("svc-ci-runner's IPs");
    let v = d.events(&format!("ip:{cloud}"), Some(Focus::Ip(cloud.clone())));
    assert_eq!(
        v.line("known as"),
        ["IP of token-granting service user svc-ci-runner"]
    );
    assert_eq!(v.line("actors"), [format!("svc-ci-runner {n}")]);
}

#[test]
fn correlated_ips_flag_activity_beside_the_keepalive_ip() {
    // The demo: the attacker signs in as jane while her Mac checks in
    // from home.
    let w = demo();
    let mut d = Driver::start(&w.case);
    let ips = d.ips(JANE);
    assert_eq!(ips[JANE_HOME].role, "keep-alive");
    assert_eq!(
        ips[JANE_HOME].overlaps_dominant, None,
        "the keep-alive IP itself"
    );
    assert_eq!(ips[ATTACKER].overlaps_dominant, Some(true));
    assert_eq!(ips[ATTACKER].count, 17);
    // Google's SSO servers log jane's SSO while her Mac is home: they say
    // nothing about where she is.
    let google: Vec<&IpItem> = ips.values().filter(|i| i.role == "SSO service").collect();
    assert!(google.len() >= 2, "{ips:?}");
    assert!(
        google.iter().all(|i| i.overlaps_dominant.is_none()),
        "{google:?}"
    );
    // kevin has no Mac with Jamf: nothing to overlap.
    let kevin = d.ips("kevin.brooks@acme.com");
    assert!(!kevin.is_empty());
    assert!(
        kevin.values().all(|i| i.overlaps_dominant.is_none()),
        "{kevin:?}"
    );

    // The hunt fixture's near misses: alex's sign-in from Houston after his
    // Mac went quiet, his VPN (a keep-alive IP of his own), Google's SSO
    // server, a failed guess at jane's password, kevin's phone.
    let w = World::new();
    ingest(
        &w.case,
        &[fixture("hunts/network/keepalive-divergence.ndjson")],
    );
    let mut d = Driver::start(&w.case);
    let alex = d.ips("alex.morgan@acme.com");
    assert_eq!(alex["99.61.20.7"].overlaps_dominant, Some(false));
    assert_eq!(alex["74.125.212.9"].role, "SSO service");
    assert_eq!(alex["74.125.212.9"].overlaps_dominant, None);
    assert_eq!(alex["64.125.38.71"].overlaps_dominant, None);
    assert_eq!(alex["198.51.100.40"].overlaps_dominant, None);
    let jane = d.ips(JANE);
    assert_eq!(jane[ATTACKER].overlaps_dominant, Some(true));
    assert_eq!(jane[JANE_HOME].overlaps_dominant, None);
    assert_eq!(jane["74.125.212.9"].overlaps_dominant, None);
    assert_eq!(
        jane["45.155.205.10"].overlaps_dominant,
        Some(false),
        "failed only"
    );
    let kevin = d.ips("kevin.brooks@acme.com");
    assert_eq!(kevin["174.192.10.9"].overlaps_dominant, None);
}
