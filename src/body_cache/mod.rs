//! Record bodies rendered by earlier builds, kept in the content's cache
//! (`.jianbao-cache/bodies`), so that a build renders only the Markdown that changed.
//!
//! Rendering Markdown is a fifth of a build's work, and from one build to the next
//! nearly every body is the same. An entry is found by a 128-bit hash of everything
//! [`markdown::render`] reads: the body, the record's file, the HTML policy and how much
//! search text is kept. It also lists the files the body's relative links named and
//! what they resolved to, which the build asks again before it takes the entry: a body
//! linking to a record that became a draft or moved is rendered anew. The file names
//! the program that wrote it (version, size and time of the executable): any other
//! build of jianbao starts over. A file that is not a cache of this program (cut short,
//! damaged, of another format) is ignored: the cache costs renders, never a wrong page.
//!
//! The file is a header line, the entries, their index (hash, place, length and
//! checksum of each), and a trailer giving the index's place and checksum. A build
//! reads the index when it starts and each entry when its page is rendered, so a big
//! site's bodies are never in memory together. Entries rendered anew go into the next
//! file as they are made; once the site is written, the entries this build took from
//! the last file are copied after them, the index and trailer written, and the file
//! renamed over the last one (a reader never sees it half-written). A build that
//! rendered nothing anew and took every entry leaves the file alone.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::markdown::{self, RenderContext, Rendered};
use file::{Last, Next, Slot, decode, encode, read_at};

mod file;

/// The cache's file in the content's cache folder.
pub const FILE: &str = "bodies";

/// The start of the header line; the number changes with the format.
const FORMAT: &str = "jianbao-bodies 1";

/// The bodies of the last build, and those this build renders anew.
pub struct BodyCache {
    file: PathBuf,
    /// The header line naming this program; `None` when the program cannot be named,
    /// and then nothing is read or written.
    header: Option<Vec<u8>>,
    last: Option<Last>,
    next: Mutex<Next>,
    rendered: AtomicUsize,
}

/// The largest buffer a thread keeps between entries.
const KEPT_BUFFER: usize = 1 << 20;

thread_local! {
    /// The buffer a rendering thread reads entries into.
    static ENTRY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl BodyCache {
    /// The cache in the content cache folder `cache_dir`, for the running program.
    pub fn open(cache_dir: &Path) -> BodyCache {
        BodyCache::with_header(cache_dir.join(FILE), program_header())
    }

    /// The cache in `file`, written by the program `header` names (tests name programs).
    fn with_header(file: PathBuf, header: Option<Vec<u8>>) -> BodyCache {
        let last = header.as_deref().and_then(|h| Last::read(&file, h));
        BodyCache {
            file,
            header,
            last,
            next: Mutex::default(),
            rendered: AtomicUsize::new(0),
        }
    }

    /// [`markdown::render`], or what it gave for the same input in the last build.
    pub fn render(&self, body: &str, ctx: &RenderContext) -> Rendered {
        if self.header.is_none() {
            return markdown::render(body, ctx);
        }
        let hash = input_hash(body, ctx);
        if let Some(rendered) = self.take(hash, ctx) {
            return rendered;
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        let asked = Mutex::new(Vec::new());
        let resolve = |file: &str| -> Option<String> {
            let url = (ctx.resolve)(file);
            lock(&asked).push((file.to_string(), url.clone()));
            url
        };
        let rendered = markdown::render(
            body,
            &RenderContext {
                resolve: &resolve,
                ..*ctx
            },
        );
        let entry = encode(
            &rendered,
            &asked.into_inner().unwrap_or_else(PoisonError::into_inner),
        );
        self.keep(hash, &entry);
        rendered
    }

    /// How many bodies this build rendered (the others came from the last build).
    pub fn rendered(&self) -> usize {
        self.rendered.load(Ordering::Relaxed)
    }

    /// The entry for `hash`, if the last build left one whose links still resolve the
    /// same.
    fn take(&self, hash: u128, ctx: &RenderContext) -> Option<Rendered> {
        let last = self.last.as_ref()?;
        let i = *last.by_hash.get(&hash)?;
        let slot = last.slots[i];
        let rendered = ENTRY.with_borrow_mut(|buffer| {
            let rendered = read_entry(&last.file, slot, buffer, ctx);
            // A rare huge body should not stay allocated.
            if buffer.capacity() > KEPT_BUFFER {
                *buffer = Vec::new();
            }
            rendered
        })?;
        last.taken[i].store(true, Ordering::Relaxed);
        Some(rendered)
    }

    /// Adds an entry rendered anew to the next file.
    fn keep(&self, hash: u128, entry: &[u8]) {
        let Some(header) = &self.header else { return };
        let mut next = lock(&self.next);
        if next.failed {
            return;
        }
        if next.append(&self.file, header, hash, entry).is_err() {
            next.failed = true;
        }
    }

    /// Puts the next file in the place of the last one, when this build changed
    /// anything: it rendered a body anew, or did not take every entry of the last file.
    pub fn save(self) -> std::io::Result<()> {
        let Some(header) = &self.header else {
            return Ok(());
        };
        remove_abandoned(&self.file);
        let mut next = self
            .next
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let every_entry_taken = (self.last.as_ref())
            .is_none_or(|last| last.taken.iter().all(|t| t.load(Ordering::Relaxed)));
        if next.failed || (next.file.is_none() && every_entry_taken) {
            next.discard();
            return Ok(());
        }
        let result = next.finish(&self.file, header, self.last.as_ref());
        if result.is_err() {
            next.discard();
        }
        result
    }
}

/// How old the next file of another build must be to count as abandoned: a build
/// interrupted (Ctrl-C) never removes its own.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the next files of builds interrupted long ago, beside `file`.
fn remove_abandoned(file: &Path) {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        return;
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let abandoned = entry.file_name().to_string_lossy().starts_with(&prefix)
            && (entry.metadata().and_then(|m| m.modified()).ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > ABANDONED_AFTER);
        if abandoned {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The entry at `slot` of `file`, read into `buffer`, if it is whole and its links
/// still resolve the same.
fn read_entry(
    file: &File,
    slot: Slot,
    buffer: &mut Vec<u8>,
    ctx: &RenderContext,
) -> Option<Rendered> {
    // Zeroed only when it grows: the read overwrites what it holds.
    let len = slot.len as usize;
    if buffer.len() < len {
        buffer.resize(len, 0);
    }
    let bytes = &mut buffer[..len];
    read_at(file, bytes, slot.at).ok()?;
    if xxh3_64(bytes) != slot.check {
        return None;
    }
    let entry = decode(bytes)?;
    if (entry.links.iter()).any(|(file, url)| (ctx.resolve)(file).as_deref() != *url) {
        return None;
    }
    Some(Rendered {
        html: entry.html.to_string(),
        text: entry.text.to_string(),
    })
}

/// The hash of everything a rendering reads but the answers of its `resolve`.
fn input_hash(body: &str, ctx: &RenderContext) -> u128 {
    let mut h = Xxh3::new();
    h.update(&(body.len() as u64).to_le_bytes());
    h.update(body.as_bytes());
    h.update(&(ctx.file.len() as u64).to_le_bytes());
    h.update(ctx.file.as_bytes());
    h.update(&[u8::from(ctx.unsafe_html)]);
    h.update(&(ctx.text_chars as u64).to_le_bytes());
    h.digest128()
}

/// The header line of this program's cache: the format, jianbao's version, and the size
/// and time of the executable, so a rebuilt program does not take the bodies an older
/// one rendered. `None` when the executable cannot be found.
fn program_header() -> Option<Vec<u8>> {
    let meta = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    let time = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let version = env!("CARGO_PKG_VERSION");
    let line = format!("{FORMAT} {version} {} {}\n", meta.len(), time.as_nanos());
    Some(line.into_bytes())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::file::TRAILER;
    use super::*;

    const ESSAY: &str = "正文第一段，说明**学习**的体会。\n\n## 收获\n\n见[另一篇](../essays/b.md)和[附件](tu.png)。\n";

    /// A build's cache in `dir`, written by the program "test".
    fn cache(dir: &Path) -> BodyCache {
        BodyCache::with_header(dir.join(FILE), Some(b"test 1\n".to_vec()))
    }

    fn context<'a>(resolve: &'a (dyn Fn(&str) -> Option<String> + Sync)) -> RenderContext<'a> {
        RenderContext {
            file: "essays/a.md",
            unsafe_html: false,
            resolve,
            text_chars: 40,
        }
    }

    fn links(file: &str) -> Option<String> {
        (file == "essays/b.md").then(|| "/essays/b/".to_string())
    }

    /// Renders each body through `cache` and checks it gives what rendering does.
    fn build(cache: &BodyCache, bodies: &[&str], ctx: &RenderContext) {
        for body in bodies {
            assert_eq!(
                cache.render(body, ctx),
                markdown::render(body, ctx),
                "{body}"
            );
        }
    }

    /// The files in `dir`: the cache and nothing half-made beside it.
    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = (std::fs::read_dir(dir).expect("dir"))
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_second_build_takes_every_body_from_the_first() {
        let dir = tempfile::tempdir().expect("tmp");
        let bodies = [
            ESSAY,
            "只有一段。",
            "",
            "| 表 | 格 |\n| --- | --- |\n| 1 | 2 |\n",
        ];
        let first = cache(dir.path());
        build(&first, &bodies, &context(&links));
        assert_eq!(first.rendered(), 4);
        first.save().expect("save");
        assert_eq!(files(dir.path()), [FILE]);
        let written = std::fs::read(dir.path().join(FILE)).expect("cache");

        let second = cache(dir.path());
        build(&second, &bodies, &context(&links));
        assert_eq!(second.rendered(), 0);
        second.save().expect("save");
        // Nothing changed: the file is the same.
        assert_eq!(
            std::fs::read(dir.path().join(FILE)).expect("cache"),
            written
        );
        assert_eq!(files(dir.path()), [FILE]);
    }

    #[test]
    fn what_the_rendering_reads_changed_renders_it_again() {
        let dir = tempfile::tempdir().expect("tmp");
        let first = cache(dir.path());
        build(&first, &[ESSAY], &context(&links));
        first.save().expect("save");

        let nothing = |_: &str| None;
        let changes: [(&str, RenderContext); 6] = [
            ("the body", context(&links)),
            (
                "the file",
                RenderContext {
                    file: "essays/sub/a.md",
                    ..context(&links)
                },
            ),
            (
                "the HTML policy",
                RenderContext {
                    unsafe_html: true,
                    ..context(&links)
                },
            ),
            (
                "the search text",
                RenderContext {
                    text_chars: 0,
                    ..context(&links)
                },
            ),
            ("a link's target", context(&nothing)),
            ("nothing", context(&links)),
        ];
        for (change, ctx) in changes {
            let again = cache(dir.path());
            let body = if change == "the body" {
                "改过的正文。"
            } else {
                ESSAY
            };
            build(&again, &[body], &ctx);
            let expected = usize::from(change != "nothing");
            assert_eq!(again.rendered(), expected, "{change}");
            // Not saved: each change is made against the first build's cache.
        }
    }

    #[test]
    fn bodies_a_build_did_not_ask_for_are_dropped() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b, c) = ("甲。", "乙。", "丙。");
        let first = cache(dir.path());
        build(&first, &[a, b], &context(&links));
        first.save().expect("save");
        // `b` is gone and `c` is new: the file keeps `a`, after `c`.
        let second = cache(dir.path());
        build(&second, &[a, c], &context(&links));
        assert_eq!(second.rendered(), 1);
        second.save().expect("save");
        let third = cache(dir.path());
        build(&third, &[c, a, b], &context(&links));
        assert_eq!(third.rendered(), 1);
        third.save().expect("save");
        // Every entry taken again after the copy.
        let fourth = cache(dir.path());
        build(&fourth, &[b, c, a], &context(&links));
        assert_eq!(fourth.rendered(), 0);
        assert_eq!(files(dir.path()), [FILE]);
    }

    #[test]
    fn a_damaged_or_foreign_file_costs_renders_not_pages() {
        let dir = tempfile::tempdir().expect("tmp");
        let bodies = [ESSAY, "只有一段。"];
        let first = cache(dir.path());
        build(&first, &bodies, &context(&links));
        first.save().expect("save");
        let good = std::fs::read(dir.path().join(FILE)).expect("cache");
        let header = b"test 1\n".len();
        let flipped = |at: usize| {
            let mut bytes = good.clone();
            bytes[at] ^= 0x20;
            bytes
        };
        let damages: [(&str, Vec<u8>, usize); 6] = [
            ("empty", Vec::new(), 2),
            ("cut short", good[..good.len() - 3].to_vec(), 2),
            ("an entry changed", flipped(header + 20), 1),
            ("the index changed", flipped(good.len() - TRAILER - 3), 2),
            (
                "another program",
                [b"test 2\n", &good[header..]].concat(),
                2,
            ),
            ("whole", good.clone(), 0),
        ];
        for (damage, bytes, renders) in damages {
            std::fs::write(dir.path().join(FILE), &bytes).expect("write");
            let again = cache(dir.path());
            build(&again, &bodies, &context(&links));
            assert_eq!(again.rendered(), renders, "{damage}");
            // The build's file is whole again.
            again.save().expect("save");
            let whole = cache(dir.path());
            build(&whole, &bodies, &context(&links));
            assert_eq!(whole.rendered(), 0, "{damage}");
        }
    }

    #[test]
    fn a_build_that_fails_before_it_saves_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("tmp");
        let first = cache(dir.path());
        build(&first, &[ESSAY], &context(&links));
        first.save().expect("save");
        let kept = std::fs::read(dir.path().join(FILE)).expect("cache");
        // A new body is being written to the next file when the build fails.
        let failed = cache(dir.path());
        build(&failed, &["新的正文。"], &context(&links));
        assert_eq!(files(dir.path()).len(), 2, "the next file is being made");
        drop(failed);
        assert_eq!(files(dir.path()), [FILE]);
        assert_eq!(std::fs::read(dir.path().join(FILE)).expect("cache"), kept);
    }

    #[test]
    fn the_files_of_builds_interrupted_long_ago_are_removed() {
        let dir = tempfile::tempdir().expect("tmp");
        let (old, recent) = (
            dir.path().join("bodies.tmp-1-0"),
            dir.path().join("bodies.tmp-2-0"),
        );
        for file in [&old, &recent] {
            std::fs::write(file, b"half made").expect("write");
        }
        let long_ago = std::time::SystemTime::now() - 2 * ABANDONED_AFTER;
        (std::fs::File::options().write(true).open(&old))
            .and_then(|f| f.set_modified(long_ago))
            .expect("set time");
        let first = cache(dir.path());
        build(&first, &[ESSAY], &context(&links));
        first.save().expect("save");
        // Another build may still be making the recent one.
        assert_eq!(files(dir.path()), [FILE, "bodies.tmp-2-0"]);
    }

    #[test]
    fn without_a_program_to_name_nothing_is_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let unnamed = BodyCache::with_header(dir.path().join(FILE), None);
        build(&unnamed, &[ESSAY], &context(&links));
        unnamed.save().expect("save");
        assert!(files(dir.path()).is_empty());
    }
}
