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
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::corpus::{ConfigLines, Index, read_text, resolve_asset};
use crate::content::lines::FieldLines;
use crate::content::record::parse_record;
use crate::content::{self, Corpus, Kind, RecordData, validate};
use crate::error::{Diagnostic, Error, Result, sort_diagnostics};
use crate::output::{OutputFile, Source};
use crate::render::incremental::{LiveSite, Prepared};

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
    All(HashMap<String, Arc<[u8]>>),
    /// Files to replace or add, and files to remove.
    Some {
        files: Vec<(String, Arc<[u8]>)>,
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
    fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .fixed
            .iter()
            .chain(self.broken.values().flatten())
            .chain(&self.validation)
            .cloned()
            .collect();
        sort_diagnostics(&mut all);
        all
    }
}

pub struct Preview {
    content: PathBuf,
    drafts: bool,
    loaded: Option<Loaded>,
    live: Option<LiveSite>,
    /// Record files changed since the last render.
    pending: BTreeSet<String>,
    /// The next render must render every page (the content was reloaded, or templates
    /// changed).
    render_all: bool,
    /// Why the content could not be loaded at all (configuration unreadable), if so.
    load_failure: Vec<Diagnostic>,
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
        let mut preview = Preview {
            content: content.to_path_buf(),
            drafts,
            loaded: None,
            live: None,
            pending: BTreeSet::new(),
            render_all: true,
            load_failure: Vec::new(),
        };
        let (report, publish) = preview.run(&Changes::everything(), true, Vec::new());
        Ok((preview, report, publish))
    }

    /// The theme folder the site uses, when it uses one.
    pub fn theme_dir(&self) -> Option<&Path> {
        self.live.as_ref()?.site.theme.dir.as_deref()
    }

    /// Brings the site up to date after `changes`; `None` when they change nothing (a
    /// temporary file that came and went).
    /// The pages of the edited records of `changes`, rendered at once against the site
    /// as it is, for the editor to see before the debounced rebuild brings the rest up
    /// to date. Only for records that parse, pass their own checks and keep their URL,
    /// and only while the site has no errors (the overlay must not vanish); `None` when
    /// there is nothing to show early.
    pub fn quick(&self, changes: &Changes) -> Option<Publish> {
        let (Some(loaded), Some(live)) = (&self.loaded, &self.live) else {
            return None;
        };
        if changes.everything
            || changes.theme
            || changes.records.is_empty()
            || self.render_all
            || !self.pending.is_empty()
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

    pub fn rebuild(&mut self, changes: &Changes) -> Option<(Report, Publish)> {
        let (everything, assets) = match &self.loaded {
            Some(loaded) if !changes.everything => sort_assets(loaded, &changes.assets),
            _ => (true, Vec::new()),
        };
        if !everything && changes.records.is_empty() && !changes.theme && assets.is_empty() {
            return None;
        }
        Some(self.run(changes, everything, assets))
    }

    fn run(
        &mut self,
        changes: &Changes,
        everything: bool,
        assets: Vec<String>,
    ) -> (Report, Publish) {
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
        match what {
            What::Everything => self.reload(),
            What::Records(_) => self.pending.extend(changes.records.iter().cloned()),
            What::Theme | What::Assets(_) => {}
        }
        if changes.theme {
            self.render_all = true;
        }
        let mut prepared = None;
        if let (What::Records(_), Some(loaded)) = (&what, &mut self.loaded) {
            crate::timing::phase("reread", || reread_records(loaded, &changes.records));
            // Validate while the update is worked out (when it can be used at all).
            let ready = !self.render_all
                && !loaded.fixed.iter().any(Diagnostic::is_error)
                && loaded.broken.is_empty();
            let (corpus, lines, live, pending) = (
                &loaded.corpus,
                &loaded.config_lines,
                &self.live,
                &self.pending,
            );
            let (validation, update) = crate::timing::phase("validate and prepare", || {
                rayon::join(
                    || crate::timing::phase("validate", || validate::validate(corpus, lines)),
                    || match live {
                        Some(live) if ready => Some(live.prepare(corpus, pending)),
                        _ => None,
                    },
                )
            });
            loaded.validation = validation;
            prepared = update;
        }
        let diagnostics = match &self.loaded {
            Some(loaded) => loaded.diagnostics(),
            None => self.load_failure.clone(),
        };
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diagnostics.into_iter().partition(Diagnostic::is_error);
        report.warnings = warnings;
        let Preview {
            loaded,
            live,
            pending,
            render_all,
            ..
        } = self;
        let outcome = crate::timing::phase("commit", || match loaded {
            Some(loaded) if errors.is_empty() => {
                render(live, pending, render_all, &loaded.corpus, prepared).and_then(
                    |mut rendered| {
                        if let Publish::Some { files, .. } = &mut rendered.publish {
                            for rel in &assets {
                                let path = loaded.corpus.root.join(rel);
                                let bytes =
                                    std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                                files.push((rel.clone(), Arc::from(bytes)));
                            }
                        }
                        Ok(rendered)
                    },
                )
            }
            _ => Err(Error::Content(errors)),
        });
        let publish = match outcome {
            Ok(rendered) => {
                report.rendered = rendered.rendered;
                report.total = rendered.total;
                report.removed = rendered.removed;
                report.whole = rendered.whole;
                rendered.publish
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

    /// Loads the whole content again.
    fn reload(&mut self) {
        self.render_all = true;
        self.pending.clear();
        self.loaded = None;
        self.load_failure.clear();
        match content::load(&self.content, self.drafts) {
            Ok((corpus, diagnostics)) => self.loaded = Some(split_load(corpus, diagnostics)),
            Err(Error::Content(diagnostics)) => self.load_failure = diagnostics,
            Err(e) => self.load_failure = vec![diagnostic_of(e)],
        }
    }
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

/// Re-reads the record files of `files` into the corpus (a file that is gone leaves it),
/// then rebuilds the indexes. Validation is the caller's.
fn reread_records(loaded: &mut Loaded, files: &BTreeSet<String>) {
    let corpus = &mut loaded.corpus;
    let root = corpus.root.clone();
    corpus.records.retain(|r| !files.contains(&*r.file));
    for file in files {
        loaded.broken.remove(file);
        let Some(kind) = record_kind(file) else {
            continue;
        };
        if !root.join(file).is_file() {
            continue;
        }
        match read_text(&root, file)
            .map_err(|d| vec![d])
            .and_then(|text| parse_record(kind, file, &text))
        {
            Ok(mut record) => {
                if let RecordData::Case(case) = &mut record.data
                    && let Some(cover) = &case.cover
                    && let Some(found) = resolve_asset(&root, file, cover)
                {
                    case.cover = Some(found);
                }
                corpus.records.push(record);
            }
            Err(ds) => {
                loaded.broken.insert(file.clone(), ds);
            }
        }
    }
    // The order of `content::load`: newest first, ties by file.
    corpus
        .records
        .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.file.cmp(&b.file)));
    corpus.index = Index::build(&corpus.records, &corpus.org, corpus.include_drafts);
}

/// The outcome of a render.
struct Rendered {
    publish: Publish,
    rendered: usize,
    total: usize,
    removed: usize,
    whole: bool,
}

/// Renders what is due: every page when `render_all` or nothing was rendered yet, else
/// the pages the `pending` records touch. Clears both on success.
fn render(
    live: &mut Option<LiveSite>,
    pending: &mut BTreeSet<String>,
    render_all: &mut bool,
    corpus: &Corpus,
    prepared: Option<Result<Prepared>>,
) -> Result<Rendered> {
    let rendered = match live {
        Some(site) if !*render_all => {
            let update = match prepared {
                Some(prepared) => site.commit(prepared?),
                None => site.update(corpus, pending)?,
            };
            let mut files = Vec::with_capacity(update.files.len());
            for f in update.files {
                files.push((f.path.clone(), bytes_of(f)?));
            }
            Rendered {
                rendered: update.rendered.len(),
                total: update.total,
                removed: update.removed.len(),
                whole: false,
                publish: Publish::Some {
                    files,
                    removed: update.removed,
                },
            }
        }
        _ => {
            let (site, files) = LiveSite::new(corpus)?;
            let mut all = HashMap::with_capacity(files.len());
            for f in files {
                all.insert(f.path.clone(), bytes_of(f)?);
            }
            let total = site.site.pages.len();
            *live = Some(site);
            Rendered {
                rendered: total,
                total,
                removed: 0,
                whole: true,
                publish: Publish::All(all),
            }
        }
    };
    pending.clear();
    *render_all = false;
    Ok(rendered)
}

fn bytes_of(file: OutputFile) -> Result<Arc<[u8]>> {
    Ok(match file.source {
        Source::Bytes(bytes) => Arc::from(bytes),
        Source::Static(bytes) => Arc::from(bytes),
        Source::File(path) => Arc::from(std::fs::read(&path).map_err(|e| Error::io(&path, e))?),
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
        let (mut preview, report, publish) = Preview::start(&content, false).expect("start");
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
        let (mut preview, _, _) = Preview::start(&content, false).expect("start");
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
        let (mut preview, report, _) = Preview::start(&content, false).expect("start");
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
        let (mut preview, _, _) = Preview::start(&content, false).expect("start");
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
    fn a_deleted_record_is_removed_and_a_temporary_file_changes_nothing() {
        let (_tmp, content) = site();
        let (mut preview, _, _) = Preview::start(&content, false).expect("start");
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
