//! `jianbao serve`: the live preview. Builds the site into memory, serves it, watches the
//! content, the site's templates and the theme, rebuilds what an edit touches and tells
//! open pages to reload. A broken edit never takes the preview down: the last good site
//! stays served with an overlay listing the errors.
//!
//! [`run`] wires the parts: [`preview::Preview`] (what to rebuild), [`watch`] (which files
//! changed, in bursts) and [`http`] (serving from memory, reload events). One thread
//! gathers bursts of changes and shows an edited record's page at once; another runs the
//! rebuilds, so an edit made during a long rebuild is still shown at once. It reports
//! what happens through a callback; printing is the command's business.

pub mod http;
pub mod preview;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::body::Bytes;
use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};

use crate::error::{Error, Result};
use http::Shared;
use preview::{Changes, Preview, Publish, Report};

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub content: PathBuf,
    /// Show draft records.
    pub drafts: bool,
    pub addr: SocketAddr,
}

/// What the preview tells its caller.
#[derive(Debug)]
pub enum Event {
    /// A build or rebuild finished (or failed: see [`Report::failed`]).
    Built(Report),
    /// The server answers at this address.
    Listening(SocketAddr),
    /// Watching stopped working for some files; the preview goes on.
    WatchError(String),
    /// The pages of edited records were shown at once, before the rebuild: their paths
    /// and the time from the first change seen.
    Quick(Vec<String>, std::time::Duration),
}

/// Builds the site, serves it on `options.addr` and rebuilds on every change until the
/// process ends. Fails when the port cannot be bound (a clear message when it is taken),
/// when the content directory does not exist or when the watcher cannot start.
pub fn run(options: &ServeOptions, mut on_event: impl FnMut(Event) + Send + 'static) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    // Bind first: a taken port fails at once, before a long first build.
    let listener = runtime.block_on(http::bind(options.addr))?;
    let addr = listener.local_addr().unwrap_or(options.addr);
    let content = std::path::absolute(&options.content)
        .ok()
        .and_then(|p| p.canonicalize().ok())
        .unwrap_or_else(|| options.content.clone());

    let start = Instant::now();
    let (preview, mut report, publish) = Preview::start(&content, options.drafts)?;
    let preview = Arc::new(preview);
    let shared = Shared::new();
    let publisher = Arc::new(Publisher::new(shared.clone()));
    publisher.rebuilt(publish, 0);
    report.elapsed = start.elapsed();
    on_event(Event::Built(report));

    let (tx, rx) = channel();
    let mut watching = Watching::new(&content, tx)?;
    watching.follow_theme(preview.theme_dir().as_deref());
    let watching = Arc::new(Mutex::new(watching));
    on_event(Event::Listening(addr));
    let on_event = Arc::new(Mutex::new(on_event));
    let (bursts, next_bursts) = channel::<BTreeSet<PathBuf>>();

    // Gathers the events of one burst. The first change of a burst that edits a record
    // shows that record's page at once, even while a rebuild runs; the burst then goes
    // to the rebuild.
    std::thread::spawn({
        let (preview, publisher, on_event) = (preview.clone(), publisher.clone(), on_event.clone());
        let (watching, content) = (watching.clone(), content.clone());
        move || loop {
            let mut quick = None;
            let burst = watch::next_burst(&rx, watch::QUIET, watch::MAX_WAIT, |path| {
                let start = Instant::now();
                let theme = lock(&watching).theme.clone();
                let first = [path.to_path_buf()];
                let changes = Changes::from_paths(&content, theme.as_deref(), &first);
                let shown = crate::timing::phase("quick", || preview.quick(&changes));
                if let Some(Publish::Some { files, removed }) = shown {
                    let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
                    publisher.quick(files, removed);
                    quick = Some((paths, start.elapsed()));
                }
            });
            let Some(burst) = burst else { break };
            if let Some((paths, elapsed)) = quick {
                (lock(&on_event))(Event::Quick(paths, elapsed));
            }
            if bursts.send(burst).is_err() {
                break;
            }
        }
    });

    // Rebuilds, one at a time; the bursts that arrive meanwhile make the next one together.
    std::thread::spawn(move || {
        while let Ok(mut burst) = next_bursts.recv() {
            while let Ok(more) = next_bursts.try_recv() {
                burst.extend(more);
            }
            let theme = lock(&watching).theme.clone();
            let changes = Changes::from_paths(&content, theme.as_deref(), &burst);
            if changes.is_empty() {
                continue;
            }
            let start = Instant::now();
            let since = publisher.generation();
            let Some((mut report, publish)) = preview.rebuild(&changes) else {
                continue;
            };
            publisher.rebuilt(publish, since);
            report.elapsed = start.elapsed();
            let watch_error = lock(&watching).follow_theme(preview.theme_dir().as_deref());
            let mut on_event = lock(&on_event);
            if let Some(e) = watch_error {
                on_event(Event::WatchError(e));
            }
            on_event(Event::Built(report));
        }
    });

    let app = http::router(shared);
    runtime
        .block_on(async move { axum::serve(listener, app).await })
        .map_err(|e| Error::Usage(format!("the server stopped: {e}")))
}

fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Puts what the quick pages and the rebuilds produce in front of the readers, in the
/// right order: a rebuild that started before an edited page was shown at once must not
/// put that page's older version back (the rebuild of that edit follows and renders it).
struct Publisher {
    shared: Arc<Shared>,
    order: Mutex<Order>,
}

#[derive(Default)]
struct Order {
    /// Counts what was published; open pages reload at each step.
    generation: u64,
    /// Pages shown at once by path, with the generation that showed them.
    quick: HashMap<String, u64>,
}

impl Publisher {
    fn new(shared: Arc<Shared>) -> Self {
        Publisher {
            shared,
            order: Mutex::new(Order::default()),
        }
    }

    /// The generation now: a rebuild notes it when it starts.
    fn generation(&self) -> u64 {
        lock(&self.order).generation
    }

    /// Shows pages rendered at once.
    fn quick(&self, files: Vec<(String, Bytes)>, removed: Vec<String>) {
        let mut order = lock(&self.order);
        order.generation += 1;
        let generation = order.generation;
        for (path, _) in &files {
            order.quick.insert(path.clone(), generation);
        }
        self.apply(Publish::Some { files, removed });
        self.shared.notify_reload(generation);
    }

    /// Shows what a rebuild that started at generation `since` produced, except the pages
    /// shown at once after it started: those are newer.
    fn rebuilt(&self, mut publish: Publish, since: u64) {
        let mut order = lock(&self.order);
        order.quick.retain(|_, shown| *shown > since);
        let newer = &order.quick;
        match &mut publish {
            Publish::Some { files, removed } => {
                files.retain(|(path, _)| !newer.contains_key(path));
                removed.retain(|path| !newer.contains_key(path));
            }
            Publish::All(files) => {
                let site = self
                    .shared
                    .site
                    .read()
                    .unwrap_or_else(PoisonError::into_inner);
                for path in newer.keys() {
                    if let Some(shown) = site.files.get(path) {
                        files.insert(path.clone(), shown.clone());
                    }
                }
            }
            Publish::Errors(_) => {}
        }
        self.apply(publish);
        order.generation += 1;
        self.shared.notify_reload(order.generation);
    }

    /// Puts pages in front of the readers, as they are.
    fn apply(&self, publish: Publish) {
        let mut site = (self.shared.site.write()).unwrap_or_else(PoisonError::into_inner);
        match publish {
            Publish::All(files) => {
                site.files = files;
                site.errors.clear();
            }
            Publish::Some { files, removed } => {
                for path in removed {
                    site.files.remove(&path);
                }
                site.files.extend(files);
                site.errors.clear();
            }
            Publish::Errors(errors) => site.errors = errors,
        }
    }
}

/// The file-system watcher: the content directory, and the theme folder when it lies
/// outside it.
struct Watching {
    watcher: notify::RecommendedWatcher,
    content: PathBuf,
    /// The theme folder the site uses, when it has one.
    theme: Option<PathBuf>,
    /// The theme folder watched on its own (outside the content directory).
    watched_theme: Option<PathBuf>,
}

impl Watching {
    fn new(content: &Path, tx: Sender<PathBuf>) -> Result<Self> {
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                // Reading files (our own builds do) and metadata changes say nothing new.
                if matches!(
                    event.kind,
                    EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
                ) {
                    return;
                }
                for path in event.paths {
                    let _ = tx.send(path);
                }
            })
            .map_err(|e| Error::Usage(format!("cannot watch for changes: {e}")))?;
        watcher
            .watch(content, RecursiveMode::Recursive)
            .map_err(|e| Error::Usage(format!("cannot watch `{}`: {e}", content.display())))?;
        Ok(Watching {
            watcher,
            content: content.to_path_buf(),
            theme: None,
            watched_theme: None,
        })
    }

    /// Watches the site's theme folder (it may change with site.yaml). Returns a message
    /// when it cannot be watched.
    fn follow_theme(&mut self, theme: Option<&Path>) -> Option<String> {
        let theme = theme.map(|t| t.canonicalize().unwrap_or_else(|_| t.to_path_buf()));
        if theme == self.theme {
            return None;
        }
        self.theme = theme.clone();
        if let Some(old) = self.watched_theme.take() {
            let _ = self.watcher.unwatch(&old);
        }
        let theme = theme.filter(|t| !t.starts_with(&self.content))?;
        match self.watcher.watch(&theme, RecursiveMode::Recursive) {
            Ok(()) => {
                self.watched_theme = Some(theme);
                None
            }
            Err(e) => Some(format!("cannot watch the theme `{}`: {e}", theme.display())),
        }
    }
}

/// Whether serving on `addr` exposes the preview beyond this machine.
pub fn is_public(addr: &SocketAddr) -> bool {
    !addr.ip().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(shared: &Shared, path: &str) -> Option<String> {
        let site = shared.site.read().expect("site");
        let bytes = site.files.get(path)?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    fn files(pages: &[(&str, &str)]) -> Vec<(String, Bytes)> {
        pages
            .iter()
            .map(|(path, text)| (path.to_string(), Bytes::copy_from_slice(text.as_bytes())))
            .collect()
    }

    #[test]
    fn a_rebuild_never_puts_back_an_older_version_of_a_page_shown_at_once() {
        let shared = Shared::new();
        let publisher = Publisher::new(shared.clone());
        let all = files(&[("a/index.html", "A1"), ("b/index.html", "B1")]);
        publisher.rebuilt(Publish::All(all.into_iter().collect()), 0);

        // A rebuild for an edit of A starts; B is edited and shown while it runs.
        let since = publisher.generation();
        publisher.quick(files(&[("b/index.html", "B2")]), Vec::new());
        let rebuilt = files(&[("a/index.html", "A2"), ("b/index.html", "B1")]);
        publisher.rebuilt(
            Publish::Some {
                files: rebuilt,
                removed: vec!["b/index.html".into()],
            },
            since,
        );
        assert_eq!(page(&shared, "a/index.html").as_deref(), Some("A2"));
        assert_eq!(page(&shared, "b/index.html").as_deref(), Some("B2"));

        // A whole render that started before it keeps it too.
        let all = files(&[("a/index.html", "A2"), ("b/index.html", "B1")]);
        publisher.rebuilt(Publish::All(all.into_iter().collect()), since);
        assert_eq!(page(&shared, "b/index.html").as_deref(), Some("B2"));

        // The rebuild of B's edit, started after it was shown, has the last word.
        let since = publisher.generation();
        let rebuilt = files(&[("b/index.html", "B3")]);
        publisher.rebuilt(
            Publish::Some {
                files: rebuilt,
                removed: Vec::new(),
            },
            since,
        );
        assert_eq!(page(&shared, "b/index.html").as_deref(), Some("B3"));
    }
}
