//! The investigator TUI's brain: plain state, messages, a pure `update`
//! that turns messages into state changes and effects, and the worker that
//! runs effects off the UI thread. Rendering lives in `ui`, the terminal
//! loop in `run`.

pub mod demo;
pub mod filter;
pub mod ingest_job;
pub mod msg;
pub mod nav;
pub mod profile;
pub mod range;
pub mod run;
pub mod state;
pub mod tail_job;
pub mod update;
pub mod worker;

pub use msg::{Effect, Loaded, Msg, Request};
pub use state::AppState;
pub use update::update;
