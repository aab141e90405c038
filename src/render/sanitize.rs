//! Making post HTML safe for feed readers, browsers and mail clients.
//!
//! `ammonia` does the cleaning (an allow-list of elements, attributes and
//! URL schemes, parsed the way browsers parse); a scan of the same HTML
//! beforehand names what will be removed, so the author hears about it.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};

use lol_html::{element, rewrite_str, RewriteStrSettings};

/// What the sanitiser took out of one piece of HTML, each kind once, with a
/// snippet to find it by in the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    /// e.g. `"<script> element"`, `"onclick attribute"`, `"javascript: URL"`.
    pub kinds: BTreeSet<(String, String)>,
}

impl Removed {
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }
}

/// Cleans `html`: no scripts, event handlers, `javascript:`/`vbscript:` or
/// non-image `data:` URLs, `srcdoc`, forms, objects; iframes only from
/// `iframe_hosts`. Ordinary markup, tables, images, audio and video stay.
pub fn clean(html: &str, iframe_hosts: &[String]) -> (String, Removed) {
    let removed = scan(html, iframe_hosts);
    let hosts: HashSet<String> = iframe_hosts
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(&[
            "audio",
            "video",
            "source",
            "track",
            "picture",
            "figure",
            "figcaption",
            "iframe",
            "section",
            "aside",
            "details",
            "summary",
            "mark",
            "time",
        ])
        .add_generic_attributes(&["id", "class", "lang", "dir"])
        .add_tag_attributes("img", &["srcset", "sizes", "loading", "width", "height"])
        .add_tag_attributes("audio", &["src", "controls", "preload", "loop", "muted"])
        .add_tag_attributes(
            "video",
            &[
                "src",
                "controls",
                "poster",
                "width",
                "height",
                "preload",
                "loop",
                "muted",
                "playsinline",
            ],
        )
        .add_tag_attributes("source", &["src", "srcset", "type", "media", "sizes"])
        .add_tag_attributes("track", &["src", "kind", "srclang", "label", "default"])
        .add_tag_attributes(
            "iframe",
            &[
                "src",
                "width",
                "height",
                "allow",
                "allowfullscreen",
                "title",
                "loading",
            ],
        )
        .add_tag_attributes("time", &["datetime"])
        .add_tag_attributes("td", &["colspan", "rowspan", "align"])
        .add_tag_attributes("th", &["colspan", "rowspan", "align", "scope"])
        .add_tag_attributes("ol", &["start", "reversed", "type"])
        .add_tag_attributes("li", &["value"])
        .add_tag_attributes("input", &["type", "checked", "disabled"])
        .add_tags(&["input"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel", "data"]))
        .link_rel(None)
        .attribute_filter(move |element, attribute, value| {
            filter_attribute(element, attribute, value, &hosts)
        });
    (builder.clean(html).to_string(), removed)
}

/// Keeps `data:` URLs only as inline images, checkboxes only as the task
/// list markers Markdown makes, and iframes only from allowed hosts.
fn filter_attribute<'v>(
    element: &str,
    attribute: &str,
    value: &'v str,
    iframe_hosts: &HashSet<String>,
) -> Option<Cow<'v, str>> {
    let lower = value.trim().to_ascii_lowercase();
    if lower.starts_with("data:")
        && !(element == "img"
            && attribute == "src"
            && lower.starts_with("data:image/")
            && !lower.starts_with("data:image/svg"))
    {
        return None;
    }
    match (element, attribute) {
        ("input", "type") if value != "checkbox" => None,
        ("iframe", "src") => iframe_allowed(value, iframe_hosts).then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

fn iframe_allowed(src: &str, hosts: &HashSet<String>) -> bool {
    url::Url::parse(src).is_ok_and(|url| {
        url.scheme() == "https"
            && url
                .host_str()
                .is_some_and(|host| hosts.contains(&host.to_ascii_lowercase()))
    })
}

/// Names what `clean` will remove, before it does.
fn scan(html: &str, iframe_hosts: &[String]) -> Removed {
    let found = std::cell::RefCell::new(BTreeSet::new());
    let hosts: HashSet<String> = iframe_hosts
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let note = |kind: String, needle: String| {
        found.borrow_mut().insert((kind, needle));
    };
    let settings = RewriteStrSettings {
        element_content_handlers: vec![
            element!(
                "script, object, embed, applet, form, base, meta, link, style, frame, frameset",
                |el| {
                    let tag = el.tag_name();
                    note(format!("<{tag}> element"), format!("<{tag}"));
                    Ok(())
                }
            ),
            element!("iframe", |el| {
                if el.has_attribute("srcdoc") {
                    note("<iframe srcdoc>".into(), "srcdoc".into());
                }
                match el.get_attribute("src") {
                    Some(src) if !iframe_allowed(&src, &hosts) => {
                        let host = url::Url::parse(&src)
                            .ok()
                            .and_then(|u| u.host_str().map(str::to_string))
                            .unwrap_or_else(|| src.chars().take(40).collect());
                        note(
                            format!("<iframe> from {host} (allow it with `iframe_hosts`)"),
                            "<iframe".into(),
                        );
                    }
                    _ => {}
                }
                Ok(())
            }),
            element!("*", |el| {
                for attribute in el.attributes() {
                    let name = attribute.name();
                    let value = attribute.value();
                    if name.starts_with("on") {
                        note(format!("{name} attribute"), name.clone());
                    }
                    let lower = value.trim().to_ascii_lowercase();
                    let url_attribute = matches!(
                        name.as_str(),
                        "href"
                            | "src"
                            | "action"
                            | "formaction"
                            | "xlink:href"
                            | "poster"
                            | "background"
                            | "srcset"
                    );
                    if url_attribute {
                        for scheme in ["javascript:", "vbscript:"] {
                            if lower.starts_with(scheme) {
                                note(format!("{scheme} URL"), scheme.to_string());
                            }
                        }
                        let image = el.tag_name() == "img"
                            && name == "src"
                            && lower.starts_with("data:image/")
                            && !lower.starts_with("data:image/svg");
                        if lower.starts_with("data:") && !image {
                            note("data: URL that is not an image".into(), "data:".into());
                        }
                    }
                }
                Ok(())
            }),
        ],
        ..RewriteStrSettings::new()
    };
    // Only scanning: the rewritten text is not used, and a failure only
    // means fewer names in the warning; ammonia still cleans.
    let _ = rewrite_str(html, settings);
    Removed {
        kinds: found.into_inner(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(html: &str) -> (String, Vec<String>) {
        let (out, removed) = clean(html, &["www.youtube-nocookie.com".to_string()]);
        (out, removed.kinds.into_iter().map(|(k, _)| k).collect())
    }

    #[test]
    fn active_content_goes() {
        for (html, kind) in [
            ("<p>a<script>alert(1)</script></p>", "<script> element"),
            ("<img src=x onerror=alert(1)>", "onerror attribute"),
            ("<a href=\"javascript:alert(1)\">x</a>", "javascript: URL"),
            ("<a href=\" JaVaScRiPt:alert(1)\">x</a>", "javascript: URL"),
            (
                "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
                "<iframe srcdoc>",
            ),
            ("<svg><script>alert(1)</script></svg>", "<script> element"),
            (
                "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
                "data: URL that is not an image",
            ),
            (
                "<iframe src=\"https://evil.example/\"></iframe>",
                "<iframe> from evil.example (allow it with `iframe_hosts`)",
            ),
        ] {
            let (out, kinds) = cleaned(html);
            let lower = out.to_ascii_lowercase();
            for bad in [
                "<script",
                "onerror",
                "javascript:",
                "srcdoc",
                "data:text",
                "evil.example",
            ] {
                assert!(!lower.contains(bad), "{html} -> {out}");
            }
            assert!(kinds.iter().any(|k| k == kind), "{html}: {kinds:?}");
        }
    }

    #[test]
    fn ordinary_markup_stays() {
        let html = "<p><a href=\"https://x.org/\">x</a> <em>e</em></p><table><tr><td colspan=\"2\">t</td></tr></table><img src=\"https://x.org/i.png\" alt=\"i\"><audio controls src=\"https://x.org/a.mp3\"></audio><video controls poster=\"https://x.org/p.png\"><source src=\"https://x.org/v.mp4\" type=\"video/mp4\"></video><iframe src=\"https://www.youtube-nocookie.com/embed/x\" allowfullscreen></iframe><sup id=\"fnref1\"><a href=\"#fn1\">1</a></sup><img src=\"data:image/png;base64,AAAA\">";
        let (out, kinds) = cleaned(html);
        assert!(kinds.is_empty(), "{kinds:?}");
        for kept in [
            "<table>",
            "colspan=\"2\"",
            "<audio",
            "<video",
            "<source",
            "youtube-nocookie",
            "id=\"fnref1\"",
            "href=\"#fn1\"",
            "data:image/png",
        ] {
            assert!(out.contains(kept), "{kept} missing from {out}");
        }
    }
}
