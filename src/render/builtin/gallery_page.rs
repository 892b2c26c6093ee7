//! The content block of the default theme's gallery.html, written in Rust: the filter
//! bar (every group's values, the current one marked) and the cards, each printed from
//! the markup made once per case (`card.html`). A gallery has a page per filter value,
//! each with the whole bar; tera's walk through the bar's loops was most of the cost of
//! those pages. Printed as the template prints it (tested to be equal in tests/build.rs,
//! a `more` link and text to escape included).

use std::sync::atomic::AtomicU8;

use tera::{Context, Value};

use super::pages::{print, truthy};
use super::{field, looped};

const CURRENT: &str = " class=\"current\" aria-current=\"page\"";

/// gallery.html's content block for its `context` (`filter`, `filters`, `all_url`,
/// `cards`, `script_url`: see [`crate::render::gallery::pages`]); `None` for a value
/// the template would print otherwise (a card without its markup, among others).
pub(super) fn gallery(out: &mut String, context: &Context) -> Option<()> {
    let filter = truthy(context.get("filter"));
    out.push_str("\n<h1>先进风采");
    if let Some(f) = filter {
        out.push_str("<span class=\"filter-title\"> · ");
        print(out, field(f, "group_label", hint!())?)?;
        out.push('：');
        print(out, field(f, "label", hint!())?)?;
        out.push_str("</span>");
    }
    out.push_str("</h1>\n");
    if let Some(groups) = truthy(context.get("filters")) {
        filter_bar(out, groups.as_array()?, filter, context.get("all_url")?)?;
    }
    out.push('\n');
    let cards = looped(context.get("cards"))?;
    if cards.is_empty() {
        out.push_str("<p class=\"empty\">暂无典型案例。</p>");
    } else {
        out.push_str("\n<p class=\"gallery-count\" aria-live=\"polite\">共 <span class=\"n\">");
        out.push_str(itoa::Buffer::new().format(cards.len()));
        out.push_str("</span> 个案例</p>\n<ul class=\"gallery\"");
        if filter.is_none() {
            out.push_str(" id=\"gallery-all\"");
        }
        out.push_str(">\n");
        for card in cards {
            // `{% if card.html %}{{ card.html }}{% else %}` the component.
            let html = truthy(field(card, "html", hint!()))?;
            print(out, html)?;
            out.push('\n');
        }
        out.push_str("</ul>\n");
    }
    out.push('\n');
    if filter.is_none() && !cards.is_empty() {
        out.push_str("<script src=\"");
        print(out, context.get("script_url")?)?;
        out.push_str("\" defer></script>");
    }
    out.push('\n');
    Some(())
}

/// The `<nav>` of the filter groups, the value of `filter` marked as the current one.
fn filter_bar(
    out: &mut String,
    groups: &[Value],
    filter: Option<&Value>,
    all_url: &Value,
) -> Option<()> {
    // `filter.group == g.key and filter.value == f.value`, as strings: anything else is
    // left to the template's comparison.
    let current = match filter {
        Some(f) => Some((
            field(f, "group", hint!())?.as_str()?,
            field(f, "value", hint!())?.as_str()?,
        )),
        None => None,
    };
    out.push_str(
        "<nav class=\"gallery-filters\" aria-label=\"筛选典型案例\">\n  \
         <p class=\"filter-all\"><a href=\"",
    );
    print(out, all_url)?;
    out.push_str("\" data-filter=\"\"");
    if filter.is_none() {
        out.push_str(CURRENT);
    }
    out.push_str(">全部案例</a></p>\n  ");
    for g in groups {
        let (key, label) = (field(g, "key", hint!())?, field(g, "label", hint!())?);
        out.push_str("<div class=\"filter-group\">\n    <span class=\"filter-label\">");
        print(out, label)?;
        out.push_str("</span>\n    <ul>");
        let items = match field(g, "items", hint!())? {
            v if v.is_none() => &[][..],
            v => v.as_array()?,
        };
        for item in items {
            let value = field(item, "value", hint!())?;
            out.push_str("<li><a href=\"");
            print(out, field(item, "url", hint!())?)?;
            out.push_str("\" data-filter=\"");
            print(out, key)?;
            out.push_str("\" data-value=\"");
            print(out, value)?;
            out.push('"');
            if let Some((group, chosen)) = current
                && group == key.as_str()?
                && chosen == value.as_str()?
            {
                out.push_str(CURRENT);
            }
            out.push('>');
            print(out, field(item, "label", hint!())?)?;
            out.push_str("<span class=\"count\">");
            print(out, field(item, "count", hint!())?)?;
            out.push_str("</span></a></li>");
        }
        if let Some(more) = truthy(field(g, "more", hint!())) {
            out.push_str("<li class=\"more\"><a href=\"");
            print(out, field(more, "url", hint!())?)?;
            out.push_str("\">全部");
            print(out, field(more, "count", hint!())?)?;
            out.push('个');
            print(out, label)?;
            out.push_str("…</a></li>");
        }
        out.push_str("</ul>\n  </div>\n  ");
    }
    out.push_str("</nav>");
    Some(())
}
