//! The command line.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

/// Turn a folder of Markdown posts into RSS, Atom and JSON feeds.
///
/// Exit status: 0 when all went well, 1 when some posts had errors (the
/// others were still built), 2 on a usage, config or output error, 3 when a
/// digest recipient failed or a digest run could not finish.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about, long_about = None, after_help = "Exit status: 0 ok, 1 some posts had errors (the rest were built), 2 usage, config or I/O error, 3 a digest recipient failed or the run could not finish (run it again).")]
pub struct Cli {
    /// The site's configuration file (default: gazette.toml if there is one,
    /// else config.toml); paths in it are relative to its folder.
    #[arg(long, short = 'c', global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Pretend the current time is this instant: RFC 3339 (2025-05-01T00:00:00Z)
    /// or a UTC date (2025-05-01), for reproducible builds and to preview
    /// scheduled posts.
    #[arg(long, global = true, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,

    /// Build for another address than the config's `base_url`, e.g. a local preview.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// Print only problems.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print every file written or left unchanged.
    #[arg(long, short, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the feeds into the output folder.
    Build {
        /// Write into DIR instead of the configured `output_dir` (e.g. a preview).
        #[arg(long, short = 'o', value_name = "DIR")]
        output: Option<PathBuf>,
        /// Write feeds without entries even over feeds that have some (by
        /// default such a build keeps the old feeds and exits 1).
        #[arg(long)]
        allow_empty: bool,
    },
    /// Read every post and render every feed, report all problems, write nothing.
    Check {
        /// A feed the site published before (RSS, Atom or JSON Feed): list every
        /// entry whose id, link or date gazette would change.
        #[arg(long, value_name = "OLD_FEED_FILE")]
        against: Option<PathBuf>,
    },
    /// List every post with its state, date, title and URL.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Only posts in this state.
        #[arg(long, value_parser = ["published", "draft", "scheduled", "expired", "skipped", "error"])]
        state: Option<String>,
    },
    /// Render the e-mail digest of the posts published since the last one, and send it with --send.
    #[command(args_conflicts_with_subcommands = true)]
    Digest {
        #[command(subcommand)]
        action: Option<DigestAction>,
        /// Send it (over [smtp], or into the outbox folder without one).
        #[arg(long, conflicts_with_all = ["dry_run", "preview", "to"])]
        send: bool,
        /// Render every message and list the recipients; send and record nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write each message as .eml, plus one digest.html, into DIR.
        #[arg(long, value_name = "DIR")]
        preview: Option<PathBuf>,
        /// Send one test message to ADDRESS, recorded apart from the real run.
        #[arg(long, value_name = "ADDRESS")]
        to: Option<String>,
        /// Start the period here instead of at the last digest (a date or time).
        #[arg(long, value_name = "DATE", conflicts_with = "days")]
        since: Option<String>,
        /// Start the period N days ago instead of at the last digest.
        #[arg(long, value_name = "N")]
        days: Option<u32>,
        /// With --send: send only part I of N of the recipients, so several
        /// processes or hosts split one list against one ledger.
        #[arg(long, value_name = "I/N", requires = "send", value_parser = crate::digest::ledger::Shard::parse)]
        shard: Option<crate::digest::ledger::Shard>,
    },
    /// Run the sign-up, confirmation and one-click unsubscribe endpoints (and
    /// serve the output folder) until interrupted; meant for behind the
    /// site's reverse proxy. Needs [serve] and [digest] in the config.
    Serve {
        /// Address and port to listen on, instead of `serve.listen`.
        #[arg(long, value_name = "ADDRESS:PORT")]
        listen: Option<String>,
    },
    /// The digest's subscribers as the ledger keeps them.
    Subscribers {
        #[command(subcommand)]
        action: SubscribersAction,
    },
    /// Read bounces (RFC 3464) and spam complaints (RFC 5965) from a Maildir,
    /// an mbox file or message files, and mark the subscribers they name.
    Bounces {
        /// A Maildir, an mbox file, a folder of .eml files or one message.
        path: PathBuf,
    },
    /// Write a new post: the site's front-matter syntax, the date in the
    /// site's time zone, a slug from the title; marked as a draft.
    New {
        /// The post's title.
        title: String,
        /// The folder below the content folder to put it in.
        #[arg(long, value_name = "DIR")]
        section: Option<String>,
    },
    /// Work with the default templates.
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// Print a completion script: `source <(gazette completions bash)`.
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: Shell,
    },
    /// Print the manual page (roff): `gazette man | man -l -`.
    Man,
    /// Create a new site (config.toml, one post, the default templates), or with
    /// --from, set gazette up beside an existing Zola, Hugo, Jekyll or Eleventy site.
    Init {
        /// Folder to create the site in.
        #[arg(default_value = ".", conflicts_with = "from")]
        dir: PathBuf,
        /// The existing site's folder: its generator's config is read (never
        /// changed) and gazette.toml plus gazette/templates/ are written there.
        #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".")]
        from: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// Copy the default templates into the site's templates folder, to edit.
    Eject {
        /// Only these templates (default: all).
        names: Vec<String>,
        /// Overwrite templates that are already there.
        #[arg(long)]
        force: bool,
    },
}

/// Shells `gazette completions` writes a script for.
pub use clap_complete::Shell;

#[derive(Debug, Subcommand)]
pub enum SubscribersAction {
    /// Import a CSV list (an `email` column, others reach templates); never
    /// brings back an unsubscribed, bounced or complained address.
    Import {
        file: PathBuf,
        /// Make listed addresses active again even if they unsubscribed.
        #[arg(long)]
        resubscribe: bool,
    },
    /// Write every subscriber as CSV (email, name, state, dates, columns).
    Export {
        /// Write here instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List subscribers with state and dates.
    List {
        /// Only subscribers in this state.
        #[arg(long, value_enum)]
        state: Option<crate::digest::ledger::State>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add one address: pending with a confirmation message, or active at once with --confirmed.
    Add {
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// The person already agreed: no confirmation message.
        #[arg(long)]
        confirmed: bool,
    },
    /// Unsubscribe an address (kept as unsubscribed, so no import brings it back).
    Remove { email: String },
}

#[derive(Debug, Subcommand)]
pub enum DigestAction {
    /// Show the last digests and what happened to their recipients.
    Status,
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    crate::content::dates::parse(text, chrono_tz::UTC)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            format!("cannot read {text:?}: expected a date (2025-05-01) or an RFC 3339 time such as 2025-05-01T00:00:00Z")
        })
}

impl Cli {
    /// The config file to use: `-c`, else `gazette.toml` where it exists, else `config.toml`.
    pub fn config_path(&self) -> PathBuf {
        match &self.config {
            Some(path) => path.clone(),
            None if std::path::Path::new("gazette.toml").exists() => "gazette.toml".into(),
            None => "config.toml".into(),
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
                if long == "shard" {
                    argv.push("--send".into());
                }
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
