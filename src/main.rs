//! The `gazette` binary: parse the command line, run, print, exit.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use gazette::cli::{Cli, Command, DigestAction};
use gazette::{commands, Error, Report};

const EXIT_POST_ERRORS: u8 = 1;
const EXIT_FATAL: u8 = 2;
const EXIT_DIGEST_INCOMPLETE: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now = cli.now.unwrap_or_else(chrono::Utc::now);
    let mut report = Report::default();
    let mut digest_incomplete = false;
    let result = run(&cli, now, &mut report, &mut digest_incomplete);
    report.sort();
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &report.diagnostics {
        let _ = writeln!(stderr, "{diagnostic}");
    }
    match result {
        Err(error) => {
            let _ = writeln!(stderr, "error: {}", gazette::error::chain(&error));
            ExitCode::from(EXIT_FATAL)
        }
        Ok(()) if digest_incomplete => ExitCode::from(EXIT_DIGEST_INCOMPLETE),
        Ok(()) if report.has_errors() => ExitCode::from(EXIT_POST_ERRORS),
        Ok(()) => ExitCode::SUCCESS,
    }
}

fn run(
    cli: &Cli,
    now: chrono::DateTime<chrono::Utc>,
    report: &mut Report,
    digest_incomplete: &mut bool,
) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    let mut say = |line: String| {
        // A closed pipe (`gazette list | head`) is not an error worth reporting.
        let _ = writeln!(stdout, "{line}");
    };
    let load = || -> Result<gazette::config::Config, Error> {
        let config = gazette::config::Config::load(&cli.config)?;
        match &cli.base_url {
            Some(url) => config.with_base_url(url),
            None => Ok(config),
        }
    };
    match &cli.command {
        Command::Build | Command::Check => {
            let check = matches!(cli.command, Command::Check);
            let summary = commands::build(&load()?, now, check, report)?;
            if cli.verbose {
                for path in &summary.changed {
                    say(format!("wrote {}", path.display()));
                }
                for path in &summary.unchanged {
                    say(format!("unchanged {}", path.display()));
                }
                for path in &summary.removed {
                    say(format!("removed {}", path.display()));
                }
            }
            if !cli.quiet {
                let problems = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == gazette::Severity::Error)
                    .count();
                let what = if check {
                    format!(
                        "checked {} posts: {} published, {problems} with errors",
                        summary.posts, summary.published
                    )
                } else {
                    format!(
                        "built {} feed files ({} changed, {} unchanged) from {} published of {} posts",
                        summary.changed.len() + summary.unchanged.len(),
                        summary.changed.len(),
                        summary.unchanged.len(),
                        summary.published,
                        summary.posts
                    )
                };
                say(what);
            }
        }
        Command::List { json } => {
            let rows = commands::list(&load()?, now, report)?;
            if *json {
                let text =
                    serde_json::to_string_pretty(&rows).map_err(|e| Error::Usage(e.to_string()))?;
                say(text);
            } else {
                for row in rows {
                    say(format!(
                        "{:<10} {:<25} {} ({})",
                        row.state,
                        row.date.as_deref().unwrap_or("-"),
                        row.url.as_deref().unwrap_or("-"),
                        row.path.display()
                    ));
                }
            }
        }
        Command::Digest {
            action: Some(DigestAction::Status),
            ..
        } => {
            for line in gazette::digest::status(&load()?)? {
                say(line);
            }
        }
        Command::Digest {
            action: None,
            send,
            dry_run,
            preview,
            to,
            since,
            days,
        } => {
            let options = gazette::digest::Options {
                send: *send,
                dry_run: *dry_run,
                preview: preview.clone(),
                to: to.clone(),
                since: since.clone(),
                days: *days,
                quiet: cli.quiet,
            };
            let summary = gazette::digest::run(&load()?, &options, now, report)?;
            *digest_incomplete = summary.failed > 0 || summary.pending > 0;
            if !cli.quiet || *digest_incomplete {
                for line in summary.lines {
                    say(line);
                }
            }
        }
        Command::Init { dir } => {
            let files = commands::init(dir, now)?;
            if !cli.quiet {
                for file in files {
                    say(format!("created {}", file.display()));
                }
            }
        }
    }
    Ok(())
}
