//! What the last build wrote into an output directory, so the next one can tell which
//! files changed without reading them.
//!
//! For every file the manifest keeps its size and a 128-bit hash of its bytes (the
//! [`Digest`]), and what the file system said of it right after the write (the
//! [`Stamp`]: size, modification time, inode). A new build hashes what it makes; a file
//! whose digest equals the manifest's is left where it is, provided the file on disk
//! still has the stamp recorded for it. A file anyone touched since (edited, replaced,
//! deleted, or half-written by an interrupted build) has another stamp and is written
//! again, so a stale or foreign manifest costs writes, never a wrong page.
//!
//! It also keeps the stamp of every folder of the site as the build left it: a folder
//! whose stamp is the same at the next build holds exactly what the manifest says
//! (adding, removing or renaming anything in a folder changes its modification time),
//! so that build need not list it to find what no longer belongs there.
//!
//! The manifest is a text file in the content's cache (`.jianbao-cache/outputs/`), one
//! per output directory, never in the output itself (it would be deployed with it).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::{Xxh3, xxh3_64, xxh3_128};

/// The first word of a manifest; the number changes with the format.
const HEADER: &str = "jianbao-output-manifest 2";

/// The size and the hash of a file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest {
    len: u64,
    hash: u128,
}

impl Digest {
    pub fn of(bytes: &[u8]) -> Digest {
        Digest {
            len: bytes.len() as u64,
            hash: xxh3_128(bytes),
        }
    }
}

/// A digest made piece by piece, for a file written as it is made.
#[derive(Default, Clone)]
pub struct DigestWriter {
    len: u64,
    hasher: Xxh3,
}

impl DigestWriter {
    pub fn update(&mut self, bytes: &[u8]) {
        self.len += bytes.len() as u64;
        self.hasher.update(bytes);
    }

    pub fn finish(&self) -> Digest {
        Digest {
            len: self.len,
            hash: self.hasher.digest128(),
        }
    }
}

/// What the file system says of a file: changes whenever the file is written or
/// replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    /// Nanoseconds since 1970 (or before it, negative).
    modified_ns: i64,
    inode: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let modified_ns = match meta
            .modified()
            .map(|t| t.duration_since(std::time::UNIX_EPOCH))
        {
            Ok(Ok(since)) => i64::try_from(since.as_nanos()).unwrap_or(i64::MAX),
            Ok(Err(before)) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
            Err(_) => 0,
        };
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: meta.len(),
            modified_ns,
            inode,
        }
    }
}

/// One file of the output as the manifest knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub digest: Digest,
    pub stamp: Stamp,
}

/// The files of the last build of one output directory.
#[derive(Debug, Default)]
pub struct Manifest {
    entries: HashMap<String, Entry>,
    /// Folder (`""` for the output itself) -> its stamp when the last build ended.
    folders: HashMap<String, Stamp>,
}

impl Manifest {
    /// The manifest kept in `file` for `output`, if there is one that can be trusted to
    /// be about this directory; otherwise none, and the build writes every file.
    pub fn load(file: &Path, output: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(file).ok()?;
        let mut lines = text.lines();
        if lines.next()? != header(output) {
            return None;
        }
        let (mut entries, mut folders) = (HashMap::new(), HashMap::new());
        for line in lines {
            match line.strip_prefix(FOLDER) {
                Some(folder) => {
                    let (path, stamp) = parse_folder_line(folder)?;
                    folders.insert(path, stamp);
                }
                None => {
                    let (path, entry) = parse_line(line)?;
                    entries.insert(path, entry);
                }
            }
        }
        Some(Manifest { entries, folders })
    }

    /// The files the last build wrote.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Whether the last build wrote a file at `path`.
    pub fn has_file(&self, path: &str) -> bool {
        self.entries.contains_key(path)
    }

    /// The stamp of `folder` when the last build ended, if it was taken.
    pub fn folder(&self, folder: &str) -> Option<Stamp> {
        self.folders.get(folder).copied()
    }

    /// The entry of `path` when the file the last build wrote there is still there,
    /// untouched, and holds bytes with this digest.
    pub fn unchanged(&self, output: &Path, path: &str, digest: Digest) -> Option<Entry> {
        let entry = self.entries.get(path)?;
        if entry.digest != digest {
            return None;
        }
        let meta = output.join(path).symlink_metadata().ok()?;
        (meta.is_file() && Stamp::of(&meta) == entry.stamp).then_some(*entry)
    }

    /// Writes the manifest of `output` into `file`, whole or not at all (a temporary
    /// file renamed over it).
    pub fn save<'a>(
        file: &Path,
        output: &Path,
        entries: impl Iterator<Item = (&'a str, Entry)>,
        folders: impl Iterator<Item = (&'a str, Stamp)>,
    ) -> std::io::Result<()> {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let temporary = file.with_extension(format!("tmp-{}", std::process::id()));
        let written = write_lines(&temporary, output, entries, folders)
            .and_then(|()| std::fs::rename(&temporary, file));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(e);
        }
        if let Some(dir) = file.parent() {
            remove_stale(dir);
        }
        Ok(())
    }
}

/// Writes the lines of a manifest into a new file `temporary`, a megabyte at a time: the
/// manifest of a 100,000-record site is 15 MB, and made whole in memory it was grown by
/// doubling, every step fresh memory for the kernel to fault in (saving it took 0.11 s
/// that way, 0.02 to 0.05 s this way).
fn write_lines<'a>(
    temporary: &Path,
    output: &Path,
    entries: impl Iterator<Item = (&'a str, Entry)>,
    folders: impl Iterator<Item = (&'a str, Stamp)>,
) -> std::io::Result<()> {
    const CHUNK: usize = 1 << 20;
    let mut out = std::fs::File::create(temporary)?;
    let mut text = String::with_capacity(CHUNK + 4096);
    text.push_str(&header(output));
    text.push('\n');
    let mut flush_full = |text: &mut String| {
        if text.len() < CHUNK {
            return Ok(());
        }
        let written = out.write_all(text.as_bytes());
        text.clear();
        written
    };
    // A path with a line break cannot be written on a line: its file is simply
    // written again by the next build.
    for (path, entry) in entries.filter(|(path, _)| !path.contains('\n')) {
        push_line(&mut text, path, &entry);
        flush_full(&mut text)?;
    }
    // A folder left out is listed by the next build, as before there were stamps.
    for (path, stamp) in folders.filter(|(path, _)| !path.contains('\n')) {
        push_folder_line(&mut text, path, &stamp);
        flush_full(&mut text)?;
    }
    out.write_all(text.as_bytes())?;
    out.sync_all()
}

/// Deletes the manifests in `dir` of output directories that are gone (a test's
/// temporary output, a renamed site): without this the cache would keep one per
/// directory ever built into.
fn remove_stale(dir: &Path) {
    use std::io::BufRead;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        // Another build's manifest being written.
        if path
            .extension()
            .is_some_and(|e| e.to_string_lossy().starts_with("tmp-"))
        {
            continue;
        }
        let mut first = String::new();
        let read = std::fs::File::open(&path)
            .and_then(|f| std::io::BufReader::new(f).read_line(&mut first));
        let output = (first.strip_suffix('\n').unwrap_or(&first))
            .strip_prefix(HEADER)
            .and_then(|rest| rest.strip_prefix(' '));
        let gone = match (read, output) {
            (Ok(_), Some(output)) => !Path::new(output).is_dir(),
            // Not a manifest of this version: it would never be loaded again.
            (Ok(_), None) => true,
            (Err(_), _) => false,
        };
        if gone {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Where the manifest of `output` is kept, in the cache directory `cache`. The name is a
/// hash of the output's absolute path, so each output directory has its own.
pub fn file_for(cache: &Path, output: &Path) -> PathBuf {
    let name = format!(
        "{:016x}",
        xxh3_64(absolute(output).as_os_str().as_encoded_bytes())
    );
    cache.join("outputs").join(name)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The first line: the format, and the directory the manifest is about.
fn header(output: &Path) -> String {
    format!("{HEADER} {}", absolute(output).display())
}

/// Appends the line of one file, `len hash modified_ns inode path` (the hash in 32
/// hexadecimal digits), as [`parse_line`] reads it. Written without the formatter: a
/// big site's manifest has a line per file, saved at the end of the build by one core.
fn push_line(text: &mut String, path: &str, Entry { digest, stamp }: &Entry) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut number = itoa::Buffer::new();
    text.push_str(number.format(digest.len));
    text.push(' ');
    for shift in (0..32).rev() {
        text.push(char::from(
            HEX[((digest.hash >> (shift * 4)) & 0xF) as usize],
        ));
    }
    text.push(' ');
    text.push_str(number.format(stamp.modified_ns));
    text.push(' ');
    text.push_str(number.format(stamp.inode));
    text.push(' ');
    text.push_str(path);
    text.push('\n');
}

/// What starts the line of a folder.
const FOLDER: &str = "/ ";

/// Appends the line of one folder, `/ len modified_ns inode path` (`path` empty for the
/// output itself), as [`parse_folder_line`] reads it after the `/ `.
fn push_folder_line(text: &mut String, path: &str, stamp: &Stamp) {
    let mut number = itoa::Buffer::new();
    text.push_str(FOLDER);
    for n in [
        stamp.len as i128,
        i128::from(stamp.modified_ns),
        i128::from(stamp.inode),
    ] {
        text.push_str(number.format(n));
        text.push(' ');
    }
    text.push_str(path);
    text.push('\n');
}

/// `len modified_ns inode path`, the rest of a folder's line.
fn parse_folder_line(line: &str) -> Option<(String, Stamp)> {
    let mut fields = line.splitn(4, ' ');
    let stamp = Stamp {
        len: fields.next()?.parse().ok()?,
        modified_ns: fields.next()?.parse().ok()?,
        inode: fields.next()?.parse().ok()?,
    };
    Some((fields.next()?.to_string(), stamp))
}

/// `len hash modified_ns inode path`; none for a line that is not one (the whole
/// manifest is then ignored).
fn parse_line(line: &str) -> Option<(String, Entry)> {
    let mut fields = line.splitn(5, ' ');
    let len = fields.next()?.parse().ok()?;
    let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
    let modified_ns = fields.next()?.parse().ok()?;
    let inode = fields.next()?.parse().ok()?;
    let path = fields.next()?.to_string();
    let entry = Entry {
        digest: Digest { len, hash },
        stamp: Stamp {
            len,
            modified_ns,
            inode,
        },
    };
    Some((path, entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_written_as_the_formatter_wrote_them() {
        let stamps = [
            (0, 0, 0),
            (5_000, u128::MAX, -1),
            (7, 0xABC, 1_700_000_000_123_456_789),
        ];
        for (len, hash, modified_ns) in stamps {
            let entry = Entry {
                digest: Digest { len, hash },
                stamp: Stamp {
                    len,
                    modified_ns,
                    inode: 42,
                },
            };
            let mut line = String::new();
            push_line(&mut line, "tags/党章/index.html", &entry);
            assert_eq!(
                line,
                format!("{len} {hash:032x} {modified_ns} 42 tags/党章/index.html\n")
            );
            assert_eq!(parse_line(line.trim_end()).map(|(_, e)| e), Some(entry));
        }
    }

    #[test]
    fn a_saved_manifest_loads_for_its_own_output_only() {
        let tmp = tempfile::tempdir().expect("tmp");
        let output = tmp.path().join("public");
        std::fs::create_dir_all(output.join("a b")).expect("dir");
        std::fs::write(output.join("a b/index.html"), "page").expect("write");
        let meta = output.join("a b/index.html").metadata().expect("meta");
        let entry = Entry {
            digest: Digest::of(b"page"),
            stamp: Stamp::of(&meta),
        };
        let file = file_for(&tmp.path().join("cache"), &output);
        let folders = [
            ("", Stamp::of(&output.metadata().expect("meta"))),
            (
                "a b",
                Stamp::of(&output.join("a b").metadata().expect("meta")),
            ),
        ];
        Manifest::save(
            &file,
            &output,
            [("a b/index.html", entry)].into_iter(),
            folders.into_iter(),
        )
        .expect("save");

        let manifest = Manifest::load(&file, &output).expect("load");
        for (folder, stamp) in folders {
            assert_eq!(manifest.folder(folder), Some(stamp), "{folder:?}");
        }
        assert_eq!(manifest.folder("other"), None);
        assert_eq!(manifest.files().collect::<Vec<_>>(), ["a b/index.html"]);
        assert_eq!(
            manifest.unchanged(&output, "a b/index.html", Digest::of(b"page")),
            Some(entry)
        );
        assert_eq!(
            manifest.unchanged(&output, "a b/index.html", Digest::of(b"new")),
            None
        );
        assert_eq!(
            manifest.unchanged(&output, "other.html", Digest::of(b"page")),
            None
        );
        let elsewhere = tmp.path().join("public2");
        assert!(
            Manifest::load(&file, &elsewhere).is_none(),
            "about another directory"
        );
        assert_ne!(file_for(&tmp.path().join("cache"), &elsewhere), file);
    }

    #[test]
    fn a_file_touched_since_the_build_is_not_unchanged() {
        let tmp = tempfile::tempdir().expect("tmp");
        let output = tmp.path().join("public");
        std::fs::create_dir_all(&output).expect("dir");
        let page = output.join("index.html");
        std::fs::write(&page, "page").expect("write");
        let entry = Entry {
            digest: Digest::of(b"page"),
            stamp: Stamp::of(&page.metadata().expect("meta")),
        };
        let file = tmp.path().join("manifest");
        Manifest::save(
            &file,
            &output,
            [("index.html", entry)].into_iter(),
            std::iter::empty(),
        )
        .expect("save");
        // Replaced by another file with the same bytes (the old one kept elsewhere, so
        // the new one cannot get its inode).
        std::fs::rename(&page, tmp.path().join("old.html")).expect("rename");
        std::fs::write(&page, "page").expect("write");
        let manifest = Manifest::load(&file, &output).expect("load");
        assert_eq!(
            manifest.unchanged(&output, "index.html", Digest::of(b"page")),
            None
        );
        std::fs::remove_file(&page).expect("remove");
        assert_eq!(
            manifest.unchanged(&output, "index.html", Digest::of(b"page")),
            None
        );
    }

    #[test]
    fn saving_a_manifest_deletes_those_of_outputs_that_are_gone() {
        let tmp = tempfile::tempdir().expect("tmp");
        let cache = tmp.path().join("cache");
        let (kept, gone) = (tmp.path().join("public"), tmp.path().join("old-public"));
        std::fs::create_dir_all(&kept).expect("kept");
        std::fs::create_dir_all(&gone).expect("gone");
        let (kept_file, gone_file) = (file_for(&cache, &kept), file_for(&cache, &gone));
        Manifest::save(&gone_file, &gone, std::iter::empty(), std::iter::empty()).expect("save");
        std::fs::remove_dir(&gone).expect("remove the output");
        std::fs::write(cache.join("outputs/old-format"), "something else\n").expect("write");
        Manifest::save(&kept_file, &kept, std::iter::empty(), std::iter::empty()).expect("save");
        let left: Vec<_> = std::fs::read_dir(cache.join("outputs"))
            .expect("list")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(left, [kept_file]);
    }

    #[test]
    fn a_damaged_manifest_is_ignored() {
        let tmp = tempfile::tempdir().expect("tmp");
        let output = tmp.path().join("public");
        let file = tmp.path().join("manifest");
        for text in [
            String::new(),
            "something else\n".to_string(),
            format!("{}\n4 zz 1 2 index.html\n", header(&output)),
            format!("{}\n4 00ff 1\n", header(&output)),
        ] {
            std::fs::write(&file, text).expect("write");
            assert!(Manifest::load(&file, &output).is_none());
        }
    }

    #[test]
    fn a_digest_made_piece_by_piece_equals_the_whole() {
        let mut pieces = DigestWriter::default();
        pieces.update("学习".as_bytes());
        pieces.update(b"");
        pieces.update("简报".as_bytes());
        assert_eq!(pieces.finish(), Digest::of("学习简报".as_bytes()));
        assert_ne!(Digest::of(b"a"), Digest::of(b"b"));
    }
}
