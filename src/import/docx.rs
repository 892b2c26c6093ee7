//! The text of a Word document (`.docx`), as `import` reads plain text: a line per
//! paragraph, and a line per pair of cells of a table row (`时间：2026年3月6日`), since
//! offices keep the head of their minutes as a form: a table whose cells alternate
//! between a label and its value.
//!
//! A .docx is a zip archive; its text is in `word/document.xml`. Only that entry is
//! read, stored or deflated (flate2, which the image crate already brings), and never
//! more than [`MAX_XML`] bytes of it.

use std::io::Read;

/// The most of `word/document.xml` read: a document of text alone is far smaller, and a
/// damaged or hostile archive should not fill the memory.
const MAX_XML: u64 = 64 << 20;

/// Whether `bytes` start as a zip archive does.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The text of a .docx; an error says why there is none, for a person to read.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    let xml = document_xml(bytes)?;
    Ok(text_of_xml(&xml))
}

/// `word/document.xml` of the archive `bytes`.
fn document_xml(bytes: &[u8]) -> Result<String, String> {
    const NOT_WORD: &str = "a zip archive without word/document.xml: not a Word document";
    let end = end_of_directory(bytes).ok_or("a damaged zip archive (no central directory)")?;
    let count = usize::from(u16_at(bytes, end + 10).ok_or(NOT_WORD)?);
    let mut at = u32_at(bytes, end + 16).ok_or(NOT_WORD)? as usize;
    for _ in 0..count {
        if u32_at(bytes, at) != Some(0x0201_4b50) {
            return Err("a damaged zip archive (central directory)".into());
        }
        let field = |offset: usize| u16_at(bytes, at + offset).map(usize::from);
        let (Some(method), Some(name_len), Some(extra_len), Some(comment_len)) =
            (field(10), field(28), field(30), field(32))
        else {
            break;
        };
        let name = bytes.get(at + 46..at + 46 + name_len).ok_or(NOT_WORD)?;
        if name == b"word/document.xml" {
            let compressed = u32_at(bytes, at + 20).ok_or(NOT_WORD)? as usize;
            let local = u32_at(bytes, at + 42).ok_or(NOT_WORD)? as usize;
            return entry(bytes, local, method, compressed);
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    Err(NOT_WORD.into())
}

/// The data of the entry whose local header is at `local`.
fn entry(bytes: &[u8], local: usize, method: usize, compressed: usize) -> Result<String, String> {
    const DAMAGED: &str = "a damaged zip archive (word/document.xml)";
    if u32_at(bytes, local) != Some(0x0403_4b50) {
        return Err(DAMAGED.into());
    }
    let name_len = usize::from(u16_at(bytes, local + 26).ok_or(DAMAGED)?);
    let extra_len = usize::from(u16_at(bytes, local + 28).ok_or(DAMAGED)?);
    let start = local + 30 + name_len + extra_len;
    let data = bytes.get(start..start + compressed).ok_or(DAMAGED)?;
    let mut xml = Vec::new();
    let read = match method {
        0 => data.take(MAX_XML).read_to_end(&mut xml),
        8 => flate2::read::DeflateDecoder::new(data)
            .take(MAX_XML)
            .read_to_end(&mut xml),
        _ => {
            return Err(format!(
                "word/document.xml is compressed in a way jianbao does not read (method {method})"
            ));
        }
    };
    read.map_err(|_| DAMAGED.to_string())?;
    String::from_utf8(xml).map_err(|_| "word/document.xml is not UTF-8".into())
}

/// Where the end-of-central-directory record starts: searched from the end, behind a
/// comment of at most 64 KiB.
fn end_of_directory(bytes: &[u8]) -> Option<usize> {
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(0xFFFF);
    (first..=last)
        .rev()
        .find(|&at| u32_at(bytes, at) == Some(0x0605_4b50))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The text of WordprocessingML: the content of `<w:t>` elements, a line per paragraph
/// (`<w:br/>` breaks one), a space for `<w:tab/>`; a table becomes lines of its rows
/// (see [`table_lines`]). Deleted text, field codes and everything else are left out.
pub fn text_of_xml(xml: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // The tables being read, innermost last.
    let mut tables: Vec<Table> = Vec::new();
    let mut in_text = false;
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        if in_text {
            unescape_into(&mut line, &rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closing = tag.starts_with('/');
        let self_closing = tag.ends_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match (name, closing) {
            ("w:t", false) => in_text = !self_closing,
            ("w:t", true) => in_text = false,
            ("w:tab", false) => line.push(' '),
            ("w:br" | "w:cr", false) => end_line(&mut lines, &mut tables, &mut line),
            // `</w:p>`, or `<w:p/>`: a paragraph with nothing in it.
            ("w:p", _) if closing || self_closing => end_line(&mut lines, &mut tables, &mut line),
            ("w:tbl", false) => tables.push(Table::default()),
            ("w:tr", false) => {
                if let Some(table) = tables.last_mut() {
                    table.rows.push(Vec::new());
                }
            }
            ("w:tc", false) => {
                if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(String::new());
                }
            }
            ("w:tbl", true) => {
                if let Some(table) = tables.pop() {
                    let text = table_lines(&table.rows);
                    match tables.last_mut().and_then(Table::cell) {
                        // A table in a cell: its lines are that cell's text.
                        Some(cell) => cell.push_str(&text.join(" ")),
                        None => lines.extend(text),
                    }
                }
            }
            _ => {}
        }
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// A table being read: its rows of cells, each cell the text of its paragraphs.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// The cell being read.
    fn cell(&mut self) -> Option<&mut String> {
        self.rows.last_mut()?.last_mut()
    }
}

/// Ends a paragraph (or a line broken in one): into the current table cell when there
/// is one (its paragraphs apart by a space, which also parts a list of names), else as
/// a line of its own (an empty paragraph is an empty line).
fn end_line(lines: &mut Vec<String>, tables: &mut [Table], line: &mut String) {
    let text = std::mem::take(line);
    match tables.last_mut().and_then(Table::cell) {
        Some(cell) => {
            if !cell.is_empty() && !text.is_empty() {
                cell.push(' ');
            }
            cell.push_str(text.trim());
        }
        None => lines.push(text),
    }
}

/// The lines of a table. A table with a header row (its first row names a date and a
/// topic column, as a plan's table of sessions does, or a `序号` column) is a line per
/// row, cells apart by tabs as Word saves a table as text, which `import` makes a
/// Markdown table (and a plan's schedule). Any other table is read as a form, row by
/// row ([`row_lines`]).
fn table_lines(rows: &[Vec<String>]) -> Vec<String> {
    let header = rows.first().map(Vec::as_slice).unwrap_or_default();
    let names = |words: &[&str]| header.iter().any(|h| words.iter().any(|w| h.contains(w)));
    let has_header = names(&["序号"])
        || (names(&["日期", "时间"]) && names(&["主题", "内容", "专题", "课程", "题目"]));
    if has_header {
        let line = |row: &Vec<String>| {
            let cells: Vec<&str> = row.iter().map(|c| c.trim()).collect();
            cells.join("\t")
        };
        return rows
            .iter()
            .map(line)
            .filter(|l| !l.trim().is_empty())
            .collect();
    }
    rows.iter().flat_map(|row| row_lines(row)).collect()
}

/// The lines of a form's row. A form's row alternates labels and values (`时间 | 2026年3
/// 月6日 | 地点 | 三楼会议室`): each pair is a line `标签：值`. Any other row (one whose
/// cells at odd places are no labels: longer than eight characters, or ending in a colon
/// already) is one line, its cells apart by tabs.
fn row_lines(cells: &[String]) -> Vec<String> {
    let cells: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
    let label = |cell: &str| {
        let count = cell.chars().count();
        (1..=8).contains(&count) && !cell.ends_with(['：', ':'])
    };
    if cells.len() >= 2
        && cells.len().is_multiple_of(2)
        && cells.iter().step_by(2).all(|c| label(c))
    {
        return cells
            .chunks(2)
            .filter(|pair| !pair[1].is_empty())
            .map(|pair| format!("{}：{}", pair[0], pair[1]))
            .collect();
    }
    if cells.iter().all(|c| c.is_empty()) {
        return Vec::new();
    }
    vec![cells.join("\t")]
}

/// Appends XML text with its entities (`&amp;`, `&#x4E2D;` ...) resolved; an unknown one
/// is kept as written.
fn unescape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semi];
        let resolved = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match resolved {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}
