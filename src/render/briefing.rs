//! The monthly briefing (月度简报) in the official form of a 简报: 报头 (bulletin name,
//! 第N期, editing unit, date, red rule), six numbered sections, 报尾 (报/送/发, 共印N份).
//!
//! Both formats come from one [`BriefingView`]: the figures of
//! [`crate::stats::monthly::MonthlyReport`] turned into the words and numbers a reader
//! sees. Nothing is computed here beyond formatting. Markdown is what `publish` freezes;
//! HTML is a standalone printable A4 page (template `briefing_print.html`) with an SVG
//! chart.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::config::BulletinConfig;
use crate::error::{Error, Result};
use crate::numbers::Tenths;
use crate::render::html::escape;
use crate::stats::monthly::{DepartmentFigures, MonthlyReport, PlannedSession};

/// The print template, embedded so `report` works without a theme folder.
pub const PRINT_TEMPLATE: &str = include_str!("../../themes/default/templates/briefing_print.html");

/// The briefing as it reads: every text and number already formatted.
#[derive(Debug, Clone, Serialize)]
pub struct BriefingView {
    pub name: String,
    /// 第3期, or （未发布） for a month not yet published.
    pub issue: String,
    pub editor: String,
    /// 二〇二六年三月三十一日
    pub date: String,
    /// 2026年3月学习情况
    pub headline: String,
    pub overview: String,
    pub rows: Vec<Row>,
    pub total: Row,
    /// 秘书科：本月未开展集中学习
    pub warnings: Vec<String>,
    pub sessions: Vec<Item>,
    pub essays: Vec<Item>,
    pub cases: Vec<Item>,
    pub next_month: Vec<NextRow>,
    pub send_up: String,
    pub send_across: String,
    pub send_down: String,
    pub copies: Option<u32>,
}

/// One line of the departments table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub name: String,
    pub sessions: String,
    pub collective: String,
    pub planned: String,
    pub attendance: String,
    pub hours: String,
    pub compliant: String,
    pub essays: String,
}

/// A session, essay or case as printed: a heading, a byline, a text.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub heading: String,
    pub byline: String,
    /// Plain text, or Markdown for an essay's body.
    pub text: String,
    /// `text` as HTML (Markdown rendered, raw HTML escaped).
    pub html: String,
}

/// One planned session of next month.
#[derive(Debug, Clone, Serialize)]
pub struct NextRow {
    pub date: String,
    pub department: String,
    pub topic: String,
    pub kind: String,
    pub speaker: String,
}

/// Formats the report for reading. `date` is the briefing's date (its publication day).
pub fn view(report: &MonthlyReport, bulletin: &BulletinConfig, date: NaiveDate) -> BriefingView {
    let t = &report.totals;
    let ym = report.month;
    let mut overview = format!(
        "本月，全单位共开展各类学习活动{}次，其中集中学习{}次",
        t.sessions, t.collective_sessions
    );
    if t.planned_sessions > 0 {
        let _ = write!(
            overview,
            "；学习计划安排{}次，按期开展{}次",
            t.planned_sessions, t.planned_held
        );
    }
    if t.attendees + t.absent > 0 {
        let _ = write!(
            overview,
            "；应参学{}人次，实参学{}人次，参学率{}",
            t.attendees + t.absent,
            t.attendees,
            percent(t.attendance_rate)
        );
    }
    let _ = write!(
        overview,
        "。全单位{}人纳入自学统计，个人自学共{}小时",
        t.self_study_people,
        number(t.self_study_hours)
    );
    if t.self_study_people > 0 {
        let _ = write!(
            overview,
            "，人均{}小时，{}人达到每月{}小时的要求，达标率{}",
            number(t.self_study_hours / t.self_study_people as f64),
            t.self_study_compliant,
            number(report.self_study_requirement),
            percent(t.self_study_compliant as f64 / t.self_study_people as f64)
        );
    }
    let _ = write!(
        overview,
        "。撰写心得文章{}篇，选树典型案例{}个。",
        t.essays, t.cases
    );

    let rows = report.departments.iter().map(row).collect();
    let total = Row {
        name: "合计".into(),
        sessions: count(t.sessions),
        collective: count(t.collective_sessions),
        planned: fraction(t.planned_held, t.planned_sessions),
        attendance: percent(t.attendance_rate),
        hours: number(t.self_study_hours),
        compliant: fraction(t.self_study_compliant, t.self_study_people),
        essays: count(t.essays),
    };
    let warnings = report
        .departments
        .iter()
        .flat_map(|d| d.warnings.iter().map(move |w| [&d.name, "：", w].concat()))
        .collect();
    let sessions = report
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut text = format!(
                "{}，{}开展{}“{}”",
                month_day(s.date),
                s.department_name,
                s.kind,
                s.title
            );
            if let Some(speaker) = &s.speaker {
                let _ = write!(text, "，{speaker}主讲");
            }
            let _ = write!(
                text,
                "，应到{}人，实到{}人。",
                s.attendees + s.absent,
                s.attendees
            );
            if !s.summary.is_empty() {
                text.push_str(&s.summary);
            }
            let html = escape(&text);
            Item {
                heading: format!("（{}）", chinese_number(i + 1)),
                byline: String::new(),
                text,
                html,
            }
        })
        .collect();
    let essays = report
        .featured
        .iter()
        .map(|e| {
            let mut byline = format!("{}　{}（{}）", e.department_name, e.author_name, e.kind);
            if let Some(by) = &e.adopted_by {
                let _ = write!(byline, "，{by}采用");
            }
            let text = demote_headings(&e.body);
            Item {
                heading: e.title.clone(),
                byline,
                html: markdown_html(&text),
                text,
            }
        })
        .collect();
    let cases = report
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let byline = [
                Some(c.department_name.clone()),
                c.person_name.clone(),
                c.level.clone(),
            ]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("　");
            Item {
                heading: format!("（{}）{}", chinese_number(i + 1), c.title),
                byline,
                html: escape(&c.summary),
                text: c.summary.clone(),
            }
        })
        .collect();
    BriefingView {
        name: bulletin.name.clone(),
        issue: report
            .issue
            .map_or("（未发布）".to_string(), |n| format!("第{n}期")),
        editor: bulletin.editor.clone(),
        date: chinese_date(date),
        headline: format!("{}年{}月学习情况", ym.year, ym.month),
        overview,
        rows,
        total,
        warnings,
        sessions,
        essays,
        cases,
        next_month: report.next_month.iter().map(next_row).collect(),
        send_up: bulletin.send_up.join("，"),
        send_across: bulletin.send_across.join("，"),
        send_down: bulletin.send_down.join("，"),
        copies: (bulletin.copies > 0).then_some(bulletin.copies),
    }
}

fn row(d: &DepartmentFigures) -> Row {
    Row {
        name: d.name.clone(),
        sessions: count(d.sessions),
        collective: count(d.collective_sessions),
        planned: fraction(d.planned_held, d.planned_sessions),
        attendance: if d.attendees + d.absent == 0 {
            "—".into()
        } else {
            percent(d.attendance_rate)
        },
        hours: number(d.self_study_hours),
        compliant: fraction(d.self_study_compliant, d.people),
        essays: count(d.essays),
    }
}

/// A count, written without the formatter (a briefing's table has a row per
/// department and eight figures in each).
fn count(n: usize) -> String {
    itoa::Buffer::new().format(n).to_string()
}

/// `part/whole` (`3/4`).
fn fraction(part: usize, whole: usize) -> String {
    [
        itoa::Buffer::new().format(part),
        "/",
        itoa::Buffer::new().format(whole),
    ]
    .concat()
}

fn next_row(p: &PlannedSession) -> NextRow {
    NextRow {
        date: month_day(p.date),
        department: p.department_name.as_deref().unwrap_or("全单位").to_string(),
        topic: p.topic.to_string(),
        kind: p.kind.to_string(),
        speaker: p.speaker.as_deref().unwrap_or_default().to_string(),
    }
}

/// The briefing as Markdown, as `publish` freezes it.
pub fn markdown(report: &MonthlyReport, bulletin: &BulletinConfig, date: NaiveDate) -> String {
    let v = view(report, bulletin, date);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", v.name);
    let _ = writeln!(out, "**{}**\n", v.issue);
    let unit = if v.editor.is_empty() {
        v.date.clone()
    } else {
        format!("{}　　　　{}", v.editor, v.date)
    };
    let _ = writeln!(out, "{unit}\n\n---\n");
    let _ = writeln!(out, "## {}\n", v.headline);
    let _ = writeln!(out, "### 一、本月概况\n\n{}\n", v.overview);

    out.push_str("### 二、各科室学习情况\n\n");
    out.push_str(
        "| 科室 | 学习活动 | 集中学习 | 计划开展 | 参学率 | 自学时数 | 自学达标 | 文章 |\n",
    );
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for r in v.rows.iter().chain(std::iter::once(&v.total)) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&r.name),
            r.sessions,
            r.collective,
            r.planned,
            r.attendance,
            r.hours,
            r.compliant,
            r.essays
        );
    }
    out.push('\n');
    if v.warnings.is_empty() {
        out.push_str("各科室均按要求完成本月学习任务。\n\n");
    } else {
        out.push_str("需要关注的问题：\n\n");
        for w in &v.warnings {
            let _ = writeln!(out, "- {w}。");
        }
        out.push('\n');
    }

    out.push_str("### 三、学习活动纪实\n\n");
    if v.sessions.is_empty() {
        out.push_str("本月无学习活动记录。\n\n");
    }
    for s in &v.sessions {
        let _ = writeln!(out, "{}{}\n", s.heading, s.text);
    }

    out.push_str("### 四、优秀文章选登\n\n");
    if v.essays.is_empty() {
        out.push_str("本月无选登文章。\n\n");
    }
    for e in &v.essays {
        let _ = writeln!(out, "#### {}\n\n{}\n\n{}\n", e.heading, e.byline, e.text);
    }

    out.push_str("### 五、典型引路\n\n");
    if v.cases.is_empty() {
        out.push_str("本月无新增典型案例。\n\n");
    }
    for c in &v.cases {
        let _ = writeln!(out, "#### {}\n", c.heading);
        if !c.byline.is_empty() {
            let _ = writeln!(out, "{}\n", c.byline);
        }
        if !c.text.is_empty() {
            let _ = writeln!(out, "{}\n", c.text);
        }
    }

    out.push_str("### 六、下月学习安排\n\n");
    if v.next_month.is_empty() {
        out.push_str("下月暂无计划安排。\n\n");
    } else {
        out.push_str("| 日期 | 科室 | 学习内容 | 形式 | 主讲 |\n| --- | --- | --- | --- | --- |\n");
        for n in &v.next_month {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                n.date,
                cell(&n.department),
                cell(&n.topic),
                cell(&n.kind),
                cell(&n.speaker)
            );
        }
        out.push('\n');
    }

    out.push_str("---\n\n");
    for (label, list) in [
        ("报", &v.send_up),
        ("送", &v.send_across),
        ("发", &v.send_down),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "{label}：{list}\n");
        }
    }
    if let Some(n) = v.copies {
        let _ = writeln!(out, "共印{n}份\n");
    }
    out.push_str("---\n");
    out
}

/// The briefing as a standalone printable HTML document.
pub fn html(report: &MonthlyReport, bulletin: &BulletinConfig, date: NaiveDate) -> Result<String> {
    let v = view(report, bulletin, date);
    let mut tera = tera::Tera::new();
    tera.add_raw_template("briefing_print.html", PRINT_TEMPLATE)
        .map_err(|e| Error::Template(e.to_string()))?;
    let mut context = tera::Context::new();
    context.insert("b", &v);
    context.insert("chart", &chart_svg(report));
    tera.render("briefing_print.html", &context)
        .map_err(|e| Error::Template(format!("briefing_print.html: {e}")))
}

/// Two bars per department: sessions held (against the largest count) and self-study
/// compliance (against 100%).
pub fn chart_svg(report: &MonthlyReport) -> String {
    const LABEL: f64 = 96.0;
    const BAR: f64 = 220.0;
    const GAP: f64 = 60.0;
    const ROW: f64 = 26.0;
    const TOP: f64 = 30.0;
    let most = report
        .departments
        .iter()
        .map(|d| d.sessions)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let width = LABEL + 2.0 * (BAR + GAP);
    let height = TOP + ROW * report.departments.len() as f64 + 8.0;
    let second = LABEL + BAR + GAP;
    let mut out = String::with_capacity(512 + 600 * report.departments.len());
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"briefing-chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"各科室学习活动次数与自学达标率\">"
    );
    let _ = write!(
        out,
        "<text class=\"axis\" x=\"{LABEL}\" y=\"16\">学习活动（次）</text><text class=\"axis\" x=\"{second}\" y=\"16\">自学达标率</text>"
    );
    // What every row writes the same, formatted once: a briefing's chart has a row per
    // department, and the formatter's machinery cost more than the figures.
    let label_x = (LABEL - 8.0).to_string();
    let (first_x, second_x) = (LABEL.to_string(), second.to_string());
    let bar_height = Tenths(ROW - 8.0).to_string();
    for (i, d) in report.departments.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let rate = if d.people == 0 {
            0.0
        } else {
            d.self_study_compliant as f64 / d.people as f64
        };
        let w1 = BAR * d.sessions as f64 / most;
        let w2 = BAR * rate.clamp(0.0, 1.0);
        out.push_str("<text class=\"label\" x=\"");
        out.push_str(&label_x);
        out.push_str("\" y=\"");
        Tenths(y + ROW * 0.62).push_to(&mut out);
        out.push_str("\" text-anchor=\"end\">");
        crate::render::html::push_text(&mut out, &d.name);
        out.push_str("</text>");
        // A bar from `x`, `w` wide, with its figure after it.
        let bar =
            |out: &mut String, class: &str, (x, x_text): (f64, &str), w: f64, figure: &str| {
                out.push_str("<rect class=\"");
                out.push_str(class);
                out.push_str("\" x=\"");
                out.push_str(x_text);
                out.push_str("\" y=\"");
                Tenths(y + 4.0).push_to(out);
                out.push_str("\" width=\"");
                Tenths(w).push_to(out);
                out.push_str("\" height=\"");
                out.push_str(&bar_height);
                out.push_str("\"/><text class=\"value\" x=\"");
                Tenths(x + w + 4.0).push_to(out);
                out.push_str("\" y=\"");
                Tenths(y + ROW * 0.62).push_to(out);
                out.push_str("\">");
                out.push_str(figure);
                out.push_str("</text>");
            };
        let sessions = itoa::Buffer::new().format(d.sessions).to_string();
        bar(&mut out, "bar sessions", (LABEL, &first_x), w1, &sessions);
        let class = if rate < crate::stats::monthly::SELF_STUDY_WARNING_RATE {
            "bar compliance low"
        } else {
            "bar compliance"
        };
        bar(&mut out, class, (second, &second_x), w2, &percent(rate));
    }
    out.push_str("</svg>");
    out
}

/// A number with at most two decimals, without trailing zeros (60.5, 20, 15.13).
pub use crate::render::data::number_label as number;

/// A share as a percentage with at most one decimal (71.4%, 50%).
pub fn percent(rate: f64) -> String {
    let mut s = crate::numbers::percent_figure(rate);
    s.push('%');
    s
}

/// 3月6日 (without the formatter: a briefing writes one per session and planned item).
pub fn month_day(d: NaiveDate) -> String {
    [
        itoa::Buffer::new().format(d.month()),
        "月",
        itoa::Buffer::new().format(d.day()),
        "日",
    ]
    .concat()
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// A date as official documents write it: 二〇二六年三月三十一日.
pub fn chinese_date(d: NaiveDate) -> String {
    let year: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |n| DIGITS[n as usize]))
        .collect();
    format!(
        "{year}年{}月{}日",
        chinese_number(d.month() as usize),
        chinese_number(d.day() as usize)
    )
}

/// 1 -> 一, 10 -> 十, 21 -> 二十一 (up to 99; larger numbers stay in digits).
pub fn chinese_number(n: usize) -> String {
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push(DIGITS[tens]);
            }
            s.push('十');
            if ones > 0 {
                s.push(DIGITS[ones]);
            }
            s
        }
        _ => n.to_string(),
    }
}

/// Headings inside an essay become bold lines, so they do not break the briefing's
/// own numbering.
fn demote_headings(body: &str) -> String {
    body.lines()
        .map(|line| {
            let t = line.trim_start();
            if t.starts_with('#') {
                let text = t.trim_start_matches('#').trim();
                if text.is_empty() {
                    String::new()
                } else {
                    format!("**{text}**")
                }
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table cell: pipes escaped, line breaks flattened.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown to HTML with raw HTML escaped (essay bodies are content, not markup).
fn markdown_html(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html};
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        e => e,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers_read_like_official_documents() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).expect("date");
        assert_eq!(chinese_date(d), "二〇二六年三月三十一日");
        let d = NaiveDate::from_ymd_opt(2007, 10, 9).expect("date");
        assert_eq!(chinese_date(d), "二〇〇七年十月九日");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(number(60.5), "60.5");
        assert_eq!(number(20.0), "20");
        assert_eq!(number(15.126), "15.13");
        assert_eq!(percent(5.0 / 7.0), "71.4%");
        assert_eq!(percent(0.5), "50%");
    }

    #[test]
    fn essay_headings_are_demoted_and_raw_html_escaped() {
        assert_eq!(demote_headings("# 一、认识\n正文"), "**一、认识**\n正文");
        assert_eq!(
            markdown_html("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
    }
}
