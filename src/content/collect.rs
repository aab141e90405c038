//! Collecting a site: the files the walk lists (`walk`), read in parallel
//! (`read`) or taken from the build cache, then the duplicates left out
//! (`duplicates`) and the publication record applied.
//!
//! Files are listed in a fixed order and parsed in parallel; a file that
//! cannot be read becomes diagnostics, never an abort, so one bad post does
//! not hide the others.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use super::cache;
use super::duplicates::{mark_duplicates, reject_duplicates};
use super::read::{read_post, Read, ReadResult, Seen};
use super::walk::list_files;
use super::{publish, Listed, Post, State};
use crate::config::Config;
use crate::error::{Diagnostic, Error, Report};
use crate::generators::{FileKind, Generator};

/// Every post that could be read, and the files that could not.
#[derive(Debug, Default)]
pub struct Site {
    pub posts: Vec<Post>,
    /// The documents of `feeds.collections` (`FileKind::Document`): in
    /// their collection's feed alone, never among the posts.
    pub documents: Vec<Post>,
    /// Files that look like posts but had errors; listed by `gazette list`.
    pub failed: Vec<PathBuf>,
    /// Files read and left out on purpose, with the reason (no date where
    /// the generator lists only dated pages, `skip_if_key`, `permalink: false`).
    pub skipped: Vec<(PathBuf, String)>,
    /// Pages among `skipped` that the site still writes (Zola's undated
    /// pages), with their URLs: a post may link to one.
    pub pages: Vec<(PathBuf, url::Url)>,
    /// What to keep in the build cache for the next build, per file.
    pub(crate) records: Vec<cache::Record>,
    /// The publication record as applied to `posts` (recorded ids kept),
    /// with what this build adds to it.
    pub record: super::record::Applied,
    /// How the feeds order the posts (`entry_order`).
    pub entry_order: crate::generators::EntryOrder,
}

impl Site {
    /// Published posts that belong in feeds, newest first.
    pub fn feed_posts(&self, now: DateTime<Utc>) -> Vec<&Post> {
        self.listed(now, |listed| listed == Listed::Always)
    }

    /// Published posts that belong in the feeds of their sections (Hugo's
    /// `build.list: local` too), newest first.
    pub fn section_posts(&self, now: DateTime<Utc>) -> Vec<&Post> {
        self.listed(now, |listed| listed != Listed::Never)
    }

    /// Published posts that belong in the feeds of their tags, categories
    /// and terms (Hugo lists every page there, `build.list` or not),
    /// newest first.
    pub fn term_posts(&self, now: DateTime<Utc>) -> Vec<&Post> {
        self.listed(now, |_| true)
    }

    /// The published posts whose `listed` the lists of a kind of feed
    /// take, newest first.
    fn listed(&self, now: DateTime<Utc>, takes: impl Fn(Listed) -> bool) -> Vec<&Post> {
        let mut posts = published(&self.posts, now);
        posts.retain(|post| takes(post.listed));
        super::sort_for_feeds(self.entry_order, &mut posts);
        posts
    }

    /// The published documents of the collection at `index` of
    /// `feeds.collections`, newest first.
    pub fn collection_documents(&self, index: u8, now: DateTime<Utc>) -> Vec<&Post> {
        let mut documents: Vec<&Post> = published(&self.documents, now)
            .into_iter()
            .filter(|d| d.kind == FileKind::Document(index))
            .collect();
        super::sort_for_feeds(crate::generators::COLLECTION_ORDER, &mut documents);
        documents
    }
}

/// What of `posts` a feed may hold now.
fn published(posts: &[Post], now: DateTime<Utc>) -> Vec<&Post> {
    posts
        .iter()
        .filter(|p| p.in_feeds && publish::state(p, now) == State::Published)
        .collect()
}

/// Reads every post under the content folder.
pub fn collect(config: &Config, now: DateTime<Utc>, report: &mut Report) -> Result<Site, Error> {
    collect_showing(config, now, report, &|_| {})
}

/// How reading the posts goes, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Reading {
    /// This many files are to be read.
    Start {
        /// Files found.
        files: usize,
    },
    /// One more file was read (from any thread).
    File,
    /// Every file was read.
    Done,
}

/// `collect`, telling `progress` how it goes.
pub fn collect_showing(
    config: &Config,
    now: DateTime<Utc>,
    report: &mut Report,
    progress: &(dyn Fn(Reading) + Sync),
) -> Result<Site, Error> {
    let files = list_files(config, report)?;
    if config.generator == Generator::Jekyll {
        if let Some(problem) = &super::read::jekyll_defaults(config).problem {
            report.push(problem.clone());
        }
        if let Some(problem) = &super::read::jekyll_authors(config).1 {
            report.push(problem.clone());
        }
    }
    let stamps = cache::stamps(config, &files);
    let previous = if config.cache {
        cache::Cache::load(config, &cache::inputs(config))
    } else {
        cache::Cache::default()
    };
    collect_listed(config, files, stamps, previous, now, report, progress)
}

/// What in the config the site's files do not bear out: `[fields]` keys
/// no post sets (where any file was read anew, `keys_seen`), a collection
/// no page is tagged with.
fn warn_of_config_mismatches(
    config: &Config,
    site: &Site,
    keys_seen: Option<&Seen>,
    report: &mut Report,
) {
    if let Some(keys_seen) = keys_seen {
        warn_of_unused_fields(config, keys_seen, report);
    }
    warn_of_an_empty_collection(config, site, report);
}

/// A collection of posts that no page is tagged with is made otherwise:
/// by the site's code (a plugin, `addCollection`), which gazette does not
/// run. Said once, not as a reason on every page.
fn warn_of_an_empty_collection(config: &Config, site: &Site, report: &mut Report) {
    if config.collection.is_empty() {
        return;
    }
    let collection = config.collection_shown();
    let untagged = site
        .skipped
        .iter()
        .filter(|(_, why)| why.starts_with(super::read::NOT_TAGGED))
        .count();
    if site.posts.is_empty() && untagged > 0 {
        report.push(Diagnostic::warning(
            &config.file,
            None,
            format!(
                "no page is tagged {collection}, the collection of posts ({untagged} left out): where the site's code makes it (a plugin, `addCollection`), which gazette does not run, list its files in `collection_files` (globs below `content_dir`)"
            ),
        ));
    }
}

/// Files read (or taken from the cache) at a time.
const CHUNK: usize = 8192;

/// A `[fields]` entry the config sets whose keys no post carries is
/// likely misspelt. Not so a key that leaves posts out: a theme's feed
/// template honours it (PaperMod's `hiddenInRss`, which `init` writes)
/// whether or not a post hides itself yet, and `list` names what it hid.
fn warn_of_unused_fields(config: &Config, keys_seen: &Seen, report: &mut Report) {
    for name in &config.fields.explicit {
        if keys_seen.contains(name)
            || [
                "skip_if_key",
                "skip_main_if_key",
                "skip_if_value",
                "skip_main_if_value",
            ]
            .contains(name)
        {
            continue;
        }
        let keys: Vec<&str> = config
            .fields
            .named()
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, k)| *k)
            .collect();
        // An empty list turns the field off (`draft = []`): nothing to misspell.
        if keys.is_empty() {
            continue;
        }
        report.push(Diagnostic::warning(
            &config.file,
            None,
            format!(
                "`fields.{name}`: no post sets any of its keys ({}); check the spelling, or a dotted path such as `taxonomies.tags`",
                keys.join(", ")
            ),
        ));
    }
}

/// Each tag spelling once, shared by the posts that carry it.
type Spellings = rustc_hash::FxHashSet<super::Tag>;

/// Files as they were at the last build are taken from the cache, the
/// rest read, in parallel.
fn read_chunk(
    config: &Config,
    chunk: Vec<(PathBuf, FileKind)>,
    mut taken: cache::Taken,
    progress: &(dyn Fn(Reading) + Sync),
) -> Vec<(PathBuf, ReadResult)> {
    let known = std::mem::take(&mut taken.known);
    chunk
        .into_par_iter()
        .zip(known)
        .map(|((path, kind), known)| {
            let mut read = taken
                .read(&path, known)
                .unwrap_or_else(|| read_post(&path, kind, config));
            // Memory grows with the site only by what selecting the
            // feeds needs; the rest is read again for the posts an
            // output holds.
            if let Ok(Read::Post(post, _)) = &mut read {
                post.compact();
            }
            progress(Reading::File);
            (path, read)
        })
        .collect()
}

/// Makes the post's tags the spellings other posts share. A tag another
/// post holds too (a post kept in memory by `gazette watch`) is shared
/// already.
fn share_tags(post: &mut Post, spellings: &mut Spellings) {
    let feed_tags = post.feed_tags.iter_mut().flatten();
    let terms = post.terms.iter_mut().flatten();
    for tag in post
        .tags
        .iter_mut()
        .chain(feed_tags)
        .chain(terms)
        .filter(|tag| super::Tag::strong_count(tag) == 1)
    {
        match spellings.get(&**tag) {
            Some(shared) => *tag = shared.clone(),
            None => _ = spellings.insert(tag.clone()),
        }
    }
}

/// `collect_showing` for the files `list_files` already listed, with their
/// stamps (see `cache::stamps`), taking from `previous` the files that did
/// not change.
pub(crate) fn collect_listed(
    config: &Config,
    files: Vec<(PathBuf, FileKind)>,
    stamps: Vec<Option<cache::Stamp>>,
    previous: cache::Cache,
    now: DateTime<Utc>,
    report: &mut Report,
    progress: &(dyn Fn(Reading) + Sync),
) -> Result<Site, Error> {
    progress(Reading::Start { files: files.len() });
    let mut site = Site::default();
    // Nearly every file is a post: the site's posts are given their room
    // once, not grown by copying.
    site.posts.reserve_exact(files.len());
    let keep = config.cache;
    let mut records = Vec::with_capacity(if keep { files.len() } else { 0 });
    let mut keys_seen = Seen::default();
    let mut read_any = false;
    // Each tag spelling once, shared by the posts that carry it.
    let mut spellings: Spellings = Default::default();
    let mut previous = previous;
    let mut files = files.into_iter();
    let mut stamps = stamps.into_iter();
    // In chunks, in the order of the walk: what the cache holds for a
    // chunk is taken as it is reached, and only one chunk's results are
    // held besides the site.
    loop {
        let chunk: Vec<(PathBuf, FileKind)> = files.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let chunk_stamps: Vec<Option<cache::Stamp>> = stamps.by_ref().take(chunk.len()).collect();
        let taken = previous.take_in_order(&chunk, &chunk_stamps);
        let results = read_chunk(config, chunk, taken, progress);
        for ((path, read), stamp) in results.into_iter().zip(chunk_stamps) {
            let file = |read| {
                cache::Record::File(Box::new(cache::FileRecord {
                    path: path.clone(),
                    stamp,
                    read,
                }))
            };
            read_any |= !matches!(read, Ok(Read::NoFrontMatter));
            let (mut post, notes) = match read {
                Ok(Read::Post(post, notes)) => (post, notes),
                Ok(Read::Skipped(reason, url, notes)) => {
                    keys_seen.extend(notes.seen);
                    report.extend(notes.warnings.iter().cloned());
                    if keep {
                        records.push(file(cache::FileRead::Skipped(
                            reason.clone(),
                            url.clone(),
                            notes.seen,
                            notes.warnings,
                        )));
                    }
                    site.pages.extend(url.map(|url| (path.clone(), url)));
                    site.skipped.push((path, reason));
                    continue;
                }
                Ok(Read::NoFrontMatter) => {
                    report.push(Diagnostic::warning(
                        &path,
                        Some(1),
                        "no front matter, so not a post: start the file with `---` (YAML) or `+++` (TOML)",
                    ));
                    if keep {
                        records.push(file(cache::FileRead::NoFrontMatter));
                    }
                    continue;
                }
                Err(diagnostics) => {
                    report.extend(diagnostics.iter().cloned());
                    if keep {
                        records.push(file(cache::FileRead::Failed(diagnostics)));
                    }
                    site.failed.push(path);
                    continue;
                }
            };
            keys_seen.extend(notes.seen);
            report.extend(notes.warnings.iter().cloned());
            if let FileKind::Document(_) = post.kind {
                // Jekyll dates an undated document at `site.time`.
                post.date.get_or_insert(now.fixed_offset());
                if keep {
                    records.push(file(cache::FileRead::ReadAnew));
                }
                site.documents.push(*post);
                continue;
            }
            // A post that depends on another file (a chapters file it names)
            // is read anew each time: no stamp, no cache entry.
            let stamp = stamp.filter(|_| !post.reads_other_files());
            post.stamp = stamp.map(|stamp| stamp.digest());
            share_tags(&mut post, &mut spellings);
            if keep {
                records.push(cache::Record::Post {
                    stamp,
                    seen: notes.seen,
                    warnings: notes.warnings,
                });
            }
            site.posts.push(*post);
        }
    }
    progress(Reading::Done);
    report.extend(previous.problem());
    // The listing's room, before the posts are checked against each other.
    drop((previous, files, stamps));
    site.records = records;
    site.entry_order = config.entry_order;
    warn_of_config_mismatches(config, &site, read_any.then_some(&keys_seen), report);
    let rejected = reject_duplicates(&mut site, config.generator, now, report);
    if keep {
        mark_duplicates(&mut site.records, rejected);
    }
    site.record = super::record::apply(config, &mut site.posts, now)?;
    Ok(site)
}

#[cfg(test)]
pub(crate) mod tests {
    /// A dated post titled `title` in the content folder, as `name`.
    pub(crate) fn write_post(config: &crate::config::Config, name: &str, title: &str) {
        let text = format!("---\ntitle: {title}\ndate: 2025-01-02\n---\nBody of {title}.\n");
        std::fs::write(config.content_dir.join(name), text).unwrap();
    }

    /// A site in a temporary folder, with an empty content folder.
    pub(crate) fn site() -> (tempfile::TempDir, crate::config::Config) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let config = crate::config::Config::parse(
            "title = \"T\"\nbase_url = \"https://e.org/\"\n",
            &dir.path().join("config.toml"),
            dir.path().to_path_buf(),
        )
        .unwrap();
        (dir, config)
    }

    #[test]
    fn a_later_post_with_an_earlier_ones_url_or_id_is_left_out_and_read_anew_next_time() {
        let (dir, config) = site();
        let content = dir.path().join("content");
        let posts = [
            ("a.md", "slug: same"),
            ("b.md", "slug: same"),
            ("c.md", "id: tag:e.org,2025:1"),
            ("d.md", "id: tag:e.org,2025:1"),
            // Not published: clashes with nothing.
            ("e.md", "slug: same\ndraft: true"),
            // Left out for its URL, so its id is nobody's.
            ("f.md", "slug: same\nid: tag:e.org,2025:2"),
            ("g.md", "id: tag:e.org,2025:2"),
            ("h.md", "slug: other"),
        ];
        for (name, front) in posts {
            let text = format!("---\ntitle: {name}\ndate: 2025-01-01\n{front}\n---\nBody\n");
            std::fs::write(content.join(name), text).unwrap();
        }
        let now = "2026-01-01T00:00:00Z".parse().unwrap();
        let mut report = crate::Report::default();
        let site = super::collect(&config, now, &mut report).unwrap();
        let names = |paths: Vec<&std::path::Path>| -> Vec<String> {
            let names = paths.iter().map(|path| path.file_name().unwrap());
            names
                .map(|name| name.to_string_lossy().into_owned())
                .collect()
        };
        let kept = names(site.posts.iter().map(|post| post.path.as_path()).collect());
        assert_eq!(kept, ["a.md", "c.md", "e.md", "g.md", "h.md"]);
        let failed = names(site.failed.iter().map(|path| path.as_path()).collect());
        assert_eq!(failed, ["b.md", "d.md", "f.md"]);
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("same URL as"), "{errors:?}");
        assert!(errors[1].starts_with("same id as"), "{errors:?}");
        assert!(errors[2].starts_with("same URL as"), "{errors:?}");
        // Every file keeps its place in the cache's listing; the posts left
        // out are not cached.
        let listed: Vec<&std::path::Path> = super::cache::listed(&site.records, &site.posts)
            .map(|(path, _)| path)
            .collect();
        assert_eq!(
            names(listed),
            ["a.md", "b.md", "c.md", "d.md", "e.md", "f.md", "g.md", "h.md"]
        );
        let duplicates = site.records.iter().filter(|record| {
            matches!(record, super::cache::Record::File(file)
                if matches!(file.read, super::cache::FileRead::ReadAnew))
        });
        assert_eq!(duplicates.count(), 3);
    }

    #[test]
    fn posts_share_one_copy_of_each_tag_spelling() {
        let (dir, config) = site();
        let content = dir.path().join("content");
        for (name, tags) in [
            ("a.md", "[rust, go]"),
            ("b.md", "[go, Rust]"),
            ("c.md", "[rust]"),
        ] {
            let text = format!("---\ntitle: {name}\ndate: 2025-01-01\ntags: {tags}\n---\n");
            std::fs::write(content.join(name), text).unwrap();
        }
        let now = "2026-01-01T00:00:00Z".parse().unwrap();
        let site = super::collect(&config, now, &mut crate::Report::default()).unwrap();
        let [a, b, c] = &site.posts[..] else {
            panic!("{:?}", site.posts)
        };
        assert_eq!(
            a.tags.iter().map(|t| &**t).collect::<Vec<_>>(),
            ["rust", "go"]
        );
        assert_eq!(
            b.tags.iter().map(|t| &**t).collect::<Vec<_>>(),
            ["go", "Rust"]
        );
        assert!(std::sync::Arc::ptr_eq(&a.tags[0], &c.tags[0]));
        assert!(std::sync::Arc::ptr_eq(&a.tags[1], &b.tags[0]));
        // Another spelling is another tag name (its feed is the same).
        assert!(!std::sync::Arc::ptr_eq(&a.tags[0], &b.tags[1]));
    }
}
