//! Disqualification from the awards (取消评优资格): the rules of rules.yaml
//! `evaluation.disqualify` applied to a person's conduct over the year in scope: late and
//! absent days summed over the logs, notebook fails counted over them, criticised errors
//! and sanctions from the review.

use std::collections::BTreeSet;

use serde::Serialize;

use super::annual::EPSILON;
use super::metrics::{Scope, Source};
use crate::content::ledger::CheckResult;

/// Why a person is disqualified from the awards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    Late,
    Absent,
    Notebook,
    Errors,
    Sanction,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Late => "late",
            Reason::Absent => "absent",
            Reason::Notebook => "notebook",
            Reason::Errors => "errors",
            Reason::Sanction => "sanction",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Reason::Late => "迟到",
            Reason::Absent => "旷工",
            Reason::Notebook => "学习笔记检查不合格",
            Reason::Errors => "工作失误受领导批评",
            Reason::Sanction => "受党纪政纪处分",
        }
    }
}

/// A disqualification rule met: the person's figure, the rule's limit, the sources.
#[derive(Debug, Clone, Serialize)]
pub struct Disqualification {
    pub reason: Reason,
    pub value: f64,
    /// The rule's number (`late_over: 10` gives 10; 1 for a sanction).
    pub limit: f64,
    pub sources: Vec<Source>,
}

/// A person's record of conduct in the year in scope, and the rules it breaks.
#[derive(Debug, Clone, Default)]
pub struct Conduct {
    pub late: u32,
    pub absent_days: f64,
    pub notebook_fails: u32,
    pub criticised_errors: u32,
    pub sanction: bool,
    pub disqualifications: Vec<Disqualification>,
}

pub fn conduct(scope: &Scope, id: &str) -> Conduct {
    let (mut late, mut absent_days, mut notebook_fails) = (0u32, 0f64, 0u32);
    let (mut late_src, mut absent_src, mut notebook_src) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (log, i) in scope.attendance_of(id) {
        let a = &log.data.attendance[i];
        let source = Source {
            file: log.file.clone(),
            line: log.attendance_line(i),
        };
        if a.late > 0 {
            late += a.late;
            late_src.insert(source.clone());
        }
        if a.absent_days > 0.0 {
            absent_days += a.absent_days;
            absent_src.insert(source);
        }
    }
    for (log, i) in scope.checks_of(id) {
        if log.data.notebook_checks[i].result == CheckResult::Fail {
            notebook_fails += 1;
            notebook_src.insert(Source {
                file: log.file.clone(),
                line: log.notebook_check_line(i),
            });
        }
    }
    let review = scope.corpus.reviews.get(&scope.year);
    let person_review = review.and_then(|r| r.data.people.get(id));
    let review_src: BTreeSet<Source> = review
        .filter(|_| person_review.is_some())
        .map(|r| Source {
            file: r.file.clone(),
            line: r.lines.line(&format!("people.{id}")),
        })
        .into_iter()
        .collect();
    let criticised_errors = person_review.map_or(0, |r| r.criticised_errors);
    let sanction = person_review.is_some_and(|r| r.sanction);

    let rules = &scope.corpus.rules.evaluation.disqualify;
    let mut disqualifications = Vec::new();
    let mut rule = |reason, met: bool, value: f64, limit: f64, sources: &BTreeSet<Source>| {
        if met {
            disqualifications.push(Disqualification {
                reason,
                value,
                limit,
                sources: sources.iter().cloned().collect(),
            });
        }
    };
    if let Some(over) = rules.late_over {
        rule(
            Reason::Late,
            late > over,
            late.into(),
            over.into(),
            &late_src,
        );
    }
    if let Some(over) = rules.absent_days_over {
        rule(
            Reason::Absent,
            absent_days > over + EPSILON,
            absent_days,
            over,
            &absent_src,
        );
    }
    if let Some(least) = rules.notebook_fails_at_least {
        rule(
            Reason::Notebook,
            notebook_fails >= least,
            notebook_fails.into(),
            least.into(),
            &notebook_src,
        );
    }
    if let Some(least) = rules.criticised_errors_at_least {
        rule(
            Reason::Errors,
            criticised_errors >= least,
            criticised_errors.into(),
            least.into(),
            &review_src,
        );
    }
    if rules.sanction {
        rule(Reason::Sanction, sanction, 1.0, 1.0, &review_src);
    }

    Conduct {
        late,
        absent_days,
        notebook_fails,
        criticised_errors,
        sanction,
        disqualifications,
    }
}
