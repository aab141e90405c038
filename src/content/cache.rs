//! The build cache: what collecting read from each post file, kept in
//! `.gazette/build-cache.json` beside the ledger, so a rebuild parses only
//! the files that changed.
//!
//! A file's entry is used only while its size, modification time, change
//! time and inode are what they were, and the whole cache only while the
//! gazette version, the cache format and the config (its text and the
//! addresses and folders a build uses) are the same. Anything else (a
//! missing, truncated, corrupt or foreign file) is read as no cache: a
//! warning at most, never a wrong build. One JSON document per line: a
//! header, then one line per file.

use std::collections::HashMap;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::collect::{Notes, Read, ReadResult};
use super::Post;
use crate::config::Config;
use crate::error::{Diagnostic, Error};
use crate::generators::FileKind;

/// Bumped whenever what is cached, or how it is read, changes.
const FORMAT: u32 = 2;

/// The cache file, relative to the site's folder.
pub(crate) const FILE: &str = ".gazette/build-cache.json";

/// What identifies one state of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
}

impl Stamp {
    /// The stamp of `path` now; `None` when it cannot be read.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let nanos = |time: std::io::Result<std::time::SystemTime>| {
            time.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128)
        };
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
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
}

/// What reading one file gave, as the cache keeps it.
#[derive(Debug, Serialize, Deserialize)]
enum Cached {
    Post {
        post: Box<Post>,
        /// Fields the post's own serialisation (for templates) leaves out.
        kind: FileKind,
        tags_line: Option<usize>,
        seen: Vec<String>,
        warnings: Vec<Diagnostic>,
    },
    Skipped {
        reason: String,
        seen: Vec<String>,
        warnings: Vec<Diagnostic>,
    },
    NoFrontMatter,
    Failed {
        diagnostics: Vec<Diagnostic>,
    },
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: u32,
    gazette: String,
    inputs: String,
    /// What the last build wrote, to know when a build would write it again.
    #[serde(default)]
    outputs: Option<Outputs>,
    /// The length of the lines after this one: a cache cut short is known
    /// from its size, without reading it.
    #[serde(default)]
    body_bytes: u64,
}

/// What a build wrote, and from what: enough to know, from the file list
/// and stamps alone, that a build would write the same again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Outputs {
    /// Every file the content folder listed, in order, with its stamp.
    pub(crate) sources: Vec<(PathBuf, Stamp)>,
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
        config: &Config,
        now: i64,
        files: &[(PathBuf, FileKind)],
    ) -> bool {
        now >= self.built_at
            && self.horizon.is_none_or(|h| now < h)
            && files.len() == self.sources.len()
            && files
                .iter()
                .zip(&self.sources)
                .all(|((path, _), (known, stamp))| path == known && Stamp::of(path) == Some(*stamp))
            && self.templates == templates_key(config)
            && self
                .files
                .iter()
                .all(|(path, stamp)| Stamp::of(path) == Some(*stamp))
    }
}

impl Outputs {
    /// What a build may keep of this one: the fingerprints of the files
    /// still as it wrote them.
    pub(crate) fn reusable(self, config: &Config) -> crate::feeds::reuse::Reuse {
        let stamps: HashMap<PathBuf, Stamp> = self.files.into_iter().collect();
        let previous = self
            .fingerprints
            .into_iter()
            .filter(|(file, _)| {
                let path = config.output_dir.join(file);
                stamps
                    .get(&path)
                    .is_some_and(|stamp| Stamp::of(&path) == Some(*stamp))
            })
            .collect();
        crate::feeds::reuse::Reuse {
            previous,
            warnings: self.post_warnings,
        }
    }
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
        hash.update(serde_json::to_string(&stamp).unwrap_or_default().as_bytes());
    }
    hex::encode(&hash.finalize()[..16])
}

/// What the last build wrote, reading only the cache's first line; `None`
/// without a usable cache.
pub(crate) fn last_outputs(config: &Config) -> Option<Outputs> {
    let file = std::fs::File::open(config.root.join(FILE)).ok()?;
    let size = file.metadata().ok()?.len();
    let line = std::io::BufReader::new(file).lines().next()?.ok()?;
    let header: Header = serde_json::from_str(&line).ok()?;
    (header.format == FORMAT
        && header.gazette == env!("CARGO_PKG_VERSION")
        && header.inputs == inputs(config)
        && size == line.len() as u64 + 1 + header.body_bytes)
        .then_some(header.outputs)
        .flatten()
}

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    path: PathBuf,
    stamp: Stamp,
    read: Cached,
}

impl Line {
    fn to_line(&self) -> String {
        to_line(self)
    }
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

/// The `[fields]` names a post set, back as the names the config knows.
fn seen_names(config: &Config, seen: &[String]) -> Vec<&'static str> {
    let known = config.fields.named();
    seen.iter()
        .filter_map(|name| {
            known
                .iter()
                .map(|(n, _)| *n)
                .chain(["tags", "skip_if"])
                .find(|n| n == name)
        })
        .collect()
}

/// The cache as loaded for one build.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    entries: HashMap<PathBuf, (Stamp, Cached)>,
}

impl Cache {
    /// Loads the cache of the site of `config`; an unusable one is empty,
    /// with a warning when it exists but cannot be read.
    pub(crate) fn load(config: &Config) -> (Cache, Option<Diagnostic>) {
        let path = config.root.join(FILE);
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(_) => return (Cache::default(), None),
        };
        let mut lines = std::io::BufReader::new(file).lines();
        let ignored = |why: &str| {
            Some(Diagnostic::warning(
                &path,
                None,
                format!("build cache ignored ({why}); it is written anew"),
            ))
        };
        let header: Option<Header> = lines
            .next()
            .and_then(|line| line.ok())
            .and_then(|line| serde_json::from_str(&line).ok());
        let Some(header) = header else {
            return (Cache::default(), ignored("unreadable"));
        };
        if header.format != FORMAT
            || header.gazette != env!("CARGO_PKG_VERSION")
            || header.inputs != inputs(config)
        {
            // Another version or config: silently stale, not damaged.
            return (Cache::default(), None);
        }
        let mut entries = HashMap::new();
        for line in lines {
            match line
                .ok()
                .and_then(|l| serde_json::from_str::<Line>(&l).ok())
            {
                Some(line) => {
                    entries.insert(line.path, (line.stamp, line.read));
                }
                None => return (Cache::default(), ignored("damaged or cut short")),
            }
        }
        (Cache { entries }, None)
    }

    /// What reading `path` gave last time, if the file is as it was then.
    pub(crate) fn take(
        &mut self,
        config: &Config,
        path: &Path,
        stamp: Stamp,
    ) -> Option<ReadResult> {
        let (cached_stamp, _) = self.entries.get(path)?;
        if *cached_stamp != stamp {
            return None;
        }
        let (_, cached) = self.entries.remove(path)?;
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
                Ok(Read::Post(
                    post,
                    Notes {
                        seen: seen_names(config, &seen),
                        warnings,
                    },
                ))
            }
            Cached::Skipped {
                reason,
                seen,
                warnings,
            } => Ok(Read::Skipped(
                reason,
                Notes {
                    seen: seen_names(config, &seen),
                    warnings,
                },
            )),
            Cached::NoFrontMatter => Ok(Read::NoFrontMatter),
            Cached::Failed { diagnostics } => Err(diagnostics),
        })
    }
}

/// One file's record for the next build, as collecting found it.
#[derive(Debug)]
pub(crate) enum Record {
    /// A post, kept as the site's post of the same path (a post left out
    /// as a duplicate is not kept, and read again next time).
    Post {
        seen: Vec<&'static str>,
        warnings: Vec<Diagnostic>,
    },
    Skipped {
        reason: String,
        seen: Vec<&'static str>,
        warnings: Vec<Diagnostic>,
    },
    NoFrontMatter,
    Failed(Vec<Diagnostic>),
}

/// Writes the cache for the next build: `records` with each file's path and
/// stamp (files whose stamp could not be taken are left out).
pub(crate) fn save(
    config: &Config,
    posts: &[Post],
    records: &[(PathBuf, Option<Stamp>, Record)],
    outputs: Option<Outputs>,
) -> Result<(), Error> {
    let path = config.root.join(FILE);
    let dir = path.parent().unwrap_or(&config.root).to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
    // The lines after the header go to a file of their own first: the
    // header, written first, records their length.
    let body = tempfile::tempfile_in(&dir).map_err(|e| Error::io(&dir, e))?;
    let failed = |e: std::io::Error| Error::io(&path, e);
    let mut out = BufWriter::new(&body);
    let by_path: HashMap<&Path, &Post> = posts.iter().map(|p| (p.path.as_path(), p)).collect();
    for (file, stamp, record) in records {
        let Some(stamp) = stamp else { continue };
        let strings =
            |seen: &[&'static str]| seen.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        let read = match record {
            Record::Post { seen, warnings } => {
                let Some(post) = by_path.get(file.as_path()) else {
                    continue;
                };
                post_line(file, *stamp, post, &strings(seen), warnings)
            }
            Record::Skipped {
                reason,
                seen,
                warnings,
            } => Line {
                path: file.clone(),
                stamp: *stamp,
                read: Cached::Skipped {
                    reason: reason.clone(),
                    seen: strings(seen),
                    warnings: warnings.clone(),
                },
            }
            .to_line(),
            Record::NoFrontMatter => Line {
                path: file.clone(),
                stamp: *stamp,
                read: Cached::NoFrontMatter,
            }
            .to_line(),
            Record::Failed(diagnostics) => Line {
                path: file.clone(),
                stamp: *stamp,
                read: Cached::Failed {
                    diagnostics: diagnostics.clone(),
                },
            }
            .to_line(),
        };
        out.write_all(read.as_bytes()).map_err(failed)?;
    }
    out.flush().map_err(failed)?;
    drop(out);
    let header = Header {
        format: FORMAT,
        gazette: env!("CARGO_PKG_VERSION").into(),
        inputs: inputs(config),
        outputs,
        body_bytes: body.metadata().map_err(failed)?.len(),
    };
    let mut whole = BufWriter::new(temp.as_file());
    whole
        .write_all(to_line(&header).as_bytes())
        .map_err(failed)?;
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

/// One JSON document and its line end.
fn to_line<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string(value).unwrap_or_default();
    text.push('\n');
    text
}

/// A post's line, written from the site's post without copying it: the
/// same shape as a `Line` holding `Cached::Post`, so it is read back as one.
fn post_line(
    path: &Path,
    stamp: Stamp,
    post: &Post,
    seen: &[String],
    warnings: &[Diagnostic],
) -> String {
    #[derive(Serialize)]
    enum Read<'a> {
        Post {
            post: &'a Post,
            kind: FileKind,
            tags_line: Option<usize>,
            seen: &'a [String],
            warnings: &'a [Diagnostic],
        },
    }
    #[derive(Serialize)]
    struct Whole<'a> {
        path: &'a Path,
        stamp: Stamp,
        read: Read<'a>,
    }
    to_line(&Whole {
        path,
        stamp,
        read: Read::Post {
            post,
            kind: post.kind,
            tags_line: post.tags_line,
            seen,
            warnings,
        },
    })
}
