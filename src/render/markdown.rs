//! Markdown to HTML, and summaries taken from the body.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

use crate::text;

/// Where a hand-picked excerpt ends: Zola's `<!-- more -->`, Hugo's
/// `<!--more-->`, and the same with other spacing (a common Jekyll
/// `excerpt_separator`).
pub(super) fn more_marker(markdown: &str) -> Option<usize> {
    static MARKER: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    MARKER
        .get_or_init(|| regex::Regex::new(r"<!--\s*more\s*-->").ok())
        .as_ref()?
        .find(markdown)
        .map(|m| m.start())
}

fn options(smart: bool) -> Options {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    if smart {
        options | Options::ENABLE_SMART_PUNCTUATION
    } else {
        options
    }
}

/// Renders a post body to HTML; `smart` makes typographic quotes, dashes
/// and ellipses, as kramdown and Goldmark's typographer do.
pub fn to_html(markdown: &str, smart: bool) -> String {
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options(smart)));
    out
}

/// `text` with typographic quotes, dashes and ellipses (jekyll-feed's
/// `smartify` of a title); only the punctuation changes, never the words.
pub fn smartify(text: &str) -> String {
    // Escaped so that the text is read as text, not as Markdown.
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    if out.trim().is_empty() {
        text.to_string()
    } else {
        out
    }
}

/// kramdown's block-level elements (`HTML_BLOCK_ELEMENTS`), whose tags its
/// `smartify` escapes as text; any other tag it parses as an element.
const KRAMDOWN_BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "main",
    "map",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// A title as jekyll-feed writes it from `smartify | strip_html |
/// normalize_whitespace`: kramdown parses an inline tag as an element,
/// closing one left open at the title's end, and Liquid's `strip_html`
/// takes out a `<script>` or `<style>` with all it holds, comments, and
/// every other tag, keeping the text inside (`a <script> b` is `a`,
/// `a <em>x</em> b` is `a x b`: measured with Jekyll 4.3). A block
/// element's tag (`<div>`) kramdown escapes, so it stays as text.
pub fn strip_title_html(title: &str) -> String {
    static TAG: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(tag) = TAG
        .get_or_init(|| {
            regex::Regex::new(r"(?s)<!--.*?-->|<(/?)([A-Za-z][\w:.-]*)(?:\s[^<>]*)?/?>").ok()
        })
        .as_ref()
    else {
        return title.to_string();
    };
    let mut out = String::with_capacity(title.len());
    let mut at = 0;
    while let Some(found) = tag.captures_at(title, at) {
        let whole = found.get(0).map_or(at..at, |m| m.range());
        out.push_str(&title[at..whole.start]);
        at = whole.end;
        let Some(name) = found.get(2).map(|m| m.as_str().to_ascii_lowercase()) else {
            continue;
        };
        let closing = found.get(1).is_some_and(|m| !m.as_str().is_empty());
        if KRAMDOWN_BLOCK_ELEMENTS.contains(&name.as_str()) {
            out.push_str(&title[whole]);
        } else if !closing && (name == "script" || name == "style") {
            let end = format!("</{name}>");
            at = title[at..]
                .to_ascii_lowercase()
                .find(&end)
                .map_or(title.len(), |i| at + i + end.len());
        }
    }
    out.push_str(&title[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A plain-text summary of the body: the text before `<!-- more -->` if the
/// author placed one, else the first paragraph, cut to `max_chars`.
///
/// Only the start of the document is parsed: the parser is lazy, so a
/// 50 KB post costs no more than its first paragraph.
pub fn excerpt(markdown: &str, max_chars: usize, smart: bool) -> Option<String> {
    // The whole body is given to the parser, so reference links and
    // footnotes defined further down resolve; reading stops at the marker.
    let marker = more_marker(markdown);
    let mut out = String::new();
    let mut in_paragraph = false;
    for (event, range) in Parser::new_ext(markdown, options(smart)).into_offset_iter() {
        if marker.is_some_and(|end| range.start >= end) {
            break;
        }
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                if marker.is_none() && !out.trim().is_empty() {
                    break;
                }
                out.push(' ');
            }
            Event::Text(t) | Event::Code(t) if in_paragraph => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => out.push(' '),
            _ => {}
        }
    }
    let collapsed = text::collapse(&out);
    (!collapsed.is_empty()).then(|| text::truncate(&collapsed, max_chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each of these as Jekyll 4.3 with jekyll-feed 0.17 titled an entry.
    #[test]
    fn titles_lose_inline_html_as_jekyll_feed_strips_it() {
        for (title, stripped) in [
            ("a `<script>` tag?", "a `"),
            ("a <script> b", "a"),
            ("a `<b>` tag?", "a `` tag?"),
            ("a <em>x</em> b", "a x b"),
            ("x `<div>` y", "x `<div>` y"),
            ("a < b and c > d", "a < b and c > d"),
            ("p `<br/>` q", "p `` q"),
            (
                "<style>p {}</style>Styled <!-- note -->title",
                "Styled title",
            ),
            ("no tags at all", "no tags at all"),
        ] {
            assert_eq!(strip_title_html(title), stripped, "{title}");
        }
    }

    #[test]
    fn extensions_are_on() {
        let html = to_html(
            "| a |\n|---|\n| b |\n\n~~x~~ note[^1]\n\n[^1]: foot\n",
            false,
        );
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>x</del>"));
        assert!(html.contains("footnote-definition"));
    }

    #[test]
    fn reference_links_footnotes_and_entities_resolve() {
        let md = "Built on [Chimera Linux], and [we released 1.0][rel]\u{a0}&amp; more[^1].\n\nLater.\n\n[Chimera Linux]: https://chimera-linux.org/\n[rel]: /1.0/\n[^1]: A note.\n";
        assert_eq!(
            excerpt(md, 200, false).unwrap(),
            "Built on Chimera Linux, and we released 1.0 & more."
        );
        let with_marker = "Intro [ref].\n\n<!-- more -->\n\nRest.\n\n[ref]: /x/\n";
        assert_eq!(excerpt(with_marker, 200, false).unwrap(), "Intro ref.");
    }

    #[test]
    fn excerpt_is_first_paragraph_as_text() {
        let md = "# Heading\n\nFirst *para* with `code`\nand [a link](x).\n\nSecond.";
        assert_eq!(
            excerpt(md, 100, false).unwrap(),
            "First para with code and a link."
        );
    }

    #[test]
    fn hugo_marker_without_spaces() {
        assert_eq!(
            excerpt("One.\n\nTwo.\n<!--more-->\nThree.", 100, false).as_deref(),
            Some("One. Two.")
        );
    }

    #[test]
    fn excerpt_honours_more_marker() {
        let md = "One.\n\nTwo.\n\n<!-- more -->\n\nThree.";
        assert_eq!(excerpt(md, 100, false).unwrap(), "One. Two.");
    }

    #[test]
    fn excerpt_of_empty_body_is_none() {
        assert_eq!(excerpt("\n\n", 10, false), None);
    }

    #[test]
    fn smart_punctuation_as_kramdown_and_goldmark_make_it() {
        let html = to_html("\"Quoted\" -- and --- it's... done", true);
        assert!(html.contains("“Quoted” – and — it’s… done"), "{html}");
        assert!(to_html("\"plain\"", false).contains("\"plain\""));
        assert_eq!(
            smartify("Ada's \"first\" program -- a #1 *hit*"),
            "Ada’s “first” program – a #1 *hit*"
        );
        assert_eq!(smartify("C++ & <tags>"), "C++ & <tags>");
    }
}
