//! The site's configuration file: its model, defaults and validation.
//!
//! Each section lives in a module of its own and validates itself.
//!
//! Unknown keys are rejected rather than ignored: a typo such as `limt = 5`
//! silently doing nothing is worse than an error naming the key.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;
use url::Url;

use crate::error::Error;

mod digest;
mod feeds;
mod fields;
pub mod podcast;

pub use digest::{DigestConfig, DkimAlgorithm, DkimSettings, SmtpConfig, Tls};
pub use feeds::{FeedsConfig, Format};
pub use fields::Fields;
pub use podcast::{PodcastConfig, ShowType};

/// The validated configuration with paths resolved against the site root.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file itself, as named on the command line, for messages.
    pub file: PathBuf,
    /// Where the config file lives; relative paths in it are resolved from here.
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Always ends with `/`, so joining a relative path keeps its last segment.
    pub base_url: Url,
    pub language: String,
    pub author: Option<Person>,
    pub timezone: Tz,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub permalink: String,
    pub extensions: Vec<String>,
    pub feeds: FeedsConfig,
    pub fields: Fields,
    /// A cover image URL for the subscription page (absolute).
    pub image: Option<String>,
    pub podcast: Option<PodcastConfig>,
    pub digest: Option<DigestConfig>,
    pub smtp: Option<SmtpConfig>,
}

/// A person as feeds describe one: a name and optionally an address and page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The file as written, before paths are resolved and values checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    author: Option<Person>,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_content_dir")]
    content_dir: PathBuf,
    #[serde(default = "default_output_dir")]
    output_dir: PathBuf,
    #[serde(default = "default_templates_dir")]
    templates_dir: PathBuf,
    #[serde(default = "default_permalink")]
    permalink: String,
    #[serde(default = "default_extensions")]
    extensions: Vec<String>,
    #[serde(default)]
    feeds: FeedsConfig,
    #[serde(default)]
    fields: Fields,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    podcast: Option<PodcastConfig>,
    #[serde(default)]
    digest: Option<DigestConfig>,
    #[serde(default)]
    smtp: Option<SmtpConfig>,
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_content_dir() -> PathBuf {
    "content".into()
}
fn default_output_dir() -> PathBuf {
    "feeds".into()
}
fn default_templates_dir() -> PathBuf {
    "templates".into()
}
fn default_permalink() -> String {
    "/posts/{slug}/".into()
}
fn default_extensions() -> Vec<String> {
    vec!["md".into(), "markdown".into()]
}

/// Placeholders a permalink pattern may use.
pub const PERMALINK_PLACEHOLDERS: &[&str] = &["slug", "year", "month", "day", "section"];

impl Config {
    /// Reads and validates `path`; relative paths in it are taken from its folder.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::config(
                    path,
                    "no such file; run `gazette init` to create a site, or pass --config PATH",
                )
            } else {
                Error::io(path, source)
            }
        })?;
        let root = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            // `config.toml` in the current folder: paths stay relative and short.
            _ => PathBuf::new(),
        };
        Config::parse(&text, path, root)
    }

    /// Parses the text of a config file; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path, root: PathBuf) -> Result<Config, Error> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| Error::config(path, e.to_string().trim_end()))?;
        let invalid =
            |key: &str, message: String| Error::config(path, format!("`{key}`: {message}"));

        let mut base_url = Url::parse(&raw.base_url).map_err(|e| {
            invalid(
                "base_url",
                format!("{e}: expected an absolute URL such as \"https://example.org/\""),
            )
        })?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(invalid(
                "base_url",
                "must start with http:// or https://".into(),
            ));
        }
        if !base_url.path().ends_with('/') {
            let with_slash = format!("{}/", base_url.path());
            base_url.set_path(&with_slash);
        }
        let timezone: Tz = raw.timezone.parse().map_err(|_| {
            invalid(
                "timezone",
                format!(
                    "unknown time zone {:?}: expected an IANA name such as \"Europe/Berlin\" or \"UTC\"",
                    raw.timezone
                ),
            )
        })?;
        check_permalink(&raw.permalink).map_err(|m| invalid("permalink", m))?;
        if raw.extensions.is_empty() {
            return Err(invalid(
                "extensions",
                "must list at least one extension".into(),
            ));
        }
        let check = Validate {
            file: path,
            root: &root,
            base_url: &base_url,
        };
        raw.feeds.validate(&check)?;
        raw.fields.validate(&check)?;
        let image = raw
            .image
            .as_deref()
            .map(|i| check.absolute("image", i))
            .transpose()?;
        let mut podcast = raw.podcast;
        if let Some(show) = &mut podcast {
            show.validate(&check)?;
        }
        let mut digest = raw.digest;
        if let Some(digest) = &mut digest {
            digest.validate(&check)?;
        }
        let mut smtp = raw.smtp;
        if let Some(smtp) = &mut smtp {
            smtp.validate(&check)?;
        }

        Ok(Config {
            file: path.to_path_buf(),
            digest,
            smtp,
            image,
            podcast,
            content_dir: root.join(&raw.content_dir),
            output_dir: root.join(&raw.output_dir),
            templates_dir: root.join(&raw.templates_dir),
            root,
            title: raw.title,
            description: raw.description,
            base_url,
            language: raw.language,
            author: raw.author,
            timezone,
            permalink: raw.permalink,
            extensions: raw
                .extensions
                .into_iter()
                .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
                .collect(),
            feeds: raw.feeds,
            fields: raw.fields,
        })
    }

    /// The same site published at another address: every URL derived from
    /// `base_url` (posts, feeds, relative images) moves with it.
    pub fn with_base_url(self, text: &str) -> Result<Config, Error> {
        let new_base =
            parse_base_url(text).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
        let rebase = |url: &str| match url.strip_prefix(self.base_url.as_str()) {
            Some(rest) => format!("{new_base}{rest}"),
            None => url.to_string(),
        };
        let image = self.image.as_deref().map(rebase);
        let podcast = self.podcast.clone().map(|mut show| {
            show.image = rebase(&show.image);
            show
        });
        Ok(Config {
            base_url: new_base,
            image,
            podcast,
            ..self
        })
    }

    /// The absolute URL of a file in the output folder, e.g. `rss.xml`.
    pub fn output_url(&self, relative: &str) -> Url {
        // The output folder is published at the site root next to the pages.
        self.base_url
            .join(relative)
            .unwrap_or_else(|_| self.base_url.clone())
    }
}

/// What a section needs to check itself and name the key it complains about.
pub(crate) struct Validate<'a> {
    pub file: &'a Path,
    pub root: &'a Path,
    pub base_url: &'a Url,
}

impl Validate<'_> {
    pub fn invalid(&self, key: &str, message: impl std::fmt::Display) -> Error {
        Error::config(self.file, format!("`{key}`: {message}"))
    }

    /// `link` made absolute against `base_url`.
    pub fn absolute(&self, key: &str, link: &str) -> Result<String, Error> {
        self.base_url
            .join(link)
            .map(String::from)
            .map_err(|e| self.invalid(key, format!("{link:?} is not a URL: {e}")))
    }
}

fn parse_base_url(text: &str) -> Result<Url, String> {
    let mut url = Url::parse(text)
        .map_err(|e| format!("{e}: expected an absolute URL such as \"https://example.org/\""))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must start with http:// or https://".into());
    }
    if !url.path().ends_with('/') {
        let with_slash = format!("{}/", url.path());
        url.set_path(&with_slash);
    }
    Ok(url)
}

fn check_permalink(pattern: &str) -> Result<(), String> {
    if !pattern.contains("{slug}") {
        return Err(format!(
            "{pattern:?} must contain {{slug}} so that every post gets its own URL"
        ));
    }
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(format!("{pattern:?} has an unclosed `{{`"));
        };
        let name = &rest[start + 1..start + len];
        if !PERMALINK_PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "unknown placeholder {{{name}}}; expected one of {}",
                PERMALINK_PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &rest[start + len + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(text, Path::new("config.toml"), PathBuf::from("."))
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = parse("title = \"T\"\nbase_url = \"https://example.org/blog\"\n").unwrap();
        assert_eq!(config.base_url.as_str(), "https://example.org/blog/");
        assert_eq!(config.feeds.limit, 20);
        assert_eq!(config.fields.date, ["date", "publishDate", "pubDate"]);
        assert_eq!(config.timezone, chrono_tz::UTC);
    }

    #[test]
    fn unknown_key_is_named() {
        let err = parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\nlimt = 3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("limt"), "{err}");
        assert!(err.contains("line 4"), "{err}");
    }

    #[test]
    fn wrong_type_is_named() {
        let err = parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\nlimit = \"ten\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("limit"), "{err}");
    }

    #[test]
    fn field_mapping_accepts_one_key_or_many() {
        let config = parse(
            "title = \"T\"\nbase_url = \"https://e.org/\"\n[fields]\nauthor = [\"author\", \"speaker\"]\nexternal_url = \"source\"\n",
        )
        .unwrap();
        assert_eq!(config.fields.author, ["author", "speaker"]);
        assert_eq!(config.fields.external_url, ["source"]);
    }

    #[test]
    fn bad_values_are_explained() {
        for (text, key) in [
            ("title = \"T\"\nbase_url = \"example.org\"\n", "base_url"),
            (
                "title = \"T\"\nbase_url = \"https://e.org/\"\ntimezone = \"Mars/Base\"\n",
                "timezone",
            ),
            (
                "title = \"T\"\nbase_url = \"https://e.org/\"\npermalink = \"/{title}/\"\n",
                "permalink",
            ),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(key), "{err}");
        }
    }
}
