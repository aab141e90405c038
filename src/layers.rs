//! The layering written in `ARCHITECTURE.md`, checked against the imports
//! in `src/`: a module may use only modules on lines below its own there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MARKER: &str = "<!-- layers: checked by src/layers.rs -->";

/// Each top-level module with its line in the block, 0 for the lowest.
fn layers(architecture: &str) -> BTreeMap<String, usize> {
    let after = architecture
        .split_once(MARKER)
        .expect("ARCHITECTURE.md has lost its layers block")
        .1;
    let block = after
        .trim_start()
        .strip_prefix("```")
        .and_then(|rest| rest.split_once("```"))
        .expect("the layers block is a fenced code block")
        .0;
    let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut layer = BTreeMap::new();
    for (position, line) in lines.iter().enumerate() {
        for module in line.split(',') {
            let previous = layer.insert(module.trim().to_string(), lines.len() - 1 - position);
            assert!(previous.is_none(), "{module} is listed twice");
        }
    }
    layer
}

/// The top-level modules a source file names as `crate::module`, outside
/// comments and its test module.
fn imports(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut lines = source.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().ends_with("mod tests {"))
        {
            // rustfmt puts the module's closing brace, and only it, at the
            // start of a line.
            lines.by_ref().find(|l| *l == "}");
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let name: String = rest[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
            rest = &rest[at + "crate::".len()..];
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_import_follows_the_layers_in_architecture_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let layer = layers(&std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap());
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut modules_seen = BTreeSet::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = Path::new(first).file_stem().unwrap().to_str().unwrap();
        // The crate root and the binary sit above every layer.
        if ["lib", "main", "cmd", "layers"].contains(&module) {
            continue;
        }
        modules_seen.insert(module.to_string());
        let Some(&own) = layer.get(module) else {
            wrong.push(format!(
                "{}: module `{module}` is not in ARCHITECTURE.md's layers",
                relative.display()
            ));
            continue;
        };
        for used in imports(&std::fs::read_to_string(&file).unwrap()) {
            if used == module {
                continue;
            }
            match layer.get(&used) {
                Some(&theirs) if theirs < own => {}
                Some(_) => wrong.push(format!(
                    "{}: `{module}` imports `{used}`, which is not below it",
                    relative.display()
                )),
                None => wrong.push(format!(
                    "{}: `{module}` imports `{used}`, which is not in ARCHITECTURE.md's layers",
                    relative.display()
                )),
            }
        }
    }
    for listed in layer.keys() {
        if !modules_seen.contains(listed) {
            wrong.push(format!(
                "ARCHITECTURE.md lists `{listed}`, which is not a module"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "against the layering:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn an_import_from_above_is_caught() {
    let layer = layers(&format!("{MARKER}\n```\nfeeds\ncontent\n```\n"));
    assert!(layer["feeds"] > layer["content"]);
    let source = "// crate::feeds in a comment\nuse crate::feeds::x;\n#[cfg(test)]\nmod tests {\n    use crate::render;\n}\nfn f() -> crate::config::Config {}\n";
    assert_eq!(
        imports(source),
        BTreeSet::from(["config".to_string(), "feeds".to_string()])
    );
}
