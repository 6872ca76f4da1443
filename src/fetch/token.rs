//! The credential: an API token (`Authorization: SSWS ...`) or an OAuth
//! access token (`Authorization: Bearer ...`). It comes from
//! `--token-file FILE`, else `OKTA_API_TOKEN`, else `OKTA_ACCESS_TOKEN`;
//! never from argv. Its `Debug` is redacted and the header built from it
//! is marked sensitive, so no log or debug output can carry it.

use reqwest::header::HeaderValue;
use std::path::{Path, PathBuf};

pub const API_TOKEN_VAR: &str = "OKTA_API_TOKEN";
pub const ACCESS_TOKEN_VAR: &str = "OKTA_ACCESS_TOKEN";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// An Okta API token: `SSWS {token}`.
    Ssws,
    /// An OAuth 2.0 access token with `okta.logs.read`: `Bearer {token}`.
    Bearer,
}

/// Where the token was read from (named in errors, never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Env(&'static str),
    File(PathBuf),
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Env(v) => write!(f, "${v}"),
            TokenSource::File(p) => write!(f, "{}", p.display()),
        }
    }
}

#[derive(Clone)]
pub struct Token {
    pub scheme: Scheme,
    pub source: TokenSource,
    secret: String,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("scheme", &self.scheme)
            .field("source", &self.source)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl Token {
    /// The token from `file` when given, else from the environment.
    /// Reading it turns core dumps off for the rest of the process.
    pub fn resolve(file: Option<&Path>) -> Result<Token, String> {
        let token = Token::resolve_with(file, &|v| std::env::var(v).ok())?;
        super::hardening::no_core_dumps();
        Ok(token)
    }

    /// [`Token::resolve`] with the environment given (for tests).
    pub fn resolve_with(
        file: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Token, String> {
        if let Some(path) = file {
            return from_file(path);
        }
        for (var, scheme) in [
            (API_TOKEN_VAR, Scheme::Ssws),
            (ACCESS_TOKEN_VAR, Scheme::Bearer),
        ] {
            if let Some(v) = env(var).filter(|v| !v.trim().is_empty()) {
                return Token::new(scheme, TokenSource::Env(var), &v);
            }
        }
        Err(format!(
            "no Okta token: set {API_TOKEN_VAR} (an API token), or {ACCESS_TOKEN_VAR} (an OAuth access token with okta.logs.read), or give --token-file FILE"
        ))
    }

    fn new(scheme: Scheme, source: TokenSource, raw: &str) -> Result<Token, String> {
        // Accept the value as pasted from a header: `SSWS x`, `Bearer x`.
        let t = raw.trim();
        let (scheme, secret) = match t.split_once(char::is_whitespace) {
            Some((word, rest)) if word.eq_ignore_ascii_case("ssws") => (Scheme::Ssws, rest.trim()),
            Some((word, rest)) if word.eq_ignore_ascii_case("bearer") => {
                (Scheme::Bearer, rest.trim())
            }
            _ => (scheme, t),
        };
        if secret.is_empty() || !secret.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(format!(
                "the token from {source} is not one word of printable ASCII characters (it is not shown): check it"
            ));
        }
        Ok(Token {
            scheme,
            source,
            secret: secret.to_string(),
        })
    }

    /// The `Authorization` header value, marked sensitive (hidden from
    /// every `Debug` of the request).
    pub fn header(&self) -> Result<HeaderValue, String> {
        let prefix = match self.scheme {
            Scheme::Ssws => "SSWS",
            Scheme::Bearer => "Bearer",
        };
        let mut v = HeaderValue::from_str(&format!("{prefix} {}", self.secret))
            .map_err(|_| format!("the token from {} cannot be sent in a header", self.source))?;
        v.set_sensitive(true);
        Ok(v)
    }

    /// "API token" or "access token", for messages.
    pub fn kind(&self) -> &'static str {
        match self.scheme {
            Scheme::Ssws => "API token",
            Scheme::Bearer => "access token",
        }
    }
}

/// A token file: one line, the token alone (an API token, or a JWT access
/// token, told apart by its shape) or prefixed `SSWS ` / `Bearer `. Refused
/// when group or others may read it.
fn from_file(path: &Path) -> Result<Token, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("--token-file {shown}: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "--token-file {shown} is readable by others (mode {mode:04o}): run chmod 600 {shown}"
            ));
        }
    }
    if !meta.is_file() {
        return Err(format!("--token-file {shown} is not a file"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("--token-file {shown}: {e}"))?;
    let line = text.trim();
    if line.lines().count() > 1 {
        return Err(format!(
            "--token-file {shown} holds several lines: keep the token alone on one line"
        ));
    }
    let scheme = if looks_like_jwt(line) {
        Scheme::Bearer
    } else {
        Scheme::Ssws
    };
    Token::new(scheme, TokenSource::File(path.to_path_buf()), line)
}

/// An OAuth access token from Okta is a JWT: three base64url parts, the
/// first a JSON header (`eyJ`).
fn looks_like_jwt(s: &str) -> bool {
    s.starts_with("eyJ") && s.split('.').count() == 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    fn header(t: &Token) -> String {
        t.header()
            .expect("header")
            .to_str()
            .expect("ascii")
            .to_string()
    }

    #[test]
    fn env_order_and_schemes() {
        let both = env(&[
            ("OKTA_API_TOKEN", "00abc"),
            ("OKTA_ACCESS_TOKEN", "eyJ.x.y"),
        ]);
        let t = Token::resolve_with(None, &both).expect("token");
        assert_eq!((t.scheme, header(&t)), (Scheme::Ssws, "SSWS 00abc".into()));
        assert_eq!(t.source, TokenSource::Env(API_TOKEN_VAR));
        let access = env(&[("OKTA_API_TOKEN", " "), ("OKTA_ACCESS_TOKEN", "eyJ.x.y")]);
        let t = Token::resolve_with(None, &access).expect("token");
        assert_eq!(header(&t), "Bearer eyJ.x.y");
        let pasted = env(&[("OKTA_API_TOKEN", "SSWS 00abc\n")]);
        assert_eq!(
            header(&Token::resolve_with(None, &pasted).expect("t")),
            "SSWS 00abc"
        );
        let none = env(&[]);
        assert!(Token::resolve_with(None, &none).is_err());
    }

    #[test]
    fn debug_and_errors_never_show_the_secret() {
        let t = Token::resolve_with(None, &env(&[("OKTA_API_TOKEN", "00SECRETVALUE")])).expect("t");
        let shown = format!("{t:?} {:?}", t.header().expect("h"));
        assert!(!shown.contains("SECRETVALUE"), "{shown}");
        let bad = Token::resolve_with(None, &env(&[("OKTA_API_TOKEN", "00SECRET VALUE\x01")]))
            .expect_err("bad");
        assert!(!bad.contains("SECRET"), "{bad}");
    }

    #[cfg(unix)]
    #[test]
    fn token_file_mode_and_shape() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("token");
        std::fs::write(&p, "00fileToken\n").expect("write");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let e = Token::resolve_with(Some(&p), &env(&[])).expect_err("0644");
        assert!(
            e.contains("readable by others") && e.contains("chmod 600"),
            "{e}"
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let t = Token::resolve_with(Some(&p), &env(&[("OKTA_API_TOKEN", "x")])).expect("t");
        assert_eq!(header(&t), "SSWS 00fileToken");
        std::fs::write(&p, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln").expect("write");
        let t = Token::resolve_with(Some(&p), &env(&[])).expect("t");
        assert_eq!(t.scheme, Scheme::Bearer);
        std::fs::write(&p, "Bearer opaque-token").expect("write");
        assert_eq!(
            header(&Token::resolve_with(Some(&p), &env(&[])).expect("t")),
            "Bearer opaque-token"
        );
    }
}
