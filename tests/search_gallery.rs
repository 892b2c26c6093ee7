//! The search page and index, the header search box, and the gallery with thumbnails and
//! pre-rendered filter pages, on a private copy of the small fixture site (the thumbnail
//! cache is written inside the content directory).

use std::path::{Path, PathBuf};

use jianbao::{BuildOptions, build};

fn copy_fixture(to: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
    let dest = to.join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(&from).expect("prefix");
        if rel.starts_with(".jianbao-cache") {
            continue;
        }
        let target = dest.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dest
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let content = copy_fixture(tmp.path());
    let out = tmp.path().join("public");
    let summary = build(&BuildOptions {
        content,
        output: out.clone(),
        drafts: false,
    })
    .expect("build");
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    (tmp, out)
}

#[test]
fn search_page_index_and_header_box() {
    let (_tmp, out) = built();
    let page = read(&out, "search/index.html");
    for needle in [
        r#"<form id="search-form""#,
        r#"data-base="/""#,
        r#"name="q""#,
        r#"<select name="kind"><option value="">全部</option><option value="plan">"#,
        r#"<option value="caiwu">财务科</option>"#,
        r#"<option value="2026">2026年</option>"#,
        r#"id="search-results""#,
        r#"id="search-status""#,
        "<noscript>",
        r#"<script src="/search/index.js" defer></script>"#,
        r#"<script src="/search.js" defer></script>"#,
    ] {
        assert!(
            page.contains(needle),
            "search page should contain {needle:?}"
        );
    }
    let index = read(&out, "search/index.js");
    assert!(index.starts_with("window.JIANBAO_SEARCH={"));
    assert!(index.contains("陈静同志十年如一日做好后勤服务"));
    // Every page has the header box, a plain GET form to the search page.
    for rel in [
        "index.html",
        "gallery/index.html",
        "minutes/index.html",
        "404.html",
    ] {
        let html = read(&out, rel);
        assert!(
            html.contains(r#"<form class="site-search" action="/search/" method="get" role="search"><input type="search" name="q""#),
            "{rel} should have the header search box"
        );
    }
    assert!(
        !read(&out, "sitemap.xml").contains("/search/"),
        "the search page is not for crawlers"
    );
}

#[test]
fn gallery_cards_use_thumbnails_and_filters_are_pages() {
    let (tmp, out) = built();
    let gallery = read(&out, "gallery/index.html");
    let thumbs: Vec<_> = std::fs::read_dir(out.join("thumbs"))
        .expect("thumbs/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(thumbs.len(), 1, "{thumbs:?}");
    let thumb = &thumbs[0];
    assert!(thumb.ends_with("-640.jpg"));
    // The 1x1 cover stays 1x1: thumbnails never scale up.
    let img = format!(
        r#"<img src="/thumbs/{thumb}" width="1" height="1" alt="扎根后勤的服务标兵" loading="lazy" decoding="async">"#
    );
    assert!(gallery.contains(&img), "{gallery}");
    assert!(gallery.contains(r#"<a href="/cases/chen-jing/">"#));
    assert!(gallery.contains(
        r#"data-department="houqin" data-level="city" data-year="2026" data-tag="先进典型""#
    ));
    assert!(gallery.contains(r#"<script src="/gallery.js" defer></script>"#));
    assert!(gallery.contains(r#"<ul class="gallery" id="gallery-all">"#));
    // The case page shows the full image.
    assert!(read(&out, "cases/chen-jing/index.html").contains(r#"src="/assets/chen-jing.png""#));

    for (page, title) in [
        ("gallery/department/houqin/index.html", "科室：后勤服务中心"),
        ("gallery/level/city/index.html", "级别：市级"),
        ("gallery/year/2026/index.html", "年份：2026年"),
        ("gallery/tag/先进典型/index.html", "标签：先进典型"),
    ] {
        let html = read(&out, page);
        assert!(html.contains(title), "{page} should be titled {title}");
        assert!(html.contains(&img), "{page} shows the case");
        assert!(
            html.contains(r#"class="current" aria-current="page">"#),
            "{page} marks its filter"
        );
        assert!(!html.contains("gallery.js"), "{page} needs no script");
    }
    assert!(
        tmp.path()
            .join("content/.jianbao-cache/thumbs")
            .join(thumb)
            .is_file(),
        "thumbnails are cached in the content directory"
    );
}
