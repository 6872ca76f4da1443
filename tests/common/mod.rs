//! Shared helpers for the CLI tests: run the real `okhunt` binary against a
//! private case in a temporary directory, and read what it prints.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The fixture at `rel` (relative to `fixtures/`).
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// The bytes of a fixture.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    let p = fixture(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// The six events every file in `fixtures/formats` holds, as JSON values.
pub fn originals() -> Vec<Value> {
    serde_json::from_slice(&fixture_bytes("formats/events.json")).expect("events.json is JSON")
}

/// The values of an NDJSON text, one per non-blank line.
pub fn parse_ndjson(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("line {} is not JSON ({e}): {l}", i + 1))
        })
        .collect()
}

/// What one run of okhunt did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from_output(o: std::process::Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Panic with the whole output unless the exit code is `code`.
    pub fn code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code {} (wanted {code})\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Panic unless stderr contains `s`.
    pub fn stderr_has(&self, s: &str) -> &Run {
        assert!(
            self.stderr.contains(s),
            "stderr lacks {s:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// Panic if stderr contains `s`.
    pub fn stderr_lacks(&self, s: &str) -> &Run {
        assert!(
            !self.stderr.contains(s),
            "stderr has {s:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// The ingest summary counters: (files, read, added, duplicates, skipped).
    pub fn summary(&self) -> Summary {
        let line = self
            .stderr
            .lines()
            .find(|l| l.contains(" events read, "))
            .unwrap_or_else(|| panic!("no ingest summary on stderr:\n{}", self.stderr));
        let num_before = |word: &str| number_before(line, word);
        Summary {
            files: num_before(" files,"),
            read: num_before(" events read,"),
            added: num_before(" added,"),
            duplicates: num_before(" duplicates,"),
            skipped: num_before(" skipped"),
        }
    }

    /// The stderr lines that start with `okhunt: ` followed by `prefix`.
    pub fn problem_lines(&self, prefix: &str) -> Vec<&str> {
        self.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("okhunt: "))
            .filter(|l| l.starts_with(prefix))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: u64,
    pub read: u64,
    pub added: u64,
    pub duplicates: u64,
    pub skipped: u64,
}

impl Summary {
    pub fn new(files: u64, read: u64, added: u64, duplicates: u64, skipped: u64) -> Summary {
        Summary {
            files,
            read,
            added,
            duplicates,
            skipped,
        }
    }
}

/// A private temporary world for one test: a case directory (not created
/// until the first ingest), a state directory for okhunt's log, and room
/// for scratch files. Everything is removed when it is dropped.
pub struct World {
    pub tmp: TempDir,
    pub case: PathBuf,
}

impl World {
    pub fn new() -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let case = tmp.path().join("case");
        World { tmp, case }
    }

    /// A path inside the scratch directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// Write a scratch file (creating its parents) and return its path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&p, bytes).expect("write scratch file");
        p
    }

    /// `okhunt` with a private environment and no case chosen, as a std
    /// `Command` (for tests that spawn it and feed it over time).
    pub fn bare_std(&self) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("okhunt"));
        c.env("XDG_STATE_HOME", self.tmp.path().join("state"))
            .env("XDG_DATA_HOME", self.tmp.path().join("data"))
            .env("HOME", self.tmp.path().join("home"))
            .env("OKHUNT_LOG", "warn")
            .env_remove("OKHUNT_CASE")
            .current_dir(self.tmp.path());
        c
    }

    /// `okhunt --case CASE ARGS...` as a std `Command`.
    pub fn std_cmd<I, S>(&self, args: I) -> std::process::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut c = self.bare_std();
        c.arg("--case").arg(&self.case).args(args);
        c
    }

    /// `okhunt` with a private environment and no case chosen.
    pub fn bare(&self) -> Command {
        let mut c = Command::from_std(self.bare_std());
        c.timeout(std::time::Duration::from_secs(120));
        c
    }

    /// `okhunt --case CASE ARGS...`
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut c = Command::from_std(self.std_cmd(args));
        c.timeout(std::time::Duration::from_secs(120));
        c
    }

    /// Run `okhunt --case CASE ARGS...`.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Run::from_output(self.cmd(args).output().expect("run okhunt"))
    }

    /// Run with `stdin` piped in.
    pub fn run_stdin<I, S>(&self, args: I, stdin: impl Into<Vec<u8>>) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Run::from_output(
            self.cmd(args)
                .write_stdin(stdin.into())
                .output()
                .expect("run okhunt"),
        )
    }

    /// `okhunt ingest PATHS...` (the run, whatever its exit code).
    pub fn ingest<I, S>(&self, paths: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut args: Vec<std::ffi::OsString> = vec!["ingest".into()];
        args.extend(paths.into_iter().map(|p| p.as_ref().to_os_string()));
        self.run(args)
    }

    /// Ingest fixtures (paths relative to `fixtures/`), expecting success.
    pub fn ingest_fixtures(&self, rels: &[&str]) -> Run {
        let r = self.ingest(rels.iter().map(|r| fixture(r)));
        r.code(0);
        r
    }

    /// `okhunt search --format ndjson ARGS...`, expecting success, parsed.
    pub fn search<I, S>(&self, args: I) -> Vec<Value>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut all: Vec<std::ffi::OsString> =
            vec!["search".into(), "--format".into(), "ndjson".into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        let r = self.run(all);
        r.code(0);
        parse_ndjson(&r.stdout)
    }

    /// Every event in the case, oldest first.
    pub fn all_events(&self) -> Vec<Value> {
        self.search(Vec::<String>::new())
    }

    /// The `uuid` column of `search --format csv ARGS...`, in output order.
    pub fn csv_uuids<I, S>(&self, args: I) -> Vec<String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut all: Vec<std::ffi::OsString> =
            vec!["search".into(), "--format".into(), "csv".into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        let r = self.run(all);
        r.code(0);
        csv_column(&r.stdout, "uuid")
    }
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

/// One column of a CSV text with a header row.
pub fn csv_column(text: &str, name: &str) -> Vec<String> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().expect("csv header").clone();
    let i = headers
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {headers:?}"));
    rdr.records()
        .map(|r| {
            r.expect("csv record")
                .get(i)
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// The `uuid` of each event (Okta's; events without one are left out).
pub fn uuids(events: &[Value]) -> BTreeSet<String> {
    events
        .iter()
        .filter_map(|e| e.get("uuid").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// Values as a sorted multiset of their compact JSON, for order-free equality.
pub fn sorted_json(values: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = values.iter().map(Value::to_string).collect();
    v.sort();
    v
}

/// A copy of `event` with a new uuid (and, if given, a new display message).
pub fn with_uuid(event: &Value, uuid: &str) -> Value {
    let mut e = event.clone();
    e["uuid"] = Value::String(uuid.to_string());
    e
}

/// `value` as one compact NDJSON line (with the newline).
pub fn ndjson_line(value: &Value) -> String {
    let mut s = value.to_string();
    s.push('\n');
    s
}

/// NDJSON holding `n` distinct events: copies of the five fixture events
/// that have a uuid, each given a new numbered uuid.
pub fn numbered_events(n: usize) -> String {
    let templates: Vec<(String, String)> = originals()[..5]
        .iter()
        .map(|e| {
            let line = ndjson_line(&with_uuid(e, "@UUID@"));
            let (a, b) = line.split_once("@UUID@").expect("placeholder");
            (a.to_string(), b.to_string())
        })
        .collect();
    let mut text = String::with_capacity(n * 1700);
    for i in 0..n {
        let (a, b) = &templates[i % templates.len()];
        text.push_str(a);
        text.push_str(&format!("00000000-0000-4000-8000-{i:012}"));
        text.push_str(b);
    }
    text
}

/// Gzip `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip finish")
}

/// The number written just before `word` in a summary line
/// (`... 4741 events read, ...`).
pub fn number_before(line: &str, word: &str) -> u64 {
    let i = line
        .find(word)
        .unwrap_or_else(|| panic!("summary lacks {word:?}: {line}"));
    let head = line[..i].trim_end();
    let start = head
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |j| j + 1);
    head[start..]
        .parse()
        .unwrap_or_else(|e| panic!("no number before {word:?} ({e}): {line}"))
}
