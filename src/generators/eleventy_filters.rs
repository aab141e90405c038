//! An Eleventy site's own date filters, where its config defines one as a
//! Luxon format of the date (`addFilter("slugDate", d =>
//! DateTime.fromJSDate(d, { zone: "utc" }).toFormat("y/MM"))`), as sites
//! do for the dates in their permalinks. Only that literal shape is read:
//! a filter computing otherwise is code gazette does not run.

use serde_json::{Map, Value};

/// The names of Eleventy's config files, in the order Eleventy looks.
pub const CONFIG_FILES: [&str; 4] = [
    "eleventy.config.js",
    "eleventy.config.mjs",
    "eleventy.config.cjs",
    ".eleventy.js",
];

/// Each date filter the config `script` defines as a literal Luxon format:
/// the filter's name → its format (the format a parameter defaults to,
/// `toFormat(format || "dd LLL yyyy")`, for a filter that takes one).
pub fn date_filters(script: &str) -> Map<String, Value> {
    let mut filters = Map::new();
    let (Ok(start), Ok(body)) = (
        regex::Regex::new(r#"add(?:Nunjucks|Liquid|JavaScript)?Filter\(\s*["'`]([\w$]+)["'`]"#),
        regex::Regex::new(
            r#"^\s*,[^;{}]*?(?:\{\s*return\s+)?DateTime\s*\.\s*fromJSDate\(\s*\w+\s*(?:,\s*\{[^{}]*\})?\s*\)\s*\.\s*toFormat\(\s*(?:\w+\s*\|\|\s*)?["'`]([^"'`]+)["'`]\s*\)"#,
        ),
    ) else {
        return filters;
    };
    for found in start.captures_iter(script) {
        let (Some(name), Some(whole)) = (found.get(1), found.get(0)) else {
            continue;
        };
        let Some(defined) = body.captures(&script[whole.end()..]) else {
            continue;
        };
        // Not a later filter's body, in a config written without `;`.
        if defined[0].contains("Filter(") {
            continue;
        }
        if let Some(format) = defined.get(1) {
            let format = format.as_str().to_string();
            filters.insert(name.as_str().to_string(), Value::String(format));
        }
    }
    filters
}

/// A Luxon format (`yyyy/LL/dd`, `y/MM`) as a `strftime` one, for the
/// tokens of dates: years, months, days, hours, minutes, seconds and their
/// names; text in single quotes is literal. None for a token it does not
/// know, rather than a wrong URL.
pub fn luxon_to_strftime(format: &str) -> Option<String> {
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let end = chars[i + 1..].iter().position(|&q| q == '\'')? + i + 1;
            out.extend(
                chars[i + 1..end]
                    .iter()
                    .map(|&q| q.to_string().replace('%', "%%")),
            );
            i = end + 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        let token: String = chars[i..i + run].iter().collect();
        let mapped = match token.as_str() {
            "y" | "yyyy" => "%Y",
            "yy" => "%y",
            "M" | "L" => "%-m",
            "MM" | "LL" => "%m",
            "MMM" | "LLL" => "%b",
            "MMMM" | "LLLL" => "%B",
            "d" => "%-d",
            "dd" => "%d",
            "H" => "%-H",
            "HH" => "%H",
            "m" => "%-M",
            "mm" => "%M",
            "s" => "%-S",
            "ss" => "%S",
            "ccc" | "EEE" => "%a",
            "cccc" | "EEEE" => "%A",
            _ if c.is_ascii_alphabetic() => return None,
            _ => {
                out.push_str(&token.replace('%', "%%"));
                i += run;
                continue;
            }
        };
        out.push_str(mapped);
        i += run;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_luxon_filters_are_read_and_others_are_not() {
        let script = r#"
  eleventyConfig.addFilter("humanDate", dateObj => {
    return DateTime.fromJSDate(dateObj, { zone: "utc" }).
      toFormat("LLLL d, y");
  });
  eleventyConfig.addFilter("slugDate", dateObj => {
    return DateTime.fromJSDate(dateObj, { zone: "utc" }).
      toFormat("y/MM");
  });
  eleventyConfig.addFilter("limit", (array, count) => array.slice(0, count));
  eleventyConfig.addNunjucksFilter('readableDate', (dateObj, format, zone) => {
    return DateTime.fromJSDate(dateObj, { zone: zone || "utc" }).toFormat(format || "dd LLLL yyyy");
  });
  eleventyConfig.addFilter("year", () => new Date().getFullYear());
  eleventyConfig.addFilter("iso", d => DateTime.fromJSDate(d).toISO());
"#;
        let filters = date_filters(script);
        let read: Vec<(&str, &str)> = filters
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
            .collect();
        assert_eq!(
            read,
            [
                ("humanDate", "LLLL d, y"),
                ("readableDate", "dd LLLL yyyy"),
                ("slugDate", "y/MM")
            ]
        );
    }

    #[test]
    fn luxon_tokens_become_strftime() {
        assert_eq!(luxon_to_strftime("y/MM").as_deref(), Some("%Y/%m"));
        assert_eq!(luxon_to_strftime("yyyy/LL/dd").as_deref(), Some("%Y/%m/%d"));
        assert_eq!(
            luxon_to_strftime("d 'de' LLLL, y").as_deref(),
            Some("%-d de %B, %Y")
        );
        assert_eq!(luxon_to_strftime("100%").as_deref(), Some("100%%"));
        assert_eq!(luxon_to_strftime("kkkk"), None);
    }
}
