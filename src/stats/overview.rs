//! The quick figures on the home page: what happened in the latest month that has
//! records. Chosen from the records, never from today's date, so builds stay
//! deterministic.

use serde::Serialize;

use crate::content::{Corpus, Kind, YearMonth};

/// Figures of one month (DESIGN.md, "How the figures are defined").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    pub month: YearMonth,
    /// Non-draft minutes dated in the month.
    pub sessions: usize,
    /// Of those, the ones of a collective kind.
    pub collective_sessions: usize,
    pub essays: usize,
    pub cases: usize,
    /// Self-study hours of the month, summed over the people counted in it.
    pub self_study_hours: f64,
}

/// Figures of the latest month with at least one non-draft record; `None` for a site
/// without records.
pub fn latest(corpus: &Corpus) -> Option<Overview> {
    let month = corpus
        .records
        .iter()
        .filter(|r| !r.draft)
        .filter_map(|r| r.month())
        .max()?;
    Some(of_month(corpus, month))
}

/// Figures of `month`; drafts never count.
pub fn of_month(corpus: &Corpus, month: YearMonth) -> Overview {
    let in_month = corpus
        .records
        .iter()
        .filter(|r| !r.draft && r.month() == Some(month));
    let mut o = Overview {
        month,
        sessions: 0,
        collective_sessions: 0,
        essays: 0,
        cases: 0,
        self_study_hours: 0.0,
    };
    for r in in_month {
        match r.kind {
            Kind::Minutes => {
                o.sessions += 1;
                if r.minutes()
                    .is_some_and(|m| corpus.rules.collective_kinds.contains(&m.kind))
                {
                    o.collective_sessions += 1;
                }
            }
            Kind::Essay => o.essays += 1,
            Kind::Case => o.cases += 1,
            Kind::Plan => {}
        }
    }
    if let Some(log) = corpus.logs.get(&month) {
        let (first, last) = (month.first_day(), month.last_day());
        o.self_study_hours = corpus
            .org
            .people
            .iter()
            .filter(|p| p.on_staff_throughout(first, last))
            .map(|p| log.hours(p))
            .sum();
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::corpus::from_texts;

    const ORG: &str = "departments:\n  - {id: mishu, name: 秘书科}\npeople:\n  - {id: zhang-wei, name: 张伟, department: mishu}\n  - {id: li-na, name: 李娜, department: mishu, joined: 2026-03-10}\n";
    const RULES: &str = "session_kinds: [集中学习, 读书活动]\ncollective_kinds: [集中学习]\n";

    fn minutes(date: &str, kind: &str, draft: bool) -> String {
        format!(
            "---\ntitle: 学习\ndate: {date}\ndepartment: mishu\nkind: {kind}\nhours: 2\nattendees: [zhang-wei]\ndraft: {draft}\n---\n正文\n"
        )
    }

    #[test]
    fn figures_of_the_latest_month_with_records() {
        let a = minutes("2026-03-06", "集中学习", false);
        let b = minutes("2026-03-20", "读书活动", false);
        let c = minutes("2026-02-10", "集中学习", false);
        let draft = minutes("2026-04-01", "集中学习", true);
        let essay = "---\ntitle: 心得\ndate: 2026-03-21\nauthor: li-na\n---\n正文\n";
        let log = "month: 2026-03\nself_study:\n  zhang-wei: 22\n  li-na: 18.5\n";
        let (corpus, _) = from_texts(
            ORG,
            RULES,
            &[
                ("minutes/a.md", &a),
                ("minutes/b.md", &b),
                ("minutes/c.md", &c),
                ("minutes/d.md", &draft),
                ("essays/e.md", essay),
                ("logs/2026-03.yaml", log),
            ],
        );
        let o = latest(&corpus).expect("a month");
        assert_eq!(
            o,
            Overview {
                month: YearMonth {
                    year: 2026,
                    month: 3
                },
                sessions: 2,
                collective_sessions: 1,
                essays: 1,
                cases: 0,
                // li-na joined mid-month: her hours do not count yet.
                self_study_hours: 22.0,
            }
        );
    }

    #[test]
    fn no_records_no_figures() {
        let (corpus, _) = from_texts(ORG, RULES, &[]);
        assert_eq!(latest(&corpus), None);
    }
}
