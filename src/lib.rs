//! jianbao: compiles the records of a learning campaign (创建学习型机关) into a static
//! bulletin site, monthly briefings and the year-end evaluation.
//!
//! Data flows one way: files -> [`content::Corpus`] -> stats -> pages -> output.

pub mod body_cache;
pub mod bytescan;
pub mod config;
pub mod content;
pub mod error;
pub mod folders;
pub mod git;
pub mod images;
pub mod import;
pub mod markdown;
pub mod memory;
pub mod numbers;
pub mod output;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod stats;
pub mod synth;
pub mod timing;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{Diagnostic, Error, Result, Severity};

/// The folder of a content directory where builds keep what they can make again
/// (thumbnails, the manifest of each output); ignored by git (`jianbao init`'s .gitignore).
pub const CACHE_DIR: &str = ".jianbao-cache";

/// Loads the site in `root` and returns every problem found, sorted by file and line.
/// Fails only when the content directory cannot be read at all.
pub fn check(root: &Path) -> Result<Vec<Diagnostic>> {
    match content::load(root, true) {
        Ok((_, diagnostics)) => Ok(diagnostics),
        Err(Error::Content(diagnostics)) => Ok(diagnostics),
        Err(e) => Err(e),
    }
}

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub output: PathBuf,
    /// Show draft records on the site.
    pub drafts: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Pages and feeds rendered.
    pub pages: usize,
    /// Static files and assets copied.
    pub files_copied: usize,
    /// Files written, left as they were, and deleted in the output directory.
    pub changes: output::Changes,
    pub elapsed: Duration,
    /// Warnings found while loading (the build went on).
    pub warnings: Vec<Diagnostic>,
}

/// Step one of a build: loads the site and fails with [`Error::Content`] (every
/// diagnostic, warnings included) if any of them is an error. Returns the warnings.
pub fn load(content: &Path, drafts: bool) -> Result<(content::Corpus, Vec<Diagnostic>)> {
    let (corpus, diagnostics) = content::load(content, drafts)?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diagnostics));
    }
    Ok((corpus, diagnostics))
}

/// Loads, renders and writes the site: the previous output stays as it was unless
/// every step succeeds.
pub fn build(options: &BuildOptions) -> Result<BuildSummary> {
    let start = Instant::now();
    check_output_path(&options.content, &options.output)?;
    let (corpus, mut warnings) = timing::phase("load", || load(&options.content, options.drafts))?;
    let mut site = timing::phase("plan", || render::Site::for_build(&corpus))?;
    warnings.append(&mut site.warnings);
    // What this build wrote, kept for the next build into the same output: it then
    // writes only what changed.
    let cache = options.content.join(CACHE_DIR);
    let manifest = output::manifest_file(&cache, &options.output);
    // The bodies this build renders are kept for the next, which renders only those
    // that changed.
    let bodies = body_cache::BodyCache::open(&cache);
    let (pages, files_copied, changes) = timing::phase("render and write", || {
        site.write(&corpus, &options.output, Some(&manifest), Some(&bodies))
    })?;
    // Without the cache the next build renders every body again: nothing is lost.
    let saving = format!("save bodies ({} rendered)", bodies.rendered());
    let _ = timing::phase(&saving, || bodies.save());
    timing::print_tallies();
    // Freeing a big site's values takes a noticeable share of a build: let another
    // thread do it while the caller goes on (a command-line build just exits).
    std::thread::spawn(move || drop((site, corpus)));
    Ok(BuildSummary {
        pages,
        files_copied,
        changes,
        elapsed: start.elapsed(),
        warnings,
    })
}

/// The output directory is replaced as a whole: it must not be, or hold, the content.
fn check_output_path(content: &Path, output: &Path) -> Result<()> {
    let absolute = |p: &Path| -> PathBuf {
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        // Resolve symlinks where the path exists, so two spellings compare equal.
        p.canonicalize().unwrap_or(p)
    };
    let (content, output) = (absolute(content), absolute(output));
    if content.starts_with(&output) {
        return Err(Error::Usage(format!(
            "output directory `{}` would replace the content directory; choose another with -o",
            output.display()
        )));
    }
    Ok(())
}
