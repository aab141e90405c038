//! Reading one file into a post: decoding, front matter, the generator's
//! defaults, then each field by the site's `[fields]` and the generator's
//! rules (dates, URL, id, authors, tags, an episode).

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use url::Url;

use super::frontmatter::{self, Split, SplitError};
use super::walk::relative_to_content;
use super::{publish, Listed, Post};
use crate::config::{Config, MainSectionsBy, Person, SectionPages};
use crate::dates;
use crate::error::Diagnostic;
use crate::generators::eleventy_git_dates::GitDate;
use crate::generators::jekyll_defaults::Defaults;
use crate::generators::{EntryOrder, FileKind, Generator, IdFormat, NameDate, Undated};
use crate::permalink;

/// The site's defaults, read once per configuration.
pub(crate) fn jekyll_defaults(config: &Config) -> &Defaults {
    config.jekyll_defaults.get_or_init(|| {
        let (mut defaults, problem) = Defaults::load(&config.root);
        defaults.problem = problem;
        defaults
    })
}

/// A Jekyll site's authors data, read once (see `jekyll_defaults`).
pub(super) fn jekyll_authors(
    config: &Config,
) -> &(crate::content::jekyll_authors::Authors, Option<Diagnostic>) {
    config.jekyll_authors.get_or_init(|| {
        crate::content::jekyll_authors::load(&jekyll_defaults(config).source(&config.root))
    })
}

/// What reading a file noticed besides its result.
#[derive(Debug, Default)]
pub struct Notes {
    /// The `[fields]` entries whose keys the file set.
    pub seen: Seen,
    pub warnings: Vec<Diagnostic>,
}

/// A set of `[fields]` entry names: bits, not a list, as every file of the
/// site keeps one.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Seen(u32);

impl Seen {
    /// Every name a set may hold.
    const NAMES: [&'static str; 21] = [
        "title",
        "date",
        "updated",
        "expiry",
        "scheduled",
        "author",
        "summary",
        "external_url",
        "slug",
        "id",
        "tags",
        "draft",
        "published",
        "feed",
        "update_notice",
        "url",
        "skip_if_key",
        "skip_main_if_key",
        "from_section",
        "date_from",
        "feed_date",
    ];

    fn bit(name: &str) -> u32 {
        Seen::NAMES
            .iter()
            .position(|n| *n == name)
            .map_or(0, |at| 1 << at)
    }

    pub fn insert(&mut self, name: &str) {
        self.0 |= Seen::bit(name);
    }

    pub fn contains(self, name: &str) -> bool {
        let bit = Seen::bit(name);
        bit != 0 && self.0 & bit == bit
    }

    pub fn extend(&mut self, other: Seen) {
        self.0 |= other.0;
    }
}

/// How the reason a page is not in the collection of posts begins (what
/// `collect` counts to tell a collection no page is tagged with).
pub(crate) const NOT_TAGGED: &str = "not tagged";

/// Why a Hugo content file that is a whole HTML document is no post.
const PLAIN_HTML_DOCUMENT: &str = "a plain HTML document without front matter: Hugo before 0.123 copies it as it is, no page of its own (0.123 and later make it an untitled page); give it front matter to list it";

/// Whether a front matter value says nothing: null, or empty text.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Whether a file without front matter begins with markup other than a
/// comment (`<!DOCTYPE html>`, `<html>`), as Hugo's page lexer told
/// before 0.123 (`ErrPlainHTMLDocumentsNotSupported`).
fn is_plain_html_document(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start.starts_with('<') && !start.starts_with("<!--")
}

/// Where Eleventy takes a page's date when its `date` names no date.
#[derive(Debug, Clone, Copy)]
enum FileDate {
    /// The file's times, which every checkout changes.
    FileSystem,
    /// git's history of the file.
    Git(GitDate),
}

/// What reading one file gave.
#[derive(Debug)]
pub enum Read {
    /// A post.
    Post(Box<Post>, Notes),
    /// A page the generator keeps out of its feeds, and why; with its URL
    /// where it has one (an undated Zola page), which a post may link to.
    Skipped(String, Option<Url>, Notes),
    /// The file has no front matter: not a post at all.
    NoFrontMatter,
}

/// What reading a file gave, or what is wrong with it.
pub type ReadResult = Result<Read, Vec<Diagnostic>>;

/// Reads one file. Jekyll reads `_drafts` only when asked (`--drafts`), so
/// a draft gazette cannot read is a warning, not an error that fails the
/// run: it is published neither way.
pub fn read_post(path: &Path, kind: FileKind, config: &Config) -> ReadResult {
    match read_file(path, kind, config) {
        Err(diagnostics) if kind == FileKind::Draft => {
            let warnings = diagnostics
                .into_iter()
                .map(|d| Diagnostic {
                    severity: crate::error::Severity::Warning,
                    ..d
                })
                .collect();
            Ok(Read::Skipped(
                "a draft gazette cannot read".into(),
                None,
                Notes {
                    warnings,
                    ..Notes::default()
                },
            ))
        }
        read => read,
    }
}

fn read_file(path: &Path, kind: FileKind, config: &Config) -> ReadResult {
    // A page in another language is that language's build's to read, and
    // to report: its name says so before its front matter is parsed.
    let named = relative_to_content(path, config);
    if let Some(why) = config.translations.other_language(&named) {
        return Ok(Read::Skipped(why, None, Notes::default()));
    }
    // Nor is a file outside `collection_files` read: the site's feed
    // cannot list it, whatever it holds (top-frog.com's `stuff/` keeps
    // pages in Windows-1252 to show what a wrong encoding does).
    if !in_collection_files(path, config) {
        return Ok(Read::Skipped(
            NOT_IN_COLLECTION_FILES.into(),
            None,
            Notes::default(),
        ));
    }
    let cannot_read =
        |e: std::io::Error| vec![Diagnostic::error(path, None, format!("cannot read: {e}"))];
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    // Only the front matter is needed here (the body is read again for the
    // posts an output holds): the first block of the file nearly always
    // holds it, and the rest is read only when it does not.
    let mut bytes = Vec::with_capacity(FIRST_READ);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, FIRST_READ as u64),
        &mut bytes,
    )
    .map_err(cannot_read)?;
    let whole = bytes.len() < FIRST_READ;
    let text = match decode_prefix(path, &bytes, whole) {
        Ok(text) if whole || closes_front_matter(text) => text,
        _ => {
            std::io::Read::read_to_end(&mut file, &mut bytes).map_err(cannot_read)?;
            decode(path, &bytes).map_err(|d| vec![d])?
        }
    };
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(SplitError::Missing)
            if config.generator == Generator::Hugo && is_plain_html_document(text) =>
        {
            return Ok(Read::Skipped(
                PLAIN_HTML_DOCUMENT.into(),
                None,
                Notes::default(),
            ));
        }
        Err(SplitError::Missing) if config.generator.builds_without_front_matter(kind) => {
            frontmatter::whole_body(text)
        }
        Err(SplitError::Missing) => return Ok(Read::NoFrontMatter),
        // gray-matter reads front matter to the end of a file that never
        // closes it, with no body (`index.js`: `closeIndex = len`).
        Err(SplitError::Unclosed(to_the_end)) if config.generator == Generator::Eleventy => {
            to_the_end
        }
        Err(SplitError::Unclosed(_)) => {
            return Err(vec![Diagnostic::error(
                path,
                Some(1),
                "front matter is never closed: add a line with `---` (or `+++`) after it",
            )])
        }
    };
    let mut inherited = None;
    let mut map = frontmatter::parse(&split)
        .map_err(|e| vec![Diagnostic::error(path, e.line, e.message).at_column(e.column)])?;
    match config.generator {
        Generator::Eleventy => {
            super::cascade::fill(&mut map, path, &config.content_dir, &config.shared_files);
        }
        Generator::Jekyll => {
            let defaults = jekyll_defaults(config);
            if !defaults.is_empty() {
                // Jekyll compares scope paths with collections_dir stripped.
                let rel = relative_to_content(path, config);
                let rel = rel.to_string_lossy().replace('\\', "/");
                let kind = match kind {
                    FileKind::Document(index) => config.feeds.collection(index).map(|(n, _)| n),
                    _ => None,
                };
                defaults.fill(
                    &mut map,
                    rel.trim_start_matches("./"),
                    kind.unwrap_or("posts"),
                );
            }
        }
        Generator::Zola if !config.fields.from_section.is_empty() => {
            let rel = rule_path(named.clone(), config);
            if let Some(section) = super::sections::zola_ancestor(&rel, config) {
                if let Some(data) = config.shared_files.data(&section, frontmatter::of_file) {
                    let taken = take_unset(&mut map, &data, &config.fields.from_section);
                    inherited = Some((section, taken));
                }
            }
        }
        _ => {}
    }
    PostReader {
        path,
        rel: rule_path(named, config),
        kind,
        config,
        split: &split,
        map,
        inherited,
        notes: std::cell::RefCell::new(Notes::default()),
    }
    .read()
}

/// Each of `keys` (dotted paths) that `map` does not set, from `from`;
/// the keys taken.
fn take_unset(
    map: &mut Map<String, Value>,
    from: &Map<String, Value>,
    keys: &[String],
) -> Vec<String> {
    let mut taken = Vec::new();
    for key in keys {
        if lookup(map, key, false).is_some() {
            continue;
        }
        let Some(value) = lookup(from, key, false) else {
            continue;
        };
        let parts: Vec<&str> = key.split('.').collect();
        if set_at(map, &parts, value.clone()) {
            taken.push(key.clone());
        }
    }
    taken
}

/// Sets the value at a path of tables, making the tables it lacks; a value
/// that is no table on the way stays as it is. Whether it was set.
pub(crate) fn set_at(map: &mut Map<String, Value>, parts: &[&str], value: Value) -> bool {
    match parts {
        [] => false,
        [last] => {
            map.entry(last.to_string()).or_insert(value);
            true
        }
        [first, rest @ ..] => {
            let inner = map
                .entry(first.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            match inner {
                Value::Object(inner) => set_at(inner, rest, value),
                _ => false,
            }
        }
    }
}

/// The path below the content folder that the generator's rules read: a
/// page named in the language built (`about.en.md` in the default
/// language's feeds, `about.fr.md` in the French ones) is the page `about`
/// (gohugo.io/content-management/multilingual, translation by file name;
/// Zola's `FileInfo::find_language`).
fn rule_path(rel: PathBuf, config: &Config) -> PathBuf {
    let translations = &config.translations;
    let in_built = translations
        .built()
        .is_some_and(|built| translations.language_of(&rel) == Some(built));
    let hugo_or_zola = matches!(config.generator, Generator::Hugo | Generator::Zola);
    match translations.stem_without_language(&rel) {
        Some(name) if hugo_or_zola && in_built => {
            let extension = rel.extension().map(|e| e.to_string_lossy().into_owned());
            rel.with_file_name(match extension {
                Some(extension) => format!("{name}.{extension}"),
                None => name.to_string(),
            })
        }
        _ => rel,
    }
}

/// Bytes read first; front matter longer than this costs a second read.
const FIRST_READ: usize = 4 * 1024;

/// Whether the start of a file holds its whole front matter.
fn closes_front_matter(text: &str) -> bool {
    !matches!(
        frontmatter::split(text),
        Err(frontmatter::SplitError::Unclosed(_))
    )
}

/// The first block of a file as text: the whole file when `whole`, else up
/// to the last complete character (a block may end inside one). Validated
/// once: UTF-8 checking is a tenth of a cold build.
fn decode_prefix<'a>(path: &Path, bytes: &'a [u8], whole: bool) -> Result<&'a str, Diagnostic> {
    if whole {
        return decode(path, bytes);
    }
    decode(path, &bytes[..complete_characters(bytes)])
}

/// The length of `bytes` without a character cut off at its end.
fn complete_characters(bytes: &[u8]) -> usize {
    let is_continuation = |b: u8| b & 0xC0 == 0x80;
    let tail = bytes.len().saturating_sub(4);
    let Some(lead) = (tail..bytes.len())
        .rev()
        .find(|&i| !is_continuation(bytes[i]))
    else {
        return bytes.len();
    };
    let needed = match bytes[lead] {
        b if !(0x80..0xF8).contains(&b) => 1,
        b if b >= 0xF0 => 4,
        b if b >= 0xE0 => 3,
        b if b >= 0xC0 => 2,
        _ => 1,
    };
    if bytes.len() - lead < needed {
        lead
    } else {
        bytes.len()
    }
}

const NOT_IN_COLLECTION_FILES: &str =
    "not a file of the collection of posts (`collection_files` in the config)";

/// Whether the file is one `collection_files` names, if it names any.
fn in_collection_files(path: &Path, config: &Config) -> bool {
    let Some(files) = &config.collection_files else {
        return true;
    };
    files.is_match(path.strip_prefix(&config.content_dir).unwrap_or(path))
}

pub(crate) fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if let Some(nul) = memchr::memchr(0, bytes) {
        let line = bytes[..nul].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Diagnostic::error(
            path,
            Some(line),
            "binary file (contains NUL bytes): not a Markdown post",
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::error(
            path,
            Some(line),
            format!("not valid UTF-8 (byte {offset}): save the file as UTF-8"),
        )
    })
}

/// A front-matter value by key: the key as written, else (Hugo) in any
/// case, else as a dotted path into tables (`taxonomies.tags`).
pub fn lookup<'m>(map: &'m Map<String, Value>, key: &str, any_case: bool) -> Option<&'m Value> {
    let get = |map: &'m Map<String, Value>, key: &str| {
        map.get(key).or_else(|| {
            any_case
                .then(|| {
                    map.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(key))
                        .map(|(_, v)| v)
                })
                .flatten()
        })
    };
    if let Some(value) = get(map, key) {
        return Some(value);
    }
    let mut parts = key.split('.');
    let first = parts.next()?;
    if !key.contains('.') {
        return None;
    }
    let mut current = get(map, first)?;
    for part in parts {
        current = match current {
            Value::Object(inner) => get(inner, part)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Turns one parsed front matter into a post, collecting every problem.
struct PostReader<'a> {
    path: &'a Path,
    /// The path below the content folder, which generators' rules look at.
    rel: PathBuf,
    kind: FileKind,
    config: &'a Config,
    split: &'a Split<'a>,
    map: Map<String, Value>,
    /// The section page `[fields] from_section` keys were taken from, and
    /// which of them.
    inherited: Option<(PathBuf, Vec<String>)>,
    notes: std::cell::RefCell<Notes>,
}

impl PostReader<'_> {
    fn error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let line = self.key_line(key);
        Diagnostic::error(self.path, line, message)
    }

    fn key_line(&self, key: &str) -> Option<usize> {
        let last = key.rsplit('.').next().unwrap_or(key);
        frontmatter::key_line(self.split, key)
            .or_else(|| frontmatter::key_line(self.split, last))
            .or(Some(self.split.front_line.saturating_sub(1).max(1)))
    }

    /// Which lists hold the page: Hugo's build option `list`
    /// (gohugo.io/content-management/build-options), under `build` or, as
    /// Hugo before 0.123 reads it, `_build`: `never` (or `false`) keeps the
    /// page out of every list, `local` out of all but its section's; and
    /// `main_sections` and `skip_main_if_key` on any site.
    fn listed(&self) -> Listed {
        let listed = match self.config.generator {
            Generator::Hugo => {
                let value = ["build.list", "_build.list"]
                    .iter()
                    .find_map(|key| lookup(&self.map, key, true));
                match value {
                    Some(Value::Bool(false)) => Listed::Never,
                    Some(Value::String(text)) => match text.to_ascii_lowercase().as_str() {
                        "never" | "false" => Listed::Never,
                        "local" => Listed::Local,
                        _ => Listed::Always,
                    },
                    _ => Listed::Always,
                }
            }
            _ => Listed::Always,
        };
        // A type outside `main_sections`, or a page that sets a key of
        // `skip_main_if_key`, is in its section's and terms' feeds, not the
        // site's.
        let main = &self.config.feeds.main_sections;
        let outside = !main.is_empty() && !self.in_main_sections(main);
        let skip_main = || {
            self.true_key("skip_main_if_key", &self.config.fields.skip_main)
                .is_some()
                || self.skip_main_value()
        };
        match listed == Listed::Always && (outside || skip_main()) {
            true => Listed::Local,
            false => listed,
        }
    }

    /// Whether the page is of `main_sections`: for Zola, a section whose
    /// `pages` hold it (`/` the content folder's), as a feed template
    /// listing `section.pages` reads it; for others, its Hugo `.Type`.
    fn in_main_sections(&self, main: &[String]) -> bool {
        if self.config.generator != Generator::Zola {
            return match self.config.feeds.main_sections_by {
                MainSectionsBy::Type => main.contains(&self.page_type()),
                MainSectionsBy::Section => main.contains(&self.page_section()),
            };
        }
        super::sections::zola_chain(&self.rel, self.config)
            .iter()
            .any(|(folder, _)| {
                let folder = if folder.is_empty() {
                    "/"
                } else {
                    folder.as_str()
                };
                main.iter().any(|m| m == folder)
            })
    }

    /// The page's type, where a top-level section's feed lists the pages
    /// of its type (`section_pages = "top_by_type"`); Zola's sections have
    /// no types, so its feeds keep their own pages.
    fn type_for_sections(&self) -> Option<String> {
        let by_type = self.config.feeds.section_pages == SectionPages::TopByType
            && self.config.generator != Generator::Zola;
        by_type.then(|| self.page_type())
    }

    /// Hugo's `.Section`: the first folder of the page's path below the
    /// content folder (none for a file directly in it).
    fn page_section(&self) -> String {
        let mut folders = self.rel.iter();
        match (folders.next(), folders.next()) {
            (Some(first), Some(_)) => first.to_string_lossy().into_owned(),
            _ => String::new(),
        }
    }

    /// Hugo's `.Type`: the page's `type`, else its section, the first
    /// folder of its path below the content folder (`page` for a file
    /// directly in it).
    fn page_type(&self) -> String {
        if let Some(Value::String(own)) = lookup(&self.map, "type", true) {
            return own.clone();
        }
        match self.page_section() {
            section if section.is_empty() => "page".into(),
            section => section,
        }
    }

    /// Hugo's `publishDate` (or `pubdate`), which decides when a page is
    /// published whatever its `date` (`[frontmatter] publishDate`).
    fn hugo_publish_date(&self, errors: &mut Vec<Diagnostic>) -> Option<DateTime<FixedOffset>> {
        if self.config.generator != Generator::Hugo {
            return None;
        }
        let keys = ["publishDate".to_string(), "pubdate".to_string()];
        self.date("date", &keys, errors)
    }

    /// `weight` and `linkTitle`, where the feeds are ordered by them as
    /// Hugo's are (front matter keys in any case, as Hugo reads them). A
    /// weight is read as Hugo's `cast.ToInt` reads it: text holding a whole
    /// number is that number, a fraction is cut to its whole part, anything
    /// else is 0, the page still listed (measured with Hugo 0.111 and
    /// 0.168); gazette says so.
    fn hugo_order(&self) -> (i64, Option<String>) {
        let hugo_orders = [EntryOrder::WeightDateTitle, EntryOrder::LastmodReversed];
        if !hugo_orders.contains(&self.config.entry_order) {
            return (0, None);
        }
        let value = lookup(&self.map, "weight", true);
        let weight = match value {
            None | Some(Value::Null) => Some(0),
            Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64)),
            Some(Value::String(s)) => s.trim().parse().ok(),
            Some(Value::Bool(b)) => Some(i64::from(*b)),
            Some(_) => None,
        };
        let weight = weight.unwrap_or_else(|| {
            let found = value.map(ToString::to_string).unwrap_or_default();
            self.notes.borrow_mut().warnings.push(Diagnostic::warning(
                self.path,
                self.key_line("weight"),
                format!("`weight` should be a whole number, found {found}: taken as 0 (no weight), as Hugo takes it"),
            ));
            0
        });
        let link_title = match lookup(&self.map, "linkTitle", true) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        };
        (weight, link_title)
    }

    /// The collection the file is a document of, by name.
    fn document(&self) -> Option<(&str, &crate::config::CollectionFeed)> {
        match self.kind {
            FileKind::Document(index) => self.config.feeds.collection(index),
            _ => None,
        }
    }

    /// The first of `keys` that is set (not null, not an empty string).
    fn first<'k>(&self, keys: &'k [String]) -> Option<(&'k str, &Value)> {
        keys.iter().find_map(|key| {
            match lookup(&self.map, key, self.config.fields.case_insensitive_keys) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.trim().is_empty() => None,
                // A list of blanks, as a CMS writes a field left empty
                // (`updated: ['']`), is no more set than a blank.
                Some(Value::Array(items))
                    if !items.is_empty()
                        && items.iter().all(|i| {
                            i.is_null() || i.as_str().is_some_and(|s| s.trim().is_empty())
                        }) =>
                {
                    None
                }
                Some(value) => Some((key.as_str(), value)),
            }
        })
    }

    /// `first`, remembering that the `[fields]` entry `name` matched.
    fn field<'k>(&self, name: &'static str, keys: &'k [String]) -> Option<(&'k str, &Value)> {
        let found = self.first(keys);
        if found.is_some() {
            self.notes.borrow_mut().seen.insert(name);
        }
        found
    }

    fn text(
        &self,
        name: &'static str,
        keys: &[String],
        errors: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let (key, value) = self.field(name, keys)?;
        let scalar = |value: &Value| match value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match value {
            // A list of texts, as WordPress exporters write a `description`,
            // is its texts one after another.
            Value::Array(items)
                if !items.is_empty() && items.iter().all(|i| scalar(i).is_some()) =>
            {
                let parts: Vec<String> = items.iter().filter_map(scalar).collect();
                Some(parts.join(" "))
            }
            other => scalar(other).or_else(|| {
                errors.push(self.error(key, format!("`{key}` should be text, found {other}")));
                None
            }),
        }
    }

    /// The date under `keys`: `Ok(None)` when none is set, `Err` with the
    /// message when one is set but cannot be read.
    fn date_value(
        &self,
        name: &'static str,
        keys: &[String],
    ) -> Result<Option<DateTime<FixedOffset>>, Diagnostic> {
        let Some((key, value)) = self.field(name, keys) else {
            return Ok(None);
        };
        // A date Eleventy takes from the file system: none here
        // (`undated_reason` says why); from git's history, git's.
        if name == "date" {
            match self.eleventy_file_date() {
                Some(FileDate::Git(which)) => return Ok(which.of(self.path)),
                Some(FileDate::FileSystem) => return Ok(None),
                None => {}
            }
        }
        let parsed = match value {
            Value::String(s) => dates::parse(s, self.timezone_of(key, s))
                .or_else(|message| self.rolled_over_by_js_yaml(key, s).ok_or(message)),
            // `published: true` (cuilan/hugo-blog's, a Jekyll habit): Hugo
            // reads `published` as a date alias and takes no date from a
            // flag, listing the page by its other dates (Hugo 0.168).
            Value::Bool(flag) if self.config.generator == Generator::Hugo => {
                self.notes.borrow_mut().warnings.push(Diagnostic::warning(
                    self.path,
                    self.key_line(key),
                    format!("`{key}`: {flag} is no date; Hugo reads no date from it, and neither does gazette"),
                ));
                return Ok(None);
            }
            other => Err(format!("found {other}: {}", dates::EXPECTED)),
        };
        let whole_seconds = self.config.generator.feeds_write_whole_seconds();
        parsed
            .map(|date| match whole_seconds {
                true => chrono::SubsecRound::trunc_subsecs(date, 0),
                false => date,
            })
            .map(Some)
            .map_err(|message| self.error(key, format!("`{key}`: {message}")))
    }

    /// A date that is no calendar date (`2023-13-04`) as Eleventy reads it
    /// unquoted: js-yaml carries it into the next month or year, and the
    /// site publishes it there. Said, since it is likely a slip.
    fn rolled_over_by_js_yaml(&self, key: &str, value: &str) -> Option<DateTime<FixedOffset>> {
        if self.config.generator != Generator::Eleventy {
            return None;
        }
        let raw = frontmatter::raw_value(self.split, key)?;
        if raw.starts_with(['"', '\'']) {
            return None;
        }
        let date = dates::js_yaml_timestamp(value)?;
        self.notes.borrow_mut().warnings.push(Diagnostic::warning(
            self.path,
            self.key_line(key),
            format!(
                "`{key}`: {value} is no calendar date; Eleventy's YAML reader carries it over to {}, as gazette does (fix the date to move the post)",
                date.format("%Y-%m-%d %H:%M:%S UTC")
            ),
        ));
        Some(date)
    }

    /// The time zone a date without offset is read in. Jekyll gets dates
    /// through Ruby's YAML, which reads an unquoted `2024-06-01 23:45:00` as
    /// UTC, but a quoted one, a bare day or any other form it reads as a
    /// string (`2024-06-01 23:45`, `2024/06/01 23:45:00`) in the site's
    /// time zone, as Jekyll's `Time.parse` places it.
    fn timezone_of(&self, key: &str, value: &str) -> chrono_tz::Tz {
        let unquoted_timestamp = self.config.generator == Generator::Jekyll
            && dates::is_ruby_yaml_time(value)
            && frontmatter::raw_value(self.split, key)
                .is_some_and(|raw| !raw.starts_with(['"', '\'']));
        if unquoted_timestamp {
            chrono_tz::UTC
        } else {
            self.config.timezone
        }
    }

    fn date(
        &self,
        name: &'static str,
        keys: &[String],
        errors: &mut Vec<Diagnostic>,
    ) -> Option<DateTime<FixedOffset>> {
        // A key read for two dates (Hugo's `lastmod` falls back to `date`)
        // is reported once.
        self.date_value(name, keys)
            .map_err(|e| {
                if !errors.contains(&e) {
                    errors.push(e);
                }
            })
            .ok()
            .flatten()
    }

    /// The date the feeds show: `feed_date` where the post sets it, else
    /// `date`, from which its URL was made either way.
    fn shown_date(
        &self,
        date: Option<DateTime<FixedOffset>>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<DateTime<FixedOffset>> {
        self.date("feed_date", &self.config.fields.feed_date, errors)
            .or(date)
    }

    /// `update_notice`: true, or a line saying what changed; a flag without
    /// an `updated` date has nothing to announce.
    fn update_notice(&self, updated: bool, errors: &mut Vec<Diagnostic>) -> Option<String> {
        let keys = &self.config.fields.update_notice;
        let (key, value) = self.field("update_notice", keys)?;
        let notice = match value {
            Value::String(text) if publish::flag(value).is_err() => Some(text.trim().to_string()),
            _ => match publish::flag(value) {
                Ok(true) => Some(String::new()),
                Ok(false) => None,
                Err(_) => {
                    errors.push(self.error(
                        key,
                        format!("`{key}`: expected true, false or a line saying what changed"),
                    ));
                    None
                }
            },
        };
        if notice.is_some() && !updated {
            let line = self.key_line(key);
            self.notes.borrow_mut().warnings.push(Diagnostic::warning(
                self.path,
                line,
                format!("`{key}` without an `updated` date: digests cannot tell when the update was, so it is not announced"),
            ));
            return None;
        }
        notice
    }

    /// A key gazette reads that `---js` front matter computes is unset
    /// here: say so where it is, rather than let the post lose its title,
    /// tags or address without a word.
    fn warn_computed(&self) {
        let fields = &self.config.fields;
        for computed in frontmatter::computed_keys(self.split) {
            let key = computed
                .strip_prefix("eleventyComputed.")
                .unwrap_or(&computed);
            let read = ["permalink", "tags", "eleventyExcludeFromCollections"].contains(&key)
                || fields.known().any(|known| known == key);
            if read {
                let line = self.key_line(key);
                self.notes.borrow_mut().warnings.push(Diagnostic::warning(
                    self.path,
                    line,
                    format!("`{computed}` is computed in JavaScript, which gazette does not run: give it a literal value (`const {key} = \"…\";`) or set it in gazette.toml"),
                ));
            }
        }
    }

    fn flag(
        &self,
        name: &'static str,
        keys: &[String],
        default: bool,
        errors: &mut Vec<Diagnostic>,
    ) -> bool {
        let Some((key, value)) = self.field(name, keys) else {
            return default;
        };
        let message = match publish::flag(value) {
            Ok(flag) => return flag,
            Err(message) => message,
        };
        // Hugo's `cast.ToBool` takes what it cannot read as false, and
        // Jekyll unpublishes only on a literal `false`: the page is on the
        // site, so it stays in the feed, with a word.
        let generator = self.config.generator;
        let flag = match generator {
            Generator::Hugo => false,
            Generator::Jekyll => default,
            _ => {
                errors.push(self.error(key, format!("`{key}`: {message}")));
                return default;
            }
        };
        self.notes.borrow_mut().warnings.push(Diagnostic::warning(
            self.path,
            self.key_line(key),
            format!(
                "`{key}`: {message}; {} reads it as {flag}, and so does gazette",
                generator.title()
            ),
        ));
        flag
    }

    /// The date the file's name or path gives, by the generator's rule or
    /// `date_from`.
    fn date_from_path(&self) -> Result<Option<DateTime<FixedOffset>>, String> {
        if let Some(from) = &self.config.fields.date_from {
            let source = if from.key == "file" {
                Some(self.rel.to_string_lossy().replace('\\', "/"))
            } else {
                match self.field("date_from", std::slice::from_ref(&from.key)) {
                    Some((_, Value::String(s))) => Some(s.clone()),
                    _ => None,
                }
            };
            if let Some(day) =
                source.and_then(|text| permalink::date_by_pattern(&text, &from.pattern))
            {
                return dates::start_of_day(day, self.config.timezone).map(Some);
            }
        }
        match self
            .config
            .generator
            .date_from_name(&self.rel, self.config.name_dates)
        {
            Some((NameDate::Day(day), _)) => {
                dates::start_of_day(day, self.config.timezone).map(Some)
            }
            Some((NameDate::Instant(instant), _)) => Ok(Some(instant)),
            None => Ok(None),
        }
    }

    /// A key of `skip_if_value` holding one of its values, said.
    fn skip_value(&self) -> Option<String> {
        let any_case = self.config.fields.case_insensitive_keys;
        self.config
            .fields
            .skip_if_value
            .iter()
            .find_map(|(key, values)| {
                let held = lookup(&self.map, key, any_case)?.as_str()?;
                values
                    .iter()
                    .any(|value| value == held)
                    .then(|| format!("`{key}` is {held:?}"))
            })
    }

    /// A key of `skip_main_if_value` whose list holds one of its values, as
    /// Hugo's `where … "intersect"` reads it: a key holding one string is
    /// no list, and intersects nothing.
    fn skip_main_value(&self) -> bool {
        let any_case = self.config.fields.case_insensitive_keys;
        (self.config.fields.skip_main_if_value.iter()).any(|(key, values)| {
            let Some(Value::Array(held)) = lookup(&self.map, key, any_case) else {
                return false;
            };
            (held.iter().filter_map(Value::as_str)).any(|h| values.iter().any(|v| v == h))
        })
    }

    /// A true value under one of `skip_if_key`'s keys, named.
    fn skip_key(&self) -> Option<String> {
        self.true_key("skip_if_key", &self.config.fields.skip_if)
    }

    /// The first of `keys` set to a true value (not null, `false`, an empty
    /// string, "false", "no" or "0"), remembering that the `[fields]` entry
    /// `name` matched.
    fn true_key(&self, name: &'static str, keys: &[String]) -> Option<String> {
        keys.iter().find_map(|key| {
            let value = lookup(&self.map, key, self.config.fields.case_insensitive_keys)?;
            let set = match value {
                Value::Null | Value::Bool(false) => false,
                Value::String(s) => !matches!(
                    s.trim().to_ascii_lowercase().as_str(),
                    "" | "false" | "no" | "0"
                ),
                _ => true,
            };
            set.then(|| {
                self.notes.borrow_mut().seen.insert(name);
                key.clone()
            })
        })
    }

    /// Whether the file is in the site's feed collection, when it has one:
    /// it carries one of the collection's tags (from its front matter, or
    /// for Eleventy anywhere in its data cascade).
    fn in_collection(&self) -> bool {
        let collection = &self.config.collection;
        // Eleventy's `collections.all` is every page not excluded from
        // collections, tagged or not (`skip_if` leaves the excluded out).
        let all =
            self.config.generator == Generator::Eleventy && collection.iter().any(|c| c == "all");
        if collection.is_empty() || all {
            return true;
        }
        let listed = |tag: &str| collection.iter().any(|c| c == tag);
        match self.map.get("tags") {
            Some(Value::String(tag)) => listed(tag),
            Some(Value::Array(tags)) => tags.iter().filter_map(Value::as_str).any(listed),
            _ => false,
        }
    }

    /// The file as a post: each field read in turn, every problem found
    /// (not only the first), or the reason the file is left out.
    /// The title, with its problems apart from the other fields'.
    fn title_apart(&self) -> (Option<String>, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        (self.title(&mut errors), errors)
    }

    /// A page left out for want of a date, with its URL: the site still
    /// writes it (Zola's undated pages), and a post's `@/` link may name it.
    /// No URL where it has a problem, which the page's own build reports.
    fn left_out_undated(&mut self, reason: &str, title: Option<&str>) -> Read {
        let mut ignored = Vec::new();
        let (slug, slug_is_set) = self.slug(&mut ignored);
        let categories = self.used_categories();
        let url = self.url(&slug, slug_is_set, title.unwrap_or(""), None, &categories);
        Read::Skipped(reason.into(), url.ok().flatten(), self.notes.take())
    }

    fn read(mut self) -> ReadResult {
        self.warn_computed();
        if let Some(reason) = self.left_out() {
            return Ok(Read::Skipped(reason, None, self.notes.take()));
        }
        let fields = &self.config.fields;
        let mut errors = Vec::new();

        // A page left out for want of a date needs no title either.
        let (title, title_errors) = self.title_apart();
        let (mut date, has_date_key) = self.publication_date(&mut errors);
        let updated = self.date("updated", &fields.updated, &mut errors);
        let update_notice = self.update_notice(updated.is_some(), &mut errors);
        let expiry = self.date("expiry", &fields.expiry, &mut errors);
        let publish_at = self.hugo_publish_date(&mut errors);
        let held_until = self.date("scheduled", &fields.scheduled, &mut errors);
        let draft =
            self.kind == FileKind::Draft || self.flag("draft", &fields.draft, false, &mut errors);
        let unpublished = !self.flag("published", &fields.published, true, &mut errors);
        let in_feeds = self.flag("feed", &fields.feed, true, &mut errors);
        let listed = self.listed();
        let (weight, link_title) = self.hugo_order();
        if !self.is_dated(date, has_date_key) && !draft && !unpublished {
            match self.undated(&mut errors) {
                Ok(zero) => date = zero,
                Err(reason) => return Ok(self.left_out_undated(reason, title.as_deref())),
            }
        }
        errors.extend(title_errors);

        let (slug, slug_is_set) = self.slug(&mut errors);
        let tags = self.tags(&mut errors);
        let feed_tags = self.feed_tags();
        let terms = self.taxonomy_terms(&mut errors);
        let categories = self.used_categories();
        let title_text = title.as_deref().unwrap_or("");
        let url = match self.url(&slug, slug_is_set, title_text, date, &categories) {
            Ok(Some(url)) => url,
            Ok(None) => {
                return Ok(Read::Skipped(
                    "`permalink: false`: not written by Eleventy".into(),
                    None,
                    self.notes.take(),
                ));
            }
            Err((key, message)) => {
                errors.push(self.error(&key, message));
                self.config.base_url.clone()
            }
        };
        let date = self.shown_date(date, &mut errors);
        let explicit_id = self.text("id", &fields.id, &mut errors);
        let id = self.id(&url, &slug, explicit_id);
        let authors = self.authors(&mut errors);
        let summary = self.text("summary", &fields.summary, &mut errors);
        let external_url = self
            .text("external_url", &fields.external_url, &mut errors)
            .and_then(|link| self.absolute_link(&fields.external_url, &link, &mut errors));
        let episode = self.episode(&url, &mut errors);

        if !errors.is_empty() {
            errors.extend(self.notes.take().warnings);
            return Err(errors);
        }
        let tags_line = self.tags_line();
        let seen = self.notes.take();
        Ok(Read::Post(
            Box::new(Post {
                path: self.path.to_path_buf(),
                kind: self.kind,
                complete: true,
                stamp: None,
                title: title.unwrap_or_default(),
                slug,
                url,
                id,
                date,
                updated,
                update_notice,
                expiry,
                draft,
                unpublished,
                in_feeds,
                listed,
                weight,
                link_title,
                hugo_type: self.type_for_sections(),
                waits_for_date: !self.config.publish_future,
                publish_at,
                held_until,
                details: Some(Box::new(super::Details {
                    authors,
                    summary,
                    external_url,
                    extra: self.take_extra(),
                })),
                tags_line,
                tags: tags.into_iter().map(super::Tag::from).collect(),
                categories: self.kept_categories(categories),
                feed_tags,
                terms,
                episode: episode.map(Box::new),
            }),
            seen,
        ))
    }

    /// Why the site's feed leaves this file out before reading its fields:
    /// a `skip_if` key, or not in the collection the feed lists.
    fn left_out(&self) -> Option<String> {
        if let Some(key) = self.skip_key() {
            let section = self
                .inherited
                .as_ref()
                .filter(|(_, taken)| taken.contains(&key))
                .map(|(section, _)| {
                    let shown = section.strip_prefix(&self.config.root).unwrap_or(section);
                    format!(" by its section's {}", shown.display())
                });
            return Some(format!("`{key}` is set{}", section.unwrap_or_default()));
        }
        if let Some(value) = self.skip_value() {
            return Some(value);
        }
        if !self.in_collection() {
            let collection = self.config.collection_shown();
            return Some(format!("{NOT_TAGGED} {collection}: not in the collection of posts (`collection` in the config)"));
        }
        None
    }

    fn title(&self, errors: &mut Vec<Diagnostic>) -> Option<String> {
        let keys = &self.config.fields.title;
        let title = self
            .text("title", keys, errors)
            .map(|t| crate::text::collapse(&t));
        if title.is_none() {
            match self.config.generator {
                // Jekyll titles a post or document without one by its file
                // name (`Document#populate_title`: `Utils.titleize_slug`).
                Generator::Jekyll => {
                    let slug = Generator::Jekyll.slug_from_name(&self.rel, self.config.name_dates);
                    return Some(crate::generators::slugify::titleize(&slug));
                }
                // Hugo's RSS template, Zola's feed templates and Eleventy's
                // feed plugin list a page without a title, with an empty
                // one (Zola's `title` is optional); so do their feeds here.
                Generator::Hugo | Generator::Eleventy | Generator::Zola => {
                    return Some(String::new())
                }
                Generator::Gazette => {}
            }
        }
        if title.is_none() && errors.is_empty() {
            errors.push(self.error(&keys[0], format!("missing `{}`", keys[0])));
        }
        title
    }

    /// The date the post is published at, from its front matter or else
    /// from its file name, and whether the front matter has a date key.
    fn publication_date(
        &self,
        errors: &mut Vec<Diagnostic>,
    ) -> (Option<DateTime<FixedOffset>>, bool) {
        let keys = &self.config.fields.date;
        let mut date = match self.date_value("date", keys) {
            Ok(date) => date,
            // Jekyll stops its whole build at a date Ruby's Time.parse
            // cannot read; gazette publishes the rest and dates this post
            // by its file name, saying so.
            Err(diagnostic) => match (self.config.generator, self.date_from_path()) {
                (Generator::Jekyll, Ok(Some(from_name))) => {
                    self.notes.borrow_mut().warnings.push(Diagnostic::warning(
                        self.path,
                        diagnostic.line,
                        format!(
                            "{}; Jekyll stops at it, gazette uses the date of the file name",
                            diagnostic.message
                        ),
                    ));
                    Some(from_name)
                }
                _ => {
                    errors.push(diagnostic);
                    None
                }
            },
        };
        let has_date_key = self.first(keys).is_some();
        if date.is_none() && !has_date_key {
            date = self
                .date_from_path()
                .map_err(|m| errors.push(Diagnostic::error(self.path, None, m)))
                .ok()
                .flatten();
        }
        (date, has_date_key)
    }

    /// A page without a date: the date it is listed at, or the reason it
    /// is left out, or an error (`undated` in the config).
    fn undated(
        &self,
        errors: &mut Vec<Diagnostic>,
    ) -> Result<Option<DateTime<FixedOffset>>, &'static str> {
        match self.config.undated {
            Undated::ZeroDate => return Ok(Some(dates::zero())),
            Undated::LeaveOut if errors.is_empty() => return Err(self.undated_reason()),
            Undated::LeaveOut | Undated::Error => {}
        }
        let key = self
            .config
            .fields
            .date
            .first()
            .map_or("date", String::as_str);
        let message = format!("missing `{key}`: feeds need a date ({})", dates::EXPECTED);
        errors.push(self.error(key, message));
        Ok(None)
    }

    /// Whether the page has a date of its own. An undated document is
    /// dated by the build (`collect`), as Jekyll dates it at `site.time`;
    /// Eleventy's file dates are none here.
    fn is_dated(&self, date: Option<DateTime<FixedOffset>>, has_date_key: bool) -> bool {
        date.is_some()
            || (has_date_key && self.eleventy_file_date().is_none())
            || self.document().is_some()
    }

    /// The words Eleventy reads as "date it by the file" where the page's
    /// `date` is one of them (`Template.getMappedDate`, any case).
    fn eleventy_file_date(&self) -> Option<FileDate> {
        if self.config.generator != Generator::Eleventy {
            return None;
        }
        let (_, Value::String(value)) = self.field("date", &self.config.fields.date)? else {
            return None;
        };
        let is = |word: &str| value.eq_ignore_ascii_case(word);
        if is("last modified") || is("created") {
            Some(FileDate::FileSystem)
        } else {
            GitDate::named(value).map(FileDate::Git)
        }
    }

    /// Why a page without a date is left out, in the generator's terms.
    fn undated_reason(&self) -> &'static str {
        match self.eleventy_file_date() {
            Some(FileDate::FileSystem) => return "`date` names the file's time (\"Last Modified\", \"Created\"): Eleventy dates it by the file system, which changes with every checkout; gazette leaves it out (give it a `date` to publish it)",
            Some(FileDate::Git(_)) => return "`date` names git's history (\"git Last Modified\", \"git Created\"), which has no commit of this file (or there is no repository or no `git`): Eleventy dates it at each build's time; gazette leaves it out until it is committed",
            None => {}
        }
        match self.config.generator {
            Generator::Hugo => "no date: Hugo lists such a page at 0001-01-01; `undated = \"leave-out\"` leaves it out (give it a `date` to publish it)",
            Generator::Eleventy => "no date: Eleventy would date it by the file's creation time, which changes with every checkout; gazette leaves it out (give it a `date` to publish it)",
            _ => "no date: the generator's feeds list only dated pages",
        }
    }

    /// The post's slug, and whether it was set rather than taken from the
    /// file name (permalink patterns treat the two differently).
    fn slug(&self, errors: &mut Vec<Diagnostic>) -> (String, bool) {
        let keys = &self.config.fields.slug;
        let generator = self.config.generator;
        let explicit = self.text("slug", keys, errors);
        let slug_is_set = explicit.is_some()
            // Hugo's `:filename` date rule sets the slug too, so `:slug` uses it.
            || (generator == Generator::Hugo
                && generator
                    .date_from_name(&self.rel, self.config.name_dates)
                    .is_some());
        // Hugo nests a slug's `/`: `slug: /about/sub` at the top is
        // `/about/sub/`, in `post/` `/post/about/sub/` (measured with Hugo
        // 0.111 and 0.168); the slashes around it count for nothing.
        let nested = generator == Generator::Hugo;
        let slug = match explicit {
            Some(slug) if nested => slug.trim_matches('/').to_string(),
            Some(slug) => slug,
            None => generator.slug_from_name(&self.rel, self.config.slug_drops_name_date()),
        };
        if let Err(message) = check_slug(&slug, nested) {
            let key = self.first(keys).map_or("slug", |(k, _)| k);
            errors.push(self.error(key, message));
        }
        (slug, slug_is_set)
    }

    /// The front matter keys no `[fields]` entry reads, for templates.
    /// Taken out of the reader, the last thing it reads: the values move
    /// instead of being copied (a twentieth of reading a post with long lists
    /// in its front matter).
    fn take_extra(&mut self) -> Map<String, Value> {
        let fields = &self.config.fields;
        let any_case = fields.case_insensitive_keys;
        let known: Vec<&str> = fields.known().collect();
        std::mem::take(&mut self.map)
            .into_iter()
            .filter(|(key, _)| {
                !known
                    .iter()
                    .any(|k| *k == key.as_str() || (any_case && k.eq_ignore_ascii_case(key)))
            })
            .collect()
    }

    /// The line of the key the tags came from, for messages about a tag.
    fn tags_line(&self) -> Option<usize> {
        let fields = &self.config.fields;
        fields
            .tags
            .iter()
            .find(|key| lookup(&self.map, key, fields.case_insensitive_keys).is_some())
            .and_then(|key| self.key_line(key))
    }

    fn episode(&self, url: &Url, errors: &mut Vec<Diagnostic>) -> Option<super::episode::Episode> {
        let podcast = self.config.podcast.as_ref()?;
        let spread;
        let (key, value) = match &podcast.episode_keys {
            Some(keys) => {
                spread = self.spread_episode(keys)?;
                (&keys.url, &spread)
            }
            None => {
                let key = &podcast.episode_key;
                (key, self.map.get(key).filter(|v| !v.is_null())?)
            }
        };
        let post_dir = self.path.parent().unwrap_or(Path::new(""));
        let root = &self.config.root;
        let statics = root.join("static");
        let site_dirs = [
            self.config.content_dir.as_path(),
            statics.as_path(),
            root.as_path(),
        ];
        let places = super::episode::Places {
            post_dir,
            site_dirs: &site_dirs,
        };
        match super::episode::parse(value, url, &places) {
            Ok((episode, warnings)) => {
                let line = self.key_line(key);
                for warning in warnings {
                    self.notes.borrow_mut().warnings.push(Diagnostic::warning(
                        self.path,
                        line,
                        format!("podcast episode `{key}`: {warning}"),
                    ));
                }
                Some(episode)
            }
            Err(message) => {
                errors.push(self.error(key, format!("podcast episode `{key}`: {message}")));
                None
            }
        }
    }

    /// An episode spread over keys of the post's own, gathered into the
    /// mapping an `audio` key holds; none where the post sets no address.
    fn spread_episode(&self, keys: &crate::config::podcast::EpisodeKeys) -> Option<Value> {
        let any_case = self.config.fields.case_insensitive_keys;
        let mut episode = Map::new();
        for (field, key) in keys.fields() {
            let Some(value) = lookup(&self.map, key, any_case).filter(|v| !v.is_null()) else {
                continue;
            };
            let value = match (field, value) {
                ("url", Value::String(text)) => Value::String(format!("{}{text}", keys.url_prefix)),
                (_, value) => value.clone(),
            };
            episode.insert(field.to_string(), value);
        }
        episode.get("url")?;
        if let (false, Some(default)) = (episode.contains_key("type"), &keys.default_type) {
            episode.insert("type".into(), Value::String(default.clone()));
        }
        Some(Value::Object(episode))
    }

    /// What a post's URL path is joined to: the build's address, but the
    /// site's for a translated page's own URL, which Hugo and Zola put
    /// under the language's folder only when they make it, or, for Hugo,
    /// when it has no leading slash (Zola's `Page::parse`; Hugo's
    /// `CreateTargetPaths`, measured with Hugo 0.111 and 0.168).
    fn url_base(&self, in_language: bool) -> &url::Url {
        match (&self.config.translations.site_url, self.config.generator) {
            (Some(site), Generator::Zola | Generator::Hugo) if !in_language => site,
            _ => &self.config.base_url,
        }
    }

    /// The folders between the content folder and the post; a page bundle's
    /// own folder (`x/index.md`) is the post, not a section.
    fn sections(&self) -> Vec<String> {
        crate::generators::page_folders(&self.rel)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// The categories this build uses: Jekyll's URLs need them, and so do
    /// feeds per category.
    fn used_categories(&self) -> Vec<String> {
        if self.config.generator == Generator::Jekyll || self.keeps_categories() {
            self.categories()
        } else {
            Vec::new()
        }
    }

    /// The post's categories as written, each once: for Jekyll the folders
    /// above `_posts` first, then the front matter's `category`/`categories`
    /// (a list, or words in a string).
    fn categories(&self) -> Vec<String> {
        // A collection's documents take none from their path (Jekyll's
        // `categories_from_path` is for posts).
        let from_path = self.config.generator == Generator::Jekyll && self.document().is_none();
        let mut categories: Vec<String> = if from_path {
            crate::generators::parent_dirs(&self.rel)
                .iter()
                .take_while(|d| **d != "_posts" && **d != "_drafts")
                .map(|d| d.to_string())
                .collect()
        } else {
            Vec::new()
        };
        let any_case = self.config.fields.case_insensitive_keys;
        // Hugo's taxonomy is its plural key alone; Zola's is under
        // `taxonomies`.
        let keys: &[&str] = match self.config.generator {
            Generator::Hugo => &["categories"],
            Generator::Zola => &["taxonomies.categories"],
            _ => &["category", "categories"],
        };
        // Hugo reads a string as one term (`ToStringSlicePreserveString`):
        // `categories = "Windows, Tools"` is a category of that name.
        let words_split = self.config.generator != Generator::Hugo;
        for &key in keys {
            if let Some(value) = lookup(&self.map, key, any_case) {
                categories.extend(jekyll_words(value, words_split && key == "categories"));
            }
        }
        each_once(categories)
    }

    /// `Post::categories`: what `used_categories` read, kept only for feeds
    /// per category (Jekyll's URLs needed them already).
    fn kept_categories(&self, categories: Vec<String>) -> Vec<super::Tag> {
        if !self.keeps_categories() {
            return Vec::new();
        }
        categories.into_iter().map(super::Tag::from).collect()
    }

    /// An Eleventy `permalink`, with the date and slug filters the site's
    /// config defines (`eleventy_filters`), read once per build.
    fn eleventy_permalink(
        &self,
        text: &str,
        parts: &permalink::Parts<'_>,
    ) -> Result<String, String> {
        let filters = self.config.shared_files.eleventy_filters(&self.config.root);
        let any_case = self.config.fields.case_insensitive_keys;
        let global = |key: &str| {
            let files = &self.config.shared_files;
            super::cascade::global_value(&self.config.content_dir, key, files)
        };
        let data = |key: &str| match lookup(&self.map, key, any_case)
            .cloned()
            .or_else(|| global(key))?
        {
            Value::String(text) if !text.is_empty() => Some(text.clone()),
            Value::Number(n) if n.as_f64() != Some(0.0) => Some(n.to_string()),
            Value::Bool(true) => Some("true".into()),
            _ => None,
        };
        permalink::eleventy_permalink(text, parts, &filters, &data)
    }

    /// Whether some feed needs the post's categories.
    fn keeps_categories(&self) -> bool {
        let feeds = &self.config.feeds;
        !feeds.categories.is_empty()
            || feeds.per_category
            || feeds.collections.values().any(|c| !c.categories.is_empty())
    }

    /// `Post::feed_tags`: Jekyll's own tags when the site has feeds per tag.
    fn feed_tags(&self) -> Option<Vec<super::Tag>> {
        (self.config.generator == Generator::Jekyll && self.config.feeds.per_tag).then(|| {
            self.jekyll_tags()
                .into_iter()
                .map(super::Tag::from)
                .collect()
        })
    }

    /// `Post::terms`: each of `feeds.per_taxonomy` from its key (for Zola
    /// within `taxonomies`), a list or one term, as Hugo's
    /// `ToStringSlicePreserveString` reads it.
    fn taxonomy_terms(&self, errors: &mut Vec<Diagnostic>) -> Vec<Vec<super::Tag>> {
        let any_case = self.config.fields.case_insensitive_keys;
        let mut all = Vec::new();
        for taxonomy in &self.config.feeds.per_taxonomy {
            let value = match self.config.generator {
                Generator::Zola => lookup(&self.map, &format!("taxonomies.{taxonomy}"), any_case),
                _ => lookup(&self.map, taxonomy, any_case),
            };
            let items = match value {
                Some(Value::Array(items)) => items.as_slice(),
                Some(single) => std::slice::from_ref(single),
                None => &[],
            };
            let terms = items
                .iter()
                .filter_map(|item| self.word(taxonomy, item, errors))
                .filter(|term| !term.is_empty());
            all.push(each_once(terms).into_iter().map(super::Tag::from).collect());
        }
        all
    }

    /// Jekyll's own tags (`Document#populate_tags`): `tag` when it is set,
    /// else `tags`, without the categories gazette's Jekyll tags add.
    fn jekyll_tags(&self) -> Vec<String> {
        let singular = self.map.get("tag").filter(|v| !v.is_null());
        let words = match (singular, self.map.get("tags")) {
            (Some(tag), _) => jekyll_words(tag, false),
            (None, Some(tags)) => jekyll_words(tags, true),
            (None, None) => Vec::new(),
        };
        // Spelled as `tags` spells them, so both share one allocation.
        each_once(words.iter().map(|word| crate::text::collapse(word)))
            .into_iter()
            .filter(|word| !word.is_empty())
            .collect()
    }

    /// The post's URL: its own (`url`, `permalink`, `path`) or the
    /// permalink pattern of its section or site. `Ok(None)` for Eleventy's
    /// `permalink: false` (never written).
    fn url(
        &self,
        slug: &str,
        explicit_slug: bool,
        title: &str,
        date: Option<DateTime<FixedOffset>>,
        categories: &[String],
    ) -> Result<Option<Url>, (String, String)> {
        let config = self.config;
        let generator = config.generator;
        let preset = &config.preset;
        let date = date.map(|d| {
            if preset.permalink_in_site_timezone {
                d.with_timezone(&config.timezone).fixed_offset()
            } else {
                d
            }
        });
        let sections = self.sections();
        // Jekyll's URLs have them lower-cased.
        let categories = if generator == Generator::Jekyll {
            each_once(categories.iter().map(|c| c.to_lowercase()))
        } else {
            Vec::new()
        };
        let document = self.document();
        // A document's `:path` is its path below its collection's folder,
        // `index` kept (Jekyll's `cleaned_relative_path`); a post is a
        // document of the posts collection, `_posts` taken out wherever it
        // is (`cat/_posts/2024-01-02-x.md` is `cat/2024-01-02-x`), the date
        // kept.
        let stem_text = |rel: &Path| rel.with_extension("").to_string_lossy().replace('\\', "/");
        let path_stem = match document {
            Some((_, collection)) => stem_text(
                self.rel
                    .strip_prefix(&collection.folder)
                    .unwrap_or(&self.rel),
            ),
            None if generator == Generator::Jekyll
                && self
                    .rel
                    .components()
                    .any(|part| part.as_os_str() == "_posts") =>
            {
                let taken_out = stem_text(&self.rel).replacen("_posts", "", 1);
                crate::paths::collapse_slashes(&taken_out)
                    .trim_start_matches('/')
                    .to_string()
            }
            None => permalink::output_path_stem(&self.rel),
        };
        // Hugo's `:filename` keeps a date prefix; the others strip it.
        let filename = match generator {
            Generator::Hugo => crate::generators::name_for_slug(&self.rel),
            _ => generator.slug_from_name(&self.rel, config.slug_drops_name_date()),
        };
        let parts = permalink::Parts {
            slug,
            explicit_slug,
            title,
            filename: &filename,
            path: &path_stem,
            collection: document.map_or("posts", |(name, _)| name),
            sections: &sections,
            categories: &categories,
            date,
            style: preset.slug_style,
        };

        let own = self.field("url", &self.config.fields.url);
        let (key, path, from_pattern, in_language) = match own {
            Some((key, value)) => match self.own_path(key, value, &parts)? {
                Some((path, in_language)) => (key.to_string(), path, false, in_language),
                None => return Ok(None),
            },
            None => {
                let pattern = match document {
                    Some((_, collection)) => &collection.permalink,
                    None => sections
                        .first()
                        .and_then(|section| config.permalinks.get(section))
                        .unwrap_or(&config.permalink),
                };
                let path = permalink::expand(pattern, &parts);
                ("slug".to_string(), path, true, true)
            }
        };
        let path = if config.lowercase_urls && from_pattern {
            crate::paths::lowercase_path(&path)
        } else {
            path
        };
        crate::paths::join_path(self.url_base(in_language), &path)
            .map(Some)
            .ok_or_else(|| {
                (
                    key,
                    format!(
                        "the URL {path:?} would leave the site {}: a post's URL must stay under `base_url`",
                        config.base_url
                    ),
                )
            })
    }

    /// The path a post's own `url` (or the key named for it) gives, read
    /// as its generator reads it, and whether it lies under the build's
    /// language rather than the site; none for Eleventy's `permalink:
    /// false`, a page it does not write.
    fn own_path(
        &self,
        key: &str,
        value: &Value,
        parts: &permalink::Parts,
    ) -> Result<Option<(String, bool)>, (String, String)> {
        let generator = self.config.generator;
        let text = match value {
            Value::Bool(false) if generator == Generator::Eleventy => return Ok(None),
            Value::String(text) => text.clone(),
            // Hugo reads a number as its text (`url: 14943`, spf13/cast).
            Value::Number(number) if generator == Generator::Hugo => number.to_string(),
            other => {
                return Err((
                    key.to_string(),
                    format!("`{key}` should be a URL path, found {other}"),
                ))
            }
        };
        // No generator trims more than ASCII white space: Hugo's `url: x　`
        // (an ideographic space) is its own address.
        let text = text.trim_ascii();
        let path = match generator {
            Generator::Jekyll => {
                permalink::expand(&permalink::from_generator_syntax(text, generator), parts)
            }
            Generator::Eleventy => self
                .eleventy_permalink(text, parts)
                .map_err(|m| (key.to_string(), format!("`{key}`: {m}")))?,
            Generator::Zola if !text.ends_with('/') => format!("{text}/"),
            Generator::Hugo => crate::generators::hugo_url_path(text),
            _ => text.to_string(),
        };
        // Hugo puts a `url` without a leading slash under the page's
        // language (`/fr/x/`), one with it under the site.
        let in_language = generator == Generator::Hugo && !path.starts_with('/');
        Ok(Some((path, in_language)))
    }

    /// What feed readers know this post by, in the format the site's old
    /// feed used.
    fn id(&self, url: &Url, slug: &str, explicit: Option<String>) -> String {
        // The address as the site's feed concatenated it.
        let concatenated = |url: &Url| match (
            &self.config.id_prefix,
            url.as_str().strip_prefix(self.config.base_url.as_str()),
        ) {
            (Some(prefix), Some(path)) => format!("{prefix}/{path}"),
            _ => url.to_string(),
        };
        let address = || concatenated(url);
        match self.config.id_format {
            IdFormat::IdKey => explicit.unwrap_or_else(address),
            IdFormat::Url | IdFormat::Hugo => address(),
            IdFormat::Zola => percent_encoding::percent_decode_str(url.as_str())
                .decode_utf8_lossy()
                .into_owned(),
            IdFormat::JekyllFeed => {
                // Document#id: File.join(File.dirname(url), slug), then absolute_url.
                let path = url.path().trim_end_matches('/');
                let dir = match path.rfind('/') {
                    Some(0) | None => "",
                    Some(i) => &path[..i],
                };
                let mut id = url.clone();
                id.set_path(&format!("{dir}/{slug}"));
                id.set_query(None);
                id.set_fragment(None);
                concatenated(&id)
            }
        }
    }

    fn absolute_link(
        &self,
        keys: &[String],
        link: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        match self.config.base_url.join(link) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url.to_string()),
            Ok(url) => {
                let key = self.first(keys).map_or("external_url", |(k, _)| k);
                errors.push(self.error(
                    key,
                    format!(
                        "`{key}`: {link:?} is a {}: URL; only http and https links are written",
                        url.scheme()
                    ),
                ));
                None
            }
            Err(e) => {
                let key = self.first(keys).map_or("external_url", |(k, _)| k);
                errors.push(self.error(key, format!("`{key}`: {link:?} is not a URL ({e})")));
                None
            }
        }
    }

    fn authors(&self, errors: &mut Vec<Diagnostic>) -> Vec<Person> {
        let Some((key, value)) = self.field("author", &self.config.fields.author) else {
            return Vec::new();
        };
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        let mut authors = Vec::new();
        for item in items {
            match item {
                Value::String(s) if !s.trim().is_empty() => authors.push(
                    self.jekyll_author(s.trim())
                        .unwrap_or_else(|| parse_person(s)),
                ),
                Value::String(_) | Value::Null => {}
                // FixIt's archetype writes `author:` with `name:`, `link:`,
                // `email:` all left empty: nobody, as an empty string is.
                Value::Object(fields) if fields.values().all(is_blank) => {}
                Value::Object(fields) => match Person::of_fields(fields, None) {
                    Some(person) => authors.push(person),
                    None => errors.push(self.error(
                        key,
                        format!("`{key}` names no one: give it a `name` (or `display_name`, as WordPress exports write it)"),
                    )),
                },
                other => errors.push(self.error(
                    key,
                    format!("`{key}` should be a name, \"Name <email>\", or a list of them; found {other}"),
                )),
            }
        }
        authors
    }

    /// The person a Jekyll site's `_data/authors.yml` names by `key`.
    fn jekyll_author(&self, key: &str) -> Option<Person> {
        if self.config.generator != Generator::Jekyll {
            return None;
        }
        jekyll_authors(self.config).0.get(key).cloned()
    }

    /// One item of a list of words (tags, a taxonomy's terms): a string,
    /// spaces collapsed, or a number; nothing for a null, an error for
    /// anything else.
    fn word(&self, key: &str, item: &Value, errors: &mut Vec<Diagnostic>) -> Option<String> {
        match item {
            Value::String(s) => Some(crate::text::collapse(s)),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                errors.push(self.error(
                    key,
                    format!("`{key}` should be a list of words, found {other}"),
                ));
                None
            }
        }
    }

    /// Tags from every listed key, in order, without repeats.
    fn tags(&self, errors: &mut Vec<Diagnostic>) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for key in &self.config.fields.tags {
            let Some(value) = lookup(&self.map, key, self.config.fields.case_insensitive_keys)
            else {
                continue;
            };
            self.notes.borrow_mut().seen.insert("tags");
            let items: Vec<Value> = match value {
                Value::Array(items) => items.clone(),
                // A table of lists (Zola's `taxonomies` named whole): every
                // term of every taxonomy is a tag.
                Value::Object(table) => table
                    .values()
                    .flat_map(|v| match v {
                        Value::Array(items) => items.clone(),
                        single => vec![single.clone()],
                    })
                    .collect(),
                // Jekyll reads `tags: a b` as two tags.
                Value::String(s)
                    if self.config.generator == Generator::Jekyll && key.ends_with('s') =>
                {
                    s.split_whitespace()
                        .map(|w| Value::String(w.into()))
                        .collect()
                }
                single => vec![single.clone()],
            };
            for item in items {
                let Some(tag) = self.word(key, &item, errors) else {
                    continue;
                };
                if !tag.is_empty() && !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
        }
        tags
    }
}

/// Reads "Ada Lovelace <ada@example.org>" as well as a bare name.
fn parse_person(text: &str) -> Person {
    let text = text.trim();
    if let (Some(open), true) = (text.rfind('<'), text.ends_with('>')) {
        let email = text[open + 1..text.len() - 1].trim();
        let name = text[..open].trim();
        if email.contains('@') {
            return Person {
                name: if name.is_empty() {
                    email.to_string()
                } else {
                    name.to_string()
                },
                email: Some(email.to_string()),
                url: None,
            };
        }
    }
    Person {
        name: text.to_string(),
        email: None,
        url: None,
    }
}

/// A slug becomes part of a URL: nothing in it may climb out of its folder
/// or hide a file. Where the generator `nested` a slug's `/` (Hugo), each
/// of its segments is held to that.
fn check_slug(slug: &str, nested: bool) -> Result<(), String> {
    if nested && slug.contains('/') {
        return slug
            .split('/')
            .try_for_each(|segment| check_slug(segment, false))
            .map_err(|_| {
                format!("unsafe slug {slug:?}: none of its segments may be empty, contain `\\` or start with `.`")
            });
    }
    if slug.is_empty() {
        return Err("empty slug".into());
    }
    if slug.contains(['/', '\\']) || slug == ".." || slug.starts_with('.') {
        return Err(format!(
            "unsafe slug {slug:?}: a slug may not contain `/`, `\\` or start with `.`"
        ));
    }
    if slug.chars().any(char::is_control) {
        return Err(format!("slug {slug:?} contains control characters"));
    }
    Ok(())
}

/// `items` in their order, each the first time only (a post has a few
/// categories: a scan beats a set).
/// The words of a Jekyll list key: a list's strings and numbers, or a
/// string, split at spaces when the key is plural (Jekyll's
/// `pluralized_array_from_hash`).
fn jekyll_words(value: &Value, plural: bool) -> Vec<String> {
    let word = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match value {
        Value::String(s) if plural => s.split_whitespace().map(str::to_string).collect(),
        Value::Array(items) => items.iter().filter_map(word).collect(),
        single => word(single).into_iter().collect(),
    }
}

fn each_once(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut once: Vec<String> = Vec::new();
    for item in items {
        if !once.contains(&item) {
            once.push(item);
        }
    }
    once
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_cut_inside_a_character_ends_before_it() {
        let text = "ab中文é😀";
        for cut in 0..=text.len() {
            let bytes = &text.as_bytes()[..cut];
            let end = complete_characters(bytes);
            assert!(text.is_char_boundary(end), "cut {cut}: {end}");
            assert!(cut - end < 4 && (cut == end || !text.is_char_boundary(cut)));
            assert_eq!(end == cut, text.is_char_boundary(cut), "cut {cut}");
        }
        // Invalid bytes are left for the UTF-8 check to report.
        assert_eq!(complete_characters(b"ab\xff"), 3);
    }

    /// A WordPress export's author (mchua's blog, through jekyll-import)
    /// and Atom's `uri`: read, other keys passed over.
    #[test]
    fn people_written_as_tables() {
        let person = |json: &str| {
            let Value::Object(fields) = serde_json::from_str::<Value>(json).unwrap() else {
                unreachable!()
            };
            Person::of_fields(&fields, None)
        };
        let exported = person(
            r#"{"login": "mchua", "email": "mel@example.org", "display_name": "Mel", "first_name": "Mel", "last_name": "Chua"}"#,
        )
        .unwrap();
        assert_eq!(
            (exported.name.as_str(), exported.email.as_deref()),
            ("Mel", Some("mel@example.org"))
        );
        let named = person(
            r#"{"first_name": "Mel", "last_name": "Chua", "uri": "https://m.example.org/"}"#,
        )
        .unwrap();
        assert_eq!(
            (named.name.as_str(), named.url.as_deref()),
            ("Mel Chua", Some("https://m.example.org/"))
        );
        assert_eq!(person(r#"{"login": "mchua"}"#).unwrap().name, "mchua");
        assert_eq!(
            person(r#"{"name": "Ada", "twitter": "@ada"}"#)
                .unwrap()
                .name,
            "Ada"
        );
        assert_eq!(person(r#"{"email": "x@example.org"}"#), None);
    }

    #[test]
    fn people() {
        assert_eq!(
            parse_person("Ada Lovelace <ada@example.org>"),
            Person {
                name: "Ada Lovelace".into(),
                email: Some("ada@example.org".into()),
                url: None
            }
        );
        assert_eq!(parse_person(" Dwarkesh Patel ").name, "Dwarkesh Patel");
        assert_eq!(parse_person("<x@y.z>").name, "x@y.z");
    }

    #[test]
    fn slugs() {
        assert!(check_slug("hello-world", false).is_ok());
        assert!(check_slug("扎克伯格访谈", false).is_ok());
        for bad in ["../../x", "a/b", "..", ".hidden", "a\\b", "", "a\u{1}b"] {
            assert!(check_slug(bad, false).is_err(), "{bad}");
        }
        // Hugo nests a slug's segments, each held to the same rules.
        assert!(check_slug("about/sub", true).is_ok());
        for bad in ["../../x", "a//b", "a/.hidden", "a/..", "a\\b"] {
            assert!(check_slug(bad, true).is_err(), "{bad}");
        }
    }
}
