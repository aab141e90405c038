//! A Jekyll site's own podcast feed template (`rss.xml` writing an
//! `<enclosure>` for each post that sets one), read by `init --from`:
//! which keys of the post's own hold each episode's audio, and the show
//! as the feed the site built describes it, so that gazette's feeds carry
//! the same episodes with no hand edits.

use std::path::Path;

use serde_json::Value;

use super::liquid_parts::{assignments, parts, Part};

/// What `init` takes over from the template: the `[podcast]` table with
/// its `[podcast.episode_keys]`, and notes on what it could not.
#[derive(Debug, Default)]
pub struct Show {
    /// The tables to write, when every required value was found.
    pub table: Option<String>,
    /// Why something was left out or changed.
    pub notes: Vec<String>,
}

/// Reads the template `name` (its text `template`), with the site's
/// `_config.yml` values in `config`, and the feed Jekyll built from it at
/// `built`, if the site was built.
pub fn read(name: &str, template: &str, config: &Value, built: &Path) -> Show {
    let mut show = Show::default();
    let Some(keys) = episode_keys(template, config) else {
        show.notes.push(format!(
            "{name}: the site's own feed template is a podcast's (`<enclosure>`), written in a way gazette does not read: set [podcast] and its `episode_keys` (see the README's Podcast section), or its feeds carry no episodes"
        ));
        return show;
    };
    let table = match crate::import::podcast::show_table_of(built) {
        Ok(table) => table,
        Err(why) => {
            show.notes.push(format!(
                "{name}: a podcast's feed template; its episodes' keys are read, but the show's own values (author, artwork, categories, owner) come from the feed it builds, and {}: {why}; build the site and run `gazette init --from` again, or set [podcast] by hand",
                built.display()
            ));
            return show;
        }
    };
    let Ok(mut tables) = table.parse::<toml::Table>() else {
        return show;
    };
    let Some(toml::Value::Table(mut podcast)) = tables.remove("podcast") else {
        return show;
    };
    current_categories(&mut podcast, built, &mut show.notes);
    let missing: Vec<&str> = ["author", "image", "categories", "owner"]
        .into_iter()
        .filter(|key| !podcast.contains_key(*key))
        .collect();
    if !missing.is_empty() {
        show.notes.push(format!(
            "{name}: a podcast's feed template, whose feed {} lacks the show's {}: set [podcast] (with `episode_keys` {}) to carry its episodes",
            built.display(),
            missing.join(", "),
            render_keys(&keys).replace('\n', " ")
        ));
        return show;
    }
    let mut tables = toml::Table::new();
    podcast.insert("episode_keys".into(), toml::Value::Table(keys));
    tables.insert("podcast".into(), toml::Value::Table(podcast));
    let Ok(text) = toml::to_string(&tables) else {
        return show;
    };
    show.notes.push(format!(
        "{name}: the site's own feed template is a podcast's: [podcast] from the feed it built ({}), each episode's audio from the keys the template reads (`episode_keys`)",
        built.display()
    ));
    show.table = Some(format!(
        "\n# The show as the site's own feed describes it, its episodes from the keys its template reads.\n{text}"
    ));
    show
}

/// Apple's category list changed in 2019: a subcategory the old feed
/// still names (`Education > Training`) would stop every build, so it is
/// kept as its top level where that is still one, and left out otherwise.
fn current_categories(podcast: &mut toml::Table, built: &Path, notes: &mut Vec<String>) {
    let Some(toml::Value::Array(categories)) = podcast.remove("categories") else {
        return;
    };
    let check = crate::config::podcast::check_category;
    let mut kept: Vec<toml::Value> = Vec::new();
    for category in &categories {
        let text = category.as_str().unwrap_or_default();
        let top = text.split('>').next().unwrap_or_default().trim();
        let chosen = match check(text) {
            Ok(()) => Some(text),
            Err(why) if check(top).is_ok() => {
                notes.push(format!(
                    "{}: the show's category {text:?} is kept as {top:?}: {why}",
                    built.display()
                ));
                Some(top)
            }
            Err(why) => {
                notes.push(format!(
                    "{}: the show's category {text:?} is left out: {why}",
                    built.display()
                ));
                None
            }
        };
        let chosen = chosen.map(|c| toml::Value::String(c.to_string()));
        if let Some(chosen) = chosen.filter(|c| !kept.contains(c)) {
            kept.push(chosen);
        }
    }
    if !kept.is_empty() {
        podcast.insert("categories".into(), toml::Value::Array(kept));
    }
}

fn render_keys(keys: &toml::Table) -> String {
    toml::to_string(keys).unwrap_or_default()
}

/// The `[podcast.episode_keys]` the template's `<enclosure>` and
/// `itunes:` tags read; none where its enclosure is written otherwise.
fn episode_keys(template: &str, config: &Value) -> Option<toml::Table> {
    let enclosure = regex::Regex::new(r"<enclosure\b([^>]*)>").ok()?;
    let attributes = enclosure.captures(template)?.get(1)?.as_str().to_string();
    let attribute = |name: &str| {
        regex::Regex::new(&format!(r#"\b{name}\s*=\s*"([^"]*)""#))
            .ok()?
            .captures(&attributes)
            .map(|c| c[1].to_string())
    };
    let assigned = assignments(template);
    let url = parts(&attribute("url")?, &assigned);
    // The address: what the site writes before the post's key, then the key.
    let (Part::Post(url_key), before) = url.split_last()? else {
        return None;
    };
    let mut prefix = String::new();
    for part in before {
        match part {
            Part::Text(text) => prefix.push_str(text),
            Part::Site(key) => prefix.push_str(config.get(key)?.as_str()?),
            Part::Post(_) => return None,
        }
    }
    let mut keys = toml::Table::new();
    keys.insert("url".into(), toml::Value::String(url_key.clone()));
    if !prefix.is_empty() {
        keys.insert("url_prefix".into(), toml::Value::String(prefix));
    }
    let [Part::Post(length)] = &parts(&attribute("length")?, &assigned)[..] else {
        return None;
    };
    keys.insert("length".into(), toml::Value::String(length.clone()));
    match &parts(&attribute("type").unwrap_or_default(), &assigned)[..] {
        [Part::Post(key)] => keys.insert("type".into(), toml::Value::String(key.clone())),
        [Part::Text(text)] => keys.insert("default_type".into(), toml::Value::String(text.clone())),
        _ => return None,
    };
    // `<itunes:duration>{{ post.itunes_duration }}</itunes:duration>`.
    let itunes = regex::Regex::new(
        r"<itunes:(duration|season|episode|episodeType|explicit)>\s*\{\{-?\s*post\.(\w+)\s*(?:\|[^}]*)?-?\}\}\s*</itunes:",
    )
    .ok()?;
    for found in itunes.captures_iter(template) {
        let field = match &found[1] {
            "episodeType" => "episode_type",
            other => other,
        };
        keys.insert(field.into(), toml::Value::String(found[2].to_string()));
    }
    Some(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// fatalerror.fm's `rss.xml`: the address assigned from a site value,
    /// a folder and the post's key; the length a key; the type literal.
    #[test]
    fn the_keys_an_enclosure_and_itunes_tags_read() {
        let template = r#"{% for post in site.posts %}<item>
      {% if post.itunes_duration %}<itunes:duration>{{ post.itunes_duration }}</itunes:duration>
      {% endif %}{% if post.itunes_season %}<itunes:season>{{ post.itunes_season }}</itunes:season>
      {% endif %}{% if post.itunes_episodetype %}<itunes:episodeType>{{ post.itunes_episodetype }}</itunes:episodeType>
      {% endif %}{% if post.media_url %}{% assign media_url = site.real_url | append: "/attachments/" | append: post.media_url %}<enclosure url="{{ media_url }}" length="{{ post.episode_length }}" type="audio/mpeg"/>{% endif %}
</item>{% endfor %}"#;
        let config = serde_json::json!({"real_url": "https://show.example.net"});
        let keys = episode_keys(template, &config).unwrap();
        assert_eq!(
            toml::to_string(&keys).unwrap(),
            "default_type = \"audio/mpeg\"\nduration = \"itunes_duration\"\nepisode_type = \"itunes_episodetype\"\nlength = \"episode_length\"\nseason = \"itunes_season\"\nurl = \"media_url\"\nurl_prefix = \"https://show.example.net/attachments/\"\n"
        );
        // Written in place, the type a key of the post's.
        let inline = r#"<enclosure url="{{ site.url }}/audio/{{ post.file }}" length="{{ post.bytes }}" type="{{ post.mime }}" />"#;
        let config = serde_json::json!({"url": "https://cast.example.org"});
        let keys = episode_keys(inline, &config).unwrap();
        assert_eq!(keys["url"].as_str(), Some("file"));
        assert_eq!(
            keys["url_prefix"].as_str(),
            Some("https://cast.example.org/audio/")
        );
        assert_eq!(keys["type"].as_str(), Some("mime"));
        // A site value the config does not have, or a filter gazette does
        // not follow: not read.
        assert_eq!(episode_keys(inline, &serde_json::json!({})), None);
        let filtered = r#"<enclosure url="{{ post.file | absolute_url }}" length="{{ post.bytes }}" type="audio/mpeg" />"#;
        assert_eq!(episode_keys(filtered, &config), None);
    }
}
