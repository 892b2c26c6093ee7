//! Files made and opened by their name in an open folder.
//!
//! Opening `.public.stage-123/minutes/2026/03-06-x/index.html` makes the kernel walk
//! five folders from the working directory before it creates the file, and making the
//! page's folder walks four; reading `content/minutes/2026/03-06-x.md` walks three: for
//! every one of a big site's files. On Linux the folders are kept open instead
//! (`O_PATH` descriptors, a few hundred for a site of any size: a page's parent is a
//! kind's year, a tag, `people/`; a record's folder is a kind's year), and a file is
//! made or opened by its last name or two (`mkdirat`, `openat`). Elsewhere the paths
//! are used as they are.

use std::fs::File;
use std::io;
use std::path::Path;

/// A folder and the folders under it that its files need, opened as they are used.
pub struct Folders {
    #[cfg(target_os = "linux")]
    open: linux::OpenFolders,
    #[cfg(not(target_os = "linux"))]
    dir: std::path::PathBuf,
}

impl Folders {
    /// The folders of `dir`, which exists.
    pub fn new(dir: &Path) -> io::Result<Folders> {
        Ok(Folders {
            #[cfg(target_os = "linux")]
            open: linux::OpenFolders::new(dir)?,
            #[cfg(not(target_os = "linux"))]
            dir: dir.to_path_buf(),
        })
    }

    /// Creates (or truncates) the file at `path` (relative, `/`-separated) for writing,
    /// making its folders when they are not there yet.
    #[cfg(target_os = "linux")]
    pub fn create(&self, path: &str) -> io::Result<File> {
        self.open.create(path)
    }

    /// Opens the file at `path` (relative, `/`-separated) for reading.
    #[cfg(target_os = "linux")]
    pub fn open(&self, path: &str) -> io::Result<File> {
        self.open.open(path)
    }

    #[cfg(not(target_os = "linux"))]
    pub fn create(&self, path: &str) -> io::Result<File> {
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

    #[cfg(not(target_os = "linux"))]
    pub fn open(&self, path: &str) -> io::Result<File> {
        File::open(self.dir.join(path))
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::ffi::CString;
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
    use std::path::Path;
    use std::sync::{Mutex, MutexGuard};

    use ahash::AHashMap;

    /// The most folders a thread keeps open: far more than a site's page parents or
    /// record folders, far fewer than the descriptors a process may have.
    const KEPT_OPEN: usize = 256;

    /// The root and its folders opened so far, one cache per thread (each locked by
    /// its own thread only, so never waited for).
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
            let mut folders = self.of_this_thread();
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            // A page's folder is new: made in its parent, the page opened from there.
            if name == "index.html" && !dir.is_empty() {
                let (parent, leaf) = dir.rsplit_once('/').unwrap_or(("", dir));
                let parent = self.folder(&mut folders, parent, Make::Yes)?;
                make_folder(parent, &c_name(leaf.as_bytes())?)?;
                let in_leaf = &path[path.len() - leaf.len() - name.len() - 1..];
                return open_file(parent, &c_name(in_leaf.as_bytes())?, WRITE);
            }
            let dir = self.folder(&mut folders, dir, Make::Yes)?;
            open_file(dir, &c_name(name.as_bytes())?, WRITE)
        }

        /// Opens the file at `path` for reading.
        pub fn open(&self, path: &str) -> io::Result<File> {
            let mut folders = self.of_this_thread();
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            let dir = self.folder(&mut folders, dir, Make::No)?;
            open_file(dir, &c_name(name.as_bytes())?, READ)
        }

        /// The folders this thread opened.
        fn of_this_thread(&self) -> MutexGuard<'_, AHashMap<String, OwnedFd>> {
            let slot = rayon::current_thread_index().map_or(0, |i| i + 1);
            let mut folders = match self.by_thread[slot % self.by_thread.len()].lock() {
                Ok(folders) => folders,
                Err(poisoned) => poisoned.into_inner(),
            };
            if folders.len() > KEPT_OPEN {
                folders.clear();
            }
            folders
        }

        /// The descriptor of the folder `dir` (`""`: the root), made (with `Make::Yes`)
        /// and opened when this thread has not yet.
        fn folder(
            &self,
            open: &mut AHashMap<String, OwnedFd>,
            dir: &str,
            make: Make,
        ) -> io::Result<RawFd> {
            if dir.is_empty() {
                return Ok(self.root.as_raw_fd());
            }
            if let Some(fd) = open.get(dir) {
                return Ok(fd.as_raw_fd());
            }
            let (parent, leaf) = dir.rsplit_once('/').unwrap_or(("", dir));
            let parent = self.folder(open, parent, make)?;
            let leaf = c_name(leaf.as_bytes())?;
            if make == Make::Yes {
                make_folder(parent, &leaf)?;
            }
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

    /// Whether a folder not there yet is made.
    #[derive(Clone, Copy, PartialEq)]
    enum Make {
        Yes,
        No,
    }

    /// Opening a file to create (or truncate) and write it.
    const WRITE: libc::c_int = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC;

    /// Opening a file to read it.
    const READ: libc::c_int = libc::O_RDONLY | libc::O_CLOEXEC;

    /// Opens the file `name` in `parent` with `flags` ([`WRITE`], [`READ`]).
    fn open_file(parent: RawFd, name: &CName, flags: libc::c_int) -> io::Result<File> {
        // SAFETY: as in `open_folder`; the mode is read only with O_CREAT.
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
    use std::io::{Read, Write};

    /// Writes a file as the output does; returns its length by its metadata.
    fn write(folders: &Folders, path: &str, bytes: &[u8]) -> io::Result<u64> {
        let mut file = folders.create(path)?;
        file.write_all(bytes)?;
        Ok(file.metadata()?.len())
    }

    fn read(folders: &Folders, path: &str) -> io::Result<String> {
        let mut text = String::new();
        folders.open(path)?.read_to_string(&mut text)?;
        Ok(text)
    }

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
            assert_eq!(
                write(&folders, path, path.as_bytes()).expect(path),
                path.len() as u64
            );
        }
        // Written again: truncated, not appended to.
        write(&folders, "style.css", b"x").expect("again");
        let reader = Folders::new(tmp.path()).expect("open");
        for path in files {
            let expected = if path == "style.css" { "x" } else { path };
            assert_eq!(read(&reader, path).expect(path), expected);
            assert_eq!(read(&folders, path).expect(path), expected);
        }
    }

    #[test]
    fn reading_makes_no_folder_and_a_missing_file_is_not_found() {
        let tmp = tempfile::tempdir().expect("tmp");
        let folders = Folders::new(tmp.path()).expect("open");
        for path in ["none.md", "minutes/none.md", "minutes/2026/none.md"] {
            let e = read(&folders, path).expect_err(path);
            assert_eq!(e.kind(), io::ErrorKind::NotFound, "{path}");
        }
        assert!(!tmp.path().join("minutes").exists());
    }

    #[test]
    fn a_file_in_the_way_of_a_folder_is_an_error_not_a_panic() {
        let tmp = tempfile::tempdir().expect("tmp");
        let folders = Folders::new(tmp.path()).expect("open");
        write(&folders, "a", b"file").expect("file");
        assert!(write(&folders, "a/b.html", b"x").is_err());
        assert!(write(&folders, "a/b/index.html", b"x").is_err());
        assert!(write(&folders, "c\0d", b"x").is_err());
        assert!(read(&folders, "a/b.md").is_err());
    }

    #[test]
    fn threads_making_the_same_folders_all_succeed() {
        use rayon::prelude::*;
        let tmp = tempfile::tempdir().expect("tmp");
        let folders = Folders::new(tmp.path()).expect("open");
        let path = |i: usize| format!("k{}/y{}/p{i}/index.html", i % 3, i % 7);
        (0..400).into_par_iter().for_each(|i| {
            write(&folders, &path(i), b"page").expect("write");
        });
        let pages = (0..400).filter(|&i| tmp.path().join(path(i)).is_file());
        assert_eq!(pages.count(), 400);
    }
}
