//! (hunts are being added)

use crate::hunt::Hunt;

pub fn registry() -> Vec<Box<dyn Hunt>> {
    Vec::new()
}
