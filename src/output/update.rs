//! Bringing an output directory to a new site in place: deleting what the site no longer
//! has (and what was put there by hand), then moving the changed files in from the
//! stage. A folder whose stamp is as the last build left it is not listed: the
//! manifest says what it holds.

use std::path::Path;

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;

use super::manifest::{Manifest, Stamp};
use super::{Written, make_parent, remove_tree};
use crate::error::{Error, Result};

/// Brings `output` to the new site: deletes what the site no longer has, then moves
/// the changed files from the stage into place. Returns the number of files deleted and
/// the stamp of every folder of the site as it leaves them, for the manifest.
/// A failure here (a file made read-only meanwhile) leaves some files updated; the next
/// build finishes the job.
pub(super) fn update<'a>(
    output: &Path,
    stage: &Path,
    written: &[Written<'a>],
    previous: &Manifest,
) -> Result<(usize, Vec<(&'a str, Stamp)>)> {
    let site = SiteTree::new(output, written, previous);
    let (deleted, folders) = prune(&site, "")?;
    written.par_iter().filter(|w| w.staged).try_for_each(|w| {
        let target = output.join(w.path);
        match std::fs::rename(stage.join(w.path), &target) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                make_parent(&target)?;
                std::fs::rename(stage.join(w.path), &target)
            }
            other => other,
        }
        .map_err(|e| Error::io(&target, e))
    })?;
    remove_tree(stage)?;
    // A folder a file was moved into (or made for one) has changed since it was seen.
    let moved_into: AHashSet<&str> = (written.iter().filter(|w| w.staged))
        .flat_map(|w| folders_above(w.path))
        .collect();
    let stamps = (folders.into_par_iter())
        .filter_map(|(folder, seen)| {
            let stamp = match seen {
                Some(stamp) if !moved_into.contains(folder) => Some(stamp),
                _ => folder_stamp(&output.join(folder)),
            };
            Some((folder, stamp?))
        })
        .collect();
    Ok((deleted, stamps))
}

/// The folders of the site, the files and folders the last build left, and where.
struct SiteTree<'s, 'a> {
    output: &'s Path,
    files: AHashSet<&'a str>,
    /// Folder -> its folders, in the new site (`""`: the output itself).
    folders: AHashMap<&'a str, Vec<&'a str>>,
    /// Folder -> its files and folders when the last build ended.
    last: AHashMap<&'s str, Vec<&'s str>>,
    previous: &'s Manifest,
}

impl<'s, 'a> SiteTree<'s, 'a> {
    fn new(output: &'s Path, written: &[Written<'a>], previous: &'s Manifest) -> Self {
        let files: AHashSet<&str> = written.iter().map(|w| w.path).collect();
        let mut folders: AHashMap<&str, Vec<&str>> = AHashMap::with_capacity(files.len());
        folders.insert("", Vec::new());
        for folder in (files.iter()).flat_map(|f| folders_above(f)) {
            if folder.is_empty() || folders.contains_key(folder) {
                continue;
            }
            folders.insert(folder, Vec::new());
        }
        let inner: Vec<&str> = folders.keys().copied().filter(|f| !f.is_empty()).collect();
        for folder in inner {
            let parent = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
            folders.entry(parent).or_default().push(folder);
        }
        // Every path has one folder: a path met again was put in its folder already,
        // and so were the folders above it.
        let mut met = AHashSet::with_capacity(2 * files.len());
        let mut last: AHashMap<&str, Vec<&str>> = AHashMap::with_capacity(folders.len());
        for file in previous.files() {
            let mut child = file;
            for folder in folders_above(file) {
                if !met.insert(child) {
                    break;
                }
                last.entry(folder).or_default().push(child);
                child = folder;
            }
        }
        SiteTree {
            output,
            files,
            folders,
            last,
            previous,
        }
    }

    /// Whether what the last build left at `path` (a file or a folder) is still what
    /// the site has there.
    fn keeps(&self, path: &str) -> bool {
        if self.previous.has_file(path) {
            self.files.contains(path)
        } else {
            self.folders.contains_key(path)
        }
    }
}

/// The folders a file or folder is in, nearest first, down to `""` (the output).
fn folders_above(path: &str) -> impl Iterator<Item = &str> {
    (path.rmatch_indices('/').map(move |(at, _)| &path[..at])).chain([""])
}

/// What says whether a folder changed: its stamp, when it is a folder.
fn folder_stamp(path: &Path) -> Option<Stamp> {
    let meta = path.symlink_metadata().ok()?;
    meta.is_dir().then(|| Stamp::of(&meta))
}

/// Folders with their stamps as [`prune`] saw them (`None`: to take again at the end).
type Seen<'a> = Vec<(&'a str, Option<Stamp>)>;

/// Deletes everything in the site's folder `folder` (and in its folders) that is
/// neither one of the site's files nor a folder holding some of them. A folder whose
/// stamp is the one the last build left holds what the manifest says, and is not
/// listed. Returns the number of files deleted and each folder with its stamp as seen
/// here when this deleted nothing in it (`None`: take it again at the end).
fn prune<'a>(site: &SiteTree<'_, 'a>, folder: &'a str) -> Result<(usize, Seen<'a>)> {
    let dir = site.output.join(folder);
    let seen = folder_stamp(&dir);
    let known = seen.is_some() && site.previous.folder(folder) == seen;
    let mut deleted = 0;
    let mut touched = false;
    if known {
        // As the last build left it: what no longer belongs is what it wrote there and
        // the site no longer has.
        let gone = (site.last.get(folder).into_iter().flatten()).filter(|p| !site.keeps(p));
        for path in gone {
            let target = site.output.join(path);
            deleted += match target.symlink_metadata() {
                Ok(meta) if meta.is_dir() => remove_tree(&target)?,
                Ok(_) => {
                    std::fs::remove_file(&target).map_err(|e| Error::io(&target, e))?;
                    1
                }
                Err(_) => 0,
            };
            touched = true;
        }
    } else if seen.is_some() {
        let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(&dir, e))?
            .filter_map(|e| e.ok())
            .collect();
        for entry in entries {
            let path = entry.path();
            // A name that is not UTF-8 was not written by a build.
            let name = entry.file_name();
            let child = match name.to_str() {
                Some(name) if folder.is_empty() => name.to_string(),
                Some(name) => format!("{folder}/{name}"),
                None => String::new(),
            };
            deleted += match entry.file_type() {
                Ok(t) if t.is_dir() && site.folders.contains_key(child.as_str()) => continue,
                Ok(t) if t.is_dir() => remove_tree(&path)?,
                _ if site.files.contains(child.as_str()) => continue,
                _ => {
                    std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                    1
                }
            };
            touched = true;
        }
    }
    // A folder listed or known and left as it was keeps the stamp seen before.
    let mut folders = vec![(folder, if touched { None } else { seen })];
    let inner = site.folders.get(folder).map_or(&[][..], Vec::as_slice);
    let (inner_deleted, inner_folders) = inner.par_iter().map(|&f| prune(site, f)).try_reduce(
        || (0, Vec::new()),
        |(a, mut fa), (b, mut fb)| {
            fa.append(&mut fb);
            Ok((a + b, fa))
        },
    )?;
    folders.extend(inner_folders);
    Ok((deleted + inner_deleted, folders))
}
