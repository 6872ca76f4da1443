//! Okta System Log data: the event model, the export shapes, timestamps.
//! Knows nothing of the index or the UI.

pub mod event;
pub mod formats;
pub mod identity;
pub mod lenient;
pub mod records;
pub mod source;
pub mod time;
