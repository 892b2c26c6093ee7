//! A study log in its usual shape, read without the YAML parser.
//!
//! A big office's monthly log has a line per person (self-study hours), per notebook
//! check and per attendance entry: a thousand lines a month. Through the YAML parser,
//! then the line scanner for the lines the reports cite, the logs were a tenth of the
//! build of a site with ten years of them. Nearly every log is written the way the
//! example, `jianbao-gen` and a spreadsheet export write it:
//!
//! ```yaml
//! month: 2026-03
//! self_study:
//!   zhang-wei: 22
//! notebook_checks:
//!   - {person: li-na, result: pass}
//! attendance:
//!   - {person: wang-fang, late: 2, absent_days: 0}
//! ```
//!
//! [`read`] reads exactly that (the sections in any order, with blank lines and comment
//! lines) and gives up on anything else: a quoted value, a comment after a value, an item
//! written as a block mapping, a key it does not know, a number or word that YAML could
//! read another way, a key given twice, a section left empty. The caller then parses the
//! file with the YAML parser, which also words every error. A log read here is the one
//! the parser and the line scanner make (a test compares them on every log we have).

use ahash::AHashMap;

use super::ledger::{
    CheckResult, LogFile, LogIndex, NotebookCheck, SelfStudyEntry, WorkAttendance,
};
use super::scan;
use super::types::{PersonId, YearMonth};

#[derive(Clone, Copy, PartialEq)]
enum Section {
    /// After `month:` or an inline empty section: no item may follow.
    Closed,
    SelfStudy,
    NotebookChecks,
    Attendance,
}

/// The log and its index, or `None` when `text` is not in the usual shape. Ids of
/// `known` people are shared with it, not made again for every month.
pub(super) fn read(text: &str, known: &KnownPeople) -> Option<(LogFile, LogIndex)> {
    let lines = super::simple_yaml::content_lines(text)?;
    let mut month = None;
    let mut notebook_checks = Vec::new();
    let mut attendance = Vec::new();
    let mut index = LogIndex::new(known);
    let mut seen: Vec<&str> = Vec::new();
    let mut section = Section::Closed;
    // The indentation of the current section's items, and how many it has.
    let mut item_indent = None;
    let mut items = 0;
    for (line_no, indent, rest) in lines {
        if rest.contains('#') {
            return None;
        }
        if indent == 0 && !rest.starts_with('-') {
            if section != Section::Closed && items == 0 {
                return None;
            }
            let (key, value) = split_key(rest)?;
            if seen.contains(&key) {
                return None;
            }
            seen.push(key);
            (item_indent, items) = (None, 0);
            section = match (key, value) {
                ("month", value) => {
                    month = Some(month_value(value)?);
                    Section::Closed
                }
                ("self_study", "") => {
                    index.self_study_block = line_no;
                    Section::SelfStudy
                }
                ("notebook_checks", "") => Section::NotebookChecks,
                ("attendance", "") => Section::Attendance,
                ("self_study", "{}") => {
                    index.self_study_block = line_no;
                    Section::Closed
                }
                ("notebook_checks" | "attendance", "[]") => Section::Closed,
                _ => return None,
            };
            continue;
        }
        if *item_indent.get_or_insert(indent) != indent {
            return None;
        }
        items += 1;
        match section {
            Section::SelfStudy if indent > 0 => {
                let (key, value) = split_key(rest)?;
                let ((place, person), hours) = (known_id(key, known)?, number(value)?);
                let line = line_no;
                if !index.put_self_study(
                    place,
                    SelfStudyEntry {
                        person,
                        hours,
                        line,
                    },
                ) {
                    return None;
                }
            }
            Section::NotebookChecks => {
                let mut check = FlowMap::of_item(rest)?;
                notebook_checks.push(NotebookCheck {
                    person: person_id(check.take("person")?, known)?,
                    result: match check.take("result")? {
                        "pass" => CheckResult::Pass,
                        "fail" => CheckResult::Fail,
                        _ => return None,
                    },
                    remark: match check.take("remark") {
                        Some(text) => Some(plain_text(text)?.to_string()),
                        None => None,
                    },
                });
                check.done()?;
                index.notebook_checks.push(line_no);
            }
            Section::Attendance => {
                let mut entry = FlowMap::of_item(rest)?;
                attendance.push(WorkAttendance {
                    person: person_id(entry.take("person")?, known)?,
                    late: match entry.take("late") {
                        Some(late) => whole(late)?,
                        None => 0,
                    },
                    absent_days: match entry.take("absent_days") {
                        Some(days) => number(days)?,
                        None => 0.0,
                    },
                });
                entry.done()?;
                index.attendance.push(line_no);
            }
            _ => return None,
        }
    }
    if section != Section::Closed && items == 0 {
        return None;
    }
    // The hours are in the index only, as [`super::ledger::Log::new`] keeps them.
    let log = LogFile {
        month: month?,
        self_study: AHashMap::new(),
        notebook_checks,
        attendance,
    };
    Some((log, index))
}

/// `key: value` or `key:` (value ""), with a plain key.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let (key, value) = super::simple_yaml::split_at_colon(text)?;
    let value = value.trim_start_matches(' ');
    let plain = !key.is_empty()
        && (key.bytes()).all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
    plain.then_some((key, value))
}

/// `YYYY-MM`, nothing else.
fn month_value(value: &str) -> Option<YearMonth> {
    let b = value.as_bytes();
    let shape = b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit());
    shape.then(|| value.parse().ok())?
}

/// Words YAML reads as something other than a string (null, booleans, YAML 1.1's too);
/// none is longer than five letters.
const SPECIAL_WORDS: [&str; 9] = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];

/// The people of org.yaml by id, with their place in it: a log names each of them every
/// month.
pub type KnownPeople<'a> = AHashMap<&'a str, (usize, &'a PersonId)>;

/// A person id as ids are written: lowercase ASCII letters, digits, `-` and `_`, starting
/// with a letter, and not a word YAML reads as something else (an id org.yaml quotes,
/// `"true"`, is no exception: the parser reads that key as a bool). The id of a `known`
/// person is shared.
fn person_id(text: &str, known: &KnownPeople) -> Option<PersonId> {
    known_id(text, known).map(|(_, id)| id)
}

/// [`person_id`], with the person's place among the `known` people when they are one.
fn known_id(text: &str, known: &KnownPeople) -> Option<(Option<usize>, PersonId)> {
    let b = text.as_bytes();
    let ok = b.first().is_some_and(u8::is_ascii_lowercase)
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_'))
        && (b.len() > 5 || !SPECIAL_WORDS.contains(&text));
    ok.then(|| match known.get(text) {
        Some(&(place, id)) => (Some(place), id.clone()),
        None => (None, PersonId::from(text)),
    })
}

/// A decimal number as YAML and Rust both read it: `22`, `20.5`, `0.5` (no sign, no
/// exponent, no leading zero, no `_`).
fn number(text: &str) -> Option<f64> {
    let (whole_part, fraction) = match scan::split_once_byte(text, b'.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    whole(whole_part)?;
    let fraction = match fraction {
        Some(f) if f.is_empty() || !f.bytes().all(|c| c.is_ascii_digit()) => return None,
        f => f.unwrap_or(""),
    };
    // Clinger's fast path: up to 15 digits are an exact integer as an f64, and so is
    // 10^k; one division of the two, rounded as IEEE rounds, is the correctly rounded
    // value that `parse` finds (a log has a number per person and month).
    const POWERS_OF_TEN: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    if whole_part.len() + fraction.len() <= 15 {
        let digits = whole_part.bytes().chain(fraction.bytes());
        let mantissa = digits.fold(0u64, |m, c| m * 10 + u64::from(c - b'0'));
        return Some(mantissa as f64 / POWERS_OF_TEN[fraction.len()]);
    }
    text.parse().ok()
}

/// A whole number without sign or leading zero.
fn whole(text: &str) -> Option<u32> {
    let digits = !text.is_empty() && text.bytes().all(|c| c.is_ascii_digit());
    (digits && (text == "0" || !text.starts_with('0'))).then(|| text.parse().ok())?
}

/// Free text YAML reads as the same string in a flow mapping: no indicator characters,
/// not starting like a number, not a special word.
fn plain_text(text: &str) -> Option<&str> {
    let indicator = |c: char| ",[]{}:#'\"&*!|>%@`\\?".contains(c);
    let first = text.chars().next()?;
    let number_like = first.is_ascii_digit() || matches!(first, '-' | '+' | '.' | '~');
    let special = SPECIAL_WORDS.contains(&text.to_ascii_lowercase().as_str());
    (!text.contains(indicator) && !number_like && !special).then_some(text)
}

/// The fields of a one-line flow mapping item: `- {person: li-na, result: pass}`. At
/// most [`FlowMap::MAX`] of them (the known items have three), kept in place: a log has
/// hundreds of items a month.
struct FlowMap<'a> {
    fields: [(&'a str, &'a str); FlowMap::MAX],
    len: usize,
}

impl<'a> FlowMap<'a> {
    const MAX: usize = 4;

    fn of_item(rest: &'a str) -> Option<Self> {
        let inner = rest
            .strip_prefix("- ")?
            .trim_start_matches(' ')
            .strip_prefix('{')?
            .strip_suffix('}')?;
        let mut map = FlowMap {
            fields: [("", ""); FlowMap::MAX],
            len: 0,
        };
        for part in scan::split_byte(inner, b',') {
            let (key, value) = super::simple_yaml::split_at_colon(part.trim_matches(' '))?;
            let value = value.trim_start_matches(' ');
            if value.is_empty() || map.len == FlowMap::MAX || map.position(key).is_some() {
                return None;
            }
            map.fields[map.len] = (key, value);
            map.len += 1;
        }
        Some(map)
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.fields[..self.len].iter().position(|(k, _)| *k == key)
    }

    fn take(&mut self, key: &str) -> Option<&'a str> {
        let at = self.position(key)?;
        let value = self.fields[at].1;
        self.len -= 1;
        self.fields.swap(at, self.len);
        Some(value)
    }

    /// `Some` when every field was taken: an unknown one is the parser's to report.
    fn done(&self) -> Option<()> {
        (self.len == 0).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter::parse_yaml;
    use crate::content::lines::FieldLines;

    /// The log and index the YAML parser and the line scanner make, the hours moved
    /// into the index as [`crate::content::ledger::Log::new`] moves them.
    fn parsed(text: &str, known: &KnownPeople) -> (LogFile, LogIndex) {
        let mut log: LogFile = parse_yaml(text, "logs/x.yaml", 1).expect("valid YAML");
        let index = LogIndex::scanned(&log, &FieldLines::scan(text, 1), known);
        log.self_study.clear();
        (log, index)
    }

    /// Compares the reader with the parser, with no known people and with some.
    fn same_as_parser(text: &str) {
        let ids = ["zhang-wei", "li-na", "c"].map(PersonId::from);
        let some = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), (i, id)))
            .collect();
        for known in [KnownPeople::new(), some] {
            let read = read(text, &known).unwrap_or_else(|| panic!("not read:\n{text}"));
            assert_eq!(read, parsed(text, &known), "{text}");
        }
    }

    #[test]
    fn reads_the_usual_shape_as_the_parser_does() {
        for text in [
            "month: 2026-03\nself_study:\n  zhang-wei: 22\n  li-na: 18.5\nnotebook_checks:\n  - {person: li-na, result: pass}\n  - {person: zhang-wei, result: fail, remark: 记录不全}\nattendance:\n  - {person: wang-fang, late: 2, absent_days: 0}\n  - {person: li-na, absent_days: 1.5}\n",
            "# 三月台账\n\nattendance: []\nnotebook_checks:\n- {person: li-na, result: pass}\n\nmonth: 2026-03   \nself_study: {}\n",
            "month: 2026-12\nself_study:\n    a_1: 0\n    b-2: 0.25\n    # 请假\n    c: 100\n",
        ] {
            same_as_parser(text);
        }
    }

    #[test]
    fn gives_up_on_anything_else() {
        for text in [
            "month: \"2026-03\"\n",
            "month: 2026-03 # 三月\n",
            "month: 2026-3\n",
            "month: 2026-03\nself_study:\n",
            "month: 2026-03\nself_study:\n  li-na: 1e1\n",
            "month: 2026-03\nself_study:\n  li-na: 07\n",
            "month: 2026-03\nself_study:\n  li-na: .5\n",
            "month: 2026-03\nself_study:\n  li-na: 1_000\n",
            "month: 2026-03\nself_study:\n  yes: 3\n",
            "month: 2026-03\nself_study:\n  Li-Na: 3\n",
            "month: 2026-03\nself_study:\n  li-na: 3\n  li-na: 4\n",
            "month: 2026-03\nself_study:\n  li-na: 3\n   wang-fang: 4\n",
            "month: 2026-03\nself_study:\n\tli-na: 3\n",
            "month: 2026-03\r\nself_study: {}\r\n",
            "month: 2026-03\nmonth: 2026-04\n",
            "month: 2026-03\nremarks: 无\n",
            "self_study: {}\n",
            "---\nmonth: 2026-03\n",
            "month: 2026-03\nnotebook_checks:\n  - person: li-na\n    result: pass\n",
            "month: 2026-03\nnotebook_checks:\n  - {person: li-na, result: PASS}\n",
            "month: 2026-03\nnotebook_checks:\n  - {person: li-na, result: pass, remark: \"好\"}\n",
            "month: 2026-03\nnotebook_checks:\n  - {person: li-na, result: pass, remark: 12}\n",
            "month: 2026-03\nnotebook_checks:\n  - {person: li-na, result: pass, remark: null}\n",
            "month: 2026-03\nnotebook_checks:\n  - {person: li-na}\n",
            "month: 2026-03\nnotebook_checks:\n  - {person: li-na, result: pass, grade: 1}\n",
            "month: 2026-03\nnotebook_checks:\n  - {person: li-na, result: pass,}\n",
            "month: 2026-03\nattendance:\n  - {person: li-na, late: 1.5}\n",
            "month: 2026-03\nattendance:\n  - {person: li-na, late: -1}\n",
            "month: 2026-03\nattendance:\n  - {person: li-na, late: 1, late: 2}\n",
            "month: 2026-03\nattendance:\n  li-na: 1\n",
        ] {
            assert!(read(text, &KnownPeople::new()).is_none(), "read:\n{text}");
        }
    }

    #[test]
    fn shares_the_ids_of_known_people() {
        let (zhang_wei, li_na) = (PersonId::from("zhang-wei"), PersonId::from("li-na"));
        let known =
            KnownPeople::from_iter([("zhang-wei", (0, &zhang_wei)), ("li-na", (1, &li_na))]);
        let text = "month: 2026-03\nself_study:\n  li-na: 22\n  wang-fang: 20\nnotebook_checks:\n  - {person: li-na, result: pass}\n";
        let (log, index) = read(text, &known).expect("usual shape");
        let shared = |id: &PersonId| std::sync::Arc::ptr_eq(&id.0, &li_na.0);
        // Each known person's entry is at their place in org.yaml.
        assert_eq!(index.self_study.len(), 2);
        assert_eq!(index.self_study[0], None);
        let listed = index.self_study[1].as_ref().expect("li-na listed");
        assert!(shared(&listed.person));
        assert_eq!((listed.hours, listed.line), (22.0, 3));
        assert!(shared(&log.notebook_checks[0].person));
        // Someone org.yaml does not know is read all the same, for validation to name.
        let wang_fang = SelfStudyEntry {
            person: PersonId::from("wang-fang"),
            hours: 20.0,
            line: 4,
        };
        assert_eq!(index.self_study_others, [wang_fang]);
        // A known id YAML reads another way is still left to the parser.
        let yes = PersonId::from("true");
        let known = KnownPeople::from_iter([("true", (0, &yes))]);
        assert!(read("month: 2026-03\nself_study:\n  true: 3\n", &known).is_none());
    }

    #[test]
    fn numbers_are_the_f64_parse_gives_to_the_last_bit() {
        let mut texts: Vec<String> = (0..2000).map(|n| n.to_string()).collect();
        for n in 0..400u32 {
            for fraction in ["0", "5", "25", "1", "33", "125", "999", "0001", "7"] {
                texts.push(format!("{n}.{fraction}"));
            }
        }
        // Around the fast path's end: 15 digits in it, 16 and more through `parse` (a
        // whole part past u32 is left to the YAML parser).
        texts.extend(
            [
                "4294967295.12345",
                "4294967295.123456",
                "99999999.9999999",
                "0.12345678901234",
                "0.123456789012345",
                "1.00000000000000001",
            ]
            .map(String::from),
        );
        for text in &texts {
            let expected: f64 = text.parse().expect("a decimal");
            let read = number(text).unwrap_or_else(|| panic!("{text} not read"));
            assert_eq!(read.to_bits(), expected.to_bits(), "{text}");
        }
    }

    #[test]
    fn reads_every_log_of_the_example_site_as_the_parser_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/logs");
        let mut read_here = 0;
        for entry in std::fs::read_dir(&dir).expect("content/logs") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("log");
            if read(&text, &KnownPeople::new()).is_some() {
                same_as_parser(&text);
                read_here += 1;
            }
        }
        assert!(
            read_here >= 12,
            "only {read_here} example logs in the usual shape"
        );
    }

    #[test]
    fn reads_generated_logs_as_the_parser_does() {
        let dir = std::env::temp_dir().join(format!("jianbao-log-reader-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        crate::synth::generate(&dir, 300, 7).expect("generate");
        for entry in std::fs::read_dir(dir.join("logs")).expect("logs") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("log");
            same_as_parser(&text);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
