//! Hand-computed expectations for every metric and every rule of the evaluation.

use super::*;
use crate::content::corpus::from_texts;
use crate::stats::metrics::{Scope, Sources};

fn corpus(org: &str, rules: &str, files: &[(&str, &str)]) -> Corpus {
    let (corpus, ds) = from_texts(org, rules, files);
    let errors: Vec<String> = ds
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    corpus
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(close(a, b), "{} = {a}, expected {b}", stringify!($a));
    }};
}

fn ym(year: i32, month: u32) -> YearMonth {
    YearMonth { year, month }
}

// ---- corpus A: every metric ----

const ORG_A: &str = "\
departments:
  - {id: a, name: 甲科}
  - {id: b, name: 乙科}
  - {id: c, name: 丙科, type: support}
people:
  - {id: a1, name: 甲一, department: a, role: leader, party: true}
  - {id: a2, name: 甲二, department: a}
  - {id: a3, name: 甲三, department: a, left: 2026-06-10}
  - {id: b1, name: 乙一, department: b}
  - {id: b-new, name: 乙新, department: b, joined: 2027-01-01}
  - {id: b-old, name: 乙旧, department: b, left: 2025-12-31}
";

const RULES_A: &str = "\
session_kinds: [集中学习, 专题辅导, 读书活动]
collective_kinds: [集中学习, 专题辅导]
requirements:
  collective_sessions_per_month: 1
  self_study_hours_per_month: 20
  essays_per_year: {leader: 2, member: 1}
evaluation:
  criteria:
    - {id: collective, name: 集中学习制度落实, weight: 20, metric: collective_months}
    - {id: attendance, name: 集中学习出勤, weight: 15, metric: attendance_rate, target: 0.95}
    - {id: self_study, name: 个人自学, weight: 20, metric: self_study_compliance}
    - {id: essays, name: 撰写体会文章, weight: 15, metric: essay_quota}
    - {id: notebooks, name: 学习笔记检查, weight: 10, metric: notebook_pass_rate}
    - {id: carriers, name: 学习载体创新, weight: 10, metric: session_kinds, target: 4}
    - {id: facilities, name: 学习阵地建设, weight: 5, metric: review}
    - {id: atmosphere, name: 学习氛围, weight: 5, metric: review}
  person_criteria:
    - {id: self_study, weight: 40, metric: self_study_compliance}
    - {id: essays, weight: 30, metric: essay_quota}
    - {id: notebooks, weight: 20, metric: notebook_pass_rate}
    - {id: attendance, weight: 10, metric: attendance_rate}
  quotas: {advanced_departments: 0.30, advanced_workers: 0.20, excellent_party_members: 0.15}
  disqualify: {late_over: 10, absent_days_over: 3, notebook_fails_at_least: 2,
               criticised_errors_at_least: 2, sanction: true}
";

fn minutes(
    date: &str,
    dept: &str,
    kind: &str,
    attendees: &str,
    absent: &str,
    extra: &str,
) -> String {
    format!(
        "---\ntitle: 学习\ndate: {date}\ndepartment: {dept}\nkind: {kind}\nhours: 2\nattendees: [{attendees}]\nabsent: [{absent}]\n{extra}---\n正文\n"
    )
}

fn essay(date: &str, author: &str, extra: &str) -> String {
    format!("---\ntitle: 心得\ndate: {date}\nauthor: {author}\n{extra}---\n正文\n")
}

fn corpus_a() -> Corpus {
    let m1 = minutes("2026-01-10", "a", "集中学习", "a1, a2", "{person: a3}", "");
    let m2 = minutes("2026-01-20", "a", "读书活动", "a1", "", "");
    let m3 = minutes(
        "2026-02-14",
        "a",
        "集中学习",
        "a1, a2, a3",
        "",
        "draft: true\n",
    );
    let m4 = minutes("2026-03-05", "a", "专题辅导", "a1", "{person: a2}", "");
    let m5 = minutes("2026-07-02", "a", "集中学习", "a1, a2", "", "");
    let m6 = minutes("2026-01-15", "b", "集中学习", "b1", "", "");
    let e1 = essay("2026-03-01", "a1", "");
    let e2 = essay("2026-04-01", "a2", "");
    let e3 = essay("2026-08-01", "a2", "");
    let e4 = essay("2026-09-01", "a2", "draft: true\n");
    let e5 = essay("2025-12-30", "b1", "");
    let jan = "month: 2026-01\nself_study:\n  a1: 20\n  a2: 19.5\n  a3: 25\n  b1: 30\nnotebook_checks:\n  - {person: a1, result: pass}\nattendance:\n  - {person: a2, late: 6}\n";
    let feb = "month: 2026-02\nself_study:\n  a1: 22\n  a3: 20\nnotebook_checks:\n  - {person: a1, result: fail}\n  - {person: b1, result: fail}\n";
    let mar = "month: 2026-03\nself_study:\n  a1: 20\n  a2: 20\nnotebook_checks:\n  - {person: a2, result: pass}\nattendance:\n  - {person: a2, late: 5}\n";
    let jun = "month: 2026-06\nself_study:\n  a1: 21\n  a3: 40\n";
    let review = "year: 2026\ndepartments:\n  a: {scores: {facilities: 9}}\n  b: {scores: {facilities: 10, atmosphere: 7}}\n";
    corpus(
        ORG_A,
        RULES_A,
        &[
            ("minutes/m1.md", &m1),
            ("minutes/m2.md", &m2),
            ("minutes/m3.md", &m3),
            ("minutes/m4.md", &m4),
            ("minutes/m5.md", &m5),
            ("minutes/m6.md", &m6),
            ("essays/e1.md", &e1),
            ("essays/e2.md", &e2),
            ("essays/e3.md", &e3),
            ("essays/e4.md", &e4),
            ("essays/e5.md", &e5),
            ("logs/2026-01.yaml", jan),
            ("logs/2026-02.yaml", feb),
            ("logs/2026-03.yaml", mar),
            ("logs/2026-06.yaml", jun),
            ("reviews/2026.yaml", review),
        ],
    )
}

fn person<'a>(c: &'a Corpus, id: &str) -> &'a Person {
    c.org.person(id).expect("person")
}

#[test]
fn department_metrics_over_the_whole_year() {
    let c = corpus_a();
    let s = Scope::new(&c, 2026, None);
    // Collective sessions of a: January (m1), March (m4), July (m5); the February one
    // is a draft.
    let v = s.dept_collective_months("a");
    assert_close!(v.value, 3.0 / 12.0);
    assert_eq!((v.count, v.of), (3.0, Some(12.0)));
    let files: Vec<&str> = v.sources.iter().map(|s| &s.file[..]).collect();
    assert_eq!(files, ["minutes/m1.md", "minutes/m4.md", "minutes/m5.md"]);
    // m1 2 of 3, m4 1 of 2, m5 2 of 2.
    assert_close!(s.dept_attendance_rate("a").value, 5.0 / 7.0);
    // Pairs: a1 12 months, a2 12, a3 January to May (left June 10) = 29. At or above 20
    // hours: a1 Jan, Feb, Mar, Jun; a2 Mar; a3 Jan, Feb (June is not counted).
    let v = s.dept_self_study_compliance("a");
    assert_eq!((v.count, v.of), (7.0, Some(29.0)));
    assert_eq!(
        v.sources[0],
        Source {
            file: "logs/2026-01.yaml".into(),
            line: 3
        }
    );
    // a1 (leader, quota 2) wrote 1; a2 (member, quota 1) wrote 2 (and a draft); a3 none.
    let v = s.dept_essay_quota("a");
    assert_eq!((v.count, v.of), (1.0, Some(3.0)));
    assert_eq!(v.sources.len(), 3, "e1, e2, e3; not the draft");
    // a1 pass, a1 fail, a2 pass.
    let v = s.dept_notebook_pass_rate("a");
    assert_eq!((v.count, v.of), (2.0, Some(3.0)));
    assert_eq!(v.sources.len(), 3);
    assert_close!(s.dept_session_kinds("a").value, 3.0);
    let v = s.dept_review("a", "facilities");
    assert_close!(v.value, 0.9);
    assert_eq!(
        v.sources,
        [Source {
            file: "reviews/2026.yaml".into(),
            line: 3
        }]
    );
    assert_close!(s.dept_review("a", "atmosphere").value, 0.0);

    // b: one collective session, b1 counted all year, its essay is from 2025.
    assert_close!(s.dept_collective_months("b").value, 1.0 / 12.0);
    assert_close!(s.dept_attendance_rate("b").value, 1.0);
    assert_close!(s.dept_self_study_compliance("b").value, 1.0 / 12.0);
    assert_close!(s.dept_essay_quota("b").value, 0.0);
    assert_close!(s.dept_notebook_pass_rate("b").value, 0.0);
    assert_close!(s.dept_review("b", "atmosphere").value, 0.7);
}

#[test]
fn a_department_with_no_sessions_no_people_and_no_review_scores_zero() {
    let c = corpus_a();
    let s = Scope::new(&c, 2026, None);
    for m in Metric::ALL {
        let v = s.dept_metric(m, "c", "facilities");
        assert_eq!(v.value, 0.0, "{m:?}");
        assert!(v.sources.is_empty(), "{m:?}");
    }
    let e = evaluate(&c, 2026, None);
    let dept = e
        .departments
        .iter()
        .find(|d| d.id.as_str() == "c")
        .expect("c");
    assert_eq!(
        (dept.score, dept.grade.as_str(), dept.people),
        (0.0, "不合格", 0)
    );
}

#[test]
fn through_limits_the_months() {
    let c = corpus_a();
    let s = Scope::new(&c, 2026, Some(ym(2026, 3)));
    assert_eq!(s.months.len(), 3);
    // January and March met; February only has a draft.
    assert_close!(s.dept_collective_months("a").value, 2.0 / 3.0);
    // m1 2 of 3, m4 1 of 2; July is out of scope.
    assert_close!(s.dept_attendance_rate("a").value, 3.0 / 5.0);
    // 9 pairs; a1 Jan Feb Mar, a2 Mar, a3 Jan Feb.
    assert_close!(s.dept_self_study_compliance("a").value, 6.0 / 9.0);
    // Only e1 (a1, quota 2) is dated by March.
    assert_close!(s.dept_essay_quota("a").value, 0.0);
    assert_close!(s.dept_session_kinds("a").value, 3.0);
    let e = evaluate(&c, 2026, Some(ym(2026, 3)));
    assert_eq!(e.through, Some(ym(2026, 3)));
    let a2 = e.people.iter().find(|p| p.id.as_str() == "a2").expect("a2");
    assert_eq!((a2.essays, a2.self_study_hours), (0, 39.5));
}

#[test]
fn person_metrics() {
    let c = corpus_a();
    let s = Scope::new(&c, 2026, None);
    let (a1, a2, a3) = (person(&c, "a1"), person(&c, "a2"), person(&c, "a3"));
    // Listed at collective m1, m4 (absent), m5: 2 of 3.
    assert_close!(s.person_attendance_rate(a2).value, 2.0 / 3.0);
    assert_close!(s.person_attendance_rate(a1).value, 1.0);
    // a3 is listed only as absent at m1 (the draft m3 does not count).
    let v = s.person_attendance_rate(a3);
    assert_eq!((v.value, v.count, v.of), (0.0, 0.0, Some(1.0)));
    assert_close!(s.person_self_study_compliance(a1).value, 4.0 / 12.0);
    // a3 counts January to May only: Jan and Feb met.
    assert_close!(s.person_self_study_compliance(a3).value, 2.0 / 5.0);
    // min(1, essays / quota).
    assert_close!(s.person_essay_quota(a1).value, 0.5);
    assert_close!(s.person_essay_quota(a2).value, 1.0);
    assert_close!(s.person_essay_quota(a3).value, 0.0);
    assert_close!(s.person_notebook_pass_rate(a1).value, 0.5);
    assert_close!(s.person_notebook_pass_rate(a3).value, 0.0);
    // a1 attended collective sessions in Jan, Mar, Jul; a3 none of their 5 months.
    assert_close!(s.person_collective_months(a1).value, 3.0 / 12.0);
    assert_eq!(s.person_collective_months(a3).of, Some(5.0));
    assert_close!(s.person_session_kinds(a1).value, 3.0);
    assert_close!(s.person_metric(Metric::Review, a1).value, 0.0);
}

#[test]
fn department_scores_add_weighted_points() {
    let c = corpus_a();
    let e = evaluate(&c, 2026, None);
    let a = e
        .departments
        .iter()
        .find(|d| d.id.as_str() == "a")
        .expect("a");
    let expected = [
        ("collective", 20.0 * 3.0 / 12.0),
        ("attendance", 15.0 * (5.0 / 7.0) / 0.95),
        ("self_study", 20.0 * 7.0 / 29.0),
        ("essays", 15.0 / 3.0),
        ("notebooks", 10.0 * 2.0 / 3.0),
        ("carriers", 10.0 * 3.0 / 4.0),
        ("facilities", 4.5),
        ("atmosphere", 0.0),
    ];
    for (c, (id, points)) in a.criteria.iter().zip(expected) {
        assert_eq!(c.id, id);
        assert_close!(c.points, points);
    }
    let total: f64 = expected.iter().map(|(_, p)| p).sum();
    assert_close!(a.score, total);
    assert_eq!(a.grade, "不合格");
    assert_eq!(e.departments[0].id.as_str(), "a", "highest first");
    assert_eq!(e.departments[0].rank, 1);
}

#[test]
fn person_scores_and_the_counted_people_of_the_year() {
    let c = corpus_a();
    let e = evaluate(&c, 2026, None);
    let ids: Vec<&str> = e.people.iter().map(|p| p.id.as_str()).collect();
    // Ranked: a2 60, a1 48.33, a3 16, b1 13.33; b-new and b-old are not counted in 2026.
    assert_eq!(ids, ["a2", "a1", "a3", "b1"]);
    let score = |id: &str| e.people.iter().find(|p| p.id.as_str() == id).expect(id);
    assert_close!(score("a1").score, 40.0 * 4.0 / 12.0 + 15.0 + 10.0 + 10.0);
    assert_close!(
        score("a2").score,
        40.0 / 12.0 + 30.0 + 20.0 + 10.0 * 2.0 / 3.0
    );
    assert_close!(score("b1").score, 40.0 / 12.0 + 10.0);
    // The person who left in June: counted, hours of January to May only.
    let a3 = score("a3");
    assert_close!(a3.score, 40.0 * 0.4);
    assert_eq!(
        (a3.self_study_hours, a3.essays, a3.essay_quota),
        (45.0, 0, 1)
    );
    // a2: late 6 + 5 = 11 times, more than 10.
    let a2 = score("a2");
    assert_eq!((a2.late, a2.disqualified), (11, true));
    assert_eq!(a2.reasons, [Reason::Late]);
    assert_eq!(a2.disqualifications[0].sources.len(), 2);
    assert_eq!((a2.essays, a2.essay_quota), (2, 1));
    let a1 = score("a1");
    assert_eq!((a1.notebook_fails, a1.disqualified), (1, false));
}

// ---- corpus B: bands, veto, advanced departments ----

const RULES_REVIEW_ONLY: &str = "\
session_kinds: [集中学习]
evaluation:
  criteria:
    - {id: facilities, weight: 50, metric: review}
    - {id: atmosphere, weight: 50, metric: review}
  quotas: {advanced_departments: 0.3}
";

fn corpus_b() -> Corpus {
    let ids = ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"];
    let org: String = std::iter::once("departments:\n".to_string())
        .chain(
            ids.iter()
                .map(|d| format!("  - {{id: {d}, name: 科室{d}}}\n")),
        )
        .collect();
    let review = "year: 2026\ndepartments:\n\
        \x20 d0: {scores: {facilities: 9, atmosphere: 10}}\n\
        \x20 d1: {scores: {facilities: 10, atmosphere: 9}}\n\
        \x20 d2: {scores: {facilities: 10, atmosphere: 10}, veto: 发生严重违纪问题}\n\
        \x20 d3: {scores: {facilities: 9, atmosphere: 9}}\n\
        \x20 d4: {scores: {facilities: 10, atmosphere: 8.4}}\n\
        \x20 d5: {scores: {facilities: 8, atmosphere: 8}}\n\
        \x20 d6: {scores: {facilities: 6, atmosphere: 6}}\n\
        \x20 d7: {scores: {facilities: 6, atmosphere: 5.98}}\n";
    corpus(&org, RULES_REVIEW_ONLY, &[("reviews/2026.yaml", review)])
}

#[test]
fn grades_at_the_band_edges_and_a_veto() {
    let c = corpus_b();
    let e = evaluate(&c, 2026, None);
    let got: Vec<(&str, usize, &str)> = e
        .departments
        .iter()
        .map(|d| (d.id.as_str(), d.rank, d.grade.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("d2", 1, "不合格"), // 100 points, but vetoed
            ("d0", 2, "优秀"),   // 95, tied with d1: by id
            ("d1", 2, "优秀"),
            ("d4", 4, "优秀"),   // 92
            ("d3", 5, "优秀"),   // exactly 90
            ("d5", 6, "良好"),   // exactly 80
            ("d6", 7, "合格"),   // exactly 60
            ("d7", 8, "不合格"), // 59.9
        ]
    );
    let d2 = &e.departments[0];
    assert_close!(d2.score, 100.0);
    assert_eq!(d2.veto.as_deref(), Some("发生严重违纪问题"));
    assert_eq!(d2.veto_source.as_ref().map(|s| s.line), Some(5));
    // floor(0.3 × 8) = 2 among the top band without a veto: d0, d1 (d4 and d3 left out).
    assert_eq!(e.award_slots.advanced_departments, 2);
    let adv: Vec<&str> = e
        .awards
        .advanced_departments
        .iter()
        .map(|d| d.as_str())
        .collect();
    assert_eq!(adv, ["d0", "d1"]);
}

#[test]
fn band_of_uses_inclusive_lower_bounds() {
    let bands = crate::config::Evaluation::default().bands;
    let mins: Vec<f64> = bands.iter().map(|b| b.min).collect();
    assert_eq!(mins, [90.0, 80.0, 60.0, 0.0], "the usual bands by default");
    for (score, band) in [
        (100.0, 0),
        (90.0, 0),
        (89.999_999_999_999_99, 0),
        (89.99, 1),
        (80.0, 1),
        (79.99, 2),
        (60.0, 2),
        (59.99, 3),
        (0.0, 3),
        (-1.0, 3),
    ] {
        assert_eq!(band_of(&bands, score), band, "{score}");
    }
    assert_close!(points(15.0, 0.9, 0.95), 15.0 * 0.9 / 0.95);
    assert_close!(points(15.0, 0.99, 0.95), 15.0);
    assert_close!(points(10.0, 5.0, 4.0), 10.0);
    assert_close!(points(10.0, 0.5, 1.0), 5.0);
}

#[test]
fn at_most_the_quota_of_departments_and_only_the_eligible() {
    let review = "year: 2026\ndepartments:\n  d0: {scores: {facilities: 10, atmosphere: 10}}\n  d1: {scores: {facilities: 8, atmosphere: 8}}\n";
    let org = "departments:\n  - {id: d0, name: 甲}\n  - {id: d1, name: 乙}\n  - {id: d2, name: 丙}\n  - {id: d3, name: 丁}\n  - {id: d4, name: 戊}\n  - {id: d5, name: 己}\n  - {id: d6, name: 庚}\n";
    let c = corpus(org, RULES_REVIEW_ONLY, &[("reviews/2026.yaml", review)]);
    let e = evaluate(&c, 2026, None);
    assert_eq!(e.award_slots.advanced_departments, 2);
    assert_eq!(e.awards.advanced_departments, [DeptId::from("d0")]);
}

// ---- corpus C: person awards and disqualification ----

const RULES_ESSAYS_ONLY: &str = "\
session_kinds: [集中学习]
requirements:
  essays_per_year: {leader: 10, member: 10}
evaluation:
  person_criteria:
    - {id: essays, weight: 100, metric: essay_quota}
  quotas: {advanced_workers: 0.2, excellent_party_members: 0.4}
  disqualify: {late_over: 10, absent_days_over: 3, notebook_fails_at_least: 2,
               criticised_errors_at_least: 2, sanction: true}
";

#[test]
fn award_lists_floor_the_quotas_skip_the_disqualified_and_never_repeat_a_person() {
    // (id, party, essays): each essay is worth 10 points.
    let people = [
        ("p1", true, 5),
        ("p2", true, 5),
        ("p3", true, 9),
        ("p4", false, 5),
        ("p5", true, 3),
        ("p6", false, 1),
        ("p7", true, 0),
    ];
    let mut org = String::from("departments:\n  - {id: x, name: 某科}\npeople:\n");
    for (id, party, _) in people {
        org.push_str(&format!(
            "  - {{id: {id}, name: 人{id}, department: x, party: {party}}}\n"
        ));
    }
    let mut files = Vec::new();
    for (id, _, n) in people {
        for i in 0..n {
            files.push((
                format!("essays/{id}-{i}.md"),
                essay(&format!("2026-05-{:02}", i + 1), id, ""),
            ));
        }
    }
    files.push((
        "reviews/2026.yaml".into(),
        "year: 2026\npeople:\n  p3: {sanction: true}\n".into(),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_str()))
        .collect();
    let c = corpus(&org, RULES_ESSAYS_ONLY, &files);
    let e = evaluate(&c, 2026, None);
    let ranked: Vec<(&str, usize)> = e.people.iter().map(|p| (p.id.as_str(), p.rank)).collect();
    assert_eq!(
        ranked,
        [
            ("p3", 1),
            ("p1", 2),
            ("p2", 2),
            ("p4", 2),
            ("p5", 5),
            ("p6", 6),
            ("p7", 7)
        ]
    );
    // floor(0.4 × 5 party members) = 2; p3 (90 points) is disqualified for a sanction.
    assert_eq!(e.award_slots.excellent_party_members, 2);
    assert_eq!(
        e.awards.excellent_party_members,
        [PersonId::from("p1"), PersonId::from("p2")]
    );
    // floor(0.2 × 7) = 1: p1 and p2 are already on the first list, p4 wins on id... and
    // on being the next eligible one.
    assert_eq!(e.award_slots.advanced_workers, 1);
    assert_eq!(e.awards.advanced_workers, [PersonId::from("p4")]);
    let p3 = &e.people[0];
    assert_eq!(p3.reasons, [Reason::Sanction]);
    assert_eq!(p3.disqualifications[0].sources[0].line, 3);
}

#[test]
fn each_disqualification_rule_and_its_edge() {
    let ids = [
        "late11", "late10", "absent35", "absent3", "nb2", "nb1", "err2", "err1", "sanction",
    ];
    let mut org = String::from("departments:\n  - {id: x, name: 某科}\npeople:\n");
    for id in ids {
        org.push_str(&format!("  - {{id: {id}, name: {id}, department: x}}\n"));
    }
    let jan = "month: 2026-01\nnotebook_checks:\n  - {person: nb2, result: fail}\n  - {person: nb1, result: fail}\nattendance:\n  - {person: late11, late: 6}\n  - {person: late10, late: 10}\n  - {person: absent35, absent_days: 2}\n  - {person: absent3, absent_days: 3}\n";
    let feb = "month: 2026-02\nnotebook_checks:\n  - {person: nb2, result: fail}\n  - {person: nb1, result: pass}\nattendance:\n  - {person: late11, late: 5}\n  - {person: absent35, absent_days: 1.5}\n";
    let review = "year: 2026\npeople:\n  err2: {criticised_errors: 2}\n  err1: {criticised_errors: 1}\n  sanction: {sanction: true}\n";
    let c = corpus(
        &org,
        RULES_ESSAYS_ONLY,
        &[
            ("logs/2026-01.yaml", jan),
            ("logs/2026-02.yaml", feb),
            ("reviews/2026.yaml", review),
        ],
    );
    let e = evaluate(&c, 2026, None);
    let reasons = |id: &str| {
        e.people
            .iter()
            .find(|p| p.id.as_str() == id)
            .expect(id)
            .reasons
            .clone()
    };
    assert_eq!(reasons("late11"), [Reason::Late]);
    assert_eq!(reasons("late10"), []);
    assert_eq!(reasons("absent35"), [Reason::Absent]);
    assert_eq!(reasons("absent3"), []);
    assert_eq!(reasons("nb2"), [Reason::Notebook]);
    assert_eq!(reasons("nb1"), []);
    assert_eq!(reasons("err2"), [Reason::Errors]);
    assert_eq!(reasons("err1"), []);
    assert_eq!(reasons("sanction"), [Reason::Sanction]);
    // With --through January, late11 has only 6 and nb2 only one fail.
    let e = evaluate(&c, 2026, Some(ym(2026, 1)));
    let late11 = e
        .people
        .iter()
        .find(|p| p.id.as_str() == "late11")
        .expect("p");
    assert!(!late11.disqualified);
    assert_eq!(e.awards.advanced_workers.len(), 1, "floor(0.2 × 9)");
}

#[test]
fn quota_slots_forgive_float_products() {
    assert_eq!(slots(0.2, 7), 1);
    assert_eq!(slots(0.29, 100), 29);
    assert_eq!(slots(0.15, 6), 0);
    assert_eq!(slots(0.3, 10), 3);
    assert_eq!(slots(0.0, 10), 0);
}

#[test]
fn dropping_the_person_sources_changes_nothing_else() {
    let c = corpus_a();
    let kept = serde_json::to_value(evaluate(&c, 2026, None)).expect("json");
    let dropped =
        serde_json::to_value(evaluate_with(&c, 2026, None, Sources::Dropped)).expect("json");
    let person_sources = |e: &serde_json::Value| -> usize {
        let people = e["people"].as_array().expect("people");
        (people.iter())
            .map(|p| {
                let criteria = p["criteria"].as_array().expect("criteria");
                let cited = criteria
                    .iter()
                    .map(|c| c["sources"].as_array().map_or(0, Vec::len));
                cited.sum::<usize>() + p["essay_sources"].as_array().map_or(0, Vec::len)
            })
            .sum()
    };
    assert!(
        person_sources(&kept) > 10,
        "the fixture cites people's sources"
    );
    assert_eq!(person_sources(&dropped), 0);
    let dept_sources = |e: &serde_json::Value| e["departments"].to_string();
    assert_eq!(dept_sources(&dropped), dept_sources(&kept));

    // With the people's sources emptied, the rest is the same: scores, counts, ranks,
    // disqualifications and awards.
    let mut emptied = kept.clone();
    for p in emptied["people"].as_array_mut().expect("people") {
        p["essay_sources"] = serde_json::json!([]);
        for c in p["criteria"].as_array_mut().expect("criteria") {
            c["sources"] = serde_json::json!([]);
        }
    }
    assert_eq!(emptied, dropped);
}
