//! Published monthly briefings (`briefings/YYYY-MM.md`): the frozen text of a bulletin
//! issue, written once by `jianbao publish` and never recomputed. The front matter holds
//! the month, the issue number and the publication date; the body is the briefing as
//! Markdown, as it was on that day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::frontmatter::{self, parse_yaml};
use super::lines::FieldLines;
use super::types::YearMonth;
use crate::error::Diagnostic;

/// One published briefing.
#[derive(Debug, Clone, Serialize)]
pub struct Briefing {
    /// Content-relative path (`briefings/2026-03.md`).
    pub file: String,
    pub month: YearMonth,
    /// 第N期: counted over the bulletin's whole life.
    pub issue: u32,
    #[serde(with = "super::types::date")]
    pub published: NaiveDate,
    /// The frozen Markdown text.
    pub body: String,
    #[serde(skip)]
    pub lines: FieldLines,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BriefingFront {
    month: YearMonth,
    issue: u32,
    #[serde(with = "super::types::date")]
    published: NaiveDate,
}

/// Parses a briefing file; `file` is its content-relative path.
pub fn parse_briefing(file: &str, text: &str) -> Result<Briefing, Diagnostic> {
    let split = frontmatter::split(text)
        .map_err(|e| Diagnostic::error(file, e.line, "", e.message).with_hint(e.hint))?;
    let front: BriefingFront = parse_yaml(split.yaml, file, split.yaml_line)?;
    Ok(Briefing {
        file: file.to_string(),
        month: front.month,
        issue: front.issue,
        published: front.published,
        body: split.body.to_string(),
        lines: FieldLines::scan(split.yaml, split.yaml_line),
    })
}

/// The text of a briefing file: front matter, then the frozen body.
pub fn briefing_text(month: YearMonth, issue: u32, published: NaiveDate, body: &str) -> String {
    format!(
        "---\nmonth: {month}\nissue: {issue}\npublished: {}\n---\n{body}",
        published.format("%Y-%m-%d")
    )
}

/// The file a month's briefing is written to.
pub fn briefing_file(month: YearMonth) -> String {
    format!("briefings/{month}.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_text_reads_back() {
        let month = YearMonth {
            year: 2026,
            month: 3,
        };
        let day = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
        let text = briefing_text(month, 7, day, "# 学习简报\n\n正文\n");
        let b = parse_briefing(&briefing_file(month), &text).expect("briefing");
        assert_eq!((b.month, b.issue, b.published), (month, 7, day));
        assert_eq!(b.body, "# 学习简报\n\n正文\n");
        assert_eq!(b.lines.line("issue"), 3);
    }

    #[test]
    fn unknown_field_is_reported_on_its_line() {
        let d = parse_briefing(
            "briefings/2026-03.md",
            "---\nmonth: 2026-03\nisue: 1\npublished: 2026-04-01\n---\n",
        )
        .expect_err("unknown field");
        assert_eq!((d.line, d.field.as_str()), (3, "isue"));
    }
}
