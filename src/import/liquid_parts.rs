//! Liquid values as a Jekyll template joins them: literal text, values of
//! `site` and keys of the post's, through `{{ … }}`, `append`, `prepend`
//! and `{% assign %}`. `init` reads what a site's own feed template writes
//! before a post's key (an enclosure's address, an entry's id) without
//! running Liquid.

use std::collections::HashMap;

/// One part of a Liquid value: a literal text, a value of `site`, or a
/// key of the post's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    Text(String),
    Site(String),
    Post(String),
}

/// The template's `{% assign NAME = … %}`s, each as the parts it joins.
pub(crate) fn assignments(template: &str) -> HashMap<String, Vec<Part>> {
    let Ok(assign) = regex::Regex::new(r"\{%-?\s*assign\s+(\w+)\s*=\s*(.*?)\s*-?%\}") else {
        return HashMap::new();
    };
    assign
        .captures_iter(template)
        .filter_map(|c| Some((c[1].to_string(), chain(&c[2])?)))
        .collect()
}

/// A Liquid expression of `append` and `prepend` filters (`site.real_url |
/// append: "/attachments/" | append: post.media_url`) as its parts in order.
fn chain(expression: &str) -> Option<Vec<Part>> {
    let mut steps = expression.split('|').map(str::trim);
    let mut parts = vec![operand(steps.next()?)?];
    for step in steps {
        let (filter, argument) = step.split_once(':')?;
        let argument = operand(argument.trim())?;
        match filter.trim() {
            "append" => parts.push(argument),
            "prepend" => parts.insert(0, argument),
            _ => return None,
        }
    }
    Some(parts)
}

fn operand(text: &str) -> Option<Part> {
    let quoted = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')));
    if let Some(literal) = quoted {
        return Some(Part::Text(literal.to_string()));
    }
    let word = |rest: &str| {
        (!rest.is_empty() && rest.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .then(|| rest.to_string())
    };
    if let Some(key) = text.strip_prefix("site.") {
        return word(key).map(Part::Site);
    }
    text.strip_prefix("post.").and_then(word).map(Part::Post)
}

/// An attribute's value as parts: its text and its `{{ … }}`s, a variable
/// the template assigned standing for what it joins.
pub(crate) fn parts(value: &str, assigned: &HashMap<String, Vec<Part>>) -> Vec<Part> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Part::Text(rest[..start].to_string()));
        }
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        let inner = rest[start + 2..start + end].trim_matches('-').trim();
        match assigned.get(inner) {
            Some(joined) => out.extend(joined.iter().cloned()),
            None => match chain(inner) {
                Some(joined) => out.extend(joined),
                None => out.push(Part::Text(format!("{{{{{inner}}}}}"))),
            },
        }
        rest = &rest[start + end + 2..];
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest.to_string()));
    }
    out
}
