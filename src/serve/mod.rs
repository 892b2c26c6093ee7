//! `jianbao serve`: the live preview. Builds the site into memory, serves it, watches the
//! content, the site's templates and the theme, rebuilds what an edit touches and tells
//! open pages to reload. A broken edit never takes the preview down: the last good site
//! stays served with an overlay listing the errors.
//!
//! [`run`] wires the parts: [`preview::Preview`] (what to rebuild), [`watch`] (which files
//! changed, in bursts) and [`http`] (serving from memory, reload events). It reports what
//! happens through a callback; printing is the command's business.

pub mod http;
pub mod preview;
pub mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::time::Instant;

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
    let (mut preview, mut report, publish) = Preview::start(&content, options.drafts)?;
    let shared = Shared::new();
    apply(&shared, publish);
    report.elapsed = start.elapsed();
    on_event(Event::Built(report));

    let (tx, rx) = channel();
    let mut watching = Watching::new(&content, tx)?;
    watching.follow_theme(preview.theme_dir());
    on_event(Event::Listening(addr));

    let rebuild_shared = shared.clone();
    std::thread::spawn(move || {
        let mut generation = 0u64;
        loop {
            // The first change of a burst that edits a record shows that record's page
            // at once; the rest of the site follows when the burst is over.
            let mut quick = None;
            let burst = watch::next_burst(&rx, watch::QUIET, watch::MAX_WAIT, |path| {
                let start = Instant::now();
                let first = [path.to_path_buf()];
                let changes = Changes::from_paths(&content, watching.theme.as_deref(), &first);
                let shown = crate::timing::phase("quick", || preview.quick(&changes));
                if let Some(Publish::Some { files, removed }) = shown {
                    let paths: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
                    apply(&rebuild_shared, Publish::Some { files, removed });
                    generation += 1;
                    rebuild_shared.notify_reload(generation);
                    quick = Some((paths, start.elapsed()));
                }
            });
            let Some(burst) = burst else { break };
            if let Some((paths, elapsed)) = quick {
                on_event(Event::Quick(paths, elapsed));
            }
            let changes = Changes::from_paths(&content, watching.theme.as_deref(), &burst);
            if changes.is_empty() {
                continue;
            }
            let start = Instant::now();
            let Some((mut report, publish)) = preview.rebuild(&changes) else {
                continue;
            };
            apply(&rebuild_shared, publish);
            report.elapsed = start.elapsed();
            generation += 1;
            rebuild_shared.notify_reload(generation);
            if let Some(e) = watching.follow_theme(preview.theme_dir()) {
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

/// Puts what a rebuild produced in front of the readers.
fn apply(shared: &Shared, publish: Publish) {
    let mut site = match shared.site.write() {
        Ok(site) => site,
        Err(poisoned) => poisoned.into_inner(),
    };
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
