//! `okhunt --demo`: the shipped demo tenant, built into a cached case on
//! first use so a newcomer sees a real story with no data of their own.

use crate::case::Case;
use crate::ingest::{self, Options};
use anyhow::Context as _;
use std::path::PathBuf;

/// The demo events, inside the binary so it works from anywhere.
const DEMO_GZ: &[u8] = include_bytes!("../../fixtures/demo/demo.ndjson.gz");

/// `$XDG_CACHE_HOME/okhunt/demo`, else `~/.cache/okhunt/demo`.
pub fn demo_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("okhunt")
        .join("demo")
}

/// The demo case, built on first use (in a scratch directory renamed into
/// place, so an interrupted build never leaves half a case behind).
pub fn open_demo() -> anyhow::Result<Case> {
    let dir = demo_dir();
    if dir.join("case.json").exists() {
        return Ok(Case::open(&dir)?);
    }
    let parent = dir.parent().context("no parent for the demo case")?;
    crate::case::create_private_dir(parent)?;
    let scratch = parent.join(format!("demo.building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    eprintln!(
        "okhunt: building the demo case in {} (first use)…",
        dir.display()
    );
    let built = build(&scratch);
    if let Err(e) = built {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(e);
    }
    if std::fs::rename(&scratch, &dir).is_err() {
        // Another okhunt built it meanwhile: use theirs.
        let _ = std::fs::remove_dir_all(&scratch);
    }
    Ok(Case::open(&dir)?)
}

fn build(scratch: &std::path::Path) -> anyhow::Result<()> {
    let mut case = Case::open_or_create(scratch)?;
    let file = scratch.join("demo.ndjson.gz");
    std::fs::write(&file, DEMO_GZ)?;
    let opts = Options {
        threads: 2,
        heap_bytes: 128 * 1024 * 1024,
    };
    let progress = ingest::new_progress();
    let summary = ingest::run(
        &mut case,
        std::slice::from_ref(&file),
        &opts,
        &progress,
        &mut |_| {},
    )?;
    std::fs::remove_file(&file)?;
    tracing::info!(added = summary.added, "demo case built");
    Ok(())
}
