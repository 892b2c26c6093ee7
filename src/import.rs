//! `jianbao import`: legacy documents (a Word file or its plain text: a session's
//! minutes, an essay, a plan, an exemplar story) turned into Markdown records.
//!
//! Offices that start with jianbao have years of records as Word files. As text (a
//! .docx is read as its lines by [`docx`]), a session's minutes look alike everywhere: a title, then lines such as
//! `时间：2026年3月6日下午`, `主持人：张伟`, `参加人员：张伟、李娜`, `缺席人员：王芳（出差）`,
//! then the discussion. This module reads such a text (UTF-8, UTF-16 with its BOM, or
//! the GB18030/GBK of older Windows), recognises those lines, maps the names they give
//! to the ids of org.yaml and writes one record with its front matter filled in. Nothing
//! of the document is lost: a line it does not understand whole stays in the body as it
//! was, and every field it could not fill is named in the result for a person to check.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::config::{OrgConfig, Rules};
use crate::content::record::{Kind, slugify};
use crate::error::{Error, Result};
use crate::scaffold::{date_stem, read_site_file, record_folder, write_new, yaml_string};

mod dates;
pub(crate) mod docx;
mod names;
mod table;

pub use dates::find_date;
use names::Names;

/// One document imported (or, in a dry run, that would be).
#[derive(Debug, Clone)]
pub struct Imported {
    /// The document read.
    pub source: PathBuf,
    /// The record written, content-relative (`minutes/2026/03-06-mishu.md`).
    pub record: String,
    /// The record's text.
    pub text: String,
    /// What a person should check or fill in, one sentence each.
    pub notes: Vec<String>,
}

/// What the import was asked to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The kind of every document; guessed from each one when not given.
    pub kind: Option<Kind>,
    /// Make the records without writing them.
    pub dry_run: bool,
}

/// Imports `files` into the site at `root`. Every document is read and made into a
/// record before anything is written, so an unreadable file writes nothing; an existing
/// record is never overwritten (a new name gets `-2`, `-3`, ...).
pub fn import(root: &Path, files: &[PathBuf], options: Options) -> Result<Vec<Imported>> {
    let org = read_site_file::<OrgConfig>(root, "org.yaml")?;
    let rules = read_site_file::<Rules>(root, "rules.yaml")?;
    let names = Names::new(&org, &rules);
    let mut made = Vec::with_capacity(files.len());
    for file in files {
        let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
        let text = read_document(file, &bytes)?;
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
        made.push((file, Draft::of(&text, options.kind, &names), stem));
    }
    let mut taken = std::collections::BTreeSet::new();
    let mut imported = Vec::with_capacity(made.len());
    for (file, draft, stem) in made {
        let record = free_name(root, &draft, stem.as_deref().unwrap_or(""), &mut taken);
        let text = draft.text();
        if !options.dry_run {
            write_new(&root.join(&record), &text)?;
        }
        imported.push(Imported {
            source: file.clone(),
            record,
            text,
            notes: draft.notes,
        });
    }
    Ok(imported)
}

/// The text of a document: a Word document's (.docx), or plain text ([`decode`]).
fn read_document(file: &Path, bytes: &[u8]) -> Result<String> {
    let refused = |why: &str| Error::Usage(format!("{}: {why}", file.display()));
    if docx::is_zip(bytes) {
        return docx::text(bytes).map_err(|why| refused(&why));
    }
    decode(bytes).ok_or_else(|| {
        refused(if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("doc")) {
            "a .doc of older Word, which jianbao does not read: save it as .docx or as plain text"
        } else {
            "not text in UTF-8, UTF-16 or GB18030, nor a .docx (save the document as plain text)"
        })
    })
}

/// The text of a document: UTF-8 (with or without its BOM), UTF-16 with its BOM, else
/// GB18030 (a superset of the GBK and GB2312 of older Chinese Windows). `None` when it
/// is none of them.
pub fn decode(bytes: &[u8]) -> Option<String> {
    let (encoding, bom) = encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_8, 0));
    let bytes = &bytes[bom..];
    let text = match std::str::from_utf8(bytes) {
        Ok(text) if encoding == encoding_rs::UTF_8 => text.to_string(),
        _ => {
            let encoding = if encoding == encoding_rs::UTF_8 {
                encoding_rs::GB18030
            } else {
                encoding
            };
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if had_errors {
                return None;
            }
            text.into_owned()
        }
    };
    // A NUL is in binary files (a .doc, a .docx), never in a text.
    (!text.contains('\0')).then_some(text)
}

/// A record being made from a document.
#[derive(Debug, Default)]
struct Draft {
    /// Set by [`Draft::of`]: see [`Draft::kind`].
    kind: Option<Kind>,
    title: String,
    date: Option<NaiveDate>,
    department: Option<String>,
    /// minutes: session kind; essay: reflection, research, ...
    sub_kind: Option<String>,
    hours: Option<f64>,
    host: Option<String>,
    speaker: Option<String>,
    attendees: Vec<String>,
    absent: Vec<(String, String)>,
    materials: Vec<String>,
    author: Option<String>,
    /// A plan's sessions, from its table of them.
    schedule: Vec<table::Planned>,
    body: Vec<String>,
    notes: Vec<String>,
}

/// What a labelled head line fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Date,
    Host,
    Speaker,
    Attendees,
    Absent,
    SessionKind,
    Hours,
    Department,
    Author,
    Materials,
}

/// The labels documents give their head lines (`主持人：陈明`), by the field they fill.
const LABELS: &[(Field, &[&str])] = &[
    (
        Field::Date,
        &["时间", "日期", "学习时间", "会议时间", "活动时间"],
    ),
    (Field::Host, &["主持人", "主持"]),
    (
        Field::Speaker,
        &["主讲人", "主讲", "辅导人", "领学人", "主讲嘉宾"],
    ),
    (
        Field::Attendees,
        &[
            "参加人员",
            "参会人员",
            "出席人员",
            "出席",
            "参加人",
            "参学人员",
        ],
    ),
    (Field::Absent, &["缺席人员", "缺席", "请假人员"]),
    (
        Field::SessionKind,
        &["学习形式", "形式", "活动形式", "学习方式"],
    ),
    (Field::Hours, &["学时", "时长", "学习时长", "学习学时"]),
    (Field::Department, &["科室", "部门", "单位", "所在科室"]),
    (Field::Author, &["作者", "撰写人", "撰稿人", "姓名"]),
    (Field::Materials, &["学习材料", "学习资料", "材料"]),
];

impl Draft {
    fn of(text: &str, kind: Option<Kind>, names: &Names) -> Draft {
        let mut draft = Draft::default();
        let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
        draft.title = lines
            .by_ref()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
            .to_string();
        // The head: the lines before the first paragraph of prose. A line taken into
        // the fields leaves the body; any other stays as it was.
        let mut in_head = true;
        for line in lines {
            let trimmed = line.trim();
            if in_head {
                if trimmed.is_empty() {
                    if !draft.body.is_empty() {
                        draft.body.push(String::new());
                    }
                    continue;
                }
                if draft.take_head_line(trimmed, names) {
                    continue;
                }
                in_head = trimmed.chars().count() <= 40;
            }
            draft.body.push(line.to_string());
        }
        draft.kind = kind.or(Some(guess_kind(&draft)));
        draft.read_tables(names);
        draft.fill_in(names);
        draft
    }

    /// Makes the body's tables Markdown tables; a plan's tables of sessions are also its
    /// schedule.
    fn read_tables(&mut self, names: &Names) {
        let found = table::tables(&self.body);
        let year = dates::period_in(&self.title)
            .and_then(|p| p.get(..4)?.parse().ok())
            .unwrap_or_else(|| self.date().year());
        for (n, t) in found.iter().enumerate() {
            if self.kind() != Kind::Plan {
                break;
            }
            let Some((planned, skipped)) = table::schedule(&t.rows, year, names) else {
                continue;
            };
            for row in skipped {
                self.notes.push(format!(
                    "第{}个表格第{row}行没有可读的日期或内容：不计入 schedule，留在正文的表格中",
                    n + 1
                ));
            }
            for p in planned.iter().filter(|p| p.kind.is_none()) {
                self.notes.push(format!(
                    "日程“{}”（{}）没有 rules.yaml 中的学习形式：请补填它的 kind",
                    p.topic, p.date
                ));
            }
            self.schedule.extend(planned);
        }
        // From the last, so the places of the earlier ones stay where they were.
        for t in found.iter().rev() {
            let mut markdown = vec![String::new()];
            markdown.extend(table::markdown(&t.rows));
            markdown.push(String::new());
            self.body.splice(t.start..t.start + t.rows.len(), markdown);
        }
    }

    /// Takes a head line into the fields; `false` leaves it to the body (a line not
    /// understood whole is kept as it was).
    fn take_head_line(&mut self, line: &str, names: &Names) -> bool {
        if let Some((label, value)) = split_label(line) {
            // Forms pad short labels to the width of long ones: `时　间：`, `地  点：`.
            let label: String = label.chars().filter(|c| !c.is_whitespace()).collect();
            let Some(field) = LABELS
                .iter()
                .find(|(_, labels)| labels.contains(&label.as_str()))
                .map(|(field, _)| *field)
            else {
                return false;
            };
            return self.take_field(field, &label, value.trim(), names);
        }
        // A line that is only a date (under an essay's title), or a department and a
        // name (`秘书科 李娜`).
        if self.date.is_none()
            && let Some((date, "", rest)) = find_date(line)
            && rest.trim().is_empty()
        {
            self.date = Some(date);
            return true;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        // Not a table's row (`陈明<tab>综合科`): its cells are apart by tabs.
        if (1..=2).contains(&words.len()) && self.author.is_none() && !line.contains('\t') {
            let department = words.iter().find_map(|w| names.department(w));
            let person = words.iter().find_map(|w| names.person(w));
            let understood = words
                .iter()
                .all(|w| names.department(w).is_some() || names.person(w).is_some());
            if understood && person.is_some() {
                self.author = person.map(str::to_string);
                if let Some(d) = department {
                    self.department = Some(d.to_string());
                }
                return true;
            }
        }
        false
    }

    fn take_field(&mut self, field: Field, label: &str, value: &str, names: &Names) -> bool {
        match field {
            Field::Date => match find_date(value) {
                Some((date, "", rest)) => {
                    self.date = self.date.or(Some(date));
                    // `2026年3月6日下午3时`: the line stays for the time of day.
                    rest.trim().is_empty()
                }
                _ => false,
            },
            Field::Host | Field::Speaker | Field::Author => {
                let person = names.person(value);
                match (field, person) {
                    (Field::Host, Some(p)) => self.host = Some(p.to_string()),
                    (Field::Author, Some(p)) => self.author = Some(p.to_string()),
                    // A speaker may be a guest: `市委党校王教授` is kept as written.
                    (Field::Speaker, p) => {
                        self.speaker = Some(p.unwrap_or(value).to_string());
                    }
                    _ => {
                        self.notes.push(format!(
                            "{label}“{value}”不在 org.yaml 的人员中：原行保留在正文，请补填"
                        ));
                        return false;
                    }
                }
                !value.is_empty()
            }
            Field::Attendees => {
                let (ids, unknown) = people_of(split_list(value), names);
                self.attendees.extend(ids);
                self.note_unknown(label, &unknown)
            }
            Field::Absent => {
                let mut unknown = Vec::new();
                for item in split_list(value) {
                    let (name, reason) = name_and_reason(item);
                    match names.person(name) {
                        Some(id) => self.absent.push((id.to_string(), reason.to_string())),
                        None => unknown.push(name.to_string()),
                    }
                }
                self.note_unknown(label, &unknown)
            }
            Field::SessionKind => match names.session_kind_in(value) {
                Some(kind) => {
                    self.sub_kind = Some(kind.to_string());
                    true
                }
                None => {
                    self.notes.push(format!(
                        "{label}“{value}”不是 rules.yaml 的学习形式之一：原行保留在正文，请补填 kind"
                    ));
                    false
                }
            },
            Field::Hours => match parse_hours(value) {
                Some(hours) => {
                    self.hours = Some(hours);
                    true
                }
                None => false,
            },
            Field::Department => match names.department(value) {
                Some(id) => {
                    self.department = Some(id.to_string());
                    true
                }
                None => {
                    self.notes.push(format!(
                        "{label}“{value}”不在 org.yaml 的科室中：原行保留在正文，请补填 department"
                    ));
                    false
                }
            },
            Field::Materials => {
                self.materials.extend(split_list(value).map(str::to_string));
                true
            }
        }
    }

    /// Notes the names of a list that org.yaml does not know; `true` when there is none
    /// (the line is then understood whole and leaves the body).
    fn note_unknown(&mut self, label: &str, unknown: &[String]) -> bool {
        if unknown.is_empty() {
            return true;
        }
        self.notes.push(format!(
            "{label}中“{}”不在 org.yaml 的人员中：原行保留在正文，请核对",
            unknown.join("、")
        ));
        false
    }

    /// What the head did not say, from what it did: the department from the title or
    /// the host, the session kind from the title; and the notes for what is missing.
    fn fill_in(&mut self, names: &Names) {
        if self.department.is_none() {
            self.department = names
                .department_in(&self.title)
                .map(str::to_string)
                .or_else(|| {
                    let who = self.host.as_deref().or(self.author.as_deref())?;
                    names.department_of(who).map(str::to_string)
                });
        }
        let kind = self.kind();
        match kind {
            Kind::Minutes => {
                if self.sub_kind.is_none() {
                    self.sub_kind = names.session_kind_in(&self.title).map(str::to_string);
                }
                for (missing, field) in [
                    (self.sub_kind.is_none(), "kind（学习形式）"),
                    (self.hours.is_none(), "hours（学时）"),
                    (self.host.is_none(), "host（主持人）"),
                    (self.department.is_none(), "department（科室）"),
                    (self.attendees.is_empty(), "attendees（参加人员）"),
                ] {
                    if missing {
                        self.notes.push(format!("未找到 {field}，请补填"));
                    }
                }
            }
            Kind::Essay => {
                self.sub_kind = Some(essay_kind(&self.title).to_string());
                if self.author.is_none() {
                    self.notes.push("未找到 author（作者），请补填".to_string());
                }
            }
            Kind::Plan | Kind::Case => {}
        }
        if self.date.is_none() {
            self.notes
                .push("未找到日期：暂用今天，请改为文档的日期".to_string());
        }
        if self.title.is_empty() {
            self.notes.push("文档没有标题，请补填 title".to_string());
        }
    }

    /// The record: front matter, then the body as it was.
    fn text(&self) -> String {
        let kind = self.kind();
        let mut front = String::from("---\n");
        // A value that starts with a line break is a block (a plan's schedule).
        let mut field = |name: &str, value: String| {
            front.push_str(name);
            front.push_str(if value.starts_with('\n') { ":" } else { ": " });
            front.push_str(&value);
            front.push('\n');
        };
        field("title", yaml_string(&self.title));
        field("date", self.date().format("%Y-%m-%d").to_string());
        let list = |items: &[String]| {
            let quoted: Vec<String> = items.iter().map(|s| yaml_string(s)).collect();
            format!("[{}]", quoted.join(", "))
        };
        match kind {
            Kind::Minutes => {
                field("department", self.department.clone().unwrap_or_default());
                field("kind", self.sub_kind.clone().unwrap_or_default());
                field(
                    "hours",
                    self.hours.map(|h| h.to_string()).unwrap_or_default(),
                );
                field("host", self.host.clone().unwrap_or_default());
                if let Some(speaker) = &self.speaker {
                    field("speaker", yaml_string(speaker));
                }
                field("attendees", list(&self.attendees));
                let absent: Vec<String> = (self.absent.iter())
                    .map(|(person, reason)| {
                        format!("{{person: {person}, reason: {}}}", yaml_string(reason))
                    })
                    .collect();
                field("absent", format!("[{}]", absent.join(", ")));
                field("materials", list(&self.materials));
            }
            Kind::Essay => {
                field("author", self.author.clone().unwrap_or_default());
                field("kind", self.sub_kind.clone().unwrap_or_default());
            }
            Kind::Plan => {
                if let Some(d) = &self.department {
                    field("department", d.clone());
                    field("scope", "department".to_string());
                } else {
                    field("scope", "org".to_string());
                }
                let period = dates::period_in(&self.title);
                field(
                    "period",
                    period.unwrap_or_else(|| self.date().year().to_string()),
                );
                let mut schedule = String::new();
                for p in &self.schedule {
                    schedule += &format!(
                        "\n  - {{date: {}, topic: {}, kind: {}",
                        p.date.format("%Y-%m-%d"),
                        yaml_string(&p.topic),
                        yaml_string(p.kind.as_deref().unwrap_or(""))
                    );
                    if let Some(speaker) = &p.speaker {
                        schedule += &format!(", speaker: {}", yaml_string(speaker));
                    }
                    schedule.push('}');
                }
                if schedule.is_empty() {
                    schedule = "[]".to_string();
                }
                field("schedule", schedule);
            }
            Kind::Case => {
                if let Some(p) = &self.author {
                    field("person", p.clone());
                }
                if let Some(d) = &self.department {
                    field("department", d.clone());
                }
                field("level", "unit".to_string());
            }
        }
        front.push_str("---\n");
        let mut body: &[String] = &self.body;
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body = &body[..body.len() - 1];
        }
        while body.first().is_some_and(|l| l.trim().is_empty()) {
            body = &body[1..];
        }
        for line in body {
            front.push_str(line);
            front.push('\n');
        }
        front
    }

    /// The record's kind: given, or guessed once the head is read.
    fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::Essay)
    }

    fn date(&self) -> NaiveDate {
        self.date
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// `标签：值` (full-width or ASCII colon) with a label of at most eight characters.
fn split_label(line: &str) -> Option<(&str, &str)> {
    let at = line.find(['：', ':'])?;
    let label = line[..at].trim();
    let value = &line[at..];
    let value = value
        .strip_prefix('：')
        .or_else(|| value.strip_prefix(':'))?;
    let count = label.chars().count();
    ((1..=8).contains(&count)).then_some((label, value))
}

/// The items of a list line: `张伟、李娜，王芳 赵强`.
fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(['、', '，', ',', '；', ';', ' ', '　'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        // `（共12人）` and `等` end lists in real documents; they name nobody.
        .filter(|s| !(s.starts_with('共') || s.starts_with("（共") || *s == "等"))
}

/// `王芳（出差）` -> (`王芳`, `出差`); `王芳` -> (`王芳`, ``).
fn name_and_reason(item: &str) -> (&str, &str) {
    match item.find(['（', '(']) {
        Some(at) => {
            let reason = item[at..]
                .trim_start_matches(['（', '('])
                .trim_end_matches(['）', ')']);
            (item[..at].trim(), reason.trim())
        }
        None => (item, ""),
    }
}

fn people_of<'a>(
    items: impl Iterator<Item = &'a str>,
    names: &Names,
) -> (Vec<String>, Vec<String>) {
    let (mut ids, mut unknown) = (Vec::new(), Vec::new());
    for item in items {
        match names.person(item) {
            Some(id) if !ids.iter().any(|i| i == id) => ids.push(id.to_string()),
            Some(_) => {}
            None => unknown.push(item.to_string()),
        }
    }
    (ids, unknown)
}

/// `2小时`, `2.5学时`, `半天` is not a number of hours; `1个半小时` is 1.5.
fn parse_hours(value: &str) -> Option<f64> {
    let digits: String = value
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut hours: f64 = digits.parse().ok()?;
    if value[digits.len()..].starts_with("个半") {
        hours += 0.5;
    }
    (hours > 0.0 && hours.is_finite()).then_some(hours)
}

/// The kind of a document, from its title and head: minutes when it names a host or
/// attendees or calls itself a record, a plan, a case, else an essay.
fn guess_kind(draft: &Draft) -> Kind {
    let title = draft.title.as_str();
    let says = |words: &[&str]| words.iter().any(|w| title.contains(w));
    if says(&["计划", "方案", "安排"]) && !says(&["心得", "体会"]) {
        Kind::Plan
    } else if draft.host.is_some()
        || !draft.attendees.is_empty()
        || says(&["记录", "纪要", "会议", "学习会"])
    {
        Kind::Minutes
    } else if says(&["事迹", "典型", "案例", "先进", "风采"]) {
        Kind::Case
    } else {
        Kind::Essay
    }
}

/// An essay's kind, from its title.
fn essay_kind(title: &str) -> &'static str {
    let says = |words: &[&str]| words.iter().any(|w| title.contains(w));
    if says(&["调研", "调查"]) {
        "research"
    } else if says(&["读书笔记", "读后感", "读《"]) {
        "reading"
    } else if says(&["金点子", "建议", "点子"]) {
        "idea"
    } else if says(&["论", "浅谈", "浅析", "思考"]) {
        "theory"
    } else {
        "reflection"
    }
}

/// A content-relative path for the record that no file has yet: `minutes/2026/03-06-
/// <file stem>.md` (the date alone when the stem has no ASCII), with `-2`, `-3`, ...
/// when taken.
fn free_name(
    root: &Path,
    draft: &Draft,
    stem: &str,
    taken: &mut std::collections::BTreeSet<String>,
) -> String {
    let kind = draft.kind();
    let date = draft.date();
    let slug = slugify(stem);
    let (folder, day) = (record_folder(kind, date), date_stem(kind, date));
    let base = if slug.is_empty() {
        format!("{folder}/{day}")
    } else {
        format!("{folder}/{day}-{slug}")
    };
    let mut name = format!("{base}.md");
    let mut n = 2;
    while taken.contains(&name) || root.join(&name).exists() {
        name = format!("{base}-{n}.md");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests;
