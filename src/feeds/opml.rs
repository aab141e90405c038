//! `feeds.opml`: every feed of the site in one OPML 2.0 file, which feed
//! readers import to subscribe to all of them at once.
//!
//! One outline per feed, not per format: a reader importing RSS, Atom and
//! JSON Feed of one feed would show every post three times. RSS is listed
//! where written (every reader takes it), else Atom, else JSON Feed; the
//! podcast feed and the per-tag feeds (under one "Tags" outline) follow.

use super::FeedLink;
use crate::config::Config;
use crate::render::templates::escape_html as escape;

/// The file, in the output folder.
pub(crate) const FILE: &str = "feeds.opml";

/// The preferred format among those a feed was written in.
fn rank(kind: &str) -> usize {
    match kind {
        "RSS" => 0,
        "Atom" => 1,
        _ => 2,
    }
}

/// One link per feed (site-wide, podcast, each tag), in the page's order.
fn one_per_feed(links: &[FeedLink]) -> Vec<&FeedLink> {
    let mut chosen: Vec<&FeedLink> = Vec::new();
    for link in links {
        match chosen.iter_mut().find(|c| c.same_feed(link)) {
            Some(existing) if rank(link.kind) < rank(existing.kind) => *existing = link,
            Some(_) => {}
            None => chosen.push(link),
        }
    }
    chosen
}

fn outline(link: &FeedLink, home: &str, indent: &str) -> String {
    // The podcast often shares the site's title: say which is which.
    let title = if link.podcast {
        format!("{} (podcast)", link.title)
    } else {
        link.title.clone()
    };
    format!(
        "{indent}<outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{url}\" htmlUrl=\"{home}\"/>\n",
        title = escape(&title),
        url = escape(&link.url),
        home = escape(home),
    )
}

/// The OPML document for the site's feeds.
pub(crate) fn write(config: &Config, links: &[FeedLink]) -> Vec<u8> {
    let home = config.base_url.as_str();
    let feeds = one_per_feed(links);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n<head>\n",
    );
    out.push_str(&format!(
        "<title>{}</title>\n",
        escape(&crate::text::xml_safe(&config.title))
    ));
    if let Some(author) = &config.author {
        out.push_str(&format!(
            "<ownerName>{}</ownerName>\n",
            escape(&author.name)
        ));
    }
    out.push_str("</head>\n<body>\n");
    for link in feeds.iter().filter(|l| l.of_site()) {
        out.push_str(&outline(link, home, ""));
    }
    let mut groups = vec![
        (
            "Tags".to_string(),
            feeds.iter().filter(|l| l.tag.is_some()).collect::<Vec<_>>(),
        ),
        (
            "Categories".into(),
            feeds
                .iter()
                .filter(|l| l.posts_category().is_some())
                .collect(),
        ),
        (
            "Sections".into(),
            feeds.iter().filter(|l| l.section.is_some()).collect(),
        ),
    ];
    for taxonomy in &config.feeds.per_taxonomy {
        groups.push((
            crate::text::capitalize(taxonomy),
            feeds
                .iter()
                .filter(|l| l.taxonomy.as_ref() == Some(taxonomy))
                .collect(),
        ));
    }
    groups.push((
        "Collections".into(),
        feeds.iter().filter(|l| l.collection.is_some()).collect(),
    ));
    for (group, links) in groups {
        if links.is_empty() {
            continue;
        }
        let group = escape(&group);
        out.push_str(&format!("<outline text=\"{group}\" title=\"{group}\">\n"));
        for link in links {
            out.push_str(&outline(link, home, "  "));
        }
        out.push_str("</outline>\n");
    }
    out.push_str("</body>\n</opml>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(kind: &'static str, tag: Option<&str>) -> FeedLink {
        FeedLink::new(
            format!("T & {kind}"),
            (kind, "application/rss+xml"),
            format!("https://e.org/{kind}?a=1&b=2"),
            tag.map(super::super::Group::Tag),
        )
    }

    #[test]
    fn one_outline_per_feed_in_the_preferred_format() {
        let links = [
            link("JSON Feed", None),
            link("Atom", None),
            link("RSS", None),
            link("Atom", Some("rust")),
            link("JSON Feed", Some("rust")),
        ];
        let chosen = one_per_feed(&links);
        let kinds: Vec<&str> = chosen.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, ["RSS", "Atom"]);
    }
}
