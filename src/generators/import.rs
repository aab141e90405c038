//! `gazette init --from`: recognising a generator's site and reading what
//! gazette needs from its own configuration, read-only.

use crate::generators::Generator;

/// Whether a config file that is not gazette's belongs to a generator,
/// judged by keys only that generator writes.
pub fn foreign_config(text: &str) -> Option<Generator> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return None;
    };
    let has = |key: &str| table.keys().any(|k| k.eq_ignore_ascii_case(key));
    if has("baseURL") || has("languageCode") || has("theme") && !has("base_url") {
        return Some(Generator::Hugo);
    }
    let zola_keys = [
        "compile_sass",
        "generate_feed",
        "generate_feeds",
        "build_search_index",
        "feed_filenames",
        "taxonomies",
        "markdown",
        "extra",
        "default_language",
        "minify_html",
    ];
    if has("base_url") && zola_keys.iter().any(|k| has(k)) {
        return Some(Generator::Zola);
    }
    None
}
