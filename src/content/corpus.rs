//! The Corpus: every record, log and review of a site, with the configuration, read in
//! parallel and indexed by kind, month, department, person and tag.
//!
//! Loading never stops at the first problem: a file that cannot be read becomes a
//! diagnostic and the rest of the site is still loaded and checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ahash::AHashMap;
use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::briefing::{Briefing, parse_briefing};
use super::frontmatter::parse_yaml;
use super::ledger::{Log, Review, ReviewFile, parse_log};
use super::lines::FieldLines;
use super::log_reader::KnownPeople;
use super::record::{Kind, Record, RecordData, parse_record};
use super::types::{DeptId, PersonId, YearMonth};
use super::validate;
use crate::config::{Org, OrgConfig, Rules, SiteConfig};
use crate::error::{Diagnostic, Error, Result, sort_diagnostics};
use crate::folders::Folders;

#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    pub site: SiteConfig,
    pub org: Org,
    pub rules: Rules,
    /// Every record that parsed, drafts included, newest first (ties by file path).
    pub records: Vec<Record>,
    pub logs: BTreeMap<YearMonth, Log>,
    pub reviews: BTreeMap<i32, Review>,
    /// Published monthly briefings, by month.
    pub briefings: BTreeMap<YearMonth, Briefing>,
    /// Content-relative paths of files copied as they are (images, attachments).
    pub assets: Vec<String>,
    /// Whether drafts are shown on the site (`--drafts`); reports never count them.
    pub include_drafts: bool,
    pub index: Index,
}

/// Positions in `Corpus::records` of the records shown on the site, by key. Each list
/// keeps the corpus order (newest first).
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub visible: Vec<usize>,
    pub by_kind: BTreeMap<Kind, Vec<usize>>,
    pub by_month: BTreeMap<YearMonth, Vec<usize>>,
    pub by_department: BTreeMap<DeptId, Vec<usize>>,
    pub by_person: BTreeMap<PersonId, Vec<usize>>,
    pub by_tag: BTreeMap<String, Vec<usize>>,
    pub by_file: AHashMap<Arc<str>, usize>,
    /// The schedule items of non-draft plans (drafts never count in reports), by the
    /// month of their date: (record, item) indexes, in corpus then schedule order.
    pub plan_items_by_month: BTreeMap<YearMonth, Vec<(usize, usize)>>,
    /// Non-draft essays by the month of the bulletin that features them (`featured`),
    /// in corpus order: each briefing's selection without a pass over every record.
    pub featured_essays_by_month: BTreeMap<YearMonth, Vec<usize>>,
}

/// What a content folder holds, by its top-level name.
enum Entry {
    Record(Kind),
    Log,
    Review,
    Briefing,
    Asset,
    Ignored,
}

fn classify(rel: &str) -> Entry {
    let (top, rest) = rel.split_once('/').unwrap_or(("", rel));
    let is = |ext: &str| rest.ends_with(ext);
    match top {
        "logs" if is(".yaml") || is(".yml") => Entry::Log,
        "reviews" if is(".yaml") || is(".yml") => Entry::Review,
        "briefings" if is(".md") => Entry::Briefing,
        "assets" => Entry::Asset,
        // Non-Markdown files beside records (a case's photo) are copied too.
        folder => match Kind::from_folder(folder) {
            Some(kind) if is(".md") => Entry::Record(kind),
            Some(_) => Entry::Asset,
            None => Entry::Ignored,
        },
    }
}

/// The bytes of a file, as long as it was when opened: one read where `std::fs::read`
/// makes a second to find the end (10,000 system calls fewer for 10,000 records).
fn read_bytes(file: std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let len = file.metadata()?.len();
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(len).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads a file as UTF-8 text; a file that is not UTF-8 becomes a diagnostic on the line
/// of its first bad byte.
pub fn read_text(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    text_of(std::fs::File::open(root.join(rel)), rel)
}

/// [`read_text`] of a file of the content opened by name in its open folder (the
/// records and logs: thousands of files).
fn read_text_in(content: &Folders, rel: &str) -> Result<String, Diagnostic> {
    text_of(content.open(rel), rel)
}

/// The text of the file `rel`, opened.
fn text_of(file: std::io::Result<std::fs::File>, rel: &str) -> Result<String, Diagnostic> {
    let bytes = file
        .and_then(read_bytes)
        .map_err(|e| Diagnostic::error(rel, 0, "", format!("cannot read the file: {e}")))?;
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: the bytes were just checked to be UTF-8.
        return Ok(unsafe { String::from_utf8_unchecked(bytes) });
    }
    // Not UTF-8: std's check finds where, for the message.
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::error(rel, line, "", "the file is not UTF-8 text")
            .with_hint("save it as UTF-8 (files from old Windows editors are often GBK)")
    })
}

fn read_config<T: DeserializeOwned>(
    root: &Path,
    name: &str,
    hint: &str,
) -> Result<(T, FieldLines), Diagnostic> {
    if !root.join(name).is_file() {
        return Err(
            Diagnostic::error(name, 0, "", format!("missing {name}")).with_hint(hint.to_string())
        );
    }
    let text = read_text(root, name)?;
    Ok((parse_yaml(&text, name, 1)?, FieldLines::scan(&text, 1)))
}

/// Every file under `root`, content-relative with `/` separators, sorted; names starting
/// with `_` or `.` are skipped, with what is under them. Folders are read in parallel:
/// a big site's records are in thousands of folders (minutes/2026/...).
fn walk(root: &Path) -> Vec<String> {
    let mut files = walk_folder(root, String::new());
    files.par_sort_unstable();
    files
}

/// The files under `root`/`rel` (`rel` empty or ending in `/`), as [`walk`] gives them,
/// unsorted. Symbolic links are not followed, and what cannot be read is left out.
fn walk_folder(root: &Path, rel: String) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join(&rel)) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('_') || name.starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => folders.push([&rel, &*name, "/"].concat()),
            Ok(t) if t.is_file() => files.push([&rel, &*name].concat()),
            _ => {}
        }
    }
    let below: Vec<Vec<String>> = folders
        .into_par_iter()
        .map(|folder| walk_folder(root, folder))
        .collect();
    files.extend(below.into_iter().flatten());
    files
}

/// Sorts records newest first, ties by file. Their order is found on indexes, then each
/// record is moved to its place once ([`permute`]): a record is hundreds of bytes, and a
/// merge sort moved each a dozen times through a buffer as big as all of them (5 ms of
/// a 10,000-record load, on one core).
fn sort_newest_first(records: &mut [Record]) {
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (a, b) = (&records[a], &records[b]);
        b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file))
    });
    permute(records, order);
}

/// Puts `items[order[i]]` at place `i`, swapping along the permutation's cycles, without
/// a second list. `order` must hold every index once.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        // Each place on the cycle takes the item meant for it; `order` marks it done.
        let mut place = start;
        while order[place] != start {
            let from = std::mem::replace(&mut order[place], place);
            items.swap(place, from);
            place = from;
        }
        order[place] = place;
    }
}

/// Loads and checks the site in `root`. Returns the corpus with every diagnostic found
/// (errors and warnings), or, when the configuration itself cannot be read, all the
/// diagnostics as [`Error::Content`].
pub fn load(root: &Path, include_drafts: bool) -> Result<(Corpus, Vec<Diagnostic>)> {
    if !root.is_dir() {
        return Err(Error::Usage(format!(
            "content directory `{}` not found (use -c DIR, or `jianbao init DIR` to start a site)",
            root.display()
        )));
    }
    let init_hint = "every site needs site.yaml, org.yaml and rules.yaml; `jianbao init DIR` writes a working set";
    // The configuration is read while the folders are walked (a big office's org.yaml
    // takes the YAML parser milliseconds).
    let ((site, org, rules), files) = rayon::join(
        || {
            (
                read_config::<SiteConfig>(root, "site.yaml", init_hint),
                read_config::<OrgConfig>(root, "org.yaml", init_hint),
                read_config::<Rules>(root, "rules.yaml", init_hint),
            )
        },
        || crate::timing::phase("walk", || walk(root)),
    );
    let content = Folders::new(root).map_err(|e| Error::io(root, e))?;
    let mut diagnostics = Vec::new();
    let mut assets = Vec::new();
    let mut record_files = Vec::new();
    let mut log_files = Vec::new();
    let mut review_files = Vec::new();
    let mut briefing_files = Vec::new();
    for rel in files {
        match classify(&rel) {
            Entry::Record(kind) => record_files.push((kind, rel)),
            Entry::Log => log_files.push(rel),
            Entry::Review => review_files.push(rel),
            Entry::Briefing => briefing_files.push(rel),
            Entry::Asset => assets.push(rel),
            Entry::Ignored => {}
        }
    }
    // Records and ledgers are parsed in one parallel pass: the large monthly logs of a
    // big office would otherwise leave a core idle at the end of the records.
    let (parsed, (logs, reviews)) = crate::timing::phase("parse", || {
        rayon::join(
            || {
                record_files
                    .par_iter()
                    .map(|(kind, rel)| {
                        let text = read_text_in(&content, rel).map_err(|d| vec![d])?;
                        parse_record(*kind, rel, &text)
                    })
                    .collect::<Vec<Result<Record, Vec<Diagnostic>>>>()
            },
            || {
                rayon::join(
                    || {
                        load_logs(
                            &content,
                            &log_files,
                            &known_people(org.as_ref().ok().map(|o| &o.0)),
                        )
                    },
                    || load_ledgers::<ReviewFile>(root, &review_files),
                )
            },
        )
    });
    let mut records = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(record) => records.push(record),
            Err(mut ds) => diagnostics.append(&mut ds),
        }
    }
    sort_newest_first(&mut records);
    let logs = take_ok(logs, &mut diagnostics);
    let reviews = take_ok(reviews, &mut diagnostics);
    let briefings = load_briefings(root, &briefing_files, &mut diagnostics);

    let (site, org, rules, config_lines) = match (site, org, rules) {
        (Ok((site, _)), Ok((org, org_lines)), Ok((rules, rules_lines))) => (
            site,
            Org::new(org),
            rules,
            ConfigLines {
                org: org_lines,
                rules: rules_lines,
            },
        ),
        (site, org, rules) => {
            diagnostics.extend(site.err());
            diagnostics.extend(org.err());
            diagnostics.extend(rules.err());
            sort_diagnostics(&mut diagnostics);
            return Err(Error::Content(diagnostics));
        }
    };

    let mut log_by_month: BTreeMap<YearMonth, Log> = BTreeMap::new();
    for log in logs {
        if let Some(first) = log_by_month.get(&log.month()) {
            diagnostics.push(
                Diagnostic::error(
                    &*log.file,
                    log.lines.line("month"),
                    "month",
                    format!("a second log for {}", log.month()),
                )
                .with_hint(format!(
                    "{} already holds this month; merge the two files",
                    first.file
                )),
            );
            continue;
        }
        log_by_month.insert(log.month(), log);
    }
    let mut review_by_year: BTreeMap<i32, Review> = BTreeMap::new();
    for (file, lines, data) in reviews {
        let review = Review {
            file: file.into(),
            lines,
            data,
        };
        if let Some(first) = review_by_year.get(&review.data.year) {
            diagnostics.push(
                Diagnostic::error(
                    &*review.file,
                    review.lines.line("year"),
                    "year",
                    format!("a second review for {}", review.data.year),
                )
                .with_hint(format!(
                    "{} already holds this year; merge the two files",
                    first.file
                )),
            );
            continue;
        }
        review_by_year.insert(review.data.year, review);
    }

    let mut corpus = Corpus {
        root: root.to_path_buf(),
        site,
        org,
        rules,
        records,
        logs: log_by_month,
        reviews: review_by_year,
        briefings,
        assets,
        include_drafts,
        index: Index::default(),
    };
    resolve_covers(&mut corpus);
    corpus.index = crate::timing::phase("index", || {
        Index::build(&corpus.records, &corpus.org, include_drafts)
    });
    diagnostics.extend(crate::timing::phase("validate", || {
        validate::validate(&corpus, &config_lines)
    }));
    let root: Arc<Path> = Arc::from(root);
    for r in &mut corpus.records {
        r.lines.read_again_from(&root, &r.file);
    }
    sort_diagnostics(&mut diagnostics);
    Ok((corpus, diagnostics))
}

/// Reads the monthly logs in parallel.
fn load_logs(
    content: &Folders,
    files: &[String],
    known: &KnownPeople,
) -> Vec<Result<Log, Diagnostic>> {
    files
        .par_iter()
        .map(|rel| parse_log(&read_text_in(content, rel)?, rel, known))
        .collect()
}

/// The people of `org` by id, for the logs to share their ids.
fn known_people(org: Option<&OrgConfig>) -> KnownPeople<'_> {
    (org.iter().flat_map(|o| o.people.iter().enumerate()))
        .map(|(place, p)| (p.id.as_str(), (place, &p.id)))
        .collect()
}

/// Parses ledger files in parallel, each with its field lines.
fn load_ledgers<T: DeserializeOwned + Send>(
    root: &Path,
    files: &[String],
) -> Vec<Result<(String, FieldLines, T), Diagnostic>> {
    files
        .par_iter()
        .map(|rel| {
            let text = read_text(root, rel)?;
            let data = parse_yaml::<T>(&text, rel, 1)?;
            Ok((rel.clone(), FieldLines::scan(&text, 1), data))
        })
        .collect()
}

/// The values that parsed; the problems of the others go to `diagnostics`.
fn take_ok<T>(results: Vec<Result<T, Diagnostic>>, diagnostics: &mut Vec<Diagnostic>) -> Vec<T> {
    let mut out = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(v) => out.push(v),
            Err(d) => diagnostics.push(d),
        }
    }
    out
}

/// Reads the published briefings; one per month (a second file for the same month is
/// reported by validation through its mismatching name).
fn load_briefings(
    root: &Path,
    files: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<YearMonth, Briefing> {
    let mut out = BTreeMap::new();
    for rel in files {
        match read_text(root, rel).and_then(|text| parse_briefing(rel, &text)) {
            Ok(b) => insert_briefing(&mut out, b, diagnostics),
            Err(d) => diagnostics.push(d),
        }
    }
    out
}

fn insert_briefing(
    out: &mut BTreeMap<YearMonth, Briefing>,
    b: Briefing,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(first) = out.get(&b.month) {
        diagnostics.push(Diagnostic::error(
            &b.file,
            b.lines.line("month"),
            "month",
            format!("{} is already published in {}", b.month, first.file),
        ));
        return;
    }
    out.insert(b.month, b);
}

/// Line positions of the fields of org.yaml and rules.yaml, for diagnostics.
#[derive(Debug, Clone, Default)]
pub struct ConfigLines {
    pub org: FieldLines,
    pub rules: FieldLines,
}

/// The department a record belongs to: its own `department`, or for an essay, case or
/// personal plan without one, the department of its author or person.
pub fn department_of(record: &Record, org: &Org) -> Option<DeptId> {
    if let Some(d) = &record.department {
        return Some(d.clone());
    }
    let person = match &record.data {
        RecordData::Essay(e) => e.author.as_ref(),
        RecordData::Case(c) => c.person.as_ref(),
        RecordData::Plan(p) => p.person.as_ref(),
        RecordData::Minutes(_) => None,
    }?;
    org.person(person.as_str()).map(|p| p.department.clone())
}

/// Where a file referenced by a record (a case's cover) is: beside the record, under
/// `assets/`, or content-relative. `None` when it is nowhere.
pub fn resolve_asset(root: &Path, record_file: &str, reference: &str) -> Option<String> {
    let reference = reference.trim().trim_start_matches("./");
    if reference.is_empty() || reference.contains("..") {
        return None;
    }
    let dir = record_file.rsplit_once('/').map_or("", |(dir, _)| dir);
    let reference = reference.trim_start_matches('/');
    [
        format!("{dir}/{reference}"),
        format!("assets/{reference}"),
        reference.to_string(),
    ]
    .into_iter()
    .find(|candidate| root.join(candidate).is_file())
}

/// Replaces each case's cover reference by its content-relative path, when found
/// (validation reports those that are not).
fn resolve_covers(corpus: &mut Corpus) {
    let root = &corpus.root;
    // A file system lookup or three per case: on both cores.
    corpus.records.par_iter_mut().for_each(|record| {
        if let RecordData::Case(case) = &mut record.data
            && let Some(cover) = &case.cover
            && let Some(found) = resolve_asset(root, &record.file, cover)
        {
            case.cover = Some(found);
        }
    });
}

impl Index {
    /// The indexes of `records` (positions in the order given).
    pub fn build<'a>(
        records: impl IntoIterator<Item = &'a Record>,
        org: &Org,
        include_drafts: bool,
    ) -> Self {
        let records: Vec<&Record> = records.into_iter().collect();
        let shown = |r: &Record| !r.draft || include_drafts;
        let listed = || (records.iter().enumerate()).filter(|(_, r)| shown(r));
        // Three groups of indexes, each a pass over the records, built side by side (a
        // hundred thousand records with their attendees take a quarter of a second).
        let (mut index, ((by_department, by_person), by_tag)) = rayon::join(
            || {
                let mut index = Index::default();
                for (i, r) in records.iter().enumerate() {
                    index.by_file.insert(r.file.clone(), i);
                    if let Some(month) = r.essay().and_then(|e| e.featured).filter(|_| !r.draft) {
                        (index.featured_essays_by_month)
                            .entry(month)
                            .or_default()
                            .push(i);
                    }
                    if let Some(plan) = r.plan().filter(|_| !r.draft) {
                        for (item, entry) in plan.schedule.iter().enumerate() {
                            (index.plan_items_by_month)
                                .entry(YearMonth::of(entry.date))
                                .or_default()
                                .push((i, item));
                        }
                    }
                }
                for (i, r) in listed() {
                    index.visible.push(i);
                    index.by_kind.entry(r.kind).or_default().push(i);
                    if let Some(month) = r.month() {
                        index.by_month.entry(month).or_default().push(i);
                    }
                }
                index
            },
            || {
                rayon::join(
                    || {
                        // Gathered under borrowed ids in hash maps, then sorted once: a
                        // tree looked up (and an id cloned) per attendee was most of the
                        // index of a big site.
                        let mut by_department: AHashMap<DeptId, Vec<usize>> = AHashMap::new();
                        let mut by_person: AHashMap<&PersonId, Vec<usize>> = AHashMap::new();
                        for (i, r) in listed() {
                            if let Some(dept) = department_of(r, org) {
                                by_department.entry(dept).or_default().push(i);
                            }
                            for person in r.people() {
                                by_person.entry(person).or_default().push(i);
                            }
                        }
                        let by_person = (by_person.into_iter())
                            .map(|(person, list)| (person.clone(), list))
                            .collect();
                        (by_department.into_iter().collect(), by_person)
                    },
                    || {
                        // As the people's: borrowed and hashed, then sorted once.
                        let mut by_tag: AHashMap<&str, Vec<usize>> = AHashMap::new();
                        for (i, r) in listed() {
                            for tag in &r.tags {
                                let list = by_tag.entry(tag).or_default();
                                if list.last() != Some(&i) {
                                    list.push(i);
                                }
                            }
                        }
                        (by_tag.into_iter())
                            .map(|(tag, list)| (tag.to_string(), list))
                            .collect()
                    },
                )
            },
        );
        index.by_department = by_department;
        index.by_person = by_person;
        index.by_tag = by_tag;
        index
    }
}

impl Corpus {
    /// Records of the site in corpus order, drafts only when shown.
    pub fn visible(&self) -> impl Iterator<Item = &Record> {
        self.index.visible.iter().map(|&i| &self.records[i])
    }

    pub fn record_by_file(&self, file: &str) -> Option<&Record> {
        self.index.by_file.get(file).map(|&i| &self.records[i])
    }

    pub fn department_of(&self, record: &Record) -> Option<DeptId> {
        department_of(record, &self.org)
    }

    /// Years that have at least one record or log, ascending.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .index
            .by_month
            .keys()
            .chain(self.logs.keys())
            .map(|m| m.year)
            .collect();
        years.sort();
        years.dedup();
        years
    }
}

/// Builds a corpus from texts held in memory, as tests and tools do: `files` are
/// `(content-relative path, text)` pairs for records, logs and reviews; org.yaml and
/// rules.yaml are given as text, site.yaml takes its defaults. Returns every diagnostic
/// (parsing and validation) with the corpus.
pub fn from_texts(
    org_yaml: &str,
    rules_yaml: &str,
    files: &[(&str, &str)],
) -> (Corpus, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let org: OrgConfig = parse_yaml(org_yaml, "org.yaml", 1).unwrap_or_else(|d| {
        diagnostics.push(d);
        OrgConfig {
            departments: Vec::new(),
            people: Vec::new(),
        }
    });
    let rules: Rules = parse_yaml(rules_yaml, "rules.yaml", 1).unwrap_or_else(|d| {
        diagnostics.push(d);
        Rules {
            session_kinds: Vec::new(),
            collective_kinds: Vec::new(),
            requirements: Default::default(),
            evaluation: Default::default(),
        }
    });
    let site: SiteConfig = serde_yaml::from_str("title: test")
        .unwrap_or_else(|_| unreachable!("a title is all a site needs"));
    let mut records = Vec::new();
    let mut logs = BTreeMap::new();
    let mut reviews = BTreeMap::new();
    let mut briefings = BTreeMap::new();
    let known = known_people(Some(&org));
    for (file, text) in files {
        match classify(file) {
            Entry::Record(kind) => match parse_record(kind, file, text) {
                Ok(r) => records.push(r),
                Err(mut ds) => diagnostics.append(&mut ds),
            },
            Entry::Log => match parse_log(text, file, &known) {
                Ok(log) => {
                    logs.insert(log.month(), log);
                }
                Err(d) => diagnostics.push(d),
            },
            Entry::Review => match parse_yaml::<ReviewFile>(text, file, 1) {
                Ok(data) => {
                    reviews.insert(
                        data.year,
                        Review {
                            file: (*file).into(),
                            lines: FieldLines::scan(text, 1),
                            data,
                        },
                    );
                }
                Err(d) => diagnostics.push(d),
            },
            Entry::Briefing => match parse_briefing(file, text) {
                Ok(b) => insert_briefing(&mut briefings, b, &mut diagnostics),
                Err(d) => diagnostics.push(d),
            },
            Entry::Asset | Entry::Ignored => {}
        }
    }
    records.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));
    let org = Org::new(org);
    let index = Index::build(&records, &org, false);
    let corpus = Corpus {
        root: PathBuf::new(),
        site,
        org,
        rules,
        records,
        logs,
        reviews,
        briefings,
        assets: Vec::new(),
        include_drafts: false,
        index,
    };
    let config_lines = ConfigLines {
        org: FieldLines::scan(org_yaml, 1),
        rules: FieldLines::scan(rules_yaml, 1),
    };
    diagnostics.extend(validate::validate(&corpus, &config_lines));
    sort_diagnostics(&mut diagnostics);
    (corpus, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_puts_each_item_where_its_order_says() {
        let orders: [&[usize]; 6] = [
            &[],
            &[0],
            &[1, 0],
            &[2, 0, 1],
            &[0, 2, 1, 3],
            &[4, 3, 0, 1, 2, 6, 5],
        ];
        for order in orders {
            let mut items: Vec<char> = ('a'..).take(order.len()).collect();
            let expected: Vec<char> = order.iter().map(|&i| items[i]).collect();
            permute(&mut items, order.to_vec());
            assert_eq!(items, expected, "{order:?}");
        }
    }

    #[test]
    fn the_walk_lists_every_file_sorted_and_skips_hidden_and_underscored_names() {
        let tmp = tempfile::tempdir().expect("tmp");
        for file in [
            "site.yaml",
            "minutes/2026/03-06-a.md",
            "minutes/2026/02/b.md",
            "minutes/2025/c.md",
            "minutes/_drafts/d.md",
            "minutes/_e.md",
            ".git/config",
            ".jianbao-cache/thumbs/x.jpg",
            "assets/图片.png",
        ] {
            let path = tmp.path().join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, "x").expect("write");
        }
        std::fs::create_dir_all(tmp.path().join("empty/folder")).expect("mkdir");
        assert_eq!(
            walk(tmp.path()),
            [
                "assets/图片.png",
                "minutes/2025/c.md",
                "minutes/2026/02/b.md",
                "minutes/2026/03-06-a.md",
                "site.yaml",
            ]
        );
    }

    const ORG: &str = "departments:\n  - {id: mishu, name: 秘书科, type: centre}\npeople:\n  - {id: zhang-wei, name: 张伟, department: mishu, role: leader, party: true}\n  - {id: li-na, name: 李娜, department: mishu}\n";
    const RULES: &str = "session_kinds: [集中学习, 读书活动]\ncollective_kinds: [集中学习]\n";

    #[test]
    fn in_memory_corpus_is_indexed_and_validated() {
        let minutes = "---\ntitle: 学习党章\ndate: 2026-03-06\ndepartment: mishu\nkind: 集中学习\nhours: 2\nattendees: [zhang-wei, li-na]\nabsent:\n  - {person: li-na, reason: 病假}\n  - {person: wang-wu, reason: 出差}\n---\n正文\n";
        let essay = "---\ntitle: 心得\ndate: 2026-03-20\nauthor: li-na\nkind: reflection\ntags: [党章]\n---\n正文\n";
        let log = "month: 2026-04\nself_study:\n  zhang-wei: 22\n  nobody: 3\n";
        let (corpus, ds) = from_texts(
            ORG,
            RULES,
            &[
                ("minutes/2026/a.md", minutes),
                ("essays/b.md", essay),
                ("logs/2026-03.yaml", log),
            ],
        );
        assert_eq!(corpus.records.len(), 2);
        assert_eq!(&*corpus.records[0].file, "essays/b.md", "newest first");
        let month = YearMonth {
            year: 2026,
            month: 3,
        };
        assert_eq!(corpus.index.by_month[&month].len(), 2);
        assert_eq!(
            corpus.index.by_department[&DeptId::from("mishu")].len(),
            2,
            "an essay counts for its author's department"
        );
        assert_eq!(corpus.index.by_tag["党章"], vec![0]);
        let found: Vec<(&str, usize, &str)> = ds
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("logs/2026-03.yaml", 1, "month"),
                ("logs/2026-03.yaml", 4, "self_study.nobody"),
                ("minutes/2026/a.md", 9, "absent[0].person"),
                ("minutes/2026/a.md", 10, "absent[1].person"),
            ]
        );
    }
}
