//! Where Jekyll's `{% link path %}` points when the path is not a post: a
//! page, a document of a collection Jekyll writes, or a static file. Jekyll
//! looks the path up among the files it writes (`Tags::Link`,
//! `Site#each_site_file`) and prints that file's URL, which it makes the way
//! this module does: `Page#template`, `Collection#url_template`,
//! `Utils.add_permalink_suffix` and `URL#sanitize_url` (jekyll 4.4).

use std::path::{Component, Path};

use serde_json::{Map, Value};

use crate::generators::jekyll_defaults::Defaults;
use crate::generators::slugify::Style;
use crate::generators::Generator;
use crate::permalink::{self, Parts};

/// Jekyll's `markdown_ext` unless `_config.yml` sets it: the files it
/// renders to HTML (`Configuration::DEFAULTS`).
const MARKDOWN_EXT: &str = "markdown,mkdown,mkdn,mkd,md";
const HTML: &[&str] = &["html", "htm", "xhtml"];

/// The site-relative URL path (`/docs/history/`) of the file at `reference`
/// (a path from the site's folder, as the tag takes it); none for a file
/// Jekyll does not write, or whose URL needs what only Jekyll's build knows
/// (a date it would take from the clock).
pub fn url_path(root: &Path, defaults: &Defaults, reference: &str) -> Option<String> {
    let rel = reference.trim().trim_start_matches('/');
    let inside = Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    let site = &defaults.site;
    let collection = collection_of(site, rel);
    // A document's path is from `collections_dir` (`Document#relative_path`).
    let file = match collection {
        Some(_) => root.join(collections_dir(site)).join(rel),
        None => root.join(rel),
    };
    if rel.is_empty() || !inside || !file.is_file() {
        return None;
    }
    let Some(mut front_matter) = crate::content::frontmatter::of_file(&file) else {
        // A file without front matter is copied as it is, to its own path.
        return (!hidden(rel)).then(|| permalink::expand("/{path}", &parts(rel, "")));
    };
    let style = site
        .get("permalink")
        .and_then(Value::as_str)
        .unwrap_or("date");
    let (stem, extension) = match rel.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') => (stem, extension),
        _ => (rel, ""),
    };
    let output_ext = output_extension(site, extension);
    let output_ext = output_ext.as_str();
    if let Some((name, below)) = collection {
        let below_stem = below.rsplit_once('.').map_or(below, |(stem, _)| stem);
        let settings = collection_settings(site, name);
        if !settings
            .and_then(|c| c.get("output"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            return None;
        }
        defaults.fill(&mut front_matter, rel, name);
        let pattern = own_permalink(&front_matter)
            .or_else(|| {
                settings
                    .and_then(|c| c.get("permalink"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| with_suffix("/:collection/:path", style));
        let basename = below_stem.rsplit('/').next().unwrap_or(below_stem);
        let slug = front_matter
            .get("slug")
            .and_then(Value::as_str)
            .unwrap_or(basename);
        let document = Parts {
            slug,
            collection: name,
            style: Style::JekyllPretty,
            ..parts(below_stem, "")
        };
        return expand(&pattern, output_ext, &document);
    }
    if hidden(rel) {
        return None;
    }
    defaults.fill(&mut front_matter, rel, "pages");
    let (folder, basename) = match stem.rsplit_once('/') {
        Some((folder, basename)) => (folder, basename),
        None => ("", stem),
    };
    let pattern = own_permalink(&front_matter).unwrap_or_else(|| {
        if !HTML.contains(&output_ext.trim_start_matches('.')) {
            "/:path/:basename:output_ext".to_string()
        } else if basename == "index" {
            "/:path/".to_string()
        } else {
            with_suffix("/:path/:basename", style)
        }
    });
    expand(&pattern, output_ext, &parts(folder, basename))
}

/// What a page's or a static file's URL is made of: its `:path` and
/// `:basename`, as written.
fn parts<'a>(path: &'a str, filename: &'a str) -> Parts<'a> {
    Parts {
        slug: "",
        explicit_slug: false,
        title: "",
        filename,
        path,
        collection: "",
        sections: &[],
        categories: &[],
        date: None,
        style: Style::Keep,
    }
}

/// `pattern` in Jekyll's `:token` syntax filled in, then made a path as
/// `URL#sanitize_url` makes one (rooted, `..` and `./` gone, slashes
/// single); none where it needs a date or a value gazette does not have.
fn expand(pattern: &str, output_ext: &str, parts: &Parts<'_>) -> Option<String> {
    let translated = permalink::from_generator_syntax(pattern, Generator::Jekyll);
    let known = [
        "path",
        "filename",
        "collection",
        "slug",
        "slugified",
        "output_ext",
    ];
    let names = permalink::placeholders(&translated).ok()?;
    if !names.iter().all(|name| known.contains(&name.as_str())) {
        return None;
    }
    let translated = translated.replace("{output_ext}", output_ext);
    let path = permalink::expand(&translated, parts);
    let path = format!("/{path}").replace("..", "/").replace("./", "");
    Some(crate::paths::collapse_slashes(&path))
}

/// A permalink the file (or a default that covers it) sets.
fn own_permalink(front_matter: &Map<String, Value>) -> Option<String> {
    front_matter
        .get("permalink")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// `Utils.add_permalink_suffix`: the site's permalink style decides
/// whether a page's or a document's URL is a folder or keeps its extension.
fn with_suffix(template: &str, style: &str) -> String {
    match style {
        "pretty" => format!("{template}/"),
        "date" | "ordinal" | "none" => format!("{template}:output_ext"),
        _ if style.ends_with('/') => format!("{template}/"),
        _ if style.ends_with(":output_ext") => format!("{template}:output_ext"),
        _ => template.to_string(),
    }
}

/// The extension Jekyll writes a file with front matter under.
fn output_extension(site: &Map<String, Value>, extension: &str) -> String {
    let lower = extension.to_ascii_lowercase();
    let markdown = site
        .get("markdown_ext")
        .and_then(Value::as_str)
        .unwrap_or(MARKDOWN_EXT);
    match lower.as_str() {
        _ if markdown.split(',').any(|x| x.trim() == lower) => ".html".to_string(),
        "scss" | "sass" => ".css".to_string(),
        "" => String::new(),
        _ => format!(".{extension}"),
    }
}

/// Jekyll reads no file or folder whose name starts with `_` or `.` as a
/// page or a static file (`EntryFilter#special?`), collections aside.
fn hidden(rel: &str) -> bool {
    rel.split('/')
        .any(|part| part.starts_with('_') || part.starts_with('.'))
}

/// The collection whose folder (`_NAME`) the path from `collections_dir`
/// is in, and the path below that folder.
fn collection_of<'a>(site: &'a Map<String, Value>, rel: &'a str) -> Option<(&'a str, &'a str)> {
    let (folder, below) = rel.split_once('/')?;
    let name = folder.strip_prefix('_')?;
    (name != "posts" && name != "drafts" && collection_settings(site, name).is_some())
        .then_some((name, below))
}

/// Where collections' folders are, from the site's folder.
fn collections_dir(site: &Map<String, Value>) -> &str {
    site.get("collections_dir")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim_matches('/')
}

/// A collection's settings in `_config.yml` (`collections:` as a table, or
/// a list of names, which take every default).
fn collection_settings<'a>(
    site: &'a Map<String, Value>,
    name: &str,
) -> Option<&'a Map<String, Value>> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    match site.get("collections")? {
        Value::Object(collections) => match collections.get(name)? {
            Value::Object(settings) => Some(settings),
            _ => Some(EMPTY.get_or_init(Map::new)),
        },
        Value::Array(names) => names
            .iter()
            .any(|n| n.as_str() == Some(name))
            .then(|| EMPTY.get_or_init(Map::new)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site whose URLs were measured with Jekyll 4.3.1's `{% link %}`.
    fn site() -> (tempfile::TempDir, Defaults) {
        let dir = tempfile::tempdir().unwrap();
        let config = "url: https://e.org\npermalink: pretty\ncollections:\n  docs:\n    output: true\n  notes:\n    output: false\ndefaults:\n  - scope: {path: guide, type: pages}\n    values: {permalink: \"/handbook/:basename/\"}\n";
        let files = [
            ("_config.yml", config),
            ("about.md", "---\ntitle: About\n---\n"),
            ("guide/index.md", "---\n---\n"),
            ("guide/setup.md", "---\n---\n"),
            (
                "special.html",
                "---\npermalink: /own/:basename:output_ext\n---\n",
            ),
            ("assets/site.scss", "---\n---\nbody{}\n"),
            ("assets/a b.pdf", "pdf"),
            ("_docs/deep/Read Me.md", "---\ntitle: H\n---\n"),
            ("_notes/n.md", "---\n---\n"),
            ("_hidden/x.md", "---\n---\n"),
        ];
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let defaults = match crate::yaml::parse(config) {
            Ok(Value::Object(map)) => Defaults::from_config(&map),
            other => panic!("{other:?}"),
        };
        (dir, defaults)
    }

    #[test]
    fn pages_documents_and_static_files_at_jekylls_urls() {
        let (dir, defaults) = site();
        let url = |reference: &str| url_path(dir.path(), &defaults, reference);
        let measured = [
            ("about.md", "/about/"),
            ("guide/index.md", "/handbook/index/"),
            ("guide/setup.md", "/handbook/setup/"),
            ("special.html", "/own/special.html"),
            ("assets/site.scss", "/assets/site.css"),
            ("_docs/deep/Read Me.md", "/docs/deep/Read%20Me/"),
            ("assets/a b.pdf", "/assets/a%20b.pdf"),
            ("/assets/a b.pdf", "/assets/a%20b.pdf"),
        ];
        for (reference, expected) in measured {
            assert_eq!(url(reference).as_deref(), Some(expected), "{reference}");
        }
        // Not written by Jekyll, not there, or not inside the site.
        for reference in ["_notes/n.md", "_hidden/x.md", "missing.md", "../x.md", ""] {
            assert_eq!(url(reference), None, "{reference}");
        }
    }

    #[test]
    fn a_documents_path_is_from_collections_dir() {
        let (dir, mut defaults) = site();
        std::fs::rename(dir.path().join("_docs"), dir.path().join("_docs-moved")).unwrap();
        std::fs::create_dir(dir.path().join("pages")).unwrap();
        std::fs::rename(
            dir.path().join("_docs-moved"),
            dir.path().join("pages/_docs"),
        )
        .unwrap();
        defaults
            .site
            .insert("collections_dir".into(), "pages".into());
        let url = |reference: &str| url_path(dir.path(), &defaults, reference);
        assert_eq!(
            url("_docs/deep/Read Me.md").as_deref(),
            Some("/docs/deep/Read%20Me/")
        );
        // Jekyll finds no document by its path from the site's folder.
        assert_eq!(url("pages/_docs/deep/Read Me.md"), None);
    }

    #[test]
    fn the_permalink_style_decides_a_pages_suffix() {
        assert_eq!(
            with_suffix("/:path/:basename", "date"),
            "/:path/:basename:output_ext"
        );
        assert_eq!(
            with_suffix("/:path/:basename", "/:year/:title/"),
            "/:path/:basename/"
        );
        assert_eq!(
            with_suffix("/:path/:basename", "/:year/:title"),
            "/:path/:basename"
        );
        let (dir, mut defaults) = site();
        defaults.site.remove("permalink");
        assert_eq!(
            url_path(dir.path(), &defaults, "about.md").as_deref(),
            Some("/about.html")
        );
    }
}
