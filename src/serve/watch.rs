//! Turns the noisy stream of file-system events into what a rebuild needs: the set of
//! changed paths of one burst, each classified by what it changes.
//!
//! A `git checkout` touching hundreds of files or an editor's save dance (write a temp
//! file, rename, delete the backup) arrives as many events; they are collected until the
//! tree has been quiet for a moment and become one rebuild. Editor temporary files never
//! trigger anything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What a changed path means for the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// A Markdown record (plans, minutes, cases, essays) or a briefing.
    Record,
    /// A study log or a review.
    Ledger,
    /// site.yaml, org.yaml or rules.yaml: everything may change.
    Config,
    /// A template of the site or the theme: re-render without re-reading content.
    Template,
    /// A static file or an asset: copied as it is.
    Asset,
}

/// Quiet time that ends a burst of events.
pub const QUIET: Duration = Duration::from_millis(150);
/// A burst never delays a rebuild longer than this.
pub const MAX_WAIT: Duration = Duration::from_millis(2000);

/// Classifies `path` (absolute, or relative to the watched roots). `None` means the
/// change does not concern the site (editor temp files, build output, git internals).
pub fn classify(content: &Path, theme: Option<&Path>, path: &Path) -> Option<ChangeKind> {
    let name = path.file_name()?.to_string_lossy();
    if is_editor_temp(&name) {
        return None;
    }
    if let Some(theme) = theme
        && let Ok(rel) = path.strip_prefix(theme)
    {
        return Some(if rel.starts_with("templates") {
            ChangeKind::Template
        } else {
            ChangeKind::Asset
        });
    }
    let rel = path.strip_prefix(content).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let top = parts.next()?;
    if rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s.starts_with('.') || s.starts_with('_')
    }) {
        return None;
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_top_level = parts.next().is_none();
    Some(match (top.as_ref(), ext.as_str()) {
        ("site.yaml" | "org.yaml" | "rules.yaml", _) if is_top_level => ChangeKind::Config,
        ("templates", _) => ChangeKind::Template,
        ("logs" | "reviews", "yaml" | "yml") => ChangeKind::Ledger,
        ("plans" | "minutes" | "cases" | "essays" | "briefings", "md") => ChangeKind::Record,
        ("assets" | "static" | "plans" | "minutes" | "cases" | "essays", _) => ChangeKind::Asset,
        _ => return None,
    })
}

/// Temporary and backup files of common editors: vim (`.swp`, `4913`, `~`), emacs
/// (`.#file`, `#file#`), JetBrains (`___jb_tmp___`), Kate, VS Code and others.
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name == "4913"
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.starts_with('.')
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".bak",
            ".kate-swp",
            "___jb_tmp___",
            "___jb_old___",
            ".crswap",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// Waits for the first changed path, then gathers the rest of its burst until the tree has
/// been quiet for `quiet` (or `max_wait` has passed). `None` when the sender is gone.
/// `first_seen` gets the first path at once, before the burst is over.
pub fn next_burst(
    rx: &Receiver<PathBuf>,
    quiet: Duration,
    max_wait: Duration,
    first_seen: impl FnOnce(&Path),
) -> Option<BTreeSet<PathBuf>> {
    let first = rx.recv().ok()?;
    let started = Instant::now();
    first_seen(&first);
    let mut paths = BTreeSet::from([first]);
    loop {
        let left = max_wait.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Some(paths);
        }
        match rx.recv_timeout(quiet.min(left)) {
            Ok(path) => {
                paths.insert(path);
            }
            Err(RecvTimeoutError::Timeout) => return Some(paths),
            Err(RecvTimeoutError::Disconnected) => return Some(paths),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn classifies_every_kind_of_path() {
        let content = Path::new("/site/content");
        let theme = Path::new("/site/themes/default");
        let cases: &[(&str, Option<ChangeKind>)] = &[
            (
                "/site/content/minutes/2026/03-06-a.md",
                Some(ChangeKind::Record),
            ),
            ("/site/content/essays/a.md", Some(ChangeKind::Record)),
            (
                "/site/content/briefings/2026-03.md",
                Some(ChangeKind::Record),
            ),
            ("/site/content/logs/2026-03.yaml", Some(ChangeKind::Ledger)),
            ("/site/content/reviews/2026.yaml", Some(ChangeKind::Ledger)),
            ("/site/content/org.yaml", Some(ChangeKind::Config)),
            ("/site/content/rules.yaml", Some(ChangeKind::Config)),
            (
                "/site/content/templates/page.html",
                Some(ChangeKind::Template),
            ),
            (
                "/site/themes/default/templates/base.html",
                Some(ChangeKind::Template),
            ),
            (
                "/site/themes/default/static/style.css",
                Some(ChangeKind::Asset),
            ),
            ("/site/content/assets/covers/a.jpg", Some(ChangeKind::Asset)),
            ("/site/content/cases/photo.jpg", Some(ChangeKind::Asset)),
            ("/site/content/minutes/2026/.03-06-a.md.swp", None),
            ("/site/content/minutes/2026/03-06-a.md~", None),
            ("/site/content/minutes/2026/4913", None),
            ("/site/content/essays/.#a.md", None),
            ("/site/content/essays/#a.md#", None),
            ("/site/content/essays/a.md___jb_tmp___", None),
            ("/site/content/essays/_draft.md", None),
            ("/site/content/.git/index", None),
            ("/site/content/README.md", None),
            ("/site/public/index.html", None),
        ];
        for (path, expected) in cases {
            assert_eq!(
                classify(content, Some(theme), Path::new(path)),
                *expected,
                "{path}"
            );
        }
    }

    #[test]
    fn a_burst_of_events_is_one_batch() {
        let (tx, rx) = channel();
        for i in 0..300 {
            tx.send(PathBuf::from(format!("/c/minutes/{i}.md")))
                .expect("send");
        }
        tx.send(PathBuf::from("/c/minutes/0.md")).expect("send");
        let burst = next_burst(
            &rx,
            Duration::from_millis(20),
            Duration::from_secs(5),
            |_| {},
        )
        .expect("burst");
        assert_eq!(burst.len(), 300);
        drop(tx);
        assert!(
            next_burst(
                &rx,
                Duration::from_millis(20),
                Duration::from_secs(5),
                |_| {}
            )
            .is_none()
        );
    }
}
