//! Template data, made once per record, department and person and shared by every page
//! that shows it. A `tera::Value` map or list is reference-counted, so putting a record
//! on its own page, on three lists and on a tag page costs three pointer copies, not
//! three serializations (the cost that made Zola slow on big sites, its issue 2508).
//! A record's HTML is not among them: its page renders the Markdown when it is rendered
//! ([`SiteData::record_parts`]); lists need only the summary, and each entry's item in
//! them, rendered once ([`SiteData::add_items`]).

use ahash::AHashMap;
use rayon::prelude::*;
use tera::Value;

use super::builtin::Builtin;
use super::fields::Fields as Map;
use super::{Env, html};
use crate::body_cache::BodyCache;
use crate::config::{DeptType, Role};
use crate::content::record::{Case, Essay, Minutes, Plan, Scope};
use crate::content::{Corpus, Record, RecordData};
use crate::error::Result;
use crate::markdown::{self, RenderContext};

/// What a record's own page shows beyond its shared entry ([`SiteData::record_parts`]):
/// kept beside the entry, not copied into it, for the default theme's record pages
/// (written in Rust); a theme's templates get them in the entry ([`RecordParts::merged`]).
#[derive(Debug, Clone)]
pub struct RecordParts {
    /// The HTML of the body (`entry.content`).
    pub content: String,
    /// What record.html's loop over the tags prints (`entry.tags_html`).
    pub tags_html: Option<String>,
    /// What minutes.html's loops print (`entry.minutes.attendees_html`, `absent_html`).
    pub attendees_html: Option<String>,
    pub absent_html: Option<String>,
}

impl RecordParts {
    /// `entry` with these parts in it, as the templates read them.
    pub fn merged(&self, entry: &Value) -> Value {
        let fields = entry.as_map().map_or(0, |m| m.len());
        let mut m = tera::Map::with_capacity_and_hasher(fields + 1, Default::default());
        if let Some(entry) = entry.as_map() {
            for (k, v) in entry {
                m.insert_new(k.clone(), v.clone());
            }
        }
        m.insert("content".into(), Value::safe_string(&self.content));
        if let Some(tags) = &self.tags_html {
            m.insert("tags_html".into(), Value::safe_string(tags));
        }
        if let Some(attendees) = &self.attendees_html
            && let Some(minutes) = entry.as_map().and_then(|e| e.get_str("minutes"))
            && let Some(minutes) = minutes.as_map()
        {
            let mut minutes = minutes.clone();
            minutes.insert("attendees_html".into(), Value::safe_string(attendees));
            if let Some(absent) = &self.absent_html {
                minutes.insert("absent_html".into(), Value::safe_string(absent));
            }
            m.insert("minutes".into(), Value::from(minutes));
        }
        Value::from(m)
    }
}

/// Builds URLs from `site.base_url`.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
}

impl Links {
    pub fn new(base_url: &str) -> Self {
        let mut base = base_url.trim().to_string();
        if !base.ends_with('/') {
            base.push('/');
        }
        Links { base }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The URL of a site-relative path (`minutes/2026/a/`; empty for the home page).
    // Joined rather than formatted: every page and entry asks for URLs, and the
    // formatter's machinery cost more than the copying.
    pub fn url(&self, path: &str) -> String {
        [self.base.as_str(), path.trim_start_matches('/')].concat()
    }

    pub fn department(&self, id: &str) -> String {
        [self.base.as_str(), "departments/", id, "/"].concat()
    }

    pub fn person(&self, id: &str) -> String {
        [self.base.as_str(), "people/", id, "/"].concat()
    }

    pub fn tag(&self, tag: &str) -> String {
        [self.base.as_str(), "tags/", &tag_slug(tag), "/"].concat()
    }
}

/// The path segment of a tag: the tag itself (Chinese is fine), with characters that
/// would break a path or URL replaced by `-`, ASCII lowercased.
pub fn tag_slug(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    for c in tag.trim().chars() {
        // A `match`, not `str::contains`: every tag of every record is slugged.
        let breaks_a_path = matches!(
            c,
            '/' | '\\' | '?' | '#' | '%' | '&' | ':' | '*' | '"' | '<' | '>' | '|' | '\'' | '.'
        );
        if breaks_a_path || c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() { "-".into() } else { out }
}

fn map(m: Map) -> Value {
    Value::from(m)
}

fn s(v: &str) -> Value {
    Value::from(v)
}

/// `{name, url}` of a tag.
fn tag_value(links: &Links, tag: &str) -> Value {
    let mut m = Map::new();
    // Printed on every page of a record with the tag: see `html::text_value`.
    m.insert("name", html::text_value(tag));
    m.insert("url", html::text_value(&links.tag(tag)));
    map(m)
}

/// A tag's link as record.html prints it.
fn tag_anchor(links: &Links, tag: &str) -> String {
    let mut anchor = String::from("<a class=\"tag\" href=\"");
    html::push_text(&mut anchor, &links.tag(tag));
    anchor.push_str("\">");
    html::push_text(&mut anchor, tag);
    anchor.push_str("</a>");
    anchor
}

/// A number as every figure is written: at most two decimals, without trailing zeros
/// (`2`, `1.5`, `15.13`), and never `-0`.
pub fn number_label(n: f64) -> String {
    // Most figures are whole or in hundredths (hours, weights, scores of reviews): they
    // are written from an integer, without the float formatter's slow exact path. When
    // `n * 100` lands on an integer below 2^50, `n` lies far closer to it than the 0.005
    // that could change `{:.2}`, so the text is the same.
    let hundredths = n * 100.0;
    if hundredths.fract() == 0.0 && hundredths.abs() < 1e15 {
        let h = hundredths as i64;
        let (whole, cents) = ((h / 100).unsigned_abs(), (h % 100).unsigned_abs() as u8);
        // Digits pushed one by one: the formatter's machinery cost more than them (a
        // briefing writes a figure for every counted person).
        let mut out = String::with_capacity(12);
        if h < 0 {
            out.push('-');
        }
        out.push_str(itoa::Buffer::new().format(whole));
        if cents > 0 {
            out.push('.');
            out.push(char::from(b'0' + cents / 10));
            if cents % 10 != 0 {
                out.push(char::from(b'0' + cents % 10));
            }
        }
        return out;
    }
    formatted(n)
}

/// [`number_label`] of any number: as `{:.2}` writes it (a share such as 11/12 of an
/// evaluation's figures), trailing zeros dropped.
fn formatted(n: f64) -> String {
    let mut text = String::with_capacity(12);
    crate::numbers::Hundredths(n).push_to(&mut text);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// The shared values of a site: one per visible record, department and person.
pub struct SiteData {
    pub links: Links,
    /// Indexed like `Corpus::records`; `None` for records not shown (drafts).
    pub entries: Vec<Option<Value>>,
    /// By id; hash maps, since they are only looked up (a briefing looks a person up
    /// for every line, and a B-tree compares a dozen ids each time).
    pub departments: AHashMap<String, Value>,
    pub people: AHashMap<String, Value>,
    /// A person's link as HTML, `<a href="url">name</a>`, for lists made in Rust
    /// ([`crate::render::html`]): a briefing links every counted person every month.
    pub person_anchors: AHashMap<String, String>,
    /// `{name, url}` of every tag of the visible records, shared by the records that
    /// carry it (a tag is on hundreds of records).
    pub tags: AHashMap<String, Value>,
    /// A tag's link as record.html prints it, `<a class="tag" href="url">tag</a>`, made
    /// once for the records that carry it ([`SiteData::record_parts`]).
    pub tag_anchors: AHashMap<String, String>,
}

impl SiteData {
    pub fn new(corpus: &Corpus) -> Self {
        let links = Links::new(&corpus.site.base_url);
        let departments: AHashMap<String, Value> = corpus
            .org
            .departments
            .iter()
            .map(|d| {
                let mut m = Map::new();
                m.insert("id", s(d.id.as_str()));
                m.insert("name", html::text_value(&d.name));
                m.insert("url", html::text_value(&links.department(d.id.as_str())));
                let (kind, label) = match d.kind {
                    DeptType::Centre => ("centre", "中心科室"),
                    DeptType::Support => ("support", "后勤科室"),
                };
                m.insert("type", s(kind));
                m.insert("type_label", s(label));
                (d.id.to_string(), map(m))
            })
            .collect();
        let people = corpus
            .org
            .people
            .iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("id", s(p.id.as_str()));
                m.insert("name", html::text_value(&p.name));
                m.insert("url", html::text_value(&links.person(p.id.as_str())));
                m.insert(
                    "department",
                    departments
                        .get(p.department.as_str())
                        .cloned()
                        .unwrap_or_else(Value::none),
                );
                let (role, label) = match p.role {
                    Role::Leader => ("leader", "领导干部"),
                    Role::Member => ("member", "干部职工"),
                };
                m.insert("role", s(role));
                m.insert("role_label", s(label));
                m.insert("party", Value::from(p.party));
                (p.id.to_string(), map(m))
            })
            .collect();
        let person_anchors = (corpus.org.people.iter())
            .map(|p| {
                let mut anchor = String::new();
                html::push_anchor(&mut anchor, &p.name, &links.person(p.id.as_str()));
                (p.id.to_string(), anchor)
            })
            .collect();
        let tags = (corpus.index.by_tag.keys())
            .map(|t| (t.clone(), tag_value(&links, t)))
            .collect();
        let tag_anchors = (corpus.index.by_tag.keys())
            .map(|t| (t.clone(), tag_anchor(&links, t)))
            .collect();
        let mut data = SiteData {
            links,
            entries: Vec::new(),
            departments,
            people,
            person_anchors,
            tags,
            tag_anchors,
        };
        let shown = |r: &Record| !r.draft || corpus.include_drafts;
        data.entries = corpus
            .records
            .par_iter()
            .map(|r| shown(r).then(|| data.entry(corpus, r)))
            .collect();
        data
    }

    /// Puts on every entry its items in the lists ([`Env::with_items`]), before pages
    /// that list them are planned.
    pub fn add_items(&mut self, env: &Env) -> Result<()> {
        let entries = std::mem::take(&mut self.entries);
        self.entries = entries
            .into_par_iter()
            .map(|e| e.map(|e| env.with_items(e)).transpose())
            .collect::<Result<_>>()?;
        Ok(())
    }

    /// A link to a person: `{id, name, url}`; a free name (a guest speaker) has an
    /// empty `url` and `id`.
    pub fn person_link(&self, id_or_name: &str) -> Value {
        if let Some(p) = self.people.get(id_or_name) {
            return p.clone();
        }
        let mut m = Map::new();
        m.insert("id", s(""));
        m.insert("name", s(id_or_name));
        m.insert("url", s(""));
        map(m)
    }

    /// [`SiteData::person_link`] as HTML: the person's name linked to their page, or
    /// a free name as text.
    pub fn person_anchor(&self, id_or_name: &str) -> std::borrow::Cow<'_, str> {
        match self.person_anchors.get(id_or_name) {
            Some(anchor) => anchor.into(),
            None => {
                let mut text = String::new();
                html::push_text(&mut text, id_or_name);
                text.into()
            }
        }
    }

    fn opt_person(&self, id: Option<&str>) -> Value {
        id.map_or_else(Value::none, |id| self.person_link(id))
    }

    /// The entry of a record as lists show it: everything but `content`, its HTML (see
    /// [`SiteData::record_parts`]).
    pub(crate) fn entry(&self, corpus: &Corpus, r: &Record) -> Value {
        let links = &self.links;
        let date = r.date.map(crate::content::types::iso_date);
        let mut m = Map::new();
        m.insert("title", html::text_value(&r.title));
        m.insert("date", date.as_deref().map_or_else(Value::none, s));
        // The month is the date's start (`YYYY-MM`) but for years of other lengths.
        let month = match (&date, r.month()) {
            (Some(date), _) if date.len() == 10 => s(&date[..7]),
            (_, Some(ym)) => s(&ym.to_string()),
            _ => Value::none(),
        };
        m.insert("month", month);
        m.insert("kind", s(r.kind.name()));
        m.insert("kind_label", s(r.kind.label_zh()));
        m.insert(
            "section_url",
            s(&[links.base(), r.kind.folder(), "/"].concat()),
        );
        m.insert("path", s(&r.path));
        m.insert("url", s(&links.url(&r.path)));
        m.insert("file", s(&r.file));
        m.insert("draft", Value::from(r.draft));
        let summary = match &r.summary {
            Some(own) => s(own),
            None => s(&markdown::summary(&r.body)),
        };
        m.insert("summary", summary);
        // The summary the author wrote, shown above the body (the first paragraph would
        // only repeat it).
        m.insert(
            "lead",
            (r.summary.as_deref()).map_or_else(Value::none, html::text_value),
        );
        let tags: Vec<Value> = (r.tags.iter())
            .map(|t| (self.tags.get(t).cloned()).unwrap_or_else(|| tag_value(&self.links, t)))
            .collect();
        m.insert("tags", Value::from(tags));
        let dept = corpus.department_of(r);
        m.insert(
            "department",
            dept.and_then(|d| self.departments.get(d.as_str()).cloned())
                .unwrap_or_else(Value::none),
        );
        // The person a record is about or by, for bylines and gallery cards.
        let person = match &r.data {
            RecordData::Essay(e) => e.author.as_ref(),
            RecordData::Case(c) => c.person.as_ref(),
            RecordData::Plan(p) => p.person.as_ref(),
            RecordData::Minutes(_) => None,
        };
        m.insert("person", self.opt_person(person.map(|p| p.as_str())));
        let (key, value) = match &r.data {
            RecordData::Plan(p) => ("plan", self.plan(p)),
            RecordData::Minutes(mi) => ("minutes", self.minutes(mi)),
            RecordData::Case(c) => ("case", self.case(c)),
            RecordData::Essay(e) => ("essay", self.essay(e)),
        };
        m.insert(key, value);
        map(m)
    }

    /// What a record's own page shows beyond its `entry` (the record's
    /// [`SiteData::entry`]): `content`, the HTML of its body, made when that page is
    /// rendered and dropped with it (kept in every entry, the HTML of a big site's
    /// records would be the biggest thing it holds).
    ///
    /// Also returns the first `text_chars` characters of the body's plain text (the
    /// search index's, taken from this rendering).
    ///
    /// With the default theme's templates (`builtin`), what their loops print comes
    /// made: a record's `tags_html` (record.html), a session's `attendees_html` and
    /// `absent_html` (minutes.html).
    ///
    /// With `bodies`, a body the last build rendered is taken from there.
    pub(crate) fn record_parts(
        &self,
        corpus: &Corpus,
        r: &Record,
        text_chars: usize,
        builtin: Builtin,
        bodies: Option<&BodyCache>,
    ) -> (RecordParts, String) {
        let links = &self.links;
        let resolve = |file: &str| -> Option<String> {
            if let Some(target) = corpus.record_by_file(file) {
                return (!target.draft || corpus.include_drafts).then(|| links.url(&target.path));
            }
            corpus
                .assets
                .binary_search_by(|a| a.as_str().cmp(file))
                .ok()
                .map(|_| links.url(file))
        };
        let ctx = RenderContext {
            file: &r.file,
            unsafe_html: corpus.site.markdown.unsafe_html,
            resolve: &resolve,
            text_chars,
        };
        let rendered = match bodies {
            Some(bodies) => bodies.render(&r.body, &ctx),
            None => markdown::render(&r.body, &ctx),
        };
        let mut parts = RecordParts {
            content: rendered.html,
            tags_html: None,
            attendees_html: None,
            absent_html: None,
        };
        if builtin.record_page && !r.tags.is_empty() {
            parts.tags_html = Some(self.tags_html(r));
        }
        if builtin.minutes_page
            && let RecordData::Minutes(mi) = &r.data
        {
            parts.attendees_html = Some(self.attendees_html(mi));
            if !mi.absent.is_empty() {
                parts.absent_html = Some(self.absent_html(mi));
            }
        }
        (parts, rendered.text)
    }

    /// What record.html prints of a record's tags: a link to each tag's page.
    fn tags_html(&self, r: &Record) -> String {
        let mut out = String::with_capacity(r.tags.len() * 64);
        for tag in &r.tags {
            match self.tag_anchors.get(tag) {
                Some(anchor) => out.push_str(anchor),
                // A tag only drafts carry.
                None => out.push_str(&tag_anchor(&self.links, tag)),
            }
        }
        out
    }

    /// What minutes.html prints of a session's absentees: their links, each with its
    /// reason in brackets when there is one, `、` apart.
    fn absent_html(&self, mi: &Minutes) -> String {
        let mut out = String::with_capacity(mi.absent.len() * 96);
        for (i, a) in mi.absent.iter().enumerate() {
            if i > 0 {
                out.push('、');
            }
            out.push_str(&self.person_anchor(a.person.as_str()));
            if !a.reason.is_empty() {
                out.push('（');
                html::push_text(&mut out, &a.reason);
                out.push('）');
            }
        }
        out
    }

    /// What minutes.html prints of a session's attendees: their links, `、` apart, and
    /// how many they were, or 无 (a hundred lookups a page in the template).
    fn attendees_html(&self, mi: &Minutes) -> String {
        if mi.attendees.is_empty() {
            return "无".into();
        }
        let mut out = String::with_capacity(mi.attendees.len() * 64 + 16);
        for (i, a) in mi.attendees.iter().enumerate() {
            if i > 0 {
                out.push('、');
            }
            out.push_str(&self.person_anchor(a.as_str()));
        }
        out.push('（');
        out.push_str(itoa::Buffer::new().format(mi.attendees.len()));
        out.push_str("人）");
        out
    }

    fn plan(&self, p: &Plan) -> Value {
        let mut m = Map::new();
        m.insert(
            "period",
            p.period.map_or_else(Value::none, |x| s(&x.to_string())),
        );
        m.insert(
            "period_label",
            p.period.map_or_else(Value::none, |x| s(&x.label_zh())),
        );
        let (scope, label) = match p.scope {
            Scope::Org => ("org", "全机关"),
            Scope::Department => ("department", "科室"),
            Scope::Person => ("person", "个人"),
        };
        m.insert("scope", s(scope));
        m.insert("scope_label", s(label));
        let schedule: Vec<Value> = p
            .schedule
            .iter()
            .map(|item| {
                let mut i = Map::new();
                i.insert("date", s(&crate::content::types::iso_date(item.date)));
                i.insert("topic", s(&item.topic));
                i.insert("kind", s(&item.kind));
                i.insert("speaker", self.opt_person(item.speaker.as_deref()));
                map(i)
            })
            .collect();
        m.insert("schedule", Value::from(schedule));
        map(m)
    }

    fn minutes(&self, mi: &Minutes) -> Value {
        let mut m = Map::new();
        m.insert("kind", s(&mi.kind));
        m.insert("hours", s(&number_label(mi.hours)));
        m.insert(
            "host",
            self.opt_person(mi.host.as_ref().map(|h| h.as_str())),
        );
        m.insert("speaker", self.opt_person(mi.speaker.as_deref()));
        let attendees: Vec<Value> = mi
            .attendees
            .iter()
            .map(|a| self.person_link(a.as_str()))
            .collect();
        m.insert("attendees", Value::from(attendees));
        let absent: Vec<Value> = mi
            .absent
            .iter()
            .map(|a| {
                let mut x = Map::new();
                x.insert("person", self.person_link(a.person.as_str()));
                x.insert("reason", s(&a.reason));
                map(x)
            })
            .collect();
        m.insert("absent", Value::from(absent));
        let materials: Vec<Value> = mi.materials.iter().map(|x| s(x)).collect();
        m.insert("materials", Value::from(materials));
        map(m)
    }

    fn case(&self, c: &Case) -> Value {
        let mut m = Map::new();
        m.insert(
            "cover",
            c.cover
                .as_deref()
                .map_or_else(Value::none, |p| s(&self.links.url(p))),
        );
        m.insert(
            "level",
            c.level.map_or_else(Value::none, |l| {
                s(serde_json::to_value(l)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
                    .as_str())
            }),
        );
        m.insert(
            "level_label",
            c.level.map_or_else(Value::none, |l| s(l.label_zh())),
        );
        map(m)
    }

    fn essay(&self, e: &Essay) -> Value {
        let mut m = Map::new();
        let kind = serde_json::to_value(e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        m.insert("kind", s(&kind));
        m.insert("kind_label", s(e.kind.label_zh()));
        m.insert(
            "adopted_by",
            e.adopted_by.as_deref().map_or_else(Value::none, s),
        );
        m.insert(
            "featured",
            e.featured.map_or_else(Value::none, |ym| s(&ym.to_string())),
        );
        map(m)
    }

    /// The values of records at `indexes` (positions in `Corpus::records`), skipping
    /// those not shown.
    pub fn list(&self, indexes: &[usize]) -> Vec<Value> {
        indexes
            .iter()
            .filter_map(|&i| self.entries.get(i).cloned().flatten())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs_keep_chinese_and_drop_path_characters() {
        assert_eq!(tag_slug("党章"), "党章");
        assert_eq!(tag_slug(" AI / 数据 "), "ai-数据");
        assert_eq!(tag_slug("../"), "-");
        assert_eq!(
            tag_slug("a/b\\c?d#e%f&g:h*i\"j<k>l|m'n.o\tP"),
            "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p"
        );
        assert_eq!(number_label(2.0), "2");
        assert_eq!(number_label(1.5), "1.5");
    }

    #[test]
    fn numbers_read_as_the_float_formatter_writes_them() {
        let mut values: Vec<f64> = (-20_000..20_000).map(|i| f64::from(i) / 100.0).collect();
        values.extend((0..2_000).map(|i| f64::from(i) / 8.0));
        values.extend((1..2_000).map(|i| 100.0 / f64::from(i)));
        values.extend([
            0.005,
            1.005,
            2.675,
            -0.0,
            -0.004,
            1e14,
            123456789.125,
            f64::NAN,
        ]);
        for n in values {
            let text = format!("{n:.2}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            let by_formatter = if text == "-0" { "0" } else { text };
            assert_eq!(number_label(n), by_formatter, "{n:?}");
            assert_eq!(formatted(n), by_formatter, "{n:?}");
        }
    }

    #[test]
    fn links_use_the_base_url() {
        let l = Links::new("https://example.gov.cn/xuexi");
        assert_eq!(
            l.url("minutes/a/"),
            "https://example.gov.cn/xuexi/minutes/a/"
        );
        assert_eq!(l.url(""), "https://example.gov.cn/xuexi/");
        assert_eq!(l.tag("党章"), "https://example.gov.cn/xuexi/tags/党章/");
    }
}
