use clap::Parser;
use okhunt::cli::Cli;
use okhunt::commands::{self, UsageError};
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with code 2.
    let cli = Cli::parse();
    let _log = okhunt::logging::init();
    okhunt::logging::install_panic_hook();
    tracing::info!(args = ?std::env::args().skip(1).collect::<Vec<_>>(), "start");
    match commands::run(cli) {
        Ok(code) => code,
        // `okhunt search | head` closes the pipe early: not an error.
        Err(e) if commands::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("okhunt: {e:#}");
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
