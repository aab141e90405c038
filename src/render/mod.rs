//! Turning a post into the HTML and text that outputs carry.

pub mod generator_syntax;
pub mod markdown;
pub mod sanitize;
pub mod strings;
pub mod templates;
pub mod text;
pub mod urls;

use serde::Serialize;
use url::Url;

use crate::config::{Config, Person};

/// Finishes a post's HTML for readers, the same for feeds and e-mails:
/// active content removed (unless `iframe_hosts` is `None`, which only feeds
/// with `sanitize = false` ask for), links made absolute against `base`, and
/// characters XML forbids dropped. Sanitising comes first, so markup it
/// unwraps (such as `<noscript>`) gets absolute links too.
pub fn finish_html(
    html: &str,
    base: &Url,
    iframe_hosts: Option<&[String]>,
) -> (String, sanitize::Removed) {
    let (clean, removed) = match iframe_hosts {
        Some(hosts) => sanitize::clean(html, hosts),
        None => (html.to_string(), sanitize::Removed::default()),
    };
    let absolute = urls::absolutize(&clean, base);
    (text::xml_safe(&absolute).into_owned(), removed)
}

/// The site-wide context templates get as `site`.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    pub author: Option<&'a Person>,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a Config) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: config.base_url.as_str(),
            language: &config.language,
            author: config.author.as_ref(),
        }
    }
}
