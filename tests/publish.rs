//! `jianbao publish` in a temporary git repository: numbering, the file written, the
//! commit of that one file, the tag, refusals, and `--force` keeping the number.

use std::path::Path;
use std::process::{Command, Output};

use jianbao::content::YearMonth;

const FIXTURE: &str = "tests/fixtures/monthly";

fn copy_fixture(to: &Path) {
    for entry in walkdir::WalkDir::new(FIXTURE).min_depth(1) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(FIXTURE).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_fixture(dir.path());
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["config", "user.name", "测试"]);
    git(
        dir.path(),
        &["config", "user.email", "test@example.invalid"],
    );
    git(dir.path(), &["config", "commit.gpgsign", "false"]);
    git(dir.path(), &["config", "tag.gpgsign", "false"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "records"]);
    dir
}

fn publish(dir: &Path, month: &str, force: bool) -> Output {
    let mut args = vec!["publish", month, "-c", dir.to_str().expect("path")];
    if force {
        args.push("--force");
    }
    Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(&args)
        .output()
        .expect("run jianbao")
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn front(dir: &Path, month: &str) -> String {
    let text =
        std::fs::read_to_string(dir.join(format!("briefings/{month}.md"))).expect("briefing");
    text.split("---\n")
        .nth(1)
        .expect("front matter")
        .to_string()
}

#[test]
fn publish_numbers_commits_tags_and_refuses_to_repeat() {
    let repo = repo();
    let dir = repo.path();
    // Something else modified and uncommitted must stay out of the commit.
    std::fs::write(
        dir.join("essays/2026-03-25-diaoyan.md"),
        "---\ntitle: 改过\ndate: 2026-03-25\nauthor: sun-li\n---\n",
    )
    .expect("write");

    ok(&publish(dir, "2026-03", false));
    let f = front(dir, "2026-03");
    assert!(
        f.starts_with("month: 2026-03\nissue: 3\npublished: "),
        "{f}"
    );
    let body = std::fs::read_to_string(dir.join("briefings/2026-03.md")).expect("briefing");
    assert!(
        body.contains("**第3期**"),
        "the frozen body carries the number"
    );
    assert_eq!(
        git(dir, &["log", "-1", "--format=%s"]),
        "简报 第3期 (2026-03)"
    );
    assert_eq!(
        git(dir, &["show", "--name-only", "--format=", "HEAD"]),
        "briefings/2026-03.md"
    );
    assert_eq!(
        git(dir, &["rev-parse", "bulletin-2026-03^{commit}"]),
        git(dir, &["rev-parse", "HEAD"])
    );
    assert!(git(dir, &["status", "--porcelain"]).contains("essays/2026-03-25-diaoyan.md"));

    // Published once: refused without --force, nothing changes.
    let again = publish(dir, "2026-03", false);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already published"));

    // The next month gets the next number.
    ok(&publish(dir, "2026-04", false));
    assert!(front(dir, "2026-04").starts_with("month: 2026-04\nissue: 4\n"));
    assert_eq!(
        git(dir, &["log", "-1", "--format=%s"]),
        "简报 第4期 (2026-04)"
    );

    // A month before a published one would take a number already printed.
    let earlier = publish(dir, "2026-02", false);
    assert_eq!(earlier.status.code(), Some(2));
    assert!(!dir.join("briefings/2026-02.md").exists());

    // A late record, then --force: same number, new commit, the tag moves.
    std::fs::write(
        dir.join("minutes/2026-03-30-late.md"),
        "---\ntitle: 补录的集中学习\ndate: 2026-03-30\ndepartment: caiwu\nkind: 集中学习\nhours: 1\nattendees: [sun-li]\n---\n补录。\n",
    )
    .expect("write");
    git(dir, &["add", "minutes/2026-03-30-late.md"]);
    git(dir, &["commit", "-q", "-m", "late record"]);
    let before = git(dir, &["rev-parse", "bulletin-2026-03^{commit}"]);
    ok(&publish(dir, "2026-03", true));
    assert!(front(dir, "2026-03").starts_with("month: 2026-03\nissue: 3\n"));
    assert_eq!(
        git(dir, &["log", "-1", "--format=%s"]),
        "简报 第3期 (2026-03)"
    );
    let after = git(dir, &["rev-parse", "bulletin-2026-03^{commit}"]);
    assert_ne!(before, after);
    assert_eq!(after, git(dir, &["rev-parse", "HEAD"]));

    // The report now shows the published issue.
    let out = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args([
            "report",
            "monthly",
            "2026-03",
            "--format",
            "json",
            "-c",
            dir.to_str().expect("path"),
        ])
        .output()
        .expect("report");
    ok(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["issue"], 3);
}

#[test]
fn history_comes_from_one_git_log_of_the_content_tree() {
    let repo = repo();
    let dir = repo.path();
    let file = "minutes/2026-03-06-dangzhang.md";
    std::fs::write(dir.join(file), "---\ntitle: 学习新修订的党章\ndate: 2026-03-06\ndepartment: mishu\nkind: 集中学习\nhours: 2\nattendees: [zhang-wei]\n---\n改.\n").expect("write");
    git(dir, &["commit", "-q", "-am", "edit"]);
    let history = jianbao::git::history(dir);
    assert_eq!(history[file].revisions, 2);
    assert_eq!(history["site.yaml"].revisions, 1);
    assert!(history[file].first <= history[file].last);

    // From a content directory below the repository root, paths stay content-relative.
    let outer = tempfile::tempdir().expect("tempdir");
    let content = outer.path().join("content");
    std::fs::create_dir(&content).expect("mkdir");
    copy_fixture(&content);
    git(outer.path(), &["init", "-q"]);
    git(outer.path(), &["config", "user.name", "测试"]);
    git(
        outer.path(),
        &["config", "user.email", "test@example.invalid"],
    );
    std::fs::write(outer.path().join("README.md"), "x").expect("write");
    git(outer.path(), &["add", "."]);
    git(outer.path(), &["commit", "-q", "-m", "all"]);
    let history = jianbao::git::history(&content);
    assert!(history.contains_key("org.yaml"));
    assert!(!history.contains_key("README.md") && !history.contains_key("content/org.yaml"));

    // Published there, the briefing's records are flagged once they change afterwards.
    ok(&publish(&content, "2026-03", false));
    std::fs::write(
        content.join("logs/2026-03.yaml"),
        "month: 2026-03\nself_study:\n  zhang-wei: 25\n",
    )
    .expect("write");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    git(outer.path(), &["commit", "-q", "-am", "fix log"]);
    let (corpus, _) = jianbao::content::load(&content, false).expect("load");
    let month = YearMonth::new(2026, 3).expect("month");
    let report = jianbao::stats::monthly::monthly(&corpus, month);
    let history = jianbao::git::history(&content);
    assert_eq!(
        jianbao::stats::monthly::changed_after_publication(&corpus, &report, &history),
        ["logs/2026-03.yaml"]
    );
}

#[test]
fn outside_a_repository_the_file_is_still_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_fixture(dir.path());
    let out = publish(dir.path(), "2026-03", false);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("不在 git 仓库中"));
    assert!(front(dir.path(), "2026-03").starts_with("month: 2026-03\nissue: 3\n"));
}
