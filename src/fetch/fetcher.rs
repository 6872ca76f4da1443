//! The paging rules of `/api/v1/logs` over a [`Client`]:
//!
//! - a **bounded** pull (`until` set) follows `rel="next"` until a page
//!   comes without one;
//! - a **polling** pull (no `until`) always gets a next link, even on an
//!   empty page: it is caught up at the first empty page, and that page's
//!   next link is what a live tail polls later ([`Fetcher::poll_once`]).
//!
//! Only links Okta gave are followed; the first URL is the only one built.
//! A `Fetcher` is driven from async code (`next_page().await`) or, through
//! [`BlockingFetcher`], from a plain thread such as a TUI's.

use super::FetchConfig;
use super::client::Client;
use super::errors::FetchError;
use super::page::Page;
use super::progress::FetchProgress;
use reqwest::Url;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
enum At {
    /// The next GET.
    Next(Url),
    /// A polling pull got an empty page; this link is polled later.
    CaughtUp(Url),
    /// A bounded pull is complete (or the org gave no next link).
    Done,
}

pub struct Fetcher {
    client: Client,
    at: At,
    polling: bool,
}

impl Fetcher {
    /// A pull as `cfg` says: the first GET is the query it describes.
    pub fn new(cfg: &FetchConfig, progress: Arc<FetchProgress>) -> Result<Fetcher, FetchError> {
        let client = Client::new(cfg.org.clone(), &cfg.token, cfg.client.clone(), progress)?;
        Ok(Fetcher {
            client,
            at: At::Next(cfg.first_url()),
            polling: cfg.until.is_none(),
        })
    }

    /// A live tail that polls a saved next link (a polling pull's, from
    /// the case's fetch state). The link must be on `cfg.org`.
    pub fn tail(
        cfg: &FetchConfig,
        link: &str,
        progress: Arc<FetchProgress>,
    ) -> Result<Fetcher, FetchError> {
        let url = Url::parse(link)
            .map_err(|e| FetchError::Config(format!("the saved next link is not a URL ({e})")))?;
        if !cfg.org.owns(&url) {
            return Err(FetchError::ForeignLink {
                org: cfg.org.name(),
                link: url.origin().ascii_serialization(),
            });
        }
        let client = Client::new(cfg.org.clone(), &cfg.token, cfg.client.clone(), progress)?;
        Ok(Fetcher {
            client,
            at: At::CaughtUp(url),
            polling: true,
        })
    }

    pub fn is_polling(&self) -> bool {
        self.polling
    }

    /// A polling pull got its empty page (a tail may poll now).
    pub fn is_caught_up(&self) -> bool {
        matches!(self.at, At::CaughtUp(_))
    }

    /// The link the next GET (or the next poll) uses.
    pub fn next_link(&self) -> Option<&Url> {
        match &self.at {
            At::Next(u) | At::CaughtUp(u) => Some(u),
            At::Done => None,
        }
    }

    /// The next page by the paging rules, or `None` when the pull is over
    /// (bounded: no next link came; polling: the last page was empty).
    pub async fn next_page(&mut self) -> Result<Option<Page>, FetchError> {
        let At::Next(url) = &self.at else {
            return Ok(None);
        };
        let url = url.clone();
        self.get(url).await.map(Some)
    }

    /// One GET of the saved next link, whatever the last page was: what a
    /// live tail calls every N seconds. The page may be empty; when it is
    /// full, call [`Fetcher::next_page`] until `None` to catch up.
    pub async fn poll_once(&mut self) -> Result<Page, FetchError> {
        match &self.at {
            At::Next(u) | At::CaughtUp(u) => {
                let url = u.clone();
                self.get(url).await
            }
            At::Done => Err(FetchError::Config(
                "nothing to poll: the pull was bounded or the org gave no next link".into(),
            )),
        }
    }

    async fn get(&mut self, url: Url) -> Result<Page, FetchError> {
        // The position moves only once a whole page is in hand: a GET
        // cancelled or failed midway is simply done again.
        let page = self.client.get_page(&url).await?;
        self.at = after(&url, &page, self.polling);
        Ok(page)
    }
}

/// Where a pull stands after `page`, read from `url`.
fn after(url: &Url, page: &Page, polling: bool) -> At {
    match &page.next {
        None => At::Done,
        // A link back to the same URL makes no progress: the end for a
        // bounded pull, caught up for a polling one (never a loop).
        Some(n) if n == url && !polling => At::Done,
        Some(n) if polling && (page.is_empty() || n == url) => At::CaughtUp(n.clone()),
        Some(n) => At::Next(n.clone()),
    }
}

/// A [`Fetcher`] for a plain thread: it owns a small runtime.
pub struct BlockingFetcher {
    rt: tokio::runtime::Runtime,
    inner: Fetcher,
}

impl BlockingFetcher {
    pub fn new(inner: Fetcher) -> Result<BlockingFetcher, FetchError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(BlockingFetcher { rt, inner })
    }

    pub fn next_page(&mut self) -> Result<Option<Page>, FetchError> {
        self.rt.block_on(self.inner.next_page())
    }

    pub fn poll_once(&mut self) -> Result<Page, FetchError> {
        self.rt.block_on(self.inner.poll_once())
    }

    pub fn fetcher(&self) -> &Fetcher {
        &self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;

    fn page(url: &str, n: usize, next: Option<&str>) -> Page {
        Page {
            url: Url::parse(url).expect("url"),
            events: (0..n)
                .map(|_| RawValue::from_string("{}".into()).expect("raw"))
                .collect(),
            next: next.map(|n| Url::parse(n).expect("next")),
        }
    }

    #[test]
    fn paging_rules() {
        let u = Url::parse("https://a/api/v1/logs?since=x").expect("url");
        let n = "https://a/api/v1/logs?after=2";
        let next = At::Next(Url::parse(n).expect("n"));
        // Bounded: follow next links, stop without one, even on an empty page.
        assert_eq!(after(&u, &page(u.as_str(), 3, Some(n)), false), next);
        assert_eq!(after(&u, &page(u.as_str(), 0, Some(n)), false), next);
        assert_eq!(after(&u, &page(u.as_str(), 3, None), false), At::Done);
        assert_eq!(
            after(&u, &page(u.as_str(), 3, Some(u.as_str())), false),
            At::Done
        );
        // Polling: an empty page ends it and keeps its link for the tail.
        assert_eq!(after(&u, &page(u.as_str(), 3, Some(n)), true), next);
        assert_eq!(
            after(&u, &page(u.as_str(), 0, Some(n)), true),
            At::CaughtUp(Url::parse(n).expect("n"))
        );
        assert_eq!(
            after(&u, &page(u.as_str(), 2, Some(u.as_str())), true),
            At::CaughtUp(u.clone())
        );
        assert_eq!(after(&u, &page(u.as_str(), 0, None), true), At::Done);
    }
}
