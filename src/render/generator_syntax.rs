//! A generator's template syntax inside posts: Hugo shortcodes, Liquid tags
//! (Jekyll, Eleventy), Zola shortcodes and `@/` links. What gazette knows
//! the meaning of is resolved (links to other posts and to section and
//! taxonomy pages, figures, raw blocks, highlighted code, the common link
//! and date filters); a tag that is not known is removed, and a link or
//! value that cannot be resolved keeps its text, with a warning, so that
//! nothing becomes `href=""`.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::{Captures, Regex};

use crate::content::{Post, Site};
use crate::error::Diagnostic;
use crate::generators::eleventy_filters::SiteFilters;
use crate::generators::jekyll_defaults::Defaults;
use crate::generators::js_literal::TemplateFunction;
use crate::generators::Generator;

use super::zola_shortcodes::{placeholder, Rendered, Shortcodes};

/// Where the posts of the site are, by the names other posts use for them.
/// The index is built the first time a post links to another: most sites
/// never do, and it costs a name or two per post.
#[derive(Debug)]
pub struct Resolver<'a> {
    generator: Generator,
    base_url: String,
    content_dir: std::path::PathBuf,
    posts: &'a [Post],
    /// Pages the feeds leave out that a post may still link to.
    pages: &'a [(std::path::PathBuf, url::Url)],
    /// A Jekyll site's `_config.yml`, whose values Liquid's `site.KEY`
    /// gives, with its defaults (which `{% link %}` applies to a page).
    jekyll: Option<&'a Defaults>,
    /// Built by Jekyll 3 (`generators::jekyll_3`).
    jekyll_3: bool,
    /// Content-relative paths with and without extension, and file names.
    by_name: OnceLock<HashMap<String, String>>,
    /// The site's folder, where a Zola site's templates are.
    root: std::path::PathBuf,
    zola_shortcodes: OnceLock<Shortcodes>,
    /// An Eleventy site's filters and shortcodes, read once per build.
    eleventy: Option<std::sync::Arc<SiteFilters>>,
}

impl<'a> Resolver<'a> {
    pub fn new(config: &'a crate::config::Config, site: &'a Site) -> Resolver<'a> {
        Resolver {
            generator: config.generator,
            base_url: config.base_url.to_string(),
            content_dir: config.content_dir.clone(),
            posts: &site.posts,
            pages: &site.pages,
            jekyll: (config.generator == Generator::Jekyll)
                .then(|| crate::content::read::jekyll_defaults(config)),
            jekyll_3: config.generator == Generator::Jekyll
                && crate::generators::jekyll_3(&config.root),
            by_name: OnceLock::new(),
            root: config.root.clone(),
            zola_shortcodes: OnceLock::new(),
            eleventy: (config.generator == Generator::Eleventy)
                .then(|| config.shared_files.eleventy_filters(&config.root)),
        }
    }

    /// The Eleventy site's shortcode `name`: its template and whether it
    /// is paired, or none for one it computes otherwise; not there for a
    /// name the site does not define.
    fn eleventy_shortcode(&self, name: &str) -> Option<&Option<(bool, TemplateFunction)>> {
        self.eleventy.as_ref()?.shortcodes.get(name)
    }

    fn index(&self) -> &HashMap<String, String> {
        self.by_name.get_or_init(|| {
            let mut by_name: HashMap<String, String> = HashMap::new();
            let mut ambiguous: Vec<String> = Vec::new();
            let posts = self.posts.iter().map(|post| (&post.path, &post.url));
            let pages = self.pages.iter().map(|(path, url)| (path, url));
            for (path, url) in posts.chain(pages) {
                for name in names(path, &self.content_dir) {
                    if let Some(previous) = by_name.insert(name.clone(), url.to_string()) {
                        if previous != url.as_str() {
                            ambiguous.push(name);
                        }
                    }
                }
            }
            for name in ambiguous {
                // Only full paths are kept for names two posts share.
                if !name.contains('/') {
                    by_name.remove(&name);
                }
            }
            by_name
        })
    }

    fn url(&self, reference: &str) -> Option<&str> {
        let reference = reference.trim().trim_matches(|c| c == '"' || c == '\'');
        let reference = reference.split('#').next().unwrap_or(reference);
        let key = reference.trim_start_matches("./").trim_start_matches('/');
        self.index().get(key).map(String::as_str)
    }

    /// A text or number of the site's config (`site.repository`,
    /// `site.twitter.username`), as Liquid prints it; a list, a table or a
    /// value Jekyll computes (`site.posts`, `site.time`) is none.
    fn site_value(&self, key: &str) -> Option<String> {
        liquid_scalar(&self.jekyll?.site, key)
    }

    /// Where `{% post_url %}` or `{% link %}` points, as Jekyll prints it:
    /// the path from the host, with the `baseurl` (Jekyll 4) or without it
    /// (Jekyll 3), which the site's HTML around it may add. A page, a
    /// document or a static file where `{% link %}` names no post.
    fn jekyll_link(&self, tag: &str, reference: &str) -> Option<String> {
        let target = reference.strip_prefix("_posts/").unwrap_or(reference);
        let post = self
            .url(target)
            .or_else(|| self.url(&format!("_posts/{target}")));
        let below_base = match post {
            Some(url) => self.below_base(url)?,
            None if tag == "link" => {
                // A page's path is from the site's `source`.
                let defaults = self.jekyll?;
                super::jekyll_link::url_path(&defaults.source(&self.root), defaults, reference)?
            }
            None => return None,
        };
        Some(match self.jekyll_3 {
            true => below_base,
            false => format!("{}{below_base}", self.base_path()?),
        })
    }

    /// The path of gazette's base URL, without its final `/`: Jekyll's
    /// `baseurl` as gazette holds it.
    fn base_path(&self) -> Option<String> {
        let base = url::Url::parse(&self.base_url).ok()?;
        Some(base.path().trim_end_matches('/').to_string())
    }

    /// The path of a URL of the site below the base path: Jekyll's
    /// `page.url`, which holds no `baseurl`.
    fn below_base(&self, url: &str) -> Option<String> {
        let url = url::Url::parse(url).ok()?;
        Some(url.path().strip_prefix(&self.base_path()?)?.to_string())
    }

    /// A link to a page that is not a post (`list_page_url`).
    fn list_page_url(&self, reference: &str) -> Option<String> {
        list_page_url(self.generator, &self.base_url, reference)
    }

    /// The link `@/path` as Zola's `get_url` gives it, from a table of its
    /// own that outlives the resolver.
    fn zola_links(&self) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
        let index = self.index().clone();
        let base_url = self.base_url.clone();
        move |path: &str| {
            let key = path
                .split('#')
                .next()
                .unwrap_or(path)
                .trim_start_matches('/');
            index
                .get(key)
                .cloned()
                .or_else(|| list_page_url(Generator::Zola, &base_url, path))
        }
    }

    /// The site's Zola shortcodes, loaded by the first post that calls one.
    fn zola_shortcodes(&self) -> &Shortcodes {
        self.zola_shortcodes
            .get_or_init(|| Shortcodes::load(&self.root, &self.base_url, self.zola_links()))
    }
}

/// A link to a page that is not a post: a section (`blog/_index.md`,
/// Hugo `/posts`) or a taxonomy page (Hugo `/categories/til`), at the
/// URL the generator gives it (its folder below the site).
fn list_page_url(generator: Generator, base_url: &str, reference: &str) -> Option<String> {
    let reference = reference.trim().trim_matches(|c| c == '"' || c == '\'');
    let (path, fragment) = match reference.split_once('#') {
        Some((path, fragment)) => (path, format!("#{fragment}")),
        None => (reference, String::new()),
    };
    let path = path.trim_start_matches("./").trim_matches('/');
    let index_file = |name: &str| matches!(name, "_index.md" | "_index.markdown" | "_index.html");
    // A Zola section's translation (`_index.fr.md`) is under its language.
    let (path, language) = match path.rsplit_once('/').map_or(path, |(_, name)| name) {
        name if generator == Generator::Zola => {
            match name
                .strip_prefix("_index.")
                .and_then(|rest| rest.strip_suffix(".md"))
            {
                Some(code) if !code.is_empty() && !code.contains('.') => {
                    let folder = path.strip_suffix(name).unwrap_or("");
                    (format!("{folder}_index.md"), format!("{code}/"))
                }
                _ => (path.to_string(), String::new()),
            }
        }
        _ => (path.to_string(), String::new()),
    };
    let path = path.as_str();
    let folder = match path.rsplit_once('/') {
        Some((folder, name)) if index_file(name) => folder,
        None if index_file(path) => "",
        // A Hugo ref without an extension names a section or a term.
        _ if generator == Generator::Hugo && !path.contains('.') && !path.is_empty() => path,
        _ => return None,
    };
    let base = base_url.trim_end_matches('/');
    let folder = folder
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match generator {
            Generator::Hugo => s.to_lowercase(),
            _ => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/");
    Some(match folder.is_empty() {
        true => format!("{base}/{language}{fragment}"),
        false => format!("{base}/{language}{folder}/{fragment}"),
    })
}

/// The names a post or page can be referred to by.
fn names(path: &std::path::Path, content_dir: &std::path::Path) -> Vec<String> {
    let rel = path
        .strip_prefix(content_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let mut names = vec![rel.clone()];
    if let Some((stem, _)) = rel.rsplit_once('.') {
        names.push(stem.to_string());
        // `posts/x/index.md` is also `posts/x`.
        if let Some(bundle) = stem.strip_suffix("/index") {
            names.push(bundle.to_string());
        }
    }
    if let Some(file) = rel.rsplit('/').next() {
        names.push(file.to_string());
        if let Some((stem, _)) = file.rsplit_once('.') {
            names.push(stem.to_string());
        }
    }
    names
}

/// A body with the generator's syntax resolved or removed.
pub struct Resolved {
    pub text: String,
    /// The output of each HTML shortcode whose placeholder is in `text`
    /// (`zola_shortcodes::fill` puts them in place once it is HTML).
    pub html: Vec<String>,
    /// A warning (with the file's line) for each thing removed.
    pub warnings: Vec<Diagnostic>,
}

/// `body` with the generator's syntax resolved or removed.
pub fn resolve(post: &Post, body: &str, body_line: usize, resolver: &Resolver) -> Resolved {
    let mut warnings = Vec::new();
    let mut html = Vec::new();
    let line_of = |offset: usize| {
        let before = (0..=offset.min(body.len()))
            .rev()
            .find_map(|end| body.get(..end))
            .unwrap_or_default();
        body_line + before.matches('\n').count()
    };
    let mut warn = |offset: usize, what: String| {
        warnings.push(Diagnostic::warning(&post.path, Some(line_of(offset)), what));
    };
    let text = match resolver.generator {
        Generator::Gazette => body.to_string(),
        Generator::Hugo => hugo(body, resolver, &mut warn),
        Generator::Jekyll | Generator::Eleventy => liquid(body, post, resolver, &mut warn),
        Generator::Zola => zola(post, body, resolver, &mut html, &mut warn),
    };
    Resolved {
        text,
        html,
        warnings,
    }
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| {
        Regex::new(pattern).unwrap_or_else(|e| panic!("built-in pattern {pattern}: {e}"))
    })
}

/// `key="value"` and `key=value` arguments, and positional ones.
fn arguments(text: &str) -> (Vec<String>, HashMap<String, String>) {
    static ARG: OnceLock<Regex> = OnceLock::new();
    let re = regex(&ARG, r#"(?:(\w+)\s*=\s*)?(?:"([^"]*)"|'([^']*)'|(\S+))"#);
    let mut positional = Vec::new();
    let mut named = HashMap::new();
    for c in re.captures_iter(text) {
        let value = c
            .get(2)
            .or_else(|| c.get(3))
            .or_else(|| c.get(4))
            .map_or("", |m| m.as_str())
            .to_string();
        match c.get(1) {
            Some(key) => {
                named.insert(key.as_str().to_string(), value);
            }
            None => positional.push(value),
        }
    }
    (positional, named)
}

/// Where Hugo's `details` shortcode opens: its summary is Markdown, like
/// the inner text up to the closing tag (Hugo renders both).
fn details_opening(named: &HashMap<String, String>) -> String {
    let summary = named.get("summary").map_or("Details", String::as_str);
    let summary = super::markdown::to_html(summary, false);
    let summary = summary.trim();
    let summary = summary
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(summary);
    let open = named.get("open").is_some_and(|o| o == "true");
    format!(
        "\n\n<details{}><summary>{summary}</summary>\n\n",
        if open { " open" } else { "" },
    )
}

/// A paragraph with a link to an embedded post or video.
fn embed_link(address: &str, text: &str) -> String {
    format!(
        "<p><a href=\"{}\">{}</a></p>",
        html_escape::encode_double_quoted_attribute(address),
        html_escape::encode_text(text)
    )
}

fn figure(src: &str, alt: &str, caption: Option<&str>) -> String {
    let esc = |s: &str| html_escape::encode_double_quoted_attribute(s).into_owned();
    match caption {
        Some(caption) => format!(
            "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
            esc(src),
            esc(alt),
            html_escape::encode_text(caption)
        ),
        None => format!("<img src=\"{}\" alt=\"{}\">", esc(src), esc(alt)),
    }
}

fn hugo(body: &str, resolver: &Resolver, warn: &mut impl FnMut(usize, String)) -> String {
    static SHORTCODE: OnceLock<Regex> = OnceLock::new();
    // `{{< name args >}}`, `{{% name args %}}`, closing `{{< /name >}}`, and
    // the escaped form `{{</* name */>}}` that Hugo prints literally.
    let re = regex(
        &SHORTCODE,
        r"(?s)\{\{([<%])\s*(/\*)?\s*(/?)\s*([\w.\-/]+)(.*?)\s*(\*/)?\s*[>%]\}\}",
    );
    re.replace_all(body, |c: &Captures<'_>| {
        let whole = c.get(0).map_or("", |m| m.as_str());
        let offset = c.get(0).map_or(0, |m| m.start());
        let delimiter = &c[1];
        if c.get(2).is_some() {
            // Hugo prints an escaped shortcode as the shortcode itself.
            return whole.replacen("/*", "", 1).replacen("*/", "", 1);
        }
        let name = &c[4];
        if !c[3].is_empty() {
            return match name {
                "highlight" => "\n```\n".into(),
                "details" => "\n\n</details>\n\n".into(),
                _ => String::new(),
            };
        }
        let (positional, named) = arguments(&c[5]);
        match name {
            "ref" | "relref" => {
                let target = positional
                    .first()
                    .or_else(|| named.get("path"))
                    .cloned()
                    .unwrap_or_default();
                match resolver.url(&target) {
                    Some(url) => url.to_string(),
                    None => match resolver.list_page_url(&target) {
                        Some(url) => url,
                        None => {
                            warn(
                                offset,
                                format!(
                                    "unresolved Hugo shortcode {whole}: no post {target:?}; its text is kept"
                                ),
                            );
                            whole.to_string()
                        }
                    },
                }
            }
            "figure" => {
                let src = named.get("src").cloned().unwrap_or_default();
                let alt = named
                    .get("alt")
                    .or_else(|| named.get("title"))
                    .cloned()
                    .unwrap_or_default();
                figure(&src, &alt, named.get("caption").map(String::as_str))
            }
            // Hugo's embeds are frames and scripts, which no feed reader
            // runs: a link to what they show takes their place.
            "youtube" | "vimeo" | "instagram" => {
                let id = named
                    .get("id")
                    .or_else(|| positional.first())
                    .map_or("", String::as_str);
                let (address, what) = match name {
                    "youtube" => (format!("https://www.youtube.com/watch?v={id}"), "YouTube video"),
                    "vimeo" => (format!("https://vimeo.com/{id}"), "Vimeo video"),
                    _ => (format!("https://www.instagram.com/p/{id}/"), "Instagram post"),
                };
                embed_link(&address, &format!("{what} {id}"))
            }
            // `tweet` and `twitter` are the names Hugo had before `x`.
            "x" | "twitter" | "tweet" if named.contains_key("user") => {
                let user = &named["user"];
                let id = named
                    .get("id")
                    .or_else(|| positional.first())
                    .map_or("", String::as_str);
                embed_link(
                    &format!("https://x.com/{user}/status/{id}"),
                    &format!("Post by @{user} on X"),
                )
            }
            "details" => details_opening(&named),
            "highlight" => format!("\n```{}\n", positional.first().map_or("", String::as_str)),
            _ => {
                warn(
                    offset,
                    format!("unresolved Hugo shortcode {{{{{delimiter} {name} …}}}}: removed"),
                );
                String::new()
            }
        }
    })
    .into_owned()
}

fn liquid(
    body: &str,
    post: &Post,
    resolver: &Resolver,
    warn: &mut impl FnMut(usize, String),
) -> String {
    static LIQUID: OnceLock<Regex> = OnceLock::new();
    // One pass over the body, so that every warning's offset, and so its
    // line, is the body's: a `{% raw %}` block (kept literally), a tag, or
    // an output.
    let liquid = regex(
        &LIQUID,
        r"(?s)\{%-?\s*raw\s*-?%\}(?P<raw>.*?)\{%-?\s*endraw\s*-?%\}|\{%-?\s*(?P<tag>\w+)(?P<args>.*?)-?%\}|\{\{-?\s*(?P<output>.*?)\s*-?\}\}",
    );
    // The paired shortcodes open here, innermost last, each with what it
    // writes after its content.
    let mut open: Vec<(String, String)> = Vec::new();
    let text = liquid.replace_all(body, |c: &Captures<'_>| {
        let offset = c.get(0).map_or(0, |m| m.start());
        if let Some(raw) = c.name("raw") {
            return raw.as_str().to_string();
        }
        if let Some(output) = c.name("output") {
            let expression = output.as_str().trim();
            return match liquid_value(expression, post, resolver) {
                Some(value) => value,
                None => {
                    warn(
                        offset,
                        format!("unresolved Liquid {{{{ {expression} }}}}: its text is kept"),
                    );
                    c[0].to_string()
                }
            };
        }
        let name = c.name("tag").map_or("", |m| m.as_str());
        let args = c.name("args").map_or("", |m| m.as_str()).trim();
        match name {
            "post_url" | "link" => {
                // The whole argument: a file name may hold a space.
                match resolver.jekyll_link(name, args) {
                    Some(url) => url,
                    None => {
                        warn(
                            offset,
                            format!(
                                "unresolved Liquid {{% {name} {args} %}}: no such {}; its text is kept",
                                if name == "link" { "post or page" } else { "post" }
                            ),
                        );
                        c[0].to_string()
                    }
                }
            }
            "highlight" => format!("\n```{}\n", args.split_whitespace().next().unwrap_or("")),
            "endhighlight" => "\n```\n".to_string(),
            "comment" | "endcomment" => String::new(),
            _ if open.last().is_some_and(|(open, _)| name.strip_prefix("end") == Some(open)) => {
                open.pop().map(|(_, after)| after).unwrap_or_default()
            }
            _ if resolver.eleventy_shortcode(name).is_some() => {
                match eleventy_shortcode(name, args, resolver) {
                    Ok((before, Some(after))) => {
                        open.push((name.to_string(), after));
                        before
                    }
                    Ok((written, None)) => written,
                    Err(why) => {
                        warn(
                            offset,
                            format!("unresolved Liquid tag {{% {name} %}}: {why}: removed"),
                        );
                        String::new()
                    }
                }
            }
            _ => {
                warn(
                    offset,
                    format!("unresolved Liquid tag {{% {name} %}}: removed"),
                );
                String::new()
            }
        }
    });
    text.into_owned()
}

/// What the Eleventy site's shortcode `name` writes for the literal
/// arguments `args`: all of it, or for a paired one what it writes before
/// its content and after; or why gazette cannot tell.
fn eleventy_shortcode(
    name: &str,
    args: &str,
    resolver: &Resolver,
) -> Result<(String, Option<String>), String> {
    let Some(Some((paired, template))) = resolver.eleventy_shortcode(name) else {
        return Err(format!(
            "the site's `{name}` shortcode computes in JavaScript, which gazette does not run"
        ));
    };
    let args = literal_arguments(args)
        .ok_or_else(|| format!("the `{name}` shortcode is given values other than literals"))?;
    match paired {
        false => Ok((template.apply(&args), None)),
        true => match template.around_first(&args) {
            Some((before, after)) => Ok((before, Some(after))),
            None => Err(format!(
                "the `{name}` shortcode writes its content other than once"
            )),
        },
    }
}

/// A shortcode's arguments when each is a literal string or number, as
/// Liquid and Nunjucks pass them (separated by commas or spaces); none for
/// a variable or an expression.
fn literal_arguments(args: &str) -> Option<Vec<String>> {
    static ARG: OnceLock<Regex> = OnceLock::new();
    let re = regex(
        &ARG,
        r#"^[\s,]*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)(?:[\s,]|$))"#,
    );
    let mut rest = args;
    let mut values = Vec::new();
    while !rest.trim_matches([' ', ',', '\t', '\n']).is_empty() {
        let found = re.captures(rest)?;
        let value = found.get(1).or(found.get(2)).or(found.get(3))?.as_str();
        values.push(value.replace("\\\"", "\"").replace("\\'", "'"));
        rest = &rest[found.get(0)?.end()..];
    }
    Some(values)
}

/// The few Liquid and Nunjucks values whose meaning gazette knows: the
/// site's and the page's URL and title, literals, and the filters that make
/// links (`url`, `relative_url`, `absolute_url`) or format a date (`date`).
fn liquid_value(expression: &str, post: &Post, resolver: &Resolver) -> Option<String> {
    let mut parts = expression.split('|');
    let value = parts.next().unwrap_or("").trim();
    let filters: Vec<&str> = parts.map(str::trim).collect();
    let base = resolver.base_url.trim_end_matches('/');
    let literal = value.trim_matches(|c| c == '"' || c == '\'');
    // Jekyll's values are its config's, concatenated as the site's HTML
    // does (`{{ site.url }}{{ site.baseurl }}/x`); a path from the host is
    // made absolute with every other link of the post.
    let jekyll = resolver.jekyll.is_some();
    // Eleventy gives a template its page's own data by name
    // (rishabhstein/git-11ty-blog's `<img src="{{ cover }}">`).
    let own_data = match resolver.generator {
        Generator::Eleventy => liquid_scalar(&post.details().extra, value),
        _ => None,
    };
    let mut resolved = match value {
        "site.url" | "site.baseurl" if jekyll => resolver
            .site_value(&value["site.".len()..])
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string(),
        "site.url" | "site.baseurl" => base.to_string(),
        "page.url" if jekyll => resolver.below_base(post.url.as_str())?,
        "page.url" => post.url.to_string(),
        "page.title" => post.title.clone(),
        "page.date" => post.date?.to_rfc3339(),
        // The post's own front matter, which Jekyll gives its Liquid as
        // `page` (`relative: ../` for `{{ page.relative }}`).
        _ if jekyll && value.starts_with("page.") => {
            liquid_scalar(&post.details().extra, &value["page.".len()..])?
        }
        _ if value.starts_with('"') || value.starts_with('\'') => literal.to_string(),
        _ if own_data.is_some() => own_data.unwrap_or_default(),
        _ => resolver.site_value(value.strip_prefix("site.")?)?,
    };
    for filter in filters {
        let (name, argument) = match filter.split_once(':') {
            Some((name, argument)) => (name.trim(), Some(argument.trim())),
            None => (filter, None),
        };
        resolved = match name {
            "relative_url" | "absolute_url" if jekyll => {
                jekyll_url_filter(name, &resolved, resolver)
            }
            // Eleventy's `url` adds the path prefix: the site's URL, made
            // absolute as every link in a feed is.
            "url" | "relative_url" | "absolute_url" | "htmlBaseUrl" => {
                let absolute = resolved.starts_with("http://") || resolved.starts_with("https://");
                if resolved == base || absolute {
                    resolved
                } else {
                    format!("{base}/{}", resolved.trim_start_matches('/'))
                }
            }
            "append" => match argument? {
                "site.baseurl" | "site.url" if jekyll => {
                    format!("{resolved}{}", liquid_value(argument?, post, resolver)?)
                }
                // gazette's base URL already holds Jekyll's baseurl.
                "site.baseurl" if resolved == base => resolved,
                quoted if quoted.starts_with('"') || quoted.starts_with('\'') => {
                    format!(
                        "{resolved}{}",
                        quoted.trim_matches(|c| c == '"' || c == '\'')
                    )
                }
                _ => return None,
            },
            "date" => {
                let format = argument?.trim_matches(|c| c == '"' || c == '\'');
                let date = chrono::DateTime::parse_from_rfc3339(&resolved).ok()?;
                let items: Vec<chrono::format::Item<'_>> =
                    chrono::format::StrftimeItems::new(format).collect();
                if items
                    .iter()
                    .any(|i| matches!(i, chrono::format::Item::Error))
                {
                    return None;
                }
                date.format_with_items(items.into_iter()).to_string()
            }
            _ => return None,
        };
    }
    Some(resolved)
}

/// The text, number or flag at the dotted `key` of `map`, as Liquid prints
/// it; a list or a table is none.
fn liquid_scalar(map: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    let mut value = map.get(key.split('.').next()?)?;
    for part in key.split('.').skip(1) {
        value = value.get(part)?;
    }
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        serde_json::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Jekyll's `relative_url` (the config's `baseurl` before a path from the
/// host) and `absolute_url` (its `url` before that), as its
/// `Filters::URLFilters` computes them; an absolute URL passes.
fn jekyll_url_filter(name: &str, input: &str, resolver: &Resolver) -> String {
    if input.starts_with("http://") || input.starts_with("https://") {
        return input.to_string();
    }
    let baseurl = resolver.site_value("baseurl").unwrap_or_default();
    let relative = crate::generators::jekyll_relative_url(&baseurl, input);
    match (name, resolver.site_value("url")) {
        ("absolute_url", Some(url)) if !url.is_empty() => format!("{url}{relative}"),
        _ => relative,
    }
}

/// Where `body` holds code, inline or in blocks, as Markdown reads it.
fn code_ranges(body: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(body)
        .into_offset_iter()
        .filter(|(event, _)| {
            matches!(
                event,
                Event::Code(_) | Event::Start(Tag::CodeBlock(_)) | Event::Html(_)
            )
        })
        .map(|(_, range)| range)
        .collect()
}

/// Zola's `@/` links and shortcodes: a shortcode through the site's own
/// template (`zola_shortcodes`), an `.html` one's output kept in `html`
/// with a placeholder in the text; one that cannot be rendered is removed,
/// with a warning that says why.
fn zola(
    post: &Post,
    body: &str,
    resolver: &Resolver,
    html: &mut Vec<String>,
    warn: &mut impl FnMut(usize, String),
) -> String {
    static ZOLA: OnceLock<Regex> = OnceLock::new();
    static END: OnceLock<Regex> = OnceLock::new();
    // One pass, so that every warning's offset is the body's: an `@/`
    // link, a shortcode call, a block shortcode with its body up to `{% end
    // %}`, a lone block start, or a call escaped to be shown (`{{/* x() */}}`).
    let zola = regex(
        &ZOLA,
        r"(?s)@/(?P<path>[^)\s#\x22']+)(?P<fragment>#[^)\s\x22']*)?|\{\{/\*(?P<shown>.*?)\*/\}\}|\{%/\*(?P<shown_block>.*?)\*/%\}|\{\{\s*(?P<inline>\w+)\((?P<args>.*?)\)\s*\}\}|\{%\s*(?P<block>\w+)\((?P<block_args>.*?)\)\s*%\}(?:(?P<body>.*?)\{%\s*end\s*%\})?",
    );
    let end = regex(&END, r"\{%\s*end\s*%\}");
    let mut calls: HashMap<String, usize> = HashMap::new();
    let code = code_ranges(body);
    let resolved = zola.replace_all(body, |c: &Captures<'_>| {
        let offset = c.get(0).map_or(0, |m| m.start());
        if let Some(shown) = c.name("shown") {
            return format!("{{{{{}}}}}", shown.as_str());
        }
        if let Some(shown) = c.name("shown_block") {
            return format!("{{%{}%}}", shown.as_str());
        }
        let Some(path) = c.name("path") else {
            let name = c
                .name("inline")
                .or_else(|| c.name("block"))
                .map_or("", |m| m.as_str());
            let arguments = c
                .name("args")
                .or_else(|| c.name("block_args"))
                .map_or("", |m| m.as_str());
            let body = c.name("body").map(|m| m.as_str());
            // Text Zola's grammar does not read as a call stays text.
            if !super::zola_shortcodes::is_call(arguments) {
                warn(
                    offset,
                    format!("{name}(…) is not a Zola shortcode call (its arguments are not Zola's syntax): kept as written, as Zola keeps it"),
                );
                return c[0].to_string();
            }
            let nth = calls.entry(name.to_string()).or_default();
            *nth += 1;
            let rendered = resolver.zola_shortcodes().render(
                name,
                arguments,
                body,
                *nth,
                post,
                &resolver.content_dir,
            );
            return match rendered {
                Ok(Rendered::Markdown(text)) => text,
                Ok(Rendered::Html(output)) => {
                    html.push(output);
                    placeholder(html.len() - 1)
                }
                Err(why) => {
                    warn(
                        offset,
                        format!("Zola shortcode {name}() not rendered ({why}): removed"),
                    );
                    // The body of a block stays, as text.
                    body.unwrap_or_default().to_string()
                }
            };
        };
        // Zola resolves `@/` in a Markdown link's destination alone
        // (`[a](@/x.md)`, `[r]: @/x.md`): in code, raw HTML or text it is
        // text (measured with Zola 0.22).
        let before = body[..offset].trim_end_matches([' ', '<']);
        let destination = before.ends_with("](") || before.ends_with("]:");
        if !destination || code.iter().any(|range| range.contains(&offset)) {
            return c[0].to_string();
        }
        let path = path.as_str();
        let fragment = c.name("fragment").map_or("", |m| m.as_str());
        match resolver.url(path) {
            Some(url) => format!("{url}{fragment}"),
            None => match resolver.list_page_url(path) {
                Some(url) => format!("{url}{fragment}"),
                None => {
                    warn(
                        offset,
                        format!("unresolved Zola link @/{path}: no such page; its text is kept"),
                    );
                    c[0].to_string()
                }
            },
        }
    });
    end.replace_all(&resolved, "").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post() -> Post {
        Post {
            url: url::Url::parse("https://e.org/posts/a/").unwrap(),
            id: "a".into(),
            ..Post::sample("content/posts/a.md", "A", None)
        }
    }

    fn resolver(generator: Generator) -> Resolver<'static> {
        static SITE: OnceLock<Defaults> = OnceLock::new();
        let site = SITE.get_or_init(|| {
            let config = "repository: https://code.e.org/x\ntwitter:\n  username: ex\nversion: 4.4\nplugins: [a]\n";
            match crate::yaml::parse(config) {
                Ok(serde_json::Value::Object(map)) => Defaults::from_config(&map),
                other => panic!("{other:?}"),
            }
        });
        let mut by_name = HashMap::new();
        for name in [
            "posts/b.md",
            "posts/b",
            "b.md",
            "b",
            "_posts/2019-01-02-b.md",
            "2019-01-02-b",
            "blog/b.md",
        ] {
            by_name.insert(name.to_string(), "https://e.org/posts/b/".to_string());
        }
        Resolver {
            generator,
            base_url: "https://e.org/".into(),
            content_dir: "content".into(),
            posts: &[],
            pages: &[],
            jekyll: (generator == Generator::Jekyll).then_some(site),
            jekyll_3: false,
            by_name: OnceLock::from(by_name),
            root: "no-such-site".into(),
            zola_shortcodes: OnceLock::new(),
            eleventy: None,
        }
    }

    fn run(generator: Generator, body: &str) -> (String, Vec<String>) {
        let resolved = resolve(&post(), body, 5, &resolver(generator));
        let warnings = resolved.warnings.iter().map(|w| w.to_string()).collect();
        (resolved.text, warnings)
    }

    #[test]
    fn hugo_refs_figures_and_unknown_shortcodes() {
        let (text, warnings) = run(
            Generator::Hugo,
            "See [b]({{< ref \"posts/b.md\" >}}) and [c]({{< relref \"nope\" >}}).\n{{< figure src=\"x.png\" alt=\"X\" caption=\"Cap\" >}}\n{{% notice %}}Kept{{% /notice %}}\n{{</* ref \"x\" */>}}",
        );
        assert!(text.contains("[b](https://e.org/posts/b/)"), "{text}");
        assert!(
            text.contains(
                "<figure><img src=\"x.png\" alt=\"X\"><figcaption>Cap</figcaption></figure>"
            ),
            "{text}"
        );
        assert!(text.contains("Kept") && !text.contains("notice"), "{text}");
        assert!(text.contains("{{< ref \"x\" >}}"), "{text}");
        // A ref without an extension that is no post is a section or term page.
        assert!(text.contains("[c](https://e.org/nope/)"), "{text}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("content/posts/a.md:7: warning: unresolved Hugo shortcode"),
            "{warnings:?}"
        );
    }

    #[test]
    fn hugo_embeds_become_links_and_details_keep_their_markdown() {
        let (text, warnings) = run(
            Generator::Hugo,
            "{{< x user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}\n{{< vimeo 19899678 >}}\n{{< instagram id=\"CxOWiQNP2MO\" >}}\n{{< tweet user=\"a\" id=\"1\" >}}\n{{< details summary=\"See *this*\" open=true >}}\nA **bold** word.\n{{< /details >}}",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        for link in [
            "<a href=\"https://x.com/SanDiegoZoo/status/1453110110599868418\">Post by @SanDiegoZoo on X</a>",
            "<a href=\"https://vimeo.com/19899678\">Vimeo video 19899678</a>",
            "<a href=\"https://www.instagram.com/p/CxOWiQNP2MO/\">Instagram post CxOWiQNP2MO</a>",
            "<a href=\"https://x.com/a/status/1\">",
        ] {
            assert!(text.contains(link), "{link} in {text}");
        }
        let html = super::super::markdown::to_html(&text, false);
        assert!(
            html.contains("<details open><summary>See <em>this</em></summary>\n<p>A <strong>bold</strong> word.</p>\n</details>"),
            "{html}"
        );
    }

    #[test]
    fn section_and_taxonomy_refs_and_missing_posts_keep_a_link() {
        let (text, warnings) = run(
            Generator::Hugo,
            "[til]({{< ref \"/categories/TIL\" >}}) [s]({{< ref \"posts/_index.md\" >}}) [gone]({{< ref \"gone.md\" >}})",
        );
        assert!(
            text.contains("[til](https://e.org/categories/til/)"),
            "{text}"
        );
        assert!(text.contains("[s](https://e.org/posts/)"), "{text}");
        // Not emptied: the reference stays, with a warning.
        assert!(text.contains("[gone]({{< ref \"gone.md\" >}})"), "{text}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (text, _) = run(
            Generator::Zola,
            "[s](@/showcase/_index.md) [h](@/_index.md#top) [fr](@/showcase/_index.fr.md) [hf](@/_index.fr.md)",
        );
        assert!(
            text.contains("[s](https://e.org/showcase/) [h](https://e.org/#top) [fr](https://e.org/fr/showcase/) [hf](https://e.org/fr/)"),
            "{text}"
        );
    }

    #[test]
    fn link_and_date_filters_and_unknown_values() {
        let mut dated = post();
        dated.date = chrono::DateTime::parse_from_rfc3339("2024-02-03T10:00:00+00:00").ok();
        let Resolved { text, warnings, .. } = resolve(
            &dated,
            "![shot]({{ '/img/shot.png' | url }}) {{ \"/a/\" | relative_url }} {{ page.date | date: \"%Y-%m\" }} {{ site.url | append: site.baseurl }} {{ collections.posts | length }}",
            1,
            &resolver(Generator::Eleventy),
        );
        assert!(
            text.contains("![shot](https://e.org/img/shot.png)"),
            "{text}"
        );
        assert!(
            text.contains("https://e.org/a/ 2024-02 https://e.org "),
            "{text}"
        );
        assert!(text.contains("{{ collections.posts | length }}"), "{text}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    /// An Eleventy site's shortcodes that give a template literal of their
    /// parameters write it (thepugautomatic.com's `{% filename "x.rb" %}`);
    /// one that computes is removed with a warning that says so.
    #[test]
    fn eleventy_shortcodes_written_as_templates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".eleventy.js"),
            r#"const { note } = require("./lib/shortcodes.js");
module.exports = function (eleventyConfig) {
  eleventyConfig.addShortcode("filename", filename => {
    return `<div class="code-filename">${filename}</div>\n\n`;
  });
  eleventyConfig.addShortcode("image", async (src) => { return await sharp(src); });
  eleventyConfig.addPairedShortcode("note", note);
};
"#,
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("lib")).unwrap();
        std::fs::write(
            dir.path().join("lib/shortcodes.js"),
            "exports.note = (content, kind = \"info\") => `<aside class=\"${kind}\">${content}</aside>`;\n",
        )
        .unwrap();
        let mut resolver = resolver(Generator::Eleventy);
        resolver.eleventy = Some(std::sync::Arc::new(SiteFilters::read(dir.path())));
        let run = |body: &str| {
            let resolved = resolve(&post(), body, 5, &resolver);
            let warnings: Vec<String> = resolved.warnings.iter().map(|w| w.to_string()).collect();
            (resolved.text, warnings)
        };
        assert_eq!(
            run("{% filename \"item_factory.rb\" %}\n```ruby\nx\n```\n"),
            (
                "<div class=\"code-filename\">item_factory.rb</div>\n\n\n```ruby\nx\n```\n".into(),
                vec![]
            )
        );
        assert_eq!(
            run("{% note 'tip' %}Read **this**.{% endnote %} and {% note %}that{% endnote %}"),
            (
                "<aside class=\"tip\">Read **this**.</aside> and <aside class=\"info\">that</aside>"
                    .into(),
                vec![]
            )
        );
        let (text, warnings) = run("a {% image \"cat.jpg\" %} b {% filename page.url %}");
        assert_eq!(text, "a  b ");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("the site's `image` shortcode computes in JavaScript"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].contains("given values other than literals"),
            "{warnings:?}"
        );
    }

    #[test]
    fn liquid_links_raw_and_variables() {
        let (text, warnings) = run(
            Generator::Jekyll,
            "[b]({% post_url 2019-01-02-b %}) [c]({% link _posts/2019-01-02-b.md %})\n{% raw %}{{ not touched }}{% endraw %}\n{{ site.repository }} {{ \"/about/\" | relative_url }}\n{% include note.html %} {{ site.twitter.username }} {{ site.version }} {{ site.plugins }} {{ site.missing }}",
        );
        // Paths from the host, as Jekyll prints them; the post's other
        // links make them absolute.
        assert!(text.contains("[b](/posts/b/) [c](/posts/b/)"), "{text}");
        assert!(text.contains("{{ not touched }}"), "{text}");
        assert!(text.contains(" /about/\n"), "{text}");
        // The site config's texts and numbers, as Liquid prints them.
        assert!(text.contains("https://code.e.org/x"), "{text}");
        assert!(text.contains(" ex 4.4 "), "{text}");
        // A list, or a key the config lacks, keeps its text; an unknown tag
        // is removed.
        assert!(
            text.contains("{{ site.plugins }} {{ site.missing }}") && !text.contains("include"),
            "{text}"
        );
        assert_eq!(warnings.len(), 3, "{warnings:?}");
    }

    #[test]
    fn jekyll_page_values_are_the_posts_front_matter() {
        let mut post = post();
        let extra =
            serde_json::json!({"relative": "../", "series": {"part": 2}, "tags_seen": ["x"]});
        post.details = Some(Box::new(crate::content::Details {
            extra: extra.as_object().cloned().unwrap_or_default(),
            ..Default::default()
        }));
        let body = "[c]({{ page.relative }}download/c.html) part {{ page.series.part }} {{ page.tags_seen }} {{ page.missing }}";
        let resolved = resolve(&post, body, 5, &resolver(Generator::Jekyll));
        assert!(
            resolved.text.starts_with(
                "[c](../download/c.html) part 2 {{ page.tags_seen }} {{ page.missing }}"
            ),
            "{}",
            resolved.text
        );
        assert_eq!(resolved.warnings.len(), 2, "{:?}", resolved.warnings);
        // Eleventy's `page` is its own object, not the front matter.
        let eleventy = resolve(&post, body, 5, &resolver(Generator::Eleventy)).text;
        assert!(eleventy.contains("{{ page.relative }}"), "{eleventy}");
    }

    #[test]
    fn jekyll_values_concatenate_as_jekyll_prints_them() {
        let site = tempfile::tempdir().unwrap();
        let config = "url: https://e.org\nbaseurl: /blog\ncollections:\n  docs:\n    output: true\n    permalink: /:collection/:path/\n";
        std::fs::write(site.path().join("_config.yml"), config).unwrap();
        std::fs::create_dir(site.path().join("_docs")).unwrap();
        std::fs::write(site.path().join("_docs/history.md"), "---\ntitle: H\n---\n").unwrap();
        std::fs::write(site.path().join("about.md"), "---\ntitle: A\n---\n").unwrap();
        let defaults = match crate::yaml::parse(config) {
            Ok(serde_json::Value::Object(map)) => Defaults::from_config(&map),
            other => panic!("{other:?}"),
        };
        let by_name = HashMap::from([(
            "2019-01-02-b".to_string(),
            "https://e.org/blog/2019/b.html".to_string(),
        )]);
        let mut resolver = Resolver {
            base_url: "https://e.org/blog/".into(),
            jekyll: Some(&defaults),
            by_name: OnceLock::from(by_name),
            root: site.path().to_path_buf(),
            ..resolver(Generator::Jekyll)
        };
        let body = "<{{ site.url }}{{ site.baseurl }}/a> <{{ site.baseurl }}{% post_url 2019-01-02-b %}> <{% link about.md %}> <{% link _docs/history.md %}> <{{ 'x' | absolute_url }}> <{{ site.url | append: site.baseurl }}>";
        let text = resolve(&post(), body, 5, &resolver).text;
        // Jekyll 4's tags hold the baseurl: the site's own `{{ site.baseurl }}`
        // before one doubles it on the site, and so in the feed.
        assert_eq!(
            text,
            "<https://e.org/blog/a> </blog/blog/2019/b.html> </blog/about.html> </blog/docs/history/> <https://e.org/blog/x> <https://e.org/blog>"
        );
        resolver.jekyll_3 = true;
        let text = resolve(&post(), body, 5, &resolver).text;
        assert!(
            text.starts_with(
                "<https://e.org/blog/a> </blog/2019/b.html> </about.html> </docs/history/>"
            ),
            "{text}"
        );
    }

    #[test]
    fn zola_internal_links_and_shortcodes() {
        let (text, warnings) = run(
            Generator::Zola,
            "[b](@/blog/b.md#part) [x](@/missing.md)\n{{ youtube(id=\"abc\") }}\n{% quote(author=\"Q\") %}Wise{% end %}",
        );
        assert!(text.contains("[b](https://e.org/posts/b/#part)"), "{text}");
        assert!(text.contains("[x](@/missing.md)"), "{text}");
        assert!(
            text.contains("Wise") && !text.contains("quote(") && !text.contains("{% end %}"),
            "{text}"
        );
        assert_eq!(warnings.len(), 3, "{warnings:?}");
    }

    /// Zola 0.22 resolves `@/` in a link's destination alone, an inline
    /// one or a reference's: in code, raw HTML and text it stays text.
    #[test]
    fn zola_links_only_in_link_destinations() {
        let (text, warnings) = run(
            Generator::Zola,
            "A [b](@/blog/b.md), [r][r], `@/blog/b.md` and bare @/blog/b.md.\n\n```\n\"@/*\": [\"src/*\"]\n[b](@/blog/b.md)\n```\n\n[r]: <@/blog/b.md#top>\n",
        );
        assert_eq!(
            text,
            "A [b](https://e.org/posts/b/), [r][r], `@/blog/b.md` and bare @/blog/b.md.\n\n```\n\"@/*\": [\"src/*\"]\n[b](@/blog/b.md)\n```\n\n[r]: <https://e.org/posts/b/#top>\n"
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn warnings_name_the_bodys_line_after_other_text_changed_length() {
        let lines = |generator: Generator, body: &str| -> Vec<Option<usize>> {
            let resolved = resolve(&post(), body, 5, &resolver(generator));
            resolved.warnings.iter().map(|w| w.line).collect()
        };
        // A resolved link shortens the text before a shortcode in a line
        // of accented letters: the shortcode's line is still the body's (a
        // second pass over the changed text once cut inside a letter).
        let zola = "[b](@/posts/b.md) capítulos, sección\n\ncapítulos {{ note(text=\"á\") }}\n";
        assert_eq!(lines(Generator::Zola, zola), [Some(7)]);
        // A raw block over three lines and a highlighted block before an
        // unknown tag and an unknown value.
        let liquid = "{% raw %}\n{{ a }}\n{% endraw %} é\n{% highlight rust %}\nx\n{% endhighlight %}\n{% include x.html %} {{ site.nothing }}\n";
        assert_eq!(lines(Generator::Jekyll, liquid), [Some(11), Some(11)]);
    }

    #[test]
    fn gazette_sites_are_left_alone() {
        let (text, warnings) = run(Generator::Gazette, "{{< ref \"x\" >}} {% raw %}");
        assert_eq!(text, "{{< ref \"x\" >}} {% raw %}");
        assert!(warnings.is_empty());
    }
}
