//! Rendering again only what changed. Each output file has a fingerprint: a
//! hash of everything its bytes come from (gazette's version, the config,
//! the templates, every post's address, the show's recorded guid, the
//! file's own description, and the stamp, id and dates of each post it
//! holds: the publication record gives ids and dates without a file
//! changing). A file whose fingerprint is the
//! one the last build wrote it with, and which is still as that build left
//! it, is kept without reading or rendering any of its posts.

use std::collections::HashMap;
use std::fmt::Debug;
use std::path::PathBuf;

use sha2::Digest;

use super::Entry;
use crate::config::Config;
use crate::content::cache::{self, Reuse};
use crate::content::{Post, Site};

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
            for part in [cache::build_identity(), &keys.inputs, &keys.templates] {
                hash.update(part.as_bytes());
                hash.update([0]);
            }
            // A post's body may link to any other post, or a page the
            // feeds leave out, by its file: every entry depends on every
            // such address.
            let posts = site.posts.iter().map(|post| (&post.path, &post.url));
            for (path, url) in posts.chain(site.pages.iter().map(|(path, url)| (path, url))) {
                hash.update(path.as_os_str().as_encoded_bytes());
                hash.update([0]);
                hash.update(url.as_str().as_bytes());
                hash.update([0]);
            }
            hash.update(
                site.record
                    .record
                    .podcast_guid
                    .as_deref()
                    .unwrap_or_default()
                    .as_bytes(),
            );
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
            hash.update(stamp.to_le_bytes());
            hash.update(identity(post).as_bytes());
        }
        let print = hex::encode(&hash.finalize()[..16]);
        let same = self.previous.get(file) == Some(&print);
        self.taken.push((file.to_string(), print));
        same
    }
}

/// What the publication record may give a post without its file changing.
fn identity(post: &Post) -> String {
    format!("{}\0{:?}\0{:?}\0", post.id, post.date, post.updated)
}

/// What a build renders with from before it: this build's keys, what the
/// last build wrote, and the entries earlier builds of the session rendered.
pub(crate) struct Earlier<'a> {
    pub(crate) keys: &'a cache::Keys,
    pub(crate) reuse: &'a Reuse,
    pub(crate) entries: &'a mut Entries,
}

/// Feed entries rendered by earlier builds of one session (`gazette
/// watch`), by post file: one is used again while its file and everything
/// the fingerprints' base covers (config, templates, every post's address)
/// are as they were. Only the entries of posts some feed holds are kept.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    base: Option<Vec<u8>>,
    kept: HashMap<PathBuf, Entry>,
}

impl Entries {
    /// Forgets every entry when what they were rendered with changed.
    pub(crate) fn begin(&mut self, prints: &Fingerprints<'_>) {
        let base = prints
            .base
            .as_ref()
            .map(|hash| hash.clone().finalize().to_vec());
        if base.is_none() || base != self.base {
            self.kept.clear();
        }
        self.base = base;
    }

    /// The entry of `post` as its file and its record are now.
    pub(crate) fn get(&self, post: &Post) -> Option<&Entry> {
        let entry = self.kept.get(&post.path)?;
        (post.stamp.is_some()
            && entry.post.stamp == post.stamp
            && identity(&entry.post) == identity(post))
        .then_some(entry)
    }

    /// Keeps `rendered` for later builds; returns the entries it cannot
    /// keep (of posts without a stamp).
    pub(crate) fn remember(&mut self, rendered: Vec<Entry>) -> Vec<Entry> {
        let mut left = Vec::new();
        for entry in rendered {
            match entry.post.stamp {
                Some(_) => {
                    self.kept.insert(entry.post.path.clone(), entry);
                }
                None => left.push(entry),
            }
        }
        left
    }

    /// Forgets the entries of posts no feed holds any more.
    pub(crate) fn keep_only(&mut self, posts: &[&Post]) {
        let held: std::collections::HashSet<&std::path::Path> =
            posts.iter().map(|post| post.path.as_path()).collect();
        self.kept.retain(|path, _| held.contains(path.as_path()));
    }
}
