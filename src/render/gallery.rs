//! The exemplar gallery (先进风采): one card per case with its cover thumbnail, and
//! pre-rendered filter pages by department, level, year and tag, so filtering works
//! without JavaScript. `static/gallery.js` filters the cards of the all-cases page in
//! place when a filter link is clicked (progressive enhancement); every card carries
//! the data attributes it needs.
//!
//! Thumbnails are made before planning (`images::thumbnails`, in [`super::Site::new`])
//! and passed in, so this module only arranges values.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use super::data::{SiteData, tag_slug};
use super::env::Env;
use super::fields::Fields as Map;
use super::plan::Page;
use crate::content::{Corpus, Kind};
use crate::error::Result;
use crate::images::Thumbnail;

/// A filter dimension and the cases that fall under each of its values.
struct Group {
    key: &'static str,
    label: &'static str,
    /// (value used in URLs and data attributes, label, case indexes), in display order.
    items: Vec<(String, String, Vec<usize>)>,
}

/// The filter value of one case in each dimension.
struct CaseKeys {
    department: String,
    level: String,
    year: String,
    tags: Vec<String>,
}

/// Every gallery page: `gallery/` with all cases, then one page per filter value.
/// `thumbs` maps a cover's content-relative path to its thumbnail. With `env`, each
/// card carries its HTML, rendered once ([`Env::with_card_html`]).
pub fn pages(
    corpus: &Corpus,
    data: &SiteData,
    thumbs: &BTreeMap<&str, &Thumbnail>,
    env: Option<&Env>,
) -> Result<Vec<Page>> {
    let cases: Vec<usize> = corpus
        .index
        .by_kind
        .get(&Kind::Case)
        .cloned()
        .unwrap_or_default();
    let keys: BTreeMap<usize, CaseKeys> =
        cases.iter().map(|&i| (i, case_keys(corpus, i))).collect();
    let groups = groups(corpus, &cases, &keys);
    let cards: BTreeMap<usize, Value> = cases
        .par_iter()
        .filter_map(|&i| Some((i, card(corpus, data, thumbs, i, &keys[&i])?)))
        .map(|(i, card)| match env {
            Some(env) => Ok((i, env.with_card_html(card)?)),
            None => Ok((i, card)),
        })
        .collect::<Result<_>>()?;
    let files_of = |indexes: &[usize]| -> Vec<Arc<str>> {
        (indexes.iter())
            .map(|&i| corpus.records[i].file.clone())
            .collect()
    };
    let cards_of = |indexes: &[usize]| -> Value {
        Value::from(
            indexes
                .iter()
                .filter_map(|i| cards.get(i).cloned())
                .collect::<Vec<_>>(),
        )
    };
    // One filter bar for every page (the template marks the current value). A page
    // depends on the cases it shows; the bar's counts are in its context, which `serve`
    // compares too.
    let bar = filter_bar(data, &groups);

    let mut pages = Vec::new();
    let mut push =
        |path: String, title: String, template: &str, mut ctx: Context, deps: Vec<Arc<str>>| {
            ctx.insert_value("filters", bar.clone());
            ctx.insert_value("all_url", Value::from(data.links.url("gallery/")));
            ctx.insert_value("script_url", Value::from(data.links.url("gallery.js")));
            pages.push(Page {
                output: format!("{path}index.html"),
                path,
                template: template.into(),
                title,
                section: "gallery",
                context: ctx,
                deps,
                in_sitemap: true,
                lastmod: None,
                deferred: None,
            });
        };
    let cards_page = |shown: Value, filter: Value| {
        let mut ctx = Context::new();
        ctx.insert_value("cards", shown);
        ctx.insert_value("filter", filter);
        ctx
    };
    push(
        "gallery/".into(),
        "先进风采".into(),
        "gallery.html",
        cards_page(cards_of(&cases), Value::none()),
        files_of(&cases),
    );
    for g in &groups {
        if g.items.len() > BAR_VALUES {
            let mut ctx = Context::new();
            ctx.insert_value("group", Value::from(group_map(data, g, g.items.iter())));
            push(
                format!("gallery/{}/", g.key),
                format!("先进风采 · 按{}", g.label),
                "gallery_values.html",
                ctx,
                Vec::new(),
            );
        }
        for (value, label, indexes) in &g.items {
            let mut filter = Map::new();
            filter.insert("group", Value::from(g.key));
            filter.insert("group_label", Value::from(g.label));
            filter.insert("value", Value::from(value.as_str()));
            filter.insert("label", Value::from(label.as_str()));
            push(
                format!("gallery/{}/{value}/", g.key),
                format!("先进风采 · {label}"),
                "gallery.html",
                cards_page(cards_of(indexes), Value::from(filter)),
                files_of(indexes),
            );
        }
    }
    Ok(pages)
}

fn case_keys(corpus: &Corpus, i: usize) -> CaseKeys {
    let r = &corpus.records[i];
    let level = r
        .case()
        .and_then(|c| c.level)
        .and_then(|l| serde_json::to_value(l).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    CaseKeys {
        department: corpus
            .department_of(r)
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        level,
        year: r.month().map(|m| m.year.to_string()).unwrap_or_default(),
        tags: r.tags.iter().map(|t| tag_slug(t)).collect(),
    }
}

/// The filter groups, each value with the cases under it; values without cases left out.
fn groups(corpus: &Corpus, cases: &[usize], keys: &BTreeMap<usize, CaseKeys>) -> Vec<Group> {
    let collect = |key: &dyn Fn(&CaseKeys) -> Vec<String>| -> BTreeMap<String, Vec<usize>> {
        let mut m: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in cases {
            for k in key(&keys[&i]) {
                if !k.is_empty() {
                    m.entry(k).or_default().push(i);
                }
            }
        }
        m
    };
    let mut by_dept = collect(&|k| vec![k.department.clone()]);
    let departments = corpus
        .org
        .departments
        .iter()
        .filter_map(|d| {
            let indexes = by_dept.remove(d.id.as_str())?;
            Some((d.id.to_string(), d.name.clone(), indexes))
        })
        .collect();
    let mut by_level = collect(&|k| vec![k.level.clone()]);
    let levels = [
        crate::content::record::Level::Unit,
        crate::content::record::Level::County,
        crate::content::record::Level::City,
        crate::content::record::Level::Province,
        crate::content::record::Level::National,
    ]
    .into_iter()
    .filter_map(|l| {
        let name = serde_json::to_value(l).ok()?.as_str()?.to_string();
        let indexes = by_level.remove(&name)?;
        Some((name, l.label_zh().to_string(), indexes))
    })
    .collect();
    let years = collect(&|k| vec![k.year.clone()])
        .into_iter()
        .rev()
        .map(|(y, indexes)| (y.clone(), format!("{y}年"), indexes))
        .collect();
    // A tag's label is the first spelling met among the cases (tags differing only in
    // characters a URL cannot hold share a slug, as on the tag pages).
    let mut tag_names: BTreeMap<String, String> = BTreeMap::new();
    for &i in cases {
        for t in &corpus.records[i].tags {
            tag_names.entry(tag_slug(t)).or_insert_with(|| t.clone());
        }
    }
    let tags = collect(&|k| k.tags.clone())
        .into_iter()
        .map(|(slug, mut indexes)| {
            indexes.dedup();
            let name = tag_names
                .get(&slug)
                .cloned()
                .unwrap_or_else(|| slug.clone());
            (slug, name, indexes)
        })
        .collect();
    vec![
        Group {
            key: "department",
            label: "科室",
            items: departments,
        },
        Group {
            key: "level",
            label: "级别",
            items: levels,
        },
        Group {
            key: "year",
            label: "年份",
            items: years,
        },
        Group {
            key: "tag",
            label: "标签",
            items: tags,
        },
    ]
    .into_iter()
    .filter(|g| !g.items.is_empty())
    .collect()
}

/// A group shows at most this many values in the filter bar (those with the most
/// cases); a group with more gets a page listing every value (`gallery/department/`).
/// A county with hundreds of units would otherwise repeat hundreds of links on each of
/// hundreds of filter pages: a gallery growing with the square of the site.
pub const BAR_VALUES: usize = 30;

/// The filter bar of every gallery page: each group with the links of its values (the
/// template marks the current one) and, when it holds too many to show, `more`: the
/// URL of the page that lists them all, and their number.
fn filter_bar(data: &SiteData, groups: &[Group]) -> Value {
    let groups: Vec<Value> = groups
        .iter()
        .map(|g| {
            let mut shown: Vec<&(String, String, Vec<usize>)> = g.items.iter().collect();
            if shown.len() > BAR_VALUES {
                // The biggest, kept in the group's display order.
                let mut by_size: Vec<usize> = (0..shown.len()).collect();
                by_size.sort_by_key(|&i| std::cmp::Reverse(shown[i].2.len()));
                let mut keep: Vec<usize> = by_size.into_iter().take(BAR_VALUES).collect();
                keep.sort_unstable();
                shown = keep.into_iter().map(|i| shown[i]).collect();
            }
            let mut value = group_map(data, g, shown.into_iter());
            if g.items.len() > BAR_VALUES {
                let mut more = Map::new();
                more.insert(
                    "url",
                    Value::from(data.links.url(&format!("gallery/{}/", g.key))),
                );
                more.insert("count", Value::from(g.items.len()));
                value.insert("more", Value::from(more));
            }
            Value::from(value)
        })
        .collect();
    Value::from(groups)
}

/// `{key, label, items: [{value, label, count, url}]}` of a group, with the given items.
fn group_map<'a>(
    data: &SiteData,
    g: &Group,
    items: impl Iterator<Item = &'a (String, String, Vec<usize>)>,
) -> Map {
    let items: Vec<Value> = items
        .map(|(value, label, indexes)| {
            let mut m = Map::new();
            m.insert("value", Value::from(value.as_str()));
            m.insert("label", Value::from(label.as_str()));
            m.insert("count", Value::from(indexes.len()));
            m.insert(
                "url",
                Value::from(data.links.url(&format!("gallery/{}/{value}/", g.key))),
            );
            Value::from(m)
        })
        .collect();
    let mut m = Map::new();
    m.insert("key", Value::from(g.key));
    m.insert("label", Value::from(g.label));
    m.insert("items", Value::from(items));
    m
}

/// One card: the case's entry, its thumbnail (or none: the template shows the cover
/// itself, or a placeholder) and the filter values for the data attributes.
fn card(
    corpus: &Corpus,
    data: &SiteData,
    thumbs: &BTreeMap<&str, &Thumbnail>,
    i: usize,
    keys: &CaseKeys,
) -> Option<Value> {
    let entry = data.entries.get(i).cloned().flatten()?;
    let thumb = corpus.records[i]
        .case()
        .and_then(|c| c.cover.as_deref())
        .and_then(|cover| thumbs.get(cover))
        .map_or_else(Value::none, |t| {
            let mut m = Map::new();
            m.insert("url", Value::from(data.links.url(&t.path)));
            m.insert("width", Value::from(t.width));
            m.insert("height", Value::from(t.height));
            Value::from(m)
        });
    let mut m = Map::new();
    m.insert("entry", entry);
    m.insert("thumb", thumb);
    m.insert("department", Value::from(keys.department.as_str()));
    m.insert("level", Value::from(keys.level.as_str()));
    m.insert("year", Value::from(keys.year.as_str()));
    m.insert("tags", Value::from(keys.tags.join(" ")));
    Some(Value::from(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::corpus::from_texts;

    #[test]
    fn filter_pages_hold_the_cases_of_their_value() {
        let org = "departments:\n  - {id: mishu, name: 秘书科}\n  - {id: caiwu, name: 财务科}\npeople:\n  - {id: li-na, name: 李娜, department: mishu}\n  - {id: wang-fang, name: 王芳, department: caiwu}\n";
        let rules = "session_kinds: [集中学习]\n";
        let a = "---\ntitle: 甲\ndate: 2026-03-20\nperson: li-na\nlevel: city\ntags: [党章, AI 应用]\n---\n正文\n";
        let b = "---\ntitle: 乙\ndate: 2025-05-02\nperson: wang-fang\nlevel: unit\ntags: [党章]\n---\n正文\n";
        let (corpus, ds) = from_texts(org, rules, &[("cases/a.md", a), ("cases/b.md", b)]);
        assert!(ds.is_empty(), "{ds:?}");
        let data = SiteData::new(&corpus);
        let pages = pages(&corpus, &data, &BTreeMap::new(), None).expect("pages");
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "gallery/",
                "gallery/department/mishu/",
                "gallery/department/caiwu/",
                "gallery/level/unit/",
                "gallery/level/city/",
                "gallery/year/2026/",
                "gallery/year/2025/",
                "gallery/tag/ai-应用/",
                "gallery/tag/党章/",
            ]
        );
        let count = |path: &str| {
            let page = pages.iter().find(|p| p.path == path).expect(path);
            let cards = page.context.get("cards").expect("cards");
            cards.len().unwrap_or(0)
        };
        assert_eq!(count("gallery/"), 2);
        assert_eq!(count("gallery/department/caiwu/"), 1);
        assert_eq!(count("gallery/tag/党章/"), 2);
        assert_eq!(count("gallery/year/2025/"), 1);
    }

    #[test]
    fn pages_print_the_cards_made_once_as_the_component_makes_them() {
        let org = "departments:\n  - {id: mishu, name: 秘书科}\npeople:\n  - {id: li-na, name: 李娜, department: mishu}\n";
        let rules = "session_kinds: [集中学习]\n";
        let a = "---\ntitle: 甲 & 乙\ndate: 2026-03-20\nperson: li-na\nlevel: city\ntags: [党章]\n---\n正文\n";
        let (corpus, ds) = from_texts(org, rules, &[("cases/a.md", a)]);
        assert!(ds.is_empty(), "{ds:?}");
        let data = SiteData::new(&corpus);
        let theme = crate::render::theme::Theme::embedded().expect("theme");
        let site = crate::render::site_value(&corpus, &data.links);
        let env = Env::new(&theme, site, &[]).expect("env");
        let made = pages(&corpus, &data, &BTreeMap::new(), Some(&env)).expect("pages");
        let plain = pages(&corpus, &data, &BTreeMap::new(), None).expect("pages");
        let html = made[0]
            .context
            .get("cards")
            .and_then(|c| c.get_from_path("0.html"));
        assert!(
            html.and_then(Value::as_str)
                .is_some_and(|h| h.contains("甲 &amp; 乙"))
        );
        let render = |page: &Page| {
            let page = std::slice::from_ref(page);
            let files = crate::render::render_pages(&env, &data.links, page, None);
            match files.expect("render").pop().map(|f| f.source) {
                Some(crate::output::Source::Bytes(bytes)) => {
                    String::from_utf8(bytes).expect("utf-8")
                }
                _ => panic!("no page"),
            }
        };
        assert_eq!(render(&made[0]), render(&plain[0]));
    }

    #[test]
    fn a_group_with_many_values_shows_the_biggest_and_gets_a_page_of_all() {
        let n = BAR_VALUES + 3;
        let mut org = String::from("departments:\n");
        for d in 0..n {
            org.push_str(&format!("  - {{id: d{d}, name: 科室{d}}}\n"));
        }
        org.push_str("people:\n");
        for d in 0..n {
            org.push_str(&format!(
                "  - {{id: p{d}, name: 人员{d}, department: d{d}}}\n"
            ));
        }
        // Department d0 has two cases: it must stay in the bar.
        let texts: Vec<(String, String)> = (0..n)
            .chain([0])
            .enumerate()
            .map(|(i, d)| {
                (
                    format!("cases/c{i}.md"),
                    format!(
                        "---\ntitle: 案例{i}\ndate: 2026-03-{:02}\nperson: p{d}\n---\n正文\n",
                        1 + i % 28
                    ),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(f, t)| (f.as_str(), t.as_str()))
            .collect();
        let (corpus, ds) = from_texts(&org, "session_kinds: [集中学习]\n", &refs);
        assert!(ds.is_empty(), "{ds:?}");
        let data = SiteData::new(&corpus);
        let pages = pages(&corpus, &data, &BTreeMap::new(), None).expect("pages");
        let all = pages
            .iter()
            .find(|p| p.path == "gallery/")
            .expect("gallery");
        let bar = all.context.get("filters").expect("filters");
        let departments = bar.get_from_path("0").expect("the department group");
        let items = departments.get_from_path("items").expect("items");
        assert_eq!(items.len(), Some(BAR_VALUES));
        assert_eq!(
            items
                .get_from_path("0.value")
                .and_then(|v| v.as_str().map(String::from)),
            Some("d0".into())
        );
        assert_eq!(
            departments
                .get_from_path("more.count")
                .and_then(|v| v.as_number().and_then(|n| n.as_integer())),
            Some(n as i128)
        );
        let list = pages
            .iter()
            .find(|p| p.path == "gallery/department/")
            .expect("the page of every department");
        assert_eq!(list.template, "gallery_values.html");
        let listed = list
            .context
            .get("group")
            .and_then(|g| g.get_from_path("items"));
        assert_eq!(listed.and_then(|i| i.len()), Some(n));
        for d in 0..n {
            let path = format!("gallery/department/d{d}/");
            assert!(pages.iter().any(|p| p.path == path), "{path}");
        }
    }
}
