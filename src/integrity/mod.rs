//! Case integrity: a digest of the event set that two copies of a case can
//! be compared by, a check of every stored original against the index, and
//! the repair of a damaged index from what it still holds (and from the
//! recorded sources).
//!
//! Domain code: used by `okhunt verify`, `okhunt repair` and `Case::open`.

pub mod canonical;
pub mod damage;
pub mod digest;
pub mod lock;
pub mod repair;
pub mod scan;
pub mod stores;
