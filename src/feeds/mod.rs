//! Feeds: which posts each feed holds, the entries they share, and writing
//! every configured format.
//!
//! Each post that some feed contains is rendered once, however many feeds
//! (site-wide and per tag) list it; posts no feed contains are never rendered.

pub mod atom;
pub mod json;
pub mod rss;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Format, Person};
use crate::content::{Post, Site};
use crate::error::Error;
use crate::render::templates::Templates;
use crate::render::{markdown, text, urls};

/// One post as every feed format shows it, with all text made XML-safe.
#[derive(Debug)]
pub struct Entry<'a> {
    pub post: &'a Post,
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub updated: DateTime<FixedOffset>,
    pub summary: Option<String>,
    /// Absent when the site publishes summaries only.
    pub content_html: Option<String>,
    pub authors: Vec<Person>,
    pub tags: Vec<String>,
}

/// What a feed says about itself.
#[derive(Debug, Clone)]
pub struct FeedInfo {
    pub title: String,
    pub description: String,
    pub home_url: String,
    /// Path inside the output folder, e.g. `tags/rust.xml`.
    pub file: String,
    pub self_url: String,
    pub language: String,
    pub author: Option<Person>,
}

/// One feed in one format, ready to serialise.
pub struct Feed<'a> {
    pub info: FeedInfo,
    /// Newest first.
    pub entries: Vec<&'a Entry<'a>>,
}

impl Feed<'_> {
    /// The feed's last change is its newest entry's, never the build time,
    /// so rebuilding unchanged content gives byte-identical files.
    pub fn updated(&self) -> Option<DateTime<FixedOffset>> {
        self.entries.iter().map(|e| e.updated).max()
    }
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

/// A tag as a file name: lower case, letters and digits of any script kept,
/// everything else a single `-`. Tags that differ only in case or
/// punctuation share one feed.
pub fn tag_slug(tag: &str) -> String {
    let mut slug = String::with_capacity(tag.len());
    for c in tag.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The posts of each feed: the site feed first, then one per tag.
struct Selection<'a> {
    site: Vec<&'a Post>,
    /// tag slug → (display name, posts)
    tags: BTreeMap<String, (String, Vec<&'a Post>)>,
}

fn select<'a>(config: &Config, site: &'a Site, now: DateTime<Utc>) -> Selection<'a> {
    let all = site.feed_posts(now);
    let limit = |posts: &mut Vec<&Post>| {
        if config.feeds.limit > 0 {
            posts.truncate(config.feeds.limit);
        }
    };
    let mut tags: BTreeMap<String, (String, Vec<&Post>)> = BTreeMap::new();
    if config.feeds.per_tag {
        for &post in &all {
            for tag in &post.tags {
                let slug = tag_slug(tag);
                if slug.is_empty() {
                    continue;
                }
                let (_, posts) = tags
                    .entry(slug)
                    .or_insert_with(|| (tag.clone(), Vec::new()));
                if !posts.iter().any(|p| std::ptr::eq(*p, post)) {
                    posts.push(post);
                }
            }
        }
        for (_, posts) in tags.values_mut() {
            limit(posts);
        }
    }
    let mut site_posts = all;
    limit(&mut site_posts);
    Selection {
        site: site_posts,
        tags,
    }
}

/// Renders one post's entry: Markdown, the entry template, absolute URLs,
/// XML-safe text.
fn entry<'a>(config: &Config, templates: &Templates, post: &'a Post) -> Result<Entry<'a>, Error> {
    let date = post.date.ok_or_else(|| Error::Feed {
        what: post.path.display().to_string(),
        message: "a published post has no date".into(),
    })?;
    let summary = post
        .summary
        .clone()
        .or_else(|| markdown::excerpt(&post.body, config.feeds.summary_length))
        .map(|s| text::xml_safe(&s).into_owned());
    let content_html = if config.feeds.full_content {
        let mut context = tera::Context::new();
        context.insert("post", post);
        context.insert("content", &markdown::to_html(&post.body));
        context.insert("site", &SiteView::new(config));
        let html = templates.render("feed_entry.html", &context)?;
        let html = urls::absolutize(&html, &post.url);
        Some(text::xml_safe(&html).into_owned())
    } else {
        None
    };
    let safe_person = |p: &Person| Person {
        name: text::xml_safe(&p.name).into_owned(),
        email: p.email.as_deref().map(|e| text::xml_safe(e).into_owned()),
        url: p.url.as_deref().map(|u| text::xml_safe(u).into_owned()),
    };
    Ok(Entry {
        post,
        title: text::xml_safe(&post.title).into_owned(),
        date,
        updated: post.updated_or_date().unwrap_or(date),
        summary,
        content_html,
        authors: post.authors.iter().map(safe_person).collect(),
        tags: post
            .tags
            .iter()
            .map(|t| text::xml_safe(t).into_owned())
            .collect(),
    })
}

/// Every feed file of the site as `(path in output folder, bytes)`.
pub fn render_all(
    config: &Config,
    templates: &Templates,
    site: &Site,
    now: DateTime<Utc>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let selection = select(config, site, now);

    let mut needed: Vec<&Post> = selection.site.clone();
    for (_, posts) in selection.tags.values() {
        needed.extend(posts.iter().copied());
    }
    needed.sort_by(|a, b| a.id.cmp(&b.id));
    needed.dedup_by(|a, b| a.id == b.id);
    let entries: Vec<Entry> = needed
        .par_iter()
        .map(|post| entry(config, templates, post))
        .collect::<Result<_, _>>()?;
    let by_id: HashMap<&str, &Entry> = entries.iter().map(|e| (e.post.id.as_str(), e)).collect();
    let pick =
        |posts: &[&Post]| -> Vec<&Entry> { posts.iter().map(|p| by_id[p.id.as_str()]).collect() };

    let info = |title: String, description: String, file: String| FeedInfo {
        title: text::xml_safe(&title).into_owned(),
        description: text::xml_safe(&description).into_owned(),
        home_url: config.base_url.to_string(),
        self_url: config.output_url(&file).to_string(),
        file,
        language: config.language.clone(),
        author: config.author.clone(),
    };

    let mut files = Vec::new();
    for &format in &config.feeds.formats {
        let stem_file = |stem: &str| match format {
            Format::Rss => format!("{stem}.xml"),
            Format::Atom => format!("{stem}.atom.xml"),
            Format::Json => format!("{stem}.json"),
        };
        let site_file = match format {
            Format::Rss => "rss.xml".to_string(),
            Format::Atom => "atom.xml".to_string(),
            Format::Json => "feed.json".to_string(),
        };
        let mut feeds = vec![Feed {
            info: info(config.title.clone(), config.description.clone(), site_file),
            entries: pick(&selection.site),
        }];
        for (slug, (name, posts)) in &selection.tags {
            feeds.push(Feed {
                info: info(
                    format!("{} — {name}", config.title),
                    format!("Posts tagged “{name}” on {}", config.title),
                    stem_file(&format!("tags/{slug}")),
                ),
                entries: pick(posts),
            });
        }
        for feed in &feeds {
            let bytes = match format {
                Format::Rss => rss::write(feed)?,
                Format::Atom => atom::write(feed)?,
                Format::Json => json::write(feed)?,
            };
            files.push((feed.info.file.clone(), bytes));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs_are_safe_file_names() {
        assert_eq!(tag_slug("Open Source AI"), "open-source-ai");
        assert_eq!(tag_slug("C++"), "c");
        assert_eq!(tag_slug("../../etc"), "etc");
        assert_eq!(tag_slug("人工智能"), "人工智能");
        assert_eq!(tag_slug("+++"), "");
    }
}
