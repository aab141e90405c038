//! `[podcast]`: the show-level settings of `podcast.xml`, and Apple's
//! category list they are checked against.

use serde::Deserialize;

use super::{Person, Validate};

/// The show-level settings of `podcast.xml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodcastConfig {
    /// Defaults to the site title.
    #[serde(default)]
    pub title: Option<String>,
    /// Defaults to the site description.
    #[serde(default)]
    pub description: Option<String>,
    pub(crate) author: String,
    /// Square artwork, 1400 to 3000 pixels; relative URLs are taken from `base_url`.
    pub image: String,
    /// Apple Podcasts categories, e.g. "Technology" or "Society & Culture > Documentary".
    pub categories: Vec<String>,
    #[serde(default)]
    pub(crate) explicit: bool,
    pub(crate) owner: Person,
    #[serde(default, rename = "type")]
    pub(crate) show_type: ShowType,
    /// `podcast:locked`: ask other platforms not to import the feed.
    #[serde(default = "default_true")]
    pub locked: bool,
    #[serde(default)]
    pub(crate) copyright: Option<String>,
    /// Front-matter key holding a post's episode (`url`, `length`, `type`, ...).
    #[serde(default = "default_episode_key")]
    pub episode_key: String,
    /// An episode spread over keys of the post's own, as a site's own feed
    /// template reads them (`media_url`, `episode_length`), in place of
    /// the `episode_key` mapping.
    #[serde(default)]
    pub episode_keys: Option<EpisodeKeys>,
    /// Episodes in the feed; 0 (the default) keeps the whole back catalogue.
    #[serde(default)]
    pub limit: usize,
    /// `podcast:medium`: what the feed is (podcast, music, video, film,
    /// audiobook, newsletter, blog).
    #[serde(default = "default_medium")]
    pub(crate) medium: String,
    /// `podcast:license`: a license identifier such as "cc-by-4.0".
    #[serde(default)]
    pub(crate) license: Option<String>,
    /// `podcast:funding`: where listeners can support the show.
    #[serde(default)]
    pub(crate) funding: Vec<Funding>,
    /// Front-matter keys naming an episode's guests (`podcast:person
    /// role="guest"`); its authors are its hosts.
    #[serde(default = "default_guest_keys")]
    pub(crate) guest_keys: Vec<String>,
    /// `podcast:guid`: the show's identity. Set it to keep the identity a
    /// show had at another host; without it, the Podcast Namespace's UUIDv5
    /// of the feed URL.
    #[serde(default)]
    pub(crate) guid: Option<String>,
    /// `itunes:new-feed-url`: where the show moved; apps follow it.
    #[serde(default)]
    pub(crate) new_feed_url: Option<String>,
    /// `podcast:person` of the whole show: its hosts and other regulars.
    #[serde(default)]
    pub(crate) people: Vec<ShowPerson>,
}

/// The front-matter keys an episode's fields are in, where a post spreads
/// them over keys of its own: a post is an episode where it sets `url`'s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpisodeKeys {
    /// The key of the audio's address.
    pub url: String,
    /// Text put before that value (`/attachments/`), as the site's feed
    /// template writes it; the result is read as an episode's `url` is.
    #[serde(default)]
    pub url_prefix: String,
    /// The key of its size in bytes.
    pub length: String,
    /// The key of its MIME type, where posts give one.
    #[serde(default, rename = "type")]
    pub mime_type: Option<String>,
    /// The MIME type of a post that gives none (`audio/mpeg`).
    #[serde(default)]
    pub default_type: Option<String>,
    /// The key of its duration (seconds, or `H:MM:SS`).
    #[serde(default)]
    pub duration: Option<String>,
    /// The key of its season number.
    #[serde(default)]
    pub season: Option<String>,
    /// The key of its episode number.
    #[serde(default)]
    pub episode: Option<String>,
    /// The key of its type: `full`, `trailer` or `bonus`.
    #[serde(default)]
    pub episode_type: Option<String>,
    /// The key saying whether it is explicit.
    #[serde(default)]
    pub explicit: Option<String>,
    /// The key of its own artwork.
    #[serde(default)]
    pub image: Option<String>,
}

impl EpisodeKeys {
    /// Each field of an `audio` mapping with the key it is read from.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        let mut fields = vec![("url", self.url.as_str()), ("length", self.length.as_str())];
        let optional = [
            ("type", &self.mime_type),
            ("duration", &self.duration),
            ("season", &self.season),
            ("episode", &self.episode),
            ("episode_type", &self.episode_type),
            ("explicit", &self.explicit),
            ("image", &self.image),
        ];
        fields.extend(
            optional
                .into_iter()
                .filter_map(|(field, key)| Some((field, key.as_deref()?))),
        );
        fields
    }
}

/// A `podcast:person` of the show.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowPerson {
    /// The person's name.
    pub(crate) name: String,
    /// Their role in the Podcast Namespace's taxonomy; `host` by default.
    #[serde(default = "default_role")]
    pub(crate) role: String,
    /// A page about them.
    #[serde(default)]
    pub(crate) href: Option<String>,
    /// A picture of them.
    #[serde(default)]
    pub(crate) img: Option<String>,
}

fn default_role() -> String {
    "host".into()
}

/// A `podcast:funding` link.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// Where listeners give.
    pub(crate) url: String,
    /// What the link says, e.g. "Support the show".
    pub(crate) text: String,
}

/// The Podcast Namespace's mediums (and their `…L` list forms).
const MEDIUMS: &[&str] = &[
    "podcast",
    "music",
    "video",
    "film",
    "audiobook",
    "newsletter",
    "blog",
    "podcastL",
    "musicL",
    "videoL",
    "filmL",
    "audiobookL",
    "newsletterL",
    "blogL",
];

fn default_medium() -> String {
    "podcast".into()
}

fn default_guest_keys() -> Vec<String> {
    vec!["guest".into(), "guests".into()]
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
/// `itunes:type`: how apps order the episodes.
pub enum ShowType {
    #[default]
    /// Newest episode first.
    Episodic,
    /// Oldest episode first.
    Serial,
}

impl ShowType {
    /// The value `itunes:type` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            ShowType::Episodic => "episodic",
            ShowType::Serial => "serial",
        }
    }
}

fn default_true() -> bool {
    true
}
fn default_episode_key() -> String {
    "audio".into()
}

impl PodcastConfig {
    /// Checks the show against what Apple Podcasts requires, and makes the
    /// artwork URL absolute.
    pub(crate) fn validate(&mut self, v: &Validate<'_>) -> Result<(), crate::Error> {
        self.image = v.absolute("podcast.image", &self.image)?;
        if !MEDIUMS.contains(&self.medium.as_str()) {
            return Err(v.invalid(
                "podcast.medium",
                format!(
                    "{:?} is not a Podcast Namespace medium: one of {}",
                    self.medium,
                    MEDIUMS.join(", ")
                ),
            ));
        }
        for funding in &mut self.funding {
            funding.url = v.absolute("podcast.funding.url", &funding.url)?;
        }
        for person in &mut self.people {
            if let Some(href) = &person.href {
                person.href = Some(v.absolute("podcast.people.href", href)?);
            }
            if let Some(img) = &person.img {
                person.img = Some(v.absolute("podcast.people.img", img)?);
            }
        }
        if let Some(guid) = &self.guid {
            let parsed = uuid::Uuid::parse_str(guid.trim()).map_err(|e| {
                v.invalid(
                    "podcast.guid",
                    format!(
                        "{guid:?} is not a UUID ({e}); copy the show's `podcast:guid` as it is"
                    ),
                )
            })?;
            self.guid = Some(parsed.hyphenated().to_string());
        }
        if let Some(url) = &self.new_feed_url {
            let parsed = url::Url::parse(url).map_err(|e| {
                v.invalid("podcast.new_feed_url", format!("{url:?} is not a URL: {e}"))
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(v.invalid("podcast.new_feed_url", "must be an http or https URL"));
            }
        }
        if self.categories.is_empty() {
            return Err(v.invalid(
                "podcast.categories",
                "list at least one Apple Podcasts category, e.g. [\"Technology\"]",
            ));
        }
        for category in &self.categories {
            check_category(category).map_err(|m| v.invalid("podcast.categories", m))?;
        }
        if self.owner.email.is_none() {
            return Err(v.invalid(
                "podcast.owner",
                "needs an `email`: Apple Podcasts uses it to verify the show",
            ));
        }
        Ok(())
    }
}

/// Apple Podcasts' categories and their subcategories.
const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Arts",
        &[
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    (
        "Business",
        &[
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
        ],
    ),
    ("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    (
        "Education",
        &["Courses", "How To", "Language Learning", "Self-Improvement"],
    ),
    ("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    ("Government", &[]),
    ("History", &[]),
    (
        "Health & Fitness",
        &[
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ],
    ),
    (
        "Kids & Family",
        &[
            "Education for Kids",
            "Parenting",
            "Pets & Animals",
            "Stories for Kids",
        ],
    ),
    (
        "Leisure",
        &[
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ],
    ),
    (
        "Music",
        &["Music Commentary", "Music History", "Music Interviews"],
    ),
    (
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    (
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
        ],
    ),
    (
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    (
        "Society & Culture",
        &[
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
        ],
    ),
    (
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    ("Technology", &[]),
    ("True Crime", &[]),
    (
        "TV & Film",
        &[
            "After Shows",
            "Film History",
            "Film Interviews",
            "Film Reviews",
            "TV Reviews",
        ],
    ),
];

/// Splits "Society & Culture > Documentary" into category and subcategory.
pub(crate) fn split_category(text: &str) -> (&str, Option<&str>) {
    match text.split_once('>') {
        Some((top, sub)) => (top.trim(), Some(sub.trim())),
        None => (text.trim(), None),
    }
}

/// Checks a configured category against Apple's list: apps reject others.
pub fn check_category(text: &str) -> Result<(), String> {
    let (top, sub) = split_category(text);
    let Some((_, subs)) = CATEGORIES.iter().find(|(name, _)| *name == top) else {
        return Err(format!(
            "{top:?} is not an Apple Podcasts category; use one of: {}",
            CATEGORIES
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    match sub {
        Some(sub) if !subs.contains(&sub) => Err(format!(
            "{sub:?} is not a subcategory of {top:?}; use one of: {}",
            if subs.is_empty() {
                "(none)".to_string()
            } else {
                subs.join(", ")
            }
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_checked() {
        assert!(check_category("Technology").is_ok());
        assert!(check_category("Society & Culture > Documentary").is_ok());
        assert!(check_category("Tech")
            .unwrap_err()
            .contains("not an Apple Podcasts category"));
        assert!(check_category("Technology > Gadgets")
            .unwrap_err()
            .contains("not a subcategory"));
    }
}
