//! `[fields]`: which front-matter keys mean what.

use serde::{Deserialize, Deserializer};

use super::Validate;
use crate::Error;

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

impl Fields {
    pub(crate) fn validate(&self, v: &Validate<'_>) -> Result<(), Error> {
        if self.title.is_empty() || self.date.is_empty() {
            return Err(v.invalid("fields", "`title` and `date` need at least one key"));
        }
        Ok(())
    }
}
