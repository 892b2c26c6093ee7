//! `jianbao report annual` on a small fixture site (tests/fixtures/annual): 3 departments,
//! 7 people, records of January to March 2026. Expected figures are computed by hand in
//! the comments.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/annual")
}

fn jianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(args)
        .output()
        .expect("run jianbao")
}

fn report(extra: &[&str]) -> String {
    let dir = fixture();
    let mut args = vec![
        "report",
        "annual",
        "2026",
        "-c",
        dir.to_str().expect("utf-8 path"),
    ];
    args.extend(extra);
    let out = jianbao(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend(extra);
    serde_json::from_str(&report(&args)).expect("json")
}

fn close(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 1e-9)
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x["id"].as_str().or(x.as_str()).expect("id"))
        .collect()
}

#[test]
fn json_through_february() {
    let j = json(&["--through", "2026-02"]);
    assert_eq!(j["year"], 2026);
    assert_eq!(j["through"], "2026-02");
    let depts = &j["departments"];
    assert_eq!(ids(depts), ["zonghe", "caiwu", "houqin"]);

    // 综合科: collective in Jan and Feb (30); attendance 3/3 + 2/3 = 5/6 of 20; essays:
    // zhang-wei 2 of 2, li-na 1 of 1, wang-fang 0 of 1 = 2/3 of 20; 3 kinds, target 2
    // (10); review 10/10 (20). 30 + 16.67 + 13.33 + 10 + 20 = exactly 90: 优秀.
    let zonghe = &depts[0];
    assert_eq!(zonghe["name"], "综合科");
    assert!(close(&zonghe["score"], 90.0), "{}", zonghe["score"]);
    assert_eq!(zonghe["grade"], "优秀");
    assert!(zonghe["veto"].is_null());
    let criteria = &zonghe["criteria"];
    assert_eq!(
        ids(criteria),
        [
            "collective",
            "attendance",
            "essays",
            "carriers",
            "facilities"
        ]
    );
    assert!(close(&criteria[1]["value"], 5.0 / 6.0));
    assert!(close(&criteria[1]["points"], 20.0 * 5.0 / 6.0));
    assert!(close(&criteria[3]["value"], 3.0));
    assert!(close(&criteria[3]["points"], 10.0));
    assert_eq!(
        criteria[0]["sources"][0]["file"],
        "minutes/2026-01-09-zonghe.md"
    );

    // 财务科: 15 + 20 + 0 + 5 + 20 = 60, but vetoed.
    let caiwu = &depts[1];
    assert!(close(&caiwu["score"], 60.0));
    assert_eq!(caiwu["grade"], "不合格");
    assert_eq!(caiwu["veto"], "财务制度执行不到位被通报");
    // 后勤科 held no session: only essays (sun-li 1 of 1, zhou-jie 0 of 1) and review 6.
    assert!(close(&depts[2]["score"], 10.0 + 12.0));

    // People: 50 × self-study + 50 × essays; ties by id.
    let people = &j["people"];
    assert_eq!(
        ids(people),
        [
            "li-na",
            "sun-li",
            "zhang-wei",
            "qian-yu",
            "zhao-lei",
            "wang-fang",
            "zhou-jie"
        ]
    );
    let zhao = &people[4];
    assert!(close(&zhao["score"], 50.0));
    assert_eq!(zhao["essays"], 1);
    assert_eq!(zhao["essay_quota"], 2);
    assert!(close(&zhao["self_study_hours"], 44.0));
    assert_eq!(zhao["notebook_fails"], 0);
    let zhou = &people[6];
    assert_eq!(zhou["disqualified"], true);
    assert_eq!(zhou["reasons"], serde_json::json!(["late"]));
    assert_eq!(zhou["essays"], 0, "the draft does not count");

    // floor(0.5 × 4 party members) = 2; floor(0.2 × 7) = 1, not on the first list;
    // floor(0.5 × 3) = 1 among top-band departments without a veto.
    let awards = &j["awards"];
    assert_eq!(ids(&awards["excellent_party_members"]), ["li-na", "sun-li"]);
    assert_eq!(ids(&awards["advanced_workers"]), ["zhang-wei"]);
    assert_eq!(ids(&awards["advanced_departments"]), ["zonghe"]);
}

#[test]
fn json_over_the_whole_year() {
    let j = json(&[]);
    assert!(j["through"].is_null());
    assert_eq!(j["months"].as_array().map(Vec::len), Some(12));
    let zonghe = &j["departments"]
        .as_array()
        .expect("departments")
        .iter()
        .find(|d| d["id"] == "zonghe")
        .expect("zonghe")["criteria"][0];
    assert!(close(&zonghe["value"], 2.0 / 12.0));
    let people = j["people"].as_array().expect("people");
    assert_eq!(people.len(), 7, "wang-fang, who left in June, still counts");
    let qian = people
        .iter()
        .find(|p| p["id"] == "qian-yu")
        .expect("qian-yu");
    assert_eq!(
        qian["essays"], 1,
        "her March essay counts over the whole year"
    );
}

#[test]
fn csv_per_department_and_per_person() {
    let csv = report(&["--through", "2026-02", "--format", "csv"]);
    assert_eq!(
        csv,
        "名次,编号,科室,集中学习制度落实,集中学习出勤,撰写体会文章,学习载体创新,学习阵地建设,总分,等级,一票否决,表彰\r\n\
         1,zonghe,综合科,30.00,16.67,13.33,10.00,20.00,90.00,优秀,,学习型机关先进科室\r\n\
         2,caiwu,财务科,15.00,20.00,0.00,5.00,20.00,60.00,不合格,财务制度执行不到位被通报,\r\n\
         3,houqin,后勤科,0.00,0.00,10.00,0.00,12.00,22.00,不合格,,\r\n"
    );
    let csv = report(&["--through", "2026-02", "--format", "csv", "--people"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 8);
    assert_eq!(
        lines[0],
        "名次,编号,姓名,科室,个人自学,撰写体会文章,总分,文章篇数,文章任务,自学时数,笔记检查不合格次数,取消评优资格,原因,表彰"
    );
    assert_eq!(
        lines[1],
        "1,li-na,李娜,综合科,50.00,50.00,100.00,1,1,41,0,否,,优秀共产党员"
    );
    assert_eq!(
        lines[3],
        "1,zhang-wei,张伟,综合科,50.00,50.00,100.00,2,2,42,0,否,,先进工作者"
    );
    assert_eq!(
        lines[7],
        "6,zhou-jie,周杰,后勤科,25.00,0.00,25.00,0,1,30,0,是,迟到11次（超过10次）,"
    );
}

#[test]
fn markdown_and_html() {
    let md = report(&["--through", "2026-02"]);
    for section in [
        "## 一、考评结果",
        "## 二、各项指标",
        "## 三、表彰名单",
        "## 四、取消评优资格",
    ] {
        assert!(md.contains(section), "{section}");
    }
    assert!(md.contains("| 1 | 综合科 | 90.00 | 优秀 | 学习型机关先进科室 |"));
    assert!(md.contains("| 周杰 | 后勤科 | 迟到11次（超过10次） |"));
    assert!(md.contains("1. 优秀共产党员（名额2名）：李娜、孙丽"));

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("kaoping.html");
    let fixture = fixture();
    let out = jianbao(&[
        "report",
        "annual",
        "2026",
        "-c",
        fixture.to_str().expect("path"),
        "--through",
        "2026-02",
        "-o",
        file.to_str().expect("path"),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let html = std::fs::read_to_string(&file).expect("html written");
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "format from the extension"
    );
    assert!(html.contains("@media print"));
    assert!(html.contains("<svg"));
    assert_eq!(
        html.matches("class=\"band-line\"").count(),
        3,
        "90, 80 and 60"
    );
    assert!(html.contains("一票否决：财务制度执行不到位被通报"));
}

#[test]
fn usage_errors_exit_2_and_content_errors_exit_1() {
    let fixture = fixture();
    let dir = fixture.to_str().expect("path");
    let out = jianbao(&[
        "report",
        "annual",
        "2026",
        "-c",
        dir,
        "--through",
        "2025-12",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = jianbao(&["report", "annual", "2030", "-c", dir]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2030"));

    // The same site with a misspelt metric.
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in walk(&fixture) {
        let rel = entry.strip_prefix(&fixture).expect("inside");
        let to = tmp.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &to).expect("copy");
    }
    let rules = tmp.path().join("rules.yaml");
    let text = std::fs::read_to_string(&rules).expect("rules");
    std::fs::write(
        &rules,
        text.replace("metric: session_kinds", "metric: session_kind"),
    )
    .expect("write");
    let tmp_dir = tmp.path().to_str().expect("path");
    let out = jianbao(&["report", "annual", "2026", "-c", tmp_dir]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "rules.yaml:13: error [evaluation.criteria[3].metric]: unknown metric `session_kind`"
        ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
