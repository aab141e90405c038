//! Tera templates: defaults compiled into the binary, overridden file by file
//! by the site's own `templates/` folder.
//!
//! Only files named like a default are read from the site: a Zola or Hugo
//! site keeps its page templates in `templates/` too, and those must not be
//! parsed (or fail) as ours.

use std::collections::HashMap;
use std::path::Path;

use tera::{Context, Tera};

use crate::error::{self, Error};

/// The default Tera templates, as `(name, source)`.
pub const DEFAULTS: &[(&str, &str)] = &[
    (
        "feed_entry.html",
        include_str!("../../templates/feed_entry.html"),
    ),
    (
        "podcast_notes.html",
        include_str!("../../templates/podcast_notes.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("digest.html", include_str!("../../templates/digest.html")),
    ("digest.txt", include_str!("../../templates/digest.txt")),
    // Before the templates that extend it.
    ("message.html", include_str!("../../templates/message.html")),
    ("confirm.html", include_str!("../../templates/confirm.html")),
    ("confirm.txt", include_str!("../../templates/confirm.txt")),
    ("serve.html", include_str!("../../templates/serve.html")),
    ("welcome.html", include_str!("../../templates/welcome.html")),
    ("welcome.txt", include_str!("../../templates/welcome.txt")),
    (
        "newsletter.html",
        include_str!("../../templates/newsletter.html"),
    ),
    (
        "newsletter_index.html",
        include_str!("../../templates/newsletter_index.html"),
    ),
];

/// Files copied as they are into the output folder, overridable by name:
/// the stylesheet and script that make feeds readable in a browser.
pub const ASSETS: &[(&str, &str)] = &[
    ("feed.xsl", include_str!("../../templates/feed.xsl")),
    ("feed.js", include_str!("../../templates/feed.js")),
];

/// Tera's own escaping also turns `/` into `&#x2F;`, which is valid but
/// makes every URL in a feed unreadable to people viewing its source.
pub fn escape_html(input: &str) -> String {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut rest = input;
    // Runs without special characters are copied whole: most text has none.
    while let Some(at) = rest.bytes().position(|b| special(&b)) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// Characters a URL query value may hold as they are (RFC 3986 unreserved).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `{{ url | query_value }}`: a URL to put inside another URL's query, as
/// "open in" links need. Tera's `urlencode_strict` also encodes `.`.
fn query_value(value: &tera::Value, _: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("query_value expects a string"))?;
    Ok(percent_encoding::utf8_percent_encode(text, QUERY_VALUE)
        .to_string()
        .into())
}

/// `{{ text | wrap(width=72, indent="   ") }}`: fills plain text to a width
/// for e-mail, measuring CJK characters as two columns.
fn wrap(value: &tera::Value, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("wrap expects a string"))?;
    let width = args
        .get("width")
        .and_then(tera::Value::as_u64)
        .unwrap_or(72) as usize;
    let indent = args
        .get("indent")
        .and_then(tera::Value::as_str)
        .unwrap_or("");
    // A digest wraps the same post texts for every subscriber: remember them.
    thread_local! {
        static WRAPPED: std::cell::RefCell<HashMap<(String, usize, String), String>> =
            std::cell::RefCell::new(HashMap::new());
    }
    let key = (text.to_string(), width, indent.to_string());
    if let Some(done) = WRAPPED.with(|cache| cache.borrow().get(&key).cloned()) {
        return Ok(done.into());
    }
    // First fit, as mail clients and `fmt` wrap: the optimal-fit default
    // costs a third of a digest's rendering time and reads no better here.
    let options = textwrap::Options::new(width)
        .initial_indent(indent)
        .subsequent_indent(indent)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    let wrapped = textwrap::fill(text, options);
    WRAPPED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 4096 {
            cache.clear();
        }
        cache.insert(key, wrapped.clone());
    });
    Ok(wrapped.into())
}

/// The loaded set of templates for one site.
pub struct Templates {
    tera: Tera,
    /// `(name, contents)` of each static asset, the site's copy if it has one.
    assets: Vec<(&'static str, String)>,
}

fn read_override(dir: &Path, name: &str, default: &str) -> Result<String, Error> {
    let site_file = dir.join(name);
    match std::fs::read_to_string(&site_file) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(default.to_string()),
        Err(e) => Err(Error::io(site_file, e)),
    }
}

impl Templates {
    /// Loads the defaults, then every same-named file found in `dir`.
    pub fn load(dir: &Path) -> Result<Templates, Error> {
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        tera.register_filter("query_value", query_value);
        tera.register_filter("wrap", wrap);
        tera.register_function("t", super::strings::tera_function);
        for &(name, default) in DEFAULTS {
            let source = read_override(dir, name, default)?;
            tera.add_raw_template(name, &source)
                .map_err(|e| Error::Template {
                    name: dir.join(name).display().to_string(),
                    message: error::chain(&e),
                })?;
        }
        let assets = ASSETS
            .iter()
            .map(|&(name, default)| Ok((name, read_override(dir, name, default)?)))
            .collect::<Result<_, Error>>()?;
        Ok(Templates { tera, assets })
    }

    pub fn assets(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.assets
            .iter()
            .map(|(name, text)| (*name, text.as_str()))
    }

    /// The syntax tree of `name`, for a caller that must know what a
    /// template reads; `None` for one that extends another or has macros,
    /// whose tree alone does not say what it renders.
    pub fn syntax(&self, name: &str) -> Option<&[tera::ast::Node]> {
        let template = self.tera.get_template(name).ok()?;
        (template.parents.is_empty()
            && template.macros.is_empty()
            && template.imported_macro_files.is_empty())
        .then_some(template.ast.as_slice())
    }

    /// Adds a template given in the config (e.g. the digest subject line).
    pub fn add(&mut self, name: &str, source: &str) -> Result<(), Error> {
        self.tera
            .add_raw_template(name, source)
            .map_err(|e| Error::Template {
                name: name.to_string(),
                message: error::chain(&e),
            })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Error> {
        // Tera keeps the newline after a leading `{# doc comment #}`; a page
        // must start with its doctype.
        self.tera
            .render(name, context)
            .map(|text| text.trim_start().to_string())
            .map_err(|e| Error::Template {
                name: name.to_string(),
                message: error::chain(&e),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escaping_covers_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a> / 李雷"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt; / 李雷"
        );
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("&"), "&amp;");
    }
}
