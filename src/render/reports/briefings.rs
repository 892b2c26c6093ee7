//! The monthly briefings on the site: `briefings/` lists every month that has records
//! (newest first, 第N期 or 未发布), `briefings/YYYY-MM/` shows one month in the official
//! form. A published month shows its frozen text, with the records changed since; a month
//! not yet published shows the live figures, marked as a preview. Every figure of the
//! departments table links to the list of records it counts, further down the page.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use super::briefing_table::{self, Table};
use super::{Deferred, Evidence, Map, Reuse, field_of, page};
use crate::content::YearMonth;
use crate::git::FileHistory;
use crate::markdown::{self, RenderContext};
use crate::render::briefing::{self, BriefingView};
use crate::render::plan::Page;
use crate::stats::metrics::Source;
use crate::stats::monthly::{self, Headline, MonthlyReport};

fn label(m: YearMonth) -> String {
    format!("{}年{}月", m.year, m.month)
}

fn issue_label(issue: Option<u32>) -> String {
    issue.map_or_else(|| "未发布（预览）".to_string(), |n| format!("第{n}期"))
}

/// What of a briefing page is made when it is rendered rather than when it is planned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Defer {
    /// Nothing: the page is planned with all its values.
    Nothing,
    /// Its values, from the month's figures computed when planned (`serve`: they list
    /// the files the page shows).
    Values,
    /// The month's figures too (a site written once).
    Figures,
}

/// Adds the briefing pages; returns the home page's link to the latest briefing (the
/// newest published one, else the newest preview), if any month has records, and each
/// month's list line and page. A month that `reuse` holds is taken from it.
pub fn add(
    ev: &Evidence,
    history: &BTreeMap<String, FileHistory>,
    pages: &mut Vec<Page>,
    reuse: Option<&Reuse>,
    defer: Defer,
) -> (Option<Value>, BTreeMap<YearMonth, (Value, Page)>) {
    let corpus = ev.corpus;
    let months: Vec<YearMonth> = corpus
        .index
        .by_month
        .keys()
        .chain(corpus.briefings.keys())
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .rev()
        .collect();
    // One computation per month, in parallel; newest first.
    let done: Vec<(Value, Page)> = months
        .par_iter()
        .map(|&m| match reuse.and_then(|r| r.month(m)) {
            Some(made) => made.clone(),
            None if defer == Defer::Figures => {
                let headline = monthly::headline(corpus, m);
                let mut page = unmade_month_page(ev, m, Vec::new());
                page.deferred = Some(Deferred::MonthFigures(m));
                (summary(ev, &headline), page)
            }
            None => {
                let report = monthly::monthly(corpus, m);
                let line = summary(ev, &Headline::of(&report));
                if defer == Defer::Values {
                    (line, deferred_month_page(ev, report))
                } else {
                    (line, month_page(ev, history, &report))
                }
            }
        })
        .collect();
    let latest = done
        .iter()
        .map(|(v, _)| v)
        .find(|v| v.get_from_path("published").and_then(Value::as_bool) == Some(true))
        .or_else(|| done.first().map(|(v, _)| v))
        .cloned();
    let list: Vec<Value> = done.iter().map(|(v, _)| v.clone()).collect();
    let mut ctx = Context::new();
    ctx.insert_value("briefings", Value::from(list));
    pages.push(page(
        "briefings/".into(),
        "briefings.html",
        "学习简报",
        "briefings",
        ctx,
        ev.all_files(),
    ));
    pages.extend(done.iter().map(|(_, p)| p.clone()));
    (latest, months.into_iter().zip(done).collect())
}

/// One line of the list of briefings.
fn summary(ev: &Evidence, r: &Headline) -> Value {
    let mut m = Map::new();
    m.insert("month", Value::from(r.month.to_string()));
    m.insert("label", Value::from(label(r.month)));
    m.insert(
        "url",
        Value::from(ev.data.links.url(&format!("briefings/{}/", r.month))),
    );
    m.insert("issue", r.issue.map_or_else(Value::none, Value::from));
    m.insert("issue_label", Value::from(issue_label(r.issue)));
    m.insert("published", Value::from(r.issue.is_some()));
    m.insert(
        "date",
        r.published
            .map_or_else(Value::none, |d| Value::from(d.to_string())),
    );
    m.insert("sessions", Value::from(r.sessions));
    m.insert("essays", Value::from(r.essays));
    Value::from(m)
}

/// The briefing page of a month without its values: its address, title and files;
/// [`super::Completer`] makes the rest when it is rendered.
fn deferred_month_page(ev: &Evidence, r: MonthlyReport) -> Page {
    let mut p = unmade_month_page(ev, r.month, month_files(ev, &r));
    p.deferred = Some(Deferred::Month(Arc::new(r)));
    p
}

/// The briefing page of `month` with no value: its address, title and `files`.
fn unmade_month_page(ev: &Evidence, month: YearMonth, files: Vec<Arc<str>>) -> Page {
    let title = format!("{} {}", ev.corpus.site.bulletin.name, label(month));
    page(
        format!("briefings/{month}/"),
        "briefing.html",
        &title,
        "briefings",
        Context::new(),
        files,
    )
}

/// The files a month's briefing shows: the records it counts, those it prints (sessions,
/// cases, next month's schedule) and its frozen text. Its page is rendered again when one
/// of them changes (only then: its values are not kept to be compared).
fn month_files(ev: &Evidence, r: &MonthlyReport) -> Vec<Arc<str>> {
    if !ev.keep_deps {
        return Vec::new();
    }
    let mut files = r.source_files();
    files.extend(r.next_month.iter().map(|p| p.plan.to_string()));
    files.extend(r.cases.iter().map(|c| c.file.clone()));
    files.extend(r.sessions.iter().map(|s| s.file.clone()));
    if let Some(b) = ev.corpus.briefings.get(&r.month) {
        files.insert(b.file.clone());
    }
    ev.deps(files.iter().map(String::as_str))
}

pub(super) fn month_page(
    ev: &Evidence,
    history: &BTreeMap<String, FileHistory>,
    r: &MonthlyReport,
) -> Page {
    let corpus = ev.corpus;
    // A published briefing carries its own date; a preview is dated the month's last day
    // (never today, so a build does not depend on when it runs).
    let date = r.published.unwrap_or(r.month.last_day());
    let view = briefing::view(r, &corpus.site.bulletin, date);
    let mut ctx = Context::new();
    let mut month = Map::new();
    month.insert("month", Value::from(r.month.to_string()));
    month.insert("label", Value::from(label(r.month)));
    ctx.insert_value("month", Value::from(month));
    ctx.insert_value("briefing", masthead(&view));
    ctx.insert_value("published", Value::from(r.issue.is_some()));
    ctx.insert_value("issue_label", Value::from(issue_label(r.issue)));
    ctx.insert_value("date", Value::from(date.to_string()));
    let (frozen, changed) = match corpus.briefings.get(&r.month) {
        Some(b) => {
            let resolve = |file: &str| -> Option<String> {
                ev.entry_ref(file).and_then(|e| {
                    e.get_from_path("url")
                        .and_then(|u| u.as_str().map(String::from))
                })
            };
            let html = markdown::render(
                &b.body,
                &RenderContext {
                    file: &b.file,
                    unsafe_html: false,
                    resolve: &resolve,
                    text_chars: 0,
                },
            )
            .html;
            let changed: Vec<Value> = monthly::changed_after_publication(corpus, r, history)
                .iter()
                .map(|f| ev.link(&Source::file(f.as_str())))
                .collect();
            (Value::safe_owned(html), changed)
        }
        None => (Value::none(), Vec::new()),
    };
    ctx.insert_value("frozen", frozen);
    ctx.insert_value("changed", Value::from(changed));
    ctx.insert_value("chart", Value::safe_owned(briefing::chart_svg(r)));
    match briefing_table::table(ev, r, &view) {
        Table::Values { rows, sources } => {
            ctx.insert_value("rows", Value::from(rows));
            ctx.insert_value("sources", Value::from(sources));
        }
        Table::Html { rows, sources } => {
            ctx.insert_value("rows_html", Value::safe_owned(rows));
            ctx.insert_value("sources_html", Value::safe_owned(sources));
        }
    }
    ctx.insert_value(
        "sessions",
        Value::from(items(
            ev,
            &view.sessions,
            r.sessions.iter().map(|s| s.file.as_str()),
        )),
    );
    ctx.insert_value(
        "essays",
        Value::from(items(
            ev,
            &view.essays,
            r.featured.iter().map(|s| s.file.as_str()),
        )),
    );
    ctx.insert_value(
        "cases",
        Value::from(items(
            ev,
            &view.cases,
            r.cases.iter().map(|s| s.file.as_str()),
        )),
    );
    let next: Vec<Value> = view
        .next_month
        .iter()
        .zip(&r.next_month)
        .map(|(n, p)| {
            let mut m = Map::new();
            m.insert("date", Value::from(n.date.as_str()));
            m.insert("department", Value::from(n.department.as_str()));
            m.insert("topic", Value::from(n.topic.as_str()));
            m.insert("kind", Value::from(n.kind.as_str()));
            m.insert("speaker", Value::from(n.speaker.as_str()));
            m.insert("url", url_of(ev, &p.plan));
            Value::from(m)
        })
        .collect();
    ctx.insert_value("next_month", Value::from(next));

    let title = format!("{} {}", view.name, label(r.month));
    page(
        format!("briefings/{}/", r.month),
        "briefing.html",
        &title,
        "briefings",
        ctx,
        month_files(ev, r),
    )
}

/// The printed form's own words (`briefing.*`). Its table and items are `rows`,
/// `sessions`, `essays`, `cases` and `next_month`, each with its links: serializing the
/// whole view again (essay bodies included) took about a tenth of a month's values.
fn masthead(view: &BriefingView) -> Value {
    let text = |s: &str| Value::from(s);
    let mut m = Map::new();
    m.insert("name", text(&view.name));
    m.insert("issue", text(&view.issue));
    m.insert("editor", text(&view.editor));
    m.insert("date", text(&view.date));
    m.insert("headline", text(&view.headline));
    m.insert("overview", text(&view.overview));
    let warnings: Vec<Value> = view.warnings.iter().map(|w| text(w)).collect();
    m.insert("warnings", Value::from(warnings));
    m.insert("send_up", text(&view.send_up));
    m.insert("send_across", text(&view.send_across));
    m.insert("send_down", text(&view.send_down));
    m.insert("copies", view.copies.map_or_else(Value::none, Value::from));
    Value::from(m)
}

/// The URL of a record's page, or an empty string.
pub(super) fn url_of(ev: &Evidence, file: &str) -> Value {
    ev.entry_ref(file)
        .and_then(|e| field_of(e, "url").cloned())
        .unwrap_or_else(|| Value::from(""))
}

/// The printed items (sessions, essays, cases) with a link to their record.
fn items<'a>(
    ev: &Evidence,
    printed: &[briefing::Item],
    files: impl Iterator<Item = &'a str>,
) -> Vec<Value> {
    printed
        .iter()
        .zip(files)
        .map(|(item, file)| {
            let mut m = Map::new();
            m.insert("heading", Value::from(item.heading.as_str()));
            m.insert("byline", Value::from(item.byline.as_str()));
            m.insert("text", Value::from(item.text.as_str()));
            m.insert("html", Value::safe_string(&item.html));
            m.insert("url", url_of(ev, file));
            Value::from(m)
        })
        .collect()
}
