//! Where an Eleventy site's config is, and the site's own modules it
//! imports: the code that says what the site builds, which gazette reads
//! for its literal values and never runs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::js_literal::Module;
use super::js_modules::SiteModules;

/// The config files Eleventy looks for, in its order
/// (`TemplateConfig.js`'s `projectConfigPaths`): the first found is read.
pub const CONFIG_FILES: [&str; 4] = [
    ".eleventy.js",
    "eleventy.config.js",
    "eleventy.config.mjs",
    "eleventy.config.cjs",
];

/// Modules read past the config before the rest are left unread.
const MAX_MODULES: usize = 64;

/// The Eleventy config of the site in `root`: the one its build names
/// with `--config` in a `package.json` script that runs Eleventy (a
/// TypeScript config run with `tsx`, a config kept elsewhere), else the
/// first of Eleventy's own names that exists.
pub fn config_file(root: &Path) -> Option<PathBuf> {
    named_by_scripts(root).or_else(|| {
        CONFIG_FILES
            .iter()
            .map(|name| root.join(name))
            .find(|path| path.is_file())
    })
}

/// The config a `package.json` script passes to Eleventy: the `build`
/// script's first, as a deploy runs it, else any other script's.
fn named_by_scripts(root: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(root.join("package.json")).ok()?;
    let package: Value = serde_json::from_str(&text).ok()?;
    let scripts = package.get("scripts")?.as_object()?;
    let flag = regex::Regex::new(r#"--config(?:=|\s+)["']?([^\s"'&|;]+)"#).ok()?;
    let build = scripts.get("build").into_iter();
    // The flag after Eleventy's own name, not another tool's
    // (`eslint --config x && eleventy`).
    build
        .chain(scripts.values())
        .filter_map(Value::as_str)
        .filter_map(|command| command.find("eleventy").map(|at| &command[at..]))
        .filter_map(|command| flag.captures(command))
        .map(|found| root.join(&found[1]))
        .find(|path| path.is_file())
}

/// The config at `config` (its text `script`, already read) and the
/// site's own modules it imports, directly or through each other (a plugin
/// list in `config/plugins.ts` adding the feed plugin from
/// `config/feed.ts`), each with its text: the config first, then in the
/// order their imports are met, each path below `root` as the config's is.
pub fn modules(root: &Path, config: &Path, script: String) -> Vec<(PathBuf, String)> {
    let Some(parsed) = Module::parse(&script) else {
        return vec![(config.to_path_buf(), script)];
    };
    let mut site = SiteModules::new(root, config, parsed);
    let mut found = vec![(config.to_path_buf(), script)];
    let mut seen: HashSet<PathBuf> = HashSet::from([config.to_path_buf()]);
    let mut next = 0;
    while next < found.len() && found.len() < MAX_MODULES {
        let path = found[next].0.clone();
        next += 1;
        // A JSON file a module imports is data, not code.
        let code = |path: &PathBuf| {
            path.extension().is_some_and(|x| {
                ["js", "mjs", "cjs", "ts", "mts", "cts"].contains(&&*x.to_string_lossy())
            })
        };
        for module in site.imported_modules(&path).into_iter().filter(code) {
            if seen.insert(module.clone()) {
                if let Ok(text) = std::fs::read_to_string(&module) {
                    site.insert(&module, &text);
                    found.push((module, text));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::generators::site_of as site;

    #[test]
    fn the_config_is_the_one_the_build_names_else_eleventys_first() {
        let both = site(&[
            ("eleventy.config.js", "export default {};"),
            (".eleventy.js", "module.exports = {};"),
        ]);
        assert_eq!(
            config_file(both.path()),
            Some(both.path().join(".eleventy.js"))
        );
        // nathan-smith.org's: a TypeScript config run with tsx.
        let named = site(&[
            ("eleventy.config.js", "export default {};"),
            (".eleventy.ts", "export default {};"),
            ("eslint.config.mjs", "export default [];"),
            (
                "package.json",
                r#"{"scripts": {"eleventy": "tsx ./node_modules/@11ty/eleventy/cmd.cjs --config=.eleventy.ts", "build": "eslint --config eslint.config.mjs && npm run eleventy", "lint": "eslint --config eslint.config.mjs"}}"#,
            ),
        ]);
        assert_eq!(
            config_file(named.path()),
            Some(named.path().join(".eleventy.ts"))
        );
        // A config the build names that is not there is no config.
        let missing = site(&[(
            "package.json",
            r#"{"scripts": {"build": "eleventy --config gone.js"}}"#,
        )]);
        assert_eq!(config_file(missing.path()), None);
    }

    #[test]
    fn modules_are_the_config_and_the_sites_modules_it_imports() {
        let dir = site(&[
            (
                ".eleventy.ts",
                "import type MarkdownIt from \"markdown-it\";\nimport registerPlugins from \"./config/plugins\";\nexport default function (config: EleventyConfig) { registerPlugins(config); }\n",
            ),
            (
                "config/plugins.ts",
                "import { feed } from \"./feed.js\";\nimport { drafts } from \"./drafts.js\";\nimport navigation from \"@11ty/eleventy-navigation\";\nexport default function (config: EleventyConfig) { config.addPlugin(feed); }\n",
            ),
            ("config/feed.ts", "import { feed as again } from \"./feed.js\";\nexport function feed(config: EleventyConfig) {}\n"),
            ("config/drafts.ts", "import site from \"../site.json\";\nexport function drafts() {}\n"),
            ("site.json", "{\"draft\": true}"),
            ("config/unused.ts", "export const x = 1;\n"),
        ]);
        let config = dir.path().join(".eleventy.ts");
        let script = std::fs::read_to_string(&config).unwrap();
        let found: Vec<String> = modules(dir.path(), &config, script)
            .iter()
            .map(|(path, _)| path.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            found,
            [
                ".eleventy.ts",
                "config/plugins.ts",
                "config/feed.ts",
                "config/drafts.ts"
            ]
        );
    }
}
