//! Keymap errors: each one a single line naming the file, the table and the
//! key, so the user can go straight to the mistake.

use std::fmt;

/// One problem in a keymap file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    /// The file as the user knows it (a path, or `default.toml`).
    pub file: String,
    /// The table (`findings`), when the problem is inside one.
    pub table: Option<String>,
    /// The key as written in the file, when the problem is one binding.
    pub key: Option<String>,
    pub message: String,
}

impl KeymapError {
    pub(crate) fn new(
        file: &str,
        table: Option<&str>,
        key: Option<&str>,
        message: impl Into<String>,
    ) -> KeymapError {
        KeymapError {
            file: file.to_string(),
            table: table.map(str::to_string),
            key: key.map(str::to_string),
            message: message.into(),
        }
    }
}

/// `keymap.toml: [findings] "ctrl-q": unknown action 'quitt' (known: ...)`
impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        // `[table] "key": `, `[table]: `, `"key": ` or nothing.
        let mut place = Vec::new();
        if let Some(table) = &self.table {
            place.push(format!("[{table}]"));
        }
        if let Some(key) = &self.key {
            place.push(format!("{key:?}"));
        }
        if !place.is_empty() {
            write!(f, "{}: ", place.join(" "))?;
        }
        // Keep it one line whatever the message holds (TOML parser
        // messages can span several).
        let message = self
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        f.write_str(&message)
    }
}

impl std::error::Error for KeymapError {}

/// Every problem found, so the user can fix them all in one go (trippy
/// fails with the list rather than the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapErrors(pub Vec<KeymapError>);

impl KeymapErrors {
    pub fn errors(&self) -> &[KeymapError] {
        &self.0
    }
}

impl From<KeymapError> for KeymapErrors {
    fn from(e: KeymapError) -> KeymapErrors {
        KeymapErrors(vec![e])
    }
}

/// One error per line.
impl fmt::Display for KeymapErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for KeymapErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_one_line_with_what_is_known() {
        let e = KeymapError::new("k.toml", Some("findings"), Some("ctrl-q"), "bad");
        assert_eq!(e.to_string(), r#"k.toml: [findings] "ctrl-q": bad"#);
        let e = KeymapError::new("k.toml", Some("findngs"), None, "unknown table");
        assert_eq!(e.to_string(), "k.toml: [findngs]: unknown table");
        let e = KeymapError::new("k.toml", None, None, "invalid TOML:\n  oops\n");
        assert_eq!(e.to_string(), "k.toml: invalid TOML: oops");
    }
}
