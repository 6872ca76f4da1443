//! One handler per subcommand. Handlers print, the library computes.

use crate::cli::{Cli, Command};
use std::process::ExitCode;

pub mod fetch;
pub mod generate;
pub mod hunt;
pub mod ingest;
pub mod repair;
pub mod search;
pub mod stats;
pub mod tui;
pub mod verify;

/// A mistake in how okhunt was called (exit code 2), as opposed to a
/// failure while doing the work (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let Some(command) = cli.command else {
        let tail = cli.org.map(|org| tui::Tail {
            org,
            every: std::time::Duration::from_secs(cli.interval),
            token_file: cli.token_file,
        });
        return tui::run(cli.case, cli.keymap.as_deref(), cli.demo, cli.paths, tail);
    };
    if cli.demo {
        return Err(UsageError("--demo opens the TUI: use it without a subcommand".into()).into());
    }
    let case_dir = crate::case::resolve(cli.case);
    match command {
        Command::Ingest(args) => ingest::run(&case_dir, &args),
        Command::Search(args) => search::run(&case_dir, &args),
        Command::Stats(args) => stats::run(&case_dir, &args),
        Command::Hunt(args) => hunt::run(&case_dir, &args),
        Command::Generate(args) => generate::run(&args),
        Command::Fetch(args) => fetch::run(&case_dir, &args),
        Command::Verify(args) => verify::run(&case_dir, &args),
        Command::Repair(args) => repair::run(&case_dir, &args),
    }
}

/// A time range from --since/--until; either end may be open.
pub type TimeBounds = (
    Option<chrono::DateTime<chrono::Utc>>,
    Option<chrono::DateTime<chrono::Utc>>,
);

/// Parse --since/--until for a command.
pub fn time_bounds(since: Option<&str>, until: Option<&str>) -> Result<TimeBounds, UsageError> {
    let now = chrono::Utc::now();
    let parse = |flag: &str, v: Option<&str>| {
        v.map(|s| {
            crate::timespec::parse_time_spec(s, now)
                .map_err(|e| UsageError(format!("--{flag}: {e}")))
        })
        .transpose()
    };
    Ok((parse("since", since)?, parse("until", until)?))
}

/// Whether an error is a closed output pipe (`okhunt search | head`),
/// wherever it sits in the chain (csv wraps its I/O errors).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            cause
                .downcast_ref::<csv::Error>()
                .and_then(|c| match c.kind() {
                    csv::ErrorKind::Io(io) => Some(io),
                    _ => None,
                })
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
