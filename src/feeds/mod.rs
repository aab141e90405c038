//! Feeds: which posts each feed holds, the entries they share, and writing
//! every configured format.
//!
//! Each post that some feed contains is rendered once, however many feeds
//! (site-wide and per tag) list it; posts no feed contains are never rendered.

pub(crate) mod atom;
pub(crate) mod json;
pub(crate) mod opml;
mod page;
pub(crate) mod podcast;
pub(crate) mod reuse;
pub(crate) mod rss;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Format, Person};
use crate::content::cache::{PostWarnings, Reuse};
use crate::content::{Listed, Post, Site};
use crate::error::{Diagnostic, Error};
use crate::render::generator_syntax::Resolver;
use crate::render::templates::Templates;
use crate::render::PostText;
use crate::render::SiteView;
use crate::render::{markdown, sanitize};
use crate::text;
use reuse::{Earlier, Fingerprints};

/// One post as every feed format shows it, with all text made XML-safe.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The whole post (read again from its file).
    pub post: Post,
    pub title: String,
    /// The post's URL, with `[feeds] link_query` where the site sets one.
    pub link: String,
    pub date: DateTime<FixedOffset>,
    pub updated: DateTime<FixedOffset>,
    pub summary: Option<String>,
    /// Absent when the site publishes summaries only.
    pub content_html: Option<String>,
    pub authors: Vec<Person>,
    pub tags: Vec<String>,
    /// What sanitising removed, to report once per post.
    pub warnings: Vec<Diagnostic>,
}

/// What a feed says about itself.
#[derive(Debug, Clone)]
pub(crate) struct FeedInfo {
    pub title: String,
    pub description: String,
    pub home_url: String,
    /// Path inside the output folder, e.g. `tags/rust.xml`.
    pub file: String,
    pub self_url: String,
    pub language: String,
    pub author: Option<Person>,
    /// Path from the feed back to the output folder, where `feed.xsl` and
    /// `feed.js` live; `None` when feeds are not styled for browsers.
    pub assets: Option<String>,
    /// WebSub hubs the feed names (`[websub] hub`).
    pub hubs: Vec<String>,
    /// RFC 5005 links (`current`, `prev-archive`): `(rel, href)`.
    pub history: Vec<(&'static str, String)>,
    /// An RFC 5005 archive document (`fh:archive`).
    pub archive: bool,
}

/// The RFC 5005 feed-history namespace.
pub(crate) const HISTORY_NS: &str = "http://purl.org/syndication/history/1.0";

/// One feed in one format, ready to serialise.
pub(crate) struct Feed<'a> {
    pub info: FeedInfo,
    /// Newest first.
    pub entries: Vec<&'a Entry>,
}

impl Feed<'_> {
    /// The feed's last change is its newest entry's, never the build time,
    /// so rebuilding unchanged content gives byte-identical files.
    pub(crate) fn updated(&self) -> Option<DateTime<FixedOffset>> {
        self.entries.iter().map(|e| e.updated).max()
    }
}

/// A tag as a file name: lower case, letters and digits of any script
/// kept, `#`, `+`, `&` and `@` spelled out (so `C`, `C#` and `C++` differ),
/// everything else a single `-`; long names are cut, with a hash of the
/// whole name so two long tags never share a file.
pub(crate) fn tag_slug(tag: &str) -> String {
    let mut slug = String::with_capacity(tag.len());
    let push_word = |slug: &mut String, word: &str| {
        if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        slug.push_str(word);
        slug.push('-');
    };
    for c in tag.chars().flat_map(char::to_lowercase) {
        match c {
            c if c.is_alphanumeric() => slug.push(c),
            '#' => push_word(&mut slug, "sharp"),
            '+' => push_word(&mut slug, "plus"),
            '&' => push_word(&mut slug, "and"),
            '@' => push_word(&mut slug, "at"),
            _ if !slug.ends_with('-') && !slug.is_empty() => slug.push('-'),
            _ => {}
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.len() <= MAX_TAG_SLUG_BYTES {
        return slug;
    }
    let mut cut = MAX_TAG_SLUG_BYTES - 9;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}", slug[..cut].trim_end_matches('-'), short_hash(tag))
}

/// File names stay well under the 255 bytes file systems allow, with room
/// for `.atom.xml` and a temporary-file prefix.
const MAX_TAG_SLUG_BYTES: usize = 120;

fn short_hash(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    hex::encode(&digest[..4])
}

/// The feed file of every tag (or category: `folder` names the kind and
/// its folder): names that differ only in case share one, other names
/// whose slugs collide get a hash suffix, decided in sorted order so the
/// same site always gives the same files.
fn tag_files(names: &[&str], folder: &str) -> (BTreeMap<String, String>, Vec<String>) {
    let mut folded: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    folded.sort();
    folded.dedup();
    let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
    let mut files = BTreeMap::new();
    let mut notes = Vec::new();
    for name in folded {
        let base = tag_slug(&name);
        if base.is_empty() {
            continue;
        }
        let slug = match by_slug.get(&base) {
            Some(first) => {
                let distinct = format!("{base}-{}", short_hash(&name));
                notes.push(format!(
                    "{folder} {first:?} and {name:?} would share {folder}/{base}; {name:?} gets {folder}/{distinct}"
                ));
                distinct
            }
            None => base.clone(),
        };
        by_slug.entry(base).or_insert_with(|| name.clone());
        files.insert(name, slug);
    }
    (files, notes)
}

/// The feeds of one kind (a tag's, a section's…): file name → (the term or
/// folder, posts).
type Grouped<'a> = BTreeMap<String, (String, Vec<&'a Post>)>;

/// The posts of each feed: the site feed first, then one per tag, per
/// category, per section and per term of each other taxonomy.
struct Selection<'a> {
    site: Vec<&'a Post>,
    /// tag slug → (display name, posts)
    tags: Grouped<'a>,
    /// category slug → (name, posts)
    categories: Grouped<'a>,
    /// section file path → (section folder, posts)
    sections: Grouped<'a>,
    /// Each of `feeds.per_taxonomy`, in its order, with its terms' feeds
    /// (term slug → (term, posts)).
    taxonomies: Vec<(&'a str, Grouped<'a>)>,
    /// name → (name, documents) for each of `feeds.collections`.
    collections: Grouped<'a>,
    /// Each collection with `categories`, with their feeds
    /// (`<collection>/<category slug>` → (category, documents)).
    collection_categories: Vec<(&'a str, Grouped<'a>)>,
}

impl<'a> Selection<'a> {
    /// Every feed but the site's, in the order the page lists them: its
    /// group, its file name in the group's folder, and its posts.
    fn groups<'s>(&'s self) -> impl Iterator<Item = GroupFeed<'s, 'a>> + 's {
        fn of_kind<'s, 'a>(
            grouped: &'s Grouped<'a>,
            group: fn(&'s str) -> Group<'s>,
        ) -> impl Iterator<Item = GroupFeed<'s, 'a>> + 's {
            grouped
                .iter()
                .map(move |(file, (name, posts))| (group(name), file.as_str(), posts.as_slice()))
        }
        let terms = self.taxonomies.iter().flat_map(|(taxonomy, terms)| {
            terms.iter().map(move |(file, (term, posts))| {
                let group = Group::Term { taxonomy, term };
                (group, file.as_str(), posts.as_slice())
            })
        });
        let collection_categories =
            self.collection_categories
                .iter()
                .flat_map(|(collection, categories)| {
                    categories.iter().map(move |(file, (category, documents))| {
                        let group = Group::CollectionCategory {
                            collection,
                            category,
                        };
                        (group, file.as_str(), documents.as_slice())
                    })
                });
        of_kind(&self.tags, Group::Tag)
            .chain(of_kind(&self.categories, Group::Category))
            .chain(of_kind(&self.sections, Group::Section))
            .chain(terms)
            .chain(of_kind(&self.collections, Group::Collection))
            .chain(collection_categories)
    }
}

/// A feed of one group: the group, its file name in the group's folder,
/// and its posts.
type GroupFeed<'s, 'a> = (Group<'s>, &'s str, &'s [&'a Post]);

/// Splits `all` (every post feeds may hold, newest first) into the feeds,
/// and gives each of `feeds.collections` its documents.
fn select<'a>(
    config: &'a Config,
    (site, now): (&'a Site, DateTime<Utc>),
    all: &[&'a Post],
    warnings: &mut Vec<Diagnostic>,
) -> Selection<'a> {
    // Hugo lists a page kept out of other lists in its terms' pages; on a
    // site whose posts are all in every list (all but a few Hugo sites),
    // the terms and the sections take `all` as it is, not chosen again.
    let every_post_listed = site.posts.iter().all(|p| p.listed == Listed::Always);
    let of_lists = |lists: fn(&'a Site, DateTime<Utc>) -> Vec<&'a Post>| match every_post_listed {
        true => std::borrow::Cow::Borrowed(all),
        false => std::borrow::Cow::Owned(lists(site, now)),
    };
    let in_terms = of_lists(Site::term_posts);
    let terms_of = &in_terms[..];
    let tags = if config.feeds.per_tag {
        by_term(
            config,
            terms_of,
            Terms {
                of: TermsOf::Tags,
                listed: &config.feeds.per_tag_only,
                has_feed: &|tag| config.feeds.has_tag_feed(tag),
                folder: "tags",
                what: "tag",
            },
            warnings,
        )
    } else {
        BTreeMap::new()
    };
    let limited = |mut posts: Vec<&'a Post>| {
        if config.feeds.limit > 0 {
            posts.truncate(config.feeds.limit);
        }
        posts
    };
    let mut collections = BTreeMap::new();
    let mut collection_categories = Vec::new();
    for (index, (name, collection)) in (0..=u8::MAX).zip(&config.feeds.collections) {
        let documents = site.collection_documents(index, now);
        if !collection.categories.is_empty() {
            let folder = format!("collections/{name}");
            let categories = in_categories(
                &collection.categories,
                &documents,
                &folder,
                config.feeds.limit,
            );
            let (categories, notes) = categories;
            warnings.extend(
                notes
                    .into_iter()
                    .map(|n| Diagnostic::warning(&config.file, None, n)),
            );
            let files = categories
                .into_iter()
                .map(|(file, feed)| (format!("{name}/{file}"), feed));
            collection_categories.push((name.as_str(), files.collect()));
        }
        collections.insert(name.clone(), (name.clone(), limited(documents)));
    }
    let mut site_posts = all.to_vec();
    if config.feeds.main_limit() > 0 {
        site_posts.truncate(config.feeds.main_limit());
    }
    Selection {
        site: site_posts,
        tags,
        categories: if config.feeds.per_category {
            by_term(
                config,
                terms_of,
                Terms {
                    of: TermsOf::Categories,
                    listed: &[],
                    has_feed: &|_| true,
                    folder: "categories",
                    what: "category",
                },
                warnings,
            )
        } else {
            select_categories(config, terms_of, warnings)
        },
        sections: select_sections(config, &of_lists(Site::section_posts)),
        taxonomies: config
            .feeds
            .per_taxonomy
            .iter()
            .enumerate()
            .map(|(i, taxonomy)| {
                let terms = Terms {
                    of: TermsOf::Taxonomy(i),
                    listed: &[],
                    has_feed: &|_| true,
                    folder: taxonomy,
                    what: &format!("term of `{taxonomy}`"),
                };
                (
                    taxonomy.as_str(),
                    by_term(config, terms_of, terms, warnings),
                )
            })
            .collect(),
        collections,
        collection_categories,
    }
}

/// The terms of one kind (tags, categories, a taxonomy's) that get a feed
/// each.
struct Terms<'c> {
    /// Which of a post's terms.
    of: TermsOf,
    /// Terms whose feed is written even before a post carries them.
    listed: &'c [String],
    /// Whether a term gets a feed.
    has_feed: &'c dyn Fn(&str) -> bool,
    /// The folder of their feeds, and what one is called in a message.
    folder: &'c str,
    what: &'c str,
}

/// Which terms of a post a kind of feed takes.
#[derive(Clone, Copy)]
enum TermsOf {
    Tags,
    Categories,
    /// Those of the `feeds.per_taxonomy` at this index.
    Taxonomy(usize),
}

impl TermsOf {
    fn of(self, post: &Post) -> &[crate::content::Tag] {
        match self {
            TermsOf::Tags => post.tags_for_feeds(),
            TermsOf::Categories => &post.categories,
            TermsOf::Taxonomy(i) => post.terms.get(i).map_or(&[], Vec::as_slice),
        }
    }
}

/// The feed of each term a post carries (and each listed one): the posts
/// carrying it in any spelling, in a file named by its slug.
fn by_term<'a>(
    config: &Config,
    all: &[&'a Post],
    terms: Terms<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Grouped<'a> {
    let listed = terms.listed.iter().map(String::as_str);
    let names: Vec<&str> = all
        .iter()
        .flat_map(|p| terms.of.of(p).iter().map(|term| &**term))
        .chain(listed.clone())
        .filter(|term| (terms.has_feed)(term))
        .collect::<HashSet<&str>>()
        .into_iter()
        .collect();
    let (files, notes) = tag_files(&names, terms.folder);
    for note in notes {
        warnings.push(Diagnostic::warning(&config.file, None, note));
    }
    // Each spelling's feed, looked up once per spelling, not per post.
    let slug_of: HashMap<&str, Option<&String>> = names
        .iter()
        .map(|name| (*name, files.get(&name.to_lowercase())))
        .collect();
    // Posts come newest first: a full feed takes no more, and a post
    // already in it (two of its terms share the feed) was the last one
    // added.
    let add = |posts: &mut Vec<&'a Post>, post: &'a Post| {
        let limit = config.feeds.term_limit();
        let full = limit > 0 && posts.len() >= limit;
        if !full && !posts.last().is_some_and(|p| std::ptr::eq(*p, post)) {
            posts.push(post);
        }
    };
    let mut feeds: Grouped<'a> = BTreeMap::new();
    for &post in all {
        for term in terms.of.of(post) {
            // Left out by the config (`per_tag_only`, `per_tag_except`).
            let Some(named) = slug_of.get(&**term) else {
                continue;
            };
            let Some(slug) = *named else {
                warnings.push(Diagnostic::warning(
                    &post.path,
                    post.tags_line,
                    format!(
                        "{} {term:?} has no letter or digit to name its feed file: it gets no feed of its own",
                        terms.what
                    ),
                ));
                continue;
            };
            match feeds.get_mut(slug) {
                Some((_, posts)) => add(posts, post),
                None => {
                    let mut posts = Vec::new();
                    add(&mut posts, post);
                    feeds.insert(slug.clone(), (term.to_string(), posts));
                }
            }
        }
    }
    for name in listed {
        if let Some(Some(slug)) = slug_of.get(name) {
            feeds
                .entry((*slug).clone())
                .or_insert_with(|| (name.to_string(), Vec::new()));
        }
    }
    feeds
}

/// The feed of each section holding a post, with `feeds.per_section`: the
/// posts whose nearest section it is (Hugo's section feed lists the
/// section's `.RegularPages`, not its subsections'), or with
/// `section_pages = "top_by_type"` at the top level those of its type.
/// Each folder of its path is slugged as a tag is, so the file stays a
/// safe name.
fn select_sections<'a>(config: &Config, all: &[&'a Post]) -> Grouped<'a> {
    let mut sections: Grouped<'a> = BTreeMap::new();
    if !config.feeds.per_section {
        return sections;
    }
    let mut finder = crate::content::sections::Sections::new(config);
    let of_post: Vec<Vec<String>> = all
        .iter()
        .map(|p| {
            let mut sections = finder.feeds_of(p);
            sections.retain(|section| config.feeds.has_section_feed(section));
            sections
        })
        .collect();
    // Every section gets its feed, one whose pages are all in nested
    // sections an empty one, as Hugo writes. File names are handed out in
    // name order so a file never changes hands: of two folders slugged
    // alike (`Field Notes`, `field-notes`) the later one's file carries a
    // hash of its name.
    let paths: Vec<&std::path::Path> = all.iter().map(|p| p.path.as_path()).collect();
    let mut files: HashMap<String, String> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for name in finder.all(&paths) {
        if !config.feeds.has_section_feed(&name) {
            continue;
        }
        let mut file = name.split('/').map(tag_slug).collect::<Vec<_>>().join("/");
        if !taken.insert(file.clone()) {
            file = format!("{file}-{}", short_hash(&name));
        }
        sections.insert(file.clone(), (name.clone(), Vec::new()));
        files.insert(name, file);
    }
    for (&post, of) in all.iter().zip(&of_post) {
        for section in of {
            let Some((_, posts)) = files.get(section).and_then(|f| sections.get_mut(f)) else {
                continue;
            };
            let limit = config.feeds.section_limit(section);
            if limit == 0 || posts.len() < limit {
                posts.push(post);
            }
        }
    }
    sections
}

/// The feed of each category `feeds.categories` lists: the posts whose
/// categories hold its name as written, as jekyll-feed's `where:
/// "categories"` takes them. File names are slugged as tags' are.
fn select_categories<'a>(
    config: &Config,
    all: &[&'a Post],
    warnings: &mut Vec<Diagnostic>,
) -> Grouped<'a> {
    let (categories, notes) = in_categories(
        &config.feeds.categories,
        all,
        "categories",
        config.feeds.limit,
    );
    for note in notes {
        warnings.push(Diagnostic::warning(&config.file, None, note));
    }
    categories
}

/// The feed of each of `names` in `folder`: the posts of `all` whose
/// categories hold it as written, at most `limit` (0: all), and what was
/// said of file names two names would share.
fn in_categories<'a>(
    names: &[String],
    all: &[&'a Post],
    folder: &str,
    limit: usize,
) -> (Grouped<'a>, Vec<String>) {
    let listed: Vec<&str> = names.iter().map(String::as_str).collect();
    let (files, notes) = tag_files(&listed, folder);
    let mut categories = BTreeMap::new();
    for name in names {
        // Config validation refuses names without a file of their own.
        let Some(slug) = files.get(&name.to_lowercase()) else {
            continue;
        };
        let in_category = all.iter().copied().filter(|post| post.in_category(name));
        let posts: Vec<&Post> = match limit {
            0 => in_category.collect(),
            limit => in_category.take(limit).collect(),
        };
        categories.insert(slug.clone(), (name.clone(), posts));
    }
    (categories, notes)
}

/// A post's link as the feeds write it: its URL, with the query a site's
/// own feed template appended (`[feeds] link_query`).
pub(crate) fn entry_link(config: &Config, post: &Post) -> String {
    match &config.feeds.link_query {
        Some(query) => {
            let joint = if post.url.query().is_some() { '&' } else { '?' };
            let mut url = post.url.clone();
            url.set_fragment(None);
            format!("{url}{joint}{query}")
        }
        None => post.url.to_string(),
    }
}

/// A post's title as the feeds write it: typographic quotes and dashes
/// where the generator makes them (`smart_titles`), inline HTML taken out
/// where it strips it (`strip_title_html`).
pub(crate) fn entry_title(config: &Config, post: &Post) -> String {
    // Stripped first: kramdown's `smartify` leaves markup as it is, where
    // gazette's would make a comment's `--` a dash and hide it from the
    // strip (`<!-- note -->`, measured with Jekyll 4.3).
    let title = if config.strip_title_html {
        markdown::strip_title_html(&post.title)
    } else {
        post.title.clone()
    };
    if config.smart_titles {
        markdown::smartify(&title)
    } else {
        title
    }
}

/// Renders one post's entry: Markdown, the entry template, absolute URLs,
/// XML-safe text.
fn entry(
    config: &Config,
    templates: &Templates,
    resolver: &Resolver,
    post: Post,
    template: &str,
    with_content: bool,
) -> Result<Result<Entry, Diagnostic>, Error> {
    let date = post.date.ok_or_else(|| Error::Feed {
        what: post.path.display().to_string(),
        message: "a published post has no date".into(),
    })?;
    // The body is read from disk only when the entry needs it.
    let text = match crate::render::post_text(&post, config, resolver, with_content) {
        Ok(text) => text,
        Err(diagnostic) => return Ok(Err(diagnostic)),
    };
    let content = with_content.then(|| text.html(config.smart_punctuation));
    let PostText {
        body,
        body_line,
        summary,
        mut warnings,
        ..
    } = text;
    let content_html = if let Some(content) = content {
        let mut context = tera::Context::new();
        context.insert("post", &crate::content::PostView::of(&post));
        context.insert("content", &content);
        context.insert("site", &SiteView::new(config));
        let html = templates.render(template, &context)?;
        let hosts = config
            .feeds
            .sanitize
            .then_some(config.feeds.iframe_hosts.as_slice());
        let (html, removed) = crate::render::finish_html(&html, &post.url, hosts);
        warnings.extend(removal_warnings(&post, &body, body_line, &removed));
        Some(html)
    } else {
        None
    };
    let safe_person = |p: &Person| Person {
        name: text::xml_safe(&p.name).into_owned(),
        email: p.email.as_deref().map(|e| text::xml_safe(e).into_owned()),
        url: p.url.as_deref().map(|u| text::xml_safe(u).into_owned()),
    };
    let title = entry_title(config, &post);
    Ok(Ok(Entry {
        title: text::xml_safe(&title).into_owned(),
        link: entry_link(config, &post),
        date,
        updated: post.updated_or_date().unwrap_or(date),
        summary,
        content_html,
        authors: post.details().authors.iter().map(safe_person).collect(),
        tags: post
            .tags
            .iter()
            .map(|t| text::xml_safe(t).into_owned())
            .collect(),
        warnings,
        post,
    }))
}

/// One warning per post naming everything sanitising removed, at the line
/// of the body where the first of it is written.
pub(crate) fn removal_warnings(
    post: &Post,
    body: &str,
    body_line: usize,
    removed: &sanitize::Removed,
) -> Option<Diagnostic> {
    if removed.is_empty() {
        return None;
    }
    let lower = body.to_lowercase();
    let line = removed
        .kinds
        .iter()
        .filter_map(|(_, needle)| lower.find(&needle.to_lowercase()))
        .min()
        .map(|offset| body_line + body[..offset].matches('\n').count());
    let kinds: Vec<&str> = removed
        .kinds
        .iter()
        .map(|(kind, _)| kind.as_str())
        .collect();
    Some(Diagnostic::warning(
        &post.path,
        line.or(Some(body_line)),
        format!("removed from the HTML: {}", kinds.join(", ")),
    ))
}

/// How the subscription page and autodiscovery tags describe one feed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedLink {
    pub title: String,
    /// "RSS", "Atom", "JSON Feed" or "Podcast".
    pub kind: &'static str,
    pub mime: &'static str,
    pub url: String,
    /// The tag's name, for per-tag feeds.
    pub tag: Option<String>,
    /// The category's name, for per-category feeds.
    pub category: Option<String>,
    /// The section's folder, for per-section feeds.
    pub section: Option<String>,
    /// The taxonomy and the term, for the feeds of `feeds.per_taxonomy`.
    pub taxonomy: Option<String>,
    pub term: Option<String>,
    /// The collection's name, for the feeds of `feeds.collections`.
    pub collection: Option<String>,
    pub podcast: bool,
}

impl FeedLink {
    /// The link to a feed of the posts of `group` (the site's for `None`).
    fn new(
        title: String,
        (kind, mime): (&'static str, &'static str),
        url: String,
        group: Option<Group<'_>>,
    ) -> FeedLink {
        let mut link = FeedLink {
            title,
            kind,
            mime,
            url,
            tag: None,
            category: None,
            section: None,
            taxonomy: None,
            term: None,
            collection: None,
            podcast: false,
        };
        match group {
            Some(Group::Tag(name)) => link.tag = Some(name.into()),
            Some(Group::Category(name)) => link.category = Some(name.into()),
            Some(Group::Section(folder)) => link.section = Some(folder.into()),
            Some(Group::Term { taxonomy, term }) => {
                link.taxonomy = Some(taxonomy.into());
                link.term = Some(term.into());
            }
            Some(Group::Collection(name)) => link.collection = Some(name.into()),
            Some(Group::CollectionCategory {
                collection,
                category,
            }) => {
                link.collection = Some(collection.into());
                link.category = Some(category.into());
            }
            None => {}
        }
        link
    }

    /// Whether `other` links to the same feed, in any format.
    pub(crate) fn same_feed(&self, other: &FeedLink) -> bool {
        let group = |link: &FeedLink| {
            (
                link.podcast,
                [&link.tag, &link.category, &link.section, &link.term].map(Option::clone),
                (link.taxonomy.clone(), link.collection.clone()),
            )
        };
        group(self) == group(other)
    }

    /// The category of the posts the feed holds, when it holds one (not
    /// a collection's category, whose feed is among the collections').
    pub(crate) fn posts_category(&self) -> Option<&str> {
        match self.collection {
            None => self.category.as_deref(),
            Some(_) => None,
        }
    }

    /// Whether the feed holds all the site's posts, not one group's.
    pub(crate) fn of_site(&self) -> bool {
        self.tag.is_none()
            && self.category.is_none()
            && self.section.is_none()
            && self.term.is_none()
            && self.collection.is_none()
    }
}

/// A recent post as the subscription page lists it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Latest {
    pub title: String,
    pub url: String,
    pub date: String,
    pub date_iso: String,
    pub summary: Option<String>,
}

/// Everything the feeds stage produced.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub links: Vec<FeedLink>,
    pub latest: Vec<Latest>,
    /// How many posts feeds may hold (published, not opted out).
    pub published: usize,
    /// Problems in single posts found while rendering (what sanitising
    /// removed, tags without a feed of their own).
    pub warnings: Vec<Diagnostic>,
    /// Each output file's fingerprint (see `reuse`), for the next build.
    pub fingerprints: Vec<(String, String)>,
    /// What rendering each post some output holds reported.
    pub post_warnings: PostWarnings,
}

impl Format {
    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Format::Rss => ("RSS", "application/rss+xml"),
            Format::Atom => ("Atom", "application/atom+xml"),
            Format::Json => ("JSON Feed", "application/feed+json"),
        }
    }

    /// The file of the site-wide feed, and of a feed named `stem` (a tag feed).
    fn file(self, stem: Option<&str>) -> String {
        match (self, stem) {
            (Format::Rss, None) => "rss.xml".into(),
            (Format::Atom, None) => "atom.xml".into(),
            (Format::Json, None) => "feed.json".into(),
            (Format::Rss, Some(stem)) => format!("{stem}.xml"),
            (Format::Atom, Some(stem)) => format!("{stem}.atom.xml"),
            (Format::Json, Some(stem)) => format!("{stem}.json"),
        }
    }
}

/// The path from an output file back to the output folder, for links to
/// shared assets that work wherever the folder is served.
pub(crate) fn to_root(file: &str) -> String {
    "../".repeat(file.matches('/').count())
}

/// Where the XHTML `<script>` that renders a feed without XSLT points.
pub(crate) const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// Inserts the `xml-stylesheet` instruction after the XML declaration the
/// writers emit, so browsers that still run XSLT show a page.
fn with_stylesheet(xml: Vec<u8>, info: &FeedInfo) -> Vec<u8> {
    let Some(root) = &info.assets else {
        return xml;
    };
    let instruction = format!("<?xml-stylesheet type=\"text/xsl\" href=\"{root}feed.xsl\"?>");
    let split = match xml.strip_prefix(b"<?xml") {
        Some(_) => xml.windows(2).position(|w| w == b"?>").map_or(0, |i| i + 2),
        None => 0,
    };
    let mut out = Vec::with_capacity(xml.len() + instruction.len() + 1);
    out.extend_from_slice(&xml[..split]);
    out.push(b'\n');
    out.extend_from_slice(instruction.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&xml[split..]);
    out
}

/// What turns posts into feed entries: the settings, the templates and
/// the resolver of the generator syntax in their bodies.
struct EntryRenderer<'a> {
    config: &'a Config,
    templates: &'a Templates,
    resolver: Resolver<'a>,
}

impl EntryRenderer<'_> {
    /// Renders the entries of `posts` (whole, as `hydrate` gives them), each
    /// once, in parallel.
    /// Renders the `needed` posts no earlier build of this session rendered
    /// from the same file and inputs, and remembers them; returns the
    /// entries the memo did not keep.
    fn render_unmemoized(
        &self,
        memo: &mut reuse::Entries,
        prints: &Fingerprints<'_>,
        needed: &[&Post],
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Vec<Entry>, Error> {
        memo.begin(prints);
        let to_render: Vec<&Post> = needed
            .iter()
            .copied()
            .filter(|post| memo.get(post).is_none())
            .collect();
        let (hydrated, left_out) = hydrate(self.config, &to_render);
        warnings.extend(left_out);
        let (entries, left_out) =
            self.render(hydrated, "feed_entry.html", self.config.feeds.full_content)?;
        warnings.extend(left_out);
        Ok(memo.remember(entries))
    }

    fn render(
        &self,
        posts: Vec<Post>,
        template: &str,
        with_content: bool,
    ) -> Result<(Vec<Entry>, Vec<Diagnostic>), Error> {
        let (config, templates, resolver) = (self.config, self.templates, &self.resolver);
        let results: Vec<Result<Entry, Diagnostic>> = posts
            .into_par_iter()
            .map(|post| entry(config, templates, resolver, post, template, with_content))
            .collect::<Result<_, Error>>()?;
        let mut entries = Vec::with_capacity(results.len());
        let mut left_out = Vec::new();
        for result in results {
            match result {
                Ok(entry) => entries.push(entry),
                Err(diagnostic) => left_out.push(diagnostic),
            }
        }
        Ok((entries, left_out))
    }
}

/// A file for the output folder: its bytes, or word that the file already
/// there is what this build would write.
pub(crate) enum Output {
    Bytes(Vec<u8>),
    Kept,
}

/// Where rendered files go, one at a time: `(path in the output folder, bytes)`.
pub(crate) type Sink<'s> = dyn FnMut(String, Output) -> Result<(), Error> + 's;

/// One feed file of one format, before its entries are rendered.
struct Planned<'a> {
    format: Format,
    /// Whose posts the feed holds; `None` for the site's.
    group: Option<Group<'a>>,
    info: FeedInfo,
    posts: &'a [&'a Post],
}

/// Every feed of the site, the OPML list and the page: select the posts of
/// each feed, keep the files the last build wrote as they would come out
/// now, render each post the other files hold once, and write them.
pub(crate) fn render_all(
    config: &Config,
    templates: &Templates,
    site: &Site,
    now: DateTime<Utc>,
    earlier: Earlier<'_>,
    sink: &mut Sink<'_>,
) -> Result<Rendered, Error> {
    let Earlier {
        keys,
        reuse,
        entries: memo,
    } = earlier;
    let all = site.feed_posts(now);
    let mut warnings = Vec::new();
    let mut selection = select(config, (site, now), &all, &mut warnings);
    let renderer = EntryRenderer {
        config,
        templates,
        resolver: Resolver::new(config, site),
    };
    let mut prints = Fingerprints::new(config, keys, site, reuse);
    let pages = archive(config, site, &all, &mut selection);
    let plan = plan_feeds(config, &selection, pages.len());
    let podcast = config
        .podcast
        .as_ref()
        .map(|show| (show, podcast_info(config, show)));
    let mut rendered = Rendered {
        published: all.len(),
        links: feed_links(&plan, podcast.as_ref().map(|(_, info)| info)),
        ..Rendered::default()
    };
    let fresh: Vec<bool> = plan
        .iter()
        .map(|feed| !prints.unchanged(&feed.info.file, &feed.info, feed.posts))
        .collect();
    let page_fresh =
        config.feeds.page && !prints.unchanged(&config.page_file, &rendered.links, &selection.site);
    let needed = needed_posts(&plan, &fresh, page_fresh.then_some(&selection.site[..]));
    let unkept = renderer.render_unmemoized(memo, &prints, &needed, &mut warnings)?;
    let unkept: HashMap<&str, &Entry> = unkept.iter().map(|e| (e.post.id.as_str(), e)).collect();
    let by_id: HashMap<&str, &Entry> = needed
        .iter()
        .filter_map(|post| {
            let entry = memo
                .get(post)
                .or_else(|| unkept.get(post.id.as_str()).copied())?;
            Some((post.id.as_str(), entry))
        })
        .collect();
    let selected = selected_posts(&selection);
    let rendered_now: HashSet<&str> = needed.iter().map(|p| p.id.as_str()).collect();
    for &post in &selected {
        // Each post a feed holds reports what rendering it gives, whether it
        // was rendered now or its feeds were kept.
        let said = match by_id.get(post.id.as_str()) {
            Some(entry) => Some(entry.warnings.clone()),
            None if rendered_now.contains(post.id.as_str()) => continue,
            None => reuse.warnings.entries.get(&post.path).cloned(),
        };
        let said = said.unwrap_or_default();
        warnings.extend(said.iter().cloned());
        rendered
            .post_warnings
            .entries
            .insert(post.path.clone(), said);
    }
    // A post left out (its file changed meanwhile) is in no feed.
    let pick = |posts: &[&Post]| -> Vec<&Entry> {
        posts
            .iter()
            .filter_map(|p| by_id.get(p.id.as_str()).copied())
            .collect()
    };

    for (feed, fresh) in plan.iter().zip(&fresh) {
        let output = match fresh {
            true => {
                let entries = pick(feed.posts);
                let info = feed.info.clone();
                Output::Bytes(feed_bytes(feed.format, &Feed { info, entries })?)
            }
            false => Output::Kept,
        };
        sink(feed.info.file.clone(), output)?;
    }
    write_archives(&renderer, &pages, &mut prints, &mut warnings, sink)?;
    if let Some((show, info)) = podcast {
        write_podcast(
            &renderer,
            (show, info, site.record.record.podcast_guid.as_deref()),
            &all,
            (&mut prints, reuse),
            (&mut rendered, &mut warnings),
            sink,
        )?;
    }
    if page_fresh {
        rendered.latest = latest(config, &pick(&selection.site));
    }
    write_site_files(config, templates, &rendered, page_fresh, sink)?;
    drop(by_id);
    memo.keep_only(&selected);
    rendered.fingerprints = prints.taken;
    rendered.warnings = warnings;
    Ok(rendered)
}

/// With RFC 5005 archives on, the full archive pages; what no page holds
/// yet joins the subscription feed.
fn archive<'a>(
    config: &Config,
    site: &Site,
    all: &[&'a Post],
    selection: &mut Selection<'a>,
) -> Vec<Vec<&'a Post>> {
    if !config.feeds.archive {
        return Vec::new();
    }
    let (pages, unarchived) = archive_pages(config, site, all, config.feeds.main_limit());
    // RFC 5005: what no archive page holds yet is in the subscription
    // feed, besides its newest entries (a back-dated post too).
    for post in unarchived {
        if !selection.site.iter().any(|p| std::ptr::eq(*p, post)) {
            selection.site.push(post);
        }
    }
    crate::content::sort_for_feeds(config.entry_order, &mut selection.site);
    pages
}

/// The posts some file to render holds (`page`: the page's, when it is
/// rendered), once each: they are read whole again (collecting kept only
/// what choosing them needs) and rendered once however many feeds hold them.
fn needed_posts<'a>(
    plan: &[Planned<'a>],
    fresh: &[bool],
    page: Option<&[&'a Post]>,
) -> Vec<&'a Post> {
    let mut needed: Vec<&Post> = plan
        .iter()
        .zip(fresh)
        .filter(|(_, fresh)| **fresh)
        .flat_map(|(feed, _)| feed.posts.iter().copied())
        .collect();
    needed.extend_from_slice(page.unwrap_or_default());
    needed.sort_by(|a, b| a.id.cmp(&b.id));
    needed.dedup_by(|a, b| a.id == b.id);
    needed
}

/// The files beside the feeds: the OPML list, the page (kept unless
/// `page_fresh`) and the stylesheet's assets.
fn write_site_files(
    config: &Config,
    templates: &Templates,
    rendered: &Rendered,
    page_fresh: bool,
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    sink(
        opml::FILE.to_string(),
        Output::Bytes(opml::write(config, &rendered.links)),
    )?;
    if config.feeds.page {
        let output = if page_fresh {
            Output::Bytes(page::render(config, templates, rendered)?)
        } else {
            Output::Kept
        };
        sink(config.page_file.clone(), output)?;
    }
    if config.feeds.stylesheet {
        for (name, text) in templates.assets() {
            sink(name.to_string(), Output::Bytes(text.as_bytes().to_vec()))?;
        }
    }
    Ok(())
}

/// Each post some feed holds, once.
fn selected_posts<'a>(selection: &Selection<'a>) -> Vec<&'a Post> {
    let mut needed: Vec<&Post> = selection.site.clone();
    for (_, _, posts) in selection.groups() {
        needed.extend(posts.iter().copied());
    }
    needed.sort_by(|a, b| a.id.cmp(&b.id));
    needed.dedup_by(|a, b| a.id == b.id);
    needed
}

/// The whole of each post, read again in parallel; a post whose file
/// changed meanwhile is left out with its diagnostic.
fn hydrate(config: &Config, posts: &[&Post]) -> (Vec<Post>, Vec<Diagnostic>) {
    let results: Vec<Result<Post, Diagnostic>> =
        posts.par_iter().map(|post| post.hydrate(config)).collect();
    let mut whole = Vec::with_capacity(results.len());
    let mut left_out = Vec::new();
    for result in results {
        match result {
            Ok(post) => whole.push(post),
            Err(diagnostic) => left_out.push(diagnostic),
        }
    }
    (whole, left_out)
}

/// The description of one feed file.
fn feed_info(config: &Config, title: String, description: String, file: String) -> FeedInfo {
    FeedInfo {
        title: text::xml_safe(&title).into_owned(),
        description: text::xml_safe(&description).into_owned(),
        home_url: config.base_url.to_string(),
        self_url: config.output_url(&file).to_string(),
        assets: config.feeds.stylesheet.then(|| to_root(&file)),
        file,
        language: config.language.clone(),
        author: config.author.clone(),
        hubs: config
            .websub
            .as_ref()
            .map(|w| w.hub.clone())
            .unwrap_or_default(),
        history: Vec::new(),
        archive: false,
    }
}

/// The archive page file of `format` number `page` (1 = oldest).
fn archive_file(format: Format, page: usize) -> Option<String> {
    match format {
        Format::Rss => Some(format!("archive/rss-{page}.xml")),
        Format::Atom => Some(format!("archive/atom-{page}.xml")),
        // JSON Feed has no archive links of its own.
        Format::Json => None,
    }
}

/// Every published post in full pages of `size`, oldest first: a page never
/// changes once full (a newer post starts or fills a newer page).
/// Full archive pages of `size` posts in publication order (as the
/// publication record numbers them, then by date), each page newest first,
/// and the posts no full page holds yet. A page once full never changes:
/// a post published later, even back-dated, goes to a later page.
fn archive_pages<'a>(
    config: &Config,
    site: &Site,
    newest_first: &[&'a Post],
    size: usize,
) -> (Vec<Vec<&'a Post>>, Vec<&'a Post>) {
    let mut in_order: Vec<&Post> = newest_first.to_vec();
    in_order.reverse();
    in_order.sort_by_key(|post| site.record.order_of(config, post));
    let size = size.max(1);
    let full = in_order.len() / size * size;
    let pages = in_order[..full]
        .chunks_exact(size)
        .map(|page| {
            let mut page = page.to_vec();
            crate::content::sort_for_feeds(config.entry_order, &mut page);
            page
        })
        .collect();
    (pages, in_order[full..].to_vec())
}

/// Writes the RFC 5005 archive documents, page by page (each page's posts
/// read and rendered, written, dropped); a full page the last build wrote
/// is kept as it is.
fn write_archives(
    renderer: &EntryRenderer<'_>,
    pages: &[Vec<&Post>],
    prints: &mut Fingerprints<'_>,
    warnings: &mut Vec<Diagnostic>,
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    let config = renderer.config;
    for (index, posts) in pages.iter().enumerate() {
        let number = index + 1;
        let infos: Vec<(Format, FeedInfo)> = config
            .feeds
            .formats
            .iter()
            .filter_map(|&format| Some((format, archive_info(config, format, number)?)))
            .collect();
        let fresh: Vec<bool> = infos
            .iter()
            .map(|(_, info)| !prints.unchanged(&info.file, info, posts))
            .collect();
        if !fresh.contains(&true) {
            for (_, info) in infos {
                sink(info.file, Output::Kept)?;
            }
            continue;
        }
        let (whole, left_out) = hydrate(config, posts);
        warnings.extend(left_out);
        let (entries, _) = renderer.render(whole, "feed_entry.html", config.feeds.full_content)?;
        for ((format, info), fresh) in infos.into_iter().zip(fresh) {
            let file = info.file.clone();
            let output = match fresh {
                true => Output::Bytes(feed_bytes(
                    format,
                    &Feed {
                        info,
                        entries: entries.iter().collect(),
                    },
                )?),
                false => Output::Kept,
            };
            sink(file, output)?;
        }
    }
    Ok(())
}

/// The description of archive page `number` in `format`, if the format has
/// archives.
fn archive_info(config: &Config, format: Format, number: usize) -> Option<FeedInfo> {
    let file = archive_file(format, number)?;
    let mut info = feed_info(
        config,
        format!("{} — archive {number}", config.title),
        config.description.clone(),
        file,
    );
    info.archive = true;
    info.history
        .push(("current", config.output_url(&format.file(None)).to_string()));
    if number > 1 {
        if let Some(previous) = archive_file(format, number - 1) {
            info.history
                .push(("prev-archive", config.output_url(&previous).to_string()));
        }
    }
    Some(info)
}

/// One feed as the bytes of its format.
fn feed_bytes(format: Format, feed: &Feed<'_>) -> Result<Vec<u8>, Error> {
    Ok(match format {
        Format::Rss => with_stylesheet(rss::write(feed)?, &feed.info),
        Format::Atom => with_stylesheet(atom::write(feed)?, &feed.info),
        Format::Json => json::write(feed)?,
    })
}

/// What a feed other than the site's holds: one term's posts or one
/// section's.
#[derive(Clone, Copy)]
enum Group<'a> {
    /// The tag's name.
    Tag(&'a str),
    /// The category's name.
    Category(&'a str),
    /// The section's folder.
    Section(&'a str),
    /// A term of one of `feeds.per_taxonomy`.
    Term { taxonomy: &'a str, term: &'a str },
    /// One of `feeds.collections`, by name: its documents, not posts.
    Collection(&'a str),
    /// One of a collection's `categories`: its documents in that category.
    CollectionCategory {
        collection: &'a str,
        category: &'a str,
    },
}

impl<'a> Group<'a> {
    /// The feed's title and description on the site `site`, and the
    /// folder of the group's feeds.
    fn describe(self, site: &str) -> (String, String, &'a str) {
        match self {
            Group::Tag(name) => (
                format!("{site} — {name}"),
                format!("Posts tagged “{name}” on {site}"),
                "tags",
            ),
            Group::Category(name) => (
                // jekyll-feed's title for it, which readers already show.
                format!("{site} | {}", crate::text::capitalize(name)),
                format!("Posts in “{name}” on {site}"),
                "categories",
            ),
            Group::Section(folder) => (
                format!("{site} — {folder}"),
                format!("Posts in {folder} on {site}"),
                "sections",
            ),
            Group::Term { taxonomy, term } => (
                format!("{site} — {term}"),
                format!("Posts in the {taxonomy} “{term}” on {site}"),
                taxonomy,
            ),
            Group::Collection(name) => (
                // jekyll-feed's title for it.
                format!("{site} | {}", crate::text::capitalize(name)),
                format!("The {name} of {site}"),
                "collections",
            ),
            Group::CollectionCategory {
                collection,
                category,
            } => (
                // jekyll-feed's title for it.
                format!(
                    "{site} | {} | {}",
                    crate::text::capitalize(collection),
                    crate::text::capitalize(category)
                ),
                format!("The {collection} in “{category}” of {site}"),
                "collections",
            ),
        }
    }
}

/// The site-wide and per-tag feeds in every configured format, in the
/// order the page lists them within a format.
fn plan_feeds<'a>(
    config: &Config,
    selection: &'a Selection<'a>,
    archive_pages: usize,
) -> Vec<Planned<'a>> {
    let mut plan = Vec::new();
    for &format in &config.feeds.formats {
        let mut site_info = feed_info(
            config,
            config.title.clone(),
            config.description.clone(),
            format.file(None),
        );
        // RFC 5005: the subscription feed points at the newest archive page.
        if let Some(newest) = archive_file(format, archive_pages).filter(|_| archive_pages > 0) {
            site_info
                .history
                .push(("prev-archive", config.output_url(&newest).to_string()));
        }
        plan.push(Planned {
            format,
            group: None,
            info: site_info,
            posts: &selection.site,
        });
        for (group, file, posts) in selection.groups() {
            let (title, description, folder) = group.describe(&config.title);
            plan.push(Planned {
                format,
                group: Some(group),
                info: feed_info(
                    config,
                    title,
                    description,
                    format.file(Some(&format!("{folder}/{file}"))),
                ),
                posts,
            });
        }
    }
    plan
}

/// What the page and the OPML list show: the podcast first, then the
/// site-wide feeds, then the tags', the categories', the sections' and the
/// other taxonomies' feeds.
fn feed_links(plan: &[Planned<'_>], podcast: Option<&FeedInfo>) -> Vec<FeedLink> {
    let podcast = podcast.map(|info| FeedLink {
        podcast: true,
        ..FeedLink::new(
            info.title.clone(),
            ("Podcast", "application/rss+xml"),
            info.self_url.clone(),
            None,
        )
    });
    let link = |feed: &Planned<'_>| {
        FeedLink::new(
            feed.info.title.clone(),
            feed.format.describe(),
            feed.info.self_url.clone(),
            feed.group,
        )
    };
    let links: Vec<FeedLink> = plan.iter().map(link).collect();
    let site = links.iter().filter(|l| l.of_site());
    let tags = links.iter().filter(|l| l.tag.is_some());
    let categories = links.iter().filter(|l| l.posts_category().is_some());
    let sections = links.iter().filter(|l| l.section.is_some());
    let terms = links.iter().filter(|l| l.term.is_some());
    let collections = links.iter().filter(|l| l.collection.is_some());
    podcast
        .into_iter()
        .chain(
            site.chain(tags)
                .chain(categories)
                .chain(sections)
                .chain(terms)
                .chain(collections)
                .cloned(),
        )
        .collect()
}

/// The podcast feed's description.
fn podcast_info(config: &Config, show: &crate::config::PodcastConfig) -> FeedInfo {
    let title = show.title.clone().unwrap_or_else(|| config.title.clone());
    let description = show
        .description
        .clone()
        .unwrap_or_else(|| config.description.clone());
    let mut info = feed_info(config, title, description, podcast::FILE.to_string());
    // The show's editor is its owner, name and address together.
    info.author = Some(show.owner.clone());
    info
}

/// The podcast feed, kept when its episodes are as the last build wrote
/// them; the warnings its show notes gave join `shown`.
fn write_podcast(
    renderer: &EntryRenderer<'_>,
    // `recorded`: the show's guid as the publication record keeps it.
    (show, info, recorded): (&crate::config::PodcastConfig, FeedInfo, Option<&str>),
    all: &[&Post],
    (prints, reuse): (&mut Fingerprints<'_>, &Reuse),
    (rendered, shown): (&mut Rendered, &mut Vec<Diagnostic>),
    sink: &mut Sink<'_>,
) -> Result<(), Error> {
    let mut episodes: Vec<&Post> = all
        .iter()
        .copied()
        .filter(|p| p.episode.is_some())
        .collect();
    if show.limit > 0 {
        episodes.truncate(show.limit);
    }
    if prints.unchanged(podcast::FILE, &info, &episodes) {
        let mut warnings = Vec::new();
        for post in episodes {
            let said = reuse.warnings.notes.get(&post.path).cloned();
            let said = said.unwrap_or_default();
            warnings.extend(said.iter().cloned());
            rendered.post_warnings.notes.insert(post.path.clone(), said);
        }
        sink(podcast::FILE.to_string(), Output::Kept)?;
        add_notes(shown, warnings);
        return Ok(());
    }
    let (episodes, mut warnings) = hydrate(renderer.config, &episodes);
    // Show notes are an episode's description: rendered even for summary-only sites.
    let (entries, left_out) = renderer.render(episodes, "podcast_notes.html", true)?;
    warnings.extend(left_out);
    for entry in &entries {
        warnings.extend(entry.warnings.iter().cloned());
        rendered
            .post_warnings
            .notes
            .insert(entry.post.path.clone(), entry.warnings.clone());
    }
    let feed = Feed {
        info,
        entries: entries.iter().collect(),
    };
    let bytes = with_stylesheet(podcast::write(&feed, show, recorded)?, &feed.info);
    sink(podcast::FILE.to_string(), Output::Bytes(bytes))?;
    add_notes(shown, warnings);
    Ok(())
}

/// Adds the show notes' warnings, but those the feed entries already reported.
fn add_notes(warnings: &mut Vec<Diagnostic>, notes: Vec<Diagnostic>) {
    for note in notes {
        let said = |w: &Diagnostic| w.path == note.path && w.message == note.message;
        if !warnings.iter().any(said) {
            warnings.push(note);
        }
    }
}

/// The newest posts the page lists.
fn latest(config: &Config, site_entries: &[&Entry]) -> Vec<Latest> {
    site_entries
        .iter()
        .take(config.feeds.page_entries)
        .map(|e| Latest {
            title: if e.title.trim().is_empty() {
                text::xml_safe(&e.post.display_title()).into_owned()
            } else {
                e.title.clone()
            },
            url: e.post.url.to_string(),
            date: e.date.format("%Y-%m-%d").to_string(),
            date_iso: e.date.to_rfc3339(),
            summary: e.summary.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `render_all` with the site's templates, keeping what `reuse` allows.
    fn render(
        config: &Config,
        site: &Site,
        now: DateTime<Utc>,
        reuse: &Reuse,
        sink: &mut Sink<'_>,
    ) -> Rendered {
        let templates = Templates::load(&config.templates_dir).unwrap();
        let keys = crate::content::cache::Keys::of(config);
        let earlier = Earlier {
            keys: &keys,
            reuse,
            entries: &mut Default::default(),
        };
        render_all(config, &templates, site, now, earlier, sink).unwrap()
    }

    /// The config of a site in `dir` (`more` after its title and address),
    /// and the instant the tests build at.
    fn site_in(dir: &std::path::Path, more: &str) -> (Config, DateTime<Utc>) {
        let config = Config::parse(
            &format!("title = \"T\"\nbase_url = \"https://e.org/\"\n{more}"),
            &dir.join("config.toml"),
            dir.to_path_buf(),
        )
        .unwrap();
        let now = DateTime::parse_from_rfc3339("2025-06-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        (config, now)
    }

    #[test]
    fn a_post_whose_file_changed_meanwhile_is_left_out_with_its_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        for name in ["kept", "gone"] {
            std::fs::write(
                dir.path().join(format!("content/{name}.md")),
                format!("---\ntitle: {name}\ndate: '2025-05-30'\n---\nBody of {name}.\n"),
            )
            .unwrap();
        }
        let (config, now) = site_in(dir.path(), "");
        let site = crate::content::collect(&config, now, &mut crate::Report::default()).unwrap();
        std::fs::remove_file(dir.path().join("content/gone.md")).unwrap();
        let mut rss = String::new();
        let rendered = render(
            &config,
            &site,
            now,
            &Reuse::default(),
            &mut |name, output| {
                if let (true, Output::Bytes(bytes)) = (name == "rss.xml", output) {
                    rss = String::from_utf8_lossy(&bytes).into_owned();
                }
                Ok(())
            },
        );
        assert!(
            rss.contains("Body of kept") && !rss.contains("Body of gone"),
            "{rss}"
        );
        assert!(
            rendered
                .warnings
                .iter()
                .any(|w| w.path.ends_with("gone.md")
                    && w.message.contains("changed while gazette ran")),
            "{:?}",
            rendered.warnings
        );
    }

    /// `content/<name>.md` for each post, dated May `day` 2025, with one
    /// more front-matter line.
    fn write_posts(dir: &std::path::Path, posts: &[(&str, u32, &str)]) {
        std::fs::create_dir_all(dir.join("content")).unwrap();
        for (name, day, line) in posts {
            let file = dir.join(format!("content/{name}.md"));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(
                file,
                format!("---\ntitle: {name}\ndate: '2025-05-{day:02}'\n{line}\n---\n{name}.\n"),
            )
            .unwrap();
        }
    }

    /// Every file a build of the site `config` describes renders, by name.
    fn rendered_files(config: &Config, now: DateTime<Utc>) -> BTreeMap<String, String> {
        let site = crate::content::collect(config, now, &mut crate::Report::default()).unwrap();
        let mut files = BTreeMap::new();
        render(
            config,
            &site,
            now,
            &Reuse::default(),
            &mut |name, output| {
                if let Output::Bytes(bytes) = output {
                    files.insert(
                        name.to_string(),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    );
                }
                Ok(())
            },
        );
        files
    }

    /// The title of the Atom feed `file` and of each of its entries.
    fn atom_titles(files: &BTreeMap<String, String>, file: &str) -> (String, Vec<String>) {
        let text = files
            .get(file)
            .unwrap_or_else(|| panic!("no {file}: {:?}", files.keys()));
        let doc = roxmltree::Document::parse(text).unwrap();
        let title = |node: roxmltree::Node<'_, '_>| {
            node.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_string()
        };
        let entries = doc
            .root_element()
            .children()
            .filter(|c| c.has_tag_name("entry"))
            .map(title)
            .collect();
        (title(doc.root_element()), entries)
    }

    #[test]
    fn feeds_per_tag_are_the_listed_ones_less_the_excepted() {
        let dir = tempfile::tempdir().unwrap();
        write_posts(
            dir.path(),
            &[
                ("one", 1, "tags: [Rust, go]"),
                ("two", 2, "tags: [rust, draft]"),
                ("three", 3, "tags: [go]"),
            ],
        );
        let (config, now) = site_in(
            dir.path(),
            "[feeds]\nper_tag = true\nper_tag_only = [\"rust\", \"zig\", \"go\"]\nper_tag_except = [\"Go\"]\n",
        );
        let files = rendered_files(&config, now);
        // Both spellings of rust share its feed; zig, listed, has one
        // before any post carries it; go is excepted, draft not listed.
        assert_eq!(atom_titles(&files, "tags/rust.atom.xml").1, ["two", "one"]);
        assert_eq!(
            atom_titles(&files, "tags/zig.atom.xml").1,
            Vec::<String>::new()
        );
        let tag_files: Vec<&String> = files.keys().filter(|f| f.starts_with("tags/")).collect();
        assert_eq!(
            tag_files,
            [
                "tags/rust.atom.xml",
                "tags/rust.json",
                "tags/rust.xml",
                "tags/zig.atom.xml",
                "tags/zig.json",
                "tags/zig.xml"
            ]
        );
    }

    #[test]
    fn a_feed_per_section_holds_the_posts_whose_nearest_section_it_is() {
        let dir = tempfile::tempdir().unwrap();
        write_posts(
            dir.path(),
            &[
                ("top", 1, ""),
                ("posts/one", 2, ""),
                ("posts/2025/two", 3, ""),
                ("posts/bundle/index", 4, ""),
                ("posts/works/crane", 5, ""),
                ("posts/works/yard/hoist", 6, ""),
                ("Field Notes/a", 7, ""),
                ("field-notes/b", 8, ""),
            ],
        );
        std::fs::write(
            dir.path().join("content/posts/works/_index.md"),
            "---\ntitle: Works\n---\n",
        )
        .unwrap();
        let (config, now) = site_in(dir.path(), "[feeds]\nper_section = true\n");
        let files = rendered_files(&config, now);
        // A folder without `_index.md` and a bundle are the section's own;
        // `works` has one, so its pages are its own; `top` is in none.
        assert_eq!(
            atom_titles(&files, "sections/posts.atom.xml"),
            (
                "T — posts".to_string(),
                vec![
                    "posts/bundle/index".to_string(),
                    "posts/2025/two".into(),
                    "posts/one".into()
                ]
            )
        );
        assert_eq!(
            atom_titles(&files, "sections/posts/works.atom.xml").1,
            ["posts/works/yard/hoist", "posts/works/crane"]
        );
        let section_files: Vec<&String> = files
            .keys()
            .filter(|f| f.starts_with("sections/"))
            .collect();
        assert_eq!(section_files.len(), 12, "{section_files:?}");
        // Two folders slugged alike keep a feed each.
        assert_eq!(
            atom_titles(&files, "sections/field-notes.atom.xml").1.len(),
            1
        );
        let other = section_files
            .iter()
            .find(|f| f.starts_with("sections/field-notes-") && f.ends_with(".atom.xml"))
            .expect("a feed of its own");
        assert_eq!(atom_titles(&files, other).1.len(), 1);
        // The page and the OPML list them apart from the site's feeds.
        let page = &files["index.html"];
        let table = page.split_once("Feeds by section").map_or("", |(_, t)| t);
        assert!(table.contains("sections/posts/works.atom.xml"), "{page}");
        let opml = roxmltree::Document::parse(&files["feeds.opml"]).unwrap();
        let group = opml
            .descendants()
            .find(|n| n.attribute("text") == Some("Sections"))
            .expect("a Sections outline");
        assert_eq!(group.children().filter(|n| n.is_element()).count(), 4);
    }

    #[test]
    fn a_top_level_sections_feed_may_list_every_post_of_its_type() {
        let dir = tempfile::tempdir().unwrap();
        write_posts(
            dir.path(),
            &[
                ("docs/guide/one", 1, ""),
                ("docs/guide/deep/two", 2, ""),
                ("docs/three", 3, ""),
                ("docs/four", 4, "type: blog"),
                ("blog/five", 5, ""),
            ],
        );
        for folder in ["docs", "docs/guide", "docs/guide/deep", "blog"] {
            std::fs::write(
                dir.path().join("content").join(folder).join("_index.md"),
                "---\ntitle: S\n---\n",
            )
            .unwrap();
        }
        // hextra's list.rss.xml: `where site.RegularPages "Type" .Section`
        // when the section's parent is the home page, `.Pages` below it.
        let (config, now) = site_in(
            dir.path(),
            "[feeds]\nper_section = true\nsection_pages = \"top_by_type\"\n",
        );
        let files = rendered_files(&config, now);
        let titles = |file: &str| atom_titles(&files, file).1;
        assert_eq!(
            titles("sections/docs.atom.xml"),
            ["docs/three", "docs/guide/deep/two", "docs/guide/one"]
        );
        assert_eq!(titles("sections/blog.atom.xml"), ["blog/five", "docs/four"]);
        assert_eq!(titles("sections/docs/guide.atom.xml"), ["docs/guide/one"]);
        assert_eq!(
            titles("sections/docs/guide/deep.atom.xml"),
            ["docs/guide/deep/two"]
        );
        // By default a section lists its own pages alone.
        let (config, now) = site_in(dir.path(), "[feeds]\nper_section = true\n");
        let files = rendered_files(&config, now);
        assert_eq!(
            atom_titles(&files, "sections/docs.atom.xml").1,
            ["docs/four", "docs/three"]
        );
    }

    #[test]
    fn a_feed_per_listed_category_holds_the_posts_of_that_category_as_written() {
        let dir = tempfile::tempdir().unwrap();
        write_posts(
            dir.path(),
            &[
                ("first", 1, "categories: [News, Misc]"),
                ("second", 2, "category: News"),
                ("third", 3, "categories: News"),
                ("lower", 4, "categories: [news]"),
                ("none", 5, ""),
            ],
        );
        let (config, now) = site_in(
            dir.path(),
            "[feeds]\nlimit = 2\ncategories = [\"News\", \"Empty\"]\n",
        );
        let files = rendered_files(&config, now);
        let atom = |file: &str| atom_titles(&files, file);
        // Newest first, the feed's limit, the category as written: `news`
        // is another category, as jekyll-feed's `where` takes it.
        assert_eq!(
            atom("categories/news.atom.xml"),
            (
                "T | News".to_string(),
                vec!["third".to_string(), "second".to_string()]
            )
        );
        assert_eq!(
            atom("categories/empty.atom.xml"),
            ("T | Empty".to_string(), vec![])
        );
        assert!(
            files.contains_key("categories/news.xml") && files.contains_key("categories/news.json")
        );
        // No feed for the categories not listed.
        assert!(
            !files.keys().any(|f| f.contains("misc")),
            "{:?}",
            files.keys()
        );
        // The page and the OPML list them as categories, apart from the site's feeds.
        let page = &files["index.html"];
        let table = page.split_once("Feeds by category").map_or("", |(_, t)| t);
        assert!(table.contains("categories/news.atom.xml"), "{page}");
        let opml = roxmltree::Document::parse(&files["feeds.opml"]).unwrap();
        let group = opml
            .descendants()
            .find(|n| n.attribute("text") == Some("Categories"))
            .expect("a Categories outline");
        let titles: Vec<&str> = group
            .children()
            .filter_map(|n| n.attribute("text"))
            .collect();
        assert_eq!(titles, ["T | Empty", "T | News"]);
    }

    #[test]
    fn a_feed_per_term_of_each_listed_taxonomy() {
        let dir = tempfile::tempdir().unwrap();
        write_posts(
            dir.path(),
            &[
                ("one", 1, "series: [Rust Basics]\nauthors: [Ada]"),
                ("two", 2, "series: rust basics"),
                ("three", 3, "series: Other"),
                ("bad", 4, "series: {a: b}"),
                ("none", 5, ""),
            ],
        );
        let (config, now) = site_in(
            dir.path(),
            "[feeds]\nlimit = 5\nper_taxonomy = [\"series\", \"authors\"]\n",
        );
        let files = rendered_files(&config, now);
        // A term in any spelling, newest first; one term given as a string.
        assert_eq!(
            atom_titles(&files, "series/rust-basics.atom.xml"),
            (
                "T — rust basics".to_string(),
                vec!["two".to_string(), "one".to_string()]
            )
        );
        assert_eq!(atom_titles(&files, "series/other.atom.xml").1, ["three"]);
        assert_eq!(atom_titles(&files, "authors/ada.atom.xml").1, ["one"]);
        assert!(files.contains_key("series/other.xml") && files.contains_key("series/other.json"));
        // A value that is no list of terms is the post's error: it is in no feed.
        assert!(!files["atom.xml"].contains("<title>bad</title>"));
        // The page and the OPML list each taxonomy apart.
        let page = &files["index.html"];
        let table = page.split_once("Feeds by series").map_or("", |(_, t)| t);
        let table = table
            .split_once("Feeds by authors")
            .map_or(table, |(t, _)| t);
        assert!(
            table.contains("series/other.atom.xml") && !table.contains("authors/"),
            "{page}"
        );
        assert!(page.contains("Feeds by authors"), "{page}");
        let opml = roxmltree::Document::parse(&files["feeds.opml"]).unwrap();
        let group = opml
            .descendants()
            .find(|n| n.attribute("text") == Some("Series"))
            .expect("a Series outline");
        let titles: Vec<&str> = group
            .children()
            .filter_map(|n| n.attribute("text"))
            .collect();
        assert_eq!(titles, ["T — Other", "T — rust basics"]);
        // Not among the site's own feeds at the top of the page.
        let top = page.split_once("<h2>Feeds</h2>").map_or("", |(_, t)| t);
        let top = top.split_once("Feeds by").map_or("", |(t, _)| t);
        assert!(
            top.contains("atom.xml") && !top.contains("series/"),
            "{top}"
        );
        // Autodiscovery names the site's feeds alone, not one per term.
        let head = page.split_once("</head>").map_or("", |(h, _)| h);
        assert!(
            head.contains("rel=\"alternate\"") && !head.contains("series/"),
            "{head}"
        );
    }

    #[test]
    fn the_page_lists_a_names_feeds_without_rss_too() {
        let dir = tempfile::tempdir().unwrap();
        write_posts(dir.path(), &[("one", 1, "tags: [kelp]")]);
        let (config, now) = site_in(
            dir.path(),
            "[feeds]\nformats = [\"atom\", \"json\"]\nper_tag = true\n",
        );
        let page = &rendered_files(&config, now)["index.html"];
        let table = page.split_once("Feeds by tag").map_or("", |(_, t)| t);
        let row = table.split_once("<tr><td>kelp</td>").map_or("", |(_, r)| r);
        let row = row.split_once("</tr>").map_or("", |(r, _)| r);
        assert!(
            row.contains("tags/kelp.atom.xml") && row.contains("tags/kelp.json"),
            "{page}"
        );
    }

    #[test]
    fn files_whose_posts_did_not_change_are_kept_unrendered() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let write = |name: &str, tag: &str, body: &str| {
            std::fs::write(
                dir.path().join(format!("content/{name}.md")),
                format!("---\ntitle: {name}\ndate: '2025-05-30'\ntags: [{tag}]\n---\n{body}\n"),
            )
            .unwrap();
        };
        write("a", "one", "A.");
        write("b", "two", "B.");
        let (config, now) = site_in(dir.path(), "[feeds]\nper_tag = true\n");
        // Which files a build renders, given what the last one left.
        let rendered_files = |reuse: &Reuse| {
            let site =
                crate::content::collect(&config, now, &mut crate::Report::default()).unwrap();
            let mut fresh = Vec::new();
            let rendered = render(&config, &site, now, reuse, &mut |name, output| {
                if matches!(output, Output::Bytes(_)) {
                    fresh.push(name);
                }
                Ok(())
            });
            fresh.retain(|name| name.ends_with(".xml") || name.ends_with(".json"));
            fresh.sort();
            let previous = rendered.fingerprints.into_iter().collect();
            (
                fresh,
                Reuse {
                    previous,
                    warnings: rendered.post_warnings,
                },
            )
        };
        let (first, reuse) = rendered_files(&Reuse::default());
        assert_eq!(first.len(), 9, "{first:?}");
        let (second, reuse) = rendered_files(&reuse);
        assert!(second.is_empty(), "{second:?}");
        std::thread::sleep(std::time::Duration::from_millis(10));
        write("b", "two", "B, edited.");
        let (third, _) = rendered_files(&reuse);
        assert_eq!(
            third,
            [
                "atom.xml",
                "feed.json",
                "rss.xml",
                "tags/two.atom.xml",
                "tags/two.json",
                "tags/two.xml"
            ]
        );
    }

    #[test]
    fn tag_slugs_are_safe_file_names() {
        assert_eq!(tag_slug("Open Source AI"), "open-source-ai");
        assert_eq!(tag_slug("C++"), "c-plus-plus");
        assert_eq!(tag_slug("C#"), "c-sharp");
        assert_eq!(tag_slug("C--"), "c");
        assert_eq!(tag_slug("../../etc"), "etc");
        assert_eq!(tag_slug("人工智能"), "人工智能");
        assert_eq!(tag_slug(".."), "");
        let long = "人工智能".repeat(30);
        let slug = tag_slug(&long);
        assert!(slug.len() <= MAX_TAG_SLUG_BYTES, "{}", slug.len());
        assert_ne!(slug, tag_slug(&format!("{long}x")));
    }

    #[test]
    fn distinct_tags_get_distinct_files() {
        let (files, notes) = tag_files(&["C", "C#", "C++", "C--", "Rust", "rust"], "tags");
        assert_eq!(files["c"], "c");
        assert_eq!(files["c#"], "c-sharp");
        assert_eq!(files["c++"], "c-plus-plus");
        assert!(
            files["c--"].starts_with("c-") && files["c--"].len() == 10,
            "{files:?}"
        );
        assert_eq!(files["rust"], "rust");
        assert_eq!(files.len(), 5);
        assert_eq!(notes.len(), 1, "{notes:?}");
        // Categories' files are named the same way, and said to be in their folder.
        let (files, notes) = tag_files(&["Field Notes", "field-notes"], "categories");
        assert_eq!(files.len(), 2);
        assert!(
            notes[0].contains("would share categories/field-notes"),
            "{notes:?}"
        );
    }
}
