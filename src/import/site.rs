//! `gazette init --from`: recognising a generator's site and reading what
//! gazette needs from its own configuration. The generator's files are only
//! read, never written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Error;
use crate::generators::js_literal::{code_words, mentions};
use crate::generators::{foreign_config, Generator};
use crate::permalink;

/// What gazette takes from a generator's site.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub generator: Option<Generator>,
    /// The `[podcast]` tables, for a site whose own feed template is a
    /// podcast's (`import::jekyll_podcast`).
    pub podcast_table: Option<String>,
    /// The generator's config files that were read, for the header comment.
    pub sources: Vec<PathBuf>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    /// The environment variable the site's own data takes its address
    /// from when set (`process.env.URL || "…"`), `base_url` its fallback.
    pub base_url_env: Option<String>,
    /// The dotenv file the site's config loads (`.env`), where
    /// `base_url_env` may be set when the deploy does not set it.
    pub env_file: Option<String>,
    /// The path the site is served under where its config gives no
    /// address (Jekyll's `baseurl` without `url`).
    pub base_path: Option<String>,
    pub language: Option<String>,
    pub timezone: Option<String>,
    pub author: Option<String>,
    pub content_dir: Option<String>,
    pub permalink: Option<String>,
    pub permalinks: BTreeMap<String, String>,
    pub exclude: Vec<String>,
    /// The file extensions of posts, where not the preset's.
    pub extensions: Option<Vec<String>>,
    pub date_keys: Option<Vec<String>>,
    /// `[fields] updated`, from Hugo's `[frontmatter] lastmod`.
    pub updated_keys: Option<Vec<String>>,
    /// `[fields] title`, where the site's feed template titles an entry by
    /// the first of several keys.
    pub title_keys: Option<Vec<String>>,
    /// `[fields] draft`, when the generator does not read the preset's
    /// key as a draft (Eleventy without a drafts preprocessor).
    pub draft_keys: Option<Vec<String>>,
    /// `[fields] scheduled`: keys whose date the site's own code holds a
    /// page back until.
    pub scheduled_keys: Vec<String>,
    /// `[fields] date_from` a page's `path` (`2025/06/26/slug`), where the
    /// site's own feed template dates pages by it (blog.rust-lang.org).
    pub dates_from_path: bool,
    /// `[fields] skip_if_key`: keys whose true value the site's own feed
    /// template leaves a page out by.
    pub skip_keys: Vec<String>,
    /// `[fields] skip_main_if_key`: keys whose true value the site's own
    /// feed template leaves a page out of the main feed by, not out of its
    /// section's and terms'.
    pub skip_main_keys: Vec<String>,
    /// `[fields] skip_if_value`: values of a key the site's own feed
    /// template leaves a page out by (PaperMod's `layout`).
    pub skip_values: Vec<(String, Vec<String>)>,
    /// `[fields] skip_main_if_value`: values of a key the site's own feed
    /// template leaves a page out of the main feed by (a category).
    pub skip_main_values: Vec<(String, Vec<String>)>,
    /// `[fields] from_section`: of those, the keys it reads from the
    /// page's section when the page does not set them.
    pub section_keys: Vec<String>,
    pub name_dates: Option<bool>,
    /// Zola's `slugify.paths_keep_dates`.
    pub name_dates_in_slug: bool,
    pub lowercase_urls: Option<bool>,
    pub limit: Option<u64>,
    /// The main feed's limit where its template keeps another number.
    pub main_limit: Option<u64>,
    /// The terms' feeds' limit where their template keeps another number.
    pub term_limit: Option<u64>,
    /// Sections whose template keeps another number than `limit`.
    pub section_limits: BTreeMap<String, u64>,
    /// `[feeds] full_content`, when the site's feed leaves the content out.
    pub full_content: Option<bool>,
    /// `[feeds] categories`: the categories the site's feed plugin writes
    /// a feed of each.
    pub categories: Vec<String>,
    /// Where the generator writes the feed of each of `categories`: before
    /// and after the category.
    pub category_feeds: (String, String),
    /// `[feeds] per_tag`, when the site's feed plugin writes a feed per tag.
    pub tag_feeds: Option<TagFeeds>,
    /// `[feeds] per_category`, when the generator writes a feed of every
    /// category: where, before and after the category.
    pub all_category_feeds: Option<(String, String)>,
    /// `[feeds] per_section`, when the generator writes a feed per section:
    /// where, before and after the section's folder.
    pub section_feeds: Option<(String, String)>,
    /// `[feeds] per_section_only`: the sections that have a feed, when not
    /// every section does.
    pub section_only: Vec<String>,
    /// `[feeds] per_taxonomy`, when the generator writes a feed of every
    /// term of other taxonomies: each, and where (before and after the term).
    pub taxonomy_feeds: Vec<(String, FeedsAt)>,
    /// `[translations]`: the default language's code and the others', for
    /// a site naming translated pages `x.fr.md`.
    pub translations: Option<(String, Vec<String>)>,
    /// The other languages the generator writes feeds of, each with where
    /// it writes that language's main feed (`public/fr/index.xml`), none
    /// where it writes only the feeds of its terms or sections (a Zola
    /// language without `generate_feeds`, whose main feed gazette writes
    /// beside them).
    pub language_feeds: Vec<(String, Option<String>)>,
    /// Each other language's title and own content folder, where its config
    /// gives them.
    pub language_titles: BTreeMap<String, String>,
    pub language_dirs: BTreeMap<String, String>,
    /// Each other language's own taxonomies with a feed per term, where they
    /// are not the main feeds' (Zola's), and where the generator writes
    /// those feeds (before and after the term).
    pub language_taxonomies: BTreeMap<String, Vec<(String, FeedsAt)>>,
    /// Each other language's sections with a feed of their own, where they
    /// are not the main feeds' (Zola's), and where (before and after).
    pub language_sections: BTreeMap<String, (Vec<String>, FeedsAt)>,
    /// `[feeds.collections]`: the collections of documents the site's feed
    /// plugin writes a feed of each (jekyll-feed's `feed.collections`).
    pub collection_feeds: Vec<CollectionFeed>,
    /// Where the site's own feed was served, relative to its base URL.
    pub old_feed: Option<String>,
    /// Things gazette could not take over, said once by `init`.
    pub notes: Vec<String>,
    /// Where the output folder is served, when not `feeds/` below `base_url`.
    pub feeds_url: Option<String>,
    /// The site author's address and page, when its config gives them.
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    /// The collection (tag) the site's feed lists, when literal.
    pub collection: Option<String>,
    /// Collections the site's own feed template lists after that one, in
    /// loops of their own (m1rp's `collections.til`).
    pub also_listed: Vec<String>,
    /// The globs of the files of that collection, when the site makes it
    /// by path.
    pub collection_files: Vec<String>,
    /// The tags whose pages that collection joins, when the site makes it
    /// of several (in place of `collection`).
    pub collection_tags: Vec<String>,
    /// `id_format`, when the site's own feed template says what readers
    /// know its entries by, other than the preset's.
    pub id_format: Option<&'static str>,
    /// `id_prefix`: what the site's own feed template writes before each
    /// post's address in its ids, where that is not the site's address.
    pub id_prefix: Option<String>,
    /// `[fields] id`: the key a post's own id is under, where the site's
    /// own feed template names an entry by it when set (`{% if post.guid
    /// %}{{ post.guid }}{% else %}…url…{% endif %}`, an id kept from a
    /// podcast host).
    pub id_keys: Vec<String>,
    /// `[feeds] link_query`: a query the site's own feed template appends
    /// to each entry's link (`?utm_source=RSS`).
    pub link_query: Option<String>,
    /// `[fields] feed_date`: the key of a date the site's own feed template
    /// shows where the post sets it (`{% if post.rss_date %}`).
    pub feed_date_keys: Vec<String>,
    /// The site's own setting for typographic punctuation, when it has one.
    pub smart_punctuation: Option<bool>,
    /// `smart_titles`, where the site's own feed template says whether it
    /// smartens its entries' titles (Jekyll's `| smartify`).
    pub smart_titles: Option<bool>,
    /// `strip_title_html`, where the site's own feed template says whether
    /// it passes titles through `strip_html`.
    pub strip_title_html: Option<bool>,
    /// `entry_order`, where the site's own feed template orders the posts
    /// other than the preset says (a Jekyll template over `site.posts`).
    pub entry_order: Option<&'static str>,
    /// `publish_future`, when the site publishes posts dated in the future
    /// (Jekyll's `future`, Hugo's `buildFuture`).
    pub publish_future: Option<bool>,
    /// `[feeds] main_sections`: the types the site's feed lists alone.
    pub main_sections: Vec<String>,
    /// Whether `main_sections` names sections (`.Section`), not types.
    pub main_sections_by_section: bool,
    /// `section_pages = "top_by_type"`: a top-level section's feed lists
    /// the pages of its type below it too (hextra's `list.rss.xml`).
    pub section_pages_top_by_type: bool,
    /// Where gazette writes its feeds, if not the preset's: the `feeds/`
    /// of an Eleventy site's own output folder (`dir.output`).
    pub output_dir: Option<String>,
    /// Where gazette's own templates go when ejected, if not the preset's
    /// (an Eleventy site's includes folder below its input folder).
    pub templates_dir: Option<String>,
}

/// Where the generator writes the feed of each of some names (terms,
/// sections): the path before the name and after it.
pub type FeedsAt = (String, String);

/// A collection of documents whose feed the site's feed plugin writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CollectionFeed {
    pub name: String,
    /// Its folder below the content folder.
    pub folder: String,
    /// Its documents' URL pattern, in the generator's syntax.
    pub permalink: String,
    /// Where the generator writes its feed.
    pub built: String,
    /// The categories of its documents with a feed of their own, and
    /// where the generator writes those (the folder).
    pub categories: Vec<String>,
    pub category_feeds: String,
}

/// The feeds per tag a site's feed plugin writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagFeeds {
    /// `per_tag_only`: empty for every tag.
    pub only: Vec<String>,
    /// `per_tag_except`.
    pub except: Vec<String>,
    /// Where the generator writes them: this, the tag, then `suffix`.
    pub prefix: String,
    pub suffix: String,
}

/// Which generator built the site in `dir`, by its own files.
pub fn detect(dir: &Path) -> Option<Generator> {
    let exists = |name: &str| dir.join(name).exists();
    if crate::generators::eleventy_config::config_file(dir).is_some() {
        return Some(Generator::Eleventy);
    }
    let jekyll_config = exists("_config.yml") || exists("_config.yaml") || exists("_config.toml");
    let hugo_config = hugo_config_files(dir).next().is_some();
    // A Hugo site may keep an old `_config.toml` beside its `config.yaml`
    // (JunIce/hugo-blog); Jekyll's own folders settle which one builds.
    let jekyll_folders = ["_posts", "_layouts", "_includes"]
        .iter()
        .any(|name| dir.join(name).is_dir());
    if jekyll_config && (!hugo_config || jekyll_folders) {
        return Some(Generator::Jekyll);
    }
    if hugo_config {
        return Some(Generator::Hugo);
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("config.toml")) {
        match foreign_config(&text) {
            Some(Generator::Hugo) => return Some(Generator::Hugo),
            Some(Generator::Zola) => return Some(Generator::Zola),
            _ => {}
        }
        if let Ok(table) = text.parse::<toml::Table>() {
            if table.contains_key("base_url") && exists("content") && exists("templates") {
                return Some(Generator::Zola);
            }
        }
    }
    if exists("zola.toml") {
        return Some(Generator::Zola);
    }
    // Jekyll builds a folder of `_posts` without any config file.
    if dir.join("_posts").is_dir() {
        return Some(Generator::Jekyll);
    }
    None
}

/// Hugo's config files, in the order Hugo reads them (the first wins).
fn hugo_config_files(dir: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    let names = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config/_default/hugo.toml",
        "config/_default/hugo.yaml",
        "config/_default/hugo.yml",
        "config/_default/hugo.json",
        "config/_default/config.toml",
        "config/_default/config.yaml",
        "config/_default/config.yml",
        "config/_default/config.json",
    ];
    let mut found: Vec<PathBuf> = names
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.exists())
        .collect();
    if found.is_empty() {
        // `config.toml` is Hugo's only when it says so (Zola uses the name too).
        // Hugo takes `.yml` as it takes `.yaml` (hugo-PaperMod's `config.yml`).
        for name in ["config.toml", "config.yaml", "config.yml", "config.json"] {
            let path = dir.join(name);
            let hugo = match std::fs::read_to_string(&path) {
                Ok(text) if name.ends_with(".toml") => {
                    foreign_config(&text) == Some(Generator::Hugo)
                }
                Ok(text) => text.contains("baseURL") || text.contains("baseurl"),
                Err(_) => false,
            };
            if hugo {
                found.push(path);
            }
        }
    }
    found.into_iter()
}

/// Reads the generator's configuration in `dir`.
pub fn import(dir: &Path, generator: Generator) -> Result<Imported, Error> {
    let mut imported = match generator {
        Generator::Zola => zola(dir)?,
        Generator::Hugo => hugo(dir)?,
        Generator::Jekyll => jekyll(dir)?,
        Generator::Eleventy => eleventy(dir)?,
        Generator::Gazette => Imported::default(),
    };
    imported.generator = Some(generator);
    // A relative address (Hugo's `baseURL = "/"`, a Jekyll `url` without a
    // scheme) builds the site, but feeds need an absolute one.
    if let Some(base) = imported.base_url.take() {
        let absolute = url::Url::parse(&base)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
        if absolute {
            imported.base_url = Some(base);
        } else {
            imported.notes.push(format!(
                "the site's address {base:?} is not an absolute URL: feeds need one (readers resolve nothing else), so set `base_url` to where the site is served"
            ));
        }
    }
    if imported.base_url.is_none() {
        if let Some((file, host)) = github_pages_domain(dir, &imported) {
            let path = imported
                .base_path
                .as_deref()
                .unwrap_or("")
                .trim_matches('/');
            let address = match path {
                "" => format!("https://{host}/"),
                path => format!("https://{host}/{path}/"),
            };
            imported.notes.push(format!(
                "the site's address is not in its config: {file} names the domain GitHub Pages serves it at, so `base_url = {}`; set it if the site is served elsewhere",
                quote(&address)
            ));
            imported.base_url = Some(address);
        }
    }
    Ok(imported)
}

/// The custom domain of a site published by GitHub Pages: the `CNAME`
/// file of what the generator publishes (the site's folder for Jekyll,
/// `static/` for Hugo and Zola, Eleventy's input folder), which GitHub
/// Pages serves the site at (docs.github.com/pages, "Managing a custom
/// domain"), and where jekyll-github-metadata takes `site.url` from when
/// the config sets none. With the file, as the note names it.
fn github_pages_domain(dir: &Path, imported: &Imported) -> Option<(String, String)> {
    let content = imported.content_dir.as_deref().unwrap_or(".");
    let candidates = [
        "CNAME".to_string(),
        "static/CNAME".to_string(),
        format!("{content}/CNAME"),
    ];
    candidates.into_iter().find_map(|name| {
        let name = crate::paths::clean_path(Path::new(&name));
        let text = std::fs::read_to_string(dir.join(&name)).ok()?;
        let host = text.lines().next()?.trim().to_ascii_lowercase();
        let hostname = host.contains('.')
            && !host.starts_with(['.', '-'])
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        hostname.then(|| (name.to_string_lossy().into_owned(), host))
    })
}

fn read_value(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let parsed = match ext {
        "toml" => text
            .parse::<toml::Table>()
            .map_err(|e| e.message().to_string())
            .and_then(|t| serde_json::to_value(t).map_err(|e| e.to_string())),
        "json" => serde_json::from_str(&text).map_err(|e| e.to_string()),
        _ => crate::yaml::parse(&text).map_err(|e| e.message),
    };
    parsed.map_err(|message| Error::config(path, format!("cannot read it: {message}")))
}

/// A key of a table in any case (Hugo's keys are case-insensitive), the
/// same lookup posts' front matter gets.
fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    crate::content::read::lookup(value.as_object()?, key, true)
}

fn get_str(value: &Value, key: &str) -> Option<String> {
    match get(value, key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// The address and page a site's author table gives beside the name
/// (`email`, `uri` as jekyll-feed reads them, or `url`).
fn author_contact(value: Option<&Value>) -> (Option<String>, Option<String>) {
    match value {
        // Only what a feed can carry as it is: an address, an absolute page.
        Some(object @ Value::Object(_)) => (
            get_str(object, "email").filter(|e| e.contains('@')),
            get_str(object, "uri")
                .or_else(|| get_str(object, "url"))
                .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        ),
        Some(Value::Array(items)) => author_contact(items.first()),
        _ => (None, None),
    }
}

fn author_name(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        object @ Value::Object(_) => get_str(object, "name"),
        Value::Array(items) => author_name(items.first()),
        _ => None,
    }
}

fn zola(dir: &Path) -> Result<Imported, Error> {
    let path = crate::generators::zola_site::config_file(dir);
    if !path.is_file() {
        return Err(Error::config(path, "no Zola config.toml here"));
    }
    let config = read_value(&path)?;
    let mut imported = Imported {
        sources: vec![path.clone()],
        title: get_str(&config, "title"),
        description: get_str(&config, "description"),
        base_url: get_str(&config, "base_url"),
        language: get_str(&config, "default_language"),
        // Zola's feeds name `author`, or "Unknown"; `extra.author` is the
        // theme's, which the feeds do not read.
        author: get_str(&config, "author"),
        // Zola reads dates without an offset as UTC.
        timezone: Some("UTC".into()),
        content_dir: Some("content".into()),
        ..Imported::default()
    };
    let feeds = get(&config, "feed_filenames")
        .and_then(|v| v.as_array())
        .and_then(|a| a.first())
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .or_else(|| get_str(&config, "feed_filename"));
    // Where `zola build` writes it: `output_dir`, by default `public`.
    let output = get_str(&config, "output_dir").unwrap_or_else(|| "public".into());
    // Before 0.11, Zola's one feed was always `rss.xml`.
    let default_file = if zola_before_0_11(&config) {
        "rss.xml"
    } else {
        "atom.xml"
    };
    let feed_file = feeds.unwrap_or_else(|| default_file.into());
    // Zola writes the site's feed only with `generate_feeds` (0.19;
    // `generate_feed` before, `generate_rss` before 0.11), off by default.
    let main_feed = ["generate_feeds", "generate_feed", "generate_rss"]
        .iter()
        .any(|key| get(&config, key).and_then(Value::as_bool) == Some(true));
    imported.section_only = zola_section_feeds(&dir.join("content"), "_index.md");
    if main_feed {
        imported.old_feed = Some(built(&output, &feed_file));
    } else {
        let config_name = path.file_name().unwrap_or_default().to_string_lossy();
        let says = if get(&config, "generate_feeds").is_some() {
            format!("{config_name} sets `generate_feeds = false`")
        } else {
            format!("{config_name} sets no `generate_feeds`")
        };
        let others = if imported.section_only.is_empty() {
            "gazette's is its first, and `gazette check --against` has no feed to compare it with"
        } else {
            "gazette's is its first; its sections' feeds are compared below"
        };
        imported.notes.push(format!(
            "{says}, so Zola writes no feed of the whole site: {others}"
        ));
    }
    zola_ignored_content(dir, &config, &mut imported);
    zola_taxonomy_feeds(&config, &output, &feed_file, &mut imported);
    zola_languages(&config, &dir.join("content"), &mut imported);
    zola_feed_template(dir, &config, &feed_file, &mut imported);
    if !imported.section_only.is_empty() {
        imported.section_feeds = Some((built(&output, ""), format!("/{feed_file}")));
    }
    // A file name's date stays in the page's path (Zola 0.17's
    // `slugify.paths_keep_dates`), still dating the page.
    imported.name_dates_in_slug = get(&config, "slugify")
        .and_then(|s| get(s, "paths_keep_dates"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if let Some(slugify) = get(&config, "slugify").and_then(|s| get_str(s, "paths")) {
        if slugify != "on" {
            imported.notes.push(format!(
                "slugify.paths = \"{slugify}\": gazette slugifies paths as Zola's default \"on\" does; check the URLs with `gazette list`"
            ));
        }
    }
    imported.smart_punctuation = get(&config, "markdown")
        .and_then(|m| get(m, "smart_punctuation"))
        .and_then(Value::as_bool);
    // Zola: "All items are included if this limit is not set (the default)."
    // Unset, every page; a feed template of the site's own may keep fewer.
    let feed_limit = get(&config, "feed_limit")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0);
    imported.limit = Some(match (feed_limit, imported.limit) {
        (Some(config), Some(template)) => config.min(template),
        (config, template) => config.or(template).unwrap_or(0),
    });
    if imported.author.is_none() {
        if let Some(name) =
            get(&config, "extra").and_then(|extra| author_name(get(extra, "author")))
        {
            imported.notes.push(format!(
                "Zola's feeds name no author (`author` is not set in {}; their entries say \"Unknown\"): `extra.author = \"{name}\"` is the theme's, and gazette does not take it either",
                path.strip_prefix(dir).unwrap_or(&path).display()
            ));
        }
    }
    match undated_with_dated_path(&dir.join("content")) {
        Some(_) if imported.dates_from_path => {}
        Some(page) => imported.notes.push(format!(
            "{} has no `date`, only a dated `path`: Zola leaves it out of its feeds, and so does gazette; to list such pages, set [fields] date_from = {{ key = \"path\", pattern = \"{{year}}/{{month}}/{{day}}/\" }}",
            page.strip_prefix(dir).unwrap_or(&page).display()
        )),
        None => imported.dates_from_path = false,
    }
    Ok(imported)
}

/// Zola's `ignored_content` as `exclude`. Zola matches each glob against a
/// file's absolute path (`Site::load`, its root canonicalized), with `*`
/// crossing folders (`globset`'s default); `exclude` matches the path
/// below `content/`. A glob from `*` matches the same files either way
/// once one that reads `*/posts/x` also has `posts/x` (where the `/`
/// Zola saw was the one before `posts`); any other glob matches no
/// absolute path, so Zola ignores nothing by it, and neither does gazette.
fn zola_ignored_content(dir: &Path, config: &Value, imported: &mut Imported) {
    let Some(Value::Array(globs)) = get(config, "ignored_content") else {
        return;
    };
    let content = dir
        .canonicalize()
        .unwrap_or_else(|_| dir.to_path_buf())
        .join("content");
    let content_prefix = format!("{}/", content.display());
    for glob in globs.iter().filter_map(Value::as_str) {
        if let Some(below) = glob.strip_prefix(&content_prefix) {
            imported.exclude.push(below.to_string());
        } else if glob.starts_with('*') {
            imported.exclude.push(glob.to_string());
            if let Some(below) = glob.trim_start_matches('*').strip_prefix('/') {
                if !glob.starts_with("**/") && !below.is_empty() {
                    imported.exclude.push(below.to_string());
                }
            }
        } else {
            imported.notes.push(format!(
                "ignored_content {glob:?} ignores nothing at Zola, which matches it against each file's absolute path: gazette leaves it out of `exclude` too (to ignore what it names, write \"*/{glob}\" in both)"
            ));
        }
    }
}

/// A feed template of the site's or its theme's own (`templates/atom.xml`)
/// replaces Zola's built-in one. What it leaves out by a page's setting,
/// or the page's else its section's (tabi's `hide_from_feed` through its
/// `evaluate_setting_priority` macro), gazette leaves out too; conditions
/// of other kinds it cannot evaluate, so `init` names the settings they
/// test. One that writes no `page.content` gives readers summaries, as
/// `full_content = false` does.
fn zola_feed_template(dir: &Path, config: &Value, feed_file: &str, imported: &mut Imported) {
    let theme = get_str(config, "theme").map(|t| dir.join("themes").join(t).join("templates"));
    let folders: Vec<PathBuf> = std::iter::once(dir.join("templates"))
        .chain(theme)
        .collect();
    let Some(template) = folders
        .iter()
        .map(|folder| folder.join(feed_file))
        .find(|path| path.is_file())
    else {
        return;
    };
    let text = std::fs::read_to_string(&template).unwrap_or_default();
    let name = template.strip_prefix(dir).unwrap_or(&template).display();
    let skip = regex::Regex::new(
        r"(?s)\{%-?\s*if\s+((?:[^%]|%[^}])*?)\s*-?%\}\s*\{%-?\s*continue\s*-?%\}\s*\{%-?\s*endif\s*-?%\}",
    )
    .ok();
    let conditions: Vec<String> = skip
        .iter()
        .flat_map(|re| re.captures_iter(&text))
        .map(|c| c[1].split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let any_skip = regex::Regex::new(r"\{%-?\s*continue\s*-?%\}")
        .ok()
        .is_some_and(|re| re.find_iter(&text).count() > conditions.len());
    let mut unexplained: Vec<String> = Vec::new();
    for condition in &conditions {
        let Some(skip) = zola_skip_setting(condition, &text, &folders) else {
            unexplained.extend(settings_named(condition));
            continue;
        };
        let key = format!("extra.{}", skip.setting);
        if skip.from_section && !imported.section_keys.contains(&key) {
            imported.section_keys.push(key.clone());
        }
        let keys = match skip.main_only {
            true => &mut imported.skip_main_keys,
            false => &mut imported.skip_keys,
        };
        if !keys.contains(&key) {
            keys.push(key.clone());
        }
        let by_section = match skip.from_section {
            true => " or, where the page does not set it, its section's `_index.md`",
            false => "",
        };
        let of = match skip.main_only {
            true => " of its main feed (not of its sections' and terms' feeds)",
            false => "",
        };
        imported.notes.push(format!(
            "{name}, the site's own feed template, leaves out{of} a page whose `[extra]` sets `{} = true`{by_section}: so does gazette",
            skip.setting
        ));
        // Where neither page nor section sets it, tabi's macro takes the
        // config's: only a true one leaves pages out.
        let global = get(config, "extra").and_then(|extra| get(extra, &skip.setting));
        let hides = matches!(global, Some(Value::Bool(true)))
            || global.and_then(Value::as_str) == Some("true");
        if skip.from_section && hides {
            imported.notes.push(format!(
                "the config's `extra.{setting} = true` is what {name} takes where neither page nor section sets it, leaving those pages out; gazette does not read it: set `{setting}` in the sections' `_index.md` instead",
                setting = skip.setting
            ));
        }
    }
    unexplained.dedup();
    if any_skip || !unexplained.is_empty() {
        let by = match unexplained.is_empty() {
            true => String::new(),
            false => format!(" by {}", unexplained.join(", ")),
        };
        imported.notes.push(format!(
            "{name}, the site's own feed template, leaves pages out{by}, which gazette does not evaluate: leave them out with `exclude` or [fields] skip_if_key, and compare with `gazette check --against`"
        ));
    }
    if !text.contains("page.content") {
        imported.full_content = Some(false);
        imported.notes.push(format!(
            "{name} writes no page's `page.content` into the feed, so `full_content = false`"
        ));
    }
    zola_template_listing(dir, &text, &name.to_string(), imported);
}

/// What a Zola feed template of the site's own decides by its loop
/// (blog.rust-lang.org's): the newest N it keeps (`{% if loop.index == N
/// %}{% break %}`), pages dated by the `YYYY/MM/DD` of their `path` where
/// it reads `page.components` and never `page.date`, the feed's title from
/// the section's `_index.md` (`{{ section.title }}`) or its literal text
/// where the config has none, and `section.pages` for the pages of one
/// section alone.
fn zola_template_listing(dir: &Path, text: &str, name: &str, imported: &mut Imported) {
    let kept =
        regex::Regex::new(r"loop\.index\s*(?:==|>=)\s*(\d+)\s*-?%\}\s*\{%-?\s*break\s*-?%\}")
            .ok()
            .and_then(|re| re.captures(text).and_then(|c| c[1].parse::<u64>().ok()));
    if let Some(newest) = kept.filter(|n| *n > 0) {
        imported.limit = Some(newest);
        imported.notes.push(format!(
            "{name} keeps the newest {newest} pages (`loop.index == {newest}` then `break`): so does gazette ([feeds] limit = {newest})"
        ));
    }
    if !text.contains("page.date") && text.contains("page.components") {
        imported.dates_from_path = true;
        imported.notes.push(format!(
            "{name} dates a page by the year, month and day of its `path` (`page.components`), not by `page.date`: so does gazette ([fields] date_from the `path`)"
        ));
    }
    let section_title = regex::Regex::new(r"<title>\s*\{\{\s*section\.title\b")
        .ok()
        .is_some_and(|re| re.is_match(text));
    if section_title && imported.title.is_none() {
        let index = dir.join("content/_index.md");
        let title = crate::content::frontmatter::of_file(&index).and_then(|front| {
            front
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        if let Some(title) = title {
            imported.notes.push(format!(
                "{name} titles the feed with its section's title: the site's is content/_index.md's \"{title}\""
            ));
            imported.title = Some(title);
        }
    }
    // Or the literal text the template writes before its conditions
    // (mnt.io's `<title>mnt.io{%- if term %} - {{ term.name }}…`).
    let literal_title = regex::Regex::new(r"<title>\s*([^<{}]*?[^<{}\s])\s*(?:\{%|</title>)")
        .ok()
        .and_then(|re| re.captures(text).map(|c| c[1].to_string()));
    if let (None, Some(title)) = (&imported.title, literal_title) {
        imported.notes.push(format!(
            "{name} titles the feed \"{title}\", written in it: so does gazette"
        ));
        imported.title = Some(title);
    }
    let loops_section = regex::Regex::new(r"\{%-?\s*for\s+\w+\s+in\s+section\.pages\b")
        .ok()
        .is_some_and(|re| re.is_match(text));
    // The section it reads: a literal `get_section(path="blog/_index.md")`,
    // else one made from `feed_url`, the root section's for the main feed.
    let got = regex::Regex::new(r#"get_section\(\s*path\s*=\s*(["'])([^"']*)["']\s*[,)]"#)
        .ok()
        .and_then(|re| re.captures(text).map(|c| c[2].to_string()));
    let computed = text.contains("get_section(");
    if loops_section && computed {
        let folder = got
            .as_deref()
            .and_then(|path| path.strip_suffix("_index.md"))
            .map(|folder| folder.trim_matches('/'))
            .filter(|folder| !folder.is_empty())
            .unwrap_or("/");
        imported.main_sections = vec![folder.to_string()];
        let which = match folder {
            "/" => "the root section".to_string(),
            folder => format!("the `{folder}` section"),
        };
        imported.notes.push(format!(
            "{name} lists `section.pages` of {which}, its own pages and those of `transparent` sections below it, not every page: so does gazette's main feed (main_sections = [\"{folder}\"])"
        ));
    }
}

/// The settings a feed template's condition names (`setting="x"`,
/// `page.extra.x`), each in backquotes.
fn settings_named(condition: &str) -> Vec<String> {
    let Ok(re) = regex::Regex::new(r#"(?:setting\s*=\s*["'](\w+)["']|page\.extra\.(\w+))"#) else {
        return Vec::new();
    };
    re.captures_iter(condition)
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .map(|found| format!("`{}`", found.as_str()))
        .collect()
}

/// A page's setting a feed template skips it by.
struct SkipSetting {
    /// The key under the page's `extra`.
    setting: String,
    /// Read from the page's section where the page does not set it.
    from_section: bool,
    /// Only the main feed skips it (`and not section and not term`).
    main_only: bool,
}

/// The `extra` setting a feed template's `{% if … %}{% continue %}` skips
/// a page by, when the condition is nothing but that setting being true:
/// `page.extra.KEY`, or a macro's `evaluate(setting="KEY", page=page) ==
/// "true"` whose macro reads `page.extra[setting]` and then
/// `current_section.extra[setting]` (tabi's `evaluate_setting_priority`);
/// either followed by `and not section and not term` for the main feed
/// alone (tabi's `hide_from_main_feed`).
fn zola_skip_setting(condition: &str, template: &str, folders: &[PathBuf]) -> Option<SkipSetting> {
    let main_only = regex::Regex::new(
        r"^(.*?)\s+and\s+not\s+(?:section\s+and\s+not\s+term|term\s+and\s+not\s+section)$",
    )
    .ok()?;
    let (condition, main_only) = match main_only.captures(condition) {
        Some(found) => (found.get(1)?.as_str(), true),
        None => (condition, false),
    };
    let page = regex::Regex::new(r"^page\.extra\.(\w+)(?:\s*==\s*true)?$").ok()?;
    if let Some(found) = page.captures(condition) {
        return Some(SkipSetting {
            setting: found[1].to_string(),
            from_section: false,
            main_only,
        });
    }
    let call = regex::Regex::new(
        r#"^(\w+)::(\w+)\(\s*setting\s*=\s*["'](\w+)["']\s*,\s*page\s*=\s*page\s*(?:,\s*default_global_value\s*=\s*(?:false|""|'')\s*)?\)\s*==\s*["']true["']$"#,
    )
    .ok()?;
    let found = call.captures(condition)?;
    let (alias, name, setting) = (&found[1], &found[2], &found[3]);
    let import = regex::Regex::new(&format!(
        r#"\{{%-?\s*import\s+["']([^"']+)["']\s+as\s+{}\s*-?%\}}"#,
        regex::escape(alias)
    ))
    .ok()?;
    let file = import.captures(template)?[1].to_string();
    let macros = folders
        .iter()
        .find_map(|folder| std::fs::read_to_string(folder.join(&file)).ok())?;
    let start = macros.find(&format!("macro {name}("))?;
    let body = &macros[start..];
    let body = &body[..body.find("endmacro").unwrap_or(body.len())];
    let from_page = body.find("page.extra[setting]")?;
    let from_section = body.find("current_section.extra[setting]")?;
    (from_page < from_section).then(|| SkipSetting {
        setting: setting.to_string(),
        from_section: true,
        main_only,
    })
}

/// The first page with no `date` but a `path` that starts with one
/// (`path = "2026/03/26/slug"`), which Zola leaves undated.
fn undated_with_dated_path(content: &Path) -> Option<PathBuf> {
    let dated = regex::Regex::new(r"^/?\d{4}/\d{1,2}/\d{1,2}/").ok();
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .take(5000)
        .find(|entry| {
            let Some(map) = crate::content::frontmatter::of_file(entry.path()) else {
                return false;
            };
            !map.contains_key("date")
                && map
                    .get("path")
                    .and_then(Value::as_str)
                    .is_some_and(|p| dated.as_ref().is_some_and(|re| re.is_match(p)))
        })
        .map(|entry| entry.into_path())
}

/// What a Hugo site's `languages` say: the default language's content
/// folder, code and title, and where Hugo puts it.
fn hugo_languages(
    config: &Value,
    languages: &serde_json::Map<String, Value>,
    language: Option<String>,
    imported: &mut Imported,
) {
    let default = language.unwrap_or_else(|| "en".into()).to_lowercase();
    let chosen = languages
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(&default))
        .map(|(_, lang)| lang)
        .or_else(|| languages.values().next());
    if let Some(lang) = chosen {
        if let Some(content_dir) = get_str(lang, "contentDir") {
            imported.content_dir = Some(content_dir);
        }
        if let Some(code) = hugo_locale(lang) {
            imported.language = Some(code);
        }
        // The language's own settings and `params` (`params.en.toml`) are
        // over the root's, as Hugo merges them: hyhforevertop's feed is
        // titled by `languages.zh-cn.title`, not the root `title`.
        if let Some(title) = get_str(lang, "title") {
            imported.title = Some(title);
        }
        let params = get(lang, "params");
        if let Some(author) = params.and_then(|p| author_name(get(p, "author"))) {
            imported.author = Some(author);
        }
        if let Some(description) = params.and_then(|p| get_str(p, "description")) {
            imported.description = Some(description);
        }
    }
    let disabled: Vec<String> = match get(config, "disableLanguages") {
        Some(Value::Array(codes)) => codes
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_lowercase)
            .collect(),
        _ => Vec::new(),
    };
    // Hugo lowercases a language's key: `zh-Hans` is built under
    // `/zh-hans/` (measured with Hugo 0.111 and 0.168).
    let others: Vec<(String, &Value)> = languages
        .iter()
        .filter(|(code, lang)| {
            !code.eq_ignore_ascii_case(&default)
                && !disabled.contains(&code.to_lowercase())
                && get(lang, "disabled").and_then(Value::as_bool) != Some(true)
        })
        .map(|(code, lang)| (code.to_lowercase(), lang))
        .collect();
    let publish = get_str(config, "publishDir").unwrap_or_else(|| "public".into());
    let feed_file = hugo_feed_file(config);
    for (code, lang) in &others {
        if let Some(title) = get_str(lang, "title") {
            imported.language_titles.insert(code.clone(), title);
        }
        if let Some(folder) = get_str(lang, "contentDir") {
            imported.language_dirs.insert(code.clone(), folder);
        }
        // Hugo writes each language's home page feed under `/<code>/`.
        imported.language_feeds.push((
            code.clone(),
            Some(built(&publish, &format!("{code}/{feed_file}"))),
        ));
    }
    let others: Vec<String> = others.into_iter().map(|(code, _)| code).collect();
    if let Some(first) = others.first() {
        imported.notes.push(format!(
            "a multilingual site: the main feeds are the {default} ones, and each other language gets its own as Hugo writes /{first}/{feed_file} (gazette's {first}/); pages named `x.{first}.md` are {first} pages"
        ));
        imported.translations = Some((default.clone(), others));
    }
    // With `defaultContentLanguageInSubdir`, Hugo builds the default
    // language under `/{lang}/` too, its feed at `/{lang}/index.xml`.
    if get(config, "defaultContentLanguageInSubdir").and_then(Value::as_bool) == Some(true) {
        if let Some(base) = imported.base_url.as_mut() {
            let root = base.trim_end_matches('/').to_string();
            *base = format!("{root}/{default}/");
            // `static/` is still copied to the site's root.
            imported.feeds_url = Some(format!("{root}/feeds/"));
        }
        imported.old_feed = Some(built(&publish, &format!("{default}/{feed_file}")));
    }
}

/// The file Hugo writes each RSS feed to: `index.xml`, or as the site's
/// RSS output format names it (`[outputFormats.RSS] baseName = "atom"`:
/// `atom.xml`, for the home page, sections and terms alike).
fn hugo_feed_file(config: &Value) -> String {
    let base = get(config, "outputFormats")
        .and_then(|formats| get(formats, "rss"))
        .and_then(|rss| get_str(rss, "baseName"))
        .unwrap_or_else(|| "index".into());
    format!("{base}.xml")
}

/// `uglyURLs`, for the site (`true`) or by section (`[uglyURLs] posts =
/// true`): a page's address is a file, its pattern without the last `/`
/// and with `.html` (`/posts/x.html`, `/2024/x.html` for `/:year/:slug/`),
/// while a `url` of its own stays as Hugo reads it (`url: /x/` or `url:
/// /x` a folder, measured with Hugo 0.111 and 0.168).
fn hugo_ugly_urls(config: &Value, imported: &mut Imported) {
    const DEFAULT: &str = "/{sections}/{slug}/";
    let ugly = |pattern: &str| format!("{}.html", pattern.trim_end_matches('/'));
    match get(config, "uglyURLs") {
        Some(Value::Bool(true)) => {
            for pattern in imported.permalinks.values_mut() {
                *pattern = ugly(pattern);
            }
            imported.permalink = Some(ugly(imported.permalink.as_deref().unwrap_or(DEFAULT)));
        }
        Some(Value::Object(sections)) => {
            for (section, on) in sections {
                if on.as_bool() == Some(true) {
                    let pattern = imported
                        .permalinks
                        .get(section)
                        .map_or(DEFAULT, String::as_str);
                    let pattern = ugly(pattern);
                    imported.permalinks.insert(section.clone(), pattern);
                }
            }
        }
        _ => {}
    }
}

/// A Hugo site's or language's locale: `locale`, which Hugo 0.158 put in
/// the place of `languageCode` (discourse.gohugo.io "Deprecations in
/// v0.158.0"), or that.
fn hugo_locale(table: &Value) -> Option<String> {
    get_str(table, "locale").or_else(|| get_str(table, "languageCode"))
}

/// Hugo's `[frontmatter] date` and `lastmod`: the keys a post's date and
/// its last change come from.
fn hugo_frontmatter_dates(frontmatter: &Value, imported: &mut Imported) {
    if let Some(dates) = get(frontmatter, "date") {
        let keys = hugo_date_keys(dates, "date", imported);
        // Only the file name (`[":filename", ":fileModTime"]`): Hugo reads
        // no front matter date at all, and neither does gazette.
        if !keys.is_empty() || imported.name_dates == Some(true) {
            imported.date_keys = Some(keys);
        }
    }
    if let Some(dates) = get(frontmatter, "lastmod") {
        imported.updated_keys = Some(hugo_date_keys(dates, "lastmod", imported));
    }
}

/// The front matter keys one of Hugo's `[frontmatter]` lists reads, each
/// with its aliases; what else it names is noted.
fn hugo_date_keys(dates: &Value, which: &str, imported: &mut Imported) -> Vec<String> {
    let list: Vec<String> = match dates {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    };
    let mut keys = Vec::new();
    // Hugo reads each key's aliases with it (`pubdate` for `publishDate`,
    // `modified` for `lastmod`).
    let aliases = |key: &str| -> Vec<String> {
        let also: &[&str] = match key.to_ascii_lowercase().as_str() {
            "publishdate" => &["pubdate"],
            "lastmod" => &["modified"],
            _ => &[],
        };
        std::iter::once(key)
            .chain(also.iter().copied())
            .map(String::from)
            .collect()
    };
    // Hugo's defaults (gohugo.io/configuration/front-matter#dates).
    let default: &[&str] = match which {
        "lastmod" => &["lastmod", "date", "publishDate"],
        "publishDate" => &["publishDate", "published", "date"],
        _ => &["date", "publishDate", "lastmod"],
    };
    for item in &list {
        match item.to_ascii_lowercase().as_str() {
            ":filename" if which == "date" => imported.name_dates = Some(true),
            ":default" => keys.extend(default.iter().flat_map(|k| aliases(k))),
            ":filemodtime" | ":git" | ":filename" => imported.notes.push(format!(
                "[frontmatter] {which} uses {item}: gazette does not read file times, git history or, for `{which}`, file names; {}",
                match which {
                    "date" => "a page that sets none of the date keys is undated, listed at 0001-01-01 as Hugo lists a page it cannot date, where Hugo dates it so (`gazette list` shows them)",
                    "lastmod" => "a post's last change is only what its front matter says",
                    _ => "a post's publication is only what its front matter says",
                }
            )),
            _ => keys.extend(aliases(item)),
        }
    }
    keys
}

/// The other files of Hugo's config directory (`config/_default/`), each
/// the root key its name says: `params.toml` is `params`,
/// `languages.en.toml` is `languages.en`, and `menus.en.toml` and
/// `params.en.toml` are that language's `menus` and `params`
/// (gohugo.io/configuration/introduction, configuration directory). Each
/// is merged over what the main file sets, key by key in any case, its
/// values winning (gohugo/hugo#5501: "the right-most value will win"), and
/// a file holding only its own root key (`[params]` in `params.toml`) is
/// that key's table, as Hugo 0.168 reads it: measured with Hugo 0.111 and
/// 0.168.
///
/// Then `config/production/`, over it alike: `hugo` builds in the
/// production environment unless told otherwise (gohugo.io/configuration/
/// introduction, "Configuration directory"; abgeo.dev's `baseURL` is there).
fn hugo_config_directory(dir: &Path, config: &mut Value) {
    let Value::Object(root) = config else {
        return;
    };
    for environment in ["_default", "production"] {
        hugo_config_folder(&dir.join("config").join(environment), root);
    }
}

/// One folder of Hugo's config directory merged over `root`.
fn hugo_config_folder(folder: &Path, root: &mut serde_json::Map<String, Value>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let (name, language) = match stem.split_once('.') {
            Some((name, language)) => (name, Some(language.to_lowercase())),
            None => (stem, None),
        };
        if !matches!(ext, "toml" | "yaml" | "yml" | "json") {
            continue;
        }
        let Ok(Value::Object(mut values)) = read_value(&path) else {
            continue;
        };
        // `config/_default/hugo.toml` is the root's, over a `hugo.toml`
        // beside `config/` (hyhforevertop/hugo-blog keeps the one `hugo new
        // site` wrote): Hugo sets the directory's values over the file's.
        let main = matches!(name, "hugo" | "config") && language.is_none();
        if main {
            crate::generators::jekyll_defaults::deep_fill_any_case(
                &mut values,
                std::mem::take(root),
            );
            *root = values;
            continue;
        }
        if values.len() == 1 {
            if let Some(Value::Object(inner)) = values.get(name) {
                values = inner.clone();
            }
        }
        let mut keys: Vec<String> = match &language {
            Some(language) => vec!["languages".into(), language.clone()],
            None => vec![name.to_string()],
        };
        if language.is_some() && matches!(name, "menu" | "menus" | "params") {
            keys.push(name.to_string());
        }
        let nested = keys.iter().rev().fold(Value::Object(values), |inner, key| {
            Value::Object(serde_json::Map::from_iter([(key.clone(), inner)]))
        });
        if let Value::Object(mut nested) = nested {
            crate::generators::jekyll_defaults::deep_fill_any_case(
                &mut nested,
                std::mem::take(root),
            );
            *root = nested;
        }
    }
}

fn hugo(dir: &Path) -> Result<Imported, Error> {
    let files: Vec<PathBuf> = hugo_config_files(dir).collect();
    let path = files
        .first()
        .cloned()
        .ok_or_else(|| Error::config(dir.join("hugo.toml"), "no Hugo config here"))?;
    let mut config = read_value(&path)?;
    hugo_config_directory(dir, &mut config);
    hugo_theme_params(dir, &mut config);
    let mut imported = Imported {
        sources: vec![path.clone()],
        title: get_str(&config, "title"),
        base_url: get_str(&config, "baseURL"),
        // Hugo takes its address from `HUGO_BASEURL` where that is set, as
        // it takes any setting from `HUGO_<KEY>` (gohugo.io/configuration/introduction).
        base_url_env: Some("HUGO_BASEURL".into()),
        timezone: get_str(&config, "timeZone"),
        content_dir: get_str(&config, "contentDir"),
        // Where `hugo` writes it: `publishDir`, by default `public`.
        old_feed: Some(built(
            &get_str(&config, "publishDir").unwrap_or_else(|| "public".into()),
            &hugo_feed_file(&config),
        )),
        ..Imported::default()
    };
    // config/_default/params.toml and languages.toml complete the main file.
    let default_dir = dir.join("config/_default");
    let mut parts_read = Vec::new();
    // A table of the main file, or its own file in config/_default/.
    let mut part = |name: &str| -> Option<Value> {
        get(&config, name).cloned().or_else(|| {
            ["toml", "yaml", "yml", "json"].iter().find_map(|ext| {
                let p = default_dir.join(format!("{name}.{ext}"));
                let value = read_value(&p).ok()?;
                parts_read.push(p);
                Some(value)
            })
        })
    };
    let params = part("params");
    imported.description = get_str(&config, "description")
        .or_else(|| params.as_ref().and_then(|p| get_str(p, "description")));
    imported.author = author_name(get(&config, "author"))
        .or_else(|| params.as_ref().and_then(|p| author_name(get(p, "author"))));
    let language = get_str(&config, "defaultContentLanguage");
    imported.language = hugo_locale(&config).or_else(|| language.clone());
    let languages = part("languages");
    if let Some(languages) = languages.as_ref().and_then(Value::as_object) {
        hugo_languages(&config, languages, language, &mut imported);
    }
    let permalinks = part("permalinks");
    let taxonomies = part("taxonomies");
    imported.sources.extend(parts_read);
    if let Some(permalinks) = permalinks.as_ref().and_then(Value::as_object) {
        // Hugo 0.112+ nests patterns under `page`; older sites list sections.
        let pages = permalinks
            .get("page")
            .and_then(Value::as_object)
            .unwrap_or(permalinks);
        for (section, pattern) in pages {
            if let Value::String(pattern) = pattern {
                let mut pattern = permalink::from_generator_syntax(pattern, Generator::Hugo);
                // A page's address is a folder whatever the pattern ends in
                // (`/:year/:title.html` is `/2024/a-note.html/`: measured
                // with Hugo 0.111 and 0.168), `uglyURLs` aside.
                if !pattern.ends_with('/') {
                    pattern.push('/');
                }
                imported.permalinks.insert(section.clone(), pattern);
            }
        }
    }
    if let Some(frontmatter) = get(&config, "frontmatter") {
        hugo_frontmatter_dates(frontmatter, &mut imported);
    }
    if get(&config, "disablePathToLower").and_then(Value::as_bool) == Some(true) {
        imported.lowercase_urls = Some(false);
    }
    hugo_ugly_urls(&config, &mut imported);
    hugo_theme_content(dir, &config, &mut imported);
    imported.publish_future = get(&config, "buildFuture").and_then(Value::as_bool);
    // Goldmark's typographer: a bool in older Hugo, `{ disable = … }` now.
    let typographer = get(&config, "markup")
        .and_then(|m| get(m, "goldmark"))
        .and_then(|g| get(g, "extensions"))
        .and_then(|e| get(e, "typographer"));
    imported.smart_punctuation = match typographer {
        Some(Value::Bool(on)) => Some(*on),
        Some(table) => get(table, "disable")
            .and_then(Value::as_bool)
            .map(|off| !off),
        None => None,
    };
    hugo_list_feeds(&config, taxonomies.as_ref(), &mut imported);
    hugo_feed_content(dir, &config, &mut imported);
    hugo_content_adapters(dir, &mut imported);
    Ok(imported)
}

/// A content adapter (Hugo 0.126) makes pages in a Go template, often from
/// remote data: those pages are Hugo's alone, which a note says.
fn hugo_content_adapters(dir: &Path, imported: &mut Imported) {
    let content = dir.join(imported.content_dir.as_deref().unwrap_or("content"));
    for adapter in crate::content::cascade::site_files(&content, 8)
        .filter(|e| e.file_name().to_string_lossy().starts_with("_content."))
    {
        let path = adapter.path();
        imported.notes.push(format!(
            "{} makes pages in a Go template (a content adapter), which gazette does not run: they are in Hugo's feeds, not in gazette's; write them as Markdown files to have them in both",
            path.strip_prefix(dir).unwrap_or(path).display()
        ));
    }
}

/// Hugo's embedded RSS template puts each page's `.Summary` in its item,
/// not the page: so does gazette with `full_content = false`, unless the
/// site's or its theme's own RSS template writes `.Content`.
fn hugo_feed_content(dir: &Path, config: &Value, imported: &mut Imported) {
    // The site's layouts, then its themes': found once (a module's folder
    // takes reading `go.mod`), looked in for each kind of feed.
    let layouts: Vec<PathBuf> = std::iter::once(dir.join("layouts"))
        .chain(
            hugo_theme_dirs(dir, config)
                .into_iter()
                .map(|theme| theme.join("layouts")),
        )
        .collect();
    let own = hugo_rss_template(&layouts, &HugoFeedKind::Home);
    hugo_feed_limits(dir, config, &layouts, imported);
    hugo_section_pages(dir, &layouts, imported);
    match own {
        Some(template) => {
            let text = std::fs::read_to_string(&template).unwrap_or_default();
            // The partials it calls, each read once for what follows.
            let partials: Vec<(PathBuf, String)> = hugo_called_partials(&text, &layouts)
                .into_iter()
                .map(|path| {
                    let partial_text = std::fs::read_to_string(&path).unwrap_or_default();
                    (path, partial_text)
                })
                .collect();
            hugo_main_sections(dir, config, (&template, &text), &partials, imported);
            let shown = template.strip_prefix(dir).unwrap_or(&template).display();
            hugo_home_own_pages(&shown.to_string(), &text, imported);
            hugo_feed_template_skips(&template, &shown.to_string(), &text, imported);
            hugo_feed_template_taken_values(&shown.to_string(), &text, imported);
            for (partial, partial_text) in &partials {
                let partial_shown = partial.strip_prefix(dir).unwrap_or(partial).display();
                hugo_feed_template_taken_values(&partial_shown.to_string(), partial_text, imported);
            }
            if !text.contains(".Content") {
                imported.full_content = Some(false);
                imported.notes.push(format!(
                    "{shown} writes no page's `.Content` into the feed, so `full_content = false`"
                ));
            } else if let Some((param, when_set)) = hugo_content_param(&text) {
                // hugo-theme-stack's `RSSFullContent`, PaperMod's
                // `ShowFullTextinRSS`: the site's param decides.
                let set = get(config, "params")
                    .and_then(|params| get(params, &param))
                    .is_some_and(go_truthy);
                let full = set == when_set;
                imported.full_content = Some(full);
                imported.notes.push(format!(
                    "{shown} writes a page's `.Content` only where `params.{param}` is {}: it is {}, so `full_content = {full}`",
                    if when_set { "set" } else { "not set" },
                    if set { "set" } else { "not set" },
                ));
            }
        }
        None => {
            imported.full_content = Some(false);
            imported.notes.push(
                "Hugo's built-in RSS template gives each item the page's summary, so `full_content = false`; set it to true to send whole posts".into(),
            );
            hugo_builtin_feed_dates(dir, config, imported);
            // A theme not here may have an RSS template of its own.
            let absent = hugo_absent_themes(dir, config);
            if !absent.is_empty() {
                imported.notes.push(format!(
                    "the site's theme {} is not on disk here (a git submodule not checked out, or a Hugo module not in Hugo's module cache): gazette took Hugo's built-in RSS template; if the theme has its own, fetch it (`git submodule update --init`, or build the site with `hugo` once, or `hugo mod vendor`) and run `gazette init --from .` again",
                    absent.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
}

/// The partials a template calls (`partial "helper/pages.html"`), each
/// where Hugo finds it: the site's own or, where it has none, a theme's.
fn hugo_called_partials(text: &str, layouts: &[PathBuf]) -> Vec<PathBuf> {
    let Ok(partials) = regex::Regex::new(r#"partial\s+"([^"]+)""#) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = Vec::new();
    for called in partials.captures_iter(text) {
        let path = layouts
            .iter()
            .flat_map(|layouts| {
                ["_partials", "partials"].map(|folder| layouts.join(folder).join(&called[1]))
            })
            .find(|path| path.is_file());
        if let Some(path) = path.filter(|path| !found.contains(path)) {
            found.push(path);
        }
    }
    found
}

/// The pages of a category a feed template takes away, `$life := where
/// $pages "Params.categories" "intersect" (slice "Life")` … `$pages |
/// complement $life` (0o7race's `helper/pages.html`, called by
/// hugo-theme-stack's feed template): in the home page's branch (`if
/// .IsHome`), `[fields] skip_main_if_value`; elsewhere a note.
fn hugo_feed_template_taken_values(shown: &str, text: &str, imported: &mut Imported) {
    let Ok(taken) = regex::Regex::new(
        r#"\$(\w+)\s*:?=\s*where\s+\$?[\w.]+\s+"\.?Params\.(\w+)"\s+"intersect"\s+\(\s*slice\s+((?:"[^"]*"\s*)+)\)"#,
    ) else {
        return;
    };
    let Ok(quoted) = regex::Regex::new(r#""([^"]*)""#) else {
        return;
    };
    let Ok(branch) = regex::Regex::new(r"\{\{-?\s*(?:else|end)\b") else {
        return;
    };
    for found in taken.captures_iter(text) {
        let complemented = regex::Regex::new(&format!(r"complement\s+\${}\b", &found[1]))
            .is_ok_and(|re| re.is_match(text));
        if !complemented {
            continue;
        }
        let key = found[2].to_string();
        let values: Vec<String> = quoted
            .captures_iter(&found[3])
            .map(|value| value[1].to_string())
            .collect();
        let before = &text[..found.get(0).map_or(0, |m| m.start())];
        let home_only = before
            .rfind(".IsHome")
            .is_some_and(|at| !branch.is_match(&before[at..]));
        let listed = values
            .iter()
            .map(|value| format!("{value:?}"))
            .collect::<Vec<_>>()
            .join(" or ");
        if home_only {
            imported.notes.push(format!(
                "{shown} leaves out of the home page's feed (not its section's and terms') a page whose `{key}` lists {listed}: so does gazette"
            ));
            imported.skip_main_values.push((key, values));
        } else {
            imported.notes.push(format!(
                "{shown} leaves out of every feed a page whose `{key}` lists {listed}: gazette does not; give such pages `draft = true` or set `[fields] skip_if_key`"
            ));
        }
    }
}

/// A home feed template that ranges over the page's own `.Pages` (or
/// `.Data.Pages`), as themes written for Hugo before 0.57 do (an old
/// LoveIt's `first 15 (where .Data.Pages "Type" "!=" "home")`): since
/// 0.57 the home page's `.Pages` are its top-level sections and the pages
/// directly in `content/`, not the posts in sections, so Hugo's feed lists
/// section pages, which gazette does not write; a note says so.
fn hugo_home_own_pages(shown: &str, text: &str, imported: &mut Imported) {
    static OWN_PAGES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:^|[\s(])\$?\.(?:Data\.)?Pages\b").expect("a valid pattern")
    });
    static SITE_PAGES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)(?:\.Site|\bsite)\.(?:Regular)?Pages\b|\$pctx|\.IsHome|\bGetPage\b|\.Paginat",
        )
        .expect("a valid pattern")
    });
    if !OWN_PAGES.is_match(text) || SITE_PAGES.is_match(text) {
        return;
    }
    imported.notes.push(format!(
        "{shown} lists the home page's own `.Pages`, which since Hugo 0.57 are the site's top-level sections and the pages directly in the content folder, not the posts in sections: Hugo's feed lists those section pages, which gazette does not write, where gazette's lists every post"
    ));
}

/// A section feed template that lists `where site.RegularPages "Type"
/// .Section`, every page of the section's type however deep, where Hugo's
/// built-in one lists the section's own `.Pages`: hextra's `list.rss.xml`
/// does so for a section whose parent is the home page and lists `.Pages`
/// below, which `section_pages = "top_by_type"` follows.
fn hugo_section_pages(dir: &Path, layouts: &[PathBuf], imported: &mut Imported) {
    static BY_TYPE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?i)\bwhere\s+\(?\s*(?:\$?\.Site|site)\.RegularPages\s+"Type"\s+\$?\.(?:Section|Type)\b"#,
        )
        .expect("a valid pattern")
    });
    let Some(template) = hugo_rss_template(layouts, &HugoFeedKind::Section(String::new())) else {
        return;
    };
    let text = std::fs::read_to_string(&template).unwrap_or_default();
    if !BY_TYPE.is_match(&text) {
        return;
    }
    let shown = template.strip_prefix(dir).unwrap_or(&template).display();
    imported.section_pages_top_by_type = true;
    let nested = if text.contains(".Parent.IsHome") {
        "and a nested one's its own pages"
    } else {
        "and a nested section's feed there the same pages as its top-level one's, where gazette's lists the nested section's own pages"
    };
    imported.notes.push(format!(
        "{shown} lists in a top-level section's feed every page of its type, however deep, {nested}: `section_pages = \"top_by_type\"`"
    ));
}

/// Hugo's built-in RSS template dates each item by the page's
/// `.PublishDate` since Hugo 0.125 (gohugo/hugo#12300), by `.Date` before:
/// a page's `publishDate` (or its aliases) is the date its feed shows,
/// `[fields] feed_date`, unless the site's deploy pins an older Hugo
/// (measured with Hugo 0.111 and 0.168).
fn hugo_builtin_feed_dates(dir: &Path, config: &Value, imported: &mut Imported) {
    if let Some((major, minor)) = hugo_pinned_version(dir) {
        if (major, minor) < (0, 125) {
            imported.notes.push(format!(
                "the site's deploy pins Hugo {major}.{minor}, whose built-in RSS template dates each item by the page's `date`: so does gazette"
            ));
            return;
        }
    }
    let configured = get(config, "frontmatter").and_then(|f| get(f, "publishDate"));
    let keys: Vec<String> = match configured {
        Some(list) => hugo_date_keys(list, "publishDate", imported)
            .into_iter()
            .filter(|key| !key.eq_ignore_ascii_case("date"))
            .collect(),
        None => ["publishDate", "pubdate", "published"]
            .map(String::from)
            .to_vec(),
    };
    if keys.is_empty() {
        imported.notes.push(
            "[frontmatter] publishDate names no front matter key, so Hugo's built-in RSS template (0.125 and later) dates every item 0001-01-01; gazette dates them by `date`".into(),
        );
        return;
    }
    let content = dir.join(imported.content_dir.as_deref().unwrap_or("content"));
    if !hugo_pages_set_any(&content, &keys) {
        return;
    }
    imported.notes.push(format!(
        "Hugo's built-in RSS template (0.125 and later) dates an item by the page's publication date where it sets one: so does gazette, its URL keeping `date` ([fields] feed_date = [{}])",
        toml_list(&keys)
    ));
    imported.feed_date_keys = keys;
}

/// The Markdown and HTML files below `content`, Hugo's pages.
fn hugo_page_files(content: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|x| x == "md" || x == "html")
        })
}

/// Whether a page below `content` sets one of `keys` in its front matter
/// (in any case, as Hugo reads keys): a feed date no page sets is no rule
/// worth writing.
fn hugo_pages_set_any(content: &Path, keys: &[String]) -> bool {
    hugo_page_files(content)
        .filter_map(|entry| crate::content::frontmatter::of_file(entry.path()))
        .any(|map| {
            map.keys()
                .any(|key| keys.iter().any(|k| k.eq_ignore_ascii_case(key)))
        })
}

/// The Hugo version a site's deploy pins, as (major, minor):
/// `HUGO_VERSION = "0.92.2"` in `netlify.toml`, `hugo-version: '0.100.1'`
/// or `HUGO_VERSION: 0.128.0` in a GitHub workflow; `latest` or none is
/// none.
fn hugo_pinned_version(dir: &Path) -> Option<(u64, u64)> {
    let pinned = regex::Regex::new(
        r#"(?mi)^[^#\n]*?\b(?:HUGO_VERSION|hugo-version)\b["']?\s*[:=]\s*["']?v?(\d+)\.(\d+)"#,
    )
    .ok()?;
    let workflows = std::fs::read_dir(dir.join(".github/workflows"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path());
    std::iter::once(dir.join("netlify.toml"))
        .chain(workflows)
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .find_map(|text| {
            let found = pinned.captures(&text)?;
            Some((found[1].parse().ok()?, found[2].parse().ok()?))
        })
}

/// Which of Hugo's RSS feeds a template is looked up for.
enum HugoFeedKind {
    Home,
    /// A section, by its folder (its pages' type, unless they set one).
    Section(String),
    Term,
}

/// The site's or its theme's RSS template Hugo renders a kind of feed
/// with, most specific name first (gohugo.io/templates/lookup-order; Hugo
/// 0.146's template system names them without `_default/`), each name
/// looked up in each of `layouts` (the site's, then its themes'). None:
/// Hugo's embedded template.
fn hugo_rss_template(layouts: &[PathBuf], kind: &HugoFeedKind) -> Option<PathBuf> {
    let mut names: Vec<String> = match kind {
        HugoFeedKind::Home => ["home.rss.xml", "index.rss.xml", "_default/home.rss.xml"]
            .map(String::from)
            .to_vec(),
        HugoFeedKind::Section(section) => {
            let own = [
                format!("{section}/section.rss.xml"),
                format!("{section}/rss.xml"),
                format!("{section}/list.rss.xml"),
                format!("section/{section}.rss.xml"),
            ];
            let any = ["section.rss.xml", "_default/section.rss.xml"].map(String::from);
            let own = own.into_iter().filter(|_| !section.is_empty());
            own.chain(any).collect()
        }
        HugoFeedKind::Term => [
            "term.rss.xml",
            "_default/term.rss.xml",
            "taxonomy/term.rss.xml",
        ]
        .map(String::from)
        .to_vec(),
    };
    names.extend(
        [
            "_default/list.rss.xml",
            "_default/rss.xml",
            "list.rss.xml",
            "rss.xml",
        ]
        .map(String::from),
    );
    names
        .iter()
        .flat_map(|name| layouts.iter().map(move |layouts| layouts.join(name)))
        .find(|path| path.is_file())
}

/// How many pages each kind of Hugo's feeds keeps: `services.rss.limit`
/// (formerly `rssLimit`; -1, all, by default) where Hugo's embedded
/// template, or one of the site's that reads it, renders the feed; the
/// number a template of the site's own keeps with `first`; all where such
/// a template keeps them all. The number most of a site's feeds keep is
/// `limit`; the home page's, the terms' and a section's, where theirs
/// differs, `main_limit`, `term_limit` and `section_limits`.
fn hugo_feed_limits(dir: &Path, config: &Value, layouts: &[PathBuf], imported: &mut Imported) {
    let configured = get(config, "rssLimit")
        .or_else(|| {
            get(config, "services")
                .and_then(|s| get(s, "rss"))
                .and_then(|r| get(r, "limit"))
        })
        .and_then(Value::as_i64)
        .filter(|l| *l > 0)
        .map_or(0, |l| l as u64);
    let mut notes = Vec::new();
    let mut limit_of = |kind: &HugoFeedKind| -> u64 {
        let Some(template) = hugo_rss_template(layouts, kind) else {
            return configured;
        };
        let text = std::fs::read_to_string(&template).unwrap_or_default();
        let shown = template.strip_prefix(dir).unwrap_or(&template).display();
        let kept = match hugo_pager_size(config, &text) {
            Some(size) => Some((size, "one page of `.Paginator`, `pagination.pagerSize`")),
            None => hugo_first_limit(config, &text).map(|kept| (kept, "`first`")),
        };
        match kept {
            Some((kept, how)) => {
                let note = format!("{shown} keeps the newest {kept} pages ({how})");
                if !notes.contains(&note) {
                    notes.push(note);
                }
                kept
            }
            None if HUGO_CONFIGURED_LIMIT.is_match(&text) => configured,
            None => 0,
        }
    };
    let lists = limit_of(&HugoFeedKind::Section(String::new()));
    let home = limit_of(&HugoFeedKind::Home);
    let terms = limit_of(&HugoFeedKind::Term);
    let content = dir.join(imported.content_dir.as_deref().unwrap_or("content"));
    let mut sections = BTreeMap::new();
    for section in hugo_sections(&content) {
        let kept = limit_of(&HugoFeedKind::Section(section.clone()));
        if kept != lists {
            sections.insert(section, kept);
        }
    }
    imported.notes.extend(notes);
    imported.limit = Some(lists);
    imported.main_limit = (home != lists).then_some(home);
    imported.term_limit = (terms != lists).then_some(terms);
    imported.section_limits = sections;
}

/// A template that keeps as many pages as the site's config says.
static HUGO_CONFIGURED_LIMIT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)Services\.RSS\.Limit|\bRSSLimit\b").expect("a valid pattern")
});

/// The top-level folders of `content` (Hugo's sections, and its pages'
/// types unless they set one).
fn hugo_sections(content: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(content) else {
        return Vec::new();
    };
    let mut sections: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    sections.sort();
    sections
}

/// The number of pages a Hugo feed template keeps with `first`: a number
/// (`first 10`), or a site param with a default (LoveIt's `first
/// (.Site.Params.home.rss | default 10)`), read as Go templates read it.
/// Hugo's embedded template's `first $limit` is `services.rss.limit`, read
/// with the config.
fn hugo_first_limit(config: &Value, text: &str) -> Option<u64> {
    static FIRST: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"\bfirst\s+(?:(\d+)|\(\s*(?:\$?\.Site|site)\.Params\.([\w.]+)\s*\|\s*default\s+(\d+)\s*\)|(?:\$?\.Site|site)\.Params\.([\w.]+))"#,
        )
        .expect("a valid pattern")
    });
    // On the line that lists the pages, not `first 1 .Params.images`, nor
    // one that finds the page itself inside the loop (blowfish's `range
    // (where .Site.RegularPages ".RelPermalink" .RelPermalink | first 1)`).
    // `first $limit` keeps what `$limit := …` was given (hugo-theme-reimu's
    // `.Site.Params.rss.limit | default 10`).
    let text = &hugo_variables_spelt_out(text, "limit");
    let found = text
        .lines()
        .filter(|line| line.contains("range") || line.to_ascii_lowercase().contains("pages"))
        .filter(|line| !line.contains("\".RelPermalink\"") && !line.contains("\".Permalink\""))
        .find_map(|line| FIRST.captures(line))?;
    if let Some(number) = found.get(1) {
        return number.as_str().parse().ok();
    }
    let param = found.get(2).or(found.get(4))?.as_str();
    let set = hugo_param(config, param)
        .and_then(|value| match value {
            Value::Number(n) => n.as_u64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        })
        .filter(|n| *n > 0);
    set.or_else(|| found.get(3)?.as_str().parse().ok())
}

/// The pages a feed template lists from a paginator keep one pager's
/// worth, the newest: `range .Paginator.Pages` (hugo-theme-diary's
/// `index.rss.xml`, where the home page's paginator holds every regular
/// page), or `(.Paginate $pages N).Pages`; the size is `N`, else
/// `pagination.pagerSize` (formerly `paginate`), 10 by default.
fn hugo_pager_size(config: &Value, text: &str) -> Option<u64> {
    static PAGED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\brange\s+(?:\$?\.Paginator\.Pages|\(\s*\$?\.Paginator\s*\)\.Pages|\(\s*\$?\.Paginate\b(.*?)\)\.Pages)\b",
        )
            .expect("a valid pattern")
    });
    let text = hugo_variables_spelt_out(text, "pag");
    let found = PAGED.captures(&text)?;
    let given = found
        .get(1)
        .and_then(|arguments| arguments.as_str().split_whitespace().last()?.parse().ok());
    let positive = |value: &Value| value.as_i64().filter(|n| *n > 0).map(|n| n as u64);
    let configured = get(config, "pagination")
        .and_then(|p| get(p, "pagerSize"))
        .and_then(positive)
        .or_else(|| get(config, "paginate").and_then(positive));
    Some(given.or(configured).unwrap_or(10))
}

/// `text` with each use of a template variable `$NAME` whose name holds
/// `part` replaced by the expression it is assigned once (`$limit :=
/// .Site.Params.rss.limit | default 10`), in parentheses, as Go templates
/// evaluate it; a variable assigned more than once stays as it is.
fn hugo_variables_spelt_out(text: &str, part: &str) -> String {
    let Ok(assigned) = regex::Regex::new(r"\$(\w+)\s*:=\s*(.+?)\s*-?\}\}") else {
        return text.to_string();
    };
    let mut spelt = text.to_string();
    for found in assigned.captures_iter(text) {
        let (name, value) = (&found[1], &found[2]);
        let once = regex::Regex::new(&format!(r"\${}\s*:?=", regex::escape(name)))
            .is_ok_and(|re| re.find_iter(text).count() == 1);
        if !name.to_ascii_lowercase().contains(part) || !once {
            continue;
        }
        if let Ok(used) = regex::Regex::new(&format!(r"\${}\b(\s*:?=)?", regex::escape(name))) {
            spelt = used
                .replace_all(&spelt, |c: &regex::Captures<'_>| match c.get(1) {
                    Some(_) => c[0].to_string(),
                    None => format!("({value})"),
                })
                .into_owned();
        }
    }
    spelt
}

/// What a Hugo feed template leaves out by a page's own param, `where
/// $pages "Params.KEY" "!=" true` (hugo-blog-awesome's `exclude_from_rss`,
/// PaperMod's `hiddenInRss`), gazette leaves out too: of every feed where
/// the template is Hugo's list template (`rss.xml`, `_default/rss.xml`),
/// which renders the home page's, sections' and terms' feeds, of the site's
/// alone where it is the home page's (`home.rss.xml`, `index.rss.xml`).
fn hugo_feed_template_skips(template: &Path, shown: &str, text: &str, imported: &mut Imported) {
    hugo_feed_template_layouts(shown, text, imported);
    hugo_feed_template_order(shown, text, imported);
    // A query appended to each entry's link: `$utm := "?utm_campaign=RSS…"`
    // … `<link href="{{ print .Permalink $utm }}"` (brycewray.com's).
    let query = regex::Regex::new(r##"\$(\w+)\s*:?=\s*"\?([^"#\s]+)""##)
        .ok()
        .into_iter()
        .flat_map(|re| re.captures_iter(text).collect::<Vec<_>>())
        .find(|c| {
            regex::Regex::new(&format!(
                r"print\s+\.Permalink\s+\${}\b",
                regex::escape(&c[1])
            ))
            .is_ok_and(|used| used.is_match(text))
        })
        .map(|c| c[2].replace("&amp;", "&"));
    if let Some(query) = query {
        imported.notes.push(format!(
            "{shown} appends `?{query}` to each entry's link: so does gazette ([feeds] link_query), its ids staying the pages' addresses"
        ));
        imported.link_query = Some(query);
    }
    let Ok(skip) =
        regex::Regex::new(r#"where\s+[^"}]*?"\.?Params\.(\w+)"\s+"(?:!=|ne|<>)"\s+true\b"#)
    else {
        return;
    };
    let name = template
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let home_only = name.starts_with("home.") || name.starts_with("index.");
    // Or the pages that set it, gathered and then taken away:
    // `$hidden := where .Site.RegularPages ".Params.rss_ignore" true` …
    // `range $pages | complement $hidden` (jeff.glass).
    let gathered = regex::Regex::new(
        r#"\$(\w+)\s*:?=\s*where\s+[^"}]*?"\.?Params\.(\w+)"\s+(?:"(?:==|eq|=)"\s+)?true\b"#,
    )
    .ok();
    let taken_away = gathered
        .iter()
        .flat_map(|re| re.captures_iter(text))
        .filter_map(|c| {
            let complement =
                regex::Regex::new(&format!(r"complement\s+\${}\b", regex::escape(&c[1]))).ok()?;
            complement.is_match(text).then(|| c[2].to_string())
        });
    // Or an item written only where the page does not set it:
    // `{{- if not .Params.no_rss -}}<item>` (jasoncarloscox.com's).
    let item_unless =
        regex::Regex::new(r"\{\{-?\s*if\s+not\s+\.Params\.(\w+)\s*-?\}\}\s*<item>").ok();
    let unless_set = item_unless
        .iter()
        .flat_map(|re| re.captures_iter(text))
        .map(|found| found[1].to_string());
    let keys_found: Vec<String> = skip
        .captures_iter(text)
        .map(|found| found[1].to_string())
        .chain(taken_away)
        .chain(unless_set)
        .collect();
    for key in keys_found {
        let keys = if home_only {
            &mut imported.skip_main_keys
        } else {
            &mut imported.skip_keys
        };
        if !keys.contains(&key) {
            keys.push(key.clone());
        }
        imported.notes.push(format!(
            "{shown} leaves out a page whose params set `{key} = true`{}: so does gazette",
            if home_only {
                " (the home page's feed only)"
            } else {
                ""
            }
        ));
    }
}

/// A Hugo feed template that lists its pages last modified first,
/// `$pages = $pages.ByLastmod.Reverse` (hugo-theme-reimu's), not one that
/// only dates the channel so (PaperMod's `index $pages.ByLastmod.Reverse
/// 0`): `entry_order = "lastmod-reversed"`, which decides which pages a
/// `first` keeps.
fn hugo_feed_template_order(shown: &str, text: &str, imported: &mut Imported) {
    let Ok(by_lastmod) = regex::Regex::new(
        r"(?:\$\w+\s*:?=\s*|\brange\s+(?:\$\w+\s*:=\s*)?)\(?\s*\$?[\w.]*\.ByLastmod\.Reverse\b",
    ) else {
        return;
    };
    if by_lastmod.is_match(text) {
        imported.notes.push(format!(
            "{shown} lists the pages last modified first (`.ByLastmod.Reverse`): `entry_order = \"lastmod-reversed\"`"
        ));
        imported.entry_order = Some("lastmod-reversed");
    }
}

/// The pages a Hugo feed template leaves out by their layout, `if and (ne
/// .Layout "search") (ne .Layout "archives")` (PaperMod's, whose search and
/// archive pages, undated, Hugo would list at 0001-01-01): `[fields]
/// skip_if_value = { layout = [...] }`, which a note says.
fn hugo_feed_template_layouts(shown: &str, text: &str, imported: &mut Imported) {
    let Ok(layout) = regex::Regex::new(r#"\bne\s+\.Layout\s+[`"]([^`"]+)[`"]"#) else {
        return;
    };
    let mut layouts: Vec<String> = Vec::new();
    for found in layout.captures_iter(text) {
        let value = found[1].to_string();
        if !layouts.contains(&value) {
            layouts.push(value);
        }
    }
    if layouts.is_empty() {
        return;
    }
    imported.notes.push(format!(
        "{shown} leaves out a page whose `layout` is {}: so does gazette",
        layouts
            .iter()
            .map(|l| format!("{l:?}"))
            .collect::<Vec<_>>()
            .join(" or ")
    ));
    imported.skip_values.push(("layout".into(), layouts));
}

/// The site param a Hugo feed template writes the first `.Content` under
/// (`{{ if .Site.Params.RSSFullContent }}…{{ .Content }}`), and whether it
/// is written where the param is set (`true`) or in its `else` (`false`).
fn hugo_content_param(text: &str) -> Option<(String, bool)> {
    let content = regex::Regex::new(r"\.Content\b").ok()?;
    let at = content.find_iter(text).find(|m| {
        // `.ContentWithoutSummary` is another thing.
        !text[m.end()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
    })?;
    let action = regex::Regex::new(r"\{\{-?\s*(\w+)([^}]*?)-?\}\}").ok()?;
    let param = regex::Regex::new(r"\.Params\.(\w+)").ok()?;
    // The open blocks at `.Content`: each one's condition, and whether
    // `.Content` is past its `else`.
    let mut open: Vec<(&str, bool)> = Vec::new();
    for found in action.captures_iter(&text[..at.start()]) {
        let condition = found.get(2).map_or("", |m| m.as_str());
        match &found[1] {
            "if" | "with" | "range" | "define" | "block" => open.push((condition, false)),
            "else" => {
                if let Some(top) = open.last_mut() {
                    // `else if B` is B's branch; a plain `else` the one where
                    // the condition is false.
                    *top = if condition.trim_start().starts_with("if") {
                        (condition, false)
                    } else {
                        (top.0, true)
                    };
                }
            }
            "end" => {
                open.pop();
            }
            _ => {}
        }
    }
    open.iter().rev().find_map(|(condition, in_else)| {
        let name = param.captures(condition)?[1].to_string();
        // `if not site.Params.RSSNoContent` (PaperModX): written where unset.
        let negated = condition.trim_start().starts_with("not ");
        // Written where set: in the `if` branch of a plain condition, or the
        // `else` of a negated one.
        Some((name, *in_else == negated))
    })
}

/// Whether a value is true as Go templates read it: not false, 0, empty or nil.
fn go_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(set) => *set,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// The site's themes (`theme`, one or a list, under `themes/`) and Hugo
/// modules, in the order Hugo looks in them.
fn hugo_theme_dirs(dir: &Path, config: &Value) -> Vec<PathBuf> {
    hugo_named_themes(dir, config)
        .into_iter()
        .map(|(_, folder)| folder)
        .chain(
            hugo_modules(dir, config)
                .into_iter()
                .filter_map(|(_, found)| found),
        )
        .collect()
}

/// The site's `theme`s (one or a list), each with its folder: under
/// `themesDir`, relative to the site (LoveIt's example site has its theme
/// two folders up: `themesDir = "../.."`), else `themes/`.
fn hugo_named_themes(dir: &Path, config: &Value) -> Vec<(String, PathBuf)> {
    let themes_dir = get_str(config, "themesDir").unwrap_or_else(|| "themes".into());
    hugo_theme_names(config)
        .into_iter()
        .filter(|theme| !is_module_path(theme))
        .map(|theme| (theme.to_string(), dir.join(&themes_dir).join(theme)))
        .collect()
}

/// The site's `theme`, one or a list.
fn hugo_theme_names(config: &Value) -> Vec<&str> {
    match get(config, "theme") {
        Some(Value::String(theme)) => vec![theme.as_str()],
        Some(Value::Array(themes)) => themes.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A `theme` that names a Hugo module (`github.com/owner/theme`), which
/// Hugo imports as a module rather than looking for it under `themes/`.
fn is_module_path(theme: &str) -> bool {
    theme
        .split_once('/')
        .is_some_and(|(host, _)| host.contains('.'))
}

/// The themes and modules the site names that are not on disk here (a
/// submodule not checked out, a module Hugo keeps in its cache), by name.
fn hugo_absent_themes(dir: &Path, config: &Value) -> Vec<String> {
    hugo_named_themes(dir, config)
        .into_iter()
        .filter(|(_, folder)| !folder.is_dir())
        .map(|(theme, _)| theme)
        .chain(
            hugo_modules(dir, config)
                .into_iter()
                .filter(|(_, found)| found.is_none())
                .map(|(path, _)| path),
        )
        .collect()
}

/// A theme's `params` are the site's defaults: Hugo merges them under the
/// site's own, key by key in any case (gohugo.io/configuration/introduction,
/// "Theme configuration"). A theme's config is read as a site's is: its
/// `hugo.toml` (or `config.toml`) and its `config/_default/`.
fn hugo_theme_params(dir: &Path, config: &mut Value) {
    let mut defaults = Vec::new();
    for theme in hugo_theme_dirs(dir, config) {
        let file = ["hugo", "config"]
            .iter()
            .flat_map(|name| ["toml", "yaml", "yml", "json"].map(|ext| format!("{name}.{ext}")))
            .map(|name| theme.join(name))
            .find(|file| file.is_file());
        let mut theme_config = file
            .and_then(|file| read_value(&file).ok())
            .unwrap_or_else(|| Value::Object(serde_json::Map::new()));
        hugo_config_directory(&theme, &mut theme_config);
        if let Some(Value::Object(params)) = get(&theme_config, "params") {
            defaults.push(params.clone());
        }
    }
    let Value::Object(root) = config else {
        return;
    };
    if defaults.is_empty() {
        return;
    }
    let params = root
        .entry("params")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    if let Value::Object(params) = params {
        for theme_params in defaults {
            crate::generators::jekyll_defaults::deep_fill_any_case(params, theme_params);
        }
    }
}

/// A theme's own `content/` (simpleframe's `search.md`), which Hugo mounts
/// below the site's: its pages are in Hugo's feeds, and gazette reads the
/// site's content folder alone, so a note names them.
fn hugo_theme_content(dir: &Path, config: &Value, imported: &mut Imported) {
    for theme in hugo_theme_dirs(dir, config) {
        let content = theme.join("content");
        let pages = hugo_page_files(&content).count();
        if pages > 0 {
            let shown = content.strip_prefix(dir).unwrap_or(&content);
            let pages = if pages == 1 {
                "a page".to_string()
            } else {
                format!("{pages} pages")
            };
            imported.notes.push(format!(
                "{} holds {pages} of the theme's own, which Hugo builds with the site's and lists in its feeds; gazette reads `content_dir` alone, so copy a page into it to list it too",
                shown.display()
            ));
        }
    }
}

/// Each of the site's Hugo modules (`[[module.imports]] path = "…"`, or a
/// `theme` that names one) and
/// where it is on disk without Go, if it is: vendored (`_vendor/<path>`), replaced in `go.mod`
/// (`replace <path> => ../`), a folder of `themes/` named as the path's
/// last part, or in Hugo's module cache at the version `go.mod` requires.
fn hugo_modules(dir: &Path, config: &Value) -> Vec<(String, Option<PathBuf>)> {
    let imports = get(config, "module")
        .and_then(|m| get(m, "imports"))
        .and_then(Value::as_array);
    let paths: Vec<String> = imports
        .into_iter()
        .flatten()
        .filter_map(|import| get_str(import, "path"))
        .chain(
            hugo_theme_names(config)
                .into_iter()
                .filter(|theme| is_module_path(theme))
                .map(str::to_string),
        )
        .collect();
    let go_mod = std::fs::read_to_string(dir.join("go.mod")).unwrap_or_default();
    let replacements = hugo_module_replacements(dir, config);
    let caches = hugo_module_caches(dir, config);
    let mut found = Vec::new();
    for path in paths {
        let configured = replacements
            .iter()
            .find(|(module, _)| *module == path)
            .map(|(_, folder)| folder.clone());
        let replaced = go_mod.lines().find_map(|line| {
            let line = line
                .trim()
                .strip_prefix("replace")
                .unwrap_or(line.trim())
                .trim();
            let (module, target) = line.split_once("=>")?;
            let module = module.split_whitespace().next()?;
            (module == path).then(|| dir.join(target.split_whitespace().next().unwrap_or("")))
        });
        // The name, not a major version's `/v3`.
        let version = |part: &str| {
            part.strip_prefix('v')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        };
        let last = path.rsplit('/').find(|p| !version(p)).unwrap_or(&path);
        let cached = go_required_version(&go_mod, &path).map(|required| {
            format!(
                "{}@{}",
                go_module_escaped(&path),
                go_module_escaped(&required)
            )
        });
        let candidates = [
            configured,
            Some(dir.join("_vendor").join(&path)),
            replaced,
            Some(dir.join("themes").join(last)),
        ];
        let on_disk = candidates
            .into_iter()
            .flatten()
            .chain(
                cached
                    .iter()
                    .flat_map(|cached| caches.iter().map(move |cache| cache.join(cached))),
            )
            .find(|d| d.is_dir());
        found.push((path, on_disk));
    }
    found
}

/// Hugo's `module.replacements` (`HUGO_MODULE_REPLACEMENTS` where set, as
/// Hugo reads any setting from the environment first): `path -> folder`
/// pairs, comma-separated or a list, a relative folder under `themesDir`
/// (gohugo.io/configuration/module, "replacements"), as a module is
/// developed beside the site.
fn hugo_module_replacements(dir: &Path, config: &Value) -> Vec<(String, PathBuf)> {
    let configured = get(config, "module").and_then(|m| get(m, "replacements"));
    let entries: Vec<String> = match std::env::var("HUGO_MODULE_REPLACEMENTS") {
        Ok(set) if !set.trim().is_empty() => set.split(',').map(str::to_string).collect(),
        _ => match configured {
            Some(Value::String(list)) => list.split(',').map(str::to_string).collect(),
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        },
    };
    let themes_dir = dir.join(get_str(config, "themesDir").unwrap_or_else(|| "themes".into()));
    entries
        .iter()
        .filter_map(|entry| {
            let (module, folder) = entry.split_once("->")?;
            Some((module.trim().to_string(), themes_dir.join(folder.trim())))
        })
        .collect()
}

/// The version of a module that `go.mod` requires (`require path v1.2.3`,
/// on its own line or in a `require ( … )` block).
fn go_required_version(go_mod: &str, module: &str) -> Option<String> {
    go_mod.lines().find_map(|line| {
        let line = line.trim();
        let line = line.strip_prefix("require").unwrap_or(line).trim();
        let mut words = line.split_whitespace();
        (words.next()? == module)
            .then(|| words.next())
            .flatten()
            .filter(|version| version.starts_with('v'))
            .map(str::to_string)
    })
}

/// A module path or version as Go's module cache spells it on disk: each
/// capital letter is `!` and the letter in lower case (go.dev/ref/mod,
/// "Module cache"), so `github.com/CaiJimmy/x` is `github.com/!cai!jimmy/x`.
fn go_module_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_uppercase() {
            escaped.push('!');
            escaped.push(c.to_ascii_lowercase());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Where Hugo keeps the modules it downloads: Go's module cache under
/// `<cacheDir>/modules/filecache/modules/pkg/mod`, `cacheDir` being the
/// site's `cacheDir`, else `$HUGO_CACHEDIR`, else the user's cache folder's
/// `hugo_cache` (`$XDG_CACHE_HOME` or `~/.cache` on Linux), as Hugo 0.116
/// and later choose it, else the temporary folder's `hugo_cache`, where
/// earlier Hugo kept it (gohugo.io/configuration/all, `cacheDir`). A site
/// built with Hugo here once has its themes there without `hugo mod vendor`.
fn hugo_module_caches(dir: &Path, config: &Value) -> Vec<PathBuf> {
    let variable = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let home = variable("HOME").map(PathBuf::from);
    let user_cache = if cfg!(target_os = "macos") {
        home.map(|home| home.join("Library/Caches"))
    } else if cfg!(windows) {
        variable("LocalAppData").map(PathBuf::from)
    } else {
        variable("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| home.map(|home| home.join(".cache")))
    };
    let roots = [
        get_str(config, "cacheDir").map(|configured| dir.join(configured)),
        variable("HUGO_CACHEDIR").map(PathBuf::from),
        user_cache.map(|cache| cache.join("hugo_cache")),
        Some(std::env::temp_dir().join("hugo_cache")),
    ];
    roots
        .into_iter()
        .flatten()
        .map(|root| root.join("modules/filecache/modules/pkg/mod"))
        .collect()
}

/// A theme's RSS template that lists the home page's feed as `where
/// site.RegularPages "Type" "in" site.Params.mainSections` (hugo-PaperMod,
/// hugo-theme-stack, directly or through a partial it calls): the site's
/// `mainSections`, else Hugo's default, the section with the most pages
/// (gohugo.io/methods/site/mainsections), become `main_sections`.
fn hugo_main_sections(
    dir: &Path,
    config: &Value,
    (template, text): (&Path, &str),
    partials: &[(PathBuf, String)],
    imported: &mut Imported,
) {
    // Directly, or through a variable (hugo-theme-reimu's `$mainSections :=
    // .Site.MainSections` … `where $pages "Section" "in" $mainSections`,
    // `$pages` being the site's regular pages for the home page's feed);
    // `.Site.MainSections` is Hugo's method for the same param.
    let Ok(re) = regex::Regex::new(
        r#"(?i)where\s+(?:(?:\$?\.Site|site)\.RegularPages|\$\w+)\s+"(Type|Section)"\s+"in"\s+\(?(?:\$?\.Site|site)\.(?:Params\.mainSections|MainSections)\b"#,
    ) else {
        return;
    };
    let text = &hugo_variables_spelt_out(text, "section");
    // Or in the partial it takes its pages from (`partial "helper/pages.html"`),
    // the site's own or, where it has none, a theme's (0AndWild's feed
    // template calls hugo-theme-stack's): `partials`, as Hugo finds them.
    // Which it compares, the pages' `.Type` or their `.Section`.
    let compared = |text: &str| {
        re.captures(text)
            .map(|c| c[1].eq_ignore_ascii_case("Section"))
    };
    let lists_main = compared(text).or_else(|| {
        partials
            .iter()
            .find_map(|(_, partial_text)| compared(partial_text))
    });
    let Some(by_section) = lists_main else {
        if hugo_param_sections(dir, config, (template, text), imported) {
            return;
        }
        // Or the pages of one section it fetches (gohugo.io's own feed:
        // `with site.GetPage "/news"` … `.Pages.ByPublishDate.Reverse`;
        // brycev.com's `range (.Site.GetPage "blog").Pages`), or
        // of one type (LoveIt: `where .Site.RegularPages "Type" "posts"`; a
        // page's type is its section unless its front matter sets `type`).
        let one_section = regex::Regex::new(
            r#"(?:\$?\.Site|site)\.GetPage\s+"/?([\w-]+)/?"\s*(?:\}\}[\s\S]*?|\)\s*)\.(?:Regular)?Pages\b|where\s+(?:\$?\.Site|site)\.(Regular)?Pages\s+"(Type|Section)"\s+(?:"(?:eq|==)"\s+)?"([\w-]+)""#,
        )
        .ok()
        .and_then(|re| {
            let found = re.captures(text)?;
            match found.get(1) {
                Some(section) => Some((section.as_str().to_string(), true, false)),
                // `"in"` and its kind are `where`'s operators, not a name.
                None if HUGO_WHERE_OPERATORS.contains(&&found[4]) => None,
                None => Some((
                    found[4].to_string(),
                    &found[3] == "Section",
                    found.get(2).is_none(),
                )),
            }
        });
        if let Some((section, by_section, all_pages)) = one_section {
            imported.main_sections_by_section = by_section;
            // `.Site.Pages` holds the section's own list page too, dated by
            // its front matter, which is no post of gazette's.
            let list_page = if all_pages {
                " (and the section's own page, which gazette does not list)"
            } else {
                ""
            };
            imported.notes.push(format!(
                "{} lists only the pages of the section `{section}`{list_page} in the home page's feed: `main_sections = [{}]`",
                template.strip_prefix(dir).unwrap_or(template).display(),
                quote(&section)
            ));
            imported.main_sections = vec![section];
        }
        return;
    };
    imported.main_sections_by_section = by_section;
    let params = get(config, "params");
    let set = params.and_then(|p| {
        p.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("mainSections"))
            .map(|(_, v)| v)
    });
    let sections: Vec<String> = texts(set).unwrap_or_else(|| {
        hugo_biggest_section(&dir.join(imported.content_dir.as_deref().unwrap_or("content")))
            .into_iter()
            .collect()
    });
    if sections.is_empty() {
        return;
    }
    imported.notes.push(format!(
        "{} lists only the pages of `mainSections` in the home page's feed: `main_sections = [{}]`",
        template.strip_prefix(dir).unwrap_or(template).display(),
        toml_list(&sections)
    ));
    imported.main_sections = sections;
}

/// The site param at a dotted path (`rss.limit` is `[params.rss] limit`).
fn hugo_param<'a>(config: &'a Value, dotted: &str) -> Option<&'a Value> {
    get(config, "params").and_then(|params| {
        dotted
            .split('.')
            .try_fold(params, |table, key| get(table, key))
    })
}

/// A setting's texts, given as a list or as one text (Hugo's
/// `mainSections = "posts"`); none for anything else.
fn texts(value: Option<&Value>) -> Option<Vec<String>> {
    match value? {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        ),
        Value::String(one) => Some(vec![one.clone()]),
        _ => None,
    }
}

/// The operators Hugo's `where` takes as words (gohugo.io/functions/collections/where).
const HUGO_WHERE_OPERATORS: [&str; 10] = [
    "in",
    "not",
    "intersect",
    "like",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
];

/// A feed template listing the home page's pages of the sections a site
/// param names, with a default, `$sections := .Site.Params.rss.sections |
/// default (slice "blog")` … `where $.Site.RegularPages "Type" "in"
/// $sections` (hextra's): `main_sections`, the param's where the site sets
/// it, else the default's. Whether it found one. `text` has its section
/// variables spelt out (`hugo_variables_spelt_out`).
fn hugo_param_sections(
    dir: &Path,
    config: &Value,
    (template, text): (&Path, &str),
    imported: &mut Imported,
) -> bool {
    let Ok(re) = regex::Regex::new(
        r#"where\s+(?:(?:\$?\.Site|site)\.RegularPages|\$\w+)\s+"(Type|Section)"\s+"in"\s+\(\s*\(?\s*(?:\$?\.Site|site)\.Params\.([\w.]+)\s*\|\s*default\s+\(\s*slice\s+((?:"[^"]*"\s*)+)\)\s*\)?\s*\)"#,
    ) else {
        return false;
    };
    let Some(found) = re.captures(text) else {
        return false;
    };
    let sections: Vec<String> = texts(hugo_param(config, &found[2])).unwrap_or_else(|| {
        found[3]
            .split('"')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect()
    });
    if sections.is_empty() {
        return false;
    }
    imported.main_sections_by_section = &found[1] == "Section";
    imported.notes.push(format!(
        "{} lists only the pages of `params.{}` (else its default) in the home page's feed: `main_sections = [{}]`",
        template.strip_prefix(dir).unwrap_or(template).display(),
        &found[2],
        toml_list(&sections)
    ));
    imported.main_sections = sections;
    true
}

/// The top-level section of `content` with the most pages, Hugo's
/// `mainSections` when the site sets none.
fn hugo_biggest_section(content: &Path) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(content)
        .min_depth(2)
        .into_iter()
        .filter_map(Result::ok)
    {
        let is_page = entry.file_type().is_file()
            && entry
                .path()
                .extension()
                .is_some_and(|x| x == "md" || x == "html")
            && !entry.file_name().to_string_lossy().starts_with("_index");
        let section = entry
            .path()
            .strip_prefix(content)
            .ok()
            .and_then(|rel| rel.iter().next());
        if let (true, Some(section)) = (is_page, section) {
            *counts
                .entry(section.to_string_lossy().into_owned())
                .or_default() += 1;
        }
    }
    // The most pages; of equals, the first by name.
    let most = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == most)
        .map(|(section, _)| section)
}

/// Hugo writes an RSS feed for every section (`/<section>/index.xml`) and
/// every term of every taxonomy (`tags` and `categories` unless
/// `[taxonomies]` says otherwise, at `/<taxonomy>/<term>/index.xml`) whose
/// kind `disableKinds` and `outputs` leave it [H6]. The sections' are
/// gazette's feeds per section; the `tags` terms' its feeds per tag (Hugo
/// keys a term lower-cased, as gazette's files are); the other taxonomies'
/// `init` names in a note.
fn hugo_list_feeds(config: &Value, taxonomies: Option<&Value>, imported: &mut Imported) {
    let lower_list = |value: Option<&Value>| -> Vec<String> {
        match value {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_lowercase)
                .collect(),
            _ => Vec::new(),
        }
    };
    let disabled = lower_list(get(config, "disableKinds"));
    let has_feeds = |kind: &str| {
        let outputs = get(config, "outputs").and_then(|o| get(o, kind));
        let rss = outputs.is_none() || lower_list(outputs).contains(&"rss".into());
        rss && !disabled.iter().any(|k| k == kind || k == "rss")
    };
    // Beside the site's own feed (in the default language's folder), each
    // named as the RSS output format names its files.
    let feed_file = hugo_feed_file(config);
    let suffix = format!("/{feed_file}");
    let folder = imported
        .old_feed
        .as_deref()
        .and_then(|feed| feed.strip_suffix(feed_file.as_str()))
        .unwrap_or("public/")
        .to_string();
    if !has_feeds("home") {
        imported.old_feed = None;
        // Nor has any language a home page feed of its own.
        for (_, feed) in &mut imported.language_feeds {
            *feed = None;
        }
        imported.notes.push(
            "the site has no feed of its own (its `outputs` or `disableKinds` leave the home page without RSS): gazette's is its first, and `gazette check --against` has no feed to compare it with".into(),
        );
    }
    if has_feeds("section") {
        imported.section_feeds = Some((folder.clone(), suffix.clone()));
    }
    if !has_feeds("term") {
        return;
    }
    let taxonomies: Vec<String> = match taxonomies.and_then(Value::as_object) {
        Some(table) => table
            .values()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        None => vec!["tags".into(), "categories".into()],
    };
    if taxonomies.iter().any(|t| t == "tags") {
        imported.tag_feeds = Some(TagFeeds {
            only: Vec::new(),
            except: Vec::new(),
            prefix: format!("{folder}tags/"),
            suffix: suffix.clone(),
        });
    }
    if taxonomies.iter().any(|t| t == "categories") {
        imported.all_category_feeds = Some((format!("{folder}categories/"), suffix.clone()));
    }
    for taxonomy in taxonomies {
        if taxonomy != "tags" && taxonomy != "categories" {
            // Hugo's folder is the plural lower-cased, as its URLs are; its
            // front matter keys are any case.
            let lower = taxonomy.to_lowercase();
            let at = (format!("{folder}{lower}/"), suffix.clone());
            other_taxonomy_feeds(imported, "Hugo", &lower, at);
        }
    }
}

/// The feed of each term of a taxonomy other than tags and categories,
/// found at `at` (before and after the term): `per_taxonomy`, which takes
/// plain lower-case names; any other is named in a note.
fn other_taxonomy_feeds(
    imported: &mut Imported,
    generator: &str,
    taxonomy: &str,
    at: (String, String),
) {
    match crate::config::taxonomy_problem(taxonomy) {
        None => imported.taxonomy_feeds.push((taxonomy.to_string(), at)),
        Some(problem) => imported.notes.push(format!(
            "{generator} also writes a feed of each term of `{taxonomy}` ({}<term>{}); gazette does not, as `per_taxonomy` {problem}",
            at.0, at.1
        )),
    }
}

/// Zola writes a feed of each term of a taxonomy with `feed = true` (`rss`
/// before Zola 0.16) that is rendered at all, at
/// `/<taxonomy_root>/<taxonomy>/<term>/<first feed file>`, the terms of
/// the default language's [Z6]. A page's terms are under `taxonomies`.
/// A multilingual Zola site's other languages: `[languages.fr]` tables
/// (Zola 0.17+) or `languages = [{ code = "fr" }]` before. Zola names a
/// translation `x.fr.md` and writes each language's feed under `/fr/`
/// (`FileInfo::find_language`); gazette writes the default language's.
fn zola_languages(config: &Value, content: &Path, imported: &mut Imported) {
    let default = get_str(config, "default_language").unwrap_or_else(|| "en".into());
    let languages: Vec<(String, &Value)> = match get(config, "languages") {
        Some(Value::Object(tables)) => tables.iter().map(|(code, v)| (code.clone(), v)).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| Some((get_str(item, "code")?, item)))
            .collect(),
        _ => Vec::new(),
    };
    let languages: Vec<(String, &Value)> = languages
        .into_iter()
        .filter(|(code, _)| *code != default)
        .collect();
    let Some((first, _)) = languages.first() else {
        return;
    };
    // A language's own feed: `generate_feeds` (0.19), once `generate_feed`,
    // `rss` before 0.11.
    let output = get_str(config, "output_dir").unwrap_or_else(|| "public".into());
    for (code, table) in &languages {
        if let Some(title) = get_str(table, "title") {
            imported.language_titles.insert(code.clone(), title);
        }
        let flag = |key: &str| get(table, key).and_then(Value::as_bool) == Some(true);
        let feeds = flag("generate_feeds")
            || flag("generate_feed")
            || (zola_before_0_11(config) && flag("rss"));
        // Zola writes the feeds of a language's terms and sections whether
        // or not the language has a main feed of its own.
        let terms = zola_feed_taxonomies(config, get(table, "taxonomies"), "", "");
        let sections = zola_section_feeds(content, &format!("_index.{code}.md"));
        if !feeds && terms.is_empty() && sections.is_empty() {
            continue;
        }
        let file = get(table, "feed_filenames")
            .and_then(Value::as_array)
            .and_then(|names| names.first())
            .and_then(Value::as_str)
            // A language's own default (`LanguageOptions::default`).
            .unwrap_or("atom.xml");
        let main = feeds.then(|| built(&output, &format!("{code}/{file}")));
        if !feeds {
            imported.notes.push(format!(
                "the `{code}` language has no feed of its own at Zola (no `generate_feeds`), only feeds of its terms or sections; gazette writes those and its main feed beside them"
            ));
        }
        imported.language_feeds.push((code.clone(), main));
        zola_language_term_feeds(config, code, table, &built(&output, code), file, imported);
        if !sections.is_empty() {
            let at = (built(&output, &format!("{code}/")), format!("/{file}"));
            imported
                .language_sections
                .insert(code.clone(), (sections, at));
        }
    }
    let main_feed = imported
        .language_feeds
        .iter()
        .find_map(|(code, main)| Some((code, main.as_ref()?)));
    let theirs = match main_feed {
        None if imported.language_feeds.is_empty() => format!("; pages named `x.{first}.md` are translations, left out as Zola leaves them out of its feeds"),
        None => {
            let one = &imported.language_feeds[0].0;
            format!(", and each language with feeds gets them in its folder (gazette's {one}/); pages named `x.{one}.md` are {one} pages")
        }
        Some((one, theirs)) => format!(", and each language with feeds of its own gets them as Zola writes {theirs} (gazette's {one}/); pages named `x.{one}.md` are {one} pages"),
    };
    imported.notes.push(format!(
        "a multilingual site: the main feeds are the {default} ones{theirs}"
    ));
    let others = languages.into_iter().map(|(code, _)| code).collect();
    imported.translations = Some((default, others));
}

/// Whether the config is written for a Zola before 0.11, which named feeds
/// `rss` (`generate_rss`, `rss_limit`, a taxonomy's or a language's `rss`):
/// Zola 0.11 renamed them all to `feed` and has read no `rss` key since, so
/// on a site that names any feed key of 0.11 or later, or none of the old
/// ones, a taxonomy's `rss = true` makes no feed.
fn zola_before_0_11(config: &Value) -> bool {
    let names = |keys: &[&str]| keys.iter().any(|key| get(config, key).is_some());
    names(&["generate_rss", "rss_limit"])
        && !names(&[
            "generate_feed",
            "generate_feeds",
            "feed_filename",
            "feed_filenames",
            "feed_limit",
        ])
}

fn zola_taxonomy_feeds(config: &Value, output: &str, feed_file: &str, imported: &mut Imported) {
    let taxonomies = get(config, "taxonomies");
    if !zola_before_0_11(config) {
        let ignored: Vec<String> = taxonomies
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|t| {
                get(t, "feed").is_none() && get(t, "rss").and_then(Value::as_bool) == Some(true)
            })
            .filter_map(|t| get_str(t, "name"))
            .collect();
        if !ignored.is_empty() {
            imported.notes.push(format!(
                "taxonomy {} sets `rss = true`, the key Zola read before 0.11; Zola has read `feed` since, so it writes no feeds of those terms and neither does gazette (set `feed = true` in the taxonomy for both)",
                ignored.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for (name, at) in zola_feed_taxonomies(config, taxonomies, &built(output, ""), feed_file) {
        match name.as_str() {
            "tags" => {
                imported.tag_feeds = Some(TagFeeds {
                    prefix: at.0,
                    suffix: at.1,
                    ..TagFeeds::default()
                });
            }
            "categories" => imported.all_category_feeds = Some(at),
            other => other_taxonomy_feeds(imported, "Zola", other, at),
        }
    }
}

/// The taxonomies of `taxonomies` (the site's or a language's) with
/// `feed = true` (`rss` before Zola 0.11) that are rendered at all, each
/// with where Zola writes the feed of a term: `<folder><taxonomy_root>/<taxonomy>/`
/// before it and `/<feed file>` after.
fn zola_feed_taxonomies(
    config: &Value,
    taxonomies: Option<&Value>,
    folder: &str,
    feed_file: &str,
) -> Vec<(String, FeedsAt)> {
    let root = get_str(config, "taxonomy_root")
        .map(|root| format!("{}/", root.trim_matches('/')))
        .unwrap_or_default();
    let taxonomies = taxonomies.and_then(Value::as_array);
    let mut found = Vec::new();
    for taxonomy in taxonomies.into_iter().flatten() {
        let Some(name) = get_str(taxonomy, "name") else {
            continue;
        };
        let flag = |key: &str| get(taxonomy, key).and_then(Value::as_bool);
        let old = || flag("rss").filter(|_| zola_before_0_11(config));
        let feed = flag("feed").or_else(old).unwrap_or(false);
        if feed && flag("render").unwrap_or(true) {
            let at = (format!("{folder}{root}{name}/"), format!("/{feed_file}"));
            found.push((name, at));
        }
    }
    found
}

/// A language's taxonomies with feeds (`languages.fr.taxonomies`, none
/// unless it lists them: Zola gives a language no taxonomies of the
/// site's), their feeds in its folder `folder` with its own feed file.
fn zola_language_term_feeds(
    config: &Value,
    code: &str,
    table: &Value,
    folder: &str,
    feed_file: &str,
    imported: &mut Imported,
) {
    let folder = format!("{folder}/");
    let taxonomies = zola_feed_taxonomies(config, get(table, "taxonomies"), &folder, feed_file);
    let mut kept = Vec::new();
    for (name, at) in taxonomies {
        let problem = match name.as_str() {
            "tags" | "categories" => None,
            other => crate::config::taxonomy_problem(other),
        };
        match problem {
            None => kept.push((name, at)),
            Some(problem) => imported.notes.push(format!(
                "Zola also writes a feed of each term of the `{code}` language's `{name}` ({}<term>{}); gazette does not, as a taxonomy's name {problem}",
                at.0, at.1
            )),
        }
    }
    if !kept.is_empty() {
        imported.language_taxonomies.insert(code.to_string(), kept);
    }
}

/// The sections whose `index` (`_index.md`, or a language's `_index.fr.md`)
/// sets `generate_feeds` (`generate_feed` before Zola 0.16): Zola writes
/// their pages' feed at `/<section>/<feed file>` [Z6]. Not the home
/// page's, which is the site's (or the language's) feed.
fn zola_section_feeds(content: &Path, index: &str) -> Vec<String> {
    let mut sections: Vec<String> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name() == index)
        .filter_map(|entry| {
            let folder = entry.path().parent()?.strip_prefix(content).ok()?;
            let map = crate::content::frontmatter::of_file(entry.path())?;
            let feeds = ["generate_feeds", "generate_feed"]
                .iter()
                .any(|key| map.get(*key).and_then(Value::as_bool) == Some(true));
            let folder = folder.to_string_lossy().replace('\\', "/");
            (feeds && !folder.is_empty()).then_some(folder)
        })
        .collect();
    sections.sort();
    sections
}

/// What Jekyll's `defaults:` give a post directly in `_posts` (the site's
/// pattern and author in the config `init` writes; each post gets its own
/// defaults when it is read, `content::jekyll_defaults`).
fn jekyll_post_defaults(config: &Value) -> Value {
    let mut values = serde_json::Map::new();
    if let Some(config) = config.as_object() {
        crate::generators::jekyll_defaults::Defaults::from_config(config).fill(
            &mut values,
            "_posts/",
            "posts",
        );
    }
    Value::Object(values)
}

fn jekyll(dir: &Path) -> Result<Imported, Error> {
    let path = ["_config.yml", "_config.yaml", "_config.toml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists());
    // Jekyll's defaults are the whole config of a site without one.
    let config = match &path {
        Some(path) => read_value(path)?,
        None => Value::Object(serde_json::Map::new()),
    };
    let baseurl = get_str(&config, "baseurl").unwrap_or_default();
    // A `baseurl` that is itself an address (jagcesar.se's, with no
    // `url`): Jekyll joins the empty `url`, it and each page's path, so
    // it is the site's address.
    let absolute_baseurl = baseurl.starts_with("http://") || baseurl.starts_with("https://");
    let (url, baseurl) = match get_str(&config, "url") {
        None if absolute_baseurl => (Some(baseurl), String::new()),
        url => (url, baseurl),
    };
    let base_path =
        (url.is_none() && !baseurl.trim_matches('/').is_empty()).then(|| baseurl.clone());
    let base_url =
        url.map(|u| format!("{}/{}", u.trim_end_matches('/'), baseurl.trim_matches('/')));
    // Front matter > `defaults:` for posts > the posts collection's own
    // `permalink` > the site's (jekyllrb.com/docs/configuration/front-matter-defaults,
    // jekyllrb.com/docs/collections: `collections.posts.permalink` is for
    // posts alone, over the site-wide style).
    let defaults = jekyll_post_defaults(&config);
    let posts_collection = get(&config, "collections").and_then(|c| get(c, "posts"));
    let style = get_str(&defaults, "permalink")
        .or_else(|| posts_collection.and_then(|posts| get_str(posts, "permalink")))
        .or_else(|| get_str(&config, "permalink"))
        .unwrap_or_else(|| "date".into());
    let pattern = match style.as_str() {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    };
    // Psych, which Jekyll 4.3 reads its config with (safe_yaml before it
    // did, opening the file `bom|utf-8`), stops after the first key of a
    // text that begins with a byte order mark.
    let with_bom = path.as_ref().is_some_and(|path| {
        path.extension().is_some_and(|e| e != "toml")
            && std::fs::read(path).is_ok_and(|bytes| bytes.starts_with(b"\xEF\xBB\xBF"))
    });
    let mut imported = Imported {
        sources: path.into_iter().collect(),
        // jekyll-feed titles the feed `site.title | default: site.name`.
        title: get_str(&config, "title").or_else(|| get_str(&config, "name")),
        description: get_str(&config, "description"),
        base_url,
        base_path,
        language: get_str(&config, "lang").or_else(|| get_str(&config, "locale")),
        timezone: get_str(&config, "timezone"),
        author: author_name(get(&config, "author"))
            .or_else(|| author_name(get(&defaults, "author"))),
        content_dir: Some(jekyll_content_dir(&config)),
        permalink: Some(permalink::from_generator_syntax(pattern, Generator::Jekyll)),
        ..Imported::default()
    };
    if with_bom {
        imported.notes.push(
            "_config.yml begins with a byte order mark: Jekyll 4.3 and later read only its first key (Psych), Jekyll 4.2, 3 and GitHub Pages all of it, as gazette does; remove the mark if your Jekyll is 4.3 or later".into(),
        );
    }
    imported.publish_future = get(&config, "future").and_then(Value::as_bool);
    // jekyll-feed gives the site's author's address and page to every
    // entry without an author of its own; a key into `_data/authors.yml`
    // stands for the person listed there.
    let site_author = get(&config, "author");
    (imported.author_email, imported.author_url) = author_contact(site_author);
    // Posts, data, layouts and pages are read from `source`; the config
    // and `destination` from the folder Jekyll runs in.
    let source = crate::generators::jekyll_defaults::source_of(dir, config.get("source"));
    // gazette's feeds go where Jekyll copies them from: `feeds/` in the source.
    if get(&config, "source").is_some() {
        imported.output_dir = Some(jekyll_source_path(&config, "feeds"));
    }
    if let Some(Value::String(key)) = site_author {
        let (authors, _) = crate::content::jekyll_authors::load(&source);
        if let Some(person) = authors.get(key.trim()) {
            imported.author = Some(person.name.clone());
            imported.author_email = person.email.clone();
            imported.author_url = person.url.clone();
        }
    }
    if let Some(Value::Array(excluded)) = get(&config, "exclude") {
        for item in excluded.iter().filter_map(Value::as_str) {
            // Jekyll joins each with the source folder (Ruby's `File.join`
            // takes `/docs` as `docs`: jekyll-TeXt-theme excludes so).
            let item = item.trim_end_matches('/').trim_start_matches('/');
            if item.is_empty() {
                continue;
            }
            imported.exclude.push(item.to_string());
            if source.join(item).is_dir() {
                imported.exclude.push(format!("{item}/**"));
            }
        }
    }
    let feed = get(&config, "feed");
    // Where `jekyll build` writes it: `destination`, by default `_site`.
    let destination = get_str(&config, "destination").unwrap_or_else(|| "_site".into());
    imported.old_feed = Some(built(
        &destination,
        &feed
            .and_then(|f| get_str(f, "path"))
            .unwrap_or_else(|| "feed.xml".into()),
    ));
    imported.limit = Some(
        feed.and_then(|f| get(f, "posts_limit"))
            .and_then(Value::as_u64)
            .unwrap_or(10),
    );
    if let Some(feed) = feed {
        jekyll_feed_options(feed, &mut imported);
        jekyll_collection_feeds(&config, feed, &destination, &mut imported);
    }
    jekyll_own_feed(dir, &source, &config, &destination, &mut imported);
    imported.category_feeds = (built(&destination, "feed/"), ".xml".into());
    if let Some(tags) = &mut imported.tag_feeds {
        tags.prefix = built(&destination, &tags.prefix);
    }
    if imported.timezone.is_none() {
        imported.notes.push(
            "_config.yml sets no timezone, so Jekyll used the build machine's; gazette assumes UTC (set `timezone` if yours differs)".into(),
        );
    }
    // Jekyll hands `timezone` to the C library as `TZ`, which reads a name
    // it does not know (`+0100`) as UTC: so does gazette, rather than
    // write a config it cannot build with.
    if let Some(zone) = imported
        .timezone
        .take_if(|zone| zone.parse::<chrono_tz::Tz>().is_err())
    {
        imported.notes.push(format!(
            "_config.yml: timezone {zone:?} is no IANA time zone name, which Jekyll leaves to the C library, and it reads it as UTC: so does gazette (timezone = \"UTC\"); if the posts mean another zone, set its name (`Europe/Warsaw`) in both"
        ));
        imported.timezone = Some("UTC".into());
    }
    Ok(imported)
}

/// Where gazette reads a Jekyll site's posts: its `source` (the site's
/// folder unless set) and in it the `collections_dir`, as Jekyll reads
/// them (jekyllrb.com/docs/configuration/options, /docs/collections).
fn jekyll_content_dir(config: &Value) -> String {
    let collections = get_str(config, "collections_dir").unwrap_or_else(|| ".".into());
    jekyll_source_path(config, &collections)
}

/// `path` in the site's `source`, as a path from the site's folder.
fn jekyll_source_path(config: &Value, path: &str) -> String {
    let source = get_str(config, "source").unwrap_or_else(|| ".".into());
    let joined = crate::paths::clean_path(&Path::new(&source).join(path));
    match joined.as_os_str().is_empty() {
        true => ".".into(),
        false => joined.to_string_lossy().into_owned(),
    }
}

/// The page of a Jekyll site that its `permalink` writes to `name`
/// (Chirpy's `assets/feed.xml`, written to `/feed.xml`): Jekyll renders a
/// page with front matter wherever it is, outside the folders it keeps to
/// itself (`_…`, dot folders) and those it excludes by default.
fn jekyll_page_written_to(source: &Path, name: &str) -> Option<PathBuf> {
    let wanted = format!("/{}", name.trim_start_matches('/'));
    walkdir::WalkDir::new(source)
        .max_depth(4)
        .into_iter()
        .filter_entry(|entry| {
            let file_name = entry.file_name().to_string_lossy();
            entry.depth() == 0
                || !(file_name.starts_with(['_', '.'])
                    || ["node_modules", "vendor"].contains(&file_name.as_ref()))
        })
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|path| {
            path.extension()
                .is_some_and(|x| ["xml", "atom", "rss"].iter().any(|e| x == *e))
        })
        .find(|path| {
            std::fs::read_to_string(path)
                .ok()
                .and_then(|text| crate::content::frontmatter::of_text(&text))
                .and_then(|front| {
                    front
                        .get("permalink")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .is_some_and(|permalink| permalink.trim() == wanted)
        })
}

/// A feed template of the site's own (a `feed.xml` with front matter that
/// loops over `site.posts`), which Jekyll renders like any page and which
/// jekyll-feed leaves alone (its generator writes no file where the site
/// has one): how many posts it lists and what it names them by are what
/// the site's readers know.
fn jekyll_own_feed(
    dir: &Path,
    source: &Path,
    config: &Value,
    destination: &str,
    imported: &mut Imported,
) {
    let plugins = ["plugins", "gems"]
        .iter()
        .filter_map(|key| get(config, key))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str);
    // Listed in the config, or loaded as a gem of the Gemfile's
    // `:jekyll_plugins` group, which Jekyll requires without a listing.
    let uses_jekyll_feed = plugins.into_iter().any(|p| p == "jekyll-feed")
        || std::fs::read_to_string(dir.join("Gemfile")).is_ok_and(|gemfile| {
            gemfile
                .lines()
                .map(str::trim)
                .any(|line| !line.starts_with('#') && line.contains("jekyll-feed"))
        });
    let configured = get(config, "feed")
        .and_then(|f| get_str(f, "path"))
        .unwrap_or_else(|| "feed.xml".into());
    let mut candidates = vec![configured];
    if !uses_jekyll_feed {
        candidates.extend(["atom.xml", "rss.xml", "feed.atom", "feed.rss"].map(String::from));
    }
    let found = candidates.into_iter().find_map(|name| {
        let at_its_address = source.join(name.trim_start_matches('/'));
        let path = Some(at_its_address)
            .filter(|path| path.is_file())
            .or_else(|| jekyll_page_written_to(source, &name))?;
        let text = std::fs::read_to_string(&path).ok()?;
        if !text.starts_with("---") {
            return None;
        }
        let (text, layouts) = with_jekyll_layouts(source, &path, text);
        let sources: Vec<PathBuf> = std::iter::once(path).chain(layouts).collect();
        text.contains("site.posts").then_some((name, text, sources))
    });
    let Some((name, template, sources)) = found else {
        return jekyll_feed_plugin(config, uses_jekyll_feed, destination, imported);
    };
    imported.old_feed = Some(built(destination, &name));
    imported.sources.extend(sources);
    feed_template_site(&template, config, imported);
    imported.limit = Some(match liquid_entry_limit(&template, config) {
        Ok(limit) => limit.unwrap_or(0),
        Err(expression) => {
            imported.notes.push(format!(
                "{name}: the site's own feed template keeps `limit: {expression}` posts, which gazette cannot read: set [feeds] limit to that number"
            ));
            0
        }
    });
    jekyll_feed_template_keys(&name, &template, config, imported);
    // A podcast's template: its enclosures come from keys of its own.
    if template.contains("<enclosure") {
        let built_feed = dir.join(built(destination, &name));
        let show = crate::import::jekyll_podcast::read(&name, &template, config, &built_feed);
        imported.notes.extend(show.notes);
        if show.table.is_some() {
            imported.sources.push(built_feed);
        }
        imported.podcast_table = show.table;
    }
    // jekyll-feed smartens titles (`post.title | smartify`); a template of
    // the site's own does only where it says so (in CDATA or not).
    let entry_title = regex::Regex::new(
        r"<title\b[^>]*>\s*(?:<!\[CDATA\[)?\s*\{\{([^}]*\bpost\.title\b[^}]*)\}\}",
    )
    .ok()
    .and_then(|re| re.captures(&template))
    .map(|c| c[1].to_string());
    if let Some(title) = entry_title {
        imported.smart_titles = Some(title.contains("smartify"));
        imported.strip_title_html = Some(title.contains("strip_html"));
    }
    // `site.posts` is newest first and, on a date, by path from the
    // greatest (Jekyll's `Document#<=>` reversed); jekyll-feed sorts it by
    // date again, stably, and reverses it, which turns that around.
    let iterates_posts = regex::Regex::new(r"\{%-?\s*for\s+\w+\s+in\s+site\.posts\s*(?:limit|%|-)")
        .is_ok_and(|re| re.is_match(&template));
    if iterates_posts {
        imported.entry_order = Some("date-path-descending");
    }
    if template.contains("site.posts |") || template.contains("site.posts|") {
        imported.notes.push(format!(
            "{name}: the site's own feed template filters `site.posts`, which gazette does not evaluate: check that the feed lists the same posts"
        ));
    }
}

/// A Jekyll page's text followed by that of each layout it is rendered
/// in (`layout: feed` → `_layouts/feed.xml`, and that one's own layout):
/// a feed page may hold only front matter, its loop in the layout. With
/// the layouts read.
fn with_jekyll_layouts(source: &Path, page: &Path, text: String) -> (String, Vec<PathBuf>) {
    let layout_of = |text: &str| {
        let front = crate::content::frontmatter::of_text(text)?;
        front.get("layout")?.as_str().map(str::to_string)
    };
    let layout_file = |name: &str| {
        let entries = std::fs::read_dir(source.join("_layouts")).ok()?;
        entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.file_stem().is_some_and(|stem| *stem == *name))
            .min()
    };
    let (mut whole, mut layouts) = (text, Vec::new());
    // Where the text of the file read last starts in `whole`.
    let mut last = 0;
    while let Some(next) = layout_of(&whole[last..]).and_then(|name| layout_file(&name)) {
        // A layout that names itself, or one of its own, ends the chain.
        if next == page || layouts.contains(&next) {
            break;
        }
        let Ok(layout_text) = std::fs::read_to_string(&next) else {
            break;
        };
        whole.push('\n');
        last = whole.len();
        whole.push_str(&layout_text);
        layouts.push(next);
    }
    (whole, layouts)
}

/// What a Jekyll feed template of the site's own takes from keys of the
/// post's: its entries' ids and dates (`{% if post.guid %}`, `{% if
/// post.rss_date %}`), its `<guid>`/`<id>` otherwise, and whether it is a
/// podcast's.
fn jekyll_feed_template_keys(name: &str, template: &str, config: &Value, imported: &mut Imported) {
    // What each entry's `<guid>` (RSS) or `<id>` (Atom) is made of, a
    // variable the loop assigns read as what it holds.
    let template = &with_post_variables_spelt_out(template);
    let id = regex::Regex::new(r"<(?:guid|id)\b[^>]*>([^<]*\bpost\.(?:url|id)\b[^<]*)</")
        .ok()
        .and_then(|re| re.captures(template))
        .map(|c| c[1].to_string());
    // A date the post sets for the feed, else its date.
    let shown_date = regex::Regex::new(
        r"<(?:pubDate|published|updated)>\s*\{%-?\s*if\s+post\.(\w+)\s*-?%\}\s*\{\{-?\s*post\.(\w+)\s*-?\}\}\s*\{%-?\s*else\s*-?%\}\s*\{\{-?\s*post\.date\b",
    )
    .ok()
    .and_then(|re| re.captures(template))
    .filter(|c| c[1] == c[2])
    .map(|c| c[1].to_string());
    if let Some(key) = shown_date {
        imported.notes.push(format!(
            "{name}: the site's own feed template dates an entry by the post's `{key}` where it sets one: so does gazette, its URL keeping the post's date ([fields] feed_date = [\"{key}\"])"
        ));
        imported.feed_date_keys = vec![key];
    }
    // An id the post sets, else its URL.
    let own_id = regex::Regex::new(
        r"\{%-?\s*if\s+post\.(\w+)\s*-?%\}\s*\{\{-?\s*post\.(\w+)\s*-?\}\}\s*\{%-?\s*else\s*-?%\}[^{]*\{\{-?[^}]*\bpost\.url\b",
    )
    .ok()
    .zip(id.as_ref())
    .and_then(|(re, id)| re.captures(id))
    .filter(|c| c[1] == c[2])
    .map(|c| c[1].to_string());
    match id {
        Some(_) if own_id.is_some() => {
            let key = own_id.unwrap_or_default();
            imported.notes.push(format!(
                "{name}: the site's own feed template names an entry by the post's `{key}` where it sets one, else by its URL: so does gazette ([fields] id = [\"{key}\"])"
            ));
            imported.id_format = Some("id-key");
            imported.id_keys = vec![key];
        }
        Some(id) if id.contains("post.url") => {
            imported.id_format = Some("url");
            imported.id_prefix = concatenated_address(&id, template, config).or_else(|| {
                id.contains("absolute_url")
                    .then(|| jekyll_absolute_url_prefix(config))
                    .flatten()
            });
            if let Some(prefix) = &imported.id_prefix {
                imported.notes.push(format!(
                    "{name}: the site's own feed template writes each entry's id as {prefix:?} followed by the post's address (`/2024/…`), a slash doubled, as feed readers know them: so does gazette (id_prefix)"
                ));
            }
        }
        Some(_) => {}
        None => imported.notes.push(format!(
            "{name}: the site's own feed template names its entries by neither `post.url` nor `post.id`: check `id_format` against the built feed"
        )),
    }
}

/// A Jekyll site without a feed template of its own: jekyll-feed's feed,
/// where the site loads it (or its theme may), else none, which a note
/// says.
fn jekyll_feed_plugin(
    config: &Value,
    uses_jekyll_feed: bool,
    destination: &str,
    imported: &mut Imported,
) {
    // A theme gem may load jekyll-feed (minima depends on it), and
    // `feed:` options are jekyll-feed's.
    let may_have_plugin = ["theme", "remote_theme", "feed"]
        .iter()
        .any(|key| get(config, key).is_some_and(|v| !v.is_null()));
    if !uses_jekyll_feed && !may_have_plugin {
        // No jekyll-feed and no feed template: the site has no feed.
        imported.old_feed = None;
        imported.notes.push(
            "the site has no feed of its own (no jekyll-feed in its plugins or Gemfile, no feed template): gazette's is its first, and `gazette check --against` has no feed to compare it with".into(),
        );
    } else if !uses_jekyll_feed && get(config, "feed").is_none_or(Value::is_null) {
        // Jekyll requires a theme's runtime dependencies, a remote
        // theme's read from its gemspec (jekyll-remote-theme's
        // `require_theme_deps`): only the theme knows.
        if let Some(theme) = ["theme", "remote_theme"]
            .iter()
            .find_map(|key| get_str(config, key))
        {
            imported.notes.push(format!(
                "jekyll-feed is in neither the plugins nor the Gemfile: the site has a feed only if its theme `{theme}` depends on jekyll-feed, which gazette cannot see; if Jekyll writes no `{destination}/feed.xml`, gazette's feed is its first"
            ));
        }
    }
    if imported.old_feed.is_some() {
        if let Some(prefix) = jekyll_absolute_url_prefix(config) {
            imported.notes.push(format!(
                "_config.yml's `url` ends in a slash, which jekyll-feed's `absolute_url` doubles in every entry's id ({prefix:?} followed by the post's path), as feed readers know them: so does gazette (id_prefix)"
            ));
            imported.id_prefix = Some(prefix);
        }
    }
}

/// What Jekyll's `absolute_url` of a post's address starts with where the
/// config's `url` ends in a slash (jekyll-feed's ids, a template's `{{
/// post.url | absolute_url }}`): it joins `url` and the path from the host as text
/// (`Filters::URLFilters#compute_absolute_url`: `site_url +
/// relative_url(input)`, the `baseurl` with one leading slash and no
/// trailing one), so the slash is doubled, `https://x.github.io//blog` +
/// `/2024/…`; none where `url` ends otherwise.
fn jekyll_absolute_url_prefix(config: &Value) -> Option<String> {
    let url = get_str(config, "url")?;
    let absolute = url.starts_with("http://") || url.starts_with("https://");
    if !absolute || !url.ends_with('/') {
        return None;
    }
    let baseurl = get_str(config, "baseurl").unwrap_or_default();
    Some(format!(
        "{url}{}",
        crate::generators::jekyll_relative_url(&baseurl, "")
    ))
}

/// A feed template with each output of a variable that an `assign` makes
/// of the post (`{% assign post_absolute_url = post.url | absolute_url %}`,
/// Chirpy's) written as the expression it holds.
fn with_post_variables_spelt_out(template: &str) -> String {
    let Ok(assign) = regex::Regex::new(r"\{%-?\s*assign\s+(\w+)\s*=\s*(.*?)\s*-?%\}") else {
        return template.to_string();
    };
    let mut spelt = template.to_string();
    for found in assign.captures_iter(template) {
        let (name, expression) = (&found[1], &found[2]);
        if !expression.contains("post.") {
            continue;
        }
        let Ok(output) = regex::Regex::new(&format!(r"\{{\{{-?\s*{name}\s*-?\}}\}}")) else {
            continue;
        };
        spelt = output
            .replace_all(&spelt, regex::NoExpand(&format!("{{{{ {expression} }}}}")))
            .into_owned();
    }
    spelt
}

/// What an id expression puts before `post.url` by concatenating site
/// settings (`{{ site.url }}{{ site.baseurl }}{{ post.url }}`, `post.url |
/// prepend: site.baseurl | prepend: site.url`, through the template's
/// `assign`s), where that is not the address Jekyll's `absolute_url` would
/// join: a setting ending in a slash doubles it (`https://x.github.io/` +
/// `/2024/…`). A setting the config lacks renders empty, as Liquid's nil.
fn concatenated_address(id: &str, template: &str, config: &Value) -> Option<String> {
    use super::liquid_parts::{assignments, parts, Part};
    let joined = parts(id, &assignments(template));
    let (Part::Post(key), before) = joined.split_last()? else {
        return None;
    };
    if key != "url" || before.is_empty() {
        return None;
    }
    let mut prefix = String::new();
    for part in before {
        match part {
            Part::Text(text) => prefix.push_str(text),
            Part::Site(key) => match get(config, key) {
                Some(Value::String(text)) => prefix.push_str(text),
                None | Some(Value::Null) => {}
                Some(_) => return None,
            },
            Part::Post(_) => return None,
        }
    }
    (prefix.ends_with('/') && (prefix.starts_with("http://") || prefix.starts_with("https://")))
        .then_some(prefix)
}

/// How many posts a Jekyll feed template's loop over `site.posts` lists:
/// the loop that writes the entries (`<item>` or `<entry>` after it; a
/// template may loop over one post first for its `lastBuildDate`), its
/// `limit:` a number, a site setting (`limit: site.feed_items`) or a
/// variable assigned one, `{% assign n = site.feed_items | default: 10 %}`,
/// as Liquid reads them; none where it keeps every post, the expression
/// where gazette cannot read it.
fn liquid_entry_limit(template: &str, config: &Value) -> Result<Option<u64>, String> {
    let pattern = |re: &str| regex::Regex::new(re).map_err(|e| e.to_string());
    let loops = pattern(r"\{%-?\s*for\s+\w+\s+in\s+site\.posts\b([^%]*)%\}")?;
    let entries = loops
        .captures_iter(template)
        .find(|c| {
            let after = &template[c.get(0).map_or(0, |m| m.end())..];
            let body = after.split("{% endfor").next().unwrap_or(after);
            body.contains("<item") || body.contains("<entry")
        })
        .or_else(|| loops.captures(template));
    let limit = entries.and_then(|entries| {
        let limit = pattern(r"\blimit\s*:\s*([\w.]+)").ok()?;
        Some(limit.captures(&entries[1])?[1].to_string())
    });
    let Some(limit) = limit else {
        return Ok(None);
    };
    let site_setting = |name: &str| {
        let key = name.strip_prefix("site.")?;
        match get(config, key)? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let assign = pattern(&format!(
        r"\{{%-?\s*assign\s+{}\s*=\s*([\w.]+)\s*(?:\|\s*default\s*:\s*(\d+))?",
        regex::escape(&limit)
    ))?;
    let assigned = assign.captures(template);
    let number = limit
        .parse()
        .ok()
        .or_else(|| site_setting(&limit))
        .or_else(|| {
            let assigned = assigned.as_ref()?;
            assigned[1]
                .parse()
                .ok()
                .or_else(|| site_setting(&assigned[1]))
                .or_else(|| assigned.get(2).and_then(|d| d.as_str().parse().ok()))
        });
    number.map(Some).ok_or(limit)
}

/// What a site's own feed template says of the site in literal text, for
/// the values its config leaves unset (a Jekyll site may have no config at
/// all and its address written into `atom.xml`): the feed's title, its
/// address (the link that is not `rel="self"`, or the setting its entries'
/// links start with: Jekyll-Bootstrap's `{{ site.production_url }}{{
/// post.url }}`), its author.
fn feed_template_site(template: &str, config: &Value, imported: &mut Imported) {
    // Only the feed's own part, before the loop over its entries (which a
    // `{% capture %}` may enclose, as Chirpy's does).
    let head = regex::Regex::new(r"\{%-?\s*for\b")
        .ok()
        .and_then(|re| re.find(template))
        .map_or(template, |found| &template[..found.start()]);
    let literal = |re: &str| {
        regex::Regex::new(re)
            .ok()?
            .captures(head)
            .map(|c| c[1].trim().to_string())
            .filter(|v| !v.is_empty() && !v.contains("{{"))
    };
    if imported.title.is_none() {
        imported.title = literal(r"<title[^>]*>([^<]*)</title>");
    }
    if imported.base_url.is_none() {
        let link = regex::Regex::new(r#"<link\b([^>]*)>([^<]*)"#)
            .ok()
            .and_then(|re| {
                re.captures_iter(head).find_map(|c| {
                    let attributes = &c[1];
                    if attributes.contains("rel=\"self\"") || attributes.contains("rel='self'") {
                        return None;
                    }
                    let href = regex::Regex::new(r#"href=["']([^"']+)["']"#)
                        .ok()?
                        .captures(attributes)
                        .map(|h| h[1].to_string())
                        .unwrap_or_else(|| c[2].trim().to_string());
                    (href.starts_with("http://") || href.starts_with("https://")).then_some(href)
                })
            });
        let setting = regex::Regex::new(
            r"\{\{-?\s*site\.(\w+)\s*-?\}\}\s*\{\{-?\s*post\.(?:url|id)\s*-?\}\}",
        )
        .ok()
        .and_then(|re| re.captures(template))
        .and_then(|c| get_str(config, &c[1]))
        .filter(|v| v.starts_with("http://") || v.starts_with("https://"));
        imported.base_url = link.or(setting);
    }
    if imported.author.is_none() {
        // Literal, or a setting of the config (Chirpy's `site.social.name`).
        let setting =
            regex::Regex::new(r"<author>\s*<name>\s*\{\{-?\s*site\.([\w.]+)\s*-?\}\}\s*</name>")
                .ok()
                .and_then(|re| re.captures(head))
                .and_then(|c| {
                    let value = c[1]
                        .split('.')
                        .try_fold(config, |value, key| get(value, key))?;
                    value
                        .as_str()
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_string)
                });
        imported.author = literal(r"<author>\s*<name>([^<]*)</name>").or(setting);
        if imported.author.is_some() && imported.author_email.is_none() {
            imported.author_email =
                literal(r"<author>[\s\S]*?<email>([^<]*)</email>").filter(|e| e.contains('@'));
        }
    }
}

/// jekyll-feed's options beside `path` and `posts_limit` (its
/// `lib/jekyll-feed/generator.rb`, 0.17): `excerpt_only` leaves each
/// entry's content out, which `full_content = false` does too; a feed per
/// category of the posts is `[feeds] categories`, a feed per tag
/// `per_tag` (other `collections` are `jekyll_collection_feeds`').
fn jekyll_feed_options(feed: &Value, imported: &mut Imported) {
    if get(feed, "excerpt_only") == Some(&Value::Bool(true)) {
        imported.full_content = Some(false);
    }
    // The posts' categories may also be set under their collection
    // (`normalize_posts_meta`: `feed.collections.posts.categories`).
    let posts = get(feed, "collections").and_then(|c| get(c, "posts"));
    let mut categories = names(get(feed, "categories"));
    for name in names(posts.and_then(|p| get(p, "categories"))) {
        if !categories.contains(&name) {
            categories.push(name);
        }
    }
    imported.categories = with_feed_files(categories, "the posts", &mut imported.notes);
    jekyll_tag_feeds(get(feed, "tags"), imported);
}

/// The categories of `names` (of `whose` documents) that a feed file can
/// be named after: with a letter or digit, and not the same name in
/// another case (jekyll-feed writes `Birds.xml` and `birds.xml`; gazette's
/// files are case folded). The others are said in a note.
fn with_feed_files(names: Vec<String>, whose: &str, notes: &mut Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::new();
    for name in names {
        let problem = match () {
            _ if !name.chars().any(char::is_alphanumeric) => {
                "has no letter or digit to name a file"
            }
            _ if !seen.insert(name.to_lowercase()) => {
                "is listed again in another case, which would share its file"
            }
            _ => {
                kept.push(name);
                continue;
            }
        };
        notes.push(format!(
            "_config.yml: jekyll-feed also writes a feed of {whose} in the category {name:?}; gazette does not, as the name {problem}"
        ));
    }
    kept
}

/// jekyll-feed's feeds of the site's other collections (`feed.collections`,
/// `generator.rb`): `/feed/<name>.xml` or the collection's `path`, listing
/// `site[name]`, the documents of a collection `_config.yml` declares
/// (jekyllrb.com/docs/collections). Their URLs follow the collection's
/// `permalink`, else `/:collection/:path` with the site's style's ending
/// (`Collection#url_template`, `Utils.add_permalink_suffix`).
fn jekyll_collection_feeds(
    config: &Value,
    feed: &Value,
    destination: &str,
    imported: &mut Imported,
) {
    let declared = get(config, "collections");
    let style = get_str(config, "permalink").unwrap_or_else(|| "date".into());
    let ending = match style.as_str() {
        "pretty" => "/",
        "date" | "ordinal" | "none" => ":output_ext",
        custom if custom.ends_with('/') => "/",
        custom if custom.ends_with(":output_ext") => ":output_ext",
        _ => "",
    };
    let declared_names = names(declared);
    let listed = get(feed, "collections");
    for name in names(listed).into_iter().filter(|name| name != "posts") {
        let meta = listed.and_then(|l| get(l, &name));
        if !declared_names.contains(&name) {
            imported.notes.push(format!(
                "_config.yml: `feed.collections` lists `{name}`, which `collections:` does not declare, so Jekyll reads no documents for it and its feed is empty; gazette writes none"
            ));
            continue;
        }
        if let Some(problem) = crate::config::collection_problem(&name) {
            imported.notes.push(format!(
                "_config.yml: jekyll-feed also writes a feed of the `{name}` collection; gazette cannot, as a collection's name {problem}"
            ));
            continue;
        }
        // A feed of each, at `/feed/<collection>/<category>.xml` whatever
        // the collection's `path` (`feed_path`).
        let categories = names(meta.and_then(|m| get(m, "categories")));
        let whose = format!("the `{name}` collection");
        let categories = with_feed_files(categories, &whose, &mut imported.notes);
        let permalink = declared
            .and_then(|d| get(d, &name))
            .and_then(|c| get_str(c, "permalink"))
            .unwrap_or_else(|| format!("/:collection/:path{ending}"));
        let path = meta
            .and_then(|m| get_str(m, "path"))
            .unwrap_or_else(|| format!("feed/{name}.xml"));
        imported.collection_feeds.push(CollectionFeed {
            folder: format!("_{name}"),
            permalink,
            built: built(destination, &path),
            category_feeds: built(destination, &format!("feed/{name}/")),
            categories,
            name,
        });
    }
}

/// The names a jekyll-feed option lists: a list's strings, or a table's keys.
fn names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// jekyll-feed's `feed.tags` (`generate_feed_by_tag`): any value but
/// `false` writes `<path><tag>.xml` (`/feed/by_tag/` by default) for every
/// tag of the posts, or for the listed `only` ones, less `except`, and only
/// for names of letters, digits and `_`.
fn jekyll_tag_feeds(tags: Option<&Value>, imported: &mut Imported) {
    let Some(tags) = tags.filter(|t| !t.is_null() && **t != Value::Bool(false)) else {
        return;
    };
    let prefix = get_str(tags, "path").unwrap_or_else(|| "/feed/by_tag/".into());
    let except = names(get(tags, "except"));
    let Some(only) = get(tags, "only") else {
        imported.tag_feeds = Some(TagFeeds {
            only: Vec::new(),
            except,
            prefix,
            suffix: ".xml".into(),
        });
        imported.notes.push(
            "_config.yml: jekyll-feed writes a feed only for tags made of letters, digits and `_`; gazette writes one for every tag (`[feeds] per_tag`)".into(),
        );
        return;
    };
    let plain = |tag: &String| tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let (only, unnamed): (Vec<String>, Vec<String>) = names(Some(only))
        .into_iter()
        .filter(|tag| !except.contains(tag))
        .partition(plain);
    if !unnamed.is_empty() {
        imported.notes.push(format!(
            "_config.yml: jekyll-feed writes no feed for {} in `feed.tags.only` (a name of letters, digits and `_` only), so neither does gazette",
            unnamed.join(", ")
        ));
    }
    // An `only` that names nothing leaves jekyll-feed with no tag feeds.
    if !only.is_empty() {
        imported.tag_feeds = Some(TagFeeds {
            only,
            except: Vec::new(),
            prefix,
            suffix: ".xml".into(),
        });
    }
}

/// An Eleventy config's folder named `key`, else `default`: the config is
/// a program; only its literal `dir: { input: "..." }` values and folder
/// setters are read. With a note where `dir` spreads folders computed in
/// JavaScript and names no input folder of its own, and the literal
/// `pathPrefix`.
fn eleventy_folders(
    script: &str,
    config_path: &Path,
) -> (
    impl Fn(&str, &str) -> String,
    Option<String>,
    Option<String>,
) {
    let setup = crate::generators::js_literal::eleventy_setup(script);
    let note = setup
        .dir_spread
        .as_ref()
        .filter(|_| !setup.folders.contains_key("input"))
        .map(|spread| {
            format!(
                "{}: `dir` takes the folders `...{spread}` computes in JavaScript, which gazette does not run: it reads the site's pages from `.`; if Eleventy's input folder is another, set `content_dir` to it",
                config_path.display()
            )
        });
    let path_prefix = setup.path_prefix.clone();
    let folder = move |key: &str, default: &str| {
        setup
            .folders
            .get(key)
            .map_or(default, String::as_str)
            .to_string()
    };
    (folder, note, path_prefix)
}

/// The post extensions of a site whose config names its template formats
/// literally without HTML (`templateFormats: ["md", "njk"]`, or
/// `setTemplateFormats("md,njk")`): Eleventy then renders no `.html` file,
/// so none is a post (11ty.dev/docs/config, "Template Formats").
fn eleventy_post_extensions(script: &str) -> Option<Vec<String>> {
    let formats = regex::Regex::new(
        r#"(?:templateFormats\s*:\s*|setTemplateFormats\(\s*)(\[[^\]]*\]|"[^"]*"|'[^']*')"#,
    )
    .ok()?
    .captures(script)?;
    let names: Vec<String> = regex::Regex::new(r#"[\w.]+"#)
        .ok()?
        .find_iter(&formats[1])
        .map(|name| name.as_str().to_ascii_lowercase())
        .collect();
    let has = |format: &str| names.iter().any(|name| name == format);
    (has("md") && !has("html")).then(|| vec!["md".to_string()])
}

/// The module of the config's that adds the feed plugin, if one does
/// (`words`: each module's, in order).
fn feed_plugin_module<'m>(
    modules: &'m [(PathBuf, String)],
    words: &[Vec<String>],
) -> Option<&'m (PathBuf, String)> {
    modules.iter().zip(words).find_map(|(module, words)| {
        ["feedPlugin", "eleventy-plugin-rss"]
            .iter()
            .any(|name| mentions(words, name))
            .then_some(module)
    })
}

fn eleventy(dir: &Path) -> Result<Imported, Error> {
    let config_path = crate::generators::eleventy_config::config_file(dir)
        .ok_or_else(|| Error::config(dir.join("eleventy.config.js"), "no Eleventy config here"))?;
    let script = std::fs::read_to_string(&config_path).map_err(|e| Error::io(&config_path, e))?;
    let mut imported = Imported {
        sources: vec![config_path.clone()],
        extensions: eleventy_post_extensions(&script),
        ..Imported::default()
    };
    let (folder, spread_note, path_prefix) = eleventy_folders(&script, &config_path);
    imported.notes.extend(spread_note);
    let input = folder("input", ".");
    // The config and the site's own modules it imports: a plugin or a
    // collection added in one of them (a plugin list in `config/plugins.ts`
    // adding the feed plugin from `config/feed.ts`) is the config's.
    let modules = crate::generators::eleventy_config::modules(dir, &config_path, script.clone());
    // Each module tokenized once for all that is looked for in its code.
    let words: Vec<Vec<String>> = modules.iter().map(|(_, text)| code_words(text)).collect();
    let in_code = |needle: &str| words.iter().any(|words| mentions(words, needle));
    // The feed plugin's options, where the config passes them literally
    // (eleventy-base-blog, the plugin's docs): what the site's feed is.
    let (feed_module, feed_script) = feed_plugin_module(&modules, &words)
        .map_or((config_path.as_path(), script.as_str()), |(path, text)| {
            (path.as_path(), text.as_str())
        });
    if feed_module != config_path {
        imported.sources.push(feed_module.to_path_buf());
    }
    let folder_of_feed = feed_module.parent().unwrap_or(dir);
    let plugin_read = feed_plugin_options(feed_script, folder_of_feed, &mut imported.sources);
    let base_env = plugin_read
        .as_ref()
        .and_then(|options| env_of(options, "metadata.base"));
    let plugin = plugin_read
        .map(|options| Value::Object(options.values))
        .unwrap_or(Value::Null);
    let option = |pointer: &str| plugin.pointer(pointer).filter(|v| !v.is_null());
    let option_str = |pointer: &str| {
        option(pointer)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    // Where Eleventy writes the feed: `dir.output` (`_site`), at the
    // plugin's `outputPath` when literal, `/feed.xml` in its docs.
    let output = folder("output", "_site");
    let feed = option_str("/outputPath")
        .or_else(|| js_literal(&script, "outputPath"))
        .unwrap_or_else(|| "feed.xml".into());
    imported.old_feed = Some(built(&output, &feed));
    // gazette writes after Eleventy, into the folder Eleventy publishes.
    imported.output_dir = Some(built(&output, "feeds"));
    let data_dir = folder("data", "_data");
    imported.content_dir = Some(input.clone());
    let includes = folder("includes", "_includes");
    imported.templates_dir = Some(
        crate::paths::clean_path(&Path::new(&input).join(&includes).join("gazette"))
            .to_string_lossy()
            .into_owned(),
    );
    // eleventy-base-blog keeps the site's address in `_data/metadata`.
    let data = dir.join(crate::paths::clean_path(&Path::new(&input).join(&data_dir)));
    let found = ["metadata", "site"]
        .iter()
        .flat_map(|name| {
            let extensions = crate::content::cascade::GLOBAL_DATA_EXTENSIONS;
            extensions.map(|extension| data.join(format!("{name}.{extension}")))
        })
        .find(|path| path.is_file());
    if let Some(path) = found {
        let read = crate::content::cascade::data_file_literal(&path);
        imported.base_url_env = read.as_ref().and_then(|read| env_of(read, "url"));
        let value = read.map_or(Value::Null, |read| Value::Object(read.values));
        imported.sources.push(path);
        // `name` where there is no `title`, as `site.json` has it
        // (`{ "name": "…", "url": "…" }`) and as Jekyll's configs do.
        imported.title = get_str(&value, "title").or_else(|| get_str(&value, "name"));
        imported.base_url = get_str(&value, "url");
        imported.language = get_str(&value, "language");
        imported.description = get_str(&value, "description");
        imported.author = author_name(get(&value, "author"));
        (imported.author_email, imported.author_url) = author_contact(get(&value, "author"));
    }
    // The feed's own title, address and author, as the plugin writes them,
    // outrank the site's data.
    if let Some(title) = option_str("/metadata/title") {
        imported.title = Some(title);
    }
    if let Some(subtitle) = option_str("/metadata/subtitle") {
        imported.description = Some(subtitle);
    }
    if let Some(base) = option_str("/metadata/base") {
        imported.base_url = Some(base);
        imported.base_url_env = base_env;
    }
    if let Some(language) = option_str("/metadata/language") {
        imported.language = Some(language);
    }
    if let Some(name) = option_str("/metadata/author/name") {
        imported.author = Some(name);
        (imported.author_email, imported.author_url) = author_contact(option("/metadata/author"));
    }
    let template = feed_template(dir, &dir.join(&input));
    if let Some(template) = &template {
        eleventy_template_metadata(template, &data, &mut imported);
    }
    eleventy_base_origin(template.as_ref(), &mut imported);
    if let Some(prefix) = &path_prefix {
        eleventy_path_prefix(prefix, template.as_ref(), &mut imported);
    }
    imported.exclude = vec!["_includes/**".into(), "_data/**".into(), "README.md".into()];
    // The feed plugin's virtual template takes `collection: { limit: N }`
    // ("0 means no limit", the default); a feed template of the site's own
    // keeps the newest N where its loop says so literally.
    let limit = option("/collection/limit")
        .and_then(Value::as_u64)
        .or_else(|| {
            // Only the feed plugin's `collection: { … limit: N }`: other
            // plugins take a `limit` too (kpwags.com's post graph, `limit: 5`).
            regex::Regex::new(r"collection\s*:\s*\{[^}]*\blimit\s*:\s*(\d+)")
                .ok()
                .and_then(|re| {
                    re.captures(feed_script)
                        .and_then(|c| c[1].parse::<u64>().ok())
                })
        })
        .or_else(|| template.as_ref().and_then(FeedTemplate::limit));
    // The plugin writes a feed only through `feedPlugin`, its virtual
    // template (2.0); its default export adds filters for a template of
    // the site's own (connectshark/11ty-blog adds them and has none).
    let has_feed = template.is_some() || in_code("feedPlugin");
    let no_feed_why = if in_code("eleventy-plugin-rss") {
        "the RSS plugin's filters alone, without `feedPlugin`, write none, and no feed template was found"
    } else {
        "no feed plugin, no feed template"
    };
    let lists_every_post = template
        .as_ref()
        .is_some_and(FeedTemplate::lists_every_post);
    // Said once the collection is known: the config may cut it itself.
    let limit_unknown = limit.is_none() && has_feed && !lists_every_post;
    imported.limit = Some(limit.unwrap_or(0));
    if let Some(size) = template.as_ref().and_then(FeedTemplate::first_page_size) {
        if limit == Some(size) {
            imported.notes.push(format!(
                "the site's feed is paged, {size} entries to a page (its template's `pagination`): gazette's feed is its first page, the newest {size} ([feeds] limit = {size})"
            ));
        }
    }
    // The collection the feed lists: the plugin's `collection: { name }`,
    // else `collections.NAME` in a feed template of the site's own.
    let named = option_str("/collection/name").or_else(|| {
        regex::Regex::new(r#"collection\s*:\s*\{[^}]*\bname\s*:\s*["'`]([\w-]+)["'`]"#)
            .ok()
            .and_then(|re| re.captures(feed_script).map(|c| c[1].to_string()))
    });
    if let (None, Some(template)) = (option_str("/outputPath"), &template) {
        // The site's own feed template is written where its `permalink`
        // says, literally or as one value of its data
        // (`{{ metadata.feed.path }}`).
        let from_data = || {
            // Eleventy's `url` filter adds only a `pathPrefix`.
            let re =
                regex::Regex::new(r"^\s*\{\{-?\s*([A-Za-z_][\w.]*)\s*(?:\|\s*url\s*)?-?\}\}\s*$")
                    .ok()?;
            let written = get(&template.front, "permalink").and_then(Value::as_str)?;
            eleventy_data(template, &data, &re.captures(written)?[1])
        };
        let first_page = || template.first_page_address();
        if let Some(permalink) = template
            .permalink
            .clone()
            .or_else(from_data)
            .or_else(first_page)
        {
            imported.old_feed = Some(built(&output, &permalink));
        }
    }
    imported.collection = named.or_else(|| template.as_ref().and_then(|t| t.collection.clone()));
    if let (Some(template), Some(first)) = (&template, &imported.collection) {
        imported.also_listed = template.other_collections_looped(first);
    }
    if has_feed && imported.collection.as_deref() == Some("all") {
        let input_dir = dir.join(&input);
        // Eleventy's `dir.output` is below the project, the others below the input.
        let skipped = [
            input_dir.join(crate::paths::clean_path(Path::new(&includes))),
            input_dir.join(crate::paths::clean_path(Path::new(&data_dir))),
            dir.join(crate::paths::clean_path(Path::new(&output))),
        ];
        let pages = eleventy_pages_not_markdown(&input_dir, &skipped);
        if !pages.is_empty() {
            let shown: Vec<String> = pages
                .iter()
                .map(|path| path.strip_prefix(dir).unwrap_or(path).display().to_string())
                .collect();
            imported.notes.push(format!(
                "the site's feed lists `collections.all`, every page Eleventy builds: {} of them not Markdown ({}), which gazette does not render; its feeds carry the Markdown pages, and `check --against` shows these as missing",
                shown.len(),
                shown.join(", ")
            ));
        }
    }
    if !has_feed {
        // Nothing to compare with: gazette's feed is the site's first. Its
        // posts are what the site's own listing pages iterate, as a reader
        // of the site knows them.
        imported.old_feed = None;
        // A collection the config makes of something other than pages
        // (a list of tag names, a table of authors) lists no posts.
        let module = crate::generators::js_literal::Module::parse(&script);
        let of_pages = |name: &str| {
            module.as_ref().is_none_or(|module| {
                !module.makes_collection(name)
                    || config_collection_source(dir, &modules, name).is_some()
            })
        };
        let listed = listing_collection(
            &[
                dir.join(&input),
                dir.join(crate::paths::clean_path(&Path::new(&input).join(&includes))),
            ],
            of_pages,
            // Eleventy's i18n plugin names it, else the site's data may.
            js_literal(&script, "defaultLanguage")
                .or_else(|| imported.language.clone())
                .as_deref()
                .and_then(|language| language.split(['-', '_']).next()),
        );
        match listed {
            Some((name, file)) => {
                imported.notes.push(format!(
                    "the site has no feed of its own ({no_feed_why}): gazette's lists every post ([feeds] limit = 0), its posts the `{name}` collection that {} lists (set `collection` to choose another)",
                    file.strip_prefix(dir).unwrap_or(&file).display()
                ));
                imported.collection = Some(name);
            }
            None => imported.notes.push(format!(
                "the site has no feed of its own ({no_feed_why}): gazette's lists every post ([feeds] limit = 0), and `gazette check --against` has nothing to compare"
            )),
        }
    }
    let listed = imported.collection.clone();
    collection_made_by_config(&mut imported, dir, &modules, &input);
    if let (Some(name), false) = (listed, imported.also_listed.is_empty()) {
        imported.notes.push(format!(
            "the site's feed template lists the `{name}` collection and then {} in loops of their own, which gazette cannot read as files: its feed holds `{name}` alone (set `collection_files` to the files of all of them to list them too)",
            imported.also_listed.iter().map(|other| format!("`{other}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if limit_unknown && imported.limit == Some(0) {
        imported.notes.push(format!(
            "{}: no literal feed `limit`, so the feed lists every post as the feed plugin does by default ([feeds] limit = 0); set a number if the site's feed template lists fewer",
            config_path.display()
        ));
    }
    // Eleventy knows no drafts: `draft: true` keeps a page out only where
    // the site's code says so (eleventy-base-blog's `drafts` preprocessor,
    // a plugin reading `data.draft`), so elsewhere it is published.
    let drafts_dropped = in_code("draft")
        || crate::content::cascade::site_files(dir, 4)
            .filter(|e| {
                let name = e.file_name().to_string_lossy();
                [".js", ".mjs", ".cjs", ".ts", ".mts"]
                    .iter()
                    .any(|x| name.ends_with(x))
            })
            .any(|e| {
                std::fs::read_to_string(e.path()).is_ok_and(|text| text.contains("data.draft"))
            });
    if !drafts_dropped {
        imported.draft_keys = Some(Vec::new());
    }
    // A slug filter of the site's own is followed where it calls an npm
    // slug package with literal options; otherwise it is code gazette does
    // not run.
    for why in crate::generators::eleventy_filters::SiteFilters::read(dir).unfollowed {
        imported.notes.push(format!(
            "{why}: permalinks that use it may differ (`gazette check --against` shows where)"
        ));
    }
    // A JavaScript data file's literal values are read (`content::cascade`);
    // what it computes is not run: say where, so that what it sets (a
    // permalink, tags) can be set where gazette reads it.
    let data_files = crate::content::cascade::site_files(&dir.join(&input), 6)
        .filter(|e| crate::content::cascade::is_javascript_data(&e.file_name().to_string_lossy()));
    for entry in data_files {
        let shown = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .display();
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if let Some(key) = held_back_by(&text) {
            imported.notes.push(format!(
                "{shown} holds a page back while its `{key}` date is to come: gazette does too (`[fields] scheduled = [\"{key}\"]`)"
            ));
            if !imported.scheduled_keys.contains(&key) {
                imported.scheduled_keys.push(key);
            }
        }
        match crate::content::cascade::data_file_literal(entry.path()) {
            None => imported.notes.push(format!(
                "{shown} computes its data in JavaScript, which gazette does not run: if it sets `permalink` or `tags`, put literal values in a .11tydata.json beside it or set `permalink`/`collection` in gazette.toml"
            )),
            Some(read) if !read.computed.is_empty() => imported.notes.push(format!(
                "{shown} computes {} in JavaScript, which gazette does not run (its literal values are read): if that sets `permalink` or `tags`, give them literal values or set `permalink`/`collection` in gazette.toml",
                read.computed.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            )),
            Some(_) => {}
        }
    }
    // `dotenv` fills the environment from `.env` (or a literal `path`)
    // before the data reads it, leaving a variable already set as it is.
    if imported.base_url_env.is_some() && in_code("dotenv") {
        let path = regex::Regex::new(
            r#"dotenv[\w.]*\.config\(\s*\{[^}]*\bpath\s*:\s*["'`]([^"'`$]+)["'`]"#,
        )
        .ok()
        .and_then(|re| {
            modules
                .iter()
                .find_map(|(_, text)| re.captures(text).map(|c| c[1].to_string()))
        });
        imported.env_file = Some(path.unwrap_or_else(|| ".env".into()));
    }
    let collection_found = imported.collection.is_some()
        || !imported.collection_files.is_empty()
        || !imported.collection_tags.is_empty();
    if has_feed && !collection_found {
        imported.notes.push(
            "no feed collection found (the feed plugin's `collection: { name }` or `collections.NAME` in a feed template): every dated page is a post; set `collection = \"posts\"` to list one collection".into(),
        );
    }
    Ok(imported)
}

/// A feed template of the Eleventy site's own (`feed.njk`,
/// `feed/feed.njk`, `feed.liquid` …, as eleventy-base-blog wrote it before
/// the plugin's virtual template).
struct FeedTemplate {
    /// The collection it lists: `collections.NAME`.
    collection: Option<String>,
    /// Where Eleventy writes it: its literal `permalink`.
    permalink: Option<String>,
    /// Its text and its front matter, whose data it sees first.
    text: String,
    front: Value,
    /// The project's `package.json`, Eleventy's global data `pkg`.
    package: Value,
}

impl FeedTemplate {
    /// The data path (`metadata.title`) the template writes into the feed
    /// at `pattern` (its one group), outside the entries' loop.
    fn writes(&self, pattern: &str) -> Option<String> {
        self.writes_groups(pattern)?.into_iter().next()
    }

    /// Each group of `pattern` where the template writes it outside the
    /// entries' loop.
    fn writes_groups(&self, pattern: &str) -> Option<Vec<String>> {
        let loop_start = regex::Regex::new(r"\{%-?\s*for\s").ok()?;
        let head = match loop_start.find(&self.text) {
            Some(found) => &self.text[..found.start()],
            None => &self.text,
        };
        let re = regex::Regex::new(pattern).ok()?;
        let found = re.captures(head)?;
        Some(
            found
                .iter()
                .skip(1)
                .map(|group| group.map_or(String::new(), |g| g.as_str().to_string()))
                .collect(),
        )
    }

    /// How many entries its loop keeps of the newest (`collections.posts |
    /// reverse | limit(10)`, `| head(10)`, `.slice(0, 10)`, Liquid's
    /// `limit: 10`), when literal, the loop's list written in it or set
    /// before it (`{% set all = collections.posts | reverse %}` … `{% for
    /// post in all.slice(0, 25) %}`, andreabergia.com's).
    ///
    /// Or the oldest-first collection's last N, reversed: `collections.posts
    /// | head(-10) | reverse`, as eleventy-base-blog's `head` filter takes a
    /// negative count (`array.slice(n)`), also written `head(-1 * 10)`.
    fn limit(&self) -> Option<u64> {
        let kept = regex::Regex::new(concat!(
            r"^\(?\s*collections\.[\w-]+[^%]*?",
            r"(?:\|\s*reverse\s*(?:\|\s*(?:limit|head|first)\s*\(\s*(\d+)\s*\)|\)?\s*\.slice\(\s*0\s*,\s*(\d+)\s*\))",
            r"|\breversed\s+limit\s*:\s*(\d+)",
            r"|\|\s*head\s*\(\s*-\s*(?:1\s*\*\s*)?(\d+)\s*\)\s*\|\s*reverse\b)",
        ))
        .ok()?;
        self.collection_loops()
            .iter()
            .find_map(|listed| {
                let kept = kept.captures(listed)?;
                let number = (1..=4).find_map(|group| kept.get(group))?;
                number.as_str().parse().ok()
            })
            .or_else(|| self.first_page_size())
    }

    /// A feed paged by Eleventy's pagination over a collection, newest
    /// first (`pagination: { data: "collections.posts", size: 10,
    /// reverse: true }`, a paged feed as RFC 5005 describes): its first
    /// page, the feed readers subscribe to, holds `size` entries.
    fn first_page_size(&self) -> Option<u64> {
        let pagination = get(&self.front, "pagination")?;
        let data = get_str(pagination, "data")?;
        let over_collection = data.starts_with("collections.");
        let newest_first = get(pagination, "reverse") == Some(&Value::Bool(true));
        (over_collection && newest_first)
            .then(|| get(pagination, "size")?.as_u64())
            .flatten()
    }

    /// The address of a paged feed's first page where its permalink is
    /// computed (`pageNumber === 0 ? "/rss.xml" : …`): the one literal
    /// feed address its front matter names.
    fn first_page_address(&self) -> Option<String> {
        self.first_page_size()?;
        let split = crate::content::frontmatter::split(&self.text).ok()?;
        let re = regex::Regex::new(r#"["'](/[^"'`$]+\.(?:xml|json|atom|rss))["']"#).ok()?;
        let found: Vec<String> = re
            .captures_iter(split.front)
            .map(|c| c[1].to_string())
            .collect();
        match found.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    /// Whether a loop of the template lists a whole collection, in either
    /// order (`for post in collections.posts`, `… | reverse`): every post,
    /// with no limit to write.
    fn lists_every_post(&self) -> bool {
        let Ok(whole) = regex::Regex::new(
            r"^\(?\s*collections\.[\w-]+\s*(?:\|\s*reverse\s*|\breversed\s*)?\)?$",
        ) else {
            return false;
        };
        self.collection_loops()
            .iter()
            .any(|listed| whole.is_match(listed))
    }

    /// The collections other than `first` that a loop of the template goes
    /// through (m1rp's feed lists `collections.posts`, then
    /// `collections.til`).
    fn other_collections_looped(&self, first: &str) -> Vec<String> {
        let mut others: Vec<String> = self
            .collection_loops()
            .iter()
            .filter_map(|listed| {
                let name = listed
                    .trim_start_matches(['(', ' '])
                    .strip_prefix("collections.")?;
                let end = name
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(name.len());
                Some(name[..end].to_string())
            })
            .filter(|name| name != first && !name.is_empty())
            .collect();
        let mut seen = std::collections::HashSet::new();
        others.retain(|name| seen.insert(name.clone()));
        others
    }

    /// What each `for` loop of the template goes through (`loops_of`).
    fn collection_loops(&self) -> Vec<String> {
        loops_of(&self.text)
    }
}

/// What each `for` loop of the template goes through, as written or as
/// the variable it names was set before it (`{% set all =
/// collections.posts | reverse %}` … `{% for post in all.slice(0, 25)
/// %}` is `collections.posts | reverse.slice(0, 25)`).
fn loops_of(text: &str) -> Vec<String> {
    let (Ok(loops), Ok(sets), Ok(variable)) = (
        regex::Regex::new(r"\{%-?\s*for\s+\w+\s+in\s+([^%]*?)-?%\}"),
        regex::Regex::new(r"\{%-?\s*set\s+(\w+)\s*=\s*([^%]*?)-?%\}"),
        regex::Regex::new(r"^(\w+)(.*)$"),
    ) else {
        return Vec::new();
    };
    loops
        .captures_iter(text)
        .map(|found| {
            let listed = found[1].trim().to_string();
            let Some(named) = variable.captures(&listed) else {
                return listed;
            };
            let before = &text[..found.get(0).map_or(0, |m| m.start())];
            match sets
                .captures_iter(before)
                .filter(|set| set[1] == named[1])
                .last()
            {
                Some(set) => format!("{}{}", set[2].trim(), &named[2]),
                None => listed,
            }
        })
        .collect()
}

/// The value at a dotted `path` (`metadata.title`) of the data a feed
/// template of the site's own sees: its front matter, else the global data
/// file the first key names (`_data/metadata.json`, or the literal values
/// of `metadata.js`, exported as an object or one by one).
fn eleventy_data(template: &FeedTemplate, data_dir: &Path, path: &str) -> Option<String> {
    eleventy_data_and_env(template, data_dir, path).map(|(value, _)| value)
}

/// What `eleventy_data` finds, and the environment variable the data file
/// takes it from when one is set (`process.env.URL || "…"`).
fn eleventy_data_and_env(
    template: &FeedTemplate,
    data_dir: &Path,
    path: &str,
) -> Option<(String, Option<String>)> {
    match eleventy_data_value(template, data_dir, path)? {
        (Value::String(text), variable) if !text.trim().is_empty() => {
            Some((text.trim().to_string(), variable))
        }
        _ => None,
    }
}

/// The value at `path` of the data the template sees, whatever its kind,
/// with the environment variable it is taken from.
fn eleventy_data_value(
    template: &FeedTemplate,
    data_dir: &Path,
    path: &str,
) -> Option<(Value, Option<String>)> {
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    let from_file = || {
        crate::content::cascade::GLOBAL_DATA_EXTENSIONS
            .iter()
            .find_map(|extension| {
                let file = data_dir.join(format!("{first}.{extension}"));
                crate::content::cascade::data_file_literal(&file)
            })
    };
    let (root, variable) = match (get(&template.front, first), from_file()) {
        (Some(value), _) => (value.clone(), None),
        (None, Some(read)) => {
            let variable = env_of(&read, rest);
            (Value::Object(read.values), variable)
        }
        // Eleventy's own global data: the project's `package.json`.
        (None, None) if first == "pkg" => (template.package.clone(), None),
        (None, None) => return None,
    };
    let value = rest
        .split('.')
        .filter(|k| !k.is_empty())
        .try_fold(&root, |value, key| get(value, key))?;
    Some((value.clone(), variable))
}

/// The environment variable a JavaScript data file reads `key` from.
fn env_of(read: &crate::generators::js_literal::Literal, key: &str) -> Option<String> {
    read.from_env
        .iter()
        .find(|(at, _)| at == key)
        .map(|(_, variable)| variable.clone())
}

/// What a feed template of the site's own writes as the feed's title,
/// subtitle, address, language and author, read from the data it sees:
/// those outrank the site's data, as they are what readers got.
fn eleventy_template_metadata(template: &FeedTemplate, data_dir: &Path, imported: &mut Imported) {
    let value = |pattern: &str| {
        let path = template.writes(pattern)?;
        eleventy_data(template, data_dir, &path)
    };
    let expression = r"\{\{-?\s*([A-Za-z_][\w.]*)\s*(?:\|[^}]*)?-?\}\}";
    // A value with literal text around it (pack11ty's `News from {{
    // pkg.title }}`).
    let text_around = |tag: &str| {
        let pattern = format!(r"<{tag}[^>]*>([^<{{}}]*?){expression}([^<{{}}]*)</{tag}>");
        let [before, path, after] = &template.writes_groups(&pattern)?[..] else {
            return None;
        };
        let value = eleventy_data(template, data_dir, path)?;
        Some(format!("{before}{value}{after}").trim().to_string())
    };
    // Or all literal (top-frog.com's `<title>Shawn Parker: Blog</title>`).
    let literal_title = || {
        template
            .writes(r"<title[^>]*>\s*([^<{}]*?[^<{}\s])\s*</title>")
            .map(|title| html_escape::decode_html_entities(&title).into_owned())
    };
    if let Some(title) = text_around("title").or_else(literal_title) {
        imported.title = Some(title);
    }
    if let Some(subtitle) = text_around("subtitle") {
        imported.description = Some(subtitle);
    }
    if let Some(language) = value(&format!(r#"xml:lang="\s*{expression}"#)) {
        imported.language = Some(language);
    }
    let author = value(&format!(r"<author>\s*<name>\s*{expression}\s*</name>"))
        .or_else(|| eleventy_author_unless_false(template, data_dir));
    if let Some(author) = author {
        imported.author = Some(author);
    }
    // The address the entries' links are made absolute against.
    let base = eleventy_data_at(
        template,
        data_dir,
        r"absoluteUrl\(\s*([A-Za-z_][\w.]*)\s*\)",
    )
    .or_else(|| {
        // The address alone, or followed by the feed's own path
        // (eleventy-libdoc's `{{ libdocConfig.productionUrl }}{{ page.url }}`).
        let path = template.writes(&format!(
            r"<id>\s*{expression}\s*(?:\{{\{{-?\s*page\.url\s*-?\}}\}}\s*)?</id>"
        ))?;
        eleventy_data_and_env(template, data_dir, &path)
    });
    if let Some((base, variable)) = base.filter(|(b, _)| b.starts_with("http")) {
        imported.base_url = Some(base);
        imported.base_url_env = variable;
    }
    eleventy_entry_title_keys(&template.text, imported);
}

/// The feed's author where the template writes a default for a value set
/// to false, eleventy-libdoc's `{%- if libdocConfig.blogAuthor == false
/// -%}11ty LibDoc{%- else -%}{{ libdocConfig.blogAuthor }}{%- endif -%}`:
/// the value where it is a name, the default where it is `false` (a value
/// left unset is neither, and writes nothing).
fn eleventy_author_unless_false(template: &FeedTemplate, data_dir: &Path) -> Option<String> {
    let pattern = regex::Regex::new(
        r"(?s)<author>\s*<name>\s*\{%-?\s*if\s+([A-Za-z_][\w.]*)\s*==\s*false\s*-?%\}\s*([^{<]*?)\s*\{%-?\s*else\s*-?%\}\s*\{\{-?\s*([A-Za-z_][\w.]*)\s*-?\}\}\s*\{%-?\s*endif\s*-?%\}",
    )
    .ok()?;
    let found = pattern.captures(&template.text)?;
    if found[1] != found[3] {
        return None;
    }
    match eleventy_data_value(template, data_dir, &found[1])?.0 {
        Value::String(name) if !name.trim().is_empty() => Some(name.trim().to_string()),
        Value::Bool(false) => Some(found[2].trim().to_string()).filter(|d| !d.is_empty()),
        _ => None,
    }
}

/// An entry's title from the first of several keys the post sets,
/// `<title>{{ post.data.h1Title or post.data.title }}</title>` (Eleventy
/// Blog Starter Theme's): `[fields] title` lists them in that order.
fn eleventy_entry_title_keys(text: &str, imported: &mut Imported) {
    let Ok(chain) = regex::Regex::new(
        r"<title[^>]*>\s*\{\{-?\s*(\w+\.data\.\w+(?:\s+or\s+\w+\.data\.\w+)+)\s*-?\}\}\s*</title>",
    ) else {
        return;
    };
    let Some(found) = chain.captures(text) else {
        return;
    };
    let keys: Vec<String> = found[1]
        .split(" or ")
        .filter_map(|part| part.trim().rsplit('.').next())
        .map(str::to_string)
        .collect();
    imported.notes.push(format!(
        "the feed template titles an entry by the first of {} the post sets: so does gazette ([fields] title = [{}])",
        keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
        toml_list(&keys)
    ));
    imported.title_keys = Some(keys);
}

/// `eleventy_data` of the data path the whole template writes at `pattern`.
fn eleventy_data_at(
    template: &FeedTemplate,
    data_dir: &Path,
    pattern: &str,
) -> Option<(String, Option<String>)> {
    let re = regex::Regex::new(pattern).ok()?;
    let path = re.captures(&template.text)?[1].to_string();
    eleventy_data_and_env(template, data_dir, &path)
}

fn feed_template(project: &Path, input: &Path) -> Option<FeedTemplate> {
    let re = regex::Regex::new(r#"collections(?:\.([\w-]+)|\[\s*["']([\w-]+)["']\s*\])"#).ok()?;
    let mut candidates: Vec<PathBuf> = crate::content::cascade::site_files(input, 3)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            // An HTML template is rendered too (with Liquid, or the
            // config's `htmlTemplateEngine`): equk.co.uk's `atom/atom.html`.
            let template = name.ends_with(".njk")
                || name.ends_with(".liquid")
                || name.ends_with(".11ty.js")
                || name.ends_with(".html");
            let named =
                name.starts_with("feed") || name.starts_with("atom") || name.starts_with("rss");
            // Or one in a folder of feeds that writes one (pack11ty's
            // `pages/feeds/news.njk`, kpwags.com's `rss/blogposts_rss.njk`).
            let in_feeds_folder = e
                .path()
                .parent()
                .and_then(Path::file_name)
                .and_then(|folder| folder.to_str())
                .is_some_and(|folder| FEED_WORDS.contains(&folder) || folder == "feeds");
            let writes_feed = || {
                std::fs::read_to_string(e.path())
                    .is_ok_and(|text| text.contains("<feed") || text.contains("<rss"))
            };
            // A name alone tells a feed template, not an HTML page: that
            // one, or one only kept among feeds, must write a feed.
            let html = name.ends_with(".html");
            let by_name = named && !html;
            template && (by_name || ((named || in_feeds_folder) && writes_feed()))
        })
        .map(walkdir::DirEntry::into_path)
        .collect();
    // The same site's feed every time: the Atom or RSS template before a
    // JSON one, the site's own feed (`feed.njk`, `feed.xml.njk`) before one
    // of a part of it (maxboeck/mxb's `feed-notes.njk`), the shallowest
    // first.
    // A template named for a part of the site can still write the site's
    // own feed (kpwags.com's `everything_rss.njk` writes `/rss/feed.xml`):
    // what it writes decides first.
    let writes_main = |path: &Path| {
        crate::content::frontmatter::of_file(path)
            .and_then(|front| front.get("permalink")?.as_str().map(str::to_string))
            .is_some_and(|permalink| is_main_feed_name(&permalink))
    };
    candidates.sort_by_cached_key(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let depth = p.strip_prefix(input).map_or(0, |p| p.components().count());
        (
            p.to_string_lossy().contains("json"),
            !writes_main(p),
            !is_main_feed_name(&name),
            depth,
            p.clone(),
        )
    });
    candidates.into_iter().find_map(|path| {
        let text = std::fs::read_to_string(&path).ok()?;
        let named = |text: &str| {
            re.captures(text)
                .and_then(|c| c.get(1).or_else(|| c.get(2)))
                .map(|m| m.as_str().to_string())
        };
        // The collection its entries' loop goes through, not one it dates
        // the feed by first (`{{ collections.posts | rssLastUpdatedDate }}`
        // before `{% for post in collections.feed | reverse %}`,
        // maxwellantonucci.com's).
        let looped = loops_of(&text).iter().find_map(|listed| {
            named(listed.trim_start_matches(['(', ' '])).filter(|_| {
                listed
                    .trim_start_matches(['(', ' '])
                    .starts_with("collections")
            })
        });
        let collection = looped.or_else(|| named(&text))?;
        let front = crate::content::frontmatter::of_file(&path).unwrap_or_default();
        let permalink = front
            .get("permalink")
            .and_then(Value::as_str)
            .map(str::to_string)
            .filter(|p| !p.contains("{{") && !p.contains("{%"));
        let package = std::fs::read_to_string(project.join("package.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or(Value::Null);
        Some(FeedTemplate {
            collection: Some(collection),
            permalink,
            text,
            front: Value::Object(front),
            package,
        })
    })
}

/// The words a feed's file or folder is named with.
const FEED_WORDS: [&str; 3] = ["feed", "atom", "rss"];

/// Whether a path's file is named as a site's own feed is (`feed.njk`,
/// `feed.xml.njk`, `/rss/atom.xml`), not one of a part of it (maxboeck's
/// `feed-notes.njk`, `blogposts_atom.xml`).
fn is_main_feed_name(path: &str) -> bool {
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
    FEED_WORDS.contains(&stem.as_str())
}

/// The key of a page's data that a JavaScript data file compares with
/// the build's time to hold the page back (eleventy-high-performance-blog:
/// `data.scheduled > todaysDate`, `todaysDate = new Date()`), where it
/// computes whether the page is built or collected from it.
fn held_back_by(text: &str) -> Option<String> {
    let decides = ["permalink", "eleventyExcludeFromCollections"]
        .iter()
        .any(|key| text.contains(key));
    // JavaScript names take `$`, which `\b` does not count as a letter.
    let now = regex::Regex::new(
        r"(?:^|[^\w$.])([A-Za-z_$][\w$]*)\s*=\s*(?:new\s+Date\(\s*\)|Date\.now\(\s*\))",
    )
    .ok()?;
    let clocks: Vec<String> = now
        .captures_iter(text)
        .map(|c| regex::escape(&c[1]))
        .collect();
    if !decides || clocks.is_empty() {
        return None;
    }
    let names = clocks.join("|");
    let later = regex::Regex::new(&format!(
        r"\bdata\.([A-Za-z_$][\w$]*)\s*>=?\s*(?:{names})(?:[^\w$]|$)|(?:^|[^\w$.])(?:{names})\s*<=?\s*data\.([A-Za-z_$][\w$]*)"
    ))
    .ok()?;
    let found = later.captures(text)?;
    found
        .get(1)
        .or_else(|| found.get(2))
        .map(|m| m.as_str().to_string())
}

/// The endings of Eleventy's template languages other than Markdown.
const ELEVENTY_TEMPLATES: [&str; 10] = [
    ".njk",
    ".liquid",
    ".html",
    ".11ty.js",
    ".webc",
    ".hbs",
    ".ejs",
    ".pug",
    ".mustache",
    ".haml",
];

/// The pages below `input` that Eleventy's `collections.all` holds and
/// gazette does not render: templates in languages other than Markdown,
/// outside the includes, data and output folders, not excluded from
/// collections in their front matter.
fn eleventy_pages_not_markdown(input: &Path, skipped: &[PathBuf]) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = crate::content::cascade::site_files(input, 8)
        .map(walkdir::DirEntry::into_path)
        .filter(|path| !skipped.iter().any(|folder| path.starts_with(folder)))
        .filter(|path| {
            let name = path.to_string_lossy();
            ELEVENTY_TEMPLATES.iter().any(|ext| name.ends_with(ext))
        })
        .filter(|path| {
            let front = std::fs::read_to_string(path)
                .ok()
                .and_then(|text| crate::content::frontmatter::of_text(&text))
                .unwrap_or_default();
            front.get("eleventyExcludeFromCollections") != Some(&Value::Bool(true))
                && front.get("permalink") != Some(&Value::Bool(false))
        })
        .collect();
    pages.sort();
    pages
}

/// Eleventy's `pathPrefix` (a site served from a folder of its host): the
/// feed plugin's template puts it before every page's address
/// (`htmlBaseUrl`), as does a template of the site's own that passes
/// `post.url` through the `url` or `htmlBaseUrl` filter; gazette's address
/// is then the site's with that folder.
/// A page's URL in Eleventy is from the host (`/blog/posts/x/`), and the
/// feed plugin's `htmlBaseUrl` and `absoluteUrl` resolve it against the
/// feed's base as `new URL(url, base)` does, which drops the base's own
/// path (`https://x.github.io/blog/` gives `https://x.github.io/blog/posts/x/`,
/// not `…/blog/blog/…`): gazette's base_url is the base's origin, where a
/// template of the site's own does not concatenate the two instead.
fn eleventy_base_origin(template: Option<&FeedTemplate>, imported: &mut Imported) {
    let resolves = template.is_none_or(|template| {
        template.text.contains("absoluteUrl") || template.text.contains("htmlBaseUrl")
    });
    let Some(base) = imported.base_url.as_deref().filter(|_| resolves) else {
        return;
    };
    let Ok(parsed) = url::Url::parse(base) else {
        return;
    };
    if parsed.path() == "/" || parsed.cannot_be_a_base() {
        return;
    }
    let origin = format!("{}/", parsed.origin().ascii_serialization());
    imported.notes.push(format!(
        "the feed's base {base:?} has a path, which Eleventy's `htmlBaseUrl`/`absoluteUrl` drop before a page's URL (from the host, `/blog/posts/x/`): gazette's base_url is {origin:?}, as the feed's links are"
    ));
    imported.base_url = Some(origin);
}

fn eleventy_path_prefix(prefix: &str, template: Option<&FeedTemplate>, imported: &mut Imported) {
    let folder = prefix.trim_matches('/');
    if folder.is_empty() {
        return;
    }
    let prefixed = template.is_none_or(|template| {
        regex::Regex::new(r"post\.url\s*\|\s*(?:url|htmlBaseUrl)\b")
            .is_ok_and(|re| re.is_match(&template.text))
    });
    if !prefixed {
        return;
    }
    match &imported.base_url {
        Some(base) => {
            let base = base.trim_end_matches('/');
            if !base.ends_with(&format!("/{folder}")) {
                imported.base_url = Some(format!("{base}/{folder}/"));
            }
        }
        None => imported.base_path = Some(format!("/{folder}/")),
    }
    imported.notes.push(format!(
        "the config's `pathPrefix` \"{prefix}\" is in every address of the site's feed: gazette's base_url has it too"
    ));
    if let Some(variable) = &imported.base_url_env {
        imported.notes.push(format!(
            "where ${variable} is set, gazette takes it as the whole address, without `pathPrefix`: there, give it with the folder (`…/{folder}/`)"
        ));
    }
}

/// The collection a site's templates list most often (`{% for post in
/// collections.posts %}`, `{% set postslist = collections.post %}`), with
/// the first file that lists it; else the one pagination goes through most
/// (`data: collections.posts`), which is as often a table the site's code
/// makes (authors, years). `all` is every page, not a collection of posts,
/// and a subscripted one (`collections.authors[name]`) is such a table,
/// as is one that `of_pages` says the config makes otherwise.
fn listing_collection(
    folders: &[PathBuf],
    of_pages: impl Fn(&str) -> bool,
    default_language: Option<&str>,
) -> Option<(String, PathBuf)> {
    // Nunjucks and Liquid loops and sets, JavaScript's (`.11ty.js`, EJS)
    // `for (const post of …)` and `….forEach(`, Handlebars' `#each`.
    let loops = regex::Regex::new(concat!(
        r"\b(?:for\s+\w+\s+(?:in|of)|set\s+\w+\s*=)\s*collections\.([\w-]+)\s*(?:\||-?%|-?\}|\)|\n)",
        r"|\bfor\s*\(\s*(?:const|let|var)\s+\w+\s+of\s+collections\.([\w-]+)\s*\)",
        r"|collections\.([\w-]+)\s*\.(?:forEach|map)\s*\(",
        r"|\{\{#each\s+collections\.([\w-]+)\s*\}\}",
    ))
    .ok()?;
    let pagination = regex::Regex::new(r"\bdata\s*:\s*collections\.([\w-]+)\s*\n").ok()?;
    let mut files: Vec<PathBuf> = folders
        .iter()
        .flat_map(|folder| crate::content::cascade::site_files(folder, 4))
        .map(walkdir::DirEntry::into_path)
        .filter(|path| {
            let name = path.to_string_lossy();
            name.ends_with(".md") || ELEVENTY_TEMPLATES.iter().any(|ext| name.ends_with(ext))
        })
        .collect();
    files.sort();
    files.dedup();
    let texts: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|path| Some((path.clone(), std::fs::read_to_string(&path).ok()?)))
        .collect();
    let most_listed = |re: &regex::Regex| {
        let mut seen: std::collections::BTreeMap<String, (usize, PathBuf)> = Default::default();
        for (path, text) in &texts {
            for captures in re.captures_iter(text) {
                // The one group of the alternative that matched.
                let Some(name) = captures.iter().skip(1).flatten().next() else {
                    continue;
                };
                // `{% set next = collections.x | getNextCollectionItem(page) %}`:
                // a neighbour of the page, no listing.
                let after = captures.get(0).map_or("", |m| &text[m.end()..]);
                let navigation = [
                    "getPreviousCollectionItem",
                    "getNextCollectionItem",
                    "getCollectionItem",
                ]
                .iter()
                .any(|filter| after.trim_start().starts_with(filter));
                if navigation {
                    continue;
                }
                // Not the `-` of a `-%}` written without a space before it.
                let name = name.as_str().trim_end_matches('-');
                if name != "all" && of_pages(name) {
                    seen.entry(name.to_string()).or_insert((0, path.clone())).0 += 1;
                }
            }
        }
        // On a tie, the one of the site's default language (`blog_en`,
        // listed in `en/`), else the first name, so that `init` is the
        // same every time.
        let most = seen.values().map(|(count, _)| *count).max()?;
        let tied: Vec<(String, PathBuf)> = seen
            .into_iter()
            .filter(|(_, (count, _))| *count == most)
            .map(|(name, (_, file))| (name, file))
            .collect();
        let of_language = |(name, file): &(String, PathBuf)| {
            default_language.is_some_and(|language| {
                let within = folders
                    .iter()
                    .find_map(|folder| file.strip_prefix(folder).ok())
                    .unwrap_or(file);
                name.rsplit(['_', '-']).next() == Some(language)
                    || within.components().any(|part| part.as_os_str() == language)
            })
        };
        tied.iter()
            .find(|candidate| of_language(candidate))
            .or(tied.first())
            .cloned()
    };
    most_listed(&loops).or_else(|| most_listed(&pagination))
}

/// `word` as one word of a shell command line.
fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The path, from the site's folder, of `file` in the generator's output
/// folder `output`.
fn built(output: &str, file: &str) -> String {
    // `./_site` (a config's `destination: ./_site`) is `_site`.
    let output = output.trim_end_matches('/');
    let output = output.strip_prefix("./").unwrap_or(output);
    let file = file.trim_start_matches('/');
    if output.is_empty() || output == "." {
        file.to_string()
    } else {
        format!("{output}/{file}")
    }
}

/// A literal string value `key: "..."` in a JavaScript file.
fn js_literal(script: &str, key: &str) -> Option<String> {
    let re = regex::Regex::new(&format!(r#"\b{key}\s*:\s*["'`]([^"'`]+)["'`]"#)).ok()?;
    re.captures(script).map(|c| c[1].to_string())
}

const PLACEHOLDER_TITLE: &str = "My site";
const PLACEHOLDER_URL: &str = "https://example.org/";

/// The address `init` writes for a site whose config has none: the
/// placeholder host with the site's own path (Jekyll's `baseurl` without
/// a `url`), so that links keep the path the site is served under.
fn placeholder_url(imported: &Imported) -> String {
    match imported.base_path.as_deref().map(|p| p.trim_matches('/')) {
        Some(path) if !path.is_empty() => format!("{PLACEHOLDER_URL}{path}/"),
        _ => PLACEHOLDER_URL.to_string(),
    }
}

/// A note for each value `render_config` has to invent, and for a
/// generator's own placeholder address taken as the site's: feeds with an
/// invented title or address must not go out unnoticed.
pub fn placeholder_notes(imported: &Imported) -> Vec<String> {
    let mut notes = Vec::new();
    if imported.title.is_none() {
        notes.push(format!(
            "the site's title was not found: gazette.toml says `title = \"{PLACEHOLDER_TITLE}\"`; set it"
        ));
    }
    let generator = imported.generator.unwrap_or_default().title();
    match imported.base_url.as_deref() {
        None => {
            let (replaced, what) = match &imported.base_url_env {
                Some(variable) => (
                    format!(
                        ", which ${variable} replaces where it is set, as {generator} reads it"
                    ),
                    "one of them",
                ),
                None => (String::new(), "it"),
            };
            notes.push(format!(
                "the site's address was not found: gazette.toml says `base_url = {}`{replaced}; set {what} before publishing",
                quote(&placeholder_url(imported))
            ));
        }
        Some(url) if crate::paths::is_placeholder_address(url) => {
            notes.push(match &imported.base_url_env {
                Some(variable) => format!(
                    "the site's address is ${variable} where that is set{}, as {generator} reads it, else {url:?}: set ${variable} where gazette runs as where the generator runs, or set `base_url` to the real address",
                    imported
                        .env_file
                        .as_ref()
                        .map(|file| format!(" (or in {file})"))
                        .unwrap_or_default()
                ),
                None => format!(
                    "the site's address {url:?} is an example placeholder, the generator's or a starter's: set `base_url` to the real one before publishing"
                ),
            });
        }
        Some(_) => {}
    }
    if imported.author.is_none() {
        notes.push(
            "no site author was found: entries without an author of their own carry none (set [author] name = \"…\")".into(),
        );
    }
    notes
}

/// `base_url` (and `base_url_env`) of `gazette.toml`.
fn address_lines(imported: &Imported) -> String {
    let mut out = String::new();
    if let Some(variable) = &imported.base_url_env {
        out.push_str(&format!(
            "# The site's address is ${variable} where the deploy sets it, as {}\n# reads it, else base_url.\nbase_url_env = {}\n",
            imported.generator.unwrap_or_default().title(),
            quote(variable)
        ));
        if let Some(file) = &imported.env_file {
            out.push_str(&format!(
                "# Or from {file}, as the site's config loads it with dotenv.
env_file = {}
",
                quote(file)
            ));
        }
    }
    match &imported.base_url {
        Some(url) => out.push_str(&format!("base_url = {}\n", quote(url))),
        None => out.push_str(&format!(
            "# The site's address was not found in its config: set it.\nbase_url = {}\n",
            quote(&placeholder_url(imported))
        )),
    }
    out
}

/// Which files are posts and what their names say.
fn render_file_rules(imported: &Imported, out: &mut String) {
    if let Some(name_dates) = imported.name_dates {
        out.push_str(&format!("name_dates = {name_dates}\n"));
    }
    if imported.name_dates_in_slug {
        out.push_str("name_dates_in_slug = true\n");
    }
    if let Some(extensions) = &imported.extensions {
        out.push_str(&format!("extensions = [{}]\n", toml_list(extensions)));
    }
    if !imported.exclude.is_empty() {
        out.push_str(&format!("exclude = [{}]\n", toml_list(&imported.exclude)));
    }
}

/// `gazette.toml` for an imported site.
pub fn render_config(imported: &Imported, today: &str) -> String {
    let generator = imported.generator.unwrap_or_default();
    let preset = generator.preset();
    // One form for each file, however it was found (`./x`, `x`, `././x`),
    // each named once.
    let mut sources: Vec<String> = Vec::new();
    for path in &imported.sources {
        let cleaned = crate::paths::clean_path(path);
        let shown = match cleaned.is_absolute() {
            true => cleaned.display().to_string(),
            false => format!("./{}", cleaned.display()),
        };
        if !sources.contains(&shown) {
            sources.push(shown);
        }
    }
    let mut out = format!(
        "# gazette beside this {} site, written by `gazette init --from` on {today}\n# from {} (read only; gazette never changes the site's files).\n# The generator's rules gazette follows are listed in gazette's README.\n",
        generator.title(),
        sources.join(", ")
    );
    out.push_str(&format!("generator = {}\n", quote(generator.name())));
    out.push_str(&format!(
        "title = {}\n",
        quote(imported.title.as_deref().unwrap_or(PLACEHOLDER_TITLE))
    ));
    if let Some(description) = &imported.description {
        out.push_str(&format!("description = {}\n", quote(description)));
    }
    out.push_str(&address_lines(imported));
    out.push_str(&format!(
        "# Where the output folder is served: {}\nfeeds_url = {}\n",
        "the feeds, the subscription page and its stylesheet",
        quote(imported.feeds_url.as_deref().unwrap_or(preset.feeds_path))
    ));
    if let Some(language) = &imported.language {
        out.push_str(&format!("language = {}\n", quote(language)));
    }
    if let Some(timezone) = &imported.timezone {
        out.push_str(&format!("timezone = {}\n", quote(timezone)));
    }
    out.push_str(&format!(
        "content_dir = {}\n",
        quote(
            imported
                .content_dir
                .as_deref()
                .unwrap_or(preset.content_dir)
        )
    ));
    out.push_str(&format!(
        "# Copied into the site by the generator's next build (see the README: Deploying next to your site).\noutput_dir = {}\n",
        quote(imported.output_dir.as_deref().unwrap_or(preset.output_dir))
    ));
    out.push_str(&format!(
        "# gazette's templates are built in; `gazette templates eject` writes them here\n# to edit, in a folder the generator does not publish or render.\ntemplates_dir = {}\n",
        quote(imported.templates_dir.as_deref().unwrap_or(preset.templates_dir))
    ));
    out.push_str("page_file = \"index.html\"\n");
    if let Some(pattern) = &imported.permalink {
        out.push_str(&format!("permalink = {}\n", quote(pattern)));
    }
    if let Some(lower) = imported.lowercase_urls {
        out.push_str(&format!("lowercase_urls = {lower}\n"));
    }
    render_reading_rules(imported, &mut out);
    let collection = match (&imported.collection, &imported.collection_tags[..]) {
        (_, [_, ..]) => Some(format!("[{}]", toml_list(&imported.collection_tags))),
        (Some(collection), []) => Some(quote(collection)),
        (None, []) => None,
    };
    if let Some(collection) = collection {
        out.push_str(&format!(
            "# Only pages in the collection of the site's posts (what its feed or listing pages list) are posts.\ncollection = {collection}\n"
        ));
    }
    if !imported.collection_files.is_empty() {
        out.push_str(&format!(
            "# Only the files of the collection of the site's posts are posts.\ncollection_files = [{}]\n",
            toml_list(&imported.collection_files)
        ));
    }
    render_file_rules(imported, &mut out);
    if let Some(feed) = &imported.old_feed {
        out.push_str(&format!(
            "# The site's own feed was {feed}: compare before switching with\n#   gazette check --against {feed}\n"
        ));
    }
    render_tables(imported, &mut out);
    if let Some(table) = &imported.podcast_table {
        out.push_str(table);
    }
    out
}

/// The keys of how the site's generator reads and orders its posts,
/// where the site says other than the preset.
fn render_reading_rules(imported: &Imported, out: &mut String) {
    if let Some(smart) = imported.smart_titles {
        out.push_str(&format!("smart_titles = {smart}\n"));
    }
    if let Some(strip) = imported.strip_title_html {
        out.push_str(&format!("strip_title_html = {strip}\n"));
    }
    if let Some(smart) = imported.smart_punctuation {
        out.push_str(&format!("smart_punctuation = {smart}\n"));
    }
    if let Some(order) = imported.entry_order {
        out.push_str(&format!(
            "# The order of the site's own feed, same-date posts too.\nentry_order = {}\n",
            quote(order)
        ));
    }
    if imported.publish_future == Some(true) {
        out.push_str(
            "# The site publishes posts dated in the future at once.\npublish_future = true\n",
        );
    }
    if let Some(id_format) = imported.id_format {
        out.push_str(&format!(
            "# The site's own feed template names each entry by this.\nid_format = {}\n",
            quote(id_format)
        ));
    }
    if let Some(prefix) = &imported.id_prefix {
        out.push_str(&format!(
            "# Its ids are this followed by the post's address, as the template joins them.\nid_prefix = {}\n",
            quote(prefix)
        ));
    }
}

/// The limits of the feeds whose generator keeps another number than `limit`.
fn render_limits(imported: &Imported, out: &mut String) {
    if let Some(limit) = imported.main_limit {
        out.push_str(&format!(
            "# The site's own feed keeps another number.\nmain_limit = {limit}\n"
        ));
    }
    if let Some(limit) = imported.term_limit {
        out.push_str(&format!(
            "# Each term's feed keeps another number.\nterm_limit = {limit}\n"
        ));
    }
    if !imported.section_limits.is_empty() {
        let limits = imported
            .section_limits
            .iter()
            .map(|(section, limit)| format!("{} = {limit}", toml_key(section)));
        out.push_str(&format!(
            "# These sections' feeds keep another number.\nsection_limits = {}\n",
            inline_table(limits)
        ));
    }
}

/// The tables of an imported site's `gazette.toml`, after its top-level keys.
fn render_tables(imported: &Imported, out: &mut String) {
    if let Some(author) = &imported.author {
        out.push_str(&format!("\n[author]\nname = {}\n", quote(author)));
        if let Some(email) = &imported.author_email {
            out.push_str(&format!("email = {}\n", quote(email)));
        }
        if let Some(url) = &imported.author_url {
            out.push_str(&format!("url = {}\n", quote(url)));
        }
    }
    render_translations(imported, out);
    if !imported.permalinks.is_empty() {
        out.push_str("\n# Hugo's [permalinks], per top-level section.\n[permalinks]\n");
        for (section, pattern) in &imported.permalinks {
            out.push_str(&format!("{} = {}\n", toml_key(section), quote(pattern)));
        }
    }
    out.push_str(&format!(
        "\n[feeds]\nlimit = {}\nformats = [\"rss\", \"atom\", \"json\"]\n",
        imported.limit.unwrap_or(20)
    ));
    render_limits(imported, out);
    if let Some(full) = imported.full_content {
        out.push_str(&format!("full_content = {full}\n"));
    }
    if let Some(query) = &imported.link_query {
        out.push_str(&format!(
            "# The site's feed template appends this to each entry's link.\nlink_query = {}\n",
            quote(query)
        ));
    }
    if !imported.categories.is_empty() {
        compare_comment(
            out,
            "category",
            "categories",
            &imported.category_feeds,
            &imported.categories,
        );
        out.push_str(&format!(
            "categories = [{}]\n",
            toml_list(&imported.categories)
        ));
    }
    if let Some(tags) = &imported.tag_feeds {
        compare_comment(
            out,
            "tag",
            "tags",
            &(tags.prefix.clone(), tags.suffix.clone()),
            &tags.only,
        );
        out.push_str("per_tag = true\n");
        if !tags.only.is_empty() {
            out.push_str(&format!("per_tag_only = [{}]\n", toml_list(&tags.only)));
        }
        if !tags.except.is_empty() {
            out.push_str(&format!("per_tag_except = [{}]\n", toml_list(&tags.except)));
        }
    }
    if let Some(at) = &imported.all_category_feeds {
        compare_comment(out, "category", "categories", at, &[]);
        out.push_str("per_category = true\n");
    }
    render_section_feeds(imported, out);
    if !imported.taxonomy_feeds.is_empty() {
        let names: Vec<String> = imported
            .taxonomy_feeds
            .iter()
            .map(|(t, _)| t.clone())
            .collect();
        for (taxonomy, at) in &imported.taxonomy_feeds {
            compare_taxonomy_comment(out, taxonomy, at);
        }
        out.push_str(&format!("per_taxonomy = [{}]\n", toml_list(&names)));
    }
    if !imported.main_sections.is_empty() {
        out.push_str(&format!(
            "# The site's feed lists the pages of these sections alone, as its feed template does.\nmain_sections = [{}]\n",
            toml_list(&imported.main_sections)
        ));
        if imported.main_sections_by_section {
            out.push_str(
                "# By the pages' sections (their first folder), whatever their `type`.\nmain_sections_by = \"section\"\n",
            );
        }
    }
    render_collections(imported, out);
    render_fields(imported, out);
    out.push_str(
        "\n# E-mail digests: uncomment and fill in to send the new posts to subscribers.\n# [digest]\n# from = \"Site <digest@example.org>\"\n# unsubscribe_url = \"https://example.org/unsubscribe?token={token}\"\n# subscribers = \"subscribers.csv\"\n# [smtp]\n# host = \"smtp.example.org\"\n# username = \"digest@example.org\"\n# password_env = \"GAZETTE_SMTP_PASSWORD\"\n",
    );
}

/// `per_section` and what goes with it.
fn render_section_feeds(imported: &Imported, out: &mut String) {
    if let Some(at) = &imported.section_feeds {
        compare_comment(out, "section", "sections", at, &imported.section_only);
        out.push_str("per_section = true\n");
        if !imported.section_only.is_empty() {
            out.push_str(&format!(
                "per_section_only = [{}]\n",
                toml_list(&imported.section_only)
            ));
        }
        if imported.section_pages_top_by_type {
            out.push_str(
                "# A top-level section's feed lists every page of its type below it, as the site's feed template does.\nsection_pages = \"top_by_type\"\n",
            );
        }
    }
}

/// `skip_if_value` and `skip_main_if_value` of `[fields]`.
fn render_value_skips(imported: &Imported, out: &mut String) {
    if !imported.skip_values.is_empty() {
        let entries = imported
            .skip_values
            .iter()
            .map(|(key, values)| format!("{key} = [{}]", toml_list(values)));
        out.push_str(&format!(
            "# The site's feed template leaves out a page whose key holds one of these.\nskip_if_value = {}\n",
            inline_table(entries)
        ));
    }
    if !imported.skip_main_values.is_empty() {
        let entries = imported
            .skip_main_values
            .iter()
            .map(|(key, values)| format!("{key} = [{}]", toml_list(values)));
        out.push_str(&format!(
            "# The site's feed template leaves out of its main feed, not of its\n# section's and terms', a page whose key lists one of these.\nskip_main_if_value = {}\n",
            inline_table(entries)
        ));
    }
}

/// `[fields]`, where the site's generator reads keys otherwise than the preset.
fn render_fields(imported: &Imported, out: &mut String) {
    if imported.date_keys.is_some()
        || imported.updated_keys.is_some()
        || imported.title_keys.is_some()
        || !imported.id_keys.is_empty()
        || !imported.feed_date_keys.is_empty()
        || imported.draft_keys.is_some()
        || !imported.scheduled_keys.is_empty()
        || !imported.skip_keys.is_empty()
        || !imported.skip_main_keys.is_empty()
        || !imported.skip_values.is_empty()
        || !imported.skip_main_values.is_empty()
        || imported.dates_from_path
    {
        out.push_str("\n[fields]\n");
    }
    if !imported.skip_keys.is_empty() {
        // The config's list replaces the preset's, whose keys (Hugo's
        // `headless`, Eleventy's `eleventyExcludeFromCollections`) must stay.
        let preset = imported
            .generator
            .map(|g| crate::config::Fields::of(g).skip_if)
            .unwrap_or_default();
        let mut keys = preset;
        for key in &imported.skip_keys {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
        out.push_str(&format!(
            "# The site's feed template leaves out a page that sets one of these.\nskip_if_key = [{}]\n",
            toml_list(&keys)
        ));
    }
    if !imported.skip_main_keys.is_empty() {
        out.push_str(&format!(
            "# The site's feed template leaves out of its main feed, not of its\n# section's and terms', a page that sets one of these.\nskip_main_if_key = [{}]\n",
            toml_list(&imported.skip_main_keys)
        ));
    }
    render_value_skips(imported, out);
    if !imported.section_keys.is_empty() {
        out.push_str(&format!(
            "# A page that does not set it takes its section's (`_index.md`), as the template reads it.\nfrom_section = [{}]\n",
            toml_list(&imported.section_keys)
        ));
    }
    if imported.dates_from_path {
        out.push_str(
            "# The site's feed template dates a page by the year, month and day of its path.\ndate_from = { key = \"path\", pattern = \"{year}/{month}/{day}/\" }\n",
        );
    }
    if !imported.scheduled_keys.is_empty() {
        out.push_str(&format!(
            "# The site's own code holds a page back until this date comes.\nscheduled = [{}]\n",
            toml_list(&imported.scheduled_keys)
        ));
    }
    if let Some(keys) = &imported.draft_keys {
        out.push_str(&format!(
            "# Eleventy publishes a page with `draft: true` unless the site's code drops it.\ndraft = [{}]\n",
            toml_list(keys)
        ));
    }
    if let Some(keys) = &imported.date_keys {
        out.push_str(&format!("date = [{}]\n", toml_list(keys)));
    }
    if let Some(keys) = &imported.updated_keys {
        out.push_str(&format!("updated = [{}]\n", toml_list(keys)));
    }
    if let Some(keys) = &imported.title_keys {
        out.push_str(&format!("title = [{}]\n", toml_list(keys)));
    }
    if !imported.feed_date_keys.is_empty() {
        out.push_str(&format!(
            "# The site's feed template dates an entry by this where the post sets it.\nfeed_date = [{}]\n",
            toml_list(&imported.feed_date_keys)
        ));
    }
    if !imported.id_keys.is_empty() {
        out.push_str(&format!(
            "# The site's feed template names an entry by this where the post sets it.\nid = [{}]\n",
            toml_list(&imported.id_keys)
        ));
    }
}

/// `[translations]`, for a multilingual site naming translations `x.fr.md`.
fn render_translations(imported: &Imported, out: &mut String) {
    let Some((default, others)) = &imported.translations else {
        return;
    };
    out.push_str(&format!(
        "\n# Pages named `x.{}.md` are in another language than the main feeds,\n# which are the default language's as the generator's main feed is.\n",
        others[0]
    ));
    if !imported.language_feeds.is_empty() {
        out.push_str("# Each language in `feeds` has its own, in its folder here. Compare with\n");
        for (code, feed) in &imported.language_feeds {
            if let Some(feed) = feed {
                out.push_str(&format!(
                    "#   gazette check --against {} --language {code}\n",
                    shell_word(feed)
                ));
            }
        }
    }
    out.push_str(&format!(
        "[translations]\ndefault = {}\nlanguages = [{}]\n",
        quote(default),
        toml_list(others)
    ));
    if !imported.language_feeds.is_empty() {
        let codes: Vec<String> = imported
            .language_feeds
            .iter()
            .map(|(c, _)| c.clone())
            .collect();
        out.push_str(&format!("feeds = [{}]\n", toml_list(&codes)));
    }
    let table = |map: &BTreeMap<String, String>| {
        map.iter()
            .map(|(code, value)| format!("{} = {}", toml_key(code), quote(value)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !imported.language_titles.is_empty() {
        out.push_str(&format!(
            "titles = {{ {} }}\n",
            table(&imported.language_titles)
        ));
    }
    if !imported.language_dirs.is_empty() {
        out.push_str(&format!(
            "content_dirs = {{ {} }}\n",
            table(&imported.language_dirs)
        ));
    }
    render_language_term_feeds(imported, out);
}

/// `translations.taxonomy_feeds` and `section_feeds`, each language's
/// with the commands comparing them with the generator's.
fn render_language_term_feeds(imported: &Imported, out: &mut String) {
    let lists = |lists: Vec<(&String, Vec<String>)>| {
        lists
            .into_iter()
            .map(|(code, names)| format!("{} = [{}]", toml_key(code), toml_list(&names)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !imported.language_taxonomies.is_empty() {
        for (code, taxonomies) in &imported.language_taxonomies {
            for (taxonomy, at) in taxonomies {
                let (kind, flag) = match taxonomy.as_str() {
                    "tags" => ("tag".to_string(), format!("--language {code} --tag ")),
                    "categories" => ("category".into(), format!("--language {code} --category ")),
                    other => (other.into(), format!("--language {code} --term {other}=")),
                };
                compare_lines(out, &kind, &format!("{code}/{taxonomy}"), at, &[], &flag);
            }
        }
        let names = imported
            .language_taxonomies
            .iter()
            .map(|(code, taxonomies)| (code, taxonomies.iter().map(|(t, _)| t.clone()).collect()));
        out.push_str(&format!(
            "taxonomy_feeds = {{ {} }}\n",
            lists(names.collect())
        ));
    }
    if !imported.language_sections.is_empty() {
        for (code, (sections, at)) in &imported.language_sections {
            let flag = format!("--language {code} --section ");
            compare_lines(
                out,
                "section",
                &format!("{code}/sections"),
                at,
                sections,
                &flag,
            );
        }
        let names = imported
            .language_sections
            .iter()
            .map(|(code, (sections, _))| (code, sections.clone()));
        out.push_str(&format!(
            "section_feeds = {{ {} }}\n",
            lists(names.collect())
        ));
    }
}

/// A `[feeds.collections.NAME]` table for each collection with a feed.
fn render_collections(imported: &Imported, out: &mut String) {
    for collection in &imported.collection_feeds {
        out.push_str(&format!(
            "# The site's feed of its {name} collection; here collections/{name}.xml, .atom.xml and .json. Compare with\n#   gazette check --against {} --collection {name}\n[feeds.collections.{name}]\nfolder = {}\npermalink = {}\n",
            shell_word(&collection.built),
            quote(&collection.folder),
            quote(&collection.permalink),
            name = collection.name,
        ));
        if !collection.categories.is_empty() {
            let name = &collection.name;
            let at = (collection.category_feeds.clone(), ".xml".to_string());
            let flag = format!("--collection {name} --category ");
            let folder = format!("collections/{name}");
            compare_lines(out, "category", &folder, &at, &collection.categories, &flag);
            out.push_str(&format!(
                "categories = [{}]\n",
                toml_list(&collection.categories)
            ));
        }
    }
}

/// The comment over one kind of feeds per name (`kind` as `check` takes
/// it, gazette's `folder`): the command comparing each with the
/// generator's, found at `at` (before and after the name), once per listed
/// name, or once for every name when none is listed.
fn compare_comment(
    out: &mut String,
    kind: &str,
    folder: &str,
    at: &(String, String),
    names: &[String],
) {
    compare_lines(out, kind, folder, at, names, &format!("--{kind} "));
}

/// `compare_comment` for the terms of a taxonomy of `per_taxonomy`, which
/// `check` names as `--term TAXONOMY=TERM`.
fn compare_taxonomy_comment(out: &mut String, taxonomy: &str, at: &(String, String)) {
    compare_lines(
        out,
        taxonomy,
        taxonomy,
        at,
        &[],
        &format!("--term {taxonomy}="),
    );
}

fn compare_lines(
    out: &mut String,
    kind: &str,
    folder: &str,
    at: &(String, String),
    names: &[String],
    flag: &str,
) {
    let (prefix, suffix) = at;
    out.push_str(&format!(
        "# The site's feed per {kind}; here {folder}/<{kind}>.xml, .atom.xml and .json. Compare with\n"
    ));
    if names.is_empty() {
        let name = kind.to_uppercase();
        out.push_str(&format!(
            "#   gazette check --against {prefix}{name}{suffix} {flag}{name}   (for each {name})\n"
        ));
    }
    for name in names {
        out.push_str(&format!(
            "#   gazette check --against {} {flag}{}\n",
            shell_word(&format!("{prefix}{name}{suffix}")),
            shell_word(name)
        ));
    }
}

/// `text` as a TOML string.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Names as a TOML array's items.
/// `{ a = 1, b = 2 }` of entries written `a = 1`.
fn inline_table(entries: impl Iterator<Item = String>) -> String {
    format!("{{ {} }}", entries.collect::<Vec<_>>().join(", "))
}

fn toml_list(names: &[String]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .map(|n| toml::Value::String(n.clone()).to_string())
        .collect();
    quoted.join(", ")
}

fn toml_key(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.is_empty()
    {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}

/// The options the module `script` (in `folder`) passes the feed plugin,
/// with the members of JSON files it imports read (zachleat.com's `title:
/// siteData.name`).
fn feed_plugin_options(
    script: &str,
    folder: &Path,
    sources: &mut Vec<PathBuf>,
) -> Option<crate::generators::js_literal::Literal> {
    let options = crate::generators::js_literal::plugin_options(script, "feedPlugin")?;
    Some(crate::content::cascade::with_json_imports(
        options, script, folder, sources,
    ))
}

/// How the Eleventy config makes the collection `name`
/// (`Module::collection_source`), in the config or one of the site's
/// modules it imports (`modules`, the config first), the function that
/// makes it followed into the module that writes it where it is named
/// (andrewhudson.dev's `addCollection("allposts", allPostsCollection)`).
fn config_collection_source(
    dir: &Path,
    modules: &[(PathBuf, String)],
    name: &str,
) -> Option<(crate::generators::js_literal::CollectionSource, bool)> {
    config_collection(dir, modules, name, |module, function| {
        module.source_of(function)
    })
}

/// What `read` finds in the function that makes the collection `name`,
/// where the config (or a module of the site's it imports) adds it:
/// written there, or followed through the names and imports it is given by.
fn config_collection<T>(
    dir: &Path,
    modules: &[(PathBuf, String)],
    name: &str,
    read: impl Fn(
        &crate::generators::js_literal::Module,
        &crate::generators::js_literal::Function,
    ) -> Option<T>,
) -> Option<T> {
    use crate::generators::js_literal::Module;
    modules.iter().find_map(|(path, text)| {
        let module = Module::parse(text)?;
        let function = module.collection_function(name)?;
        if let Some(found) = read(&module, &function) {
            return Some(found);
        }
        let mut site = crate::generators::js_modules::SiteModules::new(dir, path, module);
        let (written_in, written) = site.written(path, function)?;
        read(site.module(&written_in)?, &written)
    })
}

/// Collections the feed template lists after the first, which the config
/// makes of files by path too (m1rp's `posts`, then `til`): their files
/// are posts as well, gazette's feed merging them by date where the
/// site's lists one collection after the other.
fn also_listed_files(
    imported: &mut Imported,
    dir: &Path,
    modules: &[(PathBuf, String)],
    input: &str,
) {
    use crate::generators::js_literal::CollectionSource;
    let mut unread = Vec::new();
    for other in std::mem::take(&mut imported.also_listed) {
        let globs = match config_collection_source(dir, modules, &other) {
            Some((CollectionSource::Files(globs), _)) => globs,
            _ => {
                unread.push(other);
                continue;
            }
        };
        let relative: Option<Vec<String>> = globs
            .iter()
            .map(|glob| relative_to_input(glob, input))
            .collect();
        match relative {
            Some(relative) => {
                imported.notes.push(format!(
                    "the site's feed template lists the `{other}` collection too, in a loop of its own: its files are posts as well (collection_files), in one feed by date"
                ));
                imported.collection_files.extend(relative);
            }
            None => unread.push(other),
        }
    }
    imported.also_listed = unread;
}

/// A glob of the config's, from the project's folder, as one from the
/// input folder; none where it names files outside it.
fn relative_to_input(glob: &str, input: &str) -> Option<String> {
    let glob = glob.trim_start_matches("./");
    match input.trim_start_matches("./").trim_end_matches('/') {
        "" | "." => Some(glob.to_string()),
        // Any folder from the project's is any from the input's.
        _ if glob.starts_with("**/") => Some(glob.to_string()),
        folder => glob
            .strip_prefix(folder)?
            .strip_prefix('/')
            .map(str::to_string),
    }
}

/// A feed collection the Eleventy config makes itself: from files by path
/// (`addCollection("posts", c => c.getFilteredByGlob("./src/posts/*.md"))`,
/// hylia's), its globs relative to the input folder as `collection_files`
/// in place of a tag; from a tag of another name (`getFilteredByTag("post")`),
/// that tag. A filter in code is named by a note.
fn collection_made_by_config(
    imported: &mut Imported,
    dir: &Path,
    modules: &[(PathBuf, String)],
    input: &str,
) {
    use crate::generators::js_literal::CollectionSource;
    let Some(name) = imported.collection.clone() else {
        return;
    };
    // What the function that makes it selects, and how many of the newest
    // it keeps, read in one pass over the site's modules.
    let (source, newest, newest_first) =
        config_collection(dir, modules, &name, |module, function| {
            let found = (
                module.source_of(function),
                module.newest_kept(function),
                module.sorts_newest_first(function),
            );
            (found.0.is_some() || found.1.is_some() || found.2).then_some(found)
        })
        .unwrap_or((None, None, false));
    if newest_first {
        imported.notes.push(format!(
            "the `{name}` collection is sorted newest first in the config's code (`.sort((a, b) => b.date - a.date)`), which a feed that reverses it, as the feed plugin's does, lists oldest first: the site's feed holds its oldest pages and never a new one; gazette's holds the newest, newest first"
        ));
    }
    // The collection keeps only the newest N itself: so does the feed.
    if let Some(newest) = newest {
        if imported
            .limit
            .is_none_or(|limit| limit == 0 || limit > newest)
        {
            imported.limit = Some(newest);
            imported.notes.push(format!(
                "the `{name}` collection keeps only the newest {newest} pages (`.slice` in the config's code): so does the feed ([feeds] limit = {newest})"
            ));
        }
    }
    let Some((source, filtered)) = source else {
        return;
    };
    let Some((config_path, _)) = modules.first() else {
        return;
    };
    let shown = config_path.display();
    let globs = match source {
        CollectionSource::Tags(mut tags) if tags.len() == 1 => {
            imported.collection = tags.pop();
            Vec::new()
        }
        CollectionSource::Tags(tags) => {
            imported.notes.push(format!(
                "{shown}: the `{name}` collection joins the pages tagged {}: so are gazette's posts",
                tags.iter().map(|tag| format!("`{tag}`")).collect::<Vec<_>>().join(", ")
            ));
            imported.collection = None;
            imported.collection_tags = tags;
            Vec::new()
        }
        CollectionSource::Files(globs) => globs,
    };
    if !globs.is_empty() {
        let relative: Option<Vec<String>> = globs
            .iter()
            .map(|glob| relative_to_input(glob, input))
            .collect();
        let Some(relative) = relative else {
            imported.notes.push(format!(
                "{shown}: the `{name}` collection is made of files outside the input folder ({}): set `collection_files`",
                globs.join(", ")
            ));
            return;
        };
        imported.collection = None;
        imported.collection_files = relative;
        also_listed_files(imported, dir, modules, input);
    }
    if filtered {
        imported.notes.push(format!(
            "{shown}: the `{name}` collection filters its pages in JavaScript, which gazette does not run: every page of it is a post but drafts and posts dated later (compare with `gazette check --against`)"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of pages a Hugo feed template keeps, as `init` reads it:
    /// one pager's worth, else what it keeps with `first`.
    fn hugo_template_limit(config: &Value, text: &str) -> Option<u64> {
        hugo_pager_size(config, text).or_else(|| hugo_first_limit(config, text))
    }

    /// The limit of the loop that writes a Jekyll feed template's entries,
    /// not of one that dates the channel first (kevquirk.com's feed.xml),
    /// read as a number, a site setting or a variable assigned one.
    #[test]
    fn liquid_limit_of_the_loop_that_writes_the_entries() {
        let config = crate::yaml::parse("feed_items: 20\nposts_shown: \"7\"\n").unwrap();
        let template = |assign: &str, limit: &str| {
            format!(
                "---\nlayout: none\n---\n<rss><channel><lastBuildDate>{{% for post in site.posts limit:1 %}}{{{{ post.date }}}}{{% endfor %}}</lastBuildDate>\n{assign}\n{{% for post in site.posts {limit} %}}<item><title>{{{{ post.title }}}}</title></item>{{% endfor %}}</channel></rss>"
            )
        };
        let limit =
            |assign: &str, limit: &str| liquid_entry_limit(&template(assign, limit), &config);
        assert_eq!(limit("", ""), Ok(None));
        assert_eq!(limit("", "limit:5"), Ok(Some(5)));
        assert_eq!(limit("", "limit: site.feed_items"), Ok(Some(20)));
        assert_eq!(
            limit(
                "{% assign feed_items = site.feed_items | default: 10 %}",
                "limit:feed_items"
            ),
            Ok(Some(20))
        );
        assert_eq!(
            limit("{% assign n = site.unset | default: 10 %}", "limit:n"),
            Ok(Some(10))
        );
        assert_eq!(
            limit("{% assign n = site.posts_shown %}", "limit: n"),
            Ok(Some(7))
        );
        assert_eq!(
            limit("", "limit: page.count"),
            Err("page.count".to_string())
        );
    }

    /// The newest N an Eleventy feed template's loop keeps, in Nunjucks
    /// and in Liquid (whose `reversed` a backspace once stood for in the
    /// pattern, so Liquid's limit was never read).
    /// The feed plugin's options may name members of a JSON file the
    /// config imports (zachleat.com's `title: siteData.name`): read from
    /// that file; a member of anything else stays computed.
    #[test]
    fn eleventy_feed_options_from_an_imported_json_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_data")).unwrap();
        std::fs::write(
            dir.path().join("_data/site.json"),
            r#"{"name": "Ann Author", "url": "https://ann.example.org/", "nested": {"tagline": "Notes"}}"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join("eleventy.config.js"),
            r#"import { feedPlugin } from "@11ty/eleventy-plugin-rss";
import siteData from "./_data/site.json" with { type: "json" };
const other = require("./other.js");
export default function (eleventyConfig) {
  eleventyConfig.addPlugin(feedPlugin, {
    outputPath: "/feed.xml",
    collection: { name: "posts", limit: 5 },
    metadata: {
      title: siteData.name,
      subtitle: siteData.nested.tagline,
      base: siteData.url,
      language: other.language,
      author: { name: siteData.name },
    },
  });
}
"#,
        )
        .unwrap();
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Ann Author"));
        assert_eq!(imported.description.as_deref(), Some("Notes"));
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://ann.example.org/")
        );
        assert_eq!(imported.author.as_deref(), Some("Ann Author"));
        assert_eq!(imported.language, None);
        assert!(imported
            .sources
            .contains(&dir.path().join("_data/site.json")));
    }

    /// A feed template in a folder of feeds, whatever its name (pack11ty's
    /// `pages/feeds/news.njk`), writing Eleventy's global `pkg` (the
    /// project's `package.json`), with literal text around a value.
    #[test]
    fn an_eleventy_feed_template_in_a_feeds_folder_writing_pkg() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "package.json",
            r#"{"name": "kiln", "title": "Kiln Notes", "homepage": "https://kiln.example.org/", "author": {"name": "Ida Potter"}}"#,
        );
        write(
            "eleventy.config.js",
            "export default function () { return { dir: { input: \"src\" } }; }\n",
        );
        write(
            "src/pages/feeds/news.njk",
            "---\npermalink: feeds/news.xml\n---\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>News from {{ pkg.title }}</title>\n  <id>{{ pkg.homepage }}</id>\n  <author>\n    <name>{{ pkg.author.name }}</name>\n  </author>\n  {% for entry in collections.news | limit(20) %}<entry></entry>{% endfor %}\n</feed>\n",
        );
        write(
            "src/pages/not-a-feed.njk",
            "<feed>{{ collections.other }}</feed>",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.collection.as_deref(), Some("news"));
        assert_eq!(imported.title.as_deref(), Some("News from Kiln Notes"));
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://kiln.example.org/")
        );
        assert_eq!(imported.author.as_deref(), Some("Ida Potter"));
        assert_eq!(imported.old_feed.as_deref(), Some("_site/feeds/news.xml"));
    }

    /// HTML is one of Eleventy's default template formats; a config that
    /// names its formats without it makes no `.html` file a page.
    #[test]
    fn eleventy_template_formats_without_html_leave_html_files_out() {
        let formats = |script: &str| eleventy_post_extensions(script);
        assert_eq!(
            formats("export const config = { templateFormats: [\"md\", \"njk\"] };"),
            Some(vec!["md".to_string()])
        );
        assert_eq!(
            formats("c.setTemplateFormats(\"md,njk,liquid\");"),
            Some(vec!["md".to_string()])
        );
        assert_eq!(
            formats("templateFormats: [\"md\", \"njk\", \"html\"],"),
            None
        );
        assert_eq!(formats("export default function () {}"), None);
    }

    /// A feed template with a literal title (top-frog.com's), over the
    /// site data's `title`, which names the whole site.
    #[test]
    fn an_eleventy_feed_templates_literal_title_is_the_feeds() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "eleventy.config.mjs",
            "export default function () { return { dir: { input: \"src\" } }; }\n",
        );
        write(
            "src/_data/site.json",
            r#"{"url": "https://frog.example.org", "title": "Frog | Home"}"#,
        );
        write(
            "src/feed.liquid",
            "---\npermalink: /feed.xml\n---\n<rss version=\"2.0\"><channel>\n<title>Frog: Blog &amp; Notes</title>\n<link>{{ site.url }}/blog</link>\n{% for post in collections.posts %}<item><title>{{ post.data.title }}</title><link>{{site.url}}{{ post.url }}</link></item>{% endfor %}</channel></rss>\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Frog: Blog & Notes"));
    }

    /// Feed templates named for what they list, in a folder `rss`
    /// (kpwags.com's): the one writing the site's own feed (`/rss/feed.xml`)
    /// is the site's feed, before one of a part of it and before its JSON
    /// twin; another plugin's `limit` is not the feed's.
    #[test]
    fn the_eleventy_feed_template_writing_the_sites_own_feed() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "eleventy.config.js",
            "import pluginRss from \"@11ty/eleventy-plugin-rss\";\nexport default function (eleventyConfig) {\n  eleventyConfig.addPlugin(pluginRss);\n  eleventyConfig.addPlugin(postGraph, { limit: 5 });\n  return { dir: { input: \"src\" } };\n}\n",
        );
        let feed = |permalink: &str, collection: &str| {
            format!("---json\n{{\"permalink\": \"{permalink}\"}}\n---\n<rss version=\"2.0\"><channel>{{%- for post in collections.{collection} | reverse %}}<item></item>{{%- endfor %}}</channel></rss>\n")
        };
        write(
            "src/rss/blogposts_rss.njk",
            &feed("/rss/blogposts_feed.xml", "post"),
        );
        write(
            "src/rss/everything_json.njk",
            &feed("/rss/feed.json", "all"),
        );
        write("src/rss/everything_rss.njk", &feed("/rss/feed.xml", "all"));
        write("src/rss/index.html", "<p>Our feeds</p>");
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.collection.as_deref(), Some("all"));
        assert_eq!(imported.old_feed.as_deref(), Some("_site/rss/feed.xml"));
        assert_eq!(imported.limit, Some(0));
    }

    /// `pathPrefix`: in the address where the site's feed template passes
    /// `post.url` through the `url` filter (ttdGit's), not where it does
    /// not.
    #[test]
    fn an_eleventy_path_prefix_is_in_the_address_where_the_feed_puts_it() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "eleventy.config.js",
            "module.exports = function () { return { pathPrefix: \"/blog/\", dir: { input: \"src\" } }; };\n",
        );
        write(
            "src/_data/metadata.json",
            r#"{"title": "T", "url": "https://p.example.org/"}"#,
        );
        let feed = |entry: &str| {
            format!("---\npermalink: feed.xml\neleventyExcludeFromCollections: true\n---\n<feed>{{% for post in collections.posts %}}<entry><id>{entry}</id></entry>{{% endfor %}}</feed>\n")
        };
        write(
            "src/feed.njk",
            &feed("{{ post.url | url | absoluteUrl(metadata.url) }}"),
        );
        let prefixed = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(
            prefixed.base_url.as_deref(),
            Some("https://p.example.org/blog/")
        );
        write(
            "src/feed.njk",
            &feed("{{ post.url | absoluteUrl(metadata.url) }}"),
        );
        let plain = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(plain.base_url.as_deref(), Some("https://p.example.org/"));
    }

    /// A site in seven languages without a feed, each listing its own
    /// collection of posts as often (d3servelabs' blog): the one of the
    /// i18n plugin's `defaultLanguage`, not the first name.
    #[test]
    fn equal_listings_without_a_feed_take_the_default_languages() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "eleventy.config.js",
            "import {EleventyI18nPlugin} from '@11ty/eleventy';\nexport default function (eleventyConfig) {\n  eleventyConfig.addPlugin(EleventyI18nPlugin, { defaultLanguage: 'en' });\n  return { dir: { input: 'src' } };\n}\n",
        );
        for language in ["ar", "de", "en"] {
            write(
                &format!("src/{language}/index.md"),
                &format!("{{%- for post in collections.blog_{language} | reverse -%}}{{{{ post.url }}}}{{%- endfor -%}}\n"),
            );
        }
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.collection.as_deref(), Some("blog_en"));
        write(
            "eleventy.config.js",
            "export default function () { return { dir: { input: 'src' } }; }\n",
        );
        let first = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(first.collection.as_deref(), Some("blog_ar"));
    }

    /// An HTML page rendered as the feed (equk.co.uk's `atom/atom.html`),
    /// keeping the collection's last ten; a page about the feeds is none.
    #[test]
    fn an_eleventy_feed_template_written_as_html() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "eleventy.config.js",
            "export default function () { return { htmlTemplateEngine: 'njk', dir: { input: 'src', output: 'dist' } }; }\n",
        );
        write(
            "src/feeds.html",
            "<p>Subscribe: {{ collections.all | length }} pages</p>",
        );
        write(
            "src/atom/atom.html",
            "---\npermalink: /atom.xml\n---\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  {%- for post in collections.posts | head (-1 * 10) | reverse %}<entry></entry>{%- endfor %}\n</feed>\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.collection.as_deref(), Some("posts"));
        assert_eq!(imported.old_feed.as_deref(), Some("dist/atom.xml"));
        assert_eq!(imported.limit, Some(10));
    }

    #[test]
    fn an_eleventy_feed_templates_literal_limit() {
        let template = |text: &str| FeedTemplate {
            collection: Some("posts".into()),
            permalink: None,
            text: text.into(),
            front: Value::Null,
            package: Value::Null,
        };
        let limit = |text: &str| template(text).limit();
        assert_eq!(
            limit("{%- for post in collections.posts | reverse | limit(3) %}"),
            Some(3)
        );
        assert_eq!(
            limit("{% for post in collections.posts reversed limit: 7 %}"),
            Some(7)
        );
        assert_eq!(limit("{% for post in collections.posts reversed %}"), None);
        assert_eq!(
            limit("{%- set allPosts = collections.posts | reverse -%}\n<feed>{%- for post in allPosts.slice(0, 25) %}"),
            Some(25)
        );
        assert_eq!(
            limit(
                "{% set recent = collections.posts | reverse | head(5) %}{% for post in recent %}"
            ),
            Some(5)
        );
        assert_eq!(
            limit("{%- for post in collections.posts | head (-1 * 10) | reverse %}"),
            Some(10)
        );
        assert_eq!(
            limit("{%- for post in collections.posts | head(-7) | reverse %}"),
            Some(7)
        );
        let whole = |text: &str| template(text).lists_every_post();
        assert!(whole("{%- for post in collections.posts %}"));
        assert!(whole(
            "{% set all = collections.posts | reverse %}{% for post in all %}"
        ));
        assert!(!whole(
            "{% for post in collections.posts | reverse | head(3) %}"
        ));
        // The oldest ten are not the newest ten.
        assert_eq!(
            limit("{% for post in collections.posts | head(10) %}"),
            None
        );
        assert_eq!(
            limit("{% for post in (collections.posts | reverse).slice(0, 8) %}"),
            Some(8)
        );
    }

    /// A Jekyll site with `config` and a feed template writing each guid as
    /// `guid`, as `init` reads it.
    fn jekyll_feed_template_ids(config: &str, guid: &str) -> Imported {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "_config.yml", config);
        let template = format!("---\nlayout: null\n---\n<rss><channel>{{% for post in site.posts limit:10 %}}<item><guid isPermaLink=\"true\">{guid}</guid></item>{{% endfor %}}</channel></rss>\n");
        write_file(dir.path(), "feed.xml", &template);
        import(dir.path(), Generator::Jekyll).unwrap()
    }

    /// niamurrell's blog: `url` ends in a slash, which the template's
    /// concatenation doubles in every guid; readers know the entries so.
    #[test]
    fn a_jekyll_feed_templates_concatenated_ids() {
        let config = serde_json::json!({
            "url": "https://n.example.io/",
            "baseurl": "",
            "plain": "https://p.example.io",
        });
        let prefix = |id: &str| concatenated_address(id, "", &config);
        assert_eq!(
            prefix("{{ post.url | prepend: site.baseurl | prepend: site.url }}").as_deref(),
            Some("https://n.example.io/")
        );
        assert_eq!(
            prefix("{{ site.url }}{{ site.baseurl }}{{ post.url }}").as_deref(),
            Some("https://n.example.io/")
        );
        // Not concatenated (Jekyll's `absolute_url`, whose own doubled
        // slash `jekyll_absolute_url_prefix` gives), or without a doubled
        // slash: the site's address is the prefix already.
        assert_eq!(prefix("{{ post.url | absolute_url }}"), None);
        assert_eq!(prefix("{{ site.plain }}{{ post.url }}"), None);
        let imported = jekyll_feed_template_ids(
            "title: N\nurl: https://n.example.io/\n",
            "{{ post.url | prepend: site.baseurl | prepend: site.url }}",
        );
        assert_eq!(imported.id_format, Some("url"));
        assert_eq!(imported.id_prefix.as_deref(), Some("https://n.example.io/"));
        assert!(render_config(&imported, "2026-12-07")
            .contains("id_prefix = \"https://n.example.io/\"\n"));
    }

    /// anamartins' blog: the feed plugin's base has a path, which
    /// `htmlBaseUrl` drops before a page's URL from the host.
    #[test]
    fn an_eleventy_feeds_base_path_gives_way_to_the_pages_url() {
        let mut imported = Imported {
            base_url: Some("https://a.github.io/blog/".into()),
            ..Imported::default()
        };
        eleventy_base_origin(None, &mut imported);
        assert_eq!(imported.base_url.as_deref(), Some("https://a.github.io/"));
        // A template concatenating the two keeps it.
        let template = FeedTemplate {
            collection: None,
            permalink: None,
            text: "<link>{{ metadata.url }}{{ post.url }}</link>".into(),
            front: Value::Null,
            package: Value::Null,
        };
        let mut kept = Imported {
            base_url: Some("https://a.github.io/blog/".into()),
            ..Imported::default()
        };
        eleventy_base_origin(Some(&template), &mut kept);
        assert_eq!(kept.base_url.as_deref(), Some("https://a.github.io/blog/"));
    }

    /// Eleventy Blog Starter Theme titles an entry by `h1Title`, else `title`.
    #[test]
    fn an_eleventy_feed_titled_by_the_first_key_set() {
        let mut imported = Imported::default();
        eleventy_entry_title_keys(
            "{%- for post in collections.posts | reverse %}<entry><title>{{ post.data.h1Title or post.data.title }}</title></entry>{% endfor %}",
            &mut imported,
        );
        assert_eq!(
            imported.title_keys.as_deref(),
            Some(&["h1Title".to_string(), "title".to_string()][..])
        );
        assert!(
            render_config(&imported, "2026-12-07").contains("title = [\"h1Title\", \"title\"]\n")
        );
        let mut plain = Imported::default();
        eleventy_entry_title_keys("<title>{{ post.data.title }}</title>", &mut plain);
        assert_eq!(plain.title_keys, None);
    }

    /// shahnawaz-pabon's site: `url` ends in a slash, which Jekyll's
    /// `absolute_url` doubles (measured with Debian's Jekyll 4.3:
    /// `https://n.example.io//b/2024/01/02/a.html`), in jekyll-feed's ids
    /// and in a template's `{{ post.url | absolute_url }}` alike.
    #[test]
    fn jekyll_absolute_urls_double_the_slash_a_url_ends_in() {
        let prefix = |config: serde_json::Value| jekyll_absolute_url_prefix(&config);
        assert_eq!(
            prefix(serde_json::json!({"url": "https://n.example.io/", "baseurl": "b/"})).as_deref(),
            Some("https://n.example.io//b")
        );
        assert_eq!(
            prefix(serde_json::json!({"url": "https://n.example.io/"})).as_deref(),
            Some("https://n.example.io/")
        );
        assert_eq!(
            prefix(serde_json::json!({"url": "https://n.example.io"})),
            None
        );
        let dir = tempfile::tempdir().unwrap();
        let config = "title: N\nurl: https://n.example.io/\nbaseurl: /b\nplugins: [jekyll-feed]\n";
        write_file(dir.path(), "_config.yml", config);
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(
            imported.id_prefix.as_deref(),
            Some("https://n.example.io//b")
        );
        let own = jekyll_feed_template_ids(config, "{{ post.url | absolute_url }}");
        assert_eq!(own.id_format, Some("url"));
        assert_eq!(own.id_prefix.as_deref(), Some("https://n.example.io//b"));
    }

    /// FeydakinJedi's blog keeps both `_data/metadata.json` and
    /// `_data/metadata.js`: Eleventy's templates see the JavaScript one.
    #[test]
    fn an_eleventy_global_data_file_in_javascript_wins_over_json() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            ".eleventy.js",
            "module.exports = function () {};\n",
        );
        write_file(
            dir.path(),
            "_data/metadata.json",
            "{\"title\": \"From JSON\", \"url\": \"https://json.example.com\"}",
        );
        write_file(
            dir.path(),
            "_data/metadata.js",
            "module.exports = { title: \"From JavaScript\", url: \"https://js.example.com\" };\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.title.as_deref(), Some("From JavaScript"));
        assert_eq!(imported.base_url.as_deref(), Some("https://js.example.com"));
    }

    /// Applehand's eleventy-site names itself in `_data/site.json` with
    /// `name`, as many sites do, and has no `title`.
    #[test]
    fn an_eleventy_site_named_in_its_site_data() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            ".eleventy.js",
            "module.exports = function () { return { dir: { input: \"src\" } }; };\n",
        );
        write_file(
            dir.path(),
            "src/_data/site.json",
            "{\"name\": \"Kelp Notes\", \"url\": \"https://kelp.example.com\"}",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Kelp Notes"));
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://kelp.example.com")
        );
    }

    /// eleventy-libdoc's feed: its address and author from global data that
    /// reads the site's `settings.json`, the author a default where the
    /// value is `false`.
    #[test]
    fn an_eleventy_feed_takes_its_author_and_address_from_settings() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            "eleventy.config.js",
            "export default function (c) {}\n",
        );
        let settings = |author: &str| {
            write_file(
                dir.path(),
                "settings.json",
                &format!("{{ \"productionUrl\": \"https://notes.example.com\"{author} }}"),
            );
        };
        write_file(
            dir.path(),
            "_data/libdocConfig.js",
            "const userConfig = require(\"../settings.json\");\nexport default {\n  siteTitle: userConfig.siteTitle ?? \"Blog\",\n  productionUrl: userConfig.productionUrl ?? \"https://x.example\",\n  blogAuthor: userConfig.blogAuthor ?? false,\n};\n",
        );
        write_file(
            dir.path(),
            "core/feed.njk",
            "---\npermalink: feed.xml\n---\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{{ libdocConfig.siteTitle }}</title>\n<id>{{ libdocConfig.productionUrl }}{{ page.url }}</id>\n<author>\n<name>\n{%- if libdocConfig.blogAuthor == false -%}\n11ty LibDoc\n{%- else -%}\n{{ libdocConfig.blogAuthor }}\n{%- endif -%}\n</name>\n</author>\n{%- for post in collections.post | reverse %}<entry></entry>{%- endfor %}\n</feed>\n",
        );
        settings(", \"blogAuthor\": \"Ada Quill\"");
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Blog"));
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://notes.example.com")
        );
        assert_eq!(imported.author.as_deref(), Some("Ada Quill"));
        settings("");
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.author.as_deref(), Some("11ty LibDoc"));
    }

    /// veryfaraway's blog: its folders come from a theme package, spread
    /// into `dir`; `init` says it read `.` and what to set.
    #[test]
    fn eleventy_folders_spread_from_code_are_named() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            ".eleventy.js",
            "module.exports = function (c) {\n  const base = theme(c);\n  return { ...base, dir: { ...base.dir, includes: \"_includes\" } };\n};\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert!(
            imported
                .notes
                .iter()
                .any(|n| n.contains("`dir` takes the folders `...base.dir` computes")),
            "{:?}",
            imported.notes
        );
    }

    /// adnathanail's ants-blog-11ty: a feed paged by Eleventy's
    /// pagination, its first page's address computed in `---js` front
    /// matter; an `output:` of a markdown-it plugin's options, which is no
    /// folder; the address from `process.env.URL` with no fallback.
    #[test]
    fn an_eleventy_feed_paged_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            "eleventy.config.js",
            "export default async function (eleventyConfig) {\n  eleventyConfig.addPlugin(rssPlugin);\n  eleventyConfig.amendLibrary(\"md\", md => md.use(katex, { output: \"htmlAndMathml\" }));\n}\nexport const config = {\n  dir: { input: \"src/content\", includes: \"../_includes\", data: \"../_data\" },\n};\n",
        );
        write_file(
            dir.path(),
            "src/_data/metadata.js",
            "export default {\n  title: \"Ants\",\n  url: process.env.URL,\n};\n",
        );
        write_file(
            dir.path(),
            "src/content/rss/rss.njk",
            "---js\nconst layout = false;\nconst pagination = {\n  data: \"collections.posts\",\n  size: 10,\n  alias: \"postslist\",\n  reverse: true,\n};\nconst eleventyComputed = {\n  permalink: (data) =>\n    data.pagination.pageNumber === 0 ? \"/rss.xml\" : `/rss/page/${data.pagination.pageNumber + 1}.xml`,\n};\n---\n<feed xmlns=\"http://www.w3.org/2005/Atom\">{% for post in postslist %}<entry></entry>{% endfor %}</feed>\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.limit, Some(10));
        assert_eq!(imported.old_feed.as_deref(), Some("_site/rss.xml"));
        assert_eq!(imported.output_dir.as_deref(), Some("_site/feeds"));
        assert_eq!(imported.content_dir.as_deref(), Some("src/content"));
        assert_eq!(imported.collection.as_deref(), Some("posts"));
        assert_eq!(imported.base_url, None);
        assert_eq!(imported.base_url_env.as_deref(), Some("URL"));
        assert!(
            imported
                .notes
                .iter()
                .any(|n| n.contains("the site's feed is paged, 10 entries to a page")),
            "{:?}",
            imported.notes
        );
        // Oldest first, its first page is no newest ten.
        let template = dir.path().join("src/content/rss/rss.njk");
        let text = std::fs::read_to_string(&template).unwrap();
        std::fs::write(&template, text.replace("reverse: true", "reverse: false")).unwrap();
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.limit, Some(0));
    }

    use crate::test_files::write_file;

    /// A Hugo site whose feed template is `text`, at `name` below `layouts/`.
    fn hugo_site_with_feed_template(name: &str, text: &str) -> tempfile::TempDir {
        let dir = hugo_site("baseURL = 'https://h.example.org/'\ntitle = 'H'\n");
        write_file(dir.path(), &format!("layouts/{name}"), text);
        dir
    }

    /// Fails, showing every note, unless one of `imported`'s notes holds
    /// `text`.
    fn assert_noted(imported: &Imported, text: &str) {
        let notes = imported.notes.join("\n");
        assert!(notes.contains(text), "{text:?} in:\n{notes}");
    }

    fn hugo_site(config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hugo.toml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("content/posts")).unwrap();
        dir
    }

    /// Where the generator writes a file, as the `check --against` line
    /// names it: `destination: ./_site` (sighingnow/jekyll-gitbook) is `_site`.
    #[test]
    fn built_paths_read_as_written_once() {
        assert_eq!(built("./_site", "feed.xml"), "_site/feed.xml");
        assert_eq!(built("_site/", "/feed.xml"), "_site/feed.xml");
        assert_eq!(built(".", "feed.xml"), "feed.xml");
        assert_eq!(built("./", "feed.xml"), "feed.xml");
        assert_eq!(built("../out", "atom.xml"), "../out/atom.xml");
    }

    /// maxwellantonucci.com's feed template: written where its data's
    /// `feed.path` says through Eleventy's `url` filter, dated by one
    /// collection and listing another, which the config makes of the
    /// newest 50 posts.
    #[test]
    fn an_eleventy_feed_templates_loop_names_its_collection() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            "eleventy.config.js",
            "module.exports = function (eleventyConfig) {\n  eleventyConfig.addPlugin(require(\"@11ty/eleventy-plugin-rss\"));\n  eleventyConfig.addCollection('feed', function (collection) {\n    const all = [...collection.getFilteredByGlob('./posts/*.md')].sort(byDate);\n    return all.filter(shown).slice(Math.max(all.length - 50, 1)).reverse();\n  });\n  return { dir: { input: \".\" } };\n};\n",
        );
        write_file(
            dir.path(),
            "_data/metadata.json",
            "{\"title\": \"M\", \"url\": \"https://m.example.net/\", \"feed\": {\"path\": \"/rss.xml\"}}\n",
        );
        write_file(
            dir.path(),
            "feed/feed.njk",
            "---\npermalink: \"{{ metadata.feed.path | url }}\"\neleventyExcludeFromCollections: true\n---\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<updated>{{ collections.posts | rssLastUpdatedDate }}</updated>\n{%- for post in collections.feed | reverse %}\n<entry></entry>\n{%- endfor %}\n</feed>\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.old_feed.as_deref(), Some("_site/rss.xml"));
        // Its collection, made of files by path, keeps the newest 50.
        assert_eq!(imported.collection_files, ["posts/*.md"]);
        assert_eq!(imported.limit, Some(50));
        let notes = imported.notes.join("\n");
        assert!(notes.contains("keeps only the newest 50"), "{notes}");
        assert!(!notes.contains("no literal feed `limit`"), "{notes}");
    }

    /// m1rp/11ty-blog's feed template lists `collections.posts`, then
    /// `collections.til`, each made of files by the config: both are posts.
    /// A second collection gazette cannot read as files is named by a note.
    #[test]
    fn an_eleventy_feed_template_listing_two_collections_lists_both() {
        let dir = tempfile::tempdir().unwrap();
        let config = |til: &str| {
            format!("module.exports = function (eleventyConfig) {{\n  eleventyConfig.addPlugin(require(\"@11ty/eleventy-plugin-rss\"));\n  eleventyConfig.addCollection(\"posts\", c => [...c.getFilteredByGlob(\"src/posts/*.md\").reverse()]);\n  eleventyConfig.addCollection(\"til\", c => {til});\n  return {{ dir: {{ input: \"src\" }} }};\n}};\n")
        };
        write_file(
            dir.path(),
            ".eleventy.js",
            &config("[...c.getFilteredByGlob(\"src/til/*.md\").reverse()]"),
        );
        write_file(
            dir.path(),
            "src/feed.njk",
            "---\npermalink: feed.xml\n---\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n{%- for post in collections.posts %}<entry></entry>{%- endfor %}\n{%- for til in collections.til %}<entry></entry>{%- endfor %}\n</feed>\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.collection_files, ["posts/*.md", "til/*.md"]);
        assert!(imported.also_listed.is_empty());
        write_file(
            dir.path(),
            ".eleventy.js",
            &config("c.getAll().filter(isTil)"),
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.collection_files, ["posts/*.md"]);
        assert_noted(
            &imported,
            "lists the `posts` collection and then `til` in loops of their own",
        );
    }

    /// connectshark/11ty-blog adds the RSS plugin's filters (its default
    /// export, no `feedPlugin`) and has no feed template: no feed, so no
    /// `check --against` line naming a file Eleventy never writes.
    #[test]
    fn the_rss_plugins_filters_alone_are_no_feed() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            ".eleventy.js",
            "const pluginRss = require('@11ty/eleventy-plugin-rss');\nmodule.exports = function (c) {\n  c.addPlugin(pluginRss);\n  return { dir: { input: 'src', output: 'dist' } };\n};\n",
        );
        write_file(
            dir.path(),
            "src/posts/a.md",
            "---\ntitle: A\ndate: 2024-01-02\n---\nA.\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.old_feed, None);
        assert_noted(
            &imported,
            "no feed of its own (the RSS plugin's filters alone, without `feedPlugin`, write none",
        );
    }

    /// Newman5/11ty-blog-2026 sorts its collection newest first and the
    /// feed plugin reverses it: its feed holds the oldest ten, which a note
    /// says, gazette keeping the newest.
    #[test]
    fn an_eleventy_collection_sorted_newest_first_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            "eleventy.config.js",
            "import { feedPlugin } from \"@11ty/eleventy-plugin-rss\";\nexport default function (eleventyConfig) {\n  eleventyConfig.addCollection(\"posts\", function (collectionApi) {\n    return collectionApi.getFilteredByGlob(\"src/posts/*.md\")\n      .sort((a, b) => b.date - a.date);\n  });\n  eleventyConfig.addPlugin(feedPlugin, { type: \"atom\", outputPath: \"/feed.xml\", collection: { name: \"posts\", limit: 10 } });\n  return { dir: { input: \"src\" } };\n}\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.collection_files, ["posts/*.md"]);
        assert_noted(
            &imported,
            "the `posts` collection is sorted newest first in the config's code",
        );
        // Oldest first is no note.
        write_file(
            dir.path(),
            "eleventy.config.js",
            "import { feedPlugin } from \"@11ty/eleventy-plugin-rss\";\nexport default function (eleventyConfig) {\n  eleventyConfig.addCollection(\"posts\", function (collectionApi) {\n    return collectionApi.getFilteredByGlob(\"src/posts/*.md\")\n      .sort((a, b) => a.date - b.date);\n  });\n  eleventyConfig.addPlugin(feedPlugin, { type: \"atom\", outputPath: \"/feed.xml\", collection: { name: \"posts\", limit: 10 } });\n  return { dir: { input: \"src\" } };\n}\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert!(!imported.notes.join("\n").contains("sorted newest first"));
    }

    /// Jekyll-Bootstrap's `atom.xml`: no `url`, the address in
    /// `production_url`, which each entry's link starts with.
    #[test]
    fn a_jekyll_feed_template_gives_the_address_its_entries_start_with() {
        let dir = tempfile::tempdir().unwrap();
        write_file(
            dir.path(),
            "_config.yml",
            "title: Reeds\nproduction_url: http://www.reeds.example.net\nplain: not-an-address\n",
        );
        let template = |setting: &str| {
            format!("---\nlayout: nil\n---\n<feed>\n <link href=\"{{{{ site.{setting} }}}}\"/>\n {{% for post in site.posts %}}\n <entry>\n   <link href=\"{{{{ site.{setting} }}}}{{{{ post.url }}}}\"/>\n   <id>{{{{ site.{setting} }}}}{{{{ post.id }}}}</id>\n </entry>\n {{% endfor %}}\n</feed>\n")
        };
        write_file(dir.path(), "atom.xml", &template("production_url"));
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(
            imported.base_url.as_deref(),
            Some("http://www.reeds.example.net")
        );
        // A setting that is no address is no site address.
        write_file(dir.path(), "atom.xml", &template("plain"));
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(imported.base_url, None);
        assert!(!imported.notes.iter().any(|n| n.contains("byte order mark")));
        // A config that begins with a byte order mark (hh54188's), which
        // Jekyll 4.3 reads only the first key of: gazette reads it whole,
        // and says so.
        write_file(
            dir.path(),
            "_config.yml",
            "\u{feff}encoding: UTF-8\nurl: https://bom.example.net\n",
        );
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://bom.example.net/")
        );
        assert!(
            imported.notes.iter().any(|n| n.contains("byte order mark")),
            "{:?}",
            imported.notes
        );
    }

    #[test]
    fn zola_languages_old_and_new_name_the_translations() {
        let with = |config: &str| {
            let dir = tempfile::tempdir().unwrap();
            let text = format!("base_url = 'https://q.example.org'\ntitle = 'Q'\n{config}");
            std::fs::write(dir.path().join("config.toml"), text).unwrap();
            import(dir.path(), Generator::Zola).unwrap()
        };
        let both = Some(("en".to_string(), vec!["de".to_string(), "fr".to_string()]));
        let neither = with("[languages.fr]\ntitle = 'F'\n[languages.de]\n");
        assert_eq!(neither.translations, both);
        // Neither language has feeds of its own: none is written.
        assert!(neither.language_feeds.is_empty());
        assert_eq!(
            neither.language_titles.get("fr").map(String::as_str),
            Some("F")
        );
        let one = with(
            "default_language = 'de'\nfeed_filenames = ['rss.xml']\nlanguages = [{ code = 'de' }, { code = 'fr', generate_feeds = true }]\n",
        );
        assert_eq!(
            one.translations,
            Some(("de".to_string(), vec!["fr".to_string()]))
        );
        // A language's own feed file is Zola's default, not the main one's.
        assert_eq!(
            one.language_feeds,
            [("fr".to_string(), Some("public/fr/atom.xml".to_string()))]
        );
        let notes = one.notes.join("\n");
        assert!(
            notes.contains("the main feeds are the de ones, and each language with feeds of its own gets them as Zola writes public/fr/atom.xml"),
            "{notes}"
        );
        assert_eq!(with("").translations, None);
        // A language's own taxonomies: their feeds in its folder, with its
        // own feed file; a name gazette cannot give a folder is a note. A
        // language without a feed of its own still has its terms' feeds.
        let own = with(
            "taxonomy_root = 'topics'\n[languages.fr]\ngenerate_feeds = true\nfeed_filenames = ['rss.xml']\ntaxonomies = [{ name = 'tags', feed = true }, { name = 'Thèmes', feed = true }, { name = 'series' }]\n[languages.de]\ntaxonomies = [{ name = 'tags', feed = true }]\n",
        );
        let at = ("public/fr/topics/tags/".to_string(), "/rss.xml".to_string());
        assert_eq!(
            own.language_taxonomies.get("fr"),
            Some(&vec![("tags".to_string(), at)])
        );
        let notes = own.notes.join("\n");
        assert!(notes.contains("`fr` language's `Thèmes`"), "{notes}");
        assert_eq!(
            own.language_taxonomies.get("de"),
            Some(&vec![(
                "tags".to_string(),
                (
                    "public/de/topics/tags/".to_string(),
                    "/atom.xml".to_string()
                )
            )])
        );
        assert_eq!(own.language_feeds[0], ("de".to_string(), None));
        assert!(
            notes.contains("the `de` language has no feed of its own at Zola"),
            "{notes}"
        );
        let config = render_config(&own, "2026-01-01");
        assert!(config.contains("feeds = [\"de\", \"fr\"]"), "{config}");
        assert!(!config.contains("--against public/de/atom.xml"), "{config}");
    }

    /// mnt.io's config has no `title`; its feed template writes one.
    #[test]
    fn a_zola_feed_templates_literal_title_stands_in_for_the_configs() {
        let dir = tempfile::tempdir().unwrap();
        let site = |config: &str, template: &str| {
            let text =
                format!("base_url = 'https://q.example.org'\ngenerate_feeds = true\n{config}");
            std::fs::write(dir.path().join("config.toml"), text).unwrap();
            write_file(dir.path(), "templates/atom.xml", template);
            import(dir.path(), Generator::Zola).unwrap()
        };
        let literal = "<feed><title>mnt.io\n  {%- if term %} - {{ term.name }}{%- endif -%}\n  </title>{% for page in pages %}<entry><title>{{ page.title }}</title>{{ page.content }}</entry>{% endfor %}</feed>";
        assert_eq!(site("", literal).title.as_deref(), Some("mnt.io"));
        // The config's own wins; an expression is no literal title.
        assert_eq!(site("title = 'Q'\n", literal).title.as_deref(), Some("Q"));
        let expression = "<feed><title>{{ config.title }}</title></feed>";
        assert_eq!(site("", expression).title, None);
    }

    #[test]
    fn zola_author_is_configs_author_and_a_path_is_no_date() {
        let dir = tempfile::tempdir().unwrap();
        let site = |config: &str| {
            let text = format!("base_url = 'https://q.example.org'\ntitle = 'Q'\n{config}");
            std::fs::write(dir.path().join("config.toml"), text).unwrap();
            import(dir.path(), Generator::Zola).unwrap()
        };
        let named = site("author = 'Ana'\n[extra]\nauthor = 'Theme'\n");
        assert_eq!(named.author.as_deref(), Some("Ana"));
        // Without `generate_feeds` Zola writes no feed: nothing to compare.
        assert_eq!(named.old_feed, None);
        assert!(
            named
                .notes
                .iter()
                .any(|n| n.contains("sets no `generate_feeds`")),
            "{:?}",
            named.notes
        );
        let off = site("generate_feeds = false\n");
        assert!(
            off.notes
                .iter()
                .any(|n| n.contains("sets `generate_feeds = false`")),
            "{:?}",
            off.notes
        );
        let fed = site("generate_feeds = true\nfeed_filenames = ['rss.xml']\n");
        assert_eq!(fed.old_feed.as_deref(), Some("public/rss.xml"));
        let before_0_19 = site("generate_feed = true\n");
        assert_eq!(before_0_19.old_feed.as_deref(), Some("public/atom.xml"));
        // Zola's feeds do not read the theme's `extra.author`: init says so.
        let theme_only = site("[extra]\nauthor = 'Theme'\n");
        assert_eq!(theme_only.author, None);
        assert!(
            theme_only
                .notes
                .iter()
                .any(|n| n.contains("extra.author = \"Theme\"")),
            "{:?}",
            theme_only.notes
        );
        std::fs::create_dir_all(dir.path().join("content/blog")).unwrap();
        std::fs::write(
            dir.path().join("content/blog/x.md"),
            "+++\ntitle = 'X'\npath = '2026/03/26/x'\n+++\n",
        )
        .unwrap();
        let notes = site("").notes.join("\n");
        assert!(
            notes.contains(
                "content/blog/x.md has no `date`, only a dated `path`: Zola leaves it out"
            ),
            "{notes}"
        );
    }

    #[test]
    fn a_zola_sites_own_feed_template_is_named_with_what_it_skips_by() {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "config.toml", "base_url = 'https://q.example.org'\ntitle = 'Q'\ntheme = 't'\nfeed_filenames = ['rss.xml']\n");
        let notes = || {
            import(dir.path(), Generator::Zola)
                .unwrap()
                .notes
                .join("\n")
        };
        assert!(!notes().contains("own feed template"));
        // The theme's, as Zola looks there after the site's own templates.
        let templates = dir.path().join("themes/t/templates");
        write_file(&templates, "rss.xml", "{% for page in pages %}{% if page.extra.unlisted %}{% continue %}{% endif %}{% if macros::setting(setting=\"hide_from_feed\", page=page) %}{%- continue -%}{% endif %}<item>{{ page.summary }}</item>{% endfor %}");
        let imported = import(dir.path(), Generator::Zola).unwrap();
        let notes = imported.notes.join("\n");
        // `page.extra.unlisted` alone: gazette leaves those pages out too.
        assert_eq!(imported.skip_keys, ["extra.unlisted"]);
        assert!(imported.section_keys.is_empty());
        assert!(
            notes.contains("themes/t/templates/rss.xml, the site's own feed template, leaves out a page whose `[extra]` sets `unlisted = true`: so does gazette"),
            "{notes}"
        );
        // A macro gazette cannot read (none imported): named, not followed.
        assert!(
            notes.contains("themes/t/templates/rss.xml, the site's own feed template, leaves pages out by `hide_from_feed`, which gazette does not evaluate"),
            "{notes}"
        );
        assert!(notes.contains("writes no page's `page.content`"), "{notes}");
        // tabi's form: a macro reading the page's setting, else its
        // section's, else the config's; and one for the main feed alone,
        // which gazette cannot follow.
        write_file(&templates, "macros/settings.html", "{% macro evaluate(setting, page, default_global_value=\"\") %}{%- set current_section = get_section(path=page.ancestors | last) -%}{%- set order = [page.extra[setting] | default(value=\"\"), current_section.extra[setting] | default(value=\"\"), config.extra[setting] | default(value=\"\")] -%}{% endmacro %}");
        write_file(&templates, "rss.xml", "{%- import \"macros/settings.html\" as macros_settings -%}{% for page in pages %}\n{%- if macros_settings::evaluate(setting=\"hide_from_feed\", page=page, default_global_value=false) == \"true\" -%}\n    {%- continue -%}\n{%- endif -%}\n{%- if macros_settings::evaluate(setting=\"hide_from_main_feed\", page=page) == \"true\"\n     and not section\n     and not term -%}\n    {%- continue -%}\n{%- endif -%}{%- if macros_settings::evaluate(setting=\"hide_from_section\", page=page) == \"true\" and section -%}{%- continue -%}{%- endif -%}<item>{{ page.content }}</item>{% endfor %}");
        write_file(dir.path(), "config.toml", "base_url = 'https://q.example.org'\ntitle = 'Q'\ntheme = 't'\nfeed_filenames = ['rss.xml']\n[extra]\nhide_from_feed = true\n");
        let imported = import(dir.path(), Generator::Zola).unwrap();
        let notes = imported.notes.join("\n");
        assert_eq!(imported.skip_keys, ["extra.hide_from_feed"]);
        assert_eq!(imported.skip_main_keys, ["extra.hide_from_main_feed"]);
        assert_eq!(
            imported.section_keys,
            ["extra.hide_from_feed", "extra.hide_from_main_feed"]
        );
        assert!(
            notes.contains("leaves out a page whose `[extra]` sets `hide_from_feed = true` or, where the page does not set it, its section's `_index.md`: so does gazette"),
            "{notes}"
        );
        assert!(
            notes.contains("the config's `extra.hide_from_feed = true` is what themes/t/templates/rss.xml takes where neither page nor section sets it"),
            "{notes}"
        );
        assert!(
            notes.contains("leaves out of its main feed (not of its sections' and terms' feeds) a page whose `[extra]` sets `hide_from_main_feed = true` or, where the page does not set it, its section's `_index.md`: so does gazette"),
            "{notes}"
        );
        // A condition of another kind is named, not followed.
        assert!(
            notes.contains(
                "leaves pages out by `hide_from_section`, which gazette does not evaluate"
            ),
            "{notes}"
        );
        let written = render_config(&imported, "2025-01-01");
        assert!(
            written.contains("skip_if_key = [\"extra.hide_from_feed\"]\n")
                && written.contains("skip_main_if_key = [\"extra.hide_from_main_feed\"]\n")
                && written.contains(
                    "from_section = [\"extra.hide_from_feed\", \"extra.hide_from_main_feed\"]\n"
                ),
            "{written}"
        );
    }

    /// A feed template that dates pages by their `path`, keeps the newest
    /// N by `break` and takes its title from the section, as
    /// blog.rust-lang.org's does: `init` follows each; `section.pages` is
    /// named, not followed.
    #[test]
    fn a_zola_feed_template_dating_pages_by_path_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "config.toml", "base_url = 'https://q.example.org'\ngenerate_feeds = true\nfeed_filenames = ['feed.xml']\n");
        write_file(dir.path(), "templates/feed.xml", "{% set section = get_section(path=\"_index.md\") -%}\n<feed><title>{{ section.title }}</title>\n{% for page in section.pages | reverse %}\n{%- set n = page.components | length %}<entry><published>{{ page.components | nth(n=n - 4) }}-{{ page.components | nth(n=n - 3) }}-{{ page.components | nth(n=n - 2) }}T00:00:00+00:00</published>{{ page.content }}</entry>\n{%- if loop.index == 10 %}{% break %}{% endif %}\n{%- endfor %}</feed>");
        write_file(
            dir.path(),
            "content/_index.md",
            "+++\ntitle = \"Quarry Journal\"\nsort_by = \"permalink\"\n+++\n",
        );
        write_file(
            dir.path(),
            "content/first.md",
            "+++\npath = \"2025/06/26/first\"\ntitle = \"First\"\n+++\n",
        );
        let imported = import(dir.path(), Generator::Zola).unwrap();
        let notes = imported.notes.join("\n");
        assert_eq!(imported.limit, Some(10));
        assert!(imported.dates_from_path, "{notes}");
        assert_eq!(imported.title.as_deref(), Some("Quarry Journal"));
        assert!(!notes.contains("only a dated `path`"), "{notes}");
        assert!(
            notes.contains("lists `section.pages` of the root section, its own pages and those of `transparent` sections below it"),
            "{notes}"
        );
        assert_eq!(imported.main_sections, ["/"]);
        let written = render_config(&imported, "2025-01-01");
        assert!(
            written
                .contains("date_from = { key = \"path\", pattern = \"{year}/{month}/{day}/\" }\n")
                && written.contains("limit = 10\n")
                && written.contains("title = \"Quarry Journal\"\n"),
            "{written}"
        );
        // `feed_limit` lower than the template's wins, as it cuts `pages`.
        write_file(dir.path(), "config.toml", "base_url = 'https://q.example.org'\ngenerate_feeds = true\nfeed_filenames = ['feed.xml']\nfeed_limit = 5\n");
        assert_eq!(import(dir.path(), Generator::Zola).unwrap().limit, Some(5));
    }

    #[test]
    fn zola_taxonomies_with_feeds_become_gazettes_own() {
        let with = |config: &str| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join("config.toml"),
                format!("base_url = 'https://q.example.org'\ntitle = 'Q'\n{config}"),
            )
            .unwrap();
            import(dir.path(), Generator::Zola).unwrap()
        };
        let all = with(
            "output_dir = 'site'\nfeed_filenames = ['rss.xml', 'atom.xml']\ntaxonomy_root = 'topics'\ntaxonomies = [{ name = 'tags', rss = true }, { name = 'categories', feed = true }, { name = 'series', feed = true }, { name = 'authors', feed = true, render = false }, { name = 'stages' }, { name = 'Key People', feed = true }]\n",
        );
        let at = |taxonomy: &str| (format!("site/topics/{taxonomy}/"), "/rss.xml".to_string());
        // `rss`, the key of Zola before 0.11, beside keys of later Zola:
        // no feeds of tags, as Zola 0.11 and later write none.
        assert!(all.tag_feeds.is_none(), "{:?}", all.tag_feeds);
        assert_eq!(all.all_category_feeds, Some(at("categories")));
        // Not `authors`, which Zola does not render, nor `stages`, without feeds.
        assert_eq!(all.taxonomy_feeds, [("series".to_string(), at("series"))]);
        let notes = all.notes.join("\n");
        assert!(
            notes.contains("Zola also writes a feed of each term of `Key People`"),
            "{notes}"
        );
        assert!(
            notes.contains("taxonomy `tags` sets `rss = true`, the key Zola read before 0.11"),
            "{notes}"
        );
        // A config of Zola before 0.11: `rss` is its taxonomies' feed key,
        // and its one feed file `rss.xml`.
        let old = with("generate_rss = true\ntaxonomies = [{ name = 'tags', rss = true }]\n");
        let tags = old
            .tag_feeds
            .clone()
            .expect("tags' feeds, by the old `rss` key");
        assert_eq!(
            (tags.prefix.as_str(), tags.suffix.as_str()),
            ("public/tags/", "/rss.xml")
        );
        assert_eq!(old.old_feed.as_deref(), Some("public/rss.xml"));
        assert!(!old.notes.join("\n").contains("rss = true"));
        // Sections whose `_index.md` sets `generate_feeds`, the home page not.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "base_url = 'https://q.example.org'\n",
        )
        .unwrap();
        for (folder, front) in [
            ("", "generate_feeds = true"),
            ("blog", "generate_feeds = true"),
            ("blog/old", "generate_feed = true"),
            ("notes", "title = 'N'"),
        ] {
            let folder = dir.path().join("content").join(folder);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("_index.md"), format!("+++\n{front}\n+++\n")).unwrap();
        }
        let sections = import(dir.path(), Generator::Zola).unwrap();
        assert_eq!(sections.section_only, ["blog", "blog/old"]);
        let written = render_config(&sections, "2025-01-01");
        assert!(
            written.contains("#   gazette check --against public/blog/atom.xml --section blog\n#   gazette check --against public/blog/old/atom.xml --section blog/old\nper_section = true\nper_section_only = [\"blog\", \"blog/old\"]\n"),
            "{written}"
        );
        let none = with("taxonomies = [{ name = 'tags' }]\n");
        assert_eq!(none.section_feeds, None);
        assert_eq!((none.tag_feeds, none.all_category_feeds), (None, None));
        assert!(none.taxonomy_feeds.is_empty());
    }

    #[test]
    fn hugo_feeds_of_sections_and_tag_terms_become_gazettes_own() {
        let with = |config: &str| {
            let dir = hugo_site(&format!(
                "baseURL = 'https://blog.example.net/'\ntitle = 'T'\n{config}"
            ));
            import(dir.path(), Generator::Hugo).unwrap()
        };
        let plain = with("");
        assert_eq!(
            plain.tag_feeds,
            Some(TagFeeds {
                only: vec![],
                except: vec![],
                prefix: "public/tags/".into(),
                suffix: "/index.xml".into(),
            })
        );
        assert_eq!(
            plain.section_feeds,
            Some(("public/".to_string(), "/index.xml".to_string()))
        );
        assert_eq!(
            plain.all_category_feeds,
            Some(("public/categories/".to_string(), "/index.xml".to_string()))
        );
        assert!(
            !plain.notes.iter().any(|n| n.contains("also writes")),
            "{:?}",
            plain.notes
        );
        // Other taxonomies are `per_taxonomy`; one whose name is no plain
        // word is named in a note.
        let series = with("[taxonomies]\ntag = 'tags'\nseries = 'Series'\nx = 'Key People'\n");
        assert_eq!(series.all_category_feeds, None);
        assert_eq!(
            series.taxonomy_feeds,
            [(
                "series".to_string(),
                ("public/series/".to_string(), "/index.xml".to_string())
            )]
        );
        let notes = series.notes.join("\n");
        assert!(notes.contains("each term of `key people`"), "{notes}");
        let written_series = render_config(&series, "2025-01-01");
        assert!(
            written_series.contains("#   gazette check --against public/series/SERIES/index.xml --term series=SERIES   (for each SERIES)\nper_taxonomy = [\"series\"]\n"),
            "{written_series}"
        );
        let written = render_config(&plain, "2025-01-01");
        assert!(
            written.contains("#   gazette check --against public/tags/TAG/index.xml --tag TAG   (for each TAG)\n"),
            "{written}"
        );
        // No tags taxonomy, or no term pages, or term pages without RSS.
        assert_eq!(with("[taxonomies]\nseries = 'series'\n").tag_feeds, None);
        assert_eq!(with("disableKinds = ['Term']\n").tag_feeds, None);
        let no_home_feed = with("[outputs]\nhome = ['HTML']\n");
        assert_eq!(no_home_feed.old_feed, None);
        assert!(no_home_feed.notes[0].contains("no feed of its own"));
        assert!(no_home_feed.tag_feeds.is_some());
        assert_eq!(with("disableKinds = ['RSS']\n").old_feed, None);
        assert!(with("[outputs]\nhome = ['HTML', 'rss']\n")
            .old_feed
            .is_some());
        assert_eq!(with("disableKinds = ['rss']\n").tag_feeds, None);
        assert_eq!(with("[outputs]\nterm = ['html']\n").tag_feeds, None);
        let written_sections = "#   gazette check --against public/SECTION/index.xml --section SECTION   (for each SECTION)\nper_section = true\n";
        assert!(written.contains(written_sections), "{written}");
        assert_eq!(with("disableKinds = ['section']\n").section_feeds, None);
        assert_eq!(with("[outputs]\nsection = ['html']\n").section_feeds, None);
        assert!(with("disableKinds = ['section']\n").tag_feeds.is_some());
        assert!(with("[outputs]\nterm = ['html', 'RSS']\n")
            .tag_feeds
            .is_some());
        // The default language in its own folder has its terms there too.
        let subdir = with("defaultContentLanguage = 'en'\ndefaultContentLanguageInSubdir = true\n[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n");
        assert_eq!(
            subdir.tag_feeds.map(|t| t.prefix),
            Some("public/en/tags/".into())
        );
        assert_eq!(
            subdir.language_feeds,
            [("fr".to_string(), Some("public/fr/index.xml".to_string()))]
        );
        // No home page feed (suntan6z's `home = ["HTML"]`): nor has any
        // language one to compare with.
        let sections_only = with("[outputs]\nhome = ['HTML']\nsection = ['HTML', 'RSS']\n[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n");
        assert_eq!(sections_only.language_feeds, [("fr".to_string(), None)]);
        assert!(sections_only.section_feeds.is_some());
    }

    #[test]
    fn a_relative_site_address_is_a_note_not_an_invalid_config() {
        let dir = hugo_site("baseURL = '/'\ntitle = 'Rel'\n");
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.base_url, None);
        assert!(
            imported
                .notes
                .iter()
                .any(|n| n.contains("\"/\" is not an absolute URL")),
            "{:?}",
            imported.notes
        );
        let written = render_config(&imported, "2025-01-01");
        let parsed =
            crate::config::Config::parse(&written, Path::new("gazette.toml"), dir.path().into());
        assert!(parsed.is_ok(), "{written}");
    }

    /// 0b11stan's blog: Jekyll with `url: ""` and a `CNAME`, which GitHub
    /// Pages serves it at; Hugo keeps the file in `static/`.
    #[test]
    fn a_github_pages_domain_is_the_address_a_config_leaves_out() {
        let dir = crate::generators::site_of(&[
            ("_config.yml", "title: T\nurl: \"\"\nbaseurl: /notes\n"),
            ("CNAME", "Blog.Example.NET\n"),
            ("_posts/2024-01-02-a.md", "---\ntitle: A\n---\n"),
        ]);
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://blog.example.net/notes/")
        );
        assert!(
            imported
                .notes
                .iter()
                .any(|n| n.contains("CNAME names the domain")),
            "{:?}",
            imported.notes
        );
        let hugo = hugo_site("baseURL = '/'\ntitle = 'Rel'\n");
        write_file(hugo.path(), "static/CNAME", "www.example.org");
        let imported = import(hugo.path(), Generator::Hugo).unwrap();
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://www.example.org/")
        );
        // Not a host name: nothing taken.
        write_file(hugo.path(), "static/CNAME", "see https://example.org\n");
        let imported = import(hugo.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.base_url, None);
    }

    #[test]
    fn hugo_feeds_carry_summaries_unless_the_sites_rss_template_writes_content() {
        let config = "baseURL = 'https://blog.example.net/'\ntitle = 'T'\ntheme = 'paper'\n";
        let dir = hugo_site(config);
        let embedded = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(embedded.full_content, Some(false));
        assert!(
            embedded
                .notes
                .iter()
                .any(|n| n.contains("built-in RSS template")),
            "{:?}",
            embedded.notes
        );
        assert!(render_config(&embedded, "2025-01-01").contains("\nfull_content = false\n"));
        // The theme's template, with the summary only.
        let theme = dir.path().join("themes/paper/layouts/_default");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::write(
            theme.join("rss.xml"),
            "<description>{{ .Summary }}</description>",
        )
        .unwrap();
        let themed = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(themed.full_content, Some(false));
        assert!(!themed
            .notes
            .iter()
            .any(|n| n.contains("built-in RSS template")));
        assert!(
            themed
                .notes
                .iter()
                .any(|n| n.contains("themes/paper/layouts/_default/rss.xml writes no")),
            "{:?}",
            themed.notes
        );
        // The site's own, ahead of the theme's, with the whole page.
        let own = dir.path().join("layouts");
        std::fs::create_dir_all(&own).unwrap();
        std::fs::write(
            own.join("index.rss.xml"),
            "<description>{{ .Content | html }}</description>",
        )
        .unwrap();
        assert_eq!(
            import(dir.path(), Generator::Hugo).unwrap().full_content,
            None
        );
    }

    /// hugo-theme-stack writes `.Content` where `params.RSSFullContent` is
    /// set, a summary elsewhere; the `else` of such a param is the other way.
    #[test]
    fn a_site_param_that_decides_the_feeds_content_is_read() {
        let stack = "{{- $content := .Summary -}}\n{{- if .Site.Params.RSSFullContent -}}\n{{- $content = .Content -}}\n{{- end -}}\n{{ with .ContentWithoutSummary }}{{ end }}";
        let with = |params: &str, template: &str| {
            let dir = hugo_site(&format!(
                "baseURL = 'https://blog.example.net/'\ntitle = 'T'\n[params]\n{params}"
            ));
            let layouts = dir.path().join("layouts");
            std::fs::create_dir_all(&layouts).unwrap();
            std::fs::write(layouts.join("rss.xml"), template).unwrap();
            import(dir.path(), Generator::Hugo).unwrap()
        };
        let set = with("rssFullContent = true\n", stack);
        assert_eq!(set.full_content, Some(true));
        let unset = with("description = 'd'\n", stack);
        assert_eq!(unset.full_content, Some(false));
        assert!(
            unset.notes.iter().any(|n| n.contains(
                "layouts/rss.xml writes a page's `.Content` only where `params.RSSFullContent` is set: it is not set, so `full_content = false`"
            )),
            "{:?}",
            unset.notes
        );
        let negated = "{{ range .Pages }}{{ if site.Params.summaryOnly }}{{ .Summary }}{{ else }}{{ .Content }}{{ end }}{{ end }}";
        assert_eq!(with("summaryOnly = 1\n", negated).full_content, Some(false));
        assert_eq!(with("summaryOnly = ''\n", negated).full_content, Some(true));
        // PaperModX's `if not site.Params.RSSNoContent`.
        let not = "{{ range .Pages }}{{ .Summary }}{{- if not site.Params.RSSNoContent}}{{ .Content }}{{ end }}{{ end }}";
        assert_eq!(with("x = 1\n", not).full_content, Some(true));
        assert_eq!(with("RSSNoContent = true\n", not).full_content, Some(false));
        // A `.Content` under no param: the whole page.
        let plain = "{{ range .Pages }}{{ if .Title }}{{ .Title }}{{ end }}{{ .Content }}{{ end }}";
        assert_eq!(with("x = 1\n", plain).full_content, None);
    }

    /// A theme's `params` are the site's defaults, the site's own winning
    /// in any spelling of a key.
    #[test]
    fn a_hugo_themes_params_are_the_sites_defaults() {
        let dir = hugo_site(
            "baseURL = 'https://blog.example.net/'\ntitle = 'T'\ntheme = 'paper'\n[params]\nmainsections = ['notes']\n",
        );
        let theme = dir.path().join("themes/paper");
        std::fs::create_dir_all(theme.join("layouts")).unwrap();
        std::fs::write(
            theme.join("hugo.toml"),
            "[params]\nmainSections = ['posts']\nRSSFullContent = true\ndescription = 'From the theme'\n",
        )
        .unwrap();
        std::fs::write(
            theme.join("layouts/rss.xml"),
            "{{ range where site.RegularPages \"Type\" \"in\" site.Params.mainSections }}{{ if .Site.Params.RSSFullContent }}{{ .Content }}{{ end }}{{ end }}",
        )
        .unwrap();
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.full_content, Some(true));
        assert_eq!(imported.main_sections, ["notes"]);
        assert_eq!(imported.description.as_deref(), Some("From the theme"));
    }

    /// 0AndWild's feed template is the site's own, but the partial it takes
    /// its pages from is hugo-theme-stack's (`layouts/_partials/`).
    #[test]
    fn a_sites_feed_template_may_call_a_themes_partial() {
        let dir = hugo_site(
            "baseURL = 'https://blog.example.net/'\ntitle = 'T'\ntheme = 'stack'\n[params]\nmainSections = ['posts']\n",
        );
        write_file(
            dir.path(),
            "layouts/rss.xml",
            "{{- $pages := partial \"helper/pages.html\" . -}}{{ range $pages }}{{ .Title }}{{ end }}",
        );
        write_file(
            dir.path(),
            "themes/stack/layouts/_partials/helper/pages.html",
            "{{- $pages := .Pages -}}{{- if .IsHome -}}{{- $pages = where .Site.RegularPages \"Type\" \"in\" .Site.Params.mainSections -}}{{- end -}}{{- return $pages -}}",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.main_sections, ["posts"]);
        // The site's own partial of that name is the one Hugo calls.
        write_file(
            dir.path(),
            "layouts/partials/helper/pages.html",
            "{{- return .Site.RegularPages -}}",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert!(imported.main_sections.is_empty());
    }

    /// 0o7race's `helper/pages.html` takes the pages of a category away
    /// from the home page's feed; taken away outside the home page's
    /// branch, from every feed.
    #[test]
    fn a_category_a_feed_template_takes_away_is_left_out() {
        let mut imported = Imported::default();
        let home = "{{- if .IsHome -}}\n{{- $pages = where .Site.RegularPages \"Type\" \"in\" .Site.Params.mainSections -}}\n{{- $lifePages := where $pages \"Params.categories\" \"intersect\" (slice \"Life\" \"Away\") -}}\n{{- $pages = $pages | complement $lifePages -}}\n{{- else -}}{{ end }}";
        hugo_feed_template_taken_values("pages.html", home, &mut imported);
        assert_eq!(
            imported.skip_main_values,
            [(
                "categories".to_string(),
                vec!["Life".to_string(), "Away".to_string()]
            )]
        );
        assert!(imported.skip_values.is_empty());
        let config = render_config(&imported, "2025-01-01");
        assert!(
            config.contains("skip_main_if_value = { categories = [\"Life\", \"Away\"] }"),
            "{config}"
        );
        let mut everywhere = Imported::default();
        let all = "{{ $drafts := where .Pages \".Params.tags\" \"intersect\" (slice \"wip\") }}{{ range .Pages | complement $drafts }}{{ end }}";
        hugo_feed_template_taken_values("rss.xml", all, &mut everywhere);
        assert!(everywhere.skip_values.is_empty() && everywhere.skip_main_values.is_empty());
        assert_noted(
            &everywhere,
            "leaves out of every feed a page whose `tags` lists \"wip\": gazette does not",
        );
        // Gathered but never taken away: nothing left out.
        let mut kept = Imported::default();
        let unused = "{{ $life := where .Pages \"Params.categories\" \"intersect\" (slice \"Life\") }}{{ range .Pages }}{{ end }}";
        hugo_feed_template_taken_values("rss.xml", unused, &mut kept);
        assert!(kept.skip_values.is_empty() && kept.skip_main_values.is_empty());
    }

    /// Dim0000/hugo-blog's theme ships `content/search.md`, which Hugo lists
    /// in the site's feed: gazette does not read it, and says so.
    #[test]
    fn a_themes_own_pages_are_named_by_a_note() {
        let dir = hugo_site("baseURL = 'https://blog.example.net/'\ntheme = 'frame'\n");
        write_file(
            dir.path(),
            "themes/frame/content/search.md",
            "---\ntitle: Search\n---\n",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_noted(
            &imported,
            "themes/frame/content holds a page of the theme's own, which Hugo builds with the site's",
        );
    }

    /// hyhforevertop/hugo-blog: the `hugo.toml` of `hugo new site` left at
    /// the root, the site's settings in `config/_default/hugo.toml`, which
    /// Hugo sets over it; the default language's `title` over the root's.
    #[test]
    fn a_hugo_config_directory_is_over_the_root_file() {
        let dir = hugo_site("baseURL = 'https://example.org/'\ntitle = 'My New Hugo Site'\n");
        write_file(
            dir.path(),
            "config/_default/hugo.toml",
            "baseURL = 'https://blog.example.net/'\ndefaultContentLanguage = 'zh-cn'\n",
        );
        write_file(
            dir.path(),
            "config/_default/languages.zh-cn.toml",
            "languageCode = 'en'\ntitle = 'Field Notes'\n[params]\ndescription = 'From the language'\n",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://blog.example.net/")
        );
        assert_eq!(imported.title.as_deref(), Some("Field Notes"));
        assert_eq!(imported.description.as_deref(), Some("From the language"));
        assert_eq!(imported.language.as_deref(), Some("en"));
    }

    /// abgeo.dev: the real address in `config/production/hugo.toml`,
    /// which `hugo` builds with, over `config/_default/`.
    #[test]
    fn hugos_production_config_is_over_the_default_one() {
        let dir = hugo_site("title = 'Site'\n");
        write_file(
            dir.path(),
            "config/_default/hugo.toml",
            "baseURL = 'https://example.org/'\ntitle = 'Default'\n",
        );
        write_file(
            dir.path(),
            "config/production/hugo.toml",
            "baseURL = 'https://www.example.net/'\n",
        );
        write_file(
            dir.path(),
            "config/development/hugo.toml",
            "baseURL = 'http://localhost:1313/'\n",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://www.example.net/")
        );
        assert_eq!(imported.title.as_deref(), Some("Default"));
    }

    #[test]
    fn a_hugo_config_is_read_as_hugo_means_it() {
        let dir = hugo_site(
            "baseURL = 'https://blog.example.net/'\ntitle = 'Notes'\nlanguageCode = 'de-de'\ntimeZone = 'Europe/Berlin'\n[params]\ndescription = 'About things'\n[permalinks]\nposts = '/:year/:month/:slug/'\n",
        );
        assert_eq!(detect(dir.path()), Some(Generator::Hugo));
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Notes"));
        assert_eq!(
            imported.base_url.as_deref(),
            Some("https://blog.example.net/")
        );
        assert_eq!(imported.description.as_deref(), Some("About things"));
        assert_eq!(imported.language.as_deref(), Some("de-de"));
        assert_eq!(imported.timezone.as_deref(), Some("Europe/Berlin"));
        // Hugo lists every page unless `services.rss.limit` says otherwise.
        assert_eq!(imported.limit, Some(0));
        assert_eq!(imported.old_feed.as_deref(), Some("public/index.xml"));
        assert!(imported.permalinks.contains_key("posts"));
        // `config.yml`, as Hugo reads `.yml` like `.yaml` (hugo-PaperMod's
        // example site).
        std::fs::remove_file(dir.path().join("hugo.toml")).unwrap();
        std::fs::write(
            dir.path().join("config.yml"),
            "baseURL: 'https://yml.example.net/'\ntitle: PaperMod\nparams:\n  description: From YAML\n",
        )
        .unwrap();
        assert_eq!(detect(dir.path()), Some(Generator::Hugo));
        // An old `_config.toml` left beside it (JunIce/hugo-blog) is not
        // Jekyll's while no Jekyll folder is there.
        std::fs::write(
            dir.path().join("_config.toml"),
            "baseURL = 'https://old.example.net/'\n",
        )
        .unwrap();
        assert_eq!(detect(dir.path()), Some(Generator::Hugo));
        std::fs::create_dir(dir.path().join("_posts")).unwrap();
        assert_eq!(detect(dir.path()), Some(Generator::Jekyll));
        std::fs::remove_dir(dir.path().join("_posts")).unwrap();
        let yml = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(yml.base_url.as_deref(), Some("https://yml.example.net/"));
        assert_eq!(yml.description.as_deref(), Some("From YAML"));
    }

    #[test]
    fn the_config_init_writes_is_one_gazette_reads() {
        let dir = hugo_site(
            "baseURL = 'https://blog.example.net/'\ntitle = 'Notes \"quoted\"'\n[services.rss]\nlimit = 15\n[permalinks.page]\nposts = '/:year/:slug/'\n",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        let text = render_config(&imported, "2026-12-03");
        let path = dir.path().join("gazette.toml");
        let config = crate::config::Config::parse(&text, &path, dir.path().to_path_buf())
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(config.generator, Generator::Hugo);
        assert_eq!(config.title, "Notes \"quoted\"");
        assert_eq!(config.base_url.as_str(), "https://blog.example.net/");
        assert_eq!(config.feeds.limit, 15);
        assert!(config.permalinks.contains_key("posts"), "{text}");
    }

    /// Jekyll joins each `exclude` entry with the source folder, so `/docs`
    /// is the site's `docs` (jekyll-TeXt-theme excludes its documentation
    /// so, posts of its own in `docs/_posts` included).
    #[test]
    fn jekyll_exclude_with_a_leading_slash_is_the_sites_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs/_posts")).unwrap();
        std::fs::create_dir_all(dir.path().join("test")).unwrap();
        let config = "title: T\nexclude:\n  - /docs\n  - test/\n  - /\n  - README.md\n";
        std::fs::write(dir.path().join("_config.yml"), config).unwrap();
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(
            imported.exclude,
            ["docs", "docs/**", "test", "test/**", "README.md"]
        );
    }

    #[test]
    fn the_posts_collection_permalink_wins_over_the_site_style() {
        let dir = tempfile::tempdir().unwrap();
        let config =
            "permalink: pretty\ncollections:\n  posts:\n    permalink: /notes/:year/:title/\n";
        std::fs::write(dir.path().join("_config.yml"), config).unwrap();
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        let expected = permalink::from_generator_syntax("/notes/:year/:title/", Generator::Jekyll);
        assert_eq!(imported.permalink, Some(expected));
        // `defaults:` for posts win over both.
        let with_defaults = format!(
            "{config}defaults:\n  - scope: {{ type: posts }}\n    values: {{ permalink: /d/:title/ }}\n"
        );
        std::fs::write(dir.path().join("_config.yml"), with_defaults).unwrap();
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        let expected = permalink::from_generator_syntax("/d/:title/", Generator::Jekyll);
        assert_eq!(imported.permalink, Some(expected));
    }

    #[test]
    fn hugos_config_directory_is_read_file_by_root_key() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config/_default");
        std::fs::create_dir_all(&config).unwrap();
        for (name, text) in [
            (
                "config.toml",
                "baseURL = 'https://c.example.org/'\ndefaultContentLanguage = 'en'\n",
            ),
            (
                "languages.en.toml",
                "languageCode = 'en-AU'\ntitle = 'Congo'\n[params]\ndescription = 'D'\n",
            ),
            ("languages.de.toml", "title = 'Kongo'\n"),
            ("params.en.toml", "[author]\nname = 'Ana'\n"),
            ("menus.en.toml", "[[main]]\nname = 'x'\n"),
            ("taxonomies.toml", "tag = 'tags'\n"),
        ] {
            std::fs::write(config.join(name), text).unwrap();
        }
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Congo"));
        assert_eq!(imported.language.as_deref(), Some("en-AU"));
        assert_eq!(imported.description.as_deref(), Some("D"));
        assert_eq!(imported.author.as_deref(), Some("Ana"));
        assert_eq!(
            imported.translations,
            Some(("en".to_string(), vec!["de".to_string()]))
        );
        // A file of the directory wins over the main file, in any case
        // (measured with Hugo 0.111 and 0.168); one holding only its own
        // root key is that key's table (Hugo 0.168).
        std::fs::write(
            config.join("config.toml"),
            "baseURL = 'https://c.example.org/'\ntitle = 'C'\n[Params]\ndescription = 'main'\nauthor = 'Main'\n",
        )
        .unwrap();
        for name in ["languages.en.toml", "languages.de.toml", "params.en.toml"] {
            std::fs::remove_file(config.join(name)).unwrap();
        }
        std::fs::write(config.join("params.toml"), "Description = 'directory'\n").unwrap();
        let merged = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(merged.description.as_deref(), Some("directory"));
        assert_eq!(merged.author.as_deref(), Some("Main"));
        std::fs::write(config.join("params.toml"), "[params]\nauthor = 'Wrapped'\n").unwrap();
        let wrapped = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(wrapped.author.as_deref(), Some("Wrapped"));
        assert_eq!(wrapped.description.as_deref(), Some("main"));
    }

    #[test]
    fn a_jekyll_sites_name_titles_its_feed_without_a_title() {
        let dir = tempfile::tempdir().unwrap();
        let title = |config: &str| {
            std::fs::write(dir.path().join("_config.yml"), config).unwrap();
            import(dir.path(), Generator::Jekyll).unwrap().title
        };
        // jekyll-feed: `site.title | default: site.name` (jekyllrb.com's own config).
        assert_eq!(
            title("name: Jekyll docs\nurl: https://e.org\n").as_deref(),
            Some("Jekyll docs")
        );
        assert_eq!(
            title("name: N\ntitle: T\nurl: https://e.org\n").as_deref(),
            Some("T")
        );
    }

    /// jagcesar.se's config: no `url`, and a `baseurl` that is the
    /// address, which Jekyll writes before every page's path.
    #[test]
    fn a_jekyll_baseurl_that_is_an_address_is_the_sites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("_config.yml"),
            "title: T\nbaseurl: \"https://j.example.se\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("CNAME"), "j.example.se\n").unwrap();
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(imported.base_url.as_deref(), Some("https://j.example.se/"));
        assert_eq!(imported.base_path, None);
    }

    #[test]
    fn a_hugo_rss_template_listing_one_sections_pages_lists_that_section() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "hugo.toml",
            "baseURL = 'https://d.example.org/'\ntitle = 'D'\n",
        );
        // gohugo.io's own `layouts/list.rss.xml`.
        write(
            "layouts/list.rss.xml",
            "{{- with site.GetPage \"/news\" }}\n{{- $pages = .Pages.ByPublishDate.Reverse | first $limit }}\n{{- end }}{{ range $pages }}{{ .Summary }}{{ end }}",
        );
        write("content/news/_content.gotmpl", "{{ $.AddPage (dict) }}");
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.main_sections, ["news"]);
        let notes = imported.notes.join("\n");
        assert!(notes.contains("the section `news`"), "{notes}");
        assert!(
            notes.contains("content/news/_content.gotmpl makes pages in a Go template"),
            "{notes}"
        );
    }

    /// brycev.com's `layouts/_default/rss.xml`: one section's pages, the
    /// page fetched in parentheses.
    #[test]
    fn a_hugo_rss_template_ranging_over_a_fetched_sections_pages() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "hugo.toml",
            "baseURL = 'https://b.example.org/'\ntitle = 'B'\n",
        );
        write(
            "layouts/_default/rss.xml",
            "<rss><channel>{{ range (.Site.GetPage \"blog\").Pages }}<item>{{ .Title }}</item>{{ end }}</channel></rss>",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.main_sections, ["blog"]);
    }

    /// fatalerror.fm's `rss.xml`, a podcast moved from a host: an entry
    /// named by the post's `guid` and dated by its `rss_date` where set.
    #[test]
    fn a_jekyll_feed_template_naming_and_dating_entries_by_keys_of_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "_config.yml",
            "title: F\nurl: https://f.example.org\nfeed:\n  path: rss.xml\n",
        );
        write(
            "rss.xml",
            "---\nlayout: null\n---\n<rss><channel>{% for post in site.posts %}<item>\n<pubDate>{% if post.rss_date %}{{ post.rss_date }}{% else %}{{ post.date | date_to_rfc822 }}{% endif %}</pubDate>\n<guid isPermaLink=\"false\">{% if post.guid %}{{ post.guid }}{% else %}{{ post.url | prepend: site.url }}{% endif %}</guid>\n{% if post.media_url %}<enclosure url=\"{{ post.media_url }}\" length=\"{{ post.episode_length }}\" type=\"audio/mpeg\"/>{% endif %}</item>{% endfor %}</channel></rss>",
        );
        write(
            "_posts/2016-07-23-coordinators.md",
            "---\ntitle: Coordinators\n---\n",
        );
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(imported.id_format, Some("id-key"));
        assert_eq!(imported.id_keys, ["guid"]);
        assert_eq!(imported.feed_date_keys, ["rss_date"]);
        let written = render_config(&imported, "2025-01-01");
        assert!(
            written.contains("feed_date = [\"rss_date\"]\n"),
            "{written}"
        );
        assert!(written.contains("id = [\"guid\"]\n"), "{written}");
        let notes = imported.notes.join("\n");
        // Its episodes' keys are read; the show's values wait for a build.
        assert!(
            notes.contains("a podcast's feed template; its episodes' keys are read")
                && notes.contains("build the site and run `gazette init --from` again"),
            "{notes}"
        );
    }

    /// blowfish's `_default/rss.xml` keeps `services.rss.limit` pages; the
    /// `first 1` inside its loop finds the page itself.
    #[test]
    fn a_hugo_templates_first_inside_its_loop_is_no_limit() {
        let config = Value::Null;
        let template = "{{- $limit := .Site.Config.Services.RSS.Limit -}}\n{{- $pages = $pages | first $limit -}}\n{{ range $pages }}<item>\n{{ range ( where .Site.RegularPages \".RelPermalink\" .RelPermalink | first 1 ) }}{{ end }}</item>{{ end }}";
        assert_eq!(hugo_template_limit(&config, template), None);
        assert_eq!(
            hugo_template_limit(&config, "{{ range first 15 .Pages }}<entry>{{ end }}"),
            Some(15)
        );
    }

    /// hugo-theme-reimu's `_default/rss.xml`: `.Site.MainSections` and the
    /// limit through variables, the pages last modified first; PaperMod's
    /// `index $pages.ByLastmod.Reverse 0` only dates the channel.
    #[test]
    fn a_hugo_template_through_variables_and_by_lastmod_is_read() {
        let reimu = "{{- $pctx := . }}{{- if .IsHome }}{{ $pctx = .Site }}{{ end }}\n{{- $pages := $pctx.RegularPages }}\n{{- $mainSections := .Site.MainSections }}\n{{- $pages = where $pages \"Section\" \"in\" $mainSections }}\n{{- $pages = $pages.ByLastmod.Reverse }}\n{{- $limit := .Site.Params.rss.limit | default 10 }}\n{{- if ge $limit 1 }}\n  {{- $pages = $pages | first $limit }}\n{{- end }}\n{{ range $pages }}<item>{{ .Content }}</item>{{ end }}";
        let dir = hugo_site_with_feed_template("_default/rss.xml", reimu);
        write_file(dir.path(), "content/posts/a.md", "---\ntitle: A\n---\n");
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.limit, Some(10));
        assert_eq!(imported.main_sections, ["posts"]);
        assert!(imported.main_sections_by_section);
        assert_eq!(imported.entry_order, Some("lastmod-reversed"));
        // The site's param, where it sets one.
        let config = serde_json::json!({"params": {"rss": {"limit": 25}}});
        assert_eq!(hugo_template_limit(&config, reimu), Some(25));
        // A variable assigned twice is not spelt out.
        let twice = "{{ $limit := 5 }}{{ $limit = 7 }}{{ $pages = $pages | first $limit }}";
        assert_eq!(hugo_template_limit(&Value::Null, twice), None);
        let papermod = hugo_site_with_feed_template(
            "rss.xml",
            "{{- $pages := where site.RegularPages \"Type\" \"in\" site.Params.mainSections }}<lastBuildDate>{{ (index $pages.ByLastmod.Reverse 0).Lastmod }}</lastBuildDate>{{ range $pages }}<item>{{ .Content }}</item>{{ end }}",
        );
        let imported = import(papermod.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.entry_order, None);
    }

    #[test]
    fn hugo_feed_from_a_paginator_keeps_one_pager() {
        let diary = "{{ range .Paginator.Pages }}<item>{{ .Title }}</item>{{ end }}";
        let dir = hugo_site_with_feed_template("index.rss.xml", diary);
        write_file(dir.path(), "content/posts/a.md", "---\ntitle: A\n---\n");
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.main_limit, Some(10), "Hugo's default pager size");
        assert_noted(&imported, "one page of `.Paginator`");
        let older = serde_json::json!({"paginate": 4});
        assert_eq!(hugo_template_limit(&older, diary), Some(4));
        let newer = serde_json::json!({"paginate": 4, "pagination": {"pagerSize": 6}});
        assert_eq!(hugo_template_limit(&newer, diary), Some(6));
        let given = "{{ $paginator := .Paginate (where .Site.RegularPages \"Type\" \"posts\") 5 }}{{ range $paginator.Pages }}{{ end }}";
        assert_eq!(hugo_template_limit(&newer, given), Some(5));
        let all = "{{ range .Site.RegularPages }}{{ .Paginator }}{{ end }}";
        assert_eq!(hugo_template_limit(&newer, all), None);
    }

    /// Hugo's built-in RSS template shows a page's `publishDate` since
    /// 0.125, its `date` before: the Hugo a deploy pins decides.
    #[test]
    fn hugos_built_in_feed_dates_follow_the_pinned_version() {
        let dir = hugo_site("baseURL = 'https://h.example.org/'\ntitle = 'H'\n");
        write_file(
            dir.path(),
            "content/posts/a.md",
            "---\ntitle: A\ndate: 2024-01-01\n---\n",
        );
        // No page sets a publication date: no rule to write.
        assert!(import(dir.path(), Generator::Hugo)
            .unwrap()
            .feed_date_keys
            .is_empty());
        write_file(
            dir.path(),
            "content/posts/b.md",
            "+++\ntitle = 'B'\ndate = 2024-01-01\nPubDate = 2024-02-01\nreleased = 2024-03-01\n+++\n",
        );
        let current = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(
            current.feed_date_keys,
            ["publishDate", "pubdate", "published"]
        );
        write_file(
            dir.path(),
            "netlify.toml",
            "[build.environment]\n# HUGO_VERSION = \"0.140.0\"\n  HUGO_VERSION = \"0.92.2\"\n",
        );
        assert_eq!(hugo_pinned_version(dir.path()), Some((0, 92)));
        assert!(import(dir.path(), Generator::Hugo)
            .unwrap()
            .feed_date_keys
            .is_empty());
        std::fs::remove_file(dir.path().join("netlify.toml")).unwrap();
        write_file(
            dir.path(),
            ".github/workflows/hugo.yml",
            "steps:\n  - uses: peaceiris/actions-hugo@v3\n    with:\n      hugo-version: 'latest'\n",
        );
        assert_eq!(hugo_pinned_version(dir.path()), None);
        write_file(
            dir.path(),
            ".github/workflows/hugo.yml",
            "env:\n  HUGO_VERSION: 0.128.0\n",
        );
        assert_eq!(hugo_pinned_version(dir.path()), Some((0, 128)));
        // `[frontmatter] publishDate` names the keys; none, no feed date.
        std::fs::write(
            dir.path().join("hugo.toml"),
            "baseURL = 'https://h.example.org/'\ntitle = 'H'\n[frontmatter]\npublishDate = ['released', 'date']\n",
        )
        .unwrap();
        assert_eq!(
            import(dir.path(), Generator::Hugo).unwrap().feed_date_keys,
            ["released"]
        );
    }

    /// hextra's `list.rss.xml`: the home page's feed lists the sections of
    /// a site param, `blog` by default; its `"in"` is no section's name.
    #[test]
    fn a_hugo_template_listing_a_params_sections_with_a_default() {
        let hextra = "{{ if not $.Section }}\n{{ $sections := .Site.Params.rss.sections | default (slice \"blog\") }}\n{{ .Store.Set \"rssPages\" (first 50 (where $.Site.RegularPages \"Type\" \"in\" $sections )) }}\n{{ else }}{{ .Store.Set \"rssPages\" (first 50 (where $.Site.RegularPages \"Type\" $.Section )) }}{{ end }}{{ range (.Store.Get \"rssPages\") }}<item>{{ .Summary }}</item>{{ end }}";
        let dir = hugo_site_with_feed_template("list.rss.xml", hextra);
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.main_sections, ["blog"]);
        assert!(!imported.main_sections_by_section);
        assert_eq!(imported.limit, Some(50));
        std::fs::write(
            dir.path().join("hugo.toml"),
            "baseURL = 'https://h.example.org/'\ntitle = 'H'\n[params.rss]\nsections = ['notes', 'posts']\n",
        )
        .unwrap();
        let set = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(set.main_sections, ["notes", "posts"]);
        // An operator is never a section's name.
        let operator = hugo_site_with_feed_template(
            "rss.xml",
            "{{ range where .Site.RegularPages \"Type\" \"in\" (slice \"a\") }}<item>{{ .Summary }}</item>{{ end }}",
        );
        assert!(import(operator.path(), Generator::Hugo)
            .unwrap()
            .main_sections
            .is_empty());
    }

    /// brycewray.com's `rss.xml` appends a query to each entry's link.
    #[test]
    fn a_hugo_templates_query_on_each_link_is_the_link_query() {
        let dir = hugo_site_with_feed_template(
            "rss.xml",
            "{{- $RSSutm := \"?utm_campaign=RSS&utm_source=RSS\" -}}{{ range .Site.RegularPages }}{{- $PermaWithRSSutm = print .Permalink $RSSutm -}}<entry><link href=\"{{ $PermaWithRSSutm }}\" /><id>{{ .Permalink }}</id>{{ .Content }}</entry>{{ end }}",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(
            imported.link_query.as_deref(),
            Some("utm_campaign=RSS&utm_source=RSS")
        );
        let written = render_config(&imported, "2025-01-01");
        assert!(
            written.contains("link_query = \"utm_campaign=RSS&utm_source=RSS\"\n"),
            "{written}"
        );
    }

    /// jeff.glass's `_default/rss.xml`: the pages that set `rss_ignore`
    /// gathered, then taken away from the range with `complement`.
    #[test]
    fn a_hugo_rss_template_taking_away_pages_by_a_param_leaves_them_out() {
        let dir = hugo_site_with_feed_template(
            "_default/rss.xml",
            "{{ $pages := .Site.RegularPages }}{{ $hiddenPages := where .Site.RegularPages \".Params.rss_ignore\" true }}{{ $unused := where .Site.RegularPages \".Params.other\" true }}{{ range $pages | complement $hiddenPages }}{{ .Summary }}{{ end }}",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.skip_keys, ["rss_ignore"]);
        let notes = imported.notes.join("\n");
        assert!(notes.contains("`rss_ignore = true`"), "{notes}");
    }

    /// jasoncarloscox.com's: the item written only where the page does not
    /// set `no_rss`; a condition elsewhere in the template is no skip.
    #[test]
    fn a_hugo_rss_template_writing_an_item_unless_a_param_is_set_leaves_it_out() {
        let dir = hugo_site_with_feed_template(
            "_default/rss.xml",
            "{{ if not .Params.noindex }}<channel>{{ end }}{{ range $pages }}\n    {{- if not .Params.no_rss -}}\n    <item><description>{{ .Content | html }}</description></item>{{ end }}{{ end }}",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.skip_keys, ["no_rss"]);
    }

    #[test]
    fn a_hugo_locale_is_the_feeds_language() {
        let dir = tempfile::tempdir().unwrap();
        let language = |config: &str| {
            write_file(dir.path(), "hugo.yaml", config);
            import(dir.path(), Generator::Hugo).unwrap().language
        };
        let site = "baseURL: https://l.example.org/\ntitle: L\n";
        // Hugo 0.158's name for it, and the one before.
        assert_eq!(
            language(&format!("{site}locale: en-us\n")).as_deref(),
            Some("en-us")
        );
        assert_eq!(
            language(&format!("{site}languageCode: en-gb\n")).as_deref(),
            Some("en-gb")
        );
        assert_eq!(
            language(&format!(
                "{site}defaultContentLanguage: fr\nlanguages:\n  fr:\n    locale: fr-ca\n"
            ))
            .as_deref(),
            Some("fr-ca")
        );
    }

    /// brycewray.com's `layouts/rss.xml`: `where .Site.Pages "Section"
    /// "posts"`, the section's pages and its own list page.
    #[test]
    fn a_hugo_rss_template_listing_one_sections_site_pages_lists_that_section() {
        let dir = hugo_site_with_feed_template(
            "rss.xml",
            "{{- $posts := where .Site.Pages \"Section\" \"posts\" -}}{{ range $posts }}{{ .Content }}{{ end }}",
        );
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_eq!(imported.main_sections, ["posts"]);
        assert!(imported.main_sections_by_section);
        let notes = imported.notes.join("\n");
        assert!(
            notes.contains(
                "the section `posts` (and the section's own page, which gazette does not list)"
            ),
            "{notes}"
        );
    }

    #[test]
    fn a_home_feed_template_of_the_home_pages_own_pages_is_named() {
        // An old LoveIt's rss.xml, written for Hugo before 0.57.
        let old = "{{- range first 15 (where .Data.Pages \"Type\" \"!=\" \"home\") -}}<item>{{ .Content | html }}</item>{{ end }}";
        let dir = hugo_site_with_feed_template("rss.xml", old);
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert_noted(
            &imported,
            "layouts/rss.xml lists the home page's own `.Pages`",
        );
        // Hugo's own way, the site's pages for the home page.
        for current in [
            "{{- $pctx := . }}{{- if .IsHome }}{{ $pctx = .Site }}{{ end }}{{ range $pctx.RegularPages }}{{ .Content }}{{ end }}",
            "{{ range where .Site.RegularPages \"Type\" \"posts\" }}{{ .Content }}{{ end }}",
        ] {
            let dir = hugo_site_with_feed_template("rss.xml", current);
            let imported = import(dir.path(), Generator::Hugo).unwrap();
            assert!(
                !imported.notes.join("\n").contains("home page's own"),
                "{current}: {:?}",
                imported.notes
            );
        }
    }

    #[test]
    fn a_section_feed_template_listing_its_type_lists_pages_below_too() {
        // hextra's list.rss.xml, trimmed.
        let hextra = "{{ if not $.Section }}{{ .Store.Set \"rssPages\" (first 50 (where $.Site.RegularPages \"Type\" \"in\" (slice \"blog\"))) }}{{ else }}{{ if $.Parent.IsHome }}{{ .Store.Set \"rssPages\" (first 50 (where $.Site.RegularPages \"Type\" $.Section )) }}{{ else }}{{ .Store.Set \"rssPages\" (first 50 $.Pages) }}{{ end }}{{ end }}{{ range (.Store.Get \"rssPages\") }}{{ .Content | html }}{{ end }}";
        let dir = hugo_site_with_feed_template("list.rss.xml", hextra);
        let imported = import(dir.path(), Generator::Hugo).unwrap();
        assert!(imported.section_pages_top_by_type);
        assert_noted(&imported, "and a nested one's its own pages");
        let written = render_config(&imported, "2025-01-01");
        assert!(
            written.contains("per_section = true\n# A top-level section's feed lists every page of its type below it, as the site's feed template does.\nsection_pages = \"top_by_type\"\n"),
            "{written}"
        );
        // Hugo's own `.Pages` lists a section's own pages alone.
        let own = hugo_site_with_feed_template(
            "list.rss.xml",
            "{{ range first 50 .Pages }}{{ .Content }}{{ end }}",
        );
        assert!(
            !import(own.path(), Generator::Hugo)
                .unwrap()
                .section_pages_top_by_type
        );
    }

    #[test]
    fn a_hugo_modules_rss_template_with_main_sections_is_found_without_go() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        // hugo-theme-stack's demo: the theme a module, replaced by a folder.
        write(
            "site/hugo.toml",
            "baseURL = 'https://s.example.org/'\ntitle = 'S'\n[params]\nMainSections = ['post', 'notes']\n[[module.imports]]\npath = 'example.com/theme/v3'\n",
        );
        write(
            "site/go.mod",
            "module example.com/site\n\nreplace example.com/theme/v3 => ../theme\n",
        );
        write(
            "theme/layouts/rss.xml",
            "{{ $pages := where site.RegularPages \"Type\" \"in\" site.Params.mainSections }}{{ range $pages }}{{ .Summary }}{{ end }}",
        );
        let imported = import(&dir.path().join("site"), Generator::Hugo).unwrap();
        assert_eq!(imported.main_sections, ["post", "notes"]);
        assert_eq!(imported.full_content, Some(false));
        let notes = imported.notes.join("\n");
        assert!(
            notes.contains("../theme/layouts/rss.xml lists only"),
            "{notes}"
        );
        // A module kept under `themes/` by its name, not its `/v2`.
        write(
            "site/hugo.toml",
            "baseURL = 'https://s.example.org/'\ntitle = 'S'\n[[module.imports]]\npath = 'example.com/vim/v2'\n",
        );
        write("site/go.mod", "module example.com/site\n");
        write(
            "site/themes/vim/layouts/rss.xml",
            "{{ range .Pages }}{{ .Content }}{{ end }}",
        );
        let named = import(&dir.path().join("site"), Generator::Hugo).unwrap();
        assert_eq!(named.full_content, None);
        assert!(named.main_sections.is_empty());
        // In Hugo's module cache (xiaoquqi's blog, hextra there after one
        // `hugo` run), at the version go.mod requires, its capitals escaped.
        std::fs::remove_dir_all(dir.path().join("site/themes/vim")).unwrap();
        write(
            "site/hugo.toml",
            "baseURL = 'https://s.example.org/'\ntitle = 'S'\ncacheDir = '../cache'\n[[module.imports]]\npath = 'example.com/Vim/v2'\n",
        );
        write(
            "site/go.mod",
            "module example.com/site\n\nrequire (\n\texample.com/other v1.0.0\n\texample.com/Vim/v2 v2.1.0 // indirect\n)\n",
        );
        let modules = "cache/modules/filecache/modules/pkg/mod/example.com";
        write(
            &format!("{modules}/!vim/v2@v2.0.0/layouts/rss.xml"),
            "{{ range .Pages }}{{ .Summary }}{{ end }}",
        );
        write(
            &format!("{modules}/!vim/v2@v2.1.0/layouts/rss.xml"),
            "{{ range .Pages }}{{ .Content }}{{ end }}",
        );
        let cached = import(&dir.path().join("site"), Generator::Hugo).unwrap();
        assert_eq!(cached.full_content, None, "{:?}", cached.notes);
        // `module.replacements`, relative to `themesDir`, first.
        write(
            "site/hugo.toml",
            "baseURL = 'https://s.example.org/'\ntitle = 'S'\ncacheDir = '../cache'\n[module]\nreplacements = 'example.com/Vim/v2 -> ../../cache/modules/filecache/modules/pkg/mod/example.com/!vim/v2@v2.0.0'\n[[module.imports]]\npath = 'example.com/Vim/v2'\n",
        );
        let replaced = import(&dir.path().join("site"), Generator::Hugo).unwrap();
        assert_eq!(replaced.full_content, Some(false), "{:?}", replaced.notes);
        // A `theme` that names a module is one.
        write(
            "site/hugo.toml",
            "baseURL = 'https://s.example.org/'\ntitle = 'S'\ncacheDir = '../cache'\ntheme = 'example.com/Vim/v2'\n",
        );
        let named = import(&dir.path().join("site"), Generator::Hugo).unwrap();
        assert_eq!(named.full_content, None, "{:?}", named.notes);
        write("site/go.mod", "module example.com/site\n");
        // Not on disk (jonnung's blog, its theme a module in Hugo's cache):
        // Hugo's built-in template is taken, and init says on what grounds.
        let absent = import(&dir.path().join("site"), Generator::Hugo).unwrap();
        assert_eq!(absent.full_content, Some(false));
        assert!(
            absent
                .notes
                .join("\n")
                .contains("the site's theme `example.com/Vim/v2` is not on disk here"),
            "{:?}",
            absent.notes
        );
    }

    #[test]
    fn an_eleventy_feed_template_reads_named_exports_of_a_data_file() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        write(
            "eleventy.config.js",
            "export default function () { return { dir: { input: \"src\" } }; }\n",
        );
        // eleventy-excellent's `_data/meta.js`: one export per key, the
        // address computed from the environment.
        write(
            "src/_data/meta.js",
            "export const url = process.env.URL || 'http://localhost:8080';\nexport const blog = {\n  name: 'Workshop Log',\n  description: 'Benches.'\n};\nexport const feed = { path: '/feeds/atom.xml' };\n",
        );
        write(
            "src/common/feed-atom.njk",
            "---\npermalink: \"{{ meta.feed.path }}\"\n---\n<feed xml:base=\"{{ meta.url }}/\">\n<title>{{ meta.blog.name }}</title>\n<subtitle>{{ meta.blog.description }}</subtitle>\n{%- for post in collections.posts | reverse -%}<link href=\"{{ post.url | absoluteUrl(meta.url) }}\"/><title>{{ post.data.title }}</title>{%- endfor -%}\n",
        );
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Workshop Log"));
        assert_eq!(imported.description.as_deref(), Some("Benches."));
        // The address from the environment where the deploy sets it, else
        // the fallback, as Eleventy reads it.
        assert_eq!(imported.base_url.as_deref(), Some("http://localhost:8080"));
        assert_eq!(imported.base_url_env.as_deref(), Some("URL"));
        let config = render_config(&imported, "2026-01-01");
        assert!(config.contains("base_url_env = \"URL\"\n"), "{config}");
        let notes = placeholder_notes(&imported).join("\n");
        assert!(
            notes.contains("the site's address is $URL where that is set, as Eleventy reads it, else \"http://localhost:8080\""),
            "{notes}"
        );
        // Written where its permalink's data says (MauricioRobayo/eleventy-blog).
        assert_eq!(imported.old_feed.as_deref(), Some("_site/feeds/atom.xml"));
        assert_eq!(imported.output_dir.as_deref(), Some("_site/feeds"));
    }

    #[test]
    fn an_eleventy_site_without_a_feed_takes_the_collection_its_listing_pages_list() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| write_file(dir.path(), name, text);
        // eleventy-netlify-boilerplate: no feed plugin, no feed template; the
        // blog page lists `collections.post`, the authors' pages paginate a
        // table the config makes.
        write(
            ".eleventy.js",
            "module.exports = function (c) { c.addCollection(\"authors\", x => x.getFilteredByGlob(\"posts/*.md\").reduce((a, p) => a, {})); };\n",
        );
        write(
            "_data/metadata.json",
            "{\"title\": \"B\", \"url\": \"https://b.example.org\"}",
        );
        write("posts/posts.json", "{\"tags\": [\"post\"]}");
        // A post's layout names its neighbours in another collection
        // (lilliputten's `article.njk`): no listing.
        write(
            "_includes/layouts/blog.njk",
            "{% set postslist = collections.post %}\n{% for p in collections.all %}{% endfor %}\n{% set previousPost = collections.article | getPreviousCollectionItem(page) %}\n{% set nextPost = collections.article | getNextCollectionItem(page) %}\n{% set other = collections.article | getPreviousCollectionItem(page) %}\n",
        );
        write(
            "authors.njk",
            "---\npagination:\n  data: collections.authors\n---\n",
        );
        write("author.njk", "---\npagination:\n  data: collections.authors\n---\n{% for post in collections.authors[author] %}{% endfor %}\n");
        let imported = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(imported.collection.as_deref(), Some("post"));
        // Nothing to compare with, and no note of a feed limit it lacks.
        assert_eq!(imported.old_feed, None);
        let notes = imported.notes.join("\n");
        assert!(
            notes.contains("the `post` collection that _includes/layouts/blog.njk lists"),
            "{notes}"
        );
        assert!(!notes.contains("no literal feed `limit`"), "{notes}");
        assert!(!render_config(&imported, "2026-01-01").contains("gazette check"));
        // 11ty-blog-starter: the one loop goes through a list of tag names
        // the config makes; the posts are what the home page paginates.
        write(
            ".eleventy.js",
            "module.exports = function (c) { c.addCollection('tagList', x => { const s = new Set(); x.getAll().forEach(i => s.add(i)); return [...s]; }); };\n",
        );
        write("_includes/layouts/blog.njk", "");
        write("authors.njk", "");
        write("author.njk", "");
        write(
            "tags.md",
            "{% for tag in collections.tagList %}{% endfor %}\n",
        );
        write(
            "index.html",
            "---\npagination:\n  data: collections.post\n---\n",
        );
        let starter = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(starter.collection.as_deref(), Some("post"));
        // Loops with whitespace control (AlahmadiQ8's home page lists
        // `post` twice that way, `project` once).
        write(
            "index.html",
            "{%- for post in collections.post -%}{% endfor %}\n{%- for post in collections.post-%}{% endfor %}\n{% for p in collections.project | reverse %}{% endfor %}\n",
        );
        let trimmed = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(trimmed.collection.as_deref(), Some("post"));
        // Loops of other template languages: an `.11ty.js` or EJS
        // `for (const post of …)` and `.forEach(`, Handlebars' `#each`.
        for (file, text) in [
            ("blog.11ty.js", "for (const post of collections.post) { }"),
            ("blog.ejs", "<% collections.post.forEach((p) => { %>"),
            ("blog.hbs", "{{#each collections.post}}{{/each}}"),
        ] {
            write("index.html", "");
            write(file, text);
            let other = import(dir.path(), Generator::Eleventy).unwrap();
            assert_eq!(other.collection.as_deref(), Some("post"), "{file}");
            write(file, "");
        }
        // Only pagination: its collection, for want of a listing.
        write(
            ".eleventy.js",
            "module.exports = function (c) { c.addCollection(\"authors\", x => x.getFilteredByGlob(\"posts/*.md\")); };\n",
        );
        write("tags.md", "");
        write("index.html", "");
        write(
            "authors.njk",
            "---\npagination:\n  data: collections.authors\n---\n",
        );
        let paginated = import(dir.path(), Generator::Eleventy).unwrap();
        // The config makes it of files, which then are the posts.
        assert_eq!(paginated.collection_files, ["posts/*.md"]);
        // A glob from any folder (alexcarpenter.me's `**/posts/*.md`, its
        // input `src`) is one from any folder of the input too.
        write(
            ".eleventy.js",
            "module.exports = function (c) { c.addCollection(\"authors\", x => x.getFilteredByGlob(\"**/posts/*.md\")); return { dir: { input: \"src\" } }; };\n",
        );
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::rename(
            dir.path().join("authors.njk"),
            dir.path().join("src/authors.njk"),
        )
        .unwrap();
        let from_any = import(dir.path(), Generator::Eleventy).unwrap();
        assert_eq!(from_any.collection_files, ["**/posts/*.md"]);
    }

    #[test]
    fn a_data_file_holding_pages_back_by_a_date_is_read_as_scheduled() {
        // eleventy-high-performance-blog's `posts/posts.11tydata.js`.
        let text = "const todaysDate = new Date();\nfunction showDraft(data) {\n  const isDraft = \"draft\" in data && data.draft !== false;\n  const isPostInFuture =\n    \"scheduled\" in data ? data.scheduled > todaysDate : false;\n  return !isDraft && !isPostInFuture;\n}\nmodule.exports = () => ({ eleventyComputed: { permalink: (data) => (showDraft(data) ? data.permalink : false) } });\n";
        assert_eq!(held_back_by(text).as_deref(), Some("scheduled"));
        let dollar = "const $now = new Date();\nexport default { eleventyComputed: { permalink: (d) => (data.at > $now ? false : d.permalink) } };";
        assert_eq!(held_back_by(dollar).as_deref(), Some("at"));
        let reversed = "const now = Date.now();\nexport default { eleventyComputed: { eleventyExcludeFromCollections: (data) => now < data.publishOn } };";
        assert_eq!(held_back_by(reversed).as_deref(), Some("publishOn"));
        // A comparison that decides neither the page's address nor its
        // collections, or one with something else than the clock, holds
        // nothing back.
        assert_eq!(
            held_back_by("const t = new Date();\nexport default { x: (data) => data.a > t };"),
            None
        );
        assert_eq!(
            held_back_by(
                "export default { eleventyComputed: { permalink: (data) => data.a > data.b } };"
            ),
            None
        );
    }

    /// p.migdal.pl's `timezone: "+0100"`: Jekyll sets it as `TZ`, which
    /// the C library reads as UTC (its `site.time` is `+0000`).
    #[test]
    fn a_jekyll_timezone_that_names_no_zone_is_utc_as_jekyll_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let config =
            |zone: &str| format!("title: T\nurl: https://j.example.net\ntimezone: \"{zone}\"\n");
        std::fs::write(dir.path().join("_config.yml"), config("+0100")).unwrap();
        let offset = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(offset.timezone.as_deref(), Some("UTC"));
        assert!(
            offset
                .notes
                .iter()
                .any(|n| n.contains("timezone \"+0100\" is no IANA")),
            "{:?}",
            offset.notes
        );
        std::fs::write(dir.path().join("_config.yml"), config("Europe/Warsaw")).unwrap();
        let named = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(named.timezone.as_deref(), Some("Europe/Warsaw"));
        assert!(!named.notes.iter().any(|n| n.contains("IANA")));
    }

    /// mildronize's blog: `source: src`, its posts, layouts and data in
    /// `src/`, the config and `_site` where Jekyll runs.
    #[test]
    fn a_jekyll_site_with_its_source_in_a_folder() {
        let dir = crate::generators::site_of(&[
            (
                "_config.yml",
                "title: T\nurl: https://j.example.net\ntimezone: UTC\nsource: src\nauthor: kim\nexclude: [drafts-old]\n",
            ),
            ("src/_data/authors.yml", "kim:\n  name: Kim Reed\n"),
            ("src/drafts-old/x.md", "x"),
            ("src/feed.xml", "---\nlayout: feed\n---\n"),
            (
                "src/_layouts/feed.xml",
                "<rss>{% for post in site.posts limit: 5 %}<guid>{{ post.url }}</guid>{% endfor %}</rss>\n",
            ),
        ]);
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(imported.content_dir.as_deref(), Some("src"));
        assert_eq!(imported.author.as_deref(), Some("Kim Reed"));
        assert_eq!(imported.old_feed.as_deref(), Some("_site/feed.xml"));
        assert_eq!(imported.limit, Some(5));
        assert!(imported.exclude.contains(&"drafts-old/**".to_string()));
        assert_eq!(imported.output_dir.as_deref(), Some("src/feeds"));
        let mut config = crate::yaml::parse("collections_dir: ./my/\nsource: ./src/\n").unwrap();
        assert_eq!(jekyll_content_dir(&config), "src/my");
        config = crate::yaml::parse("title: T\n").unwrap();
        assert_eq!(jekyll_content_dir(&config), ".");
    }

    /// nikhilweee's blog: `feed.xml` is front matter alone, `layout:
    /// feed`, and the loop is in `_layouts/feed.xml`.
    #[test]
    fn a_jekyll_feed_page_whose_loop_is_in_its_layout() {
        let dir = crate::generators::site_of(&[
            ("_config.yml", "title: T\nurl: https://j.example.net\ntimezone: UTC\n"),
            ("feed.xml", "---\nlayout: feed\n---\n"),
            (
                "_layouts/feed.xml",
                "---\nlayout: null\n---\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n{% for post in site.posts limit: 20 %}\n<entry><id>{{ post.url | absolute_url }}</id></entry>\n{% endfor %}\n</feed>\n",
            ),
            ("_layouts/post.html", "---\nlayout: feed\n---\n{{ content }}\n"),
        ]);
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(imported.old_feed.as_deref(), Some("_site/feed.xml"));
        assert_eq!(imported.limit, Some(20));
        assert_eq!(imported.entry_order, Some("date-path-descending"));
        // A layout that names itself ends the chain.
        std::fs::write(
            dir.path().join("_layouts/feed.xml"),
            "---\nlayout: feed\n---\n",
        )
        .unwrap();
        let looping = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(looping.old_feed, None);
    }

    /// Chirpy's feed: `assets/feed.xml` written to `/feed.xml` by its
    /// permalink, the whole feed in a `{% capture %}`, each id a variable
    /// the loop assigns, the author a setting under `social`. A page
    /// written elsewhere, or kept in a `_` folder, is not the feed.
    #[test]
    fn a_jekyll_feed_page_kept_elsewhere_and_written_to_feed_xml() {
        let feed = "---\nlayout: compress\npermalink: /feed.xml\n---\n{% capture source %}\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{{ site.title }}</title>\n  <author>\n    <name>{{ site.social.name }}</name>\n  </author>\n{% for post in site.posts limit: 5 %}\n  {% assign post_absolute_url = post.url | absolute_url %}\n  <entry><link href=\"{{ post_absolute_url }}\"/><id>{{ post_absolute_url }}</id></entry>\n{% endfor %}\n</feed>\n{% endcapture %}\n{{ source | replace: '&', '&amp;' }}\n";
        let dir = crate::generators::site_of(&[
            (
                "_config.yml",
                "title: T\nurl: https://j.example.net\ntimezone: UTC\ntheme: jekyll-theme-chirpy\nsocial:\n  name: Ann Author\n",
            ),
            ("assets/feed.xml", feed),
            ("_drafts/feed.xml", feed),
        ]);
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(imported.old_feed.as_deref(), Some("_site/feed.xml"));
        assert_eq!(imported.limit, Some(5));
        assert_eq!(imported.id_format, Some("url"));
        assert_eq!(imported.author.as_deref(), Some("Ann Author"));
        assert!(imported
            .sources
            .contains(&dir.path().join("assets/feed.xml")));
        std::fs::write(
            dir.path().join("assets/feed.xml"),
            feed.replace("permalink: /feed.xml", "permalink: /assets/feed.xml"),
        )
        .unwrap();
        let elsewhere = import(dir.path(), Generator::Jekyll).unwrap();
        assert!(!elsewhere
            .sources
            .contains(&dir.path().join("assets/feed.xml")));
        assert_eq!(elsewhere.limit, Some(10), "jekyll-feed's default");
    }

    #[test]
    fn a_jekyll_site_without_jekyll_feed_or_a_feed_template_has_no_feed() {
        let dir = tempfile::tempdir().unwrap();
        // flexible-jekyll: plugins, none of them jekyll-feed.
        let config = "title: T\nurl: https://j.example.net\ntimezone: UTC\nplugins: [jekyll-sitemap, jekyll-paginate]\n";
        std::fs::write(dir.path().join("_config.yml"), config).unwrap();
        let bare = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(bare.old_feed, None);
        // Its `baseurl` without a `url`: the placeholder keeps the path.
        std::fs::write(
            dir.path().join("_config.yml"),
            "title: T\nbaseurl: /flexible-jekyll\nurl: \"\"\nplugins: [jekyll-paginate]\n",
        )
        .unwrap();
        let served_under = import(dir.path(), Generator::Jekyll).unwrap();
        assert!(render_config(&served_under, "2026-01-01")
            .contains("base_url = \"https://example.org/flexible-jekyll/\"\n"));
        let notes = placeholder_notes(&served_under).join("\n");
        assert!(
            notes.contains("`base_url = \"https://example.org/flexible-jekyll/\"`"),
            "{notes}"
        );
        std::fs::write(dir.path().join("_config.yml"), config).unwrap();
        assert!(
            bare.notes.iter().any(|n| n.contains("no jekyll-feed")),
            "{:?}",
            bare.notes
        );
        // Loaded by the Gemfile's plugin group, or possibly by a theme gem.
        std::fs::write(
            dir.path().join("Gemfile"),
            "group :jekyll_plugins do\n  gem \"jekyll-feed\"\nend\n",
        )
        .unwrap();
        let gem = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(gem.old_feed.as_deref(), Some("_site/feed.xml"));
        std::fs::remove_file(dir.path().join("Gemfile")).unwrap();
        std::fs::write(
            dir.path().join("_config.yml"),
            format!("{config}theme: minima\n"),
        )
        .unwrap();
        let themed = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(themed.old_feed.as_deref(), Some("_site/feed.xml"));
        // Whether the theme loads jekyll-feed only the theme knows: said.
        assert!(
            themed
                .notes
                .iter()
                .any(|n| n.contains("only if its theme `minima` depends on jekyll-feed")),
            "{:?}",
            themed.notes
        );
    }

    #[test]
    fn jekyll_feed_options_are_followed_or_named() {
        let dir = tempfile::tempdir().unwrap();
        let config = "title: T\nurl: https://example.org\ntimezone: UTC\npermalink: pretty\ncollections: [recipes, notes]\nfeed:\n  excerpt_only: true\n  categories: [news, notes]\n  collections:\n    posts: {}\n    recipes:\n      path: /recipes.xml\n      categories: [soup]\n    notes: {}\n    essays: {}\n  tags:\n    only: [rust]\n";
        std::fs::write(dir.path().join("_config.yml"), config).unwrap();
        let imported = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(imported.full_content, Some(false));
        assert_eq!(imported.categories, ["news", "notes"]);
        let notes = imported.notes.join("\n");
        assert!(!notes.contains("per category"), "{notes}");
        // Other collections get their feeds, at the path jekyll-feed
        // writes them, their URLs in the site's style; one `collections:`
        // does not declare has no documents. A collection's categories get
        // feeds in `/feed/<collection>/`, whatever its own feed's `path`.
        let names: Vec<(&str, &str, &str)> = imported
            .collection_feeds
            .iter()
            .map(|c| (c.name.as_str(), c.permalink.as_str(), c.built.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("notes", "/:collection/:path/", "_site/feed/notes.xml"),
                ("recipes", "/:collection/:path/", "_site/recipes.xml")
            ]
        );
        assert_eq!(imported.collection_feeds[1].categories, ["soup"]);
        assert!(
            notes.contains("lists `essays`, which `collections:` does not declare"),
            "{notes}"
        );
        assert!(!notes.contains("`posts`"), "{notes}");
        // `feed.tags.only`: those tags' feeds, compared where jekyll-feed
        // writes them.
        assert_eq!(
            imported.tag_feeds,
            Some(TagFeeds {
                only: vec!["rust".into()],
                except: vec![],
                prefix: "_site/feed/by_tag/".into(),
                suffix: ".xml".into(),
            })
        );
        // The feed itself: the content left out, as jekyll-feed does.
        let written = render_config(&imported, "2025-01-01");
        assert!(written.contains("\nfull_content = false\n"), "{written}");
        assert!(
            written.contains("#   gazette check --against _site/recipes.xml --collection recipes\n[feeds.collections.recipes]\nfolder = \"_recipes\"\npermalink = \"/:collection/:path/\"\n# The site's feed per category; here collections/recipes/<category>.xml, .atom.xml and .json. Compare with\n#   gazette check --against _site/feed/recipes/soup.xml --collection recipes --category soup\ncategories = [\"soup\"]\n"),
            "{written}"
        );
        let loaded = crate::config::Config::parse(
            &written,
            &dir.path().join("gazette.toml"),
            dir.path().to_path_buf(),
        )
        .unwrap_or_else(|e| panic!("{e}\n{written}"));
        let (name, recipes) = loaded.feeds.collection(1).unwrap();
        assert_eq!(
            (name, recipes.permalink.as_str()),
            ("recipes", "/{collection}/{path}/")
        );
        let parsed: toml::Table = toml::from_str(&written).unwrap();
        assert_eq!(parsed["feeds"]["full_content"].as_bool(), Some(false));
        assert_eq!(
            parsed["feeds"]["categories"],
            toml::Value::Array(vec!["news".into(), "notes".into()])
        );
        assert!(
            written.contains("\n#   gazette check --against _site/feed/news.xml --category news\n"),
            "{written}"
        );
        assert!(
            written
                .contains("\n#   gazette check --against _site/feed/by_tag/rust.xml --tag rust\n"),
            "{written}"
        );
        assert_eq!(parsed["feeds"]["per_tag"].as_bool(), Some(true));
        assert_eq!(
            parsed["feeds"]["per_tag_only"],
            toml::Value::Array(vec!["rust".into()])
        );
        // The posts' categories set under their collection, as jekyll-feed
        // also reads them.
        std::fs::write(dir.path().join("_config.yml"), "title: T\nurl: https://example.org\ntimezone: UTC\nfeed:\n  collections:\n    posts:\n      categories: [news]\n").unwrap();
        let nested = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(nested.categories, ["news"]);
        let notes = nested.notes.join("\n");
        assert!(!notes.contains("per collection"), "{notes}");
        // Without the options: no notes about feeds, the content kept.
        std::fs::write(
            dir.path().join("_config.yml"),
            "title: T\nurl: https://example.org\ntimezone: UTC\nfeed:\n  tags: false\n",
        )
        .unwrap();
        let plain = import(dir.path(), Generator::Jekyll).unwrap();
        assert_eq!(plain.full_content, None);
        assert_eq!(plain.tag_feeds, None);
        assert!(
            !plain.notes.iter().any(|n| n.contains("jekyll-feed")),
            "{:?}",
            plain.notes
        );
    }

    #[test]
    fn jekyll_feed_tags_become_feeds_per_tag_as_it_writes_them() {
        let dir = tempfile::tempdir().unwrap();
        let with = |tags: &str| {
            std::fs::write(
                dir.path().join("_config.yml"),
                format!("title: T\nurl: https://example.org\ntimezone: UTC\ndestination: out\nfeed:\n  tags: {tags}\n"),
            )
            .unwrap();
            import(dir.path(), Generator::Jekyll).unwrap()
        };
        // Every tag, less `except`, at the folder `path` names.
        let every = with("{except: [draft], path: /t/}");
        assert_eq!(
            every.tag_feeds,
            Some(TagFeeds {
                only: vec![],
                except: vec!["draft".into()],
                prefix: "out/t/".into(),
                suffix: ".xml".into(),
            })
        );
        assert!(
            every
                .notes
                .iter()
                .any(|n| n.contains("letters, digits and `_`")),
            "{:?}",
            every.notes
        );
        let written = render_config(&every, "2025-01-01");
        assert!(
            written
                .contains("#   gazette check --against out/t/TAG.xml --tag TAG   (for each TAG)\n"),
            "{written}"
        );
        let parsed: toml::Table = toml::from_str(&written).unwrap();
        assert_eq!(
            parsed["feeds"]["per_tag_except"],
            toml::Value::Array(vec!["draft".into()])
        );
        assert!(parsed["feeds"].get("per_tag_only").is_none());
        assert_eq!(
            with("true").tag_feeds.map(|t| t.prefix),
            Some("out/feed/by_tag/".into())
        );
        // `only` less `except`, and only names jekyll-feed gives a file.
        let only = with("{only: [rust, c++, go], except: [go]}");
        assert_eq!(
            only.tag_feeds.map(|t| t.only),
            Some(vec!["rust".to_string()])
        );
        assert!(
            only.notes.iter().any(|n| n.contains("no feed for c++")),
            "{:?}",
            only.notes
        );
        // An `only` naming nothing writes no feed per tag, as in jekyll-feed.
        assert_eq!(with("{only: []}").tag_feeds, None);
        assert_eq!(with("{only: [c++]}").tag_feeds, None);
        assert_eq!(with("false").tag_feeds, None);
    }

    #[test]
    fn every_invented_value_gets_a_note() {
        let none = Imported::default();
        let notes = placeholder_notes(&none).join("\n");
        assert!(notes.contains("title was not found"), "{notes}");
        assert!(notes.contains("address was not found"), "{notes}");
        assert!(notes.contains("no site author"), "{notes}");
        let placeholder = Imported {
            title: Some("T".into()),
            base_url: Some("http://example.org/".into()),
            author: Some("A".into()),
            ..Imported::default()
        };
        let notes = placeholder_notes(&placeholder);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("example placeholder"));
        // Where the generator reads the address from the deploy's variable,
        // the placeholder is what it falls back on.
        let from_env = Imported {
            generator: Some(Generator::Hugo),
            base_url_env: Some("HUGO_BASEURL".into()),
            ..placeholder.clone()
        };
        let notes = placeholder_notes(&from_env);
        assert!(
            notes[0].contains("is $HUGO_BASEURL where that is set, as Hugo reads it, else \"http://example.org/\""),
            "{notes:?}"
        );
        let real = Imported {
            base_url: Some("https://blog.example.net.real.org/".into()),
            ..placeholder
        };
        assert!(placeholder_notes(&real).is_empty());
    }
}
