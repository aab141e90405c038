//! `digest` and `digest status`.

use clap::{Args, Subcommand};
use gazette::digest::{Event, Status};
use gazette::{Error, Report};

use super::progress::Bar;
use super::{Context, Outcome};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct DigestArgs {
    #[command(subcommand)]
    action: Option<DigestAction>,
    #[command(flatten)]
    options: DigestOptions,
}

/// `gazette digest`'s options, read into `gazette::digest::Options`.
#[derive(Debug, Clone, Args)]
struct DigestOptions {
    /// Send it (over [smtp], or into the outbox folder without one).
    #[arg(long, conflicts_with_all = ["dry_run", "preview", "to"])]
    send: bool,
    /// Render every message and list the recipients; send and record nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write each message as .eml, plus one digest.html, into DIR.
    #[arg(long, value_name = "DIR")]
    preview: Option<std::path::PathBuf>,
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
    #[arg(long, value_name = "I/N", requires = "send", value_parser = gazette::digest::Shard::parse)]
    shard: Option<gazette::digest::Shard>,
}

impl From<&DigestOptions> for gazette::digest::Options {
    fn from(args: &DigestOptions) -> Self {
        gazette::digest::Options {
            send: args.send,
            dry_run: args.dry_run,
            preview: args.preview.clone(),
            to: args.to.clone(),
            since: args.since.clone(),
            days: args.days,
            shard: args.shard,
        }
    }
}

#[derive(Debug, Subcommand)]
enum DigestAction {
    /// Show the last digests and what happened to their recipients.
    Status,
}

pub(crate) fn execute(
    context: &Context<'_>,
    args: &DigestArgs,
    report: &mut Report,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    let config = context.config()?;
    if let Some(DigestAction::Status) = args.action {
        match gazette::digest::status(&config)? {
            None => outcome.lines.push(format!(
                "no digest sent yet (no ledger at {})",
                config
                    .digest
                    .as_ref()
                    .map_or(String::new(), |d| d.ledger.display().to_string())
            )),
            Some(digests) if digests.is_empty() => outcome.lines.push("no digest sent yet".into()),
            Some(digests) => outcome.lines.extend(digests.iter().map(status_line)),
        }
        return Ok(());
    }
    let mut bar = Bar::new("digest", context.quiet());
    let summary = gazette::digest::run(
        &config,
        &(&args.options).into(),
        context.now,
        report,
        &mut |event| bar.show(event),
    )?;
    outcome.digest_incomplete = summary.failed > 0 || summary.pending > 0 || summary.locked_out;
    if !context.quiet() || outcome.digest_incomplete {
        outcome.lines.extend(summary.events.iter().map(event_line));
    }
    Ok(())
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

fn event_line(event: &Event) -> String {
    match event {
        Event::LockedOut(holder) => format!("{holder}: this run sends nothing"),
        Event::NothingNew { since } => format!("no new posts since {since}: nothing to send"),
        Event::Planned {
            digest,
            resumed,
            titles,
            subscribers,
        } => format!(
            "digest {digest}{}: {} ({}) for {}",
            if *resumed {
                " (unfinished, resuming)"
            } else {
                ""
            },
            plural(titles.len(), "post"),
            titles.join("; "),
            plural(*subscribers, "subscriber"),
        ),
        Event::Withdrawn { digest, titles } => format!(
            "digest {digest}: {} no longer published, left out of the rest of it",
            titles.join(", ")
        ),
        Event::AllWithdrawn { digest } => {
            format!("digest {digest}: every post was withdrawn; nothing more to send")
        }
        Event::WouldSend { message_id, email } => format!("would send {message_id} to {email}"),
        Event::NothingSent => {
            "nothing sent: add --send to send, --preview DIR to look first".into()
        }
        Event::TestSent { email, via } => format!("test digest sent to {email} via {via}"),
        Event::TestFailed { email, error } => format!("test digest to {email} failed: {error}"),
        Event::PreviewWritten { messages, dir } => format!(
            "wrote {messages} messages and digest.html to {}",
            dir.display()
        ),
        Event::TransportRefused { digest, error } => {
            format!("digest {digest}: {error}; nothing sent, run again once it is fixed")
        }
        Event::Sent {
            digest,
            via,
            counts,
            complete,
        } => format!(
            "digest {digest} via {via}: {} sent, {} skipped, {} failed, {} pending{}",
            counts.sent,
            counts.skipped,
            counts.failed,
            counts.pending,
            if *complete {
                "; complete"
            } else {
                "; incomplete: run the same command again to finish"
            }
        ),
        Event::RecipientFailed { email, error } => format!("failed: {email}: {error}"),
    }
}

fn status_line(status: &Status) -> String {
    let (record, counts) = (&status.record, &status.counts);
    format!(
        "{}  {}  {} → {}  sent {} skipped {} failed {} pending {}  {}",
        record.id,
        plural(record.posts.len(), "post"),
        record.since,
        record.until,
        counts.sent,
        counts.skipped,
        counts.failed,
        counts.pending,
        record
            .completed_at
            .as_deref()
            .map_or("INCOMPLETE".to_string(), |at| format!("complete {at}")),
    )
}
