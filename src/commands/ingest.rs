//! `okhunt ingest`: progress on stderr, a summary, problems as FILE:LINE.

use crate::case::Case;
use crate::cli::IngestArgs;
use crate::ingest::{self, Options, Problem, Progress, Summary};
use anyhow::Context;
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Problems printed on stderr; the rest go only to --errors FILE.
const SHOWN_PROBLEMS: u64 = 20;

pub fn run(case_dir: &Path, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    // Nothing to read at all: say so without creating or touching the case.
    if args
        .paths
        .iter()
        .all(|p| p.as_os_str() != "-" && std::fs::metadata(p).is_err())
    {
        for p in &args.paths {
            eprintln!("okhunt: {}: no such file or directory", p.display());
        }
        eprintln!("okhunt: none of the paths given exists; nothing ingested");
        return Ok(ExitCode::from(1));
    }
    let stop = StopSignals::install()?;
    let mut case = Case::open_or_create(case_dir)?;
    let mut errors_file = match &args.errors {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p)
                .with_context(|| format!("cannot create --errors file {}", p.display()))?,
        )),
        None => None,
    };
    let threads = args.threads.unwrap_or_else(default_threads);
    let opts = Options {
        threads,
        heap_bytes: args.heap_mib.max(16) * 1024 * 1024,
    };
    let progress = ingest::new_progress();
    let started = Instant::now();
    let reporter = start_reporter(Arc::clone(&progress));

    let mut shown = 0u64;
    let mut problems = 0u64;
    let mut report = |p: &Problem| {
        problems += 1;
        if let Some(f) = errors_file.as_mut() {
            let _ = writeln!(f, "{p}");
        }
        if shown < SHOWN_PROBLEMS {
            shown += 1;
            reporter.println(&format!("okhunt: {p}"));
        }
    };
    let result = ingest::run_until(
        &mut case,
        &args.paths,
        &opts,
        &progress,
        &stop.flag,
        &mut report,
    );
    reporter.finish();
    let summary = result?;
    if let Some(mut f) = errors_file {
        f.flush()?;
    }
    if problems > shown {
        let more = problems - shown;
        match &args.errors {
            Some(p) => eprintln!("okhunt: {more} more problems written to {}", p.display()),
            None => eprintln!(
                "okhunt: {more} more problems not shown; use --errors FILE to list them all"
            ),
        }
    }
    print_summary(&summary, started.elapsed(), &case);
    if summary.interrupted {
        return Ok(ExitCode::from(stop.exit_code()));
    }
    let failed = !summary.failed_paths.is_empty() || (args.strict && summary.skipped > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4))
}

fn print_summary(s: &Summary, elapsed: Duration, case: &Case) {
    let secs = elapsed.as_secs_f64().max(0.001);
    eprintln!(
        "okhunt: {} files, {} events read, {} added, {} duplicates, {} skipped in {:.1}s ({:.0} events/s) into {}",
        s.files,
        s.read,
        s.added,
        s.duplicates,
        s.skipped,
        secs,
        s.read as f64 / secs,
        case.root.display()
    );
    if s.read > 0 && s.added == 0 && s.duplicates == s.read {
        eprintln!("okhunt: every event was already in the case; nothing added");
    }
    if !s.failed_paths.is_empty() {
        eprintln!(
            "okhunt: {} of the paths given could not be read or held no Okta events (listed above)",
            s.failed_paths.len()
        );
    }
    if s.interrupted {
        eprintln!(
            "okhunt: interrupted: everything read so far is kept; run the same command again to finish (duplicates are skipped)"
        );
    }
}

/// Ctrl-C and SIGTERM ask the ingest to stop: it commits what it has read
/// and exits 128 + the signal. A second one while it commits exits at once:
/// a tantivy commit and case.json's replacement are both atomic, so the
/// case is left as before the commit (the next run finishes the batch).
struct StopSignals {
    flag: Arc<AtomicBool>,
    /// The signal that arrived first (0 while none has).
    which: Arc<AtomicUsize>,
}

impl StopSignals {
    fn install() -> anyhow::Result<StopSignals> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::flag;
        let flag = Arc::new(AtomicBool::new(false));
        let which = Arc::new(AtomicUsize::new(0));
        for sig in [SIGINT, SIGTERM] {
            // Order matters: the exit checks the flag before the second
            // handler sets it, so only a second signal exits.
            flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&flag))
                .context("cannot install the Ctrl-C handler")?;
            flag::register(sig, Arc::clone(&flag)).context("cannot install the Ctrl-C handler")?;
            // `which` keeps the first signal: later ones exit above.
            flag::register_usize(sig, Arc::clone(&which), sig as usize)
                .context("cannot install the Ctrl-C handler")?;
        }
        Ok(StopSignals { flag, which })
    }

    /// 130 after Ctrl-C, 143 after SIGTERM, as a shell reports them.
    fn exit_code(&self) -> u8 {
        match self.which.load(Ordering::Relaxed) {
            0 => 130,
            sig => u8::try_from(128 + sig).unwrap_or(130),
        }
    }
}

/// Progress on stderr: a bar on a terminal, a plain line every few seconds
/// otherwise (logs, CI).
struct Reporter {
    bar: Option<ProgressBar>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reporter {
    fn println(&self, msg: &str) {
        match &self.bar {
            Some(b) => b.println(msg),
            None => eprintln!("{msg}"),
        }
    }

    fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

fn start_reporter(progress: Arc<Progress>) -> Reporter {
    let stop = Arc::new(AtomicBool::new(false));
    let tty = std::io::stderr().is_terminal();
    let bar = tty.then(|| {
        ProgressBar::with_draw_target(Some(progress.total().max(1)), ProgressDrawTarget::stderr())
    });
    let thread = {
        let stop = Arc::clone(&stop);
        let bar = bar.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let mut last_line = Instant::now();
            let mut sized = None;
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let rate = progress.events() as f64 / started.elapsed().as_secs_f64().max(0.001);
                // Stdin alone has no size: a spinner with what was read,
                // not a bar that is always full with an ETA of 0.
                let total = progress.total();
                match &bar {
                    Some(b) => {
                        if sized != Some(total > 0) {
                            sized = Some(total > 0);
                            b.set_style(bar_style(total > 0));
                        }
                        b.set_length(total.max(progress.bytes()).max(1));
                        b.set_position(progress.bytes());
                        b.set_message(format!("{} events, {:.0}/s", progress.events(), rate));
                        b.tick();
                    }
                    None if last_line.elapsed() >= Duration::from_secs(5) => {
                        last_line = Instant::now();
                        let of = if total > 0 {
                            format!(" of {}", HumanBytes(total))
                        } else {
                            String::new()
                        };
                        eprintln!(
                            "okhunt: {} read{of}, {} events ({:.0}/s), reading {}",
                            HumanBytes(progress.bytes()),
                            progress.events(),
                            rate,
                            progress.current()
                        );
                    }
                    None => {}
                }
            }
        })
    };
    Reporter {
        bar,
        stop,
        thread: Some(thread),
    }
}

fn bar_style(sized: bool) -> ProgressStyle {
    let template = if sized {
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} ETA {eta}"
    } else {
        "{spinner} [{elapsed_precise}] {bytes} read, {msg}"
    };
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}
