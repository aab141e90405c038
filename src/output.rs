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
        return Err(Error::Usage(format!(
            "refusing to write {relative:?}: outputs must stay inside {}",
            root.display()
        )));
    }
    Ok(root.join(rel))
}

/// Writes `bytes` to `root/relative` through a temporary file and a rename,
/// so a reader sees the old file or the new one, never half of one.
pub fn write(root: &Path, relative: &str, bytes: &[u8]) -> Result<Written, Error> {
    let path = inside(root, relative)?;
    if std::fs::read(&path).is_ok_and(|old| old == bytes) {
        return Ok(Written::Unchanged);
    }
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".gazette-")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    temp.write_all(bytes)
        .map_err(|e| Error::io(temp.path(), e))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| Error::io(temp.path(), e))?;
    set_readable(temp.as_file());
    temp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
    Ok(Written::Changed)
}

/// Removes the feed files (`.xml`, `.json`) directly in `root/folder` that
/// are not in `keep` (paths relative to `root`); returns what it removed.
pub fn remove_stale(root: &Path, folder: &str, keep: &[String]) -> Result<Vec<PathBuf>, Error> {
    let dir = inside(root, folder)?;
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut removed = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(&dir, e))?.path();
        let is_feed = path
            .extension()
            .is_some_and(|ext| ext == "xml" || ext == "json");
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_file() && is_feed && !keep.contains(&relative) {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            removed.push(path);
        }
    }
    removed.sort();
    Ok(removed)
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
