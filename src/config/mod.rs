//! The site's configuration file: its model, defaults and validation.
//!
//! Each section lives in a module of its own and validates itself.
//!
//! Unknown keys are rejected rather than ignored: a typo such as `limt = 5`
//! silently doing nothing is worse than an error naming the key.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use chrono_tz::Tz;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use url::Url;

use crate::error::Error;
use crate::generators::{Generator, IdFormat, Preset};

mod digest;
mod feeds;
mod fields;
pub mod podcast;
#[cfg(test)]
mod reference;
mod serve;
mod websub;

#[cfg(feature = "subscribers")]
pub(crate) use digest::postgres_url;
pub use digest::{
    Cadence, DigestConfig, DkimAlgorithm, DkimSettings, SmtpConfig, Tls, TransportKind, WeekdayName,
};
pub use feeds::{
    collection_problem, taxonomy_problem, CollectionFeed, FeedsConfig, Format, MainSectionsBy,
    SectionPages,
};
pub use fields::{DateFrom, Fields};
pub use podcast::{PodcastConfig, ShowType};
pub use serve::ServeConfig;
pub use websub::WebSubConfig;

/// The validated configuration with paths resolved against the site root.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file itself, as named on the command line, for messages.
    pub file: PathBuf,
    /// Where the config file lives; relative paths in it are resolved from here.
    pub root: PathBuf,
    /// Whose conventions the posts follow.
    pub generator: Generator,
    /// That generator's rules, looked up once rather than per post.
    pub preset: Preset,
    /// A Jekyll site's `defaults:`, read from its `_config.yml` when the
    /// first post is (`content::jekyll_defaults::of`).
    pub(crate) jekyll_defaults: std::sync::OnceLock<crate::generators::jekyll_defaults::Defaults>,
    /// Eleventy's data files and layouts, each read once by this build.
    pub(crate) shared_files: crate::generators::read_once::ReadOnce,
    /// A Jekyll site's `_data/authors.yml`, read when the first post is.
    /// (each author key's person, why the file could not be read).
    pub(crate) jekyll_authors: std::sync::OnceLock<(
        std::collections::HashMap<String, Person>,
        Option<crate::error::Diagnostic>,
    )>,
    pub(crate) title: String,
    pub(crate) description: String,
    /// Where posts live. Always ends with `/`, so joining a relative path
    /// keeps its last segment.
    pub base_url: Url,
    /// Where the output folder is served (feeds, page, stylesheet); by
    /// default `base_url`, or its `feeds/` for sites of another generator.
    pub feeds_url: Url,
    /// The subscription page's file name in the output folder.
    pub page_file: String,
    pub(crate) language: String,
    pub(crate) author: Option<Person>,
    pub(crate) timezone: Tz,
    pub(crate) content_dir: PathBuf,
    /// Where feeds and the page are written.
    pub output_dir: PathBuf,
    pub(crate) templates_dir: PathBuf,
    pub(crate) permalink: String,
    /// Permalink patterns per top-level section (Hugo's `[permalinks]`).
    pub permalinks: BTreeMap<String, String>,
    pub(crate) extensions: Vec<String>,
    /// Globs (relative to the content folder) of files that are never posts.
    pub exclude: GlobSet,
    pub(crate) id_format: IdFormat,
    /// Text an entry's id (where it is the post's address) is the post's
    /// path from the site's root appended to, as a feed template
    /// concatenating `{{ site.url }}{{ post.url }}` writes it; the site's
    /// address where unset.
    pub(crate) id_prefix: Option<String>,
    /// Lower-case every URL path made from a pattern (Hugo).
    pub lowercase_urls: bool,
    /// Read a date (and strip it from the slug) at the start of file names
    /// such as `2024-03-05-slug.md` (Hugo only with `:filename`).
    pub name_dates: bool,
    /// Keep that date in the slug all the same (Zola's
    /// `slugify.paths_keep_dates`): `/blog/2024-03-05-slug/`.
    pub name_dates_in_slug: bool,
    /// Typographic quotes, dashes and ellipses in post bodies.
    pub smart_punctuation: bool,
    /// The same in feed entry titles.
    pub smart_titles: bool,
    /// Inline HTML taken out of feed entry titles.
    pub strip_title_html: bool,
    /// Publish posts dated in the future at once, as the generator does,
    /// instead of when their date comes.
    pub publish_future: bool,
    /// What a post without a date is: an error, left out, or listed at
    /// the zero date (Hugo).
    pub undated: crate::generators::Undated,
    /// How the feeds order their entries, same-date ones too.
    pub entry_order: crate::generators::EntryOrder,
    /// Only files carrying one of these tags are posts: the collection the
    /// site's own feed lists (Eleventy's `collections.posts`, or one its
    /// config makes of several tags); none, every file.
    pub collection: Vec<String>,
    /// Only files these globs (relative to the content folder) match are
    /// posts: a collection the site defines by path (Eleventy's
    /// `getFilteredByGlob`).
    pub collection_files: Option<GlobSet>,
    /// The site's other languages, whose pages (`x.fr.md`) the feeds leave out.
    pub translations: Translations,
    pub(crate) feeds: FeedsConfig,
    pub(crate) fields: Fields,
    /// A cover image URL for the subscription page (absolute).
    pub image: Option<String>,
    pub(crate) podcast: Option<PodcastConfig>,
    /// The digest id.
    pub digest: Option<DigestConfig>,
    #[cfg_attr(not(feature = "subscribers"), allow(dead_code))]
    pub(crate) smtp: Option<SmtpConfig>,
    pub(crate) serve: Option<ServeConfig>,
    pub(crate) websub: Option<WebSubConfig>,
    /// Whether collecting uses the build cache (`--no-cache` turns it off).
    pub(crate) cache: bool,
}

/// A person as feeds describe one: a name and optionally an address and page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
}

impl Person {
    /// A person written as a table in a post or a site's data: `name`,
    /// else the `display_name`, `first_name` and `last_name`, or `login` a
    /// WordPress export (jekyll-import) writes; `email`; `uri`, as Atom
    /// and jekyll-feed name it, or `url`. Other keys are the site's own and
    /// pass unread; `unnamed` where none of those names it, else `None`.
    pub(crate) fn of_fields(
        fields: &serde_json::Map<String, serde_json::Value>,
        unnamed: Option<&str>,
    ) -> Option<Person> {
        let text = |key: &str| {
            fields
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_string)
        };
        let full_name = || {
            let parts: Vec<String> = ["first_name", "last_name"]
                .into_iter()
                .filter_map(text)
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        };
        let name = text("name")
            .or_else(|| text("display_name"))
            .or_else(full_name)
            .or_else(|| text("login"))
            .or_else(|| unnamed.map(str::to_string))?;
        Some(Person {
            name,
            email: text("email"),
            url: text("uri").or_else(|| text("url")),
        })
    }
}

/// The file as written, before paths are resolved and values checked.
/// Keys whose default depends on the generator are optional here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    generator: Generator,
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default)]
    base_url_env: Option<String>,
    #[serde(default)]
    env_file: Option<PathBuf>,
    #[serde(default)]
    feeds_url: Option<String>,
    #[serde(default)]
    page_file: Option<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    author: Option<Person>,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default)]
    content_dir: Option<PathBuf>,
    #[serde(default)]
    output_dir: Option<PathBuf>,
    #[serde(default)]
    templates_dir: Option<PathBuf>,
    #[serde(default)]
    permalink: Option<String>,
    #[serde(default)]
    permalinks: BTreeMap<String, String>,
    #[serde(default)]
    extensions: Option<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    collection_files: Vec<String>,
    #[serde(default)]
    id_format: Option<IdFormat>,
    #[serde(default)]
    id_prefix: Option<String>,
    #[serde(default)]
    lowercase_urls: Option<bool>,
    #[serde(default)]
    name_dates: Option<bool>,
    #[serde(default)]
    name_dates_in_slug: bool,
    #[serde(default)]
    smart_punctuation: Option<bool>,
    #[serde(default)]
    smart_titles: Option<bool>,
    #[serde(default)]
    strip_title_html: Option<bool>,
    #[serde(default)]
    publish_future: Option<bool>,
    #[serde(default)]
    undated: Option<crate::generators::Undated>,
    #[serde(default)]
    entry_order: Option<crate::generators::EntryOrder>,
    #[serde(default, deserialize_with = "fields::some_one_or_many")]
    collection: Option<Vec<String>>,
    #[serde(default)]
    feeds: FeedsConfig,
    #[serde(default)]
    translations: Translations,
    #[serde(default)]
    fields: fields::FieldsFile,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    podcast: Option<PodcastConfig>,
    #[serde(default)]
    digest: Option<DigestConfig>,
    #[serde(default)]
    smtp: Option<SmtpConfig>,
    #[serde(default)]
    serve: Option<ServeConfig>,
    #[serde(default)]
    websub: Option<WebSubConfig>,
}

/// `[translations]`: a multilingual Hugo or Zola site names a page's
/// language in its file name (`about.fr.md`), or keeps each language in a
/// content folder of its own. The main feeds are the default language's,
/// as the generator's main feed is; the languages in `feeds` get feeds of
/// their own, as the generator writes one under `/fr/`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Translations {
    /// The other languages' codes: `x.fr.md` is a translation, left out.
    pub languages: Vec<String>,
    /// The default language's code: for Hugo, `x.en.md` is the page `x`.
    pub default: Option<String>,
    /// The languages whose pages get feeds of their own, under `<code>/`.
    pub feeds: Vec<String>,
    /// A language's title, for its feeds (Hugo's `languages.fr.title`).
    pub titles: BTreeMap<String, String>,
    /// A language's own content folder (Hugo's `languages.fr.contentDir`),
    /// whose files without a language in their name are that language's.
    pub content_dirs: BTreeMap<String, PathBuf>,
    /// A language's own taxonomies with a feed of every term, where its
    /// generator gives each language taxonomies of its own (Zola's
    /// `languages.fr.taxonomies` with `feed = true`): `tags` and
    /// `categories` as `per_tag` and `per_category`, others as
    /// `per_taxonomy`. A language not named has the main feeds' on a Hugo
    /// site, as Hugo writes them for every language, and none on others.
    pub taxonomy_feeds: BTreeMap<String, Vec<String>>,
    /// A language's sections with a feed, as `per_section_only` (Zola's
    /// `_index.fr.md` with `generate_feeds`). A language not named has the
    /// main feeds' on a Hugo site and none on others.
    pub section_feeds: BTreeMap<String, Vec<String>>,
    /// The language this build's feeds are of: none for the main build.
    #[serde(skip)]
    pub(crate) current: Option<String>,
    /// Whether this build's content folder is `current`'s own.
    #[serde(skip)]
    own_folder: bool,
    /// The site's address, where `current`'s is its `fr/`: a page's own
    /// URL (Hugo's `url`, Zola's `path`) is the site's, not the language's.
    #[serde(skip)]
    pub(crate) site_url: Option<Url>,
}

impl Translations {
    /// The language a file's name gives (`fr` for `about.fr.md`), when it
    /// is one of the site's, spelled as the config spells it: the name's
    /// code in any case (`x.zh-Hans.md` is a `zh-hans` page, as Hugo 0.168
    /// reads it; measured).
    pub fn language_of(&self, rel: &Path) -> Option<&str> {
        let stem = rel.file_stem()?.to_str()?;
        let (_, code) = stem.rsplit_once('.')?;
        let mut known = self.languages.iter().chain(&self.default);
        known
            .find(|l| l.eq_ignore_ascii_case(code))
            .map(String::as_str)
    }

    /// A language with feeds of its own is one of the site's other
    /// languages, with a code that can name a folder.
    fn validate(&self, check: &Validate<'_>) -> Result<(), Error> {
        for code in &self.feeds {
            if !self.languages.contains(code) {
                return Err(check.invalid(
                    "translations.feeds",
                    format!("`{code}` is not one of `languages`"),
                ));
            }
            let plain = code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !plain || code.is_empty() {
                return Err(check.invalid(
                    "translations.feeds",
                    format!("`{code}` is not a language code (letters, digits, `-`)"),
                ));
            }
        }
        for (key, per_language) in [
            ("translations.taxonomy_feeds", &self.taxonomy_feeds),
            ("translations.section_feeds", &self.section_feeds),
        ] {
            if let Some(code) = per_language.keys().find(|c| !self.feeds.contains(c)) {
                return Err(check.invalid(
                    key,
                    format!(
                        "`{code}` is not one of `feeds`, the languages with feeds of their own"
                    ),
                ));
            }
        }
        for code in self.taxonomy_feeds.keys() {
            let others = self.language_feeds(code, &FeedsConfig::default(), false);
            feeds::validate_taxonomy_names(
                &others.per_taxonomy,
                "translations.taxonomy_feeds",
                check,
            )?;
        }
        Ok(())
    }

    /// This language's feeds per term and section, from `main`'s kinds
    /// where it has the main feeds' ([`Translations::taxonomy_feeds`]).
    fn language_feeds(&self, code: &str, main: &FeedsConfig, hugo: bool) -> FeedsConfig {
        let mut feeds = FeedsConfig {
            page: false,
            categories: Vec::new(),
            collections: BTreeMap::new(),
            ..main.clone()
        };
        match self.taxonomy_feeds.get(code) {
            Some(names) => {
                let has = |name: &str| names.iter().any(|n| n == name);
                feeds.per_tag = has("tags");
                feeds.per_tag_only = Vec::new();
                feeds.per_tag_except = Vec::new();
                feeds.per_category = has("categories");
                feeds.per_taxonomy = names
                    .iter()
                    .filter(|n| !matches!(n.as_str(), "tags" | "categories"))
                    .cloned()
                    .collect();
            }
            None if hugo => {}
            None => {
                feeds.per_tag = false;
                feeds.per_category = false;
                feeds.per_taxonomy = Vec::new();
            }
        }
        match self.section_feeds.get(code) {
            Some(sections) => {
                feeds.per_section = !sections.is_empty();
                feeds.per_section_only = sections.clone();
            }
            None if hugo => {}
            None => feeds.per_section = false,
        }
        feeds
    }

    /// A file's name without the site language it names: `about` for
    /// `about.fr.md`, `about` for `about.md`.
    pub fn stem_without_language<'p>(&self, rel: &'p Path) -> Option<&'p str> {
        let stem = rel.file_stem()?.to_str()?;
        Some(match self.language_of(rel) {
            Some(code) => stem[..stem.len() - code.len()].trim_end_matches('.'),
            None => stem,
        })
    }

    /// The language whose feeds this build writes: `current`, else the
    /// default one (none for a site of one language).
    pub fn built(&self) -> Option<&str> {
        self.current.as_deref().or(self.default.as_deref())
    }

    /// Why a page is not in this build's feeds: it is in another language
    /// than the one they are of.
    pub fn other_language(&self, rel: &Path) -> Option<String> {
        let named = self.language_of(rel);
        let page = match (named, self.own_folder) {
            (Some(code), _) => code,
            (None, true) => self.current.as_deref()?,
            (None, false) => self.default.as_deref()?,
        };
        if Some(page) == self.built() {
            return None;
        }
        Some(match &self.current {
            None if !self.feeds.iter().any(|f| f == page) => format!("a translation (`{page}`): the feeds are the default language's, as the generator's main feed (`[translations]`)"),
            None => format!("a translation (`{page}`): in the `{page}` feeds, not the default language's"),
            Some(current) => format!("in `{page}`, not in the `{current}` feeds"),
        })
    }
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}

/// The error for a config that is not gazette's TOML: another
/// generator's config, or a syntax or type error at its key's line.
fn not_toml(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    if let Some(generator) = crate::generators::foreign_config(text) {
        return Error::config(
            path,
            format!(
                "this is {}'s configuration, not gazette's. Run `gazette init --from .` to write a gazette.toml that reads this site as it is (gazette looks for gazette.toml before config.toml)",
                generator.title()
            ),
        );
    }
    let message = e.message().trim_end().replace('\n', "; ");
    let offset = e.span().map(|span| span.start);
    let at = offset.map(|offset| crate::text::line_and_column(text, offset));
    let line = at.map(|(line, _)| line);
    match offset.and_then(|offset| key_at(text, offset)) {
        Some(key) => Error::config_at(path, line, format!("`{key}`: {message}")),
        None => Error::config_at(path, line, message),
    }
    .at_column(at.map(|(_, column)| column))
}

/// The site's permalink pattern and the sections' own. The generator's
/// own `:token` syntax is read as that generator means it (Jekyll's
/// `:title` is the file's slug, Hugo's `:slug` the slug or the title),
/// gazette's `{token}` as it is.
fn permalinks(
    raw: &RawConfig,
    preset: &Preset,
    invalid: &dyn Fn(&str, String) -> Error,
) -> Result<(String, BTreeMap<String, String>), Error> {
    let own_syntax =
        |pattern: &str| crate::permalink::from_generator_syntax(pattern, raw.generator);
    let permalink = raw
        .permalink
        .as_deref()
        .map_or_else(|| preset.permalink.to_string(), own_syntax);
    crate::permalink::check_pattern(&permalink).map_err(|m| invalid("permalink", m))?;
    let mut permalinks = BTreeMap::new();
    for (section, pattern) in &raw.permalinks {
        let pattern = own_syntax(pattern);
        crate::permalink::check_pattern(&pattern)
            .map_err(|m| invalid(&format!("permalinks.{section}"), m))?;
        permalinks.insert(section.clone(), pattern);
    }
    Ok((permalink, permalinks))
}

/// The subscription page's file name: a plain name, and not a generator
/// site's home page when the feeds are served at the site's root.
fn check_page_file(page_file: &str, generator: Generator, at_root: bool) -> Result<(), String> {
    if page_file.contains(['/', '\\']) || page_file.starts_with('.') || page_file.is_empty() {
        return Err(format!(
            "{page_file:?} must be a plain file name such as \"subscribe.html\""
        ));
    }
    if generator != Generator::Gazette && at_root && page_file == "index.html" {
        return Err(format!(
            "with the feeds served at the site's root, `index.html` would replace the {} site's home page: set `page_file = \"subscribe.html\"` or serve the feeds from a folder with `feeds_url`",
            generator.title()
        ));
    }
    Ok(())
}

/// The file extensions of posts, without dots, in lower case.
fn extensions(listed: Option<Vec<String>>, preset: &Preset) -> Result<Vec<String>, String> {
    let extensions: Vec<String> = listed
        .unwrap_or_else(|| preset.extensions.iter().map(|e| e.to_string()).collect())
        .into_iter()
        .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
        .collect();
    if extensions.is_empty() {
        return Err("must list at least one extension".into());
    }
    Ok(extensions)
}

/// The `timezone` named.
fn time_zone(name: &str, invalid: &dyn Fn(&str, String) -> Error) -> Result<Tz, Error> {
    name.parse().map_err(|_| {
        invalid(
            "timezone",
            format!("unknown time zone {name:?}: expected an IANA name such as \"Europe/Berlin\" or \"UTC\""),
        )
    })
}

/// `id_prefix`, which must name the site's scheme and host: ids stay the
/// site's own.
fn id_prefix(
    prefix: Option<String>,
    base_url: &Url,
    invalid: &impl Fn(&str, String) -> Error,
) -> Result<Option<String>, Error> {
    let Some(prefix) = prefix else {
        return Ok(None);
    };
    let origin = base_url.origin().ascii_serialization();
    match Url::parse(&prefix) {
        Ok(url) if url.origin().ascii_serialization() == origin => Ok(Some(prefix)),
        _ => Err(invalid(
            "id_prefix",
            format!("{prefix:?} should begin with the site's address, {origin}"),
        )),
    }
}

/// The globs of `key` (`exclude`, `collection_files`) as one set.
fn glob_set(
    key: &str,
    patterns: &[String],
    invalid: &dyn Fn(&str, String) -> Error,
) -> Result<GlobSet, Error> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        set.add(Glob::new(pattern).map_err(|e| invalid(key, format!("{pattern:?}: {e}")))?);
    }
    set.build().map_err(|e| invalid(key, e.to_string()))
}

/// The digests' archive and a taxonomy's feeds each own their folder.
fn distinct_folders(
    feeds: &FeedsConfig,
    digest: Option<&DigestConfig>,
    check: &Validate<'_>,
) -> Result<(), Error> {
    match digest {
        Some(digest) if feeds.per_taxonomy.contains(&digest.archive) => Err(check.invalid(
            "feeds.per_taxonomy",
            format!(
                "{:?} is the folder of the digests' archive (`[digest] archive`): rename one",
                digest.archive
            ),
        )),
        _ => Ok(()),
    }
}

/// A config's `[serve]`, `[digest]` and `[smtp]`.
type SubscriberSections = (
    Option<ServeConfig>,
    Option<DigestConfig>,
    Option<SmtpConfig>,
);

/// The `[serve]`, `[digest]` and `[smtp]` sections, validated; a digest
/// without an unsubscribe page uses `serve`'s.
fn subscriber_sections(
    mut serve: Option<ServeConfig>,
    mut digest: Option<DigestConfig>,
    mut smtp: Option<SmtpConfig>,
    check: &Validate<'_>,
) -> Result<SubscriberSections, Error> {
    if let Some(serve) = &mut serve {
        serve.validate(check)?;
    }
    if let Some(digest) = &mut digest {
        if digest.unsubscribe_url.is_empty() {
            if let Some(serve) = &serve {
                digest.unsubscribe_url = format!(
                    "{}?token={{token}}",
                    serve.endpoint(&serve.unsubscribe_path)
                );
            }
        }
        digest.validate(check)?;
    }
    if let Some(smtp) = &mut smtp {
        smtp.validate(check)?;
    }
    if let Some(digest) = &digest {
        if digest.transport == Some(TransportKind::Smtp) && smtp.is_none() {
            return Err(check.invalid("digest.transport", "\"smtp\" needs an [smtp] section"));
        }
    }
    Ok((serve, digest, smtp))
}

impl Config {
    /// Whether a date at the start of a file name leaves its slug.
    pub fn slug_drops_name_date(&self) -> bool {
        self.name_dates && !self.name_dates_in_slug
    }

    /// The collection's tags as messages name them: `` `posts` ``, or
    /// `` `post` or `snap` ``.
    pub fn collection_shown(&self) -> String {
        self.collection
            .iter()
            .map(|tag| format!("`{tag}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    }

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
        let mut raw: RawConfig = toml::from_str(text).map_err(|e| not_toml(path, text, &e))?;
        let invalid = |key: &str, message: String| invalid_key(path, text, key, message);

        let base_url = site_address(&raw, &root, &invalid)?;
        let preset = raw.generator.preset();
        let feeds_url = feeds_address(raw.feeds_url.as_deref(), &base_url, &preset, &invalid)?;
        let timezone = time_zone(&raw.timezone, &invalid)?;
        let id_prefix = id_prefix(raw.id_prefix.take(), &base_url, &invalid)?;
        // The generator's own `:token` syntax is read as that generator
        // means it (Jekyll's `:title` is the file's slug, Hugo's `:slug`
        // the slug or the title), gazette's `{token}` as it is.
        let (permalink, permalinks) = permalinks(&raw, &preset, &invalid)?;
        let extensions =
            extensions(raw.extensions, &preset).map_err(|m| invalid("extensions", m))?;
        let exclude = glob_set("exclude", &raw.exclude, &invalid)?;
        let collection_files = (!raw.collection_files.is_empty())
            .then(|| glob_set("collection_files", &raw.collection_files, &invalid))
            .transpose()?;
        let page_file = raw.page_file.unwrap_or_else(|| "index.html".into());
        let at_root = feeds_url == base_url;
        check_page_file(&page_file, raw.generator, at_root).map_err(|m| invalid("page_file", m))?;
        let fields = raw.fields.over(Fields::of(raw.generator));
        let check = Validate {
            file: path,
            text,
            root: &root,
            base_url: &base_url,
        };
        raw.feeds.validate(&check)?;
        raw.feeds.settle_collections(raw.generator, &check)?;
        let name_dates = raw.name_dates.unwrap_or(preset.name_dates);
        fields.validate(raw.generator, name_dates, &check)?;
        raw.translations.validate(&check)?;
        let image = raw
            .image
            .as_deref()
            .map(|i| check.absolute("image", i))
            .transpose()?;
        let mut podcast = raw.podcast;
        if let Some(show) = &mut podcast {
            show.validate(&check)?;
        }
        if let Some(websub) = &raw.websub {
            websub.validate(&check)?;
        }
        let translations = with_site_url(raw.translations, &base_url, raw.generator);
        let (serve, digest, smtp) = subscriber_sections(raw.serve, raw.digest, raw.smtp, &check)?;
        distinct_folders(&raw.feeds, digest.as_ref(), &check)?;
        let dir =
            |set: Option<PathBuf>, default: &str| root.join(set.unwrap_or_else(|| default.into()));

        Ok(Config {
            file: path.to_path_buf(),
            jekyll_defaults: Default::default(),
            jekyll_authors: Default::default(),
            shared_files: Default::default(),
            generator: raw.generator,
            digest,
            smtp,
            serve,
            websub: raw.websub,
            cache: true,
            image,
            podcast,
            content_dir: crate::paths::clean_path(&dir(raw.content_dir, preset.content_dir)),
            output_dir: dir(raw.output_dir, preset.output_dir),
            templates_dir: dir(raw.templates_dir, preset.templates_dir),
            root,
            title: raw.title,
            description: raw.description,
            base_url,
            feeds_url,
            page_file,
            language: raw.language,
            author: raw.author,
            timezone,
            permalink,
            permalinks,
            extensions,
            exclude,
            id_format: raw.id_format.unwrap_or(preset.id_format),
            id_prefix,
            lowercase_urls: raw.lowercase_urls.unwrap_or(preset.lowercase_urls),
            smart_punctuation: raw.smart_punctuation.unwrap_or(preset.smart_punctuation),
            smart_titles: raw.smart_titles.unwrap_or(preset.smart_titles),
            strip_title_html: raw.strip_title_html.unwrap_or(preset.strip_title_html),
            publish_future: raw.publish_future.unwrap_or(preset.publish_future),
            undated: raw.undated.unwrap_or(preset.undated),
            entry_order: raw.entry_order.unwrap_or(preset.entry_order),
            collection: (raw.collection.into_iter().flatten())
                .filter(|tag| !tag.trim().is_empty())
                .collect(),
            collection_files,
            translations,
            name_dates,
            name_dates_in_slug: raw.name_dates_in_slug,
            preset,
            feeds: raw.feeds,
            fields,
        })
    }

    /// The `[digest]` section, which sending digests and keeping
    /// subscribers need.
    pub fn digest_settings(&self) -> Result<&DigestConfig, Error> {
        self.digest.as_ref().ok_or_else(|| {
            Error::config(
                self.file.clone(),
                "no [digest] section: add one with `from` and `unsubscribe_url` to send digests",
            )
        })
    }

    /// The build of one of the site's other languages (`[translations]
    /// feeds`): that language's pages, under its own address (`/fr/`), with
    /// its feeds in the output folder's `fr/` and its own publication record.
    /// Only feeds: no page, podcast or digest, which are the default
    /// language's; feeds per tag and section only as Hugo writes them.
    pub fn for_language(&self, code: &str) -> Config {
        let mut config = self.clone();
        let root = site_root(&self.base_url, &self.translations);
        config.base_url =
            Url::parse(&format!("{root}{code}/")).unwrap_or_else(|_| self.base_url.clone());
        config.translations.site_url = Url::parse(&root).ok();
        config.feeds_url = self
            .feeds_url
            .join(&format!("{code}/"))
            .unwrap_or_else(|_| self.feeds_url.clone());
        config.output_dir = self.output_dir.join(code);
        if let Some(title) = self.translations.titles.get(code) {
            config.title = title.clone();
        }
        config.language = code.to_string();
        if let Some(folder) = self.translations.content_dirs.get(code) {
            config.content_dir = crate::paths::clean_path(&self.root.join(folder));
            config.translations.own_folder = true;
        }
        config.translations.current = Some(code.to_string());
        let hugo = self.generator == crate::generators::Generator::Hugo;
        config.feeds = self.translations.language_feeds(code, &self.feeds, hugo);
        config.podcast = None;
        config.digest = None;
        config.websub = None;
        config.image = None;
        // Its own build cache and record copy (`.gazette/build-cache.fr.bin`)
        // follow from `current`; the files read once are the same site's.
        config
    }

    /// The same site, read without the build cache (`--no-cache`).
    pub fn without_cache(mut self) -> Config {
        self.cache = false;
        self
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
        let feeds_url = Url::parse(&rebase(self.feeds_url.as_str())).unwrap_or(new_base.clone());
        Ok(Config {
            base_url: new_base,
            feeds_url,
            image,
            podcast,
            ..self
        })
    }

    /// The absolute URL of a file in the output folder, e.g. `rss.xml`.
    pub fn output_url(&self, relative: &str) -> Url {
        self.feeds_url
            .join(relative)
            .unwrap_or_else(|_| self.feeds_url.clone())
    }
}

/// What a section needs to check itself and name the key it complains about.
pub(crate) struct Validate<'a> {
    pub file: &'a Path,
    /// The config file's text, to name the line of a key.
    pub text: &'a str,
    pub root: &'a Path,
    pub base_url: &'a Url,
}

impl Validate<'_> {
    pub(crate) fn invalid(&self, key: &str, message: impl std::fmt::Display) -> Error {
        invalid_key(self.file, self.text, key, message)
    }

    /// `link` made absolute against `base_url`; only http(s) is written.
    pub(crate) fn absolute(&self, key: &str, link: &str) -> Result<String, Error> {
        let url = self
            .base_url
            .join(link)
            .map_err(|e| self.invalid(key, format!("{link:?} is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(self.invalid(key, format!("{link:?} must be an http or https URL")));
        }
        Ok(url.into())
    }
}

/// The line that sets the dotted `key` (`digest.topics`), or the nearest
/// table above it that the file names; none for a key the file leaves to
/// its default.
/// A config error about the dotted `key`, at the line that sets it.
fn invalid_key(path: &Path, text: &str, key: &str, message: impl std::fmt::Display) -> Error {
    Error::config_at(path, key_line(text, key), format!("`{key}`: {message}"))
}

fn key_line(text: &str, key: &str) -> Option<usize> {
    let document = toml_edit::ImDocument::parse(text).ok()?;
    let mut item = document.as_item();
    let mut found = None;
    for part in key.split('.') {
        let Some((name, value)) = item
            .as_table_like()
            .and_then(|table| table.get_key_value(part))
        else {
            break;
        };
        found = name.span().or_else(|| value.span()).or(found);
        item = value;
    }
    found.map(|span| crate::text::line_and_column(text, span.start).0)
}

/// The dotted key whose value holds byte `offset`, for an error the
/// deserializer found in a value: `feeds.per_tag`.
fn key_at(text: &str, offset: usize) -> Option<String> {
    fn path_to(table: &dyn toml_edit::TableLike, offset: usize) -> Option<Vec<&str>> {
        table.iter().find_map(|(name, item)| {
            match item
                .as_table_like()
                .and_then(|inner| path_to(inner, offset))
            {
                Some(rest) => Some([name].into_iter().chain(rest).collect()),
                None => item
                    .span()
                    .is_some_and(|span| span.contains(&offset))
                    .then(|| vec![name]),
            }
        })
    }
    let document = toml_edit::ImDocument::parse(text).ok()?;
    path_to(document.as_table(), offset).map(|key| key.join("."))
}

/// Where the feeds are published: `feeds_url`, relative to the site's
/// address, else the generator's folder for them there.
fn feeds_address(
    feeds_url: Option<&str>,
    base_url: &Url,
    preset: &Preset,
    invalid: &impl Fn(&str, String) -> Error,
) -> Result<Url, Error> {
    let joined = base_url
        .join(feeds_url.unwrap_or(preset.feeds_path))
        .map_err(|e| invalid("feeds_url", e.to_string()))?;
    match feeds_url {
        Some(_) => parse_base_url(joined.as_str()).map_err(|m| invalid("feeds_url", m)),
        None => Ok(joined),
    }
}

/// The site's address above its languages' folders: the build's address
/// without a last segment that is the default language's (Hugo's
/// `defaultContentLanguageInSubdir`, `https://x.org/en/`).
fn site_root(base_url: &Url, translations: &Translations) -> String {
    let default = translations.default.as_deref().unwrap_or("en");
    let base = base_url.as_str();
    base.strip_suffix(&format!("/{default}/"))
        .map_or_else(|| base.to_string(), |root| format!("{root}/"))
}

/// The default language's translations, where Hugo puts it in a folder of
/// its own (`/en/`): a page's own `url` with a leading slash is the
/// site's, above that folder, as Hugo writes `url: /blog/x/` at `/blog/x/`
/// (measured with Hugo 0.168).
fn with_site_url(
    mut translations: Translations,
    base_url: &Url,
    generator: Generator,
) -> Translations {
    if generator == Generator::Hugo && translations.default.is_some() {
        let root = site_root(base_url, &translations);
        if root != base_url.as_str() {
            translations.site_url = Url::parse(&root).ok();
        }
    }
    translations
}

/// The address the deploy gives (Netlify's `URL`) where the site's own
/// data reads it from there too (`base_url_env`), else `base_url`. A
/// variable the environment lacks is read from `env_file` where the site
/// loads one (dotenv: the environment wins over the file).
fn site_address(
    raw: &RawConfig,
    root: &Path,
    invalid: &impl Fn(&str, String) -> Error,
) -> Result<Url, Error> {
    let Some(variable) = raw.base_url_env.as_deref() else {
        return parse_base_url(&raw.base_url).map_err(|m| invalid("base_url", m));
    };
    let set = |value: String| {
        let value = value.trim().to_string();
        (!value.is_empty()).then_some(value)
    };
    let from_env = std::env::var(variable).ok().and_then(set);
    let from_file = match (&from_env, &raw.env_file) {
        (None, Some(file)) => env_file_value(&root.join(file), variable)
            .map_err(|m| invalid("env_file", m))?
            .and_then(set)
            .map(|value| (format!("{variable} in {}", file.display()), value)),
        _ => None,
    };
    match from_env
        .map(|value| (format!("${variable}"), value))
        .or(from_file)
    {
        Some((source, value)) => parse_base_url(&value)
            .map_err(|m| invalid("base_url_env", format!("{source} = {value:?}: {m}"))),
        None => parse_base_url(&raw.base_url).map_err(|m| invalid("base_url", m)),
    }
}

/// `variable` as Node's dotenv (which Eleventy sites load) reads `file`:
/// its `LINE` expression and `parseRegex` in dotenv 17's `lib/main.js`,
/// where a line that does not match is passed over, a value is trimmed
/// and unquoted, `\n` is a new line in double quotes, and the last
/// assignment wins. A missing file sets nothing, as dotenv passes over it.
fn env_file_value(file: &Path, variable: &str) -> Result<Option<String>, String> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text.replace("\r\n", "\n").replace('\r', "\n"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", file.display())),
    };
    let line = regex::Regex::new(
        r#"(?m)^\s*(?:export\s+)?([A-Za-z0-9_.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$"#,
    )
    .map_err(|e| e.to_string())?;
    let value = line
        .captures_iter(&text)
        .filter(|c| &c[1] == variable)
        .last()
        .map(|c| {
            let value = c.get(2).map_or("", |m| m.as_str()).trim();
            let unquoted = ['\'', '"', '`'].iter().find_map(|&quote| {
                value
                    .strip_prefix(quote)
                    .and_then(|v| v.strip_suffix(quote))
                    .map(|inner| (quote, inner))
            });
            match unquoted {
                Some(('"', inner)) => inner.replace("\\n", "\n").replace("\\r", "\r"),
                Some((_, inner)) => inner.to_string(),
                None => value.to_string(),
            }
        });
    Ok(value)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(text, Path::new("config.toml"), PathBuf::from("."))
    }

    #[test]
    fn a_files_language_is_named_in_any_case_and_spelled_as_configured() {
        let translations = Translations {
            languages: vec!["fr".into(), "zh-hans".into()],
            default: Some("en".into()),
            ..Translations::default()
        };
        let of = |name: &str| translations.language_of(Path::new(name));
        assert_eq!(of("posts/one.zh-Hans.md"), Some("zh-hans"));
        assert_eq!(of("posts/one.FR.md"), Some("fr"));
        assert_eq!(of("posts/one.en.md"), Some("en"));
        assert_eq!(of("posts/one.de.md"), None);
        assert_eq!(
            translations.stem_without_language(Path::new("posts/one.zh-Hans.md")),
            Some("one")
        );
    }

    #[test]
    fn an_env_file_is_read_as_nodes_dotenv_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".env");
        // Each line and what dotenv 17.4.2's `parse` gives for `URL`
        // (measured with Node).
        let cases = [
            ("URL=https://a.example.org", "https://a.example.org"),
            (
                "export URL=\"https://b.example.org\" # c",
                "https://b.example.org",
            ),
            ("URL = 'https://c.example.org'", "https://c.example.org"),
            ("URL: https://d.example.org", "https://d.example.org"),
            ("URL=https://e.example.org#frag", "https://e.example.org"),
            ("URL=\"line\\nnext\"", "line\nnext"),
            (
                "URL=x\nURL=https://last.example.org",
                "https://last.example.org",
            ),
            (
                "  URL=   https://sp.example.org   ",
                "https://sp.example.org",
            ),
        ];
        for (text, expected) in cases {
            std::fs::write(&file, text).unwrap();
            assert_eq!(
                env_file_value(&file, "URL").unwrap().as_deref(),
                Some(expected),
                "{text}"
            );
        }
        std::fs::write(&file, "OTHER=1\n").unwrap();
        assert_eq!(env_file_value(&file, "URL").unwrap(), None);
        assert_eq!(
            env_file_value(&dir.path().join("none"), "URL").unwrap(),
            None
        );
    }

    #[test]
    fn a_key_is_found_on_its_line_or_on_its_tables() {
        let text = "title = \"T\"\n\n[digest]\nfrom = \"a@e.org\"\ntopics = [\n  \"x\",\n]\n\n[fields.date_from]\npattern = \"p\"\n";
        assert_eq!(key_line(text, "title"), Some(1));
        assert_eq!(key_line(text, "digest.topics"), Some(5));
        // Left to its default: the table that would hold it.
        assert_eq!(key_line(text, "digest.connections"), Some(3));
        assert_eq!(key_line(text, "fields.date_from.pattern"), Some(10));
        assert_eq!(key_line(text, "serve.public_url"), None);
        let inline = "[fields]\ndate_from = { pattern = \"p\" }\n";
        assert_eq!(key_line(inline, "fields.date_from.pattern"), Some(2));
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
    fn category_feeds_need_names_that_name_a_file_once() {
        let with = |list: &str| {
            parse(&format!(
                "title = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\ncategories = {list}\n"
            ))
        };
        assert_eq!(
            with("[\"News\", \"Field Notes\"]")
                .unwrap()
                .feeds
                .categories
                .len(),
            2
        );
        let twice = with("[\"News\", \"news\"]").unwrap_err().to_string();
        assert!(
            twice.contains("feeds.categories") && twice.contains("listed twice"),
            "{twice}"
        );
        let unnamed = with("[\"--\"]").unwrap_err().to_string();
        assert!(unnamed.contains("no letter or digit"), "{unnamed}");
        let both = with("[\"News\"]\nper_category = true")
            .unwrap_err()
            .to_string();
        assert!(
            both.contains("feeds.per_category") && both.contains("leave"),
            "{both}"
        );
    }

    #[test]
    fn tag_feeds_are_chosen_by_name_in_any_case() {
        let with = |feeds: &str| {
            parse(&format!(
                "title = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\n{feeds}\n"
            ))
        };
        let every = with("per_tag = true").unwrap();
        assert!(every.feeds.has_tag_feed("Rust") && every.feeds.has_tag_feed("go"));
        let only =
            with("per_tag = true\nper_tag_only = [\"rust\", \"go\"]\nper_tag_except = [\"GO\"]")
                .unwrap();
        assert!(only.feeds.has_tag_feed("Rust"));
        assert!(
            !only.feeds.has_tag_feed("Go"),
            "except wins over only, as in jekyll-feed"
        );
        assert!(!only.feeds.has_tag_feed("zig"));
        assert!(!with("").unwrap().feeds.has_tag_feed("rust"));
        let alone = with("per_tag_except = [\"x\"]").unwrap_err().to_string();
        assert!(
            alone.contains("feeds.per_tag_except") && alone.contains("per_tag = true"),
            "{alone}"
        );
        assert!(alone.starts_with("config.toml:4: "), "{alone}");
        let sections = with("per_section_only = [\"blog\"]")
            .unwrap_err()
            .to_string();
        assert!(sections.contains("per_section = true"), "{sections}");
        let typed = with("section_pages = \"top_by_type\"")
            .unwrap_err()
            .to_string();
        assert!(typed.contains("feeds.section_pages"), "{typed}");
        let blog = with("per_section = true\nper_section_only = [\"/blog/\"]").unwrap();
        assert!(blog.feeds.has_section_feed("blog") && !blog.feeds.has_section_feed("notes"));
        let nameless = with("per_tag = true\nper_tag_only = [\"rust\", \"++\"]")
            .unwrap_err()
            .to_string();
        assert!(
            nameless.contains("feeds.per_tag_only") && nameless.contains("no letter or digit"),
            "{nameless}"
        );
    }

    /// The feed's collection: one tag, or the tags a site's config joins.
    #[test]
    fn the_collection_of_posts_is_one_tag_or_several() {
        let with = |line: &str| {
            parse(&format!(
                "title = \"T\"\nbase_url = \"https://e.org/\"\n{line}"
            ))
        };
        assert_eq!(
            with("collection = \"posts\"").unwrap().collection,
            ["posts"]
        );
        let joined = with("collection = [\"post\", \"snap\", \" \"]").unwrap();
        assert_eq!(joined.collection, ["post", "snap"]);
        assert_eq!(joined.collection_shown(), "`post` or `snap`");
        assert!(with("").unwrap().collection.is_empty());
        let wrong = with("collection = 3").unwrap_err().to_string();
        assert!(wrong.contains("a name or a list of names"), "{wrong}");
    }

    #[test]
    fn a_collection_names_its_feeds_and_owns_its_folder() {
        let with = |generator: &str, tables: &str| {
            parse(&format!(
                "generator = \"{generator}\"\ntitle = \"T\"\nbase_url = \"https://e.org/\"\n{tables}"
            ))
        };
        // Jekyll's defaults, in gazette's syntax once read; others' own.
        let jekyll = with("jekyll", "[feeds.collections.recipes]\n").unwrap();
        let (name, recipes) = jekyll.feeds.collection(0).unwrap();
        assert_eq!(name, "recipes");
        assert_eq!(recipes.folder, "_recipes");
        assert_eq!(recipes.permalink, "/{collection}/{path}{output_ext}");
        let own = with(
            "gazette",
            "[feeds.collections.talks]\nfolder = \"/talks/\"\npermalink = \"/t/{slug}/\"\n",
        )
        .unwrap();
        let (_, talks) = own.feeds.collection(0).unwrap();
        assert_eq!(
            (talks.folder.as_str(), talks.permalink.as_str()),
            ("talks", "/t/{slug}/")
        );
        assert!(own.feeds.collection(1).is_none());
        for (tables, said) in [
            ("[feeds.collections.posts]\n", "site's own feed"),
            ("[feeds.collections.\"a b\"]\n", "letters, digits"),
            ("[feeds.collections.r]\nfolder = \"../r\"\n", "without `..`"),
            (
                "[feeds.collections.r]\npermalink = \"/r/\"\n",
                "must contain {slug}",
            ),
            (
                "[feeds.collections.a]\nfolder = \"x\"\n[feeds.collections.b]\nfolder = \"x/y\"\n",
                "share this folder",
            ),
            (
                "[feeds.collections.r]\ncategories = [\"Jam\", \"jam\"]\n",
                "listed twice",
            ),
            (
                "[feeds.collections.r]\ncategories = [\"--\"]\n",
                "no letter or digit",
            ),
        ] {
            let err = with("gazette", tables).unwrap_err().to_string();
            assert!(
                err.contains("feeds.collections") && err.contains(said),
                "{tables}: {err}"
            );
        }
        let err = with("gazette", "[feeds]\nper_taxonomy = [\"collections\"]\n").unwrap_err();
        assert!(err.to_string().contains("other feeds"), "{err}");
    }

    #[test]
    fn a_taxonomy_with_feeds_names_a_folder_of_its_own() {
        let with = |list: &str| {
            parse(&format!(
                "title = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\nper_taxonomy = {list}\n"
            ))
        };
        assert_eq!(
            with("[\"series\", \"key_people\"]")
                .unwrap()
                .feeds
                .per_taxonomy,
            ["series", "key_people"]
        );
        for (list, said) in [
            ("[\"Series\"]", "lower-case"),
            ("[\"../x\"]", "lower-case"),
            ("[\"\"]", "lower-case"),
            ("[\"tags\"]", "per_tag = true"),
            ("[\"categories\"]", "per_category = true"),
            ("[\"archive\"]", "other feeds"),
            ("[\"series\", \"series\"]", "twice"),
        ] {
            let err = with(list).unwrap_err().to_string();
            assert!(
                err.starts_with("config.toml:4: ")
                    && err.contains("feeds.per_taxonomy")
                    && err.contains(said),
                "{list}: {err}"
            );
        }
        let digest =
            "\n[digest]\nfrom = \"a@e.org\"\nunsubscribe_url = \"https://e.org/u?t={token}\"\n";
        let shared = with(&format!("[\"newsletter\"]{digest}"))
            .unwrap_err()
            .to_string();
        assert!(shared.contains("digests' archive"), "{shared}");
        assert!(with(&format!("[\"series\"]{digest}")).is_ok());
    }

    #[test]
    fn a_language_has_its_own_taxonomies_and_sections_where_named() {
        let site = |generator: &str, translations: &str| {
            parse(&format!(
                "title = \"T\"\nbase_url = \"https://e.org/\"\ngenerator = \"{generator}\"\n[feeds]\nper_tag = true\nper_section = true\nper_taxonomy = [\"series\"]\n[translations]\nlanguages = [\"fr\", \"de\"]\nfeeds = [\"fr\", \"de\"]\n{translations}"
            ))
        };
        let named = "taxonomy_feeds = { fr = [\"categories\", \"themes\"] }\nsection_feeds = { fr = [\"blog\"] }\n";
        let zola = site("zola", named).unwrap();
        let fr = zola.for_language("fr").feeds;
        assert!(!fr.per_tag && fr.per_category && fr.per_section);
        assert_eq!(
            (fr.per_taxonomy, fr.per_section_only),
            (vec!["themes".to_string()], vec!["blog".to_string()])
        );
        // Not named: a Zola language has none, a Hugo one the main feeds'.
        let de = zola.for_language("de").feeds;
        assert!(!de.per_tag && !de.per_section && de.per_taxonomy.is_empty());
        let hugo = site("hugo", named).unwrap().for_language("de").feeds;
        assert!(hugo.per_tag && hugo.per_section && hugo.per_taxonomy == ["series"]);
        for (translations, said) in [
            (
                "taxonomy_feeds = { es = [\"tags\"] }\n",
                "`es` is not one of `feeds`",
            ),
            (
                "section_feeds = { es = [\"blog\"] }\n",
                "`es` is not one of `feeds`",
            ),
            ("taxonomy_feeds = { fr = [\"Themes\"] }\n", "lower-case"),
            (
                "taxonomy_feeds = { fr = [\"themes\", \"themes\"] }\n",
                "twice",
            ),
        ] {
            let err = site("zola", translations).unwrap_err().to_string();
            assert!(
                err.starts_with("config.toml:11: ") && err.contains(said),
                "{translations}: {err}"
            );
        }
    }

    #[test]
    fn unknown_key_is_named() {
        let err = parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\nlimt = 3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("limt"), "{err}");
        assert!(err.starts_with("config.toml:4: "), "{err}");
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
                "title = \"T\"\nbase_url = \"https://e.org/\"\npermalink = \"/{nope}/{slug}/\"\n",
                "permalink",
            ),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(key), "{err}");
        }
    }
}
