//! The three configuration files of a site: site.yaml (site and bulletin settings),
//! org.yaml (departments and people) and rules.yaml (requirements, session kinds, the
//! evaluation rubric). Each is parsed into typed structs; unknown fields are errors.

use ahash::AHashMap;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::content::types::{DeptId, PersonId, YearMonth, opt_date};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Prefix of every link: `/` for a site at the root of its host, or a full URL.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Records per page in the lists.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    #[serde(default)]
    pub bulletin: BulletinConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Theme folder under `themes/` (default `default`).
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Write the build time into the pages; off by default so builds are reproducible.
    #[serde(default)]
    pub build_timestamp: bool,
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "zh-CN".into()
}
fn default_paginate() -> usize {
    10
}
fn default_theme() -> String {
    "default".into()
}

/// The printed bulletin's fixed parts (报头 and 报尾).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletinConfig {
    #[serde(default = "default_bulletin_name")]
    pub name: String,
    /// 编印单位.
    #[serde(default)]
    pub editor: String,
    #[serde(default = "default_first_issue")]
    pub first_issue: u32,
    /// 共印N份.
    #[serde(default)]
    pub copies: u32,
    /// 报.
    #[serde(default)]
    pub send_up: Vec<String>,
    /// 送.
    #[serde(default)]
    pub send_across: Vec<String>,
    /// 发.
    #[serde(default)]
    pub send_down: Vec<String>,
}

impl Default for BulletinConfig {
    fn default() -> Self {
        BulletinConfig {
            name: default_bulletin_name(),
            editor: String::new(),
            first_issue: default_first_issue(),
            copies: 0,
            send_up: Vec::new(),
            send_across: Vec::new(),
            send_down: Vec::new(),
        }
    }
}

fn default_bulletin_name() -> String {
    "学习简报".into()
}
fn default_first_issue() -> u32 {
    1
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Let raw HTML in Markdown through; escaped by default.
    #[serde(default)]
    pub unsafe_html: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgConfig {
    pub departments: Vec<Department>,
    #[serde(default)]
    pub people: Vec<Person>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeptType {
    Centre,
    Support,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: DeptId,
    pub name: String,
    #[serde(rename = "type", default = "default_dept_type")]
    pub kind: DeptType,
}

fn default_dept_type() -> DeptType {
    DeptType::Centre
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Leader,
    Member,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub department: DeptId,
    #[serde(default = "default_role")]
    pub role: Role,
    #[serde(default)]
    pub party: bool,
    #[serde(default, with = "opt_date", skip_serializing_if = "Option::is_none")]
    pub joined: Option<NaiveDate>,
    #[serde(default, with = "opt_date", skip_serializing_if = "Option::is_none")]
    pub left: Option<NaiveDate>,
    /// Its place in org.yaml's list of people, set by [`Org::new`]: a month's log keeps
    /// each person's hours at it (the reports read them for every person and month).
    #[serde(skip)]
    pub place: usize,
}

fn default_role() -> Role {
    Role::Member
}

impl Person {
    /// Counted for a month: on the staff for that whole month (DESIGN.md: joined on or
    /// before its first day, and not left before its last day).
    pub fn counts_in(&self, month: YearMonth) -> bool {
        self.on_staff_throughout(month.first_day(), month.last_day())
    }

    /// On the staff from `first` through `last` (a month's first and last day: see
    /// [`Person::counts_in`]).
    pub fn on_staff_throughout(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.joined.is_none_or(|j| j <= first) && self.left.is_none_or(|l| l >= last)
    }

    /// On the staff on `date` (for attendance lists).
    pub fn on_staff(&self, date: NaiveDate) -> bool {
        self.joined.is_none_or(|j| j <= date) && self.left.is_none_or(|l| l >= date)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub session_kinds: Vec<String>,
    #[serde(default)]
    pub collective_kinds: Vec<String>,
    #[serde(default)]
    pub requirements: Requirements,
    #[serde(default)]
    pub evaluation: Evaluation,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    #[serde(default = "one")]
    pub collective_sessions_per_month: u32,
    #[serde(default = "twenty")]
    pub self_study_hours_per_month: f64,
    #[serde(default)]
    pub essays_per_year: EssayQuota,
    #[serde(default = "four")]
    pub notebook_checks_per_year: u32,
    #[serde(default = "three")]
    pub plan_match_days: u32,
}

fn one() -> u32 {
    1
}
fn three() -> u32 {
    3
}
fn four() -> u32 {
    4
}
fn twenty() -> f64 {
    20.0
}

impl Default for Requirements {
    fn default() -> Self {
        Requirements {
            collective_sessions_per_month: 1,
            self_study_hours_per_month: 20.0,
            essays_per_year: EssayQuota::default(),
            notebook_checks_per_year: 4,
            plan_match_days: 3,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EssayQuota {
    pub leader: u32,
    pub member: u32,
}

impl Default for EssayQuota {
    fn default() -> Self {
        EssayQuota {
            leader: 3,
            member: 2,
        }
    }
}

impl EssayQuota {
    pub fn for_role(&self, role: Role) -> u32 {
        match role {
            Role::Leader => self.leader,
            Role::Member => self.member,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    #[serde(default = "default_bands")]
    pub bands: Vec<Band>,
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    #[serde(default)]
    pub person_criteria: Vec<Criterion>,
    #[serde(default)]
    pub quotas: Quotas,
    #[serde(default)]
    pub disqualify: Disqualify,
}

/// Written out, not derived: a rules.yaml without `evaluation` still grades by the
/// usual bands (a derived Default would leave them empty).
impl Default for Evaluation {
    fn default() -> Self {
        Evaluation {
            bands: default_bands(),
            criteria: Vec::new(),
            person_criteria: Vec::new(),
            quotas: Quotas::default(),
            disqualify: Disqualify::default(),
        }
    }
}

fn default_bands() -> Vec<Band> {
    [
        (90.0, "优秀"),
        (80.0, "良好"),
        (60.0, "合格"),
        (0.0, "不合格"),
    ]
    .into_iter()
    .map(|(min, grade)| Band {
        min,
        grade: grade.into(),
    })
    .collect()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub min: f64,
    pub grade: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub weight: f64,
    pub metric: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
}

/// A metric that a rubric criterion can name in rules.yaml (`metric: attendance_rate`).
/// `Criterion::metric` stays a string so that `check` can report an unknown name with
/// its line; what each metric means is computed in `stats::metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    CollectiveMonths,
    AttendanceRate,
    SelfStudyCompliance,
    EssayQuota,
    NotebookPassRate,
    SessionKinds,
    Review,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::CollectiveMonths,
        Metric::AttendanceRate,
        Metric::SelfStudyCompliance,
        Metric::EssayQuota,
        Metric::NotebookPassRate,
        Metric::SessionKinds,
        Metric::Review,
    ];

    /// The name used in rules.yaml.
    pub fn name(self) -> &'static str {
        match self {
            Metric::CollectiveMonths => "collective_months",
            Metric::AttendanceRate => "attendance_rate",
            Metric::SelfStudyCompliance => "self_study_compliance",
            Metric::EssayQuota => "essay_quota",
            Metric::NotebookPassRate => "notebook_pass_rate",
            Metric::SessionKinds => "session_kinds",
            Metric::Review => "review",
        }
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Metric::CollectiveMonths => "达标月份占比",
            Metric::AttendanceRate => "集中学习出勤率",
            Metric::SelfStudyCompliance => "自学达标率",
            Metric::EssayQuota => "文章任务完成率",
            Metric::NotebookPassRate => "笔记检查合格率",
            Metric::SessionKinds => "学习形式种数",
            Metric::Review => "考评小组评分",
        }
    }

    /// Whether the value is a share (shown as a percentage) rather than a count or score.
    pub fn is_ratio(self) -> bool {
        !matches!(self, Metric::SessionKinds | Metric::Review)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quotas {
    #[serde(default)]
    pub advanced_departments: f64,
    #[serde(default)]
    pub advanced_workers: f64,
    #[serde(default)]
    pub excellent_party_members: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disqualify {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_over: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent_days_over: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notebook_fails_at_least: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criticised_errors_at_least: Option<u32>,
    #[serde(default)]
    pub sanction: bool,
}

/// The organisation, indexed for lookups by id.
#[derive(Debug, Clone, Default)]
pub struct Org {
    pub departments: Vec<Department>,
    pub people: Vec<Person>,
    // Hash maps: only looked up, never listed (the lists are `departments` and
    // `people`); a year's figures look up a person hundreds of thousands of times.
    dept_index: AHashMap<DeptId, usize>,
    person_index: AHashMap<PersonId, usize>,
    /// Per department id, its people's positions in `people` (org.yaml order).
    people_by_department: AHashMap<DeptId, Vec<usize>>,
}

impl Org {
    pub fn new(config: OrgConfig) -> Self {
        let dept_index = config
            .departments
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let person_index = config
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let mut people_by_department: AHashMap<DeptId, Vec<usize>> = AHashMap::new();
        let mut people = config.people;
        for (i, p) in people.iter_mut().enumerate() {
            p.place = i;
            (people_by_department
                .entry(p.department.clone())
                .or_default())
            .push(i);
        }
        Org {
            departments: config.departments,
            people,
            dept_index,
            person_index,
            people_by_department,
        }
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.dept_index.get(id).map(|&i| &self.departments[i])
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.person_index.get(id).map(|&i| &self.people[i])
    }

    /// The people of a department, in org.yaml order.
    pub fn people_of<'a>(&'a self, dept: &str) -> impl Iterator<Item = &'a Person> + 'a {
        let positions = self.people_by_department.get(dept);
        positions.into_iter().flatten().map(|&i| &self.people[i])
    }

    /// Display name of a person id, or the id itself for an unknown one.
    pub fn person_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.person(id).map_or(id, |p| p.name.as_str())
    }

    pub fn department_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.department(id).map_or(id, |d| d.name.as_str())
    }
}
