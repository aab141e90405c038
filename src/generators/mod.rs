//! The site generators gazette lives next to, and the rules of each that
//! decide which files are posts, what their dates, URLs and ids are.
//!
//! A preset only supplies defaults: every rule can be set in `gazette.toml`.
//! The sources of the rules are cited in the README's generator table.

pub mod eleventy_config;
pub mod eleventy_filters;
pub mod eleventy_git_dates;
pub mod eleventy_ignores;
pub mod jekyll_defaults;
pub mod js_literal;
pub mod js_modules;
// Written by scripts/eleventy/slug_tables.mjs, which CI runs again to
// compare: left as written.
#[rustfmt::skip]
mod npm_slug_tables;
pub mod npm_slugs;
pub mod read_once;
pub mod slugify;
pub mod zola_site;

use std::path::{Component, Path};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Deserialize;

/// A folder holding `files` (path, text), for tests of the rules that
/// read a site's own files.
#[cfg(test)]
pub(crate) fn site_of(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The generator whose conventions a site follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Generator {
    /// gazette's own: a folder of posts and nothing else.
    #[default]
    Gazette,
    Zola,
    Hugo,
    Jekyll,
    Eleventy,
}

/// What feed readers already know each entry by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IdFormat {
    /// An explicit `id` key, else the URL (gazette's own).
    IdKey,
    /// The post's URL.
    Url,
    /// jekyll-feed's `<id>`: the post's `id` (its URL's folder plus its
    /// slug, without extension) made absolute.
    JekyllFeed,
    /// Hugo's RSS `<guid>`: the permalink.
    Hugo,
    /// Zola's Atom `<id>`: the permalink as Zola writes it (not percent-encoded).
    Zola,
}

/// What a post without a date is (`undated` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Undated {
    /// An error: every post needs a date.
    Error,
    /// Not a feed entry (Zola's feeds list only dated pages).
    LeaveOut,
    /// An entry dated 0001-01-01T00:00:00Z, the zero time Hugo gives a page
    /// without a date and lists it at in its feeds, after every dated one.
    ZeroDate,
}

/// How the feeds order their entries (`entry_order` in the config): newest
/// first, and what decides between posts of the same date, as each
/// generator's feeds do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryOrder {
    /// Same-date posts by id, the smaller first: Zola's feeds (by
    /// permalink), gazette's own.
    #[default]
    DateId,
    /// Same-date posts by source path, the smaller first: jekyll-feed
    /// (`site.posts | sort: "date" | reverse`, Ruby's sort being stable).
    DatePath,
    /// Same-date posts by source path, the greater first: a Jekyll feed
    /// template over `site.posts` (Jekyll orders documents by date, then
    /// path), Eleventy's `collections.posts | reverse` (by date, then
    /// `inputPath`).
    DatePathDescending,
    /// Hugo's default page order: pages with a `weight` first, the
    /// smallest first, then newest first, then by link title (`linkTitle`,
    /// else the title) in Unicode collation order, then by file path.
    WeightDateTitle,
    /// Last modified first, as a Hugo feed template writing
    /// `.ByLastmod.Reverse` lists its pages (hugo-theme-reimu's): by
    /// `lastmod` to the second, else the date, and same-second pages in the
    /// reverse of Hugo's default order, since Hugo sorts them stably by
    /// `lastmod` from that order, then reverses the whole.
    LastmodReversed,
}

/// How the feed of one of Jekyll's other collections orders its documents
/// (`feeds.collections`), whatever `entry_order` says of the posts:
/// jekyll-feed reverses `site.COLLECTION`, which Jekyll sorts by date,
/// then path, where `site.posts` is already newest first.
pub const COLLECTION_ORDER: EntryOrder = EntryOrder::DatePathDescending;

/// How a file in the content folder counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum FileKind {
    #[default]
    Post,
    /// A post the generator keeps out unless asked (Jekyll's `_drafts`).
    Draft,
    /// Not a page of the site at all (a section index, an include, a resource).
    NotAPost,
    /// A document of the collection at this index of `feeds.collections`
    /// (Jekyll's other collections): in that collection's feed alone.
    Document(u8),
}

/// The defaults a generator brings.
#[derive(Debug, Clone)]
pub struct Preset {
    pub content_dir: &'static str,
    pub templates_dir: &'static str,
    pub output_dir: &'static str,
    /// Where the output folder is served, relative to `base_url`.
    pub feeds_path: &'static str,
    pub permalink: &'static str,
    pub extensions: &'static [&'static str],
    pub id_format: IdFormat,
    pub lowercase_urls: bool,
    /// Whether a permalink's date parts are taken in the site's time zone
    /// (Jekyll) or as the date was written (the others).
    pub permalink_in_site_timezone: bool,
    pub undated: Undated,
    pub slug_style: slugify::Style,
    /// Whether `YYYY-MM-DD-` at the start of a file name is a date (Hugo:
    /// only with `:filename` in `[frontmatter] date`).
    pub name_dates: bool,
    /// Curly quotes, dashes and ellipses in post bodies, as the generator's
    /// Markdown renderer makes them (kramdown, Goldmark's typographer).
    pub smart_punctuation: bool,
    /// The same in feed titles (jekyll-feed's `smartify`).
    pub smart_titles: bool,
    /// Inline HTML taken out of feed titles (jekyll-feed's `strip_html`).
    pub strip_title_html: bool,
    /// Whether a post dated in the future is published at once: Zola and
    /// Eleventy do not filter by date (getzola/zola#1831; Eleventy's
    /// collections hold every template), Jekyll and Hugo hold such posts
    /// back unless `future`/`buildFuture` say otherwise.
    pub publish_future: bool,
    /// How the generator's feeds order their entries.
    pub entry_order: EntryOrder,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Gazette => "gazette",
            Generator::Zola => "zola",
            Generator::Hugo => "hugo",
            Generator::Jekyll => "jekyll",
            Generator::Eleventy => "eleventy",
        }
    }

    /// Whether a file of this kind without front matter is still a page:
    /// Hugo and Eleventy build one with no data of its own, and Jekyll a
    /// post or draft (its `PostReader` reads every dated file of `_posts`
    /// as a document, titled from its name), where Zola refuses it and
    /// Jekyll copies any other file as a static one.
    pub fn builds_without_front_matter(self, kind: FileKind) -> bool {
        match self {
            Generator::Hugo | Generator::Eleventy => true,
            Generator::Jekyll => matches!(kind, FileKind::Post | FileKind::Draft),
            Generator::Gazette | Generator::Zola => false,
        }
    }

    /// Whether the generator's feeds write a post's dates in whole seconds,
    /// the fraction cut: Jekyll's `date_to_xmlschema` (`Time#xmlschema`),
    /// Go's layouts without one, eleventy-plugin-rss's `dateToRfc3339`
    /// (`toISOString()` without its milliseconds). Zola's `%+` keeps it.
    pub fn feeds_write_whole_seconds(self) -> bool {
        matches!(
            self,
            Generator::Hugo | Generator::Jekyll | Generator::Eleventy
        )
    }

    /// The name people know it by, for messages.
    pub fn title(self) -> &'static str {
        match self {
            Generator::Gazette => "gazette",
            Generator::Zola => "Zola",
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
            Generator::Eleventy => "Eleventy",
        }
    }

    pub fn preset(self) -> Preset {
        let beside = |permalink, content_dir, output_dir, extensions, id_format| Preset {
            content_dir,
            templates_dir: "gazette/templates",
            output_dir,
            feeds_path: "feeds/",
            permalink,
            extensions,
            id_format,
            lowercase_urls: false,
            permalink_in_site_timezone: false,
            undated: Undated::Error,
            slug_style: slugify::Style::Keep,
            name_dates: true,
            smart_punctuation: false,
            smart_titles: false,
            strip_title_html: false,
            publish_future: false,
            entry_order: EntryOrder::DateId,
        };
        match self {
            Generator::Gazette => Preset {
                content_dir: "content",
                templates_dir: "templates",
                output_dir: "feeds",
                feeds_path: "",
                permalink: "/posts/{slug}/",
                extensions: &["md", "markdown"],
                id_format: IdFormat::IdKey,
                lowercase_urls: false,
                permalink_in_site_timezone: false,
                undated: Undated::Error,
                slug_style: slugify::Style::Keep,
                name_dates: true,
                smart_punctuation: false,
                smart_titles: false,
                strip_title_html: false,
                publish_future: false,
                entry_order: EntryOrder::DateId,
            },
            Generator::Zola => Preset {
                undated: Undated::LeaveOut,
                publish_future: true,
                slug_style: slugify::Style::Zola,
                ..beside(
                    "/{sections}/{slug}/",
                    "content",
                    "static/feeds",
                    &["md"],
                    IdFormat::Zola,
                )
            },
            // Goldmark's typographer extension is on by default; the feed's
            // titles are `.Title`, as written.
            Generator::Hugo => Preset {
                smart_punctuation: true,
                lowercase_urls: true,
                name_dates: false,
                undated: Undated::ZeroDate,
                slug_style: slugify::Style::Hugo,
                entry_order: EntryOrder::WeightDateTitle,
                ..beside(
                    "/{sections}/{slug}/",
                    "content",
                    "static/feeds",
                    &["md", "markdown", "html"],
                    IdFormat::Hugo,
                )
            },
            // Jekyll publishes every file and folder whose name does not
            // start with `_` or `.`: gazette's templates live under `_gazette`.
            // kramdown makes typographic quotes and dashes by default, and
            // jekyll-feed passes titles through `smartify | strip_html`.
            Generator::Jekyll => Preset {
                smart_punctuation: true,
                smart_titles: true,
                strip_title_html: true,
                templates_dir: "_gazette/templates",
                permalink_in_site_timezone: true,
                slug_style: slugify::Style::JekyllPretty,
                entry_order: EntryOrder::DatePath,
                ..beside(
                    "/{categories}/{year}/{month}/{day}/{title}.html",
                    ".",
                    "feeds",
                    &["md", "markdown", "mkdown", "mkdn", "mkd", "html"],
                    IdFormat::JekyllFeed,
                )
            },
            // Eleventy would date an undated page by the file's creation time,
            // which changes with every checkout: such pages are not entries.
            // Eleventy renders every template file it finds except those in
            // its includes folder: gazette's templates (Tera, which Liquid
            // cannot read) live there. Of its default template formats,
            // Markdown and HTML are the ones whose body is the post as
            // written (Nunjucks or Liquid files are programs).
            Generator::Eleventy => Preset {
                templates_dir: "_includes/gazette",
                undated: Undated::LeaveOut,
                publish_future: true,
                entry_order: EntryOrder::DatePathDescending,
                ..beside(
                    "/{path}/",
                    ".",
                    "_site/feeds",
                    &["md", "html"],
                    IdFormat::Url,
                )
            },
        }
    }

    /// Whether the file at `rel` (relative to the content folder) is a post.
    pub fn file_kind(self, rel: &Path) -> FileKind {
        let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let dirs: Vec<&str> = parent_dirs(rel);
        match self {
            // Hugo and Zola keep section pages in `_index.md`.
            Generator::Gazette | Generator::Zola | Generator::Hugo => {
                if stem.starts_with('_') {
                    FileKind::NotAPost
                } else {
                    FileKind::Post
                }
            }
            Generator::Jekyll => {
                // Posts live in `_posts` folders (at any depth) and carry a
                // date in their name; `_drafts` holds drafts; every other
                // underscore folder is Jekyll's own.
                let special = dirs.iter().position(|d| *d == "_posts" || *d == "_drafts");
                match special {
                    Some(i)
                        if dirs[..i].iter().all(|d| !d.starts_with('_'))
                            && (dirs[i] == "_drafts"
                                || crate::dates::jekyll_name_rest(stem).is_some()) =>
                    {
                        if dirs[i] == "_drafts" {
                            FileKind::Draft
                        } else {
                            FileKind::Post
                        }
                    }
                    _ => FileKind::NotAPost,
                }
            }
            Generator::Eleventy => {
                let own = ["_includes", "_data", "_site", "node_modules", "_layouts"];
                if dirs.iter().any(|d| own.contains(d)) || stem.eq_ignore_ascii_case("readme") {
                    FileKind::NotAPost
                } else {
                    FileKind::Post
                }
            }
        }
    }

    /// The date and slug a file's name (or, for `x/index.md`, its folder's
    /// name) gives, by the generator's rule.
    /// `name_dates` off: names are names (Hugo without `:filename`).
    pub fn date_from_name(self, rel: &Path, name_dates: bool) -> Option<(NameDate, String)> {
        if !name_dates {
            return None;
        }
        let name = name_for_slug(rel);
        match self {
            Generator::Zola => zola_date(&name),
            _ => {
                let split = if self == Generator::Jekyll {
                    crate::dates::from_jekyll_file_stem
                } else {
                    crate::dates::from_file_stem
                };
                let (day, rest) = split(&name)?;
                Some((NameDate::Day(day), rest.to_string()))
            }
        }
    }

    /// The slug of a post without a `slug` key: its file name, or its
    /// folder's for `x/index.md`, without the date the name may start with.
    pub fn slug_from_name(self, rel: &Path, name_dates: bool) -> String {
        let slug = match self.date_from_name(rel, name_dates) {
            Some((_, rest)) => rest,
            None if self == Generator::Jekyll && name_dates => {
                let name = name_for_slug(rel);
                match crate::dates::jekyll_name_rest(&name) {
                    Some(rest) => rest.to_string(),
                    None => name,
                }
            }
            None => name_for_slug(rel),
        };
        // Eleventy's `page.fileSlug` (`TemplateFileSlug#getSlug`): a name
        // that is `index` once its date is gone (`2017-03-08-index.md`) is
        // its folder's, without the folder's own date.
        if self == Generator::Eleventy && slug == "index" {
            if let Some(folder) = parent_dirs(rel).last() {
                return match crate::dates::from_file_stem(folder) {
                    Some((_, rest)) => rest.to_string(),
                    None => folder.to_string(),
                };
            }
        }
        slug
    }
}

/// A date read from a file name: a day, or (Zola) a full RFC 3339 instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameDate {
    Day(NaiveDate),
    Instant(DateTime<FixedOffset>),
}

/// The folders of `rel`, outermost first.
pub fn parent_dirs(rel: &Path) -> Vec<&str> {
    rel.parent()
        .map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(s) => s.to_str(),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The folders a page is in: `parent_dirs`, less a page bundle's own
/// folder (`x/index.md` is the page `x`, not a page in `x`).
pub fn page_folders(rel: &Path) -> Vec<&str> {
    let mut folders = parent_dirs(rel);
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem.eq_ignore_ascii_case("index") {
        folders.pop();
    }
    folders
}

/// `x/index.md` is named after its folder (a page bundle); others after
/// their file stem.
pub fn name_for_slug(rel: &Path) -> String {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem.eq_ignore_ascii_case("index") {
        if let Some(dir) = parent_dirs(rel).last() {
            return dir.to_string();
        }
    }
    stem.to_string()
}

/// Jekyll's `relative_url` of a path: the config's `baseurl`, with one
/// leading slash and one trailing slash fewer (Ruby's `chomp("/")`), before
/// the path, given one leading slash (`Filters::URLFilters`). Its
/// `absolute_url` puts the config's `url` before that as text, so a `url`
/// ending in a slash doubles it.
pub fn jekyll_relative_url(baseurl: &str, path: &str) -> String {
    let leading_slash = |text: &str| match text.is_empty() || text.starts_with('/') {
        true => text.to_string(),
        false => format!("/{text}"),
    };
    let baseurl = baseurl.strip_suffix('/').unwrap_or(baseurl);
    format!("{}{}", leading_slash(baseurl), leading_slash(path))
}

/// The path Hugo gives a page whose front matter sets `url`: a folder
/// (`x` is `x/`) unless the value has a dot anywhere (`x.html`, `/a.b/c`),
/// which is then a file (`CreateTargetPaths`: `hasSlash || !hasDot`).
pub fn hugo_url_path(url: &str) -> String {
    if url.ends_with('/') || url.contains('.') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// Zola's `2024-03-05_slug`, `2024-03-05-slug` or an RFC 3339 instant
/// before the separator.
fn zola_date(name: &str) -> Option<(NameDate, String)> {
    let day = NaiveDate::parse_from_str(name.get(..10)?, "%Y-%m-%d").ok()?;
    let mut rest = &name[10..];
    let mut date = NameDate::Day(day);
    if rest.starts_with('T') {
        // The longest RFC 3339 instant that parses wins.
        let instant = (1..=rest.len())
            .rev()
            .filter(|&cut| rest.is_char_boundary(cut))
            .find_map(|cut| {
                DateTime::parse_from_rfc3339(&format!("{}{}", &name[..10], &rest[..cut]))
                    .ok()
                    .map(|instant| (instant, cut))
            });
        if let Some((instant, cut)) = instant {
            date = NameDate::Instant(instant);
            rest = &rest[cut..];
        }
    }
    let rest = rest.trim_start();
    let slug = rest.strip_prefix('_').or_else(|| rest.strip_prefix('-'))?;
    (!slug.is_empty()).then(|| (date, slug.to_string()))
}

/// Whether the site is built by Jekyll 3 (GitHub Pages' `github-pages`
/// gem, or a lock file that pins Jekyll 3), whose `{% link %}` and
/// `{% post_url %}` give a URL without the site's `baseurl`; Jekyll 4 adds
/// it (jekyllrb.com/docs/upgrading/3-to-4). A site that names neither is
/// taken to be built by Jekyll 4.
pub fn jekyll_3(root: &std::path::Path) -> bool {
    let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap_or_default();
    let lock = read("Gemfile.lock");
    // The gem's own entry under `specs:` (four spaces in), not a
    // dependency of another gem's (six, and a requirement: `(>= 3.7)`).
    let pinned = lock
        .lines()
        .find_map(|line| line.strip_prefix("    jekyll ("))
        .map(|version| version.starts_with('3'));
    pinned.unwrap_or_else(|| {
        read("Gemfile").lines().map(str::trim).any(|line| {
            !line.starts_with('#')
                && (line.contains("\"github-pages\"") || line.contains("'github-pages'"))
        })
    })
}

/// Whether a config file that is not gazette's belongs to a generator,
/// judged by keys only that generator writes.
pub fn foreign_config(text: &str) -> Option<Generator> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return None;
    };
    let has = |key: &str| table.keys().any(|k| k.eq_ignore_ascii_case(key));
    if has("baseURL") && !has("base_url") || has("languageCode") {
        return Some(Generator::Hugo);
    }
    let zola_keys = [
        "compile_sass",
        "generate_feed",
        "generate_feeds",
        "build_search_index",
        "feed_filenames",
        "feed_filename",
        "taxonomies",
        "markdown",
        "extra",
        "default_language",
        "minify_html",
    ];
    if has("base_url") && zola_keys.iter().any(|k| has(k)) {
        return Some(Generator::Zola);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_url_is_a_folder_unless_it_has_a_dot() {
        // Measured with Hugo 0.111 and 0.168.
        for (url, path) in [
            ("a-plain", "a-plain/"),
            ("/b-abs", "/b-abs/"),
            ("c-dir/", "c-dir/"),
            ("d.html", "d.html"),
            ("14943", "14943/"),
            ("/g.x/h", "/g.x/h"),
            ("Mixed.HTML", "Mixed.HTML"),
        ] {
            assert_eq!(hugo_url_path(url), path, "{url}");
        }
    }

    #[test]
    fn jekyll_3_by_the_gemfile_or_its_lock() {
        let site = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(site.path().join(name), text).unwrap();
        assert!(!jekyll_3(site.path()), "no Gemfile: Jekyll 4");
        write(
            "Gemfile",
            "source \"https://rubygems.org\"\n# gem \"github-pages\"\ngem \"jekyll\"\n",
        );
        assert!(!jekyll_3(site.path()), "a comment names github-pages");
        write("Gemfile", "gem \"github-pages\", group: :jekyll_plugins\n");
        assert!(jekyll_3(site.path()));
        // The lock's own entry for the gem decides, not another gem's
        // requirement (`jekyll (= 3.9.3)` under github-pages).
        write(
            "Gemfile.lock",
            "GEM\n  specs:\n    github-pages (228)\n      jekyll (= 3.9.3)\n    jekyll (4.3.2)\n",
        );
        assert!(!jekyll_3(site.path()));
        write("Gemfile.lock", "GEM\n  specs:\n    jekyll (3.10.0)\n");
        assert!(jekyll_3(site.path()));
    }

    #[test]
    fn which_files_are_posts() {
        let kind = |g: Generator, p: &str| g.file_kind(Path::new(p));
        assert_eq!(
            kind(Generator::Jekyll, "_posts/2024-01-02-a.md"),
            FileKind::Post
        );
        assert_eq!(
            kind(Generator::Jekyll, "blog/_posts/2024-01-02-a.md"),
            FileKind::Post
        );
        assert_eq!(
            kind(Generator::Jekyll, "_posts/notes/2024-01-02-a.md"),
            FileKind::Post
        );
        assert_eq!(
            kind(Generator::Jekyll, "_posts/undated.md"),
            FileKind::NotAPost
        );
        // Jekyll's name pattern is digits, not a calendar date: the front
        // matter dates JakobWyatt's `2019-07-44-concurrency-in-spark`.
        assert_eq!(
            kind(Generator::Jekyll, "_posts/2019-07-44-spark.markdown"),
            FileKind::Post
        );
        assert_eq!(kind(Generator::Jekyll, "_drafts/idea.md"), FileKind::Draft);
        assert_eq!(kind(Generator::Jekyll, "about.md"), FileKind::NotAPost);
        assert_eq!(
            kind(Generator::Jekyll, "_site/_posts/2024-01-02-a.md"),
            FileKind::NotAPost
        );
        assert_eq!(kind(Generator::Zola, "blog/_index.md"), FileKind::NotAPost);
        assert_eq!(kind(Generator::Hugo, "posts/x/index.md"), FileKind::Post);
        assert_eq!(
            kind(Generator::Eleventy, "_includes/layout.md"),
            FileKind::NotAPost
        );
        assert_eq!(kind(Generator::Eleventy, "blog/post.md"), FileKind::Post);
    }

    #[test]
    fn dates_and_slugs_from_names() {
        let zola = |p: &str| Generator::Zola.date_from_name(Path::new(p), true);
        let (date, slug) = zola("blog/2024-03-05_first-post.md").unwrap();
        assert_eq!(
            date,
            NameDate::Day(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap())
        );
        assert_eq!(slug, "first-post");
        assert_eq!(zola("blog/2024-03-05-second/index.md").unwrap().1, "second");
        let (date, slug) = zola("2024-03-05T10:00:00Z_timed.md").unwrap();
        assert!(matches!(date, NameDate::Instant(_)));
        assert_eq!(slug, "timed");
        assert!(zola("blog/plain.md").is_none());
        assert_eq!(
            Generator::Zola.slug_from_name(Path::new("blog/plain.md"), true),
            "plain"
        );
        assert_eq!(
            Generator::Hugo.slug_from_name(Path::new("posts/2024-03-05-kept.md"), false),
            "2024-03-05-kept"
        );
        assert_eq!(
            Generator::Jekyll.slug_from_name(Path::new("_posts/2024-03-05-hello.md"), true),
            "hello"
        );
        assert_eq!(
            Generator::Jekyll.slug_from_name(Path::new("_posts/2019-07-44-spark.md"), true),
            "spark"
        );
        // Eleventy's `page.fileSlug`: `index` once the date is gone is the
        // folder's name, less its own date (11ty/eleventy's TemplateFileSlug).
        let eleventy = |p: &str| Generator::Eleventy.slug_from_name(Path::new(p), true);
        assert_eq!(eleventy("posts/wiggle/2017-03-08-index.md"), "wiggle");
        assert_eq!(eleventy("posts/2019-05-01-trip/index.md"), "trip");
        assert_eq!(eleventy("posts/2019-05-01-trip.md"), "trip");
        assert_eq!(eleventy("posts/wiggle/2017-03-08-notes.md"), "notes");
        assert_eq!(
            Generator::Jekyll.slug_from_name(Path::new("_posts/x/2017-03-08-index.md"), true),
            "index"
        );
    }
}
