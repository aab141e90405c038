//! Walking the content folder and turning each file into a [`Post`].
//!
//! Files are listed in a fixed order and parsed in parallel; a file that
//! cannot be read becomes diagnostics, never an abort, so one bad post does
//! not hide the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use percent_encoding::utf8_percent_encode;
use rayon::prelude::*;
use serde_json::{Map, Value};
use url::Url;

use super::frontmatter::{self, Split, SplitError};
use super::{dates, publish, Post, State};
use crate::config::{Config, Person};
use crate::error::{Diagnostic, Error, Report};

/// Every post that could be read, and the files that could not.
#[derive(Debug, Default)]
pub struct Site {
    pub posts: Vec<Post>,
    /// Files that look like posts but had errors; listed by `gazette list`.
    pub failed: Vec<PathBuf>,
}

impl Site {
    /// Published posts that belong in feeds, newest first.
    pub fn feed_posts(&self, now: DateTime<Utc>) -> Vec<&Post> {
        let mut posts: Vec<&Post> = self
            .posts
            .iter()
            .filter(|p| p.in_feeds && publish::state(p, now) == State::Published)
            .collect();
        posts.sort_by(|a, b| super::newest_first(a, b));
        posts
    }
}

/// Reads every post under the content folder.
pub fn collect(config: &Config, now: DateTime<Utc>, report: &mut Report) -> Result<Site, Error> {
    let files = list_files(config)?;
    let results: Vec<(PathBuf, ReadResult)> = files
        .into_par_iter()
        .map(|path| {
            let result = read_post(&path, config);
            (path, result)
        })
        .collect();

    let mut site = Site::default();
    for (path, result) in results {
        match result {
            Ok(Some(post)) => site.posts.push(post),
            Ok(None) => report.push(Diagnostic::warning(
                &path,
                Some(1),
                "no front matter, so not a post: start the file with `---` (YAML) or `+++` (TOML)",
            )),
            Err(diagnostics) => {
                report.extend(diagnostics);
                site.failed.push(path);
            }
        }
    }
    reject_duplicates(&mut site, now, report);
    Ok(site)
}

/// Two published posts with one id would be one entry to a feed reader: the
/// later file (by path) is reported and left out.
fn reject_duplicates(site: &mut Site, now: DateTime<Utc>, report: &mut Report) {
    let mut seen_ids: HashMap<String, PathBuf> = HashMap::new();
    let mut seen_urls: HashMap<String, PathBuf> = HashMap::new();
    let mut kept = Vec::with_capacity(site.posts.len());
    for post in std::mem::take(&mut site.posts) {
        if publish::state(&post, now) != State::Published {
            kept.push(post);
            continue;
        }
        let clash = seen_urls
            .get(post.url.as_str())
            .map(|other| ("URL", other))
            .or_else(|| seen_ids.get(&post.id).map(|other| ("id", other)));
        if let Some((what, other)) = clash {
            report.push(Diagnostic::error(
                &post.path,
                None,
                format!(
                    "same {what} as {} ({}): give one of them another `slug` or `id`",
                    other.display(),
                    if what == "id" {
                        post.id.as_str()
                    } else {
                        post.url.as_str()
                    }
                ),
            ));
            site.failed.push(post.path);
            continue;
        }
        seen_ids.insert(post.id.clone(), post.path.clone());
        seen_urls.insert(post.url.to_string(), post.path.clone());
        kept.push(post);
    }
    site.posts = kept;
}

fn list_files(config: &Config) -> Result<Vec<PathBuf>, Error> {
    let dir = &config.content_dir;
    if !dir.is_dir() {
        return Err(Error::config(
            dir,
            "content folder not found: create it or set `content_dir` in config.toml",
        ));
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        // Hidden files and folders (.git, editor swap files) are never posts.
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(path, e.into())
        })?;
        if !entry.file_type().is_file() || !is_post_file(entry.path(), config) {
            continue;
        }
        files.push(clean_path(entry.path()));
    }
    Ok(files)
}

fn is_post_file(path: &Path, config: &Config) -> bool {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return false;
    };
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    // Hugo and Zola keep section pages in `_index.md`: they are not posts.
    config
        .extensions
        .iter()
        .any(|e| e.eq_ignore_ascii_case(ext))
        && !stem.starts_with('_')
}

/// `./content/x.md` reads better as `content/x.md` in messages.
fn clean_path(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

/// A post, no post (the file has no front matter), or what is wrong with it.
pub type ReadResult = Result<Option<Post>, Vec<Diagnostic>>;

/// Reads one file; `Ok(None)` means it has no front matter and is not a post.
pub fn read_post(path: &Path, config: &Config) -> ReadResult {
    let bytes = std::fs::read(path)
        .map_err(|e| vec![Diagnostic::error(path, None, format!("cannot read: {e}"))])?;
    let text = decode(path, &bytes).map_err(|d| vec![d])?;
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(SplitError::Missing) => return Ok(None),
        Err(SplitError::JavaScript) => {
            return Err(vec![Diagnostic::error(
                path,
                Some(1),
                "JavaScript front matter is not supported: gazette does not run programs; write it as YAML, TOML or JSON",
            )])
        }
        Err(SplitError::Unclosed(_)) => {
            return Err(vec![Diagnostic::error(
                path,
                Some(1),
                "front matter is never closed: add a line with `---` (or `+++`) after it",
            )])
        }
    };
    let map =
        frontmatter::parse(&split).map_err(|e| vec![Diagnostic::error(path, e.line, e.message)])?;
    PostReader {
        path,
        config,
        split: &split,
        map,
    }
    .read()
    .map(Some)
}

fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
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

/// Turns one parsed front matter into a post, collecting every problem.
struct PostReader<'a> {
    path: &'a Path,
    config: &'a Config,
    split: &'a Split<'a>,
    map: Map<String, Value>,
}

impl PostReader<'_> {
    fn error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let line = frontmatter::key_line(self.split, key).or(Some(self.split.front_line - 1));
        Diagnostic::error(self.path, line, message)
    }

    /// The first of `keys` that is set (not null, not an empty string).
    fn first<'k>(&self, keys: &'k [String]) -> Option<(&'k str, &Value)> {
        keys.iter().find_map(|key| match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(value) => Some((key.as_str(), value)),
        })
    }

    fn text(&self, keys: &[String], errors: &mut Vec<Diagnostic>) -> Option<String> {
        let (key, value) = self.first(keys)?;
        match value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            other => {
                errors.push(self.error(key, format!("`{key}` should be text, found {other}")));
                None
            }
        }
    }

    fn date(&self, keys: &[String], errors: &mut Vec<Diagnostic>) -> Option<DateTime<FixedOffset>> {
        let (key, value) = self.first(keys)?;
        let parsed = match value {
            Value::String(s) => dates::parse(s, self.config.timezone),
            other => Err(format!("found {other}: {}", dates::EXPECTED)),
        };
        parsed
            .map_err(|message| errors.push(self.error(key, format!("`{key}`: {message}"))))
            .ok()
    }

    fn flag(&self, keys: &[String], default: bool, errors: &mut Vec<Diagnostic>) -> bool {
        let Some((key, value)) = self.first(keys) else {
            return default;
        };
        publish::flag(value)
            .map_err(|message| errors.push(self.error(key, format!("`{key}`: {message}"))))
            .unwrap_or(default)
    }

    fn read(self) -> Result<Post, Vec<Diagnostic>> {
        let fields = &self.config.fields;
        let mut errors = Vec::new();

        let title = self
            .text(&fields.title, &mut errors)
            .map(|t| crate::render::text::collapse(&t));
        if title.is_none() && errors.is_empty() {
            errors.push(self.error(&fields.title[0], format!("missing `{}`", fields.title[0])));
        }
        let stem = self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let jekyll = dates::from_file_stem(stem);

        let mut date = self.date(&fields.date, &mut errors);
        if date.is_none() && self.first(&fields.date).is_none() {
            if let Some((day, _)) = jekyll {
                date = dates::start_of_day(day, self.config.timezone)
                    .map_err(|m| errors.push(Diagnostic::error(self.path, None, m)))
                    .ok();
            }
        }
        let updated = self.date(&fields.updated, &mut errors);
        let expiry = self.date(&fields.expiry, &mut errors);
        let draft = self.flag(&fields.draft, false, &mut errors);
        let unpublished = !self.flag(&fields.published, true, &mut errors);
        let in_feeds = self.flag(&fields.feed, true, &mut errors);
        if date.is_none() && !draft && !unpublished && self.first(&fields.date).is_none() {
            errors.push(self.error(
                &fields.date[0],
                format!(
                    "missing `{}`: feeds need a date ({})",
                    fields.date[0],
                    dates::EXPECTED
                ),
            ));
        }

        let slug = match self.text(&fields.slug, &mut errors) {
            Some(slug) => slug,
            None => self.slug_from_path(stem, jekyll.map(|(_, rest)| rest)),
        };
        if let Err(message) = check_slug(&slug) {
            let key = self.first(&fields.slug).map_or("slug", |(k, _)| k);
            errors.push(self.error(key, message));
        }
        let url = self.permalink(&slug, date).unwrap_or_else(|message| {
            let key = self.first(&fields.slug).map_or("slug", |(k, _)| k);
            errors.push(self.error(key, message));
            self.config.base_url.clone()
        });
        let id = self
            .text(&fields.id, &mut errors)
            .unwrap_or_else(|| url.to_string());
        let authors = self.authors(&mut errors);
        let summary = self.text(&fields.summary, &mut errors);
        let external_url = self
            .text(&fields.external_url, &mut errors)
            .and_then(|link| self.absolute_link(&fields.external_url, &link, &mut errors));
        let tags = self.tags(&mut errors);
        let episode = self.episode(&url, &mut errors);

        if !errors.is_empty() {
            return Err(errors);
        }
        let known: Vec<&str> = fields.known().collect();
        let extra = self
            .map
            .iter()
            .filter(|(key, _)| !known.contains(&key.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Post {
            path: self.path.to_path_buf(),
            title: title.unwrap_or_default(),
            slug,
            url,
            id,
            date,
            updated,
            expiry,
            draft,
            unpublished,
            in_feeds,
            authors,
            summary,
            external_url,
            tags,
            extra,
            episode,
        })
    }

    fn episode(&self, url: &Url, errors: &mut Vec<Diagnostic>) -> Option<super::episode::Episode> {
        let key = &self.config.podcast.as_ref()?.episode_key;
        let value = self.map.get(key).filter(|v| !v.is_null())?;
        super::episode::parse(value, url)
            .map_err(|message| {
                errors.push(self.error(key, format!("podcast episode `{key}`: {message}")))
            })
            .ok()
    }

    fn slug_from_path(&self, stem: &str, jekyll_rest: Option<&str>) -> String {
        // Hugo and Zola page bundles: `posts/my-post/index.md` is `my-post`.
        if stem.eq_ignore_ascii_case("index") {
            if let Some(dir) = self.path.parent().and_then(|p| p.file_name()) {
                return dir.to_string_lossy().into_owned();
            }
        }
        jekyll_rest.unwrap_or(stem).to_string()
    }

    fn permalink(&self, slug: &str, date: Option<DateTime<FixedOffset>>) -> Result<Url, String> {
        let section = self
            .path
            .strip_prefix(clean_path(&self.config.content_dir))
            .ok()
            .and_then(|rel| {
                let mut parts = rel.components();
                let first = parts.next()?;
                // A file directly in the content folder has no section.
                parts
                    .next()
                    .map(|_| first.as_os_str().to_string_lossy().into_owned())
            })
            .unwrap_or_default();
        let date = date.map(|d| d.date_naive());
        let path = self
            .config
            .permalink
            .replace(
                "{slug}",
                &utf8_percent_encode(slug, crate::render::urls::SEGMENT).to_string(),
            )
            .replace(
                "{section}",
                &utf8_percent_encode(&section, crate::render::urls::SEGMENT).to_string(),
            )
            .replace(
                "{year}",
                &date.map_or(String::new(), |d| format!("{:04}", d.year())),
            )
            .replace(
                "{month}",
                &date.map_or(String::new(), |d| format!("{:02}", d.month())),
            )
            .replace(
                "{day}",
                &date.map_or(String::new(), |d| format!("{:02}", d.day())),
            );
        // An empty placeholder must not leave `//`, which a URL parser reads as a host.
        let mut collapsed = String::with_capacity(path.len());
        for c in path.trim_start_matches('/').chars() {
            if !(c == '/' && collapsed.ends_with('/')) {
                collapsed.push(c);
            }
        }
        crate::render::urls::join_path(&self.config.base_url, &collapsed).ok_or_else(|| {
            format!(
                "the URL {collapsed:?} would leave the site {}: a post's URL must stay under `base_url`",
                self.config.base_url
            )
        })
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
        let Some((key, value)) = self.first(&self.config.fields.author) else {
            return Vec::new();
        };
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        let mut authors = Vec::new();
        for item in items {
            match item {
                Value::String(s) if !s.trim().is_empty() => authors.push(parse_person(s)),
                Value::String(_) | Value::Null => {}
                Value::Object(_) => match serde_json::from_value::<Person>(item.clone()) {
                    Ok(person) => authors.push(person),
                    Err(e) => errors.push(self.error(key, format!("`{key}`: {e}"))),
                },
                other => errors.push(self.error(
                    key,
                    format!("`{key}` should be a name, \"Name <email>\", or a list of them; found {other}"),
                )),
            }
        }
        authors
    }

    fn tags(&self, errors: &mut Vec<Diagnostic>) -> Vec<String> {
        let Some((key, value)) = self.first(&self.config.fields.tags) else {
            return Vec::new();
        };
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        let mut tags: Vec<String> = Vec::new();
        for item in items {
            let tag = match item {
                Value::String(s) => crate::render::text::collapse(s),
                Value::Number(n) => n.to_string(),
                Value::Null => continue,
                other => {
                    errors.push(self.error(
                        key,
                        format!("`{key}` should be a list of words, found {other}"),
                    ));
                    continue;
                }
            };
            if !tag.is_empty() && !tags.contains(&tag) {
                tags.push(tag);
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

/// A slug becomes part of a URL and of output paths: nothing in it may climb
/// out of its folder or hide a file.
fn check_slug(slug: &str) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(check_slug("hello-world").is_ok());
        assert!(check_slug("扎克伯格访谈").is_ok());
        for bad in ["../../x", "a/b", "..", ".hidden", "a\\b", "", "a\u{1}b"] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }
}
