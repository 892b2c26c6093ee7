//! Where each field of a YAML document sits, so that a problem found after parsing
//! (an unknown person id in `attendees[3]`, a schedule date outside the plan's period)
//! can name the line of the file where the user has to look.
//!
//! The YAML parser gives typed values without positions; this is a small line scanner
//! over the same text that understands block mappings, block sequences and one-line flow
//! mappings (`- {person: li-na, reason: 病假}`), which is what our records use. Anything it
//! does not understand falls back to the nearest enclosing field, never to a wrong one.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The lines of a YAML text's fields, worked out on first use: most files have no
/// problem, and then nobody asks.
#[derive(Debug, Default, Clone)]
pub struct FieldLines {
    source: Source,
    /// Line of the first line of the YAML text in its file (1-based).
    first_line: usize,
    lines: Arc<OnceLock<HashMap<String, usize>>>,
}

/// Where the YAML text is.
#[derive(Debug, Clone)]
enum Source {
    Text(Arc<str>),
    /// The front matter of a Markdown file, read again if a line is asked for (see
    /// [`FieldLines::read_again_from`]).
    FrontMatterOf {
        root: Arc<Path>,
        file: Arc<str>,
    },
}

impl Default for Source {
    fn default() -> Self {
        Source::Text(Arc::default())
    }
}

impl Source {
    /// The YAML text; empty when it cannot be read again.
    fn yaml(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Source::Text(text) => std::borrow::Cow::Borrowed(text),
            Source::FrontMatterOf { root, file } => {
                let text = std::fs::read_to_string(root.join(&**file)).unwrap_or_default();
                let yaml = super::frontmatter::split(&text).map_or("", |split| split.yaml);
                std::borrow::Cow::Owned(yaml.to_string())
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Key,
    Item,
}

impl FieldLines {
    /// Keeps `yaml`, whose first line is line `first_line` of its file, for scanning when
    /// a line is first asked for.
    pub fn scan(yaml: &str, first_line: usize) -> Self {
        FieldLines {
            source: Source::Text(Arc::from(yaml)),
            first_line,
            lines: Arc::new(OnceLock::new()),
        }
    }

    fn map(&self) -> &HashMap<String, usize> {
        self.lines
            .get_or_init(|| scan_lines(&self.source.yaml(), self.first_line))
    }

    /// The line of `path` (`absent[1].person`), or of its nearest enclosing field that was
    /// found, or the first line of the YAML text.
    pub fn line(&self, path: &str) -> usize {
        line_in(self.map(), path, self.first_line)
    }

    /// Calls `f` with a lookup like [`FieldLines::line`] over a scan that is not kept
    /// (unless the lines were already worked out): for a caller that asks for the lines
    /// of a whole ledger once and keeps only what it needs, where the kept map would hold
    /// megabytes that only a problem would ask for again.
    pub fn with_scan<R>(&self, f: impl FnOnce(&dyn Fn(&str) -> usize) -> R) -> R {
        let scanned;
        let map = match self.lines.get() {
            Some(map) => map,
            None => {
                scanned = scan_lines(&self.source.yaml(), self.first_line);
                &scanned
            }
        };
        f(&|path| line_in(map, path, self.first_line))
    }

    /// Whether `path` itself was found (not just an enclosing field).
    pub fn has(&self, path: &str) -> bool {
        self.map().contains_key(path)
    }

    pub fn first_line(&self) -> usize {
        self.first_line
    }

    /// The YAML text the lines are of (a whole ledger file, for logs and reviews), when
    /// it is kept.
    pub fn text(&self) -> Option<&Arc<str>> {
        match &self.source {
            Source::Text(text) => Some(text),
            Source::FrontMatterOf { .. } => None,
        }
    }

    /// Lets the text go: the lines, if a problem ever asks for one, are worked out from
    /// the front matter of `file` under `root` (the file these lines were made from),
    /// read again. For the records of a loaded site: validation has asked for every
    /// line it needed, and a big site's front matter held twice (typed, and as text)
    /// was megabytes. A file changed since gives the lines of its new text (and `serve`
    /// reads a changed record again anyway); one gone gives the first line.
    pub fn read_again_from(&mut self, root: &Arc<Path>, file: &Arc<str>) {
        self.source = Source::FrontMatterOf {
            root: root.clone(),
            file: file.clone(),
        };
    }
}

/// The line of `path` in `lines`, or of its nearest enclosing field, or `first_line`.
fn line_in(lines: &HashMap<String, usize>, path: &str, first_line: usize) -> usize {
    let mut path = path;
    loop {
        if let Some(line) = lines.get(path) {
            return *line;
        }
        match path.rfind(['.', '[']) {
            Some(cut) => path = &path[..cut],
            None => return first_line,
        }
    }
}

/// Scans a YAML text line by line into field path -> file line.
fn scan_lines(yaml: &str, first_line: usize) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    let mut stack: Vec<(usize, Frame, String)> = Vec::new();
    let mut counters: HashMap<String, usize> = HashMap::new();
    for (n, raw) in yaml.lines().enumerate() {
        let line_no = first_line + n;
        let text = raw.trim_end();
        let rest = text.trim_start();
        if rest.is_empty() || rest.starts_with('#') || rest == "---" {
            continue;
        }
        let indent = text.len() - rest.len();
        if rest == "-" || rest.starts_with("- ") {
            while stack
                .last()
                .is_some_and(|(i, kind, _)| *i > indent || (*i == indent && *kind == Frame::Item))
            {
                stack.pop();
            }
            let parent = stack.last().map(|(_, _, p)| p.clone()).unwrap_or_default();
            let counter = counters.entry(parent.clone()).or_insert(0);
            let path = format!("{parent}[{counter}]");
            *counter += 1;
            lines.entry(path.clone()).or_insert(line_no);
            stack.push((indent, Frame::Item, path.clone()));
            let after = rest.trim_start_matches('-').trim_start();
            let inner_indent = indent + (rest.len() - after.len());
            record_inline(after, &path, line_no, &mut lines);
            if let Some(key) = block_key(after) {
                let key_path = format!("{path}.{key}");
                lines.entry(key_path.clone()).or_insert(line_no);
                stack.push((inner_indent, Frame::Key, key_path));
            }
            continue;
        }
        let Some(key) = block_key(rest) else { continue };
        while stack.last().is_some_and(|(i, _, _)| *i >= indent) {
            stack.pop();
        }
        let path = match stack.last() {
            Some((_, _, parent)) => format!("{parent}.{key}"),
            None => key.to_string(),
        };
        lines.entry(path.clone()).or_insert(line_no);
        if let Some((_, value)) = rest.split_once(':') {
            record_inline(value.trim(), &path, line_no, &mut lines);
        }
        stack.push((indent, Frame::Key, path));
    }
    lines
}

/// The key of a `key: value` or `key:` line, if the line is one.
fn block_key(text: &str) -> Option<&str> {
    if text.starts_with(['{', '[', '"', '\'', '|', '>']) {
        return None;
    }
    let colon = text
        .find(": ")
        .or_else(|| text.strip_suffix(':').map(|t| t.len()))?;
    let key = text[..colon].trim();
    (!key.is_empty() && !key.contains(' ')).then_some(key)
}

/// Records the keys of a one-line flow mapping (`{person: li-na, reason: 病假}`) and the
/// items of a one-line flow sequence (`[a, b]`) under `path`.
fn record_inline(value: &str, path: &str, line: usize, lines: &mut HashMap<String, usize>) {
    if let Some(inner) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
        for part in inner.split(',') {
            if let Some((key, _)) = part.split_once(':') {
                let key = key.trim();
                if !key.is_empty() {
                    lines.entry(format!("{path}.{key}")).or_insert(line);
                }
            }
        }
    } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        for (i, _) in inner.split(',').enumerate() {
            lines.entry(format!("{path}[{i}]")).or_insert(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "title: 学习\nattendees:\n  - zhang-wei\n  - li-na\nabsent:\n  - {person: wang-fang, reason: 病假}\n  - person: zhao-lei\n    reason: 出差\nschedule:\n- date: 2026-03-06\n  topic: 党章\ntags: [a, b]\n";

    #[test]
    fn lines_let_go_of_their_text_come_from_the_file_read_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root: Arc<Path> = Arc::from(dir.path());
        let file: Arc<str> = Arc::from("minutes/a.md");
        std::fs::create_dir(dir.path().join("minutes")).expect("folder");
        let text = format!("---\n{YAML}---\n正文\n");
        std::fs::write(dir.path().join(&*file), &text).expect("file");
        let kept = FieldLines::scan(YAML, 2);
        // Not a clone: clones share the lines once worked out.
        let mut read_again = FieldLines::scan(YAML, 2);
        read_again.read_again_from(&root, &file);
        assert!(read_again.text().is_none());
        for path in [
            "title",
            "absent[1].reason",
            "schedule[0].topic",
            "tags",
            "nothing",
        ] {
            assert_eq!(read_again.line(path), kept.line(path), "{path}");
        }
        // A file gone since points at the first line of the front matter.
        let mut gone = FieldLines::scan(YAML, 2);
        gone.read_again_from(&root, &Arc::from("minutes/gone.md"));
        assert_eq!(gone.line("schedule[0].topic"), 2);
    }

    #[test]
    fn finds_every_kind_of_field() {
        let lines = FieldLines::scan(YAML, 2);
        for (path, line) in [
            ("title", 2),
            ("attendees", 3),
            ("attendees[0]", 4),
            ("attendees[1]", 5),
            ("absent[0].person", 7),
            ("absent[0].reason", 7),
            ("absent[1].person", 8),
            ("absent[1].reason", 9),
            ("schedule[0].date", 11),
            ("schedule[0].topic", 12),
            ("tags[1]", 13),
            ("tags", 13),
        ] {
            assert_eq!(lines.line(path), line, "{path}");
        }
    }

    #[test]
    fn unknown_paths_fall_back_to_the_enclosing_field() {
        let lines = FieldLines::scan(YAML, 2);
        assert_eq!(lines.line("attendees[7]"), 3);
        assert_eq!(lines.line("absent[0].remark"), 7);
        assert_eq!(lines.line("nothing"), 2);
    }
}
