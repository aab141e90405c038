//! Splitting a post into front matter and body, and parsing the front matter
//! into one neutral map whatever its syntax.
//!
//! Line numbers are tracked from the start of the file so that a YAML error
//! on the fifth line of the front matter is reported on line 6 of the post.

use serde_json::{Map, Value};

use crate::generators::js_literal;
use crate::yaml;

/// The syntax of a front-matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Between `---` lines (Eleventy, Jekyll, Hugo).
    Yaml,
    /// Between `+++` lines (Hugo, Zola).
    Toml,
    /// A JSON object: between `---json` lines (Eleventy), or a file that
    /// starts with `{` (Hugo).
    Json,
    /// Between `---js` lines (Eleventy): an object or `const` declarations,
    /// of which gazette takes the literal values (it runs no programs).
    JavaScript,
}

/// A post cut in two.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub syntax: Syntax,
    pub front: &'a str,
    /// 1-based line of the file on which `front` starts.
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line of the file on which `body` starts.
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError<'a> {
    /// The file does not start with a front-matter fence.
    Missing,
    /// The opening fence is never closed: with the front matter as
    /// gray-matter (so Eleventy) reads it, to the end of the file.
    Unclosed(Split<'a>),
}

/// A front-matter problem with its line in the file.
#[derive(Debug, PartialEq)]
pub struct ParseError {
    pub line: Option<usize>,
    /// 1-based column on that line, when the parser said.
    pub column: Option<usize>,
    pub message: String,
}

/// `text` as a file without front matter: all of it body, under an empty
/// front matter (Hugo and Eleventy build such a file as a page with no
/// data of its own).
pub fn whole_body(text: &str) -> Split<'_> {
    Split {
        syntax: Syntax::Yaml,
        front: "",
        front_line: 1,
        body: text.trim_start_matches('\u{feff}'),
        body_line: 1,
    }
}

/// Cuts `text` (BOM already removed or not) at its front-matter fences.
///
/// Blank lines before the opening fence are skipped, as Hugo and Zola do,
/// and byte order marks, as many as there are, as Hugo's page lexer
/// ignores each one (qinyuanpei/hugo-blog's files begin with two).
pub fn split(text: &str) -> Result<Split<'_>, SplitError<'_>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut rest = text;
    let mut line = 1;
    let blank = |line: &str| {
        line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
    };
    let first = loop {
        let (current, after) = next_line(rest);
        if blank(current) && !after.is_empty() {
            rest = after;
            line += 1;
            continue;
        }
        break current;
    };
    let opening = first.trim_start_matches('\u{feff}').trim_end();
    let (syntax, fence) = match opening {
        "---" => (Syntax::Yaml, "---"),
        "+++" => (Syntax::Toml, "+++"),
        "---json" => (Syntax::Json, "---"),
        "---yaml" => (Syntax::Yaml, "---"),
        "---toml" => (Syntax::Toml, "---"),
        "---js" | "---javascript" => (Syntax::JavaScript, "---"),
        // `{{< shortcode >}}` or `{% liquid %}` at the top is a body, not JSON.
        _ if opening == "{" || opening.starts_with("{\"") => {
            return split_json_object(text, rest, line)
        }
        _ => return Err(SplitError::Missing),
    };
    let (_, mut rest) = next_line(rest);
    let front_start = text.len() - rest.len();
    let front_line = line + 1;
    let after_opening = rest;
    line += 1;
    let fence_mark = fence.chars().next().unwrap_or('-');
    while !rest.is_empty() {
        let (current, after) = next_line(rest);
        let trimmed = current.trim_end();
        // A longer run of the fence's character closes too, the rest of it
        // the body's first line, as Hugo's page lexer and Eleventy's
        // gray-matter end at the first line beginning with the fence
        // (ben-spanswick/hugo-blog's `------------`). Jekyll 4.3 reads on to
        // a later `---` and fails on the YAML, or without one takes the
        // file for all body (measured): such a post is broken there anyway.
        let longer = trimmed.len() > fence.len() && trimmed.chars().all(|c| c == fence_mark);
        // YAML also allows `...` to end a document; Jekyll sites use it.
        let exact = trimmed == fence || (syntax == Syntax::Yaml && trimmed == "...");
        if longer || exact {
            let (body, body_line) = match longer {
                true => (&rest[fence.len()..], line),
                false => (after, line + 1),
            };
            return Ok(Split {
                syntax,
                front: &text[front_start..text.len() - rest.len()],
                front_line,
                body,
                body_line,
            });
        }
        rest = after;
        line += 1;
    }
    Err(SplitError::Unclosed(Split {
        syntax,
        front: after_opening,
        front_line,
        body: "",
        body_line: line,
    }))
}

/// Hugo's JSON front matter: the file starts with an object, and the body
/// follows its closing brace.
fn split_json_object<'a>(
    text: &'a str,
    from: &'a str,
    line: usize,
) -> Result<Split<'a>, SplitError<'a>> {
    let mut stream = serde_json::Deserializer::from_str(from).into_iter::<serde_json::Value>();
    match stream.next() {
        Some(Ok(_)) => {
            let end = stream.byte_offset();
            let front_start = text.len() - from.len();
            let after = &from[end..];
            let after = after
                .strip_prefix("\r\n")
                .or_else(|| after.strip_prefix('\n'))
                .unwrap_or(after);
            let front = &text[front_start..front_start + end];
            Ok(Split {
                syntax: Syntax::Json,
                front,
                front_line: line,
                body: after,
                body_line: line + front.matches('\n').count() + 1,
            })
        }
        _ => Err(SplitError::Unclosed(Split {
            syntax: Syntax::Json,
            front: from,
            front_line: line,
            body: "",
            body_line: line + from.lines().count(),
        })),
    }
}

/// Returns the first line (with its terminator) and the rest.
fn next_line(text: &str) -> (&str, &str) {
    match text.find('\n') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => (text, ""),
    }
}

/// The most front matter gazette reads: real posts carry a few KiB, a few
/// a whole inline SVG (figbert.com's 336 KiB project icon in `[extra]`);
/// more is a mistake (a body inside the fences) or hostile, and YAML
/// parsers slow down badly on deep nesting.
pub const MAX_FRONT_MATTER_BYTES: usize = 1024 * 1024;
/// The deepest `[`/`{` nesting accepted in front matter.
pub const MAX_NESTING: usize = 64;

/// Refuses front matter too large or too deeply nested to parse cheaply.
fn check_size(split: &Split<'_>) -> Result<(), ParseError> {
    if split.front.len() > MAX_FRONT_MATTER_BYTES {
        return Err(ParseError {
            line: Some(split.front_line),
            column: None,
            message: format!(
                "front matter is {} KiB, more than the {} KiB gazette reads: is the closing fence missing?",
                split.front.len() / 1024,
                MAX_FRONT_MATTER_BYTES / 1024
            ),
        });
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (offset, c) in split.front.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '\n') => quote = None,
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(ParseError {
                        line: Some(split.front_line + split.front[..offset].matches('\n').count()),
                        column: None,
                        message: format!(
                            "front matter nests lists or tables more than {MAX_NESTING} deep"
                        ),
                    });
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses a front-matter block into a map of keys.
pub fn parse(split: &Split<'_>) -> Result<Map<String, Value>, ParseError> {
    check_size(split)?;
    let value = match split.syntax {
        Syntax::Yaml => yaml::parse(split.front).map_err(|e| ParseError {
            line: e.line.map(|l| l + split.front_line - 1),
            column: e.column,
            message: format!("invalid YAML front matter: {}", e.message),
        })?,
        Syntax::Toml => parse_toml(split.front).map_err(|e| ParseError {
            line: e.line.map(|l| l + split.front_line - 1),
            column: e.column,
            message: format!("invalid TOML front matter: {}", e.message),
        })?,
        Syntax::Json => serde_json::from_str(split.front).map_err(|e| ParseError {
            line: Some(e.line() + split.front_line - 1),
            column: Some(e.column()).filter(|&c| c > 0),
            message: format!("invalid JSON front matter: {}", strip_json_location(&e)),
        })?,
        Syntax::JavaScript => js_literal::front_matter(split.front)
            .map(|read| Value::Object(read.values))
            .ok_or_else(|| ParseError {
                line: Some(split.front_line),
                column: None,
                message: "JavaScript front matter gazette cannot read: it takes the literal values of an object or of `const name = value;` lines, and runs no programs".into(),
            })?,
    };
    match value {
        Value::Object(map) => Ok(map),
        // An empty block is a post with no keys, not an error of its own.
        Value::Null => Ok(Map::new()),
        other => Err(ParseError {
            line: Some(split.front_line),
            column: None,
            message: format!(
                "front matter must be a mapping of `key: value` lines, found {}",
                kind(&other)
            ),
        }),
    }
}

/// serde_json's message without its "at line X column Y": the diagnostic
/// gives the file's own line and column.
fn strip_json_location(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn parse_toml(text: &str) -> Result<Value, ParseError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|span| crate::text::line_and_column(text, span.start));
        ParseError {
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            message: e.message().trim_end().replace('\n', "; "),
        }
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        // Dates become strings so one date parser serves YAML and TOML alike.
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// The front matter of the file at `path` as a table; nothing for a file
/// that cannot be read or has none (a layout, a section's `_index.md`).
pub fn of_file(path: &std::path::Path) -> Option<Map<String, Value>> {
    of_text(&std::fs::read_to_string(path).ok()?)
}

/// The front matter of `text` as a table, as `of_file` reads a file's.
pub fn of_text(text: &str) -> Option<Map<String, Value>> {
    parse(&split(text).ok()?).ok()
}

/// The text after `key:` on the line that sets it (YAML), as written:
/// quotes kept, which tells a YAML timestamp from a string.
pub fn raw_value<'a>(split: &Split<'a>, key: &str) -> Option<&'a str> {
    if split.syntax != Syntax::Yaml {
        return None;
    }
    split.front.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.trim_start().strip_prefix(':')?;
        Some(rest.trim())
    })
}

/// The keys `---js` front matter computes (a function, a call), which
/// gazette leaves unset; none for other syntaxes.
pub fn computed_keys(split: &Split<'_>) -> Vec<String> {
    if split.syntax != Syntax::JavaScript {
        return Vec::new();
    }
    js_literal::front_matter(split.front).map_or_else(Vec::new, |read| read.computed)
}

/// Finds the line of the file on which `key` is set, for messages about its value.
pub fn key_line(split: &Split<'_>, key: &str) -> Option<usize> {
    let sets = |line: &str| -> bool {
        let after = |rest: &str, sign: char| {
            rest.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(sign))
        };
        match split.syntax {
            Syntax::Yaml => after(line, ':'),
            Syntax::Toml => after(line, '='),
            Syntax::Json => line
                .trim_start()
                .strip_prefix(&format!("\"{key}\""))
                .is_some_and(|rest| rest.trim_start().starts_with(':')),
            // `key: value` in an object, or `const key = value;`.
            Syntax::JavaScript => {
                let line = line.trim_start();
                let declared = ["const ", "let ", "var "]
                    .iter()
                    .find_map(|word| line.strip_prefix(word));
                match declared {
                    Some(rest) => after(rest.trim_start(), '='),
                    None => after(line, ':'),
                }
            }
        }
    };
    split
        .front
        .lines()
        .position(sets)
        .map(|i| split.front_line + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_with_bom_and_crlf() {
        let dashes = split("---\ntitle: Hi\n------\nBody\n---\nmore\n").unwrap();
        assert_eq!(
            (dashes.front, dashes.body, dashes.body_line),
            ("title: Hi\n", "---\nBody\n---\nmore\n", 3)
        );
        let pluses = split("+++\ntitle = 'Hi'\n++++\nBody\n").unwrap();
        assert_eq!((pluses.front, pluses.body), ("title = 'Hi'\n", "+\nBody\n"));
        let twice = split("\u{feff}\u{feff}---\ntitle: Hi\n---\nBody\n").unwrap();
        assert_eq!((twice.front, twice.body), ("title: Hi\n", "Body\n"));
        let apart = split("\u{feff}\n\u{feff}---\ntitle: Hi\n---\nBody\n").unwrap();
        assert_eq!((apart.front, apart.body), ("title: Hi\n", "Body\n"));
        let text = "\u{feff}---\r\ntitle: Hi\r\n---\r\nBody\r\n";
        let split = split(text).unwrap();
        assert_eq!(split.syntax, Syntax::Yaml);
        assert_eq!(split.front, "title: Hi\r\n");
        assert_eq!(split.body, "Body\r\n");
        assert_eq!(split.body_line, 4);
        let map = parse(&split).unwrap();
        assert_eq!(map["title"], "Hi");
    }

    #[test]
    fn toml_front_matter_and_dates() {
        let text =
            "+++\ntitle = \"Hi\"\ndate = 2025-04-29T10:00:00+02:00\ntags = [\"a\"]\n+++\nBody";
        let split = split(text).unwrap();
        assert_eq!(split.syntax, Syntax::Toml);
        let map = parse(&split).unwrap();
        assert_eq!(map["date"], "2025-04-29T10:00:00+02:00");
        assert_eq!(map["tags"][0], "a");
        assert_eq!(key_line(&split, "date"), Some(3));
    }

    #[test]
    fn missing_and_unclosed_fences() {
        assert_eq!(split("# Just markdown\n"), Err(SplitError::Missing));
        let Err(SplitError::Unclosed(to_the_end)) = split("\n---\ntitle: x\nname: y\n") else {
            panic!("unclosed")
        };
        assert_eq!(
            (
                to_the_end.syntax,
                to_the_end.front,
                to_the_end.front_line,
                to_the_end.body
            ),
            (Syntax::Yaml, "title: x\nname: y\n", 3, "")
        );
        // A thematic break later in the body is not a fence.
        assert_eq!(split("text\n---\n"), Err(SplitError::Missing));
    }

    #[test]
    fn blank_lines_before_the_fence_are_skipped() {
        let split = split("\n\r\n+++\ntitle = \"Hi\"\n+++\nBody").unwrap();
        assert_eq!(split.syntax, Syntax::Toml);
        assert_eq!(split.front_line, 4);
        assert_eq!(split.body, "Body");
        assert_eq!(parse(&split).unwrap()["title"], "Hi");
    }

    #[test]
    fn json_front_matter_both_ways() {
        let fenced = split("---json\n{\"title\": \"Hi\", \"tags\": [\"a\"]}\n---\nBody").unwrap();
        assert_eq!(parse(&fenced).unwrap()["tags"][0], "a");
        assert_eq!(fenced.body, "Body");
        let bare = split("{\n  \"title\": \"Hugo\"\n}\nBody\n").unwrap();
        assert_eq!(parse(&bare).unwrap()["title"], "Hugo");
        assert_eq!(bare.body, "Body\n");
        assert_eq!(bare.body_line, 4);
    }

    /// figbert.com's project page carries a 336 KiB inline SVG in its
    /// `[extra]`, which Zola reads: so does gazette.
    #[test]
    fn a_large_inline_svg_is_front_matter_still() {
        let svg = format!("<svg>{}</svg>", "<path d=\"m1 1h1\"/>".repeat(20_000));
        let text =
            format!("+++\ntitle = \"Vault\"\n[extra]\nicon = \"\"\"{svg}\"\"\"\n+++\nBody\n");
        assert!(text.len() > 300 * 1024);
        let parsed = parse(&split(&text).unwrap()).unwrap();
        assert_eq!(parsed["title"], "Vault");
    }

    #[test]
    fn huge_or_deep_front_matter_is_refused_quickly() {
        let deep = format!("---\nx: {}\n---\n", "[".repeat(2_000_000));
        let started = std::time::Instant::now();
        let err = parse(&split(&deep).unwrap()).unwrap_err();
        assert!(err.message.contains("KiB"), "{}", err.message);
        let nested = format!("---\nx: {}1{}\n---\n", "[".repeat(100), "]".repeat(100));
        let err = parse(&split(&nested).unwrap()).unwrap_err();
        assert!(err.message.contains("64 deep"), "{}", err.message);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let fine = "---\ntitle: \"[[[[[[\"\ntags: [[a, b], {c: d}]\n---\n";
        assert!(parse(&split(fine).unwrap()).is_ok());
    }

    #[test]
    fn javascript_front_matter_gives_its_literal_values() {
        let text = "---js\nconst title = \"A fifth post\";\nconst date = \"2023-01-23\";\nconst permalink = (data) => `/${slugify(data.x)}/`;\n---\nBody";
        let fenced = split(text).unwrap();
        assert_eq!(fenced.syntax, Syntax::JavaScript);
        assert_eq!(fenced.body, "Body");
        let map = parse(&fenced).unwrap();
        assert_eq!(map["title"], "A fifth post");
        assert_eq!(map["date"], "2023-01-23");
        assert!(!map.contains_key("permalink"));
        assert_eq!(computed_keys(&fenced), ["permalink"]);
        assert_eq!(key_line(&fenced, "date"), Some(3));
        let json =
            split("---json\n{\n  \"title\": \"x\",\n  \"date\": \"2024-01-01\"\n}\n---\n").unwrap();
        assert_eq!(key_line(&json, "date"), Some(4));
        let object = split("---javascript\n{ title: 'x' }\n---\n").unwrap();
        assert_eq!(parse(&object).unwrap()["title"], "x");
        let broken = parse(&split("---js\nconst a = 'unclosed;\n---\n").unwrap()).unwrap_err();
        assert_eq!(broken.line, Some(2));
    }

    #[test]
    fn empty_front_matter_is_an_empty_map() {
        let split = split("---\n---\nBody").unwrap();
        assert!(parse(&split).unwrap().is_empty());
    }

    #[test]
    fn yaml_error_line_is_relative_to_the_file() {
        let text = "---\ntitle: ok\ntags: [unclosed\nmore: x\n---\nbody";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{}", err.message);
        assert!(matches!(err.line, Some(3..=5)), "{:?}", err.line);
    }

    #[test]
    fn toml_error_line_is_relative_to_the_file() {
        let text = "+++\ntitle = \"ok\"\ndate = = 1\n+++\nbody";
        let err = parse(&split(text).unwrap()).unwrap_err();
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn scalar_front_matter_is_rejected() {
        let err = parse(&split("---\njust a string\n---\n").unwrap()).unwrap_err();
        assert!(err.message.contains("mapping"));
    }
}
