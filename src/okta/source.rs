//! Where events come from: files (plain or gzip), directories walked
//! recursively, or standard input. Compression is read from the magic bytes,
//! not the name.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

const BUF_BYTES: usize = 256 * 1024;

/// One input to read: a file, or `-` for standard input.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    /// The name used in messages (`FILE:LINE: reason`).
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "<stdin>".to_string(),
        }
    }

    /// Size on disk (compressed size for gzip), when known.
    pub fn size(&self) -> Option<u64> {
        match self {
            Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            Source::Stdin => None,
        }
    }

    /// Open for reading, decompressing gzip transparently. `read_bytes`
    /// counts the bytes taken from the underlying file, for progress.
    pub fn open(&self, read_bytes: Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
        let raw: Box<dyn Read + Send> = match self {
            Source::File(p) => Box::new(File::open(p)?),
            Source::Stdin => Box::new(io::stdin()),
        };
        let mut counted = BufReader::with_capacity(
            BUF_BYTES,
            Counting {
                inner: raw,
                count: read_bytes,
            },
        );
        let head = counted.fill_buf()?;
        if head.starts_with(&[0x1f, 0x8b]) {
            Ok(Box::new(BufReader::with_capacity(
                BUF_BYTES,
                MultiGzDecoder::new(counted),
            )))
        } else {
            Ok(Box::new(counted))
        }
    }
}

struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Expand the paths a user gave into sources, in a stable order: files as
/// given, directories walked recursively (sorted, hidden entries skipped),
/// `-` as stdin. Paths that cannot be read come back as errors beside the
/// sources that can, so one bad path never hides the good ones.
pub fn expand(paths: &[PathBuf]) -> (Vec<Source>, Vec<(PathBuf, io::Error)>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut sources, &mut errors),
            Ok(_) => sources.push(Source::File(p.clone())),
            Err(e) => errors.push((p.clone(), e)),
        }
    }
    (sources, errors)
}

fn walk(dir: &Path, sources: &mut Vec<Source>, errors: &mut Vec<(PathBuf, io::Error)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => return errors.push((dir.to_path_buf(), e)),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    paths.sort();
    for p in paths {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, sources, errors),
            Ok(m) if m.is_file() => sources.push(Source::File(p)),
            Ok(_) => {}
            Err(e) => errors.push((p, e)),
        }
    }
}
