//! Turning names and titles into URL path segments the way each generator
//! does, so that the URLs gazette writes are the ones the site has.

/// A generator's way of making a path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// As written (gazette, Eleventy's default paths).
    Keep,
    /// Zola's `slugify.paths = "on"`: the `slug` crate (transliterated,
    /// lower-case, runs of other characters to `-`).
    Zola,
    /// Hugo's `urlize`: spaces to `-`, only letters, digits, marks and
    /// `._~#+-@/\` kept (lower-casing is a separate, site-wide rule).
    Hugo,
    /// Jekyll's `slugify(mode: "pretty", cased: true)`, used for `:title`.
    JekyllPretty,
}

impl Style {
    /// A path segment made from a `slug` (Hugo sanitizes it as a path,
    /// and `urlize`s a title).
    pub fn path(self, text: &str) -> String {
        match self {
            Style::Hugo => hugo_path(text),
            other => other.apply(text),
        }
    }

    /// A section's folder name in a path: Hugo sanitizes it as it does a
    /// file's name; the others keep it as written.
    pub fn folder(self, text: &str) -> String {
        match self {
            Style::Hugo => hugo_file_path(text),
            _ => text.to_string(),
        }
    }

    /// A path segment made from a folder's or file's name.
    pub fn file_path(self, text: &str) -> String {
        match self {
            Style::Hugo => hugo_file_path(text),
            other => other.apply(text),
        }
    }

    pub fn apply(self, text: &str) -> String {
        match self {
            Style::Keep => text.to_string(),
            Style::Zola => slug::slugify(text),
            Style::Hugo => hugo_urlize(text),
            Style::JekyllPretty => jekyll(text, JekyllMode::Pretty, true),
        }
    }
}

/// Jekyll's slugify modes that gazette needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JekyllMode {
    /// Letters, marks and digits kept.
    Default,
    /// Also `._~!$&'()+,;=@`, which read well in URLs.
    Pretty,
}

/// Jekyll's `Utils.slugify`: runs of characters outside the mode's set
/// become one `-`, leading and trailing `-` go, lower-cased unless `cased`.
pub fn jekyll(text: &str, mode: JekyllMode, cased: bool) -> String {
    let kept = |c: char| {
        c.is_alphabetic()
            || is_decimal(c)
            || is_mark(c)
            || (mode == JekyllMode::Pretty && "._~!$&'()+,;=@".contains(c))
    };
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if kept(c) {
            if pending_dash {
                slug.push('-');
                pending_dash = false;
            }
            slug.push(c);
        } else if !slug.is_empty() {
            // Leading and trailing runs vanish, as Jekyll strips them.
            pending_dash = true;
        }
    }
    if cased {
        slug
    } else {
        slug.to_lowercase()
    }
}

/// Jekyll's `Utils.titleize_slug`: the title of a file without one, its
/// slug's words (split at `-`) each capitalized as Ruby does.
pub fn titleize(slug: &str) -> String {
    slug.split('-')
        .map(crate::text::capitalize)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Hugo's `urlize` as it applies it to titles: sanitized as a path (a run
/// of spaces one `-` unless a `-` is there, `+` kept), then read as a URL,
/// where each `+` is a space, and sanitized again. So `a+b` is `a-b`, `C++
/// Tips` is `C-Tips`, but `a + b` is `a--b` (`a-+-b`, then `a- -b`):
/// measured with Hugo 0.111 and 0.168 (see the generator fixture tests).
pub fn hugo_urlize(text: &str) -> String {
    let path = hugo_sanitize(text).replace('+', " ");
    without_empty_fragment(hugo_sanitize(&path))
}

/// Hugo's `MakePathSanitized` as it makes a page's path from its `slug`:
/// `urlize`'s first pass alone, so `+` is kept (measured with Hugo 0.111
/// and 0.168).
pub fn hugo_path(text: &str) -> String {
    without_empty_fragment(hugo_sanitize(text))
}

/// A title's or slug's last `#` goes: Hugo reads the text as a URL, where
/// it starts an empty fragment (`TDD in C#` is `tdd-in-c`, `slug:
/// notes-on-c#` is `notes-on-c`; measured with Hugo 0.111 and 0.168). A
/// file's name keeps it.
fn without_empty_fragment(mut path: String) -> String {
    if path.ends_with('#') {
        path.pop();
    }
    path
}

/// A folder's or file's name as Hugo makes it part of a page's path: the
/// characters `hugo_path` keeps, each white space a `-` of its own, the
/// rest dropped (`C++ Tips.md` is `c++-tips/`, `x - y.md` is `x---y/`:
/// measured with Hugo 0.168; Hugo 0.111 made a run of spaces and `-` one
/// `-`, as for a `slug`). A space before or after the name is a `-` too
/// (`c .md` is `c-/`, ` d.md` is `-d/`: measured with Hugo 0.111 and 0.168);
/// other white space there is trimmed (`\u{3000}e.md` is `e/` with Hugo
/// 0.168, where Hugo 0.111 wrote `-e/`).
pub fn hugo_file_path(text: &str) -> String {
    let text = text.trim_matches(|c: char| c.is_whitespace() && c != ' ');
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if hugo_keeps(&chars, i) {
            out.push(c);
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

/// Whether Hugo keeps the character at `i` in a path: letters, digits,
/// marks, `._~#+-@/\`, and an escape `%XX`.
fn hugo_keeps(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let escaped_percent = c == '%'
        && i + 2 < chars.len()
        && chars[i + 1].is_ascii_hexdigit()
        && chars[i + 2].is_ascii_hexdigit();
    matches!(c, '.' | '/' | '\\' | '_' | '#' | '~' | '-' | '@' | '+')
        || c.is_alphabetic()
        || c.is_numeric()
        || is_mark(c)
        || escaped_percent
}

fn hugo_sanitize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    for (i, &c) in chars.iter().enumerate() {
        if hugo_keeps(&chars, i) {
            if pending && c != '-' {
                out.push('-');
            }
            pending = false;
            out.push(c);
        } else if !out.is_empty() && c.is_whitespace() && !out.ends_with('-') {
            pending = true;
        }
    }
    out
}

/// Unicode's marks (General_Category M: Mn, Mc, Me), which Hugo keeps
/// (`unicode.IsMark`) and Jekyll's `\p{M}` keeps: combining accents, and
/// the variation selector that makes `⚠️` an emoji.
fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Decimal digits (Unicode Nd) of the common scripts.
fn is_decimal(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(c as u32, 0x0660..=0x0669 | 0x06F0..=0x06F9 | 0x0966..=0x096F | 0xFF10..=0xFF19)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_modes() {
        assert_eq!(
            jekyll("Hello, World!", JekyllMode::Default, false),
            "hello-world"
        );
        assert_eq!(
            jekyll("Hello, World!", JekyllMode::Pretty, true),
            "Hello,-World!"
        );
        assert_eq!(jekyll("  spaces  ", JekyllMode::Default, false), "spaces");
        assert_eq!(
            jekyll("café au lait", JekyllMode::Default, false),
            "café-au-lait"
        );
        assert_eq!(jekyll("中文 标题", JekyllMode::Pretty, true), "中文-标题");
    }

    #[test]
    fn hugo_urlize_keeps_case_and_unicode() {
        assert_eq!(hugo_urlize("My First Post"), "My-First-Post");
        assert_eq!(hugo_urlize("C++ & Rust: a story?"), "C-Rust-a-story");
        assert_eq!(hugo_urlize("50% off -- now!"), "50-off--now");
        assert_eq!(hugo_urlize("a.b_c#d~e@f+g"), "a.b_c#d~e@f-g");
        assert_eq!(
            hugo_urlize("tab\tand  double  spaces"),
            "tab-and-double-spaces"
        );
        assert_eq!(
            hugo_urlize("under_score-dash—emdash"),
            "under_score-dashemdash"
        );
        assert_eq!(hugo_urlize("日本語 タイトル"), "日本語-タイトル");
        // The emoji's variation selector is a mark, which Hugo keeps
        // (iamxurulin's "CRLF与LF的行分隔符警告⚠️"); the sign is not.
        assert_eq!(hugo_urlize("警告\u{26a0}\u{fe0f}"), "警告\u{fe0f}");
        // A slug keeps its `+`; a folder or file name too, and each space
        // is a `-` (measured with Hugo 0.168).
        assert_eq!(hugo_path("s - l  g+"), "s-l-g+");
        assert_eq!(hugo_file_path("C++ Tips"), "C++-Tips");
        assert_eq!(
            hugo_file_path("Real Function Theory"),
            "Real-Function-Theory"
        );
        assert_eq!(hugo_file_path("My Note (v2)"), "My-Note-v2");
        assert_eq!(hugo_file_path("x - y  z"), "x---y--z");
        assert_eq!(hugo_file_path("C++ & Rust"), "C++--Rust");
        assert_eq!(hugo_urlize("TDD in C#"), "TDD-in-C");
        assert_eq!(hugo_urlize("a + b"), "a--b");
        assert_eq!(hugo_urlize("r ++ s"), "r--s");
        assert_eq!(hugo_urlize("u +v, w+ z"), "u-v-w-z");
        assert_eq!(hugo_urlize("中心 + 配置"), "中心--配置");
        assert_eq!(hugo_file_path("\u{3000}手动链接"), "手动链接");
        assert_eq!(hugo_file_path("g\u{3000}h\u{3000}"), "g-h");
        assert_eq!(hugo_file_path(" d"), "-d");
        assert_eq!(hugo_path("notes-on-c#"), "notes-on-c");
        assert_eq!(hugo_urlize("C# and F# notes"), "C#-and-F#-notes");
        assert_eq!(hugo_file_path("f#"), "f#");
        assert_eq!(hugo_file_path("c "), "c-");
        assert_eq!(hugo_file_path(" d"), "-d");
    }

    #[test]
    fn zola_uses_the_slug_crate() {
        assert_eq!(
            Style::Zola.apply("Hello World: Part 2"),
            "hello-world-part-2"
        );
    }
}
