//! Reading the stored originals of a (possibly damaged) index straight
//! from its `.store` files, segment by segment, without tantivy's
//! meta.json when that is gone.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use tantivy::directory::MmapDirectory;
use tantivy::directory::footer::Footer;
use tantivy::schema::Value as _;
use tantivy::store::StoreReader;
use tantivy::{Directory, TantivyDocument};

/// Where the list of segments came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// tantivy's meta.json: the segments of the last commit.
    Meta,
    /// meta.json is missing or unreadable: every `.store` file on disk.
    Disk,
}

/// The segments of the index in `dir` (32-hex ids), and where the list
/// came from.
pub fn segments(dir: &Path) -> (Vec<String>, Listing) {
    if let Some(ids) = meta_segments(dir) {
        return (ids, Listing::Meta);
    }
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let id = name.strip_suffix(".store")?;
                    is_segment_id(id).then(|| id.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    (ids, Listing::Disk)
}

fn meta_segments(dir: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(dir.join("meta.json")).ok()?;
    let meta: serde_json::Value = serde_json::from_str(&text).ok()?;
    meta.get("segments")?
        .as_array()?
        .iter()
        .map(|s| {
            let id: String = s
                .get("segment_id")?
                .as_str()?
                .chars()
                .filter(|c| *c != '-')
                .collect();
            is_segment_id(&id).then_some(id)
        })
        .collect()
}

fn is_segment_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What reading one segment's store gave.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StoreRead {
    pub originals: u64,
    /// Documents of the store that could not be decoded.
    pub unreadable: u64,
}

/// Call `each` with every stored original of segment `id` in the index
/// directory `dir`. Fails (with a short reason) when the store file is
/// missing or cannot be opened at all; a document that cannot be decoded
/// is counted and skipped.
pub fn read_store(
    dir: &MmapDirectory,
    id: &str,
    source_field: tantivy::schema::Field,
    each: &mut dyn FnMut(&str),
) -> Result<StoreRead, String> {
    let file = PathBuf::from(format!("{id}.store"));
    let slice = dir.open_read(&file).map_err(|e| {
        super::damage::read_reason(&e).unwrap_or_else(|| format!("{}: {e}", file.display()))
    })?;
    // tantivy appends a footer (version, checksum) to every file it
    // writes and strips it when it reads through its managed directory,
    // which needs the meta.json that may be gone: strip it here.
    let (_, body) = Footer::extract_footer(slice)
        .map_err(|_| format!("{} is truncated or overwritten", file.display()))?;
    let outcome = guarded(|| {
        let store = StoreReader::open(body, 1)
            .map_err(|_| format!("{} is truncated or overwritten", file.display()))?;
        let mut read = StoreRead::default();
        for doc in store.iter::<TantivyDocument>(None) {
            let source = doc.ok().and_then(|d| {
                d.get_first(source_field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            });
            match source {
                Some(s) => {
                    read.originals += 1;
                    each(&s);
                }
                None => read.unreadable += 1,
            }
        }
        Ok(read)
    });
    outcome.unwrap_or_else(|| Err(format!("{} is corrupt", file.display())))
}

/// Run `f`, turning a panic inside tantivy (a corrupt file it did not
/// expect) into `None` instead of a crash; the panic message goes to the
/// log, not the terminal.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        tracing::error!("reading a damaged index: {info}");
    }));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_store_files_when_meta_is_gone() {
        let tmp = tempfile::tempdir().expect("tmp");
        let a = "0123456789abcdef0123456789abcdef";
        std::fs::write(tmp.path().join(format!("{a}.store")), b"x").expect("write");
        std::fs::write(tmp.path().join(format!("{a}.idx")), b"x").expect("write");
        std::fs::write(tmp.path().join("notes.store"), b"x").expect("write");
        assert_eq!(segments(tmp.path()), (vec![a.to_string()], Listing::Disk));
        std::fs::write(
            tmp.path().join("meta.json"),
            r#"{"segments":[{"segment_id":"fedcba98-7654-3210-fedc-ba9876543210","max_doc":3}]}"#,
        )
        .expect("write");
        assert_eq!(
            segments(tmp.path()),
            (
                vec!["fedcba9876543210fedcba9876543210".to_string()],
                Listing::Meta
            )
        );
    }

    #[test]
    fn a_panic_becomes_none() {
        assert_eq!(guarded(|| 3), Some(3));
        let r: Option<()> = guarded(|| panic!("boom"));
        assert_eq!(r, None);
    }
}
