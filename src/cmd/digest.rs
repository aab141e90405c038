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
    options: gazette::digest::Options,
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
    let summary =
        gazette::digest::run(&config, &args.options, context.now, report, &mut |event| {
            bar.show(event)
        })?;
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
