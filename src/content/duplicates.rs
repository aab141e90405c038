//! Two published posts with one id or one URL would be one entry to a feed
//! reader, or one page: the later file (by path) is reported and left out.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::cache;
use super::collect::Site;
use super::{publish, Post, State};
use crate::error::{Diagnostic, Report};
use crate::generators::Generator;

/// Two published posts with one id would be one entry to a feed reader: the
/// later file (by path) is reported and left out. Gives where the posts left
/// out were among the site's posts, in order, with their paths.
pub(super) fn reject_duplicates(
    site: &mut Site,
    generator: Generator,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Vec<(usize, PathBuf)> {
    // Only a post whose URL or id hashes as another's can clash: the
    // others need no place in the maps below, which would otherwise hold
    // every post of the site (16 bytes a post here, ~66 there). Each
    // published post's URL and id are hashed once, and sorted by hash; a
    // fast hash, as a collision costs only a closer look.
    let hash = |text: &str| {
        let mut hasher = rustc_hash::FxHasher::default();
        std::hash::Hash::hash(text, &mut hasher);
        std::hash::Hasher::finish(&hasher)
    };
    let mut hashed: Vec<(u64, usize)> = site
        .posts
        .iter()
        .enumerate()
        .filter(|(_, post)| publish::state(post, now) == State::Published)
        .map(|(index, _)| (0, index))
        .collect();
    let mut candidates = Vec::new();
    let keys: [fn(&Post) -> &str; 2] = [|post| post.url.as_str(), |post| post.id.as_str()];
    for key in keys {
        for (hashed, index) in &mut hashed {
            *hashed = hash(key(&site.posts[*index]));
        }
        hashed.sort_unstable();
        let shared = hashed
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1);
        candidates.extend(shared.flatten().map(|(_, index)| *index));
    }
    drop(hashed);
    candidates.sort_unstable();
    candidates.dedup();
    // Indexes into the posts, not copies of their ids and URLs.
    let mut seen_ids: HashMap<&str, usize> = HashMap::new();
    let mut seen_urls: HashMap<&str, usize> = HashMap::new();
    let mut rejected = Vec::new();
    // Hugo's own choice, not a mistake of the site's: passed over, said.
    let mut passed_over = Vec::new();
    for index in candidates {
        let post = &site.posts[index];
        let clash = seen_urls
            .get(post.url.as_str())
            .map(|&other| ("URL", other))
            .or_else(|| seen_ids.get(post.id.as_str()).map(|&other| ("id", other)));
        if let Some((what, other)) = clash {
            let bundle = &site.posts[other].path;
            if what == "URL" && generator == Generator::Hugo && is_bundle_of(bundle, &post.path) {
                let reason = format!(
                    "the leaf bundle {} has the same URL, and Hugo publishes the bundle (Hugo 0.111 always; 0.168 either of the two from run to run): gazette leaves this file out; give one of them another `slug` or `url`",
                    bundle.display()
                );
                report.push(Diagnostic::warning(&post.path, None, reason.clone()));
                passed_over.push((index, reason));
                rejected.push(index);
                continue;
            }
            report.push(Diagnostic::error(
                &post.path,
                None,
                format!(
                    "same {what} as {} ({}): {}",
                    site.posts[other].path.display(),
                    if what == "id" {
                        post.id.as_str()
                    } else {
                        post.url.as_str()
                    },
                    // Another id leaves two pages at one address.
                    if what == "id" {
                        "give one of them another `id`"
                    } else {
                        "give one of them another address: another `slug`, or another own URL where it sets one (`url`, `permalink`, `path`)"
                    }
                ),
            ));
            rejected.push(index);
            continue;
        }
        seen_ids.insert(&post.id, index);
        seen_urls.insert(post.url.as_str(), index);
    }
    drop((seen_ids, seen_urls));
    // In one pass: removing them one by one would move every later post
    // each time.
    let mut removed: Vec<(usize, PathBuf)> = Vec::with_capacity(rejected.len());
    let mut rejected = rejected.into_iter().peekable();
    let mut index = 0;
    site.posts.retain_mut(|post| {
        let out = rejected.next_if_eq(&index).is_some();
        if out {
            removed.push((index, std::mem::take(&mut post.path)));
        }
        index += 1;
        !out
    });
    let mut passed_over = passed_over.into_iter().peekable();
    for (index, path) in &removed {
        match passed_over.next_if(|(at, _)| at == index) {
            Some((_, reason)) => site.skipped.push((path.clone(), reason)),
            None => site.failed.push(path.clone()),
        }
    }
    removed
}

/// Whether `bundle` is Hugo's leaf bundle `x/index.md` of the page file
/// `x.md` beside it: one logical path, which Hugo publishes once. The
/// bundle is always the one kept: the walk lists it first (`x/` before
/// `x.md`, the separator sorting first).
fn is_bundle_of(bundle: &std::path::Path, file: &std::path::Path) -> bool {
    let is_index = bundle.file_stem().is_some_and(|stem| stem == "index");
    let folder = bundle.parent();
    is_index
        && folder.and_then(|f| f.parent()) == file.parent()
        && folder.and_then(|f| f.file_name()) == file.file_stem()
}

/// The records of the posts `reject_duplicates` left out (where they were
/// among the posts, in order, and their paths) become records of files
/// read anew next time.
pub(super) fn mark_duplicates(records: &mut [cache::Record], rejected: Vec<(usize, PathBuf)>) {
    let mut rejected = rejected.into_iter().peekable();
    let post_records = records
        .iter_mut()
        .filter(|record| matches!(record, cache::Record::Post { .. }));
    for (index, record) in post_records.enumerate() {
        let Some((_, path)) = rejected.next_if(|(at, _)| *at == index) else {
            continue;
        };
        if let cache::Record::Post { stamp, .. } = record {
            *record = cache::Record::File(Box::new(cache::FileRecord {
                path,
                stamp: *stamp,
                read: cache::FileRead::ReadAnew,
            }));
        }
    }
}
