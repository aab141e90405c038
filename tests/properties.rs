//! Property tests: the functions that see every byte of every post never
//! panic, and keep their promises, on any input.

use gazette::content::frontmatter;
use gazette::dates;
use gazette::generators::slugify::Style;
use gazette::paths;
use gazette::permalink;
use gazette::render::{markdown, sanitize};
use gazette::text;
use proptest::prelude::*;
use url::Url;

/// Text that looks like front matter often enough to reach the parsers.
fn post_like() -> impl Strategy<Value = String> {
    let fence = prop_oneof![
        Just("---\n"),
        Just("+++\n"),
        Just("---json\n"),
        Just("\n---\r\n"),
        Just("{"),
        Just(""),
    ];
    let line = prop_oneof![
        "[a-z]{1,8}: [ -~]{0,20}\n",
        "[a-z]{1,8} = \"[ -~]{0,20}\"\n",
        "- [\\[\\]{}:,'\" a-z0-9]{0,20}\n",
        "\\PC{0,30}\n",
    ];
    (
        fence.clone(),
        prop::collection::vec(line, 0..8),
        fence,
        "\\PC{0,80}",
    )
        .prop_map(|(open, lines, close, body)| format!("{open}{}{close}{body}", lines.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        // The default: failures are saved beside this file
        // (properties.proptest-regressions) and replayed first, every run.
        ..ProptestConfig::default()
    })]

    #[test]
    fn front_matter_splitting_and_parsing_never_panic(text in post_like()) {
        if let Ok(split) = frontmatter::split(&text) {
            // Fenced front matter starts after its fence; Hugo's JSON
            // object is front matter from its opening brace on line 1.
            let first = if split.syntax == frontmatter::Syntax::Json { 1 } else { 2 };
            prop_assert!(split.front_line >= first);
            prop_assert!(split.body_line >= split.front_line);
            let _ = frontmatter::parse(&split);
        }
    }

    #[test]
    fn any_text_splits_without_panic(text in "\\PC{0,200}") {
        if let Ok(split) = frontmatter::split(&text) {
            let _ = frontmatter::parse(&split);
        }
    }

    #[test]
    fn parsed_dates_can_always_be_written(text in prop_oneof![
        "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?( ?[+-][0-9]{2}:?[0-9]{2}|Z)?",
        "\\PC{0,40}",
    ]) {
        if let Ok(date) = dates::parse(&text, chrono_tz::Asia::Shanghai) {
            // The RSS and Atom writers panic outside these years.
            let _ = date.to_rfc2822();
            let _ = date.to_rfc3339();
            prop_assert!((1..=9999).contains(&chrono::Datelike::year(&date)));
        }
    }

    #[test]
    fn a_post_url_never_leaves_the_site(slug in "\\PC{0,40}", section in "[a-z:/.]{0,10}") {
        let base = Url::parse("https://example.org/blog/").unwrap();
        let parts = permalink::Parts {
            slug: &slug,
            explicit_slug: true,
            title: &slug,
            filename: &slug,
            path: &slug,
            collection: &section,
            sections: std::slice::from_ref(&section),
            categories: std::slice::from_ref(&section),
            date: None,
            style: Style::Keep,
        };
        for pattern in ["/{slug}/", "{slug}", "/{section}/{slug}.html", "/{categories}/{title}/{path}", "/{collection}/{path}/"] {
            let path = permalink::expand(pattern, &parts);
            if let Some(url) = paths::join_path(&base, &path) {
                prop_assert!(paths::is_under(&url, &base), "{url}");
                prop_assert!(url.as_str().starts_with("https://example.org/blog/"), "{url}");
            }
        }
    }

    #[test]
    fn truncation_keeps_whole_characters(text in "\\PC{0,300}", max in 0usize..120) {
        let cut = text::truncate(&text, max);
        prop_assert!(cut.chars().count() <= max.max(1) + 1 || cut == text);
        let kept = cut.trim_end_matches('…');
        prop_assert!(text.starts_with(kept.trim_end()) || text.contains(kept.trim()));
    }

    #[test]
    fn xml_safe_text_is_well_formed_xml(text in "\\PC{0,100}|[\\x00-\\x1f\\u{fffe}\\u{ffff}a<&]{0,50}") {
        let safe = text::xml_safe(&text);
        let escaped = html_escape::encode_text(&safe);
        let document = format!("<t>{escaped}</t>");
        prop_assert!(roxmltree::Document::parse(&document).is_ok(), "{document:?}");
    }

    #[test]
    fn summaries_never_panic_and_keep_their_length(body in "\\PC{0,300}", max in 1usize..200) {
        if let Some(summary) = markdown::excerpt(&body, max, false) {
            prop_assert!(summary.chars().count() <= max + 1);
        }
    }

    #[test]
    fn sanitised_html_has_no_script(html in "(<[a-z]{1,6}( on[a-z]{1,6}=x| href=\"javascript:x\"| src=x)?>|</[a-z]{1,6}>|[a-z <>\"=]{0,10}){0,20}") {
        let (clean, _) = sanitize::clean(&html, &[]);
        let lower = clean.to_ascii_lowercase();
        // Escaped text such as `&lt;script&gt;` is harmless; only markup counts.
        prop_assert!(!lower.contains("<script"), "{clean}");
        let script_url = regex::Regex::new(r"<[^>]*javascript:").unwrap();
        prop_assert!(!script_url.is_match(&lower), "{clean}");
        let handler = regex::Regex::new(r"<[^>]*\son[a-z]+\s*=").unwrap();
        prop_assert!(!handler.is_match(&lower), "{clean}");
    }
}

/// The case the property above once found: JSON front matter is on line 1.
#[test]
fn json_front_matter_starts_on_line_one() {
    let split = frontmatter::split("{\n}\n---\n").unwrap();
    assert_eq!(
        (split.syntax, split.front_line, split.body_line),
        (frontmatter::Syntax::Json, 1, 3)
    );
}
