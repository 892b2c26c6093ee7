//! Turning figures into documents and pages.

pub mod briefing;
