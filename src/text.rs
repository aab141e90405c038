//! Text hygiene: characters XML cannot carry, and cutting text to length.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

/// Whether XML 1.0 allows `c` at all (the `Char` production). Escaping does
/// not help: `&#1;` is as fatal to a parser as the raw byte.
fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Removes characters that XML 1.0 forbids; borrows when there are none.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Collapses runs of whitespace (newlines included) to single spaces.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `text` to at most `max_chars` characters plus an ellipsis, on a
/// grapheme boundary (so no CJK character or emoji is split) and, in
/// space-separated scripts, at a word boundary when one is near.
pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut end = 0;
    let mut count = 0;
    for (index, grapheme) in text.grapheme_indices(true) {
        count += grapheme.chars().count();
        if count > max_chars {
            break;
        }
        end = index + grapheme.len();
    }
    let cut = &text[..end];
    // Prefer a word boundary if it keeps at least four fifths of the text;
    // CJK text has no spaces and is cut at the character.
    let cut = match cut.rfind(char::is_whitespace) {
        Some(space) if cut[..space].chars().count() * 5 >= max_chars * 4 => &cut[..space],
        _ => cut,
    };
    let cut = cut.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '，' | '、')
    });
    format!("{cut}…")
}

/// The 1-based line and column (in characters) of byte `offset` of `text`,
/// as editors count them.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Liquid's `capitalize` (Ruby's): the first letter upper-case, the rest lower.
pub fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.as_str().to_lowercase().chars())
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_are_lines_and_columns_as_editors_count() {
        let text = "ab\n中文=x\n";
        assert_eq!(super::line_and_column(text, 0), (1, 1));
        assert_eq!(super::line_and_column(text, 3), (2, 1));
        // Columns count characters, not bytes.
        assert_eq!(
            super::line_and_column(text, text.find('=').unwrap()),
            (2, 3)
        );
        assert_eq!(super::line_and_column(text, 999), (3, 1));
    }

    use super::*;

    #[test]
    fn strips_only_illegal_characters() {
        assert_eq!(xml_safe("a\u{1}b\u{8}c\u{FFFE}d\u{FFFF}\te\n"), "abcd\te\n");
        assert!(matches!(xml_safe("plain ✓ 扎克伯格 🎉"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncates_cjk_by_character() {
        let text = "扎克伯格在播客中分享了最新进展";
        assert_eq!(truncate(text, 4), "扎克伯格…");
        assert_eq!(truncate(text, 100), text);
    }

    #[test]
    fn truncates_at_word_boundary() {
        assert_eq!(
            truncate("the quick brown fox jumps", 18),
            "the quick brown…"
        );
    }

    #[test]
    fn never_splits_an_emoji_cluster() {
        let family = "👨‍👩‍👧";
        let text = format!("ab{family}cd");
        let cut = truncate(&text, 4);
        assert!(cut == "ab…" || cut.contains(family), "{cut}");
    }
}
