//! `gazette subscribers …`: the ledger's subscribers from the command line.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::confirm::Confirmations;
use super::list as subscribers;
use crate::config::Config;
use crate::digest::{config_of, signing_secret};
use crate::error::{Error, Report};
use crate::ledger::{ImportCounts, Ledger, Member, SignUp, State};

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Opens the ledger for writing, with its tokens current.
fn open(config: &Config) -> Result<(Ledger, String), Error> {
    let digest = config_of(config)?;
    let mut ledger = Ledger::open(&digest.ledger)?;
    let secret = signing_secret(digest, Some(&ledger))?;
    ledger.refresh_tokens(&secret)?;
    Ok((ledger, secret))
}

/// `subscribers import FILE`: the list into the ledger (see `Ledger::import`).
pub fn import(
    config: &Config,
    file: &Path,
    resubscribe: bool,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<ImportCounts, Error> {
    let rows = subscribers::load(file, report)?;
    let (mut ledger, secret) = open(config)?;
    ledger.import(&rows, "import", resubscribe, &secret, &stamp(now))
}

/// Every subscriber (or those in `state`); an absent ledger has none.
pub fn list(config: &Config, state: Option<State>) -> Result<Vec<Member>, Error> {
    let digest = config_of(config)?;
    match Ledger::open_read_only(&digest.ledger)? {
        Some(ledger) => ledger.members(state),
        None => Ok(Vec::new()),
    }
}

/// The subscribers as CSV: a file `import` reads back as it was.
pub fn export(config: &Config) -> Result<String, Error> {
    let members = list(config, None)?;
    let mut columns: Vec<String> = Vec::new();
    for member in &members {
        for key in member.fields.keys() {
            if !matches!(key.as_str(), "email" | "name" | "status") && !columns.contains(key) {
                columns.push(key.clone());
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "email",
        "name",
        "status",
        "source",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ];
    header.extend(columns.iter().map(String::as_str));
    let failed = |e: csv::Error| Error::Output {
        path: "CSV".into(),
        message: e.to_string(),
    };
    writer.write_record(&header).map_err(failed)?;
    for member in &members {
        let mut row = vec![
            member.email.clone(),
            member.name.clone().unwrap_or_default(),
            member.state.to_string(),
            member.source.clone(),
            member.created_at.clone(),
            member.confirmed_at.clone().unwrap_or_default(),
            member.unsubscribed_at.clone().unwrap_or_default(),
        ];
        row.extend(
            columns
                .iter()
                .map(|c| member.fields.get(c).cloned().unwrap_or_default()),
        );
        writer.write_record(&row).map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::Output {
        path: "CSV".into(),
        message: e.to_string(),
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What `add` did.
#[derive(Debug)]
pub enum Added {
    /// Receives digests.
    Active,
    /// Pending; a confirmation message was sent.
    ConfirmationSent,
    /// Was active already; nothing sent.
    AlreadyActive,
    /// Bounced or complained: nothing sent.
    Suppressed(State),
}

/// `subscribers add EMAIL`: active at once with `confirmed`, else pending
/// with a confirmation message (which needs `[serve]` for its link).
pub fn add(
    config: &Config,
    email: &str,
    name: Option<&str>,
    confirmed: bool,
    now: DateTime<Utc>,
) -> Result<Added, Error> {
    let address: lettre::Address = email
        .trim()
        .parse()
        .map_err(|e| Error::Usage(format!("{email:?} is not an e-mail address: {e}")))?;
    let email = address.to_string();
    let (mut ledger, secret) = open(config)?;
    let now = stamp(now);
    if confirmed {
        let previous = ledger.member(&email)?.map(|m| m.state);
        if previous.is_none() {
            ledger.sign_up(&email, name, "add", &secret, &now)?;
        }
        ledger.set_state(&email, State::Active, None, &now)?;
        return Ok(Added::Active);
    }
    let serve = config.serve.as_ref().ok_or_else(|| {
        Error::config(
            &config.file,
            "a confirmation link needs `gazette serve` ([serve] section) to answer it; add --confirmed if the person already agreed",
        )
    })?;
    match ledger.sign_up(&email, name, "add", &secret, &now)? {
        SignUp::AlreadyActive => Ok(Added::AlreadyActive),
        SignUp::Suppressed => Ok(Added::Suppressed(
            ledger.member(&email)?.map_or(State::Bounced, |m| m.state),
        )),
        SignUp::Confirm => {
            Confirmations::new(config)?
                .send_link(&secret, serve, &email, name)
                .map_err(|e| Error::Mail(format!("the confirmation to {email}: {e}")))?;
            Ok(Added::ConfirmationSent)
        }
    }
}

/// Unsubscribes `email`; the state it had, `None` when unknown.
pub fn remove(config: &Config, email: &str, now: DateTime<Utc>) -> Result<Option<State>, Error> {
    let (mut ledger, _) = open(config)?;
    ledger.set_state(email.trim(), State::Unsubscribed, None, &stamp(now))
}

/// `gazette bounces PATH`.
pub fn bounces(
    config: &Config,
    path: &Path,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<Vec<super::bounces::Handled>, Error> {
    let digest = config_of(config)?;
    let (mut ledger, _) = open(config)?;
    super::bounces::process(
        &mut ledger,
        path,
        digest.return_path.as_deref(),
        digest.soft_bounce_limit,
        &stamp(now),
        report,
    )
}
