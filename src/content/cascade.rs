//! Eleventy's data cascade, for the literal values it holds: what a post's
//! own front matter leaves unset may come from its template data file
//! (`post.11tydata.json`), the directory data files of the folders above it
//! (`posts/posts.json`, deeper first), and the front matter of its layout
//! chain (`_includes/post.njk`, which may name a layout of its own). That is
//! where real Eleventy sites set `permalink`, `tags` and
//! `eleventyExcludeFromCollections` for all their posts
//! (11ty.dev/docs/data-cascade). A JavaScript data file (`blog.11tydata.js`,
//! as eleventy-base-blog writes it) gives the literal values of the object
//! it exports; what it computes (functions, `eleventyComputed` functions) is
//! not read: gazette runs no programs.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::frontmatter;
use crate::generators::js_literal::Literal;
use crate::generators::read_once::{Data, ReadOnce};

/// The files of an Eleventy site below `root`, down to `depth` levels,
/// without the folders Eleventy itself never reads (dependencies, its
/// output, version control, gazette's own state).
pub fn site_files(root: &Path, depth: usize) -> impl Iterator<Item = walkdir::DirEntry> {
    walkdir::WalkDir::new(root)
        .max_depth(depth)
        .into_iter()
        .filter_entry(|e| {
            !matches!(
                e.file_name().to_str(),
                Some("node_modules" | "_site" | ".git" | ".gazette")
            )
        })
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
}

/// Layouts may name layouts; a loop or a very long chain stops here.
const MAX_LAYOUTS: usize = 10;

/// Suffixes of a template's or a folder's data files, in the order
/// Eleventy ranks them (11ty.dev/docs/data-template-dir).
const DATA_SUFFIXES: [&str; 5] = [
    ".11tydata.js",
    ".11tydata.cjs",
    ".11tydata.mjs",
    ".11tydata.json",
    ".json",
];

/// Extensions of a global data file (`_data/metadata.*`), the one that
/// wins first: Eleventy reads each and lets the later override, in the
/// order of `TemplateData.getGlobalDataExtensionPriorities` (`json`, `mjs`,
/// `cjs`, `js`), so `metadata.js` is what templates see beside a
/// `metadata.json` (FeydakinJedi's blog).
pub const GLOBAL_DATA_EXTENSIONS: [&str; 4] = ["js", "cjs", "mjs", "json"];

/// The data a data file gives: a JSON object, or the literal values of
/// the object a JavaScript one exports, or of the `export const`s of a
/// module without a default export (eleventy-excellent's `_data/meta.js`).
pub(crate) fn data_file(path: &Path) -> Option<Map<String, Value>> {
    data_file_literal(path).map(|read| read.values)
}

/// What `data_file` reads, with the keys a JavaScript file computes or
/// takes from the environment; of a file that exports another module's
/// default export whole, that module's.
pub(crate) fn data_file_literal(path: &Path) -> Option<Literal> {
    let last = modules_followed(path).pop()?;
    data_file_own_literal(&last)
}

/// A data file, then each module whose default export the one before
/// exports whole (`import data from "../_data/blog.js"; export default
/// data;`), a few at most.
pub(crate) fn modules_followed(path: &Path) -> Vec<PathBuf> {
    let mut chain = vec![path.to_path_buf()];
    while chain.len() < 4 {
        let current = &chain[chain.len() - 1];
        let Some(module) = is_javascript(current)
            .then(|| std::fs::read_to_string(current).ok())
            .flatten()
            .and_then(|text| crate::generators::js_literal::reexported_module(&text))
        else {
            break;
        };
        let Some(folder) = current.parent() else {
            break;
        };
        // `require("./x")` names it without its extension.
        let written = folder.join(&module);
        let found = [written.clone(), folder.join(format!("{module}.js"))]
            .into_iter()
            .find(|candidate| candidate.is_file());
        match found {
            Some(next) if !chain.contains(&next) => chain.push(next),
            _ => break,
        }
    }
    chain
}

/// The files a data file's values come from: the modules it follows
/// (`modules_followed`) and the JSON files the last one imports
/// (`with_json_imports`), which a build's inputs include.
pub(crate) fn data_file_sources(path: &Path) -> Vec<PathBuf> {
    let mut files = modules_followed(path);
    let last = files.last().cloned().unwrap_or_default();
    let script = is_javascript(&last)
        .then(|| std::fs::read_to_string(&last).ok())
        .flatten();
    if let (Some(script), Some(folder)) = (script, last.parent()) {
        files.extend(
            json_imports(&script, folder)
                .into_iter()
                .map(|(_, file)| file),
        );
    }
    files
}

/// Whether `path` is a JavaScript module by its extension.
fn is_javascript(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| ["js", "mjs", "cjs"].iter().any(|x| e == *x))
}

/// The JSON files the module `script` (in `folder`) imports by a relative
/// path, each with the name it binds (`import site from "./site.json"`,
/// `const userConfig = require("../settings.json")`).
fn json_imports(script: &str, folder: &Path) -> Vec<(String, PathBuf)> {
    let Some(module) = crate::generators::js_literal::Module::parse(script) else {
        return Vec::new();
    };
    (module.imports().into_iter())
        .filter(|(_, from)| from.starts_with('.') && from.ends_with(".json"))
        .map(|(name, from)| (name, crate::paths::clean_path(&folder.join(from))))
        .collect()
}

fn data_file_own_literal(path: &Path) -> Option<Literal> {
    let text = std::fs::read_to_string(path).ok()?;
    if path.extension().is_some_and(|e| e == "json") {
        return match serde_json::from_str(&text).ok()? {
            Value::Object(values) => Some(Literal {
                values,
                ..Default::default()
            }),
            _ => None,
        };
    }
    let exported = crate::generators::js_literal::exported_object(&text);
    let one_by_one = || {
        text.contains("export const")
            .then(|| crate::generators::js_literal::front_matter(&text))?
    };
    let folder = path.parent().unwrap_or(Path::new(""));
    exported
        .or_else(one_by_one)
        .map(|literal| with_json_imports(literal, &text, folder, &mut Vec::new()))
}

/// `literal`'s values that are members of a JSON file the module (`script`,
/// in the folder `base`) imports, read from that file as Node reads it:
/// zachleat.com's `title: siteData.name` with `import siteData from
/// "./_data/site.json"`, eleventy-libdoc's `blogSlug: userConfig.blogSlug
/// ?? "posts"` with `const userConfig = require("../settings.json")` (the
/// fallback where the file leaves the member out). A fallback whose
/// variable is not such a file is computed: what the variable holds is
/// not known. Each file read joins `sources`.
pub(crate) fn with_json_imports(
    mut literal: Literal,
    script: &str,
    base: &Path,
    sources: &mut Vec<PathBuf>,
) -> Literal {
    if literal.references.is_empty() {
        return literal;
    }
    // Each imported file read once, however many members are taken from it.
    let imports: Vec<(String, PathBuf, Option<Value>)> = json_imports(script, base)
        .into_iter()
        .map(|(name, file)| {
            let data = std::fs::read_to_string(&file)
                .ok()
                .and_then(|text| serde_json::from_str::<Value>(&text).ok());
            (name, file, data)
        })
        .collect();
    for (key, path) in std::mem::take(&mut literal.references) {
        let parts: Vec<&str> = key.split('.').collect();
        let has_fallback = !literal.computed.contains(&key);
        let (root, members) = path.split_once('.').unwrap_or((&path, ""));
        let imported = imports.iter().find(|(name, _, _)| name == root);
        let Some((_, file, Some(data))) = imported else {
            if has_fallback {
                remove_at(&mut literal.values, &parts);
                literal.computed.push(key);
            }
            continue;
        };
        if !sources.contains(file) {
            sources.push(file.clone());
        }
        let value = members
            .split('.')
            .try_fold(data, |value, member| value.get(member));
        let falsy = |value: &Value| match value {
            Value::Bool(b) => !b,
            Value::Number(n) => n.as_f64() == Some(0.0),
            Value::String(s) => s.is_empty(),
            _ => false,
        };
        match value {
            // Missing or null: the fallback, where there is one.
            None | Some(Value::Null) => {}
            Some(value @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                if falsy(value) && literal.falsy_fallbacks.contains(&key) {
                    continue;
                }
                match value_at_mut(&mut literal.values, &parts) {
                    Some(slot) => *slot = value.clone(),
                    None => {
                        crate::content::read::set_at(&mut literal.values, &parts, value.clone());
                    }
                }
                literal.computed.retain(|computed| *computed != key);
            }
            // An object or a list: not read.
            Some(_) => {
                if has_fallback {
                    remove_at(&mut literal.values, &parts);
                    literal.computed.push(key);
                }
            }
        }
    }
    literal
}

/// The value at the dotted `path` of the site's global data, the files of
/// `_data` in the input folder `root` (eleventy-libdoc's permalinks
/// `{{ libdocConfig.blogSlug }}/warp/index.html` read
/// `_data/libdocConfig.js`): the lowest level of the cascade.
pub fn global_value(root: &Path, path: &str, files: &ReadOnce) -> Option<Value> {
    let (first, rest) = path.split_once('.')?;
    let data = GLOBAL_DATA_EXTENSIONS.iter().find_map(|extension| {
        let file = root.join("_data").join(format!("{first}.{extension}"));
        files.data(&file, data_file)
    })?;
    let (key, below) = rest.split_once('.').unwrap_or((rest, ""));
    let value = data.get(key)?;
    below
        .split('.')
        .filter(|member| !member.is_empty())
        .try_fold(value, |value, member| value.get(member))
        .cloned()
}

/// The value at the dotted `parts` of `map`, when there is one.
fn value_at_mut<'a>(map: &'a mut Map<String, Value>, parts: &[&str]) -> Option<&'a mut Value> {
    let (last, above) = parts.split_last()?;
    let mut inner = map;
    for part in above {
        inner = inner.get_mut(*part)?.as_object_mut()?;
    }
    inner.get_mut(*last)
}

/// Removes the value at the dotted `parts` of `map`.
fn remove_at(map: &mut Map<String, Value>, parts: &[&str]) {
    if let Some((last, above)) = parts.split_last() {
        let mut inner = map;
        for part in above {
            match inner.get_mut(*part).and_then(Value::as_object_mut) {
                Some(next) => inner = next,
                None => return,
            }
        }
        inner.remove(*last);
    }
}

/// Whether `name` is a data file of a template or folder by its name.
pub fn is_javascript_data(name: &str) -> bool {
    DATA_SUFFIXES[..3]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// The data files Eleventy reads for `post` below `root` (the input folder),
/// nearest first: the template's own, then each folder's from the post's up.
fn data_files(post: &Path, root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let (Some(dir), Some(stem)) = (post.parent(), post.file_stem()) {
        let stem = stem.to_string_lossy();
        files.extend(DATA_SUFFIXES.iter().map(|s| dir.join(format!("{stem}{s}"))));
    }
    // The walk gives `posts/x.md` for a site whose input folder is `.`.
    let root = if root == Path::new(".") {
        Path::new("")
    } else {
        root
    };
    let mut dir = post.parent();
    while let Some(folder) = dir {
        if !folder.starts_with(root) || folder == root {
            break;
        }
        if let Some(name) = folder.file_name() {
            let name = name.to_string_lossy();
            files.extend(
                DATA_SUFFIXES
                    .iter()
                    .map(|s| folder.join(format!("{name}{s}"))),
            );
        }
        dir = folder.parent();
    }
    files
}

/// The file a `layout` value names below `includes`: as written, or with
/// one of the template extensions Eleventy tries.
fn layout_file(includes: &Path, layout: &str, files: &ReadOnce) -> Option<PathBuf> {
    let named = includes.join(layout.trim_start_matches('/'));
    let extensions = ["njk", "liquid", "html", "md", "webc"]
        .iter()
        .map(|ext| includes.join(format!("{}.{ext}", layout.trim_start_matches('/'))));
    std::iter::once(named)
        .chain(extensions)
        .find(|p| files.exists(p) && p.is_file())
}

/// `tags` as a list, whether written as one string or a list.
fn tags(value: Option<&Value>) -> Vec<Value> {
    match value {
        Some(Value::String(tag)) => vec![Value::String(tag.clone())],
        Some(Value::Array(tags)) => tags.clone(),
        _ => Vec::new(),
    }
}

/// A value gazette can take as it is: not a template to evaluate, except
/// `permalink`, whose templates gazette reads as Eleventy does.
fn literal(key: &str, value: &Value) -> bool {
    key == "permalink" || !matches!(value, Value::String(s) if s.contains("{{") || s.contains("{%"))
}

/// Fills `map` (a post's front matter) from the cascade: keys it does not
/// set are taken from the nearest level that does, `tags` are merged from
/// every level (as Eleventy merges them), and a literal `eleventyComputed`
/// value wins over all. Returns the files read, which the post depends on.
/// `files` reads each data file and layout once for all the posts.
pub fn fill(
    map: &mut Map<String, Value>,
    post: &Path,
    root: &Path,
    files: &ReadOnce,
) -> Vec<PathBuf> {
    let mut levels: Vec<(PathBuf, Data)> = data_files(post, root)
        .into_iter()
        .filter_map(|file| files.data(&file, data_file).map(|data| (file, data)))
        .collect();
    // The layout chain: the post's layout (from its front matter or its
    // data), then each layout's own.
    let includes = root.join("_includes");
    let mut layout = map
        .get("layout")
        .or_else(|| levels.iter().find_map(|(_, data)| data.get("layout")))
        .and_then(Value::as_str)
        .map(str::to_string);
    for _ in 0..MAX_LAYOUTS {
        let Some(name) = layout.take() else { break };
        let Some(file) = layout_file(&includes, &name, files) else {
            break;
        };
        let Some(data) = files.data(&file, frontmatter::of_file) else {
            break;
        };
        layout = data
            .get("layout")
            .and_then(Value::as_str)
            .map(str::to_string);
        levels.push((file, data));
    }
    let mut merged_tags = tags(map.get("tags"));
    let mut computed: Map<String, Value> = map
        .get("eleventyComputed")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (_, data) in &levels {
        for tag in tags(data.get("tags")) {
            if !merged_tags.contains(&tag) {
                merged_tags.push(tag);
            }
        }
        if let Some(Value::Object(more)) = data.get("eleventyComputed") {
            for (key, value) in more {
                computed.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        for (key, value) in data.iter() {
            if matches!(key.as_str(), "tags" | "eleventyComputed" | "layout") {
                continue;
            }
            if !map.contains_key(key) && literal(key, value) {
                map.insert(key.clone(), value.clone());
            }
        }
    }
    if !merged_tags.is_empty() {
        map.insert("tags".into(), Value::Array(merged_tags));
    }
    for (key, value) in computed {
        if literal(&key, &value) {
            map.insert(key, value);
        }
    }
    levels.into_iter().map(|(file, _)| file).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// verlok/blog-11ty's `blog/blog.11tydata.js`: one module shared by
    /// two folders' data files, exported whole.
    /// eleventy-libdoc's `_data/libdocConfig.js`: each value from the
    /// site's `settings.json`, else its fallback, as Node evaluates `??`
    /// and `||`.
    #[test]
    fn global_data_takes_a_json_files_members_or_their_fallbacks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("src");
        std::fs::create_dir_all(root.join("_data")).unwrap();
        std::fs::write(
            dir.path().join("settings.json"),
            r#"{ "siteTitle": "", "productionUrl": "https://kiln.example.net", "author": null, "count": 0, "links": [] }"#,
        )
        .unwrap();
        std::fs::write(
            root.join("_data/site.js"),
            concat!(
                "import { createRequire } from \"node:module\";\n",
                "const require = createRequire(import.meta.url);\n",
                "const userConfig = require(\"../../settings.json\");\n",
                "export default {\n",
                "  productionUrl: userConfig.productionUrl ?? \"https://fallback.example\",\n",
                "  blogSlug: userConfig.blogSlug ?? \"posts\",\n",
                "  emptyKept: userConfig.siteTitle ?? \"Blog\",\n",
                "  emptyReplaced: userConfig.siteTitle || \"Blog\",\n",
                "  nullReplaced: userConfig.author ?? \"Someone\",\n",
                "  zeroKept: userConfig.count ?? 5,\n",
                "  listComputed: userConfig.links ?? \"none\",\n",
                "  unknown: elsewhere.value ?? \"guess\",\n",
                "};\n",
            ),
        )
        .unwrap();
        let read = data_file_literal(&root.join("_data/site.js")).unwrap();
        let values = &read.values;
        assert_eq!(values["productionUrl"], "https://kiln.example.net");
        assert_eq!(values["blogSlug"], "posts");
        assert_eq!(values["emptyKept"], "");
        assert_eq!(values["emptyReplaced"], "Blog");
        assert_eq!(values["nullReplaced"], "Someone");
        assert_eq!(values["zeroKept"], 0);
        assert!(!values.contains_key("listComputed") && !values.contains_key("unknown"));
        assert!(read.computed.contains(&"listComputed".to_string()));
        assert!(read.computed.contains(&"unknown".to_string()));
        let files = ReadOnce::default();
        assert_eq!(
            global_value(&root, "site.blogSlug", &files),
            Some(Value::String("posts".into()))
        );
        assert_eq!(global_value(&root, "site.missing", &files), None);
        assert_eq!(global_value(&root, "other.blogSlug", &files), None);
    }

    #[test]
    fn a_data_file_exporting_another_modules_data_whole_gives_that_modules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("_data")).unwrap();
        std::fs::create_dir_all(root.join("content/en/blog")).unwrap();
        std::fs::write(
            root.join("_data/blogComputed.js"),
            "export default {\n  tags: [\"posts\"],\n  layout: \"layouts/post.njk\",\n  eleventyComputed: { permalink: (data) => data.page.fileSlug.toUpperCase() },\n};\n",
        )
        .unwrap();
        let data = root.join("content/en/blog/blog.11tydata.js");
        std::fs::write(
            &data,
            "import blogComputed from \"../../../_data/blogComputed.js\";\nexport default blogComputed;\n",
        )
        .unwrap();
        let read = data_file_literal(&data).unwrap();
        assert_eq!(read.values["tags"], serde_json::json!(["posts"]));
        assert_eq!(read.values["layout"], "layouts/post.njk");
        assert_eq!(read.computed, ["eleventyComputed.permalink"]);
        assert_eq!(
            modules_followed(&data),
            [
                data.clone(),
                data.parent()
                    .unwrap()
                    .join("../../../_data/blogComputed.js")
            ]
        );
        // CommonJS, its extension left out; a module that exports itself
        // is followed once.
        std::fs::write(&data, "module.exports = require(\"./shared\");\n").unwrap();
        std::fs::write(
            root.join("content/en/blog/shared.js"),
            "module.exports = { tags: \"notes\" };\n",
        )
        .unwrap();
        assert_eq!(data_file(&data).unwrap()["tags"], "notes");
        std::fs::write(&data, "module.exports = require(\"./blog.11tydata.js\");\n").unwrap();
        assert_eq!(modules_followed(&data), vec![data]);
    }

    #[test]
    fn front_matter_then_data_files_then_layouts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("posts/2024")).unwrap();
        std::fs::create_dir_all(root.join("_includes/layouts")).unwrap();
        std::fs::write(
            root.join("posts/posts.json"),
            r#"{"tags": "posts", "layout": "layouts/post.njk", "author": "Dir Author"}"#,
        )
        .unwrap();
        std::fs::write(
            root.join("posts/2024/2024.11tydata.json"),
            r#"{"tags": ["2024"]}"#,
        )
        .unwrap();
        std::fs::write(
            root.join("_includes/layouts/post.njk"),
            "---\nlayout: base\npermalink: \"/blog/{{ page.fileSlug }}/\"\nauthor: Layout Author\n---\n{{ content }}",
        )
        .unwrap();
        std::fs::write(
            root.join("_includes/base.html"),
            "---\neleventyExcludeFromCollections: false\nsummary: \"{{ title }}\"\n---\n<html>",
        )
        .unwrap();
        let post = root.join("posts/2024/hello.md");
        let mut map = Map::new();
        map.insert("title".into(), Value::String("Hello".into()));
        map.insert("tags".into(), Value::String("rust".into()));
        let read = fill(&mut map, &post, root, &ReadOnce::default());
        assert_eq!(map["permalink"], "/blog/{{ page.fileSlug }}/");
        assert_eq!(
            map["author"], "Dir Author",
            "the directory outranks the layout"
        );
        assert_eq!(map["tags"], serde_json::json!(["rust", "2024", "posts"]));
        assert_eq!(map["eleventyExcludeFromCollections"], false);
        assert!(
            !map.contains_key("summary"),
            "a template value is not taken"
        );
        assert_eq!(read.len(), 4, "{read:?}");

        // A JavaScript data file's literal values, ranked over the JSON
        // one of the same folder; what it computes is left out.
        std::fs::write(
            root.join("posts/2024/2024.11tydata.js"),
            "export default { tags: ['js'], author: 'Script Author', summary: () => 'x' };",
        )
        .unwrap();
        std::fs::write(
            root.join("posts/2024/2024.json"),
            r#"{"author": "Json Author", "summary": "From JSON"}"#,
        )
        .unwrap();
        let mut scripted = Map::new();
        fill(&mut scripted, &post, root, &ReadOnce::default());
        assert_eq!(scripted["author"], "Script Author");
        assert_eq!(scripted["summary"], "From JSON");
        assert_eq!(scripted["tags"], serde_json::json!(["js", "2024", "posts"]));

        // The post's own value and a literal eleventyComputed one win.
        let mut own = Map::new();
        own.insert("author".into(), Value::String("Own".into()));
        own.insert(
            "eleventyComputed".into(),
            serde_json::json!({"permalink": "/computed/{{ page.fileSlug }}/"}),
        );
        fill(&mut own, &post, root, &ReadOnce::default());
        assert_eq!(own["author"], "Own");
        assert_eq!(own["permalink"], "/computed/{{ page.fileSlug }}/");
    }
}
