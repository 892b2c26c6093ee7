//! The briefings, the year-end evaluation, the ledger pages and the git history on the
//! built site (tests/fixtures/site and tests/fixtures/annual, copied into temp dirs).
//! Set UPDATE_SNAPSHOTS=1 to rewrite tests/snapshots/ after reviewing a change.

use std::path::{Path, PathBuf};
use std::process::Command;

use jianbao::content::YearMonth;
use jianbao::content::briefing::{briefing_file, briefing_text};
use jianbao::{BuildOptions, build};

/// A private copy of a fixture under `to/content`.
fn copy_fixture(name: &str, to: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let dest = to.join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(&from).expect("prefix");
        let target = dest.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dest
}

/// The site fixture with a bulletin that has a 报尾.
fn site_fixture(to: &Path) -> PathBuf {
    let content = copy_fixture("site", to);
    std::fs::write(
        content.join("site.yaml"),
        "title: 测试局学习型机关建设\nbase_url: /\npaginate: 2\nbulletin:\n  name: 学习简报\n  editor: 测试局机关党支部\n  copies: 30\n  send_up: [市直机关工委]\n  send_across: [各科室负责人]\n  send_down: [全体干部职工]\n",
    )
    .expect("site.yaml");
    content
}

fn build_site(content: &Path, out: &Path) {
    build(&BuildOptions {
        content: content.to_path_buf(),
        output: out.to_path_buf(),
        drafts: false,
    })
    .expect("build");
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn assert_has(text: &str, needles: &[&str], what: &str) {
    for n in needles {
        assert!(text.contains(n), "{what} should contain {n:?}");
    }
}

/// The `<main>` element of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    &html[start..end]
}

/// The part of `html` from the element with `id` to the next element with an id of the
/// same prefix, enough to check what a source list holds.
fn block<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[start..];
    let end = rest.find("</div>").unwrap_or(rest.len());
    &rest[..end]
}

fn assert_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
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

const MARCH: YearMonth = YearMonth {
    year: 2026,
    month: 3,
};

fn publish_march(content: &Path, issue: u32, body: &str) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
    let file = content.join(briefing_file(MARCH));
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    std::fs::write(&file, briefing_text(MARCH, issue, day, body)).expect("write briefing");
}

#[test]
fn unpublished_month_is_a_preview_in_the_official_form() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = site_fixture(tmp.path());
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let html = read(&out, "briefings/2026-03/index.html");
    // 报头, the six sections, 报尾.
    assert_has(
        &html,
        &[
            "<h1 class=\"bulletin-name\">学习简报</h1>",
            "未发布（预览）",
            "class=\"preview-notice\"",
            "<span class=\"editor\">测试局机关党支部</span>",
            "<span class=\"date\">二〇二六年三月三十一日</span>",
            "<hr class=\"red-rule\">",
            "<h3>一、本月概况</h3>",
            "<h3>二、各科室学习情况</h3>",
            "<h3>三、学习活动纪实</h3>",
            "<h3>四、优秀文章选登</h3>",
            "<h3>五、典型引路</h3>",
            "<h3>六、下月学习安排</h3>",
            "<p>报：市直机关工委</p>",
            "<p>送：各科室负责人</p>",
            "<p>发：全体干部职工</p>",
            "共印30份",
            "class=\"briefing-chart\"",
        ],
        "the March preview",
    );
    // The table: 秘书科 held one session (linked to its list), 4 of 5 people reached
    // the self-study requirement.
    assert_has(
        &html,
        &[
            "<a class=\"figure-link\" href=\"#src-mishu-sessions\">1</a>",
            "<a class=\"figure-link\" href=\"#src-mishu-sessions\">66.7%</a>",
            "<a class=\"figure-link\" href=\"#src-caiwu-self_study\">1/2</a>",
            "<a class=\"figure-link\" href=\"#sources\">4/5</a>",
            "<a class=\"figure-link\" href=\"#sources\">101.5</a>",
        ],
        "the departments table",
    );
    // A figure of zero has nothing to link to.
    assert!(html.contains("<td>0</td>"));
    // The lists the figures link to name the records, and the log lines.
    let sessions = block(&html, "src-mishu-sessions");
    assert_has(
        sessions,
        &[
            "href=\"/minutes/2026/03-06-dangzhang/\"",
            "集中学习新修订的党章",
        ],
        "秘书科's sessions",
    );
    assert!(!sessions.contains("03-27-draft"), "drafts never count");
    let study = block(&html, "src-caiwu-self_study");
    assert_has(
        study,
        &[
            "href=\"/ledgers/logs/2026-03/\"",
            "href=\"/people/zhao-lei/\"",
            "18小时，未达标",
            "href=\"/ledgers/logs/2026-03/#L6\"",
            "其余1人达标 <a class=\"ledger-line\" href=\"/ledgers/logs/2026-03/#L5\">［台账第5行］</a>",
        ],
        "财务科's self-study: the person below the requirement by name, the other by line",
    );
    assert!(
        !study.contains("/people/wang-fang/"),
        "reached: cited by line"
    );
    assert_has(
        block(&html, "src-mishu-self_study"),
        &[
            "个人自学（2）",
            "2人均达标",
            "href=\"/ledgers/logs/2026-03/#L3\">［台账第3–4行］",
        ],
        "秘书科's self-study",
    );
    let planned = block(&html, "src-mishu-planned");
    assert_has(planned, &["href=\"/plans/2026-mishu/\"", "已开展"], "plan");
    // The ledger page has an anchor per line.
    let ledger = read(&out, "ledgers/logs/2026-03/index.html");
    assert_has(&ledger, &["id=\"L6\"", "zhao-lei: 18"], "the log page");

    // The list, the navigation, the home page, the print stylesheet.
    let list = read(&out, "briefings/index.html");
    assert_has(
        &list,
        &[
            "href=\"/briefings/2026-03/\"",
            "href=\"/briefings/2026-02/\"",
            "未发布",
        ],
        "the list of briefings",
    );
    assert!(
        list.find("2026-03").expect("march") < list.find("/briefings/2026-02/").expect("feb"),
        "newest first"
    );
    assert_has(&html, &[">简报</a>", ">考评</a>"], "the navigation");
    let home = read(&out, "index.html");
    assert_has(
        &home,
        &["class=\"latest-briefing\"", "href=\"/briefings/2026-03/\""],
        "home",
    );
    let css = read(&out, "style.css");
    assert_has(
        &css,
        &[
            "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }",
            "@media print",
            ".section-briefings .site-header",
        ],
        "the print stylesheet",
    );
    // Outside a repository, no history line.
    let record = read(&out, "minutes/2026/03-06-dangzhang/index.html");
    assert!(!record.contains("record-history"), "no git, no history");
}

#[test]
fn briefing_page_matches_the_snapshot() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = site_fixture(tmp.path());
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let html = read(&out, "briefings/2026-03/index.html");
    assert_snapshot("site-briefing-2026-03.html", main_of(&html));
}

/// The default briefing.html's departments table and source lists are made by jianbao
/// (`rows_html`, `sources_html`); a theme's copy of the file loops over `rows` and
/// `sources` instead, and must print the same page.
#[test]
fn a_copy_of_briefing_html_prints_the_page_the_default_prints() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = site_fixture(tmp.path());
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let months: Vec<String> = std::fs::read_dir(out.join("briefings"))
        .expect("briefings/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("2026-"))
        .collect();
    let page = |dir: &Path, month: &str| read(dir, &format!("briefings/{month}/index.html"));
    let all: String = months.iter().map(|m| page(&out, m)).collect();
    for part in [
        "<tr class=\"total\"><td class=\"name\">",
        "<a class=\"figure-link\" href=\"#src-",
        "<section class=\"source-block\" id=\"src-total\">",
        "<p class=\"ledger\">台账：<a href=\"/ledgers/logs/2026-03/\">",
        "<p class=\"empty\">本月无记录。</p>",
    ] {
        assert!(all.contains(part), "a page should contain {part:?}");
    }

    assert!(months.len() >= 3, "{months:?}");
    let pages: Vec<String> = (months.iter())
        .map(|m| format!("briefings/{m}/index.html"))
        .collect();
    let theme = include_str!("../themes/default/templates/briefing.html");
    assert_a_copy_prints_the_same(&content, &out, "briefing.html", theme, &pages);
}

/// Builds `content` again with a copy of the default theme's `template` (its `text`) in
/// the site's templates/, which jianbao then renders as a theme's own, and checks that
/// `pages` are the same as in `out`, built with the default theme.
fn assert_a_copy_prints_the_same(
    content: &Path,
    out: &Path,
    template: &str,
    text: &str,
    pages: &[String],
) {
    let copy = format!("{text}{{# the office's copy #}}\n");
    assert_this_copy_prints_the_same(content, out, template, &copy, pages);
}

/// As [`assert_a_copy_prints_the_same`], with the copy's text as given.
fn assert_this_copy_prints_the_same(
    content: &Path,
    out: &Path,
    template: &str,
    copy: &str,
    pages: &[String],
) {
    std::fs::create_dir_all(content.join("templates")).expect("mkdir");
    std::fs::write(content.join("templates").join(template), copy).expect("template");
    let copied = out.with_file_name("copied");
    build_site(content, &copied);
    for page in pages {
        assert_eq!(read(&copied, page), read(out, page), "{page}");
    }
}

/// As a_copy_of_briefing_html_prints_the_page_the_default_prints, for evaluation.html's
/// departments section (`departments_html`).
#[test]
fn a_copy_of_evaluation_html_prints_the_page_the_default_prints() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture("annual", tmp.path());
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let pages: Vec<String> = std::fs::read_dir(out.join("evaluation"))
        .expect("evaluation/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("20"))
        .map(|year| format!("evaluation/{year}/index.html"))
        .collect();
    let all: String = pages.iter().map(|p| read(&out, p)).collect();
    for part in [
        "<section class=\"dept-evaluation\" id=\"dept-",
        "<h3><a href=\"/departments/",
        "<p class=\"veto-note\">一票否决：",
        "<td class=\"evidence\"><details><summary>",
        "<td class=\"evidence\">—</td>",
    ] {
        assert!(all.contains(part), "a page should contain {part:?}");
    }
    let theme = include_str!("../themes/default/templates/evaluation.html");
    assert_a_copy_prints_the_same(&content, &out, "evaluation.html", theme, &pages);
}

/// evaluation.html's departments section is made in Rust only while `dept_link` is the
/// theme's too: a site that changes the component gets it in every department's heading.
#[test]
fn a_changed_dept_link_shows_in_the_evaluation_departments_section() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture("annual", tmp.path());
    std::fs::create_dir_all(content.join("templates")).expect("mkdir");
    let components = include_str!("../themes/default/templates/components.html").replace(
        "{% if d %}<a href=\"{{ d.url }}\">",
        "{% if d %}<a class=\"office-dept\" href=\"{{ d.url }}\">",
    );
    assert!(
        components.contains("office-dept"),
        "the component was changed"
    );
    std::fs::write(content.join("templates/components.html"), components).expect("write");
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let html = read(&out, "evaluation/2026/index.html");
    let section = block(&html, "dept-zonghe");
    assert!(
        section.contains("<h3><a class=\"office-dept\" href=\"/departments/zonghe/\">综合科</a>："),
        "{section}"
    );
}

/// As a_copy_of_briefing_html_prints_the_page_the_default_prints, for the lines of
/// ledger.html (`ledger.lines_html`).
#[test]
fn a_copy_of_ledger_html_prints_the_page_the_default_prints() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = site_fixture(tmp.path());
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let page = "ledgers/logs/2026-03/index.html".to_string();
    let html = read(&out, &page);
    assert_has(
        &html,
        &[
            "<tr id=\"L1\"><td class=\"line-number\"><a href=\"#L1\">1</a></td><td class=\"line\"><code>month: 2026-03</code></td></tr>\n",
            "<tr id=\"L3\"><td class=\"line-number\"><a href=\"#L3\">3</a></td>",
        ],
        "the ledger page",
    );
    let theme = include_str!("../themes/default/templates/ledger.html");
    assert_a_copy_prints_the_same(&content, &out, "ledger.html", theme, &[page]);
}

/// A session with no attendees, absentees with and without a reason (one with a reason
/// to escape) and a tag to escape, beside the fixture's records.
fn write_odd_minutes(content: &Path) {
    std::fs::write(
        content.join("minutes/2026/03-13-dushu-kong.md"),
        "---\ntitle: 读书活动（无人签到）\ndate: 2026-03-13\ndepartment: mishu\nkind: 读书活动\nhours: 1\nattendees: []\nabsent:\n  - {person: li-na, reason: 出差}\n  - {person: zhao-lei}\n  - {person: wang-fang, reason: \"<病假> & 调休\"}\ntags: [读书, \"A&B <试点>\"]\n---\n线上自学。\n",
    )
    .expect("minutes");
}

/// The record pages of the site fixture with [`write_odd_minutes`].
fn record_pages() -> Vec<String> {
    [
        "minutes/2026/02-13-yantao",
        "minutes/2026/03-06-dangzhang",
        "minutes/2026/03-20-dushu",
        "minutes/2026/03-13-dushu-kong",
        "essays/lina-xinde",
        "cases/chen-jing",
    ]
    .map(|path| format!("{path}/index.html"))
    .to_vec()
}

/// Builds the site fixture with [`write_odd_minutes`], checks that its record pages show
/// `parts`, then that a copy of the default theme's `template` (its `text`) prints them
/// the same: while the file is the default theme's, its loops' markup is made in Rust.
fn assert_a_copy_prints_the_record_pages(template: &str, text: &str, parts: &[&str]) {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = site_fixture(tmp.path());
    write_odd_minutes(&content);
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let pages = record_pages();
    let all: String = pages.iter().map(|p| read(&out, p)).collect();
    assert_has(&all, parts, "the record pages");
    assert_a_copy_prints_the_same(&content, &out, template, text, &pages);
}

/// The attendees and absentees of minutes.html (`entry.minutes.attendees_html`,
/// `absent_html`): one, several and none.
#[test]
fn a_copy_of_minutes_html_prints_the_page_the_default_prints() {
    assert_a_copy_prints_the_record_pages(
        "minutes.html",
        include_str!("../themes/default/templates/minutes.html"),
        &[
            "<tr><th>出席人员</th><td><a href=\"/people/chen-jing/\">陈静</a>（1人）</td></tr>",
            "</a>、<a href=\"/people/",
            "<tr><th>出席人员</th><td>无</td></tr>",
            "<a href=\"/people/li-na/\">李娜</a>（出差）、",
            "（&lt;病假&gt; &amp; 调休）</td></tr>",
        ],
    );
}

/// The tags of record.html (`entry.tags_html`).
#[test]
fn a_copy_of_record_html_prints_the_page_the_default_prints() {
    assert_a_copy_prints_the_record_pages(
        "record.html",
        include_str!("../themes/default/templates/record.html"),
        &[
            "<p class=\"tags\">标签：<a class=\"tag\" href=\"/tags/党章/\">党章</a><a class=\"tag\"",
            ">A&amp;B &lt;试点&gt;</a></p>",
        ],
    );
}

/// base.html: the markup between its blocks is made once per section
/// (`chrome`); a copy of the file makes it on every page, which must be the same on
/// every page of the site (the search page empties a block, the home page has its own
/// title).
#[test]
fn a_copy_of_base_html_prints_every_page_the_default_prints() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = site_fixture(tmp.path());
    write_odd_minutes(&content);
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let pages: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(&out).expect("inside");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    assert!(pages.len() > 40, "{} pages", pages.len());
    let home = read(&out, "index.html");
    assert!(
        home.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
        "{home}"
    );
    assert!(home.ends_with("</footer>\n</body>\n</html>\n"), "{home}");
    // Changed at its start: text after the file's last tag would show on every page.
    let theme = include_str!("../themes/default/templates/base.html");
    let copy = format!("{{# the office's copy #}}{theme}");
    assert_this_copy_prints_the_same(&content, &out, "base.html", &copy, &pages);
}

#[test]
fn published_month_shows_the_frozen_text_and_its_issue() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = site_fixture(tmp.path());
    publish_march(
        &content,
        7,
        "# 学习简报\n\n**第7期**\n\n测试局机关党支部　　二〇二六年四月一日\n\n---\n\n## 2026年3月学习情况\n\n### 一、本月概况\n\n定稿时的概况文字。\n",
    );
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let html = read(&out, "briefings/2026-03/index.html");
    assert_has(
        &html,
        &[
            "bulletin-frozen",
            "<strong>第7期</strong>",
            "定稿时的概况文字。",
            "数据来源",
        ],
        "the published March",
    );
    assert!(!html.contains("preview-notice"), "not a preview");
    assert!(!html.contains("changed-notice"), "no history outside git");
    let list = read(&out, "briefings/index.html");
    assert_has(&list, &["第7期", "2026年4月1日发布"], "the list");
    let feb = read(&out, "briefings/2026-02/index.html");
    assert!(feb.contains("未发布（预览）"));
    let home = read(&out, "index.html");
    assert!(
        home.contains("（第7期）"),
        "home links the latest published issue"
    );
}

#[test]
fn evaluation_page_ranks_grades_and_shows_the_evidence() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture("annual", tmp.path());
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let html = read(&out, "evaluation/2026/index.html");
    assert_has(
        &html,
        &[
            "2026年度学习型机关建设考评报告",
            "<h2>一、考评结果</h2>",
            "<td class=\"num\">1</td><td><a href=\"#dept-zonghe\">综合科</a></td><td class=\"num\">65.00</td>",
            "<span class=\"grade band-2\">合格</span>",
            "<span class=\"grade band-3\">不合格</span>",
            "一票否决：财务制度执行不到位被通报",
            "href=\"/ledgers/reviews/2026/#L4\"",
            "class=\"score-chart\"",
            "class=\"band-line\"",
            "不合格（低于60分）",
            "id=\"dept-zonghe\"",
            "<td>集中学习制度落实</td><td class=\"num\">30</td><td>100%</td><td>2/12（16.67%）</td><td class=\"num\">5.00</td>",
            "href=\"/minutes/2026-01-09-zonghe/\"",
            "href=\"/essays/zhang-wei-1/\"",
            "<h2>三、表彰名单</h2>",
            "优秀共产党员（名额",
            "先进工作者（名额",
            "学习型机关先进科室（至多",
            "<h2>四、取消评优资格</h2>",
        ],
        "the 2026 evaluation",
    );
    let list = read(&out, "evaluation/index.html");
    assert_has(
        &list,
        &["href=\"/evaluation/2026/\"", "65.00"],
        "the list of years",
    );
    let dept = read(&out, "departments/zonghe/index.html");
    assert_has(
        &dept,
        &["href=\"/evaluation/2026/#dept-zonghe\"", "65.00", "合格"],
        "the department's score history",
    );
    let review = read(&out, "ledgers/reviews/2026/index.html");
    assert!(review.contains("id=\"L4\""));
}

#[test]
fn disqualified_people_are_listed_with_their_reasons() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture("annual", tmp.path());
    let out = tmp.path().join("public");
    build_site(&content, &out);
    let html = read(&out, "evaluation/2026/index.html");
    let section = &html[html.find("<h2>四、取消评优资格</h2>").expect("section")..];
    assert_has(
        section,
        &[
            "<a href=\"/people/zhou-jie/\">周杰</a>",
            "迟到11次（超过10次）",
            "href=\"/ledgers/logs/2026-01/#L11\"",
        ],
        "the disqualified",
    );
    // Disqualified people are not on the award lists.
    let awards = &html[html.find("<ol class=\"awards\">").expect("awards")..];
    let awards = &awards[..awards.find("</ol>").expect("end")];
    assert!(awards.contains("<a href=\"/people/li-na/\">李娜</a>"));
    assert!(!awards.contains("zhou-jie"));
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn record_pages_show_their_git_history() {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = site_fixture(tmp.path());
    publish_march(&content, 3, "# 学习简报\n\n**第3期**\n\n定稿。\n");
    let first = "2026-03-06T10:00:00+08:00";
    git(&content, &["init", "-q"], first);
    git(&content, &["config", "user.name", "测试"], first);
    git(
        &content,
        &["config", "user.email", "test@example.com"],
        first,
    );
    git(&content, &["config", "commit.gpgsign", "false"], first);
    git(&content, &["add", "-A"], first);
    git(&content, &["commit", "-q", "-m", "records"], first);
    let minutes = content.join("minutes/2026/03-06-dangzhang.md");
    let text = std::fs::read_to_string(&minutes).expect("read") + "\n补充：会后交流。\n";
    std::fs::write(&minutes, text).expect("write");
    let second = "2026-04-02T09:00:00+08:00";
    git(&content, &["commit", "-q", "-am", "amend minutes"], second);

    let out = tmp.path().join("public");
    build_site(&content, &out);
    let record = read(&out, "minutes/2026/03-06-dangzhang/index.html");
    assert_has(
        &record,
        &[
            "首次提交 <time datetime=\"2026-03-06\">2026年3月6日</time>",
            "最近修改 <time datetime=\"2026-04-02\">2026年4月2日</time>",
            "共修订2次",
        ],
        "the amended minutes",
    );
    let other = read(&out, "minutes/2026/03-20-dushu/index.html");
    assert!(other.contains("共修订1次"));
    // The published March names the minutes changed after publication.
    let march = read(&out, "briefings/2026-03/index.html");
    let notice = &march[march.find("changed-notice").expect("notice")..];
    assert!(notice.contains("href=\"/minutes/2026/03-06-dangzhang/\""));
    assert!(!notice[..notice.find("</aside>").expect("aside")].contains("03-20-dushu"));
}
