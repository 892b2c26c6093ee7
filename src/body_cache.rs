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
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use ahash::AHashMap;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::markdown::{self, RenderContext, Rendered};

/// The cache's file in the content's cache folder.
pub const FILE: &str = "bodies";

/// The start of the header line; the number changes with the format.
const FORMAT: &str = "jianbao-bodies 1";

/// The last bytes of a whole file.
const MAGIC: &[u8; 8] = b"JBBODIES";

/// Trailer: the index's place, length and checksum, then [`MAGIC`].
const TRAILER: usize = 8 + 8 + 8 + MAGIC.len();

/// An index line: hash, place, length, checksum.
const INDEX_LINE: usize = 16 + 8 + 4 + 8;

/// A link that resolved to nothing, in place of a URL's length.
const NO_URL: u32 = u32::MAX;

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

/// The file the last build left.
struct Last {
    file: File,
    /// In the order of the file.
    slots: Vec<Slot>,
    by_hash: AHashMap<u128, usize>,
    /// Which slots this build took.
    taken: Vec<AtomicBool>,
}

/// Where an entry is in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    hash: u128,
    at: u64,
    len: u32,
    check: u64,
}

/// The file being made: created with the first entry rendered anew.
#[derive(Default)]
struct Next {
    /// Buffered: a cold build adds ten thousand entries of a few kilobytes.
    file: Option<(PathBuf, BufWriter<File>)>,
    /// Its length so far.
    len: u64,
    slots: Vec<Slot>,
    /// A write failed: this build leaves the last file as it is.
    failed: bool,
}

/// How much of the next file is held before it is written.
const WRITE_BUFFER: usize = 1 << 20;

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

impl Last {
    /// The cache in `file` when it is one that `header`'s program wrote, whole.
    fn read(file: &Path, header: &[u8]) -> Option<Last> {
        let f = File::open(file).ok()?;
        let size = f.metadata().ok()?.len();
        let start = header.len() as u64;
        if size < start + TRAILER as u64 {
            return None;
        }
        let mut head = vec![0; header.len()];
        read_at(&f, &mut head, 0).ok()?;
        if head != header {
            return None;
        }
        let mut trailer = [0; TRAILER];
        read_at(&f, &mut trailer, size - TRAILER as u64).ok()?;
        let mut t = Reader(&trailer);
        let (index_at, index_len, index_check) = (t.u64()?, t.u64()?, t.u64()?);
        if t.0 != MAGIC || index_at.checked_add(index_len)? != size - TRAILER as u64 {
            return None;
        }
        let mut index = vec![0; usize::try_from(index_len).ok()?];
        read_at(&f, &mut index, index_at).ok()?;
        if xxh3_64(&index) != index_check || index.len() % INDEX_LINE != 0 {
            return None;
        }
        let mut r = Reader(&index);
        let mut slots = Vec::with_capacity(index.len() / INDEX_LINE);
        while !r.0.is_empty() {
            let slot = Slot {
                hash: r.u128()?,
                at: r.u64()?,
                len: r.u32()?,
                check: r.u64()?,
            };
            // In the order of the file, apart: what `Next::finish` copies.
            let end = slot.at.checked_add(u64::from(slot.len))?;
            let after = slots
                .last()
                .map_or(start, |s: &Slot| s.at + u64::from(s.len));
            if slot.at < after || end > index_at {
                return None;
            }
            slots.push(slot);
        }
        let by_hash = (slots.iter().enumerate())
            .map(|(i, s)| (s.hash, i))
            .collect();
        let taken = slots.iter().map(|_| AtomicBool::new(false)).collect();
        Some(Last {
            file: f,
            slots,
            by_hash,
            taken,
        })
    }
}

impl Next {
    /// Writes `entry` at the end of the next file, which it creates first if need be.
    fn append(
        &mut self,
        file: &Path,
        header: &[u8],
        hash: u128,
        entry: &[u8],
    ) -> std::io::Result<()> {
        let out = self.create(file, header)?;
        out.write_all(entry)?;
        self.slots.push(Slot {
            hash,
            at: self.len,
            len: u32::try_from(entry.len()).map_err(std::io::Error::other)?,
            check: xxh3_64(entry),
        });
        self.len += entry.len() as u64;
        Ok(())
    }

    /// The next file, made with its header when this is the first call.
    fn create(&mut self, file: &Path, header: &[u8]) -> std::io::Result<&mut BufWriter<File>> {
        if self.file.is_none() {
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // Unique among the builds of this process (tests build side by side) and of
            // others.
            static MADE: AtomicUsize = AtomicUsize::new(0);
            let made = MADE.fetch_add(1, Ordering::Relaxed);
            let temporary = file.with_extension(format!("tmp-{}-{made}", std::process::id()));
            let mut out = BufWriter::with_capacity(WRITE_BUFFER, File::create(&temporary)?);
            out.write_all(header)?;
            self.file = Some((temporary, out));
            self.len = header.len() as u64;
        }
        match &mut self.file {
            Some((_, out)) => Ok(out),
            None => Err(std::io::Error::other("no cache file")),
        }
    }

    /// Copies the entries taken from `last` after the new ones, writes the index and
    /// the trailer, and renames the file to `file`.
    fn finish(&mut self, file: &Path, header: &[u8], last: Option<&Last>) -> std::io::Result<()> {
        self.create(file, header)?;
        if let Some(last) = last {
            // The taken entries keep their order, one after the other; those that
            // follow each other in the last file are copied at once.
            let mut runs: Vec<(u64, u64)> = Vec::new();
            let mut at = self.len;
            for (slot, _) in
                (last.slots.iter().zip(&last.taken)).filter(|(_, t)| t.load(Ordering::Relaxed))
            {
                let end = slot.at + u64::from(slot.len);
                match runs.last_mut() {
                    Some((_, run_end)) if *run_end == slot.at => *run_end = end,
                    _ => runs.push((slot.at, end)),
                }
                self.slots.push(Slot { at, ..*slot });
                at += u64::from(slot.len);
            }
            let Some((_, out)) = &mut self.file else {
                return Err(std::io::Error::other("no cache file"));
            };
            let mut source = &last.file;
            for (start, end) in runs {
                source.seek(SeekFrom::Start(start))?;
                let copied = std::io::copy(&mut std::io::Read::take(source, end - start), out)?;
                if copied != end - start {
                    return Err(std::io::Error::other("cache file cut short"));
                }
                self.len += copied;
            }
        }
        let mut index = Vec::with_capacity(self.slots.len() * INDEX_LINE);
        for slot in &self.slots {
            index.extend_from_slice(&slot.hash.to_le_bytes());
            index.extend_from_slice(&slot.at.to_le_bytes());
            index.extend_from_slice(&slot.len.to_le_bytes());
            index.extend_from_slice(&slot.check.to_le_bytes());
        }
        let mut trailer = Vec::with_capacity(TRAILER);
        trailer.extend_from_slice(&self.len.to_le_bytes());
        trailer.extend_from_slice(&(index.len() as u64).to_le_bytes());
        trailer.extend_from_slice(&xxh3_64(&index).to_le_bytes());
        trailer.extend_from_slice(MAGIC);
        let Some((temporary, out)) = self.file.take() else {
            return Err(std::io::Error::other("no cache file"));
        };
        let mut out = out;
        let written = (out.write_all(&index))
            .and_then(|_| out.write_all(&trailer))
            .and_then(|_| out.flush());
        drop(out);
        written
            .and_then(|_| std::fs::rename(&temporary, file))
            .inspect_err(|_| {
                let _ = std::fs::remove_file(&temporary);
            })
    }

    /// Removes the next file, unfinished.
    fn discard(&mut self) {
        if let Some((temporary, _)) = self.file.take() {
            let _ = std::fs::remove_file(temporary);
        }
    }
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

/// An entry: its HTML, its search text, and the files its links named with what they
/// resolved to.
struct Entry<'a> {
    html: &'a str,
    text: &'a str,
    links: Vec<(&'a str, Option<&'a str>)>,
}

/// The bytes of an entry: three lengths (HTML, text, links), the HTML, the text, then
/// each link's file and URL, each with its length first ([`NO_URL`] for none).
fn encode(rendered: &Rendered, links: &[(String, Option<String>)]) -> Vec<u8> {
    let strings: usize = (links.iter())
        .map(|(f, u)| 8 + f.len() + u.as_ref().map_or(0, String::len))
        .sum();
    let mut out = Vec::with_capacity(12 + rendered.html.len() + rendered.text.len() + strings);
    for n in [rendered.html.len(), rendered.text.len(), links.len()] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    out.extend_from_slice(rendered.html.as_bytes());
    out.extend_from_slice(rendered.text.as_bytes());
    for (file, url) in links {
        out.extend_from_slice(&(file.len() as u32).to_le_bytes());
        out.extend_from_slice(file.as_bytes());
        match url {
            Some(url) => {
                out.extend_from_slice(&(url.len() as u32).to_le_bytes());
                out.extend_from_slice(url.as_bytes());
            }
            None => out.extend_from_slice(&NO_URL.to_le_bytes()),
        }
    }
    out
}

/// The entry in `bytes`, if they are one whole.
fn decode(bytes: &[u8]) -> Option<Entry<'_>> {
    let mut r = Reader(bytes);
    let (html_len, text_len, links) = (r.u32()?, r.u32()?, r.u32()?);
    let html = r.str(html_len)?;
    let text = r.str(text_len)?;
    let mut entry = Entry {
        html,
        text,
        links: Vec::new(),
    };
    for _ in 0..links {
        let file_len = r.u32()?;
        let file = r.str(file_len)?;
        let url = match r.u32()? {
            NO_URL => None,
            len => Some(r.str(len)?),
        };
        entry.links.push((file, url));
    }
    r.0.is_empty().then_some(entry)
}

/// Reads little-endian numbers and strings off the front of bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }

    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.bytes(16)?.try_into().ok()?))
    }

    fn str(&mut self, len: u32) -> Option<&'a str> {
        simdutf8::basic::from_utf8(self.bytes(usize::try_from(len).ok()?)?).ok()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Fills `buffer` from `file` at `offset`.
#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    // Elsewhere one read at a time: the file position is shared.
    static READING: Mutex<()> = Mutex::new(());
    let _one = lock(&READING);
    file.seek(SeekFrom::Start(offset))?;
    std::io::Read::read_exact(&mut file, buffer)
}

#[cfg(test)]
mod tests {
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
    fn without_a_program_to_name_nothing_is_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let unnamed = BodyCache::with_header(dir.path().join(FILE), None);
        build(&unnamed, &[ESSAY], &context(&links));
        unnamed.save().expect("save");
        assert!(files(dir.path()).is_empty());
    }
}
