//! The contexts a key is read in: one keymap table each.

use std::fmt;

/// Where the user is when a key arrives. Each has a table in the keymap
/// file named by [`Context::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Bindings shared by every view (not by the prompt and help modals).
    Global,
    Findings,
    Events,
    Actor,
    Session,
    Ip,
    Correlated,
    Detail,
    /// The text input line (query, time range, filter).
    Prompt,
    /// The help overlay.
    Help,
}

impl Context {
    /// Every context, in file order.
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::Findings,
        Context::Events,
        Context::Actor,
        Context::Session,
        Context::Ip,
        Context::Correlated,
        Context::Detail,
        Context::Prompt,
        Context::Help,
    ];

    /// The table name in keymap files.
    pub const fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Findings => "findings",
            Context::Events => "events",
            Context::Actor => "actor",
            Context::Session => "session",
            Context::Ip => "ip",
            Context::Correlated => "correlated",
            Context::Detail => "detail",
            Context::Prompt => "prompt",
            Context::Help => "help",
        }
    }

    /// The context whose table is called `name`.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether `[global]` applies under this context's own table. The
    /// prompt and help are modal: in the prompt every plain character is
    /// text (a global `q` = quit would make "q" untypeable), and the help
    /// overlay should not pivot the view hidden behind it.
    pub const fn inherits_global(self) -> bool {
        !matches!(self, Context::Global | Context::Prompt | Context::Help)
    }
}

/// The table names a keymap file may use, for error messages.
pub fn known_tables() -> String {
    let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
    names.join(", ")
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
