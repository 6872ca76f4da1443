//! okhunt: a terminal investigator for Okta System Logs.
//!
//! Data flows one way: `okta` (parse, normalise) -> `index` (the tantivy
//! case) -> hunts and views. The domain modules never import the UI.

pub mod app;
pub mod case;
pub mod cli;
pub mod commands;
pub mod fetch;
pub mod generate;
pub mod hunt;
pub mod index;
pub mod ingest;
pub mod integrity;
pub mod keymap;
pub mod logging;
pub mod okta;
pub mod output;
pub mod timespec;
pub mod ui;
