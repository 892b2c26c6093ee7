//! One error vocabulary for the whole program.
//!
//! A [`Diagnostic`] is a problem in the user's content: it names the file (relative to the
//! content directory), the line in that file, the field, what is wrong and how to fix it.
//! Loading and checking collect every diagnostic instead of stopping at the first one, so
//! a user fixes ten mistakes in one go. [`Error`] is for everything else that can stop a
//! command: I/O, templates, git, usage.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in the content, with everything the user needs to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the content directory, with `/` separators.
    pub file: String,
    /// 1-based line in the file (not in the front-matter block); 0 when unknown.
    pub line: usize,
    /// The field concerned, as a path (`schedule[2].date`), empty for the whole file.
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<String>,
        line: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(
        file: impl Into<String>,
        line: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, field, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        write!(f, ": {level}")?;
        if !self.field.is_empty() {
            write!(f, " [{}]", self.field)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file, then line, then field and message, so reports are stable.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, &a.field, &a.message).cmp(&(&b.file, b.line, &b.field, &b.message))
    });
}

/// Errors that stop a command. Content problems travel as [`Error::Content`] with all
/// their diagnostics, so the caller can print every one of them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the content has {} error(s)", count_errors(.0))]
    Content(Vec<Diagnostic>),
    #[error("template error: {0}")]
    Template(String),
    #[error("{0}")]
    Usage(String),
    #[error("git: {0}")]
    Git(String),
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The closest candidate to `word` by edit distance, if it is close enough to be a
/// plausible typo (used for "did you mean `title`?" hints).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_and_ignores_unrelated_words() {
        let fields = ["title", "date", "department", "tags"];
        assert_eq!(closest("titel", fields), Some("title"));
        assert_eq!(closest("departmnet", fields), Some("department"));
        assert_eq!(closest("zzzzzz", fields), None);
    }

    #[test]
    fn display_names_file_line_field_and_hint() {
        let d = Diagnostic::error("minutes/a.md", 3, "titel", "unknown field `titel`")
            .with_hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "minutes/a.md:3: error [titel]: unknown field `titel`\n  hint: did you mean `title`?"
        );
    }
}
