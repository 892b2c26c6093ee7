//! Cross-reference checks over the whole corpus: every id that names a department or a
//! person exists, session kinds are known, plan schedules fit their period, no two records
//! share a URL, ledgers match their file names. Each problem is one diagnostic with the
//! file line of the field concerned.

use std::collections::{BTreeMap, BTreeSet};

use super::corpus::{ConfigLines, Corpus};
use super::lines::FieldLines;
use super::record::{Record, RecordData, Scope};
use crate::error::{Diagnostic, closest};

/// Collects every cross-reference problem of the corpus.
pub fn validate(corpus: &Corpus, config: &ConfigLines) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    validate_org(corpus, config, &mut out);
    validate_rules(corpus, config, &mut out);
    for record in &corpus.records {
        validate_record(corpus, record, &mut out);
    }
    validate_urls(corpus, &mut out);
    validate_logs(corpus, &mut out);
    validate_reviews(corpus, &mut out);
    validate_briefings(corpus, &mut out);
    out
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

    fn person(&self, id: &str, field: &str, out: &mut Vec<Diagnostic>) {
        if self.corpus.org.person(id).is_none() {
            let known = self.corpus.org.people.iter().map(|p| p.id.as_str());
            out.push(unknown(
                "person",
                id,
                self.file,
                self.lines.line(field),
                field,
                known,
            ));
        }
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

fn session_kind(
    corpus: &Corpus,
    kind: &str,
    file: &str,
    line: usize,
    field: &str,
) -> Option<Diagnostic> {
    let kinds = &corpus.rules.session_kinds;
    if kinds.iter().any(|k| k == kind) {
        return None;
    }
    let d = Diagnostic::error(file, line, field, format!("unknown session kind `{kind}`"));
    Some(match closest(kind, kinds.iter().map(String::as_str)) {
        Some(best) => d.with_hint(format!("did you mean `{best}`?")),
        None => d.with_hint(format!("session kinds (rules.yaml): {}", kinds.join("、"))),
    })
}

fn validate_record(corpus: &Corpus, r: &Record, out: &mut Vec<Diagnostic>) {
    let file = r.file.as_str();
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
                let field = format!("schedule[{i}].kind");
                out.extend(session_kind(
                    corpus,
                    &item.kind,
                    file,
                    lines.line(&field),
                    &field,
                ));
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
                out.extend(session_kind(
                    corpus,
                    &m.kind,
                    file,
                    lines.line("kind"),
                    "kind",
                ));
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
                let field = format!("attendees[{i}]");
                ids.person(p.as_str(), &field, out);
                if !attending.insert(p.as_str()) {
                    out.push(Diagnostic::warning(
                        file,
                        lines.line(&field),
                        field,
                        format!("`{p}` is listed twice among the attendees"),
                    ));
                }
            }
            for (i, a) in m.absent.iter().enumerate() {
                let field = format!("absent[{i}].person");
                ids.person(a.person.as_str(), &field, out);
                if attending.contains(a.person.as_str()) {
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
                for (field, p) in m
                    .attendees
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("attendees[{i}]"), p))
                {
                    if let Some(person) = corpus.org.person(p.as_str())
                        && !person.on_staff(date)
                    {
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
    let mut by_path: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in &corpus.records {
        by_path.entry(r.path.as_str()).or_default().push(r);
    }
    for (path, records) in by_path.into_iter().filter(|(_, rs)| rs.len() > 1) {
        let files: Vec<&str> = records.iter().map(|r| r.file.as_str()).collect();
        for r in &records {
            let others: Vec<&str> = files.iter().copied().filter(|f| *f != r.file).collect();
            out.push(
                Diagnostic::error(
                    &r.file,
                    r.lines.line("slug"),
                    "slug",
                    format!("writes the same URL /{path} as {}", others.join(", ")),
                )
                .with_hint("give one of them a different `slug`"),
            );
        }
    }
}

fn validate_logs(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    for log in corpus.logs.values() {
        let file = log.file.as_str();
        let ids = Ids {
            corpus,
            file,
            lines: &log.lines,
        };
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or(file)
            .split('.')
            .next()
            .unwrap_or("");
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
        for (person, hours) in &log.data.self_study {
            let field = format!("self_study.{person}");
            ids.person(person.as_str(), &field, out);
            if !(*hours >= 0.0 && hours.is_finite()) {
                out.push(Diagnostic::error(
                    file,
                    log.lines.line(&field),
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
}

fn validate_reviews(corpus: &Corpus, out: &mut Vec<Diagnostic>) {
    for review in corpus.reviews.values() {
        let file = review.file.as_str();
        let ids = Ids {
            corpus,
            file,
            lines: &review.lines,
        };
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or(file)
            .split('.')
            .next()
            .unwrap_or("");
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
