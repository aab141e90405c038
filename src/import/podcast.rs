//! `gazette import podcast OLD_FEED.xml`: a show brought in from a podcast
//! host's RSS feed, keeping everything podcast apps remember of it.
//!
//! Each episode becomes a post in the site's own front-matter syntax, with
//! the host's GUID as its `id`, its first publication date as `date`, and
//! its enclosure URL, length and type unchanged (the audio stays where the
//! host serves it until the author moves it). The show's `podcast:guid`
//! goes into the publication record, so the feed gazette builds is the
//! same show to every app. Posts are written, never overwritten; an episode
//! whose id a post already carries is left alone, so running the import
//! again brings in only what is new.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use ::rss::extension::Extension;
use chrono::DateTime;

use crate::config::Config;
use crate::content::new_post::{self, Field, FrontMatter};
use crate::content::record;
use crate::error::Error;

/// The Podcast Namespace's URI (`podcast:` tags).
const PODCAST_NS: &str = "https://podcastindex.org/namespace/1.0";

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    /// The posts written, one per episode.
    pub written: Vec<PathBuf>,
    /// Episodes a post of the site already carries (by id).
    pub already_here: usize,
    /// Items not brought in, each with why.
    pub skipped: Vec<String>,
    /// The show's `podcast:guid`, now in the publication record.
    pub guid: String,
    /// Whether the guid came from the old feed's own `podcast:guid`.
    pub guid_from_feed: bool,
    /// The `[podcast]` table appended to the config (there was none).
    pub show_table: Option<String>,
}

/// Where the episodes go and how the old feed is known.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The folder below the content folder for the episode posts.
    pub section: &'a str,
    /// The address apps subscribed to, when the feed does not name itself.
    pub feed_url: Option<&'a str>,
}

/// Reads the host's feed at `path` and writes the site's posts and record;
/// `known_ids` are the ids the site's posts already carry.
pub fn import(
    config: &Config,
    path: &Path,
    options: Options<'_>,
    known_ids: &HashSet<String>,
) -> Result<Imported, Error> {
    // Each imported episode is written as one mapping, which a show that
    // reads its episodes from keys of their own would never see.
    if config
        .podcast
        .as_ref()
        .is_some_and(|p| p.episode_keys.is_some())
    {
        return Err(Error::config(
            &config.file,
            "[podcast.episode_keys] reads each episode from keys of the post's own, and `gazette import podcast` writes an `audio` mapping the build would not read: import into a site without `episode_keys`, or write the new episodes in those keys by hand",
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let channel =
        ::rss::Channel::read_from(std::io::BufReader::new(file)).map_err(|e| Error::Input {
            path: path.to_path_buf(),
            message: format!("not an RSS 2.0 podcast feed: {e}"),
        })?;
    let podcast = Namespace::of(channel.namespaces());
    let (guid, guid_from_feed) = show_guid(&channel, &podcast, options.feed_url, path)?;
    let mut kept = record::load(config)?;
    keep_one_identity(config, kept.podcast_guid.as_deref(), &guid)?;

    let toml = new_post::uses_toml(config);
    let mut imported = Imported {
        guid: guid.clone(),
        guid_from_feed,
        ..Imported::default()
    };
    let mut seen = known_ids.clone();
    for item in channel.items() {
        let title = item.title().map(str::trim).filter(|t| !t.is_empty());
        let name = title.unwrap_or("(an item without a title)");
        match episode_post(config, item, &podcast) {
            Err(why) => imported.skipped.push(format!("{name:?}: {why}")),
            Ok(post) if seen.contains(&post.id) => imported.already_here += 1,
            Ok(post) => {
                let path = new_post::path_for(
                    config,
                    Some(options.section),
                    &new_post::slug_of(&post.title),
                    &post.day,
                    true,
                )?;
                new_post::write(&path, &(post.front.render(toml)? + &post.body))?;
                seen.insert(post.id);
                imported.written.push(path);
            }
        }
    }

    if kept.podcast_guid.as_deref() != Some(guid.as_str()) {
        kept.podcast_guid = Some(guid);
        record::write(config, &kept)?;
    }
    if config.podcast.is_none() {
        let table = show_table(&channel, &podcast);
        append_to_config(&config.file, &table)?;
        imported.show_table = Some(table);
    }
    Ok(imported)
}

/// The `[podcast]` table the show's own RSS feed at `path` describes, as
/// `import` appends it (with `# required` lines for what it lacks).
pub(crate) fn show_table_of(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let channel = ::rss::Channel::read_from(std::io::BufReader::new(file))
        .map_err(|e| format!("not an RSS 2.0 podcast feed: {e}"))?;
    Ok(show_table(&channel, &Namespace::of(channel.namespaces())))
}

/// The prefix the feed binds the Podcast Namespace to, if it does.
struct Namespace(Option<String>);

impl Namespace {
    fn of(namespaces: &BTreeMap<String, String>) -> Namespace {
        Namespace(
            namespaces
                .iter()
                .find(|(_, uri)| uri.trim_end_matches('/') == PODCAST_NS)
                .map(|(prefix, _)| prefix.clone()),
        )
    }

    fn tag<'a>(
        &self,
        extensions: &'a ::rss::extension::ExtensionMap,
        name: &str,
    ) -> Option<&'a Extension> {
        extensions.get(self.0.as_deref()?)?.get(name)?.first()
    }
}

/// The show's identity: the feed's own `podcast:guid`, else the Podcast
/// Namespace's UUIDv5 of the address apps subscribed to.
fn show_guid(
    channel: &::rss::Channel,
    podcast: &Namespace,
    feed_url: Option<&str>,
    path: &Path,
) -> Result<(String, bool), Error> {
    if let Some(guid) = podcast
        .tag(channel.extensions(), "guid")
        .and_then(Extension::value)
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        return Ok((guid.to_string(), true));
    }
    let own = channel.atom_ext().and_then(|atom| {
        atom.links()
            .iter()
            .find(|link| link.rel() == "self")
            .map(|link| link.href().to_string())
    });
    let url = feed_url.map(str::to_string).or(own).ok_or_else(|| {
        Error::Usage(format!(
            "{} names no podcast:guid and no address of its own (atom:link rel=\"self\"); give --feed-url URL, the address podcast apps subscribe to, so the show keeps its identity",
            path.display()
        ))
    })?;
    Ok((record::podcast_guid(&url).to_string(), false))
}

/// A site that already has a show identity does not take another one.
fn keep_one_identity(config: &Config, recorded: Option<&str>, guid: &str) -> Result<(), Error> {
    let configured = config.podcast.as_ref().and_then(|p| p.guid.as_deref());
    for (what, existing) in [
        ("`[podcast] guid` in the config", configured),
        ("the publication record's podcast_guid", recorded),
    ] {
        if let Some(existing) = existing.filter(|e| *e != guid) {
            return Err(Error::Usage(format!(
                "the site's show already has an identity ({what} is {existing}), the imported show has {guid}: apps would see a different podcast. Remove it first if the imported show is the one to keep"
            )));
        }
    }
    Ok(())
}

/// One episode as a post of the site.
struct EpisodePost {
    id: String,
    title: String,
    /// YYYY-MM-DD of its publication, for Jekyll's file names.
    day: String,
    front: FrontMatter,
    body: String,
}

fn episode_post(
    config: &Config,
    item: &::rss::Item,
    podcast: &Namespace,
) -> Result<EpisodePost, String> {
    let enclosure = item
        .enclosure()
        .ok_or("no <enclosure>, so not an episode")?;
    let title = item
        .title()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or("no <title>")?
        .to_string();
    let date = item
        .pub_date()
        .and_then(|d| DateTime::parse_from_rfc2822(d.trim()).ok())
        .ok_or("no readable <pubDate> (RFC 822): its place in the show is unknown")?;
    let length = enclosure
        .length()
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or("the enclosure gives no length in bytes, which apps need")?;
    // Apps know an episode by its guid, or by its enclosure URL without one.
    let id = item
        .guid()
        .map(|g| g.value().trim())
        .filter(|g| !g.is_empty())
        .unwrap_or(enclosure.url())
        .to_string();

    // Under the keys the site reads (`[fields]`, the generator's preset).
    let key = |keys: &[String], fallback: &str| {
        keys.first()
            .map_or_else(|| fallback.to_string(), String::clone)
    };
    let mut front = FrontMatter::default();
    front.push_at(
        &key(&config.fields.title, "title"),
        Field::Data(title.as_str().into()),
    );
    front.push_at(
        &key(&config.fields.date, "date"),
        Field::Date(date.to_rfc3339()),
    );
    front.push_at(
        &key(&config.fields.id, "id"),
        Field::Data(id.as_str().into()),
    );
    let tags: Vec<&str> = item.categories().iter().map(|c| c.name().trim()).collect();
    if !tags.is_empty() && !config.fields.tags.is_empty() {
        front.push_at(&key(&config.fields.tags, "tags"), Field::Data(tags.into()));
    }
    front.push_mapping(
        config
            .podcast
            .as_ref()
            .map_or("audio", |p| p.episode_key.as_str()),
        episode_fields(item, enclosure, length, podcast),
    );

    let body = item
        .content()
        .or(item.description())
        .or(item.itunes_ext().and_then(|i| i.summary()))
        .map(str::trim)
        .unwrap_or("");
    Ok(EpisodePost {
        id,
        title,
        day: date.format("%Y-%m-%d").to_string(),
        front,
        body: format!("{body}\n"),
    })
}

/// The episode mapping gazette's podcast feed reads back.
fn episode_fields(
    item: &::rss::Item,
    enclosure: &::rss::Enclosure,
    length: u64,
    podcast: &Namespace,
) -> FrontMatter {
    let mut episode = FrontMatter::default();
    episode.push("url", enclosure.url());
    episode.push("length", length);
    episode.push("type", enclosure.mime_type());
    if let Some(itunes) = item.itunes_ext() {
        if let Some(duration) = itunes.duration().map(str::trim).filter(|d| !d.is_empty()) {
            episode.push("duration", duration);
        }
        let number = |text: Option<&str>| text.and_then(|t| t.trim().parse::<u32>().ok());
        if let Some(season) = number(itunes.season()) {
            episode.push("season", season);
        }
        if let Some(number) = number(itunes.episode()) {
            episode.push("episode", number);
        }
        if let Some(kind) = itunes
            .episode_type()
            .map(|k| k.trim().to_ascii_lowercase())
            .filter(|k| matches!(k.as_str(), "full" | "trailer" | "bonus"))
        {
            episode.push("episode_type", kind);
        }
        if let Some(explicit) = itunes.explicit().map(|e| e.trim().to_ascii_lowercase()) {
            episode.push(
                "explicit",
                matches!(explicit.as_str(), "true" | "yes" | "explicit"),
            );
        }
        if let Some(image) = itunes.image().filter(|i| !i.trim().is_empty()) {
            episode.push("image", image.trim());
        }
    }
    let attr = |name: &str, attr: &str| {
        podcast
            .tag(item.extensions(), name)
            .and_then(|e| e.attrs().get(attr))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    if let Some(url) = attr("transcript", "url") {
        episode.push("transcript", url);
        if let Some(kind) = attr("transcript", "type") {
            episode.push("transcript_type", kind);
        }
    }
    if let Some(url) = attr("chapters", "url") {
        episode.push("chapters", url);
    }
    episode
}

/// The show's settings from the host's feed, as a `[podcast]` table.
fn show_table(channel: &::rss::Channel, podcast: &Namespace) -> String {
    let quoted = |text: &str| toml::Value::String(text.trim().to_string()).to_string();
    let itunes = channel.itunes_ext();
    let mut lines = vec![
        String::new(),
        "# The show as its host's feed described it (gazette import podcast).".to_string(),
        "[podcast]".to_string(),
        format!("title = {}", quoted(channel.title())),
        format!("description = {}", quoted(channel.description())),
    ];
    let mut required = |key: &str, value: Option<String>, what: &str| match value {
        Some(value) => lines.push(format!("{key} = {value}")),
        None => lines.push(format!(
            "# {key} = …  # required: the old feed has no {what}"
        )),
    };
    required(
        "author",
        itunes.and_then(|i| i.author()).map(quoted),
        "itunes:author",
    );
    required(
        "image",
        itunes
            .and_then(|i| i.image())
            .or(channel.image().map(|i| i.url()))
            .map(quoted),
        "itunes:image",
    );
    let categories: Vec<String> = itunes
        .map(|i| i.categories())
        .unwrap_or_default()
        .iter()
        .map(|c| match c.subcategory() {
            Some(sub) => quoted(&format!("{} > {}", c.text(), sub.text())),
            None => quoted(c.text()),
        })
        .collect();
    required(
        "categories",
        (!categories.is_empty()).then(|| format!("[{}]", categories.join(", "))),
        "itunes:category",
    );
    let owner = itunes.and_then(|i| i.owner());
    required(
        "owner",
        owner.and_then(|o| {
            Some(format!(
                "{{ name = {}, email = {} }}",
                quoted(o.name()?),
                quoted(o.email()?)
            ))
        }),
        "itunes:owner with a name and an e-mail",
    );
    if let Some(explicit) = itunes.and_then(|i| i.explicit()) {
        let explicit = matches!(
            explicit.trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "explicit"
        );
        lines.push(format!("explicit = {explicit}"));
    }
    if let Some(locked) = podcast
        .tag(channel.extensions(), "locked")
        .and_then(Extension::value)
    {
        lines.push(format!(
            "locked = {}",
            locked.trim().eq_ignore_ascii_case("yes")
        ));
    }
    if let Some(copyright) = channel.copyright() {
        lines.push(format!("copyright = {}", quoted(copyright)));
    }
    lines.join("\n") + "\n"
}

/// Appends to the config: its comments and order stay as the author wrote them.
fn append_to_config(file: &Path, table: &str) -> Result<(), Error> {
    let mut text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(table);
    crate::output::write(
        file.parent().unwrap_or(Path::new(".")),
        &file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        text.as_bytes(),
    )
    .map(drop)
}
