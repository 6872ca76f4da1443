//! TUI latency as a user feels it (a benchmark, not a test): the real
//! binary in a 120x40 pseudo-terminal, its output fed continuously into a
//! vt100 parser, each key timed from the write of its bytes to the first
//! moment the parsed screen shows the result.
//!
//! - launch: spawn to the findings view drawn (breadcrumb `Findings`, no
//!   spinner), several launches;
//! - pivots: `enter` (finding → evidence), then from the evidence `a`, `s`,
//!   `i`, `c`, `w`, each done when the breadcrumb (the first line) has
//!   changed and the status line shows no `loading` spinner; each followed
//!   by `esc`, done when the breadcrumb is back and the view redrawn;
//! - baseline: `j`/`k` (move, render only), done at the first change of
//!   the screen (the highlight moves).
//!
//! `cargo bench --bench tui_latency -- [--events N] [--pivots N]
//! [--launches N] [--case DIR | --demo]`, or `scripts/bench-tui`. The case
//! of N generated events (default 1,000,000, or `$OKHUNT_BENCH_EVENTS`)
//! lives in `bench-data/` and is reused; `bench-data/case` when it holds
//! exactly N events.

use anyhow::{Context, bail};
use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_okhunt");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const COLS: u16 = 120;
const ROWS: u16 = 40;
/// Launch: opening a 1M case and its cached findings.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(120);
/// One pivot (the first `i` or `c` builds the case's IP correlation:
/// about a second at 1M events).
const PIVOT_TIMEOUT: Duration = Duration::from_secs(30);
/// A move that may change nothing (the last row): how long to watch.
const SETTLE: Duration = Duration::from_millis(300);
/// Silence after the last output that ends a frame.
const QUIET: Duration = Duration::from_millis(25);
const TARGET_P99: Duration = Duration::from_millis(50);
/// Pivots from the evidence view, in turn.
const PIVOTS: [(&str, &str); 5] = [
    ("a", "a actor"),
    ("s", "s session"),
    ("i", "i IP"),
    ("c", "c correlated IPs"),
    ("w", "w events around"),
];
const ENTER: &str = "enter (finding → evidence)";
const ESC: &str = "esc (back)";
const BASELINE: &str = "j/k (move, render only)";
/// Only the worker's timings: tantivy's own debug lines would slow it.
const LOG_FILTER: &str = "info,okhunt::app::worker=debug";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes --bench; `cargo test --benches` does not.
    if !args.iter().any(|a| a == "--bench") {
        println!("tui_latency: a benchmark, run it with `cargo bench --bench tui_latency`");
        return ExitCode::SUCCESS;
    }
    let result = Options::parse(&args).and_then(|o| run(&o));
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("tui_latency: {e:#}");
            ExitCode::FAILURE
        }
    }
}

struct Options {
    events: u64,
    pivots: usize,
    launches: usize,
    case: Option<PathBuf>,
    demo: bool,
}

impl Options {
    fn parse(args: &[String]) -> anyhow::Result<Options> {
        let events = match std::env::var("OKHUNT_BENCH_EVENTS") {
            Ok(v) => v.parse().context("OKHUNT_BENCH_EVENTS")?,
            Err(_) => 1_000_000,
        };
        let mut o = Options {
            events,
            pivots: 200,
            launches: 5,
            case: None,
            demo: false,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = || it.next().with_context(|| format!("{arg} needs a value"));
            match arg.as_str() {
                "--bench" => {}
                "--events" => o.events = value()?.parse().context("--events")?,
                "--pivots" => o.pivots = value()?.parse().context("--pivots")?,
                "--launches" => o.launches = value()?.parse().context("--launches")?,
                "--case" => o.case = Some(PathBuf::from(value()?)),
                "--demo" => o.demo = true,
                other => bail!(
                    "unknown argument {other}; use --events N, --pivots N, \
                     --launches N, --case DIR or --demo"
                ),
            }
        }
        if o.launches == 0 || o.pivots == 0 {
            bail!("--launches and --pivots must be at least 1");
        }
        Ok(o)
    }
}

fn run(opts: &Options) -> anyhow::Result<bool> {
    let scratch = tempfile::tempdir().context("tempdir")?;
    let (case, what) = prepare_case(opts, scratch.path())?;
    eprintln!("tui_latency: {what}: {}", case.display());

    // Warm the findings cache: the TUI computes them otherwise.
    let started = Instant::now();
    let status = okhunt(scratch.path())
        .arg("hunt")
        .arg("--case")
        .arg(&case)
        .stdout(Stdio::null())
        .status()
        .context("okhunt hunt")?;
    if !status.success() {
        bail!("okhunt hunt failed: {status}");
    }
    eprintln!(
        "tui_latency: findings cache warm ({:.1}s)",
        started.elapsed().as_secs_f64()
    );

    let mut results = Results::default();
    for n in 1..=opts.launches {
        let home = scratch.path().join(format!("launch-{n}"));
        let mut tui = Tui::spawn(&case, &home)?;
        let launch = tui.wait_launch()?;
        results.record("launch", launch);
        if n < opts.launches {
            tui.quit()?;
        } else {
            eprintln!("tui_latency: {} pivots…", opts.pivots);
            let finished = pivots(&mut tui, opts.pivots, &mut results);
            tui.quit()?;
            if let Err(e) = finished {
                results.aborted = Some(format!("{e:#}"));
            }
            results.log =
                std::fs::read_to_string(home.join("state/okhunt/okhunt.log")).unwrap_or_default();
        }
    }
    Ok(report(&what, &results))
}

/// The case to open and a line saying what it is.
fn prepare_case(opts: &Options, scratch: &Path) -> anyhow::Result<(PathBuf, String)> {
    if let Some(case) = &opts.case {
        let n = case_events(case).context("not a case (no readable case.json)")?;
        return Ok((case.clone(), format!("{n} events")));
    }
    if opts.demo {
        let case = scratch.join("demo-case");
        ingest(
            scratch,
            &case,
            &Path::new(ROOT).join("fixtures/demo/demo.ndjson.gz"),
        )?;
        let n = case_events(&case).unwrap_or(0);
        return Ok((case, format!("demo tenant, {n} events")));
    }
    let n = opts.events;
    let data = Path::new(ROOT).join("bench-data");
    let own = data.join(format!("tui-case-{n}"));
    for case in [data.join("case"), own.clone()] {
        if case_events(&case) == Some(n) {
            return Ok((case, format!("{n} generated events")));
        }
    }
    std::fs::create_dir_all(&data)?;
    let file = data.join(format!("tenant-{n}.ndjson"));
    if !file.is_file() {
        let users = (n / 500).max(50);
        eprintln!("tui_latency: generating {n} events into {}", file.display());
        let status = okhunt(scratch)
            .args(["generate", "--days", "7", "--seed", "1"])
            .args(["--users", &users.to_string(), "--events", &n.to_string()])
            .arg("--out")
            .arg(&file)
            .status()
            .context("okhunt generate")?;
        if !status.success() {
            bail!("okhunt generate failed: {status}");
        }
    }
    if own.exists() {
        std::fs::remove_dir_all(&own).with_context(|| format!("removing {}", own.display()))?;
    }
    ingest(scratch, &own, &file)?;
    Ok((own, format!("{n} generated events")))
}

fn ingest(scratch: &Path, case: &Path, file: &Path) -> anyhow::Result<()> {
    eprintln!("tui_latency: ingesting {}", file.display());
    let out = okhunt(scratch)
        .arg("ingest")
        .arg("--case")
        .arg(case)
        .arg(file)
        .stdout(Stdio::null())
        .output()
        .context("okhunt ingest")?;
    if !out.status.success() {
        bail!(
            "okhunt ingest failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// Events added to the case over its ingests, from its case.json.
fn case_events(case: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(case.join("case.json")).ok()?;
    let meta: serde_json::Value = serde_json::from_str(&text).ok()?;
    let ingests = meta.get("ingests")?.as_array()?;
    Some(
        ingests
            .iter()
            .filter_map(|i| i.get("added").and_then(serde_json::Value::as_u64))
            .sum(),
    )
}

/// okhunt with its logs kept out of the user's state directory.
fn okhunt(scratch: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("XDG_STATE_HOME", scratch.join("state"))
        .env_remove("OKHUNT_CASE");
    cmd
}

/// The pivot rounds: from the findings, `enter` the selected finding's
/// evidence, move down a few rows, pivot with each key and come back, then
/// back to the findings and down to the next one.
fn pivots(tui: &mut Tui, target: usize, r: &mut Results) -> anyhow::Result<()> {
    let mut round = 0;
    while r.pivots() < target {
        if round > 2 * target {
            bail!("too few pivots landed after {round} rounds");
        }
        if tui.pivot("\r", ENTER, r)?.is_none() {
            bail!("enter on a finding opened nothing");
        }
        for _ in 0..round % 4 {
            if !tui.move_key("j", r)? {
                break; // the last row
            }
        }
        for (key, name) in PIVOTS {
            if r.pivots() >= target {
                break;
            }
            tui.pivot(key, name, r)?;
        }
        tui.back(r)?;
        if tui.move_key("j", r)? {
            // Up and down again: more of the baseline, same finding.
            if tui.move_key("k", r)? {
                tui.move_key("j", r)?;
            }
        } else {
            // The last finding: round again from the first.
            tui.send("g")?;
            tui.wait_change(SETTLE)?;
        }
        round += 1;
    }
    Ok(())
}

/// What a pivot key did.
enum Landed {
    /// A new view, with this breadcrumb and title.
    View(String, String),
    /// No view: the status line says why (no session on this row, an
    /// error from the worker).
    Message(String),
}

#[derive(Default)]
struct Results {
    /// Figure name → latencies, in the order they were taken.
    times: BTreeMap<&'static str, Vec<Duration>>,
    /// Pivot name → status messages of the keys that opened no view.
    noops: BTreeMap<&'static str, Vec<String>>,
    timeouts: Vec<String>,
    aborted: Option<String>,
    /// Every pivot that opened a view: name, latency, breadcrumb, title.
    landed: Vec<(&'static str, Duration, String, String)>,
    log: String,
}

impl Results {
    fn record(&mut self, figure: &'static str, d: Duration) {
        self.times.entry(figure).or_default().push(d);
    }

    fn get(&self, figure: &str) -> &[Duration] {
        self.times.get(figure).map_or(&[], Vec::as_slice)
    }

    fn pivots(&self) -> usize {
        self.all_pivots().len()
    }

    fn all_pivots(&self) -> Vec<Duration> {
        std::iter::once(ENTER)
            .chain(PIVOTS.iter().map(|p| p.1))
            .flat_map(|f| self.get(f).iter().copied())
            .collect()
    }
}

struct Term {
    shared: Mutex<Shared>,
    changed: Condvar,
}

struct Shared {
    parser: vt100::Parser,
    /// When the last bytes arrived: the moment the screen became what the
    /// parser holds.
    at: Instant,
    closed: bool,
}

struct Tui {
    term: Arc<Term>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    spawned: Instant,
}

impl Tui {
    fn spawn(case: &Path, home: &Path) -> anyhow::Result<Tui> {
        let pty = native_pty_system().openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })?;
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--case");
        cmd.arg(case);
        cmd.env("TERM", "xterm-256color");
        cmd.env("OKHUNT_LOG", LOG_FILTER);
        for var in ["NO_COLOR", "OKHUNT_CASE", "RUST_LOG"] {
            cmd.env_remove(var);
        }
        for (var, dir) in [
            ("HOME", "home"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
        ] {
            let dir = home.join(dir);
            std::fs::create_dir_all(&dir)?;
            cmd.env(var, dir);
        }
        cmd.cwd(home);
        let term = Arc::new(Term {
            shared: Mutex::new(Shared {
                parser: vt100::Parser::new(nz(ROWS), nz(COLS), 0),
                at: Instant::now(),
                closed: false,
            }),
            changed: Condvar::new(),
        });
        let mut reader = pty.master.try_clone_reader()?;
        let writer = pty.master.take_writer()?;
        let spawned = Instant::now();
        let child = pty.slave.spawn_command(cmd).context("spawn okhunt")?;
        drop(pty.slave);
        let sink = Arc::clone(&term);
        let master = pty.master;
        std::thread::spawn(move || {
            let _master = master; // keep the pty open while reading
            let mut buf = [0u8; 16384];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let at = Instant::now();
                let mut s = sink.shared.lock().unwrap_or_else(|p| p.into_inner());
                if n == 0 {
                    s.closed = true;
                } else {
                    s.parser.process(&buf[..n]);
                    s.at = at;
                }
                drop(s);
                sink.changed.notify_all();
                if n == 0 {
                    break;
                }
            }
        });
        Ok(Tui {
            term,
            writer,
            child,
            spawned,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.term.shared.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Write `keys`; the time just before the write.
    fn send(&mut self, keys: &str) -> anyhow::Result<Instant> {
        let at = Instant::now();
        self.writer.write_all(keys.as_bytes())?;
        self.writer.flush()?;
        Ok(at)
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot::of(self.lock().parser.screen())
    }

    /// Wait until `done` says the screen is what we wait for and no more
    /// output follows for [`QUIET`] (a frame reaches the parser in several
    /// reads: this is its last one); `done`'s answer and when that last
    /// output arrived. `None` after `timeout`.
    fn wait<T>(
        &self,
        timeout: Duration,
        mut done: impl FnMut(&Snapshot) -> Option<T>,
    ) -> anyhow::Result<Option<(T, Instant)>> {
        let deadline = Instant::now() + timeout;
        let mut s = self.lock();
        // The answer for the output that arrived at `.1`.
        let mut found: Option<(T, Instant)> = None;
        loop {
            let now = Instant::now();
            match found.take() {
                Some((t, at)) if at == s.at => {
                    if now >= at + QUIET {
                        return Ok(Some((t, at)));
                    }
                    found = Some((t, at));
                }
                _ => found = done(&Snapshot::of(s.parser.screen())).map(|t| (t, s.at)),
            }
            if s.closed {
                bail!("okhunt exited; screen:\n{}", s.parser.screen().contents());
            }
            if now >= deadline {
                return Ok(None);
            }
            let until = match &found {
                Some((_, at)) => (*at + QUIET).min(deadline),
                None => deadline,
            };
            s = self
                .term
                .changed
                .wait_timeout(s, until.saturating_duration_since(now))
                .map(|(s, _)| s)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }

    /// Spawn to the findings drawn: breadcrumb `Findings`, no spinner.
    fn wait_launch(&self) -> anyhow::Result<Duration> {
        let landed = self.wait(LAUNCH_TIMEOUT, |s| {
            (s.top() == "Findings" && !s.busy() && !s.bottom().is_empty()).then_some(())
        })?;
        match landed {
            Some(((), at)) => Ok(at.saturating_duration_since(self.spawned)),
            None => bail!(
                "no findings view after {LAUNCH_TIMEOUT:?}; screen:\n{}",
                self.snapshot().text.join("\n")
            ),
        }
    }

    /// Any change of the screen within `timeout`; when it happened.
    fn wait_change(&self, timeout: Duration) -> anyhow::Result<Option<Instant>> {
        let before = self.snapshot();
        Ok(self
            .wait(timeout, |s| (s.formatted != before.formatted).then_some(()))?
            .map(|((), at)| at))
    }

    /// A move key, timed as the baseline; false when nothing moved.
    fn move_key(&mut self, key: &str, r: &mut Results) -> anyhow::Result<bool> {
        let before = self.snapshot();
        let sent = self.send(key)?;
        let moved = self.wait(SETTLE, |s| (s.formatted != before.formatted).then_some(()))?;
        Ok(match moved {
            Some(((), at)) => {
                r.record(BASELINE, at.saturating_duration_since(sent));
                true
            }
            None => false,
        })
    }

    /// A pivot key: done when the breadcrumb changed and no spinner shows
    /// (a new view), or when the status line changed and no spinner shows
    /// with the breadcrumb as it was (no view: a message). A new view is
    /// followed by `esc`, timed too.
    fn pivot(
        &mut self,
        key: &str,
        name: &'static str,
        r: &mut Results,
    ) -> anyhow::Result<Option<String>> {
        let before = self.snapshot();
        let sent = self.send(key)?;
        let landed = self.wait(PIVOT_TIMEOUT, |s| {
            if s.busy() {
                None
            } else if s.top() != before.top() {
                Some(Landed::View(s.top().to_string(), s.title()))
            } else if s.bottom() != before.bottom() {
                Some(Landed::Message(s.bottom().to_string()))
            } else {
                None
            }
        })?;
        match landed {
            Some((Landed::View(crumb, title), at)) => {
                let d = at.saturating_duration_since(sent);
                r.record(name, d);
                r.landed.push((name, d, crumb.clone(), title));
                if name != ENTER {
                    self.back_to(&before, r)?;
                }
                Ok(Some(crumb))
            }
            Some((Landed::Message(msg), _)) => {
                r.noops.entry(name).or_default().push(msg);
                Ok(None)
            }
            None => {
                r.timeouts.push(format!(
                    "{name} from `{}`: no view after {PIVOT_TIMEOUT:?}",
                    before.top()
                ));
                // esc cancels the load; give up on this session if not.
                self.send("\x1b")?;
                let back = self.wait(PIVOT_TIMEOUT, |s| {
                    (s.top() == before.top() && !s.busy()).then_some(())
                })?;
                if back.is_none() {
                    bail!(
                        "{name} hung and esc did not cancel it; screen:\n{}",
                        self.snapshot().text.join("\n")
                    );
                }
                Ok(None)
            }
        }
    }

    /// `esc` from a view pushed over `under`: done when the breadcrumb is
    /// `under`'s again and the body redrawn, no spinner.
    fn back_to(&mut self, under: &Snapshot, r: &mut Results) -> anyhow::Result<()> {
        let over = self.snapshot();
        let sent = self.send("\x1b")?;
        let back = self.wait(PIVOT_TIMEOUT, |s| {
            (s.top() == under.top() && !s.busy() && s.formatted[1..] != over.formatted[1..])
                .then_some(())
        })?;
        match back {
            Some(((), at)) => {
                r.record(ESC, at.saturating_duration_since(sent));
                Ok(())
            }
            None => bail!(
                "esc did not go back to `{}` within {PIVOT_TIMEOUT:?}; screen:\n{}",
                under.top(),
                self.snapshot().text.join("\n")
            ),
        }
    }

    /// `esc` from the evidence to the findings.
    fn back(&mut self, r: &mut Results) -> anyhow::Result<()> {
        let over = self.snapshot();
        let parent = match over.top().rsplit_once(" > ") {
            Some((parent, _)) => parent.to_string(),
            None => bail!("esc from `{}`: no view under it", over.top()),
        };
        let sent = self.send("\x1b")?;
        let back = self.wait(PIVOT_TIMEOUT, |s| {
            (s.top() == parent && !s.busy() && s.formatted[1..] != over.formatted[1..])
                .then_some(())
        })?;
        match back {
            Some(((), at)) => {
                r.record(ESC, at.saturating_duration_since(sent));
                Ok(())
            }
            None => bail!("esc did not go back to `{parent}` within {PIVOT_TIMEOUT:?}"),
        }
    }

    /// `q`, and wait for the exit; kill it if it does not.
    fn quit(mut self) -> anyhow::Result<()> {
        self.send("q")?;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(status) = self.child.try_wait()? {
                if !status.success() {
                    bail!("okhunt exited with {status:?}");
                }
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        bail!("okhunt did not quit on q")
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The screen at one moment: each row as text, and with its attributes
/// (a moved highlight changes only those).
struct Snapshot {
    text: Vec<String>,
    formatted: Vec<String>,
}

impl Snapshot {
    fn of(screen: &vt100::Screen) -> Snapshot {
        Snapshot {
            text: screen.rows(0, COLS).collect(),
            formatted: screen.rows_formatted(0, COLS).collect(),
        }
    }

    /// The breadcrumb.
    fn top(&self) -> &str {
        self.text.first().map_or("", |l| l.trim_end())
    }

    /// The view's title, on the first top border under the breadcrumb.
    fn title(&self) -> String {
        let border = |c: char| c.is_whitespace() || ('\u{2500}'..='\u{257f}').contains(&c);
        let row = self.text.iter().skip(1).find(|l| l.starts_with('┌'));
        row.or(self.text.get(1))
            .map_or("", |l| l.trim_matches(border))
            .to_string()
    }

    /// The status line.
    fn bottom(&self) -> &str {
        self.text.last().map_or("", |l| l.trim_end())
    }

    /// A load in progress: the spinner on the status line (or the prompt
    /// line above it).
    fn busy(&self) -> bool {
        const SPINNER: &[char] = &['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
        self.text
            .iter()
            .rev()
            .take(2)
            .any(|l| l.contains("loading") || l.contains(SPINNER))
    }
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN)
}

/// Nearest-rank percentile of sorted durations.
fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Stats {
    p50: Duration,
    p99: Duration,
    max: Duration,
    count: usize,
}

impl Stats {
    fn of(times: &[Duration]) -> Stats {
        let mut v = times.to_vec();
        v.sort();
        Stats {
            p50: pct(&v, 50.0),
            p99: pct(&v, 99.0),
            max: v.last().copied().unwrap_or_default(),
            count: v.len(),
        }
    }
}

/// Print the table; true when nothing timed out or broke.
fn report(what: &str, r: &Results) -> bool {
    let base = Stats::of(r.get(BASELINE));
    let ratio = |a: Duration, b: Duration| {
        if b.is_zero() {
            "-".to_string()
        } else {
            format!("{:.1}x", a.as_secs_f64() / b.as_secs_f64())
        }
    };
    println!();
    println!("okhunt TUI latency: {what}, {COLS}x{ROWS} pty, key written → screen drawn");
    println!(
        "{:<30} {:>9} {:>9} {:>9} {:>6} {:>9} {:>9}",
        "figure", "p50 ms", "p99 ms", "max ms", "count", "p50/base", "p99/base"
    );
    let row = |name: &str, s: &Stats, ratios: bool| {
        let (a, b) = if ratios {
            (ratio(s.p50, base.p50), ratio(s.p99, base.p99))
        } else {
            (String::new(), String::new())
        };
        println!(
            "{:<30} {:>9.1} {:>9.1} {:>9.1} {:>6} {:>9} {:>9}",
            name,
            ms(s.p50),
            ms(s.p99),
            ms(s.max),
            s.count,
            a,
            b
        );
    };
    row("launch → findings", &Stats::of(r.get("launch")), false);
    row(BASELINE, &base, false);
    let all = Stats::of(&r.all_pivots());
    row("pivot, all", &all, true);
    for name in std::iter::once(ENTER).chain(PIVOTS.iter().map(|p| p.1)) {
        row(&format!("  {name}"), &Stats::of(r.get(name)), true);
    }
    row(ESC, &Stats::of(r.get(ESC)), true);
    let ok = r.timeouts.is_empty() && r.aborted.is_none();
    let pass = ok && all.count > 0 && all.p99 < TARGET_P99;
    println!(
        "pivot p99 < {} ms: {} (p99 {:.1} ms over {} pivots)",
        TARGET_P99.as_millis(),
        if pass { "pass" } else { "fail" },
        ms(all.p99),
        all.count
    );
    let mut slowest: Vec<_> = r.landed.iter().collect();
    slowest.sort_by_key(|p| std::cmp::Reverse(p.1));
    for (name, d, crumb, title) in slowest.iter().take(3) {
        println!("slow pivot: {:.1} ms, {name} to `{crumb}`: {title}", ms(*d));
    }
    for (name, msgs) in &r.noops {
        let mut distinct: Vec<&String> = msgs.iter().collect();
        distinct.sort();
        distinct.dedup();
        println!(
            "no view ({name}): {} times: {}",
            msgs.len(),
            distinct
                .iter()
                .map(|m| format!("`{}`", m.chars().take(60).collect::<String>()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for t in &r.timeouts {
        println!("timeout: {t}");
    }
    if let Some(e) = &r.aborted {
        println!("aborted: {e}");
    }
    worker_report(&r.log);
    ok
}

/// The worker's own time per job, from its log (`job done ... ms=N`): what
/// is left of a pivot's latency is the UI's.
fn worker_report(log: &str) {
    let mut jobs: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut slowest: Vec<(u64, &str)> = Vec::new();
    for line in log.lines().filter(|l| l.contains("job done")) {
        let Some(ms) = field(line, " ms=").and_then(|v| v.parse::<u64>().ok()) else {
            continue;
        };
        let request = line.split_once(" request=").map_or("", |(_, r)| r);
        jobs.entry(job_kind(request))
            .or_default()
            .push(Duration::from_millis(ms));
        slowest.push((ms, request));
    }
    if jobs.is_empty() {
        println!("worker log: no job timings (OKHUNT_LOG={LOG_FILTER})");
        return;
    }
    println!("worker time per job (from the log):");
    println!(
        "{:<30} {:>9} {:>9} {:>9} {:>6}",
        "job", "p50 ms", "p99 ms", "max ms", "count"
    );
    for (kind, times) in &jobs {
        let s = Stats::of(times);
        println!(
            "{:<30} {:>9} {:>9} {:>9} {:>6}",
            kind,
            s.p50.as_millis(),
            s.p99.as_millis(),
            s.max.as_millis(),
            s.count
        );
    }
    slowest.sort_by_key(|j| std::cmp::Reverse(j.0));
    for (ms, request) in slowest.iter().take(3) {
        let short: String = request.chars().take(100).collect();
        println!("  slow job: {ms} ms: {short}");
    }
}

fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.split_once(key)?.1;
    Some(rest.split(' ').next().unwrap_or(rest))
}

/// Which pivot asked for a job, from its `Request` as logged.
fn job_kind(request: &str) -> &'static str {
    if request.starts_with("Findings") {
        "findings"
    } else if request.starts_with("Uuids") {
        "evidence (enter)"
    } else if request.starts_with("Correlated") {
        "correlated IPs (c)"
    } else if request.contains("focus: Some(Actor") {
        "actor events (a)"
    } else if request.contains("focus: Some(Session") {
        "session events (s)"
    } else if request.contains("focus: Some(Ip") {
        "IP events (i)"
    } else if request.contains("focus: None") {
        "events around (w)"
    } else {
        "other"
    }
}
