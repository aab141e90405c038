//! Tera templates: defaults compiled into the binary, overridden file by file
//! by the site's own `templates/` folder.
//!
//! Only files named like a default are read from the site: a Zola or Hugo
//! site keeps its page templates in `templates/` too, and those must not be
//! parsed (or fail) as ours.

use std::path::Path;

use tera::{Context, Tera};

use crate::error::{self, Error};

/// The default templates, as `(name, source)`.
pub const DEFAULTS: &[(&str, &str)] = &[(
    "feed_entry.html",
    include_str!("../../templates/feed_entry.html"),
)];

/// Tera's own escaping also turns `/` into `&#x2F;`, which is valid but
/// makes every URL in a feed unreadable to people viewing its source.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The loaded set of templates for one site.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Loads the defaults, then every same-named file found in `dir`.
    pub fn load(dir: &Path) -> Result<Templates, Error> {
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        for &(name, default) in DEFAULTS {
            let site_file = dir.join(name);
            let source = match std::fs::read_to_string(&site_file) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => default.to_string(),
                Err(e) => return Err(Error::io(site_file, e)),
            };
            tera.add_raw_template(name, &source)
                .map_err(|e| Error::Template {
                    name: site_file.display().to_string(),
                    message: error::chain(&e),
                })?;
        }
        Ok(Templates { tera })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Error> {
        self.tera
            .render(name, context)
            .map_err(|e| Error::Template {
                name: name.to_string(),
                message: error::chain(&e),
            })
    }
}
