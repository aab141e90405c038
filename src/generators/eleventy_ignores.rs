//! The files Eleventy reads no template from, as Eleventy 3's
//! `EleventyFiles` lists them: the lines of the project's `.gitignore`
//! (unless the config calls `setUseGitIgnore(false)`) and of
//! `.eleventyignore` in the project and in the input folder, each anchored
//! at its file's folder (a line `drafts` is the project's `drafts`, not a
//! `drafts` at any depth as git reads it), a line naming an existing folder
//! standing for everything below it; the config's `ignores.add("…")` less
//! its `ignores.delete("…")`; and the includes, layouts and data folders.
//! Blank lines, `#` comments and `!` negations, which Eleventy skips, are
//! skipped. Globs are read as picomatch reads them: `*` within a folder,
//! `**` across folders.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::js_literal::{eleventy_setup, EleventySetup};

/// The ignore files Eleventy reads, by name.
pub const IGNORE_FILES: [&str; 2] = [".gitignore", ".eleventyignore"];

/// What an Eleventy site ignores.
#[derive(Debug)]
pub struct EleventyIgnores {
    globs: GlobSet,
    /// The input folder, from the project's root.
    input: PathBuf,
}

impl EleventyIgnores {
    /// The ignores of the Eleventy project in `root` whose input folder is
    /// `input`.
    pub fn read(root: &Path, input: &Path) -> EleventyIgnores {
        let input = input
            .strip_prefix(root)
            .unwrap_or(input)
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect::<PathBuf>();
        let setup = super::eleventy_config::config_file(root)
            .and_then(|path| std::fs::read_to_string(path).ok())
            .map_or_else(|| eleventy_setup(""), |script| eleventy_setup(&script));
        let mut patterns = Vec::new();
        let mut files = Vec::new();
        if setup.use_git_ignore {
            files.push(PathBuf::from(".gitignore"));
        }
        files.push(PathBuf::from(".eleventyignore"));
        if !input.as_os_str().is_empty() {
            files.push(input.join(".eleventyignore"));
        }
        for file in &files {
            let Ok(text) = std::fs::read_to_string(root.join(file)) else {
                continue;
            };
            let folder = file.parent().unwrap_or(Path::new(""));
            for line in text.lines().map(str::trim) {
                if line.is_empty() || line.starts_with(['#', '!']) {
                    continue;
                }
                patterns.push(anchored(root, folder, line));
            }
        }
        patterns.extend(folders(&setup, &input));
        // The config's set of globs, as written, then each from the root.
        let mut added: Vec<&str> = Vec::new();
        for (adds, glob) in &setup.ignores {
            added.retain(|g| g != glob);
            if *adds {
                added.push(glob);
            }
        }
        patterns.extend(added.iter().map(|g| g.trim_start_matches("./").to_string()));
        let mut set = GlobSetBuilder::new();
        for pattern in &patterns {
            // A line no glob can be made of ignores nothing, as a glob
            // library matches nothing with it.
            if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() {
                set.add(glob);
            }
        }
        EleventyIgnores {
            globs: set.build().unwrap_or_else(|_| GlobSet::empty()),
            input,
        }
    }

    /// Whether Eleventy passes over the file at `path` in the input folder:
    /// it or a folder it is in is ignored (an ignored folder is not walked).
    pub fn ignores(&self, path: &Path) -> bool {
        let from_root = self.input.join(path);
        from_root
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.globs.is_match(p))
    }
}

/// A line of an ignore file in `folder` (from the root) as a glob from the
/// root, as `EleventyFiles.normalizeIgnoreContent` makes it.
fn anchored(root: &Path, folder: &Path, line: &str) -> String {
    let text = glob_of(&folder.join(line.trim_start_matches('/')));
    match root.join(&text).is_dir() {
        true => format!("{text}/**"),
        false => text,
    }
}

/// A path as a glob's text: cleaned, with `/` between its parts and none
/// at its end.
fn glob_of(path: &Path) -> String {
    let text = crate::paths::clean_path(path)
        .to_string_lossy()
        .replace('\\', "/");
    text.trim_end_matches('/').to_string()
}

/// The includes, layouts and data folders (each `input`-relative), which
/// hold no page; the data folder only where it is not the input itself.
fn folders(setup: &EleventySetup, input: &Path) -> Vec<String> {
    let folder = |key: &str, default: Option<&str>| {
        let name = setup.folders.get(key).map(String::as_str).or(default)?;
        if name.is_empty() || (key == "data" && name == ".") {
            return None;
        }
        Some(format!("{}/**", glob_of(&input.join(name))))
    };
    [
        folder("includes", Some("_includes")),
        folder("layouts", None),
        folder("data", Some("_data")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_files::write_file as write;

    #[test]
    fn ignore_files_are_anchored_where_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            ".gitignore",
            "# built\n_site\ndrafts/\n*.log\n*.tmp\n!keep.tmp\n",
        );
        write(
            root,
            ".eleventyignore",
            "content/**/**/_snippet-*\nREADME.md\n",
        );
        write(root, "content/.eleventyignore", "notes\n");
        write(root, "content/drafts/x.md", "");
        write(root, "drafts/y.md", "");
        let ignores = EleventyIgnores::read(root, &root.join("content"));
        // The root's `drafts/` is not the input's `drafts`, as git would read it.
        assert!(!ignores.ignores(Path::new("drafts/x.md")));
        assert!(ignores.ignores(Path::new("posts/git/_snippet-mr.md")));
        assert!(ignores.ignores(Path::new("posts/_snippet-mr.md")));
        assert!(!ignores.ignores(Path::new("posts/snippet-mr.md")));
        // The input's own ignore file, anchored in the input.
        assert!(ignores.ignores(Path::new("notes/a.md")));
        assert!(!ignores.ignores(Path::new("posts/notes/a.md")));
        // Includes and data hold no page.
        assert!(ignores.ignores(Path::new("_includes/post.md")));
        assert!(ignores.ignores(Path::new("_data/x.md")));
        assert!(!ignores.ignores(Path::new("posts/a.md")));
        // A root `*.log` is the root's only: `*` stays within a folder.
        let at_root = EleventyIgnores::read(root, root);
        assert!(at_root.ignores(Path::new("x.log")));
        assert!(!at_root.ignores(Path::new("logs/x.log")));
        assert!(at_root.ignores(Path::new("drafts/y.md")));
        assert!(at_root.ignores(Path::new("README.md")));
        // Eleventy does not read a negation: `keep.tmp` stays ignored.
        assert!(at_root.ignores(Path::new("keep.tmp")));
    }

    #[test]
    fn the_configs_ignores_and_folders_count() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "src/posts/wip.md\n");
        write(
            root,
            "eleventy.config.js",
            "export default function (eleventyConfig) {\n  eleventyConfig.setUseGitIgnore(false);\n  eleventyConfig.ignores.add(\"src/posts/old/**\");\n  eleventyConfig.ignores.add(\"./src/posts/x.md\");\n  eleventyConfig.ignores.add(\"src/posts/y.md\");\n  eleventyConfig.ignores.delete(\"src/posts/y.md\");\n  eleventyConfig.amendLibrary(\"md\", md => md.use(katex, { output: \"htmlAndMathml\" }));\n};\nexport const config = { dir: { input: \"src\", includes: \"../_includes\", layouts: \"layouts\" } };\n",
        );
        let ignores = EleventyIgnores::read(root, &root.join("src"));
        // `setUseGitIgnore(false)`: the `.gitignore` is not read.
        assert!(!ignores.ignores(Path::new("posts/wip.md")));
        assert!(ignores.ignores(Path::new("posts/old/a.md")));
        assert!(ignores.ignores(Path::new("posts/x.md")));
        // Deleted from the set again.
        assert!(!ignores.ignores(Path::new("posts/y.md")));
        // `includes: "../_includes"` is outside the input; `layouts` inside.
        assert!(ignores.ignores(Path::new("layouts/base.md")));
        let setup =
            eleventy_setup(&std::fs::read_to_string(root.join("eleventy.config.js")).unwrap());
        assert_eq!(setup.folders.get("input").map(String::as_str), Some("src"));
        assert_eq!(setup.folders.get("output"), None);
    }
}
