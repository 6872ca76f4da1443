//! The keymap: which key does what in which view.
//!
//! `keymaps/default.toml` is built in; a user file overlays it key by key
//! ([`Keymap::load`]). Everything is validated before the terminal goes raw,
//! and errors name the file, the table and the key ([`KeymapError`]).
//! Keys resolve pane table first, then `[global]` ([`Keymap::resolve`]);
//! the help overlay and status bar are generated from the loaded bindings
//! ([`Keymap::help_lines`], [`Keymap::status_hints`]) so they cannot drift.
//!
//! Pure logic: no terminal, no app state.

mod action;
mod context;
mod error;
mod event;
mod hints;
mod key;
mod load;
mod resolve;

pub use action::{Action, UNBIND, UnknownAction};
pub use context::Context;
pub use error::{KeymapError, KeymapErrors};
pub use key::{Key, KeyCode, KeyParseError, KeySeq};
pub use load::{DEFAULT_FILE, DEFAULT_TOML, locate_user_file, user_keymap_path};
pub use resolve::Resolution;

use std::collections::BTreeMap;

/// One binding after the overlay, remembering where it came from so a
/// conflict found after merging can still name the file and table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Binding {
    /// `None` is an `unbind` kept in a pane table: it hides the global
    /// binding of the same key in that pane.
    action: Option<Action>,
    /// The key as written in the file, so errors quote what the user wrote.
    written: String,
    file: String,
    /// From the user's overlay rather than the built-in default.
    user: bool,
}

/// The loaded keymap. Build it with [`Keymap::builtin`],
/// [`Keymap::with_overlay`] or [`Keymap::load`].
#[derive(Debug, Clone)]
pub struct Keymap {
    /// Each table after the overlay, `unbind` markers included.
    tables: BTreeMap<Context, BTreeMap<KeySeq, Binding>>,
    /// What each context resolves: its own table over `[global]` (when it
    /// inherits it), markers removed. Precomputed once at load.
    effective: BTreeMap<Context, BTreeMap<KeySeq, Action>>,
}

impl Keymap {
    /// The bindings active in `context` (its table, then `[global]`), in key
    /// order.
    pub fn bindings(&self, context: Context) -> impl Iterator<Item = (&KeySeq, Action)> {
        self.effective
            .get(&context)
            .into_iter()
            .flat_map(|m| m.iter().map(|(k, a)| (k, *a)))
    }

    /// The bindings written in `context`'s own table (default plus
    /// overlay), without what it inherits from `[global]`.
    pub fn table(&self, context: Context) -> impl Iterator<Item = (&KeySeq, Action)> {
        self.tables
            .get(&context)
            .into_iter()
            .flat_map(|m| m.iter().filter_map(|(k, b)| b.action.map(|a| (k, a))))
    }
}
