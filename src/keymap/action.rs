//! What a key can do. One table below defines each action's file name, its
//! help text and its status-bar label, so the three cannot drift apart.

use std::fmt;
use std::str::FromStr;

/// The value that removes a binding in a keymap file. Not an [`Action`]:
/// it never reaches the app, so the app's `match` need not handle it.
pub const UNBIND: &str = "unbind";

macro_rules! actions {
    ($($variant:ident => $name:literal, $label:literal, $describe:literal;)+) => {
        /// Everything a key can ask the app to do. The keymap file names
        /// these in snake_case (`pivot_actor`); declaration order is the
        /// order of the help listing.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)+
        }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)+];

            /// The snake_case name used in keymap files.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)+
                }
            }

            /// A one-line description for the help overlay.
            pub const fn describe(self) -> &'static str {
                match self {
                    $(Action::$variant => $describe,)+
                }
            }

            /// A one-word label for the status-bar hints (`a actor`).
            pub const fn label(self) -> &'static str {
                match self {
                    $(Action::$variant => $label,)+
                }
            }
        }
    };
}

actions! {
    Quit => "quit", "quit", "Quit okhunt";
    Help => "help", "help", "Show this help";
    Back => "back", "back", "Go back to the previous view";
    Open => "open", "open", "Open the selected row";
    PivotActor => "pivot_actor", "actor", "Pivot to all events of the selected actor";
    PivotTarget => "pivot_target", "target", "Pivot to the target user (as actor or as target)";
    PivotSession => "pivot_session", "session", "Pivot to the selected event's session";
    PivotIp => "pivot_ip", "ip", "Pivot to all events from the selected IP";
    PivotCorrelated => "pivot_correlated", "correlated", "Show IPs correlated with the selected session or actor";
    EventsAround => "events_around", "around", "Show events around the selected one in time";
    WidenWindow => "widen_window", "wider", "Widen the time window around the event";
    NarrowWindow => "narrow_window", "narrower", "Narrow the time window around the event";
    Query => "query", "query", "Search with a query";
    TimeRange => "time_range", "time", "Set the time range";
    Filter => "filter", "filter", "Filter the rows of this view";
    NextMatch => "next_match", "next", "Jump to the next match";
    PrevMatch => "prev_match", "prev", "Jump to the previous match";
    Yank => "yank", "yank", "Copy the selected value";
    YankJson => "yank_json", "json", "Copy the selected event as JSON";
    ToggleDetail => "toggle_detail", "detail", "Show or hide the event detail";
    ToggleRootSession => "toggle_root_session", "root", "Switch between the session and its root session";
    MoveDown => "move_down", "down", "Move down one row";
    MoveUp => "move_up", "up", "Move up one row";
    PageDown => "page_down", "page down", "Move down one page";
    PageUp => "page_up", "page up", "Move up one page";
    Top => "top", "top", "Go to the first row";
    Bottom => "bottom", "bottom", "Go to the last row";
    ScrollLeft => "scroll_left", "left", "Scroll left";
    ScrollRight => "scroll_right", "right", "Scroll right";
    Refresh => "refresh", "refresh", "Run the view's query again";
    Submit => "submit", "submit", "Accept the input";
    Cancel => "cancel", "cancel", "Discard the input";
}

/// The names a keymap file may use as a value, for error messages.
pub fn known_names() -> String {
    let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
    names.push(UNBIND);
    names.join(", ")
}

/// Not a known action name; the message lists the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown action '{0}' (known: {known})", known = known_names())]
pub struct UnknownAction(pub String);

impl FromStr for Action {
    type Err = UnknownAction;

    fn from_str(s: &str) -> Result<Action, UnknownAction> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| UnknownAction(s.to_string()))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_snake_case() {
        for a in Action::ALL {
            assert_eq!(a.name().parse::<Action>(), Ok(*a));
            assert!(
                a.name().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{a:?}"
            );
            assert!(!a.describe().is_empty() && !a.label().is_empty());
        }
    }

    #[test]
    fn unbind_is_not_an_action() {
        assert!(UNBIND.parse::<Action>().is_err());
        assert!(known_names().ends_with(", unbind"));
    }

    #[test]
    fn unknown_action_lists_known() {
        let err = "quitt".parse::<Action>().expect_err("unknown").to_string();
        assert!(
            err.starts_with("unknown action 'quitt' (known: quit, help, back, "),
            "{err}"
        );
    }
}
