//! Every TUI screen rendered on ratatui's TestBackend at 80x24 and 120x40,
//! pinned with insta snapshots (`tests/snapshots/`). The state is built by
//! hand, so the screens do not depend on a case, the clock or a spinner.
//! Where a mark must be legible without colour, the snapshot also lists
//! the styled runs of each line.
//!
//! Update: `INSTA_UPDATE=always cargo test --test tui_snapshots` (or
//! `cargo insta review`), then read the `.snap` files.

use okhunt::app::msg::{Focus, IngestStatus, Request};
use okhunt::app::nav;
use okhunt::app::state::{
    AppState, Around, CaseInfo, EventItem, FindingItem, Histogram, IpItem, Prompt, PromptKind,
    Rows, Summary, SummaryLine, TimeRange, View,
};
use okhunt::keymap::Keymap;
use okhunt::output::EventRow;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// 2024-03-13 00:00:00 UTC.
const DAY: i64 = 1_710_288_000_000;
const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

fn at(h: i64, m: i64, s: i64) -> i64 {
    DAY + h * HOUR + m * MIN + s * 1000
}

fn keymap() -> Keymap {
    // The built-in keymap alone: a user's keymap file must not change
    // the screens.
    Keymap::builtin().expect("default keymap")
}

// ---------------------------------------------------------------- data

fn finding(
    hunt: &str,
    severity: &str,
    actor: Option<&str>,
    targets: &[&str],
    ips: &[&str],
    first_ms: i64,
    count: u64,
) -> FindingItem {
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    FindingItem {
        hunt: hunt.into(),
        severity: severity.into(),
        title: format!("{hunt} by {}", actor.unwrap_or("-")),
        actor: actor.map(str::to_string),
        targets: v(targets),
        ips: v(ips),
        sessions: vec!["102wtDDb-xHKas1VOqg6YYZYn".into()],
        first_ms,
        last_ms: first_ms + 20 * MIN,
        count,
        event_uuids: (0..count).map(|i| format!("uuid-{hunt}-{i}")).collect(),
    }
}

fn findings() -> Vec<FindingItem> {
    let jane = Some("jane.doe@acme.com");
    vec![
        finding(
            "session-hijack",
            "critical",
            jane,
            &["Salesforce", "GitHub"],
            &["203.0.113.106", "198.51.100.23"],
            at(17, 21, 37),
            2,
        ),
        finding(
            "keepalive-divergence",
            "high",
            jane,
            &[],
            &["203.0.113.106"],
            at(16, 57, 33),
            14,
        ),
        finding(
            "admin-privilege",
            "high",
            jane,
            &["helpdesk.temp@acme.com"],
            &["203.0.113.106"],
            at(17, 9, 48),
            1,
        ),
        finding(
            "api-token",
            "high",
            jane,
            &["okta-sync"],
            &["203.0.113.106"],
            at(17, 14, 2),
            5,
        ),
        finding(
            "support-reset",
            "medium",
            Some("system@okta.com"),
            &["jane.doe@acme.com"],
            &[],
            at(16, 51, 40),
            2,
        ),
        finding(
            "mfa-fatigue",
            "medium",
            Some("kevin.brooks@acme.com"),
            &["Okta Verify"],
            &["203.0.113.18"],
            at(-17, 12, 3),
            16,
        ),
        finding(
            "support-access",
            "medium",
            Some("support-jsmith@okta.com"),
            &["alex.morgan@acme.com"],
            &["198.51.100.42"],
            at(16, 38, 5),
            3,
        ),
        finding(
            "impossible-travel",
            "low",
            jane,
            &[],
            &["198.51.100.23", "203.0.113.106"],
            at(16, 57, 33),
            2,
        ),
        finding(
            "admin-console",
            "info",
            Some("alex.morgan@acme.com"),
            &["Okta Admin Console"],
            &["198.51.100.71"],
            at(16, 1, 10),
            1,
        ),
    ]
}

struct Ev<'a> {
    ms: i64,
    event_type: &'a str,
    actor: &'a str,
    target: &'a str,
    ip: &'a str,
    country: &'a str,
    city: &'a str,
    outcome: &'a str,
    session: &'a str,
    changed: &'a [&'static str],
}

const JANE: &str = "jane.doe@acme.com";
const HOME: &str = "198.51.100.23";
const EVIL: &str = "203.0.113.106";
const SESSION: &str = "102ORS_6ilI8ihN5KXSc7Tvo_";
const EVIL_SESSION: &str = "102wtDDb-xHKas1VOqg6YYZYn";

fn event(i: usize, e: Ev) -> EventItem {
    let uuid = format!("7f3c{i:04}-e1b2-11ee-9a4f-{:012x}", i * 7919);
    let published = nav::time(e.ms).replace(' ', "T") + ".000Z";
    let json = serde_json::json!({
        "uuid": uuid,
        "published": published,
        "eventType": e.event_type,
        "version": "0",
        "severity": "INFO",
        "displayMessage": e.event_type.replace('.', " "),
        "actor": {"id": "00u3BLy3Lk33BuwWSxa3", "type": "User", "alternateId": e.actor, "displayName": "Jane Doe"},
        "client": {
            "ipAddress": e.ip,
            "userAgent": {"rawUserAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15", "os": "Mac OS X", "browser": "SAFARI"},
            "geographicalContext": {"city": e.city, "country": e.country}
        },
        "authenticationContext": {"externalSessionId": e.session},
        "outcome": {"result": e.outcome},
        "target": [{"type": "AppInstance", "alternateId": e.target}]
    });
    EventItem {
        row: EventRow {
            uuid,
            published,
            event_type: e.event_type.into(),
            actor: e.actor.into(),
            target: e.target.into(),
            ip: e.ip.into(),
            country: e.country.into(),
            city: e.city.into(),
            outcome: e.outcome.into(),
            session: e.session.into(),
            message: e.event_type.replace('.', " "),
        },
        published_ms: e.ms,
        json: serde_json::to_string(&json).expect("json"),
        changed: e.changed.to_vec(),
    }
}

/// jane's afternoon: her home sign-in and keep-alives, then the attacker
/// in her name and, later, in her own session.
fn jane_events() -> Vec<EventItem> {
    let home = |ms, event_type, target, session| Ev {
        ms,
        event_type,
        actor: JANE,
        target,
        ip: HOME,
        country: "United States",
        city: "San Francisco",
        outcome: "SUCCESS",
        session,
        changed: &[],
    };
    let evil = |ms, event_type, target, session| Ev {
        ms,
        event_type,
        actor: JANE,
        target,
        ip: EVIL,
        country: "Romania",
        city: "Bucharest",
        outcome: "SUCCESS",
        session,
        changed: &[],
    };
    let list = vec![
        home(at(15, 4, 12), "user.session.start", "", SESSION),
        home(
            at(15, 4, 40),
            "user.authentication.sso",
            "Google Workspace",
            SESSION,
        ),
        home(
            at(15, 19, 2),
            "user.authentication.verify",
            "Jamf Connect",
            "",
        ),
        home(at(15, 33, 58), "user.authentication.sso", "Slack", SESSION),
        home(
            at(15, 34, 51),
            "user.authentication.verify",
            "Jamf Connect",
            "",
        ),
        Ev {
            actor: "system@okta.com",
            target: JANE,
            ip: "",
            country: "",
            city: "",
            ..home(at(16, 51, 40), "user.account.reset_password", "", "")
        },
        Ev {
            actor: "system@okta.com",
            target: JANE,
            ip: "",
            country: "",
            city: "",
            ..home(at(16, 52, 14), "user.mfa.factor.reset_all", "", "")
        },
        evil(at(16, 57, 33), "user.session.start", "", EVIL_SESSION),
        home(
            at(17, 4, 48),
            "user.authentication.verify",
            "Jamf Connect",
            "",
        ),
        evil(
            at(17, 9, 48),
            "user.account.privilege.grant",
            "helpdesk.temp@acme.com",
            EVIL_SESSION,
        ),
        evil(
            at(17, 14, 2),
            "system.api_token.create",
            "okta-sync",
            EVIL_SESSION,
        ),
        evil(
            at(17, 21, 37),
            "user.authentication.sso",
            "Salesforce",
            SESSION,
        ),
        home(
            at(17, 22, 30),
            "user.authentication.sso",
            "Google Workspace",
            SESSION,
        ),
        evil(at(17, 23, 5), "user.authentication.sso", "GitHub", SESSION),
        Ev {
            target: "ext.audit@acme.com",
            ..evil(at(17, 31, 55), "user.lifecycle.create", "", "")
        },
        Ev {
            target: "Okta Administrators",
            ..evil(at(17, 33, 12), "group.user_membership.add", "", "")
        },
    ];
    list.into_iter()
        .enumerate()
        .map(|(i, e)| event(i, e))
        .collect()
}

/// jane's session, as the worker marks what changed since its previous
/// event.
fn session_events() -> Vec<EventItem> {
    let row = |ms, event_type, target, ip, country, city, changed| Ev {
        ms,
        event_type,
        actor: JANE,
        target,
        ip,
        country,
        city,
        outcome: "SUCCESS",
        session: SESSION,
        changed,
    };
    let us = ("United States", "San Francisco");
    let ro = ("Romania", "Bucharest");
    let list = vec![
        row(
            at(15, 4, 12),
            "user.session.start",
            "",
            HOME,
            us.0,
            us.1,
            &[][..],
        ),
        row(
            at(15, 4, 40),
            "user.authentication.sso",
            "Google Workspace",
            HOME,
            us.0,
            us.1,
            &[],
        ),
        row(
            at(15, 33, 58),
            "user.authentication.sso",
            "Slack",
            HOME,
            us.0,
            us.1,
            &[],
        ),
        row(
            at(16, 12, 7),
            "app.oauth2.as.token.grant.access_token",
            "Slack",
            HOME,
            us.0,
            us.1,
            &[],
        ),
        row(
            at(17, 21, 37),
            "user.authentication.sso",
            "Salesforce",
            EVIL,
            ro.0,
            ro.1,
            &["ip", "country", "ua", "dthash"],
        ),
        row(
            at(17, 22, 30),
            "user.authentication.sso",
            "Google Workspace",
            HOME,
            us.0,
            us.1,
            &["ip", "country", "ua", "dthash"],
        ),
        row(
            at(17, 23, 5),
            "user.authentication.sso",
            "GitHub",
            EVIL,
            ro.0,
            ro.1,
            &["ip", "country", "ua", "dthash"],
        ),
        row(
            at(17, 40, 19),
            "user.authentication.sso",
            "Zoom",
            HOME,
            us.0,
            us.1,
            &["ip", "country", "ua", "dthash"],
        ),
        row(
            at(18, 2, 44),
            "app.oauth2.as.token.grant.refresh_token",
            "Slack",
            "198.51.100.24",
            us.0,
            us.1,
            &["ip"],
        ),
        row(
            at(19, 15, 0),
            "user.session.end",
            "",
            "198.51.100.24",
            us.0,
            us.1,
            &[],
        ),
    ];
    list.into_iter()
        .enumerate()
        .map(|(i, e)| event(100 + i, e))
        .collect()
}

/// Counts per 10 minutes over 13 March, with the afternoon's burst.
fn histogram() -> Histogram {
    let counts = (0..144u64)
        .map(|i| match i {
            0..=50 => 0,
            51..=90 => 1 + (i % 6) / 2,
            91..=95 => 0,
            96..=99 => 3,
            100..=106 => 6 + (i % 3) * 4,
            107..=140 => 1 + i % 2,
            _ => 0,
        })
        .collect();
    Histogram {
        start_ms: DAY,
        bucket_ms: 10 * MIN,
        counts,
    }
}

fn line(label: &str, items: &[&str]) -> SummaryLine {
    SummaryLine {
        label: label.into(),
        items: items.iter().map(|s| s.to_string()).collect(),
    }
}

fn actor_summary() -> Summary {
    Summary {
        lines: vec![
            line(
                "events",
                &["412", "2024-03-12 14:02 → 2024-03-14 00:41", "3 failures"],
            ),
            line(
                "known as",
                &["jane.doe@acme.com", "Jane Doe", "00u3BLy3Lk33BuwWSxa3"],
            ),
            line(
                "IPs",
                &[
                    "198.51.100.23 United States (371)",
                    "203.0.113.106 Romania (38)",
                    "198.51.100.24 United States (3)",
                ],
            ),
            line(
                "types",
                &[
                    "user.authentication.verify (96)",
                    "user.authentication.sso (88)",
                    "app.oauth2.as.token.grant.access_token (84)",
                    "user.session.start (6)",
                    "system.api_token.create (1)",
                ],
            ),
            line(
                "agents",
                &[
                    "Mac OS X Safari (330)",
                    "JamfConnect/2.32.0 (41)",
                    "Windows Chrome 120 (37)",
                    "python-requests/2.31.0 (4)",
                ],
            ),
            line(
                "sessions",
                &[
                    "102ORS_6ilI8ihN5KXSc7Tvo_ (210)",
                    "102wtDDb-xHKas1VOqg6YYZYn (31)",
                    "102cI08WoHmiXWnhREl_Asie- (41)",
                ],
            ),
        ],
        awaits_correlation: false,
    }
}

fn session_summary() -> Summary {
    Summary {
        lines: vec![
            line(
                "session",
                &[
                    SESSION,
                    "root 102ORS_6ilI8ihN5KXSc7Tvo_",
                    "15:04 → 19:15 (4h11m)",
                ],
            ),
            line("actors", &["jane.doe@acme.com (10)"]),
            line(
                "IPs",
                &[
                    "198.51.100.23 United States (6)",
                    "203.0.113.106 Romania (2)",
                    "198.51.100.24 United States (2)",
                ],
            ),
            line(
                "agents",
                &["Mac OS X Safari 17.3 (8)", "Windows Chrome 120 (2)"],
            ),
            line("dtHashes", &["3f9a…e1c0 (8)", "bbf33fef…23c6 (2)"]),
        ],
        awaits_correlation: false,
    }
}

fn ip_summary() -> Summary {
    Summary {
        lines: vec![
            line(
                "where",
                &["Bucharest, Romania", "AS9009 M247 Europe SRL", "proxy: no"],
            ),
            line("events", &["38", "2024-03-13 16:57 → 17:33", "0 failures"]),
            line("actors", &["jane.doe@acme.com (38)"]),
            line(
                "sessions",
                &[
                    "102wtDDb-xHKas1VOqg6YYZYn (31)",
                    "102ORS_6ilI8ihN5KXSc7Tvo_ (2)",
                    "(no session) (5)",
                ],
            ),
            line(
                "types",
                &[
                    "user.authentication.sso (9)",
                    "user.session.access_admin_app (2)",
                    "user.account.privilege.grant (1)",
                    "system.api_token.create (1)",
                    "user.lifecycle.create (1)",
                ],
            ),
        ],
        awaits_correlation: false,
    }
}

fn ips() -> Vec<IpItem> {
    let ip = |ip: &str, country: &str, role: &str, count, first, last, overlap| IpItem {
        ip: ip.into(),
        country: country.into(),
        count,
        first_ms: first,
        last_ms: last,
        role: role.into(),
        overlaps_dominant: overlap,
    };
    vec![
        ip(
            HOME,
            "United States",
            "keep-alive",
            371,
            Some(at(-24, 14, 2)),
            Some(at(24, 41, 0)),
            None,
        ),
        ip(
            EVIL,
            "Romania",
            "other",
            38,
            Some(at(16, 57, 33)),
            Some(at(17, 33, 12)),
            Some(true),
        ),
        ip(
            "198.51.100.24",
            "United States",
            "other",
            3,
            Some(at(18, 2, 44)),
            Some(at(19, 15, 0)),
            Some(false),
        ),
        ip(
            "142.250.191.46",
            "United States",
            "SSO service",
            22,
            Some(at(-20, 3, 11)),
            Some(at(22, 40, 9)),
            Some(false),
        ),
        ip(
            "192.0.2.10",
            "",
            "token granter",
            6,
            None,
            None,
            Some(false),
        ),
    ]
}

// --------------------------------------------------------------- states

fn base(size: (u16, u16)) -> AppState {
    let (mut s, _) = AppState::new(size, true);
    s.incoming = None;
    s.case = CaseInfo {
        events: 4741,
        first_ms: Some(at(-24, 0, 3)),
        last_ms: Some(at(47, 58, 12)),
    };
    let root = s.top_mut();
    root.rows = Rows::Findings(findings());
    root.loading = false;
    s
}

fn events_view(label: &str, title: &str, query: &str, focus: Option<Focus>) -> View {
    let mut v = View::new(
        label,
        title,
        Request::Events {
            query: query.into(),
            range: None,
            focus,
        },
    );
    v.rows = Rows::Events(jane_events());
    v.total = Some(412);
    v.loading = false;
    v.histogram = Some(histogram());
    v
}

fn push(s: &mut AppState, v: View) {
    s.views.push(v);
}

fn actor_view() -> View {
    let mut v = events_view(
        JANE,
        "actor:\"jane.doe@acme.com\"",
        "actor:\"jane.doe@acme.com\"",
        Some(Focus::Actor(JANE.into())),
    );
    v.summary = Some(actor_summary());
    v.cursor = 7;
    v
}

/// Findings > keepalive-divergence > jane.doe@acme.com
fn with_actor(size: (u16, u16)) -> AppState {
    let mut s = base(size);
    s.top_mut().cursor = 1;
    let mut evidence = events_view(
        "keepalive-divergence",
        "keepalive-divergence by jane.doe@acme.com: 14 evidence events",
        "",
        None,
    );
    evidence.request = Request::Uuids(vec!["uuid-0".into()]);
    push(&mut s, evidence);
    push(&mut s, actor_view());
    s
}

// -------------------------------------------------------------- drawing

fn draw(state: &AppState, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let km = keymap();
    terminal
        .draw(|f| okhunt::ui::render(state, &km, f))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row (trailing blanks trimmed).
fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut row = String::new();
        for x in 0..area.width {
            row.push_str(buf[(x, y)].symbol());
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    assert!(!out.contains('\u{1b}'), "raw ESC on screen");
    out
}

fn style_name(fg: Color, m: Modifier) -> String {
    let mut parts = Vec::new();
    if fg != Color::Reset {
        parts.push(format!("{fg:?}"));
    }
    for (flag, name) in [
        (Modifier::BOLD, "bold"),
        (Modifier::UNDERLINED, "underlined"),
        (Modifier::REVERSED, "reversed"),
        (Modifier::DIM, "dim"),
    ] {
        if m.contains(flag) {
            parts.push(name.to_string());
        }
    }
    parts.join("+")
}

/// Styled runs per row: `y x0-x1 style`, so marks that must survive
/// NO_COLOR are visible in the snapshot.
fn styles(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut runs: Vec<(u16, u16, String)> = Vec::new();
        for x in 0..area.width {
            let c = &buf[(x, y)];
            let name = style_name(c.fg, c.modifier);
            match runs.last_mut() {
                Some((_, end, n)) if *n == name && *end + 1 == x => *end = x,
                _ => runs.push((x, x, name)),
            }
        }
        let runs: Vec<String> = runs
            .into_iter()
            .filter(|(_, _, n)| !n.is_empty())
            .map(|(a, b, n)| format!("{a}-{b} {n}"))
            .collect();
        if !runs.is_empty() {
            out.push_str(&format!("{y:>2}: {}\n", runs.join(", ")));
        }
    }
    out
}

/// Snapshot `make(size)` at both sizes, with its style runs when `marks`.
fn check(name: &str, marks: bool, make: impl Fn((u16, u16)) -> AppState) {
    for (w, h) in SIZES {
        let state = make((w, h));
        let buf = draw(&state, w, h);
        let mut snap = text(&buf);
        if marks {
            snap.push_str("--- styles ---\n");
            snap.push_str(&styles(&buf));
        }
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), snap);
    }
}

// ---------------------------------------------------------------- tests

#[test]
fn findings_with_case_info() {
    check("findings", false, |size| {
        let mut s = base(size);
        s.top_mut().cursor = 1;
        s
    });
}

#[test]
fn events_with_histogram_and_detail_pane() {
    check("events_detail_pane", false, |size| {
        let mut s = base(size);
        let mut v = events_view(
            "search",
            "type:user.* AND ip:203.0.113.106",
            "type:user.* AND ip:203.0.113.106",
            None,
        );
        v.cursor = 9;
        push(&mut s, v);
        s.detail_pane = true;
        s
    });
}

#[test]
fn actor_view_with_summary() {
    check("actor", false, with_actor);
}

#[test]
fn session_view_with_change_marks() {
    check("session", true, |size| {
        let mut s = with_actor(size);
        let mut v = events_view(
            &format!("session {}…", &SESSION[..8]),
            &format!("session:\"{SESSION}\""),
            &format!("session:\"{SESSION}\""),
            Some(Focus::Session {
                id: SESSION.into(),
                root: false,
            }),
        );
        v.rows = Rows::Events(session_events());
        v.total = Some(10);
        v.summary = Some(session_summary());
        v.cursor = 4;
        push(&mut s, v);
        s
    });
}

#[test]
fn ip_view_with_summary() {
    check("ip", false, |size| {
        let mut s = with_actor(size);
        let mut v = events_view(EVIL, "ip:203.0.113.106", "ip:203.0.113.106", None);
        v.request = Request::Events {
            query: "ip:203.0.113.106".into(),
            range: None,
            focus: Some(Focus::Ip(EVIL.into())),
        };
        let from_ip: Vec<EventItem> = jane_events()
            .into_iter()
            .filter(|e| e.row.ip == EVIL)
            .collect();
        v.rows = Rows::Events(from_ip);
        v.summary = Some(ip_summary());
        v.total = Some(38);
        v.cursor = 3;
        push(&mut s, v);
        s
    });
}

#[test]
fn correlated_ips_with_overlap() {
    check("correlated", true, |size| {
        let mut s = with_actor(size);
        let mut v = View::new(
            "correlated IPs",
            format!("IPs used by {JANE}"),
            Request::Correlated { actor: JANE.into() },
        );
        v.subject = Some(JANE.into());
        v.rows = Rows::Ips(ips());
        v.loading = false;
        push(&mut s, v);
        s
    });
}

#[test]
fn detail_view() {
    check("detail", false, |size| {
        let mut s = with_actor(size);
        let e = &jane_events()[11];
        let mut v = View::new(
            "event 7f3c0011…",
            format!("{} {}", e.row.published, e.row.event_type),
            s.top().request.clone(),
        );
        v.rows = Rows::Lines(nav::pretty_lines(&e.json));
        v.loading = false;
        push(&mut s, v);
        s
    });
}

#[test]
fn help_overlay() {
    check("help", false, |size| {
        let mut s = with_actor(size);
        s.help = Some(0);
        s
    });
}

#[test]
fn query_prompt_with_error() {
    check("query_error", false, |size| {
        let mut s = base(size);
        s.prompt = Some(Prompt {
            kind: PromptKind::Query,
            text: "actor:jane.doe@acme.com AND (type:user.session.*".into(),
            error: Some(
                "query error at column 28: the parenthesis opened here is never closed".into(),
            ),
            ..Prompt::default()
        });
        s
    });
}

#[test]
fn time_range_prompt() {
    check("time_range_prompt", false, |size| {
        let mut s = with_actor(size);
        s.prompt = Some(Prompt {
            kind: PromptKind::TimeRange,
            text: "2024-03-13..2024-03-13".into(),
            ..Prompt::default()
        });
        s
    });
}

#[test]
fn range_set_shows_in_titles_and_breadcrumb() {
    check("range_set", false, |size| {
        let mut s = base(size);
        let range = TimeRange {
            text: "2d".into(),
            since_ms: at(47, 58, 12) + 1 - 48 * HOUR,
            until_ms: at(47, 58, 12) + 1,
        };
        let mut v = actor_view();
        v.request = Request::Events {
            query: "actor:\"jane.doe@acme.com\"".into(),
            range: Some((range.since_ms, range.until_ms)),
            focus: Some(Focus::Actor(JANE.into())),
        };
        s.range = Some(range);
        push(&mut s, v);
        s
    });
}

#[test]
fn filter_active_with_find_highlight() {
    check("filter_find", true, |size| {
        let mut s = with_actor(size);
        let v = s.top_mut();
        let all = v.rows.clone();
        v.rows = okhunt::app::filter::filtered(&all, "203.0.113.106");
        v.unfiltered = Some(all);
        v.filter = Some("203.0.113.106".into());
        v.cursor = 1;
        s.find = Some("SSO".into());
        s
    });
}

#[test]
fn filter_prompt_counts_rows() {
    check("filter_prompt", false, |size| {
        let mut s = with_actor(size);
        let v = s.top_mut();
        let all = v.rows.clone();
        v.rows = okhunt::app::filter::filtered(&all, "github");
        v.unfiltered = Some(all);
        v.filter = Some("github".into());
        v.cursor = 0;
        s.prompt = Some(Prompt {
            kind: PromptKind::Filter,
            text: "github".into(),
            ..Prompt::default()
        });
        s
    });
}

#[test]
fn find_highlight_in_detail() {
    check("detail_find", true, |size| {
        let mut s = with_actor(size);
        let e = &jane_events()[11];
        let mut v = View::new("event 7f3c0011…", "detail", s.top().request.clone());
        v.rows = Rows::Lines(nav::pretty_lines(&e.json));
        v.loading = false;
        push(&mut s, v);
        s.find = Some("bucharest".into());
        s
    });
}

#[test]
fn ingest_gauge_running_and_done() {
    check("ingest_running", false, |size| {
        let mut s = base(size);
        s.ingest = Some(IngestStatus {
            current: "/home/ana/cases/acme/okta-2024-03-13.ndjson.gz".into(),
            bytes: 6_291_456,
            total: 10_276_044,
            events: 2_903,
            done: None,
        });
        s
    });
    check("ingest_done", false, |size| {
        let mut s = base(size);
        let summary = "3 files, 4,741 events read, 1,012 added, 3,729 duplicates, 0 skipped";
        s.ingest = Some(IngestStatus {
            current: "/home/ana/cases/acme/okta-2024-03-14.ndjson.gz".into(),
            bytes: 10_276_044,
            total: 10_276_044,
            events: 4_741,
            done: Some(Ok(summary.into())),
        });
        s.status = Some(summary.into());
        s
    });
}

#[test]
fn no_color() {
    check("no_color", true, |size| {
        let mut s = with_actor(size);
        s.color = false;
        s.find = Some("github".into());
        s
    });
    // Without colour, nothing on any screen has a colour.
    for (w, h) in SIZES {
        let mut s = with_actor((w, h));
        s.color = false;
        s.detail_pane = true;
        s.find = Some("github".into());
        let buf = draw(&s, w, h);
        for c in buf.content() {
            assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "{c:?}");
        }
    }
}

#[test]
fn around_view_has_no_range_in_title() {
    check("around", false, |size| {
        let mut s = with_actor(size);
        let mut v = nav::around(Around {
            center_ms: at(17, 21, 37),
            minutes: 5,
        });
        v.rows = Rows::Events(jane_events()[9..14].to_vec());
        v.total = Some(5);
        v.loading = false;
        v.histogram = Some(Histogram {
            start_ms: at(17, 16, 37),
            bucket_ms: MIN,
            counts: vec![0, 1, 0, 0, 0, 2, 1, 1, 0, 0],
        });
        push(&mut s, v);
        s
    });
}

/// Every screen above at sizes from tiny to wide: nothing panics, and the
/// page `update` uses is the table's height as drawn.
#[test]
fn any_size_draws_and_pages_match() {
    let states: Vec<fn((u16, u16)) -> AppState> = vec![base, with_actor, |size| {
        let mut s = with_actor(size);
        s.detail_pane = true;
        s.ingest = Some(IngestStatus {
            current: "-".into(),
            bytes: 1 << 20,
            total: 0,
            events: 12,
            done: None,
        });
        s.prompt = Some(Prompt {
            kind: PromptKind::TimeRange,
            error: Some("'x' is not a time".into()),
            ..Prompt::default()
        });
        s
    }];
    for make in states {
        for (w, h) in [
            (1, 1),
            (10, 3),
            (20, 5),
            (40, 12),
            (60, 17),
            (80, 24),
            (200, 60),
        ] {
            let s = make((w, h));
            let buf = draw(&s, w, h);
            if (w, h) == (80, 24) && !s.detail_pane {
                let screen = text(&buf);
                let data_rows = screen
                    .lines()
                    .filter(|l| l.starts_with('│') && l.matches(':').count() >= 2)
                    .count();
                let page = okhunt::ui::table_rows(&s);
                let len = s.top().rows.len();
                assert_eq!(data_rows, page.min(len), "{screen}");
            }
        }
    }
}
