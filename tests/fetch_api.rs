//! `okhunt fetch` against a loopback server that speaks the System Log API:
//! paging by the book, rate limits, retries, one-sentence errors. Each test
//! checks the uuids in the case, the requests the server saw and the exit
//! code.

mod common;
mod fetch_sim;

use common::World;
use fetch_sim::{ACCESS_TOKEN, Fault, Sim, TOKEN, case_ids, events, fetch, ids, state, summary};
use serde_json::json;
use std::time::{Duration, UNIX_EPOCH};

const DAY: [&str; 4] = ["--since", "2024-03-01", "--until", "2024-03-02"];

fn org(base: &str) -> Vec<&str> {
    vec!["--org", base]
}

fn args<'a>(base: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut a = org(base);
    a.extend_from_slice(more);
    a
}

#[tokio::test]
async fn bounded_pull_over_several_pages() {
    let sim = Sim::new(3);
    let inside = events("in", "2024-03-01T10:00:00Z", 8);
    sim.add(inside.clone());
    sim.add(events("before", "2024-02-29T23:00:00Z", 2));
    sim.add(events("after", "2024-03-02T00:00:00Z", 2));
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let r = fetch(&w, &args(&base, &DAY), &[]);
    r.code(0);
    assert_eq!(summary(&r), (3, 8, 8, 0, 0));
    assert_eq!(case_ids(&w), ids(&inside));

    let log = sim.log();
    assert_eq!(log.len(), 3, "3 pages of 3, 3, 2: {log:#?}");
    let first = &log[0];
    assert_eq!(
        first.param("since").as_deref(),
        Some("2024-03-01T00:00:00.000Z")
    );
    assert_eq!(
        first.param("until").as_deref(),
        Some("2024-03-02T00:00:00.000Z")
    );
    assert_eq!(first.param("limit").as_deref(), Some("1000"));
    assert_eq!(first.param("sortOrder").as_deref(), Some("ASCENDING"));
    assert_eq!(first.param("after"), None);
    assert!(log[1].param("after").is_some() && log[2].param("after").is_some());
    for s in &log {
        assert_eq!(s.auth.as_deref(), Some(format!("SSWS {TOKEN}").as_str()));
        assert_eq!(s.status, 200);
    }
    // A complete bounded pull holds everything up to --until.
    let st = state(&w);
    let c = &st["cursors"][0];
    assert_eq!(c["org"], json!(base));
    assert_eq!(c["position"], json!("2024-03-02T00:00:00Z"));
    assert_eq!(c["next"], json!(null));
    assert_eq!(c["polling"], json!(false));
    // The run is in the case's ingest history.
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.case.join("case.json")).expect("meta"))
            .expect("json");
    assert_eq!(
        meta["ingests"][0]["sources"],
        json!([format!("{base}/api/v1/logs")])
    );
    assert_eq!(meta["ingests"][0]["added"], json!(8));
}

#[tokio::test]
async fn polling_pull_stops_on_the_empty_page_and_keeps_its_next_link() {
    let sim = Sim::new(2);
    let first = events("p", "2024-03-01T10:00:00Z", 5);
    sim.add(first.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let r = fetch(&w, &args(&base, &["--since", "2024-03-01"]), &[]);
    r.code(0).stderr_has("caught up");
    assert_eq!(summary(&r), (4, 5, 5, 0, 0));
    assert_eq!(case_ids(&w), ids(&first));
    let log = sim.log();
    // 2 + 2 + 1 events, then the empty page that carries a next link: and
    // nothing after it (a naive "while next" loop never ends here).
    assert_eq!(log.len(), 4, "{log:#?}");
    assert!(log.iter().all(|s| s.param("until").is_none()));
    let c = &state(&w)["cursors"][0];
    assert_eq!(c["polling"], json!(true));
    assert_eq!(c["position"], json!("2024-03-01T10:04:00Z"));
    assert_eq!(c["last_published"], json!("2024-03-01T10:04:00Z"));
    let next = c["next"].as_str().expect("a saved next link");
    assert!(next.starts_with(&base) && next.contains("after="), "{next}");
    // The empty page's next link is the one saved for later polls.
    assert_eq!(next, log[3].url.as_str());

    // Again, without --since: from the saved position less the overlap,
    // and nothing is added twice.
    let r = fetch(&w, &org(&base), &[]);
    r.code(0)
        .stderr_has("continuing where the last fetch stopped (2024-03-01T10:04:00.000Z)");
    let log = sim.log();
    assert_eq!(
        log[4].param("since").as_deref(),
        Some("2024-03-01T10:02:00.000Z")
    );
    assert_eq!(log[4].param("after"), None);
    let (_, read, added, dups, _) = summary(&r);
    assert_eq!((read, added, dups), (3, 0, 3));
    assert_eq!(case_ids(&w), ids(&first));

    // New events at the org: exactly those are added.
    let later = events("q", "2024-03-01T11:00:00Z", 2);
    sim.add(later.clone());
    let r = fetch(&w, &org(&base), &[]);
    r.code(0);
    assert_eq!(summary(&r).2, 2);
    assert_eq!(
        case_ids(&w),
        ids(&first).union(&ids(&later)).cloned().collect()
    );
}

#[tokio::test]
async fn too_many_requests_waits_for_the_reset_and_retries_the_same_url() {
    let sim = Sim::new(3);
    let evs = events("r", "2024-03-01T10:00:00Z", 7);
    sim.add(evs.clone());
    sim.fault(1, Fault::TooMany(Some(1)));
    sim.fault(3, Fault::TooMany(None));
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let r = fetch(&w, &args(&base, &DAY), &[]);
    r.code(0).stderr_has("rate limit exceeded (429)");
    assert_eq!(case_ids(&w), ids(&evs));
    let log = sim.log();
    let status: Vec<u16> = log.iter().map(|s| s.status).collect();
    assert_eq!(status, vec![200, 429, 200, 429, 200]);
    assert_eq!(log[2].url, log[1].url, "the 429'd URL is asked again");
    assert_eq!(log[4].url, log[3].url);
    let reset = UNIX_EPOCH + Duration::from_secs(log[1].reset.expect("reset") as u64);
    assert!(log[2].at >= reset, "retried before X-Rate-Limit-Reset");
    assert!(r.stderr.contains("2 rate-limit waits"), "{}", r.stderr);
}

#[tokio::test]
async fn few_requests_left_slows_down_before_zero() {
    let sim = Sim::new(3);
    sim.add(events("s", "2024-03-01T10:00:00Z", 5));
    // 5 of 1000 left (below the reserve), reset two seconds ahead.
    sim.fault(0, Fault::Remaining(5, 2));
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let r = fetch(&w, &args(&base, &DAY), &[]);
    r.code(0).stderr_has("rate limit: 5 of 1000 requests left");
    let log = sim.log();
    assert_eq!(log.len(), 2);
    let reset = UNIX_EPOCH + Duration::from_secs(log[0].reset.expect("reset") as u64);
    assert!(log[1].at >= reset, "asked again before the window reset");
}

#[tokio::test]
async fn max_rate_spaces_the_requests() {
    let sim = Sim::new(1);
    sim.add(events("m", "2024-03-01T10:00:00Z", 3));
    let (_server, base) = sim.serve().await;
    let w = World::new();

    fetch(
        &w,
        &args(
            &base,
            &[
                "--since",
                "2024-03-01",
                "--until",
                "2024-03-02",
                "--max-rate",
                "150",
            ],
        ),
        &[],
    )
    .code(0);
    let log = sim.log();
    assert_eq!(log.len(), 3);
    for pair in log.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at).expect("ordered");
        assert!(
            gap >= Duration::from_millis(300),
            "about 60/150 s apart, got {gap:?}"
        );
    }
}

#[tokio::test]
async fn server_errors_and_timeouts_are_retried() {
    let sim = Sim::new(3);
    let evs = events("e", "2024-03-01T10:00:00Z", 6);
    sim.add(evs.clone());
    sim.fault(0, json_fault(500, "E0000009", "Internal Server Error"));
    sim.fault(2, Fault::Delay(Duration::from_secs(3)));
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let r = fetch(
        &w,
        &args(&base, &DAY),
        &[("OKHUNT_FETCH_TIMEOUT_MS", "500")],
    );
    r.code(0)
        .stderr_has("HTTP 500: Okta says \"Internal Server Error: E0000009\"; try 2 of 6")
        .stderr_has("no answer within 0.5s (timeout); try 2 of 6");
    assert_eq!(case_ids(&w), ids(&evs));
    let log = sim.log();
    assert_eq!(log.len(), 4, "{log:#?}");
    assert_eq!(log[0].url, log[1].url);
    assert_eq!(log[2].url, log[3].url);
}

fn json_fault(status: u16, code: &str, summary: &str) -> Fault {
    Fault::Status(
        status,
        json!({"errorCode": code, "errorSummary": summary, "errorLink": code, "errorId": "x", "errorCauses": []}),
    )
}

#[tokio::test]
async fn unauthorized_stops_at_once_and_names_the_variable() {
    let sim = Sim::new(3);
    sim.add(events("u", "2024-03-01T10:00:00Z", 4));
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let r = fetch(
        &w,
        &args(&base, &DAY),
        &[("OKTA_API_TOKEN", "00wrongWrongWrong")],
    );
    r.code(1).stderr_lacks(" pages, ").stderr_has(
        "okhunt: Okta rejected the API token from $OKTA_API_TOKEN (401 Unauthorized: invalid, expired or revoked: Okta says \"Invalid token provided: E0000011\")",
    );
    assert_eq!(sim.requests(), 1, "no request may follow a 401");
    assert_eq!(sim.log()[0].auth.as_deref(), Some("SSWS 00wrongWrongWrong"));
    assert!(!w.case.exists(), "the case was created");

    let r = fetch(
        &w,
        &args(&base, &DAY),
        &[
            ("OKTA_API_TOKEN", ""),
            ("OKTA_ACCESS_TOKEN", "eyJ.expired.token"),
        ],
    );
    r.code(1)
        .stderr_has("the access token from $OKTA_ACCESS_TOKEN (401");
    assert_eq!(sim.requests(), 2);
    assert_eq!(
        sim.log()[1].auth.as_deref(),
        Some("Bearer eyJ.expired.token")
    );
}

#[tokio::test]
async fn access_tokens_are_sent_as_bearer() {
    let sim = Sim::new(3);
    let evs = events("b", "2024-03-01T10:00:00Z", 4);
    sim.add(evs.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let r = fetch(
        &w,
        &args(&base, &DAY),
        &[("OKTA_API_TOKEN", ""), ("OKTA_ACCESS_TOKEN", ACCESS_TOKEN)],
    );
    r.code(0);
    assert_eq!(case_ids(&w), ids(&evs));
    let want = format!("Bearer {ACCESS_TOKEN}");
    assert!(
        sim.log()
            .iter()
            .all(|s| s.auth.as_deref() == Some(want.as_str()))
    );
}

#[tokio::test]
async fn bad_filter_and_forbidden_leave_the_case_as_it_was() {
    let sim = Sim::new(3);
    let evs = events("f", "2024-03-01T10:00:00Z", 3);
    sim.add(evs.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();
    fetch(&w, &args(&base, &DAY), &[]).code(0);
    let meta = std::fs::read(w.case.join("case.json")).expect("meta");
    let st = std::fs::read(w.case.join("fetch.json")).expect("state");

    let r = fetch(
        &w,
        &args(&base, &["--filter", "bogus", "--since", "1d"]),
        &[],
    );
    r.code(1).stderr_has(
        "okhunt: Okta refused the query (400 Bad Request: Invalid search criteria.: filter: Invalid filter expression \\u{1b}[31m(sim): E0000031): check --filter and --query",
    );
    assert!(
        !r.stderr.contains('\u{1b}'),
        "server text reached the terminal raw"
    );
    assert_eq!(sim.requests(), 2);

    sim.fault(
        2,
        json_fault(
            403,
            "E0000006",
            "You do not have permission to perform the requested action",
        ),
    );
    let r = fetch(&w, &args(&base, &["--since", "1d"]), &[]);
    r.code(1)
        .stderr_has("may not read the System Log (403 Forbidden")
        .stderr_has("okta.logs.read");
    assert_eq!(sim.requests(), 3);

    assert_eq!(std::fs::read(w.case.join("case.json")).expect("meta"), meta);
    assert_eq!(std::fs::read(w.case.join("fetch.json")).expect("state"), st);
    assert_eq!(case_ids(&w), ids(&evs));
}

#[tokio::test]
async fn filter_and_query_are_passed_and_keep_their_own_cursor() {
    let sim = Sim::new(3);
    let evs = events("k", "2024-03-01T10:00:00Z", 9);
    sim.add(evs.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();

    let filter = r#"eventType eq "user.session.start""#;
    let r = fetch(
        &w,
        &args(
            &base,
            &[
                "--since",
                "2024-03-01",
                "--filter",
                filter,
                "--query",
                "Lisbon",
            ],
        ),
        &[],
    );
    r.code(0);
    let want: Vec<_> = evs
        .iter()
        .filter(|e| e["eventType"] == "user.session.start")
        .cloned()
        .collect();
    assert_eq!(case_ids(&w), ids(&want));
    let first = &sim.log()[0];
    assert_eq!(first.param("filter").as_deref(), Some(filter));
    assert_eq!(first.param("q").as_deref(), Some("Lisbon"));
    // The unfiltered pull has no cursor yet: it starts 7 days back.
    let r = fetch(&w, &org(&base), &[]);
    r.code(0).stderr_has("no earlier fetch");
    let st = state(&w);
    assert_eq!(st["cursors"].as_array().map(Vec::len), Some(2));
    assert_eq!(st["cursors"][0]["filter"], json!(filter));
    assert_eq!(st["cursors"][0]["query"], json!("Lisbon"));
}

#[tokio::test]
async fn without_since_or_state_it_asks_for_the_last_seven_days() {
    let sim = Sim::new(3);
    let (_server, base) = sim.serve().await;
    let w = World::new();
    let r = fetch(&w, &org(&base), &[]);
    r.code(0).stderr_has("starting 7 days back");
    let since: chrono::DateTime<chrono::Utc> = sim.log()[0]
        .param("since")
        .expect("since")
        .parse()
        .expect("time");
    let want = chrono::Utc::now() - chrono::Duration::days(7);
    assert!((since - want).num_seconds().abs() < 120, "{since}");
    // One empty page that carries a next link: caught up, link saved.
    assert_eq!(sim.requests(), 1);
    assert!(state(&w)["cursors"][0]["next"].is_string());
}

#[tokio::test]
async fn an_odd_element_is_counted_and_skipped() {
    let sim = Sim::new(10);
    let evs = events("o", "2024-03-01T10:00:00Z", 3);
    sim.add(evs.clone());
    sim.add([
        json!({"uuid": "odd", "published": "2024-03-01T10:00:30.000Z", "note": "no eventType"}),
    ]);
    let (_server, base) = sim.serve().await;
    let w = World::new();
    let r = fetch(&w, &args(&base, &DAY), &[]);
    r.code(0)
        .stderr_has("okhunt: skipped an element: not an Okta event");
    assert_eq!(summary(&r), (1, 4, 3, 0, 1));
    assert_eq!(case_ids(&w), ids(&evs));
}

#[tokio::test]
async fn a_next_link_off_the_org_is_not_followed() {
    let sim = Sim::new(1);
    sim.add(events("x", "2024-03-01T10:00:00Z", 3));
    sim.fault(
        0,
        Fault::NextLink("http://127.0.0.2:9/api/v1/logs?after=steal".into()),
    );
    let (_server, base) = sim.serve().await;
    let w = World::new();
    let r = fetch(&w, &args(&base, &DAY), &[]);
    r.code(1)
        .stderr_has("points to http://127.0.0.2:9, outside");
    assert_eq!(sim.requests(), 1);
    // The page that carried it was not written either.
    assert!(!w.case.exists());
}

#[tokio::test]
async fn tls_failure_and_unreachable_org_are_one_sentence() {
    let sim = Sim::new(3);
    let (_server, base) = sim.serve().await;
    let w = World::new();
    // https:// to a server that speaks plain HTTP: the handshake fails.
    let tls = base.replace("http://", "https://");
    let r = fetch(&w, &org(&tls), &[]);
    r.code(1)
        .stderr_has(&format!("okhunt: the TLS connection to {tls} failed: "));
    assert_eq!(sim.requests(), 0);

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let gone = format!("http://127.0.0.1:{port}");
    let r = fetch(&w, &org(&gone), &[]);
    r.code(1)
        .stderr_has(&format!("okhunt: cannot reach {gone}: "));
    assert!(!w.case.exists());
}

#[test]
fn plain_http_is_for_loopback_only_and_the_token_must_exist() {
    let w = World::new();
    for org in ["http://acme.okta.com", "http://192.0.2.10:8080"] {
        let r = fetch(&w, &["--org", org], &[]);
        r.code(2)
            .stderr_has("plain http:// would send the token in clear");
    }
    let r = fetch(
        &w,
        &["--org", "https://acme.okta.com"],
        &[("OKTA_API_TOKEN", "")],
    );
    r.code(2).stderr_has("no Okta token: set OKTA_API_TOKEN");
    let r = fetch(
        &w,
        &[
            "--org",
            "https://acme.okta.com",
            "--follow",
            "--until",
            "1d",
        ],
        &[],
    );
    r.code(2);
    assert!(!w.case.exists());
    // A directory that is not a case is refused before any request.
    w.write("case/notes.txt", "mine");
    let r = fetch(&w, &["--org", "https://acme.okta.com"], &[]);
    r.code(1).stderr_has("is not an okhunt case");
}

#[cfg(unix)]
#[tokio::test]
async fn token_file_must_be_private() {
    use std::os::unix::fs::PermissionsExt;
    let sim = Sim::new(3);
    let evs = events("t", "2024-03-01T10:00:00Z", 2);
    sim.add(evs.clone());
    let (_server, base) = sim.serve().await;
    let w = World::new();
    let file = w.write("okta-token", format!("{TOKEN}\n"));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let path = file.to_str().expect("utf-8 path");
    let r = fetch(
        &w,
        &args(&base, &["--token-file", path, "--since", "2024-03-01"]),
        &[("OKTA_API_TOKEN", "")],
    );
    r.code(2)
        .stderr_has("is readable by others (mode 0640): run chmod 600");
    assert_eq!(sim.requests(), 0);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let r = fetch(
        &w,
        &args(&base, &["--token-file", path, "--since", "2024-03-01"]),
        &[("OKTA_API_TOKEN", "")],
    );
    r.code(0);
    assert_eq!(case_ids(&w), ids(&evs));
    let want = format!("SSWS {TOKEN}");
    assert!(
        sim.log()
            .iter()
            .all(|s| s.auth.as_deref() == Some(want.as_str()))
    );
}
