//! Tests of builtin.rs: each component written in Rust prints what the default
//! theme's template prints.

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

/// What `entry_item(e, compact)` prints, not compact and compact: the item made in
/// Rust and the compact one cut out of it.
fn entry_items(e: &Value) -> Option<(Value, Value)> {
    let item = entry_item(e)?;
    let (start, end) = compact_of(&item);
    let compact = Value::safe_string(&[start, end].concat());
    Some((Value::safe_string(&item), compact))
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

/// `call` rendered with `x` by the embedded theme, with the components written in
/// Rust and with the templates' own (a theme whose components.html differs by a
/// comment only).
fn both_ways(call: &str, x: Value) -> (String, String) {
    let mut template_only = Theme::embedded().expect("theme");
    let text = template_only.templates["components.html"].clone() + "\n{# mine #}\n";
    template_only
        .templates
        .insert("components.html".into(), text);
    assert!(!Builtin::of(&template_only).entry_list);
    let render = |theme: &Theme| {
        let env = Env::new(theme, Value::none(), &[]).expect("env");
        let mut tera = env.tera.clone();
        tera.add_raw_template("t.html", call).expect("template");
        let mut ctx = Context::new();
        ctx.insert_value("x", x.clone());
        tera.render("t.html", &ctx).expect("render")
    };
    (
        render(&Theme::embedded().expect("theme")),
        render(&template_only),
    )
}

#[test]
fn entry_lists_are_the_components_markup() {
    let entry = |title: &str| {
        let e = map(&[
            ("title", Value::from(title)),
            ("url", Value::from("/essays/a/")),
            ("kind", Value::from("essay")),
            ("kind_label", Value::from("心得文章")),
            ("date", Value::from("2026-03-06")),
            ("summary", Value::from("摘要 & <b>")),
        ]);
        let (item, compact) = entry_items(&e).expect("made here");
        let mut m = e.as_map().expect("map").clone();
        m.insert("item".into(), item);
        m.insert("item_compact".into(), compact);
        Value::from(m)
    };
    let entries = Value::from(vec![entry("甲 <一>"), entry("乙")]);
    // As the site keeps them with the default entry_list: the item alone, the compact
    // one cut out of it; with and without a summary.
    let item_only = |e: Value| {
        let mut m = e.as_map().expect("map").clone();
        m.shift_remove(&tera::Key::Str("item_compact"));
        Value::from(m)
    };
    let mut no_summary = entry("丁").as_map().expect("map").clone();
    no_summary.insert("summary".into(), Value::from(""));
    let (item, _) = entry_items(&Value::from(no_summary.clone())).expect("made here");
    no_summary.insert("item".into(), item);
    let items_only = Value::from(vec![
        item_only(entry("甲 <一>")),
        item_only(Value::from(no_summary.clone())),
    ]);
    // As `Env::with_items` keeps them: with where the compact item ends; a cut that is
    // not where the summary starts (not made here) is passed over.
    let with_cut = |e: Value, cut: Option<usize>| {
        let mut m = item_only(e).as_map().expect("map").clone();
        let item = (m.get(&tera::Key::Str("item")).and_then(Value::as_str)).expect("item");
        let item = item.to_string();
        let cut = cut.unwrap_or_else(|| compact_of(&item).0.len());
        m.insert("item_cut".into(), Value::from(cut));
        Value::from(m)
    };
    let items_cut = Value::from(vec![
        with_cut(entry("甲 <一>"), None),
        with_cut(Value::from(no_summary), None),
        with_cut(entry("乙"), Some(100_000)),
        with_cut(entry("乙"), Some(7)),
    ]);
    // Written here, not left to the template (which would trivially agree).
    let mut args = Context::new();
    args.insert_value("entries", entries.clone());
    args.insert_value("empty", Value::from("暂无记录。"));
    for compact in [false, true] {
        args.insert_value("compact", Value::from(compact));
        assert!(entry_list(&args).is_some_and(|html| html.contains("甲 &lt;一&gt;")));
    }
    let calls = [
        "{{ <entry_list entries={x} /> }}",
        "[{{ <entry_list entries={x} compact={true} /> }}]",
        "{{ <entry_list entries={x} empty=\"<无> & 空\" /> }}",
    ];
    for x in [
        entries,
        items_only,
        items_cut,
        Value::from(Vec::<Value>::new()),
        Value::none(),
    ] {
        for call in calls {
            let (native, template) = both_ways(call, x.clone());
            assert_eq!(native, template, "{call}");
        }
    }
    // An entry made elsewhere, without its item, is left to the template.
    let bare = map(&[("title", Value::from("丙")), ("url", Value::from("/a/"))]);
    let mut args = Context::new();
    args.insert_value("entries", Value::from(vec![bare]));
    args.insert_value("empty", Value::from(""));
    assert!(entry_list(&args).is_none());
    args.insert_value("entries", Value::from(Vec::<Value>::new()));
    args.insert_value("compact", Value::from("yes"));
    assert!(entry_list(&args).is_none());
}

#[test]
fn paginations_are_the_components_markup() {
    let number = |n: usize| {
        map(&[
            ("number", Value::from(n)),
            ("url", Value::from(format!("/tags/学习&\"x\"/page/{n}/"))),
        ])
    };
    let gap = map(&[("gap", Value::from(true))]);
    let pager = |current: usize, total: usize, pages: Vec<Value>| {
        let url = |k: usize| {
            if (1..=total).contains(&k) {
                Value::from(format!("/tags/a/page/{k}/"))
            } else {
                Value::none()
            }
        };
        map(&[
            ("current", Value::from(current)),
            ("total", Value::from(total)),
            ("count", Value::from(total * 10 - 3)),
            ("prev", url(current.wrapping_sub(1))),
            ("next", url(current + 1)),
            ("pages", Value::from(pages)),
        ])
    };
    let pagers = [
        pager(1, 1, vec![number(1)]),
        pager(1, 3, vec![number(1), number(2), number(3)]),
        pager(
            5,
            9,
            vec![
                number(1),
                gap.clone(),
                number(4),
                number(5),
                number(6),
                gap,
                number(9),
            ],
        ),
        pager(2, 2, vec![number(1), number(2)]),
    ];
    for p in pagers {
        let mut args = Context::new();
        args.insert_value("p", p.clone());
        assert!(pagination(&args).is_some());
        let (native, template) = both_ways("[{{ <pagination p={x} /> }}]", p);
        assert_eq!(native, template);
    }
    let mut args = Context::new();
    args.insert_value("p", map(&[("total", Value::from(2.5))]));
    assert!(pagination(&args).is_none());
}
