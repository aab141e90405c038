//! The only place that names the YAML crate.
//!
//! `yaml_serde` is the YAML organization's maintained fork of `serde_yaml`
//! (archived upstream). `scripts/yaml_choice` chose it: the same values as
//! `serde_yaml` on the example site, the fixtures, a 10,000-post corpus and
//! YAML's corner cases, at the same speed; the pure-Rust `yaml-rust2` was a
//! quarter faster but read `Null` as a string, dropped a `null` key and
//! refused duplicate keys.

use serde_json::Value;

/// A YAML problem; `line` and `column` are 1-based within the text given
/// to [`parse`].
#[derive(Debug)]
pub(crate) struct YamlError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

/// Parses YAML into a JSON value, the neutral shape the rest of gazette uses.
///
/// The crate follows YAML 1.2: `yes`/`no` and unquoted dates arrive as
/// strings, which the publish and date rules read as such.
pub(crate) fn parse(text: &str) -> Result<Value, YamlError> {
    // A byte order mark opens many files saved on Windows; the YAML parser
    // reads one as the start of a second document (Ruby's, which Jekyll
    // uses, reads it as nothing).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Straight into JSON values: a third of a cold build is this function,
    // and the crate's own value tree doubles its allocations. Front matter
    // that JSON cannot hold as it is (a number or boolean as a key, a tag)
    // takes the way through that tree, which converts it.
    if let Ok(value) = yaml_serde::from_str::<Value>(text) {
        return Ok(value);
    }
    let value: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| YamlError {
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
        // The crate appends "at line X column Y"; we report the file's line instead.
        message: strip_location(&e.to_string()),
    })?;
    Ok(to_json(value))
}

/// YAML text of a value (a new post's front matter), without the `---`.
pub(crate) fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    yaml_serde::to_string(value).map_err(|e| e.to_string())
}

fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn to_json(value: yaml_serde::Value) -> Value {
    use yaml_serde::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (key_string(k), to_json(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => to_json(tagged.value),
    }
}

/// Mapping keys such as `2025: x` or `true: y` are kept under their text.
fn key_string(key: yaml_serde::Value) -> String {
    match key {
        yaml_serde::Value::String(s) => s,
        other => yaml_serde::to_string(&other)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_no_second_document() {
        let value = parse("\u{feff}title: T\nurl: https://e.org\n").unwrap();
        assert_eq!(value["title"], "T");
    }

    #[test]
    fn the_direct_way_and_the_converting_way_agree() {
        let text = "title: 'A: b'\ndate: 2025-05-01\ndraft: no\ncount: 3\nratio: 1.5\ntags:\n- a\n- b\nnested:\n  x: [1, 2]\nempty:\n";
        let direct = parse(text).ok().unwrap();
        let converted = to_json(yaml_serde::from_str(text).unwrap());
        assert_eq!(direct, converted);
        // JSON has no number keys or tags: these take the converting way.
        let odd = parse("2025: year\ntrue: yes\nvalue: !custom 5\n")
            .ok()
            .unwrap();
        assert_eq!(odd["2025"], "year");
        assert_eq!(odd["true"], "yes");
        assert_eq!(odd["value"], 5);
    }
}
