//! The year-end evaluation on the site: `evaluation/` lists the years, `evaluation/YYYY/`
//! shows the ranking with grades, the chart, each department's criteria with their value,
//! target and points and the evidence behind them, the award lists and the people
//! disqualified from awards. Returns each department's scores over the years for its page.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use super::evaluation_html::departments_html;
use super::{Deferred, Evidence, Map, Reuse, page};
use crate::render::briefing::number;
use crate::render::evaluation::{
    Awarded, chart_svg, reason_text, scope_text, score, target_text, title, value_text,
};
use crate::render::plan::Page;
use crate::stats::annual::{self, AnnualEvaluation};
use crate::stats::metrics::{Source, Sources};

/// Each year's evaluation and its page.
pub type Years = BTreeMap<i32, (Arc<AnnualEvaluation>, Page)>;

/// Adds the evaluation pages; returns, by department id, `[{year, url, score, grade,
/// rank}]` newest year first, and each year's evaluation and page. A year that `reuse`
/// holds is taken from it.
pub fn add(
    ev: &Evidence,
    pages: &mut Vec<Page>,
    reuse: Option<&Reuse>,
    defer: bool,
) -> (BTreeMap<String, Vec<Value>>, Years) {
    let corpus = ev.corpus;
    let years = corpus.years();
    // One evaluation per year, in parallel; newest first.
    let done: Vec<(Arc<AnnualEvaluation>, Page)> = years
        .par_iter()
        .rev()
        .map(|&y| match reuse.and_then(|r| r.year(y)) {
            Some(made) => made.clone(),
            None => {
                // The site shows people's scores as figures only (the departments'
                // evidence is on the page): their sources (a ledger line per month, a
                // session file per meeting) are not even made.
                let e = Arc::new(annual::evaluate_with(corpus, y, None, Sources::Dropped));
                let page = if defer {
                    let mut p = page(
                        format!("evaluation/{y}/"),
                        "evaluation.html",
                        &title(&e),
                        "evaluation",
                        Context::new(),
                        year_files(ev, y),
                    );
                    p.deferred = Some(Deferred::Year(e.clone()));
                    p
                } else {
                    year_page(ev, &e)
                };
                (e, page)
            }
        })
        .collect();
    let mut history: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut list = Vec::new();
    for (e, _) in &done {
        let url = ev.data.links.url(&format!("evaluation/{}/", e.year));
        for d in &e.departments {
            let mut m = Map::new();
            m.insert("year", Value::from(e.year));
            m.insert("url", Value::from(format!("{url}#dept-{}", d.id)));
            m.insert("score", Value::from(score(d.score)));
            m.insert("grade", Value::from(d.grade.as_str()));
            m.insert("rank", Value::from(d.rank));
            history
                .entry(d.id.to_string())
                .or_default()
                .push(Value::from(m));
        }
        let mut m = Map::new();
        m.insert("year", Value::from(e.year));
        m.insert("url", Value::from(url));
        m.insert("title", Value::from(title(e)));
        m.insert("scope", Value::from(scope_text(e)));
        m.insert("ranking", Value::from(ranking(ev, e)));
        list.push(Value::from(m));
    }
    let mut ctx = Context::new();
    ctx.insert_value("years", Value::from(list));
    pages.push(page(
        "evaluation/".into(),
        "evaluations.html",
        "年终考评",
        "evaluation",
        ctx,
        ev.all_files(),
    ));
    pages.extend(done.iter().map(|(_, p)| p.clone()));
    let made = done.into_iter().map(|(e, p)| (e.year, (e, p))).collect();
    (history, made)
}

/// The files of the records dated in `year`: what a year's evaluation counts (the
/// ledgers and the organisation are configuration, which `serve` reloads as a whole).
fn year_files(ev: &Evidence, year: i32) -> Vec<Arc<str>> {
    let corpus = ev.corpus;
    let files = (corpus.index.by_month.iter())
        .filter(|(m, _)| m.year == year)
        .flat_map(|(_, indexes)| indexes.iter().map(|&i| &corpus.records[i].file[..]));
    ev.deps(files)
}

fn dept_value(ev: &Evidence, id: &str) -> Value {
    ev.data
        .departments
        .get(id)
        .cloned()
        .unwrap_or_else(Value::none)
}

fn links(ev: &Evidence, sources: &[Source]) -> Value {
    Value::from(ev.grouped_links(sources))
}

fn ranking(ev: &Evidence, e: &AnnualEvaluation) -> Vec<Value> {
    let awarded = Awarded::of(e);
    e.departments
        .iter()
        .map(|d| {
            let mut m = Map::new();
            m.insert("rank", Value::from(d.rank));
            m.insert("id", Value::from(d.id.as_str()));
            m.insert("name", Value::from(d.name.as_str()));
            m.insert("department", dept_value(ev, d.id.as_str()));
            m.insert("anchor", Value::from(format!("dept-{}", d.id)));
            m.insert("score", Value::from(score(d.score)));
            m.insert("grade", Value::from(d.grade.as_str()));
            m.insert("band", Value::from(d.band));
            m.insert(
                "veto",
                d.veto.as_deref().map_or_else(Value::none, Value::from),
            );
            m.insert(
                "veto_link",
                d.veto_source
                    .as_ref()
                    .map_or_else(Value::none, |s| ev.link(s)),
            );
            m.insert("award", Value::from(awarded.department(d.id.as_str())));
            Value::from(m)
        })
        .collect()
}

pub(super) fn year_page(ev: &Evidence, e: &AnnualEvaluation) -> Page {
    let mut ctx = Context::new();
    ctx.insert_value("year", Value::from(e.year));
    ctx.insert_value("title", Value::from(title(e)));
    ctx.insert_value("scope", Value::from(scope_text(e)));
    ctx.insert_value("ranking", Value::from(ranking(ev, e)));
    ctx.insert_value("chart", Value::safe_owned(chart_svg(e)));
    let bands: Vec<Value> = e
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let above = i.checked_sub(1).map(|p| &e.bands[p]);
            let text = match above {
                Some(above) if i + 1 == e.bands.len() => {
                    format!("{}（低于{}分）", b.grade, number(above.min))
                }
                _ => format!("{}（{}分及以上）", b.grade, number(b.min)),
            };
            let mut m = Map::new();
            m.insert("grade", Value::from(b.grade.as_str()));
            m.insert("min", Value::from(number(b.min)));
            m.insert("text", Value::from(text));
            Value::from(m)
        })
        .collect();
    ctx.insert_value("bands", Value::from(bands));
    let criteria: Vec<Value> = e
        .criteria
        .iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("name", Value::from(c.name.as_str()));
            m.insert("weight", Value::from(number(c.weight)));
            m.insert("target", Value::from(target_text(c)));
            Value::from(m)
        })
        .collect();
    ctx.insert_value("criteria", Value::from(criteria));
    let made_here = ev.env.builtin().evaluation_page;
    match made_here.then(|| departments_html(ev, e)).flatten() {
        // The template takes empty markup (no department) for none given: the loop
        // gets its empty list.
        Some(html) if !html.is_empty() => {
            ctx.insert_value("departments_html", Value::safe_owned(html));
        }
        _ => ctx.insert_value("departments", Value::from(departments(ev, e))),
    }

    let people = |ids: &[crate::content::PersonId]| -> Value {
        Value::from(
            ids.iter()
                .map(|id| ev.data.person_link(id.as_str()))
                .collect::<Vec<_>>(),
        )
    };
    let award = |title: &str, slots: String, members: Value| -> Value {
        let mut m = Map::new();
        m.insert("title", Value::from(title));
        m.insert("slots", Value::from(slots));
        m.insert("members", members);
        Value::from(m)
    };
    let awards = vec![
        award(
            "优秀共产党员",
            format!("名额{}名", e.award_slots.excellent_party_members),
            people(&e.awards.excellent_party_members),
        ),
        award(
            "先进工作者",
            format!("名额{}名", e.award_slots.advanced_workers),
            people(&e.awards.advanced_workers),
        ),
        award(
            "学习型机关先进科室",
            format!("至多{}个", e.award_slots.advanced_departments),
            Value::from(
                e.awards
                    .advanced_departments
                    .iter()
                    .map(|id| dept_value(ev, id.as_str()))
                    .collect::<Vec<_>>(),
            ),
        ),
    ];
    ctx.insert_value("awards", Value::from(awards));
    let disqualified: Vec<Value> = e
        .people
        .iter()
        .filter(|p| p.disqualified)
        .map(|p| {
            let reasons: Vec<Value> = p
                .disqualifications
                .iter()
                .map(|d| {
                    let mut m = Map::new();
                    m.insert("text", Value::from(reason_text(d)));
                    m.insert("evidence", links(ev, &d.sources));
                    Value::from(m)
                })
                .collect();
            let mut m = Map::new();
            m.insert("person", ev.data.person_link(p.id.as_str()));
            m.insert("department", dept_value(ev, p.department.as_str()));
            m.insert("reasons", Value::from(reasons));
            Value::from(m)
        })
        .collect();
    ctx.insert_value("disqualified", Value::from(disqualified));
    page(
        format!("evaluation/{}/", e.year),
        "evaluation.html",
        &title(e),
        "evaluation",
        ctx,
        year_files(ev, e.year),
    )
}

/// Each department's criteria with their evidence, as `departments` (the default
/// theme's evaluation.html is given their markup instead: [`departments_html`]).
fn departments(ev: &Evidence, e: &AnnualEvaluation) -> Vec<Value> {
    e.departments
        .iter()
        .map(|d| {
            let rows: Vec<Value> = e
                .criteria
                .iter()
                .zip(&d.criteria)
                .map(|(def, s)| {
                    let mut m = Map::new();
                    m.insert("name", Value::from(def.name.as_str()));
                    m.insert("weight", Value::from(number(def.weight)));
                    m.insert("target", Value::from(target_text(def)));
                    m.insert("value", Value::from(value_text(def, s)));
                    m.insert("points", Value::from(score(s.points)));
                    m.insert("evidence", links(ev, &s.sources));
                    Value::from(m)
                })
                .collect();
            let mut m = Map::new();
            m.insert("name", Value::from(d.name.as_str()));
            m.insert("department", dept_value(ev, d.id.as_str()));
            m.insert("anchor", Value::from(format!("dept-{}", d.id)));
            m.insert("rank", Value::from(d.rank));
            m.insert("score", Value::from(score(d.score)));
            m.insert("grade", Value::from(d.grade.as_str()));
            m.insert(
                "veto",
                d.veto.as_deref().map_or_else(Value::none, Value::from),
            );
            m.insert("people", Value::from(d.people));
            m.insert("criteria", Value::from(rows));
            Value::from(m)
        })
        .collect()
}
