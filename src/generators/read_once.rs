//! Files that many posts share, read once per build: Eleventy's data files
//! and layouts, which every post of a folder looks up (a 2,000-post folder
//! asked for the same `posts.11tydata.js`, and for the five data files a
//! post of its name might have, 2,000 times). Missing files are answered
//! from one listing of their folder. A build's config holds one; the next
//! build starts from nothing, so an edit between builds is always seen.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde_json::{Map, Value};

use super::eleventy_filters::SiteFilters;
use super::eleventy_ignores::EleventyIgnores;

/// The parsed data of a file, shared by every post that reads it.
pub type Data = Arc<Map<String, Value>>;

/// What this build has read of the shared files.
#[derive(Debug, Clone, Default)]
pub struct ReadOnce {
    data: Arc<Mutex<HashMap<PathBuf, Option<Data>>>>,
    listings: Arc<Mutex<HashMap<PathBuf, Arc<HashSet<OsString>>>>>,
    eleventy_filters: Arc<OnceLock<Arc<SiteFilters>>>,
    eleventy_ignores: Arc<OnceLock<Arc<EleventyIgnores>>>,
}

impl ReadOnce {
    /// Whether `path` is a file or folder, from one listing of its folder.
    pub fn exists(&self, path: &Path) -> bool {
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return path.exists();
        };
        // `x.json`'s folder is the current one.
        let folder = crate::paths::or_current(folder);
        let known = self
            .listings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(folder)
            .cloned();
        let names = known.unwrap_or_else(|| {
            let names: HashSet<OsString> = std::fs::read_dir(folder)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .map(|e| e.file_name())
                        .collect()
                })
                .unwrap_or_default();
            let names = Arc::new(names);
            self.listings
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(folder.to_path_buf(), names.clone());
            names
        });
        names.contains(name)
    }

    /// The filters of the Eleventy config in `root`, read by the first
    /// post whose permalink uses one.
    pub fn eleventy_filters(&self, root: &Path) -> Arc<SiteFilters> {
        self.eleventy_filters
            .get_or_init(|| Arc::new(SiteFilters::read(root)))
            .clone()
    }

    /// What the Eleventy project in `root`, its input folder `input`,
    /// reads no template from, read by the walk's first file.
    pub fn eleventy_ignores(&self, root: &Path, input: &Path) -> Arc<EleventyIgnores> {
        self.eleventy_ignores
            .get_or_init(|| Arc::new(EleventyIgnores::read(root, input)))
            .clone()
    }

    /// The data `read` gives of `path`, read by the first post that asks.
    /// Two posts asking at once may both read it: the same bytes give the
    /// same data, and neither waits on the other's read.
    pub fn data(
        &self,
        path: &Path,
        read: impl FnOnce(&Path) -> Option<Map<String, Value>>,
    ) -> Option<Data> {
        if !self.exists(path) {
            return None;
        }
        match known(&self.data, path) {
            Some(data) => data,
            None => remember(&self.data, path, read(path).map(Arc::new)),
        }
    }
}

/// What a map holds for `path`. The lock is held only to look: a poisoned
/// one (a reader that panicked) still holds whole entries.
fn known<V: Clone>(map: &Mutex<HashMap<PathBuf, V>>, path: &Path) -> Option<V> {
    let map = map.lock().unwrap_or_else(PoisonError::into_inner);
    map.get(path).cloned()
}

fn remember<V: Clone>(map: &Mutex<HashMap<PathBuf, V>>, path: &Path, value: V) -> V {
    let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
    map.insert(path.to_path_buf(), value.clone());
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_is_read_once_and_missing_ones_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("posts.json");
        std::fs::write(&file, "{}").unwrap();
        let once = ReadOnce::default();
        let reads = std::cell::Cell::new(0);
        let read = |_: &Path| {
            reads.set(reads.get() + 1);
            Some(Map::from_iter([("tags".to_string(), Value::from("posts"))]))
        };
        for _ in 0..3 {
            let data = once.data(&file, read).expect("read");
            assert_eq!(data.get("tags"), Some(&Value::from("posts")));
        }
        assert_eq!(reads.get(), 1);
        assert!(once.data(&dir.path().join("x.11tydata.js"), read).is_none());
        assert_eq!(reads.get(), 1, "a file its folder lacks is not read");
        // Another build's reader sees an edit.
        std::fs::remove_file(&file).unwrap();
        assert!(ReadOnce::default().data(&file, read).is_none());
    }
}
