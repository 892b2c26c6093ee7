//! `jianbao check` on small sites made in a temporary directory: one test per kind of
//! mistake, each asserting the file, line, field and message the user sees.

use std::path::Path;
use std::process::Command;

const SITE: &str = "title: 测试站点\n";
const ORG: &str = "departments:
  - {id: mishu, name: 秘书科, type: centre}
  - {id: caiwu, name: 财务科, type: support}
people:
  - {id: zhang-wei, name: 张伟, department: mishu, role: leader, party: true}
  - {id: li-na, name: 李娜, department: mishu}
  - {id: wang-fang, name: 王芳, department: caiwu}
";
const RULES: &str = "session_kinds: [集中学习, 专题辅导, 读书活动]
collective_kinds: [集中学习, 专题辅导]
";
const MINUTES: &str = "---
title: 学习党章
date: 2026-03-06
department: mishu
kind: 集中学习
hours: 2
host: zhang-wei
attendees: [zhang-wei, li-na]
---
正文
";

/// Writes a valid site plus `files` (path, bytes) into a fresh temporary directory.
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let base: [(&str, &[u8]); 4] = [
        ("site.yaml", SITE.as_bytes()),
        ("org.yaml", ORG.as_bytes()),
        ("rules.yaml", RULES.as_bytes()),
        ("minutes/2026/03-06-dangzhang.md", MINUTES.as_bytes()),
    ];
    for (path, bytes) in base.iter().chain(files) {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }
    dir
}

/// Runs `jianbao check -c DIR`; returns the exit code and stderr.
fn check(dir: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["check", "-c"])
        .arg(dir)
        .output()
        .expect("run jianbao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts that checking a site with `files` fails and reports every `expected` text.
fn assert_errors(files: &[(&str, &[u8])], expected: &[&str]) {
    let dir = site(files);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1, "exit code; stderr:\n{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected `{e}` in:\n{stderr}");
    }
}

fn minutes_with(front: &str) -> Vec<u8> {
    format!("---\n{front}---\n正文\n").into_bytes()
}

#[test]
fn a_valid_site_is_clean() {
    let dir = site(&[]);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("no errors"), "{stderr}");
}

#[test]
fn missing_title() {
    let m = minutes_with("date: 2026-03-09\ndepartment: mishu\nkind: 集中学习\nhours: 1\n");
    assert_errors(
        &[("minutes/2026/b.md", &m)],
        &["minutes/2026/b.md:2: error [title]: missing or empty title"],
    );
}

#[test]
fn empty_title() {
    let m = minutes_with(
        "date: 2026-03-09\ntitle: \"\"\ndepartment: mishu\nkind: 集中学习\nhours: 1\n",
    );
    assert_errors(
        &[("minutes/2026/b.md", &m)],
        &["minutes/2026/b.md:3: error [title]: missing or empty title"],
    );
}

#[test]
fn month_thirteen_is_not_a_date() {
    let m =
        minutes_with("title: a\ndepartment: mishu\ndate: 2025-13-45\nkind: 集中学习\nhours: 1\n");
    assert_errors(
        &[("minutes/2026/b.md", &m)],
        &["minutes/2026/b.md:4: error", "there is no month 13"],
    );
}

#[test]
fn february_thirty_first_is_not_a_date() {
    let m =
        minutes_with("title: a\ndate: 2025-02-31\ndepartment: mishu\nkind: 集中学习\nhours: 1\n");
    assert_errors(
        &[("minutes/2026/b.md", &m)],
        &["minutes/2026/b.md:3: error", "2025-02 has 28 days"],
    );
}

#[test]
fn unknown_ids_in_every_field_that_holds_one() {
    let minutes = minutes_with(
        "title: a\ndate: 2026-03-09\ndepartment: mishuu\nkind: 集中学习\nhours: 1\nhost: zhang-wie\nattendees:\n  - li-na\n  - nobody\nabsent:\n  - {person: ghost, reason: 病假}\n",
    );
    let essay = b"---\ntitle: e\ndate: 2026-03-09\nauthor: li-nna\n---\n".to_vec();
    let case = b"---\ntitle: c\ndate: 2026-03-09\nperson: wangfang\n---\n".to_vec();
    let plan = b"---\ntitle: p\ndate: 2026-01-05\nperiod: 2026\nscope: person\nperson: zhao\ndepartment: mishu\n---\n".to_vec();
    let log = b"month: 2026-03\nself_study:\n  zhang-wei: 20\n  zhangwei: 3\nnotebook_checks:\n  - {person: x-y, result: pass}\n".to_vec();
    let review = b"year: 2026\ndepartments:\n  caiwuu: {scores: {a: 1}}\npeople:\n  nobody: {sanction: true}\n".to_vec();
    assert_errors(
        &[
            ("minutes/2026/b.md", &minutes),
            ("essays/e.md", &essay),
            ("cases/c.md", &case),
            ("plans/p.md", &plan),
            ("logs/2026-03.yaml", &log),
            ("reviews/2026.yaml", &review),
        ],
        &[
            "minutes/2026/b.md:4: error [department]: unknown department id `mishuu`",
            "did you mean `mishu`?",
            "minutes/2026/b.md:7: error [host]: unknown person id `zhang-wie`",
            "minutes/2026/b.md:10: error [attendees[1]]: unknown person id `nobody`",
            "minutes/2026/b.md:12: error [absent[0].person]: unknown person id `ghost`",
            "essays/e.md:4: error [author]: unknown person id `li-nna`",
            "cases/c.md:4: error [person]: unknown person id `wangfang`",
            "plans/p.md:6: error [person]: unknown person id `zhao`",
            "logs/2026-03.yaml:4: error [self_study.zhangwei]: unknown person id `zhangwei`",
            "logs/2026-03.yaml:6: error [notebook_checks[0].person]: unknown person id `x-y`",
            "reviews/2026.yaml:3: error [departments.caiwuu]: unknown department id `caiwuu`",
            "reviews/2026.yaml:5: error [people.nobody]: unknown person id `nobody`",
        ],
    );
}

#[test]
fn unknown_session_kind() {
    let m =
        minutes_with("title: a\ndate: 2026-03-09\ndepartment: mishu\nkind: 集中学系\nhours: 1\n");
    assert_errors(
        &[("minutes/2026/b.md", &m)],
        &[
            "minutes/2026/b.md:5: error [kind]: unknown session kind `集中学系`",
            "did you mean `集中学习`?",
        ],
    );
}

#[test]
fn hours_must_be_a_positive_number() {
    for (hours, expected) in [
        (
            "0",
            "minutes/2026/b.md:6: error [hours]: hours must be a positive number, not 0",
        ),
        (
            "-1.5",
            "minutes/2026/b.md:6: error [hours]: hours must be a positive number, not -1.5",
        ),
        ("两小时", "minutes/2026/b.md:6: error"),
    ] {
        let m = minutes_with(&format!(
            "title: a\ndate: 2026-03-09\ndepartment: mishu\nkind: 集中学习\nhours: {hours}\n"
        ));
        assert_errors(&[("minutes/2026/b.md", &m)], &[expected]);
    }
}

#[test]
fn a_person_both_attending_and_absent() {
    let m = minutes_with(
        "title: a\ndate: 2026-03-09\ndepartment: mishu\nkind: 集中学习\nhours: 1\nattendees: [zhang-wei, li-na]\nabsent:\n  - person: li-na\n    reason: 病假\n",
    );
    assert_errors(
        &[("minutes/2026/b.md", &m)],
        &[
            "minutes/2026/b.md:9: error [absent[0].person]: `li-na` is listed both as attending and absent",
        ],
    );
}

#[test]
fn two_records_writing_the_same_url() {
    let m = minutes_with(
        "title: a\ndate: 2026-03-09\ndepartment: mishu\nkind: 集中学习\nhours: 1\nslug: 03-06-dangzhang\n",
    );
    assert_errors(
        &[("minutes/2026/b.md", &m)],
        &[
            "minutes/2026/b.md:7: error [slug]: writes the same URL /minutes/2026/03-06-dangzhang/ as minutes/2026/03-06-dangzhang.md",
        ],
    );
}

#[test]
fn schedule_item_outside_the_plan_period() {
    let plan = b"---\ntitle: p\ndate: 2026-03-01\ndepartment: mishu\nperiod: 2026-Q1\nschedule:\n  - {date: 2026-03-20, topic: a, kind: \xe9\x9b\x86\xe4\xb8\xad\xe5\xad\xa6\xe4\xb9\xa0}\n  - {date: 2026-04-03, topic: b, kind: \xe9\x9b\x86\xe4\xb8\xad\xe5\xad\xa6\xe4\xb9\xa0}\n---\n".to_vec();
    assert_errors(
        &[("plans/p.md", &plan)],
        &[
            "plans/p.md:8: error [schedule[1].date]: scheduled date 2026-04-03 is outside the plan's period 2026-Q1",
        ],
    );
}

#[test]
fn cover_image_that_does_not_exist() {
    let case = b"---\ntitle: c\ndate: 2026-03-09\nperson: li-na\ncover: photo.jpg\n---\n".to_vec();
    assert_errors(
        &[("cases/c.md", &case)],
        &["cases/c.md:5: error [cover]: cover image `photo.jpg` does not exist"],
    );
    // Found beside the record or under assets/, it is fine.
    let dir = site(&[("cases/c.md", &case), ("assets/photo.jpg", b"jpg")]);
    assert_eq!(check(dir.path()).0, 0);
}

#[test]
fn log_month_must_match_its_file_name() {
    let log = b"# March\nmonth: 2026-04\n".to_vec();
    assert_errors(
        &[("logs/2026-03.yaml", &log)],
        &["logs/2026-03.yaml:2: error [month]: month 2026-04 does not match the file name 2026-03"],
    );
}

#[test]
fn invalid_yaml_is_reported_on_the_file_line() {
    let m = minutes_with(
        "title: a\ndate: 2026-03-09\ndepartment: mishu\nattendees: [li-na\nkind: 集中学习\n",
    );
    let dir = site(&[("minutes/2026/b.md", &m)]);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1);
    let line = stderr
        .lines()
        .find(|l| l.starts_with("minutes/2026/b.md:"))
        .expect("a diagnostic for the file");
    assert!(line.contains("invalid YAML"), "{stderr}");
    let n: usize = line
        .split(':')
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("line number");
    assert!(
        (5..=7).contains(&n),
        "line {n} should point near the broken list: {stderr}"
    );
}

#[test]
fn missing_front_matter() {
    assert_errors(
        &[("essays/e.md", "标题\n正文\n".as_bytes())],
        &["essays/e.md:1: error: missing front matter"],
    );
}

#[test]
fn unclosed_front_matter() {
    assert_errors(
        &[("essays/e.md", b"---\ntitle: a\ndate: 2026-03-09\n\nbody\n")],
        &["essays/e.md:1: error: unclosed front matter"],
    );
}

#[test]
fn a_file_that_is_not_utf8() {
    // "中文" in GBK, on line 3.
    let gbk = b"---\ntitle: a\n\xd6\xd0\xce\xc4: x\n---\n".to_vec();
    assert_errors(
        &[("essays/e.md", &gbk)],
        &["essays/e.md:3: error: the file is not UTF-8 text", "GBK"],
    );
}

#[test]
fn unknown_field_suggests_the_closest_one() {
    let m =
        minutes_with("titel: a\ndate: 2026-03-09\ndepartment: mishu\nkind: 集中学习\nhours: 1\n");
    assert_errors(
        &[("minutes/2026/b.md", &m)],
        &[
            "minutes/2026/b.md:2: error [titel]: unknown field `titel`",
            "hint: did you mean `title`?",
        ],
    );
}

#[test]
fn every_problem_at_once_sorted_by_file_and_line() {
    let bad_minutes =
        minutes_with("title: a\ndate: 2026-03-09\ndepartment: nope\nkind: 乱写\nhours: -1\n");
    let bad_essay = b"---\ndate: 2026-03-09\nauthor: nobody\n---\n".to_vec();
    let dir = site(&[
        ("minutes/2026/b.md", &bad_minutes),
        ("essays/e.md", &bad_essay),
    ]);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1);
    let located: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": error"))
        .map(|l| l.split(": error").next().unwrap_or(""))
        .collect();
    assert_eq!(
        located,
        [
            "essays/e.md:2",
            "minutes/2026/b.md:4",
            "minutes/2026/b.md:5",
            "minutes/2026/b.md:6"
        ],
        "{stderr}"
    );
    assert!(stderr.contains("4 error(s)"), "{stderr}");
}

#[test]
fn missing_content_directory_is_a_usage_error() {
    let (code, stderr) = check(Path::new("/nonexistent/jianbao-site"));
    assert_eq!(code, 2);
    assert!(stderr.contains("not found"), "{stderr}");
}

/// `jianbao check 2>&1 | head -1`: once the reader is gone, the rest of the messages are
/// dropped; the exit code still tells the errors (it was a panic, 101).
#[test]
fn a_closed_stderr_keeps_the_exit_code() {
    let dir = site(&[("minutes/bad.md", &minutes_with("title: 缺日期\n"))]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["check", "-c"])
        .arg(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run jianbao");
    drop(child.stderr.take());
    assert_eq!(child.wait().expect("wait").code(), Some(1));
}
