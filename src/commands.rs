//! The operations behind the subcommands, each returning what it did as
//! data; the binary decides how to print it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::content::cache::Reuse;
use crate::content::{self, publish};
use crate::error::{Error, Report};
use crate::feeds;
use crate::output::{self, Written};
use crate::render::templates::{self, Templates};

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
        use content::cache;
        let keep = config.cache && !options.dry_run;
        let mut keys = cache::Keys::of(config);
        if self
            .last
            .as_ref()
            .is_some_and(|last| last.inputs != keys.inputs)
            || !keep
        {
            self.last = None;
        }
        // The same files as they were, the same templates, no post due or
        // expired since, and the outputs as the last build left them: this
        // build would write the same bytes, so it reads, renders and writes
        // nothing, and gives again the diagnostics that build gave.
        let before = report.diagnostics.len();
        // One walk of the content folder serves the check below and the
        // build; none when the session knows which files changed.
        let known = match (self.changed.take(), &self.last) {
            (Some(changed), Some(last)) => {
                content::walk::relist(config, &last.files, &last.stamps, &changed)
            }
            _ => None,
        };
        let (files, stamps) = match known {
            Some(listed) => listed,
            None => {
                let files = content::walk::list_files(config, report)?;
                let stamps = cache::stamps(config, &files);
                (files, stamps)
            }
        };
        let mut reuse = Reuse::default();
        if keep {
            let from_file;
            let last = match &self.last {
                Some(last) => last.outputs.as_ref(),
                None => {
                    from_file = cache::last_outputs(config, &keys.inputs);
                    from_file.as_ref()
                }
            };
            if let Some(last) = last {
                if !last.still_hold(&keys, cache::instant(now), &files, &stamps) {
                    // Files that would come out the same are kept as they are.
                    reuse = last.reusable(config);
                } else {
                    // The last build's diagnostics include what this walk found.
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
                    // The first build of a session whose builds follow:
                    // the site is read from the cache now, so that the
                    // next build starts from memory.
                    let first_followed =
                        (self.follows && self.last.is_none()).then(|| last.clone());
                    if let Some(kept) = self.last.as_mut() {
                        (kept.files, kept.stamps) = (files, stamps);
                        self.changed = self.follows.then(Vec::new);
                    } else if let Some(outputs) = first_followed {
                        let listed = (files, stamps);
                        self.keep_site_of_cache(config, keys.inputs, listed, outputs, now, report);
                    }
                    return Ok(summary);
                }
            }
        }
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
            let outputs = (!summary.kept).then(|| cache::Outputs {
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
                diagnostics: report.diagnostics[before..]
                    .iter()
                    .filter(|d| d.path != config.root.join(cache::FILE))
                    .cloned()
                    .collect(),
                counts: (summary.posts, summary.published, summary.failed),
                fingerprints: std::mem::take(&mut summary.fingerprints),
                post_warnings: std::mem::take(&mut summary.post_warnings),
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

    /// Reads the site from the cache file as that of the last build, which
    /// wrote `outputs` (the cache describes it: it is written again only
    /// when it could not all be read). Only what is wrong with the cache
    /// is reported: the build reported the rest.
    fn keep_site_of_cache(
        &mut self,
        config: &Config,
        inputs: String,
        (files, stamps): (
            Vec<(PathBuf, crate::generators::FileKind)>,
            Vec<Option<content::cache::Stamp>>,
        ),
        outputs: content::cache::Outputs,
        now: DateTime<Utc>,
        report: &mut Report,
    ) {
        use content::cache;
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
        let cache_file = config.root.join(cache::FILE);
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
        use content::cache;
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
                &config.root.join(cache::FILE),
                None,
                format!("build cache not written: {}", crate::error::chain(&e)),
            ));
        }
    }
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
fn build_reusing(
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

/// One row of `gazette list`.
#[derive(Debug, Serialize)]
pub struct Listing {
    /// The file concerned.
    pub path: PathBuf,
    /// `published`, `draft`, `scheduled`, `expired` or `error`.
    pub state: &'static str,
    /// The title.
    pub title: Option<String>,
    /// The date, as shown.
    pub date: Option<String>,
    /// The URL.
    pub url: Option<String>,
    /// Why a file is not a post (`skipped`), or what failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Every post file with its state at `now`, newest first, failures last.
pub fn list(
    config: &Config,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<Vec<Listing>, Error> {
    let site = content::collect(config, now, report)?;
    let mut posts: Vec<_> = site.posts.iter().collect();
    posts.sort_by(|a, b| content::newest_first(a, b));
    let mut rows: Vec<Listing> = posts
        .into_iter()
        .map(|post| Listing {
            path: post.path.clone(),
            state: publish::state(post, now).as_str(),
            title: Some(post.title.clone()),
            date: post.date.map(|d| d.to_rfc3339()),
            url: Some(post.url.to_string()),
            reason: None,
        })
        .collect();
    rows.extend(site.skipped.iter().map(|(path, reason)| Listing {
        path: path.clone(),
        state: "skipped",
        title: None,
        date: None,
        url: None,
        reason: Some(reason.clone()),
    }));
    rows.extend(site.failed.iter().map(|path| Listing {
        path: path.clone(),
        state: "error",
        title: None,
        date: None,
        url: None,
        reason: Some("see the errors above".into()),
    }));
    Ok(rows)
}

const INIT_CONFIG: &str = r#"# gazette configuration. Paths are relative to this file.
title = "My site"
description = "Notes and essays"
base_url = "https://example.org/"
language = "en"
timezone = "UTC"
content_dir = "content"
output_dir = "feeds"
permalink = "/posts/{slug}/"

[author]
name = "Your Name"

[feeds]
limit = 20
full_content = true
formats = ["rss", "atom", "json"]
per_tag = false

[fields]
# Which front-matter keys mean what, in order of preference.
date = ["date", "publishDate", "pubDate"]
author = ["author"]

# E-mail digests of new posts: uncomment, fill in, and run `gazette digest`.
# [digest]
# from = "My site <digest@example.org>"
# unsubscribe_url = "https://example.org/unsubscribe?token={token}"
# subscribers = "subscribers.csv"      # a header row with an `email` column
# [smtp]                               # without it, messages go to outbox/
# host = "smtp.example.org"
# port = 587
# tls = "starttls"
# username = "digest@example.org"
# password_env = "GAZETTE_SMTP_PASSWORD"
"#;

/// `gazette new`: a draft post in the site's own front-matter syntax.
pub fn new_post(
    config: &Config,
    title: &str,
    section: Option<&str>,
    now: DateTime<Utc>,
) -> Result<PathBuf, Error> {
    use content::new_post::{path_for, slug_of, uses_toml, FrontMatter};
    let local = now.with_timezone(&config.timezone);
    let day = local.format("%Y-%m-%d").to_string();
    let path = path_for(config, section, &slug_of(title), &day, false)?;
    let mut front = FrontMatter::default();
    front.push("title", title);
    front.push_date("date", local.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    front.push("draft", true);
    content::new_post::write(&path, &front.render(uses_toml(config))?)?;
    Ok(path)
}

/// `gazette templates eject`: the defaults written into the site's
/// templates folder; existing files are kept unless `force`.
pub fn eject_templates(
    config: &Config,
    names: &[String],
    force: bool,
) -> Result<Vec<(PathBuf, bool)>, Error> {
    let all: Vec<&(&str, &str)> = templates::DEFAULTS
        .iter()
        .chain(templates::ASSETS)
        .collect();
    for name in names {
        if !all.iter().any(|(n, _)| n == name) {
            return Err(Error::Usage(format!(
                "no template {name:?}; the templates are {}",
                all.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let mut done = Vec::new();
    for (name, source) in all {
        if !names.is_empty() && !names.iter().any(|n| n == name) {
            continue;
        }
        let path = config.templates_dir.join(name);
        if path.exists() && !force {
            done.push((path, false));
            continue;
        }
        std::fs::create_dir_all(&config.templates_dir)
            .map_err(|e| Error::io(&config.templates_dir, e))?;
        std::fs::write(&path, source).map_err(|e| Error::io(&path, e))?;
        done.push((path, true));
    }
    Ok(done)
}

/// `gazette record --from OLD_FEED`: the publication record seeded with the
/// ids and dates of a feed the site published before, and written.
pub fn record_from(
    config: &Config,
    old_feed: &Path,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<(content::record::Seeded, PathBuf), Error> {
    let old = crate::old_feed::read_old_feed(old_feed)?;
    let mut site = content::collect(config, now, report)?;
    let mut applied = std::mem::take(&mut site.record);
    let seeded = content::record::seed(config, &site.posts, &mut applied, &old, now);
    let path = content::record::write(config, &applied.record)?;
    Ok((seeded, path))
}

/// `gazette import podcast`: the host's show as posts of this site; the ids
/// the site's posts carry already are not imported again.
pub fn import_podcast(
    config: &Config,
    feed: &Path,
    options: crate::import::podcast::Options<'_>,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<crate::import::podcast::Imported, Error> {
    let site = content::collect(config, now, report)?;
    let known: std::collections::HashSet<String> =
        site.posts.iter().map(|p| p.id.clone()).collect();
    crate::import::podcast::import(config, feed, options, &known)
}

/// Compares a feed the site published before with what gazette would publish.
pub fn against_old_feed(
    site: &content::Site,
    old_feed: &Path,
    now: DateTime<Utc>,
) -> Result<crate::compare::Comparison, Error> {
    let old = crate::old_feed::read_old_feed(old_feed)?;
    let posts = site.feed_posts(now);
    Ok(crate::compare::compare(&old, &posts))
}

/// Sets gazette up beside the generator site in `site`: reads its config
/// (never writes it), writes `config_path` and gazette's templates.
pub fn init_from(
    site: &Path,
    config_path: &Path,
    now: DateTime<Utc>,
) -> Result<(Vec<PathBuf>, Vec<String>), Error> {
    let generator = crate::import::site::detect(site).ok_or_else(|| {
        Error::Usage(format!(
            "{} does not look like a Zola, Hugo, Jekyll or Eleventy site (no config.toml with base_url, hugo.toml, _config.yml or eleventy.config.js); `gazette init DIR` creates a new gazette site",
            site.display()
        ))
    })?;
    let imported = crate::import::site::import(site, generator)?;
    let text = crate::import::site::render_config(&imported, &now.format("%Y-%m-%d").to_string());
    // Only the config: gazette's templates are built in, so nothing lands
    // where the generator would publish or render it (Eleventy reads any
    // `.html` as a template, Jekyll copies any folder into its output).
    let mut files: Vec<(PathBuf, String)> = vec![(config_path.to_path_buf(), text)];
    write_new_files(&files)?;
    // The result must build as it is: check that it loads.
    let config = Config::load(config_path)?;
    let mut notes = imported.notes.clone();
    notes.extend(crate::import::site::placeholder_notes(&imported));
    // The generator's own feed, when the site was built: its ids are what
    // readers have, so the publication record starts from them.
    let old_feed = imported.old_feed.as_ref().map(|feed| site.join(feed));
    if let Some(old_feed) = old_feed.filter(|path| path.is_file()) {
        let mut report = Report::default();
        match record_from(&config, &old_feed, now, &mut report) {
            Ok((seeded, path)) => {
                files.push((path.clone(), String::new()));
                notes.push(format!(
                    "{}: {} ids and dates taken from {}, the feed readers have ({} published posts not in it)",
                    path.display(),
                    seeded.taken,
                    old_feed.display(),
                    seeded.not_in_feed
                ));
            }
            Err(e) => notes.push(format!(
                "the publication record was not seeded from {}: {}; run `gazette record --from {}` after fixing it",
                old_feed.display(),
                crate::error::chain(&e),
                old_feed.display()
            )),
        }
    }
    Ok((files.into_iter().map(|(path, _)| path).collect(), notes))
}

/// Writes every file, refusing to overwrite any (checked before writing one).
fn write_new_files(files: &[(PathBuf, String)]) -> Result<(), Error> {
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(Error::Usage(format!(
            "{} already exists: gazette init does not overwrite files",
            existing.display()
        )));
    }
    for (path, text) in files {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(path, text).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// Creates a new site in `dir`, refusing to overwrite anything.
pub fn init(
    dir: &Path,
    config_path: Option<&Path>,
    now: DateTime<Utc>,
) -> Result<Vec<PathBuf>, Error> {
    let post = format!(
        "---\ntitle: Hello, world\ndate: '{}'\ntags:\n- meta\nsummary: The first post of this site.\n---\n\nThis is the first post. Edit or delete it, then run `gazette build`.\n",
        now.format("%Y-%m-%d")
    );
    let config_path = config_path.map_or_else(|| dir.join("config.toml"), Path::to_path_buf);
    let mut files: Vec<(PathBuf, String)> = vec![
        (config_path, INIT_CONFIG.to_string()),
        (dir.join("content/hello-world.md"), post),
    ];
    for (name, source) in templates::DEFAULTS.iter().chain(templates::ASSETS) {
        files.push((dir.join("templates").join(name), source.to_string()));
    }
    write_new_files(&files)?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}
