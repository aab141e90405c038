//! An Eleventy site's own filters that its permalinks use: date filters
//! its config defines as a Luxon format of the date (`addFilter("slugDate",
//! d => DateTime.fromJSDate(d, { zone: "utc" }).toFormat("y/MM"))`), and
//! slug filters that call an npm slug package with literal options. Only
//! those literal shapes are read: a filter computing otherwise is code
//! gazette does not run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::js_literal::{Function, Module, PackageCall, TemplateFunction};
use super::js_modules::SiteModules;
use super::npm_slugs::{self, SlugFilter};

/// Each date filter the config `script` defines as a literal Luxon format:
/// the filter's name → its format (the format a parameter defaults to,
/// `toFormat(format || "dd LLL yyyy")`, for a filter that takes one).
pub fn date_filters(script: &str) -> Map<String, Value> {
    let mut filters = Map::new();
    let (Ok(start), Ok(body)) = (
        regex::Regex::new(r#"add(?:Nunjucks|Liquid|JavaScript)?Filter\(\s*["'`]([\w$]+)["'`]"#),
        regex::Regex::new(
            r#"^\s*,[^;{}]*?(?:\{\s*return\s+)?DateTime\s*\.\s*fromJSDate\(\s*(?:new\s+Date\(\s*\w+\s*\)|\w+)\s*(?:,\s*\{[^{}]*\})?\s*\)\s*\.\s*toFormat\(\s*(?:\w+\s*\|\|\s*)?["'`]([^"'`]+)["'`]\s*\)"#,
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
    for found in start.captures_iter(script) {
        let (Some(name), Some(whole)) = (found.get(1), found.get(0)) else {
            continue;
        };
        if filters.contains_key(name.as_str()) {
            continue;
        }
        let Some(body) = braced_body(&script[whole.end()..]) else {
            continue;
        };
        if let Some(format) = date_getters_format(body) {
            filters.insert(name.as_str().to_string(), Value::String(format));
        }
    }
    for (name, default) in moment_filters(script) {
        let mut moment = Map::new();
        moment.insert("moment".into(), Value::String(default));
        filters.entry(name).or_insert(Value::Object(moment));
    }
    filters
}

/// The filters that format a date with moment (or day.js) in the format
/// the template gives, `addFilter("date", (date, format = "") =>
/// require("moment")(date).format(format))`: each name with the format a
/// parameter defaults to (empty where none).
fn moment_filters(script: &str) -> Vec<(String, String)> {
    let Ok(filter) = regex::Regex::new(concat!(
        r#"add(?:Nunjucks|Liquid|JavaScript)?Filter\(\s*["'`]([\w$]+)["'`]\s*,\s*(?:function\s*)?"#,
        r#"\(\s*([\w$]+)\s*,\s*([\w$]+)\s*(?:=\s*["'`]([^"'`]*)["'`])?\s*\)\s*(?:=>)?\s*\{?\s*(?:return\s+)?"#,
        r#"(?:require\(\s*["'`](?:moment|dayjs)["'`]\s*\)|moment|dayjs)\(\s*([\w$]+)\s*\)\s*\.\s*format\(\s*([\w$]+)\s*\)"#,
    )) else {
        return Vec::new();
    };
    filter
        .captures_iter(script)
        .filter(|c| c[2] == c[5] && c[3] == c[6])
        .map(|c| {
            let default = c.get(4).map_or("", |m| m.as_str()).to_string();
            (c[1].to_string(), default)
        })
        .collect()
}

/// The `strftime` format of a date filter of the site's (`date_filters`)
/// called with the format `given`, or with its own where none is given.
pub fn date_filter_strftime(filter: &Value, given: Option<&str>) -> Option<String> {
    match filter {
        Value::String(own) => luxon_to_strftime(given.unwrap_or(own)),
        Value::Object(moment) => {
            let own = moment
                .get("moment")
                .and_then(Value::as_str)
                .unwrap_or_default();
            moment_to_strftime(given.unwrap_or(own)).filter(|format| !format.is_empty())
        }
        _ => None,
    }
}

/// A moment.js format (`YYYY/MM/DD`, which day.js shares) as a `strftime`
/// one: years, months, days, hours, minutes, seconds and their names; text
/// in `[…]` is literal. None for a token it does not know.
pub fn moment_to_strftime(format: &str) -> Option<String> {
    to_strftime(format, ('[', ']'), |token| {
        Some(match token {
            "YYYY" => "%Y",
            "YY" => "%y",
            "M" => "%-m",
            "MM" => "%m",
            "MMM" => "%b",
            "MMMM" => "%B",
            "D" => "%-d",
            "DD" => "%d",
            "ddd" => "%a",
            "dddd" => "%A",
            other => return clock_token(other),
        })
    })
}

/// Each shortcode added (the first of a name wins) as the template its
/// function gives, where it gives one.
fn written_shortcodes(
    sources: &mut SiteModules<'_>,
    added: Vec<(PathBuf, String, bool, Function)>,
) -> HashMap<String, Option<(bool, TemplateFunction)>> {
    let mut shortcodes = HashMap::new();
    for (path, name, paired, function) in added {
        if shortcodes.contains_key(&name) {
            continue;
        }
        let template = sources
            .written(&path, function)
            .and_then(|(path, function)| sources.module(&path)?.template_function(&function));
        shortcodes.insert(name, template.map(|template| (paired, template)));
    }
    shortcodes
}

/// The date filters of each module of filters the module at `path` (its
/// text `script`, its imports `imports`) registers whole: each a filter of
/// its property's name. The module is one of `code`, the config's modules
/// as already read.
fn whole_module_dates(
    sources: &SiteModules<'_>,
    code: &[(PathBuf, String)],
    (path, script): (&Path, &str),
    imports: &[(String, String)],
) -> Vec<(String, Value)> {
    registered_whole(script)
        .iter()
        .filter_map(|object| imports.iter().find(|(bound, _)| bound == object))
        .filter_map(|(_, specifier)| sources.imported(path, specifier))
        .filter_map(|target| code.iter().find(|(read, _)| *read == target))
        .flat_map(|(_, text)| exported_date_filters(text))
        .collect()
}

/// The objects a config registers every property of as a filter
/// (`Object.keys(filters).forEach((name) => { eleventyConfig.addFilter(name,
/// filters[name]); })`, alexcarpenter.me's).
fn registered_whole(script: &str) -> Vec<String> {
    let Ok(each) = regex::Regex::new(
        r"Object\.keys\(\s*([\w$]+)\s*\)\s*\.forEach\(\s*(?:function\s*)?\(?\s*([\w$]+)\s*\)?\s*(?:=>)?\s*\{?\s*[\w$]+\s*\.\s*add(?:Nunjucks|Liquid|JavaScript)?Filter\(\s*([\w$]+)\s*,\s*([\w$]+)\s*\[\s*([\w$]+)\s*\]",
    ) else {
        return Vec::new();
    };
    each.captures_iter(script)
        .filter(|c| c[2] == c[3] && c[2] == c[5] && c[1] == c[4])
        .map(|c| c[1].to_string())
        .collect()
}

/// The date filters an object of filters writes as its properties: a
/// function of one parameter that returns `DateTime.fromJSDate(…)
/// .toFormat("…")` of it, or of a variable it sets to a call of it
/// (`const date = parseDate(obj);`, a helper that makes a `Date` of it).
fn exported_date_filters(text: &str) -> Vec<(String, Value)> {
    let Ok(property) = regex::Regex::new(concat!(
        r"(?m)^\s*([\w$]+)\s*:\s*(?:function\s*\(\s*([\w$]+)\s*\)|\(?\s*([\w$]+)\s*\)?\s*=>)\s*\{?\s*",
        r"(?:(?:const|let|var)\s+([\w$]+)\s*=\s*[\w$]+\(\s*([\w$]+)\s*\)\s*;?\s*)?",
        r"(?:return\s+)?DateTime\s*\.\s*fromJSDate\(\s*([\w$]+)\s*\)\s*\.\s*toFormat\(\s*[\x22'`]([^\x22'`]+)[\x22'`]\s*\)",
    )) else {
        return Vec::new();
    };
    property
        .captures_iter(text)
        .filter_map(|c| {
            let parameter = c.get(2).or(c.get(3))?.as_str();
            let dated = c.get(6)?.as_str();
            let local = c.get(4).map(|m| m.as_str());
            let from_parameter = c.get(5).is_some_and(|m| m.as_str() == parameter);
            let of_it = dated == parameter || (local == Some(dated) && from_parameter);
            of_it.then(|| (c[1].to_string(), Value::String(c[7].to_string())))
        })
        .collect()
}

/// The `{…}` body of the function that follows a filter's name, up to its
/// matching brace; none for a function without one.
fn braced_body(after_name: &str) -> Option<&str> {
    let open = after_name.find('{')?;
    // The body of this filter's function, not of a later one.
    if after_name[..open].contains("Filter(") || after_name[..open].contains(';') {
        return None;
    }
    let mut depth = 0usize;
    for (at, c) in after_name[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&after_name[open + 1..open + at]);
                }
            }
            _ => {}
        }
    }
    None
}

/// A filter written with the date's own getters, as a Luxon format: each
/// part a `const` of one getter (`getFullYear()`, `getMonth() + 1`,
/// `getDate()`, `getHours()`, `getMinutes()`, their UTC forms), padded to
/// two digits or not, and a template literal of those parts returned
/// (michelenasti.com's `toISODate`: `${year}/${month}/${day}`). None for
/// anything else it computes.
fn date_getters_format(body: &str) -> Option<String> {
    let part = regex::Regex::new(concat!(
        r"(?:const|let|var)\s+(\w+)\s*=\s*(?:String\(\s*)?\w+\s*\.\s*get(?:UTC)?(FullYear|Month|Date|Hours|Minutes)\(\)",
        r"(\s*\+\s*1)?\s*\)?\s*(\.\s*padStart\(\s*2\s*,\s*['\x22`]0['\x22`]\s*\))?\s*;?",
    ))
    .ok()?;
    let returned = regex::Regex::new(r"return\s+`([^`]*)`\s*;?\s*$").ok()?;
    let mut tokens: HashMap<&str, &str> = HashMap::new();
    let mut rest = body.to_string();
    for found in part.captures_iter(body) {
        let padded = found.get(4).is_some();
        let token = match (&found[2], found.get(3).is_some(), padded) {
            ("FullYear", false, _) => "yyyy",
            ("Month", true, true) => "LL",
            ("Month", true, false) => "L",
            ("Date", false, true) => "dd",
            ("Date", false, false) => "d",
            ("Hours", false, true) => "HH",
            ("Minutes", false, true) => "mm",
            _ => return None,
        };
        tokens.insert(found.get(1)?.as_str(), token);
        rest = rest.replacen(found.get(0)?.as_str(), "", 1);
    }
    let found = returned.captures(rest.trim())?;
    // Nothing else is computed before the return.
    if !rest.trim().starts_with("return") {
        return None;
    }
    let mut format = String::new();
    let mut text = found.get(1)?.as_str();
    while let Some(start) = text.find("${") {
        let literal = &text[..start];
        let end = text[start..].find('}')? + start;
        let name = text[start + 2..end].trim();
        if !literal.is_empty() {
            (!literal.contains('\'')).then_some(())?;
            format.push_str(&format!("'{literal}'"));
        }
        format.push_str(tokens.get(name)?);
        text = &text[end + 1..];
    }
    if !text.is_empty() {
        (!text.contains('\'')).then_some(())?;
        format.push_str(&format!("'{text}'"));
    }
    (!tokens.is_empty()).then_some(format)
}

/// A Luxon format (`yyyy/LL/dd`, `y/MM`) as a `strftime` one, for the
/// tokens of dates: years, months, days, hours, minutes, seconds and their
/// names; text in single quotes is literal. None for a token it does not
/// know, rather than a wrong URL.
pub fn luxon_to_strftime(format: &str) -> Option<String> {
    to_strftime(format, ('\'', '\''), |token| {
        Some(match token {
            "y" | "yyyy" => "%Y",
            "yy" => "%y",
            "M" | "L" => "%-m",
            "MM" | "LL" => "%m",
            "MMM" | "LLL" => "%b",
            "MMMM" | "LLLL" => "%B",
            "d" => "%-d",
            "dd" => "%d",
            "ccc" | "EEE" => "%a",
            "cccc" | "EEEE" => "%A",
            other => return clock_token(other),
        })
    })
}

/// The tokens of the time of day, which Luxon and moment write alike.
fn clock_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "H" => "%-H",
        "HH" => "%H",
        "m" => "%-M",
        "mm" => "%M",
        "s" => "%-S",
        "ss" => "%S",
        _ => return None,
    })
}

/// A date format of runs of letters (each run one token, which `token`
/// maps, none for one it does not know) and other characters, kept, with
/// literal text between `quotes`, as a `strftime` format.
fn to_strftime(
    format: &str,
    quotes: (char, char),
    token: fn(&str) -> Option<&'static str>,
) -> Option<String> {
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == quotes.0 {
            let end = chars[i + 1..].iter().position(|&q| q == quotes.1)? + i + 1;
            out.extend(
                chars[i + 1..end]
                    .iter()
                    .map(|&q| q.to_string().replace('%', "%%")),
            );
            i = end + 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        let text: String = chars[i..i + run].iter().collect();
        if c.is_ascii_alphabetic() {
            out.push_str(token(&text)?);
        } else {
            out.push_str(&text.replace('%', "%%"));
        }
        i += run;
    }
    Some(out)
}

/// What an Eleventy config's filters mean to the permalinks that use
/// them: its date filters, and its slug filters, followed into the site's
/// own modules (eleventy-excellent's `addFilter("slugify",
/// filters.slugifyString)`, defined two imports away as a call of npm's
/// `slugify` with options).
#[derive(Debug, Default)]
pub struct SiteFilters {
    /// Date filters: name → Luxon format (`date_filters`).
    pub dates: Map<String, Value>,
    /// The site's own slug filters that gazette follows.
    slugs: HashMap<String, SlugFilter>,
    /// Why each slug filter of the site's that it does not follow is not
    /// followed; Eleventy's own stands in for it.
    pub unfollowed: Vec<String>,
    /// The site's shortcodes: each that gives a template literal of its
    /// parameters, with whether it is paired; none for one that computes
    /// otherwise, which gazette does not run.
    pub shortcodes: HashMap<String, Option<(bool, TemplateFunction)>>,
    /// The config and the modules of the site's it read them from.
    pub files: Vec<PathBuf>,
}

impl SiteFilters {
    /// The filters of the Eleventy config in `root`, if it has one.
    pub fn read(root: &Path) -> SiteFilters {
        let Some(config) = super::eleventy_config::config_file(root) else {
            return SiteFilters::default();
        };
        // The config and the site's modules it imports, each read once:
        // for their date filters, and as the modules slug filters are
        // followed through (a plugin of the site's own may add them).
        let Ok(script) = std::fs::read_to_string(&config) else {
            return SiteFilters::default();
        };
        let code = super::eleventy_config::modules(root, &config, script);
        let Some(module) = code.first().and_then(|(_, script)| Module::parse(script)) else {
            return SiteFilters::default();
        };
        let mut sources = SiteModules::new(root, &config, module);
        for (path, text) in code.iter().skip(1) {
            sources.insert(path, text);
        }
        // The config's own filter wins over one a module of its adds.
        let mut dates = Map::new();
        let mut added = Vec::new();
        let mut shortcodes_added = Vec::new();
        for (path, script) in &code {
            let packages = sources.module(path).map(Module::imports);
            let whole = packages
                .as_deref()
                .map(|imports| whole_module_dates(&sources, &code, (path, script), imports));
            for (name, format) in date_filters(script)
                .into_iter()
                .chain(whole.into_iter().flatten())
            {
                dates.entry(name).or_insert(format);
            }
            let (Some(packages), Some(module)) = (packages, sources.module(path)) else {
                continue;
            };
            for (name, function) in module.added_filters() {
                if !added.iter().any(|(_, _, known, _)| *known == name) {
                    added.push((path.clone(), packages.clone(), name, function));
                }
            }
            for (name, paired, function) in module.added_shortcodes() {
                shortcodes_added.push((path.clone(), name, paired, function));
            }
        }
        let shortcodes = written_shortcodes(&mut sources, shortcodes_added);
        let mut slugs = HashMap::new();
        let mut unfollowed = Vec::new();
        for (path, packages, name, function) in added {
            // The package's own function: `addFilter("slug", slugify)`.
            let package = match &function {
                Function::Named { object: None, name } => packages
                    .iter()
                    .find(|(bound, module)| {
                        bound == name && npm_slugs::PACKAGES.contains(&module.as_str())
                    })
                    .map(|(_, package)| PackageCall {
                        package: package.clone(),
                        options: Ok(Map::new()),
                        lowercased: false,
                    }),
                _ => None,
            };
            let call = package.or_else(|| {
                let (path, function) = sources.written(&path, function)?;
                sources
                    .module(&path)?
                    .package_call(&function, &npm_slugs::PACKAGES)
            });
            let filter = match call {
                Some(call) => call.options.and_then(|mut options| {
                    if call.lowercased {
                        options.insert("lower".into(), Value::Bool(true));
                    }
                    SlugFilter::new(&call.package, &options)
                }),
                // Only a filter by a slug filter's name is known to slug.
                None if name == "slugify" || name == "slug" => {
                    Err("it is code gazette does not run".to_string())
                }
                None => continue,
            };
            match filter {
                Ok(filter) => {
                    slugs.insert(name, filter);
                }
                Err(why) => {
                    // Where the filter is added, as the site's own file.
                    let shown = path.strip_prefix(root).unwrap_or(&path).display();
                    unfollowed.push(format!(
                        "{shown}: the site's `{name}` filter: {why}, so Eleventy's own is applied"
                    ));
                }
            }
        }
        SiteFilters {
            dates,
            slugs,
            unfollowed,
            shortcodes,
            files: sources.into_read(),
        }
    }

    /// The slug filter `name` as a permalink uses it: the site's own, else
    /// Eleventy's `slugify` or `slug`; None for no slug filter.
    pub fn slug(&self, name: &str) -> Option<SlugFilter> {
        match self.slugs.get(name) {
            Some(filter) => Some(filter.clone()),
            None if name == "slugify" => Some(SlugFilter::eleventy_slugify()),
            None if name == "slug" => Some(SlugFilter::eleventy_slug()),
            None => None,
        }
    }
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
  eleventyConfig.addFilter('toUTCDatePath', (date) => {
    return DateTime.fromJSDate(new Date(date), { zone: 'utc' }).toFormat('yyyy/MM/dd/');
  });
  eleventyConfig.addFilter('toISODate', (dateObj) => {
    const year = dateObj.getFullYear();
    const month = String(dateObj.getMonth() + 1).padStart(2, '0');
    const day = String(dateObj.getDate()).padStart(2, '0');
    return `${year}/${month}/${day}`;
  });
  eleventyConfig.addFilter('monthDay', (d) => {
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    return `${month}-${day}.html`;
  });
  eleventyConfig.addFilter('shifted', (d) => {
    const year = d.getFullYear();
    const month = d.getMonth();
    return `${year}/${month}`;
  });
  eleventyConfig.addFilter('more', (d) => {
    const year = d.getFullYear();
    console.log(year);
    return `${year}`;
  });
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
                ("monthDay", "L'-'d'.html'"),
                ("readableDate", "dd LLLL yyyy"),
                ("slugDate", "y/MM"),
                ("toISODate", "yyyy'/'LL'/'dd"),
                ("toUTCDatePath", "yyyy/MM/dd/")
            ]
        );
    }

    /// rthaut's site: Liquid's `date` replaced by moment's `format`, the
    /// format given in the permalink (`page.date | date: 'YYYY/MM/DD'`).
    #[test]
    fn moment_date_filters_take_the_format_they_are_given() {
        let script = "config.addFilter('date', (date, format = '') => require('moment')(date).format(format));\nconfig.addFilter('day', function (d, f = 'D MMM') { return dayjs(d).format(f) });\nconfig.addFilter('odd', (d, f) => moment(other).format(f));\n";
        let filters = date_filters(script);
        let mut names: Vec<&str> = filters.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["date", "day"]);
        let format = |name: &str, given| date_filter_strftime(&filters[name], given);
        assert_eq!(
            format("date", Some("YYYY/MM/DD")).as_deref(),
            Some("%Y/%m/%d")
        );
        assert_eq!(format("date", None), None, "no format at all");
        assert_eq!(format("day", None).as_deref(), Some("%-d %b"));
        assert_eq!(
            format("date", Some("Do MMM")),
            None,
            "an ordinal is not read"
        );
        assert_eq!(
            moment_to_strftime("[week] YYYY-MM").as_deref(),
            Some("week %Y-%m")
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

    use crate::generators::site_of as site;

    #[test]
    fn filters_a_plugin_of_the_sites_own_adds_are_read() {
        // nathan-smith.org's shape: the config adds the site's own plugins
        // from modules beside it, one of which adds the filters.
        let dir = site(&[
            (
                ".eleventy.ts",
                "import registerPlugins from \"./config/plugins\";\nexport default function (config: EleventyConfig) { registerPlugins(config); }\n",
            ),
            (
                "package.json",
                r#"{"scripts": {"build": "tsx node_modules/@11ty/eleventy/cmd.cjs --config=.eleventy.ts"}}"#,
            ),
            (
                "config/plugins.ts",
                "import { registerFilters } from \"./filters.js\";\nexport default function (config: EleventyConfig) { config.addPlugin(registerFilters); }\n",
            ),
            (
                "config/filters.ts",
                "import slugify from \"slugify\";\nimport { DateTime } from \"luxon\";\nexport function registerFilters(config: EleventyConfig) {\n  config.addFilter(\"slugify\", (text: string) => slugify(text, { replacement: \"_\", lower: true, strict: true }));\n  config.addFilter(\"slugDate\", (d: Date) => DateTime.fromJSDate(d, { zone: \"utc\" }).toFormat(\"y/MM\"));\n}\n",
            ),
        ]);
        let filters = SiteFilters::read(dir.path());
        assert_eq!(filters.unfollowed, Vec::<String>::new());
        assert_eq!(
            filters.slug("slugify").unwrap().apply("Gap, not Margin!"),
            "gap_not_margin"
        );
        assert_eq!(filters.dates.get("slugDate"), Some(&Value::from("y/MM")));
        // The config and both modules are inputs of the build.
        assert_eq!(filters.files.len(), 3, "{:?}", filters.files);
    }

    #[test]
    fn a_slug_filter_is_followed_through_the_sites_modules() {
        // eleventy-excellent's shape: the config adds a property of an
        // imported object, whose module re-exports a function of another.
        let dir = site(&[
            (
                "eleventy.config.js",
                "import filters from './src/_config/filters.js';\nexport default async function (eleventyConfig) {\n  eleventyConfig.addFilter('slugify', filters.slugifyString);\n  eleventyConfig.addFilter('toIsoString', filters.toISOString);\n}\n",
            ),
            (
                "src/_config/filters.js",
                "import {toISOString} from './filters/dates.js';\nimport {slugifyString} from './filters/slugify.js';\nexport default { toISOString, slugifyString };\n",
            ),
            (
                "src/_config/filters/slugify.js",
                "import slugify from 'slugify';\n\n/** Converts string to a slug form. */\nexport const slugifyString = str => {\n  return slugify(str, {\n    replacement: '-',\n    remove: /[#,&,+()$~%.'\":*¿?¡!<>{}]/g,\n    lower: true\n  });\n};\n",
            ),
            ("src/_config/filters/dates.js", "export const toISOString = d => d.toISOString();\n"),
        ]);
        let filters = SiteFilters::read(dir.path());
        assert_eq!(filters.unfollowed, Vec::<String>::new());
        let slugify = filters.slug("slugify").unwrap();
        assert_eq!(
            slugify.apply("Eleventy Excellent 4.0"),
            "eleventy-excellent-40"
        );
        assert!(filters.slug("toIsoString").is_none());
        // Eleventy's own `slug` is untouched.
        assert_eq!(filters.slug("slug").unwrap().apply("v4.0!"), "v4.0!");
        // Every module a filter was looked up in is an input of the build.
        assert_eq!(filters.files.len(), 4, "{:?}", filters.files);
    }

    #[test]
    fn slug_filters_written_in_the_config() {
        let dir = site(&[(
            ".eleventy.js",
            "const slugify = require(\"slugify\");\nconst sindre = require('@sindresorhus/slugify');\nmodule.exports = function(eleventyConfig) {\n  eleventyConfig.addFilter(\"slug\", (input) => {\n    const options = {\n      replacement: \"-\",\n      remove: /[&,+()$~%.'\":*?<>{}]/g,\n      lower: true\n    };\n    return slugify(input, options);\n  });\n  eleventyConfig.addFilter('tagSlug', (s) => sindre(s, { separator: '_' }));\n  eleventyConfig.addFilter('plain', slugify);\n  eleventyConfig.addFilter('upper', (s) => slugify(s).toUpperCase());\n  eleventyConfig.addFilter('slugify', (s) => myOwn(s));\n  eleventyConfig.addFilter('inline', str => require('slugify')(str, { lower: true, remove: /[*+~.,()!?:@]/g }));\n};\n",
        )]);
        let filters = SiteFilters::read(dir.path());
        assert_eq!(
            filters.slug("slug").unwrap().apply("Hello, World 2.0!"),
            "hello-world-20!"
        );
        assert_eq!(
            filters.slug("tagSlug").unwrap().apply("fooBar Baz"),
            "foo_bar_baz"
        );
        assert_eq!(filters.slug("plain").unwrap().apply("A b"), "A-b");
        // Required where it is called (rthaut's site).
        assert_eq!(
            filters
                .slug("inline")
                .unwrap()
                .apply("FreeNAS 9.10+ Setup Notes"),
            "freenas-910-setup-notes"
        );
        // A call whose result is changed again, or code of the site's own.
        assert!(filters.slug("upper").is_none());
        assert_eq!(
            filters.unfollowed,
            [".eleventy.js: the site's `slugify` filter: it is code gazette does not run, so Eleventy's own is applied"]
        );
        assert_eq!(
            filters.slug("slugify").unwrap().apply("Rock & Roll"),
            "rock-and-roll"
        );
    }

    #[test]
    fn a_module_of_filters_registered_whole() {
        // alexcarpenter.me's shape: the config adds every property of the
        // object its filters module exports.
        let dir = site(&[
            (
                "_eleventy/config.js",
                "const filters = require('./filters');\nmodule.exports = function (eleventyConfig) {\n  Object.keys(filters).forEach((filterName) => {\n    eleventyConfig.addFilter(filterName, filters[filterName]);\n  });\n  return { dir: { input: 'src' } };\n};\n",
            ),
            (
                "_eleventy/filters.js",
                "const { DateTime } = require('luxon');\nconst parseDate = str => (str instanceof Date ? str : new Date(str));\nmodule.exports = {\n  date_to_permalink: obj => {\n    const date = parseDate(obj);\n    return DateTime.fromJSDate(date).toFormat('yyyy/MM');\n  },\n  year: function (d) { return DateTime.fromJSDate(d).toFormat('yyyy'); },\n  shifted: obj => {\n    const other = parseDate(somethingElse);\n    return DateTime.fromJSDate(other).toFormat('yyyy');\n  },\n};\n",
            ),
            (
                "package.json",
                "{\"scripts\": {\"build\": \"npx eleventy --config=_eleventy/config.js\"}}",
            ),
        ]);
        let filters = SiteFilters::read(dir.path());
        assert_eq!(
            filters
                .dates
                .get("date_to_permalink")
                .and_then(|v| v.as_str()),
            Some("yyyy/MM")
        );
        assert_eq!(
            filters.dates.get("year").and_then(|v| v.as_str()),
            Some("yyyy")
        );
        // Not a date of what the filter is given.
        assert!(!filters.dates.contains_key("shifted"));
    }
}
