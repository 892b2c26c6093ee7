//! The YAML ledgers: monthly study logs (学习台账, `logs/YYYY-MM.yaml`) and yearly
//! reviews (考评, `reviews/YYYY.yaml`).

use std::collections::BTreeMap;
use std::sync::Arc;

use ahash::AHashMap;
use serde::{Deserialize, Serialize};

use super::lines::FieldLines;
use super::log_reader::KnownPeople;
use super::types::{DeptId, PersonId, YearMonth};
use crate::config::Person;

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
        Some((data, index)) => (data, index),
        None => {
            let data = super::frontmatter::parse_yaml(text, file, 1)?;
            let index = LogIndex::scanned(&data, &lines, known);
            (data, index)
        }
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
    /// The self-study entries of the people org.yaml lists, each at the person's place
    /// in it ([`Person::place`]): the figures read every person's hours every month, an
    /// array read instead of a hash lookup.
    pub self_study: Vec<Option<SelfStudyEntry>>,
    /// The entries of anyone else, in the file's order (`check` reports them).
    pub self_study_others: Vec<SelfStudyEntry>,
    /// The line of `self_study:`, cited for a person the log does not list.
    pub self_study_block: usize,
    /// The line of each item of `notebook_checks` and of `attendance`.
    pub notebook_checks: Vec<usize>,
    pub attendance: Vec<usize>,
}

/// One line of a log's `self_study`.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfStudyEntry {
    pub person: PersonId,
    pub hours: f64,
    pub line: usize,
}

impl LogIndex {
    /// An index without entries, with room for the `known` people.
    pub(super) fn new(known: &KnownPeople) -> Self {
        LogIndex {
            self_study: vec![None; known.len()],
            self_study_others: Vec::new(),
            // Where the line scanner points for a missing section: the first line.
            self_study_block: 1,
            notebook_checks: Vec::new(),
            attendance: Vec::new(),
        }
    }

    /// Adds a self-study entry of the person at `place` among the known people (`None`:
    /// not one of them). `false` when the log has one for them already.
    pub(super) fn put_self_study(&mut self, place: Option<usize>, entry: SelfStudyEntry) -> bool {
        let slot = place.and_then(|i| self.self_study.get_mut(i));
        match slot {
            Some(Some(_)) => false,
            Some(slot) => {
                *slot = Some(entry);
                true
            }
            None => {
                let others = &mut self.self_study_others;
                if others.iter().any(|e| e.person == entry.person) {
                    return false;
                }
                others.push(entry);
                true
            }
        }
    }

    /// The index of `data`, with the lines the line scanner finds in its text.
    pub(super) fn scanned(data: &LogFile, lines: &FieldLines, known: &KnownPeople) -> Self {
        let mut index = LogIndex::new(known);
        lines.with_scan(|line| {
            for (person, &hours) in &data.self_study {
                let line = line(&format!("self_study.{person}"));
                let place = known.get(person.as_str()).map(|&(place, _)| place);
                let person = person.clone();
                index.put_self_study(
                    place,
                    SelfStudyEntry {
                        person,
                        hours,
                        line,
                    },
                );
            }
            // In the file's order, as the reader finds them.
            (index.self_study_others).sort_by_key(|e| e.line);
            let items = |list: &str, len: usize| -> Vec<usize> {
                (0..len).map(|i| line(&format!("{list}[{i}]"))).collect()
            };
            index.self_study_block = line("self_study");
            index.notebook_checks = items("notebook_checks", data.notebook_checks.len());
            index.attendance = items("attendance", data.attendance.len());
        });
        index
    }
}

impl Log {
    /// The log of `file` with its `index`. The self-study hours are read in the index
    /// only.
    pub(super) fn new(
        file: Arc<str>,
        lines: FieldLines,
        mut data: LogFile,
        index: LogIndex,
    ) -> Self {
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

    /// The self-study entry of `person` (a person of the org the log was read with),
    /// `None` when the log does not list them (0 hours is an entry).
    pub fn self_study_entry(&self, person: &Person) -> Option<&SelfStudyEntry> {
        let entry = self.index.self_study.get(person.place)?.as_ref()?;
        // Only a person of another org than the log's could be at another's place.
        (entry.person == person.id).then_some(entry)
    }

    /// Self-study hours of a person; a person missing from the log has 0 hours.
    pub fn hours(&self, person: &Person) -> f64 {
        self.self_study_entry(person).map_or(0.0, |e| e.hours)
    }

    /// A person's hours ([`Log::hours`]) and the line of their self-study entry (of
    /// `self_study:` when they are missing).
    pub fn self_study(&self, person: &Person) -> (f64, usize) {
        match self.self_study_entry(person) {
            Some(e) => (e.hours, e.line),
            None => (0.0, self.self_study_block()),
        }
    }

    /// The line of `self_study:`, cited for a person the log does not list.
    pub fn self_study_block(&self) -> usize {
        self.index.self_study_block
    }

    /// Every self-study entry: the known people's in the order of org.yaml, then the
    /// others' in the file's.
    pub fn self_study_entries(&self) -> impl Iterator<Item = &SelfStudyEntry> {
        (self.index.self_study.iter().flatten()).chain(&self.index.self_study_others)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, place: usize) -> Person {
        let yaml = format!("{{id: {id}, name: 某人, department: mishu}}");
        let person: Person = serde_yaml::from_str(&yaml).expect("a person");
        Person { place, ..person }
    }

    #[test]
    fn a_person_s_hours_are_read_at_their_place_in_org_yaml() {
        let ids = ["zhang-wei", "li-na", "sun-li"].map(PersonId::from);
        let known: KnownPeople = (ids.iter().enumerate())
            .map(|(place, id)| (id.as_str(), (place, id)))
            .collect();
        let text = "month: 2026-03\nself_study:\n  li-na: 18.5\n  zhang-wei: 22\n  nobody: 3\n";
        for shape in [text, &text.replace(": 22", ": 22  # 补登")] {
            // The usual shape, and one the YAML parser reads.
            let log = parse_log(shape, "logs/2026-03.yaml", &known).expect("a log");
            assert_eq!(log.self_study(&person("zhang-wei", 0)), (22.0, 4));
            assert_eq!(log.hours(&person("li-na", 1)), 18.5);
            // Missing from the log: 0 hours, citing `self_study:`.
            assert_eq!(log.self_study(&person("sun-li", 2)), (0.0, 2));
            // Someone else at a known person's place is not them.
            assert!(log.self_study_entry(&person("wang-fang", 1)).is_none());
            let entries: Vec<(&str, usize)> = (log.self_study_entries())
                .map(|e| (e.person.as_str(), e.line))
                .collect();
            assert_eq!(entries, [("zhang-wei", 4), ("li-na", 3), ("nobody", 5)]);
        }
    }
}
