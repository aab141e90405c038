//! A site's own JavaScript modules, read once each, and the functions its
//! config names followed through them: a filter (`addFilter("slugify",
//! filters.slugifyString)`) or a collection (`addCollection("posts",
//! postsCollection)`) defined imports away from the config that adds it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::js_literal::{Function, Module};

/// Imports followed from the config before giving up on a function.
const MAX_IMPORTS: usize = 8;

/// The site's modules, each read once.
pub struct SiteModules<'a> {
    root: &'a Path,
    modules: HashMap<PathBuf, Option<Module>>,
    read: Vec<PathBuf>,
}

impl<'a> SiteModules<'a> {
    /// The modules of the site in `root`, starting from its config at
    /// `config`, already parsed.
    pub fn new(root: &'a Path, config: &Path, parsed: Module) -> Self {
        SiteModules {
            root,
            modules: HashMap::from([(config.to_path_buf(), Some(parsed))]),
            read: vec![config.to_path_buf()],
        }
    }

    /// Every module read, the config first: the files what was followed
    /// depends on.
    pub fn into_read(self) -> Vec<PathBuf> {
        self.read
    }

    /// The module at `path`, read and parsed by the caller, which needs
    /// its text too.
    pub fn insert(&mut self, path: &Path, text: &str) {
        self.read.push(path.to_path_buf());
        self.modules.insert(path.to_path_buf(), Module::parse(text));
    }

    pub fn module(&mut self, path: &Path) -> Option<&Module> {
        if !self.modules.contains_key(path) {
            let module = std::fs::read_to_string(path)
                .ok()
                .and_then(|text| Module::parse(&text));
            self.read.push(path.to_path_buf());
            self.modules.insert(path.to_path_buf(), module);
        }
        self.modules.get(path)?.as_ref()
    }

    /// The site's module `specifier` (`./filters.js`, `../lib/slug`)
    /// imported by `importer`, as a path below `root` (the form the
    /// config's own path has, so each module has one key and shows as the
    /// site's own file); none outside the site or from a package.
    pub fn imported(&self, importer: &Path, specifier: &str) -> Option<PathBuf> {
        if !specifier.starts_with("./") && !specifier.starts_with("../") {
            return None;
        }
        let base = importer.parent()?.join(specifier);
        // TypeScript imports `./feed.js` for the `./feed.ts` it compiles.
        let found = [
            base.clone(),
            base.with_extension("js"),
            base.with_extension("mjs"),
            base.with_extension("cjs"),
            base.with_extension("ts"),
            base.with_extension("mts"),
            base.join("index.js"),
            base.join("index.ts"),
        ]
        .into_iter()
        .find(|path| path.is_file())?;
        // `Path::new("")`, the current folder, has no canonical form.
        let root = crate::paths::or_current(self.root);
        let within = found
            .canonicalize()
            .ok()?
            .strip_prefix(root.canonicalize().ok()?)
            .ok()?
            .to_path_buf();
        Some(self.root.join(within))
    }

    /// The site's own modules the module at `path` imports.
    pub fn imported_modules(&mut self, path: &Path) -> Vec<PathBuf> {
        let Some(module) = self.module(path) else {
            return Vec::new();
        };
        let mut specifiers: Vec<String> = module.imports().into_iter().map(|(_, s)| s).collect();
        specifiers.dedup();
        specifiers
            .iter()
            .filter_map(|specifier| self.imported(path, specifier))
            .collect()
    }

    /// Where `function`, used in the module at `path`, is written,
    /// following names through definitions and imports.
    pub fn written(&mut self, path: &Path, function: Function) -> Option<(PathBuf, Function)> {
        self.written_within(path, function, 0)
    }

    fn written_within(
        &mut self,
        path: &Path,
        function: Function,
        imports: usize,
    ) -> Option<(PathBuf, Function)> {
        let Function::Named { object, name } = function else {
            return Some((path.to_path_buf(), function));
        };
        if imports > MAX_IMPORTS {
            return None;
        }
        let module = self.module(path)?;
        let imported = module.imports();
        let defined = module.function(&name);
        let from = |binding: &str| {
            imported
                .iter()
                .find(|(bound, _)| bound == binding)
                .map(|(_, specifier)| specifier.clone())
        };
        let elsewhere = object.as_deref().and_then(from).or_else(|| from(&name));
        match (defined, elsewhere) {
            (Some(defined), _)
                if defined
                    != Function::Named {
                        object: None,
                        name: name.clone(),
                    } =>
            {
                self.written_within(path, defined, imports + 1)
            }
            (_, Some(specifier)) => {
                let next = self.imported(path, &specifier)?;
                let named = Function::Named { object: None, name };
                self.written_within(&next, named, imports + 1)
            }
            _ => None,
        }
    }
}
