//! The lines of a briefing's source lists: for each figure of the departments table,
//! the records, plans and people it counts, as HTML (see [`Line`]).

use std::sync::Arc;

use tera::Value;

use super::briefings::url_of;
use super::{Evidence, field_of, line_ranges};
use crate::render::briefing::{self, number};
use crate::render::html;
use crate::stats::monthly::{MonthlyReport, SelfStudySources, Sources};

pub(super) fn group_label(key: &str) -> &'static str {
    match key {
        "sessions" => "学习活动",
        "collective" => "集中学习",
        "planned" => "计划安排",
        "self_study" => "个人自学",
        "essays" => "心得文章",
        "cases" => "典型案例",
        _ => "",
    }
}

/// One list of a unit's sources: its key, how many lines it has and the lines as HTML
/// (safe), each `<li>...</li>` and a newline, as briefing.html prints them.
pub(super) struct Group {
    pub key: &'static str,
    pub count: usize,
    pub html: String,
}

impl Group {
    fn new(key: &'static str) -> Self {
        Group {
            key,
            count: 0,
            html: String::new(),
        }
    }

    /// A group of one line per item, made by `line`.
    fn of<T>(
        key: &'static str,
        items: &[T],
        mut line: impl for<'l> FnMut(Line<'l>, &T) -> Line<'l>,
    ) -> Self {
        let mut group = Group::new(key);
        // Room for the usual line: a link, a date or a note, a ledger link.
        group.html.reserve(items.len() * 200);
        for item in items {
            line(group.line(), item).done();
        }
        group
    }

    fn line(&mut self) -> Line<'_> {
        self.count += 1;
        self.html.push_str("<li>");
        Line(&mut self.html)
    }
}

/// One line of a source list, written at the end of its group's HTML: the counted
/// record or person with its link, then what applies of: date, note, the ledger line,
/// the sessions that held a planned one. Made here rather than in briefing.html: a big
/// site's briefings list tens of thousands of records and people (they once listed
/// every counted person every month, 68,000 lines at 10,000 records), and a template
/// map per line, printed field by field, cost a tenth of the build.
struct Line<'a>(&'a mut String);

impl Line<'_> {
    fn link(self, title: &str, url: &str) -> Self {
        html::push_link(self.0, title, url);
        self
    }

    /// Plain text.
    fn text(self, text: &str) -> Self {
        html::push_text(self.0, text);
        self
    }

    /// Markup made already (a person's link).
    fn markup(self, html: &str) -> Self {
        self.0.push_str(html);
        self
    }

    fn date(self, date: &str) -> Self {
        if !date.is_empty() {
            self.0.push_str(" <time datetime=\"");
            html::push_text(self.0, date);
            self.0.push_str("\">");
            if !crate::render::env::push_iso_date_zh(self.0, date) {
                let zh = crate::render::env::date_zh(date).unwrap_or_else(|_| date.to_string());
                html::push_text(self.0, &zh);
            }
            self.0.push_str("</time>");
        }
        self
    }

    /// A note made of `parts` (none when they are all empty).
    fn note(self, parts: &[&str]) -> Self {
        if parts.iter().any(|p| !p.is_empty()) {
            self.0.push_str(" <span class=\"note\">");
            for part in parts {
                html::push_text(self.0, part);
            }
            self.0.push_str("</span>");
        }
        self
    }

    /// A link to a line of a ledger: the URL of the ledger's `page` with `#L<line>` (the
    /// page itself for line 0); nothing when the ledger has no page.
    fn ledger(self, page: &str, line: usize) -> Self {
        self.ledger_cited(page, line, "台账")
    }

    /// Like [`Line::ledger`], the link reading `［label］`.
    fn ledger_cited(self, page: &str, line: usize, label: &str) -> Self {
        if !page.is_empty() {
            self.0.push_str(" <a class=\"ledger-line\" href=\"");
            html::push_text(self.0, page);
            if line > 0 {
                self.0.push_str("#L");
                self.0.push_str(itoa::Buffer::new().format(line));
            }
            self.0.push_str("\">［");
            html::push_text(self.0, label);
            self.0.push_str("］</a>");
        }
        self
    }

    /// The sessions that held a planned one: their entries' links.
    fn held_by(self, entries: &[&Value]) -> Self {
        for (i, e) in entries.iter().enumerate() {
            self.0.push_str(if i == 0 { " ：" } else { "、" });
            html::push_anchor(self.0, field(e, "title"), field(e, "url"));
        }
        self
    }

    fn done(self) {
        self.0.push_str("</li>\n");
    }
}

/// A string field of a map value; empty when missing.
fn field<'v>(value: &'v Value, key: &'v str) -> &'v str {
    field_of(value, key).and_then(Value::as_str).unwrap_or("")
}

/// A line per record: title with its link, date.
fn record_lines<S: AsRef<str>>(ev: &Evidence, key: &'static str, files: &[S]) -> Group {
    Group::of(key, &ev.entries(files), |line, e| {
        line.link(field(e, "title"), field(e, "url"))
            .date(field(e, "date"))
    })
}

/// [`record_lines`] of `files` (key `key`) and of `part` (key `part_key`), where `part`
/// is some of `files` in their order (the collective sessions among the sessions): its
/// lines are copied from the first group's, not made again. Should `part` not be such,
/// its lines are made on their own.
fn record_lines_with_part(
    ev: &Evidence,
    (key, files): (&'static str, &[Arc<str>]),
    (part_key, part): (&'static str, &[Arc<str>]),
) -> (Group, Group) {
    let (mut all, mut of_part) = (Group::new(key), Group::new(part_key));
    all.html.reserve(files.len() * 200);
    of_part.html.reserve(part.len() * 200);
    let mut next = part.iter().peekable();
    for file in files {
        let in_part = next.next_if(|p| *p == file).is_some();
        let Some(e) = ev.entry_ref(file) else {
            continue;
        };
        let start = all.html.len();
        (all.line().link(field(e, "title"), field(e, "url")))
            .date(field(e, "date"))
            .done();
        if in_part {
            of_part.count += 1;
            of_part.html.push_str(&all.html[start..]);
        }
    }
    if next.peek().is_some() {
        of_part = record_lines(ev, part_key, part);
    }
    (all, of_part)
}

/// The lists of one unit's figures, by group key.
pub(super) fn groups(ev: &Evidence, r: &MonthlyReport, s: &Sources, total: bool) -> Vec<Group> {
    let planned = Group::of("planned", &s.planned, |line, p| {
        let title = [
            &briefing::month_day(p.date),
            " ",
            &p.topic,
            "（",
            &p.kind,
            "）",
        ]
        .concat();
        let whose = p.department_name.as_deref().unwrap_or("全单位");
        let held = if p.held {
            "计划，已开展"
        } else {
            "计划，未开展"
        };
        let url = url_of(ev, &p.plan);
        line.link(&title, url.as_str().unwrap_or(""))
            .date(&crate::content::types::iso_date(p.date))
            .note(&[whose, held])
            .held_by(&ev.entries(&p.held_by))
    });
    if total {
        // Org-wide plans count only in the totals; cases only in the office's figures.
        return vec![planned, record_lines(ev, "cases", &s.cases)];
    }
    let log = r
        .totals
        .sources
        .self_study
        .log
        .as_deref()
        .and_then(|f| ev.corpus.logs.get(&r.month).filter(|l| &*l.file == f));
    // The log's page, once: every line of the list links into it.
    let ledger_page = log.map_or_else(String::new, |l| ev.ledgers.url(&l.file, 0));
    let self_study = self_study_group(ev, &s.self_study, &ledger_page);
    let (sessions, collective) = record_lines_with_part(
        ev,
        ("sessions", &s.sessions),
        ("collective", &s.collective_sessions),
    );
    vec![
        sessions,
        collective,
        planned,
        self_study,
        record_lines(ev, "essays", &s.essays),
    ]
}

/// A unit's self-study list: by name, each counted person below the requirement or
/// missing from the log, with their hours and ledger line; then one line for the
/// others, who reached it, citing their ledger lines. `count` is every counted person.
///
/// The briefings named every counted person every month (68,000 lines at 10,000
/// records, 715,000 at 100,000: 40% of each briefing page, 3 MB pages at 100,000).
/// The people below the requirement are the ones a circular names; the ledger page the
/// last line links to lists everyone's hours, so every figure still leads to its lines.
fn self_study_group(ev: &Evidence, s: &SelfStudySources, ledger_page: &str) -> Group {
    let mut group = Group::new("self_study");
    let mut reached_lines = Vec::new();
    let mut reached = 0;
    for (id, &(hours, at)) in s.people.iter().zip(&s.entries) {
        if s.compliant.contains(id) {
            reached += 1;
            if at > 0 {
                reached_lines.push(at);
            }
            continue;
        }
        let person = group.line().markup(&ev.data.person_anchor(id.as_str()));
        let person = if s.missing.contains(id) {
            person.note(&["未登记（按0小时计），未达标"])
        } else {
            person.note(&[&number(hours), "小时，未达标"])
        };
        person.ledger(ledger_page, at).done();
    }
    if reached > 0 {
        let count = itoa::Buffer::new().format(reached).to_string();
        let text = match reached {
            _ if reached < s.people.len() => ["其余", &count, "人达标"].concat(),
            1 => "1人达标".to_string(),
            _ => [&count, "人均达标"].concat(),
        };
        reached_lines.sort_unstable();
        let cited = ["台账第", &line_ranges(&reached_lines), "行"].concat();
        let first = reached_lines.first().copied().unwrap_or(0);
        let line = group.line().text(&text);
        if reached_lines.is_empty() {
            line.done();
        } else {
            line.ledger_cited(ledger_page, first, &cited).done();
        }
    }
    group.count = s.people.len();
    group
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::reports::Map;

    #[test]
    fn source_lines_are_the_markup_the_template_printed() {
        let mut group = Group::new("self_study");
        (group
            .line()
            .link("王<芳> & \"小'王\"", "/people/wang-fang/"))
        .note(&["18", "小时，", "未达标"])
        .ledger("/ledgers/logs/2026-03/", 12)
        .done();

        let mut session = Map::new();
        session.insert("title", Value::from("集中学习"));
        session.insert("url", Value::from("/minutes/a/"));
        let (session, empty) = (Value::from(session), Value::from(Map::new()));
        let held = [&session, &empty];
        (group.line().link("3月6日 党章（集中学习）", ""))
            .date("2026-03-06")
            .note(&["", ""])
            .held_by(&held)
            .done();
        group.line().ledger("", 3).done();

        assert_eq!(group.count, 3);
        assert_eq!(
            group.html,
            "<li><a href=\"/people/wang-fang/\">王&lt;芳&gt; &amp; &quot;小&#39;王&quot;</a> \
             <span class=\"note\">18小时，未达标</span> \
             <a class=\"ledger-line\" href=\"/ledgers/logs/2026-03/#L12\">［台账］</a></li>\n\
             <li>3月6日 党章（集中学习） <time datetime=\"2026-03-06\">2026年3月6日</time> \
             ：<a href=\"/minutes/a/\">集中学习</a>、<a href=\"\"></a></li>\n\
             <li></li>\n"
        );
    }
}
