//! Markdown bodies of records to HTML: CommonMark plus tables, footnotes, strikethrough
//! and task lists (pulldown-cmark), with the policies a bulletin site needs:
//!
//! - every h2-h4 gets an `id` from its text (Chinese text is kept; whitespace becomes `-`;
//!   repeats get `-1`, `-2`), so sections can be linked;
//! - raw HTML is shown as text unless the site sets `markdown.unsafe_html`;
//! - a link to another record's file (`../essays/foo.md`, relative to the record) becomes
//!   that record's URL, so authors link files as they see them in the repository;
//! - the plain text of the first paragraph, for records without a `summary`;
//! - the plain text of the start of the body, for the search index ([`PlainText`]).
//!
//! Rendering is pure: the caller says how a content-relative file maps to a URL.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// The result of rendering one body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// The first [`RenderContext::text_chars`] characters of the body's plain text
    /// ([`plain_text`]).
    pub text: String,
}

/// What rendering needs to know besides the text.
pub struct RenderContext<'a> {
    /// Content-relative path of the record being rendered (`minutes/2026/a.md`).
    pub file: &'a str,
    pub unsafe_html: bool,
    /// Maps a content-relative file to its URL: a record's file (`essays/foo.md`) to its
    /// page, an image or attachment to where it is copied; `None` for anything else.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// How much of the body's plain text [`Rendered::text`] keeps (0: none). The search
    /// index takes it from the page's rendering instead of parsing the body again.
    pub text_chars: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders a Markdown body to HTML and takes its search text. (The summary is
/// [`summary`]'s, which lists need without the HTML.)
pub fn render(body: &str, ctx: &RenderContext) -> Rendered {
    let mut text = PlainText::new(ctx.text_chars);
    if ctx.text_chars > 0 {
        (text.out).reserve(body.len().min(ctx.text_chars.saturating_mul(4)) + 8);
    }
    let mut events = Events {
        parser: Parser::new_ext(body, options()),
        ctx,
        ids: Anchors::default(),
        pending: std::collections::VecDeque::new(),
        text,
    };
    let mut out = String::with_capacity(body.len() * 3 / 2);
    // The events go to the HTML writer as they are read: collected first, they were
    // copied twice (a tenth of the rendering).
    html::push_html(&mut out, &mut events);
    Rendered {
        html: out,
        text: events.text.finish(),
    }
}

/// The events of a body as the page shows them (see the module's policies), feeding
/// the search text as they pass. A heading's events wait in `pending`
/// until its end, when its text gives its id.
struct Events<'a, 'c> {
    parser: Parser<'a>,
    ctx: &'c RenderContext<'c>,
    ids: Anchors,
    pending: std::collections::VecDeque<Event<'a>>,
    text: PlainText,
}

impl<'a> Events<'a, '_> {
    /// The next event of the parser, fed to the search text, with the HTML policy and
    /// link rewriting applied.
    fn next_policed(&mut self) -> Option<Event<'a>> {
        let mut event = self.parser.next()?;
        self.text.feed(&event);
        // Changed in place: most events pass as they are, and rebuilding each one moved
        // it twice more.
        match &mut event {
            Event::Html(raw) | Event::InlineHtml(raw) if !self.ctx.unsafe_html => {
                event = Event::Text(std::mem::replace(raw, CowStr::Borrowed("")));
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Some(url) = rewrite_link(dest_url, self.ctx) {
                    *dest_url = CowStr::from(url);
                }
            }
            _ => {}
        }
        Some(event)
    }
}

impl<'a> Iterator for Events<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        match self.next_policed()? {
            Event::Start(Tag::Heading { level, id, .. })
                if id.is_none()
                    && matches!(
                        level,
                        HeadingLevel::H2 | HeadingLevel::H3 | HeadingLevel::H4
                    ) =>
            {
                // The heading's events up to its end (or the end of the body) wait in
                // `pending`, empty until now.
                let mut closed = false;
                while let Some(event) = self.next_policed() {
                    if matches!(event, Event::End(TagEnd::Heading(_))) {
                        closed = true;
                        break;
                    }
                    self.pending.push_back(event);
                }
                let heading_id = self.ids.unique(&heading_text(self.pending.iter()));
                if closed {
                    self.pending.push_back(Event::End(TagEnd::Heading(level)));
                }
                Some(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::Boxed(heading_id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }))
            }
            event => Some(event),
        }
    }
}

/// The readable text of Markdown ([`PlainText`]), all of it.
pub fn plain_text(markdown: &str) -> String {
    let mut text = PlainText::new(usize::MAX);
    for event in Parser::new_ext(markdown, options()) {
        text.feed(&event);
    }
    text.finish()
}

/// The readable text of Markdown, collected from its events: text, code and link text,
/// one space between blocks, runs of whitespace collapsed, raw HTML dropped. Keeps the
/// first `chars` characters; it stops collecting once they can no longer change.
pub struct PlainText {
    out: String,
    chars: usize,
}

impl PlainText {
    pub fn new(chars: usize) -> Self {
        PlainText {
            out: String::new(),
            chars,
        }
    }

    /// Whether the first `chars` characters are settled: text is only ever appended
    /// (or a space just pushed taken back), so once the text is two characters longer
    /// (4 bytes hold at least one), its start stays.
    fn full(&self) -> bool {
        self.out.len() / 4 > self.chars.saturating_add(2)
    }

    pub fn feed(&mut self, event: &Event) {
        if self.chars == 0 || self.full() {
            return;
        }
        let out = &mut self.out;
        let push_space = |out: &mut String| {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        };
        match event {
            Event::Text(t) | Event::Code(t) => push_words(out, t),
            Event::SoftBreak | Event::HardBreak | Event::Rule => push_space(out),
            Event::Start(Tag::Item | Tag::TableCell) => push_space(out),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => push_space(out),
            _ => {}
        }
    }

    /// The first `chars` characters of the text, trimmed (it never starts with a space).
    pub fn finish(mut self) -> String {
        self.out.truncate(self.out.trim_end().len());
        // A text of at most `chars` bytes has at most `chars` characters: nothing to cut.
        if self.out.len() > self.chars
            && let Some(cut) = char_start(&self.out, self.chars)
        {
            self.out.truncate(cut);
        }
        self.out
    }
}

/// Appends the words of `text` one space apart, with a space before them when `text`
/// starts with whitespace and after them when it ends with some (an empty `text` takes
/// back a space just pushed). Whitespace is what `char::is_whitespace` says, found from
/// the bytes ([`crate::bytescan`]): splitting Chinese text char by char was a twentieth
/// of a build.
fn push_words(out: &mut String, text: &str) {
    let b = text.as_bytes();
    let (mut i, mut words, mut ends_in_space) = (0, 0, false);
    while i < b.len() {
        let space = whitespace_len(b, i);
        if space > 0 {
            i += space;
            ends_in_space = true;
            continue;
        }
        let start = i;
        i += 1;
        // Skips to the bytes that may start whitespace (a block of Chinese text at a
        // time), then steps over the characters they start that are not.
        loop {
            i = crate::bytescan::find_whitespace_start(b, i);
            if i >= b.len() || whitespace_len(b, i) > 0 {
                break;
            }
            i += match b[i] {
                0xC2 => 2,
                0xE0.. => 3,
                _ => 1,
            };
        }
        if words > 0 || (start > 0 && !out.is_empty() && !out.ends_with(' ')) {
            out.push(' ');
        }
        out.push_str(&text[start..i]);
        words += 1;
        ends_in_space = false;
    }
    if words > 0 && ends_in_space {
        out.push(' ');
    } else if text.is_empty() && out.ends_with(' ') {
        out.pop();
    }
}

/// Where character number `n` (from 0) of `s` starts, if it has that many: characters
/// are counted by their lead bytes (every byte but UTF-8's continuation bytes
/// `0b10xx_xxxx`), eight bytes at a time, without decoding them (the search text of
/// every record is cut to length).
pub(crate) fn char_start(s: &str, n: usize) -> Option<usize> {
    let b = s.as_bytes();
    let (mut i, mut before) = (0, 0);
    // Whole words while the character sought lies beyond them.
    while let Some(word) = b.get(i..i + 8) {
        let word = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        // A byte's top bit pair `10` marks a continuation byte.
        let continuation = word & !(word << 1) & 0x8080_8080_8080_8080;
        // Counted by a multiply that sums the bytes' top bits into the last byte:
        // `count_ones` is a dozen instructions on x86-64 without `popcnt`.
        let continuations =
            ((continuation >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize;
        let leads = 8 - continuations;
        if before + leads > n {
            break;
        }
        before += leads;
        i += 8;
    }
    // Byte by byte within the word that holds it (or the end).
    while i < b.len() {
        if b[i] & 0xC0 != 0x80 {
            if before == n {
                return Some(i);
            }
            before += 1;
        }
        i += 1;
    }
    None
}

/// The length in bytes of the whitespace character (`char::is_whitespace`: ASCII's and
/// Unicode's White_Space, U+3000 among them) starting at byte `i` of `b`, or 0.
fn whitespace_len(b: &[u8], i: usize) -> usize {
    let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 if matches!(next(1), 0x85 | 0xA0) => 2,
        0xE1 if (next(1), next(2)) == (0x9A, 0x80) => 3,
        0xE2 if matches!(
            (next(1), next(2)),
            (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)
        ) =>
        {
            3
        }
        0xE3 if (next(1), next(2)) == (0x80, 0x80) => 3,
        _ => 0,
    }
}

/// The plain text of the first paragraph, as [`render`] gives it, without rendering the
/// rest of the body: lists show the summaries of thousands of records, never their HTML.
pub fn summary(body: &str) -> String {
    // CommonMark reads blocks line by line: up to a blank line, the blocks of a prefix
    // are those of the whole body. So the first paragraph of a prefix that ends at a
    // blank line, once closed, is the body's, unless a link or footnote in it names a
    // definition further down ('['). Prefixes double, so a late paragraph costs at most
    // twice a full parse. The first ends with the paragraph that holds byte 128: most
    // records start with a heading and their first paragraph, and parsing a second one
    // for nothing was most of the cost.
    let mut want = 128;
    while want < body.len() {
        let cut = blank_line_end(body, want);
        let prefix = &body[..cut];
        if prefix.contains('[') {
            break;
        }
        if let Some(text) = first_paragraph(prefix) {
            return text;
        }
        want = cut.max(want) * 2;
    }
    first_paragraph(body).unwrap_or_default()
}

/// The end of the first blank line at or after byte `from` of `body` (its length when
/// there is none). Up to a blank line, CommonMark gives a prefix of a body the blocks of
/// the whole body, but for definitions (`[label]: ...`) further down. Blank is
/// CommonMark's blank: spaces and tabs only (a line of ideographic spaces `　` goes on
/// with its paragraph).
pub(crate) fn blank_line_end(body: &str, from: usize) -> usize {
    let b = body.as_bytes();
    let from = from.min(b.len());
    // Back to the start of the line `from` falls in.
    let mut start = memchr::memrchr(b'\n', &b[..from]).map_or(0, |i| i + 1);
    while start < b.len() {
        let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i + 1);
        let blank = b[start..end]
            .iter()
            .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'));
        if blank {
            return end;
        }
        start = end;
    }
    body.len()
}

/// The plain text of the first top-level paragraph of `markdown` once it is closed;
/// `None` while it may go on past the end of `markdown` or there is none yet.
fn first_paragraph(markdown: &str) -> Option<String> {
    let mut summary = Summary::default();
    for event in Parser::new_ext(markdown, options()) {
        summary.feed(&event);
        if summary.state == SummaryState::Done {
            return Some(summary.text.trim().to_string());
        }
    }
    None
}

fn heading_text<'e>(events: impl Iterator<Item = &'e Event<'e>>) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Heading ids, unique within one page.
#[derive(Default)]
struct Anchors {
    seen: ahash::AHashSet<Box<str>>,
}

impl Anchors {
    fn unique(&mut self, text: &str) -> Box<str> {
        let mut base = anchor(text);
        if base.is_empty() {
            base.push_str("section");
        }
        let id = if self.seen.contains(base.as_str()) {
            let mut n = 1;
            while self.seen.contains(format!("{base}-{n}").as_str()) {
                n += 1;
            }
            format!("{base}-{n}").into_boxed_str()
        } else {
            base.into_boxed_str()
        };
        self.seen.insert(id.clone());
        id
    }
}

/// The id of a heading: its text, trimmed, with runs of whitespace turned into `-` and
/// characters that would break a URL fragment or an attribute dropped.
pub fn anchor(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(
            word.chars()
                .filter(|c| !matches!(c, '#' | '%' | '"' | '\'' | '<' | '>' | '&' | '?' | '/')),
        );
    }
    out
}

/// Collects the plain text of the first top-level paragraph.
#[derive(Default)]
struct Summary {
    text: String,
    depth: usize,
    state: SummaryState,
}

#[derive(Default, PartialEq)]
enum SummaryState {
    #[default]
    Looking,
    Inside,
    Done,
}

impl Summary {
    fn feed(&mut self, event: &Event) {
        if self.state == SummaryState::Done {
            return;
        }
        match event {
            Event::Start(Tag::Paragraph) if self.depth == 0 => self.state = SummaryState::Inside,
            Event::Start(Tag::FootnoteDefinition(_)) => self.depth += 1,
            Event::Start(_) if self.state == SummaryState::Looking => self.depth += 1,
            Event::End(TagEnd::Paragraph) if self.state == SummaryState::Inside => {
                self.state = SummaryState::Done;
            }
            Event::End(_) if self.state == SummaryState::Looking => {
                self.depth = self.depth.saturating_sub(1);
            }
            Event::Text(t) | Event::Code(t) if self.state == SummaryState::Inside => {
                self.text.push_str(t);
            }
            // Chinese text runs on without a space where the source broke a line.
            Event::SoftBreak | Event::HardBreak
                if self.state == SummaryState::Inside
                    && self.text.chars().last().is_some_and(|c| c.is_ascii()) =>
            {
                self.text.push(' ');
            }
            _ => {}
        }
    }
}

/// The URL a relative link stands for (another record's file, an image beside the record
/// or under `assets/`), or `None` to keep it as written.
fn rewrite_link(dest: &str, ctx: &RenderContext) -> Option<String> {
    if dest.is_empty() || dest.starts_with('#') || dest.contains("://") || dest.starts_with('/') {
        return None;
    }
    if dest.starts_with("mailto:") || dest.starts_with("tel:") {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    if path.is_empty() || path.contains(':') {
        return None;
    }
    let dir = ctx.file.rsplit_once('/').map_or("", |(dir, _)| dir);
    let target = normalize(dir, path)?;
    let url = (ctx.resolve)(&target)?;
    Some(match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url,
    })
}

/// Joins a relative path onto a content-relative directory, resolving `.` and `..`.
/// `None` when the path climbs out of the content directory.
fn normalize(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `push_words` replaced: words split by `str::split_whitespace`.
    fn push_words_by_chars(out: &mut String, t: &str) {
        for word in t.split_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') && t.starts_with(char::is_whitespace) {
                out.push(' ');
            }
            out.push_str(word);
            out.push(' ');
        }
        if !t.ends_with(char::is_whitespace) && out.ends_with(' ') {
            out.pop();
        }
    }

    #[test]
    fn a_character_starts_where_char_indices_says() {
        let long = "学习a𠮷 é，一二三四五六七八九十ABCDEFGHIJ".repeat(5);
        for text in [
            "",
            "a",
            "学习",
            "a学𠮷b\u{3000}é",
            "一二三四五六七八九十",
            &long,
        ] {
            for n in 0..=text.chars().count() + 2 {
                let expected = text.char_indices().nth(n).map(|(i, _)| i);
                assert_eq!(char_start(text, n), expected, "{text:?} {n}");
            }
        }
    }

    #[test]
    fn words_are_split_at_the_whitespace_char_is_whitespace_knows() {
        // Every White_Space character, neighbours of their UTF-8 bytes, Chinese text and
        // punctuation (whose bytes start like U+3000's and U+2000's).
        let mut pieces: Vec<String> = (0..=0x3001u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace() || (*c as u32).is_multiple_of(97))
            .map(String::from)
            .collect();
        pieces.extend(
            [
                "学习", "。", "、", "“", "”", "—", "…", "𠮷", "\u{205F}", "\u{3000}", "\u{FEFF}",
            ]
            .map(String::from),
        );
        pieces.extend(["a", "b c", "", " "].map(String::from));
        let mut seed = 11u64;
        let mut pick = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        for _ in 0..20_000 {
            let before: String = (0..pick(3))
                .map(|_| pieces[pick(pieces.len())].clone())
                .collect();
            let text: String = (0..pick(6))
                .map(|_| pieces[pick(pieces.len())].clone())
                .collect();
            let (mut fast, mut slow) = (before.clone(), before.clone());
            push_words(&mut fast, &text);
            push_words_by_chars(&mut slow, &text);
            assert_eq!(fast, slow, "{before:?} + {text:?}");
        }
    }

    fn resolve(file: &str) -> Option<String> {
        match file {
            "essays/foo.md" => Some("/essays/foo/".into()),
            "assets/a.png" => Some("/assets/a.png".into()),
            _ => None,
        }
    }

    /// The summary of every event of `body`, as a reference for [`summary`]'s prefixes.
    fn whole_summary(body: &str) -> String {
        let mut summary = Summary::default();
        for event in Parser::new_ext(body, options()) {
            summary.feed(&event);
        }
        summary.text.trim().to_string()
    }

    fn md(body: &str) -> Rendered {
        render(
            body,
            &RenderContext {
                file: "minutes/2026/a.md",
                unsafe_html: false,
                resolve: &resolve,
                text_chars: 0,
            },
        )
    }

    #[test]
    fn tables_footnotes_strikethrough_and_task_lists() {
        let html = md(
            "| 姓名 | 学时 |\n| --- | --- |\n| 张伟 | 2 |\n\n正文[^1]\n\n[^1]: 注释\n\n~~删除~~\n\n- [x] 已完成\n- [ ] 未完成\n",
        )
        .html;
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<td>张伟</td>"), "{html}");
        assert!(html.contains("footnote-reference"), "{html}");
        assert!(html.contains("<del>删除</del>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
    }

    #[test]
    fn h2_to_h4_get_unique_ids_from_their_text() {
        let html = md(
            "# 标题\n\n## 学习 内容\n\n### 学习 内容\n\n#### `code` 讨论\n\n## 学习 内容\n\n##### 五级\n",
        )
        .html;
        assert!(html.contains("<h1>标题</h1>"), "{html}");
        assert!(
            html.contains("<h2 id=\"学习-内容\">学习 内容</h2>"),
            "{html}"
        );
        assert!(html.contains("<h3 id=\"学习-内容-1\">"), "{html}");
        assert!(
            html.contains("<h4 id=\"code-讨论\"><code>code</code> 讨论</h4>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"学习-内容-2\">"), "{html}");
        assert!(html.contains("<h5>五级</h5>"), "{html}");
        // A heading whose text is an id given before gets a number of its own.
        let html = md("## 小结\n\n## 小结\n\n## 小结-1\n\n## \n").html;
        for id in ["小结", "小结-1", "小结-1-1", "section"] {
            assert!(html.contains(&format!("<h2 id=\"{id}\">")), "{id}: {html}");
        }
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let body = "<script>alert(1)</script>\n\n文字<b>粗</b>\n";
        let html = md(body).html;
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("&lt;b&gt;粗&lt;/b&gt;"), "{html}");
        let html = render(
            body,
            &RenderContext {
                file: "minutes/a.md",
                unsafe_html: true,
                resolve: &resolve,
                text_chars: 0,
            },
        )
        .html;
        assert!(html.contains("<script>alert(1)</script>"), "{html}");
        assert!(html.contains("<b>粗</b>"), "{html}");
    }

    #[test]
    fn links_to_record_files_become_their_urls() {
        let html = md("[文章](../../essays/foo.md) [锚点](../../essays/foo.md#part) [外部](https://example.com/a.md) [缺](../../essays/none.md) [图](pic.png) ![照片](../../assets/a.png)").html;
        assert!(html.contains("href=\"/essays/foo/\""), "{html}");
        assert!(html.contains("href=\"/essays/foo/#part\""), "{html}");
        assert!(html.contains("href=\"https://example.com/a.md\""), "{html}");
        assert!(html.contains("href=\"../../essays/none.md\""), "{html}");
        assert!(html.contains("href=\"pic.png\""), "{html}");
        assert!(html.contains("src=\"/assets/a.png\""), "{html}");
    }

    #[test]
    fn summary_is_the_plain_text_of_the_first_paragraph() {
        for (body, expected) in [
            (
                "## 小标题\n\n第一段**加粗**，\n接着写。\n\n第二段。\n",
                "第一段加粗，接着写。",
            ),
            ("- 列表\n\n正文 `code` and\nmore\n", "正文 code and more"),
            ("", ""),
            ("> 引用段\n\n真正的第一段\n", "真正的第一段"),
        ] {
            assert_eq!(summary(body), expected, "{body}");
            assert_eq!(whole_summary(body), expected, "{body}");
        }
    }

    #[test]
    fn the_summary_of_a_prefix_is_the_summary_of_the_whole_body() {
        let long = "长".repeat(400);
        let bodies = [
            "第一段。\n".to_string(),
            format!("## 标题\n\n{long}\n\n第二段\n"),
            // The first paragraph after a long list, a code fence with blank lines in it
            // and an HTML comment that spans blank lines.
            format!("- {long}\n- 二\n\n```\n代码\n\n{long}\n```\n\n真正的第一段\n"),
            format!("<!--\n{long}\n\n注释\n-->\n\n正文\n"),
            // A reference defined at the end: the prefix alone would keep the brackets.
            format!(
                "[链接][参考]和脚注[^1]\n\n{long}\n\n[参考]: https://example.com\n[^1]: 脚注\n"
            ),
            format!("> {long}\n\n{long}\n第二行\n\n末段\n"),
            format!("{}\n\n", "## 只有标题\n\n".repeat(80)),
            // A line of ideographic spaces is not blank: the paragraph goes on past it.
            format!("{long}\n　　\n接着写\n\n第二段\n"),
            String::new(),
        ];
        for body in bodies {
            assert_eq!(summary(&body), whole_summary(&body), "{body}");
        }
    }

    #[test]
    fn normalize_resolves_dots_and_refuses_to_climb_out() {
        assert_eq!(
            normalize("minutes/2026", "../../essays/a.md").as_deref(),
            Some("essays/a.md")
        );
        assert_eq!(
            normalize("essays", "./b.md").as_deref(),
            Some("essays/b.md")
        );
        assert_eq!(normalize("essays", "../../x.md"), None);
    }
}
