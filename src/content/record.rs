//! Markdown records: plans, minutes, cases and essays, parsed from their front matter into
//! typed structs. The kind of a record is the name of its top folder.
//!
//! Each kind has its own front-matter struct with `deny_unknown_fields`, so a misspelt
//! field is an error with a "did you mean" hint. Fields a record must have are optional
//! here and checked in `validate`, so that one run reports all of them at once.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::frontmatter::{self, parse_yaml};
use super::lines::FieldLines;
use super::types::{DeptId, Period, PersonId, YearMonth, opt_date};
use crate::error::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Plan,
    Minutes,
    Case,
    Essay,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Plan, Kind::Minutes, Kind::Case, Kind::Essay];

    /// The content folder (and URL section) of the kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Plan => "plans",
            Kind::Minutes => "minutes",
            Kind::Case => "cases",
            Kind::Essay => "essays",
        }
    }

    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == folder)
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Minutes => "minutes",
            Kind::Case => "case",
            Kind::Essay => "essay",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == name || k.folder() == name)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Plan => "学习计划",
            Kind::Minutes => "学习记录",
            Kind::Case => "典型案例",
            Kind::Essay => "心得文章",
        }
    }
}

/// One Markdown record with its common fields and the fields of its kind.
#[derive(Debug, Clone)]
pub struct Record {
    pub kind: Kind,
    /// Path relative to the content directory, `/`-separated; shared by the figures
    /// that cite the record.
    pub file: Arc<str>,
    /// URL path relative to the site root, ending in `/` (`minutes/2026/03-06-dangzhang/`).
    pub path: String,
    pub slug: String,
    pub title: String,
    /// Only `None` for a record whose date was missing (an error is reported).
    pub date: Option<NaiveDate>,
    pub department: Option<DeptId>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    pub body: String,
    pub body_line: usize,
    pub lines: FieldLines,
    pub data: RecordData,
}

#[derive(Debug, Clone)]
pub enum RecordData {
    Plan(Plan),
    Minutes(Minutes),
    Case(Case),
    Essay(Essay),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Org,
    Department,
    Person,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleItem {
    #[serde(with = "super::types::date")]
    pub date: NaiveDate,
    pub topic: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub period: Option<Period>,
    pub scope: Scope,
    pub person: Option<PersonId>,
    pub schedule: Vec<ScheduleItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Absence {
    pub person: PersonId,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Minutes {
    pub kind: String,
    pub hours: f64,
    pub host: Option<PersonId>,
    pub speaker: Option<String>,
    pub attendees: Vec<PersonId>,
    pub absent: Vec<Absence>,
    pub materials: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Unit,
    County,
    City,
    Province,
    National,
}

impl Level {
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::Unit => "单位级",
            Level::County => "县级",
            Level::City => "市级",
            Level::Province => "省级",
            Level::National => "国家级",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub person: Option<PersonId>,
    /// Content-relative path of the cover image, resolved from the front matter.
    pub cover: Option<String>,
    pub level: Option<Level>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EssayKind {
    Reflection,
    Research,
    Theory,
    Reading,
    Idea,
}

impl EssayKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            EssayKind::Reflection => "心得体会",
            EssayKind::Research => "调研报告",
            EssayKind::Theory => "理论文章",
            EssayKind::Reading => "读书笔记",
            EssayKind::Idea => "金点子",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Essay {
    pub author: Option<PersonId>,
    pub kind: EssayKind,
    pub adopted_by: Option<String>,
    pub featured: Option<YearMonth>,
}

/// Declares a front-matter struct: the fields every record has, then the kind's own.
macro_rules! front_matter {
    ($name:ident { $($field:ident : $ty:ty $(=> $attr:meta)?),* $(,)? }) => {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name {
            title: Option<String>,
            #[serde(default, with = "opt_date")]
            date: Option<NaiveDate>,
            #[serde(default)]
            department: Option<DeptId>,
            #[serde(default)]
            tags: Vec<String>,
            #[serde(default)]
            summary: Option<String>,
            #[serde(default)]
            draft: bool,
            #[serde(default)]
            slug: Option<String>,
            $( $(#[$attr])? #[serde(default)] $field: $ty, )*
        }
    };
}

front_matter!(PlanFront {
    period: Option<Period>,
    scope: Option<Scope>,
    person: Option<PersonId>,
    schedule: Vec<ScheduleItem>,
});
front_matter!(MinutesFront {
    kind: Option<String>,
    hours: Option<f64>,
    host: Option<PersonId>,
    speaker: Option<String>,
    attendees: Vec<PersonId>,
    absent: Vec<Absence>,
    materials: Vec<String>,
});
front_matter!(CaseFront {
    person: Option<PersonId>,
    cover: Option<String>,
    level: Option<Level>,
});
front_matter!(EssayFront {
    author: Option<PersonId>,
    kind: Option<EssayKind>,
    adopted_by: Option<String>,
    featured: Option<YearMonth>,
});

/// The common fields after parsing, before they are placed into a [`Record`].
struct Common {
    title: Option<String>,
    date: Option<NaiveDate>,
    department: Option<DeptId>,
    tags: Vec<String>,
    summary: Option<String>,
    draft: bool,
    slug: Option<String>,
}

macro_rules! common_of {
    ($f:expr) => {
        Common {
            title: $f.title,
            date: $f.date,
            department: $f.department,
            tags: $f.tags,
            summary: $f.summary,
            draft: $f.draft,
            slug: $f.slug,
        }
    };
}

/// Parses one Markdown record. `file` is its content-relative path (`minutes/2026/a.md`).
/// Returns the record, or every problem that prevents reading it.
pub fn parse_record(kind: Kind, file: &str, text: &str) -> Result<Record, Vec<Diagnostic>> {
    let split = frontmatter::split(text)
        .map_err(|e| vec![Diagnostic::error(file, e.line, "", e.message).with_hint(e.hint)])?;
    let yaml_line = split.yaml_line;
    let (common, data) = match kind {
        Kind::Plan => {
            let f: PlanFront = parse_yaml(split.yaml, file, yaml_line).map_err(|d| vec![d])?;
            let scope = f.scope.unwrap_or(if f.person.is_some() {
                Scope::Person
            } else if f.department.is_some() {
                Scope::Department
            } else {
                Scope::Org
            });
            let data = RecordData::Plan(Plan {
                period: f.period,
                scope,
                person: f.person.clone(),
                schedule: f.schedule,
            });
            (common_of!(f), data)
        }
        Kind::Minutes => {
            let f: MinutesFront = parse_yaml(split.yaml, file, yaml_line).map_err(|d| vec![d])?;
            let data = RecordData::Minutes(Minutes {
                kind: f.kind.clone().unwrap_or_default(),
                hours: f.hours.unwrap_or(f64::NAN),
                host: f.host.clone(),
                speaker: f.speaker.clone(),
                attendees: f.attendees.clone(),
                absent: f.absent.clone(),
                materials: f.materials.clone(),
            });
            (common_of!(f), data)
        }
        Kind::Case => {
            let f: CaseFront = parse_yaml(split.yaml, file, yaml_line).map_err(|d| vec![d])?;
            let data = RecordData::Case(Case {
                person: f.person.clone(),
                cover: f.cover.clone(),
                level: f.level,
            });
            (common_of!(f), data)
        }
        Kind::Essay => {
            let f: EssayFront = parse_yaml(split.yaml, file, yaml_line).map_err(|d| vec![d])?;
            let data = RecordData::Essay(Essay {
                author: f.author.clone(),
                kind: f.kind.unwrap_or(EssayKind::Reflection),
                adopted_by: f.adopted_by.clone(),
                featured: f.featured,
            });
            (common_of!(f), data)
        }
    };
    let lines = FieldLines::scan(split.yaml, yaml_line);
    let mut problems = Vec::new();
    let slug = match slug_for(file, common.slug.as_deref()) {
        Ok(slug) => slug,
        Err(message) => {
            let line = lines.line("slug");
            problems.push(Diagnostic::error(file, line, "slug", message).with_hint(
                "use lowercase ASCII letters, digits and `-`, e.g. `slug: dangzhang-xuexi`",
            ));
            String::new()
        }
    };
    let title = common
        .title
        .map(|t| t.trim().to_string())
        .unwrap_or_default();
    if title.is_empty() {
        problems.push(
            Diagnostic::error(file, lines.line("title"), "title", "missing or empty title")
                .with_hint("add `title: ...` to the front matter"),
        );
    }
    if common.date.is_none() {
        problems.push(
            Diagnostic::error(file, lines.line("date"), "date", "missing date")
                .with_hint("add `date: YYYY-MM-DD`, the day it happened or was written"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let dir = file.rsplit_once('/').map_or("", |(dir, _)| dir);
    Ok(Record {
        kind,
        file: file.into(),
        path: [dir, "/", &slug, "/"].concat(),
        slug,
        title,
        date: common.date,
        department: common.department,
        tags: common
            .tags
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        summary: common.summary.filter(|s| !s.trim().is_empty()),
        draft: common.draft,
        body: split.body.to_string(),
        body_line: split.body_line,
        lines,
        data,
    })
}

/// The URL name of a record: its `slug` field, or its file stem made URL-safe.
fn slug_for(file: &str, slug: Option<&str>) -> Result<String, String> {
    if let Some(slug) = slug {
        let ok = !slug.is_empty()
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        return if ok {
            Ok(slug.to_string())
        } else {
            Err(format!("slug `{slug}` may only hold a-z, 0-9 and -"))
        };
    }
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let slug = slugify(stem);
    if slug.is_empty() || !stem.is_ascii() {
        return Err(format!(
            "file name `{name}` does not make a URL; name the file in ASCII or add a `slug`"
        ));
    }
    Ok(slug)
}

/// Lowercases ASCII, turns runs of other characters into one `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

impl Record {
    pub fn minutes(&self) -> Option<&Minutes> {
        match &self.data {
            RecordData::Minutes(m) => Some(m),
            _ => None,
        }
    }

    pub fn plan(&self) -> Option<&Plan> {
        match &self.data {
            RecordData::Plan(p) => Some(p),
            _ => None,
        }
    }

    pub fn essay(&self) -> Option<&Essay> {
        match &self.data {
            RecordData::Essay(e) => Some(e),
            _ => None,
        }
    }

    pub fn case(&self) -> Option<&Case> {
        match &self.data {
            RecordData::Case(c) => Some(c),
            _ => None,
        }
    }

    /// The month the record belongs to (its date's month).
    pub fn month(&self) -> Option<YearMonth> {
        self.date.map(YearMonth::of)
    }

    /// Every person the record is about: author, person, host, attendees, absentees.
    pub fn people(&self) -> Vec<&PersonId> {
        let mut people: Vec<&PersonId> = match &self.data {
            RecordData::Plan(p) => p.person.iter().collect(),
            RecordData::Minutes(m) => m
                .host
                .iter()
                .chain(m.attendees.iter())
                .chain(m.absent.iter().map(|a| &a.person))
                .collect(),
            RecordData::Case(c) => c.person.iter().collect(),
            RecordData::Essay(e) => e.author.iter().collect(),
        };
        people.sort();
        people.dedup();
        people
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(front: &str) -> Result<Record, Vec<Diagnostic>> {
        parse_record(
            Kind::Minutes,
            "minutes/2026/03-06-dangzhang.md",
            &format!("---\n{front}---\n正文\n"),
        )
    }

    #[test]
    fn parses_minutes_with_url_from_file_path() {
        let r = minutes("title: 学习党章\ndate: 2026-03-06\ndepartment: mishu\nkind: 集中学习\nhours: 2\nattendees: [zhang-wei]\nabsent:\n  - {person: li-na, reason: 病假}\n").expect("record");
        assert_eq!(r.path, "minutes/2026/03-06-dangzhang/");
        assert_eq!(r.body_line, 11);
        let m = r.minutes().expect("minutes");
        assert_eq!(
            (m.kind.as_str(), m.hours, m.absent[0].reason.as_str()),
            ("集中学习", 2.0, "病假")
        );
    }

    #[test]
    fn reports_missing_title_and_date_together() {
        let errors = minutes("title: \"  \"\nkind: 集中学习\n").expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|d| (d.field.as_str(), d.line)).collect();
        assert_eq!(fields, [("title", 2), ("date", 2)]);
    }

    #[test]
    fn rejects_bad_slugs_and_chinese_file_names() {
        let e = minutes("title: a\ndate: 2026-03-06\nslug: 党章\n").expect_err("slug");
        assert_eq!((e[0].field.as_str(), e[0].line), ("slug", 4));
        let e = parse_record(
            Kind::Essay,
            "essays/心得.md",
            "---\ntitle: a\ndate: 2026-03-06\n---\n",
        )
        .expect_err("stem");
        assert!(e[0].message.contains("add a `slug`"));
        assert_eq!(slugify("03_06 Dang Zhang"), "03-06-dang-zhang");
    }

    #[test]
    fn unknown_field_in_a_kind_names_the_closest_one() {
        let e = minutes("title: a\ndate: 2026-03-06\nattendes: []\n").expect_err("unknown");
        assert_eq!((e[0].field.as_str(), e[0].line), ("attendes", 4));
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `attendees`?"));
    }

    #[test]
    fn invalid_date_is_reported_on_its_line() {
        let e = minutes("title: a\ndate: 2025-02-31\n").expect_err("date");
        assert_eq!(e[0].line, 3);
        assert!(
            e[0].message.contains("2025-02 has 28 days"),
            "{}",
            e[0].message
        );
    }
}
