//! `Link` headers (RFC 8288): the only way okhunt moves from page to page.
//! Okta sends `Link: <https://ORG/api/v1/logs?...&after=CURSOR>; rel="next"`
//! (and a `rel="self"` one), in one header or several. The cursor is opaque:
//! okhunt follows the link as given and never builds one.

use reqwest::Url;
use reqwest::header::{HeaderMap, LINK};

/// One link-value: its target as written and its relation types (lowercase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: String,
    pub rels: Vec<String>,
}

/// The `rel="next"` target among every `Link` header, resolved against
/// the URL of the request that got them. Unparseable parts are ignored.
pub fn next_link(headers: &HeaderMap, request: &Url) -> Option<Url> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(parse_links)
        .find(|l| l.rels.iter().any(|r| r == "next"))
        .and_then(|l| request.join(&l.target).ok())
}

/// Every link-value in one `Link` header value:
/// `<uri>; rel="next"; title="a, b", <uri2>; rel=self`.
pub fn parse_links(value: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut p = Parser {
        s: value.as_bytes(),
        i: 0,
    };
    loop {
        p.skip(|b| b == b',' || b.is_ascii_whitespace());
        if p.done() {
            break;
        }
        if p.peek() != Some(b'<') {
            // Not a link-value: skip to the next top-level comma.
            p.skip_params_until_comma();
            continue;
        }
        p.i += 1;
        let start = p.i;
        while p.peek().is_some_and(|b| b != b'>') {
            p.i += 1;
        }
        if p.done() {
            break; // unterminated <...>
        }
        let target = String::from_utf8_lossy(&p.s[start..p.i]).trim().to_string();
        p.i += 1;
        let mut rels = Vec::new();
        loop {
            p.skip(|b| b.is_ascii_whitespace());
            if p.peek() != Some(b';') {
                break;
            }
            p.i += 1;
            let (name, value) = p.param();
            if name.eq_ignore_ascii_case("rel") && rels.is_empty() {
                rels = value
                    .split_ascii_whitespace()
                    .map(str::to_ascii_lowercase)
                    .collect();
            }
        }
        // Anything else before the next comma is noise.
        p.skip_params_until_comma();
        links.push(Link { target, rels });
    }
    links
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip(&mut self, f: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&f) {
            self.i += 1;
        }
    }

    /// `name [= token | quoted-string]` after a `;`.
    fn param(&mut self) -> (String, String) {
        self.skip(|b| b.is_ascii_whitespace());
        let start = self.i;
        self.skip(|b| !matches!(b, b'=' | b';' | b',') && !b.is_ascii_whitespace());
        let name = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.skip(|b| b.is_ascii_whitespace());
        if self.peek() != Some(b'=') {
            return (name, String::new());
        }
        self.i += 1;
        self.skip(|b| b.is_ascii_whitespace());
        let value = if self.peek() == Some(b'"') {
            self.quoted()
        } else {
            let start = self.i;
            self.skip(|b| !matches!(b, b';' | b',') && !b.is_ascii_whitespace());
            String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
        };
        (name, value)
    }

    /// A quoted-string starting at `"`, with `\` escapes.
    fn quoted(&mut self) -> String {
        self.i += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    if let Some(e) = self.peek() {
                        out.push(e);
                        self.i += 1;
                    }
                }
                _ => out.push(b),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Skip to the next comma outside quotes (or the end).
    fn skip_params_until_comma(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b',' => return,
                b'"' => {
                    self.quoted();
                }
                _ => self.i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn rels(v: &str) -> Vec<(String, Vec<String>)> {
        parse_links(v)
            .into_iter()
            .map(|l| (l.target, l.rels))
            .collect()
    }

    fn l(t: &str, r: &[&str]) -> (String, Vec<String>) {
        (t.to_string(), r.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn okta_style() {
        assert_eq!(
            rels(
                r#"<https://acme.okta.com/api/v1/logs?limit=1000&after=1710000000000_abc>; rel="next""#
            ),
            vec![l(
                "https://acme.okta.com/api/v1/logs?limit=1000&after=1710000000000_abc",
                &["next"]
            )]
        );
        assert_eq!(
            rels(r#"<https://a/x?p=1>; rel="self", <https://a/x?p=2>; rel="next""#),
            vec![
                l("https://a/x?p=1", &["self"]),
                l("https://a/x?p=2", &["next"])
            ]
        );
    }

    #[test]
    fn awkward_but_valid() {
        // Unquoted, upper case, several relation types, other params
        // holding commas and semicolons, commas inside the URI.
        assert_eq!(
            rels(
                r#"<https://a/x?f=a,b>;REL=Next ; title="p; 1, two", <b>; title="\"q\"" ; rel="prev  last""#
            ),
            vec![l("https://a/x?f=a,b", &["next"]), l("b", &["prev", "last"])]
        );
        // Only the first rel counts (RFC 8288 §3.3).
        assert_eq!(
            rels(r#"<a>; rel="self"; rel="next""#),
            vec![l("a", &["self"])]
        );
    }

    #[test]
    fn garbage_is_skipped() {
        assert_eq!(rels(""), vec![]);
        assert_eq!(rels("nonsense, <a>; rel=next"), vec![l("a", &["next"])]);
        assert_eq!(rels("<unterminated; rel=next"), vec![]);
        assert_eq!(rels(r#"<a>; rel="nextpage""#), vec![l("a", &["nextpage"])]);
    }

    #[test]
    fn next_link_across_headers_and_relative() {
        let base = Url::parse("https://acme.okta.com/api/v1/logs?since=x").expect("url");
        let mut h = HeaderMap::new();
        assert_eq!(next_link(&h, &base), None);
        h.append(
            LINK,
            HeaderValue::from_static(r#"<https://acme.okta.com/api/v1/logs?since=x>; rel="self""#),
        );
        assert_eq!(next_link(&h, &base), None);
        h.append(
            LINK,
            HeaderValue::from_static(r#"</api/v1/logs?after=2>; rel="next""#),
        );
        assert_eq!(
            next_link(&h, &base).map(|u| u.to_string()).as_deref(),
            Some("https://acme.okta.com/api/v1/logs?after=2")
        );
        let mut h = HeaderMap::new();
        h.append(LINK, HeaderValue::from_static(r#"<x>; rel="nextpage""#));
        assert_eq!(next_link(&h, &base), None);
    }
}
