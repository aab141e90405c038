//! Turning a post into the HTML and text that outputs carry.

pub mod generator_syntax;
pub mod html_body;
pub mod jekyll_link;
pub mod markdown;
pub mod sanitize;
pub mod strings;
pub mod templates;
pub mod urls;
pub mod zola_shortcodes;

use serde::Serialize;
use url::Url;

use crate::config::{Config, Person};
use crate::text;

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

/// A post's Markdown as every output starts from it: the body with the
/// generator's shortcodes resolved, the line it starts on, the summary
/// (written, else cut from the body), and warnings about the body.
pub(crate) struct PostText {
    pub(crate) body: String,
    /// What HTML shortcodes gave, for the placeholders in `body`.
    pub(crate) shortcode_html: Vec<String>,
    pub(crate) body_line: usize,
    pub(crate) summary: Option<String>,
    pub(crate) warnings: Vec<crate::error::Diagnostic>,
    /// Written in HTML, which the generators publish as it is.
    pub(crate) is_html: bool,
}

impl PostText {
    /// The body as HTML, with what its shortcodes gave in place.
    pub(crate) fn html(&self, smart_punctuation: bool) -> String {
        let html = match self.is_html {
            true => std::borrow::Cow::Borrowed(self.body.as_str()),
            false => markdown::to_html(&self.body, smart_punctuation).into(),
        };
        zola_shortcodes::fill(&html, &self.shortcode_html)
    }
}

/// Reads and prepares a post's text; with `need_body` false and a written
/// summary the file is not read again.
pub(crate) fn post_text(
    post: &crate::content::Post,
    config: &Config,
    resolver: &generator_syntax::Resolver,
    need_body: bool,
) -> Result<PostText, crate::error::Diagnostic> {
    let (body, body_line) = match (need_body, &post.details().summary) {
        (false, Some(_)) => (String::new(), 1),
        _ => post.body_with_line()?,
    };
    let resolved = generator_syntax::resolve(post, &body, body_line, resolver);
    let is_html = html_body::is_html(&post.path);
    let summary = post
        .details()
        .summary
        .clone()
        .or_else(|| {
            // Only a body with shortcode output has placeholders to drop.
            let body = match resolved.html.is_empty() {
                true => resolved.text.as_str().into(),
                false => zola_shortcodes::without_placeholders(&resolved.text),
            };
            match is_html {
                true => html_body::excerpt(&body, config.feeds.summary_length),
                false => {
                    markdown::excerpt(&body, config.feeds.summary_length, config.smart_punctuation)
                }
            }
        })
        .map(|s| text::xml_safe(&s).into_owned());
    let warnings = resolved.warnings;
    Ok(PostText {
        body: resolved.text,
        shortcode_html: resolved.html,
        body_line,
        summary,
        warnings,
        is_html,
    })
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
