//! `jianbao build` on a small fixture site: what pages exist and what they say, that the
//! output is deterministic and atomic, and the HTML, template and draft policies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use jianbao::{BuildOptions, Error, build};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

/// A private copy of the fixture, to change files in.
fn copy_fixture(to: &Path) -> PathBuf {
    copy_site(&fixture(), to)
}

/// A private copy of the content directory `from`, under `to`.
fn copy_site(from: &Path, to: &Path) -> PathBuf {
    let dest = to.join("content");
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = dest.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dest
}

fn build_to(content: &Path, output: &Path, drafts: bool) -> jianbao::Result<jianbao::BuildSummary> {
    build(&BuildOptions {
        content: content.to_path_buf(),
        output: output.to_path_buf(),
        drafts,
    })
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix");
            (
                rel.display().to_string(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn assert_has(text: &str, needles: &[&str], what: &str) {
    for n in needles {
        assert!(text.contains(n), "{what} should contain {n:?}");
    }
}

#[test]
fn builds_every_page_with_what_a_reader_expects() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    let summary = build_to(&fixture(), &out, false).expect("build");
    assert_eq!(
        summary.files_copied, 4,
        "style.css, search.js, gallery.js and the cover image"
    );

    for page in [
        "index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "style.css",
        "assets/chen-jing.png",
        "plans/index.html",
        "minutes/index.html",
        "minutes/page/2/index.html",
        "cases/index.html",
        "essays/index.html",
        "departments/index.html",
        "departments/mishu/index.html",
        "people/index.html",
        "people/li-na/index.html",
        "tags/index.html",
        "tags/党章/index.html",
        "archive/index.html",
        "archive/2026-03/index.html",
        "gallery/index.html",
        "minutes/2026/03-06-dangzhang/index.html",
        "plans/2026-mishu/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }

    let minutes = read(&out, "minutes/2026/03-06-dangzhang/index.html");
    assert_has(
        &minutes,
        &[
            "<th>时间</th><td>2026年3月6日</td>",
            "<th>科室</th><td><a href=\"/departments/mishu/\">秘书科</a>",
            "<th>形式</th><td>集中学习</td>",
            "<th>主持人</th><td><a href=\"/people/zhang-wei/\">张伟</a>",
            "<th>主讲人</th>",
            "<th>出席人员</th><td><a href=\"/people/zhang-wei/\">张伟</a>、<a href=\"/people/li-na/\">李娜</a>",
            "<th>缺席人员（原因）</th><td><a href=\"/people/wang-fang/\">王芳</a>（病假）",
            "<th>学时</th><td>2 小时</td>",
            "<th>学习材料</th>",
            "<h2 id=\"学习-内容\">",
            "<h2 id=\"学习-内容-1\">",
            "href=\"/essays/lina-xinde/\"",
            "href=\"/tags/党章/\"",
        ],
        "minutes page",
    );
    assert!(!minutes.contains("attendees"), "no raw field names");

    let essay = read(&out, "essays/lina-xinde/index.html");
    assert_has(
        &essay,
        &[
            "<th>作者</th>",
            "李娜",
            "<th>类别</th><td>心得体会</td>",
            "<th>采用情况</th>",
            "《机关党建》",
        ],
        "essay page",
    );
    let case = read(&out, "cases/chen-jing/index.html");
    assert_has(
        &case,
        &[
            "<th>人物</th>",
            "陈静",
            "<th>级别</th><td>市级</td>",
            "src=\"/assets/chen-jing.png\"",
        ],
        "case page",
    );
    let plan = read(&out, "plans/2026-mishu/index.html");
    assert_has(
        &plan,
        &[
            "<th>周期</th><td>2026年</td>",
            "<th>范围</th>",
            "学习安排",
            "公文写作专题辅导",
            "市委党校刘教授",
        ],
        "plan page",
    );

    let home = read(&out, "index.html");
    assert_has(
        &home,
        &[
            "2026年3月学习概况",
            "学习活动（次）",
            "<span class=\"figure\">101.5</span>",
        ],
        "home page",
    );
    let list = read(&out, "minutes/index.html");
    assert_has(
        &list,
        &["href=\"/minutes/page/2/\"", "第 1 / 2 页"],
        "minutes list",
    );

    let person = read(&out, "people/wang-fang/index.html");
    assert_has(
        &person,
        &[
            "缺席学习（1）",
            "缺席原因：病假",
            "参加学习（1）",
            "读书分享会",
        ],
        "person page",
    );
    let tag = read(&out, "tags/党章/index.html");
    assert_has(
        &tag,
        &["集中学习新修订的党章", "学习党章的几点体会"],
        "tag page",
    );
    let dept = read(&out, "departments/caiwu/index.html");
    assert_has(
        &dept,
        &["王芳", "赵磊", "关于财务报销流程的调研报告"],
        "department page",
    );
    let archive = read(&out, "archive/index.html");
    assert_has(
        &archive,
        &["2026年", "href=\"/archive/2026-03/\"", "4 条"],
        "archive",
    );
    let gallery = read(&out, "gallery/index.html");
    assert_has(
        &gallery,
        &["扎根后勤的服务标兵", "陈静", "后勤服务中心", "市级"],
        "gallery",
    );

    let feed = read(&out, "atom.xml");
    assert!(feed.starts_with("<?xml"), "feed header");
    assert_eq!(feed.matches("<entry>").count(), 7, "every non-draft record");
    assert_eq!(
        feed.matches("<entry>").count(),
        feed.matches("</entry>").count()
    );
    assert_has(
        &feed,
        &[
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"",
            "<title>读书分享会</title>",
        ],
        "feed",
    );
    assert!(!feed.contains("草稿"), "no draft in the feed");
    let sitemap = read(&out, "sitemap.xml");
    assert_has(
        &sitemap,
        &[
            "<urlset",
            "<loc>/minutes/2026/03-06-dangzhang/</loc><lastmod>2026-03-06</lastmod>",
            "/tags/%E5%85%9A%E7%AB%A0/",
        ],
        "sitemap",
    );
    assert!(!sitemap.contains("404"), "no 404 in the sitemap");
    assert_eq!(
        sitemap.matches("<url>").count(),
        sitemap.matches("</url>").count()
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_to(&fixture(), &a, false).expect("a");
    build_to(&fixture(), &b, false).expect("b");
    let (a, b) = (snapshot(&a), snapshot(&b));
    assert!(a.len() > 30);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two builds");
    }
}

/// `build` writes the site page by page with the report pages' values made as they are
/// rendered; `serve` renders it whole in memory with every value made first. Both must
/// give the same site, for the example content with its briefings, ledgers and reviews.
#[test]
fn the_build_writes_what_serve_renders() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    build_to(&content, &out, false).expect("build");
    let written = snapshot(&out);
    let (corpus, _) = jianbao::load(&content, false).expect("load");
    let rendered = jianbao::render::render_site(&corpus).expect("render");
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        rendered
            .iter()
            .map(|f| &f.path)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    for file in &rendered {
        if let jianbao::output::Source::Bytes(bytes) = &file.source {
            assert!(written[&file.path] == *bytes, "{} differs", file.path);
        }
    }
    assert!(written.keys().any(|p| p.starts_with("briefings/2026-")));
    assert!(written.keys().any(|p| p.starts_with("ledgers/logs/")));
    // The evaluation cites the ledger lines of a department's people in one link per
    // month's ledger, to its first line, naming every line.
    let evaluation = String::from_utf8_lossy(&written["evaluation/2026/index.html"]);
    assert!(
        evaluation
            .contains(r#"<a href="/ledgers/logs/2026-01/#L11">logs/2026-01.yaml 第11–16行</a>"#),
        "grouped ledger lines in the evaluation"
    );

    // A site planned for a build renders the same in memory.
    let rendered_for_build = jianbao::render::Site::for_build(&corpus)
        .and_then(|mut site| site.render(&corpus))
        .expect("render");
    for file in &rendered_for_build {
        if let jianbao::output::Source::Bytes(bytes) = &file.source {
            assert!(written[&file.path] == *bytes, "{} differs", file.path);
        }
    }
}

/// A rebuild leaves the pages that did not change where they are (no bytes written, the
/// modification time kept), writes those that did, and ends with the same files as a
/// build into an empty directory.
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_the_files_that_did_not_change() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture(tmp.path());
    let out = tmp.path().join("public");
    build_to(&content, &out, false).expect("first build");
    let inode = |rel: &str| std::fs::metadata(out.join(rel)).expect(rel).ino();
    let (kept, edited) = ("cases/chen-jing/index.html", "essays/lina-xinde/index.html");
    let (kept_before, edited_before) = (inode(kept), inode(edited));
    let essay = content.join("essays/lina-xinde.md");
    let text = std::fs::read_to_string(&essay).expect("read");
    std::fs::write(&essay, format!("{text}\n补记：一段新写的文字。\n")).expect("write");

    let summary = build_to(&content, &out, false).expect("second build");
    let changes = summary.changes;
    assert!(
        changes.written > 0 && changes.written < changes.unchanged / 4,
        "a few pages written, most left as they were: {changes:?}"
    );
    assert_eq!(changes.deleted, 0);
    assert_eq!(
        inode(kept),
        kept_before,
        "an unchanged page is the same file"
    );
    assert_ne!(
        inode(edited),
        edited_before,
        "an edited page is written anew"
    );
    assert!(read(&out, edited).contains("一段新写的文字"));
    assert_eq!(
        std::fs::metadata(out.join(kept)).expect("kept").nlink(),
        1,
        "the previous output is gone"
    );
    let fresh = tmp.path().join("fresh");
    build_to(&content, &fresh, false).expect("fresh build");
    assert!(
        snapshot(&out) == snapshot(&fresh),
        "a rebuild differs from a fresh build"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture(tmp.path());
    let out = tmp.path().join("public");
    build_to(&content, &out, false).expect("first build");
    let before = snapshot(&out);

    std::fs::write(
        content.join("essays/broken.md"),
        "---\ntitle: 坏记录\ndate: 2026-02-31\nauthor: nobody\n---\n正文\n",
    )
    .expect("write");
    match build_to(&content, &out, false) {
        Err(Error::Content(ds)) => assert!(ds.iter().any(|d| d.file == "essays/broken.md")),
        other => panic!("expected content errors, got {other:?}"),
    }
    assert_eq!(snapshot(&out), before, "previous output changed");

    // A template error fails after loading, in the render step: same guarantee.
    std::fs::remove_file(content.join("essays/broken.md")).expect("rm");
    std::fs::create_dir_all(content.join("templates")).expect("mkdir");
    std::fs::write(
        content.join("templates/list.html"),
        "{{ nope | no_such_filter }}",
    )
    .expect("write");
    assert!(matches!(
        build_to(&content, &out, false),
        Err(Error::Template(_))
    ));
    assert_eq!(snapshot(&out), before, "previous output changed");

    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        ["content", "public"],
        "no stage directory left behind"
    );
}

/// A build takes from the last one the bodies that did not change
/// (`.jianbao-cache/bodies`): a body whose link now points to a draft is rendered anew,
/// and every page is what a build without the cache writes.
#[test]
fn a_rebuild_renders_again_the_bodies_whose_links_changed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture(tmp.path());
    let out = tmp.path().join("public");
    let minutes = "minutes/2026/03-06-dangzhang/index.html";
    build_to(&content, &out, false).expect("first build");
    let cache = content
        .join(".jianbao-cache")
        .join(jianbao::body_cache::FILE);
    assert!(cache.is_file(), "the bodies are kept");
    assert!(read(&out, minutes).contains(r#"<a href="/essays/lina-xinde/">李娜的心得</a>"#));

    // The essay the minutes link to becomes a draft: the link is no more.
    let essay = content.join("essays/lina-xinde.md");
    let text = std::fs::read_to_string(&essay).expect("read");
    std::fs::write(&essay, text.replacen("---\n", "---\ndraft: true\n", 1)).expect("write");
    build_to(&content, &out, false).expect("second build");
    let page = read(&out, minutes);
    assert!(page.contains("李娜的心得") && !page.contains(r#"href="/essays/lina-xinde/""#));

    // Every page as a build without the cache makes it.
    std::fs::remove_file(&cache).expect("remove cache");
    let fresh = tmp.path().join("fresh");
    build_to(&content, &fresh, false).expect("fresh build");
    assert!(
        snapshot(&out) == snapshot(&fresh),
        "the cache changed a page"
    );
}

#[test]
fn raw_html_is_escaped_unless_the_site_allows_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture(tmp.path());
    let out = tmp.path().join("public");
    let page = "minutes/2026/03-06-dangzhang/index.html";
    build_to(&content, &out, false).expect("build");
    let html = read(&out, page);
    assert!(html.contains("&lt;script&gt;alert"), "escaped by default");
    assert!(!html.contains("<script>"));

    let site = std::fs::read_to_string(content.join("site.yaml")).expect("site");
    std::fs::write(
        content.join("site.yaml"),
        format!("{site}markdown:\n  unsafe_html: true\n"),
    )
    .expect("write");
    build_to(&content, &out, false).expect("build");
    assert!(
        read(&out, page).contains("<script>alert(\"x\")</script>"),
        "passed through"
    );
}

#[test]
fn a_site_template_overrides_the_theme() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture(tmp.path());
    std::fs::create_dir_all(content.join("templates")).expect("mkdir");
    std::fs::write(
        content.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}本站自定义的404页面{% endblock content %}",
    )
    .expect("write");
    let out = tmp.path().join("public");
    build_to(&content, &out, false).expect("build");
    let html = read(&out, "404.html");
    assert!(html.contains("本站自定义的404页面"), "{html}");
    assert!(
        html.contains("测试局学习型机关建设"),
        "still in the theme's layout"
    );
}

/// The record pages and the list pages (a tag's, a kind's, a person's, a department's,
/// a month's) are made in Rust while the theme keeps their templates: with copies of
/// them in the site (a theme's own, which tera renders), every page is the same, for the
/// fixture and the example site, drafts and odd values (a tag `A&B`, a department
/// without people) included.
#[test]
fn a_copy_of_the_page_templates_prints_the_pages_jianbao_makes() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for site in [fixture(), example] {
        let tmp = tempfile::tempdir().expect("tmp");
        let content = copy_site(&site, tmp.path());
        // Text to escape everywhere, a free name, every optional list.
        std::fs::create_dir_all(content.join("minutes/odd")).expect("mkdir");
        std::fs::write(
            content.join("minutes/odd/a.md"),
            "---\ntitle: \"学习<条例> & '解读'\"\ndate: 2026-03-12\ndepartment: mishu\nkind: 集中学习\nhours: 1.5\nhost: li-na\nspeaker: \"外请专家<张三>\"\nattendees: []\nabsent: [{person: li-na, reason: \"出差&培训\"}]\nmaterials: [\"《条例》&解读\", \"<附件>\"]\ntags: [\"A&B\"]\nsummary: \"摘要<一>\"\ndraft: true\n---\n正文 & <b>加粗</b>\n",
        )
        .expect("write");
        // A case with more tags than the gallery's filter bar shows (it links to the
        // page of them all), some with text to escape.
        let tags: Vec<String> = (1..=31).map(|i| format!("\"标签{i:02}<&>\"")).collect();
        std::fs::write(
            content.join("cases/odd.md"),
            format!(
                "---\ntitle: \"先进<典型> & '示范'\"\ndate: 2026-03-20\ndepartment: mishu\nlevel: county\ntags: [{}]\n---\n事迹 & 经验。\n",
                tags.join(", ")
            ),
        )
        .expect("write");
        // A department nobody belongs to yet.
        let org = std::fs::read_to_string(content.join("org.yaml")).expect("org.yaml");
        let org = org.replacen(
            "departments:\n",
            "departments:\n  - {id: xinshe, name: \"新设科<筹>&\", type: support}\n",
            1,
        );
        std::fs::write(content.join("org.yaml"), org).expect("write");
        // In a repository: the pages show each record's history.
        let git = |args: &[&str], date: &str| {
            let git = Command::new("git")
                .current_dir(&content)
                .args(["-c", "user.name=测试", "-c", "user.email=t@example.cn"])
                .args(args)
                .env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_DATE", date)
                .output()
                .expect("run git");
            assert!(git.status.success(), "git {args:?}");
        };
        let first = "2026-03-14T10:00:00+08:00";
        git(&["init", "-q"], first);
        git(&["add", "-A"], first);
        git(&["commit", "-qm", "记录"], first);
        // A record of a published month changed since: its briefing names it.
        let amended = content.join("minutes/2026/01-09-sizhong-quanhui.md");
        let published = amended.exists();
        if published {
            let text = std::fs::read_to_string(&amended).expect("read") + "\n会后补充。\n";
            std::fs::write(&amended, text).expect("write");
            git(&["commit", "-qam", "补充"], "2026-12-30T10:00:00+08:00");
        }
        for drafts in [false, true] {
            let made = tmp.path().join(format!("made-{drafts}"));
            build_to(&content, &made, drafts).expect("build");
            let templates = content.join("templates");
            std::fs::create_dir_all(&templates).expect("mkdir");
            for name in [
                "base",
                "record",
                "minutes",
                "essay",
                "case",
                "plan",
                "tag",
                "list",
                "person",
                "department",
                "month",
                "gallery",
                "briefing",
            ] {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/default/templates")
                    .join(format!("{name}.html"));
                let text = std::fs::read_to_string(theme).expect("theme template");
                // Marked as the office's: at the end of a child template (outside its
                // blocks), at the start of base.html (whose end is printed).
                let copy = match name {
                    "base" => format!("{{# the office's copy #}}{text}"),
                    _ => format!("{text}{{# the office's copy #}}\n"),
                };
                std::fs::write(templates.join(format!("{name}.html")), copy).expect("copy");
            }
            let rendered = tmp.path().join(format!("rendered-{drafts}"));
            build_to(&content, &rendered, drafts).expect("build with the copies");
            std::fs::remove_dir_all(&templates).expect("rm");
            if published {
                let january = read(&made, "briefings/2026-01/index.html");
                assert!(january.contains("changed-notice"), "{january}");
            }
            if drafts {
                let odd = read(&made, "minutes/odd/a/index.html");
                assert!(
                    odd.contains("学习&lt;条例&gt; &amp; &#39;解读&#39;"),
                    "{odd}"
                );
                assert!(
                    odd.contains("<p class=\"record-history\">首次提交"),
                    "{odd}"
                );
            }
            let (made, rendered) = (snapshot(&made), snapshot(&rendered));
            assert_eq!(
                made.keys().collect::<Vec<_>>(),
                rendered.keys().collect::<Vec<_>>()
            );
            for (path, bytes) in &made {
                assert!(
                    rendered[path] == *bytes,
                    "{path} differs ({site:?}, drafts {drafts}):\n{}\n---- tera:\n{}",
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(&rendered[path])
                );
            }
        }
    }
}

#[test]
fn drafts_are_shown_only_with_drafts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    let draft = "minutes/2026/03-27-draft/index.html";
    build_to(&fixture(), &out, false).expect("build");
    assert!(!out.join(draft).exists());
    assert!(!read(&out, "minutes/index.html").contains("草稿中的学习记录"));
    assert!(!read(&out, "people/li-na/index.html").contains("草稿中的学习记录"));

    build_to(&fixture(), &out, true).expect("build with drafts");
    assert!(read(&out, draft).contains("草稿中的学习记录"));
    assert!(read(&out, "minutes/index.html").contains("草稿中的学习记录"));
    assert!(
        !read(&out, "atom.xml").contains("草稿中的学习记录"),
        "never in the feed"
    );
    assert!(
        read(&out, "index.html").contains("<span class=\"figure\">2</span>"),
        "drafts never count in the figures"
    );
}

#[test]
fn the_command_prints_one_summary_line_and_exits_by_outcome() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["build", "-c"])
        .arg(fixture())
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("pages"), "{stderr}");

    let content = copy_fixture(tmp.path());
    std::fs::write(content.join("essays/bad.md"), "---\ntitle: 坏\n---\n").expect("write");
    let run = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["build", "-c"])
        .arg(&content)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("essays/bad.md"));

    let run = Command::new(env!("CARGO_BIN_EXE_jianbao"))
        .args(["build", "-c"])
        .arg(&content)
        .arg("-o")
        .arg(&content)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(2), "refuses to replace the content");
}
