//! The command line: the options of each subcommand (`#[derive(Args)]`
//! structs), and what each prints. The library does the work and returns
//! data; wording, progress bars and exit statuses live here.

mod build;
#[cfg(feature = "subscribers")]
mod digest;
#[cfg(feature = "subscribers")]
mod ledger;
mod progress;
mod site;
#[cfg(feature = "subscribers")]
mod subscribers;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use gazette::config::Config;
use gazette::{Error, Report};

/// Turn a folder of Markdown posts into RSS, Atom and JSON feeds.
///
/// Exit status: 0 when all went well, 1 when some posts had errors (the
/// others were still built), 2 on a usage, config or output error, 3 when a
/// digest recipient failed or a digest run could not finish.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about, long_about = None, after_help = "Exit status: 0 ok, 1 some posts had errors (the rest were built), 2 usage, config or I/O error, 3 a digest recipient failed or the run could not finish (run it again).")]
pub(crate) struct Cli {
    /// The site's configuration file (default: gazette.toml if there is one,
    /// else config.toml); paths in it are relative to its folder.
    #[arg(long, short = 'c', global = true, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// Pretend the current time is this instant: RFC 3339 (2025-05-01T00:00:00Z)
    /// or a UTC date (2025-05-01), for reproducible builds and to preview
    /// scheduled posts.
    #[arg(long, global = true, value_name = "TIME", value_parser = parse_now)]
    pub(crate) now: Option<DateTime<Utc>>,

    /// Build for another address than the config's `base_url`, e.g. a local preview.
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) base_url: Option<String>,

    /// Print only problems.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,

    /// Also print every file written or left unchanged.
    #[arg(long, short, global = true)]
    pub(crate) verbose: bool,

    /// Read every post anew instead of taking unchanged ones from the build
    /// cache (.gazette/build-cache.bin).
    #[arg(long, global = true)]
    pub(crate) no_cache: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write the feeds into the output folder.
    Build(build::BuildArgs),
    /// Build, then build again whenever a post, a template or the config
    /// changes (until interrupted).
    Watch(build::BuildArgs),
    /// Read every post and render every feed, report all problems, write nothing.
    Check(build::CheckArgs),
    /// List every post with its state, date, title and URL.
    List(build::ListArgs),
    /// Seed the publication record with the ids and dates readers already
    /// have, from a feed the site published before.
    Record(build::RecordArgs),
    /// Bring content in from elsewhere: `gazette import podcast OLD_FEED.xml`.
    Import(site::ImportArgs),
    /// Render the e-mail digest of the posts published since the last one, and send it with --send.
    #[cfg(feature = "subscribers")]
    Digest(digest::DigestArgs),
    /// Run the sign-up, confirmation and one-click unsubscribe endpoints (and
    /// serve the output folder) until interrupted; meant for behind the
    /// site's reverse proxy. Needs [serve] and [digest] in the config.
    #[cfg(feature = "subscribers")]
    Serve(subscribers::ServeArgs),
    /// The digest's subscribers as the ledger keeps them.
    #[cfg(feature = "subscribers")]
    Subscribers(subscribers::SubscribersArgs),
    /// The ledger: `gazette ledger migrate`, `gazette ledger copy FROM TO`
    /// (between SQLite and PostgreSQL).
    #[cfg(feature = "subscribers")]
    Ledger(ledger::LedgerArgs),
    /// Read bounces (RFC 3464) and spam complaints (RFC 5965) from a Maildir,
    /// an mbox file or message files, and mark the subscribers they name.
    #[cfg(feature = "subscribers")]
    Bounces(subscribers::BouncesArgs),
    /// Write a new post: the site's front-matter syntax, the date in the
    /// site's time zone, a slug from the title; marked as a draft.
    New(site::NewArgs),
    /// Work with the default templates.
    Templates(site::TemplatesArgs),
    /// Print a completion script: `source <(gazette completions bash)`.
    Completions(site::CompletionsArgs),
    /// Print the manual page (roff): `gazette man | man -l -`.
    Man,
    /// The build cache: `gazette cache clear` deletes it.
    Cache(site::CacheArgs),
    /// Create a new site (config.toml, one post, the default templates), or with
    /// --from, set gazette up beside an existing Zola, Hugo, Jekyll or Eleventy site.
    Init(site::InitArgs),
}

/// What a command printed and what its exit status should say.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Lines for standard output.
    pub(crate) lines: Vec<String>,
    /// A digest recipient failed or the run could not finish.
    pub(crate) digest_incomplete: bool,
    /// `check --against` found entries gazette would change.
    pub(crate) differs: bool,
}

/// What every command gets besides its own options.
pub(crate) struct Context<'a> {
    pub(crate) cli: &'a Cli,
    pub(crate) now: DateTime<Utc>,
}

impl Context<'_> {
    /// The site's configuration, with `--base-url` applied.
    pub(crate) fn config(&self) -> Result<Config, Error> {
        let mut config = Config::load(&self.cli.config_path())?;
        if self.cli.no_cache {
            config = config.without_cache();
        }
        match &self.cli.base_url {
            Some(url) => config.with_base_url(url),
            None => Ok(config),
        }
    }

    pub(crate) fn quiet(&self) -> bool {
        self.cli.quiet
    }
}

/// Runs the command the command line names.
pub(crate) fn execute(
    cli: &Cli,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<Outcome, Error> {
    let context = Context { cli, now };
    let mut outcome = Outcome::default();
    match &cli.command {
        Command::Build(args) => build::build(&context, args, report, &mut outcome)?,
        Command::Watch(args) => build::watch(&context, args, report)?,
        Command::Check(args) => build::check(&context, args, report, &mut outcome)?,
        Command::List(args) => build::list(&context, args, report, &mut outcome)?,
        Command::Record(args) => build::record(&context, args, report, &mut outcome)?,
        Command::Import(args) => site::import(&context, args, report, &mut outcome)?,
        #[cfg(feature = "subscribers")]
        Command::Digest(args) => digest::execute(&context, args, report, &mut outcome)?,
        #[cfg(feature = "subscribers")]
        Command::Serve(args) => subscribers::serve(&context, args)?,
        #[cfg(feature = "subscribers")]
        Command::Subscribers(args) => subscribers::execute(&context, args, report, &mut outcome)?,
        #[cfg(feature = "subscribers")]
        Command::Bounces(args) => subscribers::bounces(&context, args, report, &mut outcome)?,
        #[cfg(feature = "subscribers")]
        Command::Ledger(args) => ledger::ledger(&context, args, &mut outcome)?,
        Command::New(args) => site::new_post(&context, args, &mut outcome)?,
        Command::Templates(args) => site::templates(&context, args, &mut outcome)?,
        Command::Completions(args) => site::completions::<Cli>(args, &mut outcome),
        Command::Man => site::man::<Cli>(&mut outcome)?,
        Command::Cache(args) => site::cache(&context, args, &mut outcome)?,
        Command::Init(args) => site::init(&context, args, &mut outcome)?,
    }
    Ok(outcome)
}

/// JSON for `--json` output.
pub(crate) fn to_json(value: &impl serde::Serialize) -> Result<String, Error> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Output {
        path: "standard output".into(),
        message: e.to_string(),
    })
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    gazette::dates::parse(text, chrono_tz::UTC)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            format!("cannot read {text:?}: expected a date (2025-05-01) or an RFC 3339 time such as 2025-05-01T00:00:00Z")
        })
}

impl Cli {
    /// The config file to use: `-c`, else `gazette.toml` or (beside a
    /// Jekyll site, which publishes every file not named `_…`)
    /// `_gazette.toml` where it exists, else `config.toml`.
    pub(crate) fn config_path(&self) -> PathBuf {
        match &self.config {
            Some(path) => path.clone(),
            None => ["gazette.toml", "_gazette.toml"]
                .into_iter()
                .find(|name| std::path::Path::new(name).exists())
                .unwrap_or("config.toml")
                .into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// A value each option takes on the command line.
    fn sample(name: &str, possible: &[String]) -> String {
        if let Some(first) = possible.first() {
            return first.clone();
        }
        match name {
            "now" | "since" => "2025-01-01".into(),
            "base_url" => "https://e.org/".into(),
            "shard" => "1/2".into(),
            "days" => "3".into(),
            _ => "x".into(),
        }
    }

    /// Every option `--help` lists for a command is one that command accepts.
    fn check(command: &clap::Command, path: &mut Vec<String>) {
        let required: Vec<String> = command
            .get_positionals()
            .filter(|a| a.is_required_set())
            .map(|a| {
                let possible: Vec<String> = a
                    .get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_string())
                    .collect();
                sample(a.get_id().as_str(), &possible)
            })
            .collect();
        if command.get_subcommands().next().is_none() || !command.is_subcommand_required_set() {
            for arg in command.get_arguments().filter(|a| !a.is_positional()) {
                let Some(long) = arg.get_long() else { continue };
                if long == "help" || long == "version" {
                    continue;
                }
                let mut argv = vec!["gazette".to_string()];
                argv.extend(path.iter().cloned());
                argv.extend(required.iter().cloned());
                argv.push(format!("--{long}"));
                if arg.get_action().takes_values() {
                    let possible: Vec<String> = arg
                        .get_possible_values()
                        .iter()
                        .map(|v| v.get_name().to_string())
                        .collect();
                    argv.push(sample(arg.get_id().as_str(), &possible));
                }
                // Options that need another (clap's `requires`).
                let needs: &[&str] = match (path.last().map(String::as_str), long) {
                    (_, "shard") => &["--send"],
                    (Some("check"), "category" | "tag" | "section" | "term" | "collection") => {
                        &["--against", "old-feed.xml"]
                    }
                    _ => &[],
                };
                argv.extend(needs.iter().map(|a| a.to_string()));
                if let Err(e) = Cli::try_parse_from(&argv) {
                    panic!("{argv:?} is listed but refused: {e}");
                }
            }
        }
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            path.push(sub.get_name().to_string());
            check(sub, path);
            path.pop();
        }
    }

    #[test]
    fn every_listed_option_is_accepted() {
        Cli::command().debug_assert();
        for sub in Cli::command().get_subcommands() {
            let mut path = vec![sub.get_name().to_string()];
            check(sub, &mut path);
        }
    }
}
