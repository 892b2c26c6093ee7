//! The default theme's record pages and list pages, written in Rust: base.html around
//! record.html with the fields block of minutes.html, essay.html, case.html or
//! plan.html, or around tag.html, list.html, person.html, department.html, month.html
//! and gallery.html (its content block in [`super::gallery_page`]). Seven in ten pages
//! of a site are record pages, and tera's walk through their sixty-odd lookups was a
//! ninth of a 10,000-record build's instructions; a list page is little more than
//! base.html's blocks around a few components, and walking them was most of its cost.
//!
//! The markup is the templates', from the same values (`entry`, `history`, `site`, the
//! page's title and `chrome`; a list page's context, see [`list_page`]),
//! escaped as tera escapes (tested to be equal in tests/build.rs for every page of the
//! example site and the fixture, drafts included, in a git repository). A theme that
//! changes any of these files gets its own rendered by tera
//! ([`super::Builtin::record_kind_page`], [`super::Builtin::list_kind_page`]), and so
//! does a value of a type the templates would print otherwise (these return `None`).

use std::sync::atomic::AtomicU8;

use tera::{Context, Value};

use super::{NO_ENTRIES, field, push_entry_list};
use crate::render::data::RecordParts;
use crate::render::env::{date_zh, push_iso_date_zh};
use crate::render::html::push_text;
use crate::render::reports::RecordValues;

/// What base.html prints around a page's blocks that depends on the site alone, made
/// once: the title's end, the search box and the footer.
pub struct Frame {
    /// ` - ` and the site's title, escaped.
    title_end: String,
    search_box: String,
    footer: String,
}

impl Frame {
    /// The frame of `site` (the `site` value of every template); `None` for a value
    /// base.html would print otherwise.
    pub fn of(site: &Value) -> Option<Frame> {
        let mut title_end = String::from(" - ");
        print(&mut title_end, field(site, "title", hint!())?)?;
        let mut search_box = String::from("<form class=\"site-search\" action=\"");
        print(&mut search_box, field(site, "base_url", hint!())?)?;
        search_box.push_str("search/\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" placeholder=\"搜索全站记录\" aria-label=\"搜索全站记录\" enterkeyhint=\"search\"><button type=\"submit\">搜索</button></form>");
        let mut footer = String::from("<p>");
        print(&mut footer, field(site, "title", hint!())?)?;
        if let Some(editor) =
            truthy(field(site, "bulletin", hint!()).and_then(|b| field(b, "editor", hint!())))
        {
            footer.push_str(" · ");
            print(&mut footer, editor)?;
        }
        footer.push_str(" · <a href=\"");
        print(&mut footer, field(site, "feed_url", hint!())?)?;
        footer.push_str("\">订阅</a>");
        if let Some(time) = truthy(field(site, "build_time", hint!())) {
            footer.push_str(" · 生成于 ");
            print(&mut footer, time)?;
        }
        footer.push_str("</p>");
        Some(Frame {
            title_end,
            search_box,
            footer,
        })
    }
}

/// The page of a record made with `template` (`minutes.html`, ...), titled `title`, in
/// the `chrome` of its section, from the `record` values its templates would get.
pub fn record_page(
    frame: &Frame,
    chrome: &Value,
    template: &str,
    title: &str,
    record: &RecordValues,
) -> Option<String> {
    let size = record.parts.content.len() + 6144;
    framed(frame, chrome, title, size, |out| {
        self::record(out, template, record)
    })
}

/// A list page made with `template` (tag.html, list.html, person.html,
/// department.html, month.html, gallery.html), titled `title`, in the `chrome` of its
/// section, from the page's `context` (a tag's or a kind's: `tag` or `kind`, `entries`,
/// `paginator`; a person's: `person` and their lists; a department's: `department`,
/// `people`, `evaluations`, `sections`; a month's: `month`, `sections`; a gallery
/// page's: see [`super::gallery_page`]).
pub fn list_page(
    frame: &Frame,
    chrome: &Value,
    template: &str,
    title: &str,
    context: &Context,
) -> Option<String> {
    framed(frame, chrome, title, 16384, |out| {
        // `{% block content %}` of the template, line by line.
        match template {
            "tag.html" => {
                out.push_str("\n<h1>标签：");
                print(out, field(context.get("tag")?, "name", hint!())?)?;
            }
            "list.html" => {
                out.push_str("\n<h1>");
                print(out, field(context.get("kind")?, "label", hint!())?)?;
            }
            "person.html" => return person(out, context),
            "gallery.html" => return super::gallery_page::gallery(out, context),
            "department.html" => return department(out, context),
            "month.html" => {
                out.push_str("\n<h1>");
                print(out, field(context.get("month")?, "label", hint!())?)?;
                out.push_str("</h1>\n");
                kind_sections(out, context.get("sections"))?;
                out.push('\n');
                return Some(());
            }
            _ => return None,
        }
        out.push_str("</h1>\n");
        push_entry_list(out, context.get("entries"), Some(NO_ENTRIES), false)?;
        out.push('\n');
        out.push_str(&super::pagination_of(context.get("paginator")?)?);
        out.push('\n');
        Some(())
    })
}

/// person.html's content block.
fn person(out: &mut String, context: &Context) -> Option<()> {
    let p = context.get("person")?;
    out.push_str("\n<h1>");
    print(out, field(p, "name", hint!())?)?;
    out.push_str("</h1>\n<p class=\"card-meta\">");
    if let Some(d) = truthy(field(p, "department", hint!())) {
        push_dept_link(out, d)?;
        out.push_str(" · ");
    }
    print(out, field(p, "role_label", hint!())?)?;
    if truthy(field(p, "party", hint!())).is_some() {
        out.push_str(" · 党员");
    }
    out.push_str("</p>\n");
    for (heading, key, empty) in [
        ("撰写文章", "essays", "暂无文章。"),
        ("参加学习", "attended", "暂无出席记录。"),
    ] {
        list_section(out, heading, context.get(key), empty)?;
    }
    if let Some(missed) = truthy(context.get("missed")) {
        let missed = missed.as_array()?;
        out.push_str("\n<section>\n  <h2>缺席学习（");
        push_count(out, missed.len());
        out.push_str("）</h2>\n  <ul class=\"entries\">\n  ");
        for m in missed {
            let e = field(m, "entry", hint!())?;
            out.push_str("<li class=\"entry\"><div class=\"entry-meta\">");
            if let Some(date) = truthy(field(e, "date", hint!())) {
                push_time(out, date)?;
            }
            if let Some(reason) = truthy(field(m, "reason", hint!())) {
                out.push_str("<span class=\"reason\">缺席原因：");
                print(out, reason)?;
                out.push_str("</span>");
            }
            out.push_str("</div><a class=\"entry-title\" href=\"");
            print(out, field(e, "url", hint!())?)?;
            out.push_str("\">");
            print(out, field(e, "title", hint!())?)?;
            out.push_str("</a></li>\n  ");
        }
        out.push_str("</ul>\n</section>\n");
    }
    for (heading, key) in [
        ("主持学习", "hosted"),
        ("典型案例", "cases"),
        ("个人学习计划", "plans"),
    ] {
        out.push('\n');
        if let Some(entries) = truthy(context.get(key)) {
            out.push('\n');
            list_section(out, heading, Some(entries), NO_ENTRIES)?;
        }
    }
    out.push('\n');
    Some(())
}

/// department.html's content block.
fn department(out: &mut String, context: &Context) -> Option<()> {
    let d = context.get("department")?;
    out.push_str("\n<h1>");
    print(out, field(d, "name", hint!())?)?;
    out.push_str("</h1>\n<p class=\"card-meta\">");
    print(out, field(d, "type_label", hint!())?)?;
    out.push_str("</p>\n<section>\n  <h2>人员</h2>\n  ");
    match truthy(context.get("people")) {
        Some(people) => {
            out.push_str("<ul class=\"people\">");
            for p in people.as_array()? {
                out.push_str("<li><a href=\"");
                print(out, field(p, "url", hint!())?)?;
                out.push_str("\">");
                print(out, field(p, "name", hint!())?)?;
                out.push_str("</a><span class=\"role\">");
                print(out, field(p, "role_label", hint!())?)?;
                if truthy(field(p, "party", hint!())).is_some() {
                    out.push_str(" · 党员");
                }
                out.push_str("</span></li>");
            }
            out.push_str("</ul>");
        }
        None => out.push_str("<p class=\"empty\">暂无人员。</p>"),
    }
    out.push_str("\n</section>\n");
    if let Some(evaluations) = truthy(context.get("evaluations")) {
        out.push_str("<section class=\"score-history\">\n  <h2>年终考评</h2>\n  <table class=\"scores\"><thead><tr><th>年度</th><th>得分</th><th>名次</th><th>等级</th></tr></thead>\n  <tbody>");
        for e in evaluations.as_array()? {
            out.push_str("<tr><td><a href=\"");
            print(out, field(e, "url", hint!())?)?;
            out.push_str("\">");
            print(out, field(e, "year", hint!())?)?;
            out.push_str("年</a></td><td class=\"num\">");
            print(out, field(e, "score", hint!())?)?;
            out.push_str("</td><td class=\"num\">");
            print(out, field(e, "rank", hint!())?)?;
            out.push_str("</td><td>");
            print(out, field(e, "grade", hint!())?)?;
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>\n</section>\n");
    }
    out.push('\n');
    if kind_sections(out, context.get("sections"))? == 0 {
        out.push_str("\n<p class=\"empty\">暂无记录。</p>");
    } else {
        out.push('\n');
    }
    out.push('\n');
    Some(())
}

/// The loop of department.html and month.html over `sections` (`{kind, entries}` of
/// each kind of record), each a section with a compact list. Returns how many.
fn kind_sections(out: &mut String, sections: Option<&Value>) -> Option<usize> {
    let sections = match sections {
        Some(v) if v.is_truthy() => v.as_array()?,
        // `{% for %}` over nothing (department.html then says so).
        _ => &[],
    };
    for s in sections {
        let label = field(field(s, "kind", hint!())?, "label", hint!())?;
        out.push_str("\n<section>\n  <h2>");
        print(out, label)?;
        section_rest(out, field(s, "entries", hint!()), NO_ENTRIES)?;
        out.push('\n');
    }
    Some(sections.len())
}

/// `<section>` with `heading`, the count of `entries` and their compact list (`empty`
/// when there are none), as person.html writes its lists.
fn list_section(
    out: &mut String,
    heading: &str,
    entries: Option<&Value>,
    empty: &str,
) -> Option<()> {
    out.push_str("<section>\n  <h2>");
    out.push_str(heading);
    section_rest(out, entries, empty)?;
    out.push('\n');
    Some(())
}

/// What follows a list section's heading text: `（count）</h2>`, the compact list and
/// the section's end.
fn section_rest(out: &mut String, entries: Option<&Value>, empty: &str) -> Option<()> {
    out.push('（');
    push_count(out, entries?.as_array()?.len());
    out.push_str("）</h2>\n  ");
    push_entry_list(out, entries, Some(empty), true)?;
    out.push_str("\n</section>");
    Some(())
}

/// A whole number as tera prints it.
fn push_count(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// base.html around the content block `content` writes, for a page titled `title`
/// (`size`: about how long the page will be).
fn framed(
    frame: &Frame,
    chrome: &Value,
    title: &str,
    size: usize,
    content: impl FnOnce(&mut String) -> Option<()>,
) -> Option<String> {
    let mut out = String::with_capacity(size);
    let part = |out: &mut String, name: &'static str, hint| -> Option<()> {
        out.push_str(field(chrome, name, hint)?.as_str()?);
        Some(())
    };
    part(&mut out, "top", hint!())?;
    push_text(&mut out, title);
    out.push_str(&frame.title_end);
    part(&mut out, "meta", hint!())?;
    part(&mut out, "header", hint!())?;
    out.push_str(&frame.search_box);
    part(&mut out, "nav", hint!())?;
    content(&mut out)?;
    part(&mut out, "footer", hint!())?;
    out.push_str(&frame.footer);
    part(&mut out, "end", hint!())?;
    Some(out)
}

/// record.html's content block.
fn record(out: &mut String, template: &str, record: &RecordValues) -> Option<()> {
    let (e, parts) = (&record.entry, &record.parts);
    out.push_str("\n<article class=\"record record-");
    print(out, field(e, "kind", hint!())?)?;
    out.push_str(
        "\">\n  <header class=\"record-header\">\n    <p class=\"record-kind\"><a href=\"",
    );
    print(out, field(e, "section_url", hint!())?)?;
    out.push_str("\">");
    print(out, field(e, "kind_label", hint!())?)?;
    out.push_str("</a>");
    if truthy(field(e, "draft", hint!())).is_some() {
        out.push_str("<span class=\"draft\">草稿</span>");
    }
    out.push_str("</p>\n    <h1>");
    print(out, field(e, "title", hint!())?)?;
    out.push_str("</h1>\n    <p class=\"record-date\">");
    if let Some(date) = truthy(field(e, "date", hint!())) {
        push_time(out, date)?;
    }
    if let Some(d) = truthy(field(e, "department", hint!())) {
        out.push_str(" · ");
        push_dept_link(out, d)?;
    }
    out.push_str("</p>\n    ");
    if let Some(h) = truthy(Some(&record.history)) {
        out.push_str("<p class=\"record-history\">首次提交 ");
        push_time(out, field(h, "first", hint!())?)?;
        out.push_str(" · 最近修改 ");
        push_time(out, field(h, "last", hint!())?)?;
        out.push_str(" · 共修订");
        print(out, field(h, "revisions", hint!())?)?;
        out.push_str("次</p>");
    }
    out.push_str("\n  </header>\n  <table class=\"fields\">\n    <tbody>\n    ");
    match template {
        "minutes.html" => minutes_fields(out, e, parts)?,
        "essay.html" => essay_fields(out, e)?,
        "case.html" => case_fields(out, e)?,
        "plan.html" => plan_fields(out, e)?,
        _ => return None,
    }
    out.push_str("\n    </tbody>\n  </table>\n  ");
    if let Some(lead) = truthy(field(e, "lead", hint!())) {
        out.push_str("<p class=\"record-summary\">");
        print(out, lead)?;
        out.push_str("</p>");
    }
    out.push_str("\n  <div class=\"record-body\">\n  ");
    out.push_str(&parts.content);
    out.push_str("\n  </div>\n  ");
    if template == "plan.html" {
        plan_after(out, e)?;
    }
    out.push_str("\n  ");
    if truthy(field(e, "tags", hint!())).is_some() {
        out.push_str("<p class=\"tags\">标签：");
        // What the loop over `entry.tags` prints is made with the page.
        out.push_str(parts.tags_html.as_deref()?);
        out.push_str("</p>");
    }
    out.push_str("\n</article>\n");
    Some(())
}

/// minutes.html's fields block.
fn minutes_fields(out: &mut String, e: &Value, parts: &RecordParts) -> Option<()> {
    let m = field(e, "minutes", hint!())?;
    out.push_str("\n\n<tr><th>时间</th><td>");
    push_date_zh(out, field(e, "date", hint!())?)?;
    out.push_str("</td></tr>\n");
    department_row(out, e)?;
    out.push_str("\n<tr><th>形式</th><td>");
    print(out, field(m, "kind", hint!())?)?;
    out.push_str("</td></tr>\n");
    person_row(out, "主持人", truthy(field(m, "host", hint!())))?;
    out.push('\n');
    person_row(out, "主讲人", truthy(field(m, "speaker", hint!())))?;
    // The loops over `attendees` and `absent` are made with the page.
    out.push_str("\n<tr><th>出席人员</th><td>");
    out.push_str(parts.attendees_html.as_deref().filter(|a| !a.is_empty())?);
    out.push_str("</td></tr>\n");
    if truthy(field(m, "absent", hint!())).is_some() {
        out.push_str("<tr><th>缺席人员（原因）</th><td>");
        out.push_str(parts.absent_html.as_deref().filter(|a| !a.is_empty())?);
        out.push_str("</td></tr>");
    }
    out.push_str("\n<tr><th>学时</th><td>");
    print(out, field(m, "hours", hint!())?)?;
    out.push_str(" 小时</td></tr>\n");
    if let Some(materials) = truthy(field(m, "materials", hint!())) {
        out.push_str("<tr><th>学习材料</th><td><ul class=\"materials\">");
        for x in materials.as_array()? {
            out.push_str("<li>");
            print(out, x)?;
            out.push_str("</li>");
        }
        out.push_str("</ul></td></tr>");
    }
    out.push('\n');
    Some(())
}

/// essay.html's fields block.
fn essay_fields(out: &mut String, e: &Value) -> Option<()> {
    let x = field(e, "essay", hint!())?;
    owner_rows(out, e, "作者")?;
    out.push_str("\n<tr><th>类别</th><td>");
    print(out, field(x, "kind_label", hint!())?)?;
    out.push_str("</td></tr>\n<tr><th>采用情况</th><td>");
    match truthy(field(x, "adopted_by", hint!())) {
        Some(by) => {
            print(out, by)?;
            out.push_str("采用");
        }
        None => out.push_str("未采用"),
    }
    out.push_str("</td></tr>\n");
    if let Some(month) = truthy(field(x, "featured", hint!())) {
        out.push_str("<tr><th>简报选登</th><td>");
        push_date_zh(out, month)?;
        out.push_str("</td></tr>");
    }
    out.push('\n');
    Some(())
}

/// case.html's fields block.
fn case_fields(out: &mut String, e: &Value) -> Option<()> {
    let c = field(e, "case", hint!())?;
    owner_rows(out, e, "人物")?;
    out.push('\n');
    text_row(out, "级别", field(c, "level_label", hint!()))?;
    out.push('\n');
    if let Some(cover) = truthy(field(c, "cover", hint!())) {
        out.push_str("<tr><th>封面图</th><td><img class=\"cover\" src=\"");
        print(out, cover)?;
        out.push_str("\" alt=\"");
        print(out, field(e, "title", hint!())?)?;
        out.push_str("\"></td></tr>");
    }
    out.push('\n');
    Some(())
}

/// plan.html's fields block.
fn plan_fields(out: &mut String, e: &Value) -> Option<()> {
    let p = field(e, "plan", hint!())?;
    out.push_str("\n\n");
    text_row(out, "周期", field(p, "period_label", hint!()))?;
    out.push_str("\n<tr><th>范围</th><td>");
    print(out, field(p, "scope_label", hint!())?)?;
    if let Some(person) = truthy(field(e, "person", hint!())) {
        out.push('：');
        push_person_link(out, person)?;
    } else if let Some(d) = truthy(field(e, "department", hint!())) {
        out.push('：');
        push_dept_link(out, d)?;
    }
    out.push_str("</td></tr>\n");
    Some(())
}

/// plan.html's after block: the schedule.
fn plan_after(out: &mut String, e: &Value) -> Option<()> {
    out.push('\n');
    let schedule = field(e, "plan", hint!()).and_then(|p| truthy(field(p, "schedule", hint!())));
    if let Some(schedule) = schedule {
        out.push_str("\n<section class=\"schedule\">\n  <h2>学习安排</h2>\n  <div class=\"table-scroll\">\n  <table>\n    <thead><tr><th>日期</th><th>内容</th><th>形式</th><th>主讲人</th></tr></thead>\n    <tbody>\n    ");
        for item in schedule.as_array()? {
            out.push_str("<tr><td>");
            push_date_zh(out, field(item, "date", hint!())?)?;
            out.push_str("</td><td>");
            print(out, field(item, "topic", hint!())?)?;
            out.push_str("</td><td>");
            print(out, field(item, "kind", hint!())?)?;
            out.push_str("</td><td>");
            if let Some(speaker) = truthy(field(item, "speaker", hint!())) {
                push_person_link(out, speaker)?;
            }
            out.push_str("</td></tr>\n    ");
        }
        out.push_str("</tbody>\n  </table>\n  </div>\n</section>\n");
    }
    out.push('\n');
    Some(())
}

/// How essay.html and case.html start their fields: the record's person (under
/// `person_label`) and its department, each on a line of its own when there is one.
fn owner_rows(out: &mut String, e: &Value, person_label: &str) -> Option<()> {
    out.push_str("\n\n");
    person_row(out, person_label, truthy(field(e, "person", hint!())))?;
    out.push('\n');
    department_row(out, e)
}

/// `<tr><th>科室</th><td>` and the department's link, when the record has one.
fn department_row(out: &mut String, e: &Value) -> Option<()> {
    if let Some(d) = truthy(field(e, "department", hint!())) {
        out.push_str("<tr><th>科室</th><td>");
        push_dept_link(out, d)?;
        out.push_str("</td></tr>");
    }
    Some(())
}

/// A row of `label` and the text, when there is one.
fn text_row(out: &mut String, label: &str, text: Option<&Value>) -> Option<()> {
    if let Some(text) = truthy(text) {
        out.push_str("<tr><th>");
        out.push_str(label);
        out.push_str("</th><td>");
        print(out, text)?;
        out.push_str("</td></tr>");
    }
    Some(())
}

/// A row of `label` and a person's link, when there is one.
fn person_row(out: &mut String, label: &str, person: Option<&Value>) -> Option<()> {
    if let Some(person) = person {
        out.push_str("<tr><th>");
        out.push_str(label);
        out.push_str("</th><td>");
        push_person_link(out, person)?;
        out.push_str("</td></tr>");
    }
    Some(())
}

/// `dept_link(d)`: the department's name linked to its page.
fn push_dept_link(out: &mut String, d: &Value) -> Option<()> {
    out.push_str("<a href=\"");
    print(out, field(d, "url", hint!())?)?;
    out.push_str("\">");
    print(out, field(d, "name", hint!())?)?;
    out.push_str("</a>");
    Some(())
}

/// `person_link(p)`: the name, linked to the person's page when there is one.
fn push_person_link(out: &mut String, p: &Value) -> Option<()> {
    match truthy(field(p, "url", hint!())) {
        Some(url) => {
            out.push_str("<a href=\"");
            print(out, url)?;
            out.push_str("\">");
            print(out, field(p, "name", hint!())?)?;
            out.push_str("</a>");
        }
        None => print(out, field(p, "name", hint!())?)?,
    }
    Some(())
}

/// `<time datetime="date">date | date_zh</time>`.
fn push_time(out: &mut String, date: &Value) -> Option<()> {
    out.push_str("<time datetime=\"");
    print(out, date)?;
    out.push_str("\">");
    push_date_zh(out, date)?;
    out.push_str("</time>");
    Some(())
}

/// `{{ date | date_zh }}`.
fn push_date_zh(out: &mut String, date: &Value) -> Option<()> {
    let date = date.as_str()?;
    if !push_iso_date_zh(out, date) {
        push_text(out, &date_zh(date).ok()?);
    }
    Some(())
}

/// The value when a template's `{% if %}` takes it as true.
pub(super) fn truthy(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| v.is_truthy())
}

/// `{{ v }}`: text escaped unless it is marked safe, a number as tera writes it; `None`
/// for anything else (left to the template).
pub(super) fn print(out: &mut String, v: &Value) -> Option<()> {
    if let Some(text) = v.as_str() {
        if v.is_safe() {
            out.push_str(text);
        } else {
            push_text(out, text);
        }
    } else if v.is_number() {
        out.push_str(&v.to_string());
    } else {
        return None;
    }
    Some(())
}
