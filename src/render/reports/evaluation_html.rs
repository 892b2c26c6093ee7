//! The departments section of the default theme's evaluation.html, written in Rust: what
//! its `departments` loop prints, given as `departments_html` while the theme keeps that
//! file and the `dept_link` component as they are (see [`crate::render::builtin`]). A
//! year's page lists every department's criteria with the evidence of each, 800 rows and
//! thousands of links on a big site, which as tera maps were made and then printed field
//! by field. A theme's copy of evaluation.html gets `departments` and loops; the two are
//! tested to print the same page (tests/site_reports.rs).

use tera::Value;

use super::{Evidence, field_of};
use crate::render::briefing::number;
use crate::render::evaluation::{score, target_text, value_text};
use crate::render::html;
use crate::stats::annual::{AnnualEvaluation, DeptEvaluation};

/// The departments section of `e`'s page; `None` when a value is not one it can print (a
/// department without a URL, a link without its markup), left to the template to print
/// or to report.
pub(super) fn departments_html(ev: &Evidence, e: &AnnualEvaluation) -> Option<String> {
    let mut out = String::with_capacity(e.departments.len() * 8_000);
    // The criteria's own columns are the same for every department.
    let columns: Vec<(String, String)> = (e.criteria.iter())
        .map(|def| (number(def.weight), target_text(def)))
        .collect();
    for d in &e.departments {
        push_department(&mut out, ev, e, d, &columns)?;
    }
    Some(out)
}

fn push_department(
    out: &mut String,
    ev: &Evidence,
    e: &AnnualEvaluation,
    d: &DeptEvaluation,
    columns: &[(String, String)],
) -> Option<()> {
    out.push_str("<section class=\"dept-evaluation\" id=\"dept-");
    html::push_text(out, d.id.as_str());
    out.push_str("\">\n<h3>");
    // dept_link: `{% if d %}<a href="{{ d.url }}">{{ d.name }}</a>{% endif %}`
    if let Some(department) = ev.data.departments.get(d.id.as_str())
        && department.is_truthy()
    {
        let text = |key| field_of(department, key).and_then(Value::as_str);
        html::push_anchor(out, text("name")?, text("url")?);
    }
    out.push('：');
    out.push_str(&score(d.score));
    out.push_str("分 · 第");
    out.push_str(itoa::Buffer::new().format(d.rank));
    out.push_str("名 · ");
    html::push_text(out, &d.grade);
    out.push_str("</h3>\n");
    if let Some(veto) = d.veto.as_deref().filter(|v| !v.is_empty()) {
        out.push_str("<p class=\"veto-note\">一票否决：");
        html::push_text(out, veto);
        out.push_str("</p>");
    }
    out.push_str(
        "\n<div class=\"table-scroll\">\n<table class=\"criteria\">\n<thead><tr><th>指标</th>\
         <th>分值</th><th>目标</th><th>完成情况</th><th>得分</th><th>依据</th></tr></thead>\n\
         <tbody>\n",
    );
    for ((def, s), (weight, target)) in e.criteria.iter().zip(&d.criteria).zip(columns) {
        out.push_str("<tr><td>");
        html::push_text(out, &def.name);
        out.push_str("</td><td class=\"num\">");
        html::push_text(out, weight);
        out.push_str("</td><td>");
        html::push_text(out, target);
        out.push_str("</td><td>");
        html::push_text(out, &value_text(def, s));
        out.push_str("</td><td class=\"num\">");
        out.push_str(&score(s.points));
        out.push_str("</td><td class=\"evidence\">");
        let cited = ev.cited(&s.sources);
        if cited.is_empty() {
            out.push('—');
        } else {
            out.push_str("<details><summary>");
            out.push_str(itoa::Buffer::new().format(cited.len()));
            out.push_str("项</summary><ul>");
            for c in &cited {
                out.push_str("<li>");
                ev.push_cited_html(out, c)?;
                out.push_str("</li>");
            }
            out.push_str("</ul></details>");
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    Some(())
}
