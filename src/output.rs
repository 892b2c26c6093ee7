//! The only writer into the output directory.
//!
//! A build is written into a staging directory beside the target (same parent, so the
//! final step is a rename on one file system), then swapped in: the old output is
//! renamed away, the stage renamed in, the old one deleted. A build that fails at any
//! point leaves the previous output exactly as it was and removes its stage. Files are
//! written in parallel; what is written depends only on the input, never on time or
//! thread scheduling. A file whose bytes are those of the previous output is hard-linked
//! from it rather than written: a rebuild writes only what changed (much faster on a
//! disk), and unchanged files keep their modification time for deployment tools.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

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

/// Writes `files` as the new content of `output`, atomically: either every file is in
/// place, or the previous output is untouched.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<()> {
    write_site_generated(output, files, &[], 0, &|_, _| Ok(()))
}

/// Makes the generated file at an index of the `generated` paths into a [`Generated`]
/// with an empty buffer.
pub type Produce<'a> = dyn Fn(usize, &mut Generated) -> Result<()> + Sync + 'a;

/// A generated file being made. Its bytes go into a buffer that the thread reuses; a
/// file made through [`std::io::Write`] passes them on to its file in the stage whenever
/// they pass [`SPILL_AT`], so a file of megabytes (the search index) is never held whole.
/// A file that never spilled is put whole, and hard-linked when it did not change.
pub struct Generated<'a> {
    pub bytes: &'a mut Vec<u8>,
    target: PathBuf,
    file: Option<std::fs::File>,
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
        self.bytes.clear();
        Ok(())
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
pub fn write_site_generated(
    output: &Path,
    files: &[OutputFile],
    generated: &[&str],
    first: usize,
    produce: &Produce,
) -> Result<()> {
    for path in files
        .iter()
        .map(|f| f.path.as_str())
        .chain(generated.iter().copied())
    {
        check_relative(path)?;
    }
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

    // Files the new build makes byte for byte as the last one did are hard-linked from
    // it instead of written again (see `put`).
    let previous = output.is_dir().then_some(output);
    let stage_files = Stage {
        dir: &stage,
        previous,
    };
    if let Err(e) = crate::timing::phase("fill stage", || {
        fill(&stage_files, files, generated, first, produce)
    }) {
        let _ = std::fs::remove_dir_all(&stage);
        return Err(e);
    }

    let had_output = output.symlink_metadata().is_ok();
    if had_output && let Err(e) = std::fs::rename(output, &old) {
        let _ = std::fs::remove_dir_all(&stage);
        return Err(Error::io(output, e));
    }
    if let Err(e) = std::fs::rename(&stage, output) {
        if had_output {
            let _ = std::fs::rename(&old, output);
        }
        let _ = std::fs::remove_dir_all(&stage);
        return Err(Error::io(output, e));
    }
    if had_output {
        // The new site is in place; failing to delete the old copy loses nothing.
        let _ = crate::timing::phase("remove old output", || remove_tree(&old));
    }
    Ok(())
}

/// One file to put in the stage.
enum Job<'a> {
    Generated(usize, &'a str),
    Given(&'a OutputFile),
}

thread_local! {
    /// The buffer a writing thread makes its generated files in.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The largest buffer a thread keeps between files.
const KEPT_BUFFER: usize = 4 << 20;

/// The directory being filled, and the output it will replace.
struct Stage<'a> {
    dir: &'a Path,
    previous: Option<&'a Path>,
}

impl Stage<'_> {
    /// Puts a file with these bytes into the stage. When the previous output has the
    /// same bytes at the same path, the file is a hard link to it: nothing is written,
    /// and the file keeps its modification time, so a deployment by rsync or make sees
    /// only the pages that really changed.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        if let Some(previous) = self.previous {
            let old = previous.join(path);
            if same_bytes(&old, bytes) && link_file(&old, &self.dir.join(path)).is_ok() {
                return Ok(());
            }
        }
        write_file(self.dir, path, bytes)
    }
}

thread_local! {
    /// The buffer a writing thread reads a previous file into, to compare.
    static PREVIOUS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether `file` is a regular file holding exactly `bytes`.
fn same_bytes(file: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    // The size first: a page that changed usually changed its length.
    match file.symlink_metadata() {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    PREVIOUS.with_borrow_mut(|old| {
        old.clear();
        let read = std::fs::File::open(file).and_then(|mut f| f.read_to_end(old));
        let same = read.is_ok() && old.as_slice() == bytes;
        if old.capacity() > KEPT_BUFFER {
            *old = Vec::new();
        }
        same
    })
}

/// Hard-links `from` to `to`, making `to`'s folder when it is not there yet.
fn link_file(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::hard_link(from, to)
        }
        other => other,
    }
}

/// Creates the stage and writes every file into it: `generated[..first]` before the rest.
fn fill(
    stage: &Stage,
    files: &[OutputFile],
    generated: &[&str],
    first: usize,
    produce: &Produce,
) -> Result<()> {
    std::fs::create_dir(stage.dir).map_err(|e| Error::io(stage.dir, e))?;
    let first = first.min(generated.len());
    let jobs = |range: std::ops::Range<usize>| -> Vec<Job> {
        (range.map(|i| Job::Generated(i, generated[i]))).collect()
    };
    put_all(stage, &jobs(0..first), produce)?;
    let mut rest = jobs(first..generated.len());
    rest.extend(files.iter().map(Job::Given));
    put_all(stage, &rest, produce)
}

/// Makes and writes `jobs` into the stage, in parallel.
fn put_all(stage: &Stage, jobs: &[Job], produce: &Produce) -> Result<()> {
    // One job per rayon task: a generated file can take as long as hundreds of others.
    jobs.par_iter()
        .with_max_len(1)
        .try_for_each(|job| match job {
            Job::Generated(i, path) => BUFFER.with_borrow_mut(|buffer| {
                buffer.clear();
                let mut out = Generated {
                    bytes: buffer,
                    target: stage.dir.join(path),
                    file: None,
                };
                produce(*i, &mut out)?;
                let written = match out.file {
                    // The rest of a file that was written as it was made.
                    Some(_) => out.spill().map_err(|e| Error::io(&out.target, e)),
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
                Source::File(from) => {
                    let target = stage.dir.join(&f.path);
                    make_parent(&target)?;
                    std::fs::copy(from, &target)
                        .map(|_| ())
                        .map_err(|e| {
                            std::io::Error::new(
                                e.kind(),
                                format!("copying {}: {e}", from.display()),
                            )
                        })
                        .map_err(|e| Error::io(&target, e))
                }
            },
        })
}

/// Writes one file, creating its folder when it is not there yet (folders are made by
/// whichever thread needs them first; `create_dir_all` accepts one made meanwhile).
fn write_file(stage: &Path, path: &str, bytes: &[u8]) -> Result<()> {
    let target = stage.join(path);
    // A page is the one file of a folder of its own, not made yet: making the folder
    // first saves a failed write per page (a path lookup each, thousands a build).
    if path.ends_with("/index.html") {
        make_parent(&target)?;
    }
    match std::fs::write(&target, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            make_parent(&target)?;
            std::fs::write(&target, bytes)
        }
        other => other,
    }
    .map_err(|e| Error::io(&target, e))
}

fn make_parent(target: &Path) -> Result<()> {
    match target.parent() {
        Some(dir) => std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e)),
        None => Ok(()),
    }
}

/// Deletes a directory tree, its folders in parallel (a big site has tens of
/// thousands of files, one folder per page).
fn remove_tree(dir: &Path) -> Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .collect();
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => remove_tree(&path),
            _ => std::fs::remove_file(&path).map_err(|e| Error::io(&path, e)),
        }
    })?;
    std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))
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
            write_site_generated(&out, &[], &["search/index.js", "index.html"], 0, &produce)
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
        write_site_generated(&out, &[], &generated, 30, &produce).expect("write");
        let order = order.into_inner().expect("order");
        assert_eq!(order.len(), 40);
        assert!(order[..30].iter().all(|&i| i < 30), "{order:?}");
        assert_eq!(
            std::fs::read(out.join("p39/index.html")).expect("p39"),
            b"page"
        );
    }
}
