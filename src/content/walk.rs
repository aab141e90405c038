//! Listing the post files of the content folder in a fixed order (the
//! order of a walk by name), and patching that listing from file-system
//! events for `watch`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::cache;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Report};
use crate::generators::{FileKind, Generator};
use crate::paths::clean_path;

/// Folders no generator keeps posts in, pruned from the walk.
const NEVER_CONTENT: &[&str] = &["node_modules", "vendor", "_site", ".jekyll-cache"];

/// Lists the post files in a fixed order. A folder that cannot be read or a
/// link that leads out of the content folder is reported and passed over.
pub(crate) fn list_files(
    config: &Config,
    report: &mut Report,
) -> Result<Vec<(PathBuf, FileKind)>, Error> {
    let dir = &config.content_dir;
    if !dir.is_dir() {
        return Err(Error::config(
            &config.file,
            format!(
                "content folder {} not found: create it or set `content_dir`",
                dir.display()
            ),
        ));
    }
    let root = dir.canonicalize().map_err(|e| Error::io(dir, e))?;
    let pruned: Vec<PathBuf> = [&config.output_dir, &config.templates_dir]
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .filter(|p| *p != root)
        .collect();
    let outside = std::cell::RefCell::new(Vec::new());
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    // Not walkdir's sorting: it takes each entry's name again from its path
    // at every comparison, the costliest part of the walk.
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            // Hidden files and folders (.git, editor swap files) are never posts.
            if name.starts_with('.')
                || (e.file_type().is_dir() && NEVER_CONTENT.contains(&name.as_ref()))
            {
                return false;
            }
            if e.path_is_symlink() {
                match e.path().canonicalize() {
                    Ok(target) if target.starts_with(&root) => {}
                    _ => {
                        outside.borrow_mut().push(e.path().to_path_buf());
                        return false;
                    }
                }
            }
            if e.file_type().is_dir() {
                if let Ok(canonical) = e.path().canonicalize() {
                    return !pruned.contains(&canonical);
                }
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                // A hidden name the filter never saw: following a link that
                // leads nowhere fails first (Emacs's `.#post.md` lock file).
                let hidden = path
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with('.'));
                if hidden && path != *dir {
                    continue;
                }
                let message = match e.loop_ancestor() {
                    Some(ancestor) => {
                        format!("link loop back to {}: not followed", ancestor.display())
                    }
                    None => format!(
                        "cannot read: {}; the posts in it are left out",
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    ),
                };
                unreadable.push(Diagnostic::error(&clean_path(&path), None, message));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = clean_path(entry.path());
        if let Some(kind) = post_kind(config, &path) {
            files.push((path, kind));
        }
    }
    // Files and messages in the same order whatever the order the file
    // system lists folders in.
    files.sort_by(|(a, _), (b, _)| path_cmp(a, b));
    unreadable.sort_by(|a: &Diagnostic, b: &Diagnostic| path_cmp(&a.path, &b.path));
    report.extend(unreadable);
    let mut outside = outside.into_inner();
    outside.sort_by(|a, b| path_cmp(a, b));
    if matches!(config.generator, Generator::Hugo | Generator::Zola) {
        drop_bundle_resources(&mut files, config);
    }
    for link in outside {
        report.push(Diagnostic::warning(
            &clean_path(&link),
            None,
            "symbolic link to somewhere outside the content folder: not followed",
        ));
    }
    Ok(files)
}

/// How a file the walk found counts, if it may be a post: by extension,
/// `exclude` and the generator's rules.
fn post_kind(config: &Config, path: &Path) -> Option<FileKind> {
    if !has_post_extension(path, config) {
        return None;
    }
    let rel = relative_to_content(path, config);
    if config.exclude.is_match(&rel) {
        return None;
    }
    if config.generator == Generator::Eleventy
        && config
            .shared_files
            .eleventy_ignores(&config.root, &config.content_dir)
            .ignores(&rel)
    {
        return None;
    }
    if let Some(kind) = document_kind(config, &rel) {
        return kind;
    }
    match config.generator.file_kind(&rel) {
        FileKind::NotAPost => None,
        kind => Some(kind),
    }
}

/// For a file in the folder of one of `feeds.collections`: a document of
/// it, or nothing for a name Jekyll's reader passes over (`_x`, `.x`, `#x`,
/// `x~` at any depth below the folder).
fn document_kind(config: &Config, rel: &Path) -> Option<Option<FileKind>> {
    let collections = &config.feeds.collections;
    let (index, below) = collections.values().enumerate().find_map(|(i, c)| {
        let below = rel.strip_prefix(&c.folder).ok()?;
        Some((u8::try_from(i).ok()?, below))
    })?;
    let passed_over = below.components().any(|part| {
        let name = part.as_os_str().to_string_lossy();
        name.starts_with(['_', '.', '#']) || name.ends_with('~')
    });
    Some((!passed_over).then_some(FileKind::Document(index)))
}

/// The files a walk lists, and their stamps (see `cache::stamps`).
pub(crate) type Listing = (Vec<(PathBuf, FileKind)>, Vec<Option<cache::Stamp>>);

/// The files `list_files` would list now, from what it listed before
/// (`files`, with their `stamps`) and the paths that changed since, as
/// file-system events name them; `None` when only a walk can tell (a
/// folder or a link changed, or a page bundle's index).
pub(crate) fn relist(
    config: &Config,
    files: &[(PathBuf, FileKind)],
    stamps: &[Option<cache::Stamp>],
    changed: &[PathBuf],
) -> Option<Listing> {
    let content = config.content_dir.canonicalize().ok()?;
    let pruned: Vec<PathBuf> = [&config.output_dir, &config.templates_dir]
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let bundles = matches!(config.generator, Generator::Hugo | Generator::Zola);
    let mut listed: Vec<(PathBuf, FileKind, Option<cache::Stamp>)> = files
        .iter()
        .zip(stamps)
        .map(|((path, kind), stamp)| (path.clone(), *kind, *stamp))
        .collect();
    for event_path in changed {
        // What Eleventy ignores changed: only a walk can tell what it now lists.
        let names_ignores = event_path.file_name().is_some_and(|name| {
            crate::generators::eleventy_ignores::IGNORE_FILES
                .iter()
                .any(|f| name == *f)
        });
        if config.generator == Generator::Eleventy && names_ignores {
            return None;
        }
        // Events name absolute paths; the walk names them from the
        // configured folder.
        let Ok(rel) = event_path.strip_prefix(&content) else {
            continue;
        };
        if pruned.iter().any(|p| event_path.starts_with(p)) {
            continue;
        }
        let hidden = rel.components().any(|part| {
            let name = part.as_os_str().to_string_lossy();
            name.starts_with('.') || NEVER_CONTENT.contains(&name.as_ref())
        });
        if hidden {
            continue;
        }
        let path = clean_path(&config.content_dir.join(rel));
        let is_index = path
            .file_stem()
            .is_some_and(|s| s.eq_ignore_ascii_case("index"));
        if bundles && is_index {
            return None;
        }
        let at = listed.binary_search_by(|(p, _, _)| path_cmp(p, &path));
        match std::fs::symlink_metadata(&path) {
            Err(_) => {
                if let Ok(at) = at {
                    listed.remove(at);
                }
            }
            Ok(meta) if meta.is_file() => {
                let entry = post_kind(config, &path)
                    .map(|kind| (path.clone(), kind, cache::Stamp::of(&path)));
                match (at, entry) {
                    (Ok(at), Some(entry)) => listed[at] = entry,
                    (Ok(at), None) => {
                        listed.remove(at);
                    }
                    (Err(at), Some(entry)) => listed.insert(at, entry),
                    (Err(_), None) => {}
                }
            }
            // A folder or a link: what it holds is for a walk to find.
            Ok(_) => return None,
        }
    }
    if bundles {
        // A new file inside a page bundle is one of its resources.
        let mut files: Vec<(PathBuf, FileKind)> =
            listed.iter().map(|(p, k, _)| (p.clone(), *k)).collect();
        drop_bundle_resources(&mut files, config);
        if files.len() != listed.len() {
            return None;
        }
    }
    Some(listed.into_iter().map(|(p, k, s)| ((p, k), s)).unzip())
}

/// The order of a walk that visits each folder's entries by name: paths
/// compared component by component, which is their bytes compared with the
/// separators as the smallest byte. Every list of files in gazette is in
/// this order, so lists are matched in one pass.
pub(crate) fn walk_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let key = |byte: u8| match std::path::is_separator(byte as char) {
        true => 0,
        false => byte,
    };
    match a.iter().zip(b).find(|(x, y)| x != y) {
        Some((&x, &y)) => key(x).cmp(&key(y)),
        None => a.len().cmp(&b.len()),
    }
}

/// `walk_cmp` of two paths.
pub(crate) fn path_cmp(a: &Path, b: &Path) -> std::cmp::Ordering {
    walk_cmp(
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    )
}

/// In a page bundle (a folder with an `index.md`) the other Markdown files
/// are the page's resources, not pages (Hugo's leaf bundles, Zola's
/// colocated assets); `index.fr.md` is the bundle's page in French.
fn drop_bundle_resources(files: &mut Vec<(PathBuf, FileKind)>, config: &Config) {
    let is_index = |path: &Path| {
        config
            .translations
            .stem_without_language(path)
            .is_some_and(|s| s.eq_ignore_ascii_case("index"))
    };
    let bundles: HashSet<PathBuf> = files
        .iter()
        .filter(|(path, _)| is_index(path))
        .filter_map(|(path, _)| path.parent().map(Path::to_path_buf))
        .collect();
    files.retain(|(path, _)| {
        is_index(path) || !path.ancestors().skip(1).any(|dir| bundles.contains(dir))
    });
}

fn has_post_extension(path: &Path, config: &Config) -> bool {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return false;
    };
    config
        .extensions
        .iter()
        .any(|e| e.eq_ignore_ascii_case(ext))
}

/// A path below the content folder, as scopes and patterns see it.
pub(super) fn relative_to_content(path: &Path, config: &Config) -> PathBuf {
    path.strip_prefix(&config.content_dir)
        .unwrap_or(path)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use crate::content::collect::tests::site;

    #[test]
    fn a_listing_patched_from_events_is_the_walks_listing() {
        let (dir, config) = site();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("sub")).unwrap();
        for name in ["a.md", "c.md", "sub/d.md"] {
            std::fs::write(content.join(name), "---\ntitle: x\n---\n").unwrap();
        }
        let mut report = crate::Report::default();
        let files = super::list_files(&config, &mut report).unwrap();
        let stamps = crate::content::cache::stamps(&config, &files);
        std::fs::write(content.join("b.md"), "---\ntitle: b\n---\n").unwrap();
        std::fs::write(content.join("sub/d.md"), "---\ntitle: d, edited\n---\n").unwrap();
        std::fs::remove_file(content.join("c.md")).unwrap();
        std::fs::write(content.join(".hidden.md"), "x").unwrap();
        std::fs::write(content.join("notes.txt"), "x").unwrap();
        let root = content.canonicalize().unwrap();
        let changed: Vec<std::path::PathBuf> =
            ["b.md", "sub/d.md", "c.md", ".hidden.md", "notes.txt"]
                .iter()
                .map(|name| root.join(name))
                .collect();
        let patched = super::relist(&config, &files, &stamps, &changed).unwrap();
        let walked = super::list_files(&config, &mut report).unwrap();
        assert_eq!(patched.0, walked);
        assert_eq!(patched.1, crate::content::cache::stamps(&config, &walked));
        // A new folder is for a walk to find.
        std::fs::create_dir_all(content.join("new")).unwrap();
        assert!(super::relist(&config, &files, &stamps, &[root.join("new")]).is_none());
    }

    /// Emacs's lock file, `.#post.md`, a link to a host and process that
    /// is no file: hidden, not an unreadable post; a visible broken link
    /// is still said.
    #[cfg(unix)]
    #[test]
    fn a_hidden_link_to_nowhere_is_no_error() {
        let (dir, config) = site();
        let content = dir.path().join("content");
        std::fs::write(content.join("post.md"), "---\ntitle: x\n---\n").unwrap();
        std::os::unix::fs::symlink("ann@host.969", content.join(".#post.md")).unwrap();
        let mut report = crate::Report::default();
        let files = super::list_files(&config, &mut report).unwrap();
        assert_eq!(files.len(), 1);
        assert!(report.diagnostics.is_empty(), "{report:?}");
        std::os::unix::fs::symlink("nowhere.md", content.join("gone.md")).unwrap();
        let mut visible = crate::Report::default();
        super::list_files(&config, &mut visible).unwrap();
        assert_eq!(visible.diagnostics.len(), 1, "{visible:?}");
    }

    #[test]
    fn files_are_in_the_order_of_a_walk_by_name() {
        let mut paths: Vec<std::path::PathBuf> = [
            "c/a.b",
            "c/a/b.md",
            "c/a-b.md",
            "c.md",
            "c/A.md",
            "c/a/b/c.md",
            "b/z.md",
            "c/a.md",
        ]
        .iter()
        .map(std::path::PathBuf::from)
        .collect();
        let mut by_components = paths.clone();
        by_components.sort();
        paths.sort_by(|a, b| super::path_cmp(a, b));
        assert_eq!(paths, by_components);
    }
}
