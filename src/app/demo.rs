//! `okhunt --demo`: the shipped demo tenant, built into a cached case on
//! first use so a newcomer sees a real story with no data of their own.

use crate::case::{Case, CaseError};
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
/// place, so an interrupted build never leaves half a case behind), and
/// built again when the cached one was made by an okhunt with another
/// schema version.
pub fn open_demo() -> anyhow::Result<Case> {
    open_demo_in(&demo_dir())
}

fn open_demo_in(dir: &std::path::Path) -> anyhow::Result<Case> {
    let dir = dir.to_path_buf();
    let parent = dir.parent().context("no parent for the demo case")?;
    if dir.join("case.json").exists() {
        match Case::open(&dir) {
            Ok(case) => return Ok(case),
            Err(CaseError::SchemaVersion { found, want, .. }) => {
                tracing::info!(found, want, "demo case has an old schema: rebuilding it");
                // Out of the way first, so a crash never leaves half of it.
                let old = parent.join(format!("demo.old-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&old);
                if std::fs::rename(&dir, &old).is_ok() {
                    std::fs::remove_dir_all(&old)?;
                }
                // else another okhunt moved it first; build ours below.
            }
            Err(e) => return Err(e.into()),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_case_of_an_old_schema_is_rebuilt() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("okhunt").join("demo");
        let built = open_demo_in(&dir).expect("first build");
        let events = built.reader().expect("reader").searcher().num_docs();
        assert!(events > 0);
        drop(built);
        // As an older okhunt would have left it.
        let meta = dir.join("case.json");
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&meta).expect("read")).expect("json");
        json["schema_version"] = serde_json::json!(1);
        std::fs::write(&meta, json.to_string()).expect("write");
        assert!(matches!(
            Case::open(&dir),
            Err(CaseError::SchemaVersion { found: 1, .. })
        ));

        let rebuilt = open_demo_in(&dir).expect("rebuilt");
        assert_eq!(
            rebuilt.meta.schema_version,
            crate::index::schema::SCHEMA_VERSION
        );
        let again = rebuilt.reader().expect("reader").searcher().num_docs();
        assert_eq!(again, events);
        let leftovers: Vec<_> = std::fs::read_dir(dir.parent().expect("parent"))
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("demo")]);
    }
}
