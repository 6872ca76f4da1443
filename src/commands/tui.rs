//! `okhunt` without a subcommand: the investigator TUI. Everything that can
//! fail for a reason the user must fix (the keymap, the case) is checked
//! before the terminal goes raw, so the error is a plain line.

use super::UsageError;
use crate::case::Case;
use crate::cli::FetchArgs;
use crate::fetch::FetchConfig;
use crate::keymap::Keymap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// `--org URL --follow`: the live tail to run beside the TUI.
pub struct Tail {
    pub org: String,
    pub every: Duration,
    pub token_file: Option<PathBuf>,
}

pub fn run(
    case: Option<PathBuf>,
    keymap: Option<&Path>,
    demo: bool,
    paths: Vec<PathBuf>,
    tail: Option<Tail>,
) -> anyhow::Result<ExitCode> {
    let keymap = Keymap::load(keymap).map_err(|e| UsageError(e.to_string()))?;
    check_paths(&paths)?;
    let root = crate::case::resolve(case);
    // The org, token and start are checked before the screen is taken.
    let tail = match tail {
        Some(t) => Some((fetch_config(&root, &t)?, t.every)),
        None => None,
    };
    let case = if demo {
        crate::app::demo::open_demo()?
    } else if paths.is_empty() && tail.is_none() {
        Case::open(&root)?
    } else {
        // Events to load: a new case is fine.
        Case::open_or_create(&root)?
    };
    tracing::info!(case = %case.root.display(), paths = paths.len(), tail = tail.is_some(), "tui start");
    crate::app::run::run(case, &keymap, paths, tail)?;
    Ok(ExitCode::SUCCESS)
}

/// The pull a live tail starts with, as `okhunt fetch --org URL` would
/// make it: from where the last fetch of the org stopped.
fn fetch_config(root: &Path, tail: &Tail) -> anyhow::Result<FetchConfig> {
    let args = FetchArgs {
        org: tail.org.clone(),
        since: None,
        until: None,
        filter: None,
        query: None,
        follow: true,
        interval: tail.every.as_secs(),
        max_rate: None,
        token_file: tail.token_file.clone(),
        backoff_ms: None,
        timeout_ms: None,
        attempts: None,
    };
    super::fetch::config(root, &args)
}

/// Paths to ingest must exist, and stdin cannot be one: the TUI reads the
/// keyboard from it.
fn check_paths(paths: &[PathBuf]) -> Result<(), UsageError> {
    for p in paths {
        if p.as_os_str() == "-" {
            return Err(UsageError(
                "the TUI cannot read events from stdin (-) while it reads your keys: run `okhunt ingest -` first, then `okhunt`".into(),
            ));
        }
        if std::fs::metadata(p).is_err() {
            return Err(UsageError(format!(
                "{}: no such file or directory; nothing was ingested and the TUI was not opened",
                p.display()
            )));
        }
    }
    Ok(())
}
