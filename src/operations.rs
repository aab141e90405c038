//! The site operations besides `build` (`list`, `new`, `init`, `eject`,
//! `record`, the podcast import, `check --against`), each returning what it
//! did as data; the binary decides how to print it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::content::{self, publish};
use crate::error::{Error, Report};
use crate::generators::slugify::Style;
use crate::render::templates;

/// One row of `gazette list`.
#[derive(Debug, Serialize)]
pub struct Listing {
    /// The file concerned.
    pub path: PathBuf,
    /// `published`, `draft`, `scheduled`, `expired` or `error`.
    pub state: &'static str,
    /// The title.
    pub title: Option<String>,
    /// The date, as shown.
    pub date: Option<String>,
    /// The URL.
    pub url: Option<String>,
    /// Why a file is not a post (`skipped`), what failed, or the collection
    /// a document is of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Every post file with its state at `now`, newest first, failures last.
pub fn list(
    config: &Config,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<Vec<Listing>, Error> {
    let site = content::collect(config, now, report)?;
    let mut posts: Vec<_> = site.posts.iter().collect();
    content::sort_for_feeds(config.entry_order, &mut posts);
    let mut documents: Vec<_> = site.documents.iter().collect();
    content::sort_for_feeds(crate::generators::COLLECTION_ORDER, &mut documents);
    let mut rows: Vec<Listing> = posts
        .into_iter()
        .chain(documents)
        .map(|post| Listing {
            path: post.path.clone(),
            state: publish::state(post, now).as_str(),
            title: Some(post.title.clone()),
            date: post.date.map(|d| d.to_rfc3339()),
            url: Some(post.url.to_string()),
            reason: match post.kind {
                crate::generators::FileKind::Document(index) => {
                    config.feeds.collection(index).map(|(name, _)| {
                        format!("a document of the `{name}` collection: in its feed alone")
                    })
                }
                _ if post.held_until.is_some_and(|at| at > now.fixed_offset()) => post
                    .held_until
                    .map(|at| format!("held back until {} (`[fields] scheduled`)", at.to_rfc3339())),
                _ if post.date.is_some_and(crate::dates::is_zero) => Some(
                    "no date: listed at 0001-01-01, as Hugo lists a page without one (give it a `date`, or set `undated = \"leave-out\"`)".into(),
                ),
                _ => None,
            },
        })
        .collect();
    rows.extend(site.skipped.iter().map(|(path, reason)| Listing {
        path: path.clone(),
        state: "skipped",
        title: None,
        date: None,
        url: None,
        reason: Some(reason.clone()),
    }));
    rows.extend(site.failed.iter().map(|path| Listing {
        path: path.clone(),
        state: "error",
        title: None,
        date: None,
        url: None,
        reason: Some("see the errors above".into()),
    }));
    Ok(rows)
}

const INIT_CONFIG: &str = r#"# gazette configuration. Paths are relative to this file.
title = "My site"
description = "Notes and essays"
base_url = "https://example.org/"
language = "en"
timezone = "UTC"
content_dir = "content"
output_dir = "feeds"
permalink = "/posts/{slug}/"

[author]
name = "Your Name"

[feeds]
limit = 20
full_content = true
formats = ["rss", "atom", "json"]
per_tag = false

[fields]
# Which front-matter keys mean what, in order of preference.
date = ["date", "publishDate", "pubDate"]
author = ["author"]

# E-mail digests of new posts: uncomment, fill in, and run `gazette digest`.
# [digest]
# from = "My site <digest@example.org>"
# unsubscribe_url = "https://example.org/unsubscribe?token={token}"
# subscribers = "subscribers.csv"      # a header row with an `email` column
# [smtp]                               # without it, messages go to outbox/
# host = "smtp.example.org"
# port = 587
# tls = "starttls"
# username = "digest@example.org"
# password_env = "GAZETTE_SMTP_PASSWORD"
"#;

/// `gazette new`: a draft post in the site's own front-matter syntax.
pub fn new_post(
    config: &Config,
    title: &str,
    section: Option<&str>,
    now: DateTime<Utc>,
) -> Result<PathBuf, Error> {
    use content::new_post::{path_for, slug_of, uses_toml, FrontMatter};
    let local = now.with_timezone(&config.timezone);
    let day = local.format("%Y-%m-%d").to_string();
    let path = path_for(config, section, &slug_of(title), &day, false)?;
    let mut front = FrontMatter::default();
    front.push("title", title);
    front.push_date("date", local.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    front.push("draft", true);
    content::new_post::write(&path, &front.render(uses_toml(config))?)?;
    Ok(path)
}

/// `gazette templates eject`: the defaults written into the site's
/// templates folder; existing files are kept unless `force`.
pub fn eject_templates(
    config: &Config,
    names: &[String],
    force: bool,
) -> Result<Vec<(PathBuf, bool)>, Error> {
    let all: Vec<&(&str, &str)> = templates::DEFAULTS
        .iter()
        .chain(templates::ASSETS)
        .collect();
    for name in names {
        if !all.iter().any(|(n, _)| n == name) {
            return Err(Error::Usage(format!(
                "no template {name:?}; the templates are {}",
                all.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let mut done = Vec::new();
    for (name, source) in all {
        if !names.is_empty() && !names.iter().any(|n| n == name) {
            continue;
        }
        let path = config.templates_dir.join(name);
        if path.exists() && !force {
            done.push((path, false));
            continue;
        }
        std::fs::create_dir_all(&config.templates_dir)
            .map_err(|e| Error::io(&config.templates_dir, e))?;
        std::fs::write(&path, source).map_err(|e| Error::io(&path, e))?;
        done.push((path, true));
    }
    Ok(done)
}

/// `gazette record --from OLD_FEED`: the publication record seeded with the
/// ids and dates of a feed the site published before, and written.
pub fn record_from(
    config: &Config,
    old_feed: &Path,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<(content::record::Seeded, PathBuf), Error> {
    let old = crate::old_feed::read_old_feed(old_feed)?;
    let mut site = content::collect(config, now, report)?;
    let mut applied = std::mem::take(&mut site.record);
    let seeded = content::record::seed(config, &site.posts, &mut applied, &old, now);
    let path = content::record::write(config, &applied.record)?;
    Ok((seeded, path))
}

/// `gazette import podcast`: the host's show as posts of this site; the ids
/// the site's posts carry already are not imported again.
pub fn import_podcast(
    config: &Config,
    feed: &Path,
    options: crate::import::podcast::Options<'_>,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<crate::import::podcast::Imported, Error> {
    let site = content::collect(config, now, report)?;
    let known: std::collections::HashSet<String> =
        site.posts.iter().map(|p| p.id.clone()).collect();
    crate::import::podcast::import(config, feed, options, &known)
}

/// Which of the site's feeds an old feed is compared with.
#[derive(Debug, Clone, Copy)]
pub enum FeedOf<'a> {
    /// The site's own feed.
    Site,
    /// The feed of one of `[feeds] categories`.
    Category(&'a str),
    /// The feed of a tag (`[feeds] per_tag`).
    Tag(&'a str),
    /// The feed of a section (`[feeds] per_section`).
    Section(&'a str),
    /// The feed of a term of one of `[feeds] per_taxonomy`.
    Term {
        /// One of `per_taxonomy`.
        taxonomy: &'a str,
        /// The term in any spelling, or its feed's file name.
        name: &'a str,
    },
    /// The feed of one of `[feeds.collections]`.
    Collection(&'a str),
    /// The feed of one of a collection's `categories`.
    CollectionCategory {
        /// One of `[feeds.collections]`.
        collection: &'a str,
        /// As written in the collection's `categories`.
        category: &'a str,
    },
}

/// Compares a feed the site published before with what gazette would publish.
pub fn against_old_feed(
    config: &Config,
    site: &content::Site,
    old_feed: &Path,
    feed: FeedOf<'_>,
    now: DateTime<Utc>,
) -> Result<crate::compare::Comparison, Error> {
    let old = crate::old_feed::read_old_feed(old_feed)?;
    // Each kind of feed from the posts its lists hold (Hugo's `build.list`).
    let mut posts = match feed {
        FeedOf::Site => site.feed_posts(now),
        FeedOf::Section(_) => site.section_posts(now),
        _ => site.term_posts(now),
    };
    match feed {
        FeedOf::Site => {}
        FeedOf::Category(name) if config.feeds.per_category => {
            retain_term(&mut posts, name, config.preset.slug_style, |post, is| {
                post.categories.iter().any(|category| is(category))
            });
        }
        FeedOf::Category(name) => {
            // Posts carry their categories only when some feed needs them.
            if !config.feeds.categories.iter().any(|c| c == name) {
                return Err(Error::Usage(format!(
                    "--category {name:?}: not one of `[feeds] categories` in {}; add it there to write and compare its feed",
                    config.file.display()
                )));
            }
            posts.retain(|post| post.in_category(name));
        }
        FeedOf::Tag(name) => {
            if !config.feeds.has_tag_feed(name) {
                return Err(Error::Usage(format!(
                    "--tag {name:?}: {} writes no feed of this tag (see `per_tag`, `per_tag_only` and `per_tag_except` under [feeds])",
                    config.file.display()
                )));
            }
            retain_term(&mut posts, name, config.preset.slug_style, |post, is| {
                post.tags_for_feeds()
                    .iter()
                    .any(|tag| config.feeds.has_tag_feed(tag) && is(tag))
            });
        }
        FeedOf::Section(name) => {
            if !config.feeds.per_section {
                return Err(Error::Usage(format!(
                    "--section {name:?}: {} writes no feeds per section; set `per_section = true` under [feeds]",
                    config.file.display()
                )));
            }
            let wanted = name.trim_matches('/');
            if !config.feeds.has_section_feed(wanted) {
                return Err(Error::Usage(format!(
                    "--section {name:?}: not one of `per_section_only` under [feeds] in {}",
                    config.file.display()
                )));
            }
            retain_section(config, &mut posts, wanted);
        }
        FeedOf::Term { taxonomy, name } => {
            let Some(index) = config.feeds.per_taxonomy.iter().position(|t| t == taxonomy) else {
                return Err(Error::Usage(format!(
                    "--term {taxonomy}={name}: {} writes no feeds of `{taxonomy}`; list it in `per_taxonomy` under [feeds]",
                    config.file.display()
                )));
            };
            retain_term(&mut posts, name, config.preset.slug_style, |post, is| {
                post.terms
                    .get(index)
                    .is_some_and(|terms| terms.iter().any(|t| is(t)))
            });
        }
        FeedOf::Collection(name) => posts = collection_documents(config, site, name, now)?,
        FeedOf::CollectionCategory {
            collection,
            category,
        } => {
            let listed = config.feeds.collections.get(collection);
            if listed.is_some_and(|c| !c.categories.iter().any(|c| c == category)) {
                return Err(Error::Usage(format!(
                    "--category {category:?}: not one of `[feeds.collections.{collection}] categories` in {}",
                    config.file.display()
                )));
            }
            posts = collection_documents(config, site, collection, now)?;
            posts.retain(|document| document.in_category(category));
        }
    }
    let limit = match feed {
        FeedOf::Site => config.feeds.main_limit(),
        FeedOf::Section(name) => config.feeds.section_limit(name),
        FeedOf::Category(_) if !config.feeds.per_category => config.feeds.limit,
        FeedOf::Collection(_) | FeedOf::CollectionCategory { .. } => config.feeds.limit,
        FeedOf::Category(_) | FeedOf::Tag(_) | FeedOf::Term { .. } => config.feeds.term_limit(),
    };
    Ok(crate::compare::compare(&old, &posts, limit, config))
}

/// The documents of the collection `name` that a feed may hold now.
fn collection_documents<'s>(
    config: &Config,
    site: &'s content::Site,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Vec<&'s content::Post>, Error> {
    let index = config.feeds.collections.keys().position(|c| c == name);
    let Some(index) = index.and_then(|i| u8::try_from(i).ok()) else {
        return Err(Error::Usage(format!(
            "--collection {name:?}: not one of `[feeds.collections]` in {}",
            config.file.display()
        )));
    };
    Ok(site.collection_documents(index, now))
}

/// Keeps the posts in the feed of the section `wanted`: its folder as
/// written, or as the generator's address has it (Hugo's `post/c++/` for
/// `content/post/C++/`).
fn retain_section(config: &Config, posts: &mut Vec<&content::Post>, wanted: &str) {
    let style = config.preset.slug_style;
    let as_published = |section: &str| {
        section
            .split('/')
            .map(|folder| style.folder(folder).to_lowercase())
            .collect::<Vec<_>>()
            .join("/")
    };
    let wanted_published = wanted.to_lowercase();
    let mut sections = content::sections::Sections::new(config);
    posts.retain(|post| {
        sections
            .feeds_of(post)
            .iter()
            .any(|s| s == wanted || as_published(s) == wanted_published)
    });
}

/// Keeps the posts that carry (by `carries`, asked of each term) the tag,
/// category or term the feed `name` asks for: the generator's term of
/// that path where a post has one (Zola's folder `pierre-taillee` for
/// `Pierre taillée`; Hugo's `c++` for `C++`, a path keeping its `+`, where
/// `urlize` would make it `c`), as the generator's feed of the term is
/// found; else any term whose feed's file name it is (a Hugo term's folder
/// `field-notes` for `Field Notes`). The generator's path comes first: two
/// terms it files apart (`unit test`, `unit_test`) may share gazette's
/// name, one of them then with a hash.
fn retain_term(
    posts: &mut Vec<&content::Post>,
    name: &str,
    style: Style,
    carries: impl Fn(&content::Post, &dyn Fn(&str) -> bool) -> bool,
) {
    let generators = style.path(name).to_lowercase();
    let by_generator = |term: &str| {
        style != Style::Keep
            && !generators.is_empty()
            && style.path(term).to_lowercase() == generators
    };
    if posts.iter().any(|post| carries(post, &by_generator)) {
        posts.retain(|post| carries(post, &by_generator));
        return;
    }
    let file = crate::feeds::tag_slug(name);
    posts.retain(|post| carries(post, &|term: &str| crate::feeds::tag_slug(term) == file));
}

/// Sets gazette up beside the generator site in `site`: reads its config
/// (never writes it), writes `config_path` and gazette's templates.
pub fn init_from(
    site: &Path,
    config_path: &Path,
    now: DateTime<Utc>,
) -> Result<(Vec<PathBuf>, Vec<String>), Error> {
    let generator = crate::import::site::detect(site).ok_or_else(|| {
        Error::Usage(format!(
            "{} does not look like a Zola, Hugo, Jekyll or Eleventy site (no config.toml with base_url, hugo.toml, _config.yml or eleventy.config.js); `gazette init DIR` creates a new gazette site",
            site.display()
        ))
    })?;
    let imported = crate::import::site::import(site, generator)?;
    let text = crate::import::site::render_config(&imported, &now.format("%Y-%m-%d").to_string());
    // Only the config: gazette's templates are built in, so nothing lands
    // where the generator would publish or render it (Eleventy reads any
    // `.html` as a template, Jekyll copies any folder into its output).
    let mut files: Vec<(PathBuf, String)> = vec![(config_path.to_path_buf(), text)];
    write_new_files(&files)?;
    // The result must build as it is: check that it loads.
    let config = Config::load(config_path)?;
    let mut notes = imported.notes.clone();
    notes.extend(crate::import::site::placeholder_notes(&imported));
    // The generator's own feed, when the site was built: its ids are what
    // readers have, so the publication record starts from them.
    let old_feed = imported.old_feed.as_ref().map(|feed| site.join(feed));
    if let Some(old_feed) = old_feed.filter(|path| path.is_file()) {
        let mut report = Report::default();
        match record_from(&config, &old_feed, now, &mut report) {
            Ok((seeded, path)) => {
                files.push((path.clone(), String::new()));
                notes.push(format!(
                    "{}: {} ids and dates taken from {}, the feed readers have ({} published posts not in it)",
                    path.display(),
                    seeded.taken,
                    old_feed.display(),
                    seeded.not_in_feed
                ));
            }
            Err(e) => notes.push(format!(
                "the publication record was not seeded from {}: {}; run `gazette record --from {}` after fixing it",
                old_feed.display(),
                crate::error::chain(&e),
                old_feed.display()
            )),
        }
    }
    Ok((files.into_iter().map(|(path, _)| path).collect(), notes))
}

/// Writes every file, refusing to overwrite any (checked before writing one).
fn write_new_files(files: &[(PathBuf, String)]) -> Result<(), Error> {
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(Error::Usage(format!(
            "{} already exists: gazette init does not overwrite files",
            existing.display()
        )));
    }
    for (path, text) in files {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(path, text).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// Creates a new site in `dir`, refusing to overwrite anything.
pub fn init(
    dir: &Path,
    config_path: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<Vec<PathBuf>, Error> {
    let post = format!(
        "---\ntitle: Hello, world\ndate: '{}'\ntags:\n- meta\nsummary: The first post of this site.\n---\n\nThis is the first post. Edit or delete it, then run `gazette build`.\n",
        now.format("%Y-%m-%d")
    );
    let config_path = config_path.map_or_else(|| dir.join("config.toml"), Path::to_path_buf);
    let mut files: Vec<(PathBuf, String)> = vec![
        (config_path, INIT_CONFIG.to_string()),
        (dir.join("content/hello-world.md"), post),
    ];
    for (name, source) in templates::DEFAULTS.iter().chain(templates::ASSETS) {
        files.push((dir.join("templates").join(name), source.to_string()));
    }
    write_new_files(&files)?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::collect::tests::site;

    #[test]
    fn list_gives_every_file_its_state_newest_first() {
        let (_dir, config) = site();
        let write = |name: &str, front: &str| {
            std::fs::write(
                config.content_dir.join(name),
                format!("---\n{front}\n---\nBody.\n"),
            )
            .unwrap();
        };
        write("old.md", "title: Old\ndate: 2025-01-01");
        write("new.md", "title: New\ndate: 2025-06-01");
        write("draft.md", "title: Draft\ndate: 2025-03-01\ndraft: true");
        write("later.md", "title: Later\ndate: 2027-01-01");
        write("broken.md", "title: [unclosed");
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut report = Report::default();
        let rows = list(&config, now, &mut report).unwrap();
        let shown: Vec<(&str, Option<&str>)> = rows
            .iter()
            .map(|row| (row.state, row.title.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("scheduled", Some("Later")),
                ("published", Some("New")),
                ("draft", Some("Draft")),
                ("published", Some("Old")),
                ("error", None),
            ]
        );
        assert!(rows[4].path.ends_with("broken.md"));
        // The failure is reported with its place.
        assert!(report
            .diagnostics
            .iter()
            .any(|d| d.path.ends_with("broken.md") && d.line.is_some()));
    }
}
