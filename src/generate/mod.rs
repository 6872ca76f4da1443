//! `okhunt generate`: a deterministic synthetic Okta tenant ("Acme") with an
//! injected intrusion, written as NDJSON in published order.
//!
//! The tenant (people, addresses, machines) is built from the seed; each day
//! is planned as compact activities and rendered as it is reached, so output
//! streams at steady memory however many events are asked for. The story
//! (story.rs, fixtures/demo/STORY.md) is rendered up front from its own RNG
//! and merged in at its time, so it is complete under any `--events` cap.

mod access;
mod activity;
mod catalog;
mod clock;
mod engine;
mod event;
mod expand;
mod geo;
mod human;
mod ids;
mod intrusion;
mod names;
mod ops;
mod people;
mod plan;
pub mod story;
#[cfg(test)]
mod story_tests;
mod takeover;
mod tenant;
#[cfg(test)]
mod tests;
mod wire;

use crate::cli::GenerateArgs;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What `write_tenant` wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub events: u64,
    pub bytes: u64,
}

/// Write the tenant as NDJSON (one compact Okta LogEvent per line, in
/// published order) to `out`. The same arguments always give the same bytes.
/// `--users` below the story's cast size is raised to it; `--events` caps the
/// background, never the story.
pub fn write_tenant(args: &GenerateArgs, out: &mut dyn std::io::Write) -> anyhow::Result<Summary> {
    let period = clock::Period::new(&args.end, args.days)?;
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let tenant = tenant::build(&mut rng, args.users, &period);
    let story = story::render(&tenant, &period, args.seed)?;
    let story_len = u64::try_from(story.len())?;
    let budget = args.events.map(|n| n.saturating_sub(story_len));
    engine::Engine::new(&tenant, &period, rng, story, budget).run(out)
}
