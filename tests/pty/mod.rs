//! The real `okhunt` binary in a pseudo-terminal (portable-pty), its
//! output fed into a terminal emulator (vt100) so tests read the screen a
//! user would see.

#![allow(dead_code)]

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: a 2-core CI machine may be compiling at the same time.
pub const TIMEOUT: Duration = Duration::from_secs(60);
pub const POLL: Duration = Duration::from_millis(50);
pub const BIN: &str = env!("CARGO_BIN_EXE_okhunt");

pub struct Tui {
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte okhunt wrote to the terminal, as written.
    pub raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    /// Run okhunt with `args` in a 24x80 terminal, HOME and XDG dirs under
    /// `home`.
    pub fn spawn(args: &[&str], home: &Path) -> Tui {
        Tui::spawn_env(args, home, &[])
    }

    /// [`Tui::spawn`] with extra environment variables.
    pub fn spawn_env(args: &[&str], home: &Path, env: &[(&str, &str)]) -> Tui {
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
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(home);
        let child = pty.slave.spawn_command(cmd).expect("spawn okhunt");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(24), nz(80), 0)));
        let sink = Arc::clone(&parser);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_sink = Arc::clone(&raw);
        std::thread::spawn(move || {
            let _master = pty.master; // keep the pty open while reading
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("parser").process(&buf[..n]);
                raw_sink.lock().expect("raw").extend_from_slice(&buf[..n]);
            }
        });
        Tui {
            parser,
            raw,
            writer,
            child,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Whether okhunt ever wrote `bytes` to the terminal.
    pub fn wrote(&self, bytes: &[u8]) -> bool {
        let raw = self.raw.lock().expect("raw");
        raw.windows(bytes.len()).any(|w| w == bytes)
    }

    pub fn top_line(&self) -> String {
        top(&self.screen()).to_string()
    }

    /// Poll the screen until `pred` holds; panic with the screen if not.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
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

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    /// Wait for the process to exit; its status, and the screen left.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(start.elapsed() < TIMEOUT, "okhunt did not quit");
            std::thread::sleep(POLL);
        }
    }

    /// Wait until the terminal left the alternate screen (restored).
    pub fn wait_restored(&self) {
        let start = Instant::now();
        while self
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
}

/// The breadcrumb line.
pub fn top(screen: &str) -> &str {
    screen.lines().next().unwrap_or("").trim_end()
}

pub fn crumbs(line: &str) -> usize {
    line.matches(" > ").count()
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("non-zero")
}
