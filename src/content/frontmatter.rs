//! Splitting a Markdown record into its YAML front matter and body, and turning YAML
//! into typed values with errors that point at lines of the file.
//!
//! Line numbers are always those of the file: the front matter starts on line 2 (after the
//! opening `---`), so a YAML error on its third line is reported on line 4.

use serde::de::DeserializeOwned;

use super::lines::FieldLines;
use crate::error::{Diagnostic, closest};

/// A Markdown record cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first line of `yaml`.
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line of the first line of `body`.
    pub body_line: usize,
}

/// Why a file could not be split; the caller turns it into a diagnostic for its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub message: String,
    pub hint: String,
}

/// Splits `---\n<yaml>\n---\n<body>`. A UTF-8 byte order mark and CRLF line ends are
/// accepted, as Windows editors write them.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Err(SplitError {
            line: 1,
            message: "missing front matter: the file must start with a line `---`".into(),
            hint:
                "begin the file with `---`, the YAML fields (title, date, ...), then another `---`"
                    .into(),
        });
    }
    let yaml_start = first_line_end;
    let mut offset = yaml_start;
    for (line, piece) in (2..).zip(super::scan::split_lines(&text[yaml_start..])) {
        if offset >= text.len() {
            break;
        }
        // The piece and its line feed, if it has one.
        let end = (offset + piece.len() + 1).min(text.len());
        if text[offset..end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
    }
    Err(SplitError {
        line: 1,
        message: "unclosed front matter: no closing `---` line after the opening one".into(),
        hint: "add a line `---` after the last front-matter field, before the text".into(),
    })
}

/// Deserializes YAML text that starts on file line `first_line` into `T`. Errors name the
/// file line, the field when known, and for unknown fields the closest known one.
pub fn parse_yaml<T: DeserializeOwned>(
    yaml: &str,
    file: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    // Most front matter is in the plain shape that reads without the YAML parser.
    if !yaml_parser_only()
        && let Some(value) = super::simple_yaml::from_str(yaml)
    {
        return Ok(value);
    }
    serde_yaml::from_str(yaml).map_err(|err| yaml_diagnostic(&err, yaml, file, first_line))
}

#[cfg(test)]
thread_local! {
    static YAML_PARSER_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every YAML text read by yaml_serde, for tests that compare the two
/// readers.
#[cfg(test)]
pub(crate) fn with_yaml_parser_only<R>(f: impl FnOnce() -> R) -> R {
    YAML_PARSER_ONLY.with(|only| only.set(true));
    let result = f();
    YAML_PARSER_ONLY.with(|only| only.set(false));
    result
}

fn yaml_parser_only() -> bool {
    #[cfg(test)]
    return YAML_PARSER_ONLY.with(std::cell::Cell::get);
    #[cfg(not(test))]
    false
}

pub fn yaml_diagnostic(
    err: &serde_yaml::Error,
    yaml: &str,
    file: &str,
    first_line: usize,
) -> Diagnostic {
    let full = err.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_string(),
        None => full,
    };
    let line = err
        .location()
        .map_or(first_line, |l| first_line + l.line() - 1);
    // Errors raised by our own value parsers (dates, months, periods) carry the position
    // of the enclosing mapping; the value they quote finds the right line.
    let line = quoted_value(&message)
        .filter(|_| !message.starts_with("missing field"))
        .and_then(|value| yaml.lines().position(|l| l.contains(value)))
        .map_or(line, |i| first_line + i);
    if let Some((field, expected)) = unknown_field(&message) {
        let mut d = Diagnostic::error(file, line, field, format!("unknown field `{field}`"));
        d = match closest(field, expected.iter().copied()) {
            Some(best) => d.with_hint(format!("did you mean `{best}`?")),
            None => d.with_hint(format!("known fields: {}", expected.join(", "))),
        };
        return d;
    }
    if let Some(field) = missing_field(&message) {
        return Diagnostic::error(file, line, field, format!("missing field `{field}`"))
            .with_hint(format!("add `{field}:` with a value"));
    }
    let hint = if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
        || message.contains("found character that cannot start")
    {
        "check the indentation and quote values that contain `:` or start with `*`, `&`, `[`, `{`"
    } else {
        "check the value's type and format"
    };
    // serde_yaml prefixes type errors with the field's path: `attendees: invalid type ...`.
    let (field, message) = match message.split_once(": ") {
        Some((path, rest)) if is_field_path(path) => (path.to_string(), rest.to_string()),
        _ => (String::new(), message),
    };
    let line = if field.is_empty() {
        line
    } else {
        FieldLines::scan(yaml, first_line).line(&field)
    };
    Diagnostic::error(file, line, field, format!("invalid YAML: {message}")).with_hint(hint)
}

fn is_field_path(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
}

/// The first non-empty value quoted in backticks in a message.
fn quoted_value(message: &str) -> Option<&str> {
    message.split('`').nth(1).filter(|v| !v.trim().is_empty())
}

/// `unknown field `titel`, expected one of `title`, `date`` -> ("titel", ["title", "date"]).
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).collect();
    Some((field, expected))
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Front {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[test]
    fn splits_with_file_line_numbers() {
        let s = split("---\ntitle: a\ntags: []\n---\nbody\n").expect("split");
        assert_eq!(s.yaml, "title: a\ntags: []\n");
        assert_eq!((s.yaml_line, s.body_line), (2, 5));
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn accepts_bom_crlf_and_empty_body() {
        let s = split("\u{feff}---\r\ntitle: a\r\n---\r\n").expect("split");
        assert_eq!(s.yaml, "title: a\r\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert!(
            split("title: a\n")
                .expect_err("missing")
                .message
                .contains("missing front matter")
        );
        assert!(
            split("---\ntitle: a\nbody")
                .expect_err("unclosed")
                .message
                .contains("unclosed")
        );
        assert!(split("").is_err());
    }

    #[test]
    fn unknown_field_gets_file_line_and_did_you_mean() {
        let d = parse_yaml::<Front>("tags: []\ntitel: x\n", "a.md", 2).expect_err("unknown");
        assert_eq!((d.line, d.field.as_str()), (3, "titel"));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn type_error_names_its_field_and_line() {
        let d = parse_yaml::<Front>("title: a\n\ntags: \"x\"\n", "a.md", 2).expect_err("type");
        assert_eq!((d.field.as_str(), d.line), ("tags", 4));
        assert!(d.message.contains("expected a sequence"), "{}", d.message);
    }

    #[test]
    fn syntax_error_is_mapped_to_the_file_line() {
        let d = parse_yaml::<Front>("title: a\ntags: [x\n", "a.md", 2).expect_err("syntax");
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert!(d.line >= 3, "{}", d.line);
    }
}
