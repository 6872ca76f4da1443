//! Where each pull stopped: `CASE/fetch.json` (mode 0600, replaced
//! atomically), one cursor per org, filter and query.
//!
//! A cursor's `position` is the time up to which the case holds the org's
//! events: the newest `published` committed, or the end of a bounded pull
//! that completed. `okhunt fetch` without `--since` starts again at
//! `position - OVERLAP` (events arrive late and out of order; the overlap
//! catches them and dedup by uuid drops the rest). `next` is the last
//! `rel="next"` link Okta gave: after a polling pull that ended on an empty
//! page, the link a live tail polls.

use super::errors::FetchError;
use crate::case::private_file;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

pub const STATE_FILE: &str = "fetch.json";

/// How far before the saved position a resumed pull starts.
pub fn overlap() -> Duration {
    Duration::minutes(2)
}

/// Which pull a cursor belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorKey {
    pub org: String,
    pub filter: Option<String>,
    pub query: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub org: String,
    #[serde(default)]
    pub filter: Option<String>,
    #[serde(default)]
    pub query: Option<String>,
    /// The case holds this pull's events up to here.
    pub position: DateTime<Utc>,
    /// The newest `published` committed.
    #[serde(default)]
    pub last_published: Option<DateTime<Utc>>,
    /// The last next link Okta gave.
    #[serde(default)]
    pub next: Option<String>,
    /// `next` belongs to a polling request (no `until`): a tail can poll it.
    #[serde(default)]
    pub polling: bool,
    pub updated: DateTime<Utc>,
}

impl Cursor {
    pub fn key(&self) -> CursorKey {
        CursorKey {
            org: self.org.clone(),
            filter: self.filter.clone(),
            query: self.query.clone(),
        }
    }

    /// Where a pull without --since starts.
    pub fn resume_since(&self) -> DateTime<Utc> {
        self.position - overlap()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FetchState {
    #[serde(default)]
    pub cursors: Vec<Cursor>,
}

impl FetchState {
    /// The state in the case at `root`; empty when there is none yet.
    pub fn load(root: &Path) -> Result<FetchState, FetchError> {
        let path = root.join(STATE_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FetchState::default()),
            Err(e) => return Err(e.into()),
        };
        serde_json::from_str(&text).map_err(|e| FetchError::State {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// Write the state atomically (temp file, fsync, rename), mode 0600.
    pub fn save(&self, root: &Path) -> Result<(), FetchError> {
        let tmp = root.join(format!("{STATE_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        {
            let mut f = private_file(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, root.join(STATE_FILE))?;
        Ok(())
    }

    pub fn get(&self, key: &CursorKey) -> Option<&Cursor> {
        self.cursors.iter().find(|c| c.key() == *key)
    }

    /// The cursor for `key`, created at `position` when there is none.
    pub fn entry(&mut self, key: &CursorKey, position: DateTime<Utc>) -> &mut Cursor {
        let i = match self.cursors.iter().position(|c| c.key() == *key) {
            Some(i) => i,
            None => {
                self.cursors.push(Cursor {
                    org: key.org.clone(),
                    filter: key.filter.clone(),
                    query: key.query.clone(),
                    position,
                    last_published: None,
                    next: None,
                    polling: false,
                    updated: Utc::now(),
                });
                self.cursors.len() - 1
            }
        };
        &mut self.cursors[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_private_and_keyed() {
        let dir = tempfile::tempdir().expect("tmp");
        assert_eq!(
            FetchState::load(dir.path()).expect("empty"),
            FetchState::default()
        );
        let t0: DateTime<Utc> = "2024-03-01T10:00:00Z".parse().expect("t");
        let a = CursorKey {
            org: "https://acme.okta.com".into(),
            filter: None,
            query: None,
        };
        let b = CursorKey {
            filter: Some(r#"eventType eq "user.session.start""#.into()),
            ..a.clone()
        };
        let mut s = FetchState::default();
        s.entry(&a, t0).next = Some("https://acme.okta.com/api/v1/logs?after=1".into());
        s.entry(&b, t0 + Duration::hours(1));
        s.entry(&a, t0 + Duration::days(9)).polling = true;
        s.save(dir.path()).expect("save");
        let back = FetchState::load(dir.path()).expect("load");
        assert_eq!(back, s);
        assert_eq!(back.cursors.len(), 2);
        let ca = back.get(&a).expect("a");
        assert!(ca.polling && ca.position == t0);
        assert_eq!(ca.resume_since(), t0 - Duration::minutes(2));
        assert_eq!(
            back.get(&b).map(|c| c.position),
            Some(t0 + Duration::hours(1))
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(STATE_FILE))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join(STATE_FILE), "{not json").expect("write");
        assert!(matches!(
            FetchState::load(dir.path()),
            Err(FetchError::State { .. })
        ));
    }
}
