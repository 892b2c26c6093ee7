//! Markup written in Rust rather than in a template: the few lists so long that a
//! template map per item cost more than the rest of their page (a briefing's sources),
//! and the printable briefing and evaluation documents.
//! Text is escaped exactly as tera's autoescape escapes it (the same crate does both),
//! so a list made here prints what the template printed.

/// `text` as a template value, marked safe when escaping would leave it as it is (none
/// of `& < > " '` in it): a value printed on many pages (the site's title, a person's
/// URL) is then not escaped again on each. The output is the same either way: tera's
/// string equality ignores the mark, and its filters escape what they add.
pub fn text_value(text: &str) -> tera::Value {
    let b = text.as_bytes();
    if memchr::memchr3(b'&', b'<', b'>', b).is_none() && memchr::memchr2(b'"', b'\'', b).is_none() {
        tera::Value::safe_string(text)
    } else {
        tera::Value::from(text)
    }
}

/// Appends `text`, escaped.
pub fn push_text(out: &mut String, text: &str) {
    // A short text, as in tera's own escaping (vendor/tera's `escape_html`): most have
    // nothing to escape, which two word tests tell sooner than the escaper's byte loop.
    if text.len() < 16 && !tera::short_needs_html_escape(text.as_bytes()) {
        out.push_str(text);
        return;
    }
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// `text`, escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_text(&mut out, text);
    out
}

/// Appends `<a href="url">title</a>`.
pub fn push_anchor(out: &mut String, title: &str, url: &str) {
    out.push_str("<a href=\"");
    push_text(out, url);
    out.push_str("\">");
    push_text(out, title);
    out.push_str("</a>");
}

/// Appends a link, or the title alone when there is no URL.
pub fn push_link(out: &mut String, title: &str, url: &str) {
    if url.is_empty() {
        push_text(out, title);
    } else {
        push_anchor(out, title, url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_exactly_as_the_templates_escape_it() {
        let text = "<b>王芳</b> & \"引号\" '单引号' ＆ /路径/?a=1&b=2";
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t.html", "{{ text }}")
            .expect("template");
        let mut ctx = tera::Context::new();
        ctx.insert("text", text);
        let mut out = String::new();
        push_text(&mut out, text);
        assert_eq!(out, tera.render("t.html", &ctx).expect("render"));
    }

    #[test]
    fn short_texts_are_escaped_as_the_escaper_escapes_them() {
        // Every special byte at every place of texts of 0 to 17 bytes, among ASCII,
        // zero bytes and the bytes of Chinese characters; through both paths (ours and
        // tera's, which share the short test) and against the escaper itself.
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t.html", "{{ text }}")
            .expect("template");
        for filler in ["a", "\0", "学", "é"] {
            for len in 0..=17 {
                let plain: String = filler.repeat(len);
                let mut texts = vec![plain.clone()];
                for special in ["&", "<", ">", "\"", "'"] {
                    for at in (0..=plain.len()).filter(|&i| plain.is_char_boundary(i)) {
                        texts.push([&plain[..at], special, &plain[at..]].concat());
                    }
                }
                for text in texts {
                    let mut expected = String::new();
                    pulldown_cmark_escape::escape_html(&mut expected, &text).expect("escape");
                    let mut ours = String::new();
                    push_text(&mut ours, &text);
                    assert_eq!(ours, expected, "{text:?}");
                    let mut ctx = tera::Context::new();
                    ctx.insert("text", &text);
                    assert_eq!(tera.render("t.html", &ctx).expect("render"), expected);
                }
            }
        }
    }

    #[test]
    fn a_link_without_url_is_its_title() {
        let mut out = String::new();
        push_link(&mut out, "张伟", "/people/zhang-wei/");
        push_link(&mut out, "<外请专家>", "");
        assert_eq!(
            out,
            "<a href=\"/people/zhang-wei/\">张伟</a>&lt;外请专家&gt;"
        );
    }
}
