//! Pure functions from the Corpus to figures: the monthly briefing data and the yearly
//! evaluation. No I/O, no templates: every figure keeps the records it was computed from,
//! and each is unit-tested on small hand-made corpora.

pub mod annual;
pub mod disqualify;
pub mod metrics;
pub mod monthly;
pub mod overview;
