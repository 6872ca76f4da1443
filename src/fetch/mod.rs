//! Pull events from the Okta System Log API (`GET /api/v1/logs`) into a
//! case: paging by the `Link` header, rate-limit aware, resumable, exact.
//!
//! Layers, each usable alone (the CLI uses them all; a TUI tail needs
//! [`Fetcher::tail`] or [`BlockingFetcher`], [`sink::CaseSink`] and
//! [`pull::tail_once`]):
//! - [`org`], [`token`]: where to ask and with what (validated, redacted);
//! - [`client`]: one page with auth, rate-limit pacing and retries;
//! - [`fetcher`]: the paging rules (bounded vs polling);
//! - [`sink`]: a page into the case and its cursor, one commit per page;
//! - [`resume`]: the cursors in `CASE/fetch.json`;
//! - [`pull`]: the loops.

pub mod client;
pub mod errors;
pub mod fetcher;
pub mod hardening;
pub mod org;
pub mod page;
pub mod paging;
pub mod progress;
pub mod pull;
pub mod ratelimit;
pub mod resume;
pub mod retry;
pub mod sink;
pub mod token;

pub use client::ClientOptions;
pub use errors::FetchError;
pub use fetcher::{BlockingFetcher, Fetcher};
pub use org::Org;
pub use progress::{FetchProgress, Notice};
pub use resume::{Cursor, CursorKey, FetchState};
pub use sink::{CaseSink, PageSink, SinkPlan};
pub use token::Token;

use chrono::{DateTime, Utc};
use reqwest::Url;

/// Okta's largest page.
pub const PAGE_LIMIT: u32 = 1000;

/// One pull: where, with what, which events.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub org: Org,
    pub token: Token,
    /// SCIM filter (`eventType eq "user.session.start"`).
    pub filter: Option<String>,
    /// Keywords (`q`).
    pub query: Option<String>,
    pub since: DateTime<Utc>,
    /// Set: a bounded pull. Unset: a polling pull.
    pub until: Option<DateTime<Utc>>,
    pub client: ClientOptions,
}

impl FetchConfig {
    /// The cursor this pull keeps in the case.
    pub fn key(&self) -> CursorKey {
        CursorKey {
            org: self.org.name(),
            filter: self.filter.clone(),
            query: self.query.clone(),
        }
    }

    /// The one URL okhunt builds; every other comes from a `Link` header.
    pub fn first_url(&self) -> Url {
        let mut url = self.org.logs_url();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("since", &crate::okta::time::format_utc(self.since));
            if let Some(until) = self.until {
                q.append_pair("until", &crate::okta::time::format_utc(until));
            }
            if let Some(f) = &self.filter {
                q.append_pair("filter", f);
            }
            if let Some(words) = &self.query {
                q.append_pair("q", words);
            }
            q.append_pair("limit", &PAGE_LIMIT.to_string());
            q.append_pair("sortOrder", "ASCENDING");
        }
        url
    }

    /// How the case's ingest history names this pull.
    pub fn label(&self) -> String {
        let mut s = format!("{}/api/v1/logs", self.org.name());
        if let Some(f) = &self.filter {
            s.push_str(&format!(" filter={f}"));
        }
        if let Some(q) = &self.query {
            s.push_str(&format!(" q={q}"));
        }
        s
    }

    pub fn sink_plan(&self) -> SinkPlan {
        SinkPlan {
            key: self.key(),
            since: self.since,
            until: self.until,
            label: self.label(),
        }
    }
}
