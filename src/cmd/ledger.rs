//! `gazette ledger …`: the ledger's schema and moving it between stores.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use gazette::membership::manage;
use gazette::Error;

use super::{Context, Outcome};

#[derive(Debug, Args)]
pub(crate) struct LedgerArgs {
    #[command(subcommand)]
    action: LedgerAction,
}

#[derive(Debug, Subcommand)]
enum LedgerAction {
    /// Create the ledger `digest.ledger` names, or bring it to this
    /// gazette's schema; print its store and schema version.
    Migrate,
    /// Copy a ledger into a new, empty one, between SQLite and PostgreSQL
    /// either way, and check counts and checksums of every table at the
    /// end. Stop `serve` and cron while it runs; then point
    /// `digest.ledger` at the copy.
    Copy {
        /// The ledger to copy: an SQLite file or a postgres:// URL.
        from: PathBuf,
        /// Where to: a new SQLite file or an empty PostgreSQL database.
        to: PathBuf,
    },
}

pub(crate) fn ledger(
    context: &Context<'_>,
    args: &LedgerArgs,
    outcome: &mut Outcome,
) -> Result<(), Error> {
    match &args.action {
        LedgerAction::Migrate => {
            let config = context.config()?;
            let (store, version) = manage::migrate(&config)?;
            let location = config
                .digest_settings()
                .map(|d| d.ledger.display().to_string())
                .unwrap_or_default();
            outcome.lines.push(format!(
                "ledger {location}: {store}, schema version {version}"
            ));
        }
        LedgerAction::Copy { from, to } => {
            // The site's setting names the password's variable, if there is a site.
            let password_env = context
                .config()
                .ok()
                .and_then(|c| {
                    c.digest_settings()
                        .ok()
                        .map(|d| d.ledger_password_env.clone())
                })
                .unwrap_or_else(|| "PGPASSWORD".into());
            let copied = manage::copy_ledger(from, to, &password_env)?;
            for table in &copied {
                outcome.lines.push(format!(
                    "{:<15} {:>9} rows  checksum {}",
                    table.table, table.rows, table.checksum
                ));
            }
            outcome.lines.push(format!(
                "copied {} into {}: every table has the same rows on both sides",
                from.display(),
                to.display()
            ));
        }
    }
    Ok(())
}
