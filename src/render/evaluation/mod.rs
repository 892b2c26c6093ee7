//! The year-end evaluation as documents: Markdown (readable, in Chinese), a standalone
//! printable HTML page with an SVG bar chart, CSV for spreadsheets, and JSON.
//!
//! Every figure comes computed in [`AnnualEvaluation`]; this module only formats it
//! (scores with two decimals, shares as percentages) and never computes a figure.

use std::fmt::Write;

use ahash::{AHashMap, AHashSet};

mod html;

pub use html::{chart_svg, escape, html};

use crate::config::Metric;
use crate::stats::annual::{
    AnnualEvaluation, CriterionDef, CriterionScore, Disqualification, PersonEvaluation, Reason,
};

/// Scores are shown with two decimals everywhere but in JSON.
pub fn score(x: f64) -> String {
    let mut s = String::with_capacity(8);
    crate::numbers::Hundredths(x).push_to(&mut s);
    s
}

// A number without needless decimals: 12, 19.5, 0.33.
use crate::render::data::number_label as num;

fn percent(x: f64) -> String {
    format!("{}%", num(x * 100.0))
}

fn metric_of(def: &CriterionDef) -> Option<Metric> {
    Metric::from_name(&def.metric)
}

/// The target of a criterion as a user reads it: 95%, 4 种, 10 分.
pub fn target_text(def: &CriterionDef) -> String {
    match metric_of(def) {
        Some(Metric::SessionKinds) => format!("{} 种", num(def.target)),
        Some(Metric::Review) => format!("{} 分", num(def.target * 10.0)),
        _ => percent(def.target),
    }
}

/// The value of a criterion with what it counts: `11/12（91.67%）`, `3 种`, `9 分`.
pub fn value_text(def: &CriterionDef, s: &CriterionScore) -> String {
    match metric_of(def) {
        Some(Metric::SessionKinds) => format!("{} 种", num(s.value)),
        Some(Metric::Review) if s.of.is_some() => format!("{} 分", num(s.count)),
        Some(Metric::Review) => "未评分".to_string(),
        _ => match s.of {
            Some(of) if of > 0.0 => {
                format!("{}/{}（{}）", num(s.count), num(of), percent(s.value))
            }
            _ => format!("无（{}）", percent(s.value)),
        },
    }
}

/// Why a person is disqualified, in the words of the rule.
pub fn reason_text(d: &Disqualification) -> String {
    match d.reason {
        Reason::Late => format!("迟到{}次（超过{}次）", num(d.value), num(d.limit)),
        Reason::Absent => format!("旷工{}天（超过{}天）", num(d.value), num(d.limit)),
        Reason::Notebook => format!(
            "学习笔记检查不合格{}次（{}次及以上）",
            num(d.value),
            num(d.limit)
        ),
        Reason::Errors => format!(
            "工作失误受领导批评{}次（{}次及以上）",
            num(d.value),
            num(d.limit)
        ),
        Reason::Sanction => Reason::Sanction.label_zh().to_string(),
    }
}

fn reasons_text(p: &PersonEvaluation) -> String {
    p.disqualifications
        .iter()
        .map(reason_text)
        .collect::<Vec<_>>()
        .join("；")
}

/// The months in scope: 2026年1月至12月.
pub fn scope_text(e: &AnnualEvaluation) -> String {
    match (e.months.first(), e.months.last()) {
        (Some(first), Some(last)) => format!("{}年{}月至{}月", e.year, first.month, last.month),
        _ => format!("{}年", e.year),
    }
}

pub fn title(e: &AnnualEvaluation) -> String {
    format!("{}年度学习型机关建设考评报告", e.year)
}

/// Who received which award of an evaluation, by id, and the names of those listed:
/// made once per report, as every row of its tables asks (thousands of people in a big
/// office, and as many listed).
pub(crate) struct Awarded<'a> {
    people: AHashMap<&'a str, &'static str>,
    departments: AHashSet<&'a str>,
    person_names: AHashMap<&'a str, &'a str>,
    department_names: AHashMap<&'a str, &'a str>,
}

impl<'a> Awarded<'a> {
    pub(crate) fn of(e: &'a AnnualEvaluation) -> Self {
        let mut people = AHashMap::new();
        // A person on both lists (never, by the award rules) shows the first.
        for id in e.awards.advanced_workers.iter().rev() {
            people.insert(id.as_str(), "先进工作者");
        }
        for id in e.awards.excellent_party_members.iter().rev() {
            people.insert(id.as_str(), "优秀共产党员");
        }
        Awarded {
            people,
            departments: (e.awards.advanced_departments.iter())
                .map(|d| d.as_str())
                .collect(),
            person_names: (e.people.iter().rev())
                .map(|p| (p.id.as_str(), p.name.as_str()))
                .collect(),
            department_names: (e.departments.iter().rev())
                .map(|d| (d.id.as_str(), d.name.as_str()))
                .collect(),
        }
    }

    /// The award a person received, if any.
    pub(crate) fn person(&self, id: &str) -> &'static str {
        self.people.get(id).copied().unwrap_or("")
    }

    /// The award a department received, if any.
    pub(crate) fn department(&self, id: &str) -> &'static str {
        if self.departments.contains(id) {
            "学习型机关先进科室"
        } else {
            ""
        }
    }

    fn person_name(&self, id: &'a str) -> &'a str {
        self.person_names.get(id).copied().unwrap_or(id)
    }

    fn department_name(&self, id: &'a str) -> &'a str {
        self.department_names.get(id).copied().unwrap_or(id)
    }
}

/// The three award lists: (title, how many places, names).
fn award_lists(e: &AnnualEvaluation) -> [(&'static str, String, Vec<String>); 3] {
    let awarded = Awarded::of(e);
    let people = |ids: &[crate::content::PersonId]| -> Vec<String> {
        ids.iter()
            .map(|id| awarded.person_name(id.as_str()).to_string())
            .collect()
    };
    [
        (
            "优秀共产党员",
            format!("名额{}名", e.award_slots.excellent_party_members),
            people(&e.awards.excellent_party_members),
        ),
        (
            "先进工作者",
            format!("名额{}名", e.award_slots.advanced_workers),
            people(&e.awards.advanced_workers),
        ),
        (
            "学习型机关先进科室",
            format!("至多{}个", e.award_slots.advanced_departments),
            e.awards
                .advanced_departments
                .iter()
                .map(|id| awarded.department_name(id.as_str()).to_string())
                .collect(),
        ),
    ]
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// The Chinese numeral of the `i`-th heading (0-based): 一 … 十, 十一 … 十九, then digits.
fn numeral(i: usize) -> String {
    let n = i + 1;
    match n {
        1..=10 => NUMERALS[n - 1].to_string(),
        11..=19 => format!("十{}", NUMERALS[n - 11]),
        _ => n.to_string(),
    }
}

// ---- Markdown ----

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A readable report in Chinese; with `people`, a fifth section lists every person.
pub fn markdown(e: &AnnualEvaluation, site_title: &str, people: bool) -> String {
    let awarded = Awarded::of(e);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", title(e));
    if !site_title.is_empty() {
        let _ = writeln!(out, "{}  ", md_cell(site_title));
    }
    let _ = writeln!(out, "统计范围：{}\n", scope_text(e));

    let _ = writeln!(out, "## 一、考评结果\n");
    let _ = writeln!(out, "| 名次 | 科室 | 得分 | 等级 | 备注 |");
    let _ = writeln!(out, "| ---: | --- | ---: | --- | --- |");
    for d in &e.departments {
        let mut note = Vec::new();
        if let Some(veto) = &d.veto {
            note.push(format!("一票否决：{veto}"));
        }
        let award = awarded.department(d.id.as_str());
        if !award.is_empty() {
            note.push(award.to_string());
        }
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            d.rank,
            md_cell(&d.name),
            score(d.score),
            md_cell(&d.grade),
            md_cell(&note.join("；"))
        );
    }
    let bands: Vec<String> = e
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| match i.checked_sub(1).map(|p| &e.bands[p]) {
            Some(above) if i + 1 == e.bands.len() => {
                format!("低于{}分为{}", num(above.min), b.grade)
            }
            _ => format!("{}分及以上为{}", num(b.min), b.grade),
        })
        .collect();
    let _ = writeln!(
        out,
        "\n等级划分：{}；被一票否决的科室定为{}。\n",
        bands.join("，"),
        e.bands.last().map_or("", |b| b.grade.as_str())
    );

    let _ = writeln!(out, "## 二、各项指标\n");
    for (i, def) in e.criteria.iter().enumerate() {
        let _ = writeln!(
            out,
            "### （{}）{}（{}分，目标{}）\n",
            numeral(i),
            md_cell(&def.name),
            num(def.weight),
            target_text(def)
        );
        let _ = writeln!(out, "| 科室 | 完成情况 | 得分 |");
        let _ = writeln!(out, "| --- | --- | ---: |");
        for d in &e.departments {
            if let Some(s) = d.criteria.get(i) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    md_cell(&d.name),
                    value_text(def, s),
                    score(s.points)
                );
            }
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## 三、表彰名单\n");
    for (i, (name, slots, names)) in award_lists(e).into_iter().enumerate() {
        let list = if names.is_empty() {
            "无".to_string()
        } else {
            names.join("、")
        };
        let _ = writeln!(out, "{}. {}（{}）：{}", i + 1, name, slots, md_cell(&list));
    }
    out.push('\n');

    let _ = writeln!(out, "## 四、取消评优资格\n");
    let out_of_awards: Vec<&PersonEvaluation> =
        e.people.iter().filter(|p| p.disqualified).collect();
    if out_of_awards.is_empty() {
        let _ = writeln!(out, "无。\n");
    } else {
        let _ = writeln!(out, "| 姓名 | 科室 | 原因 |");
        let _ = writeln!(out, "| --- | --- | --- |");
        for p in out_of_awards {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                md_cell(&p.name),
                md_cell(&p.department_name),
                md_cell(&reasons_text(p))
            );
        }
        out.push('\n');
    }

    if people {
        let _ = writeln!(out, "## 五、个人考评明细\n");
        let mut header = vec!["名次", "姓名", "科室"];
        header.extend(e.person_criteria.iter().map(|c| c.name.as_str()));
        header.extend(["得分", "文章", "自学时数", "备注"]);
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
        for p in &e.people {
            let mut row = vec![
                p.rank.to_string(),
                md_cell(&p.name),
                md_cell(&p.department_name),
            ];
            row.extend(p.criteria.iter().map(|c| score(c.points)));
            row.push(score(p.score));
            row.push(format!("{}/{}", p.essays, p.essay_quota));
            row.push(num(p.self_study_hours));
            let mut note = vec![awarded.person(p.id.as_str()).to_string()];
            if p.disqualified {
                note.push("取消评优资格".into());
            }
            note.retain(|n| !n.is_empty());
            row.push(note.join("；"));
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out.push('\n');
    }
    out
}

// ---- CSV ----

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(out: &mut String, fields: &[String]) {
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&row.join(","));
    out.push_str("\r\n");
}

/// One row per department: rank, id, name, each criterion's points, score, grade, veto,
/// award. Lines end in CRLF (RFC 4180), as spreadsheets expect.
pub fn csv_departments(e: &AnnualEvaluation) -> String {
    let awarded = Awarded::of(e);
    let mut out = String::new();
    let mut header: Vec<String> = ["名次", "编号", "科室"].map(String::from).into();
    header.extend(e.criteria.iter().map(|c| c.name.clone()));
    header.extend(["总分", "等级", "一票否决", "表彰"].map(String::from));
    csv_row(&mut out, &header);
    for d in &e.departments {
        let mut row = vec![d.rank.to_string(), d.id.to_string(), d.name.clone()];
        row.extend(d.criteria.iter().map(|c| score(c.points)));
        row.push(score(d.score));
        row.push(d.grade.clone());
        row.push(d.veto.clone().unwrap_or_default());
        row.push(awarded.department(d.id.as_str()).to_string());
        csv_row(&mut out, &row);
    }
    out
}

/// One row per counted person.
pub fn csv_people(e: &AnnualEvaluation) -> String {
    let awarded = Awarded::of(e);
    let mut out = String::new();
    let mut header: Vec<String> = ["名次", "编号", "姓名", "科室"].map(String::from).into();
    header.extend(e.person_criteria.iter().map(|c| c.name.clone()));
    header.extend(
        [
            "总分",
            "文章篇数",
            "文章任务",
            "自学时数",
            "笔记检查不合格次数",
            "取消评优资格",
            "原因",
            "表彰",
        ]
        .map(String::from),
    );
    csv_row(&mut out, &header);
    for p in &e.people {
        let mut row = vec![
            p.rank.to_string(),
            p.id.to_string(),
            p.name.clone(),
            p.department_name.clone(),
        ];
        row.extend(p.criteria.iter().map(|c| score(c.points)));
        row.extend([
            score(p.score),
            p.essays.to_string(),
            p.essay_quota.to_string(),
            num(p.self_study_hours),
            p.notebook_fails.to_string(),
            if p.disqualified { "是" } else { "否" }.to_string(),
            reasons_text(p),
            awarded.person(p.id.as_str()).to_string(),
        ]);
        csv_row(&mut out, &row);
    }
    out
}

// ---- JSON ----

/// The whole evaluation, numbers unrounded, with every source.
pub fn json(e: &AnnualEvaluation) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(e).map(|mut s| {
        s.push('\n');
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(metric: &str, target: f64) -> CriterionDef {
        CriterionDef {
            id: "x".into(),
            name: "某项".into(),
            weight: 10.0,
            metric: metric.into(),
            target,
        }
    }

    fn value(value: f64, count: f64, of: Option<f64>) -> CriterionScore {
        CriterionScore {
            id: "x".into(),
            value,
            points: 0.0,
            count,
            of,
            sources: Vec::new(),
        }
    }

    #[test]
    fn numbers_as_a_reader_expects_them() {
        assert_eq!(score(89.999_999_999_999_99), "90.00");
        assert_eq!(score(16.666_666), "16.67");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(19.5), "19.5");
        assert_eq!(percent(11.0 / 12.0), "91.67%");
        assert_eq!(numeral(0), "一");
        assert_eq!(numeral(9), "十");
        assert_eq!(numeral(10), "十一");
        assert_eq!(numeral(18), "十九");
    }

    #[test]
    fn values_and_targets_by_metric() {
        let share = def("collective_months", 1.0);
        assert_eq!(target_text(&share), "100%");
        assert_eq!(
            value_text(&share, &value(11.0 / 12.0, 11.0, Some(12.0))),
            "11/12（91.67%）"
        );
        assert_eq!(value_text(&share, &value(0.0, 0.0, Some(0.0))), "无（0%）");
        let kinds = def("session_kinds", 4.0);
        assert_eq!(target_text(&kinds), "4 种");
        assert_eq!(value_text(&kinds, &value(3.0, 3.0, None)), "3 种");
        let review = def("review", 1.0);
        assert_eq!(target_text(&review), "10 分");
        assert_eq!(value_text(&review, &value(0.85, 8.5, Some(10.0))), "8.5 分");
        assert_eq!(value_text(&review, &value(0.0, 0.0, None)), "未评分");
    }

    #[test]
    fn csv_and_html_escape_what_they_must() {
        assert_eq!(csv_field("财务科"), "财务科");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(escape("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }
}
