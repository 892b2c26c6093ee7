//! The year-end evaluation (年终考评): rubric scores and grades of every department, scores
//! of every counted person, disqualifications and the award lists (DESIGN.md, "How the
//! figures are defined").
//!
//! The rubric is data: weights, targets, bands, quotas and disqualification rules all come
//! from rules.yaml `evaluation`; the metrics themselves are in [`super::metrics`]. Every
//! figure keeps its sources so that reports and the site can link to them.

use serde::Serialize;

use super::disqualify::conduct;
pub use super::disqualify::{Disqualification, Reason};
use super::metrics::{Metric, Scope, Source, Sources, Value};
use crate::config::{Band, Criterion, Person, Role};
use crate::content::{Corpus, DeptId, PersonId, YearMonth};

/// Scores are sums of floating-point products: a score meant to be exactly 90 may come
/// out as 89.99999999999999. Comparisons with band limits and ties allow this much.
pub(crate) const EPSILON: f64 = 1e-9;

/// The whole evaluation of one year.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualEvaluation {
    pub year: i32,
    /// The last month in scope when limited with `--through`.
    pub through: Option<YearMonth>,
    pub months: Vec<YearMonth>,
    pub bands: Vec<Band>,
    pub criteria: Vec<CriterionDef>,
    pub person_criteria: Vec<CriterionDef>,
    /// Every department of org.yaml, highest score first, ties by id.
    pub departments: Vec<DeptEvaluation>,
    /// The counted people of the year, highest score first, ties by id.
    pub people: Vec<PersonEvaluation>,
    pub awards: Awards,
    /// How many places each award list has (the quota applied).
    pub award_slots: AwardSlots,
    /// The review file of the year, if there is one.
    pub review_file: Option<String>,
}

/// A criterion of the rubric, with its target resolved (1 where not given).
#[derive(Debug, Clone, Serialize)]
pub struct CriterionDef {
    pub id: String,
    pub name: String,
    pub weight: f64,
    pub metric: String,
    pub target: f64,
}

/// One criterion's result: the metric value, the points it earns, and where it comes
/// from (`count` out of `of`, the sources).
#[derive(Debug, Clone, Serialize)]
pub struct CriterionScore {
    pub id: String,
    pub value: f64,
    pub points: f64,
    pub count: f64,
    pub of: Option<f64>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeptEvaluation {
    pub id: DeptId,
    pub name: String,
    /// 1-based; equal scores share a rank.
    pub rank: usize,
    pub score: f64,
    pub grade: String,
    /// Index of the grade in `bands` (0: the top band).
    pub band: usize,
    /// The reason of a one-vote veto (一票否决), if any.
    pub veto: Option<String>,
    pub veto_source: Option<Source>,
    /// In the order of rules.yaml `evaluation.criteria`.
    pub criteria: Vec<CriterionScore>,
    /// Counted people of the department in the year.
    pub people: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonEvaluation {
    pub id: PersonId,
    pub name: String,
    pub department: DeptId,
    pub department_name: String,
    pub role: Role,
    pub party: bool,
    pub rank: usize,
    pub score: f64,
    /// In the order of rules.yaml `evaluation.person_criteria`.
    pub criteria: Vec<CriterionScore>,
    /// Non-draft essays in scope.
    pub essays: usize,
    /// The number of essays the person's role requires in a year.
    pub essay_quota: u32,
    pub essay_sources: Vec<Source>,
    /// Self-study hours logged in the months in which the person is counted.
    pub self_study_hours: f64,
    pub notebook_fails: u32,
    pub late: u32,
    pub absent_days: f64,
    pub criticised_errors: u32,
    pub sanction: bool,
    pub disqualified: bool,
    pub reasons: Vec<Reason>,
    pub disqualifications: Vec<Disqualification>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Awards {
    pub excellent_party_members: Vec<PersonId>,
    pub advanced_workers: Vec<PersonId>,
    pub advanced_departments: Vec<DeptId>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AwardSlots {
    pub excellent_party_members: usize,
    pub advanced_workers: usize,
    pub advanced_departments: usize,
}

/// Evaluates `year` (all twelve months, or those through `through`).
pub fn evaluate(corpus: &Corpus, year: i32, through: Option<YearMonth>) -> AnnualEvaluation {
    evaluate_with(corpus, year, through, Sources::Kept)
}

/// [`evaluate`], with the sources of each person's scores (`criteria[].sources`,
/// `essay_sources`) kept or dropped; the departments' are always kept.
pub fn evaluate_with(
    corpus: &Corpus,
    year: i32,
    through: Option<YearMonth>,
    person_sources: Sources,
) -> AnnualEvaluation {
    let scope = Scope::new(corpus, year, through).with_person_sources(person_sources);
    let eval = &corpus.rules.evaluation;
    let criteria: Vec<CriterionDef> = eval.criteria.iter().map(def).collect();
    let person_criteria: Vec<CriterionDef> = eval.person_criteria.iter().map(def).collect();

    let mut departments: Vec<DeptEvaluation> = corpus
        .org
        .departments
        .iter()
        .map(|d| evaluate_department(&scope, &criteria, &eval.bands, &d.id, &d.name))
        .collect();
    sort_ranked(&mut departments, |d| (d.score, d.id.as_str()));
    assign_ranks(&mut departments, |d| d.score, |d, r| d.rank = r);

    let mut people: Vec<PersonEvaluation> = scope
        .counted_people()
        .map(|p| evaluate_person(&scope, &person_criteria, p))
        .collect();
    sort_ranked(&mut people, |p| (p.score, p.id.as_str()));
    assign_ranks(&mut people, |p| p.score, |p, r| p.rank = r);

    let (awards, award_slots) = awards(corpus, &departments, &people);
    AnnualEvaluation {
        year,
        through,
        months: scope.months.clone(),
        bands: eval.bands.clone(),
        criteria,
        person_criteria,
        departments,
        people,
        awards,
        award_slots,
        review_file: corpus.reviews.get(&year).map(|r| r.file.to_string()),
    }
}

fn def(c: &Criterion) -> CriterionDef {
    CriterionDef {
        id: c.id.clone(),
        name: if c.name.is_empty() {
            c.id.clone()
        } else {
            c.name.clone()
        },
        weight: c.weight,
        metric: c.metric.clone(),
        target: c.target.unwrap_or(1.0),
    }
}

/// weight × min(1, value / target); a target of 0 or less is always reached.
pub fn points(weight: f64, value: f64, target: f64) -> f64 {
    let reached = if target > 0.0 {
        (value / target).min(1.0)
    } else {
        1.0
    };
    weight * reached
}

/// The index of the first band whose `min` the score reaches, or the last band.
pub fn band_of(bands: &[Band], score: f64) -> usize {
    bands
        .iter()
        .position(|b| score + EPSILON >= b.min)
        .unwrap_or(bands.len().saturating_sub(1))
}

fn score(
    criteria: &[CriterionDef],
    value_of: impl Fn(Metric, &str) -> Value,
) -> (f64, Vec<CriterionScore>) {
    let scores: Vec<CriterionScore> = criteria
        .iter()
        .map(|c| {
            let v = Metric::from_name(&c.metric).map_or_else(
                || Value {
                    value: 0.0,
                    count: 0.0,
                    of: None,
                    sources: Vec::new(),
                },
                |m| value_of(m, &c.id),
            );
            CriterionScore {
                id: c.id.clone(),
                value: v.value,
                points: points(c.weight, v.value, c.target),
                count: v.count,
                of: v.of,
                sources: v.sources,
            }
        })
        .collect();
    (scores.iter().map(|s| s.points).sum(), scores)
}

fn evaluate_department(
    scope: &Scope,
    criteria: &[CriterionDef],
    bands: &[Band],
    id: &DeptId,
    name: &str,
) -> DeptEvaluation {
    let (score, criteria) = score(criteria, |m, c| scope.dept_metric(m, id.as_str(), c));
    let (veto, veto_source) = match scope.corpus.reviews.get(&scope.year) {
        Some(review) => {
            let veto = review
                .data
                .departments
                .get(id.as_str())
                .and_then(|d| d.veto.clone())
                .filter(|v| !v.trim().is_empty());
            let source = veto.as_ref().map(|_| Source {
                file: review.file.clone(),
                line: review.lines.line(&format!("departments.{id}.veto")),
            });
            (veto, source)
        }
        None => (None, None),
    };
    let band = if veto.is_some() {
        bands.len().saturating_sub(1)
    } else {
        band_of(bands, score)
    };
    DeptEvaluation {
        id: id.clone(),
        name: name.to_string(),
        rank: 0,
        score,
        grade: bands.get(band).map(|b| b.grade.clone()).unwrap_or_default(),
        band,
        veto,
        veto_source,
        criteria,
        people: scope.counted_people_of(id.as_str()).count(),
    }
}

fn evaluate_person(scope: &Scope, criteria: &[CriterionDef], p: &Person) -> PersonEvaluation {
    let corpus = scope.corpus;
    let (score, criteria) = score(criteria, |m, _| scope.person_metric(m, p));
    let id = p.id.as_str();
    let essays = scope.person_essay_quota(p);

    let self_study_hours = (scope.counted_months(p))
        .filter_map(|m| m.log)
        .map(|log| log.hours(p))
        .sum();

    let conduct = conduct(scope, id);

    PersonEvaluation {
        id: p.id.clone(),
        name: p.name.clone(),
        department: p.department.clone(),
        department_name: corpus
            .org
            .department_name(p.department.as_str())
            .to_string(),
        role: p.role,
        party: p.party,
        rank: 0,
        score,
        criteria,
        essays: essays.count as usize,
        essay_quota: essays.of.unwrap_or(0.0) as u32,
        essay_sources: essays.sources,
        self_study_hours,
        notebook_fails: conduct.notebook_fails,
        late: conduct.late,
        absent_days: conduct.absent_days,
        criticised_errors: conduct.criticised_errors,
        sanction: conduct.sanction,
        disqualified: !conduct.disqualifications.is_empty(),
        reasons: conduct.disqualifications.iter().map(|d| d.reason).collect(),
        disqualifications: conduct.disqualifications,
    }
}

/// Sorts highest score first, ties by id. Scores within EPSILON of each other are equal.
fn sort_ranked<T>(items: &mut [T], key: impl Fn(&T) -> (f64, &str)) {
    items.sort_by(|a, b| {
        let (sa, ia) = key(a);
        let (sb, ib) = key(b);
        if (sa - sb).abs() <= EPSILON {
            ia.cmp(ib)
        } else {
            sb.total_cmp(&sa)
        }
    });
}

/// Competition ranks (1, 2, 2, 4) over a sorted list.
fn assign_ranks<T>(items: &mut [T], score: impl Fn(&T) -> f64, set: impl Fn(&mut T, usize)) {
    let mut previous: Option<(f64, usize)> = None;
    for (i, item) in items.iter_mut().enumerate() {
        let s = score(item);
        let rank = match previous {
            Some((p, r)) if (p - s).abs() <= EPSILON => r,
            _ => i + 1,
        };
        previous = Some((s, rank));
        set(item, rank);
    }
}

/// floor(quota × n), forgiving the float error of products like 0.29 × 100.
fn slots(quota: f64, n: usize) -> usize {
    let v = (quota * n as f64 + EPSILON).floor();
    if v > 0.0 { v as usize } else { 0 }
}

/// The award lists, from ranked departments and people (DESIGN.md, "Award lists").
fn awards(
    corpus: &Corpus,
    departments: &[DeptEvaluation],
    people: &[PersonEvaluation],
) -> (Awards, AwardSlots) {
    let quotas = &corpus.rules.evaluation.quotas;
    let party = people.iter().filter(|p| p.party).count();
    let slots = AwardSlots {
        excellent_party_members: slots(quotas.excellent_party_members, party),
        advanced_workers: slots(quotas.advanced_workers, people.len()),
        advanced_departments: slots(quotas.advanced_departments, departments.len()),
    };
    let excellent_party_members: Vec<PersonId> = people
        .iter()
        .filter(|p| p.party && !p.disqualified)
        .take(slots.excellent_party_members)
        .map(|p| p.id.clone())
        .collect();
    // A set: a big office names hundreds of excellent party members, and the advanced
    // workers are looked for among thousands of people.
    let excellent: ahash::AHashSet<&str> = excellent_party_members
        .iter()
        .map(PersonId::as_str)
        .collect();
    let advanced_workers = people
        .iter()
        .filter(|p| !p.disqualified && !excellent.contains(p.id.as_str()))
        .take(slots.advanced_workers)
        .map(|p| p.id.clone())
        .collect();
    let advanced_departments = departments
        .iter()
        .filter(|d| d.band == 0 && d.veto.is_none())
        .take(slots.advanced_departments)
        .map(|d| d.id.clone())
        .collect();
    (
        Awards {
            excellent_party_members,
            advanced_workers,
            advanced_departments,
        },
        slots,
    )
}

#[cfg(test)]
#[path = "annual_tests.rs"]
mod tests;
