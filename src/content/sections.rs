//! The section each post belongs to, as Hugo and Zola list a section's
//! pages in the section's own feed: for Hugo the nearest folder above the
//! post that is a section, a folder with an `_index` page or any top-level
//! folder; for Zola the post's own folder when it has an `_index.md` (in a
//! language's build, `_index.fr.md`), and the sections above it while each
//! is `transparent` (the README's H6, Z1 and Z7).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::generators::Generator;

/// Answers `section_of` for the posts of one site, looking for each
/// folder's `_index` page once (Zola's through the config's shared files).
pub struct Sections<'a> {
    config: &'a Config,
    /// Whether each folder has an `_index` page.
    indexed: HashMap<PathBuf, bool>,
}

impl<'a> Sections<'a> {
    pub fn new(config: &'a Config) -> Self {
        Sections {
            config,
            indexed: HashMap::new(),
        }
    }

    /// The section of the post at `path` (`posts`, or `posts/2024` for a
    /// nested one), as written in the content folder; `None` for a page at
    /// the top, which is the home page's.
    pub fn section_of(&mut self, path: &Path) -> Option<String> {
        self.sections_of(path).into_iter().next()
    }

    /// Every section whose feed lists the post at `path`, its own first.
    /// Zola gives a page to the section of its own folder and, while that
    /// section is `transparent`, to the one above (`populate_sections`),
    /// each the language's own (`_index.fr.md`, which Zola does not make
    /// for a folder that lacks it); a page whose folder has no `_index` of
    /// its language is in none.
    pub fn sections_of(&mut self, path: &Path) -> Vec<String> {
        let rel = super::walk::relative_to_content(path, self.config);
        if self.config.generator == Generator::Zola {
            // The home page's feed is the site's, not a section's.
            return zola_chain(&rel, self.config)
                .into_iter()
                .map(|(folder, _)| folder)
                .filter(|folder| !folder.is_empty())
                .collect();
        }
        let folders = crate::generators::page_folders(&rel);
        let nearest = (1..=folders.len()).rev().find_map(|depth| {
            let folder = folders[..depth].join("/");
            (depth == 1 || self.has_index(&folder)).then_some(folder)
        });
        nearest.into_iter().collect()
    }

    /// Every section whose feed lists `post`: those of `sections_of`, or
    /// where a top-level section's feed lists the posts of its type
    /// (`section_pages = "top_by_type"`, which reads `hugo_type`), its
    /// nested section's and its type's.
    pub fn feeds_of(&mut self, post: &super::Post) -> Vec<String> {
        let mut sections = self.sections_of(&post.path);
        if let Some(own_type) = &post.hugo_type {
            sections.retain(|section| section.contains('/'));
            sections.push(own_type.clone());
        }
        sections
    }

    /// Every section of the site that holds a page, its own or a nested
    /// section's: those of `posts`, the folders above them that are
    /// sections, and every folder with an `_index` page. Hugo writes a feed
    /// for each, empty when all its pages are in nested sections.
    pub fn all(&mut self, posts: &[&Path]) -> Vec<String> {
        let mut all: Vec<String> = index_pages(self.config)
            .iter()
            .filter_map(|page| {
                let folder = page.parent()?.strip_prefix(&self.config.content_dir).ok()?;
                Some(folder.to_string_lossy().replace('\\', "/"))
            })
            .filter(|folder| !folder.is_empty() && !self.is_taxonomy(folder))
            .collect();
        for path in posts {
            all.extend(self.section_of(path));
            if self.config.generator != Generator::Zola {
                let rel = super::walk::relative_to_content(path, self.config);
                all.extend(
                    crate::generators::page_folders(&rel)
                        .first()
                        .map(|f| f.to_string()),
                );
            }
        }
        all.sort();
        all.dedup();
        all
    }

    /// Whether `folder` holds a taxonomy's pages (Hugo's
    /// `content/tags/_index.md` is the tags' list page), not a section.
    fn is_taxonomy(&self, folder: &str) -> bool {
        let top = folder.split('/').next().unwrap_or_default();
        self.config.generator == Generator::Hugo
            && (["tags", "categories"].contains(&top)
                || self.config.feeds.per_taxonomy.iter().any(|t| t == top))
    }

    fn has_index(&mut self, folder: &str) -> bool {
        let dir = self.config.content_dir.join(folder);
        *self
            .indexed
            .entry(dir)
            .or_insert_with_key(|dir| INDEX_PAGES.iter().any(|name| dir.join(name).is_file()))
    }
}

fn sets_transparent(front_matter: &serde_json::Map<String, serde_json::Value>) -> bool {
    front_matter.get("transparent") == Some(&serde_json::Value::Bool(true))
}

/// The `_index` page of the section a Zola page's `ancestors` end with:
/// the last of `zola_chain`.
pub(crate) fn zola_ancestor(rel: &Path, config: &Config) -> Option<PathBuf> {
    zola_chain(rel, config).pop().map(|(_, page)| page)
}

/// The Zola sections whose `pages` hold a page, each folder (`""` for the
/// content folder's) with its `_index` page: its folder's section (the
/// content folder's for a page at the top) and, while that is
/// `transparent`, the ones above (`populate_sections`), in the language
/// built (`_index.fr.md`); none for a page whose folder has no `_index`.
/// `rel` is the page's path below the content folder without its language
/// (`blog/post/index.md`).
pub(crate) fn zola_chain(rel: &Path, config: &Config) -> Vec<(String, PathBuf)> {
    let name = match &config.translations.current {
        Some(code) => format!("_index.{code}.md"),
        None => "_index.md".to_string(),
    };
    let folders = crate::generators::page_folders(rel);
    let files = &config.shared_files;
    let mut chain = Vec::new();
    for depth in (0..=folders.len()).rev() {
        let folder = folders[..depth].join("/");
        let page = config.content_dir.join(&folder).join(&name);
        if !files.exists(&page) {
            break;
        }
        let transparent = files
            .data(&page, super::frontmatter::of_file)
            .is_some_and(|map| sets_transparent(&map));
        chain.push((folder, page));
        if !transparent {
            break;
        }
    }
    chain
}

/// The pages that make their folder a section.
const INDEX_PAGES: [&str; 3] = ["_index.md", "_index.markdown", "_index.html"];

/// Every section's `_index` page in the content folder, in name order.
pub(crate) fn index_pages(config: &Config) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = super::cascade::site_files(&config.content_dir, usize::MAX)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|name| INDEX_PAGES.contains(&name))
        })
        .map(walkdir::DirEntry::into_path)
        .collect();
    pages.sort();
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_counts_but_a_taxonomys_pages() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for file in [
            "docs/_index.md",
            "docs/guides/_index.md",
            "docs/guides/a.md",
            "tags/_index.md",
            "tags/rust/_index.md",
            "series/_index.md",
            "blog/x.md",
            "_index.md",
        ] {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "---\ntitle: t\n---\n").unwrap();
        }
        let config = Config::parse(
            "generator = \"hugo\"\ntitle = \"T\"\nbase_url = \"https://e.org/\"\n[feeds]\nper_taxonomy = [\"series\"]\n",
            &dir.path().join("gazette.toml"),
            dir.path().to_path_buf(),
        )
        .unwrap();
        let posts = [content.join("docs/guides/a.md"), content.join("blog/x.md")];
        let paths: Vec<&Path> = posts.iter().map(PathBuf::as_path).collect();
        let mut sections = Sections::new(&config);
        // `docs` holds no page of its own, and is a section all the same.
        assert_eq!(sections.all(&paths), ["blog", "docs", "docs/guides"]);
    }

    #[test]
    fn a_zola_page_is_in_its_folders_section_and_those_above_while_transparent() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for (file, front) in [
            ("_index.md", ""),
            ("blog/_index.md", ""),
            ("blog/2024/_index.md", "transparent = true"),
            ("blog/2024/spring/_index.md", "transparent = true"),
            ("blog/2024/spring/a.md", ""),
            ("blog/2024/b.md", ""),
            ("blog/2024/loose/c.md", ""),
            ("notes/_index.md", "transparent = true"),
            ("notes/d.md", ""),
            ("docs/guides/e.md", ""),
        ] {
            let path = content.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, format!("+++\ntitle = \"t\"\n{front}\n+++\n")).unwrap();
        }
        let config = Config::parse(
            "generator = \"zola\"\ntitle = \"T\"\nbase_url = \"https://e.org/\"\n",
            &dir.path().join("config.toml"),
            dir.path().to_path_buf(),
        )
        .unwrap();
        let mut sections = Sections::new(&config);
        let mut of = |file: &str| sections.sections_of(&content.join(file));
        assert_eq!(
            of("blog/2024/spring/a.md"),
            ["blog/2024/spring", "blog/2024", "blog"]
        );
        assert_eq!(of("blog/2024/b.md"), ["blog/2024", "blog"]);
        // A folder without `_index.md` is no section, and its pages are
        // in none (Zola looks in the page's own folder only).
        assert!(of("blog/2024/loose/c.md").is_empty());
        assert!(of("docs/guides/e.md").is_empty());
        // Transparent up to the home page, whose feed is the site's.
        assert_eq!(of("notes/d.md"), ["notes"]);
    }
}
