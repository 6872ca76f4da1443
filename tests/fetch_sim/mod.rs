//! A small Okta System Log API for the fetch tests, served on loopback by
//! wiremock (or by a raw TCP server when a test needs a connection cut in
//! the middle of a body).
//!
//! It speaks `/api/v1/logs` as §3 of the domain notes describes: `since`,
//! `until`, `filter` (`eventType eq "..."`), `q`, `limit`, an opaque
//! `after` cursor, `Link` headers with `rel="self"` and `rel="next"`
//! (bounded: none on the last page; polling: always, even on an empty
//! page), rate-limit headers, and Okta's error bodies. Faults are scripted
//! by request number; every request is logged with its time, URL,
//! `Authorization` header and the status it got.

#![allow(dead_code)]

use crate::common::{Run, World};
use chrono::{DateTime, Utc};
use reqwest::Url;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const TOKEN: &str = "00sImTok3n-DoNotLeak-7f3a9c";
pub const ACCESS_TOKEN: &str = "eyJraWQiOiJzaW0ifQ.eyJzdWIiOiJzaW0ifQ.c2lnLURvTm90TGVhaw";

/// What the server does instead of (or on top of) answering normally.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer this status with this JSON body.
    Status(u16, Value),
    /// 429; with `Some(n)`, `X-Rate-Limit-Reset` n seconds ahead.
    TooMany(Option<i64>),
    /// Answer normally after this delay.
    Delay(Duration),
    /// Send the headers and half the body, then close (raw server only).
    DropMidBody,
    /// Answer normally, saying this many requests remain until a reset
    /// n seconds ahead.
    Remaining(u32, i64),
    /// Answer normally but with this next link.
    NextLink(String),
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub at: SystemTime,
    pub url: Url,
    pub auth: Option<String>,
    pub status: u16,
    /// The `X-Rate-Limit-Reset` the answer carried.
    pub reset: Option<i64>,
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Option<Duration>,
    pub drop_mid_body: bool,
}

struct State {
    events: Vec<Value>,
    page_size: usize,
    auth: Vec<String>,
    faults: HashMap<usize, Fault>,
    log: Vec<Seen>,
}

#[derive(Clone)]
pub struct Sim(Arc<Mutex<State>>);

impl Default for Sim {
    fn default() -> Self {
        Sim::new(3)
    }
}

impl Sim {
    /// An empty org that serves pages of `page_size` events and accepts
    /// `SSWS TOKEN` and `Bearer ACCESS_TOKEN`.
    pub fn new(page_size: usize) -> Sim {
        Sim(Arc::new(Mutex::new(State {
            events: Vec::new(),
            page_size,
            auth: vec![format!("SSWS {TOKEN}"), format!("Bearer {ACCESS_TOKEN}")],
            faults: HashMap::new(),
            log: Vec::new(),
        })))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn add(&self, events: impl IntoIterator<Item = Value>) {
        let mut s = self.state();
        s.events.extend(events);
        s.events.sort_by_key(key);
    }

    /// Fault on the request numbered `n` (0-based, counting every request).
    pub fn fault(&self, n: usize, f: Fault) {
        self.state().faults.insert(n, f);
    }

    pub fn log(&self) -> Vec<Seen> {
        self.state().log.clone()
    }

    pub fn requests(&self) -> usize {
        self.state().log.len()
    }

    /// Answer one request.
    pub fn handle(&self, url: &Url, auth: Option<&str>) -> Reply {
        let mut s = self.state();
        let n = s.log.len();
        let fault = s.faults.remove(&n);
        let mut reply = answer(&s, url, auth, fault.as_ref());
        if let Some(Fault::Delay(d)) = fault {
            reply.delay = Some(d);
        }
        let reset = reply
            .headers
            .iter()
            .find(|(k, _)| k == "x-rate-limit-reset")
            .and_then(|(_, v)| v.parse().ok());
        s.log.push(Seen {
            at: SystemTime::now(),
            url: url.clone(),
            auth: auth.map(str::to_string),
            status: reply.status,
            reset,
        });
        reply
    }

    /// Serve on loopback with wiremock; returns the server (keep it alive)
    /// and its base URL.
    pub async fn serve(&self) -> (wiremock::MockServer, String) {
        let server = wiremock::MockServer::start().await;
        let uri = server.uri();
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Responder(self.clone(), uri.clone()))
            .mount(&server)
            .await;
        (server, uri)
    }

    /// Serve on loopback with a raw HTTP/1.1 server (one request per
    /// connection); returns the base URL. The server lives as long as the
    /// test process.
    pub fn serve_raw(&self) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let sim = self.clone();
        let origin = base.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let sim = sim.clone();
                let origin = origin.clone();
                std::thread::spawn(move || serve_conn(&sim, &origin, conn));
            }
        });
        base
    }
}

fn key(e: &Value) -> (String, String) {
    (
        e["published"].as_str().unwrap_or_default().to_string(),
        e["uuid"].as_str().unwrap_or_default().to_string(),
    )
}

fn ms(t: &str) -> i64 {
    t.parse::<DateTime<Utc>>()
        .map(|t| t.timestamp_millis())
        .unwrap_or(0)
}

fn cursor(e: &Value) -> String {
    let (p, u) = key(e);
    format!("{}_{}", ms(&p), u)
}

fn epoch() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn error(status: u16, code: &str, summary: &str, causes: &[&str]) -> (u16, Value) {
    (
        status,
        json!({
            "errorCode": code,
            "errorSummary": summary,
            "errorLink": code,
            "errorId": "oaeSim",
            "errorCauses": causes.iter().map(|c| json!({"errorSummary": c})).collect::<Vec<_>>(),
        }),
    )
}

fn json_reply(status: u16, body: &Value, headers: Vec<(String, String)>) -> Reply {
    let mut headers = headers;
    headers.push(("content-type".into(), "application/json".into()));
    Reply {
        status,
        headers,
        body: body.to_string().into_bytes(),
        delay: None,
        drop_mid_body: false,
    }
}

fn rate_headers(remaining: u32, reset_in: i64) -> Vec<(String, String)> {
    vec![
        ("x-rate-limit-limit".into(), "1000".into()),
        ("x-rate-limit-remaining".into(), remaining.to_string()),
        (
            "x-rate-limit-reset".into(),
            (epoch() + reset_in).to_string(),
        ),
    ]
}

fn answer(s: &State, url: &Url, auth: Option<&str>, fault: Option<&Fault>) -> Reply {
    let mut rate = rate_headers(999, 60);
    match fault {
        Some(Fault::Status(code, body)) => return json_reply(*code, body, rate),
        Some(Fault::TooMany(reset)) => {
            let (st, body) = error(
                429,
                "E0000047",
                "API call exceeded rate limit due to too many requests.",
                &[],
            );
            let headers = reset.map(|r| rate_headers(0, r)).unwrap_or_default();
            return json_reply(st, &body, headers);
        }
        Some(Fault::Remaining(n, reset)) => rate = rate_headers(*n, *reset),
        _ => {}
    }
    if !auth.is_some_and(|a| s.auth.iter().any(|ok| ok == a)) {
        let (st, body) = error(401, "E0000011", "Invalid token provided", &[]);
        return json_reply(st, &body, rate);
    }
    if url.path() != "/api/v1/logs" {
        let (st, body) = error(
            404,
            "E0000022",
            "The endpoint does not support the provided HTTP method",
            &[],
        );
        return json_reply(st, &body, rate);
    }
    let params: HashMap<String, String> = url.query_pairs().into_owned().collect();
    let since = params.get("since").map_or(0, |t| ms(t));
    let until = params.get("until").map(|t| ms(t));
    let after = params.get("after").cloned();
    let limit: usize = params
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(100);
    let event_type = match params.get("filter") {
        None => None,
        Some(f) => match f
            .strip_prefix("eventType eq \"")
            .and_then(|r| r.strip_suffix('"'))
        {
            Some(t) => Some(t.to_string()),
            None => {
                let (st, body) = error(
                    400,
                    "E0000031",
                    "Invalid search criteria.",
                    &["filter: Invalid filter expression \u{1b}[31m(sim)"],
                );
                return json_reply(st, &body, rate);
            }
        },
    };
    let words: Vec<String> = params
        .get("q")
        .map(|q| q.split_whitespace().map(str::to_lowercase).collect())
        .unwrap_or_default();
    let matching: Vec<&Value> = s
        .events
        .iter()
        .filter(|e| {
            let p = ms(e["published"].as_str().unwrap_or_default());
            p >= since
                && until.is_none_or(|u| p < u)
                && after
                    .as_ref()
                    .is_none_or(|a| cursor(e).as_str() > a.as_str())
                && event_type
                    .as_deref()
                    .is_none_or(|t| e["eventType"].as_str() == Some(t))
                && words
                    .iter()
                    .all(|w| e.to_string().to_lowercase().contains(w))
        })
        .collect();
    let take = limit.min(s.page_size).min(1000);
    let page: Vec<&Value> = matching.iter().take(take).copied().collect();
    let more = matching.len() > page.len();
    let next_after = page.last().map(|e| cursor(e)).or(after);
    let mut headers = rate;
    headers.push(("link".into(), format!("<{url}>; rel=\"self\"")));
    let next = match fault {
        Some(Fault::NextLink(l)) => Some(l.clone()),
        _ if until.is_none() || more => {
            let mut n = url.clone();
            {
                let mut q = n.query_pairs_mut();
                q.clear();
                for (k, v) in url.query_pairs() {
                    if k != "after" {
                        q.append_pair(&k, &v);
                    }
                }
                if let Some(a) = &next_after {
                    q.append_pair("after", a);
                }
            }
            Some(n.to_string())
        }
        _ => None,
    };
    if let Some(n) = next {
        headers.push(("link".into(), format!("<{n}>; rel=\"next\"")));
    }
    let body = Value::Array(page.into_iter().cloned().collect());
    let mut r = json_reply(200, &body, headers);
    r.drop_mid_body = matches!(fault, Some(Fault::DropMidBody));
    r
}

struct Responder(Sim, String);

impl wiremock::Respond for Responder {
    fn respond(&self, req: &wiremock::Request) -> wiremock::ResponseTemplate {
        let auth = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        // wiremock names every request http://localhost/...: put the
        // server's own origin back, as Okta's links carry the org's.
        let mut url = Url::parse(&self.1).expect("origin");
        url.set_path(req.url.path());
        url.set_query(req.url.query());
        let reply = self.0.handle(&url, auth);
        assert!(!reply.drop_mid_body, "DropMidBody needs serve_raw");
        let mut t = wiremock::ResponseTemplate::new(reply.status);
        for (k, v) in &reply.headers {
            if k != "content-type" {
                t = t.append_header(k.as_str(), v.as_str());
            }
        }
        t = t.set_body_raw(reply.body, "application/json");
        if let Some(d) = reply.delay {
            t = t.set_delay(d);
        }
        t
    }
}

fn serve_conn(sim: &Sim, origin: &str, mut conn: TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.lines();
    let target = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("/")
        .to_string();
    let auth = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.trim().to_string());
    let Ok(url) = Url::parse(&format!("{origin}{target}")) else {
        return;
    };
    let reply = sim.handle(&url, auth.as_deref());
    if let Some(d) = reply.delay {
        std::thread::sleep(d);
    }
    let mut out = format!("HTTP/1.1 {} Sim\r\n", reply.status);
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        reply.body.len()
    ));
    let _ = conn.write_all(out.as_bytes());
    if reply.drop_mid_body {
        let _ = conn.write_all(&reply.body[..reply.body.len() / 2]);
        let _ = conn.flush();
        let _ = conn.shutdown(std::net::Shutdown::Both);
        return;
    }
    let _ = conn.write_all(&reply.body);
    let _ = conn.flush();
}

/// A realistic event: `n` picks the user, the IP and the event type.
pub fn event(uuid: &str, published: &str, n: usize) -> Value {
    let users = ["alice@acme.com", "bob@acme.com", "carol@acme.com"];
    let types = [
        "user.session.start",
        "user.authentication.sso",
        "user.mfa.factor.update",
    ];
    let user = users[n % users.len()];
    json!({
        "uuid": uuid,
        "published": published,
        "eventType": types[n % types.len()],
        "version": "0",
        "severity": "INFO",
        "displayMessage": "User login to Okta",
        "actor": {"id": format!("00u{n}"), "type": "User", "alternateId": user, "displayName": user},
        "client": {
            "ipAddress": format!("203.0.113.{}", n % 250 + 1),
            "userAgent": {"rawUserAgent": "Mozilla/5.0", "os": "Mac OS X", "browser": "CHROME"},
            "zone": "null",
            "device": "Computer",
            "geographicalContext": {"city": "Lisbon", "country": "Portugal"}
        },
        "outcome": {"result": "SUCCESS"},
        "authenticationContext": {"externalSessionId": format!("102sess{n}")},
        "transaction": {"type": "WEB", "id": format!("txn{n}")},
        "target": [],
    })
}

/// `n` events a minute apart from `start` (RFC 3339), uuids `{prefix}-{i}`.
pub fn events(prefix: &str, start: &str, n: usize) -> Vec<Value> {
    let t0: DateTime<Utc> = start.parse().expect("start time");
    (0..n)
        .map(|i| {
            let t = t0 + chrono::Duration::minutes(i as i64);
            let published = t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            event(&format!("{prefix}-{i:03}"), &published, i)
        })
        .collect()
}

/// `okhunt --case CASE fetch ARGS...` with the sim's API token in
/// OKTA_API_TOKEN, a tiny retry backoff and no proxy; `env` is applied
/// last (an empty value removes the variable).
pub fn fetch_cmd(w: &World, args: &[&str], env: &[(&str, &str)]) -> std::process::Command {
    // `okhunt fetch --case CASE`: the subcommand first (clap takes
    // `okhunt --case CASE fetch` for the TUI's PATH arguments).
    let mut c = w.bare_std();
    c.arg("fetch")
        .arg("--case")
        .arg(&w.case)
        .args(args)
        .env("OKTA_API_TOKEN", TOKEN)
        .env_remove("OKTA_ACCESS_TOKEN")
        .env("OKHUNT_FETCH_BACKOFF_MS", "10")
        .env("NO_PROXY", "*");
    for v in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        c.env_remove(v);
    }
    for (k, v) in env {
        if v.is_empty() {
            c.env_remove(k);
        } else {
            c.env(k, v);
        }
    }
    c
}

/// Run `okhunt fetch` to its end (a minute at most).
pub fn fetch(w: &World, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = assert_cmd::Command::from_std(fetch_cmd(w, args, env));
    c.timeout(Duration::from_secs(60));
    Run::from_output(c.output().expect("run okhunt fetch"))
}

/// The fetch summary: (pages, read, added, duplicates, skipped).
pub fn summary(r: &Run) -> (u64, u64, u64, u64, u64) {
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains(" pages, ") && l.contains(" events read, "))
        .unwrap_or_else(|| panic!("no fetch summary:\n{}", r.stderr));
    let num = |word: &str| crate::common::number_before(line, word);
    (
        num(" pages,"),
        num(" events read,"),
        num(" added,"),
        num(" duplicates,"),
        num(" skipped"),
    )
}

/// The uuids of `events`, as a sorted set.
pub fn ids(events: &[Value]) -> std::collections::BTreeSet<String> {
    events
        .iter()
        .filter_map(|e| e["uuid"].as_str().map(str::to_string))
        .collect()
}

/// Every uuid in the case, checking none is there twice.
pub fn case_ids(w: &World) -> std::collections::BTreeSet<String> {
    let all = case_events(w);
    let set = ids(&all);
    assert_eq!(set.len(), all.len(), "an event is in the case twice");
    set
}

/// The case's fetch state (fetch.json) as JSON.
pub fn state(w: &World) -> Value {
    let text = std::fs::read_to_string(w.case.join("fetch.json")).expect("fetch.json");
    serde_json::from_str(&text).expect("fetch.json is JSON")
}

/// Every event in the case (`okhunt search --case CASE --format ndjson`).
pub fn case_events(w: &World) -> Vec<Value> {
    let mut c = w.bare_std();
    c.args(["search", "--format", "ndjson", "--case"])
        .arg(&w.case);
    let r = Run::from_output(c.output().expect("run okhunt search"));
    r.code(0);
    crate::common::parse_ndjson(&r.stdout)
}
