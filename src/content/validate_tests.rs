//! The rubric checks of rules.yaml and the review files.

use crate::content::corpus::from_texts;
use crate::error::Severity;

const ORG: &str = "departments:\n  - {id: a, name: 甲科}\n  - {id: b, name: 乙科}\n";

/// `(severity, file, line, field)` of every diagnostic.
fn check(rules: &str, files: &[(&str, &str)]) -> Vec<(Severity, String, usize, String)> {
    let (_, ds) = from_texts(ORG, rules, files);
    ds.into_iter()
        .map(|d| (d.severity, d.file, d.line, d.field))
        .collect()
}

fn one(
    severity: Severity,
    file: &str,
    line: usize,
    field: &str,
) -> (Severity, String, usize, String) {
    (severity, file.into(), line, field.into())
}

#[test]
fn a_clean_rubric_passes() {
    let rules = "session_kinds: [集中学习]\nevaluation:\n  criteria:\n    - {id: c, weight: 60, metric: collective_months}\n    - {id: f, weight: 40, metric: review}\n  person_criteria:\n    - {id: s, weight: 100, metric: self_study_compliance}\n";
    let review = "year: 2026\ndepartments:\n  a: {scores: {f: 9}}\n  b: {scores: {f: 7.5}}\n";
    assert_eq!(check(rules, &[("reviews/2026.yaml", review)]), []);
}

#[test]
fn unknown_metric_duplicate_id_bad_weight_and_target() {
    let rules = "session_kinds: [集中学习]\nevaluation:\n  criteria:\n    - {id: c, weight: 50, metric: collective_month}\n    - {id: c, weight: 50, metric: session_kinds, target: 0}\n  person_criteria:\n    - {id: s, weight: 100, metric: review}\n";
    assert_eq!(
        check(rules, &[]),
        [
            one(
                Severity::Error,
                "rules.yaml",
                4,
                "evaluation.criteria[0].metric"
            ),
            one(
                Severity::Error,
                "rules.yaml",
                5,
                "evaluation.criteria[1].id"
            ),
            one(
                Severity::Error,
                "rules.yaml",
                5,
                "evaluation.criteria[1].target"
            ),
            one(
                Severity::Error,
                "rules.yaml",
                7,
                "evaluation.person_criteria[0].metric"
            ),
        ]
    );
    let (_, ds) = from_texts(ORG, rules, &[]);
    assert_eq!(ds[0].message, "unknown metric `collective_month`");
    assert_eq!(
        ds[0].hint.as_deref(),
        Some("did you mean `collective_months`?")
    );
}

#[test]
fn weights_that_do_not_add_up_to_100_are_a_warning() {
    let rules = "session_kinds: [集中学习]\nevaluation:\n  criteria:\n    - {id: c, weight: 50, metric: collective_months}\n    - {id: k, weight: 40, metric: session_kinds}\n  person_criteria:\n    - {id: s, weight: 100, metric: self_study_compliance}\n";
    assert_eq!(
        check(rules, &[]),
        [one(
            Severity::Warning,
            "rules.yaml",
            3,
            "evaluation.criteria"
        )]
    );
    let (_, ds) = from_texts(ORG, rules, &[]);
    assert_eq!(
        ds[0].message,
        "the weights of criteria add up to 90, not 100"
    );
}

#[test]
fn bands_out_of_order_and_quotas_out_of_range_are_errors() {
    let rules = "session_kinds: [集中学习]\nevaluation:\n  bands:\n    - {min: 80, grade: 良好}\n    - {min: 90, grade: 优秀}\n    - {min: 0, grade: 不合格}\n  quotas: {advanced_workers: 20}\n";
    assert_eq!(
        check(rules, &[]),
        [
            one(Severity::Error, "rules.yaml", 5, "evaluation.bands[1]"),
            one(
                Severity::Error,
                "rules.yaml",
                7,
                "evaluation.quotas.advanced_workers"
            ),
        ]
    );
}

#[test]
fn review_files_against_the_review_criteria() {
    let rules = "session_kinds: [集中学习]\nevaluation:\n  criteria:\n    - {id: facilities, weight: 50, metric: review}\n    - {id: atmosphere, weight: 50, metric: review}\n";
    // a misspells a criterion and scores out of 100; b has no atmosphere score; nobody
    // at all is scored for facilities.
    let review = "year: 2026\ndepartments:\n  a:\n    scores: {facility: 9, atmosphere: 95}\n  b: {scores: {}}\n";
    let found = check(rules, &[("reviews/2026.yaml", review)]);
    assert_eq!(
        found,
        [
            one(Severity::Warning, "reviews/2026.yaml", 2, "departments"),
            one(
                Severity::Error,
                "reviews/2026.yaml",
                4,
                "departments.a.scores.atmosphere"
            ),
            one(
                Severity::Error,
                "reviews/2026.yaml",
                4,
                "departments.a.scores.facility"
            ),
            one(Severity::Warning, "reviews/2026.yaml", 5, "departments.b"),
        ]
    );
    // No review file yet (most of the year): nothing to say.
    assert_eq!(check(rules, &[]), []);
}
