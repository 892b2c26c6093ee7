//! The pages made from figures rather than from single records: the monthly briefings
//! (`briefings/`), the year-end evaluation (`evaluation/`), the ledger files they cite
//! (`ledgers/`), and the git history shown on every record page.
//!
//! The figures come from `stats` (one [`crate::stats::monthly::monthly`] per month and
//! one [`crate::stats::annual::evaluate`] per year, computed in parallel); this module
//! only arranges them into template values, with a link from every figure to the records
//! it counts. The history comes from one `git log` for the whole content tree, made by
//! the caller.

mod briefing_sources;
mod briefing_table;
mod briefings;
mod evaluation;
mod evaluation_html;
mod history;
mod ledgers;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use tera::{Context, Value};

use super::builtin;
use super::data::{Links, RecordParts, SiteData};
use super::env::{Env, NavItem};
use super::fields::Fields as Map;
use super::plan::Page;
use super::search::PreparedDocs;
use crate::body_cache::BodyCache;
use crate::content::{Corpus, Record, RecordData, YearMonth};
use crate::git::FileHistory;
use crate::stats::annual::AnnualEvaluation;
use crate::stats::metrics::Source;
use crate::stats::monthly::MonthlyReport;

/// The report pages of the last plan, with the figures behind them, kept by `serve` so
/// that an edit computes again only the months and years it touches.
#[derive(Clone, Default)]
pub struct Made {
    /// Each month's line in the list of briefings and its briefing page.
    months: BTreeMap<YearMonth, (Value, Page)>,
    /// Each year's evaluation and its page.
    years: evaluation::Years,
    ledgers: Vec<Page>,
}

/// What a page planned without all its values needs to make them.
#[derive(Debug, Clone)]
pub enum Deferred {
    /// A record's page (the record's file): its `entry`, with `content`, and its
    /// `history`. They change only with the record itself, or with the configuration
    /// (`serve` then loads the whole site again; it reads the git history once per
    /// load), so `serve` need not compare them.
    Record(Arc<str>),
    Month(Arc<MonthlyReport>),
    /// A month's briefing whose figures are computed only when it is rendered (a build
    /// written once: a big site's monthly figures, held from plan to render, were a
    /// ninth to a seventh of its peak memory).
    MonthFigures(YearMonth),
    Year(Arc<AnnualEvaluation>),
    /// A ledger's file.
    Ledger(Arc<str>),
}

impl Deferred {
    /// What making this page's values is called in the timings.
    pub fn values_name(&self) -> &'static str {
        match self {
            Deferred::Record(_) => "(record content)",
            Deferred::Month(_) | Deferred::MonthFigures(_) => "(briefing values)",
            Deferred::Year(_) => "(evaluation values)",
            Deferred::Ledger(_) => "(ledger values)",
        }
    }
}

/// Makes the values of deferred pages while the site is written: a record's HTML, the
/// values of a report page (one month's briefing on a big site is megabytes). Each page
/// renders and drops its own instead of the site holding every page's at once.
pub struct Completer<'a> {
    corpus: &'a Corpus,
    data: &'a SiteData,
    env: &'a Env,
    history: &'a BTreeMap<String, FileHistory>,
    ledgers: ledgers::Ledgers,
    made: Mutex<AHashMap<Source, Value>>,
    /// The search documents of the record pages completed, when a build writes the
    /// index after them.
    search: Option<PreparedDocs>,
    /// The bodies of the last build, when a build has them.
    bodies: Option<&'a BodyCache>,
}

impl<'a> Completer<'a> {
    pub fn new(
        corpus: &'a Corpus,
        data: &'a SiteData,
        env: &'a Env,
        history: &'a BTreeMap<String, FileHistory>,
    ) -> Self {
        Completer {
            corpus,
            data,
            env,
            history,
            ledgers: ledgers::Ledgers::new(corpus, data, env.builtin().ledger_page),
            made: Mutex::default(),
            search: None,
            bodies: None,
        }
    }

    /// Takes the bodies of record pages from `bodies` when the last build rendered them.
    pub fn with_bodies(mut self, bodies: Option<&'a BodyCache>) -> Self {
        self.bodies = bodies;
        self
    }

    /// Keeps the search document of every record page it completes, for
    /// [`Self::search_docs`].
    pub fn keeping_search_docs(mut self) -> Self {
        self.search = Some(PreparedDocs::new(self.corpus));
        self
    }

    /// The search documents kept by [`Self::keeping_search_docs`].
    pub fn search_docs(&self) -> Option<&PreparedDocs> {
        self.search.as_ref()
    }

    /// The values of a page planned without them, when it was deferred: a report page
    /// with its values, or a record page's values (its page as planned needs no copy).
    pub fn complete(&self, page: &Page) -> Option<Completed> {
        let ev = Evidence {
            corpus: self.corpus,
            data: self.data,
            env: self.env,
            ledgers: &self.ledgers,
            made: &self.made,
            // A completed page is rendered and dropped: nothing asks what it shows.
            keep_deps: false,
        };
        Some(Completed::Page(match page.deferred.as_ref()? {
            Deferred::Record(file) => {
                let i = *self.corpus.index.by_file.get(&**file)?;
                let entry = self.data.entries.get(i)?.as_ref()?;
                let r = &self.corpus.records[i];
                let chars = self.search.as_ref().map_or(0, PreparedDocs::body_chars);
                let (values, text) = record_values(
                    self.corpus,
                    self.data,
                    self.env.builtin(),
                    self.history,
                    r,
                    entry,
                    chars,
                    self.bodies,
                );
                if let Some(search) = &self.search {
                    search.put(self.corpus, i, r, text);
                }
                return Some(Completed::Record(values));
            }
            Deferred::Month(report) => briefings::month_page(&ev, self.history, report),
            Deferred::MonthFigures(month) => {
                let report = crate::stats::monthly::monthly(self.corpus, *month);
                briefings::month_page(&ev, self.history, &report)
            }
            Deferred::Year(e) => evaluation::year_page(&ev, e),
            Deferred::Ledger(file) => self.ledgers.page(file)?,
        }))
    }
}

/// What [`Completer::complete`] makes of a deferred page.
pub enum Completed {
    /// A report page, with its values.
    Page(Page),
    /// The values of a record page, rendered with the page as planned.
    Record(RecordValues),
}

/// The values a record's page was planned without.
pub struct RecordValues {
    /// The record's shared entry, as lists have it.
    pub entry: Value,
    /// What the page shows beyond the entry: `content`, and markup of the default theme.
    pub parts: RecordParts,
    /// The record's git history, none without one.
    pub history: Value,
}

impl RecordValues {
    /// The page's `entry`, as templates read it: with the parts in it.
    pub fn entry_with_parts(&self) -> Value {
        self.parts.merged(&self.entry)
    }
}

/// The values the page of record `r` was planned without: its `entry` (the record's
/// shared entry), the parts its page shows beyond it (`content`, and the markup
/// `builtin` asks for), and its `history`. Also returns the first `text_chars`
/// characters of the body's plain text. With `bodies`, a body the last build rendered
/// is taken from there.
#[allow(clippy::too_many_arguments)]
pub fn record_values(
    corpus: &Corpus,
    data: &SiteData,
    builtin: builtin::Builtin,
    history: &BTreeMap<String, FileHistory>,
    r: &Record,
    entry: &Value,
    text_chars: usize,
    bodies: Option<&BodyCache>,
) -> (RecordValues, String) {
    let (parts, text) = data.record_parts(corpus, r, text_chars, builtin, bodies);
    let values = RecordValues {
        entry: entry.clone(),
        parts,
        history: history::of(history, &r.file),
    };
    (values, text)
}

/// What [`add`] may take from the last plan instead of computing it: everything in
/// `made` except the months and years touched by the records that changed (ledgers and
/// configuration never change between two plans that reuse: `serve` reloads everything
/// when they do).
pub struct Reuse<'a> {
    pub made: &'a Made,
    pub months: BTreeSet<YearMonth>,
    pub years: BTreeSet<i32>,
}

impl<'a> Reuse<'a> {
    /// Reuse of `made` after the records whose months are `touched` changed (see
    /// [`months_touched`]: both the old and the new version of each).
    pub fn new(made: &'a Made, touched: impl IntoIterator<Item = YearMonth>) -> Self {
        let months: BTreeSet<YearMonth> = touched.into_iter().collect();
        let years = months.iter().map(|m| m.year).collect();
        Reuse {
            made,
            months,
            years,
        }
    }

    fn month(&self, m: YearMonth) -> Option<&'a (Value, Page)> {
        (!self.months.contains(&m)).then(|| self.made.months.get(&m))?
    }

    fn year(&self, y: i32) -> Option<&'a (Arc<AnnualEvaluation>, Page)> {
        (!self.years.contains(&y)).then(|| self.made.years.get(&y))?
    }
}

/// The months whose briefings a record may count in: its own, the one an essay is
/// featured in, the months of a plan's schedule, each with the month before (its
/// "next month" list) and after (a session held a few days after a planned date).
pub fn months_touched(r: &Record) -> Vec<YearMonth> {
    let mut months: Vec<YearMonth> = r.month().into_iter().collect();
    match &r.data {
        RecordData::Essay(e) => months.extend(e.featured),
        RecordData::Plan(p) => {
            months.extend(p.schedule.iter().map(|item| YearMonth::of(item.date)))
        }
        _ => {}
    }
    let mut all: Vec<YearMonth> = months
        .iter()
        .flat_map(|&m| [m.prev(), m, m.next()])
        .collect();
    all.sort();
    all.dedup();
    all
}

/// The briefing, evaluation and ledger pages, made by [`plan`] without the other pages
/// (so both are planned side by side), and what [`Planned::attach`] puts on those.
pub struct Planned {
    pub pages: Vec<Page>,
    /// The home page's link to the latest briefing.
    latest: Option<Value>,
    /// Each department's evaluations, for its page.
    scores: BTreeMap<String, Vec<Value>>,
    pub made: Made,
}

/// Plans the briefing, evaluation and ledger pages. Returns them with what they made,
/// for the next plan to [`Reuse`]. With `defer`, the briefing and evaluation pages are
/// planned without their values ([`Deferred`]); without `keep_deps` as well (a site
/// written once), the briefings without their figures.
pub fn plan(
    corpus: &Corpus,
    data: &SiteData,
    env: &Env,
    history: &BTreeMap<String, FileHistory>,
    reuse: Option<&Reuse>,
    defer: bool,
    keep_deps: bool,
) -> Planned {
    use crate::timing::phase;
    let markup = env.builtin().ledger_page;
    let ledgers = phase("ledgers", || ledgers::Ledgers::new(corpus, data, markup));
    let made = Mutex::default();
    let links = Evidence {
        corpus,
        data,
        env,
        ledgers: &ledgers,
        made: &made,
        keep_deps,
    };
    let ledger_pages = match reuse {
        Some(reuse) => reuse.made.ledgers.clone(),
        None => ledgers.pages(defer),
    };
    let mut pages = ledger_pages.clone();
    let (latest, months) = phase("briefings", || {
        let defer = match (defer, keep_deps) {
            (false, _) => briefings::Defer::Nothing,
            (true, true) => briefings::Defer::Values,
            (true, false) => briefings::Defer::Figures,
        };
        briefings::add(&links, history, &mut pages, reuse, defer)
    });
    let (scores, years) = phase("evaluation", || {
        evaluation::add(&links, &mut pages, reuse, defer)
    });
    Planned {
        pages,
        latest,
        scores,
        made: Made {
            months,
            years,
            ledgers: ledger_pages,
        },
    }
}

impl Planned {
    /// Adds the report pages to `pages` and their entries to `nav`, and puts the latest
    /// briefing on the home page and the evaluations on the department pages already in
    /// `pages`. Returns what the reports made.
    pub fn attach(self, pages: &mut Vec<Page>, nav: &mut Vec<NavItem>, links: &Links) -> Made {
        for page in pages.iter_mut() {
            if page.path.is_empty() {
                page.context.insert_value(
                    "latest_briefing",
                    self.latest.clone().unwrap_or_else(Value::none),
                );
            } else if let Some(id) = page
                .path
                .strip_prefix("departments/")
                .and_then(|rest| rest.strip_suffix('/'))
                .filter(|id| !id.is_empty() && !id.contains('/'))
            {
                let list = self.scores.get(id).cloned().unwrap_or_default();
                page.context.insert_value("evaluations", Value::from(list));
            }
        }
        pages.extend(self.pages);
        for (key, label, path) in [
            ("briefings", "简报", "briefings/"),
            ("evaluation", "考评", "evaluation/"),
        ] {
            if !nav.iter().any(|n| n.key == key) {
                nav.push(NavItem {
                    key: key.into(),
                    label: label.into(),
                    url: links.url(path),
                });
            }
        }
        self.made
    }
}

/// Turns the files behind a figure into links: a record to its page, a ledger line to
/// that line on the ledger's page.
struct Evidence<'a> {
    corpus: &'a Corpus,
    data: &'a SiteData,
    /// Renders each link's `html` once (see [`Env::with_evidence_html`]).
    env: &'a Env,
    ledgers: &'a ledgers::Ledgers,
    /// Links made so far. A ledger line is cited by many figures (a month's hours, the
    /// month's compliance, the year's evaluation): one shared value each keeps a big
    /// site's reports small.
    made: &'a Mutex<AHashMap<Source, Value>>,
    /// Whether pages list the files they show ([`Page::deps`]): only `serve` asks, and
    /// a big site's lists are megabytes (every record's file for each index page).
    keep_deps: bool,
}

impl Evidence<'_> {
    /// The dependency list of a page that shows `files`: empty unless it is kept.
    /// A record's file is named by the record's own shared name: serve compares the
    /// lists of two plans, a pointer at a time, and the index pages list every record.
    fn deps<'f>(&self, files: impl IntoIterator<Item = &'f str>) -> Vec<Arc<str>> {
        if !self.keep_deps {
            return Vec::new();
        }
        let by_file = &self.corpus.index.by_file;
        let mut list: Vec<Arc<str>> = (files.into_iter())
            .map(|f| {
                by_file
                    .get_key_value(f)
                    .map_or_else(|| Arc::from(f), |(k, _)| k.clone())
            })
            .collect();
        list.sort();
        list.dedup();
        list
    }

    /// [`Evidence::deps`] of a page whose figures any record may change.
    fn all_files(&self) -> Vec<Arc<str>> {
        self.deps(self.corpus.visible().map(|r| &r.file[..]))
    }

    fn entry_ref(&self, file: &str) -> Option<&Value> {
        let i = *self.corpus.index.by_file.get(file)?;
        self.data.entries.get(i)?.as_ref()
    }

    /// The entries of the records among `files`, borrowed: a briefing reads three
    /// fields of each of its tens of thousands.
    fn entries<S: AsRef<str>>(&self, files: &[S]) -> Vec<&Value> {
        files
            .iter()
            .filter_map(|f| self.entry_ref(f.as_ref()))
            .collect()
    }

    /// `{label, url, date, line}` for one source; `url` is empty when nothing on the
    /// site shows the file.
    fn link(&self, source: &Source) -> Value {
        if let Some(link) = self.made().get(source) {
            return link.clone();
        }
        let link = self.make_link(source);
        self.made().insert(source.clone(), link.clone());
        link
    }

    fn made(&self) -> std::sync::MutexGuard<'_, AHashMap<Source, Value>> {
        // A panic elsewhere cannot leave a half-made link behind: the map stays usable.
        self.made
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn make_link(&self, source: &Source) -> Value {
        let Some(entry) = self.entry_ref(&source.file) else {
            return self.ledger_link(&source.file, &[source.line]);
        };
        let get = |k: &str| field_of(entry, k).cloned().unwrap_or_else(Value::none);
        let (label, url, date) = (get("title"), get("url"), get("date"));
        let mut m = Map::new();
        m.insert("file", Value::from(&*source.file));
        m.insert("line", Value::from(source.line));
        m.insert("label", label.clone());
        m.insert("url", url.clone());
        m.insert("date", date.clone());
        m.insert("kind_label", get("kind_label"));
        // What the component prints: the title, and the URL and the date when they are
        // there; anything else is left to it.
        fn text(v: &Value) -> Option<&str> {
            if v.is_none() { Some("") } else { v.as_str() }
        }
        match (label.as_str(), text(&url), text(&date)) {
            (Some(label), Some(url), Some(date)) => self.env.evidence(m, label, url, date),
            _ => self.env.with_evidence_html(Value::from(m)),
        }
    }

    /// One link for lines of a ledger (line 0: the whole file): to the first line,
    /// naming them all (`logs/2026-03.yaml 第27–32、35行`). `lines` is sorted.
    fn ledger_link(&self, file: &str, lines: &[usize]) -> Value {
        let (label, url, first) = self.ledger_label(file, lines);
        let mut m = Map::new();
        m.insert("file", Value::from(file));
        m.insert("line", Value::from(first));
        m.insert("label", Value::from(label.as_str()));
        m.insert("url", Value::from(url.as_str()));
        m.insert("date", Value::none());
        m.insert("kind_label", Value::from(ledgers::label(file)));
        self.env.evidence(m, &label, &url, "")
    }

    /// The label, URL and first line of [`Evidence::ledger_link`].
    fn ledger_label(&self, file: &str, lines: &[usize]) -> (String, String, usize) {
        let first = lines.iter().copied().find(|&l| l > 0).unwrap_or(0);
        let label = if first > 0 {
            [file, " 第", &line_ranges(lines), "行"].concat()
        } else {
            file.to_string()
        };
        (label, self.ledgers.url(file, first), first)
    }

    /// The markup of a link of [`Evidence::cited`] at the end of `out`, as its link
    /// value's `html`; `None` when there is none (a theme's `evidence_link` that cannot
    /// render it), left to the template.
    fn push_cited_html(&self, out: &mut String, cited: &Cited) -> Option<()> {
        match cited {
            Cited::Lines(first, lines) if self.env.builtin().evidence_link => {
                let (label, url, _) = self.ledger_label(&first.file, lines);
                builtin::push_evidence(out, &label, &url, "")
            }
            _ => {
                let link = self.cited_link(cited);
                let html = (field_of(&link, "html")).filter(|h| h.is_safe() && h.is_truthy());
                out.push_str(html?.as_str()?);
                Some(())
            }
        }
    }

    /// The link value of one of [`Evidence::cited`].
    fn cited_link(&self, cited: &Cited) -> Value {
        match cited {
            Cited::One(source) => self.link(source),
            Cited::Lines(first, lines) => self.ledger_link(&first.file, lines),
        }
    }

    /// The sources of a figure as links, in their order, except that the lines of one
    /// ledger file make a single link at the place of the first: a department's year
    /// cites a ledger line per person and month, and one entry per file keeps the
    /// evidence readable (and the page a fraction of the size).
    fn grouped_links(&self, sources: &[Source]) -> Vec<Value> {
        (self.cited(sources).iter())
            .map(|c| self.cited_link(c))
            .collect()
    }

    /// What [`Evidence::grouped_links`] links to: each source, but the cited lines of a
    /// ledger file together, at the place of the first.
    fn cited<'s>(&self, sources: &'s [Source]) -> Vec<Cited<'s>> {
        let mut cited = Vec::new();
        // Where each ledger's lines are in `cited`. Sorted sources (a figure's) have a
        // file's lines one after another: the last file is checked before the map.
        let mut at: AHashMap<&str, usize> = AHashMap::new();
        let mut last: Option<(&str, usize)> = None;
        for s in sources {
            if s.line == 0 || self.entry_ref(&s.file).is_some() {
                cited.push(Cited::One(s));
                continue;
            }
            let file = &*s.file;
            let place = match last {
                Some((f, place)) if std::ptr::eq(f, file) || f == file => Some(place),
                _ => at.get(file).copied(),
            };
            let place = place.unwrap_or_else(|| {
                cited.push(Cited::Lines(s, Vec::new()));
                at.insert(file, cited.len() - 1);
                cited.len() - 1
            });
            last = Some((file, place));
            if let Some(Cited::Lines(_, lines)) = cited.get_mut(place) {
                lines.push(s.line);
            }
        }
        for c in &mut cited {
            if let Cited::Lines(first, lines) = c {
                lines.sort_unstable();
                lines.dedup();
                // A single line is cited as the source it is (and its link shared).
                if lines.len() == 1 {
                    *c = Cited::One(first);
                }
            }
        }
        cited
    }
}

/// A figure's source as its evidence lists it: a source, or the lines of the ledger
/// file of the first of them.
enum Cited<'s> {
    One(&'s Source),
    Lines(&'s Source, Vec<usize>),
}

/// The field `key` of a map value (a record's entry), by lookup: `get_from_path` reads
/// its argument as a dotted path, and the reports read a field per line they list.
pub(super) fn field_of<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.as_map()?.get_str(key)
}

/// Sorted line numbers as runs: `[27, 28, 29, 35]` -> `27–29、35`.
pub(super) fn line_ranges(lines: &[usize]) -> String {
    // Room for the usual citation, one or two ranges ("12–40、42"): sized once, as a
    // briefing cites tens of thousands.
    let mut out = String::with_capacity(24);
    let mut i = 0;
    while i < lines.len() {
        let start = lines[i];
        let mut end = start;
        while i + 1 < lines.len() && lines[i + 1] == end + 1 {
            i += 1;
            end = lines[i];
        }
        if !out.is_empty() {
            out.push('、');
        }
        out.push_str(itoa::Buffer::new().format(start));
        if end > start {
            out.push('–');
            out.push_str(itoa::Buffer::new().format(end));
        }
        i += 1;
    }
    out
}

/// A page of this module: like the planner's, with its `page` value.
fn page(
    path: String,
    template: &str,
    title: &str,
    section: &'static str,
    context: Context,
    deps: Vec<Arc<str>>,
) -> Page {
    Page {
        output: format!("{path}index.html"),
        path,
        template: template.to_string(),
        title: title.to_string(),
        section,
        context,
        deps,
        in_sitemap: true,
        lastmod: None,
        deferred: None,
    }
}

#[cfg(test)]
mod tests {
    use super::line_ranges;

    #[test]
    fn line_numbers_are_written_as_runs() {
        for (lines, text) in [
            (&[27][..], "27"),
            (&[27, 28, 29, 35], "27–29、35"),
            (&[3, 5, 7], "3、5、7"),
            (&[1, 2], "1–2"),
            (&[], ""),
        ] {
            assert_eq!(line_ranges(lines), text, "{lines:?}");
        }
    }
}
