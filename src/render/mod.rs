//! From a loaded Corpus to the files of the site, in memory: the theme and the Tera
//! environment (`theme`, `env`), the template data shared between pages (`data`), the
//! page plan (`plan`), the feed and sitemap (`feeds`). Nothing here writes files (that
//! is `output`) or computes figures (that is `stats`).
//!
//! Adding pages (briefings, evaluation, search): make a [`Site`], push [`Page`]s onto
//! `site.pages` (and entries onto `site.nav`), then call [`Site::render`].

pub mod briefing;
mod builtin;
pub mod data;
pub mod env;
pub mod evaluation;
pub mod feeds;
mod fields;
pub mod gallery;
pub mod html;
pub mod incremental;
pub mod plan;
pub mod reports;
pub mod search;
pub mod theme;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use tera::Value;

pub use data::{Links, SiteData};
pub use env::{Env, NavItem};
use fields::Fields;
pub use plan::Page;
use reports::Deferred;
use search::PreparedDocs;
pub use theme::Theme;

use crate::body_cache::BodyCache;
use crate::content::{Corpus, Kind};
use crate::error::{Error, Result};
use crate::output::{OutputFile, Source};

/// Everything needed to render a site, prepared once.
pub struct Site {
    pub theme: Theme,
    pub data: SiteData,
    pub env: Env,
    pub nav: Vec<NavItem>,
    pub pages: Vec<Page>,
    /// The git history of the content files, read once (empty outside a repository).
    pub history: BTreeMap<String, crate::git::FileHistory>,
    /// Gallery thumbnails of the case covers, written under `thumbs/`.
    pub thumbs: Vec<crate::images::Thumbnail>,
    /// The report pages with their figures, for `serve` to reuse after an edit.
    pub reports: reports::Made,
    /// Problems met while preparing (a cover that is not an image); the build goes on.
    pub warnings: Vec<crate::error::Diagnostic>,
    /// The most pages one sitemap file lists: [`feeds::SITEMAP_URLS`], but in tests.
    pub(crate) sitemap_urls_per_file: usize,
}

/// Every page of the site: records, lists and taxonomies, the gallery and search pages,
/// then the pages made from figures (briefings, evaluation, ledgers), which also add
/// their navigation entries. `Site::new` and the incremental preview both plan through
/// here, so they never differ.
pub(crate) fn plan_pages(
    corpus: &Corpus,
    data: &SiteData,
    prepared: Prepared,
    nav: &mut Vec<NavItem>,
    reuse: Option<&reports::Reuse>,
    defer_reports: bool,
    keep_deps: bool,
) -> Result<(Vec<Page>, reports::Made)> {
    use crate::timing::phase;
    let Prepared {
        history,
        thumbs,
        env,
    } = prepared;
    // The reports are computed beside the other pages: neither needs the other, and
    // the gallery alone would leave a core idle.
    let (pages, reports) = rayon::join(
        || -> Result<Vec<Page>> {
            let overview = crate::stats::overview::latest(corpus);
            let mut pages = phase("plan records", || {
                plan::plan(corpus, data, overview.as_ref(), keep_deps)
            });
            let by_source = thumbs.iter().map(|t| (t.source.as_str(), t)).collect();
            pages.extend(phase("plan gallery", || {
                gallery::pages(corpus, data, &by_source, Some(env))
            })?);
            pages.push(search::search_page(corpus, data));
            Ok(pages)
        },
        || {
            phase("plan reports", || {
                reports::plan(corpus, data, env, history, reuse, defer_reports, keep_deps)
            })
        },
    );
    let mut pages = pages?;
    let made = reports.attach(&mut pages, nav, &data.links);
    Ok((pages, made))
}

/// What a site has made before it plans its pages, besides its data.
pub(crate) struct Prepared<'a> {
    pub history: &'a BTreeMap<String, crate::git::FileHistory>,
    pub thumbs: &'a [crate::images::Thumbnail],
    /// For the components rendered once (gallery cards).
    pub env: &'a Env,
}

impl Site {
    /// Loads the theme, compiles the templates, renders every record's Markdown and
    /// plans every page, with all their values (what `serve` keeps and compares).
    pub fn new(corpus: &Corpus) -> Result<Site> {
        Site::planned(corpus, false, true)
    }

    /// Like [`Site::new`] for a site that is written once ([`Site::write`]): the
    /// briefing and evaluation pages get their values only when they are rendered, so
    /// a big site never holds every report's values at once, and the pages do not list
    /// the records they show ([`plan::Page::deps`]: only `serve` asks).
    pub fn for_build(corpus: &Corpus) -> Result<Site> {
        Site::planned(corpus, true, false)
    }

    /// Like [`Site::for_build`], with the records each page shows: the site `serve`
    /// keeps, to bring up to date after an edit.
    pub(crate) fn for_serve(corpus: &Corpus) -> Result<Site> {
        Site::planned(corpus, true, true)
    }

    fn planned(corpus: &Corpus, defer_reports: bool, keep_deps: bool) -> Result<Site> {
        let theme = Theme::load(&corpus.root, &corpus.site.theme)?;
        let mut data = crate::timing::phase("site data", || SiteData::new(corpus));
        let mut nav = default_nav(&data.links);
        // The navigation is complete only once the report pages are planned: `render`
        // and `write` set it again.
        let env = Env::new(&theme, site_value(corpus, &data.links), &nav)?;
        crate::timing::phase("list items", || data.add_items(&env))?;
        // One `git log` for the whole content tree per build (empty outside a repository).
        let history = crate::timing::phase("git history", || crate::git::history(&corpus.root));
        let (thumbs, warnings) = crate::timing::phase("thumbnails", || {
            crate::images::thumbnails(&corpus.root, &case_covers(corpus))
        });
        let prepared = Prepared {
            history: &history,
            thumbs: &thumbs,
            env: &env,
        };
        let (pages, reports) = plan_pages(
            corpus,
            &data,
            prepared,
            &mut nav,
            None,
            defer_reports,
            keep_deps,
        )?;
        Ok(Site {
            theme,
            data,
            env,
            nav,
            pages,
            history,
            thumbs,
            reports,
            warnings,
            sitemap_urls_per_file: feeds::SITEMAP_URLS,
        })
    }

    /// Renders every page (in parallel), the feed and the sitemap, and lists the static
    /// files and assets to copy. Fails on the first template error, naming the page.
    /// Keeps every page in memory, as `serve` wants; `build` calls [`Site::write`].
    pub fn render(&mut self, corpus: &Corpus) -> Result<Vec<OutputFile>> {
        self.render_taking(corpus, None)
    }

    /// [`Site::render`], taking from `bodies` the Markdown bodies the last build rendered.
    pub fn render_taking(
        &mut self,
        corpus: &Corpus,
        bodies: Option<&BodyCache>,
    ) -> Result<Vec<OutputFile>> {
        self.env.set_nav(&self.nav)?;
        // The report pages of a site planned for a build get their values as they are
        // rendered.
        let completer = reports::Completer::new(corpus, &self.data, &self.env, &self.history)
            .keeping_search_docs()
            .with_bodies(bodies);
        let mut files = render_pages(&self.env, &self.data.links, &self.pages, Some(&completer))?;
        files.push(OutputFile::bytes(
            "atom.xml",
            feeds::atom(corpus, &self.data).into_bytes(),
        ));
        let per_file = self.sitemap_urls_per_file;
        for (path, bytes) in feeds::sitemaps(&self.pages, &self.data.links, per_file) {
            files.push(OutputFile::bytes(path, bytes.into_bytes()));
        }
        let mut index = Vec::new();
        let docs = completer.search_docs().map(PreparedDocs::take);
        // Writing to memory cannot fail.
        let _ = search::write_search_index(corpus, &mut index, docs.unwrap_or_default());
        files.push(OutputFile::bytes(search::INDEX_PATH, index));
        files.extend(self.copied_files(corpus));
        check_unique(files.iter().map(|f| f.path.as_str()))?;
        Ok(files)
    }

    /// Renders the site straight into `output` ([`crate::output::write_site_generated`]):
    /// each page is written as soon as it is rendered and then dropped. The record pages
    /// go first and leave the search documents, made from their own rendering; the
    /// search index is started next and frees them as it writes them. Returns the number
    /// of pages and feeds written and of files copied, and what changed in `output`.
    /// With a `manifest` file, a later build writes only the files that changed
    /// ([`crate::output`]); with `bodies`, it renders only the bodies that changed.
    pub fn write(
        &mut self,
        corpus: &Corpus,
        output: &std::path::Path,
        manifest: Option<&std::path::Path>,
        bodies: Option<&BodyCache>,
    ) -> Result<(usize, usize, crate::output::Changes)> {
        /// One generated file.
        enum Made {
            Page(usize),
            SearchIndex,
            Atom,
            /// The sitemap file of that place in [`feeds::sitemap_paths`].
            Sitemap(usize),
        }
        self.env.set_nav(&self.nav)?;
        let files = self.copied_files(corpus);
        let (records, others): (Vec<usize>, Vec<usize>) = (0..self.pages.len())
            .partition(|&i| matches!(self.pages[i].deferred, Some(Deferred::Record(_))));
        // After the record pages, the slowest first: the search index, then the report
        // pages (a year's evaluation makes megabytes of values). The first jobs are done
        // one after the other by the thread that starts (the other starts halfway down
        // the list), so two reports rarely hold their values at the same time (a tenth
        // of a big build's peak memory), and no report is left to run alone at the end.
        let (reports, others): (Vec<usize>, Vec<usize>) = others
            .into_iter()
            .partition(|&i| self.pages[i].deferred.is_some());
        let first = records.len();
        let per_file = self.sitemap_urls_per_file;
        let sitemap_paths = feeds::sitemap_paths(&self.pages, per_file);
        let made: Vec<Made> = (records.into_iter().map(Made::Page))
            .chain([Made::SearchIndex])
            .chain(reports.into_iter().map(Made::Page))
            .chain(others.into_iter().map(Made::Page))
            .chain([Made::Atom])
            .chain((0..sitemap_paths.len()).map(Made::Sitemap))
            .collect();
        let generated: Vec<&str> = (made.iter())
            .map(|m| match m {
                Made::Page(i) => self.pages[*i].output.as_str(),
                Made::SearchIndex => search::INDEX_PATH,
                Made::Atom => "atom.xml",
                Made::Sitemap(k) => sitemap_paths[*k].as_str(),
            })
            .collect();
        check_unique(
            generated
                .iter()
                .copied()
                .chain(files.iter().map(|f| f.path.as_str())),
        )?;
        let templates = Templates::new(&self.env, &self.data.links);
        let completer = reports::Completer::new(corpus, &self.data, &self.env, &self.history)
            .keeping_search_docs()
            .with_bodies(bodies);
        let sitemaps = std::sync::OnceLock::new();
        let produce = |i: usize, out: &mut crate::output::Generated| -> Result<()> {
            match made.get(i) {
                Some(Made::Page(i)) => {
                    let page = &self.pages[*i];
                    match &page.deferred {
                        Some(deferred) => {
                            let complete = crate::timing::tally(
                                deferred.values_name(),
                                |_| 0,
                                || completer.complete(page),
                            );
                            templates.render_completed(
                                &self.env,
                                page,
                                complete.as_ref(),
                                out.bytes,
                            )?
                        }
                        None => templates.render_into(&self.env, page, None, out.bytes)?,
                    }
                }
                Some(Made::SearchIndex) => {
                    let docs = completer.search_docs().map(PreparedDocs::take);
                    search::write_search_index(corpus, out, docs.unwrap_or_default())
                        .map_err(|e| Error::io(std::path::Path::new(search::INDEX_PATH), e))?
                }
                Some(Made::Atom) => {
                    (out.bytes).extend_from_slice(feeds::atom(corpus, &self.data).as_bytes())
                }
                Some(Made::Sitemap(k)) => {
                    // Made once, by the first of their jobs, as the URLs are sorted whole.
                    let sitemaps = sitemaps
                        .get_or_init(|| feeds::sitemaps(&self.pages, &self.data.links, per_file));
                    if let Some((_, bytes)) = sitemaps.get(*k) {
                        out.bytes.extend_from_slice(bytes.as_bytes());
                    }
                }
                None => {}
            }
            Ok(())
        };
        let changes = crate::output::write_site_generated(
            output, manifest, &files, &generated, first, &produce,
        )?;
        let copied = files
            .iter()
            .filter(|f| !matches!(f.source, Source::Bytes(_)))
            .count();
        Ok((generated.len() + files.len() - copied, copied, changes))
    }

    /// Files that are not rendered: thumbnails, the theme's static files, the content's
    /// assets.
    fn copied_files(&self, corpus: &Corpus) -> Vec<OutputFile> {
        let mut files = Vec::new();
        // Two covers with the same bytes share one thumbnail file.
        let mut thumb_paths = BTreeSet::new();
        for t in &self.thumbs {
            if thumb_paths.insert(t.path.as_str()) {
                files.push(OutputFile::bytes(t.path.clone(), t.bytes.clone()));
            }
        }
        for (rel, source) in &self.theme.statics {
            files.push(OutputFile {
                path: rel.clone(),
                source: source.clone(),
            });
        }
        for asset in &corpus.assets {
            files.push(OutputFile {
                path: asset.clone(),
                source: Source::File(corpus.root.join(asset)),
            });
        }
        files
    }
}

/// The covers of the visible cases, content-relative, sorted, each once.
fn case_covers(corpus: &Corpus) -> Vec<String> {
    let covers: BTreeSet<&str> = corpus
        .visible()
        .filter_map(|r| r.case()?.cover.as_deref())
        .collect();
    covers.into_iter().map(str::to_string).collect()
}

/// Renders the whole site of a corpus: [`Site::new`] then [`Site::render`].
pub fn render_site(corpus: &Corpus) -> Result<Vec<OutputFile>> {
    Site::new(corpus)?.render(corpus)
}

/// Renders `pages` in parallel, keeping their order. A report page planned without its
/// values gets them from `completer` just for its rendering: a big site never holds
/// every month's at once.
pub fn render_pages(
    env: &Env,
    links: &Links,
    pages: &[Page],
    completer: Option<&reports::Completer>,
) -> Result<Vec<OutputFile>> {
    let templates = Templates::new(env, links);
    pages
        .par_iter()
        .map(|page| {
            let complete = completer.and_then(|c| c.complete(page));
            let mut out = Vec::new();
            templates.render_completed(env, page, complete.as_ref(), &mut out)?;
            Ok(OutputFile::bytes(page.output.clone(), out))
        })
        .collect()
}

/// Renders the page of a record with `values` (see [`reports::record_values`]).
pub fn render_record_page(
    env: &Env,
    links: &Links,
    page: &Page,
    values: &reports::RecordValues,
) -> Result<OutputFile> {
    let mut out = Vec::new();
    Templates::new(env, links).render_into(env, page, Some(values), &mut out)?;
    Ok(OutputFile::bytes(page.output.clone(), out))
}

/// The names of the compiled templates, to pick the template of each page, and the
/// links to make each page's `page` value with.
struct Templates<'a> {
    names: HashSet<&'a str>,
    links: &'a Links,
    /// The biggest page each template has rendered so far in this build. A page gets
    /// that much room before tera writes it: a big site's report pages (a briefing or
    /// an evaluation of a thousand departments, megabytes each) were grown by doubling,
    /// every step a fresh block whose pages the kernel had to fault in and zero, and
    /// the bytes copied again.
    biggest: HashMap<&'a str, AtomicUsize>,
}

impl<'a> Templates<'a> {
    fn new(env: &'a Env, links: &'a Links) -> Self {
        let names: HashSet<&str> = env.tera.get_template_names().collect();
        Templates {
            biggest: names.iter().map(|&n| (n, AtomicUsize::new(0))).collect(),
            names,
            links,
        }
    }

    /// Renders `page` at the end of `out`, with the values `complete` made for it when
    /// it was deferred.
    fn render_completed(
        &self,
        env: &Env,
        page: &Page,
        complete: Option<&reports::Completed>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        match complete {
            Some(reports::Completed::Page(page)) => self.render_into(env, page, None, out),
            Some(reports::Completed::Record(values)) => {
                self.render_into(env, page, Some(values), out)
            }
            None => self.render_into(env, page, None, out),
        }
    }

    /// Renders one page at the end of `out`; a record page with its `record` values. A
    /// template error names the page.
    fn render_into(
        &self,
        env: &Env,
        page: &Page,
        record: Option<&reports::RecordValues>,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let mut template = page.template.as_str();
        // A theme may keep one template for every kind of record.
        if !self.names.contains(template)
            && Kind::ALL
                .iter()
                .any(|k| template.strip_suffix(".html") == Some(k.name()))
        {
            template = "record.html";
        }
        let start = out.len();
        crate::timing::tally(
            template,
            |written: &Result<usize>| *written.as_ref().unwrap_or(&0),
            || {
                let made = match record {
                    Some(r) => env.record_page(template, &page.title, page.section, r),
                    None => env.list_page(template, &page.title, page.section, &page.context),
                };
                if let Some(made) = made {
                    if out.is_empty() {
                        // The page's own buffer becomes the output: not copied again.
                        *out = made.into_bytes();
                    } else {
                        out.extend_from_slice(made.as_bytes());
                    }
                    return Ok(out.len() - start);
                }
                // A few pointers copied: the values are shared.
                let mut context = page.context.clone();
                if let Some(record) = record {
                    context.insert_value("entry", record.entry_with_parts());
                    context.insert_value("history", record.history.clone());
                }
                context.insert_value("page", plan::page_value(self.links, page));
                if let Some(chrome) = env.chrome(page.section) {
                    context.insert_value("chrome", chrome);
                }
                let biggest = self.biggest.get(template);
                if let Some(biggest) = biggest {
                    out.reserve(biggest.load(Ordering::Relaxed));
                }
                env.render_to(template, &context, &mut *out)?;
                let size = out.len() - start;
                if let Some(biggest) = biggest {
                    biggest.fetch_max(size, Ordering::Relaxed);
                }
                Ok(size)
            },
        )
        .map(|_| ())
        .map_err(|e| match e {
            Error::Template(m) => {
                Error::Template(format!("rendering /{} with {template}: {m}", page.path))
            }
            other => other,
        })
    }
}

/// Two files may not claim the same output path (a record whose path is a list page's).
pub(crate) fn check_unique<'a>(paths: impl Iterator<Item = &'a str>) -> Result<()> {
    // ahash: a big site checks a hundred thousand paths after every edit in `serve`.
    let mut seen = ahash::AHashSet::new();
    for path in paths {
        if !seen.insert(path) {
            return Err(Error::Usage(format!(
                "two outputs want the same file `{path}`: rename a record (slug) or an asset"
            )));
        }
    }
    Ok(())
}

/// The navigation bar of the default site, in order.
pub fn default_nav(links: &Links) -> Vec<NavItem> {
    [
        ("home", "首页", ""),
        ("plans", "学习计划", "plans/"),
        ("minutes", "学习记录", "minutes/"),
        ("essays", "心得文章", "essays/"),
        ("cases", "典型案例", "cases/"),
        ("gallery", "先进风采", "gallery/"),
        ("departments", "科室", "departments/"),
        ("archive", "归档", "archive/"),
        ("tags", "标签", "tags/"),
    ]
    .into_iter()
    .map(|(key, label, path)| NavItem {
        key: key.into(),
        label: label.into(),
        url: links.url(path),
    })
    .collect()
}

/// The `site` value of every template.
fn site_value(corpus: &Corpus, links: &Links) -> Value {
    let site = &corpus.site;
    let mut m = Fields::new();
    m.insert("title", html::text_value(&site.title));
    m.insert("description", html::text_value(&site.description));
    m.insert("base_url", html::text_value(links.base()));
    m.insert("language", Value::from(site.language.as_str()));
    m.insert("bulletin", Value::from_serializable(&site.bulletin));
    m.insert("feed_url", html::text_value(&links.url("atom.xml")));
    m.insert("style_url", html::text_value(&links.url("style.css")));
    m.insert(
        "build_time",
        if site.build_timestamp {
            Value::from(chrono::Local::now().format("%Y-%m-%d %H:%M").to_string())
        } else {
            Value::none()
        },
    );
    Value::from(m)
}
