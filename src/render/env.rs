//! The Tera environment: every template of the theme (with the site's overrides)
//! compiled once, the filters Chinese pages need, and the values every page shares
//! (`site`, `nav`) in the global context.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use tera::{Context, Kwargs, State, Tera, Value};

use super::builtin::{self, Builtin};
use super::fields::Fields;
use super::theme::Theme;
use crate::error::{Error, Result};

/// The theme's component for one record in a list (see [`Env::with_items`]).
const ENTRY_ITEM: &str = "entry_item";
/// The theme's component for a case's card in the gallery (see [`Env::with_card_html`]).
const GALLERY_CARD: &str = "gallery_card";
/// The theme's component for the navigation bar (see [`Env::set_nav`]).
const SITE_NAV: &str = "site_nav";
/// The theme's component for a link to a figure's source (see
/// [`Env::with_evidence_html`]).
const EVIDENCE_LINK: &str = "evidence_link";

pub struct Env {
    pub tera: Tera,
    /// The default theme's components this theme keeps, whose markup is then written
    /// in Rust ([`Env::with_items`], [`Env::with_evidence_html`]).
    builtin: Builtin,
    /// Per section, the default base.html's markup between its blocks ([`Env::chrome`]);
    /// `None` where it could not be made.
    chrome: std::sync::RwLock<ahash::AHashMap<String, Option<Value>>>,
    /// What base.html prints of the site around a page's blocks, while the record and
    /// list pages are made in Rust ([`Env::record_page`], [`Env::list_page`]).
    frame: Option<builtin::pages::Frame>,
}

/// A template that extends base.html with a [`CHROME_MARK`] for each of its blocks:
/// rendered, it gives the markup between them ([`Env::chrome`]).
const CHROME_TEMPLATE: &str = "__jianbao_chrome.html";
const CHROME_MARK: &str = "\u{0}jianbao-block\u{0}";
/// The blocks of the default base.html, in order, and the names of the markup around
/// them, as base.html prints `chrome`.
const CHROME_BLOCKS: [&str; 5] = ["title", "head", "search_box", "content", "footer"];
const CHROME_PARTS: [&str; 6] = ["top", "meta", "header", "nav", "footer", "end"];

/// One entry of the navigation bar. Later pages (简报, 考评, 搜索) add theirs with
/// [`Env::set_nav`] before rendering.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NavItem {
    /// Matches `page.section` of the pages it covers, to mark the current entry.
    pub key: String,
    pub label: String,
    pub url: String,
}

impl Env {
    /// The default theme's templates this theme keeps whose markup is made in Rust.
    pub fn builtin(&self) -> Builtin {
        self.builtin
    }

    /// Compiles every template; a template error names the file and line.
    pub fn new(theme: &Theme, site: Value, nav: &[NavItem]) -> Result<Env> {
        let mut tera = Tera::default();
        register_filters(&mut tera);
        let builtin = Builtin::of(theme);
        let chrome_template = (CHROME_BLOCKS.iter())
            .map(|b| ["{% block ", b, " %}", CHROME_MARK, "{% endblock ", b, " %}"].concat())
            .fold(String::from("{% extends \"base.html\" %}"), |t, b| t + &b);
        let chrome = (builtin.base_page).then_some((CHROME_TEMPLATE, chrome_template.as_str()));
        let templates = (theme.templates.iter()).map(|(n, t)| (n.as_str(), t.as_str()));
        tera.add_raw_templates(templates.chain(chrome))
            .map_err(template_error)?;
        let frame = (builtin.base_page)
            .then(|| builtin::pages::Frame::of(&site))
            .flatten();
        tera.global_context().insert_value("site", site);
        // Every list page calls both: written in Rust when the theme keeps them.
        if builtin.entry_list {
            tera.register_native_component("entry_list", Arc::new(builtin::entry_list));
        }
        if builtin.pagination {
            tera.register_native_component("pagination", Arc::new(builtin::pagination));
        }
        let mut env = Env {
            tera,
            builtin,
            chrome: Default::default(),
            frame,
        };
        env.set_nav(nav)?;
        Ok(env)
    }

    /// The default base.html's markup between its blocks for the pages of `section`
    /// (`top`, `meta`, `header`, `nav`, `footer`, `end`), which the file prints instead
    /// of making it again for every page: it depends only on `site`, the navigation bar
    /// and the section. Made on first use from the file's own markup (its else-branches,
    /// rendered around a mark for each block); `None` when the theme's base.html is not
    /// the default's, or the markup could not be made (the page then makes it).
    pub fn chrome(&self, section: &str) -> Option<Value> {
        if !self.builtin.base_page {
            return None;
        }
        if let Ok(made) = self.chrome.read()
            && let Some(chrome) = made.get(section)
        {
            return chrome.clone();
        }
        let chrome = self.make_chrome(section);
        if let Ok(mut made) = self.chrome.write() {
            made.insert(section.to_string(), chrome.clone());
        }
        chrome
    }

    /// The page of a record made with `template` (`minutes.html`, ...) from its
    /// `record` values, made in Rust while the theme keeps the default record
    /// templates; `None` otherwise, or for values the templates would print otherwise
    /// (tera then renders the page).
    pub fn record_page(
        &self,
        template: &str,
        title: &str,
        section: &str,
        record: &super::reports::RecordValues,
    ) -> Option<String> {
        if !self.builtin.record_kind_page(template) {
            return None;
        }
        let chrome = self.chrome(section)?;
        builtin::pages::record_page(self.frame.as_ref()?, &chrome, template, title, record)
    }

    /// A list page made with `template` (tag.html, list.html, person.html,
    /// department.html, month.html, gallery.html) from its `context`, made in Rust
    /// while the theme keeps those templates; `None` otherwise, or for values the
    /// templates would print otherwise.
    pub fn list_page(
        &self,
        template: &str,
        title: &str,
        section: &str,
        context: &Context,
    ) -> Option<String> {
        if !self.builtin.list_kind_page(template) || section == "home" {
            return None;
        }
        let chrome = self.chrome(section)?;
        builtin::pages::list_page(self.frame.as_ref()?, &chrome, template, title, context)
    }

    fn make_chrome(&self, section: &str) -> Option<Value> {
        let mut page = Fields::new();
        page.insert("section", Value::from(section));
        let mut context = Context::new();
        context.insert_value("page", Value::from(page));
        let text = self.tera.render(CHROME_TEMPLATE, &context).ok()?;
        let parts: Vec<&str> = text.split(CHROME_MARK).collect();
        if parts.len() != CHROME_PARTS.len() {
            return None;
        }
        let mut chrome = Fields::new();
        for (name, part) in CHROME_PARTS.into_iter().zip(parts) {
            chrome.insert(name, Value::safe_string(part));
        }
        Some(Value::from(chrome))
    }

    /// Sets the navigation bar: `nav`, and `nav_html` (section -> the theme's `site_nav`
    /// for it) with `nav_html_other` (for any other section), rendered here once rather
    /// than for each of a big site's pages (a twentieth of its build).
    pub fn set_nav(&mut self, nav: &[NavItem]) -> Result<()> {
        let items = Value::from_serializable(nav);
        let mut html = tera::Map::default();
        let mut other = Value::none();
        if self.tera.contains_component(SITE_NAV) {
            let render = |section: &str| -> Result<Value> {
                let mut args = Context::new();
                args.insert_value("nav", items.clone());
                args.insert_value("section", Value::from(section));
                self.component(SITE_NAV, &args)
            };
            for item in nav {
                html.insert(item.key.clone().into(), render(&item.key)?);
            }
            // No item has an empty key: this is the bar with none marked.
            other = render("")?;
        }
        let globals = self.tera.global_context();
        globals.insert_value("nav", items);
        globals.insert_value("nav_html", Value::from(html));
        globals.insert_value("nav_html_other", other);
        // The markup around base.html's blocks holds the bar.
        if let Ok(made) = self.chrome.get_mut() {
            made.clear();
        }
        Ok(())
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub fn render(&self, template: &str, context: &Context) -> Result<String> {
        self.tera.render(template, context).map_err(template_error)
    }

    /// `entry` with its item in the lists made once: `item` and `item_compact`, the
    /// theme's `entry_item` component for it (unchanged when the theme has none).
    ///
    /// A record is listed on many pages (its kind, each tag, its month, its department,
    /// the people it names: eight on average), and rendering its item on each was a
    /// tenth of a big site's build. The theme's `entry_list` prints these instead, so a
    /// theme that overrides `entry_item` still changes every list. The default theme's
    /// is written in Rust (see [`builtin`]).
    pub fn with_items(&self, entry: Value) -> Result<Value> {
        if self.builtin.entry_item
            && let Some(item) = builtin::entry_item(&entry)
        {
            let (start, end) = builtin::compact_of(&item);
            // The default entry_list cuts the compact item out of the other (a big site's
            // records kept 40 MB of compact items) where `item_cut` says; a theme's own
            // reads `item_compact` (a theme that changes entry_list changes
            // components.html, and so entry_item, which is not ours then: this is for
            // safety).
            let compact = match self.builtin.entry_list {
                true => ("item_cut", Value::from(start.len())),
                false => ("item_compact", Value::safe_string(&[start, end].concat())),
            };
            let keys = vec![("item", Value::safe_string(&item)), compact];
            return Ok(with_keys(entry, keys));
        }
        let outputs: [(&'static str, &[(&'static str, Value)]); 2] = [
            ("item", &[("compact", Value::from(false))]),
            ("item_compact", &[("compact", Value::from(true))]),
        ];
        self.with_rendered(ENTRY_ITEM, "e", entry, &outputs)
    }

    /// A gallery `card` with `html`, the theme's `gallery_card` component rendered for
    /// it once (unchanged when the theme has none): a case is on about six gallery
    /// pages, the all-cases page among them.
    pub fn with_card_html(&self, card: Value) -> Result<Value> {
        self.with_rendered(GALLERY_CARD, "card", card, &[("html", &[])])
    }

    /// The evidence link made of `link` (`file`, `line`, `label`, `url`, `date`,
    /// `kind_label`), whose `label`, `url` and `date` (empty for none) are given too: with
    /// the default component, its `html` is made from them and added before the map is
    /// (not read back from the map and added to a copy of it: a report makes tens of
    /// thousands of links).
    pub fn evidence(&self, mut link: Fields, label: &str, url: &str, date: &str) -> Value {
        if self.builtin.evidence_link
            && let Some(html) = builtin::evidence_html(label, url, date)
        {
            link.insert("html", html);
            return Value::from(link);
        }
        self.with_evidence_html(Value::from(link))
    }

    /// An evidence `link` of a report page (`{label, url, date, ...}`) with `html`, the
    /// theme's `evidence_link` component rendered for it once (unchanged when the theme
    /// has none). The evaluation pages of a 10,000-record site print 31,000 links, most
    /// of them records cited by several figures, and a component call for each was a
    /// twentieth of the build. A link the component cannot render comes back as it
    /// was: the page calls the component itself and reports the error where it is.
    /// The default theme's is written in Rust (see [`builtin`]).
    pub fn with_evidence_html(&self, link: Value) -> Value {
        if self.builtin.evidence_link
            && let Some(html) = builtin::evidence_link(&link)
        {
            return with_keys(link, vec![("html", html)]);
        }
        match self.rendered(EVIDENCE_LINK, "e", link, &[("html", &[])]) {
            (link, Ok(rendered)) => with_keys(link, rendered),
            (link, Err(_)) => link,
        }
    }

    /// `value` with the theme's component `name` (which takes it as `arg`) rendered for
    /// it, once per output: each with its extra arguments, kept under its key. Unchanged
    /// when the theme has no such component.
    fn with_rendered(
        &self,
        name: &str,
        arg: &'static str,
        value: Value,
        outputs: &[(&'static str, &[(&'static str, Value)])],
    ) -> Result<Value> {
        let (value, rendered) = self.rendered(name, arg, value, outputs);
        Ok(with_keys(value, rendered?))
    }

    /// The theme's component `name` rendered for `value` (as `arg`) once per output,
    /// with `value` given back either way; nothing when the theme has no such component.
    #[allow(clippy::type_complexity)]
    fn rendered(
        &self,
        name: &str,
        arg: &'static str,
        value: Value,
        outputs: &[(&'static str, &[(&'static str, Value)])],
    ) -> (Value, Result<Vec<(&'static str, Value)>>) {
        if !self.tera.contains_component(name) {
            return (value, Ok(Vec::new()));
        }
        let mut args = Context::new();
        args.insert_value(arg, value);
        let mut rendered = Vec::with_capacity(outputs.len());
        let mut failed = None;
        for (key, extra) in outputs {
            for (k, v) in *extra {
                args.insert_value(*k, v.clone());
            }
            match self.component(name, &args) {
                Ok(html) => rendered.push((*key, html)),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        // Taken back out of the arguments, the value's map is not shared: no copy.
        let value = args.remove(arg).unwrap_or_else(Value::none);
        (value, failed.map_or(Ok(rendered), Err))
    }

    /// The theme's component `name` rendered with `args`, as safe HTML.
    fn component(&self, name: &str, args: &Context) -> Result<Value> {
        let mut html = Vec::with_capacity(1024);
        (self.tera)
            .render_component_to(name, args, None, true, &mut html)
            .map_err(template_error)?;
        // tera writes only strings, so this never fails; checked with SIMD, as std's
        // check of the String tera would return was a tenth of a component's cost.
        let html = simdutf8::basic::from_utf8(&html)
            .map_err(|_| Error::Template(format!("component {name}: output is not UTF-8")))?;
        Ok(Value::safe_string(html))
    }

    /// Renders at the end of `out`.
    pub fn render_to(&self, template: &str, context: &Context, out: &mut Vec<u8>) -> Result<()> {
        self.tera
            .render_to(template, context, out)
            .map_err(template_error)
    }
}

/// `value`'s map with `rendered` added under their keys; `value` itself when there is
/// nothing to add.
fn with_keys(value: Value, rendered: Vec<(&'static str, Value)>) -> Value {
    if rendered.is_empty() {
        return value;
    }
    let mut m = value.into_map().unwrap_or_default();
    // Exactly: entries live as long as the build, and a map grown by doubling would
    // keep its slack.
    m.reserve_exact(rendered.len());
    for (key, html) in rendered {
        m.insert(key.into(), html);
    }
    Value::from(m)
}

pub fn template_error(e: tera::Error) -> Error {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    Error::Template(message)
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter("date_zh", |s: &str, _: Kwargs, _: &State| date_zh(s));
    tera.register_filter("date_cn_official", |s: &str, _: Kwargs, _: &State| {
        date_cn_official(s)
    });
}

fn parse(s: &str) -> Option<Parsed> {
    let s = s.trim();
    if let Some(d) = iso_day(s) {
        return Some(Parsed::Day(d));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(Parsed::Day(d));
    }
    let (y, m) = s.split_once('-')?;
    let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    (y.to_string().len() == 4 && (1..=12).contains(&m)).then_some(Parsed::Month(y, m))
}

/// `YYYY-MM-DD` exactly, as every date of the site's values is written: read without
/// chrono's format parser, which the filters would run for every date of every page.
fn iso_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

enum Parsed {
    Day(NaiveDate),
    Month(i32, u32),
}

fn bad_date(s: &str) -> tera::Error {
    tera::Error::message(format!(
        "`{s}` is not a date (YYYY-MM-DD) or a month (YYYY-MM)"
    ))
}

/// Appends [`date_zh`] of a `YYYY-MM-DD` day to `out` (digits and 年月日: nothing to
/// escape); `false`, with `out` untouched, for any other text. Every date of the site's
/// values has that form: written from its digits, without chrono or the formatter (the
/// filter runs for every date of every list, and briefings list tens of thousands).
pub fn push_iso_date_zh(out: &mut String, s: &str) -> bool {
    let Some(day) = iso_day(s) else {
        return false;
    };
    let b = s.as_bytes();
    out.push_str(itoa::Buffer::new().format(day.year()));
    out.push('年');
    for (tens, ones, unit) in [(b[5], b[6], '月'), (b[8], b[9], '日')] {
        if tens != b'0' {
            out.push(char::from(tens));
        }
        out.push(char::from(ones));
        out.push(unit);
    }
    true
}

/// `2026-03-06` -> `2026年3月6日`; `2026-03` -> `2026年3月`.
pub fn date_zh(s: &str) -> tera::TeraResult<String> {
    // Room for "2026年12月31日" (four digits and three 3-byte characters).
    let mut out = String::with_capacity(19);
    if push_iso_date_zh(&mut out, s) {
        return Ok(out);
    }
    match parse(s).ok_or_else(|| bad_date(s))? {
        Parsed::Day(d) => Ok(format!("{}年{}月{}日", d.year(), d.month(), d.day())),
        Parsed::Month(y, m) => Ok(format!("{y}年{m}月")),
    }
}

/// The date as official documents write it: `2026-03-06` -> `二〇二六年三月六日`.
pub fn date_cn_official(s: &str) -> tera::TeraResult<String> {
    let (y, m, d) = match parse(s).ok_or_else(|| bad_date(s))? {
        Parsed::Day(d) => (d.year(), d.month(), Some(d.day())),
        Parsed::Month(y, m) => (y, m, None),
    };
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let year: String = y
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10).map(|n| DIGITS[n as usize]))
        .collect();
    let mut out = format!("{year}年{}月", number_zh(m));
    if let Some(d) = d {
        out.push_str(&number_zh(d));
        out.push('日');
    }
    Ok(out)
}

/// 1..=31 in Chinese numerals: 六, 十, 十二, 二十, 三十一.
fn number_zh(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = (n / 10, n % 10);
    let mut out = String::new();
    match tens {
        0 => {}
        1 => out.push('十'),
        t => {
            out.push_str(DIGITS[t as usize % 10]);
            out.push('十');
        }
    }
    if ones > 0 || tens == 0 {
        out.push_str(DIGITS[ones as usize]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our tera keeps a context's entries in a sorted list (vendor/README.md): it must
    /// find, replace and remove them as the map it replaced did, scanned (a page's
    /// few) or searched by halves (many).
    #[test]
    fn the_patched_context_keeps_its_entries_as_a_map() {
        for n in [3usize, 40] {
            let mut ctx = Context::new();
            for i in (0..n).rev() {
                ctx.insert_value(format!("k{i}"), Value::from(i));
            }
            ctx.insert_value("k1", Value::from("replaced"));
            assert_eq!(ctx.remove("k2"), Some(Value::from(2)));
            assert_eq!(ctx.remove("k2"), None);
            assert!(!ctx.contains_key("k2") && ctx.contains_key("k0"));
            assert_eq!(ctx.get("k1"), Some(&Value::from("replaced")));
            assert_eq!(ctx.get("k"), None);
            let mut more = Context::new();
            more.insert_value("k0", Value::from("from extend"));
            more.insert_value("new", Value::from(true));
            ctx.extend(more);
            let mut tera = tera::Tera::new();
            tera.add_raw_template(
                "t",
                "{{ k0 }} {{ k1 }} {{ new }} {{ k2 | default(value='-') }}",
            )
            .expect("template");
            assert_eq!(
                tera.render("t", &ctx).expect("rendered"),
                "from extend replaced true -"
            );
            // Names of every length that differ in one byte only.
            let names = [
                "a",
                "b",
                "ab",
                "ba",
                "abc",
                "acb",
                "abcd",
                "abdc",
                "abcdefg",
                "abcdegf",
                "abcdefgh",
                "abcdefhg",
                "abcdefghi",
                "abcdefgih",
                "abcdefghijklmnop",
                "abcdefghijklmnpo",
                "abcdefghijklmnopq",
                "abcdefghijklmnoqp",
            ];
            let mut fields = tera::Map::default();
            let mut named = Context::new();
            for (i, name) in names.iter().enumerate() {
                fields.insert((*name).into(), Value::from(i));
                named.insert_value(*name, Value::from(i));
            }
            named.insert_value("m", Value::from(fields));
            let template: String = (names.iter())
                .map(|n| format!("{{{{ {n} }}}}={{{{ m.{n} }}}};"))
                .collect();
            let expected: String = (0..names.len()).map(|i| format!("{i}={i};")).collect();
            assert_eq!(
                tera.render_str(&template, &named, false).expect("rendered"),
                expected
            );
            // Equal contexts whatever the order their entries came in.
            let (mut a, mut b) = (Context::new(), Context::new());
            a.insert_value("x", Value::from(1));
            a.insert_value("y", Value::from(2));
            b.insert_value("y", Value::from(2));
            b.insert_value("x", Value::from(1));
            assert_eq!(a, b);
        }
    }

    /// Our tera reads a loop's and a set variable's values in place and writes them
    /// straight out (vendor/tera's `State::lookup`, `WritePath`), and tests a path where
    /// it lives (`TestPath`): they must print, test and escape as copies did, in a
    /// capture too, and a missing variable or field must still be an error. The same
    /// test passes on tera as released.
    #[test]
    fn variables_print_the_same_wherever_they_live() {
        let person = |name: &str, party: bool| {
            let mut m = tera::Map::default();
            m.insert("name".into(), Value::from(name));
            m.insert("party".into(), Value::from(party));
            Value::from(m)
        };
        let mut ctx = Context::new();
        ctx.insert_value(
            "people",
            Value::from(vec![person("王<芳>", true), person("李 & 娜", false)]),
        );
        let mut by_id = tera::Map::default();
        by_id.insert("wf".into(), person("王芳", true));
        ctx.insert_value("by_id", Value::from(by_id));
        ctx.insert_value("first", person("张\"伟\"", false));
        let template = concat!(
            "{% set f = first %}{{ f.name }}|{% if f.party %}党员{% else %}群众{% endif %}|",
            "{% for p in people %}{{ loop.index }}{{ p.name }}",
            "{% if p.party %}*{% endif %}{{ p.name | length }}",
            "{% for q in people %}{% if loop.first %}[{{ q.name }}/{{ p.name }}]{% endif %}{% endfor %}",
            "{% set inner = p %}({{ inner.name }}){% if not loop.last %},{% endif %}{% endfor %}|",
            "{% for id, v in by_id %}{{ id }}={{ v.name }}{% endfor %}|",
            "{% set captured %}{% for p in people %}{{ p.name }};{% endfor %}{{ f.name }}{% endset %}",
            "{{ captured }}|{{ people[0].name }}|{{ f }}",
        );
        let mut tera = tera::Tera::new();
        tera.add_raw_template("t.html", template).expect("template");
        let expected = concat!(
            "张&quot;伟&quot;|群众|",
            "1王&lt;芳&gt;*4[王&lt;芳&gt;/王&lt;芳&gt;](王&lt;芳&gt;),",
            "2李 &amp; 娜5[王&lt;芳&gt;/李 &amp; 娜](李 &amp; 娜)|",
            "wf=王芳|",
            "王&lt;芳&gt;;李 &amp; 娜;张&quot;伟&quot;|王&lt;芳&gt;|",
            // A map printed whole goes through the escape buffer.
            "{&quot;name&quot;: &quot;张\\&quot;伟\\&quot;&quot;, &quot;party&quot;: false}",
        );
        assert_eq!(tera.render("t.html", &ctx).expect("rendered"), expected);
        // Tests of a path, fused with their jump unless another jump lands on it.
        let tests = concat!(
            "{% if f.party %}a{% endif %}{% if f.missing %}b{% endif %}{% if by_id.wf.party %}c{% endif %}",
            "{% if nothing %}d{% endif %}{% if f %}e{% endif %}{% if f.party or by_id.wf.party %}f{% endif %}",
            "{% if f.name and by_id.wf %}g{% endif %}{% if not f.party %}h{% endif %}",
            "{% for p in people %}{% if p.party %}i{% elif loop.last %}j{% endif %}{% endfor %}",
            "{% for p in people %}{% if loop.first %}k{% endif %}{% if p %}l{% endif %}{% endfor %}",
        );
        tera.add_raw_template("tests.html", &["{% set f = first %}", tests].concat())
            .expect("template");
        assert_eq!(
            tera.render("tests.html", &ctx).expect("rendered"),
            "cefghijkll"
        );
        for (name, template, named) in [
            (
                "missing.html",
                "{% for p in people %}{{ p.nme }}{% endfor %}",
                "nme",
            ),
            ("nothing.html", "{% if nothing.x %}x{% endif %}", "nothing"),
            (
                "deep.html",
                "{% if first.missing.x %}x{% endif %}",
                "missing",
            ),
        ] {
            tera.add_raw_template(name, template).expect("template");
            let error = format!("{:?}", tera.render(name, &ctx).expect_err("an error"));
            assert!(error.contains(named), "{error}");
        }
    }

    #[test]
    fn chinese_dates() {
        for (input, zh, official) in [
            ("2026-03-06", "2026年3月6日", "二〇二六年三月六日"),
            ("2026-12-31", "2026年12月31日", "二〇二六年十二月三十一日"),
            ("2030-10-10", "2030年10月10日", "二〇三〇年十月十日"),
            ("2026-11-20", "2026年11月20日", "二〇二六年十一月二十日"),
            ("2026-03", "2026年3月", "二〇二六年三月"),
        ] {
            assert_eq!(date_zh(input).expect(input), zh);
            assert_eq!(date_cn_official(input).expect(input), official);
        }
        assert!(date_zh("3月6日").is_err());
        assert_eq!(date_zh("0999-10-01").expect("old"), "999年10月1日");
        // Not the exact form: read as chrono reads it, or refused.
        assert_eq!(date_zh(" 2026-3-6 ").expect("short"), "2026年3月6日");
        for bad in ["2026-02-30", "2026-13-01", "2026-0a-01", "二〇二六-03-06"] {
            assert!(date_zh(bad).is_err(), "{bad}");
        }
    }

    /// A list of `entries` rendered by the embedded theme's `entry_list`.
    fn entry_list(env: &Env, entries: Vec<Value>, compact: bool) -> String {
        let mut tera = env.tera.clone();
        tera.add_raw_template(
            "list.html",
            "{{ <entry_list entries={entries} compact={compact} /> }}",
        )
        .expect("template");
        let mut ctx = Context::new();
        ctx.insert_value("entries", Value::from(entries));
        ctx.insert_value("compact", Value::from(compact));
        tera.render("list.html", &ctx).expect("render")
    }

    fn entry(title: &str) -> Value {
        let mut m = tera::Map::default();
        for (k, v) in [
            ("title", title),
            ("url", "/essays/a/"),
            ("kind", "essay"),
            ("kind_label", "心得文章"),
            ("date", "2026-03-06"),
            ("summary", "学习<纪律>条例的体会"),
        ] {
            m.insert(k.into(), Value::from(v));
        }
        Value::from(m)
    }

    #[test]
    fn lists_print_the_items_made_once_as_the_component_makes_them() {
        let env = Env::new(&Theme::embedded().expect("theme"), Value::none(), &[]).expect("env");
        let plain = vec![entry("甲 & 乙"), entry("丙")];
        let made: Vec<Value> = (plain.iter().cloned())
            .map(|e| env.with_items(e).expect("items"))
            .collect();
        let item = made[0].get_from_path("item").and_then(Value::as_str);
        assert!(item.is_some_and(|i| i.contains("甲 &amp; 乙") && i.contains("entry-summary")));
        // The default entry_list cuts the compact item out of the other: none is kept,
        // only where it ends.
        assert!(made[0].get_from_path("item_compact").is_none());
        let cut = made[0].get_from_path("item_cut").and_then(Value::as_u64);
        assert!(cut.is_some_and(|cut| {
            item.is_some_and(|i| i[cut as usize..].starts_with("<p class=\"entry-summary\">"))
        }));
        for compact in [false, true] {
            assert_eq!(
                entry_list(&env, made.clone(), compact),
                entry_list(&env, plain.clone(), compact),
                "compact: {compact}"
            );
        }

        // A theme with its own entry_list reads `item_compact`: it is kept (its
        // components.html changed, entry_item is the theme's too).
        let mut theme = Theme::embedded().expect("theme");
        let own = theme.templates["components.html"].replace(
            "<ul class=\"entries{% if compact %}",
            "<ul class=\"entries own{% if compact %}",
        );
        theme.templates.insert("components.html".into(), own);
        let env = Env::new(&theme, Value::none(), &[]).expect("env");
        assert!(!env.builtin.entry_list);
        let made: Vec<Value> = (plain.iter().cloned())
            .map(|e| env.with_items(e).expect("items"))
            .collect();
        let compact = made[0]
            .get_from_path("item_compact")
            .and_then(Value::as_str);
        assert!(compact.is_some_and(|i| i.contains("甲 &amp; 乙") && !i.contains("entry-summary")));
        for compact in [false, true] {
            let list = entry_list(&env, made.clone(), compact);
            assert!(list.contains("entries own"));
            assert_eq!(
                list,
                entry_list(&env, plain.clone(), compact),
                "compact: {compact}"
            );
        }
    }

    #[test]
    fn the_navigation_bar_is_rendered_once_per_section() {
        let nav = [("home", "首页", "/"), ("tags", "标签", "/tags/")].map(|(k, l, u)| NavItem {
            key: k.into(),
            label: l.into(),
            url: u.into(),
        });
        let env = Env::new(&Theme::embedded().expect("theme"), Value::none(), &nav).expect("env");
        let globals = env.tera.clone().global_context().clone();
        let html = |path: &str| -> String {
            (globals.get("nav_html").and_then(|m| m.get_from_path(path)))
                .or_else(|| {
                    (path == "other")
                        .then(|| globals.get("nav_html_other"))
                        .flatten()
                })
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        assert!(
            html("tags").contains(
                r#"<li class="active"><a href="/tags/" aria-current="page">标签</a></li>"#
            )
        );
        assert!(
            html("home")
                .contains(r#"<li class="active"><a href="/" aria-current="page">首页</a></li>"#)
        );
        assert!(html("other").contains("首页") && !html("other").contains("active"));
    }

    #[test]
    fn a_theme_without_an_entry_item_component_keeps_its_entries() {
        let mut theme = Theme::embedded().expect("theme");
        theme.templates.retain(|name, _| name == "base.html");
        let env = Env::new(&theme, Value::none(), &[]).expect("env");
        let e = env.with_items(entry("甲")).expect("items");
        assert!(e.get_from_path("item").is_none());
        assert_eq!(e, entry("甲"));
    }

    #[test]
    fn filters_work_in_templates() {
        let mut tera = Tera::default();
        register_filters(&mut tera);
        tera.add_raw_template("t.html", "{{ d | date_zh }} {{ d | date_cn_official }}")
            .expect("template");
        let mut ctx = Context::new();
        ctx.insert("d", "2026-03-06");
        assert_eq!(
            tera.render("t.html", &ctx).expect("render"),
            "2026年3月6日 二〇二六年三月六日"
        );
    }

    /// An evidence link as the reports make them (`make_link`, `ledger_link`).
    fn evidence(label: &str, url: &str, date: Option<&str>) -> Value {
        let mut m = tera::Map::default();
        m.insert("file".into(), Value::from("minutes/a.md"));
        m.insert("line".into(), Value::from(0));
        m.insert("label".into(), Value::from(label));
        m.insert("url".into(), Value::from(url));
        m.insert("date".into(), date.map_or_else(Value::none, Value::from));
        m.insert("kind_label".into(), Value::from("学习记录"));
        Value::from(m)
    }

    #[test]
    fn a_theme_that_changes_evidence_link_gets_its_own_markup() {
        let mut theme = Theme::embedded().expect("theme");
        let own = "{% component evidence_link(e) -%}<a class=\"src\" href=\"{{ e.url }}\">{{ e.label }}</a>{%- endcomponent evidence_link %}";
        theme
            .templates
            .insert("my_components.html".into(), own.into());
        let text = theme.templates["report_components.html"].clone();
        let start = text.find("{% component evidence_link").expect("defined");
        let end = text.find("endcomponent evidence_link %}").expect("ended") + 29;
        theme.templates.insert(
            "report_components.html".into(),
            format!("{}{}", &text[..start], &text[end..]),
        );
        let env = Env::new(&theme, Value::none(), &[]).expect("env");
        assert!(!env.builtin.evidence_link);
        let made = env.with_evidence_html(evidence("甲 & 乙", "/minutes/a/", Some("2026-03-06")));
        assert_eq!(made.get_from_path("label"), Some(&Value::from("甲 & 乙")));
        assert_eq!(
            made.get_from_path("html").and_then(Value::as_str),
            Some("<a class=\"src\" href=\"/minutes/a/\">甲 &amp; 乙</a>")
        );

        // The default one, changed where it is, is the theme's too.
        let mut theme = Theme::embedded().expect("theme");
        let changed = theme.templates["report_components.html"]
            .replace("<a href=", "<a rel=\"source\" href=");
        theme
            .templates
            .insert("report_components.html".into(), changed);
        let env = Env::new(&theme, Value::none(), &[]).expect("env");
        assert!(!env.builtin.evidence_link);
        let made = env.with_evidence_html(evidence("甲", "/minutes/a/", None));
        assert_eq!(
            made.get_from_path("html").and_then(Value::as_str),
            Some("<a rel=\"source\" href=\"/minutes/a/\">甲</a>")
        );
    }
}
