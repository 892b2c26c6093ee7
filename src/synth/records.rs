//! One synthetic Markdown record of each kind: front matter with every field of the
//! kind (DESIGN.md), then a body from [`text::body`].

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::GenKind;
use super::org::{Org, Person, day_in};
use super::text::{
    self, ABSENCE_REASONS, ADOPTERS, BodyShape, CASE_HEADINGS, CASE_SUBJECTS, ESSAY_HEADINGS,
    GUEST_SPEAKERS, MATERIALS, MINUTES_HEADINGS, PLAN_HEADINGS, Rng, SENTENCES, SESSION_KINDS,
    TAGS, TOPICS,
};
use crate::content::types::{Period, YearMonth};

/// What every record of one run shares.
pub struct Ctx<'a> {
    pub org: &'a Org,
    pub seed: u64,
    pub first_year: i32,
    pub years: i32,
    pub total: usize,
    pub covers: usize,
}

/// Record `i` of the run: its content-relative path and its text.
pub fn record(ctx: &Ctx, kind: GenKind, i: usize) -> (String, String) {
    let mut rng = Rng::derive(ctx.seed, 10, i as u64);
    // Records are spread evenly over the years by index; kinds were shuffled.
    let year = ctx.first_year + (i * ctx.years as usize / ctx.total.max(1)) as i32;
    let date = day_in(&mut rng, year);
    let dept = rng.below(ctx.org.depts.len());
    let mut front = String::with_capacity(600);
    let (rel, body) = match kind {
        GenKind::Minutes => minutes(ctx, &mut rng, &mut front, date, dept, i),
        GenKind::Essay => essay(ctx, &mut rng, &mut front, date, dept, i),
        GenKind::Case => case(ctx, &mut rng, &mut front, date, dept, i),
        GenKind::Plan => plan(ctx, &mut rng, &mut front, date, dept, i),
    };
    let n = rng.range(1, 3);
    let tags = rng.pick_distinct(TAGS, n);
    let tags: Vec<&str> = tags.into_iter().copied().collect();
    let _ = writeln!(front, "tags: [{}]", tags.join(", "));
    if rng.chance(30) {
        let _ = writeln!(front, "summary: {}", rng.pick(SENTENCES));
    }
    if rng.chance(2) {
        front.push_str("draft: true\n");
    }
    (rel, format!("---\n{front}---\n\n{body}"))
}

fn ids(people: &[&Person]) -> String {
    let ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
    format!("[{}]", ids.join(", "))
}

fn minutes(
    ctx: &Ctx,
    rng: &mut Rng,
    front: &mut String,
    date: NaiveDate,
    dept: usize,
    i: usize,
) -> (String, String) {
    let d = &ctx.org.depts[dept];
    let staff = ctx.org.staff_of(dept, date);
    let kind = if rng.chance(50) {
        "集中学习"
    } else {
        *rng.pick(SESSION_KINDS)
    };
    let topic = rng.pick(TOPICS);
    let title = match kind {
        "集中学习" => format!("{}集中学习{topic}", d.name),
        "专题辅导" => format!("{topic}专题辅导报告会"),
        "交流研讨" => format!("{}围绕{topic}开展交流研讨", d.name),
        "读书活动" => format!("{}读书分享会", d.name),
        "参观考察" => format!("{}赴廉政教育基地参观学习", d.name),
        "知识竞赛" => format!("{topic}知识竞赛"),
        _ => format!("{}组织网络专题学习{topic}", d.name),
    };
    let hours = *rng.pick(&["1", "1.5", "2", "2", "2.5", "3", "4"]);
    // The leader (on the staff throughout) hosts; up to two others are absent.
    let host = staff[0];
    let absent_n = [0, 0, 0, 1, 1, 2][rng.below(6)].min(staff.len() - 1);
    let mut others: Vec<&Person> = staff[1..].to_vec();
    rng.shuffle(&mut others);
    let absent: Vec<&Person> = others.drain(..absent_n).collect();
    let mut attendees = vec![host];
    attendees.extend(others);
    attendees.sort_by(|a, b| a.id.cmp(&b.id));

    let _ = writeln!(front, "title: {title}");
    let _ = writeln!(front, "date: {date}");
    let _ = writeln!(front, "department: {}", d.id);
    let _ = writeln!(front, "kind: {kind}");
    let _ = writeln!(front, "hours: {hours}");
    let _ = writeln!(front, "host: {}", host.id);
    if rng.chance(50) {
        let _ = writeln!(front, "speaker: {}", rng.pick(&attendees).id);
    } else {
        let _ = writeln!(front, "speaker: {}", rng.pick(GUEST_SPEAKERS));
    }
    let _ = writeln!(front, "attendees: {}", ids(&attendees));
    if !absent.is_empty() {
        front.push_str("absent:\n");
        for p in &absent {
            let _ = writeln!(
                front,
                "  - {{person: {}, reason: {}}}",
                p.id,
                rng.pick(ABSENCE_REASONS)
            );
        }
    }
    let n = rng.range(1, 3);
    let materials: Vec<&str> = rng
        .pick_distinct(MATERIALS, n)
        .into_iter()
        .copied()
        .collect();
    let _ = writeln!(front, "materials: [{}]", materials.join(", "));

    let expected = attendees.len() + absent.len();
    let body = text::body(
        rng,
        &BodyShape {
            headings: MINUTES_HEADINGS,
            table_head: &["项目", "情况"],
            table_rows: vec![
                vec!["应到人数".into(), expected.to_string()],
                vec!["实到人数".into(), attendees.len().to_string()],
                vec!["缺席人数".into(), absent.len().to_string()],
                vec!["学习时长".into(), format!("{hours}小时")],
                vec!["学习形式".into(), kind.into()],
            ],
        },
    );
    let rel = format!(
        "minutes/{}/{:02}-{:02}-{}-{i:06}.md",
        date.year(),
        date.month(),
        date.day(),
        d.id
    );
    (rel, body)
}

fn essay(
    ctx: &Ctx,
    rng: &mut Rng,
    front: &mut String,
    date: NaiveDate,
    dept: usize,
    i: usize,
) -> (String, String) {
    let staff = ctx.org.staff_of(dept, date);
    let author = rng.pick(&staff);
    let topic = rng.pick(TOPICS);
    let (kind, title) = match rng.below(10) {
        0..=3 => ("reflection", format!("学习{topic}的几点体会")),
        4..=5 => ("research", format!("关于{topic}落实情况的调研报告")),
        6 => ("theory", format!("深刻把握{topic}的实践要求")),
        7..=8 => ("reading", format!("{topic}读书笔记")),
        _ => ("idea", format!("关于{}的建议", rng.pick(CASE_SUBJECTS))),
    };
    let _ = writeln!(front, "title: {title}");
    let _ = writeln!(front, "date: {date}");
    let _ = writeln!(front, "author: {}", author.id);
    let _ = writeln!(front, "kind: {kind}");
    if rng.chance(10) {
        let _ = writeln!(front, "adopted_by: {}", rng.pick(ADOPTERS));
    }
    if rng.chance(5) {
        let _ = writeln!(front, "featured: {}", YearMonth::of(date));
    }
    let aspects = ["思想认识", "工作作风", "业务能力", "制度执行"];
    let problems = [
        "学习不够系统",
        "调研不够深入",
        "创新意识不强",
        "落实不够到位",
    ];
    let measures = [
        "制定个人学习计划",
        "每季度深入基层调研",
        "参加业务培训",
        "建立工作台账",
    ];
    let rows = (0..rng.range(2, 4))
        .map(|k| {
            vec![
                aspects[k].to_string(),
                rng.pick(&problems).to_string(),
                rng.pick(&measures).to_string(),
            ]
        })
        .collect();
    let body = text::body(
        rng,
        &BodyShape {
            headings: ESSAY_HEADINGS,
            table_head: &["方面", "存在问题", "改进措施"],
            table_rows: rows,
        },
    );
    let rel = format!(
        "essays/{}/{:02}-{:02}-{}-{i:06}.md",
        date.year(),
        date.month(),
        date.day(),
        author.id
    );
    (rel, body)
}

fn case(
    ctx: &Ctx,
    rng: &mut Rng,
    front: &mut String,
    date: NaiveDate,
    dept: usize,
    i: usize,
) -> (String, String) {
    let d = &ctx.org.depts[dept];
    let subject = rng.pick(CASE_SUBJECTS);
    let _ = writeln!(front, "title: {}{subject}", d.name);
    let _ = writeln!(front, "date: {date}");
    let _ = writeln!(front, "department: {}", d.id);
    if rng.chance(60) {
        let staff = ctx.org.staff_of(dept, date);
        let _ = writeln!(front, "person: {}", rng.pick(&staff).id);
    }
    if rng.chance(80) {
        let _ = writeln!(
            front,
            "cover: covers/cover-{}.png",
            rng.below(ctx.covers) + 1
        );
    }
    let level = match rng.below(100) {
        0..=49 => "unit",
        50..=74 => "county",
        75..=89 => "city",
        90..=97 => "province",
        _ => "national",
    };
    let _ = writeln!(front, "level: {level}");
    let before = rng.range(3, 10);
    let after = rng.range(1, before - 1);
    let sat_before = rng.range(70, 88);
    let sat_after = rng.range(sat_before + 2, 99);
    let body = text::body(
        rng,
        &BodyShape {
            headings: CASE_HEADINGS,
            table_head: &["指标", "实施前", "实施后"],
            table_rows: vec![
                vec![
                    "办理时限（工作日）".into(),
                    before.to_string(),
                    after.to_string(),
                ],
                vec![
                    "服务对象满意度".into(),
                    format!("{sat_before}%"),
                    format!("{sat_after}%"),
                ],
            ],
        },
    );
    let rel = format!(
        "cases/{}/{:02}-{:02}-{}-{i:06}.md",
        date.year(),
        date.month(),
        date.day(),
        d.id
    );
    (rel, body)
}

fn plan(
    ctx: &Ctx,
    rng: &mut Rng,
    front: &mut String,
    date: NaiveDate,
    dept: usize,
    i: usize,
) -> (String, String) {
    let d = &ctx.org.depts[dept];
    let year = date.year();
    let (period, items) = match rng.below(10) {
        0..=2 => (Period::Year(year), rng.range(4, 8)),
        3..=6 => (
            Period::Quarter(year, date.month0() / 3 + 1),
            rng.range(3, 5),
        ),
        _ => (Period::Month(YearMonth::of(date)), rng.range(2, 3)),
    };
    let start = period.first_day();
    let span = (period.last_day() - start).num_days() as usize + 1;
    let plan_date = start + chrono::Days::new(rng.below(span.min(7)) as u64);
    let label = period.label_zh();
    let (scope, owner, title) = match rng.below(100) {
        0..=59 => ("department", None, format!("{}{label}学习计划", d.name)),
        60..=84 => {
            let staff = ctx.org.staff_of(dept, plan_date);
            let p = rng.pick(&staff);
            (
                "person",
                Some(p.id.clone()),
                format!("{}{label}个人自学计划", p.name),
            )
        }
        _ => ("org", None, format!("机关{label}理论学习计划")),
    };
    let mut dates: Vec<NaiveDate> = (0..items)
        .map(|_| start + chrono::Days::new(rng.below(span) as u64))
        .collect();
    dates.sort();

    let _ = writeln!(front, "title: {title}");
    let _ = writeln!(front, "date: {plan_date}");
    if scope != "org" {
        let _ = writeln!(front, "department: {}", d.id);
    }
    let _ = writeln!(front, "period: {period}");
    let _ = writeln!(front, "scope: {scope}");
    if let Some(p) = &owner {
        let _ = writeln!(front, "person: {p}");
    }
    front.push_str("schedule:\n");
    let mut rows = Vec::with_capacity(dates.len());
    for date in dates {
        let topic = rng.pick(TOPICS);
        let kind = rng.pick(SESSION_KINDS);
        let _ = write!(front, "  - {{date: {date}, topic: {topic}, kind: {kind}");
        if rng.chance(30) {
            let _ = write!(front, ", speaker: {}", rng.pick(GUEST_SPEAKERS));
        }
        front.push_str("}\n");
        rows.push(vec![
            format!("{}月{}日", date.month(), date.day()),
            topic.to_string(),
            kind.to_string(),
        ]);
    }
    let body = text::body(
        rng,
        &BodyShape {
            headings: PLAN_HEADINGS,
            table_head: &["时间", "学习专题", "形式"],
            table_rows: rows,
        },
    );
    let owner_id = owner.unwrap_or_else(|| {
        if scope == "org" {
            "jiguan".into()
        } else {
            d.id.clone()
        }
    });
    let rel = format!(
        "plans/{year}/{}-{owner_id}-{i:06}.md",
        period.to_string().to_lowercase()
    );
    (rel, body)
}
