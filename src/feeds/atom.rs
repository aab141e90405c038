//! Atom 1.0 (RFC 4287).

use atom_syndication::{
    Category, Content, Entry as AtomEntry, Feed as AtomFeed, Generator, Link, Person as AtomPerson,
    Text, WriteConfig,
};
use url::Url;

use super::{Entry, Feed};
use crate::config::Person;
use crate::error::Error;

fn person(p: &Person) -> AtomPerson {
    AtomPerson {
        name: p.name.clone(),
        email: p.email.clone(),
        uri: p.url.clone(),
        ..Default::default()
    }
}

fn link(href: &str, rel: &str, mime_type: Option<&str>) -> Link {
    Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime_type.map(str::to_string),
        ..Default::default()
    }
}

/// Atom ids must be IRIs. A post's explicit `id: post-42` is not one, so it
/// is placed under a URN that never changes as long as the id does not.
pub(crate) fn atom_id(id: &str, base: &str) -> String {
    if Url::parse(id).is_ok() {
        return id.to_string();
    }
    let host = Url::parse(base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let encoded = percent_encoding::utf8_percent_encode(id, crate::paths::SEGMENT);
    format!("urn:gazette:{host}:{encoded}")
}

/// An entry; `fallback_author` (the site's) stands in for a post without
/// its own, on the entry itself: RFC 4287 lets the feed's author cover it,
/// but newsboat, rss-parser and others then show none.
fn entry(entry: &Entry, base: &str, fallback_author: Option<&Person>) -> AtomEntry {
    let post = &entry.post;
    let mut links = vec![link(&entry.link, "alternate", Some("text/html"))];
    if let Some(external) = &post.details().external_url {
        links.push(link(external, "related", None));
    }
    // RFC 4287 4.2.7.2: an episode's audio, with its type and size.
    if let Some(episode) = &post.episode {
        links.push(Link {
            length: Some(episode.length.to_string()),
            ..link(&episode.url, "enclosure", Some(&episode.mime_type))
        });
    }
    AtomEntry {
        title: Text::plain(entry.title.clone()),
        id: atom_id(&post.id, base),
        updated: entry.updated,
        published: Some(entry.date),
        authors: if entry.authors.is_empty() {
            fallback_author.into_iter().map(person).collect()
        } else {
            entry.authors.iter().map(person).collect()
        },
        links,
        summary: entry.summary.clone().map(Text::plain),
        content: entry.content_html.clone().map(|html| Content {
            value: Some(html),
            content_type: Some("html".to_string()),
            ..Default::default()
        }),
        categories: entry
            .tags
            .iter()
            .map(|tag| Category {
                term: tag.clone(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// Serialises `feed` as Atom 1.0.
pub(crate) fn write(feed: &Feed<'_>) -> Result<Vec<u8>, Error> {
    let info = &feed.info;
    // RFC 4287 requires an author on every entry, directly or from the feed;
    // the feed-level one is the fallback for entries without their own.
    let author = info.author.clone().unwrap_or_else(|| Person {
        name: info.title.clone(),
        email: None,
        url: Some(info.home_url.clone()),
    });
    // An empty feed still needs an `updated`; the epoch keeps it deterministic.
    let updated = feed.updated().unwrap_or_default();
    let mut atom = AtomFeed {
        title: Text::plain(info.title.clone()),
        id: info.self_url.clone(),
        updated,
        authors: vec![person(&author)],
        generator: Some(Generator {
            value: "gazette".to_string(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
        links: [
            link(&info.self_url, "self", Some("application/atom+xml")),
            link(&info.home_url, "alternate", Some("text/html")),
        ]
        .into_iter()
        .chain(info.hubs.iter().map(|hub| link(hub, "hub", None)))
        .chain(
            info.history
                .iter()
                .map(|(rel, href)| link(href, rel, Some("application/atom+xml"))),
        )
        .collect(),
        subtitle: (!info.description.is_empty()).then(|| Text::plain(info.description.clone())),
        lang: Some(info.language.clone()),
        entries: feed
            .entries
            .iter()
            .map(|e| entry(e, &info.home_url, info.author.as_ref()))
            .collect(),
        ..Default::default()
    };
    if info.archive {
        // RFC 5005 section 4: an archive document says it is one.
        atom.namespaces
            .insert("fh".into(), super::HISTORY_NS.into());
        atom.extensions.entry("fh".into()).or_default().insert(
            "archive".into(),
            vec![atom_syndication::extension::Extension {
                name: "fh:archive".into(),
                ..Default::default()
            }],
        );
    }
    if info.assets.is_some() {
        atom.namespaces
            .insert("xhtml".into(), super::XHTML_NS.into());
    }
    // Our own declaration, the same as the RSS writer's, so both name their
    // encoding and the stylesheet instruction goes in the same place.
    let declaration = br#"<?xml version="1.0" encoding="utf-8"?>"#.to_vec();
    let config = WriteConfig {
        write_document_declaration: false,
        ..WriteConfig::default()
    };
    let xml = atom
        .write_with_config(declaration, config)
        .map_err(|e| Error::Feed {
            what: info.file.clone(),
            message: e.to_string(),
        })?;
    Ok(match &info.assets {
        Some(root) => with_script_before_entries(xml, root),
        None => xml,
    })
}

/// See rss.rs: the script renders the feed where XSLT is gone. RFC 4287's
/// schema allows extension elements in a feed only before its entries, and
/// the writer puts them last, so the element is placed here; the script
/// waits for the whole document before it runs.
fn with_script_before_entries(xml: Vec<u8>, root: &str) -> Vec<u8> {
    let script = format!(
        "<xhtml:script src=\"{}\"></xhtml:script>",
        html_escape::encode_double_quoted_attribute(&format!("{root}feed.js"))
    );
    let at = find(&xml, b"<entry")
        .or_else(|| find(&xml, b"</feed>"))
        .unwrap_or(xml.len());
    let mut out = Vec::with_capacity(xml.len() + script.len());
    out.extend_from_slice(&xml[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&xml[at..]);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_iris() {
        assert_eq!(
            atom_id("https://e.org/p/", "https://e.org/"),
            "https://e.org/p/"
        );
        assert_eq!(
            atom_id("post 42", "https://e.org/"),
            "urn:gazette:e.org:post%2042"
        );
    }
}
