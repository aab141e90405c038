//! Posts written in HTML (`.html`, `.htm`): Jekyll, Hugo and Eleventy
//! publish such a file's body as it is, never through Markdown, so gazette
//! does the same. Through a Markdown parser, a line indented four spaces
//! after a blank line inside a `<div>` would turn into a code block.

use std::cell::RefCell;
use std::path::Path;

use lol_html::{element, text, HtmlRewriter, Settings};

use crate::text as plain;

/// Whether the post at `path` is written in HTML rather than Markdown.
pub fn is_html(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// The summary an HTML body gives when none is written: the text of its
/// first paragraph with any text, or of every paragraph before a
/// `<!--more-->` marker, as the Markdown excerpt reads a Markdown body.
pub fn excerpt(html: &str, max_chars: usize) -> Option<String> {
    let (html, first_only) = match super::markdown::more_marker(html) {
        Some(end) => (&html[..end], false),
        None => (html, true),
    };
    // Each paragraph's raw text (entities still written), in order.
    let paragraphs: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let mut rewriter = HtmlRewriter::new(
        Settings {
            element_content_handlers: vec![
                element!("p", |_| {
                    paragraphs.borrow_mut().push(String::new());
                    Ok(())
                }),
                text!("p", |chunk| {
                    if let Some(last) = paragraphs.borrow_mut().last_mut() {
                        last.push_str(chunk.as_str());
                    }
                    Ok(())
                }),
            ],
            ..Settings::new()
        },
        |_: &[u8]| {},
    );
    // Not well-formed HTML is still read as a browser reads it; nothing
    // fails here that would make the summary worse than none.
    if rewriter.write(html.as_bytes()).is_err() || rewriter.end().is_err() {
        return None;
    }
    let paragraphs = paragraphs.into_inner();
    let texts = paragraphs
        .iter()
        .map(|raw| plain::collapse(&html_escape::decode_html_entities(raw)))
        .filter(|text| !text.is_empty());
    let joined = match first_only {
        true => texts.take(1).collect::<Vec<_>>().join(" "),
        false => texts.collect::<Vec<_>>().join(" "),
    };
    (!joined.is_empty()).then(|| plain::truncate(&joined, max_chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_paragraph_with_text_is_the_summary() {
        let html = "<div class=\"intro\">\n<p>\n    </p>\n<p>\n    Welcome to <em>my</em> blog &amp; notes.\n</p>\n\n<p>Second.</p>";
        assert_eq!(
            excerpt(html, 200).as_deref(),
            Some("Welcome to my blog & notes.")
        );
    }

    #[test]
    fn paragraphs_before_the_more_marker_are_the_summary() {
        let html = "<p>One.</p><p>Two.</p><!-- more --><p>Three.</p>";
        assert_eq!(excerpt(html, 200).as_deref(), Some("One. Two."));
    }

    #[test]
    fn a_body_without_paragraphs_has_no_summary() {
        assert_eq!(excerpt("<ul><li>x</li></ul>", 200), None);
        assert!(is_html(Path::new("posts/a.HTML")));
        assert!(!is_html(Path::new("posts/a.md")));
    }
}
