//! `build` and `check`: read the site, render every feed, stage the files
//! and put them in place together. `session` makes a build start from what
//! the last one read and wrote.

mod session;

pub use session::Session;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::content;
use crate::content::cache::Reuse;
use crate::error::{Error, Report};
use crate::feeds;
use crate::output::{self, Written};
use crate::render::templates::Templates;

/// What `build` or `check` did.
#[derive(Debug, Default)]
pub struct BuildSummary {
    /// Files read as posts, including those with errors.
    pub posts: usize,
    /// Posts published (in the feeds).
    pub published: usize,
    /// How many failed.
    pub failed: usize,
    /// Files whose bytes changed.
    pub changed: Vec<PathBuf>,
    /// Files left as they were.
    pub unchanged: Vec<PathBuf>,
    /// Files an earlier build wrote that this one no longer does.
    pub removed: Vec<PathBuf>,
    /// Nothing was written: every post failed and the old feeds were kept.
    pub kept: bool,
    /// What the build cache keeps for the next build to keep files by.
    pub(crate) fingerprints: Vec<(String, String)>,
    pub(crate) post_warnings: crate::content::cache::PostWarnings,
}

/// `build` for a site already read.
pub fn build_site(
    config: &Config,
    site: &content::Site,
    now: DateTime<Utc>,
    options: BuildOptions,
    report: &mut Report,
) -> Result<BuildSummary, Error> {
    let keys = content::cache::Keys::of(config);
    let templates = Templates::load(&config.templates_dir)?;
    let earlier = feeds::reuse::Earlier {
        keys: &keys,
        reuse: &Reuse::default(),
        entries: &mut Default::default(),
    };
    build_reusing(config, site, now, options, &templates, earlier, report)
}

/// `build_site`, keeping the files `reuse` says would come out the same.
pub(crate) fn build_reusing(
    config: &Config,
    site: &content::Site,
    now: DateTime<Utc>,
    options: BuildOptions,
    templates: &Templates,
    earlier: feeds::reuse::Earlier<'_>,
    report: &mut Report,
) -> Result<BuildSummary, Error> {
    // Each file is staged (written under a temporary name) as soon as it is
    // rendered, so a build holds one feed at a time, and none is put in
    // place unless every one rendered.
    let mut staged: Vec<(String, output::Staged)> = Vec::new();
    let mut sink = |file: String, rendered: feeds::Output| -> Result<(), Error> {
        if !options.dry_run {
            let staged_file = match rendered {
                feeds::Output::Bytes(bytes) => output::stage(&config.output_dir, &file, &bytes)?,
                feeds::Output::Kept => output::keep(&config.output_dir, &file)?,
            };
            staged.push((file, staged_file));
        }
        Ok(())
    };
    let mut rendered = feeds::render_all(config, templates, site, now, earlier, &mut sink)?;
    report.extend(std::mem::take(&mut rendered.warnings));
    let mut summary = BuildSummary {
        posts: site.posts.len() + site.failed.len() + site.skipped.len(),
        published: rendered.published,
        failed: site.failed.len(),
        fingerprints: rendered.fingerprints,
        post_warnings: rendered.post_warnings,
        ..Default::default()
    };
    if options.dry_run {
        return Ok(summary);
    }
    if rendered.published == 0 && !options.allow_empty {
        if let Some(existing) = feed_with_entries(&config.output_dir) {
            // A config change or a broken checkout that fails every post
            // must not replace what readers have with nothing.
            report.push(crate::error::Diagnostic::error(
                &existing,
                None,
                "this build has no entries while this feed has some: kept the feeds as they are (pass --allow-empty to empty them)",
            ));
            summary.kept = true;
            return Ok(summary);
        }
    }
    let written: Vec<String> = staged.iter().map(|(file, _)| file.clone()).collect();
    // Waiting for the disk once for all the files, not once per file: a
    // thread each (waiting, not computing), so the file system commits
    // them together.
    let waiting: Vec<&output::Staged> = staged.iter().map(|(_, file)| file).collect();
    std::thread::scope(|scope| {
        let syncs: Vec<_> = waiting
            .chunks(waiting.len().div_ceil(16).max(1))
            .map(|files| scope.spawn(move || files.iter().try_for_each(|file| file.sync())))
            .collect();
        syncs.into_iter().try_for_each(|sync| {
            sync.join()
                .unwrap_or_else(|_| Err(Error::Env("a thread writing the outputs failed".into())))
        })
    })?;
    for (_, file) in staged {
        let path = file.path().to_path_buf();
        match file.commit()? {
            Written::Changed => summary.changed.push(path),
            Written::Unchanged => summary.unchanged.push(path),
        }
    }
    summary.removed = output::replace_manifest(&config.output_dir, &written)?;
    Ok(summary)
}

/// How `build` runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Render everything, write nothing (`check`).
    pub dry_run: bool,
    /// Fail instead of adding to the publication record (`build --locked`).
    pub locked: bool,
    /// Add new posts to the publication record: a build for the site's own
    /// address and output folder, not a preview elsewhere.
    pub record: bool,
    /// Write feeds without entries over feeds that have some.
    pub allow_empty: bool,
}

/// The first site-wide feed in `dir` that holds entries, if any.
fn feed_with_entries(dir: &Path) -> Option<PathBuf> {
    ["rss.xml", "atom.xml", "feed.json", "podcast.xml"]
        .iter()
        .map(|name| dir.join(name))
        .find(|path| {
            std::fs::read(path).is_ok_and(|bytes| {
                feed_rs::parser::parse(bytes.as_slice()).is_ok_and(|feed| !feed.entries.is_empty())
            })
        })
}
