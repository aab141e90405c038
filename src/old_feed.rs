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
    /// The address of its enclosure (an RSS `<enclosure>`, an Atom link
    /// `rel="enclosure"`, a JSON Feed attachment): the file podcast apps
    /// download.
    pub enclosure: Option<String>,
}

/// Reads a feed file in any of the three formats.
pub fn read_old_feed(path: &Path) -> Result<Vec<OldEntry>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let feed = feed_rs::parser::parse(bytes.as_slice()).map_err(|e| Error::Input {
        path: path.to_path_buf(),
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
            let enclosure = episode_enclosure(&entry);
            OldEntry {
                id,
                link,
                title: entry.title.map(|t| t.content),
                date: entry.published.or(entry.updated),
                enclosure,
            }
        })
        .collect())
}

/// The address of an entry's audio or video enclosure, the file podcast
/// apps download: feed-rs reads an RSS `<enclosure>` as media content (as
/// it reads the `media:content` image jekyll-feed writes, which is none);
/// an Atom enclosure stays a link, and so does a JSON Feed attachment, a
/// link after the entry's own.
fn episode_enclosure(entry: &feed_rs::model::Entry) -> Option<String> {
    let playable =
        |media_type: &str| media_type.starts_with("audio/") || media_type.starts_with("video/");
    let from_media = entry
        .media
        .iter()
        .flat_map(|media| &media.content)
        .filter(|content| {
            content
                .content_type
                .as_ref()
                .is_some_and(|t| playable(t.as_ref()))
        })
        .find_map(|content| content.url.as_ref().map(|url| url.to_string()));
    from_media.or_else(|| {
        entry
            .links
            .iter()
            .enumerate()
            .filter(|(at, link)| match link.rel.as_deref() {
                Some(rel) => rel == "enclosure",
                None => *at > 0,
            })
            .find(|(_, link)| link.media_type.as_deref().is_some_and(playable))
            .map(|(_, link)| link.href.clone())
    })
}

/// Links compare equal after URL parsing, so `%7E` and `~` or an explicit
/// default port do not count as a change.
pub fn same_url(a: &str, b: &str) -> bool {
    a == b || normalized(a) == normalized(b)
}

/// A link in the one form URL parsing gives it, with no empty segment in
/// its path: a site's own feed template that joins a `url` ending in `/`
/// to a post's path (`{{ post.url | prepend: site.url }}`, Jekyll's old
/// default) writes `https://e.org//a/`, which the site's server answers as
/// `/a/`.
pub fn normalized(link: &str) -> String {
    let Ok(mut url) = url::Url::parse(link) else {
        return link.to_string();
    };
    if url.path().contains("//") {
        let path = crate::paths::collapse_slashes(url.path());
        url.set_path(&path);
    }
    url.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, name: &str) -> Vec<OldEntry> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        read_old_feed(&path).unwrap()
    }

    #[test]
    fn a_doubled_slash_in_a_path_is_the_same_link() {
        assert!(same_url(
            "https://e.org//daily/2018/a/",
            "https://e.org/daily/2018/a/"
        ));
        assert!(!same_url(
            "https://e.org//daily/a/",
            "https://e.org/daily/b/"
        ));
        assert_eq!(normalized("not a url"), "not a url");
    }

    #[test]
    fn an_rss_item_without_a_guid_is_known_by_its_link() {
        let entries = read(
            r#"<rss version="2.0"><channel><title>T</title><link>https://e.org/</link><description>d</description>
<item><title>With</title><link>https://e.org/a/</link><guid isPermaLink="false">urn:x:1</guid><pubDate>Tue, 01 Apr 2025 10:00:00 GMT</pubDate></item>
<item><title>Without</title><link>https://e.org/b/</link></item>
</channel></rss>"#,
            "rss.xml",
        );
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["urn:x:1", "https://e.org/b/"]);
        assert_eq!(entries[0].title.as_deref(), Some("With"));
        assert_eq!(
            entries[0].date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2025-04-01T10:00:00+00:00")
        );
        assert_eq!(entries[1].date, None);
    }

    #[test]
    fn an_atom_entry_keeps_its_id() {
        let entries = read(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:feed</id><updated>2025-04-01T10:00:00Z</updated>
<entry><title>A</title><id>tag:e.org,2025:a</id><link href="https://e.org/a/"/><updated>2025-04-01T10:00:00Z</updated></entry>
</feed>"#,
            "atom.xml",
        );
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].id, "tag:e.org,2025:a");
        assert_eq!(entries[0].link.as_deref(), Some("https://e.org/a/"));
    }

    #[test]
    fn a_file_that_is_no_feed_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "just text").unwrap();
        let error = read_old_feed(&path).unwrap_err().to_string();
        assert!(
            error.contains("notes.txt") && error.contains("not an RSS, Atom or JSON feed"),
            "{error}"
        );
    }

    #[test]
    fn links_compare_as_urls() {
        assert!(same_url("https://e.org:443/a/", "https://e.org/a/"));
        assert!(same_url("HTTPS://E.org/a/", "https://e.org/a/"));
        assert!(!same_url("https://e.org/a/", "https://e.org/a"));
        assert!(!same_url("https://e.org/a/", "http://e.org/a/"));
    }
}
