//! The evaluation as a standalone, printable HTML document with an inline SVG chart.

use std::fmt::Write;

use super::{
    Awarded, award_lists, num, reasons_text, scope_text, score, target_text, title, value_text,
};
pub use crate::render::html::escape;
use crate::stats::annual::{AnnualEvaluation, PersonEvaluation};

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
    let awarded = Awarded::of(e);
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
        let award = awarded.department(d.id.as_str());
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
            let mut note = vec![awarded.person(p.id.as_str()).to_string()];
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
