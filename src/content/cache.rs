//! The build cache: what collecting read from each post file, kept in
//! `.gazette/build-cache.bin` beside the ledger, so a rebuild parses only
//! the files that changed.
//!
//! A file's entry is used only while its size, modification time, change
//! time and inode are what they were, and the whole cache only while the
//! gazette program (`build_identity`), the cache format and the config (its text and the
//! addresses and folders a build uses) are the same. A missing, truncated
//! or foreign file is read as no cache, a damaged record as the cache's
//! end: a warning at most, never a wrong build.
//!
//! The file is binary (postcard) and read without decoding what is not
//! used: a magic string, the format number, the header's length and the
//! header (what the last build wrote), then one length-prefixed record per
//! file in the order of the walk. The records are read as the build reaches
//! their files, and decoded only when a file is taken from the cache; a
//! record that cannot be read ends the cache's use there (a warning, and
//! the files after it are read).

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::read::{Notes, Read, ReadResult, Seen};
use super::walk::{path_cmp, walk_cmp};
use super::Post;
use crate::config::Config;
use crate::error::{Diagnostic, Error};
use crate::generators::FileKind;
use crate::paths::or_current;

/// Bumped whenever what is cached, or how it is read, changes.
const FORMAT: u32 = 23;

/// The cache file, relative to the site's folder.
const FILE: &str = ".gazette/build-cache.bin";

/// Where the cache of `config`'s build is: each language with feeds of its
/// own (`[translations] feeds`) keeps one beside the main build's.
pub(crate) fn path_of(config: &Config) -> std::path::PathBuf {
    match &config.translations.current {
        Some(code) => config.root.join(format!(".gazette/build-cache.{code}.bin")),
        None => config.root.join(FILE),
    }
}

/// What the file starts with, so that no other file is taken for a cache.
const MAGIC: &[u8; 8] = b"GZTCACHE";

/// The magic string, the format and the header's length.
const PREFIX: usize = 8 + 4 + 8;

/// What identifies one state of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    size: u64,
    /// Nanoseconds since 1970 (an `i64` holds them until 2262).
    modified_ns: i64,
    changed_ns: i64,
    inode: u64,
}

impl Stamp {
    /// The stamp of `path` now; `None` when it cannot be read.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let nanos = |time: std::io::Result<std::time::SystemTime>| {
            time.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        };
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ctime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (0, 0);
        Some(Stamp {
            size: meta.len(),
            modified_ns: nanos(meta.modified()),
            changed_ns,
            inode,
        })
    }

    /// A 64-bit digest of the stamp, which posts carry.
    pub(crate) fn digest(&self) -> u64 {
        let hash = sha2::Sha256::digest(self.bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&hash[..8]);
        u64::from_le_bytes(first)
    }

    /// The stamp as bytes, to hash.
    pub(crate) fn bytes(&self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&self.size.to_le_bytes());
        bytes[8..16].copy_from_slice(&self.modified_ns.to_le_bytes());
        bytes[16..24].copy_from_slice(&self.changed_ns.to_le_bytes());
        bytes[24..].copy_from_slice(&self.inode.to_le_bytes());
        bytes
    }
}

/// What reading one file gave, as the cache keeps it.
#[derive(Debug, Serialize, Deserialize)]
enum Cached {
    Post {
        post: Box<Post>,
        /// Fields the post's own serialisation (for templates) leaves out.
        kind: FileKind,
        tags_line: Option<usize>,
        seen: Seen,
        warnings: Vec<Diagnostic>,
    },
    Skipped {
        reason: String,
        url: Option<String>,
        seen: Seen,
        warnings: Vec<Diagnostic>,
    },
    NoFrontMatter,
    Failed {
        diagnostics: Vec<Diagnostic>,
    },
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    gazette: String,
    inputs: String,
    /// What the last build wrote, to know when a build would write it again.
    #[serde(default)]
    outputs: Option<Outputs>,
    /// The length of the records after the header: a cache cut short is
    /// known from its size, without reading it.
    body_bytes: u64,
}

/// What a build wrote, and from what: enough to know, from the file list
/// and stamps alone, that a build would write the same again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Outputs {
    /// A digest of every file the content folder listed, in order, with
    /// its stamp (see `listing_digest`); `None` when one had none.
    pub(crate) sources: Option<String>,
    /// The templates the files were rendered with (see `templates_key`).
    pub(crate) templates: String,
    /// The publication record's file as the build left it: a record edited
    /// since (by hand, by `gazette record`) is a change.
    pub(crate) record: Option<Stamp>,
    /// The build's instant and the next instant at which a post becomes
    /// due or expires (nanoseconds since 1970): between the two, every
    /// post's state is the same.
    pub(crate) built_at: i64,
    pub(crate) horizon: Option<i64>,
    /// Each file written, with its stamp right after.
    pub(crate) files: Vec<(PathBuf, Stamp)>,
    /// Every diagnostic the build gave, to give again.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Posts read, published and failed.
    pub(crate) counts: (usize, usize, usize),
    /// Each file's fingerprint (paths inside the output folder), to keep
    /// the files a changed site would write the same.
    pub(crate) fingerprints: Vec<(String, String)>,
    /// What rendering each post reported.
    pub(crate) post_warnings: PostWarnings,
}

impl Outputs {
    /// Whether a build at `now` of the content folder that lists `files`
    /// would write what this build wrote: same files as they were, same
    /// templates, no post due or expired since, outputs untouched.
    pub(crate) fn still_hold(
        &self,
        keys: &Keys,
        now: i64,
        files: &[(PathBuf, FileKind)],
        stamps: &[Option<Stamp>],
    ) -> bool {
        now >= self.built_at
            && self.horizon.is_none_or(|h| now < h)
            && self.sources.is_some()
            && self.sources
                == listing_digest(
                    files
                        .iter()
                        .map(|(path, _)| path.as_path())
                        .zip(stamps.iter().copied()),
                )
            && self.templates == keys.templates
            && self.record == keys.record
            && self
                .files
                .iter()
                .all(|(path, stamp)| Stamp::of(path) == Some(*stamp))
    }
}

impl Outputs {
    /// What a build may keep of this one: the fingerprints of the files
    /// still as it wrote them.
    pub(crate) fn reusable(&self, config: &Config) -> Reuse {
        let stamps: HashMap<&Path, Stamp> = self
            .files
            .iter()
            .map(|(path, stamp)| (path.as_path(), *stamp))
            .collect();
        let previous = self
            .fingerprints
            .iter()
            .filter(|(file, _)| {
                let path = config.output_dir.join(file);
                stamps
                    .get(path.as_path())
                    .is_some_and(|stamp| Stamp::of(&path) == Some(*stamp))
            })
            .cloned()
            .collect();
        Reuse {
            previous,
            warnings: self.post_warnings.clone(),
        }
    }
}

/// What the last build left that this one may keep.
#[derive(Debug, Default)]
pub(crate) struct Reuse {
    /// Fingerprints of the output files (paths inside the output folder)
    /// that are still as the last build wrote them.
    pub(crate) previous: HashMap<String, String>,
    /// What rendering each post gave to report, by the template it was
    /// rendered with, as the last build reported it.
    pub(crate) warnings: PostWarnings,
}

/// The diagnostics rendering each post gave, by post file: kept so that a
/// build which keeps a feed reports what rendering its posts would report.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct PostWarnings {
    /// As a feed entry.
    pub(crate) entries: HashMap<PathBuf, Vec<Diagnostic>>,
    /// As podcast show notes.
    pub(crate) notes: HashMap<PathBuf, Vec<Diagnostic>>,
}

/// The stamp of each file, taken in parallel; none without the cache.
pub(crate) fn stamps(config: &Config, files: &[(PathBuf, FileKind)]) -> Vec<Option<Stamp>> {
    use rayon::prelude::*;
    if !config.cache {
        return vec![None; files.len()];
    }
    files.par_iter().map(|(path, _)| Stamp::of(path)).collect()
}

/// A digest of a listing of files with their stamps, to know the listing
/// is the same without keeping it; `None` when a file has no stamp (it is
/// read anew each time, so no listing holding it is the same).
pub(crate) fn listing_digest<'a>(
    listing: impl Iterator<Item = (&'a Path, Option<Stamp>)>,
) -> Option<String> {
    let mut hash = sha2::Sha256::new();
    for (path, stamp) in listing {
        hash.update(path.as_os_str().as_encoded_bytes());
        hash.update([0]);
        hash.update(stamp?.bytes());
    }
    Some(hex::encode(&hash.finalize()[..16]))
}

/// Nanoseconds since 1970 of an instant, as `Outputs` keeps them.
pub(crate) fn instant(time: chrono::DateTime<chrono::Utc>) -> i64 {
    time.timestamp_nanos_opt().unwrap_or(i64::MAX)
}

/// The next instant after `now` at which a post's state changes.
pub(crate) fn horizon(posts: &[Post], now: chrono::DateTime<chrono::Utc>) -> Option<i64> {
    let now = now.fixed_offset();
    posts
        .iter()
        .flat_map(|p| [p.date, p.publish_at, p.held_until, p.expiry])
        .flatten()
        .filter(|at| *at > now)
        .min()
        .map(|at| instant(at.with_timezone(&chrono::Utc)))
}

/// What a build's outputs depend on besides the posts: the config (see
/// `inputs`), the templates (see `templates_key`) and the publication
/// record's file, taken once a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keys {
    pub(crate) inputs: String,
    pub(crate) templates: String,
    pub(crate) record: Option<Stamp>,
}

impl Keys {
    pub(crate) fn of(config: &Config) -> Keys {
        Keys {
            inputs: inputs(config),
            templates: templates_key(config),
            record: Stamp::of(&super::record::path_of(config)),
        }
    }
}

/// The templates folder's files, by stamp.
pub(crate) fn templates_key(config: &Config) -> String {
    let mut hash = sha2::Sha256::new();
    let templates = walkdir::WalkDir::new(&config.templates_dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path);
    hash_files(&mut hash, templates);
    hex::encode(&hash.finalize()[..16])
}

/// Each file's path and stamp (nothing for a file that is not there) into
/// `hash`, in the order of their paths.
fn hash_files(hash: &mut sha2::Sha256, files: impl Iterator<Item = PathBuf>) {
    let mut files: Vec<PathBuf> = files.collect();
    files.sort();
    for path in files {
        hash.update(path.to_string_lossy().as_bytes());
        hash.update(Stamp::of(&path).map_or([0; 32], |stamp| stamp.bytes()));
    }
}

/// Which gazette wrote a cache: its version and, where it can be read, the
/// size and modification time of the program itself. A build from source
/// keeps the version it was cut from while its rules change; what an older
/// build of the same version cached (a post's URL made by an older rule)
/// must not outlive it.
pub(crate) fn build_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let program = std::env::current_exe().and_then(std::fs::metadata);
        let stamp = program.ok().and_then(|meta| {
            let modified = meta.modified().ok()?;
            let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
            Some(format!("{}.{}", meta.len(), since.as_nanos()))
        });
        match stamp {
            Some(stamp) => format!("{}+{stamp}", env!("CARGO_PKG_VERSION")),
            None => env!("CARGO_PKG_VERSION").to_string(),
        }
    })
}

/// Why a cache file is not used.
enum Unusable {
    /// Another version, format or config: silently out of date.
    Stale,
    /// Not a cache, or cut short: said once, then written anew.
    Damaged(&'static str),
}

/// Reads the start of a cache file of `size` bytes: its header, after which
/// the records start. A file cut short is found from the size the header
/// gives, without reading the records. `inputs` is this build's (see
/// `inputs`): a cache for other inputs is stale.
fn read_header(inputs: &str, file: &mut impl std::io::Read, size: u64) -> Result<Header, Unusable> {
    let mut prefix = [0u8; PREFIX];
    file.read_exact(&mut prefix)
        .map_err(|_| Unusable::Damaged("unreadable"))?;
    if &prefix[..8] != MAGIC {
        return Err(Unusable::Damaged("unreadable"));
    }
    if prefix[8..12] != FORMAT.to_le_bytes() {
        return Err(Unusable::Stale);
    }
    let mut length = [0u8; 8];
    length.copy_from_slice(&prefix[12..20]);
    let length = u64::from_le_bytes(length);
    if length > size {
        return Err(Unusable::Damaged("damaged or cut short"));
    }
    let mut bytes = vec![0; length as usize];
    file.read_exact(&mut bytes)
        .map_err(|_| Unusable::Damaged("damaged or cut short"))?;
    let header: Header =
        postcard::from_bytes(&bytes).map_err(|_| Unusable::Damaged("unreadable"))?;
    if header.gazette != build_identity() || header.inputs != inputs {
        return Err(Unusable::Stale);
    }
    let body = PREFIX as u64 + length;
    if size != body + header.body_bytes {
        return Err(Unusable::Damaged("damaged or cut short"));
    }
    Ok(header)
}

/// What the last build wrote, reading only the cache's header; `None`
/// without a usable cache.
pub(crate) fn last_outputs(config: &Config, inputs: &str) -> Option<Outputs> {
    let file = std::fs::File::open(path_of(config)).ok()?;
    let size = file.metadata().ok()?.len();
    let mut file = std::io::BufReader::new(file);
    let header = read_header(inputs, &mut file, size).ok()?;
    header.outputs
}

/// What every record starts with; a `Cached` follows.
#[derive(Debug, Serialize)]
struct Key<'a> {
    path: &'a Path,
    stamp: Stamp,
}

/// What the records of one config depend on besides the files themselves.
pub(crate) fn inputs(config: &Config) -> String {
    let mut hash = sha2::Sha256::new();
    hash.update(std::fs::read(&config.file).unwrap_or_default());
    // Not the publication record: it is applied to the posts after they are
    // read (and cached), and output fingerprints cover what it gives them.
    for part in [
        config.base_url.as_str(),
        &config.content_dir.to_string_lossy(),
        &config.output_dir.to_string_lossy(),
        &config.templates_dir.to_string_lossy(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    // Eleventy posts take values from data files and layouts
    // (`content::cascade`): a change to one is a change to the inputs.
    if config.generator == crate::generators::Generator::Eleventy {
        let data = super::cascade::site_files(&config.content_dir, usize::MAX)
            .filter(|e| {
                e.path().extension().is_some_and(|x| x == "json")
                    || super::cascade::is_javascript_data(&e.file_name().to_string_lossy())
                    || e.path()
                        .components()
                        .any(|c| c.as_os_str() == "_includes" || c.as_os_str() == "_data")
            })
            // With the modules a data file exports whole and the JSON files
            // it imports, wherever they are.
            .flat_map(|e| super::cascade::data_file_sources(e.path()));
        hash_files(&mut hash, data);
        // And the config's date and slug filters, which permalinks use,
        // with the site's modules the slug filters come from.
        // Every file that could be the config, `package.json` naming one.
        use crate::generators::eleventy_config::CONFIG_FILES;
        let modules = config.shared_files.eleventy_filters(&config.root);
        let configs = CONFIG_FILES
            .iter()
            .chain(&["package.json"])
            .map(|name| config.root.join(name));
        for path in configs.chain(modules.files.iter().cloned()) {
            hash.update(path.to_string_lossy().as_bytes());
            let stamp = Stamp::of(&path);
            hash.update(stamp.map_or([0; 32], |stamp| stamp.bytes()));
        }
        // A commit moves the dates of `date: git Last Modified` pages
        // without touching their files.
        hash.update(crate::generators::eleventy_git_dates::history_state(
            &config.root,
        ));
    }
    // Feeds per section follow the `_index` pages (`content::sections`),
    // which are no posts: one added or removed changes the inputs.
    if config.feeds.per_section {
        for path in super::sections::index_pages(config) {
            hash.update(path.to_string_lossy().as_bytes());
            hash.update([0]);
        }
    }
    // Jekyll posts take values from the `defaults:` of `_config.yml`, and
    // their authors from `_data/authors.yml`; their links follow the
    // Jekyll version the Gemfile names.
    if config.generator == crate::generators::Generator::Jekyll {
        let source = super::read::jekyll_defaults(config).source(&config.root);
        let data = ["authors.yml", "authors.yaml", "authors.json"]
            .map(|name| source.join("_data").join(name));
        let site = ["_config.yml", "_config.yaml", "Gemfile", "Gemfile.lock"]
            .map(|name| config.root.join(name));
        for path in site.iter().chain(&data) {
            hash.update(Stamp::of(path).map_or([0; 32], |stamp| stamp.bytes()));
        }
        jekyll_pages(config, &source, &mut hash);
    }
    // Zola shortcodes render through the site's and its theme's templates;
    // `from_section` takes keys from the sections' `_index` pages, and
    // `main_sections` follows which sections hold a page.
    if config.generator == crate::generators::Generator::Zola {
        zola_templates(config, &mut hash);
        if !config.fields.from_section.is_empty() || !config.feeds.main_sections.is_empty() {
            let mut sections: Vec<PathBuf> =
                super::cascade::site_files(&config.content_dir, usize::MAX)
                    .filter(|e| e.file_name().to_string_lossy().starts_with("_index."))
                    .map(walkdir::DirEntry::into_path)
                    .collect();
            sections.sort();
            for path in sections {
                hash.update(path.to_string_lossy().as_bytes());
                hash.update(Stamp::of(&path).map_or([0; 32], |stamp| stamp.bytes()));
            }
        }
    }
    hex::encode(&hash.finalize()[..16])
}

/// The stamps of a Jekyll site's pages and collection documents, whose URLs
/// a post's `{% link path %}` gives (`render::jekyll_link`): a page moved
/// is a change to the inputs. Posts and the documents of a collection with
/// a feed have stamps of their own; layouts, includes and styles make no
/// URL.
fn jekyll_pages(config: &Config, source: &Path, hash: &mut sha2::Sha256) {
    let skipped = |name: &str| {
        matches!(
            name,
            "_posts" | "_drafts" | "_site" | "_layouts" | "_includes" | "_sass" | "_data"
        ) || matches!(
            name,
            "node_modules" | "vendor" | ".git" | ".gazette" | ".jekyll-cache"
        )
    };
    let (root, source) = (or_current(&config.root), or_current(source));
    let clean = |path: &Path| crate::paths::clean_path(&root.join(path));
    let mut read_apart = vec![clean(&config.output_dir)];
    read_apart.extend(
        (config.feeds.collections.values()).map(|c| clean(&config.content_dir.join(&c.folder))),
    );
    let pages = walkdir::WalkDir::new(source)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(skipped(&e.file_name().to_string_lossy())
                    || read_apart.contains(&crate::paths::clean_path(e.path())))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            e.path().extension().is_some_and(|x| {
                let x = x.to_string_lossy().to_ascii_lowercase();
                x == "htm" || config.extensions.contains(&x)
            })
        })
        .map(walkdir::DirEntry::into_path);
    hash_files(hash, pages);
}

/// The stamps of a Zola site's config (a shortcode's `config`) and of every
/// template of its own and its theme's, which its shortcodes may use.
fn zola_templates(config: &Config, hash: &mut sha2::Sha256) {
    use crate::generators::zola_site;
    let root = &config.root;
    let templates = zola_site::template_files(root, &zola_site::read_config(root));
    let files = std::iter::once(zola_site::config_file(root))
        .chain(templates.into_iter().map(|(_, path)| path));
    for path in files {
        hash.update(path.to_string_lossy().as_bytes());
        hash.update(Stamp::of(&path).map_or([0; 32], |stamp| stamp.bytes()));
    }
}

/// What earlier builds read, for one build to take files from, in the
/// order of the walk: the build asks for its files in that order too, so
/// one pass matches the two and nothing of the cache is held longer than
/// the files it is asked for.
#[derive(Debug, Default)]
pub(crate) enum Cache {
    #[default]
    Empty,
    /// A cache file that cannot be used: as good as none, and said once
    /// (see `problem`).
    Unusable(Diagnostic),
    /// The cache file, read as the files are asked for.
    File(Box<CacheFile>),
    /// What the last build of this process read (`gazette watch`).
    Memory(std::iter::Peekable<std::vec::IntoIter<(PathBuf, Stamp, ReadResult)>>),
}

/// The records of a cache file, read one at a time.
#[derive(Debug)]
pub(crate) struct CacheFile {
    path: PathBuf,
    reader: std::io::BufReader<std::fs::File>,
    /// Bytes of records not read yet.
    left: u64,
    /// The record read last and not passed yet: its bytes, where its path
    /// is in them, its stamp and where what reading the file gave starts.
    record: Vec<u8>,
    head: Option<(Range<usize>, Stamp, usize)>,
    /// Records read, and how many had been when one could not be.
    read: usize,
    damaged_at: Option<usize>,
}

impl CacheFile {
    /// Reads the next record; `head` is `None` after the last one, or at
    /// a record that cannot be read (the files after it are read anew).
    fn advance(&mut self) {
        self.head = None;
        if self.left == 0 || self.damaged_at.is_some() {
            return;
        }
        match self.next_record() {
            Some(head) => {
                self.head = Some(head);
                self.read += 1;
            }
            None => self.damaged_at = Some(self.read),
        }
    }

    fn next_record(&mut self) -> Option<(Range<usize>, Stamp, usize)> {
        use std::io::Read;
        let mut length = [0u8; 4];
        self.reader.read_exact(&mut length).ok()?;
        let length = u64::from(u32::from_le_bytes(length));
        self.left = self.left.checked_sub(4 + length)?;
        self.record.resize(usize::try_from(length).ok()?, 0);
        self.reader.read_exact(&mut self.record).ok()?;
        key_of(&self.record)
    }
}

impl Cache {
    /// What reading each file of `site` gave, as a cache for the next build.
    pub(crate) fn of_site(site: super::Site) -> Cache {
        let mut kept = Vec::with_capacity(site.records.len());
        for (record, post) in paired(site.records, site.posts) {
            let entry = match record {
                Record::Post {
                    stamp,
                    seen,
                    warnings,
                } => post.zip(stamp).map(|(post, stamp)| {
                    let path = post.path.clone();
                    let read = Read::Post(Box::new(post), Notes { seen, warnings });
                    (path, stamp, Ok(read))
                }),
                Record::File(file) => {
                    let FileRecord { path, stamp, read } = *file;
                    let read = match read {
                        FileRead::Skipped(reason, url, seen, warnings) => {
                            Some(Ok(Read::Skipped(reason, url, Notes { seen, warnings })))
                        }
                        FileRead::NoFrontMatter => Some(Ok(Read::NoFrontMatter)),
                        FileRead::Failed(diagnostics) => Some(Err(diagnostics)),
                        FileRead::ReadAnew => None,
                    };
                    stamp.zip(read).map(|(stamp, read)| (path, stamp, read))
                }
            };
            kept.extend(entry);
        }
        Cache::Memory(kept.into_iter().peekable())
    }

    /// What each of `files` (the next files of the walk, in its order) gave
    /// last time, when it is as it was then.
    pub(crate) fn take_in_order(
        &mut self,
        files: &[(PathBuf, FileKind)],
        stamps: &[Option<Stamp>],
    ) -> Taken {
        let mut taken = Taken::default();
        for ((path, _), stamp) in files.iter().zip(stamps) {
            let known = match self {
                Cache::Empty | Cache::Unusable(_) => Known::Unknown,
                Cache::Memory(kept) => {
                    // Files gone since are passed over.
                    while kept
                        .next_if(|(known, _, _)| path_cmp(known, path).is_lt())
                        .is_some()
                    {}
                    kept.next_if(|(known, known_stamp, _)| {
                        known == path && Some(*known_stamp) == *stamp
                    })
                    .map_or(Known::Unknown, |(_, _, read)| Known::Read(Box::new(read)))
                }
                Cache::File(file) => {
                    let path = path.as_os_str().as_encoded_bytes();
                    loop {
                        let Some((known, known_stamp, start)) = file.head.clone() else {
                            break Known::Unknown;
                        };
                        match walk_cmp(&file.record[known], path) {
                            std::cmp::Ordering::Less => file.advance(),
                            std::cmp::Ordering::Greater => break Known::Unknown,
                            std::cmp::Ordering::Equal => {
                                let same = Some(known_stamp) == *stamp;
                                let at = taken.bytes.len();
                                if same {
                                    taken.bytes.extend_from_slice(&file.record[start..]);
                                }
                                file.advance();
                                break match same {
                                    true => Known::Record(at..taken.bytes.len()),
                                    false => Known::Unknown,
                                };
                            }
                        }
                    }
                }
            };
            taken.known.push(known);
        }
        taken
    }

    /// Why the cache was not used, or only partly: a file that is not one,
    /// or a record that could not be read, after which every file was read
    /// anew.
    pub(crate) fn problem(&self) -> Option<Diagnostic> {
        let file = match self {
            Cache::Unusable(problem) => return Some(problem.clone()),
            Cache::File(file) => file,
            Cache::Empty | Cache::Memory(_) => return None,
        };
        let at = file.damaged_at? + 1;
        Some(Diagnostic::warning(
            &file.path,
            None,
            format!(
                "build cache damaged at record {at}: the files from there on were read anew, and it is written anew"
            ),
        ))
    }

    /// Opens the cache of the site of `config`: none when there is none or
    /// it is for another version or config, unusable (with a warning, see
    /// `problem`) when it exists but cannot be read. Its records are read
    /// as `take_in_order` asks for them.
    pub(crate) fn load(config: &Config, inputs: &str) -> Cache {
        let path = path_of(config);
        let Ok(file) = std::fs::File::open(&path) else {
            return Cache::Empty;
        };
        let ignored = |why: &str| {
            Cache::Unusable(Diagnostic::warning(
                &path,
                None,
                format!("build cache ignored ({why}); it is written anew"),
            ))
        };
        let Ok(size) = file.metadata().map(|meta| meta.len()) else {
            return ignored("unreadable");
        };
        let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
        let left = match read_header(inputs, &mut reader, size) {
            Ok(header) => header.body_bytes,
            Err(Unusable::Stale) => return Cache::Empty,
            Err(Unusable::Damaged(why)) => return ignored(why),
        };
        let mut file = CacheFile {
            path,
            reader,
            left,
            record: Vec::new(),
            head: None,
            read: 0,
            damaged_at: None,
        };
        file.advance();
        Cache::File(Box::new(file))
    }
}

/// What a build knows from the cache of some files, in their order (see
/// `Cache::take_in_order`).
#[derive(Debug, Default)]
pub(crate) struct Taken {
    pub(crate) known: Vec<Known>,
    /// The records taken from a cache file.
    bytes: Vec<u8>,
}

impl Taken {
    /// What reading `path` gave, as `take_in_order` found it; `None` when
    /// the file is to be read (a record that cannot be decoded is read anew).
    pub(crate) fn read(&self, path: &Path, known: Known) -> Option<ReadResult> {
        let range = match known {
            Known::Unknown => return None,
            Known::Read(read) => return Some(*read),
            Known::Record(range) => range,
        };
        let cached: Cached = postcard::from_bytes(self.bytes.get(range)?).ok()?;
        Some(match cached {
            Cached::Post {
                mut post,
                kind,
                tags_line,
                seen,
                warnings,
            } => {
                post.path = path.to_path_buf();
                post.kind = kind;
                post.tags_line = tags_line;
                post.complete = false;
                Ok(Read::Post(post, Notes { seen, warnings }))
            }
            Cached::Skipped {
                reason,
                url,
                seen,
                warnings,
            } => Ok(Read::Skipped(
                reason,
                url.and_then(|u| url::Url::parse(&u).ok()),
                Notes { seen, warnings },
            )),
            Cached::NoFrontMatter => Ok(Read::NoFrontMatter),
            Cached::Failed { diagnostics } => Err(diagnostics),
        })
    }
}

/// What a build knows of one file from the cache.
#[derive(Debug)]
pub(crate) enum Known {
    /// Nothing: the file is read.
    Unknown,
    /// What reading it gave, kept in memory (boxed: one per file of the
    /// site, most of them the small variants).
    Read(Box<ReadResult>),
    /// Where its record is in the bytes taken.
    Record(Range<usize>),
}

/// A record's key: where its path is, its stamp, and where what reading
/// the file gave starts.
fn key_of(record: &[u8]) -> Option<(Range<usize>, Stamp, usize)> {
    /// A `Key` that borrows its path from the bytes.
    #[derive(Deserialize)]
    struct Borrowed<'a> {
        path: &'a str,
        stamp: Stamp,
    }
    let (key, rest) = postcard::take_from_bytes::<Borrowed>(record).ok()?;
    let path_start = (key.path.as_ptr() as usize).checked_sub(record.as_ptr() as usize)?;
    Some((
        path_start..path_start + key.path.len(),
        key.stamp,
        record.len() - rest.len(),
    ))
}

/// One file's record for the next build, as collecting found it. Records
/// are in the order of the walk, as the site's posts are.
#[derive(Debug)]
pub(crate) enum Record {
    /// The next of the site's posts (its path is the post's, not kept twice:
    /// every post of the site has a record).
    Post {
        stamp: Option<Stamp>,
        seen: Seen,
        warnings: Vec<Diagnostic>,
    },
    /// Any other file (boxed: few files are not posts).
    File(Box<FileRecord>),
}

/// A file that is not one of the site's posts.
#[derive(Debug)]
pub(crate) struct FileRecord {
    pub(crate) path: PathBuf,
    pub(crate) stamp: Option<Stamp>,
    pub(crate) read: FileRead,
}

/// What reading a file that is not one of the site's posts gave.
#[derive(Debug)]
pub(crate) enum FileRead {
    Skipped(String, Option<url::Url>, Seen, Vec<Diagnostic>),
    NoFrontMatter,
    Failed(Vec<Diagnostic>),
    /// Read again by the next build: a post left out as another's
    /// duplicate, or a document of one of `feeds.collections` (kept apart
    /// from the posts the cache pairs its records with).
    ReadAnew,
}

/// Each record with the site's post it stands for: both are in the order
/// of the walk, and each post record stands for the next post.
fn paired<R: std::borrow::Borrow<Record>, P>(
    records: impl IntoIterator<Item = R>,
    posts: impl IntoIterator<Item = P>,
) -> impl Iterator<Item = (R, Option<P>)> {
    let mut posts = posts.into_iter();
    records.into_iter().map(move |record| {
        let post = match record.borrow() {
            Record::Post { .. } => posts.next(),
            Record::File(_) => None,
        };
        (record, post)
    })
}

/// Every file of the walk with its stamp, in its order, from the records
/// and the posts they stand for.
pub(crate) fn listed<'a>(
    records: &'a [Record],
    posts: &'a [Post],
) -> impl Iterator<Item = (&'a Path, Option<Stamp>)> {
    paired(records, posts).filter_map(|(record, post)| match record {
        Record::Post { stamp, .. } => Some((post?.path.as_path(), *stamp)),
        Record::File(file) => Some((file.path.as_path(), file.stamp)),
    })
}

/// Writes the cache for the next build: `records` with each file's path and
/// stamp (files whose stamp could not be taken are left out).
pub(crate) fn save(
    config: &Config,
    inputs: &str,
    posts: &[Post],
    records: &[Record],
    kept: &[super::record::Kept],
    outputs: Option<&Outputs>,
) -> Result<(), Error> {
    // Posts are cached as their files give them: the publication record is
    // applied to them anew by each build, which then knows what it kept.
    let computed: HashMap<&Path, &str> = kept
        .iter()
        .map(|k| (k.path.as_path(), k.computed.as_str()))
        .collect();
    let path = path_of(config);
    let dir = path.parent().unwrap_or(&config.root).to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
    // The records go to a file of their own first: the header, written
    // first, records their length.
    let body = tempfile::tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
    let failed = |e: std::io::Error| Error::io(&path, e);
    let mut out = BufWriter::new(&body);
    let mut buffer = Vec::new();
    for (record, post) in paired(records, posts) {
        buffer.clear();
        let encoded = match (record, post) {
            (
                Record::Post {
                    stamp: Some(stamp),
                    seen,
                    warnings,
                },
                Some(post),
            ) => {
                let key = Key {
                    path: &post.path,
                    stamp: *stamp,
                };
                match computed.get(post.path.as_path()) {
                    Some(id) => {
                        let mut as_read = post.clone();
                        as_read.id = (*id).to_string();
                        encode_post(&mut buffer, &key, &as_read, *seen, warnings)
                    }
                    None => encode_post(&mut buffer, &key, post, *seen, warnings),
                }
            }
            (Record::File(file), _) => {
                let Some(stamp) = file.stamp else { continue };
                let key = Key {
                    path: &file.path,
                    stamp,
                };
                let cached = match &file.read {
                    FileRead::Skipped(reason, url, seen, warnings) => Cached::Skipped {
                        reason: reason.clone(),
                        url: url.as_ref().map(|u| u.to_string()),
                        seen: *seen,
                        warnings: warnings.clone(),
                    },
                    FileRead::NoFrontMatter => Cached::NoFrontMatter,
                    FileRead::Failed(diagnostics) => Cached::Failed {
                        diagnostics: diagnostics.clone(),
                    },
                    FileRead::ReadAnew => continue,
                };
                encode(&mut buffer, &key, &cached)
            }
            // A post without a stamp is read anew each time.
            (Record::Post { .. }, _) => continue,
        };
        // A record that cannot be written (a path that is not UTF-8) is
        // left out: that file is read anew each time.
        if encoded.is_err() {
            continue;
        }
        out.write_all(&(buffer.len() as u32).to_le_bytes())
            .map_err(failed)?;
        out.write_all(&buffer).map_err(failed)?;
    }
    out.flush().map_err(failed)?;
    drop(out);
    // A `Header`, borrowing what the last build wrote.
    #[derive(Serialize)]
    struct Borrowed<'a> {
        gazette: &'a str,
        inputs: &'a str,
        outputs: Option<&'a Outputs>,
        body_bytes: u64,
    }
    let header = Borrowed {
        gazette: build_identity(),
        inputs,
        outputs,
        body_bytes: body.metadata().map_err(failed)?.len(),
    };
    let header =
        postcard::to_stdvec(&header).map_err(|e| failed(std::io::Error::other(e.to_string())))?;
    let mut whole = BufWriter::new(temp.as_file());
    whole.write_all(MAGIC).map_err(failed)?;
    whole.write_all(&FORMAT.to_le_bytes()).map_err(failed)?;
    whole
        .write_all(&(header.len() as u64).to_le_bytes())
        .map_err(failed)?;
    whole.write_all(&header).map_err(failed)?;
    let mut body = body;
    std::io::Seek::rewind(&mut body).map_err(failed)?;
    std::io::copy(&mut body, &mut whole).map_err(failed)?;
    whole.flush().map_err(failed)?;
    drop(whole);
    temp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
    Ok(())
}

/// Deletes the cache (`gazette cache clear`); true when there was one.
pub fn clear(config: &Config) -> Result<bool, Error> {
    let path = path_of(config);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// A record: its key, then what reading the file gave.
fn encode(buffer: &mut Vec<u8>, key: &Key, read: &Cached) -> postcard::Result<()> {
    encode_parts(buffer, key, read)
}

/// A post's record, written from the site's post without copying it: the
/// same bytes as a `Cached::Post`, so it is read back as one.
fn encode_post(
    buffer: &mut Vec<u8>,
    key: &Key,
    post: &Post,
    seen: Seen,
    warnings: &[Diagnostic],
) -> postcard::Result<()> {
    #[derive(Serialize)]
    enum Borrowed<'a> {
        Post {
            post: &'a Post,
            kind: FileKind,
            tags_line: Option<usize>,
            seen: Seen,
            warnings: &'a [Diagnostic],
        },
    }
    encode_parts(
        buffer,
        key,
        &Borrowed::Post {
            post,
            kind: post.kind,
            tags_line: post.tags_line,
            seen,
            warnings,
        },
    )
}

/// A key and what follows it, appended to `buffer`: postcard writes a
/// struct as its fields one after the other, so the two read back as one
/// record.
fn encode_parts<T: Serialize>(buffer: &mut Vec<u8>, key: &Key, read: &T) -> postcard::Result<()> {
    *buffer = postcard::to_extend(key, std::mem::take(buffer))?;
    *buffer = postcard::to_extend(read, std::mem::take(buffer))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::collect::tests::{site, write_post};
    use crate::error::Report;

    /// Which of the listed files the cache gives back, in walk order.
    fn taken_from_cache(config: &Config, inputs: &str) -> (Vec<bool>, Option<Diagnostic>) {
        // (which files came from the cache, the warning about the cache)
        let files = crate::content::walk::list_files(config, &mut Report::default()).unwrap();
        let stamps = stamps(config, &files);
        let mut cache = Cache::load(config, inputs);
        let problem = cache.problem();
        let mut taken = cache.take_in_order(&files, &stamps);
        let known = std::mem::take(&mut taken.known);
        let given = files
            .iter()
            .zip(known)
            .map(|((path, _), known)| taken.read(path, known).is_some())
            .collect();
        (given, problem)
    }

    fn save_site(config: &Config, inputs: &str) {
        let now = chrono::Utc::now();
        let site = crate::content::collect(config, now, &mut Report::default()).unwrap();
        save(
            config,
            inputs,
            &site.posts,
            &site.records,
            &site.record.kept,
            None,
        )
        .unwrap();
    }

    #[test]
    fn a_jekyll_page_is_an_input_and_a_collection_document_with_a_feed_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write("about.md", "---\ntitle: About\n---\n");
        write("_recipes/jam.md", "---\ntitle: Jam\n---\n");
        write("_posts/2025-01-01-a.md", "---\ntitle: A\n---\n");
        let config = Config::parse(
            "title = \"T\"\nbase_url = \"https://e.org/\"\ngenerator = \"jekyll\"\n[feeds.collections.recipes]\nfolder = \"_recipes\"\n",
            &dir.path().join("_gazette.toml"),
            dir.path().to_path_buf(),
        )
        .unwrap();
        let before = inputs(&config);
        // Each has its own stamp in the cache: no reason to read all again.
        write("_recipes/jam.md", "---\ntitle: Jam, longer\n---\n");
        write("_posts/2025-01-01-a.md", "---\ntitle: A, longer\n---\n");
        assert_eq!(inputs(&config), before);
        // A page's URL is what a post's `{% link %}` gives.
        write("about.md", "---\ntitle: About\npermalink: /me/\n---\n");
        assert_ne!(inputs(&config), before);
    }

    use crate::test_files::write_file;

    /// The config of an Eleventy site in `dir` whose input folder is `content`.
    fn eleventy_site_config(dir: &Path) -> Config {
        Config::parse(
            "title = \"T\"\nbase_url = \"https://e.org/\"\ngenerator = \"eleventy\"\ncontent_dir = \"content\"\n",
            &dir.join("gazette.toml"),
            dir.to_path_buf(),
        )
        .unwrap()
    }

    /// A module a data file exports whole is an input wherever it is.
    #[test]
    fn a_module_an_eleventy_data_file_exports_whole_is_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write("_data/blog.js", "export default { tags: [\"posts\"] };\n");
        write(
            "content/blog/blog.11tydata.js",
            "import blog from \"../../_data/blog.js\";\nexport default blog;\n",
        );
        write("content/blog/a.md", "---\ntitle: A\n---\n");
        let config = eleventy_site_config(dir.path());
        let before = inputs(&config);
        write(
            "_data/blog.js",
            "export default { tags: [\"notes\", \"posts\"] };\n",
        );
        assert_ne!(inputs(&config), before);
    }

    /// Global data gives permalinks their values (eleventy-libdoc's
    /// `_data/libdocConfig.js`, from a `settings.json` outside the input
    /// folder): both are inputs.
    #[test]
    fn global_data_and_the_json_it_imports_are_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write("settings.json", "{ \"blogSlug\": \"notes\" }\n");
        write(
            "content/_data/site.js",
            "const userConfig = require(\"../../settings.json\");\nmodule.exports = { blogSlug: userConfig.blogSlug ?? \"posts\" };\n",
        );
        write("content/a.md", "---\ntitle: A\n---\n");
        let config = eleventy_site_config(dir.path());
        let before = inputs(&config);
        write("settings.json", "{ \"blogSlug\": \"essays\" }\n");
        let settings_changed = inputs(&config);
        assert_ne!(settings_changed, before);
        write(
            "content/_data/site.js",
            "module.exports = { blogSlug: \"posts\" };\n",
        );
        assert_ne!(inputs(&config), settings_changed);
    }

    #[test]
    fn a_stamp_changes_with_the_file_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let first = Stamp::of(&path).unwrap();
        assert_eq!(Stamp::of(&path), Some(first));
        std::fs::write(&path, "two, and longer").unwrap();
        let second = Stamp::of(&path).unwrap();
        assert_ne!(first, second);
        assert_ne!(first.digest(), second.digest());
        assert_eq!(Stamp::of(&dir.path().join("missing.md")), None);
    }

    /// A site with posts `a.md` and `b.md`, built once with its cache saved.
    fn two_posts_saved() -> (tempfile::TempDir, crate::config::Config, String) {
        let (dir, config) = site();
        write_post(&config, "a.md", "A");
        write_post(&config, "b.md", "B");
        let inputs = inputs(&config);
        save_site(&config, &inputs);
        (dir, config, inputs)
    }

    #[test]
    fn saved_posts_come_back_for_the_files_that_did_not_change() {
        let (_dir, config, inputs) = two_posts_saved();
        let (given, problem) = taken_from_cache(&config, &inputs);
        assert_eq!(given, [true, true]);
        assert!(problem.is_none());
        write_post(&config, "b.md", "B, edited");
        let (given, problem) = taken_from_cache(&config, &inputs);
        assert_eq!(given, [true, false]);
        assert!(problem.is_none());
        // A cache written for other settings gives nothing back, silently.
        let (given, problem) = taken_from_cache(&config, "other settings");
        assert_eq!(given, [false, false]);
        assert!(problem.is_none());
    }

    #[test]
    fn a_damaged_cache_is_a_warning_and_gives_nothing_back() {
        let (_dir, config, inputs) = two_posts_saved();
        let file = config.root.join(FILE);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 7]).unwrap();
        let (given, problem) = taken_from_cache(&config, &inputs);
        assert!(given.iter().all(|taken| !taken), "{given:?}");
        let problem = problem.expect("a warning about the damaged cache");
        assert_eq!(problem.path, file);
        assert_eq!(problem.severity, crate::error::Severity::Warning);
        // Reading the site still works: every post is read anew.
        let mut report = Report::default();
        let site = crate::content::collect(&config, chrono::Utc::now(), &mut report).unwrap();
        assert_eq!(site.posts.len(), 2);
    }
}
