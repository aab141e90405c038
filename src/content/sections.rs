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

    fn has_index(&mut self, folder: &str) -> bool {
        let dir = self.config.content_dir.join(folder);
        *self.indexed.entry(dir).or_insert_with_key(|dir| {
            ["_index.md", "_index.markdown", "_index.html"]
                .iter()
                .any(|name| dir.join(name).is_file())
        })
    }
}
