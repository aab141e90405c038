//! `serve`, `subscribers …` and `bounces`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use gazette::membership::manage;
use gazette::subscribers::State;
use gazette::{output, Error, Report};

use super::{Context, Outcome};

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address and port to listen on, instead of `serve.listen`.
    #[arg(long, value_name = "ADDRESS:PORT")]
    listen: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct SubscribersArgs {
    #[command(subcommand)]
    action: SubscribersAction,
}

#[derive(Debug, Args)]
pub(crate) struct BouncesArgs {
    /// A Maildir, an mbox file, a folder of .eml files or one message.
    path: PathBuf,
}

#[derive(Debug, Subcommand)]
enum SubscribersAction {
    /// Import a CSV list (an `email` column, others reach templates); never
    /// brings back an unsubscribed, complained or erased address: only the
    /// person can, by signing up and confirming.
    Import { file: PathBuf },
    /// Write every subscriber as CSV (email, name, state, dates, columns),
    /// or with ADDRESS everything held on that person as JSON.
    Export {
        /// One person's data (subscriber, consent log, messages), as JSON.
        #[arg(value_name = "ADDRESS")]
        address: Option<String>,
        /// JSON instead of CSV (always for ADDRESS).
        #[arg(long)]
        json: bool,
        /// Write here instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List subscribers with state and dates.
    List {
        /// Only subscribers in this state.
        #[arg(long, value_enum)]
        state: Option<StateArg>,
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
        /// How often they get mail: post, daily, weekly or monthly (default: the site's).
        #[arg(long, value_enum)]
        cadence: Option<CadenceArg>,
        /// Comma-separated topics from `[digest] topics` (default: every post).
        #[arg(long, value_name = "TOPICS")]
        topics: Option<String>,
    },
    /// Unsubscribe an address (kept as unsubscribed, so no import brings it back).
    Remove { email: String },
    /// The consent log of an address: every change, when, from where, on what evidence.
    History {
        email: String,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Erase what the ledger holds on an address (on the person's request);
    /// a keyed hash stays so that no import adds it again.
    Forget { email: String },
}

/// `--cadence`, spelled as config files spell cadences.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CadenceArg {
    Post,
    Daily,
    Weekly,
    Monthly,
}

impl From<CadenceArg> for gazette::config::Cadence {
    fn from(arg: CadenceArg) -> Self {
        match arg {
            CadenceArg::Post => Self::Post,
            CadenceArg::Daily => Self::Daily,
            CadenceArg::Weekly => Self::Weekly,
            CadenceArg::Monthly => Self::Monthly,
        }
    }
}

/// `--state`, spelled as the ledger spells states.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum StateArg {
    Pending,
    Active,
    Unsubscribed,
    Bounced,
    Complained,
}

impl From<StateArg> for State {
    fn from(arg: StateArg) -> State {
        match arg {
            StateArg::Pending => State::Pending,
            StateArg::Active => State::Active,
            StateArg::Unsubscribed => State::Unsubscribed,
            StateArg::Bounced => State::Bounced,
            StateArg::Complained => State::Complained,
        }
    }
}

pub(crate) fn serve(context: &Context<'_>, args: &ServeArgs) -> Result<(), Error> {
    let quiet = context.quiet();
    gazette::serve::run(
        context.config()?,
        args.listen.as_deref(),
        move |event| match event {
            gazette::serve::Event::Listening(address) if !quiet => {
                use std::io::Write;
                let mut stdout = std::io::stdout().lock();
                let _ = writeln!(stdout, "listening on http://{address}/");
                let _ = stdout.flush();
            }
            gazette::serve::Event::Listening(_) => {}
            gazette::serve::Event::Problem(message) => eprintln!("serve: {message}"),
        },
    )
}

pub(crate) fn bounces(
    context: &Context<'_>,
    args: &BouncesArgs,
    report: &mut Report,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    for handled in manage::bounces(&context.config()?, &args.path, context.now, report)? {
        outcome.lines.push(format!(
            "{}: {} {}: {}",
            handled.source,
            handled
                .kind
                .as_ref()
                .map_or("other".into(), |k| format!("{k:?}").to_lowercase()),
            handled.email.as_deref().unwrap_or("-"),
            handled.result
        ));
    }
    Ok(())
}

/// `subscribers export`: the list as CSV, or JSON, or one person's data.
fn export(
    config: &gazette::config::Config,
    address: Option<&str>,
    json: bool,
    output: Option<&std::path::Path>,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let csv = match (address, json) {
        (Some(address), _) => {
            format!(
                "{}\n",
                super::to_json(&manage::personal_data(config, address)?)?
            )
        }
        (None, true) => format!("{}\n", super::to_json(&manage::list(config, None)?)?),
        (None, false) => manage::export(config)?,
    };
    match output {
        Some(path) => {
            let (dir, name) = match (path.parent(), path.file_name()) {
                (Some(dir), Some(name)) => (dir, name.to_string_lossy()),
                _ => {
                    return Err(Error::Usage(format!(
                        "--output {}: not a file name",
                        path.display()
                    )))
                }
            };
            output::write(dir, &name, csv.as_bytes())?;
            outcome.lines.push(format!("wrote {}", path.display()));
        }
        None => outcome.lines.push(csv.trim_end().to_string()),
    }
    Ok(())
}

/// `subscribers list`: one line per member (the address third), or JSON.
fn list(
    config: &gazette::config::Config,
    state: Option<State>,
    json: bool,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let members = manage::list(config, state)?;
    if json {
        outcome.lines.push(super::to_json(&members)?);
    } else {
        for member in members {
            // The address stays third, for scripts that split lines.
            let mut line = format!(
                "{:<12} {:<25} {} {}",
                member.state.to_string(),
                member.updated_at,
                member.email,
                member.name.map_or(String::new(), |n| format!("({n})"))
            );
            let choice = &member.choice;
            if choice.cadence.is_some() || !choice.topics.is_empty() {
                line = format!(
                    "{} · {}, {}",
                    line.trim_end(),
                    choice
                        .cadence
                        .map_or("default cadence".to_string(), |c| c.to_string()),
                    match choice.topics_text() {
                        t if t.is_empty() => "all topics".to_string(),
                        t => format!("topics {t}"),
                    }
                );
            }
            outcome.lines.push(line);
        }
    }
    Ok(())
}

pub(crate) fn execute(
    context: &Context<'_>,
    args: &SubscribersArgs,
    report: &mut Report,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let config = &context.config()?;
    let now = context.now;
    match &args.action {
        SubscribersAction::Import { file } => {
            let counts = manage::import(config, file, now, report)?;
            outcome.lines.push(format!(
                "imported {}: {} new, {} updated, {} kept unsubscribed/bounced/complained, {} kept erased, {} marked inactive by the list",
                file.display(),
                counts.added,
                counts.updated,
                counts.kept_suppressed,
                counts.kept_erased,
                counts.suppressed_by_list
            ));
        }
        SubscribersAction::Export {
            address,
            json,
            output,
        } => {
            export(
                config,
                address.as_deref(),
                *json,
                output.as_deref(),
                outcome,
            )?;
        }
        SubscribersAction::List { state, json } => {
            list(config, state.map(State::from), *json, outcome)?;
        }
        SubscribersAction::Add {
            email,
            name,
            confirmed,
            cadence,
            topics,
        } => {
            let choice = gazette::subscribers::Choice {
                cadence: cadence.map(Into::into),
                topics: gazette::subscribers::Choice::parse_topics(topics.as_deref().unwrap_or("")),
            };
            let line = match manage::add(config, email, name.as_deref(), *confirmed, &choice, now)? {
                manage::Added::Active => format!("{email}: active"),
                manage::Added::ConfirmationSent => {
                    format!("{email}: pending, confirmation sent")
                }
                manage::Added::AlreadyActive => format!("{email}: already active"),
                manage::Added::Refused(state) => format!(
                    "{email}: {state}, left so: only the person can come back, by signing up and confirming"
                ),
            };
            outcome.lines.push(line);
        }
        SubscribersAction::History { email, json } => {
            let events = manage::history(config, email)?;
            if *json {
                outcome.lines.push(super::to_json(&events)?);
            } else if events.is_empty() {
                outcome.lines.push(format!("{email}: nothing recorded"));
            } else {
                for event in events {
                    outcome.lines.push(format!(
                        "{}  {:<13} {:<12} {}{}",
                        event.at,
                        event.change,
                        event.state.as_deref().unwrap_or("-"),
                        event.source,
                        event.evidence.map_or(String::new(), |e| format!(" ({e})"))
                    ));
                }
            }
        }
        SubscribersAction::Forget { email } => {
            let line = if manage::forget(config, email, now)? {
                format!("{email}: erased; a keyed hash stays so that no import adds it again")
            } else {
                format!("{email}: nothing was held; a keyed hash now keeps imports from adding it")
            };
            outcome.lines.push(line);
        }
        SubscribersAction::Remove { email } => {
            let line = match manage::remove(config, email, now)? {
                Some(previous) => format!("{email}: unsubscribed (was {previous})"),
                None => format!("{email}: not a subscriber"),
            };
            outcome.lines.push(line);
        }
    }
    Ok(())
}
