//! The file of the body cache: a header line naming the program, the entries, their
//! index, and a trailer giving the index's place and checksum (see the parent module).
//! An entry is three lengths (HTML, search text, links), the HTML, the text, then each
//! link's file and URL, each with its length first; numbers are little-endian.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use ahash::AHashMap;
use xxhash_rust::xxh3::xxh3_64;

use crate::markdown::Rendered;

/// The last bytes of a whole file.
const MAGIC: &[u8; 8] = b"JBBODIES";

/// Trailer: the index's place, length and checksum, then [`MAGIC`].
pub(super) const TRAILER: usize = 8 + 8 + 8 + MAGIC.len();

/// An index line: hash, place, length, checksum.
const INDEX_LINE: usize = 16 + 8 + 4 + 8;

/// A link that resolved to nothing, in place of a URL's length.
const NO_URL: u32 = u32::MAX;

/// The file the last build left.
pub(super) struct Last {
    pub(super) file: File,
    /// In the order of the file.
    pub(super) slots: Vec<Slot>,
    pub(super) by_hash: AHashMap<u128, usize>,
    /// Which slots this build took.
    pub(super) taken: Vec<AtomicBool>,
}

/// Where an entry is in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) hash: u128,
    pub(super) at: u64,
    pub(super) len: u32,
    pub(super) check: u64,
}

/// The file being made: created with the first entry rendered anew.
#[derive(Default)]
pub(super) struct Next {
    /// Buffered: a cold build adds ten thousand entries of a few kilobytes.
    pub(super) file: Option<(PathBuf, BufWriter<File>)>,
    /// Its length so far.
    pub(super) len: u64,
    pub(super) slots: Vec<Slot>,
    /// A write failed: this build leaves the last file as it is.
    pub(super) failed: bool,
}

/// How much of the next file is held before it is written.
const WRITE_BUFFER: usize = 1 << 20;

impl Last {
    /// The cache in `file` when it is one that `header`'s program wrote, whole.
    pub(super) fn read(file: &Path, header: &[u8]) -> Option<Last> {
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
    pub(super) fn append(
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
    pub(super) fn finish(
        &mut self,
        file: &Path,
        header: &[u8],
        last: Option<&Last>,
    ) -> std::io::Result<()> {
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
        let Some((temporary, mut out)) = self.file.take() else {
            return Err(std::io::Error::other("no cache file"));
        };
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
    pub(super) fn discard(&mut self) {
        if let Some((temporary, out)) = self.file.take() {
            // What the buffer still holds is dropped, not written.
            drop(out.into_parts());
            let _ = std::fs::remove_file(temporary);
        }
    }
}

impl Drop for Next {
    /// A build that fails before it saves leaves no half-made file behind.
    fn drop(&mut self) {
        self.discard();
    }
}

/// An entry: its HTML, its search text, and the files its links named with what they
/// resolved to.
pub(super) struct Entry<'a> {
    pub(super) html: &'a str,
    pub(super) text: &'a str,
    pub(super) links: Vec<(&'a str, Option<&'a str>)>,
}

/// The bytes of an entry: three lengths (HTML, text, links), the HTML, the text, then
/// each link's file and URL, each with its length first ([`NO_URL`] for none).
pub(super) fn encode(rendered: &Rendered, links: &[(String, Option<String>)]) -> Vec<u8> {
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
pub(super) fn decode(bytes: &[u8]) -> Option<Entry<'_>> {
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

/// Fills `buffer` from `file` at `offset`.
#[cfg(unix)]
pub(super) fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(not(unix))]
pub(super) fn read_at(mut file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    // Elsewhere one read at a time: the file position is shared.
    static READING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = super::lock(&READING);
    file.seek(SeekFrom::Start(offset))?;
    std::io::Read::read_exact(&mut file, buffer)
}
