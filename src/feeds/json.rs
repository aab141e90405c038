//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>). No maintained crate
//! implements 1.1, so these are our own serde structs.

use serde::Serialize;

use super::{Entry, Feed};
use crate::config::Person;
use crate::error::Error;

pub(crate) const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    /// JSON Feed 1.1 `hubs`: the WebSub hubs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<Item<'a>>,
}

/// JSON Feed 1.1 `attachments`: an episode's audio.
#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_in_seconds: Option<u64>,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_url: Option<&'a str>,
    title: &'a str,
    // The spec requires content_html or content_text: summary-only sites
    // give the summary as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

fn author(p: &Person) -> Author<'_> {
    Author {
        name: &p.name,
        url: p.url.as_deref(),
    }
}

/// An item; `fallback_author` (the site's) stands in for a post without
/// its own, as in RSS and Atom, since readers show the item's authors only.
fn item<'a>(entry: &'a Entry, fallback_author: Option<&'a Person>) -> Item<'a> {
    let content_text = match entry.content_html {
        Some(_) => None,
        None => Some(entry.summary.as_deref().unwrap_or(&entry.title)),
    };
    Item {
        id: &entry.post.id,
        url: &entry.link,
        external_url: entry.post.details().external_url.as_deref(),
        title: &entry.title,
        content_html: entry.content_html.as_deref(),
        content_text,
        summary: entry.summary.as_deref(),
        date_published: entry.date.to_rfc3339(),
        date_modified: entry.updated.to_rfc3339(),
        authors: if entry.authors.is_empty() {
            fallback_author.into_iter().map(author).collect()
        } else {
            entry.authors.iter().map(author).collect()
        },
        tags: &entry.tags,
        attachments: entry
            .post
            .episode
            .iter()
            .map(|episode| Attachment {
                url: &episode.url,
                mime_type: &episode.mime_type,
                size_in_bytes: (episode.length > 0).then_some(episode.length),
                duration_in_seconds: episode.seconds(),
            })
            .collect(),
    }
}

/// Serialises `feed` as JSON Feed 1.1.
pub(crate) fn write(feed: &Feed<'_>) -> Result<Vec<u8>, Error> {
    let info = &feed.info;
    let json = JsonFeed {
        version: VERSION,
        title: &info.title,
        home_page_url: &info.home_url,
        feed_url: &info.self_url,
        description: &info.description,
        language: &info.language,
        authors: info.author.iter().map(author).collect(),
        hubs: info
            .hubs
            .iter()
            .map(|url| Hub {
                kind: "WebSub",
                url,
            })
            .collect(),
        items: feed
            .entries
            .iter()
            .map(|e| item(e, info.author.as_ref()))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&json).map_err(|e| Error::Feed {
        what: info.file.clone(),
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}
