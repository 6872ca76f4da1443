//! What can go wrong while fetching, each in one sentence that says what
//! to do. Texts that come from the server (Okta's `errorSummary`) are
//! hostile input: they are cleaned of control characters and cut short.

use crate::case::CaseError;
use crate::index::writer::WriteError;
use serde::Deserialize;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum FetchError {
    /// How okhunt was called (org URL, token, flags): exit code 2.
    #[error("{0}")]
    Config(String),
    #[error(
        "Okta rejected the {what} from {token_from} (401 Unauthorized: invalid, expired or revoked{okta}): set a valid one and run again"
    )]
    Unauthorized {
        what: &'static str,
        token_from: String,
        okta: String,
    },
    #[error(
        "the {what} from {token_from} may not read the System Log (403 Forbidden{okta}): an API token needs an admin allowed to read logs, an OAuth access token needs the okta.logs.read scope"
    )]
    Forbidden {
        what: &'static str,
        token_from: String,
        okta: String,
    },
    #[error(
        "the org requires DPoP-bound access tokens for this OAuth app (403 Forbidden{okta}): okhunt sends plain Bearer tokens; use an API token (OKTA_API_TOKEN) or a service app without DPoP"
    )]
    DpopRequired { okta: String },
    #[error("Okta refused the query (400 Bad Request: {summary}): check --filter and --query")]
    BadRequest { summary: String },
    #[error("no System Log API at {org} (404 Not Found): check --org, e.g. https://acme.okta.com")]
    NotFound { org: String },
    #[error(
        "{org} answered with a redirect to {location}: give the org's own URL (https://ORG.okta.com) to --org"
    )]
    Redirect { org: String, location: String },
    #[error("unexpected answer from {org}: HTTP {status}{okta}")]
    Status {
        org: String,
        status: u16,
        okta: String,
    },
    #[error("cannot reach {org}: {reason}")]
    Unreachable { org: String, reason: String },
    #[error("the TLS connection to {org} failed: {reason}")]
    Tls { org: String, reason: String },
    #[error("gave up after {attempts} attempts: {last}")]
    GaveUp { attempts: u32, last: String },
    #[error(
        "the org's next link points to {link}, outside {org}: okhunt does not send the token anywhere else, so it stopped"
    )]
    ForeignLink { org: String, link: String },
    #[error("the fetch state {path} is damaged ({reason}): move it away to start over")]
    State { path: String, reason: String },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl FetchError {
    /// A mistake in how okhunt was called rather than a failure of the pull.
    pub fn is_config(&self) -> bool {
        matches!(self, FetchError::Config(_))
    }
}

/// Okta's error body: `{errorCode, errorSummary, errorLink, errorId, errorCauses[]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OktaErrorBody {
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    error_summary: Option<String>,
    #[serde(default)]
    error_causes: Vec<OktaCause>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OktaCause {
    #[serde(default)]
    error_summary: Option<String>,
}

/// Okta's summary of an error body (`errorSummary`, then each cause's,
/// then the code), cleaned; `None` when the body is not Okta's error JSON.
pub fn okta_summary(body: &[u8]) -> Option<String> {
    let parsed: OktaErrorBody = serde_json::from_slice(body).ok()?;
    let mut parts: Vec<String> = Vec::new();
    for s in std::iter::once(parsed.error_summary)
        .chain(parsed.error_causes.into_iter().map(|c| c.error_summary))
        .flatten()
    {
        let s = clean(&s);
        if !s.is_empty() && !parts.contains(&s) {
            parts.push(s);
        }
    }
    if let Some(code) = parsed.error_code {
        parts.push(clean(&code));
    }
    (!parts.is_empty()).then(|| parts.join(": "))
}

/// `": <summary>"` for an error message, or nothing.
pub fn okta_suffix(body: &[u8]) -> String {
    okta_summary(body)
        .map(|s| format!(": Okta says \"{s}\""))
        .unwrap_or_default()
}

/// Server text made safe to print: control and bidi characters escaped,
/// at most 300 characters.
pub fn clean(s: &str) -> String {
    let mut out = String::new();
    for (n, c) in s.trim().chars().enumerate() {
        if n >= 300 {
            out.push('…');
            break;
        }
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
        if c.is_control() || bidi {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The deepest cause of an error: the one that says what happened.
pub fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    clean(&cur.to_string())
}

/// A TLS failure (bad certificate, not TLS at all) anywhere in the chain.
pub fn looks_like_tls(e: &(dyn std::error::Error + 'static)) -> bool {
    // Not the outermost message: reqwest's names the URL, whose host may
    // hold any word.
    let mut cur = e.source();
    while let Some(err) = cur {
        let text = err.to_string().to_ascii_lowercase();
        if [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "peer sent",
        ]
        .iter()
        .any(|w| text.contains(w))
        {
            return true;
        }
        cur = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okta_bodies() {
        let body = br#"{"errorCode":"E0000031","errorSummary":"Invalid search criteria.","errorLink":"E0000031","errorId":"x","errorCauses":[{"errorSummary":"Invalid filter 'bogus'"}]}"#;
        assert_eq!(
            okta_summary(body).as_deref(),
            Some("Invalid search criteria.: Invalid filter 'bogus': E0000031")
        );
        assert_eq!(okta_summary(b"<html>nope</html>"), None);
        assert_eq!(okta_summary(b"{}"), None);
    }

    #[test]
    fn clean_escapes_terminal_tricks() {
        assert_eq!(
            clean("a\x1b]0;x\x07b\u{202e}"),
            "a\\u{1b}]0;x\\u{7}b\\u{202e}"
        );
        assert_eq!(clean(&"x".repeat(400)).chars().count(), 301);
    }
}
