//! Diagnostics go to a file, never to the terminal the UI owns:
//! `$XDG_STATE_HOME/okhunt/okhunt.log` (else `~/.local/state/okhunt/`).
//! `OKHUNT_LOG` sets the filter (default `info`).

use std::path::PathBuf;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

pub fn log_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .map(|d| d.join("okhunt"))
}

/// Start logging; keep the guard alive until exit so the last lines are
/// written. Logging is best effort: no log directory means no log.
pub fn init() -> Option<WorkerGuard> {
    let dir = log_dir()?;
    crate::case::create_private_dir(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "okhunt.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("OKHUNT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Replace Rust's panic report (a backtrace on the terminal) with one
/// plain sentence on stderr and the details in the log. A panic is a bug,
/// or a damaged index file tantivy did not expect: the sentence says how
/// to tell which. (The TUI's own hook restores the terminal first.)
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::error!("panic at {at}: {what}\n{backtrace}");
        let log = log_dir().map_or_else(
            || "okhunt's log".to_string(),
            |d| d.join("okhunt.log").display().to_string(),
        );
        eprintln!(
            "okhunt: internal error: panicked at {at}: {}. If it happened while reading a case, \
             run okhunt verify on it: a damaged index is rebuilt with okhunt repair. \
             Otherwise please report it with {log}.",
            crate::output::escape(&what)
        );
    }));
}
