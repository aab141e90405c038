//! Jekyll's front matter defaults: the `defaults:` of `_config.yml` give
//! posts under a path (or of a type) values their own front matter does
//! not set, `permalink`, `author` and `categories` among them: the common
//! way Jekyll sites set their post URLs
//! (jekyllrb.com/docs/configuration/front-matter-defaults). The rules are
//! Jekyll's own (`Jekyll::FrontmatterDefaults`): a scope applies when its
//! `type` is the document's (`posts`) or absent and its `path` is a prefix
//! of the document's path from the site's source (or matches it, with
//! `*`); of two applying scopes the one with the longer path wins, then
//! one with a type, then the later; values merge deeply, the post's own
//! front matter over all.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::Diagnostic;

/// One `defaults:` entry.
#[derive(Debug, Clone)]
struct Scoped {
    /// The scope's path as Jekyll compares it (no leading or trailing `/`).
    path: String,
    /// `path` with a `*`: matched as a glob instead of a prefix.
    glob: Option<globset::GlobMatcher>,
    /// The scope's `type`: `posts`, or a collection's name.
    kind: Option<String>,
    values: Map<String, Value>,
}

/// The `defaults:` of a Jekyll site.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    scoped: Vec<Scoped>,
    /// The whole `_config.yml`: what Liquid's `site.KEY` gives a post's
    /// body, read with the defaults since it is the same file.
    pub site: Map<String, Value>,
    /// Why `_config.yml` could not be read: said once by the build.
    pub problem: Option<Diagnostic>,
}

/// A Jekyll site's `source` (the config's value of it): where its posts,
/// data, layouts and pages are, `root` (where `_config.yml` is and Jekyll
/// runs) unless the config sets another
/// (jekyllrb.com/docs/configuration/options).
pub fn source_of(root: &Path, source: Option<&Value>) -> PathBuf {
    match source.and_then(Value::as_str).map(str::trim) {
        Some(source) if !source.is_empty() => crate::paths::clean_path(&root.join(source)),
        _ => root.to_path_buf(),
    }
}

impl Defaults {
    /// The site's `source` (see `source_of`), `root` being where its
    /// `_config.yml` is.
    pub fn source(&self, root: &Path) -> PathBuf {
        source_of(root, self.site.get("source"))
    }

    /// Reads `_config.yml` (or `.yaml`) in `root`; a site without one has
    /// no defaults. A config that cannot be read is said once, with its path.
    pub fn load(root: &Path) -> (Defaults, Option<Diagnostic>) {
        let Some((path, text)) = ["_config.yml", "_config.yaml"]
            .iter()
            .map(|name| root.join(name))
            .find_map(|path| std::fs::read_to_string(&path).ok().map(|text| (path, text)))
        else {
            return (Defaults::default(), None);
        };
        let config = match crate::yaml::parse(&text) {
            Ok(Value::Object(config)) => config,
            Ok(_) => return (Defaults::default(), None),
            Err(e) => {
                let problem = Diagnostic::warning(
                    &path,
                    e.line,
                    format!("`defaults:` not applied: {}", e.message),
                );
                return (Defaults::default(), Some(problem));
            }
        };
        (Defaults::from_config(&config), None)
    }

    /// The defaults of a parsed `_config.yml`.
    pub(crate) fn from_config(config: &Map<String, Value>) -> Defaults {
        let Some(Value::Array(entries)) = config.get("defaults") else {
            return Defaults {
                site: config.clone(),
                ..Defaults::default()
            };
        };
        let scoped = entries
            .iter()
            .filter_map(|entry| {
                let scope = entry.get("scope").and_then(Value::as_object);
                // Posts are of type `posts` (drafts too, since Jekyll 3),
                // a collection's documents of its name, pages of `pages`.
                let kind = scope.and_then(|s| s.get("type")).and_then(Value::as_str);
                let values = entry.get("values")?.as_object()?.clone();
                let path = scope
                    .and_then(|s| s.get("path"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .trim_matches('/')
                    .to_string();
                let glob = path
                    .contains('*')
                    .then(|| globset::Glob::new(&path).ok().map(|g| g.compile_matcher()))
                    .flatten();
                Some(Scoped {
                    path,
                    glob,
                    kind: kind.map(str::to_string),
                    values,
                })
            })
            .collect();
        Defaults {
            scoped,
            site: config.clone(),
            problem: None,
        }
    }

    /// Whether no default could apply to a post or a document.
    pub fn is_empty(&self) -> bool {
        self.scoped
            .iter()
            .all(|set| set.kind.as_deref() == Some("pages"))
    }

    /// Fills `map` (a post's or a document's front matter) with the
    /// defaults whose scope covers `rel`, its path from the site's source,
    /// and whose type is none or `kind` (`posts` or the collection's name).
    pub fn fill(&self, map: &mut Map<String, Value>, rel: &str, kind: &str) {
        let mut merged = Map::new();
        let mut winner: Option<&Scoped> = None;
        for set in self.scoped.iter().filter(|set| set.applies(rel, kind)) {
            if winner.is_none_or(|old| set.outranks(old)) {
                deep_merge(&mut merged, &set.values);
                winner = Some(set);
            } else {
                let mut under = set.values.clone();
                deep_merge(&mut under, &merged);
                merged = under;
            }
        }
        deep_fill(map, merged);
    }
}

impl Scoped {
    fn applies(&self, rel: &str, kind: &str) -> bool {
        if self.kind.as_deref().is_some_and(|own| own != kind) {
            return false;
        }
        match &self.glob {
            Some(glob) => glob.is_match(rel),
            None => self.path.is_empty() || rel.starts_with(&self.path),
        }
    }

    /// Jekyll's `has_precedence?`: a longer path, then a scope with a type.
    fn outranks(&self, old: &Scoped) -> bool {
        if self.path.len() != old.path.len() {
            self.path.len() >= old.path.len()
        } else {
            self.kind.is_some() || old.kind.is_none()
        }
    }
}

/// `over` merged into `base`, its values winning; tables merge key by key
/// (Jekyll's `Utils.deep_merge_hashes`).
fn deep_merge(base: &mut Map<String, Value>, over: &Map<String, Value>) {
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(value)) => deep_merge(inner, value),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// What `own` (a post's front matter, a config) leaves unset, taken from
/// `defaults`; tables are filled key by key, `own`'s values winning.
pub(crate) fn deep_fill(own: &mut Map<String, Value>, defaults: Map<String, Value>) {
    fill(own, defaults, false);
}

/// `deep_fill` where a key is unset only in no spelling (Hugo's keys are
/// case-insensitive: a theme's `mainSections` is the site's `mainsections`).
pub(crate) fn deep_fill_any_case(own: &mut Map<String, Value>, defaults: Map<String, Value>) {
    fill(own, defaults, true);
}

fn fill(own: &mut Map<String, Value>, defaults: Map<String, Value>, any_case: bool) {
    for (key, value) in defaults {
        let spelled = match any_case {
            true => own.keys().find(|k| k.eq_ignore_ascii_case(&key)).cloned(),
            false => own.contains_key(&key).then(|| key.clone()),
        };
        match (spelled.and_then(|k| own.get_mut(&k)), value) {
            (Some(Value::Object(inner)), Value::Object(value)) => fill(inner, value, any_case),
            (Some(_), _) => {}
            (None, value) => {
                own.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults(yaml: &str) -> Defaults {
        match crate::yaml::parse(yaml).unwrap() {
            Value::Object(config) => Defaults::from_config(&config),
            _ => panic!("not a table"),
        }
    }

    fn filled(defaults: &Defaults, front: &str, rel: &str) -> Map<String, Value> {
        filled_as(defaults, front, rel, "posts")
    }

    fn filled_as(defaults: &Defaults, front: &str, rel: &str, kind: &str) -> Map<String, Value> {
        let mut map = match crate::yaml::parse(front).unwrap() {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        defaults.fill(&mut map, rel, kind);
        map
    }

    #[test]
    fn longer_paths_then_types_then_later_entries_win_and_front_matter_over_all() {
        let site = defaults(
            r#"
defaults:
  - scope: {path: "", type: posts}
    values: {permalink: "/blog/:year/:title/", author: Ada, layout: post, categories: [news]}
  - scope: {path: "tutorials"}
    values: {permalink: "/learn/:title/", image: {width: 800}}
  - scope: {path: "", type: pages}
    values: {permalink: "/:basename/"}
  - scope: {path: ""}
    values: {author: Not Ada}
  - scope: {path: "tutorials/_posts/*-rust-*.md", type: posts}
    values: {image: {height: 600}}
"#,
        );
        let plain = filled(&site, "title: A", "_posts/2024-01-02-a.md");
        assert_eq!(plain["permalink"], "/blog/:year/:title/");
        // Same path, no type: the typed entry before it keeps the author.
        assert_eq!(plain["author"], "Ada");
        assert_eq!(plain["categories"], serde_json::json!(["news"]));
        let tutorial = filled(&site, "title: B", "tutorials/_posts/2024-01-02-b.md");
        assert_eq!(tutorial["permalink"], "/learn/:title/");
        assert_eq!(tutorial["layout"], "post");
        let rust = filled(
            &site,
            "title: C\nimage: {alt: crab}",
            "tutorials/_posts/2024-01-02-learn-rust-now.md",
        );
        assert_eq!(
            rust["image"],
            serde_json::json!({"width": 800, "height": 600, "alt": "crab"})
        );
        let own = filled(
            &site,
            "permalink: /mine/\ncategories: [x]",
            "_posts/2024-01-02-d.md",
        );
        assert_eq!(own["permalink"], "/mine/");
        assert_eq!(own["categories"], serde_json::json!(["x"]));
        // A collection's documents are of its type: the posts' defaults
        // pass them by, untyped ones apply.
        let recipe = filled_as(&site, "title: R", "_recipes/leek.md", "recipes");
        assert_eq!(recipe["author"], "Not Ada");
        assert!(!recipe.contains_key("permalink"));
        let typed = defaults("defaults:\n  - scope: {path: \"\", type: recipes}\n    values: {permalink: /cook/:name/}\n");
        let recipe = filled_as(&typed, "title: R", "_recipes/leek.md", "recipes");
        assert_eq!(recipe["permalink"], "/cook/:name/");
        assert!(!filled(&typed, "title: P", "_posts/2024-01-02-p.md").contains_key("permalink"));
    }

    #[test]
    fn a_site_without_defaults_or_config_has_none() {
        assert!(defaults("title: Site").is_empty());
        let dir = tempfile::tempdir().unwrap();
        let (none, problem) = Defaults::load(dir.path());
        assert!(none.is_empty() && problem.is_none());
        std::fs::write(dir.path().join("_config.yml"), "defaults: [\n").unwrap();
        let (none, problem) = Defaults::load(dir.path());
        assert!(none.is_empty());
        assert!(problem.unwrap().to_string().contains("_config.yml"));
    }
}
