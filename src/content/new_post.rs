//! Writing a new post file the way the site writes its own: where the
//! generator keeps posts, named as it names them, with front matter in the
//! syntax most of the site's posts use. `gazette new` and `gazette import
//! podcast` both write posts through here.

use std::path::{Component, Path, PathBuf};

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::config::Config;
use crate::error::Error;
use crate::generators::Generator;

/// Front matter in the order it is written; values nest.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter(pub Vec<(String, Field)>);

/// One front-matter value: plain data or a nested mapping kept in order.
#[derive(Debug, Clone)]
pub enum Field {
    Data(Value),
    /// An RFC 3339 instant: a TOML datetime, a quoted YAML string.
    Date(String),
    Mapping(FrontMatter),
}

impl FrontMatter {
    pub fn push(&mut self, key: &str, value: impl Into<Value>) {
        self.0.push((key.to_string(), Field::Data(value.into())));
    }

    pub fn push_date(&mut self, key: &str, rfc3339: String) {
        self.0.push((key.to_string(), Field::Date(rfc3339)));
    }

    pub fn push_mapping(&mut self, key: &str, mapping: FrontMatter) {
        self.0.push((key.to_string(), Field::Mapping(mapping)));
    }

    /// Sets a value at a dotted key path (`taxonomies.tags`, as `[fields]`
    /// names keys), creating the mappings on the way.
    pub fn push_at(&mut self, path: &str, field: Field) {
        match path.split_once('.') {
            None => self.0.push((path.to_string(), field)),
            Some((head, rest)) => {
                let found = self.0.iter_mut().find_map(|(key, value)| match value {
                    Field::Mapping(inner) if key == head => Some(inner),
                    _ => None,
                });
                match found {
                    Some(inner) => inner.push_at(rest, field),
                    None => {
                        let mut inner = FrontMatter::default();
                        inner.push_at(rest, field);
                        self.0.push((head.to_string(), Field::Mapping(inner)));
                    }
                }
            }
        }
    }

    /// The whole text between (and with) the fences, then a blank line.
    pub fn render(&self, toml: bool) -> Result<String, Error> {
        let problem = |message: String| Error::Output {
            path: "front matter".into(),
            message,
        };
        if toml {
            let mut text = String::new();
            self.write_toml(&mut text, "").map_err(problem)?;
            Ok(format!("+++\n{text}+++\n\n"))
        } else {
            let text = crate::yaml::to_string(self).map_err(problem)?;
            Ok(format!("---\n{text}---\n\n"))
        }
    }
    /// TOML by hand: the `toml` crate orders keys by name, and a post's
    /// front matter reads best in the order it was given. Plain keys come
    /// before sub-tables, as TOML requires.
    fn write_toml(&self, out: &mut String, table: &str) -> Result<(), String> {
        let key = |k: &str| {
            if !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                k.to_string()
            } else {
                toml::Value::String(k.to_string()).to_string()
            }
        };
        for (name, field) in &self.0 {
            let value = match field {
                Field::Mapping(_) => continue,
                // A datetime's own Display: the crate's `Value` writes one
                // as a private marker table.
                Field::Date(text) => text
                    .parse::<toml::value::Datetime>()
                    .map_err(|e| format!("{name}: {e}"))?
                    .to_string(),
                Field::Data(data) => toml::Value::try_from(data)
                    .map_err(|e| format!("{name}: {e}"))?
                    .to_string(),
            };
            out.push_str(&format!("{} = {value}\n", key(name)));
        }
        for (name, field) in &self.0 {
            if let Field::Mapping(inner) = field {
                let path = if table.is_empty() {
                    key(name)
                } else {
                    format!("{table}.{}", key(name))
                };
                out.push_str(&format!("\n[{path}]\n"));
                inner.write_toml(out, &path)?;
            }
        }
        Ok(())
    }
}

impl Serialize for FrontMatter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, field) in &self.0 {
            match field {
                Field::Data(value) => map.serialize_entry(key, value)?,
                Field::Date(text) => map.serialize_entry(key, text)?,
                Field::Mapping(inner) => map.serialize_entry(key, inner)?,
            }
        }
        map.end()
    }
}

/// Whether new posts are written in TOML: Zola's way, and the way of a site
/// whose posts mostly are.
pub fn uses_toml(config: &Config) -> bool {
    config.generator == Generator::Zola || mostly_toml(&config.content_dir)
}

/// Whether most posts found in the first few hundred files use `+++`.
fn mostly_toml(content: &Path) -> bool {
    let (mut toml, mut yaml) = (0, 0);
    for entry in walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .take(300)
    {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        match super::frontmatter::split(&text).map(|s| s.syntax) {
            Ok(super::frontmatter::Syntax::Toml) => toml += 1,
            Ok(_) => yaml += 1,
            Err(_) => {}
        }
    }
    toml > yaml
}

/// Where a new post titled `slug`, dated `day` (YYYY-MM-DD), goes: under
/// `section` below the content folder (Jekyll's `_posts` first), named
/// `day-slug.md` for Jekyll and `slug.md` otherwise. A name already taken
/// gets `-2`, `-3`, … when `unique`, else is an error.
pub fn path_for(
    config: &Config,
    section: Option<&str>,
    slug: &str,
    day: &str,
    unique: bool,
) -> Result<PathBuf, Error> {
    let mut folder = config.content_dir.clone();
    if config.generator == Generator::Jekyll {
        folder.push("_posts");
    }
    if let Some(section) = section {
        let rel = Path::new(section);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Error::Usage(format!(
                "--section {section:?} must be a folder below the content folder"
            )));
        }
        folder.push(rel);
    }
    let name = |n: usize| {
        let stem = if n > 1 {
            format!("{slug}-{n}")
        } else {
            slug.to_string()
        };
        if config.generator == Generator::Jekyll {
            format!("{day}-{stem}.md")
        } else {
            format!("{stem}.md")
        }
    };
    let path = folder.join(name(1));
    if !path.exists() {
        return Ok(path);
    }
    if !unique {
        return Err(Error::Usage(format!("{} already exists", path.display())));
    }
    Ok((2..)
        .map(|n| folder.join(name(n)))
        .find(|p| !p.exists())
        .unwrap_or(path))
}

/// A file-name slug for a title; "post" when nothing of it is left.
pub fn slug_of(title: &str) -> String {
    match slug::slugify(title) {
        s if s.is_empty() => "post".to_string(),
        s => s,
    }
}

/// Writes a new post; never over an existing file.
pub fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FrontMatter {
        let mut episode = FrontMatter::default();
        episode.push("url", "https://media.example.org/1.mp3");
        episode.push("length", 1234);
        let mut front = FrontMatter::default();
        front.push("title", "Ep: \"one\" # 1");
        front.push_date("date", "2024-01-02T03:04:05+08:00".into());
        front.push_mapping("audio", episode);
        front.push("tags", vec!["a", "b"]);
        front
    }

    #[test]
    fn both_syntaxes_read_back_as_written() {
        for toml in [false, true] {
            let text = sample().render(toml).unwrap();
            let split = super::super::frontmatter::split(&text).unwrap();
            let value: Value = if toml {
                toml::from_str(split.front).unwrap()
            } else {
                crate::yaml::parse(split.front).ok().unwrap()
            };
            assert_eq!(value["title"], "Ep: \"one\" # 1", "{text}");
            assert_eq!(value["audio"]["length"], 1234, "{text}");
            assert_eq!(value["tags"][1], "b", "{text}");
            let date = if toml {
                "date = 2024-01-02T03:04:05+08:00\n"
            } else {
                "date: 2024-01-02T03:04:05+08:00\n"
            };
            assert!(
                text.contains(date)
                    || !toml && text.contains("date: '2024-01-02T03:04:05+08:00'\n"),
                "{text}"
            );
        }
    }
}
