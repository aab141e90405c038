//! `[fields]`: which front-matter keys mean what.
//!
//! Every key may be a dotted path into a table (`taxonomies.tags`,
//! `extra.updated`); the generator preset supplies the defaults and a site's
//! `[fields]` overrides them key by key.

use serde::{Deserialize, Deserializer};

use super::Validate;
use crate::generators::Generator;
use crate::Error;

/// Which front-matter keys carry which meaning, each as a list in order of
/// preference, so Eleventy, Hugo, Jekyll and Zola posts are read unchanged.
#[derive(Debug, Clone)]
pub struct Fields {
    pub(crate) title: Vec<String>,
    pub(crate) date: Vec<String>,
    /// The date the feeds show (and order by) where the post sets it, its
    /// URL keeping `date`'s: a feed template's `{% if post.rss_date %}` for
    /// episodes a podcast host dated to the minute.
    pub(crate) feed_date: Vec<String>,
    pub(crate) updated: Vec<String>,
    pub(crate) expiry: Vec<String>,
    /// A date before which the post is held back whatever
    /// `publish_future` says: a site's own code holding posts back
    /// (eleventy-high-performance-blog's `scheduled`).
    pub(crate) scheduled: Vec<String>,
    pub(crate) author: Vec<String>,
    pub(crate) summary: Vec<String>,
    pub(crate) external_url: Vec<String>,
    pub(crate) slug: Vec<String>,
    pub(crate) id: Vec<String>,
    /// Every listed key adds its tags (Jekyll reads `tags` and `categories`).
    pub tags: Vec<String>,
    pub(crate) draft: Vec<String>,
    pub(crate) published: Vec<String>,
    /// A key that, when false, keeps a published post out of every feed.
    pub feed: Vec<String>,
    /// A key that marks a post's `updated` date as worth telling
    /// subscribers about (true, or a line saying what changed): the next
    /// digest carries the post again, once per update.
    pub(crate) update_notice: Vec<String>,
    /// A post's own URL path, overriding the permalink pattern (Jekyll and
    /// Eleventy `permalink`, Hugo `url`, Zola `path`).
    pub url: Vec<String>,
    /// Posts that set any of these keys to a true value are not entries
    /// (e.g. `redirect` stubs, Eleventy's `eleventyExcludeFromCollections`).
    pub skip_if: Vec<String>,
    /// Posts that set any of these keys to a true value are left out of
    /// the site's feeds and digests but stay in their section's and terms'
    /// feeds, as Hugo's `build.list = "local"` (tabi's
    /// `hide_from_main_feed`).
    pub skip_main: Vec<String>,
    /// Posts whose key holds one of its values are not entries, as a
    /// theme's feed template leaves out pages by layout (PaperMod's
    /// `ne .Layout "search"`): `{ layout = ["search", "archives"] }`.
    pub skip_if_value: Vec<(String, Vec<String>)>,
    /// Posts whose key holds (or lists) one of its values are left out of
    /// the site's feeds but stay in their section's and terms', as a home
    /// feed template takes away the pages of a category (0o7race's `where
    /// $pages "Params.categories" "intersect" (slice "Life")`).
    pub skip_main_if_value: Vec<(String, Vec<String>)>,
    /// Keys a Zola page takes from its section's `_index.md` when it does
    /// not set them itself, as a theme's templates read a setting from the
    /// page, else its section (tabi's `hide_from_feed`).
    pub from_section: Vec<String>,
    /// A date taken from another key or from the file's path by pattern,
    /// when no date key is set.
    pub date_from: Option<DateFrom>,
    /// Hugo reads `Title:` and `title:` alike.
    pub case_insensitive_keys: bool,
    /// The entries the site's own `[fields]` set, for the warning about
    /// keys that no post uses.
    pub explicit: Vec<&'static str>,
}

/// `date_from = { key = "path", pattern = "{year}/{month}/{day}/" }`:
/// `key` is a front-matter key, or `file` for the post's path relative to
/// the content folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateFrom {
    pub(crate) key: String,
    pub(crate) pattern: String,
}

/// `[fields]` as written: only what the site sets.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldsFile {
    #[serde(default, deserialize_with = "some_one_or_many")]
    title: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    date: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    updated: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    expiry: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    scheduled: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    author: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    summary: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    external_url: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    slug: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    id: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    feed_date: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    draft: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    published: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    feed: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    update_notice: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    url: Option<Vec<String>>,
    #[serde(default, rename = "skip_if_key", deserialize_with = "some_one_or_many")]
    skip_if: Option<Vec<String>>,
    #[serde(
        default,
        rename = "skip_main_if_key",
        deserialize_with = "some_one_or_many"
    )]
    skip_main: Option<Vec<String>>,
    #[serde(default)]
    skip_if_value: Option<std::collections::BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    skip_main_if_value: Option<std::collections::BTreeMap<String, Vec<String>>>,
    #[serde(default, deserialize_with = "some_one_or_many")]
    from_section: Option<Vec<String>>,
    #[serde(default)]
    date_from: Option<DateFrom>,
    #[serde(default)]
    case_insensitive_keys: Option<bool>,
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
            scheduled: Vec::new(),
            author: keys(&["author", "authors"]),
            summary: keys(&["summary", "description"]),
            external_url: keys(&["external_url"]),
            slug: keys(&["slug"]),
            id: keys(&["id"]),
            tags: keys(&["tags"]),
            draft: keys(&["draft"]),
            published: keys(&["published"]),
            feed: keys(&["feed"]),
            update_notice: keys(&["update_notice"]),
            url: Vec::new(),
            skip_if: Vec::new(),
            skip_main: Vec::new(),
            skip_if_value: Vec::new(),
            skip_main_if_value: Vec::new(),
            from_section: Vec::new(),
            date_from: None,
            feed_date: Vec::new(),
            case_insensitive_keys: false,
            explicit: Vec::new(),
        }
    }
}

impl FieldsFile {
    /// The site's choices over the preset's.
    pub(crate) fn over(self, preset: Fields) -> Fields {
        // The entries the site's own `[fields]` sets, for the warning about
        // keys no post uses.
        let set = [
            ("title", self.title.is_some()),
            ("date", self.date.is_some()),
            ("updated", self.updated.is_some()),
            ("expiry", self.expiry.is_some()),
            ("scheduled", self.scheduled.is_some()),
            ("author", self.author.is_some()),
            ("summary", self.summary.is_some()),
            ("external_url", self.external_url.is_some()),
            ("slug", self.slug.is_some()),
            ("id", self.id.is_some()),
            ("feed_date", self.feed_date.is_some()),
            ("tags", self.tags.is_some()),
            ("draft", self.draft.is_some()),
            ("published", self.published.is_some()),
            ("feed", self.feed.is_some()),
            ("update_notice", self.update_notice.is_some()),
            ("url", self.url.is_some()),
            ("skip_if_key", self.skip_if.is_some()),
            ("skip_main_if_key", self.skip_main.is_some()),
            ("skip_if_value", self.skip_if_value.is_some()),
            ("skip_main_if_value", self.skip_main_if_value.is_some()),
            ("from_section", self.from_section.is_some()),
            ("date_from", self.date_from.is_some()),
        ];
        let explicit = set
            .iter()
            .filter(|(_, is_set)| *is_set)
            .map(|(name, _)| *name)
            .collect();
        Fields {
            title: self.title.unwrap_or(preset.title),
            date: self.date.unwrap_or(preset.date),
            updated: self.updated.unwrap_or(preset.updated),
            expiry: self.expiry.unwrap_or(preset.expiry),
            scheduled: self.scheduled.unwrap_or(preset.scheduled),
            author: self.author.unwrap_or(preset.author),
            summary: self.summary.unwrap_or(preset.summary),
            external_url: self.external_url.unwrap_or(preset.external_url),
            slug: self.slug.unwrap_or(preset.slug),
            id: self.id.unwrap_or(preset.id),
            feed_date: self.feed_date.unwrap_or(preset.feed_date),
            tags: self.tags.unwrap_or(preset.tags),
            draft: self.draft.unwrap_or(preset.draft),
            published: self.published.unwrap_or(preset.published),
            feed: self.feed.unwrap_or(preset.feed),
            update_notice: self.update_notice.unwrap_or(preset.update_notice),
            url: self.url.unwrap_or(preset.url),
            skip_if: self.skip_if.unwrap_or(preset.skip_if),
            skip_main: self.skip_main.unwrap_or(preset.skip_main),
            skip_if_value: self
                .skip_if_value
                .map_or(preset.skip_if_value, |map| map.into_iter().collect()),
            skip_main_if_value: self
                .skip_main_if_value
                .map_or(preset.skip_main_if_value, |map| map.into_iter().collect()),
            from_section: self.from_section.unwrap_or(preset.from_section),
            date_from: self.date_from.or(preset.date_from),
            case_insensitive_keys: self
                .case_insensitive_keys
                .unwrap_or(preset.case_insensitive_keys),
            explicit,
        }
    }
}

impl Fields {
    /// The `[fields]` a generator's posts use, as gazette's defaults.
    pub fn of(generator: Generator) -> Fields {
        let keys = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let base = Fields::default();
        match generator {
            Generator::Gazette => base,
            // Zola's own keys only: its feeds read no `extra.*` a theme
            // may keep (`extra.updated`, `extra.author`).
            Generator::Zola => Fields {
                date: keys(&["date"]),
                updated: keys(&["updated"]),
                author: keys(&["authors"]),
                summary: keys(&["description", "summary"]),
                tags: keys(&["taxonomies.tags"]),
                url: keys(&["path"]),
                ..base
            },
            // Hugo's `[frontmatter]` defaults, each key with its aliases
            // (`pubdate` for `publishDate`, `modified` for `lastmod`,
            // `unpublishdate` for `expiryDate`).
            Generator::Hugo => Fields {
                date: keys(&["date", "publishDate", "pubdate", "lastmod", "modified"]),
                updated: keys(&["lastmod", "modified", "date", "publishDate", "pubdate"]),
                expiry: keys(&["expiryDate", "unpublishdate"]),
                author: keys(&["author", "authors", "params.author"]),
                summary: keys(&["summary", "description"]),
                tags: keys(&["tags"]),
                url: keys(&["url"]),
                case_insensitive_keys: true,
                skip_if: keys(&["headless"]),
                ..base
            },
            Generator::Jekyll => Fields {
                date: keys(&["date"]),
                updated: keys(&["last_modified_at"]),
                author: keys(&["author", "authors"]),
                summary: keys(&["description", "excerpt"]),
                tags: keys(&["tags", "tag", "categories", "category"]),
                url: keys(&["permalink"]),
                ..base
            },
            // Eleventy has no `slug` key: a post's `slug` is data its
            // permalink may write (`{{ slug }}`), never its file slug
            // (equk.co.uk's `slug: linux-on-acer-c710/`).
            Generator::Eleventy => Fields {
                slug: Vec::new(),
                date: keys(&["date"]),
                author: keys(&["author", "authors"]),
                summary: keys(&["description", "summary", "excerpt"]),
                tags: keys(&["tags"]),
                url: keys(&["permalink"]),
                skip_if: keys(&["eleventyExcludeFromCollections"]),
                ..base
            },
        }
    }

    /// Every key that has a meaning; the others become `post.extra`.
    pub fn known(&self) -> impl Iterator<Item = &str> {
        [
            &self.title,
            &self.date,
            &self.feed_date,
            &self.updated,
            &self.expiry,
            &self.scheduled,
            &self.author,
            &self.summary,
            &self.external_url,
            &self.slug,
            &self.id,
            &self.tags,
            &self.draft,
            &self.published,
            &self.feed,
            &self.update_notice,
            &self.url,
            &self.skip_if,
            &self.skip_main,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
    }

    /// Every configured key with the name it has in `[fields]`, for the
    /// warning about keys no post uses.
    pub fn named(&self) -> Vec<(&'static str, &str)> {
        let mut all = Vec::new();
        all.extend(self.title.iter().map(|k| ("title", k.as_str())));
        all.extend(self.date.iter().map(|k| ("date", k.as_str())));
        all.extend(self.updated.iter().map(|k| ("updated", k.as_str())));
        all.extend(self.expiry.iter().map(|k| ("expiry", k.as_str())));
        all.extend(self.scheduled.iter().map(|k| ("scheduled", k.as_str())));
        all.extend(self.author.iter().map(|k| ("author", k.as_str())));
        all.extend(self.summary.iter().map(|k| ("summary", k.as_str())));
        all.extend(
            self.external_url
                .iter()
                .map(|k| ("external_url", k.as_str())),
        );
        all.extend(self.slug.iter().map(|k| ("slug", k.as_str())));
        all.extend(self.id.iter().map(|k| ("id", k.as_str())));
        all.extend(self.feed_date.iter().map(|k| ("feed_date", k.as_str())));
        all.extend(self.tags.iter().map(|k| ("tags", k.as_str())));
        all.extend(self.draft.iter().map(|k| ("draft", k.as_str())));
        all.extend(self.published.iter().map(|k| ("published", k.as_str())));
        all.extend(self.feed.iter().map(|k| ("feed", k.as_str())));
        all.extend(
            self.update_notice
                .iter()
                .map(|k| ("update_notice", k.as_str())),
        );
        all.extend(self.url.iter().map(|k| ("url", k.as_str())));
        all.extend(self.skip_if.iter().map(|k| ("skip_if_key", k.as_str())));
        all.extend(
            self.skip_main
                .iter()
                .map(|k| ("skip_main_if_key", k.as_str())),
        );
        if let Some(from) = &self.date_from {
            all.push(("date_from", from.key.as_str()));
        }
        all
    }

    /// `name_dates`: a post can be dated by its file name alone, so `date`
    /// may name no key (Hugo's `[frontmatter] date = [":filename"]`, which
    /// reads no front matter date).
    pub(crate) fn validate(
        &self,
        generator: Generator,
        name_dates: bool,
        v: &Validate<'_>,
    ) -> Result<(), Error> {
        if self.title.is_empty() {
            return Err(v.invalid("fields", "`title` needs at least one key"));
        }
        if self.date.is_empty() && !name_dates {
            return Err(v.invalid(
                "fields",
                "`date` needs at least one key, unless posts are dated by their file names (`name_dates = true`)",
            ));
        }
        if !self.from_section.is_empty() && generator != Generator::Zola {
            return Err(v.invalid(
                "fields.from_section",
                "only a Zola site's pages take keys from their section's `_index.md`",
            ));
        }
        if let Some(from) = &self.date_from {
            crate::permalink::check_date_pattern(&from.pattern)
                .map_err(|m| v.invalid("fields.date_from.pattern", m))?;
        }
        Ok(())
    }
}

pub(super) fn some_one_or_many<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a name or a list of names")]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(Some(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(key) => vec![key],
        OneOrMany::Many(keys) => keys,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `[fields]` entry a site may set can be marked seen, or its
    /// warning about keys no post uses would always be given.
    #[test]
    fn every_fields_entry_can_be_seen() {
        let every = "title = 'a'\ndate = 'a'\nupdated = 'a'\nexpiry = 'a'\nscheduled = 'a'\nauthor = 'a'\nsummary = 'a'\nexternal_url = 'a'\nslug = 'a'\nid = 'a'\nfeed_date = 'a'\ntags = 'a'\ndraft = 'a'\npublished = 'a'\nfeed = 'a'\nupdate_notice = 'a'\nurl = 'a'\nskip_if_key = 'a'\nskip_main_if_key = 'a'\nfrom_section = 'a'\ndate_from = { key = 'a', pattern = '{year}' }\n";
        let file: FieldsFile = toml::from_str(every).unwrap();
        let fields = file.over(Fields::default());
        assert_eq!(fields.explicit.len(), every.lines().count());
        for name in fields.explicit {
            let mut seen = crate::content::read::Seen::default();
            seen.insert(name);
            assert!(seen.contains(name), "{name}");
        }
    }
}
