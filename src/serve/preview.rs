//! The preview's model: the corpus and the rendered site of the last good build, and how
//! one batch of changed files brings them up to date. No HTTP and no watching here:
//! `serve::run` feeds batches in and publishes what comes out.
//!
//! A record edit re-reads only that file, rebuilds the indexes, validates the whole
//! corpus again (cross-references are cheap to check) and re-renders only the pages whose
//! input changed ([`LiveSite::update`]). Ledgers, configuration and content assets reload
//! everything; a template or theme change renders every page again without re-reading the
//! content. While anything is wrong, nothing is published: the last good site stays
//! served and the changes wait, to be rendered together once everything is right again.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use crate::body_cache::BodyCache;
use crate::content::corpus::{ConfigLines, Index, read_text, resolve_asset};
use crate::content::lines::FieldLines;
use crate::content::record::parse_record;
use crate::content::{self, Corpus, Kind, Record, RecordData, validate};
use crate::error::{Diagnostic, Error, Result, sort_diagnostics};
use crate::output::{OutputFile, Source};
use crate::render::incremental::{LiveSite, Prepared, Update};

use super::watch::{ChangeKind, classify};

/// More changed records than this in one batch (a branch switch) reload everything: a
/// full parallel load is then faster than file-by-file work.
const MANY_RECORDS: usize = 1000;

/// What changed in one batch of file-system events.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Record files (content-relative, `/`-separated) edited, added or deleted.
    pub records: BTreeSet<String>,
    /// Other files in the content directory (images, attachments, folders), content-
    /// relative; they may be temporary files that are already gone.
    pub assets: BTreeSet<String>,
    /// Templates or the theme's static files.
    pub theme: bool,
    /// Configuration, ledgers, briefings or assets: reload the whole content.
    pub everything: bool,
}

impl Changes {
    pub fn everything() -> Self {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.assets.is_empty() && !self.theme && !self.everything
    }

    /// Sorts changed paths (absolute, under `content` or `theme`) by what they change.
    pub fn from_paths<'a>(
        content: &Path,
        theme: Option<&Path>,
        paths: impl IntoIterator<Item = &'a PathBuf>,
    ) -> Self {
        let mut changes = Changes::default();
        for path in paths {
            let in_theme = theme.is_some_and(|t| path.starts_with(t));
            match classify(content, theme, path) {
                None => {}
                Some(ChangeKind::Template) => changes.theme = true,
                Some(ChangeKind::Asset) if in_theme => changes.theme = true,
                Some(ChangeKind::Record) => match relative(content, path) {
                    Some(rel) if !rel.starts_with("briefings/") => {
                        changes.records.insert(rel);
                    }
                    _ => changes.everything = true,
                },
                Some(ChangeKind::Asset) => match relative(content, path) {
                    Some(rel) => {
                        changes.assets.insert(rel);
                    }
                    None => changes.everything = true,
                },
                Some(ChangeKind::Ledger | ChangeKind::Config) => changes.everything = true,
            }
        }
        if changes.records.len() > MANY_RECORDS {
            changes.everything = true;
        }
        if changes.everything {
            changes.records.clear();
            changes.assets.clear();
        }
        changes
    }
}

/// `path` relative to `root`, `/`-separated.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// What a rebuild did, for the terminal.
#[derive(Debug, Clone)]
pub struct Report {
    pub what: What,
    pub elapsed: Duration,
    /// Errors that kept the last good site served (empty when the rebuild succeeded).
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Pages rendered by this rebuild.
    pub rendered: usize,
    /// Pages of the site.
    pub total: usize,
    /// Pages that left the site.
    pub removed: usize,
    /// Whether every page was rendered (after a reload or a template change).
    pub whole: bool,
}

impl Report {
    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// What a rebuild was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// Load the whole content again (start, configuration, ledgers, assets).
    Everything,
    /// Render every page again with changed templates.
    Theme,
    /// Records edited, added or deleted.
    Records(Vec<String>),
    /// Assets replaced in place: served again as they are now.
    Assets(Vec<String>),
}

/// What to serve after a rebuild.
pub enum Publish {
    /// Every file of the site, replacing the previous ones.
    All(Files),
    /// Files to replace or add, and files to remove.
    Some {
        files: Vec<(String, Bytes)>,
        removed: Vec<String>,
    },
    /// Keep serving the last good site, with these errors over every page.
    Errors(Vec<Diagnostic>),
}

/// The loaded content, kept between rebuilds.
struct Loaded {
    corpus: Corpus,
    config_lines: ConfigLines,
    /// Problems a record edit cannot change: ledgers, briefings, configuration.
    fixed: Vec<Diagnostic>,
    /// Record files that cannot be read, with why.
    broken: BTreeMap<String, Vec<Diagnostic>>,
    /// Cross-reference validation of the corpus as it is.
    validation: Vec<Diagnostic>,
}

impl Loaded {
    /// Every problem of the content, with `validation` in place of the last one when
    /// given.
    fn diagnostics(&self, validation: Option<&[Diagnostic]>) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .fixed
            .iter()
            .chain(self.broken.values().flatten())
            .chain(validation.unwrap_or(&self.validation))
            .cloned()
            .collect();
        sort_diagnostics(&mut all);
        all
    }
}

/// The preview: the loaded content and the live site, shared by the thread that shows an
/// edited record's page at once ([`Preview::quick`]) and the one that rebuilds
/// ([`Preview::rebuild`]). A rebuild reads files and works out its update while holding
/// the state only for reading, and takes it for writing just to put results in place: an
/// edit made while a long rebuild runs (seconds on a big site) is still shown at once.
pub struct Preview {
    content: PathBuf,
    drafts: bool,
    /// Held by the rebuild under way: one at a time.
    rebuilding: Mutex<()>,
    state: RwLock<State>,
}

struct State {
    loaded: Option<Loaded>,
    live: Option<LiveSite>,
    /// Record files changed since the last render.
    pending: BTreeSet<String>,
    /// The next render must render every page (the content was reloaded, or templates
    /// changed).
    render_all: bool,
    /// Why the content could not be loaded at all (configuration unreadable), if so.
    load_failure: Vec<Diagnostic>,
    /// The last rebuild ended in errors: the overlay is up and edits wait for the fix.
    failed: bool,
}

/// The pages a rebuild renders, worked out before they are put in place.
enum Work {
    /// Only what the pending records touch.
    Update(Result<Box<Prepared>>),
    /// Every page: a new live site and all its files.
    Whole(Result<Box<WholeSite>>),
}

/// Files to serve by output path.
type Files = HashMap<String, Bytes>;

/// A site rendered anew, with every file.
struct WholeSite {
    live: LiveSite,
    files: Files,
}

impl Preview {
    /// Loads and renders the site in `content`. Fails only when the content directory
    /// cannot be read at all; content and template errors are in the report.
    pub fn start(content: &Path, drafts: bool) -> Result<(Preview, Report, Publish)> {
        if !content.is_dir() {
            return Err(Error::Usage(format!(
                "content directory `{}` not found (use -c DIR, or `jianbao init DIR` to start a site)",
                content.display()
            )));
        }
        let preview = Preview {
            content: content.to_path_buf(),
            drafts,
            rebuilding: Mutex::new(()),
            state: RwLock::new(State {
                loaded: None,
                live: None,
                pending: BTreeSet::new(),
                render_all: true,
                load_failure: Vec::new(),
                failed: false,
            }),
        };
        let (report, publish) = preview.run(&Changes::everything(), true, Vec::new());
        Ok((preview, report, publish))
    }

    /// The theme folder the site uses, when it uses one.
    pub fn theme_dir(&self) -> Option<PathBuf> {
        read(&self.state).live.as_ref()?.site.theme.dir.clone()
    }

    /// The pages of the edited records of `changes`, rendered at once against the site
    /// as it is, for the editor to see before the debounced rebuild brings the rest up
    /// to date. Only for records that parse, pass their own checks and keep their URL,
    /// and only while the site has no errors (the overlay must not vanish); `None` when
    /// there is nothing to show early.
    pub fn quick(&self, changes: &Changes) -> Option<Publish> {
        let state = read(&self.state);
        let (Some(loaded), Some(live)) = (&state.loaded, &state.live) else {
            return None;
        };
        if changes.everything
            || changes.theme
            || changes.records.is_empty()
            || state.render_all
            || state.failed
            || !loaded.broken.is_empty()
            || (loaded.fixed.iter().chain(&loaded.validation)).any(Diagnostic::is_error)
        {
            return None;
        }
        let corpus = &loaded.corpus;
        let mut files = Vec::new();
        for file in &changes.records {
            let kind = record_kind(file)?;
            let text = read_text(&corpus.root, file).ok()?;
            let mut record = parse_record(kind, file, &text).ok()?;
            if let RecordData::Case(case) = &mut record.data
                && let Some(cover) = &case.cover
            {
                case.cover = Some(resolve_asset(&corpus.root, file, cover)?);
            }
            let problems =
                crate::timing::phase("quick: check", || validate::validate_one(corpus, &record));
            if problems.iter().any(Diagnostic::is_error) {
                return None;
            }
            let page = crate::timing::phase("quick: render", || live.quick_page(corpus, &record))
                .ok()??;
            files.push((page.path.clone(), bytes_of(page).ok()?));
        }
        Some(Publish::Some {
            files,
            removed: Vec::new(),
        })
    }

    /// Brings the site up to date after `changes`; `None` when they change nothing (a
    /// temporary file that came and went). One rebuild runs at a time; [`Preview::quick`]
    /// may run alongside.
    pub fn rebuild(&self, changes: &Changes) -> Option<(Report, Publish)> {
        let _one_at_a_time = self
            .rebuilding
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (everything, assets) = match &read(&self.state).loaded {
            Some(loaded) if !changes.everything => sort_assets(loaded, &changes.assets),
            _ => (true, Vec::new()),
        };
        if !everything && changes.records.is_empty() && !changes.theme && assets.is_empty() {
            return None;
        }
        Some(self.run(changes, everything, assets))
    }

    fn run(&self, changes: &Changes, everything: bool, assets: Vec<String>) -> (Report, Publish) {
        let start = Instant::now();
        let what = if everything {
            What::Everything
        } else if !changes.records.is_empty() {
            What::Records(changes.records.iter().cloned().collect())
        } else if changes.theme {
            What::Theme
        } else {
            What::Assets(assets.clone())
        };
        let mut report = Report {
            what: what.clone(),
            elapsed: Duration::ZERO,
            errors: Vec::new(),
            warnings: Vec::new(),
            rendered: 0,
            total: 0,
            removed: 0,
            whole: false,
        };

        // Read what changed; the state is taken only to put it in.
        match &what {
            What::Everything => {
                let loaded = crate::timing::phase("load", || self.load());
                let mut state = write(&self.state);
                state.render_all = true;
                state.pending.clear();
                match loaded {
                    Ok(loaded) => {
                        state.loaded = Some(loaded);
                        state.load_failure.clear();
                    }
                    Err(diagnostics) => {
                        state.loaded = None;
                        state.load_failure = diagnostics;
                    }
                }
            }
            What::Records(_) => {
                let reread = crate::timing::phase("reread", || {
                    read_records(&self.content, &changes.records)
                });
                // Worked out holding the state for reading; nothing else writes it until
                // this rebuild does below, so the positions stay right.
                let order = crate::timing::phase("index", || {
                    (read(&self.state).loaded.as_ref())
                        .map(|loaded| order_records(&loaded.corpus, &reread))
                });
                let mut state = write(&self.state);
                state.pending.extend(changes.records.iter().cloned());
                if let (Some(loaded), Some((order, index))) = (&mut state.loaded, order) {
                    crate::timing::phase("install", || {
                        install_records(loaded, reread, order, index)
                    });
                }
            }
            What::Theme | What::Assets(_) => {}
        }
        if changes.theme {
            write(&self.state).render_all = true;
        }

        // Work out the update while the quick page may read the state too.
        let (validation, diagnostics, work) = {
            let state = read(&self.state);
            match &state.loaded {
                None => (None, state.load_failure.clone(), None),
                Some(loaded) => {
                    let records_changed = matches!(what, What::Records(_));
                    let ready =
                        !loaded.fixed.iter().any(Diagnostic::is_error) && loaded.broken.is_empty();
                    let incremental = ready && !state.render_all;
                    let corpus = &loaded.corpus;
                    let (validation, prepared) =
                        crate::timing::phase("validate and prepare", || {
                            rayon::join(
                                || {
                                    records_changed.then(|| {
                                        crate::timing::phase("validate", || {
                                            validate::validate(corpus, &loaded.config_lines)
                                        })
                                    })
                                },
                                || match &state.live {
                                    Some(live) if incremental => {
                                        Some(live.prepare(corpus, &state.pending))
                                    }
                                    _ => None,
                                },
                            )
                        });
                    let diagnostics = loaded.diagnostics(validation.as_deref());
                    let work = if diagnostics.iter().any(Diagnostic::is_error) {
                        None
                    } else if let Some(prepared) = prepared {
                        Some(Work::Update(prepared.map(Box::new)))
                    } else {
                        Some(Work::Whole(crate::timing::phase("render all", || {
                            render_whole(corpus)
                        })))
                    };
                    (validation, diagnostics, work)
                }
            }
        };
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diagnostics.into_iter().partition(Diagnostic::is_error);
        report.warnings = warnings;

        // Put it in place.
        let outcome = crate::timing::phase("commit", || {
            let mut state = write(&self.state);
            if let (Some(validation), Some(loaded)) = (validation, &mut state.loaded) {
                loaded.validation = validation;
            }
            let outcome = match work {
                None => Err(Error::Content(errors)),
                Some(Work::Update(prepared)) => match (prepared, &mut state.live) {
                    (Ok(prepared), Some(live)) => Ok(Rendered::Update(live.commit(*prepared))),
                    (Err(e), _) => Err(e),
                    (Ok(_), None) => Err(Error::Usage("the site was not rendered".into())),
                },
                Some(Work::Whole(whole)) => whole.map(|whole| {
                    let WholeSite { live, files } = *whole;
                    let total = live.site.pages.len();
                    state.live = Some(live);
                    Rendered::Whole { files, total }
                }),
            };
            state.failed = outcome.is_err();
            if !state.failed {
                state.pending.clear();
                state.render_all = false;
            }
            outcome
        });
        let publish = match outcome.and_then(|rendered| rendered.publish(&self.content, &assets)) {
            Ok((publish, counts)) => {
                (report.rendered, report.total, report.removed, report.whole) = counts;
                publish
            }
            Err(Error::Content(errors)) => {
                report.errors = errors;
                Publish::Errors(report.errors.clone())
            }
            Err(e) => {
                report.errors = vec![diagnostic_of(e)];
                Publish::Errors(report.errors.clone())
            }
        };
        report.elapsed = start.elapsed();
        (report, publish)
    }

    /// Loads the whole content again, or says why it cannot be loaded at all.
    fn load(&self) -> std::result::Result<Loaded, Vec<Diagnostic>> {
        match content::load(&self.content, self.drafts) {
            Ok((corpus, diagnostics)) => Ok(split_load(corpus, diagnostics)),
            Err(Error::Content(diagnostics)) => Err(diagnostics),
            Err(e) => Err(vec![diagnostic_of(e)]),
        }
    }
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// Sorts changed content files that are not records: an asset replaced in place is
/// served again as it is; a new or deleted one (or folder) may change covers and links,
/// so the content is loaded again (`true`); a file that came and went (an editor's or
/// sed's temporary file) changes nothing.
fn sort_assets(loaded: &Loaded, changed: &BTreeSet<String>) -> (bool, Vec<String>) {
    let corpus = &loaded.corpus;
    let mut replaced = Vec::new();
    for rel in changed {
        let path = corpus.root.join(rel);
        let known = corpus.assets.iter().any(|a| a == rel);
        if known && path.is_file() {
            replaced.push(rel.clone());
            continue;
        }
        let folder = format!("{rel}/");
        let holds_known = corpus
            .assets
            .iter()
            .map(String::as_str)
            .chain(corpus.records.iter().map(|r| &r.file[..]))
            .chain(loaded.broken.keys().map(String::as_str))
            .any(|f| f.starts_with(&folder));
        if known || holds_known || path.exists() {
            return (true, Vec::new());
        }
    }
    (false, replaced)
}

/// A problem that is not a content diagnostic (a template, a file that went away), as
/// one for the terminal and the overlay.
fn diagnostic_of(e: Error) -> Diagnostic {
    match e {
        Error::Content(mut ds) => {
            sort_diagnostics(&mut ds);
            ds.into_iter()
                .next()
                .unwrap_or_else(|| Diagnostic::error("", 0, "", "the content has errors"))
        }
        Error::Template(message) => {
            Diagnostic::error("templates", 0, "", message.trim_start_matches("error: "))
        }
        other => Diagnostic::error("", 0, "", other.to_string()),
    }
}

/// Sorts the diagnostics of a full load into those a record edit can change (record
/// files that cannot be read, cross-reference validation) and the others.
fn split_load(corpus: Corpus, diagnostics: Vec<Diagnostic>) -> Loaded {
    let config_lines = config_lines(&corpus.root);
    let validation = validate::validate(&corpus, &config_lines);
    let mut from_validation: HashMap<String, usize> = HashMap::new();
    for d in &validation {
        *from_validation.entry(key(d)).or_default() += 1;
    }
    let mut fixed = Vec::new();
    let mut broken: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(n) = from_validation.get_mut(&key(&d))
            && *n > 0
        {
            *n -= 1;
            continue;
        }
        if record_kind(&d.file).is_some() && corpus.record_by_file(&d.file).is_none() {
            broken.entry(d.file.clone()).or_default().push(d);
        } else {
            fixed.push(d);
        }
    }
    Loaded {
        corpus,
        config_lines,
        fixed,
        broken,
        validation,
    }
}

fn key(d: &Diagnostic) -> String {
    format!("{d}")
}

/// Field lines of org.yaml and rules.yaml, for validation diagnostics.
fn config_lines(root: &Path) -> ConfigLines {
    let scan = |name: &str| {
        read_text(root, name)
            .map(|text| FieldLines::scan(&text, 1))
            .unwrap_or_default()
    };
    ConfigLines {
        org: scan("org.yaml"),
        rules: scan("rules.yaml"),
    }
}

/// The kind of record a content-relative file holds, by its folder.
fn record_kind(file: &str) -> Option<Kind> {
    let (top, _) = file.split_once('/')?;
    if !file.ends_with(".md") {
        return None;
    }
    Kind::from_folder(top)
}

/// A record file read again: the record, or why it cannot be read; `None` when the file
/// is gone.
type Reread = (String, Option<std::result::Result<Record, Vec<Diagnostic>>>);

/// Reads the record files of `files` (content-relative) again.
fn read_records(root: &Path, files: &BTreeSet<String>) -> Vec<Reread> {
    let read = |file: &String| {
        let kind = record_kind(file)?;
        if !root.join(file).is_file() {
            return None;
        }
        let mut record = read_text(root, file)
            .map_err(|d| vec![d])
            .and_then(|text| parse_record(kind, file, &text));
        if let Ok(record) = &mut record
            && let RecordData::Case(case) = &mut record.data
            && let Some(cover) = &case.cover
            && let Some(found) = resolve_asset(root, file, cover)
        {
            case.cover = Some(found);
        }
        Some(record)
    };
    files
        .iter()
        .map(|file| (file.clone(), read(file)))
        .collect()
}

/// Where each record of the corpus comes from once records read again are put in: a
/// record kept from the corpus, or one read again (its position in the reread list).
enum Slot {
    Kept(usize),
    Read(usize),
}

/// The corpus order (newest first, ties by file: the order of `content::load`) and the
/// indexes of the records once `read` is put in, worked out without changing the corpus:
/// `serve` does it while the quick page may still read the corpus, and only
/// [`install_records`] takes it for writing.
fn order_records(corpus: &Corpus, read: &[Reread]) -> (Vec<Slot>, Index) {
    let reread: BTreeSet<&str> = read.iter().map(|(file, _)| file.as_str()).collect();
    let kept = (corpus.records.iter().enumerate())
        .filter(|(_, r)| !reread.contains(&*r.file))
        .map(|(i, r)| (Slot::Kept(i), r));
    let fresh = read
        .iter()
        .enumerate()
        .filter_map(|(k, (_, record))| match record {
            Some(Ok(record)) => Some((Slot::Read(k), record)),
            _ => None,
        });
    let mut order: Vec<(Slot, &Record)> = kept.chain(fresh).collect();
    order.sort_by(|(_, a), (_, b)| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));
    let index = Index::build(
        order.iter().map(|(_, r)| *r),
        &corpus.org,
        corpus.include_drafts,
    );
    (order.into_iter().map(|(slot, _)| slot).collect(), index)
}

/// Puts records read again into the corpus in the order [`order_records`] worked out
/// (a file that is gone leaves it), with their indexes. Validation is the caller's.
fn install_records(loaded: &mut Loaded, read: Vec<Reread>, order: Vec<Slot>, index: Index) {
    let corpus = &mut loaded.corpus;
    let mut kept: Vec<Option<Record>> = std::mem::take(&mut corpus.records)
        .into_iter()
        .map(Some)
        .collect();
    let mut fresh: Vec<Option<Record>> = Vec::with_capacity(read.len());
    for (file, record) in read {
        loaded.broken.remove(&file);
        fresh.push(match record {
            Some(Ok(record)) => Some(record),
            Some(Err(diagnostics)) => {
                loaded.broken.insert(file, diagnostics);
                None
            }
            None => None,
        });
    }
    // Every slot names a record that is there, once.
    corpus.records = (order.into_iter())
        .filter_map(|slot| match slot {
            Slot::Kept(i) => kept.get_mut(i)?.take(),
            Slot::Read(k) => fresh.get_mut(k)?.take(),
        })
        .collect();
    corpus.index = index;
}

/// Renders every page of a new live site, its files ready to serve, with the Markdown
/// bodies a build or an earlier `serve` left in the content's cache (and leaves them
/// there for the next).
fn render_whole(corpus: &Corpus) -> Result<Box<WholeSite>> {
    let bodies = BodyCache::open(&corpus.root.join(crate::CACHE_DIR));
    let (live, rendered) = LiveSite::taking(corpus, Some(&bodies))?;
    // Without the cache the next start renders every body again: nothing is lost.
    let _ = bodies.save();
    let mut files = HashMap::with_capacity(rendered.len());
    for f in rendered {
        files.insert(f.path.clone(), bytes_of(f)?);
    }
    Ok(Box::new(WholeSite { live, files }))
}

/// What a render put in place, before it is published.
enum Rendered {
    Update(Update),
    Whole { files: Files, total: usize },
}

/// Pages rendered, pages of the site, pages removed, and whether all were rendered.
type Counts = (usize, usize, usize, bool);

impl Rendered {
    /// What to serve, with the content assets of `assets` (replaced in place) read again.
    fn publish(self, root: &Path, assets: &[String]) -> Result<(Publish, Counts)> {
        Ok(match self {
            Rendered::Update(update) => {
                let counts = (
                    update.rendered.len(),
                    update.total,
                    update.removed.len(),
                    false,
                );
                let mut files = Vec::with_capacity(update.files.len() + assets.len());
                for f in update.files {
                    files.push((f.path.clone(), bytes_of(f)?));
                }
                for rel in assets {
                    let path = root.join(rel);
                    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                    files.push((rel.clone(), Bytes::from(bytes)));
                }
                let removed = update.removed;
                (Publish::Some { files, removed }, counts)
            }
            Rendered::Whole { files, total } => (Publish::All(files), (total, total, 0, true)),
        })
    }
}

fn bytes_of(file: OutputFile) -> Result<Bytes> {
    Ok(match file.source {
        Source::Bytes(bytes) => Bytes::from(bytes),
        Source::Static(bytes) => Bytes::from_static(bytes),
        Source::File(path) => Bytes::from(std::fs::read(&path).map_err(|e| Error::io(&path, e))?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A private copy of the fixture site.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("tmp");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
        let content = tmp.path().join("content");
        for entry in walkdir::WalkDir::new(&fixture) {
            let entry = entry.expect("walk");
            let target = content.join(entry.path().strip_prefix(&fixture).expect("prefix"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
        (tmp, content)
    }

    fn records(files: &[&str]) -> Changes {
        Changes {
            records: files.iter().map(|f| f.to_string()).collect(),
            ..Changes::default()
        }
    }

    fn edit(content: &Path, rel: &str, from: &str, to: &str) {
        let path = content.join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel}: {from}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    }

    fn page(publish: &Publish, path: &str) -> Option<String> {
        let bytes = match publish {
            Publish::All(files) => files.get(path).cloned(),
            Publish::Some { files, .. } => files
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, b)| b.clone()),
            Publish::Errors(_) => None,
        }?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    const RECORD: &str = "minutes/2026/03-06-dangzhang.md";
    const PAGE: &str = "minutes/2026/03-06-dangzhang/index.html";

    /// serve starts from the bodies a build left and leaves its own for the next start;
    /// what it serves is what it renders without them.
    #[test]
    fn a_start_takes_the_bodies_the_last_build_rendered() {
        let (_tmp, content) = site();
        let (corpus, _) = content::load(&content, false).expect("load");
        let cache = content.join(crate::CACHE_DIR).join(crate::body_cache::FILE);
        let first = render_whole(&corpus).expect("first start");
        assert!(cache.is_file(), "the bodies are kept");
        let kept = std::fs::read(&cache).expect("cache");
        let second = render_whole(&corpus).expect("second start");
        assert_eq!(
            std::fs::read(&cache).expect("cache"),
            kept,
            "nothing rendered anew"
        );
        let (_, rendered) = LiveSite::new(&corpus).expect("without the cache");
        assert_eq!(first.files.len(), rendered.len());
        for file in rendered {
            let path = file.path.clone();
            let bytes = bytes_of(file).expect("bytes");
            assert_eq!(second.files.get(&path), Some(&bytes), "{path}");
        }
    }

    #[test]
    fn paths_are_sorted_by_what_they_change() {
        let content = Path::new("/s/content");
        let theme = Path::new("/s/themes/default");
        let paths: Vec<PathBuf> = [
            "/s/content/minutes/2026/a.md",
            "/s/content/minutes/2026/.a.md.swp",
            "/s/content/minutes/2026/sedAb12Cd",
            "/s/themes/default/static/style.css",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let changes = Changes::from_paths(content, Some(theme), &paths);
        assert_eq!(
            changes.records,
            BTreeSet::from(["minutes/2026/a.md".to_string()])
        );
        assert_eq!(
            changes.assets,
            BTreeSet::from(["minutes/2026/sedAb12Cd".to_string()])
        );
        assert!(changes.theme && !changes.everything);
        for path in [
            "/s/content/logs/2026-03.yaml",
            "/s/content/org.yaml",
            "/s/content/briefings/2026-03.md",
        ] {
            let changes = Changes::from_paths(content, Some(theme), &[PathBuf::from(path)]);
            assert!(changes.everything, "{path}");
            assert!(changes.records.is_empty());
        }
        let many: Vec<PathBuf> = (0..=MANY_RECORDS)
            .map(|i| PathBuf::from(format!("/s/content/essays/{i}.md")))
            .collect();
        assert!(Changes::from_paths(content, None, &many).everything);
    }

    #[test]
    fn a_record_edit_rerenders_only_what_shows_it() {
        let (_tmp, content) = site();
        let (preview, report, publish) = Preview::start(&content, false).expect("start");
        assert!(!report.failed(), "{:?}", report.errors);
        assert!(report.whole && matches!(publish, Publish::All(_)));
        let total = report.total;

        edit(
            &content,
            RECORD,
            "title: 集中学习新修订的党章",
            "title: 新标题",
        );
        let (report, publish) = preview.rebuild(&records(&[RECORD])).expect("rebuild");
        assert!(!report.failed(), "{:?}", report.errors);
        assert_eq!(report.what, What::Records(vec![RECORD.to_string()]));
        assert!(!report.whole && report.rendered < total);
        assert!(page(&publish, PAGE).expect("page").contains("新标题"));
        assert!(
            page(&publish, "minutes/index.html")
                .expect("list")
                .contains("新标题")
        );
        assert!(page(&publish, "essays/lina-xinde/index.html").is_none());
    }

    #[test]
    fn an_edited_record_page_is_shown_at_once_unless_the_edit_moves_or_breaks_it() {
        let (_tmp, content) = site();
        let (preview, _, _) = Preview::start(&content, false).expect("start");
        edit(
            &content,
            RECORD,
            "title: 集中学习新修订的党章",
            "title: 新标题",
        );
        let quick = preview.quick(&records(&[RECORD])).expect("shown at once");
        let Publish::Some { files, removed } = &quick else {
            panic!("only the record's page");
        };
        assert_eq!(files.len(), 1);
        assert!(removed.is_empty());
        assert!(page(&quick, PAGE).expect("page").contains("新标题"));
        // The full rebuild that follows renders the same page.
        let (_, publish) = preview.rebuild(&records(&[RECORD])).expect("rebuild");
        assert_eq!(page(&publish, PAGE), page(&quick, PAGE));

        // An unknown person waits for the rebuild (and its overlay).
        edit(
            &content,
            RECORD,
            "[zhang-wei, li-na]",
            "[zhang-wei, nobody-here]",
        );
        assert!(preview.quick(&records(&[RECORD])).is_none());
        edit(
            &content,
            RECORD,
            "[zhang-wei, nobody-here]",
            "[zhang-wei, li-na]",
        );
        assert!(preview.quick(&records(&[RECORD])).is_some());
        // A new slug moves the record to another URL: lists must follow, no shortcut.
        edit(
            &content,
            RECORD,
            "title: 新标题",
            "title: 新标题\nslug: xin-biaoti",
        );
        assert!(preview.quick(&records(&[RECORD])).is_none());
    }

    #[test]
    fn a_template_edit_renders_every_page_without_reading_the_content() {
        let (_tmp, content) = site();
        let (preview, report, _) = Preview::start(&content, false).expect("start");
        let total = report.total;
        std::fs::create_dir_all(content.join("templates")).expect("mkdir");
        std::fs::write(
            content.join("templates/404.html"),
            "{% extends \"base.html\" %}{% block content %}找不到了{% endblock %}",
        )
        .expect("write");
        // A record edited at the same time is not read: only templates were reported.
        edit(
            &content,
            RECORD,
            "title: 集中学习新修订的党章",
            "title: 未上报的修改",
        );
        let changes = Changes {
            theme: true,
            ..Changes::default()
        };
        let (report, publish) = preview.rebuild(&changes).expect("rebuild");
        assert_eq!(report.what, What::Theme);
        assert!(report.whole && report.total == total, "{report:?}");
        assert!(
            page(&publish, "404.html")
                .expect("404")
                .contains("找不到了")
        );
        assert!(!page(&publish, PAGE).expect("page").contains("未上报的修改"));
    }

    #[test]
    fn errors_keep_the_last_site_and_edits_wait_for_the_fix() {
        let (_tmp, content) = site();
        let (preview, _, _) = Preview::start(&content, false).expect("start");
        edit(&content, RECORD, "date: 2026-03-06", "date: 2026-13-06");
        let (report, publish) = preview.rebuild(&records(&[RECORD])).expect("rebuild");
        assert!(report.failed());
        assert!(matches!(&publish, Publish::Errors(ds) if ds[0].file == RECORD));

        // Another record edited while the first is broken is rendered with the fix.
        let essay = "essays/lina-xinde.md";
        let text = std::fs::read_to_string(content.join(essay)).expect("read");
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .expect("title")
            .to_string();
        edit(&content, essay, &title, "等待发布的心得");
        let (report, _) = preview.rebuild(&records(&[essay])).expect("rebuild");
        assert!(report.failed(), "still broken");

        edit(&content, RECORD, "date: 2026-13-06", "date: 2026-03-06");
        let (report, publish) = preview.rebuild(&records(&[RECORD])).expect("rebuild");
        assert!(!report.failed(), "{:?}", report.errors);
        let essay_page = page(&publish, "essays/lina-xinde/index.html").expect("essay page");
        assert!(essay_page.contains("等待发布的心得"));
        assert!(page(&publish, PAGE).is_some());
    }

    #[test]
    fn records_read_again_take_the_place_a_full_load_gives_them() {
        let (_tmp, content) = site();
        let (preview, _, _) = Preview::start(&content, false).expect("start");
        // One record moves to another date, one is deleted, one is new.
        edit(&content, RECORD, "date: 2026-03-06", "date: 2025-12-30");
        std::fs::remove_file(content.join("essays/lina-xinde.md")).expect("rm");
        let added = "minutes/2026/12-01-xin.md";
        let text = std::fs::read_to_string(content.join(RECORD)).expect("read");
        std::fs::write(
            content.join(added),
            text.replace("2025-12-30", "2026-12-01"),
        )
        .expect("write");
        let changes = records(&[RECORD, "essays/lina-xinde.md", added]);
        let (report, _) = preview.rebuild(&changes).expect("rebuild");
        assert!(!report.failed(), "{:?}", report.errors);

        let (fresh, _) = content::load(&content, false).expect("load");
        let state = read(&preview.state);
        let corpus = &state.loaded.as_ref().expect("loaded").corpus;
        let files = |c: &Corpus| {
            c.records
                .iter()
                .map(|r| r.file.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(files(corpus), files(&fresh));
        assert_eq!(corpus.index.by_file, fresh.index.by_file);
        assert_eq!(corpus.index.visible, fresh.index.visible);
        assert_eq!(corpus.index.by_person, fresh.index.by_person);
    }

    #[test]
    fn a_deleted_record_is_removed_and_a_temporary_file_changes_nothing() {
        let (_tmp, content) = site();
        let (preview, _, _) = Preview::start(&content, false).expect("start");
        std::fs::remove_file(content.join(RECORD)).expect("rm");
        let (report, publish) = preview.rebuild(&records(&[RECORD])).expect("rebuild");
        assert!(!report.failed(), "{:?}", report.errors);
        let Publish::Some { removed, .. } = publish else {
            panic!("an update")
        };
        assert!(removed.contains(&PAGE.to_string()), "{removed:?}");

        let gone = Changes {
            assets: BTreeSet::from(["minutes/2026/sedAb12Cd".to_string()]),
            ..Changes::default()
        };
        assert!(preview.rebuild(&gone).is_none());
    }
}
