//! `okhunt` without a subcommand: the investigator TUI. Everything that can
//! fail for a reason the user must fix (the keymap, the case) is checked
//! before the terminal goes raw, so the error is a plain line.

use super::UsageError;
use crate::case::Case;
use crate::keymap::Keymap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(
    case: Option<PathBuf>,
    keymap: Option<&Path>,
    demo: bool,
    paths: Vec<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let keymap = Keymap::load(keymap).map_err(|e| UsageError(e.to_string()))?;
    check_paths(&paths)?;
    let case = if demo {
        crate::app::demo::open_demo()?
    } else if paths.is_empty() {
        Case::open(&crate::case::resolve(case))?
    } else {
        // Paths to load: a new case is fine.
        Case::open_or_create(&crate::case::resolve(case))?
    };
    tracing::info!(case = %case.root.display(), paths = paths.len(), "tui start");
    crate::app::run::run(case, &keymap, paths)?;
    Ok(ExitCode::SUCCESS)
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
