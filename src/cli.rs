//! Command-line definitions (clap). One enum of subcommands; each handler
//! lives in `commands/`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "okhunt",
    version,
    about = "Investigate Okta System Logs from the terminal: load exports into a local case, search, hunt, pivot."
)]
pub struct Cli {
    /// Case directory (default: $OKHUNT_CASE, else $XDG_DATA_HOME/okhunt/cases/default).
    #[arg(long, global = true, env = "OKHUNT_CASE", value_name = "DIR")]
    pub case: Option<PathBuf>,

    /// Keymap file laid over the built-in keys (default: $XDG_CONFIG_HOME/okhunt/keymap.toml).
    #[arg(long, value_name = "FILE")]
    pub keymap: Option<PathBuf>,

    /// Open the shipped demo case (built in $XDG_CACHE_HOME/okhunt/demo on first use).
    #[arg(long, conflicts_with = "case")]
    pub demo: bool,

    /// Files or directories to ingest into the case while the TUI opens
    /// (plain or gzip, any shape `okhunt ingest` reads).
    #[arg(value_name = "PATH", conflicts_with_all = ["demo", "follow"])]
    pub paths: Vec<PathBuf>,

    /// With --follow: the org whose System Log the TUI tails live
    /// (token as for `okhunt fetch`).
    #[arg(long, value_name = "URL", requires = "follow")]
    pub org: Option<String>,

    /// Tail the org's System Log live in the TUI: catch up from where the
    /// last fetch stopped, then poll every --interval seconds.
    #[arg(long, requires = "org", conflicts_with = "demo")]
    pub follow: bool,

    /// Seconds between polls of the live tail.
    #[arg(long, value_name = "SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,

    /// Read the Okta token from FILE (mode 0600) for the live tail.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Without a subcommand, okhunt opens the investigator TUI on the case.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Load Okta events from files, directories or stdin (-) into the case.
    Ingest(IngestArgs),
    /// Print events matching a query, oldest first.
    Search(SearchArgs),
    /// Counts over the case, or one user's activity with --actor.
    Stats(StatsArgs),
    /// Run the hunts over the case and print their findings.
    Hunt(HuntArgs),
    /// Write a deterministic synthetic Okta tenant as NDJSON.
    Generate(GenerateArgs),
    /// Pull events from the Okta System Log API into the case (resumable).
    Fetch(FetchArgs),
    /// Check the case: recount its events, read every stored original back
    /// and print a digest of its event set (read-only).
    Verify(VerifyArgs),
    /// Rebuild a damaged index from its stored originals and the recorded
    /// sources; the damaged index is kept aside, never deleted.
    Repair(RepairArgs),
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

#[derive(Args, Debug)]
pub struct RepairArgs {
    /// Ingest the recorded source files again even when every segment of
    /// the damaged index could be read.
    #[arg(long)]
    pub from_sources: bool,
    /// Indexing threads (default: 2, or fewer on a 1-core machine).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Index writer memory budget in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub heap_mib: usize,
}

#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files, directories (read recursively) or - for stdin; plain or gzip.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write every skipped line as FILE:LINE: reason to this file.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Exit 1 if any line was skipped.
    #[arg(long)]
    pub strict: bool,
    /// Indexing threads (default: 2, or fewer on a 1-core machine).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Index writer memory budget in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub heap_mib: usize,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Ndjson,
    Csv,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Query: tantivy syntax over friendly fields, e.g. 'actor:alice@acme.com AND type:user.mfa.*'.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    /// Only events at or after this time (7d, 36h, 2022-01-16, RFC 3339).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Only events before this time.
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// At most N events (default: all for json/ndjson/csv, a screenful for table).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Newest first.
    #[arg(long)]
    pub reverse: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// One user's activity: counts by event type, IPs, countries, sessions.
    #[arg(long, value_name = "ACTOR")]
    pub actor: Option<String>,
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// How many rows in each top list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

#[derive(Args, Debug)]
pub struct HuntArgs {
    /// Only this hunt (repeatable); see --list for the ids.
    #[arg(long = "hunt", value_name = "ID")]
    pub hunts: Vec<String>,
    /// List the hunts (id, severity, title, description) and exit.
    #[arg(long)]
    pub list: bool,
    /// Only events at or after this time (7d, 36h, 2022-01-16, RFC 3339).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Only events before this time.
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug, Clone)]
pub struct GenerateArgs {
    /// Number of human users in the tenant.
    #[arg(long, default_value_t = 200)]
    pub users: u32,
    /// Days of activity.
    #[arg(long, default_value_t = 7)]
    pub days: u32,
    /// Random seed: the same seed gives the same output, byte for byte.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Stop after this many events (the story is always included).
    #[arg(long, value_name = "N")]
    pub events: Option<u64>,
    /// Last day of the generated period (default: 2024-03-15). Fixed so output is reproducible.
    #[arg(long, value_name = "DATE", default_value = "2024-03-15")]
    pub end: String,
    /// Output file (default: stdout). A name ending in .gz is gzip-compressed.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `okhunt fetch`. The token is read from OKTA_API_TOKEN (SSWS),
/// OKTA_ACCESS_TOKEN (Bearer) or --token-file, never from the command line.
#[derive(Args, Debug)]
pub struct FetchArgs {
    /// The org: https://ORG.okta.com (plain http:// only for loopback addresses).
    #[arg(long, value_name = "URL")]
    pub org: String,
    /// Start here (7d, 36h, 2022-01-16, RFC 3339). Default: where the last
    /// fetch of this org and filter stopped, less a short overlap; else 7 days ago.
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// End here, exclusive: a bounded pull. Without it the pull runs up to
    /// now and saves where it stopped.
    #[arg(long, value_name = "T", conflicts_with = "follow")]
    pub until: Option<String>,
    /// Okta filter expression, e.g. 'eventType eq "user.session.start"'.
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Keywords the events must contain (Okta's q parameter).
    #[arg(long, value_name = "WORDS")]
    pub query: Option<String>,
    /// After catching up, keep polling for new events until Ctrl-C.
    #[arg(long)]
    pub follow: bool,
    /// Seconds between polls with --follow.
    #[arg(long, value_name = "SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,
    /// At most N requests per minute, to leave the tenant's rate limit to
    /// its other integrations.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rate: Option<u32>,
    /// Read the token from FILE (mode 0600; a bare API token, a JWT access
    /// token, or either prefixed SSWS / Bearer).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// First retry backoff in milliseconds (tests).
    #[arg(long, hide = true, env = "OKHUNT_FETCH_BACKOFF_MS", value_name = "MS")]
    pub backoff_ms: Option<u64>,
    /// Read timeout in milliseconds (tests).
    #[arg(long, hide = true, env = "OKHUNT_FETCH_TIMEOUT_MS", value_name = "MS")]
    pub timeout_ms: Option<u64>,
    /// Tries of one URL before giving up (tests).
    #[arg(long, hide = true, env = "OKHUNT_FETCH_ATTEMPTS", value_name = "N")]
    pub attempts: Option<u32>,
}
