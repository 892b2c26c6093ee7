//! Everything jianbao asks of git, and the only module that runs it: the history of the
//! records (one `git log` for the whole content tree, like Hugo's git info) and the
//! commit and tag that `jianbao publish` makes.
//!
//! A content directory outside a repository, or a machine without git, is normal: the
//! history is then empty and publishing writes its file without committing.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::error::{Error, Result};

/// What git knows of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FileHistory {
    /// Commit time of the first commit that touched the file.
    pub first: DateTime<FixedOffset>,
    /// Commit time of the last commit that touched the file.
    pub last: DateTime<FixedOffset>,
    /// How many commits touched it.
    pub revisions: usize,
}

/// History of every file under `dir`, by content-relative path (`/`-separated). Empty
/// when `dir` is not in a git repository or git is not installed.
pub fn history(dir: &Path) -> BTreeMap<String, FileHistory> {
    // %x1e starts a commit, %x1f separates its hash from its date; the files it touched
    // follow, one a line, relative to `dir` (--relative) and unquoted (quotePath=false,
    // so Chinese file names stay readable).
    let output = git(dir)
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--no-renames",
            "--relative",
            "--name-only",
            "--format=%x1e%H%x1f%cI",
            "--",
            ".",
        ])
        .output();
    match output {
        Ok(out) if out.status.success() => parse_log(&String::from_utf8_lossy(&out.stdout)),
        _ => BTreeMap::new(),
    }
}

/// Parses the output of the `git log` above (newest commit first).
pub fn parse_log(text: &str) -> BTreeMap<String, FileHistory> {
    let mut map: BTreeMap<String, FileHistory> = BTreeMap::new();
    for commit in text.split('\u{1e}').filter(|c| !c.trim().is_empty()) {
        let mut lines = commit.lines();
        let Some(header) = lines.next() else { continue };
        let Some((_hash, date)) = header.split_once('\u{1f}') else {
            continue;
        };
        let Ok(date) = DateTime::parse_from_rfc3339(date.trim()) else {
            continue;
        };
        for path in lines.map(str::trim).filter(|l| !l.is_empty()) {
            let path = path.trim_start_matches("./").to_string();
            map.entry(path)
                .and_modify(|h| {
                    h.first = h.first.min(date);
                    h.last = h.last.max(date);
                    h.revisions += 1;
                })
                .or_insert(FileHistory {
                    first: date,
                    last: date,
                    revisions: 1,
                });
        }
    }
    map
}

/// Whether `dir` is inside a git work tree. `Ok(false)` outside one; an error only when
/// git itself cannot be run.
pub fn in_repository(dir: &Path) -> Result<bool> {
    let out = git(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map_err(|e| Error::Git(format!("cannot run git: {e}")))?;
    Ok(out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "true")
}

/// What [`commit_file`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    /// A new commit, with its short hash.
    Commit(String),
    /// The file was already committed as it is.
    Unchanged,
}

/// Commits the one file `rel` (relative to `dir`) with `message`, leaving anything else
/// that is staged or modified alone.
pub fn commit_file(dir: &Path, rel: &str, message: &str) -> Result<Committed> {
    run(dir, &["add", "--", rel])?;
    let status = run(dir, &["status", "--porcelain", "--", rel])?;
    if String::from_utf8_lossy(&status.stdout).trim().is_empty() {
        return Ok(Committed::Unchanged);
    }
    run(
        dir,
        &["commit", "--quiet", "-m", message, "--only", "--", rel],
    )?;
    let head = run(dir, &["rev-parse", "--short", "HEAD"])?;
    Ok(Committed::Commit(
        String::from_utf8_lossy(&head.stdout).trim().to_string(),
    ))
}

/// Whether the tag exists.
pub fn tag_exists(dir: &Path, name: &str) -> Result<bool> {
    let out = git(dir)
        .args([
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/tags/{name}"),
        ])
        .output()
        .map_err(|e| Error::Git(format!("cannot run git: {e}")))?;
    Ok(out.status.success())
}

/// Tags HEAD as `name`; `force` moves an existing tag.
pub fn tag_head(dir: &Path, name: &str, force: bool) -> Result<()> {
    let mut args = vec!["tag"];
    if force {
        args.push("-f");
    }
    args.push(name);
    run(dir, &args)?;
    Ok(())
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir);
    cmd
}

/// Runs git and turns a failure into an error that quotes git's own message.
fn run(dir: &Path, args: &[&str]) -> Result<Output> {
    let out = git(dir)
        .args(args)
        .output()
        .map_err(|e| Error::Git(format!("cannot run git: {e}")))?;
    if out.status.success() {
        Ok(out)
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let said = if stderr.trim().is_empty() {
            stdout.trim().to_string()
        } else {
            stderr.trim().to_string()
        };
        Err(Error::Git(format!(
            "`git {}` failed: {said}",
            args.join(" ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_is_folded_into_first_last_and_revisions() {
        let log = "\u{1e}c3\u{1f}2026-04-02T09:00:00+08:00\n\nminutes/2026/a.md\nbriefings/2026-03.md\n\
                   \u{1e}c2\u{1f}2026-03-10T18:30:00+08:00\n\nminutes/2026/a.md\n\
                   \u{1e}m1\u{1f}2026-03-09T08:00:00+08:00\n\
                   \u{1e}c1\u{1f}2026-03-06T12:00:00+08:00\n\nminutes/2026/a.md\nessays/心得.md\n";
        let h = parse_log(log);
        assert_eq!(
            h.keys().map(String::as_str).collect::<Vec<_>>(),
            [
                "briefings/2026-03.md",
                "essays/心得.md",
                "minutes/2026/a.md"
            ]
        );
        let a = h["minutes/2026/a.md"];
        assert_eq!(a.revisions, 3);
        assert_eq!(a.first.to_rfc3339(), "2026-03-06T12:00:00+08:00");
        assert_eq!(a.last.to_rfc3339(), "2026-04-02T09:00:00+08:00");
        assert_eq!(h["essays/心得.md"].revisions, 1);
    }

    #[test]
    fn garbage_and_empty_output_give_an_empty_history() {
        assert!(parse_log("").is_empty());
        assert!(parse_log("fatal: not a git repository\n").is_empty());
        assert!(parse_log("\u{1e}abc\u{1f}not-a-date\n\nx.md\n").is_empty());
    }

    #[test]
    fn outside_a_repository_history_is_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A temp dir could sit inside a repository on some machines; only check the
        // quiet, non-failing behaviour.
        let h = history(dir.path());
        assert!(h.is_empty());
    }
}
