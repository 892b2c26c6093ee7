//! Cross-reference checks over the whole corpus: every id that names a department or a
//! person exists, session kinds are known, plan schedules fit their period, no two records
//! share a URL, ledgers match their file names. Each problem is one diagnostic with the
//! file line of the field concerned.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::corpus::{ConfigLines, Corpus};
use super::ledger::Log;
use super::lines::FieldLines;
use super::record::{Record, RecordData, Scope};
use crate::config::{Criterion, Metric};
use crate::error::{Diagnostic, closest};

/// Collects every cross-reference problem of the corpus.
pub fn validate(corpus: &Corpus, config: &ConfigLines) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    validate_org(corpus, config, &mut out);
    validate_rules(corpus, config, &mut out);
    validate_evaluation(corpus, config, &mut out);
    // Records and logs are checked in parallel: a big site has tens of thousands. Their
    // URLs are compared meanwhile (one pass over every record's path, on one core).
    let logs: Vec<&Log> = corpus.logs.values().collect();
    let (records, (urls, logs)) = rayon::join(
        || {
            each(&corpus.records, |r, found| {
                validate_record(corpus, r, found)
            })
        },
        || {
            rayon::join(
                || {
                    let mut found = Vec::new();
                    validate_urls(corpus, &mut found);
                    found
                },
                || each(&logs, |log, found| validate_log(corpus, log, found)),
            )
        },
    );
    out.extend(records);
    out.extend(urls);
    out.extend(logs);
    validate_reviews(corpus, &mut out);
    validate_briefings(corpus, &mut out);
    out
}

/// The problems `check` finds in each of `items`, checked in parallel, in their order.
fn each<T: Sync>(items: &[T], check: impl Fn(&T, &mut Vec<Diagnostic>) + Sync) -> Vec<Diagnostic> {
    items
        .par_iter()
        .flat_map_iter(|item| {
            let mut found = Vec::new();
            check(item, &mut found);
            found
        })
        .collect()
}

/// Checks ids against org.yaml and records diagnostics at the id's line.
struct Ids<'a> {
    corpus: &'a Corpus,
    file: &'a str,
    lines: &'a FieldLines,
}

impl Ids<'_> {
    fn department(&self, id: &str, field: &str, out: &mut Vec<Diagnostic>) {
        if self.corpus.org.department(id).is_none() {
            let known = self.corpus.org.departments.iter().map(|d| d.id.as_str());
            out.push(unknown(
                "department",
                id,
                self.file,
                self.lines.line(field),
                field,
                known,
            ));
        }
    }

    fn person<'f>(&self, id: &str, field: impl Into<Field<'f>>, out: &mut Vec<Diagnostic>) {
        if self.corpus.org.person(id).is_none() {
            let field = field.into().text();
            let known = self.corpus.org.people.iter().map(|p| p.id.as_str());
            out.push(unknown(
                "person",
                id,
                self.file,
                self.lines.line(&field),
                &field,
                known,
            ));
        }
    }
}

/// The field a problem is about, spelled out only when there is a problem: the name of
/// every attendee of every record, made up front, was most of validation's time.
#[derive(Debug, Clone, Copy)]
enum Field<'a> {
    Name(&'a str),
    /// `list[index]` and then `rest` (`attendees[3]`, `absent[0].person`).
    Item(&'static str, usize, &'static str),
}

impl Field<'_> {
    fn text(self) -> String {
        match self {
            Field::Name(name) => name.to_string(),
            Field::Item(list, i, rest) => format!("{list}[{i}]{rest}"),
        }
    }
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(name: &'a str) -> Self {
        Field::Name(name)
    }
}

impl<'a> From<&'a String> for Field<'a> {
    fn from(name: &'a String) -> Self {
        Field::Name(name)
    }
}

fn unknown<'a>(
    what: &str,
    id: &str,
    file: &str,
    line: usize,
    field: &str,
    known: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::error(file, line, field, format!("unknown {what} id `{id}`"));
    match closest(id, known) {
        Some(best) => d.with_hint(format!(
            "did you mean `{best}`? ({what} ids are listed in org.yaml)"
        )),
        None => d.with_hint(format!(
            "add the {what} to org.yaml or use an id listed there"
        )),
    }
}

fn validate_org(corpus: &Corpus, config: &ConfigLines, out: &mut Vec<Diagnostic>) {
    let org = &corpus.org;
    let lines = &config.org;
    let ids = Ids {
        corpus,
        file: "org.yaml",
        lines,
    };
    let mut seen = BTreeSet::new();
    for (i, d) in org.departments.iter().enumerate() {
        if !seen.insert(d.id.as_str()) {
            let field = format!("departments[{i}].id");
            out.push(Diagnostic::error(
                "org.yaml",
                lines.line(&field),
                field,
                format!("department id `{}` is used twice", d.id),
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, p) in org.people.iter().enumerate() {
        if !seen.insert(p.id.as_str()) {
            let field = format!("people[{i}].id");
            out.push(Diagnostic::error(
                "org.yaml",
                lines.line(&field),
                field,
                format!("person id `{}` is used twice", p.id),
            ));
        }
        ids.department(
            p.department.as_str(),
            &format!("people[{i}].department"),
            out,
        );
        if let (Some(joined), Some(left)) = (p.joined, p.left)
            && left < joined
        {
            let field = format!("people[{i}].left");
            out.push(Diagnostic::error(
                "org.yaml",
                lines.line(&field),
                field,
                format!("{} left ({left}) before joining ({joined})", p.name),
            ));
        }
    }
}

fn validate_rules(corpus: &Corpus, config: &ConfigLines, out: &mut Vec<Diagnostic>) {
    let rules = &corpus.rules;
    let lines = &config.rules;
    if rules.session_kinds.is_empty() {
        out.push(Diagnostic::error(
            "rules.yaml",
            lines.line("session_kinds"),
            "session_kinds",
            "no session kinds are defined",
        ));
    }
    for (i, kind) in rules.collective_kinds.iter().enumerate() {
        if !rules.session_kinds.contains(kind) {
            let field = format!("collective_kinds[{i}]");
            out.push(
                Diagnostic::error(
                    "rules.yaml",
                    lines.line(&field),
                    field,
                    format!("collective kind `{kind}` is not one of session_kinds"),
                )
                .with_hint("add it to session_kinds or remove it here"),
            );
        }
    }
}

/// `lines` is asked only when the kind is unknown: scanning every record's lines would
/// cost a build megabytes for no problem at all.
fn session_kind<'f>(
    corpus: &Corpus,
    kind: &str,
    file: &str,
    lines: &FieldLines,
    field: impl Into<Field<'f>>,
) -> Option<Diagnostic> {
    let kinds = &corpus.rules.session_kinds;
    if kinds.iter().any(|k| k == kind) {
        return None;
    }
    let field = field.into().text();
    let line = lines.line(&field);
    let d = Diagnostic::error(file, line, field, format!("unknown session kind `{kind}`"));
    Some(match closest(kind, kinds.iter().map(String::as_str)) {
        Some(best) => d.with_hint(format!("did you mean `{best}`?")),
        None => d.with_hint(format!("session kinds (rules.yaml): {}", kinds.join("、"))),
    })
}

/// The problems of one record on its own (ids, dates, fields), without the checks that
/// compare it with other records: what `serve` checks before showing an edit at once.
pub fn validate_one(corpus: &Corpus, r: &Record) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    validate_record(corpus, r, &mut out);
    out
}

fn validate_record(corpus: &Corpus, r: &Record, out: &mut Vec<Diagnostic>) {
    let file = &r.file[..];
    let lines = &r.lines;
    let ids = Ids {
        corpus,
        file,
        lines,
    };
    if let Some(dept) = &r.department {
        ids.department(dept.as_str(), "department", out);
    }
    match &r.data {
        RecordData::Plan(plan) => {
            match plan.period {
                None => out.push(
                    Diagnostic::error(
                        file,
                        lines.line("period"),
                        "period",
                        "a plan needs a period",
                    )
                    .with_hint("add `period: 2026`, `period: 2026-Q2` or `period: 2026-03`"),
                ),
                Some(period) => {
                    for (i, item) in plan.schedule.iter().enumerate() {
                        if !period.contains(item.date) {
                            let field = format!("schedule[{i}].date");
                            out.push(
                                Diagnostic::error(
                                    file,
                                    lines.line(&field),
                                    field,
                                    format!(
                                        "scheduled date {} is outside the plan's period {period}",
                                        item.date
                                    ),
                                )
                                .with_hint(format!(
                                    "the period runs from {} to {}",
                                    period.first_day(),
                                    period.last_day()
                                )),
                            );
                        }
                    }
                }
            }
            for (i, item) in plan.schedule.iter().enumerate() {
                let field = Field::Item("schedule", i, ".kind");
                out.extend(session_kind(corpus, &item.kind, file, lines, field));
            }
            match plan.scope {
                Scope::Person if plan.person.is_none() => out.push(
                    Diagnostic::error(
                        file,
                        lines.line("scope"),
                        "person",
                        "a personal plan needs `person`",
                    )
                    .with_hint("add `person: ID`"),
                ),
                Scope::Department if r.department.is_none() => out.push(
                    Diagnostic::error(
                        file,
                        lines.line("scope"),
                        "department",
                        "a department plan needs `department`",
                    )
                    .with_hint(
                        "add `department: ID`, or `scope: org` for a plan of the whole office",
                    ),
                ),
                _ => {}
            }
            if let Some(p) = &plan.person {
                ids.person(p.as_str(), "person", out);
            }
        }
        RecordData::Minutes(m) => {
            if r.department.is_none() {
                out.push(
                    Diagnostic::error(
                        file,
                        lines.line("department"),
                        "department",
                        "a study session needs a department",
                    )
                    .with_hint("add `department: ID` (the unit that held it)"),
                );
            }
            if m.kind.is_empty() {
                out.push(
                    Diagnostic::error(file, lines.line("kind"), "kind", "missing session kind")
                        .with_hint("add `kind: 集中学习` or another kind from rules.yaml"),
                );
            } else {
                out.extend(session_kind(corpus, &m.kind, file, lines, "kind"));
            }
            if m.hours.is_nan() {
                out.push(
                    Diagnostic::error(file, lines.line("hours"), "hours", "missing hours")
                        .with_hint("add `hours: 2` (the session's length)"),
                );
            } else if !(m.hours > 0.0 && m.hours.is_finite()) {
                out.push(
                    Diagnostic::error(
                        file,
                        lines.line("hours"),
                        "hours",
                        format!("hours must be a positive number, not {}", m.hours),
                    )
                    .with_hint("write the session's length in hours, like `hours: 1.5`"),
                );
            }
            if let Some(host) = &m.host {
                ids.person(host.as_str(), "host", out);
            }
            if let Some(speaker) = &m.speaker
                && is_id_like(speaker)
            {
                ids.person(speaker, "speaker", out);
            }
            let mut attending = BTreeSet::new();
            for (i, p) in m.attendees.iter().enumerate() {
                ids.person(p.as_str(), Field::Item("attendees", i, ""), out);
                if !attending.insert(p.as_str()) {
                    let field = Field::Item("attendees", i, "").text();
                    out.push(Diagnostic::warning(
                        file,
                        lines.line(&field),
                        field,
                        format!("`{p}` is listed twice among the attendees"),
                    ));
                }
            }
            for (i, a) in m.absent.iter().enumerate() {
                let field = Field::Item("absent", i, ".person");
                ids.person(a.person.as_str(), field, out);
                if attending.contains(a.person.as_str()) {
                    let field = field.text();
                    out.push(
                        Diagnostic::error(
                            file,
                            lines.line(&field),
                            field,
                            format!("`{}` is listed both as attending and absent", a.person),
                        )
                        .with_hint("keep the person in one of the two lists"),
                    );
                }
            }
            if let Some(date) = r.date {
                for (i, p) in m.attendees.iter().enumerate() {
                    if let Some(person) = corpus.org.person(p.as_str())
                        && !person.on_staff(date)
                    {
                        let field = Field::Item("attendees", i, "").text();
                        out.push(Diagnostic::warning(
                            file,
                            lines.line(&field),
                            field,
                            format!("{} ({p}) was not on the staff on {date}", person.name),
                        ));
                    }
                }
            }
        }
        RecordData::Case(c) => {
            if let Some(p) = &c.person {
                ids.person(p.as_str(), "person", out);
            }
            if c.person.is_none() && r.department.is_none() {
                out.push(
                    Diagnostic::error(
                        file,
                        lines.line("title"),
                        "person",
                        "a case needs a `person` or a `department`",
                    )
                    .with_hint("name whom the case is about"),
                );
            }
            if let Some(cover) = &c.cover
                && !corpus.root.join(cover).is_file()
            {
                out.push(
                    Diagnostic::error(file, lines.line("cover"), "cover", format!("cover image `{cover}` does not exist"))
                        .with_hint("put the image beside the record or under assets/, and give its path from there"),
                );
            }
        }
        RecordData::Essay(e) => match &e.author {
            Some(a) => ids.person(a.as_str(), "author", out),
            None => out.push(
                Diagnostic::error(
                    file,
                    lines.line("author"),
                    "author",
                    "an essay needs an author",
                )
                .with_hint("add `author: ID`"),
            ),
        },
    }
}

/// A speaker may be a person id or a free name (市委党校王教授); ASCII ids are checked.
fn is_id_like(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn validate_urls(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    // Sorted by path, records of one path in corpus order (a stable sort): a list per
    // path in a tree was an allocation per record.
    let mut by_path: Vec<(&str, &Record)> = (corpus.records.iter())
        .map(|r| (r.path.as_str(), r))
        .collect();
    by_path.sort_by(|a, b| a.0.cmp(b.0));
    for same in by_path
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|same| same.len() > 1)
    {
        let path = same[0].0;
        let records: Vec<&Record> = same.iter().map(|&(_, r)| r).collect();
        let files: Vec<&str> = records.iter().map(|r| &r.file[..]).collect();
        for r in &records {
            let others: Vec<&str> = files.iter().copied().filter(|f| *f != &*r.file).collect();
            out.push(
                Diagnostic::error(
                    &*r.file,
                    r.lines.line("slug"),
                    "slug",
                    format!("writes the same URL /{path} as {}", others.join(", ")),
                )
                .with_hint("give one of them a different `slug`"),
            );
        }
    }
}

/// `logs/2026-03.yaml` -> `2026-03`: what a ledger's `month` or `year` must match.
fn file_stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.split('.').next().unwrap_or("")
}

fn validate_log(corpus: &Corpus, log: &Log, out: &mut Vec<Diagnostic>) {
    let file = &*log.file;
    let ids = Ids {
        corpus,
        file,
        lines: &log.lines,
    };
    let stem = file_stem(file);
    let month = log.month().to_string();
    if stem != month {
        out.push(
            Diagnostic::error(
                file,
                log.lines.line("month"),
                "month",
                format!("month {month} does not match the file name {stem}"),
            )
            .with_hint(format!(
                "rename the file to logs/{month}.yaml or fix `month`"
            )),
        );
    }
    for entry in log.self_study_entries() {
        let (person, hours, line) = (&entry.person, entry.hours, entry.line);
        let hours_ok = hours >= 0.0 && hours.is_finite();
        // The field is named only for a problem: a county's log has thousands of lines.
        if hours_ok && corpus.org.person(person.as_str()).is_some() {
            continue;
        }
        let field = format!("self_study.{person}");
        ids.person(person.as_str(), &field, out);
        if !hours_ok {
            out.push(Diagnostic::error(
                file,
                line,
                field,
                format!("self-study hours must be 0 or more, not {hours}"),
            ));
        }
    }
    for (i, check) in log.data.notebook_checks.iter().enumerate() {
        ids.person(
            check.person.as_str(),
            &format!("notebook_checks[{i}].person"),
            out,
        );
    }
    for (i, a) in log.data.attendance.iter().enumerate() {
        ids.person(a.person.as_str(), &format!("attendance[{i}].person"), out);
    }
}

fn validate_reviews(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    for review in corpus.reviews.values() {
        let file = &*review.file;
        let ids = Ids {
            corpus,
            file,
            lines: &review.lines,
        };
        let stem = file_stem(file);
        if stem != review.data.year.to_string() {
            out.push(Diagnostic::error(
                file,
                review.lines.line("year"),
                "year",
                format!(
                    "year {} does not match the file name {stem}",
                    review.data.year
                ),
            ));
        }
        for dept in review.data.departments.keys() {
            ids.department(dept.as_str(), &format!("departments.{dept}"), out);
        }
        for person in review.data.people.keys() {
            ids.person(person.as_str(), &format!("people.{person}"), out);
        }
    }
}

/// The evaluation rubric of rules.yaml, and the review files against it.
///
/// A `review` criterion that a review file does not score is a warning in that review
/// file, not an error in rules.yaml: reviews are written at the end of the year, so for
/// most of it no file scores anything and `check` must stay clean; when a review exists,
/// the missing score is a gap in that file (the department gets 0 points), and that file
/// is where the user has to look. A score under a name that no `review` criterion has is
/// an error there, because it is most likely a misspelt criterion id.
fn validate_evaluation(corpus: &Corpus, config: &ConfigLines, out: &mut Vec<Diagnostic>) {
    let eval = &corpus.rules.evaluation;
    let lines = &config.rules;
    let error = |field: String, message: String| {
        Diagnostic::error("rules.yaml", lines.line(&field), field, message)
    };
    for (list, criteria) in [
        ("criteria", &eval.criteria),
        ("person_criteria", &eval.person_criteria),
    ] {
        validate_criteria(list, criteria, config, out);
    }

    if eval.bands.is_empty() {
        out.push(
            error("evaluation.bands".into(), "no grade bands are defined".into())
                .with_hint("e.g. `bands: [{min: 90, grade: 优秀}, {min: 80, grade: 良好}, {min: 60, grade: 合格}, {min: 0, grade: 不合格}]`"),
        );
    }
    for (i, pair) in eval.bands.windows(2).enumerate() {
        if pair[1].min >= pair[0].min {
            out.push(
                error(
                    format!("evaluation.bands[{}]", i + 1),
                    format!(
                        "bands must be in descending order of `min`: {} ({}) comes after {} ({})",
                        pair[1].grade, pair[1].min, pair[0].grade, pair[0].min
                    ),
                )
                .with_hint("list the highest grade first; a score gets the first band whose min it reaches"),
            );
        }
    }
    let quotas = &eval.quotas;
    for (name, q) in [
        ("advanced_departments", quotas.advanced_departments),
        ("advanced_workers", quotas.advanced_workers),
        ("excellent_party_members", quotas.excellent_party_members),
    ] {
        if !(0.0..=1.0).contains(&q) {
            out.push(
                error(
                    format!("evaluation.quotas.{name}"),
                    format!("quota {q} is not a share between 0 and 1"),
                )
                .with_hint("write 15% as 0.15"),
            );
        }
    }
    validate_review_scores(corpus, out);
}

fn validate_criteria(
    list: &str,
    criteria: &[Criterion],
    config: &ConfigLines,
    out: &mut Vec<Diagnostic>,
) {
    let lines = &config.rules;
    let at = |i: usize, field: &str| {
        let path = format!("evaluation.{list}[{i}].{field}");
        (lines.line(&path), path)
    };
    let mut seen = BTreeSet::new();
    for (i, c) in criteria.iter().enumerate() {
        if !seen.insert(c.id.as_str()) {
            let (line, field) = at(i, "id");
            out.push(
                Diagnostic::error(
                    "rules.yaml",
                    line,
                    field,
                    format!("criterion id `{}` is used twice in {list}", c.id),
                )
                .with_hint("give each criterion its own id"),
            );
        }
        match Metric::from_name(&c.metric) {
            None => {
                let (line, field) = at(i, "metric");
                let names = Metric::ALL.map(Metric::name);
                let d = Diagnostic::error(
                    "rules.yaml",
                    line,
                    field,
                    format!("unknown metric `{}`", c.metric),
                );
                out.push(match closest(&c.metric, names) {
                    Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                    None => d.with_hint(format!("metrics: {}", names.join(", "))),
                });
            }
            Some(Metric::Review) if list == "person_criteria" => {
                let (line, field) = at(i, "metric");
                out.push(
                    Diagnostic::error(
                        "rules.yaml",
                        line,
                        field,
                        "`review` scores departments; people have no review scores",
                    )
                    .with_hint("use another metric for person criteria"),
                );
            }
            Some(_) => {}
        }
        if !(c.weight >= 0.0 && c.weight.is_finite()) {
            let (line, field) = at(i, "weight");
            out.push(Diagnostic::error(
                "rules.yaml",
                line,
                field,
                format!("weight must be 0 or more, not {}", c.weight),
            ));
        }
        if let Some(target) = c.target
            && !(target > 0.0 && target.is_finite())
        {
            let (line, field) = at(i, "target");
            out.push(
                Diagnostic::error(
                    "rules.yaml",
                    line,
                    field,
                    format!("target must be more than 0, not {target}"),
                )
                .with_hint("the value that earns the full weight; leave it out for 1 (100%)"),
            );
        }
    }
    let total: f64 = criteria.iter().map(|c| c.weight).sum();
    if !criteria.is_empty() && (total - 100.0).abs() > 1e-9 {
        let field = format!("evaluation.{list}");
        out.push(
            Diagnostic::warning(
                "rules.yaml",
                lines.line(&field),
                field,
                format!("the weights of {list} add up to {total}, not 100"),
            )
            .with_hint("scores are sums of points, and the grade bands assume 100 in all"),
        );
    }
}

fn validate_review_scores(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    let review_criteria: Vec<&Criterion> = corpus
        .rules
        .evaluation
        .criteria
        .iter()
        .filter(|c| c.metric == Metric::Review.name())
        .collect();
    let ids: Vec<&str> = review_criteria.iter().map(|c| c.id.as_str()).collect();
    for review in corpus.reviews.values() {
        let file = &*review.file;
        let lines = &review.lines;
        for (dept, scores) in &review.data.departments {
            for (key, score) in &scores.scores {
                let field = format!("departments.{dept}.scores.{key}");
                if !ids.contains(&key.as_str()) {
                    let d = Diagnostic::error(
                        file,
                        lines.line(&field),
                        field.clone(),
                        format!("`{key}` is not a `review` criterion of rules.yaml"),
                    );
                    out.push(match closest(key, ids.iter().copied()) {
                        Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                        None if ids.is_empty() => d.with_hint(
                            "rules.yaml has no criterion with `metric: review`; add one or remove the score",
                        ),
                        None => d.with_hint(format!("review criteria: {}", ids.join(", "))),
                    });
                }
                if !(0.0..=10.0).contains(score) {
                    out.push(
                        Diagnostic::error(
                            file,
                            lines.line(&field),
                            field,
                            format!("score {score} is outside 0 to 10"),
                        )
                        .with_hint("review scores are out of 10; the criterion earns score / 10 of its weight"),
                    );
                }
            }
        }
        for c in &review_criteria {
            let scored = |d: &str| {
                review
                    .data
                    .departments
                    .get(d)
                    .is_some_and(|r| r.scores.contains_key(&c.id))
            };
            let missing: Vec<&str> = corpus
                .org
                .departments
                .iter()
                .map(|d| d.id.as_str())
                .filter(|d| !scored(d))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let label = if c.name.is_empty() {
                format!("`{}`", c.id)
            } else {
                format!("`{}` ({})", c.id, c.name)
            };
            if missing.len() == corpus.org.departments.len() {
                out.push(
                    Diagnostic::warning(
                        file,
                        lines.line("departments"),
                        "departments",
                        format!(
                            "no department is scored for {label}: each gets 0 of its {} points",
                            c.weight
                        ),
                    )
                    .with_hint(format!(
                        "add `{}: N` (out of 10) to each department's scores",
                        c.id
                    )),
                );
                continue;
            }
            for dept in missing {
                let field = format!("departments.{dept}");
                out.push(
                    Diagnostic::warning(
                        file,
                        lines.line(&field),
                        field,
                        format!(
                            "{dept} has no score for {label}: it gets 0 of {} points",
                            c.weight
                        ),
                    )
                    .with_hint(format!("add `{}: N` (out of 10) to its scores", c.id)),
                );
            }
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
fn validate_briefings(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    let mut issues: BTreeMap<u32, &str> = BTreeMap::new();
    for b in corpus.briefings.values() {
        let file = b.file.as_str();
        let stem = file.rsplit('/').next().unwrap_or(file);
        let stem = stem.strip_suffix(".md").unwrap_or(stem);
        let month = b.month.to_string();
        if stem != month {
            out.push(
                Diagnostic::error(
                    file,
                    b.lines.line("month"),
                    "month",
                    format!("month {month} does not match the file name {stem}"),
                )
                .with_hint(format!(
                    "rename the file to briefings/{month}.md or fix `month`"
                )),
            );
        }
        if let Some(other) = issues.insert(b.issue, file) {
            out.push(Diagnostic::warning(
                file,
                b.lines.line("issue"),
                "issue",
                format!("issue {} is also the number of {other}", b.issue),
            ));
        }
    }
}
