//! Every figure of the monthly briefing on one small hand-made corpus (March 2026).

use super::*;
use crate::content::corpus::from_texts;
use chrono::DateTime;

const ORG: &str = "\
departments:
  - {id: mishu, name: 秘书科}
  - {id: caiwu, name: 财务科}
people:
  - {id: zhang-wei, name: 张伟, department: mishu, role: leader}
  - {id: li-na, name: 李娜, department: mishu}
  - {id: wang-fang, name: 王芳, department: mishu, joined: 2026-03-10}
  - {id: zhao-lei, name: 赵磊, department: caiwu, left: 2026-03-20}
  - {id: qian-yu, name: 钱宇, department: caiwu, left: 2026-03-31}
  - {id: sun-li, name: 孙丽, department: caiwu}
";

const RULES: &str = "\
session_kinds: [集中学习, 专题辅导, 读书活动]
collective_kinds: [集中学习, 专题辅导]
requirements:
  collective_sessions_per_month: 1
  self_study_hours_per_month: 20
  plan_match_days: 3
";

fn minutes(
    date: &str,
    dept: &str,
    kind: &str,
    attendees: &str,
    absent: &str,
    draft: bool,
) -> String {
    format!(
        "---\ntitle: 学习{date}\ndate: {date}\ndepartment: {dept}\nkind: {kind}\nhours: 2\nspeaker: zhang-wei\nattendees: [{attendees}]\nabsent: [{absent}]\ndraft: {draft}\n---\n\n# 小标题\n\n第一段\n第一段续。\n\n第二段。\n"
    )
}

fn essay(date: &str, author: &str, extra: &str) -> String {
    format!(
        "---\ntitle: 文章{date}\ndate: {date}\nauthor: {author}\nkind: research\n{extra}---\n正文{date}\n"
    )
}

fn corpus() -> Corpus {
    let files: Vec<(String, String)> = vec![
        ("minutes/a.md".into(), minutes("2026-03-06", "mishu", "集中学习", "zhang-wei, li-na", "", false)),
        ("minutes/b.md".into(), minutes("2026-03-20", "mishu", "读书活动", "zhang-wei", "{person: li-na, reason: 病假}", false)),
        ("minutes/c.md".into(), minutes("2026-03-20", "caiwu", "读书活动", "qian-yu, sun-li", "{person: zhao-lei, reason: 出差}", false)),
        // A draft never counts: it would give caiwu its collective session and hold its plan.
        ("minutes/d.md".into(), minutes("2026-03-25", "caiwu", "集中学习", "qian-yu", "", true)),
        ("minutes/e.md".into(), minutes("2026-04-02", "mishu", "集中学习", "zhang-wei", "", false)),
        ("plans/mishu.md".into(), "---\ntitle: 秘书科3月计划\ndate: 2026-02-28\ndepartment: mishu\nperiod: 2026-03\nschedule:\n  - {date: 2026-03-03, topic: 学习党章, kind: 集中学习}\n  - {date: 2026-03-16, topic: 读书分享, kind: 读书活动}\n  - {date: 2026-03-30, topic: 月末研学, kind: 集中学习}\n---\n".into()),
        ("plans/org.md".into(), "---\ntitle: 全办年度计划\ndate: 2026-01-05\nscope: org\nperiod: 2026\nschedule:\n  - {date: 2026-03-22, topic: 全办专题辅导, kind: 专题辅导, speaker: 市委党校王教授}\n  - {date: 2026-04-10, topic: 四月专题, kind: 专题辅导, speaker: li-na}\n---\n".into()),
        ("plans/caiwu.md".into(), "---\ntitle: 财务科3月计划\ndate: 2026-02-28\ndepartment: caiwu\nperiod: 2026-03\nschedule:\n  - {date: 2026-03-25, topic: 财经纪律, kind: 集中学习}\n---\n".into()),
        ("plans/draft.md".into(), "---\ntitle: 草稿计划\ndate: 2026-02-28\ndepartment: mishu\nperiod: 2026-03\ndraft: true\nschedule:\n  - {date: 2026-03-10, topic: 草稿, kind: 集中学习}\n---\n".into()),
        ("essays/e1.md".into(), essay("2026-03-17", "li-na", "featured: 2026-03\n")),
        // Filed under mishu but written by sun-li: it counts for the author's caiwu.
        ("essays/e2.md".into(), essay("2026-03-05", "sun-li", "department: mishu\n")),
        ("essays/e3.md".into(), essay("2026-03-10", "zhang-wei", "featured: 2026-03\ndraft: true\n")),
        ("essays/e4.md".into(), essay("2026-02-20", "zhang-wei", "featured: 2026-03\n")),
        ("essays/e5.md".into(), essay("2026-03-01", "zhang-wei", "featured: 2026-03\n")),
        ("essays/e6.md".into(), essay("2026-03-28", "qian-yu", "featured: 2026-03\n")),
        ("cases/k1.md".into(), "---\ntitle: 李娜台账\ndate: 2026-03-12\nperson: li-na\nlevel: unit\nsummary: 一本台账管到底。\n---\n正文\n".into()),
        ("cases/k2.md".into(), "---\ntitle: 草稿案例\ndate: 2026-03-15\ndepartment: caiwu\ndraft: true\n---\n".into()),
        ("logs/2026-03.yaml".into(), "month: 2026-03\nself_study:\n  zhang-wei: 22\n  li-na: 18.5\n  wang-fang: 30\n  zhao-lei: 25\n  qian-yu: 20\n".into()),
    ];
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (corpus, ds) = from_texts(ORG, RULES, &refs);
    let errors: Vec<_> = ds.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    corpus
}

const MARCH: YearMonth = YearMonth {
    year: 2026,
    month: 3,
};

fn dept<'a>(r: &'a MonthlyReport, id: &str) -> &'a DepartmentFigures {
    r.departments
        .iter()
        .find(|d| d.id.as_str() == id)
        .expect("department")
}

fn ids(v: &[PersonId]) -> Vec<&str> {
    v.iter().map(PersonId::as_str).collect()
}

/// The files a figure cites, as text.
fn names(files: &[std::sync::Arc<str>]) -> Vec<&str> {
    files.iter().map(|f| &**f).collect()
}

#[test]
fn sessions_count_non_drafts_of_the_month_and_collective_kinds() {
    let r = monthly(&corpus(), MARCH);
    assert_eq!((r.totals.sessions, r.totals.collective_sessions), (3, 1));
    assert_eq!(
        names(&r.totals.sources.sessions),
        ["minutes/a.md", "minutes/b.md", "minutes/c.md"]
    );
    assert_eq!(
        names(&r.totals.sources.collective_sessions),
        ["minutes/a.md"]
    );
    let (m, c) = (dept(&r, "mishu"), dept(&r, "caiwu"));
    assert_eq!((m.sessions, m.collective_sessions), (2, 1));
    assert_eq!(
        (c.sessions, c.collective_sessions),
        (1, 0),
        "the draft does not count"
    );
}

#[test]
fn attendance_rate_is_summed_over_sessions() {
    let r = monthly(&corpus(), MARCH);
    assert_eq!(r.totals.attendance_rate, 5.0 / 7.0);
    assert_eq!((r.totals.attendees, r.totals.absent), (5, 2));
    assert_eq!(dept(&r, "mishu").attendance_rate, 3.0 / 4.0);
    assert_eq!(dept(&r, "caiwu").attendance_rate, 2.0 / 3.0);
    let empty = monthly(&corpus(), YearMonth::new(2026, 5).expect("month"));
    assert_eq!(empty.totals.attendance_rate, 0.0, "0 with no session");
}

#[test]
fn self_study_counts_people_on_the_staff_the_whole_month() {
    let r = monthly(&corpus(), MARCH);
    let s = &r.totals.sources.self_study;
    // wang-fang joined on the 10th and zhao-lei left on the 20th: neither counts, though
    // both logged hours; qian-yu left on the last day and counts.
    assert_eq!(ids(&s.people), ["zhang-wei", "li-na", "qian-yu", "sun-li"]);
    assert_eq!(r.totals.self_study_people, 4);
    assert_eq!(r.totals.self_study_hours, 22.0 + 18.5 + 20.0);
    // 20 hours reaches the requirement; sun-li, missing from the log, has 0.
    assert_eq!(ids(&s.compliant), ["zhang-wei", "qian-yu"]);
    assert_eq!(r.totals.self_study_compliant, 2);
    assert_eq!(ids(&s.missing), ["sun-li"]);
    assert_eq!(s.log.as_deref(), Some("logs/2026-03.yaml"));
    // Each figure cites its line of the log; sun-li's, the line of `self_study:`.
    assert_eq!(s.entries, [(22.0, 3), (18.5, 4), (20.0, 7), (0.0, 2)]);
    let m = dept(&r, "mishu");
    assert_eq!(
        (m.people, m.self_study_hours, m.self_study_compliant),
        (2, 40.5, 1)
    );
    let c = dept(&r, "caiwu");
    assert_eq!(
        (c.people, c.self_study_hours, c.self_study_compliant),
        (2, 20.0, 1)
    );
}

#[test]
fn a_month_without_log_gives_everyone_zero_hours() {
    let r = monthly(&corpus(), YearMonth::new(2026, 5).expect("month"));
    assert_eq!(r.totals.self_study_hours, 0.0);
    assert_eq!(r.totals.self_study_compliant, 0);
    assert_eq!(r.totals.sources.self_study.log, None);
    assert_eq!(r.totals.sources.self_study.missing.len(), 4);
    assert_eq!(r.totals.sources.self_study.entries, [(0.0, 0); 4]);
}

#[test]
fn planned_sessions_are_held_within_plan_match_days() {
    let r = monthly(&corpus(), MARCH);
    let held: Vec<(String, &str, bool, Vec<&str>)> = r
        .totals
        .sources
        .planned
        .iter()
        .map(|p| {
            (
                p.date.to_string(),
                &*p.plan,
                p.held,
                p.held_by.iter().map(|f| &**f).collect(),
            )
        })
        .collect();
    assert_eq!(
        held,
        [
            // 3 days later: held.
            (
                "2026-03-03".into(),
                "plans/mishu.md",
                true,
                vec!["minutes/a.md"]
            ),
            // 4 days later (b on the 20th): not held.
            ("2026-03-16".into(), "plans/mishu.md", false, vec![]),
            // org-wide: a session of any department counts (caiwu's c, 2 days before).
            (
                "2026-03-22".into(),
                "plans/org.md",
                true,
                vec!["minutes/b.md", "minutes/c.md"]
            ),
            // the only session near it is a draft.
            ("2026-03-25".into(), "plans/caiwu.md", false, vec![]),
            // held next month, 3 days later.
            (
                "2026-03-30".into(),
                "plans/mishu.md",
                true,
                vec!["minutes/e.md"]
            ),
        ]
    );
    assert_eq!((r.totals.planned_sessions, r.totals.planned_held), (5, 3));
    let m = dept(&r, "mishu");
    assert_eq!(
        (m.planned_sessions, m.planned_held),
        (3, 2),
        "org plans only in totals"
    );
    let c = dept(&r, "caiwu");
    assert_eq!((c.planned_sessions, c.planned_held), (1, 0));
}

#[test]
fn essays_of_the_month_count_for_their_authors_department() {
    let r = monthly(&corpus(), MARCH);
    assert_eq!(r.totals.essays, 4);
    assert_eq!(
        names(&r.totals.sources.essays),
        [
            "essays/e5.md",
            "essays/e2.md",
            "essays/e1.md",
            "essays/e6.md"
        ]
    );
    assert_eq!(
        names(&dept(&r, "mishu").sources.essays),
        ["essays/e5.md", "essays/e1.md"]
    );
    assert_eq!(
        names(&dept(&r, "caiwu").sources.essays),
        ["essays/e2.md", "essays/e6.md"]
    );
}

#[test]
fn featured_essays_are_at_most_three_oldest_first() {
    let r = monthly(&corpus(), MARCH);
    let files: Vec<&str> = r.featured.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(files, ["essays/e4.md", "essays/e5.md", "essays/e1.md"]);
    assert_eq!(r.featured[2].author_name, "李娜");
    assert_eq!(r.featured[2].department_name, "秘书科");
    assert_eq!(r.featured[2].kind, "调研报告");
}

#[test]
fn cases_and_sessions_are_listed_with_summaries() {
    let r = monthly(&corpus(), MARCH);
    assert_eq!(r.totals.cases, 1);
    assert_eq!(r.cases[0].summary, "一本台账管到底。");
    assert_eq!(r.cases[0].department_name, "秘书科");
    assert_eq!(r.cases[0].level.as_deref(), Some("单位级"));
    assert_eq!(r.sessions.len(), 3);
    assert_eq!(r.sessions[0].summary, "第一段第一段续。");
    assert_eq!(r.sessions[0].speaker.as_deref(), Some("张伟"));
    assert!(r.sessions[0].collective);
}

#[test]
fn next_month_lists_the_plans_of_the_following_month() {
    let r = monthly(&corpus(), MARCH);
    assert_eq!(r.next_month.len(), 1);
    let p = &r.next_month[0];
    assert_eq!(
        (&*p.topic, p.speaker.as_deref()),
        ("四月专题", Some("李娜"))
    );
    assert_eq!(p.department, None);
}

#[test]
fn warnings_name_what_is_missing() {
    let r = monthly(&corpus(), MARCH);
    assert_eq!(
        dept(&r, "mishu").warnings,
        [
            "个人自学达标率50%（1/2人），低于80%",
            "计划学习未按期开展：3月16日“读书分享”（读书活动）",
        ]
    );
    assert_eq!(
        dept(&r, "caiwu").warnings,
        [
            "本月未开展集中学习",
            "个人自学达标率50%（1/2人），低于80%",
            "计划学习未按期开展：3月25日“财经纪律”（集中学习）",
        ]
    );
}

#[test]
fn issue_numbers_follow_the_published_months() {
    let mut c = corpus();
    assert_eq!(issue_for(&c, MARCH), 1);
    let (with, ds) = from_texts(
        ORG,
        RULES,
        &[(
            "briefings/2026-01.md",
            "---\nmonth: 2026-01\nissue: 5\npublished: 2026-02-01\n---\n正文\n",
        )],
    );
    assert!(ds.is_empty(), "{ds:?}");
    c.briefings = with.briefings;
    c.site.bulletin.first_issue = 5;
    assert_eq!(issue_for(&c, YearMonth::new(2026, 1).expect("m")), 5);
    assert_eq!(issue_for(&c, MARCH), 6);
    let r = monthly(&c, YearMonth::new(2026, 1).expect("m"));
    assert_eq!(r.issue, Some(5));
    assert_eq!(monthly(&c, MARCH).issue, None);
}

#[test]
fn json_has_the_documented_shape() {
    let r = monthly(&corpus(), MARCH);
    let v = serde_json::to_value(&r).expect("json");
    assert_eq!(v["month"], "2026-03");
    assert!(v["issue"].is_null());
    for key in [
        "sessions",
        "collective_sessions",
        "planned_sessions",
        "planned_held",
        "attendance_rate",
        "self_study_hours",
        "self_study_people",
        "self_study_compliant",
        "essays",
        "cases",
    ] {
        assert!(v["totals"][key].is_number(), "totals.{key}");
    }
    let d = &v["departments"][0];
    assert_eq!(d["id"], "mishu");
    assert_eq!(d["people"], 2);
    assert!(d["warnings"].is_array());
}

#[test]
fn records_changed_after_publication_are_found_from_history() {
    let (with, _) = from_texts(
        ORG,
        RULES,
        &[(
            "briefings/2026-03.md",
            "---\nmonth: 2026-03\nissue: 1\npublished: 2026-04-01\n---\n正文\n",
        )],
    );
    let mut c = corpus();
    c.briefings = with.briefings;
    let r = monthly(&c, MARCH);
    let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("date");
    let h = |first: &str, last: &str| FileHistory {
        first: at(first),
        last: at(last),
        revisions: 2,
    };
    let mut history = BTreeMap::new();
    history.insert(
        "briefings/2026-03.md".to_string(),
        h("2026-04-01T10:00:00+08:00", "2026-04-01T10:00:00+08:00"),
    );
    history.insert(
        "minutes/a.md".to_string(),
        h("2026-03-06T10:00:00+08:00", "2026-04-01T11:00:00+08:00"),
    );
    history.insert(
        "minutes/b.md".to_string(),
        h("2026-03-20T10:00:00+08:00", "2026-04-01T09:00:00+08:00"),
    );
    history.insert(
        "essays/e4.md".to_string(),
        h("2026-02-20T10:00:00+08:00", "2026-05-01T09:00:00+08:00"),
    );
    assert_eq!(
        changed_after_publication(&c, &r, &history),
        ["essays/e4.md", "minutes/a.md"]
    );
    // Without the briefing's own commit, the publication day is the limit.
    history.remove("briefings/2026-03.md");
    assert_eq!(
        changed_after_publication(&c, &r, &history),
        ["essays/e4.md"]
    );
    assert!(changed_after_publication(&corpus(), &r, &history).is_empty());
}

#[test]
fn the_headline_counts_what_the_full_figures_count() {
    let c = corpus();
    let months = [MARCH, MARCH.next(), YearMonth::new(2026, 2).expect("month")];
    for month in months {
        let full = monthly(&c, month);
        assert_eq!(headline(&c, month), Headline::of(&full), "{month}");
    }
    let march = headline(&c, MARCH);
    assert_eq!(
        (march.sessions, march.issue),
        (3, None),
        "drafts do not count"
    );
}
