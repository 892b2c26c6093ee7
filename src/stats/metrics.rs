//! The built-in metrics of the evaluation rubric (DESIGN.md, "How the figures are
//! defined"), per department and per person, over the months of one year in scope.
//!
//! rules.yaml names a metric in each criterion; this module is the only place that knows
//! what a metric means. Every value keeps its sources (session files, log and review
//! lines, essay files) so that a report or the site can show where a figure comes from,
//! unless the scope was asked to drop the person metrics' ([`Sources::Dropped`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ahash::AHashMap;
use serde::Serialize;

pub use crate::config::Metric;
use crate::config::Person;
use crate::content::ledger::{CheckResult, Log};
use crate::content::{Corpus, Kind, Record, YearMonth};

/// Where a figure comes from: a content-relative file and a line in it (0: the whole
/// file, as for a session record).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Source {
    /// Shared with the record or log it names (a year's figures cite hundreds of
    /// thousands of lines).
    pub file: Arc<str>,
    pub line: usize,
}

/// By file, then line.
impl Ord for Source {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Most sources sorted together share their file (a log's lines, one per person
        // and month): the same name is the same pointer, found before comparing bytes.
        let file = if Arc::ptr_eq(&self.file, &other.file) {
            std::cmp::Ordering::Equal
        } else {
            self.file.cmp(&other.file)
        };
        file.then(self.line.cmp(&other.line))
    }
}

impl PartialOrd for Source {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Source {
    /// A whole file: give the record's or log's own `file` to share it.
    pub fn file(file: impl Into<Arc<str>>) -> Self {
        Source {
            file: file.into(),
            line: 0,
        }
    }
}

/// The sources of a figure as they are found, sorted and made unique once at the end: a
/// year's self-study figure cites a ledger line per person and month, and a BTreeSet
/// insert per source cost more than the figure itself. A list made with
/// [`Sources::Dropped`] keeps nothing (the source is not even made).
struct SourceList {
    sources: Vec<Source>,
    kept: bool,
}

impl SourceList {
    fn new(sources: Sources) -> Self {
        SourceList {
            sources: Vec::new(),
            kept: sources == Sources::Kept,
        }
    }

    fn insert(&mut self, source: impl FnOnce() -> Source) {
        if self.kept {
            self.sources.push(source());
        }
    }

    fn into_sorted(mut self) -> Vec<Source> {
        self.sources.sort_unstable();
        self.sources.dedup();
        self.sources
    }
}

/// Whether the values of a kind of metric keep their sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sources {
    Kept,
    /// Figures only: the site shows people's scores without their sources (a ledger line
    /// per person and month, a file per session), and making them was a tenth of a
    /// year's evaluation.
    Dropped,
}

/// The value of one metric with what it was computed from: `count` out of `of` (for a
/// share; `of` is `None` for a plain count) and the sources, sorted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    pub value: f64,
    pub count: f64,
    pub of: Option<f64>,
    pub sources: Vec<Source>,
}

impl Value {
    /// `count / of`, 0 when there is nothing to count.
    fn share(count: f64, of: f64, sources: SourceList) -> Self {
        Value {
            value: if of > 0.0 { count / of } else { 0.0 },
            count,
            of: Some(of),
            sources: sources.into_sorted(),
        }
    }

    fn zero() -> Self {
        Value {
            value: 0.0,
            count: 0.0,
            of: None,
            sources: Vec::new(),
        }
    }
}

/// The records and logs of one year in scope (all twelve months, or those through a
/// month), gathered once and shared by every metric.
pub struct Scope<'a> {
    pub corpus: &'a Corpus,
    pub year: i32,
    pub months: Vec<YearMonth>,
    /// The months in scope with their first and last day and their log: a year's
    /// figures ask of every person and month whether the person counts and what the log
    /// says.
    spans: Vec<MonthSpan<'a>>,
    /// Non-draft minutes dated in the months in scope, oldest first.
    pub sessions: Vec<&'a Record>,
    /// Non-draft essays dated in the months in scope, oldest first.
    pub essays: Vec<&'a Record>,
    /// Per person id: the sessions in scope that list them, with whether they attended
    /// (`false`: listed as absent). Built once so person metrics do not rescan every
    /// session for every person.
    listed_in: AHashMap<&'a str, Vec<(&'a Record, bool)>>,
    /// Per author id: their essays in scope, oldest first.
    essays_by_author: AHashMap<&'a str, Vec<&'a Record>>,
    /// Per person id: their notebook checks in scope, as (log, index in the log).
    checks_by_person: AHashMap<&'a str, Vec<(&'a Log, usize)>>,
    /// Per person id: their attendance entries in scope, as (log, index in the log).
    attendance_by_person: AHashMap<&'a str, Vec<(&'a Log, usize)>>,
    /// People counted in at least one month in scope, in org.yaml order.
    counted: Vec<&'a Person>,
    /// Per department id: its counted people, and its sessions in scope (a county has
    /// a thousand departments: scanning everyone for each would grow with their square).
    counted_by_department: AHashMap<&'a str, Vec<&'a Person>>,
    sessions_by_department: AHashMap<&'a str, Vec<&'a Record>>,
    /// Whether the person metrics keep their sources ([`Scope::with_person_sources`]).
    person_sources: Sources,
}

/// Per person id, the entries of a list in the logs (`persons_of(log)` gives the person
/// of each entry, in order) as (log, index in the list).
fn by_person<'a, I: Iterator<Item = &'a str>>(
    logs: &[&'a Log],
    persons_of: impl Fn(&'a Log) -> I,
) -> AHashMap<&'a str, Vec<(&'a Log, usize)>> {
    let mut by: AHashMap<&str, Vec<(&Log, usize)>> = AHashMap::new();
    for &log in logs {
        for (i, person) in persons_of(log).enumerate() {
            by.entry(person).or_default().push((log, i));
        }
    }
    by
}

/// A month in scope ([`Scope::counted_months`]).
pub struct MonthSpan<'a> {
    pub month: YearMonth,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    /// The month's log, if there is one.
    pub log: Option<&'a Log>,
}

impl<'a> Scope<'a> {
    pub fn new(corpus: &'a Corpus, year: i32, through: Option<YearMonth>) -> Self {
        let months = YearMonth::months_of_year(year, through);
        // The records of the months in scope, through the month index: a year of a
        // ten-year site is a tenth of its records.
        let in_scope: Vec<&Record> = (months.iter())
            .filter_map(|m| corpus.index.by_month.get(m))
            .flatten()
            .map(|&i| &corpus.records[i])
            .filter(|r| !r.draft)
            .collect();
        let of_kind = |kind: Kind| -> Vec<&'a Record> {
            let mut list: Vec<&Record> = in_scope
                .iter()
                .copied()
                .filter(|r| r.kind == kind)
                .collect();
            list.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.file.cmp(&b.file)));
            list
        };
        let sessions = of_kind(Kind::Minutes);
        let essays = of_kind(Kind::Essay);
        let spans: Vec<MonthSpan> = (months.iter())
            .map(|&month| MonthSpan {
                month,
                first: month.first_day(),
                last: month.last_day(),
                log: corpus.logs.get(&month),
            })
            .collect();
        let logs: Vec<&Log> = spans.iter().filter_map(|s| s.log).collect();
        let mut listed_in: AHashMap<&str, Vec<(&Record, bool)>> = AHashMap::new();
        for &r in &sessions {
            if let Some(m) = r.minutes() {
                let listed = m.attendees.iter().map(|a| (a.as_str(), true));
                let absent = m.absent.iter().map(|a| (a.person.as_str(), false));
                for (person, attended) in listed.chain(absent) {
                    let list = listed_in.entry(person).or_default();
                    // A name written twice in one session is one listing.
                    if !list.last().is_some_and(|(last, _)| std::ptr::eq(*last, r)) {
                        list.push((r, attended));
                    }
                }
            }
        }
        let mut essays_by_author: AHashMap<&str, Vec<&Record>> = AHashMap::new();
        for &r in &essays {
            if let Some(author) = r.essay().and_then(|e| e.author.as_ref()) {
                essays_by_author.entry(author.as_str()).or_default().push(r);
            }
        }
        let checks_by_person = by_person(&logs, |log| {
            log.data.notebook_checks.iter().map(|c| c.person.as_str())
        });
        let attendance_by_person = by_person(&logs, |log| {
            log.data.attendance.iter().map(|a| a.person.as_str())
        });
        let counted: Vec<&Person> = (corpus.org.people.iter())
            .filter(|p| (spans.iter()).any(|s| p.on_staff_throughout(s.first, s.last)))
            .collect();
        let mut counted_by_department: AHashMap<&str, Vec<&Person>> = AHashMap::new();
        for &p in &counted {
            counted_by_department
                .entry(p.department.as_str())
                .or_default()
                .push(p);
        }
        let mut sessions_by_department: AHashMap<&str, Vec<&Record>> = AHashMap::new();
        for &r in &sessions {
            if let Some(d) = &r.department {
                sessions_by_department
                    .entry(d.as_str())
                    .or_default()
                    .push(r);
            }
        }
        Scope {
            corpus,
            year,
            months,
            spans,
            sessions,
            essays,
            listed_in,
            essays_by_author,
            checks_by_person,
            attendance_by_person,
            counted,
            counted_by_department,
            sessions_by_department,
            person_sources: Sources::Kept,
        }
    }

    /// The scope with the person metrics' sources kept or dropped (kept by default).
    pub fn with_person_sources(mut self, sources: Sources) -> Self {
        self.person_sources = sources;
        self
    }

    /// The months in scope in which `person` counts.
    pub fn counted_months<'s>(
        &'s self,
        person: &'s Person,
    ) -> impl Iterator<Item = &'s MonthSpan<'a>> + 's {
        (self.spans.iter()).filter(|s| person.on_staff_throughout(s.first, s.last))
    }

    fn is_collective(&self, r: &Record) -> bool {
        r.minutes()
            .is_some_and(|m| self.corpus.rules.collective_kinds.contains(&m.kind))
    }

    /// Collective sessions held by a department.
    fn collective_of<'s>(&'s self, dept: &'s str) -> impl Iterator<Item = &'a Record> + 's {
        self.sessions_of(dept).filter(|r| self.is_collective(r))
    }

    /// Sessions held by a department, oldest first.
    fn sessions_of<'s>(&'s self, dept: &str) -> impl Iterator<Item = &'a Record> + 's {
        (self.sessions_by_department.get(dept).into_iter().flatten()).copied()
    }

    /// People counted in at least one month in scope (DESIGN.md: counted people of a
    /// year), in org.yaml order.
    pub fn counted_people(&self) -> impl Iterator<Item = &'a Person> + '_ {
        self.counted.iter().copied()
    }

    /// Counted people of a department.
    pub fn counted_people_of<'s>(&'s self, dept: &'s str) -> impl Iterator<Item = &'a Person> + 's {
        (self.counted_by_department.get(dept).into_iter().flatten()).copied()
    }

    /// A person's notebook checks in scope, as (log, index in its `notebook_checks`),
    /// in log order.
    pub fn checks_of<'s>(&'s self, person: &str) -> impl Iterator<Item = (&'a Log, usize)> + 's {
        self.checks_by_person
            .get(person)
            .into_iter()
            .flatten()
            .copied()
    }

    /// A person's attendance entries in scope, as (log, index in its `attendance`), in
    /// log order.
    pub fn attendance_of<'s>(
        &'s self,
        person: &str,
    ) -> impl Iterator<Item = (&'a Log, usize)> + 's {
        self.attendance_by_person
            .get(person)
            .into_iter()
            .flatten()
            .copied()
    }

    /// Non-draft essays in scope written by a person.
    pub fn essays_of<'s>(&'s self, person: &'s str) -> impl Iterator<Item = &'a Record> + 's {
        self.essays_by_author
            .get(person)
            .into_iter()
            .flatten()
            .copied()
    }

    /// The sessions in scope that list a person, with whether they attended.
    fn listings<'s>(&'s self, person: &'s str) -> impl Iterator<Item = (&'a Record, bool)> + 's {
        self.listed_in.get(person).into_iter().flatten().copied()
    }

    fn essay_quota_for(&self, person: &Person) -> u32 {
        self.corpus
            .rules
            .requirements
            .essays_per_year
            .for_role(person.role)
    }

    // ---- department metrics ----

    /// Months with at least the required collective sessions / months in scope.
    pub fn dept_collective_months(&self, dept: &str) -> Value {
        let required = self.corpus.rules.requirements.collective_sessions_per_month as usize;
        let mut sources = SourceList::new(Sources::Kept);
        let mut by_month: BTreeMap<YearMonth, usize> = BTreeMap::new();
        for r in self.collective_of(dept) {
            sources.insert(|| Source::file(r.file.clone()));
            if let Some(m) = r.month() {
                *by_month.entry(m).or_default() += 1;
            }
        }
        let met = self
            .months
            .iter()
            .filter(|m| by_month.get(m).copied().unwrap_or(0) >= required)
            .count();
        Value::share(met as f64, self.months.len() as f64, sources)
    }

    /// Sum of attendees / sum of (attendees + absent) over its collective sessions.
    pub fn dept_attendance_rate(&self, dept: &str) -> Value {
        let (mut present, mut listed) = (0usize, 0usize);
        let mut sources = SourceList::new(Sources::Kept);
        for r in self.collective_of(dept) {
            if let Some(m) = r.minutes() {
                present += m.attendees.len();
                listed += m.attendees.len() + m.absent.len();
                sources.insert(|| Source::file(r.file.clone()));
            }
        }
        Value::share(present as f64, listed as f64, sources)
    }

    /// Share of (person, month) pairs of its counted people at or above the required
    /// self-study hours.
    pub fn dept_self_study_compliance(&self, dept: &str) -> Value {
        self.self_study_compliance(self.counted_people_of(dept), Sources::Kept)
    }

    /// Share of its counted people whose essays reach the quota of their role.
    pub fn dept_essay_quota(&self, dept: &str) -> Value {
        let mut sources = SourceList::new(Sources::Kept);
        let (mut reached, mut people) = (0usize, 0usize);
        for p in self.counted_people_of(dept) {
            people += 1;
            let mut essays = 0;
            for r in self.essays_of(p.id.as_str()) {
                essays += 1;
                sources.insert(|| Source::file(r.file.clone()));
            }
            if essays >= self.essay_quota_for(p) as usize {
                reached += 1;
            }
        }
        Value::share(reached as f64, people as f64, sources)
    }

    /// Passes / notebook checks of its people (everyone of the department in org.yaml).
    pub fn dept_notebook_pass_rate(&self, dept: &str) -> Value {
        let people: Vec<&str> = (self.corpus.org.people_of(dept))
            .map(|p| p.id.as_str())
            .collect();
        self.notebook_pass_rate(&people, Sources::Kept)
    }

    /// Number of distinct kinds among its sessions.
    pub fn dept_session_kinds(&self, dept: &str) -> Value {
        self.session_kinds(self.sessions_of(dept), Sources::Kept)
    }

    /// Its review score for the criterion / 10, 0 when missing.
    pub fn dept_review(&self, dept: &str, criterion: &str) -> Value {
        let Some(review) = self.corpus.reviews.get(&self.year) else {
            return Value::zero();
        };
        let Some(score) = review
            .data
            .departments
            .get(dept)
            .and_then(|d| d.scores.get(criterion))
        else {
            return Value::zero();
        };
        Value {
            value: score / 10.0,
            count: *score,
            of: Some(10.0),
            sources: vec![Source {
                file: review.file.clone(),
                line: review
                    .lines
                    .line(&format!("departments.{dept}.scores.{criterion}")),
            }],
        }
    }

    /// A department metric by kind; `criterion` is the criterion id (for `review`).
    pub fn dept_metric(&self, metric: Metric, dept: &str, criterion: &str) -> Value {
        match metric {
            Metric::CollectiveMonths => self.dept_collective_months(dept),
            Metric::AttendanceRate => self.dept_attendance_rate(dept),
            Metric::SelfStudyCompliance => self.dept_self_study_compliance(dept),
            Metric::EssayQuota => self.dept_essay_quota(dept),
            Metric::NotebookPassRate => self.dept_notebook_pass_rate(dept),
            Metric::SessionKinds => self.dept_session_kinds(dept),
            Metric::Review => self.dept_review(dept, criterion),
        }
    }

    // ---- person metrics ----

    /// Collective sessions (of any department) where the person is listed as attendee.
    fn attended_collective<'s>(&'s self, person: &'s str) -> impl Iterator<Item = &'a Record> + 's {
        self.listings(person)
            .filter(|&(r, attended)| attended && self.is_collective(r))
            .map(|(r, _)| r)
    }

    /// Of the months in scope in which the person is counted, the share in which they
    /// attended at least the required number of collective sessions.
    pub fn person_collective_months(&self, person: &Person) -> Value {
        let required = self.corpus.rules.requirements.collective_sessions_per_month as usize;
        let mut sources = SourceList::new(self.person_sources);
        let mut by_month: BTreeMap<YearMonth, usize> = BTreeMap::new();
        for r in self.attended_collective(person.id.as_str()) {
            sources.insert(|| Source::file(r.file.clone()));
            if let Some(m) = r.month() {
                *by_month.entry(m).or_default() += 1;
            }
        }
        let counted: Vec<YearMonth> = self.counted_months(person).map(|s| s.month).collect();
        let met = counted
            .iter()
            .filter(|m| by_month.get(m).copied().unwrap_or(0) >= required)
            .count();
        Value::share(met as f64, counted.len() as f64, sources)
    }

    /// Collective sessions where listed as attendee / collective sessions where listed at
    /// all (attendee or absent).
    pub fn person_attendance_rate(&self, person: &Person) -> Value {
        let (mut present, mut listed) = (0usize, 0usize);
        let mut sources = SourceList::new(self.person_sources);
        let mut seen = BTreeSet::new();
        for (r, attended) in self.listings(person.id.as_str()) {
            if !self.is_collective(r) || !seen.insert(&r.file[..]) {
                continue;
            }
            listed += 1;
            present += usize::from(attended);
            sources.insert(|| Source::file(r.file.clone()));
        }
        Value::share(present as f64, listed as f64, sources)
    }

    pub fn person_self_study_compliance(&self, person: &Person) -> Value {
        self.self_study_compliance(std::iter::once(person), self.person_sources)
    }

    /// min(1, essays / quota of the role); 1 when the quota is 0.
    pub fn person_essay_quota(&self, person: &Person) -> Value {
        let mut essays = SourceList::new(self.person_sources);
        // Each essay once: a record is one file.
        let mut n = 0.0;
        for r in self.essays_of(person.id.as_str()) {
            n += 1.0;
            essays.insert(|| Source::file(r.file.clone()));
        }
        let essays = essays.into_sorted();
        let quota = f64::from(self.essay_quota_for(person));
        Value {
            value: if quota > 0.0 {
                (n / quota).min(1.0)
            } else {
                1.0
            },
            count: n,
            of: Some(quota),
            sources: essays,
        }
    }

    pub fn person_notebook_pass_rate(&self, person: &Person) -> Value {
        self.notebook_pass_rate(&[person.id.as_str()], self.person_sources)
    }

    /// Number of distinct kinds among the sessions the person attended.
    pub fn person_session_kinds(&self, person: &Person) -> Value {
        self.session_kinds(
            self.listings(person.id.as_str())
                .filter(|&(_, attended)| attended)
                .map(|(r, _)| r),
            self.person_sources,
        )
    }

    /// A person metric by kind. People have no review scores: `review` is 0 (and
    /// `check` rejects it in person_criteria).
    pub fn person_metric(&self, metric: Metric, person: &Person) -> Value {
        match metric {
            Metric::CollectiveMonths => self.person_collective_months(person),
            Metric::AttendanceRate => self.person_attendance_rate(person),
            Metric::SelfStudyCompliance => self.person_self_study_compliance(person),
            Metric::EssayQuota => self.person_essay_quota(person),
            Metric::NotebookPassRate => self.person_notebook_pass_rate(person),
            Metric::SessionKinds => self.person_session_kinds(person),
            Metric::Review => Value::zero(),
        }
    }

    // ---- shared by both ----

    /// (person, month) pairs of counted people; a person missing from a month's log, or a
    /// month without a log, has 0 hours.
    fn self_study_compliance<'p>(
        &self,
        people: impl Iterator<Item = &'p Person>,
        kept: Sources,
    ) -> Value {
        let required = self.corpus.rules.requirements.self_study_hours_per_month;
        let mut sources = SourceList::new(kept);
        let (mut met, mut pairs) = (0usize, 0usize);
        for p in people {
            for month in self.counted_months(p) {
                pairs += 1;
                let Some(log) = month.log else {
                    continue;
                };
                let (hours, line) = log.self_study(p);
                sources.insert(|| Source {
                    file: log.file.clone(),
                    line,
                });
                if hours >= required {
                    met += 1;
                }
            }
        }
        Value::share(met as f64, pairs as f64, sources)
    }

    /// Passes / checks of the notebook checks in scope of `people`.
    fn notebook_pass_rate(&self, people: &[&str], kept: Sources) -> Value {
        let mut sources = SourceList::new(kept);
        let (mut passes, mut checks) = (0usize, 0usize);
        for person in people {
            for &(log, i) in self.checks_by_person.get(person).into_iter().flatten() {
                checks += 1;
                let passed = log.data.notebook_checks[i].result == CheckResult::Pass;
                passes += usize::from(passed);
                sources.insert(|| Source {
                    file: log.file.clone(),
                    line: log.notebook_check_line(i),
                });
            }
        }
        Value::share(passes as f64, checks as f64, sources)
    }

    fn session_kinds(&self, sessions: impl Iterator<Item = &'a Record>, kept: Sources) -> Value {
        let mut kinds = BTreeSet::new();
        let mut sources = SourceList::new(kept);
        for r in sessions {
            if let Some(m) = r.minutes() {
                kinds.insert(m.kind.as_str());
                sources.insert(|| Source::file(r.file.clone()));
            }
        }
        let n = kinds.len() as f64;
        Value {
            value: n,
            count: n,
            of: None,
            sources: sources.into_sorted(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_sort_by_file_name_then_line_whether_or_not_they_share_the_name() {
        let log: Arc<str> = Arc::from("logs/2026-03.yaml");
        let source = |file: &Arc<str>, line| Source {
            file: file.clone(),
            line,
        };
        let copy: Arc<str> = Arc::from("logs/2026-03.yaml");
        let minutes: Arc<str> = Arc::from("minutes/a.md");
        let mut list = SourceList::new(Sources::Kept);
        for s in [
            source(&minutes, 0),
            source(&log, 12),
            source(&copy, 3),
            source(&log, 3),
            source(&copy, 12),
        ] {
            list.insert(|| s);
        }
        let sorted = list.into_sorted();
        let sorted: Vec<(&str, usize)> = sorted.iter().map(|s| (&*s.file, s.line)).collect();
        // Sorted and without duplicates, a shared name or a copy alike.
        assert_eq!(
            sorted,
            [
                ("logs/2026-03.yaml", 3),
                ("logs/2026-03.yaml", 12),
                ("minutes/a.md", 0)
            ]
        );
    }
}
