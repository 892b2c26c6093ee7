//! The only writer into the output directory.
//!
//! A build's files are written into a staging directory beside the target (same parent,
//! so moving them in is a rename on one file system). Only when every file was made
//! does the output change, so a build that fails at any point leaves the previous
//! output exactly as it was and removes its stage. Files are written in parallel; what
//! is written depends only on the input, never on time or thread scheduling.
//!
//! The first build of an output directory fills the stage with the whole site and swaps
//! it in: the old output is renamed away, the stage renamed in, the old one deleted.
//! Later builds know from the [`manifest`] what the last one wrote: a file whose bytes
//! did not change is not written at all, only the changed files go into the stage, and
//! they are then moved into the output one by one, and what the site no longer has is
//! deleted. A rebuild after one edit so writes a handful of files instead of tens of
//! thousands (on a disk, making the folders and files of a big site costs more than
//! rendering it), and unchanged files keep their modification time for deployment
//! tools (rsync, make). A reader of the output never sees a half-written file: each one
//! arrives by a rename.

mod manifest;
mod update;

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::folders::Folders;
use manifest::{Digest, DigestWriter, Entry, Manifest, Stamp};
use update::update;

pub use manifest::file_for as manifest_file;

/// Where the bytes of an output file come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Rendered in memory (pages, feeds).
    Bytes(Vec<u8>),
    /// Compiled into the binary (the embedded theme's static files).
    Static(&'static [u8]),
    /// Copied from a file as it is (site assets, a theme folder's static files).
    File(PathBuf),
}

/// One file of the site: its path relative to the output directory, `/`-separated.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub source: Source,
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.into(),
            source: Source::Bytes(bytes),
        }
    }
}

/// What a write did to the output directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files written (all of them when the output was made anew).
    pub written: usize,
    /// Files left as they were, their bytes unchanged since the last build.
    pub unchanged: usize,
    /// Files of the last build (or put there by hand) that the site no longer has.
    pub deleted: usize,
}

/// Writes `files` as the new content of `output`, atomically: either every file is in
/// place, or the previous output is untouched.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<Changes> {
    write_site_generated(output, None, files, &[], 0, &|_, _| Ok(()))
}

/// Makes the generated file at an index of the `generated` paths into a [`Generated`]
/// with an empty buffer.
pub type Produce<'a> = dyn Fn(usize, &mut Generated) -> Result<()> + Sync + 'a;

/// A generated file being made. Its bytes go into a buffer that the thread reuses; a
/// file made through [`std::io::Write`] passes them on to its file in the stage whenever
/// they pass [`SPILL_AT`], so a file of megabytes (the search index) is never held whole.
pub struct Generated<'a> {
    pub bytes: &'a mut Vec<u8>,
    target: PathBuf,
    file: Option<std::fs::File>,
    /// The digest of what was passed on to the file.
    spilled: DigestWriter,
}

/// How much of a file made through `Write` is held before it is written out.
const SPILL_AT: usize = 1 << 20;

impl Generated<'_> {
    /// Writes the buffer to the file in the stage, which it creates on first use.
    fn spill(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        let file = match &mut self.file {
            Some(file) => file,
            None => {
                if let Some(dir) = self.target.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                self.file.insert(std::fs::File::create(&self.target)?)
            }
        };
        file.write_all(self.bytes)?;
        self.spilled.update(self.bytes);
        self.bytes.clear();
        Ok(())
    }

    /// Writes the rest of a file that was written as it was made; when the previous
    /// output already has these bytes, the staged copy is removed again.
    fn finish_spilled<'p>(&mut self, stage: &Stage, path: &'p str) -> std::io::Result<Written<'p>> {
        self.spill()?;
        let digest = self.spilled.finish();
        if let Some(entry) = stage.unchanged(path, digest) {
            self.file = None;
            std::fs::remove_file(&self.target)?;
            return Ok(Written::kept(path, entry));
        }
        // `spill` has made the file.
        let meta = self.target.metadata()?;
        Ok(Written::staged(path, digest, Stamp::of(&meta)))
    }
}

impl std::io::Write for Generated<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        if self.bytes.len() >= SPILL_AT {
            self.spill()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Like [`write_site`], with files whose bytes are made while the site is written:
/// `produce(i, file)` makes `generated[i]` into a [`Generated`], whose buffer each thread
/// reuses (no page is allocated and grown afresh), written at once, so a big site is
/// never held in memory whole. The generated files are started first, in their order
/// (put the slowest first); the first `first` of them are all made before any other
/// file (what they leave behind may be used by the others). An error from `produce`
/// fails the write like an I/O error: the previous output stays.
///
/// With a `manifest` file, what was written is recorded there, and a later build into
/// the same output writes only the files that changed (see the module's comment).
pub fn write_site_generated(
    output: &Path,
    manifest: Option<&Path>,
    files: &[OutputFile],
    generated: &[&str],
    first: usize,
    produce: &Produce,
) -> Result<Changes> {
    for path in files
        .iter()
        .map(|f| f.path.as_str())
        .chain(generated.iter().copied())
    {
        check_relative(path)?;
    }
    // An output that is a link to a folder (a web server's root on another disk) stays
    // a link: the site is written into the folder it points to, staged beside it.
    let linked = match output.symlink_metadata() {
        Ok(meta) if meta.file_type().is_symlink() && output.is_dir() => {
            Some(output.canonicalize().map_err(|e| Error::io(output, e))?)
        }
        _ => None,
    };
    let output = linked.as_deref().unwrap_or(output);
    let name = output
        .file_name()
        .ok_or_else(|| {
            Error::Usage(format!(
                "`{}` cannot be an output directory",
                output.display()
            ))
        })?
        .to_string_lossy()
        .into_owned();
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let pid = std::process::id();
    let stage = parent.join(format!(".{name}.stage-{pid}"));
    let old = parent.join(format!(".{name}.old-{pid}"));
    remove_if_exists(&stage)?;
    remove_if_exists(&old)?;

    let previous = match manifest {
        Some(file) if output.is_dir() => Manifest::load(file, output),
        _ => None,
    };
    std::fs::create_dir(&stage).map_err(|e| Error::io(&stage, e))?;
    let written = match crate::timing::phase("fill stage", || {
        let stage_files = Stage {
            dir: &stage,
            folders: Folders::new(&stage).map_err(|e| Error::io(&stage, e))?,
            output,
            previous: previous.as_ref(),
        };
        fill(&stage_files, files, generated, first, produce)
    }) {
        Ok(written) => written,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&stage);
            return Err(e);
        }
    };
    let staged = written.iter().filter(|w| w.staged).count();
    let (deleted, folders) = match &previous {
        Some(previous) => crate::timing::phase("update output", || {
            update(output, &stage, &written, previous)
        })?,
        None => {
            swap(output, &stage, &old)?;
            // The next build lists every folder once, and takes their stamps.
            (0, Vec::new())
        }
    };
    if let Some(file) = manifest {
        // Without a manifest the next build writes every file again: nothing is lost.
        let _ = crate::timing::phase("save manifest", || {
            Manifest::save(
                file,
                output,
                written.iter().map(|w| (w.path, w.entry)),
                folders.iter().map(|(path, stamp)| (*path, *stamp)),
            )
        });
    }
    Ok(Changes {
        written: staged,
        unchanged: written.len() - staged,
        deleted,
    })
}

/// Puts the stage, a whole site, in the place of `output`.
fn swap(output: &Path, stage: &Path, old: &Path) -> Result<()> {
    let had_output = output.symlink_metadata().is_ok();
    if had_output && let Err(e) = std::fs::rename(output, old) {
        let _ = std::fs::remove_dir_all(stage);
        return Err(Error::io(output, e));
    }
    if let Err(e) = std::fs::rename(stage, output) {
        if had_output {
            let _ = std::fs::rename(old, output);
        }
        let _ = std::fs::remove_dir_all(stage);
        return Err(Error::io(output, e));
    }
    if had_output {
        // The new site is in place; failing to delete the old copy loses nothing.
        let _ = crate::timing::phase("remove old output", || remove_tree(old));
    }
    Ok(())
}

/// One file to put in the stage.
enum Job<'a> {
    Generated(usize, &'a str),
    Given(&'a OutputFile),
}

/// A file of the new site: what the manifest will say of it, and whether it is in the
/// stage (new or changed) or already in the output as it should be.
struct Written<'a> {
    path: &'a str,
    entry: Entry,
    staged: bool,
}

impl<'a> Written<'a> {
    fn kept(path: &'a str, entry: Entry) -> Self {
        Written {
            path,
            entry,
            staged: false,
        }
    }

    fn staged(path: &'a str, digest: Digest, stamp: Stamp) -> Self {
        Written {
            path,
            entry: Entry { digest, stamp },
            staged: true,
        }
    }
}

thread_local! {
    /// The buffer a writing thread makes its generated files in.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The buffer a writing thread reads a copied file into.
    static COPIED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The largest buffer a thread keeps between files.
const KEPT_BUFFER: usize = 4 << 20;

/// The directory being filled, and what the last build left in the output.
struct Stage<'a> {
    dir: &'a Path,
    /// Its folders, kept open while it is filled.
    folders: Folders,
    output: &'a Path,
    previous: Option<&'a Manifest>,
}

impl Stage<'_> {
    /// What the manifest says of `path`, when the output holds it with these bytes.
    fn unchanged(&self, path: &str, digest: Digest) -> Option<Entry> {
        self.previous?.unchanged(self.output, path, digest)
    }

    /// Puts a file with these bytes into the stage, unless the output has them already.
    fn put<'p>(&self, path: &'p str, bytes: &[u8]) -> Result<Written<'p>> {
        let digest = Digest::of(bytes);
        if let Some(entry) = self.unchanged(path, digest) {
            return Ok(Written::kept(path, entry));
        }
        let write = || -> std::io::Result<Stamp> {
            use std::io::Write;
            let mut file = self.folders.create(path)?;
            file.write_all(bytes)?;
            Ok(Stamp::of(&file.metadata()?))
        };
        let stamp = write().map_err(|e| Error::io(self.dir.join(path), e))?;
        Ok(Written::staged(path, digest, stamp))
    }

    /// Puts a copy of the file `from`.
    fn copy<'p>(&self, path: &'p str, from: &Path) -> Result<Written<'p>> {
        use std::io::Read;
        COPIED.with_borrow_mut(|bytes| {
            bytes.clear();
            let read = std::fs::File::open(from).and_then(|mut f| f.read_to_end(bytes));
            let written = match read {
                Ok(_) => self.put(path, bytes),
                Err(e) => Err(Error::io(
                    self.dir.join(path),
                    std::io::Error::new(e.kind(), format!("copying {}: {e}", from.display())),
                )),
            };
            if bytes.capacity() > KEPT_BUFFER {
                *bytes = Vec::new();
            }
            written
        })
    }
}

/// Writes every file into the stage: `generated[..first]` before the rest.
fn fill<'a>(
    stage: &Stage,
    files: &'a [OutputFile],
    generated: &[&'a str],
    first: usize,
    produce: &Produce,
) -> Result<Vec<Written<'a>>> {
    let first = first.min(generated.len());
    let jobs = |range: std::ops::Range<usize>| -> Vec<Job> {
        (range.map(|i| Job::Generated(i, generated[i]))).collect()
    };
    let mut written = put_all(stage, &jobs(0..first), produce)?;
    let mut rest = jobs(first..generated.len());
    rest.extend(files.iter().map(Job::Given));
    written.append(&mut put_all(stage, &rest, produce)?);
    Ok(written)
}

/// Makes and writes `jobs` into the stage, in parallel.
fn put_all<'a>(stage: &Stage, jobs: &[Job<'a>], produce: &Produce) -> Result<Vec<Written<'a>>> {
    // Each job fills its own slot: collecting results in a Result would gather them
    // in a list of one-item vectors first (a megabyte or two at 10,000 pages).
    let mut written: Vec<Option<Written>> =
        std::iter::repeat_with(|| None).take(jobs.len()).collect();
    // One job per rayon task: a generated file can take as long as hundreds of others.
    jobs.par_iter()
        .zip(written.par_iter_mut())
        .with_max_len(1)
        .try_for_each(|(job, slot)| -> Result<()> {
            *slot = Some(put_one(stage, job, produce)?);
            Ok(())
        })?;
    Ok(written.into_iter().flatten().collect())
}

/// Makes and writes one job into the stage.
fn put_one<'a>(stage: &Stage, job: &Job<'a>, produce: &Produce) -> Result<Written<'a>> {
    match job {
        Job::Generated(i, path) => BUFFER.with_borrow_mut(|buffer| {
            buffer.clear();
            let mut out = Generated {
                bytes: buffer,
                target: stage.dir.join(path),
                file: None,
                spilled: DigestWriter::default(),
            };
            produce(*i, &mut out)?;
            let written = match out.file {
                Some(_) => (out.finish_spilled(stage, path)).map_err(|e| Error::io(&out.target, e)),
                None => stage.put(path, out.bytes),
            };
            // A rare huge file (a year's evaluation) should not stay allocated.
            if buffer.capacity() > KEPT_BUFFER {
                *buffer = Vec::new();
            }
            written
        }),
        Job::Given(f) => match &f.source {
            Source::Bytes(bytes) => stage.put(&f.path, bytes),
            Source::Static(bytes) => stage.put(&f.path, bytes),
            Source::File(from) => stage.copy(&f.path, from),
        },
    }
}

fn make_parent(target: &Path) -> Result<()> {
    match target.parent() {
        Some(dir) => std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e)),
        None => Ok(()),
    }
}

/// Deletes a directory tree, its folders in parallel (a big site has tens of
/// thousands of files, one folder per page). Returns the number of files deleted.
fn remove_tree(dir: &Path) -> Result<usize> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .collect();
    let deleted = entries
        .par_iter()
        .map(|entry| {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => remove_tree(&path),
                _ => (std::fs::remove_file(&path).map(|()| 1)).map_err(|e| Error::io(&path, e)),
            }
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))?;
    Ok(deleted)
}

fn remove_if_exists(path: &Path) -> Result<()> {
    match path.symlink_metadata() {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path).map_err(|e| Error::io(path, e)),
        Ok(_) => std::fs::remove_file(path).map_err(|e| Error::io(path, e)),
        Err(_) => Ok(()),
    }
}

/// Output paths come from record paths and tags: refuse anything that would land
/// outside the output directory.
fn check_relative(path: &str) -> Result<()> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "refusing to write `{path}` outside the output directory"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .filter_map(|e| e.ok())
            .map(|e| {
                e.path()
                    .strip_prefix(dir)
                    .expect("prefix")
                    .display()
                    .to_string()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_then_replaces_the_whole_output() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("public");
        write_site(
            &out,
            &[
                OutputFile::bytes("index.html", b"one".to_vec()),
                OutputFile::bytes("a/b/index.html", b"two".to_vec()),
            ],
        )
        .expect("first");
        assert_eq!(listing(&out), ["a", "a/b", "a/b/index.html", "index.html"]);
        write_site(&out, &[OutputFile::bytes("c.txt", b"three".to_vec())]).expect("second");
        assert_eq!(listing(&out), ["c.txt"]);
        assert_eq!(
            listing(tmp.path()),
            ["public", "public/c.txt"],
            "no stage left"
        );
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("public");
        write_site(&out, &[OutputFile::bytes("index.html", b"one".to_vec())]).expect("first");
        let missing = OutputFile {
            path: "x.png".into(),
            source: Source::File(tmp.path().join("does-not-exist.png")),
        };
        assert!(write_site(&out, &[missing]).is_err());
        assert!(write_site(&out, &[OutputFile::bytes("../evil", Vec::new())]).is_err());
        assert_eq!(listing(tmp.path()), ["public", "public/index.html"]);
        assert_eq!(std::fs::read(out.join("index.html")).expect("read"), b"one");
    }

    #[test]
    fn a_generated_file_written_as_it_is_made_arrives_whole() {
        use std::io::Write;
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("public");
        let line = b"0123456789abcdef\n";
        let lines = 3 * SPILL_AT / line.len();
        let produce = |i: usize, file: &mut Generated| -> Result<()> {
            if i == 0 {
                for _ in 0..lines {
                    file.write_all(line)
                        .map_err(|e| Error::io(Path::new("big"), e))?;
                }
            } else {
                file.bytes.extend_from_slice(b"small");
            }
            Ok(())
        };
        for _ in 0..2 {
            write_site_generated(
                &out,
                None,
                &[],
                &["search/index.js", "index.html"],
                0,
                &produce,
            )
            .expect("write");
            let big = std::fs::read(out.join("search/index.js")).expect("big");
            assert_eq!(big.len(), lines * line.len());
            assert!(big.chunks(line.len()).all(|l| l == line));
            assert_eq!(
                std::fs::read(out.join("index.html")).expect("small"),
                b"small"
            );
        }
    }

    #[test]
    fn the_first_generated_files_are_all_made_before_the_others() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("public");
        let paths: Vec<String> = (0..40).map(|i| format!("p{i}/index.html")).collect();
        let generated: Vec<&str> = paths.iter().map(String::as_str).collect();
        let order = std::sync::Mutex::new(Vec::new());
        let produce = |i: usize, file: &mut Generated| -> Result<()> {
            order.lock().expect("order").push(i);
            file.bytes.extend_from_slice(b"page");
            Ok(())
        };
        write_site_generated(&out, None, &[], &generated, 30, &produce).expect("write");
        let order = order.into_inner().expect("order");
        assert_eq!(order.len(), 40);
        assert!(order[..30].iter().all(|&i| i < 30), "{order:?}");
        assert_eq!(
            std::fs::read(out.join("p39/index.html")).expect("p39"),
            b"page"
        );
    }

    /// A build with a manifest, as `jianbao build` writes.
    fn build(out: &Path, manifest: &Path, files: &[(&str, &str)]) -> Result<Changes> {
        let files: Vec<OutputFile> = (files.iter())
            .map(|(path, text)| OutputFile::bytes(*path, text.as_bytes().to_vec()))
            .collect();
        write_site_generated(out, Some(manifest), &files, &[], 0, &|_, _| Ok(()))
    }

    fn inode(file: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&file.metadata().expect("meta"))
    }

    #[test]
    fn a_rebuild_writes_only_what_changed_and_deletes_what_is_gone() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (out, manifest) = (tmp.path().join("public"), tmp.path().join("manifest"));
        let first = [
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("gone/deep/index.html", "gone"),
            ("style.css", "css"),
        ];
        build(&out, &manifest, &first).expect("first");
        let unchanged = || {
            [
                inode(&out.join("index.html")),
                inode(&out.join("style.css")),
            ]
        };
        let kept = unchanged();
        std::fs::write(out.join("stray.txt"), "put here by hand").expect("stray");

        let second = [
            ("index.html", "home"),
            ("a/index.html", "a, edited"),
            ("b/index.html", "new"),
            ("style.css", "css"),
        ];
        let changes = build(&out, &manifest, &second).expect("second");
        // Written: a (edited) and b (new); unchanged: home and style; deleted: the page
        // that is gone and the file put there by hand.
        let expected = Changes {
            written: 2,
            unchanged: 2,
            deleted: 2,
        };
        assert_eq!(changes, expected);
        assert_eq!(
            listing(&out),
            [
                "a",
                "a/index.html",
                "b",
                "b/index.html",
                "index.html",
                "style.css"
            ]
        );
        for (path, text) in second {
            assert_eq!(std::fs::read_to_string(out.join(path)).expect(path), text);
        }
        assert_eq!(unchanged(), kept, "unchanged files are not written again");
        assert_eq!(
            listing(tmp.path()),
            [
                "manifest",
                "public",
                "public/a",
                "public/a/index.html",
                "public/b"
            ]
            .into_iter()
            .chain([
                "public/b/index.html",
                "public/index.html",
                "public/style.css"
            ])
            .collect::<Vec<_>>(),
            "no stage left"
        );
    }

    #[test]
    fn a_rebuild_restores_a_file_changed_by_hand_and_handles_files_that_became_folders() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (out, manifest) = (tmp.path().join("public"), tmp.path().join("manifest"));
        build(
            &out,
            &manifest,
            &[("index.html", "home"), ("x", "file"), ("y/z", "z")],
        )
        .expect("first");
        std::fs::write(out.join("index.html"), "edited by hand").expect("edit");
        build(
            &out,
            &manifest,
            &[("index.html", "home"), ("x/z", "z"), ("y", "file")],
        )
        .expect("second");
        assert_eq!(listing(&out), ["index.html", "x", "x/z", "y"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).expect("home"),
            "home"
        );
        assert_eq!(std::fs::read_to_string(out.join("y")).expect("y"), "file");
    }

    /// From the third build on, a folder whose stamp is as the last build left it holds
    /// what the manifest says: what the site no longer has is deleted from the manifest
    /// alone, and only the other folders are listed.
    #[test]
    fn a_rebuild_lists_only_the_folders_changed_since_the_last_build() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (out, manifest) = (tmp.path().join("public"), tmp.path().join("manifest"));
        let first = [
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("gone/deep/index.html", "gone"),
            ("x", "file"),
            ("y/index.html", "y"),
            ("k/one.html", "1"),
            ("k/two.html", "2"),
            ("k/old/index.html", "old"),
        ];
        build(&out, &manifest, &first).expect("first");
        // Every folder listed once, and its stamp taken.
        build(&out, &manifest, &first).expect("second");
        let modified = |dir: &Path| dir.metadata().and_then(|m| m.modified()).expect("time");
        let set_modified = |dir: &Path, time| {
            (std::fs::File::open(dir))
                .and_then(|d| d.set_modified(time))
                .expect("set time");
        };
        // A file put into `a` behind the stamp's back (its time put back): not seen.
        let a = out.join("a");
        let a_time = modified(&a);
        std::fs::write(a.join("hidden.txt"), "by hand").expect("write");
        set_modified(&a, a_time);
        // The same in `k`, whose page the site drops: it goes by the manifest.
        let k = out.join("k");
        let k_time = modified(&k);
        std::fs::write(k.join("hidden.txt"), "by hand").expect("write");
        set_modified(&k, k_time);
        // A file put into the output itself: its stamp changed, it is listed.
        std::fs::write(out.join("stray.txt"), "by hand").expect("write");

        let third = [
            ("index.html", "home"),
            ("a/index.html", "a, edited"),
            ("x/index.html", "x"),
            ("y", "file"),
            ("k/one.html", "1"),
        ];
        let changes = build(&out, &manifest, &third).expect("third");
        // Deleted: gone's page, the file x and y's page (folders now the other way
        // round), the stray file; in `k`, known from the manifest, two.html and old/.
        assert_eq!(changes.deleted, 6, "{changes:?}");
        assert_eq!(
            listing(&out),
            [
                "a",
                "a/hidden.txt",
                "a/index.html",
                "index.html",
                "k",
                "k/hidden.txt",
                "k/one.html",
                "x",
                "x/index.html",
                "y"
            ]
        );
        assert_eq!(std::fs::read_to_string(out.join("y")).expect("y"), "file");

        // Once its folder changed as anything changes it, the file is seen and deleted.
        set_modified(&a, a_time - std::time::Duration::from_secs(10));
        let changes = build(&out, &manifest, &third).expect("fourth");
        assert_eq!((changes.written, changes.deleted), (0, 1), "{changes:?}");
        assert!(!a.join("hidden.txt").exists());
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_links_to_a_folder_stays_a_link() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (target, out) = (tmp.path().join("www"), tmp.path().join("public"));
        std::fs::create_dir(&target).expect("target");
        std::os::unix::fs::symlink(&target, &out).expect("link");
        let manifest = tmp.path().join("manifest");
        build(&out, &manifest, &[("index.html", "one")]).expect("first");
        build(&out, &manifest, &[("index.html", "two"), ("a/b.html", "b")]).expect("second");
        assert!(
            out.symlink_metadata()
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(listing(&target), ["a", "a/b.html", "index.html"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).expect("read"),
            "two"
        );
        assert!(write_site(&out, &[OutputFile::bytes("c.html", b"c".to_vec())]).is_ok());
        assert!(
            out.symlink_metadata()
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(listing(&target), ["c.html"]);
    }

    #[test]
    fn a_failed_rebuild_keeps_the_previous_output() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (out, manifest) = (tmp.path().join("public"), tmp.path().join("manifest"));
        build(
            &out,
            &manifest,
            &[("index.html", "home"), ("a/index.html", "a")],
        )
        .expect("first");
        let failing = |i: usize, file: &mut Generated| -> Result<()> {
            file.bytes.extend_from_slice(b"changed");
            match i {
                0 => Ok(()),
                _ => Err(Error::Usage("a template failed".into())),
            }
        };
        let generated = ["index.html", "b/index.html"];
        assert!(write_site_generated(&out, Some(&manifest), &[], &generated, 0, &failing).is_err());
        assert_eq!(listing(&out), ["a", "a/index.html", "index.html"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).expect("home"),
            "home"
        );
        assert_eq!(
            listing(tmp.path()).len(),
            5,
            "no stage left: {:?}",
            listing(tmp.path())
        );
    }

    #[test]
    fn a_file_written_as_it_is_made_is_kept_when_it_did_not_change() {
        use std::io::Write;
        let tmp = tempfile::tempdir().expect("tmp");
        let (out, manifest) = (tmp.path().join("public"), tmp.path().join("manifest"));
        let line = b"0123456789abcdef\n";
        let text = std::sync::Mutex::new(line.repeat(2 * SPILL_AT / line.len()));
        let produce = |_: usize, file: &mut Generated| -> Result<()> {
            let text = text.lock().expect("text");
            file.write_all(&text)
                .map_err(|e| Error::io(Path::new("big"), e))
        };
        let write = || write_site_generated(&out, Some(&manifest), &[], &["big.js"], 0, &produce);
        write().expect("first");
        let before = inode(&out.join("big.js"));
        write().expect("same");
        assert_eq!(inode(&out.join("big.js")), before);
        text.lock().expect("text").extend_from_slice(b"more");
        write().expect("changed");
        assert_ne!(inode(&out.join("big.js")), before);
        let written = std::fs::read(out.join("big.js")).expect("read");
        assert_eq!(written, *text.lock().expect("text"));
        assert_eq!(listing(tmp.path()), ["manifest", "public", "public/big.js"]);
    }
}
