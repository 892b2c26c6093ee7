//! Pages that show the YAML ledgers (study logs and reviews) as they are, line by line
//! with an anchor per line (`#L12`), so a figure taken from a ledger can link to the line
//! it comes from.

use std::sync::Arc;

use ahash::AHashMap;
use tera::{Context, Value};

use super::{Deferred, Map, page};
use crate::content::Corpus;
use crate::render::data::SiteData;
use crate::render::plan::Page;

/// The ledger files that have a page, with their text.
pub struct Ledgers {
    /// File -> (URL path, text as loaded). A hash map: the briefings and evaluations
    /// look a ledger up for every line they cite.
    files: AHashMap<String, (String, Arc<str>)>,
    base: String,
    /// Whether ledger.html is the default theme's: its pages are then given their
    /// lines as markup ([`lines_html`]).
    markup: bool,
}

/// What a ledger file is, in words: 学习台账, 考评记录.
pub fn label(file: &str) -> &'static str {
    if file.starts_with("logs/") {
        "学习台账"
    } else if file.starts_with("reviews/") {
        "考评记录"
    } else {
        "文件"
    }
}

/// `logs/2026-03.yaml` -> `ledgers/logs/2026-03/`.
fn path_of(file: &str) -> String {
    let stem = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
        .unwrap_or(file);
    format!("ledgers/{stem}/")
}

impl Ledgers {
    /// Every log and review of the corpus, with the text it was loaded from (kept by its
    /// field lines: no file is read again). `markup`: ledger.html is the default theme's.
    pub fn new(corpus: &Corpus, data: &SiteData, markup: bool) -> Self {
        let files = (corpus.logs.values().map(|l| (&l.file, &l.lines)))
            .chain(corpus.reviews.values().map(|r| (&r.file, &r.lines)))
            .map(|(file, lines)| {
                (
                    file.to_string(),
                    (path_of(file), lines.text().cloned().unwrap_or_default()),
                )
            })
            .collect();
        Ledgers {
            files,
            base: data.links.url(""),
            markup,
        }
    }

    /// The URL of a line of a ledger (the whole page for line 0); empty when the file has
    /// no page.
    pub fn url(&self, file: &str, line: usize) -> String {
        let Some((path, _)) = self.files.get(file) else {
            return String::new();
        };
        // Built by hand: a big site's briefings cite a ledger line per person and month.
        let mut url = String::with_capacity(self.base.len() + path.len() + 12);
        url.push_str(&self.base);
        url.push_str(path);
        if line > 0 {
            url.push_str("#L");
            url.push_str(itoa::Buffer::new().format(line));
        }
        url
    }

    /// A page per ledger; with `defer`, without its lines ([`Ledgers::page`] makes
    /// them when it is rendered).
    pub fn pages(&self, defer: bool) -> Vec<Page> {
        let mut files: Vec<&String> = self.files.keys().collect();
        files.sort_unstable();
        files
            .into_iter()
            .filter_map(|file| {
                if defer {
                    let mut p = self.page_with(file, Context::new())?;
                    p.deferred = Some(Deferred::Ledger(file.as_str().into()));
                    Some(p)
                } else {
                    self.page(file)
                }
            })
            .collect()
    }

    /// The page of one ledger file: its lines, numbered by their place (a map per
    /// line made a big site's ledgers a fiftieth of its build), or for the default
    /// theme's ledger.html the markup of its loop over them (`lines_html`, with `lines`
    /// empty): a ledger of a big site has thousands of lines.
    pub fn page(&self, file: &str) -> Option<Page> {
        let (_, text) = self.files.get(file)?;
        let mut ledger = Map::new();
        ledger.insert("file", Value::from(file));
        ledger.insert("label", Value::from(label(file)));
        if self.markup {
            ledger.insert("lines_html", Value::safe_owned(lines_html(text)));
            ledger.insert("lines", Value::from(Vec::<Value>::new()));
        } else {
            let lines: Vec<Value> = crate::content::scan::lines(text).map(Value::from).collect();
            ledger.insert("lines", Value::from(lines));
        }
        let mut ctx = Context::new();
        ctx.insert_value("ledger", Value::from(ledger));
        self.page_with(file, ctx)
    }

    fn page_with(&self, file: &str, ctx: Context) -> Option<Page> {
        let (path, _) = self.files.get(file)?;
        let title = format!("{}：{file}", label(file));
        let mut p = page(
            path.clone(),
            "ledger.html",
            &title,
            "evaluation",
            ctx,
            vec![file.into()],
        );
        p.in_sitemap = false;
        Some(p)
    }
}

/// What the default theme's ledger.html prints for its loop over the lines of `text`: a
/// table row per line, with its number as anchor and link, and the line as code.
fn lines_html(text: &str) -> String {
    // Sized once (a big ledger's markup is megabytes): each line takes ~100 bytes of
    // markup with three copies of its number.
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let mut out = String::with_capacity(text.len() + text.len() / 8 + lines * 120);
    for (i, line) in crate::content::scan::lines(text).enumerate() {
        let mut buffer = itoa::Buffer::new();
        let number = buffer.format(i + 1);
        out.push_str("<tr id=\"L");
        out.push_str(number);
        out.push_str("\"><td class=\"line-number\"><a href=\"#L");
        out.push_str(number);
        out.push_str("\">");
        out.push_str(number);
        out.push_str("</a></td><td class=\"line\"><code>");
        crate::render::html::push_text(&mut out, line);
        out.push_str("</code></td></tr>\n");
    }
    out
}
