//! Zola shortcodes rendered as Zola renders them: with the site's own
//! Tera templates (`templates/shortcodes/NAME.html` or `.md`, else its
//! theme's), the call's arguments, `body`, `nth`, `lang`, `config` (the
//! site's `config.toml` or `zola.toml`) and `page`, and the Zola functions a shortcode can
//! use without Zola's build: the `markdown` filter and `get_url`. A `.md`
//! shortcode's output is Markdown in the body; an `.html` one's is HTML
//! placed where the call was once the body is HTML, as Zola places it (a
//! call alone in its paragraph takes the paragraph's place). A shortcode
//! that needs more (`resize_image`, `load_data`, another template) is not
//! rendered, and says why.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::generators::zola_site;

/// Stands for an HTML shortcode's output in the Markdown until the body
/// is HTML: a character no Markdown syntax touches, around its number.
const PLACEHOLDER: char = '\u{FFFC}';

/// The site's shortcode templates, ready to render.
pub struct Shortcodes {
    tera: tera::Tera,
    /// Each shortcode's template, `.md` ones apart.
    templates: HashMap<String, (String, Kind)>,
    /// Why a shortcode's template could not be read.
    unreadable: HashMap<String, String>,
    config: Value,
    default_language: String,
    languages: Vec<String>,
}

impl std::fmt::Debug for Shortcodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shortcodes")
            .field("templates", &self.templates)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Markdown,
}

/// A rendered call: Markdown to put in the body, or HTML to put in place
/// of a placeholder.
pub enum Rendered {
    Markdown(String),
    Html(String),
}

impl Shortcodes {
    /// The shortcodes of the Zola site in `root`, its theme's below its
    /// own; `resolve_link` gives the URL of an `@/` path.
    pub fn load(
        root: &Path,
        base_url: &str,
        resolve_link: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Shortcodes {
        let config = zola_site::read_config(root);
        let (mut tera, templates, unreadable) = load_templates(root, &config);
        register_functions(&mut tera, root, &config, base_url, resolve_link);
        let default_language = config
            .get("default_language")
            .and_then(Value::as_str)
            .unwrap_or("en")
            .to_string();
        let languages = config
            .get("languages")
            .and_then(Value::as_object)
            .map(|languages| languages.keys().cloned().collect())
            .unwrap_or_default();
        Shortcodes {
            tera,
            templates,
            unreadable,
            config,
            default_language,
            languages,
        }
    }

    /// The call `name(arguments)` in the page `page` (its `nth` call of
    /// that shortcode), with `body` for a block; why not, when it cannot be.
    pub fn render(
        &self,
        name: &str,
        arguments: &str,
        body: Option<&str>,
        nth: usize,
        page: &crate::content::Post,
        content_dir: &Path,
    ) -> Result<Rendered, String> {
        let (template, kind) = self.templates.get(name).ok_or_else(|| {
            self.unreadable.get(name).cloned().unwrap_or_else(|| {
                format!("the site has no template shortcodes/{name}.html or .md")
            })
        })?;
        let arguments = parse_arguments(arguments)
            .ok_or_else(|| format!("its arguments `{arguments}` are not Zola's"))?;
        let mut context =
            tera::Context::from_value(Value::Object(arguments)).map_err(|e| e.to_string())?;
        if let Some(body) = body {
            context.insert("body", body.trim_end());
        }
        context.insert("nth", &nth);
        let language = self.language_of(page);
        context.insert("lang", &language);
        context.insert("config", &self.config);
        context.insert("page", &self.page_view(page, language, content_dir));
        let output = self
            .tera
            .render(template, &context)
            .map_err(|e| reasons(&e))?;
        Ok(match kind {
            Kind::Html => Rendered::Html(output),
            Kind::Markdown => Rendered::Markdown(output),
        })
    }

    /// What a shortcode sees of its page, as Zola's `page`: its title,
    /// description, permalink, `path`, slug, language, dates, `extra`,
    /// `relative_path` and, for a page in a folder of its own
    /// (`blog/post/index.md`), the `colocated_path` of its `assets`.
    fn page_view(
        &self,
        page: &crate::content::Post,
        language: String,
        content_dir: &Path,
    ) -> Value {
        let relative = page.path.strip_prefix(content_dir).unwrap_or(&page.path);
        let relative_path = relative.to_string_lossy().replace('\\', "/");
        let in_own_folder = relative
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|stem| {
                stem == "index"
                    || stem
                        .strip_prefix("index.")
                        .is_some_and(|l| self.languages.iter().any(|x| x == l))
            });
        let colocated = relative
            .parent()
            .filter(|_| in_own_folder)
            .map(|folder| format!("{}/", folder.to_string_lossy().replace('\\', "/")));
        let assets = match in_own_folder {
            true => page
                .path
                .parent()
                .map_or_else(Vec::new, |folder| assets(folder, content_dir)),
            false => Vec::new(),
        };
        let details = page.details();
        serde_json::json!({
            "title": page.title,
            "description": details.extra.get("description").cloned().unwrap_or(Value::Null),
            "permalink": page.url.as_str(),
            "path": page.url.path(),
            "slug": page.slug,
            "lang": language,
            "date": page.date.map(|d| d.to_rfc3339()),
            "updated": page.updated.map(|d| d.to_rfc3339()),
            "extra": details.extra,
            "relative_path": relative_path,
            "colocated_path": colocated,
            "assets": assets,
        })
    }

    /// A page's language: what follows the last `.` of its file's stem
    /// when the site has that language (`x.fr.md`), else the default.
    fn language_of(&self, page: &crate::content::Post) -> String {
        let stem = page.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        match stem.rsplit_once('.') {
            Some((_, language)) if self.languages.iter().any(|l| l == language) => {
                language.to_string()
            }
            _ => self.default_language.clone(),
        }
    }
}

/// The Zola functions and filters a shortcode may use without Zola's build.
fn register_functions(
    tera: &mut tera::Tera,
    root: &Path,
    config: &Value,
    base_url: &str,
    resolve_link: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
) {
    let theme = zola_site::theme_folder(root, config);
    // As the site's own Markdown: curled quotes where its config says.
    let smart = config
        .pointer("/markdown/smart_punctuation")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    tera.register_filter(
        "markdown",
        move |value: &tera::Value, args: &HashMap<String, tera::Value>| {
            markdown_filter(value, args, smart)
        },
    );
    // Where Zola's `search_for_file` looks: the site, `static/`,
    // `content/`, the theme's `static/`.
    let folders: Vec<std::path::PathBuf> = [
        root.to_path_buf(),
        root.join("static"),
        root.join("content"),
    ]
    .into_iter()
    .chain(theme.map(|theme| theme.join("static")))
    .collect();
    let data_folders = folders.clone();
    tera.register_function(
        "get_image_metadata",
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            image_metadata(&folders, args)
        },
    );
    tera.register_function(
        "load_data",
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            load_data(&data_folders, args)
        },
    );
    register_get_url(tera, base_url, resolve_link);
}

/// Zola's `get_url`: an `@/` path's page, else the path below the site.
fn register_get_url(
    tera: &mut tera::Tera,
    base_url: &str,
    resolve_link: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
) {
    let base = base_url.to_string();
    tera.register_function(
        "get_url",
        move |args: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let path = args
                .get("path")
                .and_then(tera::Value::as_str)
                .ok_or("`get_url` requires a `path` argument with a string value")?;
            let trailing_slash = args
                .get("trailing_slash")
                .and_then(tera::Value::as_bool)
                .unwrap_or(false);
            let url = match path.strip_prefix("@/") {
                Some(link) => {
                    resolve_link(link).ok_or_else(|| format!("`get_url`: no page at @/{link}"))?
                }
                // As Zola's `make_permalink`, which ends every path
                // with `/`, then takes it off unless asked to keep it.
                None => {
                    let base = base.trim_end_matches('/');
                    let mut url = format!("{base}/{}", path.trim_start_matches('/'));
                    if !url.ends_with('/') {
                        url.push('/');
                    }
                    if !trailing_slash {
                        url.pop();
                    }
                    url
                }
            };
            Ok(tera::Value::String(url))
        },
    );
}

/// A Tera error with the reasons Tera keeps in its sources.
fn reasons(error: &tera::Error) -> String {
    let mut why = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        why = format!("{why}: {inner}");
        source = inner.source();
    }
    why
}

/// A page's `assets` as Zola lists them (`find_related_assets`, then
/// `serialize_assets`): every file but Markdown in its folder and the folders
/// below, as a path from the content folder with a leading `/`, ordered by
/// their lowercase paths.
fn assets(folder: &Path, content_dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(folder)
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_none_or(|e| e != "md") && !is_temp_file(path))
        .collect();
    files.sort_by_key(|path| path.to_string_lossy().to_ascii_lowercase());
    files
        .iter()
        .filter_map(|path| path.strip_prefix(content_dir).ok())
        .map(|path| format!("/{}", path.to_string_lossy().replace('\\', "/")))
        .collect()
}

/// Editors' temporary files, which Zola leaves out of a page's assets,
/// by Zola's `is_temp_file`: a file without an extension counts as one.
fn is_temp_file(path: &Path) -> bool {
    let Some(extension) = path.extension().map(|e| e.to_string_lossy()) else {
        return true;
    };
    let emacs = || {
        path.file_stem()
            .map(|stem| stem.to_string_lossy())
            .is_some_and(|stem| stem.starts_with('#') || stem.starts_with(".#"))
    };
    matches!(
        extension.as_ref(),
        "swp" | "swx" | "tmp" | ".DS_STORE" | ".DS_Store" | "kate-swp"
    ) || ["jb_old___", "jb_tmp___", "jb_bak___", "~", "bck"]
        .iter()
        .any(|end| extension.ends_with(end))
        || emacs()
}

type Loaded = (
    tera::Tera,
    HashMap<String, (String, Kind)>,
    HashMap<String, String>,
);

/// The site's templates in one Tera, as Zola loads them all: each
/// shortcode's template, and why a shortcode's cannot be read. One Tera
/// error fails a whole batch, and one template that cannot be parsed, or
/// that extends or imports one absent, would fail every shortcode; so those
/// are left out first, and only a shortcode that needs one of them fails.
fn load_templates(root: &Path, config: &Value) -> Loaded {
    let mut texts: HashMap<String, String> = HashMap::new();
    for (name, path) in zola_site::template_files(root, config) {
        if let Ok(text) = std::fs::read_to_string(&path) {
            texts.insert(name, text);
        }
    }
    let mut unreadable = HashMap::new();
    let mut parsed = std::collections::BTreeMap::new();
    for (name, text) in &texts {
        match tera::Template::new(name, None, text) {
            Ok(template) => {
                parsed.insert(name.clone(), template);
            }
            Err(e) => {
                if let Some(shortcode) = shortcode_of(name) {
                    let why = format!("its template {name} cannot be read: {}", reasons(&e));
                    unreadable.insert(shortcode, why);
                }
            }
        }
    }
    // Until none is left that needs one gone.
    loop {
        let missing: Vec<(String, String)> = parsed
            .values()
            .filter_map(|template| {
                let needs = template
                    .parent
                    .iter()
                    .chain(template.imported_macro_files.iter().map(|(file, _)| file));
                let absent = needs.into_iter().find(|file| !parsed.contains_key(*file))?;
                Some((template.name.clone(), absent.clone()))
            })
            .collect();
        if missing.is_empty() {
            break;
        }
        for (name, absent) in missing {
            parsed.remove(&name);
            if let Some(shortcode) = shortcode_of(&name) {
                let why = format!("its template {name} needs {absent}, which cannot be read");
                unreadable.insert(shortcode, why);
            }
        }
    }
    let mut tera = tera::Tera::default();
    let batch = parsed
        .keys()
        .map(|name| (name.as_str(), texts[name].as_str()));
    if let Err(e) = tera.add_raw_templates(batch) {
        let why = reasons(&e);
        tera = tera::Tera::default();
        for name in parsed.keys() {
            if let Some(shortcode) = shortcode_of(name) {
                unreadable.insert(
                    shortcode,
                    format!("the site's templates cannot be read: {why}"),
                );
            }
        }
        return (tera, HashMap::new(), unreadable);
    }
    let templates = parsed
        .keys()
        .filter_map(|name| {
            let kind = match name.ends_with(".md") {
                true => Kind::Markdown,
                false => Kind::Html,
            };
            Some((shortcode_of(name)?, (name.clone(), kind)))
        })
        .collect();
    (tera, templates, unreadable)
}

/// The shortcode a template is, by its name: `shortcodes/NAME.html` or `.md`.
fn shortcode_of(template: &str) -> Option<String> {
    let file = template.strip_prefix("shortcodes/")?;
    let (stem, extension) = file.rsplit_once('.')?;
    (!stem.contains('/') && matches!(extension, "html" | "md")).then(|| stem.to_string())
}

/// The site's file `path` (`@/` for the content folder), where Zola's
/// `search_for_file` finds it; none above the site.
fn site_file(folders: &[std::path::PathBuf], path: &str) -> Option<std::path::PathBuf> {
    let relative = path.trim_start_matches("@/").trim_start_matches('/');
    if relative.split('/').any(|part| part == "..") {
        return None;
    }
    folders
        .iter()
        .map(|f| f.join(relative))
        .find(|p| p.is_file())
}

/// Zola's `load_data(path, format, required)` of a file of the site's:
/// TOML, JSON, YAML or plain text by its extension or `format`; nothing
/// for a missing one when not `required`. A `url` is not fetched.
fn load_data(
    folders: &[std::path::PathBuf],
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    if args.contains_key("url") {
        return Err("`load_data`: gazette fetches no `url`".into());
    }
    let path = args
        .get("path")
        .and_then(tera::Value::as_str)
        .ok_or("`load_data` requires a `path` argument with a string value")?;
    let required = args.get("required").and_then(tera::Value::as_bool) != Some(false);
    let Some(found) = site_file(folders, path) else {
        return match required {
            true => Err(format!("`load_data`: no file {path}").into()),
            false => Ok(tera::Value::Null),
        };
    };
    let text = std::fs::read_to_string(&found).map_err(|e| format!("`load_data`: {path}: {e}"))?;
    // Zola's `get_output_format_from_args`: a `format` it does not know is an
    // error, a file's extension it does not know is plain text.
    let format = match args.get("format").and_then(tera::Value::as_str) {
        Some(format) => format.to_lowercase(),
        None => {
            let extension = found
                .extension()
                .and_then(|x| x.to_str())
                .unwrap_or_default();
            match extension.to_lowercase().as_str() {
                known @ ("toml" | "csv" | "json" | "bibtex" | "xml" | "yaml" | "yml") => {
                    known.to_string()
                }
                _ => "plain".to_string(),
            }
        }
    };
    let value = match format.as_str() {
        "toml" => toml::from_str::<toml::Table>(&text)
            .map_err(|e| e.to_string())
            .and_then(|table| serde_json::to_value(table).map_err(|e| e.to_string())),
        "json" => serde_json::from_str(&text).map_err(|e| e.to_string()),
        "yaml" | "yml" => crate::yaml::parse(&text).map_err(|e| e.message),
        "plain" => Ok(tera::Value::String(text)),
        "csv" | "bibtex" | "xml" => Err(format!("the format {format:?} is not one gazette reads")),
        other => Err(format!("Zola knows no format {other:?}")),
    };
    value.map_err(|e| format!("`load_data`: {path}: {e}").into())
}

/// Zola's `get_image_metadata(path, allow_missing)`: the width, height,
/// format and media type of an image of the site's (`site_file`);
/// nothing for a missing one when allowed.
fn image_metadata(
    folders: &[std::path::PathBuf],
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let path = args
        .get("path")
        .and_then(tera::Value::as_str)
        .ok_or("`get_image_metadata` requires a `path` argument with a string value")?;
    let allow_missing = args.get("allow_missing").and_then(tera::Value::as_bool) == Some(true);
    let Some(found) = site_file(folders, path) else {
        return match allow_missing {
            true => Ok(tera::Value::Null),
            false => Err(format!("`get_image_metadata`: no file {path}").into()),
        };
    };
    let size = imagesize::size(&found).map_err(|e| format!("`get_image_metadata`: {path}: {e}"))?;
    let format = found
        .extension()
        .and_then(|x| x.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let mime = match format.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        _ => "application/octet-stream",
    };
    Ok(
        serde_json::json!({"width": size.width, "height": size.height, "format": format, "mime": mime}),
    )
}

/// Zola's `markdown` filter: the text as HTML, without the paragraph
/// around it when `inline`.
fn markdown_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
    smart_punctuation: bool,
) -> tera::Result<tera::Value> {
    let text = value.as_str().ok_or("`markdown` takes a string")?;
    let html = super::markdown::to_html(text, smart_punctuation);
    let inline = args.get("inline").and_then(tera::Value::as_bool) == Some(true);
    let html = match inline {
        true => html
            .trim_start_matches("<p>")
            .trim_end_matches("</p>\n")
            .to_string(),
        false => html,
    };
    Ok(tera::Value::String(html))
}

/// A placeholder for the `index`th HTML output.
pub fn placeholder(index: usize) -> String {
    format!("{PLACEHOLDER}{index}{PLACEHOLDER}")
}

/// `html` with each placeholder replaced by its output: a placeholder
/// alone in a paragraph takes the paragraph's place.
pub fn fill(html: &str, outputs: &[String]) -> String {
    if outputs.is_empty() {
        return html.to_string();
    }
    let mut html = html.to_string();
    for (index, output) in outputs.iter().enumerate() {
        let mark = placeholder(index);
        let alone = format!("<p>{mark}</p>");
        html = match html.contains(&alone) {
            true => html.replacen(&alone, output, 1),
            false => html.replacen(&mark, output, 1),
        };
    }
    html
}

/// `text` without placeholders, for a summary cut from the body.
pub fn without_placeholders(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(PLACEHOLDER) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        match (c == PLACEHOLDER, inside) {
            (true, _) => inside = !inside,
            (false, false) => out.push(c),
            (false, true) => {}
        }
    }
    out.into()
}

/// Whether `arguments` are a shortcode call's, as Zola's grammar reads them.
pub fn is_call(arguments: &str) -> bool {
    parse_arguments(arguments).is_some()
}

/// Zola's shortcode arguments, `key=value` separated by commas (or only
/// spaces, which Zola takes too): strings in
/// `"`, `'` or backquotes, numbers, booleans and lists of them.
fn parse_arguments(text: &str) -> Option<Map<String, Value>> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    let mut arguments = Map::new();
    let skip_space = |at: &mut usize| {
        while *at < chars.len() && chars[*at].is_whitespace() {
            *at += 1;
        }
    };
    loop {
        skip_space(&mut at);
        if at >= chars.len() {
            return Some(arguments);
        }
        let start = at;
        while at < chars.len() && (chars[at].is_alphanumeric() || chars[at] == '_') {
            at += 1;
        }
        let key: String = chars[start..at].iter().collect();
        skip_space(&mut at);
        if key.is_empty() || chars.get(at) != Some(&'=') {
            return None;
        }
        at += 1;
        skip_space(&mut at);
        let value = literal(&chars, &mut at)?;
        arguments.insert(key, value);
        skip_space(&mut at);
        // Zola's grammar takes the comma between arguments as optional.
        if chars.get(at) == Some(&',') {
            at += 1;
        }
    }
}

fn literal(chars: &[char], at: &mut usize) -> Option<Value> {
    match *chars.get(*at)? {
        quote @ ('"' | '\'' | '`') => {
            let end = (*at + 1..chars.len()).find(|&i| chars[i] == quote)?;
            let text: String = chars[*at + 1..end].iter().collect();
            *at = end + 1;
            Some(Value::String(text))
        }
        '[' => {
            *at += 1;
            let mut items = Vec::new();
            loop {
                while chars
                    .get(*at)
                    .is_some_and(|c| c.is_whitespace() || *c == ',')
                {
                    *at += 1;
                }
                if chars.get(*at) == Some(&']') {
                    *at += 1;
                    return Some(Value::Array(items));
                }
                items.push(literal(chars, at)?);
            }
        }
        _ => {
            let start = *at;
            while chars
                .get(*at)
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
            {
                *at += 1;
            }
            let word: String = chars[start..*at].iter().collect();
            match word.as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => word
                    .parse::<i64>()
                    .map(Value::from)
                    .ok()
                    .or_else(|| word.parse::<f64>().ok().map(Value::from)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_read_as_zola_reads_them() {
        let read = parse_arguments(
            r#"src="a.png", width=300, ratio=1.5, round=true, tags=["x", 'y', 3], caption=`**Ferris**, the crab`"#,
        )
        .unwrap();
        assert_eq!(
            Value::Object(read),
            serde_json::json!({"src": "a.png", "width": 300, "ratio": 1.5, "round": true, "tags": ["x", "y", 3], "caption": "**Ferris**, the crab"})
        );
        assert_eq!(parse_arguments(""), Some(Map::new()));
        assert_eq!(parse_arguments("positional"), None);
        let spaced = parse_arguments(r#"a="1" b=2"#).unwrap();
        assert_eq!(Value::Object(spaced), serde_json::json!({"a": "1", "b": 2}));
        assert_eq!(parse_arguments("x=nope"), None);
    }

    #[test]
    fn outputs_take_their_placeholders_place() {
        let outputs = ["<figure>f</figure>".to_string(), "<b>i</b>".to_string()];
        let html = format!("<p>{}</p>\n<p>a {} b</p>\n", placeholder(0), placeholder(1));
        assert_eq!(
            fill(&html, &outputs),
            "<figure>f</figure>\n<p>a <b>i</b> b</p>\n"
        );
        assert_eq!(
            without_placeholders(&format!("a {}b", placeholder(7))),
            "a b"
        );
    }
}
