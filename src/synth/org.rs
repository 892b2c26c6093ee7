//! The synthetic organisation (departments and people) and the ledgers that follow from
//! it: org.yaml, the monthly logs and the yearly reviews.

use std::collections::BTreeSet;
use std::fmt::Write;

use chrono::NaiveDate;

use super::text::{DEPARTMENTS, GIVEN_NAMES, Rng, SURNAMES};

pub struct Dept {
    pub id: String,
    pub name: String,
    pub centre: bool,
    /// Indexes into `Org::people`; the first is the leader.
    pub people: Vec<usize>,
}

pub struct Person {
    pub id: String,
    pub name: String,
    pub dept: usize,
    pub leader: bool,
    pub party: bool,
    pub joined: NaiveDate,
    pub left: Option<NaiveDate>,
}

impl Person {
    pub fn on_staff(&self, date: NaiveDate) -> bool {
        self.joined <= date && self.left.is_none_or(|l| l >= date)
    }
}

pub struct Org {
    pub depts: Vec<Dept>,
    pub people: Vec<Person>,
}

/// A date, falling back to the first of the month for an impossible day.
pub fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day)
        .or_else(|| NaiveDate::from_ymd_opt(year, month, 1))
        .unwrap_or(NaiveDate::MIN)
}

/// A random day of `year`.
pub fn day_in(rng: &mut Rng, year: i32) -> NaiveDate {
    let days = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    };
    NaiveDate::from_yo_opt(year, 1 + rng.below(days) as u32).unwrap_or(ymd(year, 1, 1))
}

impl Org {
    /// About `records / 100` departments (at least 8) of 5 to 7 people; the leader
    /// comes first. A few people join during the years covered, a few leave in the last.
    pub fn generate(records: usize, first_year: i32, last_year: i32, rng: &mut Rng) -> Org {
        let count = (records.div_ceil(100)).max(8);
        let mut depts = Vec::with_capacity(count);
        let mut people = Vec::with_capacity(count * 6);
        let mut ids = BTreeSet::new();
        for d in 0..count {
            let (base_id, base_name, centre) = DEPARTMENTS[d % DEPARTMENTS.len()];
            let round = d / DEPARTMENTS.len();
            let (id, name) = if round == 0 {
                (base_id.to_string(), base_name.to_string())
            } else {
                (
                    format!("{base_id}-{}", round + 1),
                    format!("第{}分局{base_name}", round + 1),
                )
            };
            let size = rng.range(5, 7);
            let mut members = Vec::with_capacity(size);
            for k in 0..size {
                let (sur, sur_py) = *rng.pick(SURNAMES);
                let (given, given_py) = *rng.pick(GIVEN_NAMES);
                let base = format!("{sur_py}-{given_py}");
                let mut pid = base.clone();
                let mut n = 2;
                while !ids.insert(pid.clone()) {
                    pid = format!("{base}-{n}");
                    n += 1;
                }
                let leader = k == 0;
                let early = ymd(
                    first_year - 1 - rng.range(0, 15) as i32,
                    rng.range(1, 12) as u32,
                    1,
                );
                let joined = if !leader && rng.chance(8) {
                    let year = first_year + rng.below((last_year - first_year + 1) as usize) as i32;
                    ymd(year, rng.range(1, 12) as u32, 1)
                } else {
                    early
                };
                let left = (!leader && rng.chance(4))
                    .then(|| day_in(rng, last_year))
                    .filter(|l| *l > joined);
                members.push(people.len());
                people.push(Person {
                    id: pid,
                    name: format!("{sur}{given}"),
                    dept: d,
                    leader,
                    party: leader || rng.chance(70),
                    joined,
                    left,
                });
            }
            depts.push(Dept {
                id,
                name,
                centre,
                people: members,
            });
        }
        Org { depts, people }
    }

    /// org.yaml, in the flow style of DESIGN.md.
    pub fn to_yaml(&self) -> String {
        let mut out = String::with_capacity(100 + self.people.len() * 110);
        out.push_str("departments:\n");
        for d in &self.depts {
            let kind = if d.centre { "centre" } else { "support" };
            let _ = writeln!(out, "  - {{id: {}, name: {}, type: {kind}}}", d.id, d.name);
        }
        out.push_str("people:\n");
        for p in &self.people {
            let role = if p.leader { "leader" } else { "member" };
            let _ = write!(
                out,
                "  - {{id: {}, name: {}, department: {}, role: {role}, party: {}, joined: {}",
                p.id, p.name, self.depts[p.dept].id, p.party, p.joined
            );
            if let Some(left) = p.left {
                let _ = write!(out, ", left: {left}");
            }
            out.push_str("}\n");
        }
        out
    }

    /// People of a department on the staff on `date`, leader first.
    pub fn staff_of(&self, dept: usize, date: NaiveDate) -> Vec<&Person> {
        self.depts[dept]
            .people
            .iter()
            .map(|&i| &self.people[i])
            .filter(|p| p.on_staff(date))
            .collect()
    }

    /// logs/YYYY-MM.yaml: self-study hours of everyone on the staff in the month,
    /// notebook checks at the end of each quarter, a few attendance entries.
    pub fn log_yaml(&self, year: i32, month: u32, rng: &mut Rng) -> String {
        let first = ymd(year, month, 1);
        let staff: Vec<&Person> = self.people.iter().filter(|p| p.on_staff(first)).collect();
        let mut out = String::with_capacity(64 + staff.len() * 40);
        let _ = writeln!(out, "month: {year}-{month:02}");
        out.push_str("self_study:\n");
        for p in &staff {
            let hours = if rng.chance(85) {
                rng.range(20, 32)
            } else {
                rng.range(8, 19)
            };
            let half = if rng.chance(30) { ".5" } else { "" };
            let _ = writeln!(out, "  {}: {hours}{half}", p.id);
        }
        if month.is_multiple_of(3) {
            out.push_str("notebook_checks:\n");
            for p in &staff {
                if rng.chance(96) {
                    let _ = writeln!(out, "  - {{person: {}, result: pass}}", p.id);
                } else {
                    let _ = writeln!(
                        out,
                        "  - {{person: {}, result: fail, remark: 笔记内容不全}}",
                        p.id
                    );
                }
            }
        }
        let late: Vec<&&Person> = staff.iter().filter(|_| rng.chance(5)).collect();
        if !late.is_empty() {
            out.push_str("attendance:\n");
            for p in late {
                let _ = writeln!(
                    out,
                    "  - {{person: {}, late: {}, absent_days: {}}}",
                    p.id,
                    rng.range(0, 3),
                    rng.range(0, 1)
                );
            }
        }
        out
    }

    /// reviews/YYYY.yaml: inspection scores of every department, a rare veto, and a few
    /// people with criticised errors or a sanction.
    pub fn review_yaml(&self, year: i32, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(64 + self.depts.len() * 80);
        let _ = writeln!(out, "year: {year}");
        out.push_str("departments:\n");
        for d in &self.depts {
            let veto = if rng.chance(2) {
                "发生严重违纪问题"
            } else {
                "null"
            };
            let _ = writeln!(
                out,
                "  {}: {{scores: {{facilities: {}, atmosphere: {}}}, veto: {veto}}}",
                d.id,
                rng.range(6, 10),
                rng.range(6, 10)
            );
        }
        let flagged: Vec<&Person> = self.people.iter().filter(|_| rng.chance(2)).collect();
        if !flagged.is_empty() {
            out.push_str("people:\n");
            for p in flagged {
                let _ = writeln!(
                    out,
                    "  {}: {{sanction: {}, criticised_errors: {}}}",
                    p.id,
                    rng.chance(10),
                    rng.range(1, 2)
                );
            }
        }
        out
    }
}
