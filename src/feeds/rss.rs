//! RSS 2.0 with `content:encoded`, `dc:creator` and `atom:link rel="self"`.

use ::rss::extension::atom::{AtomExtension, Link};
use ::rss::extension::dublincore::DublinCoreExtension;
use ::rss::extension::Extension;
use ::rss::{Category, Channel, Enclosure, Guid, Item};

use super::{Entry, Feed};
use crate::config::Person;
use crate::error::Error;

pub(crate) const GENERATOR: &str = concat!("gazette ", env!("CARGO_PKG_VERSION"));

/// RSS `<author>` must be an e-mail address ("addr (Name)"); names alone go
/// in `dc:creator`.
fn rss_author(person: &Person) -> Option<String> {
    person
        .email
        .as_ref()
        .map(|email| format!("{email} ({})", person.name))
}

pub(crate) fn item(entry: &Entry, fallback_author: Option<&Person>) -> Item {
    let post = &entry.post;
    let authors: Vec<&Person> = if entry.authors.is_empty() {
        fallback_author.into_iter().collect()
    } else {
        entry.authors.iter().collect()
    };
    Item {
        title: Some(entry.title.clone()),
        link: Some(entry.link.clone()),
        // Readers take `description` as HTML: the plain-text summary is
        // escaped, so `<b>` in it is shown, never rendered.
        description: entry
            .summary
            .as_deref()
            .map(|s| html_escape::encode_text(s).into_owned()),
        content: entry.content_html.clone(),
        author: authors.iter().find_map(|p| rss_author(p)),
        guid: Some(Guid {
            permalink: post.id == post.url.as_str(),
            value: post.id.clone(),
        }),
        pub_date: Some(entry.date.to_rfc2822()),
        categories: entry
            .tags
            .iter()
            .map(|tag| Category {
                name: tag.clone(),
                domain: None,
            })
            .collect(),
        dublin_core_ext: (!authors.is_empty()).then(|| DublinCoreExtension {
            creators: authors.iter().map(|p| p.name.clone()).collect(),
            ..Default::default()
        }),
        // An episode carries its audio in every feed that lists it: a reader
        // subscribed to a tag feed gets it too.
        enclosure: post.episode.as_ref().map(|episode| Enclosure {
            url: episode.url.clone(),
            length: episode.length.to_string(),
            mime_type: episode.mime_type.clone(),
        }),
        ..Default::default()
    }
}

/// The channel every RSS-based feed (plain or podcast) starts from.
pub(crate) fn channel(feed: &Feed<'_>) -> Channel {
    let info = &feed.info;
    let mut channel = Channel {
        title: info.title.clone(),
        link: info.home_url.clone(),
        // RSS requires a description; the title is better than nothing.
        description: if info.description.is_empty() {
            info.title.clone()
        } else {
            info.description.clone()
        },
        language: Some(info.language.clone()),
        managing_editor: info.author.as_ref().and_then(rss_author),
        last_build_date: feed.updated().map(|d| d.to_rfc2822()),
        generator: Some(GENERATOR.to_string()),
        docs: Some("https://www.rssboard.org/rss-specification".to_string()),
        atom_ext: Some(AtomExtension {
            links: std::iter::once(Link {
                href: info.self_url.clone(),
                rel: "self".to_string(),
                mime_type: Some("application/rss+xml".to_string()),
                ..Default::default()
            })
            // WebSub discovery (W3C WebSub 4): the hubs beside the self link.
            .chain(info.hubs.iter().map(|hub| Link {
                href: hub.clone(),
                rel: "hub".to_string(),
                ..Default::default()
            }))
            .chain(info.history.iter().map(|(rel, href)| Link {
                href: href.clone(),
                rel: rel.to_string(),
                mime_type: Some("application/rss+xml".to_string()),
                ..Default::default()
            }))
            .collect(),
        }),
        items: feed
            .entries
            .iter()
            .map(|e| item(e, info.author.as_ref()))
            .collect(),
        ..Default::default()
    };
    if info.archive {
        // RFC 5005 section 4: an archive document says it is one.
        channel
            .namespaces
            .insert("fh".into(), super::HISTORY_NS.into());
        channel.extensions.entry("fh".into()).or_default().insert(
            "archive".into(),
            vec![Extension {
                name: "fh:archive".into(),
                ..Default::default()
            }],
        );
    }
    if let Some(root) = &info.assets {
        // Browsers without XSLT run this script, which renders the feed as a page;
        // feed readers ignore elements of a namespace they do not know.
        channel
            .namespaces
            .insert("xhtml".into(), super::XHTML_NS.into());
        let script = Extension {
            name: "xhtml:script".into(),
            attrs: [("src".to_string(), format!("{root}feed.js"))].into(),
            ..Default::default()
        };
        channel
            .extensions
            .entry("xhtml".into())
            .or_default()
            .insert("script".into(), vec![script]);
    }
    channel
}

pub(crate) fn serialise(channel: &Channel, file: &str) -> Result<Vec<u8>, Error> {
    channel.write_to(Vec::new()).map_err(|e| Error::Feed {
        what: file.to_string(),
        message: e.to_string(),
    })
}

/// Serialises `feed` as RSS 2.0.
pub(crate) fn write(feed: &Feed<'_>) -> Result<Vec<u8>, Error> {
    serialise(&channel(feed), &feed.info.file)
}
