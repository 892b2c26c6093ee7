//! The page plan: every page of the site, with its output path, template and context,
//! and the record files it shows, so `serve` can re-render only the pages an edit
//! touches. Planning only arranges shared values (see `data`); it computes no figures.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use super::data::{Links, SiteData, tag_slug};
use super::fields::Fields;
use super::reports::Deferred;
use crate::content::{Corpus, Kind, YearMonth};
use crate::stats::overview::Overview;

/// One page to render.
#[derive(Debug, Clone)]
pub struct Page {
    /// Output path relative to the output directory (`minutes/2026/a/index.html`).
    pub output: String,
    /// Site-relative URL path (`minutes/2026/a/`; empty for the home page).
    pub path: String,
    pub template: String,
    /// The page's title and the section of the navigation it belongs to: the `page`
    /// value is made of them (and the path) when the page is rendered, see
    /// [`page_value`], not kept for every page of the site.
    pub title: String,
    pub section: &'static str,
    pub context: Context,
    /// Files (content-relative) of the records shown on the page, for `serve` to know
    /// what an edit changes (see [`plan`]).
    pub deps: Vec<Arc<str>>,
    /// Whether the page belongs in sitemap.xml.
    pub in_sitemap: bool,
    /// The day the page's content last changed, for the sitemap (a record's date).
    pub lastmod: Option<String>,
    /// A page planned without some of its values (a record page without its HTML, a
    /// report page with none): they are made when it is rendered, see
    /// [`super::reports::Completer`].
    pub deferred: Option<Deferred>,
}

/// The dependency list of pages that show `indexes`: empty for a site that is built
/// once, which never asks (a pointer per record per page: megabytes on a big site).
struct Deps<'a> {
    files: &'a [Arc<str>],
    corpus: &'a Corpus,
    keep: bool,
}

impl Deps<'_> {
    fn of(&self, indexes: &[usize]) -> Vec<Arc<str>> {
        if !self.keep {
            return Vec::new();
        }
        indexes.iter().map(|&i| self.files[i].clone()).collect()
    }

    fn all(&self) -> Vec<Arc<str>> {
        self.of(&self.corpus.index.visible)
    }
}

struct Planner<'a> {
    corpus: &'a Corpus,
    data: &'a SiteData,
    deps: &'a Deps<'a>,
    pages: Vec<Page>,
}

/// The page numbers a paginator links to on page `current` of `total`: all of them
/// when they are few, else the first, the last and two either side of the current one,
/// with `None` for each gap. A list of 4,000 pages linking every page from every page
/// would grow with the square of the site.
pub fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    const AROUND: usize = 2;
    if total <= 2 * AROUND + 5 {
        return (1..=total).map(Some).collect();
    }
    // A gap stands for two pages or more: hiding a single page would save nothing.
    let mut from = current.saturating_sub(AROUND).max(2);
    if from == 3 {
        from = 2;
    }
    let mut to = (current + AROUND).min(total - 1);
    if to + 2 == total {
        to = total - 1;
    }
    let mut window = vec![Some(1)];
    if from > 2 {
        window.push(None);
    }
    window.extend((from..=to).map(Some));
    if to < total - 1 {
        window.push(None);
    }
    window.push(Some(total));
    window
}

/// Plans every page of the site. The sections are planned in parallel (a big site has
/// a hundred thousand record pages and as many list pages), then put in a fixed order.
/// Without `keep_deps`, the pages' [`Page::deps`] are left empty (a site built once).
pub fn plan(
    corpus: &Corpus,
    data: &SiteData,
    overview: Option<&Overview>,
    keep_deps: bool,
) -> Vec<Page> {
    let files: Vec<Arc<str>> = corpus.records.iter().map(|r| r.file.clone()).collect();
    let deps = Deps {
        files: &files,
        corpus,
        keep: keep_deps,
    };
    let section = |plan_section: &(dyn Fn(&mut Planner) + Sync)| -> Vec<Page> {
        let mut p = Planner {
            corpus,
            data,
            deps: &deps,
            pages: Vec::new(),
        };
        plan_section(&mut p);
        p.pages
    };
    let sections: [&(dyn Fn(&mut Planner) + Sync); 7] = [
        &|p| p.home(overview),
        &|p| p.records(),
        &|p| Kind::ALL.into_iter().for_each(|kind| p.kind_list(kind)),
        &|p| p.departments(),
        &|p| p.people(),
        &|p| p.tags(),
        // The gallery is planned by `render::gallery`, which needs the thumbnails.
        &|p| {
            p.archive();
            p.not_found();
        },
    ];
    let planned: Vec<Vec<Page>> = sections.par_iter().map(|s| section(*s)).collect();
    // Put together at their exact size, with room for the gallery and report pages
    // added later: grown by doubling, a big site's pages were copied over and over.
    let planned_pages = planned.iter().map(Vec::len).sum::<usize>();
    let mut pages = Vec::with_capacity(planned_pages + planned_pages / 16 + 64);
    for mut section in planned {
        pages.append(&mut section);
    }
    pages
}

/// The `page` value every template gets: where the page is and what it is called.
pub(crate) fn page_value(links: &Links, page: &Page) -> Value {
    let mut m = Fields::new();
    m.insert("path", Value::from(page.path.as_str()));
    m.insert("url", Value::from(links.url(&page.path)));
    m.insert("title", Value::from(page.title.as_str()));
    m.insert("section", Value::from(page.section));
    Value::from(m)
}

fn month_label(ym: YearMonth) -> String {
    format!("{}年{}月", ym.year, ym.month)
}

impl Planner<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        path: String,
        template: &str,
        title: &str,
        section: &'static str,
        context: Context,
        deps: Vec<Arc<str>>,
        lastmod: Option<String>,
    ) {
        self.pages.push(Page {
            output: [&path, "index.html"].concat(),
            path,
            template: template.to_string(),
            title: title.to_string(),
            section,
            context,
            deps,
            in_sitemap: true,
            lastmod,
            deferred: None,
        });
    }

    /// Paginated pages of `indexes` at `base`, `base/page/2/`, ...; `extra` goes into
    /// every page's context.
    #[allow(clippy::too_many_arguments)]
    fn paginated(
        &mut self,
        base: &str,
        template: &str,
        title: &str,
        section: &'static str,
        indexes: &[usize],
        extra: &[(&'static str, Value)],
    ) {
        let per_page = self.corpus.site.paginate.max(1);
        let total = indexes.len().div_ceil(per_page).max(1);
        let page_path = |n: usize| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}page/{n}/")
            }
        };
        // One value per page number (and one gap), shared by every window that shows it.
        let numbers: Vec<Value> = (1..=total)
            .map(|k| {
                let mut m = Fields::new();
                m.insert("number", Value::from(k));
                m.insert("url", Value::from(self.data.links.url(&page_path(k))));
                Value::from(m)
            })
            .collect();
        let gap = Value::from(BTreeMap::from([("gap", Value::from(true))]));
        let number = |k: Option<usize>| -> Value {
            k.map_or_else(|| gap.clone(), |k| numbers[k - 1].clone())
        };
        for n in 1..=total {
            let chunk: &[usize] = if indexes.is_empty() {
                &[]
            } else {
                &indexes[(n - 1) * per_page..(n * per_page).min(indexes.len())]
            };
            let mut pager = Fields::new();
            pager.insert("current", Value::from(n));
            pager.insert("total", Value::from(total));
            pager.insert("count", Value::from(indexes.len()));
            // The URL of page k (1-based), none outside the list.
            let url = |k: usize| {
                (k.checked_sub(1).and_then(|i| numbers.get(i)))
                    .and_then(|v| v.get_from_path("url").cloned())
                    .unwrap_or_else(Value::none)
            };
            pager.insert("prev", url(n - 1));
            pager.insert("next", url(n + 1));
            let numbers: Vec<Value> = page_window(n, total).into_iter().map(number).collect();
            pager.insert("pages", Value::from(numbers));
            let mut ctx = Context::new();
            ctx.insert_value("entries", Value::from(self.data.list(chunk)));
            ctx.insert_value("paginator", Value::from(pager));
            for (k, v) in extra {
                ctx.insert_value(*k, v.clone());
            }
            let page_title = if n == 1 {
                title.to_string()
            } else {
                format!("{title}（第{n}页）")
            };
            let deps = self.deps.of(chunk);
            self.add(
                page_path(n),
                template,
                &page_title,
                section,
                ctx,
                deps,
                None,
            );
        }
    }

    fn home(&mut self, overview: Option<&Overview>) {
        let per_page = self.corpus.site.paginate.max(1);
        let visible = &self.corpus.index.visible;
        let latest = &visible[..per_page.min(visible.len())];
        let mut ctx = Context::new();
        ctx.insert_value("latest", Value::from(self.data.list(latest)));
        let overview = overview.map_or_else(Value::none, |o| {
            let mut m = Fields::new();
            m.insert("month", Value::from(o.month.to_string()));
            m.insert("month_label", Value::from(month_label(o.month)));
            m.insert(
                "month_url",
                Value::from(self.data.links.url(&format!("archive/{}/", o.month))),
            );
            m.insert("sessions", Value::from(o.sessions));
            m.insert("collective_sessions", Value::from(o.collective_sessions));
            m.insert("essays", Value::from(o.essays));
            m.insert("cases", Value::from(o.cases));
            m.insert(
                "self_study_hours",
                Value::from(super::data::number_label(o.self_study_hours)),
            );
            Value::from(m)
        });
        ctx.insert_value("overview", overview);
        let title = self.corpus.site.title.clone();
        // The figures cover every record of their month: any edit may change them.
        let deps = self.deps.all();
        self.add(String::new(), "index.html", &title, "home", ctx, deps, None);
    }

    fn records(&mut self) {
        self.pages.reserve_exact(self.corpus.index.visible.len());
        for &i in &self.corpus.index.visible {
            let r = &self.corpus.records[i];
            if self.data.entries[i].is_none() {
                continue;
            }
            let template = [r.kind.name(), ".html"].concat();
            let lastmod = r.date.map(crate::content::types::iso_date);
            let deps = self.deps.of(&[i]);
            let section = r.kind.folder();
            self.add(
                r.path.clone(),
                &template,
                &r.title,
                section,
                // The entry and the history come when the page is rendered: see
                // `Deferred::Record`.
                Context::new(),
                deps,
                lastmod,
            );
            if let Some(page) = self.pages.last_mut() {
                page.deferred = Some(Deferred::Record(r.file.clone()));
            }
        }
    }

    fn kind_value(&self, kind: Kind) -> Value {
        let mut m = Fields::new();
        m.insert("name", Value::from(kind.name()));
        m.insert("label", Value::from(kind.label_zh()));
        m.insert(
            "url",
            Value::from(self.data.links.url(&format!("{}/", kind.folder()))),
        );
        Value::from(m)
    }

    fn kind_list(&mut self, kind: Kind) {
        let indexes = self
            .corpus
            .index
            .by_kind
            .get(&kind)
            .cloned()
            .unwrap_or_default();
        let extra = [("kind", self.kind_value(kind))];
        let base = format!("{}/", kind.folder());
        self.paginated(
            &base,
            "list.html",
            kind.label_zh(),
            kind.folder(),
            &indexes,
            &extra,
        );
    }

    /// Records of `indexes` grouped by kind, in the order plans, minutes, cases, essays;
    /// empty groups left out.
    fn sections(&self, indexes: &[usize]) -> Value {
        let groups: Vec<Value> = Kind::ALL
            .into_iter()
            .filter_map(|kind| {
                let of_kind: Vec<usize> = indexes
                    .iter()
                    .copied()
                    .filter(|&i| self.corpus.records[i].kind == kind)
                    .collect();
                if of_kind.is_empty() {
                    return None;
                }
                let mut m = Fields::new();
                m.insert("kind", self.kind_value(kind));
                m.insert("entries", Value::from(self.data.list(&of_kind)));
                Some(Value::from(m))
            })
            .collect();
        Value::from(groups)
    }

    fn departments(&mut self) {
        let mut all = Vec::new();
        for d in &self.corpus.org.departments {
            let indexes = self
                .corpus
                .index
                .by_department
                .get(&d.id)
                .cloned()
                .unwrap_or_default();
            let people: Vec<Value> = self
                .corpus
                .org
                .people_of(d.id.as_str())
                .filter_map(|p| self.data.people.get(p.id.as_str()).cloned())
                .collect();
            let Some(dept) = self.data.departments.get(d.id.as_str()).cloned() else {
                continue;
            };
            let mut summary = Fields::new();
            summary.insert("department", dept.clone());
            summary.insert("people", Value::from(people.clone()));
            summary.insert("record_count", Value::from(indexes.len()));
            all.push(Value::from(summary));

            let mut ctx = Context::new();
            ctx.insert_value("department", dept);
            ctx.insert_value("people", Value::from(people));
            ctx.insert_value("entries", Value::from(self.data.list(&indexes)));
            ctx.insert_value("sections", self.sections(&indexes));
            let deps = self.deps.of(&indexes);
            self.add(
                format!("departments/{}/", d.id),
                "department.html",
                &d.name,
                "departments",
                ctx,
                deps,
                None,
            );
        }
        let mut ctx = Context::new();
        ctx.insert_value("departments", Value::from(all));
        self.add(
            "departments/".into(),
            "departments.html",
            "科室",
            "departments",
            ctx,
            self.deps.all(), // it shows counts: any record may change them
            None,
        );
    }

    fn people(&mut self) {
        for person in &self.corpus.org.people {
            let Some(value) = self.data.people.get(person.id.as_str()).cloned() else {
                continue;
            };
            let indexes = self
                .corpus
                .index
                .by_person
                .get(&person.id)
                .cloned()
                .unwrap_or_default();
            let (mut essays, mut cases, mut plans, mut attended, mut hosted) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let mut missed = Vec::new();
            for &i in &indexes {
                let r = &self.corpus.records[i];
                let Some(entry) = self.data.entries[i].clone() else {
                    continue;
                };
                let is_me = |id: Option<&crate::content::PersonId>| id == Some(&person.id);
                match r.kind {
                    Kind::Essay if r.essay().is_some_and(|e| is_me(e.author.as_ref())) => {
                        essays.push(entry)
                    }
                    Kind::Case if r.case().is_some_and(|c| is_me(c.person.as_ref())) => {
                        cases.push(entry)
                    }
                    Kind::Plan if r.plan().is_some_and(|p| is_me(p.person.as_ref())) => {
                        plans.push(entry)
                    }
                    Kind::Minutes => {
                        let Some(m) = r.minutes() else { continue };
                        if is_me(m.host.as_ref()) {
                            hosted.push(entry.clone());
                        }
                        if m.attendees.contains(&person.id) {
                            attended.push(entry);
                        } else if let Some(a) = m.absent.iter().find(|a| a.person == person.id) {
                            let mut x = Fields::new();
                            x.insert("entry", entry);
                            x.insert("reason", Value::from(a.reason.as_str()));
                            missed.push(Value::from(x));
                        }
                    }
                    _ => {}
                }
            }
            let mut ctx = Context::new();
            ctx.insert_value("person", value);
            ctx.insert_value("essays", Value::from(essays));
            ctx.insert_value("cases", Value::from(cases));
            ctx.insert_value("plans", Value::from(plans));
            ctx.insert_value("attended", Value::from(attended));
            ctx.insert_value("missed", Value::from(missed));
            ctx.insert_value("hosted", Value::from(hosted));
            let deps = self.deps.of(&indexes);
            self.add(
                format!("people/{}/", person.id),
                "person.html",
                &person.name,
                "departments",
                ctx,
                deps,
                None,
            );
        }
        let groups: Vec<Value> = self
            .corpus
            .org
            .departments
            .iter()
            .filter_map(|d| {
                let mut m = Fields::new();
                m.insert(
                    "department",
                    self.data.departments.get(d.id.as_str())?.clone(),
                );
                let people: Vec<Value> = self
                    .corpus
                    .org
                    .people_of(d.id.as_str())
                    .filter_map(|p| self.data.people.get(p.id.as_str()).cloned())
                    .collect();
                m.insert("people", Value::from(people));
                Some(Value::from(m))
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert_value("groups", Value::from(groups));
        self.add(
            "people/".into(),
            "people.html",
            "人员",
            "departments",
            ctx,
            Vec::new(),
            None,
        );
    }

    fn tags(&mut self) {
        // Tags that differ only in characters a URL cannot hold share one page.
        let mut by_slug: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
        for (tag, indexes) in &self.corpus.index.by_tag {
            let entry = by_slug
                .entry(tag_slug(tag))
                .or_insert_with(|| (tag.clone(), Vec::new()));
            entry.1.extend(indexes.iter().copied());
        }
        let mut all = Vec::new();
        for (slug, (name, mut indexes)) in by_slug {
            indexes.sort_unstable();
            indexes.dedup();
            let mut tag = Fields::new();
            tag.insert("name", Value::from(name.as_str()));
            tag.insert("url", Value::from(self.data.links.tag(&name)));
            tag.insert("count", Value::from(indexes.len()));
            let tag = Value::from(tag);
            all.push(tag.clone());
            let base = format!("tags/{slug}/");
            self.paginated(
                &base,
                "tag.html",
                &format!("标签：{name}"),
                "tags",
                &indexes,
                &[("tag", tag)],
            );
        }
        let mut ctx = Context::new();
        ctx.insert_value("tags", Value::from(all));
        self.add(
            "tags/".into(),
            "tags.html",
            "标签",
            "tags",
            ctx,
            self.deps.all(), // it shows counts: any record may change them
            None,
        );
    }

    fn archive(&mut self) {
        let by_month = &self.corpus.index.by_month;
        let mut years: BTreeMap<i32, Vec<Value>> = BTreeMap::new();
        for year in by_month.keys().map(|m| m.year) {
            years.entry(year).or_insert_with(|| {
                (1..=12)
                    .map(|month| {
                        let ym = YearMonth { year, month };
                        let count = by_month.get(&ym).map_or(0, Vec::len);
                        let mut m = Fields::new();
                        m.insert("month", Value::from(ym.to_string()));
                        m.insert("number", Value::from(month));
                        m.insert("label", Value::from(month_label(ym)));
                        m.insert("count", Value::from(count));
                        m.insert(
                            "url",
                            if count > 0 {
                                Value::from(self.data.links.url(&format!("archive/{ym}/")))
                            } else {
                                Value::none()
                            },
                        );
                        Value::from(m)
                    })
                    .collect()
            });
        }
        let years: Vec<Value> = years
            .into_iter()
            .rev()
            .map(|(year, months)| {
                let mut m = Fields::new();
                m.insert("year", Value::from(year));
                m.insert("months", Value::from(months));
                Value::from(m)
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert_value("years", Value::from(years));
        let all = self.deps.all();
        self.add(
            "archive/".into(),
            "archive.html",
            "归档",
            "archive",
            ctx,
            all,
            None,
        );

        for (ym, indexes) in by_month {
            let mut month = Fields::new();
            month.insert("month", Value::from(ym.to_string()));
            month.insert("label", Value::from(month_label(*ym)));
            month.insert(
                "url",
                Value::from(self.data.links.url(&format!("archive/{ym}/"))),
            );
            let mut ctx = Context::new();
            ctx.insert_value("month", Value::from(month));
            ctx.insert_value("entries", Value::from(self.data.list(indexes)));
            ctx.insert_value("sections", self.sections(indexes));
            let deps = self.deps.of(indexes);
            self.add(
                format!("archive/{ym}/"),
                "month.html",
                &month_label(*ym),
                "archive",
                ctx,
                deps,
                None,
            );
        }
    }

    fn not_found(&mut self) {
        self.pages.push(Page {
            output: "404.html".into(),
            path: "404.html".into(),
            template: "404.html".into(),
            title: "页面未找到".into(),
            section: "",
            context: Context::new(),
            deps: Vec::new(),
            in_sitemap: false,
            lastmod: None,
            deferred: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::corpus::from_texts;

    #[test]
    fn every_page_knows_the_records_it_shows() {
        let org = "departments:\n  - {id: mishu, name: 秘书科}\npeople:\n  - {id: li-na, name: 李娜, department: mishu}\n";
        let rules = "session_kinds: [集中学习]\ncollective_kinds: [集中学习]\n";
        let essay = "---\ntitle: 心得\ndate: 2026-03-20\nauthor: li-na\ntags: [党章]\n---\n正文\n";
        let minutes = "---\ntitle: 学习\ndate: 2026-02-06\ndepartment: mishu\nkind: 集中学习\nhours: 2\nattendees: [li-na]\n---\n正文\n";
        let (corpus, ds) = from_texts(
            org,
            rules,
            &[("essays/a.md", essay), ("minutes/b.md", minutes)],
        );
        assert!(ds.is_empty(), "{ds:?}");
        let data = SiteData::new(&corpus);
        let pages = plan(&corpus, &data, None, true);
        let deps = |path: &str| -> Vec<String> {
            let page = pages
                .iter()
                .find(|p| p.path == path)
                .unwrap_or_else(|| panic!("no page {path}"));
            page.deps.iter().map(|d| d.to_string()).collect()
        };
        assert_eq!(deps("essays/a/"), ["essays/a.md"]);
        assert_eq!(deps("tags/党章/"), ["essays/a.md"]);
        assert_eq!(deps("people/li-na/"), ["essays/a.md", "minutes/b.md"]);
        assert_eq!(deps("archive/2026-02/"), ["minutes/b.md"]);
        assert_eq!(deps(""), ["essays/a.md", "minutes/b.md"]);
        let mut outputs: Vec<&str> = pages.iter().map(|p| p.output.as_str()).collect();
        let n = outputs.len();
        outputs.sort();
        outputs.dedup();
        assert_eq!(outputs.len(), n, "no two pages share an output");
        // A site built once plans the same pages, without their records.
        let built = plan(&corpus, &data, None, false);
        assert_eq!(built.len(), pages.len());
        assert!(built.iter().all(|p| p.deps.is_empty()));
    }

    #[test]
    fn a_long_list_links_the_ends_and_the_pages_around_the_current_one() {
        let w = |current, total| -> Vec<String> {
            page_window(current, total)
                .into_iter()
                .map(|n| n.map_or("…".into(), |n| n.to_string()))
                .collect()
        };
        assert_eq!(w(1, 1), ["1"]);
        assert_eq!(w(5, 9), ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert_eq!(w(1, 400), ["1", "2", "3", "…", "400"]);
        assert_eq!(w(4, 400), ["1", "2", "3", "4", "5", "6", "…", "400"]);
        assert_eq!(
            w(200, 400),
            ["1", "…", "198", "199", "200", "201", "202", "…", "400"]
        );
        assert_eq!(w(400, 400), ["1", "…", "398", "399", "400"]);
        for total in 1..40 {
            for current in 1..=total {
                let pages = page_window(current, total);
                assert!(pages.contains(&Some(current)) && pages.contains(&Some(total)));
                assert!(pages.len() <= 11, "{current}/{total}");
                for pair in pages.windows(3) {
                    if let [Some(a), None, Some(b)] = pair {
                        assert!(b - a > 2, "a gap for one page: {current}/{total}");
                    }
                }
            }
        }
    }
}
