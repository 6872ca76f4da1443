//! One page from the org: GET with the token, pace for the rate limit,
//! retry what passes (5xx, timeouts, dropped connections), stop at once on
//! what does not (401, 403, 400, TLS), and never send the token off the org.

use super::errors::{FetchError, clean, innermost, looks_like_tls, okta_suffix, okta_summary};
use super::org::Org;
use super::page::{self, Page};
use super::paging;
use super::progress::{FetchProgress, Notice};
use super::ratelimit::{Pacer, WaitReason, epoch_now, window_from};
use super::retry::{MAX_TOO_MANY, RetryPolicy, jitter};
use super::token::Token;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, LOCATION, WWW_AUTHENTICATE};
use reqwest::{StatusCode, Url};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How the client behaves; the defaults suit a real org.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// `--max-rate`: at most this many requests per minute.
    pub max_rate: Option<u32>,
    pub retry: RetryPolicy,
    /// No byte for this long is a timeout (Okta's own query timeout is 30 s).
    pub read_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_rate: None,
            retry: RetryPolicy::default(),
            read_timeout: Duration::from_secs(60),
        }
    }
}

pub struct Client {
    http: reqwest::Client,
    org: Org,
    auth: HeaderValue,
    token_kind: &'static str,
    token_from: String,
    pacer: Pacer,
    opts: ClientOptions,
    progress: Arc<FetchProgress>,
    /// Whether the org ever answered: a refused connection before that
    /// means a wrong --org (stop), after it a network blip (retry).
    answered: bool,
}

/// How one try failed.
enum Failure {
    Fatal(FetchError),
    /// 429, with the wait until the reset when the server said.
    TooMany(Option<Duration>),
    Connect(String),
    Transient(String),
}

impl Client {
    pub fn new(
        org: Org,
        token: &Token,
        opts: ClientOptions,
        progress: Arc<FetchProgress>,
    ) -> Result<Client, FetchError> {
        let auth = token.header().map_err(FetchError::Config)?;
        let https = org.name().starts_with("https:");
        let http = reqwest::Client::builder()
            .user_agent(concat!("okhunt/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .https_only(https)
            .connect_timeout(Duration::from_secs(15))
            .read_timeout(opts.read_timeout)
            .timeout(Duration::from_secs(600))
            .build()
            .map_err(|e| FetchError::Config(format!("cannot set up HTTPS: {}", innermost(&e))))?;
        Ok(Client {
            http,
            org,
            auth,
            token_kind: token.kind(),
            token_from: token.source.to_string(),
            pacer: Pacer::new(opts.max_rate),
            opts,
            progress,
            answered: false,
        })
    }

    pub fn org(&self) -> &Org {
        &self.org
    }

    /// GET one page, waiting and retrying as needed.
    pub async fn get_page(&mut self, url: &Url) -> Result<Page, FetchError> {
        if !self.org.owns(url) {
            return Err(FetchError::ForeignLink {
                org: self.org.name(),
                link: url.origin().ascii_serialization(),
            });
        }
        let mut failures = 0u32;
        let mut too_many = 0u32;
        loop {
            self.pace().await;
            let reason = match self.once(url).await {
                Ok(page) => {
                    FetchProgress::bump(&self.progress.pages, 1);
                    FetchProgress::bump(&self.progress.events, page.events.len() as u64);
                    return Ok(page);
                }
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Connect(reason)) if !self.answered => {
                    return Err(FetchError::Unreachable {
                        org: self.org.name(),
                        reason,
                    });
                }
                Err(Failure::TooMany(reset)) => {
                    too_many += 1;
                    if too_many >= MAX_TOO_MANY {
                        return Err(FetchError::GaveUp {
                            attempts: too_many,
                            last: "the org still answers 429 (rate limit exceeded)".into(),
                        });
                    }
                    let delay = match reset {
                        // Wait for the reset (a second at least), plus a
                        // little jitter so collectors do not stampede.
                        Some(d) => {
                            d.max(Duration::from_secs(1))
                                + Duration::from_millis(250).mul_f64(jitter())
                        }
                        None => self.opts.retry.backoff(too_many, jitter()),
                    };
                    self.sleep(delay, WaitReason::TooManyRequests).await;
                    // That window is over; the next answer says how the new one looks.
                    self.pacer.window = None;
                    continue;
                }
                Err(Failure::Connect(r) | Failure::Transient(r)) => r,
            };
            failures += 1;
            let attempts = self.opts.retry.attempts;
            if failures >= attempts {
                return Err(FetchError::GaveUp {
                    attempts: failures,
                    last: reason,
                });
            }
            let delay = self.opts.retry.backoff(failures, jitter());
            self.progress.notice(Notice::Retry {
                failure: failures,
                attempts,
                reason,
                delay,
            });
            self.progress.set_waiting(Some("retrying".into()));
            tokio::time::sleep(delay).await;
            self.progress.set_waiting(None);
        }
    }

    /// Wait as long as the rate limit (or --max-rate) asks.
    async fn pace(&mut self) {
        if let Some((delay, why)) = self.pacer.delay(Instant::now()) {
            self.sleep(delay, why).await;
        }
        self.pacer.started(Instant::now());
    }

    async fn sleep(&self, delay: Duration, why: WaitReason) {
        self.progress.notice(Notice::Wait { delay, why });
        self.progress.set_waiting(Some(format!(
            "waiting {:.0}s: {why}",
            delay.as_secs_f64().ceil()
        )));
        tokio::time::sleep(delay).await;
        self.progress.set_waiting(None);
    }

    async fn once(&mut self, url: &Url) -> Result<Page, Failure> {
        FetchProgress::bump(&self.progress.requests, 1);
        let sent = self
            .http
            .get(url.clone())
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, "application/json")
            .send()
            .await;
        let resp = sent.map_err(|e| self.classify(&e))?;
        self.answered = true;
        let now = Instant::now();
        self.pacer.observe(resp.headers(), now);
        let status = resp.status();
        tracing::info!(
            url = %url,
            status = status.as_u16(),
            remaining = ?self.pacer.window.map(|w| w.remaining),
            "GET"
        );
        if status == StatusCode::TOO_MANY_REQUESTS {
            let reset = window_from(resp.headers(), now, epoch_now())
                .map(|w| w.reset_at.saturating_duration_since(now));
            let _ = resp.bytes().await;
            return Err(Failure::TooMany(reset));
        }
        if status.is_server_error() {
            let body = resp.bytes().await.unwrap_or_default();
            return Err(Failure::Transient(format!(
                "HTTP {}{}",
                status.as_u16(),
                okta_suffix(&body)
            )));
        }
        if status.is_redirection() {
            let location = resp
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .map_or_else(|| "nowhere".to_string(), clean);
            return Err(Failure::Fatal(FetchError::Redirect {
                org: self.org.name(),
                location,
            }));
        }
        if !status.is_success() {
            let dpop_header = resp
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("dpop"));
            let body = resp.bytes().await.unwrap_or_default();
            return Err(Failure::Fatal(self.refusal(status, &body, dpop_header)));
        }
        let next = paging::next_link(resp.headers(), url);
        if let Some(n) = next.as_ref().filter(|n| !self.org.owns(n)) {
            return Err(Failure::Fatal(FetchError::ForeignLink {
                org: self.org.name(),
                link: n.origin().ascii_serialization(),
            }));
        }
        let body = resp.bytes().await.map_err(|e| {
            Failure::Transient(format!(
                "the connection dropped while the page was read ({})",
                innermost(&e)
            ))
        })?;
        let events = page::split(&body).map_err(Failure::Transient)?;
        Ok(Page {
            url: url.clone(),
            events,
            next,
        })
    }

    /// The error for a 4xx answer: one sentence saying what to do.
    fn refusal(&self, status: StatusCode, body: &[u8], dpop_header: bool) -> FetchError {
        let summary = okta_summary(body);
        let okta = okta_suffix(body);
        let dpop = dpop_header || summary.as_deref().is_some_and(|s| s.contains("DPoP"));
        let what = self.token_kind;
        let token_from = self.token_from.clone();
        match status.as_u16() {
            400 | 401 | 403 if dpop => FetchError::DpopRequired { okta },
            401 => FetchError::Unauthorized {
                what,
                token_from,
                okta,
            },
            403 => FetchError::Forbidden {
                what,
                token_from,
                okta,
            },
            400 => FetchError::BadRequest {
                summary: summary.unwrap_or_else(|| clean(&String::from_utf8_lossy(body))),
            },
            404 => FetchError::NotFound {
                org: self.org.name(),
            },
            s => FetchError::Status {
                org: self.org.name(),
                status: s,
                okta,
            },
        }
    }

    fn classify(&self, e: &reqwest::Error) -> Failure {
        let reason = innermost(e);
        if looks_like_tls(e) {
            return Failure::Fatal(FetchError::Tls {
                org: self.org.name(),
                reason,
            });
        }
        if e.is_timeout() {
            return Failure::Transient(format!(
                "no answer within {:.1}s (timeout)",
                self.opts.read_timeout.as_secs_f64()
            ));
        }
        if e.is_connect() {
            return Failure::Connect(reason);
        }
        Failure::Transient(format!("the connection dropped ({reason})"))
    }
}
