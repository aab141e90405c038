//! The feed a site published before gazette: its entries as readers know
//! them, for `check --against` and for keeping the ids readers have seen.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::Error;

/// One entry of the old feed, as readers know it.
#[derive(Debug, Clone, Serialize)]
pub struct OldEntry {
    /// The entry id.
    pub id: String,
    /// The entry link.
    pub link: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The date, as shown.
    pub date: Option<DateTime<Utc>>,
}

/// Reads a feed file in any of the three formats.
pub fn read_old_feed(path: &Path) -> Result<Vec<OldEntry>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let feed = feed_rs::parser::parse(bytes.as_slice()).map_err(|e| Error::Feed {
        what: path.display().to_string(),
        message: format!("not an RSS, Atom or JSON feed gazette can read: {e}"),
    })?;
    Ok(feed
        .entries
        .into_iter()
        .map(|entry| {
            let link = entry.links.first().map(|l| l.href.clone());
            // feed-rs makes up an id for an RSS item without a guid; readers
            // use the link then.
            let synthesized = entry.links.first().is_some_and(|link| {
                feed_rs::parser::generate_id_from_link_and_title(link, &entry.title) == entry.id
            });
            let id = match (&link, synthesized || entry.id.is_empty()) {
                (Some(link), true) => link.clone(),
                _ => entry.id.clone(),
            };
            OldEntry {
                id,
                link,
                title: entry.title.map(|t| t.content),
                date: entry.published.or(entry.updated),
            }
        })
        .collect())
}

/// Links compare equal after URL parsing, so `%7E` and `~` or an explicit
/// default port do not count as a change.
pub fn same_url(a: &str, b: &str) -> bool {
    a == b || normalized(a) == normalized(b)
}

/// A link in the one form URL parsing gives it.
pub fn normalized(link: &str) -> String {
    url::Url::parse(link).map_or_else(|_| link.to_string(), String::from)
}
