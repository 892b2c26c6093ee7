//! `jianbao import` through the command line: a legacy document becomes a record that
//! the site builds, with the people and department of org.yaml.

use std::path::Path;
use std::process::Command;

fn jianbao(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run jianbao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_imported_document_is_built_as_a_record_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    assert_eq!(jianbao(&["init", "site"], root).0, 0);
    std::fs::write(
        root.join("zonghe-0605.txt"),
        "综合科交流研讨会议记录\n时间：2026年6月5日\n地点：二楼会议室\n主持人：陈明\n\
         参加人员：陈明、刘洋\n缺席人员：孙丽（病假）\n学时：2\n\n\
         大家围绕如何提高办文质量进行了交流。\n",
    )
    .expect("write");

    let (code, stdout, stderr) = jianbao(
        &["import", "-c", "site", "--dry-run", "zonghe-0605.txt"],
        root,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("host: chen-ming\n"), "{stdout}");
    assert!(!root.join("site/minutes/2026/06-05-zonghe-0605.md").exists());

    let (code, _, stderr) = jianbao(&["import", "-c", "site", "zonghe-0605.txt"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("wrote minutes/2026/06-05-zonghe-0605.md"),
        "{stderr}"
    );
    let (code, _, stderr) = jianbao(&["build", "-c", "site", "-o", "public"], root);
    assert_eq!(code, 0, "{stderr}");
    let page =
        std::fs::read_to_string(root.join("public/minutes/2026/06-05-zonghe-0605/index.html"))
            .expect("the record's page");
    for text in [
        "综合科交流研讨会议记录",
        "陈明",
        "刘洋",
        "病假",
        "二楼会议室",
    ] {
        assert!(page.contains(text), "`{text}` missing from the page");
    }

    // The same document again: a new name, never an overwrite.
    let (code, _, stderr) = jianbao(&["import", "-c", "site", "zonghe-0605.txt"], root);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("06-05-zonghe-0605-2.md"), "{stderr}");
}

#[test]
fn usage_mistakes_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    assert_eq!(jianbao(&["init", "site"], root).0, 0);
    std::fs::write(root.join("a.txt"), "标题\n").expect("write");
    assert_eq!(jianbao(&["import", "-c", "site"], root).0, 2);
    assert_eq!(
        jianbao(&["import", "-c", "site", "--kind", "memo", "a.txt"], root).0,
        2
    );
    assert_eq!(jianbao(&["import", "-c", "site", "missing.txt"], root).0, 2);
}
