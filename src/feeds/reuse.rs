//! Rendering again only what changed. Each output file has a fingerprint: a
//! hash of everything its bytes come from (gazette's version, the config,
//! the templates, every post's address, the file's own description, and
//! the stamp of each post file it holds). A file whose fingerprint is the
//! one the last build wrote it with, and which is still as that build left
//! it, is kept without reading or rendering any of its posts.

use std::collections::HashMap;
use std::fmt::Debug;
use std::path::PathBuf;

use sha2::Digest;

use crate::config::Config;
use crate::content::cache;
use crate::content::{Post, Site};
use crate::error::Diagnostic;

/// What the last build left that this one may keep.
#[derive(Debug, Default)]
pub(crate) struct Reuse {
    /// Fingerprints of the output files (paths inside the output folder)
    /// that are still as the last build wrote them.
    pub(crate) previous: HashMap<String, String>,
    /// What rendering each post gave to report, by the template it was
    /// rendered with, as the last build reported it.
    pub(crate) warnings: PostWarnings,
}

/// The diagnostics rendering each post gave, by post file: kept so that a
/// build which keeps a feed reports what rendering its posts would report.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct PostWarnings {
    /// As a feed entry.
    pub(crate) entries: HashMap<PathBuf, Vec<Diagnostic>>,
    /// As podcast show notes.
    pub(crate) notes: HashMap<PathBuf, Vec<Diagnostic>>,
}

/// The fingerprints of one build.
pub(crate) struct Fingerprints<'a> {
    /// What every file depends on; `None` without the build cache: then
    /// nothing is kept.
    base: Option<sha2::Sha256>,
    previous: &'a HashMap<String, String>,
    /// Each file's fingerprint in this build, for the next one.
    pub(crate) taken: Vec<(String, String)>,
}

impl<'a> Fingerprints<'a> {
    pub(crate) fn new(
        config: &Config,
        keys: &cache::Keys,
        site: &'a Site,
        reuse: &'a Reuse,
    ) -> Fingerprints<'a> {
        let base = config.cache.then(|| {
            let mut hash = sha2::Sha256::new();
            for part in [env!("CARGO_PKG_VERSION"), &keys.inputs, &keys.templates] {
                hash.update(part.as_bytes());
                hash.update([0]);
            }
            // A post's body may link to any other post by its file: every
            // entry depends on every post's address.
            for post in &site.posts {
                hash.update(post.path.as_os_str().as_encoded_bytes());
                hash.update([0]);
                hash.update(post.url.as_str().as_bytes());
                hash.update([0]);
            }
            hash
        });
        Fingerprints {
            base,
            previous: &reuse.previous,
            taken: Vec::new(),
        }
    }

    /// Whether `file`, described by `about` and holding `posts`, would come
    /// out as the last build wrote it (and the file is still that). Its
    /// fingerprint is kept for the next build either way; a post without a
    /// stamp means the file is always rendered.
    pub(crate) fn unchanged(&mut self, file: &str, about: &impl Debug, posts: &[&Post]) -> bool {
        let Some(mut hash) = self.base.clone() else {
            return false;
        };
        hash.update(file.as_bytes());
        hash.update([0]);
        hash.update(format!("{about:?}").as_bytes());
        for post in posts {
            let Some(stamp) = post.stamp else {
                return false;
            };
            hash.update(post.path.as_os_str().as_encoded_bytes());
            hash.update(stamp.bytes());
        }
        let print = hex::encode(&hash.finalize()[..16]);
        let same = self.previous.get(file) == Some(&print);
        self.taken.push((file.to_string(), print));
        same
    }
}
