//! `[feeds]`: which feeds are written and how much they hold.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Validate;
use crate::Error;

/// Which feed formats `gazette build` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// RSS 2.0.
    Rss,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.1.
    Json,
}

/// What `[feeds] main_sections` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MainSectionsBy {
    /// A post's `type`, else its section (Hugo's `.Type`).
    Type,
    /// A post's section, the first folder of its path (Hugo's `.Section`).
    Section,
}

/// What a section's feed (`[feeds] per_section`) lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionPages {
    /// The posts whose nearest section it is (Hugo's built-in template,
    /// `.Pages`).
    Own,
    /// At the top level, every post of the section's type wherever it is
    /// (`where site.RegularPages "Type" .Section`); a nested section, its
    /// own posts (hextra's `list.rss.xml`, which asks `.Parent.IsHome`).
    TopByType,
}

/// `[feeds.collections.<name>]`: a folder of documents with a feed of its
/// own, as a Jekyll collection (jekyllrb.com/docs/collections).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CollectionFeed {
    /// Its folder below the content folder (Jekyll's `collections_dir`):
    /// `_<name>` on a Jekyll site, `<name>` on others.
    pub folder: String,
    /// Its documents' URL pattern, in gazette's or the generator's syntax:
    /// `/:collection/:path:output_ext` on a Jekyll site (Jekyll's default
    /// for a collection), `/{collection}/{path}/` on others. Read into
    /// gazette's syntax when the config is.
    pub permalink: String,
    /// Also a feed of each of these categories of its documents
    /// (`collections/<name>/<category>.xml` …): those whose categories
    /// hold the name as written, as jekyll-feed's
    /// `feed.collections.<name>.categories`.
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
/// `[feeds]`: which feeds are written and how much they hold.
pub struct FeedsConfig {
    /// Entries per feed; 0 means no limit.
    pub limit: usize,
    /// Entries in the site's main feed, where the generator keeps another
    /// number there than in the others (a Hugo theme's home page template,
    /// LoveIt's `first (.Site.Params.home.rss | default 10)`). Unset:
    /// `limit`.
    pub main_limit: Option<usize>,
    /// Entries in each term's feed (tags, categories, other taxonomies),
    /// where the generator keeps another number there. Unset: `limit`.
    pub term_limit: Option<usize>,
    /// Entries in the feed of each section named (its folder below the
    /// content folder), where the generator keeps another number there
    /// (a Hugo template of that section's type). Others: `limit`.
    pub section_limits: BTreeMap<String, usize>,
    /// Put each post's full HTML in the feeds, not just its summary.
    pub full_content: bool,
    /// A query each entry's link carries (`utm_source=RSS`…), as a site's
    /// own feed template appends one; the entry's id stays the post's URL.
    pub link_query: Option<String>,
    pub(crate) formats: Vec<Format>,
    /// Also write `tags/<tag>.xml` and `tags/<tag>.json`.
    pub per_tag: bool,
    /// With `per_tag`: only these tags get a feed (any case), as
    /// jekyll-feed's `feed.tags.only`. Empty: every tag.
    pub per_tag_only: Vec<String>,
    /// With `per_tag`: these tags get no feed (any case), as jekyll-feed's
    /// `feed.tags.except`.
    pub per_tag_except: Vec<String>,
    /// Also write a feed of each section (`sections/<section>.xml` …): the
    /// posts whose nearest section folder it is, as Hugo writes
    /// `/<section>/index.xml`.
    pub per_section: bool,
    /// With `per_section`: only these sections (folders below the content
    /// folder, `blog` or `blog/notes`) get a feed, as Zola writes one for a
    /// section whose `_index.md` sets `generate_feeds`. Empty: every section.
    pub per_section_only: Vec<String>,
    /// What each section's feed lists: its own posts, or at the top level
    /// those of its type below it too, as the site's feed template does.
    pub section_pages: SectionPages,
    /// Also write a feed of each of these categories (`categories/<name>.xml`
    /// …): the posts whose categories hold the name exactly, as jekyll-feed's
    /// `feed.categories` lists them.
    pub categories: Vec<String>,
    /// Also write a feed of every category the posts carry, in any case
    /// (`categories/<category>.xml` …), as Hugo writes the feed of each
    /// term of `categories`. Not with `categories`, which lists them.
    pub per_category: bool,
    /// Also write a feed of every term of each of these taxonomies
    /// (`<taxonomy>/<term>.xml` …): front-matter keys holding a list of
    /// terms, such as Hugo's `series`, which Hugo gives a feed per term.
    pub per_taxonomy: Vec<String>,
    /// Only posts of these types are in the site's feed (and digests):
    /// a post's type is its `type`, else the first folder of its path
    /// below the content folder (`page` for a file directly in it), as a
    /// Hugo theme's RSS template lists `where site.RegularPages "Type" "in"
    /// site.Params.mainSections`. The others stay in their section's and
    /// terms' feeds. Empty: every post.
    pub main_sections: Vec<String>,
    /// What `main_sections` names: the posts' types (Hugo's `.Type`), or
    /// their sections (`.Section`: the first folder of the path, whatever
    /// the post's `type`), as the feed template compares.
    pub main_sections_by: MainSectionsBy,
    /// Also write a feed of each of these collections of documents kept
    /// apart from the posts (`collections/<name>.xml` …), as jekyll-feed's
    /// `feed.collections` does for a Jekyll site's other collections. Their
    /// documents are in no other feed, digest or count of posts.
    pub collections: BTreeMap<String, CollectionFeed>,
    /// Length in characters of summaries taken from the post body.
    pub summary_length: usize,
    /// Make XML feeds readable in browsers (XSL stylesheet plus script fallback).
    pub stylesheet: bool,
    /// Write the subscription page `index.html`.
    pub page: bool,
    /// Entries listed under "Latest" on the subscription page.
    pub page_entries: usize,
    /// Remove scripts, event handlers and other active HTML from feed
    /// entries (e-mails are always cleaned).
    pub sanitize: bool,
    /// RFC 5005 archives: every published post in fixed pages of `limit`
    /// entries under `archive/`, linked from the feeds (RSS and Atom).
    pub archive: bool,
    /// Hosts whose `https` iframes (video players) may stay, e.g.
    /// "www.youtube-nocookie.com", "player.vimeo.com". None by default.
    pub iframe_hosts: Vec<String>,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            limit: 20,
            main_limit: None,
            term_limit: None,
            section_limits: BTreeMap::new(),
            full_content: true,
            link_query: None,
            formats: vec![Format::Rss, Format::Atom, Format::Json],
            per_tag: false,
            per_tag_only: Vec::new(),
            per_tag_except: Vec::new(),
            categories: Vec::new(),
            per_section: false,
            per_section_only: Vec::new(),
            section_pages: SectionPages::Own,
            per_category: false,
            per_taxonomy: Vec::new(),
            main_sections: Vec::new(),
            main_sections_by: MainSectionsBy::Type,
            collections: BTreeMap::new(),
            summary_length: 280,
            sanitize: true,
            iframe_hosts: Vec::new(),
            archive: false,
            stylesheet: true,
            page: true,
            page_entries: 10,
        }
    }
}

impl FeedsConfig {
    /// Whether the tag `name` (any case: a tag's feed is shared by its
    /// spellings) gets a feed of its own.
    pub fn has_tag_feed(&self, name: &str) -> bool {
        let listed = |names: &[String]| {
            names
                .iter()
                .any(|n| n.to_lowercase() == name.to_lowercase())
        };
        self.per_tag
            && (self.per_tag_only.is_empty() || listed(&self.per_tag_only))
            && !listed(&self.per_tag_except)
    }

    /// The collection of documents at `index` (`FileKind::Document`).
    pub fn collection(&self, index: u8) -> Option<(&str, &CollectionFeed)> {
        self.collections
            .iter()
            .nth(usize::from(index))
            .map(|(name, collection)| (name.as_str(), collection))
    }

    /// Gives each collection its folder and pattern, the generator's
    /// defaults where the config sets none, the pattern in gazette's syntax.
    pub(crate) fn settle_collections(
        &mut self,
        generator: crate::generators::Generator,
        v: &Validate<'_>,
    ) -> Result<(), Error> {
        let jekyll = generator == crate::generators::Generator::Jekyll;
        if self.collections.len() > usize::from(u8::MAX) {
            return Err(v.invalid("feeds.collections", "at most 255 collections"));
        }
        for (name, collection) in &mut self.collections {
            let key = format!("feeds.collections.{name}");
            if let Some(problem) = collection_problem(name) {
                return Err(v.invalid(&key, format!("{name:?}: {problem}")));
            }
            if collection.folder.trim().is_empty() {
                collection.folder = if jekyll {
                    format!("_{name}")
                } else {
                    name.clone()
                };
            }
            let folder = collection.folder.trim_matches('/').to_string();
            let path = std::path::Path::new(&folder);
            if path.is_absolute()
                || path
                    .components()
                    .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                return Err(v.invalid(
                    &format!("{key}.folder"),
                    format!("{folder:?}: a folder below the content folder, without `..`"),
                ));
            }
            collection.folder = folder;
            if collection.permalink.trim().is_empty() {
                collection.permalink = if jekyll {
                    "/:collection/:path:output_ext".into()
                } else {
                    "/{collection}/{path}/".into()
                };
            }
            collection.permalink =
                crate::permalink::from_generator_syntax(&collection.permalink, generator);
            crate::permalink::check_pattern(&collection.permalink)
                .map_err(|m| v.invalid(&format!("{key}.permalink"), m))?;
            validate_category_names(&collection.categories, &format!("{key}.categories"), v)?;
        }
        let folders: Vec<&str> = self
            .collections
            .values()
            .map(|c| c.folder.as_str())
            .collect();
        for (i, folder) in folders.iter().enumerate() {
            let nested = |other: &&str| {
                folder == other
                    || folder.starts_with(&format!("{other}/"))
                    || other.starts_with(&format!("{folder}/"))
            };
            if folders[..i].iter().any(nested) {
                return Err(v.invalid(
                    "feeds.collections",
                    format!("{folder:?}: two collections share this folder"),
                ));
            }
        }
        Ok(())
    }

    /// Whether the section `folder` (as `content::sections` names it) gets
    /// a feed of its own.
    pub fn has_section_feed(&self, folder: &str) -> bool {
        self.per_section
            && (self.per_section_only.is_empty()
                || self
                    .per_section_only
                    .iter()
                    .any(|listed| listed.trim_matches('/') == folder))
    }

    pub(crate) fn validate(&self, v: &Validate<'_>) -> Result<(), Error> {
        if !self.per_tag {
            for (key, names) in [
                ("feeds.per_tag_only", &self.per_tag_only),
                ("feeds.per_tag_except", &self.per_tag_except),
            ] {
                if !names.is_empty() {
                    return Err(v.invalid(
                        key,
                        "chooses among the feeds per tag, which need `per_tag = true`",
                    ));
                }
            }
        }
        if !self.per_section && !self.per_section_only.is_empty() {
            return Err(v.invalid(
                "feeds.per_section_only",
                "chooses among the feeds per section, which need `per_section = true`",
            ));
        }
        if !self.per_section && self.section_pages != SectionPages::Own {
            return Err(v.invalid(
                "feeds.section_pages",
                "says what the feeds per section list, which need `per_section = true`",
            ));
        }
        // A listed tag or category gets a feed even before a post carries
        // it: it needs a file name.
        named_files(&self.per_tag_only, "feeds.per_tag_only", v)?;
        if let Some(query) = &self.link_query {
            let bad = query.is_empty()
                || query.starts_with(['?', '&'])
                || query.contains(|c: char| c == '#' || c.is_whitespace() || c.is_control());
            if bad {
                return Err(v.invalid(
                    "feeds.link_query",
                    "is a query without `?`, `#` or spaces, such as \"utm_source=rss\"",
                ));
            }
        }
        if self.formats.is_empty() {
            return Err(v.invalid(
                "feeds.formats",
                "must list at least one of \"rss\", \"atom\", \"json\"",
            ));
        }
        if self.per_category && !self.categories.is_empty() {
            return Err(v.invalid(
                "feeds.per_category",
                "writes a feed of every category: leave it out to list them in `categories` (as jekyll-feed, names as written), or leave `categories` out",
            ));
        }
        self.validate_taxonomies(v)?;
        validate_category_names(&self.categories, "feeds.categories", v)?;
        if self.archive && self.main_limit() == 0 {
            return Err(v.invalid(
                "feeds.archive",
                "needs a `limit` (or `main_limit`) above 0: it is the size of each archive page",
            ));
        }
        Ok(())
    }

    /// Entries in the site's main feed (0: all).
    pub fn main_limit(&self) -> usize {
        self.main_limit.unwrap_or(self.limit)
    }

    /// Entries in a term's feed (0: all).
    pub fn term_limit(&self) -> usize {
        self.term_limit.unwrap_or(self.limit)
    }

    /// Entries in the feed of `section` (0: all).
    pub fn section_limit(&self, section: &str) -> usize {
        // A nested section is rendered with its pages' type's template,
        // the top-level folder's.
        let top = section.trim_matches('/').split('/').next().unwrap_or("");
        self.section_limits
            .get(section.trim_matches('/'))
            .or_else(|| self.section_limits.get(top))
            .copied()
            .unwrap_or(self.limit)
    }

    /// A taxonomy names the folder of its feeds: a plain word, lower-case,
    /// and none of the folders of gazette's other feeds.
    fn validate_taxonomies(&self, v: &Validate<'_>) -> Result<(), Error> {
        validate_taxonomy_names(&self.per_taxonomy, "feeds.per_taxonomy", v)
    }
}

/// Each listed name (the value of `key`) gets a feed even before a post
/// carries it: it needs a file name.
fn named_files(names: &[String], key: &str, v: &Validate<'_>) -> Result<(), Error> {
    match names.iter().find(|n| !n.chars().any(char::is_alphanumeric)) {
        Some(name) => Err(v.invalid(
            key,
            format!("{name:?} has no letter or digit to name its feed file"),
        )),
        None => Ok(()),
    }
}

/// Each category of `names` (the value of `key`) names a feed file of its
/// own, named as tags' are, case folded.
fn validate_category_names(names: &[String], key: &str, v: &Validate<'_>) -> Result<(), Error> {
    named_files(names, key, v)?;
    let mut seen = std::collections::HashSet::new();
    match names.iter().find(|name| !seen.insert(name.to_lowercase())) {
        Some(name) => Err(v.invalid(
            key,
            format!("{name:?} is listed twice (names differing in case share a file)"),
        )),
        None => Ok(()),
    }
}

/// Each taxonomy of `names` (the value of `key`) names a folder of feeds of
/// its own, once.
pub(super) fn validate_taxonomy_names(
    names: &[String],
    key: &str,
    v: &Validate<'_>,
) -> Result<(), Error> {
    for (i, name) in names.iter().enumerate() {
        if let Some(problem) = taxonomy_problem(name) {
            return Err(v.invalid(key, format!("{name:?}: {problem}")));
        }
        if names[..i].contains(name) {
            return Err(v.invalid(key, format!("{name:?} is listed twice")));
        }
    }
    Ok(())
}

/// Why `name` cannot name a collection, whose feeds are named after it.
pub fn collection_problem(name: &str) -> Option<&'static str> {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match name {
        _ if !plain => Some("names its feed files: letters, digits, `-` and `_` only"),
        "posts" => Some("the posts are the site's own feed"),
        _ => None,
    }
}

/// Why `name` cannot be one of `per_taxonomy`, whose names are the folders
/// of their feeds: plain lower-case words, none another kind's folder.
pub fn taxonomy_problem(name: &str) -> Option<&'static str> {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    match name {
        _ if !plain => {
            Some("names the folder of its feeds: lower-case letters, digits, `-` and `_` only")
        }
        "tags" => Some("set `per_tag = true` for the feeds per tag"),
        "categories" => Some("set `per_category = true` for the feeds per category"),
        "sections" | "archive" | "collections" => Some("that folder holds other feeds"),
        _ => None,
    }
}
