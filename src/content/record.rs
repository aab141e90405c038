//! The publication record: what feed readers have seen, kept in a small
//! TOML file beside the config (`gazette.record.toml` for `gazette.toml`)
//! that a site commits. For each post that was published it holds the
//! entry id readers know and when it was first published; for a podcast,
//! its `podcast:guid`. Readers treat an entry whose id changed as new, so a
//! build keeps the recorded id when a permalink pattern, the base URL or a
//! file name changes (links follow the new rules, ids do not).
//!
//! A build adds what is new and writes the file only when it changed;
//! `build --locked` (for CI) fails instead, and `check` lists the recorded
//! values that differ from what the rules give now.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::Stamp;
use super::publish::{self, State};
use super::Post;
use crate::config::Config;
use crate::error::Error;

/// One published post as readers first saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry id (RSS guid, Atom id, JSON Feed id).
    pub id: String,
    /// When it was first published (RFC 3339).
    pub published: String,
    /// Its title then: finds the post again after its file is renamed.
    pub title: String,
    /// Its place in publication order (1, 2, …, as builds first saw the
    /// posts): archive pages are filled in this order, so a back-dated post
    /// joins the newest page instead of rewriting older ones.
    #[serde(default)]
    pub order: u64,
}

/// The record file's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The show's `podcast:guid`, once a podcast feed was built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub podcast_guid: Option<String>,
    /// By the post's path, relative to the config's folder.
    #[serde(default)]
    pub entries: BTreeMap<String, Entry>,
}

/// A recorded value that the rules now give otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The post's file.
    pub path: PathBuf,
    /// The id readers know, which the feeds keep.
    pub recorded: String,
    /// The id the rules give now.
    pub computed: String,
}

/// What applying the record to a site did.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// The record as it should be after this build.
    pub record: Record,
    /// Whether that differs from the file.
    pub changed: bool,
    /// Posts published for the first time: their key in the record.
    pub added: Vec<String>,
    /// Ids kept against the rules.
    pub kept: Vec<Kept>,
}

/// The namespace of `podcast:guid` UUIDs, fixed by the Podcasting 2.0 spec.
const GUID_NAMESPACE: uuid::Uuid = uuid::uuid!("ead4c236-bf58-58c6-a2c6-a6b28d128cb6");

/// `podcast:guid`: a UUIDv5 of the feed URL without its scheme and trailing
/// slashes, so the same feed URL always gives the same show identity. The
/// record keeps the first one, so that a feed that moves keeps it.
pub(crate) fn podcast_guid(feed_url: &str) -> uuid::Uuid {
    let bare = feed_url
        .split_once("://")
        .map_or(feed_url, |(_, rest)| rest);
    uuid::Uuid::new_v5(&GUID_NAMESPACE, bare.trim_end_matches('/').as_bytes())
}

/// The record file of `config`: `X.record.toml` beside `X.toml`.
pub fn path_of(config: &Config) -> PathBuf {
    let stem = config
        .file
        .file_stem()
        .map_or_else(|| "gazette".into(), |s| s.to_string_lossy().into_owned());
    // Each language's feeds keep their own record (`gazette.fr.record.toml`).
    match &config.translations.current {
        Some(code) => config.root.join(format!("{stem}.{code}.record.toml")),
        None => config.root.join(format!("{stem}.record.toml")),
    }
}

/// Reads the record; none yet is an empty one. A site's record holds
/// every post it published, and TOML is slow to read: the copy the last
/// build kept (`.gazette/record.bin`) is used while the file is as that
/// build left it.
pub fn load(config: &Config) -> Result<Record, Error> {
    let path = path_of(config);
    let stamp = Stamp::of(&path);
    if let Some(kept) = stamp.and_then(|stamp| read_copy(config, stamp)) {
        return Ok(kept);
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Record::default()),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let record = parse(&text).map_err(|e| {
        Error::config(
            &path,
            format!("the publication record cannot be read: {}", e.message()),
        )
    })?;
    if let Some(stamp) = stamp {
        keep_copy(config, stamp, &record);
    }
    Ok(record)
}

/// Pieces of the file parsed on their own: about this many bytes each.
const PIECE: usize = 64 * 1024;

/// Reads the record's TOML. The `toml` crate builds a tree of the whole
/// file, with every key's text and span, before it hands over a value:
/// for a record of 10,000 posts (1.8 MB) that tree was two thirds of a
/// cold build's peak memory (24 of 36 MB). The record is a list of
/// independent `[entries."…"]` tables, so pieces cut before such headers
/// are parsed one at a time on each core and merged. Whenever a piece
/// fails, two pieces name the same entry, or the file holds what a cut
/// could split or change the meaning of (a multi-line string, `entries`
/// set other than by `[entries.…]` headers), the whole file is parsed
/// instead: same values, same errors as `toml::from_str`.
fn parse(text: &str) -> Result<Record, toml::de::Error> {
    let whole = || toml::from_str::<Record>(text);
    if text.len() <= PIECE || !cut_safely(text) {
        return whole();
    }
    let pieces = pieces(text);
    let parsed: Result<Vec<Record>, _> = pieces
        .par_iter()
        .map(|piece| toml::from_str::<Record>(piece))
        .collect();
    let Ok(parsed) = parsed else {
        return whole();
    };
    let mut record = Record::default();
    for part in parsed {
        if part.podcast_guid.is_some() {
            if record.podcast_guid.is_some() {
                return whole();
            }
            record.podcast_guid = part.podcast_guid;
        }
        for (key, entry) in part.entries {
            if record.entries.insert(key, entry).is_some() {
                return whole();
            }
        }
    }
    Ok(record)
}

/// Whether cutting before `[entries.` lines keeps every value whole and
/// its meaning: no multi-line strings (whose lines may start with `[`),
/// and no `entries` key, table or inline table that a later piece's
/// `[entries.…]` would extend (an error when the file is parsed whole).
fn cut_safely(text: &str) -> bool {
    !text.contains("\"\"\"")
        && !text.contains("'''")
        && text.lines().all(|line| {
            let line = line.trim_start();
            let bare = line
                .trim_start_matches(|c: char| matches!(c, '[' | '"' | '\'') || c.is_whitespace());
            !bare.starts_with("entries") || line.starts_with("[entries.")
        })
}

/// `text` cut before `[entries.` at the start of a line, in pieces of
/// about [`PIECE`] bytes.
fn pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let from = (start + PIECE).min(text.len());
        // On bytes: `from` may fall inside a character, and a cut just
        // after a newline never does.
        let end = memchr::memmem::find(&text.as_bytes()[from..], b"\n[entries.")
            .map_or(text.len(), |i| from + i + 1);
        pieces.push(&text[start..end]);
        start = end;
    }
    pieces
}

/// The binary copy: the record's file stamp, then the record. Its own
/// shape, since postcard cannot read fields that serde may skip.
#[derive(Deserialize)]
struct Copy {
    stamp: Stamp,
    podcast_guid: Option<String>,
    entries: Vec<(String, Entry)>,
}

fn copy_path(config: &Config) -> Option<PathBuf> {
    let name = match &config.translations.current {
        Some(code) => format!("record.{code}.bin"),
        None => "record.bin".to_string(),
    };
    config
        .cache
        .then(|| config.root.join(".gazette").join(name))
}

fn read_copy(config: &Config, stamp: Stamp) -> Option<Record> {
    let bytes = std::fs::read(copy_path(config)?).ok()?;
    let copy: Copy = postcard::from_bytes(&bytes).ok()?;
    (copy.stamp == stamp).then(|| Record {
        podcast_guid: copy.podcast_guid,
        entries: copy.entries.into_iter().collect(),
    })
}

/// Keeps the copy for the next build; one that cannot be written only
/// costs that build the time to read the file.
fn keep_copy(config: &Config, stamp: Stamp, record: &Record) {
    let Some(path) = copy_path(config) else {
        return;
    };
    // Written from borrowed values: postcard gives a struct the bytes of
    // its fields in order, so this reads back as a `Copy`.
    let copy = (
        stamp,
        &record.podcast_guid,
        record.entries.iter().collect::<Vec<_>>(),
    );
    if let (Ok(bytes), Some(dir)) = (postcard::to_stdvec(&copy), path.parent()) {
        let _ = std::fs::create_dir_all(dir);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let _ = crate::output::write(dir, &name, &bytes);
    }
}

fn key_of(config: &Config, post: &Post) -> String {
    post.path
        .strip_prefix(&config.root)
        .unwrap_or(&post.path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Gives every published post in `posts` the id its record holds, and
/// records the posts published for the first time.
pub fn apply(config: &Config, posts: &mut [Post], now: DateTime<Utc>) -> Result<Applied, Error> {
    let before = load(config)?;
    let mut record = before.clone();
    let mut applied = Applied::default();
    let mut published: Vec<usize> = (0..posts.len())
        .filter(|&i| posts[i].in_feeds && publish::state(&posts[i], now) == State::Published)
        .collect();
    // Posts first seen together are numbered oldest first, by path on a tie.
    published
        .sort_by(|&a, &b| (posts[a].date, &posts[a].path).cmp(&(posts[b].date, &posts[b].path)));
    let mut next = record.entries.values().map(|e| e.order).max().unwrap_or(0) + 1;
    let present: std::collections::HashSet<String> =
        posts.iter().map(|p| key_of(config, p)).collect();
    // Recorded entries whose file is gone, by title and date: what a renamed
    // file may be. Looked up per new post, not searched for (a site's first
    // build adds every post, and each search would grow with the record).
    let mut gone: HashMap<(String, String), Vec<String>> = HashMap::new();
    for (key, entry) in &record.entries {
        if !present.contains(key) {
            gone.entry((entry.title.clone(), entry.published.clone()))
                .or_default()
                .push(key.clone());
        }
    }
    for i in published {
        let post = &mut posts[i];
        let key = key_of(config, post);
        let date = post.date.map(|d| d.to_rfc3339()).unwrap_or_default();
        // A renamed file: the one recorded entry whose file is gone and that
        // had this title and date.
        if !record.entries.contains_key(&key) {
            if let Some(candidates) = gone.get_mut(&(post.title.clone(), date.clone())) {
                if let [old] = candidates.as_slice() {
                    if let Some(entry) = record.entries.remove(old) {
                        record.entries.insert(key.clone(), entry);
                    }
                    candidates.clear();
                }
            }
        }
        // Ids recorded while the site's address was still a placeholder
        // (`init` writes one when it finds none) were never read by anyone:
        // once the real address is set, they follow it.
        if let Some(entry) = record.entries.get_mut(&key) {
            if entry.id != post.id
                && crate::paths::is_placeholder_address(&entry.id)
                && !crate::paths::is_placeholder_address(config.base_url.as_str())
            {
                entry.id = post.id.clone();
            }
        }
        match record.entries.get(&key) {
            Some(entry) => {
                if entry.id != post.id {
                    applied.kept.push(Kept {
                        path: post.path.clone(),
                        recorded: entry.id.clone(),
                        computed: post.id.clone(),
                    });
                    post.id = entry.id.clone();
                }
            }
            None => {
                record.entries.insert(
                    key.clone(),
                    Entry {
                        id: post.id.clone(),
                        published: date,
                        title: post.title.clone(),
                        order: next,
                    },
                );
                next += 1;
                applied.added.push(key);
            }
        }
    }
    if let Some(show) = &config.podcast {
        if show.guid.is_none() && record.podcast_guid.is_none() {
            let url = config.output_url("podcast.xml");
            record.podcast_guid = Some(podcast_guid(url.as_str()).to_string());
        }
    }
    applied.changed = record != before;
    applied.record = record;
    Ok(applied)
}

impl Applied {
    /// A post's place in publication order: its recorded `order`, with
    /// posts not (yet) in the record after all recorded ones.
    pub fn order_of(&self, config: &Config, post: &Post) -> u64 {
        self.record
            .entries
            .get(&key_of(config, post))
            .map_or(u64::MAX, |e| e.order)
    }
}

/// What seeding the record from an old feed did.
#[derive(Debug, Clone, Default)]
pub struct Seeded {
    /// Posts whose id and date now come from the old feed.
    pub taken: usize,
    /// Published posts the old feed does not list (by link or id).
    pub not_in_feed: usize,
}

/// Takes the ids and dates readers already have from a feed the site
/// published before (`gazette record --from OLD_FEED`): each published post
/// the old feed lists, by link or id, is recorded with the old entry's id
/// and date. The caller writes the result.
pub fn seed(
    config: &Config,
    posts: &[Post],
    applied: &mut Applied,
    old: &[crate::old_feed::OldEntry],
    now: DateTime<Utc>,
) -> Seeded {
    let mut seeded = Seeded::default();
    for post in posts
        .iter()
        .filter(|p| p.in_feeds && publish::state(p, now) == State::Published)
    {
        let found = old.iter().find(|entry| {
            entry
                .link
                .as_deref()
                .is_some_and(|link| crate::old_feed::same_url(link, post.url.as_str()))
                || entry.id == post.id
        });
        let Some(entry) = found else {
            seeded.not_in_feed += 1;
            continue;
        };
        let key = key_of(config, post);
        if let Some(recorded) = applied.record.entries.get_mut(&key) {
            recorded.id = entry.id.clone();
            if let Some(date) = entry.date {
                recorded.published = date.to_rfc3339();
            }
            seeded.taken += 1;
        }
    }
    applied.changed = true;
    seeded
}

/// The text of a record, for people and diffs: a note on top, then the
/// entries in path order. Written directly (the `toml` crate's writer took
/// a tenth of a build that added a post to a large site).
pub fn render(record: &Record) -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "# gazette's publication record: what feed readers have seen. Commit it with the site.\n# Builds keep these ids when permalinks, the base URL or file names change;\n# `gazette build --locked` fails instead of changing this file.\n\n",
    );
    if let Some(guid) = &record.podcast_guid {
        let _ = writeln!(out, "podcast_guid = {}\n", quoted(guid));
    }
    if record.entries.is_empty() {
        out.push_str("[entries]\n");
    }
    for (key, entry) in &record.entries {
        let _ = write!(
            out,
            "[entries.{}]\nid = {}\npublished = {}\ntitle = {}\norder = {}\n\n",
            quoted(key),
            quoted(&entry.id),
            quoted(&entry.published),
            quoted(&entry.title),
            entry.order
        );
    }
    if out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A TOML basic string: always one line, always double quotes, so every
/// key and value has one form in the file.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes the record beside the config, atomically.
pub fn write(config: &Config, record: &Record) -> Result<PathBuf, Error> {
    let path = path_of(config);
    let (dir, name) = (
        path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        path.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
    );
    crate::output::write(&dir, &name, render(record).as_bytes())?;
    if let Some(stamp) = Stamp::of(&path) {
        keep_copy(config, stamp, record);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record large enough to be read in pieces, with titles of
    /// several bytes per character so that cuts fall inside them.
    fn large_record() -> Record {
        let mut record = Record {
            podcast_guid: Some("917393e3-1b1e-5cef-ace4-edaa54e1f810".into()),
            entries: BTreeMap::new(),
        };
        for i in 0..3000u64 {
            record.entries.insert(
                format!("content/{i:05}-访谈.md"),
                Entry {
                    id: format!("https://example.org/posts/{i}/"),
                    published: "2025-01-01T00:00:00+08:00".into(),
                    title: format!("访谈 {i}：\"AI\" [entries.x] 与开源"),
                    order: i + 1,
                },
            );
        }
        record
    }

    #[test]
    fn a_record_read_in_pieces_is_the_record_read_whole() {
        let record = large_record();
        let text = render(&record);
        assert!(pieces(&text).len() > 4, "{}", pieces(&text).len());
        assert!(pieces(&text)
            .iter()
            .skip(1)
            .all(|p| p.starts_with("[entries.")));
        assert_eq!(pieces(&text).concat(), text);
        assert_eq!(parse(&text).unwrap(), record);
        assert_eq!(toml::from_str::<Record>(&text).unwrap(), record);
    }

    #[test]
    fn what_a_cut_could_hide_is_read_whole_with_its_error() {
        let text = render(&large_record());
        // The same entry twice, far apart: TOML's duplicate-table error.
        let first = text.find("[entries.").unwrap();
        let second = text[first..].find("\n\n").unwrap() + first + 2;
        let duplicated = format!("{text}\n{}", &text[first..second]);
        assert_eq!(
            parse(&duplicated).unwrap_err().message(),
            toml::from_str::<Record>(&duplicated).unwrap_err().message()
        );
        // An inline `entries` table that a later header would extend.
        let inline = text.replacen("[entries.", "entries = {}\n[entries.", 1);
        assert!(toml::from_str::<Record>(&inline).is_err());
        assert!(parse(&inline).is_err());
        assert!(!cut_safely("\"entries\".x.id = \"a\""));
        assert!(!cut_safely("[ entries ]"));
        assert!(cut_safely("[entries.\"a\"]\nid = \"x\""));
        // A broken value far down the file: the whole file's message.
        let broken = text.replacen("order = 2999", "order = ", 1);
        assert_eq!(
            parse(&broken).unwrap_err().to_string(),
            toml::from_str::<Record>(&broken).unwrap_err().to_string()
        );
    }

    #[test]
    fn the_binary_copy_reads_back_as_the_record_it_was_written_from() {
        let (_dir, config) = crate::content::collect::tests::site();
        let record = large_record();
        let path = write(&config, &record).unwrap();
        let stamp = Stamp::of(&path).unwrap();
        assert_eq!(read_copy(&config, stamp), Some(record.clone()));
        assert_eq!(load(&config).unwrap(), record);
    }

    #[test]
    fn the_written_record_reads_back_as_it_was() {
        let mut record = Record {
            podcast_guid: Some("917393e3-1b1e-5cef-ace4-edaa54e1f810".into()),
            entries: BTreeMap::new(),
        };
        assert_eq!(toml::from_str::<Record>(&render(&record)).unwrap(), record);
        for (i, text) in [
            "plain",
            "with \"quotes\" and 'apostrophes'",
            "back\\slash",
            "new\nline\ttab",
            "三个'引号\"",
            "''' and \"\"\"",
            "control \u{1}\u{7f}",
        ]
        .iter()
        .enumerate()
        {
            record.entries.insert(
                format!("content/{text}.md"),
                Entry {
                    id: format!("https://example.org/{text}"),
                    published: "2025-01-01T00:00:00+08:00".into(),
                    title: (*text).to_string(),
                    order: i as u64 + 1,
                },
            );
        }
        let text = render(&record);
        assert_eq!(toml::from_str::<Record>(&text).unwrap(), record, "{text}");
        // The layout the file had when the `toml` crate wrote it.
        assert!(text.contains(
            "\n[entries.\"content/plain.md\"]\nid = \"https://example.org/plain\"\npublished = \"2025-01-01T00:00:00+08:00\"\ntitle = \"plain\"\norder = 1\n"
        ));
    }
}
