//! The default theme's two most called components, written in Rust: `entry_item` (a
//! record in a list, made once per record) and `evidence_link` (a figure's source on
//! the report pages). A component call costs thousands of instructions; on a
//! 10,000-record site these were 63,000 calls, 6% of the build's instructions. The markup is the
//! components', tested to be equal (escaped by [`super::html`], as tera escapes). A
//! theme that changes or replaces one of them gets its own rendered by tera instead
//! ([`Builtin::of`]).

use tera::{Key, Value};

use super::env::date_zh;
use super::html::{push_link, push_text};
use super::theme::Theme;

/// Which of the components a theme keeps as the default theme has them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Builtin {
    pub entry_item: bool,
    pub evidence_link: bool,
}

impl Builtin {
    pub fn of(theme: &Theme) -> Builtin {
        Builtin {
            entry_item: is_default(theme, "components.html", "entry_item"),
            evidence_link: is_default(theme, "report_components.html", "evidence_link"),
        }
    }
}

/// Whether the component `name` is the default theme's: `file`, which defines it there,
/// is the embedded one, unchanged, and no other template defines one.
fn is_default(theme: &Theme, file: &str, name: &str) -> bool {
    let defines = |text: &str| {
        (text.match_indices(name)).any(|(at, _)| text[..at].trim_end().ends_with("component"))
    };
    let unchanged =
        (theme.templates.get(file)).map(String::as_bytes) == Theme::embedded_template(file);
    unchanged && !(theme.templates.iter()).any(|(other, text)| other != file && defines(text))
}

/// The field `key` of a map value (`None` for a missing field, or not a map).
fn field<'v>(value: &'v Value, key: &'static str) -> Option<&'v Value> {
    value.as_map()?.get(&Key::Str(key))
}

/// The field `key` unless it is missing or none (which the components test as false).
fn present<'v>(value: &'v Value, key: &'static str) -> Option<&'v Value> {
    field(value, key).filter(|v| !v.is_none())
}

/// A field that the component only prints when it is there: text, or nothing for a
/// missing or none field; `None` for anything else (the component is left to print it).
fn optional<'v>(value: &'v Value, key: &'static str) -> Option<&'v str> {
    present(value, key).map_or(Some(""), Value::as_str)
}

/// A field that the component always prints: text, or `None` (left to the component).
fn printed<'v>(value: &'v Value, key: &'static str) -> Option<&'v str> {
    field(value, key)?.as_str()
}

/// ` <time datetime="date">date in Chinese</time>` after `out` (`space` first), nothing
/// for an empty date; `None` for a date `date_zh` refuses.
fn push_time(out: &mut String, date: &str, space: &str) -> Option<()> {
    if !date.is_empty() {
        let zh = date_zh(date).ok()?;
        out.push_str(space);
        out.push_str("<time datetime=\"");
        push_text(out, date);
        out.push_str("\">");
        push_text(out, &zh);
        out.push_str("</time>");
    }
    Some(())
}

/// What `evidence_link(e)` prints: the label, linked when there is a URL, then the date.
pub fn evidence_link(link: &Value) -> Option<Value> {
    let label = printed(link, "label")?;
    let (url, date) = (optional(link, "url")?, optional(link, "date")?);
    let mut out = String::with_capacity(label.len() + url.len() + 64);
    push_link(&mut out, label, url);
    push_time(&mut out, date, " ")?;
    Some(Value::safe_string(&out))
}

/// The name of a `{name, url}` field (a department, a person): `Some(None)` when the
/// component prints none, `None` when it is left to the component (not such a map).
fn name_of<'v>(e: &'v Value, key: &'static str) -> Option<Option<&'v str>> {
    match present(e, key) {
        None => Some(None),
        Some(v) if v.as_map().is_some_and(|m| !m.is_empty()) => printed(v, "name").map(Some),
        Some(_) => None,
    }
}

/// What `entry_item(e, compact)` prints, not compact and compact: the record's kind,
/// date, department, person and draft mark, its linked title, and (not compact) its
/// summary cut at 120 characters.
pub fn entry_items(e: &Value) -> Option<(Value, Value)> {
    let draft = match present(e, "draft") {
        None => false,
        Some(v) => v.as_bool()?,
    };
    let (title, url) = (printed(e, "title")?, printed(e, "url")?);
    let summary = optional(e, "summary")?;
    let mut out = String::with_capacity(256 + title.len() + summary.len().min(400));
    out.push_str("<li class=\"entry\">\n  <div class=\"entry-meta\"><span class=\"kind kind-");
    push_text(&mut out, printed(e, "kind")?);
    out.push_str("\">");
    push_text(&mut out, printed(e, "kind_label")?);
    out.push_str("</span>");
    push_time(&mut out, optional(e, "date")?, "")?;
    for (key, class) in [("department", "dept"), ("person", "byline")] {
        if let Some(name) = name_of(e, key)? {
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
    const END: &str = "\n</li>";
    let compact = Value::safe_string(&format!("{out}{END}"));
    if !summary.is_empty() {
        out.push_str("<p class=\"entry-summary\">");
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
    out.push_str(END);
    Some((Value::safe_string(&out), compact))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::env::Env;
    use tera::{Context, Map};

    fn map(fields: &[(&'static str, Value)]) -> Value {
        let mut m = Map::default();
        for (k, v) in fields {
            m.insert((*k).into(), v.clone());
        }
        Value::from(m)
    }

    /// What the embedded theme's component prints for `arg`.
    fn rendered(call: &str, arg: Value, compact: bool) -> String {
        let env = Env::new(&Theme::embedded().expect("theme"), Value::none(), &[]).expect("env");
        let mut tera = env.tera.clone();
        tera.add_raw_template("t.html", call).expect("template");
        let mut ctx = Context::new();
        ctx.insert_value("x", arg);
        ctx.insert_value("compact", Value::from(compact));
        tera.render("t.html", &ctx).expect("render")
    }

    #[test]
    fn the_embedded_theme_keeps_both_and_a_changed_one_is_left_to_tera() {
        let theme = Theme::embedded().expect("theme");
        let builtin = Builtin::of(&theme);
        assert!(builtin.entry_item && builtin.evidence_link);

        let mut changed = Theme::embedded().expect("theme");
        let text = changed.templates["components.html"].replace("entry-title", "title");
        changed.templates.insert("components.html".into(), text);
        let builtin = Builtin::of(&changed);
        assert!(!builtin.entry_item && builtin.evidence_link);

        let mut defined_again = Theme::embedded().expect("theme");
        defined_again.templates.insert(
            "mine.html".into(),
            "{% component  evidence_link(e) %}{{ e.label }}{% endcomponent evidence_link %}".into(),
        );
        assert!(!Builtin::of(&defined_again).evidence_link);
        // Calling it is not defining it.
        let mut calls = Theme::embedded().expect("theme");
        calls
            .templates
            .insert("mine.html".into(), "{{ <evidence_link e={x} /> }}".into());
        assert!(Builtin::of(&calls).evidence_link);
    }

    #[test]
    fn entry_items_are_the_components_markup() {
        let dept = map(&[
            ("name", Value::from("办公室 & 机要")),
            ("url", Value::from("/departments/bgs/")),
        ]);
        let person = map(&[("name", Value::from("王<芳>")), ("url", Value::from(""))]);
        let long: String = "<学习> & ".repeat(30) + "<b>";
        let exactly: String = "字".repeat(120);
        let entries = [
            map(&[
                ("title", Value::from("学习\"条例\" & 体会")),
                ("url", Value::from("/essays/2026/a/")),
                ("kind", Value::from("essay")),
                ("kind_label", Value::from("心得文章")),
                ("date", Value::from("2026-03-06")),
                ("summary", Value::from("短的摘要 <i>")),
                ("draft", Value::from(false)),
                ("department", dept.clone()),
                ("person", person.clone()),
            ]),
            map(&[
                ("title", Value::from("无日期")),
                ("url", Value::from("/minutes/b/")),
                ("kind", Value::from("minutes")),
                ("kind_label", Value::from("学习记录")),
                ("date", Value::none()),
                ("summary", Value::from(long)),
                ("draft", Value::from(true)),
                ("department", Value::none()),
                ("person", Value::none()),
            ]),
            map(&[
                ("title", Value::from("恰好一百二十字")),
                ("url", Value::from("/cases/c/")),
                ("kind", Value::from("case")),
                ("kind_label", Value::from("典型案例")),
                ("date", Value::from("2026-12-31")),
                ("summary", Value::from(exactly)),
                ("department", dept),
            ]),
            map(&[
                ("title", Value::from("没有摘要")),
                ("url", Value::from("/plans/d/")),
                ("kind", Value::from("plan")),
                ("kind_label", Value::from("学习计划")),
                ("summary", Value::none()),
                ("person", person),
            ]),
        ];
        for e in entries {
            let (item, compact) = entry_items(&e).expect("made here");
            for (made, compact) in [(item, false), (compact, true)] {
                let expected = rendered(
                    "{{ <entry_item e={x} compact={compact} /> }}",
                    e.clone(),
                    compact,
                );
                assert_eq!(made.as_str(), Some(expected.as_str()), "compact: {compact}");
                assert!(made.is_safe());
            }
        }
        // What the templates would print otherwise is left to them.
        let odd = map(&[("title", Value::from(3)), ("url", Value::from("/a/"))]);
        assert!(entry_items(&odd).is_none());
        let bad_date = map(&[
            ("title", Value::from("甲")),
            ("url", Value::from("/a/")),
            ("kind", Value::from("essay")),
            ("kind_label", Value::from("心得文章")),
            ("date", Value::from("3月6日")),
        ]);
        assert!(entry_items(&bad_date).is_none());
    }

    #[test]
    fn evidence_links_are_the_components_markup() {
        let links = [
            ("3月集中学习", "/minutes/2026/a/", Some("2026-03-06")),
            (
                "王<芳> & \"小'王\"",
                "/essays/a?b=1&c=2/",
                Some("2026-12-31"),
            ),
            (
                "logs/2026-03.yaml 第27–32、35行",
                "/ledgers/logs/2026-03/#L27",
                None,
            ),
            ("reviews/2026.yaml", "", None),
            ("没有页面的记录", "", Some("2026-01-10")),
        ];
        for (label, url, date) in links {
            let link = map(&[
                ("label", Value::from(label)),
                ("url", Value::from(url)),
                ("date", date.map_or_else(Value::none, Value::from)),
            ]);
            let made = evidence_link(&link).expect("made here");
            let expected = rendered("{{ <evidence_link e={x} /> }}", link, false);
            assert_eq!(made.as_str(), Some(expected.as_str()));
        }
    }
}
