//! `new`, `templates eject`, `init`, `completions` and `man`.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Subcommand};
use gazette::{operations, Error};

use super::{Context, Outcome};

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The post's title.
    title: String,
    /// The folder below the content folder to put it in.
    #[arg(long, value_name = "DIR")]
    section: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct TemplatesArgs {
    #[command(subcommand)]
    action: TemplatesAction,
}

#[derive(Debug, Subcommand)]
enum TemplatesAction {
    /// Copy the default templates into the site's templates folder, to edit.
    Eject {
        /// Only these templates (default: all).
        names: Vec<String>,
        /// Overwrite templates that are already there.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct CacheArgs {
    #[command(subcommand)]
    action: CacheAction,
}

#[derive(Debug, Subcommand)]
enum CacheAction {
    /// Delete the build cache; the next build reads every post.
    Clear,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    #[command(subcommand)]
    what: ImportWhat,
}

#[derive(Debug, Subcommand)]
enum ImportWhat {
    /// Bring a show in from its host's RSS feed: one post per episode
    /// (keeping its GUID, date and enclosure), the show's podcast:guid in
    /// the publication record, and a [podcast] table when there is none.
    Podcast {
        /// The host's feed, saved as a file.
        feed: PathBuf,
        /// The folder below the content folder for the episodes.
        #[arg(long, value_name = "DIR", default_value = "episodes")]
        section: String,
        /// The address apps subscribed to, when the feed names no
        /// podcast:guid and no atom:link rel="self".
        #[arg(long, value_name = "URL")]
        feed_url: Option<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish.
    shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Folder to create the site in.
    #[arg(default_value = ".", conflicts_with = "from")]
    dir: PathBuf,
    /// The existing site's folder: its generator's config is read (never
    /// changed) and gazette.toml plus gazette/templates/ are written there.
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".")]
    from: Option<PathBuf>,
}

pub(crate) fn new_post(
    context: &Context<'_>,
    args: &NewArgs,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let path = operations::new_post(
        &context.config()?,
        &args.title,
        args.section.as_deref(),
        context.now,
    )?;
    outcome.lines.push(format!("created {}", path.display()));
    Ok(())
}

pub(crate) fn import(
    context: &Context<'_>,
    args: &ImportArgs,
    report: &mut gazette::Report,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let ImportWhat::Podcast {
        feed,
        section,
        feed_url,
    } = &args.what;
    let config = context.config()?;
    let options = gazette::import::podcast::Options {
        section,
        feed_url: feed_url.as_deref(),
    };
    let imported = operations::import_podcast(&config, feed, options, context.now, report)?;
    outcome.lines.push(format!(
        "wrote {} episode posts{}; {} already here, {} left out",
        imported.written.len(),
        imported
            .written
            .first()
            .and_then(|p| p.parent())
            .map_or(String::new(), |dir| format!(" into {}", dir.display())),
        imported.already_here,
        imported.skipped.len()
    ));
    for why in &imported.skipped {
        outcome.lines.push(format!("left out {why}"));
    }
    outcome.lines.push(format!(
        "podcast:guid {} ({}), kept in {}",
        imported.guid,
        if imported.guid_from_feed {
            "the old feed's own"
        } else {
            "the Podcast Namespace's UUIDv5 of the old feed's address"
        },
        gazette::content::record::path_of(&config).display()
    ));
    if let Some(table) = &imported.show_table {
        outcome.lines.push(format!(
            "added [podcast] to {} from the old feed{}",
            config.file.display(),
            if table.contains("# required") {
                "; it lacks required settings, marked `# required` there"
            } else {
                ""
            }
        ));
    }
    outcome.lines.push(format!(
        "at the old host, send apps here: a permanent (301) redirect of the old feed to {}, or its new-feed-url setting",
        config.output_url("podcast.xml")
    ));
    Ok(())
}

pub(crate) fn templates(
    context: &Context<'_>,
    args: &TemplatesArgs,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let TemplatesAction::Eject { names, force } = &args.action;
    for (path, written) in operations::eject_templates(&context.config()?, names, *force)? {
        outcome.lines.push(format!(
            "{} {}",
            if written {
                "wrote"
            } else {
                "kept (exists; --force to overwrite)"
            },
            path.display()
        ));
    }
    Ok(())
}

pub(crate) fn cache(
    context: &Context<'_>,
    args: &CacheArgs,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let CacheAction::Clear = args.action;
    let config = context.config()?;
    outcome
        .lines
        .push(if gazette::content::cache::clear(&config)? {
            "build cache deleted".into()
        } else {
            "no build cache".into()
        });
    Ok(())
}

pub(crate) fn completions<C: CommandFactory>(args: &CompletionsArgs, outcome: &mut Outcome) {
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut C::command(), "gazette", &mut buffer);
    outcome
        .lines
        .push(String::from_utf8_lossy(&buffer).trim_end().to_string());
}

pub(crate) fn man<C: CommandFactory>(outcome: &mut Outcome) -> Result<(), Error> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(C::command())
        .render(&mut buffer)
        .map_err(|e| Error::io("standard output", e))?;
    outcome
        .lines
        .push(String::from_utf8_lossy(&buffer).trim_end().to_string());
    Ok(())
}

pub(crate) fn init(
    context: &Context<'_>,
    args: &InitArgs,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let cli = context.cli;
    match &args.from {
        Some(site) => {
            let target = cli.config.clone().unwrap_or_else(|| {
                let name = match gazette::import::site::detect(site) {
                    // Jekyll publishes every file whose name does not start
                    // with `_`; `gazette build` finds `_gazette.toml` too.
                    Some(gazette::generators::Generator::Jekyll) => "_gazette.toml",
                    _ => "gazette.toml",
                };
                site.join(name)
            });
            let (files, notes) = operations::init_from(site, &target, context.now)?;
            if !cli.quiet {
                for file in files {
                    outcome.lines.push(format!("created {}", file.display()));
                }
            }
            for note in notes {
                outcome.lines.push(format!("note: {note}"));
            }
        }
        None => {
            let files = operations::init(&args.dir, cli.config.as_deref(), context.now)?;
            if !cli.quiet {
                for file in files {
                    outcome.lines.push(format!("created {}", file.display()));
                }
            }
        }
    }
    Ok(())
}
