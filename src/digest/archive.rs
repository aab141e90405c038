//! The archive of what was sent: each digest's common part (never a greeting,
//! an address or a token) as a page under the output folder, an index of
//! them, and an Atom feed of past issues. Messages link to their page
//! ("view in the browser"), so the page is written before the first one goes.

use atom_syndication::{Content, Entry, Feed, Link, Text};
use chrono::{DateTime, FixedOffset};

use super::compose::DigestPost;
use crate::config::Config;
use crate::error::Error;
use crate::ledger::{DigestRecord, Ledger};
use crate::render::templates::Templates;
use crate::render::SiteView;

/// Issues the feed carries, newest first.
const FEED_ISSUES: usize = 50;

/// The page name of a digest: its id (a time, maybe `/N`) in letters a URL
/// and a file system keep as they are.
fn page_name(digest_id: &str) -> String {
    let name: String = digest_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{}.html", name.trim_matches('-'))
}

/// The archive folder's URL, when there is an archive.
fn folder_url(config: &Config) -> Option<String> {
    let archive = &config.digest.as_ref()?.archive;
    (!archive.is_empty()).then(|| format!("{}{archive}/", config.feeds_url))
}

/// Where a digest's page is published, when there is an archive.
pub(crate) fn issue_url(config: &Config, digest_id: &str) -> Option<String> {
    Some(format!("{}{}", folder_url(config)?, page_name(digest_id)))
}

fn local(config: &Config, at: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|d| d.with_timezone(&config.timezone).fixed_offset())
}

fn title(config: &Config, record: &DigestRecord, posts: usize) -> String {
    let date = local(config, &record.created_at)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let key = if posts == 1 {
        "issue_one"
    } else {
        "issue_many"
    };
    crate::render::strings::lookup(&config.language, key, |name| match name {
        "date" => Some(date.clone().into()),
        "count" => Some(posts.to_string().into()),
        _ => None,
    })
    .unwrap_or_default()
}

/// A digest of the archive: its record, posts and what the pages show of it.
type Issue = (DigestRecord, Vec<DigestPost>, serde_json::Value);

/// Writes the pages of the digests `ids`, then the index and the feed of
/// every digest the ledger planned with its posts.
pub(crate) fn publish(
    config: &Config,
    templates: &Templates,
    ledger: &Ledger,
    ids: &[&str],
) -> Result<(), Error> {
    let Some(folder_url) = folder_url(config) else {
        return Ok(());
    };
    let Some(digest) = &config.digest else {
        return Ok(());
    };
    let dir = config.output_dir.join(&digest.archive);
    let index_url = folder_url.clone();
    let feed_url = format!("{folder_url}feed.xml");
    let site = SiteView::new(config);
    let lang = &config.language;
    let shown = |at: &str| {
        local(config, at)
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };

    let mut issues: Vec<Issue> = Vec::new();
    for record in ledger.recent(usize::MAX >> 1)? {
        let posts: Vec<DigestPost> = ledger.planned_posts(&record.id)?;
        if posts.is_empty() {
            continue;
        }
        let url = format!("{folder_url}{}", page_name(&record.id));
        let issue = serde_json::json!({
            "id": record.id,
            "date": record.created_at,
            "title": title(config, &record, posts.len()),
            "url": url,
            "titles": posts.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(),
        });
        if ids.contains(&record.id.as_str()) {
            let mut context = tera::Context::new();
            context.insert("site", &site);
            context.insert("lang", lang);
            context.insert("issue", &issue);
            context.insert("posts", &posts);
            context.insert(
                "period",
                &serde_json::json!({ "since": shown(&record.since), "until": shown(&record.until) }),
            );
            context.insert("index_url", &index_url);
            context.insert("feed_url", &feed_url);
            let html = templates.render("newsletter.html", &context)?;
            crate::output::write(&dir, &page_name(&record.id), html.as_bytes())?;
        }
        issues.push((record, posts, issue));
    }

    let mut context = tera::Context::new();
    context.insert("site", &site);
    context.insert("lang", lang);
    context.insert(
        "issues",
        &issues.iter().map(|(_, _, issue)| issue).collect::<Vec<_>>(),
    );
    context.insert("feed_url", &feed_url);
    let index = templates.render("newsletter_index.html", &context)?;
    crate::output::write(&dir, "index.html", index.as_bytes())?;

    let xml = atom_feed(config, &issues, (&index_url, &feed_url), &dir)?;
    crate::output::write(&dir, "feed.xml", &xml)?;
    Ok(())
}

/// The archive's Atom feed of the newest issues.
fn atom_feed(
    config: &Config,
    issues: &[Issue],
    (index_url, feed_url): (&str, &str),
    dir: &std::path::Path,
) -> Result<Vec<u8>, Error> {
    let link = |href: &str, rel: &str, mime: Option<&str>| Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Default::default()
    };
    let entries: Vec<Entry> = issues
        .iter()
        .take(FEED_ISSUES)
        .filter_map(|(record, posts, issue)| {
            let url = issue["url"].as_str()?.to_string();
            let mut list = String::from("<ul>");
            for post in posts {
                list.push_str(&format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    html_escape::encode_double_quoted_attribute(&post.url),
                    html_escape::encode_text(&post.title)
                ));
            }
            list.push_str("</ul>");
            Some(Entry {
                title: Text::plain(issue["title"].as_str().unwrap_or_default()),
                id: url.clone(),
                updated: local(config, &record.created_at)?,
                links: vec![link(&url, "alternate", Some("text/html"))],
                content: Some(Content {
                    value: Some(list),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            })
        })
        .collect();
    let updated = entries
        .first()
        .map(|e| e.updated)
        .or_else(|| local(config, "1970-01-01T00:00:00Z"))
        .unwrap_or_default();
    let heading = crate::render::strings::lookup(&config.language, "archive_title", |_| None)
        .unwrap_or_default();
    let feed = Feed {
        title: Text::plain(format!("{}: {heading}", config.title)),
        id: index_url.to_string(),
        updated,
        authors: vec![atom_syndication::Person {
            name: config.title.clone(),
            ..Default::default()
        }],
        links: vec![
            link(feed_url, "self", Some("application/atom+xml")),
            link(index_url, "alternate", Some("text/html")),
        ],
        lang: Some(config.language.clone()),
        entries,
        ..Default::default()
    };
    let mut xml = br#"<?xml version="1.0" encoding="utf-8"?>"#.to_vec();
    xml = feed
        .write_with_config(
            xml,
            atom_syndication::WriteConfig {
                write_document_declaration: false,
                ..Default::default()
            },
        )
        .map_err(|e| Error::Feed {
            what: dir.join("feed.xml").display().to_string(),
            message: e.to_string(),
        })?;
    Ok(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_keep_to_letters_digits_and_dashes() {
        assert_eq!(
            page_name("2025-06-02T14:00:00Z"),
            "2025-06-02t14-00-00z.html"
        );
        assert_eq!(
            page_name("2025-06-02T14:00:00Z/2"),
            "2025-06-02t14-00-00z-2.html"
        );
        assert_eq!(page_name("../../etc"), "etc.html");
    }
}
