//! Telling a damaged index (a file missing, truncated or overwritten) from
//! other failures, in a few words a person can act on.

use std::io::ErrorKind;
use std::path::Path;
use tantivy::TantivyError;
use tantivy::directory::error::{OpenDirectoryError, OpenReadError};

/// Why `e` means the index is damaged, or `None` when it is another kind
/// of failure (a permission, a lock, a bug).
pub fn reason(e: &TantivyError) -> Option<String> {
    match e {
        TantivyError::OpenReadError(e) => read_reason(e),
        TantivyError::OpenDirectoryError(OpenDirectoryError::DoesNotExist(_)) => {
            Some("its index directory is missing".into())
        }
        TantivyError::DataCorruption(c) => Some(match format!("{c:?}").split_once("(in file `") {
            Some((_, rest)) => format!(
                "{} is corrupt",
                rest.split('`').next().unwrap_or("a file").trim_matches('"')
            ),
            None => "a file of the index is corrupt".into(),
        }),
        TantivyError::IoError(io) => io_reason(io, None),
        TantivyError::IncompatibleIndex(_) => {
            Some("a file of the index has an unknown format".into())
        }
        TantivyError::DeserializeError(_) => Some("a stored event cannot be decoded".into()),
        _ => None,
    }
}

/// Why opening a file failed, when that means damage.
pub fn read_reason(e: &OpenReadError) -> Option<String> {
    match e {
        OpenReadError::FileDoesNotExist(p) => Some(format!("{} is missing", file_name(p))),
        OpenReadError::IoError { io_error, filepath } => io_reason(io_error, Some(filepath)),
        OpenReadError::IncompatibleIndex(_) => {
            Some("a file of the index has an unknown format".into())
        }
    }
}

fn io_reason(e: &std::io::Error, file: Option<&Path>) -> Option<String> {
    let what = file.map_or_else(|| "a file of the index".to_string(), file_name);
    match e.kind() {
        ErrorKind::NotFound => Some(format!("{what} is missing")),
        ErrorKind::InvalidData | ErrorKind::UnexpectedEof => {
            Some(format!("{what} is truncated or overwritten"))
        }
        _ => None,
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    #[test]
    fn names_the_damaged_file() {
        let missing = TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(PathBuf::from(
            "/c/index/meta.json",
        )));
        assert_eq!(reason(&missing).as_deref(), Some("meta.json is missing"));
        let bad = TantivyError::OpenReadError(OpenReadError::IoError {
            io_error: Arc::new(std::io::Error::new(ErrorKind::InvalidData, "footer")),
            filepath: PathBuf::from("ab.store"),
        });
        assert_eq!(
            reason(&bad).as_deref(),
            Some("ab.store is truncated or overwritten")
        );
        let denied = TantivyError::IoError(Arc::new(std::io::Error::new(
            ErrorKind::PermissionDenied,
            "no",
        )));
        assert_eq!(reason(&denied), None);
    }
}
