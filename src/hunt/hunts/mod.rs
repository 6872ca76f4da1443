//! The registry of hunts: identity/admin hunts and network (IP-based) hunts.

mod admin;
mod network;
mod wording;

use super::Hunt;

pub fn registry() -> Vec<Box<dyn Hunt>> {
    let mut all = admin::registry();
    all.extend(network::registry());
    all
}
