//! Tables in a document's text: rows of cells apart by tabs, as Word saves a table as
//! text and as [`super::docx`] gives a table that is not a form. A run of such lines
//! becomes a Markdown table in the record's body; a plan's table of sessions (a date
//! column and a topic column) also becomes the plan's `schedule`.

use chrono::NaiveDate;

use super::dates::day_in_year;
use super::names::Names;

/// A run of tab-separated lines in a body: where it starts and its rows of cells.
pub(super) struct Table {
    pub start: usize,
    pub rows: Vec<Vec<String>>,
}

/// The tables of `lines`: runs of at least two lines that have a tab and the same
/// number of cells.
pub(super) fn tables(lines: &[String]) -> Vec<Table> {
    let cells = |line: &str| -> Option<Vec<String>> {
        line.contains('\t')
            .then(|| line.split('\t').map(|c| c.trim().to_string()).collect())
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = cells(&lines[i]) else {
            i += 1;
            continue;
        };
        let mut rows = vec![first];
        let mut j = i + 1;
        while let Some(row) = lines.get(j).and_then(|l| cells(l)) {
            if row.len() != rows[0].len() {
                break;
            }
            rows.push(row);
            j += 1;
        }
        if rows.len() >= 2 {
            found.push(Table { start: i, rows });
        }
        i = j;
    }
    found
}

/// A table as Markdown, its first row the header.
pub(super) fn markdown(rows: &[Vec<String>]) -> Vec<String> {
    let line = |row: &[String]| {
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        format!("| {} |", cells.join(" | "))
    };
    let mut out = Vec::with_capacity(rows.len() + 1);
    if let Some((header, body)) = rows.split_first() {
        out.push(line(header));
        out.push(format!("|{}", " --- |".repeat(header.len())));
        out.extend(body.iter().map(|r| line(r)));
    }
    out
}

/// One planned session read from a table row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Planned {
    pub date: NaiveDate,
    pub topic: String,
    /// One of rules.yaml's session kinds; `None` when the row names none.
    pub kind: Option<String>,
    pub speaker: Option<String>,
}

/// The planned sessions of a table whose header names a date column and a topic column
/// (`日期 | 学习内容 | 形式 | 主讲人`), dates without a year taken in `year`; `None` when
/// the table is no schedule. The second list holds the rows that are not sessions (no
/// date, no topic), by their row number in the table.
pub(super) fn schedule(
    rows: &[Vec<String>],
    year: i32,
    names: &Names,
) -> Option<(Vec<Planned>, Vec<usize>)> {
    let (header, body) = rows.split_first()?;
    let column = |words: &[&str]| {
        header
            .iter()
            .position(|h| words.iter().any(|w| h.contains(w)))
    };
    let date = column(&["日期", "时间"])?;
    let topic = column(&["主题", "内容", "专题", "课程", "题目"])?;
    let kind = column(&["形式", "方式", "类型"]);
    let speaker = column(&["主讲", "领学", "辅导", "授课"]);
    let (mut planned, mut skipped) = (Vec::new(), Vec::new());
    for (n, row) in body.iter().enumerate() {
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map(String::as_str);
        let topic_text = cell(Some(topic)).unwrap_or("");
        match cell(Some(date)).and_then(|d| day_in_year(d, year)) {
            Some(day) if !topic_text.is_empty() => planned.push(Planned {
                date: day,
                topic: topic_text.to_string(),
                kind: (cell(kind).and_then(|k| names.session_kind_in(k)))
                    .or_else(|| names.session_kind_in(topic_text))
                    .map(str::to_string),
                speaker: cell(speaker)
                    .filter(|s| !s.is_empty())
                    .map(|s| names.person(s).unwrap_or(s).to_string()),
            }),
            _ => skipped.push(n + 2),
        }
    }
    Some((planned, skipped))
}
