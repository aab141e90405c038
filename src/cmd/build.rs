//! `build`, `check` and `list`.

use std::path::PathBuf;

use clap::Args;
use gazette::build::{self, BuildOptions};
use gazette::operations;
use gazette::{Error, Report};

use super::{Context, Outcome};

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// Write into DIR instead of the configured `output_dir` (e.g. a preview).
    #[arg(long, short = 'o', value_name = "DIR")]
    output: Option<PathBuf>,
    /// Write feeds without entries even over feeds that have some (by
    /// default such a build keeps the old feeds and exits 1).
    #[arg(long)]
    allow_empty: bool,
    /// Tell the [websub] hubs which feeds changed (as `websub.ping = true`).
    #[arg(long)]
    ping: bool,
    /// Fail instead of adding to the publication record (for CI: the record
    /// committed with the site must already hold every published post).
    #[arg(long)]
    locked: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// A feed the site published before (RSS, Atom or JSON Feed): list every
    /// entry whose id, link or date gazette would change.
    #[arg(long, value_name = "OLD_FEED_FILE")]
    against: Option<PathBuf>,
    /// Compare `--against` with the feed of this category (one of `[feeds]
    /// categories`), such as jekyll-feed's `_site/feed/<name>.xml`.
    #[arg(long, value_name = "NAME", requires = "against")]
    category: Option<String>,
    /// Compare `--against` with the feed of this tag (`[feeds] per_tag`),
    /// such as jekyll-feed's `_site/feed/by_tag/<tag>.xml`.
    #[arg(
        long,
        value_name = "TAG",
        requires = "against",
        conflicts_with = "category"
    )]
    tag: Option<String>,
    /// Compare `--against` with the feed of this section (`[feeds]
    /// per_section`), such as Hugo's `public/<section>/index.xml`.
    #[arg(long, value_name = "FOLDER", requires = "against", conflicts_with_all = ["category", "tag"])]
    section: Option<String>,
    /// Compare `--against` with the feed of this term of one of `[feeds]
    /// per_taxonomy`, such as Hugo's `public/series/<term>/index.xml` for
    /// `series=<term>`.
    #[arg(long, value_name = "TAXONOMY=TERM", requires = "against", conflicts_with_all = ["category", "tag", "section"])]
    term: Option<String>,
    /// Compare `--against` with the feed of this one of `[feeds.collections]`,
    /// such as jekyll-feed's `_site/feed/<collection>.xml` (with
    /// `--category`, of one of its `categories`: `_site/feed/<collection>/<category>.xml`).
    #[arg(long, value_name = "NAME", requires = "against", conflicts_with_all = ["tag", "section", "term"])]
    collection: Option<String>,
    /// Check this one of `[translations] feeds` instead of the default
    /// language: its pages, and `--against` its feed, such as Hugo's
    /// `public/fr/index.xml` (with `--tag`, `public/fr/tags/<tag>/index.xml`).
    #[arg(long, value_name = "CODE", conflicts_with = "collection")]
    language: Option<String>,
}

/// Which feed `--against` names.
fn feed_of(args: &CheckArgs) -> Result<operations::FeedOf<'_>, Error> {
    if let Some(term) = &args.term {
        let Some((taxonomy, name)) = term.split_once('=') else {
            return Err(Error::Usage(format!(
                "--term {term:?}: expected TAXONOMY=TERM, such as series=rust"
            )));
        };
        return Ok(operations::FeedOf::Term { taxonomy, name });
    }
    if let Some(collection) = &args.collection {
        return Ok(match &args.category {
            Some(category) => operations::FeedOf::CollectionCategory {
                collection,
                category,
            },
            None => operations::FeedOf::Collection(collection),
        });
    }
    Ok(match (&args.category, &args.tag, &args.section) {
        (Some(name), _, _) => operations::FeedOf::Category(name),
        (None, Some(tag), _) => operations::FeedOf::Tag(tag),
        (None, None, Some(section)) => operations::FeedOf::Section(section),
        (None, None, None) => operations::FeedOf::Site,
    })
}

#[derive(Debug, Args)]
pub(crate) struct RecordArgs {
    /// The feed the site published before (RSS, Atom or JSON Feed): its
    /// entries' ids and dates go into the publication record.
    #[arg(long, value_name = "OLD_FEED_FILE")]
    from: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Only posts in this state.
    #[arg(long, value_parser = ["published", "draft", "scheduled", "expired", "skipped", "error"])]
    state: Option<String>,
}

pub(crate) fn build(
    context: &Context<'_>,
    args: &BuildArgs,
    report: &mut Report,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let mut session = build::Session::default();
    let config = build_in(context, args, &mut session, report, outcome)?;
    session.save(&config, report);
    Ok(())
}

/// One build of `session`; returns the config it built with. The build
/// cache is the caller's to write (`Session::save`).
fn build_in(
    context: &Context<'_>,
    args: &BuildArgs,
    session: &mut build::Session,
    report: &mut Report,
    outcome: &mut Outcome,
) -> Result<gazette::config::Config, Error> {
    let mut config = context.config()?;
    if let Some(dir) = &args.output {
        config.output_dir = dir.clone();
    }
    let options = BuildOptions {
        dry_run: false,
        allow_empty: args.allow_empty,
        locked: args.locked,
        // A preview (another folder or address) records nothing.
        record: args.output.is_none() && context.cli.base_url.is_none(),
    };
    let reading = super::progress::Reading::new(context.quiet());
    let summary = session.build(&config, context.now, options, report, &|event| {
        reading.show(event)
    })?;
    if context.cli.verbose {
        for (verb, paths) in [
            ("wrote", &summary.changed),
            ("unchanged", &summary.unchanged),
            ("removed", &summary.removed),
        ] {
            for path in paths {
                outcome.lines.push(format!("{verb} {}", path.display()));
            }
        }
    }
    if args.ping || gazette::websub::ping_on_build(&config) {
        let feed_files = &summary.changed;
        for ping in gazette::websub::ping(&config, feed_files) {
            match &ping.answer {
                Ok(_) if context.cli.verbose => {
                    outcome
                        .lines
                        .push(format!("pinged {} for {}", ping.hub, ping.feed));
                }
                Ok(_) => {}
                // A hub that is down never fails the build: the feeds are written.
                Err(why) => report.push(gazette::Diagnostic::warning(
                    &context.cli.config_path(),
                    None,
                    format!("WebSub hub {} did not take {}: {why}", ping.hub, ping.feed),
                )),
            }
        }
    }
    if !context.quiet() && !summary.kept {
        outcome.lines.push(built_line(&summary, ""));
    }
    // Each other language with feeds of its own, as the generator writes
    // them under `/fr/`: its own pages, record and output folder.
    for code in &config.translations.feeds {
        let language = config.for_language(code);
        let mut session = build::Session::default();
        let summary = session.build(&language, context.now, options, report, &|_| {})?;
        session.save(&language, report);
        if !context.quiet() && !summary.kept {
            outcome
                .lines
                .push(built_line(&summary, &format!(" for `{code}`")));
        }
    }
    Ok(config)
}

fn checked_line(summary: &build::BuildSummary, of: &str) -> String {
    format!(
        "checked {} files{of}: {} published, {} not published (drafts, scheduled, expired, skipped), {} with errors",
        summary.posts,
        summary.published,
        summary.posts - summary.published - summary.failed,
        summary.failed
    )
}

fn built_line(summary: &build::BuildSummary, of: &str) -> String {
    format!(
        "built {} feed files{of} ({} changed, {} unchanged) from {} published of {} posts",
        summary.changed.len() + summary.unchanged.len(),
        summary.changed.len(),
        summary.unchanged.len(),
        summary.published,
        summary.posts
    )
}

/// `gazette watch`: a build now and after every change, each printed as it
/// happens (a long-running command prints as it goes, not at the end).
pub(crate) fn watch(
    context: &Context<'_>,
    args: &BuildArgs,
    report: &mut Report,
) -> Result<(), Error> {
    use std::io::Write;
    let print = |lines: &[String], report: &mut Report| {
        let mut stdout = std::io::stdout().lock();
        for line in lines {
            let _ = writeln!(stdout, "{line}");
        }
        let _ = stdout.flush();
        let mut stderr = std::io::stderr().lock();
        for diagnostic in &report.diagnostics {
            let _ = writeln!(stderr, "{diagnostic}");
        }
        report.diagnostics.clear();
    };
    // Each build starts from what the last one read; the cache file is
    // written once the outputs are in place and the build is reported.
    let mut session = build::Session::watching();
    let once = |session: &mut build::Session, report: &mut Report| {
        // Scheduled posts fall due while watching: each build is at its own
        // instant, unless --now fixes one.
        let context = Context {
            cli: context.cli,
            now: context.cli.now.unwrap_or_else(chrono::Utc::now),
        };
        let started = std::time::Instant::now();
        let mut outcome = Outcome::default();
        match build_in(&context, args, session, report, &mut outcome) {
            Ok(config) => {
                let elapsed = started.elapsed().as_millis();
                let lines = &mut outcome.lines;
                if let Some(built) = lines.iter_mut().find(|l| l.starts_with("built ")) {
                    built.push_str(&format!(" in {elapsed} ms"));
                }
                print(lines, report);
                session.save(&config, report);
                // What saving the cache said.
                print(&[], report);
            }
            // A failed build is said where errors go; watching goes on.
            Err(e) => {
                print(&[], report);
                let _ = writeln!(std::io::stderr(), "{}", gazette::error::describe(&e));
            }
        }
    };
    once(&mut session, report);
    let watched = gazette::watch::Watched::of(&context.config()?);
    let mut nothing = Report::default();
    gazette::watch::watch(
        &watched,
        // Said once the watches are in place: a change from then on is seen.
        || {
            print(
                &["watching for changes (Ctrl-C to stop)".to_string()],
                &mut nothing,
            )
        },
        |changes| {
            let names: Vec<String> = changes
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            print(
                &[format!("changed: {}", names.join(", "))],
                &mut Report::default(),
            );
            session.note_changes(&changes.paths, changes.complete);
            once(&mut session, report);
            true
        },
    )
}

pub(crate) fn check(
    context: &Context<'_>,
    args: &CheckArgs,
    report: &mut Report,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let mut config = context.config()?;
    if let Some(code) = &args.language {
        if !config.translations.feeds.contains(code) {
            return Err(Error::Usage(format!(
                "--language {code}: not one of `[translations] feeds` in {}",
                config.file.display()
            )));
        }
        config = config.for_language(code);
    }
    let options = BuildOptions {
        dry_run: true,
        allow_empty: false,
        locked: false,
        record: false,
    };
    // Read once: the check and the comparison see the same posts.
    let site = gazette::content::collect(&config, context.now, report)?;
    let summary = build::build_site(&config, &site, context.now, options, report)?;
    if !context.quiet() {
        outcome.lines.push(checked_line(&summary, ""));
    }
    // A check of the site checks each language with feeds of its own too.
    if args.language.is_none() && args.against.is_none() {
        for code in &config.translations.feeds {
            let language = config.for_language(code);
            let site = gazette::content::collect(&language, context.now, report)?;
            let summary = build::build_site(&language, &site, context.now, options, report)?;
            if !context.quiet() {
                outcome
                    .lines
                    .push(checked_line(&summary, &format!(" for `{code}`")));
            }
        }
    }
    // What the publication record keeps against the rules, and what a
    // build would add to it.
    for kept in &site.record.kept {
        outcome.lines.push(format!(
            "record: {} keeps the id readers know, {} (the rules now give {})",
            kept.path.display(),
            kept.recorded,
            kept.computed
        ));
    }
    if !site.record.added.is_empty() && !context.quiet() {
        outcome.lines.push(format!(
            "record: a build would add {} entr{} to {}",
            site.record.added.len(),
            if site.record.added.len() == 1 {
                "y"
            } else {
                "ies"
            },
            gazette::content::record::path_of(&config).display()
        ));
    }
    if let Some(old_feed) = &args.against {
        let comparison =
            operations::against_old_feed(&config, &site, old_feed, feed_of(args)?, context.now)?;
        outcome.lines.push(format!(
            "{}: {} entries, {} unchanged, {} difference{}",
            old_feed.display(),
            comparison.old_entries,
            comparison.matching,
            comparison.changes.len(),
            if comparison.changes.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
        for change in &comparison.changes {
            outcome.lines.push(format!("  {change}"));
        }
        // Said once, not for every entry.
        let relative = comparison
            .changes
            .iter()
            .filter(|c| c.is_relative_id())
            .count();
        if relative > 0 {
            outcome.lines.push(format!(
                "  {relative} of these {}: gazette writes absolute ids; either the old feed was built without the site's address (build it as it is deployed and compare again) or its template writes relative ones (`relative_url`)",
                if relative == 1 { "has a relative id" } else { "have relative ids" }
            ));
        }
        outcome.differs = !comparison.changes.is_empty();
    }
    Ok(())
}

pub(crate) fn record(
    context: &Context<'_>,
    args: &RecordArgs,
    report: &mut Report,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let config = context.config()?;
    let (seeded, path) = operations::record_from(&config, &args.from, context.now, report)?;
    outcome.lines.push(format!(
        "wrote {}: {} ids and dates taken from {}, {} published posts not in it",
        path.display(),
        seeded.taken,
        args.from.display(),
        seeded.not_in_feed
    ));
    Ok(())
}

pub(crate) fn list(
    context: &Context<'_>,
    args: &ListArgs,
    report: &mut Report,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let mut rows = operations::list(&context.config()?, context.now, report)?;
    if let Some(state) = &args.state {
        rows.retain(|row| row.state == state);
    }
    if args.json {
        outcome.lines.push(super::to_json(&rows)?);
        return Ok(());
    }
    for row in rows {
        outcome.lines.push(format!(
            "{:<10} {:<25} {} {} ({}){}",
            row.state,
            row.date.as_deref().unwrap_or("-"),
            row.title
                .as_deref()
                .map_or(String::new(), |t| format!("{t:?}")),
            row.url.as_deref().unwrap_or("-"),
            row.path.display(),
            row.reason
                .as_deref()
                .map_or(String::new(), |r| format!(": {r}"))
        ));
    }
    Ok(())
}
