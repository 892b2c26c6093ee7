//! The search index: every visible record as a small document (title, summary, plain
//! body text, kind, department, people, tags, date), written as one JavaScript file that
//! the search page loads with a `<script>` tag.
//!
//! Why no word index: Chinese has no spaces, so a word index needs a segmenter and
//! dictionary (Zola's CJK search build, Pagefind's extended build) and still misses names
//! and phrases the dictionary does not know. Matching substrings of the plain text finds
//! any 2-character name or 4-character phrase, mixed Chinese and ASCII included, with
//! nothing to segment; the text is small (the example site's index is 0.3 MB, 0.1 MB
//! gzipped; a 10,000-record site's 12.6 MB, 1 MB gzipped, with bodies cut to
//! [`body_cap`]), it is scanned in milliseconds, and a `<script>` file also works from
//! `file://`, offline. Measurements: README.md, section "Search".

use std::io::Write;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Corpus, Record, RecordData};
use crate::markdown::plain_text;

use super::data::SiteData;
use super::plan::Page;

/// Where the index is written, relative to the output directory.
pub const INDEX_PATH: &str = "search/index.js";

/// The search page `search/`: the form with its choices (kinds, departments, years that
/// have records), an empty result list that `search.js` fills, and the script URLs. The
/// header's search box sends `?q=` here, so a search from any page lands on it.
pub fn search_page(corpus: &Corpus, data: &SiteData) -> Page {
    let pair = |a: &str, b: &str| {
        let mut m: std::collections::BTreeMap<&'static str, tera::Value> = Default::default();
        m.insert("value", tera::Value::from(a));
        m.insert("label", tera::Value::from(b));
        tera::Value::from(m)
    };
    let kinds: Vec<tera::Value> = crate::content::Kind::ALL
        .iter()
        .map(|k| pair(k.name(), k.label_zh()))
        .collect();
    let departments: Vec<tera::Value> = corpus
        .org
        .departments
        .iter()
        .map(|d| pair(d.id.as_str(), &d.name))
        .collect();
    let years: Vec<tera::Value> = visible_years(corpus)
        .into_iter()
        .map(|y| pair(&y.to_string(), &format!("{y}年")))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert_value("kinds", tera::Value::from(kinds));
    ctx.insert_value("departments", tera::Value::from(departments));
    ctx.insert_value("years", tera::Value::from(years));
    ctx.insert_value("index_url", tera::Value::from(data.links.url(INDEX_PATH)));
    ctx.insert_value("script_url", tera::Value::from(data.links.url("search.js")));
    Page {
        output: "search/index.html".into(),
        path: "search/".into(),
        template: "search.html".into(),
        title: "搜索".into(),
        section: "search",
        context: ctx,
        deps: Vec::new(),
        // A page of results for whatever the reader types: nothing for a crawler.
        in_sitemap: false,
        lastmod: None,
        deferred: None,
    }
}

/// Years with visible records, newest first.
fn visible_years(corpus: &Corpus) -> Vec<i32> {
    let mut years: Vec<i32> = corpus
        .visible()
        .filter_map(|r| r.month())
        .map(|m| m.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    years.reverse();
    years
}

/// At most this many characters of a record's body go into the index: enough for any
/// phrase search and a snippet, while a very long report does not bloat the index.
pub const MAX_BODY_CHARS: usize = 4000;
/// A big site shares this many body characters between its records (about 10 MB of
/// Chinese text), so the index stays loadable on a phone: 10,000 records keep their
/// first 350 characters each, a site of under 875 records keeps [`MAX_BODY_CHARS`].
/// Titles, summaries, names and tags are always complete.
pub const BODY_BUDGET_CHARS: usize = 3_500_000;
/// However big the site, each record keeps at least this much of its body.
pub const MIN_BODY_CHARS: usize = 300;

/// Body characters kept per record on a site of `records` records.
pub fn body_cap(records: usize) -> usize {
    (BODY_BUDGET_CHARS / records.max(1)).clamp(MIN_BODY_CHARS, MAX_BODY_CHARS)
}

/// One record's document of the index. The record's own texts are borrowed: a big site
/// makes one per record.
#[derive(Debug, Serialize)]
pub struct SearchDoc<'a> {
    /// URL path relative to the site root.
    pub u: &'a str,
    /// Title.
    pub t: &'a str,
    /// Kind (`minutes`, `essay` ...).
    pub k: &'static str,
    /// Date, YYYY-MM-DD.
    pub d: String,
    /// Department id (its name is in the index's `departments`).
    pub di: String,
    /// Names of the people the record is about, space-separated.
    pub p: String,
    /// Tags, space-separated.
    pub g: String,
    /// The summary the author wrote, or empty: search.js takes the start of the body
    /// instead (storing that twice made a quarter of a big site's index).
    pub s: &'a str,
    /// Plain body text, whitespace collapsed.
    pub b: String,
}

impl SearchDoc<'_> {
    /// The document as JSON, script-safe: what `serde_json` writes, with every `<` as
    /// `\u003c` ([`script_safe`]), in one pass that skips to the bytes to escape
    /// ([`crate::bytescan`]; escaping byte by byte was a thirtieth of a big build).
    fn to_json(&self) -> String {
        let fields = [
            ("u", self.u),
            ("t", self.t),
            ("k", self.k),
            ("d", &self.d),
            ("di", &self.di),
            ("p", &self.p),
            ("g", &self.g),
            ("s", self.s),
            ("b", &self.b),
        ];
        let size: usize = fields.iter().map(|(_, v)| v.len() + 8).sum();
        let mut out = String::with_capacity(size + size / 16 + 2);
        for (i, (key, value)) in fields.into_iter().enumerate() {
            out.push_str(if i == 0 { "{\"" } else { ",\"" });
            out.push_str(key);
            out.push_str("\":");
            push_json_string(&mut out, value);
        }
        out.push('}');
        out
    }
}

/// Appends `text` as a JSON string, escaped as `serde_json` escapes it, and `<` as
/// `\u003c`.
fn push_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let b = text.as_bytes();
    out.push('"');
    let (mut done, mut i) = (0, 0);
    loop {
        i = crate::bytescan::find_json_special(b, i);
        if i >= b.len() {
            break;
        }
        let escaped: &str = match b[i] {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'<' => "\\u003c",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            c @ 0..0x20 => {
                out.push_str(&text[done..i]);
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(c >> 4)]));
                out.push(char::from(HEX[usize::from(c & 0xF)]));
                i += 1;
                done = i;
                continue;
            }
            // find_json_special stops only at the bytes above.
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[done..i]);
        out.push_str(escaped);
        i += 1;
        done = i;
    }
    out.push_str(&text[done..]);
    out.push('"');
}

/// The index without its documents (they are serialized one by one).
#[derive(Debug, Serialize)]
struct SearchIndexHead<'a> {
    version: u32,
    kinds: Vec<(&'static str, &'static str)>,
    departments: Vec<(&'a str, &'a str)>,
    years: Vec<i32>,
}

/// Builds the index for the visible records of the corpus, as the text of `search/index.js`.
pub fn search_index_js(corpus: &Corpus) -> String {
    let cap = body_cap(corpus.index.visible.len());
    let docs: Vec<String> = corpus
        .index
        .visible
        .par_iter()
        .map(|&i| doc_json(corpus, &corpus.records[i], cap))
        .collect();
    // Only strings were pushed.
    String::from_utf8(index_js(corpus, docs.iter().map(String::as_str))).unwrap_or_default()
}

/// Like [`search_index_js`], written to `out` one document at a time: those `prepared`
/// while the record pages were rendered ([`PreparedDocs::take`], by record index; each
/// freed once written), the others made here.
pub fn write_search_index(
    corpus: &Corpus,
    out: &mut impl Write,
    mut prepared: Vec<Option<Box<str>>>,
) -> std::io::Result<()> {
    let cap = body_cap(corpus.index.visible.len());
    let docs =
        (corpus.index.visible.iter()).map(|&i| match prepared.get_mut(i).and_then(Option::take) {
            Some(doc) => doc,
            None => doc_json(corpus, &corpus.records[i], cap).into_boxed_str(),
        });
    push_index(corpus, out, docs)
}

/// The search documents of the records whose pages were rendered, by record index, made
/// from the plain text of that rendering ([`crate::markdown::Rendered::text`]): the
/// index then parses no body a second time.
pub struct PreparedDocs {
    cap: usize,
    docs: Mutex<Vec<Option<Box<str>>>>,
}

impl PreparedDocs {
    pub fn new(corpus: &Corpus) -> Self {
        PreparedDocs {
            cap: body_cap(corpus.index.visible.len()),
            docs: Mutex::new(vec![None; corpus.records.len()]),
        }
    }

    /// How many characters of a body's plain text the index keeps ([`body_cap`]).
    pub fn body_chars(&self) -> usize {
        self.cap
    }

    /// Keeps the document of record `index` (`r`), whose body's plain text starts with
    /// `text` ([`Self::body_chars`] characters of it, or all).
    pub fn put(&self, corpus: &Corpus, index: usize, r: &Record, text: String) {
        // Boxed: a string grown by doubling holds up to twice its length.
        let doc = doc_json_of(corpus, r, text).into_boxed_str();
        // A panic elsewhere cannot leave the list half-changed: take it as it is.
        let mut docs = self.docs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = docs.get_mut(index) {
            *slot = Some(doc);
        }
    }

    /// The documents kept so far, by record index; none is kept after this.
    pub fn take(&self) -> Vec<Option<Box<str>>> {
        std::mem::take(&mut *self.docs.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// One record's document of the index, as JSON; `cap` is [`body_cap`] of the site.
/// `serve` keeps these and makes again only the edited records'.
pub fn doc_json(corpus: &Corpus, r: &Record, cap: usize) -> String {
    let mut text = plain_text_start(&r.body, cap);
    if let Some(cut) = crate::markdown::char_start(&text, cap) {
        text.truncate(cut);
    }
    doc_json_of(corpus, r, text)
}

/// The document of `r` whose body's plain text, as the index keeps it, is `text`.
fn doc_json_of(corpus: &Corpus, r: &Record, text: String) -> String {
    search_doc(corpus, r, text).to_json()
}

/// The index file's bytes: the kinds, departments and years the search form offers, then
/// the documents made by [`doc_json`], in the order of the visible records. Bytes, not a
/// `String`: checking a big site's index as UTF-8 again (100 MB at 100,000 records) was a
/// noticeable part of `serve`'s update after an edit.
pub fn index_js<'a>(corpus: &Corpus, docs: impl Iterator<Item = &'a str> + Clone) -> Vec<u8> {
    // Sized once: the index of a big site is megabytes, and growing it copies them.
    let size = docs.clone().map(|d| d.len() + 1).sum::<usize>() + 4096;
    let mut out = Vec::with_capacity(size);
    // Writing to memory cannot fail.
    let _ = push_index(corpus, &mut out, docs);
    out
}

/// Appends the index file, with `docs` as its documents, to `out`.
fn push_index<S: AsRef<str>>(
    corpus: &Corpus,
    out: &mut impl Write,
    docs: impl Iterator<Item = S>,
) -> std::io::Result<()> {
    let head = SearchIndexHead {
        version: 1,
        kinds: crate::content::Kind::ALL
            .iter()
            .map(|k| (k.name(), k.label_zh()))
            .collect(),
        departments: corpus
            .org
            .departments
            .iter()
            .map(|d| (d.id.as_str(), d.name.as_str()))
            .collect(),
        years: visible_years(corpus),
    };
    let head = script_safe(serde_json::to_string(&head).unwrap_or_else(|_| "{}".into()));
    // The head is a JSON object: the documents go in as its last member.
    out.write_all(b"window.JIANBAO_SEARCH=")?;
    out.write_all(head.strip_suffix('}').unwrap_or("{").as_bytes())?;
    out.write_all(if head.len() > 2 {
        b",\"docs\":["
    } else {
        b"\"docs\":["
    })?;
    for (i, doc) in docs.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(doc.as_ref().as_bytes())?;
    }
    out.write_all(b"]};\n")
}

/// `</script>` inside a string would end an inline script; escape `<` everywhere.
fn script_safe(json: String) -> String {
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

fn search_doc<'a>(corpus: &Corpus, r: &'a Record, body: String) -> SearchDoc<'a> {
    let department = corpus.department_of(r);
    let mut people: Vec<&str> = r
        .people()
        .into_iter()
        .map(|p| corpus.org.person_name(p.as_str()))
        .collect();
    let summary = r.summary.as_deref().unwrap_or_default();
    let extra = match &r.data {
        RecordData::Minutes(m) => m
            .speaker
            .as_deref()
            .map(|s| corpus.org.person_name(s).to_string()),
        _ => None,
    };
    // The speaker is usually among the attendees already: name them once.
    if let Some(speaker) = extra.as_deref()
        && !people.contains(&speaker)
    {
        people.push(speaker);
    }
    let people = people.join(" ");
    SearchDoc {
        u: &r.path,
        t: &r.title,
        k: r.kind.name(),
        d: r.date
            .map(crate::content::types::iso_date)
            .unwrap_or_default(),
        di: department.map(|d| d.to_string()).unwrap_or_default(),
        p: people,
        g: r.tags.join(" "),
        s: summary,
        b: body,
    }
}

/// Text whose first `cap` characters are those of [`plain_text`] of `markdown`, from
/// as little of it as that needs: the index keeps only the start of a body on a big
/// site, and parsing the rest was a twentieth of its build.
fn plain_text_start(markdown: &str, cap: usize) -> String {
    // A prefix that ends at a blank line has the blocks of the whole body (unless a
    // definition further down changes a link in it), so its text is a start of the
    // body's, but for trailing whitespace; prefixes double until one is long enough.
    let mut want = cap.saturating_mul(4).max(256);
    while want < markdown.len() {
        let cut = crate::markdown::blank_line_end(markdown, want);
        if markdown[cut..].contains("]:") {
            break;
        }
        let text = plain_text(&markdown[..cut]);
        if text.chars().count() > cap {
            return text;
        }
        want = cut.max(want) * 2;
    }
    plain_text(markdown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_the_json_serde_writes_made_script_safe() {
        let tricky = "学习\"引号\" \\ </script> \u{0}\u{1f}\u{7f}\u{8}\u{c}\n\r\t é 𠮷 \u{2028} ＜";
        let reversed: String = tricky.chars().rev().collect();
        let doc = SearchDoc {
            u: "minutes/2026/a/",
            t: tricky,
            k: "minutes",
            d: "2026-03-06".into(),
            di: String::new(),
            p: "张伟 李娜".into(),
            g: "<b>".into(),
            s: &reversed,
            b: (0..=0x7fu8).map(char::from).collect(),
        };
        let by_serde = script_safe(serde_json::to_string(&doc).expect("json"));
        assert_eq!(doc.to_json(), by_serde);
    }

    #[test]
    fn strings_of_every_length_are_escaped_as_serde_escapes_them() {
        // The escaper skips 16 bytes at a time: the bytes to escape at every place of
        // a block, in Chinese text, and at the end.
        let pieces = [
            "学", "习", "。", "a", " ", "\"", "\\", "<", ">", "\n", "\u{1}", "\u{1f}", "\u{7f}",
            "é", "𠮷", "\u{2028}", "＜",
        ];
        let mut seed = 7u64;
        let mut pick = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        for _ in 0..5_000 {
            let text: String = (0..pick(40)).map(|_| pieces[pick(pieces.len())]).collect();
            let mut ours = String::new();
            push_json_string(&mut ours, &text);
            let by_serde = script_safe(serde_json::to_string(&text).expect("json"));
            assert_eq!(ours, by_serde, "{text:?}");
        }
    }

    #[test]
    fn plain_text_keeps_words_and_separates_blocks() {
        let md = "## 一、学习内容\n\n学习**纪律处分条例**，提高`政治`站位。\n\n| 姓名 | 发言 |\n| --- | --- |\n| 张伟 | 守纪律 |\n\n- 第一条\n- 第二条\n\n<div>raw</div>\n";
        assert_eq!(
            plain_text(md),
            "一、学习内容 学习纪律处分条例，提高政治站位。 姓名 发言 张伟 守纪律 第一条 第二条"
        );
    }

    #[test]
    fn the_start_of_a_body_is_read_from_as_little_of_it_as_needed_or_kept_from_its_page() {
        let first = |text: String, cap: usize| -> String { text.chars().take(cap).collect() };
        let paragraph =
            "坚持把调查研究作为基本功，多到基层一线听取意见，掌握第一手材料。".repeat(3);
        let mut bodies = vec![
            format!(
                "{paragraph}\n\n## 一、学习内容\n\n{paragraph}\n\n- 第一条\n\n- 第二条 {paragraph}\n"
            ),
            format!("    缩进代码\n\n    {paragraph}\n\n{paragraph}\n"),
            format!("```\n{paragraph}\n\n{paragraph}\n```\n\n{paragraph}\n"),
            format!("<!-- 注释\n\n{paragraph} -->\n\n{paragraph}\n\n{paragraph}\n"),
            format!("| 姓名 | 发言 |\n| --- | --- |\n| 张伟 | {paragraph} |\n\n{paragraph}\n"),
            format!("{paragraph} [原文][1]\n\n{paragraph}\n\n{paragraph}\n\n[1]: /a/\n"),
            format!("{paragraph}[^1]\n\n{paragraph}\n\n[^1]: {paragraph}\n"),
            format!("> {paragraph}\n\n> {paragraph}\n\n1. {paragraph}\n\n   {paragraph}\n"),
        ];
        let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/essays");
        for entry in std::fs::read_dir(example).expect("essays") {
            bodies.push(std::fs::read_to_string(entry.expect("essay").path()).expect("essay"));
        }
        let no_links = |_: &str| None;
        for body in &bodies {
            for cap in [10, 40, 100, 350, 1000] {
                assert_eq!(
                    first(plain_text_start(body, cap), cap),
                    first(plain_text(body), cap),
                    "cap {cap}:\n{body}"
                );
                // What a record page's rendering keeps for the index.
                let ctx = crate::markdown::RenderContext {
                    file: "essays/a.md",
                    unsafe_html: false,
                    resolve: &no_links,
                    text_chars: cap,
                };
                assert_eq!(
                    crate::markdown::render(body, &ctx).text,
                    first(plain_text(body), cap),
                    "rendered, cap {cap}:\n{body}"
                );
            }
        }
    }

    #[test]
    fn index_holds_visible_records_and_is_safe_inside_a_script() {
        let org = "departments: [{id: mishu, name: 秘书科}]\npeople: [{id: li-na, name: 李娜, department: mishu}]\n";
        let rules = "session_kinds: [集中学习]\n";
        let essay = "---\ntitle: 行政许可改革的体会</script>\ndate: 2026-04-02\nauthor: li-na\n---\n正文提到**行政许可**和 AI 助手。\n";
        let draft = "---\ntitle: 草稿\ndate: 2026-04-03\nauthor: li-na\ndraft: true\n---\n草稿\n";
        let (corpus, _) = crate::content::corpus::from_texts(
            org,
            rules,
            &[("essays/a.md", essay), ("essays/b.md", draft)],
        );
        let js = search_index_js(&corpus);
        assert!(js.starts_with("window.JIANBAO_SEARCH="));
        assert!(!js.contains("</script>"));
        assert!(js.contains("正文提到行政许可和 AI 助手。"));
        assert!(js.contains("\"di\":\"mishu\""));
        assert!(js.contains("[\"mishu\",\"秘书科\"]"));
        assert!(js.contains("\"p\":\"李娜\""));
        assert!(!js.contains("草稿"), "drafts are not searchable");
    }

    #[test]
    fn a_big_site_keeps_less_of_each_body() {
        assert_eq!(body_cap(0), MAX_BODY_CHARS);
        assert_eq!(body_cap(300), MAX_BODY_CHARS);
        assert_eq!(body_cap(10_000), 350);
        assert_eq!(body_cap(1_000_000), MIN_BODY_CHARS);
    }
}
