//! `jianbao publish`: freezes a month's briefing into `briefings/YYYY-MM.md` with its
//! issue number, then, when the content directory is in a git repository, commits that
//! one file and tags the commit `bulletin-YYYY-MM`.
//!
//! The issue number is `bulletin.first_issue` + the number of briefings of earlier
//! months. Republishing (`force`) keeps the number; publishing a month before one that
//! is already out is refused, since it would take a number already printed.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::content::briefing::{briefing_file, briefing_text};
use crate::content::{self, YearMonth};
use crate::error::{Error, Result};
use crate::git::{self, Committed};
use crate::render::briefing;
use crate::stats::monthly;

/// What `publish` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The file written, in the content directory.
    pub path: PathBuf,
    pub issue: u32,
    /// The month had been published before (`force`).
    pub republished: bool,
    pub git: GitOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitOutcome {
    /// Committed (short hash) and tagged.
    Committed { commit: String, tag: String },
    /// The file was already committed as it is; the tag is in place.
    Unchanged { tag: String },
    /// The content directory is not in a git repository.
    NotARepository,
    /// git could not be run.
    NoGit(String),
}

/// The tag of a month's briefing.
pub fn tag_name(month: YearMonth) -> String {
    format!("bulletin-{month}")
}

/// The commit message of a briefing.
pub fn commit_message(issue: u32, month: YearMonth) -> String {
    format!("简报 第{issue}期 ({month})")
}

/// Publishes `month`'s briefing of the site in `root`, dated `today`. Content errors
/// come back as [`Error::Content`] with every diagnostic, and nothing is written.
pub fn publish(root: &Path, month: YearMonth, force: bool, today: NaiveDate) -> Result<Published> {
    let (corpus, diagnostics) = content::load(root, false)?;
    if diagnostics.iter().any(|d| d.is_error()) {
        return Err(Error::Content(diagnostics));
    }
    let existing = corpus.briefings.get(&month);
    if let Some(b) = existing
        && !force
    {
        return Err(Error::Usage(format!(
            "{month} is already published as 第{}期 ({}, {}); use --force to publish it again with the same number",
            b.issue, b.file, b.published
        )));
    }
    if existing.is_none()
        && let Some((later, b)) = corpus.briefings.range(month.next()..).next()
    {
        return Err(Error::Usage(format!(
            "{later} is already published as 第{}期: publishing {month} now would reuse its number; \
             briefings are numbered in month order",
            b.issue
        )));
    }
    let issue = monthly::issue_for(&corpus, month);
    let mut report = monthly::monthly(&corpus, month);
    report.issue = Some(issue);
    report.published = Some(today);
    let body = briefing::markdown(&report, &corpus.site.bulletin, today);
    let rel = existing.map_or_else(|| briefing_file(month), |b| b.file.clone());
    let path = root.join(&rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(&path, briefing_text(month, issue, today, &body))
        .map_err(|e| Error::io(&path, e))?;
    let git = commit_and_tag(root, &rel, issue, month)?;
    Ok(Published {
        path,
        issue,
        republished: existing.is_some(),
        git,
    })
}

fn commit_and_tag(root: &Path, rel: &str, issue: u32, month: YearMonth) -> Result<GitOutcome> {
    match git::in_repository(root) {
        Err(e) => return Ok(GitOutcome::NoGit(e.to_string())),
        Ok(false) => return Ok(GitOutcome::NotARepository),
        Ok(true) => {}
    }
    let tag = tag_name(month);
    let exists = git::tag_exists(root, &tag)?;
    match git::commit_file(root, rel, &commit_message(issue, month))? {
        Committed::Commit(commit) => {
            git::tag_head(root, &tag, exists)?;
            Ok(GitOutcome::Committed { commit, tag })
        }
        Committed::Unchanged => {
            if !exists {
                git::tag_head(root, &tag, false)?;
            }
            Ok(GitOutcome::Unchanged { tag })
        }
    }
}
