//! The real binary in a pseudo-terminal (portable-pty + vt100): open a
//! finding, pivot to the actor and its correlated IPs, go back, search with
//! a bad query then a good one, quit; the terminal is restored.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: a 2-core CI machine may be compiling at the same time.
const TIMEOUT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(50);
const BIN: &str = env!("CARGO_BIN_EXE_okhunt");

struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    fn spawn(args: &[&str], home: &Path) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("OKHUNT_CASE");
        for var in [
            "HOME",
            "XDG_STATE_HOME",
            "XDG_CACHE_HOME",
            "XDG_CONFIG_HOME",
        ] {
            let dir = home.join(var.to_lowercase());
            std::fs::create_dir_all(&dir).expect("mkdir");
            cmd.env(var, dir);
        }
        cmd.cwd(home);
        let child = pty.slave.spawn_command(cmd).expect("spawn okhunt");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
        let sink = Arc::clone(&parser);
        std::thread::spawn(move || {
            let _master = pty.master; // keep the pty open while reading
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("parser").process(&buf[..n]);
            }
        });
        Tui {
            parser,
            writer,
            child,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    fn top_line(&self) -> String {
        top(&self.screen()).to_string()
    }

    /// Poll the screen until `pred` holds; panic with the screen if not.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(POLL);
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }
}

/// The breadcrumb line.
fn top(screen: &str) -> &str {
    screen.lines().next().unwrap_or("").trim_end()
}

fn crumbs(line: &str) -> usize {
    line.matches(" > ").count()
}

#[test]
fn investigate_the_demo_case() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let case = tmp.path().join("case");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/demo/demo.ndjson.gz");
    let out = std::process::Command::new(BIN)
        .args(["ingest", "--case"])
        .arg(&case)
        .arg(demo)
        .env("XDG_STATE_HOME", tmp.path().join("state"))
        .output()
        .expect("ingest");
    assert!(out.status.success(), "{out:?}");

    let case_arg = case.to_str().expect("utf-8 path");
    let mut tui = Tui::spawn(&["--case", case_arg], tmp.path());
    tui.wait_for("the findings", |s| {
        s.contains("Findings (") && s.contains("SEVERITY")
    });

    // enter: the first finding's evidence.
    tui.send("\r");
    tui.wait_for("the evidence events", |s| {
        s.starts_with("Findings > ") && s.contains("EVENT TYPE") && s.contains(" events")
    });
    let evidence = tui.top_line();

    // a: the selected event's actor, named in the title and the breadcrumb.
    tui.send("a");
    let s = tui.wait_for("the actor view", |s| {
        crumbs(top(s)) == 2 && s.contains("actor:\"")
    });
    let actor = s
        .split("actor:\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("actor in the title")
        .to_string();
    assert!(tui.top_line().ends_with(&actor), "{s}");

    // c: the actor's correlated IPs.
    tui.send("c");
    tui.wait_for("the correlated IPs", |s| {
        top(s).ends_with("correlated IPs") && s.contains("ROLE")
    });

    // esc twice: back to the evidence, as it was.
    tui.send("\x1b");
    tui.wait_for("back to the actor", |s| top(s).ends_with(&actor));
    tui.send("\x1b");
    tui.wait_for("back to the evidence", |s| top(s) == evidence);

    // A bad query: the error inline, the view unchanged.
    tui.send("/actor:(\r");
    let s = tui.wait_for("the query error", |s| s.contains("query error"));
    assert_eq!(top(&s), evidence, "{s}");
    tui.send("\x1b");
    tui.wait_for("the prompt closed", |s| !s.contains("query error"));

    // A good one: a new view.
    tui.send("/type:user.session.start\r");
    tui.wait_for("the search results", |s| {
        top(s).ends_with("/ type:user.session.start") && s.contains("user.session.start")
    });

    // q quits with 0 and leaves the alternate screen.
    tui.send("q");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = tui.child.try_wait().expect("wait") {
            break status;
        }
        assert!(start.elapsed() < TIMEOUT, "okhunt did not quit");
        std::thread::sleep(POLL);
    };
    assert!(status.success(), "{status:?}");
    let start = Instant::now();
    while tui
        .parser
        .lock()
        .expect("parser")
        .screen()
        .alternate_screen()
    {
        assert!(start.elapsed() < TIMEOUT, "terminal not restored");
        std::thread::sleep(POLL);
    }
}

#[test]
fn missing_case_fails_before_touching_the_terminal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(BIN)
        .arg("--case")
        .arg(tmp.path().join("nope"))
        .env("XDG_STATE_HOME", tmp.path().join("state"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no case at"), "{err}");
    assert!(out.stdout.is_empty(), "nothing drawn");
}

#[test]
fn bad_keymap_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let keymap = tmp.path().join("keys.toml");
    std::fs::write(&keymap, "[findings]\n\"x\" = \"quitt\"\n").expect("write");
    let out = std::process::Command::new(BIN)
        .arg("--keymap")
        .arg(&keymap)
        .arg("--case")
        .arg(tmp.path().join("nope"))
        .env("XDG_STATE_HOME", tmp.path().join("state"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("[findings] \"x\": unknown action 'quitt'"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("non-zero")
}
