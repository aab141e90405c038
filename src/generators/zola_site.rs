//! Where a Zola site keeps what Zola reads beside its content: its config
//! file and its own and its theme's templates.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A Zola site's config file: `config.toml`, else `zola.toml`, the name
/// Zola 0.22 also reads.
pub fn config_file(root: &Path) -> PathBuf {
    let zola = root.join("zola.toml");
    let config = root.join("config.toml");
    match !config.is_file() && zola.is_file() {
        true => zola,
        false => config,
    }
}

/// The site's config as JSON values: an empty table where it cannot be read.
pub fn read_config(root: &Path) -> Value {
    let config: toml::Table = std::fs::read_to_string(config_file(root))
        .ok()
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_default();
    serde_json::to_value(&config).unwrap_or(Value::Null)
}

/// Every template Zola loads for the site (`templates/**/*.{*ml,md}`), its
/// theme's first so that the site's own of the same name, after, win: each
/// one's name (its path below `templates/`) and file. `config` is the
/// site's (`read_config`), which names the theme.
pub fn template_files(root: &Path, config: &Value) -> Vec<(String, PathBuf)> {
    let theme = theme_folder(root, config);
    let mut found = Vec::new();
    for templates in theme
        .iter()
        .map(|t| t.join("templates"))
        .chain([root.join("templates")])
    {
        let mut files: Vec<(String, PathBuf)> = walkdir::WalkDir::new(&templates)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .filter_map(|entry| {
                let extension = entry.path().extension()?.to_str()?;
                if !(extension.ends_with("ml") || extension == "md") {
                    return None;
                }
                let name = entry.path().strip_prefix(&templates).ok()?.to_str()?;
                Some((name.replace('\\', "/"), entry.into_path()))
            })
            .collect();
        files.sort();
        found.extend(files);
    }
    found
}

/// The folder of the theme the site's config names.
pub fn theme_folder(root: &Path, config: &Value) -> Option<PathBuf> {
    let theme = config.get("theme").and_then(Value::as_str)?;
    Some(root.join("themes").join(theme))
}
