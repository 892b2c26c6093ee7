//! Making the stage's files by their name in an open folder.
//!
//! Opening `.public.stage-123/minutes/2026/03-06-x/index.html` makes the kernel walk
//! five folders from the working directory before it creates the file, and making the
//! page's folder walks four: for every one of a big site's pages. On Linux the stage
//! keeps its folders open instead (`O_PATH` descriptors, a few hundred for a site of
//! any size: a page's parent is a kind's year, a tag, `people/`), and a page is made
//! with `mkdirat` and `openat` by its last two names. Elsewhere the paths are used as
//! they are.

use std::fs::{File, Metadata};
use std::io::{self, Write};
use std::path::Path;

/// The folders of a stage being filled, made as its files need them.
pub struct Folders {
    #[cfg(target_os = "linux")]
    open: linux::OpenFolders,
    #[cfg(not(target_os = "linux"))]
    dir: std::path::PathBuf,
}

impl Folders {
    /// The folders of the stage `dir`, which exists.
    pub fn new(dir: &Path) -> io::Result<Folders> {
        Ok(Folders {
            #[cfg(target_os = "linux")]
            open: linux::OpenFolders::new(dir)?,
            #[cfg(not(target_os = "linux"))]
            dir: dir.to_path_buf(),
        })
    }

    /// Writes `bytes` as the file at `path` (relative, `/`-separated), making its
    /// folders when they are not there yet. Returns the file's metadata.
    pub fn write(&self, path: &str, bytes: &[u8]) -> io::Result<Metadata> {
        let mut file = self.create(path)?;
        file.write_all(bytes)?;
        file.metadata()
    }

    #[cfg(target_os = "linux")]
    fn create(&self, path: &str) -> io::Result<File> {
        self.open.create(path)
    }

    #[cfg(not(target_os = "linux"))]
    fn create(&self, path: &str) -> io::Result<File> {
        let target = self.dir.join(path);
        let make_parent = || match target.parent() {
            Some(dir) => std::fs::create_dir_all(dir),
            None => Ok(()),
        };
        // A page is the one file of a folder of its own, not made yet.
        if path.ends_with("/index.html") {
            make_parent()?;
        }
        match File::create(&target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                make_parent()?;
                File::create(&target)
            }
            other => other,
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::ffi::CString;
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
    use std::path::Path;
    use std::sync::Mutex;

    use ahash::AHashMap;

    /// The most folders a writing thread keeps open: far more than a site's page
    /// parents, far fewer than the descriptors a process may have.
    const KEPT_OPEN: usize = 256;

    /// The stage and its folders opened so far, one cache per writing thread (each
    /// locked by its own thread only, so never waited for).
    pub struct OpenFolders {
        root: OwnedFd,
        by_thread: Vec<Mutex<AHashMap<String, OwnedFd>>>,
    }

    impl OpenFolders {
        pub fn new(dir: &Path) -> io::Result<OpenFolders> {
            let name = c_name(dir.as_os_str().as_encoded_bytes())?;
            let root = open_folder(libc::AT_FDCWD, &name)?;
            let threads = rayon::current_num_threads() + 1;
            Ok(OpenFolders {
                root,
                by_thread: (0..threads).map(|_| Mutex::default()).collect(),
            })
        }

        /// Creates (or truncates) the file at `path`, making its folders as needed.
        pub fn create(&self, path: &str) -> io::Result<File> {
            let slot = rayon::current_thread_index().map_or(0, |i| i + 1);
            let mut folders = match self.by_thread[slot % self.by_thread.len()].lock() {
                Ok(folders) => folders,
                Err(poisoned) => poisoned.into_inner(),
            };
            if folders.len() > KEPT_OPEN {
                folders.clear();
            }
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            // A page's folder is new: made in its parent, the page opened from there.
            if name == "index.html" && !dir.is_empty() {
                let (parent, leaf) = dir.rsplit_once('/').unwrap_or(("", dir));
                let parent = self.folder(&mut folders, parent)?;
                make_folder(parent, &c_name(leaf.as_bytes())?)?;
                let in_leaf = &path[path.len() - leaf.len() - name.len() - 1..];
                return create_file(parent, &c_name(in_leaf.as_bytes())?);
            }
            let dir = self.folder(&mut folders, dir)?;
            create_file(dir, &c_name(name.as_bytes())?)
        }

        /// The descriptor of the folder `dir` of the stage (`""`: the stage), made and
        /// opened when this thread has not yet.
        fn folder(&self, open: &mut AHashMap<String, OwnedFd>, dir: &str) -> io::Result<RawFd> {
            if dir.is_empty() {
                return Ok(self.root.as_raw_fd());
            }
            if let Some(fd) = open.get(dir) {
                return Ok(fd.as_raw_fd());
            }
            let (parent, leaf) = dir.rsplit_once('/').unwrap_or(("", dir));
            let parent = self.folder(open, parent)?;
            let leaf = c_name(leaf.as_bytes())?;
            make_folder(parent, &leaf)?;
            let fd = open_folder(parent, &leaf)?;
            let raw = fd.as_raw_fd();
            open.insert(dir.to_string(), fd);
            Ok(raw)
        }
    }

    /// A name for the C library: on the stack, where short names (all of a site's) fit.
    struct CName {
        bytes: [u8; 256],
        heap: Option<CString>,
    }

    impl CName {
        fn ptr(&self) -> *const libc::c_char {
            match &self.heap {
                Some(name) => name.as_ptr(),
                None => self.bytes.as_ptr().cast(),
            }
        }
    }

    fn c_name(name: &[u8]) -> io::Result<CName> {
        let mut c = CName {
            bytes: [0; 256],
            heap: None,
        };
        if name.contains(&0) {
            return Err(io::Error::from(io::ErrorKind::InvalidInput));
        } else if name.len() < c.bytes.len() {
            c.bytes[..name.len()].copy_from_slice(name);
        } else {
            c.heap = Some(CString::new(name)?);
        }
        Ok(c)
    }

    /// Makes the folder `name` in `parent`; one made meanwhile (by another thread) is
    /// as good.
    fn make_folder(parent: RawFd, name: &CName) -> io::Result<()> {
        // SAFETY: `name` is NUL-terminated; `parent` is an open descriptor.
        if unsafe { libc::mkdirat(parent, name.ptr(), 0o777) } == 0 {
            return Ok(());
        }
        match io::Error::last_os_error() {
            e if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            e => Err(e),
        }
    }

    /// A descriptor of the folder `name` in `parent`, good only as the base of paths.
    fn open_folder(parent: RawFd, name: &CName) -> io::Result<OwnedFd> {
        let flags = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
        // SAFETY: as in `make_folder`; a descriptor returned is ours to own.
        let fd = unsafe { libc::openat(parent, name.ptr(), flags) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just opened and is owned by nobody else.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// Creates or truncates the file `name` in `parent`, for writing.
    fn create_file(parent: RawFd, name: &CName) -> io::Result<File> {
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC;
        // SAFETY: as in `open_folder`.
        let fd = unsafe { libc::openat(parent, name.ptr(), flags, 0o666 as libc::c_uint) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: as in `open_folder`.
        Ok(unsafe { File::from_raw_fd(fd) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_made_with_their_folders_whatever_was_made_before() {
        let tmp = tempfile::tempdir().expect("tmp");
        let folders = Folders::new(tmp.path()).expect("open");
        // 249 bytes: a folder name the kernel takes, opened with its page by a name of 260
        // bytes, past those kept on the stack.
        let long = "长".repeat(83);
        let files = [
            "index.html",
            "style.css",
            "minutes/2026/03-06-a/index.html",
            "minutes/2026/03-07-b/index.html",
            "minutes/index.html",
            "minutes/page/2/index.html",
            "search/index.html",
            "search/index.js",
            "tags/理论学习/index.html",
            "a/b/c/d/e.txt",
            &format!("tags/{long}/index.html"),
        ];
        for path in files {
            let meta = folders.write(path, path.as_bytes()).expect(path);
            assert_eq!(meta.len(), path.len() as u64, "{path}");
        }
        // Written again: truncated, not appended to.
        folders.write("style.css", b"x").expect("again");
        for path in files {
            let expected = if path == "style.css" { "x" } else { path };
            let text = std::fs::read_to_string(tmp.path().join(path)).expect(path);
            assert_eq!(text, expected);
        }
    }

    #[test]
    fn a_file_in_the_way_of_a_folder_is_an_error_not_a_panic() {
        let tmp = tempfile::tempdir().expect("tmp");
        let folders = Folders::new(tmp.path()).expect("open");
        folders.write("a", b"file").expect("file");
        assert!(folders.write("a/b.html", b"x").is_err());
        assert!(folders.write("a/b/index.html", b"x").is_err());
        assert!(folders.write("c\0d", b"x").is_err());
    }

    #[test]
    fn threads_making_the_same_folders_all_succeed() {
        use rayon::prelude::*;
        let tmp = tempfile::tempdir().expect("tmp");
        let folders = Folders::new(tmp.path()).expect("open");
        (0..400).into_par_iter().for_each(|i| {
            let path = format!("k{}/y{}/p{i}/index.html", i % 3, i % 7);
            folders.write(&path, b"page").expect("write");
        });
        let pages = (0..400)
            .filter(|i| {
                let path = format!("k{}/y{}/p{i}/index.html", i % 3, i % 7);
                tmp.path().join(path).is_file()
            })
            .count();
        assert_eq!(pages, 400);
    }
}
