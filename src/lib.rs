//! jianbao: compiles the records of a learning campaign (创建学习型机关) into a static
//! bulletin site, monthly briefings and the year-end evaluation.
//!
//! Data flows one way: files -> [`content::Corpus`] -> stats -> pages -> output.

pub mod config;
pub mod content;
pub mod error;
pub mod git;
pub mod images;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod stats;
pub mod synth;

use std::path::Path;

pub use error::{Diagnostic, Error, Result, Severity};

/// Loads the site in `root` and returns every problem found, sorted by file and line.
/// Fails only when the content directory cannot be read at all.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>> {
    match content::load(root, true) {
        Ok((_, diagnostics)) => Ok(diagnostics),
        Err(Error::Content(diagnostics)) => Ok(diagnostics),
        Err(e) => Err(e),
    }
}
