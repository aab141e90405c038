//! The literal values in Eleventy's JavaScript: a data file that exports an
//! object (`export default { tags: ["posts"] }`, `module.exports = { … }`,
//! eleventy-base-blog's `blog.11tydata.js`) and `---js` front matter (an
//! object, or top-level `const title = "…";` declarations, each a key, as
//! Eleventy 3 reads them). gazette runs no JavaScript: a value that is not
//! a literal (a function, a call, a variable, a template with `${}`) is
//! named as computed and left out, so that a caller can say which key to
//! set where gazette reads it.

use serde_json::{Map, Number, Value};

/// What a piece of JavaScript sets literally, and the keys it computes
/// (dotted below the top level: `eleventyComputed.permalink`).
#[derive(Debug, Default, PartialEq)]
pub struct Literal {
    pub values: Map<String, Value>,
    pub computed: Vec<String>,
    /// The keys read from the environment with a literal fallback
    /// (`url: process.env.URL || "http://localhost:8080"`), each with its
    /// variable: `values` holds the fallback, what the generator takes
    /// where the variable is unset.
    pub from_env: Vec<(String, String)>,
    /// The computed keys whose value is a member of a variable
    /// (`title: siteData.name`), each with that dotted path: a caller that
    /// knows the variable (a JSON file the module imports) can resolve it.
    pub references: Vec<(String, String)>,
    /// The references written `member || "fallback"`: `values` holds the
    /// fallback, which a member set to false, 0 or "" does not replace
    /// (one written `??` is replaced by anything but null).
    pub falsy_fallbacks: Vec<String>,
}

impl Literal {
    /// Takes what `inner` reads of its keys but their values, each key
    /// below `prefix`; gives back the values.
    fn adopt_keys(&mut self, inner: Literal, prefix: &str) -> Map<String, Value> {
        let keyed = |key: String| format!("{prefix}{key}");
        self.computed.extend(inner.computed.into_iter().map(keyed));
        let pairs = |pairs: Vec<(String, String)>| pairs.into_iter().map(|(k, v)| (keyed(k), v));
        self.from_env.extend(pairs(inner.from_env));
        self.references.extend(pairs(inner.references));
        self.falsy_fallbacks
            .extend(inner.falsy_fallbacks.into_iter().map(keyed));
        inner.values
    }
}

/// The object a data file exports. Nothing when it exports something else
/// (a function, a call's result) or cannot be read as JavaScript.
pub fn exported_object(source: &str) -> Option<Literal> {
    let tokens = tokenize(source)?;
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        regexes: false,
    };
    let start = parser.find_export()?;
    parser.at = start;
    match parser.token() {
        Some(Token::Punct('{')) => parser.object(""),
        // A function that returns an object: its one `return { … }`.
        Some(Token::Ident(word)) if word == "function" || word == "async" => {
            parser.returned_object()
        }
        Some(Token::Punct('(')) => parser.returned_object(),
        Some(Token::Ident(_)) if tokens.get(start + 1) == Some(&Token::Punct('=')) => {
            parser.returned_object()
        }
        // `export default data;` with `const data = { … }` above it.
        Some(Token::Ident(name)) => {
            let name = name.clone();
            let mut declared = declarations_in(&tokens)?;
            match declared.values.remove(&name) {
                Some(Value::Object(values)) => {
                    let prefix = format!("{name}.");
                    let computed = declared
                        .computed
                        .iter()
                        .filter_map(|key| key.strip_prefix(&prefix).map(str::to_string))
                        .collect();
                    // Each keyed pair of the object's, keyed within it.
                    let within = |pairs: &[(String, String)]| -> Vec<(String, String)> {
                        pairs
                            .iter()
                            .filter_map(|(key, of)| {
                                Some((key.strip_prefix(&prefix)?.to_string(), of.clone()))
                            })
                            .collect()
                    };
                    Some(Literal {
                        values,
                        computed,
                        from_env: within(&declared.from_env),
                        references: within(&declared.references),
                        falsy_fallbacks: declared
                            .falsy_fallbacks
                            .iter()
                            .filter_map(|key| key.strip_prefix(&prefix).map(str::to_string))
                            .collect(),
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The module whose default export a file exports whole, as written:
/// `import data from "../_data/blog.js"; export default data;`, `export {
/// default } from "./x.js"` or `module.exports = require("./x")` (a data
/// file shared by several folders).
pub fn reexported_module(source: &str) -> Option<String> {
    let pattern = |re: &str| regex::Regex::new(re).ok();
    let direct = pattern(
        r#"(?:export\s*\{\s*default\s*\}\s*from|module\.exports\s*=\s*require\s*\()\s*["']([^"']+)["']"#,
    )?;
    if let Some(found) = direct.captures(source) {
        return Some(found[1].to_string());
    }
    let name = pattern(r"export\s+default\s+([A-Za-z_$][\w$]*)\s*;?\s*$")?
        .captures(source.trim_end())?[1]
        .to_string();
    let import = pattern(&format!(
        r#"import\s+{}\s+from\s+["']([^"']+)["']"#,
        regex::escape(&name)
    ))?;
    Some(import.captures(source)?[1].to_string())
}

/// The names and strings of the code (not its comments), to search for
/// what it mentions: faceftw.github.io keeps its feed plugin commented
/// out. Source the tokenizer cannot read is one word, searched as text.
pub fn code_words(source: &str) -> Vec<String> {
    let Some(tokens) = tokenize(source) else {
        return vec![source.to_string()];
    };
    let mut words = Vec::new();
    for token in tokens {
        match token {
            Token::Ident(text) | Token::Str(text) => words.push(text),
            Token::Template(parts) => words.extend(parts.into_iter().map(|part| match part {
                TemplatePart::Text(text) | TemplatePart::Interpolated(text) => text,
            })),
            _ => {}
        }
    }
    words
}

/// Whether any of `words` holds `needle`.
pub fn mentions(words: &[String], needle: &str) -> bool {
    words.iter().any(|word| word.contains(needle))
}

/// The options object passed with `plugin` in a config's
/// `addPlugin(plugin, { … })` (`plugin` may be a property:
/// `pluginRss.feedPlugin`); nothing when it is not an object literal.
pub fn plugin_options(source: &str, plugin: &str) -> Option<Literal> {
    let tokens = tokenize(source)?;
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        regexes: false,
    };
    let calls: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            parser.ident_at(i, "addPlugin") && tokens.get(i + 1) == Some(&Token::Punct('('))
        })
        .collect();
    for call in calls {
        parser.at = call + 2;
        let first = parser.at;
        parser.skip_expression(false)?;
        let names_plugin = tokens[first..parser.at]
            .iter()
            .any(|t| matches!(t, Token::Ident(name) if name == plugin));
        if names_plugin
            && tokens.get(parser.at) == Some(&Token::Punct(','))
            && tokens.get(parser.at + 1) == Some(&Token::Punct('{'))
        {
            parser.at += 1;
            return parser.object("");
        }
    }
    None
}

/// `---js` front matter: an object, or the top-level variables it declares.
pub fn front_matter(source: &str) -> Option<Literal> {
    let tokens = tokenize(source)?;
    if tokens.first() == Some(&Token::Punct('{')) {
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
            regexes: false,
        };
        return parser.object("");
    }
    declarations_in(&tokens)
}

/// What an Eleventy config says literally of where its folders are and
/// which files it passes over.
#[derive(Debug, PartialEq)]
pub struct EleventySetup {
    /// `input`, `output`, `includes`, `layouts` and `data` by name: a
    /// `dir: { … }` object's string values (the object the config returns
    /// or exports as `config`), and Eleventy 3's `setInputDirectory("…")`
    /// calls and their kin, which win.
    pub folders: std::collections::HashMap<String, String>,
    /// `ignores.add("…")` and `ignores.delete("…")`, in order: whether
    /// each adds, and its glob.
    pub ignores: Vec<(bool, String)>,
    /// False after `setUseGitIgnore(false)`.
    pub use_git_ignore: bool,
    /// What a `dir: { … }` object spreads, `...theme.dir`: folders
    /// computed elsewhere, which a literal value beside it overrides.
    pub dir_spread: Option<String>,
    /// `pathPrefix: "…"`: the folder of its host the site is served from.
    pub path_prefix: Option<String>,
}

/// The folder setters of Eleventy 3's config API and the `dir` key each sets.
const FOLDER_SETTERS: [(&str, &str); 5] = [
    ("setInputDirectory", "input"),
    ("setOutputDirectory", "output"),
    ("setIncludesDirectory", "includes"),
    ("setLayoutsDirectory", "layouts"),
    ("setDataDirectory", "data"),
];

/// The `EleventySetup` of a config's source; Eleventy's defaults where it
/// cannot be read.
pub fn eleventy_setup(source: &str) -> EleventySetup {
    let mut setup = EleventySetup {
        folders: std::collections::HashMap::new(),
        ignores: Vec::new(),
        use_git_ignore: true,
        dir_spread: None,
        path_prefix: None,
    };
    let Some(tokens) = tokenize(source) else {
        return setup;
    };
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        regexes: false,
    };
    let punct = |at: usize, c: char| tokens.get(at) == Some(&Token::Punct(c));
    let string_argument = |at: usize| match (punct(at, '('), tokens.get(at + 1)) {
        (true, Some(Token::Str(text))) if punct(at + 2, ')') || punct(at + 2, ',') => {
            Some(text.clone())
        }
        _ => None,
    };
    let mut calls = std::collections::HashMap::new();
    // The `dir` object nested least deep is the config's: a helper inside
    // it may return one of its own first (stepcellwolf/pt-11ty-blog's image
    // shortcode returns `dir: { input: "." }` before the config's `src`).
    let mut dir_at: Option<(usize, usize)> = None;
    let mut depth = 0usize;
    for at in 0..tokens.len() {
        match &tokens[at] {
            Token::Punct('{' | '(' | '[') => depth += 1,
            Token::Punct('}' | ')' | ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
        let key = match &tokens[at] {
            Token::Ident(word) | Token::Str(word) => word.as_str(),
            _ => continue,
        };
        if key == "dir" && punct(at + 1, ':') && punct(at + 2, '{') {
            if dir_at.is_none_or(|(shallowest, _)| depth < shallowest) {
                dir_at = Some((depth, at));
            }
        } else if let Some((_, name)) = FOLDER_SETTERS.iter().find(|(setter, _)| *setter == key) {
            if let Some(folder) = string_argument(at + 1) {
                calls.insert(name.to_string(), folder);
            }
        } else if key == "ignores" && punct(at + 1, '.') {
            let adds = match tokens.get(at + 2) {
                Some(Token::Ident(method)) if method == "add" => true,
                Some(Token::Ident(method)) if method == "delete" => false,
                _ => continue,
            };
            if let Some(glob) = string_argument(at + 3) {
                setup.ignores.push((adds, glob));
            }
        } else if key == "setUseGitIgnore" && punct(at + 1, '(') && parser.ident_at(at + 2, "false")
        {
            setup.use_git_ignore = false;
        } else if key == "pathPrefix" && punct(at + 1, ':') {
            if let Some(Token::Str(prefix)) = tokens.get(at + 2) {
                setup.path_prefix.get_or_insert_with(|| prefix.clone());
            }
        }
    }
    if let Some((_, at)) = dir_at {
        setup.dir_spread = spread_in_object(&tokens, at + 2);
        parser.at = at + 2;
        for (name, value) in parser.object("").map(|o| o.values).unwrap_or_default() {
            if let Value::String(folder) = value {
                setup.folders.insert(name, folder);
            }
        }
    }
    setup.folders.extend(calls);
    setup
}

/// The expression an object literal opening at `open` spreads at its own
/// level (`{ ...base.dir, includes: "x" }` → `base.dir`), if any.
fn spread_in_object(tokens: &[Token], open: usize) -> Option<String> {
    let mut depth = 0usize;
    let mut at = open;
    while let Some(token) = tokens.get(at) {
        match token {
            Token::Punct('{' | '(' | '[') => depth += 1,
            Token::Punct('}' | ')' | ']') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return None;
                }
            }
            Token::Punct('.')
                if depth == 1
                    && tokens.get(at + 1) == Some(&Token::Punct('.'))
                    && tokens.get(at + 2) == Some(&Token::Punct('.')) =>
            {
                let mut names = Vec::new();
                let mut next = at + 3;
                while let Some(Token::Ident(name)) = tokens.get(next) {
                    names.push(name.as_str());
                    if tokens.get(next + 1) != Some(&Token::Punct('.')) {
                        break;
                    }
                    next += 2;
                }
                return (!names.is_empty()).then(|| names.join("."));
            }
            _ => {}
        }
        at += 1;
    }
    None
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Number(Number),
    /// Something to evaluate (a number JSON cannot hold).
    Expression,
    /// A template literal with `${}` in it: its text and, between, the
    /// source of each interpolated expression.
    Template(Vec<TemplatePart>),
    /// A regular expression literal: its source and flags.
    Regex(String, String),
    Punct(char),
}

/// The literal text a regular expression anchored at the start requires
/// and nothing more (`^\.\/posts\/` → `./posts/`); None where it matches
/// anything else (a class, a wildcard, an alternative).
fn regex_literal_start(source: &str) -> Option<String> {
    let mut chars = source.strip_prefix('^')?.chars();
    let mut text = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next()?;
                if escaped.is_ascii_alphanumeric() {
                    return None;
                }
                text.push(escaped);
            }
            c if c.is_alphanumeric() || matches!(c, '-' | '_' | '/') => text.push(c),
            _ => return None,
        }
    }
    Some(text)
}

/// A function that gives a template literal of its parameters
/// (`Module::template_function`).
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateFunction {
    /// Each parameter with its literal default.
    params: Vec<(String, Option<String>)>,
    parts: Vec<TemplatePart>,
}

impl TemplateFunction {
    /// What the function gives for `args`, in order: a parameter without
    /// one is its default, else `undefined`, as JavaScript writes a
    /// missing value into a template literal.
    pub fn apply(&self, args: &[String]) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                TemplatePart::Text(text) => text.as_str(),
                TemplatePart::Interpolated(source) => {
                    let at = self.params.iter().position(|(n, _)| n == source.trim());
                    at.and_then(|at| args.get(at).or(self.params[at].1.as_ref()))
                        .map_or("undefined", String::as_str)
                }
            })
            .collect()
    }

    /// Where the first parameter (a paired shortcode's content) is written:
    /// what the function gives before it and after it, for `args` (the
    /// others); none unless it is written once.
    pub fn around_first(&self, args: &[String]) -> Option<(String, String)> {
        let first = &self.params.first()?.0;
        let is_first = |part: &TemplatePart| matches!(part, TemplatePart::Interpolated(source) if source.trim() == first);
        let [at] = self
            .parts
            .iter()
            .enumerate()
            .filter(|(_, part)| is_first(part))
            .map(|(at, _)| at)
            .collect::<Vec<_>>()[..]
        else {
            return None;
        };
        let mut with_content = vec![String::new()];
        with_content.extend(args.iter().cloned());
        let half = |parts: &[TemplatePart]| {
            TemplateFunction {
                params: self.params.clone(),
                parts: parts.to_vec(),
            }
            .apply(&with_content)
        };
        Some((half(&self.parts[..at]), half(&self.parts[at + 1..])))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum TemplatePart {
    Text(String),
    Interpolated(String),
}

const KEYWORDS_THAT_START_STATEMENTS: [&str; 7] = [
    "const", "let", "var", "function", "export", "import", "class",
];

/// Words that are followed by `(…)` and a block without being a function:
/// `if (x) {…}` is no method named `if`, nor a call of one.
const CONTROL_KEYWORDS: [&str; 10] = [
    "if", "for", "while", "switch", "catch", "function", "return", "typeof", "new", "await",
];

/// Nesting deeper than this is not data anyone writes by hand.
const MAX_DEPTH: usize = 64;

fn tokenize(source: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() => i += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '"' | '\'' => {
                let (text, end) = quoted(&chars, i)?;
                tokens.push(Token::Str(text));
                i = end;
            }
            '`' => {
                let (token, end) = template(&chars, i)?;
                tokens.push(token);
                i = end;
            }
            '/' if regex_may_start(tokens.last()) => {
                // A regular expression literal: read whole, so that the
                // quotes and braces in it are not read as code.
                i += 1;
                let start = i;
                let mut class = false;
                while i < chars.len() && (class || chars[i] != '/') {
                    match chars[i] {
                        '\\' => i += 1,
                        '[' => class = true,
                        ']' => class = false,
                        '\n' => return None,
                        _ => {}
                    }
                    i += 1;
                }
                let source: String = chars.get(start..i)?.iter().collect();
                i += 1;
                let flags_start = i;
                while i < chars.len() && chars[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let flags: String = chars.get(flags_start..i)?.iter().collect();
                tokens.push(Token::Regex(source, flags));
            }
            _ if c.is_ascii_digit()
                || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '.' | '_'))
                    || (i > start
                        && matches!(chars[i - 1], 'e' | 'E')
                        && matches!(chars.get(i), Some('+' | '-')))
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
                tokens.push(number(&text).map_or(Token::Expression, Token::Number));
            }
            _ if c.is_alphabetic() || c == '_' || c == '$' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
                {
                    i += 1;
                }
                tokens.push(Token::Ident(chars[start..i].iter().collect()));
            }
            _ => {
                tokens.push(Token::Punct(c));
                i += 1;
            }
        }
    }
    Some(tokens)
}

/// Whether a `/` after `previous` starts a regular expression rather than
/// dividing.
fn regex_may_start(previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(Token::Punct(c)) => !matches!(c, ')' | ']' | '}'),
        Some(Token::Ident(word)) => matches!(word.as_str(), "return" | "typeof" | "case"),
        _ => false,
    }
}

fn number(text: &str) -> Option<Number> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok().map(Number::from);
    }
    if let Ok(whole) = text.parse::<i64>() {
        return Some(Number::from(whole));
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}

/// A '…' or "…" string from `start`, its escapes resolved; and the index after it.
fn quoted(chars: &[char], start: usize) -> Option<(String, usize)> {
    let quote = chars[start];
    let mut text = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            c if c == quote => return Some((text, i + 1)),
            '\n' => return None,
            '\\' => i = escape(chars, i, &mut text)?,
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    None
}

/// A `…` template literal from `start`: its text when it interpolates
/// nothing; and the index after it.
fn template(chars: &[char], start: usize) -> Option<(Token, usize)> {
    let mut text = String::new();
    let mut parts = Vec::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '`' => {
                let token = if parts.is_empty() {
                    Token::Str(text)
                } else {
                    parts.push(TemplatePart::Text(text));
                    Token::Template(parts)
                };
                return Some((token, i + 1));
            }
            '\\' => i = escape(chars, i, &mut text)?,
            '$' if chars.get(i + 1) == Some(&'{') => {
                parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                let from = i + 2;
                let mut depth = 0usize;
                while i < chars.len() {
                    match chars[i] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                let source: String = chars.get(from..i)?.iter().collect();
                parts.push(TemplatePart::Interpolated(source));
                i += 1;
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    None
}

/// The escape at `chars[at]` (a backslash) pushed onto `text`; the index after it.
fn escape(chars: &[char], at: usize, text: &mut String) -> Option<usize> {
    let next = *chars.get(at + 1)?;
    let mut end = at + 2;
    match next {
        'n' => text.push('\n'),
        't' => text.push('\t'),
        'r' => text.push('\r'),
        '0' => text.push('\0'),
        'b' => text.push('\u{8}'),
        'f' => text.push('\u{c}'),
        'v' => text.push('\u{b}'),
        // A line continuation.
        '\n' => {}
        'u' if chars.get(at + 2) == Some(&'{') => {
            let close = (at + 3..chars.len()).find(|&j| chars[j] == '}')?;
            let hex: String = chars[at + 3..close].iter().collect();
            text.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            end = close + 1;
        }
        'u' => {
            let hex: String = chars.get(at + 2..at + 6)?.iter().collect();
            let unit = u32::from_str_radix(&hex, 16).ok()?;
            // A surrogate pair is two escapes.
            let low = (0xD800..0xDC00).contains(&unit).then(|| {
                let rest: String = chars.get(at + 6..at + 12)?.iter().collect();
                let low = u32::from_str_radix(rest.strip_prefix("\\u")?, 16).ok()?;
                (0xDC00..0xE000).contains(&low).then_some(low)
            });
            match low.flatten() {
                Some(low) => {
                    text.push(char::from_u32(
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00),
                    )?);
                    end = at + 12;
                }
                None => {
                    text.push(char::from_u32(unit)?);
                    end = at + 6;
                }
            }
        }
        'x' => {
            let hex: String = chars.get(at + 2..at + 4)?.iter().collect();
            text.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            end = at + 4;
        }
        other => text.push(other),
    }
    Some(end)
}

/// The top-level `const`/`let`/`var` declarations of `tokens`, each a key,
/// and its function declarations, each a computed key.
fn declarations_in(tokens: &[Token]) -> Option<Literal> {
    let mut parser = Parser {
        tokens,
        at: 0,
        regexes: false,
    };
    let mut found = Literal::default();
    while let Some(token) = parser.token() {
        match token {
            Token::Ident(word) if matches!(word.as_str(), "const" | "let" | "var") => {
                parser.at += 1;
                while let Some(Token::Ident(name)) = parser.token() {
                    parser.at += 1;
                    if parser.token() != Some(&Token::Punct('=')) {
                        break;
                    }
                    parser.at += 1;
                    parser.value(name, 0, &mut found)?;
                    if parser.token() != Some(&Token::Punct(',')) {
                        break;
                    }
                    parser.at += 1;
                }
            }
            Token::Ident(word) if word == "function" => {
                parser.at += 1;
                if let Some(Token::Ident(name)) = parser.token() {
                    found.computed.push(name.clone());
                }
                parser.skip_expression(true)?;
            }
            Token::Punct('{' | '[' | '(') => parser.skip_expression(true)?,
            _ => parser.at += 1,
        }
    }
    Some(found)
}

struct Parser<'a> {
    tokens: &'a [Token],
    at: usize,
    /// Whether a regular expression is a value (`{"regex": source,
    /// "flags": flags}`), as in a function's options; in data it is code.
    regexes: bool,
}

impl<'a> Parser<'a> {
    fn token(&self) -> Option<&'a Token> {
        self.tokens.get(self.at)
    }

    fn ident_at(&self, at: usize, word: &str) -> bool {
        matches!(self.tokens.get(at), Some(Token::Ident(w)) if w == word)
    }

    /// A permalink function at the cursor that returns a template literal
    /// of the page's data alone (zachleat.com's `permalink: function({ page
    /// }) { return `/web/${ page.fileSlug }/`; }`, an arrow, a method), as
    /// the permalink string Eleventy would render to the same address
    /// (`/web/{{ page.fileSlug }}/`); the cursor after it. Nothing for any
    /// other function.
    fn permalink_function(&mut self) -> Option<String> {
        if self.ident_at(self.at, "function") {
            self.at += 1;
        }
        // Its one parameter: the data (`data`), or names taken from it
        // (`{ page, title }`).
        let (data, names) = match self.token()? {
            Token::Ident(name) => {
                self.at += 1;
                (Some(name.clone()), Vec::new())
            }
            Token::Punct('(') => {
                self.at += 1;
                let read = match self.token()? {
                    Token::Ident(name) => {
                        self.at += 1;
                        (Some(name.clone()), Vec::new())
                    }
                    // No parameter: the same address for every page.
                    Token::Punct(')') => (None, Vec::new()),
                    Token::Punct('{') => {
                        self.at += 1;
                        let mut names = Vec::new();
                        while let Some(Token::Ident(name)) = self.token() {
                            names.push(name.clone());
                            self.at += 1;
                            if self.token() == Some(&Token::Punct(',')) {
                                self.at += 1;
                            }
                        }
                        (self.token() == Some(&Token::Punct('}'))).then_some(())?;
                        self.at += 1;
                        (None, names)
                    }
                    _ => return None,
                };
                (self.token() == Some(&Token::Punct(')'))).then_some(())?;
                self.at += 1;
                read
            }
            _ => return None,
        };
        let parts = self.template_body()?;
        let mut pattern = String::new();
        for part in &parts {
            match part {
                // Literal text that Eleventy's template syntax would read.
                TemplatePart::Text(text) if text.contains("{{") || text.contains("{%") => {
                    return None
                }
                TemplatePart::Text(text) => pattern.push_str(text),
                TemplatePart::Interpolated(source) => {
                    let path = source.trim();
                    let dotted = path.split('.').all(|part| {
                        let mut chars = part.chars();
                        chars
                            .next()
                            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
                            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
                    });
                    if !dotted {
                        return None;
                    }
                    let of_data = match &data {
                        Some(data) => path.strip_prefix(data.as_str())?.strip_prefix('.')?,
                        None => {
                            let root = path.split('.').next().unwrap_or("");
                            names.iter().any(|n| n == root).then_some(path)?
                        }
                    };
                    pattern.push_str(&format!("{{{{ {of_data} }}}}"));
                }
            }
        }
        Some(pattern)
    }

    /// The body of a function, the cursor after its parameters, when all it
    /// does is give a template literal or a string (`=> `…``, `{ return
    /// `…`; }`): its parts; the cursor after the body.
    fn template_body(&mut self) -> Option<Vec<TemplatePart>> {
        let braced = match (self.token()?, self.tokens.get(self.at + 1)) {
            (Token::Punct('='), Some(Token::Punct('>'))) => {
                self.at += 2;
                self.token() == Some(&Token::Punct('{'))
            }
            (Token::Punct('{'), _) => true,
            _ => return None,
        };
        if braced {
            self.at += 1;
            self.ident_at(self.at, "return").then_some(())?;
            self.at += 1;
        }
        let parts = match self.token()? {
            Token::Template(parts) => parts.clone(),
            Token::Str(text) => vec![TemplatePart::Text(text.clone())],
            _ => return None,
        };
        self.at += 1;
        if braced {
            if self.token() == Some(&Token::Punct(';')) {
                self.at += 1;
            }
            (self.token() == Some(&Token::Punct('}'))).then_some(())?;
            self.at += 1;
        }
        Some(parts)
    }

    /// The object a function expression at the cursor returns, when its
    /// body is one (`() => ({ … })`) or its one `return` gives one
    /// (`function () { …; return { … }; }`); a body with more than one
    /// `return` may give something else, so nothing is read from it.
    fn returned_object(&mut self) -> Option<Literal> {
        while matches!(self.token(), Some(Token::Ident(w)) if w == "async" || w == "function") {
            self.at += 1;
        }
        // A function's name, or an arrow's one parameter.
        if matches!(self.token(), Some(Token::Ident(_))) {
            self.at += 1;
        }
        if self.token() == Some(&Token::Punct('(')) {
            self.at += 1;
            self.skip_expression(false)?;
            (self.token() == Some(&Token::Punct(')'))).then_some(())?;
            self.at += 1;
        }
        if self.token() == Some(&Token::Punct('='))
            && self.tokens.get(self.at + 1) == Some(&Token::Punct('>'))
        {
            self.at += 2;
            if self.token() == Some(&Token::Punct('('))
                && self.tokens.get(self.at + 1) == Some(&Token::Punct('{'))
            {
                self.at += 1;
                return self.object("");
            }
        }
        (self.token() == Some(&Token::Punct('{'))).then_some(())?;
        let mut depth = 0usize;
        let mut returns = Vec::new();
        while let Some(token) = self.token() {
            match token {
                Token::Punct('{' | '[' | '(') => depth += 1,
                Token::Punct('}' | ']' | ')') => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        break;
                    }
                }
                Token::Ident(word) if word == "return" => returns.push(self.at + 1),
                _ => {}
            }
            self.at += 1;
        }
        match returns[..] {
            [only] if self.tokens.get(only) == Some(&Token::Punct('{')) => {
                self.at = only;
                self.object("")
            }
            _ => None,
        }
    }

    /// The index of what `export default` or `module.exports =` exports.
    fn find_export(&self) -> Option<usize> {
        (0..self.tokens.len()).find_map(|i| {
            if self.ident_at(i, "export") && self.ident_at(i + 1, "default") {
                return Some(i + 2);
            }
            let assigns = self.ident_at(i, "module")
                && self.tokens.get(i + 1) == Some(&Token::Punct('.'))
                && self.ident_at(i + 2, "exports")
                && self.tokens.get(i + 3) == Some(&Token::Punct('='));
            assigns.then_some(i + 4)
        })
    }

    /// An object literal from its `{`, with the keys below `prefix`.
    fn object(&mut self, prefix: &str) -> Option<Literal> {
        let mut found = Literal::default();
        self.object_into(prefix, 0, &mut found)?;
        Some(found)
    }

    /// Reads the object at `{` into `found.values`, naming computed keys
    /// (`prefix` + key) in `found.computed`.
    fn object_into(&mut self, prefix: &str, depth: usize, found: &mut Literal) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        loop {
            let key = match self.token()? {
                Token::Punct('}') => {
                    self.at += 1;
                    return Some(());
                }
                Token::Punct(',') => {
                    self.at += 1;
                    continue;
                }
                // A getter, a setter or an async method: computed.
                Token::Ident(word)
                    if matches!(word.as_str(), "get" | "set" | "async")
                        && matches!(
                            self.tokens.get(self.at + 1),
                            Some(Token::Ident(_) | Token::Str(_))
                        ) =>
                {
                    self.at += 1;
                    continue;
                }
                Token::Ident(name) | Token::Str(name) => name.clone(),
                Token::Number(n) => n.to_string(),
                // `...spread` and `[computed]: keys`: nothing literal.
                _ => {
                    self.skip_expression(false)?;
                    continue;
                }
            };
            self.at += 1;
            let path = format!("{prefix}{key}");
            match self.token()? {
                Token::Punct(':') => {
                    self.at += 1;
                    let mut inner = Literal::default();
                    self.value(&key, depth, &mut inner)?;
                    let values = found.adopt_keys(inner, prefix);
                    found.values.extend(values);
                }
                // A method `permalink({ page }) { return `…`; }`.
                Token::Punct('(') if key == "permalink" => {
                    let start = self.at;
                    match self.permalink_function() {
                        Some(pattern) => {
                            found.values.insert(key, Value::String(pattern));
                        }
                        None => {
                            self.at = start;
                            found.computed.push(path);
                            self.skip_expression(false)?;
                        }
                    }
                }
                // `{ title }` names a variable.
                _ => {
                    found.computed.push(path);
                    self.skip_expression(false)?;
                }
            }
        }
    }

    /// The value at the cursor, as `found.values[key]`, or `key` named
    /// computed when it is not literal.
    fn value(&mut self, key: &str, depth: usize, found: &mut Literal) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        let mut nested = Literal::default();
        let mut variable = None;
        if key == "permalink" {
            let read = self.permalink_function();
            let ends = matches!(self.token(), None | Some(Token::Punct(',' | '}' | ';')));
            if let (Some(pattern), true) = (read, ends) {
                found.values.insert(key.to_string(), Value::String(pattern));
                return Some(());
            }
            self.at = start;
        }
        if let Some((path, fallback, falsy_falls_back)) = self.member_with_fallback() {
            found.values.insert(key.to_string(), fallback);
            found.references.push((key.to_string(), path));
            if falsy_falls_back {
                found.falsy_fallbacks.push(key.to_string());
            }
            return Some(());
        }
        let literal = match self.token()? {
            Token::Ident(word) if word == "process" => {
                self.env_with_fallback().map(|(name, value)| {
                    variable = Some(name);
                    value
                })
            }
            Token::Str(text) => {
                self.at += 1;
                Some(Value::String(text.clone()))
            }
            Token::Number(n) => {
                self.at += 1;
                Some(Value::Number(n.clone()))
            }
            Token::Punct('-') => match self.tokens.get(self.at + 1) {
                Some(Token::Number(n)) => {
                    self.at += 2;
                    number(&format!("-{n}")).map(Value::Number)
                }
                _ => None,
            },
            Token::Ident(word) if matches!(word.as_str(), "true" | "false" | "null") => {
                self.at += 1;
                Some(match word.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::Null,
                })
            }
            Token::Punct('{') => {
                let mut inner = Literal::default();
                self.object_into(&format!("{key}."), depth + 1, &mut inner)?;
                let values = std::mem::take(&mut inner.values);
                nested = inner;
                Some(Value::Object(values))
            }
            Token::Punct('[') => self.array(depth + 1)?,
            Token::Regex(source, flags) if self.regexes => {
                self.at += 1;
                let mut regex = Map::new();
                regex.insert("regex".into(), Value::String(source.clone()));
                regex.insert("flags".into(), Value::String(flags.clone()));
                Some(Value::Object(regex))
            }
            _ => None,
        };
        // A literal followed by more (`"a" + b`, `{…}.x`) is an expression.
        let ends = matches!(
            self.token(),
            None | Some(Token::Punct(',' | '}' | ']' | ';' | ')'))
        ) || matches!(self.token(), Some(Token::Ident(w)) if KEYWORDS_THAT_START_STATEMENTS.contains(&w.as_str()));
        match literal {
            Some(value) if ends => {
                found.values.insert(key.to_string(), value);
                found.adopt_keys(nested, "");
                found
                    .from_env
                    .extend(variable.map(|name| (key.to_string(), name)));
            }
            _ => {
                self.at = start;
                // `process.env.URL` alone: computed, but from the variable a
                // deploy sets, which a caller can name.
                if let Some(name) = self.bare_env() {
                    found.from_env.push((key.to_string(), name));
                }
                self.at = start;
                if let Some(path) = self.member_path() {
                    found.references.push((key.to_string(), path));
                }
                self.at = start;
                self.skip_expression(true)?;
                found.computed.push(key.to_string());
            }
        }
        Some(())
    }

    /// `name.member.member` at the cursor, the whole value: its text.
    fn member_path(&mut self) -> Option<String> {
        let path = self.member_chain()?;
        let ends = matches!(
            self.token(),
            None | Some(Token::Punct(',' | '}' | ']' | ';'))
        );
        ends.then_some(path)
    }

    /// `name.member.member` at the cursor (one member at least): its text,
    /// the cursor after it.
    fn member_chain(&mut self) -> Option<String> {
        let mut path = String::new();
        loop {
            let Some(Token::Ident(name)) = self.token() else {
                return None;
            };
            path.push_str(name);
            self.at += 1;
            if self.token() != Some(&Token::Punct('.')) {
                break;
            }
            path.push('.');
            self.at += 1;
        }
        path.contains('.').then_some(path)
    }

    /// `name.member ?? "fallback"` (or `||`) at the cursor, the whole value
    /// (eleventy-libdoc's `blogSlug: userConfig.blogSlug ?? "posts"`): the
    /// member's path, the literal fallback, and whether a member that is
    /// set but false, 0 or empty falls back too (`||`); the cursor after it.
    fn member_with_fallback(&mut self) -> Option<(String, Value, bool)> {
        let start = self.at;
        // `process.env.URL || "…"` is the environment's (`env_with_fallback`).
        if matches!(self.token(), Some(Token::Ident(word)) if word == "process") {
            return None;
        }
        let read = self.member_chain().and_then(|path| {
            let falsy_falls_back = match (self.token(), self.tokens.get(self.at + 1)) {
                (Some(Token::Punct('?')), Some(Token::Punct('?'))) => false,
                (Some(Token::Punct('|')), Some(Token::Punct('|'))) => true,
                _ => return None,
            };
            self.at += 2;
            let fallback = match self.token()? {
                Token::Str(text) => Value::String(text.clone()),
                Token::Number(n) => Value::Number(n.clone()),
                Token::Ident(word) if word == "true" || word == "false" => {
                    Value::Bool(word == "true")
                }
                _ => return None,
            };
            self.at += 1;
            let ends = matches!(
                self.token(),
                None | Some(Token::Punct(',' | '}' | ']' | ';'))
            );
            ends.then_some((path, fallback, falsy_falls_back))
        });
        if read.is_none() {
            self.at = start;
        }
        read
    }

    /// `process.env.NAME` and nothing after it: the variable's name.
    fn bare_env(&self) -> Option<String> {
        let tokens = &self.tokens[self.at..];
        let [Token::Ident(process), Token::Punct('.'), Token::Ident(env), Token::Punct('.'), Token::Ident(name), rest @ ..] =
            tokens
        else {
            return None;
        };
        let ends = matches!(rest.first(), None | Some(Token::Punct(',' | '}' | ';')));
        (process == "process" && env == "env" && ends).then(|| name.clone())
    }

    /// `process.env.NAME || "fallback"` (or `??`) at the cursor: the
    /// variable and the literal fallback, the cursor after it.
    fn env_with_fallback(&mut self) -> Option<(String, Value)> {
        let ident = |token: Option<&Token>, expected: &str| matches!(token, Some(Token::Ident(word)) if word == expected);
        let at = self.at;
        let tokens = self.tokens;
        let dot = |i: usize| tokens.get(at + i) == Some(&Token::Punct('.'));
        if !(ident(tokens.get(at), "process")
            && dot(1)
            && ident(tokens.get(at + 2), "env")
            && dot(3))
        {
            return None;
        }
        let Some(Token::Ident(name)) = tokens.get(at + 4) else {
            return None;
        };
        let operator = (tokens.get(at + 5), tokens.get(at + 6));
        if !matches!(
            operator,
            (Some(Token::Punct('|')), Some(Token::Punct('|')))
                | (Some(Token::Punct('?')), Some(Token::Punct('?')))
        ) {
            return None;
        }
        let fallback = match tokens.get(at + 7)? {
            Token::Str(text) => Value::String(text.clone()),
            Token::Number(n) => Value::Number(n.clone()),
            _ => return None,
        };
        self.at = at + 8;
        Some((name.clone(), fallback))
    }

    /// An array of literals from its `[`; `Some(None)` when an element is not literal.
    fn array(&mut self, depth: usize) -> Option<Option<Value>> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            match self.token()? {
                Token::Punct(']') => {
                    self.at += 1;
                    return Some(Some(Value::Array(items)));
                }
                Token::Punct(',') => self.at += 1,
                _ => {
                    let mut element = Literal::default();
                    self.value("", depth, &mut element)?;
                    match element.values.remove("") {
                        Some(value) if element.computed.is_empty() => items.push(value),
                        _ => return Some(None),
                    }
                }
            }
        }
    }

    /// Moves past one expression: to the `,`, `;` or closing bracket that
    /// ends it at its own level (at a statement's keyword, between
    /// statements, too). Brackets must balance.
    fn skip_expression(&mut self, statement: bool) -> Option<()> {
        let mut depth = 0usize;
        let first = self.at;
        while let Some(token) = self.token() {
            match token {
                Token::Punct('{' | '[' | '(') => depth += 1,
                Token::Punct('}' | ']' | ')') if depth == 0 => return Some(()),
                Token::Punct('}' | ']' | ')') => depth -= 1,
                Token::Punct(',' | ';') if depth == 0 => return Some(()),
                Token::Ident(word)
                    if statement
                        && depth == 0
                        && self.at > first
                        && KEYWORDS_THAT_START_STATEMENTS.contains(&word.as_str()) =>
                {
                    return Some(())
                }
                _ => {}
            }
            if depth > MAX_DEPTH {
                return None;
            }
            self.at += 1;
        }
        (depth == 0).then_some(())
    }
}

/// A JavaScript module read for what its functions call: the filters an
/// Eleventy config adds, where a function is defined, what the module
/// imports, and a call of a package's function with literal options.
/// Nothing is run; a question the text does not answer literally has no
/// answer.
pub struct Module {
    tokens: Vec<Token>,
}

/// Where the function of a filter is: a range of the module's tokens, or a
/// name (`filters.slugifyString`: the object, then the name) to look up.
#[derive(Debug, Clone, PartialEq)]
pub enum Function {
    Written(std::ops::Range<usize>),
    Named {
        object: Option<String>,
        name: String,
    },
}

/// What an Eleventy collection is made of.
#[derive(Debug, Clone, PartialEq)]
pub enum CollectionSource {
    /// The files these globs (relative to the project) match.
    Files(Vec<String>),
    /// The pages with any of these tags: `getFilteredByTag("post")`, or
    /// several of them joined (`[...c.getFilteredByTag("post"),
    /// ...c.getFilteredByTag("snap")]`, `.concat(…)`).
    Tags(Vec<String>),
}

/// A call of a package's function whose result a function returns.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageCall {
    pub package: String,
    /// Its options; an error names what is not literal.
    pub options: Result<Map<String, Value>, String>,
    /// Whether the result is lower-cased (`slugify(s).toLowerCase()`).
    pub lowercased: bool,
}

impl Module {
    pub fn parse(source: &str) -> Option<Module> {
        Some(Module {
            tokens: tokenize(source)?,
        })
    }

    fn parser(&self, at: usize) -> Parser<'_> {
        Parser {
            tokens: &self.tokens,
            at,
            regexes: true,
        }
    }

    fn punct_at(&self, at: usize, c: char) -> bool {
        self.tokens.get(at) == Some(&Token::Punct(c))
    }

    fn ident(&self, at: usize) -> Option<&str> {
        match self.tokens.get(at) {
            Some(Token::Ident(word)) => Some(word),
            _ => None,
        }
    }

    /// The bracket that closes the one at `open`.
    fn matching_close(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (at, token) in self.tokens.iter().enumerate().skip(open) {
            match token {
                Token::Punct('{' | '[' | '(') => depth += 1,
                Token::Punct('}' | ']' | ')') => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(at);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The end of the expression from `at` (the index after it).
    fn expression_end(&self, at: usize) -> Option<usize> {
        let mut parser = self.parser(at);
        parser.skip_expression(false)?;
        Some(parser.at)
    }

    /// `addFilter("name", function)` and its Nunjucks, Liquid and
    /// JavaScript forms, in order.
    pub fn added_filters(&self) -> Vec<(String, Function)> {
        self.added(&[
            "addFilter",
            "addNunjucksFilter",
            "addLiquidFilter",
            "addJavaScriptFilter",
        ])
    }

    /// `addShortcode("name", function)` and its Nunjucks, Liquid and
    /// JavaScript forms, in order, each with whether it is paired
    /// (`addPairedShortcode`: its first parameter is the content between
    /// the tags).
    pub fn added_shortcodes(&self) -> Vec<(String, bool, Function)> {
        let single = self.added(&[
            "addShortcode",
            "addNunjucksShortcode",
            "addLiquidShortcode",
            "addJavaScriptShortcode",
        ]);
        let paired = self.added(&[
            "addPairedShortcode",
            "addPairedNunjucksShortcode",
            "addPairedLiquidShortcode",
        ]);
        let single = single.into_iter().map(|(name, f)| (name, false, f));
        single
            .chain(paired.into_iter().map(|(name, f)| (name, true, f)))
            .collect()
    }

    /// `METHOD("name", function)` for each of `methods`, in order.
    fn added(&self, methods: &[&str]) -> Vec<(String, Function)> {
        let mut added = Vec::new();
        for at in 0..self.tokens.len() {
            let adds = self.ident(at).is_some_and(|word| methods.contains(&word));
            let (true, true, Some(Token::Str(name)), true) = (
                adds,
                self.punct_at(at + 1, '('),
                self.tokens.get(at + 2),
                self.punct_at(at + 3, ','),
            ) else {
                continue;
            };
            let start = at + 4;
            let Some(end) = self.expression_end(start) else {
                continue;
            };
            added.push((name.clone(), self.function_at(start, end)));
        }
        added
    }

    /// A function written here that gives a template literal of its
    /// parameters and nothing else (`(file) => `<div>${file}</div>``,
    /// `function (content, kind) { return `…`; }`), as Eleventy's
    /// shortcodes are often written; none for one that computes more.
    pub fn template_function(&self, function: &Function) -> Option<TemplateFunction> {
        let Function::Written(range) = function else {
            return None;
        };
        let mut parser = self.parser(range.start);
        if parser.ident_at(parser.at, "function") {
            parser.at += 1;
            if matches!(parser.token(), Some(Token::Ident(_))) {
                parser.at += 1;
            }
        }
        let mut params = Vec::new();
        match parser.token()? {
            Token::Ident(name) => {
                params.push((name.clone(), None));
                parser.at += 1;
            }
            Token::Punct('(') => {
                parser.at += 1;
                while let Some(Token::Ident(name)) = parser.token() {
                    parser.at += 1;
                    // A default: `kind = "note"`.
                    let default = match (parser.token(), parser.tokens.get(parser.at + 1)) {
                        (Some(Token::Punct('=')), Some(Token::Str(text))) => {
                            parser.at += 2;
                            Some(text.clone())
                        }
                        _ => None,
                    };
                    params.push((name.clone(), default));
                    if parser.token() == Some(&Token::Punct(',')) {
                        parser.at += 1;
                    }
                }
                (parser.token() == Some(&Token::Punct(')'))).then_some(())?;
                parser.at += 1;
            }
            _ => return None,
        }
        let parts = parser.template_body()?;
        (parser.at == range.end).then_some(())?;
        // Each value interpolated is a parameter, as given.
        let known = |source: &str| params.iter().any(|(name, _)| name == source.trim());
        parts
            .iter()
            .all(|part| match part {
                TemplatePart::Interpolated(source) => known(source),
                TemplatePart::Text(_) => true,
            })
            .then_some(TemplateFunction { params, parts })
    }

    /// The function in `start..end`: written there, or named by a
    /// variable or a property (`filters.slugifyString`).
    fn function_at(&self, start: usize, end: usize) -> Function {
        let mut names = Vec::new();
        let mut at = start;
        while let Some(word) = self.ident(at) {
            names.push(word.to_string());
            at += 1;
            if at == end || !self.punct_at(at, '.') {
                break;
            }
            at += 1;
        }
        match (at == end, names.len()) {
            (true, 1) => Function::Named {
                object: None,
                name: names.remove(0),
            },
            (true, n) if n > 1 => Function::Named {
                object: Some(names.remove(0)),
                name: names.pop().unwrap_or_default(),
            },
            _ => Function::Written(start..end),
        }
    }

    /// Where `name` is defined in this module: `function name(…) {…}`,
    /// `name = …` (a `const`, `exports.name`), `name: …` or a method
    /// `name(…) {…}` in an object.
    pub fn function(&self, name: &str) -> Option<Function> {
        if CONTROL_KEYWORDS.contains(&name) {
            return None;
        }
        (0..self.tokens.len()).find_map(|at| {
            if self.ident(at) != Some(name) {
                return None;
            }
            if at > 0 && self.ident(at - 1) == Some("function") {
                // A declaration ends with its body, whatever follows it.
                let params = self
                    .punct_at(at + 1, '(')
                    .then(|| self.matching_close(at + 1))??;
                let body = self
                    .punct_at(params + 1, '{')
                    .then(|| self.matching_close(params + 1))??;
                return Some(Function::Written(at - 1..body + 1));
            }
            let assigned = (self.punct_at(at + 1, '=') && !self.punct_at(at + 2, '='))
                || (self.punct_at(at + 1, ':') && !self.punct_at(at.wrapping_sub(1), '?'));
            if assigned {
                let end = self.expression_end(at + 2)?;
                return Some(self.function_at(at + 2, end));
            }
            // A method: `name(params) { … }`, not a call `name(x);`.
            if self.punct_at(at + 1, '(') && (at == 0 || !self.punct_at(at - 1, '.')) {
                let close = self.expression_end(at + 2)?;
                if self.punct_at(close, ')') && self.punct_at(close + 1, '{') {
                    let end = self.expression_end(close + 1)?;
                    return Some(Function::Written(at..end));
                }
            }
            None
        })
    }

    /// How `addCollection("name", …)` makes a collection, when literally:
    /// from files by path (`getFilteredByGlob(GLOB)`, one glob or a list)
    /// or from a tag (`getFilteredByTag("post")`), and whether the function
    /// filters them further (`.filter(…)`); none when it is made otherwise
    /// (from every page, from several sources), not literally, or by a
    /// function written elsewhere (`collection_function` names it).
    pub fn collection_source(&self, name: &str) -> Option<(CollectionSource, bool)> {
        self.source_of(&self.collection_function(name)?)
    }

    /// The function `addCollection("name", FUNCTION)` makes the collection
    /// with: written there, or named (`postsCollection`, imported).
    pub fn collection_function(&self, name: &str) -> Option<Function> {
        let at = (0..self.tokens.len()).find(|&at| {
            self.ident(at) == Some("addCollection")
                && self.punct_at(at + 1, '(')
                && self.tokens.get(at + 2) == Some(&Token::Str(name.to_string()))
                && self.punct_at(at + 3, ',')
        })?;
        let end = self.expression_end(at + 4)?;
        Some(self.function_at(at + 4, end))
    }

    /// What a collection function written in this module selects, as
    /// `collection_source` says; none for a function named, not written.
    pub fn source_of(&self, function: &Function) -> Option<(CollectionSource, bool)> {
        let Function::Written(range) = function else {
            return None;
        };
        let (at, end) = (range.start, range.end);
        if let Some(found) = self.source_in(at, end) {
            return Some(found);
        }
        // Or through one function of the module's that it calls
        // (zachleat.com's `getPosts(collection).reverse().filter(…)`).
        let filtered_here = (at..end).any(|i| self.ident(i) == Some("filter"));
        let helpers: Vec<std::ops::Range<usize>> = (at..end)
            .filter_map(|i| {
                // `function (item) {…}` written in place is no call, nor
                // is `if (…)`.
                let name = self
                    .ident(i)
                    .filter(|name| !CONTROL_KEYWORDS.contains(name))?;
                let called = self.punct_at(i + 1, '(') && !self.punct_at(i.wrapping_sub(1), '.');
                match self.function(name).filter(|_| called)? {
                    Function::Written(range) => Some(range),
                    Function::Named { .. } => None,
                }
            })
            .collect();
        let [helper] = &helpers[..] else {
            return None;
        };
        let (source, filtered) = self.source_in(helper.start, helper.end)?;
        Some((source, filtered || filtered_here))
    }

    /// How many of the newest pages a collection function written here
    /// keeps, when it says so literally, its pages in date order: `.slice(-N)`,
    /// or `.slice(Math.max(all.length - N, 0))` (maxwellantonucci.com's,
    /// whose `1` in place of `0` drops the oldest of fewer pages, which
    /// a feed's newest N never reach).
    pub fn newest_kept(&self, function: &Function) -> Option<u64> {
        let Function::Written(range) = function else {
            return None;
        };
        let number = |at: usize| match self.tokens.get(at) {
            Some(Token::Number(n)) => n.as_u64().filter(|&n| n > 0),
            _ => None,
        };
        (range.start..range.end).find_map(|at| {
            let sliced = self.ident(at) == Some("slice")
                && self.punct_at(at.wrapping_sub(1), '.')
                && self.punct_at(at + 1, '(');
            if !sliced {
                return None;
            }
            let from = at + 2;
            // `.slice(-N)`
            if self.punct_at(from, '-') && self.punct_at(from + 2, ')') {
                return number(from + 1);
            }
            // `.slice(Math.max(NAME.length - N, 0 | 1))`
            let shape = self.ident(from) == Some("Math")
                && self.punct_at(from + 1, '.')
                && self.ident(from + 2) == Some("max")
                && self.punct_at(from + 3, '(')
                && self.ident(from + 4).is_some()
                && self.punct_at(from + 5, '.')
                && self.ident(from + 6) == Some("length")
                && self.punct_at(from + 7, '-')
                && self.punct_at(from + 9, ',')
                && matches!(self.tokens.get(from + 10), Some(Token::Number(n)) if n.as_u64().is_some_and(|n| n <= 1))
                && self.punct_at(from + 11, ')')
                && self.punct_at(from + 12, ')');
            shape.then(|| number(from + 8)).flatten()
        })
    }

    /// Whether `function` sorts its pages newest first, `.sort((a, b) =>
    /// b.date - a.date)` (Newman5/11ty-blog-2026's), which a feed that
    /// reverses its collection, as the feed plugin's does, turns into
    /// oldest first.
    pub fn sorts_newest_first(&self, function: &Function) -> bool {
        let Function::Written(range) = function else {
            return false;
        };
        (range.start..range.end).any(|at| {
            let (Some(first), Some(second)) = (self.ident(at + 3), self.ident(at + 5)) else {
                return false;
            };
            self.ident(at) == Some("sort")
                && self.punct_at(at.wrapping_sub(1), '.')
                && self.punct_at(at + 1, '(')
                && self.punct_at(at + 2, '(')
                && self.punct_at(at + 4, ',')
                && self.punct_at(at + 6, ')')
                && self.punct_at(at + 7, '=')
                && self.punct_at(at + 8, '>')
                && self.ident(at + 9) == Some(second)
                && self.punct_at(at + 10, '.')
                && self.ident(at + 11) == Some("date")
                && self.punct_at(at + 12, '-')
                && self.ident(at + 13) == Some(first)
                && self.punct_at(at + 14, '.')
                && self.ident(at + 15) == Some("date")
        })
    }

    /// What `collection_source` reads in the code `at..end`: its one
    /// selection of pages and whether it filters them.
    fn source_in(&self, at: usize, end: usize) -> Option<(CollectionSource, bool)> {
        let selections: Vec<usize> = (at..end)
            .filter(|&i| {
                matches!(
                    self.ident(i),
                    Some(
                        "getFilteredByGlob"
                            | "getFilteredByTag"
                            | "getFilteredByTags"
                            | "getAll"
                            | "getAllSorted"
                    )
                )
            })
            .collect();
        if let Some(tags) = self.tags_joined(&selections) {
            let filtered = (selections[0]..end).any(|i| self.ident(i) == Some("filter"));
            return Some((CollectionSource::Tags(tags), filtered));
        }
        let [select] = selections[..] else {
            return None;
        };
        if !self.punct_at(select + 1, '(') {
            return None;
        }
        let close = self.expression_end(select + 2)?;
        let mut texts = Vec::new();
        let mut at = select + 2;
        while at < close {
            match &self.tokens[at] {
                Token::Str(text) => texts.push(text.clone()),
                Token::Punct('[' | ']' | ',') => {}
                // A constant of the module's, `CONTENT_GLOBS.posts` or
                // `POSTS_GLOB` (maxboeck/mxb), when it is a literal string.
                Token::Ident(name) => {
                    let member = match self.punct_at(at + 1, '.') {
                        true => Some(self.ident(at + 2)?),
                        false => None,
                    };
                    let value = self.constant(name)?;
                    let value = match member {
                        Some(key) => value.get(key)?.clone(),
                        None => value,
                    };
                    texts.push(value.as_str()?.to_string());
                    at += if member.is_some() { 2 } else { 0 };
                }
                _ => return None,
            }
            at += 1;
        }
        // Folded into something else (authors to their posts, years):
        // not a list of pages.
        if (close..end).any(|i| self.ident(i) == Some("reduce")) {
            return None;
        }
        let filtered = (close..end).any(|i| self.ident(i) == Some("filter"));
        let source = match (self.ident(select), &texts[..]) {
            (Some("getFilteredByGlob"), [_, ..]) => CollectionSource::Files(texts),
            (Some("getFilteredByTag"), [tag]) => CollectionSource::Tags(vec![tag.clone()]),
            (Some("getAll" | "getAllSorted"), []) => {
                let folder = self.input_path_folder(close, end)?;
                return Some((CollectionSource::Files(vec![format!("{folder}**")]), false));
            }
            _ => return None,
        };
        Some((source, filtered))
    }

    /// The tags of two or more selections that are each `getFilteredByTag`
    /// of one literal tag, whose pages a collection joins
    /// (rishabhstein/git-11ty-blog's `combinedFeed` of four tags).
    fn tags_joined(&self, selections: &[usize]) -> Option<Vec<String>> {
        if selections.len() < 2 {
            return None;
        }
        selections
            .iter()
            .map(|&at| match self.tokens.get(at + 2) {
                Some(Token::Str(tag))
                    if self.ident(at) == Some("getFilteredByTag")
                        && self.punct_at(at + 1, '(')
                        && self.punct_at(at + 3, ')') =>
                {
                    Some(tag.clone())
                }
                _ => None,
            })
            .collect()
    }

    /// The folder every page of a collection is in where its one filter
    /// tests the page's `inputPath` by a literal start:
    /// `item.inputPath.match(/^\.\/posts\//) !== null` (regenrek's) or
    /// `item.inputPath.startsWith("./posts/")`, as `./posts/`. None for any
    /// other test, or one negated.
    fn input_path_folder(&self, start: usize, end: usize) -> Option<String> {
        let tests: Vec<usize> = (start..end)
            .filter(|&i| {
                self.ident(i) == Some("inputPath") && self.punct_at(i.wrapping_sub(1), '.')
            })
            .collect();
        let [at] = tests[..] else {
            return None;
        };
        if self.punct_at(at.wrapping_sub(3), '!') || !self.punct_at(at + 1, '.') {
            return None;
        }
        let argument = self.tokens.get(at + 4)?;
        let prefix = match (self.ident(at + 2)?, argument) {
            ("startsWith", Token::Str(text)) => text.clone(),
            ("match", Token::Regex(source, _)) => regex_literal_start(source)?,
            _ => return None,
        };
        let closed = self.punct_at(at + 3, '(') && self.punct_at(at + 5, ')');
        // `.match(…) === null` keeps the others.
        let compared_to_nothing = self.punct_at(at + 6, '=') && self.punct_at(at + 7, '=');
        (closed && !compared_to_nothing && prefix.ends_with('/') && prefix.starts_with("./"))
            .then_some(prefix)
    }

    /// The literal value a top-level `const` (or `let`, `var`) of the module
    /// binds `name` to: a string, or an object of literals.
    fn constant(&self, name: &str) -> Option<Value> {
        let at = (0..self.tokens.len()).find(|&at| {
            matches!(self.ident(at), Some("const" | "let" | "var"))
                && self.ident(at + 1) == Some(name)
                && self.punct_at(at + 2, '=')
        })?;
        match self.tokens.get(at + 3)? {
            Token::Str(text) => Some(Value::String(text.clone())),
            Token::Punct('{') => {
                let literal = self.parser(at + 3).object("")?;
                Some(Value::Object(literal.values))
            }
            _ => None,
        }
    }

    /// Whether the config makes a collection of this name
    /// (`addCollection("name", …)`), however it makes it.
    pub fn makes_collection(&self, name: &str) -> bool {
        (0..self.tokens.len()).any(|at| {
            self.ident(at) == Some("addCollection")
                && self.punct_at(at + 1, '(')
                && self.tokens.get(at + 2) == Some(&Token::Str(name.to_string()))
        })
    }

    /// What the module imports: each local name with the module it comes
    /// from (`import a, { b as c } from "x"`, `import * as a from "x"`,
    /// `const a = require("x")`, `const { b } = require("x")`).
    pub fn imports(&self) -> Vec<(String, String)> {
        let mut imports = Vec::new();
        for at in 0..self.tokens.len() {
            if self.ident(at) == Some("import") {
                // `import "./side-effect.js"` binds nothing.
                let Some(named) =
                    (at..self.tokens.len()).find(|&i| matches!(self.tokens[i], Token::Str(_)))
                else {
                    continue;
                };
                let (Some(Token::Str(module)), Some("from")) =
                    (self.tokens.get(named), self.ident(named - 1))
                else {
                    continue;
                };
                let from = named - 1;
                for name in self.bound_names(at + 1, from) {
                    imports.push((name, module.clone()));
                }
            }
            let requires = self.ident(at) == Some("require")
                && self.punct_at(at + 1, '(')
                && self.punct_at(at + 3, ')');
            if let (true, Some(Token::Str(module))) = (requires, self.tokens.get(at + 2)) {
                // Bound by the `=` just before it; a package required where
                // it is called (`require("slugify")(s)`) binds nothing.
                let Some(assign) = at.checked_sub(1).filter(|&i| self.punct_at(i, '=')) else {
                    continue;
                };
                let declared = (0..assign)
                    .rev()
                    .find(|&i| matches!(self.ident(i), Some("const" | "let" | "var")));
                if let Some(declared) = declared {
                    for name in self.bound_names(declared + 1, assign) {
                        imports.push((name, module.clone()));
                    }
                }
            }
        }
        imports
    }

    /// The names bound between `start` and `end`: `a`, `{ b, c as d }`,
    /// `{ b: d }`, `* as a`.
    fn bound_names(&self, start: usize, end: usize) -> Vec<String> {
        let mut names = Vec::new();
        let mut at = start;
        while at < end {
            let renamed = self.ident(at + 1) == Some("as") || self.punct_at(at + 1, ':');
            match self.ident(at) {
                Some("as") | Some("type") => {}
                Some(word) if !renamed => names.push(word.to_string()),
                _ => {}
            }
            at += 1;
        }
        names
    }

    /// In `function`, the call of a function imported from one of
    /// `packages` whose result it returns, with the options it passes
    /// (an object, or a variable the function sets to one).
    pub fn package_call(&self, function: &Function, packages: &[&str]) -> Option<PackageCall> {
        let Function::Written(range) = function else {
            return None;
        };
        let imported: Vec<(String, String)> = self
            .imports()
            .into_iter()
            .filter(|(_, module)| packages.contains(&module.as_str()))
            .collect();
        // The package called by the name it is imported as, or required
        // in place (`require("slugify")(str, { … })`): which, and where its
        // arguments open.
        let callee = |at: usize| -> Option<(String, usize)> {
            if self.punct_at(at + 1, '(') {
                if let Some((_, module)) = imported
                    .iter()
                    .find(|(name, _)| self.ident(at) == Some(name))
                {
                    return Some((module.clone(), at + 1));
                }
            }
            match (self.ident(at), self.tokens.get(at + 2)) {
                (Some("require"), Some(Token::Str(module)))
                    if self.punct_at(at + 1, '(')
                        && self.punct_at(at + 3, ')')
                        && self.punct_at(at + 4, '(')
                        && packages.contains(&module.as_str()) =>
                {
                    Some((module.clone(), at + 4))
                }
                _ => None,
            }
        };
        let (package, open) = range.clone().find_map(|at| {
            let returned = at > 0
                && (self.ident(at - 1) == Some("return")
                    || (self.punct_at(at - 1, '>') && self.punct_at(at.wrapping_sub(2), '=')));
            returned.then(|| callee(at)).flatten()
        })?;
        let first_end = self.expression_end(open + 1)?;
        let (options, close) = match self.tokens.get(first_end) {
            Some(Token::Punct(',')) => {
                let end = self.expression_end(first_end + 1)?;
                (self.options(first_end + 1, end, range), end)
            }
            _ => (Ok(Map::new()), first_end),
        };
        if !self.punct_at(close, ')') {
            return None;
        }
        let mut after = close + 1;
        let lowercased = self.punct_at(after, '.')
            && self.ident(after + 1) == Some("toLowerCase")
            && self.punct_at(after + 2, '(')
            && self.punct_at(after + 3, ')');
        if lowercased {
            after += 4;
        }
        // Returned as it is, not `slugify(s).replace(…)`.
        let ends = after >= range.end
            || matches!(
                self.tokens.get(after),
                Some(Token::Punct(';' | '}' | ')' | ','))
            );
        ends.then_some(PackageCall {
            package,
            options,
            lowercased,
        })
    }

    /// The options in `start..end`: an object literal, a string (a
    /// separator, to npm's `slugify`), or a variable `within` sets.
    fn options(
        &self,
        start: usize,
        end: usize,
        within: &std::ops::Range<usize>,
    ) -> Result<Map<String, Value>, String> {
        let read = |at: usize| -> Result<Map<String, Value>, String> {
            let literal = self
                .parser(at)
                .object("")
                .ok_or("the options are not an object")?;
            match literal.computed.first() {
                Some(key) => Err(format!("the option `{key}` is computed")),
                None => Ok(literal.values),
            }
        };
        match (self.tokens.get(start), end - start) {
            (Some(Token::Punct('{')), _) => read(start),
            (Some(Token::Str(separator)), 1) => {
                let mut options = Map::new();
                options.insert("replacement".into(), Value::String(separator.clone()));
                Ok(options)
            }
            (Some(Token::Ident(name)), 1) => {
                let set = within.clone().find(|&at| {
                    self.ident(at) == Some(name.as_str())
                        && self.punct_at(at + 1, '=')
                        && self.punct_at(at + 2, '{')
                });
                match set {
                    Some(at) => read(at + 2),
                    None => Err(format!("the options `{name}` are not an object set there")),
                }
            }
            _ => Err("the options are computed".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_exported_object_of_literals() {
        let read = exported_object(
            "// posts\nexport default {\n\ttags: [\n\t\t\"posts\"\n\t],\n\t\"layout\": 'layouts/post.njk',\n\tdraft: false, count: -2, ratio: 1.5, nothing: null,\n};\n",
        )
        .unwrap();
        assert_eq!(
            Value::Object(read.values),
            json!({"tags": ["posts"], "layout": "layouts/post.njk", "draft": false, "count": -2, "ratio": 1.5, "nothing": null})
        );
        assert!(read.computed.is_empty());

        let common =
            exported_object("module.exports = { permalink: `/blog/{{ page.fileSlug }}/` };")
                .unwrap();
        assert_eq!(common.values["permalink"], "/blog/{{ page.fileSlug }}/");
    }

    /// faceftw.github.io's config keeps its feed plugin in comments.
    #[test]
    fn code_words_are_names_and_strings_not_comments() {
        let config = code_words("// import { feedPlugin } from \"@11ty/eleventy-plugin-rss\";\nexport default function (c) {\n  /* c.addPlugin(feedPlugin, {}); */\n  c.addFilter(\"x\", (d) => d.data.draft);\n  return { dir: { input: `src` } };\n}\n");
        assert!(!mentions(&config, "feedPlugin"));
        assert!(!mentions(&config, "eleventy-plugin-rss"));
        assert!(mentions(&config, "draft"));
        assert!(mentions(&config, "src"));
        let live = code_words("import { feedPlugin } from \"@11ty/eleventy-plugin-rss\";");
        assert!(mentions(&live, "feedPlugin") && mentions(&live, "eleventy-plugin-rss"));
    }

    #[test]
    fn a_value_from_the_environment_is_its_fallback_and_names_its_variable() {
        let read = exported_object(
            "module.exports = {\n  url: process.env.URL || \"http://localhost:8080\",\n  feed: { base: process.env.BASE ?? 'https://b.example/' },\n  port: process.env.PORT || other,\n};\n",
        )
        .unwrap();
        assert_eq!(read.values["url"], "http://localhost:8080");
        assert_eq!(read.values["feed"]["base"], "https://b.example/");
        assert_eq!(
            read.from_env,
            [
                ("url".to_string(), "URL".to_string()),
                ("feed.base".to_string(), "BASE".to_string())
            ]
        );
        assert_eq!(read.computed, ["port"]);
        // eleventy-excellent's `_data/meta.js`, one export at a time.
        let named =
            front_matter("export const url = process.env.URL || 'http://localhost:8080';\n")
                .unwrap();
        assert_eq!(named.values["url"], "http://localhost:8080");
        assert_eq!(named.from_env, [("url".to_string(), "URL".to_string())]);
    }

    #[test]
    fn a_member_with_a_fallback_is_the_fallback_until_its_variable_is_known() {
        let read = exported_object(
            "const userConfig = require(\"../settings.json\");\nmodule.exports = {\n  blogSlug: userConfig.blogSlug ?? \"posts\",\n  site: { title: userConfig.site.title || 'Blog', wide: userConfig.wide ?? false },\n  logo: userConfig.logo ?? other,\n  height: userConfig.height ?? 60 * 2,\n};\n",
        )
        .unwrap();
        assert_eq!(read.values["blogSlug"], "posts");
        assert_eq!(read.values["site"]["title"], "Blog");
        assert_eq!(read.values["site"]["wide"], false);
        let pairs = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            read.references,
            pairs(&[
                ("blogSlug", "userConfig.blogSlug"),
                ("site.title", "userConfig.site.title"),
                ("site.wide", "userConfig.wide"),
            ])
        );
        assert_eq!(read.falsy_fallbacks, ["site.title"]);
        // A fallback that is not a literal, or more after it: computed.
        assert_eq!(read.computed, ["logo", "height"]);
    }

    #[test]
    fn computed_values_are_named_and_left_out() {
        let read = exported_object(
            r#"const base = "/b/";
export default {
  layout: "post",
  title: base + "x",
  permalink: (data) => `/${slug(data.title)}/`,
  eleventyComputed: {
    permalink(data) { return base + "x/"; },
    author: "Ann",
    tags: ["a", base],
  },
  pattern: /["{]/g,
  ...more,
  [key]: 1,
  shorthand,
};"#,
        )
        .unwrap();
        assert_eq!(
            Value::Object(read.values),
            json!({"layout": "post", "eleventyComputed": {"author": "Ann"}})
        );
        assert_eq!(
            read.computed,
            [
                "title",
                "permalink",
                "eleventyComputed.permalink",
                "eleventyComputed.tags",
                "pattern",
                "shorthand"
            ]
        );
    }

    #[test]
    fn an_eleventy_configs_folders_and_ignores() {
        let setup = eleventy_setup(
            "export default function (c) {\n  c.setOutputDirectory(\"dist\");\n  c.ignores.add(\"src/wip/**\");\n  c.ignores.delete(\"src/old.md\");\n  c.setUseGitIgnore(false);\n  c.amendLibrary(\"md\", md => md.use(katex, { output: \"html\" }));\n}\nexport const config = { \"dir\": { input: \"src\", output: \"_site\", includes: \"../inc\" } };\n",
        );
        let mut folders: Vec<(&str, &str)> = setup
            .folders
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        folders.sort();
        assert_eq!(
            folders,
            [("includes", "../inc"), ("input", "src"), ("output", "dist")]
        );
        assert_eq!(
            setup.ignores,
            [
                (true, "src/wip/**".to_string()),
                (false, "src/old.md".to_string())
            ]
        );
        assert!(!setup.use_git_ignore);
        assert_eq!(setup.path_prefix, None);
        // The returned one, not one in a comment (rebel-alliance-11ty-site's).
        let prefixed = eleventy_setup(
            "module.exports = function () {\n  // pathPrefix: \"/old/\",\n  return { pathPrefix: \"/rebel/\" };\n};\n",
        );
        assert_eq!(prefixed.path_prefix.as_deref(), Some("/rebel/"));
        let none = eleventy_setup("module.exports = function () {};");
        assert!(none.folders.is_empty() && none.use_git_ignore);
        assert_eq!(setup.dir_spread, None);
        // veryfaraway's: the folders a theme package computes, spread.
        let themed = eleventy_setup(
            "module.exports = function (c) {\n  const baseConfig = theme(c, { x: { y: 1 } });\n  return { ...baseConfig, dir: { ...baseConfig.dir, includes: \"_includes\" } };\n};\n",
        );
        assert_eq!(themed.dir_spread.as_deref(), Some("baseConfig.dir"));
        assert_eq!(
            themed.folders.get("includes").map(String::as_str),
            Some("_includes")
        );
        // stepcellwolf's: a helper inside the config returns a `dir` of its
        // own before the config returns its `src`.
        let nested = eleventy_setup(
            "module.exports = function (c) {\n  async function image(src) {\n    if (x) { return { dir: { input: \".\" } } }\n  }\n  return { dir: { input: \"src\", output: \"_site\" } };\n};\n",
        );
        assert_eq!(nested.folders.get("input").map(String::as_str), Some("src"));
        assert_eq!(
            nested.folders.get("output").map(String::as_str),
            Some("_site")
        );
    }

    #[test]
    fn a_variable_of_the_environment_without_a_fallback_is_named() {
        let read = exported_object("export default { title: 'T', url: process.env.URL };").unwrap();
        assert_eq!(read.computed, ["url"]);
        assert_eq!(read.from_env, [("url".to_string(), "URL".to_string())]);
        assert!(!read.values.contains_key("url"));
        // More after it is an expression of its own.
        let read = exported_object("export default { url: process.env.URL + '/' };").unwrap();
        assert!(read.from_env.is_empty());
    }

    #[test]
    fn the_object_a_function_returns() {
        let returned = exported_object(
            "const isDev = require('x')();\nfunction show(data) { return !data.draft; }\nmodule.exports = () => {\n  return {\n    eleventyComputed: { permalink: (data) => (show(data) ? data.permalink : false) },\n    tags: [\"posts\"],\n  };\n};\n",
        )
        .unwrap();
        assert_eq!(
            Value::Object(returned.values),
            json!({"eleventyComputed": {}, "tags": ["posts"]})
        );
        assert_eq!(returned.computed, ["eleventyComputed.permalink"]);
        let arrow = exported_object("export default async () => ({ layout: 'post' });").unwrap();
        assert_eq!(arrow.values["layout"], "post");
        let named = exported_object(
            "export default function data(config) { const x = 1; return { tags: 'a' }; }",
        )
        .unwrap();
        assert_eq!(named.values["tags"], "a");
        let param = exported_object("module.exports = data => ({ tags: 'b' });").unwrap();
        assert_eq!(param.values["tags"], "b");
        // Two ways out, or a value built elsewhere: nothing to read.
        assert_eq!(
            exported_object(
                "export default function (d) { if (d) { return { a: 1 }; } return { a: 2 }; }"
            ),
            None
        );
        assert_eq!(
            exported_object("export default function () { return { a: 1 }; return { b: 2 }; }"),
            None
        );
        assert_eq!(
            exported_object("export default async function () { return fetchAll(); }"),
            None
        );
        assert_eq!(exported_object("export default () => 42;"), None);
    }

    #[test]
    fn what_is_not_an_object_is_nothing() {
        assert_eq!(exported_object("const a = 1;"), None);
        assert_eq!(exported_object("export default { a: 'unclosed };"), None);
        // A named object exported below its declaration.
        let named =
            exported_object("const data = { tags: 'posts', f: x() };\nexport default data;")
                .unwrap();
        assert_eq!(Value::Object(named.values), json!({"tags": "posts"}));
        assert_eq!(named.computed, ["f"]);
    }

    #[test]
    fn a_plugins_options() {
        let config = r#"import { feedPlugin } from "@11ty/eleventy-plugin-rss";
export default async function(eleventyConfig) {
	eleventyConfig.addPlugin(pluginSyntaxHighlight, { preAttributes: { tabindex: 0 } });
	eleventyConfig.addPlugin(feedPlugin, {
		type: "atom", // or "rss", "json"
		outputPath: "/feed/feed.xml",
		collection: { name: "posts", limit: 10, },
		metadata: { language: "en", title: site.title, base: "https://example.com/", author: { name: "Your Name" } }
	});
};"#;
        let options = plugin_options(config, "feedPlugin").unwrap();
        let options = Value::Object(options.values);
        assert_eq!(options.pointer("/collection/limit"), Some(&json!(10)));
        assert_eq!(
            options.pointer("/outputPath"),
            Some(&json!("/feed/feed.xml"))
        );
        assert_eq!(
            options.pointer("/metadata/author/name"),
            Some(&json!("Your Name"))
        );
        assert_eq!(options.pointer("/metadata/title"), None);
        let computed = plugin_options(config, "feedPlugin").unwrap().computed;
        assert_eq!(computed, ["metadata.title"]);
        let property = plugin_options(
            "eleventyConfig.addPlugin(rss.feedPlugin, { type: 'rss' });",
            "feedPlugin",
        )
        .unwrap();
        assert_eq!(property.values["type"], "rss");
        assert_eq!(
            plugin_options(
                "eleventyConfig.addPlugin(feedPlugin, options);",
                "feedPlugin"
            ),
            None
        );
        assert_eq!(plugin_options(config, "otherPlugin"), None);
    }

    #[test]
    fn front_matter_declarations_or_an_object() {
        let read = front_matter(
            "const title = \"This is a fifth post\";\nconst date = \"2023-01-23\"\nlet draft = true, n = 3;\nfunction helper() { const inner = 1; return inner; }\nconst nav = { key: 'About', order: 3 };\nconst when = new Date();\n",
        )
        .unwrap();
        assert_eq!(
            Value::Object(read.values),
            json!({"title": "This is a fifth post", "date": "2023-01-23", "draft": true, "n": 3, "nav": {"key": "About", "order": 3}})
        );
        assert_eq!(read.computed, ["helper", "when"]);

        let object = front_matter("{\n  title: 'Dogs', layout: \"layout.njk\"\n}\n").unwrap();
        assert_eq!(
            Value::Object(object.values),
            json!({"title": "Dogs", "layout": "layout.njk"})
        );
    }

    #[test]
    fn strings_as_javascript_reads_them() {
        let read = front_matter(
            r#"const a = "tab\there \u00e9 \u{1F600} \ud83d\ude00 \x41 \'q\'"; const b = `two
lines`;"#,
        )
        .unwrap();
        assert_eq!(read.values["a"], "tab\there é 😀 😀 A 'q'");
        assert_eq!(read.values["b"], "two\nlines");
    }

    #[test]
    fn hostile_input_is_nothing_not_a_panic() {
        for source in [
            "export default {",
            "export default [[[[",
            "`${",
            "'\\u{zz}'",
            "/*",
            "export default {a: -}",
            "x = /[/",
        ] {
            let _ = exported_object(source);
            let _ = front_matter(source);
        }
        let deep = format!("export default {}{}", "{a:".repeat(200), "}".repeat(200));
        assert_eq!(exported_object(&deep), None);
    }

    #[test]
    fn collections_made_by_path_or_by_tag() {
        let config = r#"
module.exports = function (config) {
  const livePosts = (post) => post.date <= now && !post.data.draft;
  config.addCollection('posts', (collection) => {
    return [...collection.getFilteredByGlob('./src/posts/*.md').filter(livePosts)].reverse();
  });
  config.addCollection("notes", (c) => c.getFilteredByGlob(["notes/*.md", "more/*.md"]));
  config.addCollection("tagged", (c) => c.getFilteredByTag("post"));
  config.addCollection("both", (c) => c.getFilteredByTag("a").concat(c.getAll()));
  config.addCollection("joined", (c) => [...c.getFilteredByTag("post"), ...c.getFilteredByTag("snap")].sort((a, b) => a.date - b.date));
  config.addCollection("joinedFiltered", (c) => c.getFilteredByTag("a").concat(c.getFilteredByTag("b")).filter(live));
  config.addCollection("joinedComputed", (c) => c.getFilteredByTag("a").concat(c.getFilteredByTag(other)));
  config.addCollection("computed", (c) => c.getFilteredByGlob(folder + "/*.md"));
  config.addCollection("articles", (c) => c.getFilteredByGlob(CONTENT_GLOBS.posts).filter(live));
  config.addCollection("links", (c) => c.getFilteredByGlob(LINKS));
  config.addCollection("unknown", (c) => c.getFilteredByGlob(CONTENT_GLOBS.missing));
  config.addCollection("imported", postsCollection);
  config.addCollection("byPath", function(collection) {
    return collection.getAllSorted().filter(function(item) {
      return item.inputPath.match(/^\.\/posts\//) !== null;
    });
  });
  config.addCollection("byStart", (c) => c.getAll().filter((p) => p.inputPath.startsWith("./notes/")));
  config.addCollection("notPath", (c) => c.getAll().filter((p) => p.inputPath.match(/^\.\/posts\//) === null));
  config.addCollection("wild", (c) => c.getAll().filter((p) => p.inputPath.match(/^\.\/po.ts\//)));
  config.addCollection("negated", (c) => c.getAll().filter((p) => !p.inputPath.startsWith("./drafts/")));
};
const CONTENT_GLOBS = { posts: 'src/posts/**/*.md', notes: 'src/notes/*.md' };
const LINKS = "src/links/*.md";
"#;
        let module = Module::parse(config).unwrap();
        let files =
            |globs: &[&str]| CollectionSource::Files(globs.iter().map(|g| g.to_string()).collect());
        assert_eq!(
            module.collection_source("posts"),
            Some((files(&["./src/posts/*.md"]), true))
        );
        assert_eq!(
            module.collection_source("notes"),
            Some((files(&["notes/*.md", "more/*.md"]), false))
        );
        assert_eq!(
            module.collection_source("tagged"),
            Some((CollectionSource::Tags(vec!["post".into()]), false))
        );
        assert_eq!(module.collection_source("both"), None);
        let tags =
            |tags: &[&str]| CollectionSource::Tags(tags.iter().map(|t| t.to_string()).collect());
        assert_eq!(
            module.collection_source("joined"),
            Some((tags(&["post", "snap"]), false))
        );
        assert_eq!(
            module.collection_source("joinedFiltered"),
            Some((tags(&["a", "b"]), true))
        );
        assert_eq!(module.collection_source("joinedComputed"), None);
        assert_eq!(module.collection_source("computed"), None);
        // A function named, written elsewhere: followed by the caller.
        assert_eq!(module.collection_source("imported"), None);
        assert_eq!(
            module.collection_function("imported"),
            Some(Function::Named {
                object: None,
                name: "postsCollection".into()
            })
        );
        // A constant of the module's (maxboeck/mxb's `CONTENT_GLOBS.posts`).
        assert_eq!(
            module.collection_source("articles"),
            Some((files(&["src/posts/**/*.md"]), true))
        );
        assert_eq!(
            module.collection_source("links"),
            Some((files(&["src/links/*.md"]), false))
        );
        assert_eq!(module.collection_source("unknown"), None);
        assert_eq!(module.collection_source("missing"), None);
        // Every page whose `inputPath` starts so (regenrek's blog).
        assert_eq!(
            module.collection_source("byPath"),
            Some((files(&["./posts/**"]), false))
        );
        assert_eq!(
            module.collection_source("byStart"),
            Some((files(&["./notes/**"]), false))
        );
        for other in ["notPath", "wild", "negated"] {
            assert_eq!(module.collection_source(other), None, "{other}");
        }
    }

    /// A permalink function returning a template literal of the page's
    /// data is the permalink string Eleventy would render alike; any other
    /// function is computed.
    #[test]
    fn permalink_functions_of_the_pages_data() {
        let permalink = |source: &str| {
            let read = exported_object(source).unwrap();
            (read.values.get("permalink").cloned(), read.computed)
        };
        let pattern = |p: &str| (Some(Value::String(p.into())), Vec::<String>::new());
        assert_eq!(
            permalink("export default { permalink: function({page}) {\n  return `/web/${ page.fileSlug }/`\n}, tags: ['x'] }"),
            pattern("/web/{{ page.fileSlug }}/")
        );
        assert_eq!(
            permalink("module.exports = { permalink: (data) => `/n/${data.page.date}/${data.title}.html` };"),
            pattern("/n/{{ page.date }}/{{ title }}.html")
        );
        assert_eq!(
            permalink("export default { permalink({ page }) { return `/m/${page.fileSlug}/`; } }"),
            pattern("/m/{{ page.fileSlug }}/")
        );
        assert_eq!(
            permalink("export default { permalink: data => `/a/${data.page.fileSlug}/` }"),
            pattern("/a/{{ page.fileSlug }}/")
        );
        // A function that gives the same string whatever the page.
        assert_eq!(
            permalink("export default { permalink() { return \"/only/\"; } }"),
            pattern("/only/")
        );
        let computed = |source: &str| {
            let (value, computed) = permalink(source);
            assert_eq!(value, None, "{source}");
            assert_eq!(computed, ["permalink"], "{source}");
        };
        computed("export default { permalink: (data) => `/a/${slugify(data.title)}/` }");
        computed("export default { permalink: (data) => `/a/${other.title}/` }");
        computed("export default { permalink: ({page}) => `/a/${title}/` }");
        computed("export default { permalink: (data) => { if (data.x) { return `/x/`; } return `/a/${data.y}/`; } }");
        computed("export default { permalink: (data) => `/{{ a }}/${data.y}/` }");
        computed("export default { permalink: (data) => `/a/${data.y}/`.toLowerCase() }");
    }

    /// Shortcodes as personal sites write them (thepugautomatic.com's
    /// `filename`): a template literal of their parameters, read; anything
    /// computed, not.
    #[test]
    fn shortcodes_that_give_a_template_of_their_parameters() {
        let config = r#"
module.exports = function (eleventyConfig) {
  eleventyConfig.addShortcode("filename", filename => {
    // The newlines avoid breaking Markdown.
    return `<div class="code-filename">${filename}</div>\n\n`;
  });
  eleventyConfig.addShortcode("year", () => `${new Date().getFullYear()}`);
  eleventyConfig.addShortcode("hr", () => "<hr>");
  eleventyConfig.addPairedShortcode("callout", function (content, kind = "note") {
    return `<aside class="${kind}">${content}</aside>`;
  });
  eleventyConfig.addPairedShortcode("twice", (content) => `${content}${content}`);
  eleventyConfig.addShortcode("image", async (src) => { const x = await f(src); return `${x}`; });
  eleventyConfig.addShortcode("named", youtube);
};
"#;
        let module = Module::parse(config).unwrap();
        let added = module.added_shortcodes();
        let names: Vec<(&str, bool)> = added.iter().map(|(n, p, _)| (n.as_str(), *p)).collect();
        assert_eq!(
            names,
            [
                ("filename", false),
                ("year", false),
                ("hr", false),
                ("image", false),
                ("named", false),
                ("callout", true),
                ("twice", true)
            ]
        );
        let template = |name: &str| {
            let (_, _, function) = added.iter().find(|(n, _, _)| n == name).unwrap();
            module.template_function(function)
        };
        let args = |list: &[&str]| list.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(
            template("filename").unwrap().apply(&args(&["x.rb"])),
            "<div class=\"code-filename\">x.rb</div>\n\n"
        );
        assert_eq!(
            template("filename").unwrap().apply(&[]),
            "<div class=\"code-filename\">undefined</div>\n\n"
        );
        assert_eq!(template("hr").unwrap().apply(&[]), "<hr>");
        let callout = template("callout").unwrap();
        assert_eq!(
            callout.around_first(&[]),
            Some(("<aside class=\"note\">".into(), "</aside>".into()))
        );
        assert_eq!(
            callout.around_first(&args(&["tip"])),
            Some(("<aside class=\"tip\">".into(), "</aside>".into()))
        );
        assert_eq!(template("twice").unwrap().around_first(&[]), None);
        for computed in ["year", "image", "named"] {
            assert_eq!(template(computed), None, "{computed}");
        }
    }

    /// A collection made by a function of the module's that it calls
    /// (zachleat.com's `feedPosts` from `getPosts`), followed one call deep.
    #[test]
    fn a_collection_made_through_a_helper_function() {
        let config = r#"
function getPosts(collectionApi) {
  return collectionApi.getFilteredByGlob("./_posts/**/*.{md,html}").reverse();
}
function twice(c) { return c.getFilteredByTag("a").concat(c.getFilteredByTag("b")); }
export default function (eleventyConfig) {
  eleventyConfig.addCollection("feedPosts", function(collection) {
    return getPosts(collection).reverse().filter(function(item) { return !item.data.deprecated; });
  });
  eleventyConfig.addCollection("plain", (c) => getPosts(c));
  eleventyConfig.addCollection("both", (c) => twice(c));
  eleventyConfig.addCollection("two", (c) => getPosts(c).concat(twice(c)));
  eleventyConfig.addCollection("indexed", (c) => {
    const posts = getPosts(c);
    posts.forEach((post) => { if (post.url) { lookup.set(post.url, post); } });
    return posts;
  });
};
"#;
        let module = Module::parse(config).unwrap();
        let files = CollectionSource::Files(vec!["./_posts/**/*.{md,html}".into()]);
        assert_eq!(
            module.collection_source("feedPosts"),
            Some((files.clone(), true))
        );
        assert_eq!(
            module.collection_source("plain"),
            Some((files.clone(), false))
        );
        let newest = Module::parse(
            "module.exports = (c) => {\n  c.addCollection(\"feed\", function (collection) {\n    const all = [...collection.getFilteredByGlob(\"./posts/*.md\")].sort(byDate);\n    return all.filter(shown).slice(Math.max(all.length - 50, 1)).reverse();\n  });\n  c.addCollection(\"recent\", (c) => c.getFilteredByTag(\"post\").slice(-5));\n  c.addCollection(\"first\", (c) => c.getFilteredByTag(\"post\").slice(0, 5));\n};\n",
        )
        .unwrap();
        let kept = |name: &str| newest.newest_kept(&newest.collection_function(name).unwrap());
        assert_eq!(kept("feed"), Some(50));
        assert_eq!(kept("recent"), Some(5));
        assert_eq!(kept("first"), None);
        // andreabergia.com's: the posts indexed by URL on the way, with an
        // `if (…) {…}` that is no helper function.
        assert_eq!(module.collection_source("indexed"), Some((files, false)));
        // Two tags joined in the helper: the pages of either.
        let joined = CollectionSource::Tags(vec!["a".into(), "b".into()]);
        assert_eq!(module.collection_source("both"), Some((joined, false)));
        assert_eq!(module.collection_source("two"), None);
    }
}
