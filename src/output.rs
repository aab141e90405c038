//! Writing into the output folder: atomically, only when changed, and never
//! outside it.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// What happened to one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// New or changed bytes were written.
    Changed,
    /// The file already held these bytes and was left untouched, so its
    /// modification time (and HTTP caches keyed on it) stay valid.
    Unchanged,
}

/// Joins `relative` to `root`, refusing anything that would leave `root`.
pub fn inside(root: &Path, relative: &str) -> Result<PathBuf, Error> {
    let rel = Path::new(relative);
    if relative.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(Error::Output {
            path: root.join(relative),
            message: format!(
                "refusing to write {relative:?}: outputs must stay inside {}",
                root.display()
            ),
        });
    }
    Ok(root.join(rel))
}

/// Refuses a path whose folders inside `root` include a symbolic link:
/// writing or deleting through one would reach outside the output folder.
fn no_links_below(root: &Path, path: &Path) -> Result<(), Error> {
    let Ok(rel) = path.strip_prefix(root) else {
        return Ok(());
    };
    let mut current = root.to_path_buf();
    for part in rel.components() {
        current.push(part);
        if std::fs::symlink_metadata(&current).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Output {
                path: current.clone(),
                message: format!(
                    "a symbolic link: gazette writes and removes only real files inside {}",
                    root.display()
                ),
            });
        }
    }
    Ok(())
}

/// A file ready to take its place: written beside it under a temporary
/// name, renamed by `commit`, removed if dropped first.
#[derive(Debug)]
pub struct Staged {
    path: PathBuf,
    temporary: Option<tempfile::TempPath>,
}

impl Staged {
    /// Where the file goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the staged bytes durable, so that the rename in `commit`
    /// never puts an empty file in place after a crash. Separate from
    /// staging so that a build waits for all its files at once.
    pub fn sync(&self) -> Result<(), Error> {
        let Some(temporary) = &self.temporary else {
            return Ok(());
        };
        std::fs::File::open(temporary)
            .and_then(|file| file.sync_all())
            .map_err(|e| Error::io(temporary, e))
    }

    /// Puts the file in place (a rename, so readers see the old file or the
    /// new one, never half of one); `sync` it first.
    pub fn commit(self) -> Result<Written, Error> {
        match self.temporary {
            None => Ok(Written::Unchanged),
            Some(temporary) => {
                temporary
                    .persist(&self.path)
                    .map_err(|e| Error::io(&self.path, e.error))?;
                Ok(Written::Changed)
            }
        }
    }
}

/// Writes `bytes` to `root/relative` through a temporary file and a rename.
pub fn write(root: &Path, relative: &str, bytes: &[u8]) -> Result<Written, Error> {
    let staged = stage(root, relative, bytes)?;
    staged.sync()?;
    staged.commit()
}

/// Writes `bytes` for `root/relative` under a temporary name, so that a
/// build can write each file as it renders it (not holding them all) and
/// still put none in place when a later one fails. Bytes equal to the
/// file's stage nothing.
pub fn stage(root: &Path, relative: &str, bytes: &[u8]) -> Result<Staged, Error> {
    let path = inside(root, relative)?;
    no_links_below(root, &path)?;
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(Staged {
            path,
            temporary: None,
        });
    }
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".gazette-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    temp.write_all(bytes)
        .map_err(|e| Error::io(temp.path(), e))?;
    set_readable(temp.as_file());
    // Closed now: a site with thousands of tag feeds must not hold
    // thousands of open files until the commit.
    Ok(Staged {
        path,
        temporary: Some(temp.into_temp_path()),
    })
}

/// The file at `root/relative` as it is, staged like a file written with
/// the bytes it already holds.
pub fn keep(root: &Path, relative: &str) -> Result<Staged, Error> {
    let path = inside(root, relative)?;
    no_links_below(root, &path)?;
    Ok(Staged {
        path,
        temporary: None,
    })
}

/// The list of files the last build wrote, kept in the output folder so
/// that only gazette's own files are ever removed from it.
pub const MANIFEST: &str = ".gazette-manifest";

/// Removes the files the previous build wrote (by its manifest) that this
/// build did not write, then records this build's files. Files gazette never
/// wrote, and symbolic links, are never touched.
pub fn replace_manifest(root: &Path, written: &[String]) -> Result<Vec<PathBuf>, Error> {
    let manifest = root.join(MANIFEST);
    let previous = match std::fs::read_to_string(&manifest) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&manifest, e)),
    };
    let mut removed = Vec::new();
    let kept: std::collections::HashSet<&str> = written.iter().map(String::as_str).collect();
    for relative in previous
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if kept.contains(relative) {
            continue;
        }
        // A manifest edited by hand cannot make gazette delete elsewhere.
        let Ok(path) = inside(root, relative) else {
            continue;
        };
        if no_links_below(root, &path).is_err() {
            continue;
        }
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_file() => {
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                remove_empty_folders(root, &path);
                removed.push(path);
            }
            _ => {}
        }
    }
    let mut listing = String::from(
        "# Files gazette wrote here; it removes only these when they are no longer built.\n",
    );
    let mut sorted: Vec<&String> = written.iter().collect();
    sorted.sort();
    for file in sorted {
        listing.push_str(file);
        listing.push('\n');
    }
    write(root, MANIFEST, listing.as_bytes())?;
    removed.sort();
    Ok(removed)
}

/// Removes the folders above `removed` up to `root` that it left empty (a
/// tag's or section's feeds gone): `remove_dir` refuses one that holds
/// anything, so nothing else is touched.
fn remove_empty_folders(root: &Path, removed: &Path) {
    let mut folder = removed.parent();
    while let Some(dir) = folder.filter(|dir| *dir != root && dir.starts_with(root)) {
        if std::fs::remove_dir(dir).is_err() {
            break;
        }
        folder = dir.parent();
    }
}

/// Temporary files are created private (0600); a feed is meant to be served.
#[cfg(unix)]
fn set_readable(file: &std::fs::File) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: a file system without permissions still gets the feed.
    let _ = file.set_permissions(std::fs::Permissions::from_mode(0o644));
}

#[cfg(not(unix))]
fn set_readable(_file: &std::fs::File) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_leave_the_folder() {
        let root = Path::new("/tmp/out");
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "./x"] {
            assert!(inside(root, bad).is_err(), "{bad}");
        }
        assert_eq!(
            inside(root, "tags/rust.xml").unwrap(),
            root.join("tags/rust.xml")
        );
    }

    #[test]
    fn only_files_of_the_manifest_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "tags/a.xml", b"a").unwrap();
        write(root, "tags/b.xml", b"b").unwrap();
        replace_manifest(root, &["tags/a.xml".into(), "tags/b.xml".into()]).unwrap();
        std::fs::write(root.join("tags/index.xml"), "someone else's").unwrap();
        let removed = replace_manifest(root, &["tags/a.xml".into()]).unwrap();
        assert_eq!(removed, [root.join("tags/b.xml")]);
        assert!(root.join("tags/index.xml").exists());
        assert!(root.join("tags/a.xml").exists());
    }

    #[test]
    fn folders_left_empty_go_with_their_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            "sections/posts/works.xml",
            "sections/notes.xml",
            "series/a.xml",
            "rss.xml",
        ];
        for file in files {
            write(root, file, b"x").unwrap();
        }
        replace_manifest(root, &files.map(String::from)).unwrap();
        std::fs::write(root.join("series/mine.txt"), "someone else's").unwrap();
        replace_manifest(root, &["rss.xml".into()]).unwrap();
        assert!(!root.join("sections").exists());
        assert!(root.join("series/mine.txt").exists() && !root.join("series/a.xml").exists());
        assert!(root.join("rss.xml").exists());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("x.xml"), "keep").unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("tags")).unwrap();
        std::fs::write(dir.path().join(MANIFEST), "tags/x.xml\n").unwrap();
        replace_manifest(dir.path(), &[]).unwrap();
        assert!(elsewhere.path().join("x.xml").exists());
        assert!(write(dir.path(), "tags/y.xml", b"y").is_err());
        assert!(!elsewhere.path().join("y.xml").exists());
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            write(dir.path(), "a/b.xml", b"one").unwrap(),
            Written::Changed
        );
        assert_eq!(
            write(dir.path(), "a/b.xml", b"one").unwrap(),
            Written::Unchanged
        );
        assert_eq!(
            write(dir.path(), "a/b.xml", b"two").unwrap(),
            Written::Changed
        );
        assert_eq!(std::fs::read(dir.path().join("a/b.xml")).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary files were left behind");
    }
}
