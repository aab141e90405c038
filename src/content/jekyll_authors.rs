//! A Jekyll site's authors data: `_data/authors.yml` maps the key a post
//! names in `author` to a person. jekyll-feed shows that person in the
//! entry (`feed.xml`: `site.data.authors[post.author] | default:
//! post.author`, then its `name`, `email` and `uri`), so a post with
//! `author: ada` reads "Ada Lovelace" in readers.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::config::Person;
use crate::error::Diagnostic;

/// Each author key with the person it stands for.
pub type Authors = HashMap<String, Person>;

/// Reads `_data/authors.yml` (`.yaml`, `.json`) in `root`; a site without
/// one has none. One that cannot be read is said once.
pub fn load(root: &Path) -> (Authors, Option<Diagnostic>) {
    let Some((path, text)) = ["authors.yml", "authors.yaml", "authors.json"]
        .iter()
        .map(|name| root.join("_data").join(name))
        .find_map(|path| std::fs::read_to_string(&path).ok().map(|text| (path, text)))
    else {
        return (Authors::default(), None);
    };
    // YAML 1.2 reads JSON as it is.
    match crate::yaml::parse(&text) {
        Ok(Value::Object(entries)) => (from_data(&entries), None),
        Ok(_) => (Authors::default(), None),
        Err(e) => {
            let problem =
                Diagnostic::warning(&path, e.line, format!("authors not applied: {}", e.message));
            (Authors::default(), Some(problem))
        }
    }
}

fn from_data(entries: &serde_json::Map<String, Value>) -> Authors {
    let no_fields = serde_json::Map::new();
    let people = entries.iter().filter_map(|(key, entry)| {
        let fields = entry.as_object().unwrap_or(&no_fields);
        Some((key.clone(), Person::of_fields(fields, Some(key))?))
    });
    people.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_people_and_a_site_without_data_has_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!load(dir.path()).0.contains_key("ada"));
        std::fs::create_dir(dir.path().join("_data")).unwrap();
        std::fs::write(
            dir.path().join("_data/authors.yml"),
            "ada:\n  name: Ada Lovelace\n  email: ada@example.org\n  uri: https://ada.example.org/\nbob:\n  twitter: bob\n",
        )
        .unwrap();
        let (authors, problem) = load(dir.path());
        assert!(problem.is_none());
        let ada = authors.get("ada").unwrap();
        assert_eq!(ada.name, "Ada Lovelace");
        assert_eq!(ada.email.as_deref(), Some("ada@example.org"));
        assert_eq!(ada.url.as_deref(), Some("https://ada.example.org/"));
        // No name: the key is the name, as jekyll-feed's `default` gives.
        assert_eq!(authors.get("bob").unwrap().name, "bob");
        std::fs::write(dir.path().join("_data/authors.yml"), "ada: [\n").unwrap();
        let (_, problem) = load(dir.path());
        assert!(problem.unwrap().to_string().contains("authors.yml"));
    }
}
