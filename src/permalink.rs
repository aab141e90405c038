//! Permalink patterns: `{slug}`, `{year}` and the rest, and the `:token`
//! syntax of Jekyll and Hugo translated into them.
//!
//! A pattern gives a path relative to `base_url`; the caller makes it a URL
//! with [`crate::paths::join_path`], which keeps it on the site.

use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use percent_encoding::utf8_percent_encode;

use crate::generators::eleventy_filters::SiteFilters;
use crate::generators::slugify::{self, Style};
use crate::generators::Generator;
use crate::paths::SEGMENT;

/// Placeholders a pattern may use, with what each means.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "slug",
        "the `slug` key, else the file name (without a date prefix where the generator strips it)",
    ),
    (
        "slug_or_title",
        "the `slug` key, else the title (Hugo's `:slug`)",
    ),
    (
        "slugified",
        "the slug, lower-cased with runs of other characters as `-` (Jekyll's `:slug`)",
    ),
    ("title", "the title made a path segment (Hugo's `:title`)"),
    (
        "filename",
        "the file name (a page bundle's folder name) without extension",
    ),
    (
        "path",
        "the file's path below the content folder without extension, `index` dropped (Eleventy)",
    ),
    (
        "collection",
        "the name of the document's collection (`feeds.collections`); `posts` for a post (Jekyll's `:collection`)",
    ),
    ("section", "the first folder below the content folder"),
    ("sections", "every folder below the content folder"),
    (
        "categories",
        "Jekyll's categories: the `categories` key and folders above `_posts`, lower-cased",
    ),
    ("year", "four-digit year"),
    ("short_year", "two-digit year"),
    ("month", "two-digit month"),
    ("i_month", "month without leading zero"),
    ("short_month", "Jan..Dec"),
    ("long_month", "January..December"),
    ("day", "two-digit day"),
    ("i_day", "day without leading zero"),
    ("y_day", "day of the year, three digits"),
    ("yearday", "day of the year, no padding (Hugo)"),
    ("week", "ISO week, two digits"),
    ("w_year", "ISO week-numbering year"),
    ("w_day", "weekday 1..7 from Monday"),
    ("weekday", "weekday 0..6 from Sunday (Hugo)"),
    ("short_day", "Mon..Sun"),
    ("long_day", "Monday..Sunday"),
    ("hour", "two-digit hour"),
    ("minute", "two-digit minute"),
    ("second", "two-digit second"),
    ("output_ext", "`.html`"),
];

/// Placeholders that tell posts apart: a pattern needs one of them.
const NAMING: &[&str] = &[
    "slug",
    "slug_or_title",
    "slugified",
    "title",
    "filename",
    "path",
];

/// Checks a pattern's placeholders.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    let names = placeholders(pattern)?;
    for name in &names {
        if !PLACEHOLDERS.iter().any(|(known, _)| known == name) {
            return Err(format!(
                "unknown placeholder {{{name}}}; expected one of {}",
                PLACEHOLDERS
                    .iter()
                    .map(|(p, _)| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if !names.iter().any(|n| NAMING.contains(&n.as_str())) {
        return Err(format!(
            "{pattern:?} must contain {{slug}} (or {{title}}, {{filename}}, {{path}}) so that every post gets its own URL"
        ));
    }
    Ok(())
}

/// Checks a `date_from` pattern: it needs a year, a month and a day.
pub fn check_date_pattern(pattern: &str) -> Result<(), String> {
    let names = placeholders(pattern)?;
    for needed in ["year", "month", "day"] {
        if !names.iter().any(|n| n == needed) {
            return Err(format!("{pattern:?} needs {{{needed}}}"));
        }
    }
    if let Some(other) = names
        .iter()
        .find(|n| !["year", "month", "day"].contains(&n.as_str()))
    {
        return Err(format!(
            "{pattern:?}: only {{year}}, {{month}} and {{day}} can be read, not {{{other}}}"
        ));
    }
    Ok(())
}

/// The names of a pattern's `{placeholders}`, in order.
pub(crate) fn placeholders(pattern: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(format!("{pattern:?} has an unclosed `{{`"));
        };
        names.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    Ok(names)
}

/// Everything a pattern can draw on for one post.
#[derive(Debug, Clone)]
pub struct Parts<'a> {
    /// The slug before styling: the `slug` key or the name-derived one.
    pub slug: &'a str,
    /// Whether `slug` came from the front matter.
    pub explicit_slug: bool,
    pub title: &'a str,
    pub filename: &'a str,
    pub path: &'a str,
    /// `posts`, or the name of the document's collection.
    pub collection: &'a str,
    pub sections: &'a [String],
    pub categories: &'a [String],
    /// Already in the time zone the generator takes date parts in.
    pub date: Option<DateTime<FixedOffset>>,
    pub style: Style,
}

/// Fills in `pattern`; the result is a path with `/` between segments and
/// every value percent-encoded as one segment.
pub fn expand(pattern: &str, parts: &Parts<'_>) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        out.push_str(&value(name, parts));
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    // An empty placeholder must not leave `//`, which a URL parser reads
    // as a host.
    crate::paths::collapse_slashes(&out)
}

fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

fn segments<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| segment(s.as_ref()))
        .collect::<Vec<_>>()
        .join("/")
}

fn value(name: &str, parts: &Parts<'_>) -> String {
    let style = parts.style;
    let title_style = |text: &str| match style {
        Style::Keep | Style::JekyllPretty => slug::slugify(text),
        other => other.apply(text),
    };
    match name {
        "slug" if parts.explicit_slug => segment(&style.path(parts.slug)),
        // The file's name, as Hugo makes a path of it.
        "slug" => segment(&style.file_path(parts.slug)),
        "slug_or_title" if parts.explicit_slug => segment(&style.path(parts.slug)),
        "slug_or_title" | "title" => segment(&title_style(parts.title)),
        "slugified" => segment(&slugify::jekyll(
            parts.slug,
            slugify::JekyllMode::Default,
            false,
        )),
        "filename" => segment(&style.file_path(parts.filename)),
        "path" => parts
            .path
            .split('/')
            .map(segment)
            .collect::<Vec<_>>()
            .join("/"),
        "collection" => segment(parts.collection),
        "section" => parts
            .sections
            .first()
            .map_or(String::new(), |s| segment(&style.folder(s))),
        "sections" => {
            let folders: Vec<String> = parts.sections.iter().map(|s| style.folder(s)).collect();
            segments(&folders)
        }
        "categories" => segments(parts.categories),
        "output_ext" => ".html".into(),
        date_part => parts
            .date
            .map(|date| format_date_part(date_part, date))
            .unwrap_or_default(),
    }
}

fn format_date_part(name: &str, date: DateTime<FixedOffset>) -> String {
    let format = match name {
        "year" => "%Y",
        "short_year" => "%y",
        "month" => "%m",
        "i_month" => "%-m",
        "short_month" => "%b",
        "long_month" => "%B",
        "day" => "%d",
        "i_day" => "%-d",
        "y_day" => "%j",
        "week" => "%V",
        "w_year" => "%G",
        "w_day" => "%u",
        "short_day" => "%a",
        "long_day" => "%A",
        "hour" => return format!("{:02}", date.hour()),
        "minute" => return format!("{:02}", date.minute()),
        "second" => return format!("{:02}", date.second()),
        "yearday" => return date.ordinal().to_string(),
        "weekday" => return date.weekday().num_days_from_sunday().to_string(),
        _ => return String::new(),
    };
    date.format(format).to_string()
}

/// Translates a Jekyll or Hugo `:token` pattern into gazette's `{token}`
/// syntax; gazette's own patterns pass through.
pub fn from_generator_syntax(pattern: &str, generator: Generator) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ':' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < chars.len() && (chars[end].is_ascii_lowercase() || chars[end] == '_') {
            end += 1;
        }
        let token: String = chars[start..end].iter().collect();
        // Jekyll reads `:month_:day` as `:month` then `_:day`.
        let (token, trailing) = match token.strip_suffix('_') {
            Some(trimmed)
                if translate(trimmed, generator).is_some()
                    && translate(&token, generator).is_none() =>
            {
                (trimmed.to_string(), "_")
            }
            _ => (token, ""),
        };
        match translate(&token, generator) {
            Some(name) => {
                out.push_str(&name);
                out.push_str(trailing);
            }
            None => {
                out.push(':');
                out.push_str(&token);
                out.push_str(trailing);
            }
        }
        i = end;
    }
    out
}

fn translate(token: &str, generator: Generator) -> Option<String> {
    let name = match (generator, token) {
        (Generator::Jekyll, "title") => "slug",
        (Generator::Jekyll, "slug") | (Generator::Jekyll, "name") => "slugified",
        (Generator::Jekyll, "slugified_categories") => "categories",
        (Generator::Jekyll, "basename") => "filename",
        (Generator::Hugo, "slug") => "slug_or_title",
        (Generator::Hugo, "slugorfilename") => "slug",
        (Generator::Hugo, "contentbasename") => "filename",
        (Generator::Hugo, "monthname") => "long_month",
        (Generator::Hugo, "weekdayname") => "long_day",
        (_, "path") => "path",
        (_, other) if PLACEHOLDERS.iter().any(|(p, _)| *p == other) => other,
        _ => return None,
    };
    Some(format!("{{{name}}}"))
}

/// Reads a date from `text` by a pattern such as `{year}/{month}/{day}/`,
/// found anywhere in it.
pub fn date_by_pattern(text: &str, pattern: &str) -> Option<NaiveDate> {
    let mut regex = String::new();
    let mut order = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        regex.push_str(&regex::escape(&rest[..start]));
        let len = rest[start..].find('}')?;
        let name = &rest[start + 1..start + len];
        regex.push_str(if name == "year" {
            r"(\d{4})"
        } else {
            r"(\d{1,2})"
        });
        order.push(name.to_string());
        rest = &rest[start + len + 1..];
    }
    regex.push_str(&regex::escape(rest));
    let captures = regex::Regex::new(&regex).ok()?.captures(text)?;
    let mut ymd = [0u32; 3];
    for (i, name) in order.iter().enumerate() {
        let number: u32 = captures.get(i + 1)?.as_str().parse().ok()?;
        match name.as_str() {
            "year" => ymd[0] = number,
            "month" => ymd[1] = number,
            "day" => ymd[2] = number,
            _ => {}
        }
    }
    NaiveDate::from_ymd_opt(i32::try_from(ymd[0]).ok()?, ymd[1], ymd[2])
}

/// The file's path below the content folder without its extension, as
/// Eleventy writes it: `x/index` is `x`, and so is `x/x` (a file named
/// like its folder).
pub(crate) fn output_path_stem(rel: &Path) -> String {
    let stem = rel.with_extension("");
    let text = stem.to_string_lossy().replace('\\', "/");
    let mut parts: Vec<&str> = text.split('/').collect();
    let last = parts.last().copied().unwrap_or("");
    let parent = parts.len().checked_sub(2).map(|i| parts[i]);
    if last == "index" || parent == Some(last) {
        parts.pop();
    }
    parts.join("/")
}

/// Eleventy `permalink` strings may use a template: the few forms whose
/// meaning gazette knows are filled in, anything else is an error rather
/// than a wrong URL.
pub(crate) fn eleventy_permalink(
    text: &str,
    parts: &Parts<'_>,
    site_filters: &SiteFilters,
    data: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let mut out = eleventy_conditions(text, data);
    for (form, value) in [
        ("page.fileSlug", parts.filename.to_string()),
        ("page.filePathStem", {
            let dirs = parts.path.rsplit_once('/').map_or("", |(dirs, _)| dirs);
            if dirs.is_empty() {
                format!("/{}", parts.slug)
            } else {
                format!("/{dirs}/{}", parts.slug)
            }
        }),
    ] {
        for spaced in [format!("{{{{ {form} }}}}"), format!("{{{{{form}}}}}")] {
            out = out.replace(&spaced, &value);
        }
    }
    out = eleventy_dates(&out, parts.date, &site_filters.dates);
    out = eleventy_values(&out, parts, site_filters, data);
    if out.contains("{{") || out.contains("{%") {
        return Err(format!(
            "{text:?} uses a template gazette cannot evaluate; give the post a literal permalink or set `permalink` in gazette.toml"
        ));
    }
    // Eleventy writes the page where Node's `path.join` puts it, which
    // makes a run of slashes one (`posts//{{ title | slug }}/` is served at
    // `/posts/x/`); `/blog/x/index.html` is served as `/blog/x/`.
    let out = crate::paths::collapse_slashes(&out);
    Ok(out
        .strip_suffix("index.html")
        .map(str::to_string)
        .unwrap_or(out))
}

/// `{% if KEY %}A{% else %}B{% endif %}` (eleventy-template-bliss's
/// `customPermalink`) as the post's `data` decides: A when KEY is set to
/// something true (not empty, `false` or 0), as Nunjucks and Liquid test
/// it. A branch with a tag of its own is left for the caller to refuse.
fn eleventy_conditions(text: &str, data: &dyn Fn(&str) -> Option<String>) -> String {
    static CONDITION: Pattern = std::sync::OnceLock::new();
    let pattern = r"(?s)\{%-?\s*if\s+([A-Za-z_][\w.]*)\s*-?%\}(.*?)(?:\{%-?\s*else\s*-?%\}(.*?))?\{%-?\s*endif\s*-?%\}";
    replace_each(text, &CONDITION, pattern, |c| {
        let chosen = match data(&c[1]) {
            Some(_) => c.get(2),
            None => c.get(3),
        };
        let chosen = chosen.map_or("", |m| m.as_str());
        match chosen.contains("{%") {
            true => c[0].to_string(),
            false => chosen.to_string(),
        }
    })
}

/// `{{ KEY }}` and `{{ KEY | FILTER }}` with the value of the post's
/// data (its title, or `page.fileSlug`), through a slug filter of
/// Eleventy's or the site's; what it does not set, or another filter, is
/// left for the caller to refuse.
fn eleventy_values(
    text: &str,
    parts: &Parts<'_>,
    site_filters: &SiteFilters,
    data: &dyn Fn(&str) -> Option<String>,
) -> String {
    static VALUE: Pattern = std::sync::OnceLock::new();
    let pattern = r"\{\{-?\s*([A-Za-z_][\w.]*)\s*(?:\|\s*([A-Za-z_$][\w$]*)\s*)?-?\}\}";
    replace_each(text, &VALUE, pattern, |c| {
        let value = match &c[1] {
            "page.fileSlug" => Some(parts.filename.to_string()),
            "title" => Some(parts.title.to_string()).filter(|t| !t.is_empty()),
            key => data(key),
        };
        let filter = c.get(2).map(|name| site_filters.slug(name.as_str()));
        match (value, filter) {
            (Some(value), None) => value,
            (Some(value), Some(Some(filter))) => filter.apply(&value),
            _ => c[0].to_string(),
        }
    })
}

/// A regular expression compiled by its first use.
type Pattern = std::sync::OnceLock<Option<regex::Regex>>;

/// `text` with each match of `pattern` (compiled once into `cell`)
/// replaced by what `with` makes of it.
fn replace_each(
    text: &str,
    cell: &'static Pattern,
    pattern: &str,
    with: impl FnMut(&regex::Captures<'_>) -> String,
) -> String {
    match cell.get_or_init(|| regex::Regex::new(pattern).ok()) {
        Some(re) => re.replace_all(text, with).into_owned(),
        None => text.to_string(),
    }
}

/// `{{ page.date | date: "%Y/%m/%d" }}` (Liquid), `{{ page.date |
/// date("%Y") }}` (Nunjucks), `{{ page.date | dateToFormat("yyyy/LL/dd")
/// }}` (the Luxon filter of eleventy-base-blog) and a date filter of the
/// site's own (`site_filters`: name → Luxon format, as
/// `eleventy_filters::date_filters` reads them) in a permalink, filled in
/// with the post's date; anything else is left for the caller to refuse.
fn eleventy_dates(
    text: &str,
    date: Option<chrono::DateTime<chrono::FixedOffset>>,
    site_filters: &serde_json::Map<String, serde_json::Value>,
) -> String {
    static FILTER: Pattern = std::sync::OnceLock::new();
    let Some(date) = date else {
        return text.to_string();
    };
    let pattern = r#"\{\{-?\s*page\.date\s*\|\s*([\w$]+)\s*(?:(?::\s*|\(\s*)["']([^"']*)["']\s*\)?)?\s*-?\}\}"#;
    replace_each(text, &FILTER, pattern, |c| {
        let given = c.get(2).map(|m| m.as_str());
        let site_filter = site_filters.get(&c[1]);
        // Luxon formats the instant in UTC (`{ zone: "utc" }`, as the
        // filters of eleventy-base-blog and most sites ask); moment in the
        // build machine's zone, UTC where sites are built (Netlify, CI).
        let utc = date.with_timezone(&chrono::Utc).fixed_offset();
        let (format, when) = match (&c[1], given, site_filter) {
            // The site's own filter of a name replaces Liquid's `date`.
            (_, given, Some(own)) => (
                crate::generators::eleventy_filters::date_filter_strftime(own, given),
                utc,
            ),
            ("date", Some(format), None) => (Some(format.to_string()), date),
            ("dateToFormat" | "readableDate", Some(format), None) => (
                crate::generators::eleventy_filters::luxon_to_strftime(format),
                utc,
            ),
            _ => (None, date),
        };
        let Some(format) = format else {
            return c[0].to_string();
        };
        let items: Vec<chrono::format::Item<'_>> =
            chrono::format::StrftimeItems::new(&format).collect();
        if items
            .iter()
            .any(|i| matches!(i, chrono::format::Item::Error))
        {
            return c[0].to_string();
        }
        when.format_with_items(items.into_iter()).to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(date: &str, style: Style) -> Parts<'a> {
        Parts {
            slug: "Hello World",
            explicit_slug: false,
            title: "Hello, World!",
            filename: "2024-03-05-hello-world",
            path: "blog/2024-03-05-hello-world",
            collection: "posts",
            sections: &[],
            categories: &[],
            date: Some(DateTime::parse_from_rfc3339(date).unwrap()),
            style,
        }
    }

    #[test]
    fn jekyll_styles_translate_and_expand() {
        let date = from_generator_syntax(
            "/:categories/:year/:month/:day/:title:output_ext",
            Generator::Jekyll,
        );
        assert_eq!(
            date,
            "/{categories}/{year}/{month}/{day}/{slug}{output_ext}"
        );
        let p = parts("2024-03-05T23:30:00+00:00", Style::JekyllPretty);
        assert_eq!(expand(&date, &p), "/2024/03/05/Hello-World.html");
        // A collection's own pattern (Jekyll's default for one).
        let documents = from_generator_syntax("/:collection/:path:output_ext", Generator::Jekyll);
        assert_eq!(documents, "/{collection}/{path}{output_ext}");
        let recipe = Parts {
            collection: "recipes",
            path: "soups/leek",
            ..p.clone()
        };
        assert_eq!(expand(&documents, &recipe), "/recipes/soups/leek.html");
        assert_eq!(
            expand(&documents, &p),
            "/posts/blog/2024-03-05-hello-world.html"
        );
        assert_eq!(
            from_generator_syntax("/:year/:month_:day/:slug", Generator::Jekyll),
            "/{year}/{month}_{day}/{slugified}"
        );
    }

    #[test]
    fn eleventy_date_filters_of_the_sites_own() {
        // `page.fileSlug` is the file's name, whatever `slug` the post sets.
        let p = Parts {
            filename: "hello-world",
            explicit_slug: true,
            ..parts("2020-11-08T23:30:00-02:00", Style::Keep)
        };
        let mut filters = SiteFilters::default();
        filters.dates.insert("slugDate".into(), "y/MM".into());
        let own = "/{{ page.date | slugDate }}/{{ page.fileSlug }}/index.html";
        // Luxon's `{ zone: "utc" }`: the instant's UTC date.
        assert_eq!(
            eleventy_permalink(own, &p, &filters, &|_| None).as_deref(),
            Ok("/2020/11/hello-world/")
        );
        assert!(eleventy_permalink(own, &p, &SiteFilters::default(), &|_| None).is_err());
        let base_blog = "/{{ page.date | dateToFormat('yyyy/LL/dd') }}/x/";
        assert_eq!(
            eleventy_permalink(base_blog, &p, &filters, &|_| None).as_deref(),
            Ok("/2020/11/09/x/")
        );
    }

    #[test]
    fn eleventy_conditions_and_values_of_the_posts_data() {
        let p = Parts {
            filename: "hello-world",
            ..parts("2020-11-08T10:00:00Z", Style::Keep)
        };
        let none = SiteFilters::default();
        let bliss = "{% if customPermalink %}{{ customPermalink }}{% else %}/{{ title | slugify }}/{% endif %}";
        let own = |key: &str| (key == "customPermalink").then(|| "/moved/here/".to_string());
        assert_eq!(
            eleventy_permalink(bliss, &p, &none, &own).as_deref(),
            Ok("/moved/here/")
        );
        assert_eq!(
            eleventy_permalink(bliss, &p, &none, &|_| None).as_deref(),
            Ok("/hello-world/")
        );
        let series = |key: &str| (key == "series").then(|| "Kiln Notes".to_string());
        let spaced = "/{%- if series -%}{{ series | slugify }}/{%- endif -%}{{ page.fileSlug }}/";
        assert_eq!(
            eleventy_permalink(spaced, &p, &none, &series).as_deref(),
            Ok("/kiln-notes/hello-world/")
        );
        // A nested tag, or a value the post does not set, is refused.
        let nested = "{% if a %}{% if b %}/x/{% endif %}{% endif %}";
        assert!(eleventy_permalink(nested, &p, &none, &|_| Some("1".into())).is_err());
        assert!(eleventy_permalink("/{{ missing }}/", &p, &none, &|_| None).is_err());
        // perappu's directory data: `posts//{{ title | slug }}/`.
        assert_eq!(
            eleventy_permalink("posts//{{ series | slugify }}/", &p, &none, &series).as_deref(),
            Ok("posts/kiln-notes/")
        );
    }

    #[test]
    fn hugo_tokens() {
        let pattern = from_generator_syntax("/:year/:month/:slug/", Generator::Hugo);
        assert_eq!(pattern, "/{year}/{month}/{slug_or_title}/");
        let p = parts("2024-03-05T10:00:00+01:00", Style::Hugo);
        assert_eq!(expand(&pattern, &p), "/2024/03/Hello-World/");
    }

    #[test]
    fn patterns_are_checked() {
        assert!(check_pattern("/{year}/{slug}/").is_ok());
        assert!(check_pattern("/{year}/").is_err());
        assert!(check_pattern("/{nope}/{slug}/").is_err());
        assert!(check_date_pattern("{year}/{month}/{day}/").is_ok());
        assert!(check_date_pattern("{year}/{slug}").is_err());
    }

    #[test]
    fn dates_by_pattern() {
        assert_eq!(
            date_by_pattern("2026/03/26/slug", "{year}/{month}/{day}/"),
            NaiveDate::from_ymd_opt(2026, 3, 26)
        );
        assert_eq!(date_by_pattern("posts/x", "{year}/{month}/{day}/"), None);
        assert_eq!(
            date_by_pattern("2026/13/40/x", "{year}/{month}/{day}/"),
            None
        );
    }
}
