//! The build cache: what collecting read from each post file, kept in
//! `.gazette/build-cache.bin` beside the ledger, so a rebuild parses only
//! the files that changed.
//!
//! A file's entry is used only while its size, modification time, change
//! time and inode are what they were, and the whole cache only while the
//! gazette version, the cache format and the config (its text and the
//! addresses and folders a build uses) are the same. Anything else (a
//! missing, truncated, corrupt or foreign file) is read as no cache: a
//! warning at most, never a wrong build.
//!
//! The file is binary (postcard) and read without decoding what is not
//! used: a magic string, the format number, the header's length and the
//! header (what the last build wrote), then one length-prefixed record per
//! file, decoded only when its file is taken from the cache.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::collect::{path_cmp, walk_cmp, Notes, Read, ReadResult, Seen};
use super::Post;
use crate::config::Config;
use crate::error::{Diagnostic, Error};
use crate::generators::FileKind;

/// Bumped whenever what is cached, or how it is read, changes.
const FORMAT: u32 = 5;

/// The cache file, relative to the site's folder.
pub(crate) const FILE: &str = ".gazette/build-cache.bin";

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
    pub(crate) post_warnings: crate::feeds::reuse::PostWarnings,
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
            && self
                .files
                .iter()
                .all(|(path, stamp)| Stamp::of(path) == Some(*stamp))
    }
}

impl Outputs {
    /// What a build may keep of this one: the fingerprints of the files
    /// still as it wrote them.
    pub(crate) fn reusable(&self, config: &Config) -> crate::feeds::reuse::Reuse {
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
        crate::feeds::reuse::Reuse {
            previous,
            warnings: self.post_warnings.clone(),
        }
    }
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
        .flat_map(|p| [p.date, p.expiry])
        .flatten()
        .filter(|at| *at > now)
        .min()
        .map(|at| instant(at.with_timezone(&chrono::Utc)))
}

/// What a build's outputs depend on besides the posts: the config (see
/// `inputs`) and the templates (see `templates_key`), taken once a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keys {
    pub(crate) inputs: String,
    pub(crate) templates: String,
}

impl Keys {
    pub(crate) fn of(config: &Config) -> Keys {
        Keys {
            inputs: inputs(config),
            templates: templates_key(config),
        }
    }
}

/// The templates folder's files, by stamp.
pub(crate) fn templates_key(config: &Config) -> String {
    let mut hash = sha2::Sha256::new();
    let mut templates: Vec<(PathBuf, Option<Stamp>)> = walkdir::WalkDir::new(&config.templates_dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), Stamp::of(e.path())))
        .collect();
    templates.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, stamp) in templates {
        hash.update(path.to_string_lossy().as_bytes());
        hash.update(stamp.map_or([0; 32], |stamp| stamp.bytes()));
    }
    hex::encode(&hash.finalize()[..16])
}

/// Why a cache file is not used.
enum Unusable {
    /// Another version, format or config: silently out of date.
    Stale,
    /// Not a cache, or cut short: said once, then written anew.
    Damaged(&'static str),
}

/// Reads the start of a cache file of `size` bytes: its header, and where
/// the records start. A file cut short is found from the size the header
/// gives, without reading the records. `inputs` is this build's (see
/// `inputs`): a cache for other inputs is stale.
fn read_header(
    inputs: &str,
    file: &mut impl std::io::Read,
    size: u64,
) -> Result<(Header, usize), Unusable> {
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
    if header.gazette != env!("CARGO_PKG_VERSION") || header.inputs != inputs {
        return Err(Unusable::Stale);
    }
    let body = PREFIX as u64 + length;
    if size != body + header.body_bytes {
        return Err(Unusable::Damaged("damaged or cut short"));
    }
    Ok((header, body as usize))
}

/// What the last build wrote, reading only the cache's header; `None`
/// without a usable cache.
pub(crate) fn last_outputs(config: &Config, inputs: &str) -> Option<Outputs> {
    let file = std::fs::File::open(config.root.join(FILE)).ok()?;
    let size = file.metadata().ok()?.len();
    let mut file = std::io::BufReader::new(file);
    let (header, _) = read_header(inputs, &mut file, size).ok()?;
    header.outputs
}

/// What every record starts with; a `Cached` follows.
#[derive(Debug, Serialize, Deserialize)]
struct Key {
    path: PathBuf,
    stamp: Stamp,
}

/// What the records of one config depend on besides the files themselves.
pub(crate) fn inputs(config: &Config) -> String {
    let mut hash = sha2::Sha256::new();
    hash.update(std::fs::read(&config.file).unwrap_or_default());
    for part in [
        config.base_url.as_str(),
        &config.content_dir.to_string_lossy(),
        &config.output_dir.to_string_lossy(),
        &config.templates_dir.to_string_lossy(),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hex::encode(&hash.finalize()[..16])
}

/// What earlier builds read, for one build to take files from.
#[derive(Debug, Default)]
pub(crate) enum Cache {
    #[default]
    Empty,
    /// The cache file's bytes, and its records in the order of the walk:
    /// where the file's path is in the bytes, its stamp, and where what
    /// reading it gave is.
    File {
        bytes: Vec<u8>,
        records: Vec<(Range<usize>, Stamp, Range<usize>)>,
    },
    /// What the last build of this process read (`gazette watch`), in
    /// the order of the walk.
    Memory(Vec<(PathBuf, Stamp, ReadResult)>),
}

impl Cache {
    /// What reading each file of `site` gave, as a cache for the next build.
    pub(crate) fn of_site(site: super::Site) -> Cache {
        // Records and posts are both in the order of the walk.
        let mut posts = site.posts.into_iter().peekable();
        let mut kept = Vec::with_capacity(site.records.len());
        for (path, stamp, record) in site.records {
            let post = match record {
                Record::Post { .. } => posts.next_if(|post| post.path == path),
                _ => None,
            };
            let Some(stamp) = stamp else { continue };
            let read = match record {
                Record::Post { seen, warnings } => match post {
                    Some(post) => Ok(Read::Post(Box::new(post), Notes { seen, warnings })),
                    // Left out as a duplicate: read again.
                    None => continue,
                },
                Record::Skipped(skipped) => {
                    let (reason, seen, warnings) = *skipped;
                    Ok(Read::Skipped(reason, Notes { seen, warnings }))
                }
                Record::NoFrontMatter => Ok(Read::NoFrontMatter),
                Record::Failed(diagnostics) => Err(diagnostics),
            };
            kept.push((path, stamp, read));
        }
        Cache::Memory(kept)
    }

    /// What each of `files` (in the order of the walk) gave last time, when
    /// it is as it was then: taken out of a cache in memory, or where its
    /// record is in a cache file (see `read`). Both lists are in the order
    /// of the walk, so one pass matches them.
    pub(crate) fn take_in_order(
        &mut self,
        files: &[(PathBuf, FileKind)],
        stamps: &[Option<Stamp>],
    ) -> Vec<Known> {
        match self {
            Cache::Empty => files.iter().map(|_| Known::Unknown).collect(),
            Cache::Memory(kept) => {
                let mut kept = std::mem::take(kept).into_iter().peekable();
                files
                    .iter()
                    .zip(stamps)
                    .map(|((path, _), stamp)| {
                        // Files gone since are passed over.
                        while kept
                            .next_if(|(known, _, _)| path_cmp(known, path).is_lt())
                            .is_some()
                        {}
                        kept.next_if(|(known, known_stamp, _)| {
                            known == path && Some(*known_stamp) == *stamp
                        })
                        .map_or(Known::Unknown, |(_, _, read)| Known::Read(Box::new(read)))
                    })
                    .collect()
            }
            Cache::File { bytes, records } => {
                let mut records = records.iter().peekable();
                files
                    .iter()
                    .zip(stamps)
                    .map(|((path, _), stamp)| {
                        let path = path.as_os_str().as_encoded_bytes();
                        while records
                            .next_if(|(known, _, _)| walk_cmp(&bytes[known.clone()], path).is_lt())
                            .is_some()
                        {}
                        records
                            .next_if(|(known, known_stamp, _)| {
                                &bytes[known.clone()] == path && Some(*known_stamp) == *stamp
                            })
                            .map_or(Known::Unknown, |(_, _, read)| Known::Record(read.clone()))
                    })
                    .collect()
            }
        }
    }

    /// Loads the cache of the site of `config`; an unusable one is empty,
    /// with a warning when it exists but cannot be read.
    pub(crate) fn load(config: &Config, inputs: &str) -> (Cache, Option<Diagnostic>) {
        let path = config.root.join(FILE);
        let Ok(bytes) = std::fs::read(&path) else {
            return (Cache::default(), None);
        };
        let ignored = |why: &str| {
            Some(Diagnostic::warning(
                &path,
                None,
                format!("build cache ignored ({why}); it is written anew"),
            ))
        };
        let start = match read_header(inputs, &mut bytes.as_slice(), bytes.len() as u64) {
            Ok((_, start)) => start,
            Err(Unusable::Stale) => return (Cache::default(), None),
            Err(Unusable::Damaged(why)) => return (Cache::default(), ignored(why)),
        };
        let mut records = Vec::new();
        let mut at = start;
        while at < bytes.len() {
            let Some((path, stamp, read)) = record_at(&bytes, at) else {
                return (Cache::default(), ignored("damaged or cut short"));
            };
            at = read.end;
            records.push((path, stamp, read));
        }
        // Written in the order of the walk; a cache that is not cannot be
        // matched with one.
        let in_order = records
            .windows(2)
            .all(|pair| walk_cmp(&bytes[pair[0].0.clone()], &bytes[pair[1].0.clone()]).is_lt());
        if !in_order {
            return (Cache::default(), ignored("damaged or cut short"));
        }
        (Cache::File { bytes, records }, None)
    }

    /// What reading `path` gave, as `take_in_order` found it; `None` when
    /// the file is to be read (a record that cannot be decoded is read anew).
    pub(crate) fn read(&self, path: &Path, known: Known) -> Option<ReadResult> {
        let range = match known {
            Known::Unknown => return None,
            Known::Read(read) => return Some(*read),
            Known::Record(range) => range,
        };
        let Cache::File { bytes, .. } = self else {
            return None;
        };
        let cached: Cached = postcard::from_bytes(bytes.get(range)?).ok()?;
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
                seen,
                warnings,
            } => Ok(Read::Skipped(reason, Notes { seen, warnings })),
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
    /// Where its record is in the cache file's bytes.
    Record(Range<usize>),
}

/// The record starting at `at`: where its path is, its stamp, and where
/// its `Cached` is.
fn record_at(bytes: &[u8], at: usize) -> Option<(Range<usize>, Stamp, Range<usize>)> {
    /// A `Key` that borrows its path from the bytes.
    #[derive(Deserialize)]
    struct Borrowed<'a> {
        path: &'a str,
        stamp: Stamp,
    }
    let length: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    let end = (at + 4).checked_add(u32::from_le_bytes(length) as usize)?;
    let record = bytes.get(at + 4..end)?;
    let (key, rest) = postcard::take_from_bytes::<Borrowed>(record).ok()?;
    let path_start = (key.path.as_ptr() as usize).checked_sub(bytes.as_ptr() as usize)?;
    Some((
        path_start..path_start + key.path.len(),
        key.stamp,
        end - rest.len()..end,
    ))
}

/// One file's record for the next build, as collecting found it.
#[derive(Debug)]
pub(crate) enum Record {
    /// A post, kept as the site's post of the same path (a post left out
    /// as a duplicate is not kept, and read again next time).
    Post {
        seen: Seen,
        warnings: Vec<Diagnostic>,
    },
    Skipped(Box<(String, Seen, Vec<Diagnostic>)>),
    NoFrontMatter,
    Failed(Vec<Diagnostic>),
}

/// Writes the cache for the next build: `records` with each file's path and
/// stamp (files whose stamp could not be taken are left out).
pub(crate) fn save(
    config: &Config,
    inputs: &str,
    posts: &[Post],
    records: &[(PathBuf, Option<Stamp>, Record)],
    outputs: Option<&Outputs>,
) -> Result<(), Error> {
    let path = config.root.join(FILE);
    let dir = path.parent().unwrap_or(&config.root).to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
    // The records go to a file of their own first: the header, written
    // first, records their length.
    let body = tempfile::tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
    let failed = |e: std::io::Error| Error::io(&path, e);
    let mut out = BufWriter::new(&body);
    // Records and posts are both in the order of the walk.
    let mut posts = posts.iter().peekable();
    let mut buffer = Vec::new();
    for (file, stamp, record) in records {
        let post = match record {
            Record::Post { .. } => posts.next_if(|post| post.path == *file),
            _ => None,
        };
        let Some(stamp) = stamp else { continue };
        let key = Key {
            path: file.clone(),
            stamp: *stamp,
        };
        buffer.clear();
        let encoded = match record {
            Record::Post { seen, warnings } => {
                // A post left out as a duplicate is read again next time.
                let Some(post) = post else { continue };
                encode_post(&mut buffer, &key, post, *seen, warnings)
            }
            Record::Skipped(skipped) => {
                let (reason, seen, warnings) = skipped.as_ref();
                encode(
                    &mut buffer,
                    &key,
                    &Cached::Skipped {
                        reason: reason.clone(),
                        seen: *seen,
                        warnings: warnings.clone(),
                    },
                )
            }
            Record::NoFrontMatter => encode(&mut buffer, &key, &Cached::NoFrontMatter),
            Record::Failed(diagnostics) => encode(
                &mut buffer,
                &key,
                &Cached::Failed {
                    diagnostics: diagnostics.clone(),
                },
            ),
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
        gazette: env!("CARGO_PKG_VERSION"),
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
    let path = config.root.join(FILE);
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
