//! The YAML ledgers: monthly study logs (学习台账, `logs/YYYY-MM.yaml`) and yearly
//! reviews (考评, `reviews/YYYY.yaml`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lines::FieldLines;
use super::types::{DeptId, PersonId, YearMonth};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckResult {
    Pass,
    Fail,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotebookCheck {
    pub person: PersonId,
    pub result: CheckResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkAttendance {
    pub person: PersonId,
    #[serde(default)]
    pub late: u32,
    #[serde(default)]
    pub absent_days: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogFile {
    pub month: YearMonth,
    #[serde(default)]
    pub self_study: BTreeMap<PersonId, f64>,
    #[serde(default)]
    pub notebook_checks: Vec<NotebookCheck>,
    #[serde(default)]
    pub attendance: Vec<WorkAttendance>,
}

/// One month's study log, with where it came from.
#[derive(Debug, Clone)]
pub struct Log {
    pub file: String,
    pub lines: FieldLines,
    pub data: LogFile,
}

impl Log {
    pub fn month(&self) -> YearMonth {
        self.data.month
    }

    /// Self-study hours of a person; a person missing from the log has 0 hours.
    pub fn hours(&self, person: &str) -> f64 {
        self.data.self_study.get(person).copied().unwrap_or(0.0)
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
    pub file: String,
    pub lines: FieldLines,
    pub data: ReviewFile,
}
