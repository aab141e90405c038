//! Making links in rendered HTML absolute.
//!
//! Feed readers and RSS-to-email services ignore `xml:base`, so an image
//! written as `![](cover.jpg)` would break in every reader. We rewrite the
//! final HTML (after templates) so links from raw HTML and from templates are
//! covered too, not only Markdown links.

use lol_html::{element, rewrite_str, RewriteStrSettings};
use url::Url;

/// Rewrites `href`, `src`, `srcset` and `poster` against `base`.
pub fn absolutize(html: &str, base: &Url) -> String {
    let settings = RewriteStrSettings {
        element_content_handlers: vec![
            element!("[href], [src], [poster]", |el| {
                for name in ["href", "src", "poster"] {
                    if let Some(value) = el.get_attribute(name) {
                        let absolute = resolve(base, &value);
                        if absolute != value {
                            el.set_attribute(name, &absolute)?;
                        }
                    }
                }
                Ok(())
            }),
            element!("[srcset]", |el| {
                if let Some(value) = el.get_attribute("srcset") {
                    el.set_attribute("srcset", &resolve_srcset(base, &value))?;
                }
                Ok(())
            }),
        ],
        ..RewriteStrSettings::new()
    };
    // The rewriter only fails on memory limits we do not set; keep the input then.
    let rewritten = rewrite_str(html, settings).unwrap_or_else(|_| html.to_string());
    absolutize_noscript(&rewritten, base)
}

/// The rewriter reads `<noscript>` content as text, as a browser with
/// scripts on does; readers without scripts show it as markup, so its links
/// are made absolute too.
fn absolutize_noscript(html: &str, base: &Url) -> String {
    let lower = html.to_ascii_lowercase();
    if !lower.contains("<noscript") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = 0;
    while let Some(open) = lower[rest..].find("<noscript") {
        let open = rest + open;
        let Some(tag_end) = lower[open..].find('>').map(|i| open + i + 1) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</noscript").map(|i| tag_end + i) else {
            break;
        };
        out.push_str(&html[rest..tag_end]);
        out.push_str(&absolutize(&html[tag_end..close], base));
        rest = close;
        if let Some(end) = lower[close..].find('>') {
            out.push_str(&html[close..close + end + 1]);
            rest = close + end + 1;
        }
    }
    out.push_str(&html[rest..]);
    out
}

/// Resolves one attribute value as the rewriter hands it over: raw, with
/// entities such as `&amp;` or `&#x2F;` still encoded.
fn resolve(base: &Url, raw: &str) -> String {
    let decoded = html_escape::decode_html_entities(raw.trim());
    if decoded.is_empty() {
        return raw.to_string();
    }
    match base.join(&decoded) {
        // The rewriter escapes quotes only; `&` must become `&amp;` again.
        Ok(url) => url.as_str().replace('&', "&amp;"),
        Err(_) => raw.to_string(),
    }
}

/// `srcset` holds comma-separated candidates of `URL [descriptor]`.
fn resolve_srcset(base: &Url, srcset: &str) -> String {
    srcset
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            match candidate.split_once(char::is_whitespace) {
                Some((url, descriptor)) => format!("{} {}", resolve(base, url), descriptor.trim()),
                None => resolve(base, candidate),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noscript_links_are_absolute_too() {
        let base = Url::parse("https://example.org/p/").unwrap();
        let out = absolutize(
            "<noscript><a href=\"x/\"><img src=\"i.png\"></a></noscript><a href=\"y/\">y</a>",
            &base,
        );
        assert!(out.contains("href=\"https://example.org/p/x/\""), "{out}");
        assert!(out.contains("src=\"https://example.org/p/i.png\""), "{out}");
        assert!(out.contains("href=\"https://example.org/p/y/\""), "{out}");
    }

    #[test]
    fn rewrites_every_url_attribute() {
        let base = Url::parse("https://example.org/posts/hello/").unwrap();
        let html = r##"<p><a href="../other/">o</a> <a href="#fn1">f</a> <a href="https://x.org/">x</a>
<img src="cover.jpg" srcset="small.jpg 480w, /img/big.jpg 1080w"><video poster="still.png" src="/v.mp4"></video>
<a href="mailto:a@b.c">m</a> <a href="https:&#x2F;&#x2F;y.org&#x2F;q?a=1&amp;b=2">y</a></p>"##;
        let out = absolutize(html, &base);
        for expected in [
            r#"href="https://example.org/posts/other/""#,
            r##"href="https://example.org/posts/hello/#fn1""##,
            r#"href="https://x.org/""#,
            r#"src="https://example.org/posts/hello/cover.jpg""#,
            r#"srcset="https://example.org/posts/hello/small.jpg 480w, https://example.org/img/big.jpg 1080w""#,
            r#"poster="https://example.org/posts/hello/still.png""#,
            r#"src="https://example.org/v.mp4""#,
            r#"href="mailto:a@b.c""#,
            r#"href="https://y.org/q?a=1&amp;b=2""#,
        ] {
            assert!(out.contains(expected), "missing {expected} in {out}");
        }
    }
}
