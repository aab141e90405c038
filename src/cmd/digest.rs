//! `digest` and `digest status`.

use clap::{Args, Subcommand};
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
        outcome.lines.extend(gazette::digest::status(&config)?);
        return Ok(());
    }
    let mut bar = Bar::new("digest", context.quiet());
    let summary =
        gazette::digest::run(&config, &args.options, context.now, report, &mut |event| {
            bar.show(event)
        })?;
    outcome.digest_incomplete = summary.failed > 0 || summary.pending > 0 || summary.locked_out;
    if !context.quiet() || outcome.digest_incomplete {
        outcome.lines.extend(summary.lines);
    }
    Ok(())
}
