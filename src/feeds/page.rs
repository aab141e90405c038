//! The subscription page, `index.html`: the site's feeds with their
//! addresses, copy buttons and "open in" links (and autodiscovery tags),
//! the latest posts, and tables of the feeds per tag, category, section
//! and taxonomy term.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use super::{FeedLink, Rendered};
use crate::config::Config;
use crate::error::Error;
use crate::render::templates::Templates;
use crate::render::{strings, SiteView};
use crate::text;

/// One table of the page: the feeds of each tag, category or section, or
/// of each term of one of `per_taxonomy`, a row per name.
#[derive(Serialize)]
struct GroupView<'a> {
    heading: String,
    help: String,
    column: String,
    rows: Vec<RowView<'a>>,
}

/// A name's feeds, one per format.
#[derive(Serialize)]
struct RowView<'a> {
    name: Cow<'a, str>,
    feeds: Vec<&'a FeedLink>,
}

/// The page's tables: the feeds per tag, per category, per section and per
/// term of each of `per_taxonomy`, rows in the order the feeds are
/// planned; a kind without feeds has no table.
fn feed_groups<'a>(config: &Config, links: &'a [FeedLink]) -> Vec<GroupView<'a>> {
    let text = |key: &str, taxonomy: &str| {
        let arg = |name: &str| (name == "taxonomy").then(|| Cow::Owned(taxonomy.to_string()));
        strings::lookup(&config.language, key, arg).unwrap_or_default()
    };
    type NameOf = fn(&FeedLink) -> Option<Cow<'_, str>>;
    let kinds: [(&str, NameOf); 4] = [
        ("tag", |link| link.tag.as_deref().map(Cow::Borrowed)),
        // A collection's categories are among the collections, as
        // `recipes / breakfast`.
        ("category", |link| link.posts_category().map(Cow::Borrowed)),
        ("section", |link| link.section.as_deref().map(Cow::Borrowed)),
        ("collection", |link| {
            let collection = link.collection.as_deref()?;
            Some(match &link.category {
                None => Cow::Borrowed(collection),
                Some(category) => Cow::Owned(format!("{collection} / {category}")),
            })
        }),
    ];
    let mut groups = Vec::new();
    let mut add =
        |heading, help, column, names: &mut dyn Iterator<Item = (Cow<'a, str>, &'a FeedLink)>| {
            let mut rows: Vec<RowView<'a>> = Vec::new();
            let mut row_of: HashMap<Cow<'a, str>, usize> = HashMap::new();
            for (name, link) in names {
                match row_of.get(&name) {
                    Some(&row) => rows[row].feeds.push(link),
                    None => {
                        row_of.insert(name.clone(), rows.len());
                        rows.push(RowView {
                            name,
                            feeds: vec![link],
                        });
                    }
                }
            }
            if !rows.is_empty() {
                groups.push(GroupView {
                    heading,
                    help,
                    column,
                    rows,
                });
            }
        };
    for (kind, name_of) in kinds {
        add(
            text(&format!("feeds_by_{kind}"), ""),
            text(&format!("{kind}_help"), ""),
            text(kind, ""),
            &mut links.iter().filter_map(|link| Some((name_of(link)?, link))),
        );
    }
    for taxonomy in &config.feeds.per_taxonomy {
        add(
            text("feeds_by_taxonomy", taxonomy),
            text("taxonomy_help", taxonomy),
            crate::text::capitalize(taxonomy),
            &mut links
                .iter()
                .filter(|link| link.taxonomy.as_ref() == Some(taxonomy))
                .filter_map(|link| Some((Cow::Borrowed(link.term.as_deref()?), link))),
        );
    }
    groups
}

#[derive(Serialize)]
struct PodcastView<'a> {
    title: &'a str,
    image: &'a str,
}

/// Renders the page from the feeds that were rendered.
pub(crate) fn render(
    config: &Config,
    templates: &Templates,
    rendered: &Rendered,
) -> Result<Vec<u8>, Error> {
    let podcast = config.podcast.as_ref().map(|show| PodcastView {
        title: show.title.as_deref().unwrap_or(&config.title),
        image: &show.image,
    });
    let image = config
        .image
        .as_deref()
        .or(podcast.as_ref().map(|p| p.image));
    let feeds: Vec<&FeedLink> = rendered.links.iter().collect();
    let mut context = tera::Context::new();
    context.insert("lang", &config.language);
    context.insert("site", &SiteView::new(config));
    context.insert("image", &image);
    context.insert("podcast", &podcast);
    context.insert("feeds", &feeds);
    let site_feeds: Vec<&FeedLink> = feeds.iter().copied().filter(|l| l.of_site()).collect();
    context.insert("site_feeds", &site_feeds);
    context.insert("feed_groups", &feed_groups(config, &rendered.links));
    context.insert("latest", &rendered.latest);
    context.insert(
        "opml_url",
        config.output_url(crate::feeds::opml::FILE).as_str(),
    );
    // The e-mail sign-up form, where `gazette serve` answers it.
    let signup_url = config
        .serve
        .as_ref()
        .filter(|_| config.digest.is_some())
        .map(|serve| serve.endpoint(&serve.subscribe_path));
    context.insert("signup_url", &signup_url);
    let html = templates.render("index.html", &context)?;
    Ok(text::xml_safe(&html).into_owned().into_bytes())
}
