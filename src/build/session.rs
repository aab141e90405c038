//! The incremental build: what a build leaves for the next (the site it
//! read, the files it listed with their stamps, the templates, the rendered
//! entries), when a build may skip everything, and writing the build cache.
//! The cache file itself is `content::cache`; which feed files and entries
//! come out the same is `feeds::reuse`.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::{build_reusing, BuildOptions, BuildSummary};
use crate::config::Config;
use crate::content;
use crate::content::cache::{self, Reuse};
use crate::content::walk::Listing;
use crate::error::{Error, Report};
use crate::feeds;
use crate::render::templates::Templates;

/// Builds one after another in one process (`gazette watch`): what a build
/// read and wrote stays in memory for the next, which reads only the files
/// that changed, and the build cache is written when asked, after the
/// outputs are in place.
#[derive(Default)]
pub struct Session {
    /// Builds will follow (`watching`): keep what they need in memory.
    follows: bool,
    last: Option<Last>,
    /// The content files that changed since the last build, as
    /// file-system events named them; `None`: unknown, walk the folder.
    changed: Option<Vec<PathBuf>>,
    /// The templates as last loaded, by `cache::Keys::templates`.
    templates: Option<(String, Templates)>,
    /// The feed entries the last builds rendered.
    entries: feeds::reuse::Entries,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("last", &self.last)
            .finish_non_exhaustive()
    }
}

/// What a build leaves for the next.
#[derive(Debug)]
struct Last {
    /// The config it was for (see `cache::inputs`).
    inputs: String,
    /// The files the walk listed, and their stamps.
    files: Vec<(PathBuf, crate::generators::FileKind)>,
    stamps: Vec<Option<content::cache::Stamp>>,
    site: content::Site,
    outputs: Option<content::cache::Outputs>,
    saved: bool,
}

impl Session {
    /// A session whose builds follow one another: each keeps the site it
    /// read in memory for the next (a lone build keeps nothing past saving
    /// the cache).
    pub fn watching() -> Session {
        Session {
            follows: true,
            ..Session::default()
        }
    }

    /// Notes that these files changed since the last build (`complete`:
    /// and no others), so that the next build need not walk the content
    /// folder and take every file's stamp to find them.
    pub fn note_changes(&mut self, paths: &[PathBuf], complete: bool) {
        match (&mut self.changed, complete) {
            (Some(changed), true) => changed.extend_from_slice(paths),
            _ => self.changed = None,
        }
    }

    /// `build`, starting from what the session's last build read.
    pub fn build(
        &mut self,
        config: &Config,
        now: DateTime<Utc>,
        options: BuildOptions,
        report: &mut Report,
        progress: &(dyn Fn(content::collect::Reading) + Sync),
    ) -> Result<BuildSummary, Error> {
        let keep = config.cache && !options.dry_run;
        let mut keys = cache::Keys::of(config);
        if !keep
            || self
                .last
                .as_ref()
                .is_some_and(|last| last.inputs != keys.inputs)
        {
            self.last = None;
        }
        let before = report.diagnostics.len();
        let listing = self.listing(config, report)?;
        let (reuse, (files, stamps)) = match keep {
            true => match self.start(config, &keys, listing, before, now, report) {
                Start::Unchanged(summary) => return Ok(summary),
                Start::Build { reuse, listing } => (reuse, listing),
            },
            false => (Reuse::default(), listing),
        };
        let previous = match self.last.take() {
            Some(last) => cache::Cache::of_site(last.site),
            None if config.cache => cache::Cache::load(config, &keys.inputs),
            None => cache::Cache::default(),
        };
        // The listing, for the next build to patch.
        let listed = match self.follows {
            true => (files.clone(), stamps.clone()),
            false => Default::default(),
        };
        let site = content::collect::collect_listed(
            config, files, stamps, previous, now, report, progress,
        )?;
        if options.locked && site.record.changed {
            return Err(Error::Usage(format!(
                "--locked: the publication record {} would change ({} new entr{}: {}); build without --locked and commit it",
                content::record::path_of(config).display(),
                site.record.added.len(),
                if site.record.added.len() == 1 { "y" } else { "ies" },
                site.record.added.join(", ")
            )));
        }
        let templates = match self.templates.take() {
            Some((key, templates)) if key == keys.templates => templates,
            _ => Templates::load(&config.templates_dir)?,
        };
        let earlier = feeds::reuse::Earlier {
            keys: &keys,
            reuse: &reuse,
            entries: &mut self.entries,
        };
        let summary = build_reusing(config, &site, now, options, &templates, earlier, report);
        self.templates = Some((keys.templates.clone(), templates));
        let mut summary = summary?;
        // The record changes only with outputs that were written.
        if site.record.changed && options.record && !options.dry_run && !summary.kept {
            content::record::write(config, &site.record.record)?;
            // What this build wrote is what its outputs were made with: the
            // next build compares against the record as it is now.
            keys.record = cache::Stamp::of(&content::record::path_of(config));
        }
        drop(reuse);
        // Only a build keeps the cache (check and list write nothing).
        if keep {
            let outputs = (!summary.kept).then(|| {
                outputs_of(
                    config,
                    &keys,
                    &site,
                    &mut summary,
                    &report.diagnostics[before..],
                    now,
                )
            });
            // Only a session whose builds follow knows what changed next.
            (self.changed, self.last) = (
                self.follows.then(Vec::new),
                Some(Last {
                    inputs: keys.inputs,
                    files: listed.0,
                    stamps: listed.1,
                    site,
                    outputs,
                    saved: false,
                }),
            );
        }
        Ok(summary)
    }

    /// The content files and their stamps: one walk of the content folder
    /// serves the check for an unchanged site and the build; none when the
    /// session knows which files changed.
    fn listing(&mut self, config: &Config, report: &mut Report) -> Result<Listing, Error> {
        let known = match (self.changed.take(), &self.last) {
            (Some(changed), Some(last)) => {
                content::walk::relist(config, &last.files, &last.stamps, &changed)
            }
            _ => None,
        };
        match known {
            Some(listed) => Ok(listed),
            None => {
                let files = content::walk::list_files(config, report)?;
                let stamps = cache::stamps(config, &files);
                Ok((files, stamps))
            }
        }
    }

    /// What the last build's outputs say of this one. The same files as
    /// they were, the same templates, no post due or expired since, and the
    /// outputs as the last build left them: this build would write the same
    /// bytes, so it reads, renders and writes nothing, and gives again the
    /// diagnostics that build gave (those of this walk, from `before`, are
    /// among them). Else the files that would come out the same are kept.
    fn start(
        &mut self,
        config: &Config,
        keys: &cache::Keys,
        listing: Listing,
        before: usize,
        now: DateTime<Utc>,
        report: &mut Report,
    ) -> Start {
        let from_file;
        let last = match &self.last {
            Some(last) => last.outputs.as_ref(),
            None => {
                from_file = cache::last_outputs(config, &keys.inputs);
                from_file.as_ref()
            }
        };
        let Some(last) = last else {
            return Start::Build {
                reuse: Reuse::default(),
                listing,
            };
        };
        if !last.still_hold(keys, cache::instant(now), &listing.0, &listing.1) {
            return Start::Build {
                reuse: last.reusable(config),
                listing,
            };
        }
        report.diagnostics.truncate(before);
        report.extend(last.diagnostics.iter().cloned());
        let (posts, published, failed) = last.counts;
        let summary = BuildSummary {
            posts,
            published,
            failed,
            unchanged: last.files.iter().map(|(path, _)| path.clone()).collect(),
            ..Default::default()
        };
        // The first build of a session whose builds follow: the site is
        // read from the cache now, so that the next build starts from memory.
        let first_followed = (self.follows && self.last.is_none()).then(|| last.clone());
        if let Some(kept) = self.last.as_mut() {
            (kept.files, kept.stamps) = listing;
            self.changed = self.follows.then(Vec::new);
        } else if let Some(outputs) = first_followed {
            self.keep_site_of_cache(config, keys.inputs.clone(), listing, outputs, now, report);
        }
        Start::Unchanged(summary)
    }

    /// Reads the site from the cache file as that of the last build, which
    /// wrote `outputs` (the cache describes it: it is written again only
    /// when it could not all be read). Only what is wrong with the cache
    /// is reported: the build reported the rest.
    fn keep_site_of_cache(
        &mut self,
        config: &Config,
        inputs: String,
        (files, stamps): Listing,
        outputs: content::cache::Outputs,
        now: DateTime<Utc>,
        report: &mut Report,
    ) {
        let mut read_report = Report::default();
        let read = content::collect::collect_listed(
            config,
            files.clone(),
            stamps.clone(),
            cache::Cache::load(config, &inputs),
            now,
            &mut read_report,
            &|_| {},
        );
        let cache_file = cache::path_of(config);
        let about_cache: Vec<_> = read_report
            .diagnostics
            .into_iter()
            .filter(|d| d.path == cache_file)
            .collect();
        let damaged = !about_cache.is_empty();
        report.extend(about_cache);
        if let Ok(site) = read {
            self.last = Some(Last {
                inputs,
                files,
                stamps,
                site,
                outputs: Some(outputs),
                saved: !damaged,
            });
            self.changed = Some(Vec::new());
        }
    }

    /// Writes the build cache for the last build, once; a cache that cannot
    /// be written is a warning (it costs the next build time, nothing else).
    pub fn save(&mut self, config: &Config, report: &mut Report) {
        let Some(last) = self.last.as_mut().filter(|last| !last.saved) else {
            return;
        };
        last.saved = true;
        if let Err(e) = cache::save(
            config,
            &last.inputs,
            &last.site.posts,
            &last.site.records,
            &last.site.record.kept,
            last.outputs.as_ref(),
        ) {
            report.push(crate::error::Diagnostic::warning(
                &cache::path_of(config),
                None,
                format!("build cache not written: {}", crate::error::chain(&e)),
            ));
        }
    }
}

/// How a build starts, by what the last build's outputs say.
enum Start {
    /// Nothing changed: the last build's summary.
    Unchanged(BuildSummary),
    /// Build, keeping what `reuse` says comes out the same.
    Build { reuse: Reuse, listing: Listing },
}

/// What the build cache keeps of a build's outputs for the next build.
fn outputs_of(
    config: &Config,
    keys: &cache::Keys,
    site: &content::Site,
    summary: &mut BuildSummary,
    diagnostics: &[crate::error::Diagnostic],
    now: DateTime<Utc>,
) -> cache::Outputs {
    cache::Outputs {
        sources: cache::listing_digest(cache::listed(&site.records, &site.posts)),
        templates: keys.templates.clone(),
        record: keys.record,
        built_at: cache::instant(now),
        horizon: cache::horizon(&site.posts, now),
        files: summary
            .changed
            .iter()
            .chain(&summary.unchanged)
            .filter_map(|path| Some((path.clone(), cache::Stamp::of(path)?)))
            .collect(),
        // Not the cache's own warnings: the next build reads it anew.
        diagnostics: diagnostics
            .iter()
            .filter(|d| d.path != cache::path_of(config))
            .cloned()
            .collect(),
        counts: (summary.posts, summary.published, summary.failed),
        fingerprints: std::mem::take(&mut summary.fingerprints),
        post_warnings: std::mem::take(&mut summary.post_warnings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::collect::tests::{site, write_post};

    fn build(session: &mut Session, config: &Config) -> BuildSummary {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let options = BuildOptions {
            record: true,
            ..BuildOptions::default()
        };
        let mut report = Report::default();
        let summary = session
            .build(config, now, options, &mut report, &|_| {})
            .unwrap();
        session.save(config, &mut report);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        summary
    }

    fn names(paths: &[PathBuf]) -> Vec<String> {
        let mut names: Vec<String> = paths
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_build_after_one_that_changed_nothing_writes_nothing() {
        let (_dir, config) = site();
        write_post(&config, "a.md", "A");
        write_post(&config, "b.md", "B");
        let first = build(&mut Session::default(), &config);
        assert!(names(&first.changed).contains(&"rss.xml".to_string()));
        assert_eq!(first.published, 2);
        // A new process: it starts from the cache file the first one saved.
        let second = build(&mut Session::default(), &config);
        assert!(second.changed.is_empty(), "{:?}", second.changed);
        assert_eq!(names(&second.unchanged), names(&first.changed));
        assert_eq!((second.posts, second.published), (2, 2));
    }

    #[test]
    fn a_watching_session_rebuilds_what_an_edited_post_changes() {
        let (_dir, config) = site();
        write_post(&config, "a.md", "A");
        write_post(&config, "b.md", "B");
        let mut session = Session::watching();
        build(&mut session, &config);
        write_post(&config, "b.md", "B, edited");
        session.note_changes(&[config.content_dir.join("b.md")], true);
        let after = build(&mut session, &config);
        assert!(names(&after.changed).contains(&"rss.xml".to_string()));
        let feed = std::fs::read_to_string(config.output_dir.join("rss.xml")).unwrap();
        assert!(feed.contains("B, edited"), "{feed}");
        // Nothing noted since: the next build keeps every file.
        session.note_changes(&[], true);
        assert!(build(&mut session, &config).changed.is_empty());
    }
}
