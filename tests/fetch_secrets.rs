//! The token never leaves the process except in the Authorization header:
//! not in the case directory, not in the log (even at trace level), not on
//! stdout or stderr, whatever path the run takes.

mod common;
mod fetch_sim;

use common::{Run, World};
use fetch_sim::{ACCESS_TOKEN, Fault, Sim, TOKEN, events, fetch};
use serde_json::json;
use std::path::{Path, PathBuf};

const WRONG: &str = "00WrongButStillSecret-DoNotLeak-4d2e";

/// Every file under `dir` whose bytes contain `needle`.
fn files_with(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return hits;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            hits.extend(files_with(&p, needle));
        } else if let Ok(bytes) = std::fs::read(&p) {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                hits.push(p);
            }
        }
    }
    hits
}

#[cfg(unix)]
#[tokio::test]
async fn the_token_is_never_written_logged_or_printed() {
    use std::os::unix::fs::PermissionsExt;
    let sim = Sim::new(2);
    sim.add(events("s", "2024-03-01T10:00:00Z", 5));
    sim.fault(1, Fault::TooMany(None));
    sim.fault(3, Fault::Status(500, json!({"errorSummary": "boom"})));
    let (_server, base) = sim.serve().await;
    let w = World::new();
    let trace = ("OKHUNT_LOG", "trace");
    let org = ["--org", base.as_str()];
    let mut runs: Vec<Run> = Vec::new();

    // Success with retries, an API token.
    let mut a = org.to_vec();
    a.extend(["--since", "2024-03-01"]);
    runs.push(fetch(&w, &a, &[trace]));
    runs.last().map(|r| r.code(0));
    // A rejected token.
    runs.push(fetch(&w, &org, &[trace, ("OKTA_API_TOKEN", WRONG)]));
    runs.last().map(|r| r.code(1));
    // An access token, then a token file.
    runs.push(fetch(
        &w,
        &org,
        &[
            trace,
            ("OKTA_API_TOKEN", ""),
            ("OKTA_ACCESS_TOKEN", ACCESS_TOKEN),
        ],
    ));
    runs.last().map(|r| r.code(0));
    let file = w.write("secret/token", TOKEN);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let mut a = org.to_vec();
    a.extend(["--token-file", file.to_str().expect("path")]);
    runs.push(fetch(&w, &a, &[trace, ("OKTA_API_TOKEN", "")]));
    runs.last().map(|r| r.code(0));
    // A refused filter and a bad --org print errors too.
    let mut a = org.to_vec();
    a.extend(["--filter", "bogus"]);
    runs.push(fetch(&w, &a, &[trace]));
    runs.push(fetch(&w, &["--org", "http://example.com"], &[trace]));

    // The server did get each token, so a leak would be visible below.
    let auths: Vec<String> = sim.log().iter().filter_map(|s| s.auth.clone()).collect();
    for t in [TOKEN, WRONG, ACCESS_TOKEN] {
        assert!(auths.iter().any(|a| a.ends_with(t)), "{t} never sent");
    }
    let log = w.path("state/okhunt/okhunt.log");
    let log_text = std::fs::read_to_string(&log).expect("the log exists");
    assert!(
        log_text.contains("GET") && log_text.contains(&base),
        "trace logging did not run"
    );
    assert!(log_text.contains("<redacted>"), "the config was not logged");

    for needle in [
        TOKEN,
        WRONG,
        ACCESS_TOKEN,
        "DoNotLeak",
        "c2lnLURvTm90TGVhaw",
    ] {
        for (i, r) in runs.iter().enumerate() {
            assert!(
                !r.stdout.contains(needle),
                "run {i} printed {needle} on stdout"
            );
            assert!(
                !r.stderr.contains(needle),
                "run {i} printed {needle} on stderr:\n{}",
                r.stderr
            );
        }
        assert_eq!(
            files_with(&w.case, needle),
            Vec::<PathBuf>::new(),
            "{needle} in the case"
        );
        assert_eq!(
            files_with(&w.path("state"), needle),
            Vec::<PathBuf>::new(),
            "{needle} logged"
        );
        assert_eq!(files_with(&w.path("data"), needle), Vec::<PathBuf>::new());
    }
}

/// With a token in memory, a crash must not write it to a core file: the
/// core size limit of a running fetch is 0 (and on Linux it is
/// non-dumpable, which /proc does not show to root).
#[cfg(target_os = "linux")]
#[test]
fn a_process_holding_the_token_writes_no_core_dump() {
    use std::io::Read;
    use std::net::TcpListener;
    // An "org" that accepts the connection and never answers: the fetch
    // holds the token while it waits.
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let org = format!("http://{}", listener.local_addr().expect("addr"));
    let w = World::new();
    let mut child = fetch_sim::fetch_cmd(&w, &["--org", &org], &[])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn okhunt fetch");
    let (mut conn, _) = listener.accept().expect("the fetch connects");
    let mut first = [0u8; 16];
    let _ = conn.read(&mut first);
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).expect("limits");
    let _ = child.kill();
    let _ = child.wait();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .expect("a core limit line");
    let soft = core.split_whitespace().nth(4).expect("soft limit");
    assert_eq!(soft, "0", "{core}");
}
