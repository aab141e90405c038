//! The site's `config.toml`: its model, defaults and validation.
//!
//! Unknown keys are rejected rather than ignored: a typo such as `limt = 5`
//! silently doing nothing is worse than an error naming the key.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};
use url::Url;

use crate::error::Error;

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

/// Email digests: who gets them, what they look like, how they are sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    /// A Tera template for the Subject line.
    #[serde(default = "default_subject")]
    pub subject: String,
    /// "Name <address>" of the sender.
    pub from: String,
    #[serde(default)]
    pub reply_to: Option<String>,
    /// CSV file with an `email` column; other columns reach templates.
    #[serde(default = "default_subscribers")]
    pub subscribers: PathBuf,
    /// SQLite file recording every digest and recipient.
    #[serde(default = "default_ledger")]
    pub ledger: PathBuf,
    /// Where messages go as `.eml` files when there is no `[smtp]`.
    #[serde(default = "default_outbox")]
    pub outbox: PathBuf,
    /// One-click unsubscribe page (must accept POST, RFC 8058); `{token}` and
    /// `{email}` are replaced per subscriber.
    pub unsubscribe_url: String,
    /// Address for `mailto:` unsubscribe requests, optional.
    #[serde(default)]
    pub unsubscribe_mailto: Option<String>,
    /// Environment variable holding the secret that signs unsubscribe tokens;
    /// without it a secret is generated once and kept in the ledger.
    #[serde(default = "default_secret_env")]
    pub secret_env: String,
    /// How far back the very first digest looks.
    #[serde(default = "default_first_days")]
    pub first_days: u32,
    /// Messages per second; 0 means no limit.
    #[serde(default)]
    pub rate_limit: f64,
    /// SMTP connections used in parallel.
    #[serde(default = "default_connections")]
    pub connections: usize,
    /// Attempts per message on temporary failures before the run gives up.
    #[serde(default = "default_attempts")]
    pub attempts: u32,
    /// First wait between attempts; it doubles each time.
    #[serde(default = "default_retry_delay_ms")]
    pub retry_delay_ms: u64,
    /// Sign messages with DKIM.
    #[serde(default)]
    pub dkim: Option<DkimSettings>,
}

/// DKIM signing: the selector and key whose public half is published in DNS
/// at `<selector>._domainkey.<domain>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DkimSettings {
    pub selector: String,
    /// Defaults to the domain of `from`.
    #[serde(default)]
    pub domain: Option<String>,
    /// RSA: a PKCS#1 PEM file; Ed25519: the base64 of the 32-byte key.
    pub private_key_file: PathBuf,
    #[serde(default)]
    pub algorithm: DkimAlgorithm,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DkimAlgorithm {
    #[default]
    Rsa,
    Ed25519,
}

fn default_subject() -> String {
    "{{ site.title }}: {{ posts | length }} new post{{ posts | length | pluralize }}".into()
}
fn default_subscribers() -> PathBuf {
    "subscribers.csv".into()
}
fn default_ledger() -> PathBuf {
    ".gazette/digest.sqlite".into()
}
fn default_outbox() -> PathBuf {
    "outbox".into()
}
fn default_secret_env() -> String {
    "GAZETTE_DIGEST_SECRET".into()
}
fn default_first_days() -> u32 {
    7
}
fn default_connections() -> usize {
    4
}
fn default_attempts() -> u32 {
    5
}
fn default_retry_delay_ms() -> u64 {
    1000
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tls {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on localhost.
    None,
}

/// The SMTP relay digests are sent through.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default = "default_tls")]
    pub tls: Tls,
    #[serde(default)]
    pub username: Option<String>,
    /// Name of the environment variable holding the password; the password
    /// itself never belongs in a config file.
    #[serde(default)]
    pub password_env: Option<String>,
    /// Extra CA certificate (PEM) to trust, for a private relay.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_tls() -> Tls {
    Tls::Starttls
}
fn default_timeout() -> u64 {
    30
}

/// The show-level settings of `podcast.xml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodcastConfig {
    /// Defaults to the site title.
    #[serde(default)]
    pub title: Option<String>,
    /// Defaults to the site description.
    #[serde(default)]
    pub description: Option<String>,
    pub author: String,
    /// Square artwork, 1400 to 3000 pixels; relative URLs are taken from `base_url`.
    pub image: String,
    /// Apple Podcasts categories, e.g. "Technology" or "Society & Culture > Documentary".
    pub categories: Vec<String>,
    #[serde(default)]
    pub explicit: bool,
    pub owner: Person,
    #[serde(default, rename = "type")]
    pub show_type: ShowType,
    /// `podcast:locked`: ask other platforms not to import the feed.
    #[serde(default = "default_true")]
    pub locked: bool,
    #[serde(default)]
    pub copyright: Option<String>,
    /// Front-matter key holding a post's episode (`url`, `length`, `type`, ...).
    #[serde(default = "default_episode_key")]
    pub episode_key: String,
    /// Episodes in the feed; 0 (the default) keeps the whole back catalogue.
    #[serde(default)]
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShowType {
    #[default]
    Episodic,
    Serial,
}

impl ShowType {
    pub fn as_str(self) -> &'static str {
        match self {
            ShowType::Episodic => "episodic",
            ShowType::Serial => "serial",
        }
    }
}

fn default_true() -> bool {
    true
}
fn default_episode_key() -> String {
    "audio".into()
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

/// Which feed formats `gazette build` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Rss,
    Atom,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedsConfig {
    /// Entries per feed; 0 means no limit.
    pub limit: usize,
    /// Put each post's full HTML in the feeds, not just its summary.
    pub full_content: bool,
    pub formats: Vec<Format>,
    /// Also write `tags/<tag>.xml` and `tags/<tag>.json`.
    pub per_tag: bool,
    /// Length in characters of summaries taken from the post body.
    pub summary_length: usize,
    /// Make XML feeds readable in browsers (XSL stylesheet plus script fallback).
    pub stylesheet: bool,
    /// Write the subscription page `index.html`.
    pub page: bool,
    /// Entries listed under "Latest" on the subscription page.
    pub page_entries: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            limit: 20,
            full_content: true,
            formats: vec![Format::Rss, Format::Atom, Format::Json],
            per_tag: false,
            summary_length: 280,
            stylesheet: true,
            page: true,
            page_entries: 10,
        }
    }
}

/// Which front-matter keys carry which meaning, each as a list in order of
/// preference, so Eleventy, Hugo, Jekyll and Zola posts are read unchanged.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fields {
    #[serde(deserialize_with = "one_or_many")]
    pub title: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub date: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub updated: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub expiry: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub author: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub summary: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub external_url: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub slug: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub id: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub tags: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub draft: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    pub published: Vec<String>,
    /// A key that, when false, keeps a published post out of every feed.
    #[serde(deserialize_with = "one_or_many")]
    pub feed: Vec<String>,
}

fn keys(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            title: keys(&["title"]),
            date: keys(&["date", "publishDate", "pubDate"]),
            updated: keys(&["updated", "lastmod", "modified"]),
            expiry: keys(&["expiryDate", "expires"]),
            author: keys(&["author", "authors"]),
            summary: keys(&["summary", "description"]),
            external_url: keys(&["external_url"]),
            slug: keys(&["slug"]),
            id: keys(&["id"]),
            tags: keys(&["tags"]),
            draft: keys(&["draft"]),
            published: keys(&["published"]),
            feed: keys(&["feed"]),
        }
    }
}

impl Fields {
    /// Every key that has a meaning; the others become `post.extra`.
    pub fn known(&self) -> impl Iterator<Item = &str> {
        [
            &self.title,
            &self.date,
            &self.updated,
            &self.expiry,
            &self.author,
            &self.summary,
            &self.external_url,
            &self.slug,
            &self.id,
            &self.tags,
            &self.draft,
            &self.published,
            &self.feed,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a key name or a list of key names")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(key) => vec![key],
        OneOrMany::Many(keys) => keys,
    })
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
        if raw.feeds.formats.is_empty() {
            return Err(invalid(
                "feeds.formats",
                "must list at least one of \"rss\", \"atom\", \"json\"".into(),
            ));
        }
        if raw.fields.title.is_empty() || raw.fields.date.is_empty() {
            return Err(invalid(
                "fields",
                "`title` and `date` need at least one key".into(),
            ));
        }

        let absolute = |key: &str, link: &str| {
            base_url
                .join(link)
                .map(String::from)
                .map_err(|e| invalid(key, format!("{link:?} is not a URL: {e}")))
        };
        let image = raw
            .image
            .as_deref()
            .map(|i| absolute("image", i))
            .transpose()?;
        let mut podcast = raw.podcast;
        if let Some(show) = &mut podcast {
            show.image = absolute("podcast.image", &show.image)?;
            if show.categories.is_empty() {
                return Err(invalid(
                    "podcast.categories",
                    "list at least one Apple Podcasts category, e.g. [\"Technology\"]".into(),
                ));
            }
            for category in &show.categories {
                crate::feeds::podcast::check_category(category)
                    .map_err(|m| invalid("podcast.categories", m))?;
            }
            if show.owner.email.is_none() {
                return Err(invalid(
                    "podcast.owner",
                    "needs an `email`: Apple Podcasts uses it to verify the show".into(),
                ));
            }
        }

        let mut digest = raw.digest;
        if let Some(digest) = &mut digest {
            digest.subscribers = root.join(&digest.subscribers);
            digest.ledger = root.join(&digest.ledger);
            digest.outbox = root.join(&digest.outbox);
            if let Some(dkim) = &mut digest.dkim {
                dkim.private_key_file = root.join(&dkim.private_key_file);
            }
            if !digest.unsubscribe_url.starts_with("https://") {
                return Err(invalid(
                    "digest.unsubscribe_url",
                    "must be an https:// URL that accepts a POST (RFC 8058 one-click unsubscribe)"
                        .into(),
                ));
            }
            if digest.connections == 0 || digest.attempts == 0 {
                return Err(invalid(
                    "digest",
                    "`connections` and `attempts` must be at least 1".into(),
                ));
            }
            // Below one message a day a run would never end; above a million
            // a second the interval rounds to nothing.
            let per_day = 1.0 / 86_400.0;
            if !(digest.rate_limit == 0.0 || (per_day..=1_000_000.0).contains(&digest.rate_limit)) {
                return Err(invalid(
                    "digest.rate_limit",
                    "must be messages per second between 0.0000116 (one a day) and 1000000, or 0 for no limit".into(),
                ));
            }
            if digest.connections > 100 {
                return Err(invalid(
                    "digest.connections",
                    format!(
                        "{} is more than the 100 parallel connections gazette opens",
                        digest.connections
                    ),
                ));
            }
        }
        let mut smtp = raw.smtp;
        if let Some(smtp) = &mut smtp {
            if let Some(ca) = &mut smtp.ca_file {
                *ca = root.join(&*ca);
            }
            if smtp.tls == Tls::None
                && !matches!(smtp.host.as_str(), "localhost" | "127.0.0.1" | "::1")
            {
                return Err(invalid(
                    "smtp.tls",
                    "\"none\" sends passwords and mail in clear text: only allowed for localhost"
                        .into(),
                ));
            }
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
