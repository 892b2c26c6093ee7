//! The machine-readable files: the Atom feed (the 20 newest non-draft records) and the
//! sitemap. Written directly, not through templates: their form is fixed by their
//! standards, and every list is in a fixed order so builds are byte-identical.

use std::fmt::Write;

use super::data::{Links, SiteData};
use super::plan::Page;
use crate::content::{Corpus, RecordData};

const FEED_SIZE: usize = 20;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_xml_escaped(&mut out, s);
    out
}

/// [`xml_escape`] at the end of `out`: runs without a special character are copied
/// whole (the sitemap escapes every address of the site).
fn push_xml_escaped(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Percent-encodes what may not stand in a URI (non-ASCII, spaces), keeping `/`, `:`.
pub fn uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    push_uri(&mut out, url);
    out
}

/// [`uri`] of an owned address: itself when nothing needs encoding.
fn uri_of(url: String) -> String {
    if url.bytes().all(|b| b.is_ascii_graphic()) {
        url
    } else {
        uri(&url)
    }
}

/// [`uri`] at the end of `out`.
fn push_uri(out: &mut String, url: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut start = 0;
    for (i, b) in url.bytes().enumerate() {
        if b.is_ascii_graphic() {
            continue;
        }
        // A run of ASCII starts and ends at character boundaries; between the bytes
        // of one character there is no run.
        if start < i {
            out.push_str(&url[start..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xF)]));
        start = i + 1;
    }
    out.push_str(&url[start..]);
}

fn day(date: &chrono::NaiveDate) -> String {
    // Records carry a day, not a time: noon Beijing time keeps the day in every zone
    // a reader is likely to be in.
    format!("{}T12:00:00+08:00", date.format("%Y-%m-%d"))
}

/// The Atom feed of the 20 newest non-draft records (newest first, ties by file).
pub fn atom(corpus: &Corpus, data: &SiteData) -> String {
    let links = &data.links;
    let site = &corpus.site;
    let records: Vec<_> = corpus
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.draft && r.date.is_some())
        .take(FEED_SIZE)
        .collect();
    let home = uri(&links.url(""));
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(&site.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", xml_escape(&site.title));
    if !site.description.is_empty() {
        let _ = writeln!(
            x,
            "  <subtitle>{}</subtitle>",
            xml_escape(&site.description)
        );
    }
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&uri(&links.url("atom.xml")))
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&home)
    );
    let _ = writeln!(x, "  <id>{}</id>", xml_escape(&home));
    let updated = records
        .iter()
        .filter_map(|(_, r)| r.date)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| day(&d));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let editor = if site.bulletin.editor.is_empty() {
        &site.title
    } else {
        &site.bulletin.editor
    };
    let _ = writeln!(x, "  <author><name>{}</name></author>", xml_escape(editor));
    for (i, r) in records {
        let url = uri(&links.url(&r.path));
        let date = r.date.as_ref().map(day).unwrap_or_default();
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title>{}</title>", xml_escape(&r.title));
        let _ = writeln!(
            x,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_escape(&url)
        );
        let _ = writeln!(x, "    <id>{}</id>", xml_escape(&url));
        let _ = writeln!(x, "    <published>{date}</published>");
        let _ = writeln!(x, "    <updated>{date}</updated>");
        let author = match &r.data {
            RecordData::Essay(e) => e
                .author
                .as_ref()
                .map(|a| corpus.org.person_name(a.as_str())),
            RecordData::Case(c) => c
                .person
                .as_ref()
                .map(|a| corpus.org.person_name(a.as_str())),
            _ => None,
        }
        .or_else(|| {
            corpus
                .department_of(r)
                .and_then(|d| corpus.org.department(d.as_str()).map(|d| d.name.as_str()))
        });
        if let Some(author) = author {
            let _ = writeln!(
                x,
                "    <author><name>{}</name></author>",
                xml_escape(author)
            );
        }
        let _ = writeln!(
            x,
            "    <category term=\"{}\" label=\"{}\"/>",
            r.kind.name(),
            r.kind.label_zh()
        );
        for tag in &r.tags {
            let _ = writeln!(x, "    <category term=\"{}\"/>", xml_escape(tag));
        }
        // The summary as the record page shows it: its own, or its first paragraph.
        let summary = data.entries[i]
            .as_ref()
            .and_then(|e| e.get_from_path("summary"))
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if !summary.is_empty() {
            let _ = writeln!(x, "    <summary>{}</summary>", xml_escape(summary));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The most URLs one sitemap file lists. The sitemaps protocol allows 50,000; like Zola,
/// we split well before that. A site with more pages (a county's ten years of records)
/// gets numbered sitemaps and a sitemap index in `sitemap.xml`, the address crawlers
/// already know.
pub const SITEMAP_URLS: usize = 30_000;

/// The sitemap files of a site of `pages`, `sitemap.xml` first: the sitemap itself, or
/// the index and `sitemap1.xml`, `sitemap2.xml`, ... when it lists more than `per_file`
/// pages ([`SITEMAP_URLS`] but in tests).
pub fn sitemap_paths(pages: &[Page], per_file: usize) -> Vec<String> {
    paths_for(pages.iter().filter(|p| p.in_sitemap).count(), per_file)
}

/// [`sitemap_paths`] of a sitemap of `urls` pages.
fn paths_for(urls: usize, per_file: usize) -> Vec<String> {
    let mut paths = vec!["sitemap.xml".to_string()];
    if urls > per_file {
        paths.extend((1..=urls.div_ceil(per_file)).map(|k| format!("sitemap{k}.xml")));
    }
    paths
}

/// The sitemap files with their text, as [`sitemap_paths`] names them: every page that
/// belongs in the sitemap, sorted by URL.
pub fn sitemaps(pages: &[Page], links: &Links, per_file: usize) -> Vec<(String, String)> {
    let mut urls: Vec<(String, Option<&str>)> = pages
        .iter()
        .filter(|p| p.in_sitemap)
        .map(|p| (uri_of(links.url(&p.path)), p.lastmod.as_deref()))
        .collect();
    urls.sort_unstable();
    split_sitemap(&urls, per_file, links)
}

/// [`sitemaps`] of sorted `urls`, at most `per_file` in a file.
fn split_sitemap(
    urls: &[(String, Option<&str>)],
    per_file: usize,
    links: &Links,
) -> Vec<(String, String)> {
    let mut paths = paths_for(urls.len(), per_file).into_iter();
    let Some(first) = paths.next() else {
        return Vec::new();
    };
    if paths.as_slice().is_empty() {
        return vec![(first, urlset(urls))];
    }
    let parts: Vec<(String, String)> = (paths.zip(urls.chunks(per_file)))
        .map(|(path, chunk)| (path, urlset(chunk)))
        .collect();
    let mut index = String::with_capacity(200 + parts.len() * 120);
    index.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for ((path, _), chunk) in parts.iter().zip(urls.chunks(per_file)) {
        index.push_str("  <sitemap><loc>");
        push_xml_escaped(&mut index, &uri_of(links.url(path)));
        index.push_str("</loc>");
        // The file changed when its newest page did.
        if let Some(newest) = chunk.iter().filter_map(|(_, d)| *d).max() {
            index.push_str("<lastmod>");
            index.push_str(newest);
            index.push_str("</lastmod>");
        }
        index.push_str("</sitemap>\n");
    }
    index.push_str("</sitemapindex>\n");
    std::iter::once((first, index)).chain(parts).collect()
}

/// One sitemap file listing `urls`.
fn urlset(urls: &[(String, Option<&str>)]) -> String {
    let mut x = String::with_capacity(urls.len() * 100 + 200);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in urls {
        x.push_str("  <url><loc>");
        push_xml_escaped(&mut x, url);
        x.push_str("</loc>");
        if let Some(d) = lastmod {
            x.push_str("<lastmod>");
            x.push_str(d);
            x.push_str("</lastmod>");
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_xml_escaped() {
        assert_eq!(uri("/tags/党章/"), "/tags/%E5%85%9A%E7%AB%A0/");
        assert_eq!(uri("https://a.cn/x y"), "https://a.cn/x%20y");
        assert_eq!(xml_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(xml_escape("标题 & <正文>"), "标题 &amp; &lt;正文&gt;");
        assert_eq!(uri("/tags/a b/%/"), "/tags/a%20b/%/");
        assert_eq!(uri_of("/minutes/2026/a/".to_string()), "/minutes/2026/a/");
        assert_eq!(uri_of("/tags/党/".to_string()), "/tags/%E5%85%9A/");
    }

    #[test]
    fn a_sitemap_past_its_size_becomes_an_index_of_numbered_sitemaps() {
        assert_eq!(paths_for(0, SITEMAP_URLS), ["sitemap.xml"]);
        assert_eq!(paths_for(SITEMAP_URLS, SITEMAP_URLS), ["sitemap.xml"]);
        assert_eq!(
            paths_for(SITEMAP_URLS + 1, SITEMAP_URLS),
            ["sitemap.xml", "sitemap1.xml", "sitemap2.xml"]
        );
        assert_eq!(paths_for(3 * SITEMAP_URLS, SITEMAP_URLS).len(), 4);

        let links = Links::new("https://xuexi.example.cn/");
        let urls: Vec<(String, Option<&str>)> = vec![
            ("https://xuexi.example.cn/a/".into(), Some("2026-03-01")),
            ("https://xuexi.example.cn/b/".into(), Some("2026-05-02")),
            ("https://xuexi.example.cn/c/".into(), None),
        ];
        let whole = split_sitemap(&urls, 3, &links);
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].0, "sitemap.xml");
        assert_eq!(whole[0].1.matches("<url>").count(), 3);

        let split = split_sitemap(&urls, 2, &links);
        let paths: Vec<&str> = split.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["sitemap.xml", "sitemap1.xml", "sitemap2.xml"]);
        assert_eq!(paths, paths_for(3, 2));
        let index = &split[0].1;
        assert!(index.contains("<sitemapindex "), "{index}");
        assert!(!index.contains("<url>"), "{index}");
        // Each numbered file by its address, dated by its newest page (none: no date).
        assert!(index.contains(
            "<sitemap><loc>https://xuexi.example.cn/sitemap1.xml</loc><lastmod>2026-05-02</lastmod></sitemap>"
        ));
        assert!(
            index.contains("<sitemap><loc>https://xuexi.example.cn/sitemap2.xml</loc></sitemap>")
        );
        // Every page once, in order, the files split where the size says.
        assert_eq!(split[1].1.matches("<url>").count(), 2);
        assert!(split[1].1.contains("/a/</loc>") && split[1].1.contains("/b/</loc>"));
        assert_eq!(split[2].1.matches("<url>").count(), 1);
        assert!(split[2].1.contains("/c/</loc>"));
        assert!(split[2].1.starts_with("<?xml") && split[2].1.contains("<urlset "));
    }
}
