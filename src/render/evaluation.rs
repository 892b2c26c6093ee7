//! The year-end evaluation as documents: Markdown (readable, in Chinese), a standalone
//! printable HTML page with an SVG bar chart, CSV for spreadsheets, and JSON.
//!
//! Every figure comes computed in [`AnnualEvaluation`]; this module only formats it
//! (scores with two decimals, shares as percentages) and never computes a figure.

use std::fmt::Write;

use crate::config::Metric;
use crate::stats::annual::{
    AnnualEvaluation, CriterionDef, CriterionScore, Disqualification, PersonEvaluation, Reason,
};

/// Scores are shown with two decimals everywhere but in JSON.
pub fn score(x: f64) -> String {
    format!("{x:.2}")
}

/// A number without needless decimals: 12, 19.5, 0.33.
fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn percent(x: f64) -> String {
    format!("{}%", num(x * 100.0))
}

fn metric_of(def: &CriterionDef) -> Option<Metric> {
    Metric::from_name(&def.metric)
}

/// The target of a criterion as a user reads it: 95%, 4 种, 10 分.
pub fn target_text(def: &CriterionDef) -> String {
    match metric_of(def) {
        Some(Metric::SessionKinds) => format!("{} 种", num(def.target)),
        Some(Metric::Review) => format!("{} 分", num(def.target * 10.0)),
        _ => percent(def.target),
    }
}

/// The value of a criterion with what it counts: `11/12（91.67%）`, `3 种`, `9 分`.
pub fn value_text(def: &CriterionDef, s: &CriterionScore) -> String {
    match metric_of(def) {
        Some(Metric::SessionKinds) => format!("{} 种", num(s.value)),
        Some(Metric::Review) if s.of.is_some() => format!("{} 分", num(s.count)),
        Some(Metric::Review) => "未评分".to_string(),
        _ => match s.of {
            Some(of) if of > 0.0 => {
                format!("{}/{}（{}）", num(s.count), num(of), percent(s.value))
            }
            _ => format!("无（{}）", percent(s.value)),
        },
    }
}

/// Why a person is disqualified, in the words of the rule.
pub fn reason_text(d: &Disqualification) -> String {
    match d.reason {
        Reason::Late => format!("迟到{}次（超过{}次）", num(d.value), num(d.limit)),
        Reason::Absent => format!("旷工{}天（超过{}天）", num(d.value), num(d.limit)),
        Reason::Notebook => format!(
            "学习笔记检查不合格{}次（{}次及以上）",
            num(d.value),
            num(d.limit)
        ),
        Reason::Errors => format!(
            "工作失误受领导批评{}次（{}次及以上）",
            num(d.value),
            num(d.limit)
        ),
        Reason::Sanction => Reason::Sanction.label_zh().to_string(),
    }
}

fn reasons_text(p: &PersonEvaluation) -> String {
    p.disqualifications
        .iter()
        .map(reason_text)
        .collect::<Vec<_>>()
        .join("；")
}

/// The months in scope: 2026年1月至12月.
pub fn scope_text(e: &AnnualEvaluation) -> String {
    match (e.months.first(), e.months.last()) {
        (Some(first), Some(last)) => format!("{}年{}月至{}月", e.year, first.month, last.month),
        _ => format!("{}年", e.year),
    }
}

pub fn title(e: &AnnualEvaluation) -> String {
    format!("{}年度学习型机关建设考评报告", e.year)
}

fn person_name<'a>(e: &'a AnnualEvaluation, id: &'a str) -> &'a str {
    e.people
        .iter()
        .find(|p| p.id.as_str() == id)
        .map_or(id, |p| p.name.as_str())
}

fn dept_name<'a>(e: &'a AnnualEvaluation, id: &'a str) -> &'a str {
    e.departments
        .iter()
        .find(|d| d.id.as_str() == id)
        .map_or(id, |d| d.name.as_str())
}

/// The award a person or department received, if any.
fn person_award(e: &AnnualEvaluation, id: &str) -> &'static str {
    if e.awards
        .excellent_party_members
        .iter()
        .any(|p| p.as_str() == id)
    {
        "优秀共产党员"
    } else if e.awards.advanced_workers.iter().any(|p| p.as_str() == id) {
        "先进工作者"
    } else {
        ""
    }
}

fn dept_award(e: &AnnualEvaluation, id: &str) -> &'static str {
    if e.awards
        .advanced_departments
        .iter()
        .any(|d| d.as_str() == id)
    {
        "学习型机关先进科室"
    } else {
        ""
    }
}

/// The three award lists: (title, how many places, names).
fn award_lists(e: &AnnualEvaluation) -> [(&'static str, String, Vec<String>); 3] {
    let people = |ids: &[crate::content::PersonId]| -> Vec<String> {
        ids.iter()
            .map(|id| person_name(e, id.as_str()).to_string())
            .collect()
    };
    [
        (
            "优秀共产党员",
            format!("名额{}名", e.award_slots.excellent_party_members),
            people(&e.awards.excellent_party_members),
        ),
        (
            "先进工作者",
            format!("名额{}名", e.award_slots.advanced_workers),
            people(&e.awards.advanced_workers),
        ),
        (
            "学习型机关先进科室",
            format!("至多{}个", e.award_slots.advanced_departments),
            e.awards
                .advanced_departments
                .iter()
                .map(|id| dept_name(e, id.as_str()).to_string())
                .collect(),
        ),
    ]
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn numeral(i: usize) -> String {
    match i {
        0..=9 => NUMERALS[i].to_string(),
        10..=19 => format!("十{}", if i == 10 { "" } else { NUMERALS[i - 11] }),
        _ => (i + 1).to_string(),
    }
}

// ---- Markdown ----

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A readable report in Chinese; with `people`, a fifth section lists every person.
pub fn markdown(e: &AnnualEvaluation, site_title: &str, people: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", title(e));
    if !site_title.is_empty() {
        let _ = writeln!(out, "{}  ", md_cell(site_title));
    }
    let _ = writeln!(out, "统计范围：{}\n", scope_text(e));

    let _ = writeln!(out, "## 一、考评结果\n");
    let _ = writeln!(out, "| 名次 | 科室 | 得分 | 等级 | 备注 |");
    let _ = writeln!(out, "| ---: | --- | ---: | --- | --- |");
    for d in &e.departments {
        let mut note = Vec::new();
        if let Some(veto) = &d.veto {
            note.push(format!("一票否决：{veto}"));
        }
        let award = dept_award(e, d.id.as_str());
        if !award.is_empty() {
            note.push(award.to_string());
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            d.rank,
            md_cell(&d.name),
            score(d.score),
            md_cell(&d.grade),
            md_cell(&note.join("；"))
        );
    }
    let bands: Vec<String> = e
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| match i.checked_sub(1).map(|p| &e.bands[p]) {
            Some(above) if i + 1 == e.bands.len() => {
                format!("低于{}分为{}", num(above.min), b.grade)
            }
            _ => format!("{}分及以上为{}", num(b.min), b.grade),
        })
        .collect();
    let _ = writeln!(
        out,
        "\n等级划分：{}；被一票否决的科室定为{}。\n",
        bands.join("，"),
        e.bands.last().map_or("", |b| b.grade.as_str())
    );

    let _ = writeln!(out, "## 二、各项指标\n");
    for (i, def) in e.criteria.iter().enumerate() {
        let _ = writeln!(
            out,
            "### （{}）{}（{}分，目标{}）\n",
            numeral(i),
            md_cell(&def.name),
            num(def.weight),
            target_text(def)
        );
        let _ = writeln!(out, "| 科室 | 完成情况 | 得分 |");
        let _ = writeln!(out, "| --- | --- | ---: |");
        for d in &e.departments {
            if let Some(s) = d.criteria.get(i) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    md_cell(&d.name),
                    value_text(def, s),
                    score(s.points)
                );
            }
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## 三、表彰名单\n");
    for (i, (name, slots, names)) in award_lists(e).into_iter().enumerate() {
        let list = if names.is_empty() {
            "无".to_string()
        } else {
            names.join("、")
        };
        let _ = writeln!(out, "{}. {}（{}）：{}", i + 1, name, slots, md_cell(&list));
    }
    out.push('\n');

    let _ = writeln!(out, "## 四、取消评优资格\n");
    let out_of_awards: Vec<&PersonEvaluation> =
        e.people.iter().filter(|p| p.disqualified).collect();
    if out_of_awards.is_empty() {
        let _ = writeln!(out, "无。\n");
    } else {
        let _ = writeln!(out, "| 姓名 | 科室 | 原因 |");
        let _ = writeln!(out, "| --- | --- | --- |");
        for p in out_of_awards {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                md_cell(&p.name),
                md_cell(&p.department_name),
                md_cell(&reasons_text(p))
            );
        }
        out.push('\n');
    }

    if people {
        let _ = writeln!(out, "## 五、个人考评明细\n");
        let mut header = vec!["名次", "姓名", "科室"];
        header.extend(e.person_criteria.iter().map(|c| c.name.as_str()));
        header.extend(["得分", "文章", "自学时数", "备注"]);
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
        for p in &e.people {
            let mut row = vec![
                p.rank.to_string(),
                md_cell(&p.name),
                md_cell(&p.department_name),
            ];
            row.extend(p.criteria.iter().map(|c| score(c.points)));
            row.push(score(p.score));
            row.push(format!("{}/{}", p.essays, p.essay_quota));
            row.push(num(p.self_study_hours));
            let mut note = vec![person_award(e, p.id.as_str()).to_string()];
            if p.disqualified {
                note.push("取消评优资格".into());
            }
            note.retain(|n| !n.is_empty());
            row.push(note.join("；"));
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out.push('\n');
    }
    out
}

// ---- CSV ----

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(out: &mut String, fields: &[String]) {
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

/// One row per department: rank, id, name, each criterion's points, score, grade, veto,
/// award. Lines end in CRLF (RFC 4180), as spreadsheets expect.
pub fn csv_departments(e: &AnnualEvaluation) -> String {
    let mut out = String::new();
    let mut header: Vec<String> = ["名次", "编号", "科室"].map(String::from).into();
    header.extend(e.criteria.iter().map(|c| c.name.clone()));
    header.extend(["总分", "等级", "一票否决", "表彰"].map(String::from));
    csv_row(&mut out, &header);
    for d in &e.departments {
        let mut row = vec![d.rank.to_string(), d.id.to_string(), d.name.clone()];
        row.extend(d.criteria.iter().map(|c| score(c.points)));
        row.push(score(d.score));
        row.push(d.grade.clone());
        row.push(d.veto.clone().unwrap_or_default());
        row.push(dept_award(e, d.id.as_str()).to_string());
        csv_row(&mut out, &row);
    }
    out
}

/// One row per counted person.
pub fn csv_people(e: &AnnualEvaluation) -> String {
    let mut out = String::new();
    let mut header: Vec<String> = ["名次", "编号", "姓名", "科室"].map(String::from).into();
    header.extend(e.person_criteria.iter().map(|c| c.name.clone()));
    header.extend(
        [
            "总分",
            "文章篇数",
            "文章任务",
            "自学时数",
            "笔记检查不合格次数",
            "取消评优资格",
            "原因",
            "表彰",
        ]
        .map(String::from),
    );
    csv_row(&mut out, &header);
    for p in &e.people {
        let mut row = vec![
            p.rank.to_string(),
            p.id.to_string(),
            p.name.clone(),
            p.department_name.clone(),
        ];
        row.extend(p.criteria.iter().map(|c| score(c.points)));
        row.extend([
            score(p.score),
            p.essays.to_string(),
            p.essay_quota.to_string(),
            num(p.self_study_hours),
            p.notebook_fails.to_string(),
            if p.disqualified { "是" } else { "否" }.to_string(),
            reasons_text(p),
            person_award(e, p.id.as_str()).to_string(),
        ]);
        csv_row(&mut out, &row);
    }
    out
}

// ---- JSON ----

/// The whole evaluation, numbers unrounded, with every source.
pub fn json(e: &AnnualEvaluation) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(e).map(|mut s| {
        s.push('\n');
        s
    })
}

// ---- SVG and HTML ----

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar per department (in ranking order), with a dashed line at each band's
/// lower bound above 0. Bars carry the class `band-N` of their grade; vetoed ones also
/// `veto`.
pub fn chart_svg(e: &AnnualEvaluation) -> String {
    const LABEL: f64 = 120.0;
    const BAR: f64 = 440.0;
    const ROW: f64 = 28.0;
    const TOP: f64 = 28.0;
    let full = e
        .criteria
        .iter()
        .map(|c| c.weight)
        .sum::<f64>()
        .max(e.departments.iter().map(|d| d.score).fold(0.0, f64::max))
        .max(e.bands.iter().map(|b| b.min).fold(0.0, f64::max))
        .max(1.0);
    let x = |v: f64| LABEL + BAR * (v / full).clamp(0.0, 1.0);
    let width = LABEL + BAR + 80.0;
    let height = TOP + ROW * e.departments.len() as f64 + 10.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"score-chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        escape(&format!("{}年度各科室考评得分", e.year))
    );
    for (i, d) in e.departments.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let class = if d.veto.is_some() {
            format!("bar band-{} veto", d.band)
        } else {
            format!("bar band-{}", d.band)
        };
        let _ = write!(
            out,
            "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL - 8.0,
            y + ROW * 0.62,
            escape(&d.name)
        );
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{LABEL}\" y=\"{}\" width=\"{:.2}\" height=\"{}\"><title>{}</title></rect>",
            y + 4.0,
            x(d.score) - LABEL,
            ROW - 8.0,
            escape(&format!("{} {} {}", d.name, score(d.score), d.grade))
        );
        let note = if d.veto.is_some() {
            "（一票否决）"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<text class=\"value\" x=\"{:.2}\" y=\"{}\">{}{}</text>",
            x(d.score) + 4.0,
            y + ROW * 0.62,
            score(d.score),
            note
        );
    }
    for b in e.bands.iter().filter(|b| b.min > 0.0) {
        let bx = x(b.min);
        let _ = write!(
            out,
            "<line class=\"band-line\" x1=\"{bx:.2}\" y1=\"{}\" x2=\"{bx:.2}\" y2=\"{}\" stroke-dasharray=\"4 3\"/>",
            TOP - 6.0,
            height - 6.0
        );
        let _ = write!(
            out,
            "<text class=\"band-label\" x=\"{bx:.2}\" y=\"{}\" text-anchor=\"middle\">{} {}</text>",
            TOP - 10.0,
            escape(&b.grade),
            num(b.min)
        );
    }
    out.push_str("</svg>");
    out
}

const STYLE: &str = "\
body{font-family:\"Source Han Serif SC\",\"Noto Serif CJK SC\",\"SimSun\",serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.6}
h1{text-align:center;color:#c00;font-size:1.8rem;border-bottom:2px solid #c00;padding-bottom:.5rem}
h2{font-size:1.25rem;margin-top:2rem}
.meta{text-align:center;color:#555}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td small,th small{color:#666;display:block;font-weight:normal}
td:first-child,th:first-child{white-space:nowrap}
.score-chart{max-width:100%;height:auto;font-size:13px}
.score-chart .bar{fill:#999}
.score-chart .band-0{fill:#c0392b}
.score-chart .band-1{fill:#e67e22}
.score-chart .band-2{fill:#2980b9}
.score-chart .veto{fill:#555}
.score-chart .band-line{stroke:#333}
.score-chart .band-label{fill:#333;font-size:11px}
.veto-note{color:#c00}
@media print{
 @page{size:A4;margin:2cm 1.8cm}
 body{margin:0;max-width:none;font-size:11pt}
 h1{font-size:18pt}
 h2{break-after:avoid}
 table,svg{break-inside:avoid}
 th{background:none}
 .score-chart .bar{stroke:#000;stroke-width:.5}
}
";

/// A standalone HTML document: ranking, chart, per-criterion values, targets and points,
/// award lists and the disqualified; printable on A4.
pub fn html(e: &AnnualEvaluation, site_title: &str, people: bool) -> String {
    let mut out = String::new();
    let title = title(e);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", escape(&title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{}统计范围：{}</p>",
        if site_title.is_empty() {
            String::new()
        } else {
            format!("{} · ", escape(site_title))
        },
        escape(&scope_text(e))
    );

    let _ = writeln!(out, "<h2>一、考评结果</h2>");
    let _ = writeln!(
        out,
        "<table class=\"ranking\">\n<thead><tr><th>名次</th><th>科室</th><th>得分</th><th>等级</th><th>备注</th></tr></thead>\n<tbody>"
    );
    for d in &e.departments {
        let mut note = Vec::new();
        if let Some(veto) = &d.veto {
            note.push(format!(
                "<span class=\"veto-note\">一票否决：{}</span>",
                escape(veto)
            ));
        }
        let award = dept_award(e, d.id.as_str());
        if !award.is_empty() {
            note.push(award.to_string());
        }
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            d.rank,
            escape(&d.name),
            score(d.score),
            escape(&d.grade),
            note.join("；")
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    let _ = writeln!(out, "<figure>{}</figure>", chart_svg(e));

    let _ = writeln!(out, "<h2>二、各项指标</h2>");
    let _ = writeln!(out, "<table class=\"criteria\">\n<thead><tr><th>科室</th>");
    for def in &e.criteria {
        let _ = writeln!(
            out,
            "<th>{}<small>{}分 · 目标{}</small></th>",
            escape(&def.name),
            num(def.weight),
            escape(&target_text(def))
        );
    }
    let _ = writeln!(out, "<th>总分</th></tr></thead>\n<tbody>");
    for d in &e.departments {
        let _ = write!(out, "<tr><td>{}</td>", escape(&d.name));
        for (def, s) in e.criteria.iter().zip(&d.criteria) {
            let _ = write!(
                out,
                "<td class=\"num\">{}<small>{}</small></td>",
                score(s.points),
                escape(&value_text(def, s))
            );
        }
        let _ = writeln!(out, "<td class=\"num\">{}</td></tr>", score(d.score));
    }
    let _ = writeln!(out, "</tbody>\n</table>");

    let _ = writeln!(out, "<h2>三、表彰名单</h2>\n<ol class=\"awards\">");
    for (name, slots, names) in award_lists(e) {
        let list = if names.is_empty() {
            "无".to_string()
        } else {
            escape(&names.join("、"))
        };
        let _ = writeln!(out, "<li>{name}（{slots}）：{list}</li>");
    }
    let _ = writeln!(out, "</ol>");

    let _ = writeln!(out, "<h2>四、取消评优资格</h2>");
    let out_of_awards: Vec<&PersonEvaluation> =
        e.people.iter().filter(|p| p.disqualified).collect();
    if out_of_awards.is_empty() {
        let _ = writeln!(out, "<p>无。</p>");
    } else {
        let _ = writeln!(
            out,
            "<table class=\"disqualified\">\n<thead><tr><th>姓名</th><th>科室</th><th>原因</th></tr></thead>\n<tbody>"
        );
        for p in out_of_awards {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.name),
                escape(&p.department_name),
                escape(&reasons_text(p))
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }

    if people {
        let _ = writeln!(
            out,
            "<h2>五、个人考评明细</h2>\n<table class=\"people\">\n<thead><tr><th>名次</th><th>姓名</th><th>科室</th>"
        );
        for def in &e.person_criteria {
            let _ = write!(
                out,
                "<th>{}<small>{}分</small></th>",
                escape(&def.name),
                num(def.weight)
            );
        }
        let _ = writeln!(out, "<th>得分</th><th>备注</th></tr></thead>\n<tbody>");
        for p in &e.people {
            let _ = write!(
                out,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td>",
                p.rank,
                escape(&p.name),
                escape(&p.department_name)
            );
            for (def, s) in e.person_criteria.iter().zip(&p.criteria) {
                let _ = write!(
                    out,
                    "<td class=\"num\">{}<small>{}</small></td>",
                    score(s.points),
                    escape(&value_text(def, s))
                );
            }
            let mut note = vec![person_award(e, p.id.as_str()).to_string()];
            if p.disqualified {
                note.push(format!("取消评优资格：{}", reasons_text(p)));
            }
            note.retain(|n| !n.is_empty());
            let _ = writeln!(
                out,
                "<td class=\"num\">{}</td><td>{}</td></tr>",
                score(p.score),
                escape(&note.join("；"))
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
    out.push_str("</body>\n</html>\n");
    out
}
