//! The departments table of a briefing page and the lists of records its figures link
//! to, further down the page: one block per department and one for the whole office
//! (the lists' lines are made in [`super::briefing_sources`]).

use tera::Value;

use super::briefing_sources::{Group, group_label, groups};
use super::{Evidence, Map, field_of};
use crate::render::briefing::{self, BriefingView};
use crate::render::html;
use crate::stats::metrics::Source;
use crate::stats::monthly::{MonthlyReport, Sources};

/// What a briefing page shows of its departments table and of the lists its figures
/// link to (one block per department and one for the whole office): the values a
/// theme's briefing.html loops over, or the markup those loops print in the default
/// theme's, which this module writes itself. A briefing of a big site has a hundred
/// rows and a hundred blocks; as values, made and then printed field by field, they
/// were a seventeenth of a 10,000-record build's instructions.
pub(super) enum Table {
    /// `rows` and `sources`.
    Values {
        rows: Vec<Value>,
        sources: Vec<Value>,
    },
    /// `rows_html` and `sources_html`.
    Html { rows: String, sources: String },
}

/// The departments table of `r` and its source lists, for `ev`'s theme.
pub(super) fn table(ev: &Evidence, r: &MonthlyReport, view: &BriefingView) -> Table {
    let units: Vec<Unit> = (r.departments.iter().zip(&view.rows))
        .map(|(d, row)| (Some(d.id.as_str()), row, &d.sources))
        .chain(std::iter::once((None, &view.total, &r.totals.sources)))
        .map(|(id, row, sources)| Unit::new(ev, r, id, row, sources))
        .collect();
    if ev.env.builtin().briefing_page
        && let Some((rows, sources)) = html_of(ev, &units)
    {
        return Table::Html { rows, sources };
    }
    let (rows, sources) = units.into_iter().map(|u| u.into_values(ev)).unzip();
    Table::Values { rows, sources }
}

/// One row of the table (a department, or the whole office) with its source lists.
struct Unit<'r> {
    /// The department; `None` for the office's totals.
    id: Option<&'r str>,
    row: &'r briefing::Row,
    sources: &'r Sources,
    /// The id of its block of sources.
    anchor: String,
    /// Its lists, empty ones included.
    groups: Vec<Group>,
    /// Its department's `{name, url}` value; none for the totals.
    department: Value,
}

/// The keys of the table's figure links, in the order of [`Unit::links`].
const LINK_KEYS: [&str; 5] = ["sessions", "collective", "planned", "self_study", "essays"];

impl<'r> Unit<'r> {
    fn new(
        ev: &Evidence,
        r: &MonthlyReport,
        id: Option<&'r str>,
        row: &'r briefing::Row,
        sources: &'r Sources,
    ) -> Self {
        Unit {
            id,
            row,
            sources,
            anchor: ["src-", id.unwrap_or("total")].concat(),
            groups: groups(ev, r, sources, id.is_none()),
            department: (id.and_then(|id| ev.data.departments.get(id).cloned()))
                .unwrap_or_else(Value::none),
        }
    }

    /// Where the figure `key` links to: its list, or nothing when it has none.
    fn href(&self, key: &str) -> String {
        if (self.groups.iter()).any(|g| g.key == key && g.count > 0) {
            return ["#", &self.anchor, "-", key].concat();
        }
        // The office's sessions, self-study and essays are the departments' put
        // together: their totals link to the departments' lists instead of repeating
        // them (on a big site they would double the page).
        let s = self.sources;
        let by_department = self.id.is_none()
            && match key {
                "sessions" => !s.sessions.is_empty(),
                "collective" => !s.collective_sessions.is_empty(),
                "self_study" => !s.self_study.people.is_empty(),
                "essays" => !s.essays.is_empty(),
                _ => false,
            };
        if by_department {
            "#sources".to_string()
        } else {
            String::new()
        }
    }

    /// The [`href`](Self::href) of each of [`LINK_KEYS`].
    fn links(&self) -> [String; 5] {
        LINK_KEYS.map(|key| self.href(key))
    }

    /// The name of its block of sources.
    fn block_name(&self) -> &'r str {
        if self.id.is_some() {
            &self.row.name
        } else {
            "全单位"
        }
    }

    /// The ledger a group cites as a whole: the month's log, for self-study.
    fn group_file(&self, ev: &Evidence, key: &str) -> Value {
        let log = (self.sources.self_study.log.as_deref()).filter(|_| key == "self_study");
        log.map_or_else(Value::none, |f| ev.link(&Source::file(f)))
    }

    /// Its row of `rows` and its block of `sources`.
    fn into_values(self, ev: &Evidence) -> (Value, Value) {
        let mut links = Map::new();
        for (key, href) in LINK_KEYS.into_iter().zip(self.links()) {
            links.insert(key, Value::from(href));
        }
        let row = self.row;
        let mut m = Map::new();
        m.insert("name", Value::from(row.name.as_str()));
        m.insert("department", self.department.clone());
        m.insert("total", Value::from(self.id.is_none()));
        m.insert("anchor", Value::from(self.anchor.as_str()));
        m.insert("sessions", Value::from(row.sessions.as_str()));
        m.insert("collective", Value::from(row.collective.as_str()));
        m.insert("planned", Value::from(row.planned.as_str()));
        m.insert("attendance", Value::from(row.attendance.as_str()));
        m.insert("hours", Value::from(row.hours.as_str()));
        m.insert("compliant", Value::from(row.compliant.as_str()));
        m.insert("essays", Value::from(row.essays.as_str()));
        m.insert("links", Value::from(links));

        let mut block = Map::new();
        block.insert("name", Value::from(self.block_name()));
        block.insert("department", self.department.clone());
        block.insert("anchor", Value::from(self.anchor.as_str()));
        let groups: Vec<Value> = (self.groups.iter())
            .filter(|g| g.count > 0)
            .map(|g| {
                let mut v = Map::new();
                v.insert("key", Value::from(g.key));
                v.insert("label", Value::from(group_label(g.key)));
                v.insert("anchor", Value::from([&self.anchor, "-", g.key].concat()));
                v.insert("count", Value::from(g.count));
                v.insert("html", Value::safe_string(&g.html));
                v.insert("file", self.group_file(ev, g.key));
                Value::from(v)
            })
            .collect();
        block.insert("groups", Value::from(groups));
        (Value::from(m), Value::from(block))
    }
}

/// What the default theme's briefing.html prints for its `rows` and `sources` loops
/// (tested to be equal in tests/site_reports.rs); `None` when a value is not one it
/// can print (a department without a URL, a ledger link without its markup), which is
/// then left to the template to print or to report.
fn html_of(ev: &Evidence, units: &[Unit]) -> Option<(String, String)> {
    let mut rows = String::with_capacity(units.len() * 600);
    let mut sources =
        String::with_capacity(units.iter().map(|u| 300 + group_bytes(u)).sum::<usize>());
    for unit in units {
        // `{% if r.department %}<a href="{{ r.department.url }}">...`
        let department_url = if unit.department.is_truthy() {
            Some(field_of(&unit.department, "url")?.as_str()?)
        } else {
            None
        };
        push_row(&mut rows, unit, department_url);
        push_block(&mut sources, ev, unit, department_url)?;
    }
    Some((rows, sources))
}

/// A name, linked to its department's page when it has one.
fn push_name(out: &mut String, name: &str, department_url: Option<&str>) {
    match department_url {
        Some(url) => html::push_anchor(out, name, url),
        None => html::push_text(out, name),
    }
}

/// A unit's row of the departments table, each figure linked to its list.
fn push_row(out: &mut String, unit: &Unit, department_url: Option<&str>) {
    let row = unit.row;
    out.push_str(if unit.id.is_none() {
        "<tr class=\"total\"><td class=\"name\">"
    } else {
        "<tr><td class=\"name\">"
    });
    push_name(out, &row.name, department_url);
    out.push_str("</td>");
    let [sessions, collective, planned, self_study, essays] = unit.links();
    for (href, figure) in [
        (&sessions, &row.sessions),
        (&collective, &row.collective),
        (&planned, &row.planned),
        (&sessions, &row.attendance),
        (&self_study, &row.hours),
        (&self_study, &row.compliant),
        (&essays, &row.essays),
    ] {
        out.push_str("<td>");
        if href.is_empty() {
            html::push_text(out, figure);
        } else {
            out.push_str("<a class=\"figure-link\" href=\"");
            html::push_text(out, href);
            out.push_str("\">");
            html::push_text(out, figure);
            out.push_str("</a>");
        }
        out.push_str("</td>");
    }
    out.push_str("</tr>\n");
}

/// A unit's block of sources: its lists that have lines, each with its ledger.
fn push_block(
    out: &mut String,
    ev: &Evidence,
    unit: &Unit,
    department_url: Option<&str>,
) -> Option<()> {
    out.push_str("<section class=\"source-block\" id=\"");
    html::push_text(out, &unit.anchor);
    out.push_str("\">\n<h3>");
    push_name(out, unit.block_name(), department_url);
    out.push_str("</h3>\n");
    let mut listed = false;
    for g in unit.groups.iter().filter(|g| g.count > 0) {
        listed = true;
        out.push_str("<div class=\"source-group\" id=\"");
        html::push_text(out, &unit.anchor);
        out.push('-');
        html::push_text(out, g.key);
        out.push_str("\">\n<h4>");
        out.push_str(group_label(g.key));
        out.push('（');
        out.push_str(itoa::Buffer::new().format(g.count));
        out.push_str("）</h4>\n");
        let file = unit.group_file(ev, g.key);
        if file.is_truthy() {
            let markup = (field_of(&file, "html"))
                .filter(|h| h.is_safe() && h.is_truthy())?
                .as_str()?;
            out.push_str("<p class=\"ledger\">台账：");
            out.push_str(markup);
            out.push_str("</p>");
        }
        out.push_str("\n<ul>\n");
        out.push_str(&g.html);
        out.push_str("</ul>\n</div>\n");
    }
    if !listed {
        out.push_str("<p class=\"empty\">本月无记录。</p>");
    }
    out.push_str("\n</section>\n");
    Some(())
}

/// The bytes of a unit's lists.
fn group_bytes(unit: &Unit) -> usize {
    unit.groups.iter().map(|g| g.html.len() + 200).sum()
}
