//! The default theme's most called components, written in Rust: `entry_item` (a record
//! in a list, made once per record), `evidence_link` (a figure's source on the report
//! pages), and `entry_list` and `pagination` (every list page calls both). A component
//! call costs thousands of instructions; on a 10,000-record site these were 75,000
//! calls, a tenth of the build's instructions. The markup is the components', tested to
//! be equal (escaped by [`super::html`], as tera escapes). A theme that changes or
//! replaces one of them gets its own rendered by tera instead ([`Builtin::of`]), and so
//! does a call with arguments these do not expect (they return `None`).
//!
//! The same holds for whole loops of a page template: the departments table and source
//! lists of briefing.html (`reports::briefing_table`), the departments section of
//! evaluation.html (`reports::evaluation_html`) and the lines of ledger.html
//! (`reports::ledgers`) are made in Rust while the theme keeps those files as they are,
//! and so are the record pages and the list pages (a tag's, a kind's, a person's, a
//! department's) as a whole ([`pages`]).

use std::sync::LazyLock;
use std::sync::atomic::AtomicU8;

use memchr::memmem;
use tera::{Context, Value};

use super::env::{date_zh, push_iso_date_zh};
use super::html::{push_link, push_text};
use super::theme::Theme;

/// Which of the components (and templates) a theme keeps as the default theme has them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Builtin {
    pub entry_item: bool,
    pub evidence_link: bool,
    pub entry_list: bool,
    pub pagination: bool,
    /// briefing.html is the default theme's: its departments table and source lists
    /// are given as their markup (`rows_html`, `sources_html`), made in Rust.
    pub briefing_page: bool,
    /// evaluation.html and `dept_link` are the default theme's: its departments section
    /// is given as its markup (`departments_html`), made in Rust.
    pub evaluation_page: bool,
    /// ledger.html is the default theme's: a ledger's lines are given as their markup
    /// (`ledger.lines_html`).
    pub ledger_page: bool,
    /// minutes.html is the default theme's: a session's attendees and absentees are
    /// given as their markup (`entry.minutes.attendees_html`, `absent_html`).
    pub minutes_page: bool,
    /// record.html is the default theme's: a record's tags are given as their markup
    /// (`entry.tags_html`).
    pub record_page: bool,
    /// base.html is the default theme's: the markup between its blocks is given made,
    /// once per section (`chrome`, [`super::Env::chrome`]).
    pub base_page: bool,
    /// essay.html, case.html and plan.html are the default theme's (with minutes.html,
    /// record.html and base.html: the record pages are made in Rust, [`pages::record_page`]).
    pub essay_page: bool,
    pub case_page: bool,
    pub plan_page: bool,
    /// tag.html and list.html are the default theme's (with base.html, `entry_list`
    /// and `pagination`: a tag's and a kind's list pages are made in Rust,
    /// [`pages::list_page`]).
    pub tag_page: bool,
    pub list_page: bool,
    /// person.html (and `dept_link`, which it calls) and department.html are the
    /// default theme's: with base.html and `entry_list`, those pages are made in Rust
    /// too ([`pages::list_page`]).
    pub person_page: bool,
    pub department_page: bool,
    /// month.html is the default theme's: a month's archive page too.
    pub month_page: bool,
    /// gallery.html is the default theme's: with base.html, the gallery's pages are
    /// made in Rust ([`gallery_page`]; the cards are the theme's component's markup).
    pub gallery_page: bool,
}

impl Builtin {
    pub fn of(theme: &Theme) -> Builtin {
        Builtin {
            entry_item: is_default(theme, "components.html", "entry_item"),
            evidence_link: is_default(theme, "report_components.html", "evidence_link"),
            entry_list: is_default(theme, "components.html", "entry_list"),
            pagination: is_default(theme, "components.html", "pagination"),
            briefing_page: is_unchanged(theme, "briefing.html"),
            evaluation_page: is_unchanged(theme, "evaluation.html")
                && is_default(theme, "components.html", "dept_link"),
            ledger_page: is_unchanged(theme, "ledger.html"),
            minutes_page: is_unchanged(theme, "minutes.html"),
            record_page: is_unchanged(theme, "record.html"),
            base_page: is_unchanged(theme, "base.html"),
            essay_page: is_unchanged(theme, "essay.html"),
            case_page: is_unchanged(theme, "case.html"),
            plan_page: is_unchanged(theme, "plan.html"),
            tag_page: is_unchanged(theme, "tag.html"),
            list_page: is_unchanged(theme, "list.html"),
            person_page: is_unchanged(theme, "person.html")
                && is_default(theme, "components.html", "dept_link"),
            department_page: is_unchanged(theme, "department.html"),
            month_page: is_unchanged(theme, "month.html"),
            gallery_page: is_unchanged(theme, "gallery.html"),
        }
    }

    /// Whether the list pages made with `template` (tag.html, list.html, person.html,
    /// department.html, month.html, gallery.html) are made in Rust
    /// ([`pages::list_page`]).
    pub fn list_kind_page(&self, template: &str) -> bool {
        let list_page = match template {
            "tag.html" => self.tag_page && self.pagination && self.entry_list,
            "list.html" => self.list_page && self.pagination && self.entry_list,
            "person.html" => self.person_page && self.entry_list,
            "department.html" => self.department_page && self.entry_list,
            "month.html" => self.month_page && self.entry_list,
            "gallery.html" => self.gallery_page,
            _ => false,
        };
        list_page && self.base_page
    }

    /// Whether the pages made with `template` (a record kind's) are made in Rust
    /// ([`pages::record_page`]): it, record.html and base.html are the default theme's.
    pub fn record_kind_page(&self, template: &str) -> bool {
        let kind_page = match template {
            "minutes.html" => self.minutes_page,
            "essay.html" => self.essay_page,
            "case.html" => self.case_page,
            "plan.html" => self.plan_page,
            _ => false,
        };
        kind_page && self.record_page && self.base_page
    }
}

/// Whether the component `name` is the default theme's: `file`, which defines it there,
/// is the embedded one, unchanged, and no other template defines one.
fn is_default(theme: &Theme, file: &str, name: &str) -> bool {
    let defines = |text: &str| {
        (text.match_indices(name)).any(|(at, _)| text[..at].trim_end().ends_with("component"))
    };
    is_unchanged(theme, file)
        && !(theme.templates.iter()).any(|(other, text)| other != file && defines(text))
}

/// Whether the template `file` is the default theme's, unchanged.
fn is_unchanged(theme: &Theme, file: &str) -> bool {
    (theme.templates.get(file)).map(String::as_bytes) == Theme::embedded_template(file)
}

/// Where a field was in the map it was last looked up in, one per place that looks a
/// field up: the maps a component reads are made alike (every record's entry holds
/// `item` at the same place), so the field is found at the first try instead of after
/// a scan of a record's twenty-odd fields ([`tera::Map::get_str_hinted`]).
macro_rules! hint {
    () => {{
        static HINT: AtomicU8 = AtomicU8::new(0);
        &HINT
    }};
}

// Declared after `hint!`, which they use.
mod gallery_page;
pub mod pages;

/// The items a template's `{% for %}` walks in `v`: none for a missing, none or
/// undefined value; `None` for a value that is not a list (left to the template).
fn looped(v: Option<&Value>) -> Option<&[Value]> {
    match v {
        None => Some(&[]),
        Some(v) if v.is_none() || v.is_undefined() => Some(&[]),
        Some(v) => v.as_array(),
    }
}

/// The field `key` of a map value (`None` for a missing field, or not a map).
fn field<'v>(value: &'v Value, key: &'static str, hint: &AtomicU8) -> Option<&'v Value> {
    value.as_map()?.get_str_hinted(key, hint)
}

/// The field `key` unless it is missing or none (which the components test as false).
fn present<'v>(value: &'v Value, key: &'static str, hint: &AtomicU8) -> Option<&'v Value> {
    field(value, key, hint).filter(|v| !v.is_none())
}

/// A field that the component only prints when it is there: text, or nothing for a
/// missing or none field; `None` for anything else (the component is left to print it).
fn optional<'v>(value: &'v Value, key: &'static str, hint: &AtomicU8) -> Option<&'v str> {
    present(value, key, hint).map_or(Some(""), Value::as_str)
}

/// A field that the component always prints: text, or `None` (left to the component).
fn printed<'v>(value: &'v Value, key: &'static str, hint: &AtomicU8) -> Option<&'v str> {
    field(value, key, hint)?.as_str()
}

/// ` <time datetime="date">date in Chinese</time>` after `out` (`space` first), nothing
/// for an empty date; `None` for a date `date_zh` refuses.
fn push_time(out: &mut String, date: &str, space: &str) -> Option<()> {
    if !date.is_empty() {
        let start = out.len();
        out.push_str(space);
        out.push_str("<time datetime=\"");
        push_text(out, date);
        out.push_str("\">");
        if !push_iso_date_zh(out, date) {
            let Ok(zh) = date_zh(date) else {
                out.truncate(start);
                return None;
            };
            push_text(out, &zh);
        }
        out.push_str("</time>");
    }
    Some(())
}

/// What `evidence_link(e)` prints: the label, linked when there is a URL, then the date.
pub fn evidence_link(link: &Value) -> Option<Value> {
    let label = printed(link, "label", hint!())?;
    let (url, date) = (
        optional(link, "url", hint!())?,
        optional(link, "date", hint!())?,
    );
    evidence_html(label, url, date)
}

/// [`evidence_link`] of a link whose `label`, `url` and `date` (empty for none) are
/// these; `None` for a date `date_zh` refuses.
pub fn evidence_html(label: &str, url: &str, date: &str) -> Option<Value> {
    let mut out = String::with_capacity(label.len() + url.len() + 64);
    push_evidence(&mut out, label, url, date)?;
    Some(Value::safe_string(&out))
}

/// [`evidence_html`] at the end of `out`.
pub fn push_evidence(out: &mut String, label: &str, url: &str, date: &str) -> Option<()> {
    push_link(out, label, url);
    push_time(out, date, " ")
}

/// The name of a `{name, url}` field (a department, a person): `Some(None)` when the
/// component prints none, `None` when it is left to the component (not such a map).
fn name_of<'v>(e: &'v Value, key: &'static str, hint: &AtomicU8) -> Option<Option<&'v str>> {
    match present(e, key, hint) {
        None => Some(None),
        Some(v) if v.as_map().is_some_and(|m| !m.is_empty()) => {
            printed(v, "name", hint!()).map(Some)
        }
        Some(_) => None,
    }
}

/// What `entry_item(e, compact=false)` prints: the record's kind, date, department,
/// person and draft mark, its linked title, and its summary cut at 120 characters. The
/// compact item is its start ([`compact_of`]).
pub fn entry_item(e: &Value) -> Option<String> {
    let draft = match present(e, "draft", hint!()) {
        None => false,
        Some(v) => v.as_bool()?,
    };
    let (title, url) = (printed(e, "title", hint!())?, printed(e, "url", hint!())?);
    let summary = optional(e, "summary", hint!())?;
    let mut out = String::with_capacity(256 + title.len() + summary.len().min(400));
    out.push_str("<li class=\"entry\">\n  <div class=\"entry-meta\"><span class=\"kind kind-");
    push_text(&mut out, printed(e, "kind", hint!())?);
    out.push_str("\">");
    push_text(&mut out, printed(e, "kind_label", hint!())?);
    out.push_str("</span>");
    push_time(&mut out, optional(e, "date", hint!())?, "")?;
    for (key, class, hint) in [
        ("department", "dept", hint!()),
        ("person", "byline", hint!()),
    ] {
        if let Some(name) = name_of(e, key, hint)? {
            out.push_str("<span class=\"");
            out.push_str(class);
            out.push_str("\">");
            push_text(&mut out, name);
            out.push_str("</span>");
        }
    }
    if draft {
        out.push_str("<span class=\"draft\">草稿</span>");
    }
    out.push_str("</div>\n  <a class=\"entry-title\" href=\"");
    push_text(&mut out, url);
    out.push_str("\">");
    push_text(&mut out, title);
    out.push_str("</a>\n  ");
    if !summary.is_empty() {
        out.push_str(SUMMARY_MARK);
        // tera's `truncate(length=120)`: the first 120 characters, then an ellipsis.
        match summary.char_indices().nth(120) {
            Some((at, _)) => {
                push_text(&mut out, &summary[..at]);
                out.push('…');
            }
            None => push_text(&mut out, summary),
        }
        out.push_str("</p>");
    }
    out.push_str(ENTRY_END);
    Some(out)
}

/// How an item made by [`entry_item`] ends.
const ENTRY_END: &str = "\n</li>";

/// Where the summary of a not compact item made by [`entry_item`] starts: the compact
/// item is what comes before, then the item's end. Every text before it is escaped, so
/// the mark cannot be part of one.
const SUMMARY_MARK: &str = "<p class=\"entry-summary\">";

/// The compact item of a not compact one made by [`entry_item`], in two pieces.
pub fn compact_of(item: &str) -> (&str, &str) {
    // Made once: `str::find` sets a searcher up on every call, and compact lists cut
    // half a million items at 100,000 records.
    static SUMMARY: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(SUMMARY_MARK));
    match SUMMARY.find(item.as_bytes()) {
        Some(at) => (&item[..at], ENTRY_END),
        None => (item, ""),
    }
}

/// The compact item of a not compact one made by [`entry_item`] whose compact part
/// ends at `cut` (its length: it has no summary), as [`compact_of`] gives it; `None`
/// for a cut that is not where the summary starts.
fn cut_at(item: &str, cut: usize) -> Option<(&str, &str)> {
    if cut == item.len() {
        return Some((item, ""));
    }
    let start = item.get(..cut)?;
    (item[cut..].starts_with(SUMMARY_MARK)).then_some((start, ENTRY_END))
}

/// What `entry_list(entries, empty, compact)` prints: the entries' items made once
/// ([`entry_item`], kept as `item`, and as `item_compact` where a template lists them),
/// or the `empty` text. A compact list without `item_compact` cuts `item` at `item_cut`
/// (or, without it, before its summary). `None` for an entry without its item (made elsewhere) or arguments of other
/// types.
pub fn entry_list(args: &Context) -> Option<String> {
    entry_list_of(args.get("entries"), args.get("empty"), args.get("compact"))
}

/// [`entry_list`] of its arguments (`None`: not given).
pub fn entry_list_of(
    entries: Option<&Value>,
    empty: Option<&Value>,
    compact: Option<&Value>,
) -> Option<String> {
    let compact = match compact {
        None => false,
        Some(v) => v.as_bool()?,
    };
    let mut out = String::new();
    push_entry_list(&mut out, entries, empty.and_then(Value::as_str), compact)?;
    Some(out)
}

/// The default `empty` text of `entry_list`.
pub const NO_ENTRIES: &str = "暂无记录。";

/// [`entry_list`] of `entries` (`None`, none or undefined: no entries) at the end of
/// `out`, with the text `empty` for none (`None`: not given, left to the component).
/// `None`, and `out` as it was, for what the component would print otherwise.
pub fn push_entry_list<'a>(
    out: &mut String,
    entries: Option<&'a Value>,
    empty: Option<&str>,
    compact: bool,
) -> Option<()> {
    let entries = looped(entries)?;
    if entries.is_empty() {
        let empty = empty?;
        out.push_str("<p class=\"empty\">");
        push_text(out, empty);
        out.push_str("</p>");
        return Some(());
    }
    let made = |e: &'a Value, key: &'static str, hint: &AtomicU8| -> Option<&'a str> {
        (field(e, key, hint).filter(|v| v.is_safe()))
            .and_then(Value::as_str)
            .filter(|item| !item.is_empty())
    };
    let items: Vec<(&str, &str)> = (entries.iter())
        .map(|e| match compact {
            false => made(e, "item", hint!()).map(|item| (item, "")),
            // Where `with_items` says the compact item ends (looked up first: a
            // missing `item_compact` is a scan of all the entry's fields).
            true => (field(e, "item_cut", hint!()).and_then(Value::as_u64))
                .zip(made(e, "item", hint!()))
                .and_then(|(cut, item)| cut_at(item, usize::try_from(cut).ok()?))
                .or_else(|| made(e, "item_compact", hint!()).map(|item| (item, "")))
                .or_else(|| made(e, "item", hint!()).map(compact_of)),
        })
        .collect::<Option<_>>()?;
    let size = items
        .iter()
        .map(|(a, b)| a.len() + b.len() + 1)
        .sum::<usize>();
    out.reserve(size + 40);
    out.push_str(if compact {
        "<ul class=\"entries compact\">\n"
    } else {
        "<ul class=\"entries\">\n"
    });
    for (start, end) in items {
        out.push_str(start);
        out.push_str(end);
        out.push('\n');
    }
    out.push_str("</ul>");
    Some(())
}

/// What `pagination(p)` prints for a paginator of the planner (`current`, `total`,
/// `count`, `prev`, `next`, `pages` of `{number, url}` or `{gap}`): nothing for a
/// single page. `None` for values of other types.
pub fn pagination(args: &Context) -> Option<String> {
    pagination_of(args.get("p")?)
}

/// [`pagination`] of its paginator `p`.
pub fn pagination_of(p: &Value) -> Option<String> {
    let whole = |v: &Value, key: &'static str, hint| field(v, key, hint)?.as_u64();
    let (current, total, count) = (
        whole(p, "current", hint!())?,
        whole(p, "total", hint!())?,
        whole(p, "count", hint!())?,
    );
    if total <= 1 {
        return Some(String::new());
    }
    // `prev` and `next`: a URL, or none at the ends.
    let (prev, next) = (optional(p, "prev", hint!())?, optional(p, "next", hint!())?);
    // `<a class="prev" href="url">上一页</a>`, nothing without a URL.
    let push_step = |out: &mut String, class: &str, url: &str, label: &str| {
        if !url.is_empty() {
            out.push_str("<a class=\"");
            out.push_str(class);
            out.push_str("\" href=\"");
            push_text(out, url);
            out.push_str("\">");
            out.push_str(label);
            out.push_str("</a>");
        }
    };
    let pages = field(p, "pages", hint!())?.as_array()?;
    let mut out = String::with_capacity(200 + pages.len() * 48);
    out.push_str("<nav class=\"pagination\" aria-label=\"分页\">\n");
    push_step(&mut out, "prev", prev, "上一页");
    out.push('\n');
    let mut digits = itoa::Buffer::new();
    for n in pages {
        let gap = match present(n, "gap", hint!()) {
            None => false,
            Some(v) => v.as_bool()?,
        };
        if gap {
            out.push_str("<span class=\"gap\">…</span>");
        } else {
            let number = whole(n, "number", hint!())?;
            if number == current {
                out.push_str("<span class=\"current\">");
                out.push_str(digits.format(number));
                out.push_str("</span>");
            } else {
                out.push_str("<a href=\"");
                push_text(&mut out, printed(n, "url", hint!())?);
                out.push_str("\">");
                out.push_str(digits.format(number));
                out.push_str("</a>");
            }
        }
        out.push('\n');
    }
    push_step(&mut out, "next", next, "下一页");
    out.push_str("\n<span class=\"page-info\">第 ");
    out.push_str(digits.format(current));
    out.push_str(" / ");
    out.push_str(digits.format(total));
    out.push_str(" 页，共 ");
    out.push_str(digits.format(count));
    out.push_str(" 条</span>\n</nav>");
    Some(out)
}

#[cfg(test)]
mod tests;
