//! The YAML ledgers: monthly study logs (学习台账, `logs/YYYY-MM.yaml`) and yearly
//! reviews (考评, `reviews/YYYY.yaml`).

use std::collections::BTreeMap;
use std::sync::Arc;

use ahash::AHashMap;
use serde::{Deserialize, Serialize};

use super::lines::FieldLines;
use super::log_reader::KnownPeople;
use super::types::{DeptId, PersonId, YearMonth};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckResult {
    Pass,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotebookCheck {
    pub person: PersonId,
    pub result: CheckResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkAttendance {
    pub person: PersonId,
    #[serde(default)]
    pub late: u32,
    #[serde(default)]
    pub absent_days: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogFile {
    pub month: YearMonth,
    /// As the file gives it. [`Log::new`] moves it into the log's index, beside the
    /// line of each entry: read it there, with [`Log::self_study`] and
    /// [`Log::self_study_entries`] (a county's log has thousands of people: two maps of
    /// them were 12 MB of a 10,000-record build's 164 MB heap).
    #[serde(default)]
    pub self_study: AHashMap<PersonId, f64>,
    #[serde(default)]
    pub notebook_checks: Vec<NotebookCheck>,
    #[serde(default)]
    pub attendance: Vec<WorkAttendance>,
}

/// Reads the log `file` holding `text`: in its usual shape without the YAML parser
/// ([`super::log_reader`]), else with it (which words any error).
/// The ids of `known` people are shared with the log.
pub(super) fn parse_log(
    text: &str,
    file: &str,
    known: &KnownPeople,
) -> Result<Log, crate::error::Diagnostic> {
    let lines = FieldLines::scan(text, 1);
    let (data, index) = match super::log_reader::read(text, known) {
        Some((data, index)) => (data, Some(index)),
        None => (super::frontmatter::parse_yaml(text, file, 1)?, None),
    };
    Ok(Log::new(file.into(), lines, data, index))
}

/// One month's study log, with where it came from.
#[derive(Debug, Clone)]
pub struct Log {
    /// Shared by the figures that cite the log's lines.
    pub file: Arc<str>,
    pub lines: FieldLines,
    pub data: LogFile,
    /// Every report asks for every counted person of every month, with the line of
    /// their entry.
    index: LogIndex,
}

/// What the reports look up in a log, with the lines they cite, found in one scan of
/// the file that is not kept (a county's full field map would hold megabytes that only
/// a problem asks for again).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LogIndex {
    /// Person -> (hours, line of their entry).
    pub self_study: AHashMap<PersonId, (f64, usize)>,
    /// The line of `self_study:`, cited for a person the log does not list.
    pub self_study_block: usize,
    /// The line of each item of `notebook_checks` and of `attendance`.
    pub notebook_checks: Vec<usize>,
    pub attendance: Vec<usize>,
}

impl LogIndex {
    /// The index of `data`, with the lines the line scanner finds in its text.
    pub(super) fn scanned(data: &LogFile, lines: &FieldLines) -> Self {
        lines.with_scan(|line| {
            let items = |list: &str, len: usize| -> Vec<usize> {
                (0..len).map(|i| line(&format!("{list}[{i}]"))).collect()
            };
            LogIndex {
                self_study: (data.self_study.iter())
                    .map(|(person, &hours)| {
                        let at = line(&format!("self_study.{person}"));
                        (person.clone(), (hours, at))
                    })
                    .collect(),
                self_study_block: line("self_study"),
                notebook_checks: items("notebook_checks", data.notebook_checks.len()),
                attendance: items("attendance", data.attendance.len()),
            }
        })
    }
}

impl Log {
    /// The log of `file`; `index`, when its reader made one, saves scanning its lines.
    /// The self-study hours move from `data` into the index.
    pub(super) fn new(
        file: Arc<str>,
        lines: FieldLines,
        mut data: LogFile,
        index: Option<LogIndex>,
    ) -> Self {
        let index = index.unwrap_or_else(|| LogIndex::scanned(&data, &lines));
        data.self_study = AHashMap::new();
        Log {
            file,
            lines,
            data,
            index,
        }
    }

    pub fn month(&self) -> YearMonth {
        self.data.month
    }

    /// Self-study hours of a person; a person missing from the log has 0 hours.
    pub fn hours(&self, person: &str) -> f64 {
        self.index.self_study.get(person).map_or(0.0, |e| e.0)
    }

    /// A person's hours ([`Log::hours`]) and the line of their self-study entry (of
    /// `self_study:` when they are missing), found in one lookup.
    pub fn self_study(&self, person: &str) -> (f64, usize) {
        let index = &self.index;
        (index.self_study.get(person)).map_or((0.0, index.self_study_block), |&entry| entry)
    }

    /// Whether the log has a self-study entry for `person` (0 hours is an entry).
    pub fn lists(&self, person: &str) -> bool {
        self.index.self_study.contains_key(person)
    }

    /// Every self-study entry: person, hours and the line of the entry, in no order.
    pub fn self_study_entries(&self) -> impl Iterator<Item = (&PersonId, f64, usize)> {
        (self.index.self_study.iter()).map(|(person, &(hours, line))| (person, hours, line))
    }

    /// The line of item `i` of `notebook_checks`.
    pub fn notebook_check_line(&self, i: usize) -> usize {
        match self.index.notebook_checks.get(i) {
            Some(&line) => line,
            None => self.lines.line("notebook_checks"),
        }
    }

    /// The line of item `i` of `attendance`.
    pub fn attendance_line(&self, i: usize) -> usize {
        match self.index.attendance.get(i) {
            Some(&line) => line,
            None => self.lines.line("attendance"),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeptReview {
    #[serde(default)]
    pub scores: BTreeMap<String, f64>,
    #[serde(default)]
    pub veto: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonReview {
    #[serde(default)]
    pub sanction: bool,
    #[serde(default)]
    pub criticised_errors: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    pub year: i32,
    #[serde(default)]
    pub departments: BTreeMap<DeptId, DeptReview>,
    #[serde(default)]
    pub people: BTreeMap<PersonId, PersonReview>,
}

/// One year's review, with where it came from.
#[derive(Debug, Clone)]
pub struct Review {
    pub file: Arc<str>,
    pub lines: FieldLines,
    pub data: ReviewFile,
}
