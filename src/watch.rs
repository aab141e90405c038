//! Watching a site for changes (`gazette watch`): file-system events from
//! the content and templates folders and the config file, gathered until
//! things are quiet for a moment, then handed over as one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::config::Config;
use crate::error::Error;

/// How long the files must be quiet before a rebuild: an editor's save or a
/// `git checkout` is a burst of events.
const QUIET: Duration = Duration::from_millis(150);

/// What to watch: folders (with everything below them) and single files.
#[derive(Debug, Default)]
pub struct Watched {
    /// Folders watched with everything below them.
    pub folders: Vec<PathBuf>,
    /// Single files (watched through their folder, as editors replace files).
    pub files: Vec<PathBuf>,
    /// Folders whose changes are ignored (the output, the build cache).
    pub ignored: Vec<PathBuf>,
}

impl Watched {
    /// What `gazette watch` watches for a site: the content and templates
    /// folders and its config file, not the output or the build cache.
    pub fn of(config: &Config) -> Watched {
        let mut files = vec![config.file.clone()];
        // An Eleventy project's ignore files say which files are pages.
        if config.generator == crate::generators::Generator::Eleventy {
            let ignore_files = crate::generators::eleventy_ignores::IGNORE_FILES;
            files.extend(ignore_files.iter().map(|name| config.root.join(name)));
        }
        Watched {
            folders: vec![config.content_dir.clone(), config.templates_dir.clone()],
            files,
            ignored: vec![config.output_dir.clone(), config.root.join(".gazette")],
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// What changed in one burst.
#[derive(Debug, Default)]
pub struct Changes {
    /// The paths (absolute) the events named.
    pub paths: Vec<PathBuf>,
    /// False when the events may have missed changes (the system dropped
    /// some, or the watcher failed): only a walk of the folders can tell.
    pub complete: bool,
}

/// Blocks, calling `ready` once every watch is in place (changes from then
/// on are seen) and `changed` with what changed after each burst of
/// changes, until it returns false or the watcher fails.
pub fn watch(
    watched: &Watched,
    ready: impl FnOnce(),
    mut changed: impl FnMut(&Changes) -> bool,
) -> Result<(), Error> {
    let (sender, events) = mpsc::channel();
    let failed = |e: notify::Error| Error::Env(format!("cannot watch for changes: {e}"));
    let mut watcher = notify::recommended_watcher(sender).map_err(failed)?;
    for folder in watched.folders.iter().filter(|f| f.is_dir()) {
        watcher
            .watch(folder, RecursiveMode::Recursive)
            .map_err(failed)?;
    }
    let files: Vec<PathBuf> = watched.files.iter().map(|f| absolute(f)).collect();
    for file in &files {
        if let Some(parent) = file.parent() {
            watcher
                .watch(parent, RecursiveMode::NonRecursive)
                .map_err(failed)?;
        }
    }
    let folders: Vec<PathBuf> = watched.folders.iter().map(|f| absolute(f)).collect();
    let ignored: Vec<PathBuf> = watched.ignored.iter().map(|f| absolute(f)).collect();
    ready();
    let relevant = |path: &Path| {
        !ignored.iter().any(|i| path.starts_with(i))
            && (folders.iter().any(|f| path.starts_with(f)) || files.iter().any(|f| path == f))
    };
    loop {
        let Ok(first) = events.recv() else {
            return Ok(());
        };
        let mut burst = vec![first];
        while let Ok(more) = events.recv_timeout(QUIET) {
            burst.push(more);
        }
        let complete = burst
            .iter()
            .all(|event| event.as_ref().is_ok_and(|event| !event.need_rescan()));
        let mut paths: Vec<PathBuf> = burst
            .into_iter()
            .filter_map(Result::ok)
            .filter(|event| !event.kind.is_access())
            .flat_map(|event| event.paths)
            .filter(|path| relevant(path))
            .collect();
        paths.sort();
        paths.dedup();
        if (!paths.is_empty() || !complete) && !changed(&Changes { paths, complete }) {
            return Ok(());
        }
    }
}
