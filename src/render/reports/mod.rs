//! The pages made from figures rather than from single records: the monthly briefings
//! (`briefings/`), the year-end evaluation (`evaluation/`), the ledger files they cite
//! (`ledgers/`), and the git history shown on every record page.
//!
//! The figures come from `stats` (one [`crate::stats::monthly::monthly`] per month and
//! one [`crate::stats::annual::evaluate`] per year, computed in parallel); this module
//! only arranges them into template values, with a link from every figure to the records
//! it counts. The history comes from one `git log` for the whole content tree, made by
//! the caller.

mod briefings;
mod evaluation;
mod history;
mod ledgers;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tera::{Context, Value};

use super::data::SiteData;
use super::env::NavItem;
use super::plan::{Page, page_value};
use crate::content::Corpus;
use crate::git::FileHistory;
use crate::stats::metrics::Source;

type Map = BTreeMap<&'static str, Value>;

/// Adds the briefing, evaluation and ledger pages with their navigation entries, and puts
/// the git history on the record pages already in `pages`.
pub fn add(
    corpus: &Corpus,
    data: &SiteData,
    history: &BTreeMap<String, FileHistory>,
    pages: &mut Vec<Page>,
    nav: &mut Vec<NavItem>,
) {
    history::annotate(corpus, history, pages);
    let ledgers = ledgers::Ledgers::new(corpus, data);
    let links = Evidence {
        corpus,
        data,
        ledgers: &ledgers,
    };
    let mut new_pages = ledgers.pages(data);
    let latest = briefings::add(&links, history, &mut new_pages);
    let scores = evaluation::add(&links, &mut new_pages);
    for page in pages.iter_mut() {
        if page.path.is_empty() {
            page.context.insert_value(
                "latest_briefing",
                latest.clone().unwrap_or_else(Value::none),
            );
        } else if let Some(id) = page
            .path
            .strip_prefix("departments/")
            .and_then(|rest| rest.strip_suffix('/'))
            .filter(|id| !id.is_empty() && !id.contains('/'))
        {
            let list = scores.get(id).cloned().unwrap_or_default();
            page.context.insert_value("evaluations", Value::from(list));
        }
    }
    pages.extend(new_pages);
    for (key, label, path) in [
        ("briefings", "简报", "briefings/"),
        ("evaluation", "考评", "evaluation/"),
    ] {
        if !nav.iter().any(|n| n.key == key) {
            nav.push(NavItem {
                key: key.into(),
                label: label.into(),
                url: data.links.url(path),
            });
        }
    }
}

/// Turns the files behind a figure into links: a record to its page, a ledger line to
/// that line on the ledger's page.
struct Evidence<'a> {
    corpus: &'a Corpus,
    data: &'a SiteData,
    ledgers: &'a ledgers::Ledgers,
}

impl Evidence<'_> {
    /// The shared entry of a record shown on the site.
    fn entry(&self, file: &str) -> Option<Value> {
        let i = *self.corpus.index.by_file.get(file)?;
        self.data.entries.get(i).cloned().flatten()
    }

    fn entries(&self, files: &[String]) -> Vec<Value> {
        files.iter().filter_map(|f| self.entry(f)).collect()
    }

    /// `{label, url, date, line}` for one source; `url` is empty when nothing on the
    /// site shows the file.
    fn link(&self, source: &Source) -> Value {
        let mut m = Map::new();
        m.insert("file", Value::from(source.file.as_str()));
        m.insert("line", Value::from(source.line));
        if let Some(entry) = self.entry(&source.file) {
            let get = |k: &str| entry.get_from_path(k).cloned().unwrap_or_else(Value::none);
            m.insert("label", get("title"));
            m.insert("url", get("url"));
            m.insert("date", get("date"));
            m.insert("kind_label", get("kind_label"));
        } else {
            let label = if source.line > 0 {
                format!("{} 第{}行", source.file, source.line)
            } else {
                source.file.clone()
            };
            m.insert("label", Value::from(label));
            m.insert(
                "url",
                Value::from(self.ledgers.url(&source.file, source.line)),
            );
            m.insert("date", Value::none());
            m.insert("kind_label", Value::from(ledgers::label(&source.file)));
        }
        Value::from(m)
    }
}

/// A page of this module: like the planner's, with its `page` value.
fn page(
    data: &SiteData,
    path: String,
    template: &str,
    title: &str,
    section: &str,
    mut context: Context,
    deps: Vec<Arc<str>>,
) -> Page {
    context.insert_value("page", page_value(data, &path, title, section));
    Page {
        output: format!("{path}index.html"),
        path,
        template: template.to_string(),
        context,
        deps,
        in_sitemap: true,
        lastmod: None,
    }
}

/// Every file a page depends on, as the planner lists them.
fn deps<'a>(files: impl IntoIterator<Item = &'a str>) -> Vec<Arc<str>> {
    let mut list: Vec<Arc<str>> = files.into_iter().map(Arc::from).collect();
    list.sort();
    list.dedup();
    list
}

/// The site-visible records' files, for pages whose figures any record may change.
fn all_files(corpus: &Corpus) -> Vec<Arc<str>> {
    deps(corpus.visible().map(|r| r.file.as_str()))
}

/// Record files by URL path, for finding record pages in the plan.
fn record_paths(corpus: &Corpus) -> HashMap<&str, &str> {
    corpus
        .visible()
        .map(|r| (r.path.as_str(), r.file.as_str()))
        .collect()
}
