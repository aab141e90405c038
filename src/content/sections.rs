//! The section each post belongs to, as Hugo and Zola list a section's
//! pages in the section's own feed: the nearest folder above the post that
//! is a section. A folder with an `_index` page is one, and so is every
//! top-level folder but for Zola, which needs the `_index.md` [H6, Z1].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::generators::Generator;

/// Answers `section_of` for the posts of one site, looking for each
/// folder's `_index` page once.
pub struct Sections<'a> {
    config: &'a Config,
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
        let rel = super::walk::relative_to_content(path, self.config);
        let folders = crate::generators::page_folders(&rel);
        let top_level_counts = self.config.generator != Generator::Zola;
        (1..=folders.len()).rev().find_map(|depth| {
            let folder = folders[..depth].join("/");
            let is_section = (depth == 1 && top_level_counts) || self.has_index(&folder);
            is_section.then_some(folder)
        })
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
}
