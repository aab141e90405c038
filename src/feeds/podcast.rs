//! The podcast feed: RSS 2.0 with the Apple Podcasts (`itunes:`) and
//! Podcasting 2.0 (`podcast:`) namespaces.
//!
//! The `rss` crate's typed iTunes extension covers most tags; `itunes:type`,
//! `itunes:title` and the `podcast:` namespace go through its generic
//! extension map.

use std::collections::BTreeMap;

use ::rss::extension::itunes::{
    ITunesCategory, ITunesChannelExtension, ITunesItemExtension, ITunesOwner,
};
use ::rss::extension::Extension;

use super::{Entry, Feed};
use crate::config::PodcastConfig;
use crate::error::Error;

pub(crate) const FILE: &str = "podcast.xml";
pub(crate) const PODCAST_NS: &str = "https://podcastindex.org/namespace/1.0";
const ITUNES_NS: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";

use crate::content::record::podcast_guid;

fn category(text: &str) -> ITunesCategory {
    let (top, sub) = crate::config::podcast::split_category(text);
    ITunesCategory {
        text: top.to_string(),
        subcategory: sub.map(|s| {
            Box::new(ITunesCategory {
                text: s.to_string(),
                subcategory: None,
            })
        }),
    }
}

fn extension(name: &str, value: Option<String>, attrs: &[(&str, &str)]) -> Extension {
    Extension {
        name: name.to_string(),
        value,
        attrs: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        children: BTreeMap::new(),
    }
}

fn add(map: &mut ::rss::extension::ExtensionMap, prefix: &str, ext: Extension) {
    let local = ext
        .name
        .split_once(':')
        .map_or(ext.name.clone(), |(_, l)| l.to_string());
    map.entry(prefix.to_string())
        .or_default()
        .entry(local)
        .or_default()
        .push(ext);
}

fn yes_no(value: bool) -> String {
    if value { "true" } else { "false" }.to_string()
}

fn item(entry: &Entry, show: &PodcastConfig) -> ::rss::Item {
    let mut item = super::rss::item(entry, None);
    let Some(episode) = &entry.post.episode else {
        return item;
    };
    item.itunes_ext = Some(ITunesItemExtension {
        author: entry
            .authors
            .first()
            .map(|a| a.name.clone())
            .or_else(|| Some(show.author.clone())),
        duration: episode.duration.clone(),
        explicit: Some(yes_no(episode.explicit.unwrap_or(show.explicit))),
        image: episode.image.clone(),
        episode: episode.episode.map(|n| n.to_string()),
        season: episode.season.map(|n| n.to_string()),
        episode_type: episode.episode_type.clone(),
        summary: entry.summary.clone(),
        ..Default::default()
    });
    add(
        &mut item.extensions,
        "itunes",
        extension("itunes:title", Some(entry.title.clone()), &[]),
    );
    // Podcasting 2.0 numbers beside Apple's: apps of the Podcast Index read these.
    if let Some(season) = episode.season {
        add(
            &mut item.extensions,
            "podcast",
            extension("podcast:season", Some(season.to_string()), &[]),
        );
    }
    if let Some(number) = episode.episode {
        add(
            &mut item.extensions,
            "podcast",
            extension("podcast:episode", Some(number.to_string()), &[]),
        );
    }
    if let Some(chapters) = &episode.chapters {
        add(
            &mut item.extensions,
            "podcast",
            extension(
                "podcast:chapters",
                None,
                &[("url", chapters), ("type", "application/json+chapters")],
            ),
        );
    }
    for bite in &episode.soundbites {
        add(
            &mut item.extensions,
            "podcast",
            extension(
                "podcast:soundbite",
                bite.title.clone(),
                &[("startTime", &bite.start), ("duration", &bite.duration)],
            ),
        );
    }
    // The episode's authors host it; the keys `guest_keys` names list guests.
    let guests = show
        .guest_keys
        .iter()
        .flat_map(|key| match entry.post.details().extra.get(key) {
            Some(serde_json::Value::String(name)) => vec![name.clone()],
            Some(serde_json::Value::Array(names)) => names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        });
    let people = entry
        .authors
        .iter()
        .map(|a| ("host", a.name.clone()))
        .chain(guests.map(|name| ("guest", name)))
        .filter(|(_, name)| !name.trim().is_empty());
    for (role, name) in people {
        add(
            &mut item.extensions,
            "podcast",
            extension(
                "podcast:person",
                Some(crate::text::xml_safe(name.trim()).into_owned()),
                &[("role", role)],
            ),
        );
    }
    if let Some(transcript) = &episode.transcript {
        add(
            &mut item.extensions,
            "podcast",
            extension(
                "podcast:transcript",
                None,
                &[("url", &transcript.url), ("type", &transcript.mime_type)],
            ),
        );
    }
    item
}

/// A trailer episode is also the show's `podcast:trailer`.
fn add_trailers(extensions: &mut ::rss::extension::ExtensionMap, feed: &Feed<'_>) {
    for entry in &feed.entries {
        let Some(episode) = entry.post.episode.as_ref() else {
            continue;
        };
        if episode.episode_type.as_deref() == Some("trailer") {
            let pubdate = entry.date.to_rfc2822();
            let length = episode.length.to_string();
            let season = episode.season.map(|s| s.to_string());
            let mut attributes = vec![
                ("pubdate", pubdate.as_str()),
                ("url", episode.url.as_str()),
                ("length", length.as_str()),
                ("type", episode.mime_type.as_str()),
            ];
            // The namespace: a trailer of one season names it.
            if let Some(season) = &season {
                attributes.push(("season", season));
            }
            add(
                extensions,
                "podcast",
                extension("podcast:trailer", Some(entry.title.clone()), &attributes),
            );
        }
    }
}

/// The show's `podcast:person` elements.
fn add_people(extensions: &mut ::rss::extension::ExtensionMap, show: &PodcastConfig) {
    for person in &show.people {
        let mut attributes = vec![("role", person.role.as_str())];
        if let Some(href) = &person.href {
            attributes.push(("href", href));
        }
        if let Some(img) = &person.img {
            attributes.push(("img", img));
        }
        add(
            extensions,
            "podcast",
            extension(
                "podcast:person",
                Some(crate::text::xml_safe(person.name.trim()).into_owned()),
                &attributes,
            ),
        );
    }
}

/// Serialises the podcast feed.
/// `recorded` is the guid the publication record keeps for the show.
pub(crate) fn write(
    feed: &Feed<'_>,
    show: &PodcastConfig,
    recorded: Option<&str>,
) -> Result<Vec<u8>, Error> {
    let mut channel = super::rss::channel(feed);
    channel.items = feed.entries.iter().map(|e| item(e, show)).collect();
    channel.copyright = show.copyright.clone();
    channel.image = None;
    channel.itunes_ext = Some(ITunesChannelExtension {
        author: Some(show.author.clone()),
        categories: show.categories.iter().map(|c| category(c)).collect(),
        image: Some(show.image.clone()),
        explicit: Some(yes_no(show.explicit)),
        owner: Some(ITunesOwner {
            name: Some(show.owner.name.clone()),
            email: show.owner.email.clone(),
        }),
        summary: Some(feed.info.description.clone()),
        ..Default::default()
    });
    channel.namespaces.insert("itunes".into(), ITUNES_NS.into());
    channel
        .namespaces
        .insert("podcast".into(), PODCAST_NS.into());
    add(
        &mut channel.extensions,
        "itunes",
        extension("itunes:type", Some(show.show_type.as_str().into()), &[]),
    );
    add(
        &mut channel.extensions,
        "podcast",
        extension("podcast:medium", Some(show.medium.clone()), &[]),
    );
    if let Some(license) = &show.license {
        add(
            &mut channel.extensions,
            "podcast",
            extension("podcast:license", Some(license.clone()), &[]),
        );
    }
    for funding in &show.funding {
        add(
            &mut channel.extensions,
            "podcast",
            extension(
                "podcast:funding",
                Some(funding.text.clone()),
                &[("url", &funding.url)],
            ),
        );
    }
    add_trailers(&mut channel.extensions, feed);
    add_people(&mut channel.extensions, show);
    if let Some(moved) = &show.new_feed_url {
        add(
            &mut channel.extensions,
            "itunes",
            extension("itunes:new-feed-url", Some(moved.clone()), &[]),
        );
    }
    // Given, the show keeps the identity it had elsewhere; else the one the
    // publication record keeps from the first build (so a moved feed keeps
    // it); else the namespace's UUIDv5 of this feed's URL.
    let guid = show
        .guid
        .clone()
        .or_else(|| recorded.map(str::to_string))
        .unwrap_or_else(|| podcast_guid(&feed.info.self_url).to_string());
    add(
        &mut channel.extensions,
        "podcast",
        extension("podcast:guid", Some(guid), &[]),
    );
    let owner = show.owner.email.clone().unwrap_or_default();
    add(
        &mut channel.extensions,
        "podcast",
        extension(
            "podcast:locked",
            Some(if show.locked { "yes" } else { "no" }.into()),
            &[("owner", &owner)],
        ),
    );
    super::rss::serialise(&channel, &feed.info.file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_follows_the_podcasting_2_0_example() {
        // The example from the podcast namespace documentation.
        assert_eq!(
            podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml").to_string(),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810"
        );
        assert_eq!(
            podcast_guid("http://mp3s.nashownotes.com/pc20rss.xml/"),
            podcast_guid("mp3s.nashownotes.com/pc20rss.xml")
        );
    }
}
