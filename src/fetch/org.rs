//! The org to ask: `https://ORG.okta.com` (or a custom domain). Plain
//! `http://` is accepted for loopback addresses only (tests, simulators).

use reqwest::Url;
use std::net::IpAddr;

/// A validated org base URL: scheme, host and port, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    base: Url,
}

impl Org {
    /// Read `--org`: `https://acme.okta.com`, `acme.okta.com` (https is
    /// assumed), or `http://127.0.0.1:PORT` for a local simulator.
    pub fn parse(text: &str) -> Result<Org, String> {
        let t = text.trim();
        let with_scheme = if t.contains("://") {
            t.to_string()
        } else {
            format!("https://{t}")
        };
        let url = Url::parse(&with_scheme)
            .map_err(|e| format!("--org {t:?} is not a URL ({e}): use https://ORG.okta.com"))?;
        let Some(host) = url.host_str() else {
            return Err(format!("--org {t:?} has no host: use https://ORG.okta.com"));
        };
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(format!(
                    "--org {t}: plain http:// would send the token in clear; use https:// (http:// is allowed for loopback addresses only)"
                ));
            }
            other => {
                return Err(format!(
                    "--org {t}: {other}:// is not supported; use https://"
                ));
            }
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "--org {t}: credentials do not belong in the URL; give the token in OKTA_API_TOKEN, OKTA_ACCESS_TOKEN or --token-file"
            ));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "--org {t}: give the org's base URL only, like https://acme.okta.com (okhunt adds /api/v1/logs)"
            ));
        }
        Ok(Org { base: url })
    }

    /// `https://acme.okta.com/api/v1/logs`
    pub fn logs_url(&self) -> Url {
        let mut u = self.base.clone();
        u.set_path("/api/v1/logs");
        u
    }

    /// Whether `url` is on this org (same scheme, host and port): only then
    /// may it carry the token.
    pub fn owns(&self, url: &Url) -> bool {
        url.origin() == self.base.origin()
    }

    /// The org as people write it: `https://acme.okta.com`.
    pub fn name(&self) -> String {
        self.base.origin().ascii_serialization()
    }
}

impl std::fmt::Display for Org {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Result<String, String> {
        Org::parse(s).map(|o| o.name())
    }

    #[test]
    fn accepts_https_and_loopback_http() {
        assert_eq!(
            name("https://acme.okta.com").as_deref(),
            Ok("https://acme.okta.com")
        );
        assert_eq!(
            name("acme.okta.com/").as_deref(),
            Ok("https://acme.okta.com")
        );
        assert_eq!(
            name("http://127.0.0.1:8080").as_deref(),
            Ok("http://127.0.0.1:8080")
        );
        assert_eq!(
            name("http://localhost:9").as_deref(),
            Ok("http://localhost:9")
        );
        assert_eq!(name("http://[::1]:9").as_deref(), Ok("http://[::1]:9"));
        let org = Org::parse("https://acme.okta.com").expect("org");
        assert_eq!(org.logs_url().as_str(), "https://acme.okta.com/api/v1/logs");
    }

    #[test]
    fn refuses_the_rest() {
        for bad in [
            "http://acme.okta.com",
            "http://10.0.0.1",
            "http://127.0.0.1.evil.com",
            "ftp://acme.okta.com",
            "https://user:pw@acme.okta.com",
            "https://acme.okta.com/api/v1/logs",
            "https://acme.okta.com/?x=1",
            "https://",
        ] {
            assert!(Org::parse(bad).is_err(), "{bad} was accepted");
        }
        let e = Org::parse("http://acme.okta.com").expect_err("http");
        assert!(e.contains("loopback"), "{e}");
    }

    #[test]
    fn owns_only_its_origin() {
        let org = Org::parse("https://acme.okta.com").expect("org");
        let ok = Url::parse("https://acme.okta.com/api/v1/logs?after=1").expect("url");
        assert!(org.owns(&ok));
        for other in [
            "http://acme.okta.com/api/v1/logs",
            "https://acme.okta.com:8443/api/v1/logs",
            "https://evil.example/api/v1/logs",
        ] {
            assert!(!org.owns(&Url::parse(other).expect("url")), "{other}");
        }
    }
}
