//! `okhunt` without a subcommand: the investigator TUI. Everything that can
//! fail for a reason the user must fix (the keymap, the case) is checked
//! before the terminal goes raw, so the error is a plain line.

use super::UsageError;
use crate::case::Case;
use crate::keymap::Keymap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(case: Option<PathBuf>, keymap: Option<&Path>, demo: bool) -> anyhow::Result<ExitCode> {
    let keymap = Keymap::load(keymap).map_err(|e| UsageError(e.to_string()))?;
    let case = if demo {
        crate::app::demo::open_demo()?
    } else {
        Case::open(&crate::case::resolve(case))?
    };
    tracing::info!(case = %case.root.display(), "tui start");
    crate::app::run::run(case, &keymap)?;
    Ok(ExitCode::SUCCESS)
}
