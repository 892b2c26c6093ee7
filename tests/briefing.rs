//! `jianbao report monthly` on the fixture site: the Markdown briefing against a reviewed
//! snapshot, the JSON shape, HTML in the official form, and refusal on content errors.
//! Set UPDATE_SNAPSHOTS=1 to rewrite tests/snapshots/ after reviewing a change.

use std::path::Path;
use std::process::{Command, Output};

const FIXTURE: &str = "tests/fixtures/monthly";

fn jianbao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(args)
        .output()
        .expect("run jianbao")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

fn assert_snapshot(name: &str, actual: &str) {
    let path = Path::new("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("snapshot (UPDATE_SNAPSHOTS=1 writes it)");
    assert!(
        expected == actual,
        "{} differs from the output; review and rerun with UPDATE_SNAPSHOTS=1\n--- output ---\n{actual}",
        path.display()
    );
}

#[test]
fn markdown_briefing_matches_the_snapshot() {
    let md = stdout(&jianbao(&[
        "report", "monthly", "2026-03", "-c", FIXTURE, "--format", "md",
    ]));
    assert_snapshot("briefing-2026-03.md", &md);
}

#[test]
fn json_has_the_figures_unrounded() {
    let out = stdout(&jianbao(&[
        "report", "monthly", "2026-03", "-c", FIXTURE, "--format", "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["month"], "2026-03");
    assert!(v["issue"].is_null());
    let t = &v["totals"];
    assert_eq!(t["sessions"], 2, "the draft session does not count");
    assert_eq!(t["collective_sessions"], 1);
    assert_eq!(
        (t["planned_sessions"].clone(), t["planned_held"].clone()),
        (3.into(), 2.into())
    );
    assert_eq!(t["attendance_rate"], 0.75);
    assert_eq!(t["self_study_hours"], 60.5);
    assert_eq!(t["self_study_people"], 4);
    assert_eq!(t["self_study_compliant"], 2);
    assert_eq!(
        (t["essays"].clone(), t["cases"].clone()),
        (2.into(), 1.into())
    );
    let caiwu = &v["departments"][1];
    assert_eq!(caiwu["id"], "caiwu");
    assert_eq!(caiwu["name"], "财务科");
    assert_eq!(caiwu["people"], 2);
    assert_eq!(caiwu["attendance_rate"], 0.5);
    assert_eq!(caiwu["warnings"][0], "本月未开展集中学习");
}

#[test]
fn html_is_a_printable_document_with_a_chart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("b.html");
    let file_arg = file.to_str().expect("path");
    stdout(&jianbao(&[
        "report", "monthly", "2026-03", "-c", FIXTURE, "-o", file_arg,
    ]));
    let html = std::fs::read_to_string(&file).expect("html written");
    for needle in [
        "<!DOCTYPE html>",
        "@page { size: A4;",
        "<h1>学习型机关建设简报</h1>",
        "二〇二六年三月三十一日",
        "<svg",
        "一、本月概况",
        "六、下月学习安排",
        "报：市直机关工委",
        "共印40份",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("&lt;svg"), "the chart is not escaped");
}

#[test]
fn content_errors_refuse_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["site.yaml", "org.yaml", "rules.yaml"] {
        std::fs::copy(Path::new(FIXTURE).join(name), dir.path().join(name)).expect("copy");
    }
    std::fs::create_dir(dir.path().join("minutes")).expect("mkdir");
    std::fs::write(
        dir.path().join("minutes/bad.md"),
        "---\ntitle: 坏记录\ndate: 2026-03-02\ndepartment: nobody\nkind: 集中学习\nhours: 1\n---\n",
    )
    .expect("write");
    let out = jianbao(&[
        "report",
        "monthly",
        "2026-03",
        "-c",
        dir.path().to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown department id `nobody`"));
}
