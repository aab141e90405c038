//! The subscription page, `index.html`: every feed with its address, a copy
//! button and "open in" links, the latest posts, and autodiscovery tags.

use serde::Serialize;

use super::{FeedLink, Rendered};
use crate::config::Config;
use crate::error::Error;
use crate::render::templates::Templates;
use crate::render::SiteView;
use crate::text;

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
    context.insert("taxonomies", &config.feeds.per_taxonomy);
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
