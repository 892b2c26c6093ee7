//! Monthly briefing figures (see DESIGN.md, "How the figures are defined").
//!
//! [`monthly`] computes, for one month, the totals of the office and of each department,
//! the warnings a briefing raises, and the lists it prints (sessions, featured essays,
//! cases, next month's plan). Every figure keeps the files it was computed from in its
//! `sources`, so a page can link each number to its records. Drafts never count.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use ahash::AHashMap;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::config::Person;
use crate::content::ledger::{Log, SelfStudyEntry};
use crate::content::record::{Record, Scope};
use crate::content::{Corpus, DeptId, Kind, PersonId, YearMonth};
use crate::git::FileHistory;
use crate::numbers::percent_figure as percent;

/// A department whose self-study compliance is below this share gets a warning.
pub const SELF_STUDY_WARNING_RATE: f64 = 0.8;

/// Everything a monthly briefing says, for one month.
#[derive(Debug, Clone, Serialize)]
pub struct MonthlyReport {
    pub month: YearMonth,
    /// The issue number when the month is published (or being published), else `None`.
    pub issue: Option<u32>,
    /// The day the briefing was published, when it was.
    #[serde(with = "crate::content::types::opt_date")]
    pub published: Option<NaiveDate>,
    /// Self-study hours a person must reach in a month (rules.yaml).
    pub self_study_requirement: f64,
    /// Collective sessions a department must hold in a month (rules.yaml).
    pub collective_requirement: u32,
    pub totals: Totals,
    /// In the order of org.yaml.
    pub departments: Vec<DepartmentFigures>,
    /// The month's sessions, oldest first (ties by file).
    pub sessions: Vec<SessionItem>,
    /// Essays with `featured: YYYY-MM` of this month, at most three, oldest first.
    pub featured: Vec<EssayItem>,
    /// The month's cases, oldest first.
    pub cases: Vec<CaseItem>,
    /// Planned sessions of the next month, by date.
    pub next_month: Vec<PlannedSession>,
}

/// The office's figures for the month.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub sessions: usize,
    pub collective_sessions: usize,
    /// Every planned session of the month, org-wide plans included.
    pub planned_sessions: usize,
    pub planned_held: usize,
    /// Sum of attendees / sum of (attendees + absent) over the month's sessions.
    pub attendance_rate: f64,
    pub attendees: usize,
    pub absent: usize,
    /// Over counted people only.
    pub self_study_hours: f64,
    /// Counted people of the month.
    pub self_study_people: usize,
    pub self_study_compliant: usize,
    pub essays: usize,
    pub cases: usize,
    pub sources: Sources,
}

/// One department's figures for the month.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentFigures {
    pub id: DeptId,
    pub name: String,
    pub sessions: usize,
    pub collective_sessions: usize,
    pub attendance_rate: f64,
    pub attendees: usize,
    pub absent: usize,
    pub self_study_hours: f64,
    /// Counted people of the department.
    pub people: usize,
    pub self_study_compliant: usize,
    /// Essays whose author belongs to the department.
    pub essays: usize,
    /// Planned sessions of the department's own plans (org-wide plans count only in the
    /// totals).
    pub planned_sessions: usize,
    pub planned_held: usize,
    /// What the briefing points out (Chinese text).
    pub warnings: Vec<String>,
    pub sources: Sources,
}

/// The records behind a set of figures (content-relative file paths, shared with the
/// records: ten years of briefings cite each record several times).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sources {
    /// Minutes counted in `sessions`; `attendance_rate` is computed over them too.
    pub sessions: Vec<Arc<str>>,
    pub collective_sessions: Vec<Arc<str>>,
    /// Planned sessions counted in `planned_sessions`, each with the sessions that held it.
    pub planned: Vec<PlannedSession>,
    pub self_study: SelfStudySources,
    pub essays: Vec<Arc<str>>,
    pub cases: Vec<Arc<str>>,
}

/// Where the self-study figures come from.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SelfStudySources {
    /// The month's log file, if there is one.
    pub log: Option<Arc<str>>,
    /// Counted people, in the order of org.yaml.
    pub people: Vec<PersonId>,
    /// Their hours and the line of the log each figure cites, as `people`: their entry's,
    /// or `self_study:`'s for one the log misses (line 0 without a log).
    pub entries: Vec<(f64, usize)>,
    /// Those at or above the requirement.
    pub compliant: Vec<PersonId>,
    /// Counted people missing from the log (0 hours).
    pub missing: Vec<PersonId>,
}

/// One session of the month, as the briefing tells it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionItem {
    pub file: String,
    /// URL path of the record page.
    pub path: String,
    pub title: String,
    #[serde(with = "crate::content::types::date")]
    pub date: NaiveDate,
    pub department: Option<DeptId>,
    pub department_name: String,
    pub kind: String,
    pub collective: bool,
    pub hours: f64,
    pub speaker: Option<String>,
    pub attendees: usize,
    pub absent: usize,
    pub summary: String,
}

/// A featured essay.
#[derive(Debug, Clone, Serialize)]
pub struct EssayItem {
    pub file: String,
    pub path: String,
    pub title: String,
    #[serde(with = "crate::content::types::date")]
    pub date: NaiveDate,
    pub author: Option<PersonId>,
    pub author_name: String,
    pub department: Option<DeptId>,
    pub department_name: String,
    /// 心得体会, 调研报告, ...
    pub kind: String,
    pub adopted_by: Option<String>,
    pub summary: String,
    /// The essay's Markdown text, printed in the briefing.
    pub body: String,
}

/// A case of the month.
#[derive(Debug, Clone, Serialize)]
pub struct CaseItem {
    pub file: String,
    pub path: String,
    pub title: String,
    #[serde(with = "crate::content::types::date")]
    pub date: NaiveDate,
    pub person: Option<PersonId>,
    pub person_name: Option<String>,
    pub department: Option<DeptId>,
    pub department_name: String,
    /// 单位级, 县级, ...
    pub level: Option<String>,
    pub cover: Option<String>,
    pub summary: String,
}

/// One schedule item of a plan. Its texts are shared: a month's report holds each item
/// in the office's lists and its department's, and a big site's reports are kept until
/// their pages are written.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedSession {
    /// The plan's file and the item's position in its `schedule`.
    pub plan: Arc<str>,
    pub item: usize,
    pub plan_title: Arc<str>,
    #[serde(with = "crate::content::types::date")]
    pub date: NaiveDate,
    pub topic: Arc<str>,
    pub kind: Arc<str>,
    pub speaker: Option<Arc<str>>,
    /// `None` for an org-wide plan.
    pub department: Option<DeptId>,
    pub department_name: Option<Arc<str>>,
    pub held: bool,
    /// Sessions dated within `plan_match_days` of the item (of the plan's department).
    pub held_by: Vec<Arc<str>>,
}

/// The records a month's briefing counts, before they are split by department.
#[derive(Default)]
struct MonthRecords<'a> {
    sessions: Vec<&'a Record>,
    planned: Vec<PlannedSession>,
    people: Vec<&'a Person>,
    essays: Vec<&'a Record>,
    cases: Vec<&'a Record>,
    log: Option<&'a Log>,
}

/// Figures shared by the totals and each department.
struct Tally {
    sessions: usize,
    collective_sessions: usize,
    planned_sessions: usize,
    planned_held: usize,
    attendance_rate: f64,
    attendees: usize,
    absent: usize,
    self_study_hours: f64,
    people: usize,
    self_study_compliant: usize,
    essays: usize,
    cases: usize,
    sources: Sources,
}

/// The briefing figures of `month`.
pub fn monthly(corpus: &Corpus, month: YearMonth) -> MonthlyReport {
    let all = month_records(corpus, month);
    let t = tally(corpus, &all);
    let totals = Totals {
        sessions: t.sessions,
        collective_sessions: t.collective_sessions,
        planned_sessions: t.planned_sessions,
        planned_held: t.planned_held,
        attendance_rate: t.attendance_rate,
        attendees: t.attendees,
        absent: t.absent,
        self_study_hours: t.self_study_hours,
        self_study_people: t.people,
        self_study_compliant: t.self_study_compliant,
        essays: t.essays,
        cases: t.cases,
        sources: t.sources,
    };
    let mut by_department = split_by_department(corpus, &all);
    let departments = corpus
        .org
        .departments
        .iter()
        .map(|d| {
            let mine = by_department.remove(&d.id).unwrap_or_else(|| MonthRecords {
                log: all.log,
                ..MonthRecords::default()
            });
            department_figures(corpus, mine, &d.id, &d.name)
        })
        .collect();
    let briefing = corpus.briefings.get(&month);
    MonthlyReport {
        month,
        issue: briefing.map(|b| b.issue),
        published: briefing.map(|b| b.published),
        self_study_requirement: corpus.rules.requirements.self_study_hours_per_month,
        collective_requirement: corpus.rules.requirements.collective_sessions_per_month,
        totals,
        departments,
        sessions: all
            .sessions
            .iter()
            .map(|r| session_item(corpus, r))
            .collect(),
        featured: featured_essays(corpus, month),
        cases: all.cases.iter().map(|r| case_item(corpus, r)).collect(),
        next_month: planned_sessions(corpus, month.next()),
    }
}

/// What a list of briefings says of one month, without the rest of its figures: the
/// month's issue (when published) and its totals of sessions and essays, as
/// [`monthly`] counts them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headline {
    pub month: YearMonth,
    pub issue: Option<u32>,
    pub published: Option<NaiveDate>,
    pub sessions: usize,
    pub essays: usize,
}

impl Headline {
    /// The headline of a month's full figures.
    pub fn of(r: &MonthlyReport) -> Self {
        Headline {
            month: r.month,
            issue: r.issue,
            published: r.published,
            sessions: r.totals.sessions,
            essays: r.totals.essays,
        }
    }
}

/// The headline of `month`, for a build that makes the month's full figures only when
/// its briefing page is written (see `render::reports::briefings`): counting two kinds
/// of the month's records costs nothing beside them.
pub fn headline(corpus: &Corpus, month: YearMonth) -> Headline {
    let count = |kind: Kind| {
        records_of_month(corpus, month)
            .filter(|r| r.kind == kind)
            .count()
    };
    let briefing = corpus.briefings.get(&month);
    Headline {
        month,
        issue: briefing.map(|b| b.issue),
        published: briefing.map(|b| b.published),
        sessions: count(Kind::Minutes),
        essays: count(Kind::Essay),
    }
}

/// The issue number `month` has or would get: its own when published, otherwise
/// `first_issue` + the number of briefings of earlier months.
pub fn issue_for(corpus: &Corpus, month: YearMonth) -> u32 {
    if let Some(b) = corpus.briefings.get(&month) {
        return b.issue;
    }
    let before = corpus.briefings.range(..month).count();
    corpus.site.bulletin.first_issue + u32::try_from(before).unwrap_or(u32::MAX)
}

/// Non-draft records dated in `month`, through the corpus's month index.
fn records_of_month(corpus: &Corpus, month: YearMonth) -> impl Iterator<Item = &Record> {
    corpus
        .index
        .by_month
        .get(&month)
        .into_iter()
        .flatten()
        .map(|&i| &corpus.records[i])
        .filter(|r| !r.draft)
}

fn of_month(corpus: &Corpus, kind: Kind, month: YearMonth) -> Vec<&Record> {
    let mut list: Vec<&Record> = records_of_month(corpus, month)
        .filter(|r| r.kind == kind)
        .collect();
    list.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.file.cmp(&b.file)));
    list
}

fn month_records(corpus: &Corpus, month: YearMonth) -> MonthRecords<'_> {
    // Made once, not for every person (Person::counts_in).
    let (first, last) = (month.first_day(), month.last_day());
    MonthRecords {
        sessions: of_month(corpus, Kind::Minutes, month),
        planned: planned_sessions(corpus, month),
        people: corpus
            .org
            .people
            .iter()
            .filter(|p| p.on_staff_throughout(first, last))
            .collect(),
        essays: of_month(corpus, Kind::Essay, month),
        cases: of_month(corpus, Kind::Case, month),
        log: corpus.logs.get(&month),
    }
}

/// The month's records of each department, in one pass (a county has a thousand
/// departments: filtering the whole month for each would grow with their square).
fn split_by_department<'a>(
    corpus: &'a Corpus,
    all: &MonthRecords<'a>,
) -> AHashMap<DeptId, MonthRecords<'a>> {
    let mut by: AHashMap<DeptId, MonthRecords<'a>> = AHashMap::new();
    fn of<'b, 'a>(
        by: &'b mut AHashMap<DeptId, MonthRecords<'a>>,
        id: &DeptId,
        log: Option<&'a Log>,
    ) -> &'b mut MonthRecords<'a> {
        by.entry(id.clone()).or_insert_with(|| MonthRecords {
            log,
            ..MonthRecords::default()
        })
    }
    for &r in &all.sessions {
        if let Some(id) = &r.department {
            of(&mut by, id, all.log).sessions.push(r);
        }
    }
    for p in &all.planned {
        if let Some(id) = &p.department {
            of(&mut by, id, all.log).planned.push(p.clone());
        }
    }
    for &p in &all.people {
        of(&mut by, &p.department, all.log).people.push(p);
    }
    for &r in &all.essays {
        if let Some(id) = author_department(corpus, r) {
            of(&mut by, &id, all.log).essays.push(r);
        }
    }
    by
}

fn department_figures(
    corpus: &Corpus,
    mine: MonthRecords,
    id: &DeptId,
    name: &str,
) -> DepartmentFigures {
    let t = tally(corpus, &mine);
    let warnings = warnings(corpus, &t);
    DepartmentFigures {
        id: id.clone(),
        name: name.to_string(),
        sessions: t.sessions,
        collective_sessions: t.collective_sessions,
        attendance_rate: t.attendance_rate,
        attendees: t.attendees,
        absent: t.absent,
        self_study_hours: t.self_study_hours,
        people: t.people,
        self_study_compliant: t.self_study_compliant,
        essays: t.essays,
        planned_sessions: t.planned_sessions,
        planned_held: t.planned_held,
        warnings,
        sources: t.sources,
    }
}

fn author_department(corpus: &Corpus, essay: &Record) -> Option<DeptId> {
    let author = essay.essay()?.author.as_ref()?;
    corpus
        .org
        .person(author.as_str())
        .map(|p| p.department.clone())
}

fn tally(corpus: &Corpus, m: &MonthRecords) -> Tally {
    let collective_kinds = &corpus.rules.collective_kinds;
    let is_collective = |r: &&Record| {
        r.minutes()
            .is_some_and(|mi| collective_kinds.contains(&mi.kind))
    };
    let (attendees, absent) = m
        .sessions
        .iter()
        .filter_map(|r| r.minutes())
        .fold((0, 0), |(a, b), mi| {
            (a + mi.attendees.len(), b + mi.absent.len())
        });
    let requirement = corpus.rules.requirements.self_study_hours_per_month;
    let files = |rs: &[&Record]| rs.iter().map(|r| r.file.clone()).collect::<Vec<_>>();
    let collective: Vec<&Record> = m.sessions.iter().copied().filter(is_collective).collect();
    // Each person's entry in the log, looked up once.
    let entries: Vec<Option<&SelfStudyEntry>> = (m.people.iter())
        .map(|p| m.log.and_then(|log| log.self_study_entry(p)))
        .collect();
    let hours: Vec<f64> = (entries.iter())
        .map(|e| e.map_or(0.0, |e| e.hours))
        .collect();
    let compliant: Vec<PersonId> = (m.people.iter().zip(&hours))
        .filter(|&(_, &h)| h >= requirement)
        .map(|(p, _)| p.id.clone())
        .collect();
    let missing: Vec<PersonId> = (m.people.iter().zip(&entries))
        .filter(|(_, e)| e.is_none())
        .map(|(p, _)| p.id.clone())
        .collect();
    // The line each person's figure cites: their entry's, or `self_study:` for one the
    // log misses (none without a log).
    let block = m.log.map_or(0, Log::self_study_block);
    let cited = (entries.iter()).map(|e| e.map_or((0.0, block), |e| (e.hours, e.line)));
    Tally {
        sessions: m.sessions.len(),
        collective_sessions: collective.len(),
        planned_sessions: m.planned.len(),
        planned_held: m.planned.iter().filter(|p| p.held).count(),
        attendance_rate: ratio(attendees, attendees + absent),
        attendees,
        absent,
        self_study_hours: hours.iter().sum(),
        people: m.people.len(),
        self_study_compliant: compliant.len(),
        essays: m.essays.len(),
        cases: m.cases.len(),
        sources: Sources {
            sessions: files(&m.sessions),
            collective_sessions: files(&collective),
            planned: m.planned.clone(),
            self_study: SelfStudySources {
                log: m.log.map(|l| l.file.clone()),
                people: m.people.iter().map(|p| p.id.clone()).collect(),
                entries: cited.collect(),
                compliant,
                missing,
            },
            essays: files(&m.essays),
            cases: files(&m.cases),
        },
    }
}

/// `part / whole`, 0 when there is nothing to divide.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn warnings(corpus: &Corpus, t: &Tally) -> Vec<String> {
    let mut out = Vec::new();
    let required = corpus.rules.requirements.collective_sessions_per_month as usize;
    if t.collective_sessions < required {
        out.push(if t.collective_sessions == 0 {
            "本月未开展集中学习".to_string()
        } else {
            format!(
                "本月集中学习{}次，少于每月{}次的要求",
                t.collective_sessions, required
            )
        });
    }
    if t.people > 0 {
        let rate = ratio(t.self_study_compliant, t.people);
        if rate < SELF_STUDY_WARNING_RATE {
            out.push(format!(
                "个人自学达标率{}%（{}/{}人），低于{}%",
                percent(rate),
                t.self_study_compliant,
                t.people,
                percent(SELF_STUDY_WARNING_RATE)
            ));
        }
    }
    let missed: Vec<String> = t
        .sources
        .planned
        .iter()
        .filter(|p| !p.held)
        .map(|p| {
            // Without chrono's formatter, which parses its pattern on every call.
            [
                itoa::Buffer::new().format(p.date.month()),
                "月",
                itoa::Buffer::new().format(p.date.day()),
                "日“",
                &p.topic,
                "”（",
                &p.kind,
                "）",
            ]
            .concat()
        })
        .collect();
    if !missed.is_empty() {
        out.push(format!("计划学习未按期开展：{}", missed.join("；")));
    }
    out
}

/// Schedule items of non-draft plans dated in `month`, by date, then plan file and
/// position; each marked held when a session of the plan's department (any department
/// for an org-wide plan) is dated within `plan_match_days` of it.
pub fn planned_sessions(corpus: &Corpus, month: YearMonth) -> Vec<PlannedSession> {
    let days = i64::from(corpus.rules.requirements.plan_match_days);
    // Sessions that can hold an item of this month: those of the month and of the
    // months around it within `plan_match_days` (found through the month index, so
    // the cost does not grow with the years of records).
    let first = month.first_day() - chrono::Duration::days(days);
    let last = month.last_day() + chrono::Duration::days(days);
    let mut near_months = vec![YearMonth::of(first)];
    while let Some(&m) = near_months.last()
        && m < YearMonth::of(last)
    {
        near_months.push(m.next());
    }
    // The sessions near the month, oldest first, all of them (for `org` plans) and by
    // department: an item looks only at the days around its date.
    let mut sessions: Vec<&Record> = near_months
        .into_iter()
        .flat_map(|m| records_of_month(corpus, m))
        .filter(|r| r.kind == Kind::Minutes && r.date.is_some())
        .collect();
    sessions.sort_by_key(|r| r.date);
    let mut by_department: AHashMap<&DeptId, Vec<&Record>> = AHashMap::new();
    for &s in &sessions {
        if let Some(d) = &s.department {
            by_department.entry(d).or_default().push(s);
        }
    }
    let items = corpus.index.plan_items_by_month.get(&month);
    let mut out = Vec::new();
    for &(r, i) in items.into_iter().flatten() {
        let record = &corpus.records[r];
        let Some(plan) = record.plan() else { continue };
        let item = &plan.schedule[i];
        let department = match plan.scope {
            Scope::Org => None,
            Scope::Department | Scope::Person => corpus.department_of(record),
        };
        let candidates: &[&Record] = match &department {
            None => &sessions,
            Some(d) => by_department.get(d).map_or(&[], Vec::as_slice),
        };
        let from = item.date - chrono::Duration::days(days);
        let to = item.date + chrono::Duration::days(days);
        let start = candidates.partition_point(|s| s.date < Some(from));
        let mut held_by: Vec<Arc<str>> = candidates[start..]
            .iter()
            .take_while(|s| s.date <= Some(to))
            .map(|s| s.file.clone())
            .collect();
        held_by.sort();
        out.push(PlannedSession {
            plan: record.file.clone(),
            item: i,
            plan_title: record.title.as_str().into(),
            date: item.date,
            topic: item.topic.as_str().into(),
            kind: item.kind.as_str().into(),
            speaker: (item.speaker.as_deref()).map(|s| speaker_name(corpus, s).into()),
            department_name: department
                .as_ref()
                .map(|d| corpus.org.department_name(d.as_str()).into()),
            department: department.clone(),
            held: !held_by.is_empty(),
            held_by,
        });
    }
    out.sort_by(|a, b| {
        (a.date, &a.department, &a.plan, a.item).cmp(&(b.date, &b.department, &b.plan, b.item))
    });
    out
}

/// A speaker is a person id or a free name (市委党校王教授).
fn speaker_name(corpus: &Corpus, speaker: &str) -> String {
    corpus.org.person_name(speaker).to_string()
}

/// Essays featured in `month`'s bulletin: at most three, oldest first, ties by file.
fn featured_essays(corpus: &Corpus, month: YearMonth) -> Vec<EssayItem> {
    let featured = corpus.index.featured_essays_by_month.get(&month);
    let mut essays: Vec<&Record> = (featured.map_or(&[][..], Vec::as_slice).iter())
        .map(|&i| &corpus.records[i])
        .collect();
    essays.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.file.cmp(&b.file)));
    essays
        .into_iter()
        .take(3)
        .filter_map(|r| essay_item(corpus, r))
        .collect()
}

fn dept_name(corpus: &Corpus, dept: Option<&DeptId>) -> String {
    dept.map(|d| corpus.org.department_name(d.as_str()).to_string())
        .unwrap_or_default()
}

fn session_item(corpus: &Corpus, r: &Record) -> SessionItem {
    let m = r.minutes();
    let kind = m.map(|m| m.kind.clone()).unwrap_or_default();
    SessionItem {
        file: r.file.to_string(),
        path: r.path.clone(),
        title: r.title.clone(),
        date: r.date.unwrap_or_default(),
        department: r.department.clone(),
        department_name: dept_name(corpus, r.department.as_ref()),
        collective: corpus.rules.collective_kinds.contains(&kind),
        kind,
        hours: m.map_or(0.0, |m| m.hours),
        speaker: m
            .and_then(|m| m.speaker.as_deref())
            .map(|s| speaker_name(corpus, s)),
        attendees: m.map_or(0, |m| m.attendees.len()),
        absent: m.map_or(0, |m| m.absent.len()),
        summary: summary(r),
    }
}

fn essay_item(corpus: &Corpus, r: &Record) -> Option<EssayItem> {
    let e = r.essay()?;
    let department = corpus.department_of(r);
    Some(EssayItem {
        file: r.file.to_string(),
        path: r.path.clone(),
        title: r.title.clone(),
        date: r.date?,
        author: e.author.clone(),
        author_name: e
            .author
            .as_ref()
            .map(|a| corpus.org.person_name(a.as_str()).to_string())
            .unwrap_or_default(),
        department_name: dept_name(corpus, department.as_ref()),
        department,
        kind: e.kind.label_zh().to_string(),
        adopted_by: e.adopted_by.clone(),
        summary: summary(r),
        body: r.body.trim().to_string(),
    })
}

fn case_item(corpus: &Corpus, r: &Record) -> CaseItem {
    let c = r.case();
    let person = c.and_then(|c| c.person.clone());
    let department = corpus.department_of(r);
    CaseItem {
        file: r.file.to_string(),
        path: r.path.clone(),
        title: r.title.clone(),
        date: r.date.unwrap_or_default(),
        person_name: person
            .as_ref()
            .map(|p| corpus.org.person_name(p.as_str()).to_string()),
        person,
        department_name: dept_name(corpus, department.as_ref()),
        department,
        level: c.and_then(|c| c.level).map(|l| l.label_zh().to_string()),
        cover: c.and_then(|c| c.cover.clone()),
        summary: summary(r),
    }
}

/// The record's `summary`, or the first paragraph of its body as plain text.
pub fn summary(r: &Record) -> String {
    if let Some(s) = &r.summary {
        return s.trim().to_string();
    }
    let mut paragraph = Vec::new();
    for line in crate::content::scan::lines(&r.body).map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with("---") {
            if paragraph.is_empty() {
                continue;
            }
            break;
        }
        paragraph.push(line.trim_start_matches(['>', '-', '*', ' ']).trim());
    }
    paragraph.concat()
}

impl MonthlyReport {
    /// Every file the report's figures and lists were computed from, sorted.
    pub fn source_files(&self) -> BTreeSet<String> {
        let mut files = BTreeSet::new();
        let s = &self.totals.sources;
        let named = s.sessions.iter().chain(&s.essays).chain(&s.cases);
        files.extend(named.chain(&s.self_study.log).map(|f| f.to_string()));
        for p in &s.planned {
            files.insert(p.plan.to_string());
            files.extend(p.held_by.iter().map(|f| f.to_string()));
        }
        files.extend(self.featured.iter().map(|e| e.file.clone()));
        files
    }
}

/// Files behind `month`'s briefing that changed after it was published: those whose last
/// commit is later than the briefing's own last commit (or, when the briefing is not
/// committed, later than the end of its publication day). Empty for an unpublished month
/// or without history.
pub fn changed_after_publication(
    corpus: &Corpus,
    report: &MonthlyReport,
    history: &BTreeMap<String, FileHistory>,
) -> Vec<String> {
    let Some(briefing) = corpus.briefings.get(&report.month) else {
        return Vec::new();
    };
    let published = history.get(&*briefing.file).map(|h| h.last);
    report
        .source_files()
        .into_iter()
        .filter(|f| {
            history.get(f).is_some_and(|h| match published {
                Some(at) => h.last > at,
                None => h.last.date_naive() > briefing.published,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "monthly_tests.rs"]
mod tests;
