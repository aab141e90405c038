//! `gazette check --against OLD_FEED_FILE`: what a switch to gazette would
//! change for the readers of a feed the site published before.
//!
//! Feed readers know an entry by its id (Atom `<id>`, RSS `<guid>`, JSON
//! Feed `id`; an RSS item without a guid by its link): an entry whose id
//! changes is shown again as new. Each difference is listed so that nobody
//! migrates blind.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::content::Post;
use crate::old_feed::{normalized, same_url, OldEntry};

/// A difference readers would notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Change {
    /// Same post (found by link), another id: readers see it again as new.
    IdChanged {
        /// What the old feed had.
        old: String,
        /// What gazette writes.
        new: String,
        /// The entry link.
        link: String,
    },
    /// Same id, another link.
    LinkChanged {
        /// The entry id.
        id: String,
        /// What the old feed had.
        old: String,
        /// What gazette writes.
        new: String,
    },
    /// Same id, another title: readers show the entry renamed.
    TitleChanged {
        /// The entry id.
        id: String,
        /// What the old feed had.
        old: String,
        /// What gazette writes.
        new: String,
    },
    /// Same id, another date.
    DateChanged {
        /// The entry id.
        id: String,
        /// What the old feed had.
        old: String,
        /// What gazette writes.
        new: String,
    },
    /// Same id, another enclosure or none: podcast apps download the
    /// episode again, or lose its audio.
    EnclosureChanged {
        /// The entry id.
        id: String,
        /// What the old feed had.
        old: String,
        /// What gazette writes, if anything.
        new: Option<String>,
    },
    /// An old entry with the id of another before it: two pages at one
    /// address, which readers show as one entry and gazette's feed holds
    /// once (the build reports the page it leaves out).
    Repeated {
        /// The entry id.
        id: String,
        /// Its title in the old feed.
        title: Option<String>,
    },
    /// In the old feed, and gazette has no published post with its id or link.
    Missing {
        /// The entry id.
        id: String,
        /// Its title in the old feed.
        title: Option<String>,
        /// The old feed dated it 0001-01-01: a page without a date, which
        /// Hugo lists at that instant and gazette leaves out.
        undated: bool,
    },
    /// In the old feed, and a post of gazette's, but beyond the number of
    /// entries gazette's feed keeps: the generator keeps more.
    BeyondLimit {
        /// The entry id.
        id: String,
        /// Its title in the old feed.
        title: Option<String>,
        /// The number gazette's feed keeps.
        limit: usize,
    },
    /// A post gazette's feed holds, under an id the old feed never had,
    /// dated within the old feed's time span or before it: readers see it
    /// as new. (One dated after it is a post the site gained since.)
    New {
        /// The entry id.
        id: String,
        /// Its title.
        title: String,
        /// Older than every entry of the old feed: the generator left it
        /// out, or kept fewer entries than gazette's `limit`.
        older: bool,
    },
}

impl Change {
    /// A difference only because the old feed's id is relative: it was
    /// built without the site's address (Jekyll without `url`).
    pub fn is_relative_id(&self) -> bool {
        match self {
            Change::IdChanged { old, .. } => old.starts_with('/'),
            Change::Missing {
                id, undated: false, ..
            } => id.starts_with('/'),
            _ => false,
        }
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::IdChanged { old, new, link } if self.is_relative_id() => {
                write!(f, "id changed for {link}: {old} -> {new} (a relative id)")
            }
            Change::IdChanged { old, new, link } => {
                write!(f, "id changed for {link}: {old} -> {new} (readers would see it again as new)")
            }
            Change::LinkChanged { id, old, new } => write!(f, "link changed for {id}: {old} -> {new}"),
            Change::TitleChanged { id, old, new } => {
                write!(f, "title changed for {id}: {old:?} -> {new:?}")
            }
            Change::DateChanged { id, old, new } => write!(f, "date changed for {id}: {old} -> {new}"),
            Change::EnclosureChanged { id, old, new: Some(new) } => write!(
                f,
                "enclosure changed for {id}: {old} -> {new} (podcast apps would download the episode again)"
            ),
            Change::EnclosureChanged { id, old, new: None } => write!(
                f,
                "enclosure dropped for {id}: {old} (podcast apps would lose the episode's audio: give the post an episode, see [podcast] in the README)"
            ),
            Change::Repeated { id, title } => write!(
                f,
                "the old feed has {id} again{}: two pages at one address, one entry to readers; gazette's feed holds it once (the build names the page it leaves out)",
                title.as_deref().map(|t| format!(" as \"{t}\"")).unwrap_or_default(),
            ),
            Change::Missing { id, title, undated } => write!(
                f,
                "missing from gazette's feeds: {id}{} ({})",
                title.as_deref().map(|t| format!(" \"{t}\"")).unwrap_or_default(),
                if *undated {
                    "undated in the site: the generator listed it at 0001-01-01, where `undated = \"zero-date\"` lists it too; or give it a `date` (Hugo 0.111 lists a date it cannot read there too; Hugo 0.168 stops, as gazette reports an error)"
                } else if self.is_relative_id() {
                    "a relative id"
                } else {
                    "a draft, excluded, or another URL?"
                }
            ),
            Change::BeyondLimit { id, title, limit } => write!(
                f,
                "left out of gazette's feed, which keeps the newest {limit}: {id}{} (the generator keeps more: see `limit`, `main_limit`, `term_limit` and `section_limits` under [feeds])",
                title.as_deref().map(|t| format!(" \"{t}\"")).unwrap_or_default(),
            ),
            Change::New { id, title, older: false } => write!(
                f,
                "new within the old feed's time span: {id} \"{title}\" (readers would see it as new)"
            ),
            Change::New { id, title, older: true } => write!(
                f,
                "in gazette's feed, older than every entry of the old feed: {id} \"{title}\" (readers would see it as new: does the generator leave it out, or keep fewer entries than `limit`?)"
            ),
        }
    }
}

/// What the comparison found.
#[derive(Debug, Default, Serialize)]
pub struct Comparison {
    /// Entries in the old feed.
    pub old_entries: usize,
    /// Entries gazette writes unchanged.
    pub matching: usize,
    /// Every difference found.
    pub changes: Vec<Change>,
}

/// Compares the old feed's entries with the posts gazette would publish,
/// `posts` newest first, of which gazette's feed holds the first `limit`
/// (0: all), titled as its feeds title them.
pub fn compare(old: &[OldEntry], posts: &[&Post], limit: usize, config: &Config) -> Comparison {
    let by_id: HashMap<&str, &Post> = posts.iter().map(|p| (p.id.as_str(), *p)).collect();
    let in_feed = match limit {
        0 => posts.len(),
        limit => limit.min(posts.len()),
    };
    let beyond_limit: std::collections::HashSet<&str> =
        posts[in_feed..].iter().map(|p| p.id.as_str()).collect();
    let by_link: HashMap<&str, &Post> = posts.iter().map(|p| (p.url.as_str(), *p)).collect();
    // A feed built without the site's address (Jekyll with an empty `url`)
    // has relative links: the same post is the one at that path.
    let by_path: HashMap<&str, &Post> = posts.iter().map(|p| (p.url.path(), *p)).collect();
    let mut result = Comparison {
        old_entries: old.len(),
        ..Comparison::default()
    };
    let compared = compared_entries(old, &by_id, config);
    for (index, entry) in old.iter().enumerate() {
        if compared
            .get(entry.id.as_str())
            .is_some_and(|&at| at != index)
        {
            result.changes.push(Change::Repeated {
                id: entry.id.clone(),
                title: entry.title.clone(),
            });
        } else if let Some(post) = by_id.get(entry.id.as_str()) {
            let changes = entry_changes(entry, post, config);
            let mut same = changes.is_empty();
            result.changes.extend(changes);
            if beyond_limit.contains(entry.id.as_str()) {
                same = false;
                result.changes.push(Change::BeyondLimit {
                    id: entry.id.clone(),
                    title: entry.title.clone(),
                    limit,
                });
            }
            if same {
                result.matching += 1;
            }
        } else if let Some(post) = entry.link.as_deref().and_then(|link| {
            by_link
                .get(link)
                .or_else(|| by_link.get(normalized(link).as_str()))
                .or_else(|| by_path.get(link).filter(|_| relative(link)))
        }) {
            result.changes.push(Change::IdChanged {
                old: entry.id.clone(),
                new: post.id.clone(),
                link: post.url.to_string(),
            });
        } else {
            result.changes.push(Change::Missing {
                id: entry.id.clone(),
                title: entry.title.clone(),
                undated: entry.date.is_some_and(|d| d.year() <= 1),
            });
        }
    }
    result
        .changes
        .extend(new_entries(old, &posts[..in_feed], config));
    result
}

/// How gazette's entry for `post` differs from the old feed's `entry`
/// with its id: its link, title, date and enclosure.
fn entry_changes(entry: &OldEntry, post: &Post, config: &Config) -> Vec<Change> {
    let mut changes = Vec::new();
    if let Some(link) = &entry.link {
        let written = crate::feeds::entry_link(config, post);
        if !same_url(link, &written) {
            changes.push(Change::LinkChanged {
                id: entry.id.clone(),
                old: link.clone(),
                new: written,
            });
        }
    }
    if let Some(old_title) = &entry.title {
        let new_title = crate::feeds::entry_title(config, post);
        if !same_title(old_title, &new_title) {
            changes.push(Change::TitleChanged {
                id: entry.id.clone(),
                old: old_title.clone(),
                new: new_title,
            });
        }
    }
    if let (Some(old_date), Some(new_date)) = (entry.date, post.date) {
        if old_date != new_date.with_timezone(&Utc) {
            changes.push(Change::DateChanged {
                id: entry.id.clone(),
                old: old_date.to_rfc3339(),
                new: new_date.to_rfc3339(),
            });
        }
    }
    if let Some(old_enclosure) = &entry.enclosure {
        let written = post.episode.as_ref().map(|episode| episode.url.clone());
        if !written
            .as_deref()
            .is_some_and(|new| same_url(old_enclosure, new))
        {
            changes.push(Change::EnclosureChanged {
                id: entry.id.clone(),
                old: old_enclosure.clone(),
                new: written,
            });
        }
    }
    changes
}

/// Of old entries sharing an id with a post, the one compared with it:
/// the first whose title is the post's, else the first. The others are
/// the same address listed again.
fn compared_entries<'a>(
    old: &'a [OldEntry],
    by_id: &HashMap<&str, &Post>,
    config: &Config,
) -> HashMap<&'a str, usize> {
    let mut compared: HashMap<&str, usize> = HashMap::new();
    for (index, entry) in old.iter().enumerate() {
        let Some(post) = by_id.get(entry.id.as_str()) else {
            continue;
        };
        let titled = |entry: &OldEntry| {
            entry
                .title
                .as_deref()
                .is_some_and(|title| same_title(title, &crate::feeds::entry_title(config, post)))
        };
        compared
            .entry(&entry.id)
            .and_modify(|at| {
                if !titled(&old[*at]) && titled(entry) {
                    *at = index;
                }
            })
            .or_insert(index);
    }
    compared
}

/// The posts of gazette's feed the old feed never had, dated within its
/// time span or before it.
fn new_entries(old: &[OldEntry], in_feed: &[&Post], config: &Config) -> Vec<Change> {
    let dates: Vec<DateTime<Utc>> = old.iter().filter_map(|e| e.date).collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return Vec::new();
    };
    // Looked up, not searched: a site's whole history may be in both.
    let known_ids: std::collections::HashSet<&str> = old.iter().map(|e| e.id.as_str()).collect();
    let known_links: std::collections::HashSet<String> = old
        .iter()
        .filter_map(|e| e.link.as_deref())
        .map(|link| {
            if relative(link) {
                link.to_string()
            } else {
                normalized(link)
            }
        })
        .collect();
    let mut changes = Vec::new();
    for post in in_feed {
        let Some(date) = post.date.map(|d| d.with_timezone(&Utc)) else {
            continue;
        };
        if date <= *last
            && !known_ids.contains(post.id.as_str())
            && !known_links.contains(&normalized(post.url.as_str()))
            && !known_links.contains(post.url.path())
        {
            changes.push(Change::New {
                id: post.id.clone(),
                title: crate::feeds::entry_title(config, post),
                older: date < *first,
            });
        }
    }
    changes
}

/// A link without scheme and host, as a feed built without the site's
/// address writes them.
fn relative(link: &str) -> bool {
    link.starts_with('/') && !link.starts_with("//")
}

/// Titles compare equal as readers show them: character references
/// decoded (a feed may write `&amp;` in an HTML title) and white space runs
/// as one space.
fn same_title(old: &str, new: &str) -> bool {
    let shown = |title: &str| crate::text::collapse(&html_escape::decode_html_entities(title));
    old == new || shown(old) == shown(new)
}
