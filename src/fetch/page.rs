//! One page of the System Log: the JSON array Okta returned, split into
//! its elements (each kept as its raw text), and the link to the next page.

use reqwest::Url;
use serde_json::value::RawValue;

#[derive(Debug)]
pub struct Page {
    /// The URL this page was read from.
    pub url: Url,
    /// The array's elements as sent (parsed leniently when written).
    pub events: Vec<Box<RawValue>>,
    /// `Link: <...>; rel="next"`, resolved and checked to be on the org.
    pub next: Option<Url>,
}

impl Page {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

/// Split a response body into its elements; an error when it is not a
/// JSON array (an HTML error page from a proxy, a body cut short).
pub fn split(body: &[u8]) -> Result<Vec<Box<RawValue>>, String> {
    let trimmed = body.trim_ascii_start();
    if trimmed.first() != Some(&b'[') {
        let start = String::from_utf8_lossy(&trimmed[..trimmed.len().min(40)]).into_owned();
        return Err(format!(
            "the answer is not a JSON array of events (it starts {:?})",
            super::errors::clean(&start)
        ));
    }
    serde_json::from_slice(body).map_err(|e| format!("the page is not valid JSON ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_only() {
        let els = split(br#" [{"uuid":"a"}, 3, {"x":[1,2]}] "#).expect("array");
        let texts: Vec<&str> = els.iter().map(|e| e.get()).collect();
        assert_eq!(texts, vec![r#"{"uuid":"a"}"#, "3", r#"{"x":[1,2]}"#]);
        assert!(split(b"[]").expect("empty").is_empty());
        assert!(split(b"<html>").is_err());
        assert!(split(br#"[{"uuid":"a"}, {"uu"#).is_err());
    }
}
