//! Bringing a rendered site up to date after records changed, for `serve`.
//!
//! The template value of a record that did not change is reused (its Markdown is not
//! rendered again), and so are its search document and every briefing month and
//! evaluation year it cannot count in ([`reports::months_touched`]); the rest of the
//! page plan is made again, which is cheap because planning only arranges shared,
//! reference-counted values; then a page is rendered again only when what its template
//! sees may differ from the last render: a new page, another template, a record it shows
//! that changed, another set of records, or any other difference of its context.
//! Comparing contexts is cheap for the same reason: a record value that was reused is
//! the same pointer, and `tera::Value` compares shared lists and maps by pointer first.
//! [`LiveSite::quick_page`] renders an edited record's own page alone, before all that.

use std::collections::BTreeSet;
use std::sync::Arc;

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;
use tera::Value;

use super::{Page, Site, SiteData, check_unique, feeds, render_pages, render_record_page, reports};
use crate::body_cache::BodyCache;
use crate::content::{Corpus, Record, YearMonth};
use crate::error::Result;
use crate::output::OutputFile;

/// A site rendered once and kept, to be updated after edits.
pub struct LiveSite {
    pub site: Site,
    /// The template value of each record by file (`None`: not shown), reused until the
    /// record changes.
    entries: AHashMap<String, Option<Value>>,
    /// The URL path of each shown record by file: when it changes (a new slug, a record
    /// added, deleted or drafted), links to it from other records change too.
    addresses: AHashMap<String, String>,
    /// The search index's document of each shown record by file, with the body cap
    /// they were made with (a site that grows past a size cuts every body shorter).
    search: (usize, AHashMap<String, Arc<str>>),
    /// The months whose briefings each record file may count in
    /// ([`reports::months_touched`]): an edit makes those again, old and new.
    months: AHashMap<String, Vec<YearMonth>>,
    /// The position of each page in `site.pages` by URL path: the quick page must not
    /// look through a hundred thousand pages (cold memory on a big site) to find its own.
    page_at: AHashMap<String, usize>,
}

/// What [`LiveSite::update`] produced.
#[derive(Debug)]
pub struct Update {
    /// The pages rendered again, then atom.xml, the sitemap files and the search index.
    pub files: Vec<OutputFile>,
    /// Output paths that are no longer part of the site.
    pub removed: Vec<String>,
    /// Output paths of the pages rendered again, in plan order.
    pub rendered: Vec<String>,
    /// Pages in the site now.
    pub total: usize,
}

impl LiveSite {
    /// Renders the whole site ([`Site::for_serve`] then [`Site::render`]) and returns it
    /// with every file, static files and assets included. The report pages keep their
    /// figures but not their values (megabytes a month on a big site): those are made
    /// again when a page is rendered again.
    pub fn new(corpus: &Corpus) -> Result<(LiveSite, Vec<OutputFile>)> {
        LiveSite::taking(corpus, None)
    }

    /// [`LiveSite::new`], taking from `bodies` the Markdown bodies the last build
    /// rendered.
    pub fn taking(
        corpus: &Corpus,
        bodies: Option<&BodyCache>,
    ) -> Result<(LiveSite, Vec<OutputFile>)> {
        let mut site = Site::for_serve(corpus)?;
        let files = site.render_taking(corpus, bodies)?;
        let entries = corpus
            .records
            .iter()
            .zip(&site.data.entries)
            .map(|(r, e)| (r.file.to_string(), e.clone()))
            .collect();
        let mut live = LiveSite {
            page_at: page_positions(&site.pages),
            site,
            entries,
            addresses: addresses(corpus),
            months: months(corpus),
            search: (0, AHashMap::new()),
        };
        let (cap, docs) = live.search_docs(corpus, &AHashSet::new());
        live.search = (cap, docs.into_iter().collect());
        Ok((live, files))
    }

    /// The page of `record`, an edited version of a record of the site, rendered alone
    /// against the site as it is: `serve` shows it at once, before the lists and reports
    /// are brought up to date. `None` when the edit moves the record (another URL, a
    /// draft now) or the record is new: then only a full update is right.
    pub fn quick_page(&self, corpus: &Corpus, record: &Record) -> Result<Option<OutputFile>> {
        if record.draft && !corpus.include_drafts {
            return Ok(None);
        }
        if self.addresses.get(&*record.file) != Some(&record.path) {
            return Ok(None);
        }
        let Some(old) = (self.page_at.get(&record.path)).and_then(|&i| self.site.pages.get(i))
        else {
            return Ok(None);
        };
        let mut page = old.clone();
        let data = &self.site.data;
        let entry = self.site.env.with_items(data.entry(corpus, record))?;
        // The search index is kept per record elsewhere: no text wanted here.
        let (values, _) = reports::record_values(
            corpus,
            data,
            self.site.env.builtin(),
            &self.site.history,
            record,
            &entry,
            0,
            None,
        );
        page.title = record.title.clone();
        page.section = record.kind.folder();
        let links = &self.site.data.links;
        render_record_page(&self.site.env, links, &page, &values).map(Some)
    }

    /// Brings the site up to date with `corpus`, in which the records of `changed`
    /// (content-relative files: edited, added or deleted) differ from the corpus of the
    /// last render. Everything else (configuration, templates, assets) must be as it was;
    /// make a new `LiveSite` when it is not. On error the site stays as it was.
    pub fn update(&mut self, corpus: &Corpus, changed: &BTreeSet<String>) -> Result<Update> {
        let prepared = self.prepare(corpus, changed)?;
        Ok(self.commit(prepared))
    }

    /// The work of [`LiveSite::update`] without changing the site: [`LiveSite::commit`]
    /// puts it in place. `serve` prepares while it validates the corpus, and drops what it
    /// prepared when validation finds errors.
    pub fn prepare(&self, corpus: &Corpus, changed: &BTreeSet<String>) -> Result<Prepared> {
        crate::timing::phase("prepare", || self.prepare_timed(corpus, changed))
    }

    fn prepare_timed(&self, corpus: &Corpus, changed: &BTreeSet<String>) -> Result<Prepared> {
        let addresses = addresses(corpus);
        let mut stale: AHashSet<&str> = changed.iter().map(String::as_str).collect();
        // Records that may link to a record whose URL changed: their HTML changes too.
        let moved: Vec<&str> = changed
            .iter()
            .filter(|f| self.addresses.get(f.as_str()) != addresses.get(f.as_str()))
            .map(|f| f.rsplit_once('/').map_or(f.as_str(), |(_, name)| name))
            .collect();
        if !moved.is_empty() {
            for r in &corpus.records {
                if moved.iter().any(|name| r.body.contains(name)) {
                    stale.insert(&r.file[..]);
                }
            }
        }

        let old = &self.site.data;
        let mut data = SiteData {
            links: old.links.clone(),
            entries: Vec::new(),
            departments: old.departments.clone(),
            people: old.people.clone(),
            person_anchors: old.person_anchors.clone(),
            tags: old.tags.clone(),
            tag_anchors: old.tag_anchors.clone(),
        };
        let shown = |r: &Record| !r.draft || corpus.include_drafts;
        data.entries = crate::timing::phase("entries", || {
            corpus
                .records
                .par_iter()
                .map(|r| match self.entries.get(&*r.file) {
                    Some(entry) if !stale.contains(&r.file[..]) => Ok(entry.clone()),
                    _ => (shown(r).then(|| self.site.env.with_items(data.entry(corpus, r))))
                        .transpose(),
                })
                .collect::<Result<_>>()
        })?;

        let months = months(corpus);
        let touched = changed.iter().flat_map(|f| {
            let old = self.months.get(f).into_iter().flatten();
            old.chain(months.get(f).into_iter().flatten()).copied()
        });
        let reuse = reports::Reuse::new(&self.site.reports, touched);
        let mut nav = self.site.nav.clone();
        let (pages, made) = crate::timing::phase("plan", || {
            let prepared = super::Prepared {
                history: &self.site.history,
                thumbs: &self.site.thumbs,
                env: &self.site.env,
            };
            super::plan_pages(corpus, &data, prepared, &mut nav, Some(&reuse), true, true)
        })?;
        let per_file = self.site.sitemap_urls_per_file;
        let sitemap_paths = feeds::sitemap_paths(&pages, per_file);
        check_unique(
            pages
                .iter()
                .map(|p| p.output.as_str())
                .chain(["atom.xml", super::search::INDEX_PATH])
                .chain(sitemap_paths.iter().map(String::as_str))
                .chain(self.site.theme.statics.iter().map(|(p, _)| p.as_str()))
                .chain(corpus.assets.iter().map(String::as_str)),
        )?;

        let previous: AHashMap<&str, &Page> = self
            .site
            .pages
            .iter()
            .map(|p| (p.output.as_str(), p))
            .collect();
        let selected: Vec<Page> = crate::timing::phase("select", || {
            pages
                .par_iter()
                .filter(|p| needs_render(previous.get(p.output.as_str()).copied(), p, &stale))
                .cloned()
                .collect()
        });
        let completer = reports::Completer::new(corpus, &data, &self.site.env, &self.site.history);
        let mut files = crate::timing::phase("render", || {
            render_pages(&self.site.env, &data.links, &selected, Some(&completer))
        })?;
        files.push(OutputFile::bytes(
            "atom.xml",
            feeds::atom(corpus, &data).into_bytes(),
        ));
        for (path, bytes) in feeds::sitemaps(&pages, &data.links, per_file) {
            files.push(OutputFile::bytes(path, bytes.into_bytes()));
        }
        // An edited record must be found under its new words at once.
        let search = crate::timing::phase("search", || self.search_docs(corpus, &stale));
        files.push(OutputFile::bytes(
            super::search::INDEX_PATH,
            super::search::index_js(corpus, search.1.iter().map(|(_, doc)| &**doc)),
        ));
        let search = (search.0, search.1.into_iter().collect());
        let now: AHashSet<&str> = pages.iter().map(|p| p.output.as_str()).collect();
        let mut removed: Vec<String> = self
            .site
            .pages
            .iter()
            .filter(|p| !now.contains(p.output.as_str()))
            .map(|p| p.output.clone())
            .collect();
        // A site that shrank below a sitemap's worth of pages has numbered sitemaps left.
        let sitemaps_before = feeds::sitemap_paths(&self.site.pages, per_file);
        removed.extend(sitemaps_before.into_iter().skip(sitemap_paths.len()));
        drop(now);
        drop(previous);

        // The values made again, and the files of records that are gone, for the cache.
        let mut fresh: Vec<(String, Option<Value>)> = corpus
            .records
            .iter()
            .zip(&data.entries)
            .filter(|(r, _)| stale.contains(&r.file[..]))
            .map(|(r, e)| (r.file.to_string(), e.clone()))
            .collect();
        fresh.extend(
            changed
                .iter()
                .filter(|f| !corpus.index.by_file.contains_key(f.as_str()))
                .map(|f| (f.clone(), None)),
        );
        Ok(Prepared {
            update: Update {
                files,
                removed,
                rendered: selected.into_iter().map(|p| p.output).collect(),
                total: pages.len(),
            },
            data,
            page_at: page_positions(&pages),
            pages,
            reports: made,
            fresh,
            addresses,
            months,
            search,
        })
    }

    /// The search documents of the visible records, in order: the cached one where the
    /// record did not change, else made again.
    fn search_docs(
        &self,
        corpus: &Corpus,
        stale: &AHashSet<&str>,
    ) -> (usize, Vec<(String, Arc<str>)>) {
        let cap = super::search::body_cap(corpus.index.visible.len());
        let (cached_cap, cached) = &self.search;
        let docs = corpus
            .index
            .visible
            .par_iter()
            .map(|&i| {
                let r = &corpus.records[i];
                let doc = match cached.get(&*r.file) {
                    Some(doc) if *cached_cap == cap && !stale.contains(&r.file[..]) => doc.clone(),
                    _ => Arc::from(super::search::doc_json(corpus, r, cap)),
                };
                (r.file.to_string(), doc)
            })
            .collect();
        (cap, docs)
    }

    /// Puts a prepared update in place and returns what it renders.
    pub fn commit(&mut self, prepared: Prepared) -> Update {
        for (file, entry) in prepared.fresh {
            self.entries.insert(file, entry);
        }
        // The replaced values of a big site take a tenth of a second to free: another
        // thread does it while the update is served.
        let replaced = (
            std::mem::replace(&mut self.addresses, prepared.addresses),
            std::mem::replace(&mut self.months, prepared.months),
            std::mem::replace(&mut self.search, prepared.search),
            std::mem::replace(&mut self.site.reports, prepared.reports),
            std::mem::replace(&mut self.site.data, prepared.data),
            std::mem::replace(&mut self.site.pages, prepared.pages),
            std::mem::replace(&mut self.page_at, prepared.page_at),
        );
        std::thread::spawn(move || drop(replaced));
        prepared.update
    }
}

/// An update worked out but not yet in place (see [`LiveSite::prepare`]).
pub struct Prepared {
    update: Update,
    data: SiteData,
    pages: Vec<Page>,
    reports: reports::Made,
    fresh: Vec<(String, Option<Value>)>,
    addresses: AHashMap<String, String>,
    months: AHashMap<String, Vec<YearMonth>>,
    search: (usize, AHashMap<String, Arc<str>>),
    page_at: AHashMap<String, usize>,
}

/// The position of each page by URL path.
fn page_positions(pages: &[Page]) -> AHashMap<String, usize> {
    (pages.iter().enumerate())
        .map(|(i, p)| (p.path.clone(), i))
        .collect()
}

/// Whether `page` must be rendered again, given what it was last time.
fn needs_render(old: Option<&Page>, page: &Page, stale: &AHashSet<&str>) -> bool {
    let Some(old) = old else { return true };
    old.template != page.template
        || (old.title != page.title || old.section != page.section)
        || !same_files(&old.deps, &page.deps)
        || page.deps.iter().any(|d| stale.contains(&**d))
        || old.context != page.context
}

/// Whether two dependency lists name the same files. Most names are the records' own,
/// shared by both plans: compared by pointer first (std's `Arc<str>` equality always
/// compares the text: its pointer shortcut needs a sized type), a million names on a
/// big site's pages.
fn same_files(a: &[Arc<str>], b: &[Arc<str>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y) || x == y)
}

fn months(corpus: &Corpus) -> AHashMap<String, Vec<YearMonth>> {
    corpus
        .records
        .iter()
        .map(|r| (r.file.to_string(), reports::months_touched(r)))
        .collect()
}

fn addresses(corpus: &Corpus) -> AHashMap<String, String> {
    corpus
        .visible()
        .map(|r| (r.file.to_string(), r.path.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::content::corpus::from_texts;
    use crate::output::Source;

    const ORG: &str = "departments:\n  - {id: mishu, name: 秘书科}\n  - {id: zonghe, name: 综合科}\npeople:\n  - {id: li-na, name: 李娜, department: mishu}\n  - {id: wang-fang, name: 王芳, department: zonghe}\n";
    const RULES: &str = "session_kinds: [集中学习]\ncollective_kinds: [集中学习]\n";

    fn minutes(title: &str, date: &str, dept: &str, who: &str) -> String {
        format!(
            "---\ntitle: {title}\ndate: {date}\ndepartment: {dept}\nkind: 集中学习\nhours: 2\nattendees: [{who}]\n---\n正文\n"
        )
    }

    fn essay(title: &str, date: &str, tag: &str) -> String {
        format!("---\ntitle: {title}\ndate: {date}\nauthor: wang-fang\ntags: [{tag}]\n---\n正文\n")
    }

    fn corpus(files: &[(&str, String)]) -> Corpus {
        let texts: Vec<(&str, &str)> = files.iter().map(|(f, t)| (*f, t.as_str())).collect();
        let (corpus, ds) = from_texts(ORG, RULES, &texts);
        assert!(ds.iter().all(|d| !d.is_error()), "{ds:?}");
        corpus
    }

    fn site() -> Vec<(&'static str, String)> {
        vec![
            (
                "minutes/2026/a.md",
                minutes("二月学习", "2026-02-06", "mishu", "li-na"),
            ),
            (
                "minutes/2026/b.md",
                minutes("三月学习", "2026-03-06", "zonghe", "wang-fang"),
            ),
            ("essays/c.md", essay("读书体会甲", "2026-01-20", "党章")),
        ]
    }

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v
    }

    fn html(update: &Update, output: &str) -> String {
        text_of(&update.files, output)
    }

    #[test]
    fn dependency_lists_compare_by_name_whether_shared_or_not() {
        let a: Arc<str> = Arc::from("minutes/a.md");
        let copy_of_a: Arc<str> = Arc::from("minutes/a.md");
        let b: Arc<str> = Arc::from("essays/b.md");
        let both = [a.clone(), b.clone()];
        assert!(same_files(&both, &both.clone()));
        assert!(same_files(&both[..1], &[copy_of_a]));
        assert!(same_files(&[], &[]));
        assert!(!same_files(&both[..1], &both[1..]));
        assert!(!same_files(&both, &[a]));
    }

    #[test]
    fn only_the_served_site_lists_what_its_report_pages_show() {
        let corpus = corpus(&site());
        let deps = |site: &crate::render::Site, path: &str| -> Vec<String> {
            let page = (site.pages.iter().find(|p| p.path == path))
                .unwrap_or_else(|| panic!("no page {path}"));
            page.deps.iter().map(|d| d.to_string()).collect()
        };
        let served = crate::render::Site::for_serve(&corpus).expect("plan");
        let every = ["essays/c.md", "minutes/2026/a.md", "minutes/2026/b.md"];
        assert_eq!(deps(&served, "briefings/"), every);
        assert_eq!(deps(&served, "evaluation/"), every);
        assert_eq!(deps(&served, "evaluation/2026/"), every);
        assert_eq!(deps(&served, "briefings/2026-02/"), ["minutes/2026/a.md"]);
        // A site written once is never asked: no page keeps a list.
        let built = crate::render::Site::for_build(&corpus).expect("plan");
        assert_eq!(built.pages.len(), served.pages.len());
        assert!(built.pages.iter().all(|p| p.deps.is_empty()));
    }

    #[test]
    fn a_title_edit_renders_the_record_and_the_pages_that_list_it() {
        let before = corpus(&site());
        let (mut live, _) = LiveSite::new(&before).expect("render");
        let mut files = site();
        files[0].1 = minutes("二月集中学习党章", "2026-02-06", "mishu", "li-na");
        let after = corpus(&files);
        let changed = BTreeSet::from(["minutes/2026/a.md".to_string()]);
        let update = live.update(&after, &changed).expect("update");
        assert_eq!(
            sorted(update.rendered.clone()),
            [
                "archive/2026-02/index.html",
                "archive/index.html",
                "briefings/2026-02/index.html",
                "briefings/index.html",
                "departments/index.html",
                "departments/mishu/index.html",
                "evaluation/2026/index.html",
                "evaluation/index.html",
                "index.html",
                "minutes/2026/a/index.html",
                "minutes/index.html",
                "people/li-na/index.html",
                "tags/index.html",
            ],
            "the record, the pages that list it and the reports that count it; not the other records, their months, departments and people, nor 404"
        );
        assert!(update.removed.is_empty());
        assert!(html(&update, "minutes/2026/a/index.html").contains("二月集中学习党章"));
        assert!(html(&update, "minutes/index.html").contains("二月集中学习党章"));
        assert!(html(&update, "index.html").contains("二月集中学习党章"));
        assert!(update.files.iter().any(|f| f.path == "sitemap.xml"));

        // Saving again without a change renders only the pages that show the record.
        let again = live.update(&after, &changed).expect("update");
        assert!(again.rendered.len() <= update.rendered.len());
        assert!(
            again
                .rendered
                .contains(&"minutes/2026/a/index.html".to_string())
        );
    }

    /// The text of `path` among `files`.
    fn text_of(files: &[OutputFile], path: &str) -> String {
        let file = (files.iter().find(|f| f.path == path))
            .unwrap_or_else(|| panic!("no {path} among the files"));
        match &file.source {
            Source::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            other => panic!("{other:?}"),
        }
    }

    /// The `<loc>` addresses of a sitemap file, in order.
    fn locs(xml: &str) -> Vec<String> {
        (xml.split("<loc>").skip(1))
            .filter_map(|rest| rest.split("</loc>").next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_site_past_a_sitemaps_worth_of_pages_lists_them_in_numbered_sitemaps() {
        let corpus = corpus(&site());
        let mut whole = crate::render::Site::new(&corpus).expect("plan");
        let one = text_of(&whole.render(&corpus).expect("render"), "sitemap.xml");
        let every = locs(&one);
        assert!(every.len() > 10, "{every:?}");

        let mut split = crate::render::Site::new(&corpus).expect("plan");
        split.sitemap_urls_per_file = 4;
        let files = split.render(&corpus).expect("render");
        let index = text_of(&files, "sitemap.xml");
        assert!(index.contains("<sitemapindex "), "{index}");
        let parts = locs(&index);
        assert_eq!(parts.len(), every.len().div_ceil(4));
        assert_eq!(parts[0], "/sitemap1.xml");
        // Every page once, in the order of the single sitemap.
        let listed: Vec<String> = (1..=parts.len())
            .flat_map(|k| locs(&text_of(&files, &format!("sitemap{k}.xml"))))
            .collect();
        assert_eq!(listed, every);

        // Written into a folder by a build, the same files.
        let dir = tempfile::tempdir().expect("tmp");
        let mut built = crate::render::Site::for_build(&corpus).expect("plan");
        built.sitemap_urls_per_file = 4;
        built
            .write(&corpus, &dir.path().join("public"), None, None)
            .expect("write");
        for k in 0..=parts.len() {
            let path = match k {
                0 => "sitemap.xml".to_string(),
                k => format!("sitemap{k}.xml"),
            };
            let written = std::fs::read_to_string(dir.path().join("public").join(&path))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(written, text_of(&files, &path), "{path}");
        }
        assert!(
            !(dir.path().join("public"))
                .join(format!("sitemap{}.xml", parts.len() + 1))
                .exists()
        );
    }

    #[test]
    fn the_preview_adds_and_takes_away_numbered_sitemaps_as_the_site_grows_and_shrinks() {
        let before = corpus(&site());
        let (mut live, first) = LiveSite::new(&before).expect("render");
        // Exactly one sitemap's worth of pages: one more record splits it.
        live.site.sitemap_urls_per_file = locs(&text_of(&first, "sitemap.xml")).len();

        let mut files = site();
        files.push(("essays/d.md", essay("读书体会乙", "2026-01-22", "党章")));
        let grown = corpus(&files);
        let added = BTreeSet::from(["essays/d.md".to_string()]);
        let update = live.update(&grown, &added).expect("update");
        assert!(text_of(&update.files, "sitemap.xml").contains("<sitemapindex "));
        assert!(text_of(&update.files, "sitemap2.xml").contains("<urlset "));
        assert!(update.removed.is_empty(), "{:?}", update.removed);

        let update = live.update(&before, &added).expect("update");
        assert!(text_of(&update.files, "sitemap.xml").contains("<urlset "));
        assert!(!update.files.iter().any(|f| f.path.starts_with("sitemap1")));
        assert_eq!(
            sorted(update.removed.clone()),
            ["essays/d/index.html", "sitemap1.xml", "sitemap2.xml"]
        );
    }

    #[test]
    fn a_deleted_record_takes_its_page_away() {
        let before = corpus(&site());
        let (mut live, _) = LiveSite::new(&before).expect("render");
        let files: Vec<_> = site()
            .into_iter()
            .filter(|(f, _)| *f != "essays/c.md")
            .collect();
        let after = corpus(&files);
        let changed = BTreeSet::from(["essays/c.md".to_string()]);
        let update = live.update(&after, &changed).expect("update");
        assert_eq!(
            sorted(update.removed.clone()),
            [
                "archive/2026-01/index.html",
                "briefings/2026-01/index.html",
                "essays/c/index.html",
                "tags/党章/index.html",
            ]
        );
        for page in [
            "essays/index.html",
            "people/wang-fang/index.html",
            "index.html",
        ] {
            assert!(update.rendered.iter().any(|p| p == page), "{page}");
        }
        assert!(!html(&update, "essays/index.html").contains("读书体会甲"));
        assert!(
            !update
                .rendered
                .iter()
                .any(|p| p.starts_with("minutes/2026/")),
            "other records stay"
        );
    }

    #[test]
    fn a_new_record_and_a_moved_date_reach_every_list() {
        let before = corpus(&site());
        let (mut live, _) = LiveSite::new(&before).expect("render");
        let mut files = site();
        files.push(("essays/d.md", essay("新心得", "2026-03-21", "调研")));
        files[1].1 = minutes("三月学习", "2026-04-06", "zonghe", "wang-fang");
        let after = corpus(&files);
        let changed = BTreeSet::from(["essays/d.md".to_string(), "minutes/2026/b.md".to_string()]);
        let update = live.update(&after, &changed).expect("update");
        for page in [
            "essays/d/index.html",
            "tags/调研/index.html",
            "archive/2026-04/index.html",
            "minutes/2026/b/index.html",
        ] {
            assert!(update.rendered.iter().any(|p| p == page), "{page}");
        }
        assert!(update.removed.is_empty(), "2026-03 still has the new essay");
        assert!(!html(&update, "archive/2026-03/index.html").contains("三月学习"));
        assert!(!update.rendered.iter().any(|p| p == "essays/c/index.html"));
    }

    #[test]
    fn a_record_linking_to_a_renamed_one_is_rendered_again() {
        let mut files = site();
        files[1].1.push_str("\n见[心得](../../essays/c.md)。\n");
        let before = corpus(&files);
        let (mut live, _) = LiveSite::new(&before).expect("render");
        files[2].1 = essay("读书体会甲", "2026-01-20", "党章").replace("tags", "slug: xinde\ntags");
        let after = corpus(&files);
        let changed = BTreeSet::from(["essays/c.md".to_string()]);
        let update = live.update(&after, &changed).expect("update");
        assert!(html(&update, "minutes/2026/b/index.html").contains("/essays/xinde/"));
        assert!(update.removed.contains(&"essays/c/index.html".to_string()));
    }

    /// The files of a render by path, as text.
    fn by_path(files: Vec<OutputFile>) -> BTreeMap<String, String> {
        files
            .into_iter()
            .filter_map(|f| match f.source {
                Source::Bytes(b) => Some((f.path, String::from_utf8_lossy(&b).into_owned())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_edited_plan_updates_the_briefing_before_its_schedule_and_no_other_month() {
        let plan = |topic: &str| {
            format!(
                "---\ntitle: 全办年度计划\ndate: 2026-01-05\nscope: org\nperiod: 2026\nschedule:\n  - {{date: 2026-03-10, topic: {topic}, kind: 集中学习}}\n---\n"
            )
        };
        let mut files = site();
        files.push(("plans/2026.md", plan("党史专题学习")));
        files.push((
            "minutes/2025/old.md",
            minutes("去年六月学习", "2025-06-06", "mishu", "li-na"),
        ));
        let before = corpus(&files);
        let (mut live, first) = LiveSite::new(&before).expect("render");
        let served = by_path(first);
        assert!(served["briefings/2026-02/index.html"].contains("党史专题学习"));

        files[3].1 = plan("法治专题学习");
        let after = corpus(&files);
        let changed = BTreeSet::from(["plans/2026.md".to_string()]);
        let update = live.update(&after, &changed).expect("update");
        assert!(html(&update, "briefings/2026-02/index.html").contains("法治专题学习"));
        for untouched in ["briefings/2025-06/index.html", "evaluation/2025/index.html"] {
            assert!(
                !update.rendered.iter().any(|p| p == untouched),
                "{untouched} counts nothing of the plan"
            );
        }

        assert_same_as_a_full_build(served, update, &after);
    }

    /// What serve shows after `update` is what a build from scratch of `after` writes.
    fn assert_same_as_a_full_build(
        mut served: BTreeMap<String, String>,
        update: Update,
        after: &Corpus,
    ) {
        for path in update.removed {
            served.remove(&path);
        }
        served.extend(by_path(update.files));
        let fresh = by_path(super::super::render_site(after).expect("render"));
        assert_eq!(
            served.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>()
        );
        for (path, text) in &fresh {
            assert!(served[path] == *text, "{path} differs from a full build");
        }
    }

    #[test]
    fn an_edited_case_updates_the_gallery_pages_that_show_it() {
        let case = |title: &str, level: &str| {
            format!(
                "---\ntitle: {title}\ndate: 2026-03-02\nperson: li-na\nlevel: {level}\ntags: [党章]\n---\n正文\n"
            )
        };
        let mut files = site();
        files.push(("cases/k.md", case("窗口服务典型", "city")));
        let before = corpus(&files);
        let (mut live, first) = LiveSite::new(&before).expect("render");
        let served = by_path(first);

        files[3].1 = case("窗口服务新典型", "province");
        let after = corpus(&files);
        let changed = BTreeSet::from(["cases/k.md".to_string()]);
        let update = live.update(&after, &changed).expect("update");
        for page in [
            "gallery/index.html",
            "gallery/level/province/index.html",
            "gallery/tag/党章/index.html",
        ] {
            assert!(html(&update, page).contains("窗口服务新典型"), "{page}");
        }
        assert!(
            update
                .removed
                .contains(&"gallery/level/city/index.html".to_string())
        );
        assert_same_as_a_full_build(served, update, &after);
    }
}
