//! Posts: reading them from disk and deciding which are published.

pub mod cache;
pub mod cascade;
pub mod collect;
mod duplicates;
pub mod episode;
pub mod frontmatter;
pub mod jekyll_authors;
pub mod new_post;
pub mod publish;
pub mod read;
pub mod record;
pub mod sections;
pub mod walk;

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use url::Url;

pub use collect::{collect, Site};
pub use publish::State;

use crate::config::Person;
use crate::error::Diagnostic;
use crate::generators::EntryOrder;

/// One post as read from its file; its Markdown is rendered later, and only
/// if some output contains it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Post {
    /// The file, as shown in messages.
    #[serde(skip)]
    pub path: PathBuf,
    /// How the generator counts the file (to read it again the same way).
    #[serde(skip)]
    pub kind: crate::generators::FileKind,
    /// False once `compact` dropped what only outputs need; `hydrate`
    /// reads it again.
    #[serde(skip)]
    pub complete: bool,
    /// A digest of the file's state when it was read (`cache::Stamp`), when
    /// the build cache is on and the post depends on no other file: what
    /// outputs holding it are fingerprinted by (see `feeds::reuse`). A
    /// digest, not the stamp: every post of the site carries it.
    #[serde(skip)]
    pub(crate) stamp: Option<u64>,
    pub title: String,
    pub slug: String,
    pub url: Url,
    /// Stable identity for feed readers: an explicit `id`, else the URL.
    pub id: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// Set when the author marks the `updated` date as worth a digest's
    /// notice: empty, or what changed.
    pub update_notice: Option<String>,
    pub expiry: Option<DateTime<FixedOffset>>,
    /// When the post is published, when not at `date`: Hugo's `publishDate`
    /// beside a `date` (the feed shows `date`, the page waits for this).
    #[serde(default)]
    pub publish_at: Option<DateTime<FixedOffset>>,
    /// Held back until then whatever `publish_future` says (`[fields]
    /// scheduled`: a site's own code holding the post back).
    #[serde(default)]
    pub held_until: Option<DateTime<FixedOffset>>,
    pub draft: bool,
    /// `published: false` in the front matter.
    pub unpublished: bool,
    /// False when the post opted out of feeds (`feed: false`).
    pub in_feeds: bool,
    /// Whether a date in the future holds the post back (false where the
    /// generator publishes such posts at once, `publish_future`).
    #[serde(default = "yes")]
    pub waits_for_date: bool,
    /// Which lists hold the post: all but for Hugo's build option `list`.
    #[serde(default)]
    pub listed: Listed,
    /// Hugo's `weight`, which orders its feeds before the date (see
    /// `EntryOrder::WeightDateTitle`; read for that order alone, else 0).
    #[serde(default)]
    pub weight: i64,
    /// Hugo's `linkTitle`, which orders same-date pages there.
    #[serde(default)]
    pub link_title: Option<String>,
    /// Hugo's `.Type` (its `type`, else its top-level folder), read where a
    /// top-level section's feed lists the posts of its type
    /// (`feeds.section_pages = "top_by_type"`).
    #[serde(default)]
    pub hugo_type: Option<String>,
    /// Shared among the posts of a site that carry the same tag (see
    /// `Tag`): most posts' tags are a few of the site's few.
    pub tags: Vec<Tag>,
    /// The line the tags are set on, for messages about a tag.
    #[serde(skip)]
    pub tags_line: Option<usize>,
    /// The categories as written (for Jekyll also the folders above
    /// `_posts`), read only when the site has feeds per category
    /// (`feeds.categories`).
    pub categories: Vec<Tag>,
    /// The tags that put the post in feeds per tag when they are not its
    /// `tags`: for Jekyll, the post's own `tag`/`tags` alone, since
    /// jekyll-feed's feeds per tag take `site.tags`, while `tags` also holds
    /// the categories for the entries. Read only with `feeds.per_tag`.
    pub feed_tags: Option<Vec<Tag>>,
    /// The terms of each of `feeds.per_taxonomy`, in its order (empty
    /// without it).
    pub terms: Vec<Vec<Tag>>,
    /// What only an output's entry needs; `None` once `compact` dropped it
    /// (templates see its fields as the post's own, see `PostView`).
    #[serde(skip)]
    pub details: Option<Box<Details>>,
    /// The podcast episode this post carries, when the site has a podcast.
    /// Boxed: few posts are episodes, and every post carries the field.
    pub episode: Option<Box<episode::Episode>>,
}

impl Post {
    /// The title people see in a digest, the archive and the page: a post
    /// left untitled (Hugo and Eleventy list such pages, and so do their
    /// feeds, with an empty title) is shown by its address.
    pub fn display_title(&self) -> std::borrow::Cow<'_, str> {
        if self.title.trim().is_empty() {
            let url = self.url.as_str();
            let shown = url.split_once("://").map_or(url, |(_, rest)| rest);
            std::borrow::Cow::Owned(shown.to_string())
        } else {
            std::borrow::Cow::Borrowed(&self.title)
        }
    }

    /// Whether the post is in the category `name`, spelled exactly so (as
    /// jekyll-feed's `where: "categories"` compares).
    pub fn in_category(&self, name: &str) -> bool {
        self.categories.iter().any(|c| **c == *name)
    }

    /// Whether reading the post read another file too (a chapters file
    /// its episode names), which the post's stamp does not cover.
    pub fn reads_other_files(&self) -> bool {
        self.episode
            .as_ref()
            .is_some_and(|e| e.checked_file.is_some())
    }

    /// The tags whose feeds hold the post.
    pub fn tags_for_feeds(&self) -> &[Tag] {
        self.feed_tags.as_deref().unwrap_or(&self.tags)
    }
}

fn yes() -> bool {
    true
}

/// Which of a site's lists hold a post, as Hugo's build option `list`
/// (gohugo.io/content-management/build-options) says, and as Hugo fills
/// them: a page kept out of lists stays in the pages of its terms (Hugo
/// collects a page's terms whatever its `list`, gohugo/hugo#12340).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Listed {
    /// Every feed and digest.
    #[default]
    Always,
    /// `local`: its section's feed and its terms', not the site's.
    Local,
    /// `never`: its terms' feeds alone.
    Never,
}

/// A tag as the post spells it; one allocation per spelling in a site, not
/// one per post (see `collect::collect_listed`).
pub type Tag = std::sync::Arc<str>;

/// The parts of a post only an output's entry needs. Boxed in the post and
/// dropped while the feeds are chosen: every post of the site is kept then,
/// and few end up in a feed.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Details {
    pub authors: Vec<Person>,
    /// The summary written in the front matter, if any.
    pub summary: Option<String>,
    pub external_url: Option<String>,
    /// Every front-matter key without a meaning of its own, for templates.
    pub extra: Map<String, Value>,
}

/// A post as templates see it: its fields and its details' in one.
#[derive(serde::Serialize)]
pub struct PostView<'a> {
    #[serde(flatten)]
    post: &'a Post,
    #[serde(flatten)]
    details: &'a Details,
}

impl<'a> PostView<'a> {
    pub fn of(post: &'a Post) -> PostView<'a> {
        PostView {
            post,
            details: post.details(),
        }
    }
}

impl Post {
    /// What only an output's entry needs (empty once `compact` dropped it).
    pub fn details(&self) -> &Details {
        static NONE: std::sync::LazyLock<Details> = std::sync::LazyLock::new(Details::default);
        self.details.as_deref().unwrap_or(&NONE)
    }

    /// The Markdown body, read again from the file. Bodies are the bulk of a
    /// site and only the few posts an output contains need theirs, so they
    /// are not kept in memory between reading the site and rendering.
    pub fn body(&self) -> Result<String, Diagnostic> {
        self.body_with_line().map(|(body, _)| body)
    }

    /// The body and the line of the file it starts on. A file that changed
    /// or went away since it was read is a problem of that post only: the
    /// caller leaves the post out and reports this.
    pub fn body_with_line(&self) -> Result<(String, usize), Diagnostic> {
        let changed = |what: &str| {
            Diagnostic::error(
                &self.path,
                None,
                format!("the file changed while gazette ran ({what}): left out, run gazette again"),
            )
        };
        let bytes = std::fs::read(&self.path).map_err(|e| changed(&e.to_string()))?;
        // Collecting checked only the front matter: a body that is not text
        // is found here, with its line.
        let text = read::decode(&self.path, &bytes)?;
        let split = match frontmatter::split(text) {
            Ok(split) => split,
            // Read as a post without any: a generator that builds such files.
            Err(frontmatter::SplitError::Missing) => frontmatter::whole_body(text),
            Err(_) => return Err(changed("front matter gone")),
        };
        Ok((split.body.to_string(), split.body_line))
    }

    /// Drops what only an output's entry needs (front-matter extras,
    /// authors, summary, external URL): a site's posts are all kept while
    /// the feeds are chosen, and only a few end up in one.
    pub fn compact(&mut self) {
        self.details = None;
        self.complete = false;
    }

    /// The whole post, read again from its file when `compact` dropped
    /// parts of it. A file that changed meanwhile (no longer a post, or
    /// another id) is a problem of this post only.
    pub fn hydrate(&self, config: &crate::config::Config) -> Result<Post, Diagnostic> {
        if self.complete {
            return Ok(self.clone());
        }
        let changed = |what: &str| {
            Diagnostic::error(
                &self.path,
                None,
                format!("the file changed while gazette ran ({what}): left out, run gazette again"),
            )
        };
        match read::read_post(&self.path, self.kind, config) {
            // The stamp of the file as it was chosen: a file changed since
            // is read anew by the next build.
            // The URL tells the same post: its id may be the one the
            // publication record keeps, not the one the rules give.
            Ok(read::Read::Post(post, _)) if post.url == self.url => Ok(Post {
                stamp: self.stamp,
                id: self.id.clone(),
                // An undated document keeps the date its build gave it.
                date: post.date.or(self.date),
                ..*post
            }),
            Ok(read::Read::Post(..)) => Err(changed("its URL is another now")),
            Ok(_) => Err(changed("no longer a post")),
            Err(diagnostics) => Err(changed(
                &diagnostics
                    .first()
                    .map_or("no longer readable".into(), |d| d.message.clone()),
            )),
        }
    }

    /// When readers should consider the post last changed.
    pub fn updated_or_date(&self) -> Option<DateTime<FixedOffset>> {
        match (self.updated, self.date) {
            (Some(updated), Some(date)) => Some(updated.max(date)),
            (updated, date) => updated.or(date),
        }
    }
}

/// Sorts `posts` as the feeds list them: newest first, same-date posts
/// as the generator's feeds order them (`order`). Each file is one post,
/// so the path makes the order total: it never depends on the file system
/// or on threads.
pub fn sort_for_feeds<P: std::ops::Deref<Target = Post>>(order: EntryOrder, posts: &mut [P]) {
    match order {
        EntryOrder::WeightDateTitle => return sort_as_hugo(posts),
        EntryOrder::LastmodReversed => {
            sort_as_hugo(posts);
            posts.reverse();
            // Stable: same-second pages keep the reversed default order.
            let lastmod = |post: &Post| post.updated.or(post.date).map(|d| d.timestamp());
            return posts.sort_by_key(|post| std::cmp::Reverse(lastmod(post)));
        }
        _ => {}
    }
    posts.sort_unstable_by(|a, b| {
        b.date.cmp(&a.date).then_with(|| match order {
            EntryOrder::DatePath => source_path(a).cmp(source_path(b)),
            EntryOrder::DatePathDescending => source_path(b).cmp(source_path(a)),
            _ => {
                a.id.cmp(&b.id)
                    .then_with(|| source_path(a).cmp(source_path(b)))
            }
        })
    });
}

/// Hugo's default page order: weight, then date to the second, then link
/// title, compared as Go's `collate` compares them for the root locale
/// (punctuation counts, case and accents only where the letters are the
/// same), then the file.
fn sort_as_hugo<P: std::ops::Deref<Target = Post>>(posts: &mut [P]) {
    let mut collator =
        feruca::Collator::new(feruca::Tailoring::Cldr(feruca::Locale::Root), false, false);
    let seconds = |post: &Post| post.date.map(|date| date.timestamp());
    posts.sort_unstable_by(|a, b| {
        hugo_weight(a.weight, b.weight)
            .then_with(|| seconds(b).cmp(&seconds(a)))
            .then_with(|| collator.collate(link_title(a), link_title(b)))
            .then_with(|| source_path(a).cmp(source_path(b)))
    });
}

/// What Hugo sorts a page by after its weight and date: `linkTitle`, else
/// the title.
fn link_title(post: &Post) -> &str {
    post.link_title.as_deref().unwrap_or(&post.title)
}

/// A post's file as bytes, the order Ruby and JavaScript compare paths in
/// (a `/` is no separator to them: `a-b.md` comes before `a/b.md`).
fn source_path(post: &Post) -> &[u8] {
    post.path.as_os_str().as_encoded_bytes()
}

#[cfg(test)]
impl Post {
    /// A published post read from `path`, for tests: its URL and id
    /// `https://e.org/<file stem>/`.
    pub(crate) fn sample(path: &str, title: &str, date: Option<&str>) -> Post {
        let slug = std::path::Path::new(path)
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_string();
        let url = Url::parse(&format!("https://e.org/{slug}/")).unwrap();
        Post {
            path: path.into(),
            kind: crate::generators::FileKind::Post,
            complete: true,
            stamp: None,
            title: title.into(),
            slug,
            id: url.to_string(),
            url,
            date: date.map(|d| d.parse().unwrap()),
            updated: None,
            update_notice: None,
            expiry: None,
            draft: false,
            unpublished: false,
            in_feeds: true,
            listed: Listed::Always,
            weight: 0,
            link_title: None,
            hugo_type: None,
            waits_for_date: true,
            publish_at: None,
            held_until: None,
            details: None,
            tags: Vec::new(),
            tags_line: None,
            categories: Vec::new(),
            feed_tags: None,
            terms: Vec::new(),
            episode: None,
        }
    }
}

/// Hugo's pages with a weight come first, the smallest first; pages
/// without one (0) after them.
fn hugo_weight(a: i64, b: i64) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        _ if a == b => Ordering::Equal,
        (0, _) => Ordering::Greater,
        (_, 0) => Ordering::Less,
        _ => a.cmp(&b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(entry_order: EntryOrder, posts: &[Post]) -> Vec<String> {
        let mut sorted: Vec<&Post> = posts.iter().collect();
        sort_for_feeds(entry_order, &mut sorted);
        sorted
            .iter()
            .map(|p| p.path.display().to_string())
            .collect()
    }

    const DAY: Option<&str> = Some("2024-03-05T00:00:00Z");

    #[test]
    fn same_date_posts_follow_the_generators_path_order() {
        // By bytes, as Ruby and JavaScript compare paths: `-` sorts before
        // `/`, where comparing components would put `a/b.md` first.
        let posts = [
            Post::sample("_posts/a/b.md", "Nested", DAY),
            Post::sample("_posts/a-b.md", "Dashed", DAY),
            Post::sample("_posts/older.md", "Older", Some("2024-03-01T00:00:00Z")),
            Post::sample("_posts/c.md", "Later", DAY),
        ];
        assert_eq!(
            order(EntryOrder::DatePath, &posts),
            [
                "_posts/a-b.md",
                "_posts/a/b.md",
                "_posts/c.md",
                "_posts/older.md"
            ]
        );
        assert_eq!(
            order(EntryOrder::DatePathDescending, &posts),
            [
                "_posts/c.md",
                "_posts/a/b.md",
                "_posts/a-b.md",
                "_posts/older.md"
            ]
        );
        // By id: `https://e.org/b/` (a/b.md) before `https://e.org/c/`.
        assert_eq!(
            order(EntryOrder::DateId, &posts),
            [
                "_posts/a-b.md",
                "_posts/a/b.md",
                "_posts/c.md",
                "_posts/older.md"
            ]
        );
    }

    #[test]
    fn hugo_orders_by_weight_then_date_then_collated_link_title_then_file() {
        // The order Hugo 0.168 gave these pages in its RSS feed.
        let titles = [
            "Zulu",
            "alpha",
            "Bravo",
            "bravo",
            "10 things",
            "2 things",
            "_under",
            "Éclair",
            "eclair",
        ];
        let mut posts: Vec<Post> = titles
            .iter()
            .enumerate()
            .map(|(i, title)| Post::sample(&format!("content/posts/{i}.md"), title, DAY))
            .collect();
        let mut pinned = Post::sample("content/posts/w.md", "Heavy", Some("2024-01-05T00:00:00Z"));
        pinned.weight = 1;
        posts.push(pinned);
        let mut sorted: Vec<&Post> = posts.iter().collect();
        sort_for_feeds(EntryOrder::WeightDateTitle, &mut sorted);
        let sorted: Vec<&str> = sorted.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            sorted,
            [
                "Heavy",
                "_under",
                "10 things",
                "2 things",
                "alpha",
                "bravo",
                "Bravo",
                "eclair",
                "Éclair",
                "Zulu"
            ]
        );
    }

    #[test]
    fn hugo_by_lastmod_reversed_lists_the_last_modified_first() {
        let mut posts = vec![
            Post::sample("content/old-edited.md", "Old", Some("2024-01-01T00:00:00Z")),
            Post::sample("content/new.md", "New", Some("2024-03-01T00:00:00Z")),
            Post::sample("content/a.md", "A", DAY),
            Post::sample("content/b.md", "B", DAY),
            Post::sample("content/undated.md", "Undated", None),
        ];
        posts[0].updated = Some("2024-04-01T00:00:00Z".parse().unwrap());
        // Same second: Hugo's default order (A before B) reversed.
        assert_eq!(
            order(EntryOrder::LastmodReversed, &posts),
            [
                "content/old-edited.md",
                "content/b.md",
                "content/a.md",
                "content/new.md",
                "content/undated.md"
            ]
        );
    }

    #[test]
    fn hugo_weights_put_unweighted_pages_last_and_link_titles_win() {
        let mut posts = vec![
            Post::sample("content/a.md", "A", DAY),
            Post::sample("content/b.md", "B", DAY),
            Post::sample("content/c.md", "C", DAY),
            Post::sample("content/d.md", "Same", DAY),
            Post::sample("content/e.md", "Same", DAY),
        ];
        posts[0].weight = 5;
        posts[1].weight = -2;
        // `linkTitle` decides over the title: "Aardvark" comes first.
        posts[4].link_title = Some("Aardvark".into());
        assert_eq!(
            order(EntryOrder::WeightDateTitle, &posts),
            [
                "content/b.md",
                "content/a.md",
                "content/e.md",
                "content/c.md",
                "content/d.md"
            ]
        );
    }
}
